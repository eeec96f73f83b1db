//! A small JSON reader that remembers where every value came from.
//!
//! serde_json gives no positions for values, and grapevine's errors must point at
//! the line and column of the offending value; it must also write numbers and
//! unknown fields back exactly as they were written. So the loader reads the file
//! into [`Node`]s that carry their byte span, keep object keys in file order,
//! and keep numbers as their source text. Nesting is limited to
//! [`MAX_DEPTH`] levels so hostile input cannot overflow the stack.

use std::ops::Range;

/// Deepest nesting of arrays and objects accepted.
pub const MAX_DEPTH: usize = 128;

/// A JSON value with the byte span it was read from.
#[derive(Debug, Clone, PartialEq)]
pub struct Node {
    /// The value.
    pub value: Value,
    /// Byte range in the source text.
    pub span: Range<usize>,
}

/// A JSON value. Numbers keep their source text; objects keep key order.
#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    /// `null`
    Null,
    /// `true` / `false`
    Bool(bool),
    /// A number, as written.
    Number(String),
    /// A string, unescaped.
    String(String),
    /// An array.
    Array(Vec<Node>),
    /// An object: `(key, key span, value)` in file order.
    Object(Vec<Member>),
}

/// One `"key": value` pair of an object.
#[derive(Debug, Clone, PartialEq)]
pub struct Member {
    /// The key, unescaped.
    pub key: String,
    /// Byte range of the key (with its quotes).
    pub key_span: Range<usize>,
    /// The value.
    pub node: Node,
}

impl Value {
    /// The JSON type's name as a user would say it: "a string", "an array".
    pub fn type_name(&self) -> &'static str {
        match self {
            Value::Null => "null",
            Value::Bool(_) => "a boolean",
            Value::Number(_) => "a number",
            Value::String(_) => "a string",
            Value::Array(_) => "an array",
            Value::Object(_) => "an object",
        }
    }
}

