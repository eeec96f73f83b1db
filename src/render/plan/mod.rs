//! What a picture holds, before it is written as DOT: every node and edge with
//! its synthetic id, what it stands for (an entity, a hub, a contact, a tie:
//! its kind, certainty and role in the focus), its label lines, its title
//! and tooltip, in plain text.
//!
//! [`super::dot`] writes a plan as DOT; `accessible.rs` uses the same plan to
//! put names and sentences into the SVG where Graphviz wrote ids.

use std::collections::{BTreeMap, BTreeSet};

use jiff::tz::TimeZone;

use super::key::KeyItem;
use super::style::{self, certainty_style, date_label, kind_style, DateStyle};
use super::{Fit, Focus, Highlight, Look};
use crate::error::{Chart, RenderError};

mod contacts;
mod context;
mod marks;
mod paint;
mod sentences;
mod text;
use crate::model::{Certainty, Entity, EntityKind, Event, Parties, Precision, Story};
pub(crate) use marks::{on_axis, AxisMark};
pub(crate) use sentences::{channel_sentence, cited, credits, not_reached_line, source_name};
use sentences::{date_line, event_tooltip, verb};
pub use text::clean;
pub(crate) use text::{safe_url, shorten, wrap_label, wrap_lines, MAX_LABEL_LINES};

/// Where a node sits.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Place {
    /// An entity or event hub, in time band `usize` (`None`: no band).
    Main(Option<usize>),
    /// A time-axis marker for band `usize`.
    Axis(usize),
    /// A story marker (a reference date) on the time axis, between band
    /// `usize` and the next.
    Mark(usize),
}

/// A node or edge's part in a highlight (a reach or a path).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Role {
    /// No highlight: drawn in its own style.
    Alone,
    /// On a highlighted chain: bold and black.
    Chain,
    /// Off the chains: faded.
    Context,
}

impl Role {
    /// The role of a contact that is on a chain (`Some(true)`), off it
    /// (`Some(false)`), or in a picture without a highlight (`None`).
    pub(crate) fn of(chain: Option<bool>) -> Role {
        match chain {
            None => Role::Alone,
            Some(true) => Role::Chain,
            Some(false) => Role::Context,
        }
    }
}

/// An entity's mark in the focus.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum EntityMark {
    /// No highlight.
    Plain,
    /// Where a reach starts.
    Source,
    /// Reached; `weak` is the evidence when weaker than confirmed.
    Reached {
        /// See [`EntityMark::Reached`].
        weak: Option<Certainty>,
    },
    /// Not reached (faded).
    NotReached,
}

/// What a node stands for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum NodeKind {
    /// A person, organisation or group.
    Entity {
        /// Its kind (its shape and colours).
        kind: EntityKind,
        /// Its mark in the focus.
        mark: EntityMark,
    },
    /// An event with three or more parties, drawn as a box they join.
    Hub {
        /// The event's certainty.
        certainty: Certainty,
        /// Its part in the highlight.
        role: Role,
    },
    /// A time-axis marker.
    Axis,
}

/// One node to draw.
#[derive(Debug, Clone)]
pub(crate) struct PNode {
    /// Synthetic DOT id, also the SVG group id.
    pub id: String,
    /// The SVG `<title>`: a name.
    pub title: String,
    /// Label lines (plain text).
    pub label: Vec<String>,
    /// An entity's name, whose wrapped lines are the label's first
    /// `name_lines` (the cascade wraps it again for its own rows).
    pub name: Option<String>,
    /// See `name`.
    pub name_lines: usize,
    /// How a sentence about another node names this one: an entity's name,
    /// a hub's sentence without its date.
    pub short: String,
    /// Tooltip (plain text, may hold newlines).
    pub tooltip: String,
    /// A checked http(s) link.
    pub url: Option<String>,
    /// What it stands for (its paint, see [`PNode::paint`]).
    pub kind: NodeKind,
    /// Where it sits.
    pub place: Place,
}

