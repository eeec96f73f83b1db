//! Deterministic generated inputs for benchmarks, tests and the peer
//! comparison: a mail corpus (CSV) and a story with mixed-precision dates.
//!
//! Included with `#[path]` by `examples/gen_corpus.rs`, the benches and the
//! corpus tests, so the library carries none of it.
//!
//! The corpus: e-mails from Zipf-like senders (rank drawn log-uniformly, so
//! a few people write most mail) to one receiver or a CC list, at exponential
//! gaps over four years; each receiver forwards what it got with some
//! probability (less at each level), to one to three Zipf-like receivers, 10%
//! of forwards in the same second as the mail they forward, the rest after an
//! exponential delay (mean one hour). Rows come out in time order, within a
//! second in causal order unless `shuffle_within_second` is set.
//!
//! A second family, [`Family::Mail`], looks like real mail where the first is
//! smooth ([`mail_rows`]): mailing-list blasts (3% of messages go to 10–100
//! recipients in one second), same-second relays (4% of forwards leave in
//! the second of the mail they forward: auto-forward rules), bursty times
//! (lognormal gaps), forwards and replies from a recent recipient (a
//! geometric lag back through the recent recipients, so time-respecting
//! chains are long), and Zipf-distributed senders and recipients over about
//! one entity per 11.5 rows whose hubs are scattered over the ids before the
//! numbering by first appearance.

#![allow(dead_code)]

use std::cmp::Reverse;
use std::collections::BinaryHeap;
use std::io::Write;

/// How entities are named in the CSV.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Ids {
    /// `17`
    Int,
    /// `u17@corp.example`
    Email,
}

/// Which kind of corpus.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Family {
    /// The project's first corpus: smooth exponential gaps, small CC lists.
    Uniform,
    /// Mail-like: blasts, same-second relays, bursts, recent-recipient
    /// forwards ([`mail_rows`]).
    Mail,
}

/// What to generate.
#[derive(Debug, Clone, Copy)]
pub struct CorpusSpec {
    /// Rows (events).
    pub events: usize,
    /// Which kind of corpus.
    pub family: Family,
    /// Seed of the generator.
    pub seed: u64,
    /// Entity names.
    pub ids: Ids,
    /// Shuffle the rows inside each second (same rows, other order).
    pub shuffle_within_second: bool,
}

impl CorpusSpec {
    /// `events` rows with e-mail ids and seed 1.
    pub fn new(events: usize) -> CorpusSpec {
        CorpusSpec {
            events,
            family: Family::Uniform,
            seed: 1,
            ids: Ids::Email,
            shuffle_within_second: false,
        }
    }

    /// Entities: at most one for every ten rows (at least 64); those that
    /// appear in some row are numbered from 0 in order of first appearance
    /// (entity 0 sends the first row).
    pub fn nodes(&self) -> u32 {
        match self.family {
            Family::Uniform => (self.events / 10).max(64) as u32,
            Family::Mail => ((self.events as f64 / 11.5) as usize).max(64) as u32,
        }
    }
}

/// One contact.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct Row {
    /// Unix seconds.
    pub time: i64,
    /// Sender.
    pub from: u32,
    /// Receiver.
    pub to: u32,
}

/// SplitMix64: small, fast, deterministic.
#[derive(Debug, Clone)]
pub struct Rng(u64);

impl Rng {
    /// Seeded generator.
    pub fn new(seed: u64) -> Rng {
        Rng(seed ^ 0x5DEE_CE66_D1CE_4E5B)
    }

    /// Next 64 random bits.
    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// Uniform in [0, 1).
    pub fn unit(&mut self) -> f64 {
        (self.next_u64() >> 11) as f64 / (1u64 << 53) as f64
    }

    /// Uniform in [0, n).
    pub fn below(&mut self, n: u64) -> u64 {
        ((u128::from(self.next_u64()) * u128::from(n)) >> 64) as u64
    }

    /// Zipf-like rank in [0, n): log-uniform, P(k) roughly 1/(k+1).
    pub fn zipf(&mut self, n: u32) -> u32 {
        let x = (f64::from(n)).powf(self.unit());
        (x as u32).saturating_sub(1).min(n - 1)
    }

    /// Exponential with this mean.
    pub fn exp(&mut self, mean: f64) -> f64 {
        -mean * (1.0 - self.unit()).ln()
    }
}

