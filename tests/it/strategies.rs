//! Proptest strategies shared by the test modules.

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
