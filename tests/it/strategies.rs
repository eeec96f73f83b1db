//! Proptest strategies shared by the test modules.

use grapevine::internals::model::Parties;
use grapevine::Certainty;
use proptest::prelude::*;

/// A certainty as an event may write it: absent (reported) or one of the four.
pub fn certainty() -> impl Strategy<Value = Option<Certainty>> {
    prop_oneof![
        Just(None),
        Just(Some(Certainty::Confirmed)),
        Just(Some(Certainty::Reported)),
        Just(Some(Certainty::Alleged)),
        Just(Some(Certainty::Unknown)),
    ]
}

/// The parties of a random event: a mutual contact among the distinct people
/// (none when fewer than two), or a directed one from the first to the rest.
pub fn parties(mut people: Vec<String>, mutual: bool) -> Option<Parties> {
    if mutual {
        people.sort();
        people.dedup();
        (people.len() >= 2).then_some(Parties::Mutual {
            participants: people,
        })
    } else {
        let from = people.remove(0);
        Some(Parties::Directed {
            to_is_array: people.len() > 1,
            to: people,
            from,
        })
    }
}
