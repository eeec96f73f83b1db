//! `merge`: two stories about the same people, made one. Which entities
//! are the same is decided by judgements (`same` / `different`, who and
//! why: OpenSanctions' nomenklatura practice), by an exact match of id and
//! name, or, with `accept_proposals`, by the proposals merge makes from
//! names, aliases, initials and links. A claim both stories make is kept
//! once with every citation; the same contact told differently (another
//! date, another certainty) is kept as two claims and listed as a
//! conflict, never resolved silently. Ids of the second story that would
//! collide with the first's get a suffix (`-b`), listed.
//!
//! The merged story is the first story, unchanged but for added aliases,
//! tags, fields it left out and citations, followed by what the second
//! adds: `diff A MERGED` shows exactly that.

mod claims;
mod entities;

use std::collections::{BTreeMap, HashMap, HashSet};

use serde::Serialize;

use self::claims::{merge_claims, union_citations, union_extra, Claim, Ids, Outcome, Outcomes};
use crate::model::{Citation, Event, Holding, Message, Parties, Relation, Source, Story};

pub use crate::model::judgement::{Judgement, Verdict, JUDGEMENTS_FORMAT};

/// How two entities came to be joined.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum JoinReason {
    /// A judgement said `same`.
    Judged,
    /// The same id and the same name (folded).
    IdAndName,
    /// A proposal, accepted.
    Proposal,
}

/// Two entities joined as one.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Joined {
    /// The id in the first story (and the merged one).
    pub a: String,
    /// The id in the second story.
    pub b: String,
    /// The name in the first story.
    pub name: String,
    /// Why.
    pub how: JoinReason,
    /// Fields both set differently (the first story's kept).
    pub notes: Vec<String>,
}

/// A pair that may be one entity.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Proposal {
    /// The id in the first story.
    pub a: String,
    /// The id in the second story.
    pub b: String,
    /// The name in the first story.
    pub a_name: String,
    /// The name in the second story.
    pub b_name: String,
    /// How likely, out of 100.
    pub score: u8,
    /// Why: `same url`, `same name`, `a name or alias in common`,
    /// `initials`, `same id`.
    pub reasons: Vec<&'static str>,
    /// Whether it was applied (`accept_proposals`).
    pub applied: bool,
}

/// A pair of ids.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Pair {
    /// The id in the first story.
    pub a: String,
    /// The id in the second story.
    pub b: String,
}

/// A field that differs between two tellings of one claim.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Difference {
    /// The field.
    pub field: String,
    /// The first story's value as text (`None`: not set).
    pub a: Option<String>,
    /// The second's.
    pub b: Option<String>,
}

/// The same claim told differently: both kept.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Conflict {
    /// `event`, `holding`, `message`, `relation`, `marker` or `story`.
    pub what: &'static str,
    /// The first story's claim's id.
    pub a: String,
    /// The second story's claim's id in the merged story.
    pub b: String,
    /// What differs.
    pub fields: Vec<Difference>,
}

/// An id of the second story changed because the first uses it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Renamed {
    /// `entity`, `source`, `event`, ...
    pub what: &'static str,
    /// The id in the second story.
    pub from: String,
    /// The id in the merged story.
    pub to: String,
}

/// What [`merge`] did.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct MergeReport {
    /// Entities joined, in the order decided.
    pub joined: Vec<Joined>,
    /// Pairs that may be one entity, best first (applied or not).
    pub proposed: Vec<Proposal>,
    /// Pairs judged `different`, kept apart.
    pub apart: Vec<Pair>,
    /// Claims told differently, kept as two.
    pub conflicts: Vec<Conflict>,
    /// Ids of the second story changed.
    pub renamed: Vec<Renamed>,
    /// How many records of each kind the second story added.
    pub added: BTreeMap<&'static str, usize>,
    /// Claims both stories make (kept once).
    pub shared: usize,
    /// Citations the second story added to shared claims and sources.
    pub citations_added: usize,
    /// Story-level fields both set differently (the first's kept).
    pub notes: Vec<String>,
}

