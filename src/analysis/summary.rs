//! What `check` reports: counts, the dates covered, and the warnings,
//! and the causality check of the format.

use std::collections::BTreeMap;

use serde::Serialize;

use super::reach::{earliest_arrival, ReachQuery, NO_UPPER};
use crate::catalog::{Catalog, EntityId, EventId};
use crate::diagnostic::DiagnosticJson;
use crate::index::{Index, IndexSpec, Mode};
use crate::model::time::format_at_precision;
use crate::model::{Certainty, Parties, Precision};

/// The summary printed by `check`.
#[derive(Debug, Clone, Serialize)]
pub struct Summary {
    /// The file.
    pub file: String,
    /// The story's title.
    pub title: Option<String>,
    /// Entities by kind.
    pub entities: BTreeMap<String, usize>,
    /// Events by kind.
    pub events_by_kind: BTreeMap<String, usize>,
    /// Events by certainty.
    pub events_by_certainty: BTreeMap<String, usize>,
    /// Number of entities.
    pub entity_count: usize,
    /// Number of events.
    pub event_count: usize,
    /// Number of messages.
    pub messages: usize,
    /// Number of relations.
    pub relations: usize,
    /// Number of sources.
    pub sources: usize,
    /// Events without a date.
    pub undated_events: usize,
    /// First day covered by a dated event (story time zone).
    pub first: Option<String>,
    /// Last day covered by a dated event (story time zone).
    pub last: Option<String>,
    /// Warnings, located.
    pub warnings: Vec<DiagnosticJson>,
    /// How the entities hang together ([`structure`]); `check` fills it,
    /// [`summarise`] alone leaves it out.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub structure: Option<Structure>,
}

/// Where something is in the input: line and column (1-based) when the input
/// keeps them (a story file; not a CSV corpus).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize)]
pub struct Place {
    /// Line.
    pub line: Option<usize>,
    /// Column.
    pub column: Option<usize>,
}

/// An entity of the structure, with its place in the input.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PlacedEntity {
    /// Entity id.
    pub entity: String,
    /// Display name.
    pub name: String,
    /// Where it is defined.
    #[serde(flatten)]
    pub place: Place,
}

/// Two contacts that contradict each other: an event that carries a
/// message, dated entirely before its sender could have received it through
/// the other carrying events (or whose sender never receives it).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Contradiction {
    /// The carrying event.
    pub event: String,
    /// The message.
    pub message: String,
    /// Its possible senders (ids).
    pub senders: Vec<String>,
    /// The earliest a sender could have had the message (RFC 3339; `None`:
    /// never, through a carrying event).
    pub first: Option<String>,
    /// Where the event is.
    #[serde(flatten)]
    pub place: Place,
}

/// How the entities hang together, through contacts of any certainty
/// (relations left out: nothing travels along them).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Structure {
    /// Sizes of the connected components of two or more entities, largest
    /// first.
    pub components: Vec<usize>,
    /// The members (ids, by name) of every such component but the largest,
    /// largest first.
    pub separate: Vec<Vec<String>>,
    /// The entities in no contact, by name (they may have relations).
    pub isolated: Vec<PlacedEntity>,
    /// The contacts that contradict each other ([`causality`]).
    pub contradictions: Vec<Contradiction>,
}

/// The structure of `catalog`: its connected components (of the static
/// graph of contacts of any certainty), its isolated entities, and the
/// causality `problems` as contradictions; `event_at` and `entity_at` place
/// an event and an entity in the input.
///
/// # Complexity
/// O(c log c) for c channels, plus the problems.
#[doc(hidden)]
pub fn structure(
    catalog: &dyn Catalog,
    problems: &[CausalityProblem],
    event_at: &dyn Fn(EventId) -> Place,
    entity_at: &dyn Fn(EntityId) -> Place,
) -> Structure {
    let graph = crate::graph::StaticGraph::build(catalog, Certainty::Unknown, false);
    let by_name = |v: &mut Vec<EntityId>| {
        v.sort_by(|&a, &b| {
            (catalog.entity_name(a), catalog.entity_id(a))
                .cmp(&(catalog.entity_name(b), catalog.entity_id(b)))
        })
    };
    let mut groups = Vec::new();
    let mut isolated = Vec::new();
    for c in graph.components() {
        match c.as_slice() {
            [u] => isolated.push(*u),
            _ => groups.push(c),
        }
    }
    by_name(&mut isolated);
    let separate = groups
        .iter()
        .skip(1)
        .map(|g| {
            let mut g = g.clone();
            by_name(&mut g);
            g.iter()
                .map(|&u| catalog.entity_id(u).to_string())
                .collect()
        })
        .collect();
    Structure {
        components: groups.iter().map(Vec::len).collect(),
        separate,
        isolated: isolated
            .into_iter()
            .map(|u| PlacedEntity {
                entity: catalog.entity_id(u).to_string(),
                name: catalog.entity_name(u).to_string(),
                place: entity_at(u),
            })
            .collect(),
        contradictions: problems
            .iter()
            .map(|p| Contradiction {
                event: p.event_id.clone(),
                message: p.message.clone(),
                senders: p.senders.clone(),
                first: p.first.map(crate::model::time::rfc3339),
                place: event_at(p.event),
            })
            .collect(),
    }
}

