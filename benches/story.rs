//! The general interval algorithms on a generated story of 10^5 events with
//! mixed precision (seconds, minutes, days, months, intervals, open ends,
//! undated), mixed certainty and a traced message: index build and `reach`.
//!
//! `cargo bench --bench story`

use std::sync::OnceLock;

use divan::Bencher;
use grapevine::{reach, Certainty, Index, IndexSpec, Mode, Query, StoryCatalog};

#[path = "support/gen.rs"]
mod gen;

fn main() {
    divan::main();
}

const EVENTS: usize = 100_000;

fn story() -> &'static StoryCatalog<'static> {
    static STORY: OnceLock<StoryCatalog<'static>> = OnceLock::new();
    STORY.get_or_init(|| StoryCatalog::owned(gen::story(EVENTS, 1)))
}

/// Events to the catalogue's sorted channels and the index built from them.
#[divan::bench(sample_count = 10, sample_size = 1)]
fn index_build(bencher: Bencher) {
    let s = story().story();
    bencher.bench(|| {
        let catalog = StoryCatalog::new(s);
        Index::build(&catalog, &IndexSpec::default()).channel_count()
    });
}

/// Who could have been told anything the most active person knew, from the
/// start, at every threshold.
#[divan::bench(args = [false, true], sample_count = 10, sample_size = 1)]
fn reach_contacts(bencher: Bencher, strict: bool) {
    let s = story();
    let query = Query {
        strict,
        since: Some("2016-01-01".into()),
        ..Query::from_entity("p0")
    };
    let (index, q) = query.compile(s).expect("query compiles");
    bencher.bench(|| reach(&index, &q));
}

/// The documented chain of message `m0` (about 5% of the events carry it).
#[divan::bench(sample_count = 10, sample_size = 1)]
fn reach_message(bencher: Bencher) {
    let s = story();
    let query = Query {
        mode: Mode::Message,
        ..Query::message("m0")
    };
    let (index, q) = query.compile(s).expect("query compiles");
    bencher.bench(|| reach(&index, &q));
}

/// Contacts at the `confirmed` threshold (a filtered index).
#[divan::bench(sample_count = 10, sample_size = 1)]
fn reach_confirmed(bencher: Bencher) {
    let s = story();
    let query = Query {
        threshold: Certainty::Confirmed,
        ..Query::from_entity("p0")
    };
    let (index, q) = query.compile(s).expect("query compiles");
    bencher.bench(|| reach(&index, &q));
}
