//! Holdings, markers, event order (`after`) and paraphrase flags in every
//! export: each one is in the output, or the export's loss report counts
//! it (never dropped silently). The output is read back here (XML, JSON,
//! Cypher literals, CSV) without the receiving tools, so the test always
//! runs; `interchange.rs` has the receivers read the same parts.

use std::collections::BTreeSet;
use std::path::PathBuf;
use std::process::Command;

use grapevine::internals::io::export::ftm::{id_from_ftm, HELD_ROLE, KEYWORD, MARKER_KEYWORD};
use grapevine::internals::io::export::parts::{
    LOST_AFTER, LOST_HOLDINGS, LOST_MARKERS, LOST_PARAPHRASES,
};
use grapevine::internals::io::export::{export, ExportFormat, Exported, PARAPHRASE};
use grapevine::{Story, StoryCatalog};
use serde_json::Value;

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// Every story on the shelf and the hostile one.
fn stories() -> Vec<(&'static str, Story)> {
    [
        "graphs/trump-jr-wikileaks.json",
        "graphs/hunter-biden-laptop.json",
        "graphs/panama-papers.json",
        "graphs/pentagon-papers.json",
        "graphs/snowden-first-stories.json",
        "tests/interchange/hostile.json",
    ]
    .into_iter()
    .map(|p| (p, grapevine::load_path(&root().join(p)).unwrap().story))
    .collect()
}

/// What an export holds of the parts, as read back from its files.
#[derive(Debug, Default)]
struct Found {
    holdings: BTreeSet<String>,
    markers: BTreeSet<String>,
    /// `(event, the event it follows)`.
    after: BTreeSet<(String, String)>,
    /// Every text of the output, decoded (JSON inside a text too).
    texts: Vec<String>,
}

impl Found {
    /// Adds `v`'s strings to the texts.
    fn json_texts(&mut self, v: &Value) {
        match v {
            Value::String(s) => {
                self.texts.push(s.clone());
                if let Ok(inner @ (Value::Array(_) | Value::Object(_))) = serde_json::from_str(s) {
                    self.json_texts(&inner);
                }
            }
            Value::Array(a) => a.iter().for_each(|v| self.json_texts(v)),
            Value::Object(o) => o.values().for_each(|v| self.json_texts(v)),
            _ => {}
        }
    }

    /// Adds the events `event` follows (a JSON list) to `after`.
    fn after_list(&mut self, event: Option<&str>, list: Option<&str>) {
        let (Some(e), Some(l)) = (event, list) else {
            return;
        };
        let ids: Vec<String> = serde_json::from_str(l).unwrap();
        for b in ids {
            self.after.insert((e.to_string(), b));
        }
    }
}

/// The ids of a JSON list of objects.
fn ids(list: &str) -> Vec<String> {
    let v: Vec<Value> = serde_json::from_str(list).unwrap();
    v.iter()
        .map(|o| o["id"].as_str().unwrap().to_string())
        .collect()
}

/// A GEXF node's or edge's attribute value.
fn att<'a>(n: roxmltree::Node<'a, 'a>, key: &str) -> Option<&'a str> {
    n.descendants()
        .find(|c| c.has_tag_name("attvalue") && c.attribute("for") == Some(key))
        .and_then(|c| c.attribute("value"))
}

/// A GraphML element's data of `key`.
fn data<'a>(n: roxmltree::Node<'a, 'a>, key: &str) -> Option<&'a str> {
    n.children()
        .find(|c| c.has_tag_name("data") && c.attribute("key") == Some(key))
        .and_then(|c| c.text())
}

fn gexf(text: &str) -> Found {
    let doc = roxmltree::Document::parse(text).unwrap();
    let mut f = Found::default();
    for n in doc.descendants() {
        for a in n.attributes() {
            f.json_texts(&Value::String(a.value().to_string()));
        }
        if n.has_tag_name("node") {
            f.holdings
                .extend(att(n, "holdings").map(ids).unwrap_or_default());
        }
        if n.has_tag_name("edge") {
            f.after_list(att(n, "event"), att(n, "after"));
        }
    }
    f
}

