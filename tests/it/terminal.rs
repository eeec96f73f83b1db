//! Nothing from a file acts on the terminal: names, ids, kinds and titles
//! full of escape sequences, OSC 8 links, bells, C1 controls, direction
//! overrides, NULs and clear-screens come out of every command as visible
//! escapes, in tables, headings, notes, warnings and errors alike, and
//! `--json` escapes the C1 and direction controls too while keeping the text.

use std::path::Path;
use std::process::{Command, Output};

use proptest::prelude::*;

/// Pieces of hostile text: terminal escapes (clear screen, reset, colour,
/// an OSC 8 hyperlink ended by a bell), the single-character CSI (U+009B),
/// NEL (U+0085), DEL, NUL, backspace, carriage return, direction overrides
/// and isolates, a line separator; and harmless text that must survive.
const HOSTILE: &[&str] = &[
    "\u{1b}[2J",
    "\u{1b}c",
    "\u{1b}[31m",
    "\u{1b}]8;;https://evil.example/\u{7}click\u{1b}]8;;\u{7}",
    "\u{7}",
    "\u{9b}31m",
    "\u{85}",
    "\u{7f}",
    "\u{0}",
    "\u{8}",
    "\r",
    "\n",
    "\t",
    "\u{202e}",
    "\u{202a}",
    "\u{2066}",
    "\u{2069}",
    "\u{200f}",
    "\u{2028}",
    "Zoë",
    "O’Brien",
    "plain",
];

/// Pieces an id may hold (no control characters, no spaces: a valid id
/// that still carries direction overrides and isolates).
const ID_PIECES: &[&str] = &["\u{202e}", "\u{202d}", "\u{2067}", "\u{200f}", "x", "é"];

fn hostile() -> impl Strategy<Value = String> {
    prop::collection::vec(
        prop_oneof![
            3 => prop::sample::select(HOSTILE).prop_map(str::to_string),
            1 => "[a-z]{1,4}",
        ],
        1..5,
    )
    .prop_map(|v| v.concat())
}

fn id_piece() -> impl Strategy<Value = String> {
    prop::collection::vec(prop::sample::select(ID_PIECES), 0..4).prop_map(|v| v.concat())
}

/// A random hostile story and the command-line words to ask it about.
#[derive(Debug, Clone)]
struct Hostile {
    names: Vec<String>,
    ids: Vec<String>,
    event_kind: String,
    entity_kind: Option<String>,
    title: String,
    quote: String,
    bad_id: bool,
}

fn case() -> impl Strategy<Value = Hostile> {
    (
        prop::collection::vec(hostile(), 4),
        prop::collection::vec(id_piece(), 4),
        hostile(),
        prop::option::weighted(0.1, hostile()),
        hostile(),
        hostile(),
        prop::bool::weighted(0.1),
    )
        .prop_map(
            |(names, pieces, event_kind, entity_kind, title, quote, bad_id)| Hostile {
                names,
                ids: pieces
                    .iter()
                    .enumerate()
                    .map(|(i, p)| format!("p{i}{p}"))
                    .collect(),
                event_kind,
                entity_kind,
                title,
                quote,
                bad_id,
            },
        )
}

fn story_json(h: &Hostile) -> String {
    let mut ids = h.ids.clone();
    if h.bad_id {
        // A control character in an id is an error, which quotes it.
        ids[3] = format!("{}\u{1b}[2J", ids[3]);
    }
    let entities: Vec<serde_json::Value> = (0..4)
        .map(|i| {
            let mut e = serde_json::json!({
                "id": ids[i],
                "name": h.names[i],
                "kind": if i == 0 { h.entity_kind.clone().unwrap_or("person".into()) } else { "person".into() },
                "description": h.quote,
            });
            if i == 3 {
                // Entity 3 is also known by entity 2's name: an ambiguous name.
                e["aliases"] = serde_json::json!([h.names[2]]);
            }
            e
        })
        .collect();
    serde_json::json!({
        "format": "grapevine/1",
        "title": h.title,
        "summary": h.quote,
        "timezone": "America/New_York",
        "sources": [{"id": "src", "title": h.title, "publisher": h.names[0]}],
        "entities": entities,
        "messages": [{"id": "m", "title": h.title, "text": h.quote, "origin": ids[0], "time": "2016-09-20"}],
        "events": [
            {"id": "e1", "kind": h.event_kind, "from": ids[0], "to": [ids[1], ids[2]],
             "time": "2016-09-20/..", "certainty": "reported", "carries": ["m"],
             "summary": h.quote,
             "sources": [{"source": "src", "quote": h.quote}]},
            {"id": "e2", "kind": "meeting", "participants": [ids[1], ids[3]],
             "time": "2016-09", "certainty": "unknown", "quote": h.quote},
            {"id": "e3", "kind": h.event_kind, "from": ids[2], "to": ids[3],
             "time": "2016-09-01", "certainty": "confirmed"}
        ],
        "x-note": h.title,
    })
    .to_string()
}

