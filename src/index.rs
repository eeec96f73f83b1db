//! The compiled channel index: the one input of every analysis.
//!
//! Every event is expanded to its channels (directed: `from` to each `to`;
//! mutual: every ordered pair of participants), with its interval `[lo, hi]` in
//! whole seconds (`i64::MIN` / `i64::MAX` for open ends), filtered by the
//! query's evidence threshold and mode, and sorted by time in compact
//! struct-of-arrays form with entity ids interned to `u32`.
//!
//! The sort order is canonical (time, then event id, then entity ids), never
//! file order, so shuffling a file's events changes no answer.
//!
//! # Memory
//!
//! A channel costs 17 bytes when every time is one exact second and the span
//! of times fits 136 years (the usual case for mail and chat corpora): sender
//! and receiver (`u32` each), the time as a `u32` offset from a base, the
//! event number (`u32`) and one byte holding certainty and the carries flag.
//! Channels with intervals store `lo` and `hi` as `i64` instead (29 bytes).
//! The per-sender adjacency that the general (interval) algorithms need is
//! built lazily, on first use: the exact-time fast path never builds it.
//! Entity and event ids live in one string each, with offsets.

use std::borrow::Cow;
use std::sync::OnceLock;

use serde::Serialize;

use crate::model::{Certainty, Story};

/// Which contacts a query may follow.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Default)]
#[serde(rename_all = "lowercase")]
pub enum Mode {
    /// Only events that carry the queried message: the documented chain.
    Message,
    /// Any contact: who could have been told.
    #[default]
    Contacts,
}

impl std::str::FromStr for Mode {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        match s {
            "message" => Ok(Mode::Message),
            "contacts" => Ok(Mode::Contacts),
            _ => Err(format!("`{s}` is not a mode: use message or contacts")),
        }
    }
}

/// What an index is built for.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct IndexSpec {
    /// The traced message, if any: in message mode only events carrying it are
    /// kept; in both modes a channel that carries it is causally after its
    /// sender's receipt.
    pub message: Option<String>,
    /// Message or contacts.
    pub mode: Mode,
    /// Events weaker than this are left out.
    pub threshold: Certainty,
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

/// How event ids are stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum EventIds {
    /// The event number indexes this list (stories; CSV files with an `id`
    /// column).
    List(Names),
    /// The event number is a line of a CSV file without an `id` column; the id
    /// is `line-N`.
    Lines,
    /// The event number is a line of a CSV file with an `id` column: the ids
    /// of the lines that have one (sorted lines, parallel ids); `line-N` for
    /// the others.
    Keyed {
        /// Lines with an id, ascending.
        lines: Vec<u32>,
        /// Their ids.
        ids: Names,
    },
}

impl Default for EventIds {
    fn default() -> Self {
        EventIds::List(Names::new())
    }
}

/// Channel times.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Times {
    /// Every channel is one exact second: `base + offset`.
    Exact { base: i64, offset: Vec<u32> },
    /// Intervals; `i64::MIN` / `i64::MAX` for open ends.
    Intervals { lo: Vec<i64>, hi: Vec<i64> },
}

impl Default for Times {
    fn default() -> Self {
        Times::Exact {
            base: 0,
            offset: Vec::new(),
        }
    }
}

/// Channels by sender, built on first use.
#[derive(Debug, Clone, Default)]
struct Adjacency {
    start: Vec<u32>,
    list: Vec<u32>,
}

const CERTAINTY_MASK: u8 = 0b11;
const CARRIES: u8 = 0b100;

/// Packs a certainty and the carries flag into one byte.
#[inline]
pub(crate) fn pack_flags(certainty: Certainty, carries: bool) -> u8 {
    let c = match certainty {
        Certainty::Unknown => 0,
        Certainty::Alleged => 1,
        Certainty::Reported => 2,
        Certainty::Confirmed => 3,
    };
    c | if carries { CARRIES } else { 0 }
}

#[inline]
pub(crate) fn unpack_certainty(flags: u8) -> Certainty {
    match flags & CERTAINTY_MASK {
        0 => Certainty::Unknown,
        1 => Certainty::Alleged,
        2 => Certainty::Reported,
        _ => Certainty::Confirmed,
    }
}