/// A carrying event that cannot be causally after its sender's receipt of
/// the message it carries (the causality check of the format).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CausalityProblem {
    /// The carrying event.
    #[serde(skip)]
    pub event: EventId,
    /// Its id.
    pub event_id: String,
    /// The message it carries.
    pub message: String,
    /// The entities that could have sent it (ids).
    pub senders: Vec<String>,
    /// The earliest time any of them could have received the message
    /// (`None`: never, through a carrying event).
    pub first: Option<i64>,
}

/// Carrying events whose latest time is before every possible sender could
/// have received the message.
///
/// For each message with an origin, the earliest arrival along carrying events
/// (non-strict, any certainty) is computed from the origin at the message's
/// time; a carrying event whose `hi` is before the earliest arrival of each of
/// its possible senders is listed.
///
/// # Complexity
/// O(m · c log c) for m messages and c carrying channels.
pub fn causality(catalog: &dyn Catalog) -> Vec<CausalityProblem> {
    let mut out = Vec::new();
    for k in 0..catalog.message_count() {
        let m = catalog.message(k);
        let Some(origin) = m.origin.as_deref().and_then(|o| catalog.entity_number(o)) else {
            continue;
        };
        let spec = IndexSpec {
            message: Some(m.id.clone()),
            mode: Mode::Message,
            threshold: Certainty::Unknown,
        };
        let index = Index::build(catalog, &spec);
        let start = m.time.as_ref().and_then(|t| t.interval().lo);
        let q = ReachQuery {
            start,
            ..ReachQuery::new(origin)
        };
        let arr = earliest_arrival(&index, &q, Certainty::Unknown);
        for e in catalog.carrying_events(&m.id) {
            let ev = catalog.event(e);
            let senders: Vec<&str> = match &ev.parties {
                Parties::Directed { from, .. } => vec![from.as_str()],
                Parties::Mutual { participants } => {
                    participants.iter().map(String::as_str).collect()
                }
            };
            let hi = ev.interval().hi_or_max();
            let first = senders
                .iter()
                .filter_map(|s| catalog.entity_number(s))
                .map(|s| arr[s.index()])
                .min()
                .unwrap_or(NO_UPPER);
            if hi >= first {
                continue;
            }
            out.push(CausalityProblem {
                event: e,
                event_id: ev.id.clone(),
                message: m.id.clone(),
                senders: senders.iter().map(|s| s.to_string()).collect(),
                first: (first != NO_UPPER).then_some(first),
            });
        }
    }
    out
}

/// Counts what `check` reports of any input: entities by kind, events by
/// kind and certainty, and the days covered, in the input's time zone.
/// `warnings` is left empty for the caller to fill from its report.
///
/// # Complexity
/// O(n) for n entities and events.
pub fn summarise(catalog: &dyn Catalog, file: &str) -> Summary {
    let mut entities = BTreeMap::new();
    for u in EntityId::all(catalog.entity_count()) {
        *entities
            .entry(catalog.entity_kind(u).as_str().to_string())
            .or_insert(0) += 1;
    }
    let mut by_kind: BTreeMap<String, usize> = BTreeMap::new();
    let mut by_certainty = BTreeMap::new();
    let (mut lo, mut hi, mut undated) = (i64::MAX, i64::MIN, 0);
    for e in EventId::all(catalog.event_count()) {
        let kind = catalog.event_kind(e);
        match by_kind.get_mut(kind.as_ref()) {
            Some(n) => *n += 1,
            None => {
                by_kind.insert(kind.into_owned(), 1);
            }
        }
        *by_certainty
            .entry(catalog.event_certainty(e).as_str().to_string())
            .or_insert(0) += 1;
        let iv = catalog.event_interval(e);
        match (iv.lo, iv.hi) {
            (None, None) => undated += 1,
            (l, h) => {
                for t in l.into_iter().chain(h) {
                    lo = lo.min(t);
                    hi = hi.max(t);
                }
            }
        }
    }
    let tz = catalog.timezone();
    let day = |t: i64| format_at_precision(t, Precision::Day, &tz);
    Summary {
        file: file.to_string(),
        title: catalog.title().map(str::to_string),
        entities,
        events_by_kind: by_kind,
        events_by_certainty: by_certainty,
        entity_count: catalog.entity_count(),
        event_count: catalog.event_count(),
        messages: catalog.message_count(),
        relations: catalog.relations().len(),
        sources: catalog.sources().len(),
        undated_events: undated,
        first: (lo != i64::MAX).then(|| day(lo)),
        last: (hi != i64::MIN).then(|| day(hi)),
        warnings: Vec::new(),
        structure: None,
    }
}
