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
///
/// A contact between two entities is one edge between them; a contact of
/// more parties (a meeting, an e-mail to several people) is a node of its
/// own linked to each party, so that it costs memory linear in its parties
/// while its parties are still one step from each other.
#[derive(Debug, Clone)]
pub struct StaticGraph {
    graph: UnGraph<Node, ()>,
    entities: usize,
}

/// A node of the static graph.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Node {
    /// An entity (catalogue number).
    Entity(u32),
    /// A contact of more than two parties (event number).
    Contact(u32),
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
        // (event, entity) for every party of every kept contact.
        let mut parties: Vec<(u32, u32)> = Vec::new();
        for c in 0..ch.len() {
            if ch.certainty[c] >= min {
                let e = ch.event(c);
                // Hubs of meetings (numbered after the entities) are left
                // out: their participants are the parties.
                for u in [ch.from[c], ch.to[c]] {
                    if (u as usize) < n {
                        parties.push((e, u));
                    }
                }
            }
        }
        parties.sort_unstable();
        parties.dedup();
        let mut pairs: Vec<(u32, u32)> = Vec::new();
        let mut hubs: Vec<(u32, Vec<u32>)> = Vec::new();
        for group in parties.chunk_by(|a, b| a.0 == b.0) {
            match group {
                [_] => {}
                [(_, a), (_, b)] => pairs.push((*a.min(b), *a.max(b))),
                _ => hubs.push((group[0].0, group.iter().map(|p| p.1).collect())),
            }
        }
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
        let mut graph = UnGraph::with_capacity(n + hubs.len(), pairs.len());
        for u in 0..n as u32 {
            graph.add_node(Node::Entity(u));
        }
        for (a, b) in pairs {
            graph.add_edge(NodeIndex::new(a as usize), NodeIndex::new(b as usize), ());
        }
        for (e, members) in hubs {
            let hub = graph.add_node(Node::Contact(e));
            for m in members {
                graph.add_edge(hub, NodeIndex::new(m as usize), ());
            }
        }
        StaticGraph { graph, entities: n }
    }

    /// The petgraph graph: node `i < entity_count` is entity `i`; the others
    /// are contacts of more than two parties.
    pub fn graph(&self) -> &UnGraph<Node, ()> {
        &self.graph
    }

    /// The entities within `depth` steps of `start` (itself included),
    /// ascending; the parties of one contact are one step apart.
    ///
    /// Breadth-first with 0-1 costs (entering a contact node costs the step,
    /// leaving it nothing), stopping at `depth`: only the neighbourhood is
    /// visited. O(n + l) at most for n nodes and l links.
    pub fn within(&self, start: u32, depth: usize) -> Vec<u32> {
        let n = self.graph.node_count();
        if start as usize >= self.entities {
            return Vec::new();
        }
        let mut dist = vec![usize::MAX; n];
        dist[start as usize] = 0;
        let mut queue = std::collections::VecDeque::from([NodeIndex::new(start as usize)]);
        while let Some(v) = queue.pop_front() {
            let d = dist[v.index()];
            let from_hub = v.index() >= self.entities;
            for w in self.graph.neighbors(v) {
                let step = usize::from(!from_hub);
                let nd = d + step;
                if nd > depth || nd >= dist[w.index()] {
                    continue;
                }
                dist[w.index()] = nd;
                if step == 0 {
                    queue.push_front(w);
                } else {
                    queue.push_back(w);
                }
            }
        }
        (0..self.entities as u32)
            .filter(|&u| dist[u as usize] <= depth)
            .collect()
    }

    /// The connected components of entities, each ascending, largest first
    /// (ties by smallest member). Isolated entities are components of one.
    pub fn components(&self) -> Vec<Vec<u32>> {
        let n = self.graph.node_count();
        let mut uf = petgraph::unionfind::UnionFind::<usize>::new(n);
        for e in self.graph.edge_indices() {
            if let Some((a, b)) = self.graph.edge_endpoints(e) {
                uf.union(a.index(), b.index());
            }
        }
        let mut groups: std::collections::BTreeMap<usize, Vec<u32>> = Default::default();
        for u in 0..self.entities {
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

    #[test]
    fn co_recipients_are_one_step_apart() {
        let mut story = chain_story(5);
        story.events = vec![Event {
            id: "blast".into(),
            parties: Parties::Directed {
                from: "e0".into(),
                to: vec!["e1".into(), "e2".into(), "e3".into()],
                to_is_array: true,
            },
            ..Event::default()
        }];
        let cat = StoryCatalog::new(&story);
        let g = StaticGraph::build(&cat, Certainty::Unknown, false);
        assert_eq!(g.within(2, 1), vec![0, 1, 2, 3]);
        assert_eq!(g.within(2, 0), vec![2]);
        assert_eq!(g.components(), vec![vec![0, 1, 2, 3], vec![4]]);
    }
}
