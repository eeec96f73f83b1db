//! What every command shares: reading the input (with a progress bar and
//! its warnings), building a query from the flags, writing JSON, tables and
//! output files.

use std::io::Write;
use std::path::Path;

use grapevine::catalog::ChannelId;
use grapevine::io::csv::CsvOptions;
use grapevine::io::Input;
use grapevine::{Error, Mode, Origin, Query};

use super::args::{InputArgs, ModeArg, QueryOptions, SourceArgs};

/// Standard output, locked once.
pub type Out = std::io::StdoutLock<'static>;

/// An error writing to standard output.
pub fn out_err(source: std::io::Error) -> Error {
    Error::Io {
        path: "<stdout>".into(),
        source,
    }
}

/// Prints `value` as pretty JSON and a newline. Besides what JSON itself
/// escapes (`"`, `\`, U+0000 to U+001F), DEL, the C1 controls (U+0080 to
/// U+009F), bidirectional controls and the other invisible characters of
/// [`grapevine::diagnostic::is_invisible`] are written as `\uXXXX` escapes:
/// the same text for a JSON reader, nothing a terminal acts on.
pub fn print_json(out: &mut Out, value: &impl serde::Serialize) -> Result<(), Error> {
    print_with(out, |w| write_json(w, value))
}

/// Standard output, buffered, to `write`, then a newline.
fn print_with(
    out: &mut Out,
    write: impl FnOnce(&mut std::io::BufWriter<&mut Out>) -> Result<(), Error>,
) -> Result<(), Error> {
    let mut w = std::io::BufWriter::with_capacity(1 << 20, &mut *out);
    write(&mut w)?;
    writeln!(w).map_err(out_err)?;
    w.flush().map_err(out_err)
}

/// Writes `value` as pretty JSON with the escapes of [`print_json`].
pub fn write_json(w: &mut impl Write, value: &impl serde::Serialize) -> Result<(), Error> {
    let mut ser = serde_json::Serializer::with_formatter(
        w,
        Escaping(serde_json::ser::PrettyFormatter::new()),
    );
    value.serialize(&mut ser).map_err(|e| out_err(e.into()))
}

/// Rows from which `reach --json` makes the rows' JSON on two threads.
const PARALLEL_ROWS: usize = 8192;
/// Rows in each piece a thread makes.
const PIECE_ROWS: usize = 2048;

/// Prints a `reach` answer as [`print_json`] would. A large one has its rows'
/// JSON made on two threads, piece by piece, and written in order as it
/// comes (memory: a few pieces, never the whole text).
pub fn print_reach_json(out: &mut Out, rows: &grapevine::ReachRows) -> Result<(), Error> {
    print_with(out, |w| {
        write_reach_json(w, rows, PIECE_ROWS, PARALLEL_ROWS)
    })
}

/// Writes `rows` exactly as [`write_json`] does; from `min_rows` rows on,
/// the rows' JSON is made on two threads in pieces of `piece` rows and put
/// where the answer without rows has its empty `reached` array.
pub fn write_reach_json(
    w: &mut impl Write,
    rows: &grapevine::ReachRows,
    piece: usize,
    min_rows: usize,
) -> Result<(), Error> {
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
        Ok::<(), Error>(())
    })?;
    w.write_all(b"\n  ]").map_err(out_err)?;
    w.write_all(tail).map_err(out_err)
}

/// Rows `range` of the `reached` array, each after its separator, indented
/// as the array's elements: the bytes serde_json's pretty printer makes of
/// [`grapevine::ReachRows::row_json`] (inside the answer's object and its
/// `reached` array), written directly. Its fixed text is written once
/// instead of key by key, and a string that needs no escape is copied as
/// it is; one that does goes through serde_json with [`Escaping`].
/// `reach_json_on_threads_equals_the_whole` holds the two to the same
/// bytes; `docs/performance.md` has the measurement.
fn rows_text(rows: &grapevine::ReachRows, range: std::ops::Range<usize>) -> Result<Vec<u8>, Error> {
    let mut text = Vec::with_capacity(range.len() * 320);
    let mut id = String::new();
    for i in range {
        text.extend_from_slice(if i == 0 { b"\n    " } else { b",\n    " });
        push_row(&mut text, rows, i, &mut id)?;
    }
    Ok(text)
}

