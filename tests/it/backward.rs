//! Backward reachability ("who could have told them") against an obviously
//! correct brute force on random small stories: every simple chain of
//! channels ending at each target is enumerated straight from the story's
//! events (no index, no heap), `latest` comes from the backward recursion
//! along each chain, and the answers are compared row by row, order
//! included; every path returned must be a chain of the query's events that
//! realises the entity's latest for its target. Then hand-checked answers
//! on the bundled story, and the command line.

use std::collections::HashMap;

use grapevine::analysis::backward::{backward, Backward, BackwardAnswer};
use grapevine::{Certainty, Mode, Story, StoryCatalog, TimeExpr};
use grapevine::{Entity, Event, Message};
use proptest::prelude::*;
use proptest::strategy::ValueTree;
use proptest::test_runner::TestRunner;

use crate::strategies::{event_spec, parties, EventSpec, NAMES, TIMES, UNTILS};

/// The first few of [`TIMES`] are one exact second each: stories with only
/// those take the exact-time pass.
const EXACT: usize = 4;

#[derive(Debug, Clone)]
struct Case {
    n: usize,
    names: Vec<usize>,
    events: Vec<EventSpec>,
    /// Each target (an entity number, distinct) and its time, as an index
    /// into `UNTILS`.
    targets: Vec<(usize, Option<usize>)>,
    message: bool,
    mode: Mode,
    threshold: Certainty,
    strict: bool,
}

fn case() -> impl Strategy<Value = Case> {
    (2usize..7, any::<bool>()).prop_flat_map(|(n, exact)| {
        let times = if exact { EXACT } else { TIMES.len() };
        (
            proptest::collection::vec(event_spec(n, 5, times), 0..12),
            proptest::collection::vec(0..NAMES.len(), n),
            proptest::collection::vec(
                (0..n, proptest::option::weighted(0.8, 0..UNTILS.len())),
                1..4,
            ),
            any::<bool>(),
            any::<bool>(),
            prop_oneof![
                Just(Certainty::Unknown),
                Just(Certainty::Alleged),
                Just(Certainty::Reported),
                Just(Certainty::Confirmed)
            ],
            any::<bool>(),
        )
            .prop_map(
                move |(events, names, mut targets, message, message_mode, threshold, strict)| {
                    let mut seen = Vec::new();
                    targets.retain(|(t, _)| {
                        let new = !seen.contains(t);
                        seen.push(*t);
                        new
                    });
                    Case {
                        n,
                        names,
                        events,
                        targets,
                        message,
                        mode: if message && message_mode {
                            Mode::Message
                        } else {
                            Mode::Contacts
                        },
                        threshold,
                        strict,
                    }
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
            name: NAMES[case.names[i]].to_string(),
            ..Entity::default()
        });
    }
    story.messages.push(Message {
        id: "m".into(),
        origin: Some("p0".into()),
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

fn question(case: &Case) -> Backward {
    Backward {
        targets: case
            .targets
            .iter()
            .map(|&(t, u)| (format!("p{t}"), u.map(|i| UNTILS[i].to_string())))
            .collect(),
        message: case.message.then(|| "m".to_string()),
        mode: case.mode,
        threshold: case.threshold,
        strict: case.strict,
        paths: true,
    }
}

fn until_of(i: Option<usize>) -> i64 {
    i.map_or(i64::MAX, |i| {
        TimeExpr::parse(UNTILS[i], &jiff::tz::TimeZone::UTC)
            .unwrap()
            .interval()
            .hi
            .unwrap()
    })
}

/// A channel read straight from an event.
#[derive(Debug, Clone)]
struct Channel {
    from: String,
    to: String,
    lo: i64,
    hi: i64,
}

fn channels(story: &Story, mode: Mode, min: Certainty) -> Vec<Channel> {
    let mut out = Vec::new();
    for e in &story.events {
        let carries = e.carries.iter().any(|m| m == "m");
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
            });
        }
    }
    out
}

/// How the brute force reads a rule: the spec's, or deliberately broken to
/// show that the property test catches an engine that breaks it.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Rules {
    Spec,
    /// Strict ignored.
    NoStrict,
    /// A channel may be used at its `hi` even when the receiver needed it
    /// earlier (the `min` with the receiver's latest forgotten).
    NoMin,
}

