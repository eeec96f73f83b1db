//! Reading a whole file: blocks, parts on threads, problems and progress.

#[allow(unused_imports)]
use super::*;

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
            let span = (start + span.start)..(start + span.end.max(span.start));
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

impl Corpus {
    /// Reads and parses a CSV file.
    ///
    /// Returns [`Error::Io`] when the file cannot be read and
    /// [`Error::Invalid`] with the bad rows (up to 20, each located by line and
    /// column) when some row is bad and `skip_bad_rows` is off.
    pub fn load(path: &Path, options: &CsvOptions) -> Result<Corpus, Error> {
        let name = path.display().to_string();
        let io = |source| Error::Io {
            path: name.clone(),
            source,
        };
        let file = std::fs::File::open(path).map_err(io)?;
        let total = file.metadata().ok().map(|m| m.len());
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
        let io = |source| Error::Io {
            path: file.to_string(),
            source,
        };
        let invalid = |p: Problems| Error::Invalid(Box::new(p.report(file)));
        let threads = match options.threads {
            0 => std::thread::available_parallelism().map_or(1, |n| n.get()),
            n => n,
        }
        .clamp(1, 64);
        let mut buf: Vec<u8> = Vec::with_capacity(BLOCK + (1 << 16));
        let mut read_total: u64 = 0;
        let mut eof = false;
        // Fill until the header line is complete.
        let fill = |buf: &mut Vec<u8>, reader: &mut R, eof: &mut bool| -> std::io::Result<usize> {
            let start = buf.len();
            let want = BLOCK.saturating_sub(start).max(1 << 16);
            buf.resize(start + want, 0);
            let mut got = 0;
            while got < want {
                match reader.read(&mut buf[start + got..]) {
                    Ok(0) => {
                        *eof = true;
                        break;
                    }
                    Ok(n) => got += n,
                    Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
                    Err(e) => {
                        buf.truncate(start + got);
                        return Err(e);
                    }
                }
            }
            buf.truncate(start + got);
            Ok(got)
        };
        read_total += fill(&mut buf, &mut reader, &mut eof).map_err(io)? as u64;
        let mut skip = 0;
        if buf.starts_with(b"\xEF\xBB\xBF") {
            skip = 3;
        }
        // Skip blank lines before the header.
        let mut line_no: u32 = 1;
        loop {
            let (end, _) = row_end(&buf, skip);
            if end >= buf.len() && !eof {
                read_total += fill(&mut buf, &mut reader, &mut eof).map_err(io)? as u64;
                continue;
            }
            if trim(&buf[skip..end]).is_empty() && end < buf.len() {
                skip = end + 1;
                line_no += 1;
                continue;
            }
            break;
        }
        let (hend, hquote) = row_end(&buf, skip);
        let header_row = buf[skip..hend].to_vec();
        let header_text = shorten(&header_row);
        if trim(&header_row).is_empty() {
            let mut report = Report::new(file, "");
            report.diagnostics.push(
                Diagnostic::error("the file is empty: it has no header line", None, "")
                    .with_help("the first line names the columns, e.g. from,to,time"),
            );
            return Err(Error::Invalid(Box::new(report)));
        }
        let mut problems = Problems::default();
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
        line_no += hquote_lines(&header_row) + 1;
        buf.drain(..(hend + 1).min(buf.len()));

        let parser = PartParser {
            header: &header,
            keep_problems: if options.skip_bad_rows {
                MAX_SKIPPED_SHOWN
            } else {
                MAX_ERRORS
            },
        };
        let mut workers: Vec<Worker> = (0..threads).map(|_| Worker::default()).collect();
        let mut global = Interner::default();
        let mut corpus = Building::default();
        let mut bad_rows = 0usize;
        let mut shown_bad = 0usize;
        loop {
            if !eof && buf.len() < BLOCK {
                read_total += fill(&mut buf, &mut reader, &mut eof).map_err(io)? as u64;
            }
            if buf.is_empty() && eof {
                break;
            }
            // The complete rows of the buffer.
            let complete = if eof {
                buf.len()
            } else {
                match last_boundary(&buf) {
                    Some(b) => b,
                    None => {
                        // One row longer than the buffer: read more.
                        read_total += fill(&mut buf, &mut reader, &mut eof).map_err(io)? as u64;
                        continue;
                    }
                }
            };
            let block = &buf[..complete];
            let parts = if block.len() < PARALLEL_MIN {
                1
            } else {
                threads
            };
            let mut cuts = vec![0usize];
            for p in 1..parts {
                let at = boundary_after(block, block.len() * p / parts);
                cuts.push(at.max(*cuts.last().unwrap_or(&0)));
            }
            cuts.push(block.len());
            {
                let parser = &parser;
                let global = &global;
                let cuts = &cuts;
                std::thread::scope(|scope| {
                    let mut iter = workers.iter_mut().take(parts).enumerate();
                    let first = iter.next();
                    for (i, w) in iter {
                        let slice = &block[cuts[i]..cuts[i + 1]];
                        scope.spawn(move || {
                            w.out.clear();
                            let mut ids = Ids {
                                global,
                                local: &mut w.local,
                            };
                            parser.parse(slice, &mut ids, &mut w.out);
                        });
                    }
                    if let Some((_, w)) = first {
                        w.out.clear();
                        let mut ids = Ids {
                            global,
                            local: &mut w.local,
                        };
                        parser.parse(&block[cuts[0]..cuts[1]], &mut ids, &mut w.out);
                    }
                });
            }
            // Append in file order, giving ids first seen in this block their
            // numbers in the same order.
            for w in workers.iter_mut().take(parts) {
                let base_line = line_no;
                for p in std::mem::take(&mut w.out.problems) {
                    let line = base_line + p.line;
                    if options.skip_bad_rows && shown_bad >= MAX_SKIPPED_SHOWN {
                        continue;
                    }
                    if !options.skip_bad_rows && problems.list.len() >= MAX_ERRORS {
                        continue;
                    }
                    shown_bad += 1;
                    let d = if options.skip_bad_rows {
                        Diagnostic::warning(p.message, Some(p.span), p.label)
                    } else {
                        Diagnostic::error(p.message, Some(p.span), p.label)
                    }
                    .with_help(p.help);
                    problems.push_diag(line, &p.text, d);
                }
                bad_rows += w.out.bad_rows;
                if !w.local.names.is_empty() {
                    let mut map = Vec::with_capacity(w.local.names.len());
                    for s in w.local.names.iter() {
                        let g = global
                            .lookup_or_insert(s.as_bytes())
                            .map_err(|what| Error::Query(format!("{file}: entity id {what}")))?;
                        map.push(g);
                    }
                    for x in w.out.from.iter_mut().chain(w.out.to.iter_mut()) {
                        if *x >= LOCAL {
                            *x = map[(*x - LOCAL) as usize];
                        }
                    }
                    w.local = Interner::default();
                }
                corpus.append(&w.out, base_line);
                line_no = base_line + w.out.lines;
            }
            buf.drain(..complete.min(buf.len()));
            if let Some(progress) = options.progress {
                progress(read_total, total);
            }
            if !options.skip_bad_rows && bad_rows >= MAX_ERRORS {
                break;
            }
            if eof && buf.is_empty() {
                break;
            }
        }
        if bad_rows > 0 && !options.skip_bad_rows {
            return Err(invalid(problems));
        }
        drop(workers);
        let mut corpus = corpus.finish(global.names, header)?;
        corpus.skipped = bad_rows;
        corpus.report = problems.report(file);
        Ok(corpus)
    }
}

pub(super) fn hquote_lines(row: &[u8]) -> u32 {
    memchr::memchr_iter(b'\n', row).count() as u32
}

/// The end of the last complete row of `buf` (just past its newline), or
/// `None` when the buffer holds no complete row.
pub(super) fn last_boundary(buf: &[u8]) -> Option<usize> {
    let nl = memchr::memrchr(b'\n', buf)?;
    if memchr::memchr(b'"', buf).is_none() {
        return Some(nl + 1);
    }
    // Quote-aware: walk rows from the start.
    let mut start = 0;
    let mut last = None;
    loop {
        let (end, _) = row_end(buf, start);
        if end >= buf.len() {
            return last;
        }
        last = Some(end + 1);
        start = end + 1;
    }
}
