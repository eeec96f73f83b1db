//! Reading a whole file: the header, blocks cut into parts on threads, NUL
//! bytes and overlong lines, problems and progress.

use std::io::Read;
use std::path::Path;

use crate::diagnostic::{Diagnostic, Report};
use crate::error::QueryError;
use crate::Error;

use super::build::Building;
use super::cut::{guess_cuts, plan};
use super::fields::{after_break, count_breaks, next_break, trim, Block, Header, Scan};
use super::header::parse_header;
use super::intern::{hash_bytes, Ids, Interner};
use super::part::{PartOut, PartParser};
use super::problem::{shorten, thousands, Problems, RowProblem};
use super::{
    Corpus, CsvOptions, BLOCK, MAX_ERRORS, MAX_ROW_BYTES, MAX_SKIPPED_SHOWN, PARALLEL_MIN,
};

/// Per-thread state kept across blocks.
#[derive(Default)]
pub(super) struct Worker {
    /// Ids first seen in this thread's part of the current block.
    pub(super) local: Interner,
    pub(super) out: PartOut,
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

/// Bad rows: how many, and how many were kept as problems.
struct BadRows {
    /// Bad rows are left out (kept as warnings) instead of failing.
    skip: bool,
    count: usize,
    shown: usize,
}

impl BadRows {
    /// Keeps a row's problem: as an error, or as a warning when bad rows are
    /// skipped; not when enough are kept already.
    fn keep(&mut self, problems: &mut Problems, p: RowProblem, line: u32) {
        let room = if self.skip {
            self.shown < MAX_SKIPPED_SHOWN
        } else {
            self.shown < MAX_ERRORS
        };
        if !room {
            return;
        }
        self.shown += 1;
        let d = if self.skip {
            Diagnostic::warning(p.message, Some(p.span), p.label)
        } else {
            Diagnostic::error(p.message, Some(p.span), p.label)
        }
        .with_help(p.help);
        problems.push_diag(line, &p.text, d);
    }

    /// Whether reading stops here: enough bad rows, and they are not skipped.
    fn too_many(&self) -> bool {
        !self.skip && self.count >= MAX_ERRORS
    }
}

/// The error of a file with bad rows (when they are not skipped): its
/// problems, and whether reading stopped early.
fn bad_rows_error(problems: Problems, file: &str, stopped: bool) -> Error {
    debug_assert!(problems.errors() > 0);
    let mut report = problems.report(file);
    if stopped {
        report.diagnostics.push(
            Diagnostic::error(
                format!("reading stopped after {MAX_ERRORS} bad rows"),
                None,
                "",
            )
            .with_help("fix the rows above and check again, or leave bad rows out (skip bad rows)"),
        );
    }
    Error::Invalid(Box::new(report))
}

/// The file as it is read: the bytes held (from a row start on), where they
/// stand in the file, and the problems found so far.
struct Input<'o, R> {
    reader: R,
    /// The file's name as messages show it.
    file: String,
    /// The file's size, when known (for progress).
    total: Option<u64>,
    progress: Option<&'o (dyn Fn(u64, Option<u64>) + Sync)>,
    /// Bytes read per block.
    block: usize,
    buf: Vec<u8>,
    /// The block read while the last one is parsed.
    next: Vec<u8>,
    eof: bool,
    /// Bytes read so far.
    read_total: u64,
    /// The line of the first byte of `buf`.
    line_no: u32,
    problems: Problems,
}

