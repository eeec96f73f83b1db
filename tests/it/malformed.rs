//! Every kind of mistake a story file can hold: the files in
//! `tests/malformed/` (one per kind, named for it) are rejected with located
//! errors whose rendered text is pinned by snapshots; the command line exits
//! 2 on each; warnings are pinned on `tests/warnings/warnings.json`; and no
//! input at all (random bytes, mutations of valid files) makes the loader
//! panic.

use std::path::Path;
use std::process::{Command, Output};

/// What `check` reports of a loaded story: its summary and warnings.
fn summarise(
    loaded: &mut grapevine::Loaded,
) -> (grapevine::analysis::summary::Summary, grapevine::Report) {
    let spans = loaded.event_spans.clone();
    let catalog = grapevine::StoryCatalog::new(&loaded.story);
    grapevine::render::check_report(&catalog, &loaded.report, &|e| {
        spans.get(e as usize).cloned()
    })
}
use grapevine::internals::diagnostic::line_column;
use grapevine::internals::diagnostic::{Diagnostic, Report, Severity};
use grapevine::{load_bytes, to_json};
use proptest::prelude::*;
use proptest::sample::Index;

const CORPUS: &str = "tests/malformed";
const WARNINGS: &str = "tests/warnings/warnings.json";
const STORY: &str = "graphs/trump-jr-wikileaks.json";

/// Every file of the corpus as (name relative to the repository, bytes), sorted.
fn corpus() -> Vec<(String, Vec<u8>)> {
    let mut files: Vec<(String, Vec<u8>)> = std::fs::read_dir(CORPUS)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|x| x == "json"))
        .map(|p| {
            let name = format!("{CORPUS}/{}", p.file_name().unwrap().to_str().unwrap());
            (name, std::fs::read(&p).unwrap())
        })
        .collect();
    files.sort();
    files
}

fn stem(name: &str) -> &str {
    Path::new(name).file_stem().unwrap().to_str().unwrap()
}

fn grapevine(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_grapevine"))
        .args(args)
        .output()
        .unwrap()
}

fn errors(report: &Report) -> Vec<&Diagnostic> {
    report
        .diagnostics
        .iter()
        .filter(|d| d.severity == Severity::Error)
        .collect()
}

/// The shape every error must have: located inside the file, with a label and
/// a help, and rendered with `--> file:line:col` where line and column are
/// those of its span.
fn assert_located(name: &str, report: &Report) {
    assert!(report.error_count() >= 1, "{name}: no error");
    for d in errors(report) {
        let span = d
            .span
            .clone()
            .unwrap_or_else(|| panic!("{name}: error without a location: {}", d.message));
        assert!(
            span.start <= report.text.len(),
            "{name}: {span:?} is outside the file"
        );
        assert!(!d.label.is_empty(), "{name}: no label on {}", d.message);
        let help = d.help.as_deref().unwrap_or("");
        assert!(!help.is_empty(), "{name}: no help on {}", d.message);
        let one = Report {
            diagnostics: vec![d.clone()],
            ..report.clone()
        };
        let text = one.render();
        let (line, column) = line_column(&report.text, span.start);
        let at = format!("--> {name}:{line}:{column}\n");
        assert!(text.contains(&at), "{name}: `{at}` not in\n{text}");
        assert!(
            text.starts_with(&format!("error: {}\n", d.message)),
            "{text}"
        );
        assert!(text.contains(&format!("= help: {help}")), "{text}");
        // (A combining mark has no width of its own to underline.)
        let first = report.text[span.start..].chars().next();
        if first.is_none_or(|c| c.is_ascii() || c == '\u{feff}' || c == '\u{200b}') {
            assert!(text.contains('^'), "{name}: nothing underlined\n{text}");
        }
    }
}