/// 2000-01-01T00:00:00Z.
pub const START: i64 = 946_684_800;
const SPAN: f64 = 4.0 * 365.0 * 86_400.0;

/// The corpus rows, in time order.
pub fn rows(spec: &CorpusSpec) -> Vec<Row> {
    if spec.family == Family::Mail {
        return mail_rows(spec);
    }
    let mut rng = Rng::new(spec.seed);
    let n = spec.nodes();
    // About 2.6 rows per e-mail with CC lists and forwards.
    let mails = (spec.events as f64 / 2.6).max(1.0);
    let gap = SPAN / mails;
    let mut out: Vec<Row> = Vec::with_capacity(spec.events + 64);
    // Pending forwards: (time, sequence, sender, depth).
    let mut pending: BinaryHeap<Reverse<(i64, u64, u32, u32)>> = BinaryHeap::new();
    let mut seq = 0u64;
    let mut clock = START as f64;
    let mut send = |rng: &mut Rng,
                    out: &mut Vec<Row>,
                    pending: &mut BinaryHeap<Reverse<(i64, u64, u32, u32)>>,
                    from: u32,
                    time: i64,
                    depth: u32,
                    forward: bool| {
        let k = if forward {
            1 + rng.below(3) as u32
        } else {
            match rng.below(100) {
                0..=54 => 1,
                55..=74 => 2,
                75..=89 => 3 + rng.below(3) as u32,
                _ => 6 + rng.below(15) as u32,
            }
        };
        for _ in 0..k {
            let mut to = rng.zipf(n);
            if to == from {
                to = (to + 1) % n;
            }
            out.push(Row { time, from, to });
            let p = 0.12 / f64::from(depth + 1);
            if rng.unit() < p {
                let delay = if rng.below(10) == 0 {
                    0
                } else {
                    rng.exp(3600.0) as i64 + 1
                };
                seq += 1;
                pending.push(Reverse((time + delay, seq, to, depth + 1)));
            }
        }
    };
    while out.len() < spec.events {
        clock += rng.exp(gap);
        let t = clock as i64;
        while let Some(&Reverse((ft, _, who, depth))) = pending.peek() {
            if ft > t {
                break;
            }
            pending.pop();
            send(&mut rng, &mut out, &mut pending, who, ft, depth, true);
        }
        let from = rng.zipf(n);
        send(&mut rng, &mut out, &mut pending, from, t, 0, false);
    }
    out.truncate(spec.events);
    out.sort_by_key(|r| r.time);
    finish(out, n, spec)
}

/// Numbers entities by first appearance and shuffles within seconds when
/// asked.
fn finish(mut out: Vec<Row>, n: u32, spec: &CorpusSpec) -> Vec<Row> {
    // Number entities by first appearance (sender, then receiver, in time
    // order), as TGLib does on loading, so its numbers are the file's.
    let mut number = vec![u32::MAX; n as usize];
    let mut next = 0u32;
    for r in out.iter_mut() {
        for e in [&mut r.from, &mut r.to] {
            if number[*e as usize] == u32::MAX {
                number[*e as usize] = next;
                next += 1;
            }
            *e = number[*e as usize];
        }
    }
    if spec.shuffle_within_second {
        shuffle_within_second(&mut out, spec.seed ^ 0xABCD);
    }
    out
}

