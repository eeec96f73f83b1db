//! `.xlsx` and `.ods` workbooks into tables of text (calamine), with the
//! limits checked on the zip's declared sizes before anything is inflated,
//! and every formula, merged, date, number or error cell answered at its
//! cell. Nothing is evaluated, fetched or run.

use std::collections::BTreeMap;
use std::io::Cursor;

use calamine::{Data, DataRef, Ods, Reader, SheetVisible, Xlsx};

use super::book::Table;
use super::read::Problems;
use super::Limits;

/// A cell as the workbook stores it, before it is text.
enum Raw {
    Text(String),
    Float(f64),
    Int(i64),
    Bool(bool),
    Date(f64),
    DateIso(String),
    Error(String),
}

fn raw(d: &DataRef<'_>) -> Option<Raw> {
    Some(match d {
        DataRef::String(s) => Raw::Text(s.clone()),
        DataRef::SharedString(s) => Raw::Text((*s).to_string()),
        DataRef::Float(f) => Raw::Float(*f),
        DataRef::Int(i) => Raw::Int(*i),
        DataRef::Bool(b) => Raw::Bool(*b),
        DataRef::DateTime(d) => Raw::Date(d.as_f64()),
        DataRef::DateTimeIso(s) | DataRef::DurationIso(s) => Raw::DateIso(s.clone()),
        DataRef::Error(e) => Raw::Error(e.to_string()),
        DataRef::Empty => return None,
    })
}

fn raw_data(d: &Data) -> Option<Raw> {
    Some(match d {
        Data::String(s) => Raw::Text(s.clone()),
        Data::Float(f) => Raw::Float(*f),
        Data::Int(i) => Raw::Int(*i),
        Data::Bool(b) => Raw::Bool(*b),
        Data::DateTime(d) => Raw::Date(d.as_f64()),
        Data::DateTimeIso(s) | Data::DurationIso(s) => Raw::DateIso(s.clone()),
        Data::Error(e) => Raw::Error(e.to_string()),
        Data::Empty => return None,
    })
}

/// The day a date serial stands for (1900 or 1904 epoch).
fn serial_day(serial: f64, is_1904: bool) -> String {
    let epoch = if is_1904 {
        jiff::civil::date(1904, 1, 1)
    } else {
        jiff::civil::date(1899, 12, 30)
    };
    let days = serial.floor() as i64;
    epoch
        .checked_add(jiff::Span::new().days(days.clamp(-3_000_000, 3_000_000)))
        .map(|d| d.to_string())
        .unwrap_or_else(|_| format!("{serial}"))
}

/// A cell as text, or a problem at it.
fn text(raw: Raw, at: &dyn Fn() -> String, is_1904: bool, p: &mut Problems) -> Option<String> {
    match raw {
        Raw::Text(s) => Some(s),
        Raw::Int(i) => {
            p.warn(
                at(),
                "stored as a number: leading zeros would be lost",
                Some("format the column as text and retype it".into()),
            );
            Some(i.to_string())
        }
        Raw::Float(f) if f.fract() == 0.0 && f.abs() < 1e15 => {
            p.warn(
                at(),
                "stored as a number: leading zeros would be lost",
                Some("format the column as text and retype it".into()),
            );
            Some(format!("{}", f as i64))
        }
        Raw::Float(f) => {
            p.error(
                at(),
                &format!("stored as the number {f}: its digits may be lost"),
                Some("format the column as text and retype the value".into()),
            );
            None
        }
        Raw::Bool(b) => {
            p.warn(
                at(),
                "stored as a true/false value",
                Some("format the column as text and retype it".into()),
            );
            Some(if b { "TRUE" } else { "FALSE" }.into())
        }
        Raw::Date(serial) => {
            let day = serial_day(serial, is_1904);
            let month = day.get(..7).unwrap_or(&day).to_string();
            p.error(at(), "the spreadsheet turned this into a date, losing what was typed", Some(format!("format the column as text and type {day} (that day), or {month} if the month was meant")));
            None
        }
        Raw::DateIso(s) => {
            let day = s.get(..10).unwrap_or(&s).to_string();
            p.error(
                at(),
                "the spreadsheet turned this into a date, losing what was typed",
                Some(format!(
                    "format the column as text and type {day}, or {} if the month was meant",
                    day.get(..7).unwrap_or(&day)
                )),
            );
            None
        }
        Raw::Error(e) => {
            p.error(
                at(),
                &format!("the cell shows the error {e}: its text was taken for a formula"),
                Some("type ' before the text so that it stays text".into()),
            );
            None
        }
    }
}

/// Sparse cells of one sheet: `(row, col) -> text`.
pub type Cells = BTreeMap<(u32, u32), String>;