/// The merged story and what was done.
#[derive(Debug, Clone, PartialEq)]
pub struct Merged {
    /// The first story with what the second adds.
    pub story: Story,
    /// The report.
    pub report: MergeReport,
}

/// Merges `b` into `a`, deciding entities by `judgements` (and, with
/// `accept_proposals`, by the proposals). See the module's description.
pub fn merge(a: &Story, b: &Story, judgements: &[Judgement], accept_proposals: bool) -> Merged {
    let mut report = MergeReport::default();
    let joined = entities::match_entities(a, b, judgements, accept_proposals, &mut report);
    let mut story = a.clone();
    let mut ids = Ids(all_ids(a));
    let emap = merge_entities(&mut story, b, &joined, &mut ids, &mut report);
    let smap = merge_sources(&mut story, b, &mut ids, &mut report);
    let maps = Maps {
        entities: emap,
        sources: smap,
        messages: HashMap::new(),
    };
    let mut maps = maps;
    let messages: Vec<Message> = b.messages.iter().map(|m| maps.message(m)).collect();
    let done = run(&mut story.messages, messages, &mut ids, &mut report);
    maps.messages = outcome_ids(&b.messages, &done, &story.messages, |m| m.id.clone());
    merge_events(&mut story, b, &maps, &mut ids, &mut report);
    let holdings: Vec<Holding> = b.holdings.iter().map(|h| maps.holding(h)).collect();
    run(&mut story.holdings, holdings, &mut ids, &mut report);
    let relations: Vec<Relation> = b.relations.iter().map(|r| maps.relation(r)).collect();
    run(&mut story.relations, relations, &mut ids, &mut report);
    run(&mut story.markers, b.markers.clone(), &mut ids, &mut report);
    merge_top(&mut story, b, &mut report);
    order(&mut story, &mut report);
    Merged { story, report }
}

/// Every id the story uses.
fn all_ids(s: &Story) -> HashSet<String> {
    let mut out: HashSet<String> = HashSet::new();
    out.extend(s.entities.iter().map(|e| e.id.clone()));
    out.extend(s.sources.iter().map(|e| e.id.clone()));
    out.extend(s.messages.iter().map(|e| e.id.clone()));
    out.extend(s.events.iter().map(|e| e.id.clone()));
    out.extend(s.holdings.iter().map(|e| e.id.clone()));
    out.extend(s.markers.iter().map(|e| e.id.clone()));
    out.extend(s.relations.iter().filter_map(|e| e.id.clone()));
    out
}

fn rename(ids: &mut Ids, what: &'static str, old: &str, report: &mut MergeReport) -> String {
    let new = ids.fresh(old);
    if new != old {
        report.renamed.push(Renamed {
            what,
            from: old.to_string(),
            to: new.clone(),
        });
    }
    new
}

fn merge_entities(
    story: &mut Story,
    b: &Story,
    joined: &HashMap<String, String>,
    ids: &mut Ids,
    report: &mut MergeReport,
) -> HashMap<String, String> {
    let mut map = HashMap::new();
    for y in &b.entities {
        let id = if let Some(x) = joined.get(&y.id) {
            let mut notes = Vec::new();
            if let Some(e) = story.entities.iter_mut().find(|e| &e.id == x) {
                entities::join_entity(e, y, &mut notes);
            }
            if let Some(j) = report.joined.iter_mut().find(|j| j.b == y.id) {
                j.notes = notes;
            }
            x.clone()
        } else {
            let id = rename(ids, "entity", &y.id, report);
            story.entities.push(crate::model::Entity {
                id: id.clone(),
                ..y.clone()
            });
            *report.added.entry("entity").or_default() += 1;
            id
        };
        map.insert(y.id.clone(), id);
    }
    map
}

fn url_key(u: &Option<String>) -> Option<String> {
    u.as_deref()
        .map(|u| u.trim().trim_end_matches('/').to_lowercase())
        .filter(|u| !u.is_empty())
}

