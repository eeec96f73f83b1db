//! FollowTheMoney entities, one JSON object a line, as Aleph and the `ftm`
//! tool read them.
//!
//! People are `Person`, organisations `Organization` (`PublicBody` when
//! tagged `public-body`), groups `Organization` with the keyword
//! `grapevine:kind=group`, anything else `LegalEntity`. A directed contact
//! is an `Email` (kind email) or a `Message` (sender, recipients, dates);
//! a meeting or any mutual contact an `Event` with `involved` (and the
//! sender as `organizer`). Relations are `Family`, `Membership`,
//! `Employment`, `Associate` or `UnknownLink` by their kind; traced
//! messages are `Note`s. A holding (an entity had a message by some time)
//! is an `UnknownLink` from the entity to the message's `Note` with the
//! role [`HELD_ROLE`]; a marker (a reference date) an `Event` with the
//! keyword `grapevine:marker` and no one involved; a contact's `after` the
//! keywords `grapevine:after=EVENT`. Dates are FtM prefixes; what FtM has
//! no field for goes into keywords (`grapevine:certainty=reported`), notes
//! or a description, and the loss report says so.

use serde_json::{json, Map, Value};

use super::{
    citations_text, prefix, prefix_holding, quote_count, source_urls, ExportFormat, Exported,
    LossReport,
};
use crate::catalog::{Catalog, EntityId, EventId};
use crate::model::{Citation, EntityKind, Parties, TimeExpr};

/// Keyword prefix of what grapevine keeps in FtM keywords.
pub const KEYWORD: &str = "grapevine:";
/// Prefix of a relation's description that holds grapevine's fields as JSON.
pub const DESCRIPTION: &str = "grapevine: ";
/// Prefix of the note that keeps a date FtM cannot hold.
pub const TIME_NOTE: &str = "grapevine time: ";
/// Prefix of an id that is not a valid FtM id, written in hexadecimal.
pub const HEX_ID: &str = "gvx-";
/// The role of the `UnknownLink` a holding is written as.
pub const HELD_ROLE: &str = "held";
/// The keyword of the `Event` a marker is written as.
pub const MARKER_KEYWORD: &str = "grapevine:marker";

/// Relation kinds written as `Associate` (between two people).
pub const ASSOCIATE_KINDS: [&str; 6] = [
    "associate",
    "associate-of",
    "adviser-to",
    "advisor-to",
    "friend-of",
    "colleague-of",
];

/// True when `id` is a valid FtM entity id (letters, digits, dots and
/// dashes, at most 200 characters, starting and ending with a letter or
/// digit).
pub fn valid_ftm_id(id: &str) -> bool {
    let b = id.as_bytes();
    !b.is_empty()
        && b.len() <= 200
        && b.iter()
            .all(|c| c.is_ascii_alphanumeric() || *c == b'.' || *c == b'-')
        && b[0].is_ascii_alphanumeric()
        && b[b.len() - 1].is_ascii_alphanumeric()
}

/// The FtM id of a grapevine id: itself when valid (and not starting with
/// `gvx-`), else `gvx-` and its UTF-8 bytes in hexadecimal (reversible by
/// [`id_from_ftm`]).
pub fn ftm_id(id: &str) -> String {
    if valid_ftm_id(id) && !id.starts_with(HEX_ID) {
        id.to_string()
    } else {
        let mut s = String::with_capacity(HEX_ID.len() + 2 * id.len());
        s.push_str(HEX_ID);
        for b in id.bytes() {
            s.push_str(&format!("{b:02x}"));
        }
        s
    }
}

/// The grapevine id of an FtM id: [`ftm_id`] undone.
pub fn id_from_ftm(id: &str) -> String {
    if let Some(hex) = id.strip_prefix(HEX_ID) {
        if hex.len() % 2 == 0 && hex.bytes().all(|b| b.is_ascii_hexdigit()) {
            let bytes: Option<Vec<u8>> = (0..hex.len() / 2)
                .map(|i| u8::from_str_radix(&hex[2 * i..2 * i + 2], 16).ok())
                .collect();
            if let Some(Ok(s)) = bytes.map(String::from_utf8) {
                return s;
            }
        }
    }
    id.to_string()
}

/// The id of the `n`th relation without one: no grapevine id can be it
/// (it holds a NUL).
fn relation_id(n: usize) -> String {
    ftm_id(&format!("\u{0}relation-{n}"))
}

/// One FtM entity being built.
struct Entity {
    id: String,
    schema: &'static str,
    props: Map<String, Value>,
}

