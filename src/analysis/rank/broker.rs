//! `rank --by broker`: how often each entity is an intermediate on the
//! earliest-arrival chains from one source or from every entity.

use super::{first_active, for_every_entity, own_query, temporal_answer, threads};
use super::{Measure, RankAnswer, RankOptions};
use crate::analysis::reach::{earliest_paths, ReachQuery};
use crate::catalog::{Catalog, EntityId, NodeId};
use crate::index::{Index, IndexSpec, Mode};

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
