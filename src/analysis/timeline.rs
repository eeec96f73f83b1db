//! The story's contacts in time order, each with its evidence.

use std::collections::{BTreeSet, HashMap};

use serde::Serialize;

use crate::catalog::{natural_cmp, Catalog, ChannelId, EntityId, EventId};
use crate::error::{QueryError, TimeRole, WindowOf};
use crate::model::{Certainty, Event, TimeExpr};
use crate::Error;

/// Which events a timeline keeps.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TimelineQuery {
    /// Only events involving this entity (id, name or alias).
    pub entity: Option<String>,
    /// Only events that could overlap this window (time expressions).
    pub between: Option<(String, String)>,
    /// Only events of this certainty or stronger.
    pub threshold: Certainty,
}

impl Default for TimelineQuery {
    /// Every event: no entity, no window, threshold unknown.
    fn default() -> Self {
        TimelineQuery {
            entity: None,
            between: None,
            threshold: Certainty::Unknown,
        }
    }
}

/// One event on the timeline.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct TimelineEntry {
    /// Event id.
    pub event: String,
    /// The time as written (`None`: undated).
    pub time: Option<String>,
    /// Start of its interval, RFC 3339 (`None`: no lower bound).
    pub start: Option<String>,
    /// End of its interval, RFC 3339 (`None`: no upper bound).
    pub end: Option<String>,
    /// Event kind.
    pub kind: String,
    /// Names of who took part: sender first for a directed contact.
    pub who: Vec<String>,
    /// Whether it is a mutual contact.
    pub mutual: bool,
    /// Certainty.
    pub certainty: Certainty,
    /// Messages it carries.
    pub carries: Vec<String>,
    /// Summary, if any.
    pub summary: Option<String>,
    /// The quote it rests on, if any.
    pub quote: Option<String>,
    /// How many independent publishers cite it, when more than one
    /// ([`super::corroboration`]); absent from JSON otherwise.
    #[serde(skip_serializing_if = "single")]
    pub publishers: usize,
}

/// Whether at most one publisher cites an entry (its count is then not
/// written).
fn single(n: &usize) -> bool {
    *n < 2
}

/// Per event of `events` (and every event they are after), the length of
/// the longest chain of `after` that ends at it: an event comes after those
/// it names, when their intervals tie. The story's `after` has no cycle (the
/// loader checks); a cycle would only stop the count.
fn after_depths(
    catalog: &dyn Catalog,
    events: impl Iterator<Item = EventId>,
) -> HashMap<EventId, usize> {
    let mut depth: HashMap<EventId, usize> = HashMap::new();
    for e in events {
        // Depth-first, iteratively: (event, whether its names are done).
        let mut stack = vec![(e, false)];
        while let Some((k, ready)) = stack.pop() {
            if depth.contains_key(&k) && !ready {
                continue;
            }
            let names: Vec<EventId> = catalog
                .event(k)
                .after
                .iter()
                .filter_map(|id| catalog.event_number(id))
                .collect();
            if ready {
                let d = names
                    .iter()
                    .map(|b| depth.get(b).map_or(0, |d| d + 1))
                    .max()
                    .unwrap_or(0);
                depth.insert(k, d);
                continue;
            }
            // Marked first, so that a cycle cannot loop.
            depth.insert(k, 0);
            stack.push((k, true));
            stack.extend(
                names
                    .into_iter()
                    .filter(|b| !depth.contains_key(b))
                    .map(|b| (b, false)),
            );
        }
    }
    depth
}

/// Lists the story's events in time order: by the start of their interval
/// (open starts first), then by end, then in `after` order, then in causal
/// order (an event carrying a message after those that brought it to its
/// sender), then by id; undated events last. Intervals are those `after`
/// tightened.
///
/// # Errors
/// An unknown entity or a bad time expression in the query.
///
/// # Complexity
/// O(e log e) for e events.
pub fn timeline(catalog: &dyn Catalog, query: &TimelineQuery) -> Result<Vec<TimelineEntry>, Error> {
    let entity = match &query.entity {
        Some(name) => Some(catalog.resolve_entity(name).map_err(Error::Query)?),
        None => None,
    };
    let window = window(catalog, query)?;
    let mut candidates = candidates(catalog, entity);
    candidates.retain(|&e| {
        window.is_none_or(|(lo, hi)| {
            let iv = catalog.event_interval(e);
            iv.lo_or_min() <= hi && iv.hi_or_max() >= lo
        })
    });
    let mut events: Vec<(EventId, Event)> = candidates
        .into_iter()
        .map(|e| (e, catalog.event(e).into_owned()))
        .filter(|(_, ev)| ev.certainty() >= query.threshold)
        .collect();
    let rank = causal_ranks(catalog, &events);
    let causal = |e: EventId| rank.get(&e).copied().unwrap_or(0);
    let depth = after_depths(catalog, events.iter().map(|(e, _)| *e));
    let after = |e: EventId| depth.get(&e).copied().unwrap_or(0);
    events.sort_by(|(x, a), (y, b)| {
        let key = |n: EventId, e: &Event| {
            (
                e.time.is_none() && e.ordered.is_none(),
                e.interval().lo_or_min(),
                e.interval().hi_or_max(),
                after(n),
                causal(n),
            )
        };
        key(*x, a)
            .cmp(&key(*y, b))
            .then_with(|| natural_cmp(&a.id, &b.id))
    });
    let publishers = super::corroboration::Publishers::new(catalog.sources());
    Ok(events
        .into_iter()
        .map(|(_, e)| entry(catalog, &publishers, e))
        .collect())
}

