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

/// Times of the random stories' events, as written (some exact seconds,
/// days, a month, open and closed intervals, a flag).
pub const TIMES: &[&str] = &[
    "2016-09-20T00:00:00",
    "2016-09-20T00:00:01",
    "2016-09-20T00:00:02",
    "2016-09-20T00:00:03",
    "2016-09-20T00:01",
    "2016-09-20",
    "2016-09-21",
    "2016-09-22",
    "2016-09",
    "2016-09-20/..",
    "2016-09-21/..",
    "../2016-09-20",
    "../2016-09-21T00:00:00",
    "2016-09-20/2016-09-21",
    "2016-09-20T00:00:02/2016-09-20T00:00:05",
    "2016-09-21T12:00~",
];

/// `--until` values and targets' times (each has an end): `T` is the last
/// second of each, so some fall between and some on [`TIMES`].
pub const UNTILS: &[&str] = &[
    "2016-08",
    "2016-09-20T00:00:00",
    "2016-09-20T00:00:01",
    "2016-09-20T00:00:02",
    "2016-09-20T00:00:04",
    "2016-09-20T00:01",
    "2016-09-20",
    "2016-09-21T12:00",
    "2016-09-21",
    "../2016-09-22",
    "2016-09",
];

/// Display names: fewer than entities, so that some share one, and not in
/// the order of the ids (`p0`, `p1`, ...), so that sorting by id is wrong.
pub const NAMES: &[&str] = &["Dee", "Cy", "Bob", "Ann"];

/// One random event: mutual or directed among `people` (indices), at
/// `TIMES[time]` (none: undated), of a certainty, carrying the message or not.
#[derive(Debug, Clone)]
pub struct EventSpec {
    pub mutual: bool,
    pub people: Vec<usize>,
    pub time: Option<usize>,
    pub certainty: Option<Certainty>,
    pub carries: bool,
}

/// A random event among `n` entities, of 2 to `people - 1` parties, at one
/// of the first `times` of [`TIMES`].
pub fn event_spec(n: usize, people: usize, times: usize) -> impl Strategy<Value = EventSpec> {
    (
        any::<bool>(),
        proptest::collection::vec(0..n, 2..people),
        proptest::option::weighted(0.9, 0..times),
        certainty(),
        proptest::bool::weighted(0.6),
    )
        .prop_map(|(mutual, people, time, certainty, carries)| EventSpec {
            mutual,
            people,
            time,
            certainty,
            carries,
        })
}