/// A CSV field, quoted.
fn field(s: &str) -> String {
    format!("\"{}\"", s.replace('"', "\"\""))
}

fn csv(h: &Hostile) -> String {
    let mut s = String::from("from,to,time,kind,carries\n");
    for (a, b, t) in [
        (0, 1, "2016-09-20"),
        (1, 2, "2016-09-21"),
        (2, 3, "2016-09-19"),
    ] {
        s.push_str(&format!(
            "{},{},{t},{},{}\n",
            field(&h.names[a]),
            field(&h.names[b]),
            field(&h.event_kind),
            field(&h.title)
        ));
    }
    s
}

fn run(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_grapevine"))
        .args(args)
        .output()
        .expect("the binary runs")
}

/// The first character a terminal would act on, or that hides or reorders
/// text: C0 controls but line feed and tab, DEL, C1 controls, direction
/// embeddings, overrides and isolates.
fn first_hostile(bytes: &[u8]) -> Option<String> {
    let Ok(text) = std::str::from_utf8(bytes) else {
        return Some("invalid UTF-8".into());
    };
    text.char_indices()
        .find(|&(_, c)| {
            (c < ' ' && c != '\n' && c != '\t')
                || c == '\u{7f}'
                || ('\u{80}'..='\u{9f}').contains(&c)
                || ('\u{202a}'..='\u{202e}').contains(&c)
                || ('\u{2066}'..='\u{2069}').contains(&c)
        })
        .map(|(i, c)| {
            let from = text[..i].char_indices().rev().nth(40).map_or(0, |(k, _)| k);
            format!("{c:?} after {:?}", &text[from..i])
        })
}

fn assert_clean(args: &[&str], o: &Output) -> Result<(), TestCaseError> {
    prop_assert!(
        matches!(o.status.code(), Some(0..=2)),
        "{:?} crashed: {}",
        args,
        String::from_utf8_lossy(&o.stderr)
    );
    for (what, bytes) in [("stdout", &o.stdout), ("stderr", &o.stderr)] {
        if let Some(bad) = first_hostile(bytes) {
            return Err(TestCaseError::fail(format!(
                "{args:?}: {what} has {bad}\n{}",
                String::from_utf8_lossy(bytes)
            )));
        }
    }
    Ok(())
}

/// Every command that prints text from a file, on `file`, in table and JSON
/// form: (arguments, whether standard output is JSON).
fn commands(file: &str, h: &Hostile) -> Vec<(Vec<String>, bool)> {
    let s = |v: &[&str]| -> Vec<String> {
        std::iter::once(v[0])
            .chain(std::iter::once(file))
            .chain(v[1..].iter().copied())
            // A command line cannot hold a NUL.
            .map(|a| a.replace('\0', ""))
            .collect()
    };
    let (a, d) = (h.ids[0].as_str(), h.ids[3].as_str());
    vec![
        (s(&["check"]), false),
        (s(&["check", "--json"]), true),
        (s(&["reach", "--message", "m"]), false),
        (s(&["reach", "--message", "m", "--json"]), true),
        (s(&["reach", "--from", a]), false),
        (
            s(&["reach", "--from", a, "--threshold", "confirmed"]),
            false,
        ),
        (s(&["reach", "--from", "nobody-at-all"]), false),
        (s(&["reach", "--from", &h.names[2]]), false),
        (s(&["reach", "--message", "nothing"]), false),
        (s(&["path", "--from", a, "--to", d]), false),
        (s(&["path", "--from", a, "--to", d, "--json"]), true),
        (s(&["path", "--message", "m", "--to", d]), false),
        (s(&["path", "--from", a, "--to", &h.names[1]]), false),
        (s(&["timeline"]), false),
        (s(&["timeline", "--json"]), true),
        (s(&["timeline", "--entity", &h.names[1]]), false),
        (s(&["why-not", "--message", "m", "--to", d]), false),
        (s(&["why-not", "--message", "m", "--to", d, "--json"]), true),
        (
            s(&[
                "why-not",
                "--from",
                a,
                "--to",
                d,
                "--threshold",
                "confirmed",
            ]),
            false,
        ),
        (s(&["why-not", "--from", a, "--to", d, "--strict"]), false),
        (s(&["render", "--reach", "m", "--alt-text"]), false),
        (s(&["render", "--alt-text"]), false),
        (s(&["render", "--path", a, d, "--alt-text"]), false),
        (s(&["render", "--reach-from", a, "--alt-text"]), false),
        // Story files written to standard output escape what JSON allows.
        (s(&["fmt", "--stdout"]), false),
        (s(&["import"]), false),
    ]
}

fn collect_strings(v: &serde_json::Value, out: &mut Vec<String>) {
    match v {
        serde_json::Value::String(s) => out.push(s.clone()),
        serde_json::Value::Array(a) => a.iter().for_each(|x| collect_strings(x, out)),
        serde_json::Value::Object(o) => o.values().for_each(|x| collect_strings(x, out)),
        _ => {}
    }
}

