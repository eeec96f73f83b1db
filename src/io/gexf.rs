//! GEXF to a story: the reader behind `grapevine import FILE --from gexf`.
//!
//! Nodes are entities (the label their name; the attributes `kind`,
//! `aliases`, `tags`, `description`, `url` as [`export::gexf`]
//! writes them). Edges are contacts, grouped into one event by their
//! `event` attribute (an edge without one is an event of its own): a
//! directed edge from its source to its target, a `mutual` or `undirected`
//! one between both; edges whose `relation` attribute is true are
//! relations. A contact's time is its `time` attribute when it has one,
//! else its spell (or `start` and `end`) at its `precision`; its `after`
//! (a JSON list) the events it follows. A node's `holdings` (a JSON list
//! of objects with `id`, `message`, `certainty`, `time`, `summary`,
//! `quote`) are the entity's holdings, and its `messages` (a JSON list of
//! objects with `id`, `title`, `text`, `time`) the messages it is the
//! origin of. Every other attribute is kept as an
//! `x-gexf-TITLE` field and listed in a warning.
//!
//! [`export::gexf`]: super::export::gexf

use std::collections::{BTreeMap, HashMap};
use std::ops::Range;

use jiff::tz::TimeZone;
use jiff::Timestamp;

use super::export::{precision_of_word, prefix};
use super::json::Value;
use super::Imported;
use crate::diagnostic::{quote, Diagnostic, Report};
use crate::model::time::parse_timezone;
use crate::model::{
    Certainty, Entity, EntityKind, Event, Holding, Message, Parties, Precision, Relation, Story,
    TimeExpr, TimePoint,
};
use crate::Error;

use super::csv::{thousands, MAX_COLUMNS as MAX_FIELDS};

mod holdings;
mod times;

use times::{certainty, edge_time};

const NODE_READ: [&str; 8] = [
    "kind",
    "aliases",
    "tags",
    "description",
    "url",
    "colour",
    "holdings",
    "messages",
];
/// The fields of a holding in a node's `holdings` that are read (its dates
/// are read from `time`; the rest is kept as `x-gexf-` fields).
const HOLDING_READ: [&str; 9] = [
    "id",
    "message",
    "certainty",
    "time",
    "date_lo",
    "date_hi",
    "precision",
    "summary",
    "quote",
];
const EDGE_READ: [&str; 14] = [
    "event",
    "relation",
    "kind",
    "certainty",
    "time",
    "precision",
    "label",
    "quote",
    "summary",
    "carries",
    "relation_id",
    "mutual",
    "after",
    "holding",
];

/// One edge as read.
struct EdgeRead {
    span: Range<usize>,
    source: String,
    target: String,
    undirected: bool,
    /// Its event: its `event` attribute, else `edge-N` (N counts the
    /// edges); `-spellK` added for the Kth of several spells.
    key: String,
    atts: BTreeMap<String, String>,
    start: Option<String>,
    end: Option<String>,
}

fn s_string(v: &str) -> Value {
    Value::String(v.to_string())
}

/// Reads a GEXF file (1.1 to 1.3; `name` for messages).
pub fn read_gexf(name: &str, text: &str) -> Result<Imported, Error> {
    super::capped(read_gexf_all(name, text))
}

/// [`read_gexf`] with every problem.
fn read_gexf_all(name: &str, text: &str) -> Result<Imported, Error> {
    let mut report = Report::new(name, text);
    if let Some(d) = too_many_attributes(text) {
        report.diagnostics.push(d);
        return Err(Error::Invalid(Box::new(report)));
    }
    let doc = match roxmltree::Document::parse(text) {
        Ok(d) => d,
        Err(e) => {
            let pos = e.pos();
            let at = offset_of(text, pos.row as usize, pos.col as usize);
            report.diagnostics.push(
                Diagnostic::error(
                    format!("XML syntax: {e}"),
                    Some(at..(at + 1).min(text.len()).max(at)),
                    "here",
                )
                .with_help("a GEXF file is XML: check the file is complete and well formed"),
            );
            return Err(Error::Invalid(Box::new(report)));
        }
    };
    let Some(graph) = doc.descendants().find(|n| tag(n, "graph")) else {
        report.diagnostics.push(
            Diagnostic::error("the file has no <graph> element", None, "")
                .with_help("export the graph as GEXF from Gephi, or check the file"),
        );
        return Err(Error::Invalid(Box::new(report)));
    };
    let timezone = graph.attribute("timezone").map(str::to_string);
    let tz = match timezone.as_deref().map(parse_timezone) {
        None => TimeZone::UTC,
        Some(Ok(tz)) => tz,
        Some(Err(e)) => {
            report.diagnostics.push(
                Diagnostic::error(
                    format!("the graph's timezone: {}", e.message),
                    Some(graph.range()),
                    "this graph",
                )
                .with_help(e.help),
            );
            return Err(Error::Invalid(Box::new(report)));
        }
    };
    let mut reading = Reading {
        report,
        tz,
        titles: titles(graph),
        kept: BTreeMap::new(),
        story: Story {
            timezone,
            ..Story::default()
        },
        ids: HashMap::new(),
        messages: Vec::new(),
        origins: HashMap::new(),
        multi_spell: None,
        defined: Vec::new(),
    };
    reading.nodes(graph);
    let edges = reading.edges(graph);
    reading.contacts(&edges);
    reading.finish()
}

