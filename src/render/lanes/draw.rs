//! Drawing a lane chart's panel: its marker band, its axis with ticks and
//! breaks, its lanes, the markers' lines and the contacts.

use std::collections::BTreeSet;

use super::panel::Panel;
use super::scale::{Scale, DAY};
use super::{contact_sentence, kind_of, Chart, Geometry, Mark};
use crate::escape;
use crate::model::Story;
use crate::render::key::{self, KeyItem};
use crate::render::measure::text_width;
use crate::render::plan::clean;
use crate::render::style::{self, certainty_style, kind_style, FADED_LINE};

/// The colour of markers' lines and labels.
const MARKER: &str = "#AA3377";
/// The colour of their labels (darker, for contrast).
const MARKER_TEXT: &str = "#882255";

/// What every panel is drawn from.
pub(super) struct Ctx<'a, 's> {
    pub story: &'s Story,
    pub chart: &'a Chart<'s>,
    pub g: &'a Geometry,
}

/// A panel's vertical layout.
struct Rows {
    /// The bottom of the markers' band.
    band: f64,
    /// The axis line.
    axis: f64,
    /// Each lane's middle and height, in the panel's lane order.
    lanes: Vec<(f64, f64)>,
    /// Where the last lane ends.
    bottom: f64,
}

impl Rows {
    fn new(ctx: &Ctx, p: &Panel, top: f64) -> Rows {
        let g = ctx.g;
        let band = top + if p.band > 0.0 { p.band + 6.0 } else { 0.0 };
        let rows = p
            .ticks
            .iter()
            .filter_map(|t| t.label.as_ref().map(|l| l.1 + 1))
            .max()
            .unwrap_or(1) as f64;
        let axis = band + rows * g.small * 1.25 + 2.0;
        let line_h = g.name_size * 1.2;
        let mut at = axis + 6.0;
        let mut lanes = Vec::with_capacity(p.lanes.len());
        for &l in &p.lanes {
            let n = g.names.get(l).map_or(1, Vec::len) as f64;
            let h = (n * line_h + 10.0).max(30.0);
            lanes.push((at + h / 2.0, h));
            at += h;
        }
        Rows {
            band,
            axis,
            lanes,
            bottom: at,
        }
    }

    /// The y of chart lane `l`, if this panel draws it.
    fn y_of(&self, p: &Panel, l: usize) -> Option<f64> {
        p.lanes
            .iter()
            .position(|&x| x == l)
            .map(|i| self.lanes[i].0)
    }
}

/// Draws panel `index` from `top`; returns the y under it.
pub(super) fn panel(
    out: &mut String,
    ctx: &Ctx,
    p: &Panel,
    index: usize,
    top: f64,
    keys: &mut BTreeSet<KeyItem>,
) -> f64 {
    let rows = Rows::new(ctx, p, top);
    out.push_str(&format!(
        "<g class=\"grapevine-panel\" data-panel=\"{index}\">\n"
    ));
    for (k, &l) in p.lanes.iter().enumerate() {
        out.push_str(&lane(ctx, &p.scale, l, k, rows.lanes[k]));
    }
    out.push_str(&grid(p, &rows));
    if p.scale.breaks().next().is_some() {
        keys.insert(KeyItem::Break);
        out.push_str(&breaks(ctx, p, &rows));
    }
    if !p.markers.is_empty() {
        keys.insert(KeyItem::Marker);
        out.push_str(&markers(ctx, p, &rows));
    }
    // Contacts: faded first, chains on top.
    let mut order: Vec<&(usize, f64)> = p.contacts.iter().collect();
    order.sort_by_key(|(i, _)| ctx.chart.marks[*i].chain == Some(true));
    let tz = ctx.story.tz();
    for &&(i, x) in &order {
        let mk = &ctx.chart.marks[i];
        keys.extend(mk.key_items());
        let title = contact_sentence(ctx.story, mk.event, &tz);
        out.push_str(&contact(p, &rows, (mk, x), &title));
    }
    for held in &ctx.chart.held {
        let Some(y) = rows.y_of(p, held.lane) else {
            continue;
        };
        if shows(p, held) {
            keys.insert(KeyItem::Held);
            out.push_str(&format!(
                "<g class=\"grapevine-held\" data-holding=\"{}\"><title>{}</title>{}</g>\n",
                escape::svg(&held.id),
                escape::svg(&held.title),
                key::held_symbol(p.scale.x(held.t), y)
            ));
        }
    }
    out.push_str(&axis(ctx, p, &rows));
    out.push_str("</g>\n");
    rows.bottom
}

