//! The story as a Graphviz DOT graph.
//!
//! The graph is built with graphviz-rust's structures and printed with its
//! printer (a fresh [`PrinterContext`] per print). That printer writes
//! identifiers verbatim, so every string here goes through
//! [`crate::escape::dot_string`] (tooltips and links through
//! [`crate::escape::dot_escstring`], which doubles backslashes once more): node
//! ids are synthetic (`n0`, `n1`, ...), user text only ever appears inside
//! double-quoted strings, never in HTML-like labels, and links are checked to
//! be `http` or `https`. The same story and focus always give the same bytes.

use graphviz_rust::dot_structures::{
    Attribute, Edge, EdgeTy, Graph, GraphAttributes, Id, Node, NodeId, Stmt, Vertex,
};
use graphviz_rust::printer::{DotPrinter, PrinterContext};

use super::plan::{
    on_axis, plan, sizes, EdgeEnd, EdgeKind, EntityMark, NodeKind, PEdge, PNode, Place, Plan, Role,
};
use super::style::FONT;
use super::{Fit, Focus, Look};
use crate::escape::{dot_escstring, dot_string};
use crate::model::Story;

fn qid(text: &str) -> Id {
    Id::Escaped(dot_string(text))
}

fn plain(word: &str) -> Id {
    Id::Plain(word.to_string())
}

/// An attribute; a tooltip or a link through [`dot_escstring`], which
/// Graphviz reads as an `escString` twice (`\N`, `\G`, ... and `\\`).
fn attr(key: &str, value: &str) -> Attribute {
    match key {
        "tooltip" | "URL" | "target" => Attribute(plain(key), Id::Escaped(dot_escstring(value))),
        _ => Attribute(plain(key), qid(value)),
    }
}

fn node_id(id: &str) -> NodeId {
    NodeId(plain(id), None)
}

/// A node's style attributes (never user text), in the order DOT files
/// have always had them.
fn node_style(n: &PNode, fit: Fit, bare: Bare) -> Vec<(&'static str, String)> {
    let p = n.paint();
    let pen = || ("penwidth", fmt_num(p.pen.unwrap_or(1.0)));
    let fill = || ("fillcolor", p.fill.unwrap_or("#ffffff").to_string());
    let font = || ("fontcolor", p.font_color.unwrap_or("#000000").to_string());
    match n.kind {
        NodeKind::Entity { mark, .. } => {
            let mut attrs = vec![("shape", p.shape.to_string())];
            // A weakly reached entity's style was set after its colours.
            let late_style = matches!(mark, EntityMark::Reached { weak: Some(_) });
            if !late_style {
                attrs.push(("style", p.style.clone()));
            }
            attrs.extend([("color", p.color.to_string()), fill()]);
            if late_style {
                attrs.push(("style", p.style.clone()));
            }
            attrs.push(if mark == EntityMark::NotReached {
                font()
            } else {
                pen()
            });
            attrs
        }
        NodeKind::Hub { .. } => vec![
            ("shape", p.shape.to_string()),
            ("style", p.style.clone()),
            fill(),
            ("color", p.color.to_string()),
            font(),
            pen(),
            // Bare lines leave no text at the edges' size: the hub's
            // words are then at the nodes' size, the smallest in the picture.
            (
                "fontsize",
                fmt_num(if bare == Bare::All {
                    sizes(fit).0
                } else {
                    sizes(fit).1
                }),
            ),
            ("margin", "0.05,0.02".into()),
            ("height", "0.3".into()),
        ],
        NodeKind::Axis => vec![("shape", p.shape.to_string()), font()],
    }
}

/// An edge's style attributes (never user text), in the order DOT files
/// have always had them.
fn edge_style(e: &PEdge) -> Vec<(&'static str, String)> {
    let p = e.paint();
    let mut attrs = vec![
        ("style", p.style.to_string()),
        ("color", p.color.to_string()),
    ];
    let pen = p.pen.map(|w| ("penwidth", fmt_num(w)));
    let font = p.font_color.map(|c| ("fontcolor", c.to_string()));
    match e.kind {
        EdgeKind::Contact { role, end, .. } => {
            attrs.extend(pen);
            attrs.extend(font);
            match end {
                EdgeEnd::Arrow => {}
                EdgeEnd::ToHub => attrs.push(("arrowhead", "none".into())),
                EdgeEnd::Mutual => attrs.push(("dir", "none".into())),
            }
            if role == Role::Chain {
                attrs.push(("weight", "4".into()));
            }
        }
        EdgeKind::Relation { backward, free, .. } => {
            attrs.extend(font);
            attrs.extend(pen);
            attrs.extend([
                ("arrowhead", "open".into()),
                ("arrowtail", "open".into()),
                ("arrowsize", "0.5".into()),
                ("weight", "0".into()),
            ]);
            if backward {
                attrs.push(("dir", "back".into()));
            }
            if free {
                attrs.push(("constraint", "false".into()));
            }
        }
    }
    attrs
}

