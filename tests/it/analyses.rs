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

/// The story without the events and holdings `drop` (ids: a holding is a
/// claim that can be dropped too).
fn remove(story: &Story, drop: &[&str]) -> Story {
    let mut s = story.clone();
    s.events.retain(|e| !drop.contains(&e.id.as_str()));
    s.holdings.retain(|h| !drop.contains(&h.id.as_str()));
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
        // New times: the order of the old ones no longer holds.
        e.after.clear();
        e.ordered = None;
    }
    let n = s.events.len();
    for (i, h) in s.holdings.iter_mut().enumerate() {
        let t = EXACT[pick[(n + i) % pick.len()] % EXACT.len()];
        h.time = TimeExpr::parse(t, &tz).ok();
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
        .filter_map(|id| {
            story
                .events
                .iter()
                .find(|e| &e.id == id)
                .map(|e| e.certainty())
                .or_else(|| {
                    story
                        .holdings
                        .iter()
                        .find(|h| &h.id == id)
                        .map(|h| h.certainty())
                })
        })
        .map(|c| match c {
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
        .filter(|e| *e != before.asked.source)
        .collect();
    let got: Vec<&str> = answer.entities.iter().map(|c| c.entity.as_str()).collect();
    prop_assert_eq!(&got, &targets, "every reached entity, in causal order");
    let ids: Vec<&str> = story
        .events
        .iter()
        .map(|e| e.id.as_str())
        .chain(story.holdings.iter().map(|h| h.id.as_str()))
        .collect();
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
    let answer = without(
        &catalog,
        query,
        &numbers
            .iter()
            .map(|&e| grapevine::internals::catalog::EventId(e))
            .collect::<Vec<_>>(),
    )
    .map_err(|e| TestCaseError::fail(e.to_string()))?;
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

// ---------------------------------------------------------------------------
// rank: static measures against networkx, temporal ones against reach.

use grapevine::analysis::rank::{
    rank_broker, rank_broker_from, rank_estimated, rank_reach, rank_static, rank_told, Measure,
    RankOptions, Value,
};
use grapevine::internals::model::{Entity, Event, Parties, Relation};

const STATIC: [Measure; 4] = [
    Measure::Degree,
    Measure::Betweenness,
    Measure::Closeness,
    Measure::Pagerank,
];

/// The Python with networkx that the oracle runs: `GRAPEVINE_NETWORKX_PYTHON`,
/// else the virtual environments `.ci/run` makes, else `python3`. `None`
/// (and the test is skipped) when none imports networkx, unless
/// `GRAPEVINE_REQUIRE_NETWORKX=1`: then that is a failure.
fn networkx_python() -> Option<String> {
    let mut candidates: Vec<String> = Vec::new();
    if let Ok(p) = std::env::var("GRAPEVINE_NETWORKX_PYTHON") {
        candidates.push(p);
    }
    candidates.extend(
        [
            "target/venv-analyses/bin/python",
            "target/venv/bin/python",
            "python3",
        ]
        .map(String::from),
    );
    let found = candidates.into_iter().find(|p| {
        std::process::Command::new(p)
            .args(["-c", "import networkx"])
            .stderr(std::process::Stdio::null())
            .status()
            .is_ok_and(|s| s.success())
    });
    if found.is_none() {
        assert!(
            std::env::var("GRAPEVINE_REQUIRE_NETWORKX").as_deref() != Ok("1"),
            "GRAPEVINE_REQUIRE_NETWORKX=1 but no Python imports networkx"
        );
        eprintln!("networkx not found: the networkx oracle is skipped");
    }
    found
}

/// networkx's degree, betweenness, closeness and PageRank (tolerance
/// 10⁻¹⁴; its pure-Python PageRank when SciPy is missing) of each graph
/// `(n, edges)`, per node.
fn networkx_measures(python: &str, graphs: &[(usize, Vec<(usize, usize)>)]) -> Vec<[Vec<f64>; 4]> {
    use std::io::Write;
    const SCRIPT: &str = r#"
import json, sys
import networkx as nx
from networkx.algorithms.link_analysis import pagerank_alg
out = []
for n, edges in json.load(sys.stdin):
    G = nx.Graph()
    G.add_nodes_from(range(n))
    G.add_edges_from(edges)
    try:
        import scipy  # noqa: F401
        pr = nx.pagerank(G, alpha=0.85, tol=1e-14, max_iter=100000)
    except ImportError:
        pr = pagerank_alg._pagerank_python(G, alpha=0.85, tol=1e-14, max_iter=100000)
    d = nx.degree_centrality(G)
    b = nx.betweenness_centrality(G)
    c = nx.closeness_centrality(G)
    out.append([[m[v] for v in range(n)] for m in (d, b, c, pr)])
json.dump(out, sys.stdout)
"#;
    let mut child = std::process::Command::new(python)
        .args(["-c", SCRIPT])
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .spawn()
        .expect("python runs");
    let input = serde_json::to_vec(graphs).unwrap();
    child.stdin.take().unwrap().write_all(&input).unwrap();
    let output = child.wait_with_output().unwrap();
    assert!(output.status.success(), "networkx failed");
    serde_json::from_slice(&output.stdout).expect("networkx's JSON")
}

/// The links of a story, read straight from its events: every pair of the
/// parties of each event at or above `threshold`, and with `relations` the
/// ends of each relation; nodes are the entities' places in the file.
fn links(story: &Story, threshold: Certainty, relations: bool) -> (usize, Vec<(usize, usize)>) {
    let place = |id: &str| story.entities.iter().position(|e| e.id == id);
    let mut out = BTreeSet::new();
    for e in &story.events {
        if e.certainty() < threshold {
            continue;
        }
        let mut parties: Vec<usize> = e.parties.entities().into_iter().filter_map(place).collect();
        parties.sort_unstable();
        parties.dedup();
        for (i, &a) in parties.iter().enumerate() {
            for &b in &parties[i + 1..] {
                out.insert((a, b));
            }
        }
    }
    if relations {
        for r in &story.relations {
            if r.certainty.unwrap_or_default() < threshold {
                continue;
            }
            if let (Some(a), Some(b)) = (place(&r.from), place(&r.to)) {
                if a != b {
                    out.insert((a.min(b), a.max(b)));
                }
            }
        }
    }
    (story.entities.len(), out.into_iter().collect())
}

/// A random story of `n` entities and `m` events (directed to one or
/// several, meetings of two to six), with relations: a graph of the size
/// networkx's oracle is meant for (isolated entities included).
fn random_story(seed: u64, n: usize, m: usize) -> Story {
    let mut s = seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1;
    let mut next = |k: usize| {
        s ^= s << 13;
        s ^= s >> 7;
        s ^= s << 17;
        (s % k.max(1) as u64) as usize
    };
    let certainties = [
        Certainty::Confirmed,
        Certainty::Reported,
        Certainty::Alleged,
        Certainty::Unknown,
    ];
    let id = |i: usize| format!("p{i}");
    let mut story = Story::default();
    for i in 0..n {
        story.entities.push(Entity {
            id: id(i),
            name: format!("P{}", i % 7),
            ..Entity::default()
        });
    }
    for k in 0..m {
        let size = 2 + next(5);
        let mut people: Vec<String> = (0..size).map(|_| id(next(n))).collect();
        people.sort();
        people.dedup();
        if people.len() < 2 {
            continue;
        }
        let parties = if next(3) == 0 {
            Parties::Mutual {
                participants: people,
            }
        } else {
            let from = people.remove(0);
            Parties::Directed {
                to_is_array: people.len() > 1,
                to: people,
                from,
            }
        };
        story.events.push(Event {
            id: format!("e{k}"),
            parties,
            certainty: Some(certainties[next(4)]),
            ..Event::default()
        });
    }
    for _ in 0..n / 4 {
        story.relations.push(Relation {
            from: id(next(n)),
            to: id(next(n)),
            certainty: Some(certainties[next(4)]),
            ..Relation::default()
        });
    }
    story
}

#[test]
fn static_measures_equal_networkx() {
    let Some(python) = networkx_python() else {
        return;
    };
    // The bundled story, random small stories of the reach generator, and
    // larger random graphs; each at a threshold, with and without relations.
    let mut cases: Vec<(Story, Certainty, bool)> = vec![
        (bundled(), Certainty::Unknown, false),
        (bundled(), Certainty::Unknown, true),
        (bundled(), Certainty::Reported, false),
        (bundled(), Certainty::Confirmed, true),
    ];
    use proptest::strategy::ValueTree;
    let mut runner = proptest::test_runner::TestRunner::deterministic();
    let strategy = story_and_query();
    for k in 0..150 {
        let (story, _) = strategy.new_tree(&mut runner).unwrap().current();
        let level = [Certainty::Unknown, Certainty::Alleged, Certainty::Reported][k % 3];
        cases.push((story, level, k % 2 == 0));
    }
    for seed in 0..60u64 {
        let n = [0usize, 1, 2, 3, 10, 25, 40, 80][seed as usize % 8];
        let m = (seed as usize * 7) % (3 * n + 1);
        let level = [Certainty::Unknown, Certainty::Reported][seed as usize % 2];
        cases.push((random_story(seed, n, m), level, seed % 3 == 0));
    }
    let graphs: Vec<(usize, Vec<(usize, usize)>)> =
        cases.iter().map(|(s, t, r)| links(s, *t, *r)).collect();
    let oracle = networkx_measures(&python, &graphs);
    for ((story, threshold, relations), expected) in cases.iter().zip(&oracle) {
        let catalog = StoryCatalog::new(story);
        // networkx knows no endpoints: paths through audiences are counted.
        let options = RankOptions {
            threshold: *threshold,
            relations: *relations,
            through_groups: true,
            ..RankOptions::default()
        };
        for (measure, want) in STATIC.iter().zip(expected) {
            let answer = rank_static(&catalog, *measure, &options).unwrap();
            assert_eq!(answer.entities.len(), story.entities.len());
            for row in &answer.entities {
                let v = story
                    .entities
                    .iter()
                    .position(|e| e.id == row.entity)
                    .unwrap();
                let Value::Score(got) = row.value else {
                    panic!("a score")
                };
                assert!(
                    (got - want[v]).abs() <= 1e-9,
                    "{measure:?} of {} (threshold {threshold}, relations {relations}): {got} against networkx's {}",
                    row.entity,
                    want[v]
                );
            }
            // Ranked: values never increase, and equal ranks have equal values.
            for w in answer.entities.windows(2) {
                assert!(w[0].value.as_f64() >= w[1].value.as_f64() - 1e-12);
                let gap = (w[0].value.as_f64() - w[1].value.as_f64()).abs();
                if w[0].rank == w[1].rank {
                    assert!(gap < 1e-11, "tied at {gap} apart");
                } else {
                    assert!(gap > 1e-13, "not tied at {gap} apart");
                }
            }
        }
    }
}

/// Each entity's first activity, read from the story's events at or above
/// `threshold`: the least start of its events (`None`: one of them has no
/// lower bound; `Some(None)`: it has none).
fn first_activity(story: &Story, id: &str, threshold: Certainty) -> Option<Option<i64>> {
    let mut first: Option<Option<i64>> = None;
    for e in &story.events {
        if e.certainty() < threshold || !e.parties.entities().contains(&id) {
            continue;
        }
        let lo = e.interval().lo;
        first = Some(match (first, lo) {
            (None, lo) => lo,
            (Some(None), _) | (_, None) => None,
            (Some(Some(a)), Some(b)) => Some(a.min(b)),
        });
    }
    first
}

/// The reach answer from `id` as the temporal measures ask it: from
/// `since`, else from its first activity.
fn own_reach(
    story: &Story,
    id: &str,
    options: &RankOptions,
) -> (grapevine::ReachAnswer, Vec<Vec<String>>) {
    let catalog = StoryCatalog::new(story);
    let index = grapevine::Index::build(
        &catalog,
        &grapevine::IndexSpec {
            threshold: options.threshold,
            ..grapevine::IndexSpec::default()
        },
    );
    let start = options
        .since
        .or(first_activity(story, id, options.threshold).flatten());
    let q = grapevine::ReachQuery {
        start,
        source_held: start.map_or(grapevine::SourceHeld::Always, grapevine::SourceHeld::By),
        strict: options.strict,
        until: options.until,
        ..grapevine::ReachQuery::new(catalog.entity_number(id).unwrap())
    };
    let answer = grapevine::reach(&index, &q);
    let intermediates = answer
        .reached
        .iter()
        .map(|r| {
            let hops = r.hops(&index);
            hops.iter()
                .take(hops.len().saturating_sub(1))
                .map(|hop| index.entity_id(hop.to).to_string())
                .collect()
        })
        .collect();
    (answer, intermediates)
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 400, ..ProptestConfig::default() })]

    /// reach and broker over every source, against one reach answer per
    /// entity: how many others it reaches, and on how many of the chains
    /// each entity is an intermediate.
    #[test]
    fn temporal_measures_match_reach(
        (story, query) in story_and_query(),
        since in proptest::option::weighted(0.3, 0..EXACT.len()),
        exact_times in any::<bool>(),
        pick in proptest::collection::vec(0..EXACT.len(), 12),
    ) {
        // Exact times take the bit-parallel sweep; intervals one pass each.
        let story = if exact_times { exact(&story, &pick) } else { story };
        let tz = jiff::tz::TimeZone::UTC;
        let options = RankOptions {
            threshold: query.threshold,
            relations: false,
            since: since.and_then(|i| TimeExpr::parse(EXACT[i], &tz).ok()?.interval().lo),
            until: query
                .until
                .as_deref()
                .and_then(|u| TimeExpr::parse(u, &tz).ok()?.interval().hi),
            strict: query.strict,
            through_groups: false,
        };
        let catalog = StoryCatalog::new(&story);
        let reach = rank_reach(&catalog, &options);
        let told = rank_told(&catalog, &options);
        let broker = rank_broker(&catalog, &options);
        let mut brokered: std::collections::HashMap<String, u64> = Default::default();
        let mut tellers: std::collections::HashMap<String, u64> = Default::default();
        for e in &story.entities {
            let (answer, chains) = own_reach(&story, &e.id, &options);
            let others = answer.reached.iter().filter(|r| r.entity != e.id).count() as u64;
            let row = reach.entities.iter().find(|r| r.entity == e.id).unwrap();
            prop_assert_eq!(row.value, Value::Count(others), "reach of {}", e.id);
            for r in answer.reached.iter().filter(|r| r.entity != e.id) {
                *tellers.entry(r.entity.clone()).or_default() += 1;
            }
            for c in chains.into_iter().flatten() {
                *brokered.entry(c).or_default() += 1;
            }
        }
        for row in &broker.entities {
            let want = brokered.get(&row.entity).copied().unwrap_or(0);
            prop_assert_eq!(row.value, Value::Count(want), "broker of {}", row.entity);
        }
        for row in &told.entities {
            let want = tellers.get(&row.entity).copied().unwrap_or(0);
            prop_assert_eq!(row.value, Value::Count(want), "told of {}", row.entity);
        }
        // The one-pass estimate: exact on sets this small (up to 4096).
        for (measure, exact) in [(Measure::Reach, &reach), (Measure::Told, &told)] {
            let est = rank_estimated(&catalog, measure, &options, 14, &|_, _| {});
            // With exact times it always applies; with intervals only when
            // none is drawn (an empty story, or one whose times all are exact).
            if exact_times {
                prop_assert!(est.is_some());
            }
            if let Some(est) = est {
                prop_assert!(est.estimate.is_some());
                prop_assert_eq!(&est.entities, &exact.entities, "{:?}", measure);
            }
        }
        // From one source: the chains of the query's answer.
        if let Ok((index, rq)) = query.compile(&catalog) {
            let answer = grapevine::reach(&index, &rq);
            let from = rank_broker_from(&index, &rq);
            let mut count: std::collections::HashMap<String, u64> = Default::default();
            for r in &answer.reached {
                let hops = r.hops(&index);
                for hop in hops.iter().take(hops.len().saturating_sub(1)) {
                    *count.entry(index.entity_id(hop.to).to_string()).or_default() += 1;
                }
            }
            for row in &from.entities {
                let want = count.get(&row.entity).copied().unwrap_or(0);
                prop_assert_eq!(row.value, Value::Count(want), "broker from the source of {}", row.entity);
            }
        }
    }
}

