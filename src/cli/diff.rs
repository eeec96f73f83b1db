//! `diff`: what a correction changes, in words for the newsroom, or as
//! JSON; exit code 1 when the answer differs.

use crate::analysis::diff::{diff, Change, ClaimDiff, DiffAnswer, FieldChange, RowDiff};
use crate::render::readable as readable_time;
use crate::{Catalog, Certainty};

use super::args::{DiffArgs, InputArgs, SourceArgs};
use super::errors::CliError;
use super::input::{corroborate, read_input};
use super::output::{print_json, print_text, Out};
use super::query::build_query;

/// Runs `diff`: 0 when the answer (with no question: the claims) is the
/// same, 1 when it differs.
pub fn run(out: &mut Out, args: &DiffArgs) -> Result<u8, CliError> {
    let input = |file: &std::path::PathBuf| InputArgs {
        file: file.clone(),
        quiet: true,
        skip_bad_rows: false,
    };
    let old = corroborate(read_input(&input(&args.old))?, &args.options)?;
    let new = corroborate(read_input(&input(&args.new))?, &args.options)?;
    let (a, b) = (old.catalog(), new.catalog());
    let source = SourceArgs {
        from: args.from.clone(),
        message: args.message.clone(),
        since: args.since.clone(),
    };
    let asked = source.message.is_some() || source.from.is_some();
    let query = asked.then(|| build_query(&source, args.mode, &args.options, true));
    let answer = diff(
        &a.excerpt(None, None),
        &b.excerpt(None, None),
        query.as_ref(),
    )?;
    let code = if answer.same { 0 } else { 1 };
    if args.options.json {
        print_json(out, &answer)?;
    } else {
        print_text(out, &words(b, &answer, asked))?;
    }
    Ok(code)
}

/// The answer in words.
fn words(catalog: &dyn Catalog, a: &DiffAnswer, asked: bool) -> String {
    let mut s = String::new();
    if a.claims.is_empty() {
        s.push_str("No claim differs.\n");
    } else {
        s.push_str(&format!("Claims that differ ({}):\n", a.claims.len()));
        for c in &a.claims {
            s.push_str(&claim_line(c));
        }
    }
    if !asked {
        return s;
    }
    s.push('\n');
    if a.rows.is_empty() {
        s.push_str("Who is reached, by when and on what evidence: unchanged.\n");
    } else {
        s.push_str("What it does to the answer:\n");
        for r in &a.rows {
            s.push_str(&row_line(catalog, r));
        }
    }
    for (label, ids) in [
        ("Now critical (alone cuts someone off)", &a.now_critical),
        ("No longer critical", &a.no_longer_critical),
    ] {
        if !ids.is_empty() {
            s.push_str(&format!("{label}: {}\n", ids.join(", ")));
        }
    }
    s.push_str(if a.same {
        "The answer is the same.\n"
    } else {
        "The answer differs.\n"
    });
    s
}

fn claim_line(c: &ClaimDiff) -> String {
    let what = format!("{} {}", c.what, c.id);
    match c.change {
        Change::Added => format!("  {what}: added\n"),
        Change::Removed => format!("  {what}: removed\n"),
        Change::Changed => format!(
            "  {what}: {}\n",
            c.fields
                .iter()
                .map(|f| field_words(f, |v| v.to_string()))
                .collect::<Vec<_>>()
                .join("; ")
        ),
    }
}

fn field_words(f: &FieldChange, show: impl Fn(&str) -> String) -> String {
    let v = |x: &Option<String>| x.as_deref().map_or("(none)".to_string(), &show);
    if f.old.is_none() && f.new.is_none() {
        return f.field.clone();
    }
    format!("{} {} → {}", f.field, v(&f.old), v(&f.new))
}

/// "after the correction, Hope Hicks is reached only on an alleged claim".
fn row_line(catalog: &dyn Catalog, r: &RowDiff) -> String {
    let name = crate::render::clean(&r.name);
    match r.change {
        Change::Added => format!("  {name}: newly reached\n"),
        Change::Removed => format!("  {name}: no longer reached\n"),
        Change::Changed => {
            let time = |v: &str| readable_time(catalog, v);
            let mut parts: Vec<String> = r
                .fields
                .iter()
                .map(|f| match f.field.as_str() {
                    "earliest" | "definite_by" => field_words(f, time),
                    _ => field_words(f, |v| v.to_string()),
                })
                .collect();
            if let Some(e) = r.fields.iter().find(|f| f.field == "evidence") {
                let weaker = e.old.as_deref().and_then(|o| o.parse::<Certainty>().ok())
                    > e.new.as_deref().and_then(|n| n.parse::<Certainty>().ok());
                if weaker {
                    let level = e.new.as_deref().unwrap_or("");
                    let article = if level == "alleged" || level == "unknown" {
                        "an"
                    } else {
                        "a"
                    };
                    parts.insert(0, format!("now reached only on {article} {level} claim"));
                }
            }
            format!("  {name}: {}\n", parts.join("; "))
        }
    }
}
