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

/// Midnight at the start of a New York day, as Unix seconds.
fn ny_day(day: &str) -> i64 {
    format!("{day}T04:00:00Z")
        .parse::<jiff::Timestamp>()
        .unwrap()
        .as_second()
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
            "assange",
            "bannon",
            "congress",
            "conway",
            "hicks",
            "kushner",
            "parscale",
            "public",
            "the-atlantic",
            "trump",
            "trump-jr",
            "twitter-public",
            "wikileaks"
        ]
    );
    let ev = |id: &str| a.get(id).unwrap().evidence;
    assert_eq!(ev("trump-jr"), Certainty::Confirmed);
    for id in [
        "kushner", "conway", "parscale", "bannon", "hicks", "congress",
    ] {
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

/// The 20 September message became public: "a series of private messages
/// released on Twitter by Trump Jr. after they were obtained by The
/// Atlantic", and "The Atlantic published the full, secret correspondance".
#[test]
fn pac_tip_made_public() {
    let s = story();
    let a = reach_story(&s, &Query::message("pac-tip")).unwrap();
    let r = |id: &str| a.get(id).unwrap_or_else(|| panic!("{id} not reached"));
    // Trump Jr.'s own release is confirmed; The Atlantic got the messages
    // through documents given to Congress (reported) and their alleged leak.
    assert_eq!(r("twitter-public").evidence, Certainty::Confirmed);
    assert_eq!(
        r("twitter-public").path.as_deref().unwrap_or_default(),
        ["dm-pac-tip", "trump-jr-releases-messages"]
    );
    assert_eq!(r("congress").evidence, Certainty::Reported);
    for id in ["the-atlantic", "public", "assange"] {
        assert_eq!(r(id).evidence, Certainty::Alleged, "{id}");
    }
    assert_eq!(
        r("public").path.as_deref().unwrap_or_default(),
        [
            "dm-pac-tip",
            "trump-jr-documents-to-congress",
            "leak-to-the-atlantic",
            "the-atlantic-publishes"
        ]
    );
    // The full correspondence ran to 11 July 2017: nothing published before.
    let july = ny_day("2017-07-11");
    for id in ["the-atlantic", "public", "assange", "twitter-public"] {
        assert_eq!(r(id).earliest, Some(july), "{id}");
        assert_eq!(r(id).timing, Timing::Definite, "{id}");
    }
    assert_eq!(r("congress").earliest, Some(ny_day("2016-09-20")));
    // At the reported threshold the alleged leak is not followed.
    let q = Query {
        threshold: Certainty::Reported,
        ..Query::message("pac-tip")
    };
    let b = reach_story(&s, &q).unwrap();
    assert!(b.get("congress").is_some());
    assert!(b.get("the-atlantic").is_none());
    assert!(b.get("twitter-public").is_some());
}

/// The order the article gives: released "after they were obtained by The
/// Atlantic"; published after obtained; no publication undated.
#[test]
fn publication_order_holds() {
    let s = story();
    let event = |id: &str| {
        s.events
            .iter()
            .find(|e| e.id == id)
            .unwrap_or_else(|| panic!("no event {id}"))
    };
    let lo = |id: &str| {
        event(id)
            .interval()
            .lo
            .unwrap_or_else(|| panic!("{id} undated"))
    };
    let obtained = lo("leak-to-the-atlantic");
    assert!(lo("trump-jr-releases-messages") >= obtained);
    assert!(lo("the-atlantic-publishes") >= obtained);
    assert!(obtained >= lo("trump-jr-documents-to-congress"));
    assert_eq!(
        event("leak-to-the-atlantic").certainty,
        Some(Certainty::Alleged)
    );
    for id in [
        "trump-jr-documents-to-congress",
        "leak-to-the-atlantic",
        "the-atlantic-publishes",
        "trump-jr-releases-messages",
    ] {
        assert!(
            event(id).carries.iter().any(|m| m == "pac-tip"),
            "{id} carries pac-tip"
        );
    }
}

#[test]
fn podesta_link_reaches_the_atlantic_through_the_full_correspondence() {
    let s = story();
    let a = reach_story(&s, &Query::message("podesta-link")).unwrap();
    let mut reached: Vec<&str> = a.reached.iter().map(|r| r.entity.as_str()).collect();
    reached.sort();
    assert_eq!(
        reached,
        [
            "assange",
            "congress",
            "public",
            "the-atlantic",
            "trump-jr",
            "wikileaks"
        ]
    );
    assert_eq!(
        a.get("congress").unwrap().earliest,
        Some(ny_day("2016-10-12"))
    );
    // Trump Sr.'s tweet is not documented to carry it.
    assert!(a.get("trump").is_none());
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
    let w = grapevine::why_not(&grapevine::StoryCatalog::new(&s), &q, "kushner").unwrap();
    assert!(!w.reached);
    assert!(
        matches!(&w.reasons[0], grapevine::analysis::why_not::Reason::TooEarly { event, sender, .. }
            if event == "trump-tower-meeting" && sender == "trump-jr"),
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
