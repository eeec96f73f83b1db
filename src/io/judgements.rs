//! The judgements file of `merge`: `{"format": "grapevine-judgements/1",
//! "judgements": [{"a": ..., "b": ..., "judgement": "same", "by": ...,
//! "why": ..., "at": ...}]}`, read with every problem located, and
//! written (what `merge --propose` writes).

use std::ops::Range;

use super::json::{parse, Member, Node, Value};
use crate::diagnostic::{quote, write_string, Diagnostic, Report};
use crate::model::judgement::{Judgement, Verdict, JUDGEMENTS_FORMAT};
use crate::model::Story;

const SHAPE: &str = "a judgements file is {\"format\": \"grapevine-judgements/1\", \"judgements\": [{\"a\": \"id-in-first\", \"b\": \"id-in-second\", \"judgement\": \"same\", \"by\": \"...\", \"why\": \"...\", \"at\": \"2026-12-07\"}]}";

/// Reads a judgements file about the stories `a` (first) and `b`
/// (second): every id must name an entity of its story, and a pair may be
/// judged once. Errors are located in `text`.
pub fn read_judgements(
    file: &str,
    text: &str,
    a: &Story,
    b: &Story,
) -> Result<Vec<Judgement>, Report> {
    let mut report = Report::new(file, text);
    let out = match parse(text) {
        Err(e) => {
            let at = e.offset..e.offset;
            report
                .diagnostics
                .push(Diagnostic::error(e.message, Some(at), e.label).with_help(e.help));
            Vec::new()
        }
        Ok(node) => top(&node, a, b, &mut report),
    };
    if report.error_count() > 0 {
        Err(report)
    } else {
        Ok(out)
    }
}

fn error(report: &mut Report, span: &Range<usize>, message: String, help: &str) {
    report
        .diagnostics
        .push(Diagnostic::error(message, Some(span.clone()), "here").with_help(help));
}

fn top(node: &Node, a: &Story, b: &Story, report: &mut Report) -> Vec<Judgement> {
    let Value::Object(members) = &node.value else {
        error(
            report,
            &node.span,
            format!("the file holds {}, not an object", node.value.type_name()),
            SHAPE,
        );
        return Vec::new();
    };
    let mut list = None;
    let mut format = false;
    for m in members {
        match m.key.as_str() {
            "format" => {
                format = true;
                if m.node.value != Value::String(JUDGEMENTS_FORMAT.into()) {
                    error(
                        report,
                        &m.node.span,
                        format!("the format is not {}", quote(JUDGEMENTS_FORMAT)),
                        SHAPE,
                    );
                }
            }
            "judgements" => list = Some(&m.node),
            k if k.starts_with("x-") => {}
            k => error(
                report,
                &m.key_span,
                format!("unknown field {}", quote(k)),
                SHAPE,
            ),
        }
    }
    if !format {
        error(report, &(0..0), "the file has no \"format\"".into(), SHAPE);
    }
    let Some(list) = list else {
        error(
            report,
            &(0..0),
            "the file has no \"judgements\" list".into(),
            SHAPE,
        );
        return Vec::new();
    };
    let Value::Array(items) = &list.value else {
        error(
            report,
            &list.span,
            format!("\"judgements\" is {}, not an array", list.value.type_name()),
            SHAPE,
        );
        return Vec::new();
    };
    let mut out: Vec<Judgement> = Vec::new();
    let mut seen: Vec<(String, String, Range<usize>)> = Vec::new();
    for item in items {
        if let Some(j) = judgement(item, a, b, report) {
            if let Some(first) = seen.iter().find(|s| s.0 == j.a && s.1 == j.b) {
                report.diagnostics.push(
                    Diagnostic::error(
                        format!("the pair {} / {} is judged twice", quote(&j.a), quote(&j.b)),
                        Some(item.span.clone()),
                        "judged again here",
                    )
                    .with_related(first.2.clone(), "first judged here")
                    .with_help("keep one judgement a pair"),
                );
                continue;
            }
            seen.push((j.a.clone(), j.b.clone(), item.span.clone()));
            out.push(j);
        }
    }
    out
}

