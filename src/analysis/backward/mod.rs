//! Backward reachability: who could have told them.
//!
//! The mirror of [`crate::reach`], asked of a leak: who could have been the
//! source of what some targets had, each by its own time `T`? The meaning is
//! the "Backward: who could have told them" section of the format spec:
//!
//! - An entity **could have told** a target when a chain of channels from it
//!   to the target has times inside their intervals, in order (each at or
//!   after the one before; strict: at least a second after), the last at or
//!   before `T`. A channel used at time `c` needs its sender to hold the
//!   information by `c` (strict: by `c - 1`); through a meeting's hub it is
//!   one hop within the event, with no second of its own.
//! - `latest` is the latest time at which the entity can first hold the
//!   information and still get it to the target in time; the target's own
//!   is `T` (no `T`: no bound, `null`).
//! - With several targets: the entities that could have told every one,
//!   `latest` the smallest of their per-target latest times.
//! - `evidence`: the strongest threshold at which it could still have told
//!   every target. `paths`: per target, the event ids of one chain realising
//!   its latest for that target (fewest hops among the chains of a tree of
//!   such chains, then the smallest channel: see `paths.rs`).
//!
//! Holdings are not used: they say who had a message, not whom it came from.
//! Rows are by `latest` (no bound first, then latest first: the last moment
//! someone could still have been the source), then name, then id.

mod latest;
mod paths;

use serde::ser::{SerializeMap, SerializeStruct};
use serde::{Serialize, Serializer};

use crate::analysis::reach::{ser_time, NO_UPPER};
use crate::catalog::{certainty_bits, Catalog, ChannelId, EntityId, NodeId};
use crate::error::{Error, QueryError, TimeRole};
use crate::index::{Index, IndexSpec, Mode};
use crate::model::{Certainty, TimeExpr};

use latest::{Reverse, UNREACHED};
use paths::Tree;

/// The question as the user asks it: targets in the input's words (an id,
/// a name or an alias, and a time expression), a message for message mode.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Backward {
    /// Each target and the time expression it had the information by
    /// (`None`: no bound).
    pub targets: Vec<(String, Option<String>)>,
    /// `--message`: in message mode, only events that carry it are followed.
    pub message: Option<String>,
    /// message or contacts (message needs a message).
    pub mode: Mode,
    /// Events weaker than this are not followed.
    pub threshold: Certainty,
    /// Each hop at least a second after the one before.
    pub strict: bool,
    /// Fill each row's `paths` (`false`: `--no-paths`).
    pub paths: bool,
}

impl Backward {
    /// Who could have told `entity` at any time: contacts, every evidence
    /// level, not strict, with paths.
    pub fn to(entity: &str) -> Backward {
        Backward {
            targets: vec![(entity.to_string(), None)],
            message: None,
            mode: Mode::Contacts,
            threshold: Certainty::Unknown,
            strict: false,
            paths: true,
        }
    }

    /// Checks the question against a catalogue (a story or a CSV corpus)
    /// and compiles it into the index and the [`BackwardQuery`] it needs.
    /// No target at all asks nothing of anyone: everyone could have told
    /// "every" target, with no bound.
    ///
    /// Errors: an unknown or ambiguous entity (with the nearest names), a
    /// target named twice, a time that does not parse or has no end, an
    /// unknown message, message mode without a message.
    pub fn compile<'a>(
        &self,
        catalog: &'a dyn Catalog,
    ) -> Result<(Index<'a>, BackwardQuery), Error> {
        let tz = catalog.timezone();
        let mut targets: Vec<Target> = Vec::new();
        for (name, time) in &self.targets {
            let entity = catalog.resolve_entity(name).map_err(Error::Query)?;
            if targets.iter().any(|t| t.entity == entity) {
                return Err(Error::Query(QueryError::RepeatedEntity {
                    name: name.clone(),
                    entity: catalog.entity_name(entity).to_string(),
                }));
            }
            let until = match time {
                None => None,
                Some(text) => Some(target_time(text, &tz)?),
            };
            targets.push(Target { entity, until });
        }
        match &self.message {
            Some(m) if catalog.message_number(m).is_none() => {
                return Err(super::unknown_message(catalog, m));
            }
            None if self.mode == Mode::Message => {
                return Err(Error::Query(QueryError::MessageModeWithoutMessage));
            }
            _ => {}
        }
        let spec = IndexSpec {
            message: self.message.clone(),
            mode: self.mode,
            threshold: self.threshold,
        };
        let query = BackwardQuery {
            targets,
            strict: self.strict,
            paths: self.paths,
        };
        // Holdings are not used: they say who had a message, not from whom.
        Ok((Index::build_events(catalog, &spec), query))
    }
}

