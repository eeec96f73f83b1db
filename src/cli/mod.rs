//! Command-line definitions and one handler per command. The only code that
//! prints; everything it prints comes from the library's answers.

mod args;
mod commands;

use std::io::Write;
use std::process::ExitCode;

use clap::Parser;

pub use args::Cli;

/// Runs the command line and maps errors to exit codes: 0 success, 1 a check
/// that failed (e.g. `fmt --check` found changes), 2 bad input.
pub fn main() -> ExitCode {
    let cli = Cli::parse();
    match commands::run(cli) {
        Ok(code) => ExitCode::from(code),
        Err(err) => {
            if let grapevine::Error::Io { source, .. } = &err {
                if source.kind() == std::io::ErrorKind::BrokenPipe {
                    return ExitCode::SUCCESS;
                }
            }
            let mut stderr = std::io::stderr().lock();
            let _ = writeln!(stderr, "{err}");
            ExitCode::from(err.exit_code())
        }
    }
}
