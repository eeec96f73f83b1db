//! Row and field boundaries: RFC 4180 quoting, line breaks (LF, CRLF, CR),
//! the row limits, trimming.
//!
//! [`scan`] decides where a row ends, and is the only code that does: the
//! block planner (which cuts blocks into parts) and the part parsers call it
//! on the same whole buffer, so a row's end never depends on where a block or
//! part begins. Its answer for a row depends only on the bytes up to the
//! point where it decides, never on how many bytes follow, so blocks of any
//! size give the same rows.

use std::ops::Range;

use super::{MAX_ROW_BYTES, MAX_ROW_LINES};

/// Which column plays which part.
#[derive(Debug, Clone, Default)]
pub(super) struct Header {
    pub(super) width: usize,
    /// Column names as written (lossily decoded).
    pub(super) names: Vec<String>,
    pub(super) from: usize,
    pub(super) to: usize,
    pub(super) time: usize,
    pub(super) id: Option<usize>,
    pub(super) kind: Option<usize>,
    pub(super) certainty: Option<usize>,
    pub(super) carries: Option<usize>,
}

/// Why a row was cut at its first line: what is wrong with the quoted value
/// that opens on it (or with the line itself).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Cut {
    /// The quote is never closed: the value runs to the end of the file,
    /// over `lines` lines.
    Unclosed { lines: u32 },
    /// The value runs over more than [`MAX_ROW_LINES`] lines.
    TooManyLines,
    /// The value runs over more than [`MAX_ROW_BYTES`] bytes.
    TooManyBytes,
    /// The row the value makes, over `lines` lines, has a quote out of place
    /// (text after a closing quote, a quote inside an unquoted value).
    Garbled { lines: u32 },
    /// The row the value makes, over `lines` lines, has `fields` fields.
    Fields { lines: u32, fields: usize },
    /// The line is longer than [`MAX_ROW_BYTES`].
    LongLine,
}

/// Where the row starting at some position ends.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Scan {
    /// A row: its text is `start..end` (without the line break that ends
    /// it), the next row starts at `next`, and it spans `breaks` line breaks
    /// (its own ending included). `quoted`: the row has a quote (its fields
    /// need the slow split). `cut`: the row is bad and was cut at its first
    /// line; the position is the byte to point at.
    Row {
        end: usize,
        next: usize,
        breaks: u32,
        quoted: bool,
        cut: Option<(usize, Cut)>,
    },
    /// More bytes are needed to know.
    More,
    /// The row's first line is longer than [`MAX_ROW_BYTES`] and does not end
    /// in the buffer: the reader skips to the next line break.
    TooLong,
}

/// The start of the line after the line break at `p` (`\n`, `\r\n` or a
/// lone `\r`); `None` when `p` is a `\r` at the end of the buffer and more
/// bytes may follow (a `\n` would belong to it).
#[inline]
pub(super) fn after_break(buf: &[u8], p: usize, eof: bool) -> Option<usize> {
    if buf[p] == b'\n' {
        return Some(p + 1);
    }
    match buf.get(p + 1) {
        Some(b'\n') => Some(p + 2),
        Some(_) => Some(p + 1),
        None if eof => Some(p + 1),
        None => None,
    }
}

/// The first line break at or after `from`.
#[inline]
pub(super) fn next_break(buf: &[u8], from: usize) -> Option<usize> {
    memchr::memchr2(b'\n', b'\r', &buf[from..]).map(|i| from + i)
}

/// Line breaks (`\n`, `\r\n`, lone `\r`) in `s`.
pub(super) fn count_breaks(s: &[u8]) -> u32 {
    let mut n = 0u32;
    let mut i = 0;
    while let Some(p) = next_break(s, i) {
        n = n.saturating_add(1);
        i = after_break(s, p, true).unwrap_or(s.len());
    }
    n
}

/// Where the row starting at `start` ends, for a header of `width` columns;
/// `eof`: no bytes follow the buffer.
#[inline]
pub(super) fn scan(buf: &[u8], start: usize, eof: bool, width: usize) -> Scan {
    let lb = next_break(buf, start);
    let line_end = lb.unwrap_or(buf.len());
    let has_quote = memchr::memchr(b'"', &buf[start..line_end]).is_some();
    scan_line(buf, start, eof, width, lb, has_quote)
}

