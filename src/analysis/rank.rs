//! Who matters in the network: every entity ranked by one measure.
//!
//! Four static measures ignore time and run on the entities' simple graph
//! ([`crate::graph::EntityGraph`]: two entities linked when they share a
//! contact at or above the threshold, or, when asked, a relation): degree,
//! betweenness and closeness centrality (rustworkx-core) and PageRank. They
//! equal networkx's on the same graph.
//!
//! Three temporal measures follow the time-respecting engine ([`mod@super::reach`]):
//!
//! - **reach**: how many other entities each entity could have told,
//!   through chains of contacts, from the time it was first active (the
//!   start of its earliest contact) or from `since`;
//! - **told**: how many other entities could have told each entity: the
//!   sources, each from its first activity or from `since`, whose search
//!   reaches it by `until` (the transpose of reach);
//! - **broker**: on how many earliest-arrival chains from a source (the
//!   chain `reach` reports for each entity it reaches) each entity is an
//!   intermediate, neither the source nor the end. Without a source, summed
//!   over every entity as the source, from its first activity.
//!
//! Reach and told are exact; past [`ESTIMATE_WORK`] the command line
//! estimates them in one pass ([`rank_estimated`], [`super::spread`]), within
//! a stated bound.
//!
//! Rows are ranked by value, highest first (ties share a rank: 1, 2, 2, 4;
//! scores that agree to 10⁻¹² are ties), then by name and id.

use std::ops::Range;

use serde::{Serialize, Serializer};

use super::reach::{earliest_arrival, earliest_paths, ReachQuery, SourceHeld, NO_LOWER, NO_UPPER};
use super::spread::{estimate, Direction, EstimateInfo};
use crate::catalog::{Catalog, ChannelId, EntityId, NodeId};
use crate::error::{Limited, QueryError};
use crate::graph::StaticGraph;
use crate::index::{Index, IndexSpec, Mode};
use crate::model::time::rfc3339;
use crate::model::Certainty;
use crate::Error;

/// A measure to rank by.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
#[cfg_attr(feature = "cli", derive(clap::ValueEnum))]
pub enum Measure {
    /// The fraction of the other entities each is linked to.
    #[cfg_attr(
        feature = "cli",
        value(help = "the fraction of the others each is linked to")
    )]
    Degree,
    /// The fraction of shortest paths between others that pass through it.
    #[cfg_attr(
        feature = "cli",
        value(help = "the fraction of shortest paths between others through it")
    )]
    Betweenness,
    /// How close it is to everyone it is connected to (Wasserman–Faust).
    #[cfg_attr(
        feature = "cli",
        value(help = "how near it is to the others (Wasserman-Faust)")
    )]
    Closeness,
    /// PageRank (damping 0.85).
    #[cfg_attr(feature = "cli", value(help = "PageRank, damping 0.85"))]
    Pagerank,
    /// How many others it could have told, through time-respecting chains.
    #[cfg_attr(
        feature = "cli",
        value(help = "how many others it could have told, through time-respecting chains")
    )]
    Reach,
    /// How many others could have told it, through time-respecting chains.
    #[cfg_attr(
        feature = "cli",
        value(help = "how many others could have told it, through time-respecting chains")
    )]
    Told,
    /// On how many earliest-arrival chains it is an intermediate.
    #[cfg_attr(
        feature = "cli",
        value(help = "on how many earliest chains it is an intermediate")
    )]
    Broker,
}

impl Measure {
    /// True for the measures that ignore time.
    pub fn is_static(self) -> bool {
        matches!(
            self,
            Measure::Degree | Measure::Betweenness | Measure::Closeness | Measure::Pagerank
        )
    }

    /// The measure's name as the command line writes it.
    pub fn as_str(self) -> &'static str {
        match self {
            Measure::Degree => "degree",
            Measure::Betweenness => "betweenness",
            Measure::Closeness => "closeness",
            Measure::Pagerank => "pagerank",
            Measure::Reach => "reach",
            Measure::Told => "told",
            Measure::Broker => "broker",
        }
    }
}

