//! Reachability against an obviously correct brute force on random small
//! stories: every simple chain of channels is enumerated straight from the
//! story's events (no index, no heap), and the answers compared.

use std::collections::HashMap;

use grapevine::model::{Entity, Event, Message};
use grapevine::{reach_story, Certainty, Mode, Origin, Query, Story, TimeExpr, Timing};
use proptest::prelude::*;

const TIMES: &[&str] = &[
    "2016-09-20T00:00:00",
    "2016-09-20T00:00:01",
    "2016-09-20T00:00:02",
    "2016-09-20T00:00:03",
    "2016-09-20T00:01",
    "2016-09-20",
    "2016-09-21",
    "2016-09-22",
    "2016-09",
    "2016-09-20/..",
    "2016-09-21/..",
    "../2016-09-20",
    "../2016-09-21T00:00:00",
    "2016-09-20/2016-09-21",
    "2016-09-20T00:00:02/2016-09-20T00:00:05",
    "2016-09-21T12:00~",
];

#[derive(Debug, Clone)]
struct EventSpec {
    mutual: bool,
    people: Vec<usize>,
    time: Option<usize>,
    certainty: Option<Certainty>,
    carries: bool,
}

use crate::strategies::{certainty, parties};

fn event_spec(n: usize) -> impl Strategy<Value = EventSpec> {
    (
        any::<bool>(),
        proptest::collection::vec(0..n, 2..4),
        proptest::option::weighted(0.9, 0..TIMES.len()),
        certainty(),
        proptest::bool::weighted(0.6),
    )
        .prop_map(|(mutual, people, time, certainty, carries)| EventSpec {
            mutual,
            people,
            time,
            certainty,
            carries,
        })
}

#[derive(Debug, Clone)]
struct Case {
    n: usize,
    events: Vec<EventSpec>,
    origin: usize,
    message_time: Option<usize>,
    use_message: bool,
    mode: Mode,
    threshold: Certainty,
    strict: bool,
    since: Option<usize>,
}

fn case() -> impl Strategy<Value = Case> {
    (2usize..7).prop_flat_map(|n| {
        (
            proptest::collection::vec(event_spec(n), 0..12),
            0..n,
            proptest::option::of(0..TIMES.len()),
            any::<bool>(),
            any::<bool>(),
            prop_oneof![
                Just(Certainty::Unknown),
                Just(Certainty::Alleged),
                Just(Certainty::Reported),
                Just(Certainty::Confirmed)
            ],
            any::<bool>(),
            proptest::option::weighted(0.3, 0..TIMES.len()),
        )
            .prop_map(
                move |(
                    events,
                    origin,
                    message_time,
                    use_message,
                    message_mode,
                    threshold,
                    strict,
                    since,
                )| Case {
                    n,
                    events,
                    origin,
                    message_time,
                    use_message,
                    mode: if use_message && message_mode {
                        Mode::Message
                    } else {
                        Mode::Contacts
                    },
                    threshold,
                    strict,
                    since,
                },
            )
    })
}

fn build(case: &Case) -> Story {
    let tz = jiff::tz::TimeZone::UTC;
    let time = |i: usize| TimeExpr::parse(TIMES[i], &tz).unwrap();
    let mut story = Story::default();
    for i in 0..case.n {
        story.entities.push(Entity {
            id: format!("p{i}"),
            name: format!("Person {i}"),
            ..Entity::default()
        });
    }
    story.messages.push(Message {
        id: "m".into(),
        origin: Some(format!("p{}", case.origin)),
        time: case.message_time.map(time),
        ..Message::default()
    });
    for (k, e) in case.events.iter().enumerate() {
        let people: Vec<String> = e.people.iter().map(|p| format!("p{p}")).collect();
        let Some(parties) = parties(people, e.mutual) else {
            continue;
        };
        story.events.push(Event {
            id: format!("e{k:02}"),
            parties,
            time: e.time.map(time),
            certainty: e.certainty,
            carries: if e.carries { vec!["m".into()] } else { vec![] },
            ..Event::default()
        });
    }
    story
}

fn query(case: &Case) -> Query {
    Query {
        origin: if case.use_message {
            Origin::Message("m".into())
        } else {
            Origin::Entity(format!("p{}", case.origin))
        },
        from: None,
        since: case.since.map(|i| TIMES[i].to_string()),
        mode: case.mode,
        threshold: case.threshold,
        strict: case.strict,
        until: None,
        paths: true,
    }
}

