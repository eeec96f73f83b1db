//! A lane chart's panels: the contacts split into runs that each fit the
//! width with room between them, each run with its own scale, ticks,
//! markers and lanes (only the lanes its contacts use, when there are
//! several panels).

use std::collections::BTreeSet;

use jiff::tz::TimeZone;

use super::markers::{place, Placed};
use super::scale::{self, day_start, next_day, Need, Scale, MIN_GAP};
use super::ticks::{self, Clear, Tick};
use super::{Chart, Geometry, Mark};
use crate::model::Story;
use crate::render::{Fit, Focus};

/// A marker drawn on a panel.
#[derive(Debug, Clone, PartialEq)]
pub(super) struct Drawn {
    /// Its index in the story's markers.
    pub index: usize,
    /// Its start.
    pub t: i64,
    /// Its line's x, and where its span ends (a marker known to a span).
    pub x: f64,
    pub end: Option<f64>,
}

/// One panel of the chart.
pub(super) struct Panel {
    /// Its contacts: the index in the chart's marks, and the x.
    pub contacts: Vec<(usize, f64)>,
    /// Its lanes: indexes in the chart's lanes, in order.
    pub lanes: Vec<usize>,
    pub scale: Scale,
    pub ticks: Vec<Tick>,
    pub markers: Vec<Drawn>,
    /// The markers' labels, and the height of the band they take.
    pub labels: Vec<Placed>,
    pub band: f64,
    /// The time it shows, in words: `Apr–Dec 2019` (and a shorter form).
    pub span: [String; 2],
}

/// The story's markers the chart may draw: (index, start, end), inside the
/// window when there is one.
fn story_markers(story: &Story, window: Option<(i64, i64)>) -> Vec<(usize, i64, i64)> {
    story
        .markers
        .iter()
        .enumerate()
        .filter_map(|(i, m)| {
            let iv = m.time.as_ref()?.interval();
            let lo = iv.lo.or(iv.hi)?;
            let hi = iv.hi.unwrap_or(lo).max(lo);
            Some((i, lo, hi))
        })
        .filter(|(_, lo, _)| window.is_none_or(|(a, b)| *lo >= a && *lo <= b))
        .collect()
}

/// The most breaks one panel may have.
fn max_breaks(fit: Fit) -> usize {
    match fit {
        Fit::Phone => 2,
        Fit::Column => 3,
        Fit::Wide => 4,
    }
}

/// The chart's panels.
pub(super) fn panels(story: &Story, focus: &Focus, chart: &Chart, g: &Geometry) -> Vec<Panel> {
    let tz = story.tz();
    let window = focus.window;
    // Each contact at its start (its end when its start is open), also
    // one that starts before the window it overlaps.
    let anchors: Vec<i64> = chart.marks.iter().map(Mark::start).collect();
    let marks = story_markers(story, window);
    if anchors.is_empty() && marks.is_empty() && window.is_none() {
        return Vec::new();
    }
    let days = |ts: &mut dyn Iterator<Item = i64>| {
        let v: Vec<i64> = ts.map(|t| day_start(t, &tz)).collect();
        let lo = v.iter().copied().min();
        let hi = v.iter().copied().max().map(|d| next_day(d, &tz));
        (lo, hi)
    };
    let (lo, hi) = days(&mut anchors.iter().copied().chain(marks.iter().map(|m| m.1)));
    let (lo_all, hi_all) = match window {
        Some((a, b)) => (
            lo.map_or(day_start(a, &tz), |l| l.min(day_start(a, &tz))),
            next_day(day_start(b, &tz), &tz),
        ),
        None => (lo.unwrap_or(0), hi.unwrap_or(scale::DAY)),
    };
    let room = g.x1 - g.x0;
    let cap = ((0.8 * room) / MIN_GAP).floor() as usize;
    let starts = scale::split(&anchors, cap);
    let many = starts.len() > 1;
    let inputs = Inputs {
        story,
        chart,
        g,
        tz: &tz,
        anchors: &anchors,
    };
    let mut out = Vec::with_capacity(starts.len());
    for (k, &s) in starts.iter().enumerate() {
        let e = starts.get(k + 1).copied().unwrap_or(anchors.len());
        let first = anchors.get(s).map(|&t| day_start(t, &tz));
        let next_first = anchors
            .get(e)
            .filter(|_| k + 1 < starts.len())
            .map(|&t| day_start(t, &tz));
        let start = if k == 0 {
            lo_all
        } else {
            first.unwrap_or(lo_all)
        };
        let in_panel: Vec<(usize, i64, i64)> = marks
            .iter()
            .copied()
            .filter(|m| m.1 >= start && next_first.is_none_or(|n| m.1 < n))
            .collect();
        let last_day = anchors[s..e]
            .iter()
            .chain(in_panel.iter().map(|m| &m.1))
            .map(|&t| next_day(day_start(t, &tz), &tz))
            .max()
            .unwrap_or(start);
        let end = if k + 1 == starts.len() {
            hi_all.max(last_day)
        } else {
            last_day
        };
        let span = Span {
            contacts: (s, e),
            range: (start, end),
            many,
            window: window
                .map(|w| w.0)
                .filter(|&w| w >= start && next_first.is_none_or(|n| w < n)),
        };
        out.push(one(&inputs, &span, &in_panel));
    }
    out
}

