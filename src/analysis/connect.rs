//! How some entities are linked: the connecting network (the union of the
//! shortest static paths between every pair of them) and, for every ordered
//! pair, the earliest time-respecting chain from one to the other, where
//! one exists.
//!
//! The static paths run on the entities' simple graph
//! ([`crate::graph::EntityGraph`]): two entities are one step apart when
//! they share a contact at or above the threshold (or, when asked, a
//! relation). The chains are those of `reach` in contacts mode from the
//! first entity (from `since`, else since before any contact) and `path`.

use std::collections::{BTreeMap, BTreeSet, VecDeque};

use serde::{Serialize, Serializer};

use super::reach::{earliest_paths, Paths, ReachQuery, SourceHeld, NO_LOWER, NO_UPPER};
use crate::catalog::{Catalog, ChannelId, EntityId, EventId, NodeId};
use crate::error::{Limited, QueryError};
use crate::graph::{EntityGraph, StaticGraph};
use crate::index::{Index, IndexSpec, Mode};
use crate::model::time::rfc3339;
use crate::model::Certainty;
use crate::Error;

/// Most links the static graph may have (see [`super::rank::MAX_LINKS`]).
pub const MAX_LINKS: usize = super::rank::MAX_LINKS;

/// Most contacts listed per link (the count is always given).
pub const EVENTS_PER_LINK: usize = 20;

/// What to connect; the default follows every contact, with chains from
/// before any contact.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConnectQuery {
    /// The entities, two or more, each once.
    pub entities: Vec<EntityId>,
    /// Contacts (and relations) weaker than this are left out.
    pub threshold: Certainty,
    /// Standing relations link their ends too (static paths only: no
    /// information travels along them).
    pub relations: bool,
    /// The chains: each entity holds the information from this second
    /// (`None`: since before any contact).
    pub since: Option<i64>,
    /// The chains: each hop at least a second after its sender had it.
    pub strict: bool,
    /// The chains: arriving by this second.
    pub until: Option<i64>,
    /// Static paths may pass through audiences (entities of kind `group`);
    /// by default a group is an endpoint only.
    pub through_groups: bool,
}

impl Default for ConnectQuery {
    fn default() -> Self {
        ConnectQuery {
            entities: Vec::new(),
            threshold: Certainty::Unknown,
            relations: false,
            since: None,
            strict: false,
            until: None,
            through_groups: false,
        }
    }
}

/// The earliest time-respecting chain from one entity to another.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Chain {
    /// Where it starts (entity id).
    pub from: String,
    /// Where it ends.
    pub to: String,
    /// Whether one exists.
    pub exists: bool,
    /// When it could arrive at the earliest (`None`: no lower bound, or no
    /// chain).
    #[serde(serialize_with = "ser_time")]
    pub earliest: Option<i64>,
    /// The event ids along it, in order (`reach`'s `path`).
    pub events: Vec<String>,
    /// The entity ids along it, `from` first, `to` last.
    pub entities: Vec<String>,
}

/// The static link between two entities of a pair.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Pair {
    /// First entity id.
    pub a: String,
    /// Second entity id.
    pub b: String,
    /// Steps of a shortest static path (`None`: not connected).
    pub distance: Option<usize>,
    /// Number of shortest static paths (saturating at 2^64−1).
    pub shortest_paths: u64,
    /// The earliest chain from `a` to `b`.
    pub a_to_b: Chain,
    /// The earliest chain from `b` to `a`.
    pub b_to_a: Chain,
}

/// A link of the connecting network.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Link {
    /// One end: the one nearer the first entity asked about (then the
    /// smaller id).
    pub a: String,
    /// The other end.
    pub b: String,
    /// How many contacts at or above the threshold have both as parties.
    pub contacts: usize,
    /// The first [`EVENTS_PER_LINK`] of them, in the input's time order.
    pub events: Vec<String>,
    /// The kinds of the relations between them (with `relations`).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub relations: Vec<String>,
}

