//! Diagrams of a story: DOT, SVG and PNG, with an optional focus.
//!
//! [`to_dot`] draws a [`crate::Story`] as a Graphviz DOT graph built with
//! graphviz-rust's structures and printed with its printer; every user string
//! is quoted here, node ids are synthetic (`n0`, `n1`, ...), and the output is
//! deterministic. [`to_svg`] lays it out (in-process with graphviz-pure, or
//! with Graphviz `dot` from `PATH`) and makes the SVG accessible: a `<title>`
//! and a plain-language `<desc>` ([`alt_text`]) on the root, and names and
//! sentences, never internal ids, in every element's title. [`to_png`]
//! rasterises that SVG with resvg.
//!
//! A [`Focus`] narrows or highlights the picture: the chains of a reach answer
//! ([`Focus::reach`]), one path ([`Focus::path`]), a neighbourhood
//! ([`Focus::around`]), how some entities are linked ([`Focus::connect`]),
//! a time window ([`Focus::between`]) or an evidence
//! threshold ([`Focus::threshold`]). The builders call the library's analyses;
//! nothing here computes reachability itself.
//!
//! # Example
//! ```
//! use grapevine::render::{to_dot, Focus};
//! let story = grapevine::load_path("graphs/trump-jr-wikileaks.json".as_ref()).unwrap().story;
//! let dot = to_dot(&story, &Focus::default());
//! assert!(dot.starts_with("digraph grapevine {"));
//! assert_eq!(dot, to_dot(&story, &Focus::default()));
//! ```

mod accessible;
pub(crate) mod alt;
mod animate;
mod cascade;
mod check;
pub(crate) mod dot;
pub(crate) mod engine;
mod frame;
pub(crate) mod html;
mod key;
pub(crate) mod lanes;
mod measure;
mod plan;
pub(crate) mod png;
mod prim;
pub(crate) mod style;
pub(crate) mod svg;
mod tangle;
pub(crate) mod words;

use std::collections::{BTreeMap, BTreeSet};

use crate::analysis::reach::{reach, ReachAnswer, Reached, Timing, NO_LOWER};
use crate::analysis::{Origin, Query};
use crate::catalog::{Catalog, ChannelId, Hop, Node};
use crate::error::{QueryError, TimeRole, WindowOf};
use crate::index::Index;
use crate::model::{Certainty, Precision, TimeExpr};
use crate::Error;

pub use alt::alt_text;
pub use animate::{animated_png, animated_svg, Replay, ANIMATION_WIDTH, MAX_ANIMATION_STEPS};
pub use check::{check_report, check_report_located};
pub use dot::to_dot;
pub use engine::{Engine, MAX_DOT_OUTPUT};
pub use html::{embed_snippet, html, Page};
pub use lanes::{lanes_png, lanes_svg, MAX_LANES, MAX_LANE_CONTACTS};
pub use plan::clean;
pub use png::{MAX_PNG_PIXELS, MAX_PNG_WIDTH};
pub use svg::{draw_png, draw_svg, to_png, to_svg};

/// An output format.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[cfg_attr(feature = "cli", derive(clap::ValueEnum))]
pub enum Format {
    /// Graphviz DOT text.
    #[cfg_attr(feature = "cli", value(help = "Graphviz DOT text"))]
    Dot,
    /// Accessible SVG.
    #[cfg_attr(feature = "cli", value(help = "accessible SVG"))]
    Svg,
    /// PNG picture.
    #[cfg_attr(feature = "cli", value(help = "PNG picture"))]
    Png,
    /// One HTML file: the finding, the picture, the table, the slider.
    #[cfg_attr(
        feature = "cli",
        value(help = "one HTML file for an article: finding, picture, table, time slider")
    )]
    Html,
}

impl Format {
    /// The format named by a file's extension (`.dot`/`.gv`, `.svg`, `.png`,
    /// `.html`/`.htm`).
    pub fn from_path(path: &std::path::Path) -> Option<Format> {
        let ext = path.extension()?.to_str()?.to_ascii_lowercase();
        match ext.as_str() {
            "dot" | "gv" => Some(Format::Dot),
            "svg" => Some(Format::Svg),
            "png" => Some(Format::Png),
            "html" | "htm" => Some(Format::Html),
            _ => None,
        }
    }
}

