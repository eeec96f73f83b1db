//! Finding things by what people type: names folded for lookup, nearest
//! names, natural id order, and the excerpt of a catalogue as a story.

use std::cmp::Ordering;
use std::collections::BTreeSet;

use super::{Catalog, EntityId, EventId};
use crate::error::QueryError;
use crate::model::Story;

/// Folds a name for lookup: lower case, accents removed, curly apostrophes
/// and quotes made straight, spaces trimmed.
pub fn fold(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.trim().chars() {
        match c {
            '\u{2018}' | '\u{2019}' | '\u{02bc}' | '\u{2032}' | '`' | '\u{b4}' => out.push('\''),
            '\u{201c}' | '\u{201d}' => out.push('"'),
            c => {
                for l in c.to_lowercase() {
                    out.push(strip_accent(l));
                }
            }
        }
    }
    out
}

/// The base letter of a letter with a diacritic (é → e, ł → l), through
/// Unicode canonical decomposition; other characters unchanged.
fn strip_accent(c: char) -> char {
    use unicode_normalization::char::{decompose_canonical, is_combining_mark};
    match c {
        'ł' => 'l',
        'ø' => 'o',
        'đ' => 'd',
        'ħ' => 'h',
        'ı' => 'i',
        _ => {
            let mut base = c;
            let mut first = true;
            decompose_canonical(c, |d| {
                if first && !is_combining_mark(d) {
                    base = d;
                }
                first = false;
            });
            base
        }
    }
}

pub(super) fn resolve_entity<C: Catalog + ?Sized>(
    cat: &C,
    text: &str,
) -> Result<EntityId, QueryError> {
    if let Some(u) = cat.entity_number(text) {
        return Ok(u);
    }
    let needle = fold(text);
    let names = |u: EntityId| {
        std::iter::once(cat.entity_id(u))
            .chain(std::iter::once(cat.entity_name(u)))
            .chain(cat.entity_aliases(u).iter().map(String::as_str))
    };
    let n = cat.entity_count();
    let hits: Vec<EntityId> = EntityId::all(n)
        .filter(|&u| names(u).any(|s| fold(s) == needle))
        .collect();
    let label = |u: EntityId| {
        let (id, name) = (cat.entity_id(u), cat.entity_name(u));
        if id == name {
            id.to_string()
        } else {
            format!("{id} ({name})")
        }
    };
    match hits.as_slice() {
        [u] => Ok(*u),
        [] => {
            let (nearest, _) = nearest(cat, &needle);
            let nearest: Vec<String> = nearest.into_iter().map(label).collect();
            Err(QueryError::UnknownEntity {
                name: text.to_string(),
                nearest,
            })
        }
        _ => Err(QueryError::AmbiguousEntity {
            name: text.to_string(),
            candidates: hits.iter().map(|&u| label(u)).collect(),
        }),
    }
}

/// Characters of an unknown name that the search for the nearest names
/// compares (and of each name it is compared with): 64. A name is typed by
/// a person; a longer one (a 100 KB argument) is cut for the search only.
pub const MAX_SUGGEST_CHARS: usize = 64;

/// Character pairs the search for the nearest names compares for one
/// unknown name: 5×10^7 (about a second in a debug build). Past it the
/// search stops and suggests the nearest names found so far (none when it
/// stopped before the first entity).
pub const SUGGEST_BUDGET: usize = 50_000_000;

/// The (at most three) entities with names nearest `needle` (folded), in
/// order, and the character pairs compared (at most [`SUGGEST_BUDGET`] and
/// one entity's names more).
pub fn nearest<C: Catalog + ?Sized>(cat: &C, needle: &str) -> (Vec<EntityId>, usize) {
    let cut = |s: &str| -> String { s.chars().take(MAX_SUGGEST_CHARS).collect() };
    let needle = cut(needle);
    let len = needle.chars().count().max(1);
    let mut work = 0usize;
    let mut scored: Vec<(usize, &str, EntityId)> = Vec::new();
    for u in EntityId::all(cat.entity_count()) {
        if work > SUGGEST_BUDGET {
            break;
        }
        let names = std::iter::once(cat.entity_id(u))
            .chain(std::iter::once(cat.entity_name(u)))
            .chain(cat.entity_aliases(u).iter().map(String::as_str));
        let d = names
            .map(|s| {
                let s = cut(&fold(s));
                work += len * s.chars().count().max(1);
                suggest_distance(&needle, &s)
            })
            .min()
            .unwrap_or(usize::MAX);
        scored.push((d, cat.entity_id(u), u));
        // Keep the three best (and room to gather more before trimming).
        if scored.len() >= 64 {
            scored.select_nth_unstable(2);
            scored.truncate(3);
        }
    }
    let k = scored.len().min(3);
    if k > 0 {
        scored.select_nth_unstable(k - 1);
        scored.truncate(k);
        scored.sort_unstable();
    }
    (scored.into_iter().map(|(_, _, u)| u).collect(), work)
}

