//! The library's error type: a kind the caller can match on, and a message
//! that says what the user can do. The library never prefixes "error:" nor
//! renders a report: the command line does (`src/cli`).

use std::fmt;

use crate::diagnostic::Report;

/// What kind of thing went wrong, for callers that act on it (the command
/// line maps kinds to exit codes).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum ErrorKind {
    /// A file could not be read or written.
    Io,
    /// An input file has errors (each located in [`Error::Invalid`]'s report).
    InvalidInput,
    /// A question the input cannot answer as asked: an unknown or ambiguous
    /// name, a bad time, a flag that does not apply.
    Query,
    /// Drawing failed: a renderer is missing, broke or ran out of time.
    Render,
}

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
    /// An input file has errors; the report holds them all, located. Its
    /// `Display` only counts them: render the report
    /// ([`Report::render`]) to show them.
    Invalid(Box<Report>),
    /// A query names something the input does not have, or asks something
    /// impossible (an unknown entity, a message without an origin).
    Query(String),
    /// Drawing failed (a renderer is missing or broke).
    Render(String),
}

impl Error {
    /// The kind of error.
    pub fn kind(&self) -> ErrorKind {
        match self {
            Error::Io { .. } => ErrorKind::Io,
            Error::Invalid(_) => ErrorKind::InvalidInput,
            Error::Query(_) => ErrorKind::Query,
            Error::Render(_) => ErrorKind::Render,
        }
    }

    /// The located report of an [`Error::Invalid`].
    pub fn report(&self) -> Option<&Report> {
        match self {
            Error::Invalid(r) => Some(r),
            _ => None,
        }
    }

    /// Exit code for the command line: 2 for bad input (a file, a flag), 1
    /// when drawing failed.
    pub fn exit_code(&self) -> u8 {
        match self.kind() {
            ErrorKind::Render => 1,
            _ => 2,
        }
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Error::Io { path, source } => write!(f, "cannot read or write {path}: {source}"),
            Error::Invalid(report) => {
                let n = report.error_count();
                let plural = if n == 1 { "" } else { "s" };
                write!(f, "{} has {n} error{plural}; nothing was done", report.file)
            }
            Error::Query(msg) | Error::Render(msg) => f.write_str(msg),
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn no_prefix_and_kinds() {
        let e = Error::Query("no entity is called \"x\"".into());
        assert_eq!(e.to_string(), "no entity is called \"x\"");
        assert_eq!((e.kind(), e.exit_code()), (ErrorKind::Query, 2));
        let r = Error::Render("dot timed out".into());
        assert_eq!((r.kind(), r.exit_code()), (ErrorKind::Render, 1));
        let i = Error::Invalid(Box::new(Report::new("s.json", "{}")));
        assert_eq!(i.to_string(), "s.json has 0 errors; nothing was done");
        assert!(i.report().is_some());
    }
}