/// Where a picture goes: the width, in CSS pixels, it is designed to be
/// read at. The SVG scales to any width (`width="100%"`); the fit decides
/// the layout and the labels so that text stays legible at that width.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
#[cfg_attr(feature = "cli", derive(clap::ValueEnum))]
pub enum Fit {
    /// A phone, 375 px: time runs top to bottom, labels wrap short, the
    /// smallest text is at least 12 px.
    #[cfg_attr(
        feature = "cli",
        value(help = "a phone, 375 px wide: time runs downwards")
    )]
    Phone,
    /// An article column, 700 px (the default): the smallest text is at
    /// least 11 px.
    #[default]
    #[cfg_attr(feature = "cli", value(help = "an article column, 700 px wide"))]
    Column,
    /// A wide page, 1200 px.
    #[cfg_attr(feature = "cli", value(help = "a wide page, 1200 px"))]
    Wide,
}

impl Fit {
    /// The width it is designed for, in CSS pixels.
    pub fn width(self) -> u32 {
        match self {
            Fit::Phone => 375,
            Fit::Column => 700,
            Fit::Wide => 1200,
        }
    }

    /// The smallest text size, in CSS pixels, the picture promises when it
    /// is shown at [`Fit::width`].
    pub fn min_text(self) -> f64 {
        match self {
            Fit::Phone => 12.0,
            Fit::Column | Fit::Wide => 11.0,
        }
    }

    /// Its name on the command line.
    pub fn name(self) -> &'static str {
        match self {
            Fit::Phone => "phone",
            Fit::Column => "column",
            Fit::Wide => "wide",
        }
    }
}

/// How a picture is drawn, besides what it shows (that is the [`Focus`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Look {
    /// Where it goes.
    pub fit: Fit,
    /// The widest the SVG is shown, in CSS pixels (`None`: as wide as its
    /// container).
    pub max_width: Option<u32>,
    /// Name the entities a reach did not reach in a caption line.
    pub unreached: bool,
    /// Credit the sources under the picture (the embed lists them once on
    /// its page instead).
    pub credits: bool,
}

impl Default for Look {
    /// A column, as wide as its container, the unreached named.
    fn default() -> Self {
        Look {
            fit: Fit::Column,
            max_width: None,
            unreached: true,
            credits: true,
        }
    }
}

/// How a reached entity is marked in a highlighted picture.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Mark {
    /// Earliest time it could hold the information, at its own precision
    /// (from [`display_earliest`]).
    pub earliest: String,
    /// Earliest time in seconds, for placing it on the time axis.
    pub earliest_seconds: Option<i64>,
    /// The precision of that time (a year, a month, a day ...).
    pub earliest_precision: Precision,
    /// When it had it by, if the contacts it rests on happened: its
    /// definite time at the question's threshold as a date (`None` when
    /// only possible or unbounded).
    pub had_by: Option<String>,
    /// For an entity reached through a holding: "held it by DATE (how it
    /// got it is not recorded)".
    pub held: Option<String>,
    /// Definite or only possible.
    pub timing: Timing,
    /// Strongest evidence at which it is reached.
    pub evidence: Certainty,
    /// True for the source itself.
    pub is_source: bool,
    /// Display names along its chain, source first.
    pub chain: Vec<String>,
}

/// One channel of a chain: (event id, sender id, receiver id).
pub type Channel = (String, String, String);

/// What to highlight: reached entities and the channels of their chains.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Highlight {
    /// The source entity id.
    pub source: String,
    /// The traced message, if any.
    pub message: Option<String>,
    /// Reached entity ids and how to mark them.
    pub reached: BTreeMap<String, Mark>,
    /// Channels on the chains: (event id, sender id, receiver id).
    pub channels: BTreeSet<Channel>,
    /// The chains in the answer's order: entity id and its channels in order.
    pub chains: Vec<(String, Vec<Channel>)>,
    /// True when the picture is one path (from [`Focus::path`]).
    pub path: bool,
    /// Entity ids not reached, listed in one faded box instead of drawn.
    pub not_reached: Vec<String>,
}

