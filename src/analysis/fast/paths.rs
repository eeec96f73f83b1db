//! Earliest arrival and its chain, the chains forming a tree: one
//! (arrival, hops) label per entity, made in the same time-ordered scan.

use super::{encode_start, first_channel, Scan, NONE, SMALL_GROUP, UNREACHED};
use crate::analysis::reach::{Paths, ReachQuery, NO_LOWER};
use crate::catalog::{ChannelId, NodeId};
use crate::index::Index;
use crate::model::Certainty;

/// One channel looked at by a scan: `relax(k)` returns the entity whose
/// value improved, when its channels of that second must be looked at again.
pub(super) trait Relax {
    fn relax(&mut self, k: usize) -> Option<u32>;
}

impl<F: FnMut(usize) -> Option<u32>> Relax for F {
    #[inline(always)]
    fn relax(&mut self, k: usize) -> Option<u32> {
        self(k)
    }
}

/// The state of [`earliest_paths_exact`]'s scan.
struct PathScan<'a> {
    /// The channels (the same as earliest arrival's).
    ch: Scan<'a>,
    filter: bool,
    strict: bool,
    src: usize,
    labels: Vec<Label>,
    heads: Vec<Head>,
    first_label: Vec<u32>,
}

impl Relax for PathScan<'_> {
    /// `sent`: an entity improved in a second in which it had not sent yet
    /// needs no closing of that second (its channels come later in the
    /// scan).
    #[inline(always)]
    fn relax(&mut self, k: usize) -> Option<u32> {
        if self.filter && self.ch.flags[k] & 0b11 < self.ch.minb {
            return None;
        }
        let u = self.ch.from[k] as usize;
        let e = self.ch.offset[k] + 1;
        let hu = &mut self.heads[u];
        hu.sent = e;
        let (l, lh) = (hu.label, hu.hops);
        if l == NONE {
            return None;
        }
        // Strict: an entity's only label is its earliest arrival, not usable
        // in its own second; a hub passes it on in its own second.
        if self.strict && hu.time >= e && (u as u32) < self.ch.hub0 {
            return None;
        }
        let to = self.ch.to[k];
        let v = to as usize;
        if v == self.src {
            return None;
        }
        // Into a hub is half a hop: the hop counts out of it.
        let h = lh + u32::from(to < self.ch.hub0);
        let cur = self.heads[v];
        if cur.label != NONE {
            if cur.time == e {
                let slot = &mut self.labels[cur.label as usize];
                if h < cur.hops || (h == cur.hops && (k as u32) < slot.channel) {
                    slot.hops = h;
                    slot.channel = k as u32;
                    slot.parent = l;
                    self.heads[v].hops = h;
                    return (h < cur.hops && cur.sent == e).then_some(to);
                }
                return None;
            }
            // A later arrival never adds a label: the chains form a tree
            // over earliest arrivals.
            return None;
        } else {
            self.first_label[v] = self.labels.len() as u32;
        }
        let id = self.labels.len() as u32;
        self.labels.push(Label {
            time: e,
            hops: h,
            channel: k as u32,
            parent: l,
        });
        self.heads[v] = Head {
            time: e,
            hops: h,
            label: id,
            sent: cur.sent,
        };
        (cur.sent == e).then_some(to)
    }
}

/// Runs `relax` over the channels `first..` in time order, closing every
/// same-second group when `close` is set: `relax(k)` returns the entity whose
/// value improved (so the channels it sends in that second are relaxed again).
pub(super) fn scan_closed<R: Relax>(
    offset: &[u32],
    from: &[u32],
    first: usize,
    close: bool,
    r: &mut R,
) {
    let mut relax = |k: usize| r.relax(k);
    let end = offset.len();
    let mut touched: Vec<u32> = Vec::new();
    let mut scratch: Vec<(u32, u32)> = Vec::new();
    let mut c = first;
    while c < end {
        let o = offset[c];
        if !close || c + 1 == end || offset[c + 1] != o {
            relax(c);
            c += 1;
            continue;
        }
        let mut g = c + 2;
        while g < end && offset[g] == o {
            g += 1;
        }
        touched.clear();
        for k in c..g {
            if let Some(v) = relax(k) {
                touched.push(v);
            }
        }
        if !touched.is_empty() {
            if g - c <= SMALL_GROUP {
                loop {
                    let mut changed = false;
                    for k in c..g {
                        changed |= relax(k).is_some();
                    }
                    if !changed {
                        break;
                    }
                }
            } else {
                scratch.clear();
                scratch.extend((c..g).map(|k| (from[k], k as u32)));
                scratch.sort_unstable();
                while let Some(u) = touched.pop() {
                    let start = scratch.partition_point(|&(a, _)| a < u);
                    for &(a, k) in &scratch[start..] {
                        if a != u {
                            break;
                        }
                        if let Some(v) = relax(k as usize) {
                            touched.push(v);
                        }
                    }
                }
            }
        }
        c = g;
    }
}

