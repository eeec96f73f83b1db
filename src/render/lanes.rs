//! The lane chart (i2's theme lines): one horizontal lane per person,
//! organisation or group on a true time axis; each contact an arrow from the
//! sender's lane to the receiver's at its date, a meeting a line joining its
//! participants' lanes; a contact known only to a span of time also a bar
//! over that span; certainty as line style, with the same key as the other
//! pictures. Drawn directly as SVG (no Graphviz), so it is the same
//! whichever engine is chosen.
//!
//! It takes the same focus as the other pictures: with a reach, the lanes
//! of the reached in the answer's causal order, the chains in bold.

use std::collections::{BTreeMap, BTreeSet};

use super::alt::alt_text;
use super::key::KeyItem;
use super::measure::{text_width, wrap_px};
use super::plan::clean;
use super::style::{certainty_style, kind_style, FADED_LINE};
use super::{frame, Fit, Focus, Highlight, Look};
use crate::error::{Chart as ChartKind, RenderError};
use crate::escape;
use crate::model::{Certainty, Event, Parties, Story};
use crate::Error;

/// Most lanes a chart draws before it is refused (with the focus options
/// to use).
pub const MAX_LANES: usize = 150;
/// Most contacts a chart draws before it is refused, like [`MAX_LANES`].
pub const MAX_LANE_CONTACTS: usize = 1000;

/// One contact on the chart.
struct Mark<'s> {
    event: &'s Event,
    from: usize,
    to: Vec<usize>,
    lo: i64,
    hi: i64,
    chain: Option<bool>,
}

/// Sizes: (lane names, small text), in CSS px.
fn sizes(fit: Fit) -> (f64, f64) {
    match fit {
        Fit::Phone => (14.0, 12.0),
        Fit::Column | Fit::Wide => (14.0, 12.0),
    }
}

const SECONDS_PER_DAY: i64 = 86_400;

/// The lane chart of `story` under `focus` as an accessible SVG.
///
/// Errors: more than [`MAX_LANES`](crate::render::MAX_LANES) lanes or [`MAX_LANE_CONTACTS`](crate::render::MAX_LANE_CONTACTS) contacts.
pub fn lanes_svg(story: &Story, focus: &Focus, look: &Look) -> Result<String, Error> {
    let tz = story.tz();
    let chart = Chart::collect(story, focus)?;
    let fit = look.fit;
    let g = Geometry::new(fit, &chart.marks);
    let names = lane_names(story, &chart.lanes, g.name_w - 16.0, g.name_size);
    let mut body = String::new();
    let top = frame::caption(&mut body, fit, &title_of(story), focus.heading.as_deref());
    let axis_y = top + 8.0 + g.small;
    let ticks = month_ticks(&tz, &g);
    let rows = Rows::new(axis_y + 8.0, &names, g.name_size * 1.2);
    body.push_str("<g class=\"grapevine-drawing grapevine-lanes\">\n");
    for (i, id) in chart.lanes.iter().enumerate() {
        body.push_str(&g.lane(story, id, &names[i], rows.lane(i)));
    }
    body.push_str(&g.axis(&ticks, axis_y, rows.bottom));
    // Contacts: faded first, chains on top.
    let mut keys: BTreeSet<KeyItem> = BTreeSet::new();
    let mut used: BTreeMap<i64, usize> = BTreeMap::new();
    let mut order: Vec<&Mark> = chart.marks.iter().collect();
    order.sort_by_key(|mk| mk.chain == Some(true));
    for mk in order {
        keys.extend(mk.key_items());
        // Contacts at the same spot step aside a little.
        let base = g.x(mk.start());
        let slot = (base / 3.0).round() as i64;
        let n = used.entry(slot).or_insert(0);
        let x = base + *n as f64 * 3.5;
        *n += 1;
        let title = contact_sentence(story, mk.event, &tz);
        body.push_str(&g.contact(mk, x, &rows.y, &title));
    }
    body.push_str("</g>\n");
    // The key and notes.
    for id in &chart.lanes {
        keys.insert(KeyItem::Kind(kind_of(story, id)));
    }
    let notes = chart.notes(story, focus, look);
    let sources = if look.credits {
        sources_line(story)
    } else {
        None
    };
    let end = frame::footer(
        &mut body,
        fit,
        rows.bottom + 4.0,
        &keys.into_iter().collect::<Vec<_>>(),
        &notes,
        sources.as_deref(),
    );
    let height = (end + g.m).ceil();
    let mut out = frame::open(
        look,
        f64::from(fit.width()),
        height,
        &title_of(story),
        &alt_text(story, focus),
    );
    out.push_str(&body);
    out.push_str("</svg>\n");
    Ok(out)
}

