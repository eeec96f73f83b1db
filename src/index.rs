//! The compiled channel index: the one input of every time-respecting
//! analysis, built from any [`Catalog`] by one builder, [`Index::build`].
//!
//! The catalogue gives every channel of every event (directed: `from` to each
//! `to`; mutual: every ordered pair of participants) sorted in canonical time
//! order; the index keeps those a query may follow: events at or above the
//! evidence threshold and, in message mode, only events that carry the
//! message. Each channel carries a flag byte: its certainty and whether it
//! carries the traced message.
//!
//! The sort order is canonical (time, then event id in natural order, then
//! entity ids), never file order, so shuffling a file's events changes no
//! answer.
//!
//! # Memory
//!
//! When nothing is filtered out (contacts mode at threshold `unknown`, the
//! usual question of a mail corpus) the index borrows the catalogue's columns
//! and costs nothing but the flags. A channel costs 13 bytes when every time
//! is one exact second and the span fits 136 years (sender, receiver, a
//! 32-bit time offset, one byte of flags), plus 4 for its event number when
//! events have several channels; 29 bytes with intervals. The per-sender
//! adjacency that the general (interval) algorithms need is built lazily, on
//! first use: the exact-time fast path never builds it.

use std::borrow::Cow;
use std::sync::OnceLock;

use serde::Serialize;

pub(crate) use crate::catalog::certainty_bits;
use crate::catalog::{
    certainty_of_bits, Catalog, ChannelId, Channels, EntityId, EventId, Hop, Node, NodeId,
    TimeColumns,
};
use crate::model::Certainty;

/// Which contacts a query may follow.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Default)]
#[serde(rename_all = "lowercase")]
#[cfg_attr(feature = "cli", derive(clap::ValueEnum))]
pub enum Mode {
    /// Only events that carry the queried message: the documented chain.
    #[cfg_attr(feature = "cli", value(help = "only events that carry the message"))]
    Message,
    /// Any contact: who could have been told.
    #[default]
    #[cfg_attr(feature = "cli", value(help = "any contact"))]
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

/// Channel times, borrowed from the catalogue or filtered copies.
#[derive(Debug, Clone)]
enum Times<'a> {
    /// Every channel is one exact second: `base + offset`.
    Exact { base: i64, offset: Cow<'a, [u32]> },
    /// Intervals; `i64::MIN` / `i64::MAX` for open ends.
    Intervals {
        lo: Cow<'a, [i64]>,
        hi: Cow<'a, [i64]>,
    },
}

/// Channels by sender, built on first use.
#[derive(Debug, Clone, Default)]
struct Adjacency {
    start: Vec<u32>,
    list: Vec<ChannelId>,
}

const CERTAINTY_MASK: u8 = 0b11;
pub(crate) const CARRIES: u8 = 0b100;

/// A channel of [`Index::with_holdings`] before the columns are made: lo,
/// hi, whether it is a holding, its position among the events' channels or
/// the holdings, sender, receiver, event number and flags.
type HoldingRow = (i64, i64, bool, usize, u32, u32, u32, u8);

/// The time-sorted channels a query may follow, as parallel columns, with
/// the catalogue they came from (for ids and names).
///
/// Read it through its methods: [`Index::from`], [`Index::to`],
/// [`Index::lo`], [`Index::hi`], [`Index::certainty`], [`Index::carries`].
#[derive(Clone)]
pub struct Index<'a> {
    catalog: &'a dyn Catalog,
    pub(crate) from: Cow<'a, [u32]>,
    pub(crate) to: Cow<'a, [u32]>,
    /// Event number per channel; `None`: channel `c` is event `c`.
    event: Option<Cow<'a, [u32]>>,
    times: Times<'a>,
    flags: Cow<'a, [u8]>,
    out: OnceLock<Adjacency>,
    pub(crate) exact: bool,
    pub(crate) spec: IndexSpec,
    /// Hub nodes after the entities ([`Channels::hubs`]).
    hubs: u32,
}

/// The per-channel columns an [`Index`] is assembled from, borrowed from
/// the catalogue or owned when some channels were left out.
struct Columns<'a> {
    from: Cow<'a, [u32]>,
    to: Cow<'a, [u32]>,
    /// Event number per channel; `None`: channel `c` is event `c`.
    event: Option<Cow<'a, [u32]>>,
    times: Times<'a>,
    flags: Cow<'a, [u8]>,
}

impl std::fmt::Debug for Index<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Index")
            .field("channels", &self.from.len())
            .field("entities", &self.entity_count())
            .field("exact", &self.exact)
            .field("spec", &self.spec)
            .finish()
    }
}

