//! The lane chart's ticks: by the span shown per pixel, years, months,
//! weeks or days; the start of every unbroken run of the axis is labelled
//! with its full date, so that both sides of a break say where they are;
//! labels are chosen so that none overlaps another, a break or a marker's
//! line, and none sits inside a break.

use jiff::civil::{Date, Weekday};
use jiff::tz::TimeZone;

use super::scale::Scale;
use crate::render::measure::text_width;

/// One tick: a line on the axis, with or without a label.
#[derive(Debug, Clone, PartialEq)]
pub(super) struct Tick {
    pub t: i64,
    pub x: f64,
    /// Its date, `2016-10-01`.
    pub date: String,
    /// Its label, the row it is set in (0: next to the axis), and whether
    /// it is set to the left of the tick (else to its right).
    pub label: Option<(String, usize, bool)>,
    /// A gridline across the lanes (a labelled tick; else only a mark on
    /// the axis).
    pub grid: bool,
}

/// The units ticks are counted in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Unit {
    Day,
    Week,
    Month,
    Quarter,
    Year,
    Years(i16),
}

/// The unit for a scale of `rate` pixels per day.
fn unit_of(rate: f64) -> Unit {
    if rate >= 3.0 {
        Unit::Day
    } else if rate >= 0.6 {
        Unit::Week
    } else if rate >= 0.1 {
        Unit::Month
    } else if rate >= 0.03 {
        Unit::Quarter
    } else if rate >= 0.012 {
        Unit::Year
    } else if rate >= 0.0025 {
        Unit::Years(5)
    } else {
        Unit::Years(10)
    }
}

const MONTHS: [&str; 12] = [
    "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
];

fn month(d: Date) -> &'static str {
    MONTHS[(d.month().clamp(1, 12) - 1) as usize]
}

/// The civil date of `t` in `tz`.
fn date_of(t: i64, tz: &TimeZone) -> Option<Date> {
    jiff::Timestamp::from_second(t)
        .ok()
        .map(|ts| ts.to_zoned_datetime(tz.clone()).date())
}

fn seconds(d: Date, tz: &TimeZone) -> Option<i64> {
    d.to_zoned_datetime(tz.clone())
        .ok()
        .map(|z| z.timestamp().as_second())
}

/// `2016-10-01`.
pub(super) fn iso(t: i64, tz: &TimeZone) -> String {
    date_of(t, tz).map_or_else(|| t.to_string(), |d| d.to_string())
}

/// The first date of `unit` at or after `d`.
fn first_at(d: Date, unit: Unit) -> Date {
    let up = |c: Date, good: &dyn Fn(Date) -> bool| {
        let mut c = c;
        for _ in 0..4000 {
            if good(c) {
                break;
            }
            match c.tomorrow() {
                Ok(n) => c = n,
                Err(_) => break,
            }
        }
        c
    };
    match unit {
        Unit::Day => d,
        Unit::Week => up(d, &|c| c.weekday() == Weekday::Monday),
        Unit::Month => up(d, &|c| c.day() == 1),
        Unit::Quarter => up(d, &|c| c.day() == 1 && (c.month() - 1) % 3 == 0),
        Unit::Year => up(d, &|c| c.day() == 1 && c.month() == 1),
        Unit::Years(n) => {
            let n = n.max(1);
            let base = if d.month() == 1 && d.day() == 1 {
                d.year()
            } else {
                d.year().saturating_add(1)
            };
            let y = base.saturating_add((n - base.rem_euclid(n)) % n);
            Date::new(y, 1, 1).unwrap_or(d)
        }
    }
}

/// The next date of `unit` after `d` (a date of that unit).
fn step(d: Date, unit: Unit) -> Option<Date> {
    let span = match unit {
        Unit::Day => jiff::Span::new().days(1),
        Unit::Week => jiff::Span::new().weeks(1),
        Unit::Month => jiff::Span::new().months(1),
        Unit::Quarter => jiff::Span::new().months(3),
        Unit::Year => jiff::Span::new().years(1),
        Unit::Years(n) => jiff::Span::new().years(i64::from(n)),
    };
    d.checked_add(span).ok()
}

