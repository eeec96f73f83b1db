//! `reach --to ENTITY` and `reach --had ENTITY TIME ...`: who could have told
//! them, the backward question (who could have been the source of a leak).

use clap::Args;

use crate::analysis::backward::{backward_rows, Backward, BackwardAnswer, Told};
use crate::render::name_of;
use crate::render::style::{point_label, DateStyle};
use crate::render::words::{mode_words, threshold_words, time_label, until_label, zone_words};
use crate::{Catalog, Error, Index, Mode, Precision, QueryError, TimeExpr};

use super::args::{InputArgs, QueryOptions, SourceArgs};
use super::errors::CliError;
use super::input::{names_first, read_query_input};
use super::output::{print_json, print_text, Out};
use super::table::table_with_notes;

/// The targets of the backward question.
#[derive(Debug, Args)]
pub struct TargetArgs {
    /// Backward: who could have told ENTITY (id, name or alias), by --until
    /// when given: who could have been the source of what it had.
    #[arg(long, value_name = "ENTITY", group = "source")]
    pub to: Option<String>,
    /// Backward, each target by its own time: ENTITY had it by TIME (its last
    /// second). Repeat for several targets: who could have told all of them.
    #[arg(
        long,
        num_args = 2,
        value_names = ["ENTITY", "TIME"],
        group = "source",
        conflicts_with = "to"
    )]
    pub had: Vec<String>,
}

impl TargetArgs {
    /// True when the backward question is asked.
    pub fn asked(&self) -> bool {
        self.to.is_some() || !self.had.is_empty()
    }
}

/// The flags of `reach` that the backward question reads.
pub struct Flags<'a> {
    /// `--from`, `--message`, `--since`.
    pub source: &'a SourceArgs,
    /// `--to`, `--had`.
    pub targets: &'a TargetArgs,
    /// `--mode`.
    pub mode: Option<Mode>,
    /// `--threshold`, `--strict`, `--until`, `--json`.
    pub options: &'a QueryOptions,
    /// `--no-paths`.
    pub no_paths: bool,
}

/// The question the flags ask, or what is wrong with them.
fn question(flags: &Flags) -> Result<Backward, CliError> {
    let Flags {
        source,
        targets,
        mode,
        options,
        no_paths,
    } = *flags;
    if let Some(from) = &source.from {
        return Err(CliError::Usage(format!(
            "--from {from:?} asks whom it could have told, --to and --had who could have told them: give one of the two (`grapevine path --from A --to B` shows the chain between two)"
        )));
    }
    if source.since.is_some() {
        return Err(CliError::Usage(
            "--since does not apply to --to or --had: the question goes back from the targets' times"
                .into(),
        ));
    }
    let list: Vec<(String, Option<String>)> = match &targets.to {
        Some(to) => vec![(to.clone(), options.until.clone())],
        None => {
            if options.until.is_some() {
                return Err(CliError::Usage(
                    "--until does not apply to --had: each --had gives its own time".into(),
                ));
            }
            // Each time checked (and Unix seconds read) before any input.
            targets
                .had
                .chunks(2)
                .map(|p| match p.get(1) {
                    Some(t) => super::times::until_arg(t)
                        .map(|t| (p[0].clone(), Some(t)))
                        .map_err(|e| CliError::Usage(format!("--had {:?} {t:?}: {e}", p[0]))),
                    None => Ok((p[0].clone(), None)),
                })
                .collect::<Result<_, _>>()?
        }
    };
    let mode = match (mode, &source.message) {
        (Some(Mode::Message), _) | (None, Some(_)) => Mode::Message,
        _ => Mode::Contacts,
    };
    Ok(Backward {
        targets: list,
        message: source.message.clone(),
        mode,
        threshold: options.threshold,
        strict: options.strict,
        // The table always shows the chains.
        paths: !no_paths || !options.json,
    })
}

/// Runs `reach --to` or `reach --had`.
pub fn run(out: &mut Out, input: &InputArgs, flags: &Flags) -> Result<u8, CliError> {
    let q = question(flags)?;
    names_first(input, q.targets.iter().map(|(name, _)| name.as_str()))?;
    let read = read_query_input(input, flags.options)?;
    let catalog = read.catalog();
    let (index, bq) = q.compile(catalog).map_err(|e| had_words(e, flags))?;
    // Streamed: each row's strings are made as it is written.
    let rows = backward_rows(&index, &bq);
    if flags.options.json {
        print_json(out, &rows)?;
        return Ok(0);
    }
    let answer = rows.answer();
    print_text(out, &table(catalog, &index, &q, &answer))?;
    Ok(0)
}

/// A target's bad time said with the flag it came with: the library's
/// error names `--until`, which `--had` replaces.
fn had_words(e: Error, flags: &Flags) -> CliError {
    if flags.targets.to.is_some() {
        return e.into();
    }
    match &e {
        Error::Query(QueryError::BadTime {
            text,
            problem,
            help,
            ..
        }) => CliError::Usage(format!("--had ENTITY {text:?}: {problem}; {help}")),
        Error::Query(QueryError::OpenEnd { text }) => CliError::Usage(format!(
            "--had ENTITY {text:?}: the time has no end: give a time with an end, such as 2017-07-11 (the whole day)"
        )),
        _ => e.into(),
    }
}

