//! `check`: validate an input and summarise it.

use crate::analysis::summary::{Place, Structure};
use crate::catalog::EntityId;
use crate::diagnostic::visible;
use crate::render::name_of;
use crate::{Catalog, Error};

use super::args::InputArgs;
use super::errors::CliError;
use super::input::read_quietly;
use super::output::{eprint_text, print_json, print_text, Out};
use crate::render::check_report_located;

/// Runs `check`.
pub fn run(out: &mut Out, args: &InputArgs, json: bool) -> Result<u8, CliError> {
    // A CSV file is checked as the story `import` makes of it, so that
    // what `import` would refuse (an id used twice) is found here too.
    let read = read_quietly(args).and_then(|input| {
        if input.is_corpus() {
            input.to_story()?;
        }
        Ok(input)
    });
    let input = match read {
        Ok(i) => i,
        Err(Error::Invalid(report)) if json => {
            let value = serde_json::json!({
                "file": report.file, "ok": false, "errors": report.to_json(),
            });
            print_json(out, &value)?;
            return Ok(2);
        }
        Err(e) => return Err(e.into()),
    };
    // A story file's entities are placed by reading its text again (a CSV
    // corpus places nothing: its entities have no line of their own).
    let entity_spans: std::collections::HashMap<String, std::ops::Range<usize>> =
        if input.is_corpus() {
            Default::default()
        } else {
            let report = input.report();
            crate::load_str(&report.file, &report.text)
                .map(|l| {
                    l.story
                        .entities
                        .iter()
                        .map(|e| e.id.clone())
                        .zip(l.entity_spans)
                        .collect()
                })
                .unwrap_or_default()
        };
    let catalog = input.catalog();
    let (summary, report) =
        check_report_located(catalog, input.report(), &|e| input.event_span(e), &|u| {
            entity_spans.get(catalog.entity_id(EntityId(u))).cloned()
        });
    let grades = match &input {
        crate::Input::Story { catalog, .. } => crate::analysis::grades::grades(catalog.story()),
        crate::Input::Corpus(_) => Default::default(),
    };
    if json {
        let mut value = serde_json::to_value(&summary).unwrap_or_default();
        if let Some(obj) = value.as_object_mut() {
            obj.insert("ok".into(), true.into());
            if grades.any() {
                obj.insert(
                    "grades".into(),
                    serde_json::to_value(&grades).unwrap_or_default(),
                );
            }
        }
        print_json(out, &value)?;
        return Ok(0);
    }
    if input.skipped() > 0 {
        eprint_text(&format!(
            "{}: skipped {} bad row{}\n",
            args.file.display(),
            input.skipped(),
            if input.skipped() == 1 { "" } else { "s" }
        ));
    }
    if report.warning_count() > 0 {
        eprint_text(&report.render());
    }
    let line_of = |id: &str| {
        let crate::Input::Story { catalog, .. } = &input else {
            return None;
        };
        let i = catalog.story().events.iter().position(|e| e.id == id)?;
        let span = input.event_span(u32::try_from(i).ok()?)?;
        let text = &input.report().text;
        let line = text.get(..span.start)?.matches('\n').count() + 1;
        Some(format!("line {line}"))
    };
    let graded = grades_text(&grades, &line_of);
    let s = summary_text(&summary, catalog, &graded);
    print_text(out, &s)?;
    Ok(0)
}

/// The summary as `check` prints it, with the grades' lines (`graded`)
/// after the sources.
fn summary_text(
    summary: &crate::analysis::summary::Summary,
    catalog: &dyn Catalog,
    graded: &str,
) -> String {
    let counts = |m: &std::collections::BTreeMap<String, usize>| {
        m.iter()
            .map(|(k, v)| format!("{v} {k}"))
            .collect::<Vec<_>>()
            .join(", ")
    };
    let mut s = String::new();
    s.push_str(&format!("{}: ok, no errors\n", summary.file));
    if let Some(t) = &summary.title {
        s.push_str(&format!("  {}\n", t));
    }
    s.push_str(&format!(
        "  entities   {:>4}  {}\n",
        summary.entity_count,
        counts(&summary.entities)
    ));
    s.push_str(&format!(
        "  events     {:>4}  {}\n",
        summary.event_count,
        counts(&summary.events_by_kind)
    ));
    s.push_str(&format!(
        "             {:>4}  {}\n",
        "",
        counts(&summary.events_by_certainty)
    ));
    s.push_str(&format!("  messages   {:>4}\n", summary.messages));
    s.push_str(&format!("  relations  {:>4}\n", summary.relations));
    s.push_str(&format!("  sources    {:>4}\n", summary.sources));
    s.push_str(graded);
    match (&summary.first, &summary.last) {
        (Some(a), Some(b)) => s.push_str(&format!("  dates            {a} to {b}")),
        _ => s.push_str("  dates            none"),
    }
    if summary.undated_events > 0 {
        s.push_str(&format!(" ({} undated events)", summary.undated_events));
    }
    s.push('\n');
    if let Some(st) = &summary.structure {
        s.push_str(&structure_text(catalog, st));
    }
    s.push_str(&format!("  warnings   {:>4}\n", summary.warnings.len()));
    s
}

