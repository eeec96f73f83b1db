//! The bundled story's pictures measured in a real browser: each is put in a
//! plain article page, opened in headless Chromium in a viewport 375, 700 and
//! 1280 px wide (phone, column and wide fits), and a script on the page
//! measures every `<text>` with getBoundingClientRect and writes the results
//! into the page, which `chromium --dump-dom` prints: no horizontal overflow,
//! the smallest text's rendered size, no two text boxes overlapping, and the
//! key's share of the picture's area.
//!
//! Without Chromium the test is skipped, unless GRAPEVINE_REQUIRE_CHROMIUM is
//! set (CI sets it once it has installed Debian's `chromium`): then it fails.
//! With GRAPEVINE_SCREENSHOTS=DIR it also writes screenshots of the key
//! picture at the three widths into DIR.
#![cfg(feature = "svg")]

use std::path::{Path, PathBuf};
use std::process::Command;

use grapevine::render::{draw_svg, lanes_svg, Engine, Fit, Focus, Look};
use grapevine::{load_path, Query, Story, StoryCatalog};

const BUNDLED: &str = "graphs/trump-jr-wikileaks.json";

fn chromium() -> Option<PathBuf> {
    for name in [
        "chromium",
        "chromium-browser",
        "google-chrome",
        "google-chrome-stable",
    ] {
        let ok = Command::new(name)
            .arg("--version")
            .output()
            .is_ok_and(|o| o.status.success());
        if ok {
            return Some(PathBuf::from(name));
        }
    }
    None
}

/// The browser, or `None` to skip (failing when it is required).
pub(super) fn browser() -> Option<PathBuf> {
    let found = chromium();
    if found.is_none() {
        assert!(
            std::env::var_os("GRAPEVINE_REQUIRE_CHROMIUM").is_none(),
            "GRAPEVINE_REQUIRE_CHROMIUM is set but no chromium is on PATH"
        );
        eprintln!("note: chromium is not on PATH; skipping the browser measurements");
    }
    found
}

fn story() -> Story {
    load_path(BUNDLED.as_ref()).expect("bundled story").story
}

/// The pictures measured: (name, focus, lane chart?).
fn pictures(s: &Story) -> Vec<(&'static str, Focus, bool)> {
    let c = StoryCatalog::new(s);
    let key = Focus::reach(&c, &Query::message("pac-tip")).unwrap();
    vec![
        ("key", key.clone(), false),
        (
            "path",
            Focus::path(&c, &Query::from_entity("wikileaks"), "Donald Trump").unwrap(),
            false,
        ),
        (
            "around",
            Focus::default().around(&c, "kushner", 1).unwrap(),
            false,
        ),
        ("overview", Focus::default(), false),
        ("lanes", key, true),
    ]
}

pub(super) fn svg_of(s: &Story, focus: &Focus, lanes: bool, fit: Fit) -> String {
    let look = Look {
        fit,
        ..Look::default()
    };
    if lanes {
        lanes_svg(s, focus, &look).unwrap()
    } else {
        draw_svg(s, focus, Engine::InProcess, &look).unwrap()
    }
}

pub(super) const CONTROL: &str = "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 100 40\" width=\"100%\"><text x=\"2\" y=\"20\" font-size=\"12px\">overlap</text><text x=\"8\" y=\"24\" font-size=\"12px\">overlap</text>\
<g data-entity=\"a\"><rect x=\"0\" y=\"30\" width=\"6\" height=\"6\"/></g><g data-entity=\"b\"><rect x=\"90\" y=\"30\" width=\"6\" height=\"6\"/></g><g data-entity=\"c\"><rect x=\"45\" y=\"30\" width=\"6\" height=\"6\"/></g>\
<g class=\"edge\" data-event=\"through\" data-from=\"a\" data-to=\"b\"><path d=\"M6,33 L90,33\"/></g>\
<g class=\"edge\" data-event=\"short\" data-from=\"a\" data-to=\"c\"><path d=\"M6,31 L20,20\"/></g></svg>";

