//! The bundled stories' hand-checked questions (`graphs/*.questions.json`):
//! each `reach` question is asked of the command line with `--json` and
//! every field the file lists is compared (`earliest`, `timing`,
//! `definite_by`, `evidence`, and the reached and not reached sets); each
//! `critical` question's `critical_claims` is compared with the claims whose
//! removal alone cuts the entity off (`single_points`).

use std::collections::BTreeSet;
use std::path::PathBuf;

use serde_json::Value;

fn grapevine(args: &[&str]) -> (Option<i32>, Value, String) {
    let o = std::process::Command::new(env!("CARGO_BIN_EXE_grapevine"))
        .args(args)
        .output()
        .expect("grapevine runs");
    let json = serde_json::from_slice(&o.stdout).unwrap_or(Value::Null);
    (
        o.status.code(),
        json,
        String::from_utf8_lossy(&o.stderr).into_owned(),
    )
}

fn question_files() -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = std::fs::read_dir("graphs")
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.to_string_lossy().ends_with(".questions.json"))
        .collect();
    files.sort();
    files
}

/// The disagreements of one `reach` question, in words (empty: none).
fn check_reach(story: &str, q: &Value) -> Vec<String> {
    let args: Vec<&str> = q["reach"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a.as_str().unwrap())
        .collect();
    let mut cmd = vec!["reach", story, "--json"];
    cmd.extend(&args);
    let (code, answer, stderr) = grapevine(&cmd);
    let mut out = Vec::new();
    if code != Some(0) {
        return vec![format!("exit {code:?}: {stderr}")];
    }
    let rows: Vec<&Value> = answer["reached"].as_array().unwrap().iter().collect();
    let row = |id: &str| rows.iter().find(|r| r["entity"] == id).copied();
    let want = q["reached"].as_object().unwrap();
    for (id, fields) in want {
        let Some(r) = row(id) else {
            out.push(format!("{id}: not reached"));
            continue;
        };
        for (k, v) in fields.as_object().unwrap() {
            if &r[k] != v {
                out.push(format!("{id}.{k}: hand {v}, engine {}", r[k]));
            }
        }
    }
    let got: BTreeSet<&str> = rows.iter().map(|r| r["entity"].as_str().unwrap()).collect();
    let listed: BTreeSet<&str> = want.keys().map(String::as_str).collect();
    if got != listed {
        out.push(format!("reached: hand {listed:?}, engine {got:?}"));
    }
    let set = |v: &Value| -> BTreeSet<String> {
        v.as_array()
            .map(|a| a.iter().map(|x| x.as_str().unwrap().to_string()).collect())
            .unwrap_or_default()
    };
    let (hand, engine) = (set(&q["not_reached"]), set(&answer["not_reached"]));
    if hand != engine {
        out.push(format!("not_reached: hand {hand:?}, engine {engine:?}"));
    }
    out
}

/// The disagreements of one `critical` question.
fn check_critical(story: &str, q: &Value) -> Vec<String> {
    let args: Vec<&str> = q["critical"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a.as_str().unwrap())
        .collect();
    let target = args
        .windows(2)
        .find(|w| w[0] == "--to")
        .map(|w| w[1])
        .expect("a critical question names its entity with --to");
    let mut cmd = vec!["critical", story, "--json"];
    cmd.extend(&args);
    let (code, answer, stderr) = grapevine(&cmd);
    if code != Some(0) {
        return vec![format!("exit {code:?}: {stderr}")];
    }
    let Some(entity) = answer["entities"]
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["entity"] == target)
    else {
        return vec![format!("{target}: not in the answer")];
    };
    let set = |v: &Value| -> BTreeSet<String> {
        v.as_array()
            .map(|a| a.iter().map(|x| x.as_str().unwrap().to_string()).collect())
            .unwrap_or_default()
    };
    let (hand, engine) = (set(&q["critical_claims"]), set(&entity["single_points"]));
    if hand != engine {
        return vec![format!(
            "critical claims of {target}: hand {hand:?}, engine {engine:?}"
        )];
    }
    Vec::new()
}

