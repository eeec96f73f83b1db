//! Earliest arrivals and their chains as a forest of labels.

use super::{NONE, NO_UPPER};
use crate::catalog::{ChannelId, NodeId};

/// Earliest arrivals and their chains as a forest of labels: linear in the
/// number of labels, whatever the chains' lengths. An entity's chain is read
/// by following parent labels from its own ([`Paths::channels`]).
#[derive(Debug, Clone, PartialEq, Eq)]
#[doc(hidden)]
pub struct Paths {
    /// Earliest arrival per entity ([`NO_UPPER`]: not reached).
    time: Vec<i64>,
    /// Hops of the chain per entity.
    hops: Vec<u32>,
    /// The entity's label (`NONE`: not reached).
    label: Vec<u32>,
    /// Per label: the label it extends (`NONE` for the source's) and the
    /// channel that delivered it (`NONE` for the source's), side by side so
    /// that a walk up a chain reads one cache line a step.
    links: Vec<(u32, u32)>,
}

impl Paths {
    /// No entity reached yet.
    pub(crate) fn new(n: usize) -> Paths {
        Paths {
            time: vec![NO_UPPER; n],
            hops: vec![0; n],
            label: vec![NONE; n],
            links: Vec::new(),
        }
    }

    /// Adds a label; returns its number.
    pub(crate) fn push_label(&mut self, parent: u32, channel: ChannelId) -> u32 {
        self.links.push((parent, channel.0));
        (self.links.len() - 1) as u32
    }

    /// Records `v`'s earliest arrival the first time it is settled.
    pub(crate) fn settle(&mut self, v: NodeId, t: i64, hops: u32, label: u32) {
        let v = v.index();
        if self.label[v] == NONE {
            self.time[v] = t;
            self.hops[v] = hops;
            self.label[v] = label;
        }
    }

    /// Forgets `v` (not reached after all, e.g. later than `--until`).
    pub(crate) fn forget(&mut self, v: NodeId) {
        let v = v.index();
        self.label[v] = NONE;
        self.time[v] = NO_UPPER;
    }

    /// Number of entities.
    pub fn len(&self) -> usize {
        self.label.len()
    }

    /// True when there are no entities.
    pub fn is_empty(&self) -> bool {
        self.label.is_empty()
    }

    /// Whether node `v` is reached.
    pub fn is_reached(&self, v: NodeId) -> bool {
        self.label[v.index()] != NONE
    }

    /// The earliest arrivals ([`NO_UPPER`]: not reached; [`super::NO_LOWER`]: no lower
    /// bound).
    pub fn times(&self) -> &[i64] {
        &self.time
    }

    /// Entity `v`'s earliest arrival, if reached.
    pub fn time(&self, v: NodeId) -> Option<i64> {
        self.is_reached(v).then(|| self.time[v.index()])
    }

    /// Number of hops of `v`'s chain (0 for the source and the unreached).
    pub fn hops(&self, v: NodeId) -> usize {
        self.hops[v.index()] as usize
    }

    /// The last channel of `v`'s chain (none for the source).
    pub fn last_channel(&self, v: NodeId) -> Option<ChannelId> {
        let l = *self.label.get(v.index())?;
        if l == NONE {
            return None;
        }
        let c = self.links[l as usize].1;
        (c != NONE).then_some(ChannelId(c))
    }

    /// The channels of `v`'s chain, in order (empty for the source and the
    /// unreached). O(hops).
    pub fn channels(&self, v: NodeId) -> Vec<ChannelId> {
        let mut out = Vec::with_capacity(self.hops(v));
        let mut l = self.label[v.index()];
        while l != NONE {
            let (parent, channel) = self.links[l as usize];
            if channel == NONE {
                break;
            }
            out.push(ChannelId(channel));
            l = parent;
        }
        out.reverse();
        out
    }

    /// The reached entities in the order their labels were made: for the
    /// one-pass and label-setting algorithms, nearly the order of arrival.
    /// O(labels).
    pub(crate) fn reached_in_label_order(&self) -> Vec<NodeId> {
        let mut by_label = vec![NodeId(NONE); self.links.len()];
        for (v, &l) in self.label.iter().enumerate() {
            if l != NONE {
                by_label[l as usize] = NodeId::at(v);
            }
        }
        by_label.retain(|&v| v != NodeId(NONE));
        by_label
    }

    /// For every entity, the first channel of its chain that `accept`
    /// takes (`None`: none, or not reached). O(labels) for all entities
    /// together, whatever the chains' lengths: each label is resolved once,
    /// from its parent's answer.
    pub(crate) fn first_on_chains(
        &self,
        accept: impl Fn(ChannelId) -> bool,
    ) -> Vec<Option<ChannelId>> {
        // Per label: the first accepted channel of its chain, or NONE.
        let mut memo = vec![NONE; self.links.len()];
        let mut done = vec![false; self.links.len()];
        let mut stack: Vec<u32> = Vec::new();
        for l0 in 0..self.links.len() {
            if done[l0] {
                continue;
            }
            stack.clear();
            let mut l = l0 as u32;
            while l != NONE && !done[l as usize] {
                stack.push(l);
                l = self.links[l as usize].0;
            }
            let mut first = if l == NONE { NONE } else { memo[l as usize] };
            while let Some(x) = stack.pop() {
                let c = self.links[x as usize].1;
                if first == NONE && c != NONE && accept(ChannelId(c)) {
                    first = c;
                }
                memo[x as usize] = first;
                done[x as usize] = true;
            }
        }
        self.label
            .iter()
            .map(|&l| {
                let c = if l == NONE { NONE } else { memo[l as usize] };
                (c != NONE).then_some(ChannelId(c))
            })
            .collect()
    }

    /// Earliest arrival and chain per entity, as owned lists (for tests and
    /// small inputs: the chains cost the sum of their lengths).
    pub fn to_vec(&self) -> Vec<Option<(i64, Vec<ChannelId>)>> {
        NodeId::all(self.len())
            .map(|v| self.time(v).map(|t| (t, self.channels(v))))
            .collect()
    }
}