/// What a chart draws: its lanes (entity ids, in order) and contacts.
struct Chart<'s> {
    lanes: Vec<String>,
    marks: Vec<Mark<'s>>,
    /// Contacts in the focus left out for having no date.
    undated: usize,
}

/// Whether the focus draws this entity.
fn keeps(focus: &Focus, id: &str) -> bool {
    focus.entities.as_ref().is_none_or(|s| s.contains(id))
}

impl<'s> Chart<'s> {
    /// The lanes and contacts of `story` under `focus`; refused past
    /// [`MAX_LANES`] or [`MAX_LANE_CONTACTS`].
    fn collect(story: &'s Story, focus: &Focus) -> Result<Chart<'s>, Error> {
        let h = focus.highlight.as_ref();
        // Lane order: the reach's causal order, else first appearance.
        let mut lanes = h.map(|h| chain_lanes(h, focus)).unwrap_or_default();
        let mut lane_of: BTreeMap<String, usize> = lanes
            .iter()
            .enumerate()
            .map(|(i, id)| (id.clone(), i))
            .collect();
        let (events, undated) = drawn_events(story, focus);
        for e in &events {
            for p in e.parties.entities() {
                if keeps(focus, p) && !lane_of.contains_key(p) {
                    lane_of.insert(p.to_string(), lanes.len());
                    lanes.push(p.to_string());
                }
            }
        }
        if lanes.len() > MAX_LANES || events.len() > MAX_LANE_CONTACTS {
            return Err(Error::Render(RenderError::Crowded {
                chart: ChartKind::Lanes,
                entities: lanes.len(),
                contacts: events.len(),
                max_entities: MAX_LANES,
                max_contacts: MAX_LANE_CONTACTS,
            }));
        }
        let marks = events
            .into_iter()
            .filter_map(|e| Mark::of(e, &lane_of, &lanes, h))
            .collect();
        Ok(Chart {
            lanes,
            marks,
            undated,
        })
    }

    /// The lines under the chart: who was not reached, what has no date.
    fn notes(&self, story: &Story, focus: &Focus, look: &Look) -> Vec<String> {
        let mut notes: Vec<String> = Vec::new();
        if let Some(h) = &focus.highlight {
            if look.unreached {
                notes.extend(super::plan::not_reached_line(story, h));
            }
        }
        let undated = self.undated;
        if undated > 0 {
            notes.push(format!(
                "Not drawn: {} contact{} with no date.",
                undated,
                if undated == 1 { "" } else { "s" }
            ));
        }
        notes
    }
}

/// The lanes of a highlight's chains in the answer's causal order (the
/// source first), those the focus draws.
fn chain_lanes(h: &Highlight, focus: &Focus) -> Vec<String> {
    let mut order: Vec<(i64, usize, &String)> = h
        .chains
        .iter()
        .enumerate()
        .map(|(i, (id, _))| {
            let t = h
                .reached
                .get(id)
                .and_then(|m| m.earliest_seconds)
                .unwrap_or(i64::MIN);
            (
                if h.reached.get(id).is_some_and(|m| m.is_source) {
                    i64::MIN
                } else {
                    t
                },
                i,
                id,
            )
        })
        .collect();
    order.sort();
    let mut seen: BTreeSet<&String> = BTreeSet::new();
    let mut lanes: Vec<String> = Vec::new();
    for (_, _, id) in order {
        if keeps(focus, id) && seen.insert(id) {
            lanes.push(id.clone());
        }
    }
    lanes
}

/// The contacts drawn, in time order: dated, strong enough, in the focus,
/// with two parties drawn (all of them reached, under a highlight); and
/// how many were left out for having no date.
fn drawn_events<'s>(story: &'s Story, focus: &Focus) -> (Vec<&'s Event>, usize) {
    let h = focus.highlight.as_ref();
    let mut undated = 0usize;
    let mut events: Vec<(i64, usize, &Event)> = Vec::new();
    for (i, e) in story.events.iter().enumerate() {
        if e.certainty() < focus.threshold {
            continue;
        }
        if focus.events.as_ref().is_some_and(|s| !s.contains(&e.id)) {
            continue;
        }
        let parties: Vec<&str> = e
            .parties
            .entities()
            .into_iter()
            .filter(|p| keeps(focus, p))
            .collect();
        let distinct: BTreeSet<&str> = parties.iter().copied().collect();
        if distinct.len() < 2 {
            continue;
        }
        if h.is_some()
            && distinct
                .iter()
                .any(|p| !h.is_some_and(|h| h.reached.contains_key(*p)))
        {
            continue;
        }
        let iv = e.interval();
        if iv.lo.is_none() && iv.hi.is_none() {
            undated += 1;
            continue;
        }
        events.push((iv.lo.or(iv.hi).unwrap_or(0), i, e));
    }
    events.sort_by_key(|(t, i, _)| (*t, *i));
    (events.into_iter().map(|(_, _, e)| e).collect(), undated)
}

