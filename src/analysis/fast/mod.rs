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
//! The same pass, with one (arrival, hops) label per entity, gives the
//! earliest arrival and its chain, the chains forming a tree
//! ([`earliest_paths_exact`]), and with the definite-timing rule of the spec it
//! gives definite arrival ([`definite_exact`]). Each function returns `None`
//! when the index is not exact, so the caller falls back to the general
//! interval algorithms in [`mod@super::reach`], whose answers these equal (a
//! property test checks it).
//!
//! Times are handled as `u32` offsets from the index's base, encoded as
//! `offset + 1`, with `0` meaning "before every channel" (a start with no lower
//! bound, or before the first channel).

mod definite;
mod earliest;
mod paths;

pub use definite::definite_exact;
pub use earliest::earliest_exact;
pub use paths::earliest_paths_exact;

use crate::index::{certainty_bits, Index};
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
}

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
