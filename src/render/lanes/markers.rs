//! Where the markers' labels go: in a band above a panel's axis, each
//! beside its line, stacked so that no label overlaps another and no
//! marker's line runs through another's label. Labels wrap at spaces only
//! (a word is never broken) and are shortened at a word, with an ellipsis,
//! past three lines.

use crate::render::measure::{text_width, wrap_words};

/// A marker's label, placed.
#[derive(Debug, Clone, PartialEq)]
pub(super) struct Placed {
    /// Its line's x.
    pub x: f64,
    /// The label's lines.
    pub lines: Vec<String>,
    /// The label is set to the right of its line (else to the left).
    pub right: bool,
    /// Its box: left and right edges.
    pub left: f64,
    pub end: f64,
    /// Its bottom's height above the band's bottom, and its height.
    pub lift: f64,
    pub height: f64,
}

impl Placed {
    fn top(&self) -> f64 {
        self.lift + self.height
    }
}

/// Whether `a` (being placed) clashes with `b` (placed): their boxes
/// overlap, or one's line runs through the other's label.
fn clash(a: &Placed, b: &Placed) -> bool {
    let pad = 6.0;
    let x_overlap = a.left < b.end + pad && b.left < a.end + pad;
    let y_overlap = a.lift < b.top() + 2.0 && b.lift < a.top() + 2.0;
    if x_overlap && y_overlap {
        return true;
    }
    // A line runs from the band's bottom up to its label's top.
    let through = |line: &Placed, label: &Placed| {
        line.x > label.left - 3.0 && line.x < label.end + 3.0 && label.lift < line.top()
    };
    through(a, b) || through(b, a)
}

/// The label of a marker at `x`, wrapped to the room on one side.
fn shaped(x: f64, text: &str, bounds: (f64, f64), size: f64, right: bool) -> Placed {
    let line_h = size * 1.2;
    let room = if right {
        bounds.1 - x - 4.0
    } else {
        x - 4.0 - bounds.0
    };
    let room = room.clamp(20.0, 220.0);
    let mut lines = wrap_words(text, room, size);
    if lines.len() > 3 {
        lines.truncate(3);
        if let Some(last) = lines.last_mut() {
            while text_width(&format!("{last} …"), size, false) > room {
                match last.rsplit_once(' ') {
                    Some((head, _)) => *last = head.to_string(),
                    None => break,
                }
            }
            last.push_str(" …");
        }
    }
    let w = lines
        .iter()
        .map(|l| text_width(l, size, false))
        .fold(0.0, f64::max);
    let (left, end) = if right {
        (x + 4.0, x + 4.0 + w)
    } else {
        (x - 4.0 - w, x - 4.0)
    };
    Placed {
        x,
        height: lines.len() as f64 * line_h,
        lines,
        right,
        left,
        end,
        lift: 0.0,
    }
}

/// Whether label `p` covers the line of another of the markers at `xs`.
fn covers(p: &Placed, xs: &[f64]) -> bool {
    xs.iter()
        .any(|&o| (o - p.x).abs() >= 1.0 && o > p.left - 3.0 && o < p.end + 3.0)
}

/// The label of the marker at `x`, on the side where it covers no other
/// marker's line, else where it takes fewer lines (the right on a tie),
/// kept inside `bounds`.
fn side(x: f64, text: &str, bounds: (f64, f64), size: f64, xs: &[f64]) -> Placed {
    let inside = |p: &Placed| p.left >= bounds.0 - 0.5 && p.end <= bounds.1 + 0.5;
    let covers = |p: &Placed| covers(p, xs);
    let mut sides = [
        shaped(x, text, bounds, size, true),
        shaped(x, text, bounds, size, false),
    ];
    sides.sort_by_key(|p| (!inside(p), covers(p), p.lines.len(), !p.right));
    let [mut p, _] = sides;
    if !inside(&p) {
        // Neither side holds its longest word: kept inside the picture.
        let w = p.end - p.left;
        p.left = p.left.clamp(bounds.0, (bounds.1 - w).max(bounds.0));
        p.end = p.left + w;
    }
    p
}

