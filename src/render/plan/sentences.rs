//! The plan's words: a contact's sentence and tooltip, a reached entity's
//! date line, the not-reached line, the cited quote of a claim and the
//! credits line.

use std::collections::BTreeSet;

use super::super::style::{self, date_label, DateStyle};
use super::super::Highlight;
use super::{clean, safe_url, shorten};
use crate::model::{Certainty, Citation, EntityKind, Event, EventKind, Story};

/// The cited source of an event: quote, source title, link.
pub(crate) struct Cited {
    /// The first quote of its citations (or the fallback).
    pub quote: Option<String>,
    /// The quote is the author's wording (a `paraphrase` citation): never in
    /// quotation marks.
    pub paraphrase: bool,
    /// The cited source's publisher and title.
    pub source: Option<String>,
    /// Its checked http(s) link.
    pub url: Option<String>,
    /// How many distinct sources are cited.
    pub count: usize,
}

/// The citation of `sources` shown for an event: the first with a quote.
pub(crate) fn cited(story: &Story, sources: &[Citation], fallback_quote: Option<&str>) -> Cited {
    let citation = sources
        .iter()
        .find(|s| s.quote().is_some())
        .or(sources.first());
    let source = citation.and_then(|c| story.source(c.source()));
    let distinct: BTreeSet<&str> = sources.iter().map(Citation::source).collect();
    Cited {
        quote: citation
            .and_then(Citation::quote)
            .or(fallback_quote)
            .map(str::to_string),
        paraphrase: citation.is_some_and(|c| c.quote().is_some() && c.is_paraphrase()),
        source: citation.map(|c| {
            source
                .map(|s| match (&s.publisher, &s.title) {
                    (Some(p), Some(t)) => format!("{p}, “{t}”"),
                    (Some(p), None) => p.clone(),
                    (None, Some(t)) => format!("“{t}”"),
                    (None, None) => s.id.clone(),
                })
                .unwrap_or_else(|| c.source().to_string())
        }),
        url: source.and_then(|s| s.url.as_deref()).and_then(safe_url),
        count: distinct.len(),
    }
}

/// A reached entity's date line: the span the data give ("Aug–Sep 2020":
/// could have it from August, had it by September), "by 3 Apr 2015" with
/// no earliest, "possibly 2 Jun 2013" when the dates only allow it, and
/// "held it by DATE" for a holding.
pub(super) fn date_line(m: &super::super::Mark) -> String {
    if let Some(held) = &m.held {
        return held.split(" (").next().unwrap_or(held.as_str()).to_string();
    }
    let from = (m.earliest_seconds.is_some()).then_some(m.earliest.as_str());
    match (from, m.had_by.as_deref(), m.timing) {
        (_, _, crate::Timing::Possible) => format!("possibly {}", m.earliest),
        (None, Some(by), _) => format!("by {by}"),
        (Some(a), Some(b), _) if a != b => style::span_words(a, b),
        _ => m.earliest.clone(),
    }
}

/// The verb of a sentence about a contact of `kind`: `A messaged B`.
pub(super) fn verb(kind: &EventKind) -> &'static str {
    match kind {
        EventKind::Message => "messaged",
        EventKind::Email => "emailed",
        EventKind::Forward => "forwarded to",
        EventKind::Call => "called",
        EventKind::Meeting => "met",
        EventKind::Post => "posted to",
        EventKind::Publication => "published to",
        EventKind::Handover => "handed over to",
        EventKind::Other | EventKind::Free(_) => "to",
    }
}

