//! The time-expanded flow network of the exact-time minimum cut.

use super::Cut;
use crate::analysis::reach::{earliest_arrival, ReachQuery, NO_LOWER, NO_UPPER};
use crate::catalog::{ChannelId, EntityId, EventId, NodeId};
use crate::index::Index;

/// Capacity of the arcs that are never cut.
pub(super) const INFINITE: i64 = i64::MAX / 4;

/// The time-expanded graph of [`super::Method::Flow`], for exact times: a node per
/// (entity, second) at which it receives or sends, with arcs of infinite
/// capacity forward in time (it keeps what it has); for each event, an arc
/// `in → out` of capacity M + its certainty weight (M more than any sum of
/// weights, so that a minimum cut has the fewest events first), with arcs
/// from each sender's node at the event's second (strict: the second
/// before) into `in`, and from `out` to each receiver's node at that
/// second. A meeting's hub is its event's pair of nodes.
pub(super) struct Network {
    /// Per node: its arcs (indices into `to`/`cap`), as offsets into `list`.
    start: Vec<u32>,
    list: Vec<u32>,
    /// Per arc: its head; arc `a ^ 1` is its reverse.
    to: Vec<u32>,
    cap: Vec<i64>,
    /// Per event number: its `in` node (`u32::MAX`: not in the graph).
    event_in: Vec<u32>,
    /// The node each event's `out` is: `event_in + 1`.
    /// The source's node.
    source: u32,
    /// Per entity: its last node (`u32::MAX`: none).
    last: Vec<u32>,
    /// Per node: the event whose `in` it is (`u32::MAX` for others).
    event_of: Vec<u32>,
    /// The capacity every event arc has at least (M).
    big: i64,
}

/// A node of the timeline: (entity or hub number, second).
type Point = (u32, i64);

/// An arc to be: (tail, head, capacity).
type Arc = (u32, u32, i64);

impl Network {
    pub(super) fn build(
        index: &Index,
        rq: &ReachQuery,
        strength: &dyn Fn(EventId) -> u64,
    ) -> Network {
        let strict = i64::from(rq.strict);
        let usable = usable_channels(index, rq);
        let t0 = rq.start.unwrap_or(NO_LOWER);
        let points = timeline_points(index, rq, &usable);
        let node_of = |u: u32, t: i64| points.binary_search(&(u, t)).ok().map(|i| i as u32);
        let mut events: Vec<EventId> = usable.iter().map(|&c| index.event(c)).collect();
        events.sort_unstable();
        events.dedup();
        let weights: u64 = events.iter().map(|&e| strength(e)).sum();
        let big = i64::try_from(weights.saturating_add(1)).unwrap_or(INFINITE / 4);
        // Holdings are numbered after the events.
        let numbers = events.last().map_or(0, |&e| e.index() + 1);
        let mut event_in = vec![u32::MAX; numbers.max(index.catalog().event_count())];
        let mut event_of = vec![u32::MAX; points.len()];
        let mut next = points.len() as u32;
        for &e in &events {
            event_in[e.index()] = next;
            event_of.push(e.0);
            event_of.push(u32::MAX);
            next += 2;
        }
        let mut arcs: Vec<Arc> = Vec::new();
        for w in points.windows(2) {
            if w[0].0 == w[1].0 {
                let a = node_of(w[0].0, w[0].1).unwrap_or(0);
                arcs.push((a, a + 1, INFINITE));
            }
        }
        for &e in &events {
            let n = event_in[e.index()];
            let w = i64::try_from(strength(e)).unwrap_or(0);
            arcs.push((n, n + 1, big.saturating_add(w)));
        }
        for &c in &usable {
            let e = event_in[index.event(c).index()];
            let (f, t, time) = (index.from(c), index.to(c), index.lo(c));
            if !index.is_hub(f) {
                if let Some(a) = node_of(f.0, time.saturating_sub(strict)) {
                    arcs.push((a, e, INFINITE));
                }
            }
            if !index.is_hub(t) {
                if let Some(b) = node_of(t.0, time) {
                    arcs.push((e + 1, b, INFINITE));
                }
            }
        }
        arcs.sort_unstable();
        arcs.dedup();
        let mut last = vec![u32::MAX; index.entity_count()];
        for (i, &(u, _)) in points.iter().enumerate() {
            if let Some(l) = last.get_mut(u as usize) {
                *l = i as u32;
            }
        }
        let (start, list, to, cap) = adjacency(next as usize, &arcs);
        Network {
            start,
            list,
            to,
            cap,
            event_in,
            source: node_of(rq.source.0, t0).unwrap_or(0),
            last,
            event_of,
            big,
        }
    }

    pub(super) fn arcs(&self, v: u32) -> &[u32] {
        &self.list[self.start[v as usize] as usize..self.start[v as usize + 1] as usize]
    }