#[test]
fn every_hand_checked_answer_holds() {
    let files = question_files();
    assert!(files.len() >= 4, "{files:?}");
    let mut problems = Vec::new();
    let mut asked = 0;
    for file in &files {
        let text = std::fs::read_to_string(file).unwrap();
        let doc: Value = serde_json::from_str(&text).unwrap();
        let story = format!("graphs/{}", doc["story"].as_str().unwrap());
        for q in doc["questions"].as_array().unwrap() {
            let found = if q.get("reach").is_some() {
                check_reach(&story, q)
            } else if q.get("critical").is_some() {
                check_critical(&story, q)
            } else {
                vec!["neither reach nor critical".to_string()]
            };
            asked += 1;
            for f in found {
                problems.push(format!(
                    "{}: {}: {f}",
                    file.display(),
                    q["question"].as_str().unwrap_or("?")
                ));
            }
        }
    }
    assert!(asked >= 20, "{asked} questions");
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

/// Holdings, `after` and markers load, and the stories that use them are
/// canonical: `fmt` writes them back byte for byte, and loading warns about
/// no holding, marker or `after` (they are fields of format 1).
#[test]
fn the_stories_keep_holdings_after_and_markers() {
    for file in question_files() {
        let doc: Value = serde_json::from_str(&std::fs::read_to_string(&file).unwrap()).unwrap();
        let path = format!("graphs/{}", doc["story"].as_str().unwrap());
        let text = std::fs::read_to_string(&path).unwrap();
        let loaded = grapevine::load_str(&path, &text).unwrap();
        let story = &loaded.story;
        assert!(!story.holdings.is_empty(), "{path}: holdings");
        assert!(!story.markers.is_empty(), "{path}: markers");
        assert!(
            story.events.iter().any(|e| !e.after.is_empty()),
            "{path}: after"
        );
        assert_eq!(grapevine::to_json(story), text, "{path}");
        let rendered = loaded.report.render();
        for word in ["holdings", "markers", "after", "entity", "label", "message"] {
            assert!(
                !rendered.contains(&format!("unknown field \"{word}\"")),
                "{path}: a warning about {word}:\n{rendered}"
            );
        }
    }
}

/// A story of entities a, b, c, message m (from a), and these events and
/// holdings (JSON text of the arrays).
fn small(events: &str, holdings: &str) -> String {
    format!(
        r#"{{"format": "grapevine/1",
  "entities": [{{"id": "a", "name": "A"}}, {{"id": "b", "name": "B"}}, {{"id": "c", "name": "C"}}],
  "messages": [{{"id": "m", "origin": "a", "time": "2016-09-20"}}],
  "events": {events},
  "holdings": {holdings}
}}"#
    )
}

