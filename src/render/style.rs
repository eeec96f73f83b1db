//! How a story looks: shapes and colours per entity kind, line styles per
//! certainty, and dates written at their own precision.
//!
//! Colours come from the Okabe–Ito palette, which stays distinguishable with
//! the common colour-vision deficiencies; every kind also has its own shape,
//! and every certainty its own line style and word, so colour never carries
//! meaning alone.

use jiff::tz::TimeZone;
use jiff::Timestamp;

use crate::model::{Certainty, EntityKind, Precision, TimeExpr, TimePoint};

/// The Okabe–Ito palette.
pub mod palette {
    /// Orange.
    pub const ORANGE: &str = "#E69F00";
    /// Sky blue.
    pub const SKY_BLUE: &str = "#56B4E9";
    /// Bluish green.
    pub const BLUISH_GREEN: &str = "#009E73";
    /// Yellow.
    pub const YELLOW: &str = "#F0E442";
    /// Blue.
    pub const BLUE: &str = "#0072B2";
    /// Vermillion.
    pub const VERMILLION: &str = "#D55E00";
    /// Reddish purple.
    pub const REDDISH_PURPLE: &str = "#CC79A7";
    /// Black.
    pub const BLACK: &str = "#000000";
}

/// The font every label uses. Graphviz, graphviz-pure and resvg all know its
/// metrics, so text fits its boxes whichever engine lays the graph out.
pub const FONT: &str = "DejaVu Sans";

/// Grey for what is drawn only as context (relations, faded entities).
pub const CONTEXT_GREY: &str = "#999999";
/// Fill of a faded entity.
pub const FADED_FILL: &str = "#F2F2F2";
/// Line and text colour of faded things.
pub const FADED_LINE: &str = "#BBBBBB";

/// How one kind of entity is drawn.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct KindStyle {
    /// Graphviz shape.
    pub shape: &'static str,
    /// Graphviz style list (always `filled`, sometimes `rounded`).
    pub style: &'static str,
    /// Outline colour (an Okabe–Ito colour).
    pub border: &'static str,
    /// Fill: a light tint of an Okabe–Ito colour, so black text stays legible.
    pub fill: &'static str,
    /// The word used in the legend.
    pub word: &'static str,
}

/// The style of an entity kind: people are blue ellipses, organisations
/// orange boxes, groups green hexagons, anything else a grey octagon.
pub fn kind_style(kind: EntityKind) -> KindStyle {
    match kind {
        EntityKind::Person => KindStyle {
            shape: "ellipse",
            style: "filled",
            border: palette::BLUE,
            fill: "#C4E6F8",
            word: "person",
        },
        EntityKind::Organisation => KindStyle {
            shape: "box",
            style: "filled,rounded",
            border: palette::VERMILLION,
            fill: "#F8DFA6",
            word: "organisation",
        },
        EntityKind::Group => KindStyle {
            shape: "hexagon",
            style: "filled",
            border: palette::BLUISH_GREEN,
            fill: "#B3E2D5",
            word: "group",
        },
        EntityKind::Other => KindStyle {
            shape: "octagon",
            style: "filled",
            border: palette::BLACK,
            fill: "#E8E8E8",
            word: "other",
        },
    }
}

/// How one certainty level is drawn.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CertaintyStyle {
    /// Graphviz line style.
    pub style: &'static str,
    /// Line colour.
    pub color: &'static str,
    /// Prefix of the edge label (`? ` for unknown).
    pub mark: &'static str,
    /// The legend's words.
    pub legend: &'static str,
}

/// Line style per certainty: confirmed solid, reported dashed, alleged
/// dotted, unknown faint dotted with a `?` in front of its label.
pub fn certainty_style(c: Certainty) -> CertaintyStyle {
    match c {
        Certainty::Confirmed => CertaintyStyle {
            style: "solid",
            color: "#222222",
            mark: "",
            legend: "confirmed",
        },
        Certainty::Reported => CertaintyStyle {
            style: "dashed",
            color: "#222222",
            mark: "",
            legend: "reported",
        },
        Certainty::Alleged => CertaintyStyle {
            style: "dotted",
            color: "#222222",
            mark: "",
            legend: "alleged",
        },
        Certainty::Unknown => CertaintyStyle {
            style: "dotted",
            color: CONTEXT_GREY,
            mark: "? ",
            legend: "? unknown whether it happened",
        },
    }
}

