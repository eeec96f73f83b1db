//! The time column: integer Unix seconds, fast ISO 8601, and every other
//! time expression of the format.

use jiff::tz::TimeZone;

use crate::diagnostic::Diagnostic;
use crate::model::time::{MAX_SECOND, MIN_SECOND};
use crate::model::TimeExpr;

use super::fields::Header;
use super::problem::{shorten, shown, thousands};
use super::{NO_LOWER, NO_UPPER};

/// A row's time.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct RowTime {
    pub(super) lo: i64,
    pub(super) hi: i64,
    /// The text, kept when the time is not one exact second or has a flag.
    pub(super) text: Option<String>,
    /// How it is written.
    pub(super) form: Form,
}

/// How a time is written: for the warning about a column that mixes forms.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub(super) enum Form {
    /// Empty.
    #[default]
    None,
    /// Integer Unix seconds.
    Unix,
    /// A year, a date, a time expression.
    Written,
}

/// How many good rows write their time each way, and the first of each
/// (line, row text, span of the time in it).
#[derive(Debug, Clone, Default)]
pub(super) struct Forms {
    pub(super) unix: (usize, Option<(u32, String)>),
    pub(super) written: (usize, Option<(u32, String)>),
}

impl Forms {
    /// Counts a good row on `line` (of text `row`).
    #[inline]
    pub(super) fn add(&mut self, form: Form, line: u32, row: &[u8]) {
        let slot = match form {
            Form::None => return,
            Form::Unix => &mut self.unix,
            Form::Written => &mut self.written,
        };
        slot.0 += 1;
        if slot.1.is_none() {
            slot.1 = Some((line, shorten(row)));
        }
    }

    /// Adds the counts of a later part whose first line is `base`.
    pub(super) fn append(&mut self, other: &Forms, base: u32) {
        for (a, b) in [
            (&mut self.unix, &other.unix),
            (&mut self.written, &other.written),
        ] {
            a.0 += b.0;
            if a.1.is_none() {
                a.1 =
                    b.1.as_ref()
                        .map(|(l, t)| (base.saturating_add(*l), t.clone()));
            }
        }
    }

    /// One warning when both forms occur: at the first row of the rarer
    /// form (the later one on a tie), with both counts.
    pub(super) fn warning(&self, header: &Header) -> Option<(u32, String, Diagnostic)> {
        let (Some(u), Some(w)) = (&self.unix.1, &self.written.1) else {
            return None;
        };
        let (nu, nw) = (self.unix.0, self.written.0);
        let at = if nu < nw || (nu == nw && u.0 > w.0) {
            u
        } else {
            w
        };
        let rows = |n: usize| {
            format!(
                "{} row{}",
                thousands(n as u64),
                if n == 1 { "" } else { "s" }
            )
        };
        let message = format!(
            "column {} mixes Unix seconds ({}, the first on line {}) with written dates or years ({}, the first on line {})",
            shown(header.names[header.time].as_bytes()),
            rows(nu),
            u.0,
            rows(nw),
            w.0
        );
        Some((
            at.0,
            at.1.clone(),
            Diagnostic::warning(message, Some(0..at.1.len().max(1)), "this row")
                .with_help("a bare integer of at most 4 digits is a year (2016), of 5 or more digits Unix seconds (1474329600): check that each row means what it says"),
        ))
    }
}

