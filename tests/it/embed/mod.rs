//! The HTML page of `render -o story.html` (docs/embed.md): one file with
//! nothing fetched, the finding without JavaScript, the contract of
//! `#gv-time`, `data-entity`, `data-event` and `data-state`, a hostile story
//! rendered inert, and in headless Chromium: no console error and no
//! request, the slider's states equal to `reach --until` at every event
//! date of the story, a contact's card, nothing overflowing at 375 px, the
//! page working under its own Content-Security-Policy.
//!
//! Without Chromium the browser tests are skipped, unless
//! GRAPEVINE_REQUIRE_CHROMIUM is set: then they fail. With
//! GRAPEVINE_SCREENSHOTS=DIR the page is also photographed at 375 and 1280
//! px into DIR (embed-phone-375.png, embed-wide-1280.png).
#![cfg(feature = "svg")]

mod browser;

use std::collections::BTreeSet;
use std::path::Path;
use std::process::{Command, Output};

use serde_json::Value;

const BIN: &str = env!("CARGO_BIN_EXE_grapevine");
const BUNDLED: &str = "graphs/trump-jr-wikileaks.json";

fn grapevine(args: &[&str]) -> Output {
    Command::new(BIN)
        .args(args)
        .output()
        .expect("grapevine runs")
}

/// Renders `story` with `extra` options into `dir/name`; returns the page.
fn render(dir: &Path, story: &str, name: &str, extra: &[&str]) -> String {
    let out = dir.join(name);
    let mut args = vec!["render", story, "-o", out.to_str().unwrap()];
    args.extend_from_slice(extra);
    let o = grapevine(&args);
    assert!(
        o.status.success(),
        "render failed: {}",
        String::from_utf8_lossy(&o.stderr)
    );
    std::fs::read_to_string(out).unwrap()
}

/// `render` of the bundled story's page to `out` with `--embed-snippet` and
/// `extra` options.
fn render_snippet(out: &Path, extra: &[&str]) -> Output {
    let out = out.to_str().unwrap();
    let mut args = vec![
        "render",
        BUNDLED,
        "--message",
        "pac-tip",
        "-o",
        out,
        "--embed-snippet",
    ];
    args.extend_from_slice(extra);
    grapevine(&args)
}

/// The bundled story's page written to `out` with `--embed-snippet`: the
/// page and the snippet printed.
fn page_and_snippet(out: &Path) -> (String, String) {
    let o = render_snippet(out, &[]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let page = std::fs::read_to_string(out).unwrap();
    (page, String::from_utf8(o.stdout).unwrap())
}

fn bundled(dir: &Path) -> String {
    render(dir, BUNDLED, "story.html", &["--message", "pac-tip"])
}

/// The content of every `<script>` and `<style>` element, with its start tag.
fn blocks<'a>(page: &'a str, tag: &str) -> Vec<(&'a str, &'a str)> {
    let mut out = Vec::new();
    let mut rest = page;
    let open = format!("<{tag}");
    let close = format!("</{tag}>");
    while let Some(i) = rest.find(&open) {
        let after = &rest[i..];
        let Some(gt) = after.find('>') else { break };
        let Some(end) = after.find(&close) else { break };
        out.push((&after[..=gt], &after[gt + 1..end]));
        rest = &after[end + close.len()..];
    }
    out
}

#[test]
fn one_file_within_its_budget_and_nothing_fetched() {
    let dir = tempfile::tempdir().unwrap();
    let page = bundled(dir.path());
    assert!(
        page.len() <= grapevine::internals::render::html::SIZE_BUDGET,
        "{} bytes",
        page.len()
    );
    eprintln!("bundled story's page: {} bytes", page.len());
    let scripts = blocks(&page, "script");
    assert_eq!(scripts.len(), 2, "the data and the script, nothing else");
    assert_eq!(
        scripts[0].0,
        "<script type=\"application/json\" id=\"gv-data\">"
    );
    assert_eq!(scripts[1].0, "<script>");
    let styles = blocks(&page, "style");
    assert_eq!(styles.len(), 1);
    for bad in [
        "<link",
        "<img",
        "<iframe",
        "@import",
        "url(",
        " src=",
        "eval(",
        "new Function",
        "innerHTML",
    ] {
        assert!(!page.contains(bad), "the page holds {bad}");
    }
    // Every link is http(s) (sources) and nothing loads one.
    for (i, _) in page.match_indices("href=\"") {
        let v = &page[i + 6..];
        assert!(
            v.starts_with("http://") || v.starts_with("https://"),
            "{}",
            &v[..40.min(v.len())]
        );
    }
    // Its own CSP names exactly its script and style by hash.
    let csp = grapevine::internals::render::html::csp();
    let hash = grapevine::internals::render::html::csp::csp_hash;
    assert!(csp.contains(&hash(scripts[1].1)), "{csp}");
    assert!(csp.contains(&hash(styles[0].1)), "{csp}");
    assert!(csp.starts_with("default-src 'none'"));
    assert!(page.contains(&format!(
        "<meta http-equiv=\"Content-Security-Policy\" content=\"{}\">",
        csp.replace('\'', "&#39;")
    )));
}

