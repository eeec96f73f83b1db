//! What a reach answer hangs on: for each reached entity, the events whose
//! removal alone cuts it off (its single points of failure), and the
//! smallest set of events whose removal cuts it off (a minimum cut of the
//! time-respecting chains); and who is still reached when some events are
//! taken as false ([`without`]).
//!
//! "Cut off" means what `reach` means by reached: no time-respecting chain
//! of the remaining events brings the information to the entity (by
//! `until`, when given). Removing an event removes all of its channels: a
//! forward to four people, or a meeting, is one claim.
//!
//! Two methods find the minimum cut; both give a minimum one:
//!
//! - [`Method::Flow`], when every contact of the index is one exact second
//!   (a mail corpus): a max-flow over the time-expanded graph, where each
//!   event is one node of capacity 1 (plus a small weight for its
//!   certainty) through which every chain that uses it passes. A chain of
//!   this graph is a time-respecting chain and back, so by Menger's theorem
//!   its minimum node cut is the minimum event cut.
//! - [`Method::Search`], otherwise: with date intervals an event can pass
//!   the information on at different times to different chains, and no
//!   single node can stand for it; the cut is found by an exact bounded
//!   search (every chain avoiding a set must be hit: branch on the events of
//!   the earliest chain that avoids it, by increasing size), each step a run
//!   of the reach engine itself on the input without the events removed.
//!
//! Among the minimum sets, the one of the weakest evidence is chosen (the
//! least sum of certainties: unknown 0 to confirmed 3); among those, the
//! flow takes the cut nearest the entity, and the search the set of the
//! latest events in the input's canonical order. Neither depends on the
//! order of the file.

use std::borrow::Cow;
use std::collections::{BTreeSet, HashMap, HashSet};

use jiff::tz::TimeZone;
use serde::Serialize;

use crate::analysis::reach::ser_time;

use super::reach::{earliest_paths, reach, Asked, ReachAnswer, ReachQuery};
use super::Query;
use crate::catalog::{certainty_bits, Catalog, ChannelId, Channels, EntityId, EventId};
use crate::error::{Limited, QueryError};
use crate::index::{Index, IndexSpec};
use crate::model::{
    Certainty, Entity, EntityKind, Event, Interval, Message, Parties, Relation, Source, Story,
};
use crate::Error;

mod flow;
use flow::Network;

/// How to find the minimum cut.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Method {
    /// [`Method::Flow`] when every channel is one exact second, else
    /// [`Method::Search`].
    #[default]
    Auto,
    /// Max-flow over the time-expanded graph (exact times only; with
    /// intervals, `Auto` is used instead).
    Flow,
    /// Bounded search with the reach engine (any times).
    Search,
}

/// What to look at.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CriticalQuery {
    /// The entities to examine; `None`: every reached entity but the
    /// source.
    pub targets: Option<Vec<EntityId>>,
    /// How to find the cuts.
    pub method: Method,
    /// [`Method::Search`]: most runs of the engine per entity before it
    /// gives its best cut so far, marked as not proven minimum.
    pub budget: usize,
    /// Most steps in all (engine runs and flows, each counted as the
    /// channels it goes over): [`MAX_CRITICAL_WORK`] by default. The
    /// search's runs per entity are cut to share it (cuts found then may be
    /// marked not proven minimum); when each entity cannot have
    /// [`MIN_SEARCH_RUNS`] runs (or one flow), the question is refused at
    /// once with [`Limited::CriticalWork`](crate::error::Limited).
    pub max_work: u64,
}

/// Steps `critical` takes at most by default: 3×10^8 channels gone over
/// (about 30 s on one core).
pub const MAX_CRITICAL_WORK: u64 = 300_000_000;

/// Runs of the engine each entity must be able to have under the search
/// (a cut of two events on chains of ten hops takes about a hundred).
pub const MIN_SEARCH_RUNS: u64 = 100;

impl Default for CriticalQuery {
    fn default() -> Self {
        CriticalQuery {
            targets: None,
            method: Method::Auto,
            budget: DEFAULT_BUDGET,
            max_work: MAX_CRITICAL_WORK,
        }
    }
}

/// Runs of the engine [`Method::Search`] may make per entity by default.
pub const DEFAULT_BUDGET: usize = 20_000;

