//! `diff`: what a correction changes. The claims added, removed or changed
//! between two versions of a story (events, holdings, messages, entities,
//! relations, markers, by id), and, for a question, what that does to the
//! answer: who is newly reached or no longer reached, whose earliest or
//! definite time, evidence, weakest claim or chain moved, and which claims
//! became or stopped being critical (a claim whose removal alone cuts
//! someone off).

use std::collections::{BTreeMap, BTreeSet};

use serde::Serialize;

use super::critical::{critical, CriticalQuery};
use super::reach::{reach, ReachAnswer, Reached};
use super::Query;
use crate::catalog::{Catalog, StoryCatalog};
use crate::model::{Citation, Event, Holding, Parties, Story, TimeExpr};
use crate::Error;

/// One field that changed: its name, and its value before and after as
/// text (`None`: not there).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FieldChange {
    /// The field (`time`, `certainty`, `to`, `evidence`, ...).
    pub field: String,
    /// Before.
    pub old: Option<String>,
    /// After.
    pub new: Option<String>,
}

/// How a claim or an answer's row changed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Change {
    /// Only in the new version (newly reached, for a row).
    Added,
    /// Only in the old version (no longer reached, for a row).
    Removed,
    /// In both, with `fields` changed.
    Changed,
}

/// A claim (or an entity, message, relation, marker) that differs.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ClaimDiff {
    /// `event`, `holding`, `message`, `entity`, `relation` or `marker`.
    pub what: &'static str,
    /// Its id.
    pub id: String,
    /// Added, removed or changed.
    pub change: Change,
    /// The fields that changed (for `changed`).
    pub fields: Vec<FieldChange>,
}

/// A reached entity whose answer differs.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RowDiff {
    /// Entity id.
    pub entity: String,
    /// Display name (the new one when it has one).
    pub name: String,
    /// Newly reached (`added`), no longer reached (`removed`) or changed.
    pub change: Change,
    /// What moved: `earliest`, `timing`, `definite_by`, `evidence`,
    /// `rests_on`, `path`.
    pub fields: Vec<FieldChange>,
}

/// The answer of [`diff`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct DiffAnswer {
    /// The claims that differ, events first, each kind in id order.
    pub claims: Vec<ClaimDiff>,
    /// With a question: the reached entities whose answer differs, in the
    /// new answer's causal order, then those no longer reached.
    pub rows: Vec<RowDiff>,
    /// With a question: claims that alone cut someone off in the new
    /// version and did not in the old.
    pub now_critical: Vec<String>,
    /// ... and those that did and no longer do.
    pub no_longer_critical: Vec<String>,
    /// True when the answer is the same (with no question: the claims).
    pub same: bool,
}

/// Compares `old` and `new`, and with `query` their answers to it.
///
/// Errors: those of the query on either version (an unknown message or
/// entity).
pub fn diff(old: &Story, new: &Story, query: Option<&Query>) -> Result<DiffAnswer, Error> {
    let claims = claims(old, new);
    let Some(query) = query else {
        let same = claims.is_empty();
        return Ok(DiffAnswer {
            claims,
            rows: Vec::new(),
            now_critical: Vec::new(),
            no_longer_critical: Vec::new(),
            same,
        });
    };
    let (a, b) = (StoryCatalog::new(old), StoryCatalog::new(new));
    let (old_answer, new_answer) = (answer(&a, query)?, answer(&b, query)?);
    let rows = rows(&old_answer, &new_answer);
    let (was, is) = (critical_claims(&a, query)?, critical_claims(&b, query)?);
    let now_critical: Vec<String> = is.difference(&was).cloned().collect();
    let no_longer_critical: Vec<String> = was.difference(&is).cloned().collect();
    let same = rows.is_empty() && now_critical.is_empty() && no_longer_critical.is_empty();
    Ok(DiffAnswer {
        claims,
        rows,
        now_critical,
        no_longer_critical,
        same,
    })
}

fn answer(catalog: &dyn Catalog, query: &Query) -> Result<ReachAnswer, Error> {
    let (index, rq) = query.compile(catalog)?;
    Ok(reach(&index, &rq))
}

