//! A small JSON reader that remembers where every value came from.
//!
//! serde_json gives no positions for values, and grapevine's errors must point at
//! the line and column of the offending value; it must also write numbers and
//! unknown fields back exactly as they were written. So the loader reads the file
//! into [`Node`]s that carry their byte span, keep object keys in file order,
//! and keep numbers as their source text. Nesting is limited to
//! [`MAX_DEPTH`] levels so hostile input cannot overflow the stack.

use crate::diagnostic::write_string;
use crate::model::is_noncharacter;
pub use crate::model::value::{Member, Node, Value};

/// Deepest nesting of arrays and objects accepted.
pub const MAX_DEPTH: usize = 128;

/// A syntax error at a byte offset.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SyntaxError {
    /// Byte offset of the problem.
    pub offset: usize,
    /// What was found, what was expected.
    pub message: String,
    /// Short text to show under the offending byte.
    pub label: String,
    /// How to fix it.
    pub help: String,
    /// Another place that explains this one, e.g. where an unclosed object
    /// opens: (byte offset, label).
    pub related: Option<(usize, String)>,
}

impl SyntaxError {
    fn new(offset: usize, message: impl Into<String>, help: impl Into<String>) -> Self {
        SyntaxError {
            offset,
            message: message.into(),
            label: "here".into(),
            help: help.into(),
            related: None,
        }
    }

    fn label(mut self, label: impl Into<String>) -> Self {
        self.label = label.into();
        self
    }

    fn related(mut self, offset: usize, label: impl Into<String>) -> Self {
        self.related = Some((offset, label.into()));
        self
    }
}

/// Help for a value or field name that starts with something JSON does not
/// allow there.
fn bad_start_help(found: &str, what: &str) -> String {
    match found {
        "`/`" => "JSON has no comments: remove it, or keep the note in a field such as \"description\"".into(),
        "`'`" => format!("JSON {what} use double quotes, not single quotes"),
        "`True`" | "`False`" | "`Null`" | "`TRUE`" | "`FALSE`" | "`NULL`" | "`None`" => {
            "JSON's words are lower case: true, false and null".into()
        }
        "`NaN`" | "`Infinity`" | "`undefined`" => {
            "JSON has no NaN, Infinity or undefined: write the value as a string, or leave the field out".into()
        }
        _ if what == "field names" => {
            let name = found.trim_matches('`');
            if !name.is_empty() && name.chars().all(|c| c.is_alphanumeric() || c == '_' || c == '-') {
                format!("write the name in double quotes: \"{name}\": ...")
            } else {
                "write the name in double quotes: \"name\": value".into()
            }
        }
        _ => "a value is a string in double quotes, a number, true, false, null, an array [...] or an object {...}".into(),
    }
}

/// The error for a Unicode noncharacter in a string, at byte `at`
/// (written raw, or as a `\u` escape when `escaped`).
fn noncharacter(at: usize, c: char, escaped: bool) -> SyntaxError {
    let code = format!("U+{:04X}", c as u32);
    let how = if escaped {
        "written as an escape"
    } else {
        "written raw"
    };
    SyntaxError::new(
        at,
        format!("the Unicode noncharacter {code} inside a string"),
        "noncharacters (U+FFFE, U+FFFF, U+FDD0 to U+FDEF and the last two code points of every plane) \
         are not text, and no SVG, HTML or XML page may hold U+FFFE or U+FFFF: remove it, \
         or write \\ufffd (the replacement character) in its place",
    )
    .label(format!("{code}, a noncharacter, {how}"))
}