/// An article page holding the pictures, each in a full-width figure, and
/// the measuring script.
fn article(svgs: &[(String, String)]) -> String {
    let mut page = String::from(
        "<!doctype html><html><head><meta charset=\"utf-8\">\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\
         <style>body{margin:0;font-family:Georgia,serif;line-height:1.5}\
         p,h1{margin:12px 16px}figure{margin:0 0 24px 0}</style></head><body>\
         <h1>How a message travelled</h1>\
         <p>WikiLeaks messaged Donald Trump Jr. on 20 September 2016. The picture shows who could have seen it.</p>\n",
    );
    for (name, svg) in svgs {
        let inline = svg
            .split_once("?>")
            .map_or(svg.as_str(), |(_, rest)| rest)
            .trim();
        page.push_str(&format!(
            "<figure data-name=\"{name}\">{inline}</figure>\n<p>The story goes on.</p>\n"
        ));
    }
    page.push_str(MEASURE);
    page.push_str("</body></html>\n");
    page
}

const MEASURE: &str = r#"<script>
function measure() {
  const pictures = [];
  for (const fig of document.querySelectorAll('figure[data-name]')) {
    const svg = fig.querySelector('svg');
    const sr = svg.getBoundingClientRect();
    const texts = [...svg.querySelectorAll('text')].filter(t => t.textContent.trim().length > 0);
    let min = 1e9, minText = '';
    const boxes = [];
    for (const t of texts) {
      const m = t.getScreenCTM();
      const px = parseFloat(getComputedStyle(t).fontSize) * Math.hypot(m.a, m.b);
      if (px < min) { min = px; minText = t.textContent; }
      const r = t.getBoundingClientRect();
      boxes.push([r.left, r.top, r.right, r.bottom, t.textContent]);
    }
    const overlaps = [];
    for (let i = 0; i < boxes.length; i++) {
      for (let j = i + 1; j < boxes.length; j++) {
        const a = boxes[i], b = boxes[j];
        const ox = Math.min(a[2], b[2]) - Math.max(a[0], b[0]);
        const oy = Math.min(a[3], b[3]) - Math.max(a[1], b[1]);
        if (ox > 1 && oy > 1) overlaps.push(a[4] + ' / ' + b[4]);
      }
    }
    let right = sr.right;
    for (const b of boxes) right = Math.max(right, b[2]);
    const key = svg.querySelector('.grapevine-key');
    const kr = key ? key.getBoundingClientRect() : null;
    pictures.push({
      name: fig.dataset.name, min: min, min_text: minText, overlaps: overlaps,
      key_share: kr ? (kr.width * kr.height) / (sr.width * sr.height) : 0,
      right: right, width: sr.width, height: sr.height, texts: texts.length,
      left: Math.min(sr.left, ...boxes.map(b => b[0])) - sr.left,
      lanes: svg.querySelector('[data-panel]') ? lanes(svg) : null,
      lines: svg.querySelector('[data-panel]') ? null : lineEnds(svg)
    });
  }
  const overflow = document.documentElement.scrollWidth > window.innerWidth
    || pictures.some(p => p.right > window.innerWidth + 0.5);
  parent.postMessage(JSON.stringify({
    viewport: window.innerWidth, overflow: overflow,
    page_height: document.documentElement.scrollHeight, pictures: pictures
  }), '*');
}
// A lane chart: the least distance between two contacts' lines in a panel
// (as drawn), and the markers not between the ticks that bracket their date.
function lanes(svg) {
  const out = { min_gap: 1e9, gap_at: '', markers: 0, misplaced: [], contacts: 0 };
  const mid = el => { const r = el.getBoundingClientRect(); return (r.left + r.right) / 2; };
  for (const panel of svg.querySelectorAll('[data-panel]')) {
    const xs = [...panel.querySelectorAll('g[data-event]')]
      .map(g => [mid(g.querySelector('line')), g.dataset.event])
      .sort((a, b) => a[0] - b[0]);
    out.contacts += xs.length;
    for (let i = 1; i < xs.length; i++) {
      const d = xs[i][0] - xs[i - 1][0];
      if (d < out.min_gap) { out.min_gap = d; out.gap_at = xs[i - 1][1] + ' / ' + xs[i][1]; }
    }
    const ticks = [...panel.querySelectorAll('[data-tick]')].map(t => [t.dataset.tick, mid(t)]);
    for (const m of panel.querySelectorAll('[data-marker]')) {
      out.markers++;
      const x = mid(m.querySelector('line')), d = m.dataset.time;
      const before = Math.max(-1e9, ...ticks.filter(t => t[0] <= d).map(t => t[1]));
      const after = Math.min(1e9, ...ticks.filter(t => t[0] > d).map(t => t[1]));
      if (x < before - 0.5 || x > after + 0.5) out.misplaced.push(m.dataset.marker);
    }
  }
  return out;
}
// Each contact's line as Chromium draws it: it starts at one of its two
// nodes and ends at the other, its arrowhead at the receiver, and passes
// through no other node (2 px inside its box). Returns the problems.
function lineEnds(svg) {
  const boxes = new Map();
  for (const g of svg.querySelectorAll('g[data-entity], g[data-hub]')) {
    if (g.classList.contains('edge')) continue;
    const shapes = [...g.querySelectorAll('ellipse, polygon, rect, path')];
    if (!shapes.length) continue;
    const rs = shapes.map(s => s.getBoundingClientRect());
    const box = [Math.min(...rs.map(r => r.left)), Math.min(...rs.map(r => r.top)),
                 Math.max(...rs.map(r => r.right)), Math.max(...rs.map(r => r.bottom))];
    boxes.set(g.dataset.entity ? 'e:' + g.dataset.entity : 'h:' + g.dataset.hub, box);
  }
  const scale = svg.getScreenCTM().a;
  const near = (p, b) => Math.hypot(Math.max(b[0] - p.x, p.x - b[2], 0), Math.max(b[1] - p.y, p.y - b[3], 0)) <= 8 * scale;
  const inside = (p, b) => p.x > b[0] + 2 && p.x < b[2] - 2 && p.y > b[1] + 2 && p.y < b[3] - 2;
  const problems = [];
  let count = 0;
  for (const g of svg.querySelectorAll('g.edge[data-event]')) {
    const path = g.querySelector('path');
    const from = g.dataset.from ? 'e:' + g.dataset.from : (g.dataset.fromHub ? 'h:' + g.dataset.fromHub : null);
    const to = g.dataset.to ? 'e:' + g.dataset.to : (g.dataset.toHub ? 'h:' + g.dataset.toHub : null);
    if (!path || !from || !to || !boxes.has(from) || !boxes.has(to)) {
      problems.push(g.dataset.event + ': no line or no nodes');
      continue;
    }
    count++;
    const m = path.getScreenCTM(), len = path.getTotalLength();
    const at = l => { const q = path.getPointAtLength(l); return { x: m.a * q.x + m.c * q.y + m.e, y: m.b * q.x + m.d * q.y + m.f }; };
    // An arrowhead: its box; near a node when the gap between the boxes is.
    const head = [...g.querySelectorAll('polygon')].map(p => p.getBoundingClientRect())
      .map(r => [r.left, r.top, r.right, r.bottom]);
    const gap = (h, b) => Math.hypot(Math.max(b[0] - h[2], h[0] - b[2], 0), Math.max(b[1] - h[3], h[1] - b[3], 0));
    const headNear = (h, box) => gap(h, box) <= 8 * scale;
    const a = at(0), b = at(len), fb = boxes.get(from), tb = boxes.get(to);
    const ends = (p, box) => near(p, box) || head.some(h => headNear(h, box) && near(p, h));
    if (!((ends(a, fb) && ends(b, tb)) || (ends(a, tb) && ends(b, fb))))
      problems.push(g.dataset.event + ': the line does not join ' + from + ' and ' + to);
    if (head.length && !head.some(h => headNear(h, tb)))
      problems.push(g.dataset.event + ': its arrowhead is not at ' + to);
    for (let l = 0; l <= len; l += 3) {
      const p = at(l);
      for (const [k, box] of boxes) {
        if (k !== from && k !== to && inside(p, box)) {
          problems.push(g.dataset.event + ' (' + from + ' to ' + to + ') passes through ' + k);
          l = len + 1;
          break;
        }
      }
    }
  }
  return { count: count, problems: problems };
}
window.addEventListener('load', measure);
</script>
"#;

