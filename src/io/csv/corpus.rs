//! Using a corpus: the catalogue of its rows, and the story `import` writes.

use std::collections::HashMap;

use jiff::tz::TimeZone;

use crate::catalog::{Catalog, Channels, Names, TimeColumns};
use crate::diagnostic::{Diagnostic, Report};
use crate::model::time::rfc3339;
use crate::model::{Certainty, Entity, Event, Message, Parties, Story, TimeExpr};

use super::intern::{find, hash_bytes, table_of};
use super::problem::Problems;
use super::{Corpus, CorpusMessage};

use std::borrow::Cow;

use crate::catalog::{ChannelId, EntityId, EventId};

/// Appends `n` in decimal (no formatting machinery: answers write millions).
fn push_decimal(out: &mut String, mut n: u32) {
    let mut digits = [0u8; 10];
    let mut i = digits.len();
    loop {
        i -= 1;
        digits[i] = b'0' + (n % 10) as u8;
        n /= 10;
        if n == 0 {
            break;
        }
    }
    for &d in &digits[i..] {
        out.push(d as char);
    }
}

/// A time text of the file (or an RFC 3339 time made from a row) as a time
/// expression in UTC; `None` when empty.
fn parse_utc(text: &str) -> Option<TimeExpr> {
    (!text.is_empty())
        .then(|| TimeExpr::parse(text, &TimeZone::UTC).ok())
        .flatten()
}

impl Corpus {
    /// Number of rows (events).
    pub fn row_count(&self) -> usize {
        self.channels.len()
    }

    /// The entity ids, by number.
    pub fn entity_ids(&self) -> &Names {
        &self.ids
    }

    /// The messages named in `carries`.
    pub fn messages(&self) -> &[CorpusMessage] {
        &self.messages
    }

    /// True when every row is one exact second.
    pub fn is_exact(&self) -> bool {
        matches!(self.channels.times, TimeColumns::Exact { .. })
    }

    /// The line of row `r` in the file.
    pub fn line_of(&self, r: u32) -> u32 {
        self.line[r as usize]
    }

    /// The kind written on row `r`, if any.
    pub(super) fn kind(&self, r: usize) -> Option<&str> {
        let k = *self.kinds.as_ref()?.get(r)?;
        self.kind_names.get(k as usize).map(String::as_str)
    }

    /// The certainty of row `r`.
    fn certainty(&self, r: usize) -> Certainty {
        crate::catalog::certainty_of_bits(self.channels.certainty[r])
    }

    /// The time of row `r` as written when it is not one exact second, else
    /// RFC 3339 in UTC; empty when undated.
    fn time_text(&self, r: usize) -> String {
        match self.texts.get(&self.line[r]) {
            Some(t) => t.clone(),
            None => rfc3339(self.channels.lo(ChannelId::at(r))),
        }
    }