#[test]
fn rank_on_the_bundled_story() {
    let story = bundled();
    let catalog = StoryCatalog::new(&story);
    let options = RankOptions::default();
    for measure in STATIC {
        let a = rank_static(&catalog, measure, &options).unwrap();
        assert_eq!(a.entities[0].entity, "trump-jr", "{measure:?}");
    }
    let (index, rq) = Query::message("pac-tip").compile(&catalog).unwrap();
    let b = rank_broker_from(&index, &rq);
    let top: Vec<(&str, f64)> = b.entities[..3]
        .iter()
        .map(|r| (r.entity.as_str(), r.value.as_f64()))
        .collect();
    assert_eq!(
        top,
        [("trump-jr", 11.0), ("congress", 3.0), ("kushner", 2.0)]
    );
}

// ---------------------------------------------------------------------------
// connect: the shortest paths by enumeration, the chains against reach.

use grapevine::analysis::connect::{connect, ConnectQuery};

/// Every simple path from `a` to `b` in the graph of `links`.
fn simple_paths(n: usize, links: &[(usize, usize)], a: usize, b: usize) -> Vec<Vec<usize>> {
    let mut adj = vec![Vec::new(); n];
    for &(x, y) in links {
        adj[x].push(y);
        adj[y].push(x);
    }
    let mut out = Vec::new();
    let mut path = vec![a];
    fn walk(adj: &[Vec<usize>], b: usize, path: &mut Vec<usize>, out: &mut Vec<Vec<usize>>) {
        let v = *path.last().unwrap();
        if v == b {
            out.push(path.clone());
            return;
        }
        for &w in &adj[v] {
            if !path.contains(&w) {
                path.push(w);
                walk(adj, b, path, out);
                path.pop();
            }
        }
    }
    walk(&adj, b, &mut path, &mut out);
    out
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 200, ..ProptestConfig::default() })]

    #[test]
    fn connect_matches_enumeration(
        (story, query) in story_and_query(),
        pick in proptest::collection::vec(0..7usize, 2..4),
        relations in any::<bool>(),
    ) {
        let n = story.entities.len();
        let mut terms: Vec<u32> = pick.iter().map(|&p| (p % n) as u32).collect();
        terms.dedup();
        let mut seen = Vec::new();
        terms.retain(|t| if seen.contains(t) { false } else { seen.push(*t); true });
        if terms.len() < 2 {
            return Ok(());
        }
        let catalog = StoryCatalog::new(&story);
        let cq = ConnectQuery {
            entities: terms.iter().map(|&t| grapevine::internals::catalog::EntityId(t)).collect(),
            threshold: query.threshold,
            relations,
            since: None,
            strict: query.strict,
            until: None,
            through_groups: true,
        };
        let answer = connect(&catalog, &cq).unwrap();
        let (_, links) = links(&story, query.threshold, relations);
        let place = |u: u32| story.entities.iter().position(|e| e.id == catalog.entity_id(grapevine::internals::catalog::EntityId(u))).unwrap();
        let id = |p: usize| story.entities[p].id.clone();
        let mut nodes: BTreeSet<String> = terms.iter().map(|&t| catalog.entity_id(grapevine::internals::catalog::EntityId(t)).to_string()).collect();
        let mut on_paths: BTreeSet<(String, String)> = BTreeSet::new();
        let mut k = 0;
        for i in 0..terms.len() {
            for j in i + 1..terms.len() {
                let pair = &answer.pairs[k];
                k += 1;
                let paths = simple_paths(n, &links, place(terms[i]), place(terms[j]));
                let d = paths.iter().map(|p| p.len() - 1).min();
                prop_assert_eq!(pair.distance, d);
                let shortest: Vec<&Vec<usize>> = paths.iter().filter(|p| Some(p.len() - 1) == d).collect();
                prop_assert_eq!(pair.shortest_paths, shortest.len() as u64);
                for p in shortest {
                    nodes.extend(p.iter().map(|&v| id(v)));
                    for w in p.windows(2) {
                        let (a, b) = (id(w[0]), id(w[1]));
                        on_paths.insert(if a < b { (a, b) } else { (b, a) });
                    }
                }
                // The chains: reach from each end, since before any contact.
                for (from, to, chain) in [(i, j, &pair.a_to_b), (j, i, &pair.b_to_a)] {
                    let q = Query {
                        strict: query.strict,
                        threshold: query.threshold,
                        ..Query::from_entity(catalog.entity_id(grapevine::internals::catalog::EntityId(terms[from])))
                    };
                    let r = reach_story(&story, &q).unwrap();
                    let row = r.get(catalog.entity_id(grapevine::internals::catalog::EntityId(terms[to])));
                    prop_assert_eq!(chain.exists, row.is_some());
                    if let Some(row) = row {
                        prop_assert_eq!(Some(&chain.events), row.path.as_ref());
                        prop_assert_eq!(chain.earliest, row.earliest);
                    }
                }
            }
        }
        let got: BTreeSet<String> = answer.network.iter().cloned().collect();
        prop_assert_eq!(got, nodes);
        let got: BTreeSet<(String, String)> = answer
            .links
            .iter()
            .map(|l| if l.a < l.b { (l.a.clone(), l.b.clone()) } else { (l.b.clone(), l.a.clone()) })
            .collect();
        prop_assert_eq!(got, on_paths);
        // Each link's contacts: the events at or above the threshold with
        // both ends among their parties.
        for l in &answer.links {
            let events: Vec<String> = story
                .events
                .iter()
                .filter(|e| e.certainty() >= query.threshold)
                .filter(|e| {
                    let p = e.parties.entities();
                    p.contains(&l.a.as_str()) && p.contains(&l.b.as_str())
                })
                .map(|e| e.id.clone())
                .collect();
            prop_assert_eq!(l.contacts, events.len());
            let listed: BTreeSet<&String> = l.events.iter().collect();
            prop_assert_eq!(listed, events.iter().collect::<BTreeSet<_>>());
        }
    }
}

