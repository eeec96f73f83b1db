//! One HTML file for an article: the finding without JavaScript (a title, a
//! one-sentence finding, the picture as inline SVG, a table of who could
//! have seen it in the command line's words), and for readers who dig a
//! card per person and contact and a time slider that replays the spread.
//!
//! Nothing is fetched: the style and the script are inline, hashed into the
//! page's own Content-Security-Policy; every text from the story is escaped
//! for its context ([`crate::escape`]); the picture's groups carry the contract's
//! `data-entity` and `data-event` attributes (`annotate.rs`). The contract is
//! documented in `docs/embed.md`.
//!
//! # Example
//! ```
//! # #[cfg(feature = "svg")] {
//! use grapevine::render::{html, Page};
//! use grapevine::render::{Engine, Focus, Look};
//! use grapevine::{load_path, Query, StoryCatalog};
//! let story = load_path("graphs/trump-jr-wikileaks.json".as_ref()).unwrap().story;
//! let catalog = StoryCatalog::new(&story);
//! let query = Query::message("pac-tip");
//! let focus = Focus::reach(&catalog, &query).unwrap();
//! let page = Page {
//!     catalog: &catalog,
//!     query: Some(&query),
//!     story: &story,
//!     focus: &focus,
//!     engine: Engine::InProcess,
//!     look: Look::default(),
//! };
//! let out = html(&page).unwrap();
//! assert!(out.contains("<input type=\"range\" id=\"gv-time\""));
//! # }
//! ```

pub(crate) mod annotate;
pub mod csp;

use std::collections::BTreeSet;

use serde_json::{json, Value};

use super::words::{certainty_words, event_date, parties_words, zone_words, AnswerWords};
use super::{draw_svg, name_of, Engine, Fit, Focus, Look};
use crate::analysis::reach::{reach, ReachAnswer, Reached};
use crate::analysis::{Origin, Query};
use crate::catalog::Catalog;
use crate::escape;
use crate::model::{Certainty, EntityKind, Story, TimeExpr};
use crate::Error;

/// The page's style sheet.
pub const CSS: &str = include_str!("embed.css");
/// The page's script.
pub const JS: &str = include_str!("embed.js");
/// The script an article page runs beside the iframe of `--embed-snippet`:
/// it sets the iframe's height to the one the page posts.
pub const RESIZER: &str = include_str!("resizer.js");

/// The largest page the bundled story may give, in bytes (`docs/embed.md`).
pub const SIZE_BUDGET: usize = 250 * 1024;

/// What a page shows.
pub struct Page<'a> {
    /// The whole story, for the answer's words.
    pub catalog: &'a dyn Catalog,
    /// The reach question the picture answers (`None`: a picture with no
    /// answer: no table, no slider).
    pub query: Option<&'a Query>,
    /// What is drawn (the excerpt the focus keeps).
    pub story: &'a Story,
    /// The focus of the picture.
    pub focus: &'a Focus,
    /// Who lays the picture out.
    pub engine: Engine,
    /// How it is drawn: the page holds the phone picture and, unless the fit
    /// is the phone, this fit's picture, and shows the one that suits its
    /// width.
    pub look: Look,
}

/// The Content-Security-Policy the page carries: nothing but its own inline
/// script and style, by hash.
pub fn csp() -> String {
    format!(
        "default-src 'none'; script-src {}; style-src {}; img-src 'none'; base-uri 'none'; form-action 'none'",
        csp::csp_hash(JS),
        csp::csp_hash(CSS)
    )
}

/// One reached entity's row and its times for the slider.
struct Row {
    id: String,
    name: String,
    cells: [String; 5],
    notes: Vec<String>,
    earliest: Option<i64>,
    /// Definite by then on a confirmed chain: the same question at
    /// threshold confirmed (the only "surely" a reader is told).
    surely: Option<i64>,
    /// Definite by then at the question's threshold (had it by then if the
    /// contacts it rests on happened).
    claimed: Option<i64>,
}

/// The answer's words and times.
struct Answer {
    what: String,
    conditions: [String; 2],
    rows: Vec<Row>,
    not_reached: Vec<String>,
    finding: String,
    until: Option<i64>,
}

