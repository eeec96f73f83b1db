//! The CSV reader's hand-written parts against the crates that do the same,
//! on a generated mail corpus of 10^6 rows (`benches/support/gen.rs`, e-mail
//! ids, about 47 MB), as written and with every field quoted:
//!
//! - row and field splitting: grapevine's scanner and splitter (one thread)
//!   against `csv-core` and the `csv` crate's `ByteRecord` reader;
//! - interning the 2 × 10^6 sender and receiver ids: grapevine's
//!   open-addressing table against `std::collections::HashMap` with its
//!   default hasher (SipHash) and with `foldhash` (the hasher of `hashbrown`);
//! - looking them all up again (the common case after the first block):
//!   grapevine's batched lookup against `HashMap::get` with `foldhash`;
//! - the whole load (CSV text to corpus), on one thread and on all.
//!
//! `cargo bench --bench csv_reader`; the figures are in docs/performance.md.

use std::collections::HashMap;
use std::sync::OnceLock;

use divan::{black_box, Bencher};
use grapevine::internals::io::csv::bench::{intern_all, lookup_batched, split_all, BenchTable};
use grapevine::internals::io::csv::{Corpus, CsvOptions};

#[path = "support/gen.rs"]
mod gen;

fn main() {
    divan::main();
}

const ROWS: usize = 1_000_000;

/// The corpus as generated (`from,to,time`, nothing quoted).
fn plain() -> &'static [u8] {
    static TEXT: OnceLock<String> = OnceLock::new();
    TEXT.get_or_init(|| gen::csv(&gen::CorpusSpec::new(ROWS)))
        .as_bytes()
}

/// The same rows with every field quoted, as many exports write them.
fn quoted() -> &'static [u8] {
    static TEXT: OnceLock<String> = OnceLock::new();
    TEXT.get_or_init(|| {
        let mut out = String::with_capacity(plain().len() * 3 / 2);
        for line in String::from_utf8_lossy(plain()).lines() {
            let fields: Vec<String> = line.split(',').map(|f| format!("\"{f}\"")).collect();
            out.push_str(&fields.join(","));
            out.push('\n');
        }
        out
    })
    .as_bytes()
}

/// The sender and receiver of every row, in file order.
fn keys() -> &'static [&'static [u8]] {
    static KEYS: OnceLock<Vec<&'static [u8]>> = OnceLock::new();
    KEYS.get_or_init(|| {
        let text = plain();
        let mut keys = Vec::with_capacity(2 * ROWS);
        for line in text.split(|&b| b == b'\n').skip(1) {
            let mut f = line.split(|&b| b == b',');
            if let (Some(a), Some(b)) = (f.next(), f.next()) {
                keys.push(a);
                keys.push(b);
            }
        }
        keys
    })
}

fn text(quoted_fields: bool) -> &'static [u8] {
    if quoted_fields {
        quoted()
    } else {
        plain()
    }
}

/// Rows, fields and value bytes with `csv-core` (values copied into its
/// output buffer, as it always does).
fn csv_core_split(mut input: &[u8]) -> (usize, usize, usize) {
    use csv_core::{ReadRecordResult, Reader};
    let mut reader = Reader::new();
    let mut out = vec![0u8; 1 << 16];
    let mut ends = vec![0usize; 64];
    let (mut rows, mut fields, mut bytes) = (0, 0, 0);
    loop {
        let (result, nin, nout, nend) = reader.read_record(input, &mut out, &mut ends);
        input = &input[nin..];
        match result {
            ReadRecordResult::InputEmpty => {}
            ReadRecordResult::OutputFull | ReadRecordResult::OutputEndsFull => {
                // Records of the corpus are short: cannot happen.
                break;
            }
            ReadRecordResult::Record => {
                rows += 1;
                fields += nend;
                bytes += nout;
            }
            ReadRecordResult::End => break,
        }
    }
    (rows, fields, bytes)
}

/// The same with the `csv` crate, one reused `ByteRecord`.
fn csv_crate_split(input: &[u8]) -> (usize, usize, usize) {
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .from_reader(input);
    let mut record = csv::ByteRecord::new();
    let (mut rows, mut fields, mut bytes) = (0, 0, 0);
    while reader.read_byte_record(&mut record).unwrap_or(false) {
        rows += 1;
        fields += record.len();
        bytes += record.as_slice().len();
    }
    (rows, fields, bytes)
}

