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
use super::plan::{sizes, wrap_label, EdgeKind, PEdge, PNode, Place, Plan};
use super::prim::Drawing;
use crate::escape;

/// One row.
struct Row<'p> {
    node: &'p PNode,
    x: f64,
    y: f64,
    w: f64,
    h: f64,
    lines: Vec<String>,
    /// Text beside the node: (line, colour, edge id).
    side: Vec<(String, String, String)>,
    side_y: f64,
    /// The side text is beside the node (else under it).
    beside: bool,
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

/// Where the elbow line from a row leaves its node: near its left, on its
/// bottom outline.
fn foot(r: &Row) -> (f64, f64) {
    let x = r.x + 12.0_f64.min(r.w / 2.0);
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

/// Lays `plan` out as a cascade `width` pixels wide.
pub(crate) fn cascade(plan: &Plan, width: f64) -> Drawing {
    let (size, small) = sizes(plan.look.fit);
    let small_h = small * 1.25;
    let pad = 6.0;
    let indent_step = 14.0;
    let nodes = order(plan);
    let row_of: BTreeMap<&str, usize> = nodes
        .iter()
        .enumerate()
        .map(|(i, n)| (n.id.as_str(), i))
        .collect();
    // Each row's parent: the sender of its first contact from a row above.
    let mut parent: BTreeMap<usize, &PEdge> = BTreeMap::new();
    for e in by_weight(plan) {
        let (Some(&a), Some(&b)) = (row_of.get(e.from.as_str()), row_of.get(e.to.as_str())) else {
            continue;
        };
        let (up, down) = if a < b { (a, b) } else { (b, a) };
        if up != down && !parent.contains_key(&down) {
            // A mutual contact or a contact towards the row above works too:
            // the line joins them, its arrowhead says the way.
            parent.insert(down, e);
        }
    }
    let mut depth: Vec<usize> = vec![0; nodes.len()];
    for i in 0..nodes.len() {
        if let Some(e) = parent.get(&i) {
            let p = if row_of[e.from.as_str()] == i {
                row_of[e.to.as_str()]
            } else {
                row_of[e.from.as_str()]
            };
            depth[i] = (depth[p] + 1).min(4);
        }
    }
    // Texts beside each row: its parent contact's label, then the other
    // contacts that point at it.
    // Texts: (the label's lines, joined when they fit on one line), colour,
    // edge id.
    let mut side: Vec<Vec<(Vec<String>, String, String)>> = vec![Vec::new(); nodes.len()];
    let tree: BTreeSet<&str> = parent.values().map(|e| e.id.as_str()).collect();
    // Room on the right for the arcs of contacts off the tree, if any.
    let arcs = plan.edges.iter().any(|e| {
        let ends = (row_of.get(e.from.as_str()), row_of.get(e.to.as_str()));
        matches!(ends, (Some(a), Some(b)) if a != b) && !tree.contains(e.id.as_str())
    });
    let arc_room = if arcs { 30.0 } else { 0.0 };
    for e in &plan.edges {
        let (Some(&a), Some(&b)) = (row_of.get(e.from.as_str()), row_of.get(e.to.as_str())) else {
            continue;
        };
        let colour = e.paint().font_color.unwrap_or("#222222").to_string();
        if e.raw.is_empty() {
            continue;
        }
        if tree.contains(e.id.as_str()) {
            let row = a.max(b);
            side[row].insert(0, (e.raw.clone(), colour, e.id.clone()));
        } else {
            let other = if b > a { a } else { b };
            let row = a.max(b);
            let name = &nodes[other].short;
            let arrow = if row == b { "from" } else { "to" };
            let mut lines = e.raw.clone();
            if let Some(first) = lines.first_mut() {
                *first = format!("{arrow} {name}: {first}");
            }
            side[row].push((lines, colour, e.id.clone()));
        }
    }
    // Rows, with the band's date rule above the first row of each band.
    let mut out_rows: Vec<Row> = Vec::new();
    let mut rules: Vec<(f64, String)> = Vec::new();
    let mut y = 0.0;
    let mut band_seen: Option<Option<usize>> = None;
    for (i, n) in nodes.iter().enumerate() {
        let band = match n.place {
            Place::Main(b) => b,
            _ => None,
        };
        if band_seen != Some(band) {
            band_seen = Some(band);
            let label = band
                .and_then(|b| plan.bands.get(b))
                .cloned()
                .or_else(|| plan.bands.last().filter(|l| *l == "date unknown").cloned());
            if let Some(label) = label {
                y += if i == 0 { 2.0 } else { 10.0 };
                rules.push((y, label));
                y += small_h + 6.0;
            }
        }
        let x = depth[i] as f64 * indent_step + if depth[i] > 0 { 8.0 } else { 0.0 };
        let hub = n.id.starts_with('h');
        let fsize = if hub { small } else { size };
        let room = (width - x - arc_room - 2.0 * pad).max(60.0);
        // A row with words beside its node leaves them half the room.
        let node_room = if side[i].is_empty() {
            room
        } else {
            (room * 0.5).max(60.0)
        };
        // The name as one line again (the plan wrapped it for Graphviz),
        // then wrapped to this row.
        let (mut lines, rest) = match &n.name {
            Some(name) => {
                let k = n.name_lines.min(n.label.len());
                (wrap_label(name, node_room, fsize), &n.label[k..])
            }
            None => (Vec::new(), &n.label[..]),
        };
        lines.extend(
            rest.iter()
                .flat_map(|l| wrap_px(l, node_room, fsize, false)),
        );
        let tw = lines
            .iter()
            .map(|l| text_width(l, fsize, false))
            .fold(0.0, f64::max);
        let shape = n.paint().shape;
        let th = lines.len() as f64 * fsize * 1.25;
        // An ellipse big enough that the text's corners stay inside it.
        let (w, h) = match shape {
            "ellipse" => ((tw + 2.0 * pad) * 1.25, (th + 2.0 * pad) * 1.35),
            "hexagon" | "octagon" => (tw + 2.0 * pad + 24.0, th + 2.0 * pad),
            _ => (tw + 2.0 * pad, th + 2.0 * pad),
        };
        // The side text: beside the node when there is room, else under it.
        let side_x_room = width - (x + w + 8.0) - arc_room;
        let mut side_lines: Vec<(String, String, String)> = Vec::new();
        let beside = side_x_room >= 110.0;
        let side_room = if beside {
            side_x_room
        } else {
            width - x - 16.0 - arc_room
        };
        for (parts, colour, id) in &side[i] {
            // One line when it fits, else a line per part (kind, date).
            let joined = parts.join(" · ");
            let pieces = if text_width(&joined, small, false) <= side_room {
                vec![joined]
            } else {
                parts.clone()
            };
            for piece in pieces {
                for l in wrap_px(&piece, side_room, small, false) {
                    side_lines.push((l, colour.clone(), id.clone()));
                }
            }
        }
        let side_h = side_lines.len() as f64 * small_h;
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
        out_rows.push(Row {
            node: n,
            x,
            y: y + if beside { (row_h - h) / 2.0 } else { 0.0 },
            w,
            h,
            lines,
            side: side_lines,
            side_y,
            beside,
        });
        y += row_h + 8.0;
    }
    let height = y + 2.0;
    // The arcs run just right of the rows' text.
    let ends: Vec<f64> = out_rows
        .iter()
        .map(|r| {
            let sx = if r.beside {
                r.x + r.w + 8.0
            } else {
                r.x + 16.0
            };
            let side = r
                .side
                .iter()
                .map(|(l, _, _)| sx + text_width(l, small, false))
                .fold(0.0, f64::max);
            (r.x + r.w).max(side) + 4.0
        })
        .collect();
    let right = ends.iter().copied().fold(0.0, f64::max);
    let gx = (right + 6.0).min(width - arc_room + 6.0);
    let mut body = String::new();
    // Edges first, nodes over them; the faded first, the chains on top.
    let mut arc_level = 0usize;
    for e in by_weight(plan).into_iter().rev() {
        let (Some(&a), Some(&b)) = (row_of.get(e.from.as_str()), row_of.get(e.to.as_str())) else {
            continue;
        };
        if a == b {
            continue;
        }
        let (ra, rb) = (&out_rows[a], &out_rows[b]);
        let paint = e.paint();
        let colour = paint.color;
        let pen = paint.pen.unwrap_or(1.2);
        let style = paint.style;
        let mutual = e.headless();
        let (up, down) = if a < b { (ra, rb) } else { (rb, ra) };
        let head_at_down = b > a;
        let path = if tree.contains(e.id.as_str()) {
            let (x0, y0) = foot(up);
            let ym = down.y + down.h / 2.0;
            format!("M{x0:.1},{y0:.1} L{x0:.1},{ym:.1} L{:.1},{ym:.1}", down.x)
        } else {
            arc_level += 1;
            // In the right gutter, clear of every text.
            let ax = (gx + 20.0 + (arc_level % 4) as f64 * 4.0).min(width - 2.0);
            let (y0, y1) = (up.y + up.h / 2.0, down.y + down.h / 2.0);
            let (x0, x1) = (ends[a.min(b)], ends[a.max(b)]);
            // Straight out along its own row to the gutter, round, and back.
            format!(
                "M{x0:.1},{y0:.1} L{gx:.1},{y0:.1} C{ax:.1},{y0:.1} {ax:.1},{y1:.1} {gx:.1},{y1:.1} L{x1:.1},{y1:.1}"
            )
        };
        let markers = if mutual {
            String::new()
        } else {
            // The arrowhead at the receiver's end.
            let (tip, from_left) = if head_at_down == tree.contains(e.id.as_str()) || head_at_down {
                if tree.contains(e.id.as_str()) {
                    ((down.x, down.y + down.h / 2.0), true)
                } else {
                    ((ends[a.max(b)], down.y + down.h / 2.0), false)
                }
            } else if tree.contains(e.id.as_str()) {
                (foot(up), false)
            } else {
                ((ends[a.min(b)], up.y + up.h / 2.0), false)
            };
            let (tx, ty) = tip;
            let up_arrow = !head_at_down && tree.contains(e.id.as_str());
            let pts = if up_arrow {
                format!(
                    "{tx:.1},{ty:.1} {:.1},{:.1} {:.1},{:.1}",
                    tx - 4.0,
                    ty + 8.0,
                    tx + 4.0,
                    ty + 8.0
                )
            } else if from_left {
                format!(
                    "{tx:.1},{ty:.1} {:.1},{:.1} {:.1},{:.1}",
                    tx - 8.0,
                    ty - 4.0,
                    tx - 8.0,
                    ty + 4.0
                )
            } else {
                format!(
                    "{tx:.1},{ty:.1} {:.1},{:.1} {:.1},{:.1}",
                    tx + 8.0,
                    ty - 4.0,
                    tx + 8.0,
                    ty + 4.0
                )
            };
            format!("<polygon points=\"{pts}\" fill=\"{colour}\"/>")
        };
        body.push_str(&format!(
            "<g id=\"{}\" class=\"edge\"><title>{}</title><a xlink:title=\"{}\"{}><path d=\"{path}\" fill=\"none\" stroke=\"{colour}\" stroke-width=\"{pen}\"{}/>{markers}</a></g>\n",
            escape::svg(&e.id),
            escape::svg(&e.title),
            escape::svg(&e.tooltip),
            e.url
                .as_deref()
                .map(|u| format!(" xlink:href=\"{}\" target=\"_blank\"", escape::svg(u)))
                .unwrap_or_default(),
            dash(style)
        ));
    }
    // The time axis: a rule per band.
    body.push_str("<g class=\"grapevine-axis\">\n");
    for (ry, label) in &rules {
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
    for r in &out_rows {
        let n = r.node;
        let p = n.paint();
        let shape = p.shape;
        let stroke = p.color;
        let fill = match p.fill {
            Some(fill) if p.style.contains("filled") => fill,
            _ => "#ffffff",
        };
        let pen = p.pen.unwrap_or(1.0);
        let style = p.style.as_str();
        let paint = format!(
            "fill=\"{fill}\" stroke=\"{stroke}\" stroke-width=\"{pen}\"{}",
            dash(style)
        );
        let (x, y, w, h) = (r.x, r.y, r.w, r.h);
        let outline = match shape {
            "ellipse" => format!(
                "<ellipse cx=\"{:.1}\" cy=\"{:.1}\" rx=\"{:.1}\" ry=\"{:.1}\" {paint}/>",
                x + w / 2.0,
                y + h / 2.0,
                w / 2.0,
                h / 2.0
            ),
            "hexagon" => format!(
                "<polygon points=\"{x:.1},{:.1} {:.1},{y:.1} {:.1},{y:.1} {:.1},{:.1} {:.1},{:.1} {:.1},{:.1}\" {paint}/>",
                y + h / 2.0,
                x + 12.0,
                x + w - 12.0,
                x + w,
                y + h / 2.0,
                x + w - 12.0,
                y + h,
                x + 12.0,
                y + h
            ),
            "octagon" => format!(
                "<polygon points=\"{:.1},{y:.1} {:.1},{y:.1} {:.1},{:.1} {:.1},{:.1} {:.1},{:.1} {:.1},{:.1} {x:.1},{:.1} {x:.1},{:.1}\" {paint}/>",
                x + 8.0,
                x + w - 8.0,
                x + w,
                y + 8.0,
                x + w,
                y + h - 8.0,
                x + w - 8.0,
                y + h,
                x + 8.0,
                y + h,
                y + h - 8.0,
                y + 8.0
            ),
            _ => format!(
                "<rect x=\"{x:.1}\" y=\"{y:.1}\" width=\"{w:.1}\" height=\"{h:.1}\" rx=\"{}\" {paint}/>",
                if style.contains("rounded") { 6 } else { 1 }
            ),
        };
        let hub = n.id.starts_with('h');
        let fsize = if hub { small } else { size };
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
        body.push_str(&format!(
            "<g id=\"{}\" class=\"node\"><title>{}</title><a xlink:title=\"{}\"{}>{outline}{texts}</a></g>\n",
            escape::svg(&n.id),
            escape::svg(&n.title),
            escape::svg(&n.tooltip),
            n.url
                .as_deref()
                .map(|u| format!(" xlink:href=\"{}\" target=\"_blank\"", escape::svg(u)))
                .unwrap_or_default()
        ));
        let sx = if r.beside { x + w + 8.0 } else { x + 16.0 };
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
    }
    Drawing {
        body,
        width,
        height,
    }
}
