//! Words for people about a reach answer: dates in the input's time zone at
//! the precision the input gives them, by when an entity surely had the
//! information (if the contacts it rests on happened), what its evidence
//! rests on, and the question in a few lines. The command line's tables and
//! the pictures' words use them; analyses have no words of their own.

use std::collections::{HashMap, HashSet};

use super::style::{date_label, point_label, DateStyle};
use super::{display_earliest, name_of};
use crate::analysis::reach::{ReachAnswer, Reached, Timing};
use crate::analysis::{Origin, Query};
use crate::catalog::{Catalog, EventId, NodeId};
use crate::index::{Index, Mode};
use crate::model::{Certainty, Parties, Precision, TimeExpr, TimePoint};

/// A certainty as a row says it: `confirmed`, `reported`, `alleged`, or
/// `unknown whether it happened`.
pub fn certainty_words(c: Certainty) -> &'static str {
    match c {
        Certainty::Confirmed => "confirmed",
        Certainty::Reported => "reported",
        Certainty::Alleged => "alleged",
        Certainty::Unknown => "unknown whether it happened",
    }
}

/// Which contacts a threshold follows: `all evidence levels`, `confirmed
/// contacts only`, ...
pub fn threshold_words(c: Certainty) -> &'static str {
    match c {
        Certainty::Unknown => "all evidence levels",
        Certainty::Alleged => "confirmed, reported and alleged contacts only",
        Certainty::Reported => "confirmed and reported contacts only",
        Certainty::Confirmed => "confirmed contacts only",
    }
}

/// The contacts at or above a level: `confirmed`, `confirmed and reported`,
/// `confirmed, reported and alleged`, `all`.
pub fn threshold_level_words(c: Certainty) -> &'static str {
    match c {
        Certainty::Confirmed => "confirmed",
        Certainty::Reported => "confirmed and reported",
        Certainty::Alleged => "confirmed, reported and alleged",
        Certainty::Unknown => "all",
    }
}

/// Which contacts a mode follows.
pub fn mode_words(mode: Mode, message: Option<&str>) -> String {
    match (mode, message) {
        (Mode::Message, Some(m)) => {
            format!("the documented chain only: contacts that carry \"{m}\"")
        }
        (Mode::Message, None) => "the documented chain only".to_string(),
        (Mode::Contacts, _) => "any contact: whoever could have been told".to_string(),
    }
}

/// Where dates are: `dates in America/New_York`, or `dates in UTC` when the
/// input names no zone.
pub fn zone_words(catalog: &dyn Catalog) -> String {
    format!("dates in {}", catalog.timezone_name().unwrap_or("UTC"))
}

/// A second as a date at `precision` in the input's zone: `20 Sep 2016`,
/// `20 Sep 2016 14:05`.
pub fn time_label(catalog: &dyn Catalog, t: i64, precision: Precision) -> String {
    let p = TimePoint {
        lo: t,
        hi: t,
        precision,
        approximate: false,
        uncertain: false,
    };
    point_label(&p, &catalog.timezone(), DateStyle::Short)
}

/// For a holding's event number: "held it by DATE (how it got it is not
/// recorded)", DATE being the end of the holding's time; `None` for an
/// event.
pub fn holding_words(catalog: &dyn Catalog, e: EventId) -> Option<String> {
    if !catalog.is_holding(e) {
        return None;
    }
    let ev = catalog.event(e);
    let tz = catalog.timezone();
    let by = match ev.time.as_ref().and_then(|t| t.end.as_ref()) {
        Some(end) => format!("by {}", point_label(end, &tz, DateStyle::Short)),
        None => "at some time".to_string(),
    };
    Some(format!("held it {by} (how it got it is not recorded)"))
}

/// An event's date as the diagrams write it: `20 Sep 2016`, `after 20 Sep
/// 2016`, `12–13 Oct 2016`, `date unknown`.
pub fn event_date(catalog: &dyn Catalog, time: Option<&TimeExpr>) -> String {
    date_label(time, &catalog.timezone(), DateStyle::Short)
}

/// An `--until` time expression as the date it ends: `2016-11-08` is `8 Nov
/// 2016` (the whole day).
pub fn until_label(catalog: &dyn Catalog, text: &str) -> String {
    let tz = catalog.timezone();
    match TimeExpr::parse(text, &tz).ok().and_then(|t| t.end) {
        Some(p) => point_label(&p, &tz, DateStyle::Short),
        None => text.to_string(),
    }
}