/// The sender's latest for a channel used towards a receiver whose latest
/// is `lv`: used at `min(hi, lv)`, which must be at or after `lo`; held a
/// second before in strict mode ("no bound" stays unbounded).
fn step(c: &Channel, lv: i64, strict: bool, rules: Rules) -> Option<i64> {
    let used = if rules == Rules::NoMin {
        c.hi
    } else {
        c.hi.min(lv)
    };
    if used < c.lo || (rules == Rules::NoMin && c.lo > lv) {
        return None;
    }
    let strict = strict && rules != Rules::NoStrict;
    Some(if strict && used != i64::MAX {
        used - 1
    } else {
        used
    })
}

/// Every simple chain ending at `node`, backwards: `visit(entity, latest)`.
fn walk(
    chans: &[Channel],
    node: &str,
    lat: i64,
    (strict, rules): (bool, Rules),
    seen: &mut Vec<String>,
    visit: &mut dyn FnMut(&str, i64),
) {
    visit(node, lat);
    for c in chans {
        if c.to != node || seen.contains(&c.from) {
            continue;
        }
        let Some(l) = step(c, lat, strict, rules) else {
            continue;
        };
        seen.push(c.from.clone());
        walk(chans, &c.from, l, (strict, rules), seen, visit);
        seen.pop();
    }
}

/// Per target, entity -> latest, at certainty `min`.
fn latest(story: &Story, case: &Case, min: Certainty, rules: Rules) -> Vec<HashMap<String, i64>> {
    let chans = channels(story, case.mode, min);
    case.targets
        .iter()
        .map(|&(t, u)| {
            let target = format!("p{t}");
            let mut best: HashMap<String, i64> = HashMap::new();
            walk(
                &chans,
                &target,
                until_of(u),
                (case.strict, rules),
                &mut vec![target.clone()],
                &mut |v, l| {
                    let e = best.entry(v.to_string()).or_insert(l);
                    *e = (*e).max(l);
                },
            );
            best
        })
        .collect()
}

/// One expected row: entity, latest (`i64::MAX`: no bound), evidence.
type Row = (String, i64, Certainty);

/// The expected rows in order, every per-target latest at the threshold,
/// and `not_reached`.
fn expected(
    story: &Story,
    case: &Case,
    rules: Rules,
) -> (Vec<Row>, Vec<HashMap<String, i64>>, Vec<String>) {
    let at = latest(story, case, case.threshold, rules);
    let levels: Vec<(Certainty, Vec<HashMap<String, i64>>)> = Certainty::ALL
        .iter()
        .filter(|&&l| l >= case.threshold)
        .map(|&l| (l, latest(story, case, l, rules)))
        .collect();
    let all = |maps: &[HashMap<String, i64>], v: &str| maps.iter().all(|m| m.contains_key(v));
    let mut rows: Vec<Row> = Vec::new();
    let mut not: Vec<String> = Vec::new();
    for e in &story.entities {
        let v = e.id.as_str();
        if !all(&at, v) {
            not.push(v.to_string());
            continue;
        }
        let l = at.iter().map(|m| m[v]).min().unwrap();
        let evidence = levels
            .iter()
            .find(|(_, maps)| all(maps, v))
            .map(|(c, _)| *c)
            .unwrap();
        rows.push((v.to_string(), l, evidence));
    }
    let name = |id: &str| story.name_of(id).to_string();
    rows.sort_by(|a, b| {
        b.1.cmp(&a.1)
            .then_with(|| (name(&a.0), &a.0).cmp(&(name(&b.0), &b.0)))
    });
    not.sort_by(|a, b| (name(a), a).cmp(&(name(b), b)));
    (rows, at, not)
}

