//! Saving loses nothing: random valid stories (hostile ids and text, every
//! time form, unknown fields with odd numbers at every level) survive
//! save → load unchanged, whatever the layout of the file they were read
//! from; the canonical writer is idempotent; and `grapevine fmt` keeps
//! unknown fields and number text exactly and leaves the bundled story alone.

use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use grapevine::internals::io::parse_json;
use grapevine::internals::model::{
    Citation, EmptyLists, Extra, ListField, Parties, Relation, Source,
};
use grapevine::internals::model::{Member, Node, Value};
use grapevine::{load_bytes, to_json, Certainty, Entity, Event, Message, Story, TimeExpr};
use proptest::prelude::*;
use proptest::sample::Index;

// ---- Strategies: the pieces of a story.

/// Text a user could write anywhere: quotes, backslashes, line breaks,
/// markup, direction marks, emoji, invisible and control characters.
const HOSTILE: &[&str] = &[
    "",
    "say \"hi\"",
    "C:\\Users\\alice\\",
    "line\nbreak\r\nand\ttab",
    "</script><script>alert(1)</script>",
    "\u{202e}override\u{202c} and \u{200f}mark\u{200e}",
    "family 👩\u{200d}👩\u{200d}👧 flag 🇺🇸 ❤\u{fe0f}",
    "no\u{a0}break\u{2028}separator\u{2029}",
    "\u{feff}bom and \u{200b}zero width",
    "nul \u{0} bell \u{7} del \u{7f} next \u{85}",
    "  padded  ",
    "Zoë Ångström 日本語 العربية",
    "{\"not\": \"json\"}",
    "\\u0041 is not an escape here",
];

/// `s` without Unicode noncharacters (U+FFFF, ...), which the reader
/// refuses (`hostile_story::noncharacters_are_located_errors`).
fn text_only(s: String) -> String {
    s.chars()
        .filter(|&c| !grapevine::internals::model::is_noncharacter(c))
        .collect()
}

fn text() -> impl Strategy<Value = String> {
    prop_oneof![
        3 => "[A-Za-z][a-z ,.'-]{0,20}",
        2 => prop::sample::select(HOSTILE).prop_map(String::from),
        1 => any::<String>().prop_map(text_only),
        1 => prop::collection::vec(any::<char>(), 0..12).prop_map(|v| text_only(v.into_iter().collect())),
    ]
}

fn usable_id(s: &str) -> bool {
    !s.is_empty() && !s.chars().any(char::is_control) && s.trim() == s
}

fn id() -> impl Strategy<Value = String> {
    prop_oneof![
        4 => "[a-z][a-z0-9-]{0,10}",
        2 => prop::sample::select(vec![
            "alice@example.com",
            "Zoë",
            "say \"hi\"",
            "back\\slash",
            "日本語",
            "emoji 😀",
            "two words",
            "</script>",
            "x\u{200f}y",
            "@WikiLeaks",
            "{}",
            "null",
            "\\u0041",
            "a/b",
        ])
        .prop_map(String::from),
        1 => any::<String>().prop_map(text_only).prop_filter("a usable id", |s| usable_id(s)),
    ]
}

/// Key for an unknown field (filtered against the known ones later).
fn key() -> impl Strategy<Value = String> {
    prop_oneof![
        3 => "x-[a-z]{1,8}",
        1 => prop::sample::select(vec!["", "id ", "ID", "Name", "format ", "\"", "\\", "\n", "😀"])
            .prop_map(String::from),
        1 => any::<String>().prop_map(text_only),
    ]
}

const NUMBERS: &[&str] = &[
    "0",
    "-0",
    "1.50",
    "1e6",
    "1E+6",
    "-12.5e-3",
    "123456789012345678901234567890",
    "0.1",
    "-7",
    "2016",
];

fn node(value: Value) -> Node {
    Node { value, span: 0..0 }
}

fn members(pairs: Vec<(String, Value)>) -> Vec<Member> {
    let mut seen = std::collections::HashSet::new();
    pairs
        .into_iter()
        .filter(|(k, _)| seen.insert(k.clone()))
        .map(|(key, value)| Member {
            key,
            key_span: 0..0,
            node: node(value),
        })
        .collect()
}

fn json_value() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        prop::sample::select(NUMBERS).prop_map(|n| Value::Number(n.to_string())),
        text().prop_map(Value::String),
    ];
    leaf.prop_recursive(3, 24, 4, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..4)
                .prop_map(|v| Value::Array(v.into_iter().map(node).collect())),
            prop::collection::vec((key(), inner), 0..4).prop_map(|m| Value::Object(members(m))),
        ]
    })
}

/// Unknown fields for an object whose format 1 fields are `known`.
fn extra(known: &'static [&'static str]) -> impl Strategy<Value = Extra> {
    prop_oneof![
        2 => Just(Vec::new()),
        1 => prop::collection::vec((key(), json_value()), 1..3),
    ]
    .prop_map(move |pairs| {
        let mut seen = std::collections::HashSet::new();
        pairs
            .into_iter()
            .filter(|(k, _)| !known.contains(&k.as_str()) && seen.insert(k.clone()))
            .collect()
    })
}

const TOP: &[&str] = &[
    "format",
    "title",
    "summary",
    "timezone",
    "sources",
    "entities",
    "messages",
    "events",
    "relations",
];
const SOURCE: &[&str] = &["id", "title", "publisher", "author", "published", "url"];
const ENTITY: &[&str] = &[
    "id",
    "name",
    "kind",
    "aliases",
    "description",
    "tags",
    "url",
];
const MESSAGE: &[&str] = &["id", "title", "text", "origin", "time", "sources"];
const EVENT: &[&str] = &[
    "id",
    "kind",
    "from",
    "to",
    "participants",
    "time",
    "certainty",
    "carries",
    "summary",
    "quote",
    "sources",
];
const RELATION: &[&str] = &[
    "id",
    "kind",
    "from",
    "to",
    "label",
    "time",
    "certainty",
    "sources",
];
const CITATION: &[&str] = &["source", "quote", "locator"];