impl<'a> Index<'a> {
    /// Builds the index of `catalog` for `spec`: the channels of events at or
    /// above the threshold (in message mode, only those carrying the
    /// message), flagged with their certainty and whether they carry it.
    ///
    /// Complexity: O(c) for c channels (the catalogue sorted them); in
    /// message mode O(k log k) for the k channels of the carrying events;
    /// when nothing is left out the columns are borrowed, not copied.
    ///
    /// # Example
    /// ```
    /// use grapevine::{Index, IndexSpec, StoryCatalog};
    /// let story = grapevine::load_path("graphs/trump-jr-wikileaks.json".as_ref()).unwrap().story;
    /// let catalog = StoryCatalog::new(&story);
    /// let index = Index::build(&catalog, &IndexSpec::default());
    /// assert!(index.channel_count() > 0);
    /// ```
    pub fn build(catalog: &'a dyn Catalog, spec: &IndexSpec) -> Index<'a> {
        if let Some(index) = Index::with_holdings(catalog, spec) {
            return index;
        }
        Index::build_events(catalog, spec)
    }

    /// [`Index::build`] without the message's holdings: the events'
    /// channels alone (the backward question does not use holdings).
    ///
    /// Complexity: that of [`Index::build`].
    pub fn build_events(catalog: &'a dyn Catalog, spec: &IndexSpec) -> Index<'a> {
        let ch: &'a Channels = catalog.channels();
        let n = ch.len();
        let min = certainty_bits(spec.threshold);
        let carrying_events = spec
            .message
            .as_deref()
            .map(|m| catalog.carrying_events(m))
            .unwrap_or_default();
        // A documented chain uses only its carrying events' channels: found
        // through the catalogue's per-event lists, not a scan of them all.
        if spec.mode == Mode::Message {
            let kept: Vec<usize> = ch
                .of_events(&carrying_events)
                .into_iter()
                .map(ChannelId::index)
                .filter(|&c| ch.certainty[c] >= min)
                .collect();
            return Index::from_kept(catalog, ch, &kept, &|_| true, spec);
        }
        // Per event: carries the traced message?
        let carrying: Option<Vec<bool>> = (!carrying_events.is_empty()).then(|| {
            let mut v = vec![false; catalog.event_count()];
            for &e in &carrying_events {
                if let Some(x) = v.get_mut(e.index()) {
                    *x = true;
                }
            }
            v
        });
        let carries = |c: usize| {
            carrying.as_ref().is_some_and(|v| {
                v.get(ch.event(ChannelId::at(c)).index())
                    .copied()
                    .unwrap_or(false)
            })
        };
        if spec.threshold > Certainty::Unknown && ch.certainty.iter().any(|&k| k < min) {
            let kept: Vec<usize> = (0..n).filter(|&c| ch.certainty[c] >= min).collect();
            return Index::from_kept(catalog, ch, &kept, &carries, spec);
        }
        // Every channel kept: the columns are borrowed.
        let flags: Cow<'a, [u8]> = if carrying.is_some() {
            Cow::Owned(
                (0..n)
                    .map(|c| ch.certainty[c] | if carries(c) { CARRIES } else { 0 })
                    .collect(),
            )
        } else {
            Cow::Borrowed(&ch.certainty)
        };
        let times = match &ch.times {
            TimeColumns::Exact { base, offset } => Times::Exact {
                base: *base,
                offset: Cow::Borrowed(offset),
            },
            TimeColumns::Intervals { lo, hi } => Times::Intervals {
                lo: Cow::Borrowed(lo),
                hi: Cow::Borrowed(hi),
            },
        };
        Index::assemble(
            catalog,
            Columns {
                from: Cow::Borrowed(&ch.from),
                to: Cow::Borrowed(&ch.to),
                event: ch.event.as_deref().map(Cow::Borrowed),
                times,
                flags,
            },
            spec,
        )
    }

    /// The index of a query about a message that has holdings
    /// ([`Catalog::holding_channels`]): the channels [`Index::build`] keeps,
    /// and each holding at or above the threshold as a channel from the
    /// message's origin to the holding entity that carries the message,
    /// merged in time order (after the events' channels of the same
    /// interval). `None` when there is no such holding.
    ///
    /// Complexity: O(c log c) for the c channels kept.
    fn with_holdings(catalog: &'a dyn Catalog, spec: &IndexSpec) -> Option<Index<'a>> {
        let message = spec.message.as_deref()?;
        let holdings: Vec<_> = catalog
            .holding_channels(message)
            .into_iter()
            .filter(|h| h.certainty >= spec.threshold)
            .collect();
        if holdings.is_empty() {
            return None;
        }
        let ch: &'a Channels = catalog.channels();
        let min = certainty_bits(spec.threshold);
        let mut carrying = catalog.carrying_events(message);
        carrying.sort_unstable();
        let kept: Vec<ChannelId> = if spec.mode == Mode::Message {
            ch.of_events(&carrying)
        } else {
            ChannelId::all(ch.len()).collect()
        };
        let mut rows: Vec<HoldingRow> = kept
            .into_iter()
            .filter(|&c| ch.certainty[c.index()] >= min)
            .map(|c| {
                let e = ch.event(c);
                let carries = carrying.binary_search(&e).is_ok();
                let flags = ch.certainty[c.index()] | if carries { CARRIES } else { 0 };
                let (from, to) = (ch.from[c.index()], ch.to[c.index()]);
                (ch.lo(c), ch.hi(c), false, c.index(), from, to, e.0, flags)
            })
            .collect();
        for (k, h) in holdings.iter().enumerate() {
            let flags = certainty_bits(h.certainty) | CARRIES;
            rows.push((h.lo, h.hi, true, k, h.from.0, h.to.0, h.event.0, flags));
        }
        rows.sort_unstable_by_key(|r| (r.0, r.1, r.2, r.3));
        let columns = Columns {
            from: Cow::Owned(rows.iter().map(|r| r.4).collect()),
            to: Cow::Owned(rows.iter().map(|r| r.5).collect()),
            event: Some(Cow::Owned(rows.iter().map(|r| r.6).collect())),
            times: Times::Intervals {
                lo: Cow::Owned(rows.iter().map(|r| r.0).collect()),
                hi: Cow::Owned(rows.iter().map(|r| r.1).collect()),
            },
            flags: Cow::Owned(rows.iter().map(|r| r.7).collect()),
        };
        Some(Index::assemble(catalog, columns, spec))
    }

    /// An index of the channels `kept` (ascending) of `ch`, each with its
    /// certainty and whether it carries the traced message.
    fn from_kept(
        catalog: &'a dyn Catalog,
        ch: &'a Channels,
        kept: &[usize],
        carries: &dyn Fn(usize) -> bool,
        spec: &IndexSpec,
    ) -> Index<'a> {
        let pick =
            |col: &[u32]| -> Cow<'a, [u32]> { Cow::Owned(kept.iter().map(|&c| col[c]).collect()) };
        let times = match &ch.times {
            TimeColumns::Exact { base, offset } => Times::Exact {
                base: *base,
                offset: pick(offset),
            },
            TimeColumns::Intervals { lo, hi } => Times::Intervals {
                lo: Cow::Owned(kept.iter().map(|&c| lo[c]).collect()),
                hi: Cow::Owned(kept.iter().map(|&c| hi[c]).collect()),
            },
        };
        let event: Vec<u32> = kept.iter().map(|&c| ch.event(ChannelId::at(c)).0).collect();
        let flags = Cow::Owned(
            kept.iter()
                .map(|&c| ch.certainty[c] | if carries(c) { CARRIES } else { 0 })
                .collect(),
        );
        Index::assemble(
            catalog,
            Columns {
                from: pick(&ch.from),
                to: pick(&ch.to),
                event: Some(Cow::Owned(event)),
                times,
                flags,
            },
            spec,
        )
    }

    fn assemble(catalog: &'a dyn Catalog, columns: Columns<'a>, spec: &IndexSpec) -> Index<'a> {
        let Columns {
            from,
            to,
            event,
            times,
            flags,
        } = columns;
        Index {
            catalog,
            exact: matches!(times, Times::Exact { .. }),
            from,
            to,
            event,
            times,
            flags,
            out: OnceLock::new(),
            spec: spec.clone(),
            hubs: catalog.channels().hubs,
        }
    }

