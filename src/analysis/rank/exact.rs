//! The exact counts of `rank --by reach` and `--by told`: bit-parallel
//! sweeps over the channels on exact times, one earliest-arrival search per
//! entity otherwise.

use std::ops::Range;

use super::{first_active, for_every_entity, own_query, threads, RankOptions};
use crate::analysis::reach::{earliest_arrival, NO_UPPER};
use crate::catalog::{Catalog, ChannelId, EntityId, NodeId};
use crate::index::{Index, IndexSpec, Mode};

/// Per entity: how many others it could have told, and how many could have
/// told it.
pub(super) struct Counts {
    pub(super) reach: Vec<u64>,
    pub(super) told: Vec<u64>,
}

/// [`super::rank_reach`]'s and [`super::rank_told`]'s counts, exactly.
pub(super) fn temporal_counts(catalog: &dyn Catalog, options: &RankOptions) -> Counts {
    let spec = IndexSpec {
        message: None,
        mode: Mode::Contacts,
        threshold: options.threshold,
    };
    let index = Index::build(catalog, &spec);
    let first = first_active(&index);
    let n = index.entity_count();
    if let Some(counts) = reach_counts_exact(&index, &first, options) {
        return counts;
    }
    let by = |t: i64| t != NO_UPPER && options.until.is_none_or(|u| t <= u);
    let init = || (Vec::new(), vec![0u64; n]);
    let parts = for_every_entity(n, threads(), init, |u, acc: &mut (Vec<u64>, Vec<u64>)| {
        let q = own_query(EntityId::at(u), first[u], options);
        let arr = earliest_arrival(&index, &q, options.threshold);
        let mut count = 0;
        for v in (0..n).filter(|&v| v != u && by(arr[v])) {
            count += 1;
            acc.1[v] += 1;
        }
        acc.0.push(count);
    });
    let mut counts = Counts {
        reach: Vec::with_capacity(n),
        told: vec![0u64; n],
    };
    // `for_every_entity` hands out the entities in order, a run per thread.
    for (reach, told) in parts {
        counts.reach.extend(reach);
        add_into(&mut counts.told, &told);
    }
    counts
}

/// `total[i] += part[i]` for every i.
fn add_into(total: &mut [u64], part: &[u64]) {
    for (t, p) in total.iter_mut().zip(part) {
        *t += p;
    }
}

/// Sources per sweep of [`reach_counts_exact`]: 64 words of bits per entity.
const SWEEP: usize = 4096;

/// [`super::rank_reach`]'s counts on exact times, or `None` when some channel is
/// an interval.
///
/// Each entity carries, as bits, the set of sources whose information it
/// could hold; the channels are swept in time order, each second's group at
/// once: without `strict`, closed whatever the order of its relays (a relay
/// in the same second passes it on); with `strict`, every sender as it was
/// before the second (a meeting's hub passes on what it got in its second).
/// A source joins its own set at its start (with `strict`, after its
/// second). Then each source's count is the number of other entities whose
/// set holds it, summed with bit-sliced counters.
fn reach_counts_exact(index: &Index, first: &[i64], options: &RankOptions) -> Option<Counts> {
    let c = index.channel_count();
    if !index.channels().all(|k| index.lo(k) == index.hi(k)) {
        return None;
    }
    let n = index.entity_count();
    let nodes = index.node_count();
    let until = options.until.unwrap_or(NO_UPPER);
    let start = |u: usize| match options.since {
        Some(t) => t,
        None => first[u],
    };
    // Groups of channels of one second, by `until`.
    let mut groups: Vec<(usize, usize)> = Vec::new();
    let lo = |k: usize| index.lo(ChannelId::at(k));
    let mut k = 0;
    while k < c && lo(k) <= until {
        let t = lo(k);
        let mut e = k + 1;
        while e < c && lo(e) == t {
            e += 1;
        }
        groups.push((k, e));
        k = e;
    }
    let sweeps = Sweeps {
        index,
        groups: &groups,
        n,
        nodes,
        start: &start,
        strict: options.strict,
    };
    let chunks: Vec<usize> = (0..n.div_ceil(SWEEP)).collect();
    let per_thread = chunks.len().div_ceil(threads()).max(1);
    let results = for_every_entity(
        chunks.len().div_ceil(per_thread),
        threads(),
        || (Vec::new(), vec![0u64; n]),
        |job, acc: &mut (Vec<u64>, Vec<u64>)| {
            for chunk in (job * per_thread)..((job + 1) * per_thread).min(chunks.len()) {
                acc.0.extend(sweeps.sweep(chunk * SWEEP, &mut acc.1));
            }
        },
    );
    let mut counts = Counts {
        reach: Vec::with_capacity(n),
        told: vec![0u64; n],
    };
    // The jobs hold the chunks in order, a run each.
    for (reach, told) in results {
        counts.reach.extend(reach);
        add_into(&mut counts.told, &told);
    }
    Some(counts)
}

/// What every sweep of [`reach_counts_exact`] shares.
struct Sweeps<'a> {
    index: &'a Index<'a>,
    /// The channels of each second, by `until`: `(first, end)`.
    groups: &'a [(usize, usize)],
    /// Entities.
    n: usize,
    /// Entities and hubs.
    nodes: usize,
    /// Each source's start.
    start: &'a (dyn Fn(usize) -> i64 + Sync),
    strict: bool,
}

/// Words of bits per entity in a sweep: one bit per source.
const W: usize = SWEEP / 64;

