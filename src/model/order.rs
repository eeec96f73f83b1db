//! Event order (`after`): an event that names event B in its `after`
//! happened at or after B. Before any analysis the intervals are tightened
//! until nothing changes: the event's lo rises to at least B's lo, and B's hi
//! falls to at most the event's hi. A cycle of `after`, or a pair whose
//! tightened interval is empty, is an error naming both events.

use std::collections::HashMap;

use super::{Interval, Story};

/// What is wrong with a story's `after` order (events as indexes into
/// `story.events`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OrderProblem {
    /// `event` names `other` in its `after`, and `other` is (through
    /// `after`) after `event`: a cycle (the same event twice for an event
    /// after itself).
    Cycle {
        /// An event on the cycle.
        event: usize,
        /// The event it names in `after`, on the same cycle.
        other: usize,
    },
    /// `event` is after `before`, but `event`'s tightened interval ends
    /// before `before`'s tightened interval starts.
    Empty {
        /// The later event.
        event: usize,
        /// The event it names in `after`.
        before: usize,
    },
}

impl OrderProblem {
    /// The two events it names: the one whose `after` is at fault first.
    pub fn events(&self) -> (usize, usize) {
        match *self {
            OrderProblem::Cycle { event, other } => (event, other),
            OrderProblem::Empty { event, before } => (event, before),
        }
    }

    /// The problem in words, naming both events and their times as written.
    pub fn message(&self, story: &Story) -> String {
        let show = |i: usize| {
            let e = &story.events[i];
            let when = e.time.as_ref().map_or("undated", |t| t.text.as_str());
            format!("event {:?} ({when})", e.id)
        };
        match *self {
            OrderProblem::Cycle { event, other } if event == other => {
                format!("{} is \"after\" itself", show(event))
            }
            OrderProblem::Cycle { event, other } => format!(
                "\"after\" makes a cycle: {} is after {}, which is (through \"after\") after it",
                show(event),
                show(other)
            ),
            OrderProblem::Empty { event, before } => format!(
                "{} is \"after\" {}, but it ends before that one can start",
                show(event),
                show(before)
            ),
        }
    }
}

/// Tightens every event's interval by the `after` order, to the fixpoint of
/// the spec, and stores the tightened interval in [`super::Event::ordered`]
/// (only where it differs from the written one; the written `time` is kept).
/// Ids in `after` that name no event are ignored (the loader reports them).
///
/// # Errors
/// Every cycle found (one pair per cycle reached) and every pair whose
/// tightened interval is empty; the events are then left as they were.
///
/// # Complexity
/// O(e + a) for e events and a `after` entries: the lower bounds are pushed
/// forward in one topological pass and the upper bounds back in one reverse
/// pass (the two do not depend on each other).
pub fn order_events(story: &mut Story) -> Result<(), Vec<OrderProblem>> {
    let n = story.events.len();
    for e in &mut story.events {
        e.ordered = None;
    }
    if story.events.iter().all(|e| e.after.is_empty()) {
        return Ok(());
    }
    let number: HashMap<&str, usize> = story
        .events
        .iter()
        .enumerate()
        .map(|(i, e)| (e.id.as_str(), i))
        .collect();
    // before[e]: the events e is after.
    let before: Vec<Vec<usize>> = story
        .events
        .iter()
        .map(|e| {
            let mut v: Vec<usize> = e
                .after
                .iter()
                .filter_map(|id| number.get(id.as_str()).copied())
                .collect();
            v.sort_unstable();
            v.dedup();
            v
        })
        .collect();
    let mut later: Vec<Vec<usize>> = vec![Vec::new(); n];
    let mut pending = vec![0usize; n];
    for (e, bs) in before.iter().enumerate() {
        pending[e] = bs.len();
        for &b in bs {
            later[b].push(e);
        }
    }
    // Kahn: an event comes after every event it names.
    let mut order: Vec<usize> = (0..n).filter(|&e| pending[e] == 0).collect();
    let mut k = 0;
    while k < order.len() {
        let b = order[k];
        k += 1;
        for &e in &later[b] {
            pending[e] -= 1;
            if pending[e] == 0 {
                order.push(e);
            }
        }
    }
    if order.len() < n {
        return Err(cycles(&before, &pending));
    }
    let mut lo: Vec<i64> = story
        .events
        .iter()
        .map(|e| e.interval().lo_or_min())
        .collect();
    let mut hi: Vec<i64> = story
        .events
        .iter()
        .map(|e| e.interval().hi_or_max())
        .collect();
    for &e in &order {
        for &b in &before[e] {
            lo[e] = lo[e].max(lo[b]);
        }
    }
    for &e in order.iter().rev() {
        for &b in &before[e] {
            hi[b] = hi[b].min(hi[e]);
        }
    }
    let mut problems = Vec::new();
    for &e in &order {
        for &b in &before[e] {
            if hi[e] < lo[b] {
                problems.push(OrderProblem::Empty {
                    event: e,
                    before: b,
                });
            }
        }
    }
    if !problems.is_empty() {
        return Err(problems);
    }
    for (i, e) in story.events.iter_mut().enumerate() {
        let iv = Interval {
            lo: (lo[i] != i64::MIN).then_some(lo[i]),
            hi: (hi[i] != i64::MAX).then_some(hi[i]),
        };
        if iv != e.interval() {
            e.ordered = Some(iv);
        }
    }
    Ok(())
}

