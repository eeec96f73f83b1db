//! Parsing one part of a block into compact columns, with located problems.

use std::collections::HashMap;
use std::ops::Range;

use crate::catalog::certainty_bits;
use crate::model::{id_problem, Certainty};

use super::fields::{scan_split, split_fields, trim, Block, Cut, Field, Header, Scan, Separators};
use super::intern::{
    hash_bytes, Batch, BatchRow, Ids, Key, BATCH_KEYS, BATCH_ROWS, LOCAL, NONE_ID,
};
use super::problem::{shorten, shown, thousands, RowProblem};
pub(super) use super::timecol::TimeCol;
use super::times::{parse_time, Forms};
use super::{MAX_ROW_BYTES, MAX_ROW_LINES};

/// What one thread makes of its part of a block.
#[derive(Debug, Default)]
pub(super) struct PartOut {
    pub(super) from: Vec<u32>,
    pub(super) to: Vec<u32>,
    pub(super) time: TimeCol,
    pub(super) flags: Vec<u8>,
    /// Line of each row, relative to the part's first line.
    pub(super) line: Vec<u32>,
    pub(super) kinds: Vec<u32>,
    pub(super) kind_names: Vec<String>,
    pub(super) ids: Vec<(u32, String)>,
    pub(super) carries: Vec<(u32, String)>,
    pub(super) texts: Vec<(u32, String)>,
    pub(super) problems: Vec<RowProblem>,
    pub(super) bad_rows: usize,
    pub(super) certainty_written: bool,
    /// Line breaks in the part.
    pub(super) lines: u32,
    /// How the good rows write their times.
    pub(super) forms: Forms,
}

impl PartOut {
    /// Takes out rows `first + i` where `bad[i]`, with their sparse entries
    /// (found by line).
    pub(super) fn drop_rows(
        &mut self,
        first: usize,
        bad: &[bool],
        lines: &std::collections::HashSet<u32>,
    ) {
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

    pub(super) fn clear(&mut self) {
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
        self.forms = Forms::default();
    }
}

pub(super) struct PartParser<'h> {
    pub(super) header: &'h Header,
    pub(super) keep_problems: usize,
}

/// The message of a row cut at its first line.
fn cut_problem(why: Cut, width: usize) -> (String, &'static str) {
    const MISSING: &str = "its closing quote is probably missing";
    let message = match why {
        Cut::Unclosed { lines } => format!(
            "this quote opens a value that is never closed: it runs to the end of the file, over {} lines",
            thousands(u64::from(lines))
        ),
        Cut::TooManyLines => format!(
            "this quote opens a value that runs over more than {} lines: {MISSING}",
            thousands(u64::from(MAX_ROW_LINES))
        ),
        Cut::TooManyBytes => format!(
            "this quote opens a value that runs over more than {} bytes (1 MiB): {MISSING}",
            thousands(MAX_ROW_BYTES as u64)
        ),
        Cut::Garbled { lines } => format!(
            "this quote opens a value that runs over {} lines into a row with a quote out of place: {MISSING}",
            thousands(u64::from(lines))
        ),
        Cut::Fields { lines, fields } => format!(
            "this quote opens a value that runs over {} lines into a row of {} fields where the header names {width}: {MISSING}",
            thousands(u64::from(lines)),
            thousands(fields as u64)
        ),
        Cut::LongLine => format!(
            "the line is longer than {} bytes (1 MiB), the most a row may hold",
            thousands(MAX_ROW_BYTES as u64)
        ),
    };
    let label = if why == Cut::LongLine {
        "this line"
    } else {
        "quote opened here"
    };
    (message, label)
}

/// A row as the part parser meets it.
pub(super) struct RowAt<'b> {
    /// Its text, without the line break that ends it.
    pub(super) text: &'b [u8],
    /// Where it starts in the buffer.
    pub(super) start: usize,
    /// The buffer holds a quote (when not, the row is not searched for one).
    pub(super) has_quote: bool,
    /// Its fields are split already (by the part's one pass).
    pub(super) split: bool,
    /// Its line, relative to the part's first line.
    pub(super) line: u32,
}

impl RowAt<'_> {
    /// A problem of this row, at `span` in it.
    fn problem(&self, span: Range<usize>, message: String, label: &str, help: &str) -> RowProblem {
        RowProblem {
            line: self.line,
            text: shorten(self.text),
            span,
            message,
            label: label.to_string(),
            help: help.to_string(),
        }
    }
}

