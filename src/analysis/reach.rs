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
//! - **evidence**: the strongest threshold at which the entity is reached at all.
//! - **path**: one earliest-arrival chain, fewest hops among those.
//!
//! Times are whole seconds; `i64::MIN` stands for "no lower bound" and
//! `i64::MAX` for "no upper bound".

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

/// A reachability question, asked of an [`Index`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReachQuery {
    /// The entity that holds the information first (interned number).
    pub source: u32,
    /// When the source got it: `t0`. `None`: no lower bound.
    pub start: Option<i64>,
    /// By when the source definitely held it. `None`: not known by any time
    /// (a message whose time is open at its end, or unknown); `Some(i64::MIN)`
    /// is "always" (contacts from an entity with no `--since`).
    pub source_definite: Option<i64>,
    /// Each hop, the first included, at least one second after its sender's
    /// receipt.
    pub strict: bool,
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
    /// Strongest threshold at which it is reached at all.
    pub evidence: Certainty,
    /// Event ids of one earliest-arrival chain, fewest hops among those.
    pub path: Vec<String>,
    /// Channel numbers of that chain in the index (for display).
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
    /// Evidence threshold.
    pub threshold: Certainty,
    /// Strict mode.
    pub strict: bool,
    /// Reached entities, by earliest (none first), then id; the source first
    /// among equals with an empty path.
    pub reached: Vec<Reached>,
    /// Every other entity id, sorted.
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
/// least `hi` of a delivering channel (`NO_UPPER` when unbounded).
///
/// A label-correcting fixpoint: values only decrease, and a smaller value at a
/// sender only makes more of its channels qualify, so the least fixpoint is the
/// minimum over chains. A carrying channel may deliver before its sender's own
/// definite time, which is why settled values can still improve.
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
    let source_def = query.source_definite.unwrap_or(NO_UPPER);
    def[src] = Some(source_def);
    let mut heap = BinaryHeap::new();
    heap.push(Reverse((source_def, query.source)));
    while let Some(Reverse((d, u))) = heap.pop() {
        if def[u as usize] != Some(d) {
            continue;
        }
        let ready = after(earliest[u as usize], query.strict);
        let def_ready = after(d, query.strict);
        for &c in index.out_channels(u) {
            let c = c as usize;
            if index.certainty(c) < min || index.hi(c) < ready {
                continue;
            }
            let ordered = if query.strict && d != NO_LOWER {
                index.lo(c) >= def_ready
            } else {
                index.lo(c) >= d
            };
            if !(ordered || index.carries(c)) {
                continue;
            }
            let v = index.to[c] as usize;
            if v == src {
                continue;
            }
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
/// - `query`: the source, its start and definite times, and strictness.
///
/// # Returns
/// Every reached entity with `earliest`, `timing`, `definite_by`, `evidence`
/// and one earliest-arrival `path` (fewest hops), sorted by `earliest` (no
/// lower bound first) then id; and every other entity in `not_reached`.
///
/// # Complexity
/// O(c log c) for c channels on stories; on exact times the earliest-arrival
/// pass is a single linear scan.
///
/// # Example
/// ```
/// use grapevine::{load_str, Index, IndexSpec, reach, ReachQuery};
/// let story = load_str("s.json", r#"{"format": "grapevine/1",
///   "entities": [{"id": "a", "name": "A"}, {"id": "b", "name": "B"}],
///   "events": [{"id": "e1", "from": "a", "to": "b", "time": "2016-09-20"}]}"#).unwrap().story;
/// let catalog = grapevine::StoryCatalog::new(&story);
/// let index = Index::build(&catalog, &IndexSpec::default());
/// let answer = reach(&index, &ReachQuery { source: 0, start: None, source_definite: Some(i64::MIN), strict: false });
/// assert_eq!(answer.reached[1].entity, "b");
/// assert_eq!(answer.reached[1].path, vec!["e1"]);
/// ```
pub fn reach(index: &Index, query: &ReachQuery) -> ReachAnswer {
    let threshold = index.spec.threshold;
    let paths = earliest_paths(index, query, threshold);
    let earliest: Vec<i64> = paths
        .iter()
        .map(|p| p.as_ref().map(|(t, _)| *t).unwrap_or(NO_UPPER))
        .collect();
    let def = definite_arrival(index, query, &earliest, threshold);
    // Evidence: the strongest threshold at which each entity is reached at all.
    let n = index.entity_count();
    let mut evidence = vec![threshold; n];
    let mut settled = vec![false; n];
    for level in Certainty::ALL {
        if level <= threshold {
            break;
        }
        let arr = earliest_arrival(index, query, level);
        for v in 0..n {
            if !settled[v] && arr[v] != NO_UPPER && paths[v].is_some() {
                evidence[v] = level;
                settled[v] = true;
            }
        }
    }
    let mut reached = Vec::new();
    let mut not_reached = Vec::new();
    for (v, p) in paths.into_iter().enumerate() {
        let Some((t, channels)) = p else {
            not_reached.push(index.entity_id(v as u32).to_string());
            continue;
        };
        let (timing, definite_by) = match def[v] {
            Some(d) => (
                Timing::Definite,
                Some(d).filter(|d| *d != NO_LOWER && *d != NO_UPPER),
            ),
            None => (Timing::Possible, None),
        };
        reached.push(Reached {
            entity: index.entity_id(v as u32).to_string(),
            name: index.entity_name(v as u32).to_string(),
            earliest: if t == NO_LOWER { None } else { Some(t) },
            timing,
            definite_by,
            evidence: evidence[v],
            path: channels
                .iter()
                .map(|&c| index.event_id(c).into_owned())
                .collect(),
            path_channels: channels,
        });
    }
    let src = index.entity_id(query.source).to_string();
    reached.sort_by(|a, b| {
        let key = |r: &Reached| (r.earliest.is_some(), r.earliest, r.entity.clone());
        key(a).cmp(&key(b))
    });
    not_reached.sort();
    ReachAnswer {
        source: src,
        message: index.spec.message.clone(),
        mode: index.spec.mode,
        start: query.start.filter(|t| *t != NO_LOWER),
        threshold,
        strict: query.strict,
        reached,
        not_reached,
    }
}
