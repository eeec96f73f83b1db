//! `why-not`: why an entity is not reached, in words, from the analysis's
//! structured reasons.

use crate::analysis::why_not::{Chain, Reason, WhyNot};
use crate::catalog::Catalog;
use crate::model::Precision;
use crate::render::name_of;
use crate::render::words::{certainty_words, event_date, time_label, until_label};
use crate::Mode;

use super::args::{InputArgs, QueryOptions, SourceArgs};
use super::errors::CliError;
use super::input::{names_first, read_query_input};
use super::output::{print_json, print_text, Out};
use super::query::build_query;

/// Runs `why-not`.
pub fn run(
    out: &mut Out,
    input: &InputArgs,
    source: &SourceArgs,
    to: &str,
    mode: Option<Mode>,
    options: &QueryOptions,
) -> Result<u8, CliError> {
    names_first(input, source.from.as_deref().into_iter().chain([to]))?;
    let read = read_query_input(input, options)?;
    let query = build_query(source, mode, options, true);
    let answer = crate::why_not(read.catalog(), &query, to)?;
    if options.json {
        print_json(out, &answer)?;
        return Ok(0);
    }
    let until = options
        .until
        .as_deref()
        .map(|t| until_label(read.catalog(), t));
    print_text(out, &words(read.catalog(), &answer, until.as_deref()))?;
    Ok(0)
}

/// The answer in words: a first line, then one line per reason; `until`
/// is `--until` as a date.
pub fn words(catalog: &dyn Catalog, answer: &WhyNot, until: Option<&str>) -> String {
    let mut s = String::new();
    if !answer.reached {
        s.push_str(&format!("{} is not reached.\n", answer.name));
    }
    for r in &answer.reasons {
        s.push_str(&format!("- {}\n", reason(catalog, &answer.name, r, until)));
    }
    s
}

/// A chain by name, with its events: `WikiLeaks → Donald Trump Jr. (event
/// dm-pac-tip)`.
fn chain(catalog: &dyn Catalog, c: &Chain) -> String {
    let names: Vec<String> = c.entities.iter().map(|e| name_of(catalog, e)).collect();
    // A holding's hop says that its entity held it, not that anyone handed
    // it over.
    let held = |i: usize| {
        let e = catalog.event_number(c.events.get(i)?)?;
        crate::render::words::holding_words(catalog, e)
    };
    let mut text = String::new();
    for (i, name) in names.iter().enumerate() {
        match i.checked_sub(1).and_then(held) {
            Some(h) if i == 1 => text = format!("{name} {h}"),
            Some(h) => text.push_str(&format!(" → {name} {h}")),
            None if i == 0 => text.push_str(name),
            None => text.push_str(&format!(" → {name}")),
        }
    }
    format!(
        "{text} (event{} {})",
        if c.events.len() == 1 { "" } else { "s" },
        c.events.join(", ")
    )
}

/// An event by id, with its kind, date and certainty: `"trump-tower-meeting"
/// (meeting, 9 Jun 2016, confirmed)`.
fn event(catalog: &dyn Catalog, id: &str, certainty: bool) -> String {
    match catalog.event_number(id).map(|e| catalog.event(e)) {
        Some(e) => {
            let mut s = format!(
                "\"{id}\" ({}, {}",
                e.kind(),
                event_date(catalog, e.time.as_ref())
            );
            if certainty {
                s.push_str(&format!(", {}", certainty_words(e.certainty())));
            }
            s.push(')');
            s
        }
        None => format!("\"{id}\""),
    }
}

fn day(catalog: &dyn Catalog, t: Option<i64>) -> String {
    match t {
        Some(t) => time_label(catalog, t, Precision::Day),
        None => "the start".to_string(),
    }
}

/// One reason in a sentence.
fn reason(catalog: &dyn Catalog, name: &str, r: &Reason, until_text: Option<&str>) -> String {
    match r {
        Reason::Reached { evidence, chain: c } => format!(
            "{name} is reached, on {evidence} evidence, through {}.",
            chain(catalog, c)
        ),
        Reason::NoContacts => {
            format!("{name} takes part in no contact in the story: no event names them.")
        }
        Reason::NotCarried { message } => format!(
            "No contact documented to carry \"{message}\" involves {name}; --mode contacts asks who could have been told."
        ),
        Reason::TooEarly {
            event: e,
            sender,
            contact_end,
            sender_from,
        } => {
            let sender = name_of(catalog, sender);
            if let (Some(end), Some(from)) = (contact_end, sender_from) {
                if end >= from {
                    return format!(
                        "{name}'s contact with {sender}, event {}, came no later than the second {sender} could first have had it ({}), and --strict needs a later one.",
                        event(catalog, e, false),
                        time_label(catalog, *from, Precision::Second)
                    );
                }
            }
            format!(
                "{name}'s contact with {sender}, event {}, ended before {sender} could have had it (from {}).",
                event(catalog, e, false),
                day(catalog, *sender_from)
            )
        }
        Reason::BelowThreshold {
            threshold,
            evidence,
            event: e,
            chain: c,
        } => format!(
            "{name} is reached only on {evidence} evidence, below the {threshold} threshold: through {}, resting on event {}.",
            chain(catalog, c),
            event(catalog, e, true)
        ),
        Reason::ContactsBelowThreshold {
            threshold,
            contacts,
        } => {
            let list: Vec<String> = contacts
                .iter()
                .map(|c| {
                    format!(
                        "{} with {}",
                        event(catalog, &c.event, true),
                        name_of(catalog, &c.sender)
                    )
                })
                .collect();
            format!(
                "{name}'s contacts with those who had it are below the {threshold} threshold: {}.",
                list.join("; ")
            )
        }
        Reason::StrictOnly { chain: c } => format!(
            "{name} is reached without --strict, through {}: a hop of that chain falls in the same second as its sender's receipt.",
            chain(catalog, c)
        ),
        Reason::TooLate {
            until,
            earliest,
            chain: c,
        } => format!(
            "{name} could have had it only from {}, after {}, through {}.",
            day(catalog, *earliest),
            until_text.map_or_else(
                || day(catalog, *until),
                str::to_string
            ),
            chain(catalog, c)
        ),
        Reason::UnreachedContacts { senders, events } => {
            let names: Vec<String> = senders.iter().map(|e| name_of(catalog, e)).collect();
            format!(
                "{name}'s only contacts ({}; event{} {}) never have it themselves.",
                names.join(", "),
                if events.len() == 1 { "" } else { "s" },
                events.join(", ")
            )
        }
        Reason::NoIncoming => {
            format!("No contact goes to {name}: in every contact that could carry it, {name} is the sender.")
        }
    }
}
