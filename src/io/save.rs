//! [`Story`] to canonical JSON (format 1): fixed field order, two-space indent,
//! arrays in file order, unknown fields kept after the known ones, every value
//! as written: an empty list is written `[]` when the file wrote it so, and
//! left out when the file left it out.

use super::json::{pad, write_value, Value};
use crate::diagnostic::write_string;
use crate::model::{
    Citation, Entity, Event, Extra, Holding, ListField, Marker, Message, Parties, Relation, Source,
    Story, TimeExpr,
};

/// Writes a story as canonical format 1 JSON, ending with a newline.
pub fn to_json(story: &Story) -> String {
    let mut w = ObjWriter::new(0);
    w.string("format", Some(&story.format));
    w.string("title", story.title.as_ref());
    w.string("summary", story.summary.as_ref());
    w.string("timezone", story.timezone.as_ref());
    grading(&mut w, &story.grading);
    let empty = |f| story.empty.contains(f);
    w.objects("sources", &story.sources, source, empty(ListField::Sources));
    w.objects("entities", &story.entities, entity, true);
    w.objects(
        "messages",
        &story.messages,
        message,
        empty(ListField::Messages),
    );
    w.objects("events", &story.events, event, empty(ListField::Events));
    w.objects(
        "holdings",
        &story.holdings,
        holding,
        empty(ListField::Holdings),
    );
    w.objects("markers", &story.markers, marker, empty(ListField::Markers));
    w.objects(
        "relations",
        &story.relations,
        relation,
        empty(ListField::Relations),
    );
    w.extra(&story.extra);
    let mut out = w.finish();
    out.push('\n');
    out
}

/// What a JSON object starts with.
const OBJECT_OPENS: &str = "{";

/// Builds one JSON object field by field.
struct ObjWriter {
    out: String,
    indent: usize,
    empty: bool,
}

impl ObjWriter {
    fn new(indent: usize) -> Self {
        ObjWriter {
            out: String::from(OBJECT_OPENS),
            indent,
            empty: true,
        }
    }

    fn key(&mut self, name: &str) {
        self.out.push_str(if self.empty { "\n" } else { ",\n" });
        self.empty = false;
        pad(&mut self.out, self.indent + 1);
        write_string(&mut self.out, name);
        self.out.push_str(": ");
    }

    fn string(&mut self, name: &str, value: Option<&String>) {
        if let Some(v) = value {
            self.key(name);
            write_string(&mut self.out, v);
        }
    }

    fn time(&mut self, name: &str, value: Option<&TimeExpr>) {
        self.string(name, value.map(|t| &t.text));
    }

    /// A list of strings, on one line when short; an empty one only when
    /// `keep_empty` (the file wrote it `[]`).
    fn strings(&mut self, name: &str, items: &[String], keep_empty: bool) {
        if !items.is_empty() || keep_empty {
            self.key(name);
            self.string_array(items);
        }
    }

    fn string_array(&mut self, items: &[String]) {
        let mut one_line = String::from("[");
        for (i, s) in items.iter().enumerate() {
            if i > 0 {
                one_line.push_str(", ");
            }
            write_string(&mut one_line, s);
        }
        one_line.push(']');
        if one_line.len() + self.indent * 2 <= 100 {
            self.out.push_str(&one_line);
        } else {
            self.out.push('[');
            for (i, s) in items.iter().enumerate() {
                self.out.push_str(if i == 0 { "\n" } else { ",\n" });
                pad(&mut self.out, self.indent + 2);
                write_string(&mut self.out, s);
            }
            self.out.push('\n');
            pad(&mut self.out, self.indent + 1);
            self.out.push(']');
        }
    }

    /// An array of objects; an empty one only when `keep_empty`.
    fn objects<T>(
        &mut self,
        name: &str,
        items: &[T],
        write: fn(&T, usize) -> String,
        keep_empty: bool,
    ) {
        if !items.is_empty() || keep_empty {
            self.key(name);
            self.object_array(items, write);
        }
    }