/// [`scan`] once the first line break (`lb`) is found and it is known
/// whether the first line has a quote.
#[inline]
fn scan_line(
    buf: &[u8],
    start: usize,
    eof: bool,
    width: usize,
    lb: Option<usize>,
    has_quote: bool,
) -> Scan {
    let line_end = lb.unwrap_or(buf.len());
    if !has_quote {
        // No quote on the first line: the row is that line.
        let cut = (line_end - start > MAX_ROW_BYTES).then_some((start, Cut::LongLine));
        let Some(p) = lb else {
            if !eof {
                return if cut.is_some() {
                    Scan::TooLong
                } else {
                    Scan::More
                };
            }
            return Scan::Row {
                end: line_end,
                next: line_end,
                breaks: 0,
                quoted: false,
                cut,
            };
        };
        let Some(next) = after_break(buf, p, eof) else {
            return Scan::More;
        };
        return Scan::Row {
            end: p,
            next,
            breaks: 1,
            quoted: false,
            cut,
        };
    }
    if line_end - start <= MAX_ROW_BYTES && line_splits(&buf[start..line_end]) {
        // Every quote on the line is closed: the row is the line.
        let Some(p) = lb else {
            if !eof {
                return Scan::More;
            }
            return Scan::Row {
                end: line_end,
                next: line_end,
                breaks: 0,
                quoted: true,
                cut: None,
            };
        };
        let Some(next) = after_break(buf, p, eof) else {
            return Scan::More;
        };
        return Scan::Row {
            end: p,
            next,
            breaks: 1,
            quoted: true,
            cut: None,
        };
    }
    scan_quoted(buf, start, eof, width)
}

/// Whether `line` (without line breaks) splits into fields by
/// [`split_fields`]'s rules, without copying anything: then every quote on
/// it is closed.
fn line_splits(line: &[u8]) -> bool {
    let n = line.len();
    let mut i = 0;
    loop {
        while i < n && (line[i] == b' ' || line[i] == b'\t') {
            i += 1;
        }
        if i < n && line[i] == b'"' {
            i += 1;
            loop {
                let Some(k) = memchr::memchr(b'"', &line[i..]) else {
                    return false;
                };
                i += k;
                if line.get(i + 1) == Some(&b'"') {
                    i += 2;
                    continue;
                }
                i += 1;
                break;
            }
            while i < n && (line[i] == b' ' || line[i] == b'\t') {
                i += 1;
            }
            if i < n && line[i] != b',' {
                return false;
            }
        } else {
            match memchr::memchr2(b',', b'"', &line[i..]) {
                Some(k) if line[i + k] == b'"' => return false,
                Some(k) => i += k,
                None => i = n,
            }
        }
        if i >= n {
            return true;
        }
        i += 1;
    }
}

/// Bytes rows are read from, from a row start on.
#[derive(Clone, Copy)]
pub(super) struct Block<'b> {
    pub(super) bytes: &'b [u8],
    /// No bytes follow `bytes`.
    pub(super) eof: bool,
    /// `bytes` may hold a quote (when not, no line is searched for one).
    pub(super) quotes: bool,
}