/// Row `i` as a pretty-printed object two levels down.
fn push_row(
    text: &mut Vec<u8>,
    rows: &grapevine::ReachRows,
    i: usize,
    id: &mut String,
) -> Result<(), Error> {
    let f = rows.row_fields(i);
    let time = |text: &mut Vec<u8>, t: Option<i64>| match t {
        Some(t) => push_json_str(text, &grapevine::model::time::rfc3339(t)),
        None => {
            text.extend_from_slice(b"null");
            Ok(())
        }
    };
    let mut event = |text: &mut Vec<u8>, c: Option<ChannelId>| match c {
        Some(c) => {
            id.clear();
            rows.write_event_id(c, id);
            push_json_str(text, id)
        }
        None => {
            text.extend_from_slice(b"null");
            Ok(())
        }
    };
    text.extend_from_slice(b"{\n      \"entity\": ");
    push_json_str(text, f.entity)?;
    text.extend_from_slice(b",\n      \"name\": ");
    push_json_str(text, f.name)?;
    text.extend_from_slice(b",\n      \"earliest\": ");
    time(text, f.earliest)?;
    text.extend_from_slice(b",\n      \"timing\": ");
    push_json_str(text, f.timing.as_str())?;
    text.extend_from_slice(b",\n      \"definite_by\": ");
    time(text, f.definite_by)?;
    text.extend_from_slice(b",\n      \"evidence\": ");
    push_json_str(text, f.evidence.as_str())?;
    text.extend_from_slice(b",\n      \"rests_on\": ");
    event(text, f.rests_on)?;
    text.extend_from_slice(b",\n      \"via\": ");
    event(text, f.via)?;
    text.extend_from_slice(b",\n      \"previous\": ");
    match f.previous {
        Some(p) => push_json_str(text, p)?,
        None => text.extend_from_slice(b"null"),
    }
    if let Some(path) = &f.path {
        text.extend_from_slice(b",\n      \"path\": [");
        for (k, &c) in path.iter().enumerate() {
            text.extend_from_slice(if k == 0 {
                b"\n        "
            } else {
                b",\n        "
            });
            event(text, Some(c))?;
        }
        if !path.is_empty() {
            text.extend_from_slice(b"\n      ");
        }
        text.push(b']');
    }
    text.extend_from_slice(b"\n    }");
    Ok(())
}

