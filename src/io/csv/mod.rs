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
//! | `time` | `t`, `timestamp`, `date` | see [Times](#times); empty: date unknown (any time) |
//! | `id` | | the event's id (optional; else `line-N`, N its line in the file) |
//! | `kind` | | the event's kind (`email`, `forward`, ...) |
//! | `certainty` | | `confirmed`, `reported` (the default when empty), `alleged` or `unknown` |
//! | `carries` | | message ids this contact passed on, separated by `;` |
//!
//! Other columns are ignored with a warning (the first five are named, then
//! how many more). Fields may be quoted as in RFC 4180 (`"a, b"`, `""` for a
//! quote, line breaks inside quotes); spaces and tabs around unquoted fields
//! and before an opening quote are trimmed; blank lines are skipped. Lines
//! may end in LF, CRLF or CR alone (old Mac files), in any mix; a line's
//! number counts each of them once. A byte order mark at the start is
//! skipped.
//!
//! # Quotes
//!
//! A quote opens a quoted value only at the start of a field (after optional
//! spaces). A quote anywhere else (`a"b`, or text after a closing quote
//! `"a"b`) makes the row bad, and only that row: the rows after it are read
//! as usual. A quoted value may hold line breaks, but a row whose quoted value
//! runs over several lines must be a good row: when its quote is never
//! closed, or the value runs over more than [`MAX_ROW_LINES`] lines or
//! [`MAX_ROW_BYTES`] bytes, or the row it makes is bad (text after the
//! closing quote, a wrong number of fields), the error points at the quote
//! on the row's first line, and reading goes on at the next line. A stray
//! quote therefore costs one row, never the rest of the file.
//!
//! # Times
//!
//! A time is one of:
//!
//! - a bare integer of **at most 4 digits**: a year (`2016` is the whole year
//!   2016, as in a story file); years have 4 digits (`0800`), so `16` and `0`
//!   are errors;
//! - an integer of **5 or more digits**, optionally negative: Unix seconds
//!   (`1474329600`; `00000` is 1970-01-01T00:00:00Z, `-86400` the day before);
//! - any time expression of format 1 (`2001-05-14T16:39:00Z`, `2016-09-20`,
//!   `2016-09/2016-10`, `2016-09-20T12:00Z/..`, ...), read in UTC.
//!
//! Every time lies in years 0001 to 9998 UTC ([`MIN_SECOND`](crate::model::time::MIN_SECOND) to
//! [`MAX_SECOND`](crate::model::time::MAX_SECOND) in [`crate::model::time`], the range story files use too);
//! a time outside it is a bad row. When one file mixes Unix seconds
//! with written dates or years, one warning says how many rows use each form
//! and points at the first row of the rarer one: a column of `2016`,
//! `2017`, ... next to `1474329600` is usually a mistake.
//!
//! # Limits
//!
//! | limit | value | what happens beyond it |
//! |---|---|---|
//! | bytes in a row (a line, or the lines of a quoted value) | [`MAX_ROW_BYTES`] = 1 MiB | the row is bad (located at its first line); reading goes on at the next line |
//! | lines a row may span (line breaks inside quotes) | [`MAX_ROW_LINES`] = 1,000 | the row is bad; reading goes on at its second line |
//! | columns in the header | [`MAX_COLUMNS`] = 1,000 | the file is refused with a located error |
//! | NUL bytes | none | the file is refused at the first one (binary data or UTF-16 text): the error gives its line and column |
//! | errors listed | 20 | reading stops after 20 bad rows (without `skip_bad_rows`) |
//! | bad rows shown as warnings with `skip_bad_rows` | 5 | the rest are counted ([`Corpus::skipped`]) |
//! | ignored columns named | 5 | one more warning says how many others are ignored |
//!
//! Reading takes time linear in the file's size whatever it holds: no byte
//! is looked at more than a bounded number of times.
//!
//! Entity ids are the values themselves and an entity's name is its id.
//! A message named in `carries` becomes a message whose origin is the sender
//! of its earliest carrying row and whose time is open at its start and ends
//! at that row's time (`../T`): the origin held it no later than it first
//! passed it on. `--since` gives a tighter start.
//!
//! A bad row is an error that names its line and column, with the usual
//! located diagnostics; with [`CsvOptions::skip_bad_rows`] bad rows are
//! counted and left out, and the first few are kept as warnings. Text from
//! the file is shown in messages with its control and invisible characters
//! escaped, and cut when long.
//!
//! The answer does not depend on the number of threads or the block size:
//! rows, entity numbers, kinds, errors and warnings are the same byte for
//! byte.
//!
//! # Speed and memory
//!
//! The file is read in blocks of 16 MiB; each block is cut into one part per
//! core, parsed in parallel (`std::thread::scope`) and appended in file
//! order. A block without quotes is cut at line starts, which are row starts;
//! a block with quotes is cut at guessed line starts, and each part must end
//! where the next begins (a cut inside a multi-line quoted value fails that
//! check, and the block is then cut by walking its rows, as are the blocks
//! after it). Entity ids are interned into one string arena with
//! an open-addressing table (one per thread, merged after each block). Rows
//! cost 17 bytes while reading (sender, receiver, time as a 32-bit offset,
//! line number, certainty); rows are then sorted by time (skipped when the
//! file is already in time order) into the columns of the [`crate::Index`], which
//! borrows them without copying when a query keeps every row.
//!
//! The corpus is a [`Catalog`](crate::catalog::Catalog): every command answers a CSV file from it and
//! its index, without building a story; an event's details (kind, time as
//! written, carried messages) are made on demand from the row. For a
//! story-sized file, [`Corpus::to_story`] gives a format 1 [`Story`](crate::model::Story): what
//! `grapevine import` writes.
//!
//! # Files
//!
//! Each file uses only the files listed before it (and the options, limits
//! and types here in `mod.rs`):
//!
//! | file | holds |
//! |---|---|
//! | `problem.rs` | a row's problem (`RowProblem`), the file's located problems and their report, how file text and numbers are shown in messages |
//! | `fields.rs` | row and field boundaries: quoting, line breaks, the row limits, splitting a row into fields; the column positions (`Header`) |
//! | `times.rs` | the time column: parsing a row's time, and the warning for a file that mixes forms |
//! | `header.rs` | the header line: which column is which |
//! | `intern.rs` | interning entity ids: the string arena and its tables, batched lookups |
//! | `part.rs` | parsing one part of a block into compact columns, with located problems |
//! | `build.rs` | building the corpus from the rows read: sorting by time, numbering entities |
//! | `read.rs` | reading a whole file: the header, blocks cut into parts on threads, NUL bytes and overlong lines |
//! | `corpus.rs` | using a corpus: its catalogue of rows, and the story `import` writes |
//! | `bench.rs` | entry points for the benchmarks (not supported API) |

