//! A folder of CSV files, one a sheet (`events.csv`, or as Google Sheets
//! names its downloads, `Workbook - events.csv`), read and written.
//!
//! A cell that a spreadsheet would take for a formula (`=`, `+`, `-`, `@`,
//! tab or CR first) is written with a `'` before it (OWASP's defence; one
//! more `'` when it already starts with `'`s and then such a character),
//! and one `'` is dropped again on reading, so the round trip is exact.

use std::path::Path;

use super::book::Table;
use super::columns::{column_named, sheet_named};
use super::read::Problems;
use super::write::formula_led;
use super::Limits;
use crate::io::export::ExportFile;

fn guarded(s: &str) -> bool {
    formula_led(s) || s.strip_prefix('\'').is_some_and(guarded)
}

/// The cell as written to CSV.
pub fn escape(s: &str) -> String {
    if guarded(s) {
        format!("'{s}")
    } else {
        s.to_string()
    }
}

/// The cell as read from CSV.
pub fn unescape(s: &str) -> String {
    match s.strip_prefix('\'') {
        Some(rest) if guarded(rest) => rest.to_string(),
        _ => s.to_string(),
    }
}

/// The tables as CSV files, one a sheet.
pub fn to_files(tables: &[Table]) -> Vec<ExportFile> {
    tables
        .iter()
        .map(|t| {
            let mut w = csv::WriterBuilder::new().from_writer(Vec::new());
            let _ = w.write_record(t.header.iter().map(|h| escape(h)));
            for r in &t.rows {
                let _ = w.write_record(r.cells.iter().map(|c| escape(c)));
            }
            ExportFile {
                name: format!("{}.csv", t.name),
                bytes: w.into_inner().unwrap_or_default(),
            }
        })
        .collect()
}

/// The delimiter (`,`, `;` or tab) that splits the header into the most
/// known names.
fn delimiter(first_line: &str, sheet: &str) -> u8 {
    let def = sheet_named(sheet);
    let score = |d: char| {
        first_line
            .split(d)
            .filter(|h| def.is_some_and(|def| column_named(def, h.trim_matches('"')).is_some()))
            .count()
    };
    let mut best = (score(','), b',');
    for (d, b) in [(';', b';'), ('\t', b'\t')] {
        if score(d) > best.0 {
            best = (score(d), b);
        }
    }
    best.1
}

fn read_file(path: &Path, name: &str, limits: &Limits, p: &mut Problems) -> Option<Table> {
    let place = format!(
        "{}, sheet \"{}\"",
        crate::diagnostic::visible(&p.file),
        crate::diagnostic::visible(name)
    );
    let size = std::fs::metadata(path).map(|m| m.len()).unwrap_or(0);
    if size > limits.file_bytes {
        p.error(
            place,
            &format!("the file is larger than {} bytes", limits.file_bytes),
            None,
        );
        return None;
    }
    let bytes = match std::fs::read(path) {
        Ok(b) => b,
        Err(e) => {
            p.error(place, &format!("cannot be read: {e}"), None);
            return None;
        }
    };
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(&bytes);
    let Ok(text) = std::str::from_utf8(bytes) else {
        p.error(place, "not UTF-8 text", Some("save it as CSV UTF-8".into()));
        return None;
    };
    let first = text.lines().next().unwrap_or("");
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .delimiter(delimiter(first, name))
        .from_reader(text.as_bytes());
    let mut cells = super::cells::Cells::new();
    for (i, rec) in reader.records().enumerate() {
        let Ok(rec) = rec else {
            p.error(
                p.at(name, i as u32, 0, ""),
                "not CSV from here on",
                Some("save it as CSV UTF-8".into()),
            );
            break;
        };
        for (c, v) in rec.iter().enumerate() {
            if v.chars().count() > limits.cell_chars {
                p.error(
                    p.at(name, i as u32, c as u32, ""),
                    &format!("the cell holds more than {} characters", limits.cell_chars),
                    None,
                );
            } else if !v.is_empty() {
                cells.insert((i as u32, c as u32), unescape(v));
            }
        }
        if cells.len() > limits.cells {
            p.error(place, &format!("more than {} cells", limits.cells), None);
            return None;
        }
    }
    super::cells::table(name, &cells, p)
}

/// The tables of a folder of CSV files.
pub fn read_dir(dir: &Path, limits: &Limits, p: &mut Problems) -> Vec<Table> {
    let mut files: Vec<(String, std::path::PathBuf)> = match std::fs::read_dir(dir) {
        Ok(entries) => entries
            .filter_map(Result::ok)
            .map(|e| e.path())
            .filter(|f| f.extension().is_some_and(|e| e.eq_ignore_ascii_case("csv")))
            .filter_map(|f| Some((f.file_stem()?.to_str()?.to_string(), f)))
            .collect(),
        Err(e) => {
            p.error(p.file.clone(), &format!("cannot be read: {e}"), None);
            return Vec::new();
        }
    };
    files.sort();
    if files.len() > limits.sheets {
        p.error(
            p.file.clone(),
            &format!("more than {} CSV files", limits.sheets),
            None,
        );
        return Vec::new();
    }
    files
        .iter()
        .filter(|(name, _)| sheet_named(name).is_none_or(|d| d.name != "readme"))
        .filter_map(|(name, path)| read_file(path, name, limits, p))
        .collect()
}
