//! What every analysis asks of its input, whatever the input is.
//!
//! A story file and a ten-million-row CSV corpus are two front doors to the
//! same house: both are a [`Catalog`]. It gives entity ids and names, the
//! messages, every event's details on demand, and the input's [`Channels`]:
//! every channel of every event, sorted in canonical time order, in compact
//! columns. [`crate::Index`] is built from a catalogue alone, so every
//! analysis, export and picture is written once and works on both inputs.
//!
//! [`StoryCatalog`] makes a catalogue of a [`Story`]; the CSV reader's
//! corpus is one by itself (`io`).
//!
//! # Example
//! ```
//! use grapevine::{Catalog, StoryCatalog};
//! let story = grapevine::load_path("graphs/trump-jr-wikileaks.json".as_ref()).unwrap().story;
//! let catalog = StoryCatalog::new(&story);
//! let jr = catalog.resolve_entity("trump jr").unwrap();
//! assert_eq!(catalog.entity_name(jr), "Donald Trump Jr.");
//! ```

use std::borrow::Cow;
use std::collections::BTreeSet;

use jiff::tz::TimeZone;

use crate::error::QueryError;
use crate::model::{
    Certainty, Entity, EntityKind, Event, Interval, Message, Relation, Source, Story,
};

mod ids;
mod lookup;
mod names;
mod story;

pub use ids::{ChannelId, EntityId, EventId, Hop, HubId, Node, NodeId};
use lookup::{excerpt, resolve_entity};
pub use lookup::{fold, natural_cmp, nearest, suggest_distance, MAX_SUGGEST_CHARS, SUGGEST_BUDGET};
pub use names::Names;
pub use story::StoryCatalog;

/// No lower bound: the information was held from the beginning of time.
#[doc(hidden)]
pub const NO_LOWER: i64 = i64::MIN;
/// No upper bound: not known by any time.
#[doc(hidden)]
pub const NO_UPPER: i64 = i64::MAX;

/// Channel times, in one of two storages.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TimeColumns {
    /// Every channel is one exact second: `base + offset[c]`. A channel costs
    /// 4 bytes of time instead of 16.
    Exact {
        /// The earliest second.
        base: i64,
        /// Seconds after `base`, per channel.
        offset: Vec<u32>,
    },
    /// Intervals `[lo, hi]`; `i64::MIN` and `i64::MAX` stand for open ends
    /// (use [`Channels::lo`] and [`Channels::hi`] rather than the raw values).
    Intervals {
        /// Earliest second per channel.
        lo: Vec<i64>,
        /// Latest second per channel.
        hi: Vec<i64>,
    },
}

impl Default for TimeColumns {
    fn default() -> Self {
        TimeColumns::Exact {
            base: 0,
            offset: Vec::new(),
        }
    }
}

impl TimeColumns {
    /// The compact exact storage when every interval is one second and the
    /// span fits 32 bits (with two values spare), else intervals.
    pub fn from_intervals(lo: Vec<i64>, hi: Vec<i64>) -> TimeColumns {
        let exact = lo.iter().zip(&hi).all(|(l, h)| l == h);
        let base = lo.iter().copied().min().unwrap_or(0);
        let max = lo.iter().copied().max().unwrap_or(0);
        let fits = base != i64::MIN
            && max != i64::MAX
            && max
                .checked_sub(base)
                .is_some_and(|span| span <= i64::from(u32::MAX - 2));
        if exact && fits {
            TimeColumns::Exact {
                base,
                offset: lo.iter().map(|&t| (t - base) as u32).collect(),
            }
        } else {
            TimeColumns::Intervals { lo, hi }
        }
    }

    /// Number of channels.
    pub fn len(&self) -> usize {
        match self {
            TimeColumns::Exact { offset, .. } => offset.len(),
            TimeColumns::Intervals { lo, .. } => lo.len(),
        }
    }

    /// True when there are none.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

/// Every channel of an input's events, sorted canonically: by `lo`, then
/// `hi`, then event order (see [`Catalog::channels`]), then sender and
/// receiver. Columns are parallel: channel `c` goes from `from[c]` to `to[c]`
/// during its event's interval.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Channels {
    /// Sender of each channel (entity number).
    pub from: Vec<u32>,
    /// Receiver of each channel.
    pub to: Vec<u32>,
    /// The event each channel comes from (event number); `None` when channel
    /// `c` is event `c` (one channel per event, as in a CSV corpus).
    pub event: Option<Vec<u32>>,
    /// When.
    pub times: TimeColumns,
    /// Certainty of each channel's event ([`certainty_bits`]).
    pub certainty: Vec<u8>,
    /// The channels of each event, when events have several
    /// ([`Channels::of_events`]): `by_event[start[e]..start[e + 1]]`,
    /// ascending. Empty when `event` is `None` (channel `c` is event `c`).
    pub by_event: (Vec<u32>, Vec<u32>),
    /// Hub nodes, numbered after the entities (`entity_count()` up to
    /// `entity_count() + hubs`): a mutual event of [`HUB_MIN`] or more
    /// participants gives a channel from each participant into its hub and
    /// one from the hub to each participant, 2k channels instead of k(k−1).
    /// Information passes through a hub within its event, with no hop and no
    /// second of its own, so the answers are those of every ordered pair.
    pub hubs: u32,
}

