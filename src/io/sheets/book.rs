//! A story as tables of text cells, and back: the mapping every form of
//! the workbook (xlsx, ods, a folder of CSV files) shares.
//!
//! Export writes each record's plain cells; when reading those cells back
//! would not give the record exactly, the record also goes whole, as
//! compact JSON, in the last column, `exact`. Import takes `exact` only
//! when the plain cells are what export would write for it, so an edit in
//! the cells always wins.

use super::columns::{Column, Kind, SheetDef, EXACT, SECTIONS, STORY};
use crate::diagnostic::write_string;
use crate::io::json::{parse, Member, Node, Value};
use crate::model::Story;

/// A sheet of text cells.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Table {
    /// The tab's name.
    pub name: String,
    /// The header cells, left to right.
    pub header: Vec<String>,
    /// 0-based row of the header in the sheet.
    pub header_row: u32,
    /// 0-based sheet column of each header cell.
    pub columns: Vec<u32>,
    /// The rows under the header.
    pub rows: Vec<Row>,
}

/// One row of a [`Table`].
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Row {
    /// 0-based row in the sheet.
    pub at: u32,
    /// One text per header cell.
    pub cells: Vec<String>,
}

impl Table {
    /// A table with its header at the top left.
    pub fn new(name: &str, header: Vec<String>) -> Table {
        Table {
            name: name.to_string(),
            columns: (0..header.len() as u32).collect(),
            header,
            header_row: 0,
            rows: Vec::new(),
        }
    }

    /// Appends a row under the last.
    pub fn push(&mut self, cells: Vec<String>) {
        let at = self.header_row + 1 + self.rows.len() as u32;
        self.rows.push(Row { at, cells });
    }
}

/// What a header of a section sheet stands for.
#[derive(Debug, Clone, PartialEq)]
pub enum Col {
    /// A column of the table.
    Known(&'static Column),
    /// A field of the reporter's own (`x-notes`).
    Extra(String),
    /// The `exact` column.
    Exact,
}

/// A citation as four cells: source, passage, where, paraphrased.
pub type CiteCells = [String; 4];

pub(crate) fn node(value: Value) -> Node {
    Node { value, span: 0..0 }
}

pub(crate) fn member(key: &str, value: Value) -> Member {
    Member {
        key: key.to_string(),
        key_span: 0..0,
        node: node(value),
    }
}

/// The value of `key` in an object's members.
pub(crate) fn get<'a>(members: &'a [Member], key: &str) -> Option<&'a Value> {
    members.iter().find(|m| m.key == key).map(|m| &m.node.value)
}

fn is_known(def: &SheetDef, key: &str) -> bool {
    def.columns
        .iter()
        .any(|c| c.field == key && !matches!(c.kind, Kind::CiteDetail | Kind::YesNo))
}

/// Several values as one cell: `; ` between them, or a line break each
/// when one holds a `;`.
pub fn join(items: &[String]) -> String {
    if items.iter().any(|s| s.contains(';')) {
        items.join("\n")
    } else {
        items.join("; ")
    }
}

/// A cell's values: split on line breaks when it has one, else on `;`;
/// each trimmed, empty ones dropped.
pub fn split(cell: &str) -> Vec<String> {
    let parts: Vec<&str> = if cell.contains('\n') {
        cell.split('\n').collect()
    } else {
        cell.split(';').collect()
    };
    parts
        .into_iter()
        .map(|s| s.trim().to_string())
        .filter(|s| !s.is_empty())
        .collect()
}

fn text_of(v: Option<&Value>) -> String {
    match v {
        Some(Value::String(s)) => s.clone(),
        _ => String::new(),
    }
}

fn strings_of(v: Option<&Value>) -> Vec<String> {
    match v {
        Some(Value::Array(items)) => items.iter().map(|n| text_of(Some(&n.value))).collect(),
        Some(Value::String(s)) => vec![s.clone()],
        _ => Vec::new(),
    }
}

fn yes_no(v: Option<&Value>) -> String {
    match v {
        Some(Value::Bool(true)) => "yes".into(),
        Some(Value::Bool(false)) => "no".into(),
        _ => String::new(),
    }
}