/// `s` as a JSON string, escaped as [`write_json`] escapes it.
fn push_json_str(text: &mut Vec<u8>, s: &str) -> Result<(), Error> {
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

/// A JSON formatter that escapes what a terminal could act on or hide
/// (see [`print_json`]) and otherwise formats as the one it wraps.
#[derive(Clone)]
struct Escaping<F>(F);

/// Whether JSON output writes `c` as a `\u` escape (serde_json already
/// escapes U+0000 to U+001F).
fn json_escaped(c: char) -> bool {
    c.is_control() || grapevine::diagnostic::is_invisible(c)
}

impl<F: serde_json::ser::Formatter> serde_json::ser::Formatter for Escaping<F> {
    fn write_string_fragment<W: ?Sized + Write>(
        &mut self,
        writer: &mut W,
        fragment: &str,
    ) -> std::io::Result<()> {
        // Plain printable ASCII, by far the most text, is written as it is.
        if fragment.bytes().all(|b| (0x20..0x7f).contains(&b)) {
            return writer.write_all(fragment.as_bytes());
        }
        let mut start = 0;
        for (i, c) in fragment.char_indices() {
            if json_escaped(c) {
                writer.write_all(&fragment.as_bytes()[start..i])?;
                let mut units = [0u16; 2];
                for unit in c.encode_utf16(&mut units) {
                    write!(writer, "\\u{:04x}", unit)?;
                }
                start = i + c.len_utf8();
            }
        }
        writer.write_all(&fragment.as_bytes()[start..])
    }
    fn begin_array<W: ?Sized + Write>(&mut self, w: &mut W) -> std::io::Result<()> {
        self.0.begin_array(w)
    }
    fn end_array<W: ?Sized + Write>(&mut self, w: &mut W) -> std::io::Result<()> {
        self.0.end_array(w)
    }
    fn begin_array_value<W: ?Sized + Write>(
        &mut self,
        w: &mut W,
        first: bool,
    ) -> std::io::Result<()> {
        self.0.begin_array_value(w, first)
    }
    fn end_array_value<W: ?Sized + Write>(&mut self, w: &mut W) -> std::io::Result<()> {
        self.0.end_array_value(w)
    }
    fn begin_object<W: ?Sized + Write>(&mut self, w: &mut W) -> std::io::Result<()> {
        self.0.begin_object(w)
    }
    fn end_object<W: ?Sized + Write>(&mut self, w: &mut W) -> std::io::Result<()> {
        self.0.end_object(w)
    }
    fn begin_object_key<W: ?Sized + Write>(
        &mut self,
        w: &mut W,
        first: bool,
    ) -> std::io::Result<()> {
        self.0.begin_object_key(w, first)
    }
    fn begin_object_value<W: ?Sized + Write>(&mut self, w: &mut W) -> std::io::Result<()> {
        self.0.begin_object_value(w)
    }
    fn end_object_value<W: ?Sized + Write>(&mut self, w: &mut W) -> std::io::Result<()> {
        self.0.end_object_value(w)
    }
}

/// Text for a terminal: every line through [`grapevine::diagnostic::visible`]
/// (the escaping of warnings), so that control characters, C1 controls,
/// bidirectional overrides and other invisible characters from a file are
/// shown as `\u{..}` escapes instead of acting on the terminal. Line breaks
/// are kept, and a no-break space (common in quoted articles) is shown as
/// the space it looks like; nothing else changes.
pub fn for_terminal(text: &str) -> String {
    let mut s = String::with_capacity(text.len());
    for (i, line) in text.split('\n').enumerate() {
        if i > 0 {
            s.push('\n');
        }
        s.push_str(&grapevine::diagnostic::visible(
            &line.replace('\u{a0}', " "),
        ));
    }
    s
}

/// Prints text for people on standard output, through [`for_terminal`]:
/// the one way tables, headings and notes reach standard output.
pub fn print_text(out: &mut Out, text: &str) -> Result<(), Error> {
    out.write_all(for_terminal(text).as_bytes())
        .map_err(out_err)
}

/// Prints text for people on standard error, through [`for_terminal`]:
/// the one way warnings, notes and errors reach standard error.
pub fn eprint_text(text: &str) {
    let mut err = std::io::stderr().lock();
    let _ = err.write_all(for_terminal(text).as_bytes());
}

/// Reads a story or a CSV corpus (`-`: standard input) as [`read_quietly`]
/// does, then prints its warnings and how many bad rows were skipped.
pub fn read_input(args: &InputArgs) -> Result<Input, Error> {
    let input = read_quietly(args)?;
    print_notes(&args.file, &input);
    Ok(input)
}

/// Reads a story or a CSV corpus (`-`: standard input) with a progress bar
/// on stderr when the load takes more than a second (never when stderr is
/// not a terminal, or with `--quiet`); prints nothing else.
pub fn read_quietly(args: &InputArgs) -> Result<Input, Error> {
    use std::io::IsTerminal;
    let file = args.file.as_path();
    let show = !args.quiet && std::io::stderr().is_terminal();
    let start = std::time::Instant::now();
    let bar: std::sync::OnceLock<indicatif::ProgressBar> = std::sync::OnceLock::new();
    let progress = |done: u64, total: Option<u64>| {
        if !show || start.elapsed() < std::time::Duration::from_secs(1) {
            return;
        }
        let bar = bar.get_or_init(|| {
            let bar = indicatif::ProgressBar::with_draw_target(
                total,
                indicatif::ProgressDrawTarget::hidden(),
            );
            let style = indicatif::ProgressStyle::with_template(
                "{msg} {wide_bar} {bytes}/{total_bytes} ({eta})",
            )
            .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar());
            bar.set_style(style);
            bar.set_message(format!(
                "reading {}",
                grapevine::diagnostic::visible(&file.display().to_string())
            ));
            bar.set_position(done);
            bar.set_draw_target(indicatif::ProgressDrawTarget::stderr());
            bar
        });
        bar.set_position(done);
    };
    let options = CsvOptions {
        skip_bad_rows: args.skip_bad_rows,
        progress: Some(&progress),
        ..CsvOptions::default()
    };
    let input = grapevine::io::read(file, &options);
    if let Some(bar) = bar.get() {
        bar.finish_and_clear();
    }
    input
}