fn days_in_month(y: i32, m: u32) -> u32 {
    match m {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        _ if (y % 4 == 0 && y % 100 != 0) || y % 400 == 0 => 29,
        _ => 28,
    }
}

/// One end of a time: every precision, offsets, `~` `?` `%` flags.
fn point() -> impl Strategy<Value = String> {
    (
        1990i32..2031,
        1u32..=12,
        any::<Index>(),
        0usize..5,
        (0u32..24, 0u32..60, 0u32..60),
        prop::sample::select(vec![
            "", "", "Z", "+05:30", "-04:00", "+0100", "-03", "+13:45",
        ]),
        prop::sample::select(vec!["", "", "", "~", "?", "%"]),
    )
        .prop_map(|(y, m, d, precision, (h, mi, s), offset, flag)| {
            let d = d.index(days_in_month(y, m) as usize) + 1;
            let body = match precision {
                0 => format!("{y}"),
                1 => format!("{y}-{m:02}"),
                2 => format!("{y}-{m:02}-{d:02}"),
                3 => format!("{y}-{m:02}-{d:02}T{h:02}:{mi:02}{offset}"),
                _ => format!("{y}-{m:02}-{d:02}T{h:02}:{mi:02}:{s:02}{offset}"),
            };
            format!("{body}{flag}")
        })
}

/// A time expression as written: a point, `A/B`, `A/..` or `../B`.
fn time_text() -> impl Strategy<Value = String> {
    prop_oneof![
        3 => point(),
        2 => (point(), point()).prop_map(|(a, b)| format!("{a}/{b}")),
        1 => point().prop_map(|a| format!("{a}/..")),
        1 => point().prop_map(|b| format!("../{b}")),
    ]
}

/// The expression in the story's zone; an interval whose ends came out in
/// the wrong order is swapped.
fn time(text: Option<String>, tz: &jiff::tz::TimeZone) -> Option<TimeExpr> {
    let text = text?;
    TimeExpr::parse(&text, tz).ok().or_else(|| {
        let (a, b) = text.split_once('/')?;
        TimeExpr::parse(&format!("{b}/{a}"), tz).ok()
    })
}

#[derive(Debug, Clone)]
enum CitePlan {
    Id(Index),
    Full(Index, Option<String>, Option<String>, Extra),
}

fn cite_plans() -> impl Strategy<Value = Vec<CitePlan>> {
    prop::collection::vec(
        prop_oneof![
            any::<Index>().prop_map(CitePlan::Id),
            (
                any::<Index>(),
                prop::option::of(text()),
                prop::option::of(text()),
                extra(CITATION)
            )
                .prop_map(|(i, q, l, x)| CitePlan::Full(i, q, l, x)),
        ],
        0..3,
    )
}

fn citations(plans: &[CitePlan], sources: &[String]) -> Vec<Citation> {
    if sources.is_empty() {
        return Vec::new();
    }
    plans
        .iter()
        .map(|p| match p {
            CitePlan::Id(i) => Citation::Id(i.get(sources).clone()),
            CitePlan::Full(i, quote, locator, extra) => Citation::Full {
                source: i.get(sources).clone(),
                quote: quote.clone(),
                locator: locator.clone(),
                // Written true, written false, or left out.
                paraphrase: match quote.as_ref().map(|q| q.len() % 3) {
                    Some(0) => Some(true),
                    Some(1) => Some(false),
                    _ => None,
                },
                // Graded 1 to 6, or not graded.
                credibility: locator
                    .as_ref()
                    .and_then(|l| grapevine::Credibility::new((l.len() % 8) as u8)),
                extra: extra.clone(),
            },
        })
        .collect()
}

type EntityPlan = (
    String,
    Option<&'static str>,
    Vec<String>,
    Option<String>,
    Vec<String>,
    Option<String>,
    Extra,
    u8,
);

fn entity_plan() -> impl Strategy<Value = EntityPlan> {
    (
        text(),
        prop::option::of(prop::sample::select(vec![
            "person",
            "organisation",
            "organization",
            "group",
            "other",
        ])),
        prop::collection::vec(text(), 0..3),
        prop::option::of(text()),
        prop::collection::vec(text(), 0..3),
        prop::option::of(text()),
        extra(ENTITY),
        any::<u8>(),
    )
}

type SourcePlan = (
    Option<String>,
    Option<String>,
    Option<String>,
    Option<String>,
    Option<String>,
    Extra,
);

fn source_plan() -> impl Strategy<Value = SourcePlan> {
    (
        prop::option::of(text()),
        prop::option::of(text()),
        prop::option::of(text()),
        prop::option::of(time_text()),
        prop::option::of(text()),
        extra(SOURCE),
    )
}

type MessagePlan = (
    Option<String>,
    Option<String>,
    Option<Index>,
    Option<String>,
    Vec<CitePlan>,
    Extra,
    u8,
);

fn message_plan() -> impl Strategy<Value = MessagePlan> {
    (
        prop::option::of(text()),
        prop::option::of(text()),
        prop::option::of(any::<Index>()),
        prop::option::of(time_text()),
        cite_plans(),
        extra(MESSAGE),
        any::<u8>(),
    )
}

/// Who an event connects: directed (from, to, written as an array) or mutual.
#[derive(Debug, Clone)]
enum PartiesPlan {
    Directed(Index, Vec<Index>, bool),
    Mutual(Vec<Index>),
}

type EventPlan = (
    Option<String>,
    PartiesPlan,
    Option<String>,
    Option<Certainty>,
    Vec<Index>,
    (Option<String>, Option<String>),
    Vec<CitePlan>,
    Extra,
    u8,
);

