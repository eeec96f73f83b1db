//! The exact-time fast path: one linear pass over time-sorted channels.
//!
//! When every channel is one exact second ([`Index::is_exact`]), earliest arrival
//! needs no priority queue and no adjacency: binary-search the start time, then
//! scan the channels in time order; a channel at second `t` from `u` delivers
//! at `t` when `u` held the information by `t` (strict: by `t - 1`).
//!
//! Channels of the same second can relay to each other in non-strict mode, in
//! any file order, so each same-second group is *closed* before moving on: the
//! channels whose sender was not yet reached are kept aside, and when the
//! group reached someone new they are looked at again, by re-scanning for
//! small groups and by a search from the newly reached senders for large ones.
//! The answer never depends on the order of channels inside a second.
//!
//! The same pass, with a per-entity Pareto frontier of (arrival, hops) labels,
//! gives the earliest arrival with the fewest hops and its chain
//! ([`earliest_paths_exact`]), and with the definite-timing rule of the spec it
//! gives definite arrival ([`definite_exact`]). Each function returns `None`
//! when the index is not exact, so the caller falls back to the general
//! interval algorithms in [`mod@super::reach`], whose answers these equal (a
//! property test checks it).
//!
//! Times are handled as `u32` offsets from the index's base, encoded as
//! `offset + 1`, with `0` meaning "before every channel" (a start with no lower
//! bound, or before the first channel).

use super::reach::{add_contributor, brought_by_other, Paths, ReachQuery, NO_LOWER, NO_UPPER};
use crate::index::{certainty_bits, Index, CARRIES};
use crate::model::Certainty;

/// Not reached (encoded time).
const UNREACHED: u32 = u32::MAX;
/// No label / no channel.
const NONE: u32 = u32::MAX;
/// Same-second groups up to this size are closed by re-scanning; larger ones
/// by a search from the entities they newly reached.
const SMALL_GROUP: usize = 16;

/// The start time, encoded: `0` before every channel, `offset + 1` otherwise.
fn encode_start(t0: Option<i64>, base: i64) -> u32 {
    match t0 {
        None => 0,
        Some(t) if t < base => 0,
        Some(t) => {
            let off = t.saturating_sub(base).saturating_add(1);
            // Past every channel: nothing is delivered.
            u32::try_from(off)
                .unwrap_or(UNREACHED - 1)
                .min(UNREACHED - 1)
        }
    }
}

/// The first channel that can be used after a start at `enc0`.
fn first_channel(offset: &[u32], enc0: u32, strict: bool) -> usize {
    if strict {
        offset.partition_point(|&o| o < enc0)
    } else {
        offset.partition_point(|&o| o + 1 < enc0)
    }
}

/// Earliest arrival on an exact-time index (`NO_UPPER` when not reached);
/// `None` when the index is not exact.
///
/// # Arguments
/// `index` and `query` as for [`super::reach::earliest_arrival`]; only channels
/// of certainty at least `min` are followed.
///
/// # Complexity
/// O(log c) to find the start, then O(k) for the k channels after it, plus
/// O(g log g) for each same-second group of g > 16 channels that reached
/// someone new while some of its channels waited. No allocation besides the
/// answer (and scratch for such groups).
pub fn earliest_exact(index: &Index, query: &ReachQuery, min: Certainty) -> Option<Vec<i64>> {
    let (base, offset) = index.exact_times()?;
    let n = index.node_count();
    let src = query.source as usize;
    if src >= n {
        return Some(vec![NO_UPPER; n]);
    }
    let enc0 = encode_start(query.start, base);
    let mut arr = vec![UNREACHED; n];
    arr[src] = enc0;
    // Who is reached, one bit each (a hundred KB for a million entities:
    // it stays in the cache that the arrivals would not fit).
    let mut reached = vec![0u64; n.div_ceil(64)];
    set(&mut reached, src);
    let first = first_channel(offset, enc0, query.strict);
    let filter = min > Certainty::Unknown;
    let scan = Scan::new(index, offset, min, first);
    match (query.strict, filter) {
        (true, false) => scan.strict::<false>(&mut arr, &mut reached),
        (true, true) => scan.strict::<true>(&mut arr, &mut reached),
        (false, false) => scan.relaying::<false>(&mut arr, &mut reached),
        (false, true) => scan.relaying::<true>(&mut arr, &mut reached),
    }
    let t0 = query.start.unwrap_or(NO_LOWER);
    Some(
        arr.iter()
            .enumerate()
            .map(|(v, &a)| {
                if v == src {
                    t0
                } else if a == UNREACHED {
                    NO_UPPER
                } else {
                    base + i64::from(a) - 1
                }
            })
            .collect(),
    )
}