/// Parses a whole document.
pub fn parse(text: &str) -> Result<Node, SyntaxError> {
    let mut p = Parser {
        s: text.as_bytes(),
        text,
        pos: 0,
        depth: 0,
    };
    p.skip_ws();
    if p.pos >= p.s.len() {
        return Err(SyntaxError::new(
            0,
            "the file is empty",
            "a story file is a JSON object: start from {\"format\": \"grapevine/1\", \"entities\": []}",
        )
        .label("no JSON value in the file"));
    }
    let node = p.value()?;
    p.skip_ws();
    if p.pos < p.s.len() {
        return Err(p
            .error(
                &format!("unexpected {} after the end of the JSON value", p.found()),
                "a file holds one JSON object: remove the extra text, or merge it into the object",
            )
            .label("the story ended before this")
            .related(node.span.start, "the story starts here"));
    }
    Ok(node)
}

struct Parser<'a> {
    s: &'a [u8],
    text: &'a str,
    pos: usize,
    depth: usize,
}

impl<'a> Parser<'a> {
    fn error(&self, message: &str, help: &str) -> SyntaxError {
        SyntaxError::new(self.pos.min(self.s.len()), message, help)
    }

    /// What is at the current position, as a user would say it: a bare word
    /// whole (`NaN`), a character in backquotes, or "the end of the file".
    fn found(&self) -> String {
        let rest = &self.text[self.pos.min(self.s.len())..];
        let word: String = rest
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
            .take(24)
            .collect();
        if word.len() > 1 && word.starts_with(|c: char| c.is_ascii_alphabetic()) {
            return format!("`{word}`");
        }
        match rest.chars().next() {
            None => "the end of the file".into(),
            Some(c) if c.is_control() || c.is_whitespace() || c == '\u{feff}' => {
                format!("the character {}", c.escape_unicode())
            }
            Some(c) => format!("`{c}`"),
        }
    }

    /// An error at the end of the file inside an object or array that opens at `open`.
    fn unclosed(&self, open: usize, what: &str, close: char) -> SyntaxError {
        self.error(
            &format!("the file ends inside {what}: the `{close}` is missing"),
            &format!("add the missing `{close}`, or restore the end of the file if it was cut off"),
        )
        .label("the file ends here")
        .related(
            open,
            format!(
                "this {} is never closed",
                &what[what.find(' ').map_or(0, |i| i + 1)..]
            ),
        )
    }

    fn skip_ws(&mut self) {
        while let Some(&b) = self.s.get(self.pos) {
            if matches!(b, b' ' | b'\t' | b'\n' | b'\r') {
                self.pos += 1;
            } else {
                break;
            }
        }
    }

    fn value(&mut self) -> Result<Node, SyntaxError> {
        let start = self.pos;
        let value = match self.s.get(self.pos) {
            Some(b'{') => self.object()?,
            Some(b'[') => self.array()?,
            Some(b'"') => Value::String(self.string()?),
            Some(b't') => self.literal("true", Value::Bool(true))?,
            Some(b'f') => self.literal("false", Value::Bool(false))?,
            Some(b'n') => self.literal("null", Value::Null)?,
            Some(b'-' | b'0'..=b'9') => self.number()?,
            _ => {
                let found = self.found();
                let msg = format!("expected a value, found {found}");
                let help = bad_start_help(&found, "strings");
                return Err(self.error(&msg, &help).label("expected a value"));
            }
        };
        Ok(Node {
            value,
            span: start..self.pos,
        })
    }

    fn enter(&mut self) -> Result<(), SyntaxError> {
        self.depth += 1;
        if self.depth > MAX_DEPTH {
            return Err(self
                .error(
                    &format!("arrays and objects are nested more than {MAX_DEPTH} deep"),
                    "a story file is only a few levels deep; check for stray brackets",
                )
                .label(format!("level {}", MAX_DEPTH + 1)));
        }
        Ok(())
    }

