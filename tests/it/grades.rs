//! Admiralty grades: a source's reliability (A–F) and a citation's
//! credibility (1–6), read with located errors, written back, shown by
//! `check`, and `--graded` taking each claim at the weaker of its certainty
//! and its best graded citation, against a hand-written rule on random
//! stories.

use grapevine::analysis::grades::{graded, grades};
use grapevine::{load_str, Certainty};
use proptest::prelude::*;

/// A claim: its certainty (0 unknown to 3 confirmed, `None` unwritten)
/// and its citations (source, credibility).
type Claim = (Option<u8>, Vec<(usize, Option<u8>)>);

fn grapevine_cmd() -> std::process::Command {
    std::process::Command::new(env!("CARGO_BIN_EXE_grapevine"))
}

/// A story of three people and `events`, each `(certainty, [(source,
/// credibility)])`, with sources graded `reliability`.
fn story(reliability: &[Option<char>], events: &[Claim]) -> String {
    let words = ["unknown", "alleged", "reported", "confirmed"];
    let sources: Vec<String> = reliability
        .iter()
        .enumerate()
        .map(|(i, r)| match r {
            Some(r) => format!(r#"{{"id": "s{i}", "reliability": "{r}"}}"#),
            None => format!(r#"{{"id": "s{i}"}}"#),
        })
        .collect();
    let events: Vec<String> = events
        .iter()
        .enumerate()
        .map(|(i, (c, cites))| {
            let cites: Vec<String> = cites
                .iter()
                .map(|(s, cr)| match cr {
                    Some(n) => format!(r#"{{"source": "s{s}", "credibility": {n}}}"#),
                    None => format!(r#"{{"source": "s{s}"}}"#),
                })
                .collect();
            let certainty = c
                .map(|c| format!(r#", "certainty": "{}""#, words[usize::from(c)]))
                .unwrap_or_default();
            format!(
                r#"{{"id": "e{i}", "from": "a", "to": "b", "time": "2016-01-0{}"{certainty}, "sources": [{}]}}"#,
                1 + i % 9,
                cites.join(", ")
            )
        })
        .collect();
    format!(
        r#"{{"format": "grapevine/1", "sources": [{}], "entities": [{{"id": "a", "name": "A"}}, {{"id": "b", "name": "B"}}], "events": [{}]}}"#,
        sources.join(", "),
        events.join(", ")
    )
}

/// The documented default, written out again: what a grade supports
/// (`None`: limits nothing).
fn cap_reliability(r: char) -> Option<Certainty> {
    match r {
        'A' | 'B' => Some(Certainty::Confirmed),
        'C' => Some(Certainty::Reported),
        'D' => Some(Certainty::Alleged),
        'E' => Some(Certainty::Unknown),
        _ => None,
    }
}

fn cap_credibility(c: u8) -> Option<Certainty> {
    match c {
        1 => Some(Certainty::Confirmed),
        2 => Some(Certainty::Reported),
        3 | 4 => Some(Certainty::Alleged),
        5 => Some(Certainty::Unknown),
        _ => None,
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(200))]

    #[test]
    fn graded_is_the_weaker_of_certainty_and_best_grade(
        reliability in prop::collection::vec(prop::option::of(prop::sample::select(vec!['A', 'B', 'C', 'D', 'E', 'F'])), 1..4),
        events in prop::collection::vec(
            (prop::option::of(0u8..4), prop::collection::vec((0usize..3, prop::option::of(1u8..7)), 0..4)),
            1..6,
        ),
    ) {
        let n = reliability.len();
        let events: Vec<_> = events
            .into_iter()
            .map(|(c, cites)| (c, cites.into_iter().map(|(s, cr)| (s % n, cr)).collect::<Vec<_>>()))
            .collect();
        let text = story(&reliability, &events);
        let loaded = load_str("graded.json", &text).expect("the story loads").story;
        let after = graded(&loaded);
        let report = grades(&loaded);
        for (i, (written, cites)) in events.iter().enumerate() {
            let written = written.map_or(Certainty::Reported, |c| Certainty::ALL[3 - usize::from(c)]);
            let support = cites
                .iter()
                .filter_map(|&(s, cr)| {
                    let r = reliability[s].and_then(cap_reliability);
                    let c = cr.and_then(cap_credibility);
                    match (r, c) {
                        (Some(a), Some(b)) => Some(a.min(b)),
                        (a, b) => a.or(b),
                    }
                })
                .max();
            let expected = support.map_or(written, |s| s.min(written));
            prop_assert_eq!(after.events[i].certainty(), expected, "event e{}", i);
            let flagged = report.stronger.iter().any(|x| x.id == format!("e{i}"));
            prop_assert_eq!(flagged, expected < written, "event e{} flagged", i);
        }
    }
}

#[test]
fn grades_are_written_back_as_read() {
    let text = story(
        &[Some('B'), None],
        &[(Some(3), vec![(0, Some(2)), (1, None)])],
    );
    let s = load_str("g.json", &text).unwrap().story;
    let out = grapevine::to_json(&s);
    assert!(out.contains("\"reliability\": \"B\""), "{out}");
    assert!(out.contains("\"credibility\": 2"), "{out}");
    let again = load_str("g.json", &out).unwrap().story;
    assert_eq!(grapevine::to_json(&again), out);
}

#[test]
fn a_story_overrides_the_default() {
    let text = story(&[Some('C')], &[(Some(3), vec![(0, Some(2))])]).replacen(
        "\"sources\"",
        "\"grading\": {\"C\": \"confirmed\", \"2\": null}, \"sources\"",
        1,
    );
    let s = load_str("g.json", &text).unwrap().story;
    assert_eq!(graded(&s).events[0].certainty(), Certainty::Confirmed);
    assert!(grades(&s).stronger.is_empty());
    // Written back: only what differs from the default.
    let out = grapevine::to_json(&s);
    assert!(
        out.contains("\"grading\": {\n    \"C\": \"confirmed\",\n    \"2\": null\n  }"),
        "{out}"
    );
}

#[test]
fn a_bad_grade_is_located_with_its_fix() {
    for (bad, words) in [
        (r#""reliability": "G""#, "A (completely reliable) to E"),
        (r#""reliability": "b""#, "one capital letter"),
    ] {
        let text = story(&[Some('B')], &[(None, vec![(0, None)])]).replacen(
            r#""reliability": "B""#,
            bad,
            1,
        );
        let err = load_str("bad.json", &text).unwrap_err().render();
        assert!(err.contains("bad.json:1:"), "{err}");
        assert!(err.contains(words), "{err}");
    }
    let text = story(&[None], &[(None, vec![(0, Some(2))])]).replacen(
        "\"credibility\": 2",
        "\"credibility\": 7",
        1,
    );
    let err = load_str("bad.json", &text).unwrap_err().render();
    assert!(err.contains("a whole number 1 to 6"), "{err}");
    let text = story(&[None], &[(None, vec![(0, None)])]).replacen(
        "\"sources\"",
        "\"grading\": {\"Z\": \"confirmed\"}, \"sources\"",
        1,
    );
    let err = load_str("bad.json", &text).unwrap_err().render();
    assert!(err.contains("\"Z\" is not an Admiralty grade"), "{err}");
}

#[test]
fn check_shows_the_grades_only_when_the_file_has_them() {
    let dir = tempfile::tempdir().unwrap();
    let graded_file = dir.path().join("graded.json");
    std::fs::write(
        &graded_file,
        story(
            &[Some('D')],
            &[(Some(3), vec![(0, Some(1))]), (None, vec![])],
        ),
    )
    .unwrap();
    let out = grapevine_cmd()
        .arg("check")
        .arg(&graded_file)
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        text.contains("grades        1  sources 1 D; citations 1 1"),
        "{text}"
    );
    assert!(
        text.contains("stronger than its grades: event e0 is confirmed, its best grade D1 supports alleged (line 1)"),
        "{text}"
    );
    let plain = grapevine_cmd()
        .arg("check")
        .arg("graphs/trump-jr-wikileaks.json")
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&plain.stdout);
    assert!(!text.contains("grades"), "{text}");
    let reach = |graded: bool| {
        let mut c = grapevine_cmd();
        c.args(["reach", "--from", "a", "--threshold", "reported"])
            .arg(&graded_file);
        if graded {
            c.arg("--graded");
        }
        String::from_utf8_lossy(&c.output().unwrap().stdout).into_owned()
    };
    // Graded, the confirmed contact of 1 January counts as alleged: B is
    // reached at the reported threshold only by the one of 2 January.
    assert!(
        reach(false).contains("B       1 Jan 2016"),
        "{}",
        reach(false)
    );
    assert!(
        reach(true).contains("B       2 Jan 2016"),
        "{}",
        reach(true)
    );
}