/// The whole HTML file for `page`.
///
/// Errors: those of drawing the picture, and of the query (an unknown
/// message or entity).
pub fn html(page: &Page) -> Result<String, Error> {
    let title = page
        .catalog
        .title()
        .map(super::clean)
        .filter(|t| !t.is_empty())
        .unwrap_or_else(|| "Untitled story".to_string());
    let answer = match page.query {
        Some(q) => Some(answer(page, q)?),
        None => None,
    };
    let fits: Vec<Fit> = if page.look.fit == Fit::Phone {
        vec![Fit::Phone]
    } else {
        vec![Fit::Phone, page.look.fit]
    };
    let mut pictures = String::new();
    for fit in fits {
        let look = Look {
            fit,
            max_width: None,
            credits: false,
            ..page.look
        };
        let svg = draw_svg(page.story, page.focus, page.engine, &look)?;
        pictures.push_str(&annotate::annotate(&svg, page.story, fit.name())?);
        pictures.push('\n');
    }
    let finding = match &answer {
        Some(a) => a.finding.clone(),
        None => super::alt_text(page.story, page.focus),
    };
    let data = escape::script_json(&data(page, answer.as_ref()));
    let e = escape::html_text;
    let mut out = String::with_capacity(64 * 1024);
    out.push_str(&format!(
        "<!doctype html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
         <meta http-equiv=\"Content-Security-Policy\" content=\"{}\">\n\
         <meta name=\"generator\" content=\"grapevine {}\">\n\
         <title>{}</title>\n<style>{CSS}</style>\n</head>\n<body>\n",
        escape::html_attr(&csp()),
        env!("CARGO_PKG_VERSION"),
        e(&title)
    ));
    out.push_str("<article class=\"gv-embed\" id=\"gv-root\">\n");
    out.push_str(&format!("<h2 class=\"gv-title\">{}</h2>\n", e(&title)));
    out.push_str(&format!("<p class=\"gv-finding\">{}</p>\n", e(&finding)));
    if let Some(h) = &page.focus.heading {
        out.push_str(&format!("<p class=\"gv-heading\">{}</p>\n", e(h)));
    }
    if answer.as_ref().is_some_and(|a| !a.rows.is_empty()) {
        out.push_str(CONTROLS);
    }
    out.push_str("<figure class=\"gv-figure\">\n");
    out.push_str(&pictures);
    out.push_str(CARD);
    out.push_str("</figure>\n");
    if let Some(a) = &answer {
        out.push_str(&table(a));
    }
    out.push_str(&sources(&page.story.sources));
    out.push_str("</article>\n");
    out.push_str(&format!(
        "<script type=\"application/json\" id=\"gv-data\">{data}</script>\n<script>{JS}</script>\n</body>\n</html>\n"
    ));
    Ok(out)
}

/// The slider and its buttons, shown by the script (without it they could
/// do nothing).
const CONTROLS: &str = "<div class=\"gv-controls\" hidden>\n\
<button type=\"button\" class=\"gv-play\" aria-pressed=\"false\">Play</button>\n\
<label class=\"gv-time-label\" for=\"gv-time\">Date</label>\n\
<input type=\"range\" id=\"gv-time\" min=\"0\" max=\"0\" step=\"1\" value=\"0\">\n\
<output class=\"gv-date\" for=\"gv-time\"></output>\n\
<p class=\"gv-markers\" hidden></p>\n\
<p class=\"gv-legend\"><span class=\"gv-swatch gv-swatch-surely\"></span>surely had it \
<span class=\"gv-swatch gv-swatch-claimed\"></span>had it if the contacts reported happened \
<span class=\"gv-swatch gv-swatch-possible\"></span>could have seen it \
<span class=\"gv-swatch gv-swatch-unreached\"></span>not yet</p>\n\
<p class=\"gv-live\" aria-live=\"polite\"></p>\n\
</div>\n";

/// The card a person or contact opens, filled in by the script.
const CARD: &str =
    "<div class=\"gv-card\" role=\"dialog\" aria-labelledby=\"gv-card-title\" hidden>\n\
<button type=\"button\" class=\"gv-card-close\" aria-label=\"Close\">×</button>\n\
<p class=\"gv-card-title\" id=\"gv-card-title\"></p>\n\
<dl class=\"gv-card-facts\"></dl>\n\
<blockquote class=\"gv-card-quote\" hidden></blockquote>\n\
<a class=\"gv-card-link\" target=\"_blank\" rel=\"noopener noreferrer\" hidden></a>\n\
</div>\n";

