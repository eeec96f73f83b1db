//! The cascade's shapes and measures: where a node's outline is, its
//! outline drawn, an arrowhead at a receiver, a name fitted to its row, the
//! indentation per level.

use super::super::measure::{text_width, wrap_px};
use super::super::plan::{wrap_label, PNode, MAX_LABEL_LINES};
use super::{foot, Arc, Row, INDENT_STEP};

/// Where a line reaches a row's node from the right at height `y` (inside
/// the node's height): on its right outline.
pub(super) fn right_edge(r: &Row, y: f64) -> f64 {
    let (cy, half) = (r.y + r.h / 2.0, r.h / 2.0);
    let t = ((y - cy) / half).abs().min(1.0);
    match r.node.paint().shape {
        "ellipse" => r.x + r.w / 2.0 + r.w / 2.0 * (1.0 - t * t).max(0.0).sqrt(),
        "hexagon" => r.x + r.w - 12.0 * t,
        "octagon" => r.x + r.w - (8.0 - (half - (y - cy).abs())).max(0.0),
        _ => r.x + r.w,
    }
}

/// A name wrapped to `room`, widened up to `most` when it would need more
/// lines than a label may have (so it is not cut).
pub(super) fn fit_name(name: &str, room: f64, most: f64, size: f64) -> Vec<String> {
    let mut room = room;
    loop {
        let lines = wrap_px(name, room, size, false);
        if lines.len() <= MAX_LABEL_LINES || room >= most {
            return wrap_label(name, room, size);
        }
        room = (room * 1.15).min(most);
    }
}

/// The width of the widest word of a node's name and label lines.
pub(super) fn widest_word(n: &PNode, size: f64) -> f64 {
    n.name
        .iter()
        .chain(&n.label)
        .flat_map(|l| l.split_whitespace())
        .map(|w| text_width(w, size, false))
        .fold(0.0, f64::max)
}

/// The indentation per level: [`INDENT_STEP`], or up to half as much again
/// when a row has so many children that their elbows would run closer than
/// [`ELBOW_GAP`] (`children`: per parent row, its depth and how many); less
/// when the deepest row would start past 40 % of the width.
pub(super) fn indent_step(depth: &[usize], children: &[(usize, usize)], width: f64) -> f64 {
    let deepest = depth.iter().copied().max().unwrap_or(0);
    if deepest == 0 {
        return INDENT_STEP;
    }
    // The elbows' room is the step less 10 px (2 px under a root row).
    let needed = children
        .iter()
        .map(|&(d, n)| {
            let margin = if d == 0 { 2.0 } else { 10.0 };
            margin + ELBOW_GAP * n.saturating_sub(1) as f64
        })
        .fold(INDENT_STEP, f64::max);
    needed
        .min(INDENT_STEP * 1.5)
        .min(width * 0.4 / deepest as f64)
}

/// The least distance between the elbows from one row to its children
/// that the indentation makes room for (5 px: apart at phone size).
pub(super) const ELBOW_GAP: f64 = 5.0;

/// The arrowhead of a contact at the receiver's end, from the upper row to
/// the lower (`head_at_down`: the receiver is the lower row).
pub(super) fn arrowhead(
    rows: (&Row, &Row),
    (head_at_down, dx): (bool, f64),
    arc: Option<&Arc>,
    colour: &str,
) -> String {
    let (up, down) = rows;
    let tree = arc.is_none();
    let (tip, from_left) = match arc {
        None if head_at_down => ((down.x, down.y + down.h / 2.0), true),
        None => (foot(up, dx), false),
        Some(arc) if head_at_down => ((right_edge(down, arc.ys.1), arc.ys.1), false),
        Some(arc) => ((right_edge(up, arc.ys.0), arc.ys.0), false),
    };
    let (tx, ty) = tip;
    let up_arrow = !head_at_down && tree;
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
}

/// A node's outline of `shape` around row `r`, painted with `paint`.
pub(super) fn outline(shape: &str, style: &str, r: &Row, paint: &str) -> String {
    let (x, y, w, h) = (r.x, r.y, r.w, r.h);
    match shape {
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
    }
}
