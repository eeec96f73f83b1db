//! A [`Story`] as a [`Catalog`].

use std::borrow::Cow;
use std::collections::{BTreeSet, HashMap};

use jiff::tz::TimeZone;

use super::lookup::{excerpt, natural_cmp};
use super::{
    certainty_bits, Catalog, Channels, EntityId, EventId, HoldingChannel, TimeColumns, HUB_MIN,
};
use crate::model::{
    Certainty, Entity, EntityKind, Event, Interval, Message, Parties, Relation, Source, Story,
};

/// A [`Story`] as a [`Catalog`]: lookups by id in O(1) and its channels
/// sorted once, at construction (O(c log c) for c channels).
///
/// Mutual events give every ordered pair of their participants as channels:
/// a meeting of k people costs k(k-1) channels.
#[derive(Debug, Clone)]
pub struct StoryCatalog<'s> {
    story: Cow<'s, Story>,
    entities: HashMap<String, EntityId>,
    events: HashMap<String, EventId>,
    messages: HashMap<String, usize>,
    /// The events that carry each message id, in file order.
    carrying: HashMap<String, Vec<EventId>>,
    channels: Channels,
    /// Each holding as an event ([`crate::model::Holding::as_event`]),
    /// numbered after the events.
    holding_events: Vec<Event>,
    /// The holdings of each message id as channels, in file order.
    holdings: HashMap<String, Vec<HoldingChannel>>,
    tz: TimeZone,
}

impl<'s> StoryCatalog<'s> {
    /// The catalogue of a borrowed story.
    pub fn new(story: &'s Story) -> StoryCatalog<'s> {
        StoryCatalog::build(Cow::Borrowed(story), HUB_MIN)
    }

    /// The catalogue of an owned story.
    pub fn owned(story: Story) -> StoryCatalog<'static> {
        StoryCatalog::build(Cow::Owned(story), HUB_MIN)
    }