pub(super) fn days_from_civil(y: i64, m: i64, d: i64) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = if y >= 0 { y } else { y - 399 } / 400;
    let yoe = y - era * 400;
    let mp = (m + 9) % 12;
    let doy = (153 * mp + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

pub(super) fn digits(s: &[u8]) -> Option<i64> {
    let mut v: i64 = 0;
    for &b in s {
        if !b.is_ascii_digit() {
            return None;
        }
        v = v * 10 + i64::from(b - b'0');
    }
    Some(v)
}

/// `YYYY-MM-DDTHH:MM:SS` with `Z`, `±HH:MM` or nothing (UTC): the common
/// exact form, read without allocating. `None` for anything else (the full
/// parser then reads it or says what is wrong).
pub(super) fn fast_iso(s: &[u8]) -> Option<i64> {
    if s.len() < 19 || s[4] != b'-' || s[7] != b'-' || s[10] != b'T' || s[13] != b':' {
        return None;
    }
    if s[16] != b':' {
        return None;
    }
    let y = digits(&s[0..4])?;
    let mo = digits(&s[5..7])?;
    let d = digits(&s[8..10])?;
    let h = digits(&s[11..13])?;
    let mi = digits(&s[14..16])?;
    let se = digits(&s[17..19])?;
    let dim = match mo {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if (y % 4 == 0 && y % 100 != 0) || y % 400 == 0 => 29,
        2 => 28,
        _ => return None,
    };
    if d < 1 || d > dim || h > 23 || mi > 59 || se > 59 {
        return None;
    }
    let offset = match &s[19..] {
        b"" | b"Z" => 0,
        [sign @ (b'+' | b'-'), a, b, b':', c, d] => {
            let oh = digits(&[*a, *b])?;
            let om = digits(&[*c, *d])?;
            if oh > 23 || om > 59 {
                return None;
            }
            let o = oh * 3600 + om * 60;
            if *sign == b'-' {
                -o
            } else {
                o
            }
        }
        _ => return None,
    };
    Some(days_from_civil(y, mo, d) * 86_400 + h * 3600 + mi * 60 + se - offset)
}

/// The help for a time out of range.
fn range_help() -> String {
    format!(
        "times run from year 0001 to 9998 (Unix seconds {} to {}); leave the field empty when the date is unknown",
        MIN_SECOND, MAX_SECOND
    )
}

/// Whether second `t` is one a time may hold.
#[inline]
fn in_range(t: i64) -> bool {
    (MIN_SECOND..=MAX_SECOND).contains(&t)
}

/// Reads a time field (see the module docs, "Times"). The error's message
/// and help quote the field escaped.
pub(super) fn parse_time(s: &[u8]) -> Result<RowTime, (String, String)> {
    if s.is_empty() {
        // Unknown date: any time, as an event without `time` in a story.
        return Ok(RowTime {
            lo: NO_LOWER,
            hi: NO_UPPER,
            text: Some(String::new()),
            form: Form::None,
        });
    }
    let (negative, body) = match s {
        [b'-', rest @ ..] => (true, rest),
        _ => (false, s),
    };
    // One pass over the digits (18 fit an i64); longer runs of digits are
    // out of range.
    let number = match body.len() {
        1..=18 => digits(body),
        0 => None,
        _ => body.iter().all(u8::is_ascii_digit).then_some(i64::MAX),
    };
    if let Some(v) = number {
        if body.len() >= 5 {
            // Unix seconds.
            let t = Some(if negative { -v } else { v }).filter(|&t| in_range(t));
            let Some(t) = t else {
                return Err((
                    format!("{} is out of range as Unix seconds", shown(s)),
                    range_help(),
                ));
            };
            return Ok(RowTime {
                lo: t,
                hi: t,
                text: None,
                form: Form::Unix,
            });
        }
        if negative || body.len() < 4 {
            return Err((
                format!(
                    "{} is neither a year (4 digits) nor Unix seconds (at least 5 digits)",
                    shown(s)
                ),
                "write a year with 4 digits (2016), a date (2016-09-20), or Unix seconds with at least 5 digits (1474329600; 00000 is 1970-01-01T00:00:00Z)".into(),
            ));
        }
        // Four digits: a year, read below as a time expression.
    }
    if let Some(t) = fast_iso(s) {
        if !in_range(t) {
            return Err((format!("{} is out of range", shown(s)), range_help()));
        }
        return Ok(RowTime {
            lo: t,
            hi: t,
            text: None,
            form: Form::Written,
        });
    }
    let text = std::str::from_utf8(s).map_err(|_| {
        (
            format!("{} is not UTF-8 text", shown(s)),
            "save the file as UTF-8".to_string(),
        )
    })?;
    if text.len() > 100 {
        return Err((
            format!("{} is not a time ({} bytes)", shown(s), thousands(text.len() as u64)),
            "write a year (2016), a date (2016-09-20), a time (2016-09-20T14:05:30Z), an interval A/B or integer Unix seconds".into(),
        ));
    }
    match TimeExpr::parse(text, &TimeZone::UTC) {
        Ok(t) => {
            let iv = t.interval();
            if !iv.lo.is_none_or(in_range) || !iv.hi.is_none_or(in_range) {
                return Err((format!("{} is out of range", shown(s)), range_help()));
            }
            let (lo, hi) = (iv.lo_or_min(), iv.hi_or_max());
            let flagged = t.approximate() || t.uncertain();
            Ok(RowTime {
                lo,
                hi,
                text: (lo != hi || flagged).then(|| text.to_string()),
                form: Form::Written,
            })
        }
        Err(e) => {
            let message = crate::diagnostic::visible(&e.message);
            let quoted = format!("`{}`", crate::diagnostic::visible(text));
            Err((
                if message.contains(&quoted) {
                    message
                } else {
                    format!("{} is not a time: {message}", shown(s))
                },
                format!(
                    "write a year (2016), integer Unix seconds (1474329600) or a time expression; {}",
                    crate::diagnostic::visible(&e.help)
                ),
            ))
        }
    }
}