// ---------------------------------------------------------------------------
// check's structure: components and isolated entities by union-find over the
// links read from the events; contradictions are the causality problems.

proptest! {
    #![proptest_config(ProptestConfig { cases: 200, ..ProptestConfig::default() })]

    #[test]
    fn structure_matches_union_find((story, _) in story_and_query(), seed in 0..40u64, big in any::<bool>()) {
        let story = if big { random_story(seed, 30, (seed as usize * 3) % 40) } else { story };
        let catalog = StoryCatalog::new(&story);
        let report = grapevine::Report::new("s.json", "");
        let (summary, _) = grapevine::render::check_report(&catalog, &report, &|_| None);
        let st = summary.structure.expect("check fills the structure");
        let (n, links) = links(&story, Certainty::Unknown, false);
        let mut parent: Vec<usize> = (0..n).collect();
        fn find(p: &mut [usize], x: usize) -> usize {
            let mut r = x;
            while p[r] != r { r = p[r]; }
            p[x] = r;
            r
        }
        for &(a, b) in &links {
            let (ra, rb) = (find(&mut parent, a), find(&mut parent, b));
            parent[ra] = rb;
        }
        let mut groups: std::collections::BTreeMap<usize, Vec<String>> = Default::default();
        for v in 0..n {
            let r = find(&mut parent, v);
            groups.entry(r).or_default().push(story.entities[v].id.clone());
        }
        let mut sizes: Vec<usize> = groups.values().map(Vec::len).filter(|&k| k > 1).collect();
        sizes.sort_by(|a, b| b.cmp(a));
        prop_assert_eq!(&st.components, &sizes);
        let isolated: BTreeSet<String> = groups.values().filter(|g| g.len() == 1).map(|g| g[0].clone()).collect();
        let got: BTreeSet<String> = st.isolated.iter().map(|e| e.entity.clone()).collect();
        prop_assert_eq!(got, isolated);
        let separate: BTreeSet<BTreeSet<String>> = st.separate.iter().map(|g| g.iter().cloned().collect()).collect();
        let expected: BTreeSet<BTreeSet<String>> = groups
            .values()
            .filter(|g| g.len() > 1)
            .map(|g| g.iter().cloned().collect())
            .collect();
        prop_assert_eq!(separate.len() + usize::from(!sizes.is_empty()), expected.len());
        prop_assert!(separate.is_subset(&expected));
        let problems: Vec<String> = grapevine::analysis::summary::causality(&catalog)
            .into_iter()
            .map(|p| p.event_id)
            .collect();
        let got: Vec<String> = st.contradictions.iter().map(|c| c.event.clone()).collect();
        prop_assert_eq!(got, problems);
    }
}

