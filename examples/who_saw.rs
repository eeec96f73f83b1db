//! Loads the bundled story and prints who could have seen WikiLeaks'
//! 20 September 2016 message (`pac-tip`), following its documented chain.
//!
//! Run with `cargo run --example who_saw`.

use grapevine::{load_path, reach_story, Query, Timing};

fn main() -> Result<(), grapevine::Error> {
    let loaded = load_path("graphs/trump-jr-wikileaks.json".as_ref())?;
    let story = &loaded.story;
    let answer = reach_story(story, &Query::message("pac-tip"))?;
    println!("Who could have seen \"pac-tip\":");
    for r in &answer.reached {
        let timing = match r.timing {
            Timing::Definite => "definite",
            Timing::Possible => "possible",
        };
        println!(
            "  {:<18} {:<9} {:<10} {}",
            r.name,
            timing,
            r.evidence.as_str(),
            r.chain.join(" → ")
        );
    }
    let missed: Vec<&str> = answer
        .not_reached
        .iter()
        .map(|id| story.name_of(id))
        .collect();
    println!("Not reached: {}", missed.join(", "));
    Ok(())
}