/// How long a date is written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DateStyle {
    /// `20 Sep 2016`: edge labels.
    Short,
    /// `20 September 2016`: sentences.
    Long,
}

const SHORT_MONTHS: [&str; 12] = [
    "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
];
const LONG_MONTHS: [&str; 12] = crate::model::time::MONTHS;

/// The civil parts of a second in `tz`: (year, month 1-12, day, hour, minute, second).
fn civil(seconds: i64, tz: &TimeZone) -> Option<(i16, i8, i8, i8, i8, i8)> {
    let ts = Timestamp::from_second(seconds).ok()?;
    let z = ts.to_zoned_datetime(tz.clone());
    Some((
        z.year(),
        z.month(),
        z.day(),
        z.hour(),
        z.minute(),
        z.second(),
    ))
}

fn month_name(m: i8, style: DateStyle) -> &'static str {
    let i = (m.clamp(1, 12) - 1) as usize;
    match style {
        DateStyle::Short => SHORT_MONTHS[i],
        DateStyle::Long => LONG_MONTHS[i],
    }
}

/// Writes one point at its own precision: `2016`, `Sep 2016`, `20 Sep 2016`,
/// `20 Sep 2016 14:05`, with `c. ` for `~` and `?` for `?`.
pub fn point_label(p: &TimePoint, tz: &TimeZone, style: DateStyle) -> String {
    let Some((y, m, d, h, min, s)) = civil(p.lo, tz) else {
        return p.lo.to_string();
    };
    let body = match p.precision {
        Precision::Year => format!("{y}"),
        Precision::Month => format!("{} {y}", month_name(m, style)),
        Precision::Day => format!("{d} {} {y}", month_name(m, style)),
        Precision::Minute => format!("{d} {} {y} {h:02}:{min:02}", month_name(m, style)),
        Precision::Second => {
            format!("{d} {} {y} {h:02}:{min:02}:{s:02}", month_name(m, style))
        }
    };
    qualify(body, p)
}

fn qualify(body: String, p: &TimePoint) -> String {
    let mut out = body;
    if p.approximate {
        out = format!("c. {out}");
    }
    if p.uncertain {
        out.push('?');
    }
    out
}

/// Writes a time expression at its own precision: `20 Sep 2016`, `Sep 2016`,
/// `after 20 Sep 2016`, `before 9 Jun 2016`, `12–13 Oct 2016`,
/// `20 Sep 2016 – Jul 2017`, or `date unknown` for `None`.
///
/// ```ignore
/// // A crate-private module: the same is checked by a unit test below.
/// use grapevine::render::style::{date_label, DateStyle};
/// let tz = jiff::tz::TimeZone::UTC;
/// let t = grapevine::TimeExpr::parse("2016-10-12/2016-10-13", &tz).unwrap();
/// assert_eq!(date_label(Some(&t), &tz, DateStyle::Short), "12–13 Oct 2016");
/// assert_eq!(date_label(None, &tz, DateStyle::Short), "date unknown");
/// ```
pub fn date_label(time: Option<&TimeExpr>, tz: &TimeZone, style: DateStyle) -> String {
    let Some(t) = time else {
        return "date unknown".to_string();
    };
    match (&t.start, &t.end) {
        (None, None) => "date unknown".to_string(),
        (Some(a), None) => format!("after {}", point_label(a, tz, style)),
        (None, Some(b)) => format!("before {}", point_label(b, tz, style)),
        (Some(a), Some(b)) if !t.is_range || a == b => point_label(a, tz, style),
        (Some(a), Some(b)) => range_label(a, b, tz, style),
    }
}

