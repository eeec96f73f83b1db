//! The sources a story cites, and a citation: a source id, or a source
//! with the sentence a claim rests on and its grade.

use super::{Credibility, Extra, Reliability, TimeExpr};

/// A publication or document that events cite.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Source {
    /// Unique id.
    pub id: String,
    /// Title of the piece.
    pub title: Option<String>,
    /// Publisher.
    pub publisher: Option<String>,
    /// Author.
    pub author: Option<String>,
    /// Publication time.
    pub published: Option<TimeExpr>,
    /// Where to read it.
    pub url: Option<String>,
    /// How reliable it is, on the Admiralty scale (A–F).
    pub reliability: Option<Reliability>,
    /// Unknown fields, kept.
    pub extra: Extra,
}

/// A citation: a source id, or a source with the quote and a locator.
#[derive(Debug, Clone, PartialEq)]
pub enum Citation {
    /// `"article"`
    Id(String),
    /// `{ "source": "article", "quote": "...", "locator": "..." }`
    Full {
        /// The source id.
        source: String,
        /// The sentence the claim rests on.
        quote: Option<String>,
        /// Page, paragraph, timestamp.
        locator: Option<String>,
        /// `true`: the quote is the author's wording, not the source's, and
        /// is never shown in quotation marks (`None`: not written).
        paraphrase: Option<bool>,
        /// How credible the passage is, on the Admiralty scale (1–6).
        credibility: Option<Credibility>,
        /// Unknown fields, kept.
        extra: Extra,
    },
}

impl Citation {
    /// The cited source id.
    pub fn source(&self) -> &str {
        match self {
            Citation::Id(s) => s,
            Citation::Full { source, .. } => source,
        }
    }

    /// Whether the quote is a paraphrase: the author's wording, never to be
    /// shown in quotation marks.
    pub fn is_paraphrase(&self) -> bool {
        matches!(
            self,
            Citation::Full {
                paraphrase: Some(true),
                ..
            }
        )
    }

    /// The quote, if any.
    pub fn quote(&self) -> Option<&str> {
        match self {
            Citation::Id(_) => None,
            Citation::Full { quote, .. } => quote.as_deref(),
        }
    }

    /// The passage's credibility grade, if written.
    pub fn credibility(&self) -> Option<Credibility> {
        match self {
            Citation::Id(_) => None,
            Citation::Full { credibility, .. } => *credibility,
        }
    }
}