    /// The nodes from which `sink` can be reached (original arcs only):
    /// the only ones a chain to it can use.
    pub(super) fn toward(&self, sink: u32) -> Vec<bool> {
        let mut useful = vec![false; self.start.len() - 1];
        useful[sink as usize] = true;
        let mut stack = vec![sink];
        while let Some(y) = stack.pop() {
            for &a in self.arcs(y) {
                // An odd arc out of y is the reverse of an arc x → y.
                let x = self.to[a as usize];
                if a % 2 == 1 && !useful[x as usize] {
                    useful[x as usize] = true;
                    stack.push(x);
                }
            }
        }
        useful
    }

    /// Maximum flow from the source to `sink` on `cap`, by augmenting paths
    /// found depth first among the `useful` nodes, with two capacity scales:
    /// arcs of at least `big` first (one event each), then any. About two
    /// paths per event of the cut, each O(arcs) at worst.
    pub(super) fn max_flow(&self, cap: &mut [i64], sink: u32, useful: &[bool], big: i64) {
        let n = self.start.len() - 1;
        if !useful[self.source as usize] {
            return;
        }
        let mut stamp = vec![0u32; n];
        let mut parent = vec![u32::MAX; n];
        let mut it = vec![0usize; n];
        let mut round = 0u32;
        for delta in [big.max(1), 1] {
            loop {
                round += 1;
                stamp[self.source as usize] = round;
                it[self.source as usize] = self.start[self.source as usize] as usize;
                let mut stack = vec![self.source];
                let mut found = false;
                while let Some(&v) = stack.last() {
                    if v == sink {
                        found = true;
                        break;
                    }
                    let end = self.start[v as usize + 1] as usize;
                    let mut next = None;
                    while it[v as usize] < end {
                        let a = self.list[it[v as usize]];
                        it[v as usize] += 1;
                        let w = self.to[a as usize];
                        if cap[a as usize] >= delta
                            && useful[w as usize]
                            && stamp[w as usize] != round
                        {
                            next = Some((a, w));
                            break;
                        }
                    }
                    match next {
                        Some((a, w)) => {
                            stamp[w as usize] = round;
                            parent[w as usize] = a;
                            it[w as usize] = self.start[w as usize] as usize;
                            stack.push(w);
                        }
                        None => {
                            stack.pop();
                        }
                    }
                }
                if !found {
                    break;
                }
                let mut push = INFINITE;
                let mut v = sink;
                while v != self.source {
                    let a = parent[v as usize];
                    push = push.min(cap[a as usize]);
                    v = self.to[(a ^ 1) as usize];
                }
                let mut v = sink;
                while v != self.source {
                    let a = parent[v as usize];
                    cap[a as usize] -= push;
                    cap[(a ^ 1) as usize] += push;
                    v = self.to[(a ^ 1) as usize];
                }
            }
        }
    }

    /// The events whose arc lies on every chain from the source to `sink`:
    /// along one chain P, an event's arc is on every chain unless some
    /// detour leaves P before it and comes back after it. One search from
    /// P's nodes in order, each node of the graph visited once, keeps the
    /// farthest point of P a detour from so far reaches. O(arcs).
    pub(super) fn single_points(&self, sink: u32, useful: &[bool]) -> Vec<EventId> {
        let n = self.start.len() - 1;
        // One chain, depth first over the original arcs.
        let mut parent = vec![u32::MAX; n];
        let mut seen = vec![false; n];
        seen[self.source as usize] = true;
        let mut stack = vec![self.source];
        while let Some(v) = stack.pop() {
            if v == sink {
                break;
            }
            for &a in self.arcs(v) {
                let w = self.to[a as usize];
                if a % 2 == 0 && useful[w as usize] && !seen[w as usize] {
                    seen[w as usize] = true;
                    parent[w as usize] = a;
                    stack.push(w);
                }
            }
        }
        if !seen[sink as usize] {
            return Vec::new();
        }
        let mut path = vec![sink];
        let mut v = sink;
        while v != self.source {
            v = self.to[(parent[v as usize] ^ 1) as usize];
            path.push(v);
        }
        path.reverse();
        let mut place = vec![u32::MAX; n];
        for (i, &v) in path.iter().enumerate() {
            place[v as usize] = i as u32;
        }
        let mut visited = vec![false; n];
        let mut farthest = 0usize;
        let mut out = Vec::new();
        for (i, &p) in path.iter().enumerate() {
            let mut stack = vec![p];
            while let Some(v) = stack.pop() {
                for &a in self.arcs(v) {
                    let w = self.to[a as usize];
                    if a % 2 == 1 || !useful[w as usize] {
                        continue;
                    }
                    let at = place[w as usize];
                    if at != u32::MAX {
                        // Back on the chain; the chain's own arc is no detour.
                        if !(v == p && at as usize == i + 1) {
                            farthest = farthest.max(at as usize);
                        }
                    } else if !visited[w as usize] {
                        visited[w as usize] = true;
                        stack.push(w);
                    }
                }
            }
            // The arc p → path[i + 1] is an event's when p is its `in`; no
            // detour from p or before it comes back after it.
            if self.event_of[p as usize] != u32::MAX && farthest <= i {
                out.push(EventId(self.event_of[p as usize]));
            }
        }
        out
    }