/// The page without its scripts: what a reader without JavaScript sees.
fn without_scripts(page: &str) -> String {
    let mut out = page.to_string();
    while let Some(i) = out.find("<script") {
        let Some(j) = out[i..].find("</script>") else {
            break;
        };
        out.replace_range(i..i + j + "</script>".len(), "");
    }
    out
}

#[test]
fn the_finding_and_the_table_without_javascript() {
    let dir = tempfile::tempdir().unwrap();
    let page = without_scripts(&bundled(dir.path()));
    assert!(page.contains("<h2 class=\"gv-title\">WikiLeaks’ first message to Trump Jr. reached the top of the Trump campaign</h2>"));
    assert!(page.contains("<p class=\"gv-finding\">8 people, 2 organisations and 2 groups could have seen “WikiLeaks tip: anti-Trump PAC site and its password”; the link to Donald Trump rests on a contact whose occurrence is unknown.</p>"), "{page}");
    assert!(page.contains("<svg"), "the static picture");
    // The table says what `reach` says, in its words.
    let o = grapevine(&["reach", BUNDLED, "--message", "pac-tip"]);
    let cli = String::from_utf8(o.stdout).unwrap();
    let rows = page.split("<tr data-entity=").skip(1).count();
    assert_eq!(rows, 13);
    for phrase in [
        "<td data-label=\"Had it by\">date unknown</td>",
        "<td data-label=\"Could have it from\">11 Jul 2017</td>",
        "Hope Hicks → Donald Trump (forward), unknown whether it happened",
        "WikiLeaks → Donald Trump Jr. → Jared Kushner → Hope Hicks → Donald Trump",
        "WikiLeaks (the source)",
    ] {
        assert!(page.contains(phrase), "{phrase}");
        let bare = phrase
            .rsplit_once("\">")
            .map_or(phrase, |(_, b)| b)
            .trim_end_matches("</td>");
        assert!(cli.contains(bare), "the CLI says {bare}");
    }
    let not = cli.lines().find(|l| l.starts_with("Not reached")).unwrap();
    assert!(page.contains(&not.replace('\'', "&#39;")), "{not}");
    // The slider is hidden without the script: nothing crucial behind it.
    assert!(page.contains("<div class=\"gv-controls\" hidden>"));
}

#[test]
fn the_contract_for_embedders() {
    let dir = tempfile::tempdir().unwrap();
    let page = bundled(dir.path());
    assert!(page.contains("<input type=\"range\" id=\"gv-time\""));
    // Both pictures (phone and column) mark every reached person and every
    // drawn contact.
    let o = grapevine(&["reach", BUNDLED, "--message", "pac-tip", "--json"]);
    let answer: Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(page.matches("<svg").count(), 2);
    for r in answer["reached"].as_array().unwrap() {
        let id = r["entity"].as_str().unwrap();
        let n = page
            .matches(&format!("<g data-entity=\"{id}\" tabindex=\"0\""))
            .count();
        assert_eq!(n, 2, "{id} in each picture");
    }
    assert!(page.contains("<g data-event=\"dm-pac-tip\" tabindex=\"0\""));
    assert!(!page.contains("id=\"n0\""), "no synthetic ids left");
    let css = grapevine::internals::render::html::CSS;
    for prop in [
        "--gv-font",
        "--gv-text",
        "--gv-bg",
        "--gv-surely",
        "--gv-possible",
        "--gv-unreached",
    ] {
        assert!(css.contains(&format!("{prop}:")), "{prop}");
    }
    assert!(css.contains("@media (prefers-color-scheme: dark)"));
    assert!(css.contains("@media (prefers-reduced-motion: reduce)"));
    for (sel, _) in css.match_indices('{') {
        let before = &css[..sel];
        let start = before.rfind(['}', '\n']).map_or(0, |i| i + 1);
        let selector = before[start..].trim();
        assert!(
            selector.is_empty()
                || selector.starts_with('@')
                || selector
                    .split(',')
                    .all(|s| s.trim().starts_with(".gv-embed")),
            "unscoped rule: {selector}"
        );
    }
    let js = grapevine::internals::render::html::JS;
    assert!(js.contains("'grapevine:height'"));
    assert!(page.contains("aria-live=\"polite\""));
}

