//! Readers and writers only: format 1 JSON (lossless, located errors), CSV
//! contact lists, and the canonical writer. [`read`] is the one front door:
//! it recognises the kind of input and gives an [`Input`], whose
//! [`Input::catalog`] every command answers from.

pub mod csv;
pub mod export;
pub mod ftm;
pub mod gexf;
mod import_text;
mod json;
pub mod judgements;
pub mod load;
mod origin;
#[cfg(feature = "parquet")]
pub mod parquet;
pub mod save;
pub mod sheets;

use std::path::Path;

pub use import_text::{read_import_bytes, ImportFormat, MAX_BAD_LINES, MAX_FTM_LINE_BYTES};
pub use json::{parse as parse_json, SyntaxError, MAX_DEPTH};
pub use load::{load_bytes, load_str, Loaded};
pub use save::to_json;

use crate::catalog::{Catalog, StoryCatalog};
use crate::diagnostic::Report;
use crate::error::QueryError;
use crate::model::Story;
use crate::Error;

/// Reads and validates a story file.
///
/// Returns the story with its warnings, [`Error::Io`] when the file cannot be
/// read, or [`Error::Invalid`] with every problem found, each located by line
/// and column.
pub fn load_path(path: &Path) -> Result<Loaded, Error> {
    let bytes = read_bytes(path)?;
    load_bytes(&path.display().to_string(), &bytes).map_err(|r| Error::Invalid(Box::new(r)))
}

/// True when `path` names a CSV contact list (extension `.csv`, any case).
pub fn is_csv(path: &Path) -> bool {
    path.extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("csv"))
}

/// True when `path` is `-`: standard input.
pub fn is_stdin(path: &Path) -> bool {
    path.as_os_str() == "-"
}

/// The largest story file read (1 GiB): a story is written by hand or
/// generated at story size; a larger file is refused with a clear error
/// rather than read until memory runs out (`/dev/zero`, a mistyped path).
pub const MAX_STORY_BYTES: u64 = 1 << 30;

/// The file, or standard input for `-`, as a reader, with its size when
/// known.
fn open(path: &Path) -> Result<(Box<dyn std::io::Read>, Option<u64>), Error> {
    if is_stdin(path) {
        return Ok((Box::new(std::io::stdin()), None));
    }
    let file = std::fs::File::open(path).map_err(|source| Error::Io {
        path: path.display().to_string(),
        source,
    })?;
    let size = file
        .metadata()
        .ok()
        .filter(|m| m.is_file())
        .map(|m| m.len());
    Ok((Box::new(file), size))
}

/// The rest of a story file after `head`, at most [`MAX_STORY_BYTES`].
fn read_story_bytes(
    path: &Path,
    head: Vec<u8>,
    reader: &mut dyn std::io::Read,
) -> Result<Vec<u8>, Error> {
    let mut bytes = head;
    let limit = MAX_STORY_BYTES + 1 - bytes.len() as u64;
    std::io::Read::read_to_end(&mut std::io::Read::take(reader, limit), &mut bytes).map_err(
        |source| Error::Io {
            path: path.display().to_string(),
            source,
        },
    )?;
    if bytes.len() as u64 > MAX_STORY_BYTES {
        return Err(Error::Query(QueryError::StoryTooLarge {
            file: crate::diagnostic::visible(&path.display().to_string()),
            limit: MAX_STORY_BYTES,
        }));
    }
    Ok(bytes)
}

/// The whole file, or standard input for `-` (at most [`MAX_STORY_BYTES`]).
fn read_bytes(path: &Path) -> Result<Vec<u8>, Error> {
    let (mut reader, _) = open(path)?;
    read_story_bytes(path, Vec::new(), &mut reader)
}

/// The kind of an input, by extension, else by content: a story file is a
/// JSON object (its first character, after a byte order mark and white
/// space, is `{`); anything else is read as CSV.
fn looks_like_csv(path: &Path, head: &[u8]) -> bool {
    let ext = path
        .extension()
        .and_then(|e| e.to_str())
        .map(str::to_ascii_lowercase);
    match ext.as_deref() {
        Some("csv") | Some("tsv") => true,
        Some("json") => false,
        _ => {
            // UTF-16 (a byte order mark, or text with every other byte
            // NUL) goes to the story reader, which explains it; other NULs
            // (a binary file, /dev/zero) to the CSV reader, which stops at
            // the first one.
            let utf16 = head.starts_with(&[0xFE, 0xFF])
                || head.starts_with(&[0xFF, 0xFE])
                || matches!(head, [0, b, ..] | [b, 0, ..] if *b != 0);
            if utf16 {
                return false;
            }
            let head = head.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(head);
            let first = head.iter().find(|b| !b.is_ascii_whitespace());
            first != Some(&OBJECT_OPENS)
        }
    }
}

/// The byte a story file's JSON object starts with.
const OBJECT_OPENS: u8 = b'{';

/// An input read by [`read`]: a story or a CSV corpus, one catalogue either
/// way.
#[derive(Debug)]
pub enum Input {
    /// A story file.
    Story {
        /// The story as a catalogue.
        catalog: Box<StoryCatalog<'static>>,
        /// Its warnings.
        report: Report,
        /// Byte span of each event in the file (for located warnings).
        event_spans: Vec<std::ops::Range<usize>>,
    },
    /// A CSV contact list.
    Corpus(Box<csv::Corpus>),
}

