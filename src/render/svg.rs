//! Laying a story out as SVG (in-process or with Graphviz `dot`), making the
//! SVG accessible, and rasterising it to PNG.
//!
//! The post-processing parses the SVG with an XML parser (roxmltree) and
//! replaces byte ranges it located: the root gets `role="img"`, a `<title>`
//! and a `<desc>` with the plain-language summary; every node, edge and
//! cluster gets a name or a sentence as its `<title>` instead of an internal
//! id; every label and tooltip is rewritten from the plan. Every string put
//! in is XML-escaped here, whatever the layout engine did with it.

use std::io::{Read, Write};
use std::process::{Command, Stdio};

use std::time::Duration;
use wait_timeout::ChildExt;

use super::dot::{graph, print, Layout};
use super::plan::{plan, sizes, Plan};
use super::summary::alt_text;
use super::{Focus, Look};
use crate::error::{RenderError, SvgFrom};
use crate::model::Story;
use crate::Error;

/// Which program lays the graph out.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Engine {
    /// graphviz-pure, in this process (cargo feature `svg`): no system package.
    #[default]
    InProcess,
    /// Graphviz `dot` from `PATH`, killed after `timeout`.
    System {
        /// How long `dot` may run.
        timeout: Duration,
    },
}

/// The ids the SVG uses for the root's title and description.
pub const TITLE_ID: &str = "grapevine-title";
/// See [`TITLE_ID`].
pub const DESC_ID: &str = "grapevine-desc";

/// Lays DOT text out as SVG with `engine`, with no post-processing.
pub fn layout(dot: &str, engine: Engine) -> Result<String, Error> {
    match engine {
        Engine::InProcess => in_process(dot),
        Engine::System { timeout } => {
            let bytes = run_dot(dot, "svg", timeout)?;
            String::from_utf8(bytes).map_err(|_| Error::Render(RenderError::NotUtf8))
        }
    }
}

#[cfg(feature = "svg")]
fn in_process(dot: &str) -> Result<String, Error> {
    let result = std::panic::catch_unwind(|| graphviz_pure::render_dot(dot, "dot", "svg"));
    match result {
        Ok(Ok(rendered)) => Ok(rendered.into_output()),
        Ok(Err(e)) => Err(Error::Render(RenderError::InProcessFailed {
            reason: Some(e.to_string()),
        })),
        Err(_) => Err(Error::Render(RenderError::InProcessFailed { reason: None })),
    }
}

#[cfg(not(feature = "svg"))]
fn in_process(_dot: &str) -> Result<String, Error> {
    Err(Error::Render(RenderError::NotBuilt(
        crate::error::Missing::InProcessLayout,
    )))
}

/// Runs Graphviz `dot -T<format>` on `dot`, killing it after `timeout`.
pub fn run_dot(dot: &str, format: &str, timeout: Duration) -> Result<Vec<u8>, Error> {
    let mut child = Command::new("dot")
        .arg(format!("-T{format}"))
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .map_err(|e| match e.kind() {
            std::io::ErrorKind::NotFound => Error::Render(RenderError::RendererMissing),
            _ => Error::Render(RenderError::RendererNotStarted {
                reason: e.to_string(),
            }),
        })?;
    let input = dot.as_bytes().to_vec();
    let mut stdin = child.stdin.take();
    let writer = std::thread::spawn(move || {
        if let Some(s) = stdin.as_mut() {
            let _ = s.write_all(&input);
        }
        drop(stdin);
    });
    let mut stdout = child.stdout.take();
    let reader = std::thread::spawn(move || {
        let mut buf = Vec::new();
        if let Some(s) = stdout.as_mut() {
            let _ = s.read_to_end(&mut buf);
        }
        buf
    });
    let mut stderr = child.stderr.take();
    let err_reader = std::thread::spawn(move || {
        let mut buf = String::new();
        if let Some(s) = stderr.as_mut() {
            let _ = s.read_to_string(&mut buf);
        }
        buf
    });
    let status = match child.wait_timeout(timeout) {
        Ok(Some(status)) => status,
        Ok(None) => {
            let _ = child.kill();
            let _ = child.wait();
            return Err(Error::Render(RenderError::Timeout {
                seconds: timeout.as_secs(),
            }));
        }
        Err(e) => {
            return Err(Error::Render(RenderError::RendererLost {
                reason: e.to_string(),
            }))
        }
    };
    let _ = writer.join();
    let out = reader.join().unwrap_or_default();
    let err = err_reader.join().unwrap_or_default();
    if !status.success() {
        return Err(Error::Render(RenderError::RendererFailed {
            status: status.to_string(),
            stderr: err.trim().to_string(),
        }));
    }
    Ok(out)
}

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
/// to bottom with ranks wider than the picture split, until its smallest
/// text is at least [`super::Fit::min_text`] at the fit's width; when no
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
    let drawing = fitted(&plan, engine)?;
    Ok(super::frame::compose(
        &plan,
        &drawing,
        &alt_text(story, focus),
    ))
}