fn event_plan() -> impl Strategy<Value = EventPlan> {
    (
        prop::option::of(prop_oneof![
            3 => prop::sample::select(grapevine::internals::model::EVENT_KINDS.to_vec()).prop_map(String::from),
            1 => text(),
        ]),
        prop_oneof![
            (
                any::<Index>(),
                prop::collection::vec(any::<Index>(), 1..4),
                any::<bool>()
            )
                .prop_map(|(f, t, a)| PartiesPlan::Directed(f, t, a)),
            prop::collection::vec(any::<Index>(), 2..5).prop_map(PartiesPlan::Mutual),
        ],
        prop::option::of(time_text()),
        prop::option::of(prop::sample::select(Certainty::ALL.to_vec())),
        prop::collection::vec(any::<Index>(), 0..3),
        (prop::option::of(text()), prop::option::of(text())),
        cite_plans(),
        extra(EVENT),
        any::<u8>(),
    )
}

type RelationPlan = (
    bool,
    Option<String>,
    (Index, Index),
    Option<String>,
    Option<String>,
    Option<Certainty>,
    Vec<CitePlan>,
    Extra,
    u8,
);

fn relation_plan() -> impl Strategy<Value = RelationPlan> {
    (
        any::<bool>(),
        prop::option::of(text()),
        (any::<Index>(), any::<Index>()),
        prop::option::of(text()),
        prop::option::of(time_text()),
        prop::option::of(prop::sample::select(Certainty::ALL.to_vec())),
        cite_plans(),
        extra(RELATION),
        any::<u8>(),
    )
}

/// A random valid story, as the loader would produce it from a file.
pub(crate) fn story() -> impl Strategy<Value = Story> {
    (
        prop::collection::btree_set(id(), 16..24)
            .prop_map(|s| s.into_iter().collect::<Vec<_>>())
            .prop_shuffle(),
        (
            prop::option::of(text()),
            prop::option::of(text()),
            prop::option::of(prop::sample::select(vec![
                "UTC",
                "America/New_York",
                "Europe/London",
                "Asia/Kolkata",
                "Australia/Lord_Howe",
                "Pacific/Chatham",
            ])),
            extra(TOP),
            any::<u8>(),
        ),
        prop::collection::vec(source_plan(), 0..3),
        prop::collection::vec(entity_plan(), 2..6),
        prop::collection::vec(message_plan(), 0..3),
        prop::collection::vec(event_plan(), 0..6),
        prop::collection::vec(relation_plan(), 0..3),
    )
        .prop_map(
            |(ids, top, sources, entities, messages, events, relations)| {
                build(StoryPlan {
                    ids,
                    top,
                    sources,
                    entities,
                    messages,
                    events,
                    relations,
                })
            },
        )
}

type TopPlan = (
    Option<String>,
    Option<String>,
    Option<&'static str>,
    Extra,
    u8,
);

/// The list fields written `[]`: each of `fields` whose list is empty and
/// whose bit is set in `bits` (as a file that wrote some empty lists and
/// left others out).
fn empties(bits: u8, fields: &[(ListField, bool)]) -> EmptyLists {
    let mut empty = EmptyLists::NONE;
    for (i, (field, is_empty)) in fields.iter().enumerate() {
        if *is_empty && bits & (1 << i) != 0 {
            empty.insert(*field);
        }
    }
    empty
}

/// Everything a generated story is built from: the ids to hand out in
/// order, the top-level fields and the plan of each list.
struct StoryPlan {
    ids: Vec<String>,
    top: TopPlan,
    sources: Vec<SourcePlan>,
    entities: Vec<EntityPlan>,
    messages: Vec<MessagePlan>,
    events: Vec<EventPlan>,
    relations: Vec<RelationPlan>,
}

/// What the lists are built with: the ids still to hand out (in the order
/// the lists are built) and the story's time zone.
struct Builder {
    ids: std::vec::IntoIter<String>,
    tz: jiff::tz::TimeZone,
}

impl Builder {
    fn next(&mut self) -> String {
        self.ids.next().expect("enough ids")
    }
}

/// The ids of what is already built, for the references of what follows.
struct Built<'a> {
    sources: &'a [String],
    entities: &'a [String],
    messages: &'a [String],
}

fn build_sources(b: &mut Builder, plans: Vec<SourcePlan>) -> Vec<Source> {
    plans
        .into_iter()
        .map(|(title, publisher, author, published, url, extra)| Source {
            id: b.next(),
            title,
            publisher,
            author,
            published: time(published, &b.tz),
            reliability: url
                .as_ref()
                .and_then(|a| grapevine::Reliability::ALL.get(a.len() % 8).copied()),
            url,
            extra,
        })
        .collect()
}

fn build_entities(b: &mut Builder, plans: Vec<EntityPlan>) -> Vec<Entity> {
    plans
        .into_iter()
        .map(
            |(name, kind, aliases, description, tags, url, extra, bits)| Entity {
                id: b.next(),
                name,
                kind: kind.map(String::from),
                empty: empties(
                    bits,
                    &[
                        (ListField::Aliases, aliases.is_empty()),
                        (ListField::Tags, tags.is_empty()),
                    ],
                ),
                aliases,
                description,
                tags,
                url,
                extra,
            },
        )
        .collect()
}

fn build_messages(b: &mut Builder, plans: Vec<MessagePlan>, built: &Built<'_>) -> Vec<Message> {
    plans
        .into_iter()
        .map(|(title, text, origin, t, cites, extra, bits)| {
            let sources = citations(&cites, built.sources);
            Message {
                id: b.next(),
                title,
                text,
                origin: origin.map(|i| i.get(built.entities).clone()),
                time: time(t, &b.tz),
                empty: empties(bits, &[(ListField::Sources, sources.is_empty())]),
                sources,
                extra,
            }
        })
        .collect()
}

/// The parties of an event, a mutual event given a second participant when
/// the plan names one entity only.
fn parties(plan: PartiesPlan, entity_ids: &[String]) -> Parties {
    match plan {
        PartiesPlan::Directed(from, to, as_array) => Parties::Directed {
            from: from.get(entity_ids).clone(),
            to_is_array: as_array || to.len() > 1,
            to: to.iter().map(|i| i.get(entity_ids).clone()).collect(),
        },
        PartiesPlan::Mutual(list) => {
            let mut participants: Vec<String> =
                list.iter().map(|i| i.get(entity_ids).clone()).collect();
            if participants.iter().all(|p| *p == participants[0]) {
                let other = entity_ids.iter().find(|e| **e != participants[0]);
                participants.push(other.expect("two entities").clone());
            }
            Parties::Mutual { participants }
        }
    }
}

