//! critical, rank and connect against their oracles: a brute force that
//! deletes events from the story and asks `reach` again (critical), and
//! networkx (rank's static measures), on random stories and the bundled one.

use std::collections::{BTreeSet, HashSet};

use grapevine::analysis::critical::{critical, without, CriticalQuery, Method};
use grapevine::{reach_story, Catalog, Certainty, Query, Story, StoryCatalog, TimeExpr};
use proptest::prelude::*;

use crate::reach_props::story_and_query;

/// Exact seconds, a few apart, so that same-second chains occur.
const EXACT: &[&str] = &[
    "2016-09-20T00:00:00",
    "2016-09-20T00:00:01",
    "2016-09-20T00:00:02",
    "2016-09-20T00:00:03",
];

/// The story without the events `drop` (ids).
fn remove(story: &Story, drop: &[&str]) -> Story {
    let mut s = story.clone();
    s.events.retain(|e| !drop.contains(&e.id.as_str()));
    s
}

/// The story with every event at one exact second, `pick[i]` choosing
/// event i's among [`EXACT`].
fn exact(story: &Story, pick: &[usize]) -> Story {
    let tz = jiff::tz::TimeZone::UTC;
    let mut s = story.clone();
    for (i, e) in s.events.iter_mut().enumerate() {
        let t = EXACT[pick[i % pick.len()] % EXACT.len()];
        e.time = TimeExpr::parse(t, &tz).ok();
    }
    s
}

/// The ids reached by `query` on `story` (the source included).
fn reached(story: &Story, query: &Query) -> HashSet<String> {
    reach_story(story, query)
        .map(|a| a.reached.into_iter().map(|r| r.entity).collect())
        .unwrap_or_default()
}

fn strength(story: &Story, ids: &[String]) -> u32 {
    ids.iter()
        .filter_map(|id| story.events.iter().find(|e| &e.id == id))
        .map(|e| match e.certainty() {
            Certainty::Unknown => 0,
            Certainty::Alleged => 1,
            Certainty::Reported => 2,
            Certainty::Confirmed => 3,
        })
        .sum()
}

/// Every subset of `0..n` of 1 to `k` elements.
fn subsets(n: usize, k: usize) -> Vec<Vec<usize>> {
    let mut out: Vec<Vec<usize>> = vec![vec![]];
    let mut all = Vec::new();
    for _ in 0..k {
        let mut next = Vec::new();
        for s in &out {
            let from = s.last().map_or(0, |&l| l + 1);
            for i in from..n {
                let mut t = s.clone();
                t.push(i);
                next.push(t);
            }
        }
        all.extend(next.iter().cloned());
        out = next;
    }
    all
}

/// critical's answer against the brute force: every set of up to three
/// events is deleted from the story and `reach` asked again.
fn check_critical(story: &Story, query: &Query, method: Method) -> Result<(), TestCaseError> {
    let Ok(before) = reach_story(story, query) else {
        return Ok(());
    };
    let catalog = StoryCatalog::new(story);
    let cq = CriticalQuery {
        method,
        ..CriticalQuery::default()
    };
    let answer = critical(&catalog, query, &cq).map_err(|e| TestCaseError::fail(e.to_string()))?;
    let targets: Vec<&str> = before
        .reached
        .iter()
        .map(|r| r.entity.as_str())
        .filter(|e| *e != before.source)
        .collect();
    let got: Vec<&str> = answer.entities.iter().map(|c| c.entity.as_str()).collect();
    prop_assert_eq!(&got, &targets, "every reached entity, in causal order");
    let ids: Vec<&str> = story.events.iter().map(|e| e.id.as_str()).collect();
    let trials: Vec<(Vec<String>, HashSet<String>)> = subsets(ids.len(), 3)
        .into_iter()
        .map(|s| {
            let drop: Vec<&str> = s.iter().map(|&i| ids[i]).collect();
            let left = reached(&remove(story, &drop), query);
            (drop.into_iter().map(str::to_string).collect(), left)
        })
        .collect();
    for c in &answer.entities {
        let v = &c.entity;
        let cuts: Vec<&Vec<String>> = trials
            .iter()
            .filter(|(_, left)| !left.contains(v))
            .map(|(d, _)| d)
            .collect();
        let singles: BTreeSet<&String> = cuts
            .iter()
            .filter(|d| d.len() == 1)
            .map(|d| &d[0])
            .collect();
        let got: BTreeSet<&String> = c.single_points.iter().collect();
        prop_assert_eq!(got, singles, "single points of {}", v);
        // The cut cuts it off.
        let drop: Vec<&str> = c.cut.iter().map(String::as_str).collect();
        prop_assert!(
            !reached(&remove(story, &drop), query).contains(v),
            "{:?} does not cut {} off",
            c.cut,
            v
        );
        prop_assert!(c.minimum, "{} proven minimum", v);
        prop_assert_eq!(c.lower_bound, c.cut.len());
        match cuts.iter().map(|d| d.len()).min() {
            Some(m) => {
                prop_assert_eq!(c.cut.len(), m, "smallest cut of {}: {:?}", v, c.cut);
                let weakest = cuts
                    .iter()
                    .filter(|d| d.len() == m)
                    .map(|d| strength(story, d))
                    .min();
                prop_assert_eq!(
                    Some(strength(story, &c.cut)),
                    weakest,
                    "weakest cut of {}",
                    v
                );
            }
            None => prop_assert!(c.cut.len() > 3, "no cut of 3 cuts {} off", v),
        }
    }
    // Every event named is listed once, with its certainty.
    let named: BTreeSet<&String> = answer
        .entities
        .iter()
        .flat_map(|c| c.single_points.iter().chain(&c.cut))
        .collect();
    let listed: BTreeSet<&String> = answer.events.iter().map(|e| &e.event).collect();
    prop_assert_eq!(named, listed);
    Ok(())
}

