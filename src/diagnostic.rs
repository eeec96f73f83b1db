//! Located errors and warnings, printed in the style of rustc's diagnostics.

use std::fmt;
use std::ops::Range;

use codespan_reporting::diagnostic::{Diagnostic as CsDiagnostic, Label};
use codespan_reporting::files::{Error as FilesError, Files, Location};
use codespan_reporting::term::{self, Chars, Config};
use serde::Serialize;

/// Error or warning.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    /// The file cannot be used.
    Error,
    /// The file loads, but something deserves a look.
    Warning,
}

/// One problem, located in the file by byte span.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    /// Error or warning.
    pub severity: Severity,
    /// One line saying what is wrong; it quotes the offending value.
    pub message: String,
    /// Where (byte range); `None` for the whole file.
    pub span: Option<Range<usize>>,
    /// Short text under the caret.
    pub label: String,
    /// Other places that explain this one (e.g. the first definition).
    pub related: Vec<(Range<usize>, String)>,
    /// How to fix it.
    pub help: Option<String>,
}

impl Diagnostic {
    /// An error at `span`.
    pub fn error(
        message: impl Into<String>,
        span: Option<Range<usize>>,
        label: impl Into<String>,
    ) -> Self {
        Diagnostic {
            severity: Severity::Error,
            message: message.into(),
            span,
            label: label.into(),
            related: Vec::new(),
            help: None,
        }
    }

    /// A warning at `span`.
    pub fn warning(
        message: impl Into<String>,
        span: Option<Range<usize>>,
        label: impl Into<String>,
    ) -> Self {
        Diagnostic {
            severity: Severity::Warning,
            ..Diagnostic::error(message, span, label)
        }
    }

    /// Adds how to fix it.
    pub fn with_help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(help.into());
        self
    }

    /// Adds a related place.
    pub fn with_related(mut self, span: Range<usize>, label: impl Into<String>) -> Self {
        self.related.push((span, label.into()));
        self
    }
}

/// 1-based line and column (in characters) of a byte offset.
pub fn line_column(text: &str, offset: usize) -> (usize, usize) {
    let mut offset = offset.min(text.len());
    while !text.is_char_boundary(offset) {
        offset -= 1;
    }
    let before = &text[..offset];
    let line = before.bytes().filter(|&b| b == b'\n').count() + 1;
    let line_start = before.rfind('\n').map(|i| i + 1).unwrap_or(0);
    let column = text[line_start..offset].chars().count() + 1;
    (line, column)
}

/// Line and column of many offsets in one text: the line starts are found
/// once, then each offset in O(log n) (instead of [`line_column`]'s scan).
#[derive(Debug, Clone)]
pub struct LineIndex<'t> {
    text: &'t str,
    starts: Vec<usize>,
}

impl<'t> LineIndex<'t> {
    /// The index of `text`'s lines. O(n).
    pub fn new(text: &'t str) -> LineIndex<'t> {
        let starts = std::iter::once(0)
            .chain(text.match_indices('\n').map(|(i, _)| i + 1))
            .collect();
        LineIndex { text, starts }
    }

    /// 1-based line and column (in characters) of a byte offset, as
    /// [`line_column`] gives them.
    pub fn line_column(&self, offset: usize) -> (usize, usize) {
        let mut offset = offset.min(self.text.len());
        while !self.text.is_char_boundary(offset) {
            offset -= 1;
        }
        let line = self.starts.partition_point(|&s| s <= offset);
        let start = self.starts[line - 1];
        (line, self.text[start..offset].chars().count() + 1)
    }
}

/// The diagnostics for one file, with the file's text so they can be shown.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Report {
    /// The file's name as given by the user.
    pub file: String,
    /// The file's text (lossily decoded when it was not UTF-8).
    pub text: String,
    /// The problems, in file order.
    pub diagnostics: Vec<Diagnostic>,
}

/// A diagnostic as JSON: what `check --json` prints.
#[derive(Debug, Clone, Serialize)]
pub struct DiagnosticJson {
    /// error / warning
    pub severity: Severity,
    /// The file.
    pub file: String,
    /// 1-based line, when located.
    pub line: Option<usize>,
    /// 1-based column, when located.
    pub column: Option<usize>,
    /// What is wrong.
    pub message: String,
    /// How to fix it.
    pub help: Option<String>,
}

