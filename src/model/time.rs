//! Time expressions: the subset of ISO 8601 / EDTF that format 1 accepts.
//!
//! Every expression stands for a closed interval of instants `[lo, hi]` in whole
//! UTC seconds. A day is the whole day in the story's time zone; a month or year
//! likewise. An open end (`..`) is unbounded. The original text is kept for
//! display and for lossless saving.

mod hints;

use std::fmt;

use jiff::civil::{Date, DateTime, Time};
use jiff::tz::{AmbiguousOffset, Offset, TimeZone};
use jiff::Timestamp;
use serde::Serialize;

/// How finely a time point was written.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Precision {
    /// `2016`
    Year,
    /// `2016-09`
    Month,
    /// `2016-09-20`
    Day,
    /// `2016-09-20T14:05`
    Minute,
    /// `2016-09-20T14:05:30`
    Second,
}

/// One end of a time expression, as written: `2016-09-20`, `2016-10-12T14:05Z~`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TimePoint {
    /// First second covered by the point (UTC Unix seconds).
    pub lo: i64,
    /// Last second covered by the point (UTC Unix seconds).
    pub hi: i64,
    /// How finely it was written.
    pub precision: Precision,
    /// `~` suffix: approximate.
    pub approximate: bool,
    /// `?` suffix: uncertain.
    pub uncertain: bool,
}

/// A closed interval of instants in whole UTC seconds; `None` is an open end.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub struct Interval {
    /// Earliest possible instant, or `None` for no lower bound.
    pub lo: Option<i64>,
    /// Latest possible instant, or `None` for no upper bound.
    pub hi: Option<i64>,
}

impl Interval {
    /// The interval of any time at all: no bound on either side.
    pub const ANY: Interval = Interval { lo: None, hi: None };

    /// Lower bound as a number, with `i64::MIN` for "no bound".
    pub fn lo_or_min(&self) -> i64 {
        self.lo.unwrap_or(i64::MIN)
    }

    /// Upper bound as a number, with `i64::MAX` for "no bound".
    pub fn hi_or_max(&self) -> i64 {
        self.hi.unwrap_or(i64::MAX)
    }

    /// True when both ends are the same second.
    pub fn is_exact(&self) -> bool {
        matches!((self.lo, self.hi), (Some(a), Some(b)) if a == b)
    }
}

/// A parsed time expression with its original text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TimeExpr {
    /// The text exactly as written in the file.
    pub text: String,
    /// The start point; `None` for an open start (`../B`).
    pub start: Option<TimePoint>,
    /// The end point; `None` for an open end (`A/..`). Equal to `start` for a
    /// single point.
    pub end: Option<TimePoint>,
    /// True when written as `A/B`.
    pub is_range: bool,
}

/// Why a time expression could not be read. The message quotes nothing; the
/// caller adds the text and its location.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TimeError {
    /// What is wrong, in plain words.
    pub message: String,
    /// How to fix it.
    pub help: String,
}

impl fmt::Display for TimeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for TimeError {}

fn err(message: impl Into<String>, help: impl Into<String>) -> TimeError {
    TimeError {
        message: message.into(),
        help: help.into(),
    }
}

/// The first second a time can stand for: 0001-01-01T00:00:00Z.
///
/// Years are written from 0001 to 9998 in every form (a year, a month, a
/// day, a time of day), and every instant a time expression stands for,
/// whatever the zone or offset it is read in, must lie within
/// [`MIN_SECOND`]..=[`MAX_SECOND`]: the years 0001 to 9998 in UTC. It is the
/// range that every form and every offset can express (the underlying
/// calendar stops at 9999, and an offset of up to ±17:59 moves a time by
/// less than a day), and the one the CSV reader enforces too. A time outside
/// it (`0000`, `9999-01-01`, `0001-01-01T00:30+01:00`, or `0001` read in a
/// zone east of UTC) is an error that says the range.
pub const MIN_SECOND: i64 = -62_135_596_800;

/// The last second a time can stand for: 9998-12-31T23:59:59Z. See
/// [`MIN_SECOND`].
pub const MAX_SECOND: i64 = 253_370_764_799;

