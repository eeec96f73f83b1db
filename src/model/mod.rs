//! The story: entities, messages, events, relations and sources, as validated
//! values. Nothing here knows about files or screens.
//!
//! Fields hold what the file said, as written (kinds keep their spelling, times
//! keep their text), so that saving loses nothing; the accessor methods give the
//! interpreted values.

pub mod grade;
mod holding;
pub mod judgement;
pub mod order;
mod source;
pub mod time;
pub mod value;

use std::collections::HashMap;
use std::fmt;
use std::str::FromStr;

use serde::Serialize;

pub use grade::{Credibility, Grading, Reliability};
pub use holding::{Holding, Marker, HOLDING_KIND};
pub use source::{Citation, Source};
pub use time::{Interval, Precision, TimeError, TimeExpr, TimePoint};

pub use value::{Member, Node, Value};

/// What makes a string unusable as an id, if anything: an id is any
/// non-empty string without control characters or surrounding spaces.
///
/// ```
/// assert_eq!(grapevine::internals::model::id_problem("j.doe@example.org"), None);
/// assert_eq!(grapevine::internals::model::id_problem(" x"), Some("has spaces at its start or end"));
/// ```
pub fn id_problem(id: &str) -> Option<&'static str> {
    if id.is_empty() {
        Some("is empty")
    } else if id.chars().any(char::is_control) {
        Some("contains a control character")
    } else if id.chars().any(is_noncharacter) {
        Some("contains a Unicode noncharacter (such as U+FFFF)")
    } else if id.trim() != id {
        Some("has spaces at its start or end")
    } else {
        None
    }
}

/// Whether `c` is one of Unicode's 66 noncharacters: U+FDD0 to U+FDEF and
/// the last two code points of every plane (U+FFFE, U+FFFF, U+1FFFE, ...).
/// They are not text: XML 1.0 forbids U+FFFE and U+FFFF outright (an SVG
/// or HTML page holding one is not well-formed), and none is meant to be
/// exchanged. Story files and CSV files that hold one are refused, located.
pub fn is_noncharacter(c: char) -> bool {
    let n = c as u32;
    (0xFDD0..=0xFDEF).contains(&n) || n & 0xFFFE == 0xFFFE
}

/// The only format version this build reads and writes.
pub const FORMAT: &str = "grapevine/1";

/// Fields a file had that format 1 does not define, kept in file order and
/// written back unchanged.
pub type Extra = Vec<(String, Value)>;

/// A list field of format 1 that a file may write as an empty array `[]`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ListField {
    /// `sources`: of the story, a message, an event or a relation.
    Sources,
    /// `messages` of the story.
    Messages,
    /// `events` of the story.
    Events,
    /// `relations` of the story.
    Relations,
    /// `aliases` of an entity.
    Aliases,
    /// `tags` of an entity.
    Tags,
    /// `carries` of an event.
    Carries,
    /// `after` of an event.
    After,
    /// `holdings` of the story.
    Holdings,
    /// `markers` of the story.
    Markers,
}

/// The list fields of one object that the file wrote as an empty array `[]`
/// rather than leaving out. Both mean "none"; saving writes back the one the
/// file had, so that `fmt` keeps what the user wrote.
///
/// The loader marks a field only when its list is empty, and the writer
/// writes `[]` only for a marked field whose list is (still) empty.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub struct EmptyLists(u16);

impl EmptyLists {
    /// No field written as `[]`.
    pub const NONE: EmptyLists = EmptyLists(0);

    fn bit(field: ListField) -> u16 {
        1 << (field as u8)
    }

    /// True when `field` was written as `[]`.
    pub fn contains(self, field: ListField) -> bool {
        self.0 & Self::bit(field) != 0
    }

    /// Marks `field` as written `[]`.
    pub fn insert(&mut self, field: ListField) {
        self.0 |= Self::bit(field);
    }

    /// These fields and `field`.
    pub fn with(mut self, field: ListField) -> EmptyLists {
        self.insert(field);
        self
    }
}

/// How sure the reporting is about a contact. Ordered from weakest to
/// strongest, so `Certainty::Confirmed > Certainty::Reported`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Default)]
#[serde(rename_all = "lowercase")]
pub enum Certainty {
    /// Nobody knows whether it happened.
    Unknown,
    /// Claimed by someone, not established.
    Alleged,
    /// Reported by a credible source (the default).
    #[default]
    Reported,
    /// Established: documents, admissions, several sources.
    Confirmed,
}

