//! Cypher: a script of `CREATE` statements, one a line, for Neo4j 5,
//! FalkorDB, Memgraph (`cypher-shell < story.cypher`), and the CSV files
//! of `neo4j-admin database import full`.
//!
//! Entities are `:Entity` nodes with a second label for their kind
//! (`:Person`, `:Organisation`, `:Group`, `:Other`); traced messages are
//! `:Message` nodes, linked from their origin by `ORIGIN_OF`. A contact is
//! a relationship per receiver typed by its kind (`FORWARD`, `MEETING`;
//! any other kind `OTHER`), a mutual contact one per pair with `mutual:
//! true` and `after` the events it follows; a relation is typed by its
//! kind in capitals (`MEMBER_OF`). A holding (an entity had a message by
//! some time) is a `HELD` relationship from the entity to the message node,
//! never one between entities; a marker (a reference date) is a `:Marker`
//! node of its own. Every
//! text is a string literal escaped by [`string`]: no user text reaches a
//! query unescaped, and relationship types are made of `A-Z`, `0-9` and
//! `_` only.

use super::parts::{holding_citations, parts_with_extra};
use super::{
    citations_text, kind_colour, links, source_urls, DateColumns, ExportFile, ExportFormat,
    Exported, LossReport,
};
use crate::catalog::{Catalog, EntityId, EventId};
use crate::model::{Citation, EntityKind, TimeExpr, EVENT_KINDS};

/// A Cypher string literal: single quotes, with `\\`, `\'`, `\"`, `\n`,
/// `\r`, `\t`, `\b` and `\f`, the escapes every Cypher database reads
/// (Neo4j, Memgraph, FalkorDB), so that a statement stays on one line.
/// Every other character is written as it is, other control characters,
/// U+0085, U+2028 and U+2029 included: FalkorDB reads no `\uXXXX` escape
/// (it would store the six characters), and written as they are, every
/// database stores them exactly. NUL, which FalkorDB cannot store, is
/// `\u0000` (exact in Neo4j and Memgraph), and the export reports it.
pub fn string(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('\'');
    for c in s.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            '\'' => out.push_str("\\'"),
            '"' => out.push_str("\\\""),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            '\u{8}' => out.push_str("\\b"),
            '\u{c}' => out.push_str("\\f"),
            '\0' => out.push_str("\\u0000"),
            c => out.push(c),
        }
    }
    out.push('\'');
    out
}

/// How many texts of `props` hold a NUL character (see [`string`]).
fn nul_texts(props: &Props) -> usize {
    props
        .0
        .iter()
        .map(|(_, v)| match v {
            Val::Str(s) => usize::from(s.contains('\0')),
            Val::List(l) => l.iter().filter(|s| s.contains('\0')).count(),
            Val::Bool(_) => 0,
        })
        .sum()
}

/// A relationship type made of a kind: capitals, digits and `_`
/// (`member-of` → `MEMBER_OF`); `RELATED` when nothing is left.
pub fn rel_type(kind: &str) -> String {
    let mut t: String = kind
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() {
                c.to_ascii_uppercase()
            } else {
                '_'
            }
        })
        .collect();
    if t.trim_matches('_').is_empty() {
        return "RELATED".into();
    }
    if t.starts_with(|c: char| c.is_ascii_digit()) {
        t.insert_str(0, "R_");
    }
    t
}

/// The relationship type of a contact of `kind`.
pub fn contact_type(kind: &str) -> String {
    if EVENT_KINDS.contains(&kind) {
        kind.to_ascii_uppercase()
    } else {
        "OTHER".into()
    }
}

/// The second label of an entity kind.
pub fn kind_label(kind: EntityKind) -> &'static str {
    match kind {
        EntityKind::Person => "Person",
        EntityKind::Organisation => "Organisation",
        EntityKind::Group => "Group",
        EntityKind::Other => "Other",
    }
}

/// A property value.
enum Val {
    Str(String),
    List(Vec<String>),
    Bool(bool),
}