/// What part of a story to draw, and what to highlight.
///
/// The default draws everything with nothing highlighted.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Focus {
    /// A line under the title saying what the picture shows.
    pub heading: Option<String>,
    /// Reached entities and chains to highlight; everything else is faded.
    pub highlight: Option<Highlight>,
    /// Draw only these entity ids (`None`: all).
    pub entities: Option<BTreeSet<String>>,
    /// Draw only these event ids (`None`: all).
    pub events: Option<BTreeSet<String>>,
    /// The window of time shown, first and last second ([`Focus::between`];
    /// `None`: the story's own span). The lane chart's axis runs over it.
    pub window: Option<(i64, i64)>,
    /// Leave the standing relations out (the default: a picture shows
    /// contacts; [`Focus::relations`] adds the ties).
    pub hide_relations: bool,
    /// Hide contacts and relations weaker than this.
    pub threshold: Certainty,
}

impl Default for Focus {
    /// Every contact, no standing relations, nothing highlighted, every
    /// certainty shown.
    fn default() -> Self {
        Focus {
            heading: None,
            highlight: None,
            entities: None,
            events: None,
            window: None,
            hide_relations: true,
            threshold: Certainty::Unknown,
        }
    }
}

impl Focus {
    /// Highlights the answer to `query`: the reached entities with their
    /// earliest date and evidence, and the events of each one's chain.
    /// Entities not reached are drawn faded. Events weaker than the query's
    /// threshold are hidden.
    ///
    /// Errors are those of [`Query::compile`].
    pub fn reach(catalog: &dyn Catalog, query: &Query) -> Result<Focus, Error> {
        let (index, rq) = query.compile(catalog)?;
        let answer = reach(&index, &rq);
        let channel = |hop: Hop| {
            (
                index.event_id(hop.channel).into_owned(),
                index.entity_id(hop.from).to_string(),
                index.entity_id(hop.to).to_string(),
            )
        };
        let mut h = Highlight {
            source: answer.asked.source.clone(),
            message: answer.asked.message.clone(),
            ..Highlight::default()
        };
        let words = words::AnswerWords::new(catalog, &index, query, &answer);
        for r in &answer.reached {
            let hops = r.hops(&index);
            let held = hops
                .last()
                .and_then(|hop| words::holding_words(catalog, index.event(hop.channel)));
            let chain: Vec<(String, String, String)> = hops.into_iter().map(channel).collect();
            h.channels.extend(chain.iter().cloned());
            let (shown, precision) = earliest_at_precision(catalog, &index, query, &answer, r);
            let had_by = (r.timing == Timing::Definite && r.definite_by.is_some())
                .then(|| words.surely_by(r));
            h.reached.insert(
                r.entity.clone(),
                Mark {
                    earliest: readable(catalog, &shown),
                    earliest_seconds: r.earliest.filter(|t| *t != i64::MIN && *t != i64::MAX),
                    earliest_precision: precision,
                    had_by,
                    held,
                    timing: r.timing,
                    evidence: r.evidence,
                    is_source: r.entity == answer.asked.source,
                    chain: r.chain(&index),
                },
            );
            h.chains.push((r.entity.clone(), chain));
        }
        let source = name_of(catalog, &answer.asked.source);
        let total = catalog.entity_count();
        let heading = match (&answer.asked.message, &query.origin) {
            (Some(m), _) => {
                let title = catalog
                    .message_number(m)
                    .and_then(|k| catalog.message(k).title.clone())
                    .unwrap_or_else(|| m.clone());
                format!(
                    "Who could have seen “{title}”{}: {} of {} reached{}",
                    until_note(catalog, query.until.as_deref()),
                    answer.reached.len(),
                    total,
                    threshold_note(query.threshold)
                )
            }
            (None, Origin::Entity(_)) | (None, Origin::Message(_)) => format!(
                "Who {source}’s contacts could have told{}{}: {} of {} reached{}",
                since_note(catalog, query.since.as_deref()),
                until_note(catalog, query.until.as_deref()),
                answer.reached.len(),
                total,
                threshold_note(query.threshold)
            ),
        };
        // Only the reached are drawn; the others are named in a faded box.
        let reached: BTreeSet<String> = h.reached.keys().cloned().collect();
        h.not_reached = answer.not_reached.clone();
        Ok(Focus {
            heading: Some(heading),
            highlight: Some(h),
            threshold: query.threshold,
            hide_relations: true,
            entities: Some(reached),
            events: None,
            window: None,
        })
    }

