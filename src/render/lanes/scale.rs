//! The lane chart's time axis: a piecewise-linear scale that makes room.
//!
//! Contacts are grouped by the calendar day (in the story's zone) they are
//! drawn at. Each day that holds contacts is at least [`MIN_GAP`] pixels
//! wide per contact, and its contacts sit side by side inside it, in time
//! order; every other day gets the scale's base rate (pixels per day). A
//! long quiet stretch, where nothing is drawn, is compressed to a break of
//! [`BREAK_W`] pixels when that gives the rest of the axis much more room;
//! the chart marks each break. When even that cannot hold a panel's contacts,
//! the chart is split into panels, one under the other, at the longest
//! quiet stretches ([`split`]).

use jiff::tz::TimeZone;

/// The least distance between two contacts' lines, in CSS px (readers need
/// 24; two more absorb rounding).
pub(super) const MIN_GAP: f64 = 26.0;
/// The width of a break, in CSS px.
pub(super) const BREAK_W: f64 = 18.0;
/// Seconds in a day (a calendar day may have 23 or 25 hours).
pub(super) const DAY: i64 = 86_400;

/// The start of the calendar day `t` falls in, in `tz`.
pub(super) fn day_start(t: i64, tz: &TimeZone) -> i64 {
    jiff::Timestamp::from_second(t)
        .ok()
        .map(|ts| ts.to_zoned_datetime(tz.clone()).date())
        .and_then(|d| d.to_zoned_datetime(tz.clone()).ok())
        .map_or(t - t.rem_euclid(DAY), |z| z.timestamp().as_second())
}

/// The start of the day after the day starting at `d`.
pub(super) fn next_day(d: i64, tz: &TimeZone) -> i64 {
    let n = day_start(d.saturating_add(DAY + DAY / 2), tz);
    if n > d {
        n
    } else {
        d.saturating_add(DAY)
    }
}

/// One stretch of the axis: the times `t0..t1` drawn from `x0` to `x1`.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(super) struct Piece {
    pub t0: i64,
    pub t1: i64,
    pub x0: f64,
    pub x1: f64,
    /// A compressed quiet stretch, drawn as a break.
    pub broken: bool,
}

/// A panel's scale: pieces that follow each other in time and on the axis.
#[derive(Debug, Clone)]
pub(super) struct Scale {
    pub pieces: Vec<Piece>,
    /// Pixels per day where the scale is neither broken nor widened.
    pub rate: f64,
}

impl Scale {
    /// The x of time `t` (the ends for times outside).
    pub(super) fn x(&self, t: i64) -> f64 {
        let (Some(first), Some(last)) = (self.pieces.first(), self.pieces.last()) else {
            return 0.0;
        };
        if t <= first.t0 {
            return first.x0;
        }
        if t >= last.t1 {
            return last.x1;
        }
        let i = self.pieces.partition_point(|p| p.t1 <= t);
        let p = self.pieces[i.min(self.pieces.len() - 1)];
        p.x0 + (t - p.t0) as f64 / (p.t1 - p.t0).max(1) as f64 * (p.x1 - p.x0)
    }

    /// The first time shown.
    pub(super) fn t0(&self) -> i64 {
        self.pieces.first().map_or(0, |p| p.t0)
    }

    /// The end of the last time shown.
    pub(super) fn t1(&self) -> i64 {
        self.pieces.last().map_or(DAY, |p| p.t1)
    }

    /// Whether `t` lies inside a break (not on its edges).
    pub(super) fn in_break(&self, t: i64) -> bool {
        self.pieces.iter().any(|p| p.broken && t > p.t0 && t < p.t1)
    }

    /// The breaks.
    pub(super) fn breaks(&self) -> impl Iterator<Item = &Piece> {
        self.pieces.iter().filter(|p| p.broken)
    }

    /// The unbroken runs of the axis, as (t0, t1, x0, x1).
    pub(super) fn segments(&self) -> Vec<(i64, i64, f64, f64)> {
        let mut out: Vec<(i64, i64, f64, f64)> = Vec::new();
        let mut open = false;
        for p in &self.pieces {
            if p.broken {
                open = false;
                continue;
            }
            match out.last_mut() {
                Some(s) if open => {
                    s.1 = p.t1;
                    s.3 = p.x1;
                }
                _ => out.push((p.t0, p.t1, p.x0, p.x1)),
            }
            open = true;
        }
        out
    }
}

/// What a panel's axis must hold.
#[derive(Debug, Clone, Default)]
pub(super) struct Need {
    /// The days that hold contacts: their start, the next day's start and
    /// how many contacts, in time order.
    pub days: Vec<(i64, i64, usize)>,
    /// Times that must not fall inside a break (markers).
    pub pins: Vec<i64>,
    /// At least this stretch of time is shown.
    pub range: (i64, i64),
}

