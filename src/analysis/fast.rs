//! The exact-time fast path: one linear pass over time-sorted channels.
//!
//! When every channel is one exact second, earliest arrival needs no priority
//! queue: scan the channels in time order from the start time; a channel at
//! second `t` from `u` delivers at `t` when `u` held the information by `t`
//! (strict: by `t - 1`). Channels of the same second can relay to each other in
//! non-strict mode, in any file order, so each same-second group is closed
//! before moving on: small groups by re-scanning until nothing changes, large
//! ones by a breadth-first search inside the group.

use super::reach::{ReachQuery, NO_LOWER, NO_UPPER};
use crate::index::Index;
use crate::model::Certainty;

/// Groups up to this size are closed by re-scanning; larger ones by BFS.
const RESCAN_LIMIT: usize = 16;

/// Earliest arrival on an exact-time index (`NO_UPPER` when not reached).
///
/// # Complexity
/// O(log c) to find the start, then O(k) for the k channels after it (plus
/// O(g log g) for each same-second group of g > 16 channels).
pub fn earliest_exact(index: &Index, query: &ReachQuery, min: Certainty) -> Vec<i64> {
    let n = index.entity_count();
    let mut arr = vec![NO_UPPER; n];
    let t0 = query.start.unwrap_or(NO_LOWER);
    arr[query.source as usize] = t0;
    let lo = &index.lo;
    let (from, to, cert) = (&index.from, &index.to, &index.certainty);
    let filter = min > Certainty::Unknown;
    let first = lo.partition_point(|&t| if query.strict { t <= t0 } else { t < t0 });
    if query.strict {
        // No relays inside one second: a plain scan is exact.
        for c in first..lo.len() {
            let t = lo[c];
            if filter && cert[c] < min {
                continue;
            }
            let u = from[c] as usize;
            if arr[u] < t {
                let v = to[c] as usize;
                if t < arr[v] {
                    arr[v] = t;
                }
            }
        }
        return arr;
    }
    let mut scratch: Vec<(u32, u32)> = Vec::new();
    let mut queue: Vec<u32> = Vec::new();
    let mut c = first;
    let end = lo.len();
    while c < end {
        let t = lo[c];
        let mut g_end = c + 1;
        while g_end < end && lo[g_end] == t {
            g_end += 1;
        }
        if g_end - c == 1 {
            if !(filter && cert[c] < min) && arr[from[c] as usize] <= t {
                let v = to[c] as usize;
                if t < arr[v] {
                    arr[v] = t;
                }
            }
        } else if g_end - c <= RESCAN_LIMIT {
            loop {
                let mut changed = false;
                for k in c..g_end {
                    if (filter && cert[k] < min) || arr[from[k] as usize] > t {
                        continue;
                    }
                    let v = to[k] as usize;
                    if t < arr[v] {
                        arr[v] = t;
                        changed = true;
                    }
                }
                if !changed {
                    break;
                }
            }
        } else {
            close_group(index, c, g_end, t, min, &mut arr, &mut scratch, &mut queue);
        }
        c = g_end;
    }
    arr
}

#[allow(clippy::too_many_arguments)]
fn close_group(
    index: &Index,
    start: usize,
    end: usize,
    t: i64,
    min: Certainty,
    arr: &mut [i64],
    scratch: &mut Vec<(u32, u32)>,
    queue: &mut Vec<u32>,
) {
    scratch.clear();
    queue.clear();
    for k in start..end {
        if index.certainty[k] >= min {
            scratch.push((index.from[k], index.to[k]));
        }
    }
    scratch.sort_unstable();
    let mut last = u32::MAX;
    for &(u, _) in scratch.iter() {
        if u != last && arr[u as usize] <= t {
            queue.push(u);
        }
        last = u;
    }
    while let Some(u) = queue.pop() {
        let first = scratch.partition_point(|&(a, _)| a < u);
        for &(a, v) in &scratch[first..] {
            if a != u {
                break;
            }
            if t < arr[v as usize] {
                arr[v as usize] = t;
                queue.push(v);
            }
        }
    }
}
