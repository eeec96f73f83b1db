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
use std::cmp::Ordering;
use std::collections::{BTreeSet, HashMap};

use jiff::tz::TimeZone;

use crate::model::{
    Certainty, Entity, EntityKind, Event, Interval, Message, Parties, Relation, Source, Story,
};

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

    /// The channels of `events` (ascending event numbers), ascending: the
    /// channels a message's documented chain may use, found without a scan
    /// of every channel. O(k log k) for the k channels found.
    pub fn of_events(&self, events: &[u32]) -> Vec<u32> {
        if self.event.is_none() {
            return events
                .iter()
                .copied()
                .filter(|&e| (e as usize) < self.len())
                .collect();
        }
        let (start, list) = &self.by_event;
        let mut out: Vec<u32> = events
            .iter()
            .filter_map(|&e| {
                let a = *start.get(e as usize)? as usize;
                let b = *start.get(e as usize + 1)? as usize;
                list.get(a..b)
            })
            .flatten()
            .copied()
            .collect();
        out.sort_unstable();
        out
    }

    /// The event of channel `c`.
    #[inline]
    pub fn event(&self, c: usize) -> u32 {
        match &self.event {
            Some(e) => e[c],
            None => c as u32,
        }
    }

    /// Earliest second of channel `c` (`i64::MIN`: no lower bound).
    #[inline]
    pub fn lo(&self, c: usize) -> i64 {
        match &self.times {
            TimeColumns::Exact { base, offset } => base + i64::from(offset[c]),
            TimeColumns::Intervals { lo, .. } => lo[c],
        }
    }

    /// Latest second of channel `c` (`i64::MAX`: no upper bound).
    #[inline]
    pub fn hi(&self, c: usize) -> i64 {
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
    fn entity_id(&self, u: u32) -> &str;
    /// Display name of entity `u` (the id when the input has no names).
    fn entity_name(&self, u: u32) -> &str {
        self.entity_id(u)
    }
    /// Every detail of entity `u`.
    fn entity(&self, u: u32) -> Cow<'_, Entity>;
    /// Other names of entity `u`.
    fn entity_aliases(&self, _u: u32) -> &[String] {
        &[]
    }
    /// The kind of entity `u`.
    fn entity_kind(&self, _u: u32) -> EntityKind {
        EntityKind::Other
    }
    /// The entity with exactly this id. O(1) or O(log n).
    fn entity_number(&self, id: &str) -> Option<u32>;

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
    fn event_id(&self, e: u32) -> Cow<'_, str>;
    /// Appends the id of event `e` to `out` (no allocation where the input
    /// can avoid it: answers of millions of rows write ids this way).
    fn write_event_id(&self, e: u32, out: &mut String) {
        out.push_str(&self.event_id(e));
    }
    /// Every detail of event `e` (built on demand for inputs that keep less).
    fn event(&self, e: u32) -> Cow<'_, Event>;
    /// The interval of event `e` (any time when undated).
    fn event_interval(&self, e: u32) -> Interval {
        self.event(e).interval()
    }
    /// The kind of event `e` as written (`other` when not written).
    fn event_kind(&self, e: u32) -> Cow<'_, str> {
        Cow::Owned(self.event(e).kind().to_string())
    }
    /// The certainty of event `e`.
    fn event_certainty(&self, e: u32) -> Certainty {
        self.event(e).certainty()
    }
    /// The event with exactly this id (the first, if several rows share it).
    fn event_number(&self, id: &str) -> Option<u32>;
    /// The events that carry message `id`, ascending.
    fn carrying_events(&self, id: &str) -> Vec<u32>;

    /// The channels of every event, in canonical order.
    fn channels(&self) -> &Channels;

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
    /// Standing ties (member of, family): drawn, never followed.
    fn relations(&self) -> &[Relation] {
        &[]
    }

    /// Finds an entity by id, name or alias: exactly first, then
    /// case-insensitively, folding accents and curly apostrophes.
    ///
    /// Errors list the candidates when the text is ambiguous, or the nearest
    /// names (by edit distance) when nothing matches.
    fn resolve_entity(&self, text: &str) -> Result<u32, String> {
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

fn resolve_entity<C: Catalog + ?Sized>(cat: &C, text: &str) -> Result<u32, String> {
    if let Some(u) = cat.entity_number(text) {
        return Ok(u);
    }
    let needle = fold(text);
    let names = |u: u32| {
        std::iter::once(cat.entity_id(u))
            .chain(std::iter::once(cat.entity_name(u)))
            .chain(cat.entity_aliases(u).iter().map(String::as_str))
    };
    let n = cat.entity_count() as u32;
    let hits: Vec<u32> = (0..n)
        .filter(|&u| names(u).any(|s| fold(s) == needle))
        .collect();
    let label = |u: u32| {
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
            let mut scored: Vec<(usize, &str, u32)> = (0..n)
                .map(|u| {
                    let d = names(u)
                        .map(|s| suggest_distance(&needle, &fold(s)))
                        .min()
                        .unwrap_or(usize::MAX);
                    (d, cat.entity_id(u), u)
                })
                .collect();
            let k = scored.len().min(3);
            if k > 0 {
                scored.select_nth_unstable(k - 1);
                scored.truncate(k);
                scored.sort_unstable();
            }
            if scored.is_empty() {
                Err(format!(
                    "no entity is called \"{text}\": there are no entities"
                ))
            } else {
                let near: Vec<String> = scored.iter().map(|&(_, _, u)| label(u)).collect();
                Err(format!(
                    "no entity is called \"{text}\"; the nearest are: {}",
                    near.join(", ")
                ))
            }
        }
        _ => {
            let list: Vec<String> = hits.iter().map(|&u| label(u)).collect();
            Err(format!(
                "\"{text}\" could be any of: {}; give the id",
                list.join(", ")
            ))
        }
    }
}