    /// The same index with times stored as intervals even when exact, so that
    /// the general interval algorithms answer instead of the exact-time fast
    /// path. For tests and benchmarks that compare the two.
    pub fn with_interval_storage(mut self) -> Index<'a> {
        if let Times::Exact { base, offset } = &self.times {
            let lo: Vec<i64> = offset.iter().map(|&o| base + i64::from(o)).collect();
            self.times = Times::Intervals {
                hi: Cow::Owned(lo.clone()),
                lo: Cow::Owned(lo),
            };
        }
        self.exact = false;
        self.out = OnceLock::new();
        self
    }

    /// The catalogue the index was built from.
    pub fn catalog(&self) -> &'a dyn Catalog {
        self.catalog
    }

    /// What the index was built for.
    pub fn spec(&self) -> &IndexSpec {
        &self.spec
    }

    /// True when every channel is one exact second (and the exact-time fast
    /// path applies).
    pub fn is_exact(&self) -> bool {
        self.exact
    }

    /// Number of entities.
    pub fn entity_count(&self) -> usize {
        self.catalog.entity_count()
    }

    /// Number of nodes the algorithms number: the entities, then the hubs of
    /// large meetings ([`Channels::hubs`]).
    pub fn node_count(&self) -> usize {
        self.catalog.entity_count() + self.hubs as usize
    }

    /// True when some meeting goes through a hub.
    pub fn has_hubs(&self) -> bool {
        self.hubs > 0
    }

    /// True when node `u` is a meeting's hub, not an entity.
    #[inline]
    pub fn is_hub(&self, u: NodeId) -> bool {
        u.index() >= self.catalog.entity_count()
    }

    /// Node `u` told apart: an entity or a meeting's hub.
    #[inline]
    pub fn node(&self, u: NodeId) -> Node {
        Node::of(u, self.catalog.entity_count())
    }

    /// The entity node `u` is (`None` for a hub).
    #[inline]
    pub fn entity_of(&self, u: NodeId) -> Option<EntityId> {
        self.node(u).entity()
    }

    /// The hops of a chain of channels as people read them, a pass through
    /// a meeting's hub (into it, then out of it to the receiver) made one hop
    /// through the channel out of it.
    pub fn hops_of(&self, chain: &[ChannelId]) -> Vec<Hop> {
        let hop = |from, channel: ChannelId| Hop {
            from,
            to: self.to(channel),
            channel,
        };
        if self.hubs == 0 {
            return chain.iter().map(|&c| hop(self.from(c), c)).collect();
        }
        let mut out = Vec::with_capacity(chain.len());
        let mut sender = None;
        for &c in chain {
            let (f, t) = (self.from(c), self.to(c));
            if self.is_hub(t) {
                sender = Some(f);
                continue;
            }
            let f = if self.is_hub(f) {
                sender.take().unwrap_or(f)
            } else {
                f
            };
            out.push(hop(f, c));
        }
        out
    }

    /// Number of channels.
    pub fn channel_count(&self) -> usize {
        self.from.len()
    }

    /// Id of node `u` (empty for a hub).
    #[inline]
    pub fn entity_id(&self, u: impl Into<NodeId>) -> &'a str {
        match self.entity_of(u.into()) {
            Some(u) => self.catalog.entity_id(u),
            None => "",
        }
    }

    /// Display name of node `u` (empty for a hub).
    #[inline]
    pub fn entity_name(&self, u: impl Into<NodeId>) -> &'a str {
        match self.entity_of(u.into()) {
            Some(u) => self.catalog.entity_name(u),
            None => "",
        }
    }

    /// The channels, in time order.
    pub fn channels(&self) -> impl DoubleEndedIterator<Item = ChannelId> + ExactSizeIterator {
        (0..self.from.len() as u32).map(ChannelId)
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

    /// The event (catalogue number) channel `c` comes from.
    #[inline]
    pub fn event(&self, c: ChannelId) -> EventId {
        match &self.event {
            Some(e) => EventId(e[c.index()]),
            None => EventId(c.0),
        }
    }

    /// Id of the event channel `c` comes from.
    pub fn event_id(&self, c: ChannelId) -> Cow<'a, str> {
        self.catalog.event_id(self.event(c))
    }

    /// Every channel into entity `t` with its sender: a channel out of a
    /// meeting's hub counts once for each other participant (the ones with
    /// a channel into that hub). O(c).
    pub fn senders_into(&self, t: EntityId) -> Vec<(EntityId, ChannelId)> {
        let t = NodeId::from(t);
        let mut members: std::collections::HashMap<NodeId, Vec<NodeId>> = Default::default();
        if self.hubs > 0 {
            for c in self.channels() {
                if self.is_hub(self.to(c)) {
                    members.entry(self.to(c)).or_default().push(self.from(c));
                }
            }
        }
        let mut out = Vec::new();
        for c in self.channels() {
            if self.to(c) != t {
                continue;
            }
            let f = self.from(c);
            let entity = |p: NodeId| EntityId(p.0);
            match members.get(&f) {
                Some(ps) => out.extend(ps.iter().filter(|&&p| p != t).map(|&p| (entity(p), c))),
                None if !self.is_hub(f) => out.push((entity(f), c)),
                None => {}
            }
        }
        out
    }

    /// Appends the id of the event channel `c` comes from to `out`.
    pub fn write_event_id(&self, c: ChannelId, out: &mut String) {
        self.catalog.write_event_id(self.event(c), out)
    }

    /// Earliest second of channel `c` (`i64::MIN`: no lower bound).
    #[inline]
    pub fn lo(&self, c: ChannelId) -> i64 {
        let c = c.index();
        match &self.times {
            Times::Exact { base, offset } => base + i64::from(offset[c]),
            Times::Intervals { lo, .. } => lo[c],
        }
    }

    /// Latest second of channel `c` (`i64::MAX`: no upper bound).
    #[inline]
    pub fn hi(&self, c: ChannelId) -> i64 {
        let c = c.index();
        match &self.times {
            Times::Exact { base, offset } => base + i64::from(offset[c]),
            Times::Intervals { hi, .. } => hi[c],
        }
    }

    /// The certainty of the event of channel `c`.
    #[inline]
    pub fn certainty(&self, c: ChannelId) -> Certainty {
        certainty_of_bits(self.flags[c.index()] & CERTAINTY_MASK)
    }

    /// Whether the event of channel `c` carries the indexed message.
    #[inline]
    pub fn carries(&self, c: ChannelId) -> bool {
        self.flags[c.index()] & CARRIES != 0
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
    pub fn out_channels(&self, u: NodeId) -> &[ChannelId] {
        let adj = self.out.get_or_init(|| self.adjacency());
        let (a, b) = (
            adj.start[u.index()] as usize,
            adj.start[u.index() + 1] as usize,
        );
        &adj.list[a..b]
    }

    fn adjacency(&self) -> Adjacency {
        let n = self.node_count();
        let mut start = vec![0u32; n + 1];
        for &f in self.from.iter() {
            start[f as usize + 1] += 1;
        }
        for i in 0..n {
            start[i + 1] += start[i];
        }
        let mut fill = start.clone();
        let mut list = vec![ChannelId(0); self.from.len()];
        for (c, &f) in self.from.iter().enumerate() {
            list[fill[f as usize] as usize] = ChannelId::at(c);
            fill[f as usize] += 1;
        }
        Adjacency { start, list }
    }

    /// Bytes the index holds itself (borrowed columns cost nothing; the
    /// lazily built adjacency counts once built).
    pub fn heap_bytes(&self) -> usize {
        #[allow(clippy::ptr_arg)] // whether it is owned is the question
        fn owned<T: Clone>(c: &Cow<'_, [T]>) -> usize {
            if let Cow::Owned(v) = c {
                std::mem::size_of_val(v.as_slice())
            } else {
                0
            }
        }
        let times = match &self.times {
            Times::Exact { offset, .. } => owned(offset),
            Times::Intervals { lo, hi } => owned(lo) + owned(hi),
        };
        let adj = self
            .out
            .get()
            .map(|a| (a.start.capacity() + a.list.capacity()) * 4)
            .unwrap_or(0);
        owned(&self.from)
            + owned(&self.to)
            + self.event.as_ref().map_or(0, owned)
            + times
            + owned(&self.flags)
            + adj
    }
}

#[cfg(test)]
mod tests {
    use super::{Index, IndexSpec};
    use crate::catalog::StoryCatalog;
    use crate::model::Certainty;

    #[test]
    fn filtered_and_borrowed_builds_agree() {
        let story = crate::load_path("graphs/trump-jr-wikileaks.json".as_ref())
            .map(|l| l.story)
            .unwrap_or_default();
        let cat = StoryCatalog::new(&story);
        let every = IndexSpec {
            threshold: Certainty::Unknown,
            ..IndexSpec::default()
        };
        let all = Index::build(&cat, &every);
        assert_eq!(all.heap_bytes(), 0, "nothing filtered: all borrowed");
        let strong = Index::build(
            &cat,
            &IndexSpec {
                threshold: Certainty::Confirmed,
                ..IndexSpec::default()
            },
        );
        let expect: Vec<String> = all
            .channels()
            .filter(|&c| all.certainty(c) == Certainty::Confirmed)
            .map(|c| all.event_id(c).into_owned())
            .collect();
        let got: Vec<String> = strong
            .channels()
            .map(|c| strong.event_id(c).into_owned())
            .collect();
        assert_eq!(got, expect);
    }
}
