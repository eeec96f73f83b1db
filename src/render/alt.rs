//! A plain-language summary of a picture, generated from the data: the SVG's
//! `<desc>` and the `--alt-text` output, for a content system's alt field.
//!
//! For a message it tells the hops of the answer's chains in causal order
//! (everyone after the one they got it from), the fan-out, how sure each hop
//! is, and which hops are unknown: "WikiLeaks messaged Donald Trump Jr. on 20
//! September 2016 (confirmed). Donald Trump Jr. passed it on or after 20
//! September 2016 to four people: ...; reported (1 cited source). ... Whether
//! Hope Hicks passed it to Donald Trump is unknown."

use std::collections::{BTreeMap, BTreeSet};

use super::plan::clean;
use super::style::{count_word, date_phrase, join_names, point_label, DateStyle};
use super::{Focus, Highlight};
use crate::analysis::{reach_story, Query};
use crate::model::{Certainty, EntityKind, Event, EventKind, Holding, Story};
use crate::Timing;

/// The summary of `story` as drawn under `focus`.
///
/// With a reach highlight of a message it narrates that message's chain; with
/// one from an entity it says who could have been told; with a path it walks
/// the hops; with no highlight it narrates the story's first message that has
/// an origin, then says what else the picture shows.
pub fn alt_text(story: &Story, focus: &Focus) -> String {
    let mut parts: Vec<String> = Vec::new();
    match &focus.highlight {
        Some(h) if h.path => parts.push(path_text(story, h)),
        Some(h) => match &h.message {
            Some(m) => parts.push(message_text(story, focus, m, Some(h))),
            None => parts.push(contacts_text(story, h)),
        },
        None => {
            let traced = story.messages.iter().find(|m| {
                m.origin.is_some()
                    && story.events.iter().any(|e| {
                        e.carries.contains(&m.id)
                            && e.certainty() >= focus.threshold
                            && drawn(focus, e)
                    })
            });
            if let Some(m) = traced {
                parts.push(message_text(story, focus, &m.id, None));
            }
            parts.push(overview(story, focus));
        }
    }
    parts.retain(|p| !p.is_empty());
    parts.join(" ")
}

fn drawn(focus: &Focus, e: &Event) -> bool {
    focus.events.as_ref().is_none_or(|s| s.contains(&e.id))
        && e.parties
            .entities()
            .iter()
            .all(|p| focus.entities.as_ref().is_none_or(|s| s.contains(*p)))
}

fn name(story: &Story, id: &str) -> String {
    clean(story.name_of(id))
}

fn certainty_clause(e: &Event) -> String {
    let n: BTreeSet<&str> = e.sources.iter().map(|c| c.source()).collect();
    let cited = match n.len() {
        0 => String::new(),
        1 => " (1 cited source)".to_string(),
        k => format!(" ({k} cited sources)"),
    };
    match e.certainty() {
        Certainty::Confirmed => " (confirmed)".to_string(),
        Certainty::Reported => format!("; reported{cited}"),
        Certainty::Alleged if cited.is_empty() => String::new(),
        Certainty::Alleged => format!("; alleged{cited}"),
        Certainty::Unknown => String::new(),
    }
}

/// The receivers as a list, counted when there are more than two and all
/// are people ("four people: A, B, C and D"); an organisation is never
/// counted among the people.
fn recipients(story: &Story, ids: &[String]) -> String {
    let names: Vec<String> = ids.iter().map(|i| name(story, i)).collect();
    let people = ids.iter().all(|i| {
        story
            .entity(i)
            .is_some_and(|e| e.kind() == EntityKind::Person)
    });
    if names.len() > 2 && people {
        format!("{} people: {}", count_word(names.len()), join_names(&names))
    } else {
        join_names(&names)
    }
}