#[test]
fn check_places_the_structure_in_the_file() {
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_grapevine"))
        .args(["check", "tests/warnings/warnings.json", "--json"])
        .output()
        .unwrap();
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let st = &v["structure"];
    assert_eq!(st["isolated"][0]["entity"], "assange");
    assert_eq!(st["isolated"][0]["line"], 10);
    assert_eq!(st["contradictions"][0]["event"], "fwd");
    assert_eq!(st["contradictions"][0]["line"], 18);
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_grapevine"))
        .args(["check", "graphs/trump-jr-wikileaks.json"])
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        text.contains("networks      3  the largest of 20 entities, and 2 others of 2"),
        "{text}"
    );
    assert!(text.contains("Mike Pompeo (line 147)"), "{text}");
}

/// The sweep of `rank --by reach` on exact times, over more than one block
/// of 4096 sources, against one earliest-arrival pass per entity.
#[test]
fn reach_sweep_over_several_blocks() {
    let story = random_story(7, 4200, 5000);
    let pick: Vec<usize> = (0..97).map(|i| (i * 7 + i / 3) % EXACT.len()).collect();
    let mut story = exact(&story, &pick);
    // More distinct seconds than EXACT has.
    for (i, e) in story.events.iter_mut().enumerate() {
        let t = format!("2016-09-20T00:{:02}:{:02}", (i / 60) % 60, i % 60 / 3);
        e.time = TimeExpr::parse(&t, &jiff::tz::TimeZone::UTC).ok();
    }
    let catalog = StoryCatalog::new(&story);
    for strict in [false, true] {
        let options = RankOptions {
            strict,
            ..RankOptions::default()
        };
        let answer = rank_reach(&catalog, &options);
        let told = rank_told(&catalog, &options);
        let spec = grapevine::IndexSpec {
            threshold: Certainty::Unknown,
            ..grapevine::IndexSpec::default()
        };
        let index = grapevine::Index::build(&catalog, &spec);
        // Told: the column sums of every source's answer.
        let n = story.entities.len();
        let mut tellers = vec![0u64; n];
        for e in &story.entities {
            let start = first_activity(&story, &e.id, Certainty::Unknown).flatten();
            let q = grapevine::ReachQuery {
                start,
                source_held: start.map_or(grapevine::SourceHeld::Always, grapevine::SourceHeld::By),
                strict,
                ..grapevine::ReachQuery::new(catalog.entity_number(&e.id).unwrap())
            };
            let arr = grapevine::analysis::reach::earliest_arrival(&index, &q, Certainty::Unknown);
            let u = catalog.entity_number(&e.id).unwrap().index();
            for v in (0..n).filter(|&v| v != u && arr[v] != i64::MAX) {
                tellers[v] += 1;
            }
        }
        for e in story.entities.iter().step_by(7) {
            let v = catalog.entity_number(&e.id).unwrap().index();
            let row = told.entities.iter().find(|r| r.entity == e.id).unwrap();
            assert_eq!(
                row.value,
                Value::Count(tellers[v]),
                "told {} strict {strict}",
                e.id
            );
        }
        for e in story.entities.iter().step_by(37) {
            let start = first_activity(&story, &e.id, Certainty::Unknown).flatten();
            let q = grapevine::ReachQuery {
                start,
                source_held: start.map_or(grapevine::SourceHeld::Always, grapevine::SourceHeld::By),
                strict,
                ..grapevine::ReachQuery::new(catalog.entity_number(&e.id).unwrap())
            };
            let arr = grapevine::analysis::reach::earliest_arrival(&index, &q, Certainty::Unknown);
            let u = catalog.entity_number(&e.id).unwrap().index();
            let want = (0..story.entities.len())
                .filter(|&v| v != u && arr[v] != i64::MAX)
                .count() as u64;
            let row = answer.entities.iter().find(|r| r.entity == e.id).unwrap();
            assert_eq!(row.value, Value::Count(want), "{} strict {strict}", e.id);
        }
    }
}

