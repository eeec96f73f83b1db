//! The lossless value type: JSON values as a file held them, for the fields
//! format 1 does not define (kept and written back unchanged).

use std::ops::Range;

/// A JSON value with the byte span it was read from.
///
/// Two nodes are equal when their values are: the span records where a value
/// was read, not what it is, so that a story read from two differently laid
/// out files compares equal.
#[derive(Debug, Clone)]
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

/// One `"key": value` pair of an object. Equality ignores the spans.
#[derive(Debug, Clone)]
pub struct Member {
    /// The key, unescaped.
    pub key: String,
    /// Byte range of the key (with its quotes).
    pub key_span: Range<usize>,
    /// The value.
    pub node: Node,
}

impl PartialEq for Node {
    fn eq(&self, other: &Self) -> bool {
        self.value == other.value
    }
}

impl PartialEq for Member {
    fn eq(&self, other: &Self) -> bool {
        self.key == other.key && self.node == other.node
    }
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
