//! Every story in `graphs/`, not only the bundled one, measured in headless
//! Chromium as `browser.rs` measures the bundled story: its key picture
//! (the reach of its first traced message), its overview, its lane chart and
//! one chain, at 375, 700 and 1280 px: no horizontal overflow, the smallest
//! text at least the fit's minimum, no two texts overlapping, and each
//! contact's line, as Chromium draws it, from one of its nodes to the other
//! with its arrowhead at the receiver, through no other node.
#![cfg(feature = "svg")]

use grapevine::render::{Fit, Focus};
use grapevine::{load_path, Query, Story, StoryCatalog};

use super::browser::{browser, measure, svg_of, CONTROL};

/// Every story file in `graphs/` (not the questions files).
pub(super) fn stories() -> Vec<(String, Story)> {
    let mut out = Vec::new();
    for entry in std::fs::read_dir("graphs").unwrap() {
        let path = entry.unwrap().path();
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        if name.ends_with(".json") && !name.ends_with(".questions.json") {
            out.push((name, load_path(&path).expect("story loads").story));
        }
    }
    out.sort_by(|a, b| a.0.cmp(&b.0));
    assert!(out.len() >= 5, "the shelf of stories");
    out
}

/// The first message with an origin that some event carries.
pub(super) fn traced(s: &Story) -> String {
    s.messages
        .iter()
        .find(|m| m.origin.is_some() && s.events.iter().any(|e| e.carries.contains(&m.id)))
        .map(|m| m.id.clone())
        .expect("a traced message")
}

/// The pictures of one story: (name, focus, lane chart?).
fn pictures(s: &Story) -> Vec<(String, Focus, bool)> {
    let c = StoryCatalog::new(s);
    let q = Query::message(&traced(s));
    let key = Focus::reach(&c, &q).unwrap();
    let answer = grapevine::reach_story(s, &q).unwrap();
    let last = answer.reached.last().unwrap().entity.clone();
    let path = Focus::path(&c, &q, &last).unwrap();
    vec![
        ("key".into(), key.clone(), false),
        ("overview".into(), Focus::default(), false),
        ("path".into(), path, false),
        ("lanes".into(), key, true),
    ]
}

#[test]
fn every_story_holds_in_a_real_browser() {
    let Some(chrome) = browser() else { return };
    let mut failures: Vec<String> = Vec::new();
    let mut report = String::new();
    for (file, s) in stories() {
        for (fit, viewport) in [(Fit::Phone, 375), (Fit::Column, 700), (Fit::Wide, 1280)] {
            let mut svgs: Vec<(String, String)> = pictures(&s)
                .into_iter()
                .map(|(name, focus, lanes)| (name, svg_of(&s, &focus, lanes, fit)))
                .collect();
            svgs.push(("control".to_string(), CONTROL.to_string()));
            let m = measure(&chrome, &svgs, viewport);
            if m["overflow"].as_bool() != Some(false) {
                failures.push(format!("{file} {viewport} px: the page overflows"));
            }
            for p in m["pictures"].as_array().unwrap() {
                let name = p["name"].as_str().unwrap();
                let overlaps = p["overlaps"].as_array().unwrap();
                if name == "control" {
                    assert!(!overlaps.is_empty(), "the overlap check works: {p}");
                    let lines = p["lines"]["problems"].to_string();
                    assert!(
                        lines.contains("through (e:a to e:b) passes through e:c")
                            && lines.contains("short: the line does not join"),
                        "the line check works: {lines}"
                    );
                    continue;
                }
                let min = p["min"].as_f64().unwrap();
                let right = p["right"].as_f64().unwrap_or(0.0);
                if right > f64::from(viewport) + 0.5 {
                    failures.push(format!(
                        "{file} {viewport} px {name}: a text ends at {right:.0} px"
                    ));
                }
                report.push_str(&format!(
                    "{file} {viewport:>5} px {name:<9} smallest {min:5.2} px, {} overlaps\n",
                    overlaps.len()
                ));
                if min < fit.min_text() - 0.01 {
                    failures.push(format!(
                        "{file} {viewport} px {name}: smallest text {min:.2} px ({}) < {}",
                        p["min_text"],
                        fit.min_text()
                    ));
                }
                if !overlaps.is_empty() {
                    failures.push(format!(
                        "{file} {viewport} px {name}: text overlaps {overlaps:?}"
                    ));
                }
                if let Some(lines) = p["lines"].as_object() {
                    let problems = lines["problems"].as_array().unwrap();
                    if lines["count"].as_u64() == Some(0) {
                        failures.push(format!("{file} {viewport} px {name}: no lines found"));
                    }
                    for problem in problems {
                        failures.push(format!("{file} {viewport} px {name}: {problem}"));
                    }
                }
            }
        }
    }
    eprintln!("{report}");
    assert!(failures.is_empty(), "{}\n{report}", failures.join("\n"));
}

