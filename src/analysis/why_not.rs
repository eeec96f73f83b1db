//! Why an entity is not reached: structured reasons naming the events,
//! entities and times they rest on. The words are the command line's.

use serde::{Serialize, Serializer};

use super::reach::{earliest_arrival, reach, ReachQuery, Reached, NO_LOWER, NO_UPPER};
use super::Query;
use crate::catalog::{Catalog, ChannelId, EntityId, EventId};
use crate::index::{Index, Mode};
use crate::model::time::rfc3339;
use crate::model::Certainty;
use crate::Error;

/// A chain of contacts from the source.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Chain {
    /// Its event ids, in order.
    pub events: Vec<String>,
    /// The entity ids along it, the source first.
    pub entities: Vec<String>,
}

/// A contact into the target from an entity that had the information.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Contact {
    /// The event id.
    pub event: String,
    /// The sender's entity id.
    pub sender: String,
    /// The event's certainty.
    pub certainty: Certainty,
}

/// One reason, with what it rests on. In JSON, `kind` names the variant
/// (`reached`, `no_contacts`, `not_carried`, `too_early`,
/// `below_threshold`, `contacts_below_threshold`, `strict_only`,
/// `too_late`, `unreached_contacts`, `no_incoming`) and the variant's fields
/// follow; times are RFC 3339 in UTC.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Reason {
    /// It is reached after all, on `evidence`, through `chain`.
    Reached {
        /// The evidence it is reached on.
        evidence: Certainty,
        /// One earliest chain that reaches it.
        chain: Chain,
    },
    /// No event involves it.
    NoContacts,
    /// In message mode: no event that carries `message` involves it.
    NotCarried {
        /// The traced message.
        message: String,
    },
    /// A contact from `sender` (who does get the information) ended before
    /// `sender` could have had it.
    TooEarly {
        /// The contact.
        event: String,
        /// Its sender, who is reached.
        sender: String,
        /// The contact's last second (`None`: no upper bound).
        #[serde(serialize_with = "ser_time")]
        contact_end: Option<i64>,
        /// The earliest time the sender could have had it (`None`: no lower
        /// bound).
        #[serde(serialize_with = "ser_time")]
        sender_from: Option<i64>,
    },
    /// Reached only when weaker contacts are followed: on `evidence`,
    /// through `chain`, resting on `event`.
    BelowThreshold {
        /// The query's threshold.
        threshold: Certainty,
        /// The strongest evidence it is reached on (below the threshold).
        evidence: Certainty,
        /// The event that evidence rests on (the weakest of the chain).
        event: String,
        /// An earliest chain at that evidence level.
        chain: Chain,
    },
    /// Its contacts with entities that have the information are all below
    /// the threshold, and no chain of any certainty reaches it.
    ContactsBelowThreshold {
        /// The query's threshold.
        threshold: Certainty,
        /// The contacts.
        contacts: Vec<Contact>,
    },
    /// Reached only without `--strict`, through `chain`.
    StrictOnly {
        /// An earliest chain without `--strict`.
        chain: Chain,
    },
    /// Reached only after `--until`: from `earliest`, through `chain`.
    TooLate {
        /// The `--until` time.
        #[serde(serialize_with = "ser_time")]
        until: Option<i64>,
        /// The earliest time it could have the information.
        #[serde(serialize_with = "ser_time")]
        earliest: Option<i64>,
        /// An earliest chain.
        chain: Chain,
    },
    /// Its only contacts are with entities that never get the information.
    UnreachedContacts {
        /// Those entities' ids, sorted by name.
        senders: Vec<String>,
        /// The contacts' event ids.
        events: Vec<String>,
    },
    /// No contact (in message mode: no carrying contact) goes to it.
    NoIncoming,
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

fn ser_time<S: Serializer>(t: &Option<i64>, s: S) -> Result<S::Ok, S::Error> {
    match *t {
        Some(v) if v != NO_LOWER && v != NO_UPPER => s.serialize_str(&rfc3339(v)),
        _ => s.serialize_none(),
    }
}

fn bound(t: i64) -> Option<i64> {
    (t != NO_LOWER && t != NO_UPPER).then_some(t)
}

