//! Who spread it most, at scale: [`super::rank`]'s `reach` and `told`
//! estimated in one pass over the time-sorted contacts.
//!
//! The exact counts cost O(n·c/64) for n entities and c contacts (a sweep
//! over the contacts per 4096 sources); at 10^7 contacts and 800,000
//! entities that is tens of minutes. The estimate keeps, per entity, a
//! mergeable cardinality sketch of a set of entities, and passes over the
//! contacts once:
//!
//! - **reach**, backwards (latest second first): an entity's set is who it
//!   could tell if it held the information at the current second. A contact
//!   `a → b` at second t adds `b`'s set (and `b`) to `a`'s. An entity's count
//!   is read when the pass reaches its start (`--since`, or its first
//!   contact), and its set is dropped then: no contact before its start
//!   touches it.
//! - **told**, forwards: an entity's set is the sources that could have
//!   reached it by the current second; each source joins its own set at its
//!   start, and `a → b` adds `a`'s set to `b`'s. Read at the end (`--until`).
//!
//! The seconds keep `reach`'s rules: without `strict`, the contacts of one
//! second pass it on in any order (merged again until nothing changes);
//! with `strict`, every sender as it was before the second, and a meeting's
//! hub passes on what it got in its second.
//!
//! A set holds its entity numbers exactly while it has at most
//! 2^p/4 of them (4096 at p = 14: so small counts are exact), then
//! becomes a HyperLogLog sketch of 2^p one-byte registers, read with Ertl's
//! improved estimator ("New cardinality estimation algorithms for
//! HyperLogLog sketches", 2017): relative standard error about
//! 1.04/√(2^p), 0.81% at p = 14, whatever the count. Only exact times
//! (every contact one second) are estimated.

use std::rc::Rc;

use serde::Serialize;

use super::rank::{first_active, RankOptions};
use super::reach::{NO_LOWER, NO_UPPER};
use crate::catalog::{ChannelId, NodeId};
use crate::index::Index;

/// How the estimates were made, for the answer.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct EstimateInfo {
    /// The sketch: `"hyperloglog"`.
    pub method: &'static str,
    /// HyperLogLog registers per sketch (2^precision).
    pub registers: usize,
    /// Counts up to this are exact (the set, itself included, is kept as
    /// it is).
    pub exact_up_to: usize,
    /// The estimator's relative standard error, 1.04/√registers.
    pub relative_standard_error: f64,
    /// Three standard errors: about 997 counts in 1000 are within this
    /// fraction of the exact one.
    pub bound: f64,
}

impl EstimateInfo {
    /// The figures of sketches of 2^`precision` registers.
    pub fn new(precision: u8) -> EstimateInfo {
        let m = 1usize << precision;
        let se = 1.04 / (m as f64).sqrt();
        EstimateInfo {
            method: "hyperloglog",
            registers: m,
            exact_up_to: Sketch::limit(precision) - 1,
            relative_standard_error: se,
            bound: 3.0 * se,
        }
    }
}

/// Default sketch precision: 2^14 registers, 16 KB per large set.
pub const PRECISION: u8 = 14;

/// A set of entity numbers: exact while small, then a HyperLogLog sketch.
#[derive(Debug, Clone)]
enum Sketch {
    /// Sorted, distinct entity numbers.
    Sparse(Vec<u32>),
    /// One register per bucket: the highest rank seen; shared by the sets
    /// that are equal (a sender whose set is its receiver's), copied when
    /// one of them changes.
    Dense(Rc<[u8]>),
}

impl Default for Sketch {
    fn default() -> Self {
        Sketch::Sparse(Vec::new())
    }
}

/// A 64-bit mix of an entity number (SplitMix64's finaliser).
#[inline]
fn hash(x: u32) -> u64 {
    let mut z = u64::from(x).wrapping_add(0x9e37_79b9_7f4a_7c15);
    z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    z ^ (z >> 31)
}

impl Sketch {
    /// Largest exact set (as many bytes as a dense sketch of `p`: 4 per
    /// number), the size from which a set becomes a sketch.
    const fn limit(p: u8) -> usize {
        (1usize << p) / 4
    }

    /// Whether the set was never given anything.
    fn is_empty(&self) -> bool {
        matches!(self, Sketch::Sparse(v) if v.is_empty())
    }

    /// The bucket and rank of `x`.
    #[inline]
    fn place(p: u8, x: u32) -> (usize, u8) {
        let h = hash(x);
        let bucket = (h >> (64 - u32::from(p))) as usize;
        let rest = (h << p) | (1u64 << (p - 1));
        (bucket, rest.leading_zeros() as u8 + 1)
    }