/// Sources: the same when id and every field agree, or when the links do.
fn merge_sources(
    story: &mut Story,
    b: &Story,
    ids: &mut Ids,
    report: &mut MergeReport,
) -> HashMap<String, String> {
    let first = story.sources.len();
    let mut map = HashMap::new();
    for y in &b.sources {
        let by_url = |x: &Source| url_key(&x.url).is_some() && url_key(&x.url) == url_key(&y.url);
        let found = story.sources[..first]
            .iter()
            .position(|x| x == y)
            .or_else(|| story.sources[..first].iter().position(by_url));
        let id = match found {
            Some(i) => {
                let x = &mut story.sources[i];
                let mut notes = Vec::new();
                for (field, mine, theirs) in [
                    ("title", &mut x.title, &y.title),
                    ("publisher", &mut x.publisher, &y.publisher),
                    ("author", &mut x.author, &y.author),
                ] {
                    entities::fill(field, mine, theirs, &mut notes);
                }
                if x.published.is_none() {
                    x.published.clone_from(&y.published);
                }
                union_extra(&mut x.extra, &y.extra, &mut notes);
                report
                    .notes
                    .extend(notes.into_iter().map(|n| format!("source {}: {n}", x.id)));
                x.id.clone()
            }
            None => {
                let id = rename(ids, "source", &y.id, report);
                story.sources.push(Source {
                    id: id.clone(),
                    ..y.clone()
                });
                *report.added.entry("source").or_default() += 1;
                id
            }
        };
        map.insert(y.id.clone(), id);
    }
    map
}

/// Merges one kind of claim, counting into the report.
fn run<T: Claim>(
    ours: &mut Vec<T>,
    theirs: Vec<T>,
    ids: &mut Ids,
    report: &mut MergeReport,
) -> Vec<Outcome> {
    let mut out = Outcomes {
        shared: 0,
        citations_added: 0,
        renamed: &mut report.renamed,
        conflicts: &mut report.conflicts,
    };
    let done = merge_claims(ours, theirs, ids, &mut out);
    let (shared, cited) = (out.shared, out.citations_added);
    report.shared += shared;
    report.citations_added += cited;
    let added = done
        .iter()
        .filter(|o| matches!(o, Outcome::Added(_)))
        .count();
    if added > 0 {
        *report.added.entry(T::WHAT).or_default() += added;
    }
    done
}

/// The second story's ids mapped to the merged story's.
fn outcome_ids<T>(
    theirs: &[T],
    done: &[Outcome],
    merged: &[T],
    id: impl Fn(&T) -> String,
) -> HashMap<String, String> {
    theirs
        .iter()
        .zip(done)
        .map(|(t, o)| {
            let (Outcome::Joined(i) | Outcome::Added(i)) = *o;
            (id(t), id(&merged[i]))
        })
        .collect()
}

/// Events: compared without `after`, which is mapped once every event has
/// its merged id (a shared event gains the second story's `after` ids it
/// lacks).
fn merge_events(
    story: &mut Story,
    b: &Story,
    maps: &Maps,
    ids: &mut Ids,
    report: &mut MergeReport,
) {
    let events: Vec<Event> = b.events.iter().map(|e| maps.event(e)).collect();
    let done = run(&mut story.events, events, ids, report);
    let emap = outcome_ids(&b.events, &done, &story.events, |e| e.id.clone());
    for (y, o) in b.events.iter().zip(&done) {
        let after: Vec<String> = y.after.iter().map(|a| look(&emap, a)).collect();
        match *o {
            Outcome::Added(i) => story.events[i].after = after,
            Outcome::Joined(i) => {
                for a in after {
                    if !story.events[i].after.contains(&a) {
                        story.events[i].after.push(a);
                    }
                }
            }
        }
    }
}