/// The flag byte's certainty bits for `c`, comparable as integers.
#[inline]
pub(crate) fn certainty_bits(c: Certainty) -> u8 {
    pack_flags(c, false)
}

/// The time-sorted channels of a story, as parallel arrays.
///
/// Sender, receiver and event number are public arrays; times, certainty and
/// the carries flag are read through [`Index::lo`], [`Index::hi`],
/// [`Index::certainty`] and [`Index::carries`], because their storage depends
/// on the data (see the module documentation).
#[derive(Debug, Clone, Default)]
pub struct Index {
    ids: Names,
    /// Display names; `None` when every name is the id (CSV corpora).
    names: Option<Names>,
    events: EventIds,
    /// Sender of each channel.
    pub from: Vec<u32>,
    /// Receiver of each channel.
    pub to: Vec<u32>,
    /// The event each channel comes from (for a CSV file without `id`
    /// column: its line number).
    pub event: Vec<u32>,
    times: Times,
    flags: Vec<u8>,
    out: OnceLock<Adjacency>,
    /// True when every channel is one exact second (and the exact-time fast
    /// path applies).
    pub exact: bool,
    /// What the index was built for.
    pub spec: IndexSpec,
}

/// The columns an index is made of, in their final (sorted) order.
#[derive(Debug, Default)]
pub(crate) struct Parts {
    pub ids: Names,
    pub names: Option<Names>,
    pub events: EventIds,
    pub from: Vec<u32>,
    pub to: Vec<u32>,
    pub event: Vec<u32>,
    pub lo: Vec<i64>,
    pub hi: Vec<i64>,
    pub flags: Vec<u8>,
}

impl Index {
    /// Builds the index of `story` for `spec`.
    ///
    /// Complexity: O(c log c) for c channels.
    pub fn build(story: &Story, spec: &IndexSpec) -> Index {
        let ids = story.entity_ids();
        let mut rows: Vec<(i64, i64, u32, u32, u32, u8)> = Vec::new();
        for (ei, e) in story.events.iter().enumerate() {
            if e.certainty() < spec.threshold {
                continue;
            }
            let carries = spec
                .message
                .as_ref()
                .is_some_and(|m| e.carries.iter().any(|c| c == m));
            if spec.mode == Mode::Message && !carries {
                continue;
            }
            let iv = e.interval();
            for (a, b) in e.parties.channels() {
                let (Some(&a), Some(&b)) = (ids.get(a), ids.get(b)) else {
                    continue;
                };
                rows.push((
                    iv.lo_or_min(),
                    iv.hi_or_max(),
                    ei as u32,
                    a as u32,
                    b as u32,
                    pack_flags(e.certainty(), carries),
                ));
            }
        }
        let event_ids: Vec<&str> = story.events.iter().map(|e| e.id.as_str()).collect();
        let entity_ids: Vec<&str> = story.entities.iter().map(|e| e.id.as_str()).collect();
        rows.sort_by(|x, y| {
            (
                x.0,
                x.1,
                event_ids[x.2 as usize],
                entity_ids[x.3 as usize],
                entity_ids[x.4 as usize],
            )
                .cmp(&(
                    y.0,
                    y.1,
                    event_ids[y.2 as usize],
                    entity_ids[y.3 as usize],
                    entity_ids[y.4 as usize],
                ))
        });
        rows.dedup_by(|x, y| x.2 == y.2 && x.3 == y.3 && x.4 == y.4);
        let mut parts = Parts {
            ids: entity_ids.iter().collect(),
            names: Some(story.entities.iter().map(|e| e.name.as_str()).collect()),
            events: EventIds::List(event_ids.iter().collect()),
            ..Parts::default()
        };
        for (lo, hi, ev, a, b, flags) in rows {
            parts.lo.push(lo);
            parts.hi.push(hi);
            parts.event.push(ev);
            parts.from.push(a);
            parts.to.push(b);
            parts.flags.push(flags);
        }
        Index::from_parts(parts, spec.clone())
    }

    /// Assembles an index from sorted columns, choosing the compact exact-time
    /// storage when every channel is one exact second and the span fits.
    pub(crate) fn from_parts(parts: Parts, spec: IndexSpec) -> Index {
        let Parts {
            ids,
            names,
            events,
            from,
            to,
            event,
            lo,
            hi,
            flags,
        } = parts;
        let times = exact_times(&lo, &hi).unwrap_or(Times::Intervals { lo, hi });
        Index::from_times(ids, names, events, from, to, event, times, flags, spec)
    }

