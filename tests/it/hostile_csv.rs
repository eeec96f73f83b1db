//! Hostile and broken CSV files: each reported problem has its reproducer
//! here, small or generated, and each runs in well under a second or two.
//! The promises they check are listed in docs/reliability.md ("CSV contact
//! lists").

use std::time::{Duration, Instant};

use grapevine::internals::diagnostic::DiagnosticJson;
use grapevine::internals::io::csv::{
    Corpus, CsvOptions, MAX_COLUMNS, MAX_ROW_BYTES, MAX_ROW_LINES,
};
use grapevine::internals::model::time::{MAX_SECOND, MIN_SECOND};
use grapevine::{Catalog, Error};

fn options(skip_bad_rows: bool) -> CsvOptions<'static> {
    CsvOptions {
        skip_bad_rows,
        ..CsvOptions::default()
    }
}

fn parse(text: &[u8], skip_bad_rows: bool) -> Result<Corpus, Error> {
    Corpus::parse("h.csv", text, &options(skip_bad_rows))
}

/// The errors of a rejected file, as `check --json` shows them.
fn errors(text: &[u8]) -> Vec<DiagnosticJson> {
    match parse(text, false) {
        Ok(c) => panic!("accepted, {} rows", c.row_count()),
        Err(Error::Invalid(r)) => {
            assert_shown_safely(&r.render());
            r.to_json()
                .into_iter()
                .filter(|d| d.severity == grapevine::internals::diagnostic::Severity::Error)
                .collect()
        }
        Err(e) => panic!("not invalid: {e}"),
    }
}

/// Nothing from the file reaches the terminal raw: no control character but
/// line breaks.
fn assert_shown_safely(text: &str) {
    assert!(
        !text.chars().any(|c| c.is_control() && c != '\n'),
        "control characters in:\n{text:?}"
    );
}

fn at(d: &DiagnosticJson) -> (Option<usize>, Option<usize>) {
    (d.line, d.column)
}

/// `n` good rows `uK@x.org,vK@x.org,100000+K` after the header (line 1), the
/// row numbered `k` (1-based, on line k + 1) replaced by `bad`.
fn rows_with(n: usize, k: usize, bad: &str) -> String {
    let mut s = String::from("from,to,time\n");
    for i in 1..=n {
        if i == k {
            s.push_str(bad);
        } else {
            s.push_str(&format!("u{i}@x.org,v{i}@x.org,{}", 100_000 + i));
        }
        s.push('\n');
    }
    s
}

// ---------------------------------------------------------------------------
// 1. A stray quote costs one row, never the rest of the file.

#[test]
fn a_stray_quote_inside_a_field_costs_one_row() {
    // The reported file: 1,002 rows, one with a quote in mid-field. Python's
    // csv module reads 1,002 rows (it takes the quote as text); grapevine
    // calls the row bad and reads the 1,001 others.
    let text = rows_with(1002, 5, "bob@x.org,\"the boss\" <b@x.org,100005");
    let text2 = rows_with(1002, 5, "bob@x.org,boss \"b\"@x.org,100005");
    for text in [text, text2] {
        let e = errors(text.as_bytes());
        assert_eq!(e.len(), 1, "{e:?}");
        assert_eq!(e[0].line, Some(6));
        let c = parse(text.as_bytes(), true).unwrap();
        assert_eq!((c.row_count(), c.skipped), (1001, 1));
    }
}

#[test]
fn an_unclosed_quote_is_located_where_it_opens_and_reading_resumes() {
    let text = rows_with(1002, 5, "bob@x.org,\"carol@x.org,100005");
    let e = errors(text.as_bytes());
    assert_eq!(e.len(), 1, "{e:?}");
    assert_eq!(at(&e[0]), (Some(6), Some(11)));
    assert!(e[0].message.contains("never closed"), "{}", e[0].message);
    let c = parse(text.as_bytes(), true).unwrap();
    assert_eq!((c.row_count(), c.skipped), (1001, 1));
    // The same at the very end of the file: one line, no line break.
    let e = errors(b"from,to,time\na,\"b,100001");
    assert_eq!(at(&e[0]), (Some(2), Some(3)));
}

