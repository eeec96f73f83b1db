//! What `check` reports, in words: the summary and the warnings, with the
//! causality check's warnings located in the file.

use std::ops::Range;

use crate::analysis::summary::{causality, summarise, CausalityProblem, Summary};
use crate::catalog::Catalog;
use crate::diagnostic::{quote, visible, Diagnostic, Report};
use crate::model::time::format_at_precision;
use crate::model::Precision;

/// Most problems one `check` shows (as one load reports at most).
pub const MAX_SHOWN: usize = 1000;

/// The summary of an input and its report with the causality warnings
/// added (sorted by place); `span` gives an event's place in the file.
pub fn check_report(
    catalog: &dyn Catalog,
    report: &Report,
    span: &dyn Fn(u32) -> Option<Range<usize>>,
) -> (Summary, Report) {
    let mut report = report.clone();
    let problems = causality(catalog);
    // As a load does, at most MAX_SHOWN problems in all: the rest counted.
    let room = MAX_SHOWN.saturating_sub(report.diagnostics.len());
    report.diagnostics.extend(
        problems
            .iter()
            .take(room)
            .map(|p| causality_warning(catalog, span(p.event), p)),
    );
    report.sort();
    if problems.len() > room {
        let more = problems.len() - room;
        report.diagnostics.push(
            Diagnostic::warning(
                format!("{more} more causality warnings not shown"),
                None,
                "",
            )
            .with_help(format!(
                "fix the problems above and check again: check reports at most {MAX_SHOWN}"
            )),
        );
    }
    let mut summary = summarise(catalog, &report.file);
    summary.warnings = report.to_json();
    (summary, report)
}

/// The warning `check` prints for a carrying event that cannot be causally
/// after its sender's receipt.
fn causality_warning(
    catalog: &dyn Catalog,
    span: Option<Range<usize>>,
    p: &CausalityProblem,
) -> Diagnostic {
    let names: Vec<String> = p
        .senders
        .iter()
        .map(|s| visible(&super::name_of(catalog, s)))
        .collect();
    let ev = catalog.event(p.event);
    let when = ev
        .time
        .as_ref()
        .map(|t| t.text.as_str())
        .unwrap_or("undated");
    let (msg, help) = match p.first {
        None => (
            format!(
                "event {} carries {}, but {} never receives it through a carrying event",
                quote(&p.event_id),
                quote(&p.message),
                names.join(" or ")
            ),
            "add the event through which the sender got the message, or check \"carries\"",
        ),
        Some(first) => (
            format!(
                "event {} ({when}) carries {} before {} could have received it ({} at the earliest)",
                quote(&p.event_id),
                quote(&p.message),
                names.join(" or "),
                format_at_precision(first, Precision::Day, &catalog.timezone())
            ),
            "check the event's date, the message's time, or \"carries\"",
        ),
    };
    Diagnostic::warning(msg, span, "cannot be causally after its sender's receipt").with_help(help)
}
