//! The band the animation adds under the caption: the date of the step in
//! large type, a strip with a dot per step, the story's markers on it and
//! a playhead, the marker last passed, and how many are in each state.
//!
//! Each step's texts are drawn once and shown only during that step (a
//! track of [`Tracks::during`]); every text is escaped by
//! [`crate::escape::svg`].

use super::css::{Tracks, CLAIMED, NOT_YET, POSSIBLE, SURELY};
use super::timeline::{Look, Passing, Step};
use crate::escape;
use crate::render::measure::{text_width, wrap_px};

/// What the band shows.
pub(crate) struct Band<'a> {
    /// The picture's width and margin, in its units.
    pub width: f64,
    pub margin: f64,
    /// The steps.
    pub steps: &'a [Step],
    /// At each step, how many drawn entities are surely, claimed, possible
    /// and not yet reached.
    pub counts: &'a [[usize; 4]],
    /// The story's markers among the steps.
    pub passings: &'a [Passing],
}

/// The states in the legend: their look, words and colour.
pub(crate) const STATES: [(Look, &str, &str); 4] = [
    (Look::Surely, "surely had it", SURELY),
    (
        Look::Claimed,
        "had it if the contacts reported happened",
        CLAIMED,
    ),
    (Look::Shown, "could have seen it", POSSIBLE),
    (Look::Faded, "not yet", NOT_YET),
];

/// The size of the small text (markers, legend).
const SMALL: f64 = 13.0;

/// The date's size for a picture `width` wide: large enough to read on a
/// phone when a 1080-pixel frame is shown 375 px wide.
pub(crate) fn date_size(width: f64) -> f64 {
    (width * 0.043).clamp(24.0, 36.0).round()
}

/// The band's SVG from `y` down, and its height.
pub(crate) fn band(b: &Band, y: f64, tracks: &mut Tracks) -> (String, f64) {
    let mut out = String::from("<g class=\"grapevine-replay\">\n");
    let size = date_size(b.width);
    let mut at = y + size;
    for (i, step) in b.steps.iter().enumerate() {
        let class = tracks.during(b.steps.len(), i, i);
        out.push_str(&format!(
            "<text class=\"{class} grapevine-date\" data-t=\"{}\" x=\"{:.1}\" y=\"{at:.1}\" font-size=\"{size}px\" font-weight=\"bold\" fill=\"#111111\">{}</text>\n",
            step.t,
            b.margin,
            escape::svg(&step.label)
        ));
    }
    at += size * 0.3 + 12.0;
    at = strip(&mut out, b, at, tracks);
    at = markers(&mut out, b, at, tracks);
    at = legend(&mut out, b, at, tracks);
    out.push_str("</g>\n");
    (out, at + 6.0 - y)
}

/// The x of step `i` on the strip (which leaves room at its end for the
/// markers after the last step).
fn step_x(b: &Band, i: usize) -> f64 {
    let n = b.steps.len();
    let room = if b.passings.iter().any(|p| p.step >= n) {
        24.0
    } else {
        6.0
    };
    let (x0, x1) = (b.margin + 6.0, b.width - b.margin - room);
    if n <= 1 {
        x1
    } else {
        x0 + (x1 - x0) * i as f64 / (n - 1) as f64
    }
}

/// The strip at `y` (its middle): a line, a dot per step, the markers as
/// diamonds (faded until passed), the progress and the playhead. Returns
/// the y under it.
fn strip(out: &mut String, b: &Band, y: f64, tracks: &mut Tracks) -> f64 {
    let n = b.steps.len();
    let (x0, x1) = (step_x(b, 0), step_x(b, n.saturating_sub(1)));
    out.push_str(&format!(
        "<line x1=\"{x0:.1}\" y1=\"{y:.1}\" x2=\"{x1:.1}\" y2=\"{y:.1}\" stroke=\"#d0d0d0\" stroke-width=\"2\"/>\n"
    ));
    for i in 0..n {
        out.push_str(&format!(
            "<circle cx=\"{:.1}\" cy=\"{y:.1}\" r=\"2.5\" fill=\"#9a9a9a\"/>\n",
            step_x(b, i)
        ));
    }
    for p in b.passings {
        let x = match p.step {
            0 => x0,
            s if s >= n => b.width - b.margin - 7.0,
            s => step_x(b, s - 1) + (step_x(b, s) - step_x(b, s - 1)) * p.share,
        };
        let seq = (0..n)
            .map(|i| {
                if i >= p.step {
                    Look::Shown
                } else {
                    Look::Faded
                }
            })
            .collect();
        let class = tracks.class(super::css::Kind::Plain, seq);
        out.push_str(&format!(
            "<path class=\"{class}\" d=\"M{x:.1},{:.1} L{:.1},{y:.1} L{x:.1},{:.1} L{:.1},{y:.1} Z\" fill=\"#444444\"><title>{}</title></path>\n",
            y - 7.0,
            x + 5.0,
            y + 7.0,
            x - 5.0,
            escape::svg(&p.words)
        ));
    }
    for i in 0..n {
        let class = tracks.during(n, i, i);
        let x = step_x(b, i);
        out.push_str(&format!("<g class=\"{class}\">"));
        if i > 0 {
            out.push_str(&format!(
                "<line x1=\"{x0:.1}\" y1=\"{y:.1}\" x2=\"{x:.1}\" y2=\"{y:.1}\" stroke=\"#333333\" stroke-width=\"3\"/>"
            ));
        }
        out.push_str(&format!(
            "<circle cx=\"{x:.1}\" cy=\"{y:.1}\" r=\"6\" fill=\"#111111\"/></g>\n"
        ));
    }
    y + 10.0
}