impl Entity {
    fn new(id: &str, schema: &'static str) -> Entity {
        Entity {
            id: ftm_id(id),
            schema,
            props: Map::new(),
        }
    }
    fn push(&mut self, prop: &str, value: &str) {
        let v = self
            .props
            .entry(prop.to_string())
            .or_insert_with(|| Value::Array(Vec::new()));
        if let Value::Array(a) = v {
            a.push(Value::String(value.to_string()));
        }
    }
    fn opt(&mut self, prop: &str, value: Option<&str>) {
        if let Some(v) = value {
            self.push(prop, v);
        }
    }
    fn line(self, out: &mut String) {
        let v = json!({ "id": self.id, "schema": self.schema, "properties": self.props });
        out.push_str(&v.to_string());
        out.push('\n');
    }
}

/// Writes the dates of `time` on `ent`; `interval`: the schema has
/// `startDate` and `endDate`. Returns the note to keep the expression when
/// FtM cannot hold it.
fn dates(
    ent: &mut Entity,
    time: Option<&TimeExpr>,
    interval: bool,
    tz: &jiff::tz::TimeZone,
    loss: &mut LossReport,
) -> Option<String> {
    let t = time?;
    let mut note = false;
    if (t.approximate() || t.uncertain()) && !interval_kept(ent) {
        loss.add(
            "date-flags",
            "{n} approximate or uncertain date{s} without the ~ ? % flag (the expression kept in notes)",
        );
        note = true;
    }
    let iv = t.interval();
    let held = match (iv.lo, iv.hi) {
        (Some(lo), Some(hi)) if t.is_range => prefix_holding(lo, hi, tz),
        _ => None,
    };
    if !t.is_range {
        if let Some(p) = &t.start {
            ent.push("date", &prefix(p, tz));
        }
    } else if let Some(p) = held {
        ent.push("date", &p);
    } else if interval {
        if let Some(p) = &t.start {
            ent.push("startDate", &prefix(p, tz));
        }
        if let Some(p) = &t.end {
            ent.push("endDate", &prefix(p, tz));
        }
    } else {
        note = true;
        match &t.start {
            Some(p) => {
                ent.push("date", &prefix(p, tz));
                loss.add(
                    "interval-to-start",
                    "{n} interval date{s} reduced to the start (the expression kept in notes)",
                );
            }
            None => loss.add(
                "open-start-dropped",
                "{n} date{s} open at the start left out (the expression kept in notes)",
            ),
        }
    }
    note.then(|| format!("{TIME_NOTE}{}", t.text))
}

/// Relations keep their whole time in their description: no loss there.
fn interval_kept(ent: &Entity) -> bool {
    RELATION_SCHEMATA.contains(&ent.schema)
}

/// The schemata relations are written as.
pub const RELATION_SCHEMATA: [&str; 5] = [
    "Family",
    "Membership",
    "Employment",
    "Associate",
    "UnknownLink",
];

/// Sources and quotes of citations: notes, `sourceUrl`, `publisher`.
fn cite(
    catalog: &dyn Catalog,
    ent: &mut Entity,
    cites: &[Citation],
    notes_prop: &str,
    loss: &mut LossReport,
) {
    if cites.is_empty() {
        return;
    }
    let text = citations_text(catalog, cites);
    if !text.is_empty() {
        ent.push(notes_prop, &text);
    }
    loss.add_n(
        "quotes-to-notes",
        quote_count(cites),
        "{n} quote{s} moved to notes",
    );
    loss.add_n(
        "citations-flattened",
        cites.len(),
        "{n} citation{s} flattened into text (sources' url as sourceUrl, publisher as publisher)",
    );
    for u in source_urls(catalog, cites) {
        if web_url(&u) {
            ent.push("sourceUrl", &u);
        } else {
            loss.add(
                "urls",
                "{n} url{s} FtM does not accept (not http or https) left out",
            );
        }
    }
    let mut publishers: Vec<&str> = Vec::new();
    for c in cites {
        if let Some(p) = catalog
            .sources()
            .iter()
            .find(|s| s.id == c.source())
            .and_then(|s| s.publisher.as_deref())
        {
            if !publishers.contains(&p) {
                publishers.push(p);
            }
        }
    }
    for p in publishers {
        ent.push("publisher", p);
    }
}

