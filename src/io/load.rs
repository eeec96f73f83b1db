//! JSON (format 1) to a validated [`Story`], collecting every error in one run.

use std::collections::HashMap;
use std::ops::Range;

use jiff::tz::TimeZone;

use super::json::{self, Member, Node, Value};
use crate::diagnostic::{quote, visible, Diagnostic, Report};
use crate::model::time::parse_timezone;
use crate::model::{
    id_problem, suggest_distance, Certainty, Citation, Entity, EntityKind, Event, Extra, Message,
    Parties, Relation, Source, Story, TimeExpr, EVENT_KINDS, FORMAT,
};

/// A loaded story with its warnings and where its parts are in the file.
#[derive(Debug, Clone)]
pub struct Loaded {
    /// The validated story.
    pub story: Story,
    /// Warnings (no errors), with the file's text.
    pub report: Report,
    /// Byte span of each event's object, parallel to `story.events`.
    pub event_spans: Vec<Range<usize>>,
    /// Byte span of each entity's object, parallel to `story.entities`.
    pub entity_spans: Vec<Range<usize>>,
}

/// Loads a story from bytes. `file` is the name used in messages.
///
/// Returns the story and its warnings, or a report holding every error found.
///
/// A UTF-8 byte order mark at the start is skipped (some editors write one);
/// positions in messages are then counted after it, as editors show them.
pub fn load_bytes(file: &str, bytes: &[u8]) -> Result<Loaded, Report> {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    let text = match std::str::from_utf8(bytes) {
        Ok(t) => t,
        Err(e) => return Err(not_utf8(file, bytes, e.valid_up_to())),
    };
    load_str(file, text)
}

/// The report for a file that is not UTF-8, `at` being the first bad byte.
fn not_utf8(file: &str, bytes: &[u8], at: usize) -> Report {
    // Lossy text: it matches the bytes up to the first bad one. (Rendering
    // hides the control characters a binary file is full of.)
    let shown = String::from_utf8_lossy(bytes).into_owned();
    let mut report = Report::new(file, shown);
    let utf16 = bytes.starts_with(b"\xFF\xFE") || bytes.starts_with(b"\xFE\xFF");
    let (message, help) = if utf16 {
        (
            "the file is UTF-16 text; grapevine reads UTF-8",
            "save the file as UTF-8 (in most editors: \"Save with encoding\" or \"Reopen with encoding\", then UTF-8)",
        )
    } else {
        (
            "the file is not valid UTF-8 text",
            "save the file as UTF-8; a story file is JSON text, not a binary or legacy-encoded (e.g. Latin-1) file",
        )
    };
    let label = format!(
        "byte 0x{:02X} at offset {at} is not UTF-8",
        bytes.get(at).copied().unwrap_or(0)
    );
    report
        .diagnostics
        .push(Diagnostic::error(message, Some(at..at + 1), label).with_help(help));
    report
}

/// Loads a story from text. `file` is the name used in messages.
pub fn load_str(file: &str, text: &str) -> Result<Loaded, Report> {
    let mut report = Report::new(file, text);
    let root = match json::parse(text) {
        Ok(n) => n,
        Err(e) => {
            let mut diag = Diagnostic::error(
                format!("JSON syntax: {}", e.message),
                Some(one_char(text, e.offset)),
                e.label,
            )
            .with_help(e.help);
            if let Some((at, label)) = e.related {
                diag = diag.with_related(one_char(text, at), label);
            }
            report.diagnostics.push(diag);
            return Err(report);
        }
    };
    let mut d = Decoder {
        diags: Vec::new(),
        tz: TimeZone::UTC,
        refs: Vec::new(),
        ids: Vec::new(),
        unreadable: Vec::new(),
    };
    let loaded = d.story(&root);
    report.diagnostics = d.diags;
    report.sort();
    match loaded {
        Some((story, event_spans, entity_spans)) if report.error_count() == 0 => Ok(Loaded {
            story,
            report,
            event_spans,
            entity_spans,
        }),
        _ => Err(report),
    }
}

/// The span of the character at `offset`; empty at a line break or the end
/// of the text, so that a label never spans two lines.
fn one_char(text: &str, offset: usize) -> Range<usize> {
    let offset = offset.min(text.len());
    match text.get(offset..).and_then(|rest| rest.chars().next()) {
        Some(c) if c != '\n' && c != '\r' => offset..offset + c.len_utf8(),
        _ => offset..offset,
    }
}

