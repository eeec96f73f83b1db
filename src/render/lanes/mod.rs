//! The lane chart (i2's theme lines): one horizontal lane per person,
//! organisation or group on a time axis; each contact an arrow from the
//! sender's lane to the receiver's at its date, a meeting a line joining its
//! participants' lanes; a contact known only to a span of time also a bar
//! over that span; certainty as line style, with the same key as the other
//! pictures; the story's markers as labelled lines across the lanes. Drawn
//! directly as SVG (no Graphviz), so it is the same whichever engine is
//! chosen.
//!
//! The axis makes room (`scale.rs`): each contact at least 26 px from the
//! next, quiet stretches compressed into marked breaks, a story too dense
//! for one row split into panels (`panel.rs`), ticks chosen to fit
//! (`ticks.rs`), markers' labels stacked (`markers.rs`); `draw.rs` writes it.
//!
//! It takes the same focus as the other pictures: with a reach, the lanes
//! of the reached in the answer's causal order, the chains in bold.

use std::collections::{BTreeMap, BTreeSet};

mod draw;
mod markers;
mod panel;
mod scale;
mod ticks;

use super::alt::alt_text;
use super::key::KeyItem;
use super::measure::text_width;
use super::plan::clean;
use super::{frame, Fit, Focus, Highlight, Look};
use crate::error::{Chart as ChartKind, RenderError};
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

const SECONDS_PER_DAY: i64 = 86_400;

