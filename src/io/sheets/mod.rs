//! The claims workbook: a story as sheets a reporter fills in (`.xlsx`,
//! `.ods`, or a folder of CSV files, one a sheet), read and written
//! without loss (`docs/sheets.md`).
//!
//! - `columns`: the one table of sheets and columns every part uses;
//! - `book`: a story as tables of text cells and back (`exact`);
//! - `read`: tables into a story, every problem at its cell;
//! - `cells`: `.xlsx`/`.ods` into tables (calamine), `write`: tables into
//!   `.xlsx` (rust_xlsxwriter), `csvdir`: a folder of CSV files;
//! - `readme`: the readme sheet and the docs' table.

pub mod book;
mod cells;
pub mod columns;
pub mod csvdir;
pub mod read;
pub mod readme;
pub mod write;

use std::io::Cursor;
use std::path::Path;

use crate::diagnostic::visible;
use crate::io::export::ExportFile;
use crate::io::Imported;
use crate::model::Story;
use crate::Error;

pub use write::WriteError;

/// What a workbook may hold (docs/reliability.md).
#[derive(Debug, Clone, Copy)]
pub struct Limits {
    /// The workbook file (or each CSV file), in bytes.
    pub file_bytes: u64,
    /// The sum of the zip entries' declared sizes once inflated.
    pub inflated_bytes: u64,
    /// How much larger than compressed an entry may declare itself.
    pub ratio: u64,
    /// Sheets (or CSV files).
    pub sheets: usize,
    /// Non-empty cells in one sheet.
    pub cells: usize,
    /// Characters in one cell (Excel's own limit).
    pub cell_chars: usize,
}

/// The limits grapevine reads workbooks within.
pub const LIMITS: Limits = Limits {
    file_bytes: 64 << 20,
    inflated_bytes: 512 << 20,
    ratio: 200,
    sheets: 64,
    cells: 4_000_000,
    cell_chars: write::MAX_CELL_CHARS,
};

/// The forms a claims workbook comes in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Form {
    /// An Excel workbook.
    Xlsx,
    /// An OpenDocument spreadsheet.
    Ods,
    /// A folder of CSV files.
    CsvFolder,
}

/// The form of a workbook `path` names: `.xlsx`, `.ods` or a folder.
pub fn form(path: &Path) -> Option<Form> {
    if path.is_dir() {
        return Some(Form::CsvFolder);
    }
    let ext = path.extension()?.to_str()?.to_ascii_lowercase();
    match ext.as_str() {
        "xlsx" | "xlsm" => Some(Form::Xlsx),
        "ods" => Some(Form::Ods),
        _ => None,
    }
}

/// Checks a zip's entries against the limits from their declared sizes,
/// before anything is inflated; warns about external links.
fn check_zip(bytes: &[u8], limits: &Limits, p: &mut read::Problems) -> bool {
    let Ok(mut zip) = zip::ZipArchive::new(Cursor::new(bytes)) else {
        p.error(
            p.file.clone(),
            "not a workbook (not a zip archive)",
            Some("save it as .xlsx or .ods".into()),
        );
        return false;
    };
    let mut total: u64 = 0;
    for i in 0..zip.len() {
        let Ok(entry) = zip.by_index_raw(i) else {
            continue;
        };
        total = total.saturating_add(entry.size());
        let name = entry.name().to_string();
        if entry.size() > (1 << 20) && entry.size() / entry.compressed_size().max(1) > limits.ratio
        {
            p.error(
                p.file.clone(),
                &format!(
                    "the part {} would inflate {} times (to {} bytes): refused as a zip bomb",
                    visible(&name),
                    entry.size() / entry.compressed_size().max(1),
                    entry.size()
                ),
                None,
            );
            return false;
        }
        if name.starts_with("xl/externalLinks/") {
            p.warn(
                p.file.clone(),
                "the workbook links to other files; they are never read",
                None,
            );
        }
    }
    if total > limits.inflated_bytes {
        p.error(
            p.file.clone(),
            &format!(
                "the workbook would inflate to {total} bytes, more than {}",
                limits.inflated_bytes
            ),
            None,
        );
        return false;
    }
    true
}

/// Reads a claims workbook (`.xlsx`, `.ods` or a folder of CSV files) as
/// a story; every problem names the file, the sheet and the cell.
pub fn read_workbook(path: &Path) -> Result<Imported, Error> {
    read_with(path, &LIMITS)
}

/// [`read_workbook`] within other limits (tests).
pub fn read_with(path: &Path, limits: &Limits) -> Result<Imported, Error> {
    let file = path.display().to_string();
    let form = form(path);
    if form == Some(Form::CsvFolder) {
        let mut p = read::Problems::new(&file);
        let tables = csvdir::read_dir(path, limits, &mut p);
        return read::from_tables(&tables, p);
    }
    let io = |source| Error::Io {
        path: file.clone(),
        source,
    };
    let size = std::fs::metadata(path).map_err(io)?.len();
    if size > limits.file_bytes {
        let mut p = read::Problems::new(&file);
        p.error(
            file.clone(),
            &format!(
                "the workbook is {size} bytes, more than {}",
                limits.file_bytes
            ),
            None,
        );
        return Err(Error::Invalid(Box::new(p.report)));
    }
    let bytes = std::fs::read(path).map_err(io)?;
    read_bytes(&file, bytes, form.unwrap_or(Form::Xlsx), limits)
}

/// A workbook (`.xlsx` or `.ods`) already in memory, named `file` in
/// its problems.
pub fn read_bytes(
    file: &str,
    bytes: Vec<u8>,
    form: Form,
    limits: &Limits,
) -> Result<Imported, Error> {
    let mut p = read::Problems::new(file);
    if !check_zip(&bytes, limits, &mut p) {
        return Err(Error::Invalid(Box::new(p.report)));
    }
    let tables = if form == Form::Ods {
        cells::read_ods(bytes, limits, &mut p)
    } else {
        cells::read_xlsx(bytes, limits, &mut p)
    };
    read::from_tables(&tables, p)
}

/// The workbook's tables for a story: readme, story, the sections.
pub fn tables(story: &Story) -> Vec<book::Table> {
    let mut t = vec![readme::readme()];
    t.extend(book::to_book(story));
    t
}

/// A story as an `.xlsx` workbook.
pub fn to_xlsx(story: &Story) -> Result<Vec<u8>, WriteError> {
    write::to_xlsx(&tables(story))
}

/// A story as CSV files, one a sheet.
pub fn to_csv_files(story: &Story) -> Vec<ExportFile> {
    csvdir::to_files(&tables(story))
}

/// The story `grapevine new` starts from: one example of each kind, with
/// the bundled story's conventions.
pub fn template() -> Story {
    let text = include_str!("template.json");
    match crate::io::load_str("template", text) {
        Ok(l) => l.story,
        Err(_) => Story::default(),
    }
}