/// Tables from sparse cells: the header is the first non-empty row.
pub fn table(name: &str, cells: &Cells, p: &mut Problems) -> Option<Table> {
    let (&(header_row, _), _) = cells.iter().next()?;
    let mut t = Table {
        name: name.to_string(),
        header_row,
        ..Table::default()
    };
    for (&(r, c), v) in cells.range((header_row, 0)..(header_row + 1, 0)) {
        let _ = r;
        if !v.trim().is_empty() {
            t.columns.push(c);
            t.header.push(v.trim().to_string());
        }
    }
    let mut rows: BTreeMap<u32, Vec<String>> = BTreeMap::new();
    for (&(r, c), v) in cells.range((header_row + 1, 0)..) {
        match t.columns.iter().position(|&x| x == c) {
            Some(i) => {
                let row = rows
                    .entry(r)
                    .or_insert_with(|| vec![String::new(); t.header.len()]);
                row[i] = v.clone();
            }
            None if !v.trim().is_empty() => {
                let place = p.at(name, r, c, "");
                p.error(
                    place,
                    "a value in a column with no header",
                    Some("give the column a header in the first row, or clear the cell".into()),
                );
            }
            None => {}
        }
    }
    t.rows = rows
        .into_iter()
        .map(|(at, cells)| super::book::Row { at, cells })
        .collect();
    Some(t)
}

fn hidden(name: &str, visible: &SheetVisible, p: &mut Problems) {
    if *visible != SheetVisible::Visible {
        p.warn(
            format!(
                "{}, sheet \"{}\"",
                crate::diagnostic::visible(&p.file),
                crate::diagnostic::visible(name)
            ),
            "the sheet is hidden; it was read",
            None,
        );
    }
}

fn keep(name: &str) -> bool {
    !name.trim_end().to_lowercase().ends_with("(ignore)")
        && super::columns::sheet_named(name).is_none_or(|d| d.name != "readme")
}

/// The sheet being read: its name, its calendar and the limits.
struct At<'a> {
    name: &'a str,
    is_1904: bool,
    limits: &'a Limits,
}

fn put(cells: &mut Cells, pos: (u32, u32), raw: Raw, at: &At, p: &mut Problems) -> bool {
    let At {
        name,
        is_1904,
        limits,
    } = *at;
    let file = p.file.clone();
    let place = || p_at(&file, name, pos);
    if let Some(s) = text(raw, &place, is_1904, p) {
        if s.chars().count() > limits.cell_chars {
            p.error(
                place(),
                &format!(
                    "the cell holds {} characters, more than {}",
                    s.chars().count(),
                    limits.cell_chars
                ),
                None,
            );
        } else if !s.is_empty() {
            cells.insert(pos, s);
        }
    }
    if cells.len() > limits.cells {
        p.error(
            place(),
            &format!(
                "the sheet has more than {} cells: this is not a claims workbook grapevine reads",
                limits.cells
            ),
            None,
        );
        return false;
    }
    true
}

fn p_at(file: &str, sheet: &str, (r, c): (u32, u32)) -> String {
    Problems::new(file).at(sheet, r, c, "")
}

/// A workbook calamine cannot open: an error naming the file, no tables.
fn unreadable(p: &mut Problems, e: &dyn std::fmt::Display, help: &str) -> Vec<Table> {
    p.error(
        p.file.clone(),
        &format!("not a workbook grapevine can read ({e})"),
        Some(help.into()),
    );
    Vec::new()
}

/// The tables of an `.xlsx` workbook.
pub fn read_xlsx(bytes: Vec<u8>, limits: &Limits, p: &mut Problems) -> Vec<Table> {
    let mut wb: Xlsx<_> = match Xlsx::new(Cursor::new(bytes)) {
        Ok(wb) => wb,
        Err(e) => return unreadable(p, &e, "save it as .xlsx (Excel 2007 and later) or .ods"),
    };
    let is_1904 = wb.has_1904_epoch();
    let meta: Vec<_> = wb.sheets_metadata().to_vec();
    let mut tables = Vec::new();
    for sheet in meta.iter().filter(|s| keep(&s.name)) {
        hidden(&sheet.name, &sheet.visible, p);
        let at = At {
            name: &sheet.name,
            is_1904,
            limits,
        };
        let mut cells = Cells::new();
        if let Ok(mut reader) = wb.worksheet_cells_reader(&sheet.name) {
            while let Ok(Some(cell)) = reader.next_cell() {
                let Some(r) = raw(cell.get_value()) else {
                    continue;
                };
                if !put(&mut cells, cell.get_position(), r, &at, p) {
                    break;
                }
            }
        }
        if let Ok(mut reader) = wb.worksheet_cells_reader(&sheet.name) {
            while let Ok(Some(cell)) = reader.next_formula() {
                if !cell.get_value().is_empty() {
                    let place = p_at(&p.file, &sheet.name, cell.get_position());
                    p.error(
                        place,
                        &format!(
                            "a formula (={}): grapevine never evaluates one",
                            crate::diagnostic::visible(cell.get_value())
                        ),
                        Some("copy the column and paste it as values".into()),
                    );
                }
            }
        }
        if let Some(Ok(merged)) = wb.worksheet_merge_cells(&sheet.name) {
            let merged: Vec<Merged> = merged
                .into_iter()
                .map(|d| (sheet.name.clone(), d.start, d.end))
                .collect();
            merged_errors(&merged, &sheet.name, p);
        }
        if let Some(t) = table(&sheet.name, &cells, p) {
            tables.push(t);
        }
    }
    tables
}