/// A laid-out graph ready to be framed: the inner content of Graphviz's SVG
/// root (escaped, with our titles and text) and its size.
pub(crate) struct Drawing {
    /// The content, in Graphviz's coordinates.
    pub body: String,
    /// Width of its viewBox.
    pub width: f64,
    /// Height of its viewBox.
    pub height: f64,
}

/// How many layouts [`fitted`] tries at most.
const MAX_TRIES: usize = 8;

/// Lays the plan out so that it fits its fit's width with legible text.
fn fitted(plan: &Plan, engine: Engine) -> Result<Drawing, Error> {
    let fit = plan.look.fit;
    let content = super::frame::content_width(fit);
    let smallest = sizes(fit).1;
    // The widest natural layout whose smallest text stays legible.
    let allowed = content * smallest / fit.min_text();
    if fit == super::Fit::Phone {
        return Ok(super::cascade::cascade(plan, content));
    }
    let mut layout = Layout::first(fit);
    for _ in 0..MAX_TRIES {
        let raw = self::layout(&print(&graph(plan, &layout)), engine)?;
        let drawing = accessible(&raw, plan)?;
        if drawing.width <= allowed {
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
        } else if pushes.is_empty() {
            break;
        } else {
            layout.pushes.extend(pushes);
        }
    }
    // Graphviz could not make it legible at this width: the cascade can.
    Ok(super::cascade::cascade(plan, content))
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

/// Escapes text for XML content or attribute values, dropping characters XML
/// cannot hold; newlines in attributes are kept as `&#10;`.
pub fn xml_escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            '\n' => out.push_str("&#10;"),
            '\t' => out.push(' '),
            '\u{FFFE}' | '\u{FFFF}' => {}
            c if c.is_control() => {}
            c => out.push(c),
        }
    }
    out
}

/// What Graphviz wrote for one group: title, texts, links.
struct Replacement<'p> {
    title: String,
    label: &'p [String],
    tooltip: Option<&'p str>,
    url: Option<&'p str>,
}

fn replacement<'p>(plan: &'p Plan, class: &str, id: &str) -> Replacement<'p> {
    let none: &[String] = &[];
    match class {
        "node" => match plan.node(id) {
            Some(n) => Replacement {
                title: n.title.clone(),
                label: &n.label,
                tooltip: Some(&n.tooltip),
                url: n.url.as_deref(),
            },
            None => Replacement {
                title: "Diagram structure".into(),
                label: none,
                tooltip: None,
                url: None,
            },
        },
        "edge" => match plan.edges.iter().find(|e| e.id == id) {
            Some(e) => Replacement {
                title: e.title.clone(),
                label: &e.label,
                tooltip: Some(&e.tooltip),
                url: e.url.as_deref(),
            },
            None if id.starts_with("axis_") => Replacement {
                title: "Time axis".into(),
                label: none,
                tooltip: None,
                url: None,
            },
            None => Replacement {
                title: "Diagram structure (invisible)".into(),
                label: none,
                tooltip: None,
                url: None,
            },
        },
        "cluster" => Replacement {
            title: "Diagram structure".into(),
            label: none,
            tooltip: None,
            url: None,
        },
        _ => Replacement {
            title: plan.title.clone(),
            label: none,
            tooltip: Some(&plan.title),
            url: None,
        },
    }
}