/// Most links the static graph may have (a meeting of k people makes
/// k(k−1)/2): 50 million, about 1.2 GB of graph.
pub const MAX_LINKS: usize = 50_000_000;

/// Most steps betweenness and closeness may take: entities × (entities +
/// links) of the static graph (a breadth-first search from every entity),
/// 10^9, about a minute on one core; past it they refuse at once. A
/// meeting of k people is k(k−1)/2 links here: one of 2,000 people is
/// 2,000 × 2,001,000 steps, refused.
pub const MAX_CENTRALITY_WORK: u64 = 1_000_000_000;

/// A measure's value: a count (reach, broker) or a score.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Value {
    /// A number of entities or chains.
    Count(u64),
    /// A centrality score.
    Score(f64),
}

impl Value {
    /// The value as a float, for comparing.
    pub fn as_f64(self) -> f64 {
        match self {
            Value::Count(n) => n as f64,
            Value::Score(x) => x,
        }
    }
}

impl Serialize for Value {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match *self {
            Value::Count(n) => s.serialize_u64(n),
            Value::Score(x) => s.serialize_f64(x),
        }
    }
}

/// One ranked entity.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RankRow {
    /// 1 for the highest value; equal values share the rank of the first.
    pub rank: usize,
    /// Entity id.
    pub entity: String,
    /// Display name.
    pub name: String,
    /// The measure's value.
    pub value: Value,
}

/// What a ranking was asked with; the default follows every contact, from
/// each entity's first activity, with no end.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RankOptions {
    /// Contacts (and relations) weaker than this are left out.
    pub threshold: Certainty,
    /// Static measures: standing relations link their ends too.
    pub relations: bool,
    /// Temporal measures: every entity starts at this second instead of
    /// its first activity.
    pub since: Option<i64>,
    /// Temporal measures: count only what arrives by this second.
    pub until: Option<i64>,
    /// Temporal measures: each hop at least a second after its sender had it.
    pub strict: bool,
    /// Static measures: count paths through audiences (entities of kind
    /// `group`) too; by default a group is an endpoint only.
    pub through_groups: bool,
}

impl Default for RankOptions {
    fn default() -> Self {
        RankOptions {
            threshold: Certainty::Unknown,
            relations: false,
            since: None,
            until: None,
            strict: false,
            through_groups: false,
        }
    }
}

/// Every entity ranked by one measure.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RankAnswer {
    /// The measure.
    pub measure: Measure,
    /// The evidence threshold.
    pub threshold: Certainty,
    /// Static measures: whether relations link entities (absent for the
    /// temporal ones).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub relations: Option<bool>,
    /// Broker from one source: its id.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub source: Option<String>,
    /// Broker from a message: its id.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub message: Option<String>,
    /// Broker from one source: which contacts the chains follow.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub mode: Option<Mode>,
    /// Temporal measures: the common start, when given.
    #[serde(serialize_with = "ser_time", skip_serializing_if = "Option::is_none")]
    pub since: Option<i64>,
    /// Temporal measures: `--until`, when given.
    #[serde(serialize_with = "ser_time", skip_serializing_if = "Option::is_none")]
    pub until: Option<i64>,
    /// Temporal measures: strict mode.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub strict: Option<bool>,
    /// Number of links of the static graph (static measures).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub links: Option<usize>,
    /// Reach and told past [`ESTIMATE_WORK`] (or when asked): the counts
    /// are estimates, made as this says, within its `bound` (three
    /// standard errors) of the exact ones.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub estimate: Option<EstimateInfo>,
    /// Every entity, highest value first, then by name and id.
    pub entities: Vec<RankRow>,
}

fn ser_time<S: Serializer>(t: &Option<i64>, s: S) -> Result<S::Ok, S::Error> {
    match *t {
        Some(v) if v != NO_LOWER && v != NO_UPPER => s.serialize_str(&rfc3339(v)),
        _ => s.serialize_none(),
    }
}

