//! The story's contacts in time order, each with its evidence.

use std::collections::HashMap;

use serde::Serialize;

use crate::model::{Certainty, Story, TimeExpr};
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
}

/// Lists the story's events in time order: by the start of their interval
/// (open starts first), then by end, then in causal order (an event carrying a
/// message after those that brought it to its sender), then by id; undated
/// events last.
///
/// # Errors
/// An unknown entity or a bad time expression in the query.
///
/// # Complexity
/// O(e log e) for e events.
pub fn timeline(story: &Story, query: &TimelineQuery) -> Result<Vec<TimelineEntry>, Error> {
    let tz = story.tz();
    let entity = match &query.entity {
        Some(name) => Some(
            story.entities[story.resolve_entity(name).map_err(Error::Query)?]
                .id
                .clone(),
        ),
        None => None,
    };
    let window = match &query.between {
        Some((a, b)) => {
            let parse = |t: &str| {
                TimeExpr::parse(t, &tz).map_err(|e| {
                    Error::Query(format!("--between {t:?}: {}; {}", e.message, e.help))
                })
            };
            let (a, b) = (parse(a)?, parse(b)?);
            Some((a.interval().lo_or_min(), b.interval().hi_or_max()))
        }
        None => None,
    };
    let mut events: Vec<&crate::model::Event> = story
        .events
        .iter()
        .filter(|e| e.certainty() >= query.threshold)
        .filter(|e| {
            entity
                .as_ref()
                .is_none_or(|id| e.parties.entities().contains(&id.as_str()))
        })
        .filter(|e| {
            window.is_none_or(|(lo, hi)| {
                let iv = e.interval();
                iv.lo_or_min() <= hi && iv.hi_or_max() >= lo
            })
        })
        .collect();
    // Causal rank: an event that carries a message comes after the events
    // that brought the message to its sender, even when the dates tie
    // (Kushner's forward to Hicks before Hicks's to Trump, both "2016-09-20/..").
    let mut rank: HashMap<&str, usize> = HashMap::new();
    for m in &story.messages {
        let Ok(answer) = super::reach_story(story, &super::Query::message(&m.id)) else {
            continue;
        };
        for e in &story.events {
            if !e.carries.contains(&m.id) {
                continue;
            }
            let hops = e
                .parties
                .entities()
                .first()
                .and_then(|sender| answer.get(sender))
                .map_or(usize::MAX, |r| r.path_channels.len());
            let slot = rank.entry(e.id.as_str()).or_insert(usize::MAX);
            *slot = (*slot).min(hops);
        }
    }
    let causal = |e: &crate::model::Event| rank.get(e.id.as_str()).copied().unwrap_or(0);
    events.sort_by(|a, b| {
        let key = |e: &crate::model::Event| {
            (
                e.time.is_none(),
                e.interval().lo_or_min(),
                e.interval().hi_or_max(),
                causal(e),
                e.id.clone(),
            )
        };
        key(a).cmp(&key(b))
    });
    let time = |t: Option<i64>| t.map(crate::model::time::rfc3339);
    Ok(events
        .into_iter()
        .map(|e| TimelineEntry {
            event: e.id.clone(),
            time: e.time.as_ref().map(|t| t.text.clone()),
            start: time(e.interval().lo),
            end: time(e.interval().hi),
            kind: e.kind().to_string(),
            who: e
                .parties
                .entities()
                .into_iter()
                .map(|id| story.name_of(id).to_string())
                .collect(),
            mutual: e.is_mutual(),
            certainty: e.certainty(),
            carries: e.carries.clone(),
            summary: e.summary.clone(),
            quote: e
                .sources
                .iter()
                .find_map(|c| c.quote())
                .map(str::to_string)
                .or_else(|| e.quote.clone()),
        })
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bundled_story_in_order() {
        let story = crate::load_path("graphs/trump-jr-wikileaks.json".as_ref())
            .unwrap()
            .story;
        let all = timeline(&story, &TimelineQuery::default()).unwrap();
        assert_eq!(all.len(), story.events.len());
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
