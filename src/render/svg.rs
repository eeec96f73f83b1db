//! Laying a story out as SVG (in-process or with Graphviz `dot`) until it
//! fits its width with legible text, framing it, and drawing it as PNG.
//!
//! The layout engines are in [`super::engine`], the post-processing that
//! makes Graphviz's SVG accessible in `accessible.rs`, the rasterising in
//! [`super::png`]. The root gets `role="img"`, a `<title>` and a `<desc>`
//! with the plain-language summary (see `frame.rs`).

use super::accessible::accessible;
use super::alt::alt_text;
use super::dot::{graph, print, Bare, Layout};
use super::engine::{layout, Engine};
use super::plan::{plan, Plan};
use super::prim::Drawing;
use super::tangle::MOST_CROSSINGS_PER_LINE;
use super::{Focus, Look};
use crate::model::Story;
use crate::Error;

/// The accessible SVG of `story` under `focus`, laid out by `engine`.
///
/// # Example
/// ```
/// # #[cfg(feature = "svg")] {
/// use grapevine::render::{to_svg, Engine, Focus};
/// let story = grapevine::load_str("s.json", r#"{"format": "grapevine/1", "title": "A & B",
///   "entities": [{"id": "a", "name": "Alice"}, {"id": "b", "name": "Bob"}],
///   "events": [{"id": "e1", "from": "a", "to": "b", "time": "2016-09-21"}]}"#)
///   .unwrap().story;
/// let svg = to_svg(&story, &Focus::default(), Engine::InProcess).unwrap();
/// assert!(svg.contains(r#"role="img""#));
/// assert!(svg.contains("<title id=\"grapevine-title\">A &amp; B</title>"));
/// # }
/// ```
pub fn to_svg(story: &Story, focus: &Focus, engine: Engine) -> Result<String, Error> {
    draw_svg(story, focus, engine, &Look::default())
}

/// The accessible, responsive SVG of `story` under `focus`, laid out by
/// `engine` for `look`'s fit: the caption above the layout, the key and the
/// notes under it, all wrapped to the fit's width; `width="100%"` with a
/// viewBox, so it scales to its container (at most `look.max_width`).
///
/// A column or wide picture is laid out by `engine` left to right, then top
/// to bottom with ranks wider than the picture split, then the same with
/// bare lines (each contact's kind and date in its tooltip and on the time
/// axis), until its smallest text is at least [`super::Fit::min_text`] at
/// the fit's width: a network, one line per contact; when no
/// such layout gets there, and always on a phone, it is drawn as a cascade
/// (one row per entity, time running downwards), which holds at any size.
pub fn draw_svg(
    story: &Story,
    focus: &Focus,
    engine: Engine,
    look: &Look,
) -> Result<String, Error> {
    let plan = plan(story, focus, look);
    super::plan::check_size(&plan)?;
    let drawing = fitted(&plan, engine, focus.highlight.is_none())?;
    Ok(super::frame::compose(
        &plan,
        &drawing,
        &alt_text(story, focus),
    ))
}

/// How many layouts [`fitted`] tries at most.
const MAX_TRIES: usize = 20;

/// Lays the plan out so that it fits its fit's width with legible text;
/// a picture with nothing highlighted (`refuse`) that only a cascade with
/// lines too close together could draw is refused.
fn fitted(plan: &Plan, engine: Engine, refuse: bool) -> Result<Drawing, Error> {
    let fit = plan.look.fit;
    let content = super::frame::content_width(fit);
    // The widest natural layout whose smallest text stays legible.
    let allowed = |layout: &Layout| content * layout.smallest(fit) / fit.min_text();
    if fit == super::Fit::Phone {
        return cascade(plan, content, refuse);
    }
    let mut layout = Layout::first(fit);
    for _ in 0..MAX_TRIES {
        let raw = self::layout(&print(&graph(plan, &layout)), engine)?;
        let drawing = accessible(&raw, plan)?;
        // A whole story whose lines cross too often in Graphviz's layout
        // from the top (twice too often, or still without labels): the
        // cascade may do better, else it is refused.
        let crossings = if refuse {
            super::tangle::crossings_per_line(&raw)
        } else {
            0.0
        };
        let tangled = crossings > MOST_CROSSINGS_PER_LINE;
        if tangled
            && layout.down
            && (crossings > 2.0 * MOST_CROSSINGS_PER_LINE || layout.bare == Bare::All)
        {
            break;
        }

        let allowed = allowed(&layout);
        if drawing.width <= allowed && !tangled {
            return Ok(drawing);
        }
        let pushes = if layout.down {
            split_ranks(&raw, allowed, drawing.width)
        } else {
            Vec::new()
        };
        if !layout.down {
            layout = Layout {
                down: true,
                ..Layout::default()
            };
        } else if pushes.is_empty() || layout.pushes.len() > 400 {
            let bare = match layout.bare {
                Bare::None if plan.edges.iter().any(|e| Bare::Context.drops(e)) => Bare::Context,
                Bare::None => Bare::All,
                Bare::Context => Bare::All,
                Bare::All => break,
            };
            layout = Layout {
                down: true,
                bare,
                ..Layout::default()
            };
        } else {
            layout.pushes.extend(pushes);
        }
    }
    // Graphviz could not make it legible at this width: the cascade may.
    cascade(plan, content, refuse)
}

/// The plan as a cascade `width` wide; refused (with `refuse`) when its
/// arcs cannot each have a lane of their own.
fn cascade(plan: &Plan, width: f64, refuse: bool) -> Result<Drawing, Error> {
    let (drawing, legible) = super::cascade::cascade(plan, width);
    if legible || !refuse {
        return Ok(drawing);
    }
    Err(Error::Render(crate::RenderError::Illegible {
        width: plan.look.fit.width(),
        entities: plan.nodes.iter().filter(|n| n.is_entity()).count(),
        contacts: plan.edges.len(),
    }))
}

