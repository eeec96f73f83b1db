//! `critical`: what each reached entity hangs on (the contacts whose removal
//! cuts it off), and, with `--drop`, who is still reached when some
//! contacts are taken as false.

use crate::analysis::critical::{
    critical_with_progress, without, CriticalAnswer, CriticalQuery, EventInfo,
};
use crate::catalog::{Catalog, EntityId};
use crate::model::TimeExpr;
use crate::render::name_of;
use crate::render::words::{
    certainty_words, event_date, mode_words, threshold_words, until_label, zone_words, AnswerWords,
};
use crate::{Error, Mode, Query};

use super::args::CriticalArgs;
use super::errors::CliError;
use super::input::{names_first, read_query_input};
use super::output::{print_json, print_text, Out};
use super::query::build_query;
use super::table::{not_reached_line, reach_table, table_with_notes};

/// Runs `critical`: exit code 0 with an answer, 1 when `--to` is not
/// reached (or is the source).
pub fn run(out: &mut Out, args: &CriticalArgs) -> Result<u8, CliError> {
    let to = args.to.as_deref();
    names_first(
        &args.input,
        args.source.from.as_deref().into_iter().chain(to),
    )?;
    let read = read_query_input(&args.input, &args.options)?;
    let catalog = read.catalog();
    let query = build_query(&args.source, args.mode, &args.options, true);
    let json = args.options.json;
    if !args.drop.is_empty() {
        return run_drop(out, catalog, &query, &args.drop, json);
    }
    let target = args
        .to
        .as_deref()
        .map(|t| catalog.resolve_entity(t).map_err(Error::Query))
        .transpose()?;
    let cq = CriticalQuery {
        targets: target.map(|t| vec![t]),
        ..CriticalQuery::default()
    };
    let template = "examining entities {wide_bar} {pos}/{len} ({eta})";
    let answer = with_progress(&args.input, template, |progress| {
        critical_with_progress(catalog, &query, &cq, progress)
    })?;
    if let (Some(t), true) = (target, answer.entities.is_empty()) {
        let name = catalog.entity_name(t);
        let msg = if catalog.entity_id(t) == answer.asked.source {
            format!("{name} is the source: nothing cuts it off.\n")
        } else {
            format!("{name} is not reached; `grapevine why-not` says why.\n")
        };
        if json {
            print_json(out, &answer)?;
        } else {
            print_text(out, &msg)?;
        }
        return Ok(1);
    }
    if json {
        print_json(out, &answer)?;
        return Ok(0);
    }
    let mut s = heading(catalog, &query, &answer, target);
    s.push_str(&cuts_table(catalog, &answer));
    if !answer.events.is_empty() {
        s.push_str("\nThe contacts named above:\n");
        s.push_str(&events_text(catalog, &answer.events));
    }
    print_text(out, &s)?;
    Ok(0)
}

/// What the answer is of, and on what terms.
fn heading(
    catalog: &dyn Catalog,
    query: &Query,
    answer: &CriticalAnswer,
    target: Option<EntityId>,
) -> String {
    let what = what(
        catalog,
        query,
        &answer.asked.source,
        answer.asked.message.as_deref(),
    );
    let mut s = match target {
        Some(t) => format!(
            "What {} hangs on for {}: the contacts whose removal cuts it off\n",
            what,
            catalog.entity_name(t)
        ),
        None => format!("What {what} hangs on: the contacts whose removal cuts each entity off\n"),
    };
    s.push_str(&format!(
        "  {}\n  {}\n\n",
        conditions(
            catalog,
            query,
            answer.asked.mode,
            answer.asked.message.as_deref(),
            answer.asked.threshold,
            answer.asked.strict
        ),
        format_args!(
            "assuming the listed contacts happened; {}",
            zone_words(catalog)
        )
    ));
    s
}