// ---------------------------------------------------------------------------
// One engine: a CSV corpus and the story its import makes answer alike.

proptest! {
    #![proptest_config(ProptestConfig { cases: 100, ..ProptestConfig::default() })]

    #[test]
    fn a_csv_and_its_import_answer_alike(
        rows in proptest::collection::vec((0..5usize, 0..5usize, 0..6usize, 0..4usize, any::<bool>()), 1..14),
        exact_times in any::<bool>(),
    ) {
        use grapevine::internals::io::csv::{Corpus, CsvOptions};
        let times = if exact_times {
            ["1474365600", "1474365601", "1474365602", "1474365603", "1474365604", "1474365605"]
        } else {
            ["1474365600", "2016-09-20", "2016-09-21", "2016-09", "../2016-09-21", ""]
        };
        let levels = ["confirmed", "reported", "alleged", "unknown"];
        let mut text = String::from("from,to,time,certainty,carries\n");
        for (a, b, t, c, carries) in &rows {
            if a == b {
                continue;
            }
            text.push_str(&format!(
                "p{a},p{b},{},{},{}\n",
                times[*t],
                levels[*c],
                if *carries { "m" } else { "" }
            ));
        }
        let Ok(corpus) = Corpus::parse("c.csv", text.as_bytes(), &CsvOptions::default()) else {
            return Ok(());
        };
        let Ok(story) = corpus.to_story() else {
            return Ok(());
        };
        let loaded = grapevine::load_str("c.json", &grapevine::to_json(&story)).expect("the import loads");
        let catalog = StoryCatalog::new(&loaded.story);
        let answers = |cat: &dyn Catalog| -> Vec<String> {
            let mut out = Vec::new();
            let json = |v: Result<serde_json::Value, String>| format!("{v:?}");
            for q in [Query::from_entity("p0"), Query::message("m")] {
                out.push(json(
                    critical(cat, &q, &CriticalQuery::default())
                        .map(|a| serde_json::to_value(a).unwrap_or_default())
                        .map_err(|_| "an error (worded for the input)".to_string()),
                ));
            }
            // Scores to 12 places: sums run in the order of entity numbers,
            // which a CSV gives by first appearance.
            for m in STATIC {
                let a = rank_static(cat, m, &RankOptions::default()).unwrap();
                let rows: Vec<String> = a
                    .entities
                    .iter()
                    .map(|r| format!("{} {} {:.12}", r.rank, r.entity, r.value.as_f64()))
                    .collect();
                out.push(rows.join("\n"));
            }
            out.push(json(Ok(serde_json::to_value(rank_reach(cat, &RankOptions::default())).unwrap_or_default())));
            out.push(json(Ok(serde_json::to_value(rank_broker(cat, &RankOptions::default())).unwrap_or_default())));
            let ids: Vec<grapevine::internals::catalog::EntityId> = ["p0", "p1", "p2"]
                .iter()
                .filter_map(|id| cat.entity_number(id))
                .collect();
            out.push(json(
                connect(cat, &ConnectQuery { entities: ids, ..ConnectQuery::default() })
                    .map(|a| serde_json::to_value(a).unwrap_or_default())
                    .map_err(|_| "an error (worded for the input)".to_string()),
            ));
            out
        };
        let (a, b) = (answers(&corpus), answers(&catalog));
        for (x, y) in a.iter().zip(&b) {
            prop_assert_eq!(x, y, "\n{}", text);
        }
    }
}

