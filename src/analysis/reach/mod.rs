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
//! - **path**: one earliest-arrival chain, fewest hops among those; `via` is
//!   its last event, `previous` the entity that event came from, and
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

use crate::index::{Index, Mode};
use crate::model::time::rfc3339;
use crate::model::Certainty;

mod json;
pub use json::RowFields;
mod paths;

pub use paths::Paths;

/// No lower bound: the information was held from the beginning of time.
pub const NO_LOWER: i64 = i64::MIN;
/// No upper bound: not known by any time.
pub const NO_UPPER: i64 = i64::MAX;
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
    /// The entity that holds the information first (interned number).
    pub source: u32,
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
    pub fn new(source: u32) -> ReachQuery {
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
    /// Event ids of one earliest-arrival chain, fewest hops among those;
    /// `None` when the query asked for no paths ([`ReachQuery::paths`]).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub path: Option<Vec<String>>,
    /// Channel numbers of that chain in the index, a pass through a meeting's
    /// hub as two channels (read it with [`Reached::hops`]; filled even
    /// without paths).
    #[serde(skip)]
    pub path_channels: Vec<u32>,
}

impl Reached {
    /// Display names along the chain, source first, this entity last
    /// (`index` is the one the answer came from).
    pub fn chain(&self, index: &Index) -> Vec<String> {
        let hops = index.hops_of(&self.path_channels);
        match hops.first() {
            None => vec![self.name.clone()],
            Some(&(first, _, _)) => std::iter::once(first)
                .chain(hops.iter().map(|&(_, to, _)| to))
                .map(|u| index.entity_name(u).to_string())
                .collect(),
        }
    }

    /// The hops of the chain: `(sender, receiver, channel)` per hop
    /// ([`Index::hops_of`]).
    pub fn hops(&self, index: &Index) -> Vec<(u32, u32, u32)> {
        index.hops_of(&self.path_channels)
    }
}

/// The answer to a reachability query; serialises to the JSON of the spec.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ReachAnswer {
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
pub fn earliest_arrival(index: &Index, query: &ReachQuery, min: Certainty) -> Vec<i64> {
    if let Some(arr) = super::fast::earliest_exact(index, query, min) {
        return arr;
    }
    let n = index.node_count();
    let mut arr = vec![NO_UPPER; n];
    let mut done = vec![false; n];
    let mut heap = BinaryHeap::new();
    let t0 = query.start.unwrap_or(NO_LOWER);
    arr[query.source as usize] = t0;
    heap.push(Reverse((t0, query.source)));
    while let Some(Reverse((t, u))) = heap.pop() {
        if done[u as usize] || t != arr[u as usize] {
            continue;
        }
        done[u as usize] = true;
        // A meeting's hub passes the information on within its event.
        let ready = if index.is_hub(u) {
            t
        } else {
            after(t, query.strict)
        };
        for &c in index.out_channels(u) {
            let c = c as usize;
            if index.certainty(c) < min || index.hi(c) < ready {
                continue;
            }
            let v = index.to[c] as usize;
            let cand = index.lo(c).max(ready);
            if cand < arr[v] {
                arr[v] = cand;
                heap.push(Reverse((cand, v as u32)));
            }
        }
    }
    arr
}