/// The latest time `node` can hold it and still get it to `target` along
/// exactly the events `path`, over every reading of which channel of each
/// event is meant (`None`: the path is no chain from `node` to `target`).
fn path_latest(
    story: &Story,
    path: &[String],
    node: &str,
    target: &str,
    until: i64,
    strict: bool,
) -> Option<i64> {
    let Some((id, rest)) = path.split_first() else {
        return (node == target).then_some(until);
    };
    let e = story.events.iter().find(|e| &e.id == id)?;
    let iv = e.interval();
    let mut best = None;
    for (a, b) in e.parties.channels() {
        if a != node {
            continue;
        }
        let c = Channel {
            from: a.into(),
            to: b.into(),
            lo: iv.lo.unwrap_or(i64::MIN),
            hi: iv.hi.unwrap_or(i64::MAX),
        };
        if let Some(lv) = path_latest(story, rest, b, target, until, strict) {
            best = best.max(step(&c, lv, strict, Rules::Spec));
        }
    }
    best
}

fn rows_of(a: &BackwardAnswer) -> Vec<Row> {
    a.could_have_told
        .iter()
        .map(|r| (r.entity.clone(), r.latest.unwrap_or(i64::MAX), r.evidence))
        .collect()
}

fn check(case: &Case) -> Result<(), TestCaseError> {
    let story = build(case);
    let (rows, per_target, not) = expected(&story, case, Rules::Spec);
    for hub_min in [2, usize::MAX] {
        let catalog = StoryCatalog::with_hub_min(&story, hub_min);
        let (index, q) = question(case).compile(&catalog).unwrap();
        let exact = index.is_exact();
        let a = backward(&index, &q);
        // The streamed form writes exactly the same JSON.
        let streamed = grapevine::analysis::backward::backward_rows(&index, &q);
        prop_assert_eq!(
            serde_json::to_value(&streamed).ok(),
            serde_json::to_value(&a).ok(),
            "backward_rows JSON"
        );
        let bare = grapevine::analysis::backward::backward_rows(
            &index,
            &Backward {
                paths: false,
                ..question(case)
            }
            .compile(&catalog)
            .unwrap()
            .1,
        );
        let mut stripped = serde_json::to_value(&a).unwrap();
        for r in stripped["could_have_told"].as_array_mut().unwrap() {
            r.as_object_mut().unwrap().remove("paths");
        }
        prop_assert_eq!(serde_json::to_value(&bare).unwrap(), stripped, "--no-paths");
        // The exact pass and the interval pass give the same answer, paths
        // included.
        if exact {
            let b = backward(&index.clone().with_interval_storage(), &q);
            prop_assert_eq!(&a, &b, "exact and interval passes");
        }
        prop_assert_eq!(rows_of(&a), rows.clone(), "rows (hub_min {})", hub_min);
        prop_assert_eq!(&a.not_reached, &not, "not_reached");
        for r in &a.could_have_told {
            let paths = r.paths.as_ref().expect("paths asked for");
            prop_assert_eq!(paths.0.len(), case.targets.len());
            for (k, &(t, u)) in case.targets.iter().enumerate() {
                let target = format!("p{t}");
                let (to, path) = &paths.0[k];
                prop_assert_eq!(to, &target);
                for p in path {
                    let e = story.events.iter().find(|e| &e.id == p).unwrap();
                    prop_assert!(e.certainty() >= case.threshold, "{} below threshold", p);
                    prop_assert!(
                        case.mode == Mode::Contacts || e.carries.iter().any(|m| m == "m"),
                        "{} does not carry m",
                        p
                    );
                }
                let got = path_latest(&story, path, &r.entity, &target, until_of(u), case.strict);
                prop_assert_eq!(
                    got,
                    Some(per_target[k][&r.entity]),
                    "path {:?} of {} to {}",
                    path,
                    &r.entity,
                    &target
                );
                let names = r.chain_names(&index, k);
                prop_assert_eq!(names.len(), path.len() + 1, "chain names of {}", &r.entity);
                prop_assert_eq!(names.first(), Some(&r.name));
                prop_assert_eq!(
                    names.last().map(String::as_str),
                    Some(story.name_of(&target))
                );
            }
        }
        let json = serde_json::to_value(&a).unwrap();
        let keys: Vec<&str> = json
            .as_object()
            .unwrap()
            .keys()
            .map(String::as_str)
            .collect();
        prop_assert_eq!(
            keys.len(),
            6,
            "targets, mode, threshold, strict, could_have_told, not_reached: {:?}",
            keys
        );
    }
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 1500, ..ProptestConfig::default() })]

    #[test]
    fn backward_matches_brute_force(case in case()) {
        check(&case)?;
    }

    /// One candidate's chain is the forward question from it: in contacts
    /// mode an entity could have told a target by T exactly when `path
    /// --from ENTITY --to TARGET --until T` reaches the target (its chain
    /// is the one to show, and `why-not` with the same flags says why
    /// not), whatever the threshold and `--strict`.
    #[test]
    fn a_candidate_is_one_whose_forward_chain_arrives_in_time(case in case()) {
        let mut case = case;
        case.mode = Mode::Contacts;
        case.message = false;
        case.targets.truncate(1);
        let story = build(&case);
        let catalog = StoryCatalog::new(&story);
        let answer = grapevine::analysis::backward::backward_in(&catalog, &question(&case)).unwrap();
        let (t, until) = case.targets[0];
        let target = format!("p{t}");
        for c in 0..case.n {
            let id = format!("p{c}");
            let mut q = grapevine::Query::from_entity(&id);
            q.threshold = case.threshold;
            q.strict = case.strict;
            q.until = until.map(|i| UNTILS[i].to_string());
            let forward = grapevine::reach_story(&story, &q).unwrap();
            let arrives = forward.reached.iter().any(|r| r.entity == target);
            let told = answer.could_have_told.iter().any(|r| r.entity == id);
            prop_assert_eq!(told, arrives, "{} to {} by {:?}", id, target, q.until);
        }
    }

    /// Shuffling the file's events changes nothing, paths included.
    #[test]
    fn shuffling_events_changes_nothing(case in case(), seed in any::<u64>()) {
        let story = build(&case);
        let answer = |s: &Story| {
            grapevine::analysis::backward::backward_in(&StoryCatalog::new(s), &question(&case)).unwrap()
        };
        let a = answer(&story);
        let mut shuffled = story.clone();
        let mut s = seed | 1;
        for i in (1..shuffled.events.len()).rev() {
            s ^= s << 13; s ^= s >> 7; s ^= s << 17;
            shuffled.events.swap(i, (s % (i as u64 + 1)) as usize);
        }
        prop_assert_eq!(a, answer(&shuffled));
    }
}