    /// Draws one chain: the earliest-arrival path from the query's source
    /// (contacts mode) to `target` (an id, name or alias), and nothing else.
    ///
    /// Errors: an unknown entity, or a target that is not reached (the
    /// message says to try `grapevine why-not`).
    pub fn path(catalog: &dyn Catalog, query: &Query, target: &str) -> Result<Focus, Error> {
        let t = catalog.resolve_entity(target).map_err(Error::Query)?;
        let target_id = catalog.entity_id(t).to_string();
        let (index, rq) = query.compile(catalog)?;
        let answer = crate::analysis::path::path(&index, &rq, t);
        if !answer.reached() {
            return Err(Error::Query(QueryError::NotReached {
                entity: name_of(catalog, &answer.entity),
                source: name_of(catalog, &answer.asked.source),
            }));
        }
        let mut focus = Focus::reach(catalog, query)?;
        let Some(h) = focus.highlight.as_mut() else {
            return Ok(focus);
        };
        let chain: Vec<(String, String, String)> = answer
            .hops
            .iter()
            .map(|hop| (hop.event.clone(), hop.from.clone(), hop.to.clone()))
            .collect();
        let mut keep: BTreeSet<String> = BTreeSet::new();
        keep.insert(answer.asked.source.clone());
        for (_, a, b) in &chain {
            keep.insert(a.clone());
            keep.insert(b.clone());
        }
        h.reached.retain(|id, _| keep.contains(id));
        h.channels = chain.iter().cloned().collect();
        h.chains = vec![(target_id, chain.clone())];
        h.path = true;
        h.not_reached.clear();
        focus.heading = Some(format!(
            "How {} could have reached {}: {} hop{}{}",
            name_of(catalog, &answer.asked.source),
            name_of(catalog, &answer.entity),
            chain.len(),
            if chain.len() == 1 { "" } else { "s" },
            threshold_note(query.threshold)
        ));
        focus.entities = Some(keep);
        focus.events = Some(chain.iter().map(|(e, _, _)| e.clone()).collect());
        focus.hide_relations = true;
        Ok(focus)
    }

    /// Draws how some entities are linked ([`crate::analysis::connect`]):
    /// the entities on the shortest static paths between every pair of
    /// `names` (ids, names or aliases) with the contacts of those links, and
    /// the contacts of the earliest time-respecting chain each way between
    /// every pair; with `relations`, relations link entities too and are
    /// drawn.
    ///
    /// Errors: an unknown or repeated entity, fewer than two, or the errors
    /// of [`crate::analysis::connect::connect`].
    pub fn connect(
        catalog: &dyn Catalog,
        names: &[String],
        threshold: Certainty,
        relations: bool,
    ) -> Result<Focus, Error> {
        let mut entities = Vec::new();
        for name in names {
            let u = catalog.resolve_entity(name).map_err(Error::Query)?;
            if entities.contains(&u) {
                return Err(Error::Query(QueryError::RepeatedEntity {
                    name: name.clone(),
                    entity: catalog.entity_name(u).to_string(),
                }));
            }
            entities.push(u);
        }
        let query = crate::analysis::connect::ConnectQuery {
            entities,
            threshold,
            relations,
            ..Default::default()
        };
        let answer = crate::analysis::connect::connect(catalog, &query)?;
        let mut keep: BTreeSet<String> = answer.network.iter().cloned().collect();
        let mut events: BTreeSet<String> = BTreeSet::new();
        for l in &answer.links {
            events.extend(l.events.iter().cloned());
        }
        for p in &answer.pairs {
            for c in [&p.a_to_b, &p.b_to_a] {
                keep.extend(c.entities.iter().cloned());
                events.extend(c.events.iter().cloned());
            }
        }
        let who: Vec<String> = answer
            .entities
            .iter()
            .map(|e| name_of(catalog, e))
            .collect();
        let who = match who.split_last() {
            Some((last, rest)) if !rest.is_empty() => format!("{} and {last}", rest.join(", ")),
            _ => who.join(""),
        };
        Ok(Focus {
            heading: Some(format!(
                "How {who} are linked: the shortest paths between them and the earliest chains{}",
                threshold_note(threshold)
            )),
            highlight: None,
            entities: Some(keep),
            events: Some(events),
            window: None,
            hide_relations: !relations,
            threshold,
        })
    }