/// What one reached entity hangs on.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Critical {
    /// Entity id.
    pub entity: String,
    /// Display name.
    pub name: String,
    /// The events whose removal alone cuts it off, in causal order (by when
    /// their sender could first have had the information; empty when no
    /// single event does).
    pub single_points: Vec<String>,
    /// A smallest set of events whose removal cuts it off, in causal order.
    pub cut: Vec<String>,
    /// Whether `cut` is proven minimum (false only when the search ran out
    /// of its budget; the set still cuts it off).
    pub minimum: bool,
    /// No set of fewer events cuts it off (equal to the size of `cut` when
    /// `minimum`).
    pub lower_bound: usize,
}

/// One event named by an answer, with what it rests on.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct EventInfo {
    /// Event id.
    pub event: String,
    /// Its time as written (`None`: undated).
    pub time: Option<String>,
    /// First second it can have happened (`None`: no lower bound).
    #[serde(serialize_with = "ser_time")]
    pub start: Option<i64>,
    /// Last second it can have happened (`None`: no upper bound).
    #[serde(serialize_with = "ser_time")]
    pub end: Option<i64>,
    /// Kind.
    pub kind: String,
    /// Certainty.
    pub certainty: Certainty,
    /// Sender (directed events).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub from: Option<String>,
    /// Receivers (directed events).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub to: Vec<String>,
    /// Participants (mutual events).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub participants: Vec<String>,
    /// The sentence it rests on, if cited (or the event's own quote).
    pub quote: Option<String>,
    /// The cited source id.
    pub source: Option<String>,
    /// The cited source's title or publisher.
    pub source_title: Option<String>,
}

/// The answer of [`critical`]: the question as `reach` echoes it, what each
/// entity hangs on, and every event named.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CriticalAnswer {
    /// The question (its fields at the top level of the JSON).
    #[serde(flatten)]
    pub asked: Asked,
    /// Each examined reached entity, in reach's causal order.
    pub entities: Vec<Critical>,
    /// Every event named above, in causal order.
    pub events: Vec<EventInfo>,
    /// Steps taken (channels gone over by the engine runs and flows): at
    /// most the query's `max_work` and one entity's share more.
    #[serde(skip)]
    pub work: u64,
}

/// A catalogue without some events: the same entities, messages and event
/// numbers, and the channels of every other event. Any analysis run on it
/// answers as if the events had never been recorded.
#[doc(hidden)]
pub struct Without<'a> {
    inner: &'a dyn Catalog,
    channels: Channels,
    /// The events removed (holdings too: a holding is a claim).
    gone: HashSet<EventId>,
}