#[test]
fn a_quoted_value_over_too_many_lines_is_an_error_at_its_start() {
    // The quote on row 5 closes 1,500 lines below, at the end of a value:
    // without the line limit it would swallow 1,500 rows into one time.
    let mut text = rows_with(2000, 5, "a@x.org,b@x.org,\"100005");
    text = text.replace(
        "u1505@x.org,v1505@x.org,101505",
        "u1505@x.org,v1505@x.org,101505\"",
    );
    let e = errors(text.as_bytes());
    assert_eq!(at(&e[0]), (Some(6), Some(17)));
    assert!(
        e[0].message.contains(&format!(
            "more than {} lines",
            MAX_ROW_LINES.to_string().replace("000", ",000")
        )),
        "{}",
        e[0].message
    );
    // Skipping: the quoted line and the line with the stray closing quote.
    let c = parse(text.as_bytes(), true).unwrap();
    assert_eq!((c.row_count(), c.skipped), (1998, 2));
}

#[test]
fn a_multi_line_value_that_makes_a_bad_row_is_cut_at_its_first_line() {
    // Closes 10 lines below, followed by text: a quote out of place.
    let mut text = rows_with(30, 5, "a@x.org,\"b@x.org,100005");
    text = text.replace("u15@x.org,v15@x.org", "u15@x.org,\"v15\"@x.org");
    let e = errors(text.as_bytes());
    assert_eq!(at(&e[0]), (Some(6), Some(9)));
    assert!(
        e[0].message.contains("quote out of place"),
        "{}",
        e[0].message
    );
    let c = parse(text.as_bytes(), true).unwrap();
    assert_eq!((c.row_count(), c.skipped), (28, 2));
    // Closes at the end of a value, but the row it makes has 2 fields.
    let mut text = rows_with(30, 5, "a@x.org,\"b@x.org,100005");
    text = text.replace("u15@x.org,v15@x.org,100015", "u15@x.org,v15@x.org,100015\"");
    let e = errors(text.as_bytes());
    assert!(
        e[0].message
            .contains("row of 2 fields where the header names 3"),
        "{}",
        e[0].message
    );
    assert_eq!(at(&e[0]), (Some(6), Some(9)));
}

#[test]
fn good_multi_line_values_are_kept() {
    let text = "from,to,time,kind\na,b,100001,\"two\nlines\"\nb,c,100002,\"three\r\nlines\rhere\"\nc,d,100003,x\n";
    let c = parse(text.as_bytes(), false).unwrap();
    assert_eq!(c.row_count(), 3);
    assert_eq!(
        c.event_kind(grapevine::internals::catalog::EventId(0)),
        "two\nlines"
    );
    assert_eq!(
        c.event_kind(grapevine::internals::catalog::EventId(1)),
        "three\r\nlines\rhere"
    );
    assert_eq!((c.line_of(0), c.line_of(1), c.line_of(2)), (2, 4, 7));
}

/// Seconds to parse `text` (the best of three runs, against load spikes).
fn seconds(text: &[u8], skip: bool) -> f64 {
    (0..3)
        .map(|_| {
            let t = Instant::now();
            let _ = parse(text, skip);
            t.elapsed().as_secs_f64()
        })
        .fold(f64::MAX, f64::min)
}