/// Whether panel `p` draws holding `held`: its lane and its time are on it.
pub(super) fn shows(p: &Panel, held: &super::Held) -> bool {
    p.lanes.contains(&held.lane)
        && (p.scale.t0()..=p.scale.t1()).contains(&held.t)
        && !p.scale.in_break(held.t)
}

/// One lane: alternate shading, the kind's symbol, the name, a thin line in
/// the kind's colour (interrupted at breaks).
fn lane(ctx: &Ctx, scale: &Scale, l: usize, k: usize, (y, h): (f64, f64)) -> String {
    let g = ctx.g;
    let id = &ctx.chart.lanes[l];
    let kind = kind_of(ctx.story, id);
    let ks = kind_style(kind);
    let name = clean(ctx.story.name_of(id));
    let mut s = format!(
        "<g class=\"lane\" data-entity=\"{}\"><title>{} ({})</title>",
        escape::svg(id),
        escape::svg(&name),
        ks.word
    );
    if k % 2 == 0 {
        s.push_str(&format!(
            "<rect x=\"{:.1}\" y=\"{:.1}\" width=\"{:.1}\" height=\"{h:.1}\" fill=\"#F4F6F8\"/>",
            g.m,
            y - h / 2.0,
            g.content
        ));
    }
    for (_, _, a, b) in scale.segments() {
        s.push_str(&format!(
            "<line x1=\"{a:.1}\" y1=\"{y:.1}\" x2=\"{b:.1}\" y2=\"{y:.1}\" stroke=\"{}\" stroke-width=\"1\" stroke-opacity=\"0.6\"/>",
            ks.border
        ));
    }
    // The kind's own symbol, as in the key, at half its size.
    s.push_str(&format!(
        "<g transform=\"translate({:.1} {:.1}) scale(0.45)\">{}</g>",
        g.m - 1.0,
        y - 5.4,
        key::symbol(KeyItem::Kind(kind), 0.0, 0.0, 24.0)
    ));
    let lines = g.names.get(l).map_or(&[][..], Vec::as_slice);
    let line_h = g.name_size * 1.2;
    let first = y - (lines.len() as f64 - 1.0) * line_h / 2.0 + g.name_size * 0.35;
    for (j, text) in lines.iter().enumerate() {
        s.push_str(&format!(
            "<text x=\"{:.1}\" y=\"{:.1}\" font-size=\"{}px\" fill=\"#111111\">{}</text>",
            g.m + 16.0,
            first + j as f64 * line_h,
            g.name_size,
            escape::svg(text)
        ));
    }
    s.push_str("</g>\n");
    s
}

/// The ticks' gridlines across the lanes.
fn grid(p: &Panel, rows: &Rows) -> String {
    let mut s = String::from("<g class=\"grapevine-grid\">");
    for t in p.ticks.iter().filter(|t| t.grid) {
        s.push_str(&format!(
            "<line x1=\"{x:.1}\" y1=\"{:.1}\" x2=\"{x:.1}\" y2=\"{:.1}\" stroke=\"#DDDDDD\" stroke-width=\"0.8\"/>",
            rows.axis,
            rows.bottom,
            x = t.x
        ));
    }
    s.push_str("</g>\n");
    s
}

/// A day's label for sentences: `2 Jun 2019`.
fn day_words(t: i64, story: &Story) -> String {
    let point = crate::model::TimePoint {
        lo: t,
        hi: t,
        precision: crate::model::Precision::Day,
        approximate: false,
        uncertain: false,
    };
    style::point_label(&point, &story.tz(), style::DateStyle::Short)
}