/// Ranks every entity of `catalog` by a static measure.
///
/// # Errors
/// [`Error::Query`] when the entities' simple graph would have more than
/// [`MAX_LINKS`] links (a contact of k parties links every pair of them).
///
/// # Complexity
/// Degree O(n + l); betweenness and closeness O(n·l) for n entities and l
/// links; PageRank O(r·(n + l)) for r ≤ 10 000 rounds (about 250 on most
/// graphs).
pub fn rank_static(
    catalog: &dyn Catalog,
    measure: Measure,
    options: &RankOptions,
) -> Result<RankAnswer, Error> {
    let g = StaticGraph::build(catalog, options.threshold, options.relations)
        .entity_graph(MAX_LINKS)
        .map_err(|n| {
            Error::Query(QueryError::Limit {
                what: Limited::RankLinks,
                limit: MAX_LINKS as u64,
                found: n as u64,
            })
        })?;
    if matches!(measure, Measure::Betweenness | Measure::Closeness) {
        let n = g.len() as u64;
        let work = n.saturating_mul(n + g.graph().edge_count() as u64);
        if work > MAX_CENTRALITY_WORK {
            return Err(Error::Query(QueryError::Limit {
                what: Limited::CentralityWork,
                limit: MAX_CENTRALITY_WORK,
                found: work,
            }));
        }
    }
    let ends = group_ends(catalog, options.through_groups);
    let values: Vec<f64> = match measure {
        Measure::Degree => g.degree_centrality(),
        Measure::Betweenness => g.betweenness_ending_at(&ends),
        Measure::Closeness => g.closeness_ending_at(&ends),
        Measure::Pagerank => g.pagerank(0.85),
        Measure::Reach | Measure::Told | Measure::Broker => {
            return Err(Error::Query(QueryError::TemporalMeasure {
                measure: measure.as_str(),
            }))
        }
    };
    Ok(RankAnswer {
        measure,
        threshold: options.threshold,
        relations: Some(options.relations),
        source: None,
        message: None,
        mode: None,
        since: None,
        until: None,
        strict: None,
        links: Some(g.graph().edge_count()),
        estimate: None,
        entities: ranked(catalog, values.into_iter().map(Value::Score).collect()),
    })
}

/// Per entity: whether it is an endpoint only for static measures (a group,
/// unless `through` asks for paths through groups too).
pub(crate) fn group_ends(catalog: &dyn Catalog, through: bool) -> Vec<bool> {
    EntityId::all(catalog.entity_count())
        .map(|u| !through && catalog.entity_kind(u) == crate::model::EntityKind::Group)
        .collect()
}

/// A value as ranks compare it: counts exactly, scores to 10⁻¹² (so that
/// values equal but for rounding share a rank, and sort by name).
fn rank_key(v: Value) -> i128 {
    match v {
        Value::Count(n) => i128::from(n),
        Value::Score(x) => (x * 1e12).round() as i128,
    }
}

/// The rows of `values` (one per entity), ranked.
fn ranked(catalog: &dyn Catalog, values: Vec<Value>) -> Vec<RankRow> {
    let mut order: Vec<EntityId> = EntityId::all(values.len()).collect();
    order.sort_by(|&a, &b| {
        rank_key(values[b.index()])
            .cmp(&rank_key(values[a.index()]))
            .then_with(|| catalog.entity_name(a).cmp(catalog.entity_name(b)))
            .then_with(|| catalog.entity_id(a).cmp(catalog.entity_id(b)))
    });
    let mut rows: Vec<RankRow> = Vec::with_capacity(order.len());
    for (i, &u) in order.iter().enumerate() {
        let value = values[u.index()];
        let rank = match rows.last() {
            Some(prev) if rank_key(prev.value) == rank_key(value) => prev.rank,
            _ => i + 1,
        };
        rows.push(RankRow {
            rank,
            entity: catalog.entity_id(u).to_string(),
            name: catalog.entity_name(u).to_string(),
            value,
        });
    }
    rows
}

