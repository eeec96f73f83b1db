//! Load and query the generated corpora (`benches/support/gen.rs`) of both
//! families (`uniform`: the smooth one; `mail`: blasts and same-second
//! relays) at 10^5 and 10^6 events, and 10^7 with `GRAPEVINE_BENCH_1E7=1`:
//! CSV text to index, one single-source query over the whole span from the
//! busiest sender (strict and not), the chains, the whole answer
//! (`reach_rows`: chains, definite times, evidence), through the exact-time
//! fast path and (at 10^5) the general interval algorithms on the same data.
//!
//! `cargo bench --bench corpus`; the peer comparison is `benches/compare/run.sh`.

use std::sync::{Mutex, OnceLock};

use divan::Bencher;
use grapevine::analysis::reach::{earliest_arrival, earliest_paths};
use grapevine::analysis::{earliest_exact, earliest_paths_exact};
use grapevine::internals::io::csv::{Corpus, CsvOptions};
use grapevine::{Certainty, Index, IndexSpec, ReachQuery};

#[path = "support/gen.rs"]
mod gen;

fn main() {
    divan::main();
}

/// Corpora: family and size; 10^7 too with `GRAPEVINE_BENCH_1E7=1` (about
/// 2 GB of memory and a minute of generating).
fn cases() -> &'static [&'static str] {
    static CASES: OnceLock<Vec<&'static str>> = OnceLock::new();
    CASES.get_or_init(|| {
        let mut cases = vec!["uniform-1e5", "uniform-1e6", "mail-1e5", "mail-1e6"];
        if std::env::var_os("GRAPEVINE_BENCH_1E7").is_some() {
            cases.extend(["uniform-1e7", "mail-1e7"]);
        }
        cases
    })
}

fn spec(case: &str) -> gen::CorpusSpec {
    let (family, n) = case.split_once('-').unwrap_or(("uniform", "1e5"));
    let n: f64 = n.parse().unwrap_or(1e5);
    gen::CorpusSpec {
        family: if family == "mail" {
            gen::Family::Mail
        } else {
            gen::Family::Uniform
        },
        ..gen::CorpusSpec::new(n as usize)
    }
}

