//! `render --animate` on every story in `graphs/` (the reach of its first
//! traced message): the animated SVG is well-formed, plays by CSS keyframes
//! alone under `prefers-reduced-motion: no-preference`, draws every reached
//! entity with its `data-entity`, and takes one step per distinct time; the
//! animated PNG decodes, with a frame per step, and the bundled story's is
//! under 2 MB at 1080 px; in headless Chromium its first and last frames do
//! not overflow a 375 px phone, reduced motion shows the end, and it plays
//! under a Content-Security-Policy that allows only its style sheet.
//!
//! With GRAPEVINE_SCREENSHOTS=DIR the browser test also writes the first
//! and last frames of three stories into DIR (`docs/img`).
#![cfg(feature = "svg")]

use std::collections::BTreeSet;

use grapevine::render::{animated_svg, Engine, Fit, Focus, Look, Replay};
use grapevine::{Query, Story, StoryCatalog};

use super::browser_stories::{stories, traced};

/// The animated SVG of `s`'s first traced message, for `fit`.
fn animation(s: &Story, fit: Fit) -> String {
    replay_svg(s, fit, false)
}

/// The same, of the key picture or the lane chart.
fn replay_svg(s: &Story, fit: Fit, lanes: bool) -> String {
    let c = StoryCatalog::new(s);
    let q = Query::message(&traced(s));
    let focus = Focus::reach(&c, &q).unwrap();
    let replay = Replay {
        catalog: &c,
        query: &q,
        story: s,
        focus: &focus,
        engine: Engine::InProcess,
        look: Look {
            fit,
            ..Look::default()
        },
        lanes,
    };
    animated_svg(&replay).unwrap()
}

/// The times the steps must be, read from the answers and the story
/// directly: each reached entity's earliest and definite time (at the
/// question's threshold and at confirmed) and each drawn contact's start,
/// from the first entity's first time on.
fn expected_times(s: &Story, drawn_events: &BTreeSet<String>) -> BTreeSet<i64> {
    use grapevine::internals::model::time::MIN_SECOND;
    let q = Query::message(&traced(s));
    let answer = grapevine::reach_story(s, &q).unwrap();
    let sure = Query {
        threshold: grapevine::Certainty::Confirmed,
        ..q.clone()
    };
    let sure = grapevine::reach_story(s, &sure).unwrap();
    let mut entity_times: Vec<i64> = Vec::new();
    for r in &answer.reached {
        entity_times.extend(r.earliest);
        entity_times.extend(r.definite_by);
        entity_times.extend(sure.get(&r.entity).and_then(|t| t.definite_by));
    }
    let ok = |t: &i64| *t != MIN_SECOND && *t != i64::MIN && *t != i64::MAX;
    entity_times.retain(ok);
    let first = *entity_times.iter().min().expect("some entity has a time");
    let mut all: BTreeSet<i64> = entity_times.into_iter().collect();
    for e in &s.events {
        if drawn_events.contains(&e.id) {
            all.extend(e.interval().lo.filter(|t| ok(t) && *t >= first));
        }
    }
    all
}

/// Plays by CSS alone: keyframes that wait for prefers-reduced-motion, one
/// style sheet, no script, no SMIL, no `style` or event attribute, nothing
/// fetched.
fn assert_css_only(file: &str, svg: &str, doc: &roxmltree::Document) {
    assert!(svg.contains("@keyframes"), "{file}: no keyframes");
    assert!(
        svg.contains("@media (prefers-reduced-motion:no-preference)"),
        "{file}: the motion does not wait for prefers-reduced-motion"
    );
    assert!(!svg.to_ascii_lowercase().contains("<script"), "{file}");
    for n in doc.descendants().filter(|n| n.is_element()) {
        let name = n.tag_name().name();
        let smil = ["animate", "set", "animateTransform", "animateMotion"];
        assert!(
            !smil.contains(&name) && name != "script" && name != "foreignObject",
            "{file}: <{name}>"
        );
        for a in n.attributes() {
            assert!(
                a.name() != "style" && !a.name().starts_with("on"),
                "{file}: <{name} {}>",
                a.name()
            );
            assert!(
                !a.value().contains("url(") || a.name() == "title",
                "{file}: nothing is fetched: {}",
                a.value()
            );
        }
    }
    let styles = doc
        .descendants()
        .filter(|n| n.has_tag_name("style"))
        .count();
    assert_eq!(styles, 1, "{file}: one style sheet");
}

