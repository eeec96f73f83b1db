//! Checks at the cell, then the story.

use std::collections::HashMap;

use super::{
    further_citations, ids_of, nearest, records, sheets, strings, Names, Problems, Record, Sheet,
};
use crate::diagnostic::visible;
use crate::io::json::{write_value, Member, Value};
use crate::io::sheets::book::{get, member, node, Table};
use crate::io::sheets::columns::{Allowed, Kind, CERTAINTIES, ENTITY_KINDS, SECTIONS};
use crate::io::Imported;
use crate::model::TimeExpr;
use crate::Error;

/// The story sheet's settings: `(field, value)` in order.
fn settings(s: Option<&Sheet>, p: &mut Problems) -> Vec<Member> {
    let mut out: Vec<Member> = Vec::new();
    let Some(s) = s else { return out };
    let at = |header: &str| {
        s.cols
            .iter()
            .position(|c| matches!(c, super::Col::Known(k) if k.header == header))
    };
    let (fi, vi) = (at("field"), at("value"));
    let ei = s.cols.iter().position(|c| *c == super::Col::Exact);
    let cell = |row: &crate::io::sheets::book::Row, i: Option<usize>| -> String {
        i.and_then(|i| row.cells.get(i))
            .cloned()
            .unwrap_or_default()
    };
    for row in &s.table.rows {
        let raw = cell(row, fi);
        let known = ["format", "title", "summary", "timezone"].contains(&raw.trim())
            || (!raw.trim().is_empty() && SECTIONS.iter().any(|d| d.section == raw.trim()));
        // A field of the reporter's own is kept as typed, spaces and all.
        let field = if known { raw.trim() } else { raw.as_str() };
        let value = cell(row, vi);
        let value = value.as_str();
        let exact = cell(row, ei);
        if let Some(m) = own_exact(field, value, &exact) {
            out.push(m);
            continue;
        }
        if field.trim().is_empty() {
            if !value.is_empty() {
                p.error(s.at(p, row.at, 0), "a value with no field", None);
            }
            continue;
        }
        let v = if ["format", "title", "summary", "timezone"].contains(&field) {
            match crate::io::parse_json(exact.trim()).map(|n| n.value) {
                Ok(Value::String(e)) if super::sturdy(e.trim()) == super::sturdy(value.trim()) => {
                    Value::String(e)
                }
                _ if ["format", "timezone"].contains(&field) => {
                    Value::String(value.trim().to_string())
                }
                _ => Value::String(value.to_string()),
            }
        } else if !field.is_empty() && SECTIONS.iter().any(|d| d.section == field) {
            if value.trim() != "[]" {
                p.error(
                    s.at(p, row.at, 1),
                    &format!("{field} is a sheet of its own; here only [] (an empty list) goes"),
                    None,
                );
            }
            Value::Array(Vec::new())
        } else {
            match crate::io::parse_json(value) {
                Ok(n) => n.value,
                Err(_) => Value::String(value.to_string()),
            }
        };
        if out.iter().any(|m| m.key == field) {
            p.error(
                s.at(p, row.at, 0),
                &format!("{} is set twice", visible(field)),
                None,
            );
            continue;
        }
        out.push(member(field, v));
    }
    out
}

/// A field of the reporter's own from `exact`, when its cells agree.
fn own_exact(field: &str, value: &str, exact: &str) -> Option<Member> {
    let Ok(Value::Object(mut m)) = crate::io::parse_json(exact.trim()).map(|n| n.value) else {
        return None;
    };
    if m.len() != 1 {
        return None;
    }
    let mut text = String::new();
    crate::io::sheets::book::compact(&m[0].node.value, &mut text);
    let same = super::sturdy(m[0].key.trim()) == super::sturdy(field.trim())
        && super::sturdy(&text) == super::sturdy(value);
    same.then(|| m.remove(0))
}