/// The mail-like family ([`Family::Mail`]): see the module documentation.
///
/// Messages arrive with lognormal gaps (median about a minute, heavy tail)
/// over four years. A message goes from a Zipf sender (rank mapped through a
/// fixed random permutation, so hubs are anywhere among the ids) to one
/// recipient (60%), a CC list of 2–5 (37%) or a blast of 10–100 (3%), all in
/// one second. With probability 0.35 a message is instead a forward or reply
/// by a recent recipient: the k-th most recent one, k geometric with mean 5;
/// 4% of those leave in the very second of the mail they pass on (a relay
/// inside one second), the rest after an exponential lag (mean one hour).
pub fn mail_rows(spec: &CorpusSpec) -> Vec<Row> {
    let mut rng = Rng::new(spec.seed ^ 0x4D41_494C);
    let n = spec.nodes();
    // A fixed permutation of ranks onto ids.
    let mut perm: Vec<u32> = (0..n).collect();
    for i in (1..perm.len()).rev() {
        let j = rng.below(i as u64 + 1) as usize;
        perm.swap(i, j);
    }
    let person = |rng: &mut Rng| perm[rng.zipf(n) as usize];
    let mut out: Vec<Row> = Vec::with_capacity(spec.events + 128);
    // Recent recipients, newest last: (who, when they got it).
    let mut recent: Vec<(u32, i64)> = Vec::with_capacity(4096);
    let mut clock = START as f64;
    // Lognormal gaps scaled so that the rows span about four years.
    let rows_per_message = 2.3;
    let median = SPAN / (spec.events as f64 / rows_per_message) / 7.4;
    while out.len() < spec.events {
        let normal = {
            // Box–Muller.
            let (u1, u2) = (rng.unit().max(1e-12), rng.unit());
            (-2.0 * u1.ln()).sqrt() * (std::f64::consts::TAU * u2).cos()
        };
        clock += median * (2.0 * normal).exp();
        let mut t = clock as i64;
        let mut from = person(&mut rng);
        if !recent.is_empty() && rng.unit() < 0.35 {
            // A forward or reply by a recent recipient.
            let mut k = 0usize;
            while rng.unit() > 0.2 && k + 1 < recent.len() {
                k += 1;
            }
            let (who, got) = recent[recent.len() - 1 - k];
            from = who;
            // The recent mail may be older than `t`: a reply today to
            // yesterday's mail. The clock itself moves on with the gaps.
            t = if rng.below(25) == 0 {
                got
            } else {
                got + 1 + rng.exp(3600.0) as i64
            };
        }
        let k = match rng.below(100) {
            0..=59 => 1,
            60..=96 => 2 + rng.below(4) as u32,
            _ => 10 + rng.below(91) as u32,
        };
        for _ in 0..k {
            let mut to = person(&mut rng);
            if to == from {
                to = (to + 1) % n;
            }
            out.push(Row { time: t, from, to });
            if recent.len() == 4096 {
                recent.drain(..2048);
            }
            recent.push((to, t));
        }
    }
    out.truncate(spec.events);
    out.sort_by_key(|r| r.time);
    finish(out, n, spec)
}

/// Shuffles the rows of each second among themselves.
pub fn shuffle_within_second(rows: &mut [Row], seed: u64) {
    let mut rng = Rng::new(seed);
    let mut a = 0;
    while a < rows.len() {
        let mut b = a + 1;
        while b < rows.len() && rows[b].time == rows[a].time {
            b += 1;
        }
        for i in (a + 1..b).rev() {
            let j = a + rng.below((i - a + 1) as u64) as usize;
            rows.swap(i, j);
        }
        a = b;
    }
}

/// The name of entity `n`.
pub fn name(ids: Ids, n: u32) -> String {
    match ids {
        Ids::Int => n.to_string(),
        Ids::Email => format!("u{n}@corp.example"),
    }
}

/// Writes `from,to,time` CSV.
pub fn write_csv<W: Write>(rows: &[Row], ids: Ids, w: &mut W) -> std::io::Result<()> {
    w.write_all(b"from,to,time\n")?;
    let mut line = String::with_capacity(64);
    for r in rows {
        line.clear();
        use std::fmt::Write as _;
        let _ = match ids {
            Ids::Int => writeln!(line, "{},{},{}", r.from, r.to, r.time),
            Ids::Email => writeln!(
                line,
                "u{}@corp.example,u{}@corp.example,{}",
                r.from, r.to, r.time
            ),
        };
        w.write_all(line.as_bytes())?;
    }
    Ok(())
}

/// The corpus as CSV text.
pub fn csv(spec: &CorpusSpec) -> String {
    let mut buf = Vec::new();
    let _ = write_csv(&rows(spec), spec.ids, &mut buf);
    String::from_utf8(buf).unwrap_or_default()
}