fn graphml(text: &str) -> Found {
    let doc = roxmltree::Document::parse(text).unwrap();
    let mut f = Found::default();
    for n in doc.descendants() {
        if let Some(t) = n.text() {
            f.json_texts(&Value::String(t.to_string()));
        }
        if n.has_tag_name("graph") {
            f.markers
                .extend(data(n, "graph.markers").map(ids).unwrap_or_default());
        }
        if n.has_tag_name("node") {
            f.holdings
                .extend(data(n, "node.holdings").map(ids).unwrap_or_default());
        }
        if n.has_tag_name("edge") {
            f.after_list(data(n, "edge.event"), data(n, "edge.after"));
        }
    }
    f
}

fn cytoscape(text: &str) -> Found {
    let doc: Value = serde_json::from_str(text).unwrap();
    let mut f = Found::default();
    f.json_texts(&doc);
    let list_ids = |v: &Value| -> Vec<String> {
        v.as_array()
            .into_iter()
            .flatten()
            .map(|o| o["id"].as_str().unwrap().to_string())
            .collect()
    };
    f.markers.extend(list_ids(&doc["data"]["markers"]));
    for n in doc["elements"]["nodes"].as_array().unwrap() {
        f.holdings.extend(list_ids(&n["data"]["holdings"]));
    }
    for e in doc["elements"]["edges"].as_array().unwrap() {
        let after = (!e["data"]["after"].is_null()).then(|| e["data"]["after"].to_string());
        f.after_list(e["data"]["event"].as_str(), after.as_deref());
    }
    f
}

/// A token of a Cypher line.
#[derive(Debug, Clone, PartialEq)]
enum Tok {
    Word(String),
    Str(String),
    Punct(char),
}

/// A Cypher line's tokens, string literals decoded.
fn tokens(line: &str) -> Vec<Tok> {
    let mut out = Vec::new();
    let mut chars = line.chars().peekable();
    while let Some(c) = chars.next() {
        if c == '\'' {
            let mut s = String::new();
            while let Some(c) = chars.next() {
                match c {
                    '\'' => break,
                    '\\' => s.push(unescape(&mut chars)),
                    c => s.push(c),
                }
            }
            out.push(Tok::Str(s));
        } else if c.is_alphanumeric() || c == '_' {
            let mut w = String::from(c);
            while let Some(&d) = chars.peek().filter(|d| d.is_alphanumeric() || **d == '_') {
                w.push(d);
                chars.next();
            }
            out.push(Tok::Word(w));
        } else if !c.is_whitespace() {
            out.push(Tok::Punct(c));
        }
    }
    out
}

/// The character after a `\` in a Cypher literal.
fn unescape(chars: &mut std::iter::Peekable<std::str::Chars>) -> char {
    match chars.next() {
        Some('n') => '\n',
        Some('r') => '\r',
        Some('t') => '\t',
        Some('u') => {
            let hex: String = chars.by_ref().take(4).collect();
            char::from_u32(u32::from_str_radix(&hex, 16).unwrap()).unwrap()
        }
        Some(c) => c,
        None => panic!("a literal ends in a backslash"),
    }
}

/// The `key: value` properties of a Cypher line (a list's items each).
fn properties(toks: &[Tok]) -> Vec<(String, Vec<String>)> {
    let mut out = Vec::new();
    for (i, t) in toks.iter().enumerate() {
        let (Tok::Word(k), Some(Tok::Punct(':'))) = (t, toks.get(i + 1)) else {
            continue;
        };
        match toks.get(i + 2) {
            Some(Tok::Str(v)) => out.push((k.clone(), vec![v.clone()])),
            Some(Tok::Punct('[')) => {
                let items = toks[i + 3..]
                    .iter()
                    .take_while(|t| **t != Tok::Punct(']'))
                    .filter_map(|t| match t {
                        Tok::Str(s) => Some(s.clone()),
                        _ => None,
                    })
                    .collect();
                out.push((k.clone(), items));
            }
            _ => {}
        }
    }
    out
}