#[test]
fn format_extension_and_snippet() {
    let dir = tempfile::tempdir().unwrap();
    let o = grapevine(&["render", BUNDLED, "--reach", "pac-tip", "--format", "html"]);
    assert!(o.status.success());
    assert!(String::from_utf8(o.stdout)
        .unwrap()
        .starts_with("<!doctype html>"));
    render(dir.path(), BUNDLED, "s.htm", &["--reach", "pac-tip"]);
    let o = grapevine(&[
        "render",
        BUNDLED,
        "--reach",
        "pac-tip",
        "--embed-snippet",
        "-o",
        dir.path().join("x.svg").to_str().unwrap(),
    ]);
    assert_eq!(o.status.code(), Some(2));
    let out = dir.path().join("story.html");
    let (_, snippet) = page_and_snippet(&out);
    assert!(
        snippet.starts_with("<iframe src=\"story.html\" title=\"WikiLeaks’ first message"),
        "{snippet}"
    );
    assert!(snippet.contains("event.source !== frame.contentWindow"));
    for bad in [
        "javascript:alert(1)",
        "x\" onload=\"alert(1)",
        " story.html",
    ] {
        let o = render_snippet(&out, &["--embed-src", bad]);
        assert_eq!(o.status.code(), Some(2), "{bad}");
    }
}

/// The hostile texts: markup, a script end, a line separator, a
/// `javascript:` link.
const PAYLOADS: [&str; 5] = [
    "<script>document.documentElement.setAttribute('data-pwned','script')</script>",
    "\"><img src=x onerror=\"document.documentElement.setAttribute('data-pwned','img')\">",
    "</script><script>document.documentElement.setAttribute('data-pwned','end')</script>",
    "line\u{2028}sep\u{2029}ara'tor` ${x} <!-- -->",
    "<svg onload=\"document.documentElement.setAttribute('data-pwned','svg')\">",
];

fn hostile_story() -> String {
    let p = |i: usize| PAYLOADS[i % PAYLOADS.len()];
    let story = serde_json::json!({
        "format": "grapevine/1",
        "title": format!("Title {}", p(0)),
        "timezone": "America/New_York",
        "sources": [{"id": "src", "title": p(1), "publisher": p(2), "url": "javascript:document.documentElement.setAttribute('data-pwned','url')"},
                    {"id": "ok", "title": p(3), "url": "https://example.org/?q=\"><script>x</script>"}],
        "entities": [
            {"id": "a\"><img src=x onerror=alert(1)>", "name": format!("Alice {}", p(0)), "description": p(1), "url": "javascript:alert(1)"},
            {"id": "b", "name": format!("Bob {}", p(1))},
            {"id": "c", "name": format!("Carol {}", p(2))},
            {"id": "d", "name": format!("Dan {}", p(3)), "kind": "organisation"},
            {"id": "e", "name": format!("Eve {}", p(4)), "kind": "group"}
        ],
        "messages": [{"id": "m</script>", "title": p(2), "origin": "a\"><img src=x onerror=alert(1)>", "time": "2016-09-20"}],
        "events": [
            {"id": "e1\"><b>", "kind": p(0), "from": "a\"><img src=x onerror=alert(1)>", "to": "b", "time": "2016-09-20", "carries": ["m</script>"], "certainty": "confirmed",
             "quote": p(1), "sources": [{"source": "src", "quote": p(2)}]},
            {"id": "e2", "kind": "forward", "from": "b", "to": ["c", "d", "e"], "time": "2016-09-21/..", "carries": ["m</script>"], "certainty": "unknown",
             "sources": [{"source": "ok", "quote": p(3)}]},
            {"id": "e3", "kind": "meeting", "participants": ["c", "d", "e"], "time": "2016-10-01", "carries": ["m</script>"], "certainty": "alleged", "summary": p(4)}
        ]
    });
    serde_json::to_string_pretty(&story).unwrap()
}

