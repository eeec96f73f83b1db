//! The page in headless Chromium: no console error and no request, the
//! slider's states equal to `reach --until` at every event date of the
//! story, a contact's card, nothing overflowing at 375 px, the page working
//! under its own Content-Security-Policy, a hostile story running nothing;
//! and the screenshots of docs/embed.md.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::process::Command;

use serde_json::Value;

use super::{bundled, grapevine, hostile_story, render, ATTRS, BUNDLED, TAGS};

fn browser() -> Option<PathBuf> {
    for name in [
        "chromium",
        "chromium-browser",
        "google-chrome",
        "google-chrome-stable",
    ] {
        if Command::new(name)
            .arg("--version")
            .output()
            .is_ok_and(|o| o.status.success())
        {
            return Some(PathBuf::from(name));
        }
    }
    assert!(
        std::env::var_os("GRAPEVINE_REQUIRE_CHROMIUM").is_none(),
        "GRAPEVINE_REQUIRE_CHROMIUM is set but no chromium is on PATH"
    );
    eprintln!("note: chromium is not on PATH; skipping the browser tests");
    None
}

/// Opens `page` (a file in `dir`) in headless Chromium; returns the dumped
/// DOM and the browser's log.
fn open(
    chrome: &Path,
    dir: &Path,
    page: &str,
    window: (u32, u32),
    extra: &[String],
) -> (String, String) {
    let out = Command::new(chrome)
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--hide-scrollbars",
            "--force-device-scale-factor=1",
            "--virtual-time-budget=10000",
            "--enable-logging=stderr",
            "--v=0",
            &format!("--window-size={},{}", window.0, window.1),
        ])
        .args(extra)
        .arg(format!("file://{}", dir.join(page).display()))
        .output()
        .expect("chromium runs");
    (
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

/// The text of `<pre id="ID">` in a dumped DOM.
fn pre(dom: &str, id: &str) -> Option<String> {
    let (_, rest) = dom.split_once(&format!("<pre id=\"{id}\">"))?;
    let (text, _) = rest.split_once("</pre>")?;
    Some(
        text.replace("&lt;", "<")
            .replace("&gt;", ">")
            .replace("&nbsp;", "\u{a0}")
            .replace("&amp;", "&"),
    )
}

/// The page made testable: no CSP (the test's script is not in its
/// hashes), an error recorder first, the test script last.
fn instrumented(page: &str, test: &str) -> String {
    let csp_start = page
        .find("<meta http-equiv=\"Content-Security-Policy\"")
        .unwrap();
    let csp_end = csp_start + page[csp_start..].find('>').unwrap() + 1;
    let mut p = format!("{}{}", &page[..csp_start], &page[csp_end..]);
    p = p.replacen(
        "<head>",
        "<head>\n<script>window.__gvErrors=[];addEventListener('error',function(e){__gvErrors.push(String(e.message||e.type))},true);\
         addEventListener('unhandledrejection',function(e){__gvErrors.push(String(e.reason))});</script>",
        1,
    );
    p.replacen("</body>", &format!("<script>{test}</script>\n</body>"), 1)
}

/// A host page holding `page` in an iframe `width` px wide; it writes what
/// the iframe posts into `<pre id="result">` and the heights it reports
/// into `<pre id="heights">`.
fn host(page: &str, width: u32) -> String {
    format!(
        "<!doctype html><html><head><meta charset=\"utf-8\"></head><body style=\"margin:0\">\
         <iframe id=\"f\" src=\"{page}\" style=\"border:0;display:block;width:{width}px;height:1200px\"></iframe>\
         <pre id=\"heights\"></pre>\
         <script>addEventListener('message', function (e) {{\
           if (typeof e.data === 'string' && e.data.indexOf('gv-test:') === 0) {{\
             var p = document.createElement('pre'); p.id = 'result'; p.textContent = e.data.slice(8); document.body.appendChild(p);\
           }} else if (e.data && e.data.type === 'grapevine:height') {{\
             document.getElementById('heights').textContent += e.data.height + ' ';\
           }}\
         }});</script></body></html>"
    )
}

const DRIVE: &str = r#"
window.addEventListener('load', function () { setTimeout(function () {
  var out = { errors: window.__gvErrors, resources: performance.getEntriesByType('resource').map(function (r) { return r.name; }), states: [] };
  var slider = document.getElementById('gv-time');
  out.slider = { type: slider.type, min: +slider.min, max: +slider.max, value: +slider.value, hidden: slider.closest('[hidden]') !== null };
  out.ready = document.getElementById('gv-root').getAttribute('data-ready');
  INSTANTS.forEach(function (t) {
    slider.value = String(t);
    slider.dispatchEvent(new Event('input', { bubbles: true }));
    var s = {};
    document.querySelectorAll('[data-entity]').forEach(function (el) {
      var k = (el.closest('svg') ? 'svg ' : 'row ') + el.getAttribute('data-entity');
      (s[k] = s[k] || []).push(el.getAttribute('data-state'));
    });
    var c = {};
    document.querySelectorAll('svg [data-event]').forEach(function (el) { c[el.getAttribute('data-event')] = el.getAttribute('data-state'); });
    out.states.push({ t: t, value: +slider.value, entities: s, contacts: c });
  });
  var visible = [].filter.call(document.querySelectorAll('svg [data-event="dm-pac-tip"]'), function (el) { return el.getBoundingClientRect().width > 0; });
  out.contact_visible = visible.length;
  if (visible.length) { visible[0].focus(); }
  var card = document.querySelector('.gv-card');
  out.card = { hidden: card.hidden, text: card.textContent, focused: document.activeElement && document.activeElement.getAttribute('data-event') };
  document.dispatchEvent(new KeyboardEvent('keydown', { key: 'Escape', bubbles: true }));
  out.card_after_escape = card.hidden;
  var widest = 0;
  document.querySelectorAll('body *').forEach(function (el) { var r = el.getBoundingClientRect(); if (r.width > 0) widest = Math.max(widest, r.right); });
  out.overflow = document.documentElement.scrollWidth > window.innerWidth || widest > window.innerWidth + 0.5;
  out.widest = widest;
  out.width = window.innerWidth;
  setTimeout(function () {
    out.live = document.querySelector('.gv-live').textContent;
    var text = JSON.stringify(out);
    var p = document.createElement('pre'); p.id = 'result'; p.textContent = text; document.body.appendChild(p);
    if (window.parent !== window) window.parent.postMessage('gv-test:' + text, '*');
  }, 600);
}, 300); });
"#;

/// The story's event dates, as written, and the days around its start.
fn event_dates() -> Vec<String> {
    let story: Value = serde_json::from_str(&std::fs::read_to_string(BUNDLED).unwrap()).unwrap();
    let mut dates: BTreeSet<String> = ["2016-09-19", "2016-09-21"]
        .iter()
        .map(|s| s.to_string())
        .collect();
    for e in story["events"].as_array().unwrap() {
        if let Some(t) = e["time"].as_str() {
            for part in t.split('/') {
                let part = part.trim_start_matches("..");
                if !part.is_empty() {
                    dates.insert(part.to_string());
                }
            }
        }
    }
    dates.into_iter().collect()
}

/// `reach --until DATE`: the instant it means and each reached entity's
/// state (`surely` for definite on confirmed evidence, `claimed` for
/// definite otherwise, else `possible`).
fn until_answer(date: &str) -> (i64, BTreeMap<String, String>) {
    let run = |extra: &[&str]| -> Value {
        let mut args = vec![
            "reach",
            BUNDLED,
            "--message",
            "pac-tip",
            "--until",
            date,
            "--json",
        ];
        args.extend_from_slice(extra);
        let o = grapevine(&args);
        assert!(o.status.success(), "{date}");
        serde_json::from_slice(&o.stdout).unwrap()
    };
    let a = run(&[]);
    let confirmed = run(&["--threshold", "confirmed"]);
    let sure = |id: &Value| {
        confirmed["reached"]
            .as_array()
            .unwrap()
            .iter()
            .any(|r| &r["entity"] == id && r["timing"] == "definite")
    };
    let until: jiff::Timestamp = a["until"].as_str().unwrap().parse().unwrap();
    let states = a["reached"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            let s = if r["timing"] == "definite" && sure(&r["entity"]) {
                "surely"
            } else if r["timing"] == "definite" {
                "claimed"
            } else {
                "possible"
            };
            (r["entity"].as_str().unwrap().to_string(), s.to_string())
        })
        .collect();
    (until.as_second(), states)
}