/// The start of each entity's earliest contact in `index` ([`NO_LOWER`]
/// when that contact is undated or open at its start; [`NO_UPPER`] when it
/// has none). A meeting's hub stands for its participants.
#[doc(hidden)]
pub fn first_active(index: &Index) -> Vec<i64> {
    let n = index.entity_count();
    let mut first = vec![NO_UPPER; n];
    for c in index.channels() {
        let lo = index.lo(c);
        for u in [index.from(c), index.to(c)] {
            if !index.is_hub(u) {
                let f = &mut first[u.index()];
                *f = (*f).min(lo);
            }
        }
    }
    first
}

/// The question each entity is the source of, in the temporal measures:
/// from `since`, else from its first activity.
fn own_query(u: EntityId, first: i64, options: &RankOptions) -> ReachQuery {
    let start = options
        .since
        .or((first != NO_LOWER && first != NO_UPPER).then_some(first));
    ReachQuery {
        start,
        source_held: start.map_or(SourceHeld::Always, SourceHeld::By),
        strict: options.strict,
        until: options.until,
        paths: false,
        ..ReachQuery::new(u)
    }
}

/// Runs `work(u, acc)` for every entity `u`, on up to `threads` threads,
/// each with its own accumulator made by `init`; returns the accumulators.
fn for_every_entity<A: Send>(
    n: usize,
    threads: usize,
    init: impl Fn() -> A + Sync,
    work: impl Fn(usize, &mut A) + Sync,
) -> Vec<A> {
    let threads = threads.clamp(1, n.max(1));
    let chunk = n.div_ceil(threads).max(1);
    std::thread::scope(|scope| {
        let jobs: Vec<_> = (0..threads)
            .map(|k| {
                let (work, init) = (&work, &init);
                scope.spawn(move || {
                    let mut acc = init();
                    for u in (k * chunk).min(n)..((k + 1) * chunk).min(n) {
                        work(u, &mut acc);
                    }
                    acc
                })
            })
            .collect();
        jobs.into_iter()
            .map(|j| j.join().unwrap_or_else(|e| std::panic::resume_unwind(e)))
            .collect()
    })
}

/// How many threads the temporal measures use: the machine's parallelism,
/// at most 8.
fn threads() -> usize {
    std::thread::available_parallelism()
        .map(|n| n.get())
        .unwrap_or(1)
        .min(8)
}

/// Ranks every entity by how many others it could have told: the entities
/// (itself left out) that an earliest-arrival search from it reaches, by
/// `until`, starting at `since` or at its first activity.
///
/// # Complexity
/// On exact times (every contact one second, as in a mail corpus), one
/// sweep over the channels per 4096 sources, carrying for every entity the
/// set of sources that could have reached it as bits: O(n·c/64) time and
/// 512 bytes per entity and thread. With intervals, one earliest-arrival
/// pass per entity, O(n·c log c). Both spread over the machine's threads.
pub fn rank_reach(catalog: &dyn Catalog, options: &RankOptions) -> RankAnswer {
    let counts = temporal_counts(catalog, options);
    temporal_answer(catalog, Measure::Reach, options, None, None, counts.reach)
}

/// Ranks every entity by how many others could have told it: the sources
/// (itself left out), each starting at `since` or at its own first
/// activity, whose earliest-arrival search reaches it by `until`. The
/// transpose of [`rank_reach`]: the two sum to the same total.
///
/// # Complexity
/// As [`rank_reach`] (the same sweeps count both).
pub fn rank_told(catalog: &dyn Catalog, options: &RankOptions) -> RankAnswer {
    let counts = temporal_counts(catalog, options);
    temporal_answer(catalog, Measure::Told, options, None, None, counts.told)
}