/// True for a URL FtM keeps: http or https, no spaces or control
/// characters.
pub fn web_url(u: &str) -> bool {
    let lower = u.to_ascii_lowercase();
    (lower.starts_with("http://") || lower.starts_with("https://"))
        && u.len() > 8
        && !u.chars().any(|c| c.is_whitespace() || c.is_control())
}

/// The default event kind of an FtM schema: what an import reads when no
/// `grapevine:kind` keyword says otherwise.
pub fn default_kind(schema: &str) -> &'static str {
    match schema {
        "Email" => "email",
        "Event" => "meeting",
        _ => "message",
    }
}

/// Writes the catalogue as FtM JSONL.
pub fn export(catalog: &dyn Catalog, summary: Option<&str>) -> Exported {
    let mut loss = LossReport::new(ExportFormat::Ftm);
    let tz = catalog.timezone();
    let mut out = String::new();
    if catalog.title().is_some() || summary.is_some() {
        loss.add(
            "story-title",
            "the story's title and summary not written (FtM has no document for the whole)",
        );
    }
    if catalog.timezone_name().is_some() && tz != jiff::tz::TimeZone::UTC {
        {
            loss.add(
                "timezone",
                "the time zone not kept (dates are calendar days there, times in UTC: import with --timezone)",
            );
        }
    }
    if !catalog.sources().is_empty() {
        loss.add_n(
            "sources-folded",
            catalog.sources().len(),
            "{n} source{s} written only inside the claims that cite them (author and publication date not written)",
        );
    }
    entities(catalog, &mut out, &mut loss);
    messages(catalog, &mut out, &mut loss);
    contacts(catalog, &tz, &mut out, &mut loss);
    relations(catalog, &tz, &mut out, &mut loss);
    holdings(catalog, &tz, &mut out, &mut loss);
    markers(catalog, &tz, &mut out, &mut loss);
    Exported::single(out.into_bytes(), loss)
}

/// Writes the entities as Person, Organization, PublicBody or LegalEntity.
fn entities(catalog: &dyn Catalog, out: &mut String, loss: &mut LossReport) {
    for u in EntityId::all(catalog.entity_count()) {
        let e = catalog.entity(u);
        let public = e.tags.iter().any(|t| t == "public-body");
        let schema = match e.kind() {
            EntityKind::Person => "Person",
            EntityKind::Organisation | EntityKind::Group if public => "PublicBody",
            EntityKind::Organisation | EntityKind::Group => "Organization",
            EntityKind::Other => "LegalEntity",
        };
        let mut ent = Entity::new(&e.id, schema);
        ent.push("name", &e.name);
        for a in &e.aliases {
            ent.push("alias", a);
        }
        ent.opt("description", e.description.as_deref());
        for t in &e.tags {
            ent.push("keywords", t);
        }
        if e.kind() == EntityKind::Group {
            ent.push("keywords", &format!("{KEYWORD}kind=group"));
            loss.add(
                "groups",
                "{n} group{s} written as Organization (keyword grapevine:kind=group)",
            );
        }
        match e.url.as_deref() {
            Some(u) if web_url(u) => ent.push("website", u),
            Some(_) => loss.add(
                "urls",
                "{n} url{s} FtM does not accept (not http or https) left out",
            ),
            None => {}
        }
        if !e.extra.is_empty() {
            loss.add(
                "extra-fields",
                "{n} object{s} with unknown fields not written",
            );
        }
        ent.line(out);
    }
}

/// Writes the traced messages as Notes.
fn messages(catalog: &dyn Catalog, out: &mut String, loss: &mut LossReport) {
    for m in 0..catalog.message_count() {
        let msg = catalog.message(m);
        let mut ent = Entity::new(&msg.id, "Note");
        ent.push("name", msg.title.as_deref().unwrap_or(&msg.id));
        ent.opt("description", msg.text.as_deref());
        if let Some(o) = &msg.origin {
            ent.push("entity", &ftm_id(o));
        }
        ent.push("keywords", &format!("{KEYWORD}message"));
        if let Some(t) = &msg.time {
            ent.push("notes", &format!("{TIME_NOTE}{}", t.text));
            loss.add(
                "message-times",
                "{n} traced message time{s} kept only in notes",
            );
        }
        cite(catalog, &mut ent, &msg.sources, "notes", loss);
        if !msg.extra.is_empty() {
            loss.add(
                "extra-fields",
                "{n} object{s} with unknown fields not written",
            );
        }
        ent.line(out);
    }
}

