//! The frame around a laid-out picture: a responsive SVG root (a viewBox,
//! `width="100%"`, no fixed size), the caption above, the drawing scaled to
//! the fit's width, the key and the notes below, every line wrapped to the
//! width so nothing is cut.

use super::key::{self, KeyItem};
use super::measure::wrap_px;
use super::plan::Plan;
use super::prim::{Drawing, DESC_ID, FONT_STACK, TITLE_ID};
use super::{Fit, Look};
use crate::escape;

/// Space around everything, in CSS px.
fn margin(fit: Fit) -> f64 {
    match fit {
        Fit::Phone => 8.0,
        Fit::Column | Fit::Wide => 12.0,
    }
}

/// The width the drawing, caption, key and notes share, in CSS px.
pub(crate) fn content_width(fit: Fit) -> f64 {
    f64::from(fit.width()) - 2.0 * margin(fit)
}

/// Text sizes of the frame: (title, heading, key and notes, sources).
fn text_sizes(fit: Fit) -> (f64, f64, f64, f64) {
    match fit {
        Fit::Phone => (18.0, 15.0, 13.0, 12.0),
        Fit::Column | Fit::Wide => (19.0, 15.0, 13.0, 12.0),
    }
}

/// Where and how a run of wrapped lines is set: the left edge, the width
/// to wrap to, the font size and the extra attributes of each `<text>`.
struct Pen<'s> {
    x: f64,
    width: f64,
    size: f64,
    style: &'s str,
}

/// Lines of text starting at `y` (the top of the first line): the SVG and
/// the y under the last line.
fn lines(out: &mut String, text: &str, y: f64, pen: &Pen<'_>) -> f64 {
    let Pen {
        x,
        width,
        size,
        style,
    } = *pen;
    let bold = style.contains("bold");
    let mut y = y;
    for line in wrap_px(text, width, size, bold) {
        y += size * 1.25;
        out.push_str(&format!(
            "<text x=\"{x:.1}\" y=\"{:.1}\" font-size=\"{size}px\"{style}>{}</text>\n",
            y - size * 0.3,
            escape::svg(&line)
        ));
    }
    y
}

/// The root's start tag, title and description.
pub(crate) fn open(look: &Look, width: f64, height: f64, title: &str, desc: &str) -> String {
    let style = match look.max_width {
        Some(w) => format!(" style=\"max-width:{w}px;height:auto\""),
        None => " style=\"height:auto\"".to_string(),
    };
    format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"no\"?>\n\
         <svg xmlns=\"http://www.w3.org/2000/svg\" xmlns:xlink=\"http://www.w3.org/1999/xlink\" \
         viewBox=\"0 0 {width:.0} {height:.0}\" width=\"100%\"{style} \
         role=\"img\" aria-labelledby=\"{TITLE_ID}\" aria-describedby=\"{DESC_ID}\" \
         font-family=\"{}\" overflow=\"visible\">\n\
         <title id=\"{TITLE_ID}\">{}</title>\n<desc id=\"{DESC_ID}\">{}</desc>\n\
         <rect width=\"100%\" height=\"100%\" fill=\"#ffffff\"/>\n",
        escape::svg(FONT_STACK),
        escape::svg(title),
        escape::svg(desc)
    )
}

/// The caption: the title in bold and what the picture shows. Returns the
/// y under it.
pub(crate) fn caption(out: &mut String, fit: Fit, title: &str, heading: Option<&str>) -> f64 {
    let m = margin(fit);
    let w = content_width(fit);
    let (t, h, _, _) = text_sizes(fit);
    out.push_str("<g class=\"grapevine-caption\">\n");
    let mut y = lines(
        out,
        title,
        m,
        &Pen {
            x: m,
            width: w,
            size: t,
            style: " font-weight=\"bold\" fill=\"#111111\"",
        },
    );
    if let Some(heading) = heading {
        let pen = Pen {
            x: m,
            width: w,
            size: h,
            style: " fill=\"#333333\"",
        };
        y = lines(out, heading, y + 2.0, &pen);
    }
    out.push_str("</g>\n");
    y
}

/// The key, the notes and the sources from `y` down. Returns the y under
/// them.
pub(crate) fn footer(
    out: &mut String,
    fit: Fit,
    y: f64,
    items: &[KeyItem],
    notes: &[String],
    sources: Option<&str>,
) -> f64 {
    let m = margin(fit);
    let w = content_width(fit);
    let (_, _, k, s) = text_sizes(fit);
    let mut y = y;
    if !items.is_empty() {
        let (svg, h) = key::draw(items, m, y + 6.0, w, k);
        out.push_str(&svg);
        y += 6.0 + h;
    }
    if !notes.is_empty() || sources.is_some() {
        out.push_str("<g class=\"grapevine-notes\">\n");
        let note_pen = Pen {
            x: m,
            width: w,
            size: k,
            style: " fill=\"#333333\"",
        };
        for note in notes {
            out.push_str(&format!("<g><title>{}</title>\n", escape::svg(note)));
            y = lines(out, note, y + 2.0, &note_pen);
            out.push_str("</g>\n");
        }
        if let Some(sources) = sources {
            let pen = Pen {
                x: m,
                width: w,
                size: s,
                style: " fill=\"#555555\"",
            };
            y = lines(out, sources, y + 4.0, &pen);
        }
        out.push_str("</g>\n");
    }
    y
}

/// The whole SVG of a laid-out plan.
pub(crate) fn compose(plan: &Plan, drawing: &Drawing, desc: &str) -> String {
    let fit = plan.look.fit;
    let m = margin(fit);
    let width = f64::from(fit.width());
    let content = content_width(fit);
    let mut body = String::new();
    let top = caption(&mut body, fit, &plan.title, plan.heading.as_deref());
    // The drawing, shrunk to the width if it must be, centred.
    let scale = (content / drawing.width.max(1.0)).min(1.0);
    let x = m + (content - drawing.width * scale) / 2.0;
    let y = top + 6.0;
    body.push_str(&format!(
        "<g class=\"grapevine-drawing\" transform=\"translate({x:.2} {y:.2}) scale({scale:.4})\">\n{}\n</g>\n",
        drawing.body.trim()
    ));
    let bottom = y + drawing.height * scale;
    let end = footer(
        &mut body,
        fit,
        bottom,
        &plan.key,
        &plan.notes,
        plan.sources.as_deref(),
    );
    let height = (end + m).ceil();
    let mut out = open(&plan.look, width, height, &plan.title, desc);
    out.push_str(&body);
    out.push_str("</svg>\n");
    out
}
