//! Tables of text cells into a story, every problem located at its cell
//! (`claims.xlsx, sheet "events", cell D14 (when)`), then checked once
//! more by the story reader.

use std::collections::HashMap;

use super::book::{build, get, project, CiteCells, Col, Table};
use super::columns::{column_named, fold, sheet_named, Kind, SheetDef, EXACT, SECTIONS};
use crate::diagnostic::{visible, Diagnostic, Report};
use crate::io::json::{parse, Member, Value};
use crate::model::suggest_distance;

/// Where a cell is, as the spreadsheet shows it.
pub fn cell_name(row: u32, col: u32) -> String {
    let mut letters = String::new();
    let mut n = col + 1;
    while n > 0 {
        let r = (n - 1) % 26;
        letters.insert(0, char::from(b'A' + r as u8));
        n = (n - 1) / 26;
    }
    format!("{letters}{}", row + 1)
}

/// The problems of one workbook, each named by file, sheet and cell.
pub struct Problems {
    /// The file's name.
    pub file: String,
    /// Errors and warnings, in sheet, row, column order.
    pub report: Report,
}

impl Problems {
    /// An empty list for `file`.
    pub fn new(file: &str) -> Problems {
        Problems {
            file: file.to_string(),
            report: Report::new(file, ""),
        }
    }

    /// `claims.xlsx, sheet "events", cell D14 (when)`.
    pub fn at(&self, sheet: &str, row: u32, col: u32, header: &str) -> String {
        let h = if header.is_empty() {
            String::new()
        } else {
            format!(" ({})", visible(header))
        };
        format!(
            "{}, sheet \"{}\", cell {}{h}",
            visible(&self.file),
            visible(sheet),
            cell_name(row, col)
        )
    }

    /// An error at a place.
    pub fn error(&mut self, place: String, message: &str, help: Option<String>) {
        let mut d = Diagnostic::error(format!("{place}: {message}"), None, "");
        d.help = help;
        self.report.diagnostics.push(d);
    }

    /// A warning at a place.
    pub fn warn(&mut self, place: String, message: &str, help: Option<String>) {
        let mut d = Diagnostic::warning(format!("{place}: {message}"), None, "");
        d.help = help;
        self.report.diagnostics.push(d);
    }

    /// True when an error was found.
    pub fn failed(&self) -> bool {
        self.report.error_count() > 0
    }
}

/// A table with its definition and what each header stands for.
struct Sheet<'t> {
    def: &'static SheetDef,
    table: &'t Table,
    cols: Vec<Col>,
}

impl Sheet<'_> {
    fn at(&self, p: &Problems, row: u32, i: usize) -> String {
        let col = self.table.columns.get(i).copied().unwrap_or(0);
        p.at(&self.table.name, row, col, &self.table.header[i])
    }

    fn index(&self, field: &str) -> Option<usize> {
        self.cols
            .iter()
            .position(|c| matches!(c, Col::Known(k) if k.field == field && k.kind != Kind::CiteDetail && k.kind != Kind::YesNo))
    }
}

fn resolve_headers(table: &Table, def: &'static SheetDef, p: &mut Problems) -> Vec<Col> {
    let mut cols: Vec<Col> = Vec::new();
    for (i, h) in table.header.iter().enumerate() {
        let place = p.at(&table.name, table.header_row, table.columns[i], "");
        let col = if fold(h) == EXACT {
            Col::Exact
        } else if let Some(c) = column_named(def, h) {
            Col::Known(c)
        } else {
            let h = h.trim();
            Col::Extra(if h.starts_with("x-") {
                h.to_string()
            } else {
                format!("x-{}", fold(h).replace(' ', "-"))
            })
        };
        if cols.contains(&col) {
            p.error(
                place,
                &format!("the header \"{}\" is there twice", visible(h)),
                Some("keep one column of each name".into()),
            );
        }
        cols.push(col);
    }
    let has = |name: &str| table.header.iter().any(|h| fold(h) == name);
    if (def.name == "events" || def.name == "relations") && has("target") && !has("to") {
        p.error(
            p.at(&table.name, table.header_row, table.columns[0], ""),
            "this sheet has source and target columns: here an edge's ends are from and to",
            Some("rename target to to and the edge's source to from (Gephi's and Flourish's edge tables call them source and target; here source is a citation)".into()),
        );
    }
    cols
}