/// Channels looked at together: a mask of the block's channels that can
/// still matter is made without branches, and only those are looked at one
/// by one (once most entities are reached, a few in a block).
const BLOCK: usize = 64;

/// The channels of an exact-time earliest-arrival scan.
struct Scan<'a> {
    offset: &'a [u32],
    from: &'a [u32],
    to: &'a [u32],
    flags: &'a [u8],
    minb: u8,
    first: usize,
    hub0: u32,
}

impl<'a> Scan<'a> {
    /// The channels of `index` (exact times `offset`) from `first` on, of
    /// certainty at least `min`.
    fn new(index: &'a Index, offset: &'a [u32], min: Certainty, first: usize) -> Scan<'a> {
        Scan {
            offset,
            from: &index.from[..],
            to: &index.to[..],
            flags: index.flags(),
            minb: certainty_bits(min),
            first,
            hub0: index.entity_count() as u32,
        }
    }

    /// Whether channel `k` passes the certainty filter.
    #[inline(always)]
    fn kept<const FILTER: bool>(&self, k: usize) -> bool {
        !FILTER || self.flags[k] & 0b11 >= self.minb
    }

    /// Strict: no relays inside one second, so one plain scan is exact.
    /// Every arrival set so far is at or before the channel's second, so a
    /// receiver already reached cannot gain and a sender not reached cannot
    /// give: the bit set answers most channels alone. A channel matters only
    /// while its receiver is not reached, which the block's mask finds
    /// without a branch per channel.
    fn strict<const FILTER: bool>(&self, arr: &mut [u32], reached: &mut [u64]) {
        let end = self.offset.len();
        let mut c = self.first;
        while c < end {
            let stop = (c + BLOCK).min(end);
            let mut mask = 0u64;
            for (i, &v) in self.to[c..stop].iter().enumerate() {
                let open = !has(reached, v as usize) & self.kept::<FILTER>(c + i);
                mask |= u64::from(open) << i;
            }
            while mask != 0 {
                let k = c + mask.trailing_zeros() as usize;
                mask &= mask - 1;
                let u = self.from[k];
                let v = self.to[k] as usize;
                if !has(reached, u as usize) || has(reached, v) {
                    continue;
                }
                let e = self.offset[k] + 1;
                // A hub passes it on in its own second.
                let au = arr[u as usize];
                if au < e || (u >= self.hub0 && au == e) {
                    arr[v] = e;
                    set(reached, v);
                }
            }
            c = stop;
        }
    }

    /// Non-strict: channels of one second relay to each other in any file
    /// order. A delivery to an entity whose channel was passed over earlier
    /// in the same second (it did not hold the information yet) means a
    /// relay inside that second that the scan order hid: only then is the
    /// second closed. The channels passed over are found by looking back
    /// over the second's first `WINDOW` channels, and past those by the
    /// second marked per sender in `passed` (the mark is a scattered write,
    /// so it is kept for seconds that long). The block's mask skips the
    /// channels to someone already reached, which can do nothing.
    fn relaying<const FILTER: bool>(&self, arr: &mut [u32], reached: &mut [u64]) {
        let (offset, from, to) = (self.offset, self.from, self.to);
        let end = offset.len();
        let mut passed = vec![0u32; arr.len()];
        let mut closer = Closer::default();
        // The first channel of the second that holds channel `c - 1`.
        let mut carried = self.first;
        let mut c = self.first;
        'blocks: while c < end {
            let stop = (c + BLOCK).min(end);
            let mut mask = 0u64;
            // Bit `i` of `starts`: channel `c + i` starts a second.
            let mut starts = 0u64;
            // Only a channel to someone not yet reached can do anything: it
            // may deliver, or its sender, not reached, is passed over. (A
            // sender passed over on a channel to someone reached need not be
            // marked: looking at that channel again would give nothing.)
            let mut prev = if c > self.first {
                offset[c - 1]
            } else {
                u32::MAX
            };
            let ends = to[c..stop].iter().zip(&offset[c..stop]);
            for (i, (&v, &o)) in ends.enumerate() {
                starts |= u64::from(o != prev) << i;
                prev = o;
                let open = !has(reached, v as usize);
                mask |= u64::from(open & self.kept::<FILTER>(c + i)) << i;
            }
            while mask != 0 {
                let i = mask.trailing_zeros();
                mask &= mask - 1;
                let k = c + i as usize;
                let o = offset[k];
                // The second's first channel: the last start at or before `k`.
                let before = starts & (u64::MAX >> (63 - i));
                let g0 = if before == 0 {
                    carried
                } else {
                    c + 63 - before.leading_zeros() as usize
                };
                let u = from[k] as usize;
                if has(reached, u) {
                    let v = to[k] as usize;
                    if has(reached, v) {
                        continue;
                    }
                    let e = o + 1;
                    arr[v] = e;
                    set(reached, v);
                    let seen = &from[g0..k.min(g0 + WINDOW)];
                    // A mark is only made past the first `WINDOW` channels
                    // (reading it is a cache miss most of the time).
                    let marked = k - g0 > WINDOW && passed[v] == e;
                    if marked || seen.contains(&(v as u32)) {
                        let last = closer.close(self, FILTER, k, arr, &mut passed, reached);
                        // `last` is in `k`'s second.
                        carried = g0;
                        c = last + 1;
                        continue 'blocks;
                    }
                } else if k - g0 >= WINDOW {
                    passed[u] = o + 1;
                }
            }
            if starts != 0 {
                carried = c + 63 - starts.leading_zeros() as usize;
            }
            c = stop;
        }
    }
}