impl Certainty {
    /// All levels, strongest first.
    pub const ALL: [Certainty; 4] = [
        Certainty::Confirmed,
        Certainty::Reported,
        Certainty::Alleged,
        Certainty::Unknown,
    ];

    /// The word used in files and output.
    pub fn as_str(self) -> &'static str {
        match self {
            Certainty::Confirmed => "confirmed",
            Certainty::Reported => "reported",
            Certainty::Alleged => "alleged",
            Certainty::Unknown => "unknown",
        }
    }
}

/// `--threshold`'s values, strongest first.
#[cfg(feature = "cli")]
impl clap::ValueEnum for Certainty {
    fn value_variants<'a>() -> &'a [Self] {
        &Certainty::ALL
    }

    fn to_possible_value(&self) -> Option<clap::builder::PossibleValue> {
        let help = match self {
            Certainty::Confirmed => "confirmed events only",
            Certainty::Reported => "reported or stronger",
            Certainty::Alleged => "alleged or stronger",
            Certainty::Unknown => "every event",
        };
        Some(clap::builder::PossibleValue::new(self.as_str()).help(help))
    }
}

impl fmt::Display for Certainty {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for Certainty {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        match s {
            "confirmed" => Ok(Certainty::Confirmed),
            "reported" => Ok(Certainty::Reported),
            "alleged" => Ok(Certainty::Alleged),
            "unknown" => Ok(Certainty::Unknown),
            _ => Err(format!(
                "`{s}` is not a certainty: use confirmed, reported, alleged or unknown"
            )),
        }
    }
}

/// What sort of thing an entity is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum EntityKind {
    /// A person.
    Person,
    /// A company, campaign, agency, publication (`organization` also accepted).
    Organisation,
    /// An audience, a crowd, "the public".
    Group,
    /// Anything else (the default).
    Other,
}

impl EntityKind {
    /// Reads a kind as written in a file.
    pub fn parse(s: &str) -> Option<EntityKind> {
        match s {
            "person" => Some(EntityKind::Person),
            "organisation" | "organization" => Some(EntityKind::Organisation),
            "group" => Some(EntityKind::Group),
            "other" => Some(EntityKind::Other),
            _ => None,
        }
    }

    /// The canonical word.
    pub fn as_str(self) -> &'static str {
        match self {
            EntityKind::Person => "person",
            EntityKind::Organisation => "organisation",
            EntityKind::Group => "group",
            EntityKind::Other => "other",
        }
    }
}

/// What sort of contact an event is: one of the kinds format 1 names, or
/// the word a file wrote, kept exactly ([`EventKind::Free`]).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum EventKind {
    /// A written message (a direct message, a text).
    Message,
    /// An email.
    Email,
    /// A message passed on.
    Forward,
    /// A call.
    Call,
    /// A meeting (mutual).
    Meeting,
    /// A post to an audience.
    Post,
    /// A publication.
    Publication,
    /// Material handed over.
    Handover,
    /// Named `other`, or not written.
    Other,
    /// A word format 1 does not name, as written (accepted with a warning
    /// when read, drawn as other).
    Free(String),
}

impl EventKind {
    /// The kind a file's word names: a named kind (exactly as
    /// [`EVENT_KINDS`] spells it), else the word itself as
    /// [`EventKind::Free`].
    pub fn parse(s: &str) -> EventKind {
        match s {
            "message" => EventKind::Message,
            "email" => EventKind::Email,
            "forward" => EventKind::Forward,
            "call" => EventKind::Call,
            "meeting" => EventKind::Meeting,
            "post" => EventKind::Post,
            "publication" => EventKind::Publication,
            "handover" => EventKind::Handover,
            "other" => EventKind::Other,
            free => EventKind::Free(free.to_string()),
        }
    }

    /// The word: the canonical one, or a free word as written.
    pub fn as_str(&self) -> &str {
        match self {
            EventKind::Message => "message",
            EventKind::Email => "email",
            EventKind::Forward => "forward",
            EventKind::Call => "call",
            EventKind::Meeting => "meeting",
            EventKind::Post => "post",
            EventKind::Publication => "publication",
            EventKind::Handover => "handover",
            EventKind::Other => "other",
            EventKind::Free(word) => word,
        }
    }
}

/// The event kinds format 1 names; other text is accepted with a warning.
pub const EVENT_KINDS: [&str; 9] = [
    "message",
    "email",
    "forward",
    "call",
    "meeting",
    "post",
    "publication",
    "handover",
    "other",
];