/// Each reached entity with the smallest set of contacts whose removal cuts
/// it off, and notes on the other single contacts that do.
fn cuts_table(catalog: &dyn Catalog, answer: &CriticalAnswer) -> String {
    let info = |id: &str| answer.events.iter().find(|e| e.event == id);
    let label = |id: &str| match info(id) {
        Some(e) => format!(
            "{} ({}, {})",
            parties(catalog, e),
            e.event,
            certainty_words(e.certainty)
        ),
        None => id.to_string(),
    };
    let rows: Vec<(Vec<String>, Vec<String>)> = answer
        .entities
        .iter()
        .map(|c| {
            let cut: Vec<String> = c.cut.iter().map(|e| label(e)).collect();
            let size = if c.minimum {
                c.cut.len().to_string()
            } else {
                format!("{}-{}", c.lower_bound, c.cut.len())
            };
            let mut notes = Vec::new();
            if c.single_points.len() > 1 {
                let others: Vec<String> = c
                    .single_points
                    .iter()
                    .filter(|e| !c.cut.contains(e))
                    .map(|e| label(e))
                    .collect();
                notes.push(format!(
                    "any one of these alone cuts it off too: {}",
                    others.join("; ")
                ));
            } else if c.single_points.is_empty() {
                notes.push("no single contact cuts it off".to_string());
            }
            if !c.minimum {
                notes.push(format!(
                    "the search stopped before proving this the smallest set: at least {} contacts",
                    c.lower_bound
                ));
            }
            (vec![c.name.clone(), size, cut.join("; ")], notes)
        })
        .collect();
    table_with_notes(
        &[
            "ENTITY",
            "CUT",
            "SMALLEST SET OF CONTACTS WHOSE REMOVAL CUTS IT OFF",
        ],
        &rows,
    )
}

/// `--drop`: reach without the given events.
fn run_drop(
    out: &mut Out,
    catalog: &dyn Catalog,
    query: &Query,
    drop: &[String],
    json: bool,
) -> Result<u8, CliError> {
    let mut events = Vec::new();
    for id in drop {
        let e = catalog.event_number(id).ok_or_else(|| {
            CliError::Usage(format!(
                "no event is called \"{id}\": --drop takes event ids, as `grapevine timeline --json` lists them"
            ))
        })?;
        events.push(e);
    }
    let answer = without(catalog, query, &events)?;
    if json {
        print_json(out, &answer)?;
        return Ok(0);
    }
    let w = crate::analysis::critical::Without::new(catalog, &events);
    let (index, _) = query.compile(&w)?;
    let words = AnswerWords::new(&w, &index, query, &answer.answer);
    let [conditions, assumption] = words.conditions();
    let mut s = format!(
        "Who could still have seen {} without {} contact{}\n  {conditions}\n  {assumption}\n\n",
        words.what(),
        answer.dropped.len(),
        if answer.dropped.len() == 1 { "" } else { "s" }
    );
    s.push_str("Taken as false:\n");
    s.push_str(&events_text(catalog, &answer.dropped));
    s.push('\n');
    s.push_str(&reach_table(&words, &answer.answer));
    let lost: Vec<String> = answer.lost.iter().map(|id| name_of(catalog, id)).collect();
    s.push('\n');
    if lost.is_empty() {
        s.push_str("Everyone reached before is still reached.\n");
    } else {
        s.push_str(&format!(
            "No longer reached ({}): {}\n",
            lost.len(),
            lost.join(", ")
        ));
    }
    let names: Vec<String> = answer
        .answer
        .not_reached
        .iter()
        .map(|id| name_of(catalog, id))
        .collect();
    s.push_str(&not_reached_line(&names));
    print_text(out, &s)?;
    Ok(0)
}

/// Who an event connects, by name: `A → B, C` or `A — B — C`.
fn parties(catalog: &dyn Catalog, e: &EventInfo) -> String {
    match &e.from {
        Some(from) => {
            let to: Vec<String> = e.to.iter().map(|t| name_of(catalog, t)).collect();
            format!("{} → {}", name_of(catalog, from), to.join(", "))
        }
        None => e
            .participants
            .iter()
            .map(|p| name_of(catalog, p))
            .collect::<Vec<_>>()
            .join(" — "),
    }
}

