//! Command-line definitions and one file per command. The only code that
//! prints; everything it prints comes from the library's answers. Flags are
//! passed down, never global: each command takes only the options that
//! apply to it.

#[cfg(feature = "parquet")]
mod answer;
mod args;
mod backward;
mod check;
mod connect;
mod critical;
mod diff;
mod errors;
mod export;
mod fmt;
mod import;
mod input;
mod merge;
mod new;
mod output;
mod path;
mod query;
mod rank;
mod reach;
mod reach_json;
mod render;
mod table;
mod timeline;
mod times;
mod why_not;

use std::process::ExitCode;

use clap::Parser;

use args::Command;
use errors::CliError;

use args::Cli;

/// Runs the command line and maps errors to exit codes: 0 an answer, 1 no
/// answer (`path`'s target not reached, `fmt --check` found changes, a
/// drawing failed), 2 bad input.
pub fn main() -> ExitCode {
    let cli = Cli::parse();
    match run(cli) {
        Ok(code) => ExitCode::from(code),
        Err(err) => {
            if let Some(crate::Error::Io { source, .. }) = err.lib() {
                if source.kind() == std::io::ErrorKind::BrokenPipe {
                    return ExitCode::SUCCESS;
                }
            }
            // A report is rendered here (its excerpts are escaped); the
            // message of any error may quote the file: it is escaped too.
            if let Some(report) = err.lib().and_then(crate::Error::report) {
                output::eprint_text(&report.render());
            }
            output::eprint_text(&format!("error: {err}\n"));
            ExitCode::from(err.exit_code())
        }
    }
}

/// Runs one command; returns the exit code.
fn run(cli: Cli) -> Result<u8, CliError> {
    let mut out = std::io::stdout().lock();
    match cli.command {
        Command::Check { input, json } => check::run(&mut out, &input, json),
        Command::Fmt {
            file,
            check,
            stdout,
        } => fmt::run(&mut out, &file, check, stdout),
        #[cfg(feature = "parquet")]
        Command::Reach {
            input,
            options,
            no_paths,
            answer: true,
            ..
        } => reach::answer(&mut out, &input, &options, no_paths),
        Command::Reach {
            input,
            source,
            targets,
            mode,
            options,
            no_paths,
            ..
        } if targets.asked() => backward::run(
            &mut out,
            &input,
            &backward::Flags {
                source: &source,
                targets: &targets,
                mode,
                options: &options,
                no_paths,
            },
        ),
        Command::Reach {
            input,
            source,
            targets: _,
            mode,
            options,
            no_paths,
            ..
        } => reach::run(&mut out, &input, &source, mode, &options, no_paths),
        Command::Path {
            input,
            source,
            to,
            mode,
            options,
        } => path::run(&mut out, &input, &source, &to, mode, &options),
        Command::Timeline {
            input,
            entity,
            between,
            threshold,
            json,
        } => timeline::run(&mut out, &input, entity, between, threshold, json),
        Command::WhyNot {
            input,
            source,
            to,
            mode,
            options,
        } => why_not::run(&mut out, &input, &source, &to, mode, &options),
        Command::Critical(args) => critical::run(&mut out, &args),
        Command::Diff(args) => diff::run(&mut out, &args),
        Command::Merge(args) => merge::run(&mut out, &args),
        Command::Rank(args) => rank::run(&mut out, &args),
        Command::Connect(args) => connect::run(&mut out, &args),
        Command::Render(args) => render::run(&mut out, &args),
        Command::Import {
            input,
            output,
            from,
            timezone,
        } => import::run(
            &mut out,
            &input,
            output.as_deref(),
            from,
            timezone.as_deref(),
        ),
        Command::Export(args) => export::run(&mut out, &args),
        Command::New { file } => new::run(&file),
    }
}
