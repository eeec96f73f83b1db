//! Making a Graphviz SVG accessible: it is parsed with an XML parser
//! (roxmltree) and byte ranges it located are replaced. Every node, edge and
//! cluster gets a name or a sentence as its `<title>` instead of an internal
//! id; every label and tooltip is rewritten from the plan; text sizes are in
//! CSS px and edge labels sit on a white halo. Every string put in is
//! XML-escaped here, whatever the layout engine did with it.

use super::measure::text_width;
use super::plan::Plan;
use super::prim::{Drawing, FONT_STACK};
use crate::error::{RenderError, SvgFrom};
use crate::escape;
use crate::Error;

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
pub(crate) fn accessible(raw: &str, plan: &Plan) -> Result<Drawing, Error> {
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
    let view = super::prim::view_box(root);
    let (width, height) = match view.as_slice() {
        [_, _, w, h] => (*w, *h),
        _ => (1.0, 1.0),
    };
    let mut edits: Edits = Vec::new();
    text_edits(root, &mut edits);
    for g in root.descendants().filter(|n| n.has_tag_name("g")) {
        let Some(class) = g.attribute("class") else {
            continue;
        };
        if !matches!(class, "node" | "edge" | "cluster" | "graph") {
            continue;
        }
        let id = g.attribute("id").unwrap_or("");
        let r = replacement(plan, class, id);
        group_edits(raw, g, class, &r, &mut edits);
        // What the group draws, for a reader's tools and for tests.
        let data = match class {
            "node" => plan.node_data(id),
            "edge" => plan
                .edges
                .iter()
                .find(|e| e.id == id)
                .map(|e| plan.edge_data(e))
                .unwrap_or_default(),
            _ => String::new(),
        };
        if !data.is_empty() {
            let at = g.range().start + "<g".len();
            edits.push((at..at, data));
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

/// Byte ranges of the raw SVG and what replaces each.
type Edits = Vec<(std::ops::Range<usize>, String)>;

/// Text in CSS px, in the font stack.
fn text_edits(root: roxmltree::Node, edits: &mut Edits) {
    for t in root.descendants().filter(|n| n.has_tag_name("text")) {
        for at in t.attributes() {
            match at.name() {
                "font-size" => {
                    let size = at.value().parse::<f64>().unwrap_or(14.0);
                    edits.push((at.range_value(), format!("{size}px")));
                }
                "font-family" => edits.push((at.range_value(), escape::svg(FONT_STACK))),
                _ => {}
            }
        }
    }
}

/// One group's edits: its title, its text lines, its links and tooltips.
fn group_edits(raw: &str, g: roxmltree::Node, class: &str, r: &Replacement, edits: &mut Edits) {
    // The group's own <title>.
    if let Some(title) = g.children().find(|c| c.has_tag_name("title")) {
        edits.push((content_range(&title), escape::svg(&r.title)));
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
            edits.push((content_range(t), escape::svg(line)));
        }
        if class == "edge" {
            halo_edits(raw, &texts, r.label, edits);
        }
    }
    // Its links and tooltips.
    if matches!(class, "node" | "edge") {
        for a in g.descendants().filter(|n| n.has_tag_name("a")) {
            for at in a.attributes() {
                match at.name() {
                    "title" => {
                        let text = r.tooltip.unwrap_or(&r.title);
                        edits.push((at.range_value(), escape::svg(text)));
                    }
                    "href" => {
                        let url = r.url.unwrap_or("#");
                        edits.push((at.range_value(), escape::svg(url)));
                    }
                    _ => {}
                }
            }
        }
    }
}

/// Edge labels on a white ground and halo: no line strikes through them.
fn halo_edits(raw: &str, texts: &[roxmltree::Node], label: &[String], edits: &mut Edits) {
    for (t, line) in texts.iter().zip(label) {
        let at = start_tag_end(raw, t.range().start).unwrap_or(t.range().start);
        edits.push((at..at, HALO.to_string()));
        let num = |k: &str| t.attribute(k).and_then(|v| v.parse::<f64>().ok());
        if let (Some(x), Some(y)) = (num("x"), num("y")) {
            let size = num("font-size").unwrap_or(12.0);
            let w = text_width(line, size, false);
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
