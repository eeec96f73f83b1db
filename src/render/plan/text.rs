//! Display text of a picture: labels wrapped to a width in pixels, lines
//! cleaned of control characters, texts shortened, links kept only when safe.

use super::super::measure::{text_width, wrap_px};

/// Wraps display text into at most [`MAX_LABEL_LINES`] lines at most `px`
/// pixels wide at `size`; a longer text is cut with an ellipsis (the full
/// text stays in the tooltip and the title).
pub(crate) fn wrap_label(text: &str, px: f64, size: f64) -> Vec<String> {
    let text = clean(text);
    let mut lines = wrap_px(&text, px, size, false);
    if lines.is_empty() {
        return vec!["(no name)".to_string()];
    }
    if lines.len() > MAX_LABEL_LINES {
        lines.truncate(MAX_LABEL_LINES);
        if let Some(last) = lines.last_mut() {
            while !last.is_empty() && text_width(&format!("{last}…"), size, false) > px {
                last.pop();
            }
            *last = format!("{}…", last.trim_end());
        }
    }
    lines
}

/// Lines a wrapped label may have at most; the rest is cut with an
/// ellipsis (the full text stays in the tooltip and the SVG title).
pub(crate) const MAX_LABEL_LINES: usize = 4;

/// Wraps text into at most `max_lines` lines of at most about `width`
/// characters, breaking at spaces (and inside a word longer than a line);
/// whitespace and control characters become single spaces; a longer text
/// is cut with an ellipsis.
pub(crate) fn wrap_lines(text: &str, width: usize, max_lines: usize) -> Vec<String> {
    let width = width.max(4);
    let mut lines: Vec<String> = Vec::new();
    let mut line = String::new();
    let mut cut = false;
    'words: for word in clean(text).split(' ').filter(|w| !w.is_empty()) {
        // A word longer than a line is broken into pieces.
        let chars: Vec<char> = word.chars().collect();
        for piece in chars.chunks(width) {
            let piece: String = piece.iter().collect();
            let len = line.chars().count();
            if len > 0 && len + 1 + piece.chars().count() > width {
                lines.push(std::mem::take(&mut line));
                if lines.len() == max_lines {
                    cut = true;
                    break 'words;
                }
            }
            if !line.is_empty() {
                line.push(' ');
            }
            line.push_str(&piece);
        }
    }
    if !line.is_empty() && lines.len() < max_lines {
        lines.push(line);
    }
    if cut {
        if let Some(last) = lines.last_mut() {
            let keep: String = last.chars().take(width.saturating_sub(1)).collect();
            *last = format!("{}…", keep.trim_end());
        }
    }
    if lines.is_empty() {
        lines.push("(no name)".to_string());
    }
    lines
}

/// Wraps one line of a contact's label (`forward · after 20 Sep 2016`, a
/// date range) where it reads best: at ` · ` between kind and date, then
/// after the dash of a range, and only then between words.
pub(crate) fn wrap_contact_line(line: &str, px: f64, size: f64) -> Vec<String> {
    if text_width(line, size, false) <= px {
        return vec![line.to_string()];
    }
    if let Some((a, b)) = line.split_once(" · ") {
        let mut out = wrap_contact_line(a, px, size);
        out.extend(wrap_contact_line(b, px, size));
        return out;
    }
    if let Some((a, b)) = line.split_once(" – ") {
        let mut out = wrap_px(&format!("{a} –"), px, size, false);
        out.extend(wrap_px(b, px, size, false));
        return out;
    }
    wrap_px(line, px, size, false)
}

/// One line of display text: control characters and runs of whitespace
/// become single spaces; trimmed.
pub fn clean(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut space = false;
    for c in text.chars() {
        if c.is_whitespace() || c.is_control() {
            space = true;
        } else {
            if space && !out.is_empty() {
                out.push(' ');
            }
            space = false;
            out.push(c);
        }
    }
    out
}

/// Shortens display text to `max` characters with an ellipsis.
pub(crate) fn shorten(text: &str, max: usize) -> String {
    let t = clean(text);
    if t.chars().count() <= max {
        t
    } else {
        let cut: String = t.chars().take(max.saturating_sub(1)).collect();
        format!("{}…", cut.trim_end())
    }
}

/// A link we are willing to put in a picture: `http` or `https`, no spaces,
/// no control characters, no quotes or angle brackets.
pub(crate) fn safe_url(url: &str) -> Option<String> {
    let u = url.trim();
    let lower = u.to_ascii_lowercase();
    let ok_scheme = lower.starts_with("http://") || lower.starts_with("https://");
    let ok_chars = u.chars().all(|c| {
        !c.is_whitespace() && !c.is_control() && !matches!(c, '"' | '<' | '>' | '\\' | '\'' | '`')
    });
    (ok_scheme && ok_chars && u.len() > 8).then(|| u.to_string())
}
