//! One earliest-arrival chain from a source to a target, hop by hop: the
//! target's row of the reach answer, exactly, with each hop's event, date and
//! quote.

use serde::{Serialize, Serializer};

use crate::analysis::reach::ser_time;

use super::reach::{reach, Asked, ReachAnswer, ReachQuery, Reached};
use crate::catalog::{self, EntityId};
use crate::index::Index;
use crate::model::Certainty;

/// One hop of a chain.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Hop {
    /// Event id.
    pub event: String,
    /// The event's time as written (`None`: undated).
    pub time: Option<String>,
    /// First second the event can have happened (RFC 3339, UTC); `None`: no
    /// lower bound.
    #[serde(serialize_with = "ser_time")]
    pub start: Option<i64>,
    /// Last second the event can have happened (RFC 3339, UTC); `None`: no
    /// upper bound.
    #[serde(serialize_with = "ser_time")]
    pub end: Option<i64>,
    /// Sender id.
    pub from: String,
    /// Sender name.
    pub from_name: String,
    /// Receiver id.
    pub to: String,
    /// Receiver name.
    pub to_name: String,
    /// Event kind.
    pub kind: String,
    /// Event certainty.
    pub certainty: Certainty,
    /// The sentence the event rests on, if cited.
    pub quote: Option<String>,
    /// The quote is the author's wording, not the source's (a `paraphrase`
    /// citation): never shown in quotation marks.
    pub paraphrase: bool,
    /// The cited source id.
    pub source: Option<String>,
    /// The cited source's title or publisher.
    pub source_title: Option<String>,
}

/// The answer of `path`: the question (as `reach` echoes it), the target's
/// row exactly as `reach` reports it, and the hops of its path.
///
/// In JSON the row's fields (`entity`, `name`, `earliest`, `timing`,
/// `definite_by`, `evidence`, `rests_on`, `via`, `previous`, `path`) are at
/// the top level, after the question and `"reached": true`, and `hops`
/// follows them. When the target is not reached, `"reached": false` is
/// followed by its `entity` and `name` and empty `hops`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PathAnswer {
    /// The question, as `reach` echoes it.
    pub asked: Asked,
    /// Target entity id.
    pub entity: String,
    /// Target display name.
    pub name: String,
    /// The target's row of the reach answer; `None` when it is not reached.
    pub row: Option<Reached>,
    /// The hops of the row's path, in order (empty when not reached, and for
    /// the source itself).
    pub hops: Vec<Hop>,
}

impl PathAnswer {
    /// Whether the target is reached.
    pub fn reached(&self) -> bool {
        self.row.is_some()
    }
}

/// The JSON form of [`PathAnswer`].
#[derive(Serialize)]
struct Wire<'a> {
    #[serde(flatten)]
    asked: &'a Asked,
    reached: bool,
    #[serde(flatten)]
    row: Option<&'a Reached>,
    #[serde(skip_serializing_if = "Option::is_none")]
    entity: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    name: Option<&'a str>,
    hops: &'a [Hop],
}

impl Serialize for PathAnswer {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let unreached = self.row.is_none();
        Wire {
            asked: &self.asked,
            reached: !unreached,
            row: self.row.as_ref(),
            entity: unreached.then_some(self.entity.as_str()),
            name: unreached.then_some(self.name.as_str()),
            hops: &self.hops,
        }
        .serialize(s)
    }
}

/// The details of a hop of [`Index::hops_of`], from the index's catalogue.
#[doc(hidden)]
pub fn hop(index: &Index, catalog::Hop { from, to, channel }: catalog::Hop) -> Hop {
    let c = channel;
    let catalog = index.catalog();
    let e = catalog.event(index.event(c));
    let citation = e
        .sources
        .iter()
        .find(|s| s.quote().is_some())
        .or(e.sources.first());
    let source = citation.map(|s| s.source().to_string());
    let source_title = source
        .as_deref()
        .and_then(|id| catalog.sources().iter().find(|s| s.id == id))
        .and_then(|s| s.title.clone().or_else(|| s.publisher.clone()));
    let bound = |t: i64| (t != i64::MIN && t != i64::MAX).then_some(t);
    Hop {
        event: e.id.clone(),
        time: e.time.as_ref().map(|t| t.text.clone()),
        start: bound(index.lo(c)),
        end: bound(index.hi(c)),
        from: index.entity_id(from).to_string(),
        from_name: index.entity_name(from).to_string(),
        to: index.entity_id(to).to_string(),
        to_name: index.entity_name(to).to_string(),
        kind: e.kind().to_string(),
        certainty: e.certainty(),
        quote: citation
            .and_then(|s| s.quote())
            .map(str::to_string)
            .or_else(|| e.quote.clone()),
        paraphrase: citation.is_some_and(|s| s.quote().is_some() && s.is_paraphrase()),
        source,
        source_title,
    }
}

/// The earliest-arrival chain from the query's source to `target` (fewest
/// hops among earliest chains): `target`'s row of [`reach`], exactly, and
/// the hops of its path.
///
/// # Arguments
/// `index` and `query` are those of [`reach`] (the index's catalogue supplies
/// the quotes and sources); `target` is the entity to reach.
///
/// # Complexity
/// That of [`reach`].
pub fn path(index: &Index, query: &ReachQuery, target: EntityId) -> PathAnswer {
    path_in(index, &reach(index, query), target)
}

/// [`path`] from an answer already computed on `index`.
#[doc(hidden)]
pub fn path_in(index: &Index, answer: &ReachAnswer, target: EntityId) -> PathAnswer {
    let id = index.entity_id(target);
    let row = answer.get(id).cloned();
    let hops = row
        .as_ref()
        .map(|r| r.hops(index).into_iter().map(|h| hop(index, h)).collect())
        .unwrap_or_default();
    PathAnswer {
        asked: answer.asked.clone(),
        entity: id.to_string(),
        name: index.entity_name(target).to_string(),
        row,
        hops,
    }
}