/// How a hop of `kind` is told, sender first: the verb of the first hop
/// from the message's origin (`A messaged B`) and of a later one (`A
/// passed it … to B`); `None` for a kind the reporter named in their own
/// words (a theft, a leak), told from the receiver's side instead ("B got
/// it from A (theft)"), since such a hop need not be the sender's act.
fn hop_verbs(kind: &EventKind) -> Option<(&'static str, &'static str)> {
    Some(match kind {
        EventKind::Message => ("messaged", "passed it"),
        EventKind::Email => ("emailed", "emailed it"),
        EventKind::Call => ("called", "passed it"),
        EventKind::Meeting => ("met", "passed it"),
        EventKind::Forward => ("forwarded it to", "forwarded it"),
        EventKind::Post | EventKind::Publication => ("published it to", "published it"),
        EventKind::Handover => ("handed it to", "handed it"),
        EventKind::Other | EventKind::Free(_) => return None,
    })
}

/// One hop of the narration: `sender` passed it to `to` by event `e`.
fn hop_sentence(story: &Story, e: &Event, sender: &str, to: &[String], first: bool) -> String {
    let tz = story.tz();
    let who = name(story, sender);
    let whom = recipients(story, to);
    let when = date_phrase(e.time.as_ref(), &tz);
    let clause = certainty_clause(e);
    let Some((first_verb, verb)) = hop_verbs(&e.event_kind()) else {
        // A kind in the reporter's words: from the receiver's side.
        let kind = clean(e.kind());
        return match e.certainty() {
            Certainty::Unknown => {
                format!("Whether {whom} got it from {who} ({kind}) is unknown.")
            }
            Certainty::Alleged => {
                format!("{whom} allegedly got it from {who} ({kind}) {when}{clause}.")
            }
            _ => format!("{whom} got it from {who} ({kind}) {when}{clause}."),
        };
    };
    match e.certainty() {
        Certainty::Unknown => format!("Whether {who} passed it to {whom} is unknown."),
        Certainty::Alleged => format!("{who} allegedly passed it to {whom} {when}{clause}."),
        _ if first => format!("{who} {first_verb} {whom} {when}{clause}."),
        _ => format!("{who} {verb} {when} to {whom}{clause}."),
    }
}

/// A holding as the claim it is: "RÚV held it by 3 April 2016 (how it got
/// it is not recorded; confirmed)".
fn holding_sentence(story: &Story, holding: &Holding) -> String {
    let tz = story.tz();
    let by = match holding.time.as_ref().and_then(|t| t.end.as_ref()) {
        Some(end) => format!("by {}", point_label(end, &tz, DateStyle::Long)),
        None => "at some time".to_string(),
    };
    let how = match holding.certainty() {
        Certainty::Unknown => "; whether it did is unknown".to_string(),
        c => format!("; {c}"),
    };
    format!(
        "{} held it {by} (how it got it is not recorded{how}).",
        name(story, &holding.entity)
    )
}

/// (event, sender, receiver) of each reached entity's last hop: from the
/// highlight's chains, else from the documented reach of message `id`.
fn last_hops(
    story: &Story,
    focus: &Focus,
    id: &str,
    h: Option<&Highlight>,
) -> Vec<(String, String, String)> {
    match h {
        Some(h) => h
            .chains
            .iter()
            .filter_map(|(_, chain)| chain.last().cloned())
            .collect(),
        None => {
            let query = Query {
                threshold: focus.threshold,
                ..Query::message(id)
            };
            match reach_story(story, &query) {
                Ok(answer) => answer
                    .reached
                    .iter()
                    .filter_map(|r| Some((r.via.clone()?, r.previous.clone()?, r.entity.clone())))
                    .collect(),
                Err(_) => Vec::new(),
            }
        }
    }
}