/// A split row's values: each field's bytes, in the row or unquoted into
/// `owned`.
struct Values<'r> {
    row: &'r [u8],
    fields: &'r [Field],
    owned: &'r [u8],
}

impl<'r> Values<'r> {
    /// Field `k`'s value.
    #[inline]
    fn get(&self, k: usize) -> &'r [u8] {
        let f = &self.fields[k];
        if f.owned {
            &self.owned[f.value.clone()]
        } else {
            &self.row[f.value.clone()]
        }
    }

    /// Where field `k` is in the row, for a message: its value's bytes (at
    /// least one).
    #[inline]
    fn span(&self, k: usize) -> Range<usize> {
        let f = &self.fields[k];
        let start = if f.owned { f.pos } else { f.value.start };
        let len = self.get(k).len().max(1);
        start..(start + len).min(self.row.len().max(start + 1))
    }
}

/// What the part parser keeps from row to row: the row's fields, values
/// unquoted, the kinds met, and the batch of rows whose ids are looked up
/// together.
#[derive(Default)]
pub(super) struct Scratch {
    pub(super) fields: Vec<Field>,
    pub(super) owned: Vec<u8>,
    pub(super) kind_map: HashMap<Vec<u8>, u32>,
    pub(super) batch: Batch,
}

impl Scratch {
    /// Scans the row of the block at `start`, splitting its fields when it
    /// can: from the part's one pass (`seps`, when the block has no quote), else
    /// as it is scanned. Returns the scan and whether the fields are split.
    #[inline]
    fn next_row(
        &mut self,
        seps: Option<&mut Separators>,
        block: Block,
        start: usize,
        width: usize,
    ) -> (Scan, bool) {
        match seps.and_then(|seps| seps.split(start, width, &mut self.fields)) {
            Some((end, next)) => (
                Scan::Row {
                    end,
                    next,
                    breaks: 1,
                    quoted: false,
                    cut: None,
                },
                true,
            ),
            None => scan_split(block, start, width, &mut self.fields, &mut self.owned),
        }
    }
}

