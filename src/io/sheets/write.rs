//! Tables into an `.xlsx` workbook (rust_xlsxwriter): every cell a string
//! in a text-formatted column, so nothing typed later turns into a date or
//! a number; bold frozen headers, widths a person can read, validation
//! lists for the closed columns, the readme first and `events` active.

use rust_xlsxwriter::{
    Color, DataValidation, DataValidationErrorStyle, Format, Formula, Workbook, Worksheet,
    XlsxError,
};

use super::book::Table;
use super::columns::{
    column_named, sheet_named, Allowed, Kind, CERTAINTIES, ENTITY_KINDS, EXACT, WHEN_FORMS,
};

/// The longest text a cell holds in Excel.
pub const MAX_CELL_CHARS: usize = 32_767;

/// Rows that get validation lists and text format below the header.
const VALIDATED_ROWS: u32 = 5_000;

/// Why a workbook could not be written.
#[derive(Debug)]
pub enum WriteError {
    /// A cell's text is longer than a spreadsheet holds.
    TooLong {
        /// The sheet.
        sheet: String,
        /// The cell (`D14`).
        cell: String,
        /// Its column's header.
        header: String,
        /// Its length in characters.
        chars: usize,
    },
    /// The writer failed.
    Xlsx(String),
}

impl std::fmt::Display for WriteError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            WriteError::TooLong { sheet, cell, header, chars } => write!(
                f,
                "sheet \"{sheet}\", cell {cell} ({header}) would hold {chars} characters; a spreadsheet cell holds at most {MAX_CELL_CHARS} (nothing is cut: shorten it in the story)"
            ),
            WriteError::Xlsx(e) => write!(f, "the workbook could not be written: {e}"),
        }
    }
}

impl From<XlsxError> for WriteError {
    fn from(e: XlsxError) -> Self {
        WriteError::Xlsx(e.to_string())
    }
}

/// True when a spreadsheet would take the text for a formula.
pub fn formula_led(s: &str) -> bool {
    matches!(s.chars().next(), Some('=' | '+' | '-' | '@' | '\t' | '\r'))
}

fn formats() -> [Format; 4] {
    let text = Format::new().set_num_format("@");
    [
        text.clone()
            .set_bold()
            .set_background_color(Color::RGB(0xE8_E8_E8)),
        text.clone().set_text_wrap(),
        text.clone().set_font_color(Color::RGB(0x99_99_99)),
        text,
    ]
}

fn validation(allowed: Allowed) -> Result<Option<DataValidation>, XlsxError> {
    Ok(match allowed {
        Allowed::Any | Allowed::YesNo if allowed == Allowed::Any => None,
        Allowed::YesNo => Some(
            DataValidation::new()
                .allow_list_strings(&["yes", "no"])?
                .set_error_style(DataValidationErrorStyle::Stop),
        ),
        Allowed::EntityKind => Some(
            DataValidation::new()
                .allow_list_strings(ENTITY_KINDS)?
                .set_error_style(DataValidationErrorStyle::Warning),
        ),
        Allowed::Certainty => Some(
            DataValidation::new()
                .allow_list_strings(CERTAINTIES)?
                .set_error_style(DataValidationErrorStyle::Stop),
        ),
        Allowed::Entity => Some(
            DataValidation::new()
                .allow_list_formula(Formula::new("=entities!$A$2:$A$5001"))
                .set_error_style(DataValidationErrorStyle::Warning),
        ),
        Allowed::Any => None,
    })
}

fn when_help() -> Result<DataValidation, XlsxError> {
    let forms: Vec<&str> = WHEN_FORMS.iter().map(|(f, _)| *f).collect();
    let mut message = format!("Type text: {}", forms.join(", "));
    message.truncate(250);
    DataValidation::new()
        .allow_any_value()
        .set_input_message(message)
}

fn sheet(ws: &mut Worksheet, t: &Table) -> Result<(), WriteError> {
    let [header, wrap, grey, text] = formats();
    ws.set_name(&t.name)?;
    let def = sheet_named(&t.name);
    let last_row = (t.rows.len() as u32).max(VALIDATED_ROWS);
    for (c, h) in t.header.iter().enumerate() {
        let c16 = c as u16;
        let col = def.and_then(|d| column_named(d, h));
        let wide = col.is_some_and(|k| matches!(k.kind, Kind::Text | Kind::CiteDetail));
        let exact = h == EXACT;
        let (width, fmt) = match col {
            _ if exact => (10.0, &grey),
            Some(k) => (k.width, if wide { &wrap } else { &text }),
            None => (24.0, &wrap),
        };
        ws.set_column_width(c16, width)?;
        ws.set_column_format(c16, fmt)?;
        ws.write_string_with_format(0, c16, h, &header)?;
        if let Some(k) = col {
            if let Some(v) = validation(k.allowed)? {
                ws.add_data_validation(1, c16, last_row, c16, &v)?;
            } else if k.kind == Kind::Time {
                ws.add_data_validation(1, c16, last_row, c16, &when_help()?)?;
            }
        }
        for (r, row) in t.rows.iter().enumerate() {
            let cell = row.cells.get(c).map(String::as_str).unwrap_or("");
            if cell.is_empty() {
                continue;
            }
            let chars = cell.chars().count();
            if chars > MAX_CELL_CHARS {
                return Err(WriteError::TooLong {
                    sheet: t.name.clone(),
                    cell: super::read::cell_name(r as u32 + 1, c as u32),
                    header: h.clone(),
                    chars,
                });
            }
            let r32 = r as u32 + 1;
            if formula_led(cell) {
                ws.write_string_with_format(r32, c16, cell, &fmt.clone().set_quote_prefix())?;
            } else {
                ws.write_string_with_format(r32, c16, cell, fmt)?;
            }
        }
    }
    if !t.header.is_empty() {
        ws.set_freeze_panes(1, if t.name == "readme" { 0 } else { 1 })?;
        let rows = t.rows.len() as u32;
        ws.autofilter(0, 0, rows.max(1), t.header.len() as u16 - 1)?;
    }
    if t.name == "events" {
        ws.set_active(true);
    }
    Ok(())
}

/// The tables as an `.xlsx` file.
pub fn to_xlsx(tables: &[Table]) -> Result<Vec<u8>, WriteError> {
    let mut wb = Workbook::new();
    for t in tables {
        sheet(wb.add_worksheet(), t)?;
    }
    Ok(wb.save_to_buffer()?)
}
