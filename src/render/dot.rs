//! The story as a Graphviz DOT graph.
//!
//! The graph is built with graphviz-rust's structures and printed with its
//! printer (a fresh [`PrinterContext`] per print). That printer writes
//! identifiers verbatim, so every string here goes through [`quote`]: node
//! ids are synthetic (`n0`, `n1`, ...), user text only ever appears inside
//! double-quoted strings, never in HTML-like labels, and links are checked to
//! be `http` or `https`. The same story and focus always give the same bytes.

use graphviz_rust::dot_structures::{
    Attribute, Edge, EdgeTy, Graph, GraphAttributes, Id, Node, NodeId, Stmt, Vertex,
};
use graphviz_rust::printer::{DotPrinter, PrinterContext};

use super::plan::{plan, sizes, PEdge, PNode, Place, Plan};
use super::style::FONT;
use super::{Fit, Focus, Look};
use crate::model::Story;

/// Quotes `text` as a DOT double-quoted string.
///
/// `\` becomes `\\`, `"` becomes `\"`, a newline becomes `\n` (a line break
/// in Graphviz labels), a carriage return is dropped, other control
/// characters become spaces, and `&` becomes `&amp;` (Graphviz reads HTML
/// entities in labels, so a literal `&` must be written as one). A string
/// that would end in a backslash gets a trailing space, because Graphviz's
/// lexer reads `\"` as an escaped quote even after another backslash.
///
/// ```
/// use grapevine::render::dot::quote;
/// assert_eq!(quote("say \"hi\"\\\nbye\r"), r#""say \"hi\"\\\nbye""#);
/// assert_eq!(quote("a\\"), r#""a\\ ""#);
/// assert_eq!(quote("R&D"), r#""R&amp;D""#);
/// ```
pub fn quote(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 2);
    out.push('"');
    for c in text.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            '"' => out.push_str("\\\""),
            '\n' => out.push_str("\\n"),
            '\r' => {}
            '&' => out.push_str("&amp;"),
            c if c.is_control() => out.push(' '),
            c => out.push(c),
        }
    }
    if out.ends_with('\\') {
        out.push(' ');
    }
    out.push('"');
    out
}

fn qid(text: &str) -> Id {
    Id::Escaped(quote(text))
}

fn plain(word: &str) -> Id {
    Id::Plain(word.to_string())
}

fn attr(key: &str, value: &str) -> Attribute {
    Attribute(plain(key), qid(value))
}

fn node_id(id: &str) -> NodeId {
    NodeId(plain(id), None)
}

fn node_stmt(n: &PNode) -> Stmt {
    let mut attrs = vec![attr("id", &n.id), attr("label", &n.label.join("\n"))];
    for (k, v) in &n.attrs {
        attrs.push(attr(k, v));
    }
    attrs.push(attr("tooltip", &n.tooltip));
    if let Some(u) = &n.url {
        attrs.push(attr("URL", u));
        attrs.push(attr("target", "_blank"));
    }
    Stmt::Node(Node {
        id: node_id(&n.id),
        attributes: attrs,
    })
}

fn edge_stmt(e: &PEdge) -> Stmt {
    let mut attrs = vec![attr("id", &e.id)];
    if !e.label.is_empty() {
        attrs.push(attr("label", &e.label.join("\n")));
    }
    for (k, v) in &e.attrs {
        attrs.push(attr(k, v));
    }
    attrs.push(attr("tooltip", &e.tooltip));
    if let Some(u) = &e.url {
        attrs.push(attr("URL", u));
        attrs.push(attr("target", "_blank"));
    }
    Stmt::Edge(plain_edge(&e.from, &e.to, attrs))
}

/// The same edge written from its head to its tail, drawn as before.
fn reversed(e: &PEdge) -> PEdge {
    let mut r = e.clone();
    std::mem::swap(&mut r.from, &mut r.to);
    let mut dir = "back";
    r.attrs.retain(|(k, v)| {
        if *k == "dir" {
            dir = match v.as_str() {
                "none" => "none",
                "both" => "both",
                "back" => "forward",
                _ => "back",
            };
            false
        } else {
            true
        }
    });
    for (k, _) in r.attrs.iter_mut() {
        *k = match *k {
            "arrowhead" => "arrowtail",
            "arrowtail" => "arrowhead",
            other => other,
        };
    }
    r.attrs.push(("dir", dir.to_string()));
    r
}

