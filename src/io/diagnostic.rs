//! Located errors and warnings, printed in the style of rustc's diagnostics.

use std::fmt;
use std::ops::Range;

use codespan_reporting::diagnostic::{Diagnostic as CsDiagnostic, Label};
use codespan_reporting::files::SimpleFile;
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
    pub fn render(&self) -> String {
        let file = SimpleFile::new(self.file.as_str(), self.text.as_str());
        let config = Config {
            chars: Chars::ascii(),
            ..Config::default()
        };
        let mut out = String::new();
        for d in &self.diagnostics {
            let mut cs = match d.severity {
                Severity::Error => CsDiagnostic::error(),
                Severity::Warning => CsDiagnostic::warning(),
            }
            .with_message(&d.message);
            let mut labels = Vec::new();
            if let Some(span) = &d.span {
                labels.push(Label::primary((), clamp(span, &self.text)).with_message(&d.label));
            }
            for (span, label) in &d.related {
                labels.push(Label::secondary((), clamp(span, &self.text)).with_message(label));
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
            match term::emit_into_string(&config, &file, &cs) {
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
        let (line, column) = match &d.span {
            Some(s) => {
                let (l, c) = line_column(&self.text, s.start);
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
    pub fn to_json(&self) -> Vec<DiagnosticJson> {
        self.diagnostics.iter().map(|d| self.json_of(d)).collect()
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

impl fmt::Display for Report {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.render())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lines_and_columns() {
        let t = "ab\ncdé\nf";
        assert_eq!(line_column(t, 0), (1, 1));
        assert_eq!(line_column(t, 4), (2, 2));
        assert_eq!(line_column(t, 8), (3, 1));
    }
}