/// A holding as a channel of the queries about its message
/// ([`Catalog::holding_channels`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct HoldingChannel {
    /// Its event number (after every event's).
    pub event: EventId,
    /// The message's origin.
    pub from: EntityId,
    /// The entity that held the message.
    pub to: EntityId,
    /// Earliest second of the holding's time (`i64::MIN`: no lower bound).
    pub lo: i64,
    /// Latest second (`i64::MAX`: no upper bound).
    pub hi: i64,
    /// Its certainty.
    pub certainty: Certainty,
}

/// Participants from which a mutual event goes through a hub (see
/// [`Channels::hubs`]); smaller meetings give every ordered pair.
pub const HUB_MIN: usize = 3;

impl Channels {
    /// Number of channels.
    pub fn len(&self) -> usize {
        self.from.len()
    }

    /// True when there are none.
    pub fn is_empty(&self) -> bool {
        self.from.is_empty()
    }

    /// Fills [`Channels::by_event`] from the event column, for `events`
    /// events. O(c).
    pub fn index_events(&mut self, events: usize) {
        let Some(event) = &self.event else {
            self.by_event = Default::default();
            return;
        };
        let mut start = vec![0u32; events + 1];
        for &e in event {
            if let Some(s) = start.get_mut(e as usize + 1) {
                *s += 1;
            }
        }
        for i in 0..events {
            start[i + 1] += start[i];
        }
        let mut fill = start.clone();
        let mut list = vec![0u32; start[events] as usize];
        for (ch, &e) in event.iter().enumerate() {
            if let Some(f) = fill.get_mut(e as usize) {
                list[*f as usize] = ch as u32;
                *f += 1;
            }
        }
        self.by_event = (start, list);
    }

    /// The channels of `events` (ascending event numbers), ascending: the
    /// channels a message's documented chain may use, found without a scan
    /// of every channel. O(k log k) for the k channels found.
    pub fn of_events(&self, events: &[EventId]) -> Vec<ChannelId> {
        if self.event.is_none() {
            return events
                .iter()
                .filter(|e| e.index() < self.len())
                .map(|e| ChannelId(e.0))
                .collect();
        }
        let (start, list) = &self.by_event;
        let mut out: Vec<ChannelId> = events
            .iter()
            .filter_map(|e| {
                let a = *start.get(e.index())? as usize;
                let b = *start.get(e.index() + 1)? as usize;
                list.get(a..b)
            })
            .flatten()
            .map(|&c| ChannelId(c))
            .collect();
        out.sort_unstable();
        out
    }

    /// Sender of channel `c`.
    #[inline]
    pub fn from(&self, c: ChannelId) -> NodeId {
        NodeId(self.from[c.index()])
    }

    /// Receiver of channel `c`.
    #[inline]
    pub fn to(&self, c: ChannelId) -> NodeId {
        NodeId(self.to[c.index()])
    }

    /// The event of channel `c`.
    #[inline]
    pub fn event(&self, c: ChannelId) -> EventId {
        match &self.event {
            Some(e) => EventId(e[c.index()]),
            None => EventId(c.0),
        }
    }

    /// Earliest second of channel `c` (`i64::MIN`: no lower bound).
    #[inline]
    pub fn lo(&self, c: ChannelId) -> i64 {
        let c = c.index();
        match &self.times {
            TimeColumns::Exact { base, offset } => base + i64::from(offset[c]),
            TimeColumns::Intervals { lo, .. } => lo[c],
        }
    }

    /// Latest second of channel `c` (`i64::MAX`: no upper bound).
    #[inline]
    pub fn hi(&self, c: ChannelId) -> i64 {
        let c = c.index();
        match &self.times {
            TimeColumns::Exact { base, offset } => base + i64::from(offset[c]),
            TimeColumns::Intervals { hi, .. } => hi[c],
        }
    }

