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
//! Times are whole seconds. Inside this module and [`super::fast`],
//! [`NO_LOWER`] (`i64::MIN`) stands for "no lower bound" and [`NO_UPPER`]
//! (`i64::MAX`) for "no upper bound"; the query and the answer use `Option`
//! and [`SourceHeld`] instead.

use std::cmp::Reverse;
use std::collections::BinaryHeap;

use serde::{Serialize, Serializer};

use crate::index::{Index, Mode};
use crate::model::time::rfc3339;
use crate::model::Certainty;

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
    /// Channel numbers of that chain in the index (for display; filled even
    /// without paths).
    #[serde(skip)]
    pub path_channels: Vec<u32>,
}

impl Reached {
    /// Display names along the chain, source first, this entity last
    /// (`index` is the one the answer came from).
    pub fn chain(&self, index: &Index) -> Vec<String> {
        match self.path_channels.first() {
            None => vec![self.name.clone()],
            Some(&first) => std::iter::once(index.from[first as usize])
                .chain(self.path_channels.iter().map(|&c| index.to[c as usize]))
                .map(|u| index.entity_name(u).to_string())
                .collect(),
        }
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

fn ser_time<S: Serializer>(t: &Option<i64>, s: S) -> Result<S::Ok, S::Error> {
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
    let n = index.entity_count();
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
        let ready = after(t, query.strict);
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

/// Earliest arrival with fewest hops: `(arrival, hops, path channels)` per
/// entity, `None` when not reached.
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
pub fn earliest_paths(
    index: &Index,
    query: &ReachQuery,
    min: Certainty,
) -> Vec<Option<(i64, Vec<u32>)>> {
    struct Label {
        parent: u32,
        via: u32,
    }
    if let Some(paths) = super::fast::earliest_paths_exact(index, query, min) {
        return paths;
    }
    let n = index.entity_count();
    let mut labels: Vec<Label> = Vec::new();
    let mut min_hops = vec![u32::MAX; n];
    let mut first: Vec<Option<(i64, u32)>> = vec![None; n];
    // (time, hops, via channel, parent label, node)
    type Pending = Reverse<(i64, u32, u32, u32, u32)>;
    let mut heap: BinaryHeap<Pending> = BinaryHeap::new();
    heap.push(Reverse((
        query.start.unwrap_or(NO_LOWER),
        0,
        NONE,
        NONE,
        query.source,
    )));
    while let Some(Reverse((t, h, via, parent, u))) = heap.pop() {
        if h >= min_hops[u as usize] {
            continue;
        }
        min_hops[u as usize] = h;
        let id = labels.len() as u32;
        labels.push(Label { parent, via });
        if first[u as usize].is_none() {
            first[u as usize] = Some((t, id));
        }
        let ready = after(t, query.strict);
        for &c in index.out_channels(u) {
            let ci = c as usize;
            if index.certainty(ci) < min || index.hi(ci) < ready {
                continue;
            }
            let v = index.to[ci];
            if h + 1 >= min_hops[v as usize] {
                continue;
            }
            heap.push(Reverse((index.lo(ci).max(ready), h + 1, c, id, v)));
        }
    }
    first
        .into_iter()
        .map(|f| {
            f.map(|(t, mut l)| {
                let mut path = Vec::new();
                while labels[l as usize].via != NONE {
                    path.push(labels[l as usize].via);
                    l = labels[l as usize].parent;
                }
                path.reverse();
                (t, path)
            })
        })
        .collect()
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
    let n = index.entity_count();
    let mut def: Vec<Option<i64>> = vec![None; n];
    let src = query.source as usize;
    let source_def = query.source_held.bound();
    def[src] = Some(source_def);
    let mut heap = BinaryHeap::new();
    heap.push(Reverse((source_def, query.source)));
    while let Some(Reverse((d, u))) = heap.pop() {
        if def[u as usize] != Some(d) {
            continue;
        }
        let ready = after(earliest[u as usize], query.strict);
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
            if !(index.lo(c) >= def_ready || index.carries(c)) {
                continue;
            }
            let v = index.to[c] as usize;
            let cand = index.hi(c);
            if def[v].is_none_or(|old| cand < old) {
                def[v] = Some(cand);
                heap.push(Reverse((cand, v as u32)));
            }
        }
    }
    def
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
    let threshold = index.spec.threshold;
    let n = index.entity_count();
    let src = query.source as usize;
    let by_until = |t: i64| query.until.is_none_or(|u| t <= u);
    let mut paths = earliest_paths(index, query, threshold);
    let earliest: Vec<i64> = paths
        .iter()
        .map(|p| p.as_ref().map(|(t, _)| *t).unwrap_or(NO_UPPER))
        .collect();
    // Definite times are those of the query without `until`, filtered below.
    let def = definite_arrival(index, query, &earliest, threshold);
    // Reached by `until`: earliest at most T (the source: its start).
    for p in paths.iter_mut() {
        if p.as_ref().is_some_and(|(t, _)| !by_until(*t)) {
            *p = None;
        }
    }
    // Evidence: the strongest threshold at which each entity is reached at
    // all (by `until`).
    let mut evidence = vec![threshold; n];
    let mut settled = vec![false; n];
    for level in Certainty::ALL {
        if level <= threshold {
            break;
        }
        let arr = earliest_arrival(index, query, level);
        for v in 0..n {
            if !settled[v] && arr[v] != NO_UPPER && by_until(arr[v]) && paths[v].is_some() {
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
        let wanted = |v: usize| v != src && paths[v].is_some() && evidence[v] == level;
        if !(0..n).any(wanted) {
            continue;
        }
        // The chains at `level` are those at the threshold when no channel
        // lies between the two (one linear check saves a pass on corpora
        // whose rows all have the same certainty).
        let same = (0..index.channel_count()).all(|c| {
            let k = index.certainty(c);
            k < threshold || k >= level
        });
        let at_level;
        let chains = if same {
            &paths
        } else {
            at_level = earliest_paths(index, query, level);
            &at_level
        };
        for v in (0..n).filter(|&v| wanted(v)) {
            rests_on[v] = chains[v].as_ref().and_then(|(_, chain)| {
                chain
                    .iter()
                    .copied()
                    .find(|&c| index.certainty(c as usize) == level)
            });
        }
    }
    let mut reached = Vec::new();
    let mut not_reached = Vec::new();
    for (v, p) in paths.into_iter().enumerate() {
        let Some((t, channels)) = p else {
            not_reached.push(v as u32);
            continue;
        };
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
        let last = channels.last().map(|&c| c as usize);
        reached.push(Reached {
            entity: index.entity_id(v as u32).to_string(),
            name: index.entity_name(v as u32).to_string(),
            earliest: if t == NO_LOWER { None } else { Some(t) },
            timing,
            definite_by,
            evidence: evidence[v],
            rests_on: rests_on[v].map(|c| index.event_id(c).into_owned()),
            via: last.map(|c| index.event_id(c as u32).into_owned()),
            previous: last.map(|c| index.entity_id(index.from[c]).to_string()),
            path: query.paths.then(|| {
                channels
                    .iter()
                    .map(|&c| index.event_id(c).into_owned())
                    .collect()
            }),
            path_channels: channels,
        });
    }
    let source = index.entity_id(query.source).to_string();
    reached.sort_by(|a, b| causal_key(a, &source).cmp(&causal_key(b, &source)));
    not_reached.sort_by(|&a, &b| {
        (index.entity_name(a), index.entity_id(a)).cmp(&(index.entity_name(b), index.entity_id(b)))
    });
    ReachAnswer {
        source,
        message: index.spec.message.clone(),
        mode: index.spec.mode,
        start: query.start.filter(|t| *t != NO_LOWER),
        until: query.until,
        threshold,
        strict: query.strict,
        reached,
        not_reached: not_reached
            .into_iter()
            .map(|v| index.entity_id(v).to_string())
            .collect(),
    }
}

/// The causal order of `reached`: the source first, then by `earliest` (no
/// lower bound first), hops, name and id.
fn causal_key<'a>(
    r: &'a Reached,
    source: &str,
) -> (bool, bool, Option<i64>, usize, &'a str, &'a str) {
    (
        r.entity != source,
        r.earliest.is_some(),
        r.earliest,
        r.path_channels.len(),
        &r.name,
        &r.entity,
    )
}