/// Explains why `target` is not reached by `query`.
///
/// Looks, in turn, for: no contacts at all; in message mode, no carrying
/// event; contacts from entities that get the information but ended before
/// they could have it; reach only below the threshold (the chain at the
/// strongest evidence that reaches it, and the event that evidence rests
/// on), or contacts all below it; reach only without `--strict`; reach only
/// after `--until`; contacts only with entities never reached; and no
/// incoming contact at all.
///
/// # Errors
/// Those of [`Query::compile`], and an unknown or ambiguous target.
pub fn why_not(catalog: &dyn Catalog, query: &Query, target: &str) -> Result<WhyNot, Error> {
    let t = catalog.resolve_entity(target).map_err(Error::Query)?;
    let tid = catalog.entity_id(t).to_string();
    let name = catalog.entity_name(t).to_string();
    let (index, rq) = query.compile(catalog)?;
    let answer = reach(&index, &rq);
    let done = |reached, reasons| WhyNot {
        entity: tid.clone(),
        name: name.clone(),
        reached,
        reasons,
    };
    if let Some(r) = answer.get(&tid) {
        let reason = Reason::Reached {
            evidence: r.evidence,
            chain: chain(&index, r),
        };
        return Ok(done(true, vec![reason]));
    }
    let involved = involved_events(catalog, t);
    if involved.is_empty() {
        return Ok(done(false, vec![Reason::NoContacts]));
    }
    let mut reasons = Vec::new();
    if query.mode == Mode::Message {
        let msg = index.spec().message.clone().unwrap_or_default();
        let carrying = catalog.carrying_events(&msg);
        if !involved.iter().any(|e| carrying.binary_search(e).is_ok()) {
            reasons.push(Reason::NotCarried { message: msg });
        }
    }
    let asked = Asked {
        catalog,
        query,
        reach: &rq,
        target: t,
        id: &tid,
    };
    let incoming = asked.incoming(&index)?;
    reasons.extend(incoming.too_early);
    reasons.dedup();
    if query.threshold > Certainty::Unknown {
        if let Some(reason) = asked.below_threshold(&incoming.all_index, incoming.below) {
            reasons.push(reason);
        }
    }
    reasons.extend(asked.relaxed()?);
    if reasons.is_empty() && !incoming.unreached.is_empty() {
        reasons.push(unreached_contacts(catalog, incoming.unreached));
    }
    if reasons.is_empty() {
        reasons.push(Reason::NoIncoming);
    }
    Ok(done(false, reasons))
}

/// The events that involve entity `t`, ascending.
fn involved_events(catalog: &dyn Catalog, t: EntityId) -> Vec<EventId> {
    let channels = catalog.channels();
    let t = t.into();
    let mut involved: Vec<EventId> = ChannelId::all(channels.len())
        .filter(|&c| channels.from(c) == t || channels.to(c) == t)
        .map(|c| channels.event(c))
        .collect();
    involved.sort_unstable();
    involved.dedup();
    involved
}

/// The question a `why-not` answers: the query, and the unreached target.
struct Asked<'a> {
    catalog: &'a dyn Catalog,
    query: &'a Query,
    /// The compiled query.
    reach: &'a ReachQuery,
    target: EntityId,
    /// The target's id.
    id: &'a str,
}

/// The contacts into the target, at any certainty, sorted by what they say.
struct Incoming<'a> {
    /// The index of every channel, at any certainty, in the query's mode.
    all_index: Index<'a>,
    /// Contacts from reached senders that ended before they had it.
    too_early: Vec<Reason>,
    /// Contacts from reached senders below the threshold.
    below: Vec<Contact>,
    /// Contacts from senders never reached: sender and event id.
    unreached: Vec<(EntityId, String)>,
}