fn build_event(b: &mut Builder, plan: EventPlan, built: &Built<'_>) -> Event {
    let (kind, plan_parties, t, certainty, carries, (summary, quote), cites, extra, bits) = plan;
    let parties = parties(plan_parties, built.entities);
    let carries: Vec<String> = if built.messages.is_empty() {
        Vec::new()
    } else {
        carries
            .iter()
            .map(|i| i.get(built.messages).clone())
            .collect()
    };
    let sources = citations(&cites, built.sources);
    Event {
        id: b.next(),
        kind,
        parties,
        time: time(t, &b.tz),
        certainty,
        empty: empties(
            bits,
            &[
                (ListField::Carries, carries.is_empty()),
                (ListField::Sources, sources.is_empty()),
            ],
        ),
        carries,
        summary,
        quote,
        sources,
        extra,
        after: Vec::new(),
        ordered: None,
    }
}

fn build_relations(b: &mut Builder, plans: Vec<RelationPlan>, built: &Built<'_>) -> Vec<Relation> {
    plans
        .into_iter()
        .map(
            |(has_id, kind, (from, to), label, t, certainty, cites, extra, bits)| {
                let sources = citations(&cites, built.sources);
                Relation {
                    id: has_id.then(|| b.next()),
                    kind,
                    from: from.get(built.entities).clone(),
                    to: to.get(built.entities).clone(),
                    label,
                    time: time(t, &b.tz),
                    certainty,
                    empty: empties(bits, &[(ListField::Sources, sources.is_empty())]),
                    sources,
                    extra,
                }
            },
        )
        .collect()
}

fn build(plan: StoryPlan) -> Story {
    let (title, summary, timezone, top_extra, top_empty) = plan.top;
    let mut b = Builder {
        ids: plan.ids.into_iter(),
        tz: timezone
            .map(|z| jiff::tz::TimeZone::get(z).unwrap())
            .unwrap_or(jiff::tz::TimeZone::UTC),
    };
    let sources = build_sources(&mut b, plan.sources);
    let source_ids: Vec<String> = sources.iter().map(|s| s.id.clone()).collect();
    let entities = build_entities(&mut b, plan.entities);
    let entity_ids: Vec<String> = entities.iter().map(|e| e.id.clone()).collect();
    let mut built = Built {
        sources: &source_ids,
        entities: &entity_ids,
        messages: &[],
    };
    let messages = build_messages(&mut b, plan.messages, &built);
    let message_ids: Vec<String> = messages.iter().map(|m| m.id.clone()).collect();
    built.messages = &message_ids;
    let events: Vec<Event> = plan
        .events
        .into_iter()
        .map(|e| build_event(&mut b, e, &built))
        .collect();
    let relations = build_relations(&mut b, plan.relations, &built);
    let empty = empties(
        top_empty,
        &[
            (ListField::Sources, sources.is_empty()),
            (ListField::Messages, messages.is_empty()),
            (ListField::Events, events.is_empty()),
            (ListField::Relations, relations.is_empty()),
        ],
    );
    Story {
        title,
        summary,
        timezone: timezone.map(String::from),
        empty,
        sources,
        entities,
        messages,
        events,
        relations,
        extra: top_extra,
        ..Story::default()
    }
}

// ---- Other layouts of the same JSON.

/// How to lay out a JSON text differently from the canonical writer.
#[derive(Debug, Clone)]
struct Layout {
    /// Indent unit; empty for everything on one line.
    indent: &'static str,
    newline: &'static str,
    /// Write every non-ASCII character as `\uXXXX` (surrogate pairs above U+FFFF).
    ascii_only: bool,
    /// Write `/` as `\/`.
    escape_slash: bool,
    /// Write each object's fields in reverse order.
    reverse_keys: bool,
}

fn layout() -> impl Strategy<Value = Layout> {
    (
        prop::sample::select(vec!["", " ", "\t", "    "]),
        prop::sample::select(vec!["\n", "\r\n"]),
        any::<bool>(),
        any::<bool>(),
        any::<bool>(),
    )
        .prop_map(
            |(indent, newline, ascii_only, escape_slash, reverse_keys)| Layout {
                indent,
                newline,
                ascii_only,
                escape_slash,
                reverse_keys,
            },
        )
}

fn relayout(text: &str, layout: &Layout) -> String {
    let root = parse_json(text).unwrap();
    let mut out = String::new();
    write(&mut out, &root.value, 0, layout);
    out
}

fn write_str(out: &mut String, s: &str, layout: &Layout) {
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '/' if layout.escape_slash => out.push_str("\\/"),
            c if (c as u32) < 0x20 || (layout.ascii_only && !c.is_ascii()) => {
                let mut buf = [0u16; 2];
                for unit in c.encode_utf16(&mut buf) {
                    out.push_str(&format!("\\u{unit:04X}"));
                }
            }
            c => out.push(c),
        }
    }
    out.push('"');
}

fn write(out: &mut String, v: &Value, depth: usize, layout: &Layout) {
    let line = |out: &mut String, depth: usize| {
        if !layout.indent.is_empty() {
            out.push_str(layout.newline);
            out.push_str(&layout.indent.repeat(depth));
        }
    };
    match v {
        Value::Null => out.push_str("null"),
        Value::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
        Value::Number(n) => out.push_str(n),
        Value::String(s) => write_str(out, s, layout),
        Value::Array(items) => {
            out.push('[');
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                line(out, depth + 1);
                write(out, &item.value, depth + 1, layout);
            }
            if !items.is_empty() {
                line(out, depth);
            }
            out.push(']');
        }
        Value::Object(members) => {
            out.push('{');
            let mut ordered: Vec<&Member> = members.iter().collect();
            if layout.reverse_keys {
                ordered.reverse();
            }
            for (i, m) in ordered.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                line(out, depth + 1);
                write_str(out, &m.key, layout);
                out.push_str(if layout.indent.is_empty() { ":" } else { " : " });
                write(out, &m.node.value, depth + 1, layout);
            }
            if !members.is_empty() {
                line(out, depth);
            }
            out.push('}');
        }
    }
}