/// Tag and attribute names of a page's markup (outside script and style),
/// read with a small tokenizer that honours quotes.
fn markup_names(page: &str) -> (BTreeSet<String>, BTreeSet<String>) {
    let (mut tags, mut attrs) = (BTreeSet::new(), BTreeSet::new());
    let b = page.as_bytes();
    let mut i = 0;
    while i < b.len() {
        if b[i] != b'<' {
            i += 1;
            continue;
        }
        let mut j = i + 1;
        if b.get(j) == Some(&b'/') || b.get(j) == Some(&b'!') {
            i = j;
            continue;
        }
        let start = j;
        while j < b.len() && (b[j].is_ascii_alphanumeric() || b[j] == b'-' || b[j] == b':') {
            j += 1;
        }
        if j == start {
            i += 1;
            continue;
        }
        let tag = page[start..j].to_ascii_lowercase();
        // Attributes up to the end of the tag.
        loop {
            while j < b.len() && (b[j] as char).is_ascii_whitespace() || b.get(j) == Some(&b'/') {
                j += 1;
            }
            if j >= b.len() || b[j] == b'>' {
                break;
            }
            let a = j;
            while j < b.len() && !matches!(b[j], b'=' | b'>' | b' ' | b'\n' | b'\t' | b'/') {
                j += 1;
            }
            attrs.insert(page[a..j].to_ascii_lowercase());
            if b.get(j) == Some(&b'=') {
                j += 1;
                if let Some(&q) = b.get(j).filter(|q| **q == b'"' || **q == b'\'') {
                    j += 1;
                    while j < b.len() && b[j] != q {
                        j += 1;
                    }
                    j += 1;
                } else {
                    while j < b.len() && !matches!(b[j], b'>' | b' ' | b'\n') {
                        j += 1;
                    }
                }
            }
        }
        if tag == "script" || tag == "style" {
            let close = format!("</{tag}>");
            j = page[j..].find(&close).map_or(b.len(), |k| j + k);
        }
        tags.insert(tag);
        i = j;
    }
    (tags, attrs)
}

const TAGS: &[&str] = &[
    "html",
    "head",
    "meta",
    "title",
    "style",
    "body",
    "article",
    "h2",
    "p",
    "div",
    "button",
    "label",
    "input",
    "output",
    "span",
    "figure",
    "svg",
    "g",
    "a",
    "path",
    "polygon",
    "polyline",
    "ellipse",
    "rect",
    "text",
    "desc",
    "line",
    "dl",
    "blockquote",
    "table",
    "caption",
    "thead",
    "tbody",
    "tr",
    "th",
    "td",
    "br",
    "script",
    "circle",
];
const ATTRS: &[&str] = &[
    "lang",
    "charset",
    "name",
    "content",
    "http-equiv",
    "class",
    "id",
    "hidden",
    "type",
    "aria-pressed",
    "for",
    "min",
    "max",
    "step",
    "value",
    "aria-live",
    "role",
    "aria-labelledby",
    "aria-describedby",
    "aria-label",
    "target",
    "rel",
    "href",
    "xmlns",
    "xmlns:xlink",
    "viewbox",
    "width",
    "height",
    "font-family",
    "overflow",
    "focusable",
    "x",
    "y",
    "font-size",
    "font-weight",
    "fill",
    "fill-opacity",
    "stroke",
    "stroke-width",
    "stroke-dasharray",
    "stroke-linecap",
    "stroke-linejoin",
    "paint-order",
    "transform",
    "d",
    "points",
    "cx",
    "cy",
    "rx",
    "ry",
    "x1",
    "x2",
    "y1",
    "y2",
    "text-anchor",
    "data-entity",
    "data-event",
    "data-label",
    "tabindex",
    "xlink:href",
    "scope",
    "font-style",
    "r",
    "opacity",
    "stroke-opacity",
    "xml:space",
];