/// Narrates the documented chain of message `id`: the last hop of each
/// reached entity's chain, grouped by event and sender, in the answer's
/// causal order (that of the highlight, else of the documented chain at the
/// focus's threshold).
fn message_text(story: &Story, focus: &Focus, id: &str, h: Option<&Highlight>) -> String {
    let Some(m) = story.message(id) else {
        return String::new();
    };
    let Some(origin) = m.origin.as_deref() else {
        return String::new();
    };
    let hops = last_hops(story, focus, id, h);
    // The hops grouped by event and sender, holdings on their own, in the
    // answer's order.
    let mut items: Vec<Told> = Vec::new();
    for (event, sender, receiver) in hops {
        if let Some(hd) = story.holdings.iter().find(|x| x.id == event) {
            if hd.certainty() >= focus.threshold {
                items.push(Told::Held(hd));
            }
            continue;
        }
        let Some(e) = story.event(&event) else {
            continue;
        };
        if e.certainty() < focus.threshold || !drawn(focus, e) {
            continue;
        }
        let same =
            |t: &Told| matches!(t, Told::Hop(g, from, _) if g.id == event && *from == sender);
        match items.iter_mut().find(|t| same(t)) {
            Some(Told::Hop(_, _, to)) => to.push(receiver),
            _ => items.push(Told::Hop(e, sender, vec![receiver])),
        }
    }
    let sentences: Vec<String> = items
        .iter()
        .map(|t| match t {
            Told::Held(hd) => holding_sentence(story, hd),
            Told::Hop(e, sender, to) => hop_sentence(story, e, sender, to, sender == origin),
        })
        .collect();
    let what = m
        .title
        .as_deref()
        .map(|t| format!("“{}”", clean(t)))
        .unwrap_or_else(|| format!("The message from {}", name(story, origin)));
    if sentences.is_empty() {
        return format!(
            "No recorded contact passes on {what} from {}.",
            name(story, origin)
        );
    }
    let mut text = format!("{what}: {}", sentences.join(" "));
    if let Some(h) = h {
        let not: Vec<String> = story
            .entities
            .iter()
            .filter(|e| !h.reached.contains_key(&e.id))
            .map(|e| clean(&e.name))
            .collect();
        let held = items.iter().any(|t| matches!(t, Told::Held(_)));
        text.push_str(&format!(
            " In all {} of {} people, organisations and groups in the story could have seen it through documented contacts{}",
            h.reached.len(),
            story.entities.len(),
            if held { " and holdings" } else { "" },
        ));
        text.push_str(&match not.len() {
            0 => ".".to_string(),
            n => format!("; the other {n} are listed as not reached."),
        });
    }
    text
}