/// Prints an input's warnings and how many bad rows were skipped.
fn print_notes(file: &Path, input: &Input) {
    let report = input.report();
    if report.warning_count() > 0 {
        eprint_text(&report.render());
    }
    let skipped = input.skipped();
    if skipped > 0 {
        eprint_text(&format!(
            "{}: skipped {} bad row{}{}\n",
            file.display(),
            skipped,
            if skipped == 1 { "" } else { "s" },
            if skipped > report.warning_count() {
                " (the first ones are shown above)"
            } else {
                ""
            }
        ));
    }
}

/// The query the flags ask; `paths`: fill each row's path (`false`:
/// `--no-paths`).
pub fn build_query(
    source: &SourceArgs,
    mode: Option<ModeArg>,
    options: &QueryOptions,
    paths: bool,
) -> Query {
    let origin = match (&source.message, &source.from) {
        (Some(m), _) => Origin::Message(m.clone()),
        (None, Some(f)) => Origin::Entity(f.clone()),
        (None, None) => Origin::Entity(String::new()),
    };
    let mode = match (mode, &source.message) {
        (Some(ModeArg::Message), _) => Mode::Message,
        (Some(ModeArg::Contacts), _) => Mode::Contacts,
        (None, Some(_)) => Mode::Message,
        (None, None) => Mode::Contacts,
    };
    Query {
        origin,
        from: if source.message.is_some() {
            source.from.clone()
        } else {
            None
        },
        since: source.since.clone(),
        mode,
        threshold: options.threshold.into(),
        strict: options.strict,
        until: options.until.clone(),
        paths,
    }
}

/// A table for people: columns padded to their widest cell, the last one
/// left ragged; a row may have notes, each printed on a line below it,
/// indented by two spaces.
pub fn table_with_notes(header: &[&str], rows: &[(Vec<String>, Vec<String>)]) -> String {
    let mut widths: Vec<usize> = header.iter().map(|h| h.chars().count()).collect();
    for (r, _) in rows {
        for (w, cell) in widths.iter_mut().zip(r) {
            *w = (*w).max(cell.chars().count());
        }
    }
    let line = |cells: Vec<&str>| {
        let mut l = String::new();
        for (i, (c, w)) in cells.iter().zip(&widths).enumerate() {
            l.push_str(c);
            if i + 1 < cells.len() {
                l.push_str(&" ".repeat(w - c.chars().count() + 2));
            }
        }
        l.trim_end().to_string() + "\n"
    };
    let mut s = line(header.to_vec());
    for (r, note) in rows {
        s.push_str(&line(r.iter().map(String::as_str).collect()));
        for note in note {
            s.push_str(&format!("  {note}\n"));
        }
    }
    s
}