#[test]
fn a_hostile_story_renders_inert() {
    let dir = tempfile::tempdir().unwrap();
    let story = dir.path().join("hostile.json");
    std::fs::write(&story, hostile_story()).unwrap();
    let page = render(
        dir.path(),
        story.to_str().unwrap(),
        "h.html",
        &["--message", "m</script>"],
    );
    let (tags, attrs) = markup_names(&page);
    let odd_tags: Vec<_> = tags
        .iter()
        .filter(|t| !TAGS.contains(&t.as_str()))
        .collect();
    let odd_attrs: Vec<_> = attrs
        .iter()
        .filter(|a| !ATTRS.contains(&a.as_str()))
        .collect();
    assert!(odd_tags.is_empty(), "tags from the data: {odd_tags:?}");
    assert!(
        odd_attrs.is_empty(),
        "attributes from the data: {odd_attrs:?}"
    );
    assert_eq!(page.matches("<script").count(), 2);
    assert_eq!(page.matches("</script>").count(), 2);
    assert!(!page.contains('\u{2028}') || !blocks(&page, "script")[0].1.contains('\u{2028}'));
    assert!(!page.contains("javascript:"));
    let data = blocks(&page, "script")[0].1;
    let v: Value = serde_json::from_str(data).expect("the data block is JSON");
    assert!(
        v["entities"].to_string().contains("onerror"),
        "the text is kept, as text"
    );
    // Also the snippet: the title is escaped for its attribute.
    let out = dir.path().join("s.html");
    let o = grapevine(&[
        "render",
        story.to_str().unwrap(),
        "--message",
        "m</script>",
        "-o",
        out.to_str().unwrap(),
        "--embed-snippet",
    ]);
    let snippet = String::from_utf8(o.stdout).unwrap();
    let (tags, attrs) = markup_names(&snippet);
    assert_eq!(
        tags,
        ["iframe", "script"].iter().map(|s| s.to_string()).collect()
    );
    assert!(
        attrs.iter().all(|a| [
            "src", "title", "class", "width", "height", "style", "loading", "sandbox"
        ]
        .contains(&a.as_str())),
        "{attrs:?}"
    );
}

