//! Reading one object's fields: their types, required fields, unknown fields
//! (kept as extra, with a warning) and keys written twice.

use std::collections::HashMap;
use std::ops::Range;

use super::json::Member;
use super::{Decoder, Node, Value};
use crate::diagnostic::{quote, Diagnostic};
use crate::model::{id_problem, Certainty, Credibility, EmptyLists, Extra, ListField, Reliability};

/// An object being read: marks which fields were used.
pub(super) struct Obj<'n> {
    pub(super) members: &'n [Member],
    pub(super) used: Vec<bool>,
    /// How messages name it: `event "e7"`, or `events[3]` without a usable id.
    pub(super) what: String,
    /// Where it is: `events[3]`.
    pub(super) at: String,
    pub(super) span: Range<usize>,
}

impl Obj<'_> {
    /// The list fields, of those named, that the object writes as `[]`.
    pub(super) fn empty_lists(&self, fields: &[(&str, ListField)]) -> EmptyLists {
        let mut empty = EmptyLists::NONE;
        for m in self.members {
            if matches!(&m.node.value, Value::Array(items) if items.is_empty()) {
                if let Some((_, field)) = fields.iter().find(|(name, _)| *name == m.key) {
                    empty.insert(*field);
                }
            }
        }
        empty
    }
}

/// How an object is named in messages: `event "e7"` when it has a usable id,
/// else by position (`events[3]`).
pub(super) fn named(what: &str, members: &[Member]) -> String {
    let section = match what.split_once('[') {
        Some((section, _)) if !section.contains(' ') => section,
        _ => return what.to_string(),
    };
    let id = members.iter().find_map(|m| match &m.node.value {
        Value::String(s) if m.key == "id" => Some(s),
        _ => None,
    });
    match id {
        Some(id) if id_problem(id).is_none() => {
            let singular = match section.strip_suffix("ies") {
                Some(stem) => format!("{stem}y"),
                None => section.trim_end_matches('s').to_string(),
            };
            format!("{singular} {}", quote(id))
        }
        _ => what.to_string(),
    }
}

/// Objects with at most this many fields look for a key written twice by
/// comparing with the earlier keys (at most 120 comparisons); larger ones use
/// a hash map, so that the check stays linear.
const SMALL_OBJECT: usize = 16;

