//! Time-respecting reachability with uncertain dates and evidence levels.
//!
//! The meaning is the "Reachability" section of the format spec:
//!
//! - **possible**: a chain of channels whose times can be chosen inside their
//!   intervals, each at or after (with `strict`, at least one second after) the
//!   time its sender got the information. `earliest` is the least such time.
//! - **definite**: a chain that is time-ordered whatever the true times are:
//!   each channel's `lo` is at or after (strict: after) the time by which its
//!   sender definitely held the information, or the channel carries the queried
//!   message. `definite_by` is the least `hi` of a delivering channel.
//!   A source with no start held the information since before any contact,
//!   so every hop from it is in time; and the source's own definite time is
//!   lowered when a definite chain brings the information back to it earlier.
//! - **evidence**: the strongest threshold at which the entity is reached at all.
//! - **path**: one earliest-arrival chain; the chains form a tree (an
//!   entity's chain is its `previous`'s followed by its `via`), with the
//!   fewest hops possible in such a tree; `via` is its last event,
//!   `previous` the entity that event came from, and
//!   `rests_on` the first event of the weakest certainty on the chain found at
//!   the `evidence` level.
//! - **until**: an optional time `T` that filters the answer to "by `T`?".
//!
//! `reached` is in causal order: the source first, then by `earliest` (no
//! lower bound first), hops and name, so every entity comes after the one it
//! came from (`previous`).
//!
//! Times are whole seconds. Inside this module and the exact-time pass ([`super::earliest_exact`] and the others),
//! [`NO_LOWER`] (`i64::MIN`) stands for "no lower bound" and [`NO_UPPER`]
//! (`i64::MAX`) for "no upper bound"; the query and the answer use `Option`
//! and [`SourceHeld`] instead.

use std::cmp::Reverse;
use std::collections::BinaryHeap;

use serde::{Serialize, Serializer};

use crate::catalog::{ChannelId, EntityId, Hop, NodeId};
use crate::index::{Index, Mode};
use crate::model::time::rfc3339;
use crate::model::Certainty;

mod json;
pub use json::{RowFields, RowValue};
#[cfg(feature = "parquet")]
mod given;
#[cfg(feature = "parquet")]
pub(crate) use given::{Given, GivenError, LevelPass};
mod paths;
mod rows;
pub use rows::{reach, reach_rows, ReachRows};

pub use paths::Paths;

#[doc(hidden)]
pub use crate::catalog::{NO_LOWER, NO_UPPER};
const NONE: u32 = u32::MAX;

/// By when the source definitely held the information: where its
/// `definite_by` starts (a definite chain back to it can still lower it).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SourceHeld {
    /// Since before any contact: contacts from an entity without `--since`
    /// (or with a `--since` open at its start). Every hop from the source is
    /// in time.
    Always,
    /// By this second: the end of the message's time, or the start of the
    /// `--since` time.
    By(i64),
    /// Not known by any time: a message whose time is open at its end, or
    /// has no time.
    Unknown,
}

impl SourceHeld {
    /// The bound as a time: [`NO_LOWER`] for always, [`NO_UPPER`] for unknown.
    pub(crate) fn bound(self) -> i64 {
        match self {
            SourceHeld::Always => NO_LOWER,
            SourceHeld::By(t) => t,
            SourceHeld::Unknown => NO_UPPER,
        }
    }
}

/// A reachability question, asked of an [`Index`].
///
/// Build one with [`ReachQuery::new`] and set the fields that differ, or
/// with [`crate::Query::compile`] from the user's words.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReachQuery {
    /// The entity that holds the information first.
    pub source: EntityId,
    /// When the source got it: `t0`. `None`: no lower bound; the source held
    /// it since before any contact, so every hop from it is in time for
    /// definite timing too, whatever `source_held` says.
    pub start: Option<i64>,
    /// By when the source definitely held it.
    pub source_held: SourceHeld,
    /// Each hop, the first included, at least one second after its sender's
    /// receipt.
    pub strict: bool,
    /// `--until T`: answer "reached by `T`?" (`T` in seconds, inclusive).
    /// `None`: no limit.
    pub until: Option<i64>,
    /// Fill [`Reached::path`]; `false` (`--no-paths`) leaves it out.
    pub paths: bool,
}

