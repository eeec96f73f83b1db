//! The Parquet tables as a [`Catalog`]: what `reach --answer` needs of the
//! input (ids, names, channels, carried messages, holdings) without it.

use std::borrow::Cow;
use std::collections::HashMap;
use std::path::Path;

use super::table::{bad, Table};
use crate::catalog::{
    certainty_of_bits, Catalog, Channels, EntityId, EventId, HoldingChannel, TimeColumns, NO_LOWER,
    NO_UPPER,
};
use crate::model::{Entity, Event, Message};
use crate::Error;

/// The tables of `export --to parquet` (or a job's `prepare`) read back.
#[derive(Debug, Clone)]
pub struct ParquetCatalog {
    ids: Vec<String>,
    names: Vec<String>,
    aliases: Vec<Vec<String>>,
    by_id: HashMap<String, EntityId>,
    events: Vec<String>,
    holding: Vec<bool>,
    event_count: usize,
    event_by_id: HashMap<String, EventId>,
    channels: Channels,
    carrying: HashMap<String, Vec<EventId>>,
    holdings: HashMap<String, Vec<HoldingChannel>>,
    messages: Vec<Message>,
    timezone: Option<String>,
}

/// A number of a column as an index below `limit`.
fn number(t: &Table, col: &str, row: usize, v: i64, limit: usize) -> Result<u32, Error> {
    usize::try_from(v)
        .ok()
        .filter(|&x| x < limit)
        .map(|x| x as u32)
        .ok_or_else(|| {
            bad(
                &t.path,
                format!("row {}: `{col}` is {v}, not below {limit}", row + 1),
            )
        })
}

impl ParquetCatalog {
    /// Reads the tables in folder `dir`.
    pub fn read(dir: &Path) -> Result<ParquetCatalog, Error> {
        let graph = Table::read(dir, "graph")?;
        if graph.len() != 1 {
            return Err(bad(&graph.path, "the graph table must have one row"));
        }
        let hubs = graph.required("hubs")?[0];
        let timezone = graph.texts("timezone")?.pop().flatten();
        let (ids, names) = read_entities(dir)?;
        let n = ids.len();
        let hubs = u32::try_from(hubs).map_err(|_| bad(&graph.path, "`hubs` is out of range"))?;
        let event_count = graph.required("events")?[0].max(0) as usize;
        let aliases = read_aliases(dir, n)?;
        let (events, holding) = read_events(dir)?;
        let mut channels = read_channels(dir, n + hubs as usize, events.len())?;
        channels.hubs = hubs;
        channels.index_events(events.len());
        let mut cat = ParquetCatalog {
            by_id: ids
                .iter()
                .enumerate()
                .map(|(i, id)| (id.clone(), EntityId::at(i)))
                .collect(),
            ids,
            names,
            aliases,
            event_by_id: events
                .iter()
                .enumerate()
                .map(|(i, id)| (id.clone(), EventId::at(i)))
                .collect(),
            events,
            holding,
            event_count,
            channels,
            carrying: HashMap::new(),
            holdings: HashMap::new(),
            messages: Vec::new(),
            timezone,
        };
        cat.read_messages(dir)?;
        Ok(cat)
    }

    fn read_messages(&mut self, dir: &Path) -> Result<(), Error> {
        let carries = Table::read(dir, "carries")?;
        let (msg, ev) = (carries.texts("message")?, carries.required("event")?);
        for (row, (m, e)) in msg.into_iter().zip(ev).enumerate() {
            let e = number(&carries, "event", row, e, self.events.len())?;
            let list = self.carrying.entry(m.unwrap_or_default()).or_default();
            list.push(EventId(e));
        }
        let h = Table::read(dir, "holdings")?;
        let nodes = self.ids.len();
        let (msg, from, to) = (h.texts("message")?, h.required("from")?, h.required("to")?);
        let (lo, hi, cert, ev) = (
            h.ints("lo")?,
            h.ints("hi")?,
            h.required("certainty")?,
            h.required("event")?,
        );
        for row in 0..h.len() {
            let channel = HoldingChannel {
                event: EventId(number(&h, "event", row, ev[row], self.events.len())?),
                from: EntityId(number(&h, "from", row, from[row], nodes)?),
                to: EntityId(number(&h, "to", row, to[row], nodes)?),
                lo: lo[row].unwrap_or(NO_LOWER),
                hi: hi[row].unwrap_or(NO_UPPER),
                certainty: certainty_of_bits(number(&h, "certainty", row, cert[row], 4)? as u8),
            };
            let m = msg[row].clone().unwrap_or_default();
            self.holdings.entry(m).or_default().push(channel);
        }
        let m = Table::read(dir, "messages")?;
        let (id, origin) = (m.texts("message")?, m.ints("origin")?);
        for row in 0..m.len() {
            let origin = match origin[row] {
                Some(o) => Some(self.ids[number(&m, "origin", row, o, nodes)? as usize].clone()),
                None => None,
            };
            self.messages.push(Message {
                id: id[row].clone().unwrap_or_default(),
                origin,
                ..Message::default()
            });
        }
        Ok(())
    }
}

fn read_entities(dir: &Path) -> Result<(Vec<String>, Vec<String>), Error> {
    let t = Table::read(dir, "entities")?;
    let (num, id, name) = (t.required("entity")?, t.texts("id")?, t.texts("name")?);
    let mut ids = vec![None; t.len()];
    let mut names = vec![String::new(); t.len()];
    for row in 0..t.len() {
        let u = number(&t, "entity", row, num[row], t.len())? as usize;
        let Some(text) = id[row].clone() else {
            return Err(bad(&t.path, format!("row {}: `id` is null", row + 1)));
        };
        names[u] = name[row].clone().unwrap_or_else(|| text.clone());
        ids[u] = Some(text);
    }
    let ids = ids
        .into_iter()
        .map(|x| x.ok_or_else(|| bad(&t.path, "the entity numbers are not 0 to n-1, each once")))
        .collect::<Result<_, _>>()?;
    Ok((ids, names))
}