/// A node: a person, organisation or group.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Entity {
    /// Unique id.
    pub id: String,
    /// Display name.
    pub name: String,
    /// The kind as written (`None` when absent: other).
    pub kind: Option<String>,
    /// Other names the entity goes by.
    pub aliases: Vec<String>,
    /// Free text.
    pub description: Option<String>,
    /// Free tags.
    pub tags: Vec<String>,
    /// A link.
    pub url: Option<String>,
    /// `aliases` and `tags` when written as `[]`.
    pub empty: EmptyLists,
    /// Unknown fields, kept.
    pub extra: Extra,
}

impl Entity {
    /// The interpreted kind (other when absent).
    pub fn kind(&self) -> EntityKind {
        self.kind
            .as_deref()
            .and_then(EntityKind::parse)
            .unwrap_or(EntityKind::Other)
    }
}

/// A piece of information whose spread is traced.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Message {
    /// Unique id.
    pub id: String,
    /// Short title.
    pub title: Option<String>,
    /// The quote.
    pub text: Option<String>,
    /// Entity that first held it.
    pub origin: Option<String>,
    /// When the origin first held it.
    pub time: Option<TimeExpr>,
    /// Citations.
    pub sources: Vec<Citation>,
    /// `sources` when written as `[]`.
    pub empty: EmptyLists,
    /// Unknown fields, kept.
    pub extra: Extra,
}

/// Who an event connects.
#[derive(Debug, Clone, PartialEq)]
pub enum Parties {
    /// A directed contact from one entity to one or more.
    Directed {
        /// Sender.
        from: String,
        /// Receivers.
        to: Vec<String>,
        /// Whether `to` was written as an array (kept for saving).
        to_is_array: bool,
    },
    /// A mutual contact: information may pass between any two.
    Mutual {
        /// At least two entities.
        participants: Vec<String>,
    },
}

impl Default for Parties {
    fn default() -> Self {
        Parties::Mutual {
            participants: Vec::new(),
        }
    }
}

impl Parties {
    /// Every entity id the event involves, in file order.
    pub fn entities(&self) -> Vec<&str> {
        match self {
            Parties::Directed { from, to, .. } => std::iter::once(from.as_str())
                .chain(to.iter().map(String::as_str))
                .collect(),
            Parties::Mutual { participants } => participants.iter().map(String::as_str).collect(),
        }
    }

    /// The channels `(sender, receiver)` it opens: directed `from` to each `to`;
    /// mutual every ordered pair of distinct participants.
    pub fn channels(&self) -> Vec<(&str, &str)> {
        match self {
            Parties::Directed { from, to, .. } => {
                to.iter().map(|t| (from.as_str(), t.as_str())).collect()
            }
            Parties::Mutual { participants } => {
                let mut out = Vec::new();
                for a in participants {
                    for b in participants {
                        if a != b {
                            out.push((a.as_str(), b.as_str()));
                        }
                    }
                }
                out
            }
        }
    }
}

/// A dated contact through which information can pass.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Event {
    /// Unique id.
    pub id: String,
    /// The kind as written (`message`, `meeting`, ... or free text).
    pub kind: Option<String>,
    /// Who it connects.
    pub parties: Parties,
    /// Event ids it happened at or after, as written.
    pub after: Vec<String>,
    /// When; `None` means any time.
    pub time: Option<TimeExpr>,
    /// The interval once `after` has tightened it ([`order::order_events`]);
    /// `None`: the written one. Not written back: `time` is.
    pub ordered: Option<Interval>,
    /// The certainty as written; `None` means reported.
    pub certainty: Option<Certainty>,
    /// Message ids it is documented to have passed on.
    pub carries: Vec<String>,
    /// Free text.
    pub summary: Option<String>,
    /// Free text.
    pub quote: Option<String>,
    /// Citations.
    pub sources: Vec<Citation>,
    /// `carries` and `sources` when written as `[]`.
    pub empty: EmptyLists,
    /// Unknown fields, kept.
    pub extra: Extra,
}

impl Event {
    /// The interval of the event (any time when undated), tightened by
    /// `after` ([`Event::ordered`]).
    pub fn interval(&self) -> Interval {
        if let Some(iv) = self.ordered {
            return iv;
        }
        self.time
            .as_ref()
            .map(TimeExpr::interval)
            .unwrap_or(Interval::ANY)
    }

    /// The certainty, reported when not written.
    pub fn certainty(&self) -> Certainty {
        self.certainty.unwrap_or_default()
    }

    /// The kind, `other` when not written.
    pub fn kind(&self) -> &str {
        self.kind.as_deref().unwrap_or("other")
    }

