//! Claims both stories make: the same claim once with every citation, the
//! same contact told differently as two claims, listed.

use std::collections::{HashMap, HashSet};

use super::{Conflict, Difference, Renamed};
use crate::model::{
    Citation, EmptyLists, Event, Extra, Holding, Marker, Message, Parties, Relation, TimeExpr,
};

/// Ids already used in the merged story, and fresh ones.
#[derive(Default)]
pub(super) struct Ids(pub(super) HashSet<String>);

impl Ids {
    /// `id`, or when it is taken `id-b`, `id-b2`, ... (the first free).
    pub(super) fn fresh(&mut self, id: &str) -> String {
        let mut out = id.to_string();
        let mut n = 1;
        while self.0.contains(&out) {
            out = if n == 1 {
                format!("{id}-b")
            } else {
                format!("{id}-b{n}")
            };
            n += 1;
        }
        self.0.insert(out.clone());
        out
    }
}

/// A kind of claim (or record) `merge` compares.
pub(super) trait Claim: Clone + PartialEq {
    /// `event`, `holding`, ...
    const WHAT: &'static str;
    fn id(&self) -> Option<&str>;
    fn set_id(&mut self, id: String);
    /// The citations (none for markers).
    fn sources_mut(&mut self) -> Option<&mut Vec<Citation>>;
    /// The claim without what a merge unions or renumbers (id, citations,
    /// layout), for comparison.
    fn stripped(&self) -> Self;
    /// The same contact (or tie, or holding): the fields that say what the
    /// claim is about, not what it says of it.
    fn subject(&self) -> Option<String>;
    /// The fields a reader compares, as text.
    fn fields(&self) -> Vec<(&'static str, Option<String>)>;
}

/// What became of one claim of the second story.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Outcome {
    /// The same as the merged story's claim at this index.
    Joined(usize),
    /// Added at this index.
    Added(usize),
}

/// Merges `theirs` (already in the merged story's ids) into `ours`.
pub(super) fn merge_claims<T: Claim>(
    ours: &mut Vec<T>,
    theirs: Vec<T>,
    ids: &mut Ids,
    out: &mut Outcomes<'_>,
) -> Vec<Outcome> {
    let plain: Vec<T> = ours.iter().map(Claim::stripped).collect();
    let found = Found::new(&plain).ids(ours);
    let mut result = Vec::with_capacity(theirs.len());
    for mut c in theirs {
        let s = c.stripped();
        let equal = found
            .by_fields
            .get(&s.fields())
            .map_or(&[][..], Vec::as_slice);
        if let Some(i) = best_equal(equal, &plain, ours, &c, &s) {
            out.shared += 1;
            if let (Some(mine), Some(extra)) = (ours[i].sources_mut(), c.sources_mut()) {
                out.citations_added += union_citations(mine, extra);
            }
            result.push(Outcome::Joined(i));
            continue;
        }
        let partner = c
            .id()
            .and_then(|id| found.by_id.get(id))
            .or_else(|| c.subject().and_then(|k| found.by_subject.get(&k)))
            .map(|&i| ours[i].clone());
        if let Some(old) = c.id().map(str::to_string) {
            let new = ids.fresh(&old);
            if new != old {
                out.renamed.push(Renamed {
                    what: T::WHAT,
                    from: old,
                    to: new.clone(),
                });
            }
            c.set_id(new);
        }
        if let Some(p) = partner {
            out.conflicts.push(conflict(&p, &c));
        }
        result.push(Outcome::Added(ours.len()));
        ours.push(c);
    }
    result
}

/// The claim of `ours` (before the second story's were added; `plain`
/// their stripped forms) that says the same as `c`: of those, the one
/// with its id and its citations, else its id, else its citations, else
/// the first.
fn best_equal<T: Claim>(
    candidates: &[usize],
    plain: &[T],
    ours: &mut [T],
    c: &T,
    s: &T,
) -> Option<usize> {
    let equal = candidates.iter().copied().filter(|&i| plain[i] == *s);
    let mut c = c.clone();
    let theirs = c.sources_mut().map(|v| v.clone());
    let rank = |i: usize, ours: &mut [T]| {
        let same_id = ours[i].id() == c.id();
        let same_sources = ours[i].sources_mut().map(|v| v.clone()) == theirs;
        (same_id, same_sources)
    };
    let mut best: Option<(usize, (bool, bool))> = None;
    for i in equal {
        let r = rank(i, ours);
        if best.is_none_or(|(_, b)| r > b) {
            best = Some((i, r));
        }
    }
    best.map(|(i, _)| i)
}

