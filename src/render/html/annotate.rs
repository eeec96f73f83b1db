//! The drawn SVG made ready to sit inline in the page: no XML prolog, no
//! inline `style` (a Content-Security-Policy by hash would refuse it), ids
//! that cannot clash with the host page's, and on every person's and
//! contact's group the contract's `data-entity` or `data-event` attribute
//! and a `tabindex` for keyboard focus.
//!
//! The synthetic group ids of the plan say what each group draws: `nI` the
//! story's entity `I`, `hI` and `eI_…` its event `I`; every other id is
//! dropped.

use crate::error::{RenderError, SvgFrom};
use crate::escape;
use crate::model::Story;
use crate::Error;

/// What a group of the picture draws.
pub(crate) enum Target<'s> {
    Entity(&'s str),
    Event(&'s str),
    Other,
}

/// What the group with plan id `id` draws in `story`.
pub(crate) fn target<'s>(story: &'s Story, id: &str) -> Target<'s> {
    let number = |rest: &str| rest.parse::<usize>().ok();
    let event = |i: Option<usize>| {
        i.and_then(|i| story.events.get(i))
            .map_or(Target::Other, |e| Target::Event(&e.id))
    };
    if let Some(rest) = id.strip_prefix('n') {
        return number(rest)
            .and_then(|i| story.entities.get(i))
            .map_or(Target::Other, |e| Target::Entity(&e.id));
    }
    if let Some(rest) = id.strip_prefix('h') {
        return event(number(rest));
    }
    if let Some(rest) = id.strip_prefix('e') {
        return event(rest.split('_').next().and_then(number));
    }
    Target::Other
}

/// The SVG `svg` of `story` (as [`crate::render::draw_svg`] wrote it) for
/// the page: `name` tells this picture's ids from another's (`phone`,
/// `column`, `wide`).
pub(crate) fn annotate(svg: &str, story: &Story, name: &str) -> Result<String, Error> {
    let doc = roxmltree::Document::parse(svg).map_err(|e| {
        Error::Render(RenderError::MalformedSvg {
            from: SvgFrom::Drawing,
            reason: e.to_string(),
        })
    })?;
    let root = doc.root_element();
    let mut edits: Vec<(std::ops::Range<usize>, String)> = Vec::new();
    let title_id = format!("gv-title-{name}");
    let desc_id = format!("gv-desc-{name}");
    // The page's own title and finding stand above the picture: its caption
    // is cut off by starting the viewBox under it.
    let drawing = root
        .children()
        .find(|n| n.attribute("class") == Some("grapevine-drawing"));
    let top = drawing
        .and_then(|g| g.attribute("transform"))
        .and_then(|t| t.strip_prefix("translate("))
        .and_then(|t| t.split([' ', ')']).nth(1))
        .and_then(|y| y.parse::<f64>().ok())
        .map(|y| (y - 8.0).max(0.0));
    let caption = root
        .children()
        .find(|n| n.attribute("class") == Some("grapevine-caption"));
    if let (Some(top), Some(caption)) = (top, caption) {
        edits.push((caption.range(), String::new()));
        let view = crate::render::prim::view_box(root);
        if let ([x, y, w, h], Some(at)) = (
            view.as_slice(),
            root.attributes().find(|a| a.name() == "viewBox"),
        ) {
            edits.push((
                at.range_value(),
                format!("{x:.0} {:.0} {w:.0} {:.0}", y + top, (h - top).max(1.0)),
            ));
        }
    }
    for at in root.attributes() {
        match at.name() {
            "style" => edits.push((at.range(), String::new())),
            "aria-labelledby" => edits.push((at.range_value(), title_id.clone())),
            "aria-describedby" => edits.push((at.range_value(), desc_id.clone())),
            _ => {}
        }
    }
    // The root's start tag gets its class just after `<svg`.
    let open = root.range().start + "<svg".len();
    edits.push((
        open..open,
        format!(
            " class=\"gv-pic gv-pic-{}\" focusable=\"false\"",
            escape::html_attr(name)
        ),
    ));
    for node in root.descendants().filter(|n| n.is_element()) {
        for at in node.attributes() {
            if at.name() == "id" {
                let value = at.value();
                let new = if node.has_tag_name("title") && node.parent() == Some(root) {
                    format!("id=\"{title_id}\"")
                } else if node.has_tag_name("desc") && node.parent() == Some(root) {
                    format!("id=\"{desc_id}\"")
                } else if node.has_tag_name("g") {
                    match target(story, value) {
                        Target::Entity(id) => {
                            format!("data-entity=\"{}\" tabindex=\"0\"", escape::html_attr(id))
                        }
                        Target::Event(id) => {
                            format!("data-event=\"{}\" tabindex=\"0\"", escape::html_attr(id))
                        }
                        Target::Other => String::new(),
                    }
                } else {
                    String::new()
                };
                edits.push((at.range(), new));
            } else if node.has_tag_name("g") && at.name().starts_with("data-") {
                // The drawing's own marks (with the space before each) give
                // way to the page's, written in the id's place.
                let r = at.range();
                let start = if svg[..r.start].ends_with(' ') {
                    r.start - 1
                } else {
                    r.start
                };
                edits.push((start..r.end, String::new()));
            } else if node.has_tag_name("a") && at.name() == "title" {
                // The card says it all: no second tooltip.
                edits.push((at.range(), String::new()));
            }
        }
    }
    edits.sort_by_key(|(r, _)| (r.start, r.end));
    if edits.windows(2).any(|p| p[0].0.end > p[1].0.start) {
        return Err(Error::Render(RenderError::OverlappingEdits));
    }
    let mut out = svg.to_string();
    for (range, text) in edits.into_iter().rev() {
        out.replace_range(range, &text);
    }
    // From the root on: no XML prolog inside HTML.
    let start = root.range().start;
    Ok(out.get(start..).unwrap_or_default().trim_end().to_string())
}