/// `--drop`: exactly reach's answer on the story without those events.
fn check_without(story: &Story, query: &Query, drop: &[usize]) -> Result<(), TestCaseError> {
    let Ok(before) = reach_story(story, query) else {
        return Ok(());
    };
    let catalog = StoryCatalog::new(story);
    let n = story.events.len();
    if n == 0 {
        return Ok(());
    }
    let numbers: Vec<u32> = drop.iter().map(|&i| (i % n) as u32).collect();
    let ids: Vec<&str> = numbers
        .iter()
        .map(|&e| story.events[e as usize].id.as_str())
        .collect();
    let answer =
        without(&catalog, query, &numbers).map_err(|e| TestCaseError::fail(e.to_string()))?;
    let after =
        reach_story(&remove(story, &ids), query).map_err(|e| TestCaseError::fail(e.to_string()))?;
    prop_assert_eq!(&answer.answer, &after);
    let still: HashSet<&str> = after.reached.iter().map(|r| r.entity.as_str()).collect();
    let lost: Vec<String> = before
        .reached
        .iter()
        .filter(|r| !still.contains(r.entity.as_str()))
        .map(|r| r.entity.clone())
        .collect();
    prop_assert_eq!(&answer.lost, &lost);
    let dropped: BTreeSet<&str> = answer.dropped.iter().map(|e| e.event.as_str()).collect();
    prop_assert_eq!(dropped, ids.into_iter().collect::<BTreeSet<_>>());
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 300, ..ProptestConfig::default() })]

    /// Date intervals, undated events, meetings, strict, until: the search.
    #[test]
    fn critical_matches_brute_force((story, query) in story_and_query()) {
        check_critical(&story, &query, Method::Auto)?;
    }

    /// Every event at an exact second: the flow, and the search, each
    /// against the brute force.
    #[test]
    fn critical_on_exact_times_matches_brute_force(
        (story, query) in story_and_query(),
        pick in proptest::collection::vec(0..EXACT.len(), 12),
    ) {
        let story = exact(&story, &pick);
        check_critical(&story, &query, Method::Flow)?;
        check_critical(&story, &query, Method::Search)?;
    }

    #[test]
    fn without_is_reach_on_the_story_without_them(
        (story, query) in story_and_query(),
        drop in proptest::collection::vec(0..12usize, 1..4),
    ) {
        check_without(&story, &query, &drop)?;
    }

    /// Shuffling the file's events changes no answer.
    #[test]
    fn critical_does_not_depend_on_the_order_of_the_file(
        (story, query) in story_and_query(),
        seed in any::<u64>(),
        pick in proptest::collection::vec(0..EXACT.len(), 12),
        exact_times in any::<bool>(),
    ) {
        let story = if exact_times { exact(&story, &pick) } else { story };
        let mut shuffled = story.clone();
        let mut s = seed | 1;
        for i in (1..shuffled.events.len()).rev() {
            s ^= s << 13; s ^= s >> 7; s ^= s << 17;
            shuffled.events.swap(i, (s % (i as u64 + 1)) as usize);
        }
        let answer = |story: &Story| {
            critical(&StoryCatalog::new(story), &query, &CriticalQuery::default())
                .map(|a| serde_json::to_value(a).unwrap_or_default())
                .map_err(|e| e.to_string())
        };
        prop_assert_eq!(answer(&story), answer(&shuffled));
    }
}

