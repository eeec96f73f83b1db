//! Exports to the formats newsrooms' tools read: FollowTheMoney JSONL, GEXF
//! 1.3 (dynamic), GraphML, Cytoscape.js JSON, Mermaid, a Cypher script and
//! Neo4j bulk-import CSVs. Each writes from any [`Catalog`] (a story or a CSV
//! corpus) and says what the format cannot hold: a [`LossReport`].
//!
//! `docs/interchange.md` has the mapping table of every format.

pub mod cypher;
pub mod cytoscape;
pub mod ftm;
pub mod gexf;
pub mod graphml;
pub mod mermaid;
pub mod parts;

mod dates;
mod links;

pub use dates::{
    parse_prefix, precision_of_word, precision_word, prefix, prefix_holding, DateColumns,
};
pub(crate) use links::{graph_losses, links, EdgeIds, Link};

use std::fmt;

use serde::Serialize;

use crate::catalog::Catalog;
use crate::escape::{xml_forbidden, xml_replacing};
use crate::model::{Citation, EntityKind};
use crate::Error;

/// The formats `grapevine export` writes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
#[cfg_attr(feature = "cli", derive(clap::ValueEnum))]
pub enum ExportFormat {
    /// FollowTheMoney entities, one JSON object a line (Aleph, `ftm`).
    #[cfg_attr(
        feature = "cli",
        value(help = "FollowTheMoney entities, one JSON object a line (Aleph, ftm)")
    )]
    Ftm,
    /// GEXF 1.3, dynamic (Gephi, Gephi Lite, networkx).
    #[cfg_attr(
        feature = "cli",
        value(help = "GEXF 1.3 with time (Gephi, Gephi Lite, networkx)")
    )]
    Gexf,
    /// GraphML (networkx, igraph, yEd, Cytoscape desktop).
    #[cfg_attr(feature = "cli", value(help = "GraphML (networkx, igraph, yEd)"))]
    Graphml,
    /// Cytoscape.js elements JSON.
    #[cfg_attr(feature = "cli", value(help = "Cytoscape.js elements JSON"))]
    Cytoscape,
    /// A Mermaid flowchart.
    #[cfg_attr(feature = "cli", value(help = "Mermaid flowchart (at most 500 edges)"))]
    Mermaid,
    /// A Cypher script of CREATE statements (Neo4j, FalkorDB, Memgraph).
    #[cfg_attr(
        feature = "cli",
        value(help = "Cypher script of CREATE statements (Neo4j, FalkorDB, Memgraph)")
    )]
    Cypher,
    /// CSV files for `neo4j-admin database import full`.
    #[cfg_attr(
        feature = "cli",
        value(help = "CSV files for neo4j-admin database import full")
    )]
    Neo4jCsv,
    /// The claims workbook (`.xlsx`): the story in sheets, read back without loss.
    #[cfg_attr(
        feature = "cli",
        value(
            help = "the claims workbook (.xlsx): the story in sheets, imported back without loss"
        )
    )]
    Xlsx,
    /// The claims workbook as CSV files, one a sheet (Google Sheets).
    #[cfg_attr(
        feature = "cli",
        value(help = "the claims workbook as a folder of CSV files, one a sheet (Google Sheets)")
    )]
    Sheets,
    /// The tables a Spark job reads (feature `parquet`; `docs/scale.md`).
    #[cfg(feature = "parquet")]
    #[cfg_attr(
        feature = "cli",
        value(help = "Parquet tables for the Spark job spark/grapevine_reach.py (docs/scale.md)")
    )]
    Parquet,
}

impl ExportFormat {
    /// Every graph format (not the claims workbook, [`ExportFormat::Xlsx`]
    /// and [`ExportFormat::Sheets`], which is the story itself in sheets).
    pub const ALL: [ExportFormat; 7] = [
        ExportFormat::Ftm,
        ExportFormat::Gexf,
        ExportFormat::Graphml,
        ExportFormat::Cytoscape,
        ExportFormat::Mermaid,
        ExportFormat::Cypher,
        ExportFormat::Neo4jCsv,
    ];