#[test]
fn the_corpus_has_many_kinds_of_mistake() {
    let names: Vec<String> = corpus().into_iter().map(|(n, _)| n).collect();
    assert!(names.len() >= 30, "{}", names.len());
    for required in [
        "unknown-entity-in-to",
        "feb-30",
        "interval-ends-before-start",
        "from-and-participants",
        "neither-from-nor-participants",
        "one-participant",
        "unsupported-format",
        "missing-format",
        "duplicate-id",
        "duplicate-key",
        "wrong-type-time-number",
        "wrong-type-to-object",
        "empty-id",
        "control-char-id",
        "unknown-message-in-carries",
        "unknown-source-in-citation",
        "bad-certainty",
        "bad-entity-kind",
        "bad-timezone",
        "month-13",
        "hour-25",
        "empty-file",
        "whitespace-only",
        "top-level-array",
        "top-level-string",
        "invalid-utf8",
        "binary-junk",
        "deep-nesting",
        "trailing-comma",
        "unclosed-string",
        "single-quotes",
        "missing-comma",
        "several-errors",
        "entities-not-array",
        "to-empty-array",
        "id-with-leading-space",
        "message-origin-unknown",
    ] {
        let name = format!("{CORPUS}/{required}.json");
        assert!(names.contains(&name), "{name} is missing");
    }
}

/// The rendered errors of every malformed file, pinned.
#[test]
fn every_malformed_file_is_rejected_with_located_errors() {
    for (name, bytes) in corpus() {
        let report = match load_bytes(&name, &bytes) {
            Ok(_) => panic!("{name} loads, but it is in the malformed corpus"),
            Err(report) => report,
        };
        assert_located(&name, &report);
        insta::assert_snapshot!(stem(&name).to_string(), report.render());
    }
}

#[test]
fn several_errors_are_all_reported_in_one_run() {
    let name = format!("{CORPUS}/several-errors.json");
    let report = load_bytes(&name, &std::fs::read(&name).unwrap()).unwrap_err();
    let messages: Vec<&str> = errors(&report).iter().map(|d| d.message.as_str()).collect();
    for expected in [
        "entity \"trump-jr\" field \"kind\": \"persn\" is not an entity kind",
        "event \"dm\" field \"time\": \"2016-02-30\": February has 29 days in 2016",
        "unknown entity \"conway\" in event \"fwd\" field \"to\"",
        "event \"fwd\" field \"certainty\": \"likely\" is not a certainty",
        "duplicate id \"kushner\": events[2] has the same id as entities[2]",
        "event \"kushner\" has fewer than two distinct participants",
    ] {
        assert!(
            messages.contains(&expected),
            "{expected:?} not in {messages:#?}"
        );
    }
    assert_eq!(messages.len(), 6, "{messages:#?}");
    // In file order.
    let starts: Vec<usize> = errors(&report)
        .iter()
        .map(|d| d.span.clone().unwrap().start)
        .collect();
    assert!(starts.windows(2).all(|w| w[0] <= w[1]), "{starts:?}");
}

#[test]
fn a_file_with_errors_gets_no_cascading_unused_entity_warnings() {
    // The event that names alice and bob is broken; they are not "unused".
    let name = format!("{CORPUS}/from-and-participants.json");
    let report = load_bytes(&name, &std::fs::read(&name).unwrap()).unwrap_err();
    assert_eq!(report.warning_count(), 0, "{}", report.render());
}

#[test]
fn a_long_line_is_shown_as_an_excerpt_with_the_true_column() {
    let name = format!("{CORPUS}/deep-nesting.json");
    let report = load_bytes(&name, &std::fs::read(&name).unwrap()).unwrap_err();
    let text = report.render();
    assert!(text.contains(&format!("--> {name}:1:129\n")), "{text}");
    assert!(text.len() < 2_000, "{} bytes", text.len());
    assert!(text.contains("...[[["), "{text}");
}

