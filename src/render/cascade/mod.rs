//! The cascade: a layout for narrow pictures that Graphviz's layered layout
//! would spread wider than the page (branches side by side shrink text to a
//! few pixels on a phone). One row per entity, time running downwards: the
//! rows in time bands, each band under a date rule (the time axis); each
//! entity indented under the one it got it from, joined by an elbow line in
//! that contact's line style, with the contact's kind and date beside it;
//! every other contact an arc on the right, named on the row it points at.
//! Drawn at scale 1, so its text keeps the fit's sizes at any story size.

use std::collections::{BTreeMap, BTreeSet};

use super::measure::{text_width, wrap_px};
use super::plan::{sizes, EdgeKind, NodeKind, PEdge, PNode, Place, Plan};
use super::prim::Drawing;

mod lanes;
mod shape;
mod tree;
use crate::escape;
use lanes::lanes;
use lanes::LANE;
use shape::{arrowhead, fit_name, indent_step, outline, right_edge, widest_word};
use tree::{children_of, elbows, parents};

/// A rule across the cascade: its y, its lines, and whether it is a
/// story's marker (else a band's date).
type Rule = (f64, Vec<String>, bool);

/// One row.
pub(super) struct Row<'p> {
    node: &'p PNode,
    x: f64,
    y: f64,
    w: f64,
    h: f64,
    lines: Vec<String>,
    /// Text beside the node: (line, colour, edge id).
    side: Vec<(String, String, String)>,
    side_y: f64,
    /// Where the side text starts.
    side_x: f64,
}

fn dash(style: &str) -> &'static str {
    if style.contains("dashed") {
        " stroke-dasharray=\"6,3\""
    } else if style.contains("dotted") {
        " stroke-dasharray=\"1.5,3\" stroke-linecap=\"round\""
    } else {
        ""
    }
}

/// The edges, those that carry the picture first: a reach's chains, then
/// contacts, then faded contacts and standing ties (a stable order).
fn by_weight(plan: &Plan) -> Vec<&PEdge> {
    let weight = |e: &PEdge| {
        let colour = e.paint().color;
        if colour == "#000000" {
            0
        } else if colour == super::style::FADED_LINE || matches!(e.kind, EdgeKind::Relation { .. })
        {
            2
        } else {
            1
        }
    };
    let mut edges: Vec<&PEdge> = plan.edges.iter().collect();
    edges.sort_by_key(|e| weight(e));
    edges
}

/// Where an elbow line leaves a row's node `dx` right of its left: on its
/// bottom outline.
pub(super) fn foot(r: &Row, dx: f64) -> (f64, f64) {
    let x = r.x + dx.min(r.w / 2.0);
    let y = if r.node.paint().shape == "ellipse" {
        let (rx, ry) = (r.w / 2.0, r.h / 2.0);
        let dx = (x - (r.x + rx)) / rx;
        r.y + ry + ry * (1.0 - dx * dx).max(0.0).sqrt()
    } else {
        r.y + r.h
    };
    (x, y)
}

/// The order of the rows: by band, and inside a band parents before their
/// children (a walk along the edges from the nodes nobody points at, in the
/// plan's order).
fn order(plan: &Plan) -> Vec<&PNode> {
    let main: Vec<&PNode> = plan
        .nodes
        .iter()
        .filter(|n| matches!(n.place, Place::Main(_)))
        .collect();
    let mut out_edges: BTreeMap<&str, Vec<&str>> = BTreeMap::new();
    let mut has_in: BTreeSet<&str> = BTreeSet::new();
    for e in by_weight(plan) {
        out_edges
            .entry(e.from.as_str())
            .or_default()
            .push(e.to.as_str());
        has_in.insert(e.to.as_str());
    }
    let mut seen: BTreeSet<&str> = BTreeSet::new();
    let mut walk: Vec<&str> = Vec::new();
    let roots = main
        .iter()
        .filter(|n| !has_in.contains(n.id.as_str()))
        .chain(main.iter());
    for root in roots {
        let mut stack = vec![root.id.as_str()];
        while let Some(id) = stack.pop() {
            if !seen.insert(id) {
                continue;
            }
            walk.push(id);
            if let Some(next) = out_edges.get(id) {
                for n in next.iter().rev() {
                    if !seen.contains(n) {
                        stack.push(n);
                    }
                }
            }
        }
    }
    let rank: BTreeMap<&str, usize> = walk.iter().enumerate().map(|(i, id)| (*id, i)).collect();
    let mut rows = main;
    rows.sort_by_key(|n| {
        let band = match n.place {
            Place::Main(Some(b)) => b,
            _ => usize::MAX,
        };
        (band, rank.get(n.id.as_str()).copied().unwrap_or(usize::MAX))
    });
    rows
}