// ---- Properties.

fn load_ok(name: &str, text: &str) -> Result<grapevine::Loaded, TestCaseError> {
    load_bytes(name, text.as_bytes())
        .map_err(|r| TestCaseError::fail(format!("{name} does not load:\n{}\n{text}", r.render())))
}

proptest! {
    #![proptest_config(ProptestConfig { cases: super::hostile_story::cases(256), ..ProptestConfig::default() })]

    /// load(save(s)) == s, and save is idempotent.
    #[test]
    fn a_saved_story_loads_back_unchanged(s in story()) {
        let saved = to_json(&s);
        let loaded = load_ok("saved.json", &saved)?;
        prop_assert_eq!(loaded.report.error_count(), 0);
        prop_assert_eq!(&loaded.story, &s, "{}", saved);
        prop_assert_eq!(to_json(&loaded.story), saved);
    }

    /// Read from any layout x: save(load(x)) loads to the same story, and
    /// saving that again gives the same text.
    #[test]
    fn any_layout_loads_saves_and_reloads_to_the_same_story(s in story(), layout in layout()) {
        let x = relayout(&to_json(&s), &layout);
        let first = load_ok("x.json", &x)?;
        if !layout.reverse_keys {
            prop_assert_eq!(&first.story, &s, "{}", x);
        }
        let saved = to_json(&first.story);
        let second = load_ok("saved.json", &saved)?;
        prop_assert_eq!(&second.story, &first.story);
        prop_assert_eq!(to_json(&second.story), saved);
    }
}

// ---- fmt, unknown fields, number text.

fn grapevine(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_grapevine"))
        .args(args)
        .output()
        .unwrap()
}

fn tmp(name: &str) -> PathBuf {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join("roundtrip");
    std::fs::create_dir_all(&dir).unwrap();
    dir.join(name)
}

/// A hand-written file with unknown fields at every level, numbers written
/// in every way JSON allows, and fields in no particular order.
const WITH_UNKNOWN_FIELDS: &str = r#"{"entities": [
  {"name": "Alice", "id": "alice", "x-score": 1.50, "x-big": 123456789012345678901234567890},
  {"id": "bob", "name": "Bob", "x-list": [1e6, 1E+6, -0, -12.5e-3, {"deep": [null, true, 0.10]}]}
 ],
 "format": "grapevine/1",
 "x-top": {"b": 2, "a": [], "c": {}},
 "sources": [{"id": "s", "x-s": -0.0}],
 "messages": [{"id": "m", "origin": "alice", "x-m": "text \u00e9"}],
 "events": [{"to": "bob", "from": "alice", "id": "e", "carries": ["m"],
   "sources": [{"source": "s", "x-cite": 7e-1}], "x-e": [[[]]]}],
 "relations": [{"from": "bob", "to": "alice", "x-r": false}]
}
"#;

#[test]
fn fmt_keeps_unknown_fields_and_number_text_exactly() {
    let loaded = load_bytes("in.json", WITH_UNKNOWN_FIELDS.as_bytes()).unwrap();
    let saved = to_json(&loaded.story);
    for exact in [
        "\"x-score\": 1.50",
        "\"x-big\": 123456789012345678901234567890",
        "1e6",
        "1E+6",
        "-0,",
        "-12.5e-3",
        "0.10",
        "\"x-s\": -0.0",
        "\"x-cite\": 7e-1",
        "\"x-r\": false",
        "\"x-m\": \"text é\"",
        "\"a\": []",
        "\"c\": {}",
    ] {
        assert!(saved.contains(exact), "{exact:?} not in\n{saved}");
    }
    // Unknown fields keep their order, after the known ones.
    let top = saved.find("\"x-top\"").unwrap();
    assert!(top > saved.find("\"relations\"").unwrap(), "{saved}");
    let b = saved.find("\"b\": 2").unwrap();
    assert!(b < saved.find("\"a\": []").unwrap(), "{saved}");
    // The same story, and the same text once more.
    let again = load_bytes("saved.json", saved.as_bytes()).unwrap();
    assert_eq!(again.story, loaded.story);
    assert_eq!(to_json(&again.story), saved);
    let Value::Number(n) = &loaded.story.entities[0].extra[0].1 else {
        panic!("{:?}", loaded.story.entities[0].extra)
    };
    assert_eq!(n, "1.50");

    // And through the command line.
    let path = tmp("unknown-fields.json");
    std::fs::write(&path, WITH_UNKNOWN_FIELDS).unwrap();
    let path = path.to_str().unwrap();
    let o = grapevine(&["fmt", "--check", path]);
    assert_eq!(o.status.code(), Some(1), "not canonical yet");
    let o = grapevine(&["fmt", path]);
    assert_eq!(
        o.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
    assert_eq!(std::fs::read_to_string(path).unwrap(), saved);
    assert_eq!(grapevine(&["fmt", "--check", path]).status.code(), Some(0));
}

fn graphs() -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = std::fs::read_dir("graphs")
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|x| x == "json"))
        // The stories' hand-checked questions are not stories.
        .filter(|p| !p.to_string_lossy().ends_with(".questions.json"))
        .collect();
    files.sort();
    assert!(
        files.len() >= 5,
        "the bundled story and four more: {files:?}"
    );
    files
}

#[test]
fn every_bundled_graph_is_canonical() {
    for file in graphs() {
        let file = file.to_str().unwrap();
        let o = grapevine(&["fmt", "--check", file]);
        assert_eq!(
            o.status.code(),
            Some(0),
            "{file}: {}",
            String::from_utf8_lossy(&o.stderr)
        );
        let text = std::fs::read_to_string(file).unwrap();
        let loaded = load_bytes(file, text.as_bytes()).unwrap();
        assert_eq!(to_json(&loaded.story), text, "{file}");
    }
}

