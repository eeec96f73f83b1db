//! Hints for times written the way people write dates elsewhere: in words
//! (`Sept 20, 2016`, `20 September 2016`), with the day and month in either
//! order (`20/09/2016`, `09/20/2016`, `20.09.2016`), with a space instead of
//! the `T`, or with a zone abbreviation (`2016-09-20T10:00 EST`).
//!
//! Only the error path uses them: when a text fails to parse, [`hint`] tries
//! to read it as one of these and, if it can, gives an error that proposes
//! the format 1 form, checked by parsing it. So both story files and
//! command-line flags (`--since`, `--until`) get them.

use jiff::tz::TimeZone;

use super::{err, TimeError, TimeExpr, MONTHS};

/// Zone abbreviations people write after a time, with the offset each
/// stands for, and the other zones an ambiguous one is also used for.
const ZONES: &[(&str, &str, &str)] = &[
    ("UTC", "Z", ""),
    ("GMT", "Z", ""),
    ("EST", "-05:00", ""),
    ("EDT", "-04:00", ""),
    (
        "CST",
        "-06:00",
        " (US Central; China Standard Time is +08:00)",
    ),
    ("CDT", "-05:00", ""),
    ("MST", "-07:00", ""),
    ("MDT", "-06:00", ""),
    ("PST", "-08:00", ""),
    ("PDT", "-07:00", ""),
    ("AKST", "-09:00", ""),
    ("AKDT", "-08:00", ""),
    ("HST", "-10:00", ""),
    ("AST", "-04:00", " (Atlantic)"),
    ("WET", "+00:00", ""),
    ("WEST", "+01:00", ""),
    ("BST", "+01:00", " (British Summer Time)"),
    (
        "IST",
        "+05:30",
        " (India; Irish Standard Time is +01:00, Israel's +02:00)",
    ),
    ("CET", "+01:00", ""),
    ("CEST", "+02:00", ""),
    ("EET", "+02:00", ""),
    ("EEST", "+03:00", ""),
    ("MSK", "+03:00", ""),
    ("HKT", "+08:00", ""),
    ("SGT", "+08:00", ""),
    ("JST", "+09:00", ""),
    ("KST", "+09:00", ""),
    ("AWST", "+08:00", ""),
    ("ACST", "+09:30", ""),
    ("ACDT", "+10:30", ""),
    ("AEST", "+10:00", ""),
    ("AEDT", "+11:00", ""),
    ("NZST", "+12:00", ""),
    ("NZDT", "+13:00", ""),
];

/// Words that say "about": the proposal gets the `~` flag.
const ABOUT: &[&str] = &[
    "about",
    "around",
    "circa",
    "ca",
    "c",
    "approx",
    "approximately",
    "roughly",
];

/// Words that say "part of": the whole month or year is proposed, with a
/// note about intervals.
const PART: &[&str] = &[
    "early",
    "mid",
    "late",
    "end",
    "beginning",
    "start",
    "middle",
];

/// Words that change nothing.
const FILLER: &[&str] = &[
    "of",
    "or",
    "the",
    "on",
    "in",
    "monday",
    "tuesday",
    "wednesday",
    "thursday",
    "friday",
    "saturday",
    "sunday",
    "mon",
    "tue",
    "tues",
    "wed",
    "thu",
    "thur",
    "thurs",
    "fri",
    "sat",
    "sun",
];

/// A way to read the text, in format 1.
struct Reading {
    /// The format 1 text.
    iso: String,
    /// How the text was read, for the help: "5 September 2016".
    note: String,
}

/// What was not format 1 about a point, and how it reads.
struct PointHint {
    /// Each thing that differs from format 1: "is a date in words".
    what: Vec<String>,
    /// One reading, or two when the day and month can be read either way.
    readings: Vec<Reading>,
    /// Said after the proposal: about zones, parts of a month.
    notes: Vec<String>,
}