impl<R: Read> Input<'_, R> {
    fn io(&self, source: std::io::Error) -> Error {
        Error::Io {
            path: self.file.clone(),
            source,
        }
    }

    /// The problems found so far, as the file's error.
    fn invalid(&mut self) -> Error {
        Error::Invalid(Box::new(
            std::mem::take(&mut self.problems).report(&self.file),
        ))
    }

    /// Reads at most `want` more bytes (at least one) into `buf`.
    fn fill(&mut self, want: usize) -> Result<(), Error> {
        let got = fill(&mut self.buf, &mut self.reader, want, &mut self.eof);
        self.read_total += got.map_err(|source| self.io(source))? as u64;
        Ok(())
    }

    /// The header line: the first line that is not blank (empty when there is
    /// none). `buf` then starts after it.
    fn header_row(&mut self) -> Result<Vec<u8>, Error> {
        let mut pos = 0;
        let mut need = true;
        let mut bom_checked = false;
        loop {
            if need && !self.eof {
                // Read as much again as is held: a long first line costs
                // linear time.
                let want = self.block.max(self.buf.len() - pos);
                self.fill(want)?;
            }
            need = true;
            if !bom_checked {
                if self.buf.len() < 3 && !self.eof {
                    continue;
                }
                bom_checked = true;
                if self.buf.starts_with(b"\xEF\xBB\xBF") {
                    pos = 3;
                }
            }
            let buf = &self.buf;
            let lb = next_break(buf, pos);
            let line_end = lb.unwrap_or(buf.len());
            let scan_end = line_end.min(pos + MAX_ROW_BYTES + 1);
            if let Some(z) = memchr::memchr(0, &buf[pos..scan_end]) {
                nul_problem(&mut self.problems, &buf[pos..], z, self.line_no, 0);
                return Err(self.invalid());
            }
            if line_end - pos > MAX_ROW_BYTES {
                self.problems.push_diag(
                    self.line_no,
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
                return Err(self.invalid());
            }
            let next = match lb {
                Some(p) => match after_break(buf, p, self.eof) {
                    Some(next) => next,
                    None => continue,
                },
                None if self.eof => buf.len(),
                None => continue,
            };
            let row = &buf[pos..line_end];
            if trim(row).is_empty() {
                if next >= buf.len() && self.eof {
                    return Ok(Vec::new());
                }
                pos = next;
                self.line_no = self.line_no.saturating_add(1);
                // Keep the buffer small across many blank lines.
                if pos >= self.buf.len() {
                    self.buf.clear();
                    pos = 0;
                } else {
                    need = false;
                }
                continue;
            }
            let row = row.to_vec();
            self.buf.drain(..next);
            return Ok(row);
        }
    }

    /// Reads the header line and the columns it names (its warnings kept);
    /// `line_no` then stands at the line after it.
    fn header(&mut self) -> Result<Header, Error> {
        let header_row = self.header_row()?;
        if header_row.is_empty() {
            let mut report = Report::new(self.file.clone(), "");
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
                self.problems.push_diag(self.line_no, &header_text, *d);
                return Err(self.invalid());
            }
        };
        for w in warnings {
            self.problems.push_diag(self.line_no, &header_text, w);
        }
        self.line_no += 1;
        Ok(header)
    }

    /// Drops the line at the start of `buf`, too long to be a row, up to and
    /// with its line break (reading on as needed).
    fn skip_long_line(&mut self) -> Result<(), Error> {
        let mut dropped = 0usize;
        loop {
            let lb = next_break(&self.buf, 0);
            let z = memchr::memchr(0, &self.buf[..lb.unwrap_or(self.buf.len())]);
            if let Some(z) = z {
                nul_problem(&mut self.problems, &self.buf, z, self.line_no, dropped);
                return Err(self.invalid());
            }
            match lb.map(|p| after_break(&self.buf, p, self.eof)) {
                Some(Some(next)) => {
                    self.buf.drain(..next);
                    self.line_no = self.line_no.saturating_add(1);
                    return Ok(());
                }
                // A `\r` last: one byte more tells.
                Some(None) => self.fill(1)?,
                None => {
                    dropped += self.buf.len();
                    self.buf.clear();
                    if self.eof {
                        return Ok(());
                    }
                    self.fill(self.block)?;
                }
            }
        }
    }
}

/// What of the buffer a block's parse may read.
#[derive(Clone, Copy)]
struct View {
    /// The first NUL byte, or the buffer's end: rows are read up to it.
    end: usize,
    nul: Option<usize>,
    /// No bytes follow the view: the file ends there, without a NUL.
    eof: bool,
    /// The view holds a quote.
    quoted: bool,
}