/// How a contact's line ends.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) enum EdgeEnd {
    /// An arrowhead at the receiver.
    Arrow,
    /// A sender's line into a hub: no arrowhead.
    ToHub,
    /// A meeting's tie: no direction.
    Mutual,
}

/// What an edge stands for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum EdgeKind {
    /// A contact (or a party's line to its hub).
    Contact {
        /// The event's certainty.
        certainty: Certainty,
        /// Its part in the highlight.
        role: Role,
        /// How its line ends.
        end: EdgeEnd,
    },
    /// A standing relation.
    Relation {
        /// Its certainty.
        certainty: Certainty,
        /// A highlight is drawn: the tie is faded.
        faded: bool,
        /// Written from head to tail to run along time (arrow kept at its
        /// true end).
        backward: bool,
        /// Both ends are in one band: it does not constrain the layout.
        free: bool,
    },
}

/// One edge to draw.
#[derive(Debug, Clone)]
pub(crate) struct PEdge {
    /// Synthetic id, the SVG group id.
    pub id: String,
    /// Tail node id.
    pub from: String,
    /// Head node id.
    pub to: String,
    /// The SVG `<title>`: a sentence.
    pub title: String,
    /// Label lines.
    pub label: Vec<String>,
    /// Label lines before wrapping to the fit (the cascade wraps its own).
    pub raw: Vec<String>,
    /// Tooltip.
    pub tooltip: String,
    /// A checked http(s) link.
    pub url: Option<String>,
    /// What it stands for (its paint, see [`PEdge::paint`]).
    pub kind: EdgeKind,
}

/// The whole picture.
#[derive(Debug, Clone)]
pub(crate) struct Plan {
    /// The story's title (or a stand-in).
    pub title: String,
    /// What the picture shows (the focus's heading).
    pub heading: Option<String>,
    /// The sources line: `Source: Business Insider, “...”`.
    pub sources: Option<String>,
    /// Lines under the picture: who was not reached, who is not drawn.
    pub notes: Vec<String>,
    /// The key's symbols, only those the picture uses.
    pub key: Vec<KeyItem>,
    /// How it is drawn.
    pub look: Look,
    /// Nodes, in a fixed order.
    pub nodes: Vec<PNode>,
    /// Edges, in a fixed order.
    pub edges: Vec<PEdge>,
    /// Time bands, left to right: their labels.
    pub bands: Vec<String>,
    /// The story's markers on the time axis, in time order.
    pub marks: Vec<AxisMark>,
    /// The story's entity ids, by index (node `nI` draws entity `I`).
    pub entity_ids: Vec<String>,
    /// The story's event ids, by index (hub `hI` and edges `eI_…` draw
    /// event `I`).
    pub event_ids: Vec<String>,
}

impl PNode {
    /// Whether it is a person, organisation or group.
    pub(crate) fn is_entity(&self) -> bool {
        matches!(self.kind, NodeKind::Entity { .. })
    }
}

impl Plan {
    /// The node with this id.
    pub fn node(&self, id: &str) -> Option<&PNode> {
        self.nodes.iter().find(|n| n.id == id)
    }

    /// The story id a synthetic node id draws: `nI` an entity, `hI` an
    /// event's hub (`(true, id)` for an entity).
    fn story_id(&self, node: &str) -> Option<(bool, &str)> {
        let index = |rest: &str| rest.parse::<usize>().ok();
        if let Some(i) = node.strip_prefix('n').and_then(index) {
            return self.entity_ids.get(i).map(|id| (true, id.as_str()));
        }
        let i = node.strip_prefix('h').and_then(index)?;
        self.event_ids.get(i).map(|id| (false, id.as_str()))
    }

    /// The data attributes of a node's group (with a leading space):
    /// `data-entity` for an entity, `data-hub` (its event) for a hub.
    pub fn node_data(&self, node: &str) -> String {
        match self.story_id(node) {
            Some((true, id)) => format!(" data-entity=\"{}\"", crate::escape::svg(id)),
            Some((false, id)) => format!(" data-hub=\"{}\"", crate::escape::svg(id)),
            None => String::new(),
        }
    }