/// Checks what the cells of a record say and puts entity names to ids.
fn check_record(s: &Sheet, r: &mut Record, ctx: &Context, p: &mut Problems) {
    for (i, col) in s.cols.iter().enumerate() {
        let super::Col::Known(k) = col else { continue };
        let cell = s
            .table
            .rows
            .iter()
            .find(|row| row.at == r.row)
            .and_then(|row| row.cells.get(i))
            .map(|c| c.trim())
            .unwrap_or("");
        let at = || s.at(p, r.row, i);
        if k.required && cell.is_empty() {
            p.error(
                at(),
                &format!("{} is required", k.header),
                Some(k.help.to_string()),
            );
            continue;
        }
        if cell.is_empty() {
            continue;
        }
        match (k.kind, k.allowed) {
            (Kind::Time, _) => {
                if let Err(e) = TimeExpr::parse(cell, &ctx.tz) {
                    let place = at();
                    p.error(
                        place,
                        &format!("\"{}\" is not a time grapevine reads: {}", visible(cell), e.message),
                        Some(match slashed_date(cell) {
                            Some(proposal) => proposal,
                            None => format!("{}; e.g. 2016-09-20 (that day), 2016-09 (the month) or 2016-09-20/.. (from then on)", e.help),
                        }),
                    );
                }
            }
            (_, Allowed::Certainty) if !CERTAINTIES.contains(&cell) => {
                let place = at();
                p.error(
                    place,
                    &format!("\"{}\" is not a certainty", visible(cell)),
                    Some("write confirmed, reported, alleged or unknown".into()),
                );
            }
            (_, Allowed::EntityKind) if !ENTITY_KINDS.contains(&cell) && cell != "organization" => {
                let place = at();
                p.error(
                    place,
                    &format!("\"{}\" is not an entity kind", visible(cell)),
                    Some("write person, organisation, group or other".into()),
                );
            }
            (Kind::YesNo, _)
                if !["yes", "no", "true", "false"].contains(&cell.to_lowercase().as_str()) =>
            {
                let place = at();
                p.error(
                    place,
                    &format!("\"{}\" is not yes or no", visible(cell)),
                    None,
                );
            }
            _ => {}
        }
        check_refs(s, r, (k.field, k.kind, i), ctx, p);
    }
}

/// A spreadsheet's display of a date (`9/20/2016`, `20/09/2016`,
/// `20.09.2016`) as the day or days it may stand for.
fn slashed_date(cell: &str) -> Option<String> {
    let parts: Vec<&str> = cell.split(['/', '.']).collect();
    let [a, b, y] = parts.as_slice() else {
        return None;
    };
    let n = |s: &str| s.trim().parse::<i16>().ok();
    let (a, b, y) = (n(a)?, n(b)?, n(y)?);
    let y = if y < 100 { 2000 + y } else { y };
    let day = |m: i16, d: i16| {
        jiff::civil::Date::new(y, m as i8, d as i8)
            .ok()
            .map(|d| d.to_string())
    };
    let readings: Vec<String> = [day(a, b), day(b, a)]
        .into_iter()
        .flatten()
        .collect::<std::collections::BTreeSet<_>>()
        .into_iter()
        .collect();
    match readings.as_slice() {
        [] => None,
        [one] => Some(format!("write {one}: dates are written year-month-day")),
        [x, y] => Some(format!(
            "write {x} or {y}, whichever was meant: dates are written year-month-day"
        )),
        _ => None,
    }
}

/// The ids each kind of reference may name.
struct Context {
    tz: jiff::tz::TimeZone,
    names: Names,
    messages: Vec<String>,
    events: Vec<String>,
    sources: Vec<String>,
}

fn check_refs(
    s: &Sheet,
    r: &mut Record,
    (field, kind, i): (&str, Kind, usize),
    ctx: &Context,
    p: &mut Problems,
) {
    let entity = matches!(field, "from" | "to" | "participants" | "origin" | "entity");
    let (pool, what) = match field {
        "carries" | "message" => (&ctx.messages, "message"),
        "after" => (&ctx.events, "event"),
        "sources" if kind == Kind::CiteSource => (&ctx.sources, "source"),
        _ if entity => (&ctx.names.ids, "entity"),
        _ => return,
    };
    let Some(m) = r.members.iter_mut().find(|m| m.key == field) else {
        return;
    };
    let values: Vec<&mut String> = match &mut m.node.value {
        Value::String(v) => vec![v],
        Value::Array(items) => items
            .iter_mut()
            .filter_map(|n| match &mut n.value {
                Value::String(v) => Some(v),
                Value::Object(o) if field == "sources" => o
                    .iter_mut()
                    .find(|x| x.key == "source")
                    .and_then(|x| match &mut x.node.value {
                        Value::String(v) => Some(v),
                        _ => None,
                    }),
                _ => None,
            })
            .collect(),
        _ => Vec::new(),
    };
    for v in values {
        if entity {
            match ctx.names.resolve(v) {
                Ok(id) => *v = id,
                Err(help) => {
                    let place = s.at(p, r.row, i);
                    p.error(place, &format!("no entity \"{}\"", visible(v)), Some(help));
                }
            }
        } else if !pool.contains(v) {
            let place = s.at(p, r.row, i);
            let help = nearest(v, pool.iter());
            p.error(place, &format!("no {what} \"{}\"", visible(v)), Some(help));
        }
    }
}

