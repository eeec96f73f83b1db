//! `merge`: two stories made one. A property test on random stories (a
//! copy under renamed ids, with the judgements that say so, gives back the
//! original, byte for byte once written; a story merged with itself is
//! itself), and hand-checked cases: a claim both files make keeps both
//! citations, the same contact on another date is two claims and a
//! conflict, a `different` judgement keeps two entities apart, name-only
//! matches are proposed and not applied, and the command line's report,
//! files and exit codes.

use std::collections::HashSet;
use std::process::{Command, Output};

use grapevine::analysis::diff::diff;
use grapevine::analysis::merge::{merge, JoinReason, Judgement, Verdict};
use grapevine::{load_str, to_json, Citation, Parties, Story};
use proptest::prelude::*;

const BUNDLED: &str = "graphs/trump-jr-wikileaks.json";
const SECOND: &str = "examples/merge/second-outlet.json";
const JUDGED: &str = "examples/merge/judgements.json";

fn judge(a: &str, b: &str, v: Verdict) -> Judgement {
    Judgement {
        a: a.into(),
        b: b.into(),
        judgement: v,
        by: Some("test".into()),
        why: None,
        at: None,
    }
}

/// `story` with every entity id `x` renamed `x` + `suffix`, everywhere.
fn renamed(story: &Story, suffix: &str) -> Story {
    let r = |id: &str| format!("{id}{suffix}");
    let mut s = story.clone();
    for e in &mut s.entities {
        e.id = r(&e.id);
    }
    for m in &mut s.messages {
        m.origin = m.origin.as_deref().map(r);
    }
    for e in &mut s.events {
        e.parties = match &e.parties {
            Parties::Directed {
                from,
                to,
                to_is_array,
            } => Parties::Directed {
                from: r(from),
                to: to.iter().map(|t| r(t)).collect(),
                to_is_array: *to_is_array,
            },
            Parties::Mutual { participants } => Parties::Mutual {
                participants: participants.iter().map(|p| r(p)).collect(),
            },
        };
    }
    for h in &mut s.holdings {
        h.entity = r(&h.entity);
    }
    for rel in &mut s.relations {
        rel.from = r(&rel.from);
        rel.to = r(&rel.to);
    }
    s
}

fn ids(s: &Story) -> HashSet<String> {
    let mut out: HashSet<String> = s.entities.iter().map(|e| e.id.clone()).collect();
    out.extend(s.sources.iter().map(|x| x.id.clone()));
    out.extend(s.messages.iter().map(|x| x.id.clone()));
    out.extend(s.events.iter().map(|x| x.id.clone()));
    out.extend(s.relations.iter().filter_map(|x| x.id.clone()));
    out
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 200, ..ProptestConfig::default() })]

    #[test]
    fn merge_of_a_renamed_copy_with_its_judgements_is_the_original(
        story in crate::roundtrip::story(),
    ) {
        let copy = renamed(&story, "~copy");
        prop_assume!(copy.entities.iter().all(|e| !ids(&story).contains(&e.id)));
        let judgements: Vec<Judgement> = story
            .entities
            .iter()
            .zip(&copy.entities)
            .map(|(a, b)| judge(&a.id, &b.id, Verdict::Same))
            .collect();
        let merged = merge(&story, &copy, &judgements, false);
        prop_assert_eq!(to_json(&merged.story), to_json(&story));
        prop_assert!(merged.report.conflicts.is_empty(), "{:?}", merged.report.conflicts);
        prop_assert!(merged.report.renamed.is_empty());
        prop_assert_eq!(merged.report.joined.len(), story.entities.len());
        prop_assert!(merged.report.joined.iter().all(|j| j.how == JoinReason::Judged));
        prop_assert!(merged.report.added.is_empty());
        prop_assert!(diff(&story, &merged.story, None).unwrap().same);
    }

    #[test]
    fn merge_of_a_story_with_itself_is_itself(story in crate::roundtrip::story()) {
        let merged = merge(&story, &story, &[], false);
        prop_assert_eq!(to_json(&merged.story), to_json(&story));
        prop_assert!(merged.report.conflicts.is_empty());
        prop_assert!(merged.report.added.is_empty());
    }
}

fn story(text: &str) -> Story {
    match load_str("test.json", text) {
        Ok(l) => l.story,
        Err(r) => panic!("{}", r.render()),
    }
}

const A: &str = r#"{"format": "grapevine/1",
 "sources": [{"id": "s1", "url": "https://example.org/one"}],
 "entities": [{"id": "ann", "name": "Ann É. Smith"}, {"id": "bob", "name": "Bob Jones"}],
 "events": [{"id": "call", "kind": "call", "from": "ann", "to": "bob", "time": "2020-01-02",
             "sources": [{"source": "s1", "quote": "Ann called Bob."}]}]}"#;