#[test]
fn hostile_quotes_take_linear_time() {
    // Each generator makes a file of about `n` bytes; 4 times the bytes must
    // take well under 16 times as long (quadratic), here under 10.
    let unclosed_then_plain = |n: usize| {
        let mut s = String::from("from,to,time\na,\"b,100000\n");
        while s.len() < n {
            s.push_str("a@x.org,b@x.org,100001\n");
        }
        s
    };
    let every_row_opens = |n: usize| {
        let mut s = String::from("from,to,time\n");
        while s.len() < n {
            s.push_str("\"a@x.org,b@x.org,100001\n");
        }
        s
    };
    let doubled_quotes = |n: usize| {
        let mut s = String::from("from,to,time\na,\"b");
        while s.len() < n {
            s.push_str("\"\"x\"\"\n");
        }
        s
    };
    let one_line = |n: usize| format!("from,to,time\na,b,{}", "9".repeat(n));
    for (name, make) in [
        (
            "unclosed quote then plain rows",
            &unclosed_then_plain as &dyn Fn(usize) -> String,
        ),
        ("every row opens a quote", &every_row_opens),
        ("doubled quotes in an open value", &doubled_quotes),
        ("one long line", &one_line),
    ] {
        let small = make(1 << 18);
        let large = make(1 << 20);
        for skip in [false, true] {
            let (a, b) = (
                seconds(small.as_bytes(), skip),
                seconds(large.as_bytes(), skip),
            );
            assert!(
                b < 10.0 * a.max(0.005),
                "{name} (skip {skip}): 256 KiB {a:.3} s, 1 MiB {b:.3} s"
            );
        }
    }
}

// ---------------------------------------------------------------------------
// 2. Kinds are u32; the answer does not depend on threads or blocks.

#[test]
fn more_than_65535_kinds() {
    let mut text = String::from("from,to,time,kind\n");
    for i in 0..70_000u32 {
        text.push_str(&format!("a,b,{},k{i}\n", 100_000 + i));
    }
    let one = Corpus::parse(
        "k.csv",
        text.as_bytes(),
        &CsvOptions {
            threads: 1,
            ..CsvOptions::default()
        },
    )
    .unwrap();
    assert_eq!(one.row_count(), 70_000);
    assert_eq!(
        one.event_kind(grapevine::internals::catalog::EventId(69_999)),
        "k69999"
    );
    assert_eq!(
        one.event_kind(grapevine::internals::catalog::EventId(65_536)),
        "k65536"
    );
    let two = Corpus::parse(
        "k.csv",
        text.as_bytes(),
        &CsvOptions {
            threads: 2,
            parallel_min: 1,
            block_size: 100_000,
            ..CsvOptions::default()
        },
    )
    .unwrap();
    assert!(one == two, "one thread and two differ");
}

/// A file with every kind of row: good, quoted, multi-line, CR and CRLF
/// endings, blank lines, and bad rows of each kind.
fn mixed_file(rows: usize) -> String {
    let mut s = String::from("from,to,time,kind,id,certainty,carries,note\n");
    for i in 0..rows {
        let t = 1_474_329_600 + (i * 7919 % 5000) as i64;
        let end = match i % 7 {
            0 => "\r\n",
            3 => "\r",
            _ => "\n",
        };
        let row = match i % 23 {
            0 => format!("u{}@x.org,\"v{}, Jr\"@x.org,{t},k,,,,", i % 50, i % 40),
            1 => format!("u{}@x.org,v{}@x.org,{t},\"multi\nline {i}\",e{i},,tip,", i % 50, i % 40),
            2 => format!("u{}@x.org,\"v{}@x.org,{t},k,,,,", i % 50, i % 40),
            3 => format!("u{}@x.org,v{}@x.org,soon,k,,,,", i % 50, i % 40),
            4 => format!("u{}@x.org,v{}@x.org,2016,k{},,,,", i % 50, i % 40, i % 3),
            5 => String::new(),
            6 => format!("u{}@x.org,v{}@x.org,{t},k,,maybe,,", i % 50, i % 40),
            7 => format!("u{}@x.org,v{}@x.org,{t}", i % 50, i % 40),
            8 => format!("\"u{}@x.org\",\"v{}@x.org\",\"{t}\",\"a \"\"q\"\"\",,confirmed,\"tip;x\",\"n\r\nn\"", i % 50, i % 40),
            9 => format!("u{}\u{1b}@x.org,v@x.org,{t},k,,,,", i % 50),
            _ => format!("u{}@x.org,v{}@x.org,{t},k{},,,,", i % 50, i % 40, i % 5),
        };
        s.push_str(&row);
        s.push_str(end);
    }
    s
}

