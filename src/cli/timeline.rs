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
    let lows: Vec<i64> = entries
        .iter()
        .map(|e| {
            catalog
                .event_number(&e.event)
                .and_then(|k| catalog.event_interval(k).lo)
                .unwrap_or(i64::MIN)
        })
        .collect();
    let rows = with_markers(catalog, rows, &lows, &query);
    let s = if entries.is_empty() {
        "No events match.\n".to_string()
    } else {
        table_with_notes(&["DATE", "KIND", "CERTAINTY", "WHO"], &rows)
    };
    print_text(out, &s)?;
    Ok(0)
}

/// The event rows with the story's markers (reference dates, such as
/// election day) put in time order among them, each a row of kind `marker`;
/// `lows` is each event row's start. Markers outside `--between` are left
/// out.
fn with_markers(
    catalog: &dyn crate::Catalog,
    rows: Vec<(Vec<String>, Vec<String>)>,
    lows: &[i64],
    query: &crate::analysis::timeline::TimelineQuery,
) -> Vec<(Vec<String>, Vec<String>)> {
    let tz = catalog.timezone();
    let window = query.between.as_ref().and_then(|(a, b)| {
        let a = crate::TimeExpr::parse(a, &tz).ok()?.interval().lo_or_min();
        let b = crate::TimeExpr::parse(b, &tz).ok()?.interval().hi_or_max();
        Some((a, b))
    });
    let mut markers: Vec<(i64, Vec<String>)> = catalog
        .markers()
        .iter()
        .filter_map(|m| {
            let lo = m.time.as_ref()?.interval().lo_or_min();
            let inside = window.is_none_or(|(a, b)| a <= lo && lo <= b);
            inside.then(|| {
                let label = crate::render::clean(&m.label);
                (
                    lo,
                    vec![
                        event_date(catalog, m.time.as_ref()),
                        "marker".to_string(),
                        String::new(),
                        label,
                    ],
                )
            })
        })
        .collect();
    markers.sort_by_key(|(lo, _)| *lo);
    let mut out = Vec::with_capacity(rows.len() + markers.len());
    let mut pending = markers.into_iter().peekable();
    for (row, &lo) in rows.into_iter().zip(lows) {
        while let Some((_, m)) = pending.next_if(|(t, _)| *t < lo) {
            out.push((m, Vec::new()));
        }
        out.push(row);
    }
    out.extend(pending.map(|(_, m)| (m, Vec::new())));
    out
}