/// An error proposing the format 1 form of `text`, when `text` is a date or
/// time written another common way; `None` otherwise.
pub(super) fn hint(text: &str, tz: &TimeZone) -> Option<TimeError> {
    let body = text.trim();
    if body.is_empty() || body.len() > 80 {
        return None;
    }
    let parsed = |iso: &str| TimeExpr::parse_strict(iso, tz);
    // A date with two slashes is one point (20/09/2016), not an interval.
    let single = point(body);
    let (what, readings, notes) = match (single, body.split_once('/')) {
        (Some(h), _) => (h.what, h.readings, h.notes),
        (None, Some((a, b))) if !b.contains('/') => {
            // An interval: each end that is not format 1 is rewritten.
            let end = |s: &str| -> Option<Option<PointHint>> {
                let s = s.trim();
                if s == ".." || parsed(s).is_ok() {
                    Some(None)
                } else {
                    // Only a single reading: an interval of two ambiguous
                    // ends would need four proposals.
                    point(s).filter(|h| h.readings.len() == 1).map(Some)
                }
            };
            let (ha, hb) = (end(a)?, end(b)?);
            if ha.is_none() && hb.is_none() {
                return None;
            }
            let first = |h: &Option<PointHint>, s: &str| match h
                .as_ref()
                .and_then(|h| h.readings.first())
            {
                Some(r) => (r.iso.clone(), r.note.clone()),
                None => (s.trim().to_string(), String::new()),
            };
            let (ia, na) = first(&ha, a);
            let (ib, nb) = first(&hb, b);
            let mut what = Vec::new();
            let mut notes = Vec::new();
            for h in [&ha, &hb].into_iter().flatten() {
                for w in &h.what {
                    if !what.contains(w) {
                        what.push(w.clone());
                    }
                }
                notes.extend(h.notes.iter().cloned());
            }
            let note = [na, nb]
                .into_iter()
                .filter(|n| !n.is_empty())
                .collect::<Vec<_>>()
                .join(" to ");
            let readings = vec![Reading {
                iso: format!("{ia}/{ib}"),
                note,
            }];
            (what, readings, notes)
        }
        _ => return None,
    };
    if readings.iter().all(|r| r.iso == text) {
        return None;
    }
    let what = what.join(" and ");
    let notes: String = notes.iter().map(|n| format!("; {n}")).collect();
    match readings.as_slice() {
        [one] => match parsed(&one.iso) {
            Ok(_) => Some(err(
                format!("`{text}` {what}; format 1 writes it {}", one.iso),
                format!("write \"{}\"{}{notes}", one.iso, paren(&one.note)),
            )),
            // It reads as a date that does not exist, or is out of range.
            Err(e) => Some(err(
                format!("`{text}` {what}; read as {}: {}", one.iso, e.message),
                e.help,
            )),
        },
        [a, b] => {
            let ok: Vec<&Reading> = [a, b]
                .into_iter()
                .filter(|r| parsed(&r.iso).is_ok())
                .collect();
            match ok.as_slice() {
                [] => None,
                [r] => Some(err(
                    format!("`{text}` {what}; format 1 writes it {}", r.iso),
                    format!("write \"{}\"{}{notes}", r.iso, paren(&r.note)),
                )),
                _ => Some(err(
                    format!(
                        "`{text}` {what}; format 1 writes it {} or {}, depending on which is the day",
                        a.iso, b.iso
                    ),
                    format!(
                        "write \"{}\" if it is day/month ({}), or \"{}\" if it is month/day ({}){notes}",
                        a.iso, a.note, b.iso, b.note
                    ),
                )),
            }
        }
        _ => None,
    }
}

fn paren(note: &str) -> String {
    if note.is_empty() {
        String::new()
    } else {
        format!(" ({note})")
    }
}

/// Reads one point written another way, if it is one.
fn point(s: &str) -> Option<PointHint> {
    let mut what = Vec::new();
    let mut notes = Vec::new();
    // A zone abbreviation at the end, after a space or right after the clock.
    let (body, zone) = split_zone(s);
    let body = body.trim_end();
    // The clock: after a `T` (either case) or a space, at the end.
    let (date, clock) = split_clock(body, &mut what)?;
    let mut readings = date_readings(date.trim(), &mut what, &mut notes)?;
    if let Some(clock) = &clock {
        if readings.iter().any(|r| r.iso.len() != 10) {
            return None;
        }
        for r in &mut readings {
            r.iso = format!("{}T{clock}", r.iso);
        }
    }
    if let Some((abbr, offset, other)) = zone {
        if clock.is_some() {
            what.push(format!("ends with the zone abbreviation {abbr}"));
            for r in &mut readings {
                r.iso.push_str(offset);
            }
            let utc = if offset == "Z" {
                "UTC".to_string()
            } else {
                format!("UTC{offset}")
            };
            notes.push(format!(
                "{abbr} is {utc}{other}; or leave the zone out to read the time in the story's \"timezone\""
            ));
        } else {
            what.push(format!("ends with the zone abbreviation {abbr}"));
            notes.push(
                "a date without a time of day is read in the story's \"timezone\", so the zone is left out"
                    .to_string(),
            );
        }
    }
    if what.is_empty() {
        return None;
    }
    Some(PointHint {
        what,
        readings,
        notes,
    })
}

