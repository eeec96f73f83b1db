//! Hostile CSV input: random bytes and mutations of valid contact lists never
//! make the reader panic; whatever it accepts can be queried, summarised and
//! turned into a story; whatever it rejects comes with a located error. The
//! reader agrees with the `csv` crate on every file both accept, and reading
//! on one thread in one block or on several threads in tiny blocks gives the
//! same corpus (or the same errors).
//!
//! `PROPTEST_CASES` sets the number of cases of each property (the campaign
//! in docs/reliability.md ran them in release for minutes).

use grapevine::internals::io::csv::{Corpus, CsvOptions};
use grapevine::Catalog;
use grapevine::{Error, Query};
use proptest::prelude::*;

const VALID: &str = "from,to,time,id,kind,certainty,carries
a@x.org,b@x.org,1474329600,e1,email,confirmed,tip
b@x.org,c@x.org,1474329600,e2,forward,reported,tip
\"c@x.org\",\"d, the \"\"boss\"\"\",2016-09-21,e3,meeting,alleged,
d@x.org,a@x.org,2016-09-20T12:00Z/..,e4,,unknown,tip;other
e@x.org,a@x.org,../2016-09,e5,other,,
";

/// Reads `bytes` several ways (one thread and two, whole or in tiny blocks,
/// skipping bad rows or not), uses whatever loads, and checks that every way
/// gives the same answer.
fn exercise(bytes: &[u8]) -> Result<(), TestCaseError> {
    same_every_way(bytes, &[3])?;
    for (threads, skip_bad_rows, block_size) in [(1, false, 0), (2, false, 3), (2, true, 0)] {
        let options = CsvOptions {
            skip_bad_rows,
            threads,
            block_size,
            parallel_min: 1,
            ..CsvOptions::default()
        };
        match Corpus::parse("fuzz.csv", bytes, &options) {
            Ok(corpus) => {
                let _ = grapevine::analysis::summary::summarise(&corpus, "fuzz.csv");
                if corpus.entity_count() > 0 {
                    let id = corpus.entity_ids().get(0).to_string();
                    for strict in [false, true] {
                        let q = Query {
                            strict,
                            ..Query::from_entity(&id)
                        };
                        if let Ok((index, rq)) = q.compile(&corpus) {
                            let _ = grapevine::reach(&index, &rq);
                        }
                    }
                }
                if let Ok(story) = corpus.to_story() {
                    let text = grapevine::to_json(&story);
                    prop_assert!(
                        grapevine::load_str("back.json", &text).is_ok(),
                        "import does not load:\n{text}"
                    );
                }
            }
            Err(Error::Invalid(report)) => {
                prop_assert!(report.error_count() > 0, "rejected without an error");
                for d in &report.diagnostics {
                    prop_assert!(!d.message.is_empty());
                }
                let _ = report.render();
            }
            Err(other) => prop_assert!(false, "unexpected error kind: {other}"),
        }
    }
    Ok(())
}

/// Reads `bytes` on one thread in one block, then on 2 and 3 threads with
/// blocks of each of `blocks` bytes cut into parts: equal corpora, or equal
/// errors.
fn same_every_way(bytes: &[u8], blocks: &[usize]) -> Result<(), TestCaseError> {
    for skip_bad_rows in [false, true] {
        let one = CsvOptions {
            skip_bad_rows,
            threads: 1,
            ..CsvOptions::default()
        };
        let reference = Corpus::parse("f.csv", bytes, &one);
        for threads in [2, 3] {
            for &block_size in blocks {
                let options = CsvOptions {
                    threads,
                    block_size,
                    parallel_min: 1,
                    ..one
                };
                let other = Corpus::parse("f.csv", bytes, &options);
                match (&reference, &other) {
                    (Ok(a), Ok(b)) => prop_assert!(a == b, "corpora differ with {:?}", options),
                    (Err(Error::Invalid(a)), Err(Error::Invalid(b))) => {
                        prop_assert_eq!(a.render(), b.render(), "errors differ with {:?}", options)
                    }
                    (a, b) => prop_assert!(
                        false,
                        "{:?}: {:?} vs {:?}",
                        options,
                        a.as_ref().map(|c| c.row_count()).map_err(|e| e.to_string()),
                        b.as_ref().map(|c| c.row_count()).map_err(|e| e.to_string())
                    ),
                }
            }
        }
    }
    Ok(())
}