/// One sentence of a message's narration: a hop (event, sender,
/// receivers) or a holding.
enum Told<'s> {
    Hop(&'s Event, String, Vec<String>),
    Held(&'s Holding),
}

fn list(names: Vec<String>, max: usize) -> String {
    if names.len() <= max {
        return join_names(&names);
    }
    let mut head: Vec<String> = names[..max].to_vec();
    head.push(format!("{} more", names.len() - max));
    join_names(&head)
}

fn contacts_text(story: &Story, h: &Highlight) -> String {
    let source = name(story, &h.source);
    let mut definite = Vec::new();
    let mut possible = Vec::new();
    // The answer's causal order.
    for (id, _) in &h.chains {
        match h.reached.get(id) {
            Some(m) if m.is_source => {}
            Some(m) if m.timing == Timing::Definite => definite.push(name(story, id)),
            Some(_) => possible.push(name(story, id)),
            None => {}
        }
    }
    let start = h
        .reached
        .get(&h.source)
        .map(|m| m.earliest.clone())
        .filter(|t| t != "any time")
        .map(|t| format!(" from {t} on"))
        .unwrap_or_default();
    let n = definite.len() + possible.len();
    let mut text = format!(
        "Starting with {source}{start}, {} of the other {} people, organisations and groups could have been told through recorded contacts.",
        count_word(n),
        story.entities.len().saturating_sub(1)
    );
    if !definite.is_empty() {
        text.push_str(&format!(
            " These had it if those contacts happened, whatever the exact dates: {}.",
            list(definite, 10)
        ));
    }
    if !possible.is_empty() {
        text.push_str(&format!(
            " These could have had it only if the contacts also came in the right order: {}.",
            list(possible, 10)
        ));
    }
    text
}

fn path_text(story: &Story, h: &Highlight) -> String {
    let Some((target, chain)) = h.chains.first() else {
        return String::new();
    };
    let tz = story.tz();
    let mut hops = Vec::new();
    for (event, from, to) in chain {
        let Some(e) = story.event(event) else {
            continue;
        };
        let when = date_phrase(e.time.as_ref(), &tz);
        let how = match e.certainty() {
            Certainty::Unknown => "it is unknown whether this happened".to_string(),
            c => c.to_string(),
        };
        hops.push(format!(
            "{} to {} by {} {when} ({how})",
            name(story, from),
            name(story, to),
            clean(e.kind())
        ));
    }
    let mark = h.reached.get(target);
    let earliest = mark
        .map(|m| format!(", at the earliest {}", m.earliest))
        .unwrap_or_default();
    format!(
        "{} could have reached {} in {} hop{}{earliest}: {}.",
        name(story, &h.source),
        name(story, target),
        count_word(hops.len()),
        if hops.len() == 1 { "" } else { "s" },
        hops.join("; then ")
    )
}

fn overview(story: &Story, focus: &Focus) -> String {
    let mut kinds: BTreeMap<&str, usize> = BTreeMap::new();
    let mut n = 0;
    for e in &story.entities {
        if focus.entities.as_ref().is_none_or(|s| s.contains(&e.id)) {
            n += 1;
            *kinds.entry(e.kind().as_str()).or_insert(0) += 1;
        }
    }
    let events: Vec<&Event> = story
        .events
        .iter()
        .filter(|e| e.certainty() >= focus.threshold && drawn(focus, e))
        .collect();
    let (mut lo, mut hi): (Option<&Event>, Option<&Event>) = (None, None);
    for e in &events {
        let iv = e.interval();
        if let Some(l) = iv.lo {
            if lo.is_none_or(|x| x.interval().lo.is_none_or(|xl| l < xl)) {
                lo = Some(e);
            }
        }
        if let Some(h) = iv.hi {
            if hi.is_none_or(|x| x.interval().hi.is_none_or(|xh| h > xh)) {
                hi = Some(e);
            }
        }
    }
    let tz = story.tz();
    let span = match (lo, hi) {
        (Some(a), Some(b)) => {
            let a = a
                .time
                .as_ref()
                .and_then(|t| t.start.as_ref())
                .map(|p| super::style::point_label(p, &tz, super::style::DateStyle::Long));
            let b = b
                .time
                .as_ref()
                .and_then(|t| t.end.as_ref())
                .map(|p| super::style::point_label(p, &tz, super::style::DateStyle::Long));
            match (a, b) {
                (Some(a), Some(b)) if a != b => format!(", from {a} to {b}"),
                (Some(a), _) => format!(", from {a}"),
                _ => String::new(),
            }
        }
        _ => String::new(),
    };
    let kinds_text: Vec<String> = [
        ("person", "person", "people"),
        ("organisation", "organisation", "organisations"),
        ("group", "group", "groups"),
        ("other", "other entity", "other entities"),
    ]
    .iter()
    .filter_map(|(k, one, many)| {
        kinds
            .get(k)
            .map(|&c| format!("{} {}", count_word(c), if c == 1 { one } else { many }))
    })
    .collect();
    let undated = events.iter().filter(|e| e.time.is_none()).count();
    let undated_text = if undated > 0 {
        format!(" ({} undated)", count_word(undated))
    } else {
        String::new()
    };
    format!(
        "The diagram shows {} ({n} in all) and {} contact{}{undated_text}{span}; each entity sits at the date it first appears, people are blue ellipses, organisations orange boxes, groups green hexagons, and line style shows how sure each contact is.",
        join_names(&kinds_text),
        count_word(events.len()),
        if events.len() == 1 { "" } else { "s" }
    )
}