impl<'s> Mark<'s> {
    /// The mark of contact `e` between the lanes, if two of its parties
    /// have one.
    fn of(
        e: &'s Event,
        lane_of: &BTreeMap<String, usize>,
        lanes: &[String],
        h: Option<&Highlight>,
    ) -> Option<Mark<'s>> {
        let iv = e.interval();
        let (lo, hi) = (iv.lo.unwrap_or(i64::MIN), iv.hi.unwrap_or(i64::MAX));
        let on_chain = |a: &str, b: &str| {
            h.map(|h| {
                h.channels
                    .iter()
                    .any(|(ev, x, y)| ev == &e.id && ((x == a && y == b) || (x == b && y == a)))
            })
        };
        let (from, to, chain) = match &e.parties {
            Parties::Directed { from, to, .. } => {
                let f = *lane_of.get(from)?;
                let to: Vec<usize> = to
                    .iter()
                    .filter_map(|t| lane_of.get(t).copied())
                    .filter(|&t| t != f)
                    .collect();
                if to.is_empty() {
                    return None;
                }
                let chain = to.iter().map(|&t| on_chain(from, &lanes[t])).fold(
                    None,
                    |acc: Option<bool>, c| match (acc, c) {
                        (Some(a), Some(b)) => Some(a || b),
                        (None, c) => c,
                        (a, None) => a,
                    },
                );
                (f, to, chain)
            }
            Parties::Mutual { participants } => {
                let mut ps: Vec<usize> = participants
                    .iter()
                    .filter_map(|p| lane_of.get(p).copied())
                    .collect();
                ps.sort();
                ps.dedup();
                if ps.len() < 2 {
                    return None;
                }
                let chain = h.map(|h| h.channels.iter().any(|(ev, _, _)| ev == &e.id));
                (ps[0], ps[1..].to_vec(), chain)
            }
        };
        Some(Mark {
            event: e,
            from,
            to,
            lo,
            hi,
            chain,
        })
    }

    /// Where it is drawn: its start, or its end when its start is open.
    fn start(&self) -> i64 {
        if self.lo == i64::MIN {
            self.hi
        } else {
            self.lo
        }
    }

    /// Known to the day (else a bar shows its span).
    fn exact(&self) -> bool {
        self.lo != i64::MIN && self.hi != i64::MAX && self.hi - self.lo <= SECONDS_PER_DAY
    }

    /// The key's symbols it uses.
    fn key_items(&self) -> Vec<KeyItem> {
        let mut items = vec![KeyItem::Certainty(self.event.certainty())];
        match self.chain {
            Some(false) => items.push(KeyItem::Faded),
            Some(true) => items.push(KeyItem::Chain),
            None => {}
        }
        if self.event.is_mutual() {
            items.push(KeyItem::Mutual);
        }
        if !self.exact() {
            items.push(KeyItem::Span);
        }
        items
    }
}