/// The answer of [`connect`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ConnectAnswer {
    /// The entities asked about (ids), in the order given.
    pub entities: Vec<String>,
    /// The evidence threshold.
    pub threshold: Certainty,
    /// Whether relations link entities.
    pub relations: bool,
    /// The chains' common start, when given.
    #[serde(serialize_with = "ser_time", skip_serializing_if = "Option::is_none")]
    pub since: Option<i64>,
    /// The chains' `--until`, when given.
    #[serde(serialize_with = "ser_time", skip_serializing_if = "Option::is_none")]
    pub until: Option<i64>,
    /// Strict chains.
    pub strict: bool,
    /// Every pair (in the order given).
    pub pairs: Vec<Pair>,
    /// The entities of the connecting network: every entity on a shortest
    /// path of some pair, by name then id.
    pub network: Vec<String>,
    /// Its links, from the first entity outward (by the distance of their
    /// nearer end from it, then by their ends' ids).
    pub links: Vec<Link>,
}

fn ser_time<S: Serializer>(t: &Option<i64>, s: S) -> Result<S::Ok, S::Error> {
    match *t {
        Some(v) if v != NO_LOWER && v != NO_UPPER => s.serialize_str(&rfc3339(v)),
        _ => s.serialize_none(),
    }
}

/// Breadth-first distances and shortest-path counts from `s`.
fn bfs(g: &EntityGraph, s: EntityId, ends: &[bool]) -> (Vec<usize>, Vec<u64>) {
    let n = g.len();
    let mut dist = vec![usize::MAX; n];
    let mut count = vec![0u64; n];
    let graph = g.graph();
    dist[s.index()] = 0;
    count[s.index()] = 1;
    let mut queue = VecDeque::from([s.index()]);
    while let Some(v) = queue.pop_front() {
        // An audience is an endpoint: no path goes on through it.
        if v != s.index() && ends[v] {
            continue;
        }
        for w in graph.neighbors(petgraph::graph::NodeIndex::new(v)) {
            let w = w.index();
            if dist[w] == usize::MAX {
                dist[w] = dist[v] + 1;
                queue.push_back(w);
            }
            if dist[w] == dist[v] + 1 {
                count[w] = count[w].saturating_add(count[v]);
            }
        }
    }
    (dist, count)
}

/// A link between two entities, as a pair of numbers.
type EntityPair = (EntityId, EntityId);

/// The static side of the answer: every pair's distance and number of
/// shortest paths, and the entities and links on those paths.
struct Network {
    /// Per pair `(i, j)` of the terms (`i < j`): distance and path count.
    pairs: Vec<(usize, usize, Option<usize>, u64)>,
    /// The entities on a shortest path of some pair, the terms included.
    nodes: BTreeSet<EntityId>,
    /// The links on those paths, oriented away from the pair's first entity.
    links: BTreeSet<EntityPair>,
}

/// The connecting network of `terms` on `g`, from a breadth-first search
/// per term (`searches[i]` is that of `terms[i]`).
fn network(
    g: &EntityGraph,
    terms: &[EntityId],
    searches: &[(Vec<usize>, Vec<u64>)],
    ends: &[bool],
) -> Network {
    let mut net = Network {
        pairs: Vec::new(),
        nodes: terms.iter().copied().collect(),
        links: BTreeSet::new(),
    };
    let graph = g.graph();
    for i in 0..terms.len() {
        for j in i + 1..terms.len() {
            let (da, ca) = &searches[i];
            let (db, _) = &searches[j];
            let b = terms[j].index();
            let d = da[b];
            if d == usize::MAX {
                net.pairs.push((i, j, None, 0));
                continue;
            }
            net.pairs.push((i, j, Some(d), ca[b]));
            let (a, b) = (terms[i].index(), terms[j].index());
            // An audience is on a path only as one of its ends.
            let inner = |x: usize| x == a || x == b || !ends[x];
            for x in 0..g.len() {
                if da[x] == usize::MAX || db[x] == usize::MAX || da[x] + db[x] != d || !inner(x) {
                    continue;
                }
                net.nodes.insert(EntityId::at(x));
                for y in graph.neighbors(petgraph::graph::NodeIndex::new(x)) {
                    let y = y.index();
                    if da[y] != usize::MAX
                        && db[y] != usize::MAX
                        && da[x] + 1 + db[y] == d
                        && inner(y)
                    {
                        net.links.insert((EntityId::at(x), EntityId::at(y)));
                    }
                }
            }
        }
    }
    net
}

