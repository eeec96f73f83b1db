//! Earliest arrival: one scan in time order, 64 channels at a time, closing
//! a second only when a relay inside it was hidden by the file order.

use super::{encode_start, first_channel, has, set, Scan, NONE, SMALL_GROUP, UNREACHED};
use crate::analysis::reach::{ReachQuery, NO_LOWER, NO_UPPER};
use crate::index::Index;
use crate::model::Certainty;

/// Earliest arrival on an exact-time index (`NO_UPPER` when not reached);
/// `None` when the index is not exact.
///
/// # Arguments
/// `index` and `query` as for [`crate::analysis::reach::earliest_arrival`]; only channels
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
    let src = query.source.index();
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

impl Scan<'_> {
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
                        let found = Found {
                            arr: &mut *arr,
                            passed: &mut passed,
                            reached: &mut *reached,
                        };
                        let last = closer.close(self, FILTER, k, found);
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

/// What the non-strict scan has found so far, as [`Closer::close`] updates
/// it.
struct Found<'s> {
    /// Encoded earliest arrival per node.
    arr: &'s mut [u32],
    /// Per sender: the second it was last passed over in (not yet holding
    /// the information).
    passed: &'s mut [u32],
    /// Who is reached, one bit each.
    reached: &'s mut [u64],
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

/// Closures of one second before the whole second is closed at once.
const CLOSE_LIMIT: u32 = 8;

impl Closer {
    /// Channel `c` (second `e`) just delivered to an entity that was passed
    /// over earlier in the same second: deliver every channel of this second
    /// up to `c` that can now be used, until nothing changes. After
    /// `CLOSE_LIMIT` such closures in one second, the whole second is closed
    /// at once and the scan goes on after it. Returns the channel the scan
    /// goes on after.
    fn close(&mut self, scan: &Scan<'_>, filter: bool, c: usize, found: Found<'_>) -> usize {
        let Found {
            arr,
            passed,
            reached,
        } = found;
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