/// One step per distinct time, dated alike by none other, in order.
fn assert_steps(file: &str, s: &Story, doc: &roxmltree::Document) {
    let dates: Vec<(i64, String)> = doc
        .descendants()
        .filter(|n| {
            n.attribute("class")
                .is_some_and(|c| c.contains("grapevine-date"))
        })
        .map(|n| {
            (
                n.attribute("data-t").unwrap().parse().unwrap(),
                n.text().unwrap_or("").to_string(),
            )
        })
        .collect();
    let root = doc.root_element();
    let steps: usize = root.attribute("data-steps").unwrap().parse().unwrap();
    assert_eq!(dates.len(), steps, "{file}");
    assert!(steps > 1, "{file}: a spread in one step");
    assert!(
        dates.windows(2).all(|w| w[0].0 < w[1].0),
        "{file}: {dates:?}"
    );
    let labels: BTreeSet<&String> = dates.iter().map(|(_, l)| l).collect();
    assert_eq!(
        labels.len(),
        steps,
        "{file}: two steps dated alike: {dates:?}"
    );
    let events: BTreeSet<String> = doc
        .descendants()
        .filter_map(|n| n.attribute("data-event"))
        .map(str::to_string)
        .collect();
    let times: BTreeSet<i64> = dates.iter().map(|(t, _)| *t).collect();
    assert_eq!(times, expected_times(s, &events), "{file}: {dates:?}");
}

#[test]
fn every_story_animates_as_svg() {
    for (file, s) in stories() {
        let svg = animation(&s, Fit::Column);
        let doc = roxmltree::Document::parse(&svg)
            .unwrap_or_else(|e| panic!("{file}: the animated SVG does not parse: {e}"));
        assert_css_only(&file, &svg, &doc);
        // Every reached entity is drawn, with the contract's attribute.
        let q = Query::message(&traced(&s));
        let answer = grapevine::reach_story(&s, &q).unwrap();
        let drawn: BTreeSet<&str> = doc
            .descendants()
            .filter_map(|n| n.attribute("data-entity"))
            .collect();
        for r in &answer.reached {
            assert!(
                drawn.contains(r.entity.as_str()),
                "{file}: {} not drawn",
                r.entity
            );
        }
        assert_steps(&file, &s, &doc);
        // The still (no motion) is the end: the description carries the
        // finding in words.
        let desc = doc
            .root_element()
            .children()
            .find(|n| n.has_tag_name("desc"))
            .and_then(|d| d.text())
            .unwrap_or("");
        let c = StoryCatalog::new(&s);
        let focus = Focus::reach(&c, &q).unwrap();
        assert!(
            desc.contains(&grapevine::render::alt_text(&s, &focus)),
            "{file}: {desc}"
        );
        assert!(
            desc.contains("where motion is reduced it shows the end"),
            "{desc}"
        );
    }
}

#[test]
fn the_lane_chart_animates() {
    for (file, s) in stories() {
        let svg = replay_svg(&s, Fit::Column, true);
        let doc = roxmltree::Document::parse(&svg).unwrap();
        assert!(!svg.contains("<script"), "{file}");
        // Where the lane chart names its lanes (`data-entity`), the spread
        // takes steps and every reached entity's lane is one the animation
        // changes.
        let c = StoryCatalog::new(&s);
        let q = Query::message(&traced(&s));
        let plain =
            grapevine::render::lanes_svg(&s, &Focus::reach(&c, &q).unwrap(), &Look::default())
                .unwrap();
        if plain.contains("data-entity=") {
            let steps: usize = doc
                .root_element()
                .attribute("data-steps")
                .unwrap()
                .parse()
                .unwrap();
            assert!(steps > 1 && svg.contains("@keyframes"), "{file}");
            let answer = grapevine::reach_story(&s, &q).unwrap();
            for r in &answer.reached {
                let lane = doc
                    .descendants()
                    .find(|n| n.attribute("data-entity") == Some(r.entity.as_str()))
                    .unwrap_or_else(|| panic!("{file}: no lane for {}", r.entity));
                assert!(
                    lane.attribute("class").is_some_and(|c| c.contains("t")),
                    "{file}: {}'s lane has no track",
                    r.entity
                );
            }
        }
    }
}

#[test]
fn the_phone_animation_draws_its_chains() {
    for (file, s) in stories() {
        let svg = animation(&s, Fit::Phone);
        let doc = roxmltree::Document::parse(&svg).unwrap();
        assert!(
            doc.descendants()
                .any(|n| n.attribute("data-entity").is_some()),
            "{file}"
        );
        assert!(svg.contains("viewBox=\"0 0 375 "), "{file}");
    }
}

