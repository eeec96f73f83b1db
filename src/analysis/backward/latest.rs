//! `latest` per node for one target: a reverse label-setting pass over
//! intervals (a max-heap on `latest`), or one reverse scan of the
//! time-sorted channels when every channel is one exact second.

use std::collections::BinaryHeap;
use std::sync::OnceLock;

use crate::analysis::reach::NO_UPPER;
use crate::catalog::{certainty_bits, ChannelId, NodeId};
use crate::index::Index;
use crate::model::Certainty;

/// Could not tell the target in time.
pub(super) const UNREACHED: i64 = i64::MIN;

/// `t` minus one second in strict mode; "no upper bound" stays unbounded.
#[inline]
pub(super) fn before(t: i64, strict: bool) -> i64 {
    if strict && t != NO_UPPER {
        t.saturating_sub(1)
    } else {
        t
    }
}

/// The latest time `u` can first hold the information and still use
/// channel `c` to a receiver whose own latest is `lv`: `None` when the
/// channel cannot be used in time. The channel is used at
/// `min(hi, lv)`, which must be at or after its `lo`; its sender must hold
/// the information by then (strict: a second before; a meeting's hub passes
/// it on within its event).
#[inline]
pub(super) fn through(index: &Index, c: ChannelId, lv: i64, strict: bool) -> Option<i64> {
    if lv == UNREACHED {
        return None;
    }
    let used = index.hi(c).min(lv);
    if used < index.lo(c) {
        return None;
    }
    Some(if index.is_hub(index.from(c)) {
        used
    } else {
        before(used, strict)
    })
}

/// Channels by receiver, in channel order.
#[derive(Debug, Default)]
pub(super) struct Incoming {
    start: Vec<u32>,
    list: Vec<ChannelId>,
}

impl Incoming {
    fn new(index: &Index) -> Incoming {
        let n = index.node_count();
        let mut start = vec![0u32; n + 1];
        for &t in index.to.iter() {
            start[t as usize + 1] += 1;
        }
        for i in 0..n {
            start[i + 1] += start[i];
        }
        let mut fill = start.clone();
        let mut list = vec![ChannelId(0); index.channel_count()];
        for (c, &t) in index.to.iter().enumerate() {
            list[fill[t as usize] as usize] = ChannelId::at(c);
            fill[t as usize] += 1;
        }
        Incoming { start, list }
    }

    /// The channels into `v`, ascending.
    pub(super) fn of(&self, v: NodeId) -> &[ChannelId] {
        &self.list[self.start[v.index()] as usize..self.start[v.index() + 1] as usize]
    }
}

/// An index with the reverse adjacency the interval pass and the paths
/// need, built on first use.
pub(super) struct Reverse<'i, 'a> {
    pub(super) index: &'i Index<'a>,
    pub(super) strict: bool,
    incoming: OnceLock<Incoming>,
}

impl<'i, 'a> Reverse<'i, 'a> {
    pub(super) fn new(index: &'i Index<'a>, strict: bool) -> Self {
        Reverse {
            index,
            strict,
            incoming: OnceLock::new(),
        }
    }

    pub(super) fn incoming(&self) -> &Incoming {
        self.incoming.get_or_init(|| Incoming::new(self.index))
    }