impl ReachQuery {
    /// Contacts from `source` since before any contact: no start, held
    /// always, not strict, no `until`, with paths.
    pub fn new(source: EntityId) -> ReachQuery {
        ReachQuery {
            source,
            start: None,
            source_held: SourceHeld::Always,
            strict: false,
            until: None,
            paths: true,
        }
    }

    /// The definite time the source's hops are ordered against: always when
    /// there is no start, else its own (possibly lowered) definite time `d`.
    #[inline]
    fn source_order(&self, d: i64) -> i64 {
        if self.start.is_none() {
            NO_LOWER
        } else {
            d
        }
    }
}

/// `possible` or `definite`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Timing {
    /// Time-ordered whatever the true times are.
    Definite,
    /// Only for some choice of times inside the intervals.
    Possible,
}

impl Timing {
    /// The word the JSON writes: `definite` or `possible`.
    pub fn as_str(self) -> &'static str {
        match self {
            Timing::Definite => "definite",
            Timing::Possible => "possible",
        }
    }
}

/// One reached entity.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Reached {
    /// Entity id.
    pub entity: String,
    /// Display name.
    pub name: String,
    /// Earliest possible time it holds the information (`None`: no lower bound).
    #[serde(serialize_with = "ser_time")]
    pub earliest: Option<i64>,
    /// Definite or only possible.
    pub timing: Timing,
    /// Earliest time by which it definitely holds it (`None`: only possible,
    /// or no upper bound known).
    #[serde(serialize_with = "ser_time")]
    pub definite_by: Option<i64>,
    /// Strongest threshold at which it is reached at all (by `until`, when
    /// given).
    pub evidence: Certainty,
    /// The weakest event of the chain found at the `evidence` level: the first
    /// event along that chain whose certainty equals `evidence`. `None` for
    /// the source and when `evidence` is confirmed.
    pub rests_on: Option<String>,
    /// The last event of `path` (`None` for the source).
    pub via: Option<String>,
    /// The entity id that last event came from (`None` for the source).
    pub previous: Option<String>,
    /// Event ids of one earliest-arrival chain, its `previous`'s followed by
    /// its `via` (the chains form a tree);
    /// `None` when the query asked for no paths ([`ReachQuery::paths`]).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub path: Option<Vec<String>>,
    /// Channel numbers of that chain in the index, a pass through a meeting's
    /// hub as two channels (read it with [`Reached::hops`]; filled even
    /// without paths).
    #[serde(skip)]
    pub path_channels: Vec<ChannelId>,
}

impl Reached {
    /// Display names along the chain, source first, this entity last
    /// (`index` is the one the answer came from).
    pub fn chain(&self, index: &Index) -> Vec<String> {
        let hops = index.hops_of(&self.path_channels);
        match hops.first() {
            None => vec![self.name.clone()],
            Some(first) => std::iter::once(first.from)
                .chain(hops.iter().map(|hop| hop.to))
                .map(|u| index.entity_name(u).to_string())
                .collect(),
        }
    }

    /// The hops of the chain ([`Index::hops_of`]).
    pub fn hops(&self, index: &Index) -> Vec<Hop> {
        index.hops_of(&self.path_channels)
    }
}

/// The question as every answer echoes it: `reach`, `path` and `critical`
/// write these seven fields, in this order, before their own.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Asked {
    /// Source entity id.
    pub source: String,
    /// Traced message id, if any.
    pub message: Option<String>,
    /// message or contacts.
    pub mode: Mode,
    /// `t0`, or `None` for no lower bound.
    #[serde(serialize_with = "ser_time")]
    pub start: Option<i64>,
    /// `--until T`, when given (left out of the JSON otherwise).
    #[serde(serialize_with = "ser_time", skip_serializing_if = "Option::is_none")]
    pub until: Option<i64>,
    /// Evidence threshold.
    pub threshold: Certainty,
    /// Strict mode.
    pub strict: bool,
}

