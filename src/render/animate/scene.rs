//! The drawn picture made into an animation: every person's and contact's
//! group gets the contract's `data-entity` or `data-event` attribute (as
//! the embed's `annotate.rs` reads the plan's group ids) and the class of
//! its track; the band goes under the caption and the rest moves down to
//! make room; the root loses its `style` attribute (a page's
//! Content-Security-Policy would refuse it) and gets the document's class,
//! and the description tells what the animation shows.
//!
//! Nothing from the story is written here unescaped ([`crate::escape`]).

use std::collections::BTreeMap;
use std::ops::Range;

use roxmltree::{Document, Node};

use super::band::{band, Band, STATES};
use super::css::{Kind, Pace, Tracks};
use super::timeline::{entity_times, passings, steps, Look, Moments, Step, Times};
use super::Replay;
use crate::error::{RenderError, SvgFrom};
use crate::escape;
use crate::model::{Precision, Story};
use crate::render::html::annotate::{target, Target};
use crate::Error;

/// Where the style sheet goes in the text of a [`Scene`].
const STYLE_SLOT: &str = "<!--grapevine-style-->";

/// An animation ready to be written, as SVG or as the still of any step.
pub(crate) struct Scene {
    /// The SVG with [`STYLE_SLOT`] where its style sheet goes.
    text: String,
    /// The root's own declarations.
    root: String,
    pub tracks: Tracks,
    /// The steps (read by the APNG's frames).
    #[cfg_attr(not(feature = "png"), allow(dead_code))]
    pub steps: Vec<Step>,
    pub pace: Pace,
}

/// How the scene is written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Mode {
    /// Animated, holding the end where motion is reduced.
    Animated,
    /// The still of one step (the APNG's frames).
    #[cfg_attr(not(feature = "png"), allow(dead_code))]
    Still(usize),
}

impl Scene {
    /// The SVG in `mode`.
    pub(crate) fn svg(&self, mode: Mode) -> String {
        let css = match mode {
            Mode::Animated => super::css::animated(&self.tracks, self.pace, &self.root),
            Mode::Still(i) => super::css::still(&self.tracks, i, &self.root),
        };
        self.text
            .replacen(STYLE_SLOT, &format!("<style>\n{css}</style>"), 1)
    }
}

/// A group of the picture that changes: what it draws.
enum What {
    Entity(String),
    Event(String),
    /// A label drawn apart from its group (the cascade's contact labels):
    /// it follows the group before it.
    Follows,
}

/// One group found, and where its attributes are.
struct Found {
    what: What,
    /// Its `id` attribute, dropped.
    id: Option<Range<usize>>,
    /// Its `class` attribute's value, if any.
    class: Option<Range<usize>>,
    /// Just after `<g`.
    open: usize,
    /// Its node in the document.
    node: roxmltree::NodeId,
}

fn malformed(e: impl ToString) -> Error {
    Error::Render(RenderError::MalformedSvg {
        from: SvgFrom::Drawing,
        reason: e.to_string(),
    })
}

/// The groups of `root` that draw an entity or a contact, and the labels
/// that follow them.
fn groups(root: Node, story: &Story) -> Vec<Found> {
    let mut out = Vec::new();
    for g in root.descendants().filter(|n| n.has_tag_name("g")) {
        let id = g.attributes().find(|a| a.name() == "id");
        let what = if let Some(e) = g.attribute("data-entity") {
            Some(What::Entity(e.to_string()))
        } else if let Some(e) = g.attribute("data-event") {
            Some(What::Event(e.to_string()))
        } else if let Some(id) = &id {
            match target(story, id.value()) {
                Target::Entity(e) => Some(What::Entity(e.to_string())),
                Target::Event(e) => Some(What::Event(e.to_string())),
                Target::Other => None,
            }
        } else if g
            .attribute("class")
            .is_some_and(|c| c.split(' ').any(|c| c == "edge-label"))
        {
            Some(What::Follows)
        } else {
            None
        };
        if let Some(what) = what {
            out.push(Found {
                what,
                id: id.map(|a| a.range()),
                class: g
                    .attributes()
                    .find(|a| a.name() == "class")
                    .map(|a| a.range_value()),
                open: g.range().start + "<g".len(),
                node: g.id(),
            });
        }
    }
    out
}

