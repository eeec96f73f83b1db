//! Row and field boundaries: RFC 4180 quoting, trimming, block cut points.

#[allow(unused_imports)]
use super::*;

/// Which column plays which part.
#[derive(Debug, Clone, Default)]
pub(super) struct Header {
    pub(super) width: usize,
    pub(super) names: Vec<String>,
    pub(super) from: usize,
    pub(super) to: usize,
    pub(super) time: usize,
    pub(super) id: Option<usize>,
    pub(super) kind: Option<usize>,
    pub(super) certainty: Option<usize>,
    pub(super) carries: Option<usize>,
}

/// The end of the row starting at `start` (the index of its `\n`, or the
/// buffer's end) and whether it has a quote.
#[inline]
pub(super) fn row_end(buf: &[u8], start: usize) -> (usize, bool) {
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
pub(super) fn boundary_after(buf: &[u8], pos: usize) -> usize {
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
pub(super) struct Field {
    pub(super) pos: usize,
    pub(super) value: Range<usize>,
    pub(super) owned: bool,
}

/// Splits one row into fields. Unquoted values are ranges of `row` (spaces
/// trimmed); quoted ones are unescaped into `owned`. The error is the byte
/// where quoting goes wrong, and what is wrong.
pub(super) fn split_fields(
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