/// The sheets of a workbook by definition, warning about the others.
fn sheets<'t>(tables: &'t [Table], p: &mut Problems) -> Vec<Sheet<'t>> {
    let mut out: Vec<Sheet<'t>> = Vec::new();
    for t in tables {
        if t.name.trim_end().to_lowercase().ends_with("(ignore)") {
            continue;
        }
        let Some(def) = sheet_named(&t.name) else {
            p.warn(
                format!("{}, sheet \"{}\"", visible(&p.file), visible(&t.name)),
                "not a sheet grapevine reads; it was left out",
                Some(format!(
                    "the sheets are story, {}; end a sheet's name with (ignore) to keep notes",
                    SECTIONS
                        .iter()
                        .map(|s| s.name)
                        .collect::<Vec<_>>()
                        .join(", ")
                )),
            );
            continue;
        };
        if def.name == "readme" {
            continue;
        }
        if out.iter().any(|s| s.def.name == def.name) {
            p.error(
                format!("{}, sheet \"{}\"", visible(&p.file), visible(&t.name)),
                &format!("a second {} sheet", def.name),
                Some("merge the two sheets into one".into()),
            );
            continue;
        }
        let cols = resolve_headers(t, def, p);
        out.push(Sheet {
            def,
            table: t,
            cols,
        });
    }
    out
}

/// One record read: its fields and the row it came from.
struct Record {
    members: Vec<Member>,
    row: u32,
    from_cells: bool,
}

/// The citations of the `citations` sheet by claim id, in sheet order.
fn further_citations(
    sheet: Option<&Sheet>,
    p: &mut Problems,
) -> HashMap<String, Vec<(CiteCells, u32)>> {
    let mut by: HashMap<String, Vec<(CiteCells, u32)>> = HashMap::new();
    let Some(s) = sheet else { return by };
    for row in &s.table.rows {
        let mut claim = String::new();
        let mut c: CiteCells = Default::default();
        for (col, cell) in s.cols.iter().zip(&row.cells) {
            if let Col::Known(k) = col {
                match (k.header, k.kind) {
                    ("claim", _) => claim = cell.trim().to_string(),
                    (_, Kind::CiteSource) => c[0] = cell.clone(),
                    (_, Kind::CiteDetail) if k.field == "quote" => c[1] = cell.clone(),
                    (_, Kind::CiteDetail) => c[2] = cell.clone(),
                    (_, Kind::YesNo) => c[3] = cell.clone(),
                    _ => {}
                }
            }
        }
        if claim.is_empty() && c.iter().all(String::is_empty) {
            continue;
        }
        if claim.is_empty() || c[0].trim().is_empty() {
            p.error(
                s.at(p, row.at, 0),
                "a citation needs its claim and its source",
                Some(
                    "give the id of the event, holding, message or relation, and the source's id"
                        .into(),
                ),
            );
            continue;
        }
        by.entry(claim).or_default().push((c, row.at));
    }
    by
}

/// A section sheet's records: from `exact` when the cells agree with it,
/// else from the cells.
fn records(
    s: &Sheet,
    cites: &mut HashMap<String, Vec<(CiteCells, u32)>>,
    p: &mut Problems,
) -> Vec<Record> {
    let exact_at = s.cols.iter().position(|c| *c == Col::Exact);
    let id_at = s.index("id");
    let mut out = Vec::new();
    for row in &s.table.rows {
        if row.cells.iter().all(|c| c.trim().is_empty()) {
            continue;
        }
        let id = id_at
            .map(|i| row.cells[i].trim().to_string())
            .unwrap_or_default();
        let more: Vec<CiteCells> = if id.is_empty() {
            Vec::new()
        } else {
            cites
                .remove(&id)
                .unwrap_or_default()
                .into_iter()
                .map(|(c, _)| c)
                .collect()
        };
        let exact = exact_at
            .map(|i| row.cells[i].trim())
            .filter(|t| !t.is_empty());
        if let Some(text) = exact {
            match parse(text) {
                Ok(n) => {
                    if let Value::Object(m) = n.value {
                        let (cells, rest) = project(&m, &s.cols, !id.is_empty());
                        if same_cells(&cells, &row.cells_without(exact_at))
                            && rest.len() == more.len()
                            && rest.iter().zip(&more).all(|(a, b)| same_cells(a, b))
                        {
                            out.push(Record {
                                members: m,
                                row: row.at,
                                from_cells: false,
                            });
                            continue;
                        }
                    }
                    p.warn(
                        s.at(p, row.at, exact_at.unwrap_or(0)),
                        "the row was edited since export: its cells were read, not the exact column",
                        Some("clear the exact cell once the row is as you want it".into()),
                    );
                }
                Err(_) => p.warn(
                    s.at(p, row.at, exact_at.unwrap_or(0)),
                    "the exact column is not export's JSON; the cells were read",
                    Some("clear the exact cell".into()),
                ),
            }
        }
        out.push(Record {
            members: build(&s.cols, &row.cells, &more),
            row: row.at,
            from_cells: true,
        });
    }
    out
}

