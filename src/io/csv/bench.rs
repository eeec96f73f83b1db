//! Entry points for the benchmarks (`benches/csv_reader.rs`), which compare
//! the hand-written row scanner, field splitter and interner with crates
//! that do the same. Not part of the supported API.

use super::fields::{next_break, scan_split, split_fields, Block, Field, Scan, Separators};
use super::intern::{hash_bytes, Interner, BATCH_KEYS, NONE_ID};

/// Splits `bytes` (a whole CSV file, header included) into rows and fields
/// on one thread, as the reader does: returns (rows, fields, bytes of
/// values). Rows that cannot be split count no fields.
pub fn split_all(bytes: &[u8]) -> (usize, usize, usize) {
    let width = match next_break(bytes, 0) {
        Some(p) => memchr::memchr_iter(b',', &bytes[..p]).count() + 1,
        None => 1,
    };
    let mut fields: Vec<Field> = Vec::with_capacity(width);
    let mut owned: Vec<u8> = Vec::new();
    let (mut rows, mut count, mut value_bytes) = (0, 0, 0);
    let mut start = 0;
    // As a part is read: without quotes, one pass over the commas and line
    // breaks ([`Separators`]), the row scan for the rows it leaves.
    let quotes = memchr::memchr(b'"', bytes).is_some();
    let mut seps = (!quotes).then(|| Separators::new(bytes, 0));
    while start < bytes.len() {
        if let Some((_, next)) = seps
            .as_mut()
            .and_then(|seps| seps.split(start, width, &mut fields))
        {
            start = next;
            rows += 1;
            count += fields.len();
            value_bytes += fields.iter().map(|f| f.value.len()).sum::<usize>();
            continue;
        }
        let block = Block {
            bytes,
            eof: true,
            quotes,
        };
        let (scanned, split) = scan_split(block, start, width, &mut fields, &mut owned);
        let Scan::Row {
            end, next, quoted, ..
        } = scanned
        else {
            break;
        };
        let row = &bytes[start..end];
        start = next.max(start + 1);
        rows += 1;
        if split || split_fields(row, quoted, &mut fields, &mut owned).is_ok() {
            count += fields.len();
            value_bytes += fields.iter().map(|f| f.value.len()).sum::<usize>();
        }
    }
    (rows, count, value_bytes)
}

/// Interns `keys` in order with the reader's interner (one table, no
/// threads); returns the number of distinct keys.
pub fn intern_all(keys: &[&[u8]]) -> usize {
    let mut interner = Interner::default();
    for k in keys {
        let _ = interner.lookup_or_insert(k);
    }
    interner.names.len()
}

/// Looks `keys` up against a table holding them all, in batches of
/// 128 as the reader's parts do after the first block; returns how many
/// were found.
pub fn lookup_batched(table: &BenchTable, keys: &[&[u8]]) -> usize {
    let mut found = [NONE_ID; BATCH_KEYS];
    let mut hits = 0;
    for chunk in keys.chunks(BATCH_KEYS) {
        let hashes: Vec<u64> = chunk.iter().map(|k| hash_bytes(k)).collect();
        table.0.lookup_batch(chunk, &hashes, &mut found);
        hits += found[..chunk.len()]
            .iter()
            .filter(|&&f| f != NONE_ID)
            .count();
    }
    hits
}

/// An interner filled with keys, for [`lookup_batched`].
pub struct BenchTable(Interner);

impl BenchTable {
    /// A table holding `keys`.
    pub fn new(keys: &[&[u8]]) -> BenchTable {
        let mut interner = Interner::default();
        for k in keys {
            let _ = interner.lookup_or_insert(k);
        }
        BenchTable(interner)
    }
}