    fn object(&mut self) -> Result<Value, SyntaxError> {
        self.enter()?;
        let open = self.pos;
        self.pos += 1;
        let mut members = Vec::new();
        self.skip_ws();
        if self.s.get(self.pos) == Some(&b'}') {
            self.pos += 1;
            self.depth -= 1;
            return Ok(Value::Object(members));
        }
        loop {
            self.skip_ws();
            if self.s.get(self.pos) != Some(&b'"') {
                if self.pos >= self.s.len() {
                    return Err(self.unclosed(open, "an object", '}'));
                }
                let found = self.found();
                let msg = format!("expected a field name in double quotes, found {found}");
                let help = if self.s.get(self.pos) == Some(&b'}') {
                    "remove the comma before the `}`: JSON allows no trailing comma".to_string()
                } else {
                    bad_start_help(&found, "field names")
                };
                return Err(self.error(&msg, &help).label("expected \"name\""));
            }
            let key_start = self.pos;
            let key = self.string()?;
            let key_span = key_start..self.pos;
            let key_at = key_start;
            self.skip_ws();
            if self.s.get(self.pos) != Some(&b':') {
                let msg = format!(
                    "expected `:` after the field name \"{key}\", found {}",
                    self.found()
                );
                return Err(self
                    .error(&msg, "put a colon between a field's name and its value")
                    .label("expected `:`"));
            }
            self.pos += 1;
            self.skip_ws();
            let node = self.value()?;
            members.push(Member {
                key,
                key_span,
                node,
            });
            self.skip_ws();
            match self.s.get(self.pos) {
                Some(b',') => self.pos += 1,
                Some(b'}') => {
                    self.pos += 1;
                    self.depth -= 1;
                    return Ok(Value::Object(members));
                }
                None => return Err(self.unclosed(open, "an object", '}')),
                _ => {
                    let msg = format!("expected `,` or `}}` after a field, found {}", self.found());
                    return Err(self
                        .error(
                            &msg,
                            "separate fields with commas and close the object with `}`",
                        )
                        .label("expected `,` or `}`")
                        .related(key_at, "after this field"));
                }
            }
        }
    }

    fn array(&mut self) -> Result<Value, SyntaxError> {
        self.enter()?;
        let open = self.pos;
        self.pos += 1;
        let mut items = Vec::new();
        self.skip_ws();
        if self.s.get(self.pos) == Some(&b']') {
            self.pos += 1;
            self.depth -= 1;
            return Ok(Value::Array(items));
        }
        loop {
            self.skip_ws();
            if self.s.get(self.pos) == Some(&b']') {
                return Err(self
                    .error(
                        "expected a value, found `]`",
                        "remove the comma before the `]`: JSON allows no trailing comma",
                    )
                    .label("expected a value after the comma"));
            }
            if self.pos >= self.s.len() {
                return Err(self.unclosed(open, "an array", ']'));
            }
            items.push(self.value()?);
            self.skip_ws();
            match self.s.get(self.pos) {
                Some(b',') => self.pos += 1,
                Some(b']') => {
                    self.pos += 1;
                    self.depth -= 1;
                    return Ok(Value::Array(items));
                }
                None => return Err(self.unclosed(open, "an array", ']')),
                _ => {
                    let msg = format!(
                        "expected `,` or `]` after an array item, found {}",
                        self.found()
                    );
                    let item = items.last().map_or(open, |n| n.span.start);
                    return Err(self
                        .error(
                            &msg,
                            "separate items with commas and close the array with `]`",
                        )
                        .label("expected `,` or `]`")
                        .related(item, "after this item"));
                }
            }
        }
    }

    fn literal(&mut self, word: &str, value: Value) -> Result<Value, SyntaxError> {
        if self.s[self.pos..].starts_with(word.as_bytes()) {
            self.pos += word.len();
            Ok(value)
        } else {
            let msg = format!("expected a value, found {}", self.found());
            Err(self
                .error(
                    &msg,
                    "strings need double quotes; the bare words JSON knows are true, false and null",
                )
                .label("expected a value"))
        }
    }