/// Writes the events as Email, Message or Event entities; says that their
/// certainty, kind and carried messages are keywords.
fn contacts(
    catalog: &dyn Catalog,
    tz: &jiff::tz::TimeZone,
    out: &mut String,
    loss: &mut LossReport,
) {
    let mut certainty_kept = 0;
    for e in EventId::all(catalog.event_count()) {
        let ev = catalog.event(e);
        let kind = ev.kind();
        let schema = match (&ev.parties, kind) {
            (Parties::Mutual { .. }, _) | (_, "meeting") => "Event",
            (_, "email") => "Email",
            _ => "Message",
        };
        let mut ent = Entity::new(&ev.id, schema);
        push_parties(&mut ent, &ev.parties, schema);
        let mut notes: Vec<String> = Vec::new();
        match schema {
            "Event" => {
                ent.push("name", ev.summary.as_deref().unwrap_or(kind));
                if let Some(q) = &ev.quote {
                    notes.push(q.clone());
                    loss.add("quotes-to-notes", "{n} quote{s} moved to notes");
                }
            }
            _ => {
                // Message requires a body: the quote, else the summary,
                // else the kind.
                let body = ev
                    .quote
                    .as_deref()
                    .or(ev.summary.as_deref())
                    .unwrap_or(kind);
                ent.push("bodyText", body);
            }
        }
        ent.opt("summary", ev.summary.as_deref());
        if kind != default_kind(schema) {
            ent.push("keywords", &format!("{KEYWORD}kind={kind}"));
        }
        ent.push(
            "keywords",
            &format!("{KEYWORD}certainty={}", ev.certainty()),
        );
        certainty_kept += 1;
        for c in &ev.carries {
            ent.push("keywords", &format!("{KEYWORD}carries={c}"));
        }
        for a in &ev.after {
            ent.push("keywords", &format!("{KEYWORD}after={a}"));
        }
        loss.add_n(
            "after-keyword",
            ev.after.len(),
            "{n} event order{s} (after) kept as keywords (grapevine:after=...)",
        );
        if let Some(n) = dates(&mut ent, ev.time.as_ref(), schema != "Email", tz, loss) {
            notes.push(n);
        }
        for n in &notes {
            ent.push("notes", n);
        }
        cite(catalog, &mut ent, &ev.sources, "notes", loss);
        if !ev.extra.is_empty() {
            loss.add(
                "extra-fields",
                "{n} object{s} with unknown fields not written",
            );
        }
        ent.line(out);
    }
    if certainty_kept > 0 {
        loss.add(
            "certainty-keyword",
            "certainty, kind and carried messages kept as keywords (grapevine:certainty=...)",
        );
    }
}

/// Pushes a contact's parties: sender and recipients (an Event's organizer
/// and those involved), or everyone involved.
fn push_parties(ent: &mut Entity, parties: &Parties, schema: &str) {
    match parties {
        Parties::Directed { from, to, .. } => {
            let (who, whom) = if schema == "Event" {
                ("organizer", "involved")
            } else {
                ("sender", "recipients")
            };
            ent.push(who, &ftm_id(from));
            for t in to {
                ent.push(whom, &ftm_id(t));
            }
        }
        Parties::Mutual { participants } => {
            for p in participants {
                ent.push("involved", &ftm_id(p));
            }
        }
    }
}