/// Help for a time outside [`MIN_SECOND`]..=[`MAX_SECOND`].
const RANGE_HELP: &str =
    "times run from 0001-01-01T00:00:00Z to 9998-12-31T23:59:59Z: years 0001 to 9998, in UTC";

const FORMS_HELP: &str = "write a year (2016), a month (2016-09), a day (2016-09-20), a minute (2016-09-20T14:05) or a second (2016-09-20T14:05:30), optionally with an offset (Z, -04:00), an interval A/B, or an open end (2016-09-20/.., ../2017-11-13)";

impl TimeExpr {
    /// Parses `text` in time zone `tz` (used for points written without an offset).
    ///
    /// ```
    /// use grapevine::TimeExpr;
    /// let tz = jiff::tz::TimeZone::UTC;
    /// let t = TimeExpr::parse("2016-09-20/..", &tz).unwrap();
    /// assert_eq!(t.interval().lo, Some(1474329600));
    /// assert_eq!(t.interval().hi, None);
    /// ```
    ///
    /// A text written the way dates are often written elsewhere (`Sept 20,
    /// 2016`, `20/09/2016`, `2016-09-20T10:00 EST`) gets an error that
    /// proposes the format 1 form (`2016-09-20`, `2016-09-20T10:00-05:00`).
    pub fn parse(text: &str, tz: &TimeZone) -> Result<TimeExpr, TimeError> {
        TimeExpr::parse_strict(text, tz).map_err(|e| hints::hint(text, tz).unwrap_or(e))
    }

    /// [`TimeExpr::parse`] without the hints.
    fn parse_strict(text: &str, tz: &TimeZone) -> Result<TimeExpr, TimeError> {
        if text.is_empty() {
            return Err(err(
                "the time is empty",
                "leave the field out when the date is unknown, or ".to_string() + FORMS_HELP,
            ));
        }
        if text.trim() != text {
            return Err(err("the time has spaces around it", "remove the spaces"));
        }
        let parts: Vec<&str> = text.split('/').collect();
        match parts.as_slice() {
            [single] => {
                if *single == ".." {
                    return Err(err(
                        "`..` alone is not a time",
                        "leave the field out when the date is unknown",
                    ));
                }
                let p = parse_point(single, tz)?;
                Ok(TimeExpr {
                    text: text.to_string(),
                    start: Some(p.clone()),
                    end: Some(p),
                    is_range: false,
                })
            }
            [a, b] => {
                let start = if *a == ".." {
                    None
                } else {
                    Some(parse_point(a, tz)?)
                };
                let end = if *b == ".." {
                    None
                } else {
                    Some(parse_point(b, tz)?)
                };
                if start.is_none() && end.is_none() {
                    return Err(err(
                        "an interval open at both ends says nothing",
                        "leave the field out when the date is unknown",
                    ));
                }
                if let (Some(s), Some(e)) = (&start, &end) {
                    if e.hi < s.lo {
                        return Err(err(
                            format!("the interval ends (`{b}`) before it starts (`{a}`)"),
                            "swap the two ends, or correct the one that is wrong",
                        ));
                    }
                }
                Ok(TimeExpr {
                    text: text.to_string(),
                    start,
                    end,
                    is_range: true,
                })
            }
            _ => Err(err("a time has at most one `/`", FORMS_HELP)),
        }
    }

    /// The interval `[lo, hi]` the expression stands for.
    pub fn interval(&self) -> Interval {
        Interval {
            lo: self.start.as_ref().map(|p| p.lo),
            hi: self.end.as_ref().map(|p| p.hi),
        }
    }

    /// True when either end carries `~` (approximate).
    pub fn approximate(&self) -> bool {
        self.start
            .iter()
            .chain(self.end.iter())
            .any(|p| p.approximate)
    }

    /// True when either end carries `?` (uncertain).
    pub fn uncertain(&self) -> bool {
        self.start
            .iter()
            .chain(self.end.iter())
            .any(|p| p.uncertain)
    }
}

impl fmt::Display for TimeExpr {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.text)
    }
}