    fn object_array<T>(&mut self, items: &[T], write: fn(&T, usize) -> String) {
        if items.is_empty() {
            self.out.push_str("[]");
            return;
        }
        self.out.push('[');
        for (i, item) in items.iter().enumerate() {
            self.out.push_str(if i == 0 { "\n" } else { ",\n" });
            pad(&mut self.out, self.indent + 2);
            self.out.push_str(&write(item, self.indent + 2));
        }
        self.out.push('\n');
        pad(&mut self.out, self.indent + 1);
        self.out.push(']');
    }

    /// `sources` of a message, event or relation; an empty one only when
    /// `keep_empty`.
    fn citations(&mut self, items: &[Citation], keep_empty: bool) {
        if items.is_empty() {
            if keep_empty {
                self.key("sources");
                self.out.push_str("[]");
            }
            return;
        }
        self.key("sources");
        if items.iter().all(|c| matches!(c, Citation::Id(_))) {
            let ids: Vec<String> = items.iter().map(|c| c.source().to_string()).collect();
            self.string_array(&ids);
            return;
        }
        self.object_array(items, citation);
    }

    fn extra(&mut self, extra: &Extra) {
        for (k, v) in extra {
            self.key(k);
            write_value(&mut self.out, v, self.indent + 1);
        }
    }

    fn finish(mut self) -> String {
        if self.empty {
            self.out.push('}');
        } else {
            self.out.push('\n');
            pad(&mut self.out, self.indent);
            self.out.push('}');
        }
        self.out
    }
}

fn source(s: &Source, indent: usize) -> String {
    let mut w = ObjWriter::new(indent);
    w.string("id", Some(&s.id));
    w.string("title", s.title.as_ref());
    w.string("publisher", s.publisher.as_ref());
    w.string("author", s.author.as_ref());
    w.time("published", s.published.as_ref());
    w.string("url", s.url.as_ref());
    w.string(
        "reliability",
        s.reliability.map(|r| r.as_str().to_string()).as_ref(),
    );
    w.extra(&s.extra);
    w.finish()
}

/// The story's `grading`: the grades that differ from the default, letters
/// then digits (nothing when none does).
fn grading(w: &mut ObjWriter, g: &crate::model::Grading) {
    let default = crate::model::Grading::default();
    let letters = crate::model::Reliability::ALL.iter().map(|r| {
        (
            r.as_str().to_string(),
            g.reliability[*r as usize],
            default.reliability[*r as usize],
        )
    });
    let digits = (0..6).map(|i| {
        (
            (i + 1).to_string(),
            g.credibility[i],
            default.credibility[i],
        )
    });
    let mut body = String::new();
    for (key, to, was) in letters.chain(digits).filter(|(_, to, was)| to != was) {
        let _ = was;
        body.push_str(if body.is_empty() { "\n" } else { ",\n" });
        pad(&mut body, w.indent + 2);
        write_string(&mut body, &key);
        body.push_str(": ");
        match to {
            Some(c) => write_string(&mut body, c.as_str()),
            None => body.push_str("null"),
        }
    }
    if body.is_empty() {
        return;
    }
    w.key("grading");
    w.out.push('{');
    w.out.push_str(&body);
    w.out.push('\n');
    pad(&mut w.out, w.indent + 1);
    w.out.push('}');
}

fn entity(e: &Entity, indent: usize) -> String {
    let mut w = ObjWriter::new(indent);
    w.string("id", Some(&e.id));
    w.string("name", Some(&e.name));
    w.string("kind", e.kind.as_ref());
    w.strings("aliases", &e.aliases, e.empty.contains(ListField::Aliases));
    w.string("description", e.description.as_ref());
    w.strings("tags", &e.tags, e.empty.contains(ListField::Tags));
    w.string("url", e.url.as_ref());
    w.extra(&e.extra);
    w.finish()
}

