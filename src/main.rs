//! The `grapevine` command: a thin shell over the library's command line
//! (`grapevine::cli`, feature `cli`).

use std::process::ExitCode;

fn main() -> ExitCode {
    grapevine::cli::main()
}