impl<'a> Without<'a> {
    /// `inner` without the events in `removed`. O(c).
    pub fn new(inner: &'a dyn Catalog, removed: &[EventId]) -> Without<'a> {
        let all = inner.channels();
        let gone: HashSet<EventId> = removed.iter().copied().collect();
        let keep: Vec<ChannelId> = ChannelId::all(all.len())
            .filter(|&c| !gone.contains(&all.event(c)))
            .collect();
        let pick = |col: &[u32]| keep.iter().map(|&c| col[c.index()]).collect::<Vec<u32>>();
        let times = crate::catalog::TimeColumns::from_intervals(
            keep.iter().map(|&c| all.lo(c)).collect(),
            keep.iter().map(|&c| all.hi(c)).collect(),
        );
        let mut channels = Channels {
            from: pick(&all.from),
            to: pick(&all.to),
            event: Some(keep.iter().map(|&c| all.event(c).0).collect()),
            times,
            certainty: keep.iter().map(|&c| all.certainty[c.index()]).collect(),
            by_event: Default::default(),
            hubs: all.hubs,
        };
        channels.index_events(inner.event_count());
        Without {
            inner,
            channels,
            gone,
        }
    }
}

impl Catalog for Without<'_> {
    fn entity_count(&self) -> usize {
        self.inner.entity_count()
    }
    fn entity_id(&self, u: EntityId) -> &str {
        self.inner.entity_id(u)
    }
    fn entity_name(&self, u: EntityId) -> &str {
        self.inner.entity_name(u)
    }
    fn entity(&self, u: EntityId) -> Cow<'_, Entity> {
        self.inner.entity(u)
    }
    fn entity_aliases(&self, u: EntityId) -> &[String] {
        self.inner.entity_aliases(u)
    }
    fn entity_kind(&self, u: EntityId) -> EntityKind {
        self.inner.entity_kind(u)
    }
    fn entity_number(&self, id: &str) -> Option<EntityId> {
        self.inner.entity_number(id)
    }
    fn message_count(&self) -> usize {
        self.inner.message_count()
    }
    fn message(&self, m: usize) -> Cow<'_, Message> {
        self.inner.message(m)
    }
    fn message_number(&self, id: &str) -> Option<usize> {
        self.inner.message_number(id)
    }
    fn describe_origin(&self, m: usize) -> String {
        self.inner.describe_origin(m)
    }
    fn no_messages_note(&self) -> &'static str {
        self.inner.no_messages_note()
    }
    fn event_count(&self) -> usize {
        self.inner.event_count()
    }
    fn event_id(&self, e: EventId) -> Cow<'_, str> {
        self.inner.event_id(e)
    }
    fn write_event_id(&self, e: EventId, out: &mut String) {
        self.inner.write_event_id(e, out)
    }
    fn event(&self, e: EventId) -> Cow<'_, Event> {
        self.inner.event(e)
    }
    fn event_interval(&self, e: EventId) -> Interval {
        self.inner.event_interval(e)
    }
    fn event_kind(&self, e: EventId) -> Cow<'_, str> {
        self.inner.event_kind(e)
    }
    fn event_certainty(&self, e: EventId) -> Certainty {
        self.inner.event_certainty(e)
    }
    fn event_number(&self, id: &str) -> Option<EventId> {
        self.inner.event_number(id)
    }
    fn carrying_events(&self, id: &str) -> Vec<EventId> {
        self.inner.carrying_events(id)
    }
    fn channels(&self) -> &Channels {
        &self.channels
    }
    fn holding_channels(&self, id: &str) -> Vec<crate::catalog::HoldingChannel> {
        let mut h = self.inner.holding_channels(id);
        h.retain(|h| !self.gone.contains(&h.event));
        h
    }
    fn is_holding(&self, e: EventId) -> bool {
        self.inner.is_holding(e)
    }
    fn timezone(&self) -> TimeZone {
        self.inner.timezone()
    }
    fn timezone_name(&self) -> Option<&str> {
        self.inner.timezone_name()
    }
    fn title(&self) -> Option<&str> {
        self.inner.title()
    }
    fn sources(&self) -> &[Source] {
        self.inner.sources()
    }
    fn relations(&self) -> &[Relation] {
        self.inner.relations()
    }
    fn resolve_entity(&self, text: &str) -> Result<EntityId, crate::QueryError> {
        self.inner.resolve_entity(text)
    }
    fn excerpt(
        &self,
        entities: Option<&BTreeSet<String>>,
        events: Option<&BTreeSet<String>>,
    ) -> Story {
        self.inner.excerpt(entities, events)
    }
}

/// The details of event `e` of `catalog`: its time, kind, certainty,
/// parties, and the sentence and source it rests on.
#[doc(hidden)]
pub fn event_info(catalog: &dyn Catalog, e: EventId) -> EventInfo {
    let ev = catalog.event(e);
    let citation = ev
        .sources
        .iter()
        .find(|s| s.quote().is_some())
        .or(ev.sources.first());
    let source = citation.map(|s| s.source().to_string());
    let source_title = source
        .as_deref()
        .and_then(|id| catalog.sources().iter().find(|s| s.id == id))
        .and_then(|s| s.title.clone().or_else(|| s.publisher.clone()));
    let iv = catalog.event_interval(e);
    let (from, to, participants) = match &ev.parties {
        Parties::Directed { from, to, .. } => (Some(from.clone()), to.clone(), Vec::new()),
        Parties::Mutual { participants } => (None, Vec::new(), participants.clone()),
    };
    EventInfo {
        event: ev.id.clone(),
        time: ev.time.as_ref().map(|t| t.text.clone()),
        start: iv.lo,
        end: iv.hi,
        kind: ev.kind().to_string(),
        certainty: catalog.event_certainty(e),
        from,
        to,
        participants,
        quote: citation
            .and_then(|s| s.quote())
            .map(str::to_string)
            .or_else(|| ev.quote.clone()),
        source,
        source_title,
    }
}

/// The cut of one entity.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Cut {
    /// Events whose removal alone cuts it off.
    pub single_points: Vec<EventId>,
    /// A minimum set of events whose removal cuts it off.
    pub cut: Vec<EventId>,
    /// Whether `cut` is proven minimum.
    pub minimum: bool,
    /// No smaller set cuts it off.
    pub lower_bound: usize,
}