/// Makes a Graphviz SVG accessible and puts the plan's own escaped text in
/// place of what the layout engine wrote; text sizes in CSS px, edge labels
/// on a white halo. Returns the root's content and size, to be framed.
fn accessible(raw: &str, plan: &Plan) -> Result<Drawing, Error> {
    let options = roxmltree::ParsingOptions {
        allow_dtd: true,
        ..roxmltree::ParsingOptions::default()
    };
    let doc = roxmltree::Document::parse_with_options(raw, options).map_err(|e| {
        Error::Render(RenderError::MalformedSvg {
            from: SvgFrom::Layout,
            reason: e.to_string(),
        })
    })?;
    let mut edits: Vec<(std::ops::Range<usize>, String)> = Vec::new();
    let root = doc.root_element();
    let start_end = start_tag_end(raw, root.range().start)
        .ok_or(Error::Render(RenderError::UnclosedRoot { start_tag: true }))?;
    // `start_end` is the index of the `>` of the root's start tag.
    let self_closing = raw[..start_end].ends_with('/');
    let close = if self_closing {
        start_end + 1
    } else {
        raw.rfind("</svg>")
            .filter(|&c| c > start_end)
            .ok_or(Error::Render(RenderError::UnclosedRoot {
                start_tag: false,
            }))?
    };
    let view: Vec<f64> = root
        .attribute("viewBox")
        .unwrap_or("")
        .split([' ', ','])
        .filter_map(|t| t.parse::<f64>().ok())
        .collect();
    let (width, height) = match view.as_slice() {
        [_, _, w, h] => (*w, *h),
        _ => (1.0, 1.0),
    };
    // Text in CSS px, in the font stack.
    for t in root.descendants().filter(|n| n.has_tag_name("text")) {
        for at in t.attributes() {
            match at.name() {
                "font-size" => {
                    let size = at.value().parse::<f64>().unwrap_or(14.0);
                    edits.push((at.range_value(), format!("{size}px")));
                }
                "font-family" => edits.push((at.range_value(), xml_escape(FONT_STACK))),
                _ => {}
            }
        }
    }
    for g in root.descendants().filter(|n| n.has_tag_name("g")) {
        let Some(class) = g.attribute("class") else {
            continue;
        };
        if !matches!(class, "node" | "edge" | "cluster" | "graph") {
            continue;
        }
        let id = g.attribute("id").unwrap_or("");
        let r = replacement(plan, class, id);
        // The group's own <title>.
        if let Some(title) = g.children().find(|c| c.has_tag_name("title")) {
            edits.push((content_range(&title), xml_escape(&r.title)));
        }
        // Its text lines: descendants for nodes and edges; direct children
        // for the graph and clusters (whose descendants are other groups).
        let texts: Vec<roxmltree::Node> = if matches!(class, "node" | "edge") {
            g.descendants().filter(|n| n.has_tag_name("text")).collect()
        } else {
            g.children().filter(|n| n.has_tag_name("text")).collect()
        };
        if texts.len() == r.label.len() {
            for (t, line) in texts.iter().zip(r.label) {
                edits.push((content_range(t), xml_escape(line)));
            }
        }
        // Edge labels on a white ground and halo: no line strikes through
        // them.
        if class == "edge" && texts.len() == r.label.len() {
            for (t, line) in texts.iter().zip(r.label) {
                let at = start_tag_end(raw, t.range().start).unwrap_or(t.range().start);
                edits.push((at..at, HALO.to_string()));
                let num = |k: &str| t.attribute(k).and_then(|v| v.parse::<f64>().ok());
                if let (Some(x), Some(y)) = (num("x"), num("y")) {
                    let size = num("font-size").unwrap_or(12.0);
                    let w = super::measure::text_width(line, size, false);
                    let left = match t.attribute("text-anchor") {
                        Some("middle") => x - w / 2.0,
                        Some("end") => x - w,
                        _ => x,
                    };
                    let start = t.range().start;
                    edits.push((
                        start..start,
                        format!(
                            "<rect x=\"{:.2}\" y=\"{:.2}\" width=\"{:.2}\" height=\"{:.2}\" fill=\"#ffffff\" fill-opacity=\"0.85\"/>",
                            left - 2.0,
                            y - size * 0.95,
                            w + 4.0,
                            size * 1.2
                        ),
                    ));
                }
            }
        }
        // Its links and tooltips.
        if matches!(class, "node" | "edge") {
            for a in g.descendants().filter(|n| n.has_tag_name("a")) {
                for at in a.attributes() {
                    match at.name() {
                        "title" => {
                            let text = r.tooltip.unwrap_or(&r.title);
                            edits.push((at.range_value(), xml_escape(text)));
                        }
                        "href" => {
                            let url = r.url.unwrap_or("#");
                            edits.push((at.range_value(), xml_escape(url)));
                        }
                        _ => {}
                    }
                }
            }
        }
    }
    edits.sort_by_key(|(r, _)| (r.start, r.end));
    for pair in edits.windows(2) {
        if pair[0].0.end > pair[1].0.start {
            return Err(Error::Render(RenderError::OverlappingEdits));
        }
    }
    let mut out = raw.to_string();
    for (range, text) in edits.into_iter().rev() {
        out.replace_range(range, &text);
    }
    // Everything between the root's tags; the edits were all inside it.
    let tail = raw.len() - close;
    let body = if self_closing {
        String::new()
    } else {
        out.get(start_end + 1..out.len() - tail)
            .unwrap_or_default()
            .to_string()
    };
    Ok(Drawing {
        body,
        width,
        height,
    })
}

/// The fonts text is drawn in: DejaVu Sans (whose metrics the layout uses),
/// then fonts of the same width, then any sans-serif.
pub const FONT_STACK: &str = "'DejaVu Sans', 'Bitstream Vera Sans', Verdana, Geneva, sans-serif";

/// Attributes that put a white halo behind text.
const HALO: &str =
    " stroke=\"#ffffff\" stroke-width=\"4\" stroke-linejoin=\"round\" paint-order=\"stroke\"";

