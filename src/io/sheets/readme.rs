//! The readme sheet and the docs' table of sheets, both made from the
//! column table.

use super::book::Table;
use super::columns::{SheetDef, README, SECTIONS, STORY, WHEN_FORMS};

fn sheet_lines(def: &SheetDef, t: &mut Table) {
    t.push(vec![
        format!("sheet {}", def.name),
        format!("one row per {}", def.row),
    ]);
    for c in def.columns {
        let mut line = c.help.to_string();
        if c.required {
            line.push_str(" (required)");
        }
        if !c.example.is_empty() {
            line.push_str(&format!(". Example: {}", c.example));
        }
        t.push(vec![format!("{} / {}", def.name, c.header), line]);
    }
}

/// The readme table.
pub fn readme() -> Table {
    let mut t = Table::new(
        README.name,
        README
            .columns
            .iter()
            .map(|c| c.header.to_string())
            .collect(),
    );
    let lines: &[(&str, &str)] = &[
        ("grapevine workbook", "A story of format grapevine/1 in sheets. grapevine import reads it back; this sheet is written anew on export and ignored on import."),
        ("rows and columns", "One row per thing; the first row of a sheet is its header. Keep the headers; add columns of your own (kept as x- fields). End a sheet's name with (ignore) to keep notes grapevine skips."),
        ("several values", "In from, to, participants, also known as, tags, carries, after and source: separate values with ; or put one per line (Alt+Enter)."),
        ("names or ids", "from, to, participants, entity and origin take an entity's id, name or alias; export writes ids."),
        ("citations", "source lists the sources cited. When source passage, where in source or paraphrased is filled, source holds exactly one id. Further citations of a claim are rows of the citations sheet."),
        ("exact", "The last column, written by export when plain cells cannot show a row exactly. Nobody types in it; once you edit a row, its cells win. Clear it freely."),
        ("don'ts", "No formulas (they are refused, never evaluated), no merged cells, do not rename headers, and type dates as text: a date the spreadsheet converted is refused with the text to type."),
        ("CSV", "A folder of CSV files, one a sheet (events.csv, or as Google Sheets names them: Workbook - events.csv), reads the same. Save as CSV UTF-8."),
    ];
    for (a, b) in lines {
        t.push(vec![(*a).to_string(), (*b).to_string()]);
    }
    for (form, meaning) in WHEN_FORMS {
        t.push(vec![format!("when: {form}"), (*meaning).to_string()]);
    }
    sheet_lines(&STORY, &mut t);
    for def in SECTIONS {
        sheet_lines(def, &mut t);
    }
    t
}

/// The Markdown table of every sheet and column (docs/sheets.md holds it
/// between markers; a test keeps the two equal).
pub fn docs_table() -> String {
    let mut out = String::from("| sheet | column | meaning | example |\n|---|---|---|---|\n");
    for def in std::iter::once(&STORY).chain(SECTIONS) {
        out.push_str(&format!(
            "| `{}` | | one row per {} | |\n",
            def.name, def.row
        ));
        for c in def.columns {
            let req = if c.required { " (required)" } else { "" };
            let ex = if c.example.is_empty() {
                String::new()
            } else {
                format!("`{}`", c.example)
            };
            out.push_str(&format!("| | `{}` | {}{req} | {ex} |\n", c.header, c.help));
        }
    }
    out
}