/// Cells equal up to what spreadsheet programs change on their own:
/// control characters other than line breaks (LibreOffice drops tabs
/// and carriage returns).
pub fn same_cells(a: &[String], b: &[String]) -> bool {
    a.len() == b.len() && a.iter().zip(b).all(|(x, y)| sturdy(x) == sturdy(y))
}

/// The text without the characters a spreadsheet program may drop.
pub fn sturdy(s: &str) -> String {
    s.chars()
        .filter(|c| *c == '\n' || !c.is_control())
        .collect()
}

trait Cells {
    fn cells_without(&self, exact: Option<usize>) -> Vec<String>;
}

impl Cells for super::book::Row {
    fn cells_without(&self, exact: Option<usize>) -> Vec<String> {
        self.cells
            .iter()
            .enumerate()
            .map(|(i, c)| {
                if Some(i) == exact {
                    String::new()
                } else {
                    c.clone()
                }
            })
            .collect()
    }
}

/// Names of entities: id, name and aliases to the id.
struct Names {
    ids: Vec<String>,
    all: Vec<(String, String)>,
}

impl Names {
    fn new(entities: &[Record]) -> Names {
        let mut ids = Vec::new();
        let mut all = Vec::new();
        for r in entities {
            let id = match get(&r.members, "id") {
                Some(Value::String(s)) => s.clone(),
                _ => continue,
            };
            for key in ["id", "name", "aliases"] {
                for n in strings(get(&r.members, key)) {
                    all.push((n.to_lowercase(), id.clone()));
                }
            }
            ids.push(id);
        }
        Names { ids, all }
    }

    fn resolve(&self, text: &str) -> Result<String, String> {
        if self.ids.iter().any(|i| i == text) {
            return Ok(text.to_string());
        }
        let t = text.to_lowercase();
        let mut hits: Vec<&String> = self
            .all
            .iter()
            .filter(|(n, _)| *n == t)
            .map(|(_, i)| i)
            .collect();
        hits.dedup();
        hits.sort();
        hits.dedup();
        match hits.as_slice() {
            [one] => Ok((*one).clone()),
            [] => {
                // The nearest name, said by its entity's id.
                let best = self
                    .all
                    .iter()
                    .map(|(n, id)| (suggest_distance(&t, n), id))
                    .filter(|(d, _)| *d <= 3.max(t.chars().count() / 3))
                    .min_by(|a, b| a.0.cmp(&b.0).then(a.1.cmp(b.1)));
                Err(match best {
                    Some((_, id)) => format!("did you mean {}?", visible(id)),
                    None => "no entity's id, name or alias is near it: add the entity to the entities sheet".into(),
                })
            }
            many => Err(format!(
                "could be any of {}: write the id",
                many.iter()
                    .map(|s| visible(s))
                    .collect::<Vec<_>>()
                    .join(", ")
            )),
        }
    }
}

fn strings(v: Option<&Value>) -> Vec<String> {
    match v {
        Some(Value::String(s)) => vec![s.clone()],
        Some(Value::Array(items)) => items
            .iter()
            .filter_map(|n| match &n.value {
                Value::String(s) => Some(s.clone()),
                _ => None,
            })
            .collect(),
        _ => Vec::new(),
    }
}

fn nearest<'a>(text: &str, names: impl Iterator<Item = &'a String>) -> String {
    let t = text.to_lowercase();
    let best = names
        .map(|n| (suggest_distance(&t, &n.to_lowercase()), n))
        .filter(|(d, _)| *d <= 3.max(t.chars().count() / 3))
        .min_by(|a, b| a.0.cmp(&b.0).then(a.1.cmp(b.1)));
    match best {
        Some((_, n)) => format!("did you mean {}?", visible(n)),
        None => "no name is near it".into(),
    }
}

/// The ids defined on one sheet.
fn ids_of(records: &[Record]) -> Vec<String> {
    records
        .iter()
        .filter_map(|r| match get(&r.members, "id") {
            Some(Value::String(s)) => Some(s.clone()),
            _ => None,
        })
        .collect()
}

mod check;
pub use check::from_tables;