// ---------------------------------------------------------------------------
// The commands.

fn grapevine(args: &[&str]) -> std::process::Output {
    std::process::Command::new(env!("CARGO_BIN_EXE_grapevine"))
        .args(args)
        .output()
        .unwrap()
}

const STORY: &str = "graphs/trump-jr-wikileaks.json";

#[test]
fn critical_to_exits_as_documented() {
    // critical --to: reached (0), not reached or the source (1).
    let out = grapevine(&[
        "critical",
        STORY,
        "--message",
        "pac-tip",
        "--to",
        "trump",
        "--json",
    ]);
    assert_eq!(out.status.code(), Some(0));
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["entities"][0]["cut"][0], "hicks-to-trump");
    for to in ["manafort", "wikileaks"] {
        let out = grapevine(&["critical", STORY, "--message", "pac-tip", "--to", to]);
        assert_eq!(out.status.code(), Some(1), "{to}");
    }
}

#[test]
fn critical_drop_answers_and_exits_as_documented() {
    // --drop: an unknown event is bad input; --drop and --to do not go together.
    let out = grapevine(&["critical", STORY, "--message", "pac-tip", "--drop", "nope"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("no event is called \"nope\""));
    let out = grapevine(&[
        "critical",
        STORY,
        "--message",
        "pac-tip",
        "--drop",
        "dm-pac-tip",
        "--to",
        "trump",
    ]);
    assert_eq!(out.status.code(), Some(2));
    let out = grapevine(&[
        "critical",
        STORY,
        "--message",
        "pac-tip",
        "--drop",
        "dm-pac-tip",
        "--json",
    ]);
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(
        v["answer"]["reached"].as_array().map(Vec::len),
        Some(1),
        "only WikiLeaks"
    );
}

#[test]
fn rank_answers_and_exits_as_documented() {
    // rank: flags that do not go with the measure are bad input.
    for bad in [
        &["rank", STORY, "--by", "degree", "--since", "2016-09-20"][..],
        &["rank", STORY, "--by", "reach", "--relations"],
        &["rank", STORY, "--by", "pagerank", "--from", "wikileaks"],
        &["rank", STORY, "--by", "reach", "--until", "2016-09-20/.."],
    ] {
        assert_eq!(grapevine(bad).status.code(), Some(2), "{bad:?}");
    }
    let out = grapevine(&[
        "rank",
        STORY,
        "--by",
        "broker",
        "--message",
        "pac-tip",
        "--json",
    ]);
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["entities"][0]["entity"], "trump-jr");
    assert_eq!(v["entities"][0]["value"], 11);
    assert_eq!(v["mode"], "message");
}