fn drive(chrome: &Path, page: &str, width: u32, instants: &[i64]) -> Value {
    let dir = tempfile::tempdir().unwrap();
    let test = format!(
        "var INSTANTS = {};\n{DRIVE}",
        serde_json::to_string(instants).unwrap()
    );
    std::fs::write(dir.path().join("story.html"), instrumented(page, &test)).unwrap();
    std::fs::write(dir.path().join("host.html"), host("story.html", width)).unwrap();
    let (dom, log) = open(
        chrome,
        dir.path(),
        "host.html",
        (width.max(500) + 20, 1300),
        &["--dump-dom".into()],
    );
    let result =
        pre(&dom, "result").unwrap_or_else(|| panic!("no result in the page:\n{dom}\n{log}"));
    let mut v: Value = serde_json::from_str(&result).unwrap();
    v["heights"] = Value::String(pre(&dom, "heights").unwrap_or_default());
    v
}

#[test]
fn the_slider_replays_reach_until_in_a_real_browser() {
    let Some(chrome) = browser() else { return };
    let dir = tempfile::tempdir().unwrap();
    let page = bundled(dir.path());
    let dates = event_dates();
    let answers: Vec<(String, i64, BTreeMap<String, String>)> = dates
        .iter()
        .map(|d| {
            let (t, s) = until_answer(d);
            (d.clone(), t, s)
        })
        .collect();
    let instants: Vec<i64> = answers.iter().map(|a| a.1).collect();
    let mut report = String::new();
    for width in [375, 1280] {
        let v = drive(&chrome, &page, width, &instants);
        assert_eq!(v["width"], width, "{v}");
        assert_eq!(v["errors"], serde_json::json!([]), "errors: {v}");
        assert_eq!(v["resources"], serde_json::json!([]), "requests: {v}");
        assert_eq!(v["ready"], "true");
        assert_eq!(v["slider"]["type"], "range");
        assert_eq!(v["slider"]["hidden"], false);
        assert_eq!(
            v["overflow"], false,
            "{width} px overflows: {}",
            v["widest"]
        );
        assert!(
            !v["heights"].as_str().unwrap().trim().is_empty(),
            "the page posts its height"
        );
        for ((date, until, expected), got) in answers.iter().zip(v["states"].as_array().unwrap()) {
            let min = v["slider"]["min"].as_i64().unwrap();
            let max = v["slider"]["max"].as_i64().unwrap();
            assert_eq!(
                got["value"].as_i64().unwrap(),
                (*until).clamp(min, max),
                "{date}"
            );
            let mut marked = 0;
            for (key, states) in got["entities"].as_object().unwrap() {
                let id = key.split_once(' ').unwrap().1;
                let want = expected.get(id).map_or("unreached", String::as_str);
                for s in states.as_array().unwrap() {
                    assert_eq!(
                        s, want,
                        "{date} ({until}): {key} is {s}, reach --until says {want}"
                    );
                    marked += 1;
                }
            }
            for id in expected.keys() {
                assert!(
                    got["entities"].get(format!("svg {id}")).is_some(),
                    "{date}: {id} is drawn"
                );
            }
            report.push_str(&format!(
                "{width} px {date}: {} reached, {marked} marks equal\n",
                expected.len()
            ));
        }
        // The issue's examples.
        let at = |d: &str| &v["states"][dates.iter().position(|x| x == d).unwrap()]["entities"];
        for (key, s) in at("2016-09-19").as_object().unwrap() {
            if !key.ends_with(" wikileaks") {
                assert_eq!(s[0], "unreached", "{key} before 20 Sep 2016");
            }
        }
        for id in ["trump-jr", "kushner", "bannon", "conway", "parscale"] {
            let s = at("2016-09-21")[format!("svg {id}")][0].as_str().unwrap();
            assert!(
                s == "possible" || s == "surely" || s == "claimed",
                "{id} on 21 Sep 2016: {s}"
            );
        }
        // Focusing a contact shows its quote; Escape closes the card.
        assert!(v["contact_visible"].as_u64().unwrap() >= 1);
        assert_eq!(v["card"]["hidden"], false, "{}", v["card"]);
        assert!(
            v["card"]["text"]
                .as_str()
                .unwrap()
                .contains("WikiLeaks contacted him on September 20, 2016"),
            "{}",
            v["card"]
        );
        assert_eq!(v["card_after_escape"], true);
        assert!(
            v["live"].as_str().unwrap().starts_with("By "),
            "{}",
            v["live"]
        );
    }
    eprintln!("{report}");
}