/// What kind of thing an id reference must name.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum RefKind {
    Entity,
    Message,
    Source,
}

impl RefKind {
    fn word(self) -> &'static str {
        match self {
            RefKind::Entity => "entity",
            RefKind::Message => "message",
            RefKind::Source => "source",
        }
    }
    fn section(self) -> &'static str {
        match self {
            RefKind::Entity => "entities",
            RefKind::Message => "messages",
            RefKind::Source => "sources",
        }
    }
}

struct Ref {
    kind: RefKind,
    id: String,
    span: Range<usize>,
    context: String,
}

/// A story with the spans of its events and entities.
type Decoded = (Story, Vec<Range<usize>>, Vec<Range<usize>>);

struct Decoder {
    diags: Vec<Diagnostic>,
    tz: TimeZone,
    refs: Vec<Ref>,
    /// Every defined id: (id, what defines it, span, kind it can be referenced as).
    ids: Vec<(String, String, Range<usize>, Option<RefKind>)>,
    /// Definitions that could not be read: (kind, the id it was probably
    /// meant to have), `None` when a whole section is missing or unreadable.
    unreadable: Vec<(RefKind, Option<String>)>,
}

/// An object being read: marks which fields were used.
struct Obj<'n> {
    members: &'n [Member],
    used: Vec<bool>,
    /// How messages name it: `event "e7"`, or `events[3]` without a usable id.
    what: String,
    /// Where it is: `events[3]`.
    at: String,
    span: Range<usize>,
}

