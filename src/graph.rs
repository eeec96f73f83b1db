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
//! use grapevine::{internals::graph::StaticGraph, Certainty, StoryCatalog, Catalog};
//! let story = grapevine::load_path("graphs/trump-jr-wikileaks.json".as_ref()).unwrap().story;
//! let catalog = StoryCatalog::new(&story);
//! let g = StaticGraph::build(&catalog, Certainty::Unknown, true);
//! let jr = catalog.resolve_entity("trump-jr").unwrap();
//! assert!(g.within(jr, 1).len() > 1);
//! ```

use petgraph::graph::{NodeIndex, UnGraph};

use crate::catalog::{certainty_bits, Catalog, ChannelId, EntityId, EventId};
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
    /// An entity.
    Entity(EntityId),
    /// A contact of more than two parties.
    Contact(EventId),
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
                let e = ch.event(ChannelId::at(c)).0;
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
                        pairs.push((a.min(b).0, a.max(b).0));
                    }
                }
            }
        }
        pairs.sort_unstable();
        pairs.dedup();
        let mut graph = UnGraph::with_capacity(n + hubs.len(), pairs.len());
        for u in EntityId::all(n) {
            graph.add_node(Node::Entity(u));
        }
        for (a, b) in pairs {
            graph.add_edge(NodeIndex::new(a as usize), NodeIndex::new(b as usize), ());
        }
        for (e, members) in hubs {
            let hub = graph.add_node(Node::Contact(EventId(e)));
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
    pub fn within(&self, start: EntityId, depth: usize) -> Vec<EntityId> {
        let n = self.graph.node_count();
        if start.index() >= self.entities {
            return Vec::new();
        }
        let mut dist = vec![usize::MAX; n];
        dist[start.index()] = 0;
        let mut queue = std::collections::VecDeque::from([NodeIndex::new(start.index())]);
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
        EntityId::all(self.entities)
            .filter(|&u| dist[u.index()] <= depth)
            .collect()
    }

    /// Number of entities: nodes `0..entity_count()` of [`StaticGraph::graph`].
    pub fn entity_count(&self) -> usize {
        self.entities
    }

    /// The shortest number of steps from `start` to every entity (`None`:
    /// not connected); the parties of one contact are one step apart, as in
    /// [`StaticGraph::within`]. O(n + l).
    pub fn distances(&self, start: EntityId) -> Vec<Option<usize>> {
        let n = self.graph.node_count();
        let mut dist = vec![usize::MAX; n];
        if start.index() < self.entities {
            dist[start.index()] = 0;
            let mut queue = std::collections::VecDeque::from([NodeIndex::new(start.index())]);
            while let Some(v) = queue.pop_front() {
                let d = dist[v.index()];
                let from_hub = v.index() >= self.entities;
                for w in self.graph.neighbors(v) {
                    let step = usize::from(!from_hub);
                    if d + step >= dist[w.index()] {
                        continue;
                    }
                    dist[w.index()] = d + step;
                    if step == 0 {
                        queue.push_front(w);
                    } else {
                        queue.push_back(w);
                    }
                }
            }
        }
        dist.truncate(self.entities);
        dist.into_iter()
            .map(|d| (d != usize::MAX).then_some(d))
            .collect()
    }

    /// The entities one step from `u` (not `u` itself), ascending: its
    /// direct links and the other parties of its contacts of more than two.
    pub fn neighbours(&self, u: EntityId) -> Vec<EntityId> {
        if u.index() >= self.entities {
            return Vec::new();
        }
        let mut out = Vec::new();
        for w in self.graph.neighbors(NodeIndex::new(u.index())) {
            if w.index() < self.entities {
                out.push(EntityId::at(w.index()));
            } else {
                out.extend(
                    self.graph
                        .neighbors(w)
                        .map(|x| EntityId::at(x.index()))
                        .filter(|&x| x != u),
                );
            }
        }
        out.sort_unstable();
        out.dedup();
        out
    }

    /// Every link between two entities, each pair once as `(a, b)` with
    /// `a < b`, ascending: the parties of each contact pairwise (a contact of
    /// k parties gives k(k−1)/2 links) and, when built with them, the ends
    /// of relations.
    ///
    /// Errors with the number of links it would make (counted before pairs
    /// shared by several contacts are merged) when that is more than
    /// `max_links`: a meeting of 10^5 people makes 5·10^9.
    pub fn entity_links(&self, max_links: usize) -> Result<Vec<(EntityId, EntityId)>, usize> {
        let mut direct = 0usize;
        let mut expanded = 0usize;
        for e in self.graph.edge_indices() {
            if let Some((a, b)) = self.graph.edge_endpoints(e) {
                if a.index() < self.entities && b.index() < self.entities {
                    direct += 1;
                }
            }
        }
        for h in self.entities..self.graph.node_count() {
            let k = self.graph.neighbors(NodeIndex::new(h)).count();
            expanded = expanded.saturating_add(k.saturating_mul(k.saturating_sub(1)) / 2);
        }
        let total = direct.saturating_add(expanded);
        if total > max_links {
            return Err(total);
        }
        let mut links = Vec::with_capacity(total);
        for e in self.graph.edge_indices() {
            if let Some((a, b)) = self.graph.edge_endpoints(e) {
                let (a, b) = (a.index(), b.index());
                if a < self.entities && b < self.entities {
                    links.push((EntityId::at(a.min(b)), EntityId::at(a.max(b))));
                }
            }
        }
        for h in self.entities..self.graph.node_count() {
            let mut members: Vec<EntityId> = self
                .graph
                .neighbors(NodeIndex::new(h))
                .map(|x| EntityId::at(x.index()))
                .collect();
            members.sort_unstable();
            for (i, &a) in members.iter().enumerate() {
                for &b in &members[i + 1..] {
                    if a != b {
                        links.push((a, b));
                    }
                }
            }
        }
        links.sort_unstable();
        links.dedup();
        Ok(links)
    }

    /// The entities alone as a simple graph ([`EntityGraph`]): the links of
    /// [`StaticGraph::entity_links`]; errors as it does.
    pub fn entity_graph(&self, max_links: usize) -> Result<EntityGraph, usize> {
        let links = self.entity_links(max_links)?;
        let mut graph = UnGraph::with_capacity(self.entities, links.len());
        for _ in 0..self.entities {
            graph.add_node(());
        }
        for (a, b) in links {
            graph.add_edge(NodeIndex::new(a.index()), NodeIndex::new(b.index()), ());
        }
        Ok(EntityGraph { graph })
    }

    /// The connected components of entities, each ascending, largest first
    /// (ties by smallest member). Isolated entities are components of one.
    pub fn components(&self) -> Vec<Vec<EntityId>> {
        let n = self.graph.node_count();
        let mut uf = petgraph::unionfind::UnionFind::<usize>::new(n);
        for e in self.graph.edge_indices() {
            if let Some((a, b)) = self.graph.edge_endpoints(e) {
                uf.union(a.index(), b.index());
            }
        }
        let mut groups: std::collections::BTreeMap<usize, Vec<EntityId>> = Default::default();
        for u in EntityId::all(self.entities) {
            groups.entry(uf.find(u.index())).or_default().push(u);
        }
        let mut out: Vec<Vec<EntityId>> = groups.into_values().collect();
        out.sort_by(|a, b| b.len().cmp(&a.len()).then_with(|| a.cmp(b)));
        out
    }
}