impl Report {
    /// An empty report for `file`.
    pub fn new(file: impl Into<String>, text: impl Into<String>) -> Self {
        Report {
            file: file.into(),
            text: text.into(),
            diagnostics: Vec::new(),
        }
    }

    /// Number of errors.
    pub fn error_count(&self) -> usize {
        self.diagnostics
            .iter()
            .filter(|d| d.severity == Severity::Error)
            .count()
    }

    /// Number of warnings.
    pub fn warning_count(&self) -> usize {
        self.diagnostics
            .iter()
            .filter(|d| d.severity == Severity::Warning)
            .count()
    }

    /// Sorts diagnostics by position (stable for equal positions).
    pub fn sort(&mut self) {
        self.diagnostics
            .sort_by_key(|d| d.span.as_ref().map(|s| s.start).unwrap_or(0));
    }

    /// Renders every diagnostic as rustc-style text without colour.
    ///
    /// A line longer than [`LONG_LINE`] bytes (a minified file, a run of
    /// brackets) is shown as an excerpt around the labels, marked with `...`;
    /// the line and column printed are those of the whole file.
    pub fn render(&self) -> String {
        let config = Config {
            chars: Chars::ascii(),
            ..Config::default()
        };
        let has_long_lines = self.text.split('\n').any(|l| l.len() > LONG_LINE);
        let whole = Excerpt::new(&self.file, &self.text, &[]);
        let mut out = String::new();
        for d in &self.diagnostics {
            let spans: Vec<Range<usize>> = d
                .span
                .iter()
                .chain(d.related.iter().map(|(s, _)| s))
                .map(|s| clamp(s, &self.text))
                .collect();
            // The whole file is shared by every diagnostic (a copy each would
            // make a report of d problems cost d times the file).
            let own;
            let excerpt = if has_long_lines {
                let points: Vec<usize> = spans.iter().flat_map(|s| [s.start, s.end]).collect();
                own = Excerpt::new(&self.file, &self.text, &points);
                &own
            } else {
                &whole
            };
            let mut cs = match d.severity {
                Severity::Error => CsDiagnostic::error(),
                Severity::Warning => CsDiagnostic::warning(),
            }
            .with_message(&d.message);
            let mut labels = Vec::new();
            let mut spans = spans.into_iter();
            if d.span.is_some() {
                if let Some(span) = spans.next() {
                    labels.push(Label::primary((), excerpt.range(&span)).with_message(&d.label));
                }
            }
            for ((_, label), span) in d.related.iter().zip(spans) {
                labels.push(Label::secondary((), excerpt.range(&span)).with_message(label));
            }
            cs = cs.with_labels(labels);
            let mut notes = Vec::new();
            if d.span.is_none() {
                notes.push(format!("in {}", self.file));
            }
            if let Some(help) = &d.help {
                notes.push(format!("help: {help}"));
            }
            cs = cs.with_notes(notes);
            match term::emit_into_string(&config, excerpt, &cs) {
                Ok(s) => out.push_str(&s),
                Err(_) => out.push_str(&self.plain(d)),
            }
        }
        out
    }

    fn plain(&self, d: &Diagnostic) -> String {
        let j = self.json_of(d);
        let at = match (j.line, j.column) {
            (Some(l), Some(c)) => format!("{}:{l}:{c}", self.file),
            _ => self.file.clone(),
        };
        format!("{:?}: {}\n  --> {at}\n", d.severity, d.message)
    }

    fn json_of(&self, d: &Diagnostic) -> DiagnosticJson {
        self.json_at(d, |offset| line_column(&self.text, offset))
    }

    fn json_at(&self, d: &Diagnostic, locate: impl Fn(usize) -> (usize, usize)) -> DiagnosticJson {
        let (line, column) = match &d.span {
            Some(s) => {
                let (l, c) = locate(s.start);
                (Some(l), Some(c))
            }
            None => (None, None),
        };
        DiagnosticJson {
            severity: d.severity,
            file: self.file.clone(),
            line,
            column,
            message: d.message.clone(),
            help: d.help.clone(),
        }
    }