/// An entity's kind (`Other` when it is not in the story).
fn kind_of(story: &Story, id: &str) -> crate::model::EntityKind {
    story
        .entity(id)
        .map_or(crate::model::EntityKind::Other, |e| e.kind())
}

/// Each lane's name wrapped to `room`, at most three lines (the last cut
/// with an ellipsis).
fn lane_names(story: &Story, lanes: &[String], room: f64, size: f64) -> Vec<Vec<String>> {
    lanes
        .iter()
        .map(|id| {
            let mut l = wrap_px(&clean(story.name_of(id)), room, size, false);
            if l.len() > 3 {
                l.truncate(3);
                if let Some(last) = l.last_mut() {
                    while !last.is_empty() && text_width(&format!("{last}…"), size, false) > room
                    {
                        last.pop();
                    }
                    last.push('…');
                }
            }
            l
        })
        .collect()
}

/// The chart's sizes and its time scale.
struct Geometry {
    /// The margin.
    m: f64,
    /// The drawing's width inside the margins.
    content: f64,
    name_size: f64,
    small: f64,
    /// The width of the names' column.
    name_w: f64,
    /// The time axis runs from x0 to x1 ...
    x0: f64,
    x1: f64,
    /// ... for the times t0 to t1 (seconds).
    t0: i64,
    t1: i64,
}

impl Geometry {
    fn new(fit: Fit, marks: &[Mark]) -> Geometry {
        // The time scale: from the earliest known bound to the latest.
        let finite: Vec<i64> = marks
            .iter()
            .flat_map(|m| [m.lo, m.hi])
            .filter(|t| *t != i64::MIN && *t != i64::MAX)
            .collect();
        let t0 = finite.iter().copied().min().unwrap_or(0);
        let t1 = finite
            .iter()
            .copied()
            .max()
            .unwrap_or(t0)
            .max(t0 + SECONDS_PER_DAY);
        let span = (t1 - t0) as f64;
        let (t0, t1) = (t0 - (span * 0.03) as i64, t1 + (span * 0.05) as i64);
        let m = 8.0_f64.max(if fit == Fit::Phone { 8.0 } else { 12.0 });
        let content = frame::content_width(fit);
        let (name_size, small) = sizes(fit);
        let name_w = (content * if fit == Fit::Phone { 0.3 } else { 0.22 }).min(170.0);
        Geometry {
            m,
            content,
            name_size,
            small,
            name_w,
            x0: m + name_w + 6.0,
            x1: m + content - 10.0,
            t0,
            t1,
        }
    }

    /// The x of time `t`.
    fn x(&self, t: i64) -> f64 {
        let (t0, t1, x0, x1) = (self.t0, self.t1, self.x0, self.x1);
        let t = t.clamp(t0, t1);
        x0 + (t - t0) as f64 / (t1 - t0).max(1) as f64 * (x1 - x0)
    }