impl View {
    /// Rows are read up to the first NUL byte, which stops reading. One pass
    /// finds the first NUL and whether a quote comes before it (a block with
    /// neither, the usual one, is read once).
    fn of(buf: &[u8], eof: bool) -> View {
        let (nul, quoted) = match memchr::memchr2(0, b'"', buf) {
            None => (None, false),
            Some(i) if buf[i] == 0 => (Some(i), false),
            Some(i) => (memchr::memchr(0, &buf[i..]).map(|z| i + z), true),
        };
        View {
            end: nul.unwrap_or(buf.len()),
            nul,
            eof: eof && nul.is_none(),
            quoted,
        }
    }
}

/// What a block's parse gave.
struct Parsed {
    /// The end of the block's complete rows.
    complete: usize,
    /// Why the parse stopped there.
    stop: Scan,
    /// Workers that parsed a part.
    parts: usize,
    /// Whether `next` holds the rest of this block and the next one.
    swapped: bool,
}

/// The rows read so far, and how blocks are cut and parsed.
struct Rows<'h> {
    parser: PartParser<'h>,
    threads: usize,
    /// Blocks smaller than this are parsed on one thread.
    parallel_min: usize,
    workers: Vec<Worker>,
    /// The ids numbered so far.
    global: Interner,
    building: Building,
    bad: BadRows,
    /// Cut quoted blocks at guessed line starts until a guess fails.
    speculate: bool,
}

impl<'h> Rows<'h> {
    fn new(header: &'h Header, options: &CsvOptions) -> Self {
        let threads = match options.threads {
            0 => std::thread::available_parallelism().map_or(1, |n| n.get()),
            n => n,
        }
        .clamp(1, 64);
        let parallel_min = match options.parallel_min {
            0 => PARALLEL_MIN,
            n => n,
        };
        Rows {
            parser: PartParser {
                header,
                keep_problems: if options.skip_bad_rows {
                    MAX_SKIPPED_SHOWN
                } else {
                    MAX_ERRORS
                },
            },
            threads,
            parallel_min,
            workers: (0..threads).map(|_| Worker::default()).collect(),
            global: Interner::default(),
            building: Building::default(),
            bad: BadRows {
                skip: options.skip_bad_rows,
                count: 0,
                shown: 0,
            },
            speculate: true,
        }
    }

    /// Reads the blocks of rows after the header to the end of the file, or
    /// until there are too many bad rows.
    fn read_all<R: Read>(&mut self, input: &mut Input<'_, R>) -> Result<(), Error> {
        let mut grow = false;
        loop {
            if !input.eof && (grow || input.buf.len() < input.block) {
                // A row longer than what is held: read as much again, so a
                // long row costs linear time.
                let want = if grow {
                    input.buf.len().max(input.block)
                } else {
                    input.block - input.buf.len()
                };
                input.fill(want)?;
            }
            grow = false;
            if input.buf.is_empty() && input.eof {
                break;
            }
            let view = View::of(&input.buf, input.eof);
            let parsed = self.parse_block(input, view)?;
            if parsed.complete > 0 {
                self.append(input, parsed.parts)?;
            }
            if parsed.swapped {
                // The rest of this block is at the start of the next one.
                std::mem::swap(&mut input.buf, &mut input.next);
            } else {
                input.buf.drain(..parsed.complete);
            }
            if let Some(progress) = input.progress {
                progress(input.read_total, input.total);
            }
            if self.bad.too_many() {
                break;
            }
            match parsed.stop {
                Scan::More => {
                    if let Some(z) = view.nul {
                        let at = z - parsed.complete;
                        nul_problem(&mut input.problems, &input.buf, at, input.line_no, 0);
                        return Err(input.invalid());
                    }
                    grow = parsed.complete == 0;
                }
                Scan::TooLong => {
                    // The row here has a first line longer than the limit:
                    // a bad row; skip to the next line break.
                    self.bad.count += 1;
                    let p = long_line_problem(0, &input.buf[..input.buf.len().min(2000)]);
                    self.bad.keep(&mut input.problems, p, input.line_no);
                    input.skip_long_line()?;
                    if self.bad.too_many() {
                        break;
                    }
                }
                Scan::Row { .. } => {
                    if view.eof && input.buf.is_empty() {
                        break;
                    }
                }
            }
        }
        Ok(())
    }