/// The table's column headers: the command line's, in words for readers.
const HEADERS: [&str; 6] = [
    "Who",
    "Could have it from",
    "Had it by",
    "Evidence",
    "Resting on",
    "Through whom",
];

fn table(a: &Answer) -> String {
    let e = escape::html_text;
    let mut out = String::from("<div class=\"gv-table-wrap\">\n<table class=\"gv-table\">\n");
    out.push_str(&format!(
        "<caption>Who could have seen {}</caption>\n<thead><tr>",
        e(&a.what)
    ));
    for h in HEADERS {
        out.push_str(&format!("<th scope=\"col\">{h}</th>"));
    }
    out.push_str("</tr></thead>\n<tbody>\n");
    for r in &a.rows {
        out.push_str(&format!(
            "<tr data-entity=\"{}\"><th scope=\"row\" data-label=\"{}\">{}</th>",
            escape::html_attr(&r.id),
            HEADERS[0],
            e(&r.name)
        ));
        let [from, by, evidence, chain, _] = &r.cells;
        let rests = if r.notes.is_empty() {
            "—".to_string()
        } else {
            r.notes
                .iter()
                .map(|n| e(n))
                .collect::<Vec<_>>()
                .join("<br>")
        };
        for (k, cell) in [e(from), e(by), e(evidence), rests, e(chain)]
            .iter()
            .enumerate()
        {
            out.push_str(&format!(
                "<td data-label=\"{}\">{cell}</td>",
                HEADERS[k + 1]
            ));
        }
        out.push_str("</tr>\n");
    }
    out.push_str("</tbody>\n</table>\n</div>\n");
    let names = &a.not_reached;
    let line = if names.is_empty() {
        "Everyone is reached.".to_string()
    } else {
        format!("Not reached ({}): {}", names.len(), names.join(", "))
    };
    out.push_str(&format!("<p class=\"gv-not-reached\">{}</p>\n", e(&line)));
    out.push_str(&format!(
        "<p class=\"gv-conditions\">{}<br>{}</p>\n",
        e(&a.conditions[0]),
        e(&a.conditions[1])
    ));
    out
}

/// The page's one list of sources: those of what it shows (the story
/// drawn, an excerpt of the focus).
fn sources(shown: &[crate::model::Source]) -> String {
    let e = escape::html_text;
    let mut items = Vec::new();
    for s in shown {
        let name = super::plan::source_name(s);
        items.push(match s.url.as_deref().and_then(super::plan::safe_url) {
            Some(u) => format!(
                "<a href=\"{}\" target=\"_blank\" rel=\"noopener noreferrer\">{}</a>",
                escape::html_attr(&u),
                e(&name)
            ),
            None => e(&name),
        });
    }
    if items.is_empty() {
        return String::new();
    }
    format!(
        "<p class=\"gv-sources\">{}: {}</p>\n",
        if items.len() == 1 {
            "Source"
        } else {
            "Sources"
        },
        items.join("; ")
    )
}