fn check_case(h: &Hostile, dir: &Path, n: u64) -> Result<(), TestCaseError> {
    let file = dir.join(format!("hostile-{n}.json"));
    std::fs::write(&file, story_json(h)).unwrap();
    let file = file.to_str().unwrap().to_string();
    for (args, json) in commands(&file, h) {
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        let o = run(&args);
        assert_clean(&args, &o)?;
        if json && o.status.code() == Some(0) && !h.bad_id {
            // JSON readers get the text back exactly.
            let v: serde_json::Value = serde_json::from_slice(&o.stdout)
                .map_err(|e| TestCaseError::fail(format!("{args:?}: not JSON: {e}")))?;
            let mut strings = Vec::new();
            collect_strings(&v, &mut strings);
            prop_assert!(
                args[0] == "check"
                    || h.names
                        .iter()
                        .any(|n| strings.iter().any(|s| s.contains(n.as_str()))),
                "{:?}: no name comes back exactly from {:?}",
                args,
                strings
            );
        }
    }
    let csv_file = dir.join(format!("hostile-{n}.csv"));
    std::fs::write(&csv_file, csv(h)).unwrap();
    let csv_file = csv_file.to_str().unwrap();
    let (a, c) = (h.names[0].replace('\0', ""), h.names[3].replace('\0', ""));
    let (a, c) = (a.as_str(), c.as_str());
    for args in [
        vec!["check", csv_file],
        vec!["check", csv_file, "--skip-bad-rows"],
        vec!["reach", csv_file, "--from", a],
        vec!["reach", csv_file, "--from", a, "--json"],
        vec!["path", csv_file, "--from", a, "--to", c],
        vec!["timeline", csv_file],
        vec!["why-not", csv_file, "--from", a, "--to", c],
        vec!["reach", csv_file, "--from", "nobody-at-all"],
        vec!["import", csv_file],
    ] {
        let o = run(&args);
        assert_clean(&args, &o)?;
    }
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 24, ..ProptestConfig::default() })]

    /// Over random hostile stories and CSV files, no command's standard output
    /// or standard error holds a character a terminal would act on.
    #[test]
    fn no_command_lets_a_file_act_on_the_terminal(h in case()) {
        static N: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);
        let n = N.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        let dir = Path::new(env!("CARGO_TARGET_TMPDIR"));
        check_case(&h, dir, n)?;
    }
}

/// JSON output writes DEL, C1 controls and direction controls as `\u`
/// escapes, and a JSON reader gets the very same text back.
#[test]
fn json_escapes_c1_and_direction_controls() {
    let name = "Al\u{1b}[2J\u{9b}31m\u{202e}ice\u{7f}\u{85}\u{2066}";
    let h = Hostile {
        names: vec![name.into(), "Bob".into(), "Cy".into(), "Dee".into()],
        ids: vec!["a\u{202e}".into(), "b".into(), "c".into(), "d".into()],
        event_kind: "dm".into(),
        entity_kind: None,
        title: "t".into(),
        quote: "q".into(),
        bad_id: false,
    };
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR"));
    let file = dir.join("json-escapes.json");
    std::fs::write(&file, story_json(&h)).unwrap();
    let o = run(&["reach", file.to_str().unwrap(), "--message", "m", "--json"]);
    assert_eq!(
        o.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
    let text = String::from_utf8(o.stdout.clone()).unwrap();
    for escape in [
        "\\u001b[2J",
        "\\u009b31m",
        "\\u202e",
        "\\u007f",
        "\\u0085",
        "\\u2066",
    ] {
        assert!(text.contains(escape), "{escape} missing in {text}");
    }
    assert_eq!(first_hostile(&o.stdout), None);
    let v: serde_json::Value = serde_json::from_str(&text).unwrap();
    assert_eq!(v["source"], "a\u{202e}");
    assert_eq!(v["reached"][0]["name"], name);
}

/// The table shows the same text as visible escapes, once.
#[test]
fn tables_show_escapes() {
    let h = Hostile {
        names: vec![
            "Al\u{1b}[2Jice".into(),
            "Bob".into(),
            "Cy".into(),
            "Dee".into(),
        ],
        ids: vec!["a".into(), "b".into(), "c".into(), "d".into()],
        event_kind: "dm\u{202e}".into(),
        entity_kind: None,
        title: "t".into(),
        quote: "q".into(),
        bad_id: false,
    };
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR"));
    let file = dir.join("table-escapes.json");
    std::fs::write(&file, story_json(&h)).unwrap();
    let o = run(&["reach", file.to_str().unwrap(), "--message", "m"]);
    let text = String::from_utf8(o.stdout).unwrap();
    assert!(text.contains("Al\\u{1b}[2Jice"), "{text}");
    let o = run(&["timeline", file.to_str().unwrap()]);
    let text = String::from_utf8(o.stdout).unwrap();
    assert!(text.contains("dm\\u{202e}"), "{text}");
}