/// The generator exercises what the test is there for: on a fixed sample,
/// an engine that ignored strict or forgot the receiver's latest would give
/// other rows in some cases, and several targets, unbounded latest times,
/// evidence above the threshold, relays inside one exact second and shared
/// names all occur.
#[test]
fn the_generator_exercises_every_rule() {
    let mut runner = TestRunner::deterministic();
    let strategy = case();
    let mut seen: HashMap<&str, usize> = HashMap::new();
    for _ in 0..1500 {
        let case = strategy.new_tree(&mut runner).unwrap().current();
        let story = build(&case);
        let (rows, _, _) = expected(&story, &case, Rules::Spec);
        let mut count = |what, yes: bool| *seen.entry(what).or_default() += usize::from(yes);
        count("strict", expected(&story, &case, Rules::NoStrict).0 != rows);
        count(
            "min with the receiver",
            expected(&story, &case, Rules::NoMin).0 != rows,
        );
        count("several targets", case.targets.len() > 1 && rows.len() > 1);
        count("no bound", rows.iter().any(|r| r.1 == i64::MAX));
        count(
            "evidence above threshold, below confirmed",
            rows.iter()
                .any(|r| r.2 > case.threshold && r.2 < Certainty::Confirmed),
        );
        let catalog = StoryCatalog::new(&story);
        let (index, _) = question(&case).compile(&catalog).unwrap();
        count(
            "exact, relaying in a second",
            index.is_exact() && !case.strict && rows.iter().filter(|r| r.1 != i64::MAX).count() > 2,
        );
        count("shared names", {
            let mut names: Vec<usize> = rows
                .iter()
                .map(|r| case.names[r.0[1..].parse::<usize>().unwrap()])
                .collect();
            let n = names.len();
            names.sort();
            names.dedup();
            names.len() < n
        });
    }
    for (what, n) in &seen {
        assert!(*n >= 5, "{what}: {seen:?}");
    }
    assert_eq!(seen.len(), 7, "{seen:?}");
}

