//! Story files a person would not write but a program or an attacker might:
//! very many events, entities, messages and references, very many problems,
//! huge meetings, deep nesting, huge strings. Each is generated here, and
//! each must load (or be refused with located errors) within seconds in a
//! debug build: every reader and look-up is O(n log n) or better.
//!
//! The timings are printed (`cargo test --test it hostile -- --nocapture`);
//! the bounds asserted are loose (a shared machine), far below what the
//! quadratic readers these tests replaced took (minutes).

use std::fmt::Write as _;
use std::time::{Duration, Instant};

use grapevine::diagnostic::Severity;
use grapevine::io::load::{MAX_CHANNELS, MAX_DIAGNOSTICS};
use grapevine::{load_bytes, StoryCatalog};

/// Far above the linear readers' time in a debug build on a busy machine,
/// far below the quadratic ones'.
const BOUND: Duration = Duration::from_secs(40);

fn timed<T>(what: &str, f: impl FnOnce() -> T) -> T {
    let start = Instant::now();
    let out = f();
    let took = start.elapsed();
    println!("{what}: {took:.2?}");
    assert!(took < BOUND, "{what} took {took:?}");
    out
}

/// Loads a valid story, builds its catalogue and runs `check` on it, as the
/// command does; returns the number of warnings.
fn check_valid(what: &str, text: &str) -> usize {
    timed(what, || {
        let loaded = match load_bytes("big.json", text.as_bytes()) {
            Ok(l) => l,
            Err(r) => panic!("{}", r.render()),
        };
        let catalog = StoryCatalog::owned(loaded.story);
        let spans = loaded.event_spans;
        let (summary, report) = grapevine::render::check_report(&catalog, &loaded.report, &|e| {
            spans.get(e as usize).cloned()
        });
        assert_eq!(report.error_count(), 0);
        summary.warnings.len()
    })
}

/// `n` events among 1,000 people, dated through 2016, one message carried by
/// every hundredth event.
fn many_events(n: usize) -> String {
    let mut s = String::with_capacity(n * 100);
    s.push_str("{\"format\": \"grapevine/1\", \"entities\": [\n");
    for i in 0..1000 {
        let sep = if i == 0 { "" } else { ",\n" };
        let _ = write!(s, "{sep}{{\"id\": \"p{i}\", \"name\": \"Person {i}\"}}");
    }
    s.push_str("],\n\"messages\": [{\"id\": \"m\", \"origin\": \"p0\", \"time\": \"2016\"}],\n\"events\": [\n");
    for i in 0..n {
        let sep = if i == 0 { "" } else { ",\n" };
        let carries = if i % 100 == 0 {
            ", \"carries\": [\"m\"]"
        } else {
            ""
        };
        let _ = write!(
            s,
            "{sep}{{\"id\": \"e{i}\", \"from\": \"p{}\", \"to\": \"p{}\", \"time\": \"2016-{:02}-{:02}T{:02}:{:02}\"{carries}}}",
            i % 1000,
            (i * 7 + 1) % 1000,
            1 + i % 12,
            1 + i % 28,
            i % 24,
            i % 60
        );
    }
    s.push_str("]}\n");
    s
}

#[test]
fn two_hundred_thousand_events_load_and_check_within_seconds() {
    let text = many_events(200_000);
    check_valid("200,000 events", &text);
}

/// The size of the issue; about 4 s in a release build, longer in debug.
#[test]
#[ignore = "a million events take tens of seconds in a debug build; run with --ignored, or in release"]
fn a_million_events_load_and_check_within_seconds() {
    let text = many_events(1_000_000);
    check_valid("1,000,000 events", &text);
}

#[test]
fn a_hundred_thousand_entities_load_and_check_within_seconds() {
    let n = 100_000;
    let mut s = String::from("{\"format\": \"grapevine/1\", \"entities\": [\n");
    for i in 0..n {
        let sep = if i == 0 { "" } else { ",\n" };
        let _ = write!(
            s,
            "{sep}{{\"id\": \"person-{i}\", \"name\": \"Person {i}\", \"aliases\": [\"P{i}\"]}}"
        );
    }
    // Every entity is named by a relation and by an event (none takes part
    // in nothing), every reference resolved by id.
    s.push_str("],\n\"events\": [\n");
    for i in 0..n {
        let sep = if i == 0 { "" } else { ",\n" };
        let _ = write!(
            s,
            "{sep}{{\"id\": \"e{i}\", \"participants\": [\"person-{i}\", \"person-{}\"]}}",
            (i + 1) % n
        );
    }
    s.push_str("],\n\"relations\": [\n");
    for i in 0..n {
        let sep = if i == 0 { "" } else { ",\n" };
        let _ = write!(
            s,
            "{sep}{{\"from\": \"person-{i}\", \"to\": \"person-{}\"}}",
            (i + 7) % n
        );
    }
    s.push_str("]}\n");
    assert_eq!(check_valid("100,000 entities", &s), 0);
}