    /// `latest` per node for target `target` by `until` (`None`: no
    /// bound), on channels of certainty at least `min`: [`UNREACHED`] for
    /// a node that cannot get the information to the target in time,
    /// [`NO_UPPER`] for no bound.
    ///
    /// Complexity: O(c) on exact times (one scan, plus O(g log g) for a
    /// second of g channels that relays inside itself); O(c + n log n)
    /// with intervals.
    pub(super) fn latest(&self, target: NodeId, until: Option<i64>, min: Certainty) -> Vec<i64> {
        if let Some(l) = self.latest_exact(target, until, min) {
            return l;
        }
        let index = self.index;
        let n = index.node_count();
        let mut lat = vec![UNREACHED; n];
        let mut done = vec![false; n];
        let mut heap = BinaryHeap::new();
        let t = until.unwrap_or(NO_UPPER);
        lat[target.index()] = t;
        heap.push((t, target));
        let incoming = self.incoming();
        while let Some((l, v)) = heap.pop() {
            if done[v.index()] || l != lat[v.index()] {
                continue;
            }
            done[v.index()] = true;
            for &c in incoming.of(v) {
                if index.certainty(c) < min {
                    continue;
                }
                let Some(cand) = through(index, c, l, self.strict) else {
                    continue;
                };
                let u = index.from(c);
                if cand > lat[u.index()] {
                    lat[u.index()] = cand;
                    heap.push((cand, u));
                }
            }
        }
        lat
    }

    /// The exact-time pass: channels in descending time order; the first
    /// value a node gets is its latest (later seconds come first). Inside a
    /// second a node that got the value of that second (not strict, or a
    /// meeting's hub) can relay to others of the same second, in any
    /// order: the second is then closed by a search from those nodes.
    /// `None` when the index is not exact.
    fn latest_exact(&self, target: NodeId, until: Option<i64>, min: Certainty) -> Option<Vec<i64>> {
        let (base, offset) = self.index.exact_times()?;
        let index = self.index;
        let (from, to, flags) = (&index.from[..], &index.to[..], index.flags());
        let minb = certainty_bits(min);
        let kept = |c: usize| flags[c] & 0b11 >= minb;
        let hub0 = index.entity_count() as u32;
        let strict = self.strict;
        let n = index.node_count();
        let mut lat = vec![UNREACHED; n];
        let t_end = until.unwrap_or(NO_UPPER);
        lat[target.index()] = t_end;
        // Who has a `latest`, one bit each: a channel whose sender has one
        // already (set at a later second, so final) or whose receiver has
        // none is answered from these bits, which stay in the cache that
        // `lat` would not fit.
        let mut told = vec![0u64; n.div_ceil(64)];
        let has = |bits: &[u64], v: u32| bits[v as usize >> 6] & (1 << (v & 63)) != 0;
        let set = |bits: &mut [u64], v: u32| bits[v as usize >> 6] |= 1 << (v & 63);
        set(&mut told, target.index() as u32);
        let mut k = offset.partition_point(|&o| base + i64::from(o) <= t_end);
        let mut relays: Vec<u32> = Vec::new();
        let mut group: Vec<(u32, u32)> = Vec::new();
        while k > 0 {
            let o = offset[k - 1];
            let mut g0 = k - 1;
            while g0 > 0 && offset[g0 - 1] == o {
                g0 -= 1;
            }
            let t = base + i64::from(o);
            let value = |u: u32| if u >= hub0 { t } else { before(t, strict) };
            relays.clear();
            for c in g0..k {
                let u = from[c];
                if has(&told, u) || !has(&told, to[c]) || !kept(c) || lat[to[c] as usize] < t {
                    continue;
                }
                let val = value(u);
                lat[u as usize] = val;
                set(&mut told, u);
                if val == t {
                    relays.push(u);
                }
            }
            if !relays.is_empty() && k - g0 > 1 {
                // Close the second: the channels into each new relay.
                group.clear();
                group.extend((g0..k).filter(|&c| kept(c)).map(|c| (to[c], from[c])));
                group.sort_unstable();
                while let Some(x) = relays.pop() {
                    let a = group.partition_point(|&(v, _)| v < x);
                    for &(_, u) in group[a..].iter().take_while(|&&(v, _)| v == x) {
                        if !has(&told, u) {
                            let val = value(u);
                            lat[u as usize] = val;
                            set(&mut told, u);
                            if val == t {
                                relays.push(u);
                            }
                        }
                    }
                }
            }
            k = g0;
        }
        Some(lat)
    }
}
