//! Building the story from the read lines: entities first, then the
//! messages, contacts, markers, holdings and relations that refer to them.

use std::collections::HashSet;

use serde_json::Value as Json;

use super::parts::{holds_message, is_marker, read_holding, read_marker};
use super::{role, strings, Line, Reader, Role};
use crate::diagnostic::quote;
use crate::io::export::ftm::{default_kind, id_from_ftm, DESCRIPTION, KEYWORD};
use crate::io::json::{Node, Value};
use crate::model::{Certainty, Entity, Event, Message, Parties, Relation, Story, TimeExpr};

/// The lines as a story.
pub(super) fn build(r: &mut Reader, lines: &[Line], timezone: Option<&str>) -> Story {
    let mut story = Story {
        timezone: timezone.map(str::to_string),
        ..Story::default()
    };
    // Entities and notes first: contacts and relations refer to them.
    let known = entities(r, lines, &mut story);
    for line in lines {
        match role(&line.schema) {
            Role::Note if known.messages.contains(&id_from_ftm(&line.id)) => {
                let origin = known.refs(r, line, "entity").into_iter().next();
                story.messages.push(Message {
                    id: id_from_ftm(&line.id),
                    title: first(line, "name"),
                    text: first(line, "description"),
                    origin,
                    time: None,
                    sources: Vec::new(),
                    extra: r.extra(line),
                    empty: Default::default(),
                });
            }
            Role::Contact if is_marker(line) => story.markers.push(read_marker(r, line)),
            Role::Contact => {
                if let Some(event) = contact(r, line, &known) {
                    story.events.push(event);
                }
            }
            Role::Relation(..) if holds_message(line, &known) => {
                if let Some(h) = read_holding(r, line, &known) {
                    story.holdings.push(h);
                }
            }
            Role::Relation(a, b, implied) => {
                if let Some(relation) = relation(r, line, &known, (a, b, implied)) {
                    story.relations.push(relation);
                }
            }
            _ => {}
        }
    }
    story
}

/// The ids of the file's entities and messages, which contacts and
/// relations refer to.
pub(super) struct Known {
    pub(super) entities: HashSet<String>,
    pub(super) messages: HashSet<String>,
}

impl Known {
    /// The entities `line` names in `prop` (one it does not know is an
    /// error).
    pub(super) fn refs(&self, r: &mut Reader, line: &Line, prop: &str) -> Vec<String> {
        let mut out = Vec::new();
        for v in line.props.get(prop).into_iter().flatten() {
            let id = id_from_ftm(v);
            if self.entities.contains(&id) {
                out.push(id);
            } else {
                r.error(
                    &line.span,
                    format!(
                        "{}.{prop} of {} names {}, which is no person, organisation or legal entity of this file",
                        line.schema,
                        quote(&line.id),
                        quote(v)
                    ),
                    "this entity",
                    "import the entity it names too (put both in one file), or leave the reference out",
                );
            }
        }
        out
    }
}

/// The entities of the story, the notes that are messages, and the
/// schemas not read (counted).
fn entities(r: &mut Reader, lines: &[Line], story: &mut Story) -> Known {
    let mut known = Known {
        entities: HashSet::new(),
        messages: HashSet::new(),
    };
    for line in lines {
        let keywords = line.props.get("keywords").cloned().unwrap_or_default();
        match role(&line.schema) {
            Role::Entity(kind) => {
                let e = entity(r, line, kind, keywords);
                known.entities.insert(e.id.clone());
                story.entities.push(e);
            }
            Role::Note if keywords.iter().any(|k| *k == format!("{KEYWORD}message")) => {
                known.messages.insert(id_from_ftm(&line.id));
            }
            Role::Unread | Role::Note => {
                let e = r
                    .unread
                    .entry(line.schema.clone())
                    .or_insert((0, line.span.clone()));
                e.0 += 1;
            }
            _ => {}
        }
    }
    known
}

/// A person, organisation or legal entity, of `kind` unless its keywords
/// make it a group.
fn entity(r: &mut Reader, line: &Line, kind: &str, keywords: Vec<String>) -> Entity {
    let mut names = line.props.get("name").cloned().unwrap_or_default();
    if names.is_empty() {
        names.push(id_from_ftm(&line.id));
    }
    let name = names.remove(0);
    let group = keywords
        .iter()
        .any(|k| *k == format!("{KEYWORD}kind=group"));
    let mut aliases = names;
    aliases.extend(line.props.get("alias").cloned().unwrap_or_default());
    Entity {
        id: id_from_ftm(&line.id),
        name,
        kind: Some(if group { "group" } else { kind }.to_string()),
        aliases,
        description: first(line, "description"),
        tags: keywords
            .into_iter()
            .filter(|k| !k.starts_with(KEYWORD))
            .collect(),
        url: first(line, "website"),
        extra: r.extra(line),
        empty: Default::default(),
    }
}

