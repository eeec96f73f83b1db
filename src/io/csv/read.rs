//! Reading a whole file: the header, blocks cut into parts on threads, NUL
//! bytes and overlong lines, problems and progress.

#[allow(unused_imports)]
use super::*;
use crate::error::QueryError;

/// A problem with its absolute line: (line 1-based, row text, span in row,
/// message, label, help, is error).
pub(super) type Problem = (u32, String, Range<usize>, String, String, String, bool);

/// Problems with their absolute line numbers, to be shown from a sparse text.
#[derive(Debug, Default)]
pub(super) struct Problems {
    pub(super) list: Vec<Problem>,
}

impl Problems {
    pub(super) fn push_diag(&mut self, line: u32, text: &str, d: Diagnostic) {
        self.list.push((
            line,
            text.to_string(),
            d.span.unwrap_or(0..0),
            d.message,
            d.label,
            d.help.unwrap_or_default(),
            d.severity == crate::diagnostic::Severity::Error,
        ));
    }

    /// Errors so far.
    pub(super) fn errors(&self) -> usize {
        self.list.iter().filter(|p| p.6).count()
    }

    /// A report whose text holds each problem's line at its own line number.
    pub(super) fn report(mut self, file: &str) -> Report {
        self.list.sort_by_key(|p| p.0);
        let mut text = String::new();
        let mut at_line = 1u32;
        let mut diags = Vec::new();
        let mut last_line = 0u32;
        let mut last_start = 0usize;
        for (line, row, span, message, label, help, is_error) in self.list {
            let start = if line == last_line && line != 0 {
                last_start
            } else {
                while at_line < line {
                    text.push('\n');
                    at_line += 1;
                }
                let s = text.len();
                text.push_str(&row);
                text.push('\n');
                at_line += 1;
                last_line = line;
                last_start = s;
                s
            };
            // A span past the shown text (a long row is cut to 2,000 bytes)
            // points at its end, never into another line.
            let a = span.start.min(row.len());
            let b = span.end.max(span.start).min(row.len() + 1).max(a);
            let span = (start + a)..(start + b);
            let d = if is_error {
                Diagnostic::error(message, Some(span), label)
            } else {
                Diagnostic::warning(message, Some(span), label)
            };
            diags.push(if help.is_empty() {
                d
            } else {
                d.with_help(help)
            });
        }
        let mut report = Report::new(file, text);
        report.diagnostics = diags;
        report
    }
}

/// Per-thread state kept across blocks.
#[derive(Default)]
pub(super) struct Worker {
    /// Ids first seen in this thread's part of the current block.
    pub(super) local: Interner,
    pub(super) out: PartOut,
}

/// What [`plan`] found in a buffer: the end of its complete rows, where the
/// parts start, and why it stopped.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct Plan {
    pub(super) complete: usize,
    /// Part starts (the first is 0), each a row start before `complete`.
    pub(super) cuts: Vec<usize>,
    pub(super) stop: Scan,
}

