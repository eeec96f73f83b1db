//! The Admiralty grades of a story's evidence: which sources and citations
//! are graded, the claims whose certainty is stronger than their grades
//! support, and the story with every claim at the weaker of the two
//! (`--graded`).

use std::collections::{BTreeMap, HashMap};

use serde::Serialize;

use crate::model::grade::grade_label;
use crate::model::{Certainty, Citation, Credibility, Reliability, Story};

/// The grades a story's file writes, and what they say of its claims.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Grades {
    /// How many sources have each reliability grade (only those written).
    pub sources: BTreeMap<String, usize>,
    /// How many citations have each credibility grade (only those written).
    pub citations: BTreeMap<String, usize>,
    /// The claims whose certainty is stronger than their grades support.
    pub stronger: Vec<Stronger>,
}

/// A claim written surer than its best graded citation supports.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Stronger {
    /// `event`, `holding` or `relation`.
    pub claim: &'static str,
    /// Its id (a relation's, or its position when it has none).
    pub id: String,
    /// Its certainty as written (or the default).
    pub certainty: Certainty,
    /// The grade of its best graded citation (`B2`, `C`, `3`).
    pub best: String,
    /// What that grade supports.
    pub supports: Certainty,
}

impl Grades {
    /// Whether the file writes any grade.
    pub fn any(&self) -> bool {
        !self.sources.is_empty() || !self.citations.is_empty()
    }
}

/// The strongest certainty any graded citation in `cites` supports, with
/// its grade (`None`: no citation is graded, or none limits anything).
fn support(
    story: &Story,
    reliability: &HashMap<&str, Reliability>,
    cites: &[Citation],
) -> Option<(Certainty, String)> {
    cites
        .iter()
        .filter_map(|c| {
            let r = reliability.get(c.source()).copied();
            let cr: Option<Credibility> = c.credibility();
            let s = story.grading.supports(r, cr)?;
            Some((s, grade_label(r, cr)?))
        })
        .max_by(|a, b| a.0.cmp(&b.0).then_with(|| b.1.cmp(&a.1)))
}

/// Each claim of `story`: (kind, id, written certainty, citations).
fn claims(story: &Story) -> Vec<(&'static str, String, Certainty, &[Citation])> {
    let events = story
        .events
        .iter()
        .map(|e| ("event", e.id.clone(), e.certainty(), &e.sources[..]));
    let holdings = story
        .holdings
        .iter()
        .map(|h| ("holding", h.id.clone(), h.certainty(), &h.sources[..]));
    let relations = story.relations.iter().enumerate().map(|(i, r)| {
        let id = r.id.clone().unwrap_or_else(|| format!("relations[{i}]"));
        (
            "relation",
            id,
            r.certainty.unwrap_or_default(),
            &r.sources[..],
        )
    });
    events.chain(holdings).chain(relations).collect()
}

/// The grades of `story`.
pub fn grades(story: &Story) -> Grades {
    let reliability: HashMap<&str, Reliability> = story
        .sources
        .iter()
        .filter_map(|s| Some((s.id.as_str(), s.reliability?)))
        .collect();
    let mut g = Grades::default();
    for r in reliability.values() {
        *g.sources.entry(r.as_str().to_string()).or_default() += 1;
    }
    let all_cites = story
        .events
        .iter()
        .flat_map(|e| &e.sources)
        .chain(story.holdings.iter().flat_map(|h| &h.sources))
        .chain(story.relations.iter().flat_map(|r| &r.sources))
        .chain(story.messages.iter().flat_map(|m| &m.sources));
    for c in all_cites {
        if let Some(cr) = c.credibility() {
            *g.citations.entry(cr.get().to_string()).or_default() += 1;
        }
    }
    for (claim, id, certainty, cites) in claims(story) {
        if let Some((supports, best)) = support(story, &reliability, cites) {
            if certainty > supports {
                g.stronger.push(Stronger {
                    claim,
                    id,
                    certainty,
                    best,
                    supports,
                });
            }
        }
    }
    g
}

/// `story` with every claim at the weaker of its certainty and what its
/// best graded citation supports; claims without a graded citation as they
/// are.
pub fn graded(story: &Story) -> Story {
    let reliability: HashMap<&str, Reliability> = story
        .sources
        .iter()
        .filter_map(|s| Some((s.id.as_str(), s.reliability?)))
        .collect();
    let cap = |c: Certainty, cites: &[Citation]| match support(story, &reliability, cites) {
        Some((s, _)) if s < c => Some(s),
        _ => None,
    };
    let mut out = story.clone();
    for e in &mut out.events {
        if let Some(c) = cap(e.certainty(), &e.sources) {
            e.certainty = Some(c);
        }
    }
    for h in &mut out.holdings {
        if let Some(c) = cap(h.certainty(), &h.sources) {
            h.certainty = Some(c);
        }
    }
    for r in &mut out.relations {
        if let Some(c) = cap(r.certainty.unwrap_or_default(), &r.sources) {
            r.certainty = Some(c);
        }
    }
    out
}