    /// The event id of the row on `line`: as written, else `line-N`.
    fn id_of_line(&self, line: u32) -> Cow<'_, str> {
        if let Some((lines, names)) = &self.event_ids {
            if let Ok(i) = lines.binary_search(&line) {
                return Cow::Borrowed(names.get(i));
            }
        }
        Cow::Owned(format!("line-{line}"))
    }

    /// The messages the row on `line` carries.
    fn carried(&self, line: u32) -> Vec<String> {
        let a = self.carries.partition_point(|(l, _)| *l < line);
        self.carries[a..]
            .iter()
            .take_while(|(l, _)| *l == line)
            .map(|(_, m)| self.messages_by_number(*m))
            .collect()
    }

    /// The row on `line`, if any.
    fn row_of_line(&self, line: u32) -> Option<u32> {
        let by_line = self.by_line.get_or_init(|| {
            let mut rows: Vec<u32> = (0..self.row_count() as u32).collect();
            rows.sort_unstable_by_key(|&r| self.line[r as usize]);
            rows
        });
        let i = by_line
            .binary_search_by_key(&line, |&r| self.line[r as usize])
            .ok()?;
        Some(by_line[i])
    }

    /// The corpus as a format 1 story: one entity per id (name = id, in
    /// order of first appearance), one message per id in `carries` (origin
    /// and time as described in the module docs), and one event per row in
    /// file order (id as written, else `line-N`; time as written when it is
    /// not one exact second, else RFC 3339 in UTC). Consecutive rows with the
    /// same `id`, sender, time, kind, certainty and carries become one event
    /// with several receivers.
    ///
    /// Errors: an `id` used by rows that are not such a run.
    pub fn to_story(&self) -> Result<Story, Report> {
        let n = self.row_count();
        // Rows in file order.
        let mut order: Vec<u32> = (0..n as u32).collect();
        order.sort_unstable_by_key(|&r| self.line[r as usize]);
        let entity_order = self.first_appearance(&order);
        let messages = (0..self.messages.len())
            .map(|m| self.message(m).into_owned())
            .collect();
        self.story_of(&order, &entity_order, messages)
    }

    /// An error for each event or message whose id is also the id of an
    /// entity or a message: a story's ids are unique among all its objects
    /// (an entity `line-2`, or named like a message, and the id `import`
    /// gives the row on line 2).
    fn id_collisions(
        &self,
        entities: &[Entity],
        messages: &[Message],
        events: &[Event],
        errors: &mut Problems,
    ) {
        let mut ids: HashMap<&str, &str> = HashMap::new();
        for e in entities {
            ids.insert(&e.id, "a sender or receiver");
        }
        let mut clash = |line: u32, what: String, id: &str, other: &str| {
            errors.push_diag(
                line,
                "",
                Diagnostic::error(
                    format!("line {line}: {what} \"{id}\" is also the id of {other}"),
                    None,
                    "",
                )
                .with_help("ids are unique among entities, messages and events in a story: rename one (an event's id is its `id` column, else line-N)"),
            );
        };
        // At most 20 are reported (each looks for its line).
        let mut left = 20usize;
        for m in messages {
            if left == 0 {
                return;
            }
            if let Some(other) = ids.get(m.id.as_str()) {
                left -= 1;
                let line = self.first_carrying(&m.id);
                clash(line, "the carried message".into(), &m.id, other);
            } else {
                ids.insert(&m.id, "a carried message");
            }
        }
        for e in events {
            if left == 0 {
                return;
            }
            if let Some(other) = ids.get(e.id.as_str()) {
                left -= 1;
                let line = self.line_of_event(&e.id);
                clash(line, "the event id".into(), &e.id, other);
            }
        }
    }

    /// The first line whose `carries` names message `id` (0 if none).
    fn first_carrying(&self, id: &str) -> u32 {
        self.carries
            .iter()
            .find(|(_, m)| self.messages_by_number(*m) == id)
            .map_or(0, |(l, _)| *l)
    }

    /// The line of the row whose event id is `id` (`line-N`, or written).
    fn line_of_event(&self, id: &str) -> u32 {
        if let Some((lines, names)) = &self.event_ids {
            if let Some(i) = (0..lines.len()).find(|&i| names.get(i) == id) {
                return lines[i];
            }
        }
        id.strip_prefix("line-")
            .and_then(|n| n.parse().ok())
            .unwrap_or(0)
    }

    /// The entities of `rows` (in file order) in order of first appearance.
    fn first_appearance(&self, rows: &[u32]) -> Vec<u32> {
        let mut seen = vec![false; self.entity_count()];
        let mut entity_order: Vec<u32> = Vec::new();
        for &r in rows {
            for e in [self.channels.from[r as usize], self.channels.to[r as usize]] {
                if !std::mem::replace(&mut seen[e as usize], true) {
                    entity_order.push(e);
                }
            }
        }
        entity_order
    }

    /// A story of `order` (rows in file order), with `entity_order`'s
    /// entities and `messages`; rows of one e-mail to several receivers
    /// become one event, as [`Corpus::to_story`] says.
    fn story_of(
        &self,
        order: &[u32],
        entity_order: &[u32],
        messages: Vec<Message>,
    ) -> Result<Story, Report> {
        let n = order.len();
        let entities: Vec<Entity> = entity_order
            .iter()
            .map(|&e| Entity {
                id: self.ids.get(e as usize).to_string(),
                name: self.ids.get(e as usize).to_string(),
                ..Entity::default()
            })
            .collect();
        let id_of = |line: u32| self.id_of_line(line).into_owned();
        let carried = |line: u32| self.carried(line);
        let mut events: Vec<Event> = Vec::with_capacity(n);
        let mut seen: HashMap<String, u32> = HashMap::new();
        let mut errors = Problems::default();
        for &r in order {
            let r = r as usize;
            let line = self.line[r];
            let id = id_of(line);
            let time_text = self.time_text(r);
            let kind = self.kind(r).map(str::to_string);
            let certainty = self.certainty_written.then(|| self.certainty(r));
            let carries = carried(line);
            let to = self.ids.get(self.channels.to[r] as usize).to_string();
            let from = self.ids.get(self.channels.from[r] as usize).to_string();
            if let Some(&first_line) = seen.get(&id) {
                // A run of rows of one event with several receivers?
                if let Some(last) = events.last_mut() {
                    if last.id == id
                        && last.kind == kind
                        && last.certainty == certainty
                        && last.carries == carries
                        && last.time.as_ref().map(|t| t.text.as_str()) == Some(time_text.as_str())
                    {
                        if let Parties::Directed {
                            from: f,
                            to: t,
                            to_is_array,
                        } = &mut last.parties
                        {
                            if *f == from {
                                t.push(to);
                                *to_is_array = true;
                                continue;
                            }
                        }
                    }
                }
                errors.push_diag(
                    line,
                    "",
                    Diagnostic::error(
                        format!(
                            "line {line}: event id \"{id}\" is already used on line {first_line} by a different contact"
                        ),
                        None,
                        "",
                    )
                    .with_help("give every event its own id; rows of one e-mail to several receivers share an id only when they follow each other with the same sender and time"),
                );
                continue;
            }
            seen.insert(id.clone(), line);
            events.push(Event {
                id,
                kind,
                parties: Parties::Directed {
                    from,
                    to: vec![to],
                    to_is_array: false,
                },
                time: parse_utc(&time_text),
                certainty,
                carries,
                ..Event::default()
            });
        }
        self.id_collisions(&entities, &messages, &events, &mut errors);
        if !errors.list.is_empty() {
            let mut report = Report::new(self.report.file.clone(), "");
            report.diagnostics = errors
                .list
                .into_iter()
                .map(|p| Diagnostic::error(p.message, None, p.label).with_help(p.help))
                .collect();
            return Err(report);
        }
        Ok(Story {
            entities,
            messages,
            events,
            ..Story::default()
        })
    }

    fn messages_by_number(&self, k: u32) -> String {
        // Message numbers are in order of first mention; `messages` keeps
        // that order for every message that has a carrying row (all do).
        self.messages
            .get(k as usize)
            .map(|m| m.id.clone())
            .unwrap_or_default()
    }

    /// Bytes held by the corpus's arrays.
    pub fn heap_bytes(&self) -> usize {
        self.ids.heap_bytes()
            + self.channels.heap_bytes()
            + self.line.capacity() * 4
            + self.kinds.as_ref().map_or(0, |k| k.capacity() * 4)
    }
}

