//! Diagrams: DOT snapshots per focus, the committed picture, accessible SVG,
//! and a property test with hostile text.
#![cfg_attr(not(feature = "svg"), allow(unused))]

use grapevine::internals::model::{Citation, Parties, Source};
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
    let err = Focus::path(&StoryCatalog::new(&s), &q, "trump").unwrap_err();
    assert!(
        matches!(
            &err,
            grapevine::Error::Query(grapevine::QueryError::NotReached { entity, source })
                if entity == "Donald Trump" && source == "Mike Pompeo"
        ),
        "{err}"
    );
    assert_eq!(
        err.to_string(),
        "Donald Trump is not reached from Mike Pompeo: nothing to draw"
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
    assert!(
        dot.contains(r#"label="20 Sep 2016""#),
        "the time axis says it"
    );
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
            "“WikiLeaks tip: anti-Trump PAC site and its password”: WikiLeaks messaged Donald Trump Jr. on 20 September 2016 (confirmed). Donald Trump Jr. forwarded it on or after 20 September 2016 to four people: Brad Parscale, Jared Kushner, Kellyanne Conway and Steve Bannon; reported (1 cited source). Donald Trump Jr. handed it on or after 20 September 2016 to US Congress; reported (1 cited source). Jared Kushner forwarded it on or after 20 September 2016 to Hope Hicks; reported (1 cited source). Whether Hope Hicks passed it to Donald Trump is unknown. Donald Trump Jr. published it on or after 11 July 2017 to Public on Twitter (confirmed). US Congress allegedly passed it to The Atlantic on or after 11 July 2017; alleged (1 cited source). The Atlantic published it on or after 11 July 2017 to General public and Julian Assange (confirmed)."
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

    /// The committed pictures and the commands that make them.
    pub(super) const COMMITTED: &[(&str, &[&str])] = &[
        ("graphs/trump-jr-wikileaks.svg", &[]),
        ("graphs/trump-jr-wikileaks.png", &[]),
        (
            "docs/img/trump-jr-wikileaks-reach.svg",
            &["--reach", "pac-tip"],
        ),
        (
            "docs/img/trump-jr-wikileaks-reach.png",
            &["--reach", "pac-tip"],
        ),
        (
            "docs/img/trump-jr-wikileaks-reach-phone.svg",
            &["--reach", "pac-tip", "--fit", "phone"],
        ),
        (
            "docs/img/trump-jr-wikileaks-reach-phone.png",
            &["--reach", "pac-tip", "--fit", "phone"],
        ),
        (
            "docs/img/trump-jr-wikileaks-lanes.svg",
            &["--lanes", "--reach", "pac-tip"],
        ),
        (
            "docs/img/trump-jr-wikileaks-lanes.png",
            &["--lanes", "--reach", "pac-tip"],
        ),
        (
            "docs/img/trump-jr-wikileaks-animation.svg",
            &["--reach", "pac-tip", "--animate"],
        ),
    ];

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

    /// Every committed picture is what its command draws today.
    #[test]
    fn committed_pictures_are_fresh() {
        let dir = tempfile::tempdir().unwrap();
        for (path, args) in COMMITTED {
            if path.ends_with(".png") && cfg!(not(feature = "png")) {
                continue;
            }
            let name = std::path::Path::new(path).file_name().unwrap();
            let fresh = dir.path().join(name);
            let out = std::process::Command::new(env!("CARGO_BIN_EXE_grapevine"))
                .args(["render", BUNDLED, "-q"])
                .args(*args)
                .arg("-o")
                .arg(&fresh)
                .output()
                .unwrap();
            assert!(
                out.status.success(),
                "{}",
                String::from_utf8_lossy(&out.stderr)
            );
            let committed = std::fs::read(path).unwrap_or_default();
            assert!(
                std::fs::read(&fresh).unwrap() == committed,
                "{path} is stale: regenerate it with\n  cargo run --release -- render {BUNDLED} {} -o {path}",
                args.join(" ")
            );
        }
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
                paraphrase: None,
                credibility: None,
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
            let look = grapevine::render::Look { fit: fits[(k + names.len() + quote.len()) % 3], ..Default::default() };
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

// ---- Fits, frame, key, lanes ----------------------------------------------

#[cfg(feature = "svg")]
mod pictures {
    use super::*;
    use grapevine::render::{draw_svg, lanes_svg, Fit, Look};

    fn look(fit: Fit) -> Look {
        Look {
            fit,
            ..Look::default()
        }
    }

    fn doc(svg: &str) -> roxmltree::Document<'_> {
        let opt = roxmltree::ParsingOptions {
            allow_dtd: true,
            ..Default::default()
        };
        roxmltree::Document::parse_with_options(svg, opt).expect("well-formed SVG")
    }

    /// Every text's size in CSS px when the SVG is shown at its fit's
    /// width, from its font-size and the scale of the groups around it.
    fn text_sizes(svg: &str) -> Vec<(f64, String)> {
        let d = doc(svg);
        let mut out = Vec::new();
        for t in d.descendants().filter(|n| n.has_tag_name("text")) {
            let size = t
                .attribute("font-size")
                .and_then(|s| s.trim_end_matches("px").parse::<f64>().ok())
                .unwrap_or(14.0);
            let mut scale = 1.0;
            for a in t.ancestors() {
                if let Some(tr) = a.attribute("transform") {
                    if let Some(s) = tr.split("scale(").nth(1) {
                        let v: f64 = s
                            .split([')', ' ', ','])
                            .next()
                            .and_then(|v| v.parse().ok())
                            .unwrap_or(1.0);
                        scale *= v;
                    }
                }
            }
            out.push((size * scale, t.text().unwrap_or("").to_string()));
        }
        out
    }

    #[test]
    fn responsive_root_with_no_fixed_size() {
        let s = story();
        for fit in [Fit::Phone, Fit::Column, Fit::Wide] {
            let svg = draw_svg(&s, &reach(&s, "pac-tip"), Engine::InProcess, &look(fit)).unwrap();
            let d = doc(&svg);
            let root = d.root_element();
            assert_eq!(root.attribute("width"), Some("100%"));
            assert_eq!(root.attribute("height"), None);
            let view: Vec<f64> = root
                .attribute("viewBox")
                .unwrap()
                .split(' ')
                .map(|v| v.parse().unwrap())
                .collect();
            assert_eq!(view[2], f64::from(fit.width()));
            assert!(root
                .attribute("font-family")
                .unwrap()
                .starts_with("'DejaVu Sans'"));
            assert!(!svg.contains("pt\""), "no size in points");
            // The drawing is shrunk, never wider than the picture.
            let sizes = text_sizes(&svg);
            let min = sizes.iter().map(|(s, _)| *s).fold(f64::MAX, f64::min);
            assert!(min >= fit.min_text(), "{fit:?}: {min} px");
        }
        let svg = draw_svg(
            &s,
            &Focus::default(),
            Engine::InProcess,
            &Look {
                max_width: Some(900),
                ..Look::default()
            },
        )
        .unwrap();
        assert!(svg.contains("style=\"max-width:900px;height:auto\""));
    }

    #[test]
    fn every_picture_keeps_its_fit_legible() {
        let s = story();
        for (name, focus) in foci(&s) {
            for fit in [Fit::Phone, Fit::Column, Fit::Wide] {
                for svg in [
                    draw_svg(&s, &focus, Engine::InProcess, &look(fit)).unwrap(),
                    lanes_svg(&s, &focus, &look(fit)).unwrap(),
                ] {
                    let small: Vec<_> = text_sizes(&svg)
                        .into_iter()
                        .filter(|(px, _)| *px < fit.min_text() - 1e-9)
                        .collect();
                    assert!(small.is_empty(), "{name} {fit:?}: {small:?}");
                }
            }
        }
    }

    #[test]
    fn key_is_a_strip_with_only_the_symbols_used() {
        let s = story();
        let path = Focus::path(
            &StoryCatalog::new(&s),
            &Query::from_entity("wikileaks"),
            "Hope Hicks",
        )
        .unwrap();
        let svg = draw_svg(&s, &path, Engine::InProcess, &Look::default()).unwrap();
        let d = doc(&svg);
        let key = d
            .descendants()
            .find(|n| n.attribute("class") == Some("grapevine-key"))
            .expect("a key");
        let words: Vec<&str> = key
            .descendants()
            .filter(|n| n.has_tag_name("text"))
            .filter_map(|n| n.text())
            .collect();
        assert!(words.contains(&"person") && words.contains(&"organisation"));
        assert!(words.contains(&"confirmed") && words.contains(&"reported"));
        for absent in [
            "group",
            "alleged",
            "mutual (meeting, call)",
            "other contact",
        ] {
            assert!(!words.contains(&absent), "{absent} is not drawn: {words:?}");
        }
        // Outside the layout: after the drawing, not inside it.
        let drawing = d
            .descendants()
            .find(|n| n.attribute("class") == Some("grapevine-drawing"))
            .unwrap();
        assert!(!drawing
            .descendants()
            .any(|n| n.attribute("class") == Some("grapevine-key")));
        assert!(!svg.contains("Legend"));
    }

    #[test]
    fn not_reached_is_a_caption_line_or_left_out() {
        let s = story();
        let focus = reach(&s, "pac-tip");
        let svg = draw_svg(&s, &focus, Engine::InProcess, &Look::default()).unwrap();
        let line = "Not reached: 14 others, among them Paul Manafort, George Papadopoulos and Rob Goldstone.";
        let titles: Vec<String> = doc(&svg)
            .descendants()
            .filter(|n| n.has_tag_name("title"))
            .filter_map(|n| n.text().map(str::to_string))
            .collect();
        assert!(titles.iter().any(|t| t == line), "{titles:?}");
        let quiet = Look {
            unreached: false,
            ..Look::default()
        };
        let svg = draw_svg(&s, &focus, Engine::InProcess, &quiet).unwrap();
        assert!(!svg.contains("Not reached"));
        let svg = lanes_svg(&s, &focus, &quiet).unwrap();
        assert!(!svg.contains("Not reached"));
    }

    #[test]
    fn long_title_and_sources_wrap_and_are_never_cut() {
        let mut s = story();
        let title = "word ".repeat(60) + "end-of-title";
        s.title = Some(title.clone());
        s.sources[0].title = Some("source ".repeat(40) + "end-of-source");
        for fit in [Fit::Phone, Fit::Column, Fit::Wide] {
            let svg = draw_svg(&s, &Focus::default(), Engine::InProcess, &look(fit)).unwrap();
            let text: Vec<String> = doc(&svg)
                .descendants()
                .filter(|n| n.has_tag_name("text"))
                .filter_map(|n| n.text().map(str::to_string))
                .collect();
            let all = text.join(" ");
            assert!(all.contains("end-of-title") && all.contains("end-of-source"));
            assert_eq!(all.matches("word").count(), 60, "{fit:?}");
            assert!(!all.contains('…'), "nothing cut: {all}");
        }
    }

    #[test]
    fn lanes_are_deterministic_accessible_and_in_causal_order() {
        let s = story();
        let focus = reach(&s, "pac-tip");
        let svg = lanes_svg(&s, &focus, &Look::default()).unwrap();
        assert_eq!(svg, lanes_svg(&s, &focus, &Look::default()).unwrap());
        svg::check_accessible(&svg, s.title.as_deref().unwrap(), &[]);
        let d = doc(&svg);
        // Each lane in the order it first appears (a lane is drawn again
        // in each panel it has contacts in).
        let mut lanes: Vec<&str> = Vec::new();
        for t in d
            .descendants()
            .filter(|n| n.attribute("class") == Some("lane"))
            .filter_map(|n| n.children().find(|c| c.has_tag_name("title")))
            .filter_map(|t| t.text())
        {
            if !lanes.contains(&t) {
                lanes.push(t);
            }
        }
        assert_eq!(lanes.len(), 13, "{lanes:?}");
        assert_eq!(lanes[0], "WikiLeaks (organisation)");
        assert_eq!(lanes[1], "Donald Trump Jr. (person)");
        let pos = |name: &str| lanes.iter().position(|l| l.starts_with(name)).unwrap();
        assert!(pos("Jared Kushner") < pos("Hope Hicks"));
        assert!(pos("Hope Hicks") < pos("Donald Trump ("));
        assert!(pos("US Congress") < pos("The Atlantic"));
        // Contacts carry sentences; spans are bars.
        let titles: Vec<&str> = d
            .descendants()
            .filter(|n| n.attribute("class") == Some("contact"))
            .filter_map(|n| n.children().find(|c| c.has_tag_name("title")))
            .filter_map(|t| t.text())
            .collect();
        assert!(
            titles.contains(&"WikiLeaks → Donald Trump Jr.: message (20 Sep 2016, confirmed)"),
            "{titles:?}"
        );
        assert!(svg.contains("date known only to a span"));
        // The whole story's lanes, and the same focus options.
        let all = lanes_svg(&s, &Focus::default(), &look(Fit::Wide)).unwrap();
        assert!(all.contains("Not drawn: 5 contacts with no date."), "{all}");
        let around = Focus::default()
            .around(&StoryCatalog::new(&s), "kushner", 1)
            .unwrap();
        let some = lanes_svg(&s, &around, &look(Fit::Phone)).unwrap();
        assert!(some.contains("Jared Kushner") && !some.contains("Julian Assange"));
    }

    #[cfg(feature = "png")]
    #[test]
    fn png_defaults_to_the_fit_at_twice_the_density() {
        let s = story();
        let focus = reach(&s, "pac-tip");
        for (fit, width) in [(Fit::Phone, 750), (Fit::Column, 1400), (Fit::Wide, 2400)] {
            let png = grapevine::render::draw_png(&s, &focus, Engine::InProcess, &look(fit), None)
                .unwrap();
            assert_eq!(
                u32::from_be_bytes([png[16], png[17], png[18], png[19]]),
                width
            );
            let png = grapevine::render::lanes_png(&s, &focus, &look(fit), None).unwrap();
            assert_eq!(
                u32::from_be_bytes([png[16], png[17], png[18], png[19]]),
                width
            );
        }
    }
}

#[test]
fn overview_shows_contacts_and_relations_on_request() {
    let s = story();
    let dot = to_dot(&s, &Focus::default());
    assert!(!dot.contains("[id=\"r"), "no standing ties by default");
    // The campaign has no contact of its own: it is named under its members.
    assert!(
        dot.contains(r#"label="Jared Kushner\nTrump campaign""#),
        "{dot}"
    );
    assert!(dot.contains("Not drawn, with no contact in the story: Russia and Mike Pompeo"));
    let dot = to_dot(&s, &Focus::default().relations());
    assert!(dot.contains("[id=\"r1\"") && dot.contains("label=\"brother-in-law\""));
    assert!(!dot.contains("Not drawn, with no contact"));
}

#[test]
fn between_keeps_only_the_window_and_its_people() {
    let s = story();
    let focus = Focus::default()
        .between(&StoryCatalog::new(&s), "2016-09", "2016-10")
        .unwrap();
    let events = focus.events.clone().unwrap();
    // Undated contacts are in no window; open-ended ones that start in it
    // are.
    for undated in [
        "dnc-emails-stolen",
        "wikileaks-publishes-dnc-emails",
        "lawyer-statement-to-the-atlantic",
        "kushner-documents-to-mueller",
    ] {
        assert!(!events.contains(undated), "{undated}");
    }
    assert!(events.contains("dm-pac-tip") && events.contains("trump-sr-tweet"));
    assert!(!events.contains("trump-tower-meeting") && !events.contains("leak-to-the-atlantic"));
    let people = focus.entities.clone().unwrap();
    for out in ["mueller", "dnc", "manafort", "the-atlantic", "goldstone"] {
        assert!(!people.contains(out), "{out}");
    }
}

#[test]
fn cli_fit_lanes_and_flags() {
    let run = |args: &[&str]| {
        std::process::Command::new(env!("CARGO_BIN_EXE_grapevine"))
            .args(args)
            .output()
            .unwrap()
    };
    let out = run(&["render", BUNDLED, "--lanes"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("the lane chart is drawn as SVG or PNG"));
    #[cfg(feature = "svg")]
    {
        let out = run(&[
            "render",
            BUNDLED,
            "--lanes",
            "--reach",
            "pac-tip",
            "--fit",
            "phone",
            "--format",
            "svg",
            "--no-unreached",
        ]);
        assert!(out.status.success());
        let svg = String::from_utf8(out.stdout).unwrap();
        assert!(svg.contains("viewBox=\"0 0 375 ") && !svg.contains("Not reached"));
        let out = run(&[
            "render", BUNDLED, "--fit", "wide", "--width", "1000", "--format", "svg",
        ]);
        let svg = String::from_utf8(out.stdout).unwrap();
        assert!(svg.contains("viewBox=\"0 0 1200 ") && svg.contains("max-width:1000px"));
    }
    let out = run(&["render", BUNDLED, "--fit", "tablet"]);
    assert_eq!(out.status.code(), Some(2));
}

#[test]
fn a_large_lane_chart_is_refused_with_the_way_out() {
    use std::io::Write;
    // 200 people each writing to the next: 201 lanes.
    let mut text = String::from("from,to,time\n");
    for i in 0..200 {
        text.push_str(&format!("p{i},p{},{}\n", i + 1, 1_000_000 + i * 3600));
    }
    let mut f = tempfile::Builder::new().suffix(".csv").tempfile().unwrap();
    f.write_all(text.as_bytes()).unwrap();
    let run = |extra: &[&str]| {
        std::process::Command::new(env!("CARGO_BIN_EXE_grapevine"))
            .args([
                "render",
                f.path().to_str().unwrap(),
                "--lanes",
                "--format",
                "svg",
            ])
            .args(extra)
            .output()
            .unwrap()
    };
    let out = run(&[]);
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("201 lanes") && err.contains("--around"),
        "{err}"
    );
    let out = run(&["--around", "p7"]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

// ---- The lane chart's time axis, on every story -----------------------------

#[cfg(feature = "svg")]
pub(crate) mod lanes_axis {
    use super::*;
    use grapevine::render::{lanes_svg, Fit, Look};

    /// Every story in graphs/, loaded.
    pub(crate) fn stories() -> Vec<(String, Story)> {
        let mut paths: Vec<std::path::PathBuf> = std::fs::read_dir("graphs")
            .unwrap()
            .map(|e| e.unwrap().path())
            .filter(|p| {
                p.extension().is_some_and(|e| e == "json")
                    && !p.to_string_lossy().ends_with(".questions.json")
            })
            .collect();
        paths.sort();
        assert!(paths.len() >= 5, "{paths:?}");
        paths
            .into_iter()
            .map(|p| {
                let name = p.file_stem().unwrap().to_string_lossy().into_owned();
                (name, load_path(&p).unwrap().story)
            })
            .collect()
    }

    /// The lane charts checked for a story: the whole story, and who could
    /// have seen its first message.
    pub(crate) fn lane_foci(s: &Story) -> Vec<(&'static str, Focus)> {
        let mut out = vec![("all", Focus::default())];
        if let Some(m) = s.messages.first() {
            out.push(("reach", reach(s, &m.id)));
        }
        out
    }

    fn doc(svg: &str) -> roxmltree::Document<'_> {
        roxmltree::Document::parse(svg.split_once("?>").map_or(svg, |(_, r)| r)).unwrap()
    }

    fn num(n: roxmltree::Node, a: &str) -> f64 {
        n.attribute(a).unwrap().parse().unwrap()
    }

    /// The x of a group's first line.
    fn line_x(g: roxmltree::Node) -> f64 {
        let line = g
            .descendants()
            .find(|n| n.has_tag_name("line"))
            .expect("a line");
        num(line, "x1")
    }

    /// Checks one lane chart's structure; returns what was wrong.
    fn check(name: &str, s: &Story, svg: &str) -> Vec<String> {
        let d = doc(svg);
        let mut bad = Vec::new();
        let panels: Vec<roxmltree::Node> = d
            .descendants()
            .filter(|n| n.attribute("data-panel").is_some())
            .collect();
        let mut events: Vec<String> = Vec::new();
        for p in &panels {
            // Contacts at least 24 px apart.
            let mut xs: Vec<(f64, &str)> = p
                .descendants()
                .filter_map(|n| n.attribute("data-event").map(|id| (line_x(n), id)))
                .collect();
            xs.sort_by(|a, b| a.0.total_cmp(&b.0));
            for w in xs.windows(2) {
                if w[1].0 - w[0].0 < 24.0 {
                    bad.push(format!(
                        "{name}: {} and {} are {:.1} px apart",
                        w[0].1,
                        w[1].1,
                        w[1].0 - w[0].0
                    ));
                }
            }
            events.extend(xs.iter().map(|(_, id)| id.to_string()));
            // Ticks: never inside a break; markers between the ticks that
            // bracket their date.
            let ticks: Vec<(String, f64)> = p
                .descendants()
                .filter_map(|n| {
                    n.attribute("data-tick")
                        .map(|t| (t.to_string(), num(n, "x1")))
                })
                .collect();
            for b in p
                .descendants()
                .filter(|n| n.attribute("class") == Some("grapevine-break"))
            {
                let r = b.children().find(|c| c.has_tag_name("rect")).unwrap();
                let (x0, x1) = (num(r, "x"), num(r, "x") + num(r, "width"));
                for (date, x) in &ticks {
                    if *x > x0 + 0.5 && *x < x1 - 0.5 {
                        bad.push(format!("{name}: tick {date} inside a break"));
                    }
                }
            }
            for m in p
                .descendants()
                .filter(|n| n.attribute("data-marker").is_some())
            {
                let (date, x) = (m.attribute("data-time").unwrap(), line_x(m));
                let before = ticks
                    .iter()
                    .filter(|t| t.0.as_str() <= date)
                    .map(|t| t.1)
                    .fold(f64::MIN, f64::max);
                let after = ticks
                    .iter()
                    .filter(|t| t.0.as_str() > date)
                    .map(|t| t.1)
                    .fold(f64::MAX, f64::min);
                if x < before - 0.5 || x > after + 0.5 {
                    bad.push(format!(
                        "{name}: marker {date} at {x} is not between its ticks ({before}, {after})"
                    ));
                }
            }
        }
        // Every dated contact drawn once; every marker drawn.
        let mut sorted = events.clone();
        sorted.sort();
        sorted.dedup();
        if sorted.len() != events.len() {
            bad.push(format!("{name}: a contact is drawn twice"));
        }
        for m in &s.markers {
            let drawn = d
                .descendants()
                .any(|n| n.attribute("data-marker") == Some(m.id.as_str()));
            if !drawn {
                bad.push(format!("{name}: marker {} is not drawn", m.id));
            }
        }
        bad.extend(check_names(name, s, &d));
        bad
    }

    /// Lane names are broken at spaces (or after a hyphen) only: the lines
    /// joined give the name back (or its start, cut at a word).
    fn check_names(name: &str, s: &Story, d: &roxmltree::Document) -> Vec<String> {
        let mut bad = Vec::new();
        for lane in d
            .descendants()
            .filter(|n| n.attribute("data-entity").is_some())
        {
            let id = lane.attribute("data-entity").unwrap();
            let full = clean(s.name_of(id));
            let mut shown = String::new();
            for t in lane.descendants().filter(|n| n.has_tag_name("text")) {
                let line = t.text().unwrap_or("");
                if !shown.is_empty() && !shown.ends_with('-') {
                    shown.push(' ');
                }
                shown.push_str(line);
            }
            let ok = match shown.strip_suffix(" …") {
                Some(head) => full.starts_with(head) && full[head.len()..].starts_with(' '),
                None => shown == full,
            };
            if !ok {
                bad.push(format!("{name}: lane {id} shows {shown:?} for {full:?}"));
            }
        }
        bad
    }

    #[test]
    fn every_story_gets_room_markers_and_whole_words() {
        let mut bad = Vec::new();
        for (story_name, s) in stories() {
            for (focus_name, focus) in lane_foci(&s) {
                for fit in [Fit::Phone, Fit::Column, Fit::Wide] {
                    let look = Look {
                        fit,
                        ..Look::default()
                    };
                    let svg = lanes_svg(&s, &focus, &look).unwrap();
                    bad.extend(check(
                        &format!("{story_name} {focus_name} {fit:?}"),
                        &s,
                        &svg,
                    ));
                }
            }
        }
        assert!(bad.is_empty(), "{}", bad.join("\n"));
    }

    #[test]
    fn the_laptop_story_makes_room_for_october() {
        let s = load_path("graphs/hunter-biden-laptop.json".as_ref())
            .unwrap()
            .story;
        let svg = lanes_svg(&s, &Focus::default(), &Look::default()).unwrap();
        let d = doc(&svg);
        // Quiet stretches are compressed, and each is marked.
        let breaks = d
            .descendants()
            .filter(|n| n.attribute("class") == Some("grapevine-break"))
            .count();
        assert!(breaks >= 1, "{svg}");
        assert!(svg.contains("time compressed"));
        // The six October contacts are apart, each between its day's ticks.
        let october = [
            "giuliani-to-post",
            "post-publishes",
            "campaign-denial",
            "wapo-requests",
            "giuliani-nyt",
        ];
        for id in october {
            assert!(svg.contains(&format!("data-event=\"{id}\"")), "{id}");
        }
        // Both markers are labelled lines.
        for (id, label) in [
            ("m-post-story", "New York Post story"),
            ("m-election", "Election day"),
        ] {
            let m = d
                .descendants()
                .find(|n| n.attribute("data-marker") == Some(id))
                .expect(id);
            assert!(m.descendants().any(|t| t.text() == Some(label)), "{id}");
        }
        // Lane names at a phone's width are never broken inside a word.
        let phone = lanes_svg(
            &s,
            &Focus::default(),
            &Look {
                fit: Fit::Phone,
                ..Look::default()
            },
        )
        .unwrap();
        assert!(
            !phone.contains(">s</text>") && !phone.contains("organisation\n"),
            "{phone}"
        );
    }

    #[test]
    fn a_window_gets_day_ticks_and_only_its_markers() {
        let s = load_path("graphs/hunter-biden-laptop.json".as_ref())
            .unwrap()
            .story;
        let c = StoryCatalog::new(&s);
        let focus = Focus::default()
            .between(&c, "2020-10-01", "2020-10-20")
            .unwrap();
        let svg = lanes_svg(&s, &focus, &Look::default()).unwrap();
        let d = doc(&svg);
        let days: Vec<&str> = d
            .descendants()
            .filter_map(|n| n.attribute("data-tick"))
            .collect();
        // Ticks a day apart (15 and 16 October 2020 at least), labelled as
        // days (on Mondays).
        assert!(
            days.contains(&"2020-10-15") && days.contains(&"2020-10-16"),
            "{days:?}"
        );
        assert!(
            [">5 Oct<", ">12 Oct<", ">19 Oct<"]
                .iter()
                .any(|l| svg.contains(l)),
            "{svg}"
        );
        // The axis starts at the window's start.
        assert!(days.contains(&"2020-10-01"), "{days:?}");
        // Election day is outside the window: not drawn; the Post's story is.
        assert!(svg.contains("data-marker=\"m-post-story\""));
        assert!(!svg.contains("data-marker=\"m-election\""));
        // The bundled story's October 2016 window, as the issue asked.
        let b = story();
        let focus = Focus::default()
            .between(&StoryCatalog::new(&b), "2016-10-01", "2016-11-08")
            .unwrap();
        let svg = lanes_svg(&b, &focus, &Look::default()).unwrap();
        let ticks = doc(&svg)
            .descendants()
            .filter(|n| n.attribute("data-tick").is_some())
            .count();
        assert!(ticks >= 20, "day ticks across five weeks: {ticks}\n{svg}");
    }

    #[test]
    fn the_key_picture_marks_markers_and_spans() {
        let s = load_path("graphs/pentagon-papers.json".as_ref())
            .unwrap()
            .story;
        let dot = grapevine::render::to_dot(&s, &reach(&s, "papers"));
        // On a band's own date: under its date; between two bands: a mark
        // of its own, with its date.
        assert!(
            dot.contains("label=\"13 Jun 1971\\n◆ The Times' first\\ninstallment\""),
            "{dot}"
        );
        assert!(dot.contains("◆ 30 Jun 1971:"), "{dot}");
        let s = load_path("graphs/hunter-biden-laptop.json".as_ref())
            .unwrap()
            .story;
        let dot = grapevine::render::to_dot(&s, &reach(&s, "laptop-data"));
        // A band known only to a span says so; a month is not its first day.
        assert!(dot.contains("label=\"Aug–Sep 2020\""), "{dot}");
        assert!(
            dot.contains("label=\"Dec 2019\"") && !dot.contains("label=\"1 Dec 2019\""),
            "{dot}"
        );
        assert!(dot.contains("◆ New York Post\\nstory"), "{dot}");
        // Election day is after the last band: outside the time shown.
        assert!(!dot.contains("Election day"), "{dot}");
    }
}