/// Entities as a simple undirected graph: node `i` is entity `i`, and two
/// entities are linked once however many contacts (or relations) they share.
/// It is the graph networkx's `Graph` makes of the same pairs, and the
/// centrality measures below give networkx's values on it.
#[derive(Debug, Clone)]
pub struct EntityGraph {
    graph: UnGraph<(), ()>,
}

impl EntityGraph {
    /// The petgraph graph.
    pub fn graph(&self) -> &UnGraph<(), ()> {
        &self.graph
    }

    /// Number of entities.
    pub fn len(&self) -> usize {
        self.graph.node_count()
    }

    /// True when there are no entities.
    pub fn is_empty(&self) -> bool {
        self.graph.node_count() == 0
    }

    /// Number of other entities each is linked to.
    pub fn degrees(&self) -> Vec<usize> {
        self.graph
            .node_indices()
            .map(|v| self.graph.neighbors(v).count())
            .collect()
    }

    /// Degree centrality: the fraction of the other entities each is linked
    /// to, deg/(n−1) (rustworkx-core; networkx's `degree_centrality`, which
    /// gives 1 to the entity of a one-entity graph). O(n + l).
    pub fn degree_centrality(&self) -> Vec<f64> {
        if self.len() <= 1 {
            return vec![1.0; self.len()];
        }
        rustworkx_core::centrality::degree_centrality(&self.graph, None)
    }