    /// Assembles an index whose channels are all exact: `base + offset[c]`.
    #[allow(clippy::too_many_arguments)]
    pub(crate) fn from_exact(
        ids: Names,
        names: Option<Names>,
        events: EventIds,
        from: Vec<u32>,
        to: Vec<u32>,
        event: Vec<u32>,
        base: i64,
        offset: Vec<u32>,
        flags: Vec<u8>,
        spec: IndexSpec,
    ) -> Index {
        let times = Times::Exact { base, offset };
        Index::from_times(ids, names, events, from, to, event, times, flags, spec)
    }

    #[allow(clippy::too_many_arguments)]
    fn from_times(
        ids: Names,
        names: Option<Names>,
        events: EventIds,
        from: Vec<u32>,
        to: Vec<u32>,
        event: Vec<u32>,
        times: Times,
        flags: Vec<u8>,
        spec: IndexSpec,
    ) -> Index {
        let exact = matches!(times, Times::Exact { .. });
        Index {
            ids,
            names,
            events,
            from,
            to,
            event,
            times,
            flags,
            out: OnceLock::new(),
            exact,
            spec,
        }
    }

    /// The same index with times stored as intervals even when exact, so that
    /// the general interval algorithms answer instead of the exact-time fast
    /// path. For tests and benchmarks that compare the two.
    pub fn with_interval_storage(mut self) -> Index {
        if let Times::Exact { base, offset } = &self.times {
            let lo: Vec<i64> = offset.iter().map(|&o| base + i64::from(o)).collect();
            self.times = Times::Intervals { hi: lo.clone(), lo };
        }
        self.exact = false;
        self.out = OnceLock::new();
        self
    }

    /// Number of entities.
    pub fn entity_count(&self) -> usize {
        self.ids.len()
    }

    /// Number of channels.
    pub fn channel_count(&self) -> usize {
        self.from.len()
    }

    /// Id of entity `u`.
    #[inline]
    pub fn entity_id(&self, u: u32) -> &str {
        self.ids.get(u as usize)
    }

    /// Display name of entity `u`.
    #[inline]
    pub fn entity_name(&self, u: u32) -> &str {
        match &self.names {
            Some(n) => n.get(u as usize),
            None => self.ids.get(u as usize),
        }
    }

    /// The entity ids, by interned number.
    pub fn entity_ids(&self) -> &Names {
        &self.ids
    }