    fn number(&mut self) -> Result<Value, SyntaxError> {
        let start = self.pos;
        let bad = |p: &Self| {
            SyntaxError::new(
                start,
                format!(
                    "malformed number `{}`",
                    p.text[start..]
                        .chars()
                        .take_while(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '+'))
                        .take(24)
                        .collect::<String>()
                ),
                "write numbers like 12, -3, 4.5 or 1e6, with no leading zeros; write anything else as a string in double quotes",
            )
            .label("not a JSON number")
        };
        if self.s.get(self.pos) == Some(&b'-') {
            self.pos += 1;
        }
        match self.s.get(self.pos) {
            Some(b'0') => self.pos += 1,
            Some(b'1'..=b'9') => self.eat_digits(),
            _ => return Err(bad(self)),
        }
        if self.s.get(self.pos) == Some(&b'.') {
            self.pos += 1;
            if !self.s.get(self.pos).is_some_and(u8::is_ascii_digit) {
                return Err(bad(self));
            }
            self.eat_digits();
        }
        if matches!(self.s.get(self.pos), Some(b'e' | b'E')) {
            self.pos += 1;
            if matches!(self.s.get(self.pos), Some(b'+' | b'-')) {
                self.pos += 1;
            }
            if !self.s.get(self.pos).is_some_and(u8::is_ascii_digit) {
                return Err(bad(self));
            }
            self.eat_digits();
        }
        if self
            .s
            .get(self.pos)
            .is_some_and(|b| b.is_ascii_alphanumeric() || *b == b'.')
        {
            return Err(bad(self));
        }
        Ok(Value::Number(self.text[start..self.pos].to_string()))
    }

    fn eat_digits(&mut self) {
        while self.s.get(self.pos).is_some_and(u8::is_ascii_digit) {
            self.pos += 1;
        }
    }

    fn string(&mut self) -> Result<String, SyntaxError> {
        let open = self.pos;
        self.pos += 1;
        let mut out = String::new();
        loop {
            let run_start = self.pos;
            while let Some(&b) = self.s.get(self.pos) {
                if b == b'"' || b == b'\\' || b < 0x20 {
                    break;
                }
                self.pos += 1;
            }
            let run = &self.text[run_start..self.pos];
            if !run.is_ascii() {
                if let Some((i, c)) = run.char_indices().find(|&(_, c)| is_noncharacter(c)) {
                    return Err(noncharacter(run_start + i, c, false));
                }
            }
            out.push_str(run);
            match self.s.get(self.pos) {
                None => {
                    return Err(SyntaxError::new(
                        open,
                        "the file ends inside a string",
                        "add the closing double quote, or restore the end of the file if it was cut off",
                    )
                    .label("this string is never closed"))
                }
                Some(b'"') => {
                    self.pos += 1;
                    return Ok(out);
                }
                Some(b'\\') => {
                    self.pos += 1;
                    let c = match self.s.get(self.pos) {
                        Some(b'"') => '"',
                        Some(b'\\') => '\\',
                        Some(b'/') => '/',
                        Some(b'b') => '\u{8}',
                        Some(b'f') => '\u{c}',
                        Some(b'n') => '\n',
                        Some(b'r') => '\r',
                        Some(b't') => '\t',
                        Some(b'u') => {
                            let at = self.pos - 1;
                            self.pos += 1;
                            let c = self.unicode_escape()?;
                            if is_noncharacter(c) {
                                return Err(noncharacter(at, c, true));
                            }
                            out.push(c);
                            continue;
                        }
                        _ => {
                            let next = self.text[self.pos..].chars().next().map_or_else(
                                String::new,
                                |c| c.escape_default().to_string(),
                            );
                            let msg = format!("unknown escape `\\{next}` in a string");
                            return Err(SyntaxError::new(
                                self.pos - 1,
                                msg,
                                "valid escapes are \\\" \\\\ \\/ \\b \\f \\n \\r \\t and \\uXXXX; write \\\\ for a backslash",
                            )
                            .label("unknown escape"));
                        }
                    };
                    self.pos += 1;
                    out.push(c);
                }
                Some(b'\n' | b'\r') => {
                    return Err(SyntaxError::new(
                        open,
                        "this string runs past the end of its line",
                        "close the string with a double quote on the same line; inside a string, write a line break as \\n",
                    )
                    .label("the string starts here")
                    .related(self.pos, "the line ends before the closing `\"`"))
                }
                Some(&b) => {
                    let (name, escape) = match b {
                        b'\t' => ("a tab".to_string(), "\\t".to_string()),
                        _ => (format!("the control character U+{b:04X}"), format!("\\u{b:04x}")),
                    };
                    return Err(self
                        .error(
                            &format!("{name} inside a string"),
                            &format!("JSON strings cannot hold raw control characters: write it as the escape {escape}"),
                        )
                        .label(format!("{name}, written raw")))
                }
            }
        }
    }

    /// Reads the four hex digits after `\u`; errors point at the backslash.
    fn hex4(&mut self) -> Result<u32, SyntaxError> {
        let at = self.pos.saturating_sub(2);
        let h = self.s.get(self.pos..self.pos + 4).ok_or_else(|| {
            SyntaxError::new(
                at,
                "incomplete \\u escape",
                "write \\u followed by four hex digits",
            )
            .label("expected four hex digits")
        })?;
        // from_str_radix alone would accept a sign (`\u+123`).
        let h = std::str::from_utf8(h)
            .ok()
            .filter(|h| h.bytes().all(|b| b.is_ascii_hexdigit()))
            .and_then(|h| u32::from_str_radix(h, 16).ok());
        match h {
            Some(v) => {
                self.pos += 4;
                Ok(v)
            }
            None => Err(SyntaxError::new(
                at,
                "malformed \\u escape",
                "write \\u followed by four hex digits, e.g. \\u00e9 for é",
            )
            .label("expected four hex digits")),
        }
    }

    fn unicode_escape(&mut self) -> Result<char, SyntaxError> {
        let at = self.pos.saturating_sub(2);
        let hi = self.hex4()?;
        if (0xD800..0xDC00).contains(&hi) {
            if self.s.get(self.pos..self.pos + 2) == Some(b"\\u") {
                self.pos += 2;
                let lo = self.hex4()?;
                if (0xDC00..0xE000).contains(&lo) {
                    let c = 0x10000 + ((hi - 0xD800) << 10) + (lo - 0xDC00);
                    return char::from_u32(c).ok_or_else(|| {
                        self.error("invalid \\u escape", "check the surrogate pair")
                    });
                }
            }
            return Err(SyntaxError::new(
                at,
                "a lone surrogate in a \\u escape",
                "write the character itself, or a valid surrogate pair",
            )
            .label("expected a second \\u escape (\\udc00 to \\udfff)"));
        }
        if (0xDC00..0xE000).contains(&hi) {
            return Err(SyntaxError::new(
                at,
                "a lone surrogate in a \\u escape",
                "write the character itself, or a valid surrogate pair",
            )
            .label("a second half without a first"));
        }
        char::from_u32(hi).ok_or_else(|| {
            self.error(
                "invalid \\u escape",
                "write \\u followed by four hex digits",
            )
        })
    }
}