    /// The data attributes of a contact's group (with a leading space):
    /// `data-event`, and `data-from`/`data-to` as the entity ids of its ends
    /// (a hub end as `data-from-hub`/`data-to-hub`, its event's id). A
    /// standing tie has none.
    pub fn edge_data(&self, e: &PEdge) -> String {
        let Some(i) =
            e.id.strip_prefix('e')
                .and_then(|r| r.split('_').next())
                .and_then(|r| r.parse::<usize>().ok())
        else {
            return String::new();
        };
        let Some(event) = self.event_ids.get(i) else {
            return String::new();
        };
        let mut out = format!(" data-event=\"{}\"", crate::escape::svg(event));
        for (end, node) in [("from", &e.from), ("to", &e.to)] {
            match self.story_id(node) {
                Some((true, id)) => {
                    out.push_str(&format!(" data-{end}=\"{}\"", crate::escape::svg(id)));
                }
                Some((false, id)) => {
                    out.push_str(&format!(" data-{end}-hub=\"{}\"", crate::escape::svg(id)));
                }
                None => {}
            }
        }
        out
    }

    /// Caption lines for a DOT file read on its own: title, heading,
    /// sources and notes (an SVG draws them around the layout instead).
    pub fn caption(&self) -> Vec<String> {
        let mut lines = wrap_lines(&self.title, 100, usize::MAX);
        for text in self.heading.iter().chain(&self.sources).chain(&self.notes) {
            lines.extend(wrap_lines(text, 110, usize::MAX));
        }
        lines
    }
}

/// Text sizes of a fit, in CSS pixels: (node, edge and axis).
pub(crate) fn sizes(fit: Fit) -> (f64, f64) {
    match fit {
        Fit::Phone => (15.0, 14.0),
        Fit::Column | Fit::Wide => (14.0, 13.0),
    }
}

/// How wide a label line may be, in pixels at its size, per fit.
fn label_px(fit: Fit) -> f64 {
    match fit {
        // The cascade (a phone's layout) wraps labels to its rows itself.
        Fit::Phone => 220.0,
        Fit::Column => 120.0,
        Fit::Wide => 150.0,
    }
}

/// Entities and contacts a picture may draw before layout is refused
/// ([`check_size`]): past these, in-process layout takes minutes and the
/// picture is a tangle no reader can follow.
pub const MAX_DRAWN_ENTITIES: usize = 150;
/// See [`MAX_DRAWN_ENTITIES`].
pub const MAX_DRAWN_CONTACTS: usize = 400;

/// Refuses, before any layout, a picture past [`MAX_DRAWN_ENTITIES`] or
/// [`MAX_DRAWN_CONTACTS`], saying how many there are and which focus would
/// make a legible picture.
pub(crate) fn check_size(plan: &Plan) -> Result<(), crate::Error> {
    let entities = plan.nodes.iter().filter(|n| n.is_entity()).count();
    let contacts = plan.edges.len();
    if entities <= MAX_DRAWN_ENTITIES && contacts <= MAX_DRAWN_CONTACTS {
        return Ok(());
    }
    Err(crate::Error::Render(RenderError::Crowded {
        chart: Chart::Picture,
        entities,
        contacts,
        max_entities: MAX_DRAWN_ENTITIES,
        max_contacts: MAX_DRAWN_CONTACTS,
    }))
}

/// The kind word of an entity for sentences.
fn kind_word(e: &Entity) -> &'static str {
    kind_style(e.kind()).word
}