/// How an object is named in messages: `event "e7"` when it has a usable id,
/// else by position (`events[3]`).
fn named(what: &str, members: &[Member]) -> String {
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

impl Decoder {
    fn error(
        &mut self,
        message: impl Into<String>,
        span: Range<usize>,
        label: impl Into<String>,
        help: impl Into<String>,
    ) {
        self.diags
            .push(Diagnostic::error(message, Some(span), label).with_help(help));
    }

    fn warn(
        &mut self,
        message: impl Into<String>,
        span: Range<usize>,
        label: impl Into<String>,
        help: impl Into<String>,
    ) {
        self.diags
            .push(Diagnostic::warning(message, Some(span), label).with_help(help));
    }

    fn obj<'n>(&mut self, node: &'n Node, what: &str) -> Option<Obj<'n>> {
        match &node.value {
            Value::Object(members) => {
                let at = what;
                let what = &named(what, members);
                let mut seen: HashMap<&str, &Member> = HashMap::new();
                let mut used = vec![false; members.len()];
                for (i, m) in members.iter().enumerate() {
                    if let Some(first) = seen.get(m.key.as_str()) {
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
                    } else {
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

    fn field<'n>(&mut self, o: &mut Obj<'n>, name: &str) -> Option<&'n Node> {
        let i = o.members.iter().position(|m| m.key == name)?;
        o.used[i] = true;
        Some(&o.members[i].node)
    }

    fn wrong_type(&mut self, o: &Obj, name: &str, node: &Node, expected: &str) {
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
    fn not_an_entity_id(&mut self, o: &Obj, name: &str, node: &Node) {
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

    fn string_node(&mut self, o: &Obj, name: &str, node: &Node) -> Option<String> {
        match &node.value {
            Value::String(s) => Some(s.clone()),
            _ => {
                self.wrong_type(o, name, node, "a string");
                None
            }
        }
    }

    fn opt_string(&mut self, o: &mut Obj, name: &str) -> Option<String> {
        let node = self.field(o, name)?;
        self.string_node(o, name, node)
    }

    fn req_string(&mut self, o: &mut Obj, name: &str) -> Option<(String, Range<usize>)> {
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

    fn string_list(&mut self, o: &mut Obj, name: &str) -> Vec<(String, Range<usize>)> {
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

    fn time(&mut self, o: &mut Obj, name: &str) -> Option<TimeExpr> {
        let node = self.field(o, name)?;
        let Value::String(text) = &node.value else {
            let example = match &node.value {
                Value::Number(n) => format!("\"{n}\""),
                _ => "\"2016-09-20\"".to_string(),
            };
            self.error(
                format!(
                    "{} field \"{name}\" must be a time written as a string, found {}",
                    o.what,
                    node.value.type_name()
                ),
                node.span.clone(),
                "expected a string",
                format!("write the time in double quotes, e.g. \"{name}\": {example}; leave the field out when the date is unknown"),
            );
            return None;
        };
        let text = text.clone();
        match TimeExpr::parse(&text, &self.tz) {
            Ok(t) => Some(t),
            Err(e) => {
                // "`2016-X` is not a date" reads better as "\"2016-X\" is not a date"
                // than after the quoted text once more.
                let message = match e.message.strip_prefix(&format!("`{text}` ")) {
                    Some(rest) => format!("{} {rest}", quote(&text)),
                    None => format!("{}: {}", quote(&text), e.message),
                };
                self.error(
                    format!("{} field \"{name}\": {message}", o.what),
                    node.span.clone(),
                    "not a valid time",
                    e.help,
                );
                None
            }
        }
    }

    fn certainty(&mut self, o: &mut Obj) -> Option<Certainty> {
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

    fn id(&mut self, o: &mut Obj, required: bool, kind: Option<RefKind>) -> Option<String> {
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
    fn check_id(&mut self, what: &str, field: &str, id: &str, span: Range<usize>) -> bool {
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

    fn reference(&mut self, kind: RefKind, id: String, span: Range<usize>, context: String) {
        self.refs.push(Ref {
            kind,
            id,
            span,
            context,
        });
    }

    fn citations(&mut self, o: &mut Obj) -> Vec<Citation> {
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
                    let extra = self.finish(c);
                    out.push(Citation::Full { source, quote, locator, extra });
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

    /// Keeps unused fields as extra and warns about each.
    fn finish(&mut self, o: Obj) -> Extra {
        let mut extra = Vec::new();
        for (m, used) in o.members.iter().zip(&o.used) {
            if !used {
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

    /// A top-level section; for one that defines ids (`kind`), records when
    /// it is unreadable and, for each item that is not an object, the id it
    /// may stand for.
    fn section<'n>(&mut self, o: &mut Obj<'n>, name: &str, kind: Option<RefKind>) -> &'n [Node] {
        let Some(node) = self.field(o, name) else {
            return &[];
        };
        match &node.value {
            Value::Array(items) => {
                if let Some(kind) = kind {
                    for item in items {
                        match &item.value {
                            Value::Object(_) => {}
                            Value::String(s) => self.unreadable.push((kind, Some(s.clone()))),
                            _ => {}
                        }
                    }
                }
                items
            }
            _ => {
                self.error(
                    format!(
                        "{} field \"{name}\" must be an array, found {}",
                        o.what,
                        node.value.type_name()
                    ),
                    node.span.clone(),
                    "expected [ ... ]",
                    match &node.value {
                        Value::Object(m)
                            if !m.is_empty()
                                && m.iter().all(|m| matches!(m.node.value, Value::Object(_))) =>
                        {
                            format!("write \"{name}\" as an array of objects, each with its \"id\", not as a map keyed by id: [ {{ \"id\": \"{}\", ... }}, ... ]", m[0].key)
                        }
                        _ => format!("write \"{name}\" as an array of objects: [ {{ \"id\": \"...\", ... }}, ... ]"),
                    },
                );
                if let Some(kind) = kind {
                    self.unreadable.push((kind, None));
                }
                &[]
            }
        }
    }

    fn story(&mut self, root: &Node) -> Option<Decoded> {
        let Value::Object(_) = &root.value else {
            self.error(
                format!("a story file must be a JSON object, found {}", root.value.type_name()),
                root.span.start..root.span.start + 1,
                "expected {",
                "wrap the story in an object: {\"format\": \"grapevine/1\", \"entities\": [...], \"events\": [...]}",
            );
            return None;
        };
        let mut top = self.obj(root, "the story")?;
        let mut story = Story::default();
        match self.field(&mut top, "format") {
            None => self.error(
                "the story has no \"format\"",
                root.span.start..root.span.start + 1,
                "\"format\" is required",
                format!("add \"format\": \"{FORMAT}\" at the top"),
            ),
            Some(node) if !matches!(node.value, Value::String(_)) => self.error(
                format!(
                    "the story field \"format\" must be the string \"{FORMAT}\", found {}",
                    node.value.type_name()
                ),
                node.span.clone(),
                "expected \"grapevine/1\"",
                format!("write \"format\": \"{FORMAT}\""),
            ),
            Some(node) => {
                if let Some(f) = self.string_node(&top, "format", node) {
                    if f != FORMAT {
                        self.error(
                            format!("unsupported format {}", quote(&f)),
                            node.span.clone(),
                            "not supported",
                            format!("this version of grapevine reads \"{FORMAT}\" only"),
                        );
                    }
                    story.format = f;
                }
            }
        }
        story.title = self.opt_string(&mut top, "title");
        story.summary = self.opt_string(&mut top, "summary");
        if let Some(node) = self.field(&mut top, "timezone") {
            if let Some(name) = self.string_node(&top, "timezone", node) {
                match parse_timezone(&name) {
                    Ok(tz) => self.tz = tz,
                    Err(e) => {
                        let help = match suggest_timezone(&name) {
                            Some(near) => format!("did you mean \"{near}\"? Otherwise {}", e.help),
                            None => e.help,
                        };
                        self.error(
                            format!(
                                "the story field \"timezone\": {} is not a time zone this build knows",
                                quote(&name)
                            ),
                            node.span.clone(),
                            "unknown time zone",
                            help,
                        )
                    }
                }
                story.timezone = Some(name);
            }
        }
        for (i, node) in self
            .section(&mut top, "sources", Some(RefKind::Source))
            .iter()
            .enumerate()
        {
            if let Some(s) = self.source(node, i) {
                story.sources.push(s);
            }
        }
        if self.field(&mut top, "entities").is_none() {
            self.unreadable.push((RefKind::Entity, None));
            self.error(
                "the story has no \"entities\"",
                root.span.start..root.span.start + 1,
                "\"entities\" is required",
                "add \"entities\": [ { \"id\": \"...\", \"name\": \"...\" } ]",
            );
        }
        let mut entity_spans = Vec::new();
        for (i, node) in self
            .section(&mut top, "entities", Some(RefKind::Entity))
            .iter()
            .enumerate()
        {
            if let Some(e) = self.entity(node, i) {
                story.entities.push(e);
                entity_spans.push(node.span.clone());
            }
        }
        for (i, node) in self
            .section(&mut top, "messages", Some(RefKind::Message))
            .iter()
            .enumerate()
        {
            if let Some(m) = self.message(node, i) {
                story.messages.push(m);
            }
        }
        let mut event_spans = Vec::new();
        for (i, node) in self.section(&mut top, "events", None).iter().enumerate() {
            if let Some(e) = self.event(node, i) {
                story.events.push(e);
                event_spans.push(node.span.clone());
            }
        }
        for (i, node) in self.section(&mut top, "relations", None).iter().enumerate() {
            if let Some(r) = self.relation(node, i) {
                story.relations.push(r);
            }
        }
        story.extra = self.finish(top);
        self.check_ids_and_refs();
        // With errors, parts of the story are missing, and an entity that a
        // broken event names would be reported as unused.
        if !self
            .diags
            .iter()
            .any(|d| d.severity == crate::diagnostic::Severity::Error)
        {
            self.check_unused_entities(&story, &entity_spans);
        }
        Some((story, event_spans, entity_spans))
    }

    fn source(&mut self, node: &Node, i: usize) -> Option<Source> {
        let mut o = self.obj(node, &format!("sources[{i}]"))?;
        let id = self.id(&mut o, true, Some(RefKind::Source));
        let s = Source {
            id: id.unwrap_or_default(),
            title: self.opt_string(&mut o, "title"),
            publisher: self.opt_string(&mut o, "publisher"),
            author: self.opt_string(&mut o, "author"),
            published: self.time(&mut o, "published"),
            url: self.opt_string(&mut o, "url"),
            extra: Vec::new(),
        };
        Some(Source {
            extra: self.finish(o),
            ..s
        })
    }

    fn entity(&mut self, node: &Node, i: usize) -> Option<Entity> {
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
            extra: Vec::new(),
        };
        Some(Entity {
            extra: self.finish(o),
            ..e
        })
    }

    fn entity_ref(&mut self, o: &Obj, field: &str, id: &str, span: Range<usize>) {
        let context = format!("{} field \"{field}\"", o.what);
        if self.check_id(&o.what, field, id, span.clone()) {
            self.reference(RefKind::Entity, id.to_string(), span, context);
        }
    }

    fn message(&mut self, node: &Node, i: usize) -> Option<Message> {
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
            extra: Vec::new(),
        };
        Some(Message {
            extra: self.finish(o),
            ..m
        })
    }

    fn event(&mut self, node: &Node, i: usize) -> Option<Event> {
        let mut o = self.obj(node, &format!("events[{i}]"))?;
        let id = self.id(&mut o, true, None);
        let kind = match self.field(&mut o, "kind") {
            Some(n) => {
                let k = self.string_node(&o, "kind", n);
                if let Some(k) = &k {
                    if !EVENT_KINDS.contains(&k.as_str()) {
                        self.warn(
                            format!("{} field \"kind\": {} is not one of the event kinds format 1 names", o.what, quote(k)),
                            n.span.clone(),
                            "free-text kind",
                            format!("the named kinds are {}; free text is kept but drawn as other", EVENT_KINDS.join(", ")),
                        );
                    }
                }
                k
            }
            None => None,
        };
        let from = self.field(&mut o, "from");
        let to = self.field(&mut o, "to");
        let participants = self.field(&mut o, "participants");
        let parties = match (from, to, participants) {
            (Some(f), Some(t), None) => {
                let from = self.string_node(&o, "from", f);
                if let Some(s) = &from {
                    self.entity_ref(&o, "from", s, f.span.clone());
                }
                let (to, to_is_array) = match &t.value {
                    Value::String(s) => {
                        self.entity_ref(&o, "to", s, t.span.clone());
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
                                    self.entity_ref(&o, "to", s, item.span.clone());
                                    v.push(s.clone());
                                }
                                _ => self.not_an_entity_id(&o, "to", item),
                            }
                        }
                        (v, true)
                    }
                    _ => {
                        self.wrong_type(&o, "to", t, "an entity id or an array of entity ids");
                        (Vec::new(), false)
                    }
                };
                Parties::Directed {
                    from: from.unwrap_or_default(),
                    to,
                    to_is_array,
                }
            }
            (None, None, Some(p)) => {
                let list = match &p.value {
                    Value::Array(items) => items
                        .iter()
                        .filter_map(|item| match &item.value {
                            Value::String(s) => {
                                self.entity_ref(&o, "participants", s, item.span.clone());
                                Some(s.clone())
                            }
                            _ => {
                                self.not_an_entity_id(&o, "participants", item);
                                None
                            }
                        })
                        .collect::<Vec<_>>(),
                    _ => {
                        self.wrong_type(&o, "participants", p, "an array of entity ids");
                        Vec::new()
                    }
                };
                let mut distinct = list.clone();
                distinct.sort();
                distinct.dedup();
                if matches!(p.value, Value::Array(_)) && distinct.len() < 2 {
                    self.error(
                        format!("{} has fewer than two distinct participants", o.what),
                        p.span.clone(),
                        "a mutual contact needs at least two",
                        "list at least two different entities, or use \"from\" and \"to\" for a one-way contact",
                    );
                }
                Parties::Mutual { participants: list }
            }
            (f, t, p) => {
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
                    diag.message =
                        format!("{} has both \"participants\" and \"from\"/\"to\"", o.what);
                    diag.related[0].1 = "\"from\" and \"to\" make it a directed one".into();
                }
                self.diags.push(diag);
                Parties::default()
            }
        };
        let time = self.time(&mut o, "time");
        let certainty = self.certainty(&mut o);
        let what = o.what.clone();
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
            time,
            certainty,
            carries,
            summary: self.opt_string(&mut o, "summary"),
            quote: self.opt_string(&mut o, "quote"),
            sources: self.citations(&mut o),
            extra: Vec::new(),
        };
        Some(Event {
            extra: self.finish(o),
            ..e
        })
    }

    fn relation(&mut self, node: &Node, i: usize) -> Option<Relation> {
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
            extra: Vec::new(),
        };
        Some(Relation {
            extra: self.finish(o),
            ..r
        })
    }

    fn check_ids_and_refs(&mut self) {
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

    fn check_unused_entities(&mut self, story: &Story, spans: &[Range<usize>]) {
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

/// The known time zone closest to `name` (case-insensitively), if it is close.
fn suggest_timezone(name: &str) -> Option<String> {
    let lower = name.to_lowercase().replace(' ', "_");
    jiff::tz::db()
        .available()
        .map(|n| n.as_str().to_string())
        .map(|n| (suggest_distance(&lower, &n.to_lowercase()), n))
        .filter(|(d, n)| *d <= 1 + n.len() / 16)
        .min()
        .map(|(_, n)| n)
}

fn article(word: &str) -> &'static str {
    if word.starts_with(['a', 'e', 'i', 'o', 'u']) {
        "an"
    } else {
        "a"
    }
}