/// Loads a page as it is, under its own CSP; returns the DOM and whether
/// the log shows a console error or a refusal.
fn under_csp(chrome: &Path, page: &str) -> (String, Vec<String>) {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("p.html"), page).unwrap();
    let (dom, log) = open(
        chrome,
        dir.path(),
        "p.html",
        (1280, 1000),
        &["--dump-dom".into()],
    );
    let bad = log
        .lines()
        .filter(|l| {
            l.contains("CONSOLE")
                || l.contains("Refused")
                || l.contains("Uncaught")
                || l.contains("Content Security Policy")
        })
        .map(str::to_string)
        .collect();
    (dom, bad)
}

#[test]
fn the_page_runs_under_its_own_csp() {
    let Some(chrome) = browser() else { return };
    let dir = tempfile::tempdir().unwrap();
    let page = bundled(dir.path());
    let (dom, bad) = under_csp(&chrome, &page);
    assert!(bad.is_empty(), "console: {bad:?}");
    assert!(dom.contains("data-ready=\"true\""), "the script ran");
    assert!(
        dom.contains("data-state=\"possible\""),
        "the states are set"
    );
    assert!(
        dom.contains("<div class=\"gv-controls\">"),
        "the slider is shown"
    );
    // A control: a script its CSP does not allow is refused, and seen.
    let broken = page.replacen("<script>(function", "<script>/* changed */(function", 1);
    let (dom, bad) = under_csp(&chrome, &broken);
    assert!(!dom.contains("data-ready=\"true\""));
    assert!(!bad.is_empty(), "the refusal shows in the log");
}