    /// The name on the command line (`--to`).
    pub fn name(self) -> &'static str {
        match self {
            ExportFormat::Ftm => "ftm",
            ExportFormat::Gexf => "gexf",
            ExportFormat::Graphml => "graphml",
            ExportFormat::Cytoscape => "cytoscape",
            ExportFormat::Mermaid => "mermaid",
            ExportFormat::Cypher => "cypher",
            ExportFormat::Neo4jCsv => "neo4j-csv",
            ExportFormat::Xlsx => "xlsx",
            ExportFormat::Sheets => "sheets",
            #[cfg(feature = "parquet")]
            ExportFormat::Parquet => "parquet",
        }
    }

    /// The name people know the format by, at the start of a loss report.
    pub fn title(self) -> &'static str {
        match self {
            ExportFormat::Ftm => "FtM",
            ExportFormat::Gexf => "GEXF",
            ExportFormat::Graphml => "GraphML",
            ExportFormat::Cytoscape => "Cytoscape.js",
            ExportFormat::Mermaid => "Mermaid",
            ExportFormat::Cypher => "Cypher",
            ExportFormat::Neo4jCsv => "Neo4j CSV",
            ExportFormat::Xlsx => "claims workbook",
            ExportFormat::Sheets => "claims workbook (CSV)",
            #[cfg(feature = "parquet")]
            ExportFormat::Parquet => "Parquet",
        }
    }
}

/// One kind of loss: what did not survive, how often.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Loss {
    /// A stable code (`interval-to-start`), for scripts and tests.
    pub code: &'static str,
    /// How many things it concerns.
    pub count: usize,
    /// The sentence for people (`7 interval dates reduced to their start`).
    pub text: String,
}

/// What an export could not keep, kind by kind, in the order first met.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct LossReport {
    /// The format written.
    pub format: ExportFormat,
    /// The losses; empty when the format kept everything.
    pub losses: Vec<Loss>,
    #[serde(skip)]
    templates: Vec<&'static str>,
}

impl LossReport {
    /// An empty report for `format`.
    pub fn new(format: ExportFormat) -> LossReport {
        LossReport {
            format,
            losses: Vec::new(),
            templates: Vec::new(),
        }
    }

    /// Counts one more of `code`. `template` is the sentence, with `{n}`
    /// for the count and `{s}` for a plural `s` (written once per code).
    pub fn add(&mut self, code: &'static str, template: &'static str) {
        self.add_n(code, 1, template);
    }

    /// Counts `n` more of `code` (nothing when `n` is 0).
    pub fn add_n(&mut self, code: &'static str, n: usize, template: &'static str) {
        if n == 0 {
            return;
        }
        match self.losses.iter().position(|l| l.code == code) {
            Some(i) => {
                self.losses[i].count += n;
                self.losses[i].text = fill(self.templates[i], self.losses[i].count);
            }
            None => {
                self.losses.push(Loss {
                    code,
                    count: n,
                    text: fill(template, n),
                });
                self.templates.push(template);
            }
        }
    }

    /// The count of `code` (0 when absent).
    pub fn count(&self, code: &str) -> usize {
        self.losses
            .iter()
            .find(|l| l.code == code)
            .map_or(0, |l| l.count)
    }

    /// True when nothing was lost.
    pub fn is_empty(&self) -> bool {
        self.losses.is_empty()
    }
}

fn fill(template: &str, n: usize) -> String {
    template
        .replace("{n}", &n.to_string())
        .replace("{s}", if n == 1 { "" } else { "s" })
}

impl fmt::Display for LossReport {
    /// `FtM: 7 interval dates reduced to their start, 26 quotes moved to
    /// notes`, or `GEXF: nothing lost`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: ", self.format.title())?;
        if self.losses.is_empty() {
            return f.write_str("nothing lost");
        }
        let texts: Vec<&str> = self.losses.iter().map(|l| l.text.as_str()).collect();
        f.write_str(&texts.join(", "))
    }
}

/// One file an export writes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExportFile {
    /// The file's name inside the output folder (`entities.csv`); empty for
    /// the one file of a single-file format.
    pub name: String,
    /// Its bytes.
    pub bytes: Vec<u8>,
}

/// What an export made: its files and its loss report.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Exported {
    /// One file, or several for [`ExportFormat::Neo4jCsv`].
    pub files: Vec<ExportFile>,
    /// What the format could not keep.
    pub loss: LossReport,
}

impl Exported {
    fn single(bytes: Vec<u8>, loss: LossReport) -> Exported {
        Exported {
            files: vec![ExportFile {
                name: String::new(),
                bytes,
            }],
            loss,
        }
    }
}

