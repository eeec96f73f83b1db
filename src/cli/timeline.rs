//! `timeline`: the contacts in time order.

use super::args::InputArgs;
use super::errors::CliError;
use super::input::read_input;
use super::output::{print_json, print_text, Out};
use super::table::table_with_notes;
use crate::render::words::event_date;

/// Runs `timeline`.
pub fn run(
    out: &mut Out,
    args: &InputArgs,
    entity: Option<String>,
    between: Option<Vec<String>>,
    threshold: crate::Certainty,
    json: bool,
) -> Result<u8, CliError> {
    let input = read_input(args)?;
    let between = between.and_then(|v| match v.as_slice() {
        [a, b] => Some((a.clone(), b.clone())),
        _ => None,
    });
    let query = crate::analysis::timeline::TimelineQuery {
        entity,
        between,
        threshold,
    };
    let entries = crate::analysis::timeline::timeline(input.catalog(), &query)?;
    if json {
        print_json(out, &entries)?;
        return Ok(0);
    }
    let catalog = input.catalog();
    let rows: Vec<(Vec<String>, Vec<String>)> = entries
        .iter()
        .map(|e| {
            let who = match e.who.split_first() {
                Some((first, rest)) if !e.mutual => format!("{first} → {}", rest.join(", ")),
                _ => e.who.join(" — "),
            };
            let time = catalog
                .event_number(&e.event)
                .and_then(|k| catalog.event(k).time.clone());
            (
                vec![
                    event_date(catalog, time.as_ref()),
                    e.kind.clone(),
                    e.certainty.as_str().to_string(),
                    who,
                ],
                e.summary.iter().cloned().collect(),
            )
        })
        .collect();
    let s = if entries.is_empty() {
        "No events match.\n".to_string()
    } else {
        table_with_notes(&["DATE", "KIND", "CERTAINTY", "WHO"], &rows)
    };
    print_text(out, &s)?;
    Ok(0)
}