/// Builds the scene of `replay` from its drawn SVG `base`.
pub(crate) fn scene(replay: &Replay, base: &str) -> Result<Scene, Error> {
    let doc = Document::parse(base).map_err(malformed)?;
    let root = doc.root_element();
    let found = groups(root, replay.story);
    let times = drawn_times(replay, &found)?;
    let contacts = contact_starts(replay.story, &found);
    let until = replay
        .query
        .until
        .as_deref()
        .and_then(|u| crate::TimeExpr::parse(u, &replay.catalog.timezone()).ok())
        .map(|t| t.interval().hi_or_max());
    let steps = steps(
        replay.catalog,
        &Moments {
            entities: &times,
            contacts: &contacts.values().copied().collect::<Vec<_>>(),
            until,
        },
    );
    let max = super::MAX_ANIMATION_STEPS;
    if steps.len() > max {
        return Err(Error::Render(RenderError::TooManySteps {
            steps: steps.len(),
            max,
        }));
    }
    let prefix = format!(
        "gv{}",
        crate::render::html::csp::sha256(base.as_bytes())[..4]
            .iter()
            .map(|b| format!("{b:02x}"))
            .collect::<String>()
    );
    let mut tracks = Tracks::new(&prefix);
    let looks = Looks {
        steps: &steps,
        times: &times,
        contacts: &contacts,
    };
    let mut edits = group_edits(base, root, &found, &looks, &mut tracks);
    let frame = frame_edits(replay, root, &looks, &mut tracks)?;
    edits.extend(frame.edits);
    let text = apply(base, edits)?;
    Ok(Scene {
        text,
        root: frame.root,
        tracks,
        pace: Pace::of(steps.len()),
        steps,
    })
}

/// The times of the drawn entities the question reaches, with the
/// precision of each one's earliest (from the focus's marks).
fn drawn_times(
    replay: &Replay,
    found: &[Found],
) -> Result<BTreeMap<String, (Times, Precision)>, Error> {
    let all = entity_times(replay.catalog, replay.query)?;
    let marks = replay.focus.highlight.as_ref().map(|h| &h.reached);
    let mut out = BTreeMap::new();
    for f in found {
        if let What::Entity(id) = &f.what {
            if let Some(t) = all.get(id) {
                let p = marks
                    .and_then(|m| m.get(id))
                    .map_or(Precision::Day, |m| m.earliest_precision);
                out.insert(id.clone(), (*t, p));
            }
        }
    }
    Ok(out)
}

/// The drawn contacts' starts: event id, (start, its precision).
fn contact_starts(story: &Story, found: &[Found]) -> BTreeMap<String, (i64, Precision)> {
    let mut out = BTreeMap::new();
    for f in found {
        if let What::Event(id) = &f.what {
            if let Some(e) = story.events.iter().find(|e| &e.id == id) {
                let precision = e
                    .time
                    .as_ref()
                    .and_then(|t| t.start.as_ref())
                    .map_or(Precision::Day, |p| p.precision);
                if let Some(lo) = e.interval().lo {
                    out.insert(id.clone(), (lo, precision));
                }
            }
        }
    }
    out
}

/// What the looks are read from.
struct Looks<'a> {
    steps: &'a [Step],
    times: &'a BTreeMap<String, (Times, Precision)>,
    contacts: &'a BTreeMap<String, (i64, Precision)>,
}

