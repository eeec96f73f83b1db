//! The time axis's extras: a band's label as a span when its contacts are
//! known only to one span ("Jun–Sep 2016"), and the story's markers
//! (reference dates) at their band, or between two bands.

use jiff::tz::TimeZone;

use super::{Place, Plan};
use crate::model::{Event, Precision, Story};
use crate::render::style::{date_label, DateStyle};

/// A story marker on the time axis.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct AxisMark {
    /// The band it is drawn at, or after.
    pub band: usize,
    /// On that band's date (else between it and the next band).
    pub on: bool,
    /// What it marks.
    pub label: String,
    /// When, as written: `3 Nov 2020`.
    pub date: String,
}

impl AxisMark {
    /// Its words on the axis: `◆ Election day`, with its date when it is
    /// not its band's.
    pub(crate) fn words(&self) -> String {
        if self.on {
            format!("◆ {}", self.label)
        } else {
            format!("◆ {}: {}", self.date, self.label)
        }
    }
}

/// An event's date as a span of days, months or years (`Aug–Sep 2020`),
/// when it is one.
pub(super) fn event_span(e: &Event, tz: &TimeZone) -> Option<String> {
    let t = e.time.as_ref()?;
    let coarse = |p: &crate::model::TimePoint| {
        matches!(
            p.precision,
            Precision::Day | Precision::Month | Precision::Year
        )
    };
    match (&t.start, &t.end) {
        (Some(a), Some(b)) if t.is_range && a != b && coarse(a) && coarse(b) => {
            Some(date_label(Some(t), tz, DateStyle::Short))
        }
        _ => None,
    }
}

/// The end of a band that starts at `start` with rank `rank` (0: a year,
/// 1: a month, 2: a day).
fn band_end(start: i64, rank: u8, tz: &TimeZone) -> i64 {
    let span = match rank {
        0 => jiff::Span::new().years(1),
        1 => jiff::Span::new().months(1),
        _ => jiff::Span::new().days(1),
    };
    jiff::Timestamp::from_second(start)
        .ok()
        .map(|ts| ts.to_zoned_datetime(tz.clone()))
        .and_then(|z| z.checked_add(span).ok())
        .map_or(start.saturating_add(86_400), |z| z.timestamp().as_second())
}

/// The story's markers on an axis of `bands` (each band's start and rank,
/// in time order): each at the band whose time holds it, or between the
/// band before it and the next; those before the first band or after the
/// last are not drawn (outside the time shown).
pub(super) fn axis_marks(story: &Story, bands: &[(i64, u8)], tz: &TimeZone) -> Vec<AxisMark> {
    let mut out: Vec<(i64, AxisMark)> = Vec::new();
    let Some(&(last_start, last_rank)) = bands.last() else {
        return Vec::new();
    };
    let end = band_end(last_start, last_rank, tz);
    for m in &story.markers {
        let Some(t) = m.time.as_ref() else { continue };
        let iv = t.interval();
        let Some(lo) = iv.lo.or(iv.hi) else { continue };
        if lo < bands[0].0 || lo >= end {
            continue;
        }
        let k = bands.partition_point(|b| b.0 <= lo).saturating_sub(1);
        let (start, rank) = bands[k];
        out.push((
            lo,
            AxisMark {
                band: k,
                on: lo < band_end(start, rank, tz),
                label: super::clean(&m.label),
                date: date_label(Some(t), tz, DateStyle::Short),
            },
        ));
    }
    out.sort_by_key(|(t, _)| *t);
    out.into_iter().map(|(_, m)| m).collect()
}

/// Whether a node is on the time axis (a band's or a marker's).
pub(crate) fn on_axis(place: Place) -> bool {
    matches!(place, Place::Axis(_) | Place::Mark(_))
}

impl Plan {
    /// The markers drawn between band `band` and the next.
    pub(crate) fn marks_after(&self, band: usize) -> impl Iterator<Item = &AxisMark> {
        self.marks.iter().filter(move |m| m.band == band && !m.on)
    }

    /// The markers on band `band`'s date.
    pub(crate) fn marks_on(&self, band: usize) -> impl Iterator<Item = &AxisMark> {
        self.marks.iter().filter(move |m| m.band == band && m.on)
    }
}
