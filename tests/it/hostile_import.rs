//! Hostile input to `import --from ftm` and `--from gexf`: the same rules as
//! the story file (bounded size and lines, linear work, located errors,
//! nothing lost without a word).

use std::io::Write;
use std::process::{Command, Stdio};

fn grapevine(args: &[&str]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_grapevine"))
        .args(args)
        .output()
        .expect("grapevine runs")
}

/// `grapevine ARGS` with `input` written to its standard input forever
/// (until it stops reading).
fn endless_stdin(args: &[&str], input: &'static [u8]) -> std::process::Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_grapevine"))
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("grapevine runs");
    let mut stdin = child.stdin.take().unwrap();
    let writer = std::thread::spawn(move || {
        let block: Vec<u8> = input.iter().copied().cycle().take(1 << 16).collect();
        // 3 GiB at most: the reader must stop long before.
        for _ in 0..(3usize << 14) {
            if stdin.write_all(&block).is_err() {
                return true;
            }
        }
        false
    });
    let out = child.wait_with_output().unwrap();
    assert!(writer.join().unwrap(), "grapevine stopped reading");
    out
}

fn file(suffix: &str, text: &str) -> tempfile::NamedTempFile {
    let mut f = tempfile::Builder::new().suffix(suffix).tempfile().unwrap();
    f.write_all(text.as_bytes()).unwrap();
    f
}