/// The first story's claims by their fields as text (equal claims have
/// equal texts), by id and by subject (the first of each).
struct Found {
    by_fields: HashMap<Vec<(&'static str, Option<String>)>, Vec<usize>>,
    by_id: HashMap<String, usize>,
    by_subject: HashMap<String, usize>,
}

impl Found {
    fn new<T: Claim>(plain: &[T]) -> Found {
        let mut f = Found {
            by_fields: HashMap::new(),
            by_id: HashMap::new(),
            by_subject: HashMap::new(),
        };
        for (i, p) in plain.iter().enumerate() {
            f.by_fields.entry(p.fields()).or_default().push(i);
            if let Some(k) = p.subject() {
                f.by_subject.entry(k).or_insert(i);
            }
        }
        f
    }

    fn ids<T: Claim>(mut self, ours: &[T]) -> Found {
        for (i, o) in ours.iter().enumerate() {
            if let Some(id) = o.id() {
                self.by_id.entry(id.to_string()).or_insert(i);
            }
        }
        self
    }
}

/// Where `merge_claims` reports.
pub(super) struct Outcomes<'r> {
    pub(super) shared: usize,
    pub(super) citations_added: usize,
    pub(super) renamed: &'r mut Vec<Renamed>,
    pub(super) conflicts: &'r mut Vec<Conflict>,
}

fn conflict<T: Claim>(a: &T, b: &T) -> Conflict {
    let fields = a
        .fields()
        .into_iter()
        .zip(b.fields())
        .filter(|(x, y)| x.1 != y.1)
        .map(|(x, y)| Difference {
            field: x.0.to_string(),
            a: x.1,
            b: y.1,
        })
        .collect();
    Conflict {
        what: T::WHAT,
        a: a.id().unwrap_or("").to_string(),
        b: b.id().unwrap_or("").to_string(),
        fields,
    }
}

/// Adds the citations of `theirs` that `mine` lacks; how many.
pub(super) fn union_citations(mine: &mut Vec<Citation>, theirs: &[Citation]) -> usize {
    let mut n = 0;
    for c in theirs {
        if !mine.contains(c) {
            mine.push(c.clone());
            n += 1;
        }
    }
    n
}

/// Adds the unknown fields of `theirs` that `mine` lacks; notes those both
/// have with different values (the first's kept).
pub(super) fn union_extra(mine: &mut Extra, theirs: &Extra, notes: &mut Vec<String>) {
    for (k, v) in theirs {
        match mine.iter().find(|(m, _)| m == k) {
            None => mine.push((k.clone(), v.clone())),
            Some((_, w)) if w != v => notes.push(format!("{k}: kept the first file's value")),
            Some(_) => {}
        }
    }
}

fn time(t: &Option<TimeExpr>) -> Option<String> {
    t.as_ref().map(|t| t.text.clone())
}

fn text(t: &Option<String>) -> Option<String> {
    t.clone()
}

fn list(l: &[String]) -> Option<String> {
    (!l.is_empty()).then(|| l.join(", "))
}

fn extra(e: &Extra) -> Option<String> {
    (!e.is_empty()).then(|| {
        e.iter()
            .map(|(k, _)| k.as_str())
            .collect::<Vec<_>>()
            .join(", ")
    })
}

fn parties(p: &Parties) -> Parties {
    match p {
        Parties::Directed { from, to, .. } => Parties::Directed {
            from: from.clone(),
            to: to.clone(),
            to_is_array: false,
        },
        Parties::Mutual { participants } => Parties::Mutual {
            participants: participants.clone(),
        },
    }
}

fn parties_text(p: &Parties) -> Option<String> {
    Some(match p {
        Parties::Directed { from, to, .. } => format!("{from} → {}", to.join(", ")),
        Parties::Mutual { participants } => participants.join(" ↔ "),
    })
}