/// The answer as a table for people.
fn table(catalog: &dyn Catalog, index: &Index, q: &Backward, answer: &BackwardAnswer) -> String {
    let tz = catalog.timezone();
    let name = |k: usize| name_of(catalog, &answer.targets[k].entity);
    let had: Vec<String> = (0..answer.targets.len())
        .map(|k| match &q.targets[k].1 {
            Some(text) => format!("{} had by {}", name(k), until_words(catalog, text)),
            None => format!("{} had (at any time)", name(k)),
        })
        .collect();
    let mut s = format!(
        "Who could have been the source of what {}\n",
        join_and(&had)
    );
    let mut first = format!(
        "{}; {}",
        mode_words(answer.mode, answer.message.as_deref()),
        threshold_words(answer.threshold)
    );
    if answer.strict {
        first.push_str("; strict: each hop at least a second after the one before");
    }
    s.push_str(&format!(
        "  {first}\n  assuming the listed contacts happened; {}\n\n",
        zone_words(catalog)
    ));
    let many = answer.targets.len() > 1;
    let chain_heads: Vec<String> = (0..answer.targets.len())
        .map(|k| {
            if many {
                format!("CHAIN TO {}", name(k).to_uppercase())
            } else {
                "CHAIN".to_string()
            }
        })
        .collect();
    let mut header = vec!["ENTITY", "COULD HAVE TOLD BY", "EVIDENCE"];
    header.extend(chain_heads.iter().map(String::as_str));
    let rows: Vec<(Vec<String>, Vec<String>)> = answer
        .could_have_told
        .iter()
        .map(|r| {
            let mut cells = vec![
                r.name.clone(),
                latest_words(catalog, index, q, answer, r, &tz),
                r.evidence.to_string(),
            ];
            for k in 0..answer.targets.len() {
                cells.push(if r.entity == answer.targets[k].entity {
                    format!("{} (the target)", r.name)
                } else {
                    r.chain_names(index, k).join(" → ")
                });
            }
            (cells, Vec::new())
        })
        .collect();
    if rows.is_empty() {
        s.push_str("Nobody could have told them all in time.\n");
    } else {
        s.push_str(&table_with_notes(&header, &rows));
    }
    let names: Vec<String> = answer
        .not_reached
        .iter()
        .map(|id| name_of(catalog, id))
        .collect();
    s.push('\n');
    s.push_str(&could_not_line(&names, many));
    s
}

/// `A`, `A and B`, `A, B and C`.
fn join_and(parts: &[String]) -> String {
    match parts {
        [] => String::new(),
        [one] => one.clone(),
        [rest @ .., last] => format!("{} and {last}", rest.join(", ")),
    }
}

/// A target's time as the date it ends: `2017-07-11` is `11 Jul 2017`.
fn until_words(catalog: &dyn Catalog, text: &str) -> String {
    until_label(catalog, text)
}

/// By when a row's entity must have had it, at the precision of the time
/// that bounds it: a target's time, or the date of the first contact of a
/// chain; else to the second. `any time` without a bound.
fn latest_words(
    catalog: &dyn Catalog,
    index: &Index,
    q: &Backward,
    answer: &BackwardAnswer,
    r: &Told,
    tz: &jiff::tz::TimeZone,
) -> String {
    let Some(t) = r.latest else {
        return "any time".to_string();
    };
    for (k, target) in answer.targets.iter().enumerate() {
        if target.until == Some(t) {
            if let Some(end) = q.targets[k]
                .1
                .as_deref()
                .and_then(|text| TimeExpr::parse(text, tz).ok())
                .and_then(|e| e.end)
            {
                return point_label(&end, tz, DateStyle::Short);
            }
        }
        let Some(&c) = r.chains[k].first() else {
            continue;
        };
        let end = catalog
            .event(index.event(c))
            .time
            .clone()
            .and_then(|e| e.end);
        if let Some(end) = end.filter(|p| p.hi == t) {
            return point_label(&end, tz, DateStyle::Short);
        }
    }
    time_label(catalog, t, Precision::Second)
}

/// Who could not have told them, for the end of the table: the first 20
/// names, and how many more.
fn could_not_line(names: &[String], many: bool) -> String {
    const SHOWN: usize = 20;
    let them = if many { "all of them" } else { "it" };
    match names.len() {
        0 => format!("Anyone could have told {them} in time.\n"),
        n => {
            let shown: Vec<&str> = names.iter().take(SHOWN).map(String::as_str).collect();
            let more = if n > SHOWN {
                format!(" and {} more (--json lists them all)", n - SHOWN)
            } else {
                String::new()
            };
            format!(
                "Could not have told {them} in time ({n}): {}{more}\n",
                shown.join(", ")
            )
        }
    }
}
