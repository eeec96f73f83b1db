//! Diagrams: DOT snapshots per focus, the committed picture, accessible SVG,
//! and a property test with hostile text.
#![cfg_attr(not(feature = "svg"), allow(unused))]

use grapevine::model::{Citation, Parties, Source};
use grapevine::render::{alt_text, clean, to_dot, Engine, Focus};
use grapevine::{load_path, Certainty, Entity, Event, Message, Query, Story, StoryCatalog};
use proptest::prelude::*;

const BUNDLED: &str = "graphs/trump-jr-wikileaks.json";
const COMMITTED_SVG: &str = "graphs/trump-jr-wikileaks.svg";

fn story() -> Story {
    load_path(BUNDLED.as_ref())
        .expect("bundled story loads")
        .story
}

fn reach(s: &Story, msg: &str) -> Focus {
    Focus::reach(&StoryCatalog::new(s), &Query::message(msg)).unwrap()
}

/// Every focus the command line offers, on the bundled story.
fn foci(s: &Story) -> Vec<(&'static str, Focus)> {
    let mut from = Query::from_entity("wikileaks");
    from.since = Some("2016-09-20".into());
    from.threshold = Certainty::Confirmed;
    vec![
        ("default", Focus::default()),
        ("reach_pac_tip", reach(s, "pac-tip")),
        (
            "reach_from_wikileaks",
            Focus::reach(&StoryCatalog::new(s), &from).unwrap(),
        ),
        (
            "path_wikileaks_hicks",
            Focus::path(
                &StoryCatalog::new(s),
                &Query::from_entity("wikileaks"),
                "Hope Hicks",
            )
            .unwrap(),
        ),
        (
            "around_kushner",
            Focus::default()
                .around(&StoryCatalog::new(s), "kushner", 1)
                .unwrap(),
        ),
        (
            "between_sep_oct_2016",
            Focus::default()
                .between(&StoryCatalog::new(s), "2016-09", "2016-10")
                .unwrap(),
        ),
        (
            "threshold_reported",
            Focus::default().threshold(Certainty::Reported),
        ),
    ]
}

#[test]
fn dot_snapshots_per_focus() {
    let s = story();
    for (name, focus) in foci(&s) {
        let dot = to_dot(&s, &focus);
        insta::assert_snapshot!(format!("dot_{name}"), dot);
    }
}

#[test]
fn dot_parses_and_is_deterministic() {
    let s = story();
    for (name, focus) in foci(&s) {
        let dot = to_dot(&s, &focus);
        graphviz_rust::parse(&dot).unwrap_or_else(|e| panic!("{name}: {e}\n{dot}"));
        assert_eq!(dot, to_dot(&s, &focus), "{name} is not deterministic");
        assert!(!dot.contains("<"), "{name}: no HTML-like labels");
    }
}

#[test]
fn path_that_does_not_exist_says_why_not() {
    let s = story();
    let mut q = Query::from_entity("pompeo");
    q.threshold = Certainty::Confirmed;
    let err = Focus::path(&StoryCatalog::new(&s), &q, "trump")
        .unwrap_err()
        .to_string();
    assert_eq!(
        err,
        "Donald Trump is not reached from Mike Pompeo: nothing to draw; `grapevine why-not` says why"
    );
}