/// Who an event connects, by name: `A → B`, `A → B, C`, or `A — B — C` for
/// a mutual contact.
pub fn parties_words(catalog: &dyn Catalog, parties: &Parties) -> String {
    match parties {
        Parties::Directed { from, to, .. } => {
            let to: Vec<String> = to.iter().map(|t| name_of(catalog, t)).collect();
            format!("{} → {}", name_of(catalog, from), to.join(", "))
        }
        Parties::Mutual { participants } => participants
            .iter()
            .map(|p| name_of(catalog, p))
            .collect::<Vec<_>>()
            .join(" — "),
    }
}

/// The words of one reach answer's rows.
pub struct AnswerWords<'a, 'c> {
    catalog: &'c dyn Catalog,
    index: &'a Index<'c>,
    query: &'a Query,
    answer: &'a ReachAnswer,
    /// For each (entity, definite time) of a row, the time point of an event
    /// delivering to it whose last second that is.
    ends: HashMap<(NodeId, i64), TimePoint>,
    /// For each definite time of a row, the end point of any contact or
    /// holding whose last second that is (the fallback for `ends`).
    by_time: HashMap<i64, TimePoint>,
    /// The question asked again at each evidence level that some row is
    /// reached on through a chain weaker than that level: its index, query
    /// and answer.
    levels: HashMap<Certainty, (Index<'c>, Query, ReachAnswer)>,
}

impl<'a, 'c> AnswerWords<'a, 'c> {
    /// Prepares the words of `answer`, the answer to `query` on `index`.
    ///
    /// # Complexity
    /// One pass over the index's channels.
    pub fn new(
        catalog: &'c dyn Catalog,
        index: &'a Index<'c>,
        query: &'a Query,
        answer: &'a ReachAnswer,
    ) -> Self {
        let wanted: HashSet<(NodeId, i64)> = answer
            .reached
            .iter()
            .filter_map(|r| Some((catalog.entity_number(&r.entity)?.into(), r.definite_by?)))
            .collect();
        let mut ends = HashMap::new();
        let mut by_time = HashMap::new();
        if !wanted.is_empty() {
            // A surely-by date is the end of a contact the entity received,
            // or of one it sent (a sender had it by the end of its sending);
            // failing that, of any contact or holding ending then (an
            // `after` that bounds the entity's contact by a later one's end).
            let times: HashSet<i64> = wanted.iter().map(|k| k.1).collect();
            let mut remember = |nodes: &[NodeId], end: &TimePoint| {
                if !times.contains(&end.hi) {
                    return;
                }
                by_time.entry(end.hi).or_insert_with(|| end.clone());
                for &n in nodes {
                    if wanted.contains(&(n, end.hi)) {
                        ends.entry((n, end.hi)).or_insert_with(|| end.clone());
                    }
                }
            };
            // Only a channel ending at a wanted time can give one: the
            // index says so without making its event (10^7 on a corpus).
            for c in index.channels().filter(|&c| times.contains(&index.hi(c))) {
                let event = catalog.event(index.event(c));
                if let Some(end) = event.time.as_ref().and_then(|t| t.end.as_ref()) {
                    if end.hi == index.hi(c) {
                        remember(&[index.to(c), index.from(c)], end);
                    }
                }
            }
            for h in catalog.holdings() {
                if let Some(end) = h.time.as_ref().and_then(|t| t.end.as_ref()) {
                    remember(&[], end);
                }
            }
        }
        let mut levels = HashMap::new();
        for r in &answer.reached {
            let weaker = r
                .path_channels
                .iter()
                .any(|&c| index.certainty(c) < r.evidence);
            if !weaker || levels.contains_key(&r.evidence) {
                continue;
            }
            let q = Query {
                threshold: r.evidence,
                ..query.clone()
            };
            if let Ok((i, rq)) = q.compile(catalog) {
                let a = crate::analysis::reach::reach(&i, &rq);
                levels.insert(r.evidence, (i, q, a));
            }
        }
        AnswerWords {
            catalog,
            index,
            query,
            answer,
            ends,
            by_time,
            levels,
        }
    }

    fn is_source(&self, r: &Reached) -> bool {
        r.entity == self.answer.asked.source
    }

    /// From when `r` could have the information: `20 Sep 2016`, `always`
    /// (a source with no start), `any time` (undated contacts from such a
    /// source).
    pub fn earliest(&self, r: &Reached) -> String {
        if r.earliest.is_none() {
            return if self.is_source(r) {
                "always"
            } else {
                "any time"
            }
            .to_string();
        }
        let iso = display_earliest(self.catalog, self.index, self.query, self.answer, r);
        super::readable(self.catalog, &iso)
    }