/// The answer to a reachability query; serialises to the JSON of the spec.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ReachAnswer {
    /// The question (its fields at the top level of the JSON).
    #[serde(flatten)]
    pub asked: Asked,
    /// Reached entities in causal order: the source first (with an empty
    /// path), then by `earliest` (no lower bound first), then by the number
    /// of hops, then by name (then id).
    pub reached: Vec<Reached>,
    /// Every other entity id, sorted by name (then id).
    pub not_reached: Vec<String>,
}

impl ReachAnswer {
    /// The entry for entity id `id`, if reached.
    pub fn get(&self, id: &str) -> Option<&Reached> {
        self.reached.iter().find(|r| r.entity == id)
    }
}

/// A time as the JSON writes it: RFC 3339 in UTC, or null without a bound.
pub(crate) fn ser_time<S: Serializer>(t: &Option<i64>, s: S) -> Result<S::Ok, S::Error> {
    match t {
        Some(v) if *v != NO_LOWER && *v != NO_UPPER => s.serialize_str(&rfc3339(*v)),
        _ => s.serialize_none(),
    }
}

/// `t` plus one second in strict mode; "no lower bound" stays unbounded.
#[inline]
fn after(t: i64, strict: bool) -> i64 {
    if strict && t != NO_LOWER {
        t.saturating_add(1)
    } else {
        t
    }
}

/// Earliest possible arrival per entity (`NO_UPPER` when not reached), using
/// only channels of certainty at least `min`.
///
/// Label-setting over intervals (Dijkstra): a channel `[lo, hi]` from `u` is
/// usable when `hi >= after(arr(u))` and delivers at `max(lo, after(arr(u)))`.
///
/// Complexity: O(c + n log n) for c channels and n entities.
#[doc(hidden)]
pub fn earliest_arrival(index: &Index, query: &ReachQuery, min: Certainty) -> Vec<i64> {
    if let Some(arr) = super::fast::earliest_exact(index, query, min) {
        return arr;
    }
    let n = index.node_count();
    let mut arr = vec![NO_UPPER; n];
    let mut done = vec![false; n];
    let mut heap = BinaryHeap::new();
    let t0 = query.start.unwrap_or(NO_LOWER);
    let source = NodeId::from(query.source);
    arr[source.index()] = t0;
    heap.push(Reverse((t0, source)));
    while let Some(Reverse((t, u))) = heap.pop() {
        if done[u.index()] || t != arr[u.index()] {
            continue;
        }
        done[u.index()] = true;
        // A meeting's hub passes the information on within its event.
        let ready = if index.is_hub(u) {
            t
        } else {
            after(t, query.strict)
        };
        for &c in index.out_channels(u) {
            if index.certainty(c) < min || index.hi(c) < ready {
                continue;
            }
            let v = index.to(c);
            let cand = index.lo(c).max(ready);
            if cand < arr[v.index()] {
                arr[v.index()] = cand;
                heap.push(Reverse((cand, v)));
            }
        }
    }
    arr
}

/// Earliest arrival per entity and one chain each, as a [`Paths`] tree
/// (linear memory, whatever the chains' lengths).
///
/// The chains form a tree: an entity's chain is its sender's chain followed
/// by one channel. Label-setting over `(time, hops)` in lexicographic order:
/// each entity is settled once, at its first pop, that is at its earliest
/// arrival with the fewest hops among the channels that deliver it then from
/// a sender settled at its own earliest arrival. Ties are broken by channel
/// number, which is canonical, so the choice never depends on the file's
/// order.
///
/// Complexity: O(c log c) for c channels.
#[doc(hidden)]
pub fn earliest_paths(index: &Index, query: &ReachQuery, min: Certainty) -> Paths {
    if let Some(paths) = super::fast::earliest_paths_exact(index, query, min) {
        return paths;
    }
    let n = index.node_count();
    let mut paths = Paths::new(n);
    let mut done = vec![false; n];
    // (time, hops, hub, via channel, parent label, node): at equal time and
    // hops an entity settles before a meeting's hub, so that the hub is
    // entered through the smallest channel of all that tie, as the exact
    // pass chooses.
    type Pending = Reverse<(i64, u32, bool, ChannelId, u32, NodeId)>;
    let mut heap: BinaryHeap<Pending> = BinaryHeap::new();
    heap.push(Reverse((
        query.start.unwrap_or(NO_LOWER),
        0,
        false,
        ChannelId(NONE),
        NONE,
        NodeId::from(query.source),
    )));
    while let Some(Reverse((t, h, _, via, parent, u))) = heap.pop() {
        if done[u.index()] {
            continue;
        }
        done[u.index()] = true;
        let id = paths.push_label(parent, via);
        paths.settle(u, t, h, id);
        let ready = if index.is_hub(u) {
            t
        } else {
            after(t, query.strict)
        };
        for &c in index.out_channels(u) {
            if index.certainty(c) < min || index.hi(c) < ready {
                continue;
            }
            let v = index.to(c);
            // Into a hub is half a hop: the hop counts out of it.
            let hv = if index.is_hub(v) { h } else { h + 1 };
            if done[v.index()] {
                continue;
            }
            heap.push(Reverse((
                index.lo(c).max(ready),
                hv,
                index.is_hub(v),
                c,
                id,
                v,
            )));
        }
    }
    paths
}

