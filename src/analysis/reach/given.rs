//! The passes of [`super::reach_rows`] given as numbers from outside (a
//! Spark job's output, `reach --answer`): per node and certainty level the
//! earliest arrival, the hops and the channel that delivered it, and the
//! definite times at the threshold. [`Given::rows`] makes the same
//! [`ReachRows`] the engine makes, so that one writer prints both.

use super::rows::{reach_rows_with, Passes};
use super::{Paths, ReachQuery, ReachRows, NONE, NO_UPPER};
use crate::catalog::{certainty_bits, ChannelId, NodeId};
use crate::index::Index;
use crate::model::Certainty;

/// One earliest-arrival pass at one certainty level: per node, its
/// earliest arrival ([`NO_UPPER`]: not reached), the hops of its chain and
/// the channel that delivered it (`None` for the source and the unreached).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct LevelPass {
    pub(crate) time: Vec<i64>,
    pub(crate) hops: Vec<u32>,
    pub(crate) via: Vec<Option<ChannelId>>,
    /// False: the pass gives the times alone (no chains), enough for a
    /// level that is no entity's evidence.
    pub(crate) chains: bool,
}

impl LevelPass {
    /// Nothing reached, for `nodes` nodes.
    pub(crate) fn new(nodes: usize) -> LevelPass {
        LevelPass {
            time: vec![NO_UPPER; nodes],
            hops: vec![0; nodes],
            via: vec![None; nodes],
            chains: true,
        }
    }

    /// The pass as the engine's forest of chains: each node's label extends
    /// the label of its channel's sender. Fails (with the node) when a
    /// reached node's sender is not reached, or comes after it.
    fn paths(&self, index: &Index) -> Result<Paths, usize> {
        let n = self.time.len();
        let mut order: Vec<usize> = (0..n).filter(|&v| self.time[v] != NO_UPPER).collect();
        // A sender has fewer hops, or as many when it passes the
        // information into a meeting's hub (an entity before a hub).
        order.sort_by_key(|&v| (self.hops[v], index.is_hub(NodeId::at(v)), v));
        let mut paths = Paths::new(n);
        let mut label = vec![NONE; n];
        for v in order {
            let (parent, via) = match self.via[v] {
                None => (NONE, ChannelId(NONE)),
                Some(c) => {
                    let from = index.from(c).index();
                    match label.get(from) {
                        Some(&l) if l != NONE && from != v => (l, c),
                        _ => return Err(v),
                    }
                }
            };
            let id = paths.push_label(parent, via);
            label[v] = id;
            paths.settle(NodeId::at(v), self.time[v], self.hops[v], id);
        }
        Ok(paths)
    }
}

/// The passes of one answer, given: one [`LevelPass`] per certainty level
/// from the threshold up, and the definite times at the threshold.
#[derive(Debug, Clone)]
pub(crate) struct Given {
    /// By [`certainty_bits`]: the chains (`None`: not given).
    levels: [Option<Paths>; 4],
    /// By [`certainty_bits`]: the times (`None`: not given).
    times: [Option<Vec<i64>>; 4],
    definite: Vec<Option<i64>>,
}

/// Why given passes cannot make an answer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum GivenError {
    /// No pass at this level (every level from the threshold up is needed).
    MissingLevel(Certainty),
    /// At this level, this node's chain comes from a node that is not
    /// reached before it.
    BrokenChain(Certainty, usize),
}

impl Given {
    /// The passes `levels` (each at its level) and the definite times
    /// `definite` (per node, `None`: not definitely reached), checked
    /// against `index`: every level from the index's threshold up must be
    /// there, and every chain must lead back to the source.
    pub(crate) fn new(
        index: &Index,
        levels: Vec<(Certainty, LevelPass)>,
        definite: Vec<Option<i64>>,
    ) -> Result<Given, GivenError> {
        let mut given = Given {
            levels: [None, None, None, None],
            times: [None, None, None, None],
            definite,
        };
        for (level, pass) in levels {
            let at = usize::from(certainty_bits(level));
            if pass.chains {
                let paths = pass
                    .paths(index)
                    .map_err(|v| GivenError::BrokenChain(level, v))?;
                given.levels[at] = Some(paths);
            }
            given.times[at] = Some(pass.time);
        }
        let threshold = index.spec.threshold;
        for level in Certainty::ALL {
            let at = usize::from(certainty_bits(level));
            let missing =
                given.times[at].is_none() || (level == threshold && given.levels[at].is_none());
            if level >= threshold && missing {
                return Err(GivenError::MissingLevel(level));
            }
        }
        Ok(given)
    }

    /// The answer's rows, made by the code that makes the engine's.
    pub(crate) fn rows<'i>(&self, index: &'i Index<'i>, query: &ReachQuery) -> ReachRows<'i> {
        reach_rows_with(index, query, self)
    }

    /// The chains at `min`. The rows ask for the chains of the threshold
    /// (checked by `new`) and of levels that are some entity's evidence,
    /// which the job computes; any other level has no chains here (an
    /// answer without them would show no `rests_on`).
    fn level(&self, min: Certainty) -> Paths {
        self.levels[usize::from(certainty_bits(min))]
            .clone()
            .unwrap_or_else(|| Paths::new(self.definite.len()))
    }
}

impl Passes for Given {
    fn paths(&self, _: &Index, _: &ReachQuery, min: Certainty) -> Paths {
        self.level(min)
    }
    fn arrival(&self, _: &Index, _: &ReachQuery, min: Certainty) -> Vec<i64> {
        self.times[usize::from(certainty_bits(min))]
            .clone()
            .unwrap_or_else(|| vec![NO_UPPER; self.definite.len()])
    }
    fn definite(&self, _: &Index, _: &ReachQuery, _: &[i64], _: Certainty) -> Vec<Option<i64>> {
        self.definite.clone()
    }
}
