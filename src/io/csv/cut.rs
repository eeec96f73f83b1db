//! Cutting a buffer of rows into parts at row starts, for the threads.

use super::fields::{after_break, next_break, scan, Scan};
use super::MAX_ROW_BYTES;

/// What [`plan`] found in a buffer: the end of its complete rows, where the
/// parts start, and why it stopped.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct Plan {
    pub(super) complete: usize,
    /// Part starts (the first is 0), each a row start before `complete`.
    pub(super) cuts: Vec<usize>,
    pub(super) stop: Scan,
}

/// Finds the complete rows of `buf` (which starts at a row start) and cuts
/// them into at most `parts` parts at row starts. `stop` is
/// [`Scan::More`] or [`Scan::TooLong`] for the row at `complete`, or a
/// [`Scan::Row`] (of no meaning) when every row is complete.
pub(super) fn plan(buf: &[u8], eof: bool, width: usize, parts: usize) -> Plan {
    let target = |k: usize| buf.len() / parts.max(1) * k;
    let mut cuts = vec![0usize];
    let done = Scan::Row {
        end: buf.len(),
        next: buf.len(),
        breaks: 0,
        quoted: false,
        cut: None,
    };
    if memchr::memchr(b'"', buf).is_none() {
        // Rows are lines.
        let (complete, stop) = if eof {
            (buf.len(), done)
        } else {
            let mut end = buf.len();
            let mut complete = None;
            while let Some(p) = memchr::memrchr2(b'\n', b'\r', &buf[..end]) {
                if let Some(next) = after_break(buf, p, false) {
                    complete = Some(next);
                    break;
                }
                end = p;
            }
            match complete {
                Some(c) => (c, Scan::More),
                // No line ends: a first line longer than the limit cannot
                // be read whole.
                None if buf.len() > MAX_ROW_BYTES => (0, Scan::TooLong),
                None => (0, Scan::More),
            }
        };
        for k in 1..parts {
            let t = target(k);
            let cut = match next_break(&buf[..complete], t.min(complete)) {
                Some(p) => after_break(buf, p, true).unwrap_or(complete),
                None => complete,
            };
            if cut < complete && cut > *cuts.last().unwrap_or(&0) {
                cuts.push(cut);
            }
        }
        return Plan {
            complete,
            cuts,
            stop,
        };
    }
    // Quote-aware: walk the rows.
    let mut start = 0;
    let stop = loop {
        if start >= buf.len() {
            break if eof { done } else { Scan::More };
        }
        match scan(buf, start, eof, width) {
            Scan::Row { next, .. } => {
                start = next;
                if cuts.len() < parts && start >= target(cuts.len()) && start < buf.len() {
                    cuts.push(start);
                }
            }
            other => break other,
        }
    };
    cuts.retain(|&c| c < start || c == 0);
    Plan {
        complete: start,
        cuts,
        stop,
    }
}

/// Where to cut `buf` (which starts at a row start) into `parts` parts
/// without walking its rows: at the line start after each even share. With
/// quotes a cut may fall inside a quoted value that spans lines; the parse
/// then finds that the part before it does not end there, and the block is
/// planned with [`plan`] instead.
pub(super) fn guess_cuts(buf: &[u8], parts: usize) -> Vec<usize> {
    let mut cuts = vec![0usize];
    for k in 1..parts {
        let t = buf.len() / parts * k;
        let Some(p) = next_break(buf, t) else {
            break;
        };
        let cut = after_break(buf, p, true).unwrap_or(buf.len());
        if cut < buf.len() && cut > *cuts.last().unwrap_or(&0) {
            cuts.push(cut);
        }
    }
    cuts
}
