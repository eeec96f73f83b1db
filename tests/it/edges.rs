//! Edges a reader can follow, on every story in `graphs/`: in the overview
//! and the key picture at every fit, each drawn contact's line (its group
//! has `data-event`, `data-from`, `data-to`) joins the node of its sender
//! and the node of its receiver (`data-entity`, or a hub's `data-hub`), its
//! arrowhead at the receiver, and passes through no other node. Measured on
//! the SVG's own geometry (a node's shapes and a line's path share the
//! drawing's coordinates).
#![cfg(feature = "svg")]

use grapevine::render::{Fit, Focus};
use grapevine::{Query, StoryCatalog};

use super::browser::svg_of;
use super::browser_stories::{stories, traced};

/// A box: left, top, right, bottom.
type Bbox = (f64, f64, f64, f64);

fn numbers(text: &str) -> Vec<f64> {
    text.split(|c: char| !(c.is_ascii_digit() || c == '.' || c == '-'))
        .filter_map(|t| t.parse::<f64>().ok())
        .collect()
}

/// The box around a group's shapes (not its text).
fn shapes_box(g: roxmltree::Node) -> Option<Bbox> {
    let mut b = (f64::MAX, f64::MAX, f64::MIN, f64::MIN);
    let mut add = |x: f64, y: f64| {
        b = (b.0.min(x), b.1.min(y), b.2.max(x), b.3.max(y));
    };
    for s in g.descendants() {
        let num = |k: &str| s.attribute(k).and_then(|v| v.parse::<f64>().ok());
        match s.tag_name().name() {
            "ellipse" => {
                if let (Some(cx), Some(cy), Some(rx), Some(ry)) =
                    (num("cx"), num("cy"), num("rx"), num("ry"))
                {
                    add(cx - rx, cy - ry);
                    add(cx + rx, cy + ry);
                }
            }
            "rect" => {
                if let (Some(x), Some(y), Some(w), Some(h)) =
                    (num("x"), num("y"), num("width"), num("height"))
                {
                    add(x, y);
                    add(x + w, y + h);
                }
            }
            "polygon" | "polyline" | "path" => {
                let text = s.attribute("points").or(s.attribute("d")).unwrap_or("");
                for p in numbers(text).chunks_exact(2) {
                    add(p[0], p[1]);
                }
            }
            _ => {}
        }
    }
    (b.0 <= b.2).then_some(b)
}

/// Points along an SVG path of absolute M, L, Q and C commands.
fn samples(d: &str) -> Vec<(f64, f64)> {
    let mut out: Vec<(f64, f64)> = Vec::new();
    let mut cmd = 'M';
    let mut pending: Vec<f64> = Vec::new();
    let flush = |cmd: char, nums: &mut Vec<f64>, out: &mut Vec<(f64, f64)>| {
        let pts: Vec<(f64, f64)> = nums.chunks_exact(2).map(|p| (p[0], p[1])).collect();
        nums.clear();
        match cmd {
            'C' => {
                for c in pts.chunks_exact(3) {
                    let p0 = *out.last().unwrap_or(&c[0]);
                    for k in 1..=20 {
                        let t = f64::from(k) / 20.0;
                        let u = 1.0 - t;
                        let x = u * u * u * p0.0
                            + 3.0 * u * u * t * c[0].0
                            + 3.0 * u * t * t * c[1].0
                            + t * t * t * c[2].0;
                        let y = u * u * u * p0.1
                            + 3.0 * u * u * t * c[0].1
                            + 3.0 * u * t * t * c[1].1
                            + t * t * t * c[2].1;
                        out.push((x, y));
                    }
                }
            }
            'Q' => {
                for c in pts.chunks_exact(2) {
                    let p0 = *out.last().unwrap_or(&c[0]);
                    for k in 1..=20 {
                        let t = f64::from(k) / 20.0;
                        let u = 1.0 - t;
                        let x = u * u * p0.0 + 2.0 * u * t * c[0].0 + t * t * c[1].0;
                        let y = u * u * p0.1 + 2.0 * u * t * c[0].1 + t * t * c[1].1;
                        out.push((x, y));
                    }
                }
            }
            _ => {
                for p in pts {
                    if let Some(&q) = out.last() {
                        for k in 1..20 {
                            let t = f64::from(k) / 20.0;
                            out.push((q.0 + (p.0 - q.0) * t, q.1 + (p.1 - q.1) * t));
                        }
                    }
                    out.push(p);
                }
            }
        }
    };
    let mut token = String::new();
    for ch in d.chars().chain(std::iter::once(' ')) {
        if ch.is_ascii_digit() || ch == '.' || (ch == '-' && token.is_empty()) {
            token.push(ch);
            continue;
        }
        if let Ok(v) = token.parse::<f64>() {
            pending.push(v);
        }
        token.clear();
        if ch == '-' {
            token.push(ch);
        }
        if ch.is_ascii_alphabetic() {
            flush(cmd, &mut pending, &mut out);
            cmd = ch.to_ascii_uppercase();
        }
    }
    flush(cmd, &mut pending, &mut out);
    out
}

