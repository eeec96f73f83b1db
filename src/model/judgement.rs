//! Judgements: a person's decision that an entity of one story and an
//! entity of another are the same, or are not (the practice of
//! OpenSanctions' nomenklatura). `merge` reads them from a file in the
//! format `grapevine-judgements/1`.

use serde::Serialize;

/// The only judgements format this build reads and writes.
pub const JUDGEMENTS_FORMAT: &str = "grapevine-judgements/1";

/// What was decided about a pair.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Verdict {
    /// The two ids name one entity: join them.
    Same,
    /// They name two: never join them, whatever their names.
    Different,
    /// Not decided yet (what `merge --propose` writes): the pair stays a
    /// proposal.
    Unsure,
}

impl Verdict {
    /// The word in the file.
    pub fn as_str(self) -> &'static str {
        match self {
            Verdict::Same => "same",
            Verdict::Different => "different",
            Verdict::Unsure => "unsure",
        }
    }
}

/// One decision about an entity of the first story (`a`) and one of the
/// second (`b`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Judgement {
    /// The entity's id in the first story.
    pub a: String,
    /// The entity's id in the second story.
    pub b: String,
    /// Same, different or unsure.
    pub judgement: Verdict,
    /// Who decided.
    pub by: Option<String>,
    /// Why.
    pub why: Option<String>,
    /// When (as written).
    pub at: Option<String>,
}
