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

use serde::{Serialize, Serializer};

use super::reach::{ReachQuery, SourceHeld, NO_LOWER, NO_UPPER};
use super::spread::EstimateInfo;
use crate::catalog::{Catalog, EntityId};
use crate::error::{Limited, QueryError};
use crate::graph::StaticGraph;
use crate::index::{Index, Mode};
use crate::model::time::rfc3339;
use crate::model::Certainty;
use crate::Error;

mod broker;
mod estimate;
mod exact;

pub use broker::{rank_broker, rank_broker_from};
pub use estimate::{past_estimate_work, rank_estimated, ESTIMATE_WORK};

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
    let counts = exact::temporal_counts(catalog, options);
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
    let counts = exact::temporal_counts(catalog, options);
    temporal_answer(catalog, Measure::Told, options, None, None, counts.told)
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
