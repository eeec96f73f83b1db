//! The time column: integer Unix seconds, fast ISO 8601, and every other
//! time expression of the format.

#[allow(unused_imports)]
use super::*;

/// A row's time.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct RowTime {
    pub(super) lo: i64,
    pub(super) hi: i64,
    /// The text, kept when the time is not one exact second or has a flag.
    pub(super) text: Option<String>,
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

pub(super) fn parse_time(s: &[u8]) -> Result<RowTime, (String, String)> {
    if s.is_empty() {
        // Unknown date: any time, as an event without `time` in a story.
        return Ok(RowTime {
            lo: NO_LOWER,
            hi: NO_UPPER,
            text: Some(String::new()),
        });
    }
    let int = match s {
        [b'-', rest @ ..] if !rest.is_empty() && rest.len() <= 18 => digits(rest).map(|v| -v),
        _ if !s.is_empty() && s.len() <= 18 => digits(s),
        _ => None,
    };
    if let Some(t) = int {
        if !(MIN_TIME..=MAX_TIME).contains(&t) {
            return Err((
                "is out of range for a time".into(),
                "write Unix seconds between years -9999 and 9999".into(),
            ));
        }
        return Ok(RowTime {
            lo: t,
            hi: t,
            text: None,
        });
    }
    if let Some(t) = fast_iso(s) {
        return Ok(RowTime {
            lo: t,
            hi: t,
            text: None,
        });
    }
    let text = std::str::from_utf8(s).map_err(|_| {
        (
            "is not UTF-8 text".to_string(),
            "save the file as UTF-8".to_string(),
        )
    })?;
    match TimeExpr::parse(text, &TimeZone::UTC) {
        Ok(t) => {
            let iv = t.interval();
            let (lo, hi) = (iv.lo_or_min(), iv.hi_or_max());
            let flagged = t.approximate() || t.uncertain();
            Ok(RowTime {
                lo,
                hi,
                text: (lo != hi || flagged).then(|| text.to_string()),
            })
        }
        Err(e) => Err((
            if e.message.contains(&format!("`{text}`")) {
                e.message.clone()
            } else {
                format!("`{text}` is not a time: {}", e.message)
            },
            format!(
                "write integer Unix seconds (1474329600) or a time expression; {}",
                e.help
            ),
        )),
    }
}