/// `grapevine render` with `args`: (exit code, stderr).
fn grapevine(args: &[&str]) -> (Option<i32>, String) {
    let o = std::process::Command::new(env!("CARGO_BIN_EXE_grapevine"))
        .args(args)
        .output()
        .expect("the binary runs");
    (
        o.status.code(),
        String::from_utf8_lossy(&o.stderr).into_owned(),
    )
}

#[test]
fn the_command_line_animates_a_reach_and_only_a_reach() {
    let dir = std::path::Path::new(env!("CARGO_TARGET_TMPDIR"));
    let story = "graphs/trump-jr-wikileaks.json";
    let svg = dir.join("spread.svg");
    let svg_path = svg.to_str().unwrap();
    let (code, err) = grapevine(&[
        "render",
        story,
        "--reach",
        "pac-tip",
        "--animate",
        "-o",
        svg_path,
    ]);
    assert_eq!(code, Some(0), "{err}");
    let text = std::fs::read_to_string(&svg).unwrap();
    assert!(text.contains("@keyframes") && text.contains("data-entity=\"trump-jr\""));
    #[cfg(feature = "png")]
    {
        let png = dir.join("spread.png");
        let args = [
            "render",
            story,
            "--reach",
            "pac-tip",
            "--animate",
            "--width",
            "400",
            "-o",
        ];
        let (code, err) = grapevine(&[&args[..], &[png.to_str().unwrap()]].concat());
        assert_eq!(code, Some(0), "{err}");
        let bytes = std::fs::read(&png).unwrap();
        assert!(bytes.starts_with(b"\x89PNG") && bytes.windows(4).any(|w| w == b"acTL"));
    }
    for (args, says) in [
        (
            vec!["--animate", "-o", svg_path],
            "--animate replays the spread of a reach",
        ),
        (
            vec!["--reach", "pac-tip", "--animate"],
            "the animation is drawn as SVG",
        ),
        (
            vec![
                "--reach",
                "pac-tip",
                "--animate",
                "--format",
                "html",
                "-o",
                svg_path,
            ],
            "the animation is drawn as SVG",
        ),
    ] {
        let (code, err) = grapevine(&[&["render", story][..], &args].concat());
        assert_eq!(code, Some(2), "{args:?}: {err}");
        assert!(err.contains(says), "{args:?}: {err}");
    }
}

#[cfg(feature = "png")]
mod raster {
    use super::*;
    use grapevine::render::animated_png;

    /// Decodes an APNG: (width, height, frames, each frame decoded).
    fn decode(bytes: &[u8]) -> (u32, u32, u32) {
        let decoder = png::Decoder::new(std::io::Cursor::new(bytes));
        let mut reader = decoder.read_info().expect("an APNG");
        let info = reader.info();
        let (w, h) = (info.width, info.height);
        let frames = info.animation_control.expect("animated").num_frames;
        let mut buf = vec![0; reader.output_buffer_size().unwrap()];
        // The default image, then every frame.
        let mut read = 0;
        while reader.next_frame(&mut buf).is_ok() {
            read += 1;
        }
        assert_eq!(read, frames + 1, "the default image and every frame decode");
        (w, h, frames)
    }

    fn apng(s: &Story, width: Option<u32>) -> Vec<u8> {
        let c = StoryCatalog::new(s);
        let q = Query::message(&traced(s));
        let focus = Focus::reach(&c, &q).unwrap();
        let replay = Replay {
            catalog: &c,
            query: &q,
            story: s,
            focus: &focus,
            engine: Engine::InProcess,
            look: Look::default(),
            lanes: false,
        };
        animated_png(&replay, width).unwrap()
    }

    #[test]
    fn the_bundled_story_animates_under_2_mb_at_1080_px() {
        let s = grapevine::load_path("graphs/trump-jr-wikileaks.json".as_ref())
            .unwrap()
            .story;
        let bytes = apng(&s, None);
        let (w, _, frames) = decode(&bytes);
        assert_eq!(w, 1080);
        let svg = animation(&s, Fit::Column);
        let steps = svg.split("data-steps=\"").nth(1).unwrap();
        let steps: u32 = steps[..steps.find('"').unwrap()].parse().unwrap();
        assert_eq!(frames, steps, "a frame per step");
        eprintln!("trump-jr-wikileaks: {} bytes, {frames} frames", bytes.len());
        assert!(bytes.len() <= 2 * 1024 * 1024, "{} bytes", bytes.len());
    }

