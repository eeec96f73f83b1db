//! The decoder of events: kind, who they connect (directed or mutual), time,
//! certainty and what they carry.

use super::fields::Obj;
use super::refs::RefKind;
use super::{Decoder, Node, Value};
use crate::diagnostic::Diagnostic;
use crate::model::{Event, ListField, Parties};

/// The most channels a story may open (a directed event one per receiver, a
/// mutual one two per participant, through its hub): 2^25. Every channel
/// costs about 60 bytes while the index is built, so this keeps a story
/// within a few gigabytes.
pub const MAX_CHANNELS: u64 = 1 << 25;

impl Decoder {
    pub(super) fn event(&mut self, node: &Node, i: usize) -> Option<Event> {
        let mut o = self.obj(node, &format!("events[{i}]"))?;
        let id = self.id(&mut o, true, Some(RefKind::Event));
        // Any word: a free kind is shown as written, with no warning.
        let kind = match self.field(&mut o, "kind") {
            Some(n) => self.string_node(&o, "kind", n),
            None => None,
        };
        let from = self.field(&mut o, "from");
        let to = self.field(&mut o, "to");
        let participants = self.field(&mut o, "participants");
        let parties = match (from, to, participants) {
            (Some(f), Some(t), None) => self.directed(&o, f, t),
            (None, None, Some(p)) => self.mutual(&o, p),
            (f, t, p) => self.no_parties(&o, f, t, p),
        };
        let what = o.what.clone();
        let after = self
            .string_list(&mut o, "after")
            .into_iter()
            .map(|(s, span)| {
                self.reference(
                    RefKind::Event,
                    s.clone(),
                    span,
                    format!("{what} field \"after\""),
                );
                s
            })
            .collect();
        let time = self.time(&mut o, "time");
        let certainty = self.certainty(&mut o);
        let carries = self
            .string_list(&mut o, "carries")
            .into_iter()
            .map(|(s, span)| {
                self.reference(
                    RefKind::Message,
                    s.clone(),
                    span,
                    format!("{what} field \"carries\""),
                );
                s
            })
            .collect();
        let e = Event {
            id: id.unwrap_or_default(),
            kind,
            parties,
            after,
            time,
            ordered: None,
            certainty,
            carries,
            summary: self.opt_string(&mut o, "summary"),
            quote: self.opt_string(&mut o, "quote"),
            sources: self.citations(&mut o),
            empty: o.empty_lists(&[
                ("carries", ListField::Carries),
                ("sources", ListField::Sources),
                ("after", ListField::After),
            ]),
            extra: Vec::new(),
        };
        Some(Event {
            extra: self.finish(o),
            ..e
        })
    }

    /// The parties of a directed event: `from` sends to `to` (one entity or
    /// an array of them).
    fn directed(&mut self, o: &Obj, f: &Node, t: &Node) -> Parties {
        let from = self.string_node(o, "from", f);
        if let Some(s) = &from {
            self.entity_ref(o, "from", s, f.span.clone());
        }
        let (to, to_is_array) = match &t.value {
            Value::String(s) => {
                self.entity_ref(o, "to", s, t.span.clone());
                (vec![s.clone()], false)
            }
            Value::Array(items) => {
                if items.is_empty() {
                    self.error(
                        format!("{} field \"to\" is an empty array", o.what),
                        t.span.clone(),
                        "nobody receives this contact",
                        "name at least one receiving entity",
                    );
                }
                let mut v = Vec::new();
                for item in items {
                    match &item.value {
                        Value::String(s) => {
                            self.entity_ref(o, "to", s, item.span.clone());
                            v.push(s.clone());
                        }
                        _ => self.not_an_entity_id(o, "to", item),
                    }
                }
                (v, true)
            }
            _ => {
                self.wrong_type(o, "to", t, "an entity id or an array of entity ids");
                (Vec::new(), false)
            }
        };
        self.count_channels(o, to.len() as u64, t, "to");
        Parties::Directed {
            from: from.unwrap_or_default(),
            to,
            to_is_array,
        }
    }

