//! Loads a CSV corpus and answers one single-source earliest-arrival query
//! over the whole span, timing each step: what `benches/compare/run.sh`
//! measures for grapevine beside its peers.
//!
//! ```sh
//! cargo run --release --example corpus_query -- corpus.csv --from 0 [--t0 SECONDS] \
//!     [--strict] [--repeat 5] [--reach] [--threads N] [--out earliest.tsv]
//! ```
//!
//! Prints one line of `key=value` pairs: rows, entities, the floor (seconds
//! to read the file's bytes and find its line ends with `memchr`, before the
//! load, so the page cache is warm for both), load seconds (CSV to corpus), index seconds (corpus to index), query seconds (fastest of
//! `--repeat`), reached entities, index bytes and the process's peak resident
//! memory (VmHWM). `--reach` also times the whole `reach` answer (paths,
//! definite times, evidence, then its JSON), each step the fastest of
//! `--repeat`; `--rows-only` stops before the JSON (for profiling). `--out` writes `entity<TAB>earliest` for every
//! reached entity, sorted by entity. Without `--t0` the source holds the
//! information from the beginning of time. `--backward` also times the
//! reverse pass (who could have told the `--from` entity, at any time:
//! `reach --to`), fastest of `--repeat`, and the whole backward answer
//! without paths; `--targets K` also times the answer for K targets (the
//! `--from` entity and K-1 others spread over the entity numbers: `reach
//! --had … --had …`) and its time per target.

use std::io::Write;
use std::time::Instant;

use grapevine::analysis::earliest_exact;
use grapevine::analysis::reach::earliest_arrival;
use grapevine::internals::io::csv::{Corpus, CsvOptions};
use grapevine::{Catalog, Certainty, Index, IndexSpec, ReachQuery, SourceHeld};

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

const USAGE: &str = "usage: corpus_query FILE --from ID [--t0 SECONDS] [--strict] [--repeat K] [--reach|--rows-only] [--backward [--targets K]] [--threads N] [--out FILE]";

/// Prints `message` and exits with `code`.
fn fail(message: &str, code: i32) -> ! {
    eprintln!("{message}");
    std::process::exit(code);
}

/// The command line.
struct Args {
    file: String,
    from: String,
    strict: bool,
    repeat: usize,
    reach: bool,
    rows_only: bool,
    backward: bool,
    targets: usize,
    threads: usize,
    out: Option<String>,
    t0: Option<i64>,
}

/// Reads the command line, or exits with the usage.
fn parse_args() -> Args {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let Some(file) = args.first() else {
        fail(USAGE, 2);
    };
    let mut from = None;
    let mut strict = false;
    let mut repeat = 1usize;
    let mut reach = false;
    let mut rows_only = false;
    let mut backward = false;
    let mut targets = 1;
    let mut threads = 0usize;
    let mut out = None;
    let mut t0: Option<i64> = None;
    let mut i = 1;
    while i < args.len() {
        match args[i].as_str() {
            "--from" => {
                i += 1;
                from = args.get(i).cloned();
            }
            "--strict" => strict = true,
            "--reach" => reach = true,
            "--backward" => backward = true,
            "--rows-only" => {
                reach = true;
                rows_only = true;
            }
            "--repeat" => {
                i += 1;
                repeat = args.get(i).and_then(|s| s.parse().ok()).unwrap_or(1);
            }
            "--targets" => {
                i += 1;
                targets = args.get(i).and_then(|s| s.parse().ok()).unwrap_or(1);
            }
            "--threads" => {
                i += 1;
                threads = args.get(i).and_then(|s| s.parse().ok()).unwrap_or(0);
            }
            "--out" => {
                i += 1;
                out = args.get(i).cloned();
            }
            "--t0" => {
                i += 1;
                t0 = args.get(i).and_then(|s| s.parse().ok());
            }
            other => fail(&format!("unknown argument {other}\n{USAGE}"), 2),
        }
        i += 1;
    }
    let Some(from) = from else {
        fail(USAGE, 2);
    };
    Args {
        file: file.clone(),
        from,
        strict,
        repeat,
        reach,
        rows_only,
        backward,
        targets,
        threads,
        out,
        t0,
    }
}