/// Definite arrival per entity: `None` when not definitely reached, else the
/// least `hi` of a delivering channel ([`NO_UPPER`] when unbounded). The
/// source's value starts at [`ReachQuery::source_held`] ([`NO_LOWER`] for
/// always) and is lowered by a definite chain that brings the information
/// back to it earlier.
///
/// A label-correcting fixpoint: values only decrease, and a smaller value at a
/// sender only makes more of its channels qualify, so the least fixpoint is the
/// minimum over chains. A carrying channel may deliver before its sender's own
/// definite time, which is why settled values can still improve. Hops from a
/// source with no start are always in time.
///
/// Complexity: O(c log c) in practice; every improvement re-examines the
/// improved entity's channels.
#[doc(hidden)]
pub fn definite_arrival(
    index: &Index,
    query: &ReachQuery,
    earliest: &[i64],
    min: Certainty,
) -> Vec<Option<i64>> {
    if let Some(def) = super::fast::definite_exact(index, query, earliest, min) {
        return def;
    }
    let n = index.node_count();
    let mut def: Vec<Option<i64>> = vec![None; n];
    let mut contrib = vec![[NONE; 2]; n];
    let src = NodeId::from(query.source);
    let source_def = query.source_held.bound();
    def[src.index()] = Some(source_def);
    let mut heap = BinaryHeap::new();
    heap.push(Reverse((source_def, src)));
    while let Some(Reverse((d, u))) = heap.pop() {
        if def[u.index()] != Some(d) {
            continue;
        }
        let hub = index.is_hub(u);
        let ready = if hub {
            earliest[u.index()]
        } else {
            after(earliest[u.index()], query.strict)
        };
        let held = if u == src { query.source_order(d) } else { d };
        let def_ready = after(held, query.strict);
        for &c in index.out_channels(u) {
            if index.certainty(c) < min || index.hi(c) < ready {
                continue;
            }
            // Out of a hub the event is the one that brought it in, from
            // someone else than the receiver.
            let v = index.to(c);
            if hub {
                if !brought_by_other(contrib[u.index()], v.0) {
                    continue;
                }
            } else if !(index.lo(c) >= def_ready || index.carries(c)) {
                continue;
            }
            let cand = index.hi(c);
            let added = index.is_hub(v) && add_contributor(&mut contrib[v.index()], u.0);
            if def[v.index()].is_none_or(|old| cand < old) {
                def[v.index()] = Some(cand);
                heap.push(Reverse((cand, v)));
            } else if added {
                heap.push(Reverse((cand, v)));
            }
        }
    }
    def
}

/// Records `p` among the (first two) participants that definitely brought
/// the information into a meeting's hub; true when `p` is new there.
pub(crate) fn add_contributor(c: &mut [u32; 2], p: u32) -> bool {
    if c[0] == p || c[1] == p {
        false
    } else if c[0] == NONE {
        c[0] = p;
        true
    } else if c[1] == NONE {
        c[1] = p;
        true
    } else {
        false
    }
}

/// True when someone other than `v` definitely brought the information into
/// the hub: the meeting passes it to `v` only then.
pub(crate) fn brought_by_other(c: [u32; 2], v: u32) -> bool {
    (c[0] != NONE && c[0] != v) || (c[1] != NONE && c[1] != v)
}
