//! Holdings and markers in FtM: an UnknownLink from an entity to a traced
//! message's Note is a holding, an Event marked `grapevine:marker` a
//! marker (as [`export::ftm`](crate::io::export::ftm) writes them).

use super::{first, Known, Line, Reader, RelationFields};
use crate::io::export::ftm::{id_from_ftm, HELD_ROLE, MARKER_KEYWORD};
use crate::io::json::{Node, Value};
use crate::model::{Holding, Marker};

/// Properties a holding (an UnknownLink to a message's Note) reads.
const HOLDING_READ: [&str; 8] = [
    "subject",
    "object",
    "role",
    "date",
    "startDate",
    "endDate",
    "description",
    "summary",
];

/// True for an UnknownLink whose object is a traced message's Note: a
/// holding.
pub(super) fn holds_message(line: &Line, known: &Known) -> bool {
    line.schema == "UnknownLink"
        && first(line, "object").is_some_and(|o| known.messages.contains(&id_from_ftm(&o)))
}

/// An UnknownLink from an entity to a message's Note as a holding: its
/// certainty, time and quote from the description grapevine wrote (else
/// its dates), its summary.
pub(super) fn read_holding(r: &mut Reader, line: &Line, known: &Known) -> Option<Holding> {
    let entity = known.refs(r, line, "subject").into_iter().next()?;
    let message = id_from_ftm(&first(line, "object")?);
    let mut fields = RelationFields {
        kind: None,
        certainty: None,
        time: None,
        quote: None,
        extra: r.extra_except(line, &HOLDING_READ),
    };
    if !fields.read_descriptions(r, line) {
        fields.time = r.time(line);
    }
    if let Some(role) = first(line, "role").filter(|role| role != HELD_ROLE) {
        fields
            .extra
            .push(("x-ftm-role".into(), Value::String(role)));
    }
    Some(Holding {
        id: id_from_ftm(&line.id),
        entity,
        message,
        time: fields.time,
        certainty: fields.certainty,
        summary: first(line, "summary"),
        quote: fields.quote,
        sources: Vec::new(),
        empty: Default::default(),
        extra: fields.extra,
    })
}

/// Properties a marker (an Event marked `grapevine:marker`) reads.
const MARKER_READ: [&str; 5] = ["name", "keywords", "date", "startDate", "endDate"];

/// True for an Event marked [`MARKER_KEYWORD`]: a marker.
pub(super) fn is_marker(line: &Line) -> bool {
    line.schema == "Event"
        && line
            .props
            .get("keywords")
            .is_some_and(|k| k.iter().any(|k| k == MARKER_KEYWORD))
}

/// An Event marked [`MARKER_KEYWORD`] as a marker: its name the label.
pub(super) fn read_marker(r: &mut Reader, line: &Line) -> Marker {
    let (noted, line) = r.time_note(line);
    let line = &line;
    let mut extra = r.extra_except(line, &MARKER_READ);
    let others: Vec<String> = line
        .props
        .get("keywords")
        .into_iter()
        .flatten()
        .filter(|k| *k != MARKER_KEYWORD)
        .cloned()
        .collect();
    if !others.is_empty() {
        let items = others
            .into_iter()
            .map(|s| Node {
                value: Value::String(s),
                span: 0..0,
            })
            .collect();
        extra.push(("x-ftm-keywords".into(), Value::Array(items)));
    }
    Marker {
        id: id_from_ftm(&line.id),
        label: first(line, "name").unwrap_or_else(|| id_from_ftm(&line.id)),
        time: noted.or_else(|| r.time(line)),
        extra,
    }
}