#[test]
fn a_hundred_thousand_messages_in_one_carries_load_and_check_within_seconds() {
    let n = 100_000;
    let mut s = String::from(
        "{\"format\": \"grapevine/1\", \"entities\": [{\"id\": \"a\", \"name\": \"A\"}, {\"id\": \"b\", \"name\": \"B\"}],\n\"messages\": [\n",
    );
    for i in 0..n {
        let sep = if i == 0 { "" } else { ",\n" };
        let _ = write!(s, "{sep}{{\"id\": \"m{i}\", \"origin\": \"a\"}}");
    }
    s.push_str("],\n\"events\": [{\"id\": \"e\", \"from\": \"a\", \"to\": \"b\", \"carries\": [");
    for i in 0..n {
        let sep = if i == 0 { "" } else { ", " };
        let _ = write!(s, "{sep}\"m{i}\"");
    }
    s.push_str("]}]}\n");
    check_valid("100,000 carries", &s);
}

/// 100,000 events naming 100,000 different entities that do not exist,
/// among 100,000 that do: each unknown id would be compared with every
/// defined one for a suggestion. The comparisons stay within a budget, the
/// report is capped, and it renders quickly.
#[test]
fn a_hundred_thousand_unknown_ids_are_reported_within_seconds() {
    let n = 100_000;
    let mut s = String::from("{\"format\": \"grapevine/1\", \"entities\": [\n");
    for i in 0..n {
        let sep = if i == 0 { "" } else { ",\n" };
        let _ = write!(s, "{sep}{{\"id\": \"person-{i}\", \"name\": \"P\"}}");
    }
    s.push_str("],\n\"events\": [\n");
    for i in 0..n {
        let sep = if i == 0 { "" } else { ",\n" };
        let _ = write!(
            s,
            "{sep}{{\"id\": \"e{i}\", \"from\": \"person-{i}\", \"to\": \"persn-{i}x\"}}"
        );
    }
    s.push_str("]}\n");
    let report = timed("100,000 unknown ids", || {
        load_bytes("unknown.json", s.as_bytes()).expect_err("unknown ids")
    });
    assert_eq!(report.diagnostics.len(), MAX_DIAGNOSTICS + 1);
    let last = report.diagnostics.last().expect("a summary");
    assert_eq!(last.severity, Severity::Error);
    assert_eq!(
        last.message,
        format!("{} more errors not shown", n - MAX_DIAGNOSTICS)
    );
    // The first unknown ids still get a suggestion.
    let first = &report.diagnostics[0];
    assert!(
        first.message.starts_with("unknown entity \"persn-0x\""),
        "{}",
        first.message
    );
    assert!(
        first
            .help
            .as_deref()
            .unwrap_or("")
            .contains("did you mean \"person-0\"?"),
        "{:?}",
        first.help
    );
    let rendered = timed("rendering 1,001 errors", || report.render());
    assert!(rendered.contains("more errors not shown"));
    let json = timed("1,001 errors as JSON", || report.to_json());
    assert_eq!(json[0].line, Some(100_003));
}

/// The same typo a hundred thousand times costs one search.
#[test]
fn one_typo_repeated_is_searched_once() {
    let n = 100_000;
    let mut s = String::from("{\"format\": \"grapevine/1\", \"entities\": [\n");
    for i in 0..n {
        let sep = if i == 0 { "" } else { ",\n" };
        let _ = write!(s, "{sep}{{\"id\": \"person-{i}\", \"name\": \"P\"}}");
    }
    s.push_str("],\n\"events\": [{\"id\": \"e\", \"from\": \"person-1\", \"to\": [");
    for i in 0..n {
        let sep = if i == 0 { "" } else { ", " };
        let _ = write!(s, "{sep}\"persn-1\"");
    }
    s.push_str("]}]}\n");
    let report = timed("one typo 100,000 times", || {
        load_bytes("typo.json", s.as_bytes()).expect_err("a typo")
    });
    assert!(report.diagnostics[0]
        .help
        .as_deref()
        .unwrap_or("")
        .contains("did you mean \"person-1\"?"));
}