impl<'a> Asked<'a> {
    /// Every channel into the target, at any certainty, in the query's mode,
    /// judged against the arrivals of `index` (the query's own).
    fn incoming(&self, index: &Index) -> Result<Incoming<'a>, Error> {
        let (catalog, query) = (self.catalog, self.query);
        let all = Query {
            threshold: Certainty::Unknown,
            ..query.clone()
        };
        let (all_index, _) = all.compile(catalog)?;
        let arr = earliest_arrival(index, self.reach, query.threshold);
        let mut too_early = Vec::new();
        let mut below = Vec::new();
        let mut unreached: Vec<(EntityId, String)> = Vec::new();
        for (u, c) in all_index.senders_into(self.target) {
            let event = all_index.event_id(c).into_owned();
            let sender = catalog.entity_id(u).to_string();
            let got = arr[u.index()];
            if got == NO_UPPER {
                unreached.push((u, event));
                continue;
            }
            let ready = if query.strict && got != NO_LOWER {
                got + 1
            } else {
                got
            };
            let certainty = all_index.certainty(c);
            if certainty < query.threshold {
                below.push(Contact {
                    event,
                    sender,
                    certainty,
                });
            } else if all_index.hi(c) < ready {
                too_early.push(Reason::TooEarly {
                    event,
                    sender,
                    contact_end: bound(all_index.hi(c)),
                    sender_from: bound(got),
                });
            }
        }
        Ok(Incoming {
            all_index,
            too_early,
            below,
            unreached,
        })
    }

    /// Reached only below the threshold (on the strongest evidence that
    /// reaches it), or else its contacts `below` the threshold, if any.
    fn below_threshold(&self, all_index: &Index, below: Vec<Contact>) -> Option<Reason> {
        let (catalog, query, tid) = (self.catalog, self.query, self.id);
        let weaker = reach(all_index, self.reach);
        let at_evidence = weaker.get(tid).map(|r| r.evidence).and_then(|evidence| {
            let q = Query {
                threshold: evidence,
                ..query.clone()
            };
            let (i, rq) = q.compile(catalog).ok()?;
            let a = reach(&i, &rq);
            let r = a.get(tid)?;
            Some(Reason::BelowThreshold {
                threshold: query.threshold,
                evidence,
                event: r.rests_on.clone()?,
                chain: chain(&i, r),
            })
        });
        if at_evidence.is_some() {
            at_evidence
        } else if !below.is_empty() {
            Some(Reason::ContactsBelowThreshold {
                threshold: query.threshold,
                contacts: below,
            })
        } else {
            None
        }
    }

    /// Reached only without `--strict`, or only after `--until`.
    fn relaxed(&self) -> Result<Vec<Reason>, Error> {
        let (catalog, query, tid) = (self.catalog, self.query, self.id);
        let mut reasons = Vec::new();
        if query.strict {
            let lax = Query {
                strict: false,
                ..query.clone()
            };
            let (li, lq) = lax.compile(catalog)?;
            if let Some(r) = reach(&li, &lq).get(tid) {
                reasons.push(Reason::StrictOnly {
                    chain: chain(&li, r),
                });
            }
        }
        if query.until.is_some() {
            let always = Query {
                until: None,
                ..query.clone()
            };
            let (ai, aq) = always.compile(catalog)?;
            if let Some(r) = reach(&ai, &aq).get(tid) {
                reasons.push(Reason::TooLate {
                    until: self.reach.until,
                    earliest: r.earliest,
                    chain: chain(&ai, r),
                });
            }
        }
        Ok(reasons)
    }
}

/// Contacts only from entities that never get the information: the senders
/// by name, and the events.
fn unreached_contacts(catalog: &dyn Catalog, unreached: Vec<(EntityId, String)>) -> Reason {
    let mut senders: Vec<EntityId> = unreached.iter().map(|(u, _)| *u).collect();
    senders.sort_by(|&a, &b| {
        catalog
            .entity_name(a)
            .cmp(catalog.entity_name(b))
            .then_with(|| catalog.entity_id(a).cmp(catalog.entity_id(b)))
    });
    senders.dedup();
    let mut events: Vec<String> = unreached.into_iter().map(|(_, e)| e).collect();
    events.sort();
    events.dedup();
    Reason::UnreachedContacts {
        senders: senders
            .into_iter()
            .map(|u| catalog.entity_id(u).to_string())
            .collect(),
        events,
    }
}

/// The chain of `r` in `index`: its events and the entities along it (a
/// pass through a meeting's hub read as one hop).
fn chain(index: &Index, r: &Reached) -> Chain {
    let hops = r.hops(index);
    let events = hops
        .iter()
        .map(|hop| index.event_id(hop.channel).into_owned())
        .collect();
    let entities = match hops.first() {
        None => vec![r.entity.clone()],
        Some(first) => std::iter::once(first.from)
            .chain(hops.iter().map(|hop| hop.to))
            .map(|u| index.entity_id(u).to_string())
            .collect(),
    };
    Chain { events, entities }
}
