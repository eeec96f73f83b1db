//! `reach --json`: a large answer's rows made on two threads, each row's
//! text written directly, with the bytes serde_json would write.

use std::io::Write;

use crate::RowValue;

use super::errors::CliError;
use super::output::{out_err, print_with, write_json, Escaping, Out};

/// Rows from which `reach --json` makes the rows' JSON on two threads.
const PARALLEL_ROWS: usize = 8192;
/// Rows in each piece a thread makes.
const PIECE_ROWS: usize = 2048;

/// Prints a `reach` answer as [`print_json`](super::output::print_json)
/// would. A large one has its rows' JSON made on two threads, piece by
/// piece, and written in order as it comes (memory: a few pieces, never the
/// whole text).
pub fn print_reach_json(out: &mut Out, rows: &crate::ReachRows) -> Result<(), CliError> {
    print_with(out, |w| {
        write_reach_json(w, rows, PIECE_ROWS, PARALLEL_ROWS)
    })
}

/// Writes `rows` exactly as [`write_json`] does; from `min_rows` rows on,
/// the rows' JSON is made on two threads in pieces of `piece` rows and put
/// where the answer without rows has its empty `reached` array.
pub fn write_reach_json(
    w: &mut impl Write,
    rows: &crate::ReachRows,
    piece: usize,
    min_rows: usize,
) -> Result<(), CliError> {
    let n = rows.len();
    if n < min_rows.max(1) {
        return write_json(w, rows);
    }
    let mut shell = Vec::new();
    write_json(&mut shell, &rows.without_rows())?;
    // Only structure puts a raw newline in JSON (strings escape theirs),
    // so this is the top-level field and nothing inside a string.
    const AT: &[u8] = b"\n  \"reached\": [";
    let Some(at) = memchr::memmem::find(&shell, AT) else {
        return write_json(w, rows);
    };
    let piece = piece.max(1);
    // The shell's `[]`: its `[` ends the head, its `]` starts the tail.
    let (head, tail) = (&shell[..at + AT.len()], &shell[at + AT.len() + 1..]);
    w.write_all(head).map_err(out_err)?;
    let pieces = n.div_ceil(piece);
    std::thread::scope(|scope| {
        let mut made = Vec::new();
        for first in 0..2 {
            let (tx, rx) = std::sync::mpsc::sync_channel(2);
            made.push(rx);
            scope.spawn(move || {
                for k in (first..pieces).step_by(2) {
                    let text = rows_text(rows, k * piece..((k + 1) * piece).min(n));
                    if tx.send(text).is_err() {
                        return;
                    }
                }
            });
        }
        for k in 0..pieces {
            let text = made[k % 2].recv().map_err(|_| {
                out_err(std::io::Error::other("a thread making the JSON stopped"))
            })??;
            w.write_all(&text).map_err(out_err)?;
        }
        Ok::<(), CliError>(())
    })?;
    w.write_all(b"\n  ]").map_err(out_err)?;
    w.write_all(tail).map_err(out_err)
}

/// Rows `range` of the `reached` array, each after its separator, indented
/// as the array's elements: the bytes serde_json's pretty printer makes of
/// [`crate::ReachRows::row_json`] (inside the answer's object and its
/// `reached` array), written directly from the same field list
/// ([`crate::RowFields::each`]): a string that needs no escape is
/// copied as it is; one that does goes through serde_json with
/// [`Escaping`].
/// `reach_json_on_threads_equals_the_whole` holds the two to the same
/// bytes; `docs/performance.md` has the measurement.
fn rows_text(rows: &crate::ReachRows, range: std::ops::Range<usize>) -> Result<Vec<u8>, CliError> {
    let mut text = Vec::with_capacity(range.len() * 320);
    let mut id = String::new();
    for i in range {
        text.extend_from_slice(if i == 0 { b"\n    " } else { b",\n    " });
        push_row(&mut text, rows, i, &mut id)?;
    }
    Ok(text)
}

/// Row `i` as a pretty-printed object two levels down: the fields of
/// [`crate::RowFields::each`], in its order.
fn push_row(
    text: &mut Vec<u8>,
    rows: &crate::ReachRows,
    i: usize,
    id: &mut String,
) -> Result<(), CliError> {
    let mut first = true;
    text.push(b'{');
    rows.row_fields(i).each(|name, value| {
        text.extend_from_slice(if first { b"\n      \"" } else { b",\n      \"" });
        first = false;
        text.extend_from_slice(name.as_bytes());
        text.extend_from_slice(b"\": ");
        push_value(text, rows, value, id)
    })?;
    text.extend_from_slice(b"\n    }");
    Ok(())
}

/// One value of a row, as serde_json's pretty printer writes it there.
fn push_value(
    text: &mut Vec<u8>,
    rows: &crate::ReachRows,
    value: RowValue,
    id: &mut String,
) -> Result<(), CliError> {
    match value {
        RowValue::Str(s) | RowValue::MaybeStr(Some(s)) => push_json_str(text, s)?,
        RowValue::Time(Some(t)) => push_json_str(text, &crate::model::time::rfc3339(t))?,
        RowValue::Event(Some(c)) => push_event(text, rows, c, id)?,
        RowValue::MaybeStr(None) | RowValue::Time(None) | RowValue::Event(None) => {
            text.extend_from_slice(b"null");
        }
        RowValue::Events(channels) => {
            text.push(b'[');
            for (k, &c) in channels.iter().enumerate() {
                text.extend_from_slice(if k == 0 {
                    b"\n        "
                } else {
                    b",\n        "
                });
                push_event(text, rows, c, id)?;
            }
            if !channels.is_empty() {
                text.extend_from_slice(b"\n      ");
            }
            text.push(b']');
        }
    }
    Ok(())
}