    /// One lane: alternate shading, the name, a thin line in the kind's
    /// colour.
    fn lane(
        &self,
        story: &Story,
        id: &str,
        name_lines: &[String],
        lane: (usize, f64, f64),
    ) -> String {
        let (i, y, h) = lane;
        let (m, content, x0, x1) = (self.m, self.content, self.x0, self.x1);
        let name_size = self.name_size;
        let line_h = name_size * 1.2;
        let top_i = y - h / 2.0;
        let kind = kind_of(story, id);
        let ks = kind_style(kind);
        let name = clean(story.name_of(id));
        let mut s = format!(
            "<g class=\"lane\"><title>{} ({})</title>",
            escape::svg(&name),
            ks.word
        );
        if i % 2 == 0 {
            s.push_str(&format!(
                "<rect x=\"{m:.1}\" y=\"{top_i:.1}\" width=\"{content:.1}\" height=\"{:.1}\" fill=\"#F4F6F8\"/>",
                h
            ));
        }
        s.push_str(&format!(
            "<line x1=\"{x0:.1}\" y1=\"{:.1}\" x2=\"{x1:.1}\" y2=\"{:.1}\" stroke=\"{}\" stroke-width=\"1\" stroke-opacity=\"0.6\"/>",
            y, y, ks.border
        ));
        // The kind's own symbol, as in the key, at half its size.
        s.push_str(&format!(
            "<g transform=\"translate({:.1} {:.1}) scale(0.45)\">{}</g>",
            m - 1.0,
            y - 5.4,
            super::key::symbol(KeyItem::Kind(kind), 0.0, 0.0, 24.0)
        ));
        let first = y - (name_lines.len() as f64 - 1.0) * line_h / 2.0 + name_size * 0.35;
        for (k, l) in name_lines.iter().enumerate() {
            s.push_str(&format!(
                "<text x=\"{:.1}\" y=\"{:.1}\" font-size=\"{name_size}px\" fill=\"#111111\">{}</text>",
                m + 16.0,
                first + k as f64 * line_h,
                escape::svg(l)
            ));
        }
        s.push_str("</g>\n");
        s
    }

    /// The time axis at `axis_y`, its ticks running down to `bottom`.
    fn axis(&self, ticks: &[(i64, String, bool)], axis_y: f64, bottom: f64) -> String {
        let (x0, x1, small) = (self.x0, self.x1, self.small);
        let mut body = format!(
            "<g class=\"grapevine-axis\"><title>Time runs left to right</title><line x1=\"{x0:.1}\" y1=\"{:.1}\" x2=\"{x1:.1}\" y2=\"{:.1}\" stroke=\"#888888\"/>",
            axis_y + 3.0, axis_y + 3.0
        );
        for (t, label, labelled) in ticks {
            let x = self.x(*t);
            body.push_str(&format!(
                "<line x1=\"{x:.1}\" y1=\"{:.1}\" x2=\"{x:.1}\" y2=\"{bottom:.1}\" stroke=\"#DDDDDD\" stroke-width=\"0.8\"/>",
                axis_y + 3.0
            ));
            if *labelled {
                let w = text_width(label, small, false);
                let lx = (x - w / 2.0).clamp(x0 - 4.0, x1 + 8.0 - w);
                body.push_str(&format!(
                    "<text x=\"{lx:.1}\" y=\"{axis_y:.1}\" font-size=\"{small}px\" fill=\"#444444\">{}</text>",
                    escape::svg(label)
                ));
            }
        }
        body.push_str("</g>\n");
        body
    }