/// Splits a known zone abbreviation off the end of `s`.
fn split_zone(s: &str) -> (&str, Option<(&'static str, &'static str, &'static str)>) {
    let letters = s.bytes().rev().take_while(u8::is_ascii_alphabetic).count();
    if letters == 0 || letters == s.len() {
        return (s, None);
    }
    let (body, word) = s.split_at(s.len() - letters);
    // After a space, or right after the clock's digits (10:00EST).
    if !body.ends_with(|c: char| c == ' ' || c.is_ascii_digit()) {
        return (s, None);
    }
    let upper = word.to_ascii_uppercase();
    match ZONES.iter().find(|(abbr, _, _)| *abbr == upper) {
        // A lone `Z` or a letter of a word is not an abbreviation here.
        Some(&(abbr, offset, other)) => (body, Some((abbr, offset, other))),
        None => (s, None),
    }
}

/// Splits the clock (`10:00`, `9:05:30`) off the end of a point, written
/// after a `T`, a `t` or a space; the clock comes back as format 1 writes it.
fn split_clock<'a>(s: &'a str, what: &mut Vec<String>) -> Option<(&'a str, Option<String>)> {
    let cut = s.rfind(['T', 't', ' ']);
    let Some(at) = cut else {
        return Some((s, None));
    };
    let (date, rest) = (&s[..at], &s[at + 1..]);
    let Some(clock) = clock(rest) else {
        // A `T` inside a word (`Sept`, `October`) or a space between words.
        return Some((s, None));
    };
    if date.is_empty() {
        return None;
    }
    match &s[at..=at] {
        " " if date.bytes().all(|b| b.is_ascii_digit() || b == b'-') => {
            what.push("has a space between the date and the time of day".into());
        }
        "t" => what.push("has a lower-case `t`".into()),
        _ => {}
    }
    Some((date, Some(clock)))
}

/// `10:00` → `10:00`, `9:05:30` → `09:05:30`; `None` for anything else.
fn clock(s: &str) -> Option<String> {
    let parts: Vec<&str> = s.split(':').collect();
    if !(2..=3).contains(&parts.len())
        || parts
            .iter()
            .any(|p| p.is_empty() || p.len() > 2 || !p.bytes().all(|b| b.is_ascii_digit()))
    {
        return None;
    }
    Some(
        parts
            .iter()
            .map(|p| format!("{p:0>2}"))
            .collect::<Vec<_>>()
            .join(":"),
    )
}

/// The format 1 date(s) of a date written another way.
fn date_readings(s: &str, what: &mut Vec<String>, notes: &mut Vec<String>) -> Option<Vec<Reading>> {
    if s.bytes().any(|b| b.is_ascii_alphabetic()) {
        return words(s, what, notes).map(|r| vec![r]);
    }
    let sep = s.bytes().find(|b| matches!(b, b'/' | b'.' | b'-'));
    let parts: Vec<&str> = match sep {
        Some(sep) => s.split(sep as char).collect(),
        None => vec![s],
    };
    if parts
        .iter()
        .any(|p| p.is_empty() || !p.bytes().all(|b| b.is_ascii_digit()))
    {
        return None;
    }
    let n = |p: &str| p.parse::<u32>().ok();
    let sep = sep.map_or('-', char::from);
    match parts.as_slice() {
        // Year first: 2016/09/20, 2016.09.20, 2016-9-20, 2016.09.
        [y, rest @ ..] if y.len() == 4 && (1..=2).contains(&rest.len()) => {
            if rest.iter().any(|p| p.len() > 2) {
                return None;
            }
            let iso: Vec<String> = std::iter::once(y.to_string())
                .chain(rest.iter().map(|p| format!("{p:0>2}")))
                .collect();
            let iso = iso.join("-");
            if sep != '-' {
                what.push(format!("separates year, month and day with `{sep}`"));
            } else if iso != s {
                what.push("has a month or day of one digit".into());
            }
            Some(vec![Reading {
                iso,
                note: String::new(),
            }])
        }
        // Year last: day and month in one order or the other.
        [a, b, y] if y.len() == 4 && a.len() <= 2 && b.len() <= 2 => {
            let (a, b) = (n(a)?, n(b)?);
            let year = n(y)?;
            // Day/month and month/day, when the month is one.
            let dm = || {
                Some(Reading {
                    iso: format!("{year:04}-{b:02}-{a:02}"),
                    note: format!("{a} {} {year}", month_name(b)?),
                })
            };
            let md = || {
                Some(Reading {
                    iso: format!("{year:04}-{a:02}-{b:02}"),
                    note: format!("{} {b}, {year}", month_name(a)?),
                })
            };
            let written = format!("written with `{sep}`");
            match (dm(), md()) {
                (Some(dm), None) => {
                    what.push(format!("is a day/month/year date {written}"));
                    Some(vec![Reading {
                        note: format!("{}; {a} cannot be a month, so it is the day", dm.note),
                        ..dm
                    }])
                }
                (None, Some(md)) => {
                    what.push(format!("is a month/day/year date {written}"));
                    Some(vec![Reading {
                        note: format!("{}; {b} cannot be a month, so it is the day", md.note),
                        ..md
                    }])
                }
                (Some(dm), Some(md)) => {
                    what.push(format!("is a day, month and year {written}"));
                    Some(if a == b { vec![dm] } else { vec![dm, md] })
                }
                (None, None) => None,
            }
        }
        // Month and year: 09/2016, 09.2016.
        [m, y] if y.len() == 4 && m.len() <= 2 && sep != '-' => {
            let (m, y) = (n(m)?, n(y)?);
            month_name(m)?;
            what.push(format!("is a month and year written with `{sep}`"));
            Some(vec![Reading {
                iso: format!("{y:04}-{m:02}"),
                note: String::new(),
            }])
        }
        _ => None,
    }
}