    /// The kind as a type: [`EventKind::Other`] when not written, a word
    /// format 1 does not name as [`EventKind::Free`].
    pub fn event_kind(&self) -> EventKind {
        self.kind
            .as_deref()
            .map_or(EventKind::Other, EventKind::parse)
    }

    /// True for a mutual contact.
    pub fn is_mutual(&self) -> bool {
        matches!(self.parties, Parties::Mutual { .. })
    }
}

/// A standing tie: member of, family, adviser to. Not a contact.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Relation {
    /// Optional id.
    pub id: Option<String>,
    /// Free text: `member-of`, `family`, ...
    pub kind: Option<String>,
    /// One end.
    pub from: String,
    /// The other end.
    pub to: String,
    /// Text to show.
    pub label: Option<String>,
    /// When the tie held.
    pub time: Option<TimeExpr>,
    /// Certainty as written.
    pub certainty: Option<Certainty>,
    /// Citations.
    pub sources: Vec<Citation>,
    /// `sources` when written as `[]`.
    pub empty: EmptyLists,
    /// Unknown fields, kept.
    pub extra: Extra,
}

/// A validated story: every id it mentions is defined and unique.
#[derive(Debug, Clone, PartialEq)]
pub struct Story {
    /// Always [`FORMAT`].
    pub format: String,
    /// Headline.
    pub title: Option<String>,
    /// One paragraph.
    pub summary: Option<String>,
    /// IANA zone name as written.
    pub timezone: Option<String>,
    /// Sources.
    pub sources: Vec<Source>,
    /// The nodes.
    pub entities: Vec<Entity>,
    /// Traced pieces of information.
    pub messages: Vec<Message>,
    /// The contacts.
    pub events: Vec<Event>,
    /// Claims that an entity had a message by some time.
    pub holdings: Vec<Holding>,
    /// Reference dates.
    pub markers: Vec<Marker>,
    /// Standing ties.
    pub relations: Vec<Relation>,
    /// What each Admiralty grade supports: the default, with the story's
    /// `grading` over it.
    pub grading: Grading,
    /// `sources`, `messages`, `events` and `relations` when written as `[]`.
    pub empty: EmptyLists,
    /// Unknown top-level fields, kept.
    pub extra: Extra,
}

impl Default for Story {
    fn default() -> Self {
        Story {
            format: FORMAT.to_string(),
            title: None,
            summary: None,
            timezone: None,
            sources: Vec::new(),
            entities: Vec::new(),
            messages: Vec::new(),
            events: Vec::new(),
            holdings: Vec::new(),
            markers: Vec::new(),
            relations: Vec::new(),
            grading: Grading::default(),
            empty: EmptyLists::NONE,
            extra: Vec::new(),
        }
    }
}

impl Story {
    /// The story's time zone (UTC when absent or unknown).
    pub fn tz(&self) -> jiff::tz::TimeZone {
        self.timezone
            .as_deref()
            .and_then(|name| time::parse_timezone(name).ok())
            .unwrap_or(jiff::tz::TimeZone::UTC)
    }

    /// Index of the entity with this exact id.
    ///
    /// O(n): a scan. For many look-ups, build a map once ([`Story::entity_ids`])
    /// or use the catalogue of the story (`StoryCatalog`), whose look-ups are O(1).
    pub fn entity_index(&self, id: &str) -> Option<usize> {
        self.entities.iter().position(|e| e.id == id)
    }

    /// The entity with this exact id.
    ///
    /// O(n): a scan. For many look-ups, build a map once ([`Story::entity_ids`])
    /// or use the catalogue of the story (`StoryCatalog`), whose look-ups are O(1).
    pub fn entity(&self, id: &str) -> Option<&Entity> {
        self.entities.iter().find(|e| e.id == id)
    }

    /// The message with this exact id.
    ///
    /// O(n): a scan. For many look-ups, build a map once ([`Story::entity_ids`])
    /// or use the catalogue of the story (`StoryCatalog`), whose look-ups are O(1).
    pub fn message(&self, id: &str) -> Option<&Message> {
        self.messages.iter().find(|m| m.id == id)
    }

    /// The event with this exact id.
    ///
    /// O(n): a scan. For many look-ups, build a map once ([`Story::entity_ids`])
    /// or use the catalogue of the story (`StoryCatalog`), whose look-ups are O(1).
    pub fn event(&self, id: &str) -> Option<&Event> {
        self.events.iter().find(|e| e.id == id)
    }