    /// Keeps only the entities within `depth` contacts or relations of
    /// `entity` (an id, name or alias), and what connects them.
    pub fn around(
        mut self,
        catalog: &dyn Catalog,
        entity: &str,
        depth: usize,
    ) -> Result<Focus, Error> {
        let start = catalog.resolve_entity(entity).map_err(Error::Query)?;
        let graph = crate::graph::StaticGraph::build(catalog, self.threshold, !self.hide_relations);
        let keep: BTreeSet<String> = graph
            .within(start, depth)
            .into_iter()
            .map(|u| catalog.entity_id(u).to_string())
            .collect();
        self.entities = Some(match self.entities.take() {
            Some(old) => old.intersection(&keep).cloned().collect(),
            None => keep,
        });
        let note = format!(
            "Everyone within {depth} step{} of {}",
            if depth == 1 { "" } else { "s" },
            catalog.entity_name(start)
        );
        self.heading = Some(match self.heading.take() {
            Some(h) => format!("{h}; {}", lower_first(&note)),
            None => note,
        });
        Ok(self)
    }

    /// Keeps only the contacts whose interval overlaps the window from the
    /// start of `from` to the end of `to` (time expressions), and the entities
    /// they involve. A contact with no date at all is in no window.
    pub fn between(mut self, catalog: &dyn Catalog, from: &str, to: &str) -> Result<Focus, Error> {
        let tz = catalog.timezone();
        let parse = |text: &str| {
            TimeExpr::parse(text, &tz).map_err(|e| {
                Error::Query(QueryError::BadTime {
                    role: TimeRole::Between,
                    text: text.to_string(),
                    problem: e.message,
                    help: e.help,
                })
            })
        };
        let (a, b) = (parse(from)?, parse(to)?);
        let lo = a.interval().lo_or_min();
        let hi = b.interval().hi_or_max();
        if hi < lo {
            return Err(Error::Query(QueryError::BackwardsWindow {
                from: from.to_string(),
                to: to.to_string(),
                of: WindowOf::Focus,
            }));
        }
        let mut events = BTreeSet::new();
        let mut entities = BTreeSet::new();
        let ch = catalog.channels();
        let n = catalog.entity_count();
        for c in ChannelId::all(ch.len()) {
            // An undated contact (no bound at either end) is in no window.
            let undated = ch.lo(c) == i64::MIN && ch.hi(c) == i64::MAX;
            if !undated && ch.lo(c) <= hi && ch.hi(c) >= lo {
                events.insert(catalog.event_id(ch.event(c)).into_owned());
                // Hubs of meetings are numbered after the entities.
                for u in [ch.from(c), ch.to(c)] {
                    if let Node::Entity(u) = Node::of(u, n) {
                        entities.insert(catalog.entity_id(u).to_string());
                    }
                }
            }
        }
        self.events = Some(match self.events.take() {
            Some(old) => old.intersection(&events).cloned().collect(),
            None => events,
        });
        self.entities = Some(match self.entities.take() {
            Some(old) => old.intersection(&entities).cloned().collect(),
            None => entities,
        });
        self.window = Some(match self.window {
            Some((a, b)) => (a.max(lo), b.min(hi).max(a.max(lo))),
            None => (lo, hi),
        });
        let window = format!(
            "Contacts between {} and {}",
            style::date_label(Some(&a), &tz, style::DateStyle::Short),
            style::date_label(Some(&b), &tz, style::DateStyle::Short)
        );
        self.heading = Some(match self.heading.take() {
            Some(h) => format!("{h}; {}", lower_first(&window)),
            None => window,
        });
        Ok(self)
    }

    /// Draws the standing relations (family, member of, founder of) too,
    /// where the focus has not left them out (a reach or a path does).
    pub fn relations(mut self) -> Focus {
        if self.highlight.is_none() {
            self.hide_relations = false;
        }
        self
    }

