//! The edges the flat graph formats share: contacts and relations as
//! links between two entities, their ids, and what the graph formats lose.

use super::{parts, LossReport};
use crate::catalog::{Catalog, EntityId, EventId};

/// One edge of the flat graph formats: a contact between two entities
/// (one per receiver of a directed event, one per pair of a mutual one) or
/// a standing relation.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Link {
    /// Sender, or first participant.
    pub from: EntityId,
    /// Receiver, or second participant.
    pub to: EntityId,
    /// A mutual contact: no direction.
    pub mutual: bool,
    /// The event of a contact.
    pub event: Option<EventId>,
    /// The relation (index in [`Catalog::relations`]).
    pub relation: Option<usize>,
}

/// Every contact and relation as [`Link`]s, events in catalogue order,
/// then relations.
pub(crate) fn links(catalog: &dyn Catalog) -> Vec<Link> {
    let mut out = Vec::new();
    for e in EventId::all(catalog.event_count()) {
        let ev = catalog.event(e);
        let num = |id: &str| catalog.entity_number(id);
        match &ev.parties {
            crate::model::Parties::Directed { from, to, .. } => {
                for t in to {
                    if let (Some(a), Some(b)) = (num(from), num(t)) {
                        out.push(Link {
                            from: a,
                            to: b,
                            mutual: false,
                            event: Some(e),
                            relation: None,
                        });
                    }
                }
            }
            crate::model::Parties::Mutual { participants } => {
                let ps: Vec<EntityId> = participants.iter().filter_map(|p| num(p)).collect();
                for i in 0..ps.len() {
                    for j in i + 1..ps.len() {
                        out.push(Link {
                            from: ps[i],
                            to: ps[j],
                            mutual: true,
                            event: Some(e),
                            relation: None,
                        });
                    }
                }
            }
        }
    }
    for (i, r) in catalog.relations().iter().enumerate() {
        if let (Some(a), Some(b)) = (catalog.entity_number(&r.from), catalog.entity_number(&r.to)) {
            out.push(Link {
                from: a,
                to: b,
                mutual: false,
                event: None,
                relation: Some(i),
            });
        }
    }
    out
}

/// Ids for edges that no entity id equals: `prefix0`, `prefix1`, ...,
/// skipping any taken.
pub(crate) struct EdgeIds<'c> {
    catalog: &'c dyn Catalog,
    prefix: &'static str,
    next: usize,
}

impl<'c> EdgeIds<'c> {
    pub fn new(catalog: &'c dyn Catalog, prefix: &'static str) -> EdgeIds<'c> {
        EdgeIds {
            catalog,
            prefix,
            next: 0,
        }
    }
    pub fn next_id(&mut self) -> String {
        loop {
            let id = format!("{}{}", self.prefix, self.next);
            self.next += 1;
            if self.catalog.entity_number(&id).is_none() {
                return id;
            }
        }
    }
}

/// Losses every graph format shares: the sources (only the citations'
/// text stays), traced messages (only their ids stay, in `carries`),
/// unknown fields, flattened citations.
///
/// `on_origins`: the format writes each message on its origin's node, so
/// only messages with no origin are lost.
pub(crate) fn graph_losses(catalog: &dyn Catalog, loss: &mut LossReport, on_origins: bool) {
    loss.add_n(
        "sources",
        catalog.sources().len(),
        "{n} source{s} written only inside the citations' text",
    );
    if on_origins {
        loss.add_n(
            "messages",
            parts::messages_without_origin(catalog),
            "{n} traced message{s} with no origin not written (their ids stay in carries)",
        );
    } else {
        loss.add_n(
            "messages",
            catalog.message_count(),
            "{n} traced message{s} not written (their ids stay in carries)",
        );
    }
    let mut extra = 0;
    let mut cites = 0;
    for u in EntityId::all(catalog.entity_count()) {
        extra += usize::from(!catalog.entity(u).extra.is_empty());
    }
    for e in EventId::all(catalog.event_count()) {
        let ev = catalog.event(e);
        extra += usize::from(!ev.extra.is_empty());
        cites += ev.sources.len();
    }
    for r in catalog.relations() {
        extra += usize::from(!r.extra.is_empty());
        cites += r.sources.len();
    }
    cites += parts::holding_citations(catalog);
    if on_origins {
        cites += (0..catalog.message_count())
            .map(|m| catalog.message(m).sources.len())
            .sum::<usize>();
    }
    extra += parts::parts_with_extra(catalog);
    loss.add_n(
        "citations-flattened",
        cites,
        "{n} citation{s} flattened into a sources text",
    );
    loss.add_n(
        "extra-fields",
        extra,
        "{n} object{s} with unknown fields not written",
    );
}
