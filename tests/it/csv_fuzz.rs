//! Hostile CSV input: random bytes and mutations of valid contact lists never
//! make the reader panic; whatever it accepts can be queried, summarised and
//! turned into a story; whatever it rejects comes with a located error.

use grapevine::io::csv::{Corpus, CsvOptions};
use grapevine::Catalog;
use grapevine::{Error, Query};
use proptest::prelude::*;

const VALID: &str = "from,to,time,id,kind,certainty,carries
a@x.org,b@x.org,1474329600,e1,email,confirmed,tip
b@x.org,c@x.org,1474329600,e2,forward,reported,tip
\"c@x.org\",\"d, the \"\"boss\"\"\",2016-09-21,e3,meeting,alleged,
d@x.org,a@x.org,2016-09-20T12:00Z/..,e4,,unknown,tip;other
e@x.org,a@x.org,../2016-09,e5,other,,
";

/// Reads `bytes` both ways (one thread and two, skipping bad rows or not)
/// and uses whatever loads.
fn exercise(bytes: &[u8]) -> Result<(), TestCaseError> {
    for (threads, skip_bad_rows) in [(1, false), (2, false), (2, true)] {
        let options = CsvOptions {
            skip_bad_rows,
            threads,
            ..CsvOptions::default()
        };
        match Corpus::parse("fuzz.csv", bytes, &options) {
            Ok(corpus) => {
                let _ = grapevine::analysis::summary::summarise(&corpus, "fuzz.csv");
                if corpus.entity_count() > 0 {
                    let id = corpus.entity_ids().get(0).to_string();
                    for strict in [false, true] {
                        let q = Query {
                            strict,
                            ..Query::from_entity(&id)
                        };
                        if let Ok((index, rq)) = q.compile(&corpus) {
                            let _ = grapevine::reach(&index, &rq);
                        }
                    }
                }
                if let Ok(story) = corpus.to_story() {
                    let text = grapevine::to_json(&story);
                    prop_assert!(
                        grapevine::load_str("back.json", &text).is_ok(),
                        "import does not load:\n{text}"
                    );
                }
            }
            Err(Error::Invalid(report)) => {
                prop_assert!(report.error_count() > 0, "rejected without an error");
                for d in &report.diagnostics {
                    prop_assert!(!d.message.is_empty());
                }
                let _ = report.render();
            }
            Err(other) => prop_assert!(false, "unexpected error kind: {other}"),
        }
    }
    Ok(())
}

#[test]
fn the_valid_file_loads() {
    let corpus = Corpus::parse("ok.csv", VALID.as_bytes(), &CsvOptions::default()).unwrap();
    assert_eq!(corpus.row_count(), 5);
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

    #[test]
    fn random_bytes_never_panic(bytes in proptest::collection::vec(any::<u8>(), 0..400)) {
        exercise(&bytes)?;
    }

    #[test]
    fn csv_like_text_never_panics(text in "[a-e@.,\"\\n\\r0-9:TZ/;-]{0,300}") {
        exercise(format!("from,to,time\n{text}").as_bytes())?;
    }

    #[test]
    fn mutations_of_a_valid_file_never_panic(
        edits in proptest::collection::vec((0usize..400, any::<u8>(), 0u8..4), 1..6)
    ) {
        let mut bytes = VALID.as_bytes().to_vec();
        for (at, byte, op) in edits {
            let at = at % (bytes.len() + 1);
            match op {
                0 => bytes.insert(at, byte),
                1 if at < bytes.len() => { bytes.remove(at); }
                2 if at < bytes.len() => bytes[at] = byte,
                _ => bytes.truncate(at),
            }
        }
        exercise(&bytes)?;
    }
}