#[test]
fn connect_answers_and_exits_as_documented() {
    // connect: one entity, or one twice, is bad input.
    assert_eq!(
        grapevine(&["connect", STORY, "trump"]).status.code(),
        Some(2)
    );
    assert_eq!(
        grapevine(&["connect", STORY, "trump", "Donald Trump"])
            .status
            .code(),
        Some(2)
    );
    // The public on Twitter, an audience, is an endpoint: not a link
    // between two who posted to it, unless --through-groups asks.
    let out = grapevine(&["connect", STORY, "trump-jr", "assange", "--json"]);
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["pairs"][0]["distance"], 3);
    assert_eq!(v["pairs"][0]["b_to_a"]["exists"], false);
    assert!(!v["network"].to_string().contains("public"), "{v}");
    let out = grapevine(&[
        "connect",
        STORY,
        "trump-jr",
        "assange",
        "--json",
        "--through-groups",
    ]);
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["pairs"][0]["distance"], 2);
}

#[test]
fn render_connect_draws_the_network_and_exits_as_documented() {
    // render --connect draws the network and the chains.
    let out = grapevine(&["render", STORY, "--connect", "trump-jr", "assange"]);
    assert_eq!(out.status.code(), Some(0));
    let dot = String::from_utf8_lossy(&out.stdout);
    for name in [
        "Donald Trump Jr.",
        "Julian Assange",
        "US Congress",
        "The Atlantic",
    ] {
        assert!(dot.contains(name), "{name}: {dot}");
    }
    assert!(!dot.contains("Hope Hicks"), "{dot}");
    assert_eq!(
        grapevine(&[
            "render",
            STORY,
            "--connect",
            "trump-jr",
            "assange",
            "--reach",
            "pac-tip"
        ])
        .status
        .code(),
        Some(2)
    );
}

// Audiences (entities of kind group) are endpoints in static measures.

/// Every simple path from `s` to `t` over `links` whose inner entities are
/// not groups (`group[v]`), found by trying every path (small graphs only).
fn paths_avoiding_groups(
    n: usize,
    links: &[(usize, usize)],
    group: &[bool],
    s: usize,
    t: usize,
) -> Vec<Vec<usize>> {
    fn walk(
        adj: &[Vec<usize>],
        group: &[bool],
        t: usize,
        path: &mut Vec<usize>,
        out: &mut Vec<Vec<usize>>,
    ) {
        let v = *path.last().unwrap();
        if v == t {
            out.push(path.clone());
            return;
        }
        if path.len() > 1 && group[v] {
            return;
        }
        for &w in &adj[v] {
            if !path.contains(&w) {
                path.push(w);
                walk(adj, group, t, path, out);
                path.pop();
            }
        }
    }
    let mut adj = vec![Vec::new(); n];
    for &(a, b) in links {
        adj[a].push(b);
        adj[b].push(a);
    }
    let mut out = Vec::new();
    walk(&adj, group, t, &mut vec![s], &mut out);
    out
}

