//! Definite arrival on exact times.

use super::paths::scan_closed;
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