fn digits(s: &str, n: usize, what: &str) -> Result<i64, TimeError> {
    if s.len() != n || !s.bytes().all(|b| b.is_ascii_digit()) {
        return Err(err(
            format!("the {what} `{s}` is not {n} digits"),
            FORMS_HELP,
        ));
    }
    s.parse::<i64>()
        .map_err(|_| err(format!("the {what} `{s}` is not a number"), FORMS_HELP))
}

/// English month names, January first.
pub const MONTHS: [&str; 12] = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];

fn parse_point(text: &str, tz: &TimeZone) -> Result<TimePoint, TimeError> {
    let (body, approximate, uncertain) = qualifiers(text);
    let (date_part, time_part) = match body.split_once('T') {
        Some((d, t)) => (d, Some(t)),
        None => (body, None),
    };
    let date = DateFields::parse(date_part, body)?;
    if time_part.is_some() && date.day.is_none() {
        return Err(err(
            "a time of day needs a full date before the `T`",
            "write the day too, e.g. 2016-09-20T14:05",
        ));
    }
    let (lo, hi, precision) = match time_part {
        None => date.whole(tz)?,
        Some(time_text) => date.at(time_text, tz)?,
    };
    in_range(lo, hi)?;
    Ok(TimePoint {
        lo,
        hi,
        precision,
        approximate,
        uncertain,
    })
}

/// A point's text without its qualifiers (`~` approximate, `?` uncertain,
/// `%` both, in any order at its end), and whether it is approximate and
/// uncertain.
fn qualifiers(text: &str) -> (&str, bool, bool) {
    let mut body = text;
    let (mut approximate, mut uncertain) = (false, false);
    loop {
        if let Some(rest) = body.strip_suffix('~') {
            approximate = true;
            body = rest;
        } else if let Some(rest) = body.strip_suffix('?') {
            uncertain = true;
            body = rest;
        } else if let Some(rest) = body.strip_suffix('%') {
            approximate = true;
            uncertain = true;
            body = rest;
        } else {
            return (body, approximate, uncertain);
        }
    }
}

/// The date of a point as written: a year, and maybe its month and day.
struct DateFields {
    year: i64,
    month: Option<i64>,
    day: Option<i64>,
}

impl DateFields {
    /// Reads `YYYY`, `YYYY-MM` or `YYYY-MM-DD` (`body` is the point, for
    /// messages).
    fn parse(date_part: &str, body: &str) -> Result<DateFields, TimeError> {
        let fields: Vec<&str> = date_part.split('-').collect();
        if fields.is_empty()
            || fields.len() > 3
            || fields[0].is_empty()
            || !fields.iter().all(|f| f.bytes().all(|b| b.is_ascii_digit()))
        {
            return Err(err(
                format!("`{body}` is not a date written as YYYY, YYYY-MM or YYYY-MM-DD"),
                FORMS_HELP,
            ));
        }
        let year = digits(fields[0], 4, "year")?;
        if !(1..=9998).contains(&year) {
            return Err(err(
                format!("the year {year:04} is out of range"),
                RANGE_HELP,
            ));
        }
        let month = match fields.get(1) {
            Some(m) => {
                let m = digits(m, 2, "month")?;
                if !(1..=12).contains(&m) {
                    return Err(err(
                        format!("there is no month {m}"),
                        "months run from 01 to 12",
                    ));
                }
                Some(m)
            }
            None => None,
        };
        let day = match fields.get(2) {
            Some(d) => {
                let d = digits(d, 2, "day")?;
                let m = month.unwrap_or(1);
                let last = days_in_month(year, m);
                if d < 1 || d > last {
                    let leap = if m == 2 {
                        format!(" in {year}")
                    } else {
                        String::new()
                    };
                    return Err(err(
                        format!("{} has {last} days{leap}", MONTHS[(m - 1) as usize]),
                        format!("days of this month run from 01 to {last}"),
                    ));
                }
                Some(d)
            }
            None => None,
        };
        Ok(DateFields { year, month, day })
    }

    /// The calendar date (the first month and day when not written).
    fn date(&self) -> Result<Date, TimeError> {
        Date::new(
            self.year as i16,
            self.month.unwrap_or(1) as i8,
            self.day.unwrap_or(1) as i8,
        )
        .map_err(|e| err(format!("not a calendar date: {e}"), FORMS_HELP))
    }