/// A stretch before laying out: a day that holds something, or the quiet
/// time between two such days.
#[derive(Debug, Clone, Copy)]
struct Stretch {
    t0: i64,
    t1: i64,
    /// Contacts on it (`None`: a quiet stretch).
    held: Option<usize>,
}

impl Stretch {
    fn days(&self) -> f64 {
        (self.t1 - self.t0) as f64 / DAY as f64
    }

    /// Its width at `rate`, broken or not.
    fn width(&self, rate: f64, broken: bool) -> f64 {
        match self.held {
            Some(k) => (k as f64 * MIN_GAP).max(rate * self.days()),
            None if broken => BREAK_W,
            None => rate * self.days(),
        }
    }
}

/// The stretches of `need`, in time order.
fn stretches(need: &Need, tz: &TimeZone) -> Vec<Stretch> {
    let mut fixed: Vec<(i64, i64, usize)> = need.days.clone();
    for &p in &need.pins {
        let d = day_start(p, tz);
        if !fixed.iter().any(|f| f.0 <= p && p < f.1) {
            fixed.push((d, next_day(d, tz), 0));
        }
    }
    fixed.sort_by_key(|f| f.0);
    let mut out: Vec<Stretch> = Vec::new();
    let start = fixed
        .first()
        .map_or(need.range.0, |f| f.0.min(need.range.0));
    let mut at = start;
    for (d0, d1, k) in fixed {
        let d0 = d0.max(at);
        if d0 > at {
            out.push(Stretch {
                t0: at,
                t1: d0,
                held: None,
            });
        }
        if d1 > d0 {
            out.push(Stretch {
                t0: d0,
                t1: d1,
                held: Some(k),
            });
            at = d1;
        }
    }
    let end = need.range.1.max(at);
    if end > at {
        out.push(Stretch {
            t0: at,
            t1: end,
            held: None,
        });
    }
    if out.is_empty() {
        out.push(Stretch {
            t0: start,
            t1: start.saturating_add(DAY),
            held: None,
        });
    }
    out
}

/// The total width at `rate` with `broken` stretches compressed.
fn total(parts: &[Stretch], broken: &[bool], rate: f64) -> f64 {
    parts
        .iter()
        .zip(broken)
        .map(|(s, b)| s.width(rate, *b))
        .sum()
}

/// The greatest rate at which everything fits in `room` pixels, if any.
fn solve_rate(parts: &[Stretch], broken: &[bool], room: f64) -> Option<f64> {
    if total(parts, broken, 0.0) > room + 1e-6 {
        return None;
    }
    let unbroken: f64 = parts
        .iter()
        .zip(broken)
        .filter(|(_, b)| !**b)
        .map(|(s, _)| s.days())
        .sum();
    let (mut lo, mut hi) = (0.0_f64, room / unbroken.max(1e-9));
    for _ in 0..60 {
        let mid = (lo + hi) / 2.0;
        if total(parts, broken, mid) <= room {
            lo = mid;
        } else {
            hi = mid;
        }
    }
    Some(lo)
}

/// Pixels per day at which days can be told apart: a scale this fine needs
/// no break.
const DAY_READABLE: f64 = 6.0;

/// Which quiet stretches to break (never the last): the longest first,
/// each only while days cannot yet be told apart, the stretch is wide (twice
/// a break) and breaking it gives the rest a quarter more room; at most
/// `max_breaks`.
fn choose_breaks(parts: &[Stretch], room: f64, max_breaks: usize) -> (Vec<bool>, f64) {
    let mut broken = vec![false; parts.len()];
    let Some(mut rate) = solve_rate(parts, &broken, room) else {
        return (broken, 0.0);
    };
    // The last stretch is never broken: a break is always followed by
    // something drawn, whose date is labelled.
    let mut quiet: Vec<usize> = (0..parts.len().saturating_sub(1))
        .filter(|&i| parts[i].held.is_none())
        .collect();
    quiet.sort_by(|&a, &b| parts[b].days().total_cmp(&parts[a].days()).then(a.cmp(&b)));
    let mut made = 0;
    for i in quiet {
        // Days can be told apart already: nothing to gain.
        if made >= max_breaks || rate >= DAY_READABLE {
            break;
        }
        if parts[i].width(rate, false) < 2.0 * BREAK_W {
            continue;
        }
        broken[i] = true;
        match solve_rate(parts, &broken, room) {
            Some(r) if r >= rate * 1.25 => {
                rate = r;
                made += 1;
            }
            _ => broken[i] = false,
        }
    }
    (broken, rate)
}

