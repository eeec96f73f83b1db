//! When each drawn thing changes: every reached entity's times as the
//! embed's slider reads them (`docs/embed.md`), every drawn contact's start,
//! and the steps the animation takes through them.

use std::collections::{BTreeMap, BTreeSet};

use crate::analysis::reach::reach;
use crate::analysis::Query;
use crate::catalog::Catalog;
use crate::model::time::MIN_SECOND;
use crate::model::{Certainty, Precision, TimeExpr};
use crate::render::words::time_label;
use crate::Error;

/// How a drawn thing looks at a step.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub(crate) enum Look {
    /// Not drawn at all (a date label of another step).
    Hidden,
    /// Faded: not yet reached, a contact not yet begun, a marker ahead.
    Faded,
    /// Drawn: could have seen it, a contact begun, a label of this step.
    Shown,
    /// Had it if the contacts it rests on happened.
    Claimed,
    /// Surely had it (a confirmed chain).
    Surely,
}

/// A reached entity's times, the embed's contract: `surely` is the
/// definite time on a confirmed chain, `claimed` the definite time at the
/// question's threshold, `earliest` the first time it could have it.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub(crate) struct Times {
    pub earliest: Option<i64>,
    pub surely: Option<i64>,
    pub claimed: Option<i64>,
}

impl Times {
    /// Its look at `t` (the slider's `stateAt`).
    pub(crate) fn look_at(&self, t: i64) -> Look {
        if self.surely.is_some_and(|s| s <= t) {
            Look::Surely
        } else if self.claimed.is_some_and(|c| c <= t) {
            Look::Claimed
        } else if self.earliest.is_none_or(|e| e <= t) {
            Look::Shown
        } else {
            Look::Faded
        }
    }

    /// The times at which its look changes (none for a time held all
    /// along).
    fn changes(&self) -> impl Iterator<Item = i64> + '_ {
        [self.earliest, self.surely, self.claimed]
            .into_iter()
            .flatten()
            .filter(|&t| t != MIN_SECOND && t != i64::MIN && t != i64::MAX)
    }
}

/// The times of every entity `query` reaches (by its end, if it has one),
/// read as the embed reads them: the answer with no end for the times, the
/// same question at threshold confirmed for "surely".
pub(crate) fn entity_times(
    catalog: &dyn Catalog,
    query: &Query,
) -> Result<BTreeMap<String, Times>, Error> {
    let (index, rq) = query.compile(catalog)?;
    let answer = reach(&index, &rq);
    let open = Query {
        until: None,
        ..query.clone()
    };
    let (open_index, open_rq) = open.compile(catalog)?;
    let open_answer = reach(&open_index, &open_rq);
    let sure = Query {
        threshold: Certainty::Confirmed,
        ..open
    };
    let (sure_index, sure_rq) = sure.compile(catalog)?;
    let sure_answer = reach(&sure_index, &sure_rq);
    Ok(answer
        .reached
        .iter()
        .map(|r| {
            let times = Times {
                earliest: open_answer.get(&r.entity).and_then(|t| t.earliest),
                surely: crate::render::words::definite_at(&sure_answer, &r.entity),
                claimed: crate::render::words::definite_at(&open_answer, &r.entity),
            };
            (r.entity.clone(), times)
        })
        .collect())
}

/// One step of the animation: the time its state is read at and the date
/// shown.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Step {
    pub t: i64,
    pub label: String,
}

/// What the steps are made from.
pub(crate) struct Moments<'a> {
    /// The drawn entities' times, with the precision of each one's earliest.
    pub entities: &'a BTreeMap<String, (Times, Precision)>,
    /// The drawn contacts' starts and their precision.
    pub contacts: &'a [(i64, Precision)],
    /// The question's end (its last second), if any.
    pub until: Option<i64>,
}

/// The steps: one per distinct time at which a drawn entity's look or a
/// drawn contact's changes, from the first entity's first time to the
/// question's end; each dated at the precision its times are given at.
/// With no such time, one step showing the end.
pub(crate) fn steps(catalog: &dyn Catalog, m: &Moments) -> Vec<Step> {
    let mut at: BTreeMap<i64, Precision> = BTreeMap::new();
    let mut note = |t: i64, p: Precision| {
        let e = at.entry(t).or_insert(p);
        *e = (*e).max(p);
    };
    for (times, precision) in m.entities.values() {
        if let Some(t) = times.earliest {
            note(t, *precision);
        }
        for t in [times.surely, times.claimed].into_iter().flatten() {
            note(t, Precision::Day);
        }
    }
    let first = m
        .entities
        .values()
        .flat_map(|(times, _)| times.changes().collect::<Vec<_>>())
        .min();
    for &(t, p) in m.contacts {
        note(t, p);
    }
    let keep = |t: &i64| {
        *t != MIN_SECOND
            && *t != i64::MIN
            && *t != i64::MAX
            && first.is_none_or(|f| *t >= f)
            && m.until.is_none_or(|u| *t <= u)
    };
    let times: Vec<(i64, Precision)> = at.into_iter().filter(|(t, _)| keep(t)).collect();
    if times.is_empty() {
        return vec![Step {
            t: i64::MAX,
            label: "dates unknown".to_string(),
        }];
    }
    labelled(catalog, &times)
}

/// The steps' dates, each told from the one before: the same date again is
/// "end of DATE" at a day's last second, else written to the minute or
/// second.
fn labelled(catalog: &dyn Catalog, times: &[(i64, Precision)]) -> Vec<Step> {
    let mut out: Vec<Step> = Vec::with_capacity(times.len());
    let mut seen: BTreeSet<String> = BTreeSet::new();
    for &(t, p) in times {
        let mut label = time_label(catalog, t, p);
        if seen.contains(&label) {
            let next_day = time_label(catalog, t.saturating_add(1), Precision::Day);
            let day = time_label(catalog, t, Precision::Day);
            label = if next_day != day && !seen.contains(&format!("end of {day}")) {
                format!("end of {day}")
            } else {
                time_label(catalog, t, Precision::Minute)
            };
            if seen.contains(&label) {
                label = time_label(catalog, t, Precision::Second);
            }
        }
        seen.insert(label.clone());
        out.push(Step { t, label });
    }
    out
}

/// A marker of the story placed among the steps.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Passing {
    /// Its label and date, as a reader is told them.
    pub words: String,
    /// The first step at or after it (`steps.len()`: after the last).
    pub step: usize,
    /// Where it sits between the step before and that step (0 to 1).
    pub share: f64,
}

/// The story's dated markers in time order, each placed among `steps`.
pub(crate) fn passings(catalog: &dyn Catalog, steps: &[Step]) -> Vec<Passing> {
    let tz = catalog.timezone();
    let mut marks: Vec<(i64, String)> = catalog
        .markers()
        .iter()
        .filter_map(|m| {
            let t: &TimeExpr = m.time.as_ref()?;
            let lo = t.interval().lo?;
            let date = crate::render::style::date_label(
                Some(t),
                &tz,
                crate::render::style::DateStyle::Short,
            );
            Some((lo, format!("{}, {date}", crate::render::clean(&m.label))))
        })
        .collect();
    marks.sort();
    marks
        .into_iter()
        .map(|(t, words)| {
            let step = steps.iter().position(|s| s.t >= t).unwrap_or(steps.len());
            let share = match (
                step.checked_sub(1).and_then(|i| steps.get(i)),
                steps.get(step),
            ) {
                (Some(a), Some(b)) if b.t > a.t => (t - a.t) as f64 / (b.t - a.t) as f64,
                _ => 1.0,
            };
            Passing { words, step, share }
        })
        .collect()
}