fn range_label(a: &TimePoint, b: &TimePoint, tz: &TimeZone, style: DateStyle) -> String {
    let plain = !(a.approximate || a.uncertain || b.approximate || b.uncertain);
    if let (Some(ca), Some(cb), true) = (civil(a.lo, tz), civil(b.lo, tz), plain) {
        let same_year = ca.0 == cb.0;
        match (a.precision, b.precision) {
            (Precision::Day, Precision::Day) if same_year && ca.1 == cb.1 => {
                return format!("{}–{} {} {}", ca.2, cb.2, month_name(ca.1, style), ca.0);
            }
            (Precision::Day, Precision::Day) if same_year => {
                return format!(
                    "{} {} – {} {} {}",
                    ca.2,
                    month_name(ca.1, style),
                    cb.2,
                    month_name(cb.1, style),
                    ca.0
                );
            }
            (Precision::Month, Precision::Month) if same_year => {
                return format!(
                    "{}–{} {}",
                    month_name(ca.1, style),
                    month_name(cb.1, style),
                    ca.0
                );
            }
            _ => {}
        }
    }
    format!(
        "{} – {}",
        point_label(a, tz, style),
        point_label(b, tz, style)
    )
}

/// A time expression for a sentence: `on 20 September 2016`, `in September
/// 2016`, `on or after 20 September 2016`, `by 9 June 2016`, `between 12 and
/// 13 October 2016`, `at an unknown date`.
pub fn date_phrase(time: Option<&TimeExpr>, tz: &TimeZone) -> String {
    let Some(t) = time else {
        return "at an unknown date".to_string();
    };
    let on = |p: &TimePoint| -> String {
        let s = point_label(p, tz, DateStyle::Long);
        match p.precision {
            Precision::Year | Precision::Month => format!("in {s}"),
            _ => format!("on {s}"),
        }
    };
    match (&t.start, &t.end) {
        (None, None) => "at an unknown date".to_string(),
        (Some(a), None) => match a.precision {
            Precision::Year | Precision::Month => {
                format!("in or after {}", point_label(a, tz, DateStyle::Long))
            }
            _ => format!("on or after {}", point_label(a, tz, DateStyle::Long)),
        },
        (None, Some(b)) => format!("by {}", point_label(b, tz, DateStyle::Long)),
        (Some(a), Some(b)) if !t.is_range || a == b => on(a),
        (Some(a), Some(b)) => {
            let r = range_label(a, b, tz, DateStyle::Long);
            match r.split_once('–') {
                Some((x, y)) if !r.contains(" – ") => format!("between {x} and {y}"),
                _ => format!(
                    "between {} and {}",
                    point_label(a, tz, DateStyle::Long),
                    point_label(b, tz, DateStyle::Long)
                ),
            }
        }
    }
}

/// Number words for small counts in sentences.
pub fn count_word(n: usize) -> String {
    const WORDS: [&str; 13] = [
        "no", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten",
        "eleven", "twelve",
    ];
    WORDS
        .get(n)
        .map_or_else(|| n.to_string(), |w| w.to_string())
}

/// Two date labels as one span, the shared year said once: `Aug 2020`
/// and `Sep 2020` give `Aug–Sep 2020`, `12 Apr 2019` and `Sep 2019`
/// give `12 Apr – Sep 2019`, `2014` and `3 Apr 2015` give `2014 – 3 Apr
/// 2015`.
pub fn span_words(a: &str, b: &str) -> String {
    let year = |s: &str| {
        s.rsplit_once(' ')
            .map(|(head, y)| (head.to_string(), y.to_string()))
    };
    match (year(a), year(b)) {
        (Some((ha, ya)), Some((hb, yb))) if ya == yb && ya.len() == 4 => {
            // Days of one month: `2–5 Jun 2013`.
            if let (Some((da, ma)), Some((db, mb))) = (ha.split_once(' '), hb.split_once(' ')) {
                let day = |d: &str| !d.is_empty() && d.chars().all(|c| c.is_ascii_digit());
                if ma == mb && day(da) && day(db) && !ma.contains(' ') {
                    return format!("{da}–{db} {mb} {yb}");
                }
            }
            let short = !ha.contains(' ') && !hb.contains(' ') && !ha.contains(':');
            if short {
                format!("{ha}–{hb} {yb}")
            } else {
                format!("{ha} – {hb} {yb}")
            }
        }
        _ => format!("{a} – {b}"),
    }
}

