//! Corroboration: how many independent publishers cite a claim, and the
//! story with only the claims that enough of them cite
//! (`--corroborated N`).
//!
//! Two citations are independent when their sources have different
//! publishers (compared with case, spaces, accents and curly quotes folded); a
//! source without a `publisher` is told apart by its URL's host, and without
//! a URL by its id. Several articles of one outlet are one publisher.

use std::collections::{BTreeSet, HashMap};

use crate::catalog::fold;
use crate::model::{Citation, Source, Story};

/// What tells each of a story's sources' publishers apart, made once:
/// its folded publisher, else its URL's host, else its id.
#[derive(Debug, Clone)]
pub struct Publishers<'s> {
    keys: HashMap<&'s str, String>,
}

impl<'s> Publishers<'s> {
    /// The publishers of `sources` (a story's).
    pub fn new(sources: &'s [Source]) -> Publishers<'s> {
        Publishers {
            keys: sources.iter().map(|s| (s.id.as_str(), key(s))).collect(),
        }
    }

    /// How many independent publishers `citations` cite (a source the
    /// story does not list counts by its id).
    pub fn count(&self, citations: &[Citation]) -> usize {
        let keys: BTreeSet<String> = citations
            .iter()
            .map(|c| match self.keys.get(c.source()) {
                Some(k) => k.clone(),
                None => format!("id:{}", c.source()),
            })
            .collect();
        keys.len()
    }
}

/// Source `s`'s publisher key.
fn key(s: &Source) -> String {
    if let Some(p) = s.publisher.as_deref().filter(|p| !p.trim().is_empty()) {
        let words: Vec<&str> = p.split_whitespace().collect();
        return format!("publisher:{}", fold(&words.join(" ")));
    }
    if let Some(host) = s.url.as_deref().and_then(host) {
        return format!("host:{host}");
    }
    format!("id:{}", s.id)
}

/// The host of an http(s) URL, lower case, without `www.`.
fn host(url: &str) -> Option<String> {
    let rest = url
        .strip_prefix("https://")
        .or_else(|| url.strip_prefix("http://"))?;
    let host = rest.split(['/', '?', '#']).next()?.rsplit('@').next()?;
    let host = host.split(':').next()?.to_ascii_lowercase();
    let host = host.strip_prefix("www.").unwrap_or(&host).to_string();
    (!host.is_empty()).then_some(host)
}

/// `story` with only the contacts and holdings that at least `n`
/// independent publishers cite; entities, messages, sources, relations and
/// markers stay. An `after` naming a contact left out goes (the order it
/// gave stays in the tightened interval).
pub fn corroborated(story: &Story, n: usize) -> Story {
    let publishers = Publishers::new(&story.sources);
    let mut out = story.clone();
    out.events.retain(|e| publishers.count(&e.sources) >= n);
    out.holdings.retain(|h| publishers.count(&h.sources) >= n);
    let kept: BTreeSet<String> = out.events.iter().map(|e| e.id.clone()).collect();
    for e in &mut out.events {
        e.after.retain(|a| kept.contains(a));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn publishers_hosts_and_ids() {
        assert_eq!(
            host("https://www.NYTimes.com/2016/x").as_deref(),
            Some("nytimes.com")
        );
        assert_eq!(
            host("http://user@example.org:8080/a").as_deref(),
            Some("example.org")
        );
        assert_eq!(host("ftp://x"), None);
    }
}