    /// Cuts the view of the block into parts and parses them. Parts are cut
    /// exactly when the block has no quote (rows are lines); else at guessed
    /// line starts, checked by the parse (each part must end where the next
    /// begins), with the exact walk as the fallback for this block and the
    /// next ones.
    fn parse_block<R: Read>(
        &mut self,
        input: &mut Input<'_, R>,
        at: View,
    ) -> Result<Parsed, Error> {
        let width = self.parser.header.width;
        let wanted = if at.end < self.parallel_min {
            1
        } else {
            self.threads
        };
        let mut exact = (!at.quoted || !self.speculate)
            .then(|| plan(&input.buf[..at.end], at.eof, width, wanted));
        loop {
            let (bounds, open_end) = match &exact {
                Some(p) => {
                    let mut b = p.cuts.clone();
                    b.push(p.complete);
                    (b, false)
                }
                None => {
                    let mut b = guess_cuts(&input.buf[..at.end], wanted);
                    b.push(at.end);
                    (b, true)
                }
            };
            let parts = bounds.len() - 1;
            if exact.as_ref().is_some_and(|p| p.complete == 0) {
                let stop = exact.map_or(Scan::More, |p| p.stop);
                return Ok(Parsed {
                    complete: 0,
                    stop,
                    parts: 0,
                    swapped: false,
                });
            }
            // Rows that will be whole in the next block are known before
            // the parse when the cuts are exact: that block is read while
            // the parts are parsed, after the rest of this one.
            let ahead = exact
                .as_ref()
                .filter(|p| !at.eof && at.nul.is_none() && !matches!(p.stop, Scan::TooLong))
                .map(|p| p.complete);
            let (ends, swapped) = self.parse_parts(input, at, &bounds, ahead)?;
            let joined = (1..parts).all(|i| ends[i - 1].0 == bounds[i]);
            if let Some(p) = exact {
                return Ok(Parsed {
                    complete: p.complete,
                    stop: p.stop,
                    parts,
                    swapped,
                });
            }
            if joined && open_end {
                let (complete, stop) = ends[parts - 1];
                return Ok(Parsed {
                    complete,
                    stop,
                    parts,
                    swapped,
                });
            }
            // A guessed cut fell inside a row: forget the parts (and the
            // ids they met) and plan this block, and the next ones, row
            // by row.
            for w in self.workers.iter_mut() {
                w.out.clear();
                w.local = Interner::default();
            }
            self.speculate = false;
            exact = Some(plan(&input.buf[..at.end], at.eof, width, wanted));
        }
    }

