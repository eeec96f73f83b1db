//! Ids and the references between objects: each definition, each use, and
//! the checks made once the whole file is read (unknown and duplicate ids,
//! entities that take part in nothing).

use std::collections::HashMap;
use std::ops::Range;

use super::fields::Obj;
use super::Decoder;
use crate::diagnostic::{quote, visible, Diagnostic};
use crate::model::{id_problem, suggest_distance, Story};

/// What kind of thing an id reference must name.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum RefKind {
    Entity,
    Message,
    Source,
}

impl RefKind {
    pub(super) fn word(self) -> &'static str {
        match self {
            RefKind::Entity => "entity",
            RefKind::Message => "message",
            RefKind::Source => "source",
        }
    }
    pub(super) fn section(self) -> &'static str {
        match self {
            RefKind::Entity => "entities",
            RefKind::Message => "messages",
            RefKind::Source => "sources",
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

    pub(super) fn check_ids_and_refs(&mut self) {
        let mut first: HashMap<String, (String, Range<usize>)> = HashMap::new();
        let ids = std::mem::take(&mut self.ids);
        for (id, what, span, _) in &ids {
            if let Some((first_what, first_span)) = first.get(id) {
                let diag = Diagnostic::error(
                    format!("duplicate id {}: {what} has the same id as {first_what}", quote(id)),
                    Some(span.clone()),
                    "used again here",
                )
                .with_related(first_span.clone(), "first defined here")
                .with_help("ids must be unique among entities, messages, events, sources and relations; rename one");
                self.diags.push(diag);
            } else {
                first.insert(id.clone(), (what.clone(), span.clone()));
            }
        }
        let refs = std::mem::take(&mut self.refs);
        let unreadable = std::mem::take(&mut self.unreadable);
        for r in refs {
            let defined = ids
                .iter()
                .any(|(id, _, _, k)| *id == r.id && *k == Some(r.kind));
            // A definition that could not be read has its own error; a
            // reference to it would only repeat that.
            let cascades = unreadable
                .iter()
                .any(|(k, id)| *k == r.kind && id.as_ref().is_none_or(|id| *id == r.id));
            if defined || cascades {
                continue;
            }
            let other = ids.iter().find(|(id, _, _, _)| *id == r.id);
            let help = match other {
                Some((_, what, _, _)) => format!(
                    "{} is the id of {what}, not of {} {}; {} are defined under \"{}\"",
                    quote(&r.id),
                    article(r.kind.word()),
                    r.kind.word(),
                    r.kind.section(),
                    r.kind.section()
                ),
                None => {
                    let mut near: Vec<(usize, &str)> = ids
                        .iter()
                        .filter(|(_, _, _, k)| *k == Some(r.kind))
                        .map(|(id, _, _, _)| {
                            (
                                suggest_distance(&r.id.to_lowercase(), &id.to_lowercase()),
                                id.as_str(),
                            )
                        })
                        .filter(|(d, id)| {
                            *d <= 2.max(id.len() / 3)
                                && *d < r.id.chars().count().min(id.chars().count())
                        })
                        .collect();
                    near.sort();
                    match near.first() {
                        Some((_, id)) => format!(
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
                    }
                }
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

pub(super) fn article(word: &str) -> &'static str {
    if word.starts_with(['a', 'e', 'i', 'o', 'u']) {
        "an"
    } else {
        "a"
    }
}