use std::collections::HashMap;
use std::sync::OnceLock;

use crate::catalog::{Channels, Names};
use crate::diagnostic::Report;

/// Bytes read and parsed per block (unless [`CsvOptions::block_size`]).
const BLOCK: usize = 16 << 20;
/// Errors reported before reading stops (without `skip_bad_rows`).
const MAX_ERRORS: usize = 20;
/// Bad rows kept as warnings with `skip_bad_rows`.
const MAX_SKIPPED_SHOWN: usize = 5;
/// Ignored columns named one by one in warnings.
const MAX_IGNORED_SHOWN: usize = 5;
/// Blocks smaller than this are parsed on one thread (unless
/// [`CsvOptions::parallel_min`]).
const PARALLEL_MIN: usize = 1 << 20;
use crate::catalog::{NO_LOWER, NO_UPPER};

/// The most bytes one row may hold: 1 MiB (its text, without the line break
/// that ends it; a row whose quoted value holds line breaks counts all its
/// lines). A longer row is a bad row located at its first line, and reading
/// goes on at the next line; this bounds the memory and time one row costs.
pub const MAX_ROW_BYTES: usize = 1 << 20;

/// The most lines one row may span through line breaks inside quoted values:
/// 1,000. A quote whose value runs on longer has most likely lost its closing
/// quote; the row is bad and reading goes on at its second line.
pub const MAX_ROW_LINES: u32 = 1_000;

/// The most columns the header line may name: 1,000. A contact list needs
/// three (`from`, `to`, `time`) and reads seven; a longer header is refused
/// with a located error.
pub const MAX_COLUMNS: usize = 1_000;

/// How to read a CSV file.
#[derive(Clone, Copy, Default)]
pub struct CsvOptions<'a> {
    /// Leave bad rows out (counted, the first few kept as warnings) instead
    /// of failing.
    pub skip_bad_rows: bool,
    /// Threads to parse with; 0: one per core. The answer is the same for
    /// every number.
    pub threads: usize,
    /// Called after each block with (bytes read, total bytes if known).
    pub progress: Option<&'a (dyn Fn(u64, Option<u64>) + Sync)>,
    /// Bytes read and parsed per block; 0: 16 MiB. For tests: a tiny block
    /// makes a small input cross many block boundaries (rows longer than a
    /// block are still read whole). The answer is the same for every size.
    pub block_size: usize,
    /// Blocks of at least this many bytes are cut into one part per thread;
    /// 0: 1 MiB. For tests: 1 parses every block in parallel parts.
    pub parallel_min: usize,
}

impl std::fmt::Debug for CsvOptions<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("CsvOptions")
            .field("skip_bad_rows", &self.skip_bad_rows)
            .field("threads", &self.threads)
            .field("progress", &self.progress.is_some())
            .field("block_size", &self.block_size)
            .field("parallel_min", &self.parallel_min)
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
/// [`Catalog`](crate::catalog::Catalog) whose events are its rows, numbered in time order.
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
    /// The ids' hash table (the reader's kind: `intern::find`), built on
    /// the first lookup: linear time, where sorting a million ids took a
    /// tenth of a second.
    pub(super) id_slots: OnceLock<Vec<u64>>,
    /// Rows sorted by line, built on the first lookup of an event by id.
    pub(super) by_line: OnceLock<Vec<u32>>,
}

// The command line's check of names before a load.
#[cfg(feature = "cli")]
mod absent;
#[cfg(feature = "cli")]
pub(crate) use absent::certainly_absent;
#[doc(hidden)]
pub mod bench;
mod build;
mod corpus;
mod fields;
mod header;
mod intern;
mod part;
mod problem;
pub(crate) use problem::thousands;
mod cut;
mod read;
#[cfg(test)]
mod tests;
mod timecol;
mod times;