/// Lays `plan` out as a cascade `width` pixels wide; and whether every arc
/// off the tree got a lane of its own at least [`lanes::LANE_MIN`] from its
/// neighbours (when not, the lanes are squeezed against the right edge,
/// and a reader cannot tell them apart).
///
/// The elbows from one row to its children get room to run apart (a wider
/// indentation); when that leaves the arcs no lanes of their own, the
/// cascade is laid out again with the plain indentation.
pub(crate) fn cascade(plan: &Plan, width: f64) -> (Drawing, bool) {
    let roomy = lay_out(plan, width, true);
    if roomy.1 {
        return roomy;
    }
    lay_out(plan, width, false)
}

/// [`cascade`] with the wider indentation (`roomy`) or the plain one.
fn lay_out(plan: &Plan, width: f64, roomy: bool) -> (Drawing, bool) {
    let c = Cascade::new(plan, width, roomy);
    let side = c.side_texts();
    let (rows, rules, height) = c.rows(&side);
    let ends: Vec<f64> = rows.iter().map(|r| c.text_end(r)).collect();
    // Edges first, nodes over them; the faded first, the chains on top.
    let edges: Vec<&PEdge> = by_weight(plan).into_iter().rev().collect();
    let spans: Vec<Option<(usize, usize)>> = edges
        .iter()
        .map(|e| {
            let a = *c.row_of.get(e.from.as_str())?;
            let b = *c.row_of.get(e.to.as_str())?;
            (a != b && !c.tree.contains_key(e.id.as_str())).then(|| (a.min(b), a.max(b)))
        })
        .collect();
    let (lanes, legible) = lanes(&spans, &ends, width);
    let mut body = String::new();
    // Each arc's own height on the rows at its ends, so that no two share
    // a stretch of line.
    let mut used: Vec<usize> = vec![0; rows.len()];
    for ((e, span), lane) in edges.iter().zip(&spans).zip(&lanes) {
        let (Some(&a), Some(&b)) = (c.row_of.get(e.from.as_str()), c.row_of.get(e.to.as_str()))
        else {
            continue;
        };
        if a == b {
            continue;
        }
        let arc = span.map(|(up, down)| {
            let mut at = |row: usize| {
                used[row] += 1;
                let r = &rows[row];
                r.y + r.h * used[row] as f64 / (c.arc_ends[row] + 1) as f64
            };
            let ys = (at(up), at(down));
            Arc { x: *lane, ys }
        });
        body.push_str(&c.edge(e, (&rows[a], &rows[b]), b > a, arc.as_ref()));
    }
    body.push_str(&c.axis(&rules));
    for r in &rows {
        body.push_str(&c.node(r));
        body.push_str(&c.side_labels(r));
    }
    let drawing = Drawing {
        body,
        width,
        height,
    };
    (drawing, legible)
}

/// Texts beside a row: (the label's lines, joined when they fit on one
/// line), colour, edge id.
type Side = (Vec<String>, String, String);

/// Where an arc off the tree runs: its lane, and the
/// heights at which it leaves its upper row's node and reaches its lower's.
pub(super) struct Arc {
    /// Where its vertical run is.
    x: f64,
    ys: (f64, f64),
}