/// The breaks: a faint band across the lanes and two slanted strokes on
/// the axis.
fn breaks(ctx: &Ctx, p: &Panel, rows: &Rows) -> String {
    let mut s = String::new();
    for b in p.scale.breaks() {
        let (a, z) = (
            day_words(b.t0, ctx.story),
            day_words(b.t1 - DAY / 2, ctx.story),
        );
        let mid = (b.x0 + b.x1) / 2.0;
        let y = rows.axis;
        s.push_str(&format!(
            "<g class=\"grapevine-break\"><title>Time not to scale: {} to {} is compressed</title>\
             <rect x=\"{:.1}\" y=\"{y:.1}\" width=\"{:.1}\" height=\"{:.1}\" fill=\"#C8CDD3\" fill-opacity=\"0.45\"/>\
             <path d=\"M{:.1},{:.1} l6,-12 M{:.1},{:.1} l6,-12\" stroke=\"#555555\" stroke-width=\"1.4\" fill=\"none\"/></g>\n",
            escape::svg(&a),
            escape::svg(&z),
            b.x0 + 2.0,
            (b.x1 - b.x0 - 4.0).max(1.0),
            rows.bottom - y,
            mid - 6.0,
            y + 6.0,
            mid,
            y + 6.0,
        ));
    }
    s
}

/// The markers' lines (and spans) across the lanes, and their labels.
fn markers(ctx: &Ctx, p: &Panel, rows: &Rows) -> String {
    let g = ctx.g;
    let tz = ctx.story.tz();
    let mut s = String::new();
    for m in &p.markers {
        let marker = &ctx.story.markers[m.index];
        let label = p.labels.iter().find(|l| (l.x - m.x).abs() < 1.0).cloned();
        let when = style::date_label(marker.time.as_ref(), &tz, style::DateStyle::Short);
        let top = label
            .as_ref()
            .map_or(rows.axis, |l| rows.band - l.lift - l.height);
        s.push_str(&format!(
            "<g class=\"grapevine-marker\" data-marker=\"{}\" data-time=\"{}\"><title>{}: {}</title>",
            escape::svg(&marker.id),
            super::ticks::iso(m.t, &tz),
            escape::svg(&clean(&marker.label)),
            escape::svg(&when)
        ));
        if let Some(end) = m.end {
            s.push_str(&format!(
                "<rect x=\"{:.1}\" y=\"{:.1}\" width=\"{:.1}\" height=\"{:.1}\" fill=\"{MARKER}\" fill-opacity=\"0.08\"/>",
                m.x,
                rows.axis,
                (end - m.x).max(1.0),
                rows.bottom - rows.axis
            ));
        }
        s.push_str(&format!(
            "<line x1=\"{x:.1}\" y1=\"{top:.1}\" x2=\"{x:.1}\" y2=\"{:.1}\" stroke=\"{MARKER}\" stroke-width=\"1.3\" stroke-dasharray=\"5,3\"/>",
            rows.bottom,
            x = m.x
        ));
        // The label is drawn once, by the first marker at its x.
        let first = p.markers.iter().find(|o| (o.x - m.x).abs() < 1.0) == Some(m);
        if let (Some(l), true) = (label, first) {
            let line_h = g.small * 1.2;
            for (j, text) in l.lines.iter().enumerate() {
                s.push_str(&format!(
                    "<text x=\"{:.1}\" y=\"{:.1}\" font-size=\"{}px\" fill=\"{MARKER_TEXT}\"{}>{}</text>",
                    if l.right { l.x + 4.0 } else { l.x - 4.0 },
                    top + g.small * 0.95 + j as f64 * line_h,
                    g.small,
                    if l.right { "" } else { " text-anchor=\"end\"" },
                    escape::svg(text)
                ));
            }
        }
        s.push_str("</g>\n");
    }
    s
}