    #[test]
    fn every_story_animates_as_png() {
        for (file, s) in stories() {
            let bytes = apng(&s, Some(540));
            let (w, h, frames) = decode(&bytes);
            eprintln!("{file}: {w}x{h}, {frames} frames, {} bytes", bytes.len());
            assert_eq!(w, 540, "{file}");
            assert!(frames > 1, "{file}: {frames} frames");
        }
    }
}

mod browser {
    use std::path::{Path, PathBuf};

    use super::*;
    use crate::browser::{browser, host, run};

    /// The article page: the SVG inline, and a script that stops every
    /// animation in the middle of the first or the last step and reports.
    fn page(svg: &str, which: &str, csp: Option<&str>) -> String {
        let inline = svg.split_once("?>").map_or(svg, |(_, rest)| rest).trim();
        let script = SCRIPT.replace("WHICH", which);
        let meta = csp.map_or(String::new(), |c| {
            format!("<meta http-equiv=\"Content-Security-Policy\" content=\"{c}\">")
        });
        format!(
            "<!doctype html><html><head><meta charset=\"utf-8\">{meta}\
             <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\
             </head><body>\n{inline}\n<script>{script}</script></body></html>\n"
        )
    }

    const SCRIPT: &str = r#"
var violations = 0;
document.addEventListener('securitypolicyviolation', function () { violations += 1; });
window.addEventListener('load', function () {
  var svg = document.querySelector('svg');
  var step = Number(svg.getAttribute('data-step-ms'));
  var n = Number(svg.getAttribute('data-steps'));
  var anims = document.getAnimations();
  var t = 'WHICH' === 'first' ? step / 2 : (n - 1) * step + step / 2;
  anims.forEach(function (a) { a.pause(); a.currentTime = t; });
  // (Computed styles read the paused animations' values at once.)
  (function () {
    var shown = [];
    svg.querySelectorAll('.grapevine-date').forEach(function (d) {
      if (Number(getComputedStyle(d).opacity) > 0.5) shown.push(d.getAttribute('data-t'));
    });
    var right = 0;
    svg.querySelectorAll('text').forEach(function (x) {
      if (Number(getComputedStyle(x).opacity) > 0) right = Math.max(right, x.getBoundingClientRect().right);
    });
    var faded = 0;
    svg.querySelectorAll('[data-entity]').forEach(function (e) {
      if (Number(getComputedStyle(e).opacity) < 0.5) faded += 1;
    });
    var dates = [];
    svg.querySelectorAll('.grapevine-date').forEach(function (d) { dates.push(d.getAttribute('data-t')); });
    parent.postMessage(JSON.stringify({
      animations: anims.length, shown: shown, dates: dates, faded: faded,
      overflow: document.documentElement.scrollWidth > window.innerWidth || right > window.innerWidth + 0.5,
      right: right, violations: violations, page_height: document.documentElement.scrollHeight,
      reduced: window.matchMedia('(prefers-reduced-motion: reduce)').matches
    }), '*');
  })();
});
"#;