    /// The parties of a mutual event: two or more distinct participants.
    fn mutual(&mut self, o: &Obj, p: &Node) -> Parties {
        let list = match &p.value {
            Value::Array(items) => items
                .iter()
                .filter_map(|item| match &item.value {
                    Value::String(s) => {
                        self.entity_ref(o, "participants", s, item.span.clone());
                        Some(s.clone())
                    }
                    _ => {
                        self.not_an_entity_id(o, "participants", item);
                        None
                    }
                })
                .collect::<Vec<_>>(),
            _ => {
                self.wrong_type(o, "participants", p, "an array of entity ids");
                Vec::new()
            }
        };
        let mut sorted: Vec<&str> = list.iter().map(String::as_str).collect();
        sorted.sort_unstable();
        let distinct = sorted.chunk_by(|a, b| a == b).count() as u64;
        // Two people: a channel each way; more: into the meeting's
        // hub and out of it, two per person (`catalog::HUB_MIN`).
        let channels = if distinct >= crate::catalog::HUB_MIN as u64 {
            2 * distinct
        } else {
            distinct * distinct.saturating_sub(1)
        };
        self.count_channels(o, channels, p, "participants");
        if matches!(p.value, Value::Array(_)) && distinct < 2 {
            self.error(
                format!("{} has fewer than two distinct participants", o.what),
                p.span.clone(),
                "a mutual contact needs at least two",
                "list at least two different entities, or use \"from\" and \"to\" for a one-way contact",
            );
        }
        Parties::Mutual { participants: list }
    }

    /// The error of an event whose parties fields do not fit (mixed, or one
    /// of "from" and "to" missing, or none): no parties.
    fn no_parties(
        &mut self,
        o: &Obj,
        f: Option<&Node>,
        t: Option<&Node>,
        p: Option<&Node>,
    ) -> Parties {
        let start = o.span.start..o.span.start + 1;
        let span_of = |n: Option<&Node>| n.map_or(start.clone(), |n| n.span.clone());
        let mut diag = if let Some(p) = p {
            let directed = if f.is_some() { "\"from\"" } else { "\"to\"" };
            Diagnostic::error(
                format!("{} has both \"participants\" and {directed}", o.what),
                Some(p.span.clone()),
                "\"participants\" makes it a mutual contact",
            )
            .with_related(span_of(f.or(t)), format!("{directed} makes it a directed one"))
            .with_help("keep \"participants\" for a mutual contact (a meeting, a call), or \"from\" and \"to\" for a directed one, not both")
        } else if f.is_some() {
            Diagnostic::error(
                format!("{} has \"from\" but no \"to\"", o.what),
                Some(span_of(f)),
                "sent by this entity, to nobody",
            )
            .with_help("add \"to\": the entity or the array of entities that received it")
        } else if t.is_some() {
            Diagnostic::error(
                format!("{} has \"to\" but no \"from\"", o.what),
                Some(span_of(t)),
                "received by this entity, from nobody",
            )
            .with_help("add \"from\": the entity that sent it")
        } else {
            Diagnostic::error(
                format!("{} says neither who sent it nor who took part", o.what),
                Some(start.clone()),
                "no \"from\"/\"to\" and no \"participants\" in this event",
            )
            .with_help("add \"from\" and \"to\" for a directed contact, or \"participants\" (two or more) for a mutual one")
        };
        if f.is_some() && t.is_some() && p.is_some() {
            diag.message = format!("{} has both \"participants\" and \"from\"/\"to\"", o.what);
            diag.related[0].1 = "\"from\" and \"to\" make it a directed one".into();
        }
        self.diags.push(diag);
        Parties::default()
    }

    /// Adds the channels of one event to the story's count, and reports the
    /// event that takes the story past [`MAX_CHANNELS`].
    fn count_channels(&mut self, o: &Obj, channels: u64, node: &Node, field: &str) {
        let before = self.channels;
        self.channels = before.saturating_add(channels);
        if before <= MAX_CHANNELS && self.channels > MAX_CHANNELS {
            let help = if field == "participants" {
                "a mutual contact of k people opens 2k channels: for an audience, make it a group entity (\"kind\": \"group\") that receives a directed contact; or split the story"
            } else {
                "split the story into several files"
            };
            self.error(
                format!(
                    "{} field \"{field}\" takes the story past {MAX_CHANNELS} channels (this event opens {channels})",
                    o.what
                ),
                node.span.clone(),
                "too many channels",
                help,
            );
        }
    }
}