#[test]
fn fmt_rewrites_a_non_canonical_copy_without_changing_the_story() {
    for file in graphs() {
        let original = std::fs::read_to_string(&file).unwrap();
        let story = load_bytes("original", original.as_bytes()).unwrap().story;
        let layout = Layout {
            indent: "",
            newline: "\n",
            ascii_only: true,
            escape_slash: true,
            reverse_keys: true,
        };
        let messy = relayout(&original, &layout);
        assert_ne!(messy, original);
        let copy = tmp(file.file_name().unwrap().to_str().unwrap());
        std::fs::write(&copy, &messy).unwrap();
        let copy = copy.to_str().unwrap();

        let o = grapevine(&["fmt", "--check", copy]);
        assert_eq!(o.status.code(), Some(1));
        assert!(String::from_utf8_lossy(&o.stderr).contains("not canonical"));
        assert_eq!(
            std::fs::read_to_string(copy).unwrap(),
            messy,
            "--check wrote"
        );

        let o = grapevine(&["fmt", copy]);
        assert_eq!(
            o.status.code(),
            Some(0),
            "{}",
            String::from_utf8_lossy(&o.stderr)
        );
        let o = grapevine(&["fmt", "--check", copy]);
        assert_eq!(
            o.status.code(),
            Some(0),
            "{}",
            String::from_utf8_lossy(&o.stderr)
        );
        let rewritten = std::fs::read_to_string(copy).unwrap();
        assert_eq!(load_bytes(copy, rewritten.as_bytes()).unwrap().story, story);
        // The bundled graphs have no unknown fields, so field order is all
        // that changed: the rewrite is the original, byte for byte.
        assert_eq!(rewritten, original);
    }
}

#[test]
fn a_utf8_byte_order_mark_is_skipped() {
    let original = std::fs::read("graphs/trump-jr-wikileaks.json").unwrap();
    let mut with_bom = b"\xEF\xBB\xBF".to_vec();
    with_bom.extend_from_slice(&original);
    let a = load_bytes("a", &original).unwrap();
    let b = load_bytes("b", &with_bom).unwrap();
    assert_eq!(a.story, b.story);
    // Positions are counted after the mark, as editors show them.
    let bad = "\u{feff}{\"format\": \"grapevine/2\", \"entities\": []}";
    let report = load_bytes("bad.json", bad.as_bytes()).unwrap_err();
    assert!(
        report.render().contains("--> bad.json:1:12"),
        "{}",
        report.render()
    );
}

#[test]
fn the_example_in_docs_format_md_is_canonical_and_clean() {
    let doc = std::fs::read_to_string("docs/format.md").unwrap();
    let example = doc
        .split("```json\n")
        .map(|rest| rest.split("\n```").next().unwrap())
        .find(|block| block.starts_with("{\n  \"format\""))
        .expect("a complete example")
        .to_string()
        + "\n";
    let loaded = load_bytes("example.json", example.as_bytes()).unwrap();
    let catalog = grapevine::StoryCatalog::new(&loaded.story);
    let (_, report) = grapevine::render::check_report(&catalog, &loaded.report, &|_| None);
    assert_eq!(report.diagnostics, [], "{}", report.render());
    assert_eq!(to_json(&loaded.story), example);
    let citation = doc
        .split("```json\n")
        .map(|rest| rest.split("\n```").next().unwrap())
        .find(|block| block.starts_with("{ \"source\""))
        .expect("a citation example");
    assert!(parse_json(citation).is_ok());
}

// ---- Empty lists are kept as written.

/// Every list a file may write as `[]`, at every level, each written so;
/// `to` and `participants` may not be empty (an event must connect someone).
const WITH_EMPTY_ARRAYS: &str = r#"{
  "format": "grapevine/1",
  "sources": [],
  "entities": [
    { "id": "alice", "name": "Alice", "aliases": [], "tags": [] },
    { "id": "bob", "name": "Bob", "tags": [] }
  ],
  "messages": [],
  "events": [
    { "id": "e1", "from": "alice", "to": ["bob"], "carries": [], "sources": [] }
  ],
  "relations": [
    { "from": "alice", "to": "bob", "sources": [] }
  ],
  "x-list": []
}
"#;

#[test]
fn fmt_keeps_empty_arrays_where_they_were_written() {
    let loaded = load_bytes("in.json", WITH_EMPTY_ARRAYS.as_bytes()).unwrap();
    let s = &loaded.story;
    assert!(s.empty.contains(ListField::Sources) && s.empty.contains(ListField::Messages));
    assert!(!s.empty.contains(ListField::Events) && !s.empty.contains(ListField::Relations));
    assert!(s.entities[0].empty.contains(ListField::Aliases));
    assert!(!s.entities[1].empty.contains(ListField::Aliases));
    assert!(s.events[0].empty.contains(ListField::Carries));
    let saved = to_json(s);
    // The canonical writer's layout of the same text: field order, indent.
    assert_eq!(saved, WITH_EMPTY_ARRAYS.replace(
        "    { \"id\": \"alice\", \"name\": \"Alice\", \"aliases\": [], \"tags\": [] },\n    { \"id\": \"bob\", \"name\": \"Bob\", \"tags\": [] }",
        "    {\n      \"id\": \"alice\",\n      \"name\": \"Alice\",\n      \"aliases\": [],\n      \"tags\": []\n    },\n    {\n      \"id\": \"bob\",\n      \"name\": \"Bob\",\n      \"tags\": []\n    }",
    ).replace(
        "    { \"id\": \"e1\", \"from\": \"alice\", \"to\": [\"bob\"], \"carries\": [], \"sources\": [] }",
        "    {\n      \"id\": \"e1\",\n      \"from\": \"alice\",\n      \"to\": [\"bob\"],\n      \"carries\": [],\n      \"sources\": []\n    }",
    ).replace(
        "    { \"from\": \"alice\", \"to\": \"bob\", \"sources\": [] }",
        "    {\n      \"from\": \"alice\",\n      \"to\": \"bob\",\n      \"sources\": []\n    }",
    ));
    assert_eq!(
        load_bytes("saved.json", saved.as_bytes()).unwrap().story,
        *s
    );

    // The same through the command line; and a file that leaves the lists
    // out keeps them out.
    let path = tmp("empty-arrays.json");
    std::fs::write(&path, WITH_EMPTY_ARRAYS).unwrap();
    let p = path.to_str().unwrap();
    assert_eq!(grapevine(&["fmt", p]).status.code(), Some(0));
    assert_eq!(std::fs::read_to_string(&path).unwrap(), saved);
    let without: String = saved
        .lines()
        .filter(|l| !l.trim_start().starts_with("\"aliases\": []"))
        .collect::<Vec<_>>()
        .join("\n")
        + "\n";
    let reloaded = load_bytes("without.json", without.as_bytes()).unwrap();
    assert!(!reloaded.story.entities[0]
        .empty
        .contains(ListField::Aliases));
    assert_eq!(to_json(&reloaded.story), without);
}