    /// The catalogue of a borrowed story whose mutual events go through a hub
    /// from `hub_min` participants on (`usize::MAX`: never). Every choice
    /// gives the same answers; tests compare them.
    pub fn with_hub_min(story: &'s Story, hub_min: usize) -> StoryCatalog<'s> {
        StoryCatalog::build(Cow::Borrowed(story), hub_min.max(2))
    }

    fn build(story: Cow<'s, Story>, hub_min: usize) -> StoryCatalog<'s> {
        let mut entities = HashMap::with_capacity(story.entities.len());
        for (i, e) in story.entities.iter().enumerate() {
            entities.entry(e.id.clone()).or_insert(EntityId::at(i));
        }
        let mut events = HashMap::with_capacity(story.events.len());
        for (i, e) in story.events.iter().enumerate() {
            events.entry(e.id.clone()).or_insert(EventId::at(i));
        }
        let mut holding_events = Vec::with_capacity(story.holdings.len());
        let mut holdings: HashMap<String, Vec<HoldingChannel>> = HashMap::new();
        for (k, h) in story.holdings.iter().enumerate() {
            let number = EventId::at(story.events.len() + k);
            events.entry(h.id.clone()).or_insert(number);
            let origin = story
                .messages
                .iter()
                .find(|m| m.id == h.message)
                .and_then(|m| m.origin.as_deref());
            holding_events.push(h.as_event(origin.unwrap_or_default()));
            let (Some(from), Some(&to)) = (
                origin.and_then(|o| entities.get(o).copied()),
                entities.get(&h.entity),
            ) else {
                continue;
            };
            let iv = h.time.as_ref().map(|t| t.interval()).unwrap_or_default();
            holdings
                .entry(h.message.clone())
                .or_default()
                .push(HoldingChannel {
                    event: number,
                    from,
                    to,
                    lo: iv.lo_or_min(),
                    hi: iv.hi_or_max(),
                    certainty: h.certainty(),
                });
        }
        let mut messages = HashMap::with_capacity(story.messages.len());
        for (i, m) in story.messages.iter().enumerate() {
            messages.entry(m.id.clone()).or_insert(i);
        }
        let mut carrying: HashMap<String, Vec<EventId>> = HashMap::new();
        for (i, e) in story.events.iter().enumerate() {
            for m in &e.carries {
                let list = carrying.entry(m.clone()).or_default();
                // An event that names a message twice is listed once.
                if list.last() != Some(&EventId::at(i)) {
                    list.push(EventId::at(i));
                }
            }
        }
        let channels = story_channels(&story, &entities, hub_min);
        let tz = story.tz();
        StoryCatalog {
            story,
            entities,
            events,
            messages,
            carrying,
            channels,
            holding_events,
            holdings,
            tz,
        }
    }

    /// The story.
    pub fn story(&self) -> &Story {
        &self.story
    }

    /// Event number `e`: an event, or a holding as one.
    fn ev(&self, e: EventId) -> &Event {
        let e = e.index();
        match self.story.events.get(e) {
            Some(ev) => ev,
            None => &self.holding_events[e - self.story.events.len()],
        }
    }
}

/// A story's channels in canonical order: by `lo`, `hi`, event (natural id
/// order), then into a hub before out of it, then sender and receiver ids.
fn story_channels(story: &Story, ids: &HashMap<String, EntityId>, hub_min: usize) -> Channels {
    let n = story.entities.len() as u32;
    let mut hubs = 0u32;
    // (lo, hi, event, phase, from, to)
    let mut rows: Vec<(i64, i64, u32, u8, u32, u32)> = Vec::new();
    for (ei, e) in story.events.iter().enumerate() {
        let iv = e.interval();
        let (lo, hi, ei) = (iv.lo_or_min(), iv.hi_or_max(), ei as u32);
        if let Parties::Mutual { participants } = &e.parties {
            let mut people: Vec<u32> = participants
                .iter()
                .filter_map(|p| ids.get(p).map(|u| u.0))
                .collect();
            people.sort_unstable();
            people.dedup();
            if people.len() >= hub_min {
                let hub = n + hubs;
                hubs += 1;
                for &p in &people {
                    rows.push((lo, hi, ei, 0, p, hub));
                    rows.push((lo, hi, ei, 1, hub, p));
                }
                continue;
            }
        }
        for (a, b) in e.parties.channels() {
            let (Some(&EntityId(a)), Some(&EntityId(b))) = (ids.get(a), ids.get(b)) else {
                continue;
            };
            rows.push((lo, hi, ei, 0, a, b));
        }
    }
    // Events in natural id order, so that file order never matters.
    let mut rank: Vec<u32> = (0..story.events.len() as u32).collect();
    rank.sort_by(|&x, &y| natural_cmp(&story.events[x as usize].id, &story.events[y as usize].id));
    let mut rank_of = vec![0u32; story.events.len()];
    for (r, &e) in rank.iter().enumerate() {
        rank_of[e as usize] = r as u32;
    }
    let eid = |u: u32| story.entities.get(u as usize).map_or("", |e| e.id.as_str());
    rows.sort_by(|x, y| {
        (x.0, x.1, rank_of[x.2 as usize], x.3)
            .cmp(&(y.0, y.1, rank_of[y.2 as usize], y.3))
            .then_with(|| natural_cmp(eid(x.4), eid(y.4)))
            .then_with(|| natural_cmp(eid(x.5), eid(y.5)))
    });
    rows.dedup_by(|x, y| x.2 == y.2 && x.4 == y.4 && x.5 == y.5);
    let mut c = Channels {
        hubs,
        ..Channels::default()
    };
    let (mut lo, mut hi) = (
        Vec::with_capacity(rows.len()),
        Vec::with_capacity(rows.len()),
    );
    let mut event = Vec::with_capacity(rows.len());
    for (l, h, e, _, a, b) in rows {
        lo.push(l);
        hi.push(h);
        event.push(e);
        c.from.push(a);
        c.to.push(b);
        c.certainty
            .push(certainty_bits(story.events[e as usize].certainty()));
    }
    c.event = Some(event);
    // Each event's channels, for message-mode indexes.
    c.index_events(story.events.len());
    c.times = TimeColumns::from_intervals(lo, hi);
    c
}

impl Catalog for StoryCatalog<'_> {
    fn markers(&self) -> &[crate::model::Marker] {
        &self.story().markers
    }
    fn holdings(&self) -> &[crate::model::Holding] {
        &self.story().holdings
    }
    fn entity_count(&self) -> usize {
        self.story.entities.len()
    }
    fn entity_id(&self, u: EntityId) -> &str {
        &self.story.entities[u.index()].id
    }
    fn entity_name(&self, u: EntityId) -> &str {
        &self.story.entities[u.index()].name
    }
    fn entity(&self, u: EntityId) -> Cow<'_, Entity> {
        Cow::Borrowed(&self.story.entities[u.index()])
    }
    fn entity_aliases(&self, u: EntityId) -> &[String] {
        &self.story.entities[u.index()].aliases
    }
    fn entity_kind(&self, u: EntityId) -> EntityKind {
        self.story.entities[u.index()].kind()
    }
    fn entity_number(&self, id: &str) -> Option<EntityId> {
        self.entities.get(id).copied()
    }
    fn message_count(&self) -> usize {
        self.story.messages.len()
    }
    fn message(&self, m: usize) -> Cow<'_, Message> {
        Cow::Borrowed(&self.story.messages[m])
    }
    fn message_number(&self, id: &str) -> Option<usize> {
        self.messages.get(id).copied()
    }
    fn event_count(&self) -> usize {
        self.story.events.len()
    }
    fn event_id(&self, e: EventId) -> Cow<'_, str> {
        Cow::Borrowed(&self.ev(e).id)
    }
    fn event(&self, e: EventId) -> Cow<'_, Event> {
        Cow::Borrowed(self.ev(e))
    }
    fn event_interval(&self, e: EventId) -> Interval {
        self.ev(e).interval()
    }
    fn event_number(&self, id: &str) -> Option<EventId> {
        self.events.get(id).copied()
    }
    fn event_kind(&self, e: EventId) -> Cow<'_, str> {
        Cow::Borrowed(self.ev(e).kind())
    }
    fn event_certainty(&self, e: EventId) -> Certainty {
        self.ev(e).certainty()
    }
    fn holding_channels(&self, id: &str) -> Vec<HoldingChannel> {
        self.holdings.get(id).cloned().unwrap_or_default()
    }
    fn is_holding(&self, e: EventId) -> bool {
        e.index() >= self.story.events.len()
    }
    fn carrying_events(&self, id: &str) -> Vec<EventId> {
        self.carrying.get(id).cloned().unwrap_or_default()
    }
    fn channels(&self) -> &Channels {
        &self.channels
    }
    fn timezone(&self) -> TimeZone {
        self.tz.clone()
    }
    fn timezone_name(&self) -> Option<&str> {
        self.story.timezone.as_deref()
    }
    fn title(&self) -> Option<&str> {
        self.story.title.as_deref()
    }
    fn sources(&self) -> &[Source] {
        &self.story.sources
    }
    fn relations(&self) -> &[Relation] {
        &self.story.relations
    }
    fn excerpt(
        &self,
        entities: Option<&BTreeSet<String>>,
        events: Option<&BTreeSet<String>>,
    ) -> Story {
        if entities.is_none() && events.is_none() {
            return self.story.as_ref().clone();
        }
        let mut s = excerpt(self, entities, events);
        s.summary = self.story.summary.clone();
        s
    }
}