/// A channel read straight from an event.
#[derive(Debug, Clone)]
struct Channel {
    from: String,
    to: String,
    lo: i64,
    hi: i64,
    carries: bool,
}

fn channels(story: &Story, mode: Mode, min: Certainty, traced: bool) -> Vec<Channel> {
    let mut out = Vec::new();
    for e in &story.events {
        let carries = traced && e.carries.iter().any(|m| m == "m");
        if e.certainty() < min || (mode == Mode::Message && !carries) {
            continue;
        }
        let iv = e.interval();
        for (a, b) in e.parties.channels() {
            out.push(Channel {
                from: a.into(),
                to: b.into(),
                lo: iv.lo.unwrap_or(i64::MIN),
                hi: iv.hi.unwrap_or(i64::MAX),
                carries,
            });
        }
    }
    out
}

/// `t` plus one second when strict; no lower bound stays unbounded.
fn after(t: i64, strict: bool) -> i64 {
    if strict && t != i64::MIN {
        t.saturating_add(1)
    } else {
        t
    }
}

/// Every simple chain from `source`: calls `visit(node, arrival, hops, chain)`.
fn walk(
    chans: &[Channel],
    node: &str,
    t: i64,
    strict: bool,
    chain: &mut Vec<usize>,
    seen: &mut Vec<String>,
    visit: &mut dyn FnMut(&str, i64, &[usize]),
) {
    visit(node, t, chain);
    for (i, c) in chans.iter().enumerate() {
        if c.from != node || seen.contains(&c.to) {
            continue;
        }
        let ready = after(t, strict);
        if c.hi < ready {
            continue;
        }
        chain.push(i);
        seen.push(c.to.clone());
        walk(chans, &c.to, c.lo.max(ready), strict, chain, seen, visit);
        seen.pop();
        chain.pop();
    }
}

struct Brute {
    /// entity -> (earliest, fewest hops at earliest)
    earliest: HashMap<String, (i64, usize)>,
    definite: HashMap<String, i64>,
    evidence: HashMap<String, Certainty>,
}

fn brute(story: &Story, case: &Case) -> Brute {
    let source = format!("p{}", case.origin);
    let tz = jiff::tz::TimeZone::UTC;
    let since = case
        .since
        .map(|i| TimeExpr::parse(TIMES[i], &tz).unwrap().interval());
    let msg = case
        .message_time
        .map(|i| TimeExpr::parse(TIMES[i], &tz).unwrap().interval());
    let (t0, source_def) = match (since, case.use_message) {
        (Some(s), _) => (s.lo.unwrap_or(i64::MIN), s.lo.unwrap_or(i64::MIN)),
        (None, true) => (
            msg.and_then(|m| m.lo).unwrap_or(i64::MIN),
            msg.and_then(|m| m.hi).unwrap_or(i64::MAX),
        ),
        (None, false) => (i64::MIN, i64::MIN),
    };
    let earliest_at = |min: Certainty| {
        let chans = channels(story, case.mode, min, case.use_message);
        let mut best: HashMap<String, (i64, usize)> = HashMap::new();
        walk(
            &chans,
            &source,
            t0,
            case.strict,
            &mut vec![],
            &mut vec![source.clone()],
            &mut |v, t, chain| {
                let e = best.entry(v.to_string()).or_insert((t, chain.len()));
                if (t, chain.len()) < *e {
                    *e = (t, chain.len());
                }
            },
        );
        // The source itself holds it at t0, with no hops.
        best.insert(source.clone(), (t0, 0));
        best
    };
    let earliest = earliest_at(case.threshold);
    let mut evidence = HashMap::new();
    for level in [
        Certainty::Unknown,
        Certainty::Alleged,
        Certainty::Reported,
        Certainty::Confirmed,
    ] {
        if level < case.threshold {
            continue;
        }
        for v in earliest_at(level).keys() {
            evidence.insert(v.clone(), level);
        }
    }
    // Definite: simple chains, each channel possibly usable (its hi at or
    // after its sender's earliest) and time-ordered or carrying.
    let chans = channels(story, case.mode, case.threshold, case.use_message);
    let mut definite: HashMap<String, i64> = HashMap::new();
    definite.insert(source.clone(), source_def);
    // Every (entity, definite time) state reachable by any walk: a finite
    // closure, since definite times are channel his or the source's.
    let mut states: Vec<(String, i64)> = vec![(source.clone(), source_def)];
    let mut k = 0;
    while k < states.len() {
        let (node, d) = states[k].clone();
        k += 1;
        for c in &chans {
            if c.from != node
                || !earliest.contains_key(&node)
                || c.hi < after(earliest[&node].0, case.strict)
            {
                continue;
            }
            if !(c.lo >= after(d, case.strict) || c.carries) {
                continue;
            }
            let next = (c.to.clone(), c.hi);
            if next.0 != source && !states.contains(&next) {
                states.push(next);
            }
        }
    }
    for (node, d) in states {
        let e = definite.entry(node).or_insert(d);
        *e = (*e).min(d);
    }
    Brute {
        earliest,
        definite,
        evidence,
    }
}

