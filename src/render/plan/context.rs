//! Around the contacts: standing relations, time bands, groups, notes and
//! the key.

use std::collections::{BTreeMap, BTreeSet};

use super::marks::{axis_marks, event_span};
use super::text::{clean, shorten, wrap_label};
use super::{
    band_of, cited, event_key, label_px, not_reached_line, sizes, AxisMark, Builder, EdgeKind,
    NodeKind, PEdge, PNode, Place,
};
use crate::model::{EntityKind, Precision};
use crate::render::key::KeyItem;
use crate::render::measure::wrap_px;
use crate::render::style::{self, FADED_LINE};
use crate::render::Fit;

/// When each node is first seen ([`Builder::first_seen`]).
struct FirstSeen {
    first: BTreeMap<String, (i64, Precision)>,
    spans: BTreeMap<String, Option<String>>,
    starts: BTreeMap<i64, Precision>,
}

impl Builder<'_> {
    pub(super) fn relations(&mut self) {
        if self.focus.hide_relations {
            return;
        }
        let story = self.story;
        for (ri, r) in story.relations.iter().enumerate() {
            if r.certainty.unwrap_or_default() < self.focus.threshold {
                continue;
            }
            let (Some(a), Some(b)) = (self.node_of.get(&r.from), self.node_of.get(&r.to)) else {
                continue;
            };
            let text = r
                .label
                .as_deref()
                .or(r.kind.as_deref())
                .unwrap_or("related to");
            let sentence = format!(
                "{} → {}: {} ({})",
                clean(story.name_of(&r.from)),
                clean(story.name_of(&r.to)),
                clean(text),
                r.certainty.unwrap_or_default()
            );
            let c = cited(story, &r.sources, None);
            let mut tooltip = sentence.clone();
            if let Some(q) = &c.quote {
                tooltip.push_str(&format!("\n“{}”", shorten(q, 400)));
            }
            if let Some(s) = &c.source {
                tooltip.push_str(&format!("\n— {}", shorten(s, 200)));
            }
            let faded = self.highlight().is_some();
            // Draw it along time: from the earlier band to the later one
            // (arrowhead kept at its true end); a tie within one band does
            // not move anything.
            let band = |id: &str| match self.plan.node(id).map(|n| n.place) {
                Some(Place::Main(b)) => b,
                _ => None,
            };
            let (ba, bb) = (band(a), band(b));
            let (tail, head, backward) = match (ba, bb) {
                (Some(x), Some(y)) if x > y => (b.clone(), a.clone(), true),
                _ => (a.clone(), b.clone(), false),
            };
            self.plan.edges.push(PEdge {
                id: format!("r{ri}"),
                from: tail,
                to: head,
                title: sentence,
                label: wrap_label(
                    &shorten(text, 60),
                    label_px(self.look.fit),
                    sizes(self.look.fit).1,
                ),
                raw: vec![shorten(text, 60)],
                tooltip,
                url: c.url,
                kind: EdgeKind::Relation {
                    certainty: r.certainty.unwrap_or_default(),
                    faded,
                    backward,
                    free: ba.is_some() && ba == bb,
                },
            });
        }
    }

    /// A source that held it before any recorded contact starts the axis.
    fn source_first(&self, first: &mut BTreeMap<String, (i64, Precision)>) {
        let Some(h) = self.highlight() else { return };
        let start = first.values().min().copied();
        if let (Some(m), Some(start)) = (h.reached.get(&h.source), start) {
            if m.earliest_seconds.is_none() {
                first.insert(h.source.clone(), start);
            }
        }
    }

    /// Puts each entity in the time band it first appears in (for a reached
    /// entity: when it is first reached), and each hub in its event's band.
    /// When each entity (and each event, keyed `\u{0}event:ID`) is first
    /// seen: its time and precision, and its date when that is a span; and
    /// each second's coarsest precision.
    fn first_seen(&self) -> FirstSeen {
        let story = self.story;
        let mut first: BTreeMap<String, (i64, Precision)> = BTreeMap::new();
        // Each one's first contact's date, when it is a span.
        let mut spans: BTreeMap<String, Option<String>> = BTreeMap::new();
        let drawn_events: BTreeSet<&str> = self
            .drawn
            .iter()
            .filter_map(|&i| story.events.get(i))
            .map(|e| e.id.as_str())
            .collect();
        for e in &story.events {
            if !drawn_events.contains(e.id.as_str()) {
                continue;
            }
            let Some(key) = event_key(e) else { continue };
            let span = event_span(e, &self.tz);
            for p in e.parties.entities() {
                if first.get(p).is_none_or(|slot| key.0 < slot.0) {
                    first.insert(p.to_string(), key);
                    spans.insert(p.to_string(), span.clone());
                }
            }
            first.insert(format!("\u{0}event:{}", e.id), key);
            spans.insert(format!("\u{0}event:{}", e.id), span);
        }
        open_senders(story, &drawn_events, &mut first, &mut spans);
        // Whatever starts at one second is in one band, at the coarsest
        // precision written for that second.
        let mut starts: BTreeMap<i64, Precision> = BTreeMap::new();
        for &(t, p) in first.values() {
            let slot = starts.entry(t).or_insert(p);
            *slot = (*slot).min(p);
        }
        if let Some(h) = self.highlight() {
            // Reached when a contact starts: at that date; else the day.
            for (id, m) in &h.reached {
                if let Some(t) = m.earliest_seconds {
                    if first.get(id).is_none_or(|k| k.0 != t) {
                        let p = starts.get(&t).copied().unwrap_or(Precision::Day);
                        first.insert(id.clone(), (t, p));
                        spans.remove(id);
                    }
                }
            }
        }
        self.source_first(&mut first);
        FirstSeen {
            first,
            spans,
            starts,
        }
    }

    pub(super) fn bands(&mut self) {
        let FirstSeen {
            first,
            spans,
            starts,
        } = self.first_seen();
        // Bands, left to right.
        let mut band_keys: BTreeMap<(i64, u8), String> = BTreeMap::new();
        let mut node_band: BTreeMap<String, (i64, u8)> = BTreeMap::new();
        // A band whose contacts all share one span is labelled with it.
        let mut band_spans: BTreeMap<(i64, u8), Option<String>> = BTreeMap::new();
        for (key, node) in &self.node_of {
            let Some(&(t, p)) = first.get(key) else {
                continue;
            };
            let p = starts.get(&t).map_or(p, |&q| q.min(p));
            let (start, rank, label) = band_of(t, p, &self.tz);
            band_keys.insert((start, rank), label);
            node_band.insert(node.clone(), (start, rank));
            let span = spans.get(key).cloned().flatten();
            band_spans
                .entry((start, rank))
                .and_modify(|s| {
                    if *s != span {
                        *s = None;
                    }
                })
                .or_insert(span);
        }
        for (k, span) in band_spans {
            if let (Some(span), Some(label)) = (span, band_keys.get_mut(&k)) {
                *label = span;
            }
        }
        let order: Vec<(i64, u8)> = band_keys.keys().copied().collect();
        let mut labels: Vec<String> = band_keys.values().cloned().collect();
        let undated = self
            .plan
            .nodes
            .iter()
            .any(|n| n.place == Place::Main(None) && !node_band.contains_key(&n.id));
        if undated {
            labels.push("date unknown".to_string());
        }
        for n in &mut self.plan.nodes {
            if n.place != Place::Main(None) {
                continue;
            }
            let band = match node_band.get(&n.id) {
                Some(k) => order.iter().position(|o| o == k),
                None => Some(labels.len() - 1),
            };
            n.place = Place::Main(band);
            // A reached entity's date is written on it only when it is not
            // its band's, which the time axis already says.
            if let Some((earliest, line, at)) = self.pending.get(&n.id) {
                // (A date only possible is its band's date: the outline
                // and the tooltip say it is only possible.)
                let band_label = band.and_then(|b| labels.get(b));
                let same = band_label == Some(line)
                    || (band_label == Some(earliest) && line.starts_with("possibly "));
                if !same {
                    let at = (*at).min(n.label.len());
                    n.label.insert(at, line.clone());
                }
            }
        }
        let (_, size) = self.sizes();
        let down = self.look.fit == Fit::Phone;
        self.plan.marks = axis_marks(self.story, &order, &self.tz);
        for (k, label) in labels.iter().enumerate() {
            let mut lines = if down {
                wrap_px(label, 60.0, size, false)
            } else {
                vec![label.clone()]
            };
            let on: Vec<String> = self.plan.marks_on(k).map(AxisMark::words).collect();
            for words in on {
                lines.extend(wrap_label(&words, label_px(self.look.fit), size));
            }
            self.plan.nodes.push(PNode {
                id: format!("t{k}"),
                title: format!("Time: {label}"),
                short: label.clone(),
                label: lines,
                name: None,
                name_lines: 0,
                tooltip: format!(
                    "Time runs {}: first seen {label}",
                    if down { "downwards" } else { "left to right" }
                ),
                url: None,
                kind: NodeKind::Axis,
                place: Place::Axis(k),
            });
            self.mark_nodes(k);
        }
        self.plan.bands = labels;
    }

    /// The nodes of the markers between band `k` and the next.
    fn mark_nodes(&mut self, k: usize) {
        let (_, size) = self.sizes();
        let marks: Vec<AxisMark> = self.plan.marks_after(k).cloned().collect();
        for (j, m) in marks.into_iter().enumerate() {
            self.plan.nodes.push(PNode {
                id: format!("t{k}m{j}"),
                title: format!("Marker: {} ({})", m.label, m.date),
                short: m.label.clone(),
                label: wrap_label(&m.words(), label_px(self.look.fit), size),
                name: None,
                name_lines: 0,
                tooltip: format!("{}: {}", m.date, m.label),
                url: None,
                kind: NodeKind::Axis,
                place: Place::Mark(k),
            });
        }
    }

    /// Groups an organisation that has no contact of its own but whose
    /// members are drawn (the overview without the standing relations): its
    /// name goes under each member's, instead of a tie from each member to
    /// a node of its own (seven crossing lines for the Trump campaign).
    pub(super) fn groups(&mut self) {
        if !self.focus.hide_relations || self.focus.highlight.is_some() {
            self.notes();
            return;
        }
        let story = self.story;
        let mut claimed: BTreeSet<String> = BTreeSet::new();
        let mut grouped_orgs: BTreeSet<String> = BTreeSet::new();
        for org in &story.entities {
            if org.kind() != EntityKind::Organisation || !self.lonely.contains(&org.id) {
                continue;
            }
            let mut members: Vec<String> = Vec::new();
            for r in &story.relations {
                let member = r.kind.as_deref() == Some("member-of")
                    && r.to == org.id
                    && r.certainty.unwrap_or_default() >= self.focus.threshold;
                if !member || claimed.contains(&r.from) {
                    continue;
                }
                if let Some(node) = self.node_of.get(&r.from) {
                    if !members.contains(node) {
                        members.push(node.clone());
                    }
                }
            }
            if members.len() < 2 {
                continue;
            }
            for r in &story.relations {
                if r.kind.as_deref() == Some("member-of") && r.to == org.id {
                    claimed.insert(r.from.clone());
                }
            }
            let name = clean(&org.name);
            let (size, small) = self.sizes();
            let _ = size;
            let line = wrap_label(&name, label_px(self.look.fit), small);
            for n in &mut self.plan.nodes {
                if members.contains(&n.id) {
                    n.label.extend(line.iter().cloned());
                    n.tooltip.push_str(&format!("\nMember of {name}"));
                }
            }
            grouped_orgs.insert(org.id.clone());
        }
        self.lonely.retain(|id| !grouped_orgs.contains(id));
        self.notes();
    }

    /// The lines under the picture: who was not reached, who is not drawn.
    pub(super) fn notes(&mut self) {
        let story = self.story;
        if let Some(h) = self.highlight() {
            if self.look.unreached {
                if let Some(line) = not_reached_line(story, h) {
                    self.plan.notes.push(line);
                }
            }
        }
        if self.skipped_context {
            self.plan
                .notes
                .push("Only the chains are drawn at this size; --fit column adds the other contacts among them.".to_string());
        }
        if !self.lonely.is_empty() {
            let names: Vec<String> = self
                .lonely
                .iter()
                .map(|id| clean(story.name_of(id)))
                .collect();
            self.plan.notes.push(format!(
                "Not drawn, with no contact in the story: {} (--relations draws their ties).",
                style::join_names(&names)
            ));
        }
    }

    /// The key: only the symbols the picture uses.
    pub(super) fn key(&mut self) {
        let mut items: BTreeSet<KeyItem> = BTreeSet::new();
        for (i, e) in self.story.entities.iter().enumerate() {
            if self.plan.node(&format!("n{i}")).is_some() {
                items.insert(KeyItem::Kind(e.kind()));
            }
        }
        if self
            .plan
            .nodes
            .iter()
            .any(|n| matches!(n.kind, NodeKind::Hub { .. }))
        {
            items.insert(KeyItem::Hub);
        }
        let highlight = self.highlight().is_some();
        for (i, e) in self.story.events.iter().enumerate() {
            if self.drawn.contains(&i) {
                items.insert(KeyItem::Certainty(e.certainty()));
                if e.is_mutual() {
                    items.insert(KeyItem::Mutual);
                }
            }
        }
        if self
            .plan
            .edges
            .iter()
            .any(|e| matches!(e.kind, EdgeKind::Relation { .. }))
        {
            items.insert(KeyItem::Relation);
        }
        if highlight {
            items.insert(KeyItem::Chain);
            let faded = self
                .plan
                .edges
                .iter()
                .any(|e| e.paint().color == FADED_LINE);
            if faded {
                items.insert(KeyItem::Faded);
            }
        }
        self.plan.key = items.into_iter().collect();
    }
}

/// The sender of a drawn contact with an open start ("before 3 April
/// 2015") could have held it at any time before: it sits no later than the
/// contact's earliest receiver, so that its line does not point back up the
/// time axis.
fn open_senders(
    story: &crate::model::Story,
    drawn: &BTreeSet<&str>,
    first: &mut BTreeMap<String, (i64, Precision)>,
    spans: &mut BTreeMap<String, Option<String>>,
) {
    for e in &story.events {
        let open = e.time.as_ref().is_some_and(|t| t.start.is_none()) && e.ordered.is_none();
        let crate::model::Parties::Directed { from, to, .. } = &e.parties else {
            continue;
        };
        if !open || !drawn.contains(e.id.as_str()) {
            continue;
        }
        let earliest = to.iter().filter_map(|r| first.get(r)).min().copied();
        if let (Some(r), Some(&s)) = (earliest, first.get(from)) {
            if r.0 < s.0 {
                first.insert(from.clone(), r);
                spans.remove(from);
            }
        }
    }
}
