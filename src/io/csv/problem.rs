//! Problems as they are found and shown: a row's problem before its line is
//! known, the file's located problems and their report, and how file text
//! and numbers are written in messages. Below every other module of the
//! reader.

use std::ops::Range;

use crate::diagnostic::{Diagnostic, Report};

/// A located problem in a row, before line numbers are known.
#[derive(Debug, Clone)]
pub(super) struct RowProblem {
    /// Line, relative to the part's first line (0-based).
    pub(super) line: u32,
    /// The row's text (shortened).
    pub(super) text: String,
    pub(super) span: Range<usize>,
    pub(super) message: String,
    pub(super) label: String,
    pub(super) help: String,
}

/// A problem with its absolute line.
#[derive(Debug)]
pub(super) struct Problem {
    /// The line, 1-based (0: none).
    pub(super) line: u32,
    /// The row's text.
    pub(super) text: String,
    /// Where in the row.
    pub(super) span: Range<usize>,
    pub(super) message: String,
    pub(super) label: String,
    pub(super) help: String,
    pub(super) is_error: bool,
}

/// Problems with their absolute line numbers, to be shown from a sparse text.
#[derive(Debug, Default)]
pub(super) struct Problems {
    pub(super) list: Vec<Problem>,
}

impl Problems {
    pub(super) fn push_diag(&mut self, line: u32, text: &str, d: Diagnostic) {
        self.list.push(Problem {
            line,
            text: text.to_string(),
            span: d.span.unwrap_or(0..0),
            message: d.message,
            label: d.label,
            help: d.help.unwrap_or_default(),
            is_error: d.severity == crate::diagnostic::Severity::Error,
        });
    }

    /// Errors so far.
    pub(super) fn errors(&self) -> usize {
        self.list.iter().filter(|p| p.is_error).count()
    }

    /// A report whose text holds each problem's line at its own line number.
    pub(super) fn report(mut self, file: &str) -> Report {
        self.list.sort_by_key(|p| p.line);
        let mut text = String::new();
        let mut at_line = 1u32;
        let mut diags = Vec::new();
        let mut last_line = 0u32;
        let mut last_start = 0usize;
        for Problem {
            line,
            text: row,
            span,
            message,
            label,
            help,
            is_error,
        } in self.list
        {
            let start = if line == last_line && line != 0 {
                last_start
            } else {
                while at_line < line {
                    text.push('\n');
                    at_line += 1;
                }
                let s = text.len();
                text.push_str(&row);
                text.push('\n');
                at_line += 1;
                last_line = line;
                last_start = s;
                s
            };
            // A span past the shown text (a long row is cut to 2,000 bytes)
            // points at its end, never into another line.
            let a = span.start.min(row.len());
            let b = span.end.max(span.start).min(row.len() + 1).max(a);
            let span = (start + a)..(start + b);
            let d = if is_error {
                Diagnostic::error(message, Some(span), label)
            } else {
                Diagnostic::warning(message, Some(span), label)
            };
            diags.push(if help.is_empty() {
                d
            } else {
                d.with_help(help)
            });
        }
        let mut report = Report::new(file, text);
        report.diagnostics = diags;
        report
    }
}

/// A row's text for a report: at most 2,000 bytes, line breaks and other
/// control characters as spaces (the report escapes the rest).
pub(super) fn shorten(row: &[u8]) -> String {
    let s = String::from_utf8_lossy(&row[..row.len().min(2000)]);
    s.replace(|c: char| c.is_control() && c != '\t', " ")
}

/// A value of the file for a message: in backticks, control and invisible
/// characters escaped, cut to 40 characters.
pub(super) fn shown(v: &[u8]) -> String {
    let s = String::from_utf8_lossy(&v[..v.len().min(400)]);
    let short: String = if s.chars().count() > 40 {
        s.chars().take(37).chain("...".chars()).collect()
    } else {
        s.into_owned()
    };
    format!("`{}`", crate::diagnostic::visible(&short))
}

/// `n` with thousands separated by commas: `1,048,576`.
pub(crate) fn thousands(n: u64) -> String {
    let s = n.to_string();
    let mut out = String::with_capacity(s.len() + s.len() / 3);
    for (i, c) in s.chars().enumerate() {
        if i > 0 && (s.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(c);
    }
    out
}
