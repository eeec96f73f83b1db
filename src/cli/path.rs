//! `path`: the chain to one entity, hop by hop: exactly `reach`'s row for
//! it, with each hop's date and quote.

use crate::analysis::path::path_in;
use crate::render::name_of;
use crate::render::words::{certainty_words, event_date, threshold_level_words, AnswerWords};
use crate::{Error, Mode};

use super::args::{InputArgs, QueryOptions, SourceArgs};
use super::errors::CliError;
use super::input::{names_first, read_query_input};
use super::output::{print_json, print_text, Out};
use super::query::build_query;

/// Runs `path`: exit code 0 when the target is reached, 1 when it is not
/// (in both table and JSON form).
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
    let catalog = read.catalog();
    let query = build_query(source, mode, options, true);
    let target = catalog.resolve_entity(to).map_err(Error::Query)?;
    let (index, rq) = query.compile(catalog)?;
    let reach = crate::reach(&index, &rq);
    let answer = path_in(&index, &reach, target);
    let code = if answer.reached() { 0 } else { 1 };
    if options.json {
        print_json(out, &answer)?;
        return Ok(code);
    }
    let (a, b) = (name_of(catalog, &answer.asked.source), answer.name.clone());
    let Some(r) = &answer.row else {
        print_text(
            out,
            &format!("{b} is not reached from {a}; `grapevine why-not` says why.\n"),
        )?;
        return Ok(code);
    };
    let words = AnswerWords::new(catalog, &index, &query, &reach);
    let [conditions, assumption] = words.conditions();
    let n = answer.hops.len();
    let mut s = if r.entity == answer.asked.source {
        match &answer.asked.message {
            Some(m) => format!("{b} is the source of message \"{m}\"\n"),
            None => format!("{b} is the source\n"),
        }
    } else {
        format!(
            "How {} could have reached {b}: {n} hop{}\n",
            words.what(),
            if n == 1 { "" } else { "s" }
        )
    };
    s.push_str(&format!("  {conditions}\n  {assumption}\n\n"));
    let mut facts = vec![
        ("could have it from", words.earliest(r)),
        ("surely had it by", words.surely_by(r)),
        ("evidence", r.evidence.to_string()),
    ];
    if let Some(w) = words.rests_on(r) {
        facts.push(("rests on", w));
    }
    if let Some((hop, from)) = words.weaker_chain(r) {
        facts.push((
            "this chain rests on",
            format!(
                "{hop}; on {} contacts alone: from {from}",
                threshold_level_words(r.evidence)
            ),
        ));
    }
    let width = facts.iter().map(|(k, _)| k.len()).max().unwrap_or(0);
    for (k, v) in facts {
        s.push_str(&format!("  {k:<width$}  {v}\n"));
    }
    if n > 0 {
        s.push('\n');
    }
    for (i, (h, hop)) in answer.hops.iter().zip(r.hops(&index)).enumerate() {
        let e = index.event(hop.channel);
        let event = catalog.event(e);
        if let Some(held) = crate::render::words::holding_words(catalog, e) {
            s.push_str(&format!(
                "{}. {}  {} {held}  ({}, {})\n",
                i + 1,
                event_date(catalog, event.time.as_ref()),
                h.to_name,
                certainty_words(h.certainty),
                h.event
            ));
        } else {
            s.push_str(&format!(
                "{}. {}  {} → {}  ({}, {}, {})\n",
                i + 1,
                event_date(catalog, event.time.as_ref()),
                h.from_name,
                h.to_name,
                h.kind,
                certainty_words(h.certainty),
                h.event
            ));
        }
        match (&h.quote, &h.source) {
            (Some(q), _) if h.paraphrase => s.push_str(&format!("   in the author's words: {q}\n")),
            (Some(q), _) => s.push_str(&format!("   “{q}”\n")),
            (None, None) => s.push_str("   no source cited\n"),
            (None, Some(_)) => {}
        }
        if let Some(src) = &h.source {
            s.push_str(&format!(
                "   — {}\n",
                h.source_title.as_deref().unwrap_or(src)
            ));
        }
    }
    print_text(out, &s)?;
    Ok(code)
}