/// Lays out a panel's axis from `x0` across `room` pixels: the scale, and
/// each contact day's x range (in `need.days` order).
pub(super) fn layout(need: &Need, tz: &TimeZone, x0: f64, room: f64, max_breaks: usize) -> Scale {
    let parts = stretches(need, tz);
    let (broken, rate) = choose_breaks(&parts, room, max_breaks);
    // Past the room (a panel cannot always be split finer): squeeze.
    let full = total(&parts, &broken, rate);
    let squeeze = if full > room { room / full } else { 1.0 };
    let mut x = x0;
    let pieces = parts
        .iter()
        .zip(&broken)
        .map(|(s, &b)| {
            let w = s.width(rate, b) * squeeze;
            let p = Piece {
                t0: s.t0,
                t1: s.t1,
                x0: x,
                x1: x + w,
                broken: b,
            };
            x += w;
            p
        })
        .collect();
    Scale { pieces, rate }
}

/// Where a panel starts, for each panel, when `anchors` (sorted contact
/// times) are split into panels of at most `cap` contacts: as few panels as
/// can hold them, split at the longest quiet stretches.
pub(super) fn split(anchors: &[i64], cap: usize) -> Vec<usize> {
    let n = anchors.len();
    let cap = cap.max(1);
    if n <= cap {
        return vec![0];
    }
    let panels = n.div_ceil(cap);
    // How good a split before contact i is: the log of the quiet time
    // before it (a split inside a day is worst).
    let score = |i: usize| ((anchors[i] - anchors[i - 1]).max(0) as f64 / 3600.0).ln_1p();
    // best[p][i]: the best total score of splitting the first i contacts
    // into p panels; from[p][i] the start of the last of them.
    let none = f64::NEG_INFINITY;
    let mut best = vec![vec![none; n + 1]; panels + 1];
    let mut from = vec![vec![0usize; n + 1]; panels + 1];
    best[0][0] = 0.0;
    for p in 1..=panels {
        for i in 1..=n {
            for size in 1..=cap.min(i) {
                let s = i - size;
                if best[p - 1][s] == none || (s == 0) != (p == 1) {
                    continue;
                }
                let v = best[p - 1][s] + if s > 0 { score(s) } else { 0.0 };
                if v > best[p][i] {
                    best[p][i] = v;
                    from[p][i] = s;
                }
            }
        }
    }
    let mut starts = Vec::with_capacity(panels);
    let mut i = n;
    for p in (1..=panels).rev() {
        let s = from[p][i];
        starts.push(s);
        i = s;
    }
    starts.reverse();
    starts
}

#[cfg(test)]
mod tests {
    use super::*;

    fn utc() -> TimeZone {
        TimeZone::UTC
    }

    #[test]
    fn days_with_contacts_make_room_and_long_quiet_breaks() {
        let day = |d: i64| d * DAY;
        // Three contacts on day 0, one on day 2, one on day 400.
        let need = Need {
            days: vec![
                (day(0), day(1), 3),
                (day(2), day(3), 1),
                (day(400), day(401), 1),
            ],
            pins: vec![],
            range: (day(0), day(401)),
        };
        let s = layout(&need, &utc(), 100.0, 300.0, 2);
        assert!(s.x(day(1)) - s.x(day(0)) >= 3.0 * MIN_GAP - 1e-6);
        assert_eq!(s.breaks().count(), 1, "{s:?}");
        assert!(s.in_break(day(200)));
        assert!(!s.in_break(day(2)));
        assert!((s.x(day(401)) - 400.0).abs() < 0.5, "{s:?}");
        // The scale is monotone.
        let mut last = f64::MIN;
        for d in 0..402 {
            let x = s.x(day(d));
            assert!(x >= last);
            last = x;
        }
        assert_eq!(s.segments().len(), 2);
    }

    #[test]
    fn pins_never_fall_in_a_break() {
        let need = Need {
            days: vec![(0, DAY, 1), (400 * DAY, 401 * DAY, 1)],
            pins: vec![200 * DAY + 5],
            range: (0, 401 * DAY),
        };
        let s = layout(&need, &utc(), 0.0, 200.0, 3);
        assert!(!s.in_break(200 * DAY + 5));
    }

    #[test]
    fn panels_split_at_the_longest_quiet_stretch() {
        let h = 3600;
        let anchors = [0, h, 2 * h, 1000 * h, 1001 * h, 1002 * h, 1003 * h];
        assert_eq!(split(&anchors, 4), vec![0, 3]);
        assert_eq!(split(&anchors, 7), vec![0]);
        assert_eq!(split(&anchors, 2).len(), 4);
        assert_eq!(split(&[], 3), vec![0]);
    }
}
