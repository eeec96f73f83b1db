//! The contacts of a plan: edges, event hubs, pruning and merging.

use std::collections::{BTreeMap, BTreeSet};

use super::text::{clean, wrap_contact_line, MAX_LABEL_LINES};
use super::{channel_sentence, label_px, Builder, ContactLine, EdgeEnd, EdgeKind, NodeKind, PEdge};
use crate::model::{Event, Parties};
use crate::render::style::{date_label, DateStyle};
use crate::render::Fit;

/// Parallel contacts drawn as one: both ends, the paint, how the line ends.
type MergeKey = (
    String,
    String,
    (
        &'static str,
        &'static str,
        Option<u64>,
        Option<&'static str>,
    ),
    Option<EdgeEnd>,
);

impl Builder<'_> {
    pub(super) fn events(&mut self) {
        let story = self.story;
        for (ei, e) in story.events.iter().enumerate() {
            if e.certainty() < self.focus.threshold {
                continue;
            }
            if let Some(keep) = &self.focus.events {
                if !keep.contains(&e.id) {
                    continue;
                }
            }
            match &e.parties {
                Parties::Directed { from, to, .. } => self.directed(ei, e, from, to),
                Parties::Mutual { participants } => self.mutual(ei, e, participants),
            }
        }
        self.merge_parallel();
        self.wrap_labels();
    }

    /// A contact with one sender: an edge to each of up to two receivers,
    /// or a hub that holds kind and date for three or more.
    fn directed(&mut self, ei: usize, e: &Event, from: &String, to: &[String]) {
        let story = self.story;
        let Some(a) = self.node_of.get(from).cloned() else {
            return;
        };
        let mut seen = BTreeSet::new();
        let kept: Vec<(usize, &String)> = to
            .iter()
            .enumerate()
            .filter(|(_, t)| *t != from && self.node_of.contains_key(*t) && seen.insert(*t))
            .collect();
        if kept.len() < 3 {
            for (k, t) in kept {
                let chain = self.on_chain(&e.id, from, t);
                let b = self.node_of[t].clone();
                let title = channel_sentence(story, e, from, t);
                self.push_edge(ContactLine {
                    id: format!("e{ei}_{k}"),
                    event: (ei, e),
                    ends: (&a, &b),
                    title,
                    chain,
                    labelled: true,
                    end: EdgeEnd::Arrow,
                });
            }
            return;
        }
        // Three or more receivers: one hub holds kind and date.
        let names: Vec<String> = kept.iter().map(|(_, t)| clean(story.name_of(t))).collect();
        let chains: Vec<Option<bool>> = kept
            .iter()
            .map(|(_, t)| self.on_chain(&e.id, from, t))
            .collect();
        let any = chains
            .first()
            .copied()
            .flatten()
            .map(|_| chains.contains(&Some(true)));
        if any == Some(false) && self.look.fit == Fit::Phone {
            self.skipped_context = true;
            return;
        }
        let hub = self.hub(ei, e, &names, any);
        let title = format!(
            "{} sent the {} ({})",
            clean(story.name_of(from)),
            clean(e.kind()),
            date_label(e.time.as_ref(), &self.tz, DateStyle::Short)
        );
        self.push_edge(ContactLine {
            id: format!("e{ei}_s"),
            event: (ei, e),
            ends: (&a, &hub),
            title,
            chain: any,
            labelled: false,
            end: EdgeEnd::ToHub,
        });
        for ((k, t), chain) in kept.into_iter().zip(chains) {
            let b = self.node_of[t].clone();
            let title = channel_sentence(story, e, from, t);
            self.push_edge(ContactLine {
                id: format!("e{ei}_{k}"),
                event: (ei, e),
                ends: (&hub, &b),
                title,
                chain,
                labelled: false,
                end: EdgeEnd::Arrow,
            });
        }
    }

    /// A meeting: an undirected edge between two participants, or a hub
    /// that joins three or more.
    fn mutual(&mut self, ei: usize, e: &Event, participants: &[String]) {
        let story = self.story;
        let mut seen = BTreeSet::new();
        let kept: Vec<(usize, &String)> = participants
            .iter()
            .enumerate()
            .filter(|(_, p)| self.node_of.contains_key(*p) && seen.insert(*p))
            .collect();
        if kept.len() < 2 {
            return;
        }
        if kept.len() == 2 {
            let (p, q) = (kept[0].1, kept[1].1);
            let chain = self.on_chain(&e.id, p, q);
            let (a, b) = (self.node_of[p].clone(), self.node_of[q].clone());
            let title = channel_sentence(story, e, p, q);
            self.push_edge(ContactLine {
                id: format!("e{ei}_0"),
                event: (ei, e),
                ends: (&a, &b),
                title,
                chain,
                labelled: true,
                end: EdgeEnd::Mutual,
            });
            return;
        }
        let names: Vec<String> = kept.iter().map(|(_, p)| clean(story.name_of(p))).collect();
        let any = self
            .highlight()
            .map(|h| h.channels.iter().any(|(ev, _, _)| ev == &e.id));
        if any == Some(false) && self.look.fit == Fit::Phone {
            self.skipped_context = true;
            return;
        }
        let hub = self.hub(ei, e, &names, any);
        for (k, p) in kept {
            let chain = self.highlight().map(|h| {
                h.channels
                    .iter()
                    .any(|(ev, a, b)| ev == &e.id && (a == p || b == p))
            });
            let a = self.node_of[p].clone();
            let title = format!(
                "{} took part in the {} ({}, {})",
                clean(story.name_of(p)),
                clean(e.kind()),
                date_label(e.time.as_ref(), &self.tz, DateStyle::Short),
                e.certainty()
            );
            self.push_edge(ContactLine {
                id: format!("e{ei}_{k}"),
                event: (ei, e),
                ends: (&a, &hub),
                title,
                chain,
                labelled: false,
                end: EdgeEnd::Mutual,
            });
        }
    }

    /// Wraps edge labels, and hub labels, to the fit.
    fn wrap_labels(&mut self) {
        // Edge labels wrap to the fit.
        let (_, size) = self.sizes();
        let px = label_px(self.look.fit) + 16.0;
        for e in &mut self.plan.edges {
            e.raw = e.label.clone();
            e.label = e
                .label
                .iter()
                .flat_map(|line| wrap_contact_line(line, px, size))
                .take(2 * MAX_LABEL_LINES)
                .collect();
        }
        for n in &mut self.plan.nodes {
            if matches!(n.kind, NodeKind::Hub { .. }) {
                n.label = n
                    .label
                    .iter()
                    .flat_map(|line| wrap_contact_line(line, px, size))
                    .take(MAX_LABEL_LINES)
                    .collect();
            }
        }
    }

    /// Without the standing relations and without a highlight, an entity
    /// with no contact drawn would float alone: it is left out and named in
    /// a note instead (organisations whose members are drawn are named under
    /// their names, see [`Builder::groups`]).
    pub(super) fn prune(&mut self) {
        if !self.focus.hide_relations || self.focus.highlight.is_some() {
            return;
        }
        let mut touched: BTreeSet<&str> = BTreeSet::new();
        for e in &self.plan.edges {
            touched.insert(&e.from);
            touched.insert(&e.to);
        }
        let lonely: Vec<String> = self
            .plan
            .nodes
            .iter()
            .filter(|n| n.is_entity() && !touched.contains(n.id.as_str()))
            .map(|n| n.id.clone())
            .collect();
        if lonely.is_empty() {
            return;
        }
        self.plan.nodes.retain(|n| !lonely.contains(&n.id));
        self.node_of.retain(|_, node| !lonely.contains(node));
        self.lonely = self
            .story
            .entities
            .iter()
            .enumerate()
            .filter(|(i, _)| lonely.contains(&format!("n{i}")))
            .map(|(_, e)| e.id.clone())
            .collect();
    }

    /// Draws parallel contacts between the same two entities, with the same
    /// style, as one edge with a label line per contact.
    pub(super) fn merge_parallel(&mut self) {
        let mut merged: Vec<PEdge> = Vec::new();
        let mut slot: BTreeMap<MergeKey, usize> = BTreeMap::new();
        for e in std::mem::take(&mut self.plan.edges) {
            let hubbed = e.from.starts_with('h') || e.to.starts_with('h');
            let end = match e.kind {
                EdgeKind::Contact { end, .. } => Some(end),
                EdgeKind::Relation { .. } => None,
            };
            let mutual = end == Some(EdgeEnd::Mutual);
            let (x, y) = if mutual && e.to < e.from {
                (e.to.clone(), e.from.clone())
            } else {
                (e.from.clone(), e.to.clone())
            };
            // Drawn the same: the same paint and the same line ends.
            let key = (x, y, e.paint().key(), end);
            match slot.get(&key) {
                Some(&i) if !hubbed => {
                    let m = &mut merged[i];
                    if m.label.len() == 2 && !m.label[0].contains(" · ") {
                        m.label = vec![format!("{} · {}", m.label[0], m.label[1])];
                    }
                    if e.label.len() == 2 {
                        m.label.push(format!("{} · {}", e.label[0], e.label[1]));
                    }
                    m.title = format!("{}; {}", m.title, e.title);
                    m.tooltip = format!("{}\n\n{}", m.tooltip, e.tooltip);
                    if m.url.is_none() {
                        m.url = e.url;
                    }
                }
                _ => {
                    if !hubbed {
                        slot.insert(key, merged.len());
                    }
                    merged.push(e);
                }
            }
        }
        self.plan.edges = merged;
    }
}