/// The grades the file writes, and the claims written surer than their
/// grades support; nothing when the file writes no grade.
fn grades_text(
    g: &crate::analysis::grades::Grades,
    line_of: &dyn Fn(&str) -> Option<String>,
) -> String {
    if !g.any() {
        return String::new();
    }
    let list = |m: &std::collections::BTreeMap<String, usize>| {
        m.iter()
            .map(|(k, v)| format!("{v} {k}"))
            .collect::<Vec<_>>()
            .join(", ")
    };
    let mut parts = Vec::new();
    if !g.sources.is_empty() {
        parts.push(format!("sources {}", list(&g.sources)));
    }
    if !g.citations.is_empty() {
        parts.push(format!("citations {}", list(&g.citations)));
    }
    let mut s = format!(
        "  grades     {:>4}  {}\n",
        g.stronger.len(),
        parts.join("; ")
    );
    for x in &g.stronger {
        let at = if x.claim == "event" {
            line_of(&x.id)
                .map(|l| format!(" ({l})"))
                .unwrap_or_default()
        } else {
            String::new()
        };
        s.push_str(&visible(&format!(
            "                   stronger than its grades: {} {} is {}, its best grade {} supports {}{at}",
            x.claim,
            x.id,
            x.certainty.as_str(),
            x.best,
            x.supports.as_str()
        )));
        s.push('\n');
    }
    s
}

/// Where something is, for a table: ` (line 12)`, or nothing.
fn at(place: &Place) -> String {
    match place.line {
        Some(l) => format!(" (line {l})"),
        None => String::new(),
    }
}

/// The structure lines of `check`: the connected components, the isolated
/// entities and the contradictions, each placed in the file.
fn structure_text(catalog: &dyn Catalog, st: &Structure) -> String {
    let name = |id: &String| name_of(catalog, id);
    let mut s = String::new();
    let words = match st.components.split_first() {
        None => "no two entities share a contact".to_string(),
        Some((first, [])) => format!("all {first} linked by contacts"),
        Some((first, rest)) => {
            let k = rest.len();
            let others = if rest.iter().all(|&n| n == rest[0]) {
                format!("{k} other{} of {}", if k == 1 { "" } else { "s" }, rest[0])
            } else {
                let shown: Vec<String> = rest.iter().take(6).map(|n| n.to_string()).collect();
                format!(
                    "{k} others of {}{}",
                    shown.join(", "),
                    if k > 6 { ", ..." } else { "" }
                )
            };
            format!("the largest of {first} entities, and {others}")
        }
    };
    s.push_str(&format!(
        "  networks   {:>4}  {words}\n",
        st.components.len()
    ));
    for group in st.separate.iter().take(10) {
        let shown: Vec<String> = group.iter().take(8).map(name).collect();
        let more = group.len() - shown.len();
        s.push_str(&format!(
            "                   apart: {}{}\n",
            shown.join(" — "),
            if more > 0 {
                format!(" and {more} more")
            } else {
                String::new()
            }
        ));
    }
    if st.separate.len() > 10 {
        s.push_str(&format!(
            "                   and {} more apart (--json lists them all)\n",
            st.separate.len() - 10
        ));
    }
    s.push_str(&format!("  isolated   {:>4}", st.isolated.len()));
    if !st.isolated.is_empty() {
        let names: Vec<String> = st
            .isolated
            .iter()
            .take(20)
            .map(|e| format!("{}{}", e.name, at(&e.place)))
            .collect();
        s.push_str(&format!("  in no contact: {}", names.join(", ")));
        if st.isolated.len() > 20 {
            s.push_str(&format!(" and {} more", st.isolated.len() - 20));
        }
    }
    s.push('\n');
    s.push_str(&format!("  conflicts  {:>4}", st.contradictions.len()));
    if st.contradictions.is_empty() {
        s.push_str("  no contact carries a message before its sender could have had it\n");
    }
    for (i, c) in st.contradictions.iter().take(20).enumerate() {
        let senders: Vec<String> = c.senders.iter().map(name).collect();
        s.push_str(&format!(
            "{}event \"{}\"{} carries \"{}\" before {} could have had it\n",
            if i == 0 { "  " } else { "                   " },
            c.event,
            at(&c.place),
            c.message,
            senders.join(" or ")
        ));
    }
    if st.contradictions.len() > 20 {
        s.push_str(&format!(
            "                   and {} more (--json lists them all)\n",
            st.contradictions.len() - 20
        ));
    }
    s
}