    /// The diagnostics as JSON objects with line and column.
    ///
    /// The file's line starts are found once: O(n + d log n) for d
    /// diagnostics in a file of n bytes.
    pub fn to_json(&self) -> Vec<DiagnosticJson> {
        let text = self.text.as_str();
        let starts: Vec<usize> = std::iter::once(0)
            .chain(memchr::memchr_iter(b'\n', text.as_bytes()).map(|i| i + 1))
            .collect();
        let locate = |offset: usize| {
            let mut offset = offset.min(text.len());
            while !text.is_char_boundary(offset) {
                offset -= 1;
            }
            let line = starts.partition_point(|&s| s <= offset);
            let start = starts[line - 1];
            (line, text[start..offset].chars().count() + 1)
        };
        self.diagnostics
            .iter()
            .map(|d| self.json_at(d, locate))
            .collect()
    }
}

fn clamp(span: &Range<usize>, text: &str) -> Range<usize> {
    let mut start = span.start.min(text.len());
    let mut end = span.end.min(text.len()).max(start);
    while !text.is_char_boundary(start) {
        start -= 1;
    }
    while !text.is_char_boundary(end) {
        end += 1;
    }
    start..end
}

/// Lines longer than this (in bytes) are shown as an excerpt.
pub const LONG_LINE: usize = 160;
/// Characters of context kept before the first label on a long line.
const EXCERPT_BEFORE: usize = 40;
/// Characters kept of a long line.
const EXCERPT_WIDTH: usize = 120;

/// The text codespan shows: the file, with each long line cut down to a
/// window around the labels on it. Line numbers are unchanged; locations are
/// mapped back to the whole file.
#[derive(Debug, Clone)]
struct Excerpt<'a> {
    name: &'a str,
    original: &'a str,
    text: String,
    line_starts: Vec<usize>,
    /// Where each line of the original starts (0 first).
    original_starts: Vec<usize>,
    /// Runs copied from the original: (start in `text`, start in `original`, length).
    runs: Vec<(usize, usize, usize)>,
}

/// Appends `s` as it can safely be shown in a terminal: control characters
/// (an escape sequence in a hostile file, a stray carriage return), the
/// bidirectional controls that reorder a line and zero-width characters are
/// replaced by `?` (one per byte) or U+FFFD (3 bytes), so that byte offsets
/// stay the same. `after` is the character that follows `s` in the file.
fn push_shown(text: &mut String, s: &str, after: Option<char>) {
    let mut chars = s.chars().peekable();
    while let Some(c) = chars.next() {
        let hidden = match c {
            '\n' | '\t' => false,
            // A line's own `\r\n` ending is trimmed by the renderer; a lone
            // `\r`, the last character of the file included, is shown.
            '\r' => chars.peek().copied().or(after) != Some('\n'),
            // Bidirectional controls, and zero-width characters (a byte order
            // mark in mid-file) that a caret could not point at.
            '\u{61c}'
            | '\u{180e}'
            | '\u{200b}'..='\u{200f}'
            | '\u{202a}'..='\u{202e}'
            | '\u{2060}'..='\u{2064}'
            | '\u{2066}'..='\u{2069}'
            | '\u{feff}' => true,
            c => c.is_control(),
        };
        match (hidden, c.len_utf8()) {
            (false, _) => text.push(c),
            (true, 3) => text.push('\u{fffd}'),
            (true, n) => text.extend(std::iter::repeat_n('?', n)),
        }
    }
}

impl<'a> Excerpt<'a> {
    /// `points` are byte offsets (label starts and ends) to keep in view; on
    /// its line, the first one (the primary label's start, whose location is
    /// printed) always is.
    fn new(name: &'a str, original: &'a str, points: &[usize]) -> Self {
        let mut text = String::new();
        let mut runs = Vec::new();
        let mut copy = |text: &mut String, from: usize, to: usize| {
            if to > from {
                runs.push((text.len(), from, to - from));
                push_shown(text, &original[from..to], original[to..].chars().next());
            }
        };
        let mut start = 0;
        while start < original.len() || (start == 0 && original.is_empty()) {
            let end = original[start..]
                .find('\n')
                .map(|i| start + i)
                .unwrap_or(original.len());
            if end - start <= LONG_LINE {
                copy(&mut text, start, end);
            } else {
                let on_line = |p: &usize| *p >= start && *p <= end;
                let anchor = match points.first() {
                    Some(p) if on_line(p) => *p,
                    _ => points
                        .iter()
                        .copied()
                        .filter(on_line)
                        .min()
                        .unwrap_or(start),
                };
                let line = &original[start..end];
                let back = line[..anchor - start]
                    .char_indices()
                    .rev()
                    .nth(EXCERPT_BEFORE.saturating_sub(1))
                    .map(|(i, _)| start + i)
                    .unwrap_or(start);
                let window_end = line[back - start..]
                    .char_indices()
                    .nth(EXCERPT_WIDTH)
                    .map(|(i, _)| back + i)
                    .unwrap_or(end);
                if back > start {
                    text.push_str("...");
                }
                copy(&mut text, back, window_end);
                if window_end < end {
                    text.push_str("...");
                }
            }
            if end < original.len() {
                copy(&mut text, end, end + 1);
            }
            start = end + 1;
            if original.is_empty() {
                break;
            }
        }
        let line_starts = codespan_reporting::files::line_starts(&text).collect();
        let original_starts = codespan_reporting::files::line_starts(original).collect();
        Excerpt {
            name,
            original,
            text,
            line_starts,
            original_starts,
            runs,
        }
    }

