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
    ///
    /// Channels are read 64 at a time: a mask made without branches keeps
    /// those whose sender has no `latest` yet (a bit per node says so; the
    /// bits only grow, so a channel left out cannot matter), and only those
    /// are looked at one by one, as the forward scan does.
    fn latest_exact(&self, target: NodeId, until: Option<i64>, min: Certainty) -> Option<Vec<i64>> {
        let (base, offset) = self.index.exact_times()?;
        let n = self.index.node_count();
        let mut scan = ReverseScan {
            index: self.index,
            offset,
            base,
            minb: certainty_bits(min),
            strict: self.strict,
            hub0: self.index.entity_count() as u32,
            lat: vec![UNREACHED; n],
            told: vec![0u64; n.div_ceil(64)],
            relays: Vec::new(),
            group: Vec::new(),
            early: Vec::new(),
            early_at: 0,
        };
        let t_end = until.unwrap_or(NO_UPPER);
        scan.give(target.index() as u32, t_end);
        let end = offset.partition_point(|&o| base + i64::from(o) <= t_end);
        if scan.minb > 0 {
            scan.run::<true>(end);
        } else {
            scan.run::<false>(end);
        }
        Some(scan.lat)
    }
}

/// The state of [`Reverse::latest_exact`]'s scan.
struct ReverseScan<'i, 'a> {
    index: &'i Index<'a>,
    offset: &'i [u32],
    base: i64,
    minb: u8,
    strict: bool,
    /// The first hub's node number (the catalog's count, asked once).
    hub0: u32,
    lat: Vec<i64>,
    /// One bit per node: it has a `latest`.
    told: Vec<u64>,
    /// Nodes that got the value of the second being read (they can relay
    /// inside it).
    relays: Vec<u32>,
    group: Vec<(u32, u32)>,
    /// Strict: the nodes given a `latest` a second before `early_at` while
    /// that second is read (channels of that second into them cannot be
    /// used). A `latest` given at a later second is at or after any time
    /// still to be read, so the 8-byte `lat` (a cache miss) need not be
    /// read for it.
    early: Vec<u32>,
    early_at: u32,
}

/// Nodes [`ReverseScan::early`] is searched for; past them `lat` is read.
const EARLY_LIST: usize = 16;

impl ReverseScan<'_, '_> {
    fn has(&self, v: u32) -> bool {
        self.told[v as usize >> 6] & (1 << (v & 63)) != 0
    }

    fn give(&mut self, v: u32, value: i64) {
        self.lat[v as usize] = value;
        self.told[v as usize >> 6] |= 1 << (v & 63);
    }

    /// Reads channels `0..end` from the last down.
    fn run<const FILTER: bool>(&mut self, end: usize) {
        let (from, flags) = (&self.index.from[..], self.index.flags());
        // The second whose relays are pending, and its channels' end.
        let mut pending: Option<(u32, usize)> = None;
        let mut k = end;
        while k > 0 {
            let lo = k.saturating_sub(64);
            let mut mask = 0u64;
            for (i, (&u, &f)) in from[lo..k].iter().zip(&flags[lo..k]).enumerate() {
                let open = !self.has(u) & (!FILTER || f & 0b11 >= self.minb);
                mask |= u64::from(open) << i;
            }
            while mask != 0 {
                let i = 63 - mask.leading_zeros() as usize;
                mask &= !(1u64 << i);
                let c = lo + i;
                if let Some((p, p_end)) = pending {
                    if p != self.offset[c] {
                        self.close(p, p_end);
                        pending = None;
                    }
                }
                if self.channel(c) && pending.is_none() {
                    let o = self.offset[c];
                    pending = Some((o, self.group_end(c)));
                }
            }
            k = lo;
        }
        if let Some((p, p_end)) = pending {
            self.close(p, p_end);
        }
    }

