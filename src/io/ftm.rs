//! FollowTheMoney JSONL to a story: the reader behind `grapevine import
//! FILE --from ftm`.
//!
//! It reads what [`export::ftm`](super::export::ftm) writes and what Aleph
//! and the `ftm` tool write: people, organisations, public bodies, legal
//! entities; e-mails, messages and events as contacts; family,
//! membership, employment, associate and unknown-link relations; notes
//! marked `grapevine:message` as traced messages; an unknown link from an
//! entity to such a note as a holding, and an event marked
//! `grapevine:marker` as a marker. Every problem is located
//! by line and column; every property it has no field for is kept as an
//! `x-ftm-PROPERTY` field and listed as a warning, and every entity of a
//! schema it does not read is counted in a warning.

use std::collections::{BTreeMap, HashMap};
use std::ops::Range;

use jiff::tz::TimeZone;
use serde_json::Value as Json;

use super::export::ftm::{id_from_ftm, TIME_NOTE};
use super::export::parse_prefix;
use super::json::{Node, Value};
use super::Imported;
use crate::diagnostic::{quote, Diagnostic, Report};
use crate::error::QueryError;
use crate::model::time::parse_timezone;
use crate::model::TimeExpr;
use crate::Error;

use super::csv::{thousands, MAX_COLUMNS as MAX_FIELDS};

/// Properties kept as `x-ftm-` fields that are named one by one in
/// warnings (the rest are counted in one).
pub const MAX_KEPT_SHOWN: usize = 20;

mod build;
mod parts;
use build::{build, first, Known, RelationFields};

/// Properties grapevine reads as one value (their first); the others are
/// kept as `x-ftm-` fields and listed in a warning. (An entity's other
/// names are its aliases; a contact's names are all kept.)
const SINGLE: [&str; 20] = [
    "name",
    "description",
    "website",
    "date",
    "startDate",
    "endDate",
    "summary",
    "bodyText",
    "role",
    "relationship",
    "entity",
    "subject",
    "object",
    "person",
    "relative",
    "member",
    "organization",
    "employee",
    "employer",
    "associate",
];

/// Strings as a JSON array.
fn strings(vs: &[String]) -> Value {
    Value::Array(
        vs.iter()
            .map(|v| Node {
                value: Value::String(v.clone()),
                span: 0..0,
            })
            .collect(),
    )
}

/// One FtM entity as read, with where it is.
#[derive(Clone)]
struct Line {
    span: Range<usize>,
    id: String,
    schema: String,
    props: BTreeMap<String, Vec<String>>,
}

/// What a schema becomes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Role {
    Entity(&'static str),
    Contact,
    Relation(&'static str, &'static str, Option<&'static str>),
    Note,
    Unread,
}

fn role(schema: &str) -> Role {
    match schema {
        "Person" => Role::Entity("person"),
        "Organization" | "Company" | "PublicBody" => Role::Entity("organisation"),
        "LegalEntity" => Role::Entity("other"),
        "Email" | "Message" | "Event" => Role::Contact,
        "Family" => Role::Relation("person", "relative", Some("family")),
        "Membership" => Role::Relation("member", "organization", Some("member-of")),
        "Employment" => Role::Relation("employee", "employer", Some("employee-of")),
        "Associate" => Role::Relation("person", "associate", Some("associate")),
        "UnknownLink" => Role::Relation("subject", "object", None),
        "Note" => Role::Note,
        _ => Role::Unread,
    }
}

/// Properties each role reads (the rest are kept as `x-ftm-` fields).
fn read_props(schema: &str) -> &'static [&'static str] {
    match role(schema) {
        Role::Entity(_) => &["name", "alias", "description", "keywords", "website"],
        Role::Contact => &[
            "sender",
            "recipients",
            "involved",
            "organizer",
            "date",
            "startDate",
            "endDate",
            "summary",
            "bodyText",
            "keywords",
            "name",
        ],
        Role::Relation(..) => &[
            "person",
            "relative",
            "member",
            "organization",
            "employee",
            "employer",
            "associate",
            "subject",
            "object",
            "role",
            "relationship",
            "date",
            "startDate",
            "endDate",
            "description",
        ],
        Role::Note => &["name", "description", "entity", "keywords"],
        Role::Unread => &[],
    }
}