/// `check` exits 2 on every malformed file and prints exactly the rendered
/// report and a count on stderr, nothing on stdout.
#[test]
fn check_exits_2_with_the_errors_on_stderr_for_every_malformed_file() {
    for (name, bytes) in corpus() {
        let report = load_bytes(&name, &bytes).unwrap_err();
        let o = grapevine(&["check", &name]);
        assert_eq!(o.status.code(), Some(2), "{name}");
        assert!(
            o.stdout.is_empty(),
            "{name}: {}",
            String::from_utf8_lossy(&o.stdout)
        );
        let n = report.error_count();
        let expected = format!(
            "{}error: {name} has {n} error{}; nothing was done\n",
            report.render(),
            if n == 1 { "" } else { "s" }
        );
        assert_eq!(String::from_utf8_lossy(&o.stderr), expected, "{name}");
    }
}

#[test]
fn other_commands_exit_2_on_a_malformed_file_and_fmt_leaves_it_alone() {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join("malformed-fmt");
    std::fs::create_dir_all(&dir).unwrap();
    for file in ["feb-30.json", "trailing-comma.json", "invalid-utf8.json"] {
        let copy = dir.join(file);
        let original = std::fs::read(format!("{CORPUS}/{file}")).unwrap();
        std::fs::write(&copy, &original).unwrap();
        let copy = copy.to_str().unwrap();
        for args in [
            vec!["fmt", copy],
            vec!["fmt", "--check", copy],
            vec!["reach", copy, "--from", "alice"],
        ] {
            let o = grapevine(&args);
            assert_eq!(o.status.code(), Some(2), "{args:?}");
            let err = String::from_utf8_lossy(&o.stderr);
            assert!(err.contains(&format!("--> {copy}:")), "{args:?}: {err}");
            assert!(err.contains("nothing was done"), "{args:?}: {err}");
        }
        assert_eq!(
            std::fs::read(dir.join(file)).unwrap(),
            original,
            "{file} was changed"
        );
    }
}

#[test]
fn check_json_lists_the_errors_with_line_and_column() {
    let name = format!("{CORPUS}/unknown-entity-in-to.json");
    let o = grapevine(&["check", "--json", &name]);
    assert_eq!(o.status.code(), Some(2));
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(v["ok"], false);
    assert_eq!(v["file"], name.as_str());
    let errors = v["errors"].as_array().unwrap();
    assert_eq!(errors.len(), 1, "{v:#}");
    assert_eq!(errors[0]["severity"], "error");
    assert_eq!(errors[0]["line"], 9);
    assert_eq!(errors[0]["column"], 69);
    assert_eq!(
        errors[0]["message"],
        "unknown entity \"carol\" in event \"e7\" field \"to\""
    );
    assert!(errors[0]["help"].as_str().unwrap().contains("\"entities\""));
}

/// An unknown field, an unused entity (from the loader), two uncited claims
/// and a causality problem (from the check), pinned; the user's `x-` field and a free event
/// kind are kept without a word.
#[test]
fn warnings_are_located_and_pinned() {
    let bytes = std::fs::read(WARNINGS).unwrap();
    let mut loaded = load_bytes(WARNINGS, &bytes).unwrap();
    assert_eq!(loaded.report.error_count(), 0);
    assert_eq!(
        loaded.report.warning_count(),
        2,
        "{}",
        loaded.report.render()
    );
    let (summary, report) = summarise(&mut loaded);
    let report = &report;
    let messages: Vec<&str> = report
        .diagnostics
        .iter()
        .map(|d| d.message.as_str())
        .collect();
    assert_eq!(
        messages,
        [
            "entity \"trump-jr\" has an unknown field \"twitter\"",
            "entity \"assange\" (Julian Assange) takes part in nothing",
            "event \"dm\" is an uncited claim",
            "event \"fwd\" is an uncited claim",
            "event \"fwd\" (2016-09-12) carries \"pac-tip\" before Donald Trump Jr. could have received it (2016-09-20 at the earliest)",
        ]
    );
    assert!(report
        .diagnostics
        .iter()
        .all(|d| d.severity == Severity::Warning));
    assert_eq!(summary.warnings.len(), 5);
    insta::assert_snapshot!("warnings", report.render());

    // `check`: the same text on stderr, exit 0, and the count on stdout.
    let o = grapevine(&["check", WARNINGS]);
    assert_eq!(o.status.code(), Some(0));
    assert_eq!(String::from_utf8_lossy(&o.stderr), report.render());
    let out = String::from_utf8_lossy(&o.stdout);
    assert!(
        out.starts_with(&format!("{WARNINGS}: ok, no errors\n")),
        "{out}"
    );
    assert!(out.contains("warnings      5"), "{out}");

    // `check --json`: every warning, located.
    let o = grapevine(&["check", "--json", WARNINGS]);
    assert_eq!(o.status.code(), Some(0));
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(v["ok"], true);
    let warnings = v["warnings"].as_array().unwrap();
    let got: Vec<(&str, u64, u64)> = warnings
        .iter()
        .map(|w| {
            assert_eq!(w["severity"], "warning");
            assert_eq!(w["file"], WARNINGS);
            (
                w["message"].as_str().unwrap(),
                w["line"].as_u64().unwrap(),
                w["column"].as_u64().unwrap(),
            )
        })
        .collect();
    let expected: Vec<(&str, u64, u64)> = messages
        .iter()
        .zip([(8, 71), (10, 5), (16, 5), (18, 5), (18, 5)])
        .map(|(m, (l, c))| (*m, l, c))
        .collect();
    assert_eq!(got, expected);
}