/// Hand-checked answers on the bundled story (New York time: the end of 11
/// July 2017 is 2017-07-12T03:59:59Z).
mod bundled {
    use super::*;

    fn answer(q: &Backward) -> BackwardAnswer {
        let loaded = grapevine::load_path("graphs/trump-jr-wikileaks.json".as_ref()).unwrap();
        grapevine::analysis::backward::backward_in(&StoryCatalog::new(&loaded.story), q).unwrap()
    }

    fn by(q: Backward, until: &str) -> Backward {
        let mut q = q;
        q.targets[0].1 = Some(until.into());
        q
    }

    fn rows(a: &BackwardAnswer) -> Vec<(&str, Option<String>, Certainty)> {
        a.could_have_told
            .iter()
            .map(|r| {
                (
                    r.entity.as_str(),
                    r.latest.map(grapevine::internals::model::time::rfc3339),
                    r.evidence,
                )
            })
            .collect()
    }

    const END_11_JUL: &str = "2017-07-12T03:59:59Z";
    const END_9_JUN: &str = "2016-06-10T03:59:59Z";
    const END_20_SEP: &str = "2016-09-21T03:59:59Z";

    #[test]
    fn who_could_have_told_the_atlantic_by_11_july_2017() {
        let a = answer(&by(Backward::to("The Atlantic"), "2017-07-11"));
        let t = Some(END_11_JUL.to_string());
        let j = Some(END_9_JUN.to_string());
        use Certainty::*;
        assert_eq!(
            rows(&a),
            vec![
                // By name: Donald Trump Jr., Source familiar..., The
                // Atlantic, Trump Jr.'s lawyer, US Congress, WikiLeaks.
                ("trump-jr", t.clone(), Alleged),
                ("congressional-source", t.clone(), Reported),
                ("the-atlantic", t.clone(), Confirmed),
                ("trump-jr-lawyer", t.clone(), Confirmed),
                ("congress", t.clone(), Alleged),
                ("wikileaks", t.clone(), Alleged),
                // Only through the Trump Tower meeting (or Goldstone's
                // emails) with Trump Jr., by the end of 9 June 2016.
                ("kushner", j.clone(), Alleged),
                ("manafort", j.clone(), Alleged),
                ("goldstone", j.clone(), Alleged),
                ("russian-lawyer", j.clone(), Alleged),
            ]
        );
        let wl = a.get("wikileaks").unwrap().paths.as_ref().unwrap();
        assert_eq!(
            wl.get("the-atlantic").unwrap(),
            [
                "wikileaks-continued-outreach",
                "trump-jr-documents-to-congress",
                "leak-to-the-atlantic"
            ]
        );
        let k = a.get("kushner").unwrap().paths.as_ref().unwrap();
        assert_eq!(
            k.get("the-atlantic").unwrap(),
            [
                "trump-tower-meeting",
                "trump-jr-documents-to-congress",
                "leak-to-the-atlantic"
            ]
        );
        assert!(a.not_reached.contains(&"trump".to_string()));
        let json = serde_json::to_value(&a).unwrap();
        assert_eq!(
            json["targets"],
            serde_json::json!([{"entity": "the-atlantic", "until": END_11_JUL}])
        );
        assert_eq!(
            json["could_have_told"][2]["paths"]["the-atlantic"],
            serde_json::json!([])
        );
    }

