//! GEXF 1.3, dynamic, as Gephi, Gephi Lite (graphology-gexf) and networkx
//! read it.
//!
//! Nodes are entities (label the name; kind, aliases, tags, description,
//! url as attributes; the kind's colour as `color` and as the attribute
//! `colour`). The official 1.3 schema wants `color` in the GEXF namespace
//! (its viz schema has none): Gephi and graphology read it there; networkx
//! looks for it only in the viz namespace and reads the attribute. Each contact is an
//! edge per receiver (a mutual contact one `mutual` edge per pair of
//! participants) with a spell over its interval, open ends left open, and
//! its event id, kind, certainty, precision, time expression, quote,
//! summary, carried messages, the events it follows (`after`) and sources
//! as attributes. Relations are edges with `relation` true. The graph's
//! `timezone` is the story's. An entity's holdings (it had a message by
//! some time) are its node's attribute `holdings`, a JSON list, and, where
//! the message has an origin, an edge from the origin to the holder with
//! the attribute `holding` (its id), kind `holding`, `carries` the message
//! and a spell over the holding's time (the engine reads a holding as such
//! a channel; grapevine's own GEXF import reads the holdings from the
//! nodes and skips these edges); the messages it is the origin of (title,
//! text, dates) its attribute `messages`, so that with the edges' spells
//! and `carries` Gephi's timeline replays a message's spread. Markers have no place (GEXF has no graph
//! attributes) and are reported lost.
//!
//! Spells hold instants in UTC (`2016-09-20T04:00:00Z`); the file says
//! `timeformat="date"` because networkx reads no other name for dates (the
//! schema's time type takes dates and date-times alike).

use super::parts::{
    holdings_by_entity, holdings_json, lose_markers, messages_by_origin, originated_json,
};
use super::{
    contact_attributes, graph_losses, kind_colour, links, relation_attributes, rgb, DateColumns,
    EdgeIds, ExportFormat, Exported, Link, LossReport, XmlText,
};
use crate::catalog::{Catalog, EntityId};
use crate::model::{Holding, TimeExpr};

/// The node attributes, `(id, type)`: the id is also the title.
pub const NODE_ATTRIBUTES: [(&str, &str); 8] = [
    ("kind", "string"),
    ("aliases", "string"),
    ("tags", "string"),
    ("description", "string"),
    ("url", "string"),
    ("colour", "string"),
    ("holdings", "string"),
    ("messages", "string"),
];

/// The edge attributes, `(id, type)`.
pub const EDGE_ATTRIBUTES: [(&str, &str); 14] = [
    ("event", "string"),
    ("relation", "boolean"),
    ("kind", "string"),
    ("certainty", "string"),
    ("time", "string"),
    ("precision", "string"),
    ("label", "string"),
    ("quote", "string"),
    ("summary", "string"),
    ("carries", "string"),
    ("sources", "string"),
    ("relation_id", "string"),
    ("after", "string"),
    ("holding", "string"),
];