/// Earliest arrival written plainly, as the reference: process the seconds
/// in order; inside a second, sweep its rows again and again until nothing
/// changes. `strict`: a hop must be at least one second after its sender got
/// the information. `None`: not reached. The source holds it from `t0`.
pub fn reference_earliest(
    rows: &[Row],
    nodes: u32,
    source: u32,
    t0: i64,
    strict: bool,
) -> Vec<Option<i64>> {
    let mut arr: Vec<Option<i64>> = vec![None; nodes as usize];
    arr[source as usize] = Some(t0);
    let mut a = 0;
    while a < rows.len() {
        let t = rows[a].time;
        let mut b = a;
        while b < rows.len() && rows[b].time == t {
            b += 1;
        }
        if t >= t0 {
            loop {
                let mut changed = false;
                for r in &rows[a..b] {
                    // Strict: held before this second (arrivals set in this
                    // second are `t` itself, so they do not count).
                    let holder = if strict {
                        arr[r.from as usize].is_some_and(|s| s < t)
                    } else {
                        arr[r.from as usize].is_some_and(|s| s <= t)
                    };
                    if holder && arr[r.to as usize].is_none() {
                        arr[r.to as usize] = Some(t);
                        changed = true;
                    }
                }
                if !changed || strict {
                    break;
                }
            }
        }
        a = b;
    }
    arr
}

// ---------------------------------------------------------------------------
// A story with mixed-precision dates, for the general (interval) algorithms.

/// A story of `events` events among `events / 10` entities (at least 16),
/// with dates written to the second, minute, day or month, as intervals, open
/// at one end, or not at all; mixed certainties; a traced message `m0`
/// carried by about 5% of the events.
pub fn story(events: usize, seed: u64) -> grapevine::Story {
    use grapevine::internals::model::{Entity, Event, Message, Parties};
    use grapevine::{Certainty, TimeExpr};
    let tz = jiff::tz::TimeZone::UTC;
    let mut rng = Rng::new(seed);
    let n = (events / 10).max(16) as u32;
    let id = |k: u32| format!("p{k}");
    let mut story = grapevine::Story {
        entities: (0..n)
            .map(|k| Entity {
                id: id(k),
                name: format!("Person {k}"),
                ..Entity::default()
            })
            .collect(),
        messages: vec![Message {
            id: "m0".into(),
            origin: Some(id(0)),
            time: TimeExpr::parse("2016-01", &tz).ok(),
            ..Message::default()
        }],
        ..grapevine::Story::default()
    };
    let fmt = |t: i64, p: grapevine::internals::model::Precision| {
        grapevine::internals::model::time::format_at_precision(t, p, &tz)
    };
    let base = 1_451_606_400; // 2016-01-01
    let year = 366 * 86_400;
    for e in 0..events {
        let t = base + rng.below(year) as i64;
        use grapevine::internals::model::Precision as P;
        let text = match rng.below(100) {
            0..=39 => Some(fmt(t, P::Second)),
            40..=49 => Some(fmt(t, P::Minute)),
            50..=74 => Some(fmt(t, P::Day)),
            75..=84 => Some(fmt(t, P::Month)),
            85..=94 => {
                let t2 = t + rng.below(20 * 86_400) as i64;
                Some(format!("{}/{}", fmt(t, P::Day), fmt(t2, P::Day)))
            }
            95..=96 => Some(format!("{}/..", fmt(t, P::Day))),
            97..=98 => Some(format!("../{}", fmt(t, P::Day))),
            _ => None,
        };
        let certainty = match rng.below(10) {
            0..=2 => Some(Certainty::Confirmed),
            3..=6 => None,
            7..=8 => Some(Certainty::Alleged),
            _ => Some(Certainty::Unknown),
        };
        let parties = if rng.below(5) == 0 {
            let k = 2 + rng.below(3) as u32;
            let mut ps: Vec<String> = (0..k).map(|_| id(rng.zipf(n))).collect();
            ps.sort();
            ps.dedup();
            if ps.len() < 2 {
                ps.push(id((rng.zipf(n) + 1) % n));
                ps.sort();
                ps.dedup();
            }
            Parties::Mutual { participants: ps }
        } else {
            let from = rng.zipf(n);
            let k = 1 + rng.below(3) as u32;
            let mut to: Vec<String> = (0..k)
                .map(|_| {
                    let v = rng.zipf(n);
                    id(if v == from { (v + 1) % n } else { v })
                })
                .collect();
            to.dedup();
            Parties::Directed {
                from: id(from),
                to_is_array: to.len() > 1,
                to,
            }
        };
        story.events.push(Event {
            id: format!("e{e}"),
            kind: Some("message".into()),
            parties,
            time: text.and_then(|s| TimeExpr::parse(&s, &tz).ok()),
            certainty,
            carries: if rng.below(20) == 0 {
                vec!["m0".into()]
            } else {
                vec![]
            },
            ..Event::default()
        });
    }
    story
}