    /// Whether adding the numbers `ids` to registers `r` would raise one.
    fn would_rise(r: &[u8], p: u8, ids: &[u32]) -> bool {
        ids.iter().any(|&x| {
            let (b, rank) = Sketch::place(p, x);
            r[b] < rank
        })
    }

    /// Adds the numbers `ids` to registers `r`.
    fn insert_all(r: &mut [u8], p: u8, ids: &[u32]) {
        for &x in ids {
            let (b, rank) = Sketch::place(p, x);
            r[b] = r[b].max(rank);
        }
    }

    /// The registers of the numbers `ids`.
    fn densify(ids: &[u32], p: u8) -> Rc<[u8]> {
        let mut r = vec![0u8; 1 << p];
        Sketch::insert_all(&mut r, p, ids);
        r.into()
    }

    /// Adds `x`; whether the set changed.
    fn insert(&mut self, p: u8, x: u32) -> bool {
        match self {
            Sketch::Dense(r) => {
                if !Sketch::would_rise(r, p, &[x]) {
                    return false;
                }
                Sketch::insert_all(Rc::make_mut(r), p, &[x]);
                true
            }
            Sketch::Sparse(v) => match v.binary_search(&x) {
                Ok(_) => false,
                Err(i) => {
                    v.insert(i, x);
                    if v.len() > Sketch::limit(p) {
                        *self = Sketch::Dense(Sketch::densify(v, p));
                    }
                    true
                }
            },
        }
    }

    /// Adds every number of `other`; whether the set changed (for a
    /// sketch, whether a register rose). A set that `other` covers becomes
    /// `other`, shared.
    fn merge(&mut self, other: &Sketch, p: u8) -> bool {
        match (&mut *self, other) {
            (_, Sketch::Sparse(o)) if o.is_empty() => false,
            (Sketch::Dense(r), Sketch::Dense(o)) => merge_dense(r, o),
            (Sketch::Dense(r), Sketch::Sparse(o)) => {
                if !Sketch::would_rise(r, p, o) {
                    return false;
                }
                Sketch::insert_all(Rc::make_mut(r), p, o);
                true
            }
            (Sketch::Sparse(v), Sketch::Dense(o)) => {
                let mut r = Rc::clone(o);
                if Sketch::would_rise(&r, p, v) {
                    Sketch::insert_all(Rc::make_mut(&mut r), p, v);
                }
                *self = Sketch::Dense(r);
                true
            }
            (Sketch::Sparse(v), Sketch::Sparse(o)) if o.len() * 16 < v.len() => {
                let mut changed = false;
                for &x in o {
                    changed |= self.insert(p, x);
                }
                changed
            }
            (Sketch::Sparse(v), Sketch::Sparse(o)) => {
                let merged = union_sorted(v, o);
                if merged.len() == v.len() {
                    return false;
                }
                *self = if merged.len() > Sketch::limit(p) {
                    Sketch::Dense(Sketch::densify(&merged, p))
                } else {
                    Sketch::Sparse(merged)
                };
                true
            }
        }
    }

    /// How many numbers the set holds: exactly while it is small, else
    /// the sketch's estimate.
    fn count(&self, p: u8) -> f64 {
        match self {
            Sketch::Sparse(v) => v.len() as f64,
            Sketch::Dense(r) => ertl(r, p),
        }
    }
}

/// Registers `r` |= `o`: unchanged when `o` adds nothing, `o` itself
/// (shared) when it covers `r`, else the larger of each; whether `r` changed.
fn merge_dense(r: &mut Rc<[u8]>, o: &Rc<[u8]>) -> bool {
    if Rc::ptr_eq(r, o) {
        return false;
    }
    let (mut rose, mut kept) = (0u8, 0u8);
    for (&a, &b) in r.iter().zip(o.iter()) {
        rose |= u8::from(b > a);
        kept |= u8::from(a > b);
    }
    if rose == 0 {
        return false;
    }
    if kept == 0 {
        *r = Rc::clone(o);
        return true;
    }
    for (a, &b) in Rc::make_mut(r).iter_mut().zip(o.iter()) {
        *a = (*a).max(b);
    }
    true
}

/// The sorted union of two sorted sets.
fn union_sorted(a: &[u32], b: &[u32]) -> Vec<u32> {
    let mut out = Vec::with_capacity(a.len() + b.len());
    let (mut i, mut j) = (0, 0);
    while i < a.len() && j < b.len() {
        let (x, y) = (a[i], b[j]);
        out.push(x.min(y));
        i += usize::from(x <= y);
        j += usize::from(y <= x);
    }
    out.extend_from_slice(&a[i..]);
    out.extend_from_slice(&b[j..]);
    out
}