fn cite_cells(v: &Value) -> CiteCells {
    match v {
        Value::Object(m) => [
            text_of(get(m, "source")),
            text_of(get(m, "quote")),
            text_of(get(m, "locator")),
            yes_no(get(m, "paraphrase")),
        ],
        other => [
            text_of(Some(other)),
            String::new(),
            String::new(),
            String::new(),
        ],
    }
}

/// A record's cells under `cols` and its further citations (for the
/// `citations` sheet; none when `own_rows` is false: the record has no id
/// that names it alone).
pub fn project(members: &[Member], cols: &[Col], own_rows: bool) -> (Vec<String>, Vec<CiteCells>) {
    let cites: Vec<&Value> = match get(members, "sources") {
        Some(Value::Array(items)) => items.iter().map(|n| &n.value).collect(),
        _ => Vec::new(),
    };
    // The row's own citations: one detailed, or the leading bare ones.
    let (row_cite, rest): (CiteCells, &[&Value]) = match cites.first() {
        Some(Value::Object(_)) => (cite_cells(cites[0]), &cites[1..]),
        _ => {
            let n = cites
                .iter()
                .take_while(|v| matches!(v, Value::String(_)))
                .count();
            let ids: Vec<String> = cites[..n].iter().map(|v| text_of(Some(v))).collect();
            (
                [join(&ids), String::new(), String::new(), String::new()],
                &cites[n..],
            )
        }
    };
    let cells = cols
        .iter()
        .map(|c| match c {
            Col::Exact => String::new(),
            Col::Extra(key) => text_of(get(members, key)),
            Col::Known(col) => match col.kind {
                Kind::Id | Kind::Text | Kind::Word | Kind::Time => text_of(get(members, col.field)),
                Kind::List | Kind::Ends => join(&strings_of(get(members, col.field))),
                Kind::CiteSource => row_cite[0].clone(),
                Kind::CiteDetail if col.field == "quote" => row_cite[1].clone(),
                Kind::CiteDetail => row_cite[2].clone(),
                Kind::YesNo => row_cite[3].clone(),
            },
        })
        .collect();
    let rest = if own_rows {
        rest.iter().map(|v| cite_cells(v)).collect()
    } else {
        Vec::new()
    };
    (cells, rest)
}

fn string(s: &str) -> Value {
    Value::String(s.to_string())
}

fn array(items: &[String]) -> Value {
    Value::Array(items.iter().map(|s| node(string(s))).collect())
}

/// A citation from its cells: a bare id, or an object with its detail.
pub fn citation(c: &CiteCells) -> Value {
    let source = c[0].trim();
    if c[1].is_empty() && c[2].is_empty() && c[3].trim().is_empty() {
        return string(source);
    }
    let mut m = vec![member("source", string(source))];
    if !c[1].is_empty() {
        m.push(member("quote", string(&c[1])));
    }
    if !c[2].is_empty() {
        m.push(member("locator", string(&c[2])));
    }
    match c[3].trim().to_lowercase().as_str() {
        "yes" | "true" => m.push(member("paraphrase", Value::Bool(true))),
        "no" | "false" => m.push(member("paraphrase", Value::Bool(false))),
        _ => {}
    }
    Value::Object(m)
}