/// Writes the catalogue in `format`; `summary` is the story's summary (a
/// catalogue does not hold it).
///
/// Fails only where a format cannot hold the input at all: a Mermaid
/// flowchart of more than [`mermaid::MAX_EDGES`] edges.
pub fn export(
    catalog: &dyn Catalog,
    format: ExportFormat,
    summary: Option<&str>,
) -> Result<Exported, Error> {
    Ok(match format {
        ExportFormat::Ftm => ftm::export(catalog, summary),
        ExportFormat::Gexf => gexf::export(catalog, summary),
        ExportFormat::Graphml => graphml::export(catalog),
        ExportFormat::Cytoscape => cytoscape::export(catalog),
        ExportFormat::Mermaid => mermaid::export(catalog)?,
        ExportFormat::Cypher => cypher::export_script(catalog),
        ExportFormat::Neo4jCsv => cypher::export_csv(catalog),
        ExportFormat::Xlsx | ExportFormat::Sheets => sheets(&catalog.excerpt(None, None), format)?,
        #[cfg(feature = "parquet")]
        ExportFormat::Parquet => crate::io::parquet::export(catalog)?,
    })
}

/// A story as the claims workbook: `.xlsx`, or CSV files one a sheet.
/// Nothing is lost (`docs/sheets.md`); a cell longer than a spreadsheet
/// holds is an error naming it.
pub fn sheets(story: &crate::model::Story, format: ExportFormat) -> Result<Exported, Error> {
    let loss = LossReport::new(format);
    if format == ExportFormat::Sheets {
        return Ok(Exported {
            files: crate::io::sheets::to_csv_files(story),
            loss,
        });
    }
    match crate::io::sheets::to_xlsx(story) {
        Ok(bytes) => Ok(Exported::single(bytes, loss)),
        Err(e) => {
            let mut report = crate::diagnostic::Report::new("workbook", "");
            report
                .diagnostics
                .push(crate::diagnostic::Diagnostic::error(
                    e.to_string(),
                    None,
                    "",
                ));
            Err(Error::Invalid(Box::new(report)))
        }
    }
}

// ---- What the formats share.

/// The colour of an entity kind: the outline colour of the diagrams
/// (Okabe–Ito, as `render::style::kind_style` draws it; a test keeps the
/// two equal).
pub fn kind_colour(kind: EntityKind) -> &'static str {
    match kind {
        EntityKind::Person => "#0072B2",
        EntityKind::Organisation => "#D55E00",
        EntityKind::Group => "#009E73",
        EntityKind::Other => "#000000",
    }
}

/// `#0072B2` as `(0, 114, 178)`.
pub(crate) fn rgb(hex: &str) -> (u8, u8, u8) {
    let h = hex.trim_start_matches('#');
    let byte = |i: usize| {
        h.get(i..i + 2)
            .and_then(|s| u8::from_str_radix(s, 16).ok())
            .unwrap_or(0)
    };
    (byte(0), byte(2), byte(4))
}

/// An XML writer's text escaping with its losses counted.
#[derive(Debug, Default)]
pub(crate) struct XmlText {
    /// Texts in which a character was replaced.
    pub replaced: usize,
}

impl XmlText {
    /// Escapes `s` (see [`xml_replacing`]), counting a replacement.
    pub fn esc(&mut self, s: &str) -> String {
        let (text, replaced) = xml_replacing(s);
        if replaced {
            self.replaced += 1;
        }
        text
    }

    /// `s` with what XML cannot hold replaced (not escaped), counting a
    /// replacement: for text that is encoded further (JSON lists).
    pub fn fix(&mut self, s: &str) -> String {
        if !s.chars().any(xml_forbidden) {
            return s.to_string();
        }
        self.replaced += 1;
        s.chars()
            .map(|c| if xml_forbidden(c) { '\u{fffd}' } else { c })
            .collect()
    }

    /// Every string in `v` with what XML cannot hold replaced (see
    /// [`XmlText::fix`]): for JSON written into an attribute.
    pub fn fix_value(&mut self, v: &mut serde_json::Value) {
        match v {
            serde_json::Value::String(t) => *t = self.fix(t),
            serde_json::Value::Array(a) => a.iter_mut().for_each(|v| self.fix_value(v)),
            serde_json::Value::Object(o) => o.values_mut().for_each(|v| self.fix_value(v)),
            _ => {}
        }
    }

    /// Adds the count to `loss`.
    pub fn report(&self, loss: &mut LossReport) {
        loss.add_n(
            "xml-characters",
            self.replaced,
            "{n} text{s} with control characters XML cannot hold (replaced by U+FFFD)",
        );
    }
}