/// The second file: the same people under other ids, the call cited
/// differently, its source under another id with the same link.
const B: &str = r#"{"format": "grapevine/1",
 "sources": [{"id": "web", "url": "https://example.org/one/"}, {"id": "s2", "title": "Two"}],
 "entities": [{"id": "a-smith", "name": "Ann E. Smith"}, {"id": "b-jones", "name": "bob jones"}],
 "events": [{"id": "phone", "kind": "call", "from": "a-smith", "to": "b-jones", "time": "2020-01-02",
             "sources": ["s2", {"source": "web", "quote": "Ann called Bob."}]}]}"#;

fn both_judged() -> Vec<Judgement> {
    vec![
        judge("ann", "a-smith", Verdict::Same),
        judge("bob", "b-jones", Verdict::Same),
    ]
}

#[test]
fn merge_a_shared_claim_keeps_both_citations_once() {
    let (a, b) = (story(A), story(B));
    let m = merge(&a, &b, &both_judged(), false);
    assert_eq!(m.story.events.len(), 1);
    let call = &m.story.events[0];
    assert_eq!(call.id, "call");
    assert_eq!(
        call.sources,
        vec![
            Citation::Full {
                source: "s1".into(),
                quote: Some("Ann called Bob.".into()),
                locator: None,
                paraphrase: None,
                credibility: None,
                extra: vec![],
            },
            Citation::Id("s2".into()),
        ]
    );
    assert_eq!(m.report.shared, 1);
    assert_eq!(m.report.citations_added, 1);
    assert!(m.report.conflicts.is_empty());
    // The source with the same link is one source; the other is added.
    let ids: Vec<&str> = m.story.sources.iter().map(|s| s.id.as_str()).collect();
    assert_eq!(ids, ["s1", "s2"]);
    // The second file's names are aliases of the first's entities.
    assert!(
        m.story.entities[0].aliases.is_empty(),
        "accents fold: same name"
    );
    let merged = to_json(&m.story);
    let loaded = load_str("merged.json", &merged).expect("the merged file passes check");
    assert_eq!(loaded.report.error_count(), 0);
    let d = diff(&a, &m.story, None).unwrap();
    let what: Vec<(&str, &str)> = d.claims.iter().map(|c| (c.what, c.id.as_str())).collect();
    assert_eq!(what, [("event", "call")]);
}

#[test]
fn merge_the_same_contact_on_another_date_is_two_claims_listed() {
    let a = story(A);
    let b = story(
        &B.replace("2020-01-02", "2020-01-03")
            .replace("\"phone\"", "\"call\""),
    );
    let m = merge(&a, &b, &both_judged(), false);
    let ids: Vec<&str> = m.story.events.iter().map(|e| e.id.as_str()).collect();
    assert_eq!(ids, ["call", "call-b"]);
    assert_eq!(m.report.conflicts.len(), 1);
    let c = &m.report.conflicts[0];
    assert_eq!(
        (c.what, c.a.as_str(), c.b.as_str()),
        ("event", "call", "call-b")
    );
    let fields: Vec<(&str, Option<&str>, Option<&str>)> = c
        .fields
        .iter()
        .map(|f| (f.field.as_str(), f.a.as_deref(), f.b.as_deref()))
        .collect();
    assert_eq!(fields, [("time", Some("2020-01-02"), Some("2020-01-03"))]);
    assert_eq!(m.report.renamed.len(), 1);
    load_str("merged.json", &to_json(&m.story)).expect("passes check");
}

#[test]
fn merge_another_certainty_is_a_conflict_too() {
    let a = story(A);
    let b = story(&B.replace(
        "\"time\": \"2020-01-02\"",
        "\"time\": \"2020-01-02\", \"certainty\": \"alleged\"",
    ));
    let m = merge(&a, &b, &both_judged(), false);
    assert_eq!(m.story.events.len(), 2);
    assert_eq!(m.report.conflicts.len(), 1);
    assert_eq!(m.report.conflicts[0].fields[0].field, "certainty");
    // "phone" is free: kept under its own id, nothing renamed.
    assert!(m.report.renamed.is_empty());
}

#[test]
fn merge_different_keeps_two_entities_apart_even_when_names_match() {
    let a = story(A);
    let same_ids = story(A);
    let j = [judge("ann", "ann", Verdict::Different)];
    let m = merge(&a, &same_ids, &j, true);
    let ids: Vec<&str> = m.story.entities.iter().map(|e| e.id.as_str()).collect();
    assert_eq!(ids, ["ann", "bob", "ann-b"]);
    assert_eq!(m.report.apart.len(), 1);
    assert!(m.report.proposed.iter().all(|p| p.b != "ann"));
    // The call of the second Ann is another claim, told the same way but
    // about another person.
    assert_eq!(m.story.events.len(), 2);
    load_str("merged.json", &to_json(&m.story)).expect("passes check");
}