/// A record from its cells and further citations, without checks (the
/// reader checks cells first; export uses this to see what needs `exact`).
pub fn build(cols: &[Col], cells: &[String], more: &[CiteCells]) -> Vec<Member> {
    let mut out = Vec::new();
    let mut row_cite: CiteCells = Default::default();
    let mut extras = Vec::new();
    for (c, cell) in cols.iter().zip(cells) {
        match c {
            Col::Exact => {}
            Col::Extra(key) if !cell.is_empty() => extras.push(member(key, string(cell))),
            Col::Extra(_) => {}
            Col::Known(col) => match col.kind {
                Kind::Id | Kind::Word | Kind::Time if !cell.trim().is_empty() => {
                    out.push(member(col.field, string(cell.trim())))
                }
                Kind::Text if !cell.is_empty() => out.push(member(col.field, string(cell))),
                Kind::List | Kind::Ends => {
                    let items = split(cell);
                    match items.len() {
                        0 => {}
                        1 if col.kind == Kind::Ends => {
                            out.push(member(col.field, string(&items[0])))
                        }
                        _ => out.push(member(col.field, array(&items))),
                    }
                }
                Kind::CiteSource => row_cite[0] = cell.clone(),
                Kind::CiteDetail if col.field == "quote" => row_cite[1] = cell.clone(),
                Kind::CiteDetail => row_cite[2] = cell.clone(),
                Kind::YesNo => row_cite[3] = cell.clone(),
                _ => {}
            },
        }
    }
    let mut cites: Vec<Node> = Vec::new();
    let detailed =
        !(row_cite[1].is_empty() && row_cite[2].is_empty() && row_cite[3].trim().is_empty());
    if detailed {
        cites.push(node(citation(&row_cite)));
    } else {
        cites.extend(split(&row_cite[0]).iter().map(|s| node(string(s))));
    }
    cites.extend(more.iter().map(|c| node(citation(c))));
    if !cites.is_empty() {
        out.push(member("sources", Value::Array(cites)));
    }
    out.extend(extras);
    out
}

/// Whether two records are the same story content: known fields by value,
/// unknown ones also in order (the canonical writer orders the known ones).
pub fn same_record(def: &SheetDef, a: &[Member], b: &[Member]) -> bool {
    let known = |m: &[Member]| {
        let mut k: Vec<(String, Value)> = m
            .iter()
            .filter(|x| is_known(def, &x.key))
            .map(|x| (x.key.clone(), x.node.value.clone()))
            .collect();
        k.sort_by(|x, y| x.0.cmp(&y.0));
        k
    };
    let extra = |m: &[Member]| -> Vec<Member> {
        m.iter()
            .filter(|x| !is_known(def, &x.key))
            .cloned()
            .collect()
    };
    known(a) == known(b) && extra(a) == extra(b)
}

/// A value as compact JSON.
pub fn compact(v: &Value, out: &mut String) {
    match v {
        Value::Null => out.push_str("null"),
        Value::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
        Value::Number(n) => out.push_str(n),
        Value::String(s) => write_string(out, s),
        Value::Array(items) => {
            out.push('[');
            for (i, n) in items.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                compact(&n.value, out);
            }
            out.push(']');
        }
        Value::Object(members) => {
            out.push('{');
            for (i, m) in members.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                write_string(out, &m.key);
                out.push(':');
                compact(&m.node.value, out);
            }
            out.push('}');
        }
    }
}

/// True when a spreadsheet program may change the text on its own
/// (LibreOffice drops tabs and carriage returns): the row then also goes
/// in `exact`.
pub fn fragile(s: &str) -> bool {
    s.chars().any(|c| c != '\n' && c.is_control())
}

/// The ids that name one claim only (events, holdings, messages and
/// relations share the `citations` sheet).
fn unique_claims(top: &[Member]) -> std::collections::HashMap<String, usize> {
    let mut seen = std::collections::HashMap::new();
    for key in ["events", "holdings", "messages", "relations"] {
        if let Some(Value::Array(items)) = get(top, key) {
            for n in items {
                if let Value::Object(m) = &n.value {
                    if let Some(Value::String(id)) = get(m, "id") {
                        *seen.entry(id.clone()).or_insert(0) += 1;
                    }
                }
            }
        }
    }
    seen
}

fn header_cols(def: &'static SheetDef, objects: &[&[Member]]) -> Vec<Col> {
    let mut cols: Vec<Col> = def.columns.iter().map(Col::Known).collect();
    let mut extra: Vec<String> = Vec::new();
    for m in objects {
        for x in m.iter() {
            if x.key.starts_with("x-")
                && matches!(x.node.value, Value::String(_))
                && !extra.contains(&x.key)
            {
                extra.push(x.key.clone());
            }
        }
    }
    cols.extend(extra.into_iter().map(Col::Extra));
    cols.push(Col::Exact);
    cols
}