impl Sweeps<'_> {
    /// One sweep for the sources `base..base+SWEEP`: each one's count; adds
    /// to `told` how many of them could have told each entity.
    fn sweep(&self, base: usize, told: &mut [u64]) -> Vec<u64> {
        let count = SWEEP.min(self.n - base);
        let mut bits = vec![0u64; self.nodes * W];
        let mut sources: Vec<(i64, usize)> = (base..base + count)
            .map(|u| ((self.start)(u), u))
            .filter(|&(t, _)| t != NO_UPPER)
            .collect();
        sources.sort_unstable();
        let mut next = 0;
        let mut pending: Vec<u64> = Vec::new();
        for &(a, b) in self.groups {
            let t = self.index.lo(ChannelId::at(a));
            while next < sources.len()
                && (sources[next].0 < t || (!self.strict && sources[next].0 == t))
            {
                let (_, u) = sources[next];
                let i = u - base;
                bits[u * W + i / 64] |= 1 << (i % 64);
                next += 1;
            }
            if self.strict {
                self.second_strict(&mut bits, &mut pending, a..b);
            } else {
                self.second_closed(&mut bits, a..b);
            }
        }
        told_counts(&bits, base, count, told);
        counts(&bits, base, count, self.n)
    }

    /// The sender of channel `k`, as a row.
    #[inline]
    fn from(&self, k: usize) -> usize {
        self.index.from(ChannelId::at(k)).index()
    }

    /// The receiver of channel `k`, as a row.
    #[inline]
    fn to(&self, k: usize) -> usize {
        self.index.to(ChannelId::at(k)).index()
    }

    /// Whether row `f` is a meeting's hub.
    #[inline]
    fn hub(&self, f: usize) -> bool {
        self.index.is_hub(NodeId::at(f))
    }

    /// The channels `second` of one second, strict: senders as they were
    /// before it; then the hubs, which pass on what they got in it.
    fn second_strict(&self, bits: &mut [u64], pending: &mut Vec<u64>, second: Range<usize>) {
        pending.clear();
        for k in second.clone() {
            let f = self.from(k);
            if !self.hub(f) {
                pending.extend_from_slice(&bits[f * W..(f + 1) * W]);
            }
        }
        let mut p = 0;
        for k in second.clone() {
            let (f, to) = (self.from(k), self.to(k));
            if !self.hub(f) {
                let row = &pending[p * W..(p + 1) * W];
                for (d, s) in bits[to * W..(to + 1) * W].iter_mut().zip(row) {
                    *d |= *s;
                }
                p += 1;
            }
        }
        for k in second {
            let (f, to) = (self.from(k), self.to(k));
            if self.hub(f) && f != to {
                or_into(bits, f, to);
            }
        }
    }

    /// The channels `second` of one second, closed: pass again while an
    /// entity that gained something sends on a channel of the second
    /// already passed over (in a large second, while anything changed).
    fn second_closed(&self, bits: &mut [u64], second: Range<usize>) {
        let (a, b) = (second.start, second.end);
        loop {
            let mut again = false;
            for k in a..b {
                let (f, to) = (self.from(k), self.to(k));
                if f != to && or_into(bits, f, to) {
                    again = again || b - a > 32 || (a..=k).any(|j| self.from(j) == to);
                }
            }
            if !again {
                break;
            }
        }
    }
}

/// Row `to` |= row `from` (two different rows); whether it changed.
/// Branch-free, so that it runs as vector instructions.
#[inline]
fn or_into(bits: &mut [u64], from: usize, to: usize) -> bool {
    let (src, dst) = if from < to {
        let (lo, hi) = bits.split_at_mut(to * W);
        (&lo[from * W..(from + 1) * W], &mut hi[..W])
    } else {
        let (lo, hi) = bits.split_at_mut(from * W);
        (&hi[..W], &mut lo[to * W..(to + 1) * W])
    };
    let mut diff = 0u64;
    for (d, s) in dst.iter_mut().zip(src) {
        let x = *d | *s;
        diff |= x ^ *d;
        *d = x;
    }
    diff != 0
}

/// Each of the `count` sources from `base` on: how many of the `n`
/// entities (itself left out) hold its bit, summed with bit-sliced
/// counters (plane j holds bit j of each source's count).
fn counts(bits: &[u64], base: usize, count: usize, n: usize) -> Vec<u64> {
    const PLANES: usize = 33;
    let mut planes = vec![0u64; W * PLANES];
    for v in 0..n {
        for w in 0..W {
            let mut carry = bits[v * W + w];
            let mut j = 0;
            while carry != 0 && j < PLANES {
                let plane = &mut planes[w * PLANES + j];
                let next_carry = *plane & carry;
                *plane ^= carry;
                carry = next_carry;
                j += 1;
            }
        }
    }
    (0..count)
        .map(|i| {
            let (w, b) = (i / 64, i % 64);
            let total: u64 = (0..PLANES)
                .map(|j| ((planes[w * PLANES + j] >> b) & 1) << j)
                .sum();
            // Itself, when it holds its own information.
            let own = (bits[(base + i) * W + w] >> b) & 1;
            total - own
        })
        .collect()
}

/// Adds to `told[v]`, for each of the `told.len()` entities, how many of
/// the `count` sources from `base` (itself left out) could have told it:
/// the bits its row holds.
fn told_counts(bits: &[u64], base: usize, count: usize, told: &mut [u64]) {
    for (v, t) in told.iter_mut().enumerate() {
        let row = &bits[v * W..(v + 1) * W];
        let held: u32 = row.iter().map(|w| w.count_ones()).sum();
        let own = (base..base + count).contains(&v) && {
            let i = v - base;
            (row[i / 64] >> (i % 64)) & 1 == 1
        };
        *t += u64::from(held) - u64::from(own);
    }
}