/// Joins names as English: `A`, `A and B`, `A, B and C`.
pub fn join_names(names: &[String]) -> String {
    match names {
        [] => String::new(),
        [a] => a.clone(),
        [rest @ .., last] => format!("{} and {last}", rest.join(", ")),
    }
}

#[cfg(test)]
mod tests {
    use super::{date_label, date_phrase, join_names, DateStyle, TimeExpr, TimeZone};

    #[test]
    fn spans_say_the_shared_parts_once() {
        use super::span_words;
        assert_eq!(span_words("Aug 2020", "Sep 2020"), "Aug–Sep 2020");
        assert_eq!(span_words("2 Jun 2013", "5 Jun 2013"), "2–5 Jun 2013");
        assert_eq!(span_words("12 Apr 2019", "Sep 2019"), "12 Apr – Sep 2019");
        assert_eq!(span_words("2014", "3 Apr 2015"), "2014 – 3 Apr 2015");
        assert_eq!(
            span_words("30 May 2013", "2 Jun 2013"),
            "30 May – 2 Jun 2013"
        );
    }

    fn label(text: &str) -> String {
        let tz = TimeZone::get("America/New_York").unwrap();
        let t = TimeExpr::parse(text, &tz).unwrap();
        date_label(Some(&t), &tz, DateStyle::Short)
    }

    fn phrase(text: &str) -> String {
        let tz = TimeZone::get("America/New_York").unwrap();
        let t = TimeExpr::parse(text, &tz).unwrap();
        date_phrase(Some(&t), &tz)
    }

    #[test]
    fn every_precision() {
        assert_eq!(label("2016-09-20"), "20 Sep 2016");
        assert_eq!(label("2016-09"), "Sep 2016");
        assert_eq!(label("2016"), "2016");
        assert_eq!(label("2016-09-20/.."), "after 20 Sep 2016");
        assert_eq!(label("../2016-06-09"), "before 9 Jun 2016");
        assert_eq!(label("2016-10-12/2016-10-13"), "12–13 Oct 2016");
        assert_eq!(label("2016-09-20/2016-10-12"), "20 Sep – 12 Oct 2016");
        assert_eq!(label("2016-09-20/2017-07"), "20 Sep 2016 – Jul 2017");
        assert_eq!(label("2016-09/2016-10"), "Sep–Oct 2016");
        assert_eq!(label("2016-10-12T14:05"), "12 Oct 2016 14:05");
        assert_eq!(label("2016-10-12T18:05Z"), "12 Oct 2016 14:05");
        assert_eq!(label("2016-04~"), "c. Apr 2016");
        assert_eq!(label("2016-04?"), "Apr 2016?");
        let tz = TimeZone::UTC;
        assert_eq!(date_label(None, &tz, DateStyle::Short), "date unknown");
    }

    #[test]
    fn sentences() {
        assert_eq!(phrase("2016-09-20"), "on 20 September 2016");
        assert_eq!(phrase("2016-04"), "in April 2016");
        assert_eq!(phrase("2016-09-20/.."), "on or after 20 September 2016");
        assert_eq!(phrase("../2016-06-09"), "by 9 June 2016");
        assert_eq!(
            phrase("2016-10-12/2016-10-13"),
            "between 12 and 13 October 2016"
        );
        assert_eq!(
            phrase("2016-09-20/2017-07"),
            "between 20 September 2016 and July 2017"
        );
        assert_eq!(
            join_names(&["a".into(), "b".into(), "c".into()]),
            "a, b and c"
        );
    }
}

#[cfg(test)]
mod date_label_example {
    use super::{date_label, DateStyle};

    #[test]
    fn spans_and_unknown_dates() {
        let tz = jiff::tz::TimeZone::UTC;
        let t = crate::TimeExpr::parse("2016-10-12/2016-10-13", &tz).unwrap();
        assert_eq!(
            date_label(Some(&t), &tz, DateStyle::Short),
            "12–13 Oct 2016"
        );
        assert_eq!(date_label(None, &tz, DateStyle::Short), "date unknown");
    }
}
