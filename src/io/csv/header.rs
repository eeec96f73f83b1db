//! The header line: which column is which.

use std::ops::Range;

use crate::diagnostic::Diagnostic;

use super::fields::{split_fields, Field, Header};
use super::problem::{shown, thousands};
use super::{MAX_COLUMNS, MAX_IGNORED_SHOWN};

pub(super) const FROM_NAMES: [&str; 4] = ["from", "src", "source", "sender"];
pub(super) const TO_NAMES: [&str; 4] = ["to", "dst", "target", "recipient"];
pub(super) const TIME_NAMES: [&str; 4] = ["time", "t", "timestamp", "date"];

/// The columns the header line names, and its warnings (ignored columns).
pub(super) fn parse_header(
    row: &[u8],
    has_quote: bool,
) -> Result<(Header, Vec<Diagnostic>), Box<Diagnostic>> {
    let (fields, owned) = split_header(row, has_quote)?;
    let mut h = Header {
        width: fields.len(),
        ..Header::default()
    };
    let (mut from, mut to, mut time) = (None, None, None);
    let mut ignored = Ignored::default();
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
            None => ignored.add(k, v, span),
        }
    }
    let warnings = ignored.warnings();
    match (from, to, time) {
        (Some(f), Some(t), Some(ti)) => {
            h.from = f;
            h.to = t;
            h.time = ti;
            Ok((h, warnings))
        }
        _ => Err(missing_columns(row, [from, to, time])),
    }
}

/// The header's fields (and the bytes of its unquoted values), at most
/// [`MAX_COLUMNS`].
fn split_header(row: &[u8], has_quote: bool) -> Result<(Vec<Field>, Vec<u8>), Box<Diagnostic>> {
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
    Ok((fields, owned))
}

/// The columns grapevine does not read: the first few named in warnings,
/// the rest counted in one more.
#[derive(Default)]
struct Ignored {
    count: usize,
    warnings: Vec<Diagnostic>,
}

impl Ignored {
    /// Column `k`, named `v`, at `span` in the header.
    fn add(&mut self, k: usize, v: &[u8], span: Range<usize>) {
        self.count += 1;
        if self.count <= MAX_IGNORED_SHOWN {
            let what = if v.is_empty() {
                format!("column {} has no name; it is ignored", k + 1)
            } else {
                format!(
                    "column {} is not one grapevine reads; it is ignored",
                    shown(v)
                )
            };
            self.warnings.push(
                Diagnostic::warning(what, Some(span), "ignored").with_help(
                    "the columns read are from, to, time, id, kind, certainty and carries",
                ),
            );
        } else if self.count == MAX_IGNORED_SHOWN + 1 {
            // Counted below, once the header is read.
            self.warnings
                .push(Diagnostic::warning(String::new(), Some(span), "and more"));
        }
    }

    /// The warnings, the last one counting the columns not named.
    fn warnings(mut self) -> Vec<Diagnostic> {
        if self.count > MAX_IGNORED_SHOWN {
            let more = self.count - MAX_IGNORED_SHOWN;
            if let Some(last) = self.warnings.last_mut() {
                last.message = format!(
                    "and {} more column{} that grapevine does not read; {} ignored",
                    thousands(more as u64),
                    if more == 1 { "" } else { "s" },
                    if more == 1 { "it is" } else { "they are" }
                );
                last.help = Some(
                    "the columns read are from, to, time, id, kind, certainty and carries".into(),
                );
            }
        }
        self.warnings
    }
}

/// The error of a header without some of `from`, `to` and `time` (their
/// columns, in that order).
fn missing_columns(row: &[u8], found: [Option<usize>; 3]) -> Box<Diagnostic> {
    let missing: Vec<&str> = ["from", "to", "time"]
        .iter()
        .zip(found)
        .filter(|(_, v)| v.is_none())
        .map(|(n, _)| *n)
        .collect();
    Box::new(Diagnostic::error(
        format!(
            "the header line has no {} column",
            missing.join(" and no ")
        ),
        Some(0..row.len().max(1)),
        "the header",
    )
    .with_help(
        "the first line names the columns: from,to,time (also accepted: src,dst,t; source,target,timestamp; sender,recipient,date), optionally id, kind, certainty, carries",
    ))
}
