//! The cascade's tree: each row's parent contact, and where the elbows from
//! a parent row to its children run down.

use std::collections::BTreeMap;

use super::by_weight;
use crate::render::plan::{PEdge, Plan};

/// The children of each parent row, top to bottom, with their contacts.
pub(super) fn children_of<'p>(
    parent: &BTreeMap<usize, (usize, &'p PEdge)>,
) -> BTreeMap<usize, Vec<(usize, &'p str)>> {
    let mut children: BTreeMap<usize, Vec<(usize, &str)>> = BTreeMap::new();
    for (&child, &(up, e)) in parent {
        children.entry(up).or_default().push((child, e.id.as_str()));
    }
    children
}

/// The elbows of the tree: each parent contact with how far right of its
/// parent's left it runs down, the lowest child's leftmost so that no two
/// elbows cross.
/// A contact whose elbow would run down through a row in between (one
/// indented no further than the elbow) is left out: it is drawn as an arc.
pub(super) fn elbows<'p>(
    parent: &BTreeMap<usize, (usize, &'p PEdge)>,
    depth: &[usize],
    step: f64,
) -> BTreeMap<&'p str, f64> {
    let x_of = |d: usize| d as f64 * step + if d > 0 { 8.0 } else { 0.0 };
    let mut out = BTreeMap::new();
    for (up, kids) in children_of(parent) {
        let room = step + if depth[up] == 0 { 8.0 } else { 0.0 } - 10.0;
        let n = kids.len();
        let gap = if n > 1 {
            (room / (n - 1) as f64).min(6.0)
        } else {
            0.0
        };
        for (k, (child, id)) in kids.iter().enumerate() {
            let dx = 6.0 + (n - 1 - k) as f64 * gap;
            let x = x_of(depth[up]) + dx;
            let blocked = (up + 1..*child).any(|r| x_of(depth[r]) <= x + 2.0);
            if !blocked {
                out.insert(*id, dx);
            }
        }
    }
    out
}

/// Each row's parent contact: the first (by weight) from a row above.
pub(super) fn parents<'p>(
    plan: &'p Plan,
    row_of: &BTreeMap<&str, usize>,
) -> BTreeMap<usize, (usize, &'p PEdge)> {
    let mut parent: BTreeMap<usize, (usize, &PEdge)> = BTreeMap::new();
    for e in by_weight(plan) {
        let (Some(&a), Some(&b)) = (row_of.get(e.from.as_str()), row_of.get(e.to.as_str())) else {
            continue;
        };
        let (up, down) = if a < b { (a, b) } else { (b, a) };
        if up != down && !parent.contains_key(&down) {
            // A mutual contact or a contact towards the row above works too:
            // the line joins them, its arrowhead says the way.
            parent.insert(down, (up, e));
        }
    }
    parent
}
