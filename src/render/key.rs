//! The key: a strip drawn after layout, under the picture, with only the
//! symbols the picture uses, laid out in rows across its width.

use super::measure::text_width;
use super::style::{certainty_style, kind_style, CONTEXT_GREY, FADED_LINE};
use crate::escape;
use crate::model::{Certainty, EntityKind};

/// One symbol of the key.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) enum KeyItem {
    /// An entity kind's shape and colour.
    Kind(EntityKind),
    /// A contact among three or more people, drawn as a small box.
    Hub,
    /// A line style for a certainty level.
    Certainty(Certainty),
    /// A mutual contact: no arrowheads.
    Mutual,
    /// A standing tie.
    Relation,
    /// The chain that reaches them (a reach picture).
    Chain,
    /// Another contact among them (a reach picture).
    Faded,
    /// A contact known only to a span of time (the lane chart).
    Span,
    /// A reference date (the lane chart's markers).
    Marker,
    /// Time compressed on the axis (the lane chart's breaks).
    Break,
    /// A holding on the lane chart: had it by then, the route not recorded.
    Held,
}

impl KeyItem {
    /// The words beside the symbol.
    pub(crate) fn words(self) -> &'static str {
        match self {
            KeyItem::Kind(k) => kind_style(k).word,
            KeyItem::Hub => "one contact, several people",
            KeyItem::Certainty(c) => match c {
                Certainty::Unknown => "? unknown if it happened",
                other => certainty_style(other).legend,
            },
            KeyItem::Mutual => "mutual (meeting, call)",
            KeyItem::Relation => "standing tie",
            KeyItem::Chain => "chain that reaches them",
            KeyItem::Faded => "other contact",
            KeyItem::Span => "date known only to a span",
            KeyItem::Marker => "reference date",
            KeyItem::Break => "time compressed",
            KeyItem::Held => "held it by then (how it got it is not recorded)",
        }
    }
}

/// Size of the symbol box, in pixels.
const SYMBOL: f64 = 30.0;

/// Draws the symbol of `item` in a box whose top-left is (`x`, `y`) and
/// whose height is `h`.
pub(crate) fn symbol(item: KeyItem, x: f64, y: f64, h: f64) -> String {
    let cy = y + h / 2.0;
    let line = |style: &str, color: &str, width: f64, head: bool| {
        let dash = match style {
            "dashed" => " stroke-dasharray=\"5,2\"",
            "dotted" => " stroke-dasharray=\"1,3\" stroke-linecap=\"round\"",
            _ => "",
        };
        let x2 = x + SYMBOL - if head { 6.0 } else { 0.0 };
        let mut s = format!(
            "<line x1=\"{x:.1}\" y1=\"{cy:.1}\" x2=\"{x2:.1}\" y2=\"{cy:.1}\" stroke=\"{color}\" stroke-width=\"{width}\"{dash}/>"
        );
        if head {
            let tip = x + SYMBOL;
            s.push_str(&format!(
                "<polygon points=\"{tip:.1},{cy:.1} {:.1},{:.1} {:.1},{:.1}\" fill=\"{color}\"/>",
                tip - 7.0,
                cy - 3.5,
                tip - 7.0,
                cy + 3.5
            ));
        }
        s
    };
    match item {
        KeyItem::Kind(k) => {
            let ks = kind_style(k);
            let (w, hh) = (SYMBOL - 4.0, h - 4.0);
            let (x0, y0) = (x + 2.0, y + 2.0);
            let paint = format!(
                "fill=\"{}\" stroke=\"{}\" stroke-width=\"1.5\"",
                ks.fill, ks.border
            );
            match k {
                EntityKind::Person => format!(
                    "<ellipse cx=\"{:.1}\" cy=\"{cy:.1}\" rx=\"{:.1}\" ry=\"{:.1}\" {paint}/>",
                    x + SYMBOL / 2.0,
                    w / 2.0,
                    hh / 2.0
                ),
                EntityKind::Organisation => format!(
                    "<rect x=\"{x0:.1}\" y=\"{y0:.1}\" width=\"{w:.1}\" height=\"{hh:.1}\" rx=\"4\" {paint}/>"
                ),
                EntityKind::Group => {
                    let s = hh / 2.0;
                    format!(
                        "<polygon points=\"{:.1},{cy:.1} {:.1},{y0:.1} {:.1},{y0:.1} {:.1},{cy:.1} {:.1},{:.1} {:.1},{:.1}\" {paint}/>",
                        x0,
                        x0 + s * 0.6,
                        x0 + w - s * 0.6,
                        x0 + w,
                        x0 + w - s * 0.6,
                        y0 + hh,
                        x0 + s * 0.6,
                        y0 + hh
                    )
                }
                EntityKind::Other => {
                    let c = hh * 0.3;
                    format!(
                        "<polygon points=\"{:.1},{y0:.1} {:.1},{y0:.1} {:.1},{:.1} {:.1},{:.1} {:.1},{:.1} {:.1},{:.1} {x0:.1},{:.1} {x0:.1},{:.1}\" {paint}/>",
                        x0 + c,
                        x0 + w - c,
                        x0 + w,
                        y0 + c,
                        x0 + w,
                        y0 + hh - c,
                        x0 + w - c,
                        y0 + hh,
                        x0 + c,
                        y0 + hh,
                        y0 + hh - c,
                        y0 + c
                    )
                }
            }
        }
        KeyItem::Hub => format!(
            "<rect x=\"{:.1}\" y=\"{:.1}\" width=\"{:.1}\" height=\"{:.1}\" rx=\"3\" fill=\"white\" stroke=\"#222222\"/>",
            x + 4.0,
            y + 4.0,
            SYMBOL - 8.0,
            h - 8.0
        ),
        KeyItem::Certainty(c) => {
            let cs = certainty_style(c);
            line(cs.style, cs.color, 1.6, true)
        }
        KeyItem::Mutual => line("solid", "#222222", 1.2, false),
        KeyItem::Relation => line("solid", CONTEXT_GREY, 0.8, true),
        KeyItem::Chain => line("solid", "#000000", 3.0, true),
        KeyItem::Faded => line("solid", FADED_LINE, 1.2, true),
        KeyItem::Span => format!(
            "<rect x=\"{x:.1}\" y=\"{:.1}\" width=\"{SYMBOL:.1}\" height=\"6\" rx=\"3\" fill=\"#222222\" fill-opacity=\"0.18\"/>",
            cy - 3.0
        ),
        KeyItem::Marker | KeyItem::Break => time_symbol(item, x, y, h),
        KeyItem::Held => held_symbol(x + SYMBOL / 2.0, cy),
    }
}

