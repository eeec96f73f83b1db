//! Times `rank --by reach` and `--by told`'s one-pass estimate on a CSV
//! corpus, then checks a sample of entities exactly: the `--sample` top
//! ranked and as many drawn at random (seeded), reach with one forward
//! earliest-arrival pass per entity, told with one reverse
//! (latest-departure) pass per entity.
//!
//! ```sh
//! cargo run --release --example rank_estimate -- corpus.csv [--strict] \
//!     [--precision 14] [--sample 100] [--measure reach|told|both]
//! ```
//!
//! Prints per measure: the pass's seconds, the
//! process's peak resident memory (VmHWM), then the sample's largest and
//! mean relative error and how many were beyond 2% and beyond the stated
//! bound.

use std::time::Instant;

use grapevine::analysis::backward::latest_departure;
use grapevine::analysis::earliest_exact;
use grapevine::analysis::rank::{first_active, RankOptions};
use grapevine::analysis::spread::{estimate, Direction, Estimates};
use grapevine::internals::io::csv::{Corpus, CsvOptions};
use grapevine::{Catalog, Certainty, EntityId, Index, IndexSpec, ReachQuery, SourceHeld};

fn vm_hwm_kib() -> u64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("VmHWM:"))
                .and_then(|l| l.split_whitespace().nth(1))
                .and_then(|v| v.parse().ok())
        })
        .unwrap_or(0)
}

fn fail(message: &str) -> ! {
    eprintln!("{message}");
    std::process::exit(2);
}

/// The command line.
struct Args {
    file: String,
    strict: bool,
    precision: u8,
    sample: usize,
    measures: Vec<Direction>,
}

fn args() -> Args {
    let usage = "usage: rank_estimate FILE [--strict] [--precision P] [--sample K] [--measure reach|told|both]";
    let raw: Vec<String> = std::env::args().skip(1).collect();
    let Some(file) = raw.first().cloned() else {
        fail(usage)
    };
    let mut a = Args {
        file,
        strict: false,
        precision: grapevine::analysis::spread::PRECISION,
        sample: 100,
        measures: vec![Direction::Reach, Direction::Told],
    };
    let mut i = 1;
    while i < raw.len() {
        let value = raw.get(i + 1).map(String::as_str);
        match raw[i].as_str() {
            "--strict" => {
                a.strict = true;
                i -= 1;
            }
            "--precision" => {
                a.precision = value
                    .and_then(|v| v.parse().ok())
                    .unwrap_or_else(|| fail(usage))
            }
            "--sample" => {
                a.sample = value
                    .and_then(|v| v.parse().ok())
                    .unwrap_or_else(|| fail(usage))
            }
            "--measure" => {
                a.measures = match value {
                    Some("reach") => vec![Direction::Reach],
                    Some("told") => vec![Direction::Told],
                    Some("both") => vec![Direction::Reach, Direction::Told],
                    _ => fail(usage),
                }
            }
            _ => fail(usage),
        }
        i += 2;
    }
    a
}

/// The exact count of entity `u`: whom it could have told (reach), or who
/// could have told it (told).
fn exact(index: &Index, first: &[i64], u: usize, direction: Direction, strict: bool) -> u64 {
    let n = index.entity_count();
    match direction {
        Direction::Reach => {
            let start = first[u];
            let q = ReachQuery {
                start: Some(start),
                source_held: SourceHeld::By(start),
                strict,
                ..ReachQuery::new(EntityId::at(u))
            };
            let arr = earliest_exact(index, &q, Certainty::Unknown).unwrap_or_default();
            (0..n).filter(|&v| v != u && arr[v] != i64::MAX).count() as u64
        }
        Direction::Told => {
            let lat = latest_departure(index, EntityId::at(u), None, strict);
            (0..n)
                .filter(|&v| v != u && first[v] != i64::MAX && first[v] <= lat[v])
                .count() as u64
        }
    }
}

/// The sample: the `k` top ranked and `k` more at random.
fn sample(est: &Estimates, k: usize) -> Vec<usize> {
    let n = est.counts.len();
    let mut order: Vec<usize> = (0..n).collect();
    order.sort_by_key(|&u| std::cmp::Reverse(est.counts[u]));
    let mut pick: Vec<usize> = order.into_iter().take(k).collect();
    let mut x: u64 = 0x2545_f491_4f6c_dd1d;
    while pick.len() < 2 * k.min(n / 2) {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        let u = (x % n as u64) as usize;
        if !pick.contains(&u) {
            pick.push(u);
        }
    }
    pick
}

fn main() {
    let a = args();
    let t = Instant::now();
    let corpus = Corpus::load(a.file.as_ref(), &CsvOptions::default())
        .unwrap_or_else(|e| fail(&e.to_string()));
    let index = Index::build(&corpus, &IndexSpec::default());
    let first = first_active(&index);
    println!(
        "rows={} entities={} load_s={:.2}",
        index.channel_count(),
        corpus.entity_count(),
        t.elapsed().as_secs_f64()
    );
    let options = RankOptions {
        strict: a.strict,
        ..RankOptions::default()
    };
    for &direction in &a.measures {
        let t = Instant::now();
        let est = estimate(&index, &options, direction, a.precision, &|_, _| {})
            .unwrap_or_else(|| fail("some contact is not one exact second"));
        let secs = t.elapsed().as_secs_f64();
        let t = Instant::now();
        let (mut worst, mut sum, mut over2, mut over_bound) = (0.0f64, 0.0, 0, 0);
        let pick = sample(&est, a.sample);
        for &u in &pick {
            let want = exact(&index, &first, u, direction, a.strict) as f64;
            let got = est.counts[u] as f64;
            let rel = if want == 0.0 {
                got
            } else {
                (got - want).abs() / want
            };
            worst = worst.max(rel);
            sum += rel;
            over2 += usize::from(rel > 0.02);
            over_bound += usize::from(rel > est.info.bound);
        }
        println!(
            "measure={direction:?} strict={} precision={} pass_s={secs:.2} vm_hwm_mb={} sample={} max_rel_err={:.4} mean_rel_err={:.4} over_2pct={over2} over_bound={over_bound} bound={:.4} check_s={:.1}",
            a.strict,
            a.precision,
            vm_hwm_kib() >> 10,
            pick.len(),
            worst,
            sum / pick.len().max(1) as f64,
            est.info.bound,
            t.elapsed().as_secs_f64()
        );
    }
}