fn bundled() -> Story {
    grapevine::load_path("graphs/trump-jr-wikileaks.json".as_ref())
        .map(|l| l.story)
        .unwrap_or_default()
}

#[test]
fn critical_on_the_bundled_story() {
    let story = bundled();
    let catalog = StoryCatalog::new(&story);
    let answer = critical(
        &catalog,
        &Query::message("pac-tip"),
        &CriticalQuery::default(),
    )
    .unwrap();
    let of = |id: &str| answer.entities.iter().find(|c| c.entity == id).unwrap();
    // Donald Trump is reached only through Hicks → Trump (unknown): that
    // claim is the weakest of the four that each carry him.
    let trump = of("trump");
    assert_eq!(trump.cut, ["hicks-to-trump"]);
    assert_eq!(
        trump.single_points,
        [
            "dm-pac-tip",
            "forward-pac-tip-staff",
            "kushner-forward-hicks",
            "hicks-to-trump"
        ]
    );
    // The campaign staff hang on Trump Jr.'s forward.
    for staff in ["kushner", "conway", "parscale", "bannon"] {
        assert_eq!(of(staff).cut, ["forward-pac-tip-staff"], "{staff}");
        assert_eq!(
            of(staff).single_points,
            ["dm-pac-tip", "forward-pac-tip-staff"]
        );
    }
    assert_eq!(of("hicks").cut, ["kushner-forward-hicks"]);
    let hicks_to_trump = answer
        .events
        .iter()
        .find(|e| e.event == "hicks-to-trump")
        .unwrap();
    assert_eq!(hicks_to_trump.certainty, Certainty::Unknown);
    assert!(hicks_to_trump
        .quote
        .as_deref()
        .unwrap_or("")
        .contains("unclear"));
    // If Trump Jr.'s forward to the staff is false, the staff, Hicks and
    // Trump are lost; Congress, The Atlantic and the public still have it.
    let w = without(
        &catalog,
        &Query::message("pac-tip"),
        &[catalog.event_number("forward-pac-tip-staff").unwrap()],
    )
    .unwrap();
    let lost: BTreeSet<&str> = w.lost.iter().map(String::as_str).collect();
    assert_eq!(
        lost,
        BTreeSet::from(["kushner", "conway", "parscale", "bannon", "hicks", "trump"])
    );
    assert!(w.answer.get("the-atlantic").is_some());
}

/// The random stories give cuts of every size, ties between minimum cuts of
/// different strength, and single points of failure in numbers.
#[test]
fn the_random_stories_exercise_critical() {
    use proptest::strategy::ValueTree;
    let mut runner = proptest::test_runner::TestRunner::deterministic();
    let strategy = story_and_query();
    let mut seen: std::collections::BTreeMap<&str, usize> = Default::default();
    for _ in 0..300 {
        let (story, query) = strategy.new_tree(&mut runner).unwrap().current();
        let catalog = StoryCatalog::new(&story);
        let Ok(answer) = critical(&catalog, &query, &CriticalQuery::default()) else {
            continue;
        };
        for c in &answer.entities {
            let key = match c.cut.len() {
                1 => "cut of 1",
                2 => "cut of 2",
                3 => "cut of 3",
                _ => "cut of 4 or more",
            };
            *seen.entry(key).or_default() += 1;
            if c.single_points.len() >= 2 {
                *seen.entry("several single points").or_default() += 1;
            }
            // A minimum cut of another strength exists: the choice matters.
            let ids: Vec<&str> = story.events.iter().map(|e| e.id.as_str()).collect();
            let m = c.cut.len();
            if m <= 2 {
                let other = subsets(ids.len(), m).into_iter().any(|s| {
                    let d: Vec<String> = s.iter().map(|&i| ids[i].to_string()).collect();
                    let drop: Vec<&str> = d.iter().map(String::as_str).collect();
                    s.len() == m
                        && strength(&story, &d) != strength(&story, &c.cut)
                        && !reached(&remove(&story, &drop), &query).contains(&c.entity)
                });
                if other {
                    *seen.entry("a stronger minimum cut exists").or_default() += 1;
                }
            }
        }
    }
    for what in [
        "cut of 1",
        "cut of 2",
        "cut of 3",
        "several single points",
        "a stronger minimum cut exists",
    ] {
        assert!(
            seen.get(what).copied().unwrap_or(0) >= 5,
            "{what}: {seen:?}"
        );
    }
    eprintln!("{seen:?}");
}