/// Earliest arrival with fewest hops per entity, and one chain each, as a
/// [`Paths`] forest (linear memory, whatever the chains' lengths).
///
/// Multi-criteria label-setting: labels `(time, hops)` are settled in
/// increasing order; a label is kept only when it has fewer hops than every
/// label already settled at its entity. The first label settled at an entity
/// is its earliest arrival with the fewest hops among earliest chains. Ties are
/// broken by channel number, which is canonical, so the choice never depends on
/// the file's order.
///
/// Complexity: O(L·d log L) where L is the number of labels kept (at most
/// one per entity and hop count) and d the out-degree.
pub fn earliest_paths(index: &Index, query: &ReachQuery, min: Certainty) -> Paths {
    if let Some(paths) = super::fast::earliest_paths_exact(index, query, min) {
        return paths;
    }
    let n = index.node_count();
    let mut paths = Paths::new(n);
    let mut min_hops = vec![u32::MAX; n];
    // (time, hops, hub, via channel, parent label, node): at equal time and
    // hops an entity settles before a meeting's hub, so that the hub is
    // entered through the smallest channel of all that tie, as the exact
    // pass chooses.
    type Pending = Reverse<(i64, u32, bool, u32, u32, u32)>;
    let mut heap: BinaryHeap<Pending> = BinaryHeap::new();
    heap.push(Reverse((
        query.start.unwrap_or(NO_LOWER),
        0,
        false,
        NONE,
        NONE,
        query.source,
    )));
    while let Some(Reverse((t, h, _, via, parent, u))) = heap.pop() {
        if h >= min_hops[u as usize] {
            continue;
        }
        min_hops[u as usize] = h;
        let id = paths.push_label(parent, via);
        paths.settle(u, t, h, id);
        let ready = if index.is_hub(u) {
            t
        } else {
            after(t, query.strict)
        };
        for &c in index.out_channels(u) {
            let ci = c as usize;
            if index.certainty(ci) < min || index.hi(ci) < ready {
                continue;
            }
            let v = index.to[ci];
            // Into a hub is half a hop: the hop counts out of it.
            let hv = if index.is_hub(v) { h } else { h + 1 };
            if hv >= min_hops[v as usize] {
                continue;
            }
            heap.push(Reverse((
                index.lo(ci).max(ready),
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
    let src = query.source as usize;
    let source_def = query.source_held.bound();
    def[src] = Some(source_def);
    let mut heap = BinaryHeap::new();
    heap.push(Reverse((source_def, query.source)));
    while let Some(Reverse((d, u))) = heap.pop() {
        if def[u as usize] != Some(d) {
            continue;
        }
        let hub = index.is_hub(u);
        let ready = if hub {
            earliest[u as usize]
        } else {
            after(earliest[u as usize], query.strict)
        };
        let held = if u as usize == src {
            query.source_order(d)
        } else {
            d
        };
        let def_ready = after(held, query.strict);
        for &c in index.out_channels(u) {
            let c = c as usize;
            if index.certainty(c) < min || index.hi(c) < ready {
                continue;
            }
            // Out of a hub the event is the one that brought it in, from
            // someone else than the receiver.
            let v = index.to[c] as usize;
            if hub {
                if !brought_by_other(contrib[u as usize], v as u32) {
                    continue;
                }
            } else if !(index.lo(c) >= def_ready || index.carries(c)) {
                continue;
            }
            let cand = index.hi(c);
            let added = index.is_hub(v as u32) && add_contributor(&mut contrib[v], u);
            if def[v].is_none_or(|old| cand < old) {
                def[v] = Some(cand);
                heap.push(Reverse((cand, v as u32)));
            } else if added {
                heap.push(Reverse((cand, v as u32)));
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

/// Answers a reachability query.
///
/// # Arguments
/// - `index`: the compiled channels, built for the query's message, mode and
///   threshold ([`Index::build`]).
/// - `query`: the source, its start and definite times, strictness, `until`
///   and whether to fill paths.
///
/// # Returns
/// Every entity reached (by `until`, when given) with `earliest`, `timing`,
/// `definite_by`, `evidence`, `rests_on`, `via`, `previous` and one
/// earliest-arrival `path` (fewest hops), in causal order (the source first,
/// then by `earliest` with no lower bound first, hops, name and id); and every
/// other entity in `not_reached`, by name and id.
///
/// With `until` = `T`: an entity is reached when its `earliest` is at most
/// `T`; its timing is definite only when its `definite_by` is known and at
/// most `T`; its evidence is the strongest threshold at which it arrives by
/// `T`. The source is reached when its start is at most `T` or unknown, and
/// definite by `T` when it has no start or its `definite_by` is at most `T`.
///
/// # Complexity
/// O(c log c) for c channels on stories; on exact times the earliest-arrival
/// pass is a single linear scan. Each evidence level stronger than the
/// threshold adds an earliest-arrival pass, and a level below confirmed that
/// is some entity's evidence adds an earliest-path pass (for `rests_on`).
///
/// # Example
/// ```
/// use grapevine::{load_str, Index, IndexSpec, reach, ReachQuery};
/// let story = load_str("s.json", r#"{"format": "grapevine/1",
///   "entities": [{"id": "a", "name": "A"}, {"id": "b", "name": "B"}],
///   "events": [{"id": "e1", "from": "a", "to": "b", "time": "2016-09-20"}]}"#).unwrap().story;
/// let catalog = grapevine::StoryCatalog::new(&story);
/// let index = Index::build(&catalog, &IndexSpec::default());
/// let answer = reach(&index, &ReachQuery::new(0));
/// let b = &answer.reached[1];
/// assert_eq!(b.entity, "b");
/// assert_eq!(b.path, Some(vec!["e1".to_string()]));
/// assert_eq!((b.via.as_deref(), b.previous.as_deref()), (Some("e1"), Some("a")));
/// assert_eq!(b.rests_on.as_deref(), Some("e1"), "e1 is only reported");
/// ```
pub fn reach(index: &Index, query: &ReachQuery) -> ReachAnswer {
    reach_rows(index, query).answer()
}

/// The certainty levels the index's channels have, as bits (`1 << bits`).
fn certainty_mask(index: &Index) -> u8 {
    // The low two bits of a channel's flags are its certainty's bits.
    index.flags().iter().fold(0, |m, &f| m | 1 << (f & 0b11))
}

/// The bits of [`certainty_mask`] for `level` and every stronger level.
fn mask_from(level: Certainty) -> u8 {
    0b1111 & !((1u8 << crate::catalog::certainty_bits(level)) - 1)
}

/// One reached entity, compact: numbers into the index instead of strings,
/// 32 bytes (no `Option` beside its value).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Row {
    entity: u32,
    /// Channel of the event the row rests on (`NONE`: none).
    rests_on: u32,
    /// `NO_LOWER`: no lower bound.
    earliest: i64,
    /// `NO_UPPER`: none.
    definite_by: i64,
    timing: Timing,
    evidence: Certainty,
}

impl Row {
    fn earliest(&self) -> Option<i64> {
        (self.earliest != NO_LOWER).then_some(self.earliest)
    }

    fn definite_by(&self) -> Option<i64> {
        (self.definite_by != NO_UPPER).then_some(self.definite_by)
    }

    fn rests_on(&self) -> Option<u32> {
        (self.rests_on != NONE).then_some(self.rests_on)
    }
}

/// The answer of [`reach`] before any string is made: a row of numbers per
/// reached entity and the chains as a [`Paths`] forest, so that its size is
/// linear in the number of entities whatever the chains' lengths.
///
/// It serialises to exactly the JSON of [`ReachAnswer`], writing ids, names
/// and paths as it goes: `grapevine reach --json` streams it.
#[derive(Debug, Clone)]
pub struct ReachRows<'i> {
    index: &'i Index<'i>,
    query: ReachQuery,
    paths: Paths,
    rows: Vec<Row>,
    not_reached: Vec<u32>,
}

/// Answers `query` on `index` as compact [`ReachRows`]; [`reach`] is this
/// with every string made.
///
/// Complexity: that of [`reach`], without the chains' strings.
pub fn reach_rows<'i>(index: &'i Index<'i>, query: &ReachQuery) -> ReachRows<'i> {
    let threshold = index.spec.threshold;
    let n = index.entity_count();
    let src = query.source as usize;
    let by_until = |t: i64| query.until.is_none_or(|u| t <= u);
    let mut paths = earliest_paths(index, query, threshold);
    // Definite times are those of the query without `until`, filtered below.
    let def = definite_arrival(index, query, paths.times(), threshold);
    // Reached by `until`: earliest at most T (the source: its start).
    for v in 0..n {
        if paths.time(v).is_some_and(|t| !by_until(t)) {
            paths.forget(v);
        }
    }
    // Evidence: the strongest threshold at which each entity is reached at
    // all (by `until`). A level needs its own pass only when the index has
    // channels both below it and at or above it: otherwise it reaches either
    // no one but the source or the same entities as the threshold (the usual
    // case for a corpus whose rows all have one certainty).
    let present = certainty_mask(index);
    let mut evidence = vec![threshold; n];
    let mut settled = vec![false; n];
    for level in Certainty::ALL {
        if level <= threshold {
            break;
        }
        let above = present & mask_from(level) != 0;
        let below = present & !mask_from(level) & mask_from(threshold) != 0;
        let level_arr: Vec<i64>;
        let reached_at = |v: usize, arr: &[i64]| arr[v] != NO_UPPER && by_until(arr[v]);
        if !above {
            // Only the source is reached at this level.
            if paths.is_reached(src) && !settled[src] {
                evidence[src] = level;
                settled[src] = true;
            }
            continue;
        }
        // No channel below this level: the threshold's arrivals are its own.
        let arr: &[i64] = if below {
            level_arr = earliest_arrival(index, query, level);
            &level_arr
        } else {
            paths.times()
        };
        for v in 0..n {
            if !settled[v] && reached_at(v, arr) && paths.is_reached(v) {
                evidence[v] = level;
                settled[v] = true;
            }
        }
    }
    // Rests on: the first event of the evidence level on the chain found at
    // that level (none for the source or at confirmed).
    let mut rests_on: Vec<Option<u32>> = vec![None; n];
    for level in Certainty::ALL {
        if level == Certainty::Confirmed || level < threshold {
            continue;
        }
        let wanted = |v: usize| v != src && paths.is_reached(v) && evidence[v] == level;
        if !(0..n).any(wanted) {
            continue;
        }
        // The chains at `level` are those at the threshold when no channel
        // lies between the two (which saves a pass on corpora whose rows all
        // have the same certainty).
        let same = present & mask_from(threshold) & !mask_from(level) == 0;
        let at_level;
        let chains = if same {
            &paths
        } else {
            at_level = earliest_paths(index, query, level);
            &at_level
        };
        let first = chains.first_on_chains(|c| index.certainty(c as usize) == level);
        for v in (0..n).filter(|&v| wanted(v)) {
            rests_on[v] = first[v];
        }
    }
    // The entities not reached, sorted by name, on a second thread while
    // the reached ones are put in causal order (for a large answer).
    let unreached = || {
        let mut not_reached: Vec<u32> = (0..n as u32)
            .filter(|&v| !paths.is_reached(v as usize))
            .collect();
        not_reached.sort_by(|&a, &b| {
            (index.entity_name(a), index.entity_id(a))
                .cmp(&(index.entity_name(b), index.entity_id(b)))
        });
        not_reached
    };
    let two = n >= 1 << 16 && std::thread::available_parallelism().is_ok_and(|t| t.get() > 1);
    let (rows, not_reached) = std::thread::scope(|scope| {
        let aside = two.then(|| scope.spawn(unreached));
        let rows = causal_rows(index, query, &paths, &def, &evidence, &rests_on);
        let not_reached = match aside {
            Some(h) => h.join().unwrap_or_else(|e| std::panic::resume_unwind(e)),
            None => unreached(),
        };
        (rows, not_reached)
    });
    ReachRows {
        index,
        query: query.clone(),
        paths,
        rows,
        not_reached,
    }
}

/// The reached entities' rows in causal order.
fn causal_rows(
    index: &Index,
    query: &ReachQuery,
    paths: &Paths,
    def: &[Option<i64>],
    evidence: &[Certainty],
    rests_on: &[Option<u32>],
) -> Vec<Row> {
    let n = index.entity_count();
    let src = query.source as usize;
    // Causal order: the source first, then by earliest (no lower bound
    // first), hops, name and id. Numbers first, packed in one key and
    // sorted with the entity beside them (the label order they come in is
    // nearly that order already); names are compared only inside a run of
    // rows whose numbers tie (a blast's recipients).
    // Sixteen bytes a row: the time's key (0 the source, 1 no lower bound,
    // then by time; times are years 0 to 9999, far from the top of i64),
    // the hops and the entity.
    let key = |v: usize| -> (u64, u32, u32) {
        let t = paths.times()[v];
        let time = if v == src {
            0
        } else if t == NO_LOWER {
            1
        } else {
            ((t as u64) ^ (1 << 63)).saturating_add(2)
        };
        (time, paths.hops(v) as u32, v as u32)
    };
    // The one-pass scan makes labels in time order, so the label order is
    // already by arrival and only ties are left to order; other orders are
    // sorted whole first.
    let mut order: Vec<(u64, u32, u32)> = paths
        .reached_in_label_order()
        .into_iter()
        // Entities only, not meetings' hubs.
        .filter(|&v| (v as usize) < n)
        .map(|v| key(v as usize))
        .collect();
    if !order.is_sorted_by_key(|k| k.0) {
        order.sort_unstable_by_key(|k| k.0);
    }
    let mut i = 0;
    while i < order.len() {
        let mut j = i + 1;
        while j < order.len() && order[j].0 == order[i].0 {
            j += 1;
        }
        if j - i > 1 {
            order[i..j].sort_unstable_by(|a, b| {
                a.1.cmp(&b.1).then_with(|| {
                    (index.entity_name(a.2), index.entity_id(a.2))
                        .cmp(&(index.entity_name(b.2), index.entity_id(b.2)))
                })
            });
        }
        i = j;
    }
    let mut rows = Vec::with_capacity(order.len());
    for &(_, _, v) in &order {
        let v = v as usize;
        let t = paths.times()[v];
        // Definite (by `until`): a known definite time at most T; the source
        // with no start held it before any T.
        let d = def[v].filter(|&d| match query.until {
            None => true,
            Some(u) if v == src => query.start.is_none() || d <= u,
            Some(u) => d != NO_UPPER && d <= u,
        });
        let (timing, definite_by) = match d {
            Some(d) => (
                Timing::Definite,
                Some(d).filter(|d| *d != NO_LOWER && *d != NO_UPPER),
            ),
            None => (Timing::Possible, None),
        };
        rows.push(Row {
            entity: v as u32,
            rests_on: rests_on[v].unwrap_or(NONE),
            earliest: t,
            definite_by: definite_by.unwrap_or(NO_UPPER),
            timing,
            evidence: evidence[v],
        });
    }
    rows
}

impl ReachRows<'_> {
    /// Number of reached entities.
    pub fn len(&self) -> usize {
        self.rows.len()
    }

    /// True when nothing is reached (not even the source: it is later than
    /// `until`).
    pub fn is_empty(&self) -> bool {
        self.rows.is_empty()
    }

    /// The number of event ids all the paths hold together (the sum of the
    /// chains' lengths): what `path` costs in the JSON.
    pub fn path_entries(&self) -> usize {
        self.rows
            .iter()
            .map(|r| self.paths.hops(r.entity as usize))
            .sum()
    }

    /// The earliest-arrival chains, as a forest.
    pub fn paths(&self) -> &Paths {
        &self.paths
    }

    fn reached(&self, r: &Row) -> Reached {
        let index = self.index;
        let v = r.entity as usize;
        let channels = self.paths.channels(v);
        let hops = index.hops_of(&channels);
        let last = hops.last().copied();
        Reached {
            entity: index.entity_id(r.entity).to_string(),
            name: index.entity_name(r.entity).to_string(),
            earliest: r.earliest(),
            timing: r.timing,
            definite_by: r.definite_by(),
            evidence: r.evidence,
            rests_on: r.rests_on().map(|c| index.event_id(c).into_owned()),
            via: last.map(|(_, _, c)| index.event_id(c).into_owned()),
            previous: last.map(|(f, _, _)| index.entity_id(f).to_string()),
            path: self.query.paths.then(|| {
                hops.iter()
                    .map(|&(_, _, c)| index.event_id(c).into_owned())
                    .collect()
            }),
            path_channels: channels,
        }
    }

    /// The answer with every string made.
    pub fn answer(&self) -> ReachAnswer {
        let index = self.index;
        ReachAnswer {
            source: index.entity_id(self.query.source).to_string(),
            message: index.spec.message.clone(),
            mode: index.spec.mode,
            start: self.query.start.filter(|t| *t != NO_LOWER),
            until: self.query.until,
            threshold: index.spec.threshold,
            strict: self.query.strict,
            reached: self.rows.iter().map(|r| self.reached(r)).collect(),
            not_reached: self
                .not_reached
                .iter()
                .map(|&v| index.entity_id(v).to_string())
                .collect(),
        }
    }
}