/// A value for a CSV field, and whether to quote it.
fn value(
    chars: &'static str,
    len: std::ops::Range<usize>,
) -> impl Strategy<Value = (String, bool)> {
    (
        proptest::string::string_regex(&format!("[{chars}]{{{},{}}}", len.start, len.end)).unwrap(),
        any::<bool>(),
    )
}

/// `v` as written in a file: quoted (quotes doubled) when asked or when it
/// must be, else as it is.
fn write_field(out: &mut String, (v, quoted): &(String, bool)) {
    if *quoted || v.contains(['"', ',', '\n', '\r']) {
        out.push('"');
        out.push_str(&v.replace('"', "\"\""));
        out.push('"');
    } else {
        out.push_str(v);
    }
}

/// In one file of four, one or two of `bytes` to insert anywhere.
fn noise(bytes: Vec<u8>) -> impl Strategy<Value = Option<Vec<(proptest::sample::Index, u8)>>> {
    proptest::option::weighted(
        0.25,
        proptest::collection::vec(
            (
                any::<proptest::sample::Index>(),
                proptest::sample::select(bytes),
            ),
            1..3,
        ),
    )
}

/// `file` with the `noise` bytes inserted.
fn with_noise(mut file: Vec<u8>, noise: Option<Vec<(proptest::sample::Index, u8)>>) -> Vec<u8> {
    for (at, b) in noise.unwrap_or_default() {
        let at = at.index(file.len() + 1);
        file.insert(at, b);
    }
    file
}

/// A contact list of `from,to,time,kind` whose values may hold commas,
/// quotes and line breaks, each quoted when it must be and at random
/// otherwise, with LF, CRLF or CR endings; in one file of four, a few bytes
/// are then inserted anywhere (which makes most such files bad).
fn csv_file() -> impl Strategy<Value = Vec<u8>> {
    let row = (
        value("ab,\"", 1..4),
        value("ab,\"", 1..4),
        any::<bool>(),
        value("ab,\"\n\r", 0..4),
        0usize..3,
    );
    (
        proptest::collection::vec(row, 0..12),
        noise(vec![b'"', b',', b'\n', b'\r', b'a']),
    )
        .prop_map(|(rows, noise)| {
            let ends = ["\n", "\r\n", "\r"];
            let mut s = String::from("from,to,time,kind\n");
            for (i, (from, to, quote_time, kind, end)) in rows.iter().enumerate() {
                write_field(&mut s, from);
                s.push(',');
                write_field(&mut s, to);
                s.push(',');
                write_field(&mut s, &(format!("{}", 1_000_000 + i), *quote_time));
                s.push(',');
                write_field(&mut s, kind);
                s.push_str(ends[*end]);
            }
            with_noise(s.into_bytes(), noise)
        })
}

/// A contact list with no quote anywhere, the common file that is split off
/// one pass over its commas and line breaks: values with spaces around them,
/// LF, CRLF or CR endings, blank lines, rows with a field more or less, and
/// in one file of four a few commas, line breaks, spaces or letters inserted
/// anywhere.
fn csv_file_without_quotes() -> impl Strategy<Value = Vec<u8>> {
    let row = (
        "[ab ]{1,4}",
        "[ab ]{1,4}",
        "[ ]{0,2}",
        "[ab]{0,3}",
        0usize..3,
        0usize..8,
    );
    (
        proptest::collection::vec(row, 0..40),
        noise(vec![b',', b'\n', b'\r', b'a', b' ']),
    )
        .prop_map(|(rows, noise)| {
            let ends = ["\n", "\r\n", "\r"];
            let mut s = String::from("from,to,time,kind\n");
            for (i, (from, to, pad, kind, end, shape)) in rows.iter().enumerate() {
                match shape {
                    0 => s.push_str(ends[*end]),
                    1 => s.push_str(&format!("{from},{to},{pad}{}{pad}", 1_000_000 + i)),
                    2 => s.push_str(&format!("{from},{to},{}, {kind},x", 1_000_000 + i)),
                    _ => s.push_str(&format!("{from},{to},{pad}{}{pad},{kind}", 1_000_000 + i)),
                }
                s.push_str(ends[*end]);
            }
            with_noise(s.into_bytes(), noise)
        })
}