    /// Position in the excerpt of a position in the original.
    fn to_excerpt(&self, pos: usize) -> usize {
        let i = self.runs.partition_point(|&(_, o, _)| o <= pos);
        match i.checked_sub(1).map(|i| self.runs[i]) {
            Some((t, o, len)) => t + (pos - o).min(len),
            None => 0,
        }
    }

    /// Position in the original of a position in the excerpt.
    fn to_original(&self, pos: usize) -> usize {
        let i = self.runs.partition_point(|&(t, _, _)| t <= pos);
        match i.checked_sub(1).map(|i| self.runs[i]) {
            Some((t, o, len)) => o + (pos - t).min(len),
            None => 0,
        }
    }

    fn range(&self, span: &Range<usize>) -> Range<usize> {
        self.to_excerpt(span.start)..self.to_excerpt(span.end)
    }
}

impl<'a> Files<'a> for Excerpt<'_> {
    type FileId = ();
    type Name = &'a str;
    type Source = &'a str;

    fn name(&'a self, (): ()) -> Result<&'a str, FilesError> {
        Ok(self.name)
    }

    fn source(&'a self, (): ()) -> Result<&'a str, FilesError> {
        Ok(&self.text)
    }

    fn line_index(&'a self, (): (), byte_index: usize) -> Result<usize, FilesError> {
        Ok(self
            .line_starts
            .partition_point(|&s| s <= byte_index)
            .saturating_sub(1))
    }

    fn line_range(&'a self, (): (), line_index: usize) -> Result<Range<usize>, FilesError> {
        let start = *self
            .line_starts
            .get(line_index)
            .ok_or(FilesError::LineTooLarge {
                given: line_index,
                max: self.line_starts.len().saturating_sub(1),
            })?;
        let end = self
            .line_starts
            .get(line_index + 1)
            .copied()
            .unwrap_or(self.text.len());
        Ok(start..end)
    }

    fn location(&'a self, (): (), byte_index: usize) -> Result<Location, FilesError> {
        // As `line_column` on the original, with its line starts found once.
        let text = self.original;
        let mut offset = self.to_original(byte_index).min(text.len());
        while !text.is_char_boundary(offset) {
            offset -= 1;
        }
        let line_number = self.original_starts.partition_point(|&s| s <= offset);
        let start = self
            .original_starts
            .get(line_number.saturating_sub(1))
            .copied()
            .unwrap_or(0);
        Ok(Location {
            line_number,
            column_number: text[start..offset].chars().count() + 1,
        })
    }
}

impl fmt::Display for Report {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.render())
    }
}

/// Characters that look like nothing or like a plain space in an editor
/// (no-break and other spaces, zero-width and bidirectional marks, line and
/// paragraph separators, the byte-order mark; not the zero-width joiners that
/// emoji and some scripts need). The writer escapes them so a
/// hand-edited file shows them and a diff reveals them.
pub fn is_invisible(c: char) -> bool {
    matches!(c,
        '\u{a0}' | '\u{ad}' | '\u{34f}' | '\u{61c}' | '\u{115f}' | '\u{1160}' | '\u{17b4}' | '\u{17b5}'
        | '\u{180e}' | '\u{2000}'..='\u{200b}' | '\u{200e}' | '\u{200f}' | '\u{2028}'..='\u{202f}' | '\u{205f}'..='\u{206f}'
        | '\u{3000}' | '\u{feff}' | '\u{fff9}'..='\u{fffb}')
}

