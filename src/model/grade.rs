//! The Admiralty (NATO) grading of evidence: a source's reliability (A–F)
//! and a citation's credibility (1–6), and the certainty they support.

use super::Certainty;

/// How reliable a source is, on the Admiralty scale.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Reliability {
    /// Completely reliable.
    A,
    /// Usually reliable.
    B,
    /// Fairly reliable.
    C,
    /// Not usually reliable.
    D,
    /// Unreliable.
    E,
    /// Reliability cannot be judged.
    F,
}

impl Reliability {
    /// All grades, best first.
    pub const ALL: [Reliability; 6] = [
        Reliability::A,
        Reliability::B,
        Reliability::C,
        Reliability::D,
        Reliability::E,
        Reliability::F,
    ];

    /// The letter as written in files.
    pub fn as_str(self) -> &'static str {
        ["A", "B", "C", "D", "E", "F"][self as usize]
    }

    /// The grade of a letter (`A` to `F`, upper case).
    pub fn parse(s: &str) -> Option<Reliability> {
        Reliability::ALL.into_iter().find(|r| r.as_str() == s)
    }

    /// What the grade means.
    pub fn meaning(self) -> &'static str {
        [
            "completely reliable",
            "usually reliable",
            "fairly reliable",
            "not usually reliable",
            "unreliable",
            "reliability cannot be judged",
        ][self as usize]
    }
}

/// How credible a cited passage is, on the Admiralty scale: 1 (confirmed by
/// other sources) to 6 (truth cannot be judged).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Credibility(u8);

impl Credibility {
    /// The grade of a number from 1 to 6.
    pub fn new(n: u8) -> Option<Credibility> {
        (1..=6).contains(&n).then_some(Credibility(n))
    }

    /// The number, 1 to 6.
    pub fn get(self) -> u8 {
        self.0
    }

    /// What the grade means.
    pub fn meaning(self) -> &'static str {
        [
            "confirmed by other sources",
            "probably true",
            "possibly true",
            "doubtful",
            "improbable",
            "truth cannot be judged",
        ][usize::from(self.0 - 1)]
    }
}

/// The strongest certainty each grade supports (`None`: the grade cannot
/// be judged and limits nothing). A citation's grades support the weaker of
/// its source's reliability and its own credibility.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Grading {
    /// For reliability A to F.
    pub reliability: [Option<Certainty>; 6],
    /// For credibility 1 to 6.
    pub credibility: [Option<Certainty>; 6],
}

impl Default for Grading {
    /// The documented default: A and B up to confirmed, C reported, D
    /// alleged, E unknown; 1 confirmed, 2 reported, 3 and 4 alleged, 5
    /// unknown; F and 6 limit nothing.
    fn default() -> Self {
        use Certainty::{Alleged, Confirmed, Reported, Unknown};
        Grading {
            reliability: [
                Some(Confirmed),
                Some(Confirmed),
                Some(Reported),
                Some(Alleged),
                Some(Unknown),
                None,
            ],
            credibility: [
                Some(Confirmed),
                Some(Reported),
                Some(Alleged),
                Some(Alleged),
                Some(Unknown),
                None,
            ],
        }
    }
}

impl Grading {
    /// The certainty a citation with these grades supports (`None`: no
    /// grade that limits it).
    pub fn supports(
        &self,
        reliability: Option<Reliability>,
        credibility: Option<Credibility>,
    ) -> Option<Certainty> {
        let r = reliability.and_then(|r| self.reliability[r as usize]);
        let c = credibility.and_then(|c| self.credibility[usize::from(c.0 - 1)]);
        match (r, c) {
            (Some(a), Some(b)) => Some(a.min(b)),
            (a, b) => a.or(b),
        }
    }

    /// Sets what grade `key` (a letter A–F or a digit 1–6) supports;
    /// `false` when `key` is no grade.
    pub fn set(&mut self, key: &str, to: Option<Certainty>) -> bool {
        if let Some(r) = Reliability::parse(key) {
            self.reliability[r as usize] = to;
            return true;
        }
        match key.parse::<u8>().ok().and_then(Credibility::new) {
            Some(c) => {
                self.credibility[usize::from(c.0 - 1)] = to;
                true
            }
            None => false,
        }
    }
}

/// A citation's grade as people write it: `B2`, `B` or `2` (`None`: not
/// graded).
pub fn grade_label(r: Option<Reliability>, c: Option<Credibility>) -> Option<String> {
    match (r, c) {
        (None, None) => None,
        (r, c) => Some(format!(
            "{}{}",
            r.map_or("", Reliability::as_str),
            c.map(|c| c.0.to_string()).unwrap_or_default()
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_default_takes_the_weaker_grade() {
        let g = Grading::default();
        let c = Credibility::new;
        assert_eq!(
            g.supports(Some(Reliability::A), c(1)),
            Some(Certainty::Confirmed)
        );
        assert_eq!(
            g.supports(Some(Reliability::A), c(3)),
            Some(Certainty::Alleged)
        );
        assert_eq!(
            g.supports(Some(Reliability::D), c(1)),
            Some(Certainty::Alleged)
        );
        assert_eq!(
            g.supports(Some(Reliability::F), c(2)),
            Some(Certainty::Reported)
        );
        assert_eq!(g.supports(Some(Reliability::F), c(6)), None);
        assert_eq!(g.supports(None, None), None);
        assert_eq!(Credibility::new(0), None);
        assert_eq!(Credibility::new(7), None);
        assert_eq!(
            grade_label(Some(Reliability::B), c(2)).as_deref(),
            Some("B2")
        );
    }

    #[test]
    fn a_story_can_override_a_grade() {
        let mut g = Grading::default();
        assert!(g.set("C", Some(Certainty::Confirmed)));
        assert!(g.set("4", None));
        assert!(!g.set("G", None));
        assert!(!g.set("7", None));
        assert_eq!(
            g.supports(Some(Reliability::C), Credibility::new(4)),
            Some(Certainty::Confirmed)
        );
    }
}