/// The answer to `query` in the command line's words, its rows limited to
/// the entities the picture marks as reached.
fn answer(page: &Page, query: &Query) -> Result<Answer, Error> {
    let catalog = page.catalog;
    let (index, rq) = query.compile(catalog)?;
    let answer = reach(&index, &rq);
    let words = AnswerWords::new(catalog, &index, query, &answer);
    // The times for the slider: the answer with no end (an entity is
    // reached by T when its earliest is at most T, surely when its definite
    // time is), then kept to the end asked for.
    let open = Query {
        until: None,
        ..query.clone()
    };
    let (open_index, open_rq) = open.compile(catalog)?;
    let open_answer = reach(&open_index, &open_rq);
    // "Surely" only on a confirmed chain: the same question at confirmed.
    let sure = Query {
        threshold: crate::model::Certainty::Confirmed,
        ..open.clone()
    };
    let (sure_index, sure_rq) = sure.compile(catalog)?;
    let sure_answer = reach(&sure_index, &sure_rq);
    // Definite by: its definite_by, or (a source with no start, definite
    // all along) the first second.
    // (A source with no start counts as held before any date, whatever the
    // message's end, as `reach --until` counts it.)
    let definite = super::words::definite_at;
    let drawn: Option<BTreeSet<&String>> = page
        .focus
        .highlight
        .as_ref()
        .map(|h| h.reached.keys().collect());
    let mut rows = Vec::new();
    for r in &answer.reached {
        if drawn.as_ref().is_some_and(|d| !d.contains(&r.entity)) {
            continue;
        }
        let times = open_answer.get(&r.entity);
        // The source with no start held it all along: definite by any
        // date (its `definite_by` is null), so from the first.
        let surely = definite(&sure_answer, &r.entity);
        let claimed = definite(&open_answer, &r.entity);
        rows.push(Row {
            id: r.entity.clone(),
            name: super::clean(&r.name),
            cells: [
                reader_earliest(words.earliest(r)),
                had_it_by(words.surely_by(r), r, surely, claimed),
                r.evidence.to_string(),
                words.chain(r),
                String::new(),
            ],
            // The column says "resting on": its notes without that word.
            notes: words
                .notes(r)
                .into_iter()
                .map(|n| {
                    n.strip_prefix("rests on: ")
                        .map_or(n.clone(), str::to_string)
                })
                .collect(),
            earliest: times.and_then(|t| t.earliest),
            surely,
            claimed,
        });
    }
    let not_reached: Vec<String> = answer
        .not_reached
        .iter()
        .map(|id| name_of(catalog, id))
        .collect();
    let tz = catalog.timezone();
    let until = query
        .until
        .as_deref()
        .and_then(|u| TimeExpr::parse(u, &tz).ok())
        .map(|t| t.interval().hi_or_max());
    let what = match &answer.asked.message {
        Some(m) => message_words(
            catalog,
            m,
            &super::clean(&name_of(catalog, &answer.asked.source)),
        ),
        None => words.what(),
    };
    Ok(Answer {
        what,
        conditions: words.conditions(),
        finding: finding(catalog, query, &answer, &words),
        rows,
        not_reached,
        until,
    })
}

/// "Could have it from" for readers: a source with no start held it
/// before any recorded contact (the command line's `always`).
fn reader_earliest(from: String) -> String {
    if from == "always" {
        "before any recorded contact".to_string()
    } else {
        from
    }
}

/// "Had it by" for readers: the date alone only when a confirmed chain
/// makes it sure by then (`surely`); otherwise said as the condition it
/// is ("Sep 2019, if the alleged contacts happened").
fn had_it_by(by: String, r: &Reached, surely: Option<i64>, claimed: Option<i64>) -> String {
    match (surely, claimed) {
        (_, None) => by,
        (Some(s), Some(c)) if s <= c => by,
        _ => {
            let which = match r.evidence {
                Certainty::Unknown => "contacts of unknown occurrence",
                Certainty::Alleged => "alleged contacts",
                _ => "reported contacts",
            };
            format!("{by}, if the {which} happened")
        }
    }
}

/// Possessive: `WikiLeaks’`, `Donald Trump’s`.
fn possessive(name: &str) -> String {
    if name.ends_with('s') {
        format!("{name}’")
    } else {
        format!("{name}’s")
    }
}

fn join(names: &[String]) -> String {
    super::style::join_names(names)
}

/// A message as readers are told of it: its title in quotation marks, else
/// "SOURCE’s message" with its date when it has one day or moment.
fn message_words(catalog: &dyn Catalog, m: &str, source: &str) -> String {
    let Some(msg) = catalog.message_number(m).map(|k| catalog.message(k)) else {
        return format!("{} message", possessive(source));
    };
    if let Some(t) = msg
        .title
        .as_deref()
        .map(super::clean)
        .filter(|t| !t.is_empty())
    {
        return format!("“{t}”");
    }
    match msg
        .time
        .as_ref()
        .filter(|t| !t.is_range && t.start.is_some())
    {
        Some(t) => format!(
            "{} message of {}",
            possessive(source),
            event_date(catalog, Some(t))
        ),
        None => format!("{} message", possessive(source)),
    }
}