fn month_name(m: u32) -> Option<&'static str> {
    MONTHS.get((m as usize).checked_sub(1)?).copied()
}

/// A date in words: `Sept 20, 2016`, `20th of September 2016`,
/// `late September 2016`, `about May 2016`, `on or about March 21, 2016`,
/// and the spans reporters copy from documents: `summer 2016`, `mid-2017`,
/// `the week of March 21, 2016`, `Q3 2016`, `the first half of 2016`.
fn words(s: &str, what: &mut Vec<String>, notes: &mut Vec<String>) -> Option<Reading> {
    let w = tokens(s)?;
    let year = w.year?;
    what.push("is a date in words".into());
    let iso = match (w.month, w.day) {
        (Some(month), Some(day)) if w.week => week_of(year, month, day)?,
        (Some(month), Some(day)) => format!("{year:04}-{month:02}-{day:02}"),
        (Some(month), None) => match &w.part {
            Some(part) => part_of_month(year, month, part),
            None => format!("{year:04}-{month:02}"),
        },
        (None, None) => {
            let (from, to, note) = span_of_year(year, &w)?;
            if let Some(note) = note {
                notes.push(note);
            }
            if from == to {
                format!("{year:04}-{from:02}")
            } else {
                format!("{}/{}", month_text(year, from), month_text(year, to))
            }
        }
        (None, Some(_)) => return None,
    };
    let iso = if w.about {
        notes.push("`~` marks it as approximate".into());
        approximate(&iso)
    } else {
        iso
    };
    Some(Reading {
        iso,
        note: String::new(),
    })
}

/// The words of a date, read one token at a time.
#[derive(Default)]
struct Words {
    month: Option<u32>,
    day: Option<u32>,
    year: Option<u32>,
    about: bool,
    /// `early`, `mid`, `late`, ...
    part: Option<String>,
    /// `spring`, `summer`, `autumn`/`fall`, `winter`.
    season: Option<&'static str>,
    /// `q1` .. `q4`.
    quarter: Option<u32>,
    /// `first` or `second` (with `half`).
    half: Option<u32>,
    /// `the week of ...`.
    week: bool,
}