/// The attributes the graph exports (GEXF, GraphML) write for a contact
/// after its event id: kind, certainty, quote, summary, the messages it
/// carries and the events it follows (`after`) as JSON lists, and its
/// sources (as text).
pub(crate) fn contact_attributes(
    catalog: &dyn Catalog,
    ev: &crate::model::Event,
    atts: &mut Vec<(&str, String)>,
) {
    atts.push(("kind", ev.kind().to_string()));
    atts.push(("certainty", ev.certainty().to_string()));
    if let Some(q) = &ev.quote {
        atts.push(("quote", q.clone()));
    }
    if let Some(q) = &ev.summary {
        atts.push(("summary", q.clone()));
    }
    if !ev.carries.is_empty() {
        atts.push((
            "carries",
            serde_json::to_string(&ev.carries).unwrap_or_default(),
        ));
    }
    if !ev.after.is_empty() {
        atts.push((
            "after",
            serde_json::to_string(&ev.after).unwrap_or_default(),
        ));
    }
    if !ev.sources.is_empty() {
        atts.push(("sources", citations_text(catalog, &ev.sources)));
    }
}

/// The attributes the graph exports (GEXF, GraphML) write for a relation
/// after its `relation` (and `mutual`) flags: id, kind, certainty, label and
/// its sources (as text).
pub(crate) fn relation_attributes(
    catalog: &dyn Catalog,
    r: &crate::model::Relation,
    atts: &mut Vec<(&str, String)>,
) {
    if let Some(id) = &r.id {
        atts.push(("relation_id", id.clone()));
    }
    if let Some(k) = &r.kind {
        atts.push(("kind", k.clone()));
    }
    if let Some(c) = r.certainty {
        atts.push(("certainty", c.to_string()));
    }
    if let Some(l) = &r.label {
        atts.push(("label", l.clone()));
    }
    if !r.sources.is_empty() {
        atts.push(("sources", citations_text(catalog, &r.sources)));
    }
}

/// How a citations text starts a paraphrase (a quote in the author's
/// words, not the source's), which is never put in quotation marks.
pub const PARAPHRASE: &str = "in the author's words: ";

/// The citations as one text: each quote in curly quotes (a paraphrase
/// after [`PARAPHRASE`] instead) with its source's publisher, title and
/// locator, one a line.
pub(crate) fn citations_text(catalog: &dyn Catalog, cites: &[Citation]) -> String {
    let mut lines = Vec::new();
    for c in cites {
        let src = catalog.sources().iter().find(|s| s.id == c.source());
        let mut who: Vec<&str> = Vec::new();
        if let Some(s) = src {
            who.extend(s.publisher.as_deref());
            who.extend(s.title.as_deref());
        } else {
            who.push(c.source());
        }
        let mut line = String::new();
        match c.quote() {
            // A paraphrase is the author's wording: never in quotation marks.
            Some(q) if c.is_paraphrase() => {
                line.push_str(PARAPHRASE);
                line.push_str(q);
                line.push_str(" — ");
            }
            Some(q) => {
                line.push('“');
                line.push_str(q);
                line.push('”');
                line.push_str(" — ");
            }
            None => {}
        }
        line.push_str(&who.join(", "));
        if let Citation::Full {
            locator: Some(l), ..
        } = c
        {
            line.push_str(&format!(" ({l})"));
        }
        lines.push(line);
    }
    lines.join("\n")
}

/// The URLs of the cited sources, without repeats, in citation order.
pub(crate) fn source_urls(catalog: &dyn Catalog, cites: &[Citation]) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for c in cites {
        if let Some(u) = catalog
            .sources()
            .iter()
            .find(|s| s.id == c.source())
            .and_then(|s| s.url.clone())
        {
            if !out.contains(&u) {
                out.push(u);
            }
        }
    }
    out
}

/// Counts the quotes of citations.
pub(crate) fn quote_count(cites: &[Citation]) -> usize {
    cites.iter().filter(|c| c.quote().is_some()).count()
}

#[cfg(test)]
mod tests {
    use super::{rgb, ExportFormat, LossReport};

    #[test]
    fn report_counts_and_words() {
        let mut r = LossReport::new(ExportFormat::Ftm);
        assert_eq!(r.to_string(), "FtM: nothing lost");
        r.add("q", "{n} quote{s} moved to notes");
        assert_eq!(r.to_string(), "FtM: 1 quote moved to notes");
        r.add_n("q", 25, "unused");
        r.add("c", "certainty kept as a keyword");
        assert_eq!(
            r.to_string(),
            "FtM: 26 quotes moved to notes, certainty kept as a keyword"
        );
        assert_eq!(r.count("q"), 26);
    }

    #[test]
    fn colours() {
        assert_eq!(rgb("#0072B2"), (0, 114, 178));
    }
}