fn duplicates(s: &Sheet, recs: &[Record], p: &mut Problems) {
    let Some(i) = s.index("id") else { return };
    let mut first: HashMap<String, u32> = HashMap::new();
    for r in recs {
        if let Some(Value::String(id)) = get(&r.members, "id") {
            if let Some(row) = first.get(id) {
                let place = s.at(p, r.row, i);
                let col = s.table.columns.get(i).copied().unwrap_or(0);
                p.error(
                    place,
                    &format!("the id \"{}\" is used twice", visible(id)),
                    Some(format!(
                        "it is first defined at cell {}; give each row its own id",
                        super::cell_name(*row, col)
                    )),
                );
            } else {
                first.insert(id.clone(), r.row);
            }
        }
    }
}

/// A story from a workbook's tables, with the reader's `problems` so far.
pub fn from_tables(tables: &[Table], mut p: Problems) -> Result<Imported, Error> {
    let all = sheets(tables, &mut p);
    if all.is_empty() && !p.failed() {
        let file = p.file.clone();
        p.error(
            file,
            "no sheet grapevine reads",
            Some(format!(
                "a claims workbook has the sheets story, {} (grapevine new claims.xlsx writes one to start from)",
                SECTIONS.iter().map(|s| s.name).collect::<Vec<_>>().join(", ")
            )),
        );
    }
    let find = |name: &str| all.iter().find(|s| s.def.name == name);
    let mut top = settings(find("story"), &mut p);
    let tz_name = match get(&top, "timezone") {
        Some(Value::String(s)) => s.clone(),
        _ => "UTC".into(),
    };
    let tz = crate::model::time::parse_timezone(&tz_name).unwrap_or(jiff::tz::TimeZone::UTC);
    let mut cites = further_citations(find("citations"), &mut p);
    let mut read: Vec<(&Sheet, Vec<Record>)> = Vec::new();
    for def in SECTIONS.iter().filter(|d| !d.section.is_empty()) {
        if let Some(s) = find(def.name) {
            let recs = records(s, &mut cites, &mut p);
            read.push((s, recs));
        }
    }
    let pool = |name: &str| {
        read.iter()
            .find(|(s, _)| s.def.name == name)
            .map(|(_, r)| ids_of(r))
            .unwrap_or_default()
    };
    let ctx = Context {
        tz,
        names: Names::new(
            read.iter()
                .find(|(s, _)| s.def.name == "entities")
                .map(|(_, r)| r.as_slice())
                .unwrap_or(&[]),
        ),
        messages: pool("messages"),
        events: pool("events"),
        sources: pool("sources"),
    };
    for (s, recs) in &mut read {
        duplicates(s, recs, &mut p);
        for r in recs.iter_mut().filter(|r| r.from_cells) {
            check_record(s, r, &ctx, &mut p);
        }
    }
    if let Some(s) = find("citations") {
        for (claim, rows) in &cites {
            if let Some((_, row)) = rows.first() {
                let place = s.at(&p, *row, 0);
                p.error(
                    place,
                    &format!(
                        "no event, holding, message or relation \"{}\"",
                        visible(claim)
                    ),
                    Some(nearest(claim, ctx.events.iter().chain(&ctx.messages))),
                );
            }
        }
    }
    if p.failed() {
        return Err(Error::Invalid(Box::new(p.report)));
    }
    assemble(&mut top, read);
    let mut text = String::new();
    write_value(&mut text, &Value::Object(top), 0);
    match crate::io::load_str(&format!("{} (as a story)", p.file), &text) {
        Ok(loaded) => Ok(Imported {
            story: loaded.story,
            report: p.report,
        }),
        Err(r) => Err(Error::Invalid(Box::new(r))),
    }
}

/// The story object: settings, then each section (the canonical writer
/// orders them).
fn assemble(top: &mut Vec<Member>, read: Vec<(&Sheet, Vec<Record>)>) {
    let mut has_entities = top.iter().any(|m| m.key == "entities");
    for (s, recs) in read {
        if recs.is_empty() {
            continue;
        }
        has_entities |= s.def.section == "entities";
        let items = recs
            .into_iter()
            .map(|r| node(Value::Object(r.members)))
            .collect();
        top.retain(|m| m.key != s.def.section);
        top.push(member(s.def.section, Value::Array(items)));
    }
    if !has_entities {
        top.push(member("entities", Value::Array(Vec::new())));
    }
    if !top.iter().any(|m| m.key == "format") {
        top.insert(
            0,
            member("format", Value::String(crate::model::FORMAT.to_string())),
        );
    }
    let _ = strings;
}
