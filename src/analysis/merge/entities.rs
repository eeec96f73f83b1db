//! Which entity of the second story is which of the first: judgements,
//! exact id and name matches, and proposals with their reasons.

use std::collections::{HashMap, HashSet};

use super::{JoinReason, Joined, MergeReport, Pair, Proposal};
use crate::catalog::fold;
use crate::model::judgement::{Judgement, Verdict};
use crate::model::{Entity, Story};

/// A name folded for matching: [`fold`], then words separated by single
/// spaces, with full stops and commas dropped ("D. Trump, Jr." and
/// "d trump jr" are one key).
pub(super) fn name_key(s: &str) -> String {
    fold(s)
        .split(|c: char| c.is_whitespace() || c == ',')
        .map(|w| w.trim_matches('.'))
        .filter(|w| !w.is_empty())
        .collect::<Vec<_>>()
        .join(" ")
}

/// The entity's name and aliases as keys.
fn keys(e: &Entity) -> Vec<String> {
    std::iter::once(&e.name)
        .chain(&e.aliases)
        .map(|n| name_key(n))
        .filter(|k| !k.is_empty())
        .collect()
}

/// "d trump jr" ~ "donald trump jr": the same number of words, each the
/// same or one an initial of the other, at least one initial and one whole
/// word in common.
pub(super) fn initials_match(x: &str, y: &str) -> bool {
    let (a, b): (Vec<&str>, Vec<&str>) = (x.split(' ').collect(), y.split(' ').collect());
    if a.len() != b.len() || a.len() < 2 {
        return false;
    }
    let (mut initial, mut whole) = (false, false);
    for (p, q) in a.iter().zip(&b) {
        if p == q {
            whole |= p.chars().count() > 1;
            continue;
        }
        let (short, long) = if p.chars().count() == 1 {
            (p, q)
        } else {
            (q, p)
        };
        if short.chars().count() == 1 && long.starts_with(*short) {
            initial = true;
        } else {
            return false;
        }
    }
    initial && whole
}

fn url_key(u: &str) -> String {
    u.trim().trim_end_matches('/').to_lowercase()
}