fn distance(p: (f64, f64), b: Bbox) -> f64 {
    let dx = (b.0 - p.0).max(p.0 - b.2).max(0.0);
    let dy = (b.1 - p.1).max(p.1 - b.3).max(0.0);
    dx.hypot(dy)
}

fn inside(p: (f64, f64), b: Bbox, margin: f64) -> bool {
    p.0 > b.0 + margin && p.0 < b.2 - margin && p.1 > b.1 + margin && p.1 < b.3 - margin
}

/// How far a line's end may be from its node's box.
const NEAR: f64 = 8.0;

/// A vertical stretch of a line: (x, top, bottom).
type Run = (f64, f64, f64);

/// The vertical stretches of a line, longer than 12 px.
fn vertical_runs(pts: &[(f64, f64)]) -> Vec<Run> {
    let mut runs = Vec::new();
    let mut i = 0;
    while i + 1 < pts.len() {
        let mut j = i;
        while j + 1 < pts.len() && (pts[j + 1].0 - pts[i].0).abs() < 0.05 {
            j += 1;
        }
        let (a, b) = (pts[i].1.min(pts[j].1), pts[i].1.max(pts[j].1));
        if b - a > 12.0 {
            runs.push((pts[i].0, a, b));
        }
        i = j.max(i + 1);
    }
    runs
}

/// Two contacts' lines that run down the same rail (closer than `gap` px,
/// side by side for more than 10 px): a reader cannot tell them apart there.
fn shared_rails(runs: &[(String, Vec<Run>)], gap: f64) -> Vec<String> {
    let mut out = Vec::new();
    for (i, (a, ra)) in runs.iter().enumerate() {
        for (b, rb) in &runs[i + 1..] {
            if a == b {
                continue;
            }
            let shared = ra.iter().any(|&(x, t, u)| {
                rb.iter()
                    .any(|&(y, v, w)| (x - y).abs() < gap && u.min(w) - t.max(v) > 10.0)
            });
            if shared {
                out.push(format!("{a} and {b} run down one rail"));
            }
        }
    }
    out
}

