//! The `grapevine` command: a thin shell over the library.

use std::process::ExitCode;

fn main() -> ExitCode {
    grapevine_cli::main()
}

#[path = "cli/mod.rs"]
mod grapevine_cli;