/// Edit distance (strsim's Levenshtein), with a bonus for one name containing
/// the other; used only to order suggestions.
pub fn suggest_distance(a: &str, b: &str) -> usize {
    if !a.is_empty() && (b.contains(a) || a.contains(b)) {
        return a.len().abs_diff(b.len()).min(1);
    }
    strsim::levenshtein(a, b)
}

fn excerpt<C: Catalog + ?Sized>(
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
    for e in 0..cat.event_count() as u32 {
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
    for u in 0..cat.entity_count() as u32 {
        let id = cat.entity_id(u);
        if (entities.is_none() && events.is_none())
            || wanted.contains(id)
            || entities.is_some_and(|s| s.contains(id))
        {
            story.entities.push(cat.entity(u).into_owned());
        }
    }
    let kept: BTreeSet<&str> = story.entities.iter().map(|e| e.id.as_str()).collect();
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

/// A [`Story`] as a [`Catalog`]: lookups by id in O(1) and its channels
/// sorted once, at construction (O(c log c) for c channels).
///
/// Mutual events give every ordered pair of their participants as channels:
/// a meeting of k people costs k(k-1) channels.
#[derive(Debug, Clone)]
pub struct StoryCatalog<'s> {
    story: Cow<'s, Story>,
    entities: HashMap<String, u32>,
    events: HashMap<String, u32>,
    messages: HashMap<String, usize>,
    /// The events that carry each message id, in file order.
    carrying: HashMap<String, Vec<u32>>,
    channels: Channels,
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
            entities.entry(e.id.clone()).or_insert(i as u32);
        }
        let mut events = HashMap::with_capacity(story.events.len());
        for (i, e) in story.events.iter().enumerate() {
            events.entry(e.id.clone()).or_insert(i as u32);
        }
        let mut messages = HashMap::with_capacity(story.messages.len());
        for (i, m) in story.messages.iter().enumerate() {
            messages.entry(m.id.clone()).or_insert(i);
        }
        let mut carrying: HashMap<String, Vec<u32>> = HashMap::new();
        for (i, e) in story.events.iter().enumerate() {
            for m in &e.carries {
                let list = carrying.entry(m.clone()).or_default();
                // An event that names a message twice is listed once.
                if list.last() != Some(&(i as u32)) {
                    list.push(i as u32);
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
            tz,
        }
    }

    /// The story.
    pub fn story(&self) -> &Story {
        &self.story
    }
}

/// A story's channels in canonical order: by `lo`, `hi`, event (natural id
/// order), then into a hub before out of it, then sender and receiver ids.
fn story_channels(story: &Story, ids: &HashMap<String, u32>, hub_min: usize) -> Channels {
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
                .filter_map(|p| ids.get(p).copied())
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
            let (Some(&a), Some(&b)) = (ids.get(a), ids.get(b)) else {
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
    // Each event's channels, for message-mode indexes.
    let events = story.events.len();
    let mut start = vec![0u32; events + 1];
    for &e in &event {
        start[e as usize + 1] += 1;
    }
    for i in 0..events {
        start[i + 1] += start[i];
    }
    let mut fill = start.clone();
    let mut list = vec![0u32; event.len()];
    for (ch, &e) in event.iter().enumerate() {
        list[fill[e as usize] as usize] = ch as u32;
        fill[e as usize] += 1;
    }
    c.by_event = (start, list);
    c.event = Some(event);
    c.times = TimeColumns::from_intervals(lo, hi);
    c
}

impl Catalog for StoryCatalog<'_> {
    fn entity_count(&self) -> usize {
        self.story.entities.len()
    }
    fn entity_id(&self, u: u32) -> &str {
        &self.story.entities[u as usize].id
    }
    fn entity_name(&self, u: u32) -> &str {
        &self.story.entities[u as usize].name
    }
    fn entity(&self, u: u32) -> Cow<'_, Entity> {
        Cow::Borrowed(&self.story.entities[u as usize])
    }
    fn entity_aliases(&self, u: u32) -> &[String] {
        &self.story.entities[u as usize].aliases
    }
    fn entity_kind(&self, u: u32) -> EntityKind {
        self.story.entities[u as usize].kind()
    }
    fn entity_number(&self, id: &str) -> Option<u32> {
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
    fn event_id(&self, e: u32) -> Cow<'_, str> {
        Cow::Borrowed(&self.story.events[e as usize].id)
    }
    fn event(&self, e: u32) -> Cow<'_, Event> {
        Cow::Borrowed(&self.story.events[e as usize])
    }
    fn event_interval(&self, e: u32) -> Interval {
        self.story.events[e as usize].interval()
    }
    fn event_number(&self, id: &str) -> Option<u32> {
        self.events.get(id).copied()
    }
    fn event_kind(&self, e: u32) -> Cow<'_, str> {
        Cow::Borrowed(self.story.events[e as usize].kind())
    }
    fn event_certainty(&self, e: u32) -> Certainty {
        self.story.events[e as usize].certainty()
    }
    fn carrying_events(&self, id: &str) -> Vec<u32> {
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

/// Many short strings in one allocation: string `i` is
/// `text[ends[i - 1]..ends[i]]`.
///
/// A million e-mail addresses cost their bytes plus 4 bytes each, instead of
/// a `String` each (24 bytes plus an allocation).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Names {
    text: String,
    ends: Vec<u32>,
}

