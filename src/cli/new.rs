//! `new`: a ready-to-fill claims workbook or story file from the template.

use std::path::Path;

use crate::io::sheets::{template, to_csv_files, to_xlsx};
use crate::Error;

use super::errors::CliError;
use super::output::{eprint_text, write_output};

/// Runs `new`.
pub fn run(file: &Path) -> Result<u8, CliError> {
    if file.exists() {
        return Err(CliError::Usage(format!(
            "{} exists: grapevine new never overwrites; choose another name",
            file.display()
        )));
    }
    let story = template();
    let ext = file
        .extension()
        .and_then(|e| e.to_str())
        .map(str::to_ascii_lowercase);
    let what = match ext.as_deref() {
        Some("xlsx") => {
            let bytes = to_xlsx(&story).map_err(|e| CliError::Usage(e.to_string()))?;
            write_output(file, Path::new("-"), &bytes)?;
            "a claims workbook"
        }
        Some("json") => {
            write_output(file, Path::new("-"), crate::to_json(&story).as_bytes())?;
            "a story file"
        }
        None => {
            std::fs::create_dir_all(file).map_err(|source| Error::Io {
                path: file.display().to_string(),
                source,
            })?;
            for f in to_csv_files(&story) {
                write_output(&file.join(&f.name), Path::new("-"), &f.bytes)?;
            }
            "a claims workbook as CSV files"
        }
        Some(other) => {
            return Err(CliError::Usage(format!(
                "grapevine new writes .xlsx, .json or a folder (a name without extension), not .{other}"
            )))
        }
    };
    eprint_text(&format!(
        "{}: {what} with one example of each kind; replace them with your story, then run grapevine check {}\n",
        file.display(),
        file.display()
    ));
    Ok(0)
}
