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
//! file is already in time order) into the columns of the [`Index`], which
//! takes them over without copying ([`Corpus::into_index`]).
//!
//! `grapevine check`, `reach` and `path` answer a CSV file from the corpus and
//! its index, without building a story. For a story-sized file,
//! [`Corpus::to_story`] gives a format 1 [`Story`]: what `grapevine import`
//! writes, and what `why-not`, `timeline` and `render` use (about 600 bytes
//! per row: 625 MB peak for 10^6 rows, so keep those to story-sized files).

use std::collections::HashMap;
use std::io::Read;
use std::ops::Range;
use std::path::Path;

use jiff::tz::TimeZone;

use crate::diagnostic::{Diagnostic, Report};
use crate::analysis::reach::{ReachQuery, NO_LOWER, NO_UPPER};
use crate::analysis::summary::Summary;
use crate::analysis::{MessageStart, Query};
use crate::index::{pack_flags, EventIds, Index, IndexSpec, Mode, Names, Parts};
use crate::model::time::{format_at_precision, rfc3339};
use crate::model::{
    id_problem, suggest_distance, Certainty, Entity, Event, Message, Parties, Precision, Story,
    TimeExpr,
};
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

/// What an index does not keep of a corpus's events: kinds and time texts,
/// by line ([`Corpus::details`]), for showing the hops of a chain.
#[derive(Debug, Clone, Default)]
pub struct EventDetails {
    kinds: Vec<(u32, u16)>,
    kind_names: Vec<String>,
    texts: HashMap<u32, String>,
}

impl EventDetails {
    /// The kind written on `line`, if any.
    pub fn kind(&self, line: u32) -> Option<&str> {
        let i = self.kinds.binary_search_by_key(&line, |(l, _)| *l).ok()?;
        self.kind_names
            .get(self.kinds[i].1 as usize)
            .map(String::as_str)
    }

    /// The time written on `line` when it is not one exact second (an
    /// interval, a day, an open end; empty when undated).
    pub fn time_text(&self, line: u32) -> Option<&str> {
        self.texts.get(&line).map(String::as_str)
    }
}

/// Times of the rows.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Times {
    /// Every row one exact second: `base + offset`.
    Exact { base: i64, offset: Vec<u32> },
    /// Intervals (`i64::MIN` / `i64::MAX` for open ends).
    Intervals { lo: Vec<i64>, hi: Vec<i64> },
}

/// A CSV contact list, parsed into compact columns sorted by time.
#[derive(Debug, Clone)]
pub struct Corpus {
    /// Warnings (and, with `skip_bad_rows`, the first bad rows), located. For
    /// a CSV file the report's text holds only the lines its diagnostics point
    /// at, each at its own line number.
    pub report: Report,
    /// Rows left out as bad (with `skip_bad_rows`).
    pub skipped: usize,
    ids: Names,
    from: Vec<u32>,
    to: Vec<u32>,
    /// Line number of each row (its event number).
    line: Vec<u32>,
    times: Times,
    /// Certainty bits (see `index::pack_flags`).
    flags: Vec<u8>,
    /// Kind per row (index into `kind_names`, `u16::MAX` for none), when the
    /// file has a `kind` column.
    kinds: Option<Vec<u16>>,
    kind_names: Vec<String>,
    /// Explicit event ids: (line, id) sorted by line.
    event_ids: Option<(Vec<u32>, Names)>,
    /// (line, message number), sorted.
    carries: Vec<(u32, u32)>,
    messages: Vec<CorpusMessage>,
    /// Time text of rows whose time is not one exact second, by line.
    texts: HashMap<u32, String>,
    /// Whether the certainty column had a value, per line with one (for a
    /// lossless story).
    certainty_written: bool,
}

// ---------------------------------------------------------------------------
// Interning

#[inline]
fn hash_bytes(s: &[u8]) -> u64 {
    const K: u64 = 0x9E37_79B9_7F4A_7C15;
    let mut h: u64 = s.len() as u64;
    let mut chunks = s.chunks_exact(8);
    for c in &mut chunks {
        let w = u64::from_le_bytes([c[0], c[1], c[2], c[3], c[4], c[5], c[6], c[7]]);
        h = (h.rotate_left(5) ^ w).wrapping_mul(K);
    }
    let rest = chunks.remainder();
    if !rest.is_empty() {
        let mut buf = [0u8; 8];
        buf[..rest.len()].copy_from_slice(rest);
        h = (h.rotate_left(5) ^ u64::from_le_bytes(buf)).wrapping_mul(K);
    }
    h ^ (h >> 32)
}

/// Strings to numbers: an arena of names and an open-addressing table whose
/// slots hold (hash high bits, number + 1).
#[derive(Debug, Default)]
struct Interner {
    names: Names,
    slots: Vec<u64>,
}

/// Rows whose entity ids are looked up together.
const BATCH_ROWS: usize = 64;
/// Keys per batch: sender and receiver of each row.
const BATCH_KEYS: usize = 2 * BATCH_ROWS;
/// No entity.
const NONE_ID: u32 = u32::MAX;

/// Numbers above this are a thread's new ids of the current block, before
/// they are merged into the corpus's.
const LOCAL: u32 = 1 << 31;

impl Interner {
    /// The number of `s` (hash `h`), if interned.
    #[inline]
    fn lookup(&self, s: &[u8], h: u64) -> Option<u32> {
        if self.slots.is_empty() {
            return None;
        }
        let tag = h & 0xFFFF_FFFF_0000_0000;
        let mask = self.slots.len() - 1;
        let mut i = (h as usize) & mask;
        loop {
            let slot = self.slots[i];
            if slot == 0 {
                return None;
            }
            if slot & 0xFFFF_FFFF_0000_0000 == tag {
                let n = (slot & 0xFFFF_FFFF) as u32 - 1;
                if self.names.get(n as usize).as_bytes() == s {
                    return Some(n);
                }
            }
            i = (i + 1) & mask;
        }
    }

    /// Looks up many keys at once: the loads of one step are independent
    /// across keys, so their cache misses overlap instead of following one
    /// another. `found[i]` is `NONE_ID` when `keys[i]` is not interned.
    fn lookup_batch(&self, keys: &[&[u8]], hashes: &[u64], found: &mut [u32]) {
        let k = keys.len();
        if self.slots.is_empty() {
            found[..k].fill(NONE_ID);
            return;
        }
        const HI: u64 = 0xFFFF_FFFF_0000_0000;
        let mask = self.slots.len() - 1;
        let mut first = [0u64; BATCH_KEYS];
        for i in 0..k {
            first[i] = self.slots[(hashes[i] as usize) & mask];
        }
        for i in 0..k {
            let tag = hashes[i] & HI;
            let mut p = (hashes[i] as usize) & mask;
            let mut slot = first[i];
            found[i] = NONE_ID;
            while slot != 0 {
                if slot & HI == tag {
                    found[i] = (slot & 0xFFFF_FFFF) as u32 - 1;
                    break;
                }
                p = (p + 1) & mask;
                slot = self.slots[p];
            }
        }
        let (text, ends) = self.names.raw();
        let mut span = [(0u32, 0u32); BATCH_KEYS];
        for i in 0..k {
            let n = found[i];
            if n != NONE_ID {
                let n = n as usize;
                span[i] = (if n == 0 { 0 } else { ends[n - 1] }, ends[n]);
            }
        }
        for i in 0..k {
            if found[i] != NONE_ID {
                let (a, b) = span[i];
                if &text[a as usize..b as usize] != keys[i] {
                    // A tag collision: the full probe decides.
                    found[i] = self.lookup(keys[i], hashes[i]).unwrap_or(NONE_ID);
                }
            }
        }
    }

    fn lookup_or_insert(&mut self, s: &[u8]) -> Result<u32, &'static str> {
        self.lookup_or_insert_hashed(s, hash_bytes(s))
    }

    fn lookup_or_insert_hashed(&mut self, s: &[u8], h: u64) -> Result<u32, &'static str> {
        if let Some(n) = self.lookup(s, h) {
            return Ok(n);
        }
        if self.slots.is_empty() {
            self.slots = vec![0; 1024];
        }
        let text = std::str::from_utf8(s).map_err(|_| "is not UTF-8 text")?;
        if let Some(problem) = id_problem(text) {
            return Err(problem);
        }
        if self.names.len() >= (LOCAL - 1) as usize {
            return Err("does not fit: more than 2 billion ids");
        }
        let n = self
            .names
            .push(text)
            .ok_or("does not fit: ids pass 4 GiB")?;
        let tag = h & 0xFFFF_FFFF_0000_0000;
        let mask = self.slots.len() - 1;
        let mut i = (h as usize) & mask;
        while self.slots[i] != 0 {
            i = (i + 1) & mask;
        }
        self.slots[i] = tag | u64::from(n + 1);
        if self.names.len() * 2 > self.slots.len() {
            self.grow();
        }
        Ok(n)
    }

    fn grow(&mut self) {
        let mut slots = vec![0u64; self.slots.len() * 2];
        let mask = slots.len() - 1;
        for &slot in &self.slots {
            if slot == 0 {
                continue;
            }
            let n = (slot & 0xFFFF_FFFF) as usize - 1;
            let h = hash_bytes(self.names.get(n).as_bytes());
            let mut i = (h as usize) & mask;
            while slots[i] != 0 {
                i = (i + 1) & mask;
            }
            slots[i] = slot;
        }
        self.slots = slots;
    }
}

