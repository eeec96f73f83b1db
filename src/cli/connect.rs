//! `connect`: how some people are linked.

use crate::analysis::connect::{connect, Chain, ConnectAnswer, ConnectQuery};
use crate::catalog::{Catalog, ChannelId, EntityId};
use crate::model::{Certainty, Precision};
use crate::render::name_of;
use crate::render::words::{threshold_level_words, time_label, until_label, zone_words};
use crate::{Error, QueryError};

use super::args::ConnectArgs;
use super::errors::CliError;
use super::input::{names_first, read_input};
use super::output::{print_json, print_text, Out};
use super::rank::second;
use super::table::table_with_notes;

/// The entity numbers of `names` (ids, names or aliases), each once.
pub fn resolve_all(catalog: &dyn Catalog, names: &[String]) -> Result<Vec<EntityId>, CliError> {
    let mut out: Vec<EntityId> = Vec::new();
    for name in names {
        let u = catalog.resolve_entity(name).map_err(Error::Query)?;
        if out.contains(&u) {
            return Err(CliError::from(QueryError::RepeatedEntity {
                name: name.clone(),
                entity: catalog.entity_name(u).to_string(),
            }));
        }
        out.push(u);
    }
    Ok(out)
}

/// Runs `connect`.
pub fn run(out: &mut Out, args: &ConnectArgs) -> Result<u8, CliError> {
    names_first(&args.input, args.entities.iter().map(String::as_str))?;
    let read = read_input(&args.input)?;
    let catalog = read.catalog();
    let answer = connect(catalog, &query(catalog, args)?)?;
    if args.json {
        print_json(out, &answer)?;
        return Ok(0);
    }
    let mut s = heading(catalog, args, &answer);
    s.push_str(&pairs_text(catalog, &answer));
    s.push_str(&network_text(catalog, &answer));
    print_text(out, &s)?;
    Ok(0)
}

/// The question the flags ask.
fn query(catalog: &dyn Catalog, args: &ConnectArgs) -> Result<ConnectQuery, CliError> {
    Ok(ConnectQuery {
        entities: resolve_all(catalog, &args.entities)?,
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
    })
}

/// Who is linked, and on what terms: the contacts followed, the chains'
/// start, strictness and end, the time zone.
fn heading(catalog: &dyn Catalog, args: &ConnectArgs, answer: &ConnectAnswer) -> String {
    let names: Vec<String> = answer
        .entities
        .iter()
        .map(|e| name_of(catalog, e))
        .collect();
    let joined = match names.split_last() {
        Some((last, rest)) if !rest.is_empty() => format!("{} and {last}", rest.join(", ")),
        _ => names.join(""),
    };
    let mut s = format!("How {joined} are linked\n");
    s.push_str(&format!(
        "  {} contacts link their parties{}\n",
        threshold_level_words(answer.threshold),
        if answer.relations {
            ", and relations their ends"
        } else {
            " (relations left out: --relations)"
        }
    ));
    if !args.through_groups {
        s.push_str(
            "  audiences (groups) are endpoints: no path passes through one (--through-groups)\n",
        );
    }
    let mut chains = String::from("  chains: each holds it ");
    match args.since.as_deref() {
        Some(t) => chains.push_str(&format!("from {t}")),
        None => chains.push_str("since before any contact"),
    }
    if args.strict {
        chains.push_str("; strict");
    }
    if let Some(u) = args.until.as_deref() {
        chains.push_str(&format!("; by {}", until_label(catalog, u)));
    }
    s.push_str(&format!("{chains}; {}\n\n", zone_words(catalog)));
    s
}