    /// The source with this exact id.
    ///
    /// O(n): a scan. For many look-ups, build a map once ([`Story::entity_ids`])
    /// or use the catalogue of the story (`StoryCatalog`), whose look-ups are O(1).
    pub fn source(&self, id: &str) -> Option<&Source> {
        self.sources.iter().find(|s| s.id == id)
    }

    /// Display name of an entity id (the id itself when unknown). O(n), as
    /// [`Story::entity`].
    pub fn name_of<'a>(&'a self, id: &'a str) -> &'a str {
        self.entity(id).map(|e| e.name.as_str()).unwrap_or(id)
    }

    /// Finds an entity by id, name or alias, case-insensitively.
    ///
    /// Returns the entity's index, or an error that lists the candidates when
    /// the text is ambiguous, or suggests the nearest names when nothing matches.
    pub fn resolve_entity(&self, text: &str) -> Result<usize, String> {
        if let Some(i) = self.entity_index(text) {
            return Ok(i);
        }
        let needle = text.trim().to_lowercase();
        let mut hits: Vec<usize> = Vec::new();
        for (i, e) in self.entities.iter().enumerate() {
            let names = std::iter::once(&e.id)
                .chain(std::iter::once(&e.name))
                .chain(e.aliases.iter());
            if names.into_iter().any(|n| n.to_lowercase() == needle) {
                hits.push(i);
            }
        }
        match hits.len() {
            1 => Ok(hits[0]),
            0 => {
                let mut scored: Vec<(usize, &Entity)> = self
                    .entities
                    .iter()
                    .map(|e| {
                        let d = std::iter::once(&e.id)
                            .chain(std::iter::once(&e.name))
                            .chain(e.aliases.iter())
                            .map(|n| suggest_distance(&needle, &n.to_lowercase()))
                            .min()
                            .unwrap_or(usize::MAX);
                        (d, e)
                    })
                    .collect();
                scored.sort_by_key(|(d, e)| (*d, e.id.clone()));
                let near: Vec<String> = scored
                    .iter()
                    .take(3)
                    .map(|(_, e)| format!("{} ({})", e.id, e.name))
                    .collect();
                if near.is_empty() {
                    Err(format!(
                        "no entity is called \"{text}\": the story has no entities"
                    ))
                } else {
                    Err(format!(
                        "no entity is called \"{text}\"; the nearest are: {}",
                        near.join(", ")
                    ))
                }
            }
            _ => {
                let list: Vec<String> = hits
                    .iter()
                    .map(|&i| format!("{} ({})", self.entities[i].id, self.entities[i].name))
                    .collect();
                Err(format!(
                    "\"{text}\" could be any of: {}; give the id",
                    list.join(", ")
                ))
            }
        }
    }

    /// Map from every defined entity id to its index (the first, should an id
    /// be defined twice). O(n) to build, O(1) a look-up.
    pub fn entity_ids(&self) -> HashMap<&str, usize> {
        let mut ids = HashMap::with_capacity(self.entities.len());
        for (i, e) in self.entities.iter().enumerate() {
            ids.entry(e.id.as_str()).or_insert(i);
        }
        ids
    }
}

/// Edit distance, with a bonus for one name containing the other; used only to
/// order suggestions.
pub(crate) fn suggest_distance(a: &str, b: &str) -> usize {
    if !a.is_empty() && (b.contains(a) || a.contains(b)) {
        return a.len().abs_diff(b.len()).min(1);
    }
    let a: Vec<char> = a.chars().collect();
    let b: Vec<char> = b.chars().collect();
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.iter().enumerate() {
        let mut cur = vec![i + 1];
        for (j, cb) in b.iter().enumerate() {
            let sub = prev[j] + usize::from(ca != cb);
            cur.push(sub.min(prev[j + 1] + 1).min(cur[j] + 1));
        }
        prev = cur;
    }
    prev[b.len()]
}

#[cfg(test)]
mod tests {
    use super::{Event, EventKind, EVENT_KINDS};

    #[test]
    fn event_kinds_round_trip() {
        for word in EVENT_KINDS {
            let kind = EventKind::parse(word);
            assert!(!matches!(kind, EventKind::Free(_)), "{word}");
            assert_eq!(kind.as_str(), word);
        }
        assert_eq!(EventKind::parse("Tweet"), EventKind::Free("Tweet".into()));
        assert_eq!(EventKind::parse("Email").as_str(), "Email");
        assert_eq!(Event::default().event_kind(), EventKind::Other);
    }
}