/// The list of who is not reached, for the end of a table: the first 20
/// names, and how many more.
pub fn not_reached_line(names: &[String]) -> String {
    const SHOWN: usize = 20;
    match names.len() {
        0 => "Everyone is reached.\n".to_string(),
        n => {
            let shown: Vec<&str> = names.iter().take(SHOWN).map(String::as_str).collect();
            let more = if n > SHOWN {
                format!(" and {} more (--json lists them all)", n - SHOWN)
            } else {
                String::new()
            };
            format!("Not reached ({n}): {}{more}\n", shown.join(", "))
        }
    }
}

/// Writes `bytes` to `path` through a temporary file beside it, renamed over
/// it at the end: a failure (a full disk) leaves no partial file, and the
/// temporary file is removed. Refuses to overwrite the input.
pub fn write_output(path: &Path, input: &Path, bytes: &[u8]) -> Result<(), Error> {
    let io = |source| Error::Io {
        path: path.display().to_string(),
        source,
    };
    if !grapevine::io::is_stdin(input) && same_file(path, input) {
        return Err(Error::Query(format!(
            "the output {} is the input: choose another file name (nothing was written)",
            path.display()
        )));
    }
    let dir = match path.parent() {
        Some(d) if !d.as_os_str().is_empty() => d.to_path_buf(),
        _ => std::path::PathBuf::from("."),
    };
    if !dir.is_dir() {
        return Err(Error::Query(format!(
            "cannot write {}: the folder {} does not exist",
            path.display(),
            dir.display()
        )));
    }
    let mut tmp = tempfile::Builder::new()
        .prefix(".grapevine-")
        .tempfile_in(&dir)
        .map_err(io)?;
    tmp.write_all(bytes).map_err(io)?;
    tmp.as_file().sync_all().map_err(io)?;
    // The temporary file is private (0600): give the output the mode an
    // existing file had, else the usual one for a new file (0644, less the
    // umask's write bits are not read here: 0644 is what `>` would give).
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(path)
            .map(|m| m.permissions().mode() & 0o7777)
            .unwrap_or(0o644);
        tmp.as_file()
            .set_permissions(std::fs::Permissions::from_mode(mode))
            .map_err(io)?;
    }
    tmp.persist(path).map_err(|e| io(e.error))?;
    Ok(())
}

/// True when both paths name the same existing file (also through links).
pub fn same_file(a: &Path, b: &Path) -> bool {
    match (std::fs::canonicalize(a), std::fs::canonicalize(b)) {
        (Ok(x), Ok(y)) => x == y,
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use grapevine::io::csv::Corpus;
    use grapevine::{Index, IndexSpec, ReachQuery};

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
                    ..ReachQuery::new(grapevine::catalog::EntityId(source))
                };
                let rows = grapevine::reach_rows(&index, &q);
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
        let loaded = grapevine::load_path("graphs/trump-jr-wikileaks.json".as_ref()).unwrap();
        let catalog = grapevine::StoryCatalog::new(&loaded.story);
        let specs = [
            IndexSpec {
                threshold: grapevine::model::Certainty::Unknown,
                ..IndexSpec::default()
            },
            IndexSpec::default(),
            IndexSpec {
                message: Some("pac-tip".into()),
                mode: grapevine::Mode::Message,
                threshold: grapevine::model::Certainty::Unknown,
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
                        source_held: start
                            .map_or(grapevine::SourceHeld::Always, grapevine::SourceHeld::By),
                        until,
                        ..ReachQuery::new(grapevine::catalog::EntityId(source))
                    };
                    let rows = grapevine::reach_rows(&index, &q);
                    for i in 0..rows.len() {
                        let f = rows.row_fields(i);
                        possible += usize::from(f.timing == grapevine::Timing::Possible);
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