    /// Id of the event channel `c` comes from.
    pub fn event_id(&self, c: u32) -> Cow<'_, str> {
        let e = self.event[c as usize];
        match &self.events {
            EventIds::List(names) => Cow::Borrowed(names.get(e as usize)),
            EventIds::Lines => Cow::Owned(format!("line-{e}")),
            EventIds::Keyed { lines, ids } => match lines.binary_search(&e) {
                Ok(i) => Cow::Borrowed(ids.get(i)),
                Err(_) => Cow::Owned(format!("line-{e}")),
            },
        }
    }

    /// How event ids are stored.
    pub fn event_ids(&self) -> &EventIds {
        &self.events
    }

    /// Earliest second of channel `c` (`i64::MIN`: no lower bound).
    #[inline]
    pub fn lo(&self, c: usize) -> i64 {
        match &self.times {
            Times::Exact { base, offset } => base + i64::from(offset[c]),
            Times::Intervals { lo, .. } => lo[c],
        }
    }

    /// Latest second of channel `c` (`i64::MAX`: no upper bound).
    #[inline]
    pub fn hi(&self, c: usize) -> i64 {
        match &self.times {
            Times::Exact { base, offset } => base + i64::from(offset[c]),
            Times::Intervals { hi, .. } => hi[c],
        }
    }

    /// The certainty of the event of channel `c`.
    #[inline]
    pub fn certainty(&self, c: usize) -> Certainty {
        unpack_certainty(self.flags[c])
    }

    /// Whether the event of channel `c` carries the indexed message.
    #[inline]
    pub fn carries(&self, c: usize) -> bool {
        self.flags[c] & CARRIES != 0
    }

    /// True when some channel carries the indexed message.
    pub fn any_carries(&self) -> bool {
        self.flags.iter().any(|f| f & CARRIES != 0)
    }

    /// The exact-time columns: base and per-channel offsets, when every
    /// channel is one exact second.
    pub fn exact_times(&self) -> Option<(i64, &[u32])> {
        match &self.times {
            Times::Exact { base, offset } => Some((*base, offset)),
            Times::Intervals { .. } => None,
        }
    }

    /// The per-channel flag bytes (certainty in the low two bits, then the
    /// carries flag).
    pub(crate) fn flags(&self) -> &[u8] {
        &self.flags
    }

    /// The channels sent by entity `u`, in time order.
    ///
    /// The adjacency is built on the first call (O(c), 4 bytes per channel);
    /// the exact-time fast path never needs it.
    pub fn out_channels(&self, u: u32) -> &[u32] {
        let adj = self.out.get_or_init(|| self.adjacency());
        let (a, b) = (
            adj.start[u as usize] as usize,
            adj.start[u as usize + 1] as usize,
        );
        &adj.list[a..b]
    }

    fn adjacency(&self) -> Adjacency {
        let n = self.entity_count();
        let mut start = vec![0u32; n + 1];
        for &f in &self.from {
            start[f as usize + 1] += 1;
        }
        for i in 0..n {
            start[i + 1] += start[i];
        }
        let mut fill = start.clone();
        let mut list = vec![0u32; self.from.len()];
        for (c, &f) in self.from.iter().enumerate() {
            list[fill[f as usize] as usize] = c as u32;
            fill[f as usize] += 1;
        }
        Adjacency { start, list }
    }

    /// Bytes held by the index's arrays (not counting the lazily built
    /// adjacency unless it was built).
    pub fn heap_bytes(&self) -> usize {
        let times = match &self.times {
            Times::Exact { offset, .. } => offset.capacity() * 4,
            Times::Intervals { lo, hi } => (lo.capacity() + hi.capacity()) * 8,
        };
        let events = match &self.events {
            EventIds::List(n) => n.heap_bytes(),
            EventIds::Lines => 0,
            EventIds::Keyed { lines, ids } => lines.capacity() * 4 + ids.heap_bytes(),
        };
        let adj = self
            .out
            .get()
            .map(|a| (a.start.capacity() + a.list.capacity()) * 4)
            .unwrap_or(0);
        self.ids.heap_bytes()
            + self.names.as_ref().map(Names::heap_bytes).unwrap_or(0)
            + events
            + (self.from.capacity() + self.to.capacity() + self.event.capacity()) * 4
            + times
            + self.flags.capacity()
            + adj
    }
}

/// The compact form of `lo`/`hi` when every channel is one exact second and
/// the span fits a `u32`.
fn exact_times(lo: &[i64], hi: &[i64]) -> Option<Times> {
    if lo.iter().zip(hi).any(|(l, h)| l != h) {
        return None;
    }
    let base = lo.iter().copied().min().unwrap_or(0);
    let max = lo.iter().copied().max().unwrap_or(0);
    // Offsets are used as `offset + 1` below `u32::MAX`: keep two values spare.
    if base == i64::MIN || max == i64::MAX || max.checked_sub(base)? > i64::from(u32::MAX - 2) {
        return None;
    }
    Some(Times::Exact {
        base,
        offset: lo.iter().map(|&t| (t - base) as u32).collect(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

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
    fn flags_pack() {
        for c in Certainty::ALL {
            for carries in [false, true] {
                let f = pack_flags(c, carries);
                assert_eq!(unpack_certainty(f), c);
                assert_eq!(f & CARRIES != 0, carries);
            }
        }
        assert!(certainty_bits(Certainty::Confirmed) > certainty_bits(Certainty::Reported));
    }

    #[test]
    fn exact_storage_chosen_when_it_fits() {
        assert!(matches!(
            exact_times(&[5, 7], &[5, 7]),
            Some(Times::Exact { base: 5, .. })
        ));
        assert!(exact_times(&[5, 7], &[5, 8]).is_none());
        assert!(exact_times(&[i64::MIN], &[i64::MIN]).is_none());
        assert!(exact_times(&[0, 1 << 40], &[0, 1 << 40]).is_none());
    }
}