/// A number as DOT writes it: `3`, `1.5`.
fn fmt_num(x: f64) -> String {
    format!("{x}")
}

fn node_stmt(n: &PNode, fit: Fit, bare: Bare) -> Stmt {
    let mut attrs = vec![attr("id", &n.id), attr("label", &n.label.join("\n"))];
    for (k, v) in node_style(n, fit, bare) {
        attrs.push(attr(k, &v));
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

/// An edge's statement; `backward`: written from its head to its tail
/// (to run along time), drawn as before.
fn edge_stmt(e: &PEdge, backward: bool, bare: Bare) -> Stmt {
    let mut attrs = vec![attr("id", &e.id)];
    if !e.label.is_empty() && !bare.drops(e) {
        attrs.push(attr("label", &e.label.join("\n")));
    }
    let mut style = edge_style(e);
    if backward {
        reverse_style(&mut style);
    }
    for (k, v) in &style {
        attrs.push(attr(k, v));
    }
    attrs.push(attr("tooltip", &e.tooltip));
    if let Some(u) = &e.url {
        attrs.push(attr("URL", u));
        attrs.push(attr("target", "_blank"));
    }
    let (from, to) = if backward {
        (&e.to, &e.from)
    } else {
        (&e.from, &e.to)
    };
    Stmt::Edge(plain_edge(from, to, attrs))
}

/// The style of an edge written from its head to its tail: its direction
/// turned round, its arrowhead and arrowtail swapped.
fn reverse_style(attrs: &mut Vec<(&'static str, String)>) {
    let mut dir = "back";
    attrs.retain(|(k, v)| {
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
    for (k, _) in attrs.iter_mut() {
        *k = match *k {
            "arrowhead" => "arrowtail",
            "arrowtail" => "arrowhead",
            other => other,
        };
    }
    attrs.push(("dir", dir.to_string()));
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
    /// Which contacts are drawn as lines alone, their kind and date left to
    /// their tooltips and the time axis: the last layered layouts tried for
    /// a story too wide for its fit with labelled lines.
    pub bare: Bare,
}

/// Which lines of a layout go without their labels.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) enum Bare {
    /// Every line labelled.
    #[default]
    None,
    /// The faded lines off the highlighted chains.
    Context,
    /// Every line.
    All,
}

impl Bare {
    /// Whether edge `e` goes without its label.
    pub(crate) fn drops(self, e: &PEdge) -> bool {
        match self {
            Bare::None => false,
            Bare::All => true,
            Bare::Context => matches!(
                e.kind,
                EdgeKind::Contact {
                    role: Role::Context,
                    ..
                } | EdgeKind::Relation { faded: true, .. }
            ),
        }
    }
}

impl Layout {
    /// The smallest text of a layout of `fit`: the edges' labels, or with
    /// bare lines the nodes' names.
    pub(crate) fn smallest(&self, fit: Fit) -> f64 {
        if self.bare == Bare::All {
            sizes(fit).0
        } else {
            sizes(fit).1
        }
    }

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
        let free = matches!(e.kind, EdgeKind::Relation { free: true, .. });
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

/// The time axis: one marker per band, left to right, and the story's
/// markers between them, joined in time order; returns the bands' markers.
fn axis_line<'p>(plan: &'p Plan, layout: &Layout, stmts: &mut Vec<Stmt>) -> Vec<&'p PNode> {
    let line: Vec<&PNode> = plan.nodes.iter().filter(|n| on_axis(n.place)).collect();
    let axis: Vec<&PNode> = plan
        .nodes
        .iter()
        .filter(|n| matches!(n.place, Place::Axis(_)))
        .collect();
    for n in &line {
        stmts.push(node_stmt(n, plan.look.fit, layout.bare));
    }
    for pair in line.windows(2) {
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
    axis
}

/// Builds the DOT graph of a plan.
pub(crate) fn graph(plan: &Plan, layout: &Layout) -> Graph {
    let (node_size, edge_size) = sizes(plan.look.fit);
    let mut graph_attrs = vec![
        attr("rankdir", if layout.down { "TB" } else { "LR" }),
        attr("newrank", "true"),
        attr("fontname", FONT),
        attr("fontsize", &edge_size.to_string()),
        attr(
            "nodesep",
            match (layout.down, layout.bare) {
                (_, Bare::All) => "0.05",
                (_, Bare::Context) => "0.1",
                (true, Bare::None) => "0.18",
                (false, Bare::None) => "0.22",
            },
        ),
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
    let axis = axis_line(plan, layout, &mut stmts);
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
            stmts.push(node_stmt(n, plan.look.fit, layout.bare));
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
            (Some(a), Some(b)) if a > b => stmts.push(edge_stmt(e, true, layout.bare)),
            _ => stmts.push(edge_stmt(e, false, layout.bare)),
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