/// A thread's view while parsing a block: the corpus's ids, frozen, and the
/// ids first seen in this block.
struct Ids<'g, 'l> {
    global: &'g Interner,
    local: &'l mut Interner,
}

/// Rows parsed but for their entity ids, which are looked up together.
#[derive(Default)]
struct Batch {
    /// Per key (sender, receiver, sender, ...): whether it lives in `arena`
    /// (an unquoted copy) or in the part's buffer, where, and its span in
    /// its row.
    keys: Vec<(bool, Range<usize>, Range<usize>)>,
    arena: Vec<u8>,
    /// Per row: where it is in the buffer, and its line.
    rows: Vec<(Range<usize>, u32)>,
    /// The index in the output of the batch's first row.
    first: usize,
}

// ---------------------------------------------------------------------------
// Fields and rows

/// Which column plays which part.
#[derive(Debug, Clone, Default)]
struct Header {
    width: usize,
    names: Vec<String>,
    from: usize,
    to: usize,
    time: usize,
    id: Option<usize>,
    kind: Option<usize>,
    certainty: Option<usize>,
    carries: Option<usize>,
}

/// The end of the row starting at `start` (the index of its `\n`, or the
/// buffer's end) and whether it has a quote.
#[inline]
fn row_end(buf: &[u8], start: usize) -> (usize, bool) {
    let nl = memchr::memchr(b'\n', &buf[start..]).map_or(buf.len(), |i| start + i);
    if memchr::memchr(b'"', &buf[start..nl]).is_none() {
        return (nl, false);
    }
    let mut quoted = false;
    let mut i = start;
    while i < buf.len() {
        match buf[i] {
            b'"' => quoted = !quoted,
            b'\n' if !quoted => return (i, true),
            _ => {}
        }
        i += 1;
    }
    (buf.len(), true)
}

/// The start of the first row beginning at or after `pos`, for a buffer that
/// starts at a row boundary.
fn boundary_after(buf: &[u8], pos: usize) -> usize {
    if pos >= buf.len() {
        return buf.len();
    }
    if memchr::memchr(b'"', buf).is_none() {
        return memchr::memchr(b'\n', &buf[pos..]).map_or(buf.len(), |i| pos + i + 1);
    }
    let mut start = 0;
    loop {
        let (end, _) = row_end(buf, start);
        if end >= buf.len() {
            return buf.len();
        }
        if end + 1 >= pos {
            return end + 1;
        }
        start = end + 1;
    }
}

/// A field of a row: its start in the row and where its value is (a range
/// of the row, or of the unescaped copies of quoted fields).
#[derive(Debug, Clone)]
struct Field {
    pos: usize,
    value: Range<usize>,
    owned: bool,
}

/// Splits one row into fields. Unquoted values are ranges of `row` (spaces
/// trimmed); quoted ones are unescaped into `owned`. The error is the byte
/// where quoting goes wrong, and what is wrong.
fn split_fields(
    row: &[u8],
    has_quote: bool,
    fields: &mut Vec<Field>,
    owned: &mut Vec<u8>,
) -> Result<(), (usize, &'static str)> {
    fields.clear();
    owned.clear();
    let trimmed = |a: usize, b: usize| {
        let t = trim(&row[a..b]);
        let start = if t.is_empty() {
            a
        } else {
            a + (t.as_ptr() as usize - row[a..].as_ptr() as usize)
        };
        start..start + t.len()
    };
    if !has_quote {
        let mut start = 0;
        for i in memchr::memchr_iter(b',', row) {
            fields.push(Field {
                pos: start,
                value: trimmed(start, i),
                owned: false,
            });
            start = i + 1;
        }
        fields.push(Field {
            pos: start,
            value: trimmed(start, row.len()),
            owned: false,
        });
        return Ok(());
    }
    let mut i = 0;
    loop {
        let field_start = i;
        while i < row.len() && row[i] == b' ' {
            i += 1;
        }
        if i < row.len() && row[i] == b'"' {
            let begin = owned.len();
            i += 1;
            loop {
                if i >= row.len() {
                    return Err((field_start, "a quoted field is not closed"));
                }
                if row[i] == b'"' {
                    if i + 1 < row.len() && row[i + 1] == b'"' {
                        owned.push(b'"');
                        i += 2;
                        continue;
                    }
                    i += 1;
                    break;
                }
                owned.push(row[i]);
                i += 1;
            }
            while i < row.len() && (row[i] == b' ' || row[i] == b'\r') {
                i += 1;
            }
            if i < row.len() && row[i] != b',' {
                return Err((i, "text after a closing quote"));
            }
            fields.push(Field {
                pos: field_start,
                value: begin..owned.len(),
                owned: true,
            });
        } else {
            let start = i;
            while i < row.len() && row[i] != b',' {
                if row[i] == b'"' {
                    return Err((i, "a quote inside an unquoted field"));
                }
                i += 1;
            }
            fields.push(Field {
                pos: field_start,
                value: trimmed(start, i),
                owned: false,
            });
        }
        if i >= row.len() {
            break;
        }
        i += 1; // the comma
        if i == row.len() {
            fields.push(Field {
                pos: i,
                value: i..i,
                owned: false,
            });
            break;
        }
    }
    Ok(())
}

#[inline]
fn trim(s: &[u8]) -> &[u8] {
    let mut a = 0;
    let mut b = s.len();
    while a < b && (s[a] == b' ' || s[a] == b'\t') {
        a += 1;
    }
    while b > a && (s[b - 1] == b' ' || s[b - 1] == b'\t' || s[b - 1] == b'\r') {
        b -= 1;
    }
    &s[a..b]
}

// ---------------------------------------------------------------------------
// Times

/// A row's time.
#[derive(Debug, Clone, PartialEq, Eq)]
struct RowTime {
    lo: i64,
    hi: i64,
    /// The text, kept when the time is not one exact second or has a flag.
    text: Option<String>,
}