/// Writes the relations as Family, Membership, Employment, Associate or
/// UnknownLink.
fn relations(
    catalog: &dyn Catalog,
    tz: &jiff::tz::TimeZone,
    out: &mut String,
    loss: &mut LossReport,
) {
    let kind_of = |id: &str| {
        catalog
            .entity_number(id)
            .map(|u| catalog.entity_kind(u))
            .unwrap_or(EntityKind::Other)
    };
    for (n, r) in catalog.relations().iter().enumerate() {
        let (fk, tk) = (kind_of(&r.from), kind_of(&r.to));
        let kind = r.kind.as_deref().unwrap_or("");
        let person = EntityKind::Person;
        let org = |k: EntityKind| matches!(k, EntityKind::Organisation | EntityKind::Group);
        let (schema, a, b, role, implied) = match kind {
            "family" if fk == person && tk == person => {
                ("Family", "person", "relative", "relationship", true)
            }
            "member-of" if fk != EntityKind::Other && org(tk) => {
                ("Membership", "member", "organization", "role", true)
            }
            "employee-of" if fk == person && org(tk) => {
                ("Employment", "employee", "employer", "role", true)
            }
            k if ASSOCIATE_KINDS.contains(&k) && fk == person && tk == person => {
                ("Associate", "person", "associate", "relationship", false)
            }
            _ => ("UnknownLink", "subject", "object", "role", false),
        };
        let id = r.id.clone().map_or_else(|| relation_id(n), |i| ftm_id(&i));
        let mut ent = Entity {
            id,
            schema,
            props: Map::new(),
        };
        ent.push(a, &ftm_id(&r.from));
        ent.push(b, &ftm_id(&r.to));
        ent.opt(role, r.label.as_deref());
        let mut fields = Map::new();
        if !implied || r.kind.is_none() {
            if let Some(k) = &r.kind {
                fields.insert("kind".into(), Value::String(k.clone()));
            }
        }
        if let Some(c) = r.certainty {
            fields.insert("certainty".into(), Value::String(c.to_string()));
        }
        dates(&mut ent, r.time.as_ref(), true, tz, loss);
        if let Some(t) = &r.time {
            fields.insert("time".into(), Value::String(t.text.clone()));
        }
        if !fields.is_empty() {
            ent.push(
                "description",
                &format!("{DESCRIPTION}{}", Value::Object(fields)),
            );
            loss.add(
                "relation-description",
                "{n} relation{s} keep kind, certainty or time in a description",
            );
        }
        cite(catalog, &mut ent, &r.sources, "summary", loss);
        if !r.extra.is_empty() {
            loss.add(
                "extra-fields",
                "{n} object{s} with unknown fields not written",
            );
        }
        ent.line(out);
    }
}

/// Writes the holdings as UnknownLinks from the entity (`subject`) to the
/// message's Note (`object`), role [`HELD_ROLE`]: certainty, time and
/// quote in a description as JSON (`{"holding": true, ...}`), the summary
/// as `summary`, the citations as a second description.
fn holdings(
    catalog: &dyn Catalog,
    tz: &jiff::tz::TimeZone,
    out: &mut String,
    loss: &mut LossReport,
) {
    for h in catalog.holdings() {
        let mut ent = Entity::new(&h.id, "UnknownLink");
        ent.push("subject", &ftm_id(&h.entity));
        ent.push("object", &ftm_id(&h.message));
        ent.push("role", HELD_ROLE);
        dates(&mut ent, h.time.as_ref(), true, tz, loss);
        let mut fields = Map::new();
        fields.insert("holding".into(), Value::Bool(true));
        fields.insert("certainty".into(), json!(h.certainty().as_str()));
        if let Some(t) = &h.time {
            fields.insert("time".into(), json!(t.text));
        }
        if let Some(q) = &h.quote {
            fields.insert("quote".into(), json!(q));
        }
        ent.push(
            "description",
            &format!("{DESCRIPTION}{}", Value::Object(fields)),
        );
        loss.add(
            "holding-description",
            "{n} holding{s} keep certainty, time and quote in a description",
        );
        ent.opt("summary", h.summary.as_deref());
        cite(catalog, &mut ent, &h.sources, "description", loss);
        if !h.extra.is_empty() {
            loss.add(
                "extra-fields",
                "{n} object{s} with unknown fields not written",
            );
        }
        ent.line(out);
    }
}

/// Writes the markers as Events with the keyword [`MARKER_KEYWORD`], the
/// label as `name`, and no one involved.
fn markers(
    catalog: &dyn Catalog,
    tz: &jiff::tz::TimeZone,
    out: &mut String,
    loss: &mut LossReport,
) {
    for m in catalog.markers() {
        let mut ent = Entity::new(&m.id, "Event");
        ent.push("name", &m.label);
        ent.push("keywords", MARKER_KEYWORD);
        if let Some(n) = dates(&mut ent, m.time.as_ref(), true, tz, loss) {
            ent.push("notes", &n);
        }
        if !m.extra.is_empty() {
            loss.add(
                "extra-fields",
                "{n} object{s} with unknown fields not written",
            );
        }
        ent.line(out);
    }
}

#[cfg(test)]
mod tests {
    use super::{ftm_id, id_from_ftm, valid_ftm_id};

    #[test]
    fn ids() {
        assert_eq!(ftm_id("trump-jr"), "trump-jr");
        assert_eq!(ftm_id("a b"), "gvx-612062");
        assert_eq!(id_from_ftm("gvx-612062"), "a b");
        assert_eq!(id_from_ftm(&ftm_id("gvx-61")), "gvx-61");
        assert_eq!(id_from_ftm(&ftm_id("日本")), "日本");
        assert!(!valid_ftm_id("-a"));
        assert!(valid_ftm_id("j.doe"));
    }
}
