//! The command line: exit codes, name resolution and the JSON contract.

use std::process::{Command, Output};

const STORY: &str = "graphs/trump-jr-wikileaks.json";

fn run(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_grapevine"))
        .args(args)
        .output()
        .expect("the binary runs")
}

fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

#[test]
fn reach_json_follows_the_spec() {
    let o = run(&["reach", STORY, "--message", "pac-tip", "--json"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(v["source"], "wikileaks");
    assert_eq!(v["message"], "pac-tip");
    assert_eq!(v["mode"], "message");
    assert_eq!(
        v["start"], "2016-09-20T04:00:00Z",
        "a day in New York starts at 04:00 UTC"
    );
    assert_eq!(v["threshold"], "unknown");
    assert_eq!(v["strict"], false);
    let reached = v["reached"].as_array().unwrap();
    assert_eq!(reached.len(), 13);
    // The fields come in the spec's order.
    let text = stdout(&o);
    let first = &text[text.find("\"reached\"").unwrap()..];
    let at = |k: &str| first.find(&format!("\"{k}\":")).unwrap();
    let order = [
        "entity",
        "name",
        "earliest",
        "timing",
        "definite_by",
        "evidence",
        "rests_on",
        "via",
        "previous",
        "path",
    ];
    assert!(order.windows(2).all(|w| at(w[0]) < at(w[1])), "{first}");
    assert!(v.get("until").is_none(), "no --until, no \"until\"");
    // Causal order: the source first with an empty path; then by earliest
    // (the campaign on 20 September 2016, the publication from 11 July 2017),
    // by hops, by name.
    let ids: Vec<&str> = reached
        .iter()
        .map(|r| r["entity"].as_str().unwrap())
        .collect();
    assert_eq!(
        ids,
        [
            "wikileaks",
            "trump-jr",
            "parscale",
            "kushner",
            "conway",
            "bannon",
            "congress",
            "hicks",
            "trump",
            "twitter-public",
            "the-atlantic",
            "public",
            "assange"
        ]
    );
    let source = &reached[0];
    assert_eq!(source["path"].as_array().unwrap().len(), 0);
    assert_eq!(source["definite_by"], "2016-09-21T03:59:59Z");
    for k in ["rests_on", "via", "previous"] {
        assert!(source[k].is_null(), "{k} of the source");
    }
    let hicks = &reached[7];
    assert_eq!(hicks["via"], "kushner-forward-hicks");
    assert_eq!(hicks["previous"], "kushner");
    assert_eq!(hicks["evidence"], "reported");
    assert_eq!(hicks["rests_on"], "forward-pac-tip-staff");
    assert!(reached[1]["rests_on"].is_null(), "confirmed");
    // Not reached: sorted by name.
    let story = grapevine::load_path(STORY.as_ref()).unwrap().story;
    let names: Vec<&str> = v["not_reached"]
        .as_array()
        .unwrap()
        .iter()
        .map(|x| story.name_of(x.as_str().unwrap()))
        .collect();
    let mut sorted = names.clone();
    sorted.sort();
    assert_eq!(names, sorted);
    assert!(names.contains(&"Paul Manafort"));
}

#[test]
fn names_and_aliases_resolve_case_insensitively() {
    let by_id = stdout(&run(&["reach", STORY, "--from", "trump-jr", "--json"]));
    for name in [
        "Donald Trump Jr.",
        "donald trump jr.",
        "@DonaldJTrumpJr",
        "TRUMP JR.",
    ] {
        let o = run(&["reach", STORY, "--from", name, "--json"]);
        assert_eq!(o.status.code(), Some(0), "{name}: {}", stderr(&o));
        assert_eq!(stdout(&o), by_id, "{name}");
    }
}

#[test]
fn unknown_names_suggest_the_nearest() {
    let o = run(&["reach", STORY, "--from", "kushnr"]);
    assert_eq!(o.status.code(), Some(2));
    let e = stderr(&o);
    assert!(e.contains("no entity is called \"kushnr\""), "{e}");
    assert!(e.contains("kushner (Jared Kushner)"), "{e}");
    let o = run(&["reach", STORY, "--message", "pac-tipp"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("pac-tip"), "{}", stderr(&o));
}

#[test]
fn ambiguous_names_list_the_candidates() {
    let dir = std::path::Path::new(env!("CARGO_TARGET_TMPDIR"));
    let file = dir.join("ambiguous.json");
    std::fs::write(
        &file,
        r#"{"format": "grapevine/1", "entities": [
            {"id": "a", "name": "Donald", "aliases": ["DJT"]},
            {"id": "b", "name": "Donald Jr.", "aliases": ["djt"]}],
          "events": [{"id": "e", "participants": ["a", "b"]}]}"#,
    )
    .unwrap();
    let o = run(&["reach", file.to_str().unwrap(), "--from", "Djt"]);
    assert_eq!(o.status.code(), Some(2));
    let e = stderr(&o);
    assert!(
        e.contains("a (Donald)") && e.contains("b (Donald Jr.)"),
        "{e}"
    );
}

#[test]
fn from_with_message_must_be_its_origin() {
    let o = run(&["reach", STORY, "--message", "pac-tip", "--from", "kushner"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("not the origin"), "{}", stderr(&o));
    let o = run(&[
        "reach",
        STORY,
        "--message",
        "pac-tip",
        "--from",
        "WikiLeaks",
        "--json",
    ]);
    assert_eq!(o.status.code(), Some(0));
}

#[test]
fn a_message_without_origin_cannot_be_traced() {
    let dir = std::path::Path::new(env!("CARGO_TARGET_TMPDIR"));
    let file = dir.join("no-origin.json");
    std::fs::write(
        &file,
        r#"{"format": "grapevine/1", "entities": [{"id": "a", "name": "A"}, {"id": "b", "name": "B"}],
          "messages": [{"id": "m"}], "events": [{"id": "e", "from": "a", "to": "b", "carries": ["m"]}]}"#,
    )
    .unwrap();
    let o = run(&["reach", file.to_str().unwrap(), "--message", "m"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("has no \"origin\""), "{}", stderr(&o));
}

#[test]
fn path_prints_each_hop_with_its_quote() {
    let o = run(&["path", STORY, "--from", "wikileaks", "--to", "hope hicks"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let s = stdout(&o);
    assert!(s.contains("3 hops"), "{s}");
    assert!(s.contains("Jared Kushner → Hope Hicks"), "{s}");
    assert!(
        s.contains(
            "Kushner forwarded the email to the campaign’s communications director, Hope Hicks."
        ),
        "{s}"
    );
    let o = run(&[
        "path",
        STORY,
        "--from",
        "wikileaks",
        "--to",
        "manafort",
        "--threshold",
        "confirmed",
    ]);
    assert_eq!(o.status.code(), Some(1), "not reached is exit 1");
}

#[test]
fn why_not_names_the_june_meeting() {
    let o = run(&[
        "why-not",
        STORY,
        "--from",
        "wikileaks",
        "--since",
        "2016-09-20",
        "--threshold",
        "confirmed",
        "--to",
        "kushner",
    ]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let s = stdout(&o);
    assert!(
        s.contains("trump-tower-meeting") && s.contains("2016-06-09") && s.contains("2016-09-20"),
        "{s}"
    );
}

#[test]
fn timeline_lists_events_in_order() {
    let o = run(&["timeline", STORY, "--json"]);
    assert_eq!(o.status.code(), Some(0));
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    let ids: Vec<&str> = v
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["event"].as_str().unwrap())
        .collect();
    // Open starts first ("../2016-06-09"), then by start.
    assert_eq!(ids[0], "goldstone-email-exchange");
    assert_eq!(ids[1], "papadopoulos-london-meeting");
    assert!(
        ids.iter().position(|e| *e == "dm-pac-tip")
            < ids.iter().position(|e| *e == "dm-podesta-link")
    );
}

#[test]
fn check_exits_zero_and_summarises() {
    let o = run(&["check", STORY, "--json"]);
    assert_eq!(o.status.code(), Some(0));
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(v["ok"], true);
    assert_eq!(v["messages"], 4);
    assert_eq!(v["entities"]["person"], 17);
    assert_eq!(v["warnings"].as_array().unwrap().len(), 0);
}
