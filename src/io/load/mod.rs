//! JSON (format 1) to a validated [`Story`], collecting every error in one run.
//!
//! The reader is one decoder walking the JSON tree of [`super::parse_json`], split along its seams
//! into private modules:
//!
//! - this file: the entry points, the top level of the story and its sections,
//!   and the bound on the number of problems reported ([`MAX_DIAGNOSTICS`]);
//! - `fields.rs`: reading one object's fields (types, required fields, unknown
//!   fields kept as extra, duplicate keys, lists written `[]`);
//! - `objects.rs`: the decoder of each object kind (source, entity, message,
//!   relation, citation), and `event.rs` for events, who they connect and the
//!   bound on channels ([`MAX_CHANNELS`]);
//! - `refs.rs`: ids, references between objects, duplicate ids, unused
//!   entities, all through hash sets (O(n) for n ids and references);
//! - `times.rs`: time fields and the story's time zone.

mod event;
mod fields;
mod objects;
mod refs;
mod times;

use std::ops::Range;

use jiff::tz::TimeZone;

use super::json::{self, Node, Value};
use crate::diagnostic::{quote, Diagnostic, Report, Severity};
use crate::model::time::{machine_zone, parse_timezone};
use crate::model::{ListField, Story, FORMAT};

use fields::Obj;
use refs::{Ref, RefKind};
use times::suggest_timezone;

pub use event::MAX_CHANNELS;

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
        channels: 0,
    };
    let loaded = d.story(&root);
    report.diagnostics = d.diags;
    report.sort();
    cap(&mut report.diagnostics, text);
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

/// The most problems one load reports: errors first, in file order, then
/// warnings if there is room; one more diagnostic counts the others and
/// points at the first of them. A generated file can hold a problem per line;
/// a thousand is more than anyone reads before fixing the first, and it keeps
/// the report's size (and the time to print it) bounded.
pub const MAX_DIAGNOSTICS: usize = 1000;

/// Keeps [`MAX_DIAGNOSTICS`] of the diagnostics (sorted by place), errors
/// before warnings, and sums up the rest in one, an error when any of them is.
pub(crate) fn cap(diags: &mut Vec<Diagnostic>, text: &str) {
    if diags.len() <= MAX_DIAGNOSTICS {
        return;
    }
    // Stable: within each severity, file order is kept.
    let mut ranked: Vec<(bool, usize, Diagnostic)> = std::mem::take(diags)
        .into_iter()
        .enumerate()
        .map(|(i, d)| (d.severity != Severity::Error, i, d))
        .collect();
    ranked.sort_by_key(|(warning, i, _)| (*warning, *i));
    let mut rest = ranked.split_off(MAX_DIAGNOSTICS);
    ranked.sort_by_key(|(_, i, _)| *i);
    rest.sort_by_key(|(_, i, _)| *i);
    *diags = ranked.into_iter().map(|(_, _, d)| d).collect();
    let errors = rest.iter().filter(|(warning, _, _)| !warning).count();
    let warnings = rest.len() - errors;
    let count = |n: usize, what: &str| match n {
        0 => None,
        1 => Some(format!("1 more {what}")),
        n => Some(format!("{n} more {what}s")),
    };
    let counted: Vec<String> = [count(errors, "error"), count(warnings, "warning")]
        .into_iter()
        .flatten()
        .collect();
    let message = format!("{} not shown", counted.join(" and "));
    let label = "the first of them";
    // The first character of the first of them (its span may be a whole object).
    let first = rest
        .first()
        .and_then(|(_, _, d)| d.span.as_ref())
        .map(|s| one_char(text, s.start));
    let summary = if errors > 0 {
        Diagnostic::error(message, first, label)
    } else {
        Diagnostic::warning(message, first, label)
    };
    diags.push(summary.with_help(format!(
        "fix the problems above and check again: one load reports at most {MAX_DIAGNOSTICS}"
    )));
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
    /// Channels opened by the events read so far (see [`MAX_CHANNELS`]).
    channels: u64,
}