    /// Parses the parts of the view between `bounds`, one per worker, on
    /// threads. With `ahead` (the end of the complete rows), this thread
    /// meanwhile reads the next block, after the rest of this one, into
    /// `next`. Returns where each part's parse stopped, and whether the next
    /// block was read.
    fn parse_parts<R: Read>(
        &mut self,
        input: &mut Input<'_, R>,
        at: View,
        bounds: &[usize],
        ahead: Option<usize>,
    ) -> Result<(Vec<(usize, Scan)>, bool), Error> {
        let parts = bounds.len() - 1;
        let mut ends: Vec<(usize, Scan)> = vec![(0, Scan::More); parts];
        let mut read_ahead = None;
        {
            let view = &input.buf[..at.end];
            let parser = &self.parser;
            let global = &self.global;
            let parse = move |i: usize, w: &mut Worker, end: &mut (usize, Scan)| {
                w.out.clear();
                let mut ids = Ids {
                    global,
                    local: &mut w.local,
                };
                let block = Block {
                    bytes: view,
                    eof: at.eof,
                    quotes: at.quoted,
                };
                *end = parser.parse(block, bounds[i]..bounds[i + 1], &mut ids, &mut w.out);
            };
            let (next, reader, eof) = (&mut input.next, &mut input.reader, &mut input.eof);
            let block = input.block;
            std::thread::scope(|scope| {
                let mut iter = self
                    .workers
                    .iter_mut()
                    .zip(ends.iter_mut())
                    .take(parts)
                    .enumerate();
                let first = if ahead.is_some() { None } else { iter.next() };
                for (i, (w, end)) in iter {
                    scope.spawn(move || parse(i, w, end));
                }
                if let Some(complete) = ahead {
                    next.clear();
                    next.extend_from_slice(&view[complete..]);
                    let want = block.saturating_sub(next.len());
                    read_ahead = Some(fill(next, reader, want, eof));
                }
                if let Some((_, (w, end))) = first {
                    parse(0, w, end);
                }
            });
        }
        let swapped = match read_ahead {
            Some(got) => {
                input.read_total += got.map_err(|source| input.io(source))? as u64;
                true
            }
            None => false,
        };
        Ok((ends, swapped))
    }

    /// Appends the parts' rows in file order, giving ids first seen in this
    /// block their numbers in the same order, and keeps their problems.
    fn append<R: Read>(&mut self, input: &mut Input<'_, R>, parts: usize) -> Result<(), Error> {
        let shown_file = &input.file;
        for (k, w) in self.workers.iter_mut().take(parts).enumerate() {
            let base_line = input.line_no;
            for p in std::mem::take(&mut w.out.problems) {
                let line = base_line.saturating_add(p.line);
                self.bad.keep(&mut input.problems, p, line);
            }
            self.bad.count += w.out.bad_rows;
            let mut map = Vec::with_capacity(w.local.names.len());
            for s in w.local.names.iter() {
                let fail = |problem| {
                    Error::Query(QueryError::EntityIds {
                        file: shown_file.to_string(),
                        problem,
                    })
                };
                // The first part's new ids are new to the corpus (it
                // was frozen while they were read); a later part's
                // may have come in with an earlier part.
                let g = if k == 0 {
                    self.global.insert_new(s, hash_bytes(s.as_bytes()))
                } else {
                    self.global.lookup_or_insert_checked(s)
                };
                map.push(g.map_err(fail)?);
            }
            if !map.is_empty() {
                w.local.clear();
            }
            self.building.append(&w.out, base_line, &map);
            input.line_no = base_line.saturating_add(w.out.lines);
        }
        Ok(())
    }
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
        reader: R,
        total: Option<u64>,
        options: &CsvOptions,
    ) -> Result<Corpus, Error> {
        let block = match options.block_size {
            0 => BLOCK,
            n => n,
        };
        let mut input = Input {
            reader,
            file: crate::diagnostic::visible(file),
            total,
            progress: options.progress,
            block,
            buf: Vec::with_capacity(block.min(BLOCK) + 1),
            next: Vec::with_capacity(block.min(BLOCK) + 1),
            eof: false,
            read_total: 0,
            line_no: 1,
            problems: Problems::default(),
        };
        let header = input.header()?;
        let mut rows = Rows::new(&header, options);
        rows.read_all(&mut input)?;
        let Rows {
            workers,
            global,
            building,
            bad,
            ..
        } = rows;
        if bad.count > 0 && !bad.skip {
            return Err(bad_rows_error(
                input.problems,
                &input.file,
                bad.count >= MAX_ERRORS,
            ));
        }
        drop(workers);
        if let Some(w) = building.forms.warning(&header) {
            input.problems.push_diag(w.0, &w.1, w.2);
        }
        let mut corpus = building.finish(global.names, header)?;
        corpus.skipped = bad.count;
        corpus.report = input.problems.report(&input.file);
        Ok(corpus)
    }
}