/// When both our reader and the `csv` crate accept `bytes`: every row's
/// sender, receiver, kind and time, in file order, are the crate's values
/// (trimmed of the spaces ours trims outside quotes; the quoted files of
/// [`csv_file`] hold none).
fn agrees_with_the_crate(bytes: &[u8]) -> Result<(), TestCaseError> {
    let ours = Corpus::parse("f.csv", bytes, &CsvOptions::default());
    let (Ok(corpus), Some(rows)) = (&ours, csv_crate_rows(bytes)) else {
        return Ok(());
    };
    // Noise may have changed the header: find the columns by name.
    let column = |name: &str| rows[0].iter().position(|c| c.trim() == name);
    let k = column("kind");
    // The reader also takes `t`, `timestamp` and `date` for the time.
    let time = ["time", "t", "timestamp", "date"]
        .into_iter()
        .find_map(column);
    let (Some(f), Some(t), Some(tm)) = (column("from"), column("to"), time) else {
        return Err(TestCaseError::fail(format!(
            "header {:?} accepted",
            rows[0]
        )));
    };
    // Rows in file order (times grow with the row).
    let mut events: Vec<u32> = (0..corpus.event_count() as u32).collect();
    events.sort_by_key(|&e| corpus.line_of(e));
    let channels = corpus.channels();
    let got: Vec<Vec<String>> = events
        .iter()
        .map(|&e| {
            let c = grapevine::internals::catalog::ChannelId(e);
            let entity = |u: grapevine::internals::catalog::NodeId| {
                grapevine::internals::catalog::EntityId(u.0)
            };
            vec![
                corpus.entity_id(entity(channels.from(c))).to_string(),
                corpus.entity_id(entity(channels.to(c))).to_string(),
                corpus
                    .event_kind(grapevine::internals::catalog::EventId(e))
                    .to_string(),
                channels.lo(c).to_string(),
            ]
        })
        .collect();
    let want: Vec<Vec<String>> = rows[1..]
        .iter()
        .map(|r| {
            // An empty kind is the catalogue's `other`.
            let kind = match k.map(|k| r[k].trim_matches(' ')) {
                Some(kind) if !kind.is_empty() => kind,
                _ => "other",
            };
            [
                r[f].trim_matches(' '),
                r[t].trim_matches(' '),
                kind,
                r[tm].trim_matches(' '),
            ]
            .map(str::to_string)
            .to_vec()
        })
        .collect();
    prop_assert_eq!(got, want, "file {:?}", String::from_utf8_lossy(bytes));
    Ok(())
}

/// The rows the `csv` crate reads (header first), or `None` when it
/// rejects the file (a row of another width, bad UTF-8).
fn csv_crate_rows(bytes: &[u8]) -> Option<Vec<Vec<String>>> {
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(false)
        .from_reader(bytes);
    reader
        .records()
        .map(|r| r.ok().map(|r| r.iter().map(str::to_string).collect()))
        .collect()
}

#[test]
fn the_valid_file_loads() {
    let corpus = Corpus::parse("ok.csv", VALID.as_bytes(), &CsvOptions::default()).unwrap();
    assert_eq!(corpus.row_count(), 5);
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

    #[test]
    fn random_bytes_never_panic(bytes in proptest::collection::vec(any::<u8>(), 0..400)) {
        exercise(&bytes)?;
    }

    #[test]
    fn csv_like_text_never_panics(text in "[a-e@.,\"\\n\\r0-9:TZ/;-]{0,300}") {
        exercise(format!("from,to,time\n{text}").as_bytes())?;
    }

    #[test]
    fn agrees_with_the_csv_crate(bytes in csv_file()) {
        agrees_with_the_crate(&bytes)?;
    }

    #[test]
    fn threads_and_tiny_blocks_change_nothing(bytes in csv_file()) {
        same_every_way(&bytes, &[1, 2, 3, 5, 8, 13, 21, 34, 55])?;
    }

    #[test]
    fn without_quotes_threads_and_tiny_blocks_change_nothing(bytes in csv_file_without_quotes()) {
        same_every_way(&bytes, &[1, 3, 8, 21, 144])?;
    }

    #[test]
    fn without_quotes_agrees_with_the_csv_crate(bytes in csv_file_without_quotes()) {
        agrees_with_the_crate(&bytes)?;
    }

    #[test]
    fn mutations_of_a_valid_file_never_panic(
        edits in proptest::collection::vec((0usize..400, any::<u8>(), 0u8..4), 1..6)
    ) {
        let mut bytes = VALID.as_bytes().to_vec();
        for (at, byte, op) in edits {
            let at = at % (bytes.len() + 1);
            match op {
                0 => bytes.insert(at, byte),
                1 if at < bytes.len() => { bytes.remove(at); }
                2 if at < bytes.len() => bytes[at] = byte,
                _ => bytes.truncate(at),
            }
        }
        exercise(&bytes)?;
    }
}
