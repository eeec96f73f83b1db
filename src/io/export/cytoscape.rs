//! Cytoscape.js elements JSON: `{"elements": {"nodes": [...], "edges":
//! [...]}}`, every element a `data` object, as `cytoscape({elements})`
//! and Cytoscape desktop's JSON import read it.
//!
//! A person or group that is `member-of` or `employee-of` an organisation
//! gets it as `parent` (a compound node: the organisation is drawn around
//! its members). A node has one parent: further memberships, and any that
//! would make a cycle, stay edges only. Every relation is also an edge.
//!
//! An entity's holdings (it had a message by some time) are its node's
//! `holdings`, a list of objects: they are not contacts, so not edges. A
//! contact's `after` lists the events it follows; the story's markers are
//! the document's `data.markers`.

use std::collections::HashMap;

use serde_json::{json, Map, Value};

use super::parts::{holdings_by_entity, holdings_json, markers_json};
use super::{
    citations_text, graph_losses, kind_colour, links, DateColumns, EdgeIds, ExportFormat, Exported,
    LossReport,
};
use crate::catalog::{Catalog, EntityId};
use crate::model::{EntityKind, Event, Holding, Relation};

/// Relation kinds that make the organisation a compound parent.
pub const PARENT_KINDS: [&str; 2] = ["member-of", "employee-of"];

/// Each entity's compound parent, if any, and how many memberships could
/// not be one.
fn parents(catalog: &dyn Catalog) -> (HashMap<EntityId, EntityId>, usize) {
    let mut parent: HashMap<EntityId, EntityId> = HashMap::new();
    let mut left = 0;
    for r in catalog.relations() {
        if !r.kind.as_deref().is_some_and(|k| PARENT_KINDS.contains(&k)) {
            continue;
        }
        let (Some(a), Some(b)) = (catalog.entity_number(&r.from), catalog.entity_number(&r.to))
        else {
            continue;
        };
        if catalog.entity_kind(b) != EntityKind::Organisation || a == b {
            continue;
        }
        // No second parent, and no cycle: b must not be a's descendant.
        let mut up = Some(b);
        let mut cycle = false;
        let mut steps = 0;
        while let Some(n) = up {
            if n == a || steps > parent.len() {
                cycle = true;
                break;
            }
            up = parent.get(&n).copied();
            steps += 1;
        }
        if parent.contains_key(&a) || cycle {
            left += 1;
            continue;
        }
        parent.insert(a, b);
    }
    (parent, left)
}

/// Writes the catalogue as Cytoscape.js JSON.
pub fn export(catalog: &dyn Catalog) -> Exported {
    let mut loss = LossReport::new(ExportFormat::Cytoscape);
    let (parent, left) = parents(catalog);
    let held = holdings_by_entity(catalog);
    let nodes: Vec<Value> = EntityId::all(catalog.entity_count())
        .map(|u| node(catalog, (u, held.get(&u)), &parent))
        .collect();
    let mut edges = Vec::new();
    let mut ids = EdgeIds::new(catalog, "edge-");
    for link in links(catalog) {
        let mut d = Map::new();
        d.insert("id".into(), json!(ids.next_id()));
        d.insert("source".into(), json!(catalog.entity_id(link.from)));
        d.insert("target".into(), json!(catalog.entity_id(link.to)));
        let time = if let Some(e) = link.event {
            let ev = catalog.event(e);
            contact_data(catalog, &ev, link.mutual, &mut d);
            ev.time.clone()
        } else if let Some(r) = link.relation.and_then(|i| catalog.relations().get(i)) {
            relation_data(catalog, r, &mut d);
            r.time.clone()
        } else {
            continue;
        };
        let dc = DateColumns::of(time.as_ref());
        for (k, v) in [("date_lo", dc.lo), ("date_hi", dc.hi), ("time", dc.text)] {
            if let Some(v) = v {
                d.insert(k.into(), json!(v));
            }
        }
        if let Some(p) = dc.precision {
            d.insert("precision".into(), json!(p));
        }
        edges.push(json!({ "data": d }));
    }
    let mut data = Map::new();
    if let Some(t) = catalog.title() {
        data.insert("title".into(), json!(t));
    }
    if let Some(z) = catalog.timezone_name() {
        data.insert("timezone".into(), json!(z));
    }
    if let Some(m) = markers_json(catalog) {
        data.insert("markers".into(), m);
    }
    let doc = json!({
        "format_version": "1.0",
        "generated_by": "grapevine",
        "target_cytoscapejs_version": "~3",
        "data": Value::Object(data),
        "elements": { "nodes": nodes, "edges": edges },
    });
    let mut text = serde_json::to_string_pretty(&doc).unwrap_or_default();
    text.push('\n');
    loss.add_n(
        "parents",
        left,
        "{n} membership{s} not drawn as a compound parent (a node has one; kept as edges)",
    );
    graph_losses(catalog, &mut loss, false);
    Exported::single(text.into_bytes(), loss)
}