/// The id of the event of channel `c`, as a JSON string.
fn push_event(
    text: &mut Vec<u8>,
    rows: &crate::ReachRows,
    c: crate::catalog::ChannelId,
    id: &mut String,
) -> Result<(), CliError> {
    id.clear();
    rows.write_event_id(c, id);
    push_json_str(text, id)
}

/// `s` as a JSON string, escaped as [`write_json`] escapes it.
fn push_json_str(text: &mut Vec<u8>, s: &str) -> Result<(), CliError> {
    use serde::Serialize;
    if s.bytes()
        .all(|b| (0x20..0x7f).contains(&b) && b != b'"' && b != b'\\')
    {
        text.push(b'"');
        text.extend_from_slice(s.as_bytes());
        text.push(b'"');
        return Ok(());
    }
    let mut ser = serde_json::Serializer::with_formatter(
        &mut *text,
        Escaping(serde_json::ser::PrettyFormatter::new()),
    );
    s.serialize(&mut ser).map_err(|e| out_err(e.into()))
}

#[cfg(test)]
mod tests {
    use crate::io::csv::{Corpus, CsvOptions};
    use crate::{Index, IndexSpec, ReachQuery};

    use super::{write_json, write_reach_json};

    /// The rows made on two threads, in pieces of every size, give the very
    /// bytes of the answer written whole: with ids that hold quotes,
    /// backslashes, invisible characters and the text that marks where the
    /// rows go.
    #[test]
    fn reach_json_on_threads_equals_the_whole() {
        let mut csv = String::from("from,to,time\n");
        let ids = [
            "a",
            "b\"q",
            "x\"reached\": [",
            "back\\slash",
            "zero\u{200b}width",
            "e",
            "f",
            "g",
        ];
        for i in 0..40usize {
            let (a, b) = (ids[i % ids.len()], ids[(i * 3 + 1) % ids.len()]);
            if a == b {
                continue;
            }
            let q = |s: &str| format!("\"{}\"", s.replace('"', "\"\""));
            csv.push_str(&format!("{},{},{}\n", q(a), q(b), 1_000_000 + i));
        }
        let corpus = Corpus::parse("t.csv", csv.as_bytes(), &CsvOptions::default()).unwrap();
        let index = Index::build(&corpus, &IndexSpec::default());
        for source in 0..3 {
            for paths in [true, false] {
                let q = ReachQuery {
                    paths,
                    ..ReachQuery::new(crate::catalog::EntityId(source))
                };
                let rows = crate::reach_rows(&index, &q);
                assert!(rows.len() > 3);
                let mut whole = Vec::new();
                write_json(&mut whole, &rows).unwrap();
                for piece in [1, 2, 3, 100] {
                    let mut split = Vec::new();
                    write_reach_json(&mut split, &rows, piece, 1).unwrap();
                    assert_eq!(
                        String::from_utf8(split).unwrap(),
                        String::from_utf8(whole.clone()).unwrap(),
                        "piece {piece}"
                    );
                }
            }
        }
    }

    /// The same on the bundled story, whose rows the CSV cannot make:
    /// intervals (possible timing, no definite time), a meeting's hub inside
    /// paths, evidence below the threshold's, a source with no start
    /// (earliest null), `until`, strict mode, message mode and no paths.
    #[test]
    fn reach_json_written_directly_equals_serde_on_the_story() {
        let loaded = crate::load_path("graphs/trump-jr-wikileaks.json".as_ref()).unwrap();
        let catalog = crate::StoryCatalog::new(&loaded.story);
        let specs = [
            IndexSpec {
                threshold: crate::model::Certainty::Unknown,
                ..IndexSpec::default()
            },
            IndexSpec::default(),
            IndexSpec {
                message: Some("pac-tip".into()),
                mode: crate::Mode::Message,
                threshold: crate::model::Certainty::Unknown,
            },
        ];
        let (mut possible, mut null_earliest, mut hubs) = (0, 0, 0);
        for spec in &specs {
            let index = Index::build(&catalog, spec);
            hubs += usize::from(index.has_hubs());
            for source in 0..index.entity_count() as u32 {
                for (strict, paths, start, until) in [
                    (false, true, None, None),
                    (true, true, None, None),
                    (false, false, None, None),
                    (false, true, Some(1_474_329_600), Some(1_480_000_000)),
                ] {
                    let q = ReachQuery {
                        strict,
                        paths,
                        start,
                        source_held: start.map_or(crate::SourceHeld::Always, crate::SourceHeld::By),
                        until,
                        ..ReachQuery::new(crate::catalog::EntityId(source))
                    };
                    let rows = crate::reach_rows(&index, &q);
                    for i in 0..rows.len() {
                        let f = rows.row_fields(i);
                        possible += usize::from(f.timing == crate::Timing::Possible);
                        null_earliest += usize::from(f.earliest.is_none());
                    }
                    let mut whole = Vec::new();
                    write_json(&mut whole, &rows).unwrap();
                    let mut direct = Vec::new();
                    write_reach_json(&mut direct, &rows, 1, 1).unwrap();
                    assert_eq!(
                        String::from_utf8(direct).unwrap(),
                        String::from_utf8(whole).unwrap(),
                        "source {source}, strict {strict}, paths {paths}, until {until:?}"
                    );
                }
            }
        }
        // The cases the test is for were met.
        assert!(possible > 0 && null_earliest > 0 && hubs > 0);
    }
}