    /// Bytes held.
    pub fn heap_bytes(&self) -> usize {
        let times = match &self.times {
            TimeColumns::Exact { offset, .. } => offset.capacity() * 4,
            TimeColumns::Intervals { lo, hi } => (lo.capacity() + hi.capacity()) * 8,
        };
        (self.from.capacity() + self.to.capacity()) * 4
            + self.event.as_ref().map_or(0, |e| e.capacity() * 4)
            + (self.by_event.0.capacity() + self.by_event.1.capacity()) * 4
            + times
            + self.certainty.capacity()
    }
}

/// A certainty as two bits, ordered like [`Certainty`] (unknown 0 to
/// confirmed 3), as [`Channels::certainty`] holds it.
#[inline]
pub fn certainty_bits(c: Certainty) -> u8 {
    match c {
        Certainty::Unknown => 0,
        Certainty::Alleged => 1,
        Certainty::Reported => 2,
        Certainty::Confirmed => 3,
    }
}

/// The certainty of two bits made by [`certainty_bits`].
#[inline]
pub fn certainty_of_bits(bits: u8) -> Certainty {
    match bits & 0b11 {
        0 => Certainty::Unknown,
        1 => Certainty::Alleged,
        2 => Certainty::Reported,
        _ => Certainty::Confirmed,
    }
}

/// What analyses ask of an input: entities, messages, events on demand, and
/// the sorted channels. Entities are numbered `0..entity_count()`, events
/// `0..event_count()`, messages `0..message_count()`.
pub trait Catalog: Sync {
    /// Number of entities.
    fn entity_count(&self) -> usize;
    /// Id of entity `u`.
    fn entity_id(&self, u: EntityId) -> &str;
    /// Display name of entity `u` (the id when the input has no names).
    fn entity_name(&self, u: EntityId) -> &str {
        self.entity_id(u)
    }
    /// Every detail of entity `u`.
    fn entity(&self, u: EntityId) -> Cow<'_, Entity>;
    /// Other names of entity `u`.
    fn entity_aliases(&self, _u: EntityId) -> &[String] {
        &[]
    }
    /// The kind of entity `u`.
    fn entity_kind(&self, _u: EntityId) -> EntityKind {
        EntityKind::Other
    }
    /// The entity with exactly this id. O(1) or O(log n).
    fn entity_number(&self, id: &str) -> Option<EntityId>;