impl Looks<'_> {
    /// An entity's look at each step: faded throughout when the question
    /// does not reach it.
    fn entity(&self, id: &str) -> Vec<Look> {
        self.steps
            .iter()
            .map(|s| {
                self.times
                    .get(id)
                    .map_or(Look::Faded, |(t, _)| t.look_at(s.t))
            })
            .collect()
    }

    /// A contact's look at each step: shown once it has begun (always,
    /// with no start).
    fn event(&self, id: &str) -> Vec<Look> {
        self.steps
            .iter()
            .map(|s| match self.contacts.get(id) {
                Some((lo, _)) if *lo > s.t => Look::Faded,
                _ => Look::Shown,
            })
            .collect()
    }

    /// How many drawn entities are in each of the legend's states at each
    /// step.
    fn counts(&self) -> Vec<[usize; 4]> {
        self.steps
            .iter()
            .map(|s| {
                let mut c = [0; 4];
                for (t, _) in self.times.values() {
                    let look = t.look_at(s.t);
                    if let Some(k) = STATES.iter().position(|(l, _, _)| *l == look) {
                        c[k] += 1;
                    }
                }
                c
            })
            .collect()
    }
}

/// The edits that give each group its attribute and its track's class.
fn group_edits(
    base: &str,
    root: Node,
    found: &[Found],
    looks: &Looks,
    tracks: &mut Tracks,
) -> Vec<(Range<usize>, String)> {
    let mut edits = Vec::new();
    let mut classes: std::collections::HashMap<roxmltree::NodeId, String> =
        std::collections::HashMap::new();
    let doc = root.document();
    for f in found {
        let (attribute, class) = match &f.what {
            What::Entity(id) => {
                let seq = looks.entity(id);
                let glows = seq
                    .iter()
                    .any(|l| matches!(l, Look::Claimed | Look::Surely));
                let mut class = tracks.class(Kind::Plain, seq.clone());
                if glows {
                    class = format!("{class} {}", tracks.class(Kind::Glow, seq));
                }
                (format!(" data-entity=\"{}\"", escape::svg(id)), class)
            }
            What::Event(id) => (
                format!(" data-event=\"{}\"", escape::svg(id)),
                tracks.class(Kind::Plain, looks.event(id)),
            ),
            What::Follows => {
                // Only the group's visibility: a label does not glow.
                let before = doc
                    .get_node(f.node)
                    .and_then(|n| n.prev_sibling_element())
                    .and_then(|p| classes.get(&p.id()))
                    .and_then(|c| c.split(' ').next())
                    .map(str::to_string);
                match before {
                    Some(c) => (String::new(), c),
                    None => continue,
                }
            }
        };
        classes.insert(f.node, class.clone());
        let node = doc.get_node(f.node);
        let has = |name: &str| node.is_some_and(|n| n.attribute(name).is_some());
        if let Some(r) = &f.id {
            edits.push((r.clone(), String::new()));
        }
        let attribute = if has("data-entity") || has("data-event") {
            String::new()
        } else {
            attribute
        };
        match &f.class {
            Some(r) => {
                edits.push((f.open..f.open, attribute));
                let old = base.get(r.clone()).unwrap_or_default();
                edits.push((r.clone(), format!("{old} {class}")));
            }
            None => edits.push((f.open..f.open, format!("{attribute} class=\"{class}\""))),
        }
    }
    edits
}

/// The frame's edits and the root's own declarations.
struct FrameEdits {
    edits: Vec<(Range<usize>, String)>,
    root: String,
}