/// What the marker line says at step `i`: the markers passed at the
/// latest step that passed any, else the next one ahead.
fn marker_words(b: &Band, i: usize) -> Option<(bool, String)> {
    let passed: Vec<&Passing> = b.passings.iter().filter(|p| p.step <= i).collect();
    match passed.iter().map(|p| p.step).max() {
        Some(last) => Some((
            true,
            passed
                .iter()
                .filter(|p| p.step == last)
                .map(|p| p.words.as_str())
                .collect::<Vec<_>>()
                .join(" · "),
        )),
        None => b
            .passings
            .first()
            .map(|p| (false, format!("Ahead: {}", p.words))),
    }
}

/// The marker line from `y` down: one text per run of steps that say the
/// same, a diamond before it (hollow for one ahead). Returns the y under
/// it.
fn markers(out: &mut String, b: &Band, y: f64, tracks: &mut Tracks) -> f64 {
    let n = b.steps.len();
    let words: Vec<Option<(bool, String)>> = (0..n).map(|i| marker_words(b, i)).collect();
    if words.iter().all(Option::is_none) {
        return y;
    }
    let wrap = b.width - 2.0 * b.margin - 16.0;
    let mut most = 1;
    let mut i = 0;
    while i < n {
        let mut j = i;
        while j + 1 < n && words[j + 1] == words[i] {
            j += 1;
        }
        if let Some((passed, text)) = &words[i] {
            let class = tracks.during(n, i, j);
            let lines = wrap_px(text, wrap, SMALL, false);
            most = most.max(lines.len());
            let fill = if *passed { "#444444" } else { "none" };
            let (x, top) = (b.margin + 5.0, y + SMALL * 0.55);
            out.push_str(&format!(
                "<g class=\"{class}\"><path d=\"M{x:.1},{:.1} L{:.1},{top:.1} L{x:.1},{:.1} L{:.1},{top:.1} Z\" fill=\"{fill}\" stroke=\"#444444\" stroke-width=\"1.2\"/>",
                top - 5.5,
                x + 4.5,
                top + 5.5,
                x - 4.5
            ));
            for (k, line) in lines.iter().enumerate() {
                out.push_str(&format!(
                    "<text x=\"{:.1}\" y=\"{:.1}\" font-size=\"{SMALL}px\" fill=\"#333333\">{}</text>",
                    b.margin + 16.0,
                    y + SMALL * (0.95 + 1.3 * k as f64),
                    escape::svg(line)
                ));
            }
            out.push_str("</g>\n");
        }
        i = j + 1;
    }
    y + SMALL * 1.3 * most as f64 + 6.0
}

/// A state's swatch at (`x`, `y`): a small node as the picture draws it in
/// that state (faded, plain, or glowing in the state's colour).
fn swatch(look: Look, colour: &str, x: f64, y: f64) -> String {
    let circle = |fill: &str, stroke: &str, width: f64, extra: &str| {
        format!(
            "<circle cx=\"{x:.1}\" cy=\"{y:.1}\" r=\"5.5\" fill=\"{fill}\" stroke=\"{stroke}\" stroke-width=\"{width}\"{extra}/>\n"
        )
    };
    match look {
        Look::Surely | Look::Claimed => {
            circle("none", colour, 5.0, " stroke-opacity=\"0.45\"")
                + &circle("#ffffff", "#555555", 1.2, "")
        }
        Look::Faded => circle("#ffffff", "#555555", 1.2, " opacity=\"0.3\""),
        _ => circle("#ffffff", "#555555", 1.2, ""),
    }
}

/// The legend from `y` down: a swatch per state that occurs, the count at
/// each step (one text per step) and the state's words, wrapped to the
/// width. Returns the y under it.
fn legend(out: &mut String, b: &Band, y: f64, tracks: &mut Tracks) -> f64 {
    let n = b.steps.len();
    let most = b.counts.iter().flatten().copied().max().unwrap_or(0);
    let number = text_width(&"0".repeat(most.to_string().len()), SMALL, true);
    let line = SMALL * 1.5;
    let (mut x, mut top) = (b.margin, y);
    for (s, (_, words, colour)) in STATES.iter().enumerate() {
        if b.counts.iter().all(|c| c[s] == 0) {
            continue;
        }
        let w = 18.0 + number + 5.0 + text_width(words, SMALL, false);
        if x > b.margin && x + w > b.width - b.margin {
            x = b.margin;
            top += line;
        }
        let base = top + SMALL * 0.95;
        out.push_str(&swatch(STATES[s].0, colour, x + 5.0, base - SMALL * 0.35));
        for i in 0..n {
            let class = tracks.during(n, i, i);
            out.push_str(&format!(
                "<text class=\"{class}\" x=\"{:.1}\" y=\"{base:.1}\" font-size=\"{SMALL}px\" font-weight=\"bold\" text-anchor=\"end\" fill=\"#111111\">{}</text>\n",
                x + 18.0 + number,
                b.counts[i][s]
            ));
        }
        out.push_str(&format!(
            "<text x=\"{:.1}\" y=\"{base:.1}\" font-size=\"{SMALL}px\" fill=\"#333333\">{}</text>\n",
            x + 18.0 + number + 5.0,
            escape::svg(words)
        ));
        x += w + 16.0;
    }
    top + line
}
