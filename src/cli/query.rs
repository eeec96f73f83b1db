//! The reachability query the flags ask.

use crate::{Mode, Origin, Query};

use super::args::{QueryOptions, SourceArgs};

/// The query the flags ask; `paths`: fill each row's path (`false`:
/// `--no-paths`).
pub fn build_query(
    source: &SourceArgs,
    mode: Option<Mode>,
    options: &QueryOptions,
    paths: bool,
) -> Query {
    let origin = match (&source.message, &source.from) {
        (Some(m), _) => Origin::Message(m.clone()),
        (None, Some(f)) => Origin::Entity(f.clone()),
        (None, None) => Origin::Entity(String::new()),
    };
    let mode = match (mode, &source.message) {
        (Some(Mode::Message), _) => Mode::Message,
        (Some(Mode::Contacts), _) => Mode::Contacts,
        (None, Some(_)) => Mode::Message,
        (None, None) => Mode::Contacts,
    };
    Query {
        origin,
        from: if source.message.is_some() {
            source.from.clone()
        } else {
            None
        },
        since: source.since.clone(),
        mode,
        threshold: options.threshold,
        strict: options.strict,
        until: options.until.clone(),
        paths,
    }
}