impl Decoder {
    /// Tightens the events' intervals by `after`; a cycle or an empty
    /// interval is an error located at the later event, the other one
    /// related.
    fn order_events(&mut self, story: &mut Story, spans: &[Range<usize>]) {
        let Err(problems) = crate::model::order::order_events(story) else {
            return;
        };
        for p in problems {
            let (e, b) = p.events();
            let (label, help) = match p {
                crate::model::order::OrderProblem::Cycle { .. } => (
                    "its \"after\" goes round in a cycle",
                    "an event cannot be after an event that is after it: remove one \"after\" of the cycle",
                ),
                crate::model::order::OrderProblem::Empty { .. } => (
                    "its time ends before the event it is after starts",
                    "check the two times, or the \"after\"",
                ),
            };
            let mut d =
                Diagnostic::error(p.message(story), spans.get(e).cloned(), label).with_help(help);
            if e != b {
                if let Some(s) = spans.get(b) {
                    d = d.with_related(s.clone(), "the event it is after");
                }
            }
            self.diags.push(d);
        }
    }

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

    /// The story's "format": grapevine/1, the only one read.
    fn read_format(&mut self, top: &mut Obj, root: &Node, story: &mut Story) {
        match self.field(top, "format") {
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
                if let Some(f) = self.string_node(top, "format", node) {
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
    }

    /// The story's "timezone", which the decoder then reads times in.
    fn read_timezone(&mut self, top: &mut Obj, story: &mut Story) {
        if let Some(node) = self.field(top, "timezone") {
            if let Some(name) = self.string_node(top, "timezone", node) {
                match parse_timezone(&name) {
                    Ok(tz) => self.tz = tz,
                    Err(e) if machine_zone(&name).is_some() => self.error(
                        format!("the story field \"timezone\": {}", e.message),
                        node.span.clone(),
                        "a zone that depends on the machine",
                        e.help,
                    ),
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
    }

    /// The story's "grading": what each Admiralty grade supports, over the
    /// default.
    fn read_grading(&mut self, top: &mut Obj, story: &mut Story) {
        let Some(node) = self.field(top, "grading") else {
            return;
        };
        let Value::Object(members) = &node.value else {
            self.wrong_type(top, "grading", node, "an object of grades and certainties");
            return;
        };
        for m in members {
            let to = match &m.node.value {
                Value::Null => Some(None),
                Value::String(s) => s.parse::<crate::model::Certainty>().ok().map(Some),
                _ => None,
            };
            let Some(to) = to else {
                self.error(
                    format!("the story field \"grading\": grade {} must map to a certainty", quote(&m.key)),
                    m.node.span.clone(),
                    "not a certainty",
                    "use one of confirmed, reported, alleged, unknown, or null for a grade that limits nothing",
                );
                continue;
            };
            if !story.grading.set(&m.key, to) {
                self.error(
                    format!(
                        "the story field \"grading\": {} is not an Admiralty grade",
                        quote(&m.key)
                    ),
                    m.key_span.clone(),
                    "not a grade",
                    "use a reliability letter A to F or a credibility digit 1 to 6 as the key",
                );
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
        self.read_format(&mut top, root, &mut story);
        story.title = self.opt_string(&mut top, "title");
        story.summary = self.opt_string(&mut top, "summary");
        self.read_timezone(&mut top, &mut story);
        self.read_grading(&mut top, &mut story);
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
        for (i, node) in self.section(&mut top, "holdings", None).iter().enumerate() {
            if let Some(h) = self.holding(node, i) {
                story.holdings.push(h);
            }
        }
        for (i, node) in self.section(&mut top, "markers", None).iter().enumerate() {
            if let Some(m) = self.marker(node, i) {
                story.markers.push(m);
            }
        }
        for (i, node) in self.section(&mut top, "relations", None).iter().enumerate() {
            if let Some(r) = self.relation(node, i) {
                story.relations.push(r);
            }
        }
        story.empty = top.empty_lists(&[
            ("sources", ListField::Sources),
            ("messages", ListField::Messages),
            ("events", ListField::Events),
            ("holdings", ListField::Holdings),
            ("markers", ListField::Markers),
            ("relations", ListField::Relations),
        ]);
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
            self.order_events(&mut story, &event_spans);
        }
        Some((story, event_spans, entity_spans))
    }
}