    /// The whole year, month or day in `tz`: its first and last second.
    fn whole(&self, tz: &TimeZone) -> Result<(i64, i64, Precision), TimeError> {
        let start = self.date()?;
        let (precision, next) = match (self.month, self.day) {
            (None, _) => (
                Precision::Year,
                start.checked_add(jiff::Span::new().years(1)),
            ),
            (Some(_), None) => (
                Precision::Month,
                start.checked_add(jiff::Span::new().months(1)),
            ),
            (Some(_), Some(_)) => (Precision::Day, start.checked_add(jiff::Span::new().days(1))),
        };
        let next = next.map_err(|_| err("the date is out of range", RANGE_HELP))?;
        let lo = civil_seconds(start.to_datetime(Time::midnight()), tz)?;
        let hi = civil_seconds(next.to_datetime(Time::midnight()), tz)? - 1;
        if hi < lo {
            return Err(skipped_day(start, tz));
        }
        Ok((lo, hi, precision))
    }

    /// The minute or second `time_text` (a time of day with an optional
    /// offset, else in `tz`) of the day: its first and last second.
    fn at(&self, time_text: &str, tz: &TimeZone) -> Result<(i64, i64, Precision), TimeError> {
        let (clock, offset) = split_offset(time_text)?;
        let (hour, minute, second) = clock_fields(clock)?;
        let dt = self.date()?.to_datetime(
            Time::new(hour as i8, minute as i8, second.unwrap_or(0) as i8, 0)
                .map_err(|e| err(e.to_string(), FORMS_HELP))?,
        );
        let lo = match offset {
            Some(off) => off
                .to_timestamp(dt)
                .map_err(|e| err(format!("the time is out of range: {e}"), FORMS_HELP))?
                .as_second(),
            None => {
                if let AmbiguousOffset::Gap { before, after } =
                    tz.to_ambiguous_timestamp(dt).offset()
                {
                    return Err(gap_time(dt, tz, before, after));
                }
                civil_seconds(dt, tz)?
            }
        };
        Ok(if second.is_some() {
            (lo, lo, Precision::Second)
        } else {
            (lo, lo + 59, Precision::Minute)
        })
    }
}

/// The hour, minute and (when written) second of `HH:MM[:SS]`.
fn clock_fields(clock: &str) -> Result<(i64, i64, Option<i64>), TimeError> {
    let clock_fields: Vec<&str> = clock.split(':').collect();
    if clock_fields.len() < 2 || clock_fields.len() > 3 {
        return Err(err(
            format!("`{clock}` is not a time of day"),
            "write hours and minutes, e.g. T14:05 or T14:05:30",
        ));
    }
    let hour = digits(clock_fields[0], 2, "hour")?;
    let minute = digits(clock_fields[1], 2, "minute")?;
    let second = match clock_fields.get(2) {
        Some(s) => Some(digits(s, 2, "second")?),
        None => None,
    };
    if hour > 23 {
        return Err(err(
            format!("there is no hour {hour}"),
            "hours run from 00 to 23",
        ));
    }
    if minute > 59 {
        return Err(err(
            format!("there is no minute {minute}"),
            "minutes run from 00 to 59",
        ));
    }
    if second.is_some_and(|s| s > 59) {
        return Err(err(
            format!("there is no second {}", second.unwrap_or(0)),
            "seconds run from 00 to 59",
        ));
    }
    Ok((hour, minute, second))
}

/// Checks that a point's seconds lie within [`MIN_SECOND`]..=[`MAX_SECOND`]
/// (a zone or an offset can move the first or last year out of it).
fn in_range(lo: i64, hi: i64) -> Result<(), TimeError> {
    if lo < MIN_SECOND {
        return Err(err(
            format!(
                "the time starts at {}, before 0001-01-01T00:00:00Z",
                rfc3339(lo)
            ),
            RANGE_HELP,
        ));
    }
    if hi > MAX_SECOND {
        return Err(err(
            format!(
                "the time ends at {}, after 9998-12-31T23:59:59Z",
                rfc3339(hi)
            ),
            RANGE_HELP,
        ));
    }
    Ok(())
}

