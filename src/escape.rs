//! Escaping user text for each context it is written into: one function per
//! context, each with its own rules. A leaf: it uses nothing of the crate.
//!
//! - [`svg`]: text or a double-quoted attribute value in the SVG we draw;
//! - [`xml_replacing`]: text or an attribute value in an exported XML file
//!   (GEXF, GraphML), with its losses counted;
//! - [`html_text`], [`html_attr`]: HTML content and attribute values;
//! - [`script_json`]: JSON inside an HTML `<script>`;
//! - [`dot_string`], [`dot_escstring`]: a Graphviz DOT double-quoted
//!   string (a label; a tooltip or link, which Graphviz reads twice);
//! - [`mermaid_label`]: a Mermaid double-quoted label.

/// Escapes text for the SVG pictures (content or attribute values): `&`,
/// `<`, `>`, both quotes as entities, a newline as `&#10;` (kept in
/// attributes), a tab as a space; control characters, U+FFFE and U+FFFF are
/// dropped.
///
/// ```
/// assert_eq!(grapevine::internals::escape::svg("a<b> & \"c'\n\t\u{0}"), "a&lt;b&gt; &amp; &quot;c&apos;&#10; ");
/// ```
pub fn svg(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            '\n' => out.push_str("&#10;"),
            '\t' => out.push(' '),
            '\u{FFFE}' | '\u{FFFF}' => {}
            c if c.is_control() => {}
            c => out.push(c),
        }
    }
    out
}

/// Escapes text for an exported XML file: `&`, `<`, `>`, both quotes, tab,
/// line feed and carriage return as references (so attributes keep them);
/// characters XML 1.0 cannot hold at all ([`xml_forbidden`]) become U+FFFD.
/// Returns the text and whether anything was replaced.
pub fn xml_replacing(s: &str) -> (String, bool) {
    let mut out = String::with_capacity(s.len());
    let mut replaced = false;
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            '\t' => out.push_str("&#9;"),
            '\n' => out.push_str("&#10;"),
            '\r' => out.push_str("&#13;"),
            c if xml_forbidden(c) => {
                out.push('\u{fffd}');
                replaced = true;
            }
            c => out.push(c),
        }
    }
    (out, replaced)
}

/// True for a character XML 1.0 cannot hold, even as a reference.
pub fn xml_forbidden(c: char) -> bool {
    matches!(c, '\u{0}'..='\u{8}' | '\u{b}' | '\u{c}' | '\u{e}'..='\u{1f}' | '\u{fffe}' | '\u{ffff}')
}

/// Escapes text for HTML content: `&`, `<`, `>`, quotes as character
/// references; control characters (but newline and tab) and noncharacters
/// are dropped, since HTML forbids them.
pub fn html_text(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            '\n' | '\t' => out.push(c),
            c if c.is_control() || is_noncharacter(c) => {}
            c => out.push(c),
        }
    }
    out
}

/// Escapes text for a double-quoted HTML attribute value: as [`html_text`],
/// with newlines and tabs as spaces.
pub fn html_attr(s: &str) -> String {
    html_text(&s.replace(['\n', '\t'], " "))
}

fn is_noncharacter(c: char) -> bool {
    let n = c as u32;
    (0xFDD0..=0xFDEF).contains(&n) || (n & 0xFFFE) == 0xFFFE
}

/// JSON for a `<script type="application/json">` block: `<`, `>` and `&`
/// as `\u` escapes (no `</script>` nor `<!--` can end or change the block),
/// U+2028 and U+2029 escaped too (they end a line in older JavaScript).
pub fn script_json(value: &serde_json::Value) -> String {
    let raw = value.to_string();
    let mut out = String::with_capacity(raw.len());
    for c in raw.chars() {
        match c {
            '<' => out.push_str("\\u003c"),
            '>' => out.push_str("\\u003e"),
            '&' => out.push_str("\\u0026"),
            '\u{2028}' => out.push_str("\\u2028"),
            '\u{2029}' => out.push_str("\\u2029"),
            c => out.push(c),
        }
    }
    out
}

/// Quotes `text` as a DOT double-quoted string.
///
/// `\` becomes `\\`, `"` becomes `\"`, a newline becomes `\n` (a line break
/// in Graphviz labels), a carriage return is dropped, other control
/// characters become spaces, and `&` becomes `&amp;` (Graphviz reads HTML
/// entities in labels, so a literal `&` must be written as one). A string
/// that would end in a backslash gets a trailing space, because Graphviz's
/// lexer reads `\"` as an escaped quote even after another backslash.
///
/// ```
/// use grapevine::internals::escape::dot_string;
/// assert_eq!(dot_string("say \"hi\"\\\nbye\r"), r#""say \"hi\"\\\nbye""#);
/// assert_eq!(dot_string("a\\"), r#""a\\ ""#);
/// assert_eq!(dot_string("R&D"), r#""R&amp;D""#);
/// ```
pub fn dot_string(text: &str) -> String {
    quoted_dot(text, "\\\\")
}