#[test]
fn merge_without_judgements_proposes_and_does_not_join() {
    let (a, b) = (story(A), story(B));
    let m = merge(&a, &b, &[], false);
    assert!(m.report.joined.is_empty());
    let pairs: Vec<(&str, &str, bool)> = m
        .report
        .proposed
        .iter()
        .map(|p| (p.a.as_str(), p.b.as_str(), p.applied))
        .collect();
    assert_eq!(
        pairs,
        [("ann", "a-smith", false), ("bob", "b-jones", false)]
    );
    assert!(m.report.proposed[0].reasons.contains(&"same name"));
    assert_eq!(m.story.entities.len(), 4);
    let m = merge(&a, &b, &[], true);
    assert_eq!(m.report.joined.len(), 2);
    assert!(m
        .report
        .joined
        .iter()
        .all(|j| j.how == JoinReason::Proposal));
    assert_eq!(m.story.entities.len(), 2);
}

#[test]
fn merge_proposes_initials_and_shared_links() {
    let a = story(
        r#"{"format": "grapevine/1", "entities": [
        {"id": "djtjr", "name": "Donald Trump Jr."},
        {"id": "org", "name": "Acme", "url": "https://acme.example/"}]}"#,
    );
    let b = story(
        r#"{"format": "grapevine/1", "entities": [
        {"id": "x1", "name": "D. Trump Jr."},
        {"id": "x2", "name": "Acme Corporation", "url": "https://ACME.example"}]}"#,
    );
    let m = merge(&a, &b, &[], false);
    let why: Vec<(&str, Vec<&str>)> = m
        .report
        .proposed
        .iter()
        .map(|p| (p.b.as_str(), p.reasons.clone()))
        .collect();
    assert_eq!(why, [("x2", vec!["same url"]), ("x1", vec!["initials"])]);
}

fn run(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_grapevine"))
        .args(args)
        .output()
        .expect("the binary runs")
}

#[test]
fn merge_cli_reports_writes_and_refuses_inputs() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("merged.json");
    let props = dir.path().join("judge.json");
    let (o, p) = (out.to_str().unwrap(), props.to_str().unwrap());
    let r = run(&["merge", BUNDLED, SECOND, "-o", o, "--propose", p]);
    let text = String::from_utf8_lossy(&r.stdout);
    assert_eq!(r.status.code(), Some(1), "{text}");
    assert!(text.contains("trump-jr ~ djt-jr"), "{text}");
    // The proposals file reads back: unsure pairs stay proposals.
    let r2 = run(&["merge", BUNDLED, SECOND, "-o", o, "--judgements", p]);
    assert!(String::from_utf8_lossy(&r2.stdout).contains("Proposed"));
    let r = run(&["merge", BUNDLED, SECOND, "-o", o, "--judgements", JUDGED]);
    let text = String::from_utf8_lossy(&r.stdout);
    assert_eq!(r.status.code(), Some(1), "{text}");
    assert!(
        text.contains("event assange-tweet / assange-tweet-b: time 2017-07-11 / 2017-07-10"),
        "{text}"
    );
    assert_eq!(run(&["check", o]).status.code(), Some(0));
    let d = run(&["diff", BUNDLED, o]);
    let d = String::from_utf8_lossy(&d.stdout);
    assert!(d.contains("event assange-tweet-b: added"), "{d}");
    assert!(d.contains("event kushner-hicks-email: added"), "{d}");
    // Never over an input.
    let r = run(&["merge", BUNDLED, SECOND, "-o", SECOND]);
    assert_eq!(r.status.code(), Some(2));
    let r = run(&[
        "merge",
        BUNDLED,
        SECOND,
        "-o",
        o,
        "--judgements",
        JUDGED,
        "--propose",
        JUDGED,
    ]);
    assert_eq!(r.status.code(), Some(2));
}

#[test]
fn merge_cli_locates_judgement_errors() {
    let dir = tempfile::tempdir().unwrap();
    let j = dir.path().join("j.json");
    std::fs::write(
        &j,
        "{\"format\": \"grapevine-judgements/1\", \"judgements\": [\n  {\"a\": \"nobody\", \"b\": \"djt-jr\", \"judgement\": \"same\"}]}",
    )
    .unwrap();
    let out = dir.path().join("m.json");
    let r = run(&[
        "merge",
        BUNDLED,
        SECOND,
        "-o",
        out.to_str().unwrap(),
        "--judgements",
        j.to_str().unwrap(),
    ]);
    assert_eq!(r.status.code(), Some(2));
    let err = String::from_utf8_lossy(&r.stderr);
    assert!(
        err.contains("\"nobody\" is not an entity of the first story"),
        "{err}"
    );
    assert!(err.contains("j.json:2:9"), "{err}");
    assert!(!out.exists(), "nothing written");
}