/// The weight of an event's certainty in the choice between minimum cuts:
/// unknown 0, alleged 1, reported 2, confirmed 3.
fn strength(catalog: &dyn Catalog, e: EventId) -> u64 {
    u64::from(certainty_bits(catalog.event_certainty(e)))
}

/// Each event's place in the input's canonical time order: the position of
/// its first channel (events without channels last).
fn event_ranks(catalog: &dyn Catalog) -> Vec<u32> {
    let ch = catalog.channels();
    let mut rank = vec![u32::MAX; catalog.event_count()];
    for c in ChannelId::all(ch.len()).rev() {
        if let Some(r) = rank.get_mut(ch.event(c).index()) {
            *r = c.0;
        }
    }
    rank
}

/// The causal order of events: by the place, in `answer`'s causal order, of
/// the first of their senders to have the information (events whose senders
/// are not reached last), then by the input's time order.
struct CausalOrder<'a> {
    catalog: &'a dyn Catalog,
    place: HashMap<&'a str, usize>,
    ranks: &'a [u32],
}

impl<'a> CausalOrder<'a> {
    fn new(catalog: &'a dyn Catalog, answer: &'a ReachAnswer, ranks: &'a [u32]) -> Self {
        let place = answer
            .reached
            .iter()
            .enumerate()
            .map(|(i, r)| (r.entity.as_str(), i))
            .collect();
        CausalOrder {
            catalog,
            place,
            ranks,
        }
    }

    /// The sort key of event `e`. O(parties).
    fn key(&self, e: EventId) -> (usize, u32) {
        let ev = self.catalog.event(e);
        let senders: Vec<&str> = match &ev.parties {
            Parties::Directed { from, .. } => vec![from.as_str()],
            Parties::Mutual { participants } => participants.iter().map(String::as_str).collect(),
        };
        let first = senders
            .iter()
            .filter_map(|s| self.place.get(s).copied())
            .min()
            .unwrap_or(usize::MAX);
        (
            first,
            self.ranks.get(e.index()).copied().unwrap_or(u32::MAX),
        )
    }
}

/// Answers "what does each reached entity hang on?" for `query` on
/// `catalog`: per entity, its single points of failure and a minimum cut.
///
/// # Errors
/// Those of [`Query::compile`].
///
/// # Complexity
/// [`Method::Flow`]: O(c) to build the time-expanded graph and O(k·c) for
/// the flow per entity, for c channels and a cut of k events.
/// [`Method::Search`]: up to `budget` runs of the reach engine per entity
/// (each O(c log c)); a cut of k events on chains of L hops takes about
/// L^k runs.
pub fn critical(
    catalog: &dyn Catalog,
    query: &Query,
    cq: &CriticalQuery,
) -> Result<CriticalAnswer, Error> {
    critical_with_progress(catalog, query, cq, &|_, _| {})
}

/// The steps each entity may take under `cq` for `targets` entities over
/// `channels` channels (the flow: one pass; the search: its runs), or the
/// refusal when they cannot have the least they need.
fn share(cq: &CriticalQuery, targets: usize, channels: usize, flow: bool) -> Result<usize, Error> {
    let per_run = channels as u64 + 1;
    let least = if flow { 1 } else { MIN_SEARCH_RUNS };
    let need = (targets as u64)
        .saturating_mul(per_run)
        .saturating_mul(least);
    if need > cq.max_work {
        return Err(Error::Query(QueryError::Limit {
            what: Limited::CriticalWork,
            limit: cq.max_work,
            found: need,
        }));
    }
    let runs = cq.max_work / (targets.max(1) as u64) / per_run;
    Ok((runs.min(cq.budget as u64)) as usize)
}