    /// Betweenness centrality, normalised by (n−1)(n−2), endpoints left out
    /// (rustworkx-core, Brandes' algorithm; networkx's
    /// `betweenness_centrality` with its defaults). O(n·l), on one thread so
    /// that the sums, and so the values, are the same on every run.
    pub fn betweenness(&self) -> Vec<f64> {
        rustworkx_core::centrality::betweenness_centrality(&self.graph, false, true, usize::MAX)
            .into_iter()
            .map(|b| b.unwrap_or(0.0))
            .collect()
    }

    /// Betweenness as [`EntityGraph::betweenness`], but entities marked in
    /// `ends` (audiences: groups) are endpoints only: a shortest path never
    /// passes through one, so theirs is 0. With no end marked it is
    /// rustworkx-core's. Brandes' algorithm with the search not continuing
    /// past an end; O(n·l).
    pub fn betweenness_ending_at(&self, ends: &[bool]) -> Vec<f64> {
        if !ends.contains(&true) {
            return self.betweenness();
        }
        let n = self.len();
        let mut score = vec![0.0f64; n];
        for s in 0..n {
            let search = self.search(s, ends);
            let mut delta = vec![0.0f64; n];
            for &w in search.order.iter().rev() {
                for &v in &search.preds[w] {
                    delta[v] += search.sigma[v] / search.sigma[w] * (1.0 + delta[w]);
                }
                if w != s {
                    score[w] += delta[w];
                }
            }
        }
        // networkx's normalisation for an undirected graph (each pair is
        // counted from both ends).
        let scale = if n > 2 {
            1.0 / ((n - 1) * (n - 2)) as f64
        } else {
            0.0
        };
        score.into_iter().map(|b| b * scale).collect()
    }

    /// Closeness as [`EntityGraph::closeness`], but distances never pass
    /// through an entity marked in `ends` (it may start or end one). With no
    /// end marked it is rustworkx-core's. O(n·l).
    pub fn closeness_ending_at(&self, ends: &[bool]) -> Vec<f64> {
        if !ends.contains(&true) {
            return self.closeness();
        }
        let n = self.len();
        (0..n)
            .map(|s| {
                let search = self.search(s, ends);
                let total: usize = search.order.iter().map(|&v| search.dist[v]).sum();
                let r = search.order.len() as f64;
                if total == 0 || n < 2 {
                    0.0
                } else {
                    (r - 1.0) / total as f64 * (r - 1.0) / (n - 1) as f64
                }
            })
            .collect()
    }

    /// A breadth-first search from `s` that does not continue past an entity
    /// marked in `ends` (other than `s`): the order entities are reached in,
    /// their distances, shortest-path counts and predecessors.
    fn search(&self, s: usize, ends: &[bool]) -> Search {
        let n = self.len();
        let mut out = Search {
            order: Vec::new(),
            dist: vec![usize::MAX; n],
            sigma: vec![0.0; n],
            preds: vec![Vec::new(); n],
        };
        out.dist[s] = 0;
        out.sigma[s] = 1.0;
        let mut queue = std::collections::VecDeque::from([s]);
        while let Some(v) = queue.pop_front() {
            out.order.push(v);
            if v != s && ends[v] {
                continue;
            }
            for w in self.graph.neighbors(NodeIndex::new(v)) {
                let w = w.index();
                if out.dist[w] == usize::MAX {
                    out.dist[w] = out.dist[v] + 1;
                    queue.push_back(w);
                }
                if out.dist[w] == out.dist[v] + 1 {
                    out.sigma[w] += out.sigma[v];
                    out.preds[w].push(v);
                }
            }
        }
        out
    }