/// The errors of `after` and of holdings are located and name what they are
/// about; a holding reaches its entity in queries about its message only.
#[test]
fn after_and_holdings_errors_and_meaning() {
    let err = |text: &str| match grapevine::load_str("s.json", text) {
        Ok(_) => panic!("loads: {text}"),
        Err(report) => report.render(),
    };
    let e = err(&small(
        r#"[{"id": "x", "from": "a", "to": "b", "time": "2016-09-21", "after": ["nope"]}]"#,
        "[]",
    ));
    assert!(
        e.contains("unknown event \"nope\"") && e.contains("s.json:"),
        "{e}"
    );
    let e = err(&small(
        r#"[{"id": "x", "from": "a", "to": "b", "after": ["y"]}, {"id": "y", "from": "b", "to": "c", "after": ["x"]}]"#,
        "[]",
    ));
    assert!(
        e.contains("cycle") && e.contains("\"x\"") && e.contains("\"y\""),
        "{e}"
    );
    let e = err(&small(
        r#"[{"id": "x", "from": "a", "to": "b", "time": "2016-09-20", "after": ["y"]}, {"id": "y", "from": "b", "to": "c", "time": "2016-09-21"}]"#,
        "[]",
    ));
    assert!(
        e.contains("2016-09-20") && e.contains("2016-09-21") && e.contains("ends before"),
        "{e}"
    );
    for (holding, what) in [
        (
            r#"[{"id": "h", "entity": "zed", "message": "m"}]"#,
            "unknown entity \"zed\"",
        ),
        (
            r#"[{"id": "h", "entity": "b", "message": "mm"}]"#,
            "unknown message \"mm\"",
        ),
        (
            r#"[{"id": "h", "entity": "b", "message": "m", "time": "2016-13"}]"#,
            "2016-13",
        ),
        (
            r#"[{"id": "a", "entity": "b", "message": "m"}]"#,
            "duplicate id \"a\"",
        ),
    ] {
        let e = err(&small("[]", holding));
        assert!(e.contains(what) && e.contains("s.json:"), "{what}: {e}");
    }
    // A holding is a channel of the queries about its message, not of
    // contacts from an entity.
    let story = grapevine::load_str(
        "s.json",
        &small(
            r#"[{"id": "x", "from": "b", "to": "c", "time": "2016-09-25", "carries": ["m"]}]"#,
            r#"[{"id": "h", "entity": "b", "message": "m", "time": "2016-09-22", "certainty": "confirmed"}]"#,
        ),
    )
    .unwrap()
    .story;
    let a = grapevine::reach_story(&story, &grapevine::Query::message("m")).unwrap();
    let b = a.get("b").unwrap();
    assert_eq!(
        (b.via.as_deref(), b.previous.as_deref()),
        (Some("h"), Some("a"))
    );
    assert_eq!(b.evidence, grapevine::Certainty::Confirmed);
    assert_eq!(
        a.get("c").unwrap().path.as_deref(),
        Some(&["h".to_string(), "x".to_string()][..])
    );
    let from = grapevine::reach_story(&story, &grapevine::Query::from_entity("a")).unwrap();
    assert_eq!(from.reached.len(), 1, "no holding in a --from query");
}

/// `timeline` lists events with the same interval in `after` order (not by
/// id), uses the tightened intervals, and `check` says which `after`
/// tightened.
#[test]
fn timeline_and_check_follow_after() {
    let text = small(
        r#"[{"id": "a-reply", "from": "b", "to": "a", "time": "2016-09-20", "after": ["b-mail"]},
            {"id": "b-mail", "from": "a", "to": "b", "time": "2016-09-20"},
            {"id": "c-later", "from": "b", "to": "c", "after": ["a-reply"], "time": "2016"}]"#,
        "[]",
    );
    let story = grapevine::load_str("s.json", &text).unwrap().story;
    let catalog = grapevine::StoryCatalog::new(&story);
    let q = grapevine::analysis::timeline::TimelineQuery {
        entity: None,
        between: None,
        threshold: grapevine::Certainty::Unknown,
    };
    let t = grapevine::analysis::timeline::timeline(&catalog, &q).unwrap();
    let order: Vec<&str> = t.iter().map(|e| e.event.as_str()).collect();
    assert_eq!(order, ["b-mail", "a-reply", "c-later"]);
    assert_eq!(
        t[2].start.as_deref(),
        Some("2016-09-20T00:00:00Z"),
        "tightened"
    );
    assert_eq!(t[2].time.as_deref(), Some("2016"), "as written");
    let path = std::env::temp_dir().join(format!("after-{}.json", std::process::id()));
    std::fs::write(&path, &text).unwrap();
    let o = std::process::Command::new(env!("CARGO_BIN_EXE_grapevine"))
        .args(["check", path.to_str().unwrap()])
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&o.stderr);
    assert_eq!(o.status.code(), Some(0), "{err}");
    assert!(
        err.contains("\"after\" tightens the time of event \"c-later\" (2016)"),
        "{err}"
    );
    let _ = std::fs::remove_file(path);
}