/// Runs `f` `repeat` times (at least once): its last result and the
/// fastest run in seconds.
fn best<T>(repeat: usize, mut f: impl FnMut() -> T) -> (T, f64) {
    let t = Instant::now();
    let mut out = f();
    let mut best = t.elapsed().as_secs_f64();
    for _ in 1..repeat {
        let t = Instant::now();
        out = f();
        best = best.min(t.elapsed().as_secs_f64());
    }
    (out, best)
}

/// Times the whole `reach` answer step by step, each the fastest of
/// `repeat` runs, and appends the timings to `line`.
fn time_reach(
    index: &Index<'_>,
    q: &ReachQuery,
    repeat: usize,
    rows_only: bool,
    line: &mut String,
) {
    let (paths, paths_s) = best(repeat, || {
        grapevine::analysis::reach::earliest_paths(index, q, Certainty::Unknown)
    });
    let (def, definite_s) = best(repeat, || {
        grapevine::analysis::reach::definite_arrival(index, q, paths.times(), Certainty::Unknown)
    });
    line.push_str(&format!(
        " paths_s={paths_s:.4} paths_reached={} definite_s={definite_s:.4} definite={}",
        paths.times().iter().filter(|&&t| t != i64::MAX).count(),
        def.iter().filter(|d| d.is_some()).count()
    ));
    drop((paths, def));
    let (rows, rows_s) = best(repeat, || grapevine::reach_rows(index, q));
    line.push_str(&format!(" reach_rows_s={rows_s:.4}"));
    if !rows_only {
        let mut sink = std::io::BufWriter::new(std::io::sink());
        let (written, json_s) = best(repeat, || {
            serde_json::to_writer_pretty(&mut sink, &rows).is_ok()
        });
        let (_, compact_s) = best(repeat, || serde_json::to_writer(&mut sink, &rows).is_ok());
        let t = Instant::now();
        let _ = grapevine::reach(index, q);
        line.push_str(&format!(
            " reach_json_s={json_s:.4} compact_json_s={compact_s:.4} answer_s={:.4} json_ok={written}",
            t.elapsed().as_secs_f64()
        ));
    }
    line.push_str(&format!(" reach_reached={}", rows.len()));
}

/// Times who could have told `target` (at any time): the reverse pass
/// alone and the whole answer without paths, each the fastest of
/// `args.repeat`, and appends them to `line`.
fn time_backward(index: &Index<'_>, target: grapevine::EntityId, args: &Args, line: &mut String) {
    use grapevine::analysis::backward::{backward_rows, latest_departure, BackwardQuery, Target};
    let (lat, pass_s) = best(args.repeat, || {
        latest_departure(index, target, None, args.strict)
    });
    let told = lat
        .iter()
        .take(index.entity_count())
        .filter(|&&t| t != i64::MIN)
        .count();
    let q = BackwardQuery {
        targets: vec![Target {
            entity: target,
            until: None,
        }],
        strict: args.strict,
        paths: false,
    };
    let (rows, rows_s) = best(args.repeat, || backward_rows(index, &q).len());
    line.push_str(&format!(
        " backward_s={pass_s:.5} could_have_told={told} backward_rows_s={rows_s:.4} backward_rows={rows}"
    ));
    if args.targets > 1 {
        let k = args.targets;
        let n = index.entity_count();
        let mut q = q;
        q.targets.extend((1..k).map(|j| Target {
            entity: grapevine::EntityId::at((target.index() + j * n / k) % n),
            until: None,
        }));
        let (rows, multi_s) = best(args.repeat, || backward_rows(index, &q).len());
        line.push_str(&format!(
            " targets={k} backward_targets_s={multi_s:.4} per_target_s={:.5} told_all={rows}",
            multi_s / k as f64
        ));
    }
}

