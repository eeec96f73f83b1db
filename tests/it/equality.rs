//! One engine: every command gives the same answer on a CSV contact list and
//! on the story `import` makes of it (through the library, as the command
//! line calls it).

use std::collections::BTreeSet;

use grapevine::analysis::summary::summarise;
use grapevine::analysis::timeline::{timeline, TimelineQuery};
use grapevine::internals::io::csv::{Corpus, CsvOptions};
use grapevine::render::{alt_text, to_dot, Focus};
use grapevine::{Catalog, Certainty, Query, StoryCatalog};
use proptest::prelude::*;

const TIMES: [&str; 9] = [
    "1474365600",
    "1474372800",
    "2016-09-20",
    "2016-09-20T10:00:00Z",
    "2016-09-21T08:30Z",
    "2016-09",
    "2016-09-20/2016-09-22",
    "../2016-09-21",
    "",
];
const CERTAINTIES: [&str; 5] = ["", "confirmed", "reported", "alleged", "unknown"];
const KINDS: [&str; 3] = ["", "email", "forward"];

#[derive(Debug, Clone)]
struct Row {
    from: usize,
    to: usize,
    time: usize,
    certainty: usize,
    kind: usize,
    carries: bool,
}

fn row(n: usize) -> impl Strategy<Value = Row> {
    (
        0..n,
        0..n,
        0..TIMES.len(),
        0..CERTAINTIES.len(),
        0..KINDS.len(),
        any::<bool>(),
    )
        .prop_filter("no self-contact", |r| r.0 != r.1)
        .prop_map(|(from, to, time, certainty, kind, carries)| Row {
            from,
            to,
            time,
            certainty,
            kind,
            carries,
        })
}

fn csv(rows: &[Row]) -> String {
    let mut s = String::from("from,to,time,certainty,kind,carries\n");
    for r in rows {
        s.push_str(&format!(
            "p{}@x.org,p{}@x.org,{},{},{},{}\n",
            r.from,
            r.to,
            TIMES[r.time],
            CERTAINTIES[r.certainty],
            KINDS[r.kind],
            if r.carries { "m" } else { "" }
        ));
    }
    s
}

fn json<T: serde::Serialize>(r: Result<T, grapevine::Error>) -> String {
    match r {
        Ok(v) => serde_json::to_string(&v).unwrap_or_default(),
        // The wording names the input (a story, a CSV file); the kind agrees.
        Err(e) => format!("error: {:?}", e.kind()),
    }
}

/// Every question asked of `cat`, answered as text.
fn answers(cat: &dyn Catalog) -> Vec<String> {
    let mut out = Vec::new();
    let ids: Vec<String> = grapevine::internals::catalog::EntityId::all(cat.entity_count())
        .map(|u| cat.entity_id(u).to_string())
        .collect::<BTreeSet<_>>()
        .into_iter()
        .collect();
    let mut queries = Vec::new();
    for id in ids.iter().take(3) {
        for strict in [false, true] {
            for threshold in [Certainty::Unknown, Certainty::Reported] {
                queries.push(Query {
                    strict,
                    threshold,
                    since: Some("2016-09-20".into()),
                    ..Query::from_entity(id)
                });
            }
        }
        queries.push(Query {
            until: Some("2016-09-20".into()),
            ..Query::from_entity(id)
        });
    }
    queries.push(Query::message("m"));
    for q in &queries {
        let reach = q.compile(cat).map(|(i, rq)| grapevine::reach(&i, &rq));
        out.push(json(reach));
        for target in ids.iter().take(4) {
            out.push(json(grapevine::why_not(cat, q, target)));
            let path = q.compile(cat).and_then(|(i, rq)| {
                let t = cat
                    .resolve_entity(target)
                    .map_err(grapevine::Error::Query)?;
                Ok(grapevine::path(&i, &rq, t))
            });
            out.push(json(path));
        }
        if let Ok(focus) = Focus::reach(cat, q) {
            let story = cat.excerpt(focus.entities.as_ref(), focus.events.as_ref());
            out.push(to_dot(&story, &focus));
            out.push(alt_text(&story, &focus));
        }
    }
    out.push(json(timeline(cat, &TimelineQuery::default())));
    for id in ids.iter().take(2) {
        let q = TimelineQuery {
            entity: Some(id.clone()),
            between: Some(("2016-09-20".into(), "2016-09-21".into())),
            threshold: Certainty::Alleged,
        };
        out.push(json(timeline(cat, &q)));
    }
    let mut summary = summarise(cat, "");
    summary.file.clear();
    out.push(json(Ok::<_, grapevine::Error>(summary)));
    out
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(200))]

    #[test]
    fn a_csv_and_its_import_answer_alike(rows in proptest::collection::vec(row(5), 1..14)) {
        let text = csv(&rows);
        let corpus = Corpus::parse("c.csv", text.as_bytes(), &CsvOptions::default())
            .expect("generated CSV reads");
        let story = corpus.to_story().expect("import");
        let saved = grapevine::to_json(&story);
        let loaded = grapevine::load_str("c.json", &saved).expect("the import loads");
        let catalog = StoryCatalog::new(&loaded.story);
        let (a, b) = (answers(&corpus), answers(&catalog));
        prop_assert_eq!(a.len(), b.len());
        for (x, y) in a.iter().zip(&b) {
            prop_assert_eq!(x, y, "\n{}", text);
        }
    }
}
