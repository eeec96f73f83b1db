//! Reachability against an obviously correct brute force on random small
//! stories: every simple chain of channels is enumerated straight from the
//! story's events (no index, no heap), the spec's rules are applied to those
//! chains, and the answers compared field by field, order included.

use std::collections::{HashMap, HashSet};

use grapevine::internals::model::{Entity, Event, Message};
use grapevine::{reach_story, Certainty, Mode, Origin, Query, Story, TimeExpr, Timing};
use proptest::prelude::*;
use proptest::strategy::ValueTree;
use proptest::test_runner::TestRunner;

use crate::strategies::{certainty, event_spec, parties, EventSpec, NAMES, TIMES, UNTILS};

#[derive(Debug, Clone)]
struct Case {
    n: usize,
    /// Name of each entity, as an index into `NAMES`.
    names: Vec<usize>,
    events: Vec<EventSpec>,
    origin: usize,
    message_time: Option<usize>,
    use_message: bool,
    mode: Mode,
    threshold: Certainty,
    strict: bool,
    since: Option<usize>,
    /// `--until`, as an index into `UNTILS`.
    until: Option<usize>,
    /// `after` pairs `(a, b)`: event `a` is after event `b` (`a > b`, so
    /// that they form no cycle; pairs naming an event left out are dropped).
    afters: Vec<(usize, usize)>,
    /// Holdings of the message: entity, time (index into `TIMES`),
    /// certainty.
    holdings: Vec<(usize, Option<usize>, Option<Certainty>)>,
}

fn case() -> impl Strategy<Value = Case> {
    (2usize..7).prop_flat_map(|n| {
        (
            proptest::collection::vec(event_spec(n, 4, TIMES.len()), 0..12),
            proptest::collection::vec(0..NAMES.len(), n),
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
            proptest::option::weighted(0.5, 0..UNTILS.len()),
            proptest::collection::vec((0usize..12, 0usize..12), 0..4),
            proptest::collection::vec(
                (
                    0..n,
                    proptest::option::weighted(0.9, 0..TIMES.len()),
                    certainty(),
                ),
                0..3,
            ),
        )
            .prop_map(
                move |(
                    events,
                    names,
                    origin,
                    message_time,
                    use_message,
                    message_mode,
                    threshold,
                    strict,
                    since,
                    until,
                    afters,
                    holdings,
                )| Case {
                    n,
                    names,
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
                    until,
                    afters: afters
                        .into_iter()
                        .filter(|(a, b)| a != b)
                        .map(|(a, b)| (a.max(b), a.min(b)))
                        .collect(),
                    holdings,
                },
            )
    })
}

/// A random story and query of this module's generator, for the tests of
/// other modules (`path` against `reach`).
pub(crate) fn story_and_query() -> impl Strategy<Value = (Story, Query)> {
    case()
        .prop_map(|c| (build(&c), query(&c)))
        .prop_filter("an order of events that can be", |(s, _)| {
            ordered_intervals(s).is_some()
        })
}