    #[test]
    fn the_documented_chain_of_pac_tip_to_the_atlantic() {
        let q = Backward {
            message: Some("pac-tip".into()),
            mode: Mode::Message,
            ..by(Backward::to("the-atlantic"), "2017-07-11")
        };
        let a = answer(&q);
        let t = Some(END_11_JUL.to_string());
        use Certainty::*;
        assert_eq!(
            rows(&a),
            vec![
                ("trump-jr", t.clone(), Alleged),
                ("the-atlantic", t.clone(), Confirmed),
                ("congress", t.clone(), Alleged),
                // Only the 20 September DM carries pac-tip to Trump Jr.
                ("wikileaks", Some(END_20_SEP.to_string()), Alleged),
            ]
        );
        assert_eq!(
            a.get("wikileaks")
                .unwrap()
                .paths
                .as_ref()
                .unwrap()
                .get("the-atlantic")
                .unwrap(),
            [
                "dm-pac-tip",
                "trump-jr-documents-to-congress",
                "leak-to-the-atlantic"
            ]
        );
        // Strict: a second before the end of the DM's day.
        let a = answer(&Backward { strict: true, ..q });
        assert_eq!(
            a.get("wikileaks")
                .unwrap()
                .latest
                .map(grapevine::internals::model::time::rfc3339),
            Some("2016-09-21T03:59:58Z".to_string())
        );
    }

    #[test]
    fn had_by_two_targets_each_by_its_own_time() {
        let q = Backward {
            targets: vec![
                ("trump-jr".into(), Some("2016-09-20".into())),
                ("the-atlantic".into(), Some("2017-07-11".into())),
            ],
            ..Backward::to("")
        };
        let a = answer(&q);
        let s = Some(END_20_SEP.to_string());
        let j = Some(END_9_JUN.to_string());
        use Certainty::*;
        assert_eq!(
            rows(&a),
            vec![
                ("trump-jr", s.clone(), Alleged),
                ("wikileaks", s.clone(), Alleged),
                ("kushner", j.clone(), Alleged),
                ("manafort", j.clone(), Alleged),
                ("goldstone", j.clone(), Alleged),
                ("russian-lawyer", j.clone(), Alleged),
            ]
        );
        let p = a.get("wikileaks").unwrap().paths.as_ref().unwrap();
        assert_eq!(p.0.len(), 2);
        assert_eq!(p.get("trump-jr").unwrap(), ["dm-pac-tip"]);
        // Nobody told The Atlantic that could also have told Trump Jr. but
        // those who reach him.
        assert!(a.not_reached.contains(&"the-atlantic".to_string()));
    }

    #[test]
    fn errors_name_what_is_wrong() {
        use grapevine::{Error, QueryError};
        let loaded = grapevine::load_path("graphs/trump-jr-wikileaks.json".as_ref()).unwrap();
        let catalog = StoryCatalog::new(&loaded.story);
        let err = |q: Backward| match q.compile(&catalog).err() {
            Some(Error::Query(e)) => e,
            other => panic!("{other:?}"),
        };
        assert!(matches!(
            err(Backward::to("nobody-at-all")),
            QueryError::UnknownEntity { name, .. } if name == "nobody-at-all"
        ));
        assert!(matches!(
            err(by(Backward::to("trump"), "2017-07-11/..")),
            QueryError::OpenEnd { text } if text == "2017-07-11/.."
        ));
        assert!(matches!(
            err(by(Backward::to("trump"), "2017-13")),
            QueryError::BadTime { text, .. } if text == "2017-13"
        ));
        let twice = Backward {
            targets: vec![("trump".into(), None), ("Donald Trump".into(), None)],
            ..Backward::to("")
        };
        assert!(matches!(
            err(twice),
            QueryError::RepeatedEntity { name, entity } if name == "Donald Trump" && entity == "Donald Trump"
        ));
        let no_message = Backward {
            mode: Mode::Message,
            ..Backward::to("trump")
        };
        assert_eq!(err(no_message), QueryError::MessageModeWithoutMessage);
        let unknown = Backward {
            message: Some("nope".into()),
            ..Backward::to("trump")
        };
        assert!(matches!(
            err(unknown),
            QueryError::UnknownMessage { listed, .. } if listed.contains(&"pac-tip".to_string())
        ));
    }

