//! The library's error type.

use std::fmt;

use crate::diagnostic::Report;

/// Everything that can go wrong, each with what the user can do about it.
#[derive(Debug)]
#[non_exhaustive]
pub enum Error {
    /// A file could not be read or written.
    Io {
        /// The file.
        path: String,
        /// Why.
        source: std::io::Error,
    },
    /// A story file has errors; the report holds them all, located.
    Invalid(Box<Report>),
    /// A query names something the story does not have, or asks something
    /// impossible (an unknown entity, a message without an origin).
    Query(String),
    /// Drawing failed (a renderer is missing or broke).
    Render(String),
}

impl Error {
    /// Exit code for the command line: 2 for bad input, 1 otherwise.
    pub fn exit_code(&self) -> u8 {
        match self {
            Error::Render(_) => 1,
            _ => 2,
        }
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Error::Io { path, source } => write!(f, "error: cannot read or write {path}: {source}"),
            Error::Invalid(report) => {
                f.write_str(&report.render())?;
                let n = report.error_count();
                let plural = if n == 1 { "" } else { "s" };
                write!(
                    f,
                    "error: {} has {n} error{plural}; nothing was done",
                    report.file
                )
            }
            Error::Query(msg) => write!(f, "error: {msg}"),
            Error::Render(msg) => write!(f, "error: {msg}"),
        }
    }
}

impl std::error::Error for Error {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            Error::Io { source, .. } => Some(source),
            _ => None,
        }
    }
}
