//! `path`: the earliest-arrival chain to one entity, hop by hop.

use std::path::Path;

use grapevine::Error;

use super::common::{print_json, print_text, read_input, Global, Out};
use grapevine::analysis::path::hop;
use grapevine::render::{display_earliest, name_of};
use grapevine::Timing;

use super::args::{QueryOptions, SourceArgs};
use super::common::build_query;

/// Runs `path`.
pub fn run(
    out: &mut Out,
    file: &Path,
    from: &str,
    to: &str,
    since: Option<String>,
    options: &QueryOptions,
    global: Global,
) -> Result<u8, Error> {
    let input = read_input(file, global)?;
    let catalog = input.catalog();
    let source = SourceArgs {
        from: Some(from.to_string()),
        message: None,
        since,
    };
    let query = build_query(&source, None, options);
    let target = catalog.resolve_entity(to).map_err(Error::Query)?;
    let (index, rq) = query.compile(catalog)?;
    let answer = grapevine::path(&index, &rq, target);
    if options.json {
        print_json(out, &answer)?;
        return Ok(0);
    }
    let (a, b) = (name_of(catalog, &answer.from), name_of(catalog, &answer.to));
    if !answer.reached {
        print_text(
            out,
            &format!("{b} is not reached from {a}; `grapevine why-not` says why.\n"),
        )?;
        return Ok(1);
    }
    let reach_answer = grapevine::reach(&index, &rq);
    let entry = reach_answer.get(&answer.to);
    let mut s = format!(
        "{a} → {b}: {} hop{}",
        answer.hops.len(),
        if answer.hops.len() == 1 { "" } else { "s" }
    );
    if let Some(r) = entry {
        s.push_str(&format!(
            ", earliest {}, {} timing, {} evidence\n\n",
            display_earliest(catalog, &index, &query, &reach_answer, r),
            match r.timing {
                Timing::Definite => "definite",
                Timing::Possible => "possible",
            },
            r.evidence
        ));
        for (i, &c) in r.path_channels.iter().enumerate() {
            let h = hop(&index, c);
            s.push_str(&format!(
                "{}. {}  {} → {}  ({}, {}, {})\n",
                i + 1,
                h.time.as_deref().unwrap_or("undated"),
                h.from_name,
                h.to_name,
                h.kind,
                h.certainty,
                h.event
            ));
            if let Some(q) = &h.quote {
                s.push_str(&format!("   “{q}”\n"));
            }
            if let Some(src) = &h.source {
                s.push_str(&format!(
                    "   — {}\n",
                    h.source_title.as_deref().unwrap_or(src)
                ));
            }
        }
    }
    print_text(out, &s)?;
    Ok(0)
}