/// The host page: the article in an iframe exactly `width` px wide (a
/// headless window is never narrower than 500 px), the results written
/// into the host's DOM.
pub(super) fn host(width: u32, height: u32) -> String {
    format!(
        "<!doctype html><html><head><meta charset=\"utf-8\"></head><body style=\"margin:0\">\
         <iframe src=\"article.html\" style=\"border:0;display:block;width:{width}px;height:{height}px\"></iframe>\
         <script>addEventListener('message', e => {{ const p = document.createElement('pre'); \
         p.id = 'result'; p.textContent = e.data; document.body.appendChild(p); }});</script>\
         </body></html>"
    )
}

pub(super) fn run(chrome: &Path, dir: &Path, extra: &[String], window: (u32, u32)) -> String {
    let out = Command::new(chrome)
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--hide-scrollbars",
            "--force-device-scale-factor=1",
            "--virtual-time-budget=20000",
            &format!("--window-size={},{}", window.0, window.1),
        ])
        .args(extra)
        .arg(format!("file://{}", dir.join("host.html").display()))
        .output()
        .expect("chromium runs");
    String::from_utf8_lossy(&out.stdout).into_owned()
}

pub(super) fn measure(chrome: &Path, svgs: &[(String, String)], width: u32) -> serde_json::Value {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("article.html"), article(svgs)).unwrap();
    std::fs::write(dir.path().join("host.html"), host(width, 600)).unwrap();
    let dom = run(
        chrome,
        dir.path(),
        &["--dump-dom".to_string()],
        (width.max(500), 1000),
    );
    let json = dom
        .split_once("<pre id=\"result\">")
        .and_then(|(_, rest)| rest.split_once("</pre>"))
        .map(|(j, _)| {
            j.replace("&lt;", "<")
                .replace("&gt;", ">")
                .replace("&nbsp;", "\u{a0}")
                .replace("&amp;", "&")
        })
        .unwrap_or_else(|| panic!("no measurements in the page:\n{dom}"));
    serde_json::from_str(&json).unwrap()
}