impl Input {
    /// What every command answers from.
    pub fn catalog(&self) -> &dyn Catalog {
        match self {
            Input::Story { catalog, .. } => catalog.as_ref(),
            Input::Corpus(c) => c.as_ref(),
        }
    }

    /// The warnings found while reading.
    pub fn report(&self) -> &Report {
        match self {
            Input::Story { report, .. } => report,
            Input::Corpus(c) => &c.report,
        }
    }

    /// Rows left out as bad (CSV with `skip_bad_rows`).
    pub fn skipped(&self) -> usize {
        match self {
            Input::Story { .. } => 0,
            Input::Corpus(c) => c.skipped,
        }
    }

    /// True for a CSV corpus.
    pub fn is_corpus(&self) -> bool {
        matches!(self, Input::Corpus(_))
    }

    /// The byte span of event `e` in the file, when the input keeps it.
    pub fn event_span(&self, e: u32) -> Option<std::ops::Range<usize>> {
        match self {
            Input::Story { event_spans, .. } => event_spans.get(e as usize).cloned(),
            Input::Corpus(_) => None,
        }
    }

    /// The input as a format 1 story: the story itself, or the story a CSV
    /// corpus makes ([`csv::Corpus::to_story`]).
    pub fn to_story(&self) -> Result<Story, Error> {
        match self {
            Input::Story { catalog, .. } => Ok(catalog.story().clone()),
            Input::Corpus(c) => c.to_story().map_err(|r| Error::Invalid(Box::new(r))),
        }
    }
}

/// Reads a story file or a CSV contact list (`-`: standard input), telling
/// them apart by extension, else by content; `options` apply to CSV.
pub fn read(path: &Path, options: &csv::CsvOptions) -> Result<Input, Error> {
    let name = if is_stdin(path) {
        "<stdin>".to_string()
    } else {
        path.display().to_string()
    };
    // A claims workbook (.xlsx, .ods, a folder of CSV files).
    if !is_stdin(path) && sheets::form(path).is_some() {
        let imported = sheets::read_workbook(path)?;
        return Ok(Input::Story {
            catalog: Box::new(StoryCatalog::owned(imported.story)),
            report: imported.report,
            event_spans: Vec::new(),
        });
    }
    // A named CSV file is streamed with its size known (for progress).
    if !is_stdin(path) && is_csv(path) {
        return Ok(Input::Corpus(Box::new(csv::Corpus::load(path, options)?)));
    }
    // Otherwise the first bytes say which reader: CSV streams on, a story
    // is read whole (bounded).
    let (mut reader, size) = open(path)?;
    let mut head = Vec::with_capacity(64);
    std::io::Read::read_to_end(&mut std::io::Read::take(&mut reader, 64), &mut head).map_err(
        |source| Error::Io {
            path: name.clone(),
            source,
        },
    )?;
    if looks_like_csv(path, &head) {
        let chained = std::io::Read::chain(std::io::Cursor::new(head), reader);
        return Ok(Input::Corpus(Box::new(csv::Corpus::read(
            &name, chained, size, options,
        )?)));
    }
    let bytes = read_story_bytes(path, head, &mut reader)?;
    let loaded = load_bytes(&name, &bytes).map_err(|r| Error::Invalid(Box::new(r)))?;
    Ok(Input::Story {
        catalog: Box::new(StoryCatalog::owned(loaded.story)),
        report: loaded.report,
        event_spans: loaded.event_spans,
    })
}

/// A story read from another tool's format: the story, and a report whose
/// warnings say what was not read (or kept only as `x-` fields).
#[derive(Debug, Clone)]
pub struct Imported {
    /// The story, valid as format 1.
    pub story: Story,
    /// Warnings about the input file, located.
    pub report: Report,
}

/// The import's report with at most
/// [`MAX_DIAGNOSTICS`](load::MAX_DIAGNOSTICS) problems (the rest counted in
/// one), as every load reports.
fn capped(result: Result<Imported, Error>) -> Result<Imported, Error> {
    match result {
        Ok(mut imported) => {
            load::cap(&mut imported.report.diagnostics, &imported.report.text);
            Ok(imported)
        }
        Err(Error::Invalid(mut report)) => {
            load::cap(&mut report.diagnostics, &report.text);
            Err(Error::Invalid(report))
        }
        Err(e) => Err(e),
    }
}

/// Checks an imported story as the story reader would (every id defined
/// and unique, every reference resolved) and gives it with `report`; a
/// problem is located in the input (`report`'s file and text) at the item
/// the faulty one was made from (`origins`).
fn finish(story: Story, report: Report, origins: &origin::Origins) -> Result<Imported, Error> {
    let text = to_json(&story);
    match load_str(&format!("{} (as a story)", report.file), &text) {
        Ok(loaded) => Ok(Imported {
            story: loaded.story,
            report,
        }),
        Err(r) => Err(Error::Invalid(Box::new(origin::relocate(
            &r,
            origins,
            &report.file,
            &report.text,
        )))),
    }
}