/// Writes `entity<TAB>earliest` for every reached entity to `out`, sorted
/// by entity, or exits.
fn write_earliest(index: &Index<'_>, arr: &[i64], out: &str) {
    let mut rows: Vec<(&str, i64)> = arr
        .iter()
        .enumerate()
        .filter(|(_, &t)| t != i64::MAX)
        .map(|(v, &t)| {
            (
                index.entity_id(grapevine::internals::catalog::NodeId::at(v)),
                t,
            )
        })
        .collect();
    rows.sort();
    let write = || -> std::io::Result<()> {
        let mut w = std::io::BufWriter::new(std::fs::File::create(out)?);
        for (id, t) in rows {
            writeln!(w, "{id}\t{t}")?;
        }
        w.flush()
    };
    if let Err(e) = write() {
        fail(&format!("cannot write {out}: {e}"), 1);
    }
}

/// Seconds to read `file`'s bytes and find its line ends (`memchr`, 1 MiB
/// at a time): the floor a load is measured against.
fn floor_seconds(file: &str) -> f64 {
    use std::io::Read;
    let t = Instant::now();
    let mut f = std::fs::File::open(file).unwrap_or_else(|e| fail(&format!("{file}: {e}"), 2));
    let mut buf = vec![0u8; 1 << 20];
    let mut lines = 0usize;
    loop {
        let n = f
            .read(&mut buf)
            .unwrap_or_else(|e| fail(&format!("{file}: {e}"), 2));
        if n == 0 {
            break;
        }
        lines += memchr::memchr_iter(b'\n', &buf[..n]).count();
    }
    std::hint::black_box(lines);
    t.elapsed().as_secs_f64()
}

fn main() {
    let args = parse_args();
    let floor = floor_seconds(&args.file);
    let t = Instant::now();
    let options = CsvOptions {
        threads: args.threads,
        ..CsvOptions::default()
    };
    let corpus =
        Corpus::load(args.file.as_ref(), &options).unwrap_or_else(|e| fail(&e.to_string(), 2));
    let load = t.elapsed().as_secs_f64();
    let (rows, entities) = (corpus.row_count(), corpus.entity_count());
    let source = corpus
        .resolve_entity(&args.from)
        .unwrap_or_else(|e| fail(&e.to_string(), 2));
    let t = Instant::now();
    let index = Index::build(&corpus, &IndexSpec::default());
    let build = t.elapsed().as_secs_f64();
    let q = ReachQuery {
        start: args.t0,
        source_held: args.t0.map_or(SourceHeld::Always, SourceHeld::By),
        strict: args.strict,
        ..ReachQuery::new(source)
    };
    let mut best = f64::INFINITY;
    let mut arr = Vec::new();
    for _ in 0..args.repeat.max(1) {
        let t = Instant::now();
        arr = earliest_exact(&index, &q, Certainty::Unknown)
            .unwrap_or_else(|| earliest_arrival(&index, &q, Certainty::Unknown));
        best = best.min(t.elapsed().as_secs_f64());
    }
    let reached = arr.iter().filter(|&&t| t != i64::MAX).count();
    let mut line = format!(
        "rows={rows} entities={entities} exact={} floor_s={floor:.4} load_s={load:.4} index_s={build:.4} query_s={best:.5} reached={reached} index_bytes={}",
        index.is_exact(),
        index.heap_bytes() + corpus.heap_bytes()
    );
    if args.reach {
        time_reach(&index, &q, args.repeat, args.rows_only, &mut line);
    }
    if args.backward {
        time_backward(&index, source, &args, &mut line);
    }
    line.push_str(&format!(" peak_rss_kib={}", vm_hwm_kib()));
    println!("{line}");
    if let Some(out) = &args.out {
        write_earliest(&index, &arr, out);
    }
}
