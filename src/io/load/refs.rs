//! Ids and the references between objects: each definition, each use, and
//! the checks made once the whole file is read (unknown and duplicate ids,
//! entities that take part in nothing).

use std::collections::{HashMap, HashSet};
use std::ops::Range;

use super::fields::Obj;
use super::Decoder;
use crate::diagnostic::{quote, visible, Diagnostic};
use crate::model::{id_problem, suggest_distance, Story};

/// What kind of thing an id reference must name.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub(super) enum RefKind {
    Entity,
    Message,
    Source,
    Event,
}

impl RefKind {
    pub(super) fn word(self) -> &'static str {
        match self {
            RefKind::Entity => "entity",
            RefKind::Message => "message",
            RefKind::Source => "source",
            RefKind::Event => "event",
        }
    }
    pub(super) fn section(self) -> &'static str {
        match self {
            RefKind::Entity => "entities",
            RefKind::Message => "messages",
            RefKind::Source => "sources",
            RefKind::Event => "events",
        }
    }
}

pub(super) struct Ref {
    pub(super) kind: RefKind,
    pub(super) id: String,
    pub(super) span: Range<usize>,
    pub(super) context: String,
}

impl Decoder {
    pub(super) fn id(
        &mut self,
        o: &mut Obj,
        required: bool,
        kind: Option<RefKind>,
    ) -> Option<String> {
        let (id, span) = if required {
            self.req_string(o, "id")?
        } else {
            let node = self.field(o, "id")?;
            (self.string_node(o, "id", node)?, node.span.clone())
        };
        if self.check_id(&o.what.clone(), "id", &id, span.clone()) {
            self.ids.push((id.clone(), o.at.clone(), span, kind));
        } else if let Some(kind) = kind {
            // References to the id as it was probably meant are not reported too.
            let meant: String = id.trim().chars().filter(|c| !c.is_control()).collect();
            self.unreadable.push((kind, Some(meant)));
        }
        Some(id)
    }

    /// Checks the shape of an id; returns true when it is usable.
    pub(super) fn check_id(
        &mut self,
        what: &str,
        field: &str,
        id: &str,
        span: Range<usize>,
    ) -> bool {
        match id_problem(id) {
            Some(p) => {
                self.error(
                    format!("{what} field \"{field}\": the id {} {p}", quote(id)),
                    span,
                    "not a usable id",
                    "an id is a non-empty string without control characters or surrounding spaces, e.g. \"trump-jr\"",
                );
                false
            }
            None => true,
        }
    }

    pub(super) fn reference(
        &mut self,
        kind: RefKind,
        id: String,
        span: Range<usize>,
        context: String,
    ) {
        self.refs.push(Ref {
            kind,
            id,
            span,
            context,
        });
    }

    pub(super) fn entity_ref(&mut self, o: &Obj, field: &str, id: &str, span: Range<usize>) {
        let context = format!("{} field \"{field}\"", o.what);
        if self.check_id(&o.what, field, id, span.clone()) {
            self.reference(RefKind::Entity, id.to_string(), span, context);
        }
    }

    /// Reports duplicate ids and references that name nothing (or something
    /// of another kind), with the nearest id as a suggestion.
    ///
    /// # Complexity
    /// O(d + r) hash look-ups for d definitions and r references; the
    /// suggestions for unknown ids compare strings within a fixed budget
    /// ([`SUGGESTION_BUDGET`]), so that a file full of unknown ids cannot
    /// make the comparison quadratic.
    pub(super) fn check_ids_and_refs(&mut self) {
        let ids = std::mem::take(&mut self.ids);
        // The first definition of each id, whatever its kind.
        let mut first: HashMap<&str, (&str, &Range<usize>)> = HashMap::with_capacity(ids.len());
        // Every (kind, id) that is defined, duplicates included.
        let mut defined: HashSet<(RefKind, &str)> = HashSet::with_capacity(ids.len());
        for (id, what, span, kind) in &ids {
            if let Some(kind) = kind {
                defined.insert((*kind, id.as_str()));
            }
            match first.get(id.as_str()) {
                Some((first_what, first_span)) => {
                    let diag = Diagnostic::error(
                        format!("duplicate id {}: {what} has the same id as {first_what}", quote(id)),
                        Some(span.clone()),
                        "used again here",
                    )
                    .with_related((*first_span).clone(), "first defined here")
                    .with_help("ids must be unique among entities, messages, events, sources and relations; rename one");
                    self.diags.push(diag);
                }
                None => {
                    first.insert(id, (what, span));
                }
            }
        }
        let unreadable = std::mem::take(&mut self.unreadable);
        // A definition that could not be read has its own error; a reference
        // to it would only repeat that. `None`: a whole section.
        let mut unreadable_ids: HashSet<(RefKind, &str)> = HashSet::new();
        let mut unreadable_sections: HashSet<RefKind> = HashSet::new();
        for (kind, id) in &unreadable {
            match id {
                Some(id) => unreadable_ids.insert((*kind, id.as_str())),
                None => unreadable_sections.insert(*kind),
            };
        }
        let mut near = Suggester::new(&ids);
        let refs = std::mem::take(&mut self.refs);
        for r in refs {
            if defined.contains(&(r.kind, r.id.as_str()))
                || unreadable_sections.contains(&r.kind)
                || unreadable_ids.contains(&(r.kind, r.id.as_str()))
            {
                continue;
            }
            let help = match first.get(r.id.as_str()) {
                Some((what, _)) => format!(
                    "{} is the id of {what}, not of {} {}; {} are defined under \"{}\"",
                    quote(&r.id),
                    article(r.kind.word()),
                    r.kind.word(),
                    r.kind.section(),
                    r.kind.section()
                ),
                None => match near.nearest(r.kind, &r.id) {
                    Some(id) => format!(
                        "did you mean {}? Otherwise define it under \"{}\"",
                        quote(id),
                        r.kind.section()
                    ),
                    None => format!(
                        "define {} {} with this id under \"{}\", or correct the id",
                        article(r.kind.word()),
                        r.kind.word(),
                        r.kind.section()
                    ),
                },
            };
            self.error(
                format!(
                    "unknown {} {} in {}",
                    r.kind.word(),
                    quote(&r.id),
                    r.context
                ),
                r.span,
                format!("no {} has this id", r.kind.word()),
                help,
            );
        }
    }

