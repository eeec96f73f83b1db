//! `export`: the input in another tool's format, with what it loses.

use std::collections::BTreeSet;
use std::io::Write;

use crate::io::export::{export, ExportFormat};
use crate::io::Input;
use crate::render::Focus;
use crate::{Catalog, Error, StoryCatalog};

use super::args::ExportArgs;
use super::errors::CliError;
use super::input::read_input;
use super::output::{eprint_text, out_err, print_json, write_json, write_output, Out};

/// Runs `export`.
pub fn run(out: &mut Out, args: &ExportArgs) -> Result<u8, CliError> {
    let input = read_input(&args.input)?;
    let summary = match &input {
        Input::Story { catalog, .. } => catalog.story().summary.clone(),
        Input::Corpus(_) => None,
    };
    let format: ExportFormat = args.to;
    let focused = focus(input.catalog(), args)?;
    let catalog: &dyn Catalog = match &focused {
        Some(c) => c,
        None => input.catalog(),
    };
    let exported = export(catalog, format, summary.as_deref())?;
    let loss = &exported.loss;
    if args.strict_export && !loss.is_empty() {
        return Err(CliError::Usage(format!(
            "--strict-export: {loss}; nothing was written"
        )));
    }
    let several = matches!(format, ExportFormat::Neo4jCsv | ExportFormat::Sheets) || {
        #[cfg(feature = "parquet")]
        let parquet = format == ExportFormat::Parquet;
        #[cfg(not(feature = "parquet"))]
        let parquet = false;
        parquet
    };
    match (&args.output, several) {
        (None, true) => {
            return Err(CliError::Usage(format!(
                "--to {} writes several files: give the folder with -o DIR",
                format.name()
            )))
        }
        (Some(dir), true) => {
            std::fs::create_dir_all(dir).map_err(|source| Error::Io {
                path: dir.display().to_string(),
                source,
            })?;
            for f in &exported.files {
                write_output(&dir.join(&f.name), &args.input.file, &f.bytes)?;
            }
        }
        (Some(path), _) => {
            for f in &exported.files {
                write_output(path, &args.input.file, &f.bytes)?;
            }
        }
        (None, _) => {
            for f in &exported.files {
                out.write_all(&f.bytes).map_err(out_err)?;
            }
            out.flush().map_err(out_err)?;
        }
    }
    if args.json {
        if args.output.is_some() {
            print_json(out, &loss.losses)?;
        } else {
            let mut err = std::io::stderr().lock();
            write_json(&mut err, &loss.losses)?;
            let _ = writeln!(err);
        }
    } else {
        eprint_text(&format!("{loss}\n"));
    }
    Ok(0)
}

/// The story of the focus (--around, --between), or `None` for everything.
fn focus(
    catalog: &dyn Catalog,
    args: &ExportArgs,
) -> Result<Option<StoryCatalog<'static>>, CliError> {
    if args.around.is_none() && args.between.is_none() {
        return Ok(None);
    }
    let mut focus = Focus::default();
    if let Some(entity) = &args.around {
        focus = focus.around(catalog, entity, args.depth)?;
    }
    if let Some([a, b]) = args.between.as_deref() {
        focus = focus.between(catalog, a, b)?;
    }
    // The other parties of a kept event come along, so that it stays whole.
    let entities = focus.entities.as_ref().map(|set| {
        let mut set: BTreeSet<String> = set.clone();
        for id in focus.events.iter().flatten() {
            if let Some(e) = catalog.event_number(id) {
                set.extend(
                    catalog
                        .event(e)
                        .parties
                        .entities()
                        .into_iter()
                        .map(str::to_string),
                );
            }
        }
        set
    });
    // (The excerpt keeps the holdings of the entities and messages it
    // keeps, and every marker.)
    let story = catalog.excerpt(entities.as_ref(), focus.events.as_ref());
    Ok(Some(StoryCatalog::owned(story)))
}
