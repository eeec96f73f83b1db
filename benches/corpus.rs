//! Load and query a generated mail corpus (`benches/support/gen.rs`) at 10^5
//! and 10^6 events: CSV text to index, and one single-source query over the
//! whole span, through the exact-time fast path and (at 10^5) the general
//! interval algorithms on the same data.
//!
//! `cargo bench --bench corpus`; the peer comparison is `benches/compare/run.sh`.

use std::sync::OnceLock;

use divan::Bencher;
use grapevine::analysis::fast::{earliest_exact, earliest_paths_exact};
use grapevine::analysis::reach::{earliest_arrival, earliest_paths};
use grapevine::io::csv::{Corpus, CsvOptions};
use grapevine::{Certainty, Index, IndexSpec, ReachQuery};

#[path = "support/gen.rs"]
mod gen;

fn main() {
    divan::main();
}

const SIZES: [usize; 2] = [100_000, 1_000_000];

fn csv(n: usize) -> &'static str {
    static SMALL: OnceLock<String> = OnceLock::new();
    static LARGE: OnceLock<String> = OnceLock::new();
    let cell = if n == SIZES[0] { &SMALL } else { &LARGE };
    cell.get_or_init(|| gen::csv(&gen::CorpusSpec::new(n)))
}

fn index(n: usize) -> &'static Index<'static> {
    static SMALL: OnceLock<(Index<'static>,)> = OnceLock::new();
    static LARGE: OnceLock<(Index<'static>,)> = OnceLock::new();
    let cell = if n == SIZES[0] { &SMALL } else { &LARGE };
    &cell
        .get_or_init(|| {
            // Kept for the whole run: the index borrows the corpus.
            let corpus: &'static Corpus = Box::leak(Box::new(load(csv(n), 0)));
            (Index::build(corpus, &IndexSpec::default()),)
        })
        .0
}

fn load(text: &str, threads: usize) -> Corpus {
    let options = CsvOptions {
        threads,
        ..CsvOptions::default()
    };
    Corpus::parse("bench.csv", text.as_bytes(), &options).expect("generated corpus parses")
}

/// The most active entity, from before the first contact: the answer covers
/// the whole span.
fn query(index: &Index, strict: bool) -> ReachQuery {
    let hub = index
        .catalog()
        .entity_number(&gen::name(gen::Ids::Email, 0))
        .unwrap_or(0);
    ReachQuery {
        strict,
        ..ReachQuery::new(hub)
    }
}

/// CSV text to a queryable index (parse, intern, sort check, index), on all
/// cores and on one.
#[divan::bench(args = SIZES, sample_count = 10, sample_size = 1)]
fn load_csv(bencher: Bencher, n: usize) {
    let text = csv(n);
    bencher
        .counter(divan::counter::ItemsCount::new(n))
        .bench(|| load(text, 0));
}

#[divan::bench(args = SIZES, sample_count = 10, sample_size = 1)]
fn load_csv_one_thread(bencher: Bencher, n: usize) {
    let text = csv(n);
    bencher
        .counter(divan::counter::ItemsCount::new(n))
        .bench(|| load(text, 1));
}

/// Earliest arrival, same-second relays followed (the fast path).
#[divan::bench(args = SIZES)]
fn earliest(bencher: Bencher, n: usize) {
    let index = index(n);
    let q = query(index, false);
    bencher
        .counter(divan::counter::ItemsCount::new(n))
        .bench(|| earliest_exact(index, &q, Certainty::Unknown));
}

/// Earliest arrival, each hop at least a second after the last.
#[divan::bench(args = SIZES)]
fn earliest_strict(bencher: Bencher, n: usize) {
    let index = index(n);
    let q = query(index, true);
    bencher
        .counter(divan::counter::ItemsCount::new(n))
        .bench(|| earliest_exact(index, &q, Certainty::Unknown));
}

/// Earliest arrival with fewest-hop chains in one pass.
#[divan::bench(args = SIZES, sample_count = 20)]
fn earliest_paths_fast(bencher: Bencher, n: usize) {
    let index = index(n);
    let q = query(index, false);
    bencher
        .counter(divan::counter::ItemsCount::new(n))
        .bench(|| earliest_paths_exact(index, &q, Certainty::Unknown));
}

/// The whole `reach` answer (chains, definite times, evidence, names).
#[divan::bench(args = SIZES, sample_count = 10, sample_size = 1)]
fn reach_answer(bencher: Bencher, n: usize) {
    let index = index(n);
    let q = query(index, false);
    bencher
        .counter(divan::counter::ItemsCount::new(n))
        .bench(|| grapevine::reach(index, &q));
}

/// The general interval algorithms on the same exact data (what the fast
/// path replaces), at 10^5 events.
#[divan::bench(sample_count = 10, sample_size = 1)]
fn general_earliest_1e5(bencher: Bencher) {
    let index = index(SIZES[0]).clone().with_interval_storage();
    let q = query(&index, false);
    let _ = earliest_arrival(&index, &q, Certainty::Unknown); // builds the adjacency
    bencher.bench(|| earliest_arrival(&index, &q, Certainty::Unknown));
}

#[divan::bench(sample_count = 10, sample_size = 1)]
fn general_earliest_paths_1e5(bencher: Bencher) {
    let index = index(SIZES[0]).clone().with_interval_storage();
    let q = query(&index, false);
    let _ = earliest_arrival(&index, &q, Certainty::Unknown);
    bencher.bench(|| earliest_paths(&index, &q, Certainty::Unknown));
}