/// Every story's page runs under its CSP, sets a state on every reached
/// entity, shows the slider (with the story's markers in range as
/// buttons) and does not overflow a phone.
#[test]
fn every_story_page_runs_in_a_real_browser() {
    let Some(chrome) = browser() else { return };
    let dir = tempfile::tempdir().unwrap();
    for (file, s) in crate::browser_stories::stories() {
        let m = crate::browser_stories::traced(&s);
        let page = render(
            dir.path(),
            &format!("graphs/{file}"),
            &format!("{file}.html"),
            &["--message", &m],
        );
        let (dom, bad) = under_csp(&chrome, &page);
        assert!(bad.is_empty(), "{file}: console: {bad:?}");
        assert!(
            dom.contains("data-ready=\"true\""),
            "{file}: the script ran"
        );
        assert!(
            dom.contains("<div class=\"gv-controls\">"),
            "{file}: the slider"
        );
        let reached = page.matches("<tr data-entity=").count();
        let states = dom.matches("data-state=\"").count();
        assert!(
            states >= reached,
            "{file}: states set ({states} for {reached} rows)"
        );
        let markers = dom.matches("class=\"gv-marker\"").count();
        let data_markers = page.matches("\"label\":").count();
        assert!(markers <= data_markers, "{file}: markers");
        let phone = drive(&chrome, &page, 375, &[0, i64::from(i32::MAX)]);
        assert_eq!(phone["ready"], "true", "{file}: {phone}");
        assert_eq!(
            phone["overflow"], false,
            "{file}: overflows a phone: {}",
            phone["widest"]
        );
    }
}