/// Attribute ids to titles, per class.
fn titles(graph: roxmltree::Node) -> HashMap<(String, String), String> {
    let mut titles: HashMap<(String, String), String> = HashMap::new();
    for a in graph.children().filter(|n| tag(n, "attributes")) {
        let class = a.attribute("class").unwrap_or("node").to_string();
        for at in a.children().filter(|n| tag(n, "attribute")) {
            if let Some(id) = at.attribute("id") {
                let title = at.attribute("title").unwrap_or(id).to_string();
                titles.insert((class.clone(), id.to_string()), title);
            }
        }
    }
    titles
}

/// A GEXF graph as it is read into a story.
struct Reading {
    report: Report,
    tz: TimeZone,
    /// Attribute ids to titles, per class.
    titles: HashMap<(String, String), String>,
    /// Attributes kept as `x-gexf-` fields: how often, and where first.
    kept: BTreeMap<String, (usize, Range<usize>)>,
    story: Story,
    /// Node ids, each where it is defined.
    ids: HashMap<String, Range<usize>>,
    /// Carried message ids, in order of first mention.
    messages: Vec<String>,
    /// Events, relations and holdings: where each was made from.
    origins: super::origin::Origins,
    /// Edges with several spells: how many, and the first.
    multi_spell: Option<(usize, Range<usize>)>,
    /// The messages the nodes' `messages` define, in node order.
    defined: Vec<Message>,
}

impl Reading {
    /// The attribute values of node or edge `n` of `class`, by title (at
    /// most [`MAX_FIELDS`], else an error and none).
    fn atts(&mut self, class: &str, n: roxmltree::Node) -> BTreeMap<String, String> {
        let mut out = BTreeMap::new();
        let values = || {
            n.children()
                .filter(|c| tag(c, "attvalues"))
                .flat_map(|c| c.children())
                .filter(|c| tag(c, "attvalue"))
        };
        let count = values().count();
        if count > MAX_FIELDS {
            self.report.diagnostics.push(
                Diagnostic::error(
                    format!(
                        "this {class} has {} attribute values; grapevine reads at most {}",
                        thousands(count as u64),
                        thousands(MAX_FIELDS as u64)
                    ),
                    Some(n.range().start..n.range().start + 1),
                    format!("this {class}"),
                )
                .with_help(
                    "a node or an edge has a few dozen attributes: check how the file was made",
                ),
            );
            return out;
        }
        for v in values() {
            let Some(key) = v.attribute("for").or_else(|| v.attribute("id")) else {
                continue;
            };
            let title = self
                .titles
                .get(&(class.to_string(), key.to_string()))
                .cloned()
                .unwrap_or_else(|| key.to_string());
            out.insert(title, v.attribute("value").unwrap_or("").to_string());
        }
        out
    }

    /// The attributes not in `read`, as `x-gexf-` fields (counted for the
    /// warning, `span` where they are).
    fn extra(
        &mut self,
        atts: &BTreeMap<String, String>,
        read: &[&str],
        span: &Range<usize>,
    ) -> Vec<(String, Value)> {
        let mut extra = Vec::new();
        for (k, v) in atts {
            if !read.contains(&k.as_str()) {
                let e = self.kept.entry(k.to_string()).or_insert((0, span.clone()));
                e.0 += 1;
                extra.push((format!("x-gexf-{k}"), s_string(v)));
            }
        }
        extra
    }

    /// Keeps the attribute `title` as an `x-gexf-` field (counted for the
    /// warning).
    fn keep(&mut self, title: &str, v: &str, span: &Range<usize>) -> (String, Value) {
        let e = self
            .kept
            .entry(title.to_string())
            .or_insert((0, span.clone()));
        e.0 += 1;
        (format!("x-gexf-{title}"), s_string(v))
    }