/// A tick's label in `unit`: `2017`, `Oct`, `14 Oct` (a year's first day
/// with its year).
fn label(d: Date, unit: Unit) -> String {
    match unit {
        Unit::Day | Unit::Week if d.month() == 1 && d.day() == 1 => {
            format!("1 Jan {}", d.year())
        }
        Unit::Day | Unit::Week => format!("{} {}", d.day(), month(d)),
        Unit::Month | Unit::Quarter if d.month() == 1 => d.year().to_string(),
        Unit::Month | Unit::Quarter => month(d).to_string(),
        Unit::Year | Unit::Years(_) => d.year().to_string(),
    }
}

/// The full label of a run's start: `12 Apr 2019`, or `Apr 2019` for a
/// month's first day on a scale of months, `2019` for a year's.
fn start_label(d: Date, unit: Unit) -> String {
    if unit >= Unit::Month && d.day() == 1 {
        if d.month() == 1 && unit >= Unit::Year {
            return d.year().to_string();
        }
        return format!("{} {}", month(d), d.year());
    }
    format!("{} {} {}", d.day(), month(d), d.year())
}

/// The time from `t0` up to `t1` in words: `Oct 2020`, `Apr–Dec 2019`,
/// `Apr 2019 – Dec 2020`; and a shorter form (`2019–2020`).
pub(super) fn span_words(t0: i64, t1: i64, tz: &TimeZone) -> [String; 2] {
    let (Some(a), Some(b)) = (date_of(t0, tz), date_of(t1.saturating_sub(1).max(t0), tz)) else {
        return [String::new(), String::new()];
    };
    if a.year() == b.year() {
        let long = if a.month() == b.month() {
            format!("{} {}", month(a), a.year())
        } else {
            format!("{}–{} {}", month(a), month(b), a.year())
        };
        return [long, a.year().to_string()];
    }
    [
        format!("{} {} – {} {}", month(a), a.year(), month(b), b.year()),
        format!("{}–{}", a.year(), b.year()),
    ]
}

/// What the labels must keep clear of.
pub(super) struct Clear<'a> {
    /// Markers' lines.
    pub lines: &'a [f64],
    /// The leftmost and rightmost a label may reach.
    pub left: f64,
    pub right: f64,
    /// The label size.
    pub size: f64,
}

/// A label's box on its row: (left, right).
type Box1 = (f64, f64);

fn free(placed: &[(Box1, usize)], b: Box1, row: usize, scale: &Scale, clear: &Clear) -> bool {
    if b.1 > clear.right || b.0 < clear.left {
        return false;
    }
    if placed
        .iter()
        .any(|(p, r)| *r == row && p.0 < b.1 + 8.0 && b.0 < p.1 + 8.0)
    {
        return false;
    }
    // The breaks' strokes reach up into the first row only.
    if row == 0 && scale.breaks().any(|p| p.x0 - 2.0 < b.1 && b.0 < p.x1 + 2.0) {
        return false;
    }
    !clear.lines.iter().any(|&x| x > b.0 - 2.5 && x < b.1 + 1.0)
}

