//! `why-not`: why an entity is not reached.


use grapevine::Error;

use super::common::{print_json, print_text, read_input, Out};

use super::args::{InputArgs, ModeArg, QueryOptions, SourceArgs};
use super::common::build_query;

/// Runs `why-not`.
pub fn run(
    out: &mut Out,
    input: &InputArgs,
    source: &SourceArgs,
    to: &str,
    mode: Option<ModeArg>,
    options: &QueryOptions,
) -> Result<u8, Error> {
    let read = read_input(input)?;
    let query = build_query(source, mode, options, true);
    let answer = grapevine::why_not(read.catalog(), &query, to)?;
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