    /// The nodes, as entities.
    fn nodes(&mut self, graph: roxmltree::Node) {
        for n in graph.descendants().filter(|n| tag(n, "node")) {
            let sp = n.range();
            let Some(id) = n.attribute("id") else {
                self.report.diagnostics.push(
                    Diagnostic::error("a node has no id", Some(sp), "this node")
                        .with_help("give every node an id"),
                );
                continue;
            };
            if let Some(first) = self.ids.get(id) {
                self.report.diagnostics.push(
                    Diagnostic::error(
                        format!("the node id {} is used twice", quote(id)),
                        Some(sp.clone()),
                        "again here",
                    )
                    .with_related(first.clone(), "first here")
                    .with_help("give every node its own id"),
                );
                continue;
            }
            self.ids.insert(id.to_string(), sp.clone());
            let a = self.atts("node", n);
            let list = |k: &str| -> Vec<String> {
                a.get(k)
                    .map(|v| {
                        serde_json::from_str::<Vec<String>>(v).unwrap_or_else(|_| vec![v.clone()])
                    })
                    .unwrap_or_default()
            };
            let kind = a.get("kind").map(|k| {
                EntityKind::parse(k)
                    .map_or("other", EntityKind::as_str)
                    .to_string()
            });
            let mut extra = self.extra(&a, &NODE_READ, &sp);
            if let Some(text) = a.get("holdings") {
                match self.holdings(id, text, &sp) {
                    Some(hs) => self.story.holdings.extend(hs),
                    None => extra.push(self.keep("holdings", text, &sp)),
                }
            }
            if let Some(text) = a.get("messages") {
                match self.originated(id, text, &sp) {
                    Some(ms) => self.defined.extend(ms),
                    None => extra.push(self.keep("messages", text, &sp)),
                }
            }
            self.story.entities.push(Entity {
                id: id.to_string(),
                name: n.attribute("label").unwrap_or(id).to_string(),
                kind,
                aliases: list("aliases"),
                description: a.get("description").cloned(),
                tags: list("tags"),
                url: a.get("url").cloned(),
                extra,
                empty: Default::default(),
            });
        }
    }

    /// The edges with both ends (an end the file does not define is an
    /// error).
    fn edges(&mut self, graph: roxmltree::Node) -> Vec<EdgeRead> {
        let default_undirected = graph.attribute("defaultedgetype") == Some("undirected");
        let mut edges: Vec<EdgeRead> = Vec::new();
        let mut n = 0usize;
        for e in graph.descendants().filter(|n| tag(n, "edge")) {
            let sp = e.range();
            let (Some(s), Some(t)) = (e.attribute("source"), e.attribute("target")) else {
                self.report.diagnostics.push(
                    Diagnostic::error("an edge has no source or no target", Some(sp), "this edge")
                        .with_help("every edge needs both"),
                );
                continue;
            };
            for end in [s, t] {
                if !self.ids.contains_key(end) {
                    self.report.diagnostics.push(
                        Diagnostic::error(
                            format!(
                                "the edge names the node {}, which the file does not define",
                                quote(end)
                            ),
                            Some(sp.clone()),
                            "this edge",
                        )
                        .with_help("add the node, or remove the edge"),
                    );
                }
            }
            let ty = e.attribute("type");
            let undirected = matches!(ty, Some("mutual") | Some("undirected"))
                || (ty.is_none() && default_undirected);
            let mut atts = self.atts("edge", e);
            // A weight has no grapevine field: kept as x-gexf-weight (and
            // listed) like any attribute.
            if let Some(w) = e.attribute("weight") {
                atts.entry("weight".to_string())
                    .or_insert_with(|| w.to_string());
            }
            let key = atts
                .get("event")
                .cloned()
                .unwrap_or_else(|| format!("edge-{n}"));
            n += 1;
            let spells: Vec<roxmltree::Node> =
                e.descendants().filter(|c| tag(c, "spell")).collect();
            if spells.len() > 1 {
                let first = self.multi_spell.get_or_insert((0, sp.clone()));
                first.0 += 1;
            }
            let one = [e];
            let spells = if spells.is_empty() {
                &one[..]
            } else {
                &spells[..]
            };
            for (j, spell) in spells.iter().enumerate() {
                edges.push(EdgeRead {
                    span: sp.clone(),
                    source: s.to_string(),
                    target: t.to_string(),
                    undirected,
                    key: if spells.len() > 1 {
                        format!("{key}-spell{}", j + 1)
                    } else {
                        key.clone()
                    },
                    atts: atts.clone(),
                    start: spell.attribute("start").map(str::to_string),
                    end: spell.attribute("end").map(str::to_string),
                });
            }
        }
        edges
    }