    /// Number of messages.
    fn message_count(&self) -> usize;
    /// Message `m`, with its origin and time.
    fn message(&self, m: usize) -> Cow<'_, Message>;
    /// The message with exactly this id.
    fn message_number(&self, id: &str) -> Option<usize>;
    /// How to name message `m`'s origin in an error message.
    fn describe_origin(&self, m: usize) -> String {
        let msg = self.message(m);
        let origin = msg.origin.as_deref().unwrap_or("");
        match self.entity_number(origin) {
            Some(u) => self.entity_name(u).to_string(),
            None => origin.to_string(),
        }
    }
    /// What to say when no message has an id, as the end of a sentence
    /// ("the story defines no messages").
    fn no_messages_note(&self) -> &'static str {
        "the story defines no messages"
    }

    /// Number of events.
    fn event_count(&self) -> usize;
    /// Id of event `e`.
    fn event_id(&self, e: EventId) -> Cow<'_, str>;
    /// Appends the id of event `e` to `out` (no allocation where the input
    /// can avoid it: answers of millions of rows write ids this way).
    fn write_event_id(&self, e: EventId, out: &mut String) {
        out.push_str(&self.event_id(e));
    }
    /// Every detail of event `e` (built on demand for inputs that keep less).
    fn event(&self, e: EventId) -> Cow<'_, Event>;
    /// The interval of event `e` (any time when undated).
    fn event_interval(&self, e: EventId) -> Interval {
        self.event(e).interval()
    }
    /// The kind of event `e` as written (`other` when not written).
    fn event_kind(&self, e: EventId) -> Cow<'_, str> {
        Cow::Owned(self.event(e).kind().to_string())
    }
    /// The certainty of event `e`.
    fn event_certainty(&self, e: EventId) -> Certainty {
        self.event(e).certainty()
    }
    /// The event with exactly this id (the first, if several rows share it).
    fn event_number(&self, id: &str) -> Option<EventId>;
    /// The events that carry message `id`, ascending.
    fn carrying_events(&self, id: &str) -> Vec<EventId>;

    /// The channels of every event, in canonical order.
    fn channels(&self) -> &Channels;

    /// The holdings of message `id` as channels from its origin to the
    /// holding entity, in file order (none for inputs without holdings).
    /// Queries about the message use them ([`crate::Index::build`]); their
    /// event numbers come after the events', so that [`Catalog::event_id`]
    /// and [`Catalog::event`] of one give the holding (as an event of kind
    /// [`crate::model::HOLDING_KIND`]).
    fn holding_channels(&self, _id: &str) -> Vec<HoldingChannel> {
        Vec::new()
    }

    /// True when event number `e` stands for a holding.
    fn is_holding(&self, _e: EventId) -> bool {
        false
    }

    /// The input's time zone: dates without an offset are days there.
    fn timezone(&self) -> TimeZone {
        TimeZone::UTC
    }
    /// The zone's name as written, if any.
    fn timezone_name(&self) -> Option<&str> {
        None
    }
    /// Headline.
    fn title(&self) -> Option<&str> {
        None
    }
    /// Publications the events cite.
    fn sources(&self) -> &[Source] {
        &[]
    }
    /// Reference dates a reader needs (election day): drawn and listed,
    /// never contacts.
    fn markers(&self) -> &[crate::model::Marker] {
        &[]
    }
    /// The holdings as written, in file order (claims that an entity had a
    /// message by some time; [`Catalog::holding_channels`] gives them as
    /// channels).
    fn holdings(&self) -> &[crate::model::Holding] {
        &[]
    }
    /// Whether its events can cite sources (a story's can; a CSV corpus's
    /// rows cannot, so they are not uncited claims).
    fn cites(&self) -> bool {
        true
    }
    /// Standing ties (member of, family): drawn, never followed.
    fn relations(&self) -> &[Relation] {
        &[]
    }

    /// Finds an entity by id, name or alias: exactly first, then
    /// case-insensitively, folding accents and curly apostrophes.
    ///
    /// Errors list the candidates when the text is ambiguous, or the nearest
    /// names (by edit distance) when nothing matches.
    fn resolve_entity(&self, text: &str) -> Result<EntityId, QueryError> {
        resolve_entity(self, text)
    }

    /// The entities and events of the focus as a small [`Story`] (all of
    /// them with `None`), for pictures and exports: messages carried by the
    /// kept events, sources, and relations between kept entities come along.
    fn excerpt(
        &self,
        entities: Option<&BTreeSet<String>>,
        events: Option<&BTreeSet<String>>,
    ) -> Story {
        excerpt(self, entities, events)
    }
}

#[cfg(test)]
mod tests {
    use std::cmp::Ordering;

    use super::{certainty_bits, certainty_of_bits, fold, natural_cmp, Names, TimeColumns};
    use crate::model::Certainty;

    #[test]
    fn natural_order() {
        assert_eq!(natural_cmp("line-9", "line-10"), Ordering::Less);
        assert_eq!(natural_cmp("a", "a"), Ordering::Equal);
        assert_eq!(natural_cmp("a01", "a1"), Ordering::Greater);
        assert_eq!(natural_cmp("a1", "a1b"), Ordering::Less);
        assert_eq!(natural_cmp("b", "a2"), Ordering::Greater);
    }

    #[test]
    fn folding() {
        assert_eq!(fold(" Zoë "), "zoe");
        assert_eq!(fold("O’Brien"), "o'brien");
        assert_eq!(fold("ŁÓDŹ"), "lodz");
    }

    #[test]
    fn exact_storage_chosen_when_it_fits() {
        assert!(matches!(
            TimeColumns::from_intervals(vec![5, 7], vec![5, 7]),
            TimeColumns::Exact { base: 5, .. }
        ));
        let iv = |lo: Vec<i64>, hi: Vec<i64>| {
            matches!(
                TimeColumns::from_intervals(lo, hi),
                TimeColumns::Intervals { .. }
            )
        };
        assert!(iv(vec![5, 7], vec![5, 8]));
        assert!(iv(vec![i64::MIN], vec![i64::MIN]));
        assert!(iv(vec![0, 1 << 40], vec![0, 1 << 40]));
    }

    #[test]
    fn names_round_trip() {
        let n: Names = ["a", "", "bc@d.example"].iter().collect();
        assert_eq!(n.len(), 3);
        assert_eq!(n.get(0), "a");
        assert_eq!(n.get(1), "");
        assert_eq!(n.get(2), "bc@d.example");
        assert_eq!(n.get(3), "");
    }

    #[test]
    fn certainty_bits_round_trip() {
        for c in Certainty::ALL {
            assert_eq!(certainty_of_bits(certainty_bits(c)), c);
        }
        assert!(certainty_bits(Certainty::Confirmed) > certainty_bits(Certainty::Reported));
    }
}