/// Finds the complete rows of `buf` (which starts at a row start) and cuts
/// them into at most `parts` parts at row starts. `stop` is
/// [`Scan::More`] or [`Scan::TooLong`] for the row at `complete`, or a
/// [`Scan::Row`] (of no meaning) when every row is complete.
pub(super) fn plan(buf: &[u8], eof: bool, width: usize, parts: usize) -> Plan {
    let target = |k: usize| buf.len() / parts.max(1) * k;
    let mut cuts = vec![0usize];
    let done = Scan::Row {
        end: buf.len(),
        next: buf.len(),
        breaks: 0,
        quoted: false,
        cut: None,
    };
    if memchr::memchr(b'"', buf).is_none() {
        // Rows are lines.
        let (complete, stop) = if eof {
            (buf.len(), done)
        } else {
            let mut end = buf.len();
            let mut complete = None;
            while let Some(p) = memchr::memrchr2(b'\n', b'\r', &buf[..end]) {
                if let Some(next) = after_break(buf, p, false) {
                    complete = Some(next);
                    break;
                }
                end = p;
            }
            match complete {
                Some(c) => (c, Scan::More),
                // No line ends: a first line longer than the limit cannot
                // be read whole.
                None if buf.len() > MAX_ROW_BYTES => (0, Scan::TooLong),
                None => (0, Scan::More),
            }
        };
        for k in 1..parts {
            let t = target(k);
            let cut = match next_break(&buf[..complete], t.min(complete)) {
                Some(p) => after_break(buf, p, true).unwrap_or(complete),
                None => complete,
            };
            if cut < complete && cut > *cuts.last().unwrap_or(&0) {
                cuts.push(cut);
            }
        }
        return Plan {
            complete,
            cuts,
            stop,
        };
    }
    // Quote-aware: walk the rows.
    let mut start = 0;
    let stop = loop {
        if start >= buf.len() {
            break if eof { done } else { Scan::More };
        }
        match scan(buf, start, eof, width) {
            Scan::Row { next, .. } => {
                start = next;
                if cuts.len() < parts && start >= target(cuts.len()) && start < buf.len() {
                    cuts.push(start);
                }
            }
            other => break other,
        }
    };
    cuts.retain(|&c| c < start || c == 0);
    Plan {
        complete: start,
        cuts,
        stop,
    }
}

/// Where to cut `buf` (which starts at a row start) into `parts` parts
/// without walking its rows: at the line start after each even share. With
/// quotes a cut may fall inside a quoted value that spans lines; the parse
/// then finds that the part before it does not end there, and the block is
/// planned with [`plan`] instead.
pub(super) fn guess_cuts(buf: &[u8], parts: usize) -> Vec<usize> {
    let mut cuts = vec![0usize];
    for k in 1..parts {
        let t = buf.len() / parts * k;
        let Some(p) = next_break(buf, t) else {
            break;
        };
        let cut = after_break(buf, p, true).unwrap_or(buf.len());
        if cut < buf.len() && cut > *cuts.last().unwrap_or(&0) {
            cuts.push(cut);
        }
    }
    cuts
}

/// Reads at least `want` more bytes into `buf` (fewer at the end of the
/// input); returns how many.
fn fill<R: Read>(
    buf: &mut Vec<u8>,
    reader: &mut R,
    want: usize,
    eof: &mut bool,
) -> std::io::Result<usize> {
    let want = want.max(1);
    // Into the spare capacity, which is not zeroed first.
    let got = reader.take(want as u64).read_to_end(buf)?;
    if got < want {
        *eof = true;
    }
    Ok(got)
}

/// The problem of a NUL byte at `at` of `buf`, whose first byte is on line
/// `line`, `prefix` bytes into it (the part of a long line already skipped).
/// What is shown depends only on the bytes before the NUL.
fn nul_problem(problems: &mut Problems, buf: &[u8], at: usize, line: u32, prefix: usize) {
    let line = line.saturating_add(count_breaks(&buf[..at]));
    let (line_start, prefix) = match memchr::memrchr2(b'\n', b'\r', &buf[..at]) {
        Some(p) => (p + 1, 0),
        None => (0, prefix),
    };
    let col = prefix + (at - line_start);
    let (text, span, message) = if col < 2000 {
        (
            shorten(&buf[line_start..=at]),
            col..col + 1,
            "a NUL byte: this is not a CSV text file (binary data, or text saved as UTF-16)"
                .to_string(),
        )
    } else {
        (
            String::new(),
            0..0,
            format!(
                "a NUL byte at byte {} of this line: this is not a CSV text file (binary data, or text saved as UTF-16)",
                thousands(col as u64 + 1)
            ),
        )
    };
    problems.push_diag(
        line,
        &text,
        Diagnostic::error(message, Some(span), "NUL byte").with_help(
            "save the file as UTF-8 text; grapevine stops at the first NUL byte, whatever the options",
        ),
    );
}