impl PartParser<'_> {
    /// Parses the rows of the block that start in `range` (which starts at a
    /// row start). Returns where the row after the
    /// last one parsed starts (the range's end when the range ends at a row
    /// start, as [`plan`] cuts them), and the scan that stopped the parse
    /// ([`Scan::More`] or [`Scan::TooLong`] for a row that cannot be read
    /// yet; [`Scan::More`] at the end of a buffer that more bytes follow; a
    /// row otherwise).
    pub(super) fn parse(
        &self,
        block: Block,
        range: Range<usize>,
        ids: &mut Ids,
        out: &mut PartOut,
    ) -> (usize, Scan) {
        let Block {
            bytes: buf,
            eof,
            quotes,
        } = block;
        let mut stop = Scan::Row {
            end: buf.len(),
            next: buf.len(),
            breaks: 0,
            quoted: false,
            cut: None,
        };
        let width = self.header.width;
        let mut scratch = Scratch {
            fields: Vec::with_capacity(width),
            ..Scratch::default()
        };
        let mut line: u32 = 0;
        let mut start = range.start;
        // Without quotes, the commas and line breaks of the whole part in
        // one pass.
        let mut seps = (!quotes).then(|| Separators::new(buf, range.start));
        while start < range.end {
            let (scanned, split) = scratch.next_row(seps.as_mut(), block, start, width);
            let Scan::Row {
                end,
                next,
                breaks,
                quoted,
                cut,
            } = scanned
            else {
                stop = scanned;
                break;
            };
            let row = &buf[start..end];
            let this_line = line;
            line = line.saturating_add(breaks);
            let row_start = start;
            start = next.max(start + 1);
            if let Some((at, why)) = cut {
                // Rows before it first, so problems stay in line order.
                self.flush(buf, &mut scratch.batch, ids, out);
                self.bad_row(out, || {
                    let (message, label) = cut_problem(why, width);
                    let at = at - row_start;
                    RowProblem {
                        line: this_line,
                        text: shorten(row),
                        span: at..at + 1,
                        message,
                        label: label.into(),
                        help: "close the quote on this line, and write a quote inside a quoted value as \"\"; reading goes on at the next line".into(),
                    }
                });
                continue;
            }
            if trim(row).is_empty() {
                continue;
            }
            if scratch.batch.rows.is_empty() {
                scratch.batch.first = out.from.len();
            }
            let at = RowAt {
                text: row,
                start: row_start,
                has_quote: quoted,
                split,
                line: this_line,
            };
            match self.row(&at, out, &mut scratch) {
                Ok(()) => {
                    if scratch.batch.rows.len() == BATCH_ROWS {
                        self.flush(buf, &mut scratch.batch, ids, out);
                    }
                }
                Err(p) => {
                    self.flush(buf, &mut scratch.batch, ids, out);
                    self.bad_row(out, || p);
                }
            }
        }
        self.flush(buf, &mut scratch.batch, ids, out);
        out.lines = line;
        if start >= buf.len() && !eof {
            stop = Scan::More;
        }
        (start, stop)
    }

    /// Counts a bad row, and keeps its problem while there is room.
    fn bad_row(&self, out: &mut PartOut, problem: impl FnOnce() -> RowProblem) {
        out.bad_rows += 1;
        if out.problems.len() < self.keep_problems {
            out.problems.push(problem());
        }
    }

    /// Gives the batch's rows their entity numbers; rows with a bad id are
    /// taken out again (and their ids never interned).
    pub(super) fn flush(&self, buf: &[u8], batch: &mut Batch, ids: &mut Ids, out: &mut PartOut) {
        if batch.rows.is_empty() {
            return;
        }
        // On the stack: a batch is at most BATCH_KEYS keys (it is flushed
        // at BATCH_ROWS rows).
        let mut key_store: [&[u8]; BATCH_KEYS] = [&[]; BATCH_KEYS];
        let mut hash_store = [0u64; BATCH_KEYS];
        let count = batch.keys.len();
        for (i, k) in batch.keys.iter().enumerate() {
            let key = if k.owned {
                &batch.arena[k.bytes.clone()]
            } else {
                &buf[k.bytes.clone()]
            };
            key_store[i] = key;
            hash_store[i] = hash_bytes(key);
        }
        let (keys, hashes) = (&key_store[..count], &hash_store[..count]);
        let mut found = [NONE_ID; BATCH_KEYS];
        ids.global.lookup_batch(keys, hashes, &mut found);
        // Row by row: a row with an id that is new and bad is dropped whole,
        // before either of its ids is added.
        let mut bad: Vec<bool> = Vec::new();
        for r in 0..batch.rows.len() {
            let mut ids_of = [NONE_ID; 2];
            let mut problem = None;
            for (side, id) in ids_of.iter_mut().enumerate() {
                let i = 2 * r + side;
                if found[i] != NONE_ID {
                    *id = found[i];
                } else if let Some(n) = ids.local.lookup(keys[i], hashes[i]) {
                    *id = n | LOCAL;
                } else if let Err(what) = valid_id(keys[i]) {
                    problem.get_or_insert((i, what));
                }
            }
            if problem.is_none() {
                for (side, id) in ids_of.iter_mut().enumerate() {
                    if *id != NONE_ID {
                        continue;
                    }
                    let i = 2 * r + side;
                    // An id new to the table, checked above (the receiver
                    // may be the sender, added just now).
                    let text = std::str::from_utf8(keys[i]).unwrap_or_default();
                    let added = match ids.local.lookup(keys[i], hashes[i]) {
                        Some(n) => Ok(n),
                        None => ids.local.insert_new(text, hashes[i]),
                    };
                    match added {
                        Ok(n) => *id = n | LOCAL,
                        Err(what) => {
                            problem = Some((i, what));
                            break;
                        }
                    }
                }
            }
            if let Some((i, what)) = problem {
                if bad.is_empty() {
                    bad = vec![false; batch.rows.len()];
                }
                bad[r] = true;
                out.bad_rows += 1;
                if out.problems.len() < self.keep_problems {
                    let BatchRow { range, line, .. } = batch.rows[r].clone();
                    let col = if i % 2 == 0 {
                        self.header.from
                    } else {
                        self.header.to
                    };
                    out.problems.push(RowProblem {
                        line,
                        text: shorten(&buf[range]),
                        span: batch.keys[i].span.clone(),
                        message: format!(
                            "column {}: the entity id {what}",
                            shown(self.header.names[col].as_bytes())
                        ),
                        label: "not an entity id".into(),
                        help: "an id is a non-empty string without control characters or noncharacters (U+FFFF and the like), e.g. an e-mail address".into(),
                    });
                }
                continue;
            }
            let row = batch.first + r;
            out.from[row] = ids_of[0];
            out.to[row] = ids_of[1];
            let row = &batch.rows[r];
            out.forms.add(row.form, row.line, &buf[row.range.clone()]);
        }
        if !bad.is_empty() {
            let lines: std::collections::HashSet<u32> = batch
                .rows
                .iter()
                .zip(&bad)
                .filter(|(_, b)| **b)
                .map(|(row, _)| row.line)
                .collect();
            out.drop_rows(batch.first, &bad, &lines);
        }
        batch.keys.clear();
        batch.arena.clear();
        batch.rows.clear();
    }

    /// Parses one row that is neither blank nor cut into `out`, its ids into
    /// the batch (numbered when the batch is flushed).
    pub(super) fn row(
        &self,
        at: &RowAt,
        out: &mut PartOut,
        scratch: &mut Scratch,
    ) -> Result<(), RowProblem> {
        let h = self.header;
        self.split(at, &mut scratch.fields, &mut scratch.owned)?;
        let v = Values {
            row: at.text,
            fields: &scratch.fields,
            owned: &scratch.owned,
        };
        let time = parse_time(v.get(h.time)).map_err(|(what, help)| {
            at.problem(
                v.span(h.time),
                format!("column {}: {what}", self.col(h.time)),
                "not a time",
                &help,
            )
        })?;
        let certainty = self.certainty(at, &v)?;
        if certainty.is_some() {
            out.certainty_written = true;
        }
        let carried = self.carried(at, &v)?;
        let id = self.event_id(at, &v)?;
        let kind = self.kind(at, &v, out, &mut scratch.kind_map)?;
        let batch = &mut scratch.batch;
        for k in [h.from, h.to] {
            let f = &v.fields[k];
            let key = if f.owned {
                let a = batch.arena.len();
                batch.arena.extend_from_slice(v.get(k));
                Key {
                    owned: true,
                    bytes: a..batch.arena.len(),
                    span: v.span(k),
                }
            } else {
                Key {
                    owned: false,
                    bytes: at.start + f.value.start..at.start + f.value.end,
                    span: v.span(k),
                }
            };
            batch.keys.push(key);
        }
        let line = at.line;
        batch.rows.push(BatchRow {
            range: at.start..at.start + at.text.len(),
            line,
            form: time.form,
        });
        out.from.push(0);
        out.to.push(0);
        out.time.push(time.lo, time.hi);
        out.flags
            .push(certainty_bits(certainty.unwrap_or(Certainty::Reported)));
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

    /// The name of column `k`, for a message.
    fn col(&self, k: usize) -> String {
        shown(self.header.names[k].as_bytes())
    }

    /// Splits the row into `fields` (unless the part's one pass did) and
    /// checks that it has one per column.
    #[inline]
    fn split(
        &self,
        at: &RowAt,
        fields: &mut Vec<Field>,
        owned: &mut Vec<u8>,
    ) -> Result<(), RowProblem> {
        let (row, width) = (at.text, self.header.width);
        let split = if at.split {
            Ok(())
        } else {
            split_fields(row, at.has_quote, fields, owned)
        };
        if let Err((at_byte, what)) = split {
            return Err(at.problem(
                at_byte..at_byte + 1,
                what.to_string(),
                "here",
                "quote a whole value that holds commas or quotes as \"...\", doubling the quotes inside it (\"a \"\"b\"\" c\")",
            ));
        }
        if fields.len() != width {
            let span = if fields.len() > width {
                fields[width].pos..row.len()
            } else {
                row.len()..row.len()
            };
            return Err(at.problem(
                span,
                format!(
                    "the row has {} field{}; the header names {}",
                    thousands(fields.len() as u64),
                    if fields.len() == 1 { "" } else { "s" },
                    width
                ),
                if fields.len() > width {
                    "extra fields"
                } else {
                    "fields missing"
                },
                "give every row one value per column (an empty value for an optional column); quote values that hold commas",
            ));
        }
        Ok(())
    }

    /// The row's certainty, when the file has the column and the row a value.
    #[inline]
    fn certainty(&self, at: &RowAt, v: &Values) -> Result<Option<Certainty>, RowProblem> {
        let Some(k) = self.header.certainty else {
            return Ok(None);
        };
        let value = v.get(k);
        if value.is_empty() {
            return Ok(None);
        }
        Ok(Some(match value {
            b"confirmed" => Certainty::Confirmed,
            b"reported" => Certainty::Reported,
            b"alleged" => Certainty::Alleged,
            b"unknown" => Certainty::Unknown,
            _ => {
                return Err(at.problem(
                    v.span(k),
                    format!(
                        "column {}: {} is not a certainty",
                        self.col(k),
                        shown(value)
                    ),
                    "not a certainty",
                    "use confirmed, reported, alleged or unknown, or leave it empty for reported",
                ))
            }
        }))
    }

    /// The message ids of the row's `carries` value.
    #[inline]
    fn carried(&self, at: &RowAt, v: &Values) -> Result<Vec<String>, RowProblem> {
        let mut carried: Vec<String> = Vec::new();
        if let Some(k) = self.header.carries {
            let value = v.get(k);
            if !value.is_empty() {
                for m in value.split(|&b| b == b';') {
                    let m = trim(m);
                    if m.is_empty() {
                        continue;
                    }
                    let text = std::str::from_utf8(m)
                        .ok()
                        .filter(|t| id_problem(t).is_none());
                    let Some(text) = text else {
                        return Err(at.problem(
                            v.span(k),
                            format!("column {}: {} is not a message id", self.col(k), shown(m)),
                            "not a message id",
                            "list message ids separated by `;`",
                        ));
                    };
                    carried.push(text.to_string());
                }
            }
        }
        Ok(carried)
    }

    /// The row's event id, when the file has the column and the row a value.
    #[inline]
    fn event_id(&self, at: &RowAt, v: &Values) -> Result<Option<String>, RowProblem> {
        let Some(k) = self.header.id else {
            return Ok(None);
        };
        let value = v.get(k);
        if value.is_empty() {
            return Ok(None);
        }
        let text = std::str::from_utf8(value)
            .ok()
            .filter(|t| id_problem(t).is_none());
        let Some(text) = text else {
            return Err(at.problem(
                v.span(k),
                format!(
                    "column {}: {} is not an event id",
                    self.col(k),
                    shown(value)
                ),
                "not an id",
                "an id is a non-empty string without control characters or noncharacters (U+FFFF and the like)",
            ));
        };
        Ok(Some(text.to_string()))
    }

    /// The number of the row's kind in the part (`u32::MAX` for none), the
    /// kinds met so far numbered in `kind_map`.
    #[inline]
    fn kind(
        &self,
        at: &RowAt,
        v: &Values,
        out: &mut PartOut,
        kind_map: &mut HashMap<Vec<u8>, u32>,
    ) -> Result<u32, RowProblem> {
        let Some(k) = self.header.kind else {
            return Ok(u32::MAX);
        };
        let value = v.get(k);
        if value.is_empty() {
            return Ok(u32::MAX);
        }
        let Ok(text) = std::str::from_utf8(value) else {
            return Err(at.problem(
                v.span(k),
                format!("column {}: the kind is not UTF-8 text", self.col(k)),
                "not UTF-8",
                "save the file as UTF-8",
            ));
        };
        if let Some(c) = text.chars().find(|&c| crate::model::is_noncharacter(c)) {
            return Err(at.problem(
                v.span(k),
                format!(
                    "column {}: the kind holds the Unicode noncharacter U+{:04X}",
                    self.col(k),
                    c as u32
                ),
                "a noncharacter",
                "noncharacters (such as U+FFFF) are not text and cannot be drawn: remove it, or write U+FFFD in its place",
            ));
        }
        Ok(match kind_map.get(value) {
            Some(&n) => n,
            None => {
                // Kind numbers are u32: a part holds fewer rows than that.
                let n = out.kind_names.len() as u32;
                out.kind_names.push(text.to_string());
                kind_map.insert(value.to_vec(), n);
                n
            }
        })
    }
}

/// Whether `key` can be an entity id.
pub(super) fn valid_id(key: &[u8]) -> Result<(), &'static str> {
    let text = std::str::from_utf8(key).map_err(|_| "is not UTF-8 text")?;
    match id_problem(text) {
        Some(p) => Err(p),
        None => Ok(()),
    }
}