/// The values of grapevine's keyword `name` (`grapevine:NAME=VALUE`).
fn marker(keywords: &[String], name: &str) -> Vec<String> {
    let p = format!("{KEYWORD}{name}=");
    keywords
        .iter()
        .filter_map(|k| k.strip_prefix(&p).map(str::to_string))
        .collect()
}

/// An Email, Message or Event as an event (none when its parties are bad).
fn contact(r: &mut Reader, line: &Line, known: &Known) -> Option<Event> {
    let (noted, line) = r.time_note(line);
    let line = &line;
    let keywords = line.props.get("keywords").cloned().unwrap_or_default();
    let kind = marker(&keywords, "kind")
        .into_iter()
        .next()
        .unwrap_or_else(|| default_kind(&line.schema).to_string());
    let certainty = match marker(&keywords, "certainty").first() {
        None => None,
        Some(c) => match c.parse::<Certainty>() {
            Ok(c) => Some(c),
            Err(e) => {
                r.error(
                    &line.span,
                    format!(
                        "{} of {}: {e}",
                        quote(&format!("{KEYWORD}certainty={c}")),
                        quote(&line.id)
                    ),
                    "this entity",
                    "write confirmed, reported, alleged or unknown",
                );
                None
            }
        },
    };
    let carries: Vec<String> = marker(&keywords, "carries");
    let after: Vec<String> = marker(&keywords, "after");
    for c in &carries {
        if !known.messages.contains(c) {
            r.error(
                &line.span,
                format!(
                    "{} carries {}, which is no message of this file",
                    quote(&line.id),
                    quote(c)
                ),
                "this entity",
                "import the Note of the message too, or remove the keyword",
            );
        }
    }
    let parties = contact_parties(r, line, known)?;
    let summary = first(line, "summary");
    let body = first(line, "bodyText");
    let quote_text = body.filter(|b| Some(b) != summary.as_ref() && *b != kind);
    let summary =
        summary.or_else(|| first(line, "name").filter(|n| *n != kind && line.schema == "Event"));
    let time = noted.or_else(|| r.time(line));
    let extra = contact_extra(r, line, &keywords);
    Some(Event {
        id: id_from_ftm(&line.id),
        kind: Some(kind),
        parties,
        time,
        certainty,
        carries,
        summary,
        quote: quote_text,
        sources: Vec::new(),
        extra,
        empty: Default::default(),
        after,
        ordered: None,
    })
}

/// A contact's parties: its sender and recipients, or an Event's organizer
/// and those involved (mutual without an organizer).
fn contact_parties(r: &mut Reader, line: &Line, known: &Known) -> Option<Parties> {
    let (who, whom) = if line.schema == "Event" {
        ("organizer", "involved")
    } else {
        ("sender", "recipients")
    };
    let from = known.refs(r, line, who);
    let to = known.refs(r, line, whom);
    if line.schema == "Event" && from.is_empty() {
        if to.len() < 2 {
            r.error(
                &line.span,
                format!(
                    "the Event {} involves fewer than two entities of this file",
                    quote(&line.id)
                ),
                "this entity",
                "a contact needs an organizer, or at least two involved",
            );
            return None;
        }
        return Some(Parties::Mutual { participants: to });
    }
    if from.len() != 1 || to.is_empty() {
        if from.len() > 1 {
            r.error(
                &line.span,
                format!(
                    "{} has {} {who}s; grapevine reads one",
                    quote(&line.id),
                    from.len()
                ),
                "this entity",
                "split the entity, one per sender",
            );
        } else if r.report.error_count() == 0 {
            r.error(
                &line.span,
                format!("{} has no {} or no {}", quote(&line.id), who, whom),
                "this entity",
                "a contact needs a sender and at least one recipient",
            );
        }
        return None;
    }
    Some(Parties::Directed {
        from: from.into_iter().next().unwrap_or_default(),
        to_is_array: to.len() > 1,
        to,
    })
}