fn check(case: &Case) -> Result<(), TestCaseError> {
    let story = build(case);
    let (index, q) = query(case).compile(&story).unwrap();
    let answer = grapevine::reach(&index, &q);
    let b = brute(&story, case);
    let mut got: Vec<&str> = answer.reached.iter().map(|r| r.entity.as_str()).collect();
    got.sort();
    let mut want: Vec<&str> = b.earliest.keys().map(String::as_str).collect();
    want.sort();
    prop_assert_eq!(&got, &want, "reached set");
    let chans_by_event: HashMap<&str, &Event> =
        story.events.iter().map(|e| (e.id.as_str(), e)).collect();
    for r in &answer.reached {
        let (t, hops) = b.earliest[&r.entity];
        prop_assert_eq!(
            r.earliest.unwrap_or(i64::MIN),
            t,
            "earliest of {}",
            r.entity
        );
        prop_assert_eq!(r.path_channels.len(), hops, "hops of {}", r.entity);
        prop_assert_eq!(
            r.evidence,
            b.evidence[&r.entity],
            "evidence of {}",
            r.entity
        );
        let bd = b.definite.get(&r.entity).copied();
        match r.timing {
            Timing::Definite => {
                prop_assert!(
                    bd.is_some(),
                    "{} definite but brute says possible",
                    r.entity
                );
                let bd = bd.unwrap();
                let want = if bd == i64::MIN || bd == i64::MAX {
                    None
                } else {
                    Some(bd)
                };
                prop_assert_eq!(r.definite_by, want, "definite_by of {}", r.entity);
            }
            Timing::Possible => prop_assert!(
                bd.is_none(),
                "{} possible but brute says definite by {:?}",
                r.entity,
                bd
            ),
        }
        // The path is a valid chain from the source that realises `earliest`:
        // `chain` names the entities along it, source first.
        prop_assert_eq!(r.chain(&index).len(), r.path_channels.len() + 1);
        let ids: Vec<String> = r
            .chain(&index)
            .iter()
            .map(|name| name.replace("Person ", "p"))
            .collect();
        let mut node = answer.source.clone();
        let mut time = answer.start.unwrap_or(i64::MIN);
        prop_assert_eq!(&ids[0], &node);
        for (k, id) in r.path.iter().flatten().enumerate() {
            let e = chans_by_event[id.as_str()];
            prop_assert!(e.certainty() >= case.threshold);
            prop_assert!(
                e.parties
                    .channels()
                    .contains(&(node.as_str(), ids[k + 1].as_str())),
                "event {} has no channel {} -> {}",
                id,
                node,
                ids[k + 1]
            );
            let iv = e.interval();
            let ready = after(time, case.strict);
            prop_assert!(
                iv.hi.unwrap_or(i64::MAX) >= ready,
                "event {} used before its sender knew",
                id
            );
            time = iv.lo.unwrap_or(i64::MIN).max(ready);
            node = ids[k + 1].clone();
        }
        prop_assert_eq!(&node, &r.entity, "path of {} ends elsewhere", r.entity);
        prop_assert_eq!(
            time,
            r.earliest.unwrap_or(i64::MIN),
            "path of {} does not realise earliest",
            r.entity
        );
    }
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 1500, ..ProptestConfig::default() })]

    #[test]
    fn reach_matches_brute_force(case in case()) {
        check(&case)?;
    }

    #[test]
    fn shuffling_events_changes_nothing(case in case(), seed in any::<u64>()) {
        let story = build(&case);
        let q = query(&case);
        let a = reach_story(&story, &q).unwrap();
        let mut shuffled = story.clone();
        let mut s = seed | 1;
        for i in (1..shuffled.events.len()).rev() {
            s ^= s << 13; s ^= s >> 7; s ^= s << 17;
            shuffled.events.swap(i, (s % (i as u64 + 1)) as usize);
        }
        let b = reach_story(&shuffled, &q).unwrap();
        prop_assert_eq!(a, b);
    }
}
