//! `reach`: who could have seen it, from when, surely by when, and on what
//! evidence.

use crate::render::name_of;
use crate::render::words::AnswerWords;
use crate::Mode;

use super::args::{InputArgs, QueryOptions, SourceArgs};
use super::errors::CliError;
use super::input::{names_first, read_query_input};
use super::output::{print_text, Out};
use super::query::build_query;
use super::reach_json::print_reach_json;
use super::table::{not_reached_line, reach_table};

/// Runs `reach`.
pub fn run(
    out: &mut Out,
    input: &InputArgs,
    source: &SourceArgs,
    mode: Option<Mode>,
    options: &QueryOptions,
    no_paths: bool,
) -> Result<u8, CliError> {
    names_first(input, source.from.as_deref())?;
    let read = read_query_input(input, options)?;
    let catalog = read.catalog();
    let query = build_query(source, mode, options, !no_paths);
    let (index, rq) = query.compile(catalog)?;
    if options.json {
        // Streamed: each row's strings are made as it is written.
        let rows = crate::reach_rows(&index, &rq);
        check_path_size(rows.path_entries(), rq.paths)?;
        print_reach_json(out, &rows)?;
        return Ok(0);
    }
    let answer = crate::reach(&index, &rq);
    let words = AnswerWords::new(catalog, &index, &query, &answer);
    let [conditions, assumption] = words.conditions();
    let corroborated = options.corroborated.map_or(String::new(), |n| {
        format!("\n  only contacts and holdings cited by at least {n} independent publishers")
    });
    let mut s = format!(
        "Who could have seen {}\n  {conditions}{corroborated}\n  {assumption}\n\n",
        words.what()
    );
    s.push_str(&reach_table(&words, &answer));
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

/// Runs `reach --answer OUT`: the answer a Spark job computed
/// (`spark/grapevine_reach.py`), printed by the writer of `reach --json`.
#[cfg(feature = "parquet")]
pub fn answer(
    out: &mut Out,
    input: &InputArgs,
    options: &QueryOptions,
    no_paths: bool,
) -> Result<u8, CliError> {
    use super::answer::{read_asked, read_catalog, read_given};
    if !options.json {
        return Err(CliError::Usage(
            "--answer prints the job's answer as JSON: add --json".to_string(),
        ));
    }
    let dir = input.file.as_path();
    let asked = read_asked(dir, !no_paths)?;
    let catalog = read_catalog(&asked)?;
    let index = crate::Index::build(&catalog, &asked.spec);
    let given = read_given(dir, &index)?;
    let rows = given.rows(&index, &asked.query);
    check_path_size(rows.path_entries(), asked.query.paths)?;
    print_reach_json(out, &rows)?;
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