/// Generated once per case, kept for the whole run.
fn csv(case: &'static str) -> &'static str {
    static CACHE: Mutex<Vec<(&'static str, &'static str)>> = Mutex::new(Vec::new());
    let mut cache = CACHE.lock().unwrap_or_else(|e| e.into_inner());
    if let Some(&(_, text)) = cache.iter().find(|(c, _)| *c == case) {
        return text;
    }
    let text: &'static str = Box::leak(gen::csv(&spec(case)).into_boxed_str());
    cache.push((case, text));
    text
}

fn index(case: &'static str) -> &'static Index<'static> {
    static CACHE: Mutex<Vec<(&'static str, &'static Index<'static>)>> = Mutex::new(Vec::new());
    let mut cache = CACHE.lock().unwrap_or_else(|e| e.into_inner());
    if let Some(&(_, index)) = cache.iter().find(|(c, _)| *c == case) {
        return index;
    }
    // Kept for the whole run: the index borrows the corpus.
    let corpus: &'static Corpus = Box::leak(Box::new(load(csv(case), 0)));
    let index: &'static Index<'static> =
        Box::leak(Box::new(Index::build(corpus, &IndexSpec::default())));
    cache.push((case, index));
    index
}

fn rows(case: &str) -> usize {
    spec(case).events
}

fn load(text: &str, threads: usize) -> Corpus {
    let options = CsvOptions {
        threads,
        ..CsvOptions::default()
    };
    Corpus::parse("bench.csv", text.as_bytes(), &options).expect("generated corpus parses")
}

/// The busiest sender (the mail family's hubs are not the small ids), from
/// before the first contact: the answer covers the whole span.
fn query(index: &Index, strict: bool) -> ReachQuery {
    let mut sent = vec![0u32; index.node_count()];
    for c in index.channels() {
        sent[index.from(c).index()] += 1;
    }
    let hub = (0..sent.len())
        .max_by_key(|&v| (sent[v], std::cmp::Reverse(v)))
        .unwrap_or(0);
    ReachQuery {
        strict,
        ..ReachQuery::new(grapevine::internals::catalog::EntityId::at(hub))
    }
}

/// Times `ask` on `case`'s index, asked from its busiest sender (`strict` or
/// not), counted per row.
fn on_query<T>(
    bencher: Bencher,
    case: &str,
    strict: bool,
    ask: impl Fn(&'static Index<'static>, &ReachQuery) -> T + Sync,
) {
    let index = index(leak(case));
    let q = query(index, strict);
    bencher
        .counter(divan::counter::ItemsCount::new(rows(case)))
        .bench(|| ask(index, &q));
}

/// CSV text to a queryable index (parse, intern, sort check, index), on all
/// cores and on one.
#[divan::bench(args = cases(), sample_count = 10, sample_size = 1)]
fn load_csv(bencher: Bencher, case: &str) {
    let text = csv(leak(case));
    bencher
        .counter(divan::counter::ItemsCount::new(rows(case)))
        .bench(|| load(text, 0));
}

#[divan::bench(args = cases(), sample_count = 10, sample_size = 1)]
fn load_csv_one_thread(bencher: Bencher, case: &str) {
    let text = csv(leak(case));
    bencher
        .counter(divan::counter::ItemsCount::new(rows(case)))
        .bench(|| load(text, 1));
}

/// Earliest arrival, same-second relays followed (the fast path).
#[divan::bench(args = cases())]
fn earliest(bencher: Bencher, case: &str) {
    on_query(bencher, case, false, |index, q| {
        earliest_exact(index, q, Certainty::Unknown)
    });
}

/// Earliest arrival, each hop at least a second after the last.
#[divan::bench(args = cases())]
fn earliest_strict(bencher: Bencher, case: &str) {
    on_query(bencher, case, true, |index, q| {
        earliest_exact(index, q, Certainty::Unknown)
    });
}

/// Earliest arrival with fewest-hop chains in one pass.
#[divan::bench(args = cases(), sample_count = 20)]
fn earliest_paths_fast(bencher: Bencher, case: &str) {
    on_query(bencher, case, false, |index, q| {
        earliest_paths_exact(index, q, Certainty::Unknown)
    });
}

/// Earliest arrival with fewest-hop chains, strict.
#[divan::bench(args = cases(), sample_count = 20)]
fn earliest_paths_fast_strict(bencher: Bencher, case: &str) {
    on_query(bencher, case, true, |index, q| {
        earliest_paths_exact(index, q, Certainty::Unknown)
    });
}

/// The whole answer before its strings (`reach_rows`: chains, definite
/// times, evidence, causal order): what `reach --json` streams.
#[divan::bench(args = cases(), sample_count = 10, sample_size = 1)]
fn reach_rows(bencher: Bencher, case: &str) {
    on_query(bencher, case, false, |index, q| {
        grapevine::reach_rows(index, q).len()
    });
}

/// The same, strict.
#[divan::bench(args = cases(), sample_count = 10, sample_size = 1)]
fn reach_rows_strict(bencher: Bencher, case: &str) {
    on_query(bencher, case, true, |index, q| {
        grapevine::reach_rows(index, q).len()
    });
}

/// The general interval algorithms on the same exact data (what the fast
/// path replaces), at 10^5 events.
#[divan::bench(sample_count = 10, sample_size = 1)]
fn general_earliest_1e5(bencher: Bencher) {
    let index = index("uniform-1e5").clone().with_interval_storage();
    let q = query(&index, false);
    let _ = earliest_arrival(&index, &q, Certainty::Unknown); // builds the adjacency
    bencher.bench(|| earliest_arrival(&index, &q, Certainty::Unknown));
}

#[divan::bench(sample_count = 10, sample_size = 1)]
fn general_earliest_paths_1e5(bencher: Bencher) {
    let index = index("uniform-1e5").clone().with_interval_storage();
    let q = query(&index, false);
    let _ = earliest_arrival(&index, &q, Certainty::Unknown);
    bencher.bench(|| earliest_paths(&index, &q, Certainty::Unknown));
}

/// The case names are those of [`cases`]; divan passes them borrowed.
fn leak(case: &str) -> &'static str {
    cases()
        .iter()
        .find(|c| **c == case)
        .copied()
        .unwrap_or("uniform-1e5")
}
