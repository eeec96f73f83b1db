//! Hostile outputs: `-o` naming a device, a FIFO, `/dev/stdout`, a link or
//! the file standard input reads. Nothing that is not a regular file is
//! ever replaced; a write error is an error.

use std::io::{Read as _, Write as _};
use std::os::unix::fs::FileTypeExt;
use std::process::{Command, Output, Stdio};

const STORY: &str = "graphs/trump-jr-wikileaks.json";

fn grapevine(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_grapevine"))
        .args(args)
        .stdin(Stdio::null())
        .output()
        .expect("the binary runs")
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

/// Every command that writes with `-o`, writing to `out`.
fn writers(out: &str) -> Vec<Vec<String>> {
    let v = |a: &[&str]| a.iter().map(|s| s.to_string()).collect::<Vec<_>>();
    vec![
        v(&["render", STORY, "--format", "dot", "-o", out]),
        v(&["render", STORY, "--format", "svg", "-o", out]),
        v(&["export", STORY, "--to", "mermaid", "-o", out]),
        v(&["import", STORY, "-o", out]),
    ]
}

#[test]
fn dev_full_is_a_write_error_and_dev_null_stays_a_device() {
    for args in writers("/dev/full") {
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        let o = grapevine(&args);
        assert_ne!(o.status.code(), Some(0), "{args:?}: {}", stderr(&o));
        assert!(!stderr(&o).contains("wrote"), "{args:?}: {}", stderr(&o));
        let meta = std::fs::symlink_metadata("/dev/full").unwrap();
        assert!(
            meta.file_type().is_char_device(),
            "{args:?} replaced /dev/full"
        );
    }
    for args in writers("/dev/null") {
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        let o = grapevine(&args);
        assert_eq!(o.status.code(), Some(0), "{args:?}: {}", stderr(&o));
        let meta = std::fs::symlink_metadata("/dev/null").unwrap();
        assert!(
            meta.file_type().is_char_device(),
            "{args:?} replaced /dev/null"
        );
    }
}

/// Writes through `-o fifo` while a thread reads the FIFO; returns what the
/// reader got and the run.
fn through_fifo(fifo: &std::path::Path, args: &[&str]) -> (Vec<u8>, Output) {
    let path = fifo.to_path_buf();
    let reader = std::thread::spawn(move || {
        let mut got = Vec::new();
        std::fs::File::open(&path)
            .unwrap()
            .read_to_end(&mut got)
            .unwrap();
        got
    });
    let o = grapevine(args);
    if !fifo.metadata().unwrap().file_type().is_fifo() {
        // Unblock the reader, which waits on a FIFO that is gone.
        panic!("-o replaced the FIFO: {}", stderr(&o));
    }
    (reader.join().unwrap(), o)
}

fn mkfifo(path: &std::path::Path) {
    let ok = Command::new("mkfifo").arg(path).status().unwrap();
    assert!(ok.success());
}

#[test]
fn a_fifo_is_written_to_not_replaced() {
    let dir = tempfile::tempdir().unwrap();
    let fifo = dir.path().join("pipe");
    mkfifo(&fifo);
    let f = fifo.to_str().unwrap();
    let (got, o) = through_fifo(&fifo, &["render", STORY, "--format", "dot", "-o", f]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(String::from_utf8_lossy(&got).starts_with("digraph"));
    // Through a link to the FIFO: the link stays, the FIFO gets the bytes.
    let link = dir.path().join("link");
    std::os::unix::fs::symlink(&fifo, &link).unwrap();
    let l = link.to_str().unwrap();
    let (got, o) = through_fifo(&fifo, &["export", STORY, "--to", "mermaid", "-o", l]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(!got.is_empty());
    assert!(link.symlink_metadata().unwrap().file_type().is_symlink());
}

#[test]
fn dev_stdout_and_links_to_it_are_standard_output() {
    let dir = tempfile::tempdir().unwrap();
    let link = dir.path().join("out.dot");
    std::os::unix::fs::symlink("/dev/stdout", &link).unwrap();
    for out in [link.to_str().unwrap(), "/dev/stdout", "/dev/fd/1"] {
        let o = grapevine(&["render", STORY, "--format", "dot", "-o", out]);
        assert_eq!(o.status.code(), Some(0), "{out}: {}", stderr(&o));
        assert!(
            String::from_utf8_lossy(&o.stdout).starts_with("digraph"),
            "{out}: nothing on standard output"
        );
    }
    assert!(link.symlink_metadata().unwrap().file_type().is_symlink());
    let o = grapevine(&["render", STORY, "--format", "dot", "-o", "/dev/stderr"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(stderr(&o).starts_with("digraph"), "{}", stderr(&o));
}

#[test]
fn a_link_to_a_regular_file_replaces_the_file_and_keeps_the_link() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("real.dot");
    std::fs::write(&file, "old").unwrap();
    let link = dir.path().join("link.dot");
    std::os::unix::fs::symlink(&file, &link).unwrap();
    let o = grapevine(&[
        "render",
        STORY,
        "--format",
        "dot",
        "-o",
        link.to_str().unwrap(),
    ]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(link.symlink_metadata().unwrap().file_type().is_symlink());
    assert!(std::fs::read_to_string(&file)
        .unwrap()
        .starts_with("digraph"));
    // A link to nothing is refused, not replaced by a file.
    let dangling = dir.path().join("dangling.dot");
    std::os::unix::fs::symlink(dir.path().join("nowhere/x"), &dangling).unwrap();
    let o = grapevine(&[
        "render",
        STORY,
        "--format",
        "dot",
        "-o",
        dangling.to_str().unwrap(),
    ]);
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    assert!(dangling
        .symlink_metadata()
        .unwrap()
        .file_type()
        .is_symlink());
}

#[test]
fn standard_input_is_not_overwritten() {
    let dir = tempfile::tempdir().unwrap();
    let csv = dir.path().join("c.csv");
    let text = "from,to,time\na,b,100000\n";
    std::fs::write(&csv, text).unwrap();
    let o = Command::new(env!("CARGO_BIN_EXE_grapevine"))
        .args(["import", "-", "-o", csv.to_str().unwrap()])
        .stdin(std::fs::File::open(&csv).unwrap())
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    assert!(stderr(&o).contains("is the input"), "{}", stderr(&o));
    assert_eq!(std::fs::read_to_string(&csv).unwrap(), text);
    // Another file is written as before.
    let other = dir.path().join("s.json");
    let mut child = Command::new(env!("CARGO_BIN_EXE_grapevine"))
        .args(["import", "-", "-o", other.to_str().unwrap()])
        .stdin(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    child
        .stdin
        .take()
        .unwrap()
        .write_all(text.as_bytes())
        .unwrap();
    let o = child.wait_with_output().unwrap();
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(std::fs::read_to_string(&other)
        .unwrap()
        .contains("\"entities\""));
}

fn export_of(story: &str, to: &str) -> (String, String) {
    let o = grapevine(&["export", story, "--to", to]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    (String::from_utf8_lossy(&o.stdout).into_owned(), stderr(&o))
}

const HOSTILE2: &str = "tests/interchange/hostile-2.json";

#[test]
fn mermaid_text_makes_no_directive() {
    let (text, _) = export_of(HOSTILE2, "mermaid");
    // Mermaid applies `%%{...}%%` anywhere, a comment included.
    assert!(!text.contains("%%{"), "{text}");
    assert!(text.contains("#37;#37;{init"), "{text}");
}

/// True when `program` runs; when it does not, fails if `var` is set.
fn have(var: &str, program: &str) -> bool {
    let found = Command::new(program)
        .arg("-V")
        .output()
        .is_ok_and(|o| o.status.success());
    assert!(
        found || std::env::var_os(var).is_none(),
        "{var} is set but {program} is missing"
    );
    found
}

/// The `xlink:title` values of an SVG, XML entities decoded.
fn titles(svg: &str) -> Vec<String> {
    svg.split("xlink:title=\"")
        .skip(1)
        .map(|rest| {
            rest[..rest.find('"').unwrap()]
                .replace("&quot;", "\"")
                .replace("&#10;", "\n")
                .replace("&#45;", "-")
                .replace("&lt;", "<")
                .replace("&gt;", ">")
                .replace("&amp;", "&")
        })
        .collect()
}

#[test]
fn dot_tooltips_keep_backslashes_as_written() {
    if !have("GRAPEVINE_REQUIRE_DOT", "dot") {
        return;
    }
    let o = grapevine(&["render", HOSTILE2, "--format", "dot"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let mut child = Command::new("dot")
        .arg("-Tsvg")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    child.stdin.take().unwrap().write_all(&o.stdout).unwrap();
    let svg = String::from_utf8(child.wait_with_output().unwrap().stdout).unwrap();
    let t = titles(&svg);
    let name = r"C:\network\grapevine \N \G \L \E \T \H \l \r \n \\ end\";
    assert!(t.contains(&format!("{name} (organisation)")), "{t:#?}");
    assert!(
        t.iter()
            .any(|x| x.starts_with(&format!("{name} to 50% %% done: call \\N\\G ("))),
        "{t:#?}"
    );
    assert!(
        t.iter().any(|x| x.contains("“C:\\new\\table \\N”")),
        "{t:#?}"
    );
    assert!(
        t.iter().any(|x| x.ends_with(r"title with C:\temp\new")),
        "{t:#?}"
    );
}