/// Writes the catalogue as GEXF 1.3.
pub fn export(catalog: &dyn Catalog, summary: Option<&str>) -> Exported {
    let mut loss = LossReport::new(ExportFormat::Gexf);
    let mut x = XmlText::default();
    let mut s = String::new();
    head(catalog, summary, &mut x, &mut s);
    // graphology-gexf (Gephi Lite) takes the graph's type from the first
    // edge and fails on `mutual`: a directed edge goes first. With no
    // directed edge at all the graph is undirected (networkx refuses
    // `undirected` edges in a directed graph, and reads `mutual` as both
    // directions).
    let mut all = links(catalog);
    let directed = all.iter().position(|l| !l.mutual);
    if let Some(i) = directed {
        let first = all.remove(i);
        all.insert(0, first);
    }
    let (default_type, mutual_type) = if directed.is_some() {
        ("directed", "mutual")
    } else {
        ("undirected", "undirected")
    };
    let tz = match catalog.timezone_name() {
        Some(z) => format!(" timezone=\"{}\"", x.esc(z)),
        None => String::new(),
    };
    s.push_str(&format!(
        "  <graph mode=\"dynamic\" defaultedgetype=\"{default_type}\" timeformat=\"date\" timerepresentation=\"interval\"{tz}>\n"
    ));
    for (class, attrs) in [
        ("node", &NODE_ATTRIBUTES[..]),
        ("edge", &EDGE_ATTRIBUTES[..]),
    ] {
        s.push_str(&format!(
            "    <attributes class=\"{class}\" mode=\"static\">\n"
        ));
        for (id, ty) in attrs {
            s.push_str(&format!(
                "      <attribute id=\"{id}\" title=\"{id}\" type=\"{ty}\"/>\n"
            ));
        }
        s.push_str("    </attributes>\n");
    }
    s.push_str("    <nodes>\n");
    let held = holdings_by_entity(catalog);
    let origins = messages_by_origin(catalog);
    for u in EntityId::all(catalog.entity_count()) {
        node(catalog, (u, held.get(&u), origins.get(&u)), &mut x, &mut s);
    }
    s.push_str("    </nodes>\n    <edges>\n");
    let mut ids = EdgeIds::new(catalog, "e");
    for link in all {
        let Some(EdgeText { atts, time, label }) = link_attributes(catalog, &link) else {
            continue;
        };
        let ty = if link.mutual { mutual_type } else { "directed" };
        let (from, to) = (catalog.entity_id(link.from), catalog.entity_id(link.to));
        s.push_str(&format!(
            "      <edge id=\"{}\" source=\"{}\" target=\"{}\" type=\"{ty}\" label=\"{}\">\n        <attvalues>\n",
            ids.next_id(),
            x.esc(from),
            x.esc(to),
            x.esc(&label)
        ));
        edge_body(atts, time.as_ref(), &mut x, &mut s);
    }
    let holding_type = if directed.is_some() {
        "directed"
    } else {
        "undirected"
    };
    for (h, origin) in holding_edges(catalog) {
        let ev = h.as_event(&origin);
        let mut atts: Vec<(&str, String)> =
            vec![("holding", h.id.clone()), ("relation", "false".into())];
        contact_attributes(catalog, &ev, &mut atts);
        s.push_str(&format!(
            "      <edge id=\"{}\" source=\"{}\" target=\"{}\" type=\"{holding_type}\" label=\"held\">\n        <attvalues>\n",
            ids.next_id(),
            x.esc(&origin),
            x.esc(&h.entity),
        ));
        edge_body(atts, h.time.as_ref(), &mut x, &mut s);
    }
    s.push_str("    </edges>\n  </graph>\n</gexf>\n");
    graph_losses(catalog, &mut loss, true);
    lose_markers(catalog, &mut loss);
    x.report(&mut loss);
    Exported::single(s.into_bytes(), loss)
}

/// Each holding whose message has an origin, with that origin: an edge
/// from the origin to the holder over the holding's time, so that Gephi's
/// timeline shows when the holder had the message (as the engine reads a
/// holding: a channel from the origin, [`Holding::as_event`]).
fn holding_edges(catalog: &dyn Catalog) -> Vec<(&Holding, String)> {
    let origins: std::collections::HashMap<String, String> = (0..catalog.message_count())
        .filter_map(|m| {
            let msg = catalog.message(m);
            Some((msg.id.clone(), msg.origin.clone()?))
        })
        .collect();
    catalog
        .holdings()
        .iter()
        .filter_map(|h| {
            let origin = origins.get(&h.message)?;
            (origin != &h.entity && catalog.entity_number(origin).is_some())
                .then(|| (h, origin.clone()))
        })
        .collect()
}