    /// One contact at `x`: a bar over its span when not known to the day,
    /// a line from the sender's lane to each receiver's (an arrowhead, or a
    /// dot for a meeting), a dot on the sender's lane.
    fn contact(&self, mk: &Mark, x: f64, lane_y: &[f64], title: &str) -> String {
        let cs = certainty_style(mk.event.certainty());
        let (colour, pen) = match mk.chain {
            Some(true) => ("#000000", 2.4),
            Some(false) => (FADED_LINE, 1.2),
            None => (cs.color, 1.4),
        };
        let dash = match cs.style {
            "dashed" => " stroke-dasharray=\"6,3\"",
            "dotted" => " stroke-dasharray=\"1.5,3\" stroke-linecap=\"round\"",
            _ => "",
        };
        let mutual = mk.event.is_mutual();
        let mut s = format!("<g class=\"contact\"><title>{}</title>", escape::svg(title));
        // A span: a bar over the interval on the sender's lane.
        if !mk.exact() {
            let (a, b) = (self.x(mk.lo), self.x(mk.hi));
            let fy = lane_y[mk.from];
            s.push_str(&format!(
                "<rect x=\"{a:.1}\" y=\"{:.1}\" width=\"{:.1}\" height=\"6\" rx=\"3\" fill=\"{colour}\" fill-opacity=\"0.18\"/>",
                fy - 3.0,
                (b - a).max(3.0)
            ));
        }
        let fy = lane_y[mk.from];
        for &t in &mk.to {
            let ty = lane_y[t];
            let dir = if ty > fy { 1.0 } else { -1.0 };
            let tip = ty - dir * 4.5;
            s.push_str(&format!(
                "<line x1=\"{x:.1}\" y1=\"{fy:.1}\" x2=\"{x:.1}\" y2=\"{:.1}\" stroke=\"{colour}\" stroke-width=\"{pen}\"{dash}/>",
                if mutual { ty } else { tip - dir * 6.0 }
            ));
            if mutual {
                s.push_str(&format!(
                    "<circle cx=\"{x:.1}\" cy=\"{ty:.1}\" r=\"3\" fill=\"{colour}\"/>"
                ));
            } else {
                s.push_str(&format!(
                    "<polygon points=\"{x:.1},{tip:.1} {:.1},{:.1} {:.1},{:.1}\" fill=\"{colour}\"/>",
                    x - 4.0,
                    tip - dir * 8.0,
                    x + 4.0,
                    tip - dir * 8.0
                ));
            }
        }
        s.push_str(&format!(
            "<circle cx=\"{x:.1}\" cy=\"{fy:.1}\" r=\"3\" fill=\"{colour}\"/>"
        ));
        s.push_str("</g>\n");
        s
    }
}

/// The lanes' heights and middles, from `top` down.
struct Rows {
    /// Each lane's middle.
    y: Vec<f64>,
    /// Each lane's height.
    h: Vec<f64>,
    /// Where the last lane ends.
    bottom: f64,
}

impl Rows {
    fn new(top: f64, names: &[Vec<String>], line_h: f64) -> Rows {
        let h: Vec<f64> = names
            .iter()
            .map(|l| (l.len() as f64 * line_h + 10.0).max(30.0))
            .collect();
        let mut y: Vec<f64> = Vec::new();
        let mut at = top;
        for lane_h in &h {
            y.push(at + lane_h / 2.0);
            at += lane_h;
        }
        Rows { y, h, bottom: at }
    }

    /// Lane `i`: (i, middle, height).
    fn lane(&self, i: usize) -> (usize, f64, f64) {
        (i, self.y[i], self.h[i])
    }
}