/// Closes a second of the non-strict earliest-arrival scan.
#[derive(Default)]
struct Closer {
    /// The second closed last, and how often.
    second: u32,
    times: u32,
    waiting: Vec<u32>,
    scratch: Vec<(u32, u32)>,
    queue: Vec<u32>,
}

/// Channels at the start of a second that the non-strict scan looks back
/// over for a sender passed over; later ones are marked per sender.
const WINDOW: usize = 64;

/// Whether bit `v` is set.
#[inline(always)]
fn has(bits: &[u64], v: usize) -> bool {
    bits[v >> 6] >> (v & 63) & 1 != 0
}

/// Sets bit `v`.
#[inline(always)]
fn set(bits: &mut [u64], v: usize) {
    bits[v >> 6] |= 1 << (v & 63);
}

/// Closures of one second before the whole second is closed at once.
const CLOSE_LIMIT: u32 = 8;

impl Closer {
    /// Channel `c` (second `e`) just delivered to an entity that was passed
    /// over earlier in the same second: deliver every channel of this second
    /// up to `c` that can now be used, until nothing changes. After
    /// `CLOSE_LIMIT` such closures in one second, the whole second is closed
    /// at once and the scan goes on after it. Returns the channel the scan
    /// goes on after.
    #[allow(clippy::too_many_arguments)]
    fn close(
        &mut self,
        scan: &Scan<'_>,
        filter: bool,
        c: usize,
        arr: &mut [u32],
        passed: &mut [u32],
        reached: &mut [u64],
    ) -> usize {
        let (offset, from, to, flags) = (scan.offset, scan.from, scan.to, scan.flags);
        let (minb, first) = (scan.minb, scan.first);
        let o = offset[c];
        let e = o + 1;
        if self.second != e {
            self.second = e;
            self.times = 0;
        }
        self.times += 1;
        let mut start = c;
        while start > first && offset[start - 1] == o {
            start -= 1;
        }
        let mut stop = c + 1;
        if self.times > CLOSE_LIMIT {
            while stop < offset.len() && offset[stop] == o {
                stop += 1;
            }
        }
        self.waiting.clear();
        for k in start..stop {
            if filter && flags[k] & 0b11 < minb {
                continue;
            }
            if arr[from[k] as usize] > e || arr[to[k] as usize] > e {
                self.waiting.push(k as u32);
            }
        }
        if self.waiting.len() <= SMALL_GROUP {
            loop {
                let mut changed = false;
                self.waiting.retain(|&k| {
                    let k = k as usize;
                    let u = from[k] as usize;
                    if arr[u] > e {
                        passed[u] = e;
                        return true;
                    }
                    let v = to[k] as usize;
                    if e < arr[v] {
                        arr[v] = e;
                        set(reached, v);
                        changed = true;
                    }
                    false
                });
                if !changed || self.waiting.is_empty() {
                    return stop - 1;
                }
            }
        }
        self.scratch.clear();
        self.scratch.extend(
            self.waiting
                .iter()
                .map(|&k| (from[k as usize], to[k as usize])),
        );
        self.scratch.sort_unstable();
        self.queue.clear();
        let mut last = NONE;
        for &(u, _) in self.scratch.iter() {
            if u != last && arr[u as usize] <= e {
                self.queue.push(u);
            }
            last = u;
        }
        while let Some(u) = self.queue.pop() {
            let i = self.scratch.partition_point(|&(a, _)| a < u);
            for &(a, v) in &self.scratch[i..] {
                if a != u {
                    break;
                }
                if e < arr[v as usize] {
                    arr[v as usize] = e;
                    set(reached, v as usize);
                    self.queue.push(v);
                }
            }
        }
        // Senders still waiting were passed over in this second.
        for &(u, _) in self.scratch.iter() {
            if arr[u as usize] > e {
                passed[u as usize] = e;
            }
        }
        stop - 1
    }
}