/// Each entity's aliases, in the table's order (none when the optional
/// table `aliases` is absent).
fn read_aliases(dir: &Path, n: usize) -> Result<Vec<Vec<String>>, Error> {
    let mut aliases = vec![Vec::new(); n];
    if !dir.join("aliases.parquet").is_file() && !dir.join("aliases").is_dir() {
        return Ok(aliases);
    }
    let t = Table::read(dir, "aliases")?;
    let (num, alias) = (t.required("entity")?, t.texts("alias")?);
    for row in 0..t.len() {
        let u = number(&t, "entity", row, num[row], n)? as usize;
        if let Some(a) = alias[row].clone() {
            aliases[u].push(a);
        }
    }
    Ok(aliases)
}

fn read_events(dir: &Path) -> Result<(Vec<String>, Vec<bool>), Error> {
    let t = Table::read(dir, "events")?;
    let (num, id) = (t.required("event")?, t.texts("id")?);
    let holding = t.ints("holding")?;
    let mut ids = vec![String::new(); t.len()];
    let mut held = vec![false; t.len()];
    for row in 0..t.len() {
        let e = number(&t, "event", row, num[row], t.len())? as usize;
        ids[e] = id[row].clone().unwrap_or_default();
        held[e] = holding.get(row).copied().flatten().unwrap_or(0) != 0;
    }
    Ok((ids, held))
}

fn read_channels(dir: &Path, nodes: usize, events: usize) -> Result<Channels, Error> {
    let t = Table::read(dir, "channels")?;
    let c = t.len();
    let num = t.required("channel")?;
    let (from, to, ev, cert) = (
        t.required("from")?,
        t.required("to")?,
        t.required("event")?,
        t.required("certainty")?,
    );
    let (lo, hi) = (t.ints("lo")?, t.ints("hi")?);
    let mut at = vec![usize::MAX; c];
    for (row, &k) in num.iter().enumerate() {
        let k = number(&t, "channel", row, k, c)? as usize;
        if at[k] != usize::MAX {
            return Err(bad(&t.path, format!("channel {k} is listed twice")));
        }
        at[k] = row;
    }
    let mut ch = Channels::default();
    let (mut los, mut his, mut event) = (vec![], vec![], vec![]);
    for &row in &at {
        ch.from.push(number(&t, "from", row, from[row], nodes)?);
        ch.to.push(number(&t, "to", row, to[row], nodes)?);
        event.push(number(&t, "event", row, ev[row], events)?);
        ch.certainty
            .push(number(&t, "certainty", row, cert[row], 4)? as u8);
        los.push(lo[row].unwrap_or(NO_LOWER));
        his.push(hi[row].unwrap_or(NO_UPPER));
    }
    ch.event = Some(event);
    ch.times = TimeColumns::from_intervals(los, his);
    Ok(ch)
}

impl Catalog for ParquetCatalog {
    fn entity_count(&self) -> usize {
        self.ids.len()
    }
    fn entity_id(&self, u: EntityId) -> &str {
        &self.ids[u.index()]
    }
    fn entity_name(&self, u: EntityId) -> &str {
        &self.names[u.index()]
    }
    fn entity_aliases(&self, u: EntityId) -> &[String] {
        &self.aliases[u.index()]
    }
    fn entity(&self, u: EntityId) -> Cow<'_, Entity> {
        Cow::Owned(Entity {
            id: self.ids[u.index()].clone(),
            name: self.names[u.index()].clone(),
            aliases: self.aliases[u.index()].clone(),
            ..Entity::default()
        })
    }
    fn entity_number(&self, id: &str) -> Option<EntityId> {
        self.by_id.get(id).copied()
    }
    fn message_count(&self) -> usize {
        self.messages.len()
    }
    fn message(&self, m: usize) -> Cow<'_, Message> {
        Cow::Borrowed(&self.messages[m])
    }
    fn message_number(&self, id: &str) -> Option<usize> {
        self.messages.iter().position(|m| m.id == id)
    }
    fn event_count(&self) -> usize {
        self.event_count.min(self.events.len())
    }
    fn event_id(&self, e: EventId) -> Cow<'_, str> {
        Cow::Borrowed(self.events.get(e.index()).map_or("", String::as_str))
    }
    fn event(&self, e: EventId) -> Cow<'_, Event> {
        Cow::Owned(Event {
            id: self.event_id(e).into_owned(),
            ..Event::default()
        })
    }
    fn event_number(&self, id: &str) -> Option<EventId> {
        self.event_by_id.get(id).copied()
    }
    fn carrying_events(&self, id: &str) -> Vec<EventId> {
        self.carrying.get(id).cloned().unwrap_or_default()
    }
    fn channels(&self) -> &Channels {
        &self.channels
    }
    fn holding_channels(&self, id: &str) -> Vec<HoldingChannel> {
        self.holdings.get(id).cloned().unwrap_or_default()
    }
    fn is_holding(&self, e: EventId) -> bool {
        self.holding.get(e.index()).copied().unwrap_or(false)
    }
    fn timezone_name(&self) -> Option<&str> {
        self.timezone.as_deref()
    }
}