/// Reads `text` with one thread and one block, then with every other
/// combination of threads, block size and parallel threshold: the results
/// (corpus or errors) must be equal, the stories byte for byte.
fn same_every_way(text: &[u8], skip_bad_rows: bool, blocks: &[usize]) {
    let reference = Corpus::parse(
        "m.csv",
        text,
        &CsvOptions {
            skip_bad_rows,
            threads: 1,
            ..CsvOptions::default()
        },
    );
    let story = |c: &Corpus| c.to_story().map(|s| grapevine::to_json(&s)).ok();
    for threads in [1, 2, 3] {
        for &block_size in blocks {
            for parallel_min in [0, 1] {
                let options = CsvOptions {
                    skip_bad_rows,
                    threads,
                    block_size,
                    parallel_min,
                    ..CsvOptions::default()
                };
                let other = Corpus::parse("m.csv", text, &options);
                match (&reference, &other) {
                    (Ok(a), Ok(b)) => {
                        assert!(a == b, "corpora differ with {options:?}");
                        assert_eq!(story(a), story(b), "stories differ with {options:?}");
                    }
                    (Err(Error::Invalid(a)), Err(Error::Invalid(b))) => {
                        assert_eq!(a.render(), b.render(), "errors differ with {options:?}")
                    }
                    (a, b) => panic!(
                        "{options:?}: {:?} vs {:?}",
                        a.as_ref().map(|c| c.row_count()).map_err(|e| e.to_string()),
                        b.as_ref().map(|c| c.row_count()).map_err(|e| e.to_string())
                    ),
                }
            }
        }
    }
}

#[test]
fn answers_do_not_depend_on_threads_or_blocks() {
    let text = mixed_file(3000);
    let c = parse(text.as_bytes(), true).unwrap();
    assert!(
        c.skipped > 100 && c.row_count() > 2000,
        "{} {}",
        c.skipped,
        c.row_count()
    );
    for skip in [true, false] {
        same_every_way(text.as_bytes(), skip, &[0, 1, 13, 256, 4096]);
    }
    // Good rows only, with quotes and multi-line values.
    let good: String = text
        .split_inclusive(['\n'])
        .filter(|l| !l.contains("soon") && !l.contains('\u{1b}') && !l.contains("maybe"))
        .collect();
    same_every_way(good.as_bytes(), false, &[0, 7, 300]);
}

// ---------------------------------------------------------------------------
// 3. Times a story cannot hold.

#[test]
fn times_out_of_range_are_located_errors() {
    for bad in [
        "9999-12-31T23:59:59Z",
        "9999-12-31",
        "9999-06",
        "9999",
        "0000",
        "0000-01-01",
        "0001-01-01T00:00:00+01:00",
        "9998-12-31T23:59:59-01:00",
        "-0001",
        "-377705116800",
        "253402300799",
        "-62135596801",
        "253370764800",
        "99999999999999999999999",
        "9998-12-31/9999-01-01",
    ] {
        let text = format!("from,to,time\na,b,{bad}\n");
        let e = errors(text.as_bytes());
        assert_eq!(e.len(), 1, "{bad}: {e:?}");
        assert_eq!(at(&e[0]), (Some(2), Some(5)), "{bad}");
        assert!(
            e[0].message.starts_with("column `time`:"),
            "{bad}: {}",
            e[0].message
        );
        assert!(e[0].help.is_some(), "{bad}");
    }
    for (good, lo) in [
        ("0001-01-01T00:00:00Z", MIN_SECOND),
        ("9998-12-31T23:59:59Z", MAX_SECOND),
        ("-62135596800", MIN_SECOND),
        ("253370764799", MAX_SECOND),
        ("0001", MIN_SECOND),
    ] {
        let text = format!("from,to,time\na,b,{good}\n");
        let c = parse(text.as_bytes(), false).unwrap();
        assert_eq!(
            c.event_interval(grapevine::internals::catalog::EventId(0))
                .lo,
            Some(lo),
            "{good}"
        );
    }
    let c = parse(b"from,to,time\na,b,9998\n", false).unwrap();
    assert_eq!(
        c.event_interval(grapevine::internals::catalog::EventId(0))
            .hi,
        Some(MAX_SECOND)
    );
}