fn split_offset(t: &str) -> Result<(&str, Option<Offset>), TimeError> {
    if let Some(clock) = t.strip_suffix('Z') {
        return Ok((clock, Some(Offset::UTC)));
    }
    if let Some(pos) = t.rfind(['+', '-']) {
        let (clock, off) = t.split_at(pos);
        let sign: i32 = if off.starts_with('-') { -1 } else { 1 };
        let hm = &off[1..];
        let (h, m) = match hm.split_once(':') {
            Some((h, m)) => (h, m),
            None if hm.len() == 4 => hm.split_at(2),
            None => (hm, "00"),
        };
        let h = digits(h, 2, "offset hour")?;
        let m = digits(m, 2, "offset minute")?;
        if h > 17 || m > 59 {
            return Err(err(
                format!("the offset `{off}` is out of range"),
                "offsets run from -17:59 to +17:59",
            ));
        }
        let secs = sign * (h as i32 * 3600 + m as i32 * 60);
        let offset = Offset::from_seconds(secs)
            .map_err(|_| err(format!("the offset `{off}` is out of range"), FORMS_HELP))?;
        return Ok((clock, Some(offset)));
    }
    Ok((t, None))
}

/// An offset as `+14:00`, `-05:00`.
fn offset_text(o: Offset) -> String {
    let s = o.seconds();
    let sign = if s < 0 { '-' } else { '+' };
    let a = s.unsigned_abs();
    format!("{sign}{:02}:{:02}", a / 3600, a / 60 % 60)
}

/// The zone's name for messages.
fn zone_name(tz: &TimeZone) -> String {
    tz.iana_name()
        .map_or_else(|| "the story's time zone".to_string(), |n| format!("`{n}`"))
}

/// The error for a day the zone skipped (`2011-12-30` in `Pacific/Apia`,
/// which went from UTC-10:00 to UTC+14:00 at the end of 2011-12-29): it
/// would otherwise be an interval that ends before it starts.
fn skipped_day(day: Date, tz: &TimeZone) -> TimeError {
    let jump = match tz
        .to_ambiguous_timestamp(day.to_datetime(Time::midnight()))
        .offset()
    {
        AmbiguousOffset::Gap { before, after } => format!(
            ": its clocks jumped from UTC{} to UTC{} over it",
            offset_text(before),
            offset_text(after)
        ),
        _ => String::new(),
    };
    err(
        format!("the day {day} did not exist in {}{jump}", zone_name(tz)),
        format!(
            "check the day (the source may count it in another zone): write the day before or after, \
             or a time with the offset the source meant, e.g. {day}T12:00{}",
            match tz.to_ambiguous_timestamp(day.to_datetime(Time::midnight())).offset() {
                AmbiguousOffset::Gap { before, .. } => offset_text(before),
                _ => "Z".to_string(),
            }
        ),
    )
}

/// The error for a local time in a gap (`2016-03-13T02:30` in
/// `America/New_York`, whose clocks went from 02:00 to 03:00): no instant
/// has that local time, and picking one would be a guess.
fn gap_time(dt: DateTime, tz: &TimeZone, before: Offset, after: Offset) -> TimeError {
    let clock = dt.strftime("%Y-%m-%dT%H:%M");
    err(
        format!(
            "{clock} did not exist in {}: its clocks jumped from UTC{} to UTC{} over it",
            zone_name(tz),
            offset_text(before),
            offset_text(after)
        ),
        format!(
            "write the time with the offset the source meant: {clock}{} (the offset before the change) \
             or {clock}{} (after it)",
            offset_text(before),
            offset_text(after)
        ),
    )
}

fn civil_seconds(dt: DateTime, tz: &TimeZone) -> Result<i64, TimeError> {
    tz.to_ambiguous_timestamp(dt)
        .compatible()
        .map(|ts| ts.as_second())
        .map_err(|e| err(format!("the time is out of range: {e}"), FORMS_HELP))
}