/// Edit distance (strsim's Levenshtein), with a bonus for one name containing
/// the other; used only to order suggestions.
pub fn suggest_distance(a: &str, b: &str) -> usize {
    if !a.is_empty() && (b.contains(a) || a.contains(b)) {
        return a.len().abs_diff(b.len()).min(1);
    }
    strsim::levenshtein(a, b)
}

pub(super) fn excerpt<C: Catalog + ?Sized>(
    cat: &C,
    entities: Option<&BTreeSet<String>>,
    events: Option<&BTreeSet<String>>,
) -> Story {
    let keep_entity = |id: &str| entities.is_none_or(|s| s.contains(id));
    let mut story = Story {
        title: cat.title().map(str::to_string),
        timezone: cat.timezone_name().map(str::to_string),
        ..Story::default()
    };
    let mut carried: BTreeSet<String> = BTreeSet::new();
    let mut used: BTreeSet<String> = BTreeSet::new();
    for e in EventId::all(cat.event_count()) {
        if let Some(set) = events {
            if !set.contains(cat.event_id(e).as_ref()) {
                continue;
            }
        }
        let ev = cat.event(e).into_owned();
        if !ev.parties.entities().iter().all(|id| keep_entity(id)) {
            continue;
        }
        carried.extend(ev.carries.iter().cloned());
        used.extend(ev.sources.iter().map(|c| c.source().to_string()));
        story.events.push(ev);
    }
    // `after` may name events left out: their order is kept in the
    // tightened intervals, the names go (the excerpt stays a valid story).
    let kept_events: BTreeSet<String> = story.events.iter().map(|e| e.id.clone()).collect();
    for ev in &mut story.events {
        ev.after.retain(|b| kept_events.contains(b));
    }
    for m in 0..cat.message_count() {
        let msg = cat.message(m);
        if carried.contains(&msg.id) || events.is_none() {
            used.extend(msg.sources.iter().map(|c| c.source().to_string()));
            story.messages.push(msg.into_owned());
        }
    }
    // Keep a message's origin, so the excerpt stays a valid story.
    let mut wanted: BTreeSet<String> = story
        .messages
        .iter()
        .filter_map(|m| m.origin.clone())
        .collect();
    for ev in &story.events {
        wanted.extend(ev.parties.entities().iter().map(|s| s.to_string()));
    }
    for u in EntityId::all(cat.entity_count()) {
        let id = cat.entity_id(u);
        if (entities.is_none() && events.is_none())
            || wanted.contains(id)
            || entities.is_some_and(|s| s.contains(id))
        {
            story.entities.push(cat.entity(u).into_owned());
        }
    }
    let kept: BTreeSet<&str> = story.entities.iter().map(|e| e.id.as_str()).collect();
    // Holdings of kept messages by kept entities; markers always (a
    // picture draws those in its window).
    let messages: BTreeSet<&str> = story.messages.iter().map(|m| m.id.as_str()).collect();
    for h in cat.holdings() {
        if kept.contains(h.entity.as_str()) && messages.contains(h.message.as_str()) {
            used.extend(h.sources.iter().map(|c| c.source().to_string()));
            story.holdings.push(h.clone());
        }
    }
    story.markers = cat.markers().to_vec();
    for r in cat.relations() {
        if kept.contains(r.from.as_str()) && kept.contains(r.to.as_str()) {
            used.extend(r.sources.iter().map(|c| c.source().to_string()));
            story.relations.push(r.clone());
        }
    }
    story.sources = cat
        .sources()
        .iter()
        .filter(|s| used.contains(&s.id) || events.is_none())
        .cloned()
        .collect();
    // Markers are reference dates for the whole story: all are kept.
    story.markers = cat.markers().to_vec();
    story
}

/// Compares two ids in natural order: runs of digits by their value
/// (`line-9` < `line-10`), everything else by bytes.
pub fn natural_cmp(a: &str, b: &str) -> Ordering {
    let (a, b) = (a.as_bytes(), b.as_bytes());
    let (mut i, mut j) = (0, 0);
    while i < a.len() && j < b.len() {
        if a[i].is_ascii_digit() && b[j].is_ascii_digit() {
            let (si, sj) = (i, j);
            while i < a.len() && a[i].is_ascii_digit() {
                i += 1;
            }
            while j < b.len() && b[j].is_ascii_digit() {
                j += 1;
            }
            let (x, y) = (trim_zeros(&a[si..i]), trim_zeros(&b[sj..j]));
            let ord = x.len().cmp(&y.len()).then_with(|| x.cmp(y));
            if ord != Ordering::Equal {
                return ord;
            }
            // Equal values: fewer leading zeros first, for a total order.
            let ord = (i - si).cmp(&(j - sj));
            if ord != Ordering::Equal {
                return ord;
            }
        } else {
            let ord = a[i].cmp(&b[j]);
            if ord != Ordering::Equal {
                return ord;
            }
            i += 1;
            j += 1;
        }
    }
    (a.len() - i).cmp(&(b.len() - j))
}

fn trim_zeros(d: &[u8]) -> &[u8] {
    let k = d.iter().take_while(|&&c| c == b'0').count();
    &d[k..]
}