// ---------------------------------------------------------------------------
// 4. Years and Unix seconds.

#[test]
fn four_digit_integers_are_years_five_are_unix_seconds() {
    let c = parse(
        b"from,to,time\na,b,2016\na,b,12345\na,b,00000\na,b,-86400\n",
        false,
    )
    .unwrap();
    let by_line = |line: u32| {
        let r = (0..c.row_count() as u32)
            .find(|&r| c.line_of(r) == line)
            .unwrap();
        c.event_interval(grapevine::internals::catalog::EventId(r))
    };
    assert_eq!(by_line(2).lo, Some(1_451_606_400)); // 2016-01-01
    assert_eq!(by_line(2).hi, Some(1_483_228_799)); // 2016-12-31T23:59:59
    assert_eq!(by_line(3).lo, Some(12_345));
    assert_eq!(by_line(4).lo, Some(0));
    assert_eq!(by_line(5).lo, Some(-86_400));
    for bad in ["16", "0", "1", "-1", "-0001", "201"] {
        let e = errors(format!("from,to,time\na,b,{bad}\n").as_bytes());
        assert!(
            e[0].message
                .contains("neither a year (4 digits) nor Unix seconds"),
            "{bad}: {}",
            e[0].message
        );
    }
}

#[test]
fn mixed_time_forms_warn_once_with_counts() {
    let text =
        "from,to,time\na,b,1474329600\na,b,1474329601\na,b,2016-09-20\na,b,1474329602\na,b,2016\n";
    let c = parse(text.as_bytes(), false).unwrap();
    let w = c.report.to_json();
    assert_eq!(w.len(), 1, "{w:?}");
    assert_eq!(at(&w[0]), (Some(4), Some(1)));
    assert!(
        w[0].message.contains("Unix seconds (3 rows, the first on line 2) with written dates or years (2 rows, the first on line 4)"),
        "{}",
        w[0].message
    );
    // One form only: no warning.
    let c = parse(b"from,to,time\na,b,2016\na,b,2016-09-20\n", false).unwrap();
    assert_eq!(c.report.warning_count(), 0);
    let c = parse(b"from,to,time\na,b,1474329600\na,b,\n", false).unwrap();
    assert_eq!(c.report.warning_count(), 0);
}

// ---------------------------------------------------------------------------
// 5. Line endings.

#[test]
fn cr_crlf_and_lf_line_endings() {
    for (text, lines) in [
        (&b"from,to,time\ra,b,100001\rb,c,100002\r"[..], [2, 3]),
        (b"from,to,time\r\na,b,100001\r\nb,c,100002", [2, 3]),
        (b"from,to,time\ra,b,100001\r\nb,c,100002\n", [2, 3]),
        (b"\r\nfrom,to,time\n\ra,b,100001\n\r\nb,c,100002\r", [4, 6]),
    ] {
        let c = parse(text, false).unwrap();
        assert_eq!(c.row_count(), 2, "{:?}", String::from_utf8_lossy(text));
        assert_eq!([c.line_of(0), c.line_of(1)], lines);
    }
    // A bad row in a CR file is located on its own line.
    let e = errors(b"from,to,time\ra,b,100001\ra,b,soon\r");
    assert_eq!(at(&e[0]), (Some(3), Some(5)));
}

// ---------------------------------------------------------------------------
// 6. Huge headers and repeated warnings.

#[test]
fn a_million_empty_columns_is_one_short_error() {
    let t = Instant::now();
    let mut text = ",".repeat(1_000_000);
    text.push_str("\na,b,1\n");
    let Err(Error::Invalid(r)) = parse(text.as_bytes(), true) else {
        panic!("accepted")
    };
    let shown = r.render();
    assert!(shown.len() < 10_000, "{} bytes of messages", shown.len());
    assert_eq!(r.diagnostics.len(), 1);
    assert!(
        r.diagnostics[0]
            .message
            .contains("1,000,001 columns; grapevine reads at most 1,000"),
        "{}",
        r.diagnostics[0].message
    );
    assert!(t.elapsed() < Duration::from_secs(5));
}