/// The lane chart of `story` under `focus` as an accessible SVG.
///
/// The time axis makes room: each contact's line is at least 24 px from the
/// next, quiet stretches are compressed into marked breaks, and a story too
/// dense for one row is drawn in panels, one under the other (see
/// `docs/diagrams.md`). The story's markers are labelled lines across the
/// lanes.
///
/// Errors: more than [`MAX_LANES`](crate::render::MAX_LANES) lanes or [`MAX_LANE_CONTACTS`](crate::render::MAX_LANE_CONTACTS) contacts.
pub fn lanes_svg(story: &Story, focus: &Focus, look: &Look) -> Result<String, Error> {
    let chart = Chart::collect(story, focus)?;
    let fit = look.fit;
    let g = Geometry::new(fit, story, &chart.lanes);
    let mut body = String::new();
    let top = frame::caption(&mut body, fit, &title_of(story), focus.heading.as_deref());
    let panels = panel::panels(story, focus, &chart, &g);
    let mut keys: BTreeSet<KeyItem> = BTreeSet::new();
    body.push_str("<g class=\"grapevine-drawing grapevine-lanes\">\n");
    let mut y = top + 4.0;
    for (i, p) in panels.iter().enumerate() {
        if i > 0 {
            y += 22.0;
        }
        y = draw::panel(
            &mut body,
            &draw::Ctx {
                story,
                chart: &chart,
                g: &g,
            },
            p,
            i,
            y,
            &mut keys,
        );
    }
    body.push_str("</g>\n");
    for id in &chart.lanes {
        keys.insert(KeyItem::Kind(kind_of(story, id)));
    }
    let mut notes = chart.notes(story, focus, look);
    // A holding whose date is off the axis is said, not drawn.
    for held in &chart.held {
        if !panels.iter().any(|p| draw::shows(p, held)) {
            notes.push(format!("Not on the time axis: {}.", held.title));
        }
    }
    let sources = if look.credits {
        sources_line(story, &chart, focus)
    } else {
        None
    };
    let end = frame::footer(
        &mut body,
        fit,
        y + 4.0,
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
    /// The holdings on the chains: drawn as a diamond on the holder's lane.
    held: Vec<Held>,
}

/// A holding on a chain: the holder's lane, the time it is attested by,
/// its id and its sentence.
struct Held {
    lane: usize,
    t: i64,
    id: String,
    title: String,
}

/// The holdings that end the highlight's chains, on the lanes drawn.
fn held(story: &Story, focus: &Focus, lanes: &[String]) -> Vec<Held> {
    let Some(h) = &focus.highlight else {
        return Vec::new();
    };
    let tz = story.tz();
    let mut out = Vec::new();
    for (entity, chain) in &h.chains {
        let Some((event, _, _)) = chain.last() else {
            continue;
        };
        let Some(hd) = story.holdings.iter().find(|x| &x.id == event) else {
            continue;
        };
        let Some(lane) = lanes.iter().position(|l| l == entity) else {
            continue;
        };
        let Some(time) = hd.time.as_ref() else {
            continue;
        };
        let iv = time.interval();
        let Some(t) = iv.hi.or(iv.lo) else { continue };
        let when = super::style::date_phrase(Some(time), &tz);
        out.push(Held {
            lane,
            t,
            id: hd.id.clone(),
            title: format!(
                "{} held it {when} (how it got it is not recorded; {})",
                clean(story.name_of(entity)),
                hd.certainty()
            ),
        });
    }
    out
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
        let held = held(story, focus, &lanes);
        Ok(Chart {
            lanes,
            marks,
            undated,
            held,
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

/// The chart's sizes and the lanes' names, wrapped.
pub(super) struct Geometry {
    fit: Fit,
    /// The margin.
    m: f64,
    /// The drawing's width inside the margins.
    content: f64,
    name_size: f64,
    small: f64,
    /// The time axis runs from x0 to x1.
    x0: f64,
    x1: f64,
    /// Each lane's name, wrapped at spaces.
    names: Vec<Vec<String>>,
}

impl Geometry {
    /// The sizes for `fit`, with a names' column wide enough for the
    /// longest word of any lane's name (widened, then set smaller, never
    /// broken inside a word; a hyphenated word may break after a hyphen).
    fn new(fit: Fit, story: &Story, lanes: &[String]) -> Geometry {
        let m = if fit == Fit::Phone { 8.0 } else { 12.0 };
        let content = frame::content_width(fit);
        let names: Vec<String> = lanes.iter().map(|id| clean(story.name_of(id))).collect();
        let longest = |size: f64| {
            names
                .iter()
                .flat_map(|n| n.split([' ', '-']))
                .map(|w| text_width(w, size, false) + text_width("-", size, false))
                .fold(0.0, f64::max)
        };
        // The symbol, then the name.
        const INDENT: f64 = 20.0;
        let (base, widest) = match fit {
            Fit::Phone => (content * 0.3, content * 0.42),
            Fit::Column | Fit::Wide => ((content * 0.22).min(170.0), (content * 0.3).min(230.0)),
        };
        let mut name_size = 14.0;
        let mut name_w = base.max((longest(name_size) + INDENT).min(widest));
        while longest(name_size) + INDENT > name_w && name_size > fit.min_text() {
            name_size = (name_size - 0.5).max(fit.min_text());
        }
        name_w = name_w.max(base);
        let room = name_w - INDENT;
        let names = names
            .iter()
            .map(|n| lane_name(n, room, name_size))
            .collect();
        Geometry {
            fit,
            m,
            content,
            name_size,
            small: 12.0,
            x0: m + name_w + 6.0,
            x1: m + content - 10.0,
            names,
        }
    }
}

/// A lane's name wrapped to `room` at spaces (a hyphenated word too wide
/// for a line after a hyphen), at most five lines (the last shortened at a
/// word, with an ellipsis); a word wider than the room (past what the
/// column can take) is cut with an ellipsis.
fn lane_name(name: &str, room: f64, size: f64) -> Vec<String> {
    // A hyphenated word too wide for the room may break after a hyphen.
    let words: Vec<String> = name
        .split(' ')
        .flat_map(|w| {
            if text_width(w, size, false) > room && w.contains('-') {
                w.split_inclusive('-').map(str::to_string).collect()
            } else {
                vec![w.to_string()]
            }
        })
        .collect();
    let mut lines: Vec<String> = Vec::new();
    for w in words {
        match lines.last_mut() {
            Some(l) if l.ends_with('-') && text_width(&format!("{l}{w}"), size, false) <= room => {
                l.push_str(&w);
            }
            Some(l)
                if !l.ends_with('-') && text_width(&format!("{l} {w}"), size, false) <= room =>
            {
                l.push(' ');
                l.push_str(&w);
            }
            _ => lines.push(w),
        }
    }
    if lines.len() > 5 {
        lines.truncate(5);
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
    for line in &mut lines {
        if text_width(line, size, false) > room {
            while !line.is_empty() && text_width(&format!("{line}…"), size, false) > room {
                line.pop();
            }
            line.push('…');
        }
    }
    lines
}

fn title_of(story: &Story) -> String {
    story
        .title
        .as_deref()
        .map(clean)
        .filter(|t| !t.is_empty())
        .unwrap_or_else(|| "Untitled story".to_string())
}

/// The sources of what the chart draws: its contacts, the holdings on the
/// chains and the traced message.
fn sources_line(story: &Story, chart: &Chart, focus: &Focus) -> Option<String> {
    let mut used: BTreeSet<&str> = chart
        .marks
        .iter()
        .flat_map(|m| m.event.sources.iter().map(|c| c.source()))
        .collect();
    if let Some(h) = &focus.highlight {
        let on_chain: BTreeSet<&str> = h.channels.iter().map(|(e, _, _)| e.as_str()).collect();
        for hd in story
            .holdings
            .iter()
            .filter(|hd| on_chain.contains(hd.id.as_str()))
        {
            used.extend(hd.sources.iter().map(|c| c.source()));
        }
        if let Some(m) = h.message.as_deref().and_then(|m| story.message(m)) {
            used.extend(m.sources.iter().map(|c| c.source()));
        }
    }
    crate::render::plan::credits(&story.sources, &used)
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
