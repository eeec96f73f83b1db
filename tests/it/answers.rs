//! Answers stay linear in the input: long chains, `--no-paths`, and the
//! refusal of answers whose paths would grow with the square of the input.

use std::io::Write;

fn grapevine(args: &[&str]) -> std::process::Output {
    std::process::Command::new(env!("CARGO_BIN_EXE_grapevine"))
        .args(args)
        .output()
        .expect("grapevine runs")
}

/// A CSV chain `p0 → p1 → … → pn`, one row a second.
fn chain_csv(n: usize) -> tempfile::NamedTempFile {
    let mut f = tempfile::Builder::new().suffix(".csv").tempfile().unwrap();
    let mut text = String::from("from,to,time\n");
    for i in 0..n {
        text.push_str(&format!("p{i},p{},{}\n", i + 1, 1_000_000 + i));
    }
    f.write_all(text.as_bytes()).unwrap();
    f
}

#[test]
fn a_long_chain_needs_no_paths_and_stays_linear() {
    let n = 20_000;
    let f = chain_csv(n);
    let path = f.path().to_str().unwrap();
    // With paths: 20,000 rows would hold 2 × 10^8 event ids; refused before
    // anything is written, with the way out.
    let out = grapevine(&["reach", path, "--from", "p0", "--json", "--quiet"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(out.stdout.is_empty(), "nothing written");
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("--no-paths"), "{err}");
    // Without: linear, and `previous` rebuilds every chain.
    let out = grapevine(&[
        "reach",
        path,
        "--from",
        "p0",
        "--json",
        "--quiet",
        "--no-paths",
    ]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(
        out.stdout.len() < (n + 1) * 400,
        "{} bytes",
        out.stdout.len()
    );
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let reached = v["reached"].as_array().unwrap();
    assert_eq!(reached.len(), n + 1);
    assert!(reached.iter().all(|r| r.get("path").is_none()));
    let previous: std::collections::HashMap<&str, &str> = reached
        .iter()
        .filter_map(|r| Some((r["entity"].as_str()?, r["previous"].as_str()?)))
        .collect();
    let mut at = format!("p{n}");
    let mut hops = 0;
    while let Some(p) = previous.get(at.as_str()) {
        at = p.to_string();
        hops += 1;
    }
    assert_eq!((at.as_str(), hops), ("p0", n));
}

#[test]
fn the_streamed_answer_is_the_answer() {
    // The command line streams `reach --json`; the library's answer
    // serialises to the same JSON.
    let story = "graphs/trump-jr-wikileaks.json";
    for args in [
        vec!["--message", "pac-tip"],
        vec![
            "--from",
            "wikileaks",
            "--since",
            "2016-09-20",
            "--until",
            "2016-11-08",
        ],
        vec![
            "--from",
            "trump-jr",
            "--no-paths",
            "--threshold",
            "reported",
        ],
    ] {
        let mut all = vec!["reach", story, "--json"];
        all.extend(&args);
        let out = grapevine(&all);
        assert!(out.status.success());
        let cli: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
        let loaded = grapevine::load_path(story.as_ref()).unwrap();
        let catalog = grapevine::StoryCatalog::new(&loaded.story);
        let mut q = match args[0] {
            "--message" => grapevine::Query::message(args[1]),
            _ => grapevine::Query::from_entity(args[1]),
        };
        for w in args.windows(2) {
            match w[0] {
                "--since" => q.since = Some(w[1].into()),
                "--until" => q.until = Some(w[1].into()),
                "--threshold" => q.threshold = w[1].parse().unwrap(),
                _ => {}
            }
        }
        q.paths = !args.contains(&"--no-paths");
        let (index, rq) = q.compile(&catalog).unwrap();
        let lib = serde_json::to_value(grapevine::reach(&index, &rq)).unwrap();
        assert_eq!(cli, lib, "{args:?}");
    }
}