/// Entities × contacts past which `rank --by reach` and `--by told`
/// estimate instead of counting exactly (10^11: the exact sweeps then take
/// more than about ten seconds; 10^6 generated rows, 87,510 entities, stay
/// exact).
pub const ESTIMATE_WORK: f64 = 1e11;

/// Whether reach and told on `catalog` are past [`ESTIMATE_WORK`].
pub fn past_estimate_work(catalog: &dyn Catalog) -> bool {
    catalog.entity_count() as f64 * catalog.channels().len() as f64 > ESTIMATE_WORK
}

/// [`rank_reach`] or [`rank_told`] (`measure`), estimated in one pass with
/// sketches of 2^`precision` registers ([`super::spread`]);
/// `progress(done, total)` as the pass goes. `None` when some contact is
/// not one exact second (then only the exact counts are made), or for
/// another measure.
pub fn rank_estimated(
    catalog: &dyn Catalog,
    measure: Measure,
    options: &RankOptions,
    precision: u8,
    progress: &dyn Fn(usize, usize),
) -> Option<RankAnswer> {
    let direction = match measure {
        Measure::Reach => Direction::Reach,
        Measure::Told => Direction::Told,
        _ => return None,
    };
    let spec = IndexSpec {
        message: None,
        mode: Mode::Contacts,
        threshold: options.threshold,
    };
    let index = Index::build(catalog, &spec);
    let est = estimate(&index, options, direction, precision, progress)?;
    let mut answer = temporal_answer(catalog, measure, options, None, None, est.counts);
    answer.estimate = Some(est.info);
    Some(answer)
}

/// Per entity: how many others it could have told, and how many could have
/// told it.
struct Counts {
    reach: Vec<u64>,
    told: Vec<u64>,
}

/// [`rank_reach`]'s and [`rank_told`]'s counts, exactly.
fn temporal_counts(catalog: &dyn Catalog, options: &RankOptions) -> Counts {
    let spec = IndexSpec {
        message: None,
        mode: Mode::Contacts,
        threshold: options.threshold,
    };
    let index = Index::build(catalog, &spec);
    let first = first_active(&index);
    let n = index.entity_count();
    if let Some(counts) = reach_counts_exact(&index, &first, options) {
        return counts;
    }
    let by = |t: i64| t != NO_UPPER && options.until.is_none_or(|u| t <= u);
    let init = || (Vec::new(), vec![0u64; n]);
    let parts = for_every_entity(n, threads(), init, |u, acc: &mut (Vec<u64>, Vec<u64>)| {
        let q = own_query(EntityId::at(u), first[u], options);
        let arr = earliest_arrival(&index, &q, options.threshold);
        let mut count = 0;
        for v in (0..n).filter(|&v| v != u && by(arr[v])) {
            count += 1;
            acc.1[v] += 1;
        }
        acc.0.push(count);
    });
    let mut counts = Counts {
        reach: Vec::with_capacity(n),
        told: vec![0u64; n],
    };
    // `for_every_entity` hands out the entities in order, a run per thread.
    for (reach, told) in parts {
        counts.reach.extend(reach);
        add_into(&mut counts.told, &told);
    }
    counts
}

/// `total[i] += part[i]` for every i.
fn add_into(total: &mut [u64], part: &[u64]) {
    for (t, p) in total.iter_mut().zip(part) {
        *t += p;
    }
}

/// Sources per sweep of [`reach_counts_exact`]: 64 words of bits per entity.
const SWEEP: usize = 4096;