fn days_from_civil(y: i64, m: i64, d: i64) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = if y >= 0 { y } else { y - 399 } / 400;
    let yoe = y - era * 400;
    let mp = (m + 9) % 12;
    let doy = (153 * mp + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

fn digits(s: &[u8]) -> Option<i64> {
    let mut v: i64 = 0;
    for &b in s {
        if !b.is_ascii_digit() {
            return None;
        }
        v = v * 10 + i64::from(b - b'0');
    }
    Some(v)
}

/// `YYYY-MM-DDTHH:MM:SS` with `Z`, `±HH:MM` or nothing (UTC): the common
/// exact form, read without allocating. `None` for anything else (the full
/// parser then reads it or says what is wrong).
fn fast_iso(s: &[u8]) -> Option<i64> {
    if s.len() < 19 || s[4] != b'-' || s[7] != b'-' || s[10] != b'T' || s[13] != b':' {
        return None;
    }
    if s[16] != b':' {
        return None;
    }
    let y = digits(&s[0..4])?;
    let mo = digits(&s[5..7])?;
    let d = digits(&s[8..10])?;
    let h = digits(&s[11..13])?;
    let mi = digits(&s[14..16])?;
    let se = digits(&s[17..19])?;
    let dim = match mo {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if (y % 4 == 0 && y % 100 != 0) || y % 400 == 0 => 29,
        2 => 28,
        _ => return None,
    };
    if d < 1 || d > dim || h > 23 || mi > 59 || se > 59 {
        return None;
    }
    let offset = match &s[19..] {
        b"" | b"Z" => 0,
        [sign @ (b'+' | b'-'), a, b, b':', c, d] => {
            let oh = digits(&[*a, *b])?;
            let om = digits(&[*c, *d])?;
            if oh > 23 || om > 59 {
                return None;
            }
            let o = oh * 3600 + om * 60;
            if *sign == b'-' {
                -o
            } else {
                o
            }
        }
        _ => return None,
    };
    Some(days_from_civil(y, mo, d) * 86_400 + h * 3600 + mi * 60 + se - offset)
}

fn parse_time(s: &[u8]) -> Result<RowTime, (String, String)> {
    if s.is_empty() {
        // Unknown date: any time, as an event without `time` in a story.
        return Ok(RowTime {
            lo: NO_LOWER,
            hi: NO_UPPER,
            text: Some(String::new()),
        });
    }
    let int = match s {
        [b'-', rest @ ..] if !rest.is_empty() && rest.len() <= 18 => digits(rest).map(|v| -v),
        _ if !s.is_empty() && s.len() <= 18 => digits(s),
        _ => None,
    };
    if let Some(t) = int {
        if !(MIN_TIME..=MAX_TIME).contains(&t) {
            return Err((
                "is out of range for a time".into(),
                "write Unix seconds between years -9999 and 9999".into(),
            ));
        }
        return Ok(RowTime {
            lo: t,
            hi: t,
            text: None,
        });
    }
    if let Some(t) = fast_iso(s) {
        return Ok(RowTime {
            lo: t,
            hi: t,
            text: None,
        });
    }
    let text = std::str::from_utf8(s).map_err(|_| {
        (
            "is not UTF-8 text".to_string(),
            "save the file as UTF-8".to_string(),
        )
    })?;
    match TimeExpr::parse(text, &TimeZone::UTC) {
        Ok(t) => {
            let iv = t.interval();
            let (lo, hi) = (iv.lo_or_min(), iv.hi_or_max());
            let flagged = t.approximate() || t.uncertain();
            Ok(RowTime {
                lo,
                hi,
                text: (lo != hi || flagged).then(|| text.to_string()),
            })
        }
        Err(e) => Err((
            if e.message.contains(&format!("`{text}`")) {
                e.message.clone()
            } else {
                format!("`{text}` is not a time: {}", e.message)
            },
            format!(
                "write integer Unix seconds (1474329600) or a time expression; {}",
                e.help
            ),
        )),
    }
}

// ---------------------------------------------------------------------------
// Parsing one part of a block

/// Row times while reading: 32-bit deltas from a base while every row is one
/// exact second near it; full intervals otherwise.
#[derive(Debug, Clone)]
enum TimeCol {
    Delta { base: Option<i64>, d: Vec<i32> },
    Wide { lo: Vec<i64>, hi: Vec<i64> },
}

impl Default for TimeCol {
    fn default() -> Self {
        TimeCol::Delta {
            base: None,
            d: Vec::new(),
        }
    }
}

impl TimeCol {
    fn len(&self) -> usize {
        match self {
            TimeCol::Delta { d, .. } => d.len(),
            TimeCol::Wide { lo, .. } => lo.len(),
        }
    }

    fn clear(&mut self) {
        *self = TimeCol::default();
    }

    fn widen(&mut self) {
        if let TimeCol::Delta { base, d } = self {
            let b = base.unwrap_or(0);
            let lo: Vec<i64> = d.iter().map(|&x| b + i64::from(x)).collect();
            *self = TimeCol::Wide { hi: lo.clone(), lo };
        }
    }

    #[inline]
    fn push(&mut self, lo: i64, hi: i64) {
        if let TimeCol::Delta { base, d } = self {
            if lo == hi {
                let b = *base.get_or_insert(lo);
                if let Ok(x) = i32::try_from(lo - b) {
                    d.push(x);
                    return;
                }
            }
        }
        self.widen();
        if let TimeCol::Wide { lo: l, hi: h } = self {
            l.push(lo);
            h.push(hi);
        }
    }

    fn append(&mut self, other: &TimeCol) {
        if other.len() == 0 {
            return;
        }
        if let (
            TimeCol::Delta { base, d },
            TimeCol::Delta {
                base: Some(ob),
                d: od,
            },
        ) = (&mut *self, other)
        {
            let b = *base.get_or_insert(*ob);
            let shift = ob - b;
            if od
                .iter()
                .all(|&x| i32::try_from(i64::from(x) + shift).is_ok())
            {
                d.extend(od.iter().map(|&x| (i64::from(x) + shift) as i32));
                return;
            }
        }
        self.widen();
        let TimeCol::Wide { lo, hi } = self else {
            return;
        };
        match other {
            TimeCol::Delta { base, d } => {
                let b = base.unwrap_or(0);
                for &x in d {
                    lo.push(b + i64::from(x));
                    hi.push(b + i64::from(x));
                }
            }
            TimeCol::Wide { lo: ol, hi: oh } => {
                lo.extend_from_slice(ol);
                hi.extend_from_slice(oh);
            }
        }
    }
}

/// A located problem in a row, before line numbers are known.
#[derive(Debug, Clone)]
struct RowProblem {
    /// Line, relative to the part's first line (0-based).
    line: u32,
    /// The row's text (shortened).
    text: String,
    span: Range<usize>,
    message: String,
    label: String,
    help: String,
}

/// What one thread makes of its part of a block.
#[derive(Debug, Default)]
struct PartOut {
    from: Vec<u32>,
    to: Vec<u32>,
    time: TimeCol,
    flags: Vec<u8>,
    /// Line of each row, relative to the part's first line.
    line: Vec<u32>,
    kinds: Vec<u16>,
    kind_names: Vec<String>,
    ids: Vec<(u32, String)>,
    carries: Vec<(u32, String)>,
    texts: Vec<(u32, String)>,
    problems: Vec<RowProblem>,
    bad_rows: usize,
    certainty_written: bool,
    /// Newlines in the part.
    lines: u32,
}

impl PartOut {
    /// Takes out rows `first + i` where `bad[i]`, with their sparse entries
    /// (found by line).
    fn drop_rows(&mut self, first: usize, bad: &[bool], lines: &std::collections::HashSet<u32>) {
        fn keep_tail<T: Copy>(v: &mut Vec<T>, first: usize, bad: &[bool]) {
            let mut w = first;
            for r in first..v.len() {
                if !bad.get(r - first).copied().unwrap_or(false) {
                    v[w] = v[r];
                    w += 1;
                }
            }
            v.truncate(w);
        }
        keep_tail(&mut self.from, first, bad);
        keep_tail(&mut self.to, first, bad);
        keep_tail(&mut self.flags, first, bad);
        keep_tail(&mut self.line, first, bad);
        if !self.kinds.is_empty() {
            keep_tail(&mut self.kinds, first, bad);
        }
        match &mut self.time {
            TimeCol::Delta { d, .. } => keep_tail(d, first, bad),
            TimeCol::Wide { lo, hi } => {
                keep_tail(lo, first, bad);
                keep_tail(hi, first, bad);
            }
        }
        self.texts.retain(|(l, _)| !lines.contains(l));
        self.ids.retain(|(l, _)| !lines.contains(l));
        self.carries.retain(|(l, _)| !lines.contains(l));
    }

    fn clear(&mut self) {
        self.from.clear();
        self.to.clear();
        self.time.clear();
        self.flags.clear();
        self.line.clear();
        self.kinds.clear();
        self.kind_names.clear();
        self.ids.clear();
        self.carries.clear();
        self.texts.clear();
        self.problems.clear();
        self.bad_rows = 0;
        self.lines = 0;
    }
}

fn shorten(row: &[u8]) -> String {
    let s = String::from_utf8_lossy(&row[..row.len().min(2000)]);
    s.replace(|c: char| c.is_control() && c != '\t', " ")
}

struct PartParser<'h> {
    header: &'h Header,
    keep_problems: usize,
}