/// Writes a value as pretty JSON, indented by `indent` levels of two spaces.
pub fn write_value(out: &mut String, v: &Value, indent: usize) {
    match v {
        Value::Null => out.push_str("null"),
        Value::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
        Value::Number(n) => out.push_str(n),
        Value::String(s) => write_string(out, s),
        Value::Array(items) if items.is_empty() => out.push_str("[]"),
        Value::Object(members) if members.is_empty() => out.push_str("{}"),
        Value::Array(items) => {
            out.push('[');
            for (i, item) in items.iter().enumerate() {
                out.push_str(if i == 0 { "\n" } else { ",\n" });
                pad(out, indent + 1);
                write_value(out, &item.value, indent + 1);
            }
            out.push('\n');
            pad(out, indent);
            out.push(']');
        }
        Value::Object(members) => {
            out.push('{');
            for (i, m) in members.iter().enumerate() {
                out.push_str(if i == 0 { "\n" } else { ",\n" });
                pad(out, indent + 1);
                write_string(out, &m.key);
                out.push_str(": ");
                write_value(out, &m.node.value, indent + 1);
            }
            out.push('\n');
            pad(out, indent);
            out.push('}');
        }
    }
}

/// Appends `2 * levels` spaces.
pub fn pad(out: &mut String, levels: usize) {
    for _ in 0..levels {
        out.push_str("  ");
    }
}