struct Reader<'a> {
    text: &'a str,
    tz: TimeZone,
    report: Report,
    /// (schema, property) kept as an extra field: count, first place.
    kept: BTreeMap<(String, String), (usize, Range<usize>)>,
    /// Schema not read: count, first place.
    unread: BTreeMap<String, (usize, Range<usize>)>,
    /// (schema, property) read as one value that had several: count, first
    /// place.
    multi: BTreeMap<(String, String), (usize, Range<usize>)>,
}

impl Reader<'_> {
    fn error(&mut self, span: &Range<usize>, message: String, label: &str, help: &str) {
        self.report
            .diagnostics
            .push(Diagnostic::error(message, Some(span.clone()), label).with_help(help));
    }

    /// The time of a line's `date`, `startDate`, `endDate`.
    fn time(&mut self, line: &Line) -> Option<TimeExpr> {
        let one = |p: &str| line.props.get(p).and_then(|v| v.first()).cloned();
        let (date, start, end) = (one("date"), one("startDate"), one("endDate"));
        let parse = |r: &mut Reader, text: &str, prop: &str| match parse_prefix(text, &r.tz) {
            Some(t) => Some(t),
            None => {
                r.error(
                    &line.span,
                    format!("{prop} {} is not a date grapevine reads", quote(text)),
                    "this entity",
                    "write an ISO date prefix: 2016, 2016-09, 2016-09-20, 2016-09-20T14:05 or 2016-09-20T14:05:30 (times in UTC)",
                );
                None
            }
        };
        if start.is_none() && end.is_none() {
            let d = date?;
            return parse(self, &d, "date");
        }
        let a = match &start {
            Some(s) => Some(parse(self, s, "startDate")?),
            None => None,
        };
        let b = match &end {
            Some(s) => Some(parse(self, s, "endDate")?),
            None => None,
        };
        let text = format!(
            "{}/{}",
            a.as_ref().map_or("..", |t| t.text.as_str()),
            b.as_ref().map_or("..", |t| t.text.as_str())
        );
        match TimeExpr::parse(&text, &self.tz) {
            Ok(t) => Some(t),
            Err(e) => {
                self.error(
                    &line.span,
                    format!("the dates {text} do not make an interval: {}", e.message),
                    "this entity",
                    &e.help,
                );
                None
            }
        }
    }

    /// The time the export kept in a note (`grapevine time: EXPR`) where
    /// FtM's dates could not hold it, and the line without that note (the
    /// note stays when it holds no time).
    fn time_note(&mut self, line: &Line) -> (Option<TimeExpr>, Line) {
        let mut line = line.clone();
        let Some(notes) = line.props.get_mut("notes") else {
            return (None, line);
        };
        let tz = &self.tz;
        let found = notes.iter().enumerate().find_map(|(i, n)| {
            let t = TimeExpr::parse(n.strip_prefix(TIME_NOTE)?, tz).ok()?;
            Some((i, t))
        });
        let Some((i, t)) = found else {
            return (None, line);
        };
        notes.remove(i);
        if notes.is_empty() {
            line.props.remove("notes");
        }
        (Some(t), line)
    }

    /// Keeps the properties the role does not read as `x-ftm-` fields.
    fn extra(&mut self, line: &Line) -> Vec<(String, Value)> {
        self.extra_except(line, read_props(&line.schema))
    }

    /// Keeps the properties not in `read` as `x-ftm-` fields, and the
    /// values after the first of a property read as one value.
    fn extra_except(&mut self, line: &Line, read: &[&str]) -> Vec<(String, Value)> {
        let mut out = Vec::new();
        for (k, vs) in &line.props {
            if read.contains(&k.as_str()) {
                let all_names = match role(&line.schema) {
                    Role::Entity(_) => true,
                    Role::Contact => line.schema != "Event",
                    _ => false,
                };
                // A relation reads each of its descriptions.
                let all_read = (k == "name" && all_names)
                    || (k == "description" && matches!(role(&line.schema), Role::Relation(..)));
                let single = SINGLE.contains(&k.as_str()) && !all_read;
                if single && vs.len() > 1 {
                    let e = self
                        .multi
                        .entry((line.schema.clone(), k.clone()))
                        .or_insert((0, line.span.clone()));
                    e.0 += 1;
                    out.push((format!("x-ftm-{k}"), strings(&vs[1..])));
                }
                continue;
            }
            let e = self
                .kept
                .entry((line.schema.clone(), k.clone()))
                .or_insert((0, line.span.clone()));
            e.0 += 1;
            out.push((format!("x-ftm-{k}"), strings(vs)));
        }
        out
    }
}