fn plain_edge(from: &str, to: &str, attributes: Vec<Attribute>) -> Edge {
    Edge {
        ty: EdgeTy::Pair(Vertex::N(node_id(from)), Vertex::N(node_id(to))),
        attributes,
    }
}

fn invisible(from: &str, to: &str, minlen: &str) -> Stmt {
    Stmt::Edge(plain_edge(
        from,
        to,
        vec![
            attr("style", "invis"),
            attr("weight", "0"),
            attr("minlen", minlen),
        ],
    ))
}

/// How the graph is laid out, besides the plan.
#[derive(Debug, Clone, Default)]
pub(crate) struct Layout {
    /// Time runs top to bottom (else left to right).
    pub down: bool,
    /// Pairs (a, b): b is held at least one rank after a, to narrow a rank
    /// that is wider than the picture.
    pub pushes: Vec<(String, String)>,
    /// Write the caption as the graph's label (a DOT file read on its own;
    /// an SVG draws the caption around the layout).
    pub caption: bool,
}

impl Layout {
    /// The first layout tried for a fit: left to right, except on a phone.
    pub(crate) fn first(fit: Fit) -> Layout {
        Layout {
            down: fit == Fit::Phone,
            ..Layout::default()
        }
    }
}

/// The nodes a written edge already holds above another node of the same
/// band that is itself held above the next band's marker (directly or so):
/// they need no invisible edge of their own; with `forward` false, the
/// same for being held after the band's own marker. Edges that come back (a
/// reply) are not counted, as Graphviz may turn one of them round.
fn held_by_others(plan: &Plan, forward: bool) -> std::collections::BTreeSet<&str> {
    use std::collections::{BTreeMap, BTreeSet};
    let band = |id: &str| match plan.node(id).map(|n| n.place) {
        Some(Place::Main(b)) => b,
        _ => None,
    };
    let mut next: BTreeMap<&str, Vec<&str>> = BTreeMap::new();
    let mut pairs: BTreeSet<(&str, &str)> = BTreeSet::new();
    for e in &plan.edges {
        let free = e
            .attrs
            .iter()
            .any(|(k, v)| *k == "constraint" && v == "false");
        let (a, b) = (band(&e.from), band(&e.to));
        if free || a.is_none() || a != b {
            continue;
        }
        pairs.insert((e.from.as_str(), e.to.as_str()));
    }
    for &(a, b) in &pairs {
        if !pairs.contains(&(b, a)) && a != b {
            if forward {
                next.entry(a).or_default().push(b);
            } else {
                next.entry(b).or_default().push(a);
            }
        }
    }
    // Sinks are held by their own edge; then, step by step, whoever leads
    // to someone already held.
    let mut anchored: BTreeSet<&str> = plan
        .nodes
        .iter()
        .filter(|n| matches!(n.place, Place::Main(Some(_))))
        .map(|n| n.id.as_str())
        .filter(|id| !next.contains_key(id))
        .collect();
    let mut held: BTreeSet<&str> = BTreeSet::new();
    loop {
        let newly: Vec<&str> = next
            .iter()
            .filter(|(a, bs)| {
                !held.contains(*a)
                    && !anchored.contains(*a)
                    && bs.iter().any(|b| held.contains(b) || anchored.contains(b))
            })
            .map(|(a, _)| *a)
            .collect();
        if newly.is_empty() {
            break;
        }
        held.extend(newly);
    }
    anchored.clear();
    held
}

