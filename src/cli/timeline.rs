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
                e.summary
                    .iter()
                    .cloned()
                    .chain(
                        (e.publishers > 1)
                            .then(|| format!("Cited by {} independent publishers.", e.publishers)),
                    )
                    .collect(),
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
/// election day) and holdings (an entity had a message by a date) put in
/// time order among them, as rows of kind `marker` and `holding`; `lows` is
/// each event row's start. Markers and holdings outside `--between` are
/// left out, holdings of other entities with `--entity` and below the
/// threshold too.
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
    let inside = |lo: i64| window.is_none_or(|(a, b)| a <= lo && lo <= b);
    let mut extra: Vec<(i64, Vec<String>, Vec<String>)> = catalog
        .markers()
        .iter()
        .filter_map(|m| {
            let lo = m.time.as_ref()?.interval().lo_or_min();
            inside(lo).then(|| {
                let label = crate::render::clean(&m.label);
                let date = event_date(catalog, m.time.as_ref());
                (
                    lo,
                    vec![date, "marker".into(), String::new(), label],
                    Vec::new(),
                )
            })
        })
        .collect();
    extra.extend(
        holding_rows(catalog, query)
            .into_iter()
            .filter(|(lo, _, _)| inside(*lo)),
    );
    extra.sort_by_key(|(lo, _, _)| *lo);
    let mut out = Vec::with_capacity(rows.len() + extra.len());
    let mut pending = extra.into_iter().peekable();
    for (row, &lo) in rows.into_iter().zip(lows) {
        while let Some((_, m, notes)) = pending.next_if(|(t, _, _)| *t < lo) {
            out.push((m, notes));
        }
        out.push(row);
    }
    out.extend(pending.map(|(_, m, notes)| (m, notes)));
    out
}

/// The holdings as timeline rows: "by DATE  holding  CERTAINTY  X held
/// “TITLE” (how it got it is not recorded)", at the holding's start.
fn holding_rows(
    catalog: &dyn crate::Catalog,
    query: &crate::analysis::timeline::TimelineQuery,
) -> Vec<(i64, Vec<String>, Vec<String>)> {
    let only = query
        .entity
        .as_deref()
        .and_then(|e| catalog.resolve_entity(e).ok())
        .map(|u| catalog.entity_id(u).to_string());
    catalog
        .holdings()
        .iter()
        .filter(|h| h.certainty() >= query.threshold)
        .filter(|h| only.as_ref().is_none_or(|o| o == &h.entity))
        .map(|h| {
            let lo = h
                .time
                .as_ref()
                .map_or(i64::MIN, |t| t.interval().lo_or_min());
            let what = catalog
                .message_number(&h.message)
                .map(|k| catalog.message(k))
                .and_then(|m| m.title.clone())
                .map_or_else(|| format!("message {}", h.message), |t| format!("“{t}”"));
            let who = format!(
                "{} held {} (how it got it is not recorded)",
                crate::render::name_of(catalog, &h.entity),
                crate::render::clean(&what)
            );
            let date = event_date(catalog, h.time.as_ref());
            let notes = h.summary.iter().map(|s| crate::render::clean(s)).collect();
            (
                lo,
                vec![date, "holding".into(), h.certainty().as_str().into(), who],
                notes,
            )
        })
        .collect()
}