/// The last second of a target's time expression.
fn target_time(text: &str, tz: &jiff::tz::TimeZone) -> Result<i64, Error> {
    let t = TimeExpr::parse(text, tz).map_err(|e| {
        Error::Query(QueryError::BadTime {
            role: TimeRole::Until,
            text: text.to_string(),
            problem: e.message,
            help: e.help,
        })
    })?;
    t.interval().hi.ok_or_else(|| {
        Error::Query(QueryError::OpenEnd {
            text: text.to_string(),
        })
    })
}

/// One target: an entity and the last second by which it had the
/// information (`None`: no bound).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Target {
    /// The entity.
    pub entity: EntityId,
    /// `T`, inclusive.
    pub until: Option<i64>,
}

/// A backward question, asked of an [`Index`] (built for the message, mode
/// and threshold).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BackwardQuery {
    /// The targets, each with its own time.
    pub targets: Vec<Target>,
    /// Each hop at least one second after the one before.
    pub strict: bool,
    /// Fill [`Told::paths`] and [`Told::chains`] (`false`: `--no-paths`).
    pub paths: bool,
}

/// A target as the answer names it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct TargetAnswer {
    /// Entity id.
    pub entity: String,
    /// `T` (`None`: no bound).
    #[serde(serialize_with = "ser_time")]
    pub until: Option<i64>,
}

/// One entity that could have told every target.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Told {
    /// Entity id.
    pub entity: String,
    /// Display name.
    pub name: String,
    /// The latest time it can first hold the information and still get it
    /// to every target in time (`None`: no bound).
    #[serde(serialize_with = "ser_time")]
    pub latest: Option<i64>,
    /// The strongest threshold at which it could still have told every
    /// target.
    pub evidence: Certainty,
    /// Per target (in the query's order), the event ids of one chain from
    /// this entity to it realising its latest for that target; empty for
    /// the target itself. `None` when the query asked for no paths.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub paths: Option<PathsByTarget>,
    /// Per target, the channels of that chain in the index (a pass through
    /// a meeting's hub as two channels; empty without paths).
    #[serde(skip)]
    pub chains: Vec<Vec<ChannelId>>,
}

impl Told {
    /// Display names along the chain to target number `k`, this entity
    /// first, the target last (`index`: the one the answer came from).
    pub fn chain_names(&self, index: &Index, k: usize) -> Vec<String> {
        let hops = index.hops_of(&self.chains[k]);
        match hops.first() {
            None => vec![self.name.clone()],
            Some(first) => std::iter::once(first.from)
                .chain(hops.iter().map(|hop| hop.to))
                .map(|u| index.entity_name(u).to_string())
                .collect(),
        }
    }
}

/// Paths keyed by target id, written as a JSON object in the targets'
/// order.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct PathsByTarget(pub Vec<(String, Vec<String>)>);

impl PathsByTarget {
    /// The path to target `id`.
    pub fn get(&self, id: &str) -> Option<&[String]> {
        self.0
            .iter()
            .find(|(t, _)| t == id)
            .map(|(_, p)| p.as_slice())
    }
}

impl Serialize for PathsByTarget {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut m = s.serialize_map(Some(self.0.len()))?;
        for (k, v) in &self.0 {
            m.serialize_entry(k, v)?;
        }
        m.end()
    }
}

/// The answer to a backward question; serialises to the JSON of the spec.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BackwardAnswer {
    /// The targets, as asked.
    pub targets: Vec<TargetAnswer>,
    /// message or contacts.
    pub mode: Mode,
    /// The traced message (message mode), not written in the JSON.
    pub message: Option<String>,
    /// Evidence threshold.
    pub threshold: Certainty,
    /// Strict mode.
    pub strict: bool,
    /// Who could have told every target: by `latest` (no bound first, then
    /// latest first), then name, then id.
    pub could_have_told: Vec<Told>,
    /// Every other entity id, by name, then id.
    pub not_reached: Vec<String>,
}

impl BackwardAnswer {
    /// The row of entity id `id`, if it could have told them.
    pub fn get(&self, id: &str) -> Option<&Told> {
        self.could_have_told.iter().find(|r| r.entity == id)
    }
}