/// The problems of one picture's lines.
fn check(svg: &str, gap: f64) -> (usize, Vec<String>) {
    let doc = roxmltree::Document::parse(svg).expect("the SVG parses");
    let mut nodes: Vec<(String, Bbox)> = Vec::new();
    for g in doc.descendants().filter(|n| n.has_tag_name("g")) {
        let key = g
            .attribute("data-entity")
            .map(|e| format!("entity {e}"))
            .or_else(|| g.attribute("data-hub").map(|h| format!("hub {h}")));
        if let (Some(key), Some(b)) = (key, shapes_box(g)) {
            nodes.push((key, b));
        }
    }
    let find = |key: &str| nodes.iter().find(|(k, _)| k == key).map(|(_, b)| *b);
    let mut problems = Vec::new();
    let mut lines = 0;
    let mut runs = Vec::new();
    for g in doc.descendants().filter(|n| n.has_tag_name("g")) {
        let Some(event) = g.attribute("data-event") else {
            continue;
        };
        if g.attribute("class") != Some("edge") {
            continue;
        }
        lines += 1;
        let end = |side: &str| {
            g.attribute(format!("data-{side}").as_str())
                .map(|e| format!("entity {e}"))
                .or_else(|| {
                    g.attribute(format!("data-{side}-hub").as_str())
                        .map(|h| format!("hub {h}"))
                })
        };
        let (Some(from), Some(to)) = (end("from"), end("to")) else {
            problems.push(format!("{event}: no data-from/data-to"));
            continue;
        };
        let (Some(fb), Some(tb)) = (find(&from), find(&to)) else {
            problems.push(format!("{event}: no node {from} or {to}"));
            continue;
        };
        let Some(d) = g
            .descendants()
            .find(|n| n.has_tag_name("path"))
            .and_then(|p| p.attribute("d"))
        else {
            problems.push(format!("{event}: no line"));
            continue;
        };
        let pts = samples(d);
        runs.push((event.to_string(), vertical_runs(&pts)));
        let (Some(&first), Some(&last)) = (pts.first(), pts.last()) else {
            continue;
        };
        // The arrowhead's points count as the line's end where there is one.
        let head: Vec<(f64, f64)> = g
            .descendants()
            .filter(|n| n.has_tag_name("polygon"))
            .flat_map(|p| {
                numbers(p.attribute("points").unwrap_or(""))
                    .chunks_exact(2)
                    .map(|c| (c[0], c[1]))
                    .collect::<Vec<_>>()
            })
            .collect();
        let near = |p: (f64, f64), b: Bbox| {
            distance(p, b) <= NEAR
                || head
                    .iter()
                    .any(|&h| distance(h, b) <= NEAR && (h.0 - p.0).hypot(h.1 - p.1) < 16.0)
        };
        let joined = (near(first, fb) && near(last, tb)) || (near(first, tb) && near(last, fb));
        if !joined {
            problems.push(format!(
                "{event}: the line {first:?}..{last:?} does not join {from} {fb:?} and {to} {tb:?}"
            ));
        }
        if !head.is_empty() && !head.iter().any(|&h| distance(h, tb) <= NEAR) {
            problems.push(format!("{event}: its arrowhead is not at {to}"));
        }
        for (key, b) in &nodes {
            if *key == from || *key == to {
                continue;
            }
            if let Some(p) = pts.iter().find(|&&p| inside(p, *b, 2.0)) {
                problems.push(format!(
                    "{event} ({from} to {to}) passes through {key} at {p:?}"
                ));
            }
        }
    }
    problems.extend(shared_rails(&runs, gap));
    (lines, problems)
}

#[test]
fn every_line_joins_its_two_nodes_and_no_other() {
    let mut failures = Vec::new();
    let mut report = String::new();
    for (file, s) in stories() {
        let c = StoryCatalog::new(&s);
        let key = Focus::reach(&c, &Query::message(&traced(&s))).unwrap();
        for (name, focus) in [("overview", Focus::default()), ("key", key)] {
            for fit in [Fit::Phone, Fit::Column, Fit::Wide] {
                let svg = svg_of(&s, &focus, false, fit);
                // The phone's cascade spaces its elbows 5 px apart; Graphviz
                // puts parallel lines 3 px apart at the least.
                let gap = if matches!(fit, Fit::Phone) { 4.5 } else { 3.0 };
                let (lines, problems) = check(&svg, gap);
                report.push_str(&format!(
                    "{file} {name} {}: {lines} lines, {} problems\n",
                    fit.name(),
                    problems.len()
                ));
                if lines == 0 {
                    failures.push(format!("{file} {name} {}: no lines found", fit.name()));
                }
                for p in problems {
                    failures.push(format!("{file} {name} {}: {p}", fit.name()));
                }
            }
        }
    }
    eprintln!("{report}");
    assert!(failures.is_empty(), "{}\n{report}", failures.join("\n"));
}