fn build(case: &Case) -> Story {
    let tz = jiff::tz::TimeZone::UTC;
    let time = |i: usize| TimeExpr::parse(TIMES[i], &tz).unwrap();
    let mut story = Story::default();
    for i in 0..case.n {
        story.entities.push(Entity {
            id: format!("p{i}"),
            name: NAMES[case.names[i]].to_string(),
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
    for (k, &(entity, t, certainty)) in case.holdings.iter().enumerate() {
        story.holdings.push(grapevine::Holding {
            id: format!("h{k}"),
            entity: format!("p{entity}"),
            message: "m".into(),
            time: t.map(time),
            certainty,
            ..Default::default()
        });
    }
    let ids: HashSet<String> = story.events.iter().map(|e| e.id.clone()).collect();
    for e in &mut story.events {
        let k: usize = e.id[1..].parse().unwrap();
        for &(_, b) in case.afters.iter().filter(|(a, _)| *a == k) {
            let b = format!("e{b:02}");
            if ids.contains(&b) && !e.after.contains(&b) {
                e.after.push(b);
            }
        }
    }
    // As a load does: the intervals `after` tightens (left as written when
    // the order is impossible; `check` compares that with the brute force).
    let _ = grapevine::order_events(&mut story);
    story
}

/// The holdings of the message as the events they are in queries about it,
/// straight from the spec: from the message's origin to the entity, with
/// the holding's time and certainty, carrying the message.
fn holding_events(story: &Story) -> Vec<Event> {
    let origin = story.messages[0].origin.clone().unwrap();
    story
        .holdings
        .iter()
        .map(|h| Event {
            id: h.id.clone(),
            parties: grapevine::Parties::Directed {
                from: origin.clone(),
                to: vec![h.entity.clone()],
                to_is_array: false,
            },
            time: h.time.clone(),
            certainty: h.certainty,
            carries: vec!["m".into()],
            ..Event::default()
        })
        .collect()
}

/// Each event's interval `(lo, hi)` tightened by `after`, straight from the
/// spec: the event's lo rises to at least B's lo and B's hi falls to at most
/// the event's hi, until nothing changes. `None` when a pair's tightened
/// interval is empty (an error). The written times, not the engine's.
fn ordered_intervals(story: &Story) -> Option<HashMap<String, (i64, i64)>> {
    let mut iv: HashMap<String, (i64, i64)> = story
        .events
        .iter()
        .map(|e| {
            let w = e.time.as_ref().map(TimeExpr::interval).unwrap_or_default();
            (
                e.id.clone(),
                (w.lo.unwrap_or(i64::MIN), w.hi.unwrap_or(i64::MAX)),
            )
        })
        .collect();
    loop {
        let mut changed = false;
        for e in &story.events {
            for b in &e.after {
                let ((el, eh), (bl, bh)) = (iv[&e.id], iv[b]);
                if bl > el {
                    iv.get_mut(&e.id).unwrap().0 = bl;
                    changed = true;
                }
                if eh < bh {
                    iv.get_mut(b).unwrap().1 = eh;
                    changed = true;
                }
            }
        }
        if !changed {
            break;
        }
    }
    let empty = story
        .events
        .iter()
        .any(|e| e.after.iter().any(|b| iv[&e.id].1 < iv[b].0));
    (!empty).then_some(iv)
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
        until: case.until.map(|i| UNTILS[i].to_string()),
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
    event: String,
    certainty: Certainty,
}

fn channels(story: &Story, mode: Mode, min: Certainty, traced: bool) -> Vec<Channel> {
    let ordered = ordered_intervals(story).expect("a valid order");
    let mut out = Vec::new();
    // A holding is a channel of the queries about its message only.
    let holdings = if traced {
        holding_events(story)
    } else {
        vec![]
    };
    for e in &holdings {
        let iv = e.time.as_ref().map(TimeExpr::interval).unwrap_or_default();
        if e.certainty() < min {
            continue;
        }
        for (a, b) in e.parties.channels() {
            out.push(Channel {
                from: a.into(),
                to: b.into(),
                lo: iv.lo.unwrap_or(i64::MIN),
                hi: iv.hi.unwrap_or(i64::MAX),
                carries: true,
                event: e.id.clone(),
                certainty: e.certainty(),
            });
        }
    }
    for e in &story.events {
        let carries = traced && e.carries.iter().any(|m| m == "m");
        if e.certainty() < min || (mode == Mode::Message && !carries) {
            continue;
        }
        let (lo, hi) = ordered[&e.id];
        for (a, b) in e.parties.channels() {
            out.push(Channel {
                from: a.into(),
                to: b.into(),
                lo,
                hi,
                carries,
                event: e.id.clone(),
                certainty: e.certainty(),
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

/// What stays the same down a walk of the chains: the channels and whether
/// a hop must come strictly after its sender's receipt.
struct Hops<'a> {
    chans: &'a [Channel],
    strict: bool,
}

/// Every simple chain from `source`: calls `visit(node, arrival, chain)`.
fn walk(
    hops: &Hops<'_>,
    node: &str,
    t: i64,
    chain: &mut Vec<usize>,
    seen: &mut Vec<String>,
    visit: &mut dyn FnMut(&str, i64, &[usize]),
) {
    visit(node, t, chain);
    for (i, c) in hops.chans.iter().enumerate() {
        if c.from != node || seen.contains(&c.to) {
            continue;
        }
        let ready = after(t, hops.strict);
        if c.hi < ready {
            continue;
        }
        chain.push(i);
        seen.push(c.to.clone());
        walk(hops, &c.to, c.lo.max(ready), chain, seen, visit);
        seen.pop();
        chain.pop();
    }
}

/// Per entity reached: its earliest time and its hops in the tree of the
/// spec, the distance from the source over the "tight" channels (a channel
/// from `u` to `v` is tight when it is usable from `u`'s earliest time and
/// delivers exactly at `v`'s earliest time).
fn tree_hops(
    chans: &[Channel],
    source: &str,
    earliest: &HashMap<String, i64>,
    strict: bool,
) -> HashMap<String, (i64, usize)> {
    let mut hops: HashMap<String, (i64, usize)> = HashMap::new();
    hops.insert(source.to_string(), (earliest[source], 0));
    let mut frontier = vec![source.to_string()];
    let mut d = 0;
    while !frontier.is_empty() {
        d += 1;
        let mut next = Vec::new();
        for u in &frontier {
            let ready = after(earliest[u], strict);
            for c in chans.iter().filter(|c| &c.from == u) {
                if c.to == source || c.hi < ready || hops.contains_key(&c.to) {
                    continue;
                }
                let t = c.lo.max(ready);
                if earliest.get(&c.to) == Some(&t) {
                    hops.insert(c.to.clone(), (t, d));
                    next.push(c.to.clone());
                }
            }
        }
        frontier = next;
    }
    assert_eq!(
        hops.len(),
        earliest.len(),
        "every entity reached is in the tree"
    );
    hops
}

/// The two clarifications of definite timing, each of which the brute force
/// can leave out (to show that the property test depends on it).
#[derive(Debug, Clone, Copy)]
struct Rules {
    /// A source with no start held the information before any contact: every
    /// hop from it is in time.
    null_start: bool,
    /// A definite chain back to the source lowers its definite time.
    lowering: bool,
}

const SPEC: Rules = Rules {
    null_start: true,
    lowering: true,
};

/// The query's answer without `until`, straight from the chains.
struct Brute {
    source: String,
    /// `t0` (`i64::MIN`: no start).
    t0: i64,
    /// Last second of `--until`.
    until: Option<i64>,
    /// Per threshold at or above the query's: entity -> (earliest, hops in
    /// the tree of earliest arrivals).
    levels: HashMap<Certainty, HashMap<String, (i64, usize)>>,
    /// Per threshold and entity: the first event of that certainty on each
    /// shortest tight chain at that threshold.
    firsts: HashMap<Certainty, HashMap<String, HashSet<String>>>,
    /// Entity -> least definite time (`i64::MIN` always, `i64::MAX` no upper
    /// bound); absent: not definitely reached.
    definite: HashMap<String, i64>,
}

/// Entity -> (earliest, tree hops), and entity -> first events of the
/// level on its shortest tight chains.
type LevelAnswer = (
    HashMap<String, (i64, usize)>,
    HashMap<String, HashSet<String>>,
);

/// One threshold's answer straight from the chains: entity -> (earliest,
/// tree hops), and per entity the first events of that certainty on its
/// shortest tight chains.
fn level_answer(
    story: &Story,
    case: &Case,
    level: Certainty,
    source: &str,
    t0: i64,
) -> LevelAnswer {
    let chans = channels(story, case.mode, level, case.use_message);
    let mut all: Vec<(String, i64, Vec<usize>)> = Vec::new();
    let hops = Hops {
        chans: &chans,
        strict: case.strict,
    };
    walk(
        &hops,
        source,
        t0,
        &mut vec![],
        &mut vec![source.to_string()],
        &mut |v, t, chain| all.push((v.to_string(), t, chain.to_vec())),
    );
    let mut earliest: HashMap<String, i64> = HashMap::new();
    for (v, t, _) in &all {
        let e = earliest.entry(v.clone()).or_insert(*t);
        *e = (*e).min(*t);
    }
    let best = tree_hops(&chans, source, &earliest, case.strict);
    // The shortest tight chains: every hop delivers at its receiver's
    // earliest time from its sender's earliest time.
    let tight = |chain: &[usize]| {
        let mut t = t0;
        chain.iter().all(|&c| {
            t = chans[c].lo.max(after(t, case.strict));
            earliest[&chans[c].to] == t
        })
    };
    let mut first: HashMap<String, HashSet<String>> = HashMap::new();
    for (v, _, chain) in &all {
        if chain.len() != best[v].1 || !tight(chain) {
            continue;
        }
        if let Some(&c) = chain.iter().find(|&&c| chans[c].certainty == level) {
            first
                .entry(v.clone())
                .or_default()
                .insert(chans[c].event.clone());
        }
    }
    (best, first)
}

fn brute(story: &Story, case: &Case, rules: Rules) -> Brute {
    let source = format!("p{}", case.origin);
    let tz = jiff::tz::TimeZone::UTC;
    let interval = |s: &str| TimeExpr::parse(s, &tz).unwrap().interval();
    let since = case.since.map(|i| interval(TIMES[i]));
    let msg = case.message_time.map(|i| interval(TIMES[i]));
    let (t0, source_def) = match (since, case.use_message) {
        (Some(s), _) => (s.lo.unwrap_or(i64::MIN), s.lo.unwrap_or(i64::MIN)),
        (None, true) => (
            msg.and_then(|m| m.lo).unwrap_or(i64::MIN),
            msg.and_then(|m| m.hi).unwrap_or(i64::MAX),
        ),
        (None, false) => (i64::MIN, i64::MIN),
    };
    let until = case.until.map(|i| interval(UNTILS[i]).hi.unwrap());
    let mut levels = HashMap::new();
    let mut firsts = HashMap::new();
    for level in Certainty::ALL {
        if level < case.threshold {
            continue;
        }
        let (best, first) = level_answer(story, case, level, &source, t0);
        levels.insert(level, best);
        firsts.insert(level, first);
    }
    // Definite: every (entity, definite time) state reachable by a sequence
    // of channels, each possibly usable (its hi at or after its sender's
    // earliest) and time-ordered (its lo at or after its sender's definite
    // time; for a source with no start, always) or carrying. A finite
    // closure, since definite times are channel his or the source's.
    let earliest = &levels[&case.threshold];
    let chans = channels(story, case.mode, case.threshold, case.use_message);
    let mut states: Vec<(String, i64)> = vec![(source.clone(), source_def)];
    let mut k = 0;
    while k < states.len() {
        let (node, d) = states[k].clone();
        k += 1;
        let held = if node == source && t0 == i64::MIN && rules.null_start {
            i64::MIN
        } else {
            d
        };
        for c in &chans {
            if c.from != node
                || !earliest.contains_key(&node)
                || c.hi < after(earliest[&node].0, case.strict)
            {
                continue;
            }
            if !(c.lo >= after(held, case.strict) || c.carries) {
                continue;
            }
            let next = (c.to.clone(), c.hi);
            if (rules.lowering || next.0 != source) && !states.contains(&next) {
                states.push(next);
            }
        }
    }
    let mut definite: HashMap<String, i64> = HashMap::new();
    for (node, d) in states {
        let e = definite.entry(node).or_insert(d);
        *e = (*e).min(d);
    }
    Brute {
        source,
        t0,
        until,
        levels,
        firsts,
        definite,
    }
}

/// One expected row of `reached`.
#[derive(Debug, Clone, PartialEq)]
struct Row {
    entity: String,
    earliest: i64,
    hops: usize,
    timing: Timing,
    definite_by: Option<i64>,
    evidence: Certainty,
}

/// The spec's answer, `until` applied: `reached` in causal order and
/// `not_reached` by name.
fn expected(story: &Story, case: &Case, b: &Brute) -> (Vec<Row>, Vec<String>) {
    let by = |t: i64| b.until.is_none_or(|u| t <= u);
    let mut rows = Vec::new();
    for (v, &(t, hops)) in &b.levels[&case.threshold] {
        if !by(t) {
            continue;
        }
        let evidence = Certainty::ALL
            .into_iter()
            .find(|l| {
                b.levels
                    .get(l)
                    .and_then(|m| m.get(v))
                    .is_some_and(|&(t, _)| by(t))
            })
            .unwrap();
        let definite = b.definite.get(v).copied().filter(|&d| match b.until {
            None => true,
            Some(u) if *v == b.source => b.t0 == i64::MIN || d <= u,
            Some(u) => d != i64::MAX && d <= u,
        });
        rows.push(Row {
            entity: v.clone(),
            earliest: t,
            hops,
            timing: if definite.is_some() {
                Timing::Definite
            } else {
                Timing::Possible
            },
            definite_by: definite.filter(|&d| d != i64::MIN && d != i64::MAX),
            evidence,
        });
    }
    let name = |id: &str| story.name_of(id).to_string();
    rows.sort_by_key(|r| {
        (
            r.entity != b.source,
            r.earliest,
            r.hops,
            name(&r.entity),
            r.entity.clone(),
        )
    });
    let mut not: Vec<String> = story
        .entities
        .iter()
        .map(|e| e.id.clone())
        .filter(|id| !rows.iter().any(|r| &r.entity == id))
        .collect();
    not.sort_by_key(|id| (name(id), id.clone()));
    (rows, not)
}

/// The story's events by id, and whether a hop must come strictly after
/// its sender's receipt: what stays the same down [`readings`].
struct Events<'a> {
    by_id: &'a HashMap<&'a str, &'a Event>,
    strict: bool,
}

/// Every way to read `path` as a chain from `node` at `t`, each hop usable
/// (its hi at or after its sender's receipt): the entities along it, `node`
/// first, and the arrival time.
fn readings(
    events: &Events<'_>,
    path: &[String],
    node: &str,
    t: i64,
    nodes: &mut Vec<String>,
    out: &mut Vec<(Vec<String>, i64)>,
) {
    let Some((id, rest)) = path.split_first() else {
        out.push((nodes.clone(), t));
        return;
    };
    let Some(e) = events.by_id.get(id.as_str()) else {
        return;
    };
    let iv = e.interval();
    let ready = after(t, events.strict);
    if iv.hi.unwrap_or(i64::MAX) < ready {
        return;
    }
    let at = iv.lo.unwrap_or(i64::MIN).max(ready);
    for (a, b) in e.parties.channels() {
        if a == node {
            nodes.push(b.to_string());
            readings(events, rest, b, at, nodes, out);
            nodes.pop();
        }
    }
}

/// The first row whose `path` is not its `previous`'s `path` followed by its
/// `via` (the paths of the spec form a tree), if any.
pub(crate) fn tree_violation(answer: &grapevine::ReachAnswer) -> Option<String> {
    let paths: HashMap<&str, &Vec<String>> = answer
        .reached
        .iter()
        .filter_map(|r| Some((r.entity.as_str(), r.path.as_ref()?)))
        .collect();
    answer.reached.iter().find_map(|r| {
        let path = r.path.as_ref()?;
        let want: Vec<String> = match (&r.previous, &r.via) {
            (None, None) => vec![],
            (Some(p), Some(via)) => {
                let Some(w) = paths.get(p.as_str()) else {
                    return Some(format!("{}: previous {p} not reached", r.entity));
                };
                let mut w = w.to_vec();
                w.push(via.clone());
                w
            }
            _ => return Some(format!("{}: previous and via disagree", r.entity)),
        };
        (path != &want)
            .then(|| format!("{}: path {:?}, previous's + via {:?}", r.entity, path, want))
    })
}

/// `after`: the engine's tightened intervals are the spec's, and an
/// impossible order is an error for both. True when the order is possible.
fn check_order(story: &Story) -> Result<bool, TestCaseError> {
    let mut ordered = story.clone();
    let engine = grapevine::order_events(&mut ordered);
    match ordered_intervals(story) {
        None => {
            prop_assert!(engine.is_err(), "an impossible order is an error");
            Ok(false)
        }
        Some(want) => {
            prop_assert!(engine.is_ok(), "{:?}", engine);
            for e in &story.events {
                let iv = e.interval();
                let got = (iv.lo.unwrap_or(i64::MIN), iv.hi.unwrap_or(i64::MAX));
                prop_assert_eq!(got, want[&e.id], "interval of {}", e.id);
            }
            Ok(true)
        }
    }
}

/// rests_on: the first event of the evidence level on a shortest tight
/// chain at that level; on the reported path itself when that level is the
/// threshold.
fn check_rests_on(
    r: &grapevine::Reached,
    path: &[String],
    b: &Brute,
    case: &Case,
    events: &HashMap<&str, &Event>,
) -> Result<(), TestCaseError> {
    let id = &r.entity;
    if *id == b.source || r.evidence == Certainty::Confirmed {
        prop_assert_eq!(&r.rests_on, &None, "rests_on of {}", id);
        return Ok(());
    }
    let Some(e) = r.rests_on.as_deref() else {
        return Err(TestCaseError::fail(format!("{id} rests on nothing")));
    };
    let candidates = b.firsts[&r.evidence].get(id).cloned().unwrap_or_default();
    prop_assert!(
        candidates.contains(e),
        "{} rests on {}, not one of {:?}",
        id,
        e,
        candidates
    );
    if r.evidence == case.threshold {
        let first = path
            .iter()
            .find(|p| events[p.as_str()].certainty() == r.evidence);
        prop_assert_eq!(Some(e), first.map(String::as_str), "rests_on of {}", id);
    }
    Ok(())
}

fn check(case: &Case) -> Result<(), TestCaseError> {
    let story = build(case);
    if !check_order(&story)? {
        return Ok(());
    }
    let catalog = grapevine::StoryCatalog::new(&story);
    let (index, q) = query(case).compile(&catalog).unwrap();
    let answer = grapevine::reach(&index, &q);
    // The streamed form writes exactly the same JSON.
    let streamed = grapevine::reach_rows(&index, &q);
    prop_assert_eq!(
        serde_json::to_value(&streamed).ok(),
        serde_json::to_value(&answer).ok(),
        "reach_rows JSON"
    );
    prop_assert_eq!(streamed.len(), answer.reached.len());
    let b = brute(&story, case, SPEC);
    let (rows, not) = expected(&story, case, &b);
    prop_assert_eq!(answer.asked.until, b.until, "until");
    let got: Vec<&str> = answer.reached.iter().map(|r| r.entity.as_str()).collect();
    let want: Vec<&str> = rows.iter().map(|r| r.entity.as_str()).collect();
    prop_assert_eq!(&got, &want, "reached, in causal order");
    prop_assert_eq!(&answer.not_reached, &not, "not_reached, by name");
    // The paths form a tree: previous's path followed by via.
    prop_assert_eq!(tree_violation(&answer), None);
    let held = holding_events(&story);
    let events: HashMap<&str, &Event> = story
        .events
        .iter()
        .chain(held.iter().filter(|_| case.use_message))
        .map(|e| (e.id.as_str(), e))
        .collect();
    for (r, want) in answer.reached.iter().zip(&rows) {
        let id = &r.entity;
        let got = Row {
            entity: id.clone(),
            earliest: r.earliest.unwrap_or(i64::MIN),
            hops: r.hops(&index).len(),
            timing: r.timing,
            definite_by: r.definite_by,
            evidence: r.evidence,
        };
        prop_assert_eq!(&got, want, "row of {}", id);
        let path = r.path.as_ref().expect("paths asked for");
        prop_assert_eq!(path.len(), want.hops, "path of {}", id);
        check_rests_on(r, path, &b, case, &events)?;
        // via and previous: the last hop, and where it came from.
        prop_assert_eq!(&r.via, &path.last().cloned(), "via of {}", id);
        prop_assert_eq!(r.previous.is_none(), *id == b.source, "previous of {}", id);
        if let Some(p) = &r.previous {
            let before = answer.reached.iter().position(|x| &x.entity == p);
            let here = answer.reached.iter().position(|x| &x.entity == id);
            prop_assert!(before < here, "{} comes before {}, its previous", id, p);
        }
        // The path is a chain of the query's events from the source that
        // realises `earliest`, through `previous`, as `chain` names it.
        for p in path {
            let e = events[p.as_str()];
            prop_assert!(e.certainty() >= case.threshold, "{} below threshold", p);
            prop_assert!(case.mode == Mode::Contacts || e.carries.iter().any(|m| m == "m"));
        }
        let mut out = Vec::new();
        readings(
            &Events {
                by_id: &events,
                strict: case.strict,
            },
            path,
            &b.source,
            b.t0,
            &mut vec![b.source.clone()],
            &mut out,
        );
        let names = r.chain(&index);
        let fits = out.iter().any(|(nodes, t)| {
            nodes.last() == Some(id)
                && *t == want.earliest
                && r.previous.as_ref() == nodes.len().checked_sub(2).map(|k| &nodes[k])
                && nodes
                    .iter()
                    .map(|n| story.name_of(n))
                    .eq(names.iter().map(String::as_str))
        });
        prop_assert!(
            fits,
            "path {:?} of {} is no chain through {:?} arriving at {} (readings {:?})",
            path,
            id,
            r.previous,
            want.earliest,
            out
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

    /// A meeting through a hub (2k channels) answers exactly as every ordered
    /// pair of its participants (k(k−1) channels): here every mutual event,
    /// even of two, goes through a hub on one side and none on the other.
    #[test]
    fn meetings_through_a_hub_answer_as_every_pair(case in case()) {
        let story = build(&case);
        let q = query(&case);
        let answer = |hub_min: usize| {
            let catalog = grapevine::StoryCatalog::with_hub_min(&story, hub_min);
            q.compile(&catalog).map(|(index, rq)| {
                let a = grapevine::reach(&index, &rq);
                let hops: Vec<usize> = a.reached.iter().map(|r| r.hops(&index).len()).collect();
                (serde_json::to_value(&a).unwrap_or_default(), hops)
            }).map_err(|e| e.to_string())
        };
        prop_assert_eq!(answer(2), answer(usize::MAX));
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

    /// `--no-paths` gives the same answer without `path`, and the JSON has
    /// no `path` then; `until` is in the JSON exactly when asked for.
    #[test]
    fn no_paths_is_the_same_answer_without_path(case in case()) {
        let story = build(&case);
        let with = reach_story(&story, &query(&case)).unwrap();
        let without = reach_story(&story, &Query { paths: false, ..query(&case) }).unwrap();
        let mut stripped = with.clone();
        for r in &mut stripped.reached {
            r.path = None;
        }
        prop_assert_eq!(&without, &stripped);
        let json = |a| serde_json::to_value(a).unwrap();
        let (w, wo) = (json(&with), json(&without));
        for (a, b) in w["reached"].as_array().unwrap().iter().zip(wo["reached"].as_array().unwrap()) {
            prop_assert!(a["path"].is_array());
            prop_assert!(b.get("path").is_none());
            for k in ["rests_on", "via", "previous"] {
                prop_assert!(b.get(k).is_some(), "{} is always there", k);
            }
        }
        prop_assert_eq!(w.get("until").is_some(), case.until.is_some());
    }
}

/// The generator exercises every rule: on a fixed sample, leaving a rule out
/// of the brute force changes the expected answer of some cases (so an engine
/// without it fails `reach_matches_brute_force`), and `until`, evidence above
/// the threshold and shared names all occur.
#[test]
fn the_generator_exercises_every_rule() {
    let mut runner = TestRunner::deterministic();
    let strategy = case();
    let mut seen: HashMap<&str, usize> = HashMap::new();
    for _ in 0..1500 {
        let case = strategy.new_tree(&mut runner).unwrap().current();
        let story = build(&case);
        let Some(ordered) = ordered_intervals(&story) else {
            *seen.entry("after is impossible").or_default() += 1;
            continue;
        };
        *seen.entry("after tightens").or_default() += usize::from(story.events.iter().any(|e| {
            let w = e.time.as_ref().map(TimeExpr::interval).unwrap_or_default();
            ordered[&e.id] != (w.lo.unwrap_or(i64::MIN), w.hi.unwrap_or(i64::MAX))
        }));
        let b = brute(&story, &case, SPEC);
        let (rows, _) = expected(&story, &case, &b);
        let mut count = |what, yes: bool| *seen.entry(what).or_default() += usize::from(yes);
        for (what, rules) in [
            (
                "null start",
                Rules {
                    null_start: false,
                    ..SPEC
                },
            ),
            (
                "lowering",
                Rules {
                    lowering: false,
                    ..SPEC
                },
            ),
        ] {
            count(
                what,
                expected(&story, &case, &brute(&story, &case, rules)).0 != rows,
            );
        }
        let unheld = Case {
            holdings: vec![],
            ..case.clone()
        };
        let unheld_story = build(&unheld);
        count(
            "a holding changes the answer",
            expected(&unheld_story, &unheld, &brute(&unheld_story, &unheld, SPEC)).0 != rows,
        );
        let open = Case {
            until: None,
            ..case.clone()
        };
        let unfiltered = expected(&story, &open, &brute(&story, &open, SPEC)).0;
        count(
            "until filters",
            case.until.is_some() && unfiltered.len() > rows.len(),
        );
        count(
            "until changes a row",
            unfiltered
                .iter()
                .any(|r| rows.iter().any(|x| x.entity == r.entity && x != r)),
        );
        count(
            "evidence above threshold, below confirmed",
            rows.iter()
                .any(|r| r.evidence > case.threshold && r.evidence < Certainty::Confirmed),
        );
        count("shared names", {
            let mut names: Vec<usize> = rows
                .iter()
                .map(|r| case.names[r.entity[1..].parse::<usize>().unwrap()])
                .collect();
            let n = names.len();
            names.sort();
            names.dedup();
            names.len() < n
        });
    }
    for what in [
        "null start",
        "lowering",
        "until filters",
        "until changes a row",
        "evidence above threshold, below confirmed",
        "shared names",
        "after tightens",
        "after is impossible",
        "a holding changes the answer",
    ] {
        assert!(
            seen.get(what).copied().unwrap_or(0) >= 5,
            "{what}: {seen:?}"
        );
    }
}

/// Hand-made stories for the two clarifications of definite timing and for
/// `until`, on exact times (the fast path) and on intervals (the general one).
mod examples {
    use super::*;

    fn story(events: &[(&str, &str, &str, &str, bool)], message_time: Option<&str>) -> Story {
        let mut text = String::from(r#"{"format": "grapevine/1", "entities": ["#);
        text.push_str(r#"{"id": "a", "name": "A"}, {"id": "b", "name": "B"}, {"id": "c", "name": "C"}], "messages": [{"id": "m", "origin": "a""#);
        if let Some(t) = message_time {
            text.push_str(&format!(r#", "time": "{t}""#));
        }
        text.push_str(r#"}], "events": ["#);
        let evs: Vec<String> = events
            .iter()
            .map(|(id, from, to, time, carries)| {
                format!(
                    r#"{{"id": "{id}", "from": "{from}", "to": "{to}", "time": "{time}"{}}}"#,
                    if *carries {
                        r#", "carries": ["m"]"#
                    } else {
                        ""
                    }
                )
            })
            .collect();
        text.push_str(&evs.join(", "));
        text.push_str("]}");
        grapevine::load_str("s.json", &text).unwrap().story
    }

    fn at(text: &str) -> i64 {
        TimeExpr::parse(text, &jiff::tz::TimeZone::UTC)
            .unwrap()
            .interval()
            .hi
            .unwrap()
    }

    #[test]
    fn an_email_back_to_the_origin_lowers_its_definite_time() {
        for first in ["2016-09-20T10:00:00", "2016-09-20"] {
            let s = story(
                &[
                    ("out", "a", "b", first, true),
                    ("back", "b", "a", "2016-09-20T21:57:00", true),
                ],
                Some("2016-09-20"),
            );
            let a = reach_story(&s, &Query::message("m")).unwrap();
            let src = &a.reached[0];
            assert_eq!(src.entity, "a");
            assert_eq!(src.definite_by, Some(at("2016-09-20T21:57:00")), "{first}");
            for (until, timing) in [
                ("2016-09-20T21:57", Timing::Definite),
                ("2016-09-20T21:56", Timing::Possible),
            ] {
                let q = Query {
                    until: Some(until.into()),
                    ..Query::message("m")
                };
                let a = reach_story(&s, &q).unwrap();
                assert_eq!(a.reached[0].timing, timing, "{first}, until {until}");
            }
        }
    }

    #[test]
    fn a_source_with_no_start_is_in_time_for_every_hop() {
        // A message with no time, and one known only to be held by 21
        // September: the contacts of its origin are in time, strict or not.
        for message_time in [None, Some("../2016-09-21")] {
            for (time, strict) in [("2016-09-20T10:00:00", true), ("2016-09-20", false)] {
                let s = story(&[("call", "a", "b", time, false)], message_time);
                let q = Query {
                    mode: Mode::Contacts,
                    strict,
                    ..Query::message("m")
                };
                let a = reach_story(&s, &q).unwrap();
                let b = a.get("b").unwrap();
                assert_eq!(b.timing, Timing::Definite, "{message_time:?} {time}");
                assert_eq!(b.definite_by, Some(at(time)));
                // By any time, the source held it; b only from its call on.
                let q = Query {
                    until: Some("2016-01-01".into()),
                    ..q
                };
                let a = reach_story(&s, &q).unwrap();
                assert_eq!(a.reached.len(), 1);
                assert_eq!(a.reached[0].timing, Timing::Definite);
                assert_eq!(a.not_reached, ["b", "c"]);
            }
        }
    }

    #[test]
    fn until_needs_an_end_and_a_valid_time() {
        let s = story(&[], Some("2016-09-20"));
        for bad in ["2016-09-20/..", "2016-13", "tomorrow"] {
            let q = Query {
                until: Some(bad.into()),
                ..Query::message("m")
            };
            let e = reach_story(&s, &q).unwrap_err();
            assert!(
                matches!(
                    &e,
                    grapevine::Error::Query(
                        grapevine::QueryError::OpenEnd { text }
                            | grapevine::QueryError::BadTime {
                                role: grapevine::internals::error::TimeRole::Until,
                                text,
                                ..
                            }
                    ) if text == bad
                ),
                "{bad}: {e}"
            );
        }
        let q = Query {
            until: Some("2016-09-19".into()),
            ..Query::message("m")
        };
        let a = reach_story(&s, &q).unwrap();
        assert!(a.reached.is_empty(), "the message starts after T");
        assert_eq!(a.not_reached, ["a", "b", "c"]);
        let json = serde_json::to_value(&a).unwrap();
        assert_eq!(json["until"], "2016-09-19T23:59:59Z");
    }
}
