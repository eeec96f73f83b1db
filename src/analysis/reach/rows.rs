//! The answer as rows of numbers ([`ReachRows`]): one pass for the chains,
//! one for definite times, evidence and `rests_on`, and the causal order.

use super::{
    definite_arrival, earliest_arrival, earliest_paths, Asked, Paths, ReachAnswer, ReachQuery,
    Reached, Timing, NONE, NO_LOWER, NO_UPPER,
};
use crate::catalog::{ChannelId, EntityId, NodeId};
use crate::index::Index;
use crate::model::Certainty;
use crate::par::{both, two_cores};

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
/// earliest-arrival `path` (the chains form a tree), in causal order (the source first,
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
/// let answer = reach(&index, &ReachQuery::new(grapevine::EntityId(0)));
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
pub(super) struct Row {
    pub(super) entity: EntityId,
    /// Channel of the event the row rests on (`NONE`: none).
    pub(super) rests_on: ChannelId,
    /// `NO_LOWER`: no lower bound.
    pub(super) earliest: i64,
    /// `NO_UPPER`: none.
    pub(super) definite_by: i64,
    pub(super) timing: Timing,
    pub(super) evidence: Certainty,
}

impl Row {
    pub(super) fn earliest(&self) -> Option<i64> {
        (self.earliest != NO_LOWER).then_some(self.earliest)
    }

    pub(super) fn definite_by(&self) -> Option<i64> {
        (self.definite_by != NO_UPPER).then_some(self.definite_by)
    }