    /// The edges as relations, and as events grouped by their `event`
    /// attribute, in file order.
    fn contacts(&mut self, edges: &[EdgeRead]) {
        let mut order: Vec<String> = Vec::new();
        let mut groups: HashMap<String, Vec<usize>> = HashMap::new();
        for (i, e) in edges.iter().enumerate() {
            // A holding's edge: the holding itself is read from its node.
            if e.atts.contains_key("holding") {
                continue;
            }
            if e.atts.get("relation").map(String::as_str) == Some("true") {
                self.relation(e);
                continue;
            }
            let key = e.key.clone();
            if !groups.contains_key(&key) {
                order.push(key.clone());
            }
            groups.entry(key).or_default().push(i);
        }
        for key in order {
            let members: Vec<&EdgeRead> = groups[&key].iter().map(|&i| &edges[i]).collect();
            self.event(key, &members);
        }
    }

    /// A relation edge.
    fn relation(&mut self, e: &EdgeRead) {
        let time = edge_time(&mut self.report, e, &self.tz);
        let extra = self.extra(&e.atts, &EDGE_READ, &e.span);
        if let Some(id) = e.atts.get("relation_id") {
            self.origins
                .entry(id.clone())
                .or_insert_with(|| e.span.clone());
        }
        self.story.relations.push(Relation {
            id: e.atts.get("relation_id").cloned(),
            kind: e.atts.get("kind").cloned(),
            from: e.source.clone(),
            to: e.target.clone(),
            label: e.atts.get("label").cloned(),
            time,
            certainty: certainty(&mut self.report, e),
            sources: Vec::new(),
            extra,
            empty: Default::default(),
        });
    }

    /// The event `key` of the edges `members` (its details from the first).
    fn event(&mut self, key: String, members: &[&EdgeRead]) {
        let first = members[0];
        let Some(parties) = self.parties(&key, members) else {
            return;
        };
        let list = |k: &str| -> Vec<String> {
            first
                .atts
                .get(k)
                .map(|v| serde_json::from_str::<Vec<String>>(v).unwrap_or_else(|_| vec![v.clone()]))
                .unwrap_or_default()
        };
        let (carries, after) = (list("carries"), list("after"));
        for c in &carries {
            if !self.messages.contains(c) {
                self.messages.push(c.clone());
            }
        }
        let extra = self.extra(&first.atts, &EDGE_READ, &first.span);
        self.origins
            .entry(key.clone())
            .or_insert_with(|| first.span.clone());
        self.story.events.push(Event {
            id: key.clone(),
            kind: first.atts.get("kind").cloned(),
            parties,
            time: edge_time(&mut self.report, first, &self.tz),
            certainty: certainty(&mut self.report, first),
            carries,
            summary: first.atts.get("summary").cloned(),
            quote: first.atts.get("quote").cloned(),
            sources: Vec::new(),
            extra,
            empty: Default::default(),
            after,
            ordered: None,
        });
    }

    /// The parties of the event `key` of the edges `members`: all mutual, or
    /// all directed from one source (else an error, and none).
    fn parties(&mut self, key: &str, members: &[&EdgeRead]) -> Option<Parties> {
        let first = members[0];
        let undirected = first.undirected;
        if members.iter().any(|e| e.undirected != undirected) {
            self.report.diagnostics.push(
                Diagnostic::error(
                    format!(
                        "the edges of the event {} are partly directed and partly not",
                        quote(key)
                    ),
                    Some(first.span.clone()),
                    "first edge",
                )
                .with_help("an event is either directed (one sender) or mutual"),
            );
            return None;
        }
        if undirected {
            let mut ps: Vec<String> = Vec::new();
            for e in members {
                for p in [&e.source, &e.target] {
                    if !ps.contains(p) {
                        ps.push(p.clone());
                    }
                }
            }
            return Some(Parties::Mutual { participants: ps });
        }
        if let Some(e) = members.iter().find(|e| e.source != first.source) {
            self.report.diagnostics.push(
                Diagnostic::error(
                    format!(
                        "the directed edges of the event {} have different sources",
                        quote(key)
                    ),
                    Some(e.span.clone()),
                    "this edge",
                )
                .with_related(first.span.clone(), "first edge")
                .with_help("a directed event has one sender: give the edges their own event ids"),
            );
            return None;
        }
        let to: Vec<String> = members.iter().map(|e| e.target.clone()).collect();
        Some(Parties::Directed {
            from: first.source.clone(),
            to_is_array: to.len() > 1,
            to,
        })
    }