/// Ertl's improved raw estimator of a HyperLogLog sketch's cardinality
/// (no empirical bias correction needed, over the whole range).
fn ertl(r: &[u8], p: u8) -> f64 {
    let q = 64 - usize::from(p);
    let mut c = vec![0u32; q + 2];
    for &x in r {
        c[usize::from(x).min(q + 1)] += 1;
    }
    let m = r.len() as f64;
    let mut z = m * tau(1.0 - f64::from(c[q + 1]) / m);
    for k in (1..=q).rev() {
        z = 0.5 * (z + f64::from(c[k]));
    }
    z += m * sigma(f64::from(c[0]) / m);
    m * m / (2.0 * std::f64::consts::LN_2) / z
}

/// Ertl's σ(x) = x + Σ_{k≥1} x^(2^k)·2^(k−1).
fn sigma(mut x: f64) -> f64 {
    if x >= 1.0 {
        return f64::INFINITY;
    }
    let (mut y, mut z) = (1.0, x);
    loop {
        x *= x;
        let old = z;
        z += x * y;
        y += y;
        if z == old {
            return z;
        }
    }
}

/// Ertl's τ(x) = (1 − x − Σ_{k≥1} (1 − x^(2^−k))²·2^−k) / 3.
fn tau(mut x: f64) -> f64 {
    if x == 0.0 || x == 1.0 {
        return 0.0;
    }
    let (mut y, mut z) = (1.0, 1.0 - x);
    loop {
        x = x.sqrt();
        let old = z;
        y *= 0.5;
        z -= (1.0 - x).powi(2) * y;
        if z == old {
            return z / 3.0;
        }
    }
}

/// What both passes share: the index, the seconds, the sets.
struct Pass<'a> {
    index: &'a Index<'a>,
    /// Each entity's start: `since`, or its first contact.
    start: Vec<i64>,
    strict: bool,
    /// The channels of each second within the window: `(first, end)`.
    groups: Vec<(usize, usize)>,
    /// Per node (entities, then hubs).
    sets: Vec<Sketch>,
    p: u8,
    /// Per node: a sender in the second being passed (strict).
    sending: Vec<bool>,
}

/// The estimates, with what they cost.
#[derive(Debug, Clone, PartialEq)]
pub struct Estimates {
    /// Per entity, the estimated count (rounded).
    pub counts: Vec<u64>,
    /// How they were made.
    pub info: EstimateInfo,
}

