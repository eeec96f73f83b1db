//! `rank`: who matters in the network, by one measure.

use crate::analysis::rank::{
    past_estimate_work, rank_broker, rank_broker_from, rank_estimated, rank_reach, rank_static,
    rank_told, Measure, RankAnswer, RankOptions, Value,
};
use crate::analysis::spread::PRECISION;
use crate::catalog::Catalog;
use crate::model::TimeExpr;
use crate::render::words::{threshold_level_words, threshold_words, until_label};
use crate::{Mode, Origin, Query};

use super::args::RankArgs;
use super::errors::CliError;
use super::input::{names_first, read_input};
use super::output::{print_json, print_text, Out};
use super::table::table_with_notes;

/// A time expression's first (`end`: last) second, or an error naming the
/// flag.
pub fn second(
    catalog: &dyn Catalog,
    flag: &str,
    text: &str,
    end: bool,
) -> Result<Option<i64>, CliError> {
    let t = TimeExpr::parse(text, &catalog.timezone())
        .map_err(|e| CliError::Usage(format!("{flag} {text:?}: {}; {}", e.message, e.help)))?;
    let iv = t.interval();
    if end && iv.hi.is_none() {
        return Err(CliError::Usage(format!(
            "{flag} {text:?} has no end: give a time with an end, such as 2016-11-08 (the whole day)"
        )));
    }
    Ok(if end { iv.hi } else { iv.lo })
}

/// Runs `rank`.
pub fn run(out: &mut Out, args: &RankArgs) -> Result<u8, CliError> {
    names_first(&args.input, args.from.as_deref())?;
    let read = read_input(&args.input)?;
    let catalog = read.catalog();
    let measure = args.by;
    let temporal_only = |flag: &str, given: bool| {
        if given && measure.is_static() {
            Err(CliError::Usage(format!(
                "{flag} goes with the temporal measures (reach, told, broker), not with {}",
                measure.as_str()
            )))
        } else {
            Ok(())
        }
    };
    temporal_only("--since", args.since.is_some())?;
    temporal_only("--until", args.until.is_some())?;
    temporal_only("--strict", args.strict)?;
    if args.relations && !measure.is_static() {
        return Err(CliError::Usage(
            "--relations goes with the static measures (degree, betweenness, closeness, pagerank): nothing travels along relations".into(),
        ));
    }
    if (args.exact || args.estimate) && !matches!(measure, Measure::Reach | Measure::Told) {
        return Err(CliError::Usage(
            "--exact and --estimate go with --by reach and --by told".into(),
        ));
    }
    if (args.from.is_some() || args.message.is_some()) && measure != Measure::Broker {
        return Err(CliError::Usage(
            "--from and --message go with --by broker (the chains from one source)".into(),
        ));
    }
    let options = RankOptions {
        threshold: args.threshold,
        relations: args.relations,
        through_groups: args.through_groups,
        since: args
            .since
            .as_deref()
            .map(|s| second(catalog, "--since", s, false))
            .transpose()?
            .flatten(),
        until: args
            .until
            .as_deref()
            .map(|s| second(catalog, "--until", s, true))
            .transpose()?
            .flatten(),
        strict: args.strict,
    };
    // The measures that cost entities × contacts: say so before a long run.
    let work = catalog.entity_count() as f64 * catalog.channels().len() as f64;
    // (Betweenness and closeness refuse past `MAX_CENTRALITY_WORK`.)
    let slow = match measure {
        Measure::Broker => args.from.is_none() && args.message.is_none(),
        _ => false,
    };
    if slow && work > 1e10 {
        super::output::eprint_text(&format!(
            "note: {} takes time in proportion to entities × contacts ({} × {}): expect tens of minutes (degree, pagerank and reach take seconds; docs/analyses.md has figures)\n",
            measure.as_str(),
            catalog.entity_count(),
            catalog.channels().len()
        ));
    }
    let answer = match measure {
        Measure::Reach | Measure::Told => counted(catalog, measure, &options, args)?,
        Measure::Broker if args.from.is_some() || args.message.is_some() => {
            let origin = match (args.message.as_deref(), args.from.as_deref()) {
                (Some(m), _) => Origin::Message(m.to_string()),
                (None, from) => Origin::Entity(from.unwrap_or_default().to_string()),
            };
            let mode = match (args.mode, args.message.as_deref()) {
                (Some(Mode::Contacts), _) | (None, None) => Mode::Contacts,
                _ => Mode::Message,
            };
            let query = Query {
                origin,
                from: None,
                since: args.since.clone(),
                mode,
                threshold: args.threshold,
                strict: args.strict,
                until: args.until.clone(),
                paths: true,
            };
            let (index, rq) = query.compile(catalog)?;
            rank_broker_from(&index, &rq)
        }
        Measure::Broker => rank_broker(catalog, &options),
        _ => rank_static(catalog, measure, &options)?,
    };
    if args.json {
        print_json(out, &answer)?;
        return Ok(0);
    }
    print_text(out, &table(catalog, &answer, args))?;
    Ok(0)
}

