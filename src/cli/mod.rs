//! Command-line definitions and one file per command. The only code that
//! prints; everything it prints comes from the library's answers. Flags are
//! passed down, never global.

mod args;
mod check;
mod common;
mod fmt;
mod import;
mod path;
mod reach;
mod render;
mod timeline;
mod why_not;

use std::process::ExitCode;

use clap::Parser;

use args::Command;
use common::Global;
use grapevine::Error;

pub use args::Cli;

/// Runs the command line and maps errors to exit codes: 0 success, 1 a check
/// that failed (e.g. `fmt --check` found changes), 2 bad input.
pub fn main() -> ExitCode {
    let cli = Cli::parse();
    match run(cli) {
        Ok(code) => ExitCode::from(code),
        Err(err) => {
            if let grapevine::Error::Io { source, .. } = &err {
                if source.kind() == std::io::ErrorKind::BrokenPipe {
                    return ExitCode::SUCCESS;
                }
            }
            common::eprint_text(&format!("{err}\n"));
            ExitCode::from(err.exit_code())
        }
    }
}

/// Runs one command; returns the exit code.
fn run(cli: Cli) -> Result<u8, Error> {
    let mut out = std::io::stdout().lock();
    let global = Global {
        quiet: cli.quiet,
        skip_bad_rows: cli.skip_bad_rows,
    };
    match cli.command {
        Command::Check { file, json } => check::run(&mut out, &file, json, global),
        Command::Fmt {
            file,
            check,
            stdout,
        } => fmt::run(&mut out, &file, check, stdout),
        Command::Reach {
            file,
            source,
            mode,
            options,
        } => reach::run(&mut out, &file, &source, mode, &options, global),
        Command::Path {
            file,
            from,
            to,
            since,
            options,
        } => path::run(&mut out, &file, &from, &to, since, &options, global),
        Command::Timeline {
            file,
            entity,
            between,
            threshold,
            json,
        } => timeline::run(
            &mut out,
            &file,
            entity,
            between,
            threshold.into(),
            json,
            global,
        ),
        Command::WhyNot {
            file,
            source,
            to,
            mode,
            options,
        } => why_not::run(&mut out, &file, &source, &to, mode, &options, global),
        Command::Render(args) => render::run(&mut out, &args, global),
        Command::Import { file, output } => import::run(&mut out, &file, output.as_deref(), global),
    }
}