/// The XML declaration, the `gexf` element and its `meta`.
fn head(catalog: &dyn Catalog, summary: Option<&str>, x: &mut XmlText, s: &mut String) {
    s.push_str("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    s.push_str(
        "<gexf xmlns=\"http://gexf.net/1.3\" \
xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\" \
xsi:schemaLocation=\"http://gexf.net/1.3 http://gexf.net/1.3/gexf.xsd\" version=\"1.3\">\n",
    );
    s.push_str("  <meta>\n    <creator>grapevine</creator>\n");
    // GEXF's meta has no title: the description holds the title, a blank
    // line and the summary.
    let about: Vec<&str> = catalog.title().into_iter().chain(summary).collect();
    if !about.is_empty() {
        s.push_str(&format!(
            "    <description>{}</description>\n",
            x.esc(&about.join("\n\n"))
        ));
    }
    s.push_str("  </meta>\n");
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
    let colour = kind_colour(e.kind());
    s.push_str(&format!(
        "      <node id=\"{}\" label=\"{}\">\n        <attvalues>\n",
        x.esc(&e.id),
        x.esc(&e.name)
    ));
    // List items lose what XML cannot hold, as every other text does.
    let json = |x: &mut XmlText, v: &[String]| {
        let fixed: Vec<String> = v.iter().map(|s| x.fix(s)).collect();
        serde_json::to_string(&fixed).unwrap_or_default()
    };
    let aliases = json(x, &e.aliases);
    let tags = json(x, &e.tags);
    let holdings = holdings_json(catalog, held).map(|mut list| {
        x.fix_value(&mut list);
        list.to_string()
    });
    let messages = originated_json(catalog, originated).map(|mut list| {
        x.fix_value(&mut list);
        list.to_string()
    });
    let mut att = |s: &mut String, key: &str, v: Option<&str>| {
        if let Some(v) = v {
            s.push_str(&format!(
                "          <attvalue for=\"{key}\" value=\"{}\"/>\n",
                x.esc(v)
            ));
        }
    };
    att(s, "kind", Some(e.kind().as_str()));
    if !e.aliases.is_empty() {
        att(s, "aliases", Some(&aliases));
    }
    if !e.tags.is_empty() {
        att(s, "tags", Some(&tags));
    }
    att(s, "description", e.description.as_deref());
    att(s, "url", e.url.as_deref());
    att(s, "colour", Some(colour));
    att(s, "holdings", holdings.as_deref());
    att(s, "messages", messages.as_deref());
    let (r, g, b) = rgb(colour);
    s.push_str(&format!(
        "        </attvalues>\n        <color r=\"{r}\" g=\"{g}\" b=\"{b}\"/>\n      </node>\n"
    ));
}

/// What an edge writes: its attributes, time and label.
struct EdgeText {
    atts: Vec<(&'static str, String)>,
    time: Option<TimeExpr>,
    label: String,
}

/// A link's attributes, time and label: its event's, or its relation's
/// (none for a link with neither).
fn link_attributes(catalog: &dyn Catalog, link: &Link) -> Option<EdgeText> {
    let mut atts: Vec<(&str, String)> = Vec::new();
    let (time, label) = if let Some(e) = link.event {
        let ev = catalog.event(e);
        atts.push(("event", ev.id.clone()));
        atts.push(("relation", "false".into()));
        contact_attributes(catalog, &ev, &mut atts);
        (ev.time.clone(), ev.kind().to_string())
    } else if let Some(r) = link.relation.and_then(|i| catalog.relations().get(i)) {
        atts.push(("relation", "true".into()));
        relation_attributes(catalog, r, &mut atts);
        (
            r.time.clone(),
            r.label
                .clone()
                .or_else(|| r.kind.clone())
                .unwrap_or_default(),
        )
    } else {
        return None;
    };
    Some(EdgeText { atts, time, label })
}

/// An edge's attribute values (with its time and precision) and its spell,
/// and the edge's end.
fn edge_body(
    mut atts: Vec<(&str, String)>,
    time: Option<&TimeExpr>,
    x: &mut XmlText,
    s: &mut String,
) {
    let dc = DateColumns::of(time);
    if let Some(t) = &dc.text {
        atts.push(("time", t.clone()));
    }
    if let Some(p) = dc.precision {
        atts.push(("precision", p.to_string()));
    }
    for (k, v) in &atts {
        s.push_str(&format!(
            "          <attvalue for=\"{k}\" value=\"{}\"/>\n",
            x.esc(v)
        ));
    }
    s.push_str("        </attvalues>\n");
    if dc.lo.is_some() || dc.hi.is_some() {
        s.push_str("        <spells>\n          <spell");
        if let Some(lo) = &dc.lo {
            s.push_str(&format!(" start=\"{lo}\""));
        }
        if let Some(hi) = &dc.hi {
            s.push_str(&format!(" end=\"{hi}\""));
        }
        s.push_str("/>\n        </spells>\n");
    }
    s.push_str("      </edge>\n");
}