const QUOTED: [bool; 2] = [false, true];

#[divan::bench(args = QUOTED, sample_count = 10, sample_size = 1)]
fn split_grapevine(bencher: Bencher, quoted_fields: bool) {
    let t = text(quoted_fields);
    bencher
        .counter(divan::counter::BytesCount::new(t.len()))
        .bench(|| split_all(black_box(t)));
}

#[divan::bench(args = QUOTED, sample_count = 10, sample_size = 1)]
fn split_csv_core(bencher: Bencher, quoted_fields: bool) {
    let t = text(quoted_fields);
    bencher
        .counter(divan::counter::BytesCount::new(t.len()))
        .bench(|| csv_core_split(black_box(t)));
}

#[divan::bench(args = QUOTED, sample_count = 10, sample_size = 1)]
fn split_csv_crate(bencher: Bencher, quoted_fields: bool) {
    let t = text(quoted_fields);
    bencher
        .counter(divan::counter::BytesCount::new(t.len()))
        .bench(|| csv_crate_split(black_box(t)));
}

#[divan::bench(sample_count = 10, sample_size = 1)]
fn intern_grapevine(bencher: Bencher) {
    let k = keys();
    bencher
        .counter(divan::counter::ItemsCount::new(k.len()))
        .bench(|| intern_all(black_box(k)));
}

/// Ids as the reader keeps them: one arena of text, numbers from a map.
fn intern_map<S: std::hash::BuildHasher + Default>(keys: &[&[u8]]) -> usize {
    let mut map: HashMap<&[u8], u32, S> = HashMap::default();
    let mut arena: Vec<u8> = Vec::new();
    let mut ends: Vec<u32> = Vec::new();
    for k in keys {
        let n = map.len() as u32;
        map.entry(k).or_insert_with(|| {
            arena.extend_from_slice(k);
            ends.push(arena.len() as u32);
            n
        });
    }
    map.len()
}

#[divan::bench(sample_count = 10, sample_size = 1)]
fn intern_std_siphash(bencher: Bencher) {
    let k = keys();
    bencher
        .counter(divan::counter::ItemsCount::new(k.len()))
        .bench(|| intern_map::<std::collections::hash_map::RandomState>(black_box(k)));
}

#[divan::bench(sample_count = 10, sample_size = 1)]
fn intern_std_foldhash(bencher: Bencher) {
    let k = keys();
    bencher
        .counter(divan::counter::ItemsCount::new(k.len()))
        .bench(|| intern_map::<foldhash::fast::RandomState>(black_box(k)));
}

#[divan::bench(sample_count = 10, sample_size = 1)]
fn lookup_grapevine_batched(bencher: Bencher) {
    let k = keys();
    let table = BenchTable::new(k);
    bencher
        .counter(divan::counter::ItemsCount::new(k.len()))
        .bench(|| lookup_batched(&table, black_box(k)));
}

#[divan::bench(sample_count = 10, sample_size = 1)]
fn lookup_std_foldhash(bencher: Bencher) {
    let k = keys();
    let mut map: HashMap<&[u8], u32, foldhash::fast::RandomState> = HashMap::default();
    for key in k {
        let n = map.len() as u32;
        map.entry(key).or_insert(n);
    }
    bencher
        .counter(divan::counter::ItemsCount::new(k.len()))
        .bench(|| black_box(k).iter().filter_map(|key| map.get(*key)).count());
}

const THREADS: [usize; 2] = [1, 0];

/// The whole load, CSV text to corpus (0: all cores).
#[divan::bench(args = THREADS, sample_count = 10, sample_size = 1)]
fn load(bencher: Bencher, threads: usize) {
    let t = plain();
    let options = CsvOptions {
        threads,
        ..CsvOptions::default()
    };
    bencher
        .counter(divan::counter::BytesCount::new(t.len()))
        .bench(|| Corpus::parse("bench.csv", black_box(t), &options).map(|c| c.row_count()));
}

#[divan::bench(args = THREADS, sample_count = 10, sample_size = 1)]
fn load_quoted(bencher: Bencher, threads: usize) {
    let t = quoted();
    let options = CsvOptions {
        threads,
        ..CsvOptions::default()
    };
    bencher
        .counter(divan::counter::BytesCount::new(t.len()))
        .bench(|| Corpus::parse("bench.csv", black_box(t), &options).map(|c| c.row_count()));
}
