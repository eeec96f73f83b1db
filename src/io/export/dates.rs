//! Times as the flat formats write them: precision words, the date
//! columns, and the RFC 3339 prefixes FtM and the CSVs use (read back too).

use jiff::tz::TimeZone;

use crate::model::time::{format_at_precision, rfc3339};
use crate::model::{Precision, TimeExpr, TimePoint};

/// The word of a precision (`day`).
pub fn precision_word(p: Precision) -> &'static str {
    match p {
        Precision::Year => "year",
        Precision::Month => "month",
        Precision::Day => "day",
        Precision::Minute => "minute",
        Precision::Second => "second",
    }
}

/// A precision by its word.
pub fn precision_of_word(w: &str) -> Option<Precision> {
    Some(match w {
        "year" => Precision::Year,
        "month" => Precision::Month,
        "day" => Precision::Day,
        "minute" => Precision::Minute,
        "second" => Precision::Second,
        _ => return None,
    })
}

/// A time as the flat formats write it: each bound in RFC 3339 UTC (absent
/// when open), the precision of its start (of its end when the start is
/// open), and the expression as written.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct DateColumns {
    /// Earliest instant, `2016-09-20T04:00:00Z`.
    pub lo: Option<String>,
    /// Latest instant.
    pub hi: Option<String>,
    /// `day`, `minute`, ...
    pub precision: Option<&'static str>,
    /// The expression as written (`2016-09-20/..`).
    pub text: Option<String>,
}

impl DateColumns {
    /// The columns of a time (all absent when undated).
    pub fn of(time: Option<&TimeExpr>) -> DateColumns {
        let Some(t) = time else {
            return DateColumns::default();
        };
        let iv = t.interval();
        DateColumns {
            lo: iv.lo.map(rfc3339),
            hi: iv.hi.map(rfc3339),
            precision: t
                .start
                .as_ref()
                .or(t.end.as_ref())
                .map(|p| precision_word(p.precision)),
            text: Some(t.text.clone()),
        }
    }
}

/// A point as a date prefix (`2016`, `2016-09`, `2016-09-20`,
/// `2016-09-20T14:05`, `2016-09-20T14:05:30`): calendar dates in the
/// story's zone, times of day in UTC (as FollowTheMoney reads them).
pub fn prefix(p: &TimePoint, tz: &TimeZone) -> String {
    match p.precision {
        Precision::Year | Precision::Month | Precision::Day => {
            format_at_precision(p.lo, p.precision, tz)
        }
        Precision::Minute | Precision::Second => {
            format_at_precision(p.lo, p.precision, &TimeZone::UTC)
        }
    }
}

/// Reads a prefix written by [`prefix`] back: calendar dates in `tz`,
/// times of day in UTC. `None` when it is not one.
pub fn parse_prefix(text: &str, tz: &TimeZone) -> Option<TimeExpr> {
    if text.contains('T') {
        let t = TimeExpr::parse(&format!("{text}Z"), &TimeZone::UTC).ok()?;
        Some(TimeExpr {
            text: format!("{text}Z"),
            ..t
        })
    } else {
        TimeExpr::parse(text, tz).ok()
    }
}

/// The one prefix whose interval is exactly `[lo, hi]`, if any: a year, a
/// month, a day (in `tz`), a minute or a second (in UTC).
pub fn prefix_holding(lo: i64, hi: i64, tz: &TimeZone) -> Option<String> {
    for p in [
        Precision::Year,
        Precision::Month,
        Precision::Day,
        Precision::Minute,
        Precision::Second,
    ] {
        let point = TimePoint {
            lo,
            hi,
            precision: p,
            approximate: false,
            uncertain: false,
        };
        let text = prefix(&point, tz);
        if let Some(t) = parse_prefix(&text, tz) {
            let iv = t.interval();
            if iv.lo == Some(lo) && iv.hi == Some(hi) {
                return Some(text);
            }
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::{parse_prefix, prefix, prefix_holding, TimeExpr, TimeZone};

    #[test]
    fn prefixes() {
        let ny = TimeZone::get("America/New_York").unwrap();
        let t = TimeExpr::parse("2016-09-20", &ny).unwrap();
        let p = t.start.as_ref().unwrap();
        assert_eq!(prefix(p, &ny), "2016-09-20");
        let t = TimeExpr::parse("2016-10-12T14:05", &ny).unwrap();
        assert_eq!(prefix(t.start.as_ref().unwrap(), &ny), "2016-10-12T18:05");
        let iv = TimeExpr::parse("2016-09-01/2016-09-30", &ny)
            .unwrap()
            .interval();
        assert_eq!(
            prefix_holding(iv.lo.unwrap(), iv.hi.unwrap(), &ny).as_deref(),
            Some("2016-09")
        );
        let iv = TimeExpr::parse("2016-09-20/2016-10-12", &ny)
            .unwrap()
            .interval();
        assert_eq!(prefix_holding(iv.lo.unwrap(), iv.hi.unwrap(), &ny), None);
        let back = parse_prefix("2016-10-12T18:05", &ny).unwrap().interval();
        let orig = TimeExpr::parse("2016-10-12T14:05", &ny).unwrap().interval();
        assert_eq!(back, orig);
    }
}
