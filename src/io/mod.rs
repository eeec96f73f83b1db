//! Readers and writers: format 1 JSON (lossless), CSV contact lists, and the
//! located diagnostics they produce.

pub mod diagnostic;
pub mod json;
pub mod load;
pub mod save;

use std::path::Path;

pub use diagnostic::{Diagnostic, DiagnosticJson, Report, Severity};
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