/// The time key of an event for the time axis: its start, or for an open
/// start the start of its end point; with the precision of that point. A
/// start that `after` raised is used as it is ([`Event::ordered`]).
fn event_key(e: &Event) -> Option<(i64, Precision)> {
    if let Some(lo) = e.ordered.and_then(|iv| iv.lo) {
        let written = e
            .time
            .as_ref()
            .and_then(|t| t.start.as_ref().or(t.end.as_ref()));
        return Some((lo, written.map_or(Precision::Day, |p| p.precision)));
    }
    let t = e.time.as_ref()?;
    t.start
        .as_ref()
        .or(t.end.as_ref())
        .map(|p| (p.lo, p.precision))
}

/// The band a time falls in: the start of its day (or month or year for a
/// coarser point) in `tz`, and its label.
fn band_of(seconds: i64, precision: Precision, tz: &TimeZone) -> (i64, u8, String) {
    let Ok(ts) = jiff::Timestamp::from_second(seconds) else {
        return (seconds, 3, seconds.to_string());
    };
    let z = ts.to_zoned_datetime(tz.clone());
    let date = z.date();
    let (start, rank) = match precision {
        Precision::Year => (date.first_of_year(), 0),
        Precision::Month => (date.first_of_month(), 1),
        _ => (date, 2),
    };
    let secs = start
        .to_zoned_datetime(tz.clone())
        .map(|z| z.timestamp().as_second())
        .unwrap_or(seconds);
    let point = crate::model::TimePoint {
        lo: secs,
        hi: secs,
        precision: match precision {
            Precision::Year => Precision::Year,
            Precision::Month => Precision::Month,
            _ => Precision::Day,
        },
        approximate: false,
        uncertain: false,
    };
    (secs, rank, style::point_label(&point, tz, DateStyle::Short))
}

struct Builder<'a> {
    story: &'a Story,
    focus: &'a Focus,
    tz: TimeZone,
    plan: Plan,
    node_of: BTreeMap<String, String>,
    drawn: BTreeSet<usize>,
    /// A reached node's date line, added in [`Builder::bands`] only when it
    /// differs from its band's date: (earliest, line, index in the label).
    pending: BTreeMap<String, (String, String, usize)>,
    /// Entities left out for having no contact drawn, in story order.
    lonely: Vec<String>,
    /// Contacts off the chains were left out (a phone).
    skipped_context: bool,
    look: Look,
}

/// Whether the focus draws this entity.
fn keeps_entity(focus: &Focus, id: &str) -> bool {
    focus.entities.as_ref().is_none_or(|s| s.contains(id))
}

/// Builds the plan of `story` under `focus`, drawn as `look` says.
pub(crate) fn plan(story: &Story, focus: &Focus, look: &Look) -> Plan {
    let title = story
        .title
        .as_deref()
        .map(clean)
        .filter(|t| !t.is_empty())
        .unwrap_or_else(|| "Untitled story".to_string());
    let mut b = Builder {
        story,
        focus,
        tz: story.tz(),
        plan: Plan {
            title,
            heading: focus.heading.clone(),
            sources: None,
            notes: Vec::new(),
            key: Vec::new(),
            look: *look,
            nodes: Vec::new(),
            edges: Vec::new(),
            bands: Vec::new(),
            marks: Vec::new(),
            entity_ids: story.entities.iter().map(|e| e.id.clone()).collect(),
            event_ids: story.events.iter().map(|e| e.id.clone()).collect(),
        },
        node_of: BTreeMap::new(),
        drawn: BTreeSet::new(),
        pending: BTreeMap::new(),
        lonely: Vec::new(),
        skipped_context: false,
        look: *look,
    };
    b.entities();
    b.events();
    b.prune();
    b.sources();
    b.bands();
    b.relations();
    b.groups();
    b.key();
    b.plan
}