impl<'a> Pass<'a> {
    fn new(index: &'a Index<'a>, options: &RankOptions, p: u8) -> Option<Pass<'a>> {
        if !index.channels().all(|k| index.lo(k) == index.hi(k)) {
            return None;
        }
        let first = first_active(index);
        let start: Vec<i64> = match options.since {
            Some(t) => vec![t; first.len()],
            None => first,
        };
        let (lo, hi) = (
            options.since.unwrap_or(NO_LOWER),
            options.until.unwrap_or(NO_UPPER),
        );
        let lo_of = |k: usize| index.lo(ChannelId::at(k));
        let c = index.channel_count();
        let mut groups = Vec::new();
        let mut k = 0;
        while k < c {
            let t = lo_of(k);
            let mut e = k + 1;
            while e < c && lo_of(e) == t {
                e += 1;
            }
            // Before `since` nothing has started; with strict, nothing
            // leaves in `since`'s own second either.
            let started = t > lo || (t == lo && !options.strict);
            if started && t <= hi {
                groups.push((k, e));
            }
            k = e;
        }
        let nodes = index.node_count();
        Some(Pass {
            index,
            start,
            strict: options.strict,
            groups,
            sets: vec![Sketch::default(); nodes],
            p,
            sending: vec![false; nodes],
        })
    }

    #[inline]
    fn from(&self, k: usize) -> usize {
        self.index.from(ChannelId::at(k)).index()
    }

    #[inline]
    fn to(&self, k: usize) -> usize {
        self.index.to(ChannelId::at(k)).index()
    }

    #[inline]
    fn hub(&self, u: usize) -> bool {
        self.index.is_hub(NodeId::at(u))
    }

    fn time(&self, group: (usize, usize)) -> i64 {
        self.index.lo(ChannelId::at(group.0))
    }

    /// Set `dst` |= `src`; whether it changed.
    fn merge(&mut self, dst: usize, src: &Sketch) -> bool {
        self.sets[dst].merge(src, self.p)
    }

    /// Set `dst` |= set `src` (two nodes); whether `dst` changed.
    fn merge_nodes(&mut self, dst: usize, src: usize) -> bool {
        if dst == src {
            return false;
        }
        let s = std::mem::take(&mut self.sets[src]);
        let changed = self.merge(dst, &s);
        self.sets[src] = s;
        changed
    }

    /// Adds entity `x` to node `u`'s set.
    fn insert(&mut self, u: usize, x: usize) {
        self.sets[u].insert(self.p, x as u32);
    }

    /// An entity's set (reach): it holds the entity itself from the start.
    fn ensure(&mut self, u: usize) {
        if !self.hub(u) && self.sets[u].is_empty() {
            self.insert(u, u);
        }
    }

    /// Drops node `u`'s set.
    fn drop_set(&mut self, u: usize) {
        self.sets[u] = Sketch::default();
    }

    /// The channels of one second, without strict: merged again while any
    /// set changes (`into_sender`: reach's direction, the receiver's set
    /// into the sender's; else told's).
    fn second_closed(&mut self, (a, b): (usize, usize), into_sender: bool) {
        loop {
            let mut again = false;
            for k in a..b {
                let (f, to) = (self.from(k), self.to(k));
                let (dst, src) = if into_sender { (f, to) } else { (to, f) };
                again |= self.merge_nodes(dst, src);
            }
            if !again || b - a == 1 {
                break;
            }
        }
    }

    /// The sets read by the channels `(a, b)` from entity senders, as they
    /// were before the second, of the nodes that these channels also change
    /// (`dst`, `src`: the node changed and the node read by channel k).
    fn before(
        &mut self,
        (a, b): (usize, usize),
        dst: impl Fn(&Self, usize) -> usize,
        src: impl Fn(&Self, usize) -> usize,
    ) -> Vec<(usize, Sketch)> {
        let senders: Vec<usize> = (a..b).filter(|&k| !self.hub(self.from(k))).collect();
        for &k in &senders {
            let d = dst(self, k);
            self.sending[d] = true;
        }
        let mut saved: Vec<(usize, Sketch)> = Vec::new();
        for &k in &senders {
            let r = src(self, k);
            if self.sending[r] && !saved.iter().any(|(u, _)| *u == r) {
                saved.push((r, self.sets[r].clone()));
            }
        }
        for &k in &senders {
            let d = dst(self, k);
            self.sending[d] = false;
        }
        saved
    }

    /// Reach's second, strict: a meeting's hub gathers what its
    /// participants could tell from the next second on; then each entity
    /// sender adds its receiver's set as it was after this second.
    fn reach_second_strict(&mut self, group: (usize, usize)) {
        let (a, b) = group;
        let saved = self.before(group, |s, k| s.from(k), |s, k| s.to(k));
        for k in a..b {
            let (h, w) = (self.from(k), self.to(k));
            if self.hub(h) && h != w {
                self.merge_nodes(h, w);
            }
        }
        for k in a..b {
            let (f, to) = (self.from(k), self.to(k));
            if self.hub(f) || f == to {
                continue;
            }
            match saved.iter().find(|(u, _)| *u == to) {
                Some((_, s)) => {
                    self.merge(f, s);
                }
                None => {
                    self.merge_nodes(f, to);
                }
            }
        }
    }

    /// Told's second, strict: each entity sender passes on its set as it
    /// was before the second; then the hubs pass on what they got in it.
    fn told_second_strict(&mut self, group: (usize, usize)) {
        let (a, b) = group;
        let saved = self.before(group, |s, k| s.to(k), |s, k| s.from(k));
        for k in a..b {
            let (f, to) = (self.from(k), self.to(k));
            if self.hub(f) || f == to {
                continue;
            }
            match saved.iter().find(|(u, _)| *u == f) {
                Some((_, s)) => {
                    self.merge(to, s);
                }
                None => {
                    self.merge_nodes(to, f);
                }
            }
        }
        for k in a..b {
            let (h, w) = (self.from(k), self.to(k));
            if self.hub(h) && h != w {
                self.merge_nodes(w, h);
            }
        }
    }

    /// The estimate of entity `u`'s set, less `own` (itself, when it holds
    /// itself).
    fn count(&self, u: usize, own: bool) -> u64 {
        let c = self.sets[u].count(self.p).round() as u64;
        c.saturating_sub(u64::from(own))
    }

    /// Reach, backwards: the latest second first; each entity's count read
    /// as the pass reaches its start.
    fn reach(&mut self, progress: &dyn Fn(usize, usize)) -> Vec<u64> {
        let n = self.index.entity_count();
        let mut order: Vec<usize> = (0..n).collect();
        order.sort_unstable_by_key(|&u| std::cmp::Reverse(self.start[u]));
        let mut counts = vec![0u64; n];
        let mut next = 0;
        let mut done = Vec::new();
        let total = self.groups.len();
        for g in (0..total).rev() {
            let group = self.groups[g];
            let t = self.time(group);
            while next < n
                && (self.start[order[next]] > t || (self.strict && self.start[order[next]] == t))
            {
                let u = order[next];
                self.ensure(u);
                counts[u] = self.count(u, true);
                done.push(u);
                next += 1;
            }
            for k in group.0..group.1 {
                let (f, to) = (self.from(k), self.to(k));
                self.ensure(f);
                self.ensure(to);
            }
            if self.strict {
                self.reach_second_strict(group);
            } else {
                self.second_closed(group, true);
            }
            for u in done.drain(..) {
                self.drop_set(u);
            }
            if g % 4096 == 0 {
                progress(total - g, total);
            }
        }
        for &u in &order[next..] {
            self.ensure(u);
            counts[u] = self.count(u, true);
        }
        counts
    }

    /// Per entity, the second of its last contact in the window
    /// ([`NO_LOWER`]: none).
    fn last_seen(&self) -> Vec<i64> {
        let mut last = vec![NO_LOWER; self.index.entity_count()];
        for &(a, b) in &self.groups {
            let t = self.time((a, b));
            for k in a..b {
                for u in [self.from(k), self.to(k)] {
                    if let Some(l) = last.get_mut(u) {
                        *l = t;
                    }
                }
            }
        }
        last
    }

    /// Told, forwards: each source joins its own set at its start; each
    /// entity's count read after its last contact, and its set dropped.
    fn told(&mut self, progress: &dyn Fn(usize, usize)) -> Vec<u64> {
        let n = self.index.entity_count();
        let mut order: Vec<usize> = (0..n).filter(|&u| self.start[u] != NO_UPPER).collect();
        order.sort_unstable_by_key(|&u| self.start[u]);
        let last = self.last_seen();
        let mut ends: Vec<usize> = (0..n).filter(|&v| last[v] != NO_LOWER).collect();
        ends.sort_unstable_by_key(|&v| last[v]);
        let mut joined = vec![false; n];
        let mut counts = vec![0u64; n];
        let (mut next, mut end) = (0, 0);
        let total = self.groups.len();
        for g in 0..total {
            let group = self.groups[g];
            let t = self.time(group);
            while next < order.len()
                && (self.start[order[next]] < t || (!self.strict && self.start[order[next]] == t))
            {
                let u = order[next];
                self.insert(u, u);
                joined[u] = true;
                next += 1;
            }
            if self.strict {
                self.told_second_strict(group);
            } else {
                self.second_closed(group, false);
            }
            while end < ends.len() && last[ends[end]] <= t {
                let v = ends[end];
                counts[v] = self.count(v, joined[v]);
                self.drop_set(v);
                end += 1;
            }
            if g % 4096 == 0 {
                progress(g, total);
            }
        }
        for v in (0..n).filter(|&v| last[v] == NO_LOWER) {
            counts[v] = self.count(v, joined[v]);
        }
        counts
    }
}

/// Which count to estimate.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Direction {
    /// How many others each could have told.
    Reach,
    /// How many others could have told each.
    Told,
}

/// Estimates `rank`'s reach or told counts on `index` (built with
/// `options.threshold`, contacts mode), with sketches of 2^`precision`
/// registers (4 to 16); `progress(done, total)` is called as the seconds
/// pass. `None` when some contact is not one exact second.
///
/// # Complexity
/// One pass over the c contacts, each merging two sets: O(c·2^p) at worst,
/// less while the sets are small; memory 2^p bytes per large set alive
/// (reach: an entity's set lives from its last contact to its first).
pub fn estimate(
    index: &Index,
    options: &RankOptions,
    direction: Direction,
    precision: u8,
    progress: &dyn Fn(usize, usize),
) -> Option<Estimates> {
    let p = precision.clamp(4, 16);
    let mut pass = Pass::new(index, options, p)?;
    let counts = match direction {
        Direction::Reach => pass.reach(progress),
        Direction::Told => pass.told(progress),
    };
    Some(Estimates {
        counts,
        info: EstimateInfo::new(p),
    })
}