impl Serialize for BackwardAnswer {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut st = s.serialize_struct("BackwardAnswer", 6)?;
        st.serialize_field("targets", &self.targets)?;
        st.serialize_field("mode", &self.mode)?;
        st.serialize_field("threshold", &self.threshold)?;
        st.serialize_field("strict", &self.strict)?;
        st.serialize_field("could_have_told", &self.could_have_told)?;
        st.serialize_field("not_reached", &self.not_reached)?;
        st.end()
    }
}

/// The certainty levels the index's channels have, as bits (`1 << bits`).
fn certainty_mask(index: &Index) -> u8 {
    index.flags().iter().fold(0, |m, &f| m | 1 << (f & 0b11))
}

/// True when `v` could have told every target (`lats`: per target).
fn in_all(lats: &[Vec<i64>], v: usize) -> bool {
    lats.iter().all(|l| l[v] != UNREACHED)
}

/// Answers a backward question.
///
/// # Arguments
/// - `index`: the compiled channels, built for the question's message,
///   mode and threshold ([`Index::build`], or [`Backward::compile`]).
/// - `query`: the targets with their times, strictness and whether to fill
///   paths.
///
/// # Returns
/// Every entity that could have told every target in time, with `latest`,
/// `evidence` and a chain per target, by `latest` (no bound first, then
/// latest first), name and id; every other entity in `not_reached`.
///
/// # Complexity
/// Per target, one reverse pass at the threshold (a linear scan on exact
/// times, O(c + n log n) with intervals) and one for the paths (O(c));
/// each evidence level stronger than the threshold with channels between
/// the two adds a pass per target.
///
/// # Example
/// ```
/// use grapevine::analysis::backward::{backward, Backward};
/// use grapevine::{load_str, StoryCatalog};
/// let story = load_str("s.json", r#"{"format": "grapevine/1",
///   "entities": [{"id": "a", "name": "A"}, {"id": "b", "name": "B"}, {"id": "c", "name": "C"}],
///   "events": [{"id": "e1", "from": "a", "to": "b", "time": "2016-09-20"},
///              {"id": "e2", "from": "b", "to": "c", "time": "2016-09-22"}]}"#).unwrap().story;
/// let catalog = StoryCatalog::new(&story);
/// let mut q = Backward::to("c");
/// q.targets[0].1 = Some("2016-09-21".into());
/// let (index, bq) = q.compile(&catalog).unwrap();
/// let answer = backward(&index, &bq);
/// // e2 is too late: only C itself had it by 21 September.
/// assert_eq!(answer.could_have_told.len(), 1);
/// assert_eq!(answer.not_reached, vec!["a", "b"]);
/// ```
pub fn backward(index: &Index, query: &BackwardQuery) -> BackwardAnswer {
    backward_rows(index, query).answer()
}

/// One row of [`BackwardRows`], compact: numbers, no strings.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Row {
    entity: EntityId,
    /// [`NO_UPPER`]: no bound.
    latest: i64,
    evidence: Certainty,
}

/// The answer of [`backward`] before any string is made: a row of numbers
/// per entity and the trees of chains, so that its size is linear in the
/// number of entities whatever the chains' lengths. It serialises to
/// exactly the JSON of [`BackwardAnswer`], making ids, names and paths as
/// it writes them: `grapevine reach --to --json` streams it.
pub struct BackwardRows<'i> {
    index: &'i Index<'i>,
    query: BackwardQuery,
    trees: Vec<Tree>,
    rows: Vec<Row>,
    not_reached: Vec<EntityId>,
}

impl std::fmt::Debug for BackwardRows<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("BackwardRows")
            .field("query", &self.query)
            .field("rows", &self.rows)
            .finish()
    }
}

/// Answers `query` on `index` as compact [`BackwardRows`]; [`backward`] is
/// this with every string made.
///
/// Complexity: that of [`backward`], without the chains' strings.
pub fn backward_rows<'i>(index: &'i Index<'i>, query: &BackwardQuery) -> BackwardRows<'i> {
    let threshold = index.spec().threshold;
    let n = index.entity_count();
    let rev = Reverse::new(index, query.strict);
    let lats = level_lats(&rev, query, threshold);
    let told: Vec<usize> = (0..n).filter(|&v| in_all(&lats, v)).collect();
    let evidence = evidence(&rev, query, &lats, &told);
    // The chains only when asked for (`--no-paths` answers without them).
    let trees: Vec<Tree> = if query.paths {
        query
            .targets
            .iter()
            .zip(&lats)
            .map(|(t, l)| Tree::new(&rev, NodeId::from(t.entity), l, threshold))
            .collect()
    } else {
        Vec::new()
    };
    let name = |v: EntityId| (index.entity_name(v), index.entity_id(v));
    let mut rows: Vec<Row> = told
        .iter()
        .map(|&v| Row {
            entity: EntityId::at(v),
            latest: lats.iter().map(|l| l[v]).min().unwrap_or(NO_UPPER),
            evidence: evidence[v],
        })
        .collect();
    rows.sort_by(|a, b| {
        b.latest
            .cmp(&a.latest)
            .then_with(|| name(a.entity).cmp(&name(b.entity)))
    });
    let mut not_reached: Vec<EntityId> = (0..n)
        .filter(|&v| !in_all(&lats, v))
        .map(EntityId::at)
        .collect();
    not_reached.sort_by(|&a, &b| name(a).cmp(&name(b)));
    BackwardRows {
        index,
        query: query.clone(),
        trees,
        rows,
        not_reached,
    }
}