/// An entity's last label, as [`earliest_paths_exact`] scans.
#[derive(Debug, Clone, Copy)]
struct Head {
    /// Encoded arrival time of the last label (`UNREACHED`: none).
    time: u32,
    /// Its hops.
    hops: u32,
    /// Its number (`NONE`: none).
    label: u32,
    /// The last second in which one of the entity's channels was looked at.
    sent: u32,
}

/// An entity's (arrival, hops) label: its earliest arrival and its chain.
#[derive(Debug, Clone, Copy)]
struct Label {
    /// Encoded arrival time.
    time: u32,
    /// Hops from the source.
    hops: u32,
    /// The channel that delivered it (`NONE` for the source).
    channel: u32,
    /// The sender's label it extends.
    parent: u32,
}

/// Earliest arrival on an exact-time index, with one chain per entity as a
/// [`Paths`] tree; `None` when the index is not exact.
///
/// Gives the same answer as [`crate::analysis::reach::earliest_paths`] (ties between
/// chains of equal arrival and hops go to the smallest channel number of the
/// last hop, recursively), in one pass.
///
/// # How
/// Each entity has at most one label, its earliest arrival. Scanning channels
/// in time order, a channel at second `t` from `u` to `v` extends `u`'s label
/// (strict: only a label from before `t`) by one hop; it becomes `v`'s label
/// when `v` has none, or replaces `v`'s label of the same second when it has
/// fewer hops or equal hops through a smaller channel. A later arrival never
/// adds a label, so an entity's chain is its sender's chain and one hop (the
/// chains form a tree). Same-second groups are closed (relaxed again from
/// every entity whose label improved) in non-strict mode; in strict mode a
/// label is never used in its own second. Following parent labels gives an
/// entity's chain.
///
/// # Complexity
/// O(log c + k) for the k channels after the start, plus the closure of
/// same-second groups. Memory: 16 bytes per label (at most one per entity)
/// and 16 bytes per entity.
pub fn earliest_paths_exact(index: &Index, query: &ReachQuery, min: Certainty) -> Option<Paths> {
    let (base, offset) = index.exact_times()?;
    let n = index.node_count();
    let src = query.source.index();
    if src >= n {
        return Some(Paths::new(n));
    }
    let enc0 = encode_start(query.start, base);
    let strict = query.strict;
    let filter = min > Certainty::Unknown;
    let labels: Vec<Label> = vec![Label {
        time: enc0,
        hops: 0,
        channel: NONE,
        parent: NONE,
    }];
    // Per entity, its last label's time, hops and number side by side with
    // the last second it sent in: the scan reads one small record per end
    // of a channel and touches the labels only to add one.
    let mut heads = vec![
        Head {
            time: UNREACHED,
            hops: 0,
            label: NONE,
            sent: 0,
        };
        n
    ];
    heads[src] = Head {
        time: enc0,
        hops: 0,
        label: 0,
        sent: 0,
    };
    let mut first_label = vec![NONE; n];
    first_label[src] = 0;
    let first = first_channel(offset, enc0, strict);
    let mut scan = PathScan {
        ch: Scan::new(index, offset, min, first),
        filter,
        strict,
        src,
        labels,
        heads,
        first_label,
    };
    scan_closed(offset, &index.from, first, !strict, &mut scan);
    let PathScan {
        labels,
        heads,
        first_label,
        ..
    } = scan;
    drop(heads);
    let t0 = query.start.unwrap_or(NO_LOWER);
    let mut out = Paths::new(n);
    for l in &labels {
        out.push_label(l.parent, ChannelId(l.channel));
    }
    for (v, &fl) in first_label.iter().enumerate() {
        if fl == NONE {
            continue;
        }
        let label = labels[fl as usize];
        let time = if v == src {
            t0
        } else {
            base + i64::from(label.time) - 1
        };
        out.settle(NodeId::at(v), time, label.hops, fl);
    }
    Some(out)
}