/// [`scan`], splitting the row into `fields` on the way when it is one line
/// with quotes that splits cleanly (the common quoted row: one pass instead
/// of a scan and a split). The flag says whether `fields` holds the row's
/// fields. Such a line is a row by [`scan`]'s rules too: every quote on it
/// is closed, so it ends at its line break.
#[inline]
pub(super) fn scan_split(
    block: Block,
    start: usize,
    width: usize,
    fields: &mut Vec<Field>,
    owned: &mut Vec<u8>,
) -> (Scan, bool) {
    let Block {
        bytes: buf,
        eof,
        quotes,
    } = block;
    let lb = next_break(buf, start);
    let line_end = lb.unwrap_or(buf.len());
    let line = &buf[start..line_end];
    let has_quote = quotes && memchr::memchr(b'"', line).is_some();
    if line.len() <= MAX_ROW_BYTES && has_quote {
        let next = match lb {
            Some(p) => after_break(buf, p, eof),
            None if eof => Some(line_end),
            None => None,
        };
        if let Some(next) = next {
            if split_fields(line, true, fields, owned).is_ok() {
                let row = Scan::Row {
                    end: line_end,
                    next,
                    breaks: u32::from(lb.is_some()),
                    quoted: true,
                    cut: None,
                };
                return (row, true);
            }
        }
    }
    (scan_line(buf, start, eof, width, lb, has_quote), false)
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum State {
    /// At the start of a field (spaces before a quote are allowed).
    FieldStart,
    /// In an unquoted value.
    Unquoted,
    /// In a quoted value.
    Quoted,
    /// Just after a quote in a quoted value: `""` or the closing quote.
    QuoteInQuoted,
    /// After a closing quote, before the next comma.
    AfterClose,
}

/// [`scan`] for a row with a quote on its first line: the quote-aware walk.
fn scan_quoted(buf: &[u8], start: usize, eof: bool, width: usize) -> Scan {
    let n = buf.len();
    let limit = start.saturating_add(MAX_ROW_BYTES);
    let mut state = State::FieldStart;
    let mut met = Met {
        fields: 1,
        breaks: 0,
        first: None,
        garbled: false,
    };
    let mut open = start;
    let mut i = start;
    loop {
        if i > limit {
            // The row passes MAX_ROW_BYTES.
            return match met.first {
                Some(f) => cut_first(f, Cut::TooManyBytes),
                None => long_first_line(buf, start, i, eof),
            };
        }
        if i >= n {
            break;
        }
        match state {
            State::Quoted => {
                let stop = n.min(limit + 1);
                match memchr::memchr3(b'"', b'\n', b'\r', &buf[i..stop]) {
                    None => {
                        i = stop;
                        continue;
                    }
                    Some(k) => i += k,
                }
                if buf[i] == b'"' {
                    state = State::QuoteInQuoted;
                    i += 1;
                    continue;
                }
                let Some(next) = after_break(buf, i, eof) else {
                    return Scan::More;
                };
                let first = *met.first.get_or_insert((i, next, open));
                met.breaks += 1;
                if met.breaks >= MAX_ROW_LINES {
                    return cut_first(first, Cut::TooManyLines);
                }
                i = next;
            }
            State::QuoteInQuoted => {
                if buf[i] == b'"' {
                    state = State::Quoted;
                    i += 1;
                } else {
                    state = State::AfterClose;
                }
            }
            State::FieldStart => match buf[i] {
                b' ' | b'\t' => i += 1,
                b'"' => {
                    state = State::Quoted;
                    open = i;
                    i += 1;
                }
                _ => state = State::Unquoted,
            },
            State::Unquoted | State::AfterClose => match buf[i] {
                b',' => {
                    met.fields += 1;
                    state = State::FieldStart;
                    i += 1;
                }
                b'\n' | b'\r' => {
                    let Some(next) = after_break(buf, i, eof) else {
                        return Scan::More;
                    };
                    return met.finish(i, next, met.breaks + 1, width);
                }
                b' ' | b'\t' => i += 1,
                b'"' => {
                    met.garbled = true;
                    i += 1;
                }
                _ => {
                    met.garbled |= state == State::AfterClose;
                    i += 1;
                }
            },
        }
    }
    // The buffer ends inside the row.
    if !eof {
        return Scan::More;
    }
    met.at_file_end(n, state == State::Quoted, width)
}

/// A row whose first line, from `start`, is longer than [`MAX_ROW_BYTES`]
/// (`i` is past the limit): the row is that line.
fn long_first_line(buf: &[u8], start: usize, i: usize, eof: bool) -> Scan {
    let n = buf.len();
    match next_break(buf, i) {
        Some(p) => match after_break(buf, p, eof) {
            Some(next) => Scan::Row {
                end: p,
                next,
                breaks: 1,
                quoted: true,
                cut: Some((start, Cut::LongLine)),
            },
            None => Scan::More,
        },
        None if eof => Scan::Row {
            end: n,
            next: n,
            breaks: 0,
            quoted: true,
            cut: Some((start, Cut::LongLine)),
        },
        None => Scan::TooLong,
    }
}

/// The row cut at its first line, `first` (its end, the next line's start,
/// the opening quote of the value that crossed it), for `why`.
fn cut_first(first: (usize, usize, usize), why: Cut) -> Scan {
    Scan::Row {
        end: first.0,
        next: first.1,
        breaks: 1,
        quoted: true,
        cut: Some((first.2, why)),
    }
}

/// What the scan of a row with quotes has met so far.
struct Met {
    /// Fields begun.
    fields: usize,
    /// Line breaks inside quoted values.
    breaks: u32,
    /// The first line's end and the next line's start, once a quoted value
    /// has crossed a line break; and that value's opening quote.
    first: Option<(usize, usize, usize)>,
    /// A quote out of place.
    garbled: bool,
}

impl Met {
    /// The row when the file ends inside it, at `n`, in a quoted value or not.
    fn at_file_end(&self, n: usize, in_quotes: bool, width: usize) -> Scan {
        if in_quotes {
            if let Some(f) = self.first {
                return cut_first(
                    f,
                    Cut::Unclosed {
                        lines: self.breaks + 1,
                    },
                );
            }
            // One line: the field splitter says the quote is not closed.
            return Scan::Row {
                end: n,
                next: n,
                breaks: 0,
                quoted: true,
                cut: None,
            };
        }
        self.finish(n, n, self.breaks, width)
    }

    /// The row ending at `end` (the next starting at `next`) after `breaks`
    /// line breaks; cut at its first line when it spans lines and is bad.
    fn finish(&self, end: usize, next: usize, breaks: u32, width: usize) -> Scan {
        if let Some(first) = self.first {
            let lines = breaks.max(1) + u32::from(end == next);
            let why = if self.garbled {
                Some(Cut::Garbled { lines })
            } else if self.fields != width {
                Some(Cut::Fields {
                    lines,
                    fields: self.fields,
                })
            } else {
                None
            };
            if let Some(why) = why {
                return cut_first(first, why);
            }
        }
        Scan::Row {
            end,
            next,
            breaks,
            quoted: true,
            cut: None,
        }
    }
}

/// A field of a row: its start in the row and where its value is (a range
/// of the row, or of the unescaped copies of quoted fields).
#[derive(Debug, Clone)]
pub(super) struct Field {
    pub(super) pos: usize,
    pub(super) value: Range<usize>,
    pub(super) owned: bool,
}

/// The unquoted field `row[a..b]`, spaces and tabs trimmed.
#[inline]
fn unquoted(row: &[u8], a: usize, b: usize) -> Field {
    let t = trim(&row[a..b]);
    let start = if t.is_empty() {
        a
    } else {
        a + (t.as_ptr() as usize - row[a..].as_ptr() as usize)
    };
    Field {
        pos: a,
        value: start..start + t.len(),
        owned: false,
    }
}

/// The commas and line breaks of a buffer with no quote, found in one pass
/// as its rows are read (where a row by row search starts over for each row
/// and each field).
pub(super) struct Separators<'b> {
    buf: &'b [u8],
    /// Separators of `buf[base..]`, those before the row start `at` used
    /// (`at` is `usize::MAX` when part of a row was used).
    seps: memchr::Memchr3<'b>,
    base: usize,
    at: usize,
}