// ---- No input makes the loader panic.

/// Small valid files to mutate, besides the bundled story.
const SMALL: &str = r#"{
  "format": "grapevine/1",
  "timezone": "Europe/London",
  "sources": [{ "id": "article", "title": "T", "published": "2017-11-14T10:00Z" }],
  "entities": [
    { "id": "a@example.com", "name": "A \"quoted\" name", "kind": "person", "aliases": ["Ä"] },
    { "id": "b", "name": "B", "kind": "organization", "x": [1.50, -0, 1e6] },
    { "id": "c", "name": "C", "kind": "group" }
  ],
  "messages": [{ "id": "m", "origin": "a@example.com", "time": "2016-09-20T14:05:30+02:00~" }],
  "events": [
    { "id": "e1", "kind": "email", "from": "a@example.com", "to": ["b", "c"], "time": "2016-09/2016-10-02",
      "certainty": "alleged", "carries": ["m"], "sources": ["article", { "source": "article", "quote": "q" }] },
    { "id": "e2", "kind": "meeting", "participants": ["b", "c"], "time": "../2017?" }
  ],
  "relations": [{ "kind": "member-of", "from": "c", "to": "b", "time": "2015/.." }]
}
"#;

fn bases() -> Vec<Vec<u8>> {
    vec![
        std::fs::read(STORY).unwrap(),
        SMALL.as_bytes().to_vec(),
        std::fs::read(WARNINGS).unwrap(),
    ]
}

/// Pieces of JSON (and of near-JSON) to insert.
const TOKENS: &[&str] = &[
    "{",
    "}",
    "[",
    "]",
    ",",
    ":",
    "\"",
    "\\",
    "null",
    "true",
    "1e999",
    "-",
    "0",
    "\"x\"",
    "\"id\"",
    "\"from\": \"nobody\"",
    "\"time\": \"2016-02-30\"",
    "\"to\": []",
    "\\u0000",
    "\\ud800",
    "é",
    "😀",
    "\u{feff}",
    "\r\n",
    "\t",
    "\u{0}",
    "//",
    "'",
    "..",
    "/",
    "~",
];

#[derive(Debug, Clone)]
enum Mutation {
    DeleteByte(Index),
    InsertByte(Index, u8),
    ReplaceByte(Index, u8),
    DeleteToken(Index),
    InsertToken(Index, Index),
    Truncate(Index),
    Duplicate(Index, u8, Index),
}