    /// Channel `c`, whose sender had no `latest` when its block was read:
    /// gives the sender one if the receiver's allows; true when the sender
    /// can relay inside the second. Its second is read only when the
    /// receiver has a `latest` (most channels stop before).
    #[inline(always)]
    fn channel(&mut self, c: usize) -> bool {
        let (u, v) = (self.index.from[c], self.index.to[c]);
        if !self.has(v) || self.has(u) {
            return false;
        }
        let o = self.offset[c];
        let t = self.base + i64::from(o);
        if self.told_early(v, o, t) {
            return false;
        }
        let value = self.value(u, t);
        self.give(u, value);
        if value < t {
            if self.early_at != o {
                self.early.clear();
                self.early_at = o;
            }
            self.early.push(u);
        }
        if value == t {
            self.relays.push(u);
            return true;
        }
        false
    }

    /// Whether `v` was given its `latest` a second before `t` (second `o`,
    /// being read), so that it cannot use a channel at `t`: only in strict
    /// mode (see [`ReverseScan::early`]).
    #[inline]
    fn told_early(&self, v: u32, o: u32, t: i64) -> bool {
        if self.early.is_empty() || self.early_at != o {
            return false;
        }
        if self.early.len() > EARLY_LIST {
            self.lat[v as usize] < t
        } else {
            self.early.contains(&v)
        }
    }

    /// What a sender gets from a channel at `t`: `t` for a hub, else
    /// [`before`] it.
    fn value(&self, u: u32, t: i64) -> i64 {
        if u >= self.hub0 {
            t
        } else {
            before(t, self.strict)
        }
    }

    /// One past the last channel of channel `c`'s second (a second holds
    /// a few channels: a walk, not a search of the whole index).
    fn group_end(&self, c: usize) -> usize {
        let o = self.offset[c];
        let mut e = c + 1;
        while e < self.offset.len() && self.offset[e] == o {
            e += 1;
        }
        e
    }

    /// Closes second `o` (its channels end at `g_end`): the channels into
    /// each node that got its value from senders without one.
    fn close(&mut self, o: u32, g_end: usize) {
        let mut g0 = g_end - 1;
        while g0 > 0 && self.offset[g0 - 1] == o {
            g0 -= 1;
        }
        if self.relays.is_empty() || g_end - g0 < 2 {
            self.relays.clear();
            return;
        }
        let t = self.base + i64::from(o);
        if g_end - g0 <= SMALL_SECOND {
            self.close_small(t, g0, g_end);
            return;
        }
        let (from, to, flags) = (&self.index.from[..], &self.index.to[..], self.index.flags());
        let minb = self.minb;
        let mut group = std::mem::take(&mut self.group);
        group.clear();
        group.extend(
            (g0..g_end)
                .filter(|&c| flags[c] & 0b11 >= minb)
                .map(|c| (to[c], from[c])),
        );
        group.sort_unstable();
        while let Some(x) = self.relays.pop() {
            let a = group.partition_point(|&(v, _)| v < x);
            for &(_, u) in group[a..].iter().take_while(|&&(v, _)| v == x) {
                if !self.has(u) {
                    let value = self.value(u, t);
                    self.give(u, value);
                    if value == t {
                        self.relays.push(u);
                    }
                }
            }
        }
        self.group = group;
    }

    /// [`Self::close`] for a second of at most [`SMALL_SECOND`] channels:
    /// each relay's channels found by a plain comparison, no sort.
    fn close_small(&mut self, t: i64, g0: usize, g_end: usize) {
        let (from, to, flags) = (&self.index.from[..], &self.index.to[..], self.index.flags());
        while let Some(x) = self.relays.pop() {
            for c in g0..g_end {
                let u = from[c];
                if to[c] != x || flags[c] & 0b11 < self.minb || self.has(u) {
                    continue;
                }
                let value = self.value(u, t);
                self.give(u, value);
                if value == t {
                    self.relays.push(u);
                }
            }
        }
    }
}

/// Channels in a second that [`ReverseScan::close`] searches without
/// sorting them.
const SMALL_SECOND: usize = 64;