/// [`critical`], calling `progress(done, total)` after each entity.
///
/// # Errors
/// Those of [`critical`].
pub fn critical_with_progress(
    catalog: &dyn Catalog,
    query: &Query,
    cq: &CriticalQuery,
    progress: &dyn Fn(usize, usize),
) -> Result<CriticalAnswer, Error> {
    let (index, rq) = query.compile(catalog)?;
    let answer = reach(&index, &rq);
    let wanted: Option<HashSet<EntityId>> =
        cq.targets.as_ref().map(|t| t.iter().copied().collect());
    let targets: Vec<EntityId> = answer
        .reached
        .iter()
        .filter(|r| r.entity != answer.asked.source)
        .filter_map(|r| catalog.entity_number(&r.entity))
        .filter(|u| wanted.as_ref().is_none_or(|w| w.contains(u)))
        .collect();
    let exact = index.channels().all(|c| index.lo(c) == index.hi(c));
    let flow = match cq.method {
        Method::Search => false,
        Method::Flow | Method::Auto => exact,
    };
    let ranks = event_ranks(catalog);
    let order = CausalOrder::new(catalog, &answer, &ranks);
    let mut search = Search {
        catalog,
        spec: index.spec().clone(),
        query: ReachQuery {
            paths: true,
            ..rq.clone()
        },
        memo: HashMap::new(),
        runs: 0,
    };
    let channels = index.channel_count();
    let runs = share(cq, targets.len(), channels, flow)?;
    let network = flow.then(|| Network::build(&index, &rq, &|e| strength(catalog, e)));
    let mut named: BTreeSet<((usize, u32), EventId)> = BTreeSet::new();
    let mut entities = Vec::with_capacity(targets.len());
    let total = targets.len();
    let mut work = 0u64;
    for (done, t) in targets.into_iter().enumerate() {
        let cut = match &network {
            Some(net) => {
                let cut = net.cut(t);
                work += (channels as u64 + 1) * (cut.cut.len() as u64 + 1);
                cut
            }
            None => {
                let before = search.runs;
                let cut = search.cut(t, runs, &ranks);
                work += (channels as u64 + 1) * ((search.runs - before) as u64 + 1);
                cut
            }
        };
        progress(done + 1, total);
        let key = |e: EventId| order.key(e);
        let sort = |mut v: Vec<EventId>| {
            v.sort_by_key(|&e| (key(e), e));
            v
        };
        let (single_points, cut_events) = (sort(cut.single_points), sort(cut.cut));
        for &e in single_points.iter().chain(&cut_events) {
            named.insert((key(e), e));
        }
        let ids = |v: &[EventId]| {
            v.iter()
                .map(|&e| catalog.event_id(e).into_owned())
                .collect()
        };
        entities.push(Critical {
            entity: catalog.entity_id(t).to_string(),
            name: catalog.entity_name(t).to_string(),
            single_points: ids(&single_points),
            cut: ids(&cut_events),
            minimum: cut.minimum,
            lower_bound: cut.lower_bound,
        });
    }
    Ok(CriticalAnswer {
        asked: answer.asked,
        entities,
        events: named
            .into_iter()
            .map(|(_, e)| event_info(catalog, e))
            .collect(),
        work,
    })
}

/// The exact bounded search of [`Method::Search`].
struct Search<'c> {
    catalog: &'c dyn Catalog,
    spec: IndexSpec,
    query: ReachQuery,
    /// (target, removed events) → the events of an earliest chain that
    /// avoids them, or `None` when none does.
    memo: HashMap<(EntityId, Vec<EventId>), Option<Vec<EventId>>>,
    /// Engine runs made.
    runs: usize,
}