fn mutation() -> impl Strategy<Value = Mutation> {
    prop_oneof![
        any::<Index>().prop_map(Mutation::DeleteByte),
        (any::<Index>(), any::<u8>()).prop_map(|(i, b)| Mutation::InsertByte(i, b)),
        (any::<Index>(), any::<u8>()).prop_map(|(i, b)| Mutation::ReplaceByte(i, b)),
        any::<Index>().prop_map(Mutation::DeleteToken),
        (any::<Index>(), any::<Index>()).prop_map(|(i, t)| Mutation::InsertToken(i, t)),
        any::<Index>().prop_map(Mutation::Truncate),
        (any::<Index>(), any::<u8>(), any::<Index>())
            .prop_map(|(i, n, at)| Mutation::Duplicate(i, n, at)),
    ]
}

/// Length of the token at `i`: a punctuation byte, a string literal, or a
/// run of word characters.
fn token_len(b: &[u8], i: usize) -> usize {
    match b[i] {
        b'"' => {
            let mut j = i + 1;
            while j < b.len() && b[j] != b'"' {
                j += if b[j] == b'\\' { 2 } else { 1 };
            }
            (j + 1).min(b.len()) - i
        }
        c if c.is_ascii_alphanumeric() || matches!(c, b'.' | b'-' | b'+') => b[i..]
            .iter()
            .take_while(|c| c.is_ascii_alphanumeric() || matches!(c, b'.' | b'-' | b'+'))
            .count(),
        _ => 1,
    }
}

fn apply(bytes: &mut Vec<u8>, m: &Mutation) {
    let at = |i: &Index, len: usize| i.index(len + 1);
    match m {
        Mutation::DeleteByte(i) if !bytes.is_empty() => {
            bytes.remove(i.index(bytes.len()));
        }
        Mutation::InsertByte(i, b) => bytes.insert(at(i, bytes.len()), *b),
        Mutation::ReplaceByte(i, b) if !bytes.is_empty() => {
            let i = i.index(bytes.len());
            bytes[i] = *b;
        }
        Mutation::DeleteToken(i) if !bytes.is_empty() => {
            let i = i.index(bytes.len());
            let n = token_len(bytes, i);
            bytes.drain(i..i + n);
        }
        Mutation::InsertToken(i, t) => {
            let i = at(i, bytes.len());
            let token = TOKENS[t.index(TOKENS.len())].as_bytes();
            bytes.splice(i..i, token.iter().copied());
        }
        Mutation::Truncate(i) => bytes.truncate(at(i, bytes.len())),
        Mutation::Duplicate(i, n, to) if !bytes.is_empty() => {
            let start = i.index(bytes.len());
            let end = (start + *n as usize + 1).min(bytes.len());
            let piece = bytes[start..end].to_vec();
            let to = at(to, bytes.len());
            bytes.splice(to..to, piece);
        }
        _ => {}
    }
}

/// What must hold for any input: no panic; an error report has at least one
/// located error and renders; a story that loads saves to a file that loads
/// to the same story.
fn check_any_input(bytes: &[u8]) -> Result<(), TestCaseError> {
    match load_bytes("input.json", bytes) {
        Err(report) => {
            // Located errors with a label and a help, rendered at their true
            // line and column (also on long lines, shown as excerpts).
            assert_located("input.json", &report);
            let text = report.render();
            prop_assert!(text.contains("error: ") && text.contains("--> input.json:"));
            prop_assert_eq!(report.to_json().len(), report.diagnostics.len());
        }
        Ok(loaded) => {
            let saved = to_json(&loaded.story);
            let again = load_bytes("saved.json", saved.as_bytes());
            prop_assert!(again.is_ok(), "the saved story does not load:\n{}", saved);
            prop_assert_eq!(&again.unwrap().story, &loaded.story);
            let _ = loaded.report.render();
        }
    }
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: super::hostile_story::cases(256), ..ProptestConfig::default() })]

    #[test]
    fn random_bytes_never_panic(bytes in proptest::collection::vec(any::<u8>(), 0..600)) {
        check_any_input(&bytes)?;
    }

    #[test]
    fn random_text_never_panics(text in "[{}\\[\\]\",:0-9a-z\\\\ \n.~/TZ+-]{0,200}") {
        check_any_input(text.as_bytes())?;
    }

    #[test]
    fn mutated_valid_files_never_panic(
        base in 0usize..3,
        mutations in proptest::collection::vec(mutation(), 1..5),
    ) {
        let mut bytes = bases()[base].clone();
        for m in &mutations {
            apply(&mut bytes, m);
        }
        check_any_input(&bytes)?;
    }
}