#[cfg(test)]
mod tests {
    use super::{parse, write_string, Value};

    #[test]
    fn spans_and_order() {
        let n = parse(r#"{"b": 1.50, "a": [true, null, "x\u00e9\ud83d\ude00"]}"#).unwrap();
        let Value::Object(m) = &n.value else { panic!() };
        assert_eq!(m[0].key, "b");
        assert_eq!(m[0].node.value, Value::Number("1.50".into()));
        assert_eq!(m[0].node.span, 6..10);
        let Value::Array(items) = &m[1].node.value else {
            panic!()
        };
        assert_eq!(items[2].value, Value::String("xé😀".into()));
    }

    #[test]
    fn equality_ignores_spans() {
        let a = parse(r#"{"x": [1.50, {"y": null}]}"#).unwrap();
        let b = parse("{\n  \"x\": [\n    1.50,\n    { \"y\": null }\n  ]\n}").unwrap();
        assert_ne!(a.span, b.span);
        assert_eq!(a, b);
        let c = parse(r#"{"x": [1.5, {"y": null}]}"#).unwrap();
        assert_ne!(a, c, "numbers compare as written");
    }

    #[test]
    fn deep_nesting_is_an_error_not_a_crash() {
        let s = "[".repeat(100_000);
        let e = parse(&s).unwrap_err();
        assert!(e.message.contains("nested"), "{}", e.message);
    }

    #[test]
    fn syntax_errors() {
        for bad in [
            "",
            "   ",
            "{",
            "{\"a\" 1}",
            "{\"a\": 1,}",
            "[1,]",
            "[01]",
            "'x'",
            "{\"a\": tru}",
            "\"\\x\"",
            "1 2",
            "\"a\nb\"",
            "\"\\u+123\"",
            "\"\\u-123\"",
            "\"\\u 123\"",
        ] {
            assert!(parse(bad).is_err(), "{bad:?}");
        }
    }

    #[test]
    fn syntax_errors_say_what_was_found() {
        let e = parse("{\"a\": NaN}").unwrap_err();
        assert_eq!(e.message, "expected a value, found `NaN`");
        assert!(e.help.contains("no NaN"), "{}", e.help);
        let e = parse("{\n  // note\n}").unwrap_err();
        assert!(e.help.contains("no comments"), "{}", e.help);
        let e = parse("{\"a\": \"x\n\"}").unwrap_err();
        assert_eq!((e.offset, e.related.map(|r| r.0)), (6, Some(8)));
        let e = parse("{\"a\": [1,\n").unwrap_err();
        assert_eq!(e.related.map(|r| r.0), Some(6));
    }

    #[test]
    fn control_and_invisible_characters_are_escaped() {
        let mut out = String::new();
        write_string(&mut out, "a\u{0}b\u{7f}c\u{85}d\u{9f}e\u{a0}f\u{200f}g é");
        assert_eq!(
            out,
            "\"a\\u0000b\\u007fc\\u0085d\\u009fe\\u00a0f\\u200fg é\""
        );
    }

    #[test]
    fn strings_round_trip() {
        let s = "quote \" back \\ nl \n tab \t ctl \u{1} rtl \u{200f} emoji 😀";
        let mut out = String::new();
        write_string(&mut out, s);
        assert_eq!(parse(&out).unwrap().value, Value::String(s.into()));
    }
}