impl<'i> BackwardRows<'i> {
    /// Number of rows (entities that could have told every target).
    pub fn len(&self) -> usize {
        self.rows.len()
    }

    /// True when nobody could have told them (not even a target, when
    /// there are several).
    pub fn is_empty(&self) -> bool {
        self.rows.is_empty()
    }

    /// The answer with every string made.
    pub fn answer(&self) -> BackwardAnswer {
        let index = self.index;
        BackwardAnswer {
            targets: self
                .query
                .targets
                .iter()
                .map(|t| TargetAnswer {
                    entity: index.entity_id(t.entity).to_string(),
                    until: t.until,
                })
                .collect(),
            mode: index.spec().mode,
            message: index.spec().message.clone(),
            threshold: index.spec().threshold,
            strict: self.query.strict,
            could_have_told: self.rows.iter().map(|r| self.told(r)).collect(),
            not_reached: self
                .not_reached
                .iter()
                .map(|&v| index.entity_id(v).to_string())
                .collect(),
        }
    }

    /// The chain of `u` to target number `k`, a meeting's hub's two
    /// channels as one hop (its channel out of the hub).
    fn hops(&self, u: EntityId, k: usize) -> Vec<ChannelId> {
        let chain = self.trees[k].chain(self.index, u.into());
        if self.index.has_hubs() {
            self.index
                .hops_of(&chain)
                .iter()
                .map(|h| h.channel)
                .collect()
        } else {
            chain
        }
    }

    fn told(&self, r: &Row) -> Told {
        let index = self.index;
        let chains: Vec<Vec<ChannelId>> = if self.trees.is_empty() {
            vec![Vec::new(); self.query.targets.len()]
        } else {
            self.trees
                .iter()
                .map(|t| t.chain(index, r.entity.into()))
                .collect()
        };
        let paths = self.query.paths.then(|| {
            PathsByTarget(
                (0..self.trees.len())
                    .map(|k| {
                        let events = self
                            .hops(r.entity, k)
                            .iter()
                            .map(|&c| index.event_id(c).into_owned())
                            .collect();
                        (self.target_id(k).to_string(), events)
                    })
                    .collect(),
            )
        });
        Told {
            entity: index.entity_id(r.entity).to_string(),
            name: index.entity_name(r.entity).to_string(),
            latest: (r.latest != NO_UPPER).then_some(r.latest),
            evidence: r.evidence,
            paths,
            chains,
        }
    }

    fn target_id(&self, k: usize) -> &'i str {
        self.index.entity_id(self.query.targets[k].entity)
    }
}

impl Serialize for BackwardRows<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let index = self.index;
        let targets: Vec<TargetAnswer> = self
            .query
            .targets
            .iter()
            .map(|t| TargetAnswer {
                entity: self.index.entity_id(t.entity).to_string(),
                until: t.until,
            })
            .collect();
        let mut st = s.serialize_struct("BackwardAnswer", 6)?;
        st.serialize_field("targets", &targets)?;
        st.serialize_field("mode", &index.spec().mode)?;
        st.serialize_field("threshold", &index.spec().threshold)?;
        st.serialize_field("strict", &self.query.strict)?;
        st.serialize_field("could_have_told", &RowsJson(self))?;
        st.serialize_field("not_reached", &Ids(index, &self.not_reached))?;
        st.end()
    }
}

/// The rows, each written as [`Told`] would be, made one at a time.
struct RowsJson<'a, 'i>(&'a BackwardRows<'i>);

impl Serialize for RowsJson<'_, '_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeSeq;
        let mut seq = s.serialize_seq(Some(self.0.rows.len()))?;
        for r in &self.0.rows {
            seq.serialize_element(&RowJson(self.0, r))?;
        }
        seq.end()
    }
}

