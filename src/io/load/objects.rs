//! The decoder of each object kind but events: sources, entities, messages,
//! holdings, markers, relations and citations.

use super::fields::Obj;
use super::refs::RefKind;
use super::{Decoder, Node, Value};
use crate::diagnostic::quote;
use crate::model::{
    Citation, Entity, EntityKind, Holding, ListField, Marker, Message, Relation, Source,
};

impl Decoder {
    pub(super) fn source(&mut self, node: &Node, i: usize) -> Option<Source> {
        let mut o = self.obj(node, &format!("sources[{i}]"))?;
        let id = self.id(&mut o, true, Some(RefKind::Source));
        let s = Source {
            id: id.unwrap_or_default(),
            title: self.opt_string(&mut o, "title"),
            publisher: self.opt_string(&mut o, "publisher"),
            author: self.opt_string(&mut o, "author"),
            published: self.time(&mut o, "published"),
            url: self.opt_string(&mut o, "url"),
            reliability: self.reliability(&mut o),
            extra: Vec::new(),
        };
        Some(Source {
            extra: self.finish(o),
            ..s
        })
    }

    pub(super) fn entity(&mut self, node: &Node, i: usize) -> Option<Entity> {
        let mut o = self.obj(node, &format!("entities[{i}]"))?;
        let id = self.id(&mut o, true, Some(RefKind::Entity));
        let name = self.req_string(&mut o, "name").map(|(s, _)| s);
        let kind = match self.field(&mut o, "kind") {
            Some(n) => {
                let k = self.string_node(&o, "kind", n);
                if let Some(k) = &k {
                    if EntityKind::parse(k).is_none() {
                        self.error(
                            format!(
                                "{} field \"kind\": {} is not an entity kind",
                                o.what,
                                quote(k)
                            ),
                            n.span.clone(),
                            "not an entity kind",
                            "use person, organisation (or organization), group or other",
                        );
                    }
                }
                k
            }
            None => None,
        };
        let e = Entity {
            id: id.unwrap_or_default(),
            name: name.unwrap_or_default(),
            kind,
            aliases: self
                .string_list(&mut o, "aliases")
                .into_iter()
                .map(|(s, _)| s)
                .collect(),
            description: self.opt_string(&mut o, "description"),
            tags: self
                .string_list(&mut o, "tags")
                .into_iter()
                .map(|(s, _)| s)
                .collect(),
            url: self.opt_string(&mut o, "url"),
            empty: o.empty_lists(&[("aliases", ListField::Aliases), ("tags", ListField::Tags)]),
            extra: Vec::new(),
        };
        Some(Entity {
            extra: self.finish(o),
            ..e
        })
    }

    pub(super) fn message(&mut self, node: &Node, i: usize) -> Option<Message> {
        let mut o = self.obj(node, &format!("messages[{i}]"))?;
        let id = self.id(&mut o, true, Some(RefKind::Message));
        let title = self.opt_string(&mut o, "title");
        let text = self.opt_string(&mut o, "text");
        let origin = match self.field(&mut o, "origin") {
            Some(n) => {
                let s = self.string_node(&o, "origin", n);
                if let Some(s) = &s {
                    self.entity_ref(&o, "origin", s, n.span.clone());
                }
                s
            }
            None => None,
        };
        let m = Message {
            id: id.unwrap_or_default(),
            title,
            text,
            origin,
            time: self.time(&mut o, "time"),
            sources: self.citations(&mut o),
            empty: o.empty_lists(&[("sources", ListField::Sources)]),
            extra: Vec::new(),
        };
        Some(Message {
            extra: self.finish(o),
            ..m
        })
    }

    pub(super) fn holding(&mut self, node: &Node, i: usize) -> Option<Holding> {
        let mut o = self.obj(node, &format!("holdings[{i}]"))?;
        let id = self.id(&mut o, true, None);
        let entity = match self.req_string(&mut o, "entity") {
            Some((s, span)) => {
                self.entity_ref(&o, "entity", &s, span);
                s
            }
            None => String::new(),
        };
        let what = o.what.clone();
        let message = match self.req_string(&mut o, "message") {
            Some((s, span)) => {
                self.reference(
                    RefKind::Message,
                    s.clone(),
                    span,
                    format!("{what} field \"message\""),
                );
                s
            }
            None => String::new(),
        };
        let h = Holding {
            id: id.unwrap_or_default(),
            entity,
            message,
            time: self.time(&mut o, "time"),
            certainty: self.certainty(&mut o),
            summary: self.opt_string(&mut o, "summary"),
            quote: self.opt_string(&mut o, "quote"),
            sources: self.citations(&mut o),
            empty: o.empty_lists(&[("sources", ListField::Sources)]),
            extra: Vec::new(),
        };
        Some(Holding {
            extra: self.finish(o),
            ..h
        })
    }