/// The story generator writes `[]` for every list field, and leaves empty
/// lists out too: the round-trip properties above see both.
#[test]
fn the_generator_writes_empty_arrays_at_every_level() {
    use proptest::strategy::ValueTree;
    use proptest::test_runner::TestRunner;
    let mut runner = TestRunner::deterministic();
    let mut seen = std::collections::HashSet::new();
    let mut left_out = 0;
    for _ in 0..300 {
        let s = story().new_tree(&mut runner).unwrap().current();
        let mut note = |level: &str, empty: EmptyLists, field: ListField, is_empty: bool| {
            if empty.contains(field) {
                seen.insert(format!("{level} {field:?}"));
            } else if is_empty {
                left_out += 1;
            }
        };
        note("story", s.empty, ListField::Sources, s.sources.is_empty());
        note("story", s.empty, ListField::Messages, s.messages.is_empty());
        note("story", s.empty, ListField::Events, s.events.is_empty());
        note(
            "story",
            s.empty,
            ListField::Relations,
            s.relations.is_empty(),
        );
        for e in &s.entities {
            note("entity", e.empty, ListField::Aliases, e.aliases.is_empty());
            note("entity", e.empty, ListField::Tags, e.tags.is_empty());
        }
        for m in &s.messages {
            note("message", m.empty, ListField::Sources, m.sources.is_empty());
        }
        for e in &s.events {
            note("event", e.empty, ListField::Carries, e.carries.is_empty());
            note("event", e.empty, ListField::Sources, e.sources.is_empty());
        }
        for r in &s.relations {
            note(
                "relation",
                r.empty,
                ListField::Sources,
                r.sources.is_empty(),
            );
        }
    }
    for level in [
        "story Sources",
        "story Messages",
        "story Events",
        "story Relations",
        "entity Aliases",
        "entity Tags",
        "message Sources",
        "event Carries",
        "event Sources",
        "relation Sources",
    ] {
        assert!(seen.contains(level), "never generated: {level} as []");
    }
    assert!(left_out > 100, "{left_out}");
}

// ---- fmt rewrites safely.

/// A fresh folder for one fmt test, holding a non-canonical story.
#[cfg(unix)]
fn fmt_dir(name: &str) -> (PathBuf, PathBuf) {
    let dir = tmp(&format!("fmt-{name}"));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    let file = dir.join("story.json");
    std::fs::write(&file, WITH_UNKNOWN_FIELDS).unwrap();
    (dir, file)
}

/// The names in a folder, sorted: no temporary file is ever left.
#[cfg(unix)]
fn listing(dir: &Path) -> Vec<String> {
    let mut v: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    v.sort();
    v
}

#[cfg(unix)]
fn mode(path: &Path) -> u32 {
    use std::os::unix::fs::PermissionsExt;
    std::fs::metadata(path).unwrap().permissions().mode() & 0o7777
}

#[cfg(unix)]
fn canonical() -> String {
    to_json(
        &load_bytes("x", WITH_UNKNOWN_FIELDS.as_bytes())
            .unwrap()
            .story,
    )
}