/// A sentence for one channel: `WikiLeaks messaged Donald Trump Jr. (20 Sep
/// 2016, confirmed)`.
pub(crate) fn channel_sentence(story: &Story, e: &Event, from: &str, to: &str) -> String {
    let tz = story.tz();
    let when = date_label(e.time.as_ref(), &tz, DateStyle::Short);
    let (a, b) = (clean(story.name_of(from)), clean(story.name_of(to)));
    let certainty = match e.certainty() {
        Certainty::Unknown => "unknown whether it happened".to_string(),
        c => c.to_string(),
    };
    if e.is_mutual() {
        format!("{a} and {b}: {} ({when}, {certainty})", clean(e.kind()))
    } else if matches!(e.event_kind(), EventKind::Other | EventKind::Free(_)) {
        // A kind in the reporter's words, as written: "Podesta's account
        // to Fancy Bear: theft (...)".
        format!("{a} to {b}: {} ({when}, {certainty})", clean(e.kind()))
    } else {
        format!("{a} {} {b} ({when}, {certainty})", verb(&e.event_kind()))
    }
}

pub(super) fn event_tooltip(story: &Story, e: &Event, sentence: &str) -> (String, Option<String>) {
    let c = cited(
        story,
        &e.sources,
        e.quote.as_deref().or(e.summary.as_deref()),
    );
    let mut t = sentence.to_string();
    match &c.quote {
        Some(q) if c.paraphrase => {
            t.push_str(&format!("\nIn the author's words: {}", shorten(q, 400)))
        }
        Some(q) => t.push_str(&format!("\n“{}”", shorten(q, 400))),
        None => {}
    }
    if e.sources.is_empty() && e.quote.is_none() {
        t.push_str("\nNo source cited");
    }
    if let Some(s) = &c.source {
        t.push_str(&format!("\n— {}", shorten(s, 200)));
        if c.count > 1 {
            t.push_str(&format!(" and {} more", c.count - 1));
        }
    }
    (t, c.url)
}

/// The caption line naming who a reach did not reach: `Not reached: 14
/// others, among them Paul Manafort, ...`, the three with most contacts in
/// the story first (people before others, then in story order).
pub(crate) fn not_reached_line(story: &Story, h: &Highlight) -> Option<String> {
    if h.path || h.not_reached.is_empty() {
        return None;
    }
    let contacts = |id: &str| {
        story
            .events
            .iter()
            .filter(|e| e.parties.entities().contains(&id))
            .count()
    };
    let mut ranked: Vec<(usize, bool, usize, &String)> = h
        .not_reached
        .iter()
        .map(|id| {
            let pos = story.entities.iter().position(|e| &e.id == id);
            let person = pos
                .and_then(|p| story.entities.get(p))
                .is_some_and(|e| e.kind() == EntityKind::Person);
            (contacts(id), person, pos.unwrap_or(usize::MAX), id)
        })
        .collect();
    ranked.sort_by(|a, b| b.0.cmp(&a.0).then(b.1.cmp(&a.1)).then(a.2.cmp(&b.2)));
    let n = ranked.len();
    let names: Vec<String> = ranked
        .iter()
        .take(3)
        .map(|(_, _, _, id)| clean(story.name_of(id)))
        .collect();
    Some(if n <= 3 {
        format!("Not reached: {}.", style::join_names(&names))
    } else {
        format!(
            "Not reached: {n} others, among them {}.",
            style::join_names(&names)
        )
    })
}

/// How a source is credited: `Publisher, “Title”`, either alone, else its
/// id.
pub(crate) fn source_name(s: &crate::model::Source) -> String {
    clean(&match (&s.publisher, &s.title) {
        (Some(p), Some(t)) => format!("{p}, “{t}”"),
        (Some(p), None) => p.clone(),
        (None, Some(t)) => format!("“{t}”"),
        (None, None) => s.id.clone(),
    })
}

/// The line crediting the sources in `used`: `Sources: A; B` (`None`
/// when there is none).
pub(crate) fn credits(sources: &[crate::model::Source], used: &BTreeSet<&str>) -> Option<String> {
    let names: Vec<String> = sources
        .iter()
        .filter(|s| used.contains(s.id.as_str()))
        .map(source_name)
        .collect();
    match names.len() {
        0 => None,
        1 => Some(format!("Source: {}", names[0])),
        _ => Some(format!("Sources: {}", names.join("; "))),
    }
}
