//! GraphML, as networkx, igraph, yEd and Cytoscape desktop read it.
//!
//! Every attribute has a typed `<key>`. Nodes are `n0`, `n1`, ... (GraphML
//! ids are XML name tokens; the entity's id is the `entity` attribute).
//! Each contact is an edge per receiver, a mutual contact one edge per
//! pair with `mutual` true (readers such as networkx refuse undirected
//! edges in a directed graph); relations are edges with `relation` true.
//! Dates are strings: `date_lo` and `date_hi` in RFC 3339 UTC (absent when
//! open), `precision`, and `time`, the expression as written. An entity's
//! holdings are its node's `holdings` (a JSON list: they are not contacts,
//! so not edges), a contact's `after` the events it follows, and the
//! story's markers the graph's `markers` (a JSON list).

use super::parts::{
    holdings_by_entity, holdings_json, markers_json, messages_by_origin, originated_json,
};
use super::{
    contact_attributes, graph_losses, kind_colour, links, relation_attributes, DateColumns,
    ExportFormat, Exported, LossReport, XmlText,
};
use crate::catalog::{Catalog, EntityId};
use crate::model::Holding;

/// The keys, `(for, name, type)`; key ids are `for` and name (`node.kind`).
pub const KEYS: [(&str, &str, &str); 28] = [
    ("node", "entity", "string"),
    ("node", "name", "string"),
    ("node", "kind", "string"),
    ("node", "aliases", "string"),
    ("node", "tags", "string"),
    ("node", "description", "string"),
    ("node", "url", "string"),
    ("node", "colour", "string"),
    ("node", "holdings", "string"),
    ("node", "messages", "string"),
    ("edge", "event", "string"),
    ("edge", "relation", "boolean"),
    ("edge", "mutual", "boolean"),
    ("edge", "kind", "string"),
    ("edge", "certainty", "string"),
    ("edge", "date_lo", "string"),
    ("edge", "date_hi", "string"),
    ("edge", "precision", "string"),
    ("edge", "time", "string"),
    ("edge", "label", "string"),
    ("edge", "quote", "string"),
    ("edge", "summary", "string"),
    ("edge", "carries", "string"),
    ("edge", "sources", "string"),
    ("edge", "relation_id", "string"),
    ("edge", "after", "string"),
    ("graph", "title", "string"),
    ("graph", "markers", "string"),
];

/// Writes the catalogue as GraphML.
pub fn export(catalog: &dyn Catalog) -> Exported {
    let mut loss = LossReport::new(ExportFormat::Graphml);
    let mut x = XmlText::default();
    let mut s = String::new();
    s.push_str("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    s.push_str(
        "<graphml xmlns=\"http://graphml.graphdrawing.org/xmlns\" \
xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\" \
xsi:schemaLocation=\"http://graphml.graphdrawing.org/xmlns http://graphml.graphdrawing.org/xmlns/1.0/graphml.xsd\">\n",
    );
    for (f, name, ty) in KEYS {
        s.push_str(&format!(
            "  <key id=\"{f}.{name}\" for=\"{f}\" attr.name=\"{name}\" attr.type=\"{ty}\"/>\n"
        ));
    }
    s.push_str("  <graph id=\"G\" edgedefault=\"directed\">\n");
    if let Some(t) = catalog.title() {
        data(&mut x, &mut s, "    ", "graph.title", t);
    }
    if let Some(mut m) = markers_json(catalog) {
        x.fix_value(&mut m);
        data(&mut x, &mut s, "    ", "graph.markers", &m.to_string());
    }
    let held = holdings_by_entity(catalog);
    let origins = messages_by_origin(catalog);
    for u in EntityId::all(catalog.entity_count()) {
        node(catalog, (u, held.get(&u), origins.get(&u)), &mut x, &mut s);
    }
    for (i, link) in links(catalog).into_iter().enumerate() {
        let mut atts: Vec<(&str, String)> = Vec::new();
        let time = if let Some(e) = link.event {
            let ev = catalog.event(e);
            atts.push(("event", ev.id.clone()));
            atts.push(("relation", "false".into()));
            atts.push(("mutual", link.mutual.to_string()));
            contact_attributes(catalog, &ev, &mut atts);
            ev.time.clone()
        } else if let Some(r) = link.relation.and_then(|i| catalog.relations().get(i)) {
            atts.push(("relation", "true".into()));
            atts.push(("mutual", "false".into()));
            relation_attributes(catalog, r, &mut atts);
            r.time.clone()
        } else {
            continue;
        };
        let dc = DateColumns::of(time.as_ref());
        for (k, v) in [("date_lo", dc.lo), ("date_hi", dc.hi), ("time", dc.text)] {
            if let Some(v) = v {
                atts.push((k, v));
            }
        }
        if let Some(p) = dc.precision {
            atts.push(("precision", p.to_string()));
        }
        s.push_str(&format!(
            "    <edge id=\"e{i}\" source=\"n{}\" target=\"n{}\">\n",
            link.from, link.to
        ));
        for (k, v) in &atts {
            data(&mut x, &mut s, "      ", &format!("edge.{k}"), v);
        }
        s.push_str("    </edge>\n");
    }
    s.push_str("  </graph>\n</graphml>\n");
    graph_losses(catalog, &mut loss, true);
    x.report(&mut loss);
    Exported::single(s.into_bytes(), loss)
}

/// Writes `<data key="KEY">V</data>` at `indent`.
fn data(x: &mut XmlText, s: &mut String, indent: &str, key: &str, v: &str) {
    s.push_str(&format!(
        "{indent}<data key=\"{key}\">{}</data>\n",
        x.esc(v)
    ));
}

/// Entity `u` as a node, with its holdings and the messages it is the
/// origin of.
fn node(
    catalog: &dyn Catalog,
    (u, held, originated): (EntityId, Option<&Vec<&Holding>>, Option<&Vec<usize>>),
    x: &mut XmlText,
    s: &mut String,
) {
    let e = catalog.entity(u);
    s.push_str(&format!("    <node id=\"n{u}\">\n"));
    let ind = "      ";
    data(x, s, ind, "node.entity", &e.id);
    data(x, s, ind, "node.name", &e.name);
    data(x, s, ind, "node.kind", e.kind().as_str());
    let json = |v: &[String]| serde_json::to_string(v).unwrap_or_default();
    if !e.aliases.is_empty() {
        data(x, s, ind, "node.aliases", &json(&e.aliases));
    }
    if !e.tags.is_empty() {
        data(x, s, ind, "node.tags", &json(&e.tags));
    }
    if let Some(d) = &e.description {
        data(x, s, ind, "node.description", d);
    }
    if let Some(d) = &e.url {
        data(x, s, ind, "node.url", d);
    }
    data(x, s, ind, "node.colour", kind_colour(e.kind()));
    if let Some(mut list) = holdings_json(catalog, held) {
        x.fix_value(&mut list);
        data(x, s, ind, "node.holdings", &list.to_string());
    }
    if let Some(mut list) = originated_json(catalog, originated) {
        x.fix_value(&mut list);
        data(x, s, ind, "node.messages", &list.to_string());
    }
    s.push_str("    </node>\n");
}