/// Why `a` and `b` may be one entity, and how sure (out of 100); `None`
/// when nothing suggests it.
pub(super) fn score(a: &Entity, b: &Entity) -> Option<(u8, Vec<&'static str>)> {
    let mut reasons: Vec<(u8, &'static str)> = Vec::new();
    if let (Some(x), Some(y)) = (&a.url, &b.url) {
        if !x.trim().is_empty() && url_key(x) == url_key(y) {
            reasons.push((90, "same url"));
        }
    }
    let (ka, kb) = (keys(a), keys(b));
    if !ka.is_empty() && ka.first() == kb.first() {
        reasons.push((85, "same name"));
    } else if ka.iter().any(|k| kb.contains(k)) {
        reasons.push((75, "a name or alias in common"));
    } else if ka.iter().any(|x| kb.iter().any(|y| initials_match(x, y))) {
        reasons.push((60, "initials"));
    }
    if a.id == b.id {
        reasons.push((50, "same id"));
    }
    let best = reasons.iter().map(|r| r.0).max()?;
    let more = u8::try_from(reasons.len() - 1).unwrap_or(0) * 5;
    Some((
        best.saturating_add(more).min(99),
        reasons.into_iter().map(|r| r.1).collect(),
    ))
}

/// Decides the entities: fills `report`'s joined, proposed and apart
/// lists and returns the second story's joined ids with their ids in the
/// first.
pub(super) fn match_entities(
    a: &Story,
    b: &Story,
    judgements: &[Judgement],
    accept: bool,
    report: &mut MergeReport,
) -> HashMap<String, String> {
    let verdict: HashMap<(&str, &str), Verdict> = judgements
        .iter()
        .map(|j| ((j.a.as_str(), j.b.as_str()), j.judgement))
        .collect();
    let in_a: HashMap<&str, &Entity> = a.entities.iter().map(|e| (e.id.as_str(), e)).collect();
    let in_b: HashMap<&str, &Entity> = b.entities.iter().map(|e| (e.id.as_str(), e)).collect();
    let mut joins = Joins::default();
    for j in judgements {
        match j.judgement {
            Verdict::Same => {
                if let (Some(x), Some(_)) = (in_a.get(j.a.as_str()), in_b.get(j.b.as_str())) {
                    if !joins.free(&x.id, &j.b) {
                        report.notes.push(format!(
                            "judgement {} same as {} not applied: one of them is already joined by an earlier judgement",
                            j.a, j.b
                        ));
                    }
                    joins.join(x, &j.b, JoinReason::Judged, report);
                }
            }
            Verdict::Different => report.apart.push(Pair {
                a: j.a.clone(),
                b: j.b.clone(),
            }),
            Verdict::Unsure => {}
        }
    }
    for e in &b.entities {
        let judged = verdict.contains_key(&(e.id.as_str(), e.id.as_str()));
        if let Some(x) = in_a.get(e.id.as_str()) {
            if !judged && name_key(&x.name) == name_key(&e.name) {
                joins.join(x, &e.id, JoinReason::IdAndName, report);
            }
        }
    }
    propose(a, b, &verdict, accept, &mut joins, report);
    joins.map
}

#[derive(Default)]
struct Joins {
    map: HashMap<String, String>,
    taken: HashSet<String>,
}

impl Joins {
    fn free(&self, a: &str, b: &str) -> bool {
        !self.taken.contains(a) && !self.map.contains_key(b)
    }

    fn join(&mut self, a: &Entity, b: &str, how: JoinReason, report: &mut MergeReport) {
        if !self.free(&a.id, b) {
            return;
        }
        self.taken.insert(a.id.clone());
        self.map.insert(b.to_string(), a.id.clone());
        report.joined.push(Joined {
            a: a.id.clone(),
            b: b.to_string(),
            name: a.name.clone(),
            how,
            notes: Vec::new(),
        });
    }
}

/// What two entities that [`score`] relates share at least one of: the
/// id, the link, a whole word of a name or alias.
fn hints(e: &Entity) -> Vec<String> {
    let mut out = vec![format!("id {}", e.id)];
    if let Some(u) = e.url.as_deref().filter(|u| !u.trim().is_empty()) {
        out.push(format!("url {}", url_key(u)));
    }
    for k in keys(e) {
        out.push(format!("key {k}"));
        out.extend(
            k.split(' ')
                .filter(|w| w.chars().count() > 1)
                .map(|w| format!("word {w}")),
        );
    }
    out
}

/// Every pair of entities not yet joined that may be one, best first;
/// with `accept`, joins them (each entity at most once).
fn propose(
    a: &Story,
    b: &Story,
    verdict: &HashMap<(&str, &str), Verdict>,
    accept: bool,
    joins: &mut Joins,
    report: &mut MergeReport,
) {
    let open: Vec<&Entity> = a
        .entities
        .iter()
        .filter(|x| !joins.taken.contains(&x.id))
        .collect();
    let mut by_hint: HashMap<String, Vec<usize>> = HashMap::new();
    for (i, x) in open.iter().enumerate() {
        for h in hints(x) {
            by_hint.entry(h).or_default().push(i);
        }
    }
    let mut found = Vec::new();
    for y in b.entities.iter().filter(|y| !joins.map.contains_key(&y.id)) {
        let mut near: Vec<usize> = hints(y)
            .iter()
            .filter_map(|h| by_hint.get(h))
            .flatten()
            .copied()
            .collect();
        near.sort_unstable();
        near.dedup();
        for x in near.into_iter().map(|i| open[i]) {
            if verdict.get(&(x.id.as_str(), y.id.as_str())) == Some(&Verdict::Different) {
                continue;
            }
            if let Some((score, reasons)) = score(x, y) {
                found.push((score, x, y, reasons));
            }
        }
    }
    found.sort_by_key(|q| std::cmp::Reverse(q.0));
    for (score, x, y, reasons) in found {
        let applied = accept && joins.free(&x.id, &y.id);
        if applied {
            joins.join(x, &y.id, JoinReason::Proposal, report);
        }
        report.proposed.push(Proposal {
            a: x.id.clone(),
            b: y.id.clone(),
            a_name: x.name.clone(),
            b_name: y.name.clone(),
            score,
            reasons,
            applied,
        });
    }
}

/// The joined entity: the first story's, with the second's name and
/// aliases as aliases, its tags, and the fields the first left out; a note
/// for each field both set differently (the first's kept).
pub(super) fn join_entity(x: &mut Entity, y: &Entity, notes: &mut Vec<String>) {
    let mut names: Vec<String> = keys(x);
    for n in std::iter::once(&y.name).chain(&y.aliases) {
        let k = name_key(n);
        if !k.is_empty() && !names.contains(&k) {
            names.push(k);
            x.aliases.push(n.clone());
        }
    }
    for t in &y.tags {
        if !x.tags.contains(t) {
            x.tags.push(t.clone());
        }
    }
    for (field, mine, theirs) in [
        ("kind", &mut x.kind, &y.kind),
        ("description", &mut x.description, &y.description),
        ("url", &mut x.url, &y.url),
    ] {
        fill(field, mine, theirs, notes);
    }
    super::claims::union_extra(&mut x.extra, &y.extra, notes);
}

/// Takes `theirs` where `mine` is not set; notes a difference.
pub(super) fn fill(
    field: &str,
    mine: &mut Option<String>,
    theirs: &Option<String>,
    notes: &mut Vec<String>,
) {
    match (mine.as_ref(), theirs) {
        (None, Some(t)) => *mine = Some(t.clone()),
        (Some(m), Some(t)) if m != t => notes.push(format!("{field}: kept {m:?}, not {t:?}")),
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn merge_initials() {
        let k = |s| name_key(s);
        assert!(initials_match(&k("D. Trump Jr."), &k("Donald Trump Jr.")));
        assert!(!initials_match(&k("D. Trump"), &k("E. Trump")));
        assert!(!initials_match(&k("Donald Trump"), &k("Donald Trump")));
        assert_eq!(k("Julian  Assange,"), "julian assange");
        assert_eq!(k("Zoë O’Brien"), "zoe o'brien");
    }
}