/// `why-not`, `critical` and `path` answer about every entity of the
/// stories with holdings without failing, and a holding's hop is told as
/// "held it by DATE (how it got it is not recorded)", never as a hand-over
/// from the origin.
#[test]
fn holdings_in_why_not_critical_and_path() {
    for file in question_files() {
        let doc: Value = serde_json::from_str(&std::fs::read_to_string(&file).unwrap()).unwrap();
        let path = format!("graphs/{}", doc["story"].as_str().unwrap());
        let story = grapevine::load_path(path.as_ref()).unwrap().story;
        for h in &story.holdings {
            let m = h.message.as_str();
            let origin = story.messages.iter().find(|x| x.id == m).unwrap();
            let origin = origin.origin.as_deref().unwrap();
            let origin_name = &story.entities.iter().find(|e| e.id == origin).unwrap().name;
            let (code, answer, stderr) = grapevine(&["critical", &path, "--message", m, "--json"]);
            assert_eq!(code, Some(0), "{path} critical {m}: {stderr}");
            assert!(answer["entities"].is_array());
            for e in &story.entities {
                for cmd in ["why-not", "path"] {
                    let o = std::process::Command::new(env!("CARGO_BIN_EXE_grapevine"))
                        .args([cmd, &path, "--message", m, "--to", &e.id])
                        .output()
                        .unwrap();
                    let text = String::from_utf8_lossy(&o.stdout);
                    assert!(
                        matches!(o.status.code(), Some(0 | 1)),
                        "{path} {cmd} {m} {}: {}",
                        e.id,
                        String::from_utf8_lossy(&o.stderr)
                    );
                    if text.contains(&format!("({h_id}", h_id = h.id))
                        || text.contains(&format!(" {}", h.id))
                    {
                        let holder = &story
                            .entities
                            .iter()
                            .find(|x| x.id == h.entity)
                            .unwrap()
                            .name;
                        assert!(
                            text.contains(&format!("{holder} held it")),
                            "{path} {cmd} {}: {text}",
                            e.id
                        );
                        assert!(
                            !text.contains(&format!("{origin_name} → {holder}")),
                            "{path} {cmd} {}: {text}",
                            e.id
                        );
                    }
                }
            }
        }
    }
}

/// What readers are told, on every story: the alt text and the embed's
/// finding and table name no internal id (of an event, a holding or a
/// message); a date in the table's "Had it by" is plain only where the same
/// question at `confirmed` is definite by then (else it is a condition).
#[test]
fn reader_words_hold_on_every_story() {
    use grapevine::render::{alt_text, Focus};
    use grapevine::{Query, StoryCatalog};
    let dir = tempfile::tempdir().unwrap();
    for (file, s) in crate::browser_stories::stories() {
        let m = crate::browser_stories::traced(&s);
        let c = StoryCatalog::new(&s);
        let alt = alt_text(&s, &Focus::reach(&c, &Query::message(&m)).unwrap());
        let out = dir.path().join(format!("{file}.html"));
        let path = format!("graphs/{file}");
        let o = std::process::Command::new(env!("CARGO_BIN_EXE_grapevine"))
            .args(["render", &path, "--message", &m, "-q", "-o"])
            .arg(&out)
            .output()
            .unwrap();
        assert!(o.status.success());
        let page = std::fs::read_to_string(&out).unwrap();
        let shown = page.split("<script").next().unwrap();
        let finding = shown
            .split("gv-finding\">")
            .nth(1)
            .unwrap()
            .split("</p>")
            .next()
            .unwrap();
        let caption = shown
            .split("<caption>")
            .nth(1)
            .unwrap()
            .split("</caption>")
            .next()
            .unwrap();
        // Ids a reader could take for words are skipped: only those with a
        // dash or a digit are looked for.
        let ids = s
            .events
            .iter()
            .map(|e| &e.id)
            .chain(s.holdings.iter().map(|h| &h.id))
            .chain(s.messages.iter().map(|m| &m.id))
            .filter(|id| id.contains('-') || id.chars().any(|c| c.is_ascii_digit()));
        for id in ids {
            for (what, text) in [
                ("alt text", alt.as_str()),
                ("finding", finding),
                ("caption", caption),
            ] {
                assert!(
                    !text.contains(id.as_str()),
                    "{file}: the {what} names id {id}: {text}"
                );
            }
        }
        // "Had it by": plain only when surely (confirmed) by then.
        let (_, confirmed, _) = grapevine(&[
            "reach",
            &path,
            "--message",
            &m,
            "--threshold",
            "confirmed",
            "--json",
        ]);
        for row in shown.split("<tr data-entity=\"").skip(1) {
            let id = row.split('"').next().unwrap();
            let by = row
                .split("data-label=\"Had it by\">")
                .nth(1)
                .unwrap()
                .split("</td>")
                .next()
                .unwrap();
            let sure = confirmed["reached"]
                .as_array()
                .unwrap()
                .iter()
                .any(|r| r["entity"] == id && r["timing"] == "definite");
            let plain =
                !by.contains(", if the ") && !by.starts_with("not sure") && by != "date unknown";
            assert!(
                !plain || sure,
                "{file}: {id} is said to have had it by {by} without a confirmed chain"
            );
        }
    }
}