/// The finding in one sentence: how many could have seen it, and what the
/// weakest links rest on: "8 people and 4 organisations or groups could
/// have seen WikiLeaks’ 20 Sep 2016 message; the link to Donald Trump rests
/// on a contact whose occurrence is unknown."
fn finding(
    catalog: &dyn Catalog,
    query: &Query,
    answer: &ReachAnswer,
    words: &AnswerWords,
) -> String {
    let source = super::clean(&name_of(catalog, &answer.asked.source));
    let others: Vec<_> = answer
        .reached
        .iter()
        .filter(|r| r.entity != answer.asked.source)
        .collect();
    let kind = |id: &str| {
        catalog
            .entity_number(id)
            .map_or(EntityKind::Other, |u| catalog.entity_kind(u))
    };
    let count =
        |n: usize, one: &str, many: &str| format!("{n} {}", if n == 1 { one } else { many });
    // People, organisations and groups counted as what they are.
    let counts: Vec<String> = [
        (EntityKind::Person, "person", "people"),
        (EntityKind::Organisation, "organisation", "organisations"),
        (EntityKind::Group, "group", "groups"),
        (EntityKind::Other, "other entity", "other entities"),
    ]
    .iter()
    .filter_map(|(k, one, many)| {
        let n = others.iter().filter(|r| kind(&r.entity) == *k).count();
        (n > 0).then(|| count(n, one, many))
    })
    .collect();
    let who = if counts.is_empty() {
        "No one else".to_string()
    } else {
        join(&counts)
    };
    let what = match (&answer.asked.message, &query.origin) {
        (Some(m), _) => message_words(catalog, m, &source),
        (None, Origin::Entity(_)) | (None, Origin::Message(_)) => {
            words.what().replacen("anything", "what", 1)
        }
    };
    let by = words
        .until_label()
        .map(|t| format!(" by {t}"))
        .unwrap_or_default();
    let mut s = format!("{who} could have seen {what}{by}");
    let names = |level: Certainty| -> Vec<String> {
        others
            .iter()
            .filter(|r| r.evidence == level)
            .map(|r| super::clean(&r.name))
            .collect()
    };
    let shown = |mut n: Vec<String>| {
        if n.len() > 4 {
            let more = n.len() - 3;
            n.truncate(3);
            n.push(format!("{more} more"));
        }
        join(&n)
    };
    let unknown = names(Certainty::Unknown);
    let alleged = names(Certainty::Alleged);
    if others.is_empty() {
        s.push_str(": no recorded contact passes it on");
    } else if !unknown.is_empty() {
        let many = unknown.len() > 1;
        s.push_str(&format!(
            "; the link{} to {} rest{} on {} whose occurrence is unknown",
            if many { "s" } else { "" },
            shown(unknown),
            if many { "" } else { "s" },
            if many { "contacts" } else { "a contact" }
        ));
    } else if !alleged.is_empty() {
        let many = alleged.len() > 1;
        s.push_str(&format!(
            "; the link{} to {} rest{} on {}",
            if many { "s" } else { "" },
            shown(alleged),
            if many { "" } else { "s" },
            if many {
                "alleged contacts"
            } else {
                "an alleged contact"
            }
        ));
    } else if others.iter().all(|r| r.evidence == Certainty::Confirmed) {
        s.push_str("; every link is confirmed");
    }
    s.push('.');
    s
}