/// A syntax error at a byte offset.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SyntaxError {
    /// Byte offset of the problem.
    pub offset: usize,
    /// What was found, what was expected.
    pub message: String,
    /// How to fix it.
    pub help: String,
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
        return Err(SyntaxError {
            offset: 0,
            message: "the file is empty".into(),
            help: "a story file is a JSON object: start from {\"format\": \"grapevine/1\", \"entities\": []}".into(),
        });
    }
    let node = p.value()?;
    p.skip_ws();
    if p.pos < p.s.len() {
        return Err(p.error(
            "unexpected text after the end of the JSON value",
            "remove it, or wrap everything in one object",
        ));
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
        SyntaxError {
            offset: self.pos.min(self.s.len()),
            message: message.into(),
            help: help.into(),
        }
    }

    fn found(&self) -> String {
        match self.text[self.pos.min(self.s.len())..].chars().next() {
            None => "the end of the file".into(),
            Some(c) if c.is_control() => format!("{c:?}"),
            Some(c) => format!("`{c}`"),
        }
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
                let msg = format!("expected a value, found {}", self.found());
                let help = if self.s.get(self.pos) == Some(&b'\'') {
                    "JSON strings use double quotes"
                } else {
                    "a value is a string in double quotes, a number, true, false, null, an array [...] or an object {...}"
                };
                return Err(self.error(&msg, help));
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
            return Err(self.error(
                &format!("arrays and objects are nested more than {MAX_DEPTH} deep"),
                "a story file is only a few levels deep; check for stray brackets",
            ));
        }
        Ok(())
    }

    fn object(&mut self) -> Result<Value, SyntaxError> {
        self.enter()?;
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
                let msg = format!(
                    "expected a field name in double quotes, found {}",
                    self.found()
                );
                let help = if self.s.get(self.pos) == Some(&b'}') {
                    "remove the comma before the `}`: JSON allows no trailing comma"
                } else {
                    "write the name in double quotes: \"name\": value"
                };
                return Err(self.error(&msg, help));
            }
            let key_start = self.pos;
            let key = self.string()?;
            let key_span = key_start..self.pos;
            self.skip_ws();
            if self.s.get(self.pos) != Some(&b':') {
                let msg = format!(
                    "expected `:` after the field name \"{key}\", found {}",
                    self.found()
                );
                return Err(self.error(&msg, "put a colon between a field's name and its value"));
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
                _ => {
                    let msg = format!("expected `,` or `}}` after a field, found {}", self.found());
                    return Err(self.error(
                        &msg,
                        "separate fields with commas and close the object with `}`",
                    ));
                }
            }
        }
    }

    fn array(&mut self) -> Result<Value, SyntaxError> {
        self.enter()?;
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
                return Err(self.error(
                    "expected a value, found `]`",
                    "remove the comma before the `]`: JSON allows no trailing comma",
                ));
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
                _ => {
                    let msg = format!(
                        "expected `,` or `]` after an array item, found {}",
                        self.found()
                    );
                    return Err(self.error(
                        &msg,
                        "separate items with commas and close the array with `]`",
                    ));
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
            Err(self.error(
                &msg,
                "strings need double quotes; the bare words JSON knows are true, false and null",
            ))
        }
    }

    fn number(&mut self) -> Result<Value, SyntaxError> {
        let start = self.pos;
        let bad = |p: &Self| {
            p.error(
                "malformed number",
                "write numbers like 12, -3, 4.5 or 1e6, with no leading zeros",
            )
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
            out.push_str(&self.text[run_start..self.pos]);
            match self.s.get(self.pos) {
                None => {
                    return Err(SyntaxError {
                        offset: open,
                        message: "this string is never closed".into(),
                        help: "add the closing double quote".into(),
                    })
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
                            self.pos += 1;
                            let c = self.unicode_escape()?;
                            out.push(c);
                            continue;
                        }
                        _ => {
                            let msg = format!(
                                "unknown escape `\\{}` in a string",
                                self.found().trim_matches('`')
                            );
                            return Err(self.error(&msg, "valid escapes are \\\" \\\\ \\/ \\b \\f \\n \\r \\t and \\uXXXX; write \\\\ for a backslash"));
                        }
                    };
                    self.pos += 1;
                    out.push(c);
                }
                Some(_) => {
                    return Err(self.error(
                        "a control character (such as a raw line break or tab) inside a string",
                        "write it as an escape: \\n for a line break, \\t for a tab",
                    ))
                }
            }
        }
    }

    fn hex4(&mut self) -> Result<u32, SyntaxError> {
        let h = self.s.get(self.pos..self.pos + 4).ok_or_else(|| {
            self.error(
                "incomplete \\u escape",
                "write \\u followed by four hex digits",
            )
        })?;
        let h = std::str::from_utf8(h)
            .ok()
            .and_then(|h| u32::from_str_radix(h, 16).ok());
        match h {
            Some(v) => {
                self.pos += 4;
                Ok(v)
            }
            None => Err(self.error(
                "malformed \\u escape",
                "write \\u followed by four hex digits",
            )),
        }
    }

    fn unicode_escape(&mut self) -> Result<char, SyntaxError> {
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
            return Err(self.error(
                "a lone surrogate in a \\u escape",
                "write the character itself, or a valid surrogate pair",
            ));
        }
        if (0xDC00..0xE000).contains(&hi) {
            return Err(self.error(
                "a lone surrogate in a \\u escape",
                "write the character itself, or a valid surrogate pair",
            ));
        }
        char::from_u32(hi).ok_or_else(|| {
            self.error(
                "invalid \\u escape",
                "write \\u followed by four hex digits",
            )
        })
    }
}

/// Writes `s` as a JSON string literal.
pub fn write_string(out: &mut String, s: &str) {
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            '\u{8}' => out.push_str("\\b"),
            '\u{c}' => out.push_str("\\f"),
            c if (c as u32) < 0x20 || c == '\u{7f}' || c == '\u{2028}' || c == '\u{2029}' => {
                out.push_str(&format!("\\u{:04x}", c as u32))
            }
            c => out.push(c),
        }
    }
    out.push('"');
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
    use super::*;

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
        ] {
            assert!(parse(bad).is_err(), "{bad:?}");
        }
    }

    #[test]
    fn strings_round_trip() {
        let s = "quote \" back \\ nl \n tab \t ctl \u{1} rtl \u{200f} emoji 😀";
        let mut out = String::new();
        write_string(&mut out, s);
        assert_eq!(parse(&out).unwrap().value, Value::String(s.into()));
    }
}
