//! The parts of a story that are neither entities nor contacts, as the
//! exports write them: holdings (an entity had a message by some time),
//! markers (reference dates), event order (`after`) and paraphrased
//! citations; and the loss lines of a format that cannot hold them.

use std::collections::HashMap;

use serde_json::{json, Map, Value};

use super::{citations_text, DateColumns, LossReport};
use crate::catalog::{Catalog, EntityId, EventId};
use crate::model::{Citation, Holding, Marker, TimeExpr};

/// The date fields of a time in a JSON object: `time` (the expression),
/// `date_lo`, `date_hi` and `precision`, each only when it has one.
pub(crate) fn date_fields(time: Option<&TimeExpr>, d: &mut Map<String, Value>) {
    let dc = DateColumns::of(time);
    for (k, v) in [("time", dc.text), ("date_lo", dc.lo), ("date_hi", dc.hi)] {
        if let Some(v) = v {
            d.insert(k.into(), json!(v));
        }
    }
    if let Some(p) = dc.precision {
        d.insert("precision".into(), json!(p));
    }
}

/// A holding as a JSON object: `id`, `message`, `certainty`, its dates
/// ([`date_fields`]), `summary`, `quote` and its citations as `sources`
/// text (the holder is the node it is written on).
pub(crate) fn holding_json(catalog: &dyn Catalog, h: &Holding) -> Value {
    let mut d = Map::new();
    d.insert("id".into(), json!(h.id));
    d.insert("message".into(), json!(h.message));
    d.insert("certainty".into(), json!(h.certainty().as_str()));
    date_fields(h.time.as_ref(), &mut d);
    if let Some(v) = &h.summary {
        d.insert("summary".into(), json!(v));
    }
    if let Some(v) = &h.quote {
        d.insert("quote".into(), json!(v));
    }
    if !h.sources.is_empty() {
        d.insert("sources".into(), json!(citations_text(catalog, &h.sources)));
    }
    Value::Object(d)
}

/// A marker as a JSON object: `id`, `label` and its dates.
pub(crate) fn marker_json(m: &Marker) -> Value {
    let mut d = Map::new();
    d.insert("id".into(), json!(m.id));
    d.insert("label".into(), json!(m.label));
    date_fields(m.time.as_ref(), &mut d);
    Value::Object(d)
}

/// The markers as a JSON list (none when the story has none).
pub(crate) fn markers_json(catalog: &dyn Catalog) -> Option<Value> {
    let ms = catalog.markers();
    (!ms.is_empty()).then(|| Value::Array(ms.iter().map(marker_json).collect()))
}

/// Each entity's holdings, in file order (holdings of an entity the
/// catalogue does not have are left out: a valid story has none).
pub(crate) fn holdings_by_entity(catalog: &dyn Catalog) -> HashMap<EntityId, Vec<&Holding>> {
    let mut out: HashMap<EntityId, Vec<&Holding>> = HashMap::new();
    for h in catalog.holdings() {
        if let Some(u) = catalog.entity_number(&h.entity) {
            out.entry(u).or_default().push(h);
        }
    }
    out
}

/// The holdings of one entity as a JSON list (none when it has none).
pub(crate) fn holdings_json(catalog: &dyn Catalog, hs: Option<&Vec<&Holding>>) -> Option<Value> {
    let hs = hs.filter(|hs| !hs.is_empty())?;
    Some(Value::Array(
        hs.iter().map(|h| holding_json(catalog, h)).collect(),
    ))
}

/// The messages each entity is the origin of, in file order.
pub(crate) fn messages_by_origin(catalog: &dyn Catalog) -> HashMap<EntityId, Vec<usize>> {
    let mut out: HashMap<EntityId, Vec<usize>> = HashMap::new();
    for m in 0..catalog.message_count() {
        let msg = catalog.message(m);
        if let Some(u) = msg.origin.as_deref().and_then(|o| catalog.entity_number(o)) {
            out.entry(u).or_default().push(m);
        }
    }
    out
}

/// The messages no entity is the origin of (an export that writes
/// messages on their origin's node cannot write these).
pub(crate) fn messages_without_origin(catalog: &dyn Catalog) -> usize {
    (0..catalog.message_count())
        .filter(|&m| {
            let msg = catalog.message(m);
            msg.origin
                .as_deref()
                .and_then(|o| catalog.entity_number(o))
                .is_none()
        })
        .count()
}

