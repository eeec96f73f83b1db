//! Analyses: pure functions from a compiled [`Index`] and a query to an answer
//! that serialises to JSON.
//!
//! [`Query`] is the user's question in the story's own words (entity names,
//! message ids, time expressions); [`Query::compile`] checks it against the
//! story and turns it into an [`Index`] and a [`ReachQuery`].

pub mod backward;
pub mod connect;
pub mod corroboration;
pub mod critical;
pub mod diff;
mod fast;
pub mod grades;
pub mod merge;
pub mod path;
pub mod rank;
pub mod reach;
pub mod spread;
pub mod summary;
pub mod timeline;
pub mod why_not;

use serde::Serialize;

use crate::catalog::{Catalog, EntityId, StoryCatalog};
use crate::error::{QueryError, TimeRole};
use crate::index::{Index, IndexSpec, Mode};
use crate::model::{Certainty, Precision, Story, TimeExpr};
use crate::Error;

#[doc(hidden)]
pub use fast::{definite_exact, earliest_exact, earliest_paths_exact};
pub(crate) use reach::{reach, ReachAnswer, ReachQuery, SourceHeld};

/// Where the information starts.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub enum Origin {
    /// An entity (id, name or alias), in contacts mode.
    Entity(String),
    /// A message id: its origin and time.
    Message(String),
}

/// A reachability question as the user asks it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Query {
    /// Where the information starts.
    pub origin: Origin,
    /// With a message, an entity that must be its origin (`--from` given too).
    pub from: Option<String>,
    /// `--since`: a time expression; its start is `t0`.
    pub since: Option<String>,
    /// message or contacts (message needs a message).
    pub mode: Mode,
    /// Events weaker than this are not followed.
    pub threshold: Certainty,
    /// Each hop at least one second after its sender's receipt.
    pub strict: bool,
    /// `--until`: a time expression; the answer is "reached by its last
    /// second?" (`--until 2016-11-08` includes that whole day).
    pub until: Option<String>,
    /// Fill each reached entity's `path` (`false`: `--no-paths`).
    pub paths: bool,
}

impl Query {
    /// Contacts from an entity, default options.
    pub fn from_entity(entity: &str) -> Query {
        Query {
            origin: Origin::Entity(entity.to_string()),
            from: None,
            since: None,
            mode: Mode::Contacts,
            threshold: Certainty::Unknown,
            strict: false,
            until: None,
            paths: true,
        }
    }

    /// The documented chain of a message, default options.
    pub fn message(message: &str) -> Query {
        Query {
            origin: Origin::Message(message.to_string()),
            mode: Mode::Message,
            ..Query::from_entity("")
        }
    }