/// `p` at the lowest lift where it clashes with none of `placed`; failing
/// that, the lowest where its box overlaps none.
fn lifted(mut p: Placed, placed: &[Placed]) -> Placed {
    let mut lifts: Vec<f64> = vec![0.0];
    lifts.extend(placed.iter().map(|q| q.top() + 3.0));
    lifts.sort_by(f64::total_cmp);
    let fits = |lift: f64, strict: bool| {
        let mut c = p.clone();
        c.lift = lift;
        placed.iter().all(|q| {
            if strict {
                !clash(&c, q)
            } else {
                !(c.left < q.end + 6.0
                    && q.left < c.end + 6.0
                    && c.lift < q.top() + 2.0
                    && q.lift < c.top() + 2.0)
            }
        })
    };
    p.lift = lifts
        .iter()
        .copied()
        .find(|&l| fits(l, true))
        .or_else(|| lifts.iter().copied().find(|&l| fits(l, false)))
        .unwrap_or(0.0);
    p
}

/// Places the labels of markers `(x, label)` between `bounds` (the
/// leftmost and rightmost a label may reach): the placed labels and the
/// band's height. Markers at the same x share one label.
pub(super) fn place(marks: &[(f64, String)], bounds: (f64, f64), size: f64) -> (Vec<Placed>, f64) {
    let mut merged: Vec<(f64, String)> = Vec::new();
    let mut sorted: Vec<&(f64, String)> = marks.iter().collect();
    sorted.sort_by(|a, b| b.0.total_cmp(&a.0));
    for (x, text) in sorted {
        match merged.last_mut() {
            Some(m) if (m.0 - x).abs() < 1.0 => m.1 = format!("{}; {}", text, m.1),
            _ => merged.push((*x, text.clone())),
        }
    }
    let xs: Vec<f64> = merged.iter().map(|m| m.0).collect();
    // Labels that cover another marker's line go above that marker's
    // label: they are placed last.
    let mut shaped: Vec<(bool, Placed)> = merged
        .iter()
        .map(|(x, text)| {
            let p = side(*x, text, bounds, size, &xs);
            (covers(&p, &xs), p)
        })
        .collect();
    shaped.sort_by_key(|(c, _)| *c);
    let mut placed: Vec<Placed> = Vec::new();
    for (_, p) in shaped {
        let p = lifted(p, &placed);
        placed.push(p);
    }
    let height = placed.iter().map(Placed::top).fold(0.0, f64::max);
    (placed, height)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn labels_stack_without_overlap_or_crossing() {
        let marks = vec![
            (100.0, "Election day".to_string()),
            (110.0, "First story".to_string()),
            (300.0, "Supreme Court lifts the injunction".to_string()),
        ];
        let (placed, h) = place(&marks, (10.0, 360.0), 12.0);
        assert_eq!(placed.len(), 3);
        assert!(h > 0.0);
        for (i, a) in placed.iter().enumerate() {
            for b in &placed[i + 1..] {
                assert!(!clash(a, b), "{a:?} {b:?}");
            }
            assert!(a.left >= 10.0 - 1e-9 && a.end <= 360.0 + 1e-9, "{a:?}");
        }
        // Words are never broken (a label may be shortened at a word).
        let all = "Election day First story Supreme Court lifts the injunction …";
        for p in &placed {
            for w in p.lines.iter().flat_map(|l| l.split(' ')) {
                assert!(all.split(' ').any(|x| x == w), "{w:?} in {p:?}");
            }
        }
    }

    #[test]
    fn markers_on_one_day_share_a_label() {
        let marks = vec![(50.0, "A".to_string()), (50.2, "B".to_string())];
        let (placed, _) = place(&marks, (0.0, 300.0), 12.0);
        assert_eq!(placed.len(), 1);
        assert_eq!(placed[0].lines, vec!["A; B".to_string()]);
    }
}