impl Decoder {
    pub(super) fn obj<'n>(&mut self, node: &'n Node, what: &str) -> Option<Obj<'n>> {
        match &node.value {
            Value::Object(members) => {
                let at = what;
                let what = &named(what, members);
                // A key written twice. Objects of a story have a handful of
                // fields: comparing with the earlier ones costs less than a
                // hash map, which only a large object (unknown fields) needs.
                let mut seen: HashMap<&str, &Member> = HashMap::new();
                let small = members.len() <= SMALL_OBJECT;
                let mut used = vec![false; members.len()];
                for (i, m) in members.iter().enumerate() {
                    let first = if small {
                        members[..i].iter().find(|f| f.key == m.key)
                    } else {
                        seen.get(m.key.as_str()).copied()
                    };
                    if let Some(first) = first {
                        // Reported here; not also an unknown field.
                        used[i] = true;
                        let diag = Diagnostic::error(
                            format!("{what} has the field \"{}\" twice", m.key),
                            Some(m.key_span.clone()),
                            "second time",
                        )
                        .with_related(first.key_span.clone(), "first time")
                        .with_help("keep one of them: JSON readers disagree on which one wins");
                        self.diags.push(diag);
                    } else if !small {
                        seen.insert(&m.key, m);
                    }
                }
                Some(Obj {
                    members,
                    used,
                    what: what.to_string(),
                    at: at.to_string(),
                    span: node.span.clone(),
                })
            }
            other => {
                self.error(
                    format!("{what} must be an object, found {}", other.type_name()),
                    node.span.clone(),
                    "expected { ... }",
                    "write it as an object with named fields: { \"id\": \"...\", ... }",
                );
                None
            }
        }
    }

    pub(super) fn field<'n>(&mut self, o: &mut Obj<'n>, name: &str) -> Option<&'n Node> {
        let i = o.members.iter().position(|m| m.key == name)?;
        o.used[i] = true;
        Some(&o.members[i].node)
    }

    pub(super) fn wrong_type(&mut self, o: &Obj, name: &str, node: &Node, expected: &str) {
        self.error(
            format!(
                "{} field \"{name}\" must be {expected}, found {}",
                o.what,
                node.value.type_name()
            ),
            node.span.clone(),
            format!("expected {expected}"),
            format!("write \"{name}\" as {expected}"),
        );
    }

    /// An item of an array of entity ids that is not a string.
    pub(super) fn not_an_entity_id(&mut self, o: &Obj, name: &str, node: &Node) {
        self.error(
            format!(
                "{} field \"{name}\" must hold entity ids, found {}",
                o.what,
                node.value.type_name()
            ),
            node.span.clone(),
            "expected an entity id",
            format!("write each item of \"{name}\" as the id of an entity, in double quotes, e.g. \"alice\""),
        );
    }

    pub(super) fn string_node(&mut self, o: &Obj, name: &str, node: &Node) -> Option<String> {
        match &node.value {
            Value::String(s) => Some(s.clone()),
            _ => {
                self.wrong_type(o, name, node, "a string");
                None
            }
        }
    }

    pub(super) fn opt_string(&mut self, o: &mut Obj, name: &str) -> Option<String> {
        let node = self.field(o, name)?;
        self.string_node(o, name, node)
    }

    pub(super) fn req_string(&mut self, o: &mut Obj, name: &str) -> Option<(String, Range<usize>)> {
        match self.field(o, name) {
            Some(node) => self
                .string_node(o, name, node)
                .map(|s| (s, node.span.clone())),
            None => {
                self.error(
                    format!("{} has no \"{name}\"", o.what),
                    o.span.start..o.span.start + 1,
                    format!("\"{name}\" is required here"),
                    format!("add \"{name}\": \"...\" to this object"),
                );
                None
            }
        }
    }

    pub(super) fn string_list(&mut self, o: &mut Obj, name: &str) -> Vec<(String, Range<usize>)> {
        let Some(node) = self.field(o, name) else {
            return Vec::new();
        };
        match &node.value {
            Value::Array(items) => items
                .iter()
                .filter_map(|item| match &item.value {
                    Value::String(s) => Some((s.clone(), item.span.clone())),
                    other => {
                        self.error(
                            format!(
                                "{} field \"{name}\" must hold strings, found {}",
                                o.what,
                                other.type_name()
                            ),
                            item.span.clone(),
                            "expected a string",
                            format!("write every item of \"{name}\" as a string in double quotes"),
                        );
                        None
                    }
                })
                .collect(),
            _ => {
                self.wrong_type(o, name, node, "an array of strings");
                Vec::new()
            }
        }
    }

    pub(super) fn certainty(&mut self, o: &mut Obj) -> Option<Certainty> {
        let node = self.field(o, "certainty")?;
        let text = self.string_node(o, "certainty", node)?;
        match text.parse::<Certainty>() {
            Ok(c) => Some(c),
            Err(_) => {
                self.error(
                    format!(
                        "{} field \"certainty\": {} is not a certainty",
                        o.what,
                        quote(&text)
                    ),
                    node.span.clone(),
                    "not a certainty",
                    "use one of confirmed, reported, alleged, unknown (or leave it out: reported)",
                );
                None
            }
        }
    }

    /// A source's `reliability`: a letter A to F.
    pub(super) fn reliability(&mut self, o: &mut Obj) -> Option<Reliability> {
        let node = self.field(o, "reliability")?;
        let text = self.string_node(o, "reliability", node)?;
        let r = Reliability::parse(&text);
        if r.is_none() {
            self.error(
                format!(
                    "{} field \"reliability\": {} is not an Admiralty reliability grade",
                    o.what,
                    quote(&text)
                ),
                node.span.clone(),
                "not a grade A to F",
                "use one capital letter: A (completely reliable) to E (unreliable), F (cannot be judged)",
            );
        }
        r
    }

    /// A citation's `credibility`: a whole number 1 to 6.
    pub(super) fn credibility(&mut self, o: &mut Obj) -> Option<Credibility> {
        let node = self.field(o, "credibility")?;
        let grade = match &node.value {
            Value::Number(n) => n.parse::<u8>().ok().and_then(Credibility::new),
            _ => None,
        };
        if grade.is_none() {
            self.error(
                format!(
                    "{} field \"credibility\" must be an Admiralty credibility grade, a whole number 1 to 6",
                    o.what
                ),
                node.span.clone(),
                "not a grade 1 to 6",
                "use 1 (confirmed by other sources) to 5 (improbable), or 6 (cannot be judged), without quotes",
            );
        }
        grade
    }

    /// Keeps unused fields as extra and warns about each, except the user's
    /// own `x-` fields, kept silently.
    pub(super) fn finish(&mut self, o: Obj) -> Extra {
        let mut extra = Vec::new();
        for (m, used) in o.members.iter().zip(&o.used) {
            if !used && m.key.starts_with("x-") {
                extra.push((m.key.clone(), m.node.value.clone()));
            } else if !used {
                self.warn(
                    format!("{} has an unknown field \"{}\"", o.what, m.key),
                    m.key_span.clone(),
                    "not a format 1 field; kept as written",
                    "check the spelling if you meant a format 1 field; unknown fields are kept on save",
                );
                extra.push((m.key.clone(), m.node.value.clone()));
            }
        }
        extra
    }
}