fn message(m: &Message, indent: usize) -> String {
    let mut w = ObjWriter::new(indent);
    w.string("id", Some(&m.id));
    w.string("title", m.title.as_ref());
    w.string("text", m.text.as_ref());
    w.string("origin", m.origin.as_ref());
    w.time("time", m.time.as_ref());
    w.citations(&m.sources, m.empty.contains(ListField::Sources));
    w.extra(&m.extra);
    w.finish()
}

fn event(e: &Event, indent: usize) -> String {
    let mut w = ObjWriter::new(indent);
    w.string("id", Some(&e.id));
    w.string("kind", e.kind.as_ref());
    match &e.parties {
        Parties::Directed {
            from,
            to,
            to_is_array,
        } => {
            w.string("from", Some(from));
            if *to_is_array || to.len() != 1 {
                w.key("to");
                w.string_array(to);
            } else {
                w.string("to", to.first());
            }
        }
        Parties::Mutual { participants } => {
            w.key("participants");
            w.string_array(participants);
        }
    }
    w.time("time", e.time.as_ref());
    w.strings("after", &e.after, e.empty.contains(ListField::After));
    w.string(
        "certainty",
        e.certainty.map(|c| c.as_str().to_string()).as_ref(),
    );
    w.strings("carries", &e.carries, e.empty.contains(ListField::Carries));
    w.string("summary", e.summary.as_ref());
    w.string("quote", e.quote.as_ref());
    w.citations(&e.sources, e.empty.contains(ListField::Sources));
    w.extra(&e.extra);
    w.finish()
}

fn holding(h: &Holding, indent: usize) -> String {
    let mut w = ObjWriter::new(indent);
    w.string("id", Some(&h.id));
    w.string("entity", Some(&h.entity));
    w.string("message", Some(&h.message));
    w.time("time", h.time.as_ref());
    w.string(
        "certainty",
        h.certainty.map(|c| c.as_str().to_string()).as_ref(),
    );
    w.string("summary", h.summary.as_ref());
    w.string("quote", h.quote.as_ref());
    w.citations(&h.sources, h.empty.contains(ListField::Sources));
    w.extra(&h.extra);
    w.finish()
}

fn marker(m: &Marker, indent: usize) -> String {
    let mut w = ObjWriter::new(indent);
    w.string("id", Some(&m.id));
    w.string("label", Some(&m.label));
    w.time("time", m.time.as_ref());
    w.extra(&m.extra);
    w.finish()
}

fn relation(r: &Relation, indent: usize) -> String {
    let mut w = ObjWriter::new(indent);
    w.string("id", r.id.as_ref());
    w.string("kind", r.kind.as_ref());
    w.string("from", Some(&r.from));
    w.string("to", Some(&r.to));
    w.string("label", r.label.as_ref());
    w.time("time", r.time.as_ref());
    w.string(
        "certainty",
        r.certainty.map(|c| c.as_str().to_string()).as_ref(),
    );
    w.citations(&r.sources, r.empty.contains(ListField::Sources));
    w.extra(&r.extra);
    w.finish()
}

fn citation(c: &Citation, indent: usize) -> String {
    match c {
        Citation::Id(id) => {
            let mut s = String::new();
            write_string(&mut s, id);
            s
        }
        Citation::Full {
            source,
            quote,
            locator,
            paraphrase,
            credibility,
            extra,
        } => {
            let mut w = ObjWriter::new(indent);
            w.string("source", Some(source));
            w.string("quote", quote.as_ref());
            w.string("locator", locator.as_ref());
            if let Some(b) = paraphrase {
                w.key("paraphrase");
                w.out.push_str(if *b { "true" } else { "false" });
            }
            if let Some(c) = credibility {
                w.key("credibility");
                w.out.push_str(&c.get().to_string());
            }
            w.extra(extra);
            w.finish()
        }
    }
}

/// Converts a value to JSON text (used for unknown fields in reports).
pub fn value_to_string(v: &Value) -> String {
    let mut s = String::new();
    write_value(&mut s, v, 0);
    s
}