/// [`rank_reach`]'s counts on exact times, or `None` when some channel is
/// an interval.
///
/// Each entity carries, as bits, the set of sources whose information it
/// could hold; the channels are swept in time order, each second's group at
/// once: without `strict`, closed whatever the order of its relays (a relay
/// in the same second passes it on); with `strict`, every sender as it was
/// before the second (a meeting's hub passes on what it got in its second).
/// A source joins its own set at its start (with `strict`, after its
/// second). Then each source's count is the number of other entities whose
/// set holds it, summed with bit-sliced counters.
fn reach_counts_exact(index: &Index, first: &[i64], options: &RankOptions) -> Option<Counts> {
    let c = index.channel_count();
    if !index.channels().all(|k| index.lo(k) == index.hi(k)) {
        return None;
    }
    let n = index.entity_count();
    let nodes = index.node_count();
    let until = options.until.unwrap_or(NO_UPPER);
    let start = |u: usize| match options.since {
        Some(t) => t,
        None => first[u],
    };
    // Groups of channels of one second, by `until`.
    let mut groups: Vec<(usize, usize)> = Vec::new();
    let lo = |k: usize| index.lo(ChannelId::at(k));
    let mut k = 0;
    while k < c && lo(k) <= until {
        let t = lo(k);
        let mut e = k + 1;
        while e < c && lo(e) == t {
            e += 1;
        }
        groups.push((k, e));
        k = e;
    }
    let sweeps = Sweeps {
        index,
        groups: &groups,
        n,
        nodes,
        start: &start,
        strict: options.strict,
    };
    let chunks: Vec<usize> = (0..n.div_ceil(SWEEP)).collect();
    let per_thread = chunks.len().div_ceil(threads()).max(1);
    let results = for_every_entity(
        chunks.len().div_ceil(per_thread),
        threads(),
        || (Vec::new(), vec![0u64; n]),
        |job, acc: &mut (Vec<u64>, Vec<u64>)| {
            for chunk in (job * per_thread)..((job + 1) * per_thread).min(chunks.len()) {
                acc.0.extend(sweeps.sweep(chunk * SWEEP, &mut acc.1));
            }
        },
    );
    let mut counts = Counts {
        reach: Vec::with_capacity(n),
        told: vec![0u64; n],
    };
    // The jobs hold the chunks in order, a run each.
    for (reach, told) in results {
        counts.reach.extend(reach);
        add_into(&mut counts.told, &told);
    }
    Some(counts)
}

/// What every sweep of [`reach_counts_exact`] shares.
struct Sweeps<'a> {
    index: &'a Index<'a>,
    /// The channels of each second, by `until`: `(first, end)`.
    groups: &'a [(usize, usize)],
    /// Entities.
    n: usize,
    /// Entities and hubs.
    nodes: usize,
    /// Each source's start.
    start: &'a (dyn Fn(usize) -> i64 + Sync),
    strict: bool,
}

/// Words of bits per entity in a sweep: one bit per source.
const W: usize = SWEEP / 64;