#[test]
fn pictures_hold_in_a_real_browser() {
    let Some(chrome) = browser() else { return };
    let s = story();
    let mut report = String::new();
    let mut failures: Vec<String> = Vec::new();
    for (fit, viewport) in [(Fit::Phone, 375), (Fit::Column, 700), (Fit::Wide, 1280)] {
        let mut svgs: Vec<(String, String)> = pictures(&s)
            .into_iter()
            .map(|(name, focus, lanes)| (name.to_string(), svg_of(&s, &focus, lanes, fit)))
            .collect();
        // A control: two texts on top of each other must be caught.
        svgs.push(("control".to_string(), CONTROL.to_string()));
        let m = measure(&chrome, &svgs, viewport);
        assert_eq!(m["viewport"].as_u64(), Some(u64::from(viewport)), "{m}");
        if m["overflow"].as_bool() != Some(false) {
            failures.push(format!("{viewport} px: the page overflows horizontally"));
        }
        for p in m["pictures"].as_array().unwrap() {
            let name = p["name"].as_str().unwrap();
            if name == "control" {
                assert!(
                    !p["overlaps"].as_array().unwrap().is_empty(),
                    "the overlap check works: {p}"
                );
                continue;
            }
            let min = p["min"].as_f64().unwrap();
            let share = p["key_share"].as_f64().unwrap();
            let overlaps = p["overlaps"].as_array().unwrap();
            report.push_str(&format!(
                "{viewport:>5} px {:<7} {name:<9} smallest text {min:5.2} px ({:?}), key {:4.1} % of the area, {} overlaps, {} texts\n",
                fit.name(),
                p["min_text"].as_str().unwrap_or(""),
                share * 100.0,
                overlaps.len(),
                p["texts"]
            ));
            if min < fit.min_text() - 0.01 {
                failures.push(format!(
                    "{viewport} px {name}: smallest text {min:.2} px ({}) < {}",
                    p["min_text"],
                    fit.min_text()
                ));
            }
            if !overlaps.is_empty() {
                failures.push(format!("{viewport} px {name}: text overlaps {overlaps:?}"));
            }
            if share > 0.15 {
                failures.push(format!(
                    "{viewport} px {name}: key is {:.1} % of the area",
                    share * 100.0
                ));
            }
        }
    }
    eprintln!("{report}");
    assert!(failures.is_empty(), "{}\n{report}", failures.join("\n"));
}

/// Screenshots of the key picture in an article page at the three widths,
/// for docs/img (GRAPEVINE_SCREENSHOTS=docs/img).
#[test]
fn screenshots_when_asked() {
    let Some(dir_out) = std::env::var_os("GRAPEVINE_SCREENSHOTS") else {
        return;
    };
    let Some(chrome) = browser() else { return };
    let s = story();
    let key = &pictures(&s)[0].1;
    for (fit, width, file) in [
        (Fit::Phone, 375, "browser-phone-375.png"),
        (Fit::Column, 700, "browser-column-700.png"),
        (Fit::Wide, 1280, "browser-wide-1280.png"),
    ] {
        let svgs = vec![("key".to_string(), svg_of(&s, key, false, fit))];
        let height = measure(&chrome, &svgs, width)["page_height"]
            .as_u64()
            .unwrap() as u32;
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("article.html"), article(&svgs)).unwrap();
        std::fs::write(dir.path().join("host.html"), host(width, height)).unwrap();
        let out = PathBuf::from(&dir_out).join(file);
        run(
            &chrome,
            dir.path(),
            &[format!(
                "--screenshot={}",
                std::fs::canonicalize(&dir_out)
                    .unwrap()
                    .join(file)
                    .display()
            )],
            (width, height),
        );
        assert!(out.exists(), "{} written", out.display());
    }
}