impl PartParser<'_> {
    /// Parses the rows of `buf` (which starts and ends at row boundaries).
    fn parse(&self, buf: &[u8], ids: &mut Ids, out: &mut PartOut) {
        let mut fields: Vec<Field> = Vec::with_capacity(self.header.width);
        let mut owned: Vec<u8> = Vec::new();
        let mut line: u32 = 0;
        let mut start = 0;
        let mut kind_map: HashMap<Vec<u8>, u16> = HashMap::new();
        let mut batch = Batch::default();
        while start < buf.len() {
            let (end, has_quote) = row_end(buf, start);
            let row = &buf[start..end];
            let newlines = if has_quote {
                memchr::memchr_iter(b'\n', row).count() as u32
            } else {
                0
            };
            let this_line = line;
            line += newlines + u32::from(end < buf.len());
            let row_start = start;
            start = end + 1;
            let trimmed = trim(row);
            if trimmed.is_empty() {
                continue;
            }
            if batch.rows.is_empty() {
                batch.first = out.from.len();
            }
            match self.row(
                row,
                row_start,
                has_quote,
                this_line,
                out,
                &mut fields,
                &mut owned,
                &mut kind_map,
                &mut batch,
            ) {
                Ok(()) => {
                    if batch.rows.len() == BATCH_ROWS {
                        self.flush(buf, &mut batch, ids, out);
                    }
                }
                Err(p) => {
                    out.bad_rows += 1;
                    if out.problems.len() < self.keep_problems {
                        out.problems.push(p);
                    }
                }
            }
        }
        self.flush(buf, &mut batch, ids, out);
        out.lines = line;
    }

    /// Gives the batch's rows their entity numbers; rows with a bad id are
    /// taken out again.
    fn flush(&self, buf: &[u8], batch: &mut Batch, ids: &mut Ids, out: &mut PartOut) {
        if batch.rows.is_empty() {
            return;
        }
        let keys: Vec<&[u8]> = batch
            .keys
            .iter()
            .map(|(own, r, _)| {
                if *own {
                    &batch.arena[r.clone()]
                } else {
                    &buf[r.clone()]
                }
            })
            .collect();
        let hashes: Vec<u64> = keys.iter().map(|k| hash_bytes(k)).collect();
        let mut found = [NONE_ID; BATCH_KEYS];
        ids.global.lookup_batch(&keys, &hashes, &mut found);
        let mut bad: Vec<bool> = Vec::new();
        for (i, key) in keys.iter().enumerate() {
            let id = if found[i] != NONE_ID {
                found[i]
            } else {
                match ids.local.lookup_or_insert_hashed(key, hashes[i]) {
                    Ok(n) => n | LOCAL,
                    Err(what) => {
                        if bad.is_empty() {
                            bad = vec![false; batch.rows.len()];
                        }
                        let r = i / 2;
                        if !bad[r] {
                            bad[r] = true;
                            out.bad_rows += 1;
                            if out.problems.len() < self.keep_problems {
                                let (range, line) = batch.rows[r].clone();
                                let col = if i % 2 == 0 {
                                    self.header.from
                                } else {
                                    self.header.to
                                };
                                out.problems.push(RowProblem {
                                    line,
                                    text: shorten(&buf[range]),
                                    span: batch.keys[i].2.clone(),
                                    message: format!(
                                        "column `{}`: the entity id {what}",
                                        self.header.names[col]
                                    ),
                                    label: "not an entity id".into(),
                                    help: "an id is a non-empty string without control characters, e.g. an e-mail address".into(),
                                });
                            }
                        }
                        continue;
                    }
                }
            };
            let r = batch.first + i / 2;
            if i % 2 == 0 {
                out.from[r] = id;
            } else {
                out.to[r] = id;
            }
        }
        if !bad.is_empty() {
            let lines: std::collections::HashSet<u32> = batch
                .rows
                .iter()
                .zip(&bad)
                .filter(|(_, b)| **b)
                .map(|((_, l), _)| *l)
                .collect();
            out.drop_rows(batch.first, &bad, &lines);
        }
        batch.keys.clear();
        batch.arena.clear();
        batch.rows.clear();
    }

    #[allow(clippy::too_many_arguments)]
    fn row(
        &self,
        row: &[u8],
        row_start: usize,
        has_quote: bool,
        line: u32,
        out: &mut PartOut,
        fields: &mut Vec<Field>,
        owned: &mut Vec<u8>,
        kind_map: &mut HashMap<Vec<u8>, u16>,
        batch: &mut Batch,
    ) -> Result<(), RowProblem> {
        let h = self.header;
        let problem = |span: Range<usize>, message: String, label: &str, help: &str| RowProblem {
            line,
            text: shorten(row),
            span,
            message,
            label: label.to_string(),
            help: help.to_string(),
        };
        if let Err((at, what)) = split_fields(row, has_quote, fields, owned) {
            return Err(problem(
                at..at + 1,
                what.to_string(),
                "here",
                "quote a field that holds commas or quotes as \"...\", doubling quotes inside it",
            ));
        }
        if fields.len() != h.width {
            let span = if fields.len() > h.width {
                fields[h.width].pos..row.len()
            } else {
                row.len()..row.len()
            };
            return Err(problem(
                span,
                format!(
                    "the row has {} field{}; the header names {}",
                    fields.len(),
                    if fields.len() == 1 { "" } else { "s" },
                    h.width
                ),
                if fields.len() > h.width {
                    "extra fields"
                } else {
                    "fields missing"
                },
                "give every row one value per column (an empty value for an optional column); quote values that hold commas",
            ));
        }
        let owned: &[u8] = owned;
        let val = |k: usize| -> &[u8] {
            let f = &fields[k];
            if f.owned {
                &owned[f.value.clone()]
            } else {
                &row[f.value.clone()]
            }
        };
        let field_span = |k: usize| {
            let f = &fields[k];
            let start = if f.owned { f.pos } else { f.value.start };
            let len = val(k).len().max(1);
            start..(start + len).min(row.len().max(start + 1))
        };
        let col = |k: usize| h.names[k].as_str();
        let time = parse_time(val(h.time)).map_err(|(what, help)| {
            problem(
                field_span(h.time),
                format!("column `{}`: {what}", col(h.time)),
                "not a time",
                &help,
            )
        })?;
        let mut certainty = Certainty::Reported;
        if let Some(k) = h.certainty {
            let v = val(k);
            if !v.is_empty() {
                certainty = match v {
                    b"confirmed" => Certainty::Confirmed,
                    b"reported" => Certainty::Reported,
                    b"alleged" => Certainty::Alleged,
                    b"unknown" => Certainty::Unknown,
                    _ => {
                        return Err(problem(
                            field_span(k),
                            format!("column `{}`: {} is not a certainty", col(k), quote_bytes(v)),
                            "not a certainty",
                            "use confirmed, reported, alleged or unknown, or leave it empty for reported",
                        ))
                    }
                };
                out.certainty_written = true;
            }
        }
        let mut carried: Vec<String> = Vec::new();
        if let Some(k) = h.carries {
            let v = val(k);
            if !v.is_empty() {
                for m in v.split(|&b| b == b';') {
                    let m = trim(m);
                    if m.is_empty() {
                        continue;
                    }
                    let text = std::str::from_utf8(m)
                        .ok()
                        .filter(|t| id_problem(t).is_none());
                    let Some(text) = text else {
                        return Err(problem(
                            field_span(k),
                            format!(
                                "column `{}`: {} is not a message id",
                                col(k),
                                quote_bytes(m)
                            ),
                            "not a message id",
                            "list message ids separated by `;`",
                        ));
                    };
                    carried.push(text.to_string());
                }
            }
        }
        let mut id = None;
        if let Some(k) = h.id {
            let v = val(k);
            if !v.is_empty() {
                let text = std::str::from_utf8(v)
                    .ok()
                    .filter(|t| id_problem(t).is_none());
                let Some(text) = text else {
                    return Err(problem(
                        field_span(k),
                        format!("column `{}`: {} is not an event id", col(k), quote_bytes(v)),
                        "not an id",
                        "an id is a non-empty string without control characters",
                    ));
                };
                id = Some(text.to_string());
            }
        }
        let mut kind = u16::MAX;
        if let Some(k) = h.kind {
            let v = val(k);
            if !v.is_empty() {
                let Ok(text) = std::str::from_utf8(v) else {
                    return Err(problem(
                        field_span(k),
                        format!("column `{}`: the kind is not UTF-8 text", col(k)),
                        "not UTF-8",
                        "save the file as UTF-8",
                    ));
                };
                kind = match kind_map.get(v) {
                    Some(&n) => n,
                    None => {
                        let n = out.kind_names.len();
                        if n >= usize::from(u16::MAX) {
                            return Err(problem(
                                field_span(k),
                                format!("column `{}`: too many different kinds", col(k)),
                                "one kind too many",
                                "use fewer than 65535 kinds",
                            ));
                        }
                        out.kind_names.push(text.to_string());
                        kind_map.insert(v.to_vec(), n as u16);
                        n as u16
                    }
                };
            }
        }
        for k in [h.from, h.to] {
            let f = &fields[k];
            let key = if f.owned {
                let a = batch.arena.len();
                batch.arena.extend_from_slice(val(k));
                (true, a..batch.arena.len(), field_span(k))
            } else {
                (
                    false,
                    row_start + f.value.start..row_start + f.value.end,
                    field_span(k),
                )
            };
            batch.keys.push(key);
        }
        batch.rows.push((row_start..row_start + row.len(), line));
        out.from.push(0);
        out.to.push(0);
        out.time.push(time.lo, time.hi);
        out.flags.push(pack_flags(certainty, false));
        out.line.push(line);
        if h.kind.is_some() {
            out.kinds.push(kind);
        }
        if let Some(text) = time.text {
            out.texts.push((line, text));
        }
        if let Some(id) = id {
            out.ids.push((line, id));
        }
        for m in carried {
            out.carries.push((line, m));
        }
        Ok(())
    }
}

fn quote_bytes(v: &[u8]) -> String {
    let s = String::from_utf8_lossy(v);
    if s.chars().count() > 40 {
        let short: String = s.chars().take(37).collect();
        format!("`{short}...`")
    } else {
        format!("`{s}`")
    }
}

// ---------------------------------------------------------------------------
// The header

const FROM_NAMES: [&str; 4] = ["from", "src", "source", "sender"];
const TO_NAMES: [&str; 4] = ["to", "dst", "target", "recipient"];
const TIME_NAMES: [&str; 4] = ["time", "t", "timestamp", "date"];