impl Sweeps<'_> {
    /// One sweep for the sources `base..base+SWEEP`: each one's count; adds
    /// to `told` how many of them could have told each entity.
    fn sweep(&self, base: usize, told: &mut [u64]) -> Vec<u64> {
        let count = SWEEP.min(self.n - base);
        let mut bits = vec![0u64; self.nodes * W];
        let mut sources: Vec<(i64, usize)> = (base..base + count)
            .map(|u| ((self.start)(u), u))
            .filter(|&(t, _)| t != NO_UPPER)
            .collect();
        sources.sort_unstable();
        let mut next = 0;
        let mut pending: Vec<u64> = Vec::new();
        for &(a, b) in self.groups {
            let t = self.index.lo(ChannelId::at(a));
            while next < sources.len()
                && (sources[next].0 < t || (!self.strict && sources[next].0 == t))
            {
                let (_, u) = sources[next];
                let i = u - base;
                bits[u * W + i / 64] |= 1 << (i % 64);
                next += 1;
            }
            if self.strict {
                self.second_strict(&mut bits, &mut pending, a..b);
            } else {
                self.second_closed(&mut bits, a..b);
            }
        }
        told_counts(&bits, base, count, told);
        counts(&bits, base, count, self.n)
    }

    /// The sender of channel `k`, as a row.
    #[inline]
    fn from(&self, k: usize) -> usize {
        self.index.from(ChannelId::at(k)).index()
    }

    /// The receiver of channel `k`, as a row.
    #[inline]
    fn to(&self, k: usize) -> usize {
        self.index.to(ChannelId::at(k)).index()
    }

    /// Whether row `f` is a meeting's hub.
    #[inline]
    fn hub(&self, f: usize) -> bool {
        self.index.is_hub(NodeId::at(f))
    }

    /// The channels `second` of one second, strict: senders as they were
    /// before it; then the hubs, which pass on what they got in it.
    fn second_strict(&self, bits: &mut [u64], pending: &mut Vec<u64>, second: Range<usize>) {
        pending.clear();
        for k in second.clone() {
            let f = self.from(k);
            if !self.hub(f) {
                pending.extend_from_slice(&bits[f * W..(f + 1) * W]);
            }
        }
        let mut p = 0;
        for k in second.clone() {
            let (f, to) = (self.from(k), self.to(k));
            if !self.hub(f) {
                let row = &pending[p * W..(p + 1) * W];
                for (d, s) in bits[to * W..(to + 1) * W].iter_mut().zip(row) {
                    *d |= *s;
                }
                p += 1;
            }
        }
        for k in second {
            let (f, to) = (self.from(k), self.to(k));
            if self.hub(f) && f != to {
                or_into(bits, f, to);
            }
        }
    }

    /// The channels `second` of one second, closed: pass again while an
    /// entity that gained something sends on a channel of the second
    /// already passed over (in a large second, while anything changed).
    fn second_closed(&self, bits: &mut [u64], second: Range<usize>) {
        let (a, b) = (second.start, second.end);
        loop {
            let mut again = false;
            for k in a..b {
                let (f, to) = (self.from(k), self.to(k));
                if f != to && or_into(bits, f, to) {
                    again = again || b - a > 32 || (a..=k).any(|j| self.from(j) == to);
                }
            }
            if !again {
                break;
            }
        }
    }
}

/// Row `to` |= row `from` (two different rows); whether it changed.
/// Branch-free, so that it runs as vector instructions.
#[inline]
fn or_into(bits: &mut [u64], from: usize, to: usize) -> bool {
    let (src, dst) = if from < to {
        let (lo, hi) = bits.split_at_mut(to * W);
        (&lo[from * W..(from + 1) * W], &mut hi[..W])
    } else {
        let (lo, hi) = bits.split_at_mut(from * W);
        (&hi[..W], &mut lo[to * W..(to + 1) * W])
    };
    let mut diff = 0u64;
    for (d, s) in dst.iter_mut().zip(src) {
        let x = *d | *s;
        diff |= x ^ *d;
        *d = x;
    }
    diff != 0
}

/// Each of the `count` sources from `base` on: how many of the `n`
/// entities (itself left out) hold its bit, summed with bit-sliced
/// counters (plane j holds bit j of each source's count).
fn counts(bits: &[u64], base: usize, count: usize, n: usize) -> Vec<u64> {
    const PLANES: usize = 33;
    let mut planes = vec![0u64; W * PLANES];
    for v in 0..n {
        for w in 0..W {
            let mut carry = bits[v * W + w];
            let mut j = 0;
            while carry != 0 && j < PLANES {
                let plane = &mut planes[w * PLANES + j];
                let next_carry = *plane & carry;
                *plane ^= carry;
                carry = next_carry;
                j += 1;
            }
        }
    }
    (0..count)
        .map(|i| {
            let (w, b) = (i / 64, i % 64);
            let total: u64 = (0..PLANES)
                .map(|j| ((planes[w * PLANES + j] >> b) & 1) << j)
                .sum();
            // Itself, when it holds its own information.
            let own = (bits[(base + i) * W + w] >> b) & 1;
            total - own
        })
        .collect()
}