/// The data the script reads: the people and contacts of the cards, the
/// times of the slider.
fn data(page: &Page, answer: Option<&Answer>) -> Value {
    let catalog = page.catalog;
    let story = page.story;
    let mut lows: Vec<i64> = Vec::new();
    let mut highs: Vec<i64> = Vec::new();
    let mut events = Vec::new();
    for e in &story.events {
        let c = super::plan::cited(
            story,
            &e.sources,
            e.quote.as_deref().or(e.summary.as_deref()),
        );
        let iv = e.interval();
        lows.extend(iv.lo);
        highs.extend(iv.hi.or(iv.lo));
        events.push(json!({
            "id": e.id,
            "title": format!("{} ({})", parties_words(catalog, &e.parties), super::clean(e.kind())),
            "date": event_date(catalog, e.time.as_ref()),
            "certainty": certainty_words(e.certainty()),
            "quote": c.quote.as_deref().map(|q| super::plan::shorten(q, 600)),
            "source": c.source.as_deref().map(super::clean),
            "url": c.url,
            "lo": iv.lo,
            "hi": iv.hi,
        }));
    }
    let mut entities = Vec::new();
    let rows = answer.map(|a| a.rows.as_slice()).unwrap_or_default();
    for e in &story.entities {
        let row = rows.iter().find(|r| r.id == e.id);
        let kind = super::style::kind_style(e.kind()).word;
        let mut v = json!({
            "id": e.id,
            "name": super::clean(&e.name),
            "kind": kind,
            "description": e.description.as_deref().map(|d| super::plan::shorten(d, 400)),
            "url": e.url.as_deref().and_then(super::plan::safe_url),
            "reached": row.is_some(),
        });
        if let Some(r) = row {
            lows.extend(r.earliest);
            // (A source surely holding it all along sets no stop of its own.)
            let all_along = crate::model::time::MIN_SECOND;
            highs.extend(
                r.earliest
                    .iter()
                    .chain(r.surely.iter().filter(|&&t| t != all_along))
                    .chain(r.claimed.iter().filter(|&&t| t != all_along)),
            );
            v["earliest"] = json!(r.earliest);
            v["surely"] = json!(r.surely);
            v["claimed"] = json!(r.claimed);
            v["from"] = json!(r.cells[0]);
            v["by"] = json!(r.cells[1]);
            v["evidence"] = json!(r.cells[2]);
            v["chain"] = json!(r.cells[3]);
            v["rests_on"] = json!(r.notes.join("; "));
        }
        entities.push(v);
    }
    let time = match (answer, lows.iter().min(), highs.iter().max()) {
        (Some(a), Some(&lo), Some(&hi)) if !a.rows.is_empty() => {
            let min = lo.saturating_sub(86_400);
            let max = a.until.map_or(hi, |u| u.min(hi.max(lo))).max(min + 1);
            let mut stops: BTreeSet<i64> = BTreeSet::new();
            stops.insert(min);
            stops.insert(max);
            for t in lows.iter().chain(&highs) {
                if (min..=max).contains(t) {
                    stops.insert(*t);
                }
            }
            let marks = markers(catalog, min, max);
            stops.extend(marks.iter().filter_map(|m| m["t"].as_i64()));
            json!({
                "min": min,
                "max": max,
                "stops": stops.into_iter().collect::<Vec<_>>(),
                "markers": marks,
            })
        }
        _ => Value::Null,
    };
    json!({
        "version": 1,
        "zone": catalog.timezone_name().unwrap_or("UTC"),
        "zone_words": zone_words(catalog),
        "time": time,
        "entities": entities,
        "events": events,
    })
}

/// The story's markers within the slider's range, in time order, each at
/// its first second: `{label, t, date}` (the label as written, cleaned;
/// the script puts it in text nodes only).
fn markers(catalog: &dyn Catalog, min: i64, max: i64) -> Vec<Value> {
    let mut marks: Vec<(i64, Value)> = catalog
        .markers()
        .iter()
        .filter_map(|m| {
            let t = m.time.as_ref()?;
            let lo = t.interval().lo?;
            (min..=max).contains(&lo).then(|| {
                (
                    lo,
                    json!({
                        "label": super::clean(&m.label),
                        "t": lo,
                        "date": event_date(catalog, Some(t)),
                    }),
                )
            })
        })
        .collect();
    marks.sort_by_key(|(t, _)| *t);
    marks.into_iter().map(|(_, v)| v).collect()
}

/// The lines `--embed-snippet` prints for an article page: an `<iframe>` of
/// the page at `src` titled `title`, and the script that sizes it to the
/// height the page posts (`{type: "grapevine:height", height}`), checking
/// that the message comes from that iframe.
pub fn embed_snippet(src: &str, title: &str) -> String {
    format!(
        "<iframe src=\"{}\" title=\"{}\" class=\"grapevine-embed\" width=\"100%\" height=\"720\" \
         style=\"width:100%;border:0;display:block\" loading=\"lazy\" \
         sandbox=\"allow-scripts allow-popups allow-popups-to-escape-sandbox\"></iframe>\n\
         <script>{}</script>\n",
        escape::html_attr(src),
        escape::html_attr(title),
        RESIZER.trim()
    )
}

/// Whether `src` may be the iframe's address: a relative path or an
/// http(s) URL, with nothing that would end the attribute or run script.
pub fn snippet_src_ok(src: &str) -> bool {
    let lower = src.trim().to_ascii_lowercase();
    let scheme = lower
        .split_once(':')
        .map(|(s, _)| s)
        .filter(|s| !s.contains('/'));
    let scheme_ok = matches!(scheme, None | Some("http") | Some("https"));
    scheme_ok
        && !src.is_empty()
        && src.chars().all(|c| {
            !c.is_control() && !c.is_whitespace() && !matches!(c, '"' | '<' | '>' | '\'' | '`')
        })
}