/// The byte range of an element's content (between its tags), or an empty
/// range just before its end when it has no text.
fn content_range(node: &roxmltree::Node) -> std::ops::Range<usize> {
    let kids: Vec<roxmltree::Node> = node.children().collect();
    match (kids.first(), kids.last()) {
        (Some(a), Some(b)) => a.range().start..b.range().end,
        _ => {
            let r = node.range();
            // `<x/>` has no content: nothing sensible to replace.
            r.end..r.end
        }
    }
}

/// The index of the `>` that ends the start tag beginning at `from`.
fn start_tag_end(text: &str, from: usize) -> Option<usize> {
    let mut quote: Option<u8> = None;
    for (i, &b) in text.as_bytes().iter().enumerate().skip(from) {
        match quote {
            Some(q) if b == q => quote = None,
            Some(_) => {}
            None if b == b'"' || b == b'\'' => quote = Some(b),
            None if b == b'>' => return Some(i),
            None => {}
        }
    }
    None
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
/// column; at most [`MAX_PNG_WIDTH`]).
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
        svg_to_png(&svg, width)
    }
    #[cfg(not(feature = "png"))]
    {
        let _ = width;
        match engine {
            Engine::System { timeout } => {
                let dot = super::dot::dot(story, focus, look);
                run_dot(&dot, "png", timeout)
            }
            Engine::InProcess => Err(Error::Render(RenderError::NotBuilt(
                crate::error::Missing::InProcessPng,
            ))),
        }
    }
}

/// Widest PNG drawn, in pixels (`--width` is capped to it).
pub const MAX_PNG_WIDTH: u32 = 8_000;
/// Most pixels a PNG may have (40 megapixels: 160 MB while drawing); a
/// taller picture is scaled down to fit.
pub const MAX_PNG_PIXELS: u64 = 40_000_000;

/// Rasterises an SVG to PNG with resvg, `width` pixels wide (at most
/// [`MAX_PNG_WIDTH`], and scaled down to [`MAX_PNG_PIXELS`]).
#[cfg(feature = "png")]
pub fn svg_to_png(svg: &str, width: Option<u32>) -> Result<Vec<u8>, Error> {
    use resvg::{tiny_skia, usvg};
    let fontdb = fonts()?;
    let options = usvg::Options {
        fontdb,
        font_family: super::style::FONT.to_string(),
        ..usvg::Options::default()
    };
    let tree = usvg::Tree::from_str(svg, &options).map_err(|e| {
        Error::Render(RenderError::RasterInput {
            reason: e.to_string(),
        })
    })?;
    let size = tree.size();
    let natural = size.width().max(1.0);
    let target = width.map_or(natural * 2.0, |w| w as f32);
    // Never more than MAX_PNG_WIDTH wide nor MAX_PNG_PIXELS in all.
    let mut scale = target.clamp(16.0, MAX_PNG_WIDTH as f32) / natural;
    let pixels = (natural * scale) * (size.height().max(1.0) * scale);
    if pixels > MAX_PNG_PIXELS as f32 {
        scale *= (MAX_PNG_PIXELS as f32 / pixels).sqrt();
    }
    let w = (natural * scale).ceil().max(1.0) as u32;
    let h = (size.height() * scale).ceil().max(1.0) as u32;
    let mut pixmap =
        tiny_skia::Pixmap::new(w, h).ok_or(Error::Render(RenderError::PictureTooLarge {
            width: w,
            height: h,
        }))?;
    pixmap.fill(tiny_skia::Color::WHITE);
    resvg::render(
        &tree,
        tiny_skia::Transform::from_scale(scale, scale),
        &mut pixmap.as_mut(),
    );
    pixmap.encode_png().map_err(|e| {
        Error::Render(RenderError::PngEncoding {
            reason: e.to_string(),
        })
    })
}

/// The fonts the PNG's text is drawn with, loaded once: DejaVu Sans, bundled
/// in the binary (the `dejavu` crate), so a PNG needs no system font and comes
/// out the same on every machine. Its metrics are the ones graphviz-pure lays
/// text out with.
#[cfg(feature = "png")]
fn fonts() -> Result<std::sync::Arc<resvg::usvg::fontdb::Database>, Error> {
    use std::sync::{Arc, OnceLock};
    static DB: OnceLock<Arc<resvg::usvg::fontdb::Database>> = OnceLock::new();
    let db = DB.get_or_init(|| {
        let mut db = resvg::usvg::fontdb::Database::new();
        db.load_font_data(dejavu::sans::regular().to_vec());
        db.load_font_data(dejavu::sans::bold().to_vec());
        db.load_font_data(dejavu::sans::oblique().to_vec());
        db.set_sans_serif_family(super::style::FONT);
        db.set_serif_family(super::style::FONT);
        Arc::new(db)
    });
    if db.is_empty() {
        return Err(Error::Render(RenderError::FontMissing));
    }
    Ok(db.clone())
}