#[test]
fn the_header_has_at_most_max_columns() {
    let header = |n: usize| {
        let mut h = String::from("from,to,time");
        for i in 3..n {
            h.push_str(&format!(",c{i}"));
        }
        h
    };
    let ok = format!(
        "{}\na,b,100001{}\n",
        header(MAX_COLUMNS),
        ",".repeat(MAX_COLUMNS - 3)
    );
    let c = parse(ok.as_bytes(), false).unwrap();
    // Five ignored columns named, then one warning for the others.
    let w = c.report.to_json();
    assert_eq!(w.len(), 6);
    assert!(
        w[5].message.contains("and 992 more columns"),
        "{}",
        w[5].message
    );
    let too_many = format!("{}\n", header(MAX_COLUMNS + 1));
    let e = errors(too_many.as_bytes());
    assert!(e[0].message.contains("1,001 columns"), "{}", e[0].message);
    // Counted exactly when names are quoted.
    let quoted = format!("{},\"x,y\"\n", header(MAX_COLUMNS - 1));
    assert!(parse(quoted.as_bytes(), false).is_ok());
}

// ---------------------------------------------------------------------------
// 7. NUL bytes and long lines.

#[test]
fn dev_zero_is_refused_at_once() {
    let t = Instant::now();
    let Err(Error::Invalid(r)) = Corpus::read("zero", std::io::repeat(0), None, &options(true))
    else {
        panic!("accepted")
    };
    let j = r.to_json();
    assert_eq!(at(&j[0]), (Some(1), Some(1)));
    assert!(j[0].message.contains("NUL byte"), "{}", j[0].message);
    assert!(t.elapsed() < Duration::from_secs(5));
    // After a header and rows, at its own line and column, whatever the
    // options.
    for skip in [false, true] {
        let Err(Error::Invalid(r)) =
            parse(b"from,to,time\na,b,100001\r\na,b,100002\nab,\0,x\n", skip)
        else {
            panic!("accepted")
        };
        let j = r.to_json();
        assert_eq!(j.len(), 1);
        assert_eq!(at(&j[0]), (Some(4), Some(4)));
    }
    // UTF-16 text has NULs too.
    let utf16: Vec<u8> = "from,to,time\n"
        .encode_utf16()
        .flat_map(|u| u.to_le_bytes())
        .collect();
    assert!(errors(&utf16)[0].message.contains("UTF-16"));
}

