//! Reading the bytes of a file to import (FtM JSONL, GEXF) with the bounds
//! of the story reader: at most [`MAX_STORY_BYTES`](super::MAX_STORY_BYTES)
//! in all, no NUL byte, and for FtM lines of at most [`MAX_FTM_LINE_BYTES`]
//! that begin with `{` (reading stops after [`MAX_BAD_LINES`] that do not).
//! `/dev/zero` and `yes |` are refused after their first bytes instead of
//! being read until memory runs out.

use std::io::Read;

use crate::diagnostic::{Diagnostic, Report};
use crate::error::QueryError;
use crate::Error;

/// The most bytes one FtM line (one entity) may hold: 64 MiB, 64 times
/// the CSV reader's row ([`MAX_ROW_BYTES`](super::csv::MAX_ROW_BYTES)),
/// room for an e-mail's body; a longer line is refused at its start.
pub const MAX_FTM_LINE_BYTES: usize = 64 * super::csv::MAX_ROW_BYTES;

/// Lines that are not JSON objects read before an FtM file is refused: 20,
/// as the CSV reader stops after 20 bad rows.
pub const MAX_BAD_LINES: usize = 20;

/// Bytes read at a time.
const CHUNK: usize = 1 << 16;

/// The format a file is imported from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ImportFormat {
    /// FollowTheMoney JSONL.
    Ftm,
    /// GEXF (XML).
    Gexf,
}

/// What the checks found in the bytes so far.
struct Scan {
    format: ImportFormat,
    /// Where the current line starts.
    line_start: usize,
    /// Whether the current line's first non-blank byte was seen.
    line_seen: bool,
    /// Lines that do not begin with `{`: their starts and ends.
    bad: Vec<std::ops::Range<usize>>,
    /// Whether the first non-blank byte of the file was seen.
    started: bool,
}

impl Scan {
    /// Checks `bytes[from..]`: an error (a diagnostic) stops reading.
    fn check(&mut self, bytes: &[u8], from: usize) -> Option<Diagnostic> {
        for (i, &b) in bytes.iter().enumerate().skip(from) {
            if b == 0 {
                return Some(
                    Diagnostic::error(
                        format!("a NUL byte: this is not {} text", self.what()),
                        Some(i..i + 1),
                        "here",
                    )
                    .with_help("import a text file saved as UTF-8 (binary data, /dev/zero or UTF-16 text cannot be read)"),
                );
            }
            if let Some(d) = self.byte(i, b) {
                return Some(d);
            }
        }
        if self.format == ImportFormat::Ftm && bytes.len() - self.line_start > MAX_FTM_LINE_BYTES {
            return Some(too_long(self.line_start));
        }
        None
    }

    fn what(&self) -> &'static str {
        match self.format {
            ImportFormat::Ftm => "an FtM (JSON lines)",
            ImportFormat::Gexf => "a GEXF (XML)",
        }
    }

    /// One byte at `i`.
    fn byte(&mut self, i: usize, b: u8) -> Option<Diagnostic> {
        let blank = b.is_ascii_whitespace() || (i < 3 && b"\xEF\xBB\xBF"[i] == b);
        if self.format == ImportFormat::Gexf {
            if !self.started && !blank {
                self.started = true;
                if b != b'<' {
                    return Some(
                        Diagnostic::error(
                            "this is not XML: a GEXF file begins with `<`".to_string(),
                            Some(i..i + 1),
                            "here",
                        )
                        .with_help(
                            "import a GEXF file (as Gephi writes it: <?xml ...?><gexf ...>)",
                        ),
                    );
                }
            }
            return None;
        }
        if b == b'\n' {
            if i - self.line_start > MAX_FTM_LINE_BYTES {
                return Some(too_long(self.line_start));
            }
            self.line_start = i + 1;
            self.line_seen = false;
            return None;
        }
        if !self.line_seen && !blank {
            self.line_seen = true;
            if b != b'{' {
                self.bad.push(i..i + 1);
                if self.bad.len() > MAX_BAD_LINES {
                    return Some(Diagnostic::error(
                        format!("reading stopped after {MAX_BAD_LINES} lines that are not JSON objects"),
                        Some(i..i + 1),
                        "here",
                    ).with_help("an FtM file holds one JSON object a line: {\"id\": ..., \"schema\": ..., \"properties\": {...}}"));
                }
            }
        }
        None
    }
}

fn too_long(at: usize) -> Diagnostic {
    Diagnostic::error(
        format!(
            "the line is longer than {} bytes ({} MiB), the most an FtM entity may hold",
            super::csv::thousands(MAX_FTM_LINE_BYTES as u64),
            MAX_FTM_LINE_BYTES >> 20
        ),
        Some(at..at + 1),
        "this line",
    )
    .with_help("an FtM file holds one entity a line; split the file or leave the long values out")
}

/// The bytes of `path` (`-`: standard input; `name` in messages) to import
/// as `format`, within the bounds of this module: an error as soon as they
/// are passed, located in what was read.
pub fn read_import_bytes(
    path: &std::path::Path,
    name: &str,
    format: ImportFormat,
) -> Result<Vec<u8>, Error> {
    let (mut reader, _) = super::open(path)?;
    let mut bytes = Vec::new();
    let mut scan = Scan {
        format,
        line_start: 0,
        line_seen: false,
        bad: Vec::new(),
        started: false,
    };
    let io = |source| Error::Io {
        path: name.to_string(),
        source,
    };
    loop {
        let from = bytes.len();
        let n = (&mut reader)
            .take(CHUNK as u64)
            .read_to_end(&mut bytes)
            .map_err(io)?;
        if let Some(d) = scan.check(&bytes, from) {
            return Err(refused(name, &bytes, d, &scan.bad));
        }
        if n == 0 {
            break;
        }
        if bytes.len() as u64 > super::MAX_STORY_BYTES {
            return Err(Error::Query(QueryError::StoryTooLarge {
                file: crate::diagnostic::visible(name),
                limit: super::MAX_STORY_BYTES,
            }));
        }
    }
    Ok(bytes)
}

/// The report of a refused file: the lines that were not JSON objects and
/// the error that stopped reading.
fn refused(name: &str, bytes: &[u8], stop: Diagnostic, bad: &[std::ops::Range<usize>]) -> Error {
    // Only the text up to the error's line end is kept (and shown).
    let end = stop.span.as_ref().map_or(0, |s| s.end);
    let end = bytes[end.min(bytes.len())..]
        .iter()
        .position(|&b| b == b'\n')
        .map_or(bytes.len(), |p| end + p)
        .min(end + 4096);
    let text = String::from_utf8_lossy(&bytes[..end.min(bytes.len())]).into_owned();
    let mut report = Report::new(name, text);
    for s in bad.iter().take(MAX_BAD_LINES) {
        report.diagnostics.push(
            Diagnostic::error(
                "this line is not a JSON object".to_string(),
                Some(s.clone()),
                "here",
            )
            .with_help("an FtM file holds one JSON object a line: {\"id\": ..., \"schema\": ..., \"properties\": {...}}"),
        );
    }
    report.diagnostics.push(stop);
    Error::Invalid(Box::new(report))
}
