//! Why an entity is not reached, in plain words, naming the events.

use serde::Serialize;

use super::reach::{earliest_arrival, reach, NO_UPPER};
use super::Query;
use crate::catalog::Catalog;
use crate::index::{Index, Mode};
use crate::model::time::format_at_precision;
use crate::model::{Certainty, Precision};
use crate::Error;

/// What kind of reason.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ReasonKind {
    /// It is reached after all.
    Reached,
    /// No event involves it.
    NoContacts,
    /// No event carrying the message involves it (message mode).
    NotCarried,
    /// A contact with a reached entity happened before that entity could know.
    TooEarly,
    /// A contact exists only below the threshold.
    BelowThreshold,
    /// It is reached only without `--strict`.
    StrictOnly,
    /// Its contacts were never reached themselves.
    UnreachedContacts,
}

/// One reason, with the events it rests on.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Reason {
    /// What kind.
    pub kind: ReasonKind,
    /// The reason in a sentence.
    pub text: String,
    /// Event ids it names.
    pub events: Vec<String>,
}

/// The answer of `why-not`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct WhyNot {
    /// Target entity id.
    pub entity: String,
    /// Target name.
    pub name: String,
    /// Whether it is reached (then the only reason says so).
    pub reached: bool,
    /// The reasons, most telling first.
    pub reasons: Vec<Reason>,
}

fn date(catalog: &dyn Catalog, t: i64) -> String {
    if t == i64::MIN {
        return "the start".into();
    }
    format_at_precision(t, Precision::Day, &catalog.timezone())
}

