//! Errors of an imported story located in the file the user gave: each
//! item of the converted story is traced to the place in the input it was
//! made from (by its id), and a problem the story reader finds in the
//! converted text is reported there.

use std::collections::HashMap;
use std::ops::Range;

use super::json::{Node, Value};
use crate::diagnostic::{Diagnostic, Report};

/// Where each item of an imported story was made from: its id → the span
/// in the input file (the first item with that id).
pub(crate) type Origins = HashMap<String, Range<usize>>;

/// The items of a converted story: each top-level array element's span and
/// id, in text order.
fn items(text: &str) -> Vec<(Range<usize>, Option<String>)> {
    let Ok(root) = super::json::parse(text) else {
        return Vec::new();
    };
    let Value::Object(members) = root.value else {
        return Vec::new();
    };
    let mut out = Vec::new();
    for m in members {
        let Value::Array(list) = m.node.value else {
            continue;
        };
        for Node { value, span } in list {
            let id = match &value {
                Value::Object(fields) => fields.iter().find_map(|f| match &f.node.value {
                    Value::String(s) if f.key == "id" => Some(s.clone()),
                    _ => None,
                }),
                _ => None,
            };
            out.push((span, id));
        }
    }
    out
}

/// `converted`'s problems (found in the text of the converted story)
/// located in the input (`file`, `text`) through `origins`; a problem whose
/// item cannot be traced keeps no place and names its item in its message.
pub(crate) fn relocate(converted: &Report, origins: &Origins, file: &str, text: &str) -> Report {
    let items = items(&converted.text);
    let origin = |at: &Range<usize>| -> Option<Range<usize>> {
        let i = items.partition_point(|(span, _)| span.start <= at.start);
        let (span, id) = items.get(i.checked_sub(1)?)?;
        if at.end > span.end {
            return None;
        }
        origins.get(id.as_ref()?).cloned()
    };
    let mut report = Report::new(file, text);
    for d in &converted.diagnostics {
        let span = d.span.as_ref().and_then(origin);
        let mut out = Diagnostic {
            span: span.clone(),
            related: Vec::new(),
            ..d.clone()
        };
        if span.is_some() {
            out.label = format!("{} (in the story made of this)", d.label);
        } else if d.span.is_some() {
            out.message = format!("{} (in the story made of {file})", d.message);
        }
        for (r, label) in &d.related {
            if let Some(s) = origin(r) {
                out.related
                    .push((s, format!("{label} (in the story made of this)")));
            }
        }
        report.diagnostics.push(out);
    }
    report
}
