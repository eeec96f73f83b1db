//! One earliest-arrival chain from a source to a target, hop by hop, with the
//! evidence each hop rests on.

use serde::Serialize;

use super::reach::{reach, ReachQuery, Timing};
use crate::index::Index;
use crate::model::Certainty;

/// One hop of a chain.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Hop {
    /// Event id.
    pub event: String,
    /// The event's time as written (`None`: undated).
    pub time: Option<String>,
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
    /// The cited source id.
    pub source: Option<String>,
    /// The cited source's title or publisher.
    pub source_title: Option<String>,
}

/// The answer of `path`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PathAnswer {
    /// Source entity id.
    pub from: String,
    /// Target entity id.
    pub to: String,
    /// Whether the target is reached at all.
    pub reached: bool,
    /// Earliest time at the target (RFC 3339), if reached with a lower bound.
    pub earliest: Option<String>,
    /// Timing at the target.
    pub timing: Option<Timing>,
    /// Definite time at the target (RFC 3339).
    pub definite_by: Option<String>,
    /// Evidence at the target.
    pub evidence: Option<Certainty>,
    /// The hops, in order.
    pub hops: Vec<Hop>,
}

/// The hop details of channel `c` of `index` from entity `from` to entity
/// `to` (a hop of [`Index::hops_of`]), from the index's catalogue.
pub fn hop(index: &Index, (from, to, c): (u32, u32, u32)) -> Hop {
    let c = c as usize;
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
    let (from, to) = (from as usize, to as usize);
    Hop {
        event: e.id.clone(),
        time: e.time.as_ref().map(|t| t.text.clone()),
        from: index.entity_id(from as u32).to_string(),
        from_name: index.entity_name(from as u32).to_string(),
        to: index.entity_id(to as u32).to_string(),
        to_name: index.entity_name(to as u32).to_string(),
        kind: e.kind().to_string(),
        certainty: e.certainty(),
        quote: citation
            .and_then(|s| s.quote())
            .map(str::to_string)
            .or_else(|| e.quote.clone()),
        source,
        source_title,
    }
}

/// The earliest-arrival chain from the query's source to `target` (fewest
/// hops among earliest chains).
///
/// # Arguments
/// `index` and `query` are those of [`reach`] (the index's catalogue supplies
/// the quotes and sources); `target` is an entity number.
///
/// # Returns
/// The target's timing and evidence and its hops, or `reached: false` with no
/// hops.
///
/// # Complexity
/// That of [`reach`].
pub fn path(index: &Index, query: &ReachQuery, target: u32) -> PathAnswer {
    let answer = reach(index, query);
    let id = &index.entity_id(target).to_string();
    let entry = answer.get(id);
    let time = |t: Option<i64>| {
        t.filter(|t| *t != i64::MIN && *t != i64::MAX)
            .map(crate::model::time::rfc3339)
    };
    PathAnswer {
        from: answer.source.clone(),
        to: id.clone(),
        reached: entry.is_some(),
        earliest: entry.and_then(|r| time(r.earliest)),
        timing: entry.map(|r| r.timing),
        definite_by: entry.and_then(|r| time(r.definite_by)),
        evidence: entry.map(|r| r.evidence),
        hops: entry
            .map(|r| r.hops(index).into_iter().map(|h| hop(index, h)).collect())
            .unwrap_or_default(),
    }
}