    pub(super) fn check_unused_entities(&mut self, story: &Story, spans: &[Range<usize>]) {
        let mut used: std::collections::HashSet<&str> = std::collections::HashSet::new();
        for e in &story.events {
            used.extend(e.parties.entities());
        }
        for r in &story.relations {
            used.insert(&r.from);
            used.insert(&r.to);
        }
        for m in &story.messages {
            if let Some(o) = &m.origin {
                used.insert(o);
            }
        }
        for h in &story.holdings {
            used.insert(&h.entity);
        }
        for (e, span) in story.entities.iter().zip(spans) {
            if !used.contains(e.id.as_str()) {
                self.warn(
                    format!(
                        "entity {} ({}) takes part in nothing",
                        quote(&e.id),
                        visible(&e.name)
                    ),
                    span.clone(),
                    "no event, relation or message names it",
                    "add the contacts it had, or remove it",
                );
            }
        }
    }
}

/// How many character pairs the "did you mean" suggestions of one file may
/// compare in all (edit distance costs the product of the two lengths). A
/// story with a few typos among 10^5 ids stays well within it; past it, an
/// unknown id gets the plain help.
const SUGGESTION_BUDGET: usize = 20_000_000;

/// Finds the nearest defined id of a kind for an unknown one, within
/// [`SUGGESTION_BUDGET`], remembering each answer (a typo repeated a
/// thousand times costs one search).
struct Suggester<'a> {
    /// Defined ids of each kind, in file order: lower-cased, the length in
    /// characters, as written.
    by_kind: HashMap<RefKind, Vec<(String, usize, &'a str)>>,
    memo: HashMap<(RefKind, String), Option<&'a str>>,
    budget: usize,
}

impl<'a> Suggester<'a> {
    fn new(ids: &'a [(String, String, Range<usize>, Option<RefKind>)]) -> Self {
        let mut by_kind: HashMap<RefKind, Vec<(String, usize, &'a str)>> = HashMap::new();
        for (id, _, _, kind) in ids {
            if let Some(kind) = kind {
                let len = id.chars().count();
                by_kind
                    .entry(*kind)
                    .or_default()
                    .push((id.to_lowercase(), len, id));
            }
        }
        Suggester {
            by_kind,
            memo: HashMap::new(),
            budget: SUGGESTION_BUDGET,
        }
    }

    /// The defined id of `kind` nearest to `unknown`, when one is near
    /// enough: the least distance, then the least id.
    fn nearest(&mut self, kind: RefKind, unknown: &str) -> Option<&'a str> {
        if let Some(hit) = self.memo.get(&(kind, unknown.to_string())) {
            return *hit;
        }
        let needle = unknown.to_lowercase();
        let needle_len = unknown.chars().count();
        let mut best: Option<(usize, &'a str)> = None;
        for (lower, len, id) in self.by_kind.get(&kind).map_or(&[][..], Vec::as_slice) {
            let cost = (needle_len + 1) * (len + 1);
            if cost > self.budget {
                break;
            }
            self.budget -= cost;
            let d = suggest_distance(&needle, lower);
            let near = d <= 2.max(id.len() / 3) && d < needle_len.min(*len);
            if near && best.is_none_or(|b| (d, *id) < b) {
                best = Some((d, id));
            }
        }
        let hit = best.map(|(_, id)| id);
        self.memo.insert((kind, unknown.to_string()), hit);
        hit
    }
}

pub(super) fn article(word: &str) -> &'static str {
    if word.starts_with(['a', 'e', 'i', 'o', 'u']) {
        "an"
    } else {
        "a"
    }
}