/// Writes `s` as a JSON string literal.
pub fn write_string(out: &mut String, s: &str) {
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            '\u{8}' => out.push_str("\\b"),
            '\u{c}' => out.push_str("\\f"),
            // Every control character: C0, DEL and C1 (U+0080 to U+009F).
            c if c.is_control() || is_invisible(c) => out.push_str(&format!("\\u{:04x}", c as u32)),
            c => out.push(c),
        }
    }
    out.push('"');
}

/// A name as plain text for a message, with control and invisible characters
/// (which could move a terminal's cursor or hide text) shown as `\u{..}`
/// escapes; every other character, accented or not, is kept.
pub fn visible(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        if c.is_control() || is_invisible(c) {
            out.push_str(&c.escape_unicode().to_string());
        } else {
            out.push(c);
        }
    }
    out
}

/// A value as a short JSON string literal, for messages: escapes make control
/// characters and quotes visible, and long values are cut to 60 characters.
pub fn quote(s: &str) -> String {
    let mut out = String::new();
    write_string(&mut out, s);
    if out.chars().count() > 60 {
        let short: String = out.chars().take(57).collect();
        format!("{short}...\"")
    } else {
        out
    }
}

#[cfg(test)]
mod tests {
    use super::{line_column, Diagnostic, Report};

    #[test]
    fn lines_and_columns() {
        let t = "ab\ncdé\nf";
        assert_eq!(line_column(t, 0), (1, 1));
        assert_eq!(line_column(t, 4), (2, 2));
        assert_eq!(line_column(t, 8), (3, 1));
    }

    /// A file that ends with a lone carriage return (a cut-off Windows
    /// file): the caret at the end is still drawn (found by a fuzzing
    /// campaign; the renderer took the `\r` for the line's end).
    #[test]
    fn a_caret_after_a_final_carriage_return_is_drawn() {
        let text = "{\n  \"title\":\r";
        let mut report = Report::new("f", text);
        report.diagnostics.push(Diagnostic::error(
            "JSON syntax: expected a value",
            Some(text.len()..text.len()),
            "expected a value",
        ));
        let out = report.render();
        assert!(out.contains("--> f:2:12"), "{out}");
        assert!(out.contains('^'), "{out}");
    }

    /// `to_json` finds lines once for the whole report; it agrees with
    /// `line_column` at every offset, inside characters and past the end.
    #[test]
    fn json_locations_agree_with_line_column() {
        let text = "ab\ncdé\r\n\n😀f\n";
        let mut report = Report::new("f", text);
        for at in 0..text.len() + 3 {
            report
                .diagnostics
                .push(Diagnostic::error("x", Some(at..at), "here"));
        }
        for (at, j) in report.to_json().iter().enumerate() {
            let (l, c) = line_column(text, at);
            assert_eq!((j.line, j.column), (Some(l), Some(c)), "offset {at}");
        }
    }

    /// On long lines of multi-byte text, at every offset: no panic, the
    /// location printed is the one in the whole file, and the excerpt is short.
    #[test]
    fn long_lines_are_excerpted_at_every_offset() {
        let long = "é😀a\t".repeat(60);
        let text = format!("{{\n{long}\nshort\n{long}\r\n{long}");
        let mut offset = 0;
        while offset <= text.len() {
            let end = (offset + 7).min(text.len());
            let mut report = Report::new("f.json", text.as_str());
            report.diagnostics.push(
                Diagnostic::error("m", Some(offset..end), "l")
                    .with_related(2..4, "r")
                    .with_help("h"),
            );
            let out = report.render();
            let (line, column) = line_column(&text, offset);
            assert!(
                out.contains(&format!("--> f.json:{line}:{column}\n")),
                "{offset}: {out}"
            );
            assert!(out.lines().all(|l| l.chars().count() < 400), "{out}");
            offset += 5;
        }
    }

    #[test]
    fn control_characters_are_not_sent_to_the_terminal() {
        let text = "{\"a\": \"\u{1b}[31mred\u{7}\u{85}\u{202e}x\rz\"}\r\n";
        let mut report = Report::new("f.json", text);
        let at = text.find('z').unwrap();
        report
            .diagnostics
            .push(Diagnostic::error("m", Some(at..at + 1), "here").with_help("h"));
        let out = report.render();
        assert!(out.contains("--> f.json:1:21\n"), "{out}");
        assert!(
            out.contains("| {\"a\": \"?[31mred???\u{fffd}x?z\"}\n"),
            "{out}"
        );
        assert!(!out.chars().any(|c| c.is_control() && c != '\n'), "{out:?}");
    }
}
