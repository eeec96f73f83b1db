//! Readers and writers: format 1 JSON (lossless), CSV contact lists, and the
//! located diagnostics they produce.

pub mod csv;
pub mod json;
pub mod load;
pub mod save;

use std::path::Path;

pub use load::{load_bytes, load_str, Loaded};
pub use save::to_json;

use crate::Error;

/// Reads and validates a story file.
///
/// Returns the story with its warnings, [`Error::Io`] when the file cannot be
/// read, or [`Error::Invalid`] with every problem found, each located by line
/// and column.
pub fn load_path(path: &Path) -> Result<Loaded, Error> {
    let bytes = std::fs::read(path).map_err(|source| Error::Io {
        path: path.display().to_string(),
        source,
    })?;
    load_bytes(&path.display().to_string(), &bytes).map_err(|r| Error::Invalid(Box::new(r)))
}

/// True when `path` names a CSV contact list (extension `.csv`, any case).
pub fn is_csv(path: &Path) -> bool {
    path.extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("csv"))
}

/// Reads a story file, or a CSV contact list when the file's extension is
/// `.csv` (see [`csv`]), as a [`Loaded`] story.
///
/// A CSV file is turned into a story with [`csv::Corpus::to_story`]: fine for
/// story-sized files; for large corpora use [`csv::Corpus`] directly, which
/// is what `grapevine reach` does.
pub fn load_any(path: &Path) -> Result<Loaded, Error> {
    load_any_with(path, &csv::CsvOptions::default())
}

/// [`load_any`] with options for CSV files.
pub fn load_any_with(path: &Path, options: &csv::CsvOptions) -> Result<Loaded, Error> {
    if !is_csv(path) {
        return load_path(path);
    }
    let corpus = csv::Corpus::load(path, options)?;
    let story = corpus.to_story().map_err(|r| Error::Invalid(Box::new(r)))?;
    Ok(Loaded {
        story,
        report: corpus.report,
        event_spans: Vec::new(),
        entity_spans: Vec::new(),
    })
}