fn cypher(text: &str) -> Found {
    let mut f = Found::default();
    for line in text.lines() {
        // A relationship's own properties follow its type.
        let own = line.rsplit_once("-[:").map_or(line, |(_, rel)| rel);
        let props = properties(&tokens(own));
        let get = |k: &str| props.iter().find(|(key, _)| key == k).map(|(_, v)| v);
        f.texts.extend(props.iter().flat_map(|(_, v)| v.clone()));
        let id = get("id").and_then(|v| v.first()).cloned();
        if own.starts_with("`HELD` {") {
            f.holdings.extend(id);
        } else if line.starts_with("CREATE (:Marker {") {
            f.markers.extend(id);
        } else if let Some(e) = get("event").and_then(|v| v.first()) {
            for b in get("after").into_iter().flatten() {
                f.after.insert((e.clone(), b.clone()));
            }
        }
    }
    f
}

fn neo4j_csv(x: &Exported) -> Found {
    let mut f = Found::default();
    for file in &x.files {
        let mut r = csv::Reader::from_reader(file.bytes.as_slice());
        let head: Vec<String> = r.headers().unwrap().iter().map(str::to_string).collect();
        let col = |row: &csv::StringRecord, h: &str| {
            head.iter()
                .position(|x| x == h)
                .and_then(|i| row.get(i))
                .filter(|v| !v.is_empty())
                .map(str::to_string)
        };
        for row in r.records() {
            let row = row.unwrap();
            f.texts.extend(row.iter().map(str::to_string));
            match file.name.as_str() {
                "held.csv" => f.holdings.extend(col(&row, "id")),
                "markers.csv" => f.markers.extend(col(&row, "id:ID")),
                "contacts.csv" => {
                    let (Some(e), Some(a)) = (col(&row, "event"), col(&row, "after:string[]"))
                    else {
                        continue;
                    };
                    for b in a.split(';') {
                        f.after.insert((e.clone(), b.to_string()));
                    }
                }
                _ => {}
            }
        }
    }
    f
}

fn ftm(text: &str) -> Found {
    let mut f = Found::default();
    for line in text.lines() {
        let v: Value = serde_json::from_str(line).unwrap();
        f.json_texts(&v);
        let p = &v["properties"];
        let has = |prop: &str, value: &str| {
            p[prop]
                .as_array()
                .is_some_and(|a| a.iter().any(|x| x == value))
        };
        let id = id_from_ftm(v["id"].as_str().unwrap());
        match v["schema"].as_str().unwrap() {
            "UnknownLink" if has("role", HELD_ROLE) => {
                f.holdings.insert(id.clone());
            }
            "Event" if has("keywords", MARKER_KEYWORD) => {
                f.markers.insert(id.clone());
            }
            _ => {}
        }
        let after = format!("{KEYWORD}after=");
        for k in p["keywords"].as_array().into_iter().flatten() {
            if let Some(b) = k.as_str().and_then(|k| k.strip_prefix(&after)) {
                f.after.insert((id.clone(), b.to_string()));
            }
        }
    }
    f
}

/// The parts `x` holds, read back from its files.
fn found(format: ExportFormat, x: &Exported) -> Found {
    let text = || String::from_utf8(x.files[0].bytes.clone()).unwrap();
    match format {
        ExportFormat::Gexf => gexf(&text()),
        ExportFormat::Graphml => graphml(&text()),
        ExportFormat::Cytoscape => cytoscape(&text()),
        ExportFormat::Cypher => cypher(&text()),
        ExportFormat::Neo4jCsv => neo4j_csv(x),
        ExportFormat::Ftm => ftm(&text()),
        ExportFormat::Mermaid | ExportFormat::Xlsx | ExportFormat::Sheets => Found::default(),
        #[cfg(feature = "parquet")]
        ExportFormat::Parquet => Found::default(),
    }
}

/// A story's parts: holding and marker ids, `after` pairs, and the quotes
/// of paraphrased citations.
struct Parts {
    holdings: BTreeSet<String>,
    markers: BTreeSet<String>,
    after: BTreeSet<(String, String)>,
    paraphrases: Vec<String>,
}

