//! Time arguments (`--since`, `--until`, `--between`), checked when the
//! command line is read, before any input is loaded: a mistyped date on a
//! 10^7-row corpus is reported at once, not after the load.

use crate::model::time::{MAX_SECOND, MIN_SECOND};
use crate::TimeExpr;
use jiff::tz::TimeZone;

/// A time flag's value: a time expression, or Unix seconds (5 or more
/// digits, as in a CSV's time column), which become that second in UTC.
/// Only the syntax is checked here (in UTC); the story's zone applies when
/// the query runs.
pub fn time_arg(text: &str) -> Result<String, String> {
    checked(text).map(|(text, _)| text)
}

/// [`time_arg`] for `--until`, which also needs an end.
pub fn until_arg(text: &str) -> Result<String, String> {
    let (text, t) = checked(text)?;
    if t.interval().hi.is_none() {
        return Err(format!(
            "{} is open at its end, so it has no last second\n  help: give a date or a closed span (2016-11-08, 2016-09-20/2016-11-08)",
            crate::diagnostic::quote(&text)
        ));
    }
    Ok(text)
}

/// The value as an expression, and the expression read in UTC.
fn checked(text: &str) -> Result<(String, TimeExpr), String> {
    let text = unix_as_expression(text)?;
    let t = TimeExpr::parse(&text, &TimeZone::UTC)
        .map_err(|e| format!("{}\n  help: {}", e.message, e.help))?;
    Ok((text, t))
}

/// `1474329600` as `2016-09-20T00:00:00Z`; anything else unchanged.
fn unix_as_expression(text: &str) -> Result<String, String> {
    let digits = text.strip_prefix('-').unwrap_or(text);
    if digits.len() < 5 || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return Ok(text.to_string());
    }
    let second = text
        .parse::<i64>()
        .ok()
        .filter(|s| (MIN_SECOND..=MAX_SECOND).contains(s))
        .and_then(|s| jiff::Timestamp::from_second(s).ok());
    match second {
        Some(t) => Ok(t.strftime("%Y-%m-%dT%H:%M:%SZ").to_string()),
        None => Err(format!(
            "{} is out of range as Unix seconds\n  help: times run from year 0001 to 9998 (Unix seconds -62135596800 to 253370764799)",
            crate::diagnostic::quote(text)
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unix_seconds_are_utc_seconds_and_years_stay_years() {
        assert_eq!(time_arg("1474329600").unwrap(), "2016-09-20T00:00:00Z");
        assert_eq!(time_arg("2016").unwrap(), "2016");
        assert_eq!(time_arg("00000").unwrap(), "1970-01-01T00:00:00Z");
        assert!(time_arg("999999999999999").is_err());
        assert!(time_arg("2016-13-01").is_err());
        assert!(until_arg("2016-09-20/..").is_err());
        assert_eq!(until_arg("2016-09").unwrap(), "2016-09");
    }
}