fn parse_header(row: &[u8], has_quote: bool) -> Result<(Header, Vec<Diagnostic>), Box<Diagnostic>> {
    let mut fields: Vec<Field> = Vec::new();
    let mut owned: Vec<u8> = Vec::new();
    split_fields(row, has_quote, &mut fields, &mut owned).map_err(|(at, what)| {
        Box::new(Diagnostic::error(
            format!("the header line: {what}"),
            Some(at..at + 1),
            "here",
        ))
    })?;
    let mut h = Header {
        width: fields.len(),
        ..Header::default()
    };
    let (mut from, mut to, mut time) = (None, None, None);
    let mut warnings = Vec::new();
    for (k, f) in fields.iter().enumerate() {
        let v = if f.owned {
            &owned[f.value.clone()]
        } else {
            &row[f.value.clone()]
        };
        let name = String::from_utf8_lossy(v).to_lowercase();
        h.names.push(String::from_utf8_lossy(v).into_owned());
        let span = f.pos..(f.pos + v.len().max(1));
        let slot: Option<&mut Option<usize>> = match name.as_str() {
            n if FROM_NAMES.contains(&n) => Some(&mut from),
            n if TO_NAMES.contains(&n) => Some(&mut to),
            n if TIME_NAMES.contains(&n) => Some(&mut time),
            "id" => Some(&mut h.id),
            "kind" => Some(&mut h.kind),
            "certainty" => Some(&mut h.certainty),
            "carries" => Some(&mut h.carries),
            _ => None,
        };
        match slot {
            Some(s) if s.is_some() => {
                return Err(Box::new(
                    Diagnostic::error(
                        format!("the header names the `{name}` column twice (or two names for it)"),
                        Some(span),
                        "second one",
                    )
                    .with_help(
                        "keep one column per role: from, to, time, id, kind, certainty, carries",
                    ),
                ));
            }
            Some(s) => *s = Some(k),
            None => warnings.push(
                Diagnostic::warning(
                    format!(
                        "column `{}` is not one grapevine reads; it is ignored",
                        h.names[k]
                    ),
                    Some(span),
                    "ignored",
                )
                .with_help("the columns read are from, to, time, id, kind, certainty and carries"),
            ),
        }
    }
    let missing: Vec<&str> = [("from", from), ("to", to), ("time", time)]
        .iter()
        .filter(|(_, v)| v.is_none())
        .map(|(n, _)| *n)
        .collect();
    match (from, to, time) {
        (Some(f), Some(t), Some(ti)) => {
            h.from = f;
            h.to = t;
            h.time = ti;
            Ok((h, warnings))
        }
        _ => Err(Box::new(Diagnostic::error(
            format!(
                "the header line has no {} column",
                missing.join(" and no ")
            ),
            Some(0..row.len().max(1)),
            "the header",
        )
        .with_help(
            "the first line names the columns: from,to,time (also accepted: src,dst,t; source,target,timestamp; sender,recipient,date), optionally id, kind, certainty, carries",
        ))),
    }
}

// ---------------------------------------------------------------------------
// Reading a whole file

/// A problem with its absolute line: (line 1-based, row text, span in row,
/// message, label, help, is error).
type Problem = (u32, String, Range<usize>, String, String, String, bool);

/// Problems with their absolute line numbers, to be shown from a sparse text.
#[derive(Debug, Default)]
struct Problems {
    list: Vec<Problem>,
}

