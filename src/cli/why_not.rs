//! `why-not`: why an entity is not reached.

use std::path::Path;

use grapevine::Error;

use super::common::{print_json, print_text, read_input, Global, Out};

use super::args::{ModeArg, QueryOptions, SourceArgs};
use super::common::build_query;

/// Runs `why-not`.
pub fn run(
    out: &mut Out,
    file: &Path,
    source: &SourceArgs,
    to: &str,
    mode: Option<ModeArg>,
    options: &QueryOptions,
    global: Global,
) -> Result<u8, Error> {
    let input = read_input(file, global)?;
    let query = build_query(source, mode, options);
    let answer = grapevine::why_not(input.catalog(), &query, to)?;
    if options.json {
        print_json(out, &answer)?;
        return Ok(0);
    }
    let mut s = String::new();
    if !answer.reached {
        s.push_str(&format!("{} is not reached.\n", answer.name));
    }
    for r in &answer.reasons {
        s.push_str(&format!("- {}\n", r.text));
    }
    print_text(out, &s)?;
    Ok(0)
}