/// Every story's lane chart (the whole story, and who could have seen its
/// first message) measured at 375, 700 and 1280 px: no overflow, legible
/// text, no two texts overlapping, contacts at least 24 px apart as drawn
/// (in each panel), every marker drawn between the ticks that bracket its
/// date.
#[test]
fn every_storys_lane_chart_holds_in_a_real_browser() {
    use crate::render::lanes_axis::{lane_foci, stories};
    let Some(chrome) = browser() else { return };
    let all = stories();
    let mut report = String::new();
    let mut failures: Vec<String> = Vec::new();
    for (fit, viewport) in [(Fit::Phone, 375), (Fit::Column, 700), (Fit::Wide, 1280)] {
        let mut svgs: Vec<(String, String)> = Vec::new();
        let mut markers: Vec<usize> = Vec::new();
        for (name, s) in &all {
            for (focus_name, focus) in lane_foci(s) {
                svgs.push((format!("{name} {focus_name}"), svg_of(s, &focus, true, fit)));
                markers.push(s.markers.len());
            }
        }
        let m = measure(&chrome, &svgs, viewport);
        if m["overflow"].as_bool() != Some(false) {
            failures.push(format!("{viewport} px: the page overflows horizontally"));
        }
        for (p, expected) in m["pictures"].as_array().unwrap().iter().zip(markers) {
            let name = p["name"].as_str().unwrap();
            failures.extend(lane_failures(p, fit, viewport, expected));
            let lanes = &p["lanes"];
            report.push_str(&format!(
                "{viewport:>5} px {name:<32} smallest text {:5.2} px, {} contacts, least gap {:6.1} px ({}), {} markers\n",
                p["min"].as_f64().unwrap_or(0.0),
                lanes["contacts"],
                lanes["min_gap"].as_f64().unwrap_or(0.0),
                lanes["gap_at"].as_str().unwrap_or(""),
                lanes["markers"]
            ));
        }
    }
    eprintln!("{report}");
    assert!(failures.is_empty(), "{}\n{report}", failures.join("\n"));
}

/// What is wrong with one measured lane chart.
fn lane_failures(p: &serde_json::Value, fit: Fit, viewport: u32, markers: usize) -> Vec<String> {
    let mut out = Vec::new();
    let name = format!("{viewport} px {}", p["name"].as_str().unwrap_or(""));
    let min = p["min"].as_f64().unwrap_or(0.0);
    if min < fit.min_text() - 0.01 {
        out.push(format!(
            "{name}: smallest text {min:.2} px ({})",
            p["min_text"]
        ));
    }
    let overlaps = p["overlaps"].as_array().cloned().unwrap_or_default();
    if !overlaps.is_empty() {
        out.push(format!("{name}: text overlaps {overlaps:?}"));
    }
    let (left, right, width) = (
        p["left"].as_f64().unwrap_or(0.0),
        p["right"].as_f64().unwrap_or(0.0),
        p["width"].as_f64().unwrap_or(0.0),
    );
    if left < -0.5 || right > width + 0.5 {
        out.push(format!(
            "{name}: text outside the picture ({left:.1} to {right:.1} of {width:.1})"
        ));
    }
    let lanes = &p["lanes"];
    let gap = lanes["min_gap"].as_f64().unwrap_or(0.0);
    if gap < 24.0 {
        out.push(format!(
            "{name}: contacts {gap:.1} px apart ({})",
            lanes["gap_at"]
        ));
    }
    if lanes["markers"].as_u64() != Some(markers as u64) {
        out.push(format!(
            "{name}: {} of {markers} markers drawn",
            lanes["markers"]
        ));
    }
    let misplaced = lanes["misplaced"].as_array().cloned().unwrap_or_default();
    if !misplaced.is_empty() {
        out.push(format!("{name}: markers off their dates {misplaced:?}"));
    }
    out
}
