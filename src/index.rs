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

/// The time-sorted channels of a story, as parallel arrays.
#[derive(Debug, Clone, Default)]
pub struct Index {
    /// Entity ids, by interned number (same order as the story's entities).
    pub entity_ids: Vec<String>,
    /// Entity display names, by interned number.
    pub entity_names: Vec<String>,
    /// Event ids, by event number (the story's order).
    pub event_ids: Vec<String>,
    /// Sender of each channel.
    pub from: Vec<u32>,
    /// Receiver of each channel.
    pub to: Vec<u32>,
    /// Earliest second of each channel (`i64::MIN`: no lower bound).
    pub lo: Vec<i64>,
    /// Latest second of each channel (`i64::MAX`: no upper bound).
    pub hi: Vec<i64>,
    /// The event each channel comes from.
    pub event: Vec<u32>,
    /// The certainty of that event.
    pub certainty: Vec<Certainty>,
    /// Whether that event carries the indexed message.
    pub carries: Vec<bool>,
    /// Channels by sender: `out[out_start[u]..out_start[u+1]]` are channel
    /// numbers, in time order.
    pub out_start: Vec<u32>,
    /// See `out_start`.
    pub out: Vec<u32>,
    /// True when every channel is one exact second.
    pub exact: bool,
    /// What the index was built for.
    pub spec: IndexSpec,
}

impl Index {
    /// Builds the index of `story` for `spec`.
    ///
    /// Complexity: O(c log c) for c channels.
    pub fn build(story: &Story, spec: &IndexSpec) -> Index {
        let ids = story.entity_ids();
        let mut rows: Vec<(i64, i64, u32, u32, u32, Certainty, bool)> = Vec::new();
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
                    e.certainty(),
                    carries,
                ));
            }
        }
        let event_ids: Vec<String> = story.events.iter().map(|e| e.id.clone()).collect();
        let entity_ids: Vec<String> = story.entities.iter().map(|e| e.id.clone()).collect();
        rows.sort_by(|x, y| {
            (
                x.0,
                x.1,
                &event_ids[x.2 as usize],
                &entity_ids[x.3 as usize],
                &entity_ids[x.4 as usize],
            )
                .cmp(&(
                    y.0,
                    y.1,
                    &event_ids[y.2 as usize],
                    &entity_ids[y.3 as usize],
                    &entity_ids[y.4 as usize],
                ))
        });
        rows.dedup_by(|x, y| x.2 == y.2 && x.3 == y.3 && x.4 == y.4);
        let mut index = Index {
            entity_names: story.entities.iter().map(|e| e.name.clone()).collect(),
            entity_ids,
            event_ids,
            spec: spec.clone(),
            ..Index::default()
        };
        for (lo, hi, ev, a, b, cert, carries) in rows {
            index.lo.push(lo);
            index.hi.push(hi);
            index.event.push(ev);
            index.from.push(a);
            index.to.push(b);
            index.certainty.push(cert);
            index.carries.push(carries);
        }
        index.finish();
        index
    }

    /// Builds the per-sender adjacency and the `exact` flag.
    pub(crate) fn finish(&mut self) {
        let n = self.entity_ids.len();
        let mut count = vec![0u32; n + 1];
        for &f in &self.from {
            count[f as usize + 1] += 1;
        }
        for i in 0..n {
            count[i + 1] += count[i];
        }
        let mut fill = count.clone();
        let mut out = vec![0u32; self.from.len()];
        for (c, &f) in self.from.iter().enumerate() {
            out[fill[f as usize] as usize] = c as u32;
            fill[f as usize] += 1;
        }
        self.out_start = count;
        self.out = out;
        self.exact = self
            .lo
            .iter()
            .zip(&self.hi)
            .all(|(l, h)| l == h && *l != i64::MIN && *h != i64::MAX);
    }

    /// Number of entities.
    pub fn entity_count(&self) -> usize {
        self.entity_ids.len()
    }

    /// Number of channels.
    pub fn channel_count(&self) -> usize {
        self.from.len()
    }

    /// The channels sent by entity `u`, in time order.
    pub fn out_channels(&self, u: u32) -> &[u32] {
        &self.out[self.out_start[u as usize] as usize..self.out_start[u as usize + 1] as usize]
    }
}