/// A cascade being laid out: its rows in order, their tree and sizes.
struct Cascade<'p> {
    plan: &'p Plan,
    width: f64,
    /// Text size of entities, and of hubs, labels and rules.
    size: f64,
    small: f64,
    small_h: f64,
    nodes: Vec<&'p PNode>,
    row_of: BTreeMap<&'p str, usize>,
    /// The contacts that join a row to its parent, each with how far right
    /// of the parent's left its elbow runs down.
    tree: BTreeMap<&'p str, f64>,
    /// How many arcs end at each row.
    arc_ends: Vec<usize>,
    /// Each row's indentation level.
    depth: Vec<usize>,
    /// Room on the right for the arcs of contacts off the tree.
    arc_room: f64,
    /// Indentation per level.
    step: f64,
}

/// The share of the picture's width a single word may take before it is
/// broken inside.
const WORD_MOST: f64 = 0.6;

/// Space inside a node around its text.
const PAD: f64 = 6.0;
/// Indentation per level, at most (deep trees get less, so that the
/// deepest row keeps most of the width).
pub(super) const INDENT_STEP: f64 = 24.0;

impl<'p> Cascade<'p> {
    /// The cascade's rows and tree; `roomy`: elbows from one row to its
    /// children [`shape::ELBOW_GAP`] apart (a wider indentation).
    fn new(plan: &'p Plan, width: f64, roomy: bool) -> Cascade<'p> {
        let (size, small) = sizes(plan.look.fit);
        let nodes = order(plan);
        let row_of: BTreeMap<&str, usize> = nodes
            .iter()
            .enumerate()
            .map(|(i, n)| (n.id.as_str(), i))
            .collect();
        let parent = parents(plan, &row_of);
        let mut depth: Vec<usize> = vec![0; nodes.len()];
        for i in 0..nodes.len() {
            if let Some(&(p, _)) = parent.get(&i) {
                depth[i] = depth[p] + 1;
            }
        }
        let children: Vec<(usize, usize)> = if roomy {
            children_of(&parent)
                .iter()
                .map(|(&p, kids)| (depth[p], kids.len()))
                .collect()
        } else {
            Vec::new()
        };
        let step = indent_step(&depth, &children, width);
        let tree = elbows(&parent, &depth, step);
        let mut arc_ends = vec![0; nodes.len()];
        // How many arcs run past each row (their lanes side by side).
        let mut over = vec![0i64; nodes.len() + 1];
        for e in &plan.edges {
            let ends = (row_of.get(e.from.as_str()), row_of.get(e.to.as_str()));
            if let (Some(&a), Some(&b)) = ends {
                if a != b && !tree.contains_key(e.id.as_str()) {
                    arc_ends[a] += 1;
                    arc_ends[b] += 1;
                    over[a.min(b)] += 1;
                    over[a.max(b) + 1] -= 1;
                }
            }
        }
        let deepest = over
            .iter()
            .scan(0i64, |n, d| {
                *n += d;
                Some(*n)
            })
            .max()
            .unwrap_or(0);
        // Room for every lane, up to a third of the width.
        let arc_room = if deepest > 0 {
            (deepest as f64 * LANE + 14.0).clamp(30.0, width / 3.0)
        } else {
            0.0
        };
        Cascade {
            plan,
            width,
            size,
            small,
            small_h: small * 1.25,
            nodes,
            row_of,
            tree,
            arc_ends,
            step,
            depth,
            arc_room,
        }
    }

    /// Texts beside each row: its parent contact's label, then the other
    /// contacts that point at it.
    fn side_texts(&self) -> Vec<Vec<Side>> {
        let mut side: Vec<Vec<Side>> = vec![Vec::new(); self.nodes.len()];
        for e in &self.plan.edges {
            let (Some(&a), Some(&b)) = (
                self.row_of.get(e.from.as_str()),
                self.row_of.get(e.to.as_str()),
            ) else {
                continue;
            };
            let colour = e.paint().font_color.unwrap_or("#222222").to_string();
            if e.raw.is_empty() {
                continue;
            }
            if self.tree.contains_key(e.id.as_str()) {
                let row = a.max(b);
                side[row].insert(0, (e.raw.clone(), colour, e.id.clone()));
            } else {
                let other = if b > a { a } else { b };
                let row = a.max(b);
                let name = &self.nodes[other].short;
                let arrow = if row == b { "from" } else { "to" };
                let mut lines = e.raw.clone();
                if let Some(first) = lines.first_mut() {
                    *first = format!("{arrow} {name}: {first}");
                }
                side[row].push((lines, colour, e.id.clone()));
            }
        }
        side
    }

    /// The rows, with the band's date rule above the first row of each band
    /// and the story's markers' rules at their band or between two:
    /// (rows, rules, height).
    fn rows(&self, side: &[Vec<Side>]) -> (Vec<Row<'p>>, Vec<Rule>, f64) {
        let mut rows: Vec<Row> = Vec::new();
        let mut rules: Vec<Rule> = Vec::new();
        let mut y = 0.0;
        let mut band_seen: Option<Option<usize>> = None;
        for (i, n) in self.nodes.iter().enumerate() {
            let band = match n.place {
                Place::Main(b) => b,
                _ => None,
            };
            if band_seen != Some(band) {
                if let Some(Some(left)) = band_seen {
                    for m in self.plan.marks_after(left) {
                        y = self.mark_rule(&mut rules, y + 4.0, &m.words());
                    }
                }
                band_seen = Some(band);
                let bands = &self.plan.bands;
                let label = band
                    .and_then(|b| bands.get(b))
                    .cloned()
                    .or_else(|| bands.last().filter(|l| *l == "date unknown").cloned());
                if let Some(label) = label {
                    y += if i == 0 { 2.0 } else { 10.0 };
                    rules.push((y, vec![label], false));
                    y += self.small_h + 6.0;
                }
                for m in band.iter().flat_map(|&b| self.plan.marks_on(b)) {
                    y = self.mark_rule(&mut rules, y, &m.words()) + 4.0;
                }
            }
            let (row, row_h) = self.row(i, y, &side[i]);
            rows.push(row);
            y += row_h + 8.0;
        }
        (rows, rules, y + 2.0)
    }

    /// Row `i` at `y`, with its side texts; and its height.
    fn row(&self, i: usize, y: f64, side: &[Side]) -> (Row<'p>, f64) {
        let (width, arc_room) = (self.width, self.arc_room);
        let n = self.nodes[i];
        let depth = self.depth[i];
        let x = depth as f64 * self.step + if depth > 0 { 8.0 } else { 0.0 };
        let room = (width - x - arc_room - 2.0 * PAD).max(60.0);
        // A row with words beside its node leaves them half the room.
        let node_room = if side.is_empty() {
            room
        } else {
            (room * 0.5).max(60.0)
        };
        let (lines, w, h) = self.node_box(n, node_room);
        // The side text: beside the node when there is room, else under it.
        let side_x_room = width - (x + w + 8.0) - arc_room;
        // Arcs leave a node on its right: its words go under it then.
        let beside = side_x_room >= 110.0 && self.arc_ends[i] == 0;
        // Under the node, clear of the elbows that run down from it.
        let under_x = x + self.elbow_room(depth) + 4.0;
        let side_x = if beside { x + w + 8.0 } else { under_x };
        let side_room = width - side_x - arc_room;
        let side_lines = self.side_lines(side, side_room);
        let side_h = side_lines.len() as f64 * self.small_h;
        let row_h = if beside {
            h.max(side_h)
        } else {
            h + side_h + 2.0
        };
        let side_y = if beside {
            y + (row_h - side_h) / 2.0
        } else {
            y + h + 2.0
        };
        let row = Row {
            node: n,
            x,
            y: y + if beside { (row_h - h) / 2.0 } else { 0.0 },
            w,
            h,
            lines,
            side: side_lines,
            side_y,
            side_x,
        };
        (row, row_h)
    }

    /// How far right of a node at `depth` its children start: the room of
    /// the elbows running down to them.
    fn elbow_room(&self, depth: usize) -> f64 {
        self.step + if depth == 0 { 8.0 } else { 0.0 }
    }

    /// A node's text size: hubs are small.
    fn font_size(&self, n: &PNode) -> f64 {
        if matches!(n.kind, NodeKind::Hub { .. }) {
            self.small
        } else {
            self.size
        }
    }

    /// A node's lines wrapped to `room`, and its width and height.
    fn node_box(&self, n: &PNode, room: f64) -> (Vec<String>, f64, f64) {
        let fsize = self.font_size(n);
        // The name as one line again (the plan wrapped it for Graphviz),
        // then wrapped to this row.
        // The text's room inside the shape, so the shape fits in `room`.
        let shape = n.paint().shape;
        let text_room = match shape {
            "ellipse" => room / 1.25 - 2.0 * PAD,
            "hexagon" | "octagon" => room - 2.0 * PAD - 24.0,
            _ => room - 2.0 * PAD,
        }
        .max(48.0)
        // Never so narrow that a word must break, unless the word alone
        // would take more than [`WORD_MOST`] of the width (it then breaks
        // where it must, leaving the arcs their lanes).
        .max(widest_word(n, fsize).min(self.width * WORD_MOST));
        let (mut lines, rest) = match &n.name {
            Some(name) => {
                let k = n.name_lines.min(n.label.len());
                (
                    fit_name(name, text_room, self.width - 2.0 * PAD, fsize),
                    &n.label[k..],
                )
            }
            None => (Vec::new(), &n.label[..]),
        };
        lines.extend(
            rest.iter()
                .flat_map(|l| wrap_px(l, text_room, fsize, false)),
        );
        let tw = lines
            .iter()
            .map(|l| text_width(l, fsize, false))
            .fold(0.0, f64::max);
        let th = lines.len() as f64 * fsize * 1.25;
        // An ellipse big enough that the text's corners stay inside it.
        let (w, h) = match shape {
            "ellipse" => ((tw + 2.0 * PAD) * 1.25, (th + 2.0 * PAD) * 1.35),
            "hexagon" | "octagon" => (tw + 2.0 * PAD + 24.0, th + 2.0 * PAD),
            _ => (tw + 2.0 * PAD, th + 2.0 * PAD),
        };
        (lines, w, h)
    }

    /// A row's side texts wrapped to `room`: (line, colour, edge id).
    fn side_lines(&self, side: &[Side], room: f64) -> Vec<(String, String, String)> {
        let small = self.small;
        let mut out = Vec::new();
        for (parts, colour, id) in side {
            // One line when it fits, else a line per part (kind, date).
            let joined = parts.join(" · ");
            let pieces = if text_width(&joined, small, false) <= room {
                vec![joined]
            } else {
                parts.clone()
            };
            for piece in pieces {
                for l in wrap_px(&piece, room, small, false) {
                    out.push((l, colour.clone(), id.clone()));
                }
            }
        }
        out
    }

    /// Where a row's text ends on the right (arcs start there).
    fn text_end(&self, r: &Row) -> f64 {
        let sx = r.side_x;
        let side = r
            .side
            .iter()
            .map(|(l, _, _)| sx + text_width(l, self.small, false))
            .fold(0.0, f64::max);
        (r.x + r.w).max(side) + 4.0
    }

    /// A contact's line: an elbow from its parent row, or an arc in the
    /// gutter; its arrowhead at the receiver's end.
    fn edge(&self, e: &PEdge, rows: (&Row, &Row), head_at_down: bool, arc: Option<&Arc>) -> String {
        let (ra, rb) = rows;
        let paint = e.paint();
        let colour = paint.color;
        let pen = paint.pen.unwrap_or(1.2);
        let (up, down) = if head_at_down { (ra, rb) } else { (rb, ra) };
        let dx = self.tree.get(e.id.as_str()).copied().unwrap_or(12.0);
        let path = match arc {
            None => {
                let (x0, y0) = foot(up, dx);
                let ym = down.y + down.h / 2.0;
                format!("M{x0:.1},{y0:.1} L{x0:.1},{ym:.1} L{:.1},{ym:.1}", down.x)
            }
            Some(arc) => {
                let (ax, (y0, y1)) = (arc.x, arc.ys);
                let (x0, x1) = (right_edge(up, y0), right_edge(down, y1));
                // Out of the node along its own row to its lane, down the
                // lane, and back into the other node, with rounded corners.
                let r = ((y1 - y0) / 2.0).clamp(0.0, 6.0).min(ax - x0.max(x1));
                format!(
                    "M{x0:.1},{y0:.1} L{:.1},{y0:.1} Q{ax:.1},{y0:.1} {ax:.1},{:.1} L{ax:.1},{:.1} Q{ax:.1},{y1:.1} {:.1},{y1:.1} L{x1:.1},{y1:.1}",
                    ax - r,
                    y0 + r,
                    y1 - r,
                    ax - r
                )
            }
        };
        let markers = if e.headless() {
            String::new()
        } else {
            arrowhead((up, down), (head_at_down, dx), arc, colour)
        };
        let mut body = String::new();
        body.push_str(&format!(
            "<g id=\"{}\" class=\"edge\"{}><title>{}</title><a xlink:title=\"{}\"{}><path d=\"{path}\" fill=\"none\" stroke=\"{colour}\" stroke-width=\"{pen}\"{}/>{markers}</a></g>\n",
            escape::svg(&e.id),
            self.plan.edge_data(e),
            escape::svg(&e.title),
            escape::svg(&e.tooltip),
            e.url
                .as_deref()
                .map(|u| format!(" xlink:href=\"{}\" target=\"_blank\"", escape::svg(u)))
                .unwrap_or_default(),
            dash(paint.style)
        ));
        body
    }

    /// A marker's rule at `y`, its words wrapped at spaces; the y under it.
    fn mark_rule(&self, rules: &mut Vec<Rule>, y: f64, words: &str) -> f64 {
        let lines = super::measure::wrap_words(words, self.width - 40.0, self.small);
        let h = lines.len() as f64 * self.small_h;
        rules.push((y, lines, true));
        y + h + 6.0
    }

    /// The time axis: a rule per band, and per marker (in its colour, the
    /// line dashed).
    fn axis(&self, rules: &[Rule]) -> String {
        let (small, width) = (self.small, self.width);
        let mut body = String::from("<g class=\"grapevine-axis\">\n");
        for (ry, lines, marker) in rules {
            if *marker {
                body.push_str(&self.marker_rule(*ry, lines));
                continue;
            }
            let Some(label) = lines.first() else { continue };
            let tw = text_width(label, small, true);
            body.push_str(&format!(
                "<g><title>Time: {}</title><rect x=\"0\" y=\"{:.1}\" width=\"{:.1}\" height=\"{:.1}\" fill=\"#ffffff\"/><text x=\"0\" y=\"{:.1}\" font-size=\"{small}px\" font-weight=\"bold\" fill=\"#444444\" stroke=\"#ffffff\" stroke-width=\"4\" stroke-linejoin=\"round\" paint-order=\"stroke\">{}</text>\
                 <line x1=\"{:.1}\" y1=\"{:.1}\" x2=\"{width:.1}\" y2=\"{:.1}\" stroke=\"#CCCCCC\"/></g>\n",
                escape::svg(label),
                ry - 1.0,
                tw + 4.0,
                small * 1.3,
                ry + small,
                escape::svg(label),
                tw + 6.0,
                ry + small * 0.65,
                ry + small * 0.65
            ));
        }
        body.push_str("</g>\n");
        body
    }

    /// A story marker's rule: its words in the markers' colour, a dashed
    /// line across from the end of its first line.
    fn marker_rule(&self, ry: f64, lines: &[String]) -> String {
        let (small, width) = (self.small, self.width);
        let Some(first) = lines.first() else {
            return String::new();
        };
        let mut s = format!(
            "<g class=\"grapevine-marker\"><title>Marker: {}</title>",
            escape::svg(&lines.join(" "))
        );
        for (k, l) in lines.iter().enumerate() {
            s.push_str(&format!(
                "<text x=\"0\" y=\"{:.1}\" font-size=\"{small}px\" fill=\"#882255\" stroke=\"#ffffff\" stroke-width=\"4\" stroke-linejoin=\"round\" paint-order=\"stroke\">{}</text>",
                ry + small + k as f64 * self.small_h,
                escape::svg(l)
            ));
        }
        let x = text_width(first, small, false) + 6.0;
        s.push_str(&format!(
            "<line x1=\"{x:.1}\" y1=\"{y:.1}\" x2=\"{width:.1}\" y2=\"{y:.1}\" stroke=\"#AA3377\" stroke-width=\"1.2\" stroke-dasharray=\"5,3\"/></g>\n",
            y = ry + small * 0.65
        ));
        s
    }

    /// A row's node: its outline and its lines.
    fn node(&self, r: &Row) -> String {
        let n = r.node;
        let p = n.paint();
        let fill = match p.fill {
            Some(fill) if p.style.contains("filled") => fill,
            _ => "#ffffff",
        };
        let paint = format!(
            "fill=\"{fill}\" stroke=\"{}\" stroke-width=\"{}\"{}",
            p.color,
            p.pen.unwrap_or(1.0),
            dash(&p.style)
        );
        let outline = outline(p.shape, &p.style, r, &paint);
        let (x, y, w, h) = (r.x, r.y, r.w, r.h);
        let fsize = self.font_size(n);
        let fcolour = p.font_color.unwrap_or("#111111");
        let mut texts = String::new();
        for (k, l) in r.lines.iter().enumerate() {
            texts.push_str(&format!(
                "<text text-anchor=\"middle\" x=\"{:.1}\" y=\"{:.1}\" font-size=\"{fsize}px\" fill=\"{fcolour}\">{}</text>",
                x + w / 2.0,
                y + (h - r.lines.len() as f64 * fsize * 1.25) / 2.0
                    + fsize * (1.25 * k as f64 + 0.95),
                escape::svg(l)
            ));
        }
        format!(
            "<g id=\"{}\" class=\"node\"{}><title>{}</title><a xlink:title=\"{}\"{}>{outline}{texts}</a></g>\n",
            escape::svg(&n.id),
            self.plan.node_data(&n.id),
            escape::svg(&n.title),
            escape::svg(&n.tooltip),
            n.url
                .as_deref()
                .map(|u| format!(" xlink:href=\"{}\" target=\"_blank\"", escape::svg(u)))
                .unwrap_or_default()
        )
    }

    /// The side texts of a row, each titled with its contact's sentence.
    fn side_labels(&self, r: &Row) -> String {
        let small = self.small;
        let plan = self.plan;
        let mut body = String::new();
        let sx = r.side_x;
        for (k, (l, colour, id)) in r.side.iter().enumerate() {
            let title = plan
                .edges
                .iter()
                .find(|e| &e.id == id)
                .map(|e| e.title.as_str())
                .unwrap_or("");
            body.push_str(&format!(
                "<g class=\"edge-label\"><title>{}</title><text x=\"{sx:.1}\" y=\"{:.1}\" font-size=\"{small}px\" fill=\"{}\">{}</text></g>\n",
                escape::svg(title),
                r.side_y + small * (1.25 * k as f64 + 0.95),
                escape::svg(colour),
                escape::svg(l)
            ));
        }
        body
    }
}