/// Entity `u` as a node with its holdings, inside its parent's compound
/// node if it has one.
fn node(
    catalog: &dyn Catalog,
    (u, held): (EntityId, Option<&Vec<&Holding>>),
    parent: &HashMap<EntityId, EntityId>,
) -> Value {
    let e = catalog.entity(u);
    let mut d = Map::new();
    d.insert("id".into(), json!(e.id));
    d.insert("label".into(), json!(e.name));
    d.insert("kind".into(), json!(e.kind().as_str()));
    d.insert("colour".into(), json!(kind_colour(e.kind())));
    if !e.aliases.is_empty() {
        d.insert("aliases".into(), json!(e.aliases));
    }
    if !e.tags.is_empty() {
        d.insert("tags".into(), json!(e.tags));
    }
    if let Some(v) = &e.description {
        d.insert("description".into(), json!(v));
    }
    if let Some(v) = &e.url {
        d.insert("url".into(), json!(v));
    }
    if let Some(p) = parent.get(&u) {
        d.insert("parent".into(), json!(catalog.entity_id(*p)));
    }
    if let Some(list) = holdings_json(catalog, held) {
        d.insert("holdings".into(), list);
    }
    json!({ "data": d })
}

/// A contact edge's data: its event's fields.
fn contact_data(catalog: &dyn Catalog, ev: &Event, mutual: bool, d: &mut Map<String, Value>) {
    d.insert("event".into(), json!(ev.id));
    d.insert("relation".into(), json!(false));
    d.insert("mutual".into(), json!(mutual));
    d.insert("kind".into(), json!(ev.kind()));
    d.insert("certainty".into(), json!(ev.certainty().as_str()));
    if let Some(v) = &ev.quote {
        d.insert("quote".into(), json!(v));
    }
    if let Some(v) = &ev.summary {
        d.insert("summary".into(), json!(v));
    }
    if !ev.carries.is_empty() {
        d.insert("carries".into(), json!(ev.carries));
    }
    if !ev.after.is_empty() {
        d.insert("after".into(), json!(ev.after));
    }
    if !ev.sources.is_empty() {
        d.insert(
            "sources".into(),
            json!(citations_text(catalog, &ev.sources)),
        );
    }
}

/// A relation edge's data: the relation's fields.
fn relation_data(catalog: &dyn Catalog, r: &Relation, d: &mut Map<String, Value>) {
    d.insert("relation".into(), json!(true));
    d.insert("mutual".into(), json!(false));
    if let Some(v) = &r.id {
        d.insert("relation_id".into(), json!(v));
    }
    if let Some(v) = &r.kind {
        d.insert("kind".into(), json!(v));
    }
    if let Some(v) = r.certainty {
        d.insert("certainty".into(), json!(v.as_str()));
    }
    if let Some(v) = &r.label {
        d.insert("label".into(), json!(v));
    }
    if !r.sources.is_empty() {
        d.insert("sources".into(), json!(citations_text(catalog, &r.sources)));
    }
}