/// The example article page: the bundled story inline and by iframe.
fn article(page: &str, snippet: &str) -> String {
    let inline = |tag: &str| -> String {
        blocks(page, tag)
            .iter()
            .map(|(open, body)| format!("{open}{body}</{tag}>\n"))
            .collect()
    };
    let start = page.find("<article class=\"gv-embed\"").expect("the embed");
    let end = page.find("</article>").expect("its end") + "</article>".len();
    format!(
        "<!doctype html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
         <title>How a tip travelled — an example article</title>\n\
         <!-- Generated by tests/it/embed.rs from `grapevine render graphs/trump-jr-wikileaks.json --message pac-tip -o story.html --embed-snippet`; see README.md. -->\n\
         <style>body{{margin:0 auto;max-width:42rem;padding:1rem;font:18px/1.6 Georgia,serif;color:#222}}h1{{line-height:1.2}}\
         .note{{font:14px/1.4 system-ui,sans-serif;color:#555}}</style>\n</head>\n<body>\n\
         <h1>How a tip travelled</h1>\n\
         <p>On 20 September 2016 WikiLeaks sent Donald Trump Jr. a private message on Twitter. \
         Reporting since then says who he passed it to. The graphic below is grapevine's page, pasted inline.</p>\n\
         <p class=\"note\">Inline: the page's style, markup and script pasted into the article.</p>\n\
         {}{}\n{}\
         <p>The same graphic can sit in an iframe that sizes itself to its content.</p>\n\
         <p class=\"note\">By iframe: the lines <code>--embed-snippet</code> printed.</p>\n\
         {snippet}\
         <p>The story goes on.</p>\n</body>\n</html>\n",
        inline("style"),
        &page[start..end],
        inline("script")
    )
}

#[test]
fn the_example_article_is_up_to_date() {
    let dir = tempfile::tempdir().unwrap();
    let (page, snippet) = page_and_snippet(&dir.path().join("story.html"));
    let index = article(&page, &snippet);
    let here = Path::new("examples/article");
    if std::env::var_os("GRAPEVINE_UPDATE_EXAMPLES").is_some() {
        std::fs::write(here.join("story.html"), &page).unwrap();
        std::fs::write(here.join("index.html"), &index).unwrap();
    }
    let stale = "examples/article is stale: GRAPEVINE_UPDATE_EXAMPLES=1 cargo test --test it embed::the_example_article";
    assert_eq!(
        std::fs::read_to_string(here.join("story.html"))
            .ok()
            .as_deref(),
        Some(page.as_str()),
        "{stale}"
    );
    assert_eq!(
        std::fs::read_to_string(here.join("index.html"))
            .ok()
            .as_deref(),
        Some(index.as_str()),
        "{stale}"
    );
}

/// The slider's rule (docs/embed.md) read from the page's data, applied in
/// Rust at every date an event names: the states equal what `reach --until`
/// answers, for a message, for an entity with no start (the source held it
/// all along: surely at every date) and for one with `--since`. The browser
/// test checks the script applies the same rule.
/// Every time an event of the story file `file` names (its parts).
fn event_dates(file: &str) -> BTreeSet<String> {
    let story: Value = serde_json::from_str(&std::fs::read_to_string(file).unwrap()).unwrap();
    let mut dates: BTreeSet<String> = BTreeSet::new();
    for e in story["events"].as_array().unwrap() {
        for part in e["time"].as_str().unwrap_or("").split('/') {
            if !part.is_empty() && part != ".." {
                dates.insert(part.to_string());
            }
        }
    }
    dates
}

#[test]
fn state_rule_equals_reach_until_for_each_question() {
    let dir = tempfile::tempdir().unwrap();
    let dates = event_dates(BUNDLED);
    let questions: [(&[&str], &[&str]); 3] = [
        (&["--message", "pac-tip"], &["--message", "pac-tip"]),
        (&["--reach-from", "wikileaks"], &["--from", "wikileaks"]),
        (
            &["--reach-from", "trump-jr", "--since", "2016-09-20"],
            &["--from", "trump-jr", "--since", "2016-09-20"],
        ),
    ];
    for (i, (render_args, reach_args)) in questions.iter().enumerate() {
        let page = render(dir.path(), BUNDLED, &format!("q{i}.html"), render_args);
        states_agree(&page, BUNDLED, reach_args, &dates);
    }
}

/// The same rule on every story of `graphs/`, for its first traced
/// message (holdings and `after` included).
#[test]
fn state_rule_holds_on_every_story() {
    let dir = tempfile::tempdir().unwrap();
    for (file, s) in super::browser_stories::stories() {
        let path = format!("graphs/{file}");
        let m = super::browser_stories::traced(&s);
        let args = ["--message", m.as_str()];
        let page = render(dir.path(), &path, &format!("{file}.html"), &args);
        states_agree(&page, &path, &args, &event_dates(&path));
    }
}

/// The page's states (the script's rule over its data) equal `reach
/// --until` at each date, `surely` only where the same question at
/// `confirmed` is definite.
fn states_agree(page: &str, file: &str, reach_args: &[&str], dates: &BTreeSet<String>) {
    let data = blocks(page, "script")
        .into_iter()
        .find(|(tag, _)| tag.contains("gv-data"))
        .map(|(_, body)| body.to_string())
        .expect("the data block");
    let data: Value = serde_json::from_str(&data).unwrap();
    let entities = data["entities"].as_array().unwrap();
    for date in dates {
        let mut args = vec!["reach", file];
        args.extend_from_slice(reach_args);
        args.extend_from_slice(&["--until", date, "--json"]);
        let o = grapevine(&args);
        assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
        let answer: Value = serde_json::from_slice(&o.stdout).unwrap();
        args.extend_from_slice(&["--threshold", "confirmed"]);
        let o = grapevine(&args);
        assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
        let confirmed: Value = serde_json::from_slice(&o.stdout).unwrap();
        let t = answer["until"]
            .as_str()
            .unwrap()
            .parse::<jiff::Timestamp>()
            .unwrap()
            .as_second();
        for e in entities {
            let id = e["id"].as_str().unwrap();
            assert_eq!(
                state_at(e, t),
                wanted(&answer, &confirmed, id),
                "{file} {reach_args:?} until {date}: {id}"
            );
        }
    }
}

/// The script's `stateAt`.
fn state_at(e: &Value, t: i64) -> &'static str {
    if e["reached"] != Value::Bool(true) {
        "unreached"
    } else if e["surely"].as_i64().is_some_and(|s| s <= t) {
        "surely"
    } else if e["claimed"].as_i64().is_some_and(|s| s <= t) {
        "claimed"
    } else if e["earliest"].as_i64().is_none_or(|s| s <= t) {
        "possible"
    } else {
        "unreached"
    }
}

/// The state `reach --until` gives (and at `confirmed` for "surely").
fn wanted(answer: &Value, confirmed: &Value, id: &str) -> &'static str {
    let row = answer["reached"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["entity"] == id);
    let surely = confirmed["reached"]
        .as_array()
        .unwrap()
        .iter()
        .any(|r| r["entity"] == id && r["timing"] == "definite");
    match row {
        None => "unreached",
        Some(r) if r["timing"] == "definite" && surely => "surely",
        Some(r) if r["timing"] == "definite" => "claimed",
        Some(_) => "possible",
    }
}