/// The ticks of a panel's scale; `days` are the days that hold contacts
/// (labelled on a scale of weeks or coarser when there is room).
pub(super) fn ticks(scale: &Scale, tz: &TimeZone, days: &[i64], clear: &Clear) -> Vec<Tick> {
    let unit = unit_of(scale.rate);
    // Candidates: (priority, t, labels to try, may take a higher row).
    let mut cands: Vec<Cand> = Vec::new();
    for (t0, t1, _, _) in scale.segments() {
        if let Some(d) = date_of(t0, tz) {
            let short = if unit >= Unit::Month && d.day() == 1 {
                month(d).to_string()
            } else {
                format!("{} {}", d.day(), month(d))
            };
            cands.push((0, t0, vec![start_label(d, unit), short], true));
        }
        regular(t0, t1, (unit, scale.rate), tz, &mut cands);
    }
    if unit > Unit::Day {
        for &t in days {
            if let Some(d) = date_of(t, tz) {
                cands.push((3, t, vec![format!("{} {}", d.day(), month(d))], false));
            }
        }
    }
    cands.sort_by(|a, b| a.0.cmp(&b.0).then(a.1.cmp(&b.1)));
    let mut seen: Vec<i64> = Vec::new();
    let mut placed: Vec<(Box1, usize)> = Vec::new();
    let mut out: Vec<Tick> = Vec::new();
    for (_, t, texts, high) in cands {
        if seen.contains(&t) || scale.in_break(t) || t < scale.t0() || t >= scale.t1() {
            continue;
        }
        seen.push(t);
        let x = scale.x(t);
        let rows: &[usize] = if high { &[0, 1, 2] } else { &[0] };
        // To the right of the tick; a run's start that finds no room there
        // may be set to its left, above the axis (past a break).
        let mut tries: Vec<(String, Box1, usize, bool)> = Vec::new();
        for &r in rows {
            for text in &texts {
                let w = text_width(text, clear.size, false);
                tries.push((text.clone(), (x + 3.0, x + 3.0 + w), r, false));
            }
        }
        if high {
            for r in [1, 2] {
                for text in &texts {
                    let w = text_width(text, clear.size, false);
                    tries.push((text.clone(), (x - 3.0 - w, x - 3.0), r, true));
                }
            }
        }
        // A label set to the left has a leader up from the axis, which
        // must not run through a label below it.
        let leader_clear = |r: usize| {
            !placed
                .iter()
                .any(|(p, pr)| *pr < r && p.0 - 2.0 < x && x < p.1 + 2.0)
        };
        let label = tries.into_iter().find(|(_, b, r, left)| {
            free(&placed, *b, *r, scale, clear) && (!left || leader_clear(*r))
        });
        if let Some((_, b, r, _)) = &label {
            placed.push((*b, *r));
        }
        out.push(Tick {
            t,
            x,
            date: iso(t, tz),
            grid: label.is_some(),
            label: label.map(|(text, _, r, left)| (text, r, left)),
        });
    }
    out.sort_by_key(|k| k.t);
    out
}

/// Pixels per day from which every day is labelled.
const EVERY_DAY: f64 = 45.0;

/// A candidate tick: its priority (lowest first), time, the labels to try
/// (the first that fits), and whether it may take a higher row.
type Cand = (u8, i64, Vec<String>, bool);

/// The regular ticks of `unit` from `t0` to `t1` on a scale of `rate`
/// pixels per day, with their priority (years before months before the
/// rest).
fn regular(t0: i64, t1: i64, (unit, rate): (Unit, f64), tz: &TimeZone, out: &mut Vec<Cand>) {
    let Some(d0) = date_of(t0, tz) else { return };
    let mut d = first_at(d0, unit);
    for _ in 0..1500 {
        let Some(t) = seconds(d, tz) else { break };
        if t >= t1 {
            break;
        }
        if t > t0 {
            let priority = match (d.month(), d.day()) {
                (1, 1) => 1,
                (_, 1) => 2,
                _ if d.weekday() == Weekday::Monday => 4,
                _ => 5,
            };
            // Days are labelled on Mondays and months' first days only,
            // unless every day's label fits: regular steps read best.
            let every_day = rate >= EVERY_DAY;
            let texts = if priority == 5 && !every_day {
                Vec::new()
            } else {
                vec![label(d, unit)]
            };
            out.push((priority, t, texts, false));
        }
        match step(d, unit) {
            Some(n) => d = n,
            None => break,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn units_and_labels() {
        assert_eq!(unit_of(12.0), Unit::Day);
        assert_eq!(unit_of(1.0), Unit::Week);
        assert_eq!(unit_of(0.3), Unit::Month);
        let d = Date::new(2016, 10, 14).unwrap();
        assert_eq!(label(d, Unit::Day), "14 Oct");
        assert_eq!(label(Date::new(2017, 1, 1).unwrap(), Unit::Month), "2017");
        assert_eq!(start_label(d, Unit::Month), "14 Oct 2016");
        assert_eq!(
            start_label(Date::new(2016, 10, 1).unwrap(), Unit::Month),
            "Oct 2016"
        );
        assert_eq!(
            first_at(Date::new(2016, 10, 14).unwrap(), Unit::Week),
            Date::new(2016, 10, 17).unwrap()
        );
        assert_eq!(
            first_at(Date::new(2013, 3, 1).unwrap(), Unit::Years(5)),
            Date::new(2015, 1, 1).unwrap()
        );
        assert_eq!(
            first_at(Date::new(2010, 1, 1).unwrap(), Unit::Years(5)),
            Date::new(2010, 1, 1).unwrap()
        );
    }
}