/// The edits around the picture: the root's attributes, the description and
/// the style sheet's place, the band under the caption and the rest moved
/// down under it.
fn frame_edits(
    replay: &Replay,
    root: Node,
    looks: &Looks,
    tracks: &mut Tracks,
) -> Result<FrameEdits, Error> {
    let view = crate::render::prim::view_box(root);
    let [vx, vy, width, height] = view.as_slice() else {
        return Err(malformed("the drawing has no viewBox"));
    };
    let margin = if *width <= 400.0 { 8.0 } else { 12.0 };
    let caption = root
        .children()
        .find(|n| n.attribute("class") == Some("grapevine-caption"));
    let top = caption.map_or(*vy, caption_bottom) + 4.0;
    let counts = looks.counts();
    let passings = passings(replay.catalog, looks.steps);
    let (svg, band_height) = band(
        &Band {
            width: *width,
            margin,
            steps: looks.steps,
            counts: &counts,
            passings: &passings,
        },
        top,
        tracks,
    );
    let mut edits = Vec::new();
    let open = root.range().start + "<svg".len();
    let n = looks.steps.len();
    let pace = Pace::of(n);
    edits.push((
        open..open,
        format!(
            " class=\"{}\" data-steps=\"{n}\" data-step-ms=\"{}\" data-hold-ms=\"{}\"",
            tracks.prefix(),
            pace.step,
            pace.hold
        ),
    ));
    let mut style = "height:auto".to_string();
    for at in root.attributes() {
        match at.name() {
            "style" => {
                if let Some(w) = replay.look.max_width {
                    style = format!("max-width:{w}px;height:auto");
                }
                edits.push((at.range(), String::new()));
            }
            "viewBox" => edits.push((
                at.range_value(),
                format!("{vx:.0} {vy:.0} {width:.0} {:.0}", height + band_height),
            )),
            _ => {}
        }
    }
    let desc = root.children().find(|n| n.has_tag_name("desc"));
    let words = format!(
        "<desc id=\"{}\">{}</desc>\n{STYLE_SLOT}",
        crate::render::prim::DESC_ID,
        escape::svg(&description(replay, looks.steps))
    );
    match desc {
        Some(d) => edits.push((d.range(), words)),
        None => {
            let inside = root.first_child().map_or(open, |c| c.range().start);
            edits.push((inside..inside, words));
        }
    }
    let after = caption
        .or_else(|| root.children().find(|n| n.has_tag_name("rect")))
        .or(desc)
        .map_or(open, |n| n.range().end);
    edits.push((
        after..after,
        format!("\n{svg}<g transform=\"translate(0 {band_height:.1})\">"),
    ));
    let end = root.range().end;
    let close = root
        .document()
        .input_text()
        .get(..end)
        .and_then(|t| t.rfind("</svg"))
        .ok_or_else(|| malformed("the drawing's root has no end tag"))?;
    edits.push((close..close, "</g>\n".to_string()));
    Ok(FrameEdits { edits, root: style })
}

/// The y under the caption's last line.
fn caption_bottom(caption: Node) -> f64 {
    caption
        .descendants()
        .filter(|n| n.has_tag_name("text"))
        .filter_map(|t| {
            let y = t.attribute("y")?.parse::<f64>().ok()?;
            let size = t
                .attribute("font-size")
                .and_then(|s| s.trim_end_matches("px").parse::<f64>().ok())
                .unwrap_or(12.0);
            Some(y + size * 0.3)
        })
        .fold(0.0, f64::max)
}

/// The description: the picture in words, then what the animation does.
fn description(replay: &Replay, steps: &[Step]) -> String {
    let words = crate::render::alt_text(replay.story, replay.focus);
    let span = match (steps.first(), steps.last()) {
        (Some(a), Some(b)) if steps.len() > 1 => {
            format!("{} steps, from {} to {}", steps.len(), a.label, b.label)
        }
        _ => "one step".to_string(),
    };
    format!(
        "{words} The animation replays the spread in {span}, one step for each date on which someone could first have seen it, had it, or a contact began, and holds on the end; where motion is reduced it shows the end."
    )
}

/// `base` with `edits` made (none may overlap).
fn apply(base: &str, mut edits: Vec<(Range<usize>, String)>) -> Result<String, Error> {
    edits.sort_by_key(|(r, _)| (r.start, r.end));
    if edits
        .windows(2)
        .any(|p| p[0].0.end > p[1].0.start && !(p[0].0.is_empty() && p[1].0.is_empty()))
    {
        return Err(Error::Render(RenderError::OverlappingEdits));
    }
    let mut out = base.to_string();
    for (range, text) in edits.into_iter().rev() {
        out.replace_range(range, &text);
    }
    Ok(out)
}
