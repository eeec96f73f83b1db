//! What `check` reports, in words: the summary and the warnings, with the
//! causality check's warnings located in the file.

use std::ops::Range;

use crate::analysis::summary::{causality, structure, summarise, CausalityProblem, Place, Summary};
use crate::catalog::{Catalog, EventId};
use crate::diagnostic::{quote, visible, Diagnostic, LineIndex, Report};
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
    check_report_located(catalog, report, span, &|_| None)
}

/// [`check_report`], with the summary's
/// [`Structure`](crate::analysis::summary::Structure) located too:
/// `entity_span` gives an entity's place in the file (as `span` an
/// event's), when the input keeps it.
pub fn check_report_located(
    catalog: &dyn Catalog,
    report: &Report,
    span: &dyn Fn(u32) -> Option<Range<usize>>,
    entity_span: &dyn Fn(u32) -> Option<Range<usize>>,
) -> (Summary, Report) {
    let problems = causality(catalog);
    let mut located = report.clone();
    located.diagnostics.extend(uncited(catalog, span));
    located.diagnostics.extend(
        EventId::all(catalog.event_count()).filter_map(|e| tightened_note(catalog, e, span(e.0))),
    );
    // As a load does, at most MAX_SHOWN problems in all: the rest counted.
    let room = MAX_SHOWN.saturating_sub(located.diagnostics.len());
    located.diagnostics.extend(
        problems
            .iter()
            .take(room)
            .map(|p| causality_warning(catalog, span(p.event.0), p)),
    );
    located.sort();
    if problems.len() > room {
        let more = problems.len() - room;
        located.diagnostics.push(
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
    let mut summary = summarise(catalog, &located.file);
    summary.warnings = located.to_json();
    let lines = LineIndex::new(&report.text);
    let place = |r: Option<Range<usize>>| match r {
        Some(r) if r.start <= report.text.len() => {
            let (line, column) = lines.line_column(r.start);
            Place {
                line: Some(line),
                column: Some(column),
            }
        }
        _ => Place::default(),
    };
    summary.structure = Some(structure(catalog, &problems, &|e| place(span(e.0)), &|u| {
        place(entity_span(u.0))
    }));
    (summary, located)
}

/// A warning for each event that cites nothing (no `sources`, no `quote`),
/// at most [`MAX_SHOWN`] and a count of the rest; none for a corpus.
fn uncited(catalog: &dyn Catalog, span: &dyn Fn(u32) -> Option<Range<usize>>) -> Vec<Diagnostic> {
    if !catalog.cites() {
        return Vec::new();
    }
    let events = crate::catalog::EventId::all(catalog.event_count()).filter(|&e| {
        let ev = catalog.event(e);
        ev.sources.is_empty() && ev.quote.is_none()
    });
    let mut out: Vec<Diagnostic> = Vec::new();
    let mut more = 0usize;
    for e in events {
        if out.len() == MAX_SHOWN {
            more += 1;
            continue;
        }
        out.push(
            Diagnostic::warning(
                format!("event {} is an uncited claim", quote(&catalog.event_id(e))),
                span(e.0),
                "no source cited",
            )
            .with_help("add \"sources\" with the sentence it rests on; readers see it marked \"no source cited\""),
        );
    }
    if more > 0 {
        out.push(Diagnostic::warning(
            format!("{more} more uncited claims not shown"),
            None,
            "",
        ));
    }
    out
}

/// The note `check` prints for an event whose interval `after` tightened.
fn tightened_note(
    catalog: &dyn Catalog,
    e: EventId,
    span: Option<Range<usize>>,
) -> Option<Diagnostic> {
    let ev = catalog.event(e);
    let iv = ev.ordered?;
    let written = ev.time.as_ref().map_or("undated", |t| t.text.as_str());
    let tz = catalog.timezone();
    let bound = |t: Option<i64>| match t {
        Some(t) => format_at_precision(t, Precision::Second, &tz),
        None => "..".to_string(),
    };
    Some(
        Diagnostic::warning(
            format!(
                "\"after\" tightens the time of event {} ({written}) to {} / {}",
                quote(&ev.id),
                bound(iv.lo),
                bound(iv.hi)
            ),
            span,
            "its time, by the events it is after (or that are after it)",
        )
        .with_help("a note, not a problem: reach, timeline and the pictures use the tightened time; fmt keeps the written one"),
    )
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