/// Explains why `target` is not reached by `query`.
///
/// Looks, in turn, for: no contacts at all; in message mode, no carrying event;
/// contacts with reached entities that happened before they could have known
/// (naming the event and both dates); contacts below the threshold (naming the
/// weakest event of the chain that would reach it); reach only without
/// `--strict`; and contacts that were never reached themselves.
pub fn why_not(catalog: &dyn Catalog, query: &Query, target: &str) -> Result<WhyNot, Error> {
    let t = catalog.resolve_entity(target).map_err(Error::Query)?;
    let tid = catalog.entity_id(t).to_string();
    let name = catalog.entity_name(t).to_string();
    let (index, rq) = query.compile(catalog)?;
    let answer = reach(&index, &rq);
    let mut reasons = Vec::new();
    if let Some(r) = answer.get(&tid) {
        reasons.push(Reason {
            kind: ReasonKind::Reached,
            text: format!(
                "{name} is reached ({} evidence), via {}.",
                r.evidence,
                chain(&index, r)
            ),
            events: events(&index, r),
        });
        return Ok(WhyNot {
            entity: tid,
            name,
            reached: true,
            reasons,
        });
    }
    let channels = catalog.channels();
    let mut involved: Vec<u32> = (0..channels.len())
        .filter(|&c| channels.from[c] == t || channels.to[c] == t)
        .map(|c| channels.event(c))
        .collect();
    involved.sort_unstable();
    involved.dedup();
    if involved.is_empty() {
        reasons.push(Reason {
            kind: ReasonKind::NoContacts,
            text: format!("{name} has no contacts at all in the story: no event names them."),
            events: vec![],
        });
        return Ok(WhyNot {
            entity: tid,
            name,
            reached: false,
            reasons,
        });
    }
    if query.mode == Mode::Message {
        let msg = index.spec().message.clone().unwrap_or_default();
        let carrying = catalog.carrying_events(&msg);
        if !involved.iter().any(|e| carrying.binary_search(e).is_ok()) {
            reasons.push(Reason {
                kind: ReasonKind::NotCarried,
                text: format!(
                    "No event documented to carry \"{msg}\" involves {name}; try --mode contacts for who could have been told."
                ),
                events: vec![],
            });
        }
    }
    // Every channel into the target, at any certainty, in the query's mode.
    let all = Query {
        threshold: Certainty::Unknown,
        ..query.clone()
    };
    let (all_index, _) = all.compile(catalog)?;
    let arr = earliest_arrival(&index, &rq, query.threshold);
    let mut too_early = Vec::new();
    let mut below = Vec::new();
    let mut unreached = Vec::new();
    for (u, c) in all_index.senders_into(t) {
        let (u, c) = (u as usize, c as usize);
        let ev = catalog.event(all_index.event(c));
        let when = ev
            .time
            .as_ref()
            .map(|t| t.text.clone())
            .unwrap_or_else(|| "undated".into());
        let sender = catalog.entity_name(u as u32).to_string();
        if arr[u] == NO_UPPER {
            unreached.push((sender, ev.id.clone()));
            continue;
        }
        let ready = if query.strict && arr[u] != i64::MIN {
            arr[u] + 1
        } else {
            arr[u]
        };
        if ev.certainty() < query.threshold {
            below.push(format!(
                "{} ({when}, {}) with {sender}",
                ev.id,
                ev.certainty()
            ));
        } else if all_index.hi(c) < ready {
            too_early.push(Reason {
                kind: ReasonKind::TooEarly,
                text: format!(
                    "{name}'s contact with {sender}, event \"{}\" ({}, {when}), happened before {sender} could have known ({}).",
                    ev.id,
                    ev.kind(),
                    date(catalog, arr[u])
                ),
                events: vec![ev.id.clone()],
            });
        }
    }
    reasons.extend(too_early);
    if query.threshold > Certainty::Unknown {
        let weaker = reach(&all_index, &rq);
        if let Some(r) = weaker.get(&tid) {
            let weakest = events(&all_index, r)
                .iter()
                .filter_map(|id| catalog.event_number(id).map(|e| catalog.event(e)))
                .min_by_key(|e| e.certainty())
                .map(|e| (e.id.clone(), e.certainty()));
            if let Some((id, c)) = weakest {
                reasons.push(Reason {
                    kind: ReasonKind::BelowThreshold,
                    text: format!(
                        "{name} is reached only below the {} threshold: the chain {} rests on event \"{id}\", which is {c}.",
                        query.threshold,
                        chain(&all_index, r)
                    ),
                    events: vec![id],
                });
            }
        } else if !below.is_empty() {
            reasons.push(Reason {
                kind: ReasonKind::BelowThreshold,
                text: format!(
                    "{name}'s other contacts are below the {} threshold: {}.",
                    query.threshold,
                    below.join("; ")
                ),
                events: vec![],
            });
        }
    }
    if query.strict {
        let lax = Query {
            strict: false,
            ..query.clone()
        };
        let (li, lq) = lax.compile(catalog)?;
        let lax_answer = reach(&li, &lq);
        if let Some(r) = lax_answer.get(&tid) {
            reasons.push(Reason {
                kind: ReasonKind::StrictOnly,
                text: format!(
                    "{name} is reached without --strict, via {}: a hop of that chain falls in the same second as its sender's receipt.",
                    chain(&li, r)
                ),
                events: events(&li, r),
            });
        }
    }
    if !unreached.is_empty() && reasons.is_empty() {
        let mut names: Vec<String> = unreached.iter().map(|(n, _)| n.clone()).collect();
        names.sort();
        names.dedup();
        reasons.push(Reason {
            kind: ReasonKind::UnreachedContacts,
            text: format!(
                "{name}'s only contacts ({}) are never reached themselves.",
                names.join(", ")
            ),
            events: unreached.into_iter().map(|(_, e)| e).collect(),
        });
    }
    if reasons.is_empty() {
        reasons.push(Reason {
            kind: ReasonKind::UnreachedContacts,
            text: format!("None of {name}'s contacts carries it from anyone who had it."),
            events: vec![],
        });
    }
    Ok(WhyNot {
        entity: tid,
        name,
        reached: false,
        reasons,
    })
}

fn chain(index: &Index, r: &super::Reached) -> String {
    format!(
        "{} (events {})",
        r.chain(index).join(" → "),
        events(index, r).join(", ")
    )
}

/// The event ids of `r`'s chain (filled whether or not the query asked for
/// paths).
fn events(index: &Index, r: &super::Reached) -> Vec<String> {
    r.hops(index)
        .into_iter()
        .map(|(_, _, c)| index.event_id(c).into_owned())
        .collect()
}