/// What one panel holds.
struct Span {
    /// Its contacts' indexes (start, end).
    contacts: (usize, usize),
    /// The time shown.
    range: (i64, i64),
    /// The chart has several panels.
    many: bool,
    /// The start of the window asked for, when it is in this panel (kept
    /// out of breaks).
    window: Option<i64>,
}

/// What every panel is made from.
struct Inputs<'a, 's> {
    story: &'s Story,
    chart: &'a Chart<'s>,
    g: &'a Geometry,
    tz: &'a TimeZone,
    /// Where each contact is drawn.
    anchors: &'a [i64],
}

/// One panel: its scale, contacts, lanes, markers and ticks.
fn one(inputs: &Inputs, span: &Span, marks: &[(usize, i64, i64)]) -> Panel {
    let Inputs {
        story,
        chart,
        g,
        tz,
        anchors,
    } = *inputs;
    let (s, e) = span.contacts;
    // Contacts grouped by day: (day, next day, count).
    let mut days: Vec<(i64, i64, usize)> = Vec::new();
    for &t in &anchors[s..e] {
        let d = day_start(t, tz);
        match days.last_mut() {
            Some(last) if last.0 == d => last.2 += 1,
            _ => days.push((d, next_day(d, tz), 1)),
        }
    }
    let need = Need {
        days: days.clone(),
        pins: marks.iter().map(|m| m.1).chain(span.window).collect(),
        range: span.range,
    };
    let scale = scale::layout(&need, tz, g.x0, g.x1 - g.x0, max_breaks(g.fit));
    let mut contacts = Vec::with_capacity(e - s);
    let mut i = s;
    for (d0, d1, k) in &days {
        let (a, b) = (scale.x(*d0), scale.x(*d1));
        for j in 0..*k {
            contacts.push((i, a + (j as f64 + 0.5) * (b - a) / *k as f64));
            i += 1;
        }
    }
    let lanes: Vec<usize> = if span.many {
        let used: BTreeSet<usize> = chart.marks[s..e]
            .iter()
            .flat_map(|m| std::iter::once(m.from).chain(m.to.iter().copied()))
            .collect();
        used.into_iter().collect()
    } else {
        (0..chart.lanes.len()).collect()
    };
    let markers: Vec<Drawn> = marks
        .iter()
        .map(|&(index, lo, hi)| Drawn {
            index,
            t: lo,
            x: scale.x(lo),
            end: (hi - lo > scale::DAY).then(|| scale.x(hi)),
        })
        .collect();
    let texts: Vec<(f64, String)> = markers
        .iter()
        .map(|m| (m.x, crate::render::clean(&story.markers[m.index].label)))
        .collect();
    let (labels, band) = place(&texts, (g.m, g.m + g.content), g.small);
    let lines: Vec<f64> = markers
        .iter()
        .flat_map(|m| std::iter::once(m.x).chain(m.end))
        .collect();
    let clear = Clear {
        lines: &lines,
        left: g.m,
        right: g.m + g.content,
        size: g.small,
    };
    let contact_days: Vec<i64> = days.iter().map(|d| d.0).collect();
    let ticks = ticks::ticks(&scale, tz, &contact_days, &clear);
    let span = ticks::span_words(scale.t0(), scale.t1(), tz);
    Panel {
        span,
        contacts,
        lanes,
        scale,
        ticks,
        markers,
        labels,
        band,
    }
}
