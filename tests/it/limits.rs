//! Hostile and oversized pictures: refused before layout with the way out,
//! or bounded (labels, PNG size).

use std::io::Write;

fn grapevine(args: &[&str]) -> std::process::Output {
    std::process::Command::new(env!("CARGO_BIN_EXE_grapevine"))
        .args(args)
        .output()
        .expect("grapevine runs")
}

fn csv_file(text: &str) -> tempfile::NamedTempFile {
    let mut f = tempfile::Builder::new().suffix(".csv").tempfile().unwrap();
    f.write_all(text.as_bytes()).unwrap();
    f
}

#[test]
fn a_large_picture_is_refused_before_layout() {
    // 100 people, 1,000 contacts: layout took 371 s before this limit.
    let mut text = String::from("from,to,time\n");
    let mut x: u64 = 7;
    let mut next = || {
        x = x
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        (x >> 33) % 100
    };
    for i in 0..1000 {
        let (a, b) = (next(), next());
        let b = if a == b { (b + 1) % 100 } else { b };
        text.push_str(&format!("p{a},p{b},{}\n", 1_000_000 + i * 3600));
    }
    let f = csv_file(&text);
    let dir = tempfile::tempdir().unwrap();
    let svg = dir.path().join("big.svg");
    let started = std::time::Instant::now();
    let out = grapevine(&[
        "render",
        f.path().to_str().unwrap(),
        "-o",
        svg.to_str().unwrap(),
    ]);
    assert!(started.elapsed().as_secs() < 60, "refused quickly");
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("100 people") && err.contains(" contacts (at most"),
        "{err}"
    );
    assert!(err.contains("--around") && err.contains("--reach"), "{err}");
    assert!(!svg.exists(), "nothing written");
    // DOT needs no layout: written as asked.
    let dot = dir.path().join("big.dot");
    let out = grapevine(&[
        "render",
        f.path().to_str().unwrap(),
        "-o",
        dot.to_str().unwrap(),
    ]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    // A focus makes it legible.
    let out = grapevine(&[
        "render",
        f.path().to_str().unwrap(),
        "--around",
        "p1",
        "--format",
        "svg",
    ]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

#[cfg(feature = "png")]
#[test]
fn a_huge_name_gives_a_bounded_picture() {
    // A 16 KB name without spaces made a 409,443-pixel-wide PNG.
    let name = "x".repeat(16 * 1024);
    let f = csv_file(&format!("from,to,time\n{name},b,1000000\n"));
    let out = grapevine(&["render", f.path().to_str().unwrap(), "--format", "png"]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let png = &out.stdout;
    assert_eq!(&png[1..4], b"PNG");
    let width = u32::from_be_bytes([png[16], png[17], png[18], png[19]]);
    let height = u32::from_be_bytes([png[20], png[21], png[22], png[23]]);
    assert!(width <= 8_000 && (width as u64) * (height as u64) <= 40_000_000);
    // The label is cut, the full name kept in the tooltip.
    let out = grapevine(&["render", f.path().to_str().unwrap()]);
    let dot = String::from_utf8_lossy(&out.stdout);
    let label_line = dot
        .lines()
        .find(|l| l.contains("label=\"xxxx"))
        .expect("the node");
    let label = label_line
        .split("label=\"")
        .nth(1)
        .unwrap()
        .split('"')
        .next()
        .unwrap();
    assert!(label.len() < 200, "{} bytes", label.len());
    assert!(label.contains('…'));
    assert!(dot.contains(&name), "the tooltip keeps the whole name");
    // --width is checked.
    let out = grapevine(&[
        "render",
        f.path().to_str().unwrap(),
        "--format",
        "png",
        "--width",
        "100000",
    ]);
    assert_eq!(out.status.code(), Some(2));
}

#[test]
fn a_meeting_of_a_hundred_thousand_costs_linear_memory() {
    use grapevine::internals::model::{Entity, Event, Parties};
    // Every ordered pair would be 10^10 channels; through a hub, 2 × 10^5.
    let n = 100_000;
    let entities: Vec<Entity> = (0..n)
        .map(|i| Entity {
            id: format!("p{i}"),
            name: format!("P{i}"),
            ..Entity::default()
        })
        .collect();
    let tz = jiff::tz::TimeZone::UTC;
    let events = vec![
        Event {
            id: "tip".into(),
            parties: Parties::Directed {
                from: "source".into(),
                to: vec!["p7".into()],
                to_is_array: false,
            },
            time: Some(grapevine::TimeExpr::parse("2016-09-20", &tz).unwrap()),
            ..Event::default()
        },
        Event {
            id: "rally".into(),
            parties: Parties::Mutual {
                participants: entities.iter().map(|e| e.id.clone()).collect(),
            },
            time: Some(grapevine::TimeExpr::parse("2016-09-21T18:00Z", &tz).unwrap()),
            ..Event::default()
        },
    ];
    let mut all = entities;
    all.push(Entity {
        id: "source".into(),
        name: "Source".into(),
        ..Entity::default()
    });
    let story = grapevine::Story {
        entities: all,
        events,
        ..grapevine::Story::default()
    };
    let catalog = grapevine::StoryCatalog::new(&story);
    assert!(grapevine::Catalog::channels(&catalog).len() <= 2 * n + 1);
    let q = grapevine::Query::from_entity("source");
    let (index, rq) = q.compile(&catalog).unwrap();
    let answer = grapevine::reach(&index, &rq);
    assert_eq!(answer.reached.len(), n + 1);
    let p9 = answer.get("p9").unwrap();
    assert_eq!(
        p9.path.as_deref(),
        Some(&["tip".to_string(), "rally".to_string()][..])
    );
    assert_eq!(p9.previous.as_deref(), Some("p7"));
    assert!(answer.not_reached.is_empty());
}

#[cfg(unix)]
#[test]
fn outputs_get_the_usual_mode() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("story.dot");
    let run = grapevine(&[
        "render",
        "graphs/trump-jr-wikileaks.json",
        "-o",
        out.to_str().unwrap(),
    ]);
    assert!(run.status.success());
    let mode = |p: &std::path::Path| std::fs::metadata(p).unwrap().permissions().mode() & 0o777;
    assert_eq!(mode(&out), 0o644, "a new file: as `>` would make it");
    std::fs::set_permissions(&out, std::fs::Permissions::from_mode(0o640)).unwrap();
    let run = grapevine(&[
        "render",
        "graphs/trump-jr-wikileaks.json",
        "-o",
        out.to_str().unwrap(),
    ]);
    assert!(run.status.success());
    assert_eq!(mode(&out), 0o640, "an existing file keeps its mode");
}

/// `render --until`: the picture of who could have seen it by election day.
#[test]
fn render_until_election_day() {
    let out = grapevine(&[
        "render",
        "graphs/trump-jr-wikileaks.json",
        "--reach",
        "pac-tip",
        "--until",
        "2016-11-08",
    ]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let dot = String::from_utf8_lossy(&out.stdout);
    assert!(dot.contains("by 8 Nov 2016: 9 of 27 reached"), "{dot}");
    assert!(
        !dot.contains("label=\"The Atlantic"),
        "published in 2017: not drawn"
    );
    let out = grapevine(&[
        "render",
        "graphs/trump-jr-wikileaks.json",
        "--until",
        "2016-11-08",
    ]);
    assert_eq!(out.status.code(), Some(2));
}

/// `/dev/zero` under any name and on standard input: a clear error at once,
/// never a hang (the kind of input is told from its first bytes).
#[cfg(unix)]
#[test]
fn dev_zero_under_any_name_stops_at_once() {
    let dir = tempfile::tempdir().unwrap();
    let link = dir.path().join("contacts");
    std::os::unix::fs::symlink("/dev/zero", &link).unwrap();
    let started = std::time::Instant::now();
    let out = grapevine(&["check", link.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("NUL byte"));
    let stdin = std::fs::File::open("/dev/zero").unwrap();
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_grapevine"))
        .args(["check", "-"])
        .stdin(stdin)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(started.elapsed().as_secs() < 30);
}

/// No output overwrites an input, also through a link; `-` reads a story or a
/// CSV from standard input, told apart by content.
#[cfg(unix)]
#[test]
fn outputs_never_overwrite_inputs_and_stdin_is_read() {
    use std::io::Write as _;
    let dir = tempfile::tempdir().unwrap();
    let story = dir.path().join("s.json");
    std::fs::copy("graphs/trump-jr-wikileaks.json", &story).unwrap();
    let before = std::fs::read(&story).unwrap();
    let link = dir.path().join("link.svg");
    std::os::unix::fs::symlink(&story, &link).unwrap();
    for out in [&story, &link] {
        let run = grapevine(&[
            "render",
            story.to_str().unwrap(),
            "--format",
            "dot",
            "-o",
            out.to_str().unwrap(),
        ]);
        assert_eq!(
            run.status.code(),
            Some(2),
            "{}",
            String::from_utf8_lossy(&run.stderr)
        );
        assert!(String::from_utf8_lossy(&run.stderr).contains("is the input"));
    }
    let csv = dir.path().join("c.csv");
    std::fs::write(&csv, "from,to,time\na,b,100000\n").unwrap();
    let run = grapevine(&["import", csv.to_str().unwrap(), "-o", csv.to_str().unwrap()]);
    assert_eq!(run.status.code(), Some(2));
    assert_eq!(
        std::fs::read_to_string(&csv).unwrap(),
        "from,to,time\na,b,100000\n"
    );
    assert_eq!(
        std::fs::read(&story).unwrap(),
        before,
        "the input is untouched"
    );
    // Standard input: a story, then a CSV.
    for (text, want) in [
        (before.clone(), "pac-tip"),
        (b"from,to,time\nalice,bob,1474365600\n".to_vec(), "bob"),
    ] {
        let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_grapevine"))
            .args([
                "reach",
                "-",
                "--from",
                if want == "bob" { "alice" } else { "wikileaks" },
                "--json",
            ])
            .stdin(std::process::Stdio::piped())
            .stdout(std::process::Stdio::piped())
            .spawn()
            .unwrap();
        child.stdin.take().unwrap().write_all(&text).unwrap();
        let out = child.wait_with_output().unwrap();
        assert!(out.status.success());
        let json = String::from_utf8_lossy(&out.stdout);
        assert!(
            json.contains(if want == "bob" { "\"bob\"" } else { "trump-jr" }),
            "{json}"
        );
    }
}

#[test]
fn a_dot_that_writes_forever_is_stopped_at_the_output_cap() {
    use std::os::unix::fs::PermissionsExt;
    // A `dot` on PATH that never ends held 2 GB before it was killed.
    let dir = tempfile::tempdir().unwrap();
    let fake = dir.path().join("dot");
    std::fs::write(&fake, "#!/bin/sh\nexec yes\n").unwrap();
    std::fs::set_permissions(&fake, std::fs::Permissions::from_mode(0o755)).unwrap();
    let path = format!("{}:/usr/bin:/bin", dir.path().display());
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_grapevine"))
        .args([
            "render",
            "graphs/trump-jr-wikileaks.json",
            "--format",
            "svg",
            "--engine",
            "system",
            "--timeout",
            "600",
        ])
        .env("PATH", &path)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("Graphviz `dot` wrote more than 256 MiB and was stopped"),
        "{err}"
    );
    assert_eq!(grapevine::render::MAX_DOT_OUTPUT, 256 << 20);
    // One that writes its standard error forever is drained and stopped
    // at the time limit.
    std::fs::write(&fake, "#!/bin/sh\nexec yes >&2\n").unwrap();
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_grapevine"))
        .args([
            "render",
            "graphs/trump-jr-wikileaks.json",
            "--format",
            "svg",
            "--engine",
            "system",
            "--timeout",
            "1",
        ])
        .env("PATH", &path)
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("took longer than 1 s"), "{err}");
}

#[test]
fn a_huge_unknown_name_is_searched_within_a_budget() {
    use grapevine::internals::catalog::{fold, nearest, MAX_SUGGEST_CHARS, SUGGEST_BUDGET};
    use grapevine::internals::io::csv::{Corpus, CsvOptions};
    // A 100 KB --from against 100,000 entities searched for over 30 s.
    let mut text = String::from("from,to,time\n");
    for i in 0..50_000 {
        text.push_str(&format!("person{i},other{i},2016\n"));
    }
    let corpus = Corpus::parse("big.csv", text.as_bytes(), &CsvOptions::default()).unwrap();
    let huge = "x".repeat(100_000);
    let (found, work) = nearest(&corpus, &fold(&huge));
    assert!(
        work <= SUGGEST_BUDGET + 3 * MAX_SUGGEST_CHARS * MAX_SUGGEST_CHARS,
        "{work}"
    );
    assert!(found.len() <= 3);
    // A name as a person types it still gets suggestions.
    let (found, work) = nearest(&corpus, &fold("person12"));
    assert_eq!(found.len(), 3, "{work}");
    // On the command line: an answer, with the suggestions.
    let f = csv_file(&text);
    let out = grapevine(&["reach", f.path().to_str().unwrap(), "--from", &huge[..]]);
    assert_eq!(
        out.status.code(),
        Some(2),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let out = grapevine(&["reach", f.path().to_str().unwrap(), "--from", "persn12"]);
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("person12"), "{err}");
}

#[test]
fn betweenness_and_closeness_refuse_at_once_past_their_work_limit() {
    use grapevine::analysis::rank::MAX_CENTRALITY_WORK;
    // One meeting of 2,000 people (70 KB): closeness ran 200 s of CPU.
    let people: Vec<String> = (0..2000).map(|i| format!("\"p{i}\"")).collect();
    let entities: Vec<String> = (0..2000)
        .map(|i| format!("{{\"id\": \"p{i}\", \"name\": \"P{i}\"}}"))
        .collect();
    let story = format!(
        "{{\"format\": \"grapevine/1\", \"entities\": [{}], \"events\": [{{\"id\": \"m\", \"participants\": [{}], \"time\": \"2016-09-20\"}}]}}",
        entities.join(", "),
        people.join(", ")
    );
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("meeting.json");
    std::fs::write(&path, story).unwrap();
    for by in ["closeness", "betweenness"] {
        let out = grapevine(&["rank", path.to_str().unwrap(), "--by", by]);
        assert_eq!(out.status.code(), Some(2), "{by}");
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(
            err.contains("4002000000 steps (entities × (entities + links)), more than 1000000000")
                && err.contains("--threshold")
                && err.contains("--by degree"),
            "{err}"
        );
    }
    assert_eq!(MAX_CENTRALITY_WORK, 1_000_000_000);
    // Degree answers.
    let out = grapevine(&[
        "rank",
        path.to_str().unwrap(),
        "--by",
        "degree",
        "--top",
        "1",
    ]);
    assert_eq!(out.status.code(), Some(0));
    // 100,000 entities in pairs: 100,000 × 150,000 steps, refused.
    let mut text = String::from("from,to,time\n");
    for i in 0..50_000 {
        text.push_str(&format!("a{i},b{i},2016\n"));
    }
    let f = csv_file(&text);
    let out = grapevine(&["rank", f.path().to_str().unwrap(), "--by", "betweenness"]);
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("15000000000 steps"), "{err}");
    assert!(!err.contains("tens of minutes"), "{err}");
}

/// `layers` dated layers of `width` people, everyone of a layer writing to
/// everyone of the next on its day.
fn dated_layers(layers: usize, width: usize) -> String {
    let mut text = String::from("from,to,time\n");
    for l in 0..layers - 1 {
        for a in 0..width {
            for b in 0..width {
                text.push_str(&format!(
                    "p{l}_{a},p{}_{b},2016-{:02}-{:02}\n",
                    l + 1,
                    l / 28 + 1,
                    l % 28 + 1
                ));
            }
        }
    }
    text
}

#[test]
fn critical_shares_a_work_limit_among_the_entities() {
    use grapevine::analysis::critical::{critical, CriticalQuery, MIN_SEARCH_RUNS};
    use grapevine::internals::io::csv::{Corpus, CsvOptions};
    use grapevine::{Error, Query, QueryError};
    // 40 dated layers of 10 people ran for 50 minutes (20,000 engine runs
    // for each of 400 entities); here 10 layers of 5.
    let text = dated_layers(10, 5);
    let corpus = Corpus::parse("l.csv", text.as_bytes(), &CsvOptions::default()).unwrap();
    let query = Query::from_entity("p0_0");
    let channels = 9 * 25 + 1;
    let targets = 9 * 5;
    let max_work = (targets * channels * 150) as u64;
    let cq = CriticalQuery {
        max_work,
        ..CriticalQuery::default()
    };
    let answer = critical(&corpus, &query, &cq).unwrap();
    assert_eq!(answer.entities.len(), targets);
    assert!(
        answer.work <= max_work + (targets * channels) as u64,
        "{} steps",
        answer.work
    );
    // Too little for each entity's least share: refused before any search.
    let cq = CriticalQuery {
        max_work: (targets * channels) as u64 * MIN_SEARCH_RUNS - 1,
        ..CriticalQuery::default()
    };
    match critical(&corpus, &query, &cq) {
        Err(Error::Query(QueryError::Limit { limit, found, .. })) => {
            assert_eq!(limit, cq.max_work);
            assert_eq!(found, (targets * channels) as u64 * MIN_SEARCH_RUNS);
        }
        other => panic!("not refused: {:?}", other.map(|a| a.work)),
    }
}

#[test]
fn critical_without_to_refuses_at_once_naming_to_and_threshold() {
    // 60 dated layers of 10: 590 entities × 5,901 channels × 100 runs.
    let f = csv_file(&dated_layers(60, 10));
    let out = grapevine(&["critical", f.path().to_str().unwrap(), "--from", "p0_0"]);
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("critical needs more than 300000000 steps")
            && err.contains("--to")
            && err.contains("--threshold"),
        "{err}"
    );
    // One entity answers.
    let out = grapevine(&[
        "critical",
        f.path().to_str().unwrap(),
        "--from",
        "p0_0",
        "--to",
        "p1_3",
    ]);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}