/// The messages an entity is the origin of as a JSON list: `id`,
/// `title`, `text`, the dates of its start ([`date_fields`]) and its
/// citations as `sources` text (none when it is the origin of none).
pub(crate) fn originated_json(catalog: &dyn Catalog, ms: Option<&Vec<usize>>) -> Option<Value> {
    let ms = ms.filter(|ms| !ms.is_empty())?;
    Some(Value::Array(
        ms.iter()
            .map(|&m| {
                let msg = catalog.message(m);
                let mut d = Map::new();
                d.insert("id".into(), json!(msg.id));
                for (k, v) in [("title", &msg.title), ("text", &msg.text)] {
                    if let Some(v) = v {
                        d.insert(k.into(), json!(v));
                    }
                }
                date_fields(msg.time.as_ref(), &mut d);
                if !msg.sources.is_empty() {
                    d.insert(
                        "sources".into(),
                        json!(citations_text(catalog, &msg.sources)),
                    );
                }
                Value::Object(d)
            })
            .collect(),
    ))
}

/// How many `after` links the events have: one per event named in an
/// event's `after`.
pub fn after_count(catalog: &dyn Catalog) -> usize {
    EventId::all(catalog.event_count())
        .map(|e| catalog.event(e).after.len())
        .sum()
}

/// How many citations are paraphrases with a quote, in every part of the
/// story (messages, events, relations, holdings).
pub fn paraphrase_count(catalog: &dyn Catalog) -> usize {
    let count = |cs: &[Citation]| {
        cs.iter()
            .filter(|c| c.is_paraphrase() && c.quote().is_some())
            .count()
    };
    let mut n = 0;
    for m in 0..catalog.message_count() {
        n += count(&catalog.message(m).sources);
    }
    for e in EventId::all(catalog.event_count()) {
        n += count(&catalog.event(e).sources);
    }
    n += catalog
        .relations()
        .iter()
        .map(|r| count(&r.sources))
        .sum::<usize>();
    n + catalog
        .holdings()
        .iter()
        .map(|h| count(&h.sources))
        .sum::<usize>()
}

/// The citations of the holdings (flattened into text where written).
pub(crate) fn holding_citations(catalog: &dyn Catalog) -> usize {
    catalog.holdings().iter().map(|h| h.sources.len()).sum()
}

/// Holdings and markers with unknown fields (not written by any format).
pub(crate) fn parts_with_extra(catalog: &dyn Catalog) -> usize {
    let h = catalog
        .holdings()
        .iter()
        .filter(|h| !h.extra.is_empty())
        .count();
    h + catalog
        .markers()
        .iter()
        .filter(|m| !m.extra.is_empty())
        .count()
}

/// Loss code of holdings a format does not write.
pub const LOST_HOLDINGS: &str = "holdings";
/// Loss code of markers a format does not write.
pub const LOST_MARKERS: &str = "markers";
/// Loss code of `after` links a format does not write.
pub const LOST_AFTER: &str = "event-order";
/// Loss code of paraphrase flags a format does not write.
pub const LOST_PARAPHRASES: &str = "paraphrases";

/// Reports every holding as not written.
pub(crate) fn lose_holdings(catalog: &dyn Catalog, loss: &mut LossReport) {
    loss.add_n(
        LOST_HOLDINGS,
        catalog.holdings().len(),
        "{n} holding{s} (who had a message by when) not written",
    );
}

/// Reports every marker as not written.
pub(crate) fn lose_markers(catalog: &dyn Catalog, loss: &mut LossReport) {
    loss.add_n(
        LOST_MARKERS,
        catalog.markers().len(),
        "{n} marker{s} (reference dates) not written",
    );
}

/// Reports every `after` link as not written.
pub(crate) fn lose_after(catalog: &dyn Catalog, loss: &mut LossReport) {
    loss.add_n(
        LOST_AFTER,
        after_count(catalog),
        "{n} event order{s} (after) not written (dates as written, not tightened by them)",
    );
}

/// Reports every paraphrase flag as not written.
pub(crate) fn lose_paraphrases(catalog: &dyn Catalog, loss: &mut LossReport) {
    loss.add_n(
        LOST_PARAPHRASES,
        paraphrase_count(catalog),
        "{n} paraphrase flag{s} (a quote in the author's words) not written",
    );
}
