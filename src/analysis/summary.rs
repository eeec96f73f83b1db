//! What `check` reports: counts, the dates covered, and the warnings,
//! including the causality check of the spec.

use std::collections::BTreeMap;

use serde::Serialize;

use super::reach::{earliest_arrival, ReachQuery, NO_UPPER};
use crate::index::{Index, IndexSpec, Mode};
use crate::io::load::{quote, visible};
use crate::io::{Diagnostic, DiagnosticJson, Loaded};
use crate::model::time::format_at_precision;
use crate::model::{Certainty, Parties, Precision, Story};

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
}

/// Causality warnings: carrying events whose latest time is before every
/// possible sender could have received the message.
///
/// For each message with an origin, the earliest arrival along carrying events
/// (non-strict, any certainty) is computed from the origin at the message's
/// time; a carrying event whose `hi` is before the earliest arrival of each of
/// its possible senders gets a warning.
pub fn causality_warnings(loaded: &Loaded) -> Vec<Diagnostic> {
    let story = &loaded.story;
    let mut out = Vec::new();
    let ids = story.entity_ids();
    for m in &story.messages {
        let Some(origin) = m.origin.as_deref().and_then(|o| ids.get(o)) else {
            continue;
        };
        let spec = IndexSpec {
            message: Some(m.id.clone()),
            mode: Mode::Message,
            threshold: Certainty::Unknown,
        };
        let index = Index::build(story, &spec);
        let start = m.time.as_ref().and_then(|t| t.interval().lo);
        let q = ReachQuery {
            start,
            ..ReachQuery::new(*origin as u32)
        };
        let arr = earliest_arrival(&index, &q, Certainty::Unknown);
        for (ei, e) in story.events.iter().enumerate() {
            if !e.carries.contains(&m.id) {
                continue;
            }
            let senders: Vec<&str> = match &e.parties {
                Parties::Directed { from, .. } => vec![from.as_str()],
                Parties::Mutual { participants } => {
                    participants.iter().map(String::as_str).collect()
                }
            };
            let hi = e.interval().hi_or_max();
            let first = senders
                .iter()
                .filter_map(|s| ids.get(s))
                .map(|&s| arr[s])
                .min()
                .unwrap_or(NO_UPPER);
            if hi >= first {
                continue;
            }
            let names: Vec<String> = senders.iter().map(|s| visible(story.name_of(s))).collect();
            let when = e
                .time
                .as_ref()
                .map(|t| t.text.as_str())
                .unwrap_or("undated");
            let (msg, help) = if first == NO_UPPER {
                (
                    format!(
                        "event {} carries {}, but {} never receives it through a carrying event",
                        quote(&e.id),
                        quote(&m.id),
                        names.join(" or ")
                    ),
                    "add the event through which the sender got the message, or check \"carries\""
                        .to_string(),
                )
            } else {
                (
                    format!(
                        "event {} ({when}) carries {} before {} could have received it ({} at the earliest)",
                        quote(&e.id),
                        quote(&m.id),
                        names.join(" or "),
                        format_at_precision(first, Precision::Day, &story.tz())
                    ),
                    "check the event's date, the message's time, or \"carries\"".to_string(),
                )
            };
            let span = loaded.event_spans.get(ei).cloned();
            out.push(
                Diagnostic::warning(msg, span, "cannot be causally after its sender's receipt")
                    .with_help(help),
            );
        }
    }
    out
}

/// Summarises a loaded story for `check`, adding the causality warnings to its
/// report.
pub fn summarise(loaded: &mut Loaded) -> Summary {
    let extra = causality_warnings(loaded);
    loaded.report.diagnostics.extend(extra);
    loaded.report.sort();
    let story: &Story = &loaded.story;
    let mut entities = BTreeMap::new();
    for e in &story.entities {
        *entities.entry(e.kind().as_str().to_string()).or_insert(0) += 1;
    }
    let mut by_kind = BTreeMap::new();
    let mut by_certainty = BTreeMap::new();
    let (mut lo, mut hi, mut undated) = (i64::MAX, i64::MIN, 0);
    for e in &story.events {
        *by_kind.entry(e.kind().to_string()).or_insert(0) += 1;
        *by_certainty
            .entry(e.certainty().as_str().to_string())
            .or_insert(0) += 1;
        let iv = e.interval();
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
    let tz = story.tz();
    let day = |t: i64| format_at_precision(t, Precision::Day, &tz);
    Summary {
        file: loaded.report.file.clone(),
        title: story.title.clone(),
        entities,
        events_by_kind: by_kind,
        events_by_certainty: by_certainty,
        entity_count: story.entities.len(),
        event_count: story.events.len(),
        messages: story.messages.len(),
        relations: story.relations.len(),
        sources: story.sources.len(),
        undated_events: undated,
        first: (lo != i64::MAX).then(|| day(lo)),
        last: (hi != i64::MIN).then(|| day(hi)),
        warnings: loaded.report.to_json(),
    }
}