/// Reads FtM JSONL (`name` for messages); calendar dates are days in
/// `timezone` (UTC when `None`), times of day UTC, as FtM writes them.
pub fn read_ftm(name: &str, text: &str, timezone: Option<&str>) -> Result<Imported, Error> {
    super::capped(read_ftm_all(name, text, timezone))
}

/// [`read_ftm`] with every problem.
fn read_ftm_all(name: &str, text: &str, timezone: Option<&str>) -> Result<Imported, Error> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let mut r = Reader {
        text,
        tz: TimeZone::UTC,
        report: Report::new(name, text),
        kept: BTreeMap::new(),
        unread: BTreeMap::new(),
        multi: BTreeMap::new(),
    };
    if let Some(z) = timezone {
        match parse_timezone(z) {
            Ok(tz) => r.tz = tz,
            Err(e) => {
                return Err(Error::Query(QueryError::BadTimezone {
                    zone: z.to_string(),
                    problem: e.message,
                }))
            }
        }
    }
    let lines = parse_lines(&mut r);
    if r.report.error_count() > 0 {
        return Err(Error::Invalid(Box::new(r.report)));
    }
    let story = build(&mut r, &lines, timezone);
    let kept = std::mem::take(&mut r.kept);
    let more = kept.len().saturating_sub(MAX_KEPT_SHOWN);
    for ((schema, prop), (n, span)) in kept.into_iter().take(MAX_KEPT_SHOWN) {
        r.report.diagnostics.push(Diagnostic::warning(
            format!(
                "{schema}.{prop} has no grapevine field: kept as x-ftm-{prop} ({n} time{})",
                if n == 1 { "" } else { "s" }
            ),
            Some(span),
            "first here",
        ));
    }
    if more > 0 {
        r.report.diagnostics.push(Diagnostic::warning(
            format!(
                "and {} more properties with no grapevine field, kept as x-ftm- fields",
                thousands(more as u64)
            ),
            None,
            "",
        ));
    }
    for ((schema, prop), (n, span)) in std::mem::take(&mut r.multi) {
        r.report.diagnostics.push(Diagnostic::warning(
            format!(
                "{schema}.{prop} has several values ({n} time{}): grapevine reads the first and keeps the others as x-ftm-{prop}",
                if n == 1 { "" } else { "s" }
            ),
            Some(span),
            "first here",
        ));
    }
    for (schema, (n, span)) in std::mem::take(&mut r.unread) {
        r.report.diagnostics.push(Diagnostic::warning(
            format!(
                "{n} {schema} entit{} not read: grapevine has no place for the schema {schema}",
                if n == 1 { "y" } else { "ies" }
            ),
            Some(span),
            "first here",
        ));
    }
    if r.report.error_count() > 0 {
        r.report.sort();
        return Err(Error::Invalid(Box::new(r.report)));
    }
    r.report.sort();
    let mut origins = super::origin::Origins::new();
    for line in &lines {
        origins
            .entry(id_from_ftm(&line.id))
            .or_insert_with(|| line.span.clone());
    }
    super::finish(story, r.report, &origins)
}