/// Builds the DOT graph of a plan.
pub(crate) fn graph(plan: &Plan, layout: &Layout) -> Graph {
    let (node_size, edge_size) = sizes(plan.look.fit);
    let mut graph_attrs = vec![
        attr("rankdir", if layout.down { "TB" } else { "LR" }),
        attr("newrank", "true"),
        attr("fontname", FONT),
        attr("fontsize", &edge_size.to_string()),
        attr("nodesep", if layout.down { "0.18" } else { "0.22" }),
        attr("ranksep", if layout.down { "0.3" } else { "0.35" }),
        attr("pad", "0.1"),
        attr("bgcolor", "white"),
        attr("outputorder", "edgesfirst"),
        attr("tooltip", &plan.title),
    ];
    if layout.caption {
        graph_attrs.extend([
            attr("label", &plan.caption().join("\n")),
            attr("labelloc", "t"),
            attr("labeljust", "l"),
        ]);
    }
    let mut stmts = vec![
        Stmt::GAttribute(GraphAttributes::Graph(graph_attrs)),
        Stmt::GAttribute(GraphAttributes::Node(vec![
            attr("fontname", FONT),
            attr("fontsize", &node_size.to_string()),
            attr("margin", "0.06,0.03"),
            attr("height", "0.4"),
        ])),
        Stmt::GAttribute(GraphAttributes::Edge(vec![
            attr("fontname", FONT),
            attr("fontsize", &edge_size.to_string()),
            attr("arrowsize", "0.7"),
        ])),
    ];
    // The time axis: one marker per band, left to right.
    let axis: Vec<&PNode> = plan
        .nodes
        .iter()
        .filter(|n| matches!(n.place, Place::Axis(_)))
        .collect();
    for n in &axis {
        stmts.push(node_stmt(n));
    }
    for pair in axis.windows(2) {
        stmts.push(Stmt::Edge(plain_edge(
            &pair[0].id,
            &pair[1].id,
            vec![
                attr("id", &format!("axis_{}", pair[0].id)),
                attr("color", "#CCCCCC"),
                attr("arrowhead", "normal"),
                attr("penwidth", "1"),
                attr("weight", "20"),
                attr(
                    "tooltip",
                    if layout.down {
                        "Time runs downwards"
                    } else {
                        "Time runs left to right"
                    },
                ),
            ],
        )));
    }
    let band = |id: &str| match plan.node(id).map(|n| n.place) {
        Some(Place::Main(b)) => b,
        _ => None,
    };
    let held = held_by_others(plan, true);
    let held_above = held_by_others(plan, false);
    // Entities and event hubs, each held inside its band by invisible edges
    // from its band's marker and to the next one (unless a contact already
    // holds it above someone of its band who is held there: every such
    // edge passes through every rank below it, and widens each).
    for n in &plan.nodes {
        if let Place::Main(band) = n.place {
            stmts.push(node_stmt(n));
            if let Some(b) = band {
                if let Some(marker) = axis.get(b) {
                    if !held_above.contains(n.id.as_str()) {
                        stmts.push(invisible(&marker.id, &n.id, "0"));
                    }
                }
                if let Some(next) = axis.get(b + 1) {
                    if !held.contains(n.id.as_str()) {
                        stmts.push(invisible(&n.id, &next.id, "1"));
                    }
                }
            }
        }
    }
    // Contacts and ties run along time: one whose sender sits in a later
    // band than its receiver is written the other way round, with its
    // arrowhead kept at its true end, so that it cannot fight the time axis.
    for e in &plan.edges {
        match (band(&e.from), band(&e.to)) {
            (Some(a), Some(b)) if a > b => stmts.push(edge_stmt(&reversed(e))),
            _ => stmts.push(edge_stmt(e)),
        }
    }
    for (a, b) in &layout.pushes {
        stmts.push(invisible(a, b, "1"));
    }
    Graph::DiGraph {
        id: plain("grapevine"),
        strict: false,
        stmts,
    }
}

/// The DOT text of `story` under `focus`.
///
/// Deterministic: the same story and focus give byte-identical text.
///
/// # Example
/// ```
/// use grapevine::render::{to_dot, Focus};
/// let story = grapevine::load_str("s.json", r#"{"format": "grapevine/1",
///   "entities": [{"id": "a", "name": "Alice \"A\"", "kind": "person"},
///                {"id": "b", "name": "Bob", "kind": "organisation"}],
///   "events": [{"id": "e1", "kind": "email", "from": "a", "to": "b", "time": "2016-09-21"}]}"#)
///   .unwrap().story;
/// let dot = to_dot(&story, &Focus::default());
/// assert!(dot.contains(r#"label="Alice \"A\"""#));
/// assert!(dot.contains(r#"label="email\n21 Sep 2016""#));
/// ```
pub fn to_dot(story: &Story, focus: &Focus) -> String {
    dot(story, focus, &Look::default())
}

/// The DOT text of `story` under `focus`, with the labels and direction of
/// `look`'s fit and the caption as the graph's label: what Graphviz lays
/// out. The key, and the cascade a phone's SVG is drawn as, are drawn only
/// in SVG and PNG.
pub fn dot(story: &Story, focus: &Focus, look: &Look) -> String {
    let plan = plan(story, focus, look);
    let layout = Layout {
        caption: true,
        ..Layout::first(look.fit)
    };
    print(&graph(&plan, &layout))
}

/// Prints a graph with a fresh printer context.
pub(crate) fn print(graph: &Graph) -> String {
    let mut ctx = PrinterContext::default();
    let mut text = graph.print(&mut ctx);
    text.push('\n');
    text
}
