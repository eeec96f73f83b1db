//! `--corroborated N`: only claims that N independent publishers cite.

use std::process::Command;

const STORY: &str = r#"{"format": "grapevine/1",
  "entities": [{"id": "a", "name": "A"}, {"id": "b", "name": "B"}, {"id": "c", "name": "C"},
               {"id": "d", "name": "D"}, {"id": "e", "name": "E"}, {"id": "f", "name": "F"}],
  "sources": [
    {"id": "s1", "publisher": "The Times"},
    {"id": "s2", "publisher": "the  TIMES"},
    {"id": "s3", "publisher": "Globe"},
    {"id": "s4", "url": "https://www.example.org/a"},
    {"id": "s5", "url": "http://example.org/b"},
    {"id": "s6", "title": "No publisher, no URL"}
  ],
  "events": [
    {"id": "ab", "from": "a", "to": "b", "time": "2016-01-01", "sources": ["s1", "s2"]},
    {"id": "bc", "from": "b", "to": "c", "time": "2016-01-02", "sources": ["s1", "s3"]},
    {"id": "ad", "from": "a", "to": "d", "time": "2016-01-03", "sources": ["s4", "s5"]},
    {"id": "ae", "from": "a", "to": "e", "time": "2016-01-04", "sources": ["s3", {"source": "s4", "quote": "q"}]},
    {"id": "ef", "from": "e", "to": "f", "time": "2016-01-05"}
  ]
}"#;

fn reached(file: &std::path::Path, extra: &[&str]) -> Vec<String> {
    let o = Command::new(env!("CARGO_BIN_EXE_grapevine"))
        .args(["reach"])
        .arg(file)
        .args(["--from", "a", "--json"])
        .args(extra)
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    let mut ids: Vec<String> = v["reached"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["entity"].as_str().unwrap().to_string())
        .collect();
    ids.sort();
    ids
}

/// One publisher under two spellings, one host under two URLs, count once;
/// an uncited contact is not corroborated at all.
#[test]
fn independent_publishers_are_counted_by_publisher_host_or_id() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("s.json");
    std::fs::write(&file, STORY).unwrap();
    assert_eq!(reached(&file, &[]), ["a", "b", "c", "d", "e", "f"]);
    assert_eq!(
        reached(&file, &["--corroborated", "1"]),
        ["a", "b", "c", "d", "e"]
    );
    assert_eq!(reached(&file, &["--corroborated", "2"]), ["a", "e"]);
    assert_eq!(reached(&file, &["--corroborated", "3"]), ["a"]);
    let o = Command::new(env!("CARGO_BIN_EXE_grapevine"))
        .args(["timeline"])
        .arg(&file)
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&o.stdout);
    assert_eq!(
        text.matches("Cited by 2 independent publishers.").count(),
        2,
        "{text}"
    );
    let o = Command::new(env!("CARGO_BIN_EXE_grapevine"))
        .args(["timeline", "--json"])
        .arg(&file)
        .output()
        .unwrap();
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    let counts: Vec<(String, Option<u64>)> = v
        .as_array()
        .unwrap()
        .iter()
        .map(|e| {
            (
                e["event"].as_str().unwrap().into(),
                e["publishers"].as_u64(),
            )
        })
        .collect();
    assert!(counts.contains(&("bc".into(), Some(2))), "{counts:?}");
    assert!(counts.contains(&("ab".into(), None)), "{counts:?}");
}

/// The same filter behind every reachability command, and a CSV corpus
/// (which cites nothing) refused with the reason.
#[test]
fn every_query_command_takes_it_and_a_csv_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("s.json");
    std::fs::write(&file, STORY).unwrap();
    let run = |args: &[&str]| {
        Command::new(env!("CARGO_BIN_EXE_grapevine"))
            .args(args)
            .output()
            .unwrap()
    };
    let f = file.to_str().unwrap();
    let o = run(&["path", f, "--from", "a", "--to", "c", "--corroborated", "2"]);
    assert!(!o.status.success() || String::from_utf8_lossy(&o.stdout).contains("not reached"));
    let o = run(&[
        "why-not",
        f,
        "--from",
        "a",
        "--to",
        "c",
        "--corroborated",
        "2",
    ]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let o = run(&["reach", f, "--to", "e", "--corroborated", "2", "--json"]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let csv = dir.path().join("c.csv");
    std::fs::write(&csv, "from,to,time\na,b,2016-01-01\n").unwrap();
    let o = run(&[
        "reach",
        csv.to_str().unwrap(),
        "--from",
        "a",
        "--corroborated",
        "1",
    ]);
    assert_eq!(o.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&o.stderr).contains("cites no sources"));
}
