//! The animation's one style sheet: a class per distinct sequence of looks
//! (a track), its keyframes, and the still of any step.
//!
//! Every name in it is made here (the document's prefix, a track's number):
//! no text from the story reaches the style sheet. The animations run only
//! under `prefers-reduced-motion: no-preference`; without them (reduced
//! motion, or a viewer that does not play CSS) every track holds its last
//! look, the end of the spread.

use std::collections::HashMap;

use super::timeline::Look;

/// What a track changes: how visible a group is, or the glow of the
/// shapes in it (an entity that had it, surely or if the contacts
/// reported happened).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub(crate) enum Kind {
    /// The group's opacity.
    Plain,
    /// The glow of the group's shapes (not of its text, which stays sharp).
    Glow,
}

/// The tracks of one animation: each distinct sequence of looks, one look
/// per step, gets one class.
pub(crate) struct Tracks {
    prefix: String,
    seqs: Vec<(Kind, Vec<Look>)>,
    index: HashMap<(Kind, Vec<Look>), usize>,
}

impl Tracks {
    /// No tracks yet; classes start with `prefix`.
    pub(crate) fn new(prefix: &str) -> Tracks {
        Tracks {
            prefix: prefix.to_string(),
            seqs: Vec::new(),
            index: HashMap::new(),
        }
    }

    /// The class of the track that shows `seq`, drawing a `kind`.
    pub(crate) fn class(&mut self, kind: Kind, seq: Vec<Look>) -> String {
        let key = (kind, seq);
        let k = match self.index.get(&key) {
            Some(&k) => k,
            None => {
                let k = self.seqs.len();
                self.index.insert(key.clone(), k);
                self.seqs.push(key);
                k
            }
        };
        format!("{}t{k}", self.prefix)
    }

    /// The class of the track shown only during steps `from..=to` of
    /// `steps`.
    pub(crate) fn during(&mut self, steps: usize, from: usize, to: usize) -> String {
        self.class(
            Kind::Plain,
            (0..steps)
                .map(|i| {
                    if (from..=to).contains(&i) {
                        Look::Shown
                    } else {
                        Look::Hidden
                    }
                })
                .collect(),
        )
    }

    /// The document's prefix (its root's class).
    pub(crate) fn prefix(&self) -> &str {
        &self.prefix
    }
}

/// How long the animation dwells, in milliseconds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Pace {
    /// Each step.
    pub step: u32,
    /// The end, held after the last step's own time.
    pub hold: u32,
    /// The change from one look to the next.
    pub fade: u32,
}

impl Pace {
    /// The pace for `steps` steps: 1.5 s a step, shorter past 20 steps
    /// (never under 0.5 s), a 4 s hold.
    pub(crate) fn of(steps: usize) -> Pace {
        let n = u32::try_from(steps.max(1)).unwrap_or(u32::MAX);
        let step = (30_000 / n).clamp(500, 1_500) / 10 * 10;
        Pace {
            step,
            hold: 4_000,
            fade: (step / 4).min(300),
        }
    }

    /// One cycle: every step, then the hold.
    pub(crate) fn cycle(&self, steps: usize) -> u64 {
        u64::from(self.step) * steps as u64 + u64::from(self.hold)
    }
}

/// The colours of the states (the embed's).
pub(crate) const SURELY: &str = "#1b7f3b";
/// See [`SURELY`].
pub(crate) const CLAIMED: &str = "#2f6fb0";
/// See [`SURELY`].
pub(crate) const POSSIBLE: &str = "#b26b00";
/// See [`SURELY`].
pub(crate) const NOT_YET: &str = "#9a9a9a";