/// Every line as an entity, with located errors.
fn parse_lines(r: &mut Reader) -> Vec<Line> {
    let mut out = Vec::new();
    let mut seen: HashMap<String, Range<usize>> = HashMap::new();
    let mut start = 0;
    let text = r.text;
    for raw in text.split_inclusive('\n') {
        // The entity's text, from its first character (so that errors give
        // its column).
        let lead = raw.len() - raw.trim_start().len();
        let span = (start + lead).min(start + raw.trim_end().len())..start + raw.trim_end().len();
        start += raw.len();
        let line = raw.trim();
        if line.is_empty() {
            continue;
        }
        let v: Json = match serde_json::from_str(line) {
            Ok(v) => v,
            Err(e) => {
                // serde_json counts columns in bytes from 1 on this line.
                let at = span.start + e.column().saturating_sub(1);
                let at = at.min(span.end.max(span.start));
                r.error(
                    &(at..(at + 1).min(text.len()).max(at)),
                    format!("JSON syntax: {e}"),
                    "here",
                    "each line of an FtM file is one JSON object: {\"id\": ..., \"schema\": ..., \"properties\": {...}}",
                );
                continue;
            }
        };
        let Json::Object(obj) = v else {
            r.error(&span, "a line is not a JSON object".into(), "this line", "each line of an FtM file is one JSON object: {\"id\": ..., \"schema\": ..., \"properties\": {...}}");
            continue;
        };
        let Some(Json::String(id)) = obj.get("id") else {
            r.error(
                &span,
                "an entity has no \"id\" string".into(),
                "this entity",
                "give every entity an id",
            );
            continue;
        };
        let Some(Json::String(schema)) = obj.get("schema") else {
            r.error(
                &span,
                format!("the entity {} has no \"schema\" string", quote(id)),
                "this entity",
                "give every entity its FtM schema (Person, Email, ...)",
            );
            continue;
        };
        let props = properties(r, obj.get("properties"), &span, id);
        if role(schema) != Role::Unread {
            let gid = id_from_ftm(id);
            if let Some(first) = seen.get(&gid) {
                let d = Diagnostic::error(
                    format!("the id {} is used twice", quote(id)),
                    Some(span.clone()),
                    "again here",
                )
                .with_related(first.clone(), "first here")
                .with_help(
                    "merge the two fragments of the entity (ftm aggregate) before importing",
                );
                r.report.diagnostics.push(d);
                continue;
            }
            seen.insert(gid, span.clone());
        }
        out.push(Line {
            span,
            id: id.clone(),
            schema: schema.clone(),
            props,
        });
    }
    out
}

/// An entity's properties, each an array of strings (else an error, and
/// the property is left out).
fn properties(
    r: &mut Reader,
    props_json: Option<&Json>,
    span: &Range<usize>,
    id: &str,
) -> BTreeMap<String, Vec<String>> {
    let mut props = BTreeMap::new();
    match props_json {
        None => {}
        Some(Json::Object(p)) if p.len() > MAX_FIELDS => r.error(
            span,
            format!(
                "the entity {} has {} properties; grapevine reads at most {}",
                quote(id),
                thousands(p.len() as u64),
                thousands(MAX_FIELDS as u64)
            ),
            "this entity",
            "an FtM entity has a few dozen properties: check how the file was made",
        ),
        Some(Json::Object(p)) => {
            for (k, v) in p {
                let values = match v {
                    Json::Array(a) => a
                        .iter()
                        .map(|x| match x {
                            Json::String(s) => Some(s.clone()),
                            _ => None,
                        })
                        .collect::<Option<Vec<String>>>(),
                    Json::String(s) => Some(vec![s.clone()]),
                    _ => None,
                };
                match values {
                    Some(vs) => {
                        props.insert(k.clone(), vs);
                    }
                    None => r.error(
                        span,
                        format!(
                            "the property {} of {} is not an array of strings",
                            quote(k),
                            quote(id)
                        ),
                        "this entity",
                        "FtM property values are arrays of strings",
                    ),
                }
            }
        }
        Some(_) => r.error(
            span,
            format!("the \"properties\" of {} are not an object", quote(id)),
            "this entity",
            "write \"properties\": {\"name\": [\"...\"]}",
        ),
    }
    props
}