fn string<'n>(m: &'n Member, report: &mut Report) -> Option<&'n str> {
    match &m.node.value {
        Value::String(s) => Some(s),
        v => {
            error(
                report,
                &m.node.span,
                format!("{} is {}, not a string", quote(&m.key), v.type_name()),
                SHAPE,
            );
            None
        }
    }
}

fn judgement(item: &Node, a: &Story, b: &Story, report: &mut Report) -> Option<Judgement> {
    let Value::Object(members) = &item.value else {
        error(
            report,
            &item.span,
            format!("a judgement is {}, not an object", item.value.type_name()),
            SHAPE,
        );
        return None;
    };
    let errors = report.error_count();
    let (mut ja, mut jb, mut verdict) = (None, None, None);
    let (mut by, mut why, mut at) = (None, None, None);
    for m in members {
        match m.key.as_str() {
            "a" => ja = string(m, report).map(|s| (s.to_string(), m.node.span.clone())),
            "b" => jb = string(m, report).map(|s| (s.to_string(), m.node.span.clone())),
            "judgement" => verdict = string(m, report).and_then(|s| parse_verdict(s, m, report)),
            "by" => by = string(m, report).map(str::to_string),
            "why" => why = string(m, report).map(str::to_string),
            "at" => at = string(m, report).map(str::to_string),
            k if k.starts_with("x-") => {}
            k => error(
                report,
                &m.key_span,
                format!("unknown field {} in a judgement", quote(k)),
                SHAPE,
            ),
        }
    }
    for (field, got, story, which) in [("a", &ja, a, "first"), ("b", &jb, b, "second")] {
        match got {
            None => error(
                report,
                &item.span,
                format!("a judgement has no {}", quote(field)),
                SHAPE,
            ),
            Some((id, span)) if !story.entities.iter().any(|e| &e.id == id) => error(
                report,
                span,
                format!("{} is not an entity of the {which} story", quote(id)),
                "\"a\" is an entity id of the first file given to merge, \"b\" one of the second",
            ),
            Some(_) => {}
        }
    }
    if verdict.is_none() && members.iter().all(|m| m.key != "judgement") {
        error(
            report,
            &item.span,
            "a judgement has no \"judgement\"".into(),
            SHAPE,
        );
    }
    if report.error_count() > errors {
        return None;
    }
    Some(Judgement {
        a: ja?.0,
        b: jb?.0,
        judgement: verdict?,
        by,
        why,
        at,
    })
}

fn parse_verdict(s: &str, m: &Member, report: &mut Report) -> Option<Verdict> {
    match s {
        "same" => Some(Verdict::Same),
        "different" => Some(Verdict::Different),
        "unsure" => Some(Verdict::Unsure),
        _ => {
            error(
                report,
                &m.node.span,
                format!(
                    "the judgement {} is not same, different or unsure",
                    quote(s)
                ),
                SHAPE,
            );
            None
        }
    }
}

/// The judgements as a file, one judgement a line-group, fields in the
/// order `a`, `b`, `judgement`, `by`, `why`, `at`.
pub fn judgements_to_json(list: &[Judgement]) -> String {
    let mut s = String::from("{\n  \"format\": \"grapevine-judgements/1\",\n  \"judgements\": [");
    for (i, j) in list.iter().enumerate() {
        s.push_str(if i == 0 { "\n" } else { ",\n" });
        s.push_str("    {");
        let fields = [
            ("a", Some(j.a.as_str())),
            ("b", Some(j.b.as_str())),
            ("judgement", Some(j.judgement.as_str())),
            ("by", j.by.as_deref()),
            ("why", j.why.as_deref()),
            ("at", j.at.as_deref()),
        ];
        let mut first = true;
        for (k, v) in fields {
            let Some(v) = v else { continue };
            s.push_str(if first { "\n      \"" } else { ",\n      \"" });
            first = false;
            s.push_str(k);
            s.push_str("\": ");
            write_string(&mut s, v);
        }
        s.push_str("\n    }");
    }
    if !list.is_empty() {
        s.push_str("\n  ");
    }
    s.push_str("]\n}\n");
    s
}