    /// The story, with its carried messages and the warnings for them and
    /// for the attributes kept; an error when some part was bad.
    fn finish(self) -> Result<Imported, Error> {
        let Reading {
            mut report,
            kept,
            mut story,
            messages,
            ids,
            mut origins,
            multi_spell,
            defined,
            ..
        } = self;
        if let Some((n, sp)) = multi_spell {
            report.diagnostics.push(Diagnostic::warning(
                format!(
                    "{n} edge{} with several spells: each spell read as an event of its own (ids EVENT-spell1, EVENT-spell2, ...)",
                    if n == 1 { "" } else { "s" }
                ),
                Some(sp),
                "first here",
            ));
        }
        let defined_ids: std::collections::HashSet<&str> =
            defined.iter().map(|m| m.id.as_str()).collect();
        let stubs: Vec<String> = messages
            .into_iter()
            .filter(|id| !defined_ids.contains(id.as_str()))
            .collect();
        if !stubs.is_empty() {
            report.diagnostics.push(Diagnostic::warning(
                format!(
                    "{} carried message{} read with only an id (the file does not define {})",
                    stubs.len(),
                    if stubs.len() == 1 { "" } else { "s" },
                    if stubs.len() == 1 { "it" } else { "them" }
                ),
                None,
                "",
            ));
        }
        story.messages = defined;
        story.messages.extend(stubs.into_iter().map(|id| Message {
            id,
            ..Message::default()
        }));
        let more = kept.len().saturating_sub(super::ftm::MAX_KEPT_SHOWN);
        if more > 0 {
            report.diagnostics.push(Diagnostic::warning(
                format!(
                    "and {} more attributes with no grapevine field, kept as x-gexf- fields",
                    thousands(more as u64)
                ),
                None,
                "",
            ));
        }
        for (title, (n, sp)) in kept.into_iter().take(super::ftm::MAX_KEPT_SHOWN) {
            report.diagnostics.push(Diagnostic::warning(
                format!(
                    "the attribute {} has no grapevine field: kept as x-gexf-{title} ({n} time{})",
                    quote(&title),
                    if n == 1 { "" } else { "s" }
                ),
                Some(sp),
                "first here",
            ));
        }
        if report.error_count() > 0 {
            report.sort();
            return Err(Error::Invalid(Box::new(report)));
        }
        report.sort();
        for (id, span) in ids {
            origins.entry(id).or_insert(span);
        }
        super::finish(story, report, &origins)
    }
}

/// The byte offset of a 1-based row and column.
fn offset_of(text: &str, row: usize, col: usize) -> usize {
    let mut off = 0;
    for (i, line) in text.split_inclusive('\n').enumerate() {
        if i + 1 == row {
            let within: usize = line
                .chars()
                .take(col.saturating_sub(1))
                .map(char::len_utf8)
                .sum();
            return off + within;
        }
        off += line.len();
    }
    text.len()
}

/// True for an element of this local name, whatever its namespace.
fn tag(n: &roxmltree::Node, name: &str) -> bool {
    n.is_element() && n.tag_name().name() == name
}

/// An element with more than [`MAX_FIELDS`] XML attributes, as an error
/// (the XML parser checks each attribute against the element's others:
/// quadratic work). A linear scan of the tags: a `<` that opens a tag,
/// then `=` outside quotes until its `>`.
fn too_many_attributes(text: &str) -> Option<Diagnostic> {
    let bytes = text.as_bytes();
    let mut i = 0;
    while let Some(p) = memchr::memchr(b'<', &bytes[i..]) {
        let start = i + p;
        i = start + 1;
        if matches!(bytes.get(i), Some(b'!' | b'?' | b'/')) {
            continue;
        }
        let mut count = 0usize;
        let mut quote: Option<u8> = None;
        while let Some(&b) = bytes.get(i) {
            match (quote, b) {
                (Some(q), _) if b == q => quote = None,
                (Some(_), _) => {}
                (None, b'"' | b'\'') => quote = Some(b),
                (None, b'=') => count += 1,
                (None, b'>' | b'<') => break,
                _ => {}
            }
            i += 1;
        }
        if count > MAX_FIELDS {
            return Some(
                Diagnostic::error(
                    format!(
                        "an element with {} XML attributes; grapevine reads at most {}",
                        thousands(count as u64),
                        thousands(MAX_FIELDS as u64)
                    ),
                    Some(start..start + 1),
                    "this element",
                )
                .with_help("a GEXF element has a few attributes: check how the file was made"),
            );
        }
    }
    None
}
