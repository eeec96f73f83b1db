//! `reach`: who could have seen it, from when, surely by when, and on what
//! evidence.

use grapevine::render::name_of;
use grapevine::render::words::AnswerWords;
use grapevine::Mode;

use super::args::{InputArgs, QueryOptions, SourceArgs};
use super::common::{
    build_query, not_reached_line, print_reach_json, print_text, read_input, table_with_notes, Out,
};
use super::errors::CliError;

/// Runs `reach`.
pub fn run(
    out: &mut Out,
    input: &InputArgs,
    source: &SourceArgs,
    mode: Option<Mode>,
    options: &QueryOptions,
    no_paths: bool,
) -> Result<u8, CliError> {
    let read = read_input(input)?;
    let catalog = read.catalog();
    let query = build_query(source, mode, options, !no_paths);
    let (index, rq) = query.compile(catalog)?;
    if options.json {
        // Streamed: each row's strings are made as it is written.
        let rows = grapevine::reach_rows(&index, &rq);
        check_path_size(rows.path_entries(), rq.paths)?;
        print_reach_json(out, &rows)?;
        return Ok(0);
    }
    let answer = grapevine::reach(&index, &rq);
    let words = AnswerWords::new(catalog, &index, &query, &answer);
    let [conditions, assumption] = words.conditions();
    let mut s = format!(
        "Who could have seen {}\n  {conditions}\n  {assumption}\n\n",
        words.what()
    );
    // The answer's order: causal (the source first, everyone after the one
    // they got it from).
    let rows: Vec<(Vec<String>, Vec<String>)> = answer
        .reached
        .iter()
        .map(|r| {
            (
                vec![
                    r.name.clone(),
                    words.earliest(r),
                    words.surely_by(r),
                    r.evidence.to_string(),
                    words.chain(r),
                ],
                words.notes(r),
            )
        })
        .collect();
    s.push_str(&table_with_notes(
        &[
            "ENTITY",
            "COULD HAVE IT FROM",
            "SURELY HAD IT BY",
            "EVIDENCE",
            "CHAIN",
        ],
        &rows,
    ));
    let names: Vec<String> = answer
        .not_reached
        .iter()
        .map(|id| name_of(catalog, id))
        .collect();
    s.push('\n');
    s.push_str(&not_reached_line(&names));
    print_text(out, &s)?;
    Ok(0)
}

/// Most event ids the paths of one `reach --json` answer may hold together
/// (about 20 bytes of JSON each: some 400 MB). Longer chains make the answer
/// grow with the square of the corpus; `--no-paths` keeps it linear.
pub const MAX_PATH_ENTRIES: usize = 20_000_000;

/// Refuses, before anything is written, an answer whose paths would pass
/// [`MAX_PATH_ENTRIES`].
fn check_path_size(entries: usize, paths: bool) -> Result<(), CliError> {
    if paths && entries > MAX_PATH_ENTRIES {
        return Err(CliError::Usage(format!(
            "the paths of this answer hold {entries} event ids in all (more than {MAX_PATH_ENTRIES}): add --no-paths (each row's `via` and `previous` still rebuild every chain)"
        )));
    }
    Ok(())
}