fn stderr(out: &std::process::Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

#[test]
fn dev_zero_is_refused_at_once_as_ftm_and_gexf() {
    for from in ["ftm", "gexf"] {
        let out = grapevine(&["import", "/dev/zero", "--from", from]);
        assert_ne!(out.status.code(), Some(0));
        let err = stderr(&out);
        assert!(err.contains("a NUL byte"), "{err}");
        assert!(err.contains("/dev/zero:1:1"), "{err}");
    }
}

#[test]
fn endless_yes_on_stdin_is_refused_after_its_first_lines() {
    let out = endless_stdin(&["import", "-", "--from", "ftm"], b"y\n");
    assert_ne!(out.status.code(), Some(0));
    let err = stderr(&out);
    assert!(
        err.contains("reading stopped after 20 lines that are not JSON objects"),
        "{err}"
    );
    assert!(err.contains("<stdin>:21:1"), "{err}");
    let out = endless_stdin(&["import", "-", "--from", "gexf"], b"y\n");
    let err = stderr(&out);
    assert!(err.contains("this is not XML"), "{err}");
}

#[test]
fn an_endless_ftm_line_is_refused_at_the_line_limit() {
    let out = endless_stdin(&["import", "-", "--from", "ftm"], b"{\"id\": \"aaaaaaaa");
    assert_ne!(out.status.code(), Some(0));
    let err = stderr(&out);
    assert!(
        err.contains(
            "the line is longer than 67,108,864 bytes (64 MiB), the most an FtM entity may hold"
        ),
        "{err}"
    );
    assert_eq!(grapevine::internals::io::MAX_FTM_LINE_BYTES, 64 << 20);
}

fn ftm_with_properties(n: usize) -> String {
    let props: Vec<String> = (0..n).map(|i| format!("\"p{i}\": [\"v\"]")).collect();
    format!(
        "{{\"id\": \"a\", \"schema\": \"Person\", \"properties\": {{\"name\": [\"A\"], {}}}}}\n",
        props.join(", ")
    )
}

fn gexf_node(inside: &str, attributes: &str) -> String {
    format!(
        "<?xml version=\"1.0\"?>\n<gexf xmlns=\"http://gexf.net/1.3\" version=\"1.3\">\n<graph>\n<nodes>\n<node id=\"n\" label=\"N\"{attributes}>{inside}</node>\n</nodes>\n<edges/>\n</graph>\n</gexf>\n"
    )
}

#[test]
fn an_ftm_entity_with_too_many_properties_is_refused_at_once() {
    // 150,000 properties (3.3 MB) took over 25 s: one warning per property,
    // each rendering the whole line.
    let f = file(".ftm", &ftm_with_properties(150_000));
    let out = grapevine(&["import", f.path().to_str().unwrap(), "--from", "ftm"]);
    assert_ne!(out.status.code(), Some(0));
    let err = stderr(&out);
    assert!(
        err.contains("has 150,001 properties; grapevine reads at most 1,000"),
        "{err}"
    );
    // At the limit: imported, the kept properties listed 20 at most.
    let f = file(".ftm", &ftm_with_properties(999));
    let out = grapevine(&["import", f.path().to_str().unwrap(), "--from", "ftm"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let err = stderr(&out);
    assert_eq!(err.matches("warning:").count(), 21, "{err}");
    assert!(
        err.contains("and 979 more properties with no grapevine field, kept as x-ftm- fields"),
        "{err}"
    );
    let story = String::from_utf8(out.stdout).unwrap();
    assert!(story.contains("\"x-ftm-p998\""));
}

#[test]
fn gexf_elements_with_too_many_attributes_are_refused_at_once() {
    // 200,000 XML attributes on one element: the XML parser's duplicate
    // check is quadratic; refused before it runs.
    let atts: String = (0..200_000).map(|i| format!(" a{i}=\"v\"")).collect();
    let f = file(".gexf", &gexf_node("", &atts));
    let out = grapevine(&["import", f.path().to_str().unwrap(), "--from", "gexf"]);
    let err = stderr(&out);
    assert!(
        err.contains("an element with 200,002 XML attributes; grapevine reads at most 1,000"),
        "{err}"
    );
    assert!(err.contains(":5:1"), "{err}");
    // 20,000 attribute values on one node.
    let values: String = (0..20_000)
        .map(|i| format!("<attvalue for=\"a{i}\" value=\"v\"/>"))
        .collect();
    let f = file(
        ".gexf",
        &gexf_node(&format!("<attvalues>{values}</attvalues>"), ""),
    );
    let out = grapevine(&["import", f.path().to_str().unwrap(), "--from", "gexf"]);
    let err = stderr(&out);
    assert!(
        err.contains("this node has 20,000 attribute values; grapevine reads at most 1,000"),
        "{err}"
    );
    // 999 values: imported, the kept attributes listed 20 at most.
    let values: String = (0..999)
        .map(|i| format!("<attvalue for=\"a{i}\" value=\"v\"/>"))
        .collect();
    let f = file(
        ".gexf",
        &gexf_node(&format!("<attvalues>{values}</attvalues>"), ""),
    );
    let out = grapevine(&["import", f.path().to_str().unwrap(), "--from", "gexf"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let err = stderr(&out);
    assert_eq!(err.matches("warning:").count(), 21, "{err}");
}

#[test]
fn csv_ids_that_collide_with_imported_ids_fail_check_and_import() {
    // An entity named like the id `import` gives a row (line-N), a message
    // named like an event: `check` passed, `import` wrote a story that did
    // not load.
    for (text, message) in [
        (
            "from,to,time\nline-2,b,2016\nb,c,2017\n",
            "line 2: the event id \"line-2\" is also the id of a sender or receiver",
        ),
        (
            "id,from,to,time,carries\nm,a,b,2016,m\n,b,c,2017,\n",
            "line 2: the event id \"m\" is also the id of a carried message",
        ),
        (
            "from,to,time,carries\na,b,2016,b\n",
            "line 2: the carried message \"b\" is also the id of a sender or receiver",
        ),
    ] {
        let f = file(".csv", text);
        let out = grapevine(&["check", f.path().to_str().unwrap()]);
        assert_eq!(out.status.code(), Some(2), "{text}");
        assert!(stderr(&out).contains(message), "{}", stderr(&out));
        let dir = tempfile::tempdir().unwrap();
        let story = dir.path().join("s.json");
        let out = grapevine(&[
            "import",
            f.path().to_str().unwrap(),
            "-o",
            story.to_str().unwrap(),
        ]);
        assert_eq!(out.status.code(), Some(2), "{text}");
        assert!(stderr(&out).contains(message), "{}", stderr(&out));
        assert!(!story.exists(), "nothing written");
    }
}

#[test]
fn errors_of_the_converted_story_are_located_in_the_input() {
    // They pointed into the converted story: `bad.ftm (as a story):24:13`
    // for a 4-line file.
    let ftm = "{\"id\": \"a\", \"schema\": \"Person\", \"properties\": {\"name\": [\"A\"]}}\n\
        {\"id\": \"b\", \"schema\": \"Person\", \"properties\": {\"name\": [\"B\"]}}\n\
        {\"id\": \"e1\", \"schema\": \"Email\", \"properties\": {\"sender\": [\"a\"], \"recipients\": [\"b\"], \"date\": [\"2016-09-20\"]}}\n\
        \n  {\"id\": \"\", \"schema\": \"Email\", \"properties\": {\"sender\": [\"b\"], \"recipients\": [\"a\"], \"date\": [\"2016-09-20\"]}}\n";
    let f = file(".ftm", ftm);
    let out = grapevine(&["import", f.path().to_str().unwrap(), "--from", "ftm"]);
    assert_eq!(out.status.code(), Some(2));
    let err = stderr(&out);
    assert!(!err.contains("(as a story)"), "{err}");
    let at = format!("{}:5:3", f.path().display());
    assert!(
        err.contains(&at) && err.contains("the id \"\" is empty"),
        "{err}"
    );
    let gexf = "<?xml version=\"1.0\"?>\n<gexf xmlns=\"http://gexf.net/1.3\" version=\"1.3\">\n<graph defaultedgetype=\"directed\">\n<nodes>\n<node id=\" a\" label=\"A\"/>\n<node id=\"b\" label=\"B\"/>\n</nodes>\n<edges>\n  <edge id=\"0\" source=\" a\" target=\"b\"/>\n</edges>\n</graph>\n</gexf>\n";
    let f = file(".gexf", gexf);
    let out = grapevine(&["import", f.path().to_str().unwrap(), "--from", "gexf"]);
    let err = stderr(&out);
    assert!(!err.contains("(as a story)"), "{err}");
    for at in [":5:1", ":9:3"] {
        let at = format!("{}{at}", f.path().display());
        assert!(err.contains(&at), "{at}: {err}");
    }
}

fn gexf_edges(edges: &str) -> String {
    format!(
        "<?xml version=\"1.0\"?>\n<gexf xmlns=\"http://gexf.net/1.3\" version=\"1.3\">\n<graph defaultedgetype=\"directed\">\n<nodes>\n<node id=\"a\" label=\"A\"/>\n<node id=\"b\" label=\"B\"/>\n</nodes>\n<edges>\n{edges}</edges>\n</graph>\n</gexf>\n"
    )
}

#[test]
fn gexf_dates_are_never_lost_silently() {
    // Each was an undated contact ("any time"), exit 0, no warning.
    for (edge, message) in [
        (
            "<edge source=\"a\" target=\"b\" start=\"2016-09-20\" end=\"2016-09-01\"/>",
            "before it starts",
        ),
        (
            "<edge source=\"a\" target=\"b\" start=\"9999-01-01\" end=\"9999-02-01\"/>",
            "the spell bound \"9999-01-01\" is not a date",
        ),
        (
            "<edge source=\"a\" target=\"b\" start=\"9999-01-01T00:00:00Z\"/>",
            "does not make a time",
        ),
        (
            "<edge source=\"a\" target=\"b\" start=\"../2016\"/>",
            "the spell bound \"../2016\" is not a date (an open interval)",
        ),
    ] {
        let f = file(".gexf", &gexf_edges(&format!("{edge}\n")));
        let out = grapevine(&["import", f.path().to_str().unwrap(), "--from", "gexf"]);
        assert_eq!(out.status.code(), Some(2), "{edge}");
        let err = stderr(&out);
        assert!(
            err.contains(message) && err.contains(":9:1"),
            "{edge}: {err}"
        );
    }
    // Two spells: two events; a weight: kept and listed.
    let f = file(
        ".gexf",
        &gexf_edges("<edge source=\"a\" target=\"b\" weight=\"2.5\"><spells><spell start=\"2016-09-20\" end=\"2016-09-21\"/><spell start=\"2016-10-01\" end=\"2016-10-02\"/></spells></edge>\n"),
    );
    let out = grapevine(&["import", f.path().to_str().unwrap(), "--from", "gexf"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let err = stderr(&out);
    assert!(
        err.contains("1 edge with several spells: each spell read as an event of its own"),
        "{err}"
    );
    assert!(err.contains("kept as x-gexf-weight"), "{err}");
    let story = String::from_utf8(out.stdout).unwrap();
    assert!(
        story.contains("\"edge-0-spell1\"") && story.contains("\"edge-0-spell2\""),
        "{story}"
    );
    assert!(
        story.contains("2016-10-01") && story.contains("\"x-gexf-weight\": \"2.5\""),
        "{story}"
    );
}

#[test]
fn ftm_values_after_the_first_are_kept_and_listed() {
    let ftm = "{\"id\": \"a\", \"schema\": \"Person\", \"properties\": {\"name\": [\"A\", \"Alpha\"], \"description\": [\"one\", \"two\"]}}\n\
        {\"id\": \"b\", \"schema\": \"Person\", \"properties\": {\"name\": [\"B\"]}}\n\
        {\"id\": \"e1\", \"schema\": \"Email\", \"properties\": {\"sender\": [\"a\"], \"recipients\": [\"b\"], \"date\": [\"2016-09-20\", \"2016-09-21\"], \"name\": [\"x\", \"y\"]}}\n";
    let f = file(".ftm", ftm);
    let out = grapevine(&["import", f.path().to_str().unwrap(), "--from", "ftm"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let err = stderr(&out);
    for w in [
        "Person.description has several values (1 time): grapevine reads the first and keeps the others as x-ftm-description",
        "Email.date has several values (1 time): grapevine reads the first and keeps the others as x-ftm-date",
    ] {
        assert!(err.contains(w), "{err}");
    }
    let story: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(story["entities"][0]["aliases"][0], "Alpha");
    assert_eq!(story["entities"][0]["x-ftm-description"][0], "two");
    assert_eq!(story["events"][0]["x-ftm-date"][0], "2016-09-21");
    assert_eq!(story["events"][0]["x-ftm-name"][1], "y");
}