/// A lane chart credits the sources of what it draws, and only those: its
/// contacts (`data-event`), the holdings on its chains, the traced message.
#[test]
fn lane_charts_credit_only_what_they_draw() {
    use grapevine::render::{lanes_svg, Look};
    for (file, s) in stories() {
        let c = StoryCatalog::new(&s);
        let m = traced(&s);
        let key = Focus::reach(&c, &Query::message(&m)).unwrap();
        let svg = lanes_svg(&s, &key, &Look::default()).unwrap();
        let drawn: std::collections::BTreeSet<&str> = svg
            .split("data-event=\"")
            .skip(1)
            .filter_map(|r| r.split('"').next())
            .collect();
        let h = key.highlight.as_ref().unwrap();
        let mut cited: std::collections::BTreeSet<&str> = s
            .events
            .iter()
            .filter(|e| drawn.contains(e.id.as_str()))
            .flat_map(|e| e.sources.iter().map(|c| c.source()))
            .collect();
        for hd in &s.holdings {
            if h.channels.iter().any(|(e, _, _)| e == &hd.id) {
                cited.extend(hd.sources.iter().map(|c| c.source()));
            }
        }
        cited.extend(s.message(&m).unwrap().sources.iter().map(|c| c.source()));
        let opt = roxmltree::ParsingOptions {
            allow_dtd: true,
            ..roxmltree::ParsingOptions::default()
        };
        let doc = roxmltree::Document::parse_with_options(&svg, opt).unwrap();
        let text: Vec<&str> = doc
            .descendants()
            .filter(|n| n.has_tag_name("text"))
            .filter_map(|n| n.text())
            .collect();
        let all = text.join(" ");
        let line = all.split_once("Source").map_or("", |(_, l)| l);
        for src in &s.sources {
            let Some(title) = &src.title else { continue };
            let title = grapevine::render::clean(title);
            let credited = line.contains(title.as_str());
            assert_eq!(
                credited,
                cited.contains(src.id.as_str()),
                "{file}: source {} credited {credited}",
                src.id
            );
        }
    }
}

/// A holding that ends a chain is drawn on the lane chart as a diamond on
/// the holder's lane (`data-holding`), on every story.
#[test]
fn lane_charts_draw_the_holdings_on_their_chains() {
    use grapevine::render::{lanes_svg, Look};
    let mut seen = 0;
    for (file, s) in stories() {
        let c = StoryCatalog::new(&s);
        let key = Focus::reach(&c, &Query::message(&traced(&s))).unwrap();
        let svg = lanes_svg(&s, &key, &Look::default()).unwrap();
        let h = key.highlight.as_ref().unwrap();
        let ending: Vec<&str> = h
            .chains
            .iter()
            .filter_map(|(_, chain)| chain.last())
            .map(|(e, _, _)| e.as_str())
            .filter(|e| s.holdings.iter().any(|hd| hd.id == *e))
            .collect();
        // Each is a diamond, or (its date off the axis) said under the chart.
        for id in &ending {
            let hd = s.holdings.iter().find(|hd| hd.id == *id).unwrap();
            let name = &s.entity(&hd.entity).unwrap().name;
            let drawn = svg.contains(&format!("data-holding=\"{id}\""));
            let noted = svg.contains(&format!("Not on the time axis: {name} held it"));
            assert!(drawn != noted, "{file}: {id} drawn {drawn}, noted {noted}");
        }
        assert!(
            svg.matches("data-holding=").count() <= ending.len(),
            "{file}"
        );
        seen += ending.len();
    }
    assert!(seen >= 3, "the stories have holdings on their chains");
}
