//! CSV contact lists: one row per event, read fast enough for mail corpora.
//!
//! # The file
//!
//! The first line names the columns, in any order, case-insensitively:
//!
//! | column | also accepted | meaning |
//! |---|---|---|
//! | `from` | `src`, `source`, `sender` | who sent it: an entity id (an e-mail address is fine) |
//! | `to` | `dst`, `target`, `recipient` | who received it |
//! | `time` | `t`, `timestamp`, `date` | integer Unix seconds, or any time expression of format 1 (`2001-05-14T16:39:00Z`, `2016-09-20`, `2016-09/2016-10`, ...) in UTC; empty: date unknown (any time) |
//! | `id` | | the event's id (optional; else `line-N`, N its line in the file) |
//! | `kind` | | the event's kind (`email`, `forward`, ...) |
//! | `certainty` | | `confirmed`, `reported` (the default when empty), `alleged` or `unknown` |
//! | `carries` | | message ids this contact passed on, separated by `;` |
//!
//! Other columns are ignored with a warning. Fields may be quoted as in RFC
//! 4180 (`"a, b"`, `""` for a quote, newlines inside quotes); spaces around
//! unquoted fields are trimmed; blank lines are skipped.
//!
//! Entity ids are the values themselves and an entity's name is its id.
//! A message named in `carries` becomes a message whose origin is the sender
//! of its earliest carrying row and whose time is open at its start and ends
//! at that row's time (`../T`): the origin held it no later than it first
//! passed it on. `--since` gives a tighter start.
//!
//! A bad row is an error that names its line and column, with the usual
//! located diagnostics; with [`CsvOptions::skip_bad_rows`] bad rows are
//! counted and left out, and the first few are kept as warnings.
//!
//! # Speed and memory
//!
//! The file is read in blocks of 16 MiB; each block is cut at row boundaries
//! into one part per core, parsed in parallel (`std::thread::scope`) and
//! appended in file order. Entity ids are interned into one string arena with
//! an open-addressing table (one per thread, merged after each block). Rows
//! cost 17 bytes while reading (sender, receiver, time as a 32-bit offset,
//! line number, certainty); rows are then sorted by time (skipped when the
//! file is already in time order) into the columns of the [`crate::Index`], which
//! borrows them without copying when a query keeps every row.
//!
//! The corpus is a [`Catalog`]: every command answers a CSV file from it and
//! its index, without building a story; an event's details (kind, time as
//! written, carried messages) are made on demand from the row. For a
//! story-sized file, [`Corpus::to_story`] gives a format 1 [`Story`]: what
//! `grapevine import` writes.

use std::collections::HashMap;
use std::io::Read;
use std::ops::Range;
use std::path::Path;

use jiff::tz::TimeZone;

use std::sync::OnceLock;

use crate::catalog::{certainty_bits, Catalog, Channels, Names, TimeColumns};
use crate::diagnostic::{Diagnostic, Report};
use crate::model::time::rfc3339;
use crate::model::{id_problem, Certainty, Entity, Event, Message, Parties, Story, TimeExpr};
use crate::Error;

/// Bytes read and parsed per block.
const BLOCK: usize = 16 << 20;
/// Errors reported before reading stops (without `skip_bad_rows`).
const MAX_ERRORS: usize = 20;
/// Bad rows kept as warnings with `skip_bad_rows`.
const MAX_SKIPPED_SHOWN: usize = 5;
/// Blocks smaller than this are parsed on one thread.
const PARALLEL_MIN: usize = 1 << 20;
/// Earliest and latest seconds a time may have (jiff's range).
const MIN_TIME: i64 = -377_705_116_800;
const MAX_TIME: i64 = 253_402_207_200;
/// No lower bound (an open start).
const NO_LOWER: i64 = i64::MIN;
/// No upper bound (an open end).
const NO_UPPER: i64 = i64::MAX;

/// How to read a CSV file.
#[derive(Clone, Copy, Default)]
pub struct CsvOptions<'a> {
    /// Leave bad rows out (counted, the first few kept as warnings) instead
    /// of failing.
    pub skip_bad_rows: bool,
    /// Threads to parse with; 0: one per core.
    pub threads: usize,
    /// Called after each block with (bytes read, total bytes if known).
    pub progress: Option<&'a (dyn Fn(u64, Option<u64>) + Sync)>,
}

impl std::fmt::Debug for CsvOptions<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("CsvOptions")
            .field("skip_bad_rows", &self.skip_bad_rows)
            .field("threads", &self.threads)
            .field("progress", &self.progress.is_some())
            .finish()
    }
}

/// A message named in a `carries` column.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CorpusMessage {
    /// Its id.
    pub id: String,
    /// The sender of its earliest carrying row.
    pub origin: u32,
    /// That row's latest second (`i64::MAX`: open).
    pub by: i64,
    /// That row's line.
    pub line: u32,
}

/// A CSV contact list, parsed into compact columns sorted by time: a
/// [`Catalog`] whose events are its rows, numbered in time order.
#[derive(Debug)]
pub struct Corpus {
    /// Warnings (and, with `skip_bad_rows`, the first bad rows), located. For
    /// a CSV file the report's text holds only the lines its diagnostics point
    /// at, each at its own line number.
    pub report: Report,
    /// Rows left out as bad (with `skip_bad_rows`).
    pub skipped: usize,
    pub(super) ids: Names,
    /// One channel per row, sorted by time (row `r` is event `r`).
    pub(super) channels: Channels,
    /// Line number of each row.
    pub(super) line: Vec<u32>,
    /// Kind per row (index into `kind_names`, `u32::MAX` for none), when the
    /// file has a `kind` column.
    pub(super) kinds: Option<Vec<u32>>,
    pub(super) kind_names: Vec<String>,
    /// Explicit event ids: (line, id) sorted by line.
    pub(super) event_ids: Option<(Vec<u32>, Names)>,
    /// (line, message number), sorted.
    pub(super) carries: Vec<(u32, u32)>,
    pub(super) messages: Vec<CorpusMessage>,
    /// Time text of rows whose time is not one exact second, by line.
    pub(super) texts: HashMap<u32, String>,
    /// Whether the certainty column had a value, per line with one (for a
    /// lossless story).
    pub(super) certainty_written: bool,
    /// Entity numbers sorted by id, built on the first lookup.
    pub(super) sorted_ids: OnceLock<Vec<u32>>,
    /// Rows sorted by line, built on the first lookup of an event by id.
    pub(super) by_line: OnceLock<Vec<u32>>,
}

mod build;
mod corpus;
mod fields;
mod header;
mod intern;
mod part;
mod read;
#[cfg(test)]
mod tests;
mod times;

#[allow(unused_imports)]
use {build::*, fields::*, header::*, intern::*, part::*, read::*, times::*};
