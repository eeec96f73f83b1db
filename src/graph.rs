//! The static side of the house: a petgraph view of a catalogue, for the
//! questions that ignore time (neighbourhoods, connected components, and the
//! centrality measures that follow).
//!
//! Entities are nodes (numbered as in the catalogue); every contact at or
//! above a certainty threshold links each pair of its parties, and standing
//! relations at or above it link their two ends. Links are undirected and
//! counted once. The time-respecting engine is [`crate::index`] and
//! [`crate::analysis`]: petgraph has no time-respecting search.
//!
//! # Example
//! ```
//! use grapevine::{graph::StaticGraph, Certainty, StoryCatalog, Catalog};
//! let story = grapevine::load_path("graphs/trump-jr-wikileaks.json".as_ref()).unwrap().story;
//! let catalog = StoryCatalog::new(&story);
//! let g = StaticGraph::build(&catalog, Certainty::Unknown, true);
//! let jr = catalog.resolve_entity("trump-jr").unwrap();
//! assert!(g.within(jr, 1).len() > 1);
//! ```

use petgraph::graph::{NodeIndex, UnGraph};

use crate::catalog::{certainty_bits, Catalog};
use crate::model::Certainty;

/// Entities linked by contacts (and, optionally, relations), undirected.
#[derive(Debug, Clone)]
pub struct StaticGraph {
    graph: UnGraph<u32, ()>,
}

impl StaticGraph {
    /// Builds the view: contacts of certainty at least `threshold` link their
    /// parties; with `relations`, standing relations at least that certain
    /// link their ends too.
    ///
    /// Complexity: O(c log c) for c channels.
    pub fn build(catalog: &dyn Catalog, threshold: Certainty, relations: bool) -> StaticGraph {
        let n = catalog.entity_count();
        let ch = catalog.channels();
        let min = certainty_bits(threshold);
        let mut pairs: Vec<(u32, u32)> = (0..ch.len())
            .filter(|&c| ch.certainty[c] >= min && ch.from[c] != ch.to[c])
            .map(|c| (ch.from[c].min(ch.to[c]), ch.from[c].max(ch.to[c])))
            .collect();
        if relations {
            for r in catalog.relations() {
                if r.certainty.unwrap_or_default() < threshold {
                    continue;
                }
                if let (Some(a), Some(b)) =
                    (catalog.entity_number(&r.from), catalog.entity_number(&r.to))
                {
                    if a != b {
                        pairs.push((a.min(b), a.max(b)));
                    }
                }
            }
        }
        pairs.sort_unstable();
        pairs.dedup();
        let mut graph = UnGraph::with_capacity(n, pairs.len());
        for u in 0..n as u32 {
            graph.add_node(u);
        }
        for (a, b) in pairs {
            graph.add_edge(NodeIndex::new(a as usize), NodeIndex::new(b as usize), ());
        }
        StaticGraph { graph }
    }

    /// The petgraph graph: node `i` is entity `i`.
    pub fn graph(&self) -> &UnGraph<u32, ()> {
        &self.graph
    }

    /// The entities within `depth` links of `start` (itself included),
    /// ascending. Breadth-first: O(n + l) for n entities and l links.
    pub fn within(&self, start: u32, depth: usize) -> Vec<u32> {
        let n = self.graph.node_count();
        if start as usize >= n {
            return Vec::new();
        }
        // Breadth-first, stopping at `depth`: only the neighbourhood is
        // visited, not the whole component.
        let mut dist = vec![usize::MAX; n];
        dist[start as usize] = 0;
        let mut queue = std::collections::VecDeque::from([NodeIndex::new(start as usize)]);
        let mut out = Vec::new();
        while let Some(v) = queue.pop_front() {
            out.push(v.index() as u32);
            let d = dist[v.index()];
            if d >= depth {
                continue;
            }
            for w in self.graph.neighbors(v) {
                if dist[w.index()] == usize::MAX {
                    dist[w.index()] = d + 1;
                    queue.push_back(w);
                }
            }
        }
        out.sort_unstable();
        out
    }

    /// The connected components, each ascending, largest first (ties by
    /// smallest member). Isolated entities are components of one.
    pub fn components(&self) -> Vec<Vec<u32>> {
        let n = self.graph.node_count();
        let mut uf = petgraph::unionfind::UnionFind::<usize>::new(n);
        for e in self.graph.edge_indices() {
            if let Some((a, b)) = self.graph.edge_endpoints(e) {
                uf.union(a.index(), b.index());
            }
        }
        let mut groups: std::collections::BTreeMap<usize, Vec<u32>> = Default::default();
        for u in 0..n {
            groups.entry(uf.find(u)).or_default().push(u as u32);
        }
        let mut out: Vec<Vec<u32>> = groups.into_values().collect();
        out.sort_by(|a, b| b.len().cmp(&a.len()).then_with(|| a.cmp(b)));
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::catalog::StoryCatalog;
    use crate::model::{Entity, Event, Parties, Story};

    fn chain_story(n: usize) -> Story {
        let entities = (0..n)
            .map(|i| Entity {
                id: format!("e{i}"),
                name: format!("E{i}"),
                ..Entity::default()
            })
            .collect();
        let events = (0..n.saturating_sub(2))
            .map(|i| Event {
                id: format!("c{i}"),
                parties: Parties::Directed {
                    from: format!("e{i}"),
                    to: vec![format!("e{}", i + 1)],
                    to_is_array: false,
                },
                ..Event::default()
            })
            .collect();
        Story {
            entities,
            events,
            ..Story::default()
        }
    }

    #[test]
    fn neighbourhood_and_components() {
        let story = chain_story(6);
        let cat = StoryCatalog::new(&story);
        let g = StaticGraph::build(&cat, Certainty::Unknown, false);
        assert_eq!(g.within(0, 0), vec![0]);
        assert_eq!(g.within(0, 2), vec![0, 1, 2]);
        assert_eq!(g.within(2, 1), vec![1, 2, 3]);
        // e0..e4 linked, e5 isolated.
        assert_eq!(g.components(), vec![vec![0, 1, 2, 3, 4], vec![5]]);
    }
}