impl Names {
    /// An empty list.
    pub fn new() -> Names {
        Names::default()
    }

    /// Appends `s`; returns its number, or `None` when the total length would
    /// pass 4 GiB.
    pub fn push(&mut self, s: &str) -> Option<u32> {
        let end = u32::try_from(self.text.len() + s.len()).ok()?;
        let n = u32::try_from(self.ends.len()).ok()?;
        self.text.push_str(s);
        self.ends.push(end);
        Some(n)
    }

    /// String number `i` (empty when out of range).
    #[inline]
    pub fn get(&self, i: usize) -> &str {
        let Some(&end) = self.ends.get(i) else {
            return "";
        };
        let start = if i == 0 { 0 } else { self.ends[i - 1] };
        &self.text[start as usize..end as usize]
    }

    /// Number of strings.
    pub fn len(&self) -> usize {
        self.ends.len()
    }

    /// True when there are none.
    pub fn is_empty(&self) -> bool {
        self.ends.is_empty()
    }

    /// The strings in order.
    pub fn iter(&self) -> impl Iterator<Item = &str> + '_ {
        (0..self.len()).map(move |i| self.get(i))
    }

    /// Bytes held (text and offsets).
    pub fn heap_bytes(&self) -> usize {
        self.text.capacity() + self.ends.capacity() * 4
    }

    /// Gives back spare capacity.
    pub fn shrink_to_fit(&mut self) {
        self.text.shrink_to_fit();
        self.ends.shrink_to_fit();
    }

    /// The text and end offsets, for batched lookups.
    pub(crate) fn raw(&self) -> (&[u8], &[u32]) {
        (self.text.as_bytes(), &self.ends)
    }
}

impl<S: AsRef<str>> FromIterator<S> for Names {
    fn from_iter<I: IntoIterator<Item = S>>(iter: I) -> Names {
        let mut names = Names::new();
        for s in iter {
            // Stories are far below 4 GiB of ids.
            let _ = names.push(s.as_ref());
        }
        names
    }
}

#[cfg(test)]
mod tests {
    use super::*;

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