    /// By when `r` surely had the information if the contacts it rests on
    /// happened: a date at the precision of the contact (or message time)
    /// that proves it; `date unknown` when no upper bound exists; `all
    /// along` for a source that held it before any contact; `not sure
    /// (dates overlap)` when the dates do not prove the order; with
    /// `--until`, `not sure by T`.
    pub fn surely_by(&self, r: &Reached) -> String {
        if r.timing == Timing::Possible {
            return match self.until_label() {
                Some(t) => format!("not sure by {t}"),
                None => "not sure (dates overlap)".to_string(),
            };
        }
        let Some(d) = r.definite_by else {
            let held_always = self.is_source(r)
                && self.answer.asked.start.is_none()
                && (matches!(self.query.origin, Origin::Entity(_)) || self.query.since.is_some());
            return if held_always {
                "all along"
            } else {
                "date unknown"
            }
            .to_string();
        };
        if let Some(p) = self.source_point(r, d) {
            return point_label(&p, &self.catalog.timezone(), DateStyle::Short);
        }
        match self
            .catalog
            .entity_number(&r.entity)
            .and_then(|u| self.ends.get(&(u.into(), d)))
        {
            Some(p) => point_label(p, &self.catalog.timezone(), DateStyle::Short),
            None => match self.by_time.get(&d) {
                Some(p) => point_label(p, &self.catalog.timezone(), DateStyle::Short),
                None => time_label(self.catalog, d, Precision::Second),
            },
        }
    }

    /// For the source: the point of the message's time or of `--since` that
    /// gives its definite time `d`.
    fn source_point(&self, r: &Reached, d: i64) -> Option<TimePoint> {
        if !self.is_source(r) {
            return None;
        }
        let tz = self.catalog.timezone();
        if let Some(since) = &self.query.since {
            let start = TimeExpr::parse(since, &tz).ok()?.start?;
            return (start.lo == d).then_some(start);
        }
        let Origin::Message(m) = &self.query.origin else {
            return None;
        };
        let k = self.catalog.message_number(m)?;
        let end = self.catalog.message(k).time.clone()?.end?;
        (end.hi == d).then_some(end)
    }

    /// `--until`'s time as a date, if the query has one.
    pub fn until_label(&self) -> Option<String> {
        Some(until_label(self.catalog, self.query.until.as_deref()?))
    }

    /// The contact `r`'s evidence rests on, when weaker than confirmed:
    /// `Hope Hicks → Donald Trump (forward), unknown whether it happened`.
    /// The hop of `r`'s own chain when the event is on it, else who the
    /// event connects.
    pub fn rests_on(&self, r: &Reached) -> Option<String> {
        let id = r.rests_on.as_deref()?;
        let number = self.catalog.event_number(id)?;
        if let Some(held) = self.held(number) {
            return Some(held);
        }
        let hop = r
            .path_channels
            .iter()
            .find(|&&c| self.index.event_id(c) == id)
            .map(|&c| {
                format!(
                    "{} → {}",
                    self.index.entity_name(self.index.from(c)),
                    self.index.entity_name(self.index.to(c))
                )
            });
        let e = self.catalog.event(self.catalog.event_number(id)?);
        let who = hop.unwrap_or_else(|| parties_words(self.catalog, &e.parties));
        Some(format!(
            "{who} ({}), {}",
            e.kind(),
            certainty_words(e.certainty())
        ))
    }

    /// A holding as the claim it is: `Glenn Greenwald held it by 2 Jun 2013
    /// (how it got it is not recorded), reported`; `None` for an event.
    fn held(&self, e: EventId) -> Option<String> {
        let held = holding_words(self.catalog, e)?;
        let ev = self.catalog.event(e);
        let holder = match &ev.parties {
            Parties::Directed { to, .. } => to
                .first()
                .map(|t| name_of(self.catalog, t))
                .unwrap_or_default(),
            Parties::Mutual { .. } => String::new(),
        };
        Some(format!(
            "{holder} {held}, {}",
            certainty_words(ev.certainty())
        ))
    }