/// The header cell of a column.
pub fn header_of(c: &Col) -> String {
    match c {
        Col::Known(col) => col.header.to_string(),
        Col::Extra(k) => k.clone(),
        Col::Exact => EXACT.to_string(),
    }
}

/// The story sheet: its settings, sections written `[]`, and fields of
/// the reporter's own as JSON.
fn story_table(top: &[Member]) -> Table {
    let mut header: Vec<String> = STORY.columns.iter().map(|c| c.header.to_string()).collect();
    header.push(EXACT.to_string());
    let mut t = Table::new(STORY.name, header);
    for m in top {
        let known = ["format", "title", "summary", "timezone"].contains(&m.key.as_str());
        let section = !m.key.is_empty() && SECTIONS.iter().any(|s| s.section == m.key);
        match (&m.node.value, known, section) {
            (Value::String(s), true, _) => {
                let mut exact = String::new();
                if fragile(s) || s.trim() != s {
                    compact(&m.node.value, &mut exact);
                }
                t.push(vec![m.key.clone(), s.clone(), exact])
            }
            (Value::Array(items), _, true) if items.is_empty() => {
                t.push(vec![m.key.clone(), "[]".into(), String::new()])
            }
            (_, _, true) => {}
            (v, _, _) => {
                let mut s = String::new();
                compact(v, &mut s);
                // A name a cell would not keep (blank, spaced, with
                // control characters) goes whole in `exact`.
                let mut exact = String::new();
                if m.key.trim() != m.key || m.key.is_empty() || fragile(&m.key) || fragile(&s) {
                    compact(&Value::Object(vec![m.clone()]), &mut exact);
                }
                t.push(vec![m.key.clone(), s, exact]);
            }
        }
    }
    t
}

/// The story as tables: story, then each section, with `citations`
/// (the readme is the writer's).
pub fn to_book(story: &Story) -> Vec<Table> {
    let text = crate::io::to_json(story);
    let top = match parse(&text) {
        Ok(Node {
            value: Value::Object(m),
            ..
        }) => m,
        _ => Vec::new(),
    };
    let claims = unique_claims(&top);
    let mut tables = vec![story_table(&top)];
    let cite_def = SECTIONS.iter().find(|s| s.name == "citations");
    let mut cite_table = Table::new(
        "citations",
        cite_def
            .map(|d| d.columns.iter().map(|c| c.header.to_string()).collect())
            .unwrap_or_default(),
    );
    for def in SECTIONS {
        if def.section.is_empty() {
            continue;
        }
        let objects: Vec<&[Member]> = match get(&top, def.section) {
            Some(Value::Array(items)) => items
                .iter()
                .filter_map(|n| match &n.value {
                    Value::Object(m) => Some(m.as_slice()),
                    _ => None,
                })
                .collect(),
            _ => Vec::new(),
        };
        let cols = header_cols(def, &objects);
        let mut t = Table::new(def.name, cols.iter().map(header_of).collect());
        for m in objects {
            let id = text_of(get(m, "id"));
            let own = !id.is_empty() && claims.get(&id) == Some(&1);
            let (mut cells, more) = project(m, &cols, own);
            let fragile = cells
                .iter()
                .chain(more.iter().flatten())
                .any(|c| fragile(c));
            if fragile || !same_record(def, &build(&cols, &cells, &more), m) {
                let mut s = String::new();
                compact(&Value::Object(m.to_vec()), &mut s);
                if let Some(last) = cells.last_mut() {
                    *last = s;
                }
            }
            for c in more {
                let [a, b, c2, d] = c;
                cite_table.push(vec![id.clone(), a, b, c2, d]);
            }
            t.push(cells);
        }
        tables.push(t);
    }
    // The citations sheet goes where the column table puts it.
    let at = SECTIONS
        .iter()
        .filter(|s| !s.section.is_empty())
        .take_while(|s| s.name != "markers")
        .count()
        + 1;
    tables.insert(at.min(tables.len()), cite_table);
    tables
}