fn days_in_month(year: i64, month: i64) -> i64 {
    match month {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        _ if (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 => 29,
        _ => 28,
    }
}

/// Formats `seconds` in `tz` at `precision`: `2016`, `2016-09`, `2016-09-20`,
/// `2016-09-20T14:05`, `2016-09-20T14:05:30`.
pub fn format_at_precision(seconds: i64, precision: Precision, tz: &TimeZone) -> String {
    let Ok(ts) = Timestamp::from_second(seconds) else {
        return seconds.to_string();
    };
    let z = ts.to_zoned_datetime(tz.clone());
    match precision {
        Precision::Year => z.strftime("%Y").to_string(),
        Precision::Month => z.strftime("%Y-%m").to_string(),
        Precision::Day => z.strftime("%Y-%m-%d").to_string(),
        Precision::Minute => z.strftime("%Y-%m-%dT%H:%M").to_string(),
        Precision::Second => z.strftime("%Y-%m-%dT%H:%M:%S").to_string(),
    }
}

/// Formats `seconds` as RFC 3339 in UTC: `2016-09-20T04:00:00Z`.
///
/// jiff's RFC 3339 printer writes whole seconds with no fraction, the same
/// text as the `strftime` pattern `%Y-%m-%dT%H:%M:%SZ` in about a third of
/// the time (it parses no pattern): the `reach --json` of a corpus writes two
/// a row.
pub fn rfc3339(seconds: i64) -> String {
    match Timestamp::from_second(seconds) {
        Ok(ts) => ts.to_string(),
        Err(_) => seconds.to_string(),
    }
}

/// Refuses a zone name whose meaning depends on the machine: `localtime`
/// and `posixrules` (whatever zone the machine is set to), the copies of
/// the database under `posix/` and `right/` (present on some machines
/// only; `right/` counts leap seconds), an empty name and POSIX `TZ` rules
/// (`:America/New_York`, `EST5EDT,M3.2.0,M11.1.0`). A name of the IANA
/// database itself, `EST5EDT` and `Etc/GMT+5` included, is accepted.
pub fn machine_zone(name: &str) -> Option<TimeError> {
    let lower = name.to_ascii_lowercase();
    let here = || {
        TimeZone::try_system()
            .ok()
            .and_then(|z| z.iana_name().map(str::to_string))
            .filter(|n| !n.eq_ignore_ascii_case("localtime"))
            .map(|n| format!(" (this machine's is \"{n}\")"))
            .unwrap_or_default()
    };
    let (what, help) = if lower.is_empty() {
        (
            "is empty".to_string(),
            format!(
                "name a zone of the IANA database, e.g. \"UTC\" or \"America/New_York\"{}",
                here()
            ),
        )
    } else if lower == "localtime" || lower == "posixrules" {
        (
            "is the zone the machine is set to, so the story's times would mean other instants on another machine".to_string(),
            format!("name the zone the story's times are in, from the IANA database, e.g. \"America/New_York\"{}", here()),
        )
    } else if let Some(rest) = lower
        .strip_prefix("posix/")
        .or_else(|| lower.strip_prefix("right/"))
    {
        let rest = &name[name.len() - rest.len()..];
        (
            "is a copy of the database that only some machines have (`right/` zones count leap seconds)".to_string(),
            format!("write the zone's own name, \"{rest}\""),
        )
    } else if lower.starts_with(':') || lower.contains(',') {
        (
            "is a POSIX TZ rule, not a zone name".to_string(),
            format!(
                "name the zone from the IANA database, e.g. \"America/New_York\"{}",
                here()
            ),
        )
    } else {
        return None;
    };
    Some(err(format!("`{name}` {what}"), help))
}

/// Parses an IANA time zone name (`America/New_York`, `UTC`); refuses the
/// names of [`machine_zone`].
pub fn parse_timezone(name: &str) -> Result<TimeZone, TimeError> {
    if let Some(e) = machine_zone(name) {
        return Err(e);
    }
    TimeZone::get(name).map_err(|_| {
        err(
            format!("`{name}` is not an IANA time zone this build knows"),
            "use a name from the tz database, e.g. UTC, America/New_York, Europe/London",
        )
    })
}

#[cfg(test)]
mod tests;