/// Every claim that alone cuts someone off.
fn critical_claims(catalog: &dyn Catalog, query: &Query) -> Result<BTreeSet<String>, Error> {
    let answer = critical(catalog, query, &CriticalQuery::default())?;
    Ok(answer
        .entities
        .iter()
        .flat_map(|c| c.single_points.iter().cloned())
        .collect())
}

/// The rows that differ: the new answer's, then the old's no longer there.
fn rows(old: &ReachAnswer, new: &ReachAnswer) -> Vec<RowDiff> {
    let mut out = Vec::new();
    for r in &new.reached {
        match old.get(&r.entity) {
            None => out.push(RowDiff {
                entity: r.entity.clone(),
                name: r.name.clone(),
                change: Change::Added,
                fields: Vec::new(),
            }),
            Some(o) => {
                let fields = row_fields(o, r);
                if !fields.is_empty() {
                    out.push(RowDiff {
                        entity: r.entity.clone(),
                        name: r.name.clone(),
                        change: Change::Changed,
                        fields,
                    });
                }
            }
        }
    }
    for r in old.reached.iter().filter(|r| new.get(&r.entity).is_none()) {
        out.push(RowDiff {
            entity: r.entity.clone(),
            name: r.name.clone(),
            change: Change::Removed,
            fields: Vec::new(),
        });
    }
    out
}

/// The fields of a row that moved.
fn row_fields(old: &Reached, new: &Reached) -> Vec<FieldChange> {
    let time = |t: Option<i64>| t.map(crate::model::time::rfc3339);
    let mut f = Fields::default();
    f.push("earliest", time(old.earliest), time(new.earliest));
    f.push(
        "timing",
        Some(format!("{:?}", old.timing).to_lowercase()),
        Some(format!("{:?}", new.timing).to_lowercase()),
    );
    f.push("definite_by", time(old.definite_by), time(new.definite_by));
    f.push(
        "evidence",
        Some(old.evidence.to_string()),
        Some(new.evidence.to_string()),
    );
    f.push("rests_on", old.rests_on.clone(), new.rests_on.clone());
    f.push(
        "path",
        old.path.as_ref().map(|p| p.join(" → ")),
        new.path.as_ref().map(|p| p.join(" → ")),
    );
    f.0
}

/// Field changes, kept only when the values differ.
#[derive(Default)]
struct Fields(Vec<FieldChange>);

impl Fields {
    fn push(&mut self, field: &str, old: Option<String>, new: Option<String>) {
        if old != new {
            self.0.push(FieldChange {
                field: field.to_string(),
                old,
                new,
            });
        }
    }
}

/// The claims that differ, by kind and id.
fn claims(old: &Story, new: &Story) -> Vec<ClaimDiff> {
    let mut out = Vec::new();
    compare(
        &mut out,
        "event",
        &old.events,
        &new.events,
        |e| e.id.clone(),
        event_fields,
    );
    compare(
        &mut out,
        "holding",
        &old.holdings,
        &new.holdings,
        |h| h.id.clone(),
        holding_fields,
    );
    compare(
        &mut out,
        "message",
        &old.messages,
        &new.messages,
        |m| m.id.clone(),
        |a, b| {
            differing(
                a,
                b,
                &[
                    ("origin", |m| m.origin.clone()),
                    ("time", |m| time_text(m.time.as_ref())),
                    ("title", |m| m.title.clone()),
                    ("sources", |m| citations(&m.sources)),
                ],
            )
        },
    );
    compare(
        &mut out,
        "entity",
        &old.entities,
        &new.entities,
        |e| e.id.clone(),
        |a, b| {
            differing(
                a,
                b,
                &[
                    ("name", |e| Some(e.name.clone())),
                    ("kind", |e| Some(e.kind().as_str().to_string())),
                ],
            )
        },
    );
    compare(
        &mut out,
        "relation",
        &old.relations,
        &new.relations,
        relation_key,
        |a, b| differing(a, b, &[]),
    );
    compare(
        &mut out,
        "marker",
        &old.markers,
        &new.markers,
        |m| m.id.clone(),
        |a, b| {
            differing(
                a,
                b,
                &[
                    ("label", |m| Some(m.label.clone())),
                    ("time", |m| time_text(m.time.as_ref())),
                ],
            )
        },
    );
    out
}