    /// Holdings say who had a message, not whom it came from: the backward
    /// question leaves them out (the forward one counts them).
    #[test]
    fn holdings_are_not_used() {
        let story = grapevine::load_str(
            "s.json",
            r#"{"format": "grapevine/1",
              "entities": [{"id": "a", "name": "A"}, {"id": "b", "name": "B"}],
              "messages": [{"id": "m", "origin": "a", "time": "2016-09-20"}],
              "holdings": [{"id": "h", "entity": "b", "message": "m", "time": "2016-09-21"}]}"#,
        )
        .unwrap()
        .story;
        let catalog = StoryCatalog::new(&story);
        let q = Backward {
            message: Some("m".into()),
            mode: Mode::Message,
            ..Backward::to("b")
        };
        let a = grapevine::analysis::backward::backward_in(&catalog, &q).unwrap();
        let who: Vec<&str> = a
            .could_have_told
            .iter()
            .map(|r| r.entity.as_str())
            .collect();
        assert_eq!(who, ["b"]);
        let forward = grapevine::reach_story(&story, &grapevine::Query::message("m")).unwrap();
        assert!(
            forward.get("b").is_some(),
            "the forward question counts the holding"
        );
    }
}

/// The command line: the table for people and the JSON of the spec, on the
/// bundled story and on a CSV corpus; the flags that do not go together.
mod cli {
    use std::process::{Command, Output};

    const STORY: &str = "graphs/trump-jr-wikileaks.json";

    fn run(args: &[&str]) -> Output {
        Command::new(env!("CARGO_BIN_EXE_grapevine"))
            .args(args)
            .output()
            .expect("the binary runs")
    }

    fn text(b: &[u8]) -> String {
        String::from_utf8_lossy(b).into_owned()
    }

    #[test]
    fn reach_to_prints_a_table_and_the_json() {
        let o = run(&[
            "reach",
            STORY,
            "--to",
            "The Atlantic",
            "--until",
            "2017-07-11",
        ]);
        assert_eq!(o.status.code(), Some(0), "{}", text(&o.stderr));
        let table = text(&o.stdout);
        let lines: Vec<&str> = table.lines().collect();
        assert_eq!(
            lines[0],
            "Who could have been the source of what The Atlantic had by 11 Jul 2017"
        );
        assert!(lines[1].contains("any contact"), "{table}");
        assert!(lines[2].contains("America/New_York"), "{table}");
        assert!(
            lines[4].starts_with("ENTITY") && lines[4].contains("COULD HAVE TOLD BY"),
            "{table}"
        );
        let wikileaks = lines.iter().find(|l| l.starts_with("WikiLeaks")).unwrap();
        assert!(wikileaks.contains("11 Jul 2017"), "{wikileaks}");
        assert!(wikileaks.contains("alleged"), "{wikileaks}");
        assert!(
            wikileaks.ends_with("WikiLeaks → Donald Trump Jr. → US Congress → The Atlantic"),
            "{wikileaks}"
        );
        let kushner = lines
            .iter()
            .find(|l| l.starts_with("Jared Kushner"))
            .unwrap();
        assert!(kushner.contains("9 Jun 2016"), "{kushner}");
        assert!(table.contains("The Atlantic (the target)"));
        assert!(!table.contains("trump-jr"), "names, not ids: {table}");
        assert!(
            table.contains("Could not have told it in time (17): Brad Parscale"),
            "{table}"
        );

        let o = run(&[
            "reach",
            STORY,
            "--to",
            "the-atlantic",
            "--until",
            "2017-07-11",
            "--json",
        ]);
        assert_eq!(o.status.code(), Some(0), "{}", text(&o.stderr));
        let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
        // The fields in the spec's order.
        let raw = text(&o.stdout);
        let at: Vec<usize> = [
            "targets",
            "mode",
            "threshold",
            "strict",
            "could_have_told",
            "not_reached",
        ]
        .iter()
        .map(|k| raw.find(&format!("\n  \"{k}\": ")).unwrap())
        .collect();
        assert!(at.is_sorted(), "{raw}");
        assert_eq!(v.as_object().unwrap().len(), 6);
        assert_eq!(
            v["targets"],
            serde_json::json!([{"entity": "the-atlantic", "until": "2017-07-12T03:59:59Z"}])
        );
        assert_eq!(
            (v["mode"].as_str(), v["threshold"].as_str()),
            (Some("contacts"), Some("unknown"))
        );
        let rows = v["could_have_told"].as_array().unwrap();
        assert_eq!(rows.len(), 10);
        let wl = rows.iter().find(|r| r["entity"] == "wikileaks").unwrap();
        assert_eq!(
            wl,
            &serde_json::json!({
                "entity": "wikileaks", "name": "WikiLeaks",
                "latest": "2017-07-12T03:59:59Z", "evidence": "alleged",
                "paths": {"the-atlantic": [
                    "wikileaks-continued-outreach",
                    "trump-jr-documents-to-congress",
                    "leak-to-the-atlantic"
                ]}
            })
        );
        assert_eq!(v["not_reached"].as_array().unwrap().len(), 17);
    }