/// Each event on a line (date, parties, kind, certainty, id), its quote and
/// source below.
fn events_text(catalog: &dyn Catalog, events: &[EventInfo]) -> String {
    let tz = catalog.timezone();
    let mut s = String::new();
    for e in events {
        let time = e.time.as_deref().and_then(|t| TimeExpr::parse(t, &tz).ok());
        // A holding claims that its entity had it, not that anyone handed
        // it over.
        let held = catalog
            .event_number(&e.event)
            .and_then(|n| crate::render::words::holding_words(catalog, n));
        match held {
            Some(held) => s.push_str(&format!(
                "  {}  {} {held}  ({}, {})\n",
                event_date(catalog, time.as_ref()),
                e.to.iter()
                    .map(|t| name_of(catalog, t))
                    .collect::<Vec<_>>()
                    .join(", "),
                certainty_words(e.certainty),
                e.event
            )),
            None => s.push_str(&format!(
                "  {}  {}  ({}, {}, {})\n",
                event_date(catalog, time.as_ref()),
                parties(catalog, e),
                e.kind,
                certainty_words(e.certainty),
                e.event
            )),
        }
        if let Some(q) = &e.quote {
            s.push_str(&format!("    “{q}”\n"));
        }
        if let Some(src) = &e.source {
            s.push_str(&format!(
                "    — {}\n",
                e.source_title.as_deref().unwrap_or(src)
            ));
        }
    }
    s
}

/// The source and where the information starts: `the reach of message
/// "pac-tip" from WikiLeaks`, `what WikiLeaks' contacts could have told`.
fn what(catalog: &dyn Catalog, query: &Query, source: &str, message: Option<&str>) -> String {
    let name = name_of(catalog, source);
    match message {
        Some(m) => format!("the reach of message \"{m}\" from {name}"),
        None => {
            let tz = catalog.timezone();
            match query.since.as_deref() {
                Some(since) => {
                    let when = TimeExpr::parse(since, &tz)
                        .map(|t| event_date(catalog, Some(&t)))
                        .unwrap_or_else(|_| since.to_string());
                    format!("the reach of anything {name} knew from {when}")
                }
                None => format!("the reach of anything {name} knew"),
            }
        }
    }
}

/// Mode, threshold, strictness and `--until`, as `reach` says them.
fn conditions(
    catalog: &dyn Catalog,
    query: &Query,
    mode: Mode,
    message: Option<&str>,
    threshold: crate::Certainty,
    strict: bool,
) -> String {
    let mut s = format!(
        "{}; {}",
        mode_words(mode, message),
        threshold_words(threshold)
    );
    if strict {
        s.push_str("; strict: each hop at least a second after its sender had it");
    }
    if let Some(u) = &query.until {
        s.push_str(&format!("; by {}", until_label(catalog, u)));
    }
    s
}

/// Runs `f` with a progress bar of the entities examined on stderr, shown
/// when the work takes more than a second (never when stderr is not a
/// terminal, or with `--quiet`).
pub(super) fn with_progress<T>(
    input: &super::args::InputArgs,
    template: &str,
    f: impl FnOnce(&dyn Fn(usize, usize)) -> T,
) -> T {
    use std::io::IsTerminal;
    let show = !input.quiet && std::io::stderr().is_terminal();
    let start = std::time::Instant::now();
    let bar: std::sync::OnceLock<indicatif::ProgressBar> = std::sync::OnceLock::new();
    let progress = |done: usize, total: usize| {
        if !show || start.elapsed() < std::time::Duration::from_secs(1) {
            return;
        }
        let bar = bar.get_or_init(|| {
            let bar = indicatif::ProgressBar::new(total as u64);
            let style = indicatif::ProgressStyle::with_template(template)
                .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar());
            bar.set_style(style);
            bar
        });
        bar.set_position(done as u64);
    };
    let out = f(&progress);
    if let Some(bar) = bar.get() {
        bar.finish_and_clear();
    }
    out
}
