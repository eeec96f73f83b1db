//! Writes a deterministic generated mail corpus as CSV (`from,to,time`), the
//! input of the benchmarks and of `benches/compare/run.sh`.
//!
//! ```sh
//! cargo run --release --example gen_corpus -- 1000000 corpus-1e6.csv
//! cargo run --release --example gen_corpus -- 1000000 corpus-1e6.int.csv --ids int
//! cargo run --release --example gen_corpus -- 1000000 shuffled.csv --shuffle-within-second
//! cargo run --release --example gen_corpus -- 1000000 edges.txt --ids int --tglib
//! cargo run --release --example gen_corpus -- 1e7 mail-1e7.csv --family mail   # blasts and relays
//! ```
//!
//! `--tglib` writes TGLib's edge list instead (`u v t 0` per line: traversal
//! time 0; `--tglib-strict` writes 1), from the same rows. Entities are
//! numbered by first appearance, as TGLib numbers them. `--seed N` picks
//! another corpus. The generator is `benches/support/gen.rs`.

use std::io::{BufWriter, Write};

#[path = "../benches/support/gen.rs"]
mod gen;

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let usage = "usage: gen_corpus EVENTS OUT [--ids int|email] [--seed N] [--shuffle-within-second] [--family uniform|mail] [--tglib|--tglib-strict]";
    let (Some(events), Some(out)) = (args.first(), args.get(1)) else {
        eprintln!("{usage}");
        std::process::exit(2);
    };
    let Ok(events) = events.replace('_', "").parse::<f64>() else {
        eprintln!("EVENTS must be a number (1000000 or 1e6)\n{usage}");
        std::process::exit(2);
    };
    let mut spec = gen::CorpusSpec::new(events as usize);
    let mut tglib: Option<u8> = None;
    let mut i = 2;
    while i < args.len() {
        match args[i].as_str() {
            "--ids" => {
                i += 1;
                spec.ids = match args.get(i).map(String::as_str) {
                    Some("int") => gen::Ids::Int,
                    Some("email") => gen::Ids::Email,
                    _ => {
                        eprintln!("--ids takes int or email\n{usage}");
                        std::process::exit(2);
                    }
                };
            }
            "--seed" => {
                i += 1;
                spec.seed = args.get(i).and_then(|s| s.parse().ok()).unwrap_or(1);
            }
            "--shuffle-within-second" => spec.shuffle_within_second = true,
            "--family" => {
                i += 1;
                spec.family = match args.get(i).map(String::as_str) {
                    Some("uniform") => gen::Family::Uniform,
                    Some("mail") => gen::Family::Mail,
                    _ => {
                        eprintln!("--family takes uniform or mail\n{usage}");
                        std::process::exit(2);
                    }
                };
            }
            "--tglib" => tglib = Some(0),
            "--tglib-strict" => tglib = Some(1),
            other => {
                eprintln!("unknown argument {other}\n{usage}");
                std::process::exit(2);
            }
        }
        i += 1;
    }
    let rows = gen::rows(&spec);
    let file = match std::fs::File::create(out) {
        Ok(f) => f,
        Err(e) => {
            eprintln!("cannot write {out}: {e}");
            std::process::exit(1);
        }
    };
    let mut w = BufWriter::with_capacity(1 << 20, file);
    let result = if let Some(tt) = tglib {
        write_tglib(&rows, tt, &mut w)
    } else {
        gen::write_csv(&rows, spec.ids, &mut w)
    };
    if let Err(e) = result.and_then(|_| w.flush()) {
        eprintln!("cannot write {out}: {e}");
        std::process::exit(1);
    }
    let seconds = rows.windows(2).filter(|w| w[0].time == w[1].time).count();
    // The busiest sender: the source `benches/compare/run.sh` asks from.
    let mut sent = vec![0u32; spec.nodes() as usize];
    for r in &rows {
        sent[r.from as usize] += 1;
    }
    let busiest = (0..sent.len()).max_by_key(|&i| (sent[i], std::cmp::Reverse(i)));
    eprintln!(
        "{out}: {} rows, {} entities, {} rows share their second with the previous one; busiest sender {}",
        rows.len(),
        spec.nodes(),
        seconds,
        busiest.map_or(0, |i| i as u32)
    );
}

/// TGLib's ordered edge list: `u v t tt` per line in time order, `tt` the
/// traversal time (0: a hop may leave in the second it arrived).
fn write_tglib<W: Write>(rows: &[gen::Row], tt: u8, w: &mut W) -> std::io::Result<()> {
    for r in rows {
        writeln!(w, "{} {} {} {tt}", r.from, r.to, r.time)?;
    }
    Ok(())
}