/// A meeting of 10,000 people opens 10^8 channels: refused, located, at once.
#[test]
fn a_huge_meeting_is_refused_before_its_channels_are_made() {
    let n = 10_000;
    let mut s = String::from("{\"format\": \"grapevine/1\", \"entities\": [\n");
    for i in 0..n {
        let sep = if i == 0 { "" } else { ",\n" };
        let _ = write!(s, "{sep}{{\"id\": \"p{i}\", \"name\": \"P\"}}");
    }
    s.push_str("],\n\"events\": [{\"id\": \"townhall\", \"participants\": [");
    for i in 0..n {
        let sep = if i == 0 { "" } else { ", " };
        let _ = write!(s, "{sep}\"p{i}\"");
    }
    s.push_str("]}]}\n");
    let report = timed("a meeting of 10,000", || {
        load_bytes("meeting.json", s.as_bytes()).expect_err("too many channels")
    });
    assert_eq!(report.error_count(), 1, "{}", report.render());
    let d = &report.diagnostics[0];
    assert_eq!(
        d.message,
        format!(
            "event \"townhall\" field \"participants\" takes the story past {MAX_CHANNELS} channels (this event opens {})",
            n * (n - 1)
        )
    );
    assert!(d.help.as_deref().unwrap_or("").contains("group entity"));
    assert!(report.render().contains("--> meeting.json:10002:"));
}

/// Deep nesting in an unknown field, a huge string, an object with very
/// many fields (some twice): no stack overflow, no quadratic check, and
/// errors located.
#[test]
fn deep_wide_and_long_values_are_handled() {
    let head = "{\"format\": \"grapevine/1\", \"entities\": [{\"id\": \"a\", \"name\": \"A\"}], \"x-deep\": ";
    let deep = format!("{head}{}", "[".repeat(1_000_000));
    let report = timed("a million [", || {
        load_bytes("deep.json", deep.as_bytes()).expect_err("too deep")
    });
    assert!(report.diagnostics[0]
        .message
        .contains("nested more than 128 deep"));
    assert!(report.render().contains("--> deep.json:1:"));

    let long_name = "é".repeat(5_000_000);
    let text = format!("{head}1, \"title\": \"{long_name}\"}}");
    let loaded = timed("a 10 MB string", || {
        load_bytes("long.json", text.as_bytes())
    });
    let loaded = loaded.expect("a long title is fine");
    assert_eq!(loaded.story.title.as_deref(), Some(long_name.as_str()));

    let mut wide = String::from(
        "{\"format\": \"grapevine/1\", \"entities\": [{\"id\": \"a\", \"name\": \"A\"",
    );
    for i in 0..100_000 {
        let _ = write!(wide, ", \"x-{}\": {i}", i % 50_000);
    }
    wide.push_str("}]}");
    let report = timed("100,000 fields, 50,000 twice", || {
        load_bytes("wide.json", wide.as_bytes()).expect_err("keys twice")
    });
    // Errors come before warnings: the first 1,000 keys written twice, then
    // one line for the other 49,000 and the 50,000 unknown fields.
    assert_eq!(report.error_count(), MAX_DIAGNOSTICS + 1);
    assert!(report.diagnostics[0]
        .message
        .contains("has the field \"x-0\" twice"));
    assert_eq!(
        report.diagnostics[MAX_DIAGNOSTICS].message,
        "49000 more errors and 50000 more warnings not shown"
    );
}

/// A minified file (one long line) with very many problems: each is shown as
/// an excerpt of its line, and the capped report renders within seconds.
#[test]
fn a_minified_file_with_many_problems_renders_within_seconds() {
    let n = 20_000;
    let mut s = String::from("{\"format\": \"grapevine/1\", \"entities\": [{\"id\": \"a\", \"name\": \"A\"}], \"events\": [");
    for i in 0..n {
        let sep = if i == 0 { "" } else { "," };
        let _ = write!(
            s,
            "{sep}{{\"id\": \"e{i}\", \"from\": \"a\", \"to\": \"b{i}\"}}"
        );
    }
    s.push_str("]}");
    let report = timed("20,000 errors on one line", || {
        load_bytes("min.json", s.as_bytes()).expect_err("unknown ids")
    });
    let out = timed("rendering them", || report.render());
    assert!(out.lines().all(|l| l.chars().count() < 400));
    assert!(out.contains(&format!("{} more errors not shown", n - MAX_DIAGNOSTICS)));
}
