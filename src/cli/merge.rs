//! `merge`: two story files made one, with the report of what was joined,
//! proposed, kept apart, kept as two claims and renamed; exit code 1 when
//! a conflict was kept as two claims.

use std::path::{Path, PathBuf};

use crate::analysis::merge::{merge, Judgement, MergeReport, Verdict};
use crate::io::judgements::{judgements_to_json, read_judgements};
use crate::render::clean;
use crate::{Error, Story};

use super::args::{InputArgs, MergeArgs};
use super::errors::CliError;
use super::input::read_input;
use super::output::{eprint_text, print_json, print_text, same_file, write_output, Out};

/// Runs `merge`: 0 when merged without conflicts, 1 when a claim told
/// differently was kept as two.
pub fn run(out: &mut Out, args: &MergeArgs) -> Result<u8, CliError> {
    refuse_inputs(args)?;
    let story = |file: &PathBuf| -> Result<Story, CliError> {
        let input = read_input(&InputArgs {
            file: file.clone(),
            quiet: true,
            skip_bad_rows: false,
        })?;
        Ok(input.to_story()?)
    };
    let (a, b) = (story(&args.a)?, story(&args.b)?);
    let judgements = match &args.judgements {
        None => Vec::new(),
        Some(path) => judgements_of(path, &a, &b)?,
    };
    let merged = merge(&a, &b, &judgements, args.accept_proposals);
    write_output(
        &args.output,
        &args.a,
        crate::to_json(&merged.story).as_bytes(),
    )?;
    if let Some(path) = &args.propose {
        let list = proposals(&judgements, &merged.report);
        write_output(path, &args.a, judgements_to_json(&list).as_bytes())?;
        eprint_text(&format!(
            "{} judgements and proposals written to {}\n",
            list.len(),
            path.display()
        ));
    }
    if args.json {
        print_json(out, &merged.report)?;
    } else {
        let names = Names(&args.a, &args.b, &args.output);
        print_text(out, &words(&names, &merged.report))?;
    }
    Ok(u8::from(!merged.report.conflicts.is_empty()))
}

/// The output files may be none of the inputs.
fn refuse_inputs(args: &MergeArgs) -> Result<(), CliError> {
    let inputs = [Some(&args.a), Some(&args.b), args.judgements.as_ref()];
    for out in std::iter::once(&args.output).chain(args.propose.as_ref()) {
        for input in inputs.iter().flatten() {
            if same_file(out, input) {
                return Err(CliError::Usage(format!(
                    "the output {} is the input {}: choose another file name (nothing was written)",
                    out.display(),
                    input.display()
                )));
            }
        }
    }
    if args
        .propose
        .as_ref()
        .is_some_and(|p| same_file(p, &args.output))
    {
        return Err(CliError::Usage(
            "--propose and -o name the same file: choose two (nothing was written)".into(),
        ));
    }
    Ok(())
}

fn judgements_of(path: &Path, a: &Story, b: &Story) -> Result<Vec<Judgement>, CliError> {
    let name = path.display().to_string();
    let io = |source| Error::Io {
        path: name.clone(),
        source,
    };
    let bytes = std::fs::read(path).map_err(io)?;
    let text = String::from_utf8(bytes).map_err(|e| {
        CliError::Usage(format!(
            "{name} is not UTF-8 text (byte {} is not): save it as UTF-8",
            e.utf8_error().valid_up_to()
        ))
    })?;
    read_judgements(&name, &text, a, b).map_err(|r| CliError::Lib(Error::Invalid(Box::new(r))))
}

/// The given judgements, then every proposal not judged, as `unsure`.
fn proposals(given: &[Judgement], report: &MergeReport) -> Vec<Judgement> {
    let mut list = given.to_vec();
    for p in &report.proposed {
        if list.iter().any(|j| j.a == p.a && j.b == p.b) {
            continue;
        }
        list.push(Judgement {
            a: p.a.clone(),
            b: p.b.clone(),
            judgement: Verdict::Unsure,
            by: Some("grapevine merge (proposal)".into()),
            why: Some(format!(
                "{} / {}: {} (score {})",
                p.a_name,
                p.b_name,
                p.reasons.join(", "),
                p.score
            )),
            at: None,
        });
    }
    list
}

/// The three file names the report says.
struct Names<'p>(&'p Path, &'p Path, &'p Path);

/// The report in words.
fn words(files: &Names<'_>, r: &MergeReport) -> String {
    let (a, b) = (files.0.display(), files.1.display());
    let mut s = format!(
        "{a} and {b} merged into {}: entities joined {}, claims both make {} (citations added {}).\n",
        files.2.display(),
        r.joined.len(),
        r.shared,
        r.citations_added
    );
    let added: Vec<String> = r
        .added
        .iter()
        .map(|(k, n)| match *k {
            "entity" => format!("entities {n}"),
            k => format!("{k}s {n}"),
        })
        .collect();
    s.push_str(&format!(
        "{b} added: {}.\n",
        if added.is_empty() {
            "nothing".to_string()
        } else {
            added.join(", ")
        }
    ));
    section(
        &mut s,
        "Joined",
        r.joined.iter().map(|j| {
            let how = match j.how {
                crate::analysis::merge::JoinReason::Judged => "judged same",
                crate::analysis::merge::JoinReason::IdAndName => "same id and name",
                crate::analysis::merge::JoinReason::Proposal => "proposal accepted",
            };
            let notes = if j.notes.is_empty() {
                String::new()
            } else {
                format!("; {}", clean(&j.notes.join("; ")))
            };
            format!("{} = {} ({}): {how}{notes}", j.a, j.b, clean(&j.name))
        }),
    );
    section(
        &mut s,
        "Kept apart (judged different)",
        r.apart.iter().map(|p| format!("{} ≠ {}", p.a, p.b)),
    );
    let open = r.proposed.iter().filter(|p| !p.applied);
    section(
        &mut s,
        "Proposed, not joined (--accept-proposals joins them; --propose FILE writes them to judge)",
        open.map(|p| {
            format!(
                "{} ~ {} ({} / {}): {} {}",
                p.a,
                p.b,
                clean(&p.a_name),
                clean(&p.b_name),
                p.score,
                p.reasons.join(", ")
            )
        }),
    );
    section(
        &mut s,
        "Conflicts, kept as two claims",
        r.conflicts.iter().map(|c| {
            let fields: Vec<String> = c
                .fields
                .iter()
                .map(|f| {
                    let v = |x: &Option<String>| x.as_deref().map_or("(none)".to_string(), clean);
                    format!("{} {} / {}", f.field, v(&f.a), v(&f.b))
                })
                .collect();
            format!("{} {} / {}: {}", c.what, c.a, c.b, fields.join("; "))
        }),
    );
    section(
        &mut s,
        "Renamed (the first file uses the id)",
        r.renamed
            .iter()
            .map(|n| format!("{} {} → {}", n.what, n.from, n.to)),
    );
    section(
        &mut s,
        "Notes (the first file's value kept)",
        r.notes.iter().map(|n| clean(n)),
    );
    s
}

fn section(s: &mut String, title: &str, lines: impl Iterator<Item = String>) {
    let lines: Vec<String> = lines.collect();
    if lines.is_empty() {
        return;
    }
    s.push_str(&format!("{title} ({}):\n", lines.len()));
    for l in lines {
        s.push_str("  ");
        s.push_str(&l);
        s.push('\n');
    }
}