/// A contact's extra fields: the properties not read, an Email's or
/// Message's name, and keywords that are not grapevine's.
fn contact_extra(r: &mut Reader, line: &Line, keywords: &[String]) -> Vec<(String, Value)> {
    let mut extra = r.extra(line);
    if line.schema != "Event" {
        match line.props.get("name").map(Vec::as_slice) {
            Some([n]) => extra.push(("x-ftm-name".into(), Value::String(n.clone()))),
            Some(ns) if !ns.is_empty() => extra.push(("x-ftm-name".into(), strings(ns))),
            _ => {}
        }
    }
    let other: Vec<String> = keywords
        .iter()
        .filter(|k| !k.starts_with(KEYWORD))
        .cloned()
        .collect();
    if !other.is_empty() {
        extra.push((
            "x-ftm-keywords".into(),
            Value::Array(
                other
                    .into_iter()
                    .map(|s| Node {
                        value: Value::String(s),
                        span: 0..0,
                    })
                    .collect(),
            ),
        ));
    }
    extra
}

/// A link schema as a relation from its property `a` to its property `b`,
/// of the `implied` kind unless its description names one.
fn relation(
    r: &mut Reader,
    line: &Line,
    known: &Known,
    (a, b, implied): (&str, &str, Option<&str>),
) -> Option<Relation> {
    let from = known.refs(r, line, a);
    let to = known.refs(r, line, b);
    let (Some(from), Some(to)) = (from.into_iter().next(), to.into_iter().next()) else {
        if r.report.error_count() == 0 {
            r.error(
                &line.span,
                format!(
                    "the {} {} has no {a} or no {b}",
                    line.schema,
                    quote(&line.id)
                ),
                "this entity",
                "a relation needs both ends",
            );
        }
        return None;
    };
    let mut fields = RelationFields {
        kind: implied.map(str::to_string),
        certainty: None,
        time: None,
        quote: None,
        extra: r.extra(line),
    };
    if !fields.read_descriptions(r, line) {
        fields.time = r.time(line);
    }
    let id = id_from_ftm(&line.id);
    Some(Relation {
        id: (!id.starts_with('\u{0}')).then_some(id),
        kind: fields.kind,
        from,
        to,
        label: first(line, "role").or_else(|| first(line, "relationship")),
        time: fields.time,
        certainty: fields.certainty,
        sources: Vec::new(),
        extra: fields.extra,
        empty: Default::default(),
    })
}

/// A relation's (or a holding's) fields that its descriptions may hold.
pub(super) struct RelationFields {
    pub(super) kind: Option<String>,
    pub(super) certainty: Option<Certainty>,
    pub(super) time: Option<TimeExpr>,
    pub(super) quote: Option<String>,
    pub(super) extra: Vec<(String, Value)>,
}

impl RelationFields {
    /// Reads the fields grapevine wrote into the descriptions (another
    /// description is kept as an extra field). Returns whether one gave a
    /// time.
    pub(super) fn read_descriptions(&mut self, r: &mut Reader, line: &Line) -> bool {
        let mut dated = false;
        for d in line.props.get("description").into_iter().flatten() {
            let fields = d
                .strip_prefix(DESCRIPTION)
                .and_then(|j| serde_json::from_str::<serde_json::Map<String, Json>>(j).ok());
            let Some(f) = fields else {
                self.extra
                    .push(("x-ftm-description".into(), Value::String(d.clone())));
                continue;
            };
            if let Some(Json::String(k)) = f.get("kind") {
                self.kind = Some(k.clone());
            }
            if let Some(Json::String(c)) = f.get("certainty") {
                self.certainty = c.parse::<Certainty>().ok();
            }
            if let Some(Json::String(q)) = f.get("quote") {
                self.quote = Some(q.clone());
            }
            if let Some(Json::String(t)) = f.get("time") {
                match TimeExpr::parse(t, &r.tz) {
                    Ok(t) => self.time = Some(t),
                    Err(e) => r.error(
                        &line.span,
                        format!(
                            "the time {} of {}: {}",
                            quote(t),
                            quote(&line.id),
                            e.message
                        ),
                        "this entity",
                        &e.help,
                    ),
                }
                dated = true;
            }
        }
        dated
    }
}

pub(super) fn first(line: &Line, prop: &str) -> Option<String> {
    line.props.get(prop).and_then(|v| v.first()).cloned()
}