#[test]
fn the_checker_catches_a_line_through_a_node() {
    let svg = r##"<svg xmlns="http://www.w3.org/2000/svg">
<g class="node" data-entity="a"><rect x="0" y="0" width="10" height="10"/></g>
<g class="node" data-entity="b"><rect x="100" y="0" width="10" height="10"/></g>
<g class="node" data-entity="c"><rect x="50" y="0" width="10" height="10"/></g>
<g class="edge" data-event="e" data-from="a" data-to="b"><path d="M10,5 L100,5"/></g>
<g class="edge" data-event="f" data-from="a" data-to="c"><path d="M10,5 C20,50 30,50 40,20"/></g>
</svg>"##;
    let (lines, problems) = check(svg, 3.0);
    assert_eq!(lines, 2);
    assert!(
        problems
            .iter()
            .any(|p| p.contains("passes through entity c")),
        "{problems:?}"
    );
    assert!(
        problems.iter().any(|p| p.starts_with("f: the line")),
        "{problems:?}"
    );
}

#[test]
fn the_checker_catches_a_shared_rail() {
    let svg = r##"<svg xmlns="http://www.w3.org/2000/svg">
<g class="node" data-entity="a"><rect x="0" y="0" width="10" height="10"/></g>
<g class="node" data-entity="b"><rect x="0" y="100" width="10" height="10"/></g>
<g class="node" data-entity="c"><rect x="0" y="200" width="10" height="10"/></g>
<g class="edge" data-event="e" data-from="a" data-to="b"><path d="M10,5 L50,5 L50,105 L10,105"/></g>
<g class="edge" data-event="f" data-from="a" data-to="c"><path d="M10,7 L51,7 Q52,7 52,12 L52,205 L10,205"/></g>
</svg>"##;
    let (_, problems) = check(svg, 3.0);
    assert!(
        problems.iter().any(|p| p == "e and f run down one rail"),
        "{problems:?}"
    );
}

/// A story too dense for any legible picture at a width: `n` people, each
/// writing to many others over a year (the file's text).
fn dense_story(n: usize) -> String {
    let entities: Vec<String> = (0..n)
        .map(|i| format!(r#"{{"id": "p{i}", "name": "Person {i}", "kind": "person"}}"#))
        .collect();
    let events: Vec<String> = (0..150)
        .map(|j| {
            let (a, b) = ((j * 37 + 11) % 151 % n, (j * j * 13 + 5) % 151 % n);
            let b = if a == b { (b + 1) % n } else { b };
            format!(
                r#"{{"id": "c{j}", "kind": "message", "from": "p{a}", "to": ["p{b}"], "time": "2016-{:02}-{:02}", "certainty": "confirmed"}}"#,
                1 + j % 12,
                1 + j % 28
            )
        })
        .collect();
    format!(
        r#"{{"format": "grapevine/1", "title": "Dense", "entities": [{}], "events": [{}]}}"#,
        entities.join(","),
        events.join(",")
    )
}

#[test]
fn a_picture_past_legibility_is_refused_and_says_how_to_narrow_it() {
    let text = dense_story(60);
    let dir = tempfile::tempdir().expect("a temporary directory");
    let file = dir.path().join("dense.json");
    std::fs::write(&file, &text).expect("written");
    let story = grapevine::load_path(&file)
        .expect("the dense story loads")
        .story;
    for fit in [Fit::Phone, Fit::Column] {
        let look = grapevine::render::Look {
            fit,
            ..grapevine::render::Look::default()
        };
        let got = grapevine::render::draw_svg(
            &story,
            &Focus::default(),
            grapevine::render::Engine::InProcess,
            &look,
        );
        match got {
            Err(grapevine::Error::Render(grapevine::RenderError::Illegible { width, .. })) => {
                assert_eq!(width, fit.width());
            }
            other => panic!("{}: {:?}", fit.name(), other.map(|s| s.len())),
        }
    }
    // The command line names the ways to narrow it.
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_grapevine"))
        .args(["render", "--fit", "phone", "-o"])
        .arg(dir.path().join("dense.svg"))
        .arg(&file)
        .output()
        .expect("grapevine runs");
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{err}");
    for option in [
        "--around",
        "--reach",
        "--between",
        "--fit column",
        "--lanes",
    ] {
        assert!(err.contains(option), "{option} not proposed: {err}");
    }
    assert!(!dir.path().join("dense.svg").exists());
}