/// Adds to `told[v]`, for each of the `told.len()` entities, how many of
/// the `count` sources from `base` (itself left out) could have told it:
/// the bits its row holds.
fn told_counts(bits: &[u64], base: usize, count: usize, told: &mut [u64]) {
    for (v, t) in told.iter_mut().enumerate() {
        let row = &bits[v * W..(v + 1) * W];
        let held: u32 = row.iter().map(|w| w.count_ones()).sum();
        let own = (base..base + count).contains(&v) && {
            let i = v - base;
            (row[i / 64] >> (i % 64)) & 1 == 1
        };
        *t += u64::from(held) - u64::from(own);
    }
}

/// For every entity, on how many of the chains `reach` reports from the
/// source of `query` (one per reached entity) it is an intermediate.
fn broker_counts(index: &Index, query: &ReachQuery, counts: &mut [u64]) {
    let threshold = index.spec().threshold;
    let paths = earliest_paths(index, query, threshold);
    let n = index.entity_count();
    let by = |t: i64| query.until.is_none_or(|u| t <= u);
    let source = NodeId::from(query.source);
    for v in NodeId::all(n) {
        if v == source || !paths.time(v).is_some_and(by) {
            continue;
        }
        let hops = index.hops_of(&paths.channels(v));
        for hop in hops.iter().take(hops.len().saturating_sub(1)) {
            if !index.is_hub(hop.to) && hop.to != source {
                counts[hop.to.index()] += 1;
            }
        }
    }
}

/// Ranks every entity by how often it is an intermediate on the
/// earliest-arrival chains (`reach`'s chain to each entity reached) from
/// the source of `query`, on `index` (built by [`crate::Query::compile`]).
///
/// # Complexity
/// One earliest-path pass, then the chains: O(c log c + h) for h hops in
/// all.
#[doc(hidden)]
pub fn rank_broker_from(index: &Index, query: &ReachQuery) -> RankAnswer {
    let catalog = index.catalog();
    let mut counts = vec![0u64; index.entity_count()];
    broker_counts(index, query, &mut counts);
    let options = RankOptions {
        threshold: index.spec().threshold,
        relations: false,
        since: query.start,
        until: query.until,
        strict: query.strict,
        through_groups: false,
    };
    let mut answer = temporal_answer(
        catalog,
        Measure::Broker,
        &options,
        Some(catalog.entity_id(query.source).to_string()),
        index.spec().message.clone(),
        counts,
    );
    answer.mode = Some(index.spec().mode);
    answer
}

/// Ranks every entity by how often it is an intermediate on the
/// earliest-arrival chains from every entity (each from `since` or from its
/// first activity), summed over the sources.
///
/// # Complexity
/// One earliest-path pass per entity: O(n·(c log c + h)), spread over the
/// machine's threads.
pub fn rank_broker(catalog: &dyn Catalog, options: &RankOptions) -> RankAnswer {
    let spec = IndexSpec {
        message: None,
        mode: Mode::Contacts,
        threshold: options.threshold,
    };
    let index = Index::build(catalog, &spec);
    let first = first_active(&index);
    let n = index.entity_count();
    let parts = for_every_entity(
        n,
        threads(),
        || vec![0u64; n],
        |u, counts| {
            let q = own_query(EntityId::at(u), first[u], options);
            broker_counts(&index, &q, counts);
        },
    );
    let mut counts = vec![0u64; n];
    for part in parts {
        for (total, c) in counts.iter_mut().zip(part) {
            *total += c;
        }
    }
    temporal_answer(catalog, Measure::Broker, options, None, None, counts)
}

fn temporal_answer(
    catalog: &dyn Catalog,
    measure: Measure,
    options: &RankOptions,
    source: Option<String>,
    message: Option<String>,
    counts: Vec<u64>,
) -> RankAnswer {
    RankAnswer {
        measure,
        threshold: options.threshold,
        relations: None,
        source,
        message,
        mode: None,
        since: options.since.filter(|t| *t != NO_LOWER),
        until: options.until,
        strict: Some(options.strict),
        links: None,
        estimate: None,
        entities: ranked(catalog, counts.into_iter().map(Value::Count).collect()),
    }
}