/// The axis: a line per unbroken run, tick marks and labels.
fn axis(ctx: &Ctx, p: &Panel, rows: &Rows) -> String {
    let g = ctx.g;
    let y = rows.axis;
    let mut s = String::from(
        "<g class=\"grapevine-axis\"><title>Time runs left to right; the grey bands are stretches of time compressed</title>\n",
    );
    // The time the panel shows, left of the axis, over the names.
    let room = g.x0 - 8.0 - g.m;
    if let Some(span) = p
        .span
        .iter()
        .find(|t| !t.is_empty() && text_width(t, g.small, true) <= room)
    {
        s.push_str(&format!(
            "<text x=\"{:.1}\" y=\"{:.1}\" font-size=\"{}px\" font-weight=\"bold\" fill=\"#444444\">{}</text>",
            g.m,
            y - 4.0,
            g.small,
            escape::svg(span)
        ));
    }
    for (_, _, a, b) in p.scale.segments() {
        s.push_str(&format!(
            "<line x1=\"{a:.1}\" y1=\"{y:.1}\" x2=\"{b:.1}\" y2=\"{y:.1}\" stroke=\"#888888\"/>"
        ));
    }
    for t in &p.ticks {
        s.push_str(&format!(
            "<line data-tick=\"{}\" x1=\"{x:.1}\" y1=\"{:.1}\" x2=\"{x:.1}\" y2=\"{:.1}\" stroke=\"#888888\"/>",
            t.date,
            y - 4.0,
            y + 3.0,
            x = t.x
        ));
        if let Some((text, row, left)) = &t.label {
            let base = y - 4.0 - *row as f64 * g.small * 1.25;
            if *left {
                // Set to the left: a leader from the axis up to the label.
                s.push_str(&format!(
                    "<line x1=\"{x:.1}\" y1=\"{y:.1}\" x2=\"{x:.1}\" y2=\"{:.1}\" stroke=\"#888888\" stroke-width=\"0.8\"/>",
                    base - g.small * 0.8,
                    x = t.x
                ));
            }
            s.push_str(&format!(
                "<text x=\"{:.1}\" y=\"{base:.1}\" font-size=\"{}px\" fill=\"#444444\"{}>{}</text>",
                if *left { t.x - 3.0 } else { t.x + 3.0 },
                g.small,
                if *left { " text-anchor=\"end\"" } else { "" },
                escape::svg(text)
            ));
        }
    }
    s.push_str("</g>\n");
    s
}

/// One contact at `x`: a bar over its span when not known to the day
/// (cut at the panel's edges, with a notch where it goes on), a line from
/// the sender's lane to each receiver's (an arrowhead, or a dot for a
/// meeting), a dot on the sender's lane.
fn contact(p: &Panel, rows: &Rows, (mk, x): (&Mark, f64), title: &str) -> String {
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
    let mut s = format!(
        "<g class=\"contact\" data-event=\"{}\"><title>{}</title>",
        escape::svg(&mk.event.id),
        escape::svg(title)
    );
    let Some(fy) = rows.y_of(p, mk.from) else {
        return String::new();
    };
    if !mk.exact() {
        s.push_str(&bar(&p.scale, mk, fy, colour));
    }
    let mutual = mk.event.is_mutual();
    for &t in &mk.to {
        let Some(ty) = rows.y_of(p, t) else { continue };
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

/// A contact's span as a bar on the sender's lane, cut at the panel's
/// edges (a notch says it goes on).
fn bar(scale: &Scale, mk: &Mark, y: f64, colour: &str) -> String {
    let (t0, t1) = (scale.t0(), scale.t1());
    let (a, b) = (scale.x(mk.lo.max(t0)), scale.x(mk.hi.min(t1)));
    let mut s = format!(
        "<rect x=\"{a:.1}\" y=\"{:.1}\" width=\"{:.1}\" height=\"6\" rx=\"3\" fill=\"{colour}\" fill-opacity=\"0.18\"/>",
        y - 3.0,
        (b - a).max(3.0)
    );
    let notch = |x: f64, dir: f64| {
        format!(
            "<polygon points=\"{:.1},{:.1} {:.1},{y:.1} {:.1},{:.1}\" fill=\"{colour}\" fill-opacity=\"0.45\"/>",
            x,
            y - 4.0,
            x + dir * 5.0,
            x,
            y + 4.0
        )
    };
    if mk.lo < t0 {
        s.push_str(&notch(a, -1.0));
    }
    if mk.hi > t1 {
        s.push_str(&notch(b, 1.0));
    }
    s
}