/// The problem of a line longer than [`MAX_ROW_BYTES`] starting `row`.
pub(super) fn long_line_problem(line: u32, row: &[u8]) -> RowProblem {
    RowProblem {
        line,
        text: shorten(row),
        span: 0..1,
        message: format!(
            "the line is longer than {} bytes (1 MiB), the most a row may hold",
            thousands(MAX_ROW_BYTES as u64)
        ),
        label: "this line".into(),
        help: "check that this is a CSV contact list with one row per line; reading goes on at the next line".into(),
    }
}

/// `n` with thousands separated by commas: `1,048,576`.
pub(super) fn thousands(n: u64) -> String {
    let s = n.to_string();
    let mut out = String::with_capacity(s.len() + s.len() / 3);
    for (i, c) in s.chars().enumerate() {
        if i > 0 && (s.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// How a row problem is kept: as an error, or as a warning when bad rows are
/// skipped; `false` when enough are kept already.
fn keep_problem(
    problems: &mut Problems,
    p: RowProblem,
    line: u32,
    skip_bad_rows: bool,
    shown_bad: &mut usize,
) {
    let room = if skip_bad_rows {
        *shown_bad < MAX_SKIPPED_SHOWN
    } else {
        *shown_bad < MAX_ERRORS
    };
    if !room {
        return;
    }
    *shown_bad += 1;
    let d = if skip_bad_rows {
        Diagnostic::warning(p.message, Some(p.span), p.label)
    } else {
        Diagnostic::error(p.message, Some(p.span), p.label)
    }
    .with_help(p.help);
    problems.push_diag(line, &p.text, d);
}

impl Corpus {
    /// Reads and parses a CSV file.
    ///
    /// Returns [`Error::Io`] when the file cannot be read and
    /// [`Error::Invalid`] with the bad rows (up to 20, each located by line and
    /// column) when some row is bad and `skip_bad_rows` is off, or when the
    /// file cannot be read as CSV at all (no header, too many columns, a NUL
    /// byte).
    pub fn load(path: &Path, options: &CsvOptions) -> Result<Corpus, Error> {
        let name = path.display().to_string();
        let io = |source| Error::Io {
            path: name.clone(),
            source,
        };
        let file = std::fs::File::open(path).map_err(io)?;
        let total = file
            .metadata()
            .ok()
            .filter(|m| m.is_file())
            .map(|m| m.len());
        Corpus::read(&name, file, total, options)
    }

    /// Parses CSV text held in memory (`file` names it in messages).
    pub fn parse(file: &str, bytes: &[u8], options: &CsvOptions) -> Result<Corpus, Error> {
        Corpus::read(file, bytes, Some(bytes.len() as u64), options)
    }

    /// Parses CSV from any reader (`file` names it in messages).
    pub fn read<R: Read>(
        file: &str,
        mut reader: R,
        total: Option<u64>,
        options: &CsvOptions,
    ) -> Result<Corpus, Error> {
        let shown_file = crate::diagnostic::visible(file);
        let io = |source| Error::Io {
            path: shown_file.clone(),
            source,
        };
        let invalid = |p: Problems| Error::Invalid(Box::new(p.report(&shown_file)));
        let threads = match options.threads {
            0 => std::thread::available_parallelism().map_or(1, |n| n.get()),
            n => n,
        }
        .clamp(1, 64);
        let block = match options.block_size {
            0 => BLOCK,
            n => n,
        };
        let parallel_min = match options.parallel_min {
            0 => PARALLEL_MIN,
            n => n,
        };
        let mut buf: Vec<u8> = Vec::with_capacity(block.min(BLOCK) + 1);
        let mut read_total: u64 = 0;
        let mut eof = false;
        let mut problems = Problems::default();

        // The header: the first line that is not blank.
        let mut line_no: u32 = 1;
        let mut pos = 0;
        let mut need = true;
        let mut bom_checked = false;
        let header_row: Vec<u8> = loop {
            if need && !eof {
                // Read as much again as is held: a long first line costs
                // linear time.
                let want = block.max(buf.len() - pos);
                read_total += fill(&mut buf, &mut reader, want, &mut eof).map_err(io)? as u64;
            }
            need = true;
            if !bom_checked {
                if buf.len() < 3 && !eof {
                    continue;
                }
                bom_checked = true;
                if buf.starts_with(b"\xEF\xBB\xBF") {
                    pos = 3;
                }
            }
            let lb = next_break(&buf, pos);
            let line_end = lb.unwrap_or(buf.len());
            let scan_end = line_end.min(pos + MAX_ROW_BYTES + 1);
            if let Some(z) = memchr::memchr(0, &buf[pos..scan_end]) {
                nul_problem(&mut problems, &buf[pos..], z, line_no, 0);
                return Err(invalid(problems));
            }
            if line_end - pos > MAX_ROW_BYTES {
                problems.push_diag(
                    line_no,
                    &shorten(&buf[pos..line_end]),
                    Diagnostic::error(
                        format!(
                            "the header line is longer than {} bytes (1 MiB)",
                            thousands(MAX_ROW_BYTES as u64)
                        ),
                        Some(0..1),
                        "the header",
                    )
                    .with_help(
                        "the first line names the columns, e.g. from,to,time; is this a CSV file?",
                    ),
                );
                return Err(invalid(problems));
            }
            let next = match lb {
                Some(p) => match after_break(&buf, p, eof) {
                    Some(next) => next,
                    None => continue,
                },
                None if eof => buf.len(),
                None => continue,
            };
            let row = &buf[pos..line_end];
            if trim(row).is_empty() {
                if next >= buf.len() && eof {
                    break Vec::new();
                }
                pos = next;
                line_no = line_no.saturating_add(1);
                // Keep the buffer small across many blank lines.
                if pos >= buf.len() {
                    buf.clear();
                    pos = 0;
                } else {
                    need = false;
                }
                continue;
            }
            let row = row.to_vec();
            buf.drain(..next);
            break row;
        };
        if header_row.is_empty() {
            let mut report = Report::new(shown_file.clone(), "");
            report.diagnostics.push(
                Diagnostic::error("the file is empty: it has no header line", None, "")
                    .with_help("the first line names the columns, e.g. from,to,time"),
            );
            return Err(Error::Invalid(Box::new(report)));
        }
        let header_text = shorten(&header_row);
        let hquote = memchr::memchr(b'"', &header_row).is_some();
        let (header, warnings) = match parse_header(&header_row, hquote) {
            Ok(h) => h,
            Err(d) => {
                problems.push_diag(line_no, &header_text, *d);
                return Err(invalid(problems));
            }
        };
        for w in warnings {
            problems.push_diag(line_no, &header_text, w);
        }
        line_no += 1;

        let parser = PartParser {
            header: &header,
            keep_problems: if options.skip_bad_rows {
                MAX_SKIPPED_SHOWN
            } else {
                MAX_ERRORS
            },
        };
        let width = header.width;
        let mut workers: Vec<Worker> = (0..threads).map(|_| Worker::default()).collect();
        let mut global = Interner::default();
        let mut corpus = Building::default();
        let mut bad_rows = 0usize;
        let mut shown_bad = 0usize;
        let mut grow = false;
        // The block read while the last one is parsed.
        let mut next: Vec<u8> = Vec::with_capacity(block.min(BLOCK) + 1);
        // Cut quoted blocks at guessed line starts until a guess fails.
        let mut speculate = true;
        loop {
            if !eof && (grow || buf.len() < block) {
                // A row longer than what is held: read as much again, so a
                // long row costs linear time.
                let want = if grow {
                    buf.len().max(block)
                } else {
                    block - buf.len()
                };
                read_total += fill(&mut buf, &mut reader, want, &mut eof).map_err(io)? as u64;
            }
            grow = false;
            if buf.is_empty() && eof {
                break;
            }
            // Rows are read up to the first NUL byte, which stops reading.
            // One pass finds the first NUL and whether a quote comes before
            // it (a block with neither, the usual one, is read once).
            let (nul, quoted) = match memchr::memchr2(0, b'"', &buf) {
                None => (None, false),
                Some(i) if buf[i] == 0 => (Some(i), false),
                Some(i) => (memchr::memchr(0, &buf[i..]).map(|z| i + z), true),
            };
            let view_end = nul.unwrap_or(buf.len());
            let view_eof = eof && nul.is_none();
            let view = &buf[..view_end];
            let wanted = if view.len() < parallel_min {
                1
            } else {
                threads
            };
            // Parts: exact cuts when the block has no quote (rows are lines);
            // else guessed cuts, checked by the parse (each part must end
            // where the next begins), with the exact walk as the fallback.
            let mut exact = (!quoted || !speculate).then(|| plan(view, view_eof, width, wanted));
            // Whether `next` holds the rest of this block and the next one.
            let mut swapped = false;
            let (complete, stop, parts) = loop {
                let (bounds, open_end) = match &exact {
                    Some(p) => {
                        let mut b = p.cuts.clone();
                        b.push(p.complete);
                        (b, false)
                    }
                    None => {
                        let mut b = guess_cuts(view, wanted);
                        b.push(view.len());
                        (b, true)
                    }
                };
                let parts = bounds.len() - 1;
                if exact.as_ref().is_some_and(|p| p.complete == 0) {
                    break (0, exact.map_or(Scan::More, |p| p.stop), 0);
                }
                let mut ends: Vec<(usize, Scan)> = vec![(0, Scan::More); parts];
                // Rows that will be whole in the next block are known before
                // the parse when the cuts are exact: that block is read
                // while the parts are parsed, after the rest of this one.
                let ahead = exact
                    .as_ref()
                    .filter(|p| !view_eof && nul.is_none() && !matches!(p.stop, Scan::TooLong));
                let mut read_ahead = None;
                {
                    let parser = &parser;
                    let global = &global;
                    let bounds = &bounds;
                    let parse = move |i: usize, w: &mut Worker, end: &mut (usize, Scan)| {
                        w.out.clear();
                        let mut ids = Ids {
                            global,
                            local: &mut w.local,
                        };
                        *end = parser.parse(
                            view,
                            bounds[i]..bounds[i + 1],
                            view_eof,
                            quoted,
                            &mut ids,
                            &mut w.out,
                        );
                    };
                    std::thread::scope(|scope| {
                        let mut iter = workers
                            .iter_mut()
                            .zip(ends.iter_mut())
                            .take(parts)
                            .enumerate();
                        let first = if ahead.is_some() { None } else { iter.next() };
                        for (i, (w, end)) in iter {
                            scope.spawn(move || parse(i, w, end));
                        }
                        if let Some(p) = ahead {
                            next.clear();
                            next.extend_from_slice(&buf[p.complete..]);
                            let want = block.saturating_sub(next.len());
                            read_ahead = Some(fill(&mut next, &mut reader, want, &mut eof));
                        }
                        if let Some((_, (w, end))) = first {
                            parse(0, w, end);
                        }
                    });
                }
                if let Some(got) = read_ahead {
                    read_total += got.map_err(io)? as u64;
                    swapped = true;
                }
                let joined = (1..parts).all(|i| ends[i - 1].0 == bounds[i]);
                if let Some(p) = exact {
                    break (p.complete, p.stop, parts);
                }
                if joined && open_end {
                    let (end, stop) = ends[parts - 1];
                    break (end, stop, parts);
                }
                // A guessed cut fell inside a row: forget the parts (and the
                // ids they met) and plan this block, and the next ones, row
                // by row.
                for w in workers.iter_mut() {
                    w.out.clear();
                    w.local = Interner::default();
                }
                speculate = false;
                exact = Some(plan(view, view_eof, width, wanted));
            };
            if complete > 0 {
                // Append in file order, giving ids first seen in this block
                // their numbers in the same order.
                for (k, w) in workers.iter_mut().take(parts).enumerate() {
                    let base_line = line_no;
                    for p in std::mem::take(&mut w.out.problems) {
                        let line = base_line.saturating_add(p.line);
                        keep_problem(
                            &mut problems,
                            p,
                            line,
                            options.skip_bad_rows,
                            &mut shown_bad,
                        );
                    }
                    bad_rows += w.out.bad_rows;
                    let mut map = Vec::with_capacity(w.local.names.len());
                    for s in w.local.names.iter() {
                        let fail = |problem| {
                            Error::Query(QueryError::EntityIds {
                                file: shown_file.clone(),
                                problem,
                            })
                        };
                        // The first part's new ids are new to the corpus (it
                        // was frozen while they were read); a later part's
                        // may have come in with an earlier part.
                        let g = if k == 0 {
                            global.insert_new(s, hash_bytes(s.as_bytes()))
                        } else {
                            global.lookup_or_insert_checked(s)
                        };
                        map.push(g.map_err(fail)?);
                    }
                    if !map.is_empty() {
                        w.local.clear();
                    }
                    corpus.append(&w.out, base_line, &map);
                    line_no = base_line.saturating_add(w.out.lines);
                }
            }
            if swapped {
                // The rest of this block is at the start of the next one.
                std::mem::swap(&mut buf, &mut next);
            } else {
                buf.drain(..complete);
            }
            if let Some(progress) = options.progress {
                progress(read_total, total);
            }
            if !options.skip_bad_rows && bad_rows >= MAX_ERRORS {
                break;
            }
            match stop {
                Scan::More => {
                    if let Some(z) = nul {
                        nul_problem(&mut problems, &buf, z - complete, line_no, 0);
                        return Err(invalid(problems));
                    }
                    grow = complete == 0;
                }
                Scan::TooLong => {
                    // The row here has a first line longer than the limit:
                    // a bad row; skip to the next line break.
                    bad_rows += 1;
                    let p = long_line_problem(0, &buf[..buf.len().min(2000)]);
                    keep_problem(
                        &mut problems,
                        p,
                        line_no,
                        options.skip_bad_rows,
                        &mut shown_bad,
                    );
                    let mut dropped = 0usize;
                    loop {
                        let lb = next_break(&buf, 0);
                        let z = memchr::memchr(0, &buf[..lb.unwrap_or(buf.len())]);
                        if let Some(z) = z {
                            nul_problem(&mut problems, &buf, z, line_no, dropped);
                            return Err(invalid(problems));
                        }
                        match lb.map(|p| after_break(&buf, p, eof)) {
                            Some(Some(next)) => {
                                buf.drain(..next);
                                line_no = line_no.saturating_add(1);
                                break;
                            }
                            Some(None) => {
                                // A `\r` last: one byte more tells.
                                read_total +=
                                    fill(&mut buf, &mut reader, 1, &mut eof).map_err(io)? as u64;
                            }
                            None => {
                                dropped += buf.len();
                                buf.clear();
                                if eof {
                                    break;
                                }
                                read_total += fill(&mut buf, &mut reader, block, &mut eof)
                                    .map_err(io)?
                                    as u64;
                            }
                        }
                    }
                    if !options.skip_bad_rows && bad_rows >= MAX_ERRORS {
                        break;
                    }
                }
                Scan::Row { .. } => {
                    if view_eof && buf.is_empty() {
                        break;
                    }
                }
            }
        }
        if bad_rows > 0 && !options.skip_bad_rows {
            debug_assert!(problems.errors() > 0);
            let mut report = problems.report(&shown_file);
            if bad_rows >= MAX_ERRORS {
                report.diagnostics.push(
                    Diagnostic::error(
                        format!("reading stopped after {MAX_ERRORS} bad rows"),
                        None,
                        "",
                    )
                    .with_help(
                        "fix the rows above and check again, or leave bad rows out (skip bad rows)",
                    ),
                );
            }
            return Err(Error::Invalid(Box::new(report)));
        }
        drop(workers);
        if let Some(w) = corpus.forms.warning(&header) {
            problems.push_diag(w.0, &w.1, w.2);
        }
        let mut corpus = corpus.finish(global.names, header)?;
        corpus.skipped = bad_rows;
        corpus.report = problems.report(&shown_file);
        Ok(corpus)
    }
}
