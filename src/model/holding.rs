//! What a story knows besides its contacts that places information in
//! time: a holding (an entity had a message by some time) and a marker (a
//! reference date).

use super::{Certainty, Citation, EmptyLists, Event, Extra, Parties, TimeExpr};

/// A claim that an entity had a message by some time, whatever route it
/// came by. In every query about the message it counts as a channel from the
/// message's origin to the entity ([`Holding::as_event`]).
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Holding {
    /// Unique id.
    pub id: String,
    /// The entity that held the message.
    pub entity: String,
    /// The message it held.
    pub message: String,
    /// When it is attested to hold it; `None` means any time.
    pub time: Option<TimeExpr>,
    /// The certainty as written; `None` means reported.
    pub certainty: Option<Certainty>,
    /// Free text.
    pub summary: Option<String>,
    /// Free text.
    pub quote: Option<String>,
    /// Citations.
    pub sources: Vec<Citation>,
    /// `sources` when written as `[]`.
    pub empty: EmptyLists,
    /// Unknown fields, kept.
    pub extra: Extra,
}

/// The kind of the event a holding stands for in queries about its message.
pub const HOLDING_KIND: &str = "holding";

impl Holding {
    /// The certainty, reported when not written.
    pub fn certainty(&self) -> Certainty {
        self.certainty.unwrap_or_default()
    }

    /// The holding as the channel it is in queries about its message: an
    /// event of kind [`HOLDING_KIND`] from `origin` (the message's origin) to
    /// the entity, with the holding's id, time, certainty and citations,
    /// carrying the message.
    pub fn as_event(&self, origin: &str) -> Event {
        Event {
            id: self.id.clone(),
            kind: Some(HOLDING_KIND.to_string()),
            parties: Parties::Directed {
                from: origin.to_string(),
                to: vec![self.entity.clone()],
                to_is_array: false,
            },
            time: self.time.clone(),
            certainty: self.certainty,
            carries: vec![self.message.clone()],
            summary: self.summary.clone(),
            quote: self.quote.clone(),
            sources: self.sources.clone(),
            ..Event::default()
        }
    }
}

/// A reference date a reader needs to place the story (election day):
/// drawn where time is drawn, never a contact.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Marker {
    /// Unique id.
    pub id: String,
    /// What it marks ("Election day").
    pub label: String,
    /// When.
    pub time: Option<TimeExpr>,
    /// Unknown fields, kept.
    pub extra: Extra,
}
