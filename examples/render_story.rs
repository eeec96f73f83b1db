//! Build a small story in code and draw it.
//!
//! ```sh
//! cargo run --example render_story            # writes target/render_story.svg and .dot
//! ```
//!
//! The SVG needs the default cargo feature `svg` (the in-process renderer);
//! without it the example writes only the DOT text.

use grapevine::internals::model::{Citation, Parties, Source};
use grapevine::render::{alt_text, to_dot, Focus};
use grapevine::{Certainty, Entity, Event, Message, Query, Story, StoryCatalog, TimeExpr};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let tz = jiff::tz::TimeZone::get("Europe/London")?;
    let time = |text: &str| TimeExpr::parse(text, &tz);
    let person = |id: &str, name: &str| Entity {
        id: id.into(),
        name: name.into(),
        kind: Some("person".into()),
        ..Entity::default()
    };
    let story = Story {
        title: Some("How the council leak spread".into()),
        timezone: Some("Europe/London".into()),
        sources: vec![Source {
            id: "gazette".into(),
            publisher: Some("The Gazette".into()),
            title: Some("Leaked budget memo went round the town hall".into()),
            url: Some("https://example.org/gazette/leak".into()),
            ..Source::default()
        }],
        entities: vec![
            person("ana", "Ana Ortiz"),
            person("ben", "Ben Okafor"),
            person("cy", "Cy Walsh"),
            Entity {
                id: "gazette-desk".into(),
                name: "The Gazette".into(),
                kind: Some("organisation".into()),
                ..Entity::default()
            },
        ],
        messages: vec![Message {
            id: "memo".into(),
            title: Some("Budget memo".into()),
            origin: Some("ana".into()),
            time: Some(time("2024-03-04")?),
            ..Message::default()
        }],
        events: vec![
            Event {
                id: "email".into(),
                kind: Some("email".into()),
                parties: Parties::Directed {
                    from: "ana".into(),
                    to: vec!["ben".into()],
                    to_is_array: false,
                },
                time: Some(time("2024-03-04T09:15")?),
                certainty: Some(Certainty::Confirmed),
                carries: vec!["memo".into()],
                sources: vec![Citation::Full {
                    source: "gazette".into(),
                    quote: Some("Ortiz emailed the memo to Okafor that morning.".into()),
                    locator: None,
                    paraphrase: None,
                    credibility: None,
                    extra: Vec::new(),
                }],
                ..Event::default()
            },
            Event {
                id: "lunch".into(),
                kind: Some("meeting".into()),
                parties: Parties::Mutual {
                    participants: vec!["ben".into(), "cy".into()],
                },
                time: Some(time("2024-03-05")?),
                certainty: Some(Certainty::Reported),
                carries: vec!["memo".into()],
                sources: vec![Citation::Id("gazette".into())],
                ..Event::default()
            },
            Event {
                id: "tip".into(),
                kind: Some("call".into()),
                parties: Parties::Directed {
                    from: "cy".into(),
                    to: vec!["gazette-desk".into()],
                    to_is_array: false,
                },
                time: Some(time("2024-03/2024-04")?),
                certainty: Some(Certainty::Alleged),
                carries: vec!["memo".into()],
                ..Event::default()
            },
        ],
        ..Story::default()
    };

    let focus = Focus::reach(&StoryCatalog::new(&story), &Query::message("memo"))?;
    std::fs::create_dir_all("target")?;
    std::fs::write("target/render_story.dot", to_dot(&story, &focus))?;
    println!("wrote target/render_story.dot");
    #[cfg(feature = "svg")]
    {
        use grapevine::render::{to_svg, Engine};
        let svg = to_svg(&story, &focus, Engine::InProcess)?;
        std::fs::write("target/render_story.svg", svg)?;
        println!("wrote target/render_story.svg");
    }
    println!("alt text: {}", alt_text(&story, &focus));
    Ok(())
}