    /// The cut of `target`: a minimum-weight set of event arcs, the one
    /// nearest the target; its single points of failure when it is one
    /// event.
    pub(super) fn cut(&self, target: EntityId) -> Cut {
        let sink = self.last.get(target.index()).copied().unwrap_or(u32::MAX);
        if sink == u32::MAX {
            return Cut {
                single_points: Vec::new(),
                cut: Vec::new(),
                minimum: true,
                lower_bound: 0,
            };
        }
        let useful = self.toward(sink);
        let mut cap = self.cap.clone();
        self.max_flow(&mut cap, sink, &useful, self.big);
        // The sink's side: nodes from which the sink is reachable in the
        // residual graph.
        let n = self.start.len() - 1;
        let mut near = vec![false; n];
        near[sink as usize] = true;
        let mut stack = vec![sink];
        while let Some(y) = stack.pop() {
            for &a in self.arcs(y) {
                let x = self.to[a as usize];
                if !near[x as usize] && cap[(a ^ 1) as usize] > 0 {
                    near[x as usize] = true;
                    stack.push(x);
                }
            }
        }
        let mut cut: Vec<EventId> = Vec::new();
        for (e, &i) in self.event_in.iter().enumerate() {
            if i != u32::MAX && !near[i as usize] && near[i as usize + 1] {
                cut.push(EventId::at(e));
            }
        }
        let single_points = if cut.len() == 1 {
            self.single_points(sink, &useful)
        } else {
            Vec::new()
        };
        Cut {
            single_points,
            lower_bound: cut.len(),
            cut,
            minimum: true,
        }
    }
}

/// The channels a chain may use: in time for their sender (by its earliest
/// arrival), by `until`.
fn usable_channels(index: &Index, rq: &ReachQuery) -> Vec<ChannelId> {
    let arr = earliest_arrival(index, rq, index.spec().threshold);
    let strict = i64::from(rq.strict);
    let until = rq.until.unwrap_or(NO_UPPER);
    index
        .channels()
        .filter(|&c| {
            let (f, t) = (index.from(c), index.lo(c));
            let a = arr[f.index()];
            let ready = if index.is_hub(f) || a == NO_LOWER {
                a
            } else {
                a.saturating_add(strict)
            };
            a != NO_UPPER && t >= ready && t <= until
        })
        .collect()
}

/// The timeline nodes, sorted: the source at its start, and each entity
/// at each second it sends (strict: the second before) or receives on a
/// `usable` channel.
fn timeline_points(index: &Index, rq: &ReachQuery, usable: &[ChannelId]) -> Vec<Point> {
    let strict = i64::from(rq.strict);
    let t0 = rq.start.unwrap_or(NO_LOWER);
    let mut points: Vec<Point> = vec![(NodeId::from(rq.source).0, t0)];
    for &c in usable {
        let (f, t, time) = (index.from(c), index.to(c), index.lo(c));
        if !index.is_hub(f) {
            points.push((f.0, time.saturating_sub(strict)));
        }
        if !index.is_hub(t) {
            points.push((t.0, time));
        }
    }
    points.sort_unstable();
    points.dedup();
    points
}

/// The arcs of `nodes` nodes as adjacency lists, each arc with its reverse
/// (capacity 0) beside it: `(start, list, to, cap)` of [`Network`].
fn adjacency(nodes: usize, arcs: &[Arc]) -> (Vec<u32>, Vec<u32>, Vec<u32>, Vec<i64>) {
    let mut start = vec![0u32; nodes + 1];
    for &(a, b, _) in arcs {
        start[a as usize + 1] += 1;
        start[b as usize + 1] += 1;
    }
    for i in 0..nodes {
        start[i + 1] += start[i];
    }
    let mut fill = start.clone();
    let mut list = vec![0u32; arcs.len() * 2];
    let mut to = Vec::with_capacity(arcs.len() * 2);
    let mut cap = Vec::with_capacity(arcs.len() * 2);
    for (i, &(a, b, c)) in arcs.iter().enumerate() {
        to.push(b);
        cap.push(c);
        to.push(a);
        cap.push(0);
        list[fill[a as usize] as usize] = (2 * i) as u32;
        fill[a as usize] += 1;
        list[fill[b as usize] as usize] = (2 * i + 1) as u32;
        fill[b as usize] += 1;
    }
    (start, list, to, cap)
}