    /// Hides contacts and relations weaker than `level`.
    pub fn threshold(mut self, level: Certainty) -> Focus {
        self.threshold = self.threshold.max(level);
        if level > Certainty::Unknown && self.highlight.is_none() {
            let note = format!("{} contacts only", at_least(level));
            self.heading = Some(match self.heading.take() {
                Some(h) => format!("{h}; {}", lower_first(&note)),
                None => note,
            });
        }
        self
    }
}

fn at_least(level: Certainty) -> String {
    match level {
        Certainty::Confirmed => "Confirmed".to_string(),
        other => format!("Confirmed to {other}"),
    }
}

fn threshold_note(level: Certainty) -> String {
    if level == Certainty::Unknown {
        String::new()
    } else {
        format!(" ({} contacts only)", lower_first(&at_least(level)))
    }
}

fn until_note(catalog: &dyn Catalog, until: Option<&str>) -> String {
    let tz = catalog.timezone();
    match until.and_then(|s| TimeExpr::parse(s, &tz).ok()) {
        Some(t) => format!(
            " by {}",
            style::date_label(Some(&t), &tz, style::DateStyle::Short)
        ),
        None => String::new(),
    }
}

fn since_note(catalog: &dyn Catalog, since: Option<&str>) -> String {
    let tz = catalog.timezone();
    match since.and_then(|s| TimeExpr::parse(s, &tz).ok()) {
        Some(t) => format!(
            " from {}",
            style::date_label(Some(&t), &tz, style::DateStyle::Short)
        ),
        None => String::new(),
    }
}

/// `2016-09-20` (as [`display_earliest`] writes it) as `20 Sep 2016`.
pub(crate) fn readable(catalog: &dyn Catalog, iso: &str) -> String {
    let tz = catalog.timezone();
    match TimeExpr::parse(iso, &tz) {
        Ok(t) => style::date_label(Some(&t), &tz, style::DateStyle::Short),
        Err(_) => iso.to_string(),
    }
}

/// Display name of an entity id (the id itself when unknown).
pub fn name_of(catalog: &dyn Catalog, id: &str) -> String {
    match catalog.entity_number(id) {
        Some(u) => catalog.entity_name(u).to_string(),
        None => id.to_string(),
    }
}

/// How to show an entity's `earliest` for people: at the precision of the date
/// it came from (`2016-09-20`, not `2016-09-20T04:00:00Z`), in the input's zone.
///
/// The date comes from the last hop whose own start set the arrival time;
/// hops that inherit their sender's time keep its precision.
pub fn display_earliest(
    catalog: &dyn Catalog,
    index: &Index,
    query: &Query,
    answer: &ReachAnswer,
    reached: &Reached,
) -> String {
    earliest_at_precision(catalog, index, query, answer, reached).0
}

/// [`display_earliest`] and the precision it is written at.
fn earliest_at_precision(
    catalog: &dyn Catalog,
    index: &Index,
    query: &Query,
    answer: &ReachAnswer,
    reached: &Reached,
) -> (String, Precision) {
    let Some(t) = reached.earliest else {
        return ("any time".to_string(), Precision::Second);
    };
    let mut precision = query.start_precision(catalog);
    let mut current = answer.asked.start.unwrap_or(NO_LOWER);
    for Hop { channel: c, .. } in reached.hops(index) {
        let lo = index.lo(c);
        let ready = if query.strict && current != NO_LOWER {
            current + 1
        } else {
            current
        };
        // An open start ("../1971-06-12") says nothing of when the hop
        // could begin: the date stays the one the chain brought, at its
        // precision, as when the contact starts before the sender had it.
        let start = catalog
            .event(index.event(c))
            .time
            .as_ref()
            .and_then(|t| t.start.as_ref().map(|p| p.precision));
        if let (true, Some(start)) = (lo >= ready, start) {
            precision = start;
            current = lo;
        } else {
            if ready != current {
                precision = Precision::Second;
            }
            current = ready;
        }
    }
    (
        crate::model::time::format_at_precision(t, precision, &catalog.timezone()),
        precision,
    )
}

fn lower_first(s: &str) -> String {
    let mut c = s.chars();
    match c.next() {
        Some(f) => f.to_lowercase().chain(c).collect(),
        None => String::new(),
    }
}