#[test]
fn merge_judgements_file_round_trips_and_locates_errors() {
    let (a, b) = (story(A), story(B));
    let list = vec![
        Judgement {
            why: Some("same \"Ann\"\nsurely".into()),
            at: Some("2026-12-07".into()),
            ..judge("ann", "a-smith", Verdict::Same)
        },
        judge("bob", "b-jones", Verdict::Different),
        judge("bob", "a-smith", Verdict::Unsure),
    ];
    let text = grapevine::judgements_to_json(&list);
    let back = grapevine::read_judgements("j.json", &text, &a, &b).expect("reads back");
    assert_eq!(back, list);
    let bad = text.replace("\"different\"", "\"maybe\"");
    let report = grapevine::read_judgements("j.json", &bad, &a, &b).unwrap_err();
    let json = report.to_json();
    assert_eq!(json.len(), 1);
    assert!(json[0].message.contains("\"maybe\""), "{}", json[0].message);
    assert!(json[0].line.is_some());
    let twice = text
        .replace("\"b-jones\"", "\"a-smith\"")
        .replace("\"unsure\"", "\"same\"");
    let twice = twice.replacen("\"a\": \"bob\"", "\"a\": \"ann\"", 1);
    let report = grapevine::read_judgements("j.json", &twice, &a, &b).unwrap_err();
    assert!(report.to_json()[0].message.contains("judged twice"));
}

#[test]
fn merge_holdings_markers_and_relations_of_a_renamed_copy() {
    let a = story(
        r#"{"format": "grapevine/1",
 "sources": [{"id": "s"}],
 "entities": [{"id": "ann", "name": "Ann"}, {"id": "bob", "name": "Bob"}],
 "messages": [{"id": "m", "origin": "ann", "sources": ["s"]}],
 "events": [{"id": "e1", "kind": "call", "from": "ann", "to": "bob", "time": "2020-01-02", "carries": ["m"]},
            {"id": "e2", "kind": "call", "from": "bob", "to": "ann", "after": ["e1"]}],
 "holdings": [{"id": "h", "entity": "bob", "message": "m", "time": "2020-01-03", "sources": ["s"]}],
 "markers": [{"id": "k", "label": "Election day", "time": "2020-11-03"}],
 "relations": [{"kind": "family", "from": "ann", "to": "bob", "sources": ["s"]}]}"#,
    );
    let b = renamed(&a, "-2");
    let j = [
        judge("ann", "ann-2", Verdict::Same),
        judge("bob", "bob-2", Verdict::Same),
    ];
    let m = merge(&a, &b, &j, false);
    assert_eq!(to_json(&m.story), to_json(&a));
    assert_eq!(m.report.shared, 6);
    // Without judgements nothing joins: the people are proposed, and their
    // claims, under the same ids, are listed as conflicts.
    let m = merge(&a, &b, &[], false);
    assert_eq!(m.report.proposed.len(), 2);
    assert!(m.report.conflicts.iter().any(|c| c.what == "holding"));
    load_str("merged.json", &to_json(&m.story)).expect("passes check");
}

#[test]
fn merge_cli_json_report() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("m.json");
    let r = run(&[
        "merge",
        BUNDLED,
        SECOND,
        "-o",
        out.to_str().unwrap(),
        "--judgements",
        JUDGED,
        "--json",
    ]);
    assert_eq!(r.status.code(), Some(1));
    let v: serde_json::Value = serde_json::from_slice(&r.stdout).unwrap();
    assert_eq!(v["conflicts"].as_array().unwrap().len(), 2);
    assert_eq!(v["joined"][0]["how"], "judged");
    assert_eq!(v["citations_added"], 1);
}

#[test]
fn merge_after_that_contradicts_is_a_conflict() {
    let a = story(
        r#"{"format": "grapevine/1",
 "entities": [{"id": "ann", "name": "Ann"}, {"id": "bob", "name": "Bob"}],
 "events": [{"id": "e1", "kind": "call", "from": "ann", "to": "bob"},
            {"id": "e2", "kind": "call", "from": "bob", "to": "ann", "after": ["e1"]}]}"#,
    );
    let b = story(
        r#"{"format": "grapevine/1",
 "entities": [{"id": "ann", "name": "Ann"}, {"id": "bob", "name": "Bob"}],
 "events": [{"id": "e1", "kind": "call", "from": "ann", "to": "bob", "after": ["e2"]},
            {"id": "e2", "kind": "call", "from": "bob", "to": "ann"}]}"#,
    );
    let m = merge(&a, &b, &[], false);
    assert_eq!(m.report.shared, 2);
    assert_eq!(m.report.conflicts.len(), 1, "{:?}", m.report.conflicts);
    assert_eq!(m.report.conflicts[0].what, "order");
}