impl Builder<'_> {
    fn highlight(&self) -> Option<&Highlight> {
        self.focus.highlight.as_ref()
    }

    fn sizes(&self) -> (f64, f64) {
        sizes(self.look.fit)
    }

    /// The sources of what is drawn: the drawn contacts, the holdings on
    /// the chains, the traced message and the drawn relations.
    fn cited_sources(&self) -> BTreeSet<&str> {
        let story = self.story;
        let mut used: BTreeSet<&str> = BTreeSet::new();
        for &i in &self.drawn {
            if let Some(e) = story.events.get(i) {
                used.extend(e.sources.iter().map(|c| c.source()));
            }
        }
        if let Some(h) = self.highlight() {
            let on_chain: BTreeSet<&str> = h.channels.iter().map(|(e, _, _)| e.as_str()).collect();
            for hd in story
                .holdings
                .iter()
                .filter(|hd| on_chain.contains(hd.id.as_str()))
            {
                used.extend(hd.sources.iter().map(|c| c.source()));
            }
            if let Some(m) = h.message.as_deref().and_then(|m| story.message(m)) {
                used.extend(m.sources.iter().map(|c| c.source()));
            }
        }
        if !self.focus.hide_relations {
            for r in &story.relations {
                if self.node_of.contains_key(&r.from) && self.node_of.contains_key(&r.to) {
                    used.extend(r.sources.iter().map(|c| c.source()));
                }
            }
        }
        used
    }

    fn sources(&mut self) {
        if !self.look.credits {
            return;
        }
        self.plan.sources = credits(&self.story.sources, &self.cited_sources());
    }

    fn entities(&mut self) {
        let h = self.focus.highlight.clone();
        for (i, e) in self.story.entities.iter().enumerate() {
            if !keeps_entity(self.focus, &e.id) {
                continue;
            }
            let id = format!("n{i}");
            let name = clean(&e.name);
            let (size, _) = self.sizes();
            let mut label = wrap_label(&e.name, label_px(self.look.fit), size);
            let name_lines = label.len();
            let mut mark = EntityMark::Plain;
            let mut tooltip = format!("{name} ({})", kind_word(e));
            if let Some(d) = &e.description {
                tooltip.push_str(&format!(": {}", shorten(d, 400)));
            }
            if let Some(h) = &h {
                match h.reached.get(&e.id) {
                    Some(m) if m.is_source => {
                        label.push("source".to_string());
                        let starts = if m.earliest_seconds.is_some() {
                            self.pending.insert(
                                id.clone(),
                                (m.earliest.clone(), m.earliest.clone(), label.len()),
                            );
                            m.earliest.clone()
                        } else {
                            "held it before any recorded contact".to_string()
                        };
                        mark = EntityMark::Source;
                        tooltip.push_str(&format!("\nWhere it starts: {starts}"));
                    }
                    Some(m) => {
                        let timing = match m.timing {
                            crate::Timing::Definite => "earliest",
                            crate::Timing::Possible => "possibly from",
                        };
                        // The date goes on the time axis; on the node only
                        // when it is not its band's date (see `bands`).
                        let line = date_line(m);
                        self.pending
                            .insert(id.clone(), (m.earliest.clone(), line, label.len()));
                        // Evidence weaker than confirmed: its word, and the
                        // outline drawn in its line style.
                        let weak = (m.evidence < Certainty::Confirmed).then_some(m.evidence);
                        if weak.is_some() {
                            label.push(m.evidence.as_str().to_string());
                        }
                        mark = EntityMark::Reached { weak };
                        tooltip.push_str(&format!(
                            "\nReached: {timing} {}, on {} evidence, through {}",
                            m.earliest,
                            m.evidence,
                            m.chain
                                .iter()
                                .map(|c| clean(c))
                                .collect::<Vec<_>>()
                                .join(" → ")
                        ));
                    }
                    None => {
                        mark = EntityMark::NotReached;
                        tooltip.push_str("\nNot reached");
                    }
                }
            }
            let url = e.url.as_deref().and_then(safe_url);
            self.node_of.insert(e.id.clone(), id.clone());
            self.plan.nodes.push(PNode {
                id,
                title: format!("{name} ({})", kind_word(e)),
                short: name.clone(),
                name: Some(name),
                name_lines,
                label,
                tooltip,
                url,
                kind: NodeKind::Entity {
                    kind: e.kind(),
                    mark,
                },
                place: Place::Main(None),
            });
        }
    }

    fn on_chain(&self, event: &str, from: &str, to: &str) -> Option<bool> {
        let h = self.highlight()?;
        let key = (event.to_string(), from.to_string(), to.to_string());
        let back = (event.to_string(), to.to_string(), from.to_string());
        Some(h.channels.contains(&key) || h.channels.contains(&back))
    }

    fn edge_label(&self, e: &Event, chain: Option<bool>) -> Vec<String> {
        if chain == Some(false) {
            return Vec::new();
        }
        let cs = certainty_style(e.certainty());
        vec![
            format!("{}{}", cs.mark, shorten(e.kind(), 24)),
            date_label(e.time.as_ref(), &self.tz, DateStyle::Short),
        ]
    }

    fn hub(&mut self, ei: usize, e: &Event, names: &[String], chain: Option<bool>) -> String {
        let story = self.story;
        let hub = format!("h{ei}");
        let when = date_label(e.time.as_ref(), &self.tz, DateStyle::Short);
        let how = match e.certainty() {
            Certainty::Unknown => "unknown whether it happened".to_string(),
            c => c.to_string(),
        };
        let short = match &e.parties {
            Parties::Directed { from, .. } => format!(
                "{} {} {}",
                clean(story.name_of(from)),
                verb(&e.event_kind()),
                style::join_names(names),
            ),
            Parties::Mutual { .. } => {
                format!("{}: {}", clean(e.kind()), style::join_names(names))
            }
        };
        let sentence = format!("{short} ({when}, {how})");
        let (tooltip, url) = event_tooltip(story, e, &sentence);
        let cs = certainty_style(e.certainty());
        let faded = chain == Some(false);
        let label = if faded {
            vec![shorten(e.kind(), 24)]
        } else {
            vec![format!("{}{}", cs.mark, shorten(e.kind(), 24)), when]
        };
        self.plan.nodes.push(PNode {
            id: hub.clone(),
            short,
            title: sentence,
            label,
            name: None,
            name_lines: 0,
            tooltip,
            url,
            kind: NodeKind::Hub {
                certainty: e.certainty(),
                role: Role::of(chain),
            },
            place: Place::Main(None),
        });
        self.node_of
            .insert(format!("\u{0}event:{}", e.id), hub.clone());
        hub
    }

    /// Adds a contact's line (on a phone, only when it is on a chain).
    fn push_edge(&mut self, line: ContactLine) {
        let ContactLine {
            id,
            event: (ei, e),
            ends: (from, to),
            title,
            chain,
            labelled,
            end,
        } = line;
        // On a phone only the chains are drawn: other contacts among the
        // reached would run across the whole narrow picture.
        if chain == Some(false) && self.look.fit == Fit::Phone {
            self.skipped_context = true;
            return;
        }
        self.drawn.insert(ei);
        let (tooltip, url) = event_tooltip(self.story, e, &title);
        let label = if labelled {
            self.edge_label(e, chain)
        } else {
            Vec::new()
        };
        self.plan.edges.push(PEdge {
            id,
            from: from.to_string(),
            to: to.to_string(),
            title,
            raw: label.clone(),
            label,
            tooltip,
            url,
            kind: EdgeKind::Contact {
                certainty: e.certainty(),
                role: Role::of(chain),
                end,
            },
        });
    }
}

/// One line of a contact to draw, for [`Builder::push_edge`].
struct ContactLine<'a> {
    /// The edge's id.
    id: String,
    /// The event and its index in the story.
    event: (usize, &'a Event),
    /// Tail and head node ids.
    ends: (&'a str, &'a str),
    /// Its sentence.
    title: String,
    /// On a chain, off it, or no highlight.
    chain: Option<bool>,
    /// It carries the kind and date (else its hub does).
    labelled: bool,
    /// How the line ends.
    end: EdgeEnd,
}