/// A node's horizontal extent and its rank's coordinate, read from the
/// shapes Graphviz drew for it.
fn node_boxes(raw: &str) -> Vec<(String, f64, f64, i64)> {
    let options = roxmltree::ParsingOptions {
        allow_dtd: true,
        ..roxmltree::ParsingOptions::default()
    };
    let Ok(doc) = roxmltree::Document::parse_with_options(raw, options) else {
        return Vec::new();
    };
    let mut out = Vec::new();
    for g in doc.descendants().filter(|n| n.has_tag_name("g")) {
        if g.attribute("class") != Some("node") {
            continue;
        }
        let id = g.attribute("id").unwrap_or("").to_string();
        let (mut lo, mut hi) = (f64::MAX, f64::MIN);
        let (mut ylo, mut yhi) = (f64::MAX, f64::MIN);
        let mut add = |x: f64, y: f64| {
            lo = lo.min(x);
            hi = hi.max(x);
            ylo = ylo.min(y);
            yhi = yhi.max(y);
        };
        for shape in g.descendants() {
            let num = |k: &str| shape.attribute(k).and_then(|v| v.parse::<f64>().ok());
            match shape.tag_name().name() {
                "ellipse" => {
                    if let (Some(cx), Some(cy), Some(rx), Some(ry)) =
                        (num("cx"), num("cy"), num("rx"), num("ry"))
                    {
                        add(cx - rx, cy - ry);
                        add(cx + rx, cy + ry);
                    }
                }
                "polygon" | "polyline" | "path" => {
                    let text = shape
                        .attribute("points")
                        .or_else(|| shape.attribute("d"))
                        .unwrap_or("");
                    let nums: Vec<f64> = text
                        .split(|c: char| !(c.is_ascii_digit() || c == '.' || c == '-'))
                        .filter_map(|t| t.parse::<f64>().ok())
                        .collect();
                    for pair in nums.chunks_exact(2) {
                        add(pair[0], pair[1]);
                    }
                }
                _ => {}
            }
        }
        if lo <= hi {
            out.push((id, lo, hi, ((ylo + yhi) / 2.0).round() as i64));
        }
    }
    out
}

/// For a top-to-bottom layout wider than `allowed`: in each rank wider than
/// that, the nodes past the width are held one rank further down, under the
/// rank's first node. Returns the new constraints (none: nothing to split).
fn split_ranks(raw: &str, allowed: f64, width: f64) -> Vec<(String, String)> {
    let boxes = node_boxes(raw);
    let mut ranks: std::collections::BTreeMap<i64, Vec<&(String, f64, f64, i64)>> =
        std::collections::BTreeMap::new();
    for b in &boxes {
        ranks.entry(b.3).or_default().push(b);
    }
    // What the widest row of nodes leaves of the drawing's width is taken
    // by edges passing by and the time axis: each row may have the rest.
    let widest = ranks
        .values()
        .map(|row| {
            let lo = row.iter().map(|b| b.1).fold(f64::MAX, f64::min);
            let hi = row.iter().map(|b| b.2).fold(f64::MIN, f64::max);
            hi - lo
        })
        .fold(0.0, f64::max);
    let overhead = (width - widest).max(0.0);
    let allowed = (allowed - overhead).max(allowed * 0.4) / 0.92;
    let mut pushes = Vec::new();
    for row in ranks.values_mut() {
        row.sort_by(|a, b| a.1.total_cmp(&b.1).then(a.0.cmp(&b.0)));
        let left = row.first().map_or(0.0, |b| b.1);
        let movable: Vec<&&(String, f64, f64, i64)> = row
            .iter()
            .filter(|b| b.0.starts_with('n') || b.0.starts_with('h'))
            .collect();
        let Some(anchor) = movable.first() else {
            continue;
        };
        for b in movable.iter().skip(1) {
            if b.2 - left > allowed * 0.92 {
                pushes.push((anchor.0.clone(), b.0.clone()));
            }
        }
    }
    pushes
}

/// A PNG of `story` under `focus` for a column, `width` pixels wide
/// (default: 1400, the column's width at twice the pixel density).
///
/// The SVG is rasterised by resvg (cargo feature `png`) with the bundled
/// DejaVu Sans; without `png`, the system engine's `dot -Tpng` draws it.
pub fn to_png(
    story: &Story,
    focus: &Focus,
    engine: Engine,
    width: Option<u32>,
) -> Result<Vec<u8>, Error> {
    draw_png(story, focus, engine, &Look::default(), width)
}

/// A PNG of `story` under `focus` drawn for `look`'s fit, `width` pixels wide
/// (default: the fit's width at twice the pixel density, 1400 px for a
/// column; at most [`MAX_PNG_WIDTH`](crate::render::MAX_PNG_WIDTH)).
pub fn draw_png(
    story: &Story,
    focus: &Focus,
    engine: Engine,
    look: &Look,
    width: Option<u32>,
) -> Result<Vec<u8>, Error> {
    #[cfg(feature = "png")]
    {
        let svg = draw_svg(story, focus, engine, look)?;
        super::png::svg_to_png(&svg, width)
    }
    #[cfg(not(feature = "png"))]
    {
        let _ = width;
        match engine {
            Engine::System { timeout } => {
                let dot = super::dot::dot(story, focus, look);
                super::engine::run_dot(&dot, "png", timeout)
            }
            Engine::InProcess => Err(Error::Render(crate::error::RenderError::NotBuilt(
                crate::error::Missing::InProcessPng,
            ))),
        }
    }
}