/// Tightens the events' intervals by `after` again; the two files'
/// `after` together may contradict each other (a cycle, an empty
/// interval): each such pair is a conflict (`order`), for a person to
/// settle.
fn order(story: &mut Story, report: &mut MergeReport) {
    let Err(problems) = crate::model::order::order_events(story) else {
        return;
    };
    for p in problems {
        let (e, o) = p.events();
        let id = |i: usize| story.events.get(i).map_or(String::new(), |e| e.id.clone());
        let what = match p {
            crate::model::order::OrderProblem::Cycle { .. } => "a cycle",
            crate::model::order::OrderProblem::Empty { .. } => "no time left",
        };
        report.conflicts.push(Conflict {
            what: "order",
            a: id(e),
            b: id(o),
            fields: vec![Difference {
                field: "after".into(),
                a: Some(id(o)),
                b: Some(what.into()),
            }],
        });
    }
}

/// Title, summary and time zone: the first story's, or the second's where
/// the first has none; a time zone set differently is a conflict.
fn merge_top(story: &mut Story, b: &Story, report: &mut MergeReport) {
    let mut notes = Vec::new();
    entities::fill("title", &mut story.title, &b.title, &mut notes);
    entities::fill("summary", &mut story.summary, &b.summary, &mut notes);
    if let (Some(x), Some(y)) = (&story.timezone, &b.timezone) {
        if x != y {
            report.conflicts.push(Conflict {
                what: "story",
                a: String::new(),
                b: String::new(),
                fields: vec![Difference {
                    field: "timezone".into(),
                    a: Some(x.clone()),
                    b: Some(y.clone()),
                }],
            });
        }
    } else if story.timezone.is_none() {
        story.timezone.clone_from(&b.timezone);
    }
    union_extra(&mut story.extra, &b.extra, &mut notes);
    report
        .notes
        .extend(notes.into_iter().filter(|n| !n.starts_with("timezone")));
}

fn look(map: &HashMap<String, String>, id: &str) -> String {
    map.get(id).cloned().unwrap_or_else(|| id.to_string())
}

/// The second story's ids, as the merged story's.
struct Maps {
    entities: HashMap<String, String>,
    sources: HashMap<String, String>,
    messages: HashMap<String, String>,
}

impl Maps {
    fn entity(&self, id: &str) -> String {
        look(&self.entities, id)
    }

    fn citations(&self, cs: &[Citation]) -> Vec<Citation> {
        let mut out = Vec::new();
        for c in cs {
            let c = match c {
                Citation::Id(s) => Citation::Id(look(&self.sources, s)),
                Citation::Full { source, .. } => {
                    let mut c = c.clone();
                    if let Citation::Full { source: s, .. } = &mut c {
                        *s = look(&self.sources, source);
                    }
                    c
                }
            };
            union_citations(&mut out, &[c]);
        }
        out
    }

    fn message(&self, m: &Message) -> Message {
        Message {
            origin: m.origin.as_deref().map(|o| self.entity(o)),
            sources: self.citations(&m.sources),
            ..m.clone()
        }
    }

    fn event(&self, e: &Event) -> Event {
        let parties = match &e.parties {
            Parties::Directed {
                from,
                to,
                to_is_array,
            } => Parties::Directed {
                from: self.entity(from),
                to: to.iter().map(|t| self.entity(t)).collect(),
                to_is_array: *to_is_array,
            },
            Parties::Mutual { participants } => Parties::Mutual {
                participants: participants.iter().map(|p| self.entity(p)).collect(),
            },
        };
        Event {
            parties,
            carries: e.carries.iter().map(|m| look(&self.messages, m)).collect(),
            sources: self.citations(&e.sources),
            ordered: None,
            ..e.clone()
        }
    }

    fn holding(&self, h: &Holding) -> Holding {
        Holding {
            entity: self.entity(&h.entity),
            message: look(&self.messages, &h.message),
            sources: self.citations(&h.sources),
            ..h.clone()
        }
    }

    fn relation(&self, r: &Relation) -> Relation {
        Relation {
            from: self.entity(&r.from),
            to: self.entity(&r.to),
            sources: self.citations(&r.sources),
            ..r.clone()
        }
    }
}
