//! Loads the bundled story and prints who could have seen WikiLeaks'
//! 20 September 2016 message (`pac-tip`), following its documented chain.
//!
//! Run with `cargo run --example who_saw`.

use grapevine::{load_path, reach, Query, StoryCatalog, Timing};

fn main() -> Result<(), grapevine::Error> {
    let loaded = load_path("graphs/trump-jr-wikileaks.json".as_ref())?;
    let story = &loaded.story;
    // A catalogue of the story (a CSV corpus is one too), compiled once into
    // the index, then asked: `reach_story` does all three in one call.
    let catalog = StoryCatalog::new(story);
    let (index, query) = Query::message("pac-tip").compile(&catalog)?;
    let answer = reach(&index, &query);
    println!("Who could have seen \"pac-tip\":");
    for r in &answer.reached {
        let timing = match r.timing {
            Timing::Definite => "definite",
            Timing::Possible => "possible",
        };
        let chain = r.chain(&index).join(" → ");
        println!(
            "  {:<18} {:<9} {:<10} {chain}",
            r.name,
            timing,
            r.evidence.as_str()
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