struct RowJson<'a, 'i>(&'a BackwardRows<'i>, &'a Row);

impl Serialize for RowJson<'_, '_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let (rows, r) = (self.0, self.1);
        let index = rows.index;
        let paths = rows.query.paths;
        let mut st = s.serialize_struct("Told", if paths { 5 } else { 4 })?;
        st.serialize_field("entity", index.entity_id(r.entity))?;
        st.serialize_field("name", index.entity_name(r.entity))?;
        st.serialize_field("latest", &Time((r.latest != NO_UPPER).then_some(r.latest)))?;
        st.serialize_field("evidence", &r.evidence)?;
        if paths {
            st.serialize_field("paths", &PathsJson(rows, r.entity))?;
        } else {
            st.skip_field("paths")?;
        }
        st.end()
    }
}

/// A row's paths, keyed by target id in the targets' order.
struct PathsJson<'a, 'i>(&'a BackwardRows<'i>, EntityId);

impl Serialize for PathsJson<'_, '_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let rows = self.0;
        let mut m = s.serialize_map(Some(rows.trees.len()))?;
        for k in 0..rows.trees.len() {
            m.serialize_entry(
                rows.target_id(k),
                &EventIds(rows.index, rows.hops(self.1, k)),
            )?;
        }
        m.end()
    }
}

/// Event ids of channels, written one by one.
struct EventIds<'a, 'i>(&'a Index<'i>, Vec<ChannelId>);

impl Serialize for EventIds<'_, '_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeSeq;
        let mut seq = s.serialize_seq(Some(self.1.len()))?;
        let mut id = String::new();
        for &c in &self.1 {
            id.clear();
            self.0.write_event_id(c, &mut id);
            seq.serialize_element(id.as_str())?;
        }
        seq.end()
    }
}

/// Entity ids, written one by one.
struct Ids<'a, 'i>(&'a Index<'i>, &'a [EntityId]);

impl Serialize for Ids<'_, '_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_seq(self.1.iter().map(|&v| self.0.entity_id(v)))
    }
}

/// A time as the JSON writes it: RFC 3339, or null without a bound.
struct Time(Option<i64>);

impl Serialize for Time {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        ser_time(&self.0, s)
    }
}

/// The one reverse pass of [`backward`] for one target: per node, the
/// latest second it could first have had the information and still got it
/// to `target` by `until` (`i64::MIN`: it could not). What the benchmarks
/// compare with the forward pass; not part of the API.
#[doc(hidden)]
pub fn latest_departure(
    index: &Index,
    target: EntityId,
    until: Option<i64>,
    strict: bool,
) -> Vec<i64> {
    Reverse::new(index, strict).latest(NodeId::from(target), until, index.spec().threshold)
}

/// Per target, `latest` per node on channels of certainty at least `min`.
fn level_lats(rev: &Reverse, query: &BackwardQuery, min: Certainty) -> Vec<Vec<i64>> {
    query
        .targets
        .iter()
        .map(|t| rev.latest(NodeId::from(t.entity), t.until, min))
        .collect()
}

/// Per entity, the strongest level at which it could still have told every
/// target (`lats`: at the threshold; `told`: who could at the threshold).
/// A level needs its own passes only when some channel lies between the
/// threshold and it.
fn evidence(
    rev: &Reverse,
    query: &BackwardQuery,
    lats: &[Vec<i64>],
    told: &[usize],
) -> Vec<Certainty> {
    let index = rev.index;
    let threshold = index.spec().threshold;
    let present = certainty_mask(index);
    let mut evidence = vec![threshold; index.entity_count()];
    let mut settled = vec![false; index.entity_count()];
    for level in Certainty::ALL {
        if level <= threshold {
            break;
        }
        let between =
            (certainty_bits(threshold)..certainty_bits(level)).any(|b| present & (1 << b) != 0);
        let at_level;
        let l: &[Vec<i64>] = if between {
            at_level = level_lats(rev, query, level);
            &at_level
        } else {
            lats
        };
        for &v in told {
            if !settled[v] && in_all(l, v) {
                evidence[v] = level;
                settled[v] = true;
            }
        }
    }
    evidence
}

/// Compiles `question` against `catalog` and answers it (a shortcut for
/// [`Backward::compile`] and [`backward`]).
pub fn backward_in(catalog: &dyn Catalog, question: &Backward) -> Result<BackwardAnswer, Error> {
    let (index, q) = question.compile(catalog)?;
    Ok(backward(&index, &q))
}