/// Each pair: how far apart, how many shortest paths, and the earliest
/// chain each way.
fn pairs_text(catalog: &dyn Catalog, answer: &ConnectAnswer) -> String {
    let name = |id: &str| name_of(catalog, id);
    let ch = catalog.channels();
    let precision = if ChannelId::all(ch.len()).all(|c| ch.lo(c) == ch.hi(c)) {
        Precision::Second
    } else {
        Precision::Day
    };
    let chain_words = |c: &Chain| -> String {
        if !c.exists {
            return format!("no chain from {} to {}", name(&c.from), name(&c.to));
        }
        let when = match c.earliest {
            Some(t) => format!("from {}", time_label(catalog, t, precision)),
            None => "at any time".to_string(),
        };
        let path: Vec<String> = c.entities.iter().map(|e| name(e)).collect();
        let events: Vec<String> = c
            .events
            .iter()
            .map(|e| with_certainty(catalog, e))
            .collect();
        let weakest = c
            .events
            .iter()
            .filter_map(|e| catalog.event_number(e))
            .map(|e| catalog.event_certainty(e))
            .min();
        let rests = match weakest {
            Some(w) if w < Certainty::Confirmed => {
                format!("; it rests on {} contact", certainty_article(w))
            }
            _ => String::new(),
        };
        format!(
            "earliest chain {}: {when} ({}){rests}",
            path.join(" → "),
            events.join(", ")
        )
    };
    let mut s = String::new();
    for p in &answer.pairs {
        match p.distance {
            Some(d) => s.push_str(&format!(
                "{} — {}: {d} step{} apart, {} shortest path{}\n",
                name(&p.a),
                name(&p.b),
                if d == 1 { "" } else { "s" },
                p.shortest_paths,
                if p.shortest_paths == 1 { "" } else { "s" }
            )),
            None => s.push_str(&format!("{} — {}: not connected\n", name(&p.a), name(&p.b))),
        }
        s.push_str(&format!("  {}\n", chain_words(&p.a_to_b)));
        s.push_str(&format!("  {}\n", chain_words(&p.b_to_a)));
    }
    s
}

/// An event id with its certainty: `leak-to-the-atlantic (alleged)`.
fn with_certainty(catalog: &dyn Catalog, id: &str) -> String {
    match catalog.event_number(id) {
        Some(e) => format!("{id} ({})", catalog.event_certainty(e).as_str()),
        None => id.to_string(),
    }
}

/// "an alleged", "a reported", "an unknown-certainty".
fn certainty_article(c: Certainty) -> &'static str {
    match c {
        Certainty::Confirmed => "a confirmed",
        Certainty::Reported => "a reported",
        Certainty::Alleged => "an alleged",
        Certainty::Unknown => "an unknown-certainty",
    }
}

/// The connecting network: its size, then each link with the contacts and
/// relations it stands for.
fn network_text(catalog: &dyn Catalog, answer: &ConnectAnswer) -> String {
    let name = |id: &str| name_of(catalog, id);
    let mut s = format!(
        "\nThe connecting network: {} entities, {} link{}\n",
        answer.network.len(),
        answer.links.len(),
        if answer.links.len() == 1 { "" } else { "s" }
    );
    if !answer.links.is_empty() {
        let rows: Vec<(Vec<String>, Vec<String>)> = answer
            .links
            .iter()
            .map(|l| {
                let mut what = Vec::new();
                if l.contacts > 0 {
                    let more = l.contacts - l.events.len();
                    let named: Vec<String> = l
                        .events
                        .iter()
                        .map(|e| with_certainty(catalog, e))
                        .collect();
                    let mut list = named.join(", ");
                    if more > 0 {
                        list.push_str(&format!(" and {more} more"));
                    }
                    what.push(format!(
                        "{} contact{}: {list}",
                        l.contacts,
                        if l.contacts == 1 { "" } else { "s" }
                    ));
                }
                if !l.relations.is_empty() {
                    what.push(format!("relation: {}", l.relations.join(", ")));
                }
                (
                    vec![format!("{} — {}", name(&l.a), name(&l.b)), what.join("; ")],
                    Vec::new(),
                )
            })
            .collect();
        s.push_str(&table_with_notes(&["LINK", "THROUGH"], &rows));
    }
    s
}