fn parts(s: &Story) -> Parts {
    let cites = s
        .events
        .iter()
        .flat_map(|e| &e.sources)
        .chain(s.messages.iter().flat_map(|m| &m.sources))
        .chain(s.relations.iter().flat_map(|r| &r.sources))
        .chain(s.holdings.iter().flat_map(|h| &h.sources));
    Parts {
        holdings: s.holdings.iter().map(|h| h.id.clone()).collect(),
        markers: s.markers.iter().map(|m| m.id.clone()).collect(),
        after: s
            .events
            .iter()
            .flat_map(|e| e.after.iter().map(|b| (e.id.clone(), b.clone())))
            .collect(),
        paraphrases: cites
            .filter(|c| c.is_paraphrase())
            .filter_map(|c| c.quote().map(str::to_string))
            .collect(),
    }
}

/// Which parts a format is meant to hold: holdings, markers, after,
/// paraphrase flags.
fn holds(format: ExportFormat) -> [bool; 4] {
    match format {
        ExportFormat::Mermaid => [false; 4],
        ExportFormat::Gexf => [true, false, true, true],
        _ => [true; 4],
    }
}

#[test]
fn every_part_is_written_or_reported_lost() {
    let mut seen = [0usize; 4];
    for (name, s) in stories() {
        let Parts {
            holdings,
            markers,
            after,
            paraphrases,
        } = parts(&s);
        seen[0] += holdings.len();
        seen[1] += markers.len();
        seen[2] += after.len();
        seen[3] += paraphrases.len();
        for format in ExportFormat::ALL {
            let x = export(&StoryCatalog::new(&s), format, s.summary.as_deref()).unwrap();
            let f = found(format, &x);
            let what = format!("{name} as {}", format.name());
            let [h, m, a, p] = holds(format);
            // Nothing invented; what is missing is what the report counts.
            assert!(f.holdings.is_subset(&holdings), "{what}: {:?}", f.holdings);
            assert!(f.markers.is_subset(&markers), "{what}");
            assert!(f.after.is_subset(&after), "{what}: {:?}", f.after);
            let lost = |code: &str| x.loss.count(code);
            assert_eq!(
                lost(LOST_HOLDINGS),
                holdings.len() - f.holdings.len(),
                "{what}"
            );
            assert_eq!(
                lost(LOST_MARKERS),
                markers.len() - f.markers.len(),
                "{what}"
            );
            assert_eq!(lost(LOST_AFTER), after.len() - f.after.len(), "{what}");
            // And each format holds what it is meant to.
            assert_eq!(
                f.holdings.len(),
                if h { holdings.len() } else { 0 },
                "{what}"
            );
            assert_eq!(f.markers.len(), if m { markers.len() } else { 0 }, "{what}");
            assert_eq!(f.after.len(), if a { after.len() } else { 0 }, "{what}");
            paraphrases_kept(&f, &paraphrases, p, lost(LOST_PARAPHRASES), &what);
        }
    }
    // The shelf has every part (the loop above is not vacuous).
    assert!(seen.iter().all(|n| *n > 0), "{seen:?}");
}

/// A paraphrase is written after [`PARAPHRASE`], never in quotation marks,
/// or counted as lost.
fn paraphrases_kept(f: &Found, quotes: &[String], meant: bool, lost: usize, what: &str) {
    let mut kept = 0;
    for q in quotes {
        let marked = format!("{PARAPHRASE}{q}");
        let quoted = format!("“{q}”");
        assert!(!f.texts.iter().any(|t| t.contains(&quoted)), "{what}: {q}");
        kept += usize::from(f.texts.iter().any(|t| t.contains(&marked)));
    }
    assert_eq!(lost, quotes.len() - kept, "{what}: paraphrases");
    assert_eq!(kept, if meant { quotes.len() } else { 0 }, "{what}");
}

#[test]
fn a_focus_keeps_the_holdings_of_what_it_keeps() {
    // The Süddeutsche Zeitung's holding of the Panama data, around it.
    let o = Command::new(env!("CARGO_BIN_EXE_grapevine"))
        .args(["export", "graphs/panama-papers.json", "--to", "cypher"])
        .args(["--around", "sz", "--depth", "1"])
        .current_dir(root())
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let f = cypher(&String::from_utf8(o.stdout).unwrap());
    assert!(f.holdings.contains("h-sz"), "{:?}", f.holdings);
    assert_eq!(f.markers.len(), 2, "every marker");
}