/// A merged range: its sheet, first cell and last cell (row, column).
type Merged = (String, (u32, u32), (u32, u32));

/// The merged ranges of an `.ods` file, which calamine does not report:
/// read from `content.xml`, where a merge is the spans of its first cell
/// (`table:number-columns-spanned`, `table:number-rows-spanned`); repeated
/// rows and cells are counted, never expanded. At most `limit` bytes of
/// `content.xml` are read (the inflated size the workbook may have).
fn ods_merged(bytes: &[u8], limit: u64) -> Vec<Merged> {
    use std::io::Read;
    const TABLE: &str = "urn:oasis:names:tc:opendocument:xmlns:table:1.0";
    let Ok(mut zip) = zip::ZipArchive::new(Cursor::new(bytes)) else {
        return Vec::new();
    };
    let Ok(entry) = zip.by_name("content.xml") else {
        return Vec::new();
    };
    let mut text = String::new();
    if entry.take(limit).read_to_string(&mut text).is_err() {
        return Vec::new();
    }
    let Ok(doc) = roxmltree::Document::parse(&text) else {
        return Vec::new();
    };
    let num = |n: roxmltree::Node, a: &str| -> u64 {
        n.attribute((TABLE, a))
            .and_then(|v| v.parse().ok())
            .unwrap_or(1)
    };
    let mut out = Vec::new();
    for t in doc
        .descendants()
        .filter(|n| n.has_tag_name((TABLE, "table")))
    {
        let name = t.attribute((TABLE, "name")).unwrap_or_default();
        let mut row = 0u64;
        for r in t
            .descendants()
            .filter(|n| n.has_tag_name((TABLE, "table-row")))
        {
            let mut col = 0u64;
            for c in r.children().filter(|n| {
                n.has_tag_name((TABLE, "table-cell"))
                    || n.has_tag_name((TABLE, "covered-table-cell"))
            }) {
                let (cols, rows) = (
                    num(c, "number-columns-spanned"),
                    num(c, "number-rows-spanned"),
                );
                let last = (row + rows.max(1) - 1, col + cols.max(1) - 1);
                if (cols > 1 || rows > 1)
                    && last.0 <= u64::from(u32::MAX)
                    && last.1 <= u64::from(u32::MAX)
                {
                    out.push((
                        name.to_string(),
                        (row as u32, col as u32),
                        (last.0 as u32, last.1 as u32),
                    ));
                }
                col = col.saturating_add(num(c, "number-columns-repeated"));
            }
            row = row.saturating_add(num(r, "number-rows-repeated"));
        }
    }
    out
}

/// Each merged range of `sheet` an error at its first cell.
fn merged_errors(merged: &[Merged], sheet: &str, p: &mut Problems) {
    for (_, start, end) in merged.iter().filter(|m| m.0 == sheet) {
        let place = p_at(&p.file, sheet, *start);
        let end = super::read::cell_name(end.0, end.1);
        p.error(
            place,
            &format!("merged cells (to {end}): a merge keeps its value in the first cell only"),
            Some("unmerge them and fill each cell".into()),
        );
    }
}

/// The tables of an `.ods` workbook.
pub fn read_ods(bytes: Vec<u8>, limits: &Limits, p: &mut Problems) -> Vec<Table> {
    let merged = ods_merged(&bytes, limits.inflated_bytes);
    let mut wb: Ods<_> = match Ods::new(Cursor::new(bytes)) {
        Ok(wb) => wb,
        Err(e) => return unreadable(p, &e, "save it as .ods or .xlsx"),
    };
    let meta: Vec<_> = wb.sheets_metadata().to_vec();
    let mut tables = Vec::new();
    for sheet in meta.iter().filter(|s| keep(&s.name)) {
        hidden(&sheet.name, &sheet.visible, p);
        let at = At {
            name: &sheet.name,
            is_1904: false,
            limits,
        };
        let mut cells = Cells::new();
        if let Ok(range) = wb.worksheet_range(&sheet.name) {
            for (r, c, d) in range.used_cells() {
                let (r0, c0) = range.start().unwrap_or((0, 0));
                let Some(raw) = raw_data(d) else { continue };
                if !put(&mut cells, (r0 + r as u32, c0 + c as u32), raw, &at, p) {
                    break;
                }
            }
        }
        merged_errors(&merged, &sheet.name, p);
        if let Ok(formulas) = wb.worksheet_formula(&sheet.name) {
            let (r0, c0) = formulas.start().unwrap_or((0, 0));
            for (r, c, f) in formulas.used_cells() {
                if !f.is_empty() {
                    let place = p_at(&p.file, &sheet.name, (r0 + r as u32, c0 + c as u32));
                    p.error(
                        place,
                        &format!(
                            "a formula ({}): grapevine never evaluates one",
                            crate::diagnostic::visible(f)
                        ),
                        Some("copy the column and paste it as values".into()),
                    );
                }
            }
        }
        if let Some(t) = table(&sheet.name, &cells, p) {
            tables.push(t);
        }
    }
    tables
}