/// The contacts of each link of `net`: every event at or above `threshold`
/// with both ends among its parties, as (its first channel, the event).
fn link_contacts(
    catalog: &dyn Catalog,
    threshold: Certainty,
    net: &Network,
) -> BTreeMap<EntityPair, Vec<(ChannelId, EventId)>> {
    let ch = catalog.channels();
    let n = catalog.entity_count();
    let min = crate::catalog::certainty_bits(threshold);
    let wanted: BTreeSet<EntityPair> = net
        .links
        .iter()
        .map(|&(a, b)| (a.min(b), a.max(b)))
        .collect();
    let mut parties: Vec<(EventId, EntityId, ChannelId)> = Vec::new();
    for c in ChannelId::all(ch.len()) {
        if ch.certainty[c.index()] < min {
            continue;
        }
        for u in [ch.from(c), ch.to(c)] {
            let u = EntityId(u.0);
            if u.index() < n && net.nodes.contains(&u) {
                parties.push((ch.event(c), u, c));
            }
        }
    }
    parties.sort_unstable();
    let mut by_link: BTreeMap<EntityPair, Vec<(ChannelId, EventId)>> = BTreeMap::new();
    for group in parties.chunk_by(|a, b| a.0 == b.0) {
        let mut members: Vec<EntityId> = group.iter().map(|p| p.1).collect();
        members.sort_unstable();
        members.dedup();
        let first = group.iter().map(|p| p.2).min().unwrap_or_default();
        for (k, &a) in members.iter().enumerate() {
            for &b in &members[k + 1..] {
                if wanted.contains(&(a, b)) {
                    by_link.entry((a, b)).or_default().push((first, group[0].0));
                }
            }
        }
    }
    by_link
}

/// The relations at or above the query's threshold, as (smaller end,
/// larger end, kind); none unless the query asks for relations.
fn link_relations(
    catalog: &dyn Catalog,
    query: &ConnectQuery,
) -> Vec<(EntityId, EntityId, String)> {
    if !query.relations {
        return Vec::new();
    }
    catalog
        .relations()
        .iter()
        .filter(|r| r.certainty.unwrap_or_default() >= query.threshold)
        .filter_map(|r| {
            let (a, b) = (
                catalog.entity_number(&r.from)?,
                catalog.entity_number(&r.to)?,
            );
            Some((
                a.min(b),
                a.max(b),
                r.kind.clone().unwrap_or_else(|| "relation".to_string()),
            ))
        })
        .collect()
}

/// The links of the network as the answer lists them: each once, its `a`
/// the end nearer the first entity (then by id), from the first entity
/// outward. `first` holds the distances from the first entity.
fn answer_links(
    catalog: &dyn Catalog,
    query: &ConnectQuery,
    net: &Network,
    first: &[usize],
) -> Vec<Link> {
    let by_link = link_contacts(catalog, query.threshold, net);
    let relations = link_relations(catalog, query);
    let id = |u: EntityId| catalog.entity_id(u).to_string();
    let oriented: BTreeSet<EntityPair> = net
        .links
        .iter()
        .map(|&(x, y)| {
            let key = |u: EntityId| (first[u.index()], catalog.entity_id(u));
            if key(x) <= key(y) {
                (x, y)
            } else {
                (y, x)
            }
        })
        .collect();
    let mut out_links: Vec<Link> = oriented
        .iter()
        .map(|&(a, b)| {
            let key = (a.min(b), a.max(b));
            let mut events = by_link.get(&key).cloned().unwrap_or_default();
            events.sort_unstable();
            let mut kinds: Vec<String> = relations
                .iter()
                .filter(|r| (r.0, r.1) == key)
                .map(|r| r.2.clone())
                .collect();
            kinds.sort();
            kinds.dedup();
            Link {
                a: id(a),
                b: id(b),
                contacts: events.len(),
                events: events
                    .iter()
                    .take(EVENTS_PER_LINK)
                    .map(|&(_, e)| catalog.event_id(e).into_owned())
                    .collect(),
                relations: kinds,
            }
        })
        .collect();
    // From the first entity outward: by the distance of the nearer end.
    let near = |l: &Link| {
        let d = |e: &str| {
            catalog
                .entity_number(e)
                .and_then(|u| first.get(u.index()).copied())
                .unwrap_or(usize::MAX)
        };
        d(&l.a).min(d(&l.b))
    };
    out_links.sort_by(|x, y| (near(x), &x.a, &x.b).cmp(&(near(y), &y.a, &y.b)));
    out_links
}