/// The old temporary name was predictable: a link planted there made fmt
/// overwrite the file it points to. The name is now random and created
/// exclusively; the planted link and its target are left alone.
#[cfg(unix)]
#[test]
fn fmt_never_writes_through_a_link_planted_at_the_old_temporary_name() {
    let (dir, file) = fmt_dir("planted");
    let victim = dir.join("victim.txt");
    std::fs::write(&victim, "precious").unwrap();
    for planted in ["story.json.grapevine-tmp", "story.grapevine-tmp"] {
        std::os::unix::fs::symlink(&victim, dir.join(planted)).unwrap();
    }
    let o = grapevine(&["fmt", file.to_str().unwrap()]);
    assert_eq!(
        o.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
    assert_eq!(std::fs::read_to_string(&victim).unwrap(), "precious");
    assert_eq!(std::fs::read_to_string(&file).unwrap(), canonical());
    for planted in ["story.json.grapevine-tmp", "story.grapevine-tmp"] {
        let link = std::fs::symlink_metadata(dir.join(planted)).unwrap();
        assert!(link.file_type().is_symlink());
    }
    assert_eq!(
        listing(&dir),
        [
            "story.grapevine-tmp",
            "story.json",
            "story.json.grapevine-tmp",
            "victim.txt"
        ]
    );
}

/// fmt on a link rewrites the file it names, beside that file; the link
/// stays a link.
#[cfg(unix)]
#[test]
fn fmt_on_a_symlink_rewrites_its_target_and_keeps_the_link() {
    let (dir, file) = fmt_dir("symlink");
    let other = dir.join("elsewhere");
    std::fs::create_dir_all(&other).unwrap();
    let link = other.join("link.json");
    std::os::unix::fs::symlink(&file, &link).unwrap();
    let o = grapevine(&["fmt", link.to_str().unwrap()]);
    assert_eq!(
        o.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
    assert!(std::fs::symlink_metadata(&link)
        .unwrap()
        .file_type()
        .is_symlink());
    assert_eq!(std::fs::read_link(&link).unwrap(), file);
    assert_eq!(std::fs::read_to_string(&file).unwrap(), canonical());
    assert_eq!(listing(&other), ["link.json"]);
    assert_eq!(listing(&dir), ["elsewhere", "story.json"]);
}

/// A FIFO, `/dev/stdin` or a device is refused before it is read (reading a
/// FIFO would consume it), with what to do instead; --stdout still reads one.
#[cfg(unix)]
#[test]
fn fmt_refuses_fifos_and_devices() {
    use std::process::Stdio;
    let (dir, _) = fmt_dir("fifo");
    let fifo = dir.join("pipe.json");
    let made = Command::new("mkfifo").arg(&fifo).status().unwrap();
    assert!(made.success());
    let o = grapevine(&["fmt", fifo.to_str().unwrap()]);
    let stderr = String::from_utf8_lossy(&o.stderr);
    assert_eq!(o.status.code(), Some(2), "{stderr}");
    assert!(stderr.contains("it is a pipe (FIFO)"), "{stderr}");
    assert!(stderr.contains("--stdout"), "{stderr}");
    {
        use std::os::unix::fs::FileTypeExt;
        assert!(std::fs::symlink_metadata(&fifo)
            .unwrap()
            .file_type()
            .is_fifo());
    }
    for device in ["/dev/null", "/dev/stdin"] {
        let o = Command::new(env!("CARGO_BIN_EXE_grapevine"))
            .args(["fmt", device])
            .stdin(Stdio::null())
            .output()
            .unwrap();
        let stderr = String::from_utf8_lossy(&o.stderr);
        assert_eq!(o.status.code(), Some(2), "{device}: {stderr}");
        assert!(stderr.contains("not a regular file"), "{device}: {stderr}");
    }
    // Piped into /dev/stdin: refused too (a pipe), and --stdout reads it.
    let mut child = Command::new(env!("CARGO_BIN_EXE_grapevine"))
        .args(["fmt", "/dev/stdin"])
        .stdin(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    drop(child.stdin.take());
    let o = child.wait_with_output().unwrap();
    assert_eq!(o.status.code(), Some(2));
    let mut child = Command::new(env!("CARGO_BIN_EXE_grapevine"))
        .args(["fmt", "--stdout", "/dev/stdin"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    child
        .stdin
        .take()
        .unwrap()
        .write_all(WITH_UNKNOWN_FIELDS.as_bytes())
        .unwrap();
    let o = child.wait_with_output().unwrap();
    assert_eq!(String::from_utf8_lossy(&o.stdout), canonical());
    assert_eq!(listing(&dir), ["pipe.json", "story.json"]);
}

/// A read-only file is refused and keeps its text and mode; one that is
/// already canonical is left alone without complaint.
#[cfg(unix)]
#[test]
fn fmt_refuses_a_read_only_file_and_keeps_its_mode() {
    use std::os::unix::fs::PermissionsExt;
    let (dir, file) = fmt_dir("read-only");
    std::fs::set_permissions(&file, std::fs::Permissions::from_mode(0o444)).unwrap();
    let o = grapevine(&["fmt", file.to_str().unwrap()]);
    let stderr = String::from_utf8_lossy(&o.stderr);
    assert_eq!(o.status.code(), Some(2), "{stderr}");
    assert!(stderr.contains("it is read-only"), "{stderr}");
    assert_eq!(std::fs::read_to_string(&file).unwrap(), WITH_UNKNOWN_FIELDS);
    assert_eq!(mode(&file), 0o444);
    // Canonical already: nothing to write, so nothing to refuse.
    std::fs::set_permissions(&file, std::fs::Permissions::from_mode(0o644)).unwrap();
    std::fs::write(&file, canonical()).unwrap();
    std::fs::set_permissions(&file, std::fs::Permissions::from_mode(0o444)).unwrap();
    let o = grapevine(&["fmt", file.to_str().unwrap()]);
    assert_eq!(
        o.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
    assert_eq!(mode(&file), 0o444);
    assert_eq!(listing(&dir), ["story.json"]);
}

/// The rewritten file keeps its mode (the temporary file is created 0600).
#[cfg(unix)]
#[test]
fn fmt_keeps_the_mode_of_the_file() {
    use std::os::unix::fs::PermissionsExt;
    let (dir, file) = fmt_dir("mode");
    for m in [0o640, 0o604, 0o755] {
        std::fs::write(&file, WITH_UNKNOWN_FIELDS).unwrap();
        std::fs::set_permissions(&file, std::fs::Permissions::from_mode(m)).unwrap();
        let o = grapevine(&["fmt", file.to_str().unwrap()]);
        assert_eq!(
            o.status.code(),
            Some(0),
            "{}",
            String::from_utf8_lossy(&o.stderr)
        );
        assert_eq!(std::fs::read_to_string(&file).unwrap(), canonical());
        assert_eq!(mode(&file), m, "{m:o}");
    }
    assert_eq!(listing(&dir), ["story.json"]);
}

/// A hard-linked file is refused: replacing it would split the names (this
/// one new, the others old), silently. Both names keep the old text.
#[cfg(unix)]
#[test]
fn fmt_refuses_a_hard_linked_file() {
    let (dir, file) = fmt_dir("hard-link");
    let other = dir.join("backup.json");
    std::fs::hard_link(&file, &other).unwrap();
    let o = grapevine(&["fmt", file.to_str().unwrap()]);
    let stderr = String::from_utf8_lossy(&o.stderr);
    assert_eq!(o.status.code(), Some(2), "{stderr}");
    assert!(stderr.contains("it has 2 hard links"), "{stderr}");
    for name in [&file, &other] {
        assert_eq!(std::fs::read_to_string(name).unwrap(), WITH_UNKNOWN_FIELDS);
    }
    // --check and --stdout only read: fine.
    assert_eq!(
        grapevine(&["fmt", "--check", file.to_str().unwrap()])
            .status
            .code(),
        Some(1)
    );
    assert_eq!(listing(&dir), ["backup.json", "story.json"]);
}