/// Betweenness and closeness straight from their definitions, over the
/// shortest of the paths that do not pass through a group.
#[allow(clippy::needless_range_loop)] // the definitions index by entity
fn endpoint_measures(n: usize, links: &[(usize, usize)], group: &[bool]) -> (Vec<f64>, Vec<f64>) {
    let mut between = vec![0.0; n];
    let mut close = vec![0.0; n];
    for s in 0..n {
        let (mut reached, mut total) = (1usize, 0usize);
        for t in 0..n {
            if s == t {
                continue;
            }
            let paths = paths_avoiding_groups(n, links, group, s, t);
            let Some(d) = paths.iter().map(Vec::len).min() else {
                continue;
            };
            reached += 1;
            total += d - 1;
            let shortest: Vec<&Vec<usize>> = paths.iter().filter(|p| p.len() == d).collect();
            for v in 0..n {
                let through = shortest.iter().filter(|p| p[1..d - 1].contains(&v)).count();
                between[v] += through as f64 / shortest.len() as f64;
            }
        }
        if total > 0 && n > 1 {
            let r = reached as f64 - 1.0;
            close[s] = r / total as f64 * r / (n - 1) as f64;
        }
    }
    let scale = if n > 2 {
        1.0 / ((n - 1) * (n - 2)) as f64
    } else {
        0.0
    };
    (between.into_iter().map(|b| b * scale).collect(), close)
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 300, ..ProptestConfig::default() })]

    /// Betweenness and closeness with audiences as endpoints agree with the
    /// definitions over every simple path; an audience never brokers.
    #[test]
    fn audiences_are_endpoints_in_static_measures(
        (story, query) in story_and_query(),
        kinds in proptest::collection::vec(any::<bool>(), 8),
    ) {
        let mut story = story;
        for (e, &g) in story.entities.iter_mut().zip(&kinds) {
            e.kind = Some(if g { "group" } else { "person" }.to_string());
        }
        let group: Vec<bool> = story.entities.iter().map(|e| e.kind.as_deref() == Some("group")).collect();
        let (n, l) = links(&story, query.threshold, false);
        let (between, close) = endpoint_measures(n, &l, &group);
        let catalog = StoryCatalog::new(&story);
        let options = RankOptions { threshold: query.threshold, ..RankOptions::default() };
        for (measure, want) in [(Measure::Betweenness, &between), (Measure::Closeness, &close)] {
            let answer = rank_static(&catalog, measure, &options).unwrap();
            for row in &answer.entities {
                let v = story.entities.iter().position(|e| e.id == row.entity).unwrap();
                let Value::Score(got) = row.value else { panic!("a score") };
                prop_assert!((got - want[v]).abs() <= 1e-9, "{:?} of {}: {} against {}", measure, row.entity, got, want[v]);
                if measure == Measure::Betweenness && group[v] {
                    prop_assert_eq!(got, 0.0);
                }
            }
        }
    }
}

/// `rank --by told` on the bundled story from 20 September 2016, checked by
/// hand against its contacts: Trump Jr. hears only from WikiLeaks (the DM),
/// WikiLeaks only from Trump Jr. (his reply); Kushner from those two, Hicks
/// from the three, Donald Trump from the four (Hicks's forward), his rally
/// crowd from the five; Congress from Trump Jr. (his documents) and so
/// WikiLeaks; The Atlantic from Congress, those two, and the congressional
/// source and the lawyer (undated); Assange from The Atlantic and its five;
/// the public on Twitter from Trump, Trump Jr., Assange and everyone who
/// could tell one of them: ten; the general public (WikiLeaks's and
/// Assange's publications, The Atlantic's) seven; the DNC, Russia and the
/// others never hear from anyone after that date.
#[test]
fn told_on_the_bundled_story_by_hand() {
    let story = bundled();
    let catalog = StoryCatalog::new(&story);
    let options = RankOptions {
        since: TimeExpr::parse("2016-09-20", &jiff::tz::TimeZone::UTC)
            .unwrap()
            .interval()
            .lo,
        ..RankOptions::default()
    };
    let told = rank_told(&catalog, &options);
    let value = |id: &str| {
        let row = told.entities.iter().find(|r| r.entity == id).unwrap();
        row.value
    };
    for (id, want) in [
        ("twitter-public", 10),
        ("public", 7),
        ("assange", 6),
        ("rally-crowd", 5),
        ("the-atlantic", 5),
        ("trump", 4),
        ("hicks", 3),
        ("mueller", 3),
        ("kushner", 2),
        ("congress", 2),
        ("trump-jr", 1),
        ("wikileaks", 1),
        ("dnc", 0),
        ("russia", 0),
    ] {
        assert_eq!(value(id), Value::Count(want), "{id}");
    }
    // The transpose of reach: the same total.
    let reach = rank_reach(&catalog, &options);
    let sum = |a: &grapevine::analysis::rank::RankAnswer| -> f64 {
        a.entities.iter().map(|r| r.value.as_f64()).sum()
    };
    assert_eq!(sum(&told), sum(&reach));
}
