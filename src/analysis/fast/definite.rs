//! Definite arrival on exact times.

use super::paths::{scan_closed, Relax};
use super::{encode_start, first_channel, NONE, UNREACHED};
use crate::analysis::reach::{add_contributor, brought_by_other, ReachQuery, NO_LOWER, NO_UPPER};
use crate::index::{certainty_bits, Index, CARRIES};
use crate::model::Certainty;

/// Passes of [`definite_exact`] before it hands over to the general algorithm.
const DEFINITE_PASSES: usize = 8;

/// Definite arrival on an exact-time index, as
/// [`crate::analysis::reach::definite_arrival`]: `None` per entity when not definitely
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
    let src = query.source.index();
    if src >= n {
        return Some(vec![None; n]);
    }
    let scan = Definite {
        index,
        query,
        earliest,
        base,
        offset,
        from: &index.from[..],
        to: &index.to[..],
        flags: index.flags(),
        minb: certainty_bits(min),
        filter: min > Certainty::Unknown,
        first: first_channel(offset, encode_start(query.start, base), query.strict),
        src,
        bound: query.source_held.bound(),
    };
    // Exact times leave nothing to choose: a chain in time is in time
    // whatever the truth, so every sender's definite time is its earliest
    // arrival as soon as the source's own hops follow the same rule (no
    // start, or a definite time at or before the start) and no meeting's
    // hub asks who brought the information in. Then only the source's time
    // is left: lowered by a channel back to it.
    if !index.has_hubs() && query.start.is_none_or(|t0| scan.bound <= t0) {
        return Some(scan.source_lowered());
    }
    scan.passes()
}

/// The question and the exact-time channels [`definite_exact`] scans.
struct Definite<'a> {
    index: &'a Index<'a>,
    query: &'a ReachQuery,
    earliest: &'a [i64],
    base: i64,
    offset: &'a [u32],
    from: &'a [u32],
    to: &'a [u32],
    flags: &'a [u8],
    minb: u8,
    filter: bool,
    /// The first channel after the start.
    first: usize,
    src: usize,
    /// The source's own definite time ([`crate::SourceHeld::bound`]).
    bound: i64,
}

impl Definite<'_> {
    /// Whether channel `k` passes the certainty filter.
    #[inline(always)]
    fn kept(&self, k: usize) -> bool {
        !self.filter || self.flags[k] & 0b11 >= self.minb
    }

    /// Every definite time is the earliest arrival but the source's, which
    /// a channel back to it in time lowers.
    fn source_lowered(&self) -> Vec<Option<i64>> {
        let (earliest, src, strict) = (self.earliest, self.src, self.query.strict);
        let mut def: Vec<Option<i64>> = earliest
            .iter()
            .map(|&t| (t != NO_UPPER).then_some(t))
            .collect();
        let mut d = self.bound;
        for k in self.first..self.offset.len() {
            if self.to[k] as usize != src || !self.kept(k) {
                continue;
            }
            let got = earliest[self.from[k] as usize];
            let t = self.base + i64::from(self.offset[k]);
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
        def
    }

    /// Times encoded as the scan's: `0` before every channel, `offset + 1`
    /// for a channel's second; `UNREACHED` for no earliest arrival and for
    /// no definite time. Encoding keeps every comparison the rule makes.
    fn encode(&self, t: i64) -> u32 {
        if t == NO_UPPER {
            UNREACHED
        } else {
            encode_start(Some(t), self.base)
        }
    }

    /// Scans until nothing changes (at most [`DEFINITE_PASSES`] times;
    /// `None` past that).
    fn passes(&self) -> Option<Vec<Option<i64>>> {
        let n = self.index.node_count();
        // Per entity: earliest arrival, definite time and the last second it
        // sent in, side by side (one cache line a look).
        let mut st: Vec<[u32; 3]> = self
            .earliest
            .iter()
            .map(|&t| [self.encode(t), UNREACHED, 0])
            .collect();
        // Not known by any time: later than every channel, yet held.
        st[self.src][1] = if self.bound == NO_UPPER {
            UNREACHED - 1
        } else {
            self.encode(self.bound)
        };
        let mut pass = Pass {
            scan: self,
            st,
            contrib: if self.index.has_hubs() {
                vec![[NONE; 2]; n]
            } else {
                Vec::new()
            },
            src_lowered: false,
            changed: false,
            hub0: self.index.entity_count() as u32,
        };
        let carrying = self.index.any_carries();
        let close = !self.query.strict || carrying;
        for _ in 0..DEFINITE_PASSES {
            pass.changed = false;
            scan_closed(self.offset, self.from, self.first, close, &mut pass);
            if !carrying || !pass.changed {
                return Some(pass.answer());
            }
        }
        None
    }
}

/// One pass of [`Definite::passes`] and what the passes found.
struct Pass<'s, 'a> {
    scan: &'s Definite<'a>,
    /// Per node: earliest arrival, definite time, last second it sent in.
    st: Vec<[u32; 3]>,
    /// Per meeting's hub: the first two who definitely brought it in.
    contrib: Vec<[u32; 2]>,
    /// Whether a chain back to the source lowered its definite time.
    src_lowered: bool,
    /// Whether this pass changed anything.
    changed: bool,
    /// The first hub's node number.
    hub0: u32,
}

impl Relax for Pass<'_, '_> {
    /// Channel `k`: its receiver's definite time when the channel is
    /// definite-usable; the receiver when its channels of this second must
    /// be looked at again.
    #[inline(always)]
    fn relax(&mut self, k: usize) -> Option<u32> {
        let s = self.scan;
        let strict = s.query.strict;
        let f = s.flags[k];
        if s.filter && f & 0b11 < s.minb {
            return None;
        }
        let u = s.from[k] as usize;
        let e = s.offset[k] + 1;
        self.st[u][2] = e;
        let [earliest_u, d, _] = self.st[u];
        if d == UNREACHED {
            return None;
        }
        // Out of a hub: in time and ordered, as the event that brought
        // it in. Otherwise after the sender's earliest arrival (strict:
        // strictly after).
        let hub = s.from[k] >= self.hub0;
        if e < earliest_u || (strict && !hub && e == earliest_u) {
            return None;
        }
        // A source with no start held the information before any contact:
        // its hops are in time whatever its own definite time.
        let held = if u == s.src && s.query.start.is_none() {
            0
        } else {
            d
        };
        let v = s.to[k] as usize;
        if hub {
            // From someone else than the receiver.
            if !brought_by_other(self.contrib[u], v as u32) {
                return None;
            }
        } else if !(e > held || (!strict && e == held) || f & CARRIES != 0) {
            return None;
        }
        let added = s.to[k] >= self.hub0 && add_contributor(&mut self.contrib[v], u as u32);
        // An entity whose channels of this second were already looked
        // at has them looked at again.
        let again = (self.st[v][2] == e).then_some(v as u32);
        // The source too: a definite chain back to it lowers its time.
        if self.st[v][1] <= e {
            if added {
                self.changed = true;
                return again;
            }
            return None;
        }
        self.st[v][1] = e;
        self.src_lowered |= v == s.src;
        self.changed = true;
        again
    }
}

impl Pass<'_, '_> {
    /// The definite times found.
    fn answer(&self) -> Vec<Option<i64>> {
        let s = self.scan;
        self.st
            .iter()
            .enumerate()
            .map(|(v, st)| {
                if v == s.src && !self.src_lowered {
                    Some(s.bound)
                } else if st[1] == UNREACHED {
                    None
                } else {
                    Some(s.base + i64::from(st[1]) - 1)
                }
            })
            .collect()
    }
}
