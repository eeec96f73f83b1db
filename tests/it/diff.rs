//! `diff`: what a correction changes. A hand-checked correction of the
//! bundled story (the command line's words and exit codes), and a property
//! test on random stories: a story against itself differs in nothing; with
//! one claim dropped or weakened, the claim is listed and the answer's rows
//! are exactly those whose `reach` row differs between the two versions.

use std::process::Command;

use grapevine::analysis::diff::{diff, Change};
use grapevine::{reach_story, Certainty, Entity, Event, Message, Query, Story, TimeExpr};
use proptest::prelude::*;

use crate::strategies::{event_spec, parties, EventSpec, TIMES};

const BUNDLED: &str = "graphs/trump-jr-wikileaks.json";

fn build(n: usize, events: &[EventSpec]) -> Story {
    let tz = jiff::tz::TimeZone::UTC;
    let mut story = Story::default();
    for i in 0..n {
        story.entities.push(Entity {
            id: format!("p{i}"),
            name: format!("P{i}"),
            ..Entity::default()
        });
    }
    story.messages.push(Message {
        id: "m".into(),
        origin: Some("p0".into()),
        ..Message::default()
    });
    for (k, e) in events.iter().enumerate() {
        let people: Vec<String> = e.people.iter().map(|p| format!("p{p}")).collect();
        let Some(parties) = parties(people, e.mutual) else {
            continue;
        };
        story.events.push(Event {
            id: format!("e{k:02}"),
            parties,
            time: e.time.map(|i| TimeExpr::parse(TIMES[i], &tz).unwrap()),
            certainty: e.certainty,
            carries: if e.carries { vec!["m".into()] } else { vec![] },
            ..Event::default()
        });
    }
    story
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 300, ..ProptestConfig::default() })]

    #[test]
    fn a_correction_changes_exactly_the_rows_reach_changes(
        n in 2usize..6,
        events in proptest::collection::vec(event_spec(5, 5, TIMES.len()), 1..10),
        pick in any::<prop::sample::Index>(),
        drop in any::<bool>(),
    ) {
        let n = n.max(events.iter().flat_map(|e| e.people.iter()).max().map_or(0, |m| m + 1));
        let old = build(n, &events);
        prop_assume!(!old.events.is_empty());
        let q = Query::message("m");
        let same = diff(&old, &old, Some(&q)).unwrap();
        prop_assert!(same.same && same.claims.is_empty() && same.rows.is_empty());
        let mut new = old.clone();
        let k = pick.index(new.events.len());
        let id = new.events[k].id.clone();
        if drop {
            new.events.remove(k);
        } else {
            new.events[k].certainty = Some(Certainty::Unknown);
        }
        let d = diff(&old, &new, Some(&q)).unwrap();
        let before = reach_story(&old, &q).unwrap();
        let after = reach_story(&new, &q).unwrap();
        // The claim: listed once, dropped or changed (unless it was
        // already unknown).
        let listed: Vec<_> = d.claims.iter().filter(|c| c.id == id).collect();
        if drop {
            prop_assert!(listed.len() == 1 && listed[0].change == Change::Removed);
        } else {
            prop_assert_eq!(listed.len(), usize::from(old.events[k] != new.events[k]));
        }
        // The rows: exactly those whose reach row differs.
        let mut want: Vec<String> = Vec::new();
        for r in &after.reached {
            let row = |x: &grapevine::Reached| serde_json::to_value(x).unwrap();
            if before.get(&r.entity).map(row) != Some(row(r)) {
                want.push(r.entity.clone());
            }
        }
        for r in &before.reached {
            if after.get(&r.entity).is_none() {
                want.push(r.entity.clone());
            }
        }
        let got: Vec<String> = d.rows.iter().map(|r| r.entity.clone()).collect();
        prop_assert_eq!(&got, &want);
        prop_assert_eq!(d.same, want.is_empty() && d.now_critical.is_empty() && d.no_longer_critical.is_empty());
    }
}

fn grapevine(args: &[&str]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_grapevine"))
        .args(args)
        .output()
        .unwrap()
}

/// Hope Hicks's forward weakened to alleged and the leak to The Atlantic
/// withdrawn: Hicks is now reached only on an alleged claim, The Atlantic
/// and those it told no longer are, and the leak is no longer critical.
#[test]
fn a_correction_of_the_bundled_story_in_words() {
    let dir = tempfile::tempdir().unwrap();
    let mut story: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(BUNDLED).unwrap()).unwrap();
    let events = story["events"].as_array_mut().unwrap();
    for e in events.iter_mut() {
        if e["id"] == "kushner-forward-hicks" {
            e["certainty"] = "alleged".into();
        }
    }
    events.retain(|e| e["id"] != "leak-to-the-atlantic");
    let corrected = dir.path().join("corrected.json");
    std::fs::write(&corrected, serde_json::to_string_pretty(&story).unwrap()).unwrap();
    let c = corrected.to_str().unwrap();
    let o = grapevine(&["diff", BUNDLED, c, "--message", "pac-tip"]);
    assert_eq!(o.status.code(), Some(1));
    let text = String::from_utf8(o.stdout).unwrap();
    for line in [
        "  event kushner-forward-hicks: certainty reported → alleged\n",
        "  event leak-to-the-atlantic: removed\n",
        "  Hope Hicks: now reached only on an alleged claim; evidence reported → alleged",
        "  The Atlantic: no longer reached\n",
        "No longer critical: leak-to-the-atlantic",
        "The answer differs.\n",
    ] {
        assert!(text.contains(line), "{line}\n{text}");
    }
    let o = grapevine(&["diff", BUNDLED, BUNDLED, "--message", "pac-tip"]);
    assert_eq!(o.status.code(), Some(0));
    let o = grapevine(&["diff", BUNDLED, c, "--json"]);
    assert_eq!(o.status.code(), Some(1), "the claims differ");
    let json: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(json["claims"].as_array().unwrap().len(), 2);
    let o = grapevine(&["diff", BUNDLED, c, "--message", "no-such"]);
    assert_eq!(o.status.code(), Some(2), "an unknown message is bad input");
}