/// A holding's diamond centred on (`x`, `y`).
pub(crate) fn held_symbol(x: f64, y: f64) -> String {
    format!(
        "<path d=\"M{:.1},{y:.1} L{x:.1},{:.1} L{:.1},{y:.1} L{x:.1},{:.1} Z\" fill=\"#FFFFFF\" stroke=\"#000000\" stroke-width=\"1.6\"/>",
        x - 6.0,
        y - 6.0,
        x + 6.0,
        y + 6.0
    )
}

/// The lane chart's time symbols: a marker's dashed line, a break.
fn time_symbol(item: KeyItem, x: f64, y: f64, h: f64) -> String {
    let cy = y + h / 2.0;
    match item {
        KeyItem::Marker => format!(
            "<line x1=\"{:.1}\" y1=\"{:.1}\" x2=\"{:.1}\" y2=\"{:.1}\" stroke=\"#AA3377\" stroke-width=\"1.3\" stroke-dasharray=\"5,3\"/>",
            x + SYMBOL / 2.0,
            y + 1.0,
            x + SYMBOL / 2.0,
            y + h - 1.0
        ),
        KeyItem::Break => format!(
            "<rect x=\"{:.1}\" y=\"{:.1}\" width=\"14\" height=\"{:.1}\" fill=\"#C8CDD3\" fill-opacity=\"0.45\"/>\
             <path d=\"M{:.1},{:.1} l6,-12 M{:.1},{:.1} l6,-12\" stroke=\"#555555\" stroke-width=\"1.4\" fill=\"none\"/>",
            x + SYMBOL / 2.0 - 7.0,
            y + 1.0,
            h - 2.0,
            x + SYMBOL / 2.0 - 6.0,
            cy + 6.0,
            x + SYMBOL / 2.0,
            cy + 6.0
        ),
        _ => String::new(),
    }
}

/// The key drawn at (`x`, `y`) across `width` pixels with text of `size`
/// pixels: the SVG group and its height.
pub(crate) fn draw(items: &[KeyItem], x: f64, y: f64, width: f64, size: f64) -> (String, f64) {
    if items.is_empty() {
        return (String::new(), 0.0);
    }
    let row = (size * 1.6).max(18.0);
    let gap = size * 1.2;
    let mut out = String::from("<g class=\"grapevine-key\">\n<title>Key</title>\n");
    let (mut cx, mut cy) = (x, y);
    for &item in items {
        let words = item.words();
        let w = SYMBOL + 5.0 + text_width(words, size, false);
        if cx > x && cx + w > x + width {
            cx = x;
            cy += row;
        }
        out.push_str("<g>");
        out.push_str(&format!("<title>Key: {}</title>", escape::svg(words)));
        out.push_str(&symbol(item, cx, cy, row - 4.0));
        out.push_str(&format!(
            "<text x=\"{:.1}\" y=\"{:.1}\" font-size=\"{size}px\" fill=\"#333333\">{}</text>",
            cx + SYMBOL + 5.0,
            cy + (row - 4.0) / 2.0 + size * 0.35,
            escape::svg(words)
        ));
        out.push_str("</g>\n");
        cx += w + gap;
    }
    out.push_str("</g>\n");
    (out, cy + row - y)
}