#[test]
fn a_hostile_story_runs_no_script_in_a_browser() {
    let Some(chrome) = browser() else { return };
    let dir = tempfile::tempdir().unwrap();
    let story = dir.path().join("hostile.json");
    std::fs::write(&story, hostile_story()).unwrap();
    let page = render(
        dir.path(),
        story.to_str().unwrap(),
        "h.html",
        &["--message", "m</script>"],
    );
    // Without its CSP (it would hide an escaping mistake), every card opened.
    let test = "window.addEventListener('load', function () { setTimeout(function () {\
        var els = document.querySelectorAll('svg [data-entity], svg [data-event]');\
        els.forEach(function (el) { el.dispatchEvent(new MouseEvent('click', { bubbles: true })); });\
        var tags = {}, attrs = {};\
        document.querySelectorAll('*').forEach(function (el) { tags[el.localName] = 1; [].forEach.call(el.attributes, function (a) { attrs[a.name] = 1; }); });\
        var out = { pwned: document.documentElement.getAttribute('data-pwned'), title: document.title, errors: window.__gvErrors,\
          links: [].map.call(document.querySelectorAll('a[href]'), function (a) { return a.href; }), tags: Object.keys(tags), attrs: Object.keys(attrs), cards: els.length };\
        var p = document.createElement('pre'); p.id = 'result'; p.textContent = JSON.stringify(out); document.body.appendChild(p);\
      }, 300); });";
    let d = tempfile::tempdir().unwrap();
    std::fs::write(d.path().join("h.html"), instrumented(&page, test)).unwrap();
    let (dom, _) = open(
        &chrome,
        d.path(),
        "h.html",
        (1280, 1000),
        &["--dump-dom".into()],
    );
    let v: Value = serde_json::from_str(&pre(&dom, "result").expect("result")).unwrap();
    assert_eq!(v["pwned"], Value::Null, "{v}");
    assert_eq!(v["errors"], serde_json::json!([]), "{v}");
    assert!(v["cards"].as_u64().unwrap() >= 5);
    for l in v["links"].as_array().unwrap() {
        assert!(l.as_str().unwrap().starts_with("https://"), "{l}");
    }
    let mut allowed: Vec<&str> = TAGS.to_vec();
    allowed.extend(["dt", "dd", "pre"]);
    for t in v["tags"].as_array().unwrap() {
        assert!(
            allowed.contains(&t.as_str().unwrap()),
            "element {t} from the data: {v}"
        );
    }
    let mut attrs: Vec<&str> = ATTRS.to_vec();
    attrs.extend([
        "data-state",
        "data-ready",
        "style",
        "aria-valuetext",
        "viewBox",
        "xmlns:xlink",
    ]);
    for a in v["attrs"].as_array().unwrap() {
        assert!(
            attrs.contains(&a.as_str().unwrap()),
            "attribute {a} from the data: {v}"
        );
    }
}

/// Screenshots for docs/embed.md (GRAPEVINE_SCREENSHOTS=docs/img).
#[test]
fn screenshots_when_asked() {
    let Some(dir_out) = std::env::var_os("GRAPEVINE_SCREENSHOTS") else {
        return;
    };
    let Some(chrome) = browser() else { return };
    let dir = tempfile::tempdir().unwrap();
    let page = bundled(dir.path());
    let dir_out = std::fs::canonicalize(dir_out).unwrap();
    for (width, file) in [(375, "embed-phone-375.png"), (1280, "embed-wide-1280.png")] {
        let height = drive(&chrome, &page, width, &[])["heights"]
            .as_str()
            .unwrap()
            .split_whitespace()
            .filter_map(|h| h.parse::<u32>().ok())
            .max()
            .unwrap_or(2000);
        let d = tempfile::tempdir().unwrap();
        std::fs::write(d.path().join("story.html"), &page).unwrap();
        std::fs::write(
            d.path().join("host.html"),
            host("story.html", width).replace("height:1200px", &format!("height:{height}px")),
        )
        .unwrap();
        let out = dir_out.join(file);
        open(
            &chrome,
            d.path(),
            "host.html",
            (width, height),
            &[format!("--screenshot={}", out.display())],
        );
        assert!(out.exists());
    }
}