/// The query's `--between` window as seconds `(lo, hi)`, if any.
fn window(catalog: &dyn Catalog, query: &TimelineQuery) -> Result<Option<(i64, i64)>, Error> {
    let tz = catalog.timezone();
    let Some((a, b)) = &query.between else {
        return Ok(None);
    };
    let parse = |t: &str| {
        TimeExpr::parse(t, &tz).map_err(|e| {
            Error::Query(QueryError::BadTime {
                role: TimeRole::Between,
                text: t.to_string(),
                problem: e.message,
                help: e.help,
            })
        })
    };
    let (a, b) = (parse(a)?, parse(b)?);
    let (lo, hi) = (a.interval().lo_or_min(), b.interval().hi_or_max());
    if lo > hi {
        return Err(Error::Query(QueryError::BackwardsWindow {
            from: a.text,
            to: b.text,
            of: WindowOf::Timeline,
        }));
    }
    Ok(Some((lo, hi)))
}

/// Candidate events: those of `entity` (from its channels), else all.
fn candidates(catalog: &dyn Catalog, entity: Option<EntityId>) -> Vec<EventId> {
    let Some(u) = entity else {
        return EventId::all(catalog.event_count()).collect();
    };
    let u = u.into();
    let ch = catalog.channels();
    let mut v: Vec<EventId> = ChannelId::all(ch.len())
        .filter(|&c| ch.from(c) == u || ch.to(c) == u)
        .map(|c| ch.event(c))
        .collect();
    v.sort_unstable();
    v.dedup();
    v
}

/// Causal rank: an event that carries a message comes after the events
/// that brought the message to its sender, even when the dates tie
/// (Kushner's forward to Hicks before Hicks's to Trump, both "2016-09-20/..").
/// The rank is the sender's hops on the message's documented chain.
fn causal_ranks(catalog: &dyn Catalog, events: &[(EventId, Event)]) -> HashMap<EventId, usize> {
    let mut rank: HashMap<EventId, usize> = HashMap::new();
    let carried: BTreeSet<&str> = events
        .iter()
        .flat_map(|(_, e)| e.carries.iter().map(String::as_str))
        .collect();
    for m in carried {
        let Ok((index, q)) = super::Query::message(m).compile(catalog) else {
            continue;
        };
        let answer = super::reach(&index, &q);
        for (e, ev) in events {
            if !ev.carries.iter().any(|c| c == m) {
                continue;
            }
            let hops = ev
                .parties
                .entities()
                .first()
                .and_then(|sender| answer.get(sender))
                .map_or(usize::MAX, |r| r.hops(&index).len());
            let slot = rank.entry(*e).or_insert(usize::MAX);
            *slot = (*slot).min(hops);
        }
    }
    rank
}

/// The timeline's entry of event `e`.
fn entry(
    catalog: &dyn Catalog,
    publishers: &super::corroboration::Publishers,
    e: Event,
) -> TimelineEntry {
    let time = |t: Option<i64>| t.map(crate::model::time::rfc3339);
    let name_of = |id: &str| match catalog.entity_number(id) {
        Some(u) => catalog.entity_name(u).to_string(),
        None => id.to_string(),
    };
    TimelineEntry {
        time: e.time.as_ref().map(|t| t.text.clone()),
        start: time(e.interval().lo),
        end: time(e.interval().hi),
        kind: e.kind().to_string(),
        who: e.parties.entities().into_iter().map(name_of).collect(),
        mutual: e.is_mutual(),
        certainty: e.certainty(),
        publishers: publishers.count(&e.sources),
        quote: e
            .sources
            .iter()
            .find_map(|c| c.quote())
            .map(str::to_string)
            .or_else(|| e.quote.clone()),
        carries: e.carries,
        summary: e.summary,
        event: e.id,
    }
}

#[cfg(test)]
mod tests {
    use super::{timeline, TimelineQuery};

    #[test]
    fn bundled_story_in_order() {
        let story = crate::load_path("graphs/trump-jr-wikileaks.json".as_ref())
            .unwrap()
            .story;
        let story = crate::catalog::StoryCatalog::owned(story);
        let all = timeline(&story, &TimelineQuery::default()).unwrap();
        assert_eq!(all.len(), story.story().events.len());
        let ids: Vec<&str> = all.iter().map(|e| e.event.as_str()).collect();
        let pos = |id: &str| ids.iter().position(|x| *x == id).unwrap();
        assert!(pos("trump-tower-meeting") < pos("dm-pac-tip"));
        assert!(pos("dm-pac-tip") < pos("dm-podesta-link"));
        assert!(all.last().unwrap().time.is_none());
        let q = TimelineQuery {
            entity: Some("Hope Hicks".into()),
            ..TimelineQuery::default()
        };
        let hicks = timeline(&story, &q).unwrap();
        assert_eq!(hicks.len(), 2);
        // Same dates: the causal order decides.
        assert_eq!(hicks[0].event, "kushner-forward-hicks");
        assert_eq!(hicks[1].event, "hicks-to-trump");
        let q = TimelineQuery {
            between: Some(("2016-10-10".into(), "2016-10-12".into())),
            ..TimelineQuery::default()
        };
        assert!(timeline(&story, &q)
            .unwrap()
            .iter()
            .any(|e| e.event == "rally-i-love-wikileaks"));
        assert!(!timeline(&story, &q)
            .unwrap()
            .iter()
            .any(|e| e.event == "dm-pac-tip"));
    }
}