/// reach or told: exact, or estimated past the work bound (or as asked).
fn counted(
    catalog: &dyn Catalog,
    measure: Measure,
    options: &RankOptions,
    args: &RankArgs,
) -> Result<RankAnswer, CliError> {
    let exact = |options| match measure {
        Measure::Told => rank_told(catalog, options),
        _ => rank_reach(catalog, options),
    };
    if args.exact || !(args.estimate || past_estimate_work(catalog)) {
        return Ok(exact(options));
    }
    let template = "passing the contacts {wide_bar} {percent}% of the seconds ({eta})";
    let estimated = super::critical::with_progress(&args.input, template, |progress| {
        rank_estimated(catalog, measure, options, PRECISION, progress)
    });
    match estimated {
        Some(answer) => Ok(answer),
        None if args.estimate => Err(CliError::Usage(
            "--estimate needs every contact at one exact second; some here are intervals (leave out --estimate to count exactly)".into(),
        )),
        None => Ok(exact(options)),
    }
}

/// What a measure means, for the heading.
fn meaning(measure: Measure) -> &'static str {
    match measure {
        Measure::Degree => "the fraction of the others each is linked to",
        Measure::Betweenness => {
            "the fraction of shortest paths between two others that pass through each"
        }
        Measure::Closeness => "how near each is to those it is connected to",
        Measure::Pagerank => "PageRank (damping 0.85)",
        Measure::Reach => "how many others each could have told",
        Measure::Told => "how many others could have told each",
        Measure::Broker => "on how many earliest chains each is an intermediate",
    }
}

fn table(catalog: &dyn Catalog, answer: &RankAnswer, args: &RankArgs) -> String {
    let measure = answer.measure;
    let mut s = format!(
        "Who matters by {}: {}\n",
        measure.as_str(),
        meaning(measure)
    );
    let level = threshold_level_words(answer.threshold);
    if measure.is_static() {
        s.push_str(&format!(
            "  {level} contacts link their parties{}; {} entities, {} links\n",
            if answer.relations == Some(true) {
                ", and relations their ends"
            } else {
                " (relations left out: --relations)"
            },
            catalog.entity_count(),
            answer.links.unwrap_or(0)
        ));
        if matches!(measure, Measure::Betweenness | Measure::Closeness) {
            s.push_str(if args.through_groups {
                "  paths through audiences (groups) count too\n"
            } else {
                "  audiences (groups) are endpoints: no path passes through one (--through-groups counts them)\n"
            });
        }
    } else {
        let from = match (&answer.message, &answer.source) {
            (Some(m), Some(src)) => format!(
                "the chains of message \"{m}\" from {}, {}",
                crate::render::name_of(catalog, src),
                crate::render::words::mode_words(answer.mode.unwrap_or(Mode::Message), Some(m))
            ),
            (None, Some(src)) => {
                format!("the chains from {}", crate::render::name_of(catalog, src))
            }
            _ => match (measure, args.since.as_deref()) {
                (Measure::Reach, None) => "each from its first contact".to_string(),
                (Measure::Reach, Some(t)) => format!("each from {t}"),
                (Measure::Told, None) => "each teller from its first contact".to_string(),
                (Measure::Told, Some(t)) => format!("each teller from {t}"),
                (_, None) => "summed over every entity as the source, each from its first contact"
                    .to_string(),
                (_, Some(t)) => format!("summed over every entity as the source, each from {t}"),
            },
        };
        let mut line = format!("  {from}; {}", threshold_words(answer.threshold));
        if args.strict {
            line.push_str("; strict");
        }
        if let Some(u) = args.until.as_deref() {
            line.push_str(&format!("; by {}", until_label(catalog, u)));
        }
        s.push_str(&line);
        s.push('\n');
    }
    s.push('\n');
    let shown = if args.top == 0 {
        answer.entities.len()
    } else {
        args.top.min(answer.entities.len())
    };
    let rows: Vec<(Vec<String>, Vec<String>)> = answer.entities[..shown]
        .iter()
        .map(|r| {
            let value = match r.value {
                Value::Count(n) => n.to_string(),
                Value::Score(x) => format!("{x:.4}"),
            };
            (vec![r.rank.to_string(), r.name.clone(), value], Vec::new())
        })
        .collect();
    s.push_str(&table_with_notes(
        &["RANK", "ENTITY", &measure.as_str().to_uppercase()],
        &rows,
    ));
    if let Some(e) = &answer.estimate {
        s.push_str(&format!(
            "estimated: one pass with a HyperLogLog sketch of {} registers per entity; counts up to {} are exact, larger ones within {:.1}% (three standard errors of {:.2}%: about 997 in 1000); --exact counts exactly (slow)\n",
            e.registers,
            e.exact_up_to,
            e.bound * 100.0,
            e.relative_standard_error * 100.0
        ));
    }
    let rest = answer.entities.len() - shown;
    if rest > 0 {
        s.push_str(&format!(
            "and {rest} more (--top 0 shows them all; --json lists them all)\n"
        ));
    }
    s
}