#[cfg(unix)]
#[test]
fn dev_zero_on_the_command_line() {
    let dir = std::env::temp_dir().join(format!("grapevine-hostile-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let link = dir.join("zero.csv");
    let _ = std::fs::remove_file(&link);
    std::os::unix::fs::symlink("/dev/zero", &link).unwrap();
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_grapevine"))
        .args(["check", link.to_str().unwrap()])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("zero.csv:1:1"), "{err}");
    assert!(err.contains("NUL byte"), "{err}");
}

/// The file `head`, then `n` bytes of `fill` with no line break, then
/// `tail`, as a reader (never held whole).
fn long_line(head: &str, n: u64, fill: u8, tail: &str) -> impl std::io::Read {
    use std::io::Read;
    std::io::Cursor::new(head.as_bytes().to_vec())
        .chain(std::io::repeat(fill).take(n))
        .chain(std::io::Cursor::new(tail.as_bytes().to_vec()))
}

#[test]
fn a_long_line_is_one_bad_row_in_linear_time() {
    let head = "from,to,time\na,b,100001\n";
    let tail = "\nc,d,100002\n";
    let n = 40 << 20;
    let t = Instant::now();
    let Err(Error::Invalid(r)) = Corpus::read(
        "long.csv",
        long_line(head, n, b'x', tail),
        None,
        &options(false),
    ) else {
        panic!("accepted")
    };
    let j = r.to_json();
    assert_eq!(j.len(), 1, "{j:?}");
    assert_eq!(at(&j[0]), (Some(3), Some(1)));
    assert!(
        j[0].message.contains("longer than 1,048,576 bytes"),
        "{}",
        j[0].message
    );
    assert!(r.render().len() < 10_000);
    let c = Corpus::read(
        "long.csv",
        long_line(head, n, b'x', tail),
        None,
        &options(true),
    )
    .unwrap();
    assert_eq!((c.row_count(), c.skipped), (2, 1));
    assert_eq!(c.line_of(1), 4);
    // 80 MiB of one line through the reader, twice, in debug: seconds, not
    // the minutes of a quadratic scan.
    assert!(t.elapsed() < Duration::from_secs(30), "{:?}", t.elapsed());
    // A quoted long line, and one that never ends.
    let c = Corpus::read(
        "long.csv",
        long_line("from,to,time\na,\"b", n, b'x', tail),
        None,
        &options(true),
    )
    .unwrap();
    assert_eq!((c.row_count(), c.skipped), (1, 1));
    let e = Corpus::read(
        "long.csv",
        long_line(head, MAX_ROW_BYTES as u64 + 10, b',', ""),
        None,
        &options(false),
    );
    assert!(matches!(e, Err(Error::Invalid(_))));
    // Just under the limit is fine (a wide but legal row is only a bad row
    // for its fields).
    let ok = format!(
        "from,to,time,note\na,b,100001,{}\n",
        "x".repeat(MAX_ROW_BYTES - 20)
    );
    assert_eq!(parse(ok.as_bytes(), false).unwrap().row_count(), 1);
}

// ---------------------------------------------------------------------------
// Messages: file text escaped, errors capped.

#[test]
fn file_text_in_messages_is_escaped() {
    let text =
        b"from,to,time,\x1b[31mred\nx\x1b]0;title\x07,y\x08,\xe2\x80\xae2016-09-20\xe2\x80\xac,z\n";
    let Err(Error::Invalid(r)) = parse(text, false) else {
        panic!("accepted")
    };
    let shown = r.render();
    assert_shown_safely(&shown);
    assert!(shown.contains("\\u{1b}[31mred"), "{shown}");
    assert!(shown.contains("\\u{202e}2016-09-20"), "{shown}");
}

#[test]
fn reading_stops_after_twenty_errors_and_says_so() {
    let mut text = String::from("from,to,time\n");
    for _ in 0..100 {
        text.push_str("a,b,soon\n");
    }
    let Err(Error::Invalid(r)) = parse(text.as_bytes(), false) else {
        panic!("accepted")
    };
    assert_eq!(r.error_count(), 21);
    assert!(r.diagnostics[20]
        .message
        .contains("stopped after 20 bad rows"));
    let c = parse(text.as_bytes(), true).unwrap();
    assert_eq!((c.skipped, c.report.warning_count()), (100, 5));
}

#[test]
fn a_problem_far_along_a_line_stays_on_that_line() {
    let far = "x".repeat(3000);
    // A stray quote, and a quote opening a value that never closes, each
    // past the 2,000 bytes of a line that a report shows.
    for bad in [format!("{far}\"open"), format!("{far},\"open")] {
        let text =
            format!("from,to,time,note,more\na,b,100001,x,y\na,b,100002,{bad}\nc,d,100003,y,z\n");
        let e = errors(text.as_bytes());
        assert_eq!(e[0].line, Some(3), "{e:?}");
        assert!(e[0].column.unwrap_or(0) <= 2001, "{e:?}");
        let c = parse(text.as_bytes(), true).unwrap();
        assert_eq!((c.row_count(), c.skipped), (2, 1));
    }
}

#[test]
fn noncharacters_are_located_errors() {
    for (text, col) in [
        ("from,to,time\na\u{ffff},b,100000\n", 1),
        ("from,to,time\na,b\u{fffe},100000\n", 3),
        ("from,to,time,kind\na,b,100000,x\u{fdd0}\n", 12),
        ("from,to,time,id\na,b,100000,e\u{10ffff}\n", 12),
    ] {
        let e = errors(text.as_bytes());
        assert_eq!(e.len(), 1, "{text:?}: {e:?}");
        assert_eq!(at(&e[0]), (Some(2), Some(col)), "{text:?}: {e:?}");
        assert!(e[0].help.is_some(), "{text:?}");
    }
}
