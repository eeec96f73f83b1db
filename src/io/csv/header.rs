//! The header line: which column is which.

use crate::diagnostic::Diagnostic;

use super::fields::{split_fields, Field, Header};
use super::problem::{shown, thousands};
use super::{MAX_COLUMNS, MAX_IGNORED_SHOWN};

pub(super) const FROM_NAMES: [&str; 4] = ["from", "src", "source", "sender"];
pub(super) const TO_NAMES: [&str; 4] = ["to", "dst", "target", "recipient"];
pub(super) const TIME_NAMES: [&str; 4] = ["time", "t", "timestamp", "date"];

pub(super) fn parse_header(
    row: &[u8],
    has_quote: bool,
) -> Result<(Header, Vec<Diagnostic>), Box<Diagnostic>> {
    let columns = memchr::memchr_iter(b',', row).count() + 1;
    let too_many = |n: usize| {
        Box::new(
            Diagnostic::error(
                format!(
                    "the header names {} columns; grapevine reads at most {}",
                    thousands(n as u64),
                    thousands(MAX_COLUMNS as u64)
                ),
                Some(0..row.len().clamp(1, 2000)),
                "the header",
            )
            .with_help("a contact list needs from, to and time (and reads id, kind, certainty, carries): remove the other columns, or check that this is a CSV file"),
        )
    };
    if columns > MAX_COLUMNS && !has_quote {
        return Err(too_many(columns));
    }
    let mut fields: Vec<Field> = Vec::new();
    let mut owned: Vec<u8> = Vec::new();
    split_fields(row, has_quote, &mut fields, &mut owned).map_err(|(at, what)| {
        Box::new(
            Diagnostic::error(format!("the header line: {what}"), Some(at..at + 1), "here")
                .with_help("the header is one line of column names; quote a name that holds a comma as \"...\""),
        )
    })?;
    if fields.len() > MAX_COLUMNS {
        return Err(too_many(fields.len()));
    }
    let mut h = Header {
        width: fields.len(),
        ..Header::default()
    };
    let (mut from, mut to, mut time) = (None, None, None);
    let mut warnings = Vec::new();
    let mut ignored = 0usize;
    for (k, f) in fields.iter().enumerate() {
        let v = if f.owned {
            &owned[f.value.clone()]
        } else {
            &row[f.value.clone()]
        };
        let name = String::from_utf8_lossy(v).to_lowercase();
        h.names.push(String::from_utf8_lossy(v).into_owned());
        let span = f.pos..(f.pos + v.len().max(1));
        let slot: Option<&mut Option<usize>> = match name.as_str() {
            n if FROM_NAMES.contains(&n) => Some(&mut from),
            n if TO_NAMES.contains(&n) => Some(&mut to),
            n if TIME_NAMES.contains(&n) => Some(&mut time),
            "id" => Some(&mut h.id),
            "kind" => Some(&mut h.kind),
            "certainty" => Some(&mut h.certainty),
            "carries" => Some(&mut h.carries),
            _ => None,
        };
        match slot {
            Some(s) if s.is_some() => {
                return Err(Box::new(
                    Diagnostic::error(
                        format!(
                            "the header names the {} column twice (or two names for it)",
                            shown(name.as_bytes())
                        ),
                        Some(span),
                        "second one",
                    )
                    .with_help(
                        "keep one column per role: from, to, time, id, kind, certainty, carries",
                    ),
                ));
            }
            Some(s) => *s = Some(k),
            None => {
                ignored += 1;
                if ignored <= MAX_IGNORED_SHOWN {
                    let what = if v.is_empty() {
                        format!("column {} has no name; it is ignored", k + 1)
                    } else {
                        format!(
                            "column {} is not one grapevine reads; it is ignored",
                            shown(v)
                        )
                    };
                    warnings.push(Diagnostic::warning(what, Some(span), "ignored").with_help(
                        "the columns read are from, to, time, id, kind, certainty and carries",
                    ));
                } else if ignored == MAX_IGNORED_SHOWN + 1 {
                    // Counted below, once the header is read.
                    warnings.push(Diagnostic::warning(String::new(), Some(span), "and more"));
                }
            }
        }
    }
    if ignored > MAX_IGNORED_SHOWN {
        let more = ignored - MAX_IGNORED_SHOWN;
        if let Some(last) = warnings.last_mut() {
            last.message = format!(
                "and {} more column{} that grapevine does not read; {} ignored",
                thousands(more as u64),
                if more == 1 { "" } else { "s" },
                if more == 1 { "it is" } else { "they are" }
            );
            last.help =
                Some("the columns read are from, to, time, id, kind, certainty and carries".into());
        }
    }
    let missing: Vec<&str> = [("from", from), ("to", to), ("time", time)]
        .iter()
        .filter(|(_, v)| v.is_none())
        .map(|(n, _)| *n)
        .collect();
    match (from, to, time) {
        (Some(f), Some(t), Some(ti)) => {
            h.from = f;
            h.to = t;
            h.time = ti;
            Ok((h, warnings))
        }
        _ => Err(Box::new(Diagnostic::error(
            format!(
                "the header line has no {} column",
                missing.join(" and no ")
            ),
            Some(0..row.len().max(1)),
            "the header",
        )
        .with_help(
            "the first line names the columns: from,to,time (also accepted: src,dst,t; source,target,timestamp; sender,recipient,date), optionally id, kind, certainty, carries",
        ))),
    }
}