impl Problems {
    fn push_diag(&mut self, line: u32, text: &str, d: Diagnostic) {
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
    fn report(mut self, file: &str) -> Report {
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
struct Worker {
    /// Ids first seen in this thread's part of the current block.
    local: Interner,
    out: PartOut,
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

fn hquote_lines(row: &[u8]) -> u32 {
    memchr::memchr_iter(b'\n', row).count() as u32
}

/// The end of the last complete row of `buf` (just past its newline), or
/// `None` when the buffer holds no complete row.
fn last_boundary(buf: &[u8]) -> Option<usize> {
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

/// The corpus while it is being read: rows in file order.
#[derive(Debug, Default)]
struct Building {
    from: Vec<u32>,
    to: Vec<u32>,
    time: TimeCol,
    flags: Vec<u8>,
    line: Vec<u32>,
    kinds: Vec<u16>,
    kind_names: Vec<String>,
    kind_map: HashMap<String, u16>,
    ids: Vec<(u32, String)>,
    carries: Vec<(u32, String)>,
    texts: HashMap<u32, String>,
    certainty_written: bool,
}

impl Building {
    fn append(&mut self, out: &PartOut, base_line: u32) {
        self.from.extend_from_slice(&out.from);
        self.to.extend_from_slice(&out.to);
        self.time.append(&out.time);
        self.flags.extend_from_slice(&out.flags);
        self.line.extend(out.line.iter().map(|l| l + base_line));
        if !out.kinds.is_empty() {
            let map: Vec<u16> = out
                .kind_names
                .iter()
                .map(|k| match self.kind_map.get(k) {
                    Some(&n) => n,
                    None => {
                        let n = self.kind_names.len().min(usize::from(u16::MAX) - 1) as u16;
                        self.kind_names.push(k.clone());
                        self.kind_map.insert(k.clone(), n);
                        n
                    }
                })
                .collect();
            self.kinds.extend(out.kinds.iter().map(|&k| {
                if k == u16::MAX {
                    k
                } else {
                    map[k as usize]
                }
            }));
        }
        self.ids
            .extend(out.ids.iter().map(|(l, s)| (l + base_line, s.clone())));
        self.carries
            .extend(out.carries.iter().map(|(l, s)| (l + base_line, s.clone())));
        self.texts
            .extend(out.texts.iter().map(|(l, s)| (l + base_line, s.clone())));
        self.certainty_written |= out.certainty_written;
    }

    /// Sorts the rows by (time, line) and settles the time storage.
    fn finish(self, ids: Names, header: Header) -> Result<Corpus, Error> {
        let Building {
            mut from,
            mut to,
            time,
            mut flags,
            mut line,
            mut kinds,
            kind_names,
            ids: event_ids,
            carries,
            texts,
            certainty_written,
            ..
        } = self;
        let n = from.len();
        let has_kinds = header.kind.is_some();
        let times = match time {
            TimeCol::Delta { base, d } => {
                let base = base.unwrap_or(0);
                let min = d.iter().copied().min().unwrap_or(0);
                let max = d.iter().copied().max().unwrap_or(0);
                let span = i64::from(max) - i64::from(min);
                let sorted = d.windows(2).all(|w| w[0] <= w[1]);
                if span > i64::from(u32::MAX - 2) {
                    // Cannot happen for i32 deltas of less than 2^32 - 2, but
                    // stay safe: store intervals.
                    let lo: Vec<i64> = d.iter().map(|&x| base + i64::from(x)).collect();
                    let perm = sort_perm(&lo, &lo);
                    apply_all(&perm, &mut from, &mut to, &mut flags, &mut line, &mut kinds);
                    let lo: Vec<i64> = perm.iter().map(|&r| lo[r as usize]).collect();
                    Times::Intervals { hi: lo.clone(), lo }
                } else if sorted {
                    let offset: Vec<u32> = d
                        .into_iter()
                        .map(|x| (i64::from(x) - i64::from(min)) as u32)
                        .collect();
                    Times::Exact {
                        base: base + i64::from(min),
                        offset,
                    }
                } else {
                    let mut keys: Vec<u64> = d
                        .iter()
                        .enumerate()
                        .map(|(r, &x)| (((i64::from(x) - i64::from(min)) as u64) << 32) | r as u64)
                        .collect();
                    drop(d);
                    par_sort(&mut keys);
                    let perm_of = |k: &u64| (k & 0xFFFF_FFFF) as usize;
                    permute(&mut from, &keys, perm_of);
                    permute(&mut to, &keys, perm_of);
                    permute(&mut flags, &keys, perm_of);
                    permute(&mut line, &keys, perm_of);
                    if has_kinds {
                        permute(&mut kinds, &keys, perm_of);
                    }
                    let offset: Vec<u32> = keys.iter().map(|k| (k >> 32) as u32).collect();
                    Times::Exact {
                        base: base + i64::from(min),
                        offset,
                    }
                }
            }
            TimeCol::Wide { lo, hi } => {
                let perm = sort_perm(&lo, &hi);
                apply_all(&perm, &mut from, &mut to, &mut flags, &mut line, &mut kinds);
                let lo2: Vec<i64> = perm.iter().map(|&r| lo[r as usize]).collect();
                let hi2: Vec<i64> = perm.iter().map(|&r| hi[r as usize]).collect();
                Times::Intervals { lo: lo2, hi: hi2 }
            }
        };
        debug_assert_eq!(line.len(), n);
        let ids = by_activity(ids, &mut from, &mut to);
        // Messages: ids in order of first mention, origin from the earliest
        // carrying row.
        let mut message_ids: Vec<String> = Vec::new();
        let mut message_num: HashMap<String, u32> = HashMap::new();
        let mut carries_num: Vec<(u32, u32)> = Vec::with_capacity(carries.len());
        for (l, m) in carries {
            let k = match message_num.get(&m) {
                Some(&k) => k,
                None => {
                    let k = message_ids.len() as u32;
                    message_num.insert(m.clone(), k);
                    message_ids.push(m);
                    k
                }
            };
            carries_num.push((l, k));
        }
        carries_num.sort_unstable();
        carries_num.dedup();
        let mut messages: Vec<Option<CorpusMessage>> = vec![None; message_ids.len()];
        if !carries_num.is_empty() {
            let mut by_line: HashMap<u32, Vec<u32>> = HashMap::new();
            for &(l, k) in &carries_num {
                by_line.entry(l).or_default().push(k);
            }
            for r in 0..n {
                let Some(ms) = by_line.get(&line[r]) else {
                    continue;
                };
                for &k in ms {
                    let slot = &mut messages[k as usize];
                    if slot.is_none() {
                        *slot = Some(CorpusMessage {
                            id: message_ids[k as usize].clone(),
                            origin: from[r],
                            by: match &times {
                                Times::Exact { base, offset } => base + i64::from(offset[r]),
                                Times::Intervals { hi, .. } => hi[r],
                            },
                            line: line[r],
                        });
                    }
                }
            }
        }
        let event_ids = if header.id.is_some() {
            let mut v = event_ids;
            v.sort_by_key(|(l, _)| *l);
            let lines: Vec<u32> = v.iter().map(|(l, _)| *l).collect();
            let names: Names = v.iter().map(|(_, s)| s.as_str()).collect();
            Some((lines, names))
        } else {
            None
        };
        // Growth left spare capacity: give it back (a large shrink is a
        // remap, not a copy).
        from.shrink_to_fit();
        to.shrink_to_fit();
        flags.shrink_to_fit();
        line.shrink_to_fit();
        kinds.shrink_to_fit();
        let mut times = times;
        match &mut times {
            Times::Exact { offset, .. } => offset.shrink_to_fit(),
            Times::Intervals { lo, hi } => {
                lo.shrink_to_fit();
                hi.shrink_to_fit();
            }
        }
        Ok(Corpus {
            report: Report::new("", ""),
            skipped: 0,
            ids,
            from,
            to,
            line,
            times,
            flags,
            kinds: has_kinds.then_some(kinds),
            kind_names,
            event_ids,
            carries: carries_num,
            messages: messages.into_iter().flatten().collect(),
            texts,
            certainty_written,
        })
    }
}

/// Renumbers entities by how many rows name them, most active first, so
/// that the entities most scans touch share cache lines (mail corpora are
/// heavy-tailed: a few people appear in most rows). Answers do not depend on
/// entity numbers.
fn by_activity(ids: Names, from: &mut [u32], to: &mut [u32]) -> Names {
    let n = ids.len();
    let mut count = vec![0u32; n];
    for &e in from.iter().chain(to.iter()) {
        count[e as usize] = count[e as usize].saturating_add(1);
    }
    let mut order: Vec<u32> = (0..n as u32).collect();
    order.sort_by_key(|&e| (std::cmp::Reverse(count[e as usize]), e));
    drop(count);
    let mut new_of = vec![0u32; n];
    for (new, &old) in order.iter().enumerate() {
        new_of[old as usize] = new as u32;
    }
    for e in from.iter_mut().chain(to.iter_mut()) {
        *e = new_of[*e as usize];
    }
    let mut names: Names = order.iter().map(|&old| ids.get(old as usize)).collect();
    names.shrink_to_fit();
    names
}

/// Row order by (lo, hi, row).
fn sort_perm(lo: &[i64], hi: &[i64]) -> Vec<u32> {
    let mut perm: Vec<u32> = (0..lo.len() as u32).collect();
    perm.sort_unstable_by_key(|&r| (lo[r as usize], hi[r as usize], r));
    perm
}

fn apply_all(
    perm: &[u32],
    from: &mut Vec<u32>,
    to: &mut Vec<u32>,
    flags: &mut Vec<u8>,
    line: &mut Vec<u32>,
    kinds: &mut Vec<u16>,
) {
    let p = |r: &u32| *r as usize;
    permute(from, perm, p);
    permute(to, perm, p);
    permute(flags, perm, p);
    permute(line, perm, p);
    if !kinds.is_empty() {
        permute(kinds, perm, p);
    }
}

/// `col[i] = old[row_of(keys[i])]`, one temporary column at a time.
fn permute<T: Copy, K>(col: &mut Vec<T>, keys: &[K], row_of: impl Fn(&K) -> usize) {
    let new: Vec<T> = keys.iter().map(|k| col[row_of(k)]).collect();
    *col = new;
}

/// Sorts unique keys on two threads when it pays: partition around the
/// median in place, then sort the halves side by side.
fn par_sort(keys: &mut [u64]) {
    let threads = std::thread::available_parallelism().map_or(1, |n| n.get());
    if keys.len() < 1 << 16 || threads < 2 {
        keys.sort_unstable();
        return;
    }
    let mid = keys.len() / 2;
    keys.select_nth_unstable(mid);
    let (a, b) = keys.split_at_mut(mid);
    std::thread::scope(|s| {
        s.spawn(|| a.sort_unstable());
        b.sort_unstable();
    });
}

// ---------------------------------------------------------------------------
// Using a corpus

impl Corpus {
    /// Number of rows (events).
    pub fn row_count(&self) -> usize {
        self.from.len()
    }

    /// Number of distinct entities.
    pub fn entity_count(&self) -> usize {
        self.ids.len()
    }

    /// The entity ids, by number.
    pub fn entity_ids(&self) -> &Names {
        &self.ids
    }

    /// The messages named in `carries`.
    pub fn messages(&self) -> &[CorpusMessage] {
        &self.messages
    }

    /// True when every row is one exact second.
    pub fn is_exact(&self) -> bool {
        matches!(self.times, Times::Exact { .. })
    }

    fn lo(&self, r: usize) -> i64 {
        match &self.times {
            Times::Exact { base, offset } => base + i64::from(offset[r]),
            Times::Intervals { lo, .. } => lo[r],
        }
    }

    fn hi(&self, r: usize) -> i64 {
        match &self.times {
            Times::Exact { base, offset } => base + i64::from(offset[r]),
            Times::Intervals { hi, .. } => hi[r],
        }
    }

    /// Finds an entity by id: exactly, else case-insensitively when that is
    /// unambiguous. The error names the nearest ids.
    pub fn resolve_entity(&self, text: &str) -> Result<u32, String> {
        if let Some(i) = self.ids.iter().position(|s| s == text) {
            return Ok(i as u32);
        }
        let needle = text.trim().to_lowercase();
        let hits: Vec<usize> = self
            .ids
            .iter()
            .enumerate()
            .filter(|(_, s)| s.to_lowercase() == needle)
            .map(|(i, _)| i)
            .collect();
        match hits.len() {
            1 => Ok(hits[0] as u32),
            0 => {
                let mut scored: Vec<(usize, &str)> = self
                    .ids
                    .iter()
                    .map(|s| (suggest_distance(&needle, &s.to_lowercase()), s))
                    .collect();
                scored.sort();
                let near: Vec<&str> = scored.iter().take(3).map(|(_, s)| *s).collect();
                if near.is_empty() {
                    Err(format!(
                        "no entity is called \"{text}\": the file has no rows"
                    ))
                } else {
                    Err(format!(
                        "no entity is called \"{text}\"; the nearest are: {}",
                        near.join(", ")
                    ))
                }
            }
            _ => Err(format!(
                "\"{text}\" could be any of: {}; give the id exactly",
                hits.iter()
                    .map(|&i| self.ids.get(i))
                    .collect::<Vec<_>>()
                    .join(", ")
            )),
        }
    }

    /// Checks `query` against the corpus and compiles it, as
    /// [`Query::compile`] does for a story: the index spec and the
    /// reachability query. Build the index with [`Corpus::index`] or
    /// [`Corpus::into_index`].
    pub fn compile(&self, query: &Query) -> Result<(IndexSpec, ReachQuery), Error> {
        let entity = |name: &str| self.resolve_entity(name);
        let message = |id: &str| {
            let m = self.messages.iter().find(|m| m.id == id).ok_or_else(|| {
                Error::Query(if self.messages.is_empty() {
                    format!("no message is called \"{id}\": no row carries a message (the `carries` column)")
                } else {
                    let ids: Vec<&str> =
                        self.messages.iter().take(20).map(|m| m.id.as_str()).collect();
                    format!(
                        "no message is called \"{id}\"; the file's messages include: {}",
                        ids.join(", ")
                    )
                })
            })?;
            Ok(MessageStart {
                origin: m.origin,
                origin_name: format!(
                    "{}, the sender of its earliest carrying row, line {}",
                    self.ids.get(m.origin as usize),
                    m.line
                ),
                // Held no later than its earliest carrying row: `../T`.
                interval: crate::model::Interval {
                    lo: None,
                    hi: (m.by != NO_UPPER).then_some(m.by),
                },
            })
        };
        query.resolve(&TimeZone::UTC, &entity, &message)
    }

    /// The kinds and time texts of the events, by line, to keep beside an
    /// index made with [`Corpus::into_index`].
    pub fn details(&self) -> EventDetails {
        let mut kinds: Vec<(u32, u16)> = match &self.kinds {
            Some(k) => self
                .line
                .iter()
                .zip(k)
                .filter(|(_, &k)| k != u16::MAX)
                .map(|(&l, &k)| (l, k))
                .collect(),
            None => Vec::new(),
        };
        kinds.sort_unstable();
        EventDetails {
            kinds,
            kind_names: self.kind_names.clone(),
            texts: self.texts.clone(),
        }
    }

    /// The lines of rows carrying message `id`.
    fn carrying_lines(&self, id: Option<&str>) -> std::collections::HashSet<u32> {
        let Some(k) = id.and_then(|id| self.messages.iter().position(|m| m.id == id)) else {
            return Default::default();
        };
        let k = k as u32;
        self.carries
            .iter()
            .filter(|(_, m)| *m == k)
            .map(|(l, _)| *l)
            .collect()
    }

    fn keep(&self, spec: &IndexSpec) -> (Option<Vec<bool>>, std::collections::HashSet<u32>) {
        let carrying = self.carrying_lines(spec.message.as_deref());
        let min = crate::index::certainty_bits(spec.threshold);
        let filter = spec.threshold > Certainty::Unknown || spec.mode == Mode::Message;
        if !filter {
            return (None, carrying);
        }
        let keep = (0..self.row_count())
            .map(|r| {
                self.flags[r] & 0b11 >= min
                    && (spec.mode != Mode::Message || carrying.contains(&self.line[r]))
            })
            .collect();
        (Some(keep), carrying)
    }

    fn event_ids_for_index(&self) -> EventIds {
        match &self.event_ids {
            Some((lines, names)) => EventIds::Keyed {
                lines: lines.clone(),
                ids: names.clone(),
            },
            None => EventIds::Lines,
        }
    }

    /// The index for `spec`, leaving the corpus as it is (copies the kept
    /// rows).
    pub fn index(&self, spec: &IndexSpec) -> Index {
        self.clone().into_index(spec)
    }

    /// The index for `spec`, taking the corpus's columns over: no copy when
    /// every row is kept (contacts mode at threshold `unknown`), an in-place
    /// compaction otherwise.
    pub fn into_index(self, spec: &IndexSpec) -> Index {
        let (keep, carrying) = self.keep(spec);
        let events = self.event_ids_for_index();
        let Corpus {
            ids,
            mut from,
            mut to,
            mut line,
            times,
            mut flags,
            ..
        } = self;
        if !carrying.is_empty() {
            for (f, l) in flags.iter_mut().zip(&line) {
                if carrying.contains(l) {
                    *f |= pack_flags(Certainty::Unknown, true);
                }
            }
        }
        let mut times = times;
        if let Some(keep) = &keep {
            compact(&mut from, keep);
            compact(&mut to, keep);
            compact(&mut line, keep);
            compact(&mut flags, keep);
            match &mut times {
                Times::Exact { offset, .. } => compact(offset, keep),
                Times::Intervals { lo, hi } => {
                    compact(lo, keep);
                    compact(hi, keep);
                }
            }
        }
        let spec = spec.clone();
        match times {
            Times::Exact { base, offset } => {
                Index::from_exact(ids, None, events, from, to, line, base, offset, flags, spec)
            }
            Times::Intervals { lo, hi } => Index::from_parts(
                Parts {
                    ids,
                    names: None,
                    events,
                    from,
                    to,
                    event: line,
                    lo,
                    hi,
                    flags,
                },
                spec,
            ),
        }
    }

    /// The summary `check` prints.
    pub fn summary(&self, file: &str) -> Summary {
        let mut entities = std::collections::BTreeMap::new();
        entities.insert("other".to_string(), self.entity_count());
        let mut by_kind = std::collections::BTreeMap::new();
        match &self.kinds {
            Some(kinds) => {
                let mut counts = vec![0usize; self.kind_names.len() + 1];
                for &k in kinds {
                    let i = if k == u16::MAX {
                        self.kind_names.len()
                    } else {
                        k as usize
                    };
                    counts[i] += 1;
                }
                for (i, c) in counts.into_iter().enumerate() {
                    if c > 0 {
                        let name = self.kind_names.get(i).map_or("other", String::as_str);
                        *by_kind.entry(name.to_string()).or_insert(0) += c;
                    }
                }
            }
            None => {
                if self.row_count() > 0 {
                    by_kind.insert("other".to_string(), self.row_count());
                }
            }
        }
        let mut by_certainty = std::collections::BTreeMap::new();
        let mut counts = [0usize; 4];
        for &f in &self.flags {
            counts[(f & 0b11) as usize] += 1;
        }
        for (i, c) in counts.iter().enumerate() {
            if *c > 0 {
                let name = [
                    Certainty::Unknown,
                    Certainty::Alleged,
                    Certainty::Reported,
                    Certainty::Confirmed,
                ][i];
                by_certainty.insert(name.as_str().to_string(), *c);
            }
        }
        let n = self.row_count();
        let (mut lo, mut hi, mut undated) = (i64::MAX, i64::MIN, 0);
        for r in 0..n {
            let (l, h) = (self.lo(r), self.hi(r));
            if l == NO_LOWER && h == NO_UPPER {
                undated += 1;
                continue;
            }
            if l != NO_LOWER {
                lo = lo.min(l);
                hi = hi.max(l);
            }
            if h != NO_UPPER {
                lo = lo.min(h);
                hi = hi.max(h);
            }
        }
        let day = |t: i64| format_at_precision(t, Precision::Day, &TimeZone::UTC);
        Summary {
            file: file.to_string(),
            title: None,
            entities,
            events_by_kind: by_kind,
            events_by_certainty: by_certainty,
            entity_count: self.entity_count(),
            event_count: n,
            messages: self.messages.len(),
            relations: 0,
            sources: 0,
            undated_events: undated,
            first: (lo != i64::MAX).then(|| day(lo)),
            last: (hi != i64::MIN).then(|| day(hi)),
            warnings: self.report.to_json(),
        }
    }

    /// The corpus as a format 1 story: one entity per id (name = id, in
    /// order of first appearance), one message per id in `carries` (origin
    /// and time as described in the module docs), and one event per row in
    /// file order (id as written, else `line-N`; time as written when it is
    /// not one exact second, else RFC 3339 in UTC). Consecutive rows with the
    /// same `id`, sender, time, kind, certainty and carries become one event
    /// with several receivers.
    ///
    /// Errors: an `id` used by rows that are not such a run.
    pub fn to_story(&self) -> Result<Story, Report> {
        let n = self.row_count();
        // Rows in file order.
        let mut order: Vec<u32> = (0..n as u32).collect();
        order.sort_unstable_by_key(|&r| self.line[r as usize]);
        // Entities in order of first appearance.
        let mut number = vec![u32::MAX; self.entity_count()];
        let mut entity_order: Vec<u32> = Vec::new();
        for &r in &order {
            for e in [self.from[r as usize], self.to[r as usize]] {
                if number[e as usize] == u32::MAX {
                    number[e as usize] = entity_order.len() as u32;
                    entity_order.push(e);
                }
            }
        }
        let entities = entity_order
            .iter()
            .map(|&e| Entity {
                id: self.ids.get(e as usize).to_string(),
                name: self.ids.get(e as usize).to_string(),
                ..Entity::default()
            })
            .collect();
        let messages = self
            .messages
            .iter()
            .map(|m| Message {
                id: m.id.clone(),
                origin: Some(self.ids.get(m.origin as usize).to_string()),
                time: (m.by != NO_UPPER)
                    .then(|| TimeExpr::parse(&format!("../{}", rfc3339(m.by)), &TimeZone::UTC).ok())
                    .flatten(),
                ..Message::default()
            })
            .collect();
        let id_of = |line: u32| -> String {
            if let Some((lines, names)) = &self.event_ids {
                if let Ok(i) = lines.binary_search(&line) {
                    return names.get(i).to_string();
                }
            }
            format!("line-{line}")
        };
        let carried = |line: u32| -> Vec<String> {
            let a = self.carries.partition_point(|(l, _)| *l < line);
            self.carries[a..]
                .iter()
                .take_while(|(l, _)| *l == line)
                .map(|(_, m)| self.messages_by_number(*m))
                .collect()
        };
        let mut events: Vec<Event> = Vec::with_capacity(n);
        let mut seen: HashMap<String, u32> = HashMap::new();
        let mut errors = Problems::default();
        for &r in &order {
            let r = r as usize;
            let line = self.line[r];
            let id = id_of(line);
            let time_text = match self.texts.get(&line) {
                Some(t) => t.clone(),
                None => rfc3339(self.lo(r)),
            };
            let kind = self
                .kinds
                .as_ref()
                .and_then(|k| (k[r] != u16::MAX).then(|| self.kind_names[k[r] as usize].clone()));
            let certainty = self
                .certainty_written
                .then(|| crate::index::unpack_certainty(self.flags[r]));
            let carries = carried(line);
            let to = self.ids.get(self.to[r] as usize).to_string();
            let from = self.ids.get(self.from[r] as usize).to_string();
            if let Some(&first_line) = seen.get(&id) {
                // A run of rows of one event with several receivers?
                if let Some(last) = events.last_mut() {
                    if last.id == id
                        && last.kind == kind
                        && last.certainty == certainty
                        && last.carries == carries
                        && last.time.as_ref().map(|t| t.text.as_str()) == Some(time_text.as_str())
                    {
                        if let Parties::Directed {
                            from: f,
                            to: t,
                            to_is_array,
                        } = &mut last.parties
                        {
                            if *f == from {
                                t.push(to);
                                *to_is_array = true;
                                continue;
                            }
                        }
                    }
                }
                errors.push_diag(
                    line,
                    "",
                    Diagnostic::error(
                        format!(
                            "line {line}: event id \"{id}\" is already used on line {first_line} by a different contact"
                        ),
                        None,
                        "",
                    )
                    .with_help("give every event its own id; rows of one e-mail to several receivers share an id only when they follow each other with the same sender and time"),
                );
                continue;
            }
            seen.insert(id.clone(), line);
            events.push(Event {
                id,
                kind,
                parties: Parties::Directed {
                    from,
                    to: vec![to],
                    to_is_array: false,
                },
                time: (!time_text.is_empty())
                    .then(|| TimeExpr::parse(&time_text, &TimeZone::UTC).ok())
                    .flatten(),
                certainty,
                carries,
                ..Event::default()
            });
        }
        if !errors.list.is_empty() {
            let mut report = Report::new(self.report.file.clone(), "");
            report.diagnostics = errors
                .list
                .into_iter()
                .map(|(_, _, _, message, label, help, _)| {
                    Diagnostic::error(message, None, label).with_help(help)
                })
                .collect();
            return Err(report);
        }
        Ok(Story {
            entities,
            messages,
            events,
            ..Story::default()
        })
    }

    fn messages_by_number(&self, k: u32) -> String {
        // Message numbers are in order of first mention; `messages` keeps
        // that order for every message that has a carrying row (all do).
        self.messages
            .get(k as usize)
            .map(|m| m.id.clone())
            .unwrap_or_default()
    }

    /// Bytes held by the corpus's arrays.
    pub fn heap_bytes(&self) -> usize {
        let times = match &self.times {
            Times::Exact { offset, .. } => offset.capacity() * 4,
            Times::Intervals { lo, hi } => (lo.capacity() + hi.capacity()) * 8,
        };
        self.ids.heap_bytes()
            + (self.from.capacity() + self.to.capacity() + self.line.capacity()) * 4
            + self.flags.capacity()
            + times
            + self.kinds.as_ref().map_or(0, |k| k.capacity() * 2)
    }
}

/// Keeps `v[i]` where `keep[i]`, in place.
fn compact<T: Copy>(v: &mut Vec<T>, keep: &[bool]) {
    let mut w = 0;
    for r in 0..v.len() {
        if keep[r] {
            v[w] = v[r];
            w += 1;
        }
    }
    v.truncate(w);
    v.shrink_to_fit();
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(text: &str) -> Result<Corpus, Error> {
        Corpus::parse("t.csv", text.as_bytes(), &CsvOptions::default())
    }

    #[test]
    fn fast_iso_agrees_with_time_expressions() {
        for s in [
            "2001-05-14T16:39:00Z",
            "2001-05-14T16:39:00",
            "2016-02-29T23:59:59+05:30",
            "1969-12-31T23:59:59-04:00",
            "2000-01-01T00:00:00Z",
            "1900-03-01T00:00:00Z",
        ] {
            let slow = TimeExpr::parse(s, &TimeZone::UTC).unwrap().interval().lo;
            assert_eq!(fast_iso(s.as_bytes()), slow, "{s}");
        }
        for s in [
            "2001-02-29T00:00:00Z",
            "2001-13-01T00:00:00Z",
            "2001-05-14 16:39:00",
        ] {
            assert_eq!(fast_iso(s.as_bytes()), None, "{s}");
        }
    }

    #[test]
    fn header_names_and_rows() {
        let c = parse("src,dst,t\na@x.org,b@x.org,100\nb@x.org,c@x.org,50\n").unwrap();
        assert_eq!(c.row_count(), 2);
        assert_eq!(c.entity_count(), 3);
        assert!(c.is_exact());
        // Sorted by time: line 3 first.
        assert_eq!(c.line, vec![3, 2]);
        assert_eq!(c.lo(0), 50);
    }

    #[test]
    fn quoted_fields() {
        let c =
            parse("from,to,time,kind\n\"Doe, Jane\",b,1,\"an \"\"odd\"\"\nkind\"\nb,c,2,email\n")
                .unwrap();
        assert!(c.resolve_entity("Doe, Jane").is_ok());
        assert_eq!(c.entity_ids().get(c.from[0] as usize), "Doe, Jane");
        assert_eq!(c.kind_names[0], "an \"odd\"\nkind");
        assert_eq!(c.line, vec![2, 4]);
    }

    #[test]
    fn bad_rows_are_located() {
        let err = parse("from,to,time\na,b,1\na,b,soon\na,b\n").unwrap_err();
        let Error::Invalid(report) = err else {
            panic!("not invalid")
        };
        let json = report.to_json();
        assert_eq!(json.len(), 2);
        assert_eq!((json[0].line, json[0].column), (Some(3), Some(5)));
        assert!(
            json[0]
                .message
                .contains("column `time`: `soon` is not a date"),
            "{}",
            json[0].message
        );
        assert_eq!(json[1].line, Some(4));
        let rendered = report.render();
        assert!(rendered.contains("t.csv:3:5"), "{rendered}");
    }

    #[test]
    fn skipping_bad_rows() {
        let c = Corpus::parse(
            "t.csv",
            b"from,to,time\na,b,1\na,b,soon\n,b,3\n",
            &CsvOptions {
                skip_bad_rows: true,
                ..CsvOptions::default()
            },
        )
        .unwrap();
        assert_eq!(c.row_count(), 1);
        assert_eq!(c.skipped, 2);
        assert_eq!(c.report.warning_count(), 2);
    }

    #[test]
    fn missing_columns() {
        let Error::Invalid(r) = parse("from,when\na,1\n").unwrap_err() else {
            panic!()
        };
        assert!(r.diagnostics[0].message.contains("no to and no time"));
    }

    #[test]
    fn messages_get_an_origin() {
        let c = parse("from,to,time,carries\nb,c,20,tip\na,b,10,tip;x\n").unwrap();
        let m = &c.messages()[0];
        assert_eq!(m.id, "tip");
        assert_eq!(c.entity_ids().get(m.origin as usize), "a");
        assert_eq!(m.by, 10);
        let story = c.to_story().unwrap();
        assert_eq!(story.messages.len(), 2);
        assert_eq!(story.events[0].id, "line-2");
        assert_eq!(story.events[0].carries, vec!["tip"]);
    }

    #[test]
    fn parallel_parse_equals_serial() {
        let mut text = String::from("from,to,time\n");
        for i in 0..200_000u64 {
            text.push_str(&format!(
                "u{}@x.org,u{}@x.org,{}\n",
                i % 977,
                (i * 7) % 1013,
                1000 + (i * 31) % 5000
            ));
        }
        let one = Corpus::parse(
            "t.csv",
            text.as_bytes(),
            &CsvOptions {
                threads: 1,
                ..CsvOptions::default()
            },
        )
        .unwrap();
        let two = Corpus::parse(
            "t.csv",
            text.as_bytes(),
            &CsvOptions {
                threads: 2,
                ..CsvOptions::default()
            },
        )
        .unwrap();
        assert_eq!(one.row_count(), 200_000);
        assert_eq!(one.line, two.line);
        let names = |c: &Corpus, v: &[u32]| {
            v.iter()
                .map(|&e| c.ids.get(e as usize).to_string())
                .collect::<Vec<_>>()
        };
        assert_eq!(names(&one, &one.from), names(&two, &two.from));
        assert_eq!(names(&one, &one.to), names(&two, &two.to));
        assert_eq!(one.times, two.times);
    }
}