#[test]
fn reach_focus_marks_and_fades() {
    let s = story();
    let dot = to_dot(&s, &reach(&s, "pac-tip"));
    // The date every reached node shares is on the time axis, not on each
    // node; evidence weaker than confirmed is a word and an outline style.
    assert!(!dot.contains("\\nearliest"), "{dot}");
    assert!(
        dot.contains(r##"label="Hope Hicks\nreported" shape="ellipse" color="#0072B2" fillcolor="#C4E6F8" style="filled,dashed""##),
        "{dot}"
    );
    assert!(dot.contains(r#"label="WikiLeaks\nsource""#));
    assert!(dot.contains(r#"label="20 Sep 2016""#), "the time axis says it");
    // The unreached are a caption line, not a box in the layout.
    assert!(dot.contains(
        "Not reached: 14 others, among them Paul Manafort, George Papadopoulos and Rob Goldstone."
    ));
    assert!(!dot.contains("cluster_legend"));
    assert!(dot.contains("\"? forward\\nafter 20 Sep 2016\""), "{dot}");
}

#[test]
fn dates_at_their_own_precision() {
    let dot = to_dot(&story(), &Focus::default());
    for label in [
        "20 Sep 2016",
        "Apr 2016",
        "after 20 Sep 2016",
        "before 9 Jun 2016",
        "12–13 Oct 2016",
        "date unknown",
        "20 Sep 2016 – Jul 2017",
    ] {
        assert!(dot.contains(label), "{label} missing");
    }
    assert!(dot.contains("rankdir=\"LR\""));
    assert!(
        dot.contains("dir=\"none\""),
        "mutual contacts have no arrowheads"
    );
}

#[test]
fn alt_text_of_the_bundled_story() {
    let s = story();
    let text = alt_text(&s, &reach(&s, "pac-tip"));
    assert!(
        text.starts_with(
            "“WikiLeaks tip: anti-Trump PAC site and its password”: WikiLeaks messaged Donald Trump Jr. on 20 September 2016 (confirmed). Donald Trump Jr. passed it on or after 20 September 2016 to four people: Brad Parscale, Jared Kushner, Kellyanne Conway and Steve Bannon; reported (1 cited source). Donald Trump Jr. passed it on or after 20 September 2016 to US Congress; reported (1 cited source). Jared Kushner passed it on or after 20 September 2016 to Hope Hicks; reported (1 cited source). Whether Hope Hicks passed it to Donald Trump is unknown. Donald Trump Jr. passed it on or after 11 July 2017 to Public on Twitter (confirmed). US Congress allegedly passed it to The Atlantic on or after 11 July 2017; alleged (1 cited source). The Atlantic passed it on or after 11 July 2017 to General public and Julian Assange (confirmed)."
        ),
        "{text}"
    );
    assert!(!text.contains("single source"), "{text}");
    let full = alt_text(&s, &Focus::default());
    assert!(full.contains("28 contacts"), "{full}");
    // The same narration, in the answer's causal order, without a highlight.
    assert!(
        full.starts_with(text.split(" In all").next().unwrap()),
        "{full}"
    );
}

#[cfg(feature = "svg")]
mod svg {
    use super::*;
    use grapevine::render::to_svg;

    fn parse(svg: &str) -> roxmltree::Document<'_> {
        let opt = roxmltree::ParsingOptions {
            allow_dtd: true,
            ..Default::default()
        };
        roxmltree::Document::parse_with_options(svg, opt).expect("well-formed SVG")
    }

    /// Checks the accessibility contract; returns nothing, panics with why.
    /// `user_text` is what the story itself says: a title that is one of
    /// those (a person may well be called "n0") is not an internal id.
    pub(super) fn check_accessible(svg: &str, title: &str, user_text: &[String]) {
        let doc = parse(svg);
        let root = doc.root_element();
        assert_eq!(root.attribute("role"), Some("img"));
        let tid = root.attribute("aria-labelledby").expect("labelledby");
        let did = root.attribute("aria-describedby").expect("describedby");
        let t = doc
            .descendants()
            .find(|n| n.attribute("id") == Some(tid))
            .expect("title element");
        assert_eq!(t.tag_name().name(), "title");
        assert_eq!(t.text(), Some(title));
        let d = doc
            .descendants()
            .find(|n| n.attribute("id") == Some(did))
            .expect("desc element");
        assert_eq!(d.tag_name().name(), "desc");
        assert!(d.text().is_some_and(|t| t.len() > 20));
        for title in doc.descendants().filter(|n| n.has_tag_name("title")) {
            let text = title.text().unwrap_or("");
            let id_like = |s: &str| {
                let s = s.trim();
                !s.is_empty()
                    && s.len() < 12
                    && s.starts_with(|c: char| c.is_ascii_lowercase())
                    && s.chars().any(|c| c.is_ascii_digit())
                    && s.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
            };
            let said_by_user = user_text.iter().any(|u| u.trim() == text.trim());
            let internal = !said_by_user
                && (text.starts_with("cluster_")
                    || text == "grapevine"
                    || id_like(text)
                    || text
                        .split_once("->")
                        .is_some_and(|(a, b)| id_like(a) && id_like(b)));
            assert!(!internal, "internal id in a title: {text:?}");
        }
        for n in doc.descendants() {
            assert!(!n.has_tag_name("script"), "a <script> element");
            assert!(!n.has_tag_name("foreignObject"));
            for a in n.attributes() {
                // Links never run script; text attributes (titles) may say
                // anything, escaped.
                let v = a.value().trim_start().to_ascii_lowercase();
                if matches!(a.name(), "href" | "src" | "action" | "formaction") {
                    assert!(!v.starts_with("javascript:"), "{}={v}", a.name());
                }
                assert!(
                    !a.name().to_ascii_lowercase().starts_with("on"),
                    "{}",
                    a.name()
                );
            }
        }
    }

    #[test]
    fn committed_svg_is_fresh() {
        let s = story();
        let svg = to_svg(&s, &Focus::default(), Engine::InProcess).unwrap();
        let committed = std::fs::read_to_string(COMMITTED_SVG).unwrap_or_default();
        assert!(
            svg == committed,
            "{COMMITTED_SVG} is stale: regenerate it with\n  cargo run --release -- render {BUNDLED} -o {COMMITTED_SVG}"
        );
    }

    #[test]
    fn svg_is_accessible_and_deterministic() {
        let s = story();
        for (name, focus) in foci(&s) {
            let svg = to_svg(&s, &focus, Engine::InProcess).unwrap();
            check_accessible(&svg, s.title.as_deref().unwrap(), &[]);
            assert_eq!(
                svg,
                to_svg(&s, &focus, Engine::InProcess).unwrap(),
                "{name}"
            );
        }
    }

    #[test]
    fn edges_carry_sentences_quotes_and_links() {
        let mut s = story();
        s.sources[0].url = Some("https://www.businessinsider.com/x?a=1&b=2".into());
        let svg = to_svg(&s, &reach(&s, "pac-tip"), Engine::InProcess).unwrap();
        let doc = parse(&svg);
        let titles: Vec<&str> = doc
            .descendants()
            .filter(|n| n.has_tag_name("title"))
            .filter_map(|n| n.text())
            .collect();
        assert!(
            titles.contains(&"WikiLeaks messaged Donald Trump Jr. (20 Sep 2016, confirmed)"),
            "{titles:#?}"
        );
        assert!(titles.contains(&"Hope Hicks (person)"));
        let tips: Vec<&str> = doc
            .descendants()
            .filter_map(|n| n.attribute(("http://www.w3.org/1999/xlink", "title")))
            .collect();
        assert!(tips.iter().any(|t| t.contains(
            "“Kushner forwarded the email to the campaign’s communications director, Hope Hicks.”"
        ) && t.contains("— Business Insider")));
        let hrefs: Vec<&str> = doc
            .descendants()
            .filter_map(|n| n.attribute(("http://www.w3.org/1999/xlink", "href")))
            .collect();
        assert!(
            hrefs.contains(&"https://www.businessinsider.com/x?a=1&b=2"),
            "{hrefs:?}"
        );
        // A javascript: link is never drawn.
        s.sources[0].url = Some("javascript:alert(1)".into());
        let svg = to_svg(&s, &reach(&s, "pac-tip"), Engine::InProcess).unwrap();
        assert!(!svg.contains("javascript:"));
    }

    #[test]
    fn system_engine_when_dot_is_installed() {
        let found = std::process::Command::new("dot").arg("-V").output().is_ok();
        if !found {
            assert!(
                std::env::var_os("GRAPEVINE_REQUIRE_DOT").is_none(),
                "GRAPEVINE_REQUIRE_DOT is set but Graphviz `dot` is not on PATH"
            );
            eprintln!("note: Graphviz `dot` is not on PATH; skipping the system-engine test");
            return;
        }
        let s = story();
        let engine = Engine::System {
            timeout: std::time::Duration::from_secs(60),
        };
        let svg = to_svg(&s, &reach(&s, "pac-tip"), engine).unwrap();
        check_accessible(&svg, s.title.as_deref().unwrap(), &[]);
    }

    #[cfg(feature = "png")]
    #[test]
    fn png_has_the_asked_width() {
        let s = story();
        let png = match grapevine::render::to_png(
            &s,
            &reach(&s, "pac-tip"),
            Engine::InProcess,
            Some(700),
        ) {
            Err(e) if e.to_string().contains("no fonts found") => {
                eprintln!("note: no fonts installed; skipping the PNG test");
                return;
            }
            other => other.unwrap(),
        };
        assert_eq!(&png[1..4], b"PNG");
        let width = u32::from_be_bytes([png[16], png[17], png[18], png[19]]);
        assert_eq!(width, 700);
    }
}

#[test]
fn missing_dot_is_named() {
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_grapevine"))
        .args(["render", BUNDLED, "--format", "svg", "--engine", "system"])
        .env("PATH", "/nonexistent")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(
        String::from_utf8_lossy(&out.stderr).trim(),
        "error: Graphviz `dot` not found on PATH: install graphviz, or leave out --engine system"
    );
}

#[test]
fn cli_writes_dot_by_default_and_alt_text() {
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_grapevine"))
        .args(["render", BUNDLED])
        .output()
        .unwrap();
    assert!(out.status.success());
    assert_eq!(
        String::from_utf8(out.stdout).unwrap(),
        to_dot(&story(), &Focus::default())
    );
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_grapevine"))
        .args(["render", BUNDLED, "--reach", "pac-tip", "--alt-text"])
        .output()
        .unwrap();
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(text.contains("Whether Hope Hicks passed it to Donald Trump is unknown."));
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_grapevine"))
        .args(["render", BUNDLED, "-o", "/tmp/grapevine-test.jpeg"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
}

// ---- Hostile text ---------------------------------------------------------

const NASTY: &[&str] = &[
    "\"",
    "\\",
    "\\\"",
    "\n",
    "\r\n",
    "<script>alert(1)</script>",
    "]]>",
    "<![CDATA[x]]>",
    "javascript:alert(1)",
    "\u{200F}",
    "\u{202E}",
    "😀",
    "&amp;",
    "&nbsp;",
    "&",
    "'",
    "<",
    ">",
    "\\N",
    "\\G",
    "{ }",
    "-> --",
    "#",
    ";",
    "\u{0}",
    "\u{7}",
    "Zoë",
    "n0",
    "<b>bold</b>",
];

fn nasty() -> impl Strategy<Value = String> {
    prop::collection::vec(
        prop_oneof![
            prop::sample::select(NASTY).prop_map(str::to_string),
            "[a-zA-Z ]{1,8}",
        ],
        1..4,
    )
    .prop_map(|v| v.concat())
}

fn hostile_story(names: Vec<String>, quote: String, url: String) -> Story {
    let entities: Vec<Entity> = names
        .iter()
        .enumerate()
        .map(|(i, n)| Entity {
            id: format!("{n}#{i}"),
            name: n.clone(),
            kind: Some(["person", "organisation", "group", "other"][i % 4].into()),
            description: Some(quote.clone()),
            url: Some(url.clone()),
            ..Entity::default()
        })
        .collect();
    let id = |i: usize| entities[i % entities.len()].id.clone();
    let tz = jiff::tz::TimeZone::UTC;
    let events = vec![
        Event {
            id: format!("{quote}-1"),
            kind: Some(quote.clone()),
            parties: Parties::Directed {
                from: id(0),
                to: vec![id(1), id(2), id(3)],
                to_is_array: true,
            },
            time: Some(grapevine::TimeExpr::parse("2016-09-20/..", &tz).unwrap()),
            certainty: Some(Certainty::Reported),
            carries: vec![format!("{quote}-m")],
            sources: vec![Citation::Full {
                source: url.clone(),
                quote: Some(quote.clone()),
                locator: None,
                extra: Vec::new(),
            }],
            ..Event::default()
        },
        Event {
            id: format!("{quote}-2"),
            kind: Some("meeting".into()),
            parties: Parties::Mutual {
                participants: vec![id(1), id(2)],
            },
            certainty: Some(Certainty::Unknown),
            quote: Some(quote.clone()),
            ..Event::default()
        },
    ];
    Story {
        title: Some(format!("{quote} {}", names[0])),
        sources: vec![Source {
            id: url.clone(),
            title: Some(quote.clone()),
            publisher: Some(names[0].clone()),
            url: Some(url.clone()),
            ..Source::default()
        }],
        messages: vec![Message {
            id: format!("{quote}-m"),
            title: Some(quote.clone()),
            origin: Some(id(0)),
            time: Some(grapevine::TimeExpr::parse("2016-09-20", &tz).unwrap()),
            ..Message::default()
        }],
        entities,
        events,
        ..Story::default()
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 24, ..ProptestConfig::default() })]

    #[test]
    fn hostile_text_stays_text(
        names in prop::collection::vec(nasty(), 4..6),
        quote in nasty(),
        url in prop_oneof![
            Just("javascript:alert(1)".to_string()),
            Just("https://example.com/?a=1&b=<2>".to_string()),
            Just("https://example.com/a?b=1&c=2".to_string()),
            nasty(),
        ],
    ) {
        let s = hostile_story(names.clone(), quote.clone(), url.clone());
        let fits = [grapevine::render::Fit::Phone, grapevine::render::Fit::Column, grapevine::render::Fit::Wide];
        for (k, focus) in [Focus::default(), Focus::reach(&StoryCatalog::new(&s), &Query::message(&format!("{quote}-m"))).unwrap()].into_iter().enumerate() {
            let look = grapevine::render::Look { fit: fits[(k + names.len()) % 3], ..Default::default() };
            // The lane chart: the same escaping, the same accessibility.
            #[cfg(feature = "svg")]
            {
                let svg = grapevine::render::lanes_svg(&s, &focus, &look).unwrap();
                let mut title = clean(s.title.as_deref().unwrap());
                if title.is_empty() {
                    title = "Untitled story".to_string();
                }
                let said: Vec<String> = names.iter().chain([&quote]).cloned().collect();
                svg::check_accessible(&svg, &title, &said);
                prop_assert_eq!(&svg, &grapevine::render::lanes_svg(&s, &focus, &look).unwrap());
            }
            let dot = to_dot(&s, &focus);
            prop_assert!(graphviz_rust::parse(&dot).is_ok(), "DOT does not parse:\n{}", dot);
            #[cfg(feature = "svg")]
            {
                let svg = grapevine::render::draw_svg(&s, &focus, Engine::InProcess, &look).unwrap();
                let mut title = clean(s.title.as_deref().unwrap());
                if title.is_empty() {
                    title = "Untitled story".to_string();
                }
                let said: Vec<String> = names.iter().chain([&quote]).cloned().collect();
                svg::check_accessible(&svg, &title, &said);
                let opt = roxmltree::ParsingOptions { allow_dtd: true, ..Default::default() };
                let doc = roxmltree::Document::parse_with_options(&svg, opt).unwrap();
                let titles: Vec<String> = doc
                    .descendants()
                    .filter(|n| n.has_tag_name("title"))
                    .filter_map(|n| n.text().map(str::to_string))
                    .collect();
                for n in &names {
                    let shown = clean(n);
                    prop_assert!(
                        titles.iter().any(|t| t.contains(&shown)),
                        "{:?} is not shown as text", shown
                    );
                }
                let links: Vec<&str> = doc
                    .descendants()
                    .filter_map(|n| n.attribute(("http://www.w3.org/1999/xlink", "href")))
                    .collect();
                for l in links {
                    prop_assert!(l == "https://example.com/a?b=1&c=2" || l == "#", "unexpected link {}", l);
                }
            }
        }
    }
}