    pub(super) fn marker(&mut self, node: &Node, i: usize) -> Option<Marker> {
        let mut o = self.obj(node, &format!("markers[{i}]"))?;
        let id = self.id(&mut o, true, None);
        let label = self.req_string(&mut o, "label").map(|(s, _)| s);
        let has_time = o.members.iter().any(|m| m.key == "time");
        let time = self.time(&mut o, "time");
        if !has_time {
            self.error(
                format!("{} has no \"time\"", o.what),
                node.span.start..node.span.start + 1,
                "\"time\" is required",
                "add the date it marks: \"time\": \"2016-11-08\"",
            );
        }
        let m = Marker {
            id: id.unwrap_or_default(),
            label: label.unwrap_or_default(),
            time,
            extra: Vec::new(),
        };
        Some(Marker {
            extra: self.finish(o),
            ..m
        })
    }

    pub(super) fn relation(&mut self, node: &Node, i: usize) -> Option<Relation> {
        let mut o = self.obj(node, &format!("relations[{i}]"))?;
        let id = self.id(&mut o, false, None);
        let kind = self.opt_string(&mut o, "kind");
        let end = |d: &mut Decoder, o: &mut Obj, name: &str| -> String {
            match d.req_string(o, name) {
                Some((s, span)) => {
                    d.entity_ref(o, name, &s, span);
                    s
                }
                None => String::new(),
            }
        };
        let from = end(self, &mut o, "from");
        let to = end(self, &mut o, "to");
        let r = Relation {
            id,
            kind,
            from,
            to,
            label: self.opt_string(&mut o, "label"),
            time: self.time(&mut o, "time"),
            certainty: self.certainty(&mut o),
            sources: self.citations(&mut o),
            empty: o.empty_lists(&[("sources", ListField::Sources)]),
            extra: Vec::new(),
        };
        Some(Relation {
            extra: self.finish(o),
            ..r
        })
    }

    pub(super) fn citations(&mut self, o: &mut Obj) -> Vec<Citation> {
        let Some(node) = self.field(o, "sources") else {
            return Vec::new();
        };
        let Value::Array(items) = &node.value else {
            self.wrong_type(o, "sources", node, "an array of source ids or citations");
            return Vec::new();
        };
        let what = o.what.clone();
        let mut out = Vec::new();
        for item in items {
            match &item.value {
                Value::String(s) => {
                    self.reference(RefKind::Source, s.clone(), item.span.clone(), format!("{what} field \"sources\""));
                    out.push(Citation::Id(s.clone()));
                }
                Value::Object(_) => {
                    let Some(mut c) = self.obj(item, &format!("a citation in {what}")) else { continue };
                    let Some((source, span)) = self.req_string(&mut c, "source") else { continue };
                    self.reference(RefKind::Source, source.clone(), span, format!("{what} field \"sources\""));
                    let quote = self.opt_string(&mut c, "quote");
                    let locator = self.opt_string(&mut c, "locator");
                    let paraphrase = match self.field(&mut c, "paraphrase") {
                        Some(Node { value: Value::Bool(b), .. }) => Some(*b),
                        Some(n) => {
                            self.wrong_type(&c, "paraphrase", n, "true or false");
                            None
                        }
                        None => None,
                    };
                    let credibility = self.credibility(&mut c);
                    let extra = self.finish(c);
                    out.push(Citation::Full { source, quote, locator, paraphrase, credibility, extra });
                }
                other => self.error(
                    format!("{what} field \"sources\" must hold source ids or citations, found {}", other.type_name()),
                    item.span.clone(),
                    "expected a string or an object",
                    "write a source id (\"article\") or { \"source\": \"article\", \"quote\": \"...\" }",
                ),
            }
        }
        out
    }
}