/// The properties of one node or relationship, in order.
#[derive(Default)]
struct Props(Vec<(&'static str, Val)>);

impl Props {
    fn s(&mut self, k: &'static str, v: impl Into<String>) {
        self.0.push((k, Val::Str(v.into())));
    }
    fn opt(&mut self, k: &'static str, v: Option<&String>) {
        if let Some(v) = v {
            self.s(k, v.clone());
        }
    }
    fn list(&mut self, k: &'static str, v: &[String]) {
        if !v.is_empty() {
            self.0.push((k, Val::List(v.to_vec())));
        }
    }
    fn b(&mut self, k: &'static str, v: bool) {
        self.0.push((k, Val::Bool(v)));
    }
    fn dates(&mut self, t: Option<&TimeExpr>) {
        let dc = DateColumns::of(t);
        for (k, v) in [("date_lo", dc.lo), ("date_hi", dc.hi)] {
            if let Some(v) = v {
                self.s(k, v);
            }
        }
        if let Some(p) = dc.precision {
            self.s("precision", p);
        }
        if let Some(t) = dc.text {
            self.s("time", t);
        }
    }
    fn get(&self, k: &str) -> Option<&Val> {
        self.0.iter().find(|(key, _)| *key == k).map(|(_, v)| v)
    }
    fn cypher(&self) -> String {
        let parts: Vec<String> = self
            .0
            .iter()
            .map(|(k, v)| {
                let v = match v {
                    Val::Str(s) => string(s),
                    Val::Bool(b) => b.to_string(),
                    Val::List(l) => {
                        let items: Vec<String> = l.iter().map(|s| string(s)).collect();
                        format!("[{}]", items.join(", "))
                    }
                };
                format!("{k}: {v}")
            })
            .collect();
        format!("{{{}}}", parts.join(", "))
    }
}

/// A node or relationship of the graph, ready for either output.
enum Item {
    Node {
        labels: Vec<&'static str>,
        props: Props,
    },
    Rel {
        from: String,
        from_label: &'static str,
        to: String,
        to_label: &'static str,
        ty: String,
        props: Props,
        file: &'static str,
    },
}

/// The graph as nodes and relationships.
fn items(catalog: &dyn Catalog, loss: &mut LossReport) -> Vec<Item> {
    let mut out = Vec::new();
    entity_nodes(catalog, loss, &mut out);
    message_items(catalog, loss, &mut out);
    link_items(catalog, loss, &mut out);
    holding_items(catalog, loss, &mut out);
    marker_nodes(catalog, &mut out);
    claim_losses(catalog, loss);
    out
}

/// The holdings as `HELD` relationships from the entity to the message.
fn holding_items(catalog: &dyn Catalog, loss: &mut LossReport, out: &mut Vec<Item>) {
    for h in catalog.holdings() {
        let mut p = Props::default();
        p.s("id", h.id.clone());
        p.s("certainty", h.certainty().as_str());
        p.dates(h.time.as_ref());
        p.opt("quote", h.quote.as_ref());
        p.opt("summary", h.summary.as_ref());
        cite_props(catalog, &h.sources, &mut p, loss);
        out.push(Item::Rel {
            from: h.entity.clone(),
            from_label: "Entity",
            to: h.message.clone(),
            to_label: "Message",
            ty: "HELD".into(),
            props: p,
            file: "held.csv",
        });
    }
}

/// The markers as `:Marker` nodes (connected to nothing).
fn marker_nodes(catalog: &dyn Catalog, out: &mut Vec<Item>) {
    for m in catalog.markers() {
        let mut p = Props::default();
        p.s("id", m.id.clone());
        p.s("label", m.label.clone());
        p.dates(m.time.as_ref());
        out.push(Item::Node {
            labels: vec!["Marker"],
            props: p,
        });
    }
}

/// A claim's citations as `sources` (text) and `source_url` (the first
/// cited url; the report counts claims citing several).
fn cite_props(catalog: &dyn Catalog, sources: &[Citation], p: &mut Props, loss: &mut LossReport) {
    if sources.is_empty() {
        return;
    }
    p.s("sources", citations_text(catalog, sources));
    let urls = source_urls(catalog, sources);
    if let Some(u) = urls.first() {
        p.s("source_url", u.clone());
    }
    if urls.len() > 1 {
        loss.add(
            "source-urls",
            "{n} claim{s} citing several urls keep the first as source_url (all in sources)",
        );
    }
}

/// The entities as nodes.
fn entity_nodes(catalog: &dyn Catalog, loss: &mut LossReport, out: &mut Vec<Item>) {
    for u in EntityId::all(catalog.entity_count()) {
        let e = catalog.entity(u);
        let mut p = Props::default();
        p.s("id", e.id.clone());
        p.s("name", e.name.clone());
        p.s("kind", e.kind().as_str());
        p.list("aliases", &e.aliases);
        p.list("tags", &e.tags);
        p.opt("description", e.description.as_ref());
        p.opt("url", e.url.as_ref());
        p.s("colour", kind_colour(e.kind()));
        if !e.extra.is_empty() {
            loss.add(
                "extra-fields",
                "{n} object{s} with unknown fields not written",
            );
        }
        out.push(Item::Node {
            labels: vec!["Entity", kind_label(e.kind())],
            props: p,
        });
    }
}

/// The traced messages as nodes, each with its origin.
fn message_items(catalog: &dyn Catalog, loss: &mut LossReport, out: &mut Vec<Item>) {
    for m in 0..catalog.message_count() {
        let msg = catalog.message(m);
        let mut p = Props::default();
        p.s("id", msg.id.clone());
        p.opt("title", msg.title.as_ref());
        p.opt("text", msg.text.as_ref());
        p.dates(msg.time.as_ref());
        if !msg.sources.is_empty() {
            p.s("sources", citations_text(catalog, &msg.sources));
            loss.add_n(
                "citations-flattened",
                msg.sources.len(),
                "{n} citation{s} flattened into a sources text (the first source's url as source_url)",
            );
        }
        out.push(Item::Node {
            labels: vec!["Message"],
            props: p,
        });
        if let Some(o) = &msg.origin {
            out.push(Item::Rel {
                from: o.clone(),
                from_label: "Entity",
                to: msg.id.clone(),
                to_label: "Message",
                ty: "ORIGIN_OF".into(),
                props: Props::default(),
                file: "origins.csv",
            });
        }
    }
}

/// The contacts and relations as relationships between entities.
fn link_items(catalog: &dyn Catalog, loss: &mut LossReport, out: &mut Vec<Item>) {
    for link in links(catalog) {
        let (from, to) = (
            catalog.entity_id(link.from).to_string(),
            catalog.entity_id(link.to).to_string(),
        );
        let mut p = Props::default();
        let (ty, file, sources) = if let Some(e) = link.event {
            let ev = catalog.event(e);
            p.s("event", ev.id.clone());
            p.s("kind", ev.kind());
            p.s("certainty", ev.certainty().as_str());
            p.b("mutual", link.mutual);
            p.dates(ev.time.as_ref());
            p.list("carries", &ev.carries);
            p.list("after", &ev.after);
            p.opt("quote", ev.quote.as_ref());
            p.opt("summary", ev.summary.as_ref());
            (contact_type(ev.kind()), "contacts.csv", ev.sources.clone())
        } else if let Some(r) = link.relation.and_then(|i| catalog.relations().get(i)) {
            p.opt("relation_id", r.id.as_ref());
            p.opt("kind", r.kind.as_ref());
            p.opt("label", r.label.as_ref());
            if let Some(c) = r.certainty {
                p.s("certainty", c.as_str());
            }
            p.dates(r.time.as_ref());
            (
                rel_type(r.kind.as_deref().unwrap_or("")),
                "relations.csv",
                r.sources.clone(),
            )
        } else {
            continue;
        };
        cite_props(catalog, &sources, &mut p, loss);
        out.push(Item::Rel {
            from,
            from_label: "Entity",
            to,
            to_label: "Entity",
            ty,
            props: p,
            file,
        });
    }
}

/// What the relationships lose: citations flattened, unknown fields, the
/// sources themselves.
fn claim_losses(catalog: &dyn Catalog, loss: &mut LossReport) {
    let mut cites = 0;
    let mut extra = 0;
    for e in EventId::all(catalog.event_count()) {
        let ev = catalog.event(e);
        cites += ev.sources.len();
        extra += usize::from(!ev.extra.is_empty());
    }
    for r in catalog.relations() {
        cites += r.sources.len();
        extra += usize::from(!r.extra.is_empty());
    }
    cites += holding_citations(catalog);
    extra += parts_with_extra(catalog);
    loss.add_n(
        "citations-flattened",
        cites,
        "{n} citation{s} flattened into a sources text (the first source's url as source_url)",
    );
    loss.add_n(
        "extra-fields",
        extra,
        "{n} object{s} with unknown fields not written",
    );
    loss.add_n(
        "sources",
        catalog.sources().len(),
        "{n} source{s} written only inside the citations' text",
    );
}

/// Writes the catalogue as a Cypher script: an index on `Entity.id`, then
/// one `CREATE` a line.
pub fn export_script(catalog: &dyn Catalog) -> Exported {
    let mut loss = LossReport::new(ExportFormat::Cypher);
    let mut s = String::from("// grapevine export: one statement a line\n");
    s.push_str("CREATE INDEX FOR (e:Entity) ON (e.id);\n");
    s.push_str("CREATE INDEX FOR (m:Message) ON (m.id);\n");
    let mut nul = 0;
    for item in items(catalog, &mut loss) {
        match item {
            Item::Node { labels, props } => {
                nul += nul_texts(&props);
                s.push_str(&format!(
                    "CREATE (:{} {});\n",
                    labels.join(":"),
                    props.cypher()
                ));
            }
            Item::Rel {
                from,
                from_label,
                to,
                to_label,
                ty,
                props,
                ..
            } => {
                nul += nul_texts(&props);
                let p = if props.0.is_empty() {
                    String::new()
                } else {
                    format!(" {}", props.cypher())
                };
                s.push_str(&format!(
                    "MATCH (a:{from_label} {{id: {}}}), (b:{to_label} {{id: {}}}) CREATE (a)-[:`{ty}`{p}]->(b);\n",
                    string(&from),
                    string(&to)
                ));
            }
        }
    }
    loss.add_n(
        "nul-characters",
        nul,
        "{n} text{s} with a NUL character, written as \\u0000: Neo4j and Memgraph read it, FalkorDB stores the six characters",
    );
    Exported::single(s.into_bytes(), loss)
}

/// A CSV field: always quoted, inner quotes doubled.
fn csv_field(s: &str) -> String {
    format!("\"{}\"", s.replace('"', "\"\""))
}

/// The CSV columns of each file: `(header, property)`; an empty property
/// is the file's own column (id, label, start, end, type).
const ENTITY_COLUMNS: [(&str, &str); 9] = [
    ("id:ID", ""),
    (":LABEL", ""),
    ("name", "name"),
    ("kind", "kind"),
    ("aliases:string[]", "aliases"),
    ("tags:string[]", "tags"),
    ("description", "description"),
    ("url", "url"),
    ("colour", "colour"),
];
const MESSAGE_COLUMNS: [(&str, &str); 9] = [
    ("id:ID", ""),
    (":LABEL", ""),
    ("title", "title"),
    ("text", "text"),
    ("date_lo", "date_lo"),
    ("date_hi", "date_hi"),
    ("precision", "precision"),
    ("time", "time"),
    ("sources", "sources"),
];
const CONTACT_COLUMNS: [(&str, &str); 18] = [
    (":START_ID", ""),
    (":END_ID", ""),
    (":TYPE", ""),
    ("event", "event"),
    ("kind", "kind"),
    ("certainty", "certainty"),
    ("mutual:boolean", "mutual"),
    ("date_lo", "date_lo"),
    ("date_hi", "date_hi"),
    ("precision", "precision"),
    ("time", "time"),
    ("carries:string[]", "carries"),
    ("after:string[]", "after"),
    ("quote", "quote"),
    ("summary", "summary"),
    ("sources", "sources"),
    ("source_url", "source_url"),
    ("", ""),
];
const HELD_COLUMNS: [(&str, &str); 13] = [
    (":START_ID", ""),
    (":END_ID", ""),
    (":TYPE", ""),
    ("id", "id"),
    ("certainty", "certainty"),
    ("date_lo", "date_lo"),
    ("date_hi", "date_hi"),
    ("precision", "precision"),
    ("time", "time"),
    ("quote", "quote"),
    ("summary", "summary"),
    ("sources", "sources"),
    ("source_url", "source_url"),
];
const MARKER_COLUMNS: [(&str, &str); 7] = [
    ("id:ID", ""),
    (":LABEL", ""),
    ("label", "label"),
    ("date_lo", "date_lo"),
    ("date_hi", "date_hi"),
    ("precision", "precision"),
    ("time", "time"),
];
const RELATION_COLUMNS: [(&str, &str); 14] = [
    (":START_ID", ""),
    (":END_ID", ""),
    (":TYPE", ""),
    ("relation_id", "relation_id"),
    ("kind", "kind"),
    ("label", "label"),
    ("certainty", "certainty"),
    ("date_lo", "date_lo"),
    ("date_hi", "date_hi"),
    ("precision", "precision"),
    ("time", "time"),
    ("sources", "sources"),
    ("source_url", "source_url"),
    ("", ""),
];
const ORIGIN_COLUMNS: [(&str, &str); 3] = [(":START_ID", ""), (":END_ID", ""), (":TYPE", "")];

/// The file names of [`export_csv`], in the order `neo4j-admin` takes them.
pub const CSV_FILES: [&str; 7] = [
    "entities.csv",
    "messages.csv",
    "markers.csv",
    "contacts.csv",
    "relations.csv",
    "origins.csv",
    "held.csv",
];

/// Writes the catalogue as Neo4j bulk-import CSV files (`entities.csv`,
/// `messages.csv`, `markers.csv`, `contacts.csv`, `relations.csv`,
/// `origins.csv`, `held.csv`), array items separated by `;`.
pub fn export_csv(catalog: &dyn Catalog) -> Exported {
    let mut loss = LossReport::new(ExportFormat::Neo4jCsv);
    let columns = |name: &str| -> Vec<(&'static str, &'static str)> {
        let c: &[(&str, &str)] = match name {
            "entities.csv" => &ENTITY_COLUMNS,
            "messages.csv" => &MESSAGE_COLUMNS,
            "markers.csv" => &MARKER_COLUMNS,
            "contacts.csv" => &CONTACT_COLUMNS,
            "relations.csv" => &RELATION_COLUMNS,
            "held.csv" => &HELD_COLUMNS,
            _ => &ORIGIN_COLUMNS,
        };
        c.iter().copied().filter(|(h, _)| !h.is_empty()).collect()
    };
    let mut texts: Vec<String> = CSV_FILES
        .iter()
        .map(|f| {
            let heads: Vec<&str> = columns(f).iter().map(|(h, _)| *h).collect();
            heads.join(",") + "\n"
        })
        .collect();
    let mut semicolons = 0;
    for item in items(catalog, &mut loss) {
        let (file, own, props): (&str, Vec<String>, Props) = match item {
            Item::Node { labels, props } => {
                let file = match labels[0] {
                    "Message" => "messages.csv",
                    "Marker" => "markers.csv",
                    _ => "entities.csv",
                };
                let id = match props.get("id") {
                    Some(Val::Str(s)) => s.clone(),
                    _ => String::new(),
                };
                (file, vec![id, labels.join(";")], props)
            }
            Item::Rel {
                from,
                to,
                ty,
                props,
                file,
                ..
            } => (file, vec![from, to, ty], props),
        };
        let mut own = own.into_iter();
        let mut cells = Vec::new();
        for (_, prop) in columns(file) {
            if prop.is_empty() {
                cells.push(csv_field(&own.next().unwrap_or_default()));
                continue;
            }
            cells.push(match props.get(prop) {
                None => String::new(),
                Some(Val::Str(s)) => csv_field(s),
                Some(Val::Bool(b)) => b.to_string(),
                Some(Val::List(l)) => {
                    semicolons += l.iter().filter(|s| s.contains(';')).count();
                    csv_field(&l.join(";"))
                }
            });
        }
        if let Some(i) = CSV_FILES.iter().position(|f| *f == file) {
            texts[i].push_str(&cells.join(","));
            texts[i].push('\n');
        }
    }
    loss.add_n(
        "array-delimiter",
        semicolons,
        "{n} list item{s} (aliases, tags, carries, after) containing ';', which neo4j-admin splits",
    );
    Exported {
        files: CSV_FILES
            .iter()
            .zip(texts)
            .map(|(name, text)| ExportFile {
                name: name.to_string(),
                bytes: text.into_bytes(),
            })
            .collect(),
        loss,
    }
}

#[cfg(test)]
mod tests {
    use super::{contact_type, rel_type, string};

    #[test]
    fn literals_and_types() {
        assert_eq!(string("a'b\"c\\d\ne"), r#"'a\'b\"c\\d\ne'"#);
        assert_eq!(string("x\u{0}"), r"'x\u0000'");
        // FalkorDB reads no \u escape: these are written as they are.
        assert_eq!(
            string("a\u{2028}b\u{85}c\u{1}d\u{7f}\u{8}\u{c}"),
            "'a\u{2028}b\u{85}c\u{1}d\u{7f}\\b\\f'"
        );
        assert_eq!(rel_type("member-of"), "MEMBER_OF");
        assert_eq!(rel_type("9x"), "R_9X");
        assert_eq!(rel_type("`);"), "RELATED");
        assert_eq!(contact_type("forward"), "FORWARD");
        assert_eq!(contact_type("`x`"), "OTHER");
    }
}