    /// When the chain shown for `r` (the earliest at the question's
    /// threshold) passes through a contact weaker than `r`'s evidence: that
    /// contact, and from when `r` could have the information on contacts of
    /// its evidence level alone: `(Hope Hicks → Donald Trump (forward),
    /// unknown whether it happened, 11 Jul 2017)`.
    pub fn weaker_chain(&self, r: &Reached) -> Option<(String, String)> {
        let &c = r
            .path_channels
            .iter()
            .filter(|&&c| self.index.certainty(c) < r.evidence)
            .min_by_key(|&&c| self.index.certainty(c))?;
        let hop = match self.held(self.index.event(c)) {
            Some(held) => held,
            None => format!(
                "{} → {} ({}), {}",
                self.index.entity_name(self.index.from(c)),
                self.index.entity_name(self.index.to(c)),
                self.catalog.event(self.index.event(c)).kind(),
                certainty_words(self.index.certainty(c))
            ),
        };
        let (i, q, a) = self.levels.get(&r.evidence)?;
        let row = a.get(&r.entity)?;
        let from = match row.earliest {
            None => "any time".to_string(),
            Some(_) => super::readable(self.catalog, &display_earliest(self.catalog, i, q, a, row)),
        };
        Some((hop, from))
    }

    /// The notes under `r`'s row: what its evidence rests on, and whether
    /// the chain shown is weaker than its evidence (then from when it could
    /// have it on that evidence alone).
    pub fn notes(&self, r: &Reached) -> Vec<String> {
        let mut notes = Vec::new();
        if let Some(w) = self.rests_on(r) {
            notes.push(format!("rests on: {w}"));
        }
        if let Some((hop, from)) = self.weaker_chain(r) {
            notes.push(format!(
                "the chain shown rests on: {hop}; on {} contacts alone: from {from}",
                threshold_level_words(r.evidence)
            ));
        }
        notes
    }

    /// The names along `r`'s chain, source first: `WikiLeaks → Donald Trump
    /// Jr.`; `WikiLeaks (the source)` for the source.
    pub fn chain(&self, r: &Reached) -> String {
        if self.is_source(r) {
            return format!("{} (the source)", r.name);
        }
        let hops = r.hops(self.index);
        let mut out = String::new();
        for (i, hop) in hops.iter().enumerate() {
            let to_name = self.index.entity_name(hop.to);
            match holding_words(self.catalog, self.index.event(hop.channel)) {
                // The holding stands for the hop: no hand-over is claimed.
                Some(held) => {
                    if i > 0 {
                        out.push_str(" → ");
                    }
                    out.push_str(&format!("{to_name} {held}"));
                }
                None => {
                    if i == 0 {
                        out.push_str(self.index.entity_name(hop.from));
                    }
                    out.push_str(" → ");
                    out.push_str(to_name);
                }
            }
        }
        out
    }

    /// The question's conditions, one line each: mode and threshold (and
    /// strictness, `--until`), then the assumption and the time zone.
    pub fn conditions(&self) -> [String; 2] {
        let mut first = format!(
            "{}; {}",
            mode_words(self.answer.asked.mode, self.answer.asked.message.as_deref()),
            threshold_words(self.answer.asked.threshold)
        );
        if self.answer.asked.strict {
            first.push_str("; strict: each hop at least a second after its sender had it");
        }
        if let Some(t) = self.until_label() {
            first.push_str(&format!("; by {t}"));
        }
        [
            first,
            format!(
                "assuming the listed contacts happened; {}",
                zone_words(self.catalog)
            ),
        ]
    }

    /// The source and where the information starts: `message "pac-tip"
    /// from WikiLeaks`, `anything WikiLeaks knew from 20 Sep 2016`.
    pub fn what(&self) -> String {
        let source = name_of(self.catalog, &self.answer.asked.source);
        match &self.answer.asked.message {
            Some(m) => format!("message \"{m}\" from {source}"),
            None => match self.query.since.as_deref() {
                Some(since) => {
                    let tz = self.catalog.timezone();
                    let when = TimeExpr::parse(since, &tz)
                        .map(|t| date_label(Some(&t), &tz, DateStyle::Short))
                        .unwrap_or_else(|_| since.to_string());
                    format!("anything {source} knew from {when}")
                }
                None => format!("anything {source} knew"),
            },
        }
    }
}

/// When `id` surely held it in `a`: its definite time, or, for a source
/// with no start (held before any date), the first second.
pub(crate) fn definite_at(a: &crate::analysis::reach::ReachAnswer, id: &str) -> Option<i64> {
    a.get(id).and_then(|t| {
        let all_along = t.timing == crate::analysis::reach::Timing::Definite
            && t.earliest.is_none()
            && a.asked.start.is_none()
            && t.entity == a.asked.source;
        if all_along {
            Some(crate::model::time::MIN_SECOND)
        } else {
            t.definite_by
        }
    })
}
