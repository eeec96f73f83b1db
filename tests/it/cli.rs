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
        s.contains("trump-tower-meeting") && s.contains("9 Jun 2016") && s.contains("20 Sep 2016"),
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

fn tmp(name: &str, text: &str) -> String {
    let file = std::path::Path::new(env!("CARGO_TARGET_TMPDIR")).join(name);
    std::fs::write(&file, text).unwrap();
    file.to_str().unwrap().to_string()
}

// ---- reach and path in words ------------------------------------------------

/// The table says what it means: from when each entity could have it, by
/// when it surely had it if the contacts happened (never a bare
/// "definite"), what weaker evidence rests on, dates as the story gives them,
/// rows in the answer's causal order.
#[test]
fn reach_table_says_what_it_means() {
    let o = run(&["reach", STORY, "--message", "pac-tip"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let s = stdout(&o);
    let lines: Vec<&str> = s.lines().collect();
    assert_eq!(
        lines[0],
        "Who could have seen message \"pac-tip\" from WikiLeaks"
    );
    assert!(lines[1].contains("all evidence levels"), "{s}");
    assert!(!s.contains("threshold unknown"), "{s}");
    assert_eq!(
        lines[2],
        "  assuming the listed contacts happened; dates in America/New_York"
    );
    assert!(
        lines[4].starts_with("ENTITY") && lines[4].contains("COULD HAVE IT FROM  SURELY HAD IT BY"),
        "{s}"
    );
    for word in [" definite", "2016-09-20", "T04:00:00Z", "possible"] {
        assert!(!s.contains(word), "{word:?} in\n{s}");
    }
    let row = |name: &str| {
        let at = lines
            .iter()
            .position(|l| l.starts_with(&format!("{name}  ")))
            .unwrap_or_else(|| panic!("no row for {name}:\n{s}"));
        (lines[at], lines.get(at + 1).copied().unwrap_or(""))
    };
    let (trump, note) = row("Donald Trump");
    assert!(
        trump.contains("20 Sep 2016")
            && trump.contains("date unknown")
            && trump.contains("unknown"),
        "{trump}"
    );
    assert_eq!(
        note,
        "  rests on: Hope Hicks → Donald Trump (forward), unknown whether it happened"
    );
    let (jr, note) = row("Donald Trump Jr.");
    assert!(
        jr.matches("20 Sep 2016").count() == 2,
        "surely by the end of the DM's day: {jr}"
    );
    assert!(
        !note.contains("rests on"),
        "confirmed rests on nothing: {note}"
    );
    let (_, note) = row("The Atlantic");
    assert_eq!(
        note,
        "  rests on: US Congress → The Atlantic (handover), alleged"
    );
    // Causal order: the rows come in the JSON's order.
    let json: serde_json::Value =
        serde_json::from_slice(&run(&["reach", STORY, "--message", "pac-tip", "--json"]).stdout)
            .unwrap();
    let names: Vec<&str> = json["reached"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["name"].as_str().unwrap())
        .collect();
    let shown: Vec<usize> = names
        .iter()
        .map(|n| {
            lines
                .iter()
                .position(|l| l.starts_with(&format!("{n}  ")))
                .unwrap()
        })
        .collect();
    assert!(shown.windows(2).all(|w| w[0] < w[1]), "{names:?}\n{s}");
    assert!(lines[5].contains("WikiLeaks (the source)"), "{s}");
}

/// With a threshold and --until the heading says so, and rows that are not
/// surely reached by then say so.
#[test]
fn reach_heading_names_threshold_and_until() {
    let o = run(&[
        "reach",
        STORY,
        "--from",
        "wikileaks",
        "--since",
        "2016-09-20",
        "--threshold",
        "reported",
        "--until",
        "2016-11-08",
    ]);
    let s = stdout(&o);
    assert!(
        s.starts_with("Who could have seen anything WikiLeaks knew from 20 Sep 2016\n"),
        "{s}"
    );
    assert!(
        s.contains("confirmed and reported contacts only; by 8 Nov 2016"),
        "{s}"
    );
    assert!(s.contains("not sure by 8 Nov 2016"), "{s}");
    // Confirmed evidence, but the earliest chain passes through a contact of
    // unknown certainty: the note says so, and when confirmed contacts alone
    // bring it.
    let o = run(&["reach", STORY, "--message", "pac-tip", "--mode", "contacts"]);
    let s = stdout(&o);
    let at = s
        .lines()
        .position(|l| l.starts_with("Public on Twitter "))
        .unwrap();
    let row: Vec<&str> = s.lines().skip(at).take(2).collect();
    assert!(
        row[0].contains("12 Oct 2016") && row[0].contains("confirmed"),
        "{s}"
    );
    assert_eq!(
        row[1],
        "  the chain shown rests on: Hope Hicks → Donald Trump (forward), unknown whether it happened; on confirmed contacts alone: from 11 Jul 2017"
    );
    let o = run(&["reach", STORY, "--from", "wikileaks"]);
    let s = stdout(&o);
    let source = s.lines().find(|l| l.starts_with("WikiLeaks ")).unwrap();
    assert!(
        source.contains("always") && source.contains("all along"),
        "{source}"
    );
    assert!(s.contains("not sure (dates overlap)"), "{s}");
}

/// `path` prints the same words as `reach`'s row, then each hop with its
/// date as the story gives it.
#[test]
fn path_by_message_says_what_reach_says() {
    let o = run(&[
        "path",
        STORY,
        "--message",
        "pac-tip",
        "--to",
        "Donald Trump",
    ]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let s = stdout(&o);
    assert!(
        s.starts_with(
            "How message \"pac-tip\" from WikiLeaks could have reached Donald Trump: 4 hops\n"
        ),
        "{s}"
    );
    for want in [
        "  could have it from  20 Sep 2016\n",
        "  surely had it by    date unknown\n",
        "  evidence            unknown\n",
        "  rests on            Hope Hicks → Donald Trump (forward), unknown whether it happened\n",
        "1. 20 Sep 2016  WikiLeaks → Donald Trump Jr.  (message, confirmed, dm-pac-tip)\n",
        "4. after 20 Sep 2016  Hope Hicks → Donald Trump  (forward, unknown whether it happened, hicks-to-trump)\n",
        "she then sent it",
    ] {
        assert!(s.contains(want), "{want:?} missing in\n{s}");
    }
    let o = run(&["path", STORY, "--message", "pac-tip", "--to", "wikileaks"]);
    assert_eq!(o.status.code(), Some(0));
    assert!(stdout(&o).starts_with("WikiLeaks is the source of message \"pac-tip\"\n"));
}

/// For every reached entity of the bundled story, `path --json` is
/// `reach --json`'s row, plus the question and the hops.
#[test]
fn path_json_is_reachs_row_on_the_bundled_story() {
    for flags in [
        vec!["--message", "pac-tip"],
        vec![
            "--message",
            "pac-tip",
            "--mode",
            "contacts",
            "--until",
            "2016-11-08",
        ],
        vec![
            "--from",
            "wikileaks",
            "--since",
            "2016-09-20",
            "--threshold",
            "reported",
            "--strict",
        ],
    ] {
        let mut args = vec!["reach", STORY, "--json"];
        args.extend(&flags);
        let reach: serde_json::Value = serde_json::from_slice(&run(&args).stdout).unwrap();
        for row in reach["reached"].as_array().unwrap() {
            let id = row["entity"].as_str().unwrap();
            let mut args = vec!["path", STORY, "--json", "--to", id];
            args.extend(&flags);
            let o = run(&args);
            assert_eq!(o.status.code(), Some(0), "{args:?}");
            let path: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
            assert_path_is_row(&reach, row, &path);
        }
    }
}

/// `path`'s JSON against `reach`'s answer and row: the same question, the
/// row's fields exactly, and one hop per event of the row's path.
fn assert_path_is_row(
    reach: &serde_json::Value,
    row: &serde_json::Value,
    path: &serde_json::Value,
) {
    for k in [
        "source",
        "message",
        "mode",
        "start",
        "until",
        "threshold",
        "strict",
    ] {
        assert_eq!(path.get(k), reach.get(k), "{k}");
    }
    assert_eq!(path["reached"], true);
    let fields = row.as_object().unwrap();
    for (k, v) in fields {
        assert_eq!(&path[k], v, "{k} of {}", row["entity"]);
    }
    let mut extra: Vec<&str> = path
        .as_object()
        .unwrap()
        .keys()
        .map(String::as_str)
        .filter(|k| !fields.contains_key(*k))
        .collect();
    extra.sort_unstable();
    let mut want = vec![
        "source",
        "message",
        "mode",
        "start",
        "threshold",
        "strict",
        "reached",
        "hops",
    ];
    if reach.get("until").is_some() {
        want.push("until");
    }
    want.sort_unstable();
    assert_eq!(extra, want);
    let hops: Vec<&str> = path["hops"]
        .as_array()
        .unwrap()
        .iter()
        .map(|h| h["event"].as_str().unwrap())
        .collect();
    let events: Vec<&str> = row["path"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e.as_str().unwrap())
        .collect();
    assert_eq!(hops, events);
    if let Some(last) = path["hops"].as_array().unwrap().last() {
        assert_eq!(last["to"], row["entity"]);
        assert_eq!(Some(&last["from"]), row.get("previous"));
        assert_eq!(Some(&last["event"]), row.get("via"));
    }
}

/// A target that is not reached: exit 1, in table and JSON form alike.
#[test]
fn path_to_someone_not_reached_exits_1() {
    let o = run(&["path", STORY, "--message", "pac-tip", "--to", "manafort"]);
    assert_eq!(o.status.code(), Some(1));
    assert!(
        stdout(&o).contains("Paul Manafort is not reached from WikiLeaks"),
        "{}",
        stdout(&o)
    );
    let o = run(&[
        "path",
        STORY,
        "--message",
        "pac-tip",
        "--to",
        "manafort",
        "--json",
    ]);
    assert_eq!(o.status.code(), Some(1));
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(v["reached"], false);
    assert_eq!(v["entity"], "manafort");
    assert_eq!(v["name"], "Paul Manafort");
    assert_eq!(v["hops"].as_array().unwrap().len(), 0);
    assert!(v.get("earliest").is_none());
}

// ---- why-not: one small story per reason ------------------------------------

/// A story of entities a, b, c, d (named Ann, Bob, Cy, Dee) and message m
/// from a on 2016-09-20, with these events.
fn small_story(events: &str) -> String {
    format!(
        r#"{{"format": "grapevine/1",
  "entities": [{{"id": "a", "name": "Ann"}}, {{"id": "b", "name": "Bob"}},
               {{"id": "c", "name": "Cy"}}, {{"id": "d", "name": "Dee"}}],
  "messages": [{{"id": "m", "origin": "a", "time": "2016-09-20"}}],
  "events": [{events}]}}"#
    )
}

/// A story for `why-not`, the flags that ask about it, the line the text
/// answer must hold and the fields its JSON reason must have.
struct WhyNotCase {
    kind: &'static str,
    events: String,
    flags: Vec<&'static str>,
    text: &'static str,
    json: &'static str,
}

/// One story per kind of reason `why-not` gives.
fn why_not_cases() -> Vec<WhyNotCase> {
    let ab = r#"{"id": "ab", "from": "a", "to": "b", "time": "2016-09-20", "certainty": "confirmed", "carries": ["m"]}"#;
    vec![
        WhyNotCase {
            kind: "reached",
            events: ab.to_string(),
            flags: vec!["--message", "m", "--to", "b"],
            text: "Bob is reached, on confirmed evidence, through Ann → Bob (event ab).",
            json: r#""kind":"reached","evidence":"confirmed","chain":{"events":["ab"],"entities":["a","b"]}"#,
        },
        WhyNotCase {
            kind: "no contacts",
            events: ab.to_string(),
            flags: vec!["--message", "m", "--to", "c"],
            text: "Cy takes part in no contact in the story: no event names them.",
            json: r#""kind":"no_contacts""#,
        },
        WhyNotCase {
            kind: "not carried",
            events: format!(r#"{ab}, {{"id": "bc", "participants": ["b", "c"], "time": "2016-09-21"}}"#),
            flags: vec!["--message", "m", "--to", "c"],
            text: "No contact documented to carry \"m\" involves Cy; --mode contacts asks who could have been told.",
            json: r#""kind":"not_carried","message":"m""#,
        },
        WhyNotCase {
            kind: "too early",
            events: format!(r#"{ab}, {{"id": "bc", "from": "b", "to": "c", "time": "2016-09-01"}}"#),
            flags: vec!["--from", "a", "--since", "2016-09-20", "--to", "c"],
            text: "Cy's contact with Bob, event \"bc\" (other, 1 Sep 2016), ended before Bob could have had it (from 20 Sep 2016).",
            json: r#""kind":"too_early","event":"bc","sender":"b","contact_end":"2016-09-01T23:59:59Z","sender_from":"2016-09-20T00:00:00Z""#,
        },
        WhyNotCase {
            kind: "below threshold",
            events: format!(r#"{ab}, {{"id": "bc", "from": "b", "to": "c", "time": "2016-09-21", "certainty": "alleged"}}"#),
            flags: vec!["--from", "a", "--to", "c", "--threshold", "reported"],
            text: "Cy is reached only on alleged evidence, below the reported threshold: through Ann → Bob → Cy (events ab, bc), resting on event \"bc\" (other, 21 Sep 2016, alleged).",
            json: r#""kind":"below_threshold","threshold":"reported","evidence":"alleged","event":"bc","chain":{"events":["ab","bc"],"entities":["a","b","c"]}"#,
        },
        WhyNotCase {
            kind: "contacts below threshold",
            events: format!(r#"{ab}, {{"id": "bc", "from": "b", "to": "c", "time": "2016-09-01", "certainty": "alleged"}}"#),
            flags: vec!["--from", "a", "--since", "2016-09-20", "--to", "c", "--threshold", "reported"],
            text: "Cy's contacts with those who had it are below the reported threshold: \"bc\" (other, 1 Sep 2016, alleged) with Bob.",
            json: r#""kind":"contacts_below_threshold","threshold":"reported","contacts":[{"event":"bc","sender":"b","certainty":"alleged"}]"#,
        },
        WhyNotCase {
            kind: "strict only",
            events: r#"{"id": "ab", "from": "a", "to": "b", "time": "2016-09-20T10:00:00"}, {"id": "bc", "from": "b", "to": "c", "time": "2016-09-20T10:00:00"}"#.to_string(),
            flags: vec!["--from", "a", "--since", "2016-09-20T09:00", "--to", "c", "--strict"],
            text: "Cy's contact with Bob, event \"bc\" (other, 20 Sep 2016 10:00:00), came no later than the second Bob could first have had it (20 Sep 2016 10:00:00), and --strict needs a later one.\n- Cy is reached without --strict, through Ann → Bob → Cy (events ab, bc): a hop of that chain falls in the same second as its sender's receipt.",
            json: r#""kind":"strict_only","chain":{"events":["ab","bc"],"entities":["a","b","c"]}"#,
        },
        WhyNotCase {
            kind: "too late",
            events: format!(r#"{ab}, {{"id": "bc", "from": "b", "to": "c", "time": "2016-10-01", "carries": ["m"]}}"#),
            flags: vec!["--message", "m", "--to", "c", "--until", "2016-09-25"],
            text: "Cy could have had it only from 1 Oct 2016, after 25 Sep 2016, through Ann → Bob → Cy (events ab, bc).",
            json: r#""kind":"too_late","until":"2016-09-25T23:59:59Z","earliest":"2016-10-01T00:00:00Z""#,
        },
        WhyNotCase {
            kind: "unreached contacts",
            events: format!(r#"{ab}, {{"id": "dc", "from": "d", "to": "c", "time": "2016-09-21"}}"#),
            flags: vec!["--from", "a", "--to", "c"],
            text: "Cy's only contacts (Dee; event dc) never have it themselves.",
            json: r#""kind":"unreached_contacts","senders":["d"],"events":["dc"]"#,
        },
        WhyNotCase {
            kind: "no incoming",
            events: format!(r#"{ab}, {{"id": "ca", "from": "c", "to": "a", "time": "2016-09-21"}}"#),
            flags: vec!["--from", "a", "--to", "c"],
            text: "No contact goes to Cy: in every contact that could carry it, Cy is the sender.",
            json: r#""kind":"no_incoming""#,
        },
    ]
}

/// The text answer holds the case's line and says "is not reached" unless
/// the target is reached.
fn check_why_not_text(case: &WhyNotCase, args: &[&str]) {
    let kind = case.kind;
    let text = case.text;
    let o = run(args);
    assert_eq!(o.status.code(), Some(0), "{kind}: {}", stderr(&o));
    let s = stdout(&o);
    assert!(
        s.contains(&format!("- {text}\n")),
        "{kind}: {text:?} not in\n{s}"
    );
    let first = s.lines().next().unwrap_or("");
    assert_eq!(
        first.ends_with(" is not reached."),
        kind != "reached",
        "{kind}: {s}"
    );
}

/// The JSON answer (`args` end with `--json`) has the case's reason with
/// its fields, and no other reason but the same-second one under --strict.
fn check_why_not_json(case: &WhyNotCase, args: &[&str]) {
    let kind = case.kind;
    let o = run(args);
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    let want: serde_json::Value = serde_json::from_str(&format!("{{{}}}", case.json)).unwrap();
    let reasons = v["reasons"].as_array().unwrap();
    let got = reasons
        .iter()
        .find(|r| r["kind"] == want["kind"])
        .unwrap_or_else(|| panic!("{kind}: no {} in {v}", want["kind"]));
    for (k, w) in want.as_object().unwrap() {
        assert_eq!(&got[k], w, "{kind}: {k} of {got}");
    }
    assert_eq!(v["reached"], kind == "reached", "{kind}");
    // Under --strict the same-second hop is also too early; every other
    // story has one reason.
    assert_eq!(
        reasons.len(),
        if kind == "strict only" { 2 } else { 1 },
        "{kind}: {v}"
    );
}

#[test]
fn why_not_explains_each_kind_of_reason() {
    for case in why_not_cases() {
        let file = tmp(
            &format!("why-not-{}.json", case.kind.replace(' ', "-")),
            &small_story(&case.events),
        );
        let mut args = vec!["why-not", file.as_str()];
        args.extend(&case.flags);
        check_why_not_text(&case, &args);
        args.push("--json");
        check_why_not_json(&case, &args);
    }
}

// ---- errors, exit codes, help -----------------------------------------------

#[test]
fn timeline_between_reversed_dates_says_swap() {
    let o = run(&["timeline", STORY, "--between", "2016-10-14", "2016-10-10"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("swap the two dates"), "{}", stderr(&o));
    let o = run(&["render", STORY, "--between", "2016-10-14", "2016-10-10"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("swap the two dates"), "{}", stderr(&o));
}

#[test]
fn output_in_a_missing_folder_says_so() {
    for args in [
        vec!["render", STORY, "-o", "/nonexistent-folder/x.svg"],
        vec!["import", STORY, "-o", "/nonexistent-folder/story.json"],
    ] {
        let o = run(&args);
        assert_eq!(o.status.code(), Some(2), "{args:?}");
        assert_eq!(
            stderr(&o).trim_end(),
            format!(
                "error: cannot write {}: the folder /nonexistent-folder does not exist",
                args[3]
            ),
        );
    }
}

#[test]
fn every_help_has_examples_exit_codes_and_only_its_options() {
    let help = |args: &[&str]| {
        let o = run(args);
        assert_eq!(o.status.code(), Some(0), "{args:?}");
        stdout(&o)
    };
    let top = help(&["--help"]);
    assert!(
        top.contains("Exit codes:") && top.contains("Examples (the bundled story):"),
        "{top}"
    );
    assert!(
        !top.contains("--skip-bad-rows") && !top.contains("--quiet"),
        "{top}"
    );
    for cmd in [
        "check", "fmt", "reach", "path", "timeline", "why-not", "render", "import",
    ] {
        let h = help(&[cmd, "--help"]);
        assert!(
            h.contains("Examples (the bundled story):\n  grapevine "),
            "{cmd}: {h}"
        );
        assert!(
            h.contains("1  no answer: path's target is not reached"),
            "{cmd}: {h}"
        );
        assert!(h.contains("2  bad input"), "{cmd}: {h}");
        let csv = h.contains("--skip-bad-rows");
        assert_eq!(csv, cmd != "fmt", "{cmd}: --skip-bad-rows");
        assert_eq!(h.contains("--quiet"), cmd != "fmt", "{cmd}: --quiet");
        assert_eq!(
            h.contains("--no-paths"),
            cmd == "reach",
            "{cmd}: --no-paths"
        );
        let text = h.replace(" \\\n", " ");
        assert!(h.lines().all(|l| l.chars().count() <= 100), "{cmd}: {h}");
        for line in text.lines().filter(|l| l.starts_with("  grapevine ")) {
            // Every example runs, but those that write files or read mail.csv.
            let words: Vec<String> = shell_words(line.trim_start_matches("  grapevine "));
            if words
                .iter()
                .any(|w| w == "-o" || w == "mail.csv" || w == "--width")
            {
                continue;
            }
            let args: Vec<&str> = words.iter().map(String::as_str).collect();
            let o = run(&args);
            assert!(
                matches!(o.status.code(), Some(0 | 1)),
                "{line}: {}",
                stderr(&o)
            );
        }
    }
    for cmd in ["reach", "path"] {
        let h = help(&[cmd, "--help"]);
        for column in [
            "COULD HAVE IT FROM",
            "SURELY HAD IT BY",
            "EVIDENCE",
            "rests on:",
            "CHAIN",
        ] {
            assert!(h.contains(column), "{cmd} --help does not explain {column}");
        }
    }
    let o = run(&["fmt", STORY, "--check", "--skip-bad-rows"]);
    assert_eq!(o.status.code(), Some(2), "fmt takes no --skip-bad-rows");
}

/// Splits an example line into words (double quotes group).
fn shell_words(line: &str) -> Vec<String> {
    let mut words = Vec::new();
    let mut word = String::new();
    let mut quoted = false;
    for c in line.chars() {
        match c {
            '"' => quoted = !quoted,
            ' ' if !quoted => {
                if !word.is_empty() {
                    words.push(std::mem::take(&mut word));
                }
            }
            c => word.push(c),
        }
    }
    if !word.is_empty() {
        words.push(word);
    }
    words
}

/// Names fold accents and curly apostrophes (Zoë/zoe, O’Brien/O'Brien), and
/// a name that folds to two entities is refused with both listed.
#[test]
fn names_fold_accents_and_apostrophes_and_refuse_ambiguity() {
    let file = tmp(
        "folding.json",
        r#"{"format": "grapevine/1",
  "entities": [{"id": "z", "name": "Zoë Durand"}, {"id": "o", "name": "Seán O’Brien"},
               {"id": "x", "name": "Zoe"}, {"id": "y", "name": "Zoë"}],
  "events": [{"id": "e", "participants": ["z", "o", "x", "y"]}]}"#,
    );
    let by_id = stdout(&run(&["reach", &file, "--from", "z", "--json"]));
    for name in ["zoe durand", "ZOË DURAND", "Zoe Durand", "  zoë durand "] {
        let o = run(&["reach", &file, "--from", name, "--json"]);
        assert_eq!(o.status.code(), Some(0), "{name}: {}", stderr(&o));
        assert_eq!(stdout(&o), by_id, "{name}");
    }
    let by_id = stdout(&run(&["path", &file, "--from", "z", "--to", "o", "--json"]));
    for name in ["Sean O'Brien", "seán o’brien", "SEAN O`BRIEN"] {
        let o = run(&["path", &file, "--from", "z", "--to", name, "--json"]);
        assert_eq!(o.status.code(), Some(0), "{name}: {}", stderr(&o));
        assert_eq!(stdout(&o), by_id, "{name}");
    }
    for name in ["zoe", "Zoë", "ZOE"] {
        let o = run(&["why-not", &file, "--from", "z", "--to", name]);
        assert_eq!(o.status.code(), Some(2), "{name}");
        let e = stderr(&o);
        assert!(
            e.contains("could be any of: x (Zoe), y (Zoë); give the id"),
            "{name}: {e}"
        );
    }
}

#[test]
fn exit_codes_are_documented_ones() {
    assert_eq!(
        run(&["reach", STORY, "--message", "pac-tip"]).status.code(),
        Some(0)
    );
    assert_eq!(
        run(&["path", STORY, "--message", "pac-tip", "--to", "manafort"])
            .status
            .code(),
        Some(1)
    );
    assert_eq!(
        run(&["reach", STORY, "--from", "nobody"]).status.code(),
        Some(2)
    );
    assert_eq!(
        run(&[
            "reach",
            STORY,
            "--threshold",
            "maybe",
            "--from",
            "wikileaks"
        ])
        .status
        .code(),
        Some(2)
    );
    assert_eq!(run(&["check", "/nonexistent.json"]).status.code(), Some(2));
}

// ---- path against reach on random stories -------------------------------------

mod path_props {
    use super::*;
    use grapevine::{Mode, Origin, Query};
    use proptest::prelude::*;

    fn flags(q: &Query) -> Vec<String> {
        let mut v: Vec<String> = match &q.origin {
            Origin::Message(m) => vec!["--message".into(), m.clone()],
            Origin::Entity(e) => vec!["--from".into(), e.clone()],
        };
        v.push("--mode".into());
        v.push(
            if q.mode == Mode::Message {
                "message"
            } else {
                "contacts"
            }
            .into(),
        );
        if let Some(s) = &q.since {
            v.extend(["--since".to_string(), s.clone()]);
        }
        if let Some(u) = &q.until {
            v.extend(["--until".to_string(), u.clone()]);
        }
        v.extend(["--threshold".to_string(), q.threshold.to_string()]);
        if q.strict {
            v.push("--strict".into());
        }
        v
    }

    proptest! {
        #![proptest_config(ProptestConfig { cases: 400, ..ProptestConfig::default() })]

        /// In the library: for every entity of random stories, `path` is the
        /// entity's row of `reach`, with one hop per event of its path.
        #[test]
        fn path_is_reachs_row((story, query) in crate::reach_props::story_and_query()) {
            let catalog = grapevine::StoryCatalog::new(&story);
            let (index, q) = query.compile(&catalog).unwrap();
            let reach = grapevine::reach(&index, &q);
            for u in grapevine::internals::catalog::EntityId::all(index.entity_count()) {
                let p = grapevine::path(&index, &q, u);
                let id = index.entity_id(u);
                prop_assert_eq!(p.row.as_ref(), reach.get(id));
                prop_assert_eq!(&p.entity, id);
                let events: Vec<&str> = p.hops.iter().map(|h| h.event.as_str()).collect();
                let want: Vec<&str> = p.row.as_ref().and_then(|r| r.path.as_ref()).map(|v| v.iter().map(String::as_str).collect()).unwrap_or_default();
                prop_assert_eq!(events, want);
                prop_assert_eq!((&p.asked.source, &p.asked.message, p.asked.mode, p.asked.start, p.asked.until, p.asked.threshold, p.asked.strict),
                    (&reach.asked.source, &reach.asked.message, reach.asked.mode, reach.asked.start, reach.asked.until, reach.asked.threshold, reach.asked.strict));
            }
        }
    }

    proptest! {
        #![proptest_config(ProptestConfig { cases: 24, ..ProptestConfig::default() })]

        /// On the command line: for every reached entity of random stories,
        /// `path --json` with the same flags is `reach --json`'s row and path;
        /// a not reached entity exits 1 in both forms.
        #[test]
        fn path_command_is_reach_command_row((story, query) in crate::reach_props::story_and_query()) {
            static N: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);
            let n = N.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
            let file = tmp(&format!("path-prop-{n}.json"), &grapevine::to_json(&story));
            let flags = flags(&query);
            let flags: Vec<&str> = flags.iter().map(String::as_str).collect();
            let mut args = vec!["reach", file.as_str(), "--json"];
            args.extend(&flags);
            let o = run(&args);
            prop_assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
            let reach: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
            for row in reach["reached"].as_array().unwrap() {
                let mut args = vec!["path", file.as_str(), "--json", "--to", row["entity"].as_str().unwrap()];
                args.extend(&flags);
                let o = run(&args);
                prop_assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
                let path: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
                assert_path_is_row(&reach, row, &path);
            }
            if let Some(id) = reach["not_reached"].as_array().unwrap().first() {
                for json in [true, false] {
                    let mut args = vec!["path", file.as_str(), "--to", id.as_str().unwrap()];
                    args.extend(&flags);
                    if json {
                        args.push("--json");
                    }
                    prop_assert_eq!(run(&args).status.code(), Some(1), "{:?}", args);
                }
            }
        }
    }
}

/// A path through a forward to several people keeps that hop, in the
/// picture and in its words (the excerpt drew only the chain's people, and
/// dropped an event whose other recipients it did not have).
#[test]
fn render_path_keeps_a_hop_to_several_people() {
    let o = run(&[
        "render",
        STORY,
        "--path",
        "wikileaks",
        "trump",
        "--alt-text",
    ]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let s = stdout(&o);
    assert!(s.contains("in four hops"), "{s}");
    assert!(
        s.contains("then Donald Trump Jr. to Jared Kushner by forward"),
        "{s}"
    );
    let dot = stdout(&run(&["render", STORY, "--path", "wikileaks", "trump"]));
    assert!(
        dot.contains("Donald Trump Jr. forwarded to Jared Kushner"),
        "{dot}"
    );
    assert!(
        !dot.contains("Kellyanne Conway\\n"),
        "only the chain's people are drawn"
    );
}

/// Every example output in `docs/analyses.md` and the README (a ```text
/// block of `$ grapevine ...` lines, each followed by its output, and no
/// `...` line that marks an abridged one) is what the command prints.
#[test]
fn documented_outputs_are_real() {
    let mut checked = 0;
    for doc in ["docs/analyses.md", "README.md"] {
        let text = std::fs::read_to_string(doc).unwrap();
        let mut lines = text.lines().peekable();
        while let Some(line) = lines.next() {
            if line != "```text" || !lines.peek().is_some_and(|l| l.starts_with("$ grapevine ")) {
                continue;
            }
            let block: Vec<&str> = lines.by_ref().take_while(|l| *l != "```").collect();
            if block.contains(&"...") {
                continue;
            }
            let mut want = String::new();
            let mut command: Option<&str> = None;
            let mut compare = |command: Option<&str>, want: &str| {
                if let Some(c) = command {
                    let words = shell_words(c);
                    let args: Vec<&str> = words.iter().map(String::as_str).collect();
                    let got = stdout(&run(&args));
                    assert_eq!(got.trim_end(), want.trim_end(), "{doc}: $ grapevine {c}");
                    checked += 1;
                }
            };
            for l in block {
                if let Some(c) = l.strip_prefix("$ grapevine ") {
                    compare(command, &want);
                    command = Some(c);
                    want.clear();
                } else {
                    want.push_str(l);
                    want.push('\n');
                }
            }
            compare(command, &want);
        }
    }
    assert!(checked >= 10, "only {checked} documented outputs found");
}

/// `timeline` lists a story's markers (reference dates) in time order among
/// its contacts, and leaves out those outside `--between`.
#[test]
fn timeline_lists_markers_in_time_order() {
    let story = "graphs/hunter-biden-laptop.json";
    let text = stdout(&run(&["timeline", story]));
    let lines: Vec<&str> = text.lines().collect();
    let at = |needle: &str| {
        lines
            .iter()
            .position(|l| l.contains(needle))
            .unwrap_or_else(|| panic!("{needle}: {text}"))
    };
    let election = at("Election day");
    assert!(lines[election].contains("marker"), "{text}");
    assert!(at("New York Post story") < election);
    assert!(
        at("Rudy Giuliani → The New York Times") < election,
        "{text}"
    );
    let text = stdout(&run(&[
        "timeline",
        story,
        "--between",
        "2019-01",
        "2019-12",
    ]));
    assert!(!text.contains("Election day"), "{text}");
}

/// A bad time is reported before the input is read (here it does not even
/// exist), for every command that takes one; Unix seconds are read as the
/// CSV's time column reads them.
#[test]
fn time_arguments_are_checked_before_loading() {
    let run = |args: &[&str]| {
        std::process::Command::new(env!("CARGO_BIN_EXE_grapevine"))
            .args(args)
            .output()
            .unwrap()
    };
    let missing = "/nonexistent/corpus.csv";
    for args in [
        vec!["reach", missing, "--from", "a", "--since", "2016-13"],
        vec!["reach", missing, "--from", "a", "--until", "2016-02-30"],
        vec!["reach", missing, "--from", "a", "--until", "2016/.."],
        vec!["reach", missing, "--had", "a", "2016-13"],
        vec!["rank", missing, "--by", "reach", "--since", "20x6"],
        vec!["timeline", missing, "--between", "2016", "2016-13"],
        vec!["critical", missing, "--from", "a", "--until", "1e9"],
        vec!["render", missing, "--reach-from", "a", "--until", "2016-13"],
    ] {
        let o = run(&args);
        let err = String::from_utf8_lossy(&o.stderr);
        assert_eq!(o.status.code(), Some(2), "{args:?}: {err}");
        assert!(
            !err.contains("nonexistent"),
            "{args:?} read the input first: {err}"
        );
    }
    let json = |until: &str| {
        let o = run(&[
            "reach",
            "graphs/trump-jr-wikileaks.json",
            "--from",
            "wikileaks",
            "--until",
            until,
            "--json",
        ]);
        assert!(o.status.success());
        o.stdout
    };
    assert_eq!(json("1476295530"), json("2016-10-12T18:05:30Z"));
    assert_ne!(json("1476295530"), json("2016-10-12T18:05:29Z"));
}

/// A name that no row of a large CSV file holds is refused before the file
/// is loaded (a bad row at its end would otherwise be reported); a name
/// that is there in another case, or a file past ASCII, is loaded as always.
#[test]
fn names_are_checked_before_loading_a_large_csv() {
    let dir = tempfile::tempdir().unwrap();
    let write = |name: &str, extra: &str| {
        let mut text = String::from("from,to,time\n");
        let mut i = 0u64;
        while text.len() < 17 << 20 {
            text.push_str(&format!(
                "p{},p{},{}\n",
                i % 5000,
                (i + 1) % 5000,
                1_000_000_000 + i
            ));
            i += 1;
        }
        text.push_str(extra);
        text.push_str("this,row,has,too,many,fields\n");
        let path = dir.path().join(name);
        std::fs::write(&path, text).unwrap();
        path.to_str().unwrap().to_string()
    };
    let ascii = write("big.csv", "Alice,p1,1999999999\n");
    let accents = write("accents.csv", "Zoë,p1,1999999999\n");
    let run = |args: &[&str]| {
        let o = std::process::Command::new(env!("CARGO_BIN_EXE_grapevine"))
            .args(args)
            .output()
            .unwrap();
        (
            o.status.code(),
            String::from_utf8_lossy(&o.stderr).to_string(),
        )
    };
    for args in [
        vec!["reach", &ascii, "--from", "nobody"],
        vec!["reach", &ascii, "--to", "Nobody"],
        vec![
            "reach", &ascii, "--had", "p1", "1000", "--had", "nobody", "2000",
        ],
        vec!["path", &ascii, "--from", "p1", "--to", "nobody"],
        vec!["why-not", &ascii, "--from", "nobody", "--to", "p1"],
        vec!["critical", &ascii, "--from", "p1", "--to", "nobody"],
        vec!["connect", &ascii, "p1", "nobody"],
    ] {
        let (code, err) = run(&args);
        assert_eq!(code, Some(2), "{args:?}: {err}");
        assert!(
            err.contains("no entity is called") && err.contains("nothing was loaded"),
            "{args:?}: {err}"
        );
    }
    // Present (in another case): the file is loaded, and its bad row found.
    for args in [
        vec!["reach", &ascii, "--from", "ALICE"],
        vec!["reach", &accents, "--from", "nobody"],
    ] {
        let (code, err) = run(&args);
        assert_eq!(code, Some(2), "{args:?}: {err}");
        assert!(
            !err.contains("nothing was loaded") && err.contains("extra fields"),
            "{args:?}: {err}"
        );
    }
}
