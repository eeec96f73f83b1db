//! Reading the input: a story or a CSV corpus, with a progress bar and its
//! warnings on stderr.

use std::path::Path;

use crate::io::csv::CsvOptions;
use crate::io::Input;
use crate::Error;

use super::args::InputArgs;
use super::errors::CliError;
use super::output::eprint_text;

/// [`read_input`] for a reachability question: with `--graded`, each claim
/// at the weaker of its certainty and its grades
/// ([`crate::analysis::grades::graded`]); with `--corroborated N`, only the
/// contacts and holdings that N independent publishers cite
/// ([`crate::analysis::corroboration`]); a CSV corpus has neither grades
/// nor citations, and is refused.
pub fn read_query_input(
    args: &InputArgs,
    options: &super::args::QueryOptions,
) -> Result<Input, CliError> {
    corroborate(grade(read_input(args)?, options)?, options)
}

/// `input` with `--graded` applied (see [`read_query_input`]).
fn grade(input: Input, options: &super::args::QueryOptions) -> Result<Input, CliError> {
    if !options.graded {
        return Ok(input);
    }
    match input {
        Input::Corpus(_) => Err(CliError::Usage(
            "--graded: a CSV contact list has no graded sources; grades need a story file (docs/format.md, \"Grades\")".to_string(),
        )),
        Input::Story {
            catalog,
            report,
            event_spans,
        } => {
            let graded = crate::analysis::grades::graded(catalog.story());
            Ok(Input::Story {
                catalog: Box::new(crate::StoryCatalog::owned(graded)),
                report,
                event_spans,
            })
        }
    }
}

/// `input` with only what `--corroborated N` keeps (see [`read_query_input`]).
pub fn corroborate(input: Input, options: &super::args::QueryOptions) -> Result<Input, CliError> {
    let Some(n) = options.corroborated.map(|n| n as usize) else {
        return Ok(input);
    };
    match input {
        Input::Corpus(_) => Err(CliError::Usage(format!(
            "--corroborated {n}: a CSV contact list cites no sources; corroboration needs a story file whose claims cite sources"
        ))),
        Input::Story {
            catalog,
            report,
            event_spans,
        } => {
            let story = catalog.story();
            let kept = crate::analysis::corroboration::corroborated(story, n);
            let ids: std::collections::BTreeSet<&str> =
                kept.events.iter().map(|e| e.id.as_str()).collect();
            let event_spans = story
                .events
                .iter()
                .zip(event_spans)
                .filter(|(e, _)| ids.contains(e.id.as_str()))
                .map(|(_, span)| span)
                .collect();
            Ok(Input::Story {
                catalog: Box::new(crate::StoryCatalog::owned(kept)),
                report,
                event_spans,
            })
        }
    }
}

/// CSV files smaller than this are loaded before a name is looked up (it
/// takes a moment, and the error then suggests the nearest names).
const NAMES_FIRST_FROM: u64 = 16 << 20;

/// Refuses, before a large CSV file is loaded, a name that no field of it
/// can hold (`crate::io::csv::certainly_absent`): the error a lookup
/// after the load would give, without its suggestions and minutes sooner.
/// Any other input, and a name that might be there, go on as always.
pub fn names_first<'a>(
    args: &InputArgs,
    names: impl IntoIterator<Item = &'a str>,
) -> Result<(), CliError> {
    let file = args.file.as_path();
    if crate::io::is_stdin(file) || !crate::io::is_csv(file) {
        return Ok(());
    }
    if std::fs::metadata(file).map_or(true, |m| m.len() < NAMES_FIRST_FROM) {
        return Ok(());
    }
    for name in names {
        let folded = crate::catalog::fold(name);
        // An unreadable file is reported by the load, with its words.
        if crate::io::csv::certainly_absent(file, &folded).unwrap_or(false) {
            return Err(CliError::Usage(format!(
                "no entity is called \"{}\": no row of {} holds that name (in any case); nothing was loaded",
                crate::diagnostic::visible(name),
                crate::diagnostic::visible(&file.display().to_string()),
            )));
        }
    }
    Ok(())
}

/// Reads a story or a CSV corpus (`-`: standard input) as [`read_quietly`]
/// does, then prints its warnings and how many bad rows were skipped.
pub fn read_input(args: &InputArgs) -> Result<Input, CliError> {
    let input = read_quietly(args)?;
    print_notes(&args.file, &input);
    Ok(input)
}

/// Reads a story or a CSV corpus (`-`: standard input) with a progress bar
/// on stderr when the load takes more than a second (never when stderr is
/// not a terminal, or with `--quiet`); prints nothing else.
pub fn read_quietly(args: &InputArgs) -> Result<Input, Error> {
    use std::io::IsTerminal;
    let file = args.file.as_path();
    let show = !args.quiet && std::io::stderr().is_terminal();
    let start = std::time::Instant::now();
    let bar: std::sync::OnceLock<indicatif::ProgressBar> = std::sync::OnceLock::new();
    let progress = |done: u64, total: Option<u64>| {
        if !show || start.elapsed() < std::time::Duration::from_secs(1) {
            return;
        }
        let bar = bar.get_or_init(|| {
            let bar = indicatif::ProgressBar::with_draw_target(
                total,
                indicatif::ProgressDrawTarget::hidden(),
            );
            let style = indicatif::ProgressStyle::with_template(
                "{msg} {wide_bar} {bytes}/{total_bytes} ({eta})",
            )
            .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar());
            bar.set_style(style);
            bar.set_message(format!(
                "reading {}",
                crate::diagnostic::visible(&file.display().to_string())
            ));
            bar.set_position(done);
            bar.set_draw_target(indicatif::ProgressDrawTarget::stderr());
            bar
        });
        bar.set_position(done);
    };
    let options = CsvOptions {
        skip_bad_rows: args.skip_bad_rows,
        progress: Some(&progress),
        ..CsvOptions::default()
    };
    let input = crate::io::read(file, &options);
    if let Some(bar) = bar.get() {
        bar.finish_and_clear();
    }
    input
}

/// Says in one line that the input has warnings or skipped rows, and which
/// command lists them (`check` is the command that shows warnings).
fn print_notes(file: &Path, input: &Input) {
    let warnings = input.report().warning_count();
    let skipped = input.skipped();
    if warnings == 0 && skipped == 0 {
        return;
    }
    let shown = crate::diagnostic::visible(&file.display().to_string());
    let plural = |n: usize| if n == 1 { "" } else { "s" };
    let line = if skipped > 0 {
        format!(
            "{shown}: skipped {skipped} bad row{}: grapevine check {shown} lists the problems\n",
            plural(skipped)
        )
    } else {
        format!(
            "{shown}: {warnings} warning{}: grapevine check {shown} lists them\n",
            plural(warnings)
        )
    };
    eprint_text(&line);
}
