//! A Mermaid flowchart, for a small story in a Markdown page.
//!
//! Nodes are `n0`, `n1`, ... (no entity id can clash with Mermaid's words
//! such as `end`), every label is quoted with `"`, `#`, `<`, `>` and `` ` ``
//! written as Mermaid's `#quot;`-style codes and line breaks as `<br>`.
//! Confirmed contacts are solid arrows, the others dashed; mutual contacts
//! have two heads; `%` is written `#37;` everywhere, the title's comment
//! included, so that no text makes a `%%{init: ...}%%` directive;
//! relations are plain lines. Each contact's label gives its kind, its
//! date at the story's precision and, when not confirmed, its certainty.
//! Mermaid draws at most [`MAX_EDGES`] edges: a larger story is refused,
//! with the focus options that make it smaller. Holdings (not
//! contacts: no line says one), markers, event order and paraphrase flags
//! are not drawn, and the report counts them.

use jiff::tz::TimeZone;

use super::parts::{lose_after, lose_holdings, lose_markers, lose_paraphrases};
use super::{links, ExportFormat, Exported, Link, LossReport};
use crate::catalog::{Catalog, EntityId};
use crate::error::{Limited, QueryError};
use crate::escape::mermaid_label;
use crate::model::time::format_at_precision;
use crate::model::{Certainty, EntityKind, TimeExpr};
use crate::Error;

/// Mermaid's default `maxEdges`.
pub const MAX_EDGES: usize = 500;

/// A time for an edge label: each end at its own precision in the
/// story's zone (`2016-09-20`, `2016-09-20 – 2016-10-12`, `from
/// 2016-09-20`, `until 2016-06-09`), `~` after an approximate one.
pub fn date_words(t: &TimeExpr, tz: &TimeZone) -> String {
    let point = |p: &crate::model::TimePoint| {
        let mut s = format_at_precision(p.lo, p.precision, tz);
        if p.approximate {
            s.push('~');
        }
        if p.uncertain {
            s.push('?');
        }
        s
    };
    match (&t.start, &t.end) {
        (Some(a), Some(b)) if !t.is_range || a == b => point(a),
        (Some(a), Some(b)) => format!("{} – {}", point(a), point(b)),
        (Some(a), None) => format!("from {}", point(a)),
        (None, Some(b)) => format!("until {}", point(b)),
        (None, None) => String::new(),
    }
}

/// Writes the catalogue as a Mermaid flowchart, or refuses past
/// [`MAX_EDGES`] edges.
pub fn export(catalog: &dyn Catalog) -> Result<Exported, Error> {
    let mut loss = LossReport::new(ExportFormat::Mermaid);
    let all = links(catalog);
    if all.len() > MAX_EDGES {
        return Err(Error::Query(QueryError::Limit {
            what: Limited::MermaidEdges,
            limit: MAX_EDGES as u64,
            found: all.len() as u64,
        }));
    }
    let tz = catalog.timezone();
    let mut dropped = 0;
    let mut lab = |s: &str| {
        let (t, d) = mermaid_label(s);
        dropped += usize::from(d);
        t
    };
    let mut s = String::from("flowchart LR\n");
    if let Some(t) = catalog.title() {
        let one: String = t
            .chars()
            .map(|c| if c.is_control() { ' ' } else { c })
            .collect::<String>()
            // Mermaid applies a `%%{...}%%` directive even in a comment.
            .replace('%', "#37;");
        s.push_str(&format!("  %% {one}\n"));
    }
    let mut classes: [Vec<String>; 4] = Default::default();
    for u in EntityId::all(catalog.entity_count()) {
        let kind = catalog.entity_kind(u);
        let name = lab(catalog.entity_name(u));
        let (open, close, class) = match kind {
            EntityKind::Person => ("([\"", "\"])", 0),
            EntityKind::Organisation => ("[\"", "\"]", 1),
            EntityKind::Group => ("{{\"", "\"}}", 2),
            EntityKind::Other => ("[/\"", "\"/]", 3),
        };
        s.push_str(&format!("  n{u}{open}{name}{close}\n"));
        classes[class].push(format!("n{u}"));
    }
    for link in &all {
        let Some((arrow, words)) = edge(catalog, link, &tz) else {
            continue;
        };
        let (a, b) = (link.from, link.to);
        if words.is_empty() {
            s.push_str(&format!("  n{a} {arrow} n{b}\n"));
        } else {
            let text = lab(&words.join(" · "));
            s.push_str(&format!("  n{a} {arrow}|\"{text}\"| n{b}\n"));
        }
    }
    let styles = [
        ("person", "#C4E6F8", "#0072B2"),
        ("organisation", "#F8DFA6", "#D55E00"),
        ("group", "#B3E2D5", "#009E73"),
        ("other", "#E8E8E8", "#000000"),
    ];
    for (i, (name, fill, stroke)) in styles.iter().enumerate() {
        if !classes[i].is_empty() {
            s.push_str(&format!(
                "  classDef {name} fill:{fill},stroke:{stroke}\n  class {} {name}\n",
                classes[i].join(",")
            ));
        }
    }
    loss.add_n(
        "control-characters",
        dropped,
        "{n} label{s} with control characters (shown as spaces)",
    );
    loss.add(
        "details",
        "only names, kinds, dates and certainty drawn (ids, aliases, descriptions, quotes, sources, carried messages not written)",
    );
    loss.add_n(
        "messages",
        catalog.message_count(),
        "{n} traced message{s} not written",
    );
    // Holdings are not contacts: a line between entities would say one.
    lose_holdings(catalog, &mut loss);
    lose_markers(catalog, &mut loss);
    lose_after(catalog, &mut loss);
    lose_paraphrases(catalog, &mut loss);
    Ok(Exported::single(s.into_bytes(), loss))
}

/// A link's arrow (dotted unless confirmed) and the words of its label: a
/// contact's kind, date and certainty, a relation's label or kind and date.
fn edge(catalog: &dyn Catalog, link: &Link, tz: &TimeZone) -> Option<(&'static str, Vec<String>)> {
    if let Some(e) = link.event {
        let ev = catalog.event(e);
        let c = ev.certainty();
        let mut words = vec![ev.kind().to_string()];
        if let Some(t) = &ev.time {
            words.push(date_words(t, tz));
        }
        if c != Certainty::Confirmed {
            words.push(c.to_string());
        }
        let arrow = match (link.mutual, c == Certainty::Confirmed) {
            (false, true) => "-->",
            (false, false) => "-.->",
            (true, true) => "<-->",
            (true, false) => "<-.->",
        };
        return Some((arrow, words));
    }
    let r = link.relation.and_then(|i| catalog.relations().get(i))?;
    let mut words = Vec::new();
    if let Some(l) = r.label.as_ref().or(r.kind.as_ref()) {
        words.push(l.clone());
    }
    if let Some(t) = &r.time {
        words.push(date_words(t, tz));
    }
    let arrow = if r.certainty.unwrap_or_default() == Certainty::Confirmed {
        "---"
    } else {
        "-.-"
    };
    Some((arrow, words))
}