    pub(super) fn rests_on(&self) -> Option<ChannelId> {
        (self.rests_on.0 != NONE).then_some(self.rests_on)
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
    pub(super) index: &'i Index<'i>,
    pub(super) query: ReachQuery,
    pub(super) paths: Paths,
    pub(super) rows: Vec<Row>,
    pub(super) not_reached: Vec<EntityId>,
}

/// Answers `query` on `index` as compact [`ReachRows`]; [`reach`] is this
/// with every string made.
///
/// Complexity: that of [`reach`], without the chains' strings.
pub fn reach_rows<'i>(index: &'i Index<'i>, query: &ReachQuery) -> ReachRows<'i> {
    reach_rows_with(index, query, &Engine)
}

/// The passes [`reach_rows`] runs: the earliest-arrival chains, times and
/// definite times at a certainty level. The engine runs them itself
/// ([`Engine`]); `reach --answer` reads them from a Spark job's output
/// ([`super::given::Given`]), so that both answers are made by the same code.
pub(crate) trait Passes {
    /// [`earliest_paths`].
    fn paths(&self, index: &Index, query: &ReachQuery, min: Certainty) -> Paths;
    /// [`earliest_arrival`].
    fn arrival(&self, index: &Index, query: &ReachQuery, min: Certainty) -> Vec<i64>;
    /// [`definite_arrival`].
    fn definite(
        &self,
        index: &Index,
        query: &ReachQuery,
        earliest: &[i64],
        min: Certainty,
    ) -> Vec<Option<i64>>;
}

/// The engine's own passes.
pub(crate) struct Engine;

impl Passes for Engine {
    fn paths(&self, index: &Index, query: &ReachQuery, min: Certainty) -> Paths {
        earliest_paths(index, query, min)
    }
    fn arrival(&self, index: &Index, query: &ReachQuery, min: Certainty) -> Vec<i64> {
        earliest_arrival(index, query, min)
    }
    fn definite(
        &self,
        index: &Index,
        query: &ReachQuery,
        earliest: &[i64],
        min: Certainty,
    ) -> Vec<Option<i64>> {
        definite_arrival(index, query, earliest, min)
    }
}

/// [`reach_rows`] with the passes of `passes`.
pub(crate) fn reach_rows_with<'i>(
    index: &'i Index<'i>,
    query: &ReachQuery,
    passes: &dyn Passes,
) -> ReachRows<'i> {
    let threshold = index.spec.threshold;
    let n = index.entity_count();
    let src = NodeId::from(query.source);
    let by_until = |t: i64| query.until.is_none_or(|u| t <= u);
    let mut paths = passes.paths(index, query, threshold);
    // Definite times are those of the query without `until`, filtered below.
    let def = passes.definite(index, query, paths.times(), threshold);
    // Reached by `until`: earliest at most T (the source: its start).
    for v in NodeId::all(n) {
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
            if paths.is_reached(src) && !settled[src.index()] {
                evidence[src.index()] = level;
                settled[src.index()] = true;
            }
            continue;
        }
        // No channel below this level: the threshold's arrivals are its own.
        let arr: &[i64] = if below {
            level_arr = passes.arrival(index, query, level);
            &level_arr
        } else {
            paths.times()
        };
        for v in 0..n {
            if !settled[v] && reached_at(v, arr) && paths.is_reached(NodeId::at(v)) {
                evidence[v] = level;
                settled[v] = true;
            }
        }
    }
    // Rests on: the first event of the evidence level on the chain found at
    // that level (none for the source or at confirmed).
    let mut rests_on: Vec<Option<ChannelId>> = vec![None; n];
    for level in Certainty::ALL {
        if level == Certainty::Confirmed || level < threshold {
            continue;
        }
        let wanted =
            |v: usize| v != src.index() && paths.is_reached(NodeId::at(v)) && evidence[v] == level;
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
            at_level = passes.paths(index, query, level);
            &at_level
        };
        let first = chains.first_on_chains(|c| index.certainty(c) == level);
        for v in (0..n).filter(|&v| wanted(v)) {
            rests_on[v] = first[v];
        }
    }
    // The entities not reached, sorted by name, on a second thread while
    // the reached ones are put in causal order (for a large answer).
    let unreached = || {
        let mut not_reached: Vec<EntityId> = EntityId::all(n)
            .filter(|&v| !paths.is_reached(v.into()))
            .collect();
        not_reached.sort_by(|&a, &b| {
            (index.entity_name(a), index.entity_id(a))
                .cmp(&(index.entity_name(b), index.entity_id(b)))
        });
        not_reached
    };
    let (not_reached, rows) = both(n >= 1 << 16 && two_cores(), unreached, || {
        causal_rows(index, query, &paths, &def, &evidence, &rests_on)
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
    rests_on: &[Option<ChannelId>],
) -> Vec<Row> {
    let n = index.entity_count();
    let src = query.source.index();
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
        (time, paths.hops(NodeId::at(v)) as u32, v as u32)
    };
    // The one-pass scan makes labels in time order, so the label order is
    // already by arrival and only ties are left to order; other orders are
    // sorted whole first.
    let mut order: Vec<(u64, u32, u32)> = paths
        .reached_in_label_order()
        .into_iter()
        // Entities only, not meetings' hubs.
        .filter(|&v| v.index() < n)
        .map(|v| key(v.index()))
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
                    let (a, b) = (NodeId(a.2), NodeId(b.2));
                    (index.entity_name(a), index.entity_id(a))
                        .cmp(&(index.entity_name(b), index.entity_id(b)))
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
            entity: EntityId::at(v),
            rests_on: rests_on[v].unwrap_or(ChannelId(NONE)),
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
    #[doc(hidden)]
    pub fn path_entries(&self) -> usize {
        self.rows
            .iter()
            .map(|r| self.paths.hops(r.entity.into()))
            .sum()
    }

    /// The earliest-arrival chains, as a forest.
    #[doc(hidden)]
    pub fn paths(&self) -> &Paths {
        &self.paths
    }

    fn reached(&self, r: &Row) -> Reached {
        let index = self.index;
        let channels = self.paths.channels(r.entity.into());
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
            via: last.map(|hop| index.event_id(hop.channel).into_owned()),
            previous: last.map(|hop| index.entity_id(hop.from).to_string()),
            path: self.query.paths.then(|| {
                hops.iter()
                    .map(|hop| index.event_id(hop.channel).into_owned())
                    .collect()
            }),
            path_channels: channels,
        }
    }

    /// The answer with every string made.
    pub fn answer(&self) -> ReachAnswer {
        let index = self.index;
        ReachAnswer {
            asked: Asked {
                source: index.entity_id(self.query.source).to_string(),
                message: index.spec.message.clone(),
                mode: index.spec.mode,
                start: self.query.start.filter(|t| *t != NO_LOWER),
                until: self.query.until,
                threshold: index.spec.threshold,
                strict: self.query.strict,
            },
            reached: self.rows.iter().map(|r| self.reached(r)).collect(),
            not_reached: self
                .not_reached
                .iter()
                .map(|&v| index.entity_id(v).to_string())
                .collect(),
        }
    }
}