impl Claim for Event {
    const WHAT: &'static str = "event";
    fn id(&self) -> Option<&str> {
        Some(&self.id)
    }
    fn set_id(&mut self, id: String) {
        self.id = id;
    }
    fn sources_mut(&mut self) -> Option<&mut Vec<Citation>> {
        Some(&mut self.sources)
    }
    fn stripped(&self) -> Self {
        Event {
            id: String::new(),
            parties: parties(&self.parties),
            after: Vec::new(),
            ordered: None,
            sources: Vec::new(),
            empty: EmptyLists::NONE,
            ..self.clone()
        }
    }
    fn subject(&self) -> Option<String> {
        Some(format!("{}\0{:?}", self.kind(), parties(&self.parties)))
    }
    fn fields(&self) -> Vec<(&'static str, Option<String>)> {
        vec![
            ("kind", text(&self.kind)),
            ("parties", parties_text(&self.parties)),
            ("time", time(&self.time)),
            ("certainty", self.certainty.map(|c| c.as_str().to_string())),
            ("carries", list(&self.carries)),
            ("summary", text(&self.summary)),
            ("quote", text(&self.quote)),
            ("extra", extra(&self.extra)),
        ]
    }
}

impl Claim for Holding {
    const WHAT: &'static str = "holding";
    fn id(&self) -> Option<&str> {
        Some(&self.id)
    }
    fn set_id(&mut self, id: String) {
        self.id = id;
    }
    fn sources_mut(&mut self) -> Option<&mut Vec<Citation>> {
        Some(&mut self.sources)
    }
    fn stripped(&self) -> Self {
        Holding {
            id: String::new(),
            sources: Vec::new(),
            empty: EmptyLists::NONE,
            ..self.clone()
        }
    }
    fn subject(&self) -> Option<String> {
        Some(format!("{}\0{}", self.entity, self.message))
    }
    fn fields(&self) -> Vec<(&'static str, Option<String>)> {
        vec![
            ("entity", Some(self.entity.clone())),
            ("message", Some(self.message.clone())),
            ("time", time(&self.time)),
            ("certainty", self.certainty.map(|c| c.as_str().to_string())),
            ("summary", text(&self.summary)),
            ("quote", text(&self.quote)),
            ("extra", extra(&self.extra)),
        ]
    }
}

impl Claim for Message {
    const WHAT: &'static str = "message";
    fn id(&self) -> Option<&str> {
        Some(&self.id)
    }
    fn set_id(&mut self, id: String) {
        self.id = id;
    }
    fn sources_mut(&mut self) -> Option<&mut Vec<Citation>> {
        Some(&mut self.sources)
    }
    fn stripped(&self) -> Self {
        Message {
            sources: Vec::new(),
            empty: EmptyLists::NONE,
            ..self.clone()
        }
    }
    fn subject(&self) -> Option<String> {
        None
    }
    fn fields(&self) -> Vec<(&'static str, Option<String>)> {
        vec![
            ("title", text(&self.title)),
            ("text", text(&self.text)),
            ("origin", text(&self.origin)),
            ("time", time(&self.time)),
            ("extra", extra(&self.extra)),
        ]
    }
}

impl Claim for Relation {
    const WHAT: &'static str = "relation";
    fn id(&self) -> Option<&str> {
        self.id.as_deref()
    }
    fn set_id(&mut self, id: String) {
        self.id = Some(id);
    }
    fn sources_mut(&mut self) -> Option<&mut Vec<Citation>> {
        Some(&mut self.sources)
    }
    fn stripped(&self) -> Self {
        Relation {
            id: None,
            sources: Vec::new(),
            empty: EmptyLists::NONE,
            ..self.clone()
        }
    }
    fn subject(&self) -> Option<String> {
        Some(format!("{:?}\0{}\0{}", self.kind, self.from, self.to))
    }
    fn fields(&self) -> Vec<(&'static str, Option<String>)> {
        vec![
            ("kind", text(&self.kind)),
            ("from", Some(self.from.clone())),
            ("to", Some(self.to.clone())),
            ("label", text(&self.label)),
            ("time", time(&self.time)),
            ("certainty", self.certainty.map(|c| c.as_str().to_string())),
            ("extra", extra(&self.extra)),
        ]
    }
}

impl Claim for Marker {
    const WHAT: &'static str = "marker";
    fn id(&self) -> Option<&str> {
        Some(&self.id)
    }
    fn set_id(&mut self, id: String) {
        self.id = id;
    }
    fn sources_mut(&mut self) -> Option<&mut Vec<Citation>> {
        None
    }
    fn stripped(&self) -> Self {
        Marker {
            id: String::new(),
            ..self.clone()
        }
    }
    fn subject(&self) -> Option<String> {
        None
    }
    fn fields(&self) -> Vec<(&'static str, Option<String>)> {
        vec![
            ("label", Some(self.label.clone())),
            ("time", time(&self.time)),
            ("extra", extra(&self.extra)),
        ]
    }
}