    /// The page's report in Chromium at `width` px.
    fn report(chrome: &Path, page: &str, width: u32, extra: &[String]) -> serde_json::Value {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("article.html"), page).unwrap();
        std::fs::write(dir.path().join("host.html"), host(width, 900)).unwrap();
        let mut args = vec!["--dump-dom".to_string()];
        args.extend_from_slice(extra);
        let dom = run(chrome, dir.path(), &args, (width.max(500), 1000));
        let json = dom
            .split_once("<pre id=\"result\">")
            .and_then(|(_, rest)| rest.split_once("</pre>"))
            .map(|(j, _)| {
                j.replace("&lt;", "<")
                    .replace("&gt;", ">")
                    .replace("&nbsp;", "\u{a0}")
                    .replace("&amp;", "&")
            })
            .unwrap_or_else(|| panic!("no report from the page:\n{dom}"));
        serde_json::from_str(&json).unwrap()
    }

    /// The style sheet's text, for a policy that allows only it.
    fn style_of(svg: &str) -> &str {
        let start = svg.find("<style>").unwrap() + "<style>".len();
        let end = svg.find("</style>").unwrap();
        &svg[start..end]
    }

    #[test]
    fn first_and_last_frames_hold_in_a_real_browser() {
        let Some(chrome) = browser() else { return };
        let mut failures = Vec::new();
        for (file, s) in stories() {
            for fit in [Fit::Phone, Fit::Column] {
                let svg = animation(&s, fit);
                let mut faded = Vec::new();
                for which in ["first", "last"] {
                    let r = report(&chrome, &page(&svg, which, None), 375, &[]);
                    let at = format!("{file} {} {which} frame", fit.name());
                    let dates = r["dates"].as_array().unwrap();
                    let want = if which == "first" {
                        dates.first()
                    } else {
                        dates.last()
                    };
                    if r["overflow"] != false {
                        failures.push(format!("{at}: overflows 375 px: {r}"));
                    }
                    if r["animations"].as_u64().unwrap_or(0) == 0 {
                        failures.push(format!("{at}: nothing plays"));
                    }
                    if r["shown"].as_array() != Some(&vec![want.unwrap().clone()]) {
                        failures.push(format!("{at}: not its own date shown: {r}"));
                    }
                    faded.push(r["faded"].as_u64().unwrap_or(0));
                }
                // The spread starts with someone not yet reached and ends
                // with everyone reached.
                if faded[0] == 0 || faded[1] != 0 {
                    failures.push(format!(
                        "{file} {}: faded first and last {faded:?}",
                        fit.name()
                    ));
                }
            }
        }
        assert!(failures.is_empty(), "{}", failures.join("\n"));
    }

    #[test]
    fn reduced_motion_shows_the_end_and_the_policy_lets_it_play() {
        let Some(chrome) = browser() else { return };
        let hash = grapevine::internals::render::html::csp::csp_hash;
        for (file, s) in stories() {
            let svg = animation(&s, Fit::Column);
            let r = report(
                &chrome,
                &page(&svg, "first", None),
                700,
                &["--force-prefers-reduced-motion".to_string()],
            );
            assert_eq!(r["reduced"], true, "{file}: {r}");
            assert_eq!(
                r["animations"], 0,
                "{file}: reduced motion still plays: {r}"
            );
            let dates = r["dates"].as_array().unwrap();
            assert_eq!(
                r["shown"].as_array().unwrap(),
                &[dates.last().unwrap().clone()],
                "{file}: {r}"
            );
            assert_eq!(r["faded"], 0, "{file}: the end fades someone reached: {r}");
            // Under a policy that allows only its style sheet (and the
            // test's script), it plays, and nothing is refused.
            let script = SCRIPT.replace("WHICH", "first");
            let policy = format!(
                "default-src 'none'; style-src {}; script-src {}",
                hash(style_of(&svg)),
                hash(&script)
            );
            let r = report(&chrome, &page(&svg, "first", Some(&policy)), 700, &[]);
            assert!(r["animations"].as_u64().unwrap_or(0) > 0, "{file}: {r}");
            assert_eq!(r["violations"], 0, "{file}: {r}");
        }
    }

    /// The stories whose first and last frames are in docs/img.
    const SHOWN: [&str; 3] = [
        "trump-jr-wikileaks.json",
        "panama-papers.json",
        "snowden-first-stories.json",
    ];

    /// The first and last frames of three stories for docs/img
    /// (GRAPEVINE_SCREENSHOTS=docs/img), 700 px wide.
    #[test]
    fn animation_screenshots_when_asked() {
        let Some(out) = std::env::var_os("GRAPEVINE_SCREENSHOTS") else {
            return;
        };
        let Some(chrome) = browser() else { return };
        let out = std::fs::canonicalize(PathBuf::from(out)).unwrap();
        for (file, s) in stories()
            .into_iter()
            .filter(|(f, _)| SHOWN.contains(&f.as_str()))
        {
            let name = file.trim_end_matches(".json");
            let svg = animation(&s, Fit::Column);
            for which in ["first", "last"] {
                let p = page(&svg, which, None);
                let height = report(&chrome, &p, 700, &[])["page_height"]
                    .as_u64()
                    .unwrap() as u32;
                let dir = tempfile::tempdir().unwrap();
                std::fs::write(dir.path().join("article.html"), &p).unwrap();
                std::fs::write(dir.path().join("host.html"), host(700, height)).unwrap();
                let shot = out.join(format!("{name}-animation-{which}.png"));
                run(
                    &chrome,
                    dir.path(),
                    &[format!("--screenshot={}", shot.display())],
                    (700, height),
                );
                assert!(shot.exists(), "{} written", shot.display());
            }
        }
    }
}
