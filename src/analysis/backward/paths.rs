//! One chain per node to the target that realises its `latest`: the mirror
//! of the forward tree. A channel from `u` to `v` is *tight* when using it
//! from `v`'s latest gives exactly `u`'s latest; every chain of tight
//! channels to the target realises each of its nodes' latest. Among them
//! each node takes the fewest hops (a pass through a meeting's hub is one
//! hop), then the smallest channel number: a deterministic tree, the same
//! whether the times are stored exact or as intervals.

use std::collections::VecDeque;

use super::latest::{through, Reverse, UNREACHED};
use crate::catalog::{ChannelId, NodeId};
use crate::index::Index;
use crate::model::Certainty;

const NONE: u32 = u32::MAX;

/// The tree of chains to one target: each node's next channel.
pub(super) struct Tree {
    next: Vec<ChannelId>,
    target: NodeId,
}

impl Tree {
    /// The tree over `lat` (the target's latest times at certainty `min`).
    ///
    /// Complexity: O(c + n) (a 0-1 breadth-first search over the channels
    /// into each node).
    pub(super) fn new(rev: &Reverse, target: NodeId, lat: &[i64], min: Certainty) -> Tree {
        let index = rev.index;
        let n = lat.len();
        let mut hops = vec![u32::MAX; n];
        let mut next = vec![ChannelId(NONE); n];
        let mut done = vec![false; n];
        let mut queue = VecDeque::new();
        hops[target.index()] = 0;
        queue.push_back(target);
        let incoming = rev.incoming();
        while let Some(v) = queue.pop_front() {
            if done[v.index()] {
                continue;
            }
            done[v.index()] = true;
            // Into a hub is half a hop: the hop counts out of it.
            let step = u32::from(!index.is_hub(v));
            let h = hops[v.index()] + step;
            for &c in incoming.of(v) {
                let u = index.from(c);
                if u == target
                    || index.certainty(c) < min
                    || through(index, c, lat[v.index()], rev.strict) != Some(lat[u.index()])
                {
                    continue;
                }
                let (hu, nu) = (&mut hops[u.index()], &mut next[u.index()]);
                if h < *hu {
                    *hu = h;
                    *nu = c;
                    if step == 0 {
                        queue.push_front(u);
                    } else {
                        queue.push_back(u);
                    }
                } else if h == *hu && c < *nu {
                    *nu = c;
                }
            }
        }
        debug_assert!((0..n).all(|u| lat[u] == UNREACHED || done[u]));
        Tree { next, target }
    }

    /// The channels from `u` to the target, in order (a pass through a
    /// meeting's hub as two channels).
    pub(super) fn chain(&self, index: &Index, u: NodeId) -> Vec<ChannelId> {
        let mut out = Vec::new();
        let mut x = u;
        while x != self.target {
            let c = self.next[x.index()];
            if c.0 == NONE {
                return Vec::new();
            }
            out.push(c);
            x = index.to(c);
        }
        out
    }
}