/// Escapes text for a Graphviz DOT double-quoted string that Graphviz reads
/// as an `escString` twice, as it reads a `tooltip`, `URL` or `target`:
/// once replacing `\N`, `\G`, `\E`, `\H`, `\T` and `\L` by the node's
/// name, the graph's, the edge's and the label, and once more reading
/// `\\` as `\`. A backslash is written as four (which `dot -Tsvg` gives
/// back as one), the rest as in [`dot_string`]: a name `C:\network\N` is
/// `C:\network\N` in the tooltip, not `C:` and a line break and the node's
/// name.
///
/// ```
/// use grapevine::internals::escape::dot_escstring;
/// assert_eq!(dot_escstring("C:\\N\n"), r#""C:\\\\N\n""#);
/// ```
pub fn dot_escstring(text: &str) -> String {
    quoted_dot(text, "\\\\\\\\")
}

/// A DOT double-quoted string with `backslash` for each backslash.
fn quoted_dot(text: &str, backslash: &str) -> String {
    let mut out = String::with_capacity(text.len() + 2);
    out.push('"');
    for c in text.chars() {
        match c {
            '\\' => out.push_str(backslash),
            '"' => out.push_str("\\\""),
            '\n' => out.push_str("\\n"),
            '\r' => {}
            '&' => out.push_str("&amp;"),
            c if c.is_control() => out.push(' '),
            c => out.push(c),
        }
    }
    if out.ends_with('\\') {
        out.push(' ');
    }
    out.push('"');
    out
}

/// Escapes text for a double-quoted Mermaid label: `"`, `#`, `<`, `>`,
/// `` ` `` and `%` as Mermaid's `#quot;`-style codes (`%` as `#37;`, drawn
/// as `%`: Mermaid applies a `%%{init: ...}%%` directive found anywhere
/// in the text, labels included, before it parses anything); a line break
/// (`\n`, `\r\n`, `\r`, U+2028, U+2029, U+0085) as `<br>`; another control
/// character as a space. Returns the text and whether a control character was dropped.
pub fn mermaid_label(s: &str) -> (String, bool) {
    let mut out = String::with_capacity(s.len());
    let mut dropped = false;
    let mut chars = s.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '"' => out.push_str("#quot;"),
            '#' => out.push_str("#35;"),
            '<' => out.push_str("#lt;"),
            '>' => out.push_str("#gt;"),
            '`' => out.push_str("#96;"),
            '%' => out.push_str("#37;"),
            '\r' => {
                if chars.peek() != Some(&'\n') {
                    out.push_str("<br>");
                }
            }
            '\n' | '\u{2028}' | '\u{2029}' | '\u{85}' => out.push_str("<br>"),
            c if c.is_control() => {
                out.push(' ');
                dropped = true;
            }
            c => out.push(c),
        }
    }
    (out, dropped)
}

#[cfg(test)]
mod tests {
    use super::{html_attr, html_text, mermaid_label, script_json, xml_replacing};

    #[test]
    fn escapes_for_each_html_context() {
        assert_eq!(
            html_text("<script>alert('x')</script> & \"\u{0}"),
            "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; &quot;"
        );
        assert_eq!(html_attr("a\nb\"><img"), "a b&quot;&gt;&lt;img");
        let j = script_json(&serde_json::json!({"q": "</script><!-- \u{2028}&"}));
        assert!(!j.contains('<') && !j.contains('\u{2028}') && !j.contains('&'));
        let back: serde_json::Value = serde_json::from_str(&j).unwrap();
        assert_eq!(back["q"], "</script><!-- \u{2028}&");
    }

    #[test]
    fn xml_escaping() {
        assert_eq!(
            xml_replacing("a<b>&\"c'\n\r\t"),
            (
                "a&lt;b&gt;&amp;&quot;c&apos;&#10;&#13;&#9;".to_string(),
                false
            )
        );
        assert_eq!(xml_replacing("nul\u{0}"), ("nul\u{fffd}".to_string(), true));
        assert_eq!(xml_replacing("\u{85}é"), ("\u{85}é".to_string(), false));
    }

    #[test]
    fn mermaid_labels() {
        assert_eq!(
            mermaid_label("say \"hi\" <b>#1</b>\nnext `x`"),
            (
                "say #quot;hi#quot; #lt;b#gt;#35;1#lt;/b#gt;<br>next #96;x#96;".to_string(),
                false
            )
        );
        assert_eq!(mermaid_label("a\u{7}b"), ("a b".to_string(), true));
        let (t, _) = mermaid_label("%%{init: {\"theme\": \"forest\"}}%% 50%");
        assert!(!t.contains('%'), "{t}");
        assert_eq!(
            t,
            "#37;#37;{init: {#quot;theme#quot;: #quot;forest#quot;}}#37;#37; 50#37;"
        );
    }
}