#[test]
fn the_mutation_bases_are_valid() {
    for (i, b) in bases().iter().enumerate() {
        let loaded = load_bytes("base.json", b);
        assert!(loaded.is_ok(), "base {i}: {}", loaded.unwrap_err().render());
    }
}

// ---- docs/format.md quotes the real messages.

/// The ```text blocks of docs/format.md.
fn doc_text_blocks() -> Vec<String> {
    let doc = std::fs::read_to_string("docs/format.md").unwrap();
    doc.split("```text\n")
        .skip(1)
        .map(|rest| rest.split("\n```").next().unwrap().to_string())
        .collect()
}

#[test]
fn the_errors_in_docs_format_md_are_what_check_prints() {
    let rendered: Vec<(String, Report)> = corpus()
        .into_iter()
        .map(|(name, bytes)| (name.clone(), load_bytes(&name, &bytes).unwrap_err()))
        .collect();
    let mut loaded = load_bytes(WARNINGS, &std::fs::read(WARNINGS).unwrap()).unwrap();
    let (_, report) = summarise(&mut loaded);
    let warnings = report.render();
    let mut listed = std::collections::BTreeSet::new();
    let mut quoted = 0;
    for block in doc_text_blocks() {
        if block.starts_with("error: ") || block.starts_with("warning: ") {
            // A whole rendering, verbatim.
            let same = |text: &str| text.trim_end() == block;
            assert!(
                same(&warnings) || rendered.iter().any(|(_, r)| same(&r.render())),
                "docs/format.md shows a message that no file gets:\n{block}"
            );
            quoted += 1;
        } else if let Some((first, _)) = block.split_once(": ") {
            if !rendered.iter().any(|(n, _)| stem(n) == first) {
                continue;
            }
            // A listing: `kind: first line of an error` per line.
            for line in block.lines() {
                let (kind, message) = line.split_once(':').unwrap();
                let (_, report) = rendered
                    .iter()
                    .find(|(n, _)| stem(n) == kind)
                    .unwrap_or_else(|| panic!("docs/format.md lists {kind:?}, not in {CORPUS}"));
                let message = message.trim_start();
                assert!(
                    errors(report).iter().any(|d| d.message == message),
                    "{kind}: {message:?} is not one of its errors"
                );
                listed.insert(kind.to_string());
            }
        }
    }
    assert!(quoted >= 10, "{quoted}");
    let all: std::collections::BTreeSet<String> =
        rendered.iter().map(|(n, _)| stem(n).to_string()).collect();
    let missing: Vec<&String> = all.difference(&listed).collect();
    assert!(
        missing.is_empty(),
        "docs/format.md does not list {missing:?}"
    );
}

/// `--since` and `--until` read times with the same parser as the file, so
/// they get the same hints and the same range.
#[test]
fn time_flags_get_the_same_hints_and_range() {
    for (flag, value, expected) in [
        ("--since", "Sept 20, 2016", "format 1 writes it 2016-09-20"),
        (
            "--until",
            "20 September 2016",
            "format 1 writes it 2016-09-20",
        ),
        (
            "--since",
            "20/09/2016",
            "write \"2016-09-20\" (20 September 2016",
        ),
        (
            "--since",
            "2016-09-20T10:00 EST",
            "format 1 writes it 2016-09-20T10:00-05:00",
        ),
        ("--until", "0000-01-01", "the year 0000 is out of range"),
    ] {
        let o = grapevine(&["reach", STORY, "--from", "wikileaks", flag, value]);
        let stderr = String::from_utf8_lossy(&o.stderr);
        assert_eq!(o.status.code(), Some(2), "{flag} {value}: {stderr}");
        assert!(stderr.contains(expected), "{flag} {value}: {stderr}");
    }
}