    /// Checks the query against a catalogue (a story or a CSV corpus) and
    /// compiles it into the index and the reachability query it needs.
    ///
    /// Errors name what is wrong: an unknown or ambiguous entity (with the
    /// nearest names), an unknown message, a message without an origin, a
    /// `--from` that is not the message's origin, a bad `--since` or
    /// `--until`.
    pub fn compile<'a>(&self, catalog: &'a dyn Catalog) -> Result<(Index<'a>, ReachQuery), Error> {
        let entity = |name: &str| catalog.resolve_entity(name);
        let message = |id: &str| {
            let k = catalog
                .message_number(id)
                .ok_or_else(|| unknown_message(catalog, id))?;
            let m = catalog.message(k);
            let origin = m.origin.as_deref().ok_or_else(|| {
                Error::Query(QueryError::NoOrigin {
                    message: id.to_string(),
                })
            })?;
            let u = catalog.entity_number(origin).ok_or_else(|| {
                Error::Query(QueryError::UnknownOrigin {
                    origin: origin.to_string(),
                })
            })?;
            let iv = m.time.as_ref().map(TimeExpr::interval).unwrap_or_default();
            Ok(MessageStart {
                origin: u,
                origin_name: catalog.describe_origin(k),
                interval: iv,
            })
        };
        let (spec, query) = self.resolve(&catalog.timezone(), &entity, &message)?;
        Ok((Index::build(catalog, &spec), query))
    }

    /// The rules shared by every input (a story, a CSV corpus): resolves the
    /// source, the start time `t0` and the source's definite time, and says
    /// what index the query needs.
    ///
    /// - `--from ENTITY`: `t0` has no lower bound unless `--since` gives one;
    ///   the source holds the information from `t0` on, so its definite time
    ///   is `t0` too ([`SourceHeld::Always`] without `--since`).
    /// - `--message MSG`: the message's origin from the start of its time;
    ///   it definitely holds it by the end of that time
    ///   ([`SourceHeld::Unknown`] when the time is open at its end or
    ///   missing). `--from` must then name the origin.
    /// - `--since TIME` overrides both with the start of TIME.
    /// - `--until TIME`: the last second of TIME; an expression open at its
    ///   end has none, and is an error.
    ///
    /// `entity` finds an entity by id, name or alias; `message` finds a message.
    #[doc(hidden)]
    pub fn resolve(
        &self,
        tz: &jiff::tz::TimeZone,
        entity: &dyn Fn(&str) -> Result<EntityId, QueryError>,
        message: &dyn Fn(&str) -> Result<MessageStart, Error>,
    ) -> Result<(IndexSpec, ReachQuery), Error> {
        let since = match &self.since {
            Some(text) => Some(TimeExpr::parse(text, tz).map_err(|e| {
                Error::Query(QueryError::BadTime {
                    role: TimeRole::Since,
                    text: text.clone(),
                    problem: e.message,
                    help: e.help,
                })
            })?),
            None => None,
        };
        let until = match &self.until {
            Some(text) => {
                let t = TimeExpr::parse(text, tz).map_err(|e| {
                    Error::Query(QueryError::BadTime {
                        role: TimeRole::Until,
                        text: text.clone(),
                        problem: e.message,
                        help: e.help,
                    })
                })?;
                Some(
                    t.interval()
                        .hi
                        .ok_or_else(|| Error::Query(QueryError::OpenEnd { text: text.clone() }))?,
                )
            }
            None => None,
        };
        let (source, traced, t0, def) = match &self.origin {
            Origin::Entity(name) => {
                if self.mode == Mode::Message {
                    return Err(Error::Query(QueryError::MessageModeWithoutMessage));
                }
                (
                    entity(name).map_err(Error::Query)?,
                    None,
                    None,
                    SourceHeld::Always,
                )
            }
            Origin::Message(id) => {
                let m = message(id)?;
                if let Some(from) = &self.from {
                    if entity(from).map_err(Error::Query)? != m.origin {
                        return Err(Error::Query(QueryError::NotTheOrigin {
                            from: from.clone(),
                            message: id.clone(),
                            origin: m.origin_name,
                        }));
                    }
                }
                let held = m.interval.hi.map_or(SourceHeld::Unknown, SourceHeld::By);
                (m.origin, Some(id.clone()), m.interval.lo, held)
            }
        };
        let (t0, def) = match &since {
            Some(s) => {
                let lo = s.interval().lo;
                (lo, lo.map_or(SourceHeld::Always, SourceHeld::By))
            }
            None => (t0, def),
        };
        let spec = IndexSpec {
            message: traced,
            mode: self.mode,
            threshold: self.threshold,
        };
        let query = ReachQuery {
            source,
            start: t0,
            source_held: def,
            strict: self.strict,
            until,
            paths: self.paths,
        };
        Ok((spec, query))
    }

    /// The precision to show the start time at: that of `--since`, else of
    /// the message's time, else seconds.
    #[doc(hidden)]
    pub fn start_precision(&self, catalog: &dyn Catalog) -> Precision {
        let tz = catalog.timezone();
        if let Some(p) = self
            .since
            .as_ref()
            .and_then(|s| TimeExpr::parse(s, &tz).ok())
            .and_then(|t| t.start)
        {
            return p.precision;
        }
        if let Origin::Message(id) = &self.origin {
            if let Some(p) = catalog
                .message_number(id)
                .and_then(|k| catalog.message(k).time.clone())
                .and_then(|t| t.start)
            {
                return p.precision;
            }
        }
        Precision::Second
    }
}

/// Where a traced message starts, as [`Query::resolve`] needs it.
#[derive(Debug, Clone, PartialEq, Eq)]
#[doc(hidden)]
pub struct MessageStart {
    /// The origin entity.
    pub origin: EntityId,
    /// How to name the origin in an error message.
    pub origin_name: String,
    /// When the origin first held the message.
    pub interval: crate::model::Interval,
}

/// Compiles `query` against `story` and answers it (a shortcut for
/// [`StoryCatalog::new`], [`Query::compile`] and [`reach()`]).
///
/// # Example
/// ```
/// use grapevine::{load_str, reach_story, Query};
/// let story = load_str("s.json", r#"{"format": "grapevine/1",
///   "entities": [{"id": "a", "name": "Alice"}, {"id": "b", "name": "Bob"}],
///   "messages": [{"id": "tip", "origin": "a", "time": "2016-09-20"}],
///   "events": [{"id": "e1", "from": "a", "to": "b", "time": "2016-09-21", "carries": ["tip"]}]}"#)
///   .unwrap().story;
/// let answer = reach_story(&story, &Query::message("tip")).unwrap();
/// assert_eq!(answer.get("b").unwrap().path, Some(vec!["e1".to_string()]));
/// ```
pub fn reach_story(story: &Story, query: &Query) -> Result<ReachAnswer, Error> {
    let catalog = StoryCatalog::new(story);
    let (index, q) = query.compile(&catalog)?;
    Ok(reach(&index, &q))
}

/// The error for a message id the catalogue does not have, listing the
/// first 20 it has.
pub(crate) fn unknown_message(catalog: &dyn Catalog, id: &str) -> Error {
    let n = catalog.message_count();
    Error::Query(QueryError::UnknownMessage {
        id: id.to_string(),
        listed: (0..n.min(20))
            .map(|m| catalog.message(m).id.clone())
            .collect(),
        total: n,
        empty_note: catalog.no_messages_note(),
    })
}