    #[test]
    fn reach_had_takes_an_entity_and_a_time_each() {
        let o = run(&[
            "reach",
            STORY,
            "--had",
            "Donald Trump Jr.",
            "2016-09-20",
            "--had",
            "the-atlantic",
            "2017-07-11",
            "--json",
        ]);
        assert_eq!(o.status.code(), Some(0), "{}", text(&o.stderr));
        let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
        assert_eq!(v["targets"][0]["entity"], "trump-jr");
        assert_eq!(v["targets"][1]["until"], "2017-07-12T03:59:59Z");
        let first = &v["could_have_told"][0];
        assert_eq!(first["entity"], "trump-jr");
        assert_eq!(first["latest"], "2016-09-21T03:59:59Z");
        let o = run(&[
            "reach",
            STORY,
            "--had",
            "trump-jr",
            "2016-09-20",
            "--had",
            "the-atlantic",
            "2017-07-11",
        ]);
        let table = text(&o.stdout);
        assert!(table.contains("CHAIN TO DONALD TRUMP JR."), "{table}");
        assert!(table.contains("CHAIN TO THE ATLANTIC"), "{table}");
    }

    #[test]
    fn flags_that_do_not_go_together_are_errors() {
        for (args, says) in [
            (vec!["--to", "trump", "--from", "wikileaks"], "--from"),
            (vec!["--to", "trump", "--since", "2016"], "--since"),
            (vec!["--had", "trump", "2016", "--until", "2017"], "--until"),
            (vec!["--had", "trump"], "2 values"),
            (
                vec!["--to", "trump", "--had", "trump", "2016"],
                "cannot be used",
            ),
            (vec!["--to", "nobody-like-this"], "nobody-like-this"),
        ] {
            let mut all = vec!["reach", STORY];
            all.extend(&args);
            let o = run(&all);
            assert_eq!(o.status.code(), Some(2), "{args:?}");
            assert!(
                text(&o.stderr).contains(says),
                "{args:?}: {}",
                text(&o.stderr)
            );
        }
    }

    #[test]
    fn a_csv_corpus_answers_too() {
        let dir = std::env::temp_dir().join(format!("grapevine-backward-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let csv = dir.join("mail.csv");
        std::fs::write(
            &csv,
            "from,to,time\na@x.org,b@x.org,2016-09-20T10:00:00Z\nb@x.org,c@x.org,2016-09-20T11:00:00Z\nd@x.org,c@x.org,2016-09-21T09:00:00Z\n",
        )
        .unwrap();
        let path = csv.to_str().unwrap();
        let o = run(&[
            "reach",
            path,
            "--to",
            "c@x.org",
            "--until",
            "2016-09-20",
            "--json",
        ]);
        assert_eq!(o.status.code(), Some(0), "{}", text(&o.stderr));
        let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
        let rows: Vec<(&str, &str)> = v["could_have_told"]
            .as_array()
            .unwrap()
            .iter()
            .map(|r| (r["entity"].as_str().unwrap(), r["latest"].as_str().unwrap()))
            .collect();
        assert_eq!(
            rows,
            [
                ("c@x.org", "2016-09-20T23:59:59Z"),
                ("b@x.org", "2016-09-20T11:00:00Z"),
                ("a@x.org", "2016-09-20T10:00:00Z")
            ]
        );
        assert_eq!(v["not_reached"], serde_json::json!(["d@x.org"]));
        std::fs::remove_dir_all(&dir).ok();
    }
}
