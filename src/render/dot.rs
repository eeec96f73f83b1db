//! The story as a Graphviz DOT graph.
//!
//! The graph is built with graphviz-rust's structures and printed with its
//! printer (a fresh [`PrinterContext`] per print). That printer writes
//! identifiers verbatim, so every string here goes through [`quote`]: node
//! ids are synthetic (`n0`, `n1`, ...), user text only ever appears inside
//! double-quoted strings, never in HTML-like labels, and links are checked to
//! be `http` or `https`. The same story and focus always give the same bytes.

use graphviz_rust::dot_structures::{
    Attribute, Edge, EdgeTy, Graph, GraphAttributes, Id, Node, NodeId, Stmt, Subgraph, Vertex,
};
use graphviz_rust::printer::{DotPrinter, PrinterContext};

use super::plan::{plan, PEdge, PNode, Place, Plan};
use super::style::FONT;
use super::Focus;
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

/// Builds the DOT graph of a plan.
pub(crate) fn graph(plan: &Plan) -> Graph {
    let mut stmts = vec![
        Stmt::GAttribute(GraphAttributes::Graph(vec![
            attr("rankdir", "LR"),
            attr("newrank", "true"),
            attr("fontname", FONT),
            attr("fontsize", "15"),
            attr("label", &plan.caption.join("\n")),
            attr("labelloc", "t"),
            attr("labeljust", "l"),
            attr("nodesep", "0.22"),
            attr("ranksep", "0.35"),
            attr("pad", "0.25"),
            attr("bgcolor", "white"),
            attr("tooltip", &plan.title),
        ])),
        Stmt::GAttribute(GraphAttributes::Node(vec![
            attr("fontname", FONT),
            attr("fontsize", "11"),
            attr("margin", "0.08,0.04"),
            attr("height", "0.4"),
        ])),
        Stmt::GAttribute(GraphAttributes::Edge(vec![
            attr("fontname", FONT),
            attr("fontsize", "9"),
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
                attr("tooltip", "Time runs left to right"),
            ],
        )));
    }
    // Entities and event hubs, each held inside its band by invisible edges
    // from its band's marker and to the next one.
    for n in &plan.nodes {
        if let Place::Main(band) = n.place {
            stmts.push(node_stmt(n));
            if let Some(b) = band {
                if let Some(marker) = axis.get(b) {
                    stmts.push(invisible(&marker.id, &n.id, "0"));
                }
                if let Some(next) = axis.get(b + 1) {
                    stmts.push(invisible(&n.id, &next.id, "1"));
                }
            }
        }
    }
    // Contacts and ties run left to right: one whose sender sits in a later
    // band than its receiver is written the other way round, with its
    // arrowhead kept at its true end, so that it cannot fight the time axis.
    let band = |id: &str| match plan.node(id).map(|n| n.place) {
        Some(Place::Main(b)) => b,
        _ => None,
    };
    for e in plan.edges.iter().filter(|e| !e.legend) {
        match (band(&e.from), band(&e.to)) {
            (Some(a), Some(b)) if a > b => stmts.push(edge_stmt(&reversed(e))),
            _ => stmts.push(edge_stmt(e)),
        }
    }
    // The legend.
    let mut legend: Vec<Stmt> = vec![Stmt::Attribute(attr("label", "Legend"))];
    legend.push(Stmt::Attribute(attr("fontsize", "11")));
    legend.push(Stmt::Attribute(attr("color", "#AAAAAA")));
    legend.push(Stmt::Attribute(attr("style", "rounded")));
    legend.push(Stmt::Attribute(attr("id", "legend")));
    let mut points: Vec<Stmt> = vec![Stmt::Attribute(attr("rank", "same"))];
    let mut words: Vec<Stmt> = vec![Stmt::Attribute(attr("rank", "same"))];
    for n in plan.nodes.iter().filter(|n| n.place == Place::Legend) {
        if n.id.starts_with("la_") {
            points.push(node_stmt(n));
        } else {
            words.push(node_stmt(n));
        }
    }
    for (i, part) in [points, words].into_iter().enumerate() {
        if part.len() > 1 {
            legend.push(Stmt::Subgraph(Subgraph {
                id: plain(&format!("legend_rank{i}")),
                stmts: part,
            }));
        }
    }
    for e in plan.edges.iter().filter(|e| e.legend) {
        legend.push(edge_stmt(e));
    }
    stmts.push(Stmt::Subgraph(Subgraph {
        id: plain("cluster_legend"),
        stmts: legend,
    }));
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
    print(&graph(&plan(story, focus)))
}

/// Prints a graph with a fresh printer context.
pub(crate) fn print(graph: &Graph) -> String {
    let mut ctx = PrinterContext::default();
    let mut text = graph.print(&mut ctx);
    text.push('\n');
    text
}
