//! The lanes of the cascade's arcs: the contacts off the tree, each run
//! down a vertical line of its own right of the rows it passes.

/// The widest gap between two arcs' lanes.
pub(super) const LANE: f64 = 8.0;
/// The narrowest gap between two arcs' lanes that a reader can still follow.
pub(super) const LANE_MIN: f64 = 5.0;

/// Each arc's lane (the x of its vertical run), for the arcs' row spans
/// (`None`: not an arc): short arcs first, each just right of everything
/// already on its rows (the rows' texts and the lanes of the arcs over
/// them), [`LANE`] apart, or [`LANE_MIN`] when that does not fit in
/// `width`; and whether they fit. When even that does not fit, the lanes
/// are kept inside the picture and may share a line.
pub(super) fn lanes(
    spans: &[Option<(usize, usize)>],
    ends: &[f64],
    width: f64,
) -> (Vec<f64>, bool) {
    let mut order: Vec<usize> = (0..spans.len()).filter(|&i| spans[i].is_some()).collect();
    order.sort_by_key(|&i| spans[i].map(|(up, down)| (down - up, up, down)));
    let last = width - 2.0;
    for gap in [LANE, LANE_MIN] {
        let mut taken: Vec<f64> = ends.iter().map(|e| e + 6.0 - gap).collect();
        let mut xs = vec![0.0; spans.len()];
        let mut fits = true;
        for &i in &order {
            let Some((up, down)) = spans[i] else { continue };
            let x = taken[up..=down].iter().copied().fold(0.0, f64::max) + gap;
            fits &= x <= last;
            xs[i] = x.min(last);
            taken[up..=down].iter_mut().for_each(|t| *t = x);
        }
        if fits || gap == LANE_MIN {
            return (xs, fits);
        }
    }
    (vec![0.0; spans.len()], false)
}