impl Search<'_> {
    /// The events of an earliest chain to `target` (by `until`) that avoids
    /// `removed` (sorted), in chain order; `None` when no chain does.
    fn chain(&mut self, target: EntityId, removed: &[EventId]) -> Option<Vec<EventId>> {
        let key = (target, removed.to_vec());
        if let Some(hit) = self.memo.get(&key) {
            return hit.clone();
        }
        self.runs += 1;
        let without = Without::new(self.catalog, removed);
        let index = Index::build(&without, &self.spec);
        let paths = earliest_paths(&index, &self.query, self.spec.threshold);
        let found = paths
            .time(target.into())
            .filter(|&t| self.query.until.is_none_or(|u| t <= u))
            .map(|_| {
                let mut events: Vec<EventId> = Vec::new();
                for c in paths.channels(target.into()) {
                    let e = index.event(c);
                    if !events.contains(&e) {
                        events.push(e);
                    }
                }
                events
            });
        self.memo.insert(key, found.clone());
        found
    }

    /// Every cut of exactly `level.size` events of its target reachable
    /// from `removed`, into `level.cuts`; false when the budget ran out.
    fn level(&mut self, level: &mut Level, removed: &mut Vec<EventId>) -> bool {
        if !level.seen.insert(removed.clone()) {
            return true;
        }
        if self.runs >= level.stop {
            return false;
        }
        let Some(chain) = self.chain(level.target, removed) else {
            level.cuts.push(removed.clone());
            return true;
        };
        if removed.len() == level.size {
            return true;
        }
        for e in chain {
            if removed.contains(&e) {
                continue;
            }
            let at = removed.partition_point(|&x| x < e);
            removed.insert(at, e);
            let ok = self.level(level, removed);
            removed.remove(at);
            if !ok {
                return false;
            }
        }
        true
    }

    /// The cut of `target`: sizes 1, 2, ... until some set of that size cuts
    /// it off; the best of those (weakest, then latest events). When the
    /// budget runs out, the events that deliver to it (always a cut), not
    /// proven minimum.
    fn cut(&mut self, target: EntityId, budget: usize, ranks: &[u32]) -> Cut {
        let stop = self.runs.saturating_add(budget);
        let fallback = self.delivering(target);
        for k in 1..=fallback.len() {
            let mut level = Level {
                target,
                size: k,
                stop,
                seen: HashSet::new(),
                cuts: Vec::new(),
            };
            let finished = self.level(&mut level, &mut Vec::new());
            let cuts = level.cuts;
            if !finished {
                return Cut {
                    single_points: Vec::new(),
                    cut: fallback,
                    minimum: false,
                    lower_bound: k,
                };
            }
            if cuts.is_empty() {
                continue;
            }
            let catalog = self.catalog;
            let key = |c: &Vec<EventId>| {
                let weight: u64 = c.iter().map(|&e| strength(catalog, e)).sum();
                let mut late: Vec<u32> = c
                    .iter()
                    .map(|&e| ranks.get(e.index()).copied().unwrap_or(u32::MAX))
                    .collect();
                late.sort_unstable_by(|a, b| b.cmp(a));
                (weight, std::cmp::Reverse(late))
            };
            let single_points = if k == 1 {
                cuts.iter().map(|c| c[0]).collect()
            } else {
                Vec::new()
            };
            let best = cuts.into_iter().min_by_key(|c| key(c)).unwrap_or_default();
            return Cut {
                single_points,
                cut: best,
                minimum: true,
                lower_bound: k,
            };
        }
        Cut {
            single_points: Vec::new(),
            lower_bound: fallback.len(),
            cut: fallback,
            minimum: true,
        }
    }

    /// The events with a channel into `target` (through a meeting's hub
    /// too): removing them all cuts it off.
    fn delivering(&self, target: EntityId) -> Vec<EventId> {
        let index = Index::build(self.catalog, &self.spec);
        let target = target.into();
        let mut events: Vec<EventId> = index
            .channels()
            .filter(|&c| index.to(c) == target)
            .map(|c| index.event(c))
            .collect();
        events.sort_unstable();
        events.dedup();
        events
    }
}

/// One size of [`Search::cut`]: the sets of `size` events that cut
/// `target` off.
struct Level {
    target: EntityId,
    size: usize,
    /// The engine runs the search stops at (the budget).
    stop: usize,
    /// The sets of removed events looked at already.
    seen: HashSet<Vec<EventId>>,
    /// The cuts found.
    cuts: Vec<Vec<EventId>>,
}

/// Who is reached when some events are taken as false.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct WithoutAnswer {
    /// The events left out (ids), with their details.
    pub dropped: Vec<EventInfo>,
    /// The answer of `reach` without them.
    pub answer: ReachAnswer,
    /// Entities reached with every event but no longer without them, in the
    /// first answer's causal order.
    pub lost: Vec<String>,
}

/// Answers `query` on `catalog` without the events `dropped`: who is still reached, and who no longer is.
///
/// # Errors
/// Those of [`Query::compile`].
///
/// # Complexity
/// Two answers of [`reach`] and an O(c) copy of the channels.
pub fn without(
    catalog: &dyn Catalog,
    query: &Query,
    dropped: &[EventId],
) -> Result<WithoutAnswer, Error> {
    let (index, rq) = query.compile(catalog)?;
    let before = reach(&index, &rq);
    let w = Without::new(catalog, dropped);
    let (index, rq) = query.compile(&w)?;
    let after = reach(&index, &rq);
    let still: HashSet<&str> = after.reached.iter().map(|r| r.entity.as_str()).collect();
    let lost = before
        .reached
        .iter()
        .filter(|r| !still.contains(r.entity.as_str()))
        .map(|r| r.entity.clone())
        .collect();
    let mut dropped: Vec<EventId> = dropped.to_vec();
    let ranks = event_ranks(catalog);
    dropped.sort_by_key(|&e| (ranks.get(e.index()).copied().unwrap_or(u32::MAX), e));
    dropped.dedup();
    Ok(WithoutAnswer {
        dropped: dropped.iter().map(|&e| event_info(catalog, e)).collect(),
        answer: after,
        lost,
    })
}
