//! Hand-checked answers on the bundled story.

use grapevine::{load_path, reach_story, Certainty, Query, Timing};

fn story() -> grapevine::Story {
    load_path("graphs/trump-jr-wikileaks.json".as_ref())
        .expect("bundled story loads")
        .story
}

#[test]
fn bundled_story_checks_clean() {
    let loaded = load_path("graphs/trump-jr-wikileaks.json".as_ref()).unwrap();
    assert_eq!(loaded.report.error_count(), 0);
    assert_eq!(
        loaded.report.warning_count(),
        0,
        "{}",
        loaded.report.render()
    );
}

#[test]
fn pac_tip_documented_chain() {
    let s = story();
    let a = reach_story(&s, &Query::message("pac-tip")).unwrap();
    let mut reached: Vec<&str> = a.reached.iter().map(|r| r.entity.as_str()).collect();
    reached.sort();
    assert_eq!(
        reached,
        [
            "bannon",
            "conway",
            "hicks",
            "kushner",
            "parscale",
            "trump",
            "trump-jr",
            "wikileaks"
        ]
    );
    let ev = |id: &str| a.get(id).unwrap().evidence;
    assert_eq!(ev("trump-jr"), Certainty::Confirmed);
    for id in ["kushner", "conway", "parscale", "bannon", "hicks"] {
        assert_eq!(ev(id), Certainty::Reported, "{id}");
    }
    assert_eq!(ev("trump"), Certainty::Unknown);
    assert_eq!(
        a.get("hicks").unwrap().path.as_ref().unwrap(),
        &[
            "dm-pac-tip",
            "forward-pac-tip-staff",
            "kushner-forward-hicks"
        ]
    );
    // Forwards of the message are causally after its receipt: definite.
    assert_eq!(a.get("trump").unwrap().timing, Timing::Definite);
}

#[test]
fn confirmed_contacts_from_wikileaks_miss_kushner() {
    let s = story();
    let q = Query {
        since: Some("2016-09-20".into()),
        threshold: Certainty::Confirmed,
        ..Query::from_entity("wikileaks")
    };
    let a = reach_story(&s, &q).unwrap();
    assert!(a.get("trump-jr").is_some());
    assert!(a.get("kushner").is_none());
    let w = grapevine::why_not(&s, &q, "kushner").unwrap();
    assert!(!w.reached);
    assert!(
        w.reasons[0]
            .events
            .contains(&"trump-tower-meeting".to_string()),
        "{:?}",
        w.reasons
    );
}

/// The bundled story holds only what the article says: every event and message
/// cites it with a sentence found word for word in the article.
#[test]
fn every_quote_is_in_the_article() {
    let dir = std::path::Path::new("../shared/story");
    let Ok(entries) = std::fs::read_dir(dir) else {
        eprintln!("note: ../shared/story is not here; the quote check is skipped");
        return;
    };
    let mut article = String::new();
    for entry in entries.flatten() {
        article.push_str(&std::fs::read_to_string(entry.path()).unwrap());
    }
    assert!(article.contains("WikiLeaks"), "the article was read");
    let s = story();
    let mut checked = 0;
    for e in &s.events {
        let quotes: Vec<&str> = e.sources.iter().filter_map(|c| c.quote()).collect();
        assert!(!quotes.is_empty(), "event {} cites no sentence", e.id);
        for q in quotes {
            assert!(
                article.contains(q),
                "event {}: not in the article: {q}",
                e.id
            );
            checked += 1;
        }
    }
    for m in &s.messages {
        for q in m.sources.iter().filter_map(|c| c.quote()) {
            assert!(
                article.contains(q),
                "message {}: not in the article: {q}",
                m.id
            );
            checked += 1;
        }
    }
    for r in &s.relations {
        for q in r.sources.iter().filter_map(|c| c.quote()) {
            assert!(
                article.contains(q),
                "relation {:?}: not in the article: {q}",
                r.id
            );
            checked += 1;
        }
    }
    assert!(checked >= s.events.len());
}