/// The declarations of one look on a `kind` of track.
fn declarations(kind: Kind, look: Look) -> String {
    let glow = |c: &str| format!("filter:drop-shadow(0 0 3px {c}) drop-shadow(0 0 2px {c})");
    match (kind, look) {
        (Kind::Plain, Look::Hidden) => "opacity:0".to_string(),
        (Kind::Plain, Look::Faded) => "opacity:.15".to_string(),
        (Kind::Plain, _) => "opacity:1".to_string(),
        (Kind::Glow, Look::Claimed) => glow(CLAIMED),
        (Kind::Glow, Look::Surely) => glow(SURELY),
        (Kind::Glow, _) => "filter:none".to_string(),
    }
}

/// The selector of track `k`: the group, or the shapes in it.
fn selector(p: &str, k: usize, kind: Kind) -> String {
    match kind {
        Kind::Plain => format!(".{p}t{k}"),
        // A node's shapes (its box has rounded corners), a lane's line.
        Kind::Glow => ["ellipse", "polygon", "rect[rx]", "path", "line"]
            .iter()
            .map(|shape| format!(".{p}t{k} {shape}"))
            .collect::<Vec<_>>()
            .join(","),
    }
}

/// The style sheet of the animation: each track's last look, its
/// keyframes, and the animations under `prefers-reduced-motion:
/// no-preference`. `root` holds the root's own declarations.
pub(crate) fn animated(tracks: &Tracks, pace: Pace, root: &str) -> String {
    let p = tracks.prefix();
    let cycle = tracks.seqs.first().map_or(1, |(_, s)| pace.cycle(s.len()));
    let mut out = format!(".{p}{{{root}}}\n");
    let mut frames = String::new();
    let mut runs = String::new();
    for (k, (kind, seq)) in tracks.seqs.iter().enumerate() {
        let Some(last) = seq.last() else { continue };
        let select = selector(p, k, *kind);
        out.push_str(&format!("{select}{{{}}}\n", declarations(*kind, *last)));
        if seq.iter().all(|l| l == last) {
            continue;
        }
        frames.push_str(&format!("@keyframes {p}k{k}{{"));
        for (at, look) in stops(seq, pace, cycle) {
            frames.push_str(&format!("{at:.3}%{{{}}}", declarations(*kind, look)));
        }
        frames.push_str("}\n");
        runs.push_str(&format!(
            "{select}{{animation:{p}k{k} {cycle}ms linear infinite}}\n"
        ));
    }
    out.push_str(&frames);
    out.push_str(&format!(
        "@media (prefers-reduced-motion:no-preference){{\n{runs}}}\n"
    ));
    out
}

/// The keyframe stops of one track: its look at the start of each step
/// where it changes, reached by a fade, and back to the first look over
/// the hold's last fade.
fn stops(seq: &[Look], pace: Pace, cycle: u64) -> Vec<(f64, Look)> {
    let pct = |ms: u64| ms as f64 * 100.0 / cycle as f64;
    let step = u64::from(pace.step);
    let fade = u64::from(pace.fade);
    let mut out = Vec::new();
    let Some(&first) = seq.first() else {
        return out;
    };
    out.push((0.0, first));
    for (i, pair) in seq.windows(2).enumerate() {
        if pair[0] != pair[1] {
            let at = (i as u64 + 1) * step;
            out.push((pct(at - fade), pair[0]));
            out.push((pct(at), pair[1]));
        }
    }
    let last = seq[seq.len() - 1];
    if last != first {
        out.push((pct(cycle - fade), last));
        out.push((100.0, first));
    } else {
        out.push((100.0, last));
    }
    out
}

/// The style sheet of the still at step `i`: every track at its look then.
pub(crate) fn still(tracks: &Tracks, i: usize, root: &str) -> String {
    let p = tracks.prefix();
    let mut out = format!(".{p}{{{root}}}\n");
    for (k, (kind, seq)) in tracks.seqs.iter().enumerate() {
        if let Some(look) = seq.get(i).or(seq.last()) {
            out.push_str(&format!(
                "{}{{{}}}\n",
                selector(p, k, *kind),
                declarations(*kind, *look)
            ));
        }
    }
    out
}