    /// Closeness centrality with Wasserman and Faust's correction for graphs
    /// of several components: (r−1)/s · (r−1)/(n−1) for an entity that
    /// reaches r entities (itself included) at total distance s, 0 for an
    /// isolated one (rustworkx-core; networkx's `closeness_centrality` with
    /// its defaults). O(n·l), in parallel above 50 entities.
    pub fn closeness(&self) -> Vec<f64> {
        rustworkx_core::centrality::closeness_centrality(&self.graph, true, 50)
            .into_iter()
            .map(|c| c.unwrap_or(0.0))
            .collect()
    }

    /// PageRank with damping `alpha` (0.85 is networkx's default): each link
    /// is followed both ways, an entity with no link (a dangling node)
    /// spreads its rank over everyone, and the power iteration runs until
    /// the values change by less than n·10⁻¹⁵ in total (at most 10 000
    /// rounds), so they agree with networkx's fixpoint to about 10⁻¹³
    /// (networkx's own default stops at n·10⁻⁶). rustworkx-core has no
    /// PageRank; this is networkx's `pagerank` formula. O(rounds·(n + l)).
    pub fn pagerank(&self, alpha: f64) -> Vec<f64> {
        let n = self.len();
        if n == 0 {
            return Vec::new();
        }
        let nf = n as f64;
        let degree: Vec<f64> = self.degrees().into_iter().map(|d| d as f64).collect();
        let mut x = vec![1.0 / nf; n];
        let mut next = vec![0.0; n];
        for _ in 0..10_000 {
            let dangling: f64 = (0..n).filter(|&v| degree[v] == 0.0).map(|v| x[v]).sum();
            let base = alpha * dangling / nf + (1.0 - alpha) / nf;
            next.iter_mut().for_each(|y| *y = 0.0);
            for v in self.graph.node_indices() {
                let d = degree[v.index()];
                if d == 0.0 {
                    continue;
                }
                let share = alpha * x[v.index()] / d;
                for w in self.graph.neighbors(v) {
                    next[w.index()] += share;
                }
            }
            next.iter_mut().for_each(|y| *y += base);
            let err: f64 = x.iter().zip(&next).map(|(a, b)| (a - b).abs()).sum();
            std::mem::swap(&mut x, &mut next);
            if err < nf * 1e-15 {
                break;
            }
        }
        x
    }
}

/// One breadth-first search of [`EntityGraph`]'s endpoint-aware measures.
struct Search {
    /// The entities reached, in the order they were reached.
    order: Vec<usize>,
    /// Distance from the start (`usize::MAX`: not reached).
    dist: Vec<usize>,
    /// Number of shortest paths from the start.
    sigma: Vec<f64>,
    /// Each entity's predecessors on those paths.
    preds: Vec<Vec<usize>>,
}

#[cfg(test)]
mod tests {
    use super::StaticGraph;
    use crate::catalog::{EntityId, StoryCatalog};
    use crate::model::Certainty;
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

    fn ids(v: &[u32]) -> Vec<EntityId> {
        v.iter().map(|&u| EntityId(u)).collect()
    }

    #[test]
    fn neighbourhood_and_components() {
        let story = chain_story(6);
        let cat = StoryCatalog::new(&story);
        let g = StaticGraph::build(&cat, Certainty::Unknown, false);
        assert_eq!(g.within(EntityId(0), 0), ids(&[0]));
        assert_eq!(g.within(EntityId(0), 2), ids(&[0, 1, 2]));
        assert_eq!(g.within(EntityId(2), 1), ids(&[1, 2, 3]));
        // e0..e4 linked, e5 isolated.
        assert_eq!(g.components(), vec![ids(&[0, 1, 2, 3, 4]), ids(&[5])]);
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
        assert_eq!(g.within(EntityId(2), 1), ids(&[0, 1, 2, 3]));
        assert_eq!(g.within(EntityId(2), 0), ids(&[2]));
        assert_eq!(g.components(), vec![ids(&[0, 1, 2, 3]), ids(&[4])]);
    }
}