impl Fields {
    /// Something else changed (a summary, an `x-` field ...) when nothing
    /// named did.
    fn other(&mut self, differ: bool) {
        if differ && self.0.is_empty() {
            self.0.push(FieldChange {
                field: "other fields".to_string(),
                old: None,
                new: None,
            });
        }
    }
}

/// Compares two lists of items by id, pushing what differs.
fn compare<T: PartialEq>(
    out: &mut Vec<ClaimDiff>,
    what: &'static str,
    old: &[T],
    new: &[T],
    id: impl Fn(&T) -> String,
    fields: impl Fn(&T, &T) -> Vec<FieldChange>,
) {
    let a: BTreeMap<String, &T> = old.iter().map(|x| (id(x), x)).collect();
    let b: BTreeMap<String, &T> = new.iter().map(|x| (id(x), x)).collect();
    let ids: BTreeSet<&String> = a.keys().chain(b.keys()).collect();
    for k in ids {
        let (change, fields) = match (a.get(k), b.get(k)) {
            (Some(_), None) => (Change::Removed, Vec::new()),
            (None, Some(_)) => (Change::Added, Vec::new()),
            (Some(x), Some(y)) if x != y => (Change::Changed, fields(x, y)),
            _ => continue,
        };
        out.push(ClaimDiff {
            what,
            id: k.clone(),
            change,
            fields,
        });
    }
}

/// A field read the same way from both versions of an item.
type Getter<T> = (&'static str, fn(&T) -> Option<String>);

/// The fields of `a` and `b` read by `getters` that differ, or "other
/// fields" when only something else does.
fn differing<T: PartialEq>(a: &T, b: &T, getters: &[Getter<T>]) -> Vec<FieldChange> {
    let mut f = Fields::default();
    for (name, get) in getters {
        f.push(name, get(a), get(b));
    }
    f.other(a != b);
    f.0
}

fn event_fields(a: &Event, b: &Event) -> Vec<FieldChange> {
    differing(
        a,
        b,
        &[
            ("time", |e| time_text(e.time.as_ref())),
            ("certainty", |e| Some(e.certainty().to_string())),
            ("kind", |e| Some(e.kind().to_string())),
            ("parties", |e| Some(parties(&e.parties))),
            ("carries", |e| list(&e.carries)),
            ("after", |e| list(&e.after)),
            ("sources", |e| citations(&e.sources)),
            ("quote", |e| e.quote.clone()),
        ],
    )
}

fn holding_fields(a: &Holding, b: &Holding) -> Vec<FieldChange> {
    differing(
        a,
        b,
        &[
            ("entity", |h| Some(h.entity.clone())),
            ("message", |h| Some(h.message.clone())),
            ("time", |h| time_text(h.time.as_ref())),
            ("certainty", |h| Some(h.certainty().to_string())),
            ("sources", |h| citations(&h.sources)),
            ("quote", |h| h.quote.clone()),
        ],
    )
}

/// A relation's id, or its ends and kind when it has none.
fn relation_key(r: &crate::model::Relation) -> String {
    r.id.clone().unwrap_or_else(|| {
        format!(
            "{} {} {}",
            r.from,
            r.kind.as_deref().unwrap_or("related to"),
            r.to
        )
    })
}

fn time_text(t: Option<&TimeExpr>) -> Option<String> {
    t.map(|t| t.text.clone())
}

fn list(v: &[String]) -> Option<String> {
    (!v.is_empty()).then(|| v.join(", "))
}

fn citations(v: &[Citation]) -> Option<String> {
    let ids: Vec<String> = v.iter().map(|c| c.source().to_string()).collect();
    list(&ids)
}

fn parties(p: &Parties) -> String {
    match p {
        Parties::Directed { from, to, .. } => format!("{from} → {}", to.join(", ")),
        Parties::Mutual { participants } => participants.join(" — "),
    }
}