/// Reads the tokens of `s`; `None` when a token is none of the known words.
fn tokens(s: &str) -> Option<Words> {
    let mut w = Words::default();
    let mut half_word = None;
    for token in s
        .split(|c: char| c.is_whitespace() || c == ',' || c == '.' || c == '-')
        .filter(|t| !t.is_empty())
    {
        let lower = token.to_lowercase();
        let digits = lower.trim_end_matches(|c: char| c.is_ascii_alphabetic());
        let suffix = &lower[digits.len()..];
        if !digits.is_empty() && digits.bytes().all(|b| b.is_ascii_digit()) {
            if !matches!(suffix, "" | "st" | "nd" | "rd" | "th") {
                return None;
            }
            match digits.len() {
                4 if suffix.is_empty() && w.year.is_none() => {
                    w.year = Some(digits.parse::<u32>().ok()?)
                }
                1 | 2 if w.day.is_none() => w.day = Some(digits.parse::<u32>().ok()?),
                _ => return None,
            }
        } else if let Some(m) = month_of(&lower) {
            if w.month.replace(m).is_some() {
                return None;
            }
        } else if ABOUT.contains(&lower.as_str()) {
            w.about = true;
        } else if PART.contains(&lower.as_str()) {
            w.part = Some(lower);
        } else if let Some(season) = SEASONS.iter().find(|(name, _)| *name == lower) {
            w.season = Some(season.0);
        } else if let Some(q) = lower.strip_prefix('q').and_then(|q| q.parse().ok()) {
            w.quarter = Some(q).filter(|q| (1..=4).contains(q));
            w.quarter?;
        } else if lower == "first" || lower == "second" {
            half_word = Some(if lower == "first" { 1 } else { 2 });
        } else if lower == "half" {
            w.half = Some(half_word?);
        } else if lower == "week" {
            w.week = true;
        } else if !FILLER.contains(&lower.as_str()) {
            return None;
        }
    }
    if (w.week && w.day.is_none()) || (half_word.is_some() && w.half.is_none()) {
        return None;
    }
    Some(w)
}

/// Seasons (northern hemisphere) and the month they start in.
const SEASONS: &[(&str, u32)] = &[
    ("spring", 3),
    ("summer", 6),
    ("autumn", 9),
    ("fall", 9),
    ("winter", 12),
];

/// `early`, `mid` or `late` part of a month, as an interval of days.
fn part_of_month(year: u32, month: u32, part: &str) -> String {
    let last = super::days_in_month(i64::from(year), i64::from(month));
    let (from, to) = match part {
        "early" | "beginning" | "start" => (1, 10),
        "mid" | "middle" => (11, 20),
        _ => (21, last),
    };
    format!("{year:04}-{month:02}-{from:02}/{year:04}-{month:02}-{to:02}")
}

/// The months a span of a year covers (first, last, counted from January of
/// `year`; past 12 runs into the next year), with a note when it is
/// ambiguous.
fn span_of_year(year: u32, w: &Words) -> Option<(u32, u32, Option<String>)> {
    if let Some(season) = w.season {
        let start = SEASONS.iter().find(|(n, _)| *n == season)?.1;
        let note = (start == 12).then(|| {
            format!(
                "winter {year} is read as December {year} to February {}; for January and February {year} write {year:04}-01/{year:04}-02",
                year + 1
            )
        });
        return Some((start, start + 2, note));
    }
    if let Some(q) = w.quarter {
        return Some((3 * q - 2, 3 * q, None));
    }
    if let Some(h) = w.half {
        return Some((6 * h - 5, 6 * h, None));
    }
    match w.part.as_deref() {
        Some("early" | "beginning" | "start") => Some((1, 4, None)),
        Some("mid" | "middle") => Some((5, 8, None)),
        Some(_) => Some((9, 12, None)),
        None => None,
    }
}

/// `YYYY-MM` of month `m` counted from January of `year` (13 is January of
/// the next year).
fn month_text(year: u32, m: u32) -> String {
    format!("{:04}-{:02}", year + (m - 1) / 12, (m - 1) % 12 + 1)
}

/// The Monday-to-Sunday week that holds the day.
fn week_of(year: u32, month: u32, day: u32) -> Option<String> {
    let date = jiff::civil::Date::new(
        i16::try_from(year).ok()?,
        i8::try_from(month).ok()?,
        i8::try_from(day).ok()?,
    )
    .ok()?;
    let monday = date
        .checked_sub(jiff::Span::new().days(i64::from(date.weekday().to_monday_zero_offset())))
        .ok()?;
    let sunday = monday.checked_add(jiff::Span::new().days(6)).ok()?;
    Some(format!("{monday}/{sunday}"))
}

/// The `~` flag on a point, or on each end of an interval.
fn approximate(iso: &str) -> String {
    match iso.split_once('/') {
        Some((a, b)) => format!("{a}~/{b}~"),
        None => format!("{iso}~"),
    }
}

/// The month a word names: a month's name or its first three letters or
/// more (`Sept`, `sep`, `September`), in any case.
fn month_of(word: &str) -> Option<u32> {
    if word.chars().count() < 3 {
        return None;
    }
    MONTHS
        .iter()
        .position(|m| m.to_lowercase().starts_with(word))
        .map(|i| i as u32 + 1)
}

#[cfg(test)]
#[path = "hints_tests.rs"]
mod tests;
