//! `reach`: who could have seen it.

use std::path::Path;

use grapevine::Error;

use super::common::{print_json, print_text, read_input, Global, Out};
use grapevine::render::{display_earliest, name_of};
use grapevine::{Mode, Timing};

use super::args::{ModeArg, QueryOptions, SourceArgs};
use super::common::{build_query, table};

/// Runs `reach`.
pub fn run(
    out: &mut Out,
    file: &Path,
    source: &SourceArgs,
    mode: Option<ModeArg>,
    options: &QueryOptions,
    global: Global,
) -> Result<u8, Error> {
    let input = read_input(file, global)?;
    let catalog = input.catalog();
    let query = build_query(source, mode, options);
    let (index, rq) = query.compile(catalog)?;
    let answer = grapevine::reach(&index, &rq);
    if options.json {
        print_json(out, &answer)?;
        return Ok(0);
    }
    let tz = catalog.timezone();
    let note = if catalog.timezone_name().is_none() && input.is_corpus() {
        "; times in UTC"
    } else {
        ""
    };
    let s = reach_report(
        &answer,
        &index,
        source.since.as_deref(),
        note,
        &|r| display_earliest(catalog, &index, &query, &answer, r),
        &|d| {
            let day = grapevine::model::Precision::Day;
            grapevine::model::time::format_at_precision(d, day, &tz)
        },
        &|id| name_of(catalog, id),
    );
    print_text(out, &s)?;
    Ok(0)
}

/// The reach answer as a table for people: a heading, one row per reached
/// entity (the source first), then who was not reached (the first 20).
fn reach_report(
    answer: &grapevine::ReachAnswer,
    index: &grapevine::Index,
    since: Option<&str>,
    heading_note: &str,
    earliest: &dyn Fn(&grapevine::Reached) -> String,
    definite: &dyn Fn(i64) -> String,
    name_of: &dyn Fn(&str) -> String,
) -> String {
    let what = match &answer.message {
        Some(m) => format!("message \"{m}\" from {}", name_of(&answer.source)),
        None => format!("anything {} knew", name_of(&answer.source)),
    };
    let mode = match answer.mode {
        Mode::Message => "message (documented chain)",
        Mode::Contacts => "contacts (anyone who could have been told)",
    };
    let strict = if answer.strict { ", strict" } else { "" };
    let since = since.map(|t| format!(", since {t}")).unwrap_or_default();
    let mut s = format!(
        "Who could have seen {what}\n  mode {mode}, threshold {}{strict}{since}{heading_note}\n\n",
        answer.threshold
    );
    // The source first, then the answer's order (earliest, then id).
    let source_row = answer.reached.iter().filter(|r| r.entity == answer.source);
    let rows: Vec<Vec<String>> = source_row
        .chain(answer.reached.iter().filter(|r| r.entity != answer.source))
        .map(|r| {
            let timing = match (r.timing, r.definite_by) {
                (Timing::Definite, Some(d)) => format!("definite by {}", definite(d)),
                (Timing::Definite, None) => "definite".into(),
                (Timing::Possible, _) => "possible".into(),
            };
            vec![
                r.name.clone(),
                earliest(r),
                timing,
                r.evidence.to_string(),
                r.chain(index).join(" → "),
            ]
        })
        .collect();
    s.push_str(&table(
        &["ENTITY", "EARLIEST", "TIMING", "EVIDENCE", "CHAIN"],
        &rows,
    ));
    const SHOWN: usize = 20;
    match answer.not_reached.len() {
        0 => s.push_str("\nEveryone is reached.\n"),
        n => {
            let names: Vec<String> = answer
                .not_reached
                .iter()
                .take(SHOWN)
                .map(|id| name_of(id))
                .collect();
            let more = if n > SHOWN {
                format!(" and {} more (--json lists them all)", n - SHOWN)
            } else {
                String::new()
            };
            s.push_str(&format!(
                "\nNot reached ({n}): {}{more}\n",
                names.join(", ")
            ));
        }
    }
    s
}