/// Month ticks between the scale's ends: (time, label, labelled), labelled
/// as often as the labels fit.
fn month_ticks(tz: &jiff::tz::TimeZone, g: &Geometry) -> Vec<(i64, String, bool)> {
    let (t0, t1, x0, x1, small) = (g.t0, g.t1, g.x0, g.x1, g.small);
    let mut ticks: Vec<(i64, String, bool)> = Vec::new();
    let (Ok(a), Ok(b)) = (
        jiff::Timestamp::from_second(t0),
        jiff::Timestamp::from_second(t1),
    ) else {
        return ticks;
    };
    let (a, b) = (
        a.to_zoned_datetime(tz.clone()),
        b.to_zoned_datetime(tz.clone()),
    );
    let mut d = a.date().first_of_month();
    let end = b.date();
    let months = (i32::from(end.year()) - i32::from(d.year())) * 12 + i32::from(end.month())
        - i32::from(d.month())
        + 1;
    let label_w = text_width("Sep 2016", small, false) + 12.0;
    let every = ((label_w / ((x1 - x0) / f64::from(months.max(1)))).ceil() as i32).max(1);
    let every = [1, 2, 3, 4, 6, 12, 24, 60]
        .into_iter()
        .find(|k| *k >= every)
        .unwrap_or(120);
    let mut k = 0;
    while d <= end && k < 2000 {
        if let Ok(z) = d.to_zoned_datetime(tz.clone()) {
            let secs = z.timestamp().as_second();
            let labelled = (i32::from(d.month()) - 1) % every == 0;
            const MONTHS: [&str; 12] = [
                "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
            ];
            let label = if d.month() == 1 || every >= 12 {
                format!("{}", d.year())
            } else {
                let m = MONTHS[(d.month().clamp(1, 12) - 1) as usize];
                format!("{m} {}", d.year())
            };
            if secs >= t0 && secs <= t1 {
                ticks.push((secs, label, labelled));
            }
        }
        d = match d.checked_add(jiff::Span::new().months(1)) {
            Ok(n) => n,
            Err(_) => break,
        };
        k += 1;
    }
    ticks
}

fn title_of(story: &Story) -> String {
    story
        .title
        .as_deref()
        .map(clean)
        .filter(|t| !t.is_empty())
        .unwrap_or_else(|| "Untitled story".to_string())
}

fn sources_line(story: &Story) -> Option<String> {
    let names: Vec<String> = story
        .sources
        .iter()
        .map(|s| {
            clean(&match (&s.publisher, &s.title) {
                (Some(p), Some(t)) => format!("{p}, “{t}”"),
                (Some(p), None) => p.clone(),
                (None, Some(t)) => format!("“{t}”"),
                (None, None) => s.id.clone(),
            })
        })
        .collect();
    match names.len() {
        0 => None,
        1 => Some(format!("Source: {}", names[0])),
        _ => Some(format!("Sources: {}", names.join("; "))),
    }
}

fn contact_sentence(story: &Story, e: &Event, tz: &jiff::tz::TimeZone) -> String {
    let when = super::style::date_label(e.time.as_ref(), tz, super::style::DateStyle::Short);
    let names: Vec<String> = e
        .parties
        .entities()
        .iter()
        .map(|p| clean(story.name_of(p)))
        .collect();
    let how = match e.certainty() {
        Certainty::Unknown => "unknown whether it happened".to_string(),
        c => c.to_string(),
    };
    match &e.parties {
        Parties::Directed { from, .. } => format!(
            "{} → {}: {} ({when}, {how})",
            clean(story.name_of(from)),
            super::style::join_names(&names[1.min(names.len())..]),
            clean(e.kind())
        ),
        Parties::Mutual { .. } => format!(
            "{}: {} ({when}, {how})",
            clean(e.kind()),
            super::style::join_names(&names)
        ),
    }
}

/// The lane chart as PNG, `width` pixels wide (default: the fit's width at
/// twice the pixel density).
pub fn lanes_png(
    story: &Story,
    focus: &Focus,
    look: &Look,
    width: Option<u32>,
) -> Result<Vec<u8>, Error> {
    let svg = lanes_svg(
        story,
        focus,
        &Look {
            max_width: None,
            ..*look
        },
    )?;
    #[cfg(feature = "png")]
    {
        super::png::svg_to_png(&svg, width)
    }
    #[cfg(not(feature = "png"))]
    {
        let _ = (svg, width);
        Err(Error::Render(RenderError::NotBuilt(
            crate::error::Missing::LanePng,
        )))
    }
}