impl Catalog for Corpus {
    fn entity_count(&self) -> usize {
        self.ids.len()
    }
    fn entity_id(&self, u: EntityId) -> &str {
        self.ids.get(u.index())
    }
    fn entity(&self, u: EntityId) -> Cow<'_, Entity> {
        let id = self.ids.get(u.index()).to_string();
        Cow::Owned(Entity {
            name: id.clone(),
            id,
            ..Entity::default()
        })
    }
    fn entity_number(&self, id: &str) -> Option<EntityId> {
        let slots = self.id_slots.get_or_init(|| table_of(&self.ids));
        find(&self.ids, slots, id.as_bytes(), hash_bytes(id.as_bytes())).map(EntityId)
    }
    fn message_count(&self) -> usize {
        self.messages.len()
    }
    fn message(&self, m: usize) -> Cow<'_, Message> {
        let msg = &self.messages[m];
        Cow::Owned(Message {
            id: msg.id.clone(),
            origin: Some(self.ids.get(msg.origin as usize).to_string()),
            // Held no later than its earliest carrying row: `../T`.
            time: (msg.by != i64::MAX)
                .then(|| parse_utc(&format!("../{}", rfc3339(msg.by))))
                .flatten(),
            ..Message::default()
        })
    }
    fn message_number(&self, id: &str) -> Option<usize> {
        self.messages.iter().position(|m| m.id == id)
    }
    fn describe_origin(&self, m: usize) -> String {
        let msg = &self.messages[m];
        format!(
            "{}, the sender of its earliest carrying row, line {}",
            self.ids.get(msg.origin as usize),
            msg.line
        )
    }
    fn no_messages_note(&self) -> &'static str {
        "no row carries a message (the `carries` column)"
    }
    fn cites(&self) -> bool {
        false
    }
    fn event_count(&self) -> usize {
        self.row_count()
    }
    fn event_id(&self, e: EventId) -> Cow<'_, str> {
        self.id_of_line(self.line[e.index()])
    }
    fn write_event_id(&self, e: EventId, out: &mut String) {
        let line = self.line[e.index()];
        if let Some((lines, names)) = &self.event_ids {
            if let Ok(i) = lines.binary_search(&line) {
                out.push_str(names.get(i));
                return;
            }
        }
        out.push_str("line-");
        push_decimal(out, line);
    }
    fn event(&self, e: EventId) -> Cow<'_, Event> {
        let r = e.index();
        let line = self.line[r];
        Cow::Owned(Event {
            id: self.id_of_line(line).into_owned(),
            kind: self.kind(r).map(str::to_string),
            parties: Parties::Directed {
                from: self.ids.get(self.channels.from[r] as usize).to_string(),
                to: vec![self.ids.get(self.channels.to[r] as usize).to_string()],
                to_is_array: false,
            },
            time: parse_utc(&self.time_text(r)),
            certainty: self.certainty_written.then(|| self.certainty(r)),
            carries: self.carried(line),
            ..Event::default()
        })
    }
    fn event_interval(&self, e: EventId) -> crate::model::Interval {
        let c = ChannelId(e.0);
        let (lo, hi) = (self.channels.lo(c), self.channels.hi(c));
        crate::model::Interval {
            lo: (lo != i64::MIN).then_some(lo),
            hi: (hi != i64::MAX).then_some(hi),
        }
    }
    fn event_kind(&self, e: EventId) -> Cow<'_, str> {
        Cow::Borrowed(self.kind(e.index()).unwrap_or("other"))
    }
    fn event_certainty(&self, e: EventId) -> Certainty {
        self.certainty(e.index())
    }
    fn event_number(&self, id: &str) -> Option<EventId> {
        if let Some((lines, names)) = &self.event_ids {
            if let Some(i) = names.iter().position(|n| n == id) {
                return self.row_of_line(lines[i]).map(EventId);
            }
        }
        let line: u32 = id.strip_prefix("line-")?.parse().ok()?;
        let r = self.row_of_line(line)?;
        // `line-N` names the row only when it has no id of its own.
        (self.id_of_line(line) == id).then_some(EventId(r))
    }
    fn carrying_events(&self, id: &str) -> Vec<EventId> {
        let Some(k) = self.messages.iter().position(|m| m.id == id) else {
            return Vec::new();
        };
        let mut rows: Vec<EventId> = self
            .carries
            .iter()
            .filter(|(_, m)| *m as usize == k)
            .filter_map(|(l, _)| self.row_of_line(*l).map(EventId))
            .collect();
        rows.sort_unstable();
        rows
    }
    fn channels(&self) -> &Channels {
        &self.channels
    }
    /// As [`Corpus::to_story`] writes them, restricted to the focus: events
    /// in file order, entities in order of first appearance in the file.
    fn excerpt(
        &self,
        entities: Option<&std::collections::BTreeSet<String>>,
        events: Option<&std::collections::BTreeSet<String>>,
    ) -> Story {
        let keep_entity = |u: u32| entities.is_none_or(|s| s.contains(self.ids.get(u as usize)));
        let mut rows: Vec<u32> = (0..self.row_count() as u32)
            .filter(|&r| {
                events.is_none_or(|s| s.contains(self.event_id(EventId(r)).as_ref()))
                    && keep_entity(self.channels.from[r as usize])
                    && keep_entity(self.channels.to[r as usize])
            })
            .collect();
        rows.sort_unstable_by_key(|&r| self.line[r as usize]);
        let mut carried: std::collections::BTreeSet<String> = Default::default();
        for &r in &rows {
            carried.extend(self.carried(self.line[r as usize]));
        }
        let messages: Vec<Message> = (0..self.messages.len())
            .filter(|&m| events.is_none() || carried.contains(&self.messages[m].id))
            .map(|m| self.message(m).into_owned())
            .collect();
        // Entities: of the kept rows, the messages' origins and the focus,
        // in order of first appearance in the file.
        let mut wanted = vec![false; self.entity_count()];
        for &r in &rows {
            wanted[self.channels.from[r as usize] as usize] = true;
            wanted[self.channels.to[r as usize] as usize] = true;
        }
        for m in &messages {
            if let Some(u) = m.origin.as_deref().and_then(|o| self.entity_number(o)) {
                wanted[u.index()] = true;
            }
        }
        if let Some(set) = entities {
            for id in set {
                if let Some(u) = self.entity_number(id) {
                    wanted[u.index()] = true;
                }
            }
        }
        let mut all: Vec<u32> = (0..self.row_count() as u32).collect();
        all.sort_unstable_by_key(|&r| self.line[r as usize]);
        let entity_order: Vec<u32> = self
            .first_appearance(&all)
            .into_iter()
            .filter(|&u| wanted[u as usize])
            .collect();
        // Rows of one event share an id only when they follow each other,
        // so a focus on some of them still makes a valid story.
        self.story_of(&rows, &entity_order, messages)
            .unwrap_or_default()
    }
}

/// Two corpora are equal when they hold the same rows in the same order
/// (entities, times, lines, kinds, ids, carried messages, certainty) and the
/// same report and count of skipped rows: what the tests compare to show that
/// an answer does not depend on the number of threads or the block size.
/// Lookup tables built on demand are not compared.
impl PartialEq for Corpus {
    fn eq(&self, other: &Corpus) -> bool {
        self.report == other.report
            && self.skipped == other.skipped
            && self.ids == other.ids
            && self.channels == other.channels
            && self.line == other.line
            && self.kinds == other.kinds
            && self.kind_names == other.kind_names
            && self.event_ids == other.event_ids
            && self.carries == other.carries
            && self.messages == other.messages
            && self.texts == other.texts
            && self.certainty_written == other.certainty_written
    }
}