impl<'b> Separators<'b> {
    /// The separators of `buf` from `from` on.
    pub(super) fn new(buf: &'b [u8], from: usize) -> Separators<'b> {
        Separators {
            buf,
            seps: memchr::memchr3_iter(b',', b'\n', b'\r', &buf[from..]),
            base: from,
            at: from,
        }
    }

    /// The row at `start`: its end and the next row's start, with `fields`
    /// filled, when it ends at a `\n` or `\r\n` and has `width` fields.
    /// Otherwise `None`, and the row is left to [`scan_split`] (a lone `\r`,
    /// the buffer's end, a row too long or of another width); the search
    /// starts again at the next row asked for.
    #[inline(always)]
    pub(super) fn split(
        &mut self,
        start: usize,
        width: usize,
        fields: &mut Vec<Field>,
    ) -> Option<(usize, usize)> {
        if self.at != start {
            self.seps = memchr::memchr3_iter(b',', b'\n', b'\r', &self.buf[start..]);
            self.base = start;
        }
        let got = split_row(self.buf, start, self.base, &mut self.seps, width, fields);
        self.at = got.map_or(usize::MAX, |(_, next)| next);
        got
    }
}

/// [`Separators::split`] once the search is at the row: `seps` gives the
/// separators of `buf[base..]` from `start` on.
#[inline(always)]
fn split_row(
    buf: &[u8],
    start: usize,
    base: usize,
    seps: &mut memchr::Memchr3<'_>,
    width: usize,
    fields: &mut Vec<Field>,
) -> Option<(usize, usize)> {
    fields.clear();
    let mut field = start;
    let (end, next) = loop {
        let p = base + seps.next()?;
        match buf[p] {
            b',' => {
                if fields.len() + 2 > width {
                    return None;
                }
                fields.push(unquoted(&buf[start..], field - start, p - start));
                field = p + 1;
            }
            b'\n' => break (p, p + 1),
            _ => {
                if buf.get(p + 1) != Some(&b'\n') {
                    return None;
                }
                seps.next();
                break (p, p + 2);
            }
        }
    };
    if fields.len() + 1 != width || end - start > MAX_ROW_BYTES {
        return None;
    }
    fields.push(unquoted(&buf[start..end], field - start, end - start));
    Some((end, next))
}

/// Splits one row (as [`scan`] found it) into fields. Unquoted values are
/// ranges of `row` (spaces and tabs trimmed); quoted ones are unescaped into
/// `owned`. The error is the byte where quoting goes wrong, and what is
/// wrong. The rules are [`scan`]'s: a quote opens a value only at the start
/// of a field.
pub(super) fn split_fields(
    row: &[u8],
    has_quote: bool,
    fields: &mut Vec<Field>,
    owned: &mut Vec<u8>,
) -> Result<(), (usize, &'static str)> {
    fields.clear();
    owned.clear();
    let trimmed = |a: usize, b: usize| unquoted(row, a, b).value;
    if !has_quote {
        let mut start = 0;
        for i in memchr::memchr_iter(b',', row) {
            fields.push(unquoted(row, start, i));
            start = i + 1;
        }
        fields.push(unquoted(row, start, row.len()));
        return Ok(());
    }
    let n = row.len();
    let mut i = 0;
    loop {
        let field_start = i;
        while i < n && (row[i] == b' ' || row[i] == b'\t') {
            i += 1;
        }
        if i < n && row[i] == b'"' {
            let open = i;
            let begin = owned.len();
            i += 1;
            loop {
                let Some(k) = memchr::memchr(b'"', &row[i..]) else {
                    return Err((open, "this quote opens a value that is not closed"));
                };
                owned.extend_from_slice(&row[i..i + k]);
                i += k;
                if row.get(i + 1) == Some(&b'"') {
                    owned.push(b'"');
                    i += 2;
                    continue;
                }
                i += 1;
                break;
            }
            while i < n && (row[i] == b' ' || row[i] == b'\t') {
                i += 1;
            }
            if i < n && row[i] != b',' {
                return Err((i, "text after the closing quote of a quoted value"));
            }
            fields.push(Field {
                pos: field_start,
                value: begin..owned.len(),
                owned: true,
            });
        } else {
            let end = match memchr::memchr2(b',', b'"', &row[i..]) {
                Some(k) if row[i + k] == b'"' => {
                    return Err((
                        i + k,
                        "a quote inside a value that does not start with a quote",
                    ))
                }
                Some(k) => i + k,
                None => n,
            };
            fields.push(Field {
                pos: field_start,
                value: trimmed(field_start, end),
                owned: false,
            });
            i = end;
        }
        if i >= n {
            break;
        }
        i += 1; // the comma
    }
    Ok(())
}

/// `s` without the spaces and tabs around it.
#[inline]
pub(super) fn trim(s: &[u8]) -> &[u8] {
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