/// One channel looked at by a scan: `relax(k)` returns the entity whose
/// value improved, when its channels of that second must be looked at again.
trait Relax {
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
        let (mut l, mut lh) = (hu.label, hu.hops);
        if l == NONE {
            return None;
        }
        // A hub passes it on in its own second.
        if self.strict && hu.time >= e && (u as u32) < self.ch.hub0 {
            l = self.labels[l as usize].prev;
            if l == NONE {
                return None;
            }
            lh = self.labels[l as usize].hops;
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
            if h >= cur.hops {
                return None;
            }
        } else {
            self.first_label[v] = self.labels.len() as u32;
        }
        let id = self.labels.len() as u32;
        self.labels.push(Label {
            time: e,
            hops: h,
            channel: k as u32,
            parent: l,
            prev: cur.label,
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
fn scan_closed<R: Relax>(offset: &[u32], from: &[u32], first: usize, close: bool, r: &mut R) {
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

/// One (arrival, hops) label of an entity's Pareto frontier.
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
    /// This entity's previous label (earlier, more hops).
    prev: u32,
}

/// Earliest arrival with fewest hops on an exact-time index, with one chain
/// per entity as a [`Paths`] forest; `None` when the index is not exact.
///
/// Gives the same answer as [`super::reach::earliest_paths`] (ties between
/// chains of equal arrival and hops go to the smallest channel number of the
/// last hop, recursively), in one pass.
///
/// # How
/// Each entity keeps a frontier of labels with strictly increasing arrival and
/// strictly decreasing hops. Scanning channels in time order, a channel at
/// second `t` from `u` to `v` extends `u`'s last label (strict: its last label
/// before `t`) by one hop; it becomes `v`'s new label when it has fewer hops
/// than `v`'s last one, or replaces `v`'s label of the same second when it has
/// fewer hops or equal hops through a smaller channel. Same-second groups are
/// closed (relaxed again from every entity whose label improved) in
/// non-strict mode; in strict mode a label is never used in its own second.
/// The first label of an entity is its earliest arrival, and following parent
/// labels gives its chain.
///
/// # Complexity
/// O(log c + k) for the k channels after the start, plus the closure of
/// same-second groups. Memory: 20
/// bytes per label (at most one per entity and hop count; a few per entity in
/// practice) and 8 bytes per entity.
pub fn earliest_paths_exact(index: &Index, query: &ReachQuery, min: Certainty) -> Option<Paths> {
    let (base, offset) = index.exact_times()?;
    let n = index.node_count();
    let src = query.source as usize;
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
        prev: NONE,
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
        out.push_label(l.parent, l.channel);
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
        out.settle(v as u32, time, label.hops, fl);
    }
    Some(out)
}

/// Passes of [`definite_exact`] before it hands over to the general algorithm.
const DEFINITE_PASSES: usize = 8;

/// Definite arrival on an exact-time index, as
/// [`super::reach::definite_arrival`]: `None` per entity when not definitely
/// reached, else the least time of a delivering channel; `None` as a whole
/// when the index is not exact (or, rarely, when chains of carrying channels
/// need more than a few passes: then the general algorithm answers).
///
/// On exact times a channel at `t` is definite-usable when it is possible (`t`
/// at or after, strict: after, its sender's earliest arrival) and either
/// ordered (`t` at or after, strict: after, its sender's definite time; always
/// for a source with no start) or carrying the message from a sender that is
/// definitely reached at all. The definite time it delivers is `t`, to the
/// source as to anyone (a chain back to the source lowers its time). Without carrying channels this is one
/// time-ordered pass, like earliest arrival; a carrying channel may use its
/// sender's definite time found later in the scan, so with carrying channels
/// the pass is repeated until nothing changes.
///
/// Exact times leave nothing to choose, so a possible chain is a definite
/// one: when the source's own hops follow the same rule for both (it has no
/// start, or its definite time is at or before its start) and no meeting's
/// hub is involved, every definite time is the earliest arrival, and only the
/// source's own time is looked for (a channel back to it). That is the usual
/// question on a corpus, answered without a pass of its own.
///
/// # Complexity
/// O(log c + k) per pass for the k channels after the start; O(n + k) with
/// no pass in the usual case above.
pub fn definite_exact(
    index: &Index,
    query: &ReachQuery,
    earliest: &[i64],
    min: Certainty,
) -> Option<Vec<Option<i64>>> {
    let (base, offset) = index.exact_times()?;
    let n = index.node_count();
    let src = query.source as usize;
    if src >= n {
        return Some(vec![None; n]);
    }
    let hub0 = index.entity_count() as u32;
    // Times encoded as the scan's: `0` before every channel, `offset + 1`
    // for a channel's second; `UNREACHED` for no earliest arrival and for no
    // definite time. Encoding keeps every comparison the rule makes.
    let enc = |t: i64| {
        if t == NO_UPPER {
            UNREACHED
        } else {
            encode_start(Some(t), base)
        }
    };
    let bound = query.source_held.bound();
    let strict = query.strict;
    let (from, to, flags) = (&index.from[..], &index.to[..], index.flags());
    let minb = certainty_bits(min);
    let filter = min > Certainty::Unknown;
    let first = first_channel(offset, encode_start(query.start, base), strict);
    // Exact times leave nothing to choose: a chain in time is in time
    // whatever the truth, so every sender's definite time is its earliest
    // arrival as soon as the source's own hops follow the same rule (no
    // start, or a definite time at or before the start) and no meeting's
    // hub asks who brought the information in. Then only the source's time
    // is left: lowered by a channel back to it.
    if !index.has_hubs() && query.start.is_none_or(|t0| bound <= t0) {
        let mut def: Vec<Option<i64>> = earliest
            .iter()
            .map(|&t| (t != NO_UPPER).then_some(t))
            .collect();
        let mut d = bound;
        for k in first..offset.len() {
            if to[k] as usize != src || (filter && flags[k] & 0b11 < minb) {
                continue;
            }
            let got = earliest[from[k] as usize];
            let t = base + i64::from(offset[k]);
            let in_time = if strict && got != NO_LOWER {
                t > got
            } else {
                t >= got
            };
            if got != NO_UPPER && in_time && t < d {
                d = t;
            }
        }
        def[src] = Some(d);
        return Some(def);
    }
    // Per entity: earliest arrival, definite time and the last second it
    // sent in, side by side (one cache line a look).
    let mut st: Vec<[u32; 3]> = earliest.iter().map(|&t| [enc(t), UNREACHED, 0]).collect();
    // Not known by any time: later than every channel, yet held.
    st[src][1] = if bound == NO_UPPER {
        UNREACHED - 1
    } else {
        enc(bound)
    };
    // Whether a chain back to the source lowered its definite time.
    let mut src_lowered = false;
    let mut contrib = if index.has_hubs() {
        vec![[NONE; 2]; n]
    } else {
        Vec::new()
    };
    // A source with no start held the information before any contact: its
    // hops are in time whatever its own definite time.
    let no_start = query.start.is_none();
    let carrying = index.any_carries();
    for _ in 0..DEFINITE_PASSES {
        let mut changed = false;
        scan_closed(offset, from, first, !strict || carrying, &mut |k: usize| {
            let f = flags[k];
            if filter && f & 0b11 < minb {
                return None;
            }
            let u = from[k] as usize;
            let e = offset[k] + 1;
            st[u][2] = e;
            let [earliest_u, d, _] = st[u];
            if d == UNREACHED {
                return None;
            }
            // Out of a hub: in time and ordered, as the event that brought
            // it in. Otherwise after the sender's earliest arrival (strict:
            // strictly after).
            let hub = from[k] >= hub0;
            if e < earliest_u || (strict && !hub && e == earliest_u) {
                return None;
            }
            let held = if u == src && no_start { 0 } else { d };
            let v = to[k] as usize;
            if hub {
                // From someone else than the receiver.
                if !brought_by_other(contrib[u], v as u32) {
                    return None;
                }
            } else if !(e > held || (!strict && e == held) || f & CARRIES != 0) {
                return None;
            }
            let added = to[k] >= hub0 && add_contributor(&mut contrib[v], u as u32);
            // An entity whose channels of this second were already looked
            // at has them looked at again.
            let again = (st[v][2] == e).then_some(v as u32);
            // The source too: a definite chain back to it lowers its time.
            if st[v][1] <= e {
                if added {
                    changed = true;
                    return again;
                }
                return None;
            }
            st[v][1] = e;
            src_lowered |= v == src;
            changed = true;
            again
        });
        if !carrying || !changed {
            return Some(
                st.iter()
                    .enumerate()
                    .map(|(v, s)| {
                        if v == src && !src_lowered {
                            Some(bound)
                        } else if s[1] == UNREACHED {
                            None
                        } else {
                            Some(base + i64::from(s[1]) - 1)
                        }
                    })
                    .collect(),
            );
        }
    }
    None
}