/// One pair of events per cycle among the events Kahn's pass left
/// (`pending` > 0): walking back through `after` from one of them must meet
/// an event twice.
fn cycles(before: &[Vec<usize>], pending: &[usize]) -> Vec<OrderProblem> {
    let n = before.len();
    // 0 unseen, 1 on the current walk, 2 done.
    let mut state = vec![0u8; n];
    let mut out = Vec::new();
    for start in 0..n {
        if pending[start] == 0 || state[start] != 0 {
            continue;
        }
        let mut walk = vec![start];
        state[start] = 1;
        let mut u = start;
        // A left event always names another left event.
        while let Some(&b) = before[u].iter().find(|&&b| pending[b] > 0 && state[b] != 2) {
            if state[b] == 1 {
                out.push(OrderProblem::Cycle { event: u, other: b });
                break;
            }
            state[b] = 1;
            walk.push(b);
            u = b;
        }
        for w in walk {
            state[w] = 2;
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Event, TimeExpr};

    fn story(events: &[(&str, Option<&str>, &[&str])]) -> Story {
        let tz = jiff::tz::TimeZone::UTC;
        Story {
            events: events
                .iter()
                .map(|(id, time, after)| Event {
                    id: id.to_string(),
                    time: time.map(|t| TimeExpr::parse(t, &tz).unwrap()),
                    after: after.iter().map(|s| s.to_string()).collect(),
                    ..Event::default()
                })
                .collect(),
            ..Story::default()
        }
    }

    fn at(t: &str) -> Interval {
        TimeExpr::parse(t, &jiff::tz::TimeZone::UTC)
            .unwrap()
            .interval()
    }

    #[test]
    fn tightens_both_ways_through_a_chain() {
        let mut s = story(&[
            ("c", None, &["b"]),
            ("b", Some("2016"), &["a"]),
            ("a", Some("2016-09/.."), &[]),
            ("d", Some("2016-10-02"), &["c"]),
        ]);
        order_events(&mut s).unwrap();
        let iv = |i: usize| s.events[i].interval();
        assert_eq!(iv(2), at("2016-09/2016-10-02"), "a");
        assert_eq!(iv(1), at("2016-09/2016-10-02"), "b");
        assert_eq!(iv(0), at("2016-09/2016-10-02"), "c");
        assert_eq!(s.events[3].ordered, None, "d is not tightened");
        assert_eq!(s.events[0].time, None, "the written time is kept");
    }

    #[test]
    fn cycles_and_empty_pairs_are_errors() {
        let mut s = story(&[("a", None, &["b"]), ("b", None, &["a"]), ("c", None, &[])]);
        let p = order_events(&mut s).unwrap_err();
        assert_eq!(p.len(), 1);
        let m = p[0].message(&s);
        assert!(
            m.contains("\"a\"") && m.contains("\"b\"") && m.contains("cycle"),
            "{m}"
        );
        let mut s = story(&[("a", None, &["a"])]);
        assert!(order_events(&mut s).unwrap_err()[0]
            .message(&s)
            .contains("itself"));
        let mut s = story(&[
            ("reply", Some("2016-09-20"), &["mail"]),
            ("mail", Some("2016-09-21/.."), &[]),
        ]);
        let p = order_events(&mut s).unwrap_err();
        assert_eq!(
            p,
            vec![OrderProblem::Empty {
                event: 0,
                before: 1
            }]
        );
        let m = p[0].message(&s);
        assert!(
            m.contains("2016-09-20") && m.contains("2016-09-21/.."),
            "{m}"
        );
    }
}
