//! `check`: validate an input and summarise it.

use grapevine::Error;

use super::args::InputArgs;
use super::common::{eprint_text, print_json, print_text, read_quietly, Out};
use grapevine::render::check_report;

/// Runs `check`.
pub fn run(out: &mut Out, args: &InputArgs, json: bool) -> Result<u8, Error> {
    let input = match read_quietly(args) {
        Ok(i) => i,
        Err(Error::Invalid(report)) if json => {
            let value = serde_json::json!({
                "file": report.file, "ok": false, "errors": report.to_json(),
            });
            print_json(out, &value)?;
            return Ok(2);
        }
        Err(e) => return Err(e),
    };
    let (summary, report) = check_report(input.catalog(), input.report(), &|e| input.event_span(e));
    if json {
        let mut value = serde_json::to_value(&summary).unwrap_or_default();
        if let Some(obj) = value.as_object_mut() {
            obj.insert("ok".into(), true.into());
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
    match (&summary.first, &summary.last) {
        (Some(a), Some(b)) => s.push_str(&format!("  dates            {a} to {b}")),
        _ => s.push_str("  dates            none"),
    }
    if summary.undated_events > 0 {
        s.push_str(&format!(" ({} undated events)", summary.undated_events));
    }
    s.push('\n');
    s.push_str(&format!("  warnings   {:>4}\n", summary.warnings.len()));
    print_text(out, &s)?;
    Ok(0)
}