/// `timeline` lists the holdings among the contacts, in time order, as
/// "held ... (how it got it is not recorded)", and `--entity` keeps only
/// that entity's.
#[test]
fn timeline_lists_the_holdings() {
    let run = |args: &[&str]| {
        let o = std::process::Command::new(env!("CARGO_BIN_EXE_grapevine"))
            .args(args)
            .output()
            .unwrap();
        assert!(o.status.success());
        String::from_utf8(o.stdout).unwrap()
    };
    let all = run(&["timeline", "graphs/panama-papers.json"]);
    let held: Vec<&str> = all.lines().filter(|l| l.contains(" holding ")).collect();
    assert_eq!(held.len(), 3, "{all}");
    assert!(held[1].contains("Süddeutsche Zeitung held “The Mossack Fonseca files (the Panama Papers)” (how it got it is not recorded)"), "{all}");
    // In time order: the SZ's holding before the SZ's coordinated marker's row ends the day.
    let at = |needle: &str| all.find(needle).unwrap();
    assert!(at("Jóhannes Kr. Kristjánsson held") < at("Süddeutsche Zeitung held"));
    let sz = run(&["timeline", "graphs/panama-papers.json", "--entity", "sz"]);
    assert_eq!(sz.matches(" holding ").count(), 1, "{sz}");
}

/// A date is never written finer than the story's dates: a chain through a
/// contact with an open start ("../1971-06-12") once printed "1 Mar 1971
/// 00:00:00" for a month.
#[test]
fn dates_are_never_finer_than_the_story() {
    let seconds = |t: &str| {
        t.as_bytes().windows(6).any(|w| {
            w[0] == b':' && w[3] == b':' && [1, 2, 4, 5].iter().all(|&i| w[i].is_ascii_digit())
        })
    };
    for (file, s) in crate::browser_stories::stories() {
        let path = format!("graphs/{file}");
        if seconds(&std::fs::read_to_string(&path).unwrap()) {
            continue;
        }
        let m = crate::browser_stories::traced(&s);
        for args in [vec!["--message", m.as_str()], vec![]] {
            let o = std::process::Command::new(env!("CARGO_BIN_EXE_grapevine"))
                .args(["reach", path.as_str()])
                .args(&args)
                .output()
                .unwrap();
            let out = String::from_utf8_lossy(&o.stdout);
            assert!(
                !seconds(&out),
                "{file} {args:?}: a date at seconds in\n{out}"
            );
        }
    }
}