/// The earliest chains between every ordered pair of the query's entities
/// (`[i][j]` from the `i`th to the `j`th), one earliest-path pass from
/// each entity.
fn chains(catalog: &dyn Catalog, query: &ConnectQuery) -> Vec<Vec<Chain>> {
    let spec = IndexSpec {
        message: None,
        mode: Mode::Contacts,
        threshold: query.threshold,
    };
    let index = Index::build(catalog, &spec);
    let terms = &query.entities;
    terms
        .iter()
        .map(|&a| {
            let rq = ReachQuery {
                start: query.since,
                source_held: query.since.map_or(SourceHeld::Always, SourceHeld::By),
                strict: query.strict,
                until: query.until,
                ..ReachQuery::new(a)
            };
            let paths = earliest_paths(&index, &rq, query.threshold);
            terms
                .iter()
                .map(|&b| chain(&index, &paths, (a, b), query.until))
                .collect()
        })
        .collect()
}

/// The chain from `a` to `b` on the earliest paths from `a`, when it
/// arrives by `until`.
fn chain(index: &Index, paths: &Paths, (a, b): EntityPair, until: Option<i64>) -> Chain {
    let id = |u: NodeId| index.entity_id(u).to_string();
    let t = paths
        .time(b.into())
        .filter(|&t| until.is_none_or(|u| t <= u));
    let hops = if t.is_some() {
        index.hops_of(&paths.channels(b.into()))
    } else {
        Vec::new()
    };
    Chain {
        from: id(a.into()),
        to: id(b.into()),
        exists: t.is_some(),
        earliest: t.filter(|&t| t != NO_LOWER),
        events: hops
            .iter()
            .map(|hop| index.event_id(hop.channel).into_owned())
            .collect(),
        entities: if t.is_some() {
            std::iter::once(id(a.into()))
                .chain(hops.iter().map(|hop| id(hop.to)))
                .collect()
        } else {
            Vec::new()
        },
    }
}

/// The connecting network of `query.entities` and the earliest chains
/// between them.
///
/// # Errors
/// [`Error::Query`] when fewer than two entities are given, or when the
/// entities' simple graph would have more than [`MAX_LINKS`] links.
///
/// # Complexity
/// O(k·(n + l)) for the static paths of k entities (n entities, l links),
/// one earliest-path pass per entity for the chains (O(c) on exact times),
/// and O(c) to find the contacts of the links.
pub fn connect(catalog: &dyn Catalog, query: &ConnectQuery) -> Result<ConnectAnswer, Error> {
    let terms = &query.entities;
    if terms.len() < 2 {
        return Err(Error::Query(QueryError::TooFewEntities));
    }
    let sg = StaticGraph::build(catalog, query.threshold, query.relations);
    let g = sg.entity_graph(MAX_LINKS).map_err(|n| {
        Error::Query(QueryError::Limit {
            what: Limited::ConnectLinks,
            limit: MAX_LINKS as u64,
            found: n as u64,
        })
    })?;
    let ends = super::rank::group_ends(catalog, query.through_groups);
    let searches: Vec<(Vec<usize>, Vec<u64>)> = terms.iter().map(|&t| bfs(&g, t, &ends)).collect();
    let net = network(&g, terms, &searches, &ends);
    let links = answer_links(catalog, query, &net, &searches[0].0);
    let chains_from = chains(catalog, query);
    let id = |u: EntityId| catalog.entity_id(u).to_string();
    let pairs = net
        .pairs
        .iter()
        .map(|&(i, j, distance, shortest_paths)| Pair {
            a: id(terms[i]),
            b: id(terms[j]),
            distance,
            shortest_paths,
            a_to_b: chains_from[i][j].clone(),
            b_to_a: chains_from[j][i].clone(),
        })
        .collect();
    let mut network: Vec<EntityId> = net.nodes.into_iter().collect();
    network.sort_by(|&a, &b| {
        (catalog.entity_name(a), catalog.entity_id(a))
            .cmp(&(catalog.entity_name(b), catalog.entity_id(b)))
    });
    Ok(ConnectAnswer {
        entities: terms.iter().map(|&t| id(t)).collect(),
        threshold: query.threshold,
        relations: query.relations,
        since: query.since.filter(|t| *t != NO_LOWER),
        until: query.until,
        strict: query.strict,
        pairs,
        network: network.into_iter().map(id).collect(),
        links,
    })
}
