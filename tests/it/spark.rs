//! The Spark job (`spark/grapevine_reach.py`) against `reach --json`: on
//! every story in `graphs/` and on generated corpora, `grapevine export
//! --to parquet`, the job, then `grapevine reach --answer OUT --json` must
//! print exactly the bytes of `grapevine reach INPUT <options> --json`.
//!
//! Needs Python with `pyspark` (and Java): `GRAPEVINE_SPARK_PYTHON`, else
//! `target/venv-spark/bin/python` (`.ci/run` makes it). Skips without it,
//! unless `GRAPEVINE_REQUIRE_SPARK=1`. All cases run in one Spark session
//! (`--batch`), on `GRAPEVINE_SPARK_MASTER` (default `local-cluster[2,1,1024]`:
//! two executor processes).

use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Instant;

use super::corpus::gen;

const BIN: &str = env!("CARGO_BIN_EXE_grapevine");

/// Python with pyspark, and its package folder (SPARK_HOME), if any.
fn spark_python() -> Option<(PathBuf, PathBuf)> {
    let python = std::env::var_os("GRAPEVINE_SPARK_PYTHON")
        .map(PathBuf::from)
        .unwrap_or_else(|| {
            Path::new(env!("CARGO_MANIFEST_DIR")).join("target/venv-spark/bin/python")
        });
    let out = Command::new(&python)
        .args([
            "-c",
            "import os, pyspark; print(os.path.dirname(pyspark.__file__))",
        ])
        .output()
        .ok()?;
    if !out.status.success() {
        return None;
    }
    let home = PathBuf::from(String::from_utf8_lossy(&out.stdout).trim());
    Some((python, home))
}

/// One question: the input, its tables and the options.
struct Case {
    input: PathBuf,
    tables: PathBuf,
    options: Vec<String>,
    out: PathBuf,
    /// `reach` refuses it: the job must refuse it too.
    refused: bool,
}

/// The questions beyond each story's own: `--from` by a name, an alias,
/// in another case, with accents folded, with spaces around; `--since`
/// and `--until` in the forms `reach` reads (every form is checked
/// against `reach` without Spark in `job_reads_times_as_reach_does`);
/// and what `reach` refuses (`true`): unknown and ambiguous names, times
/// it does not read.
#[rustfmt::skip]
const EXTRA: &[(&str, &[&str], bool)] = &[
    ("panama-papers", &["--from", "SÜDDEUTSCHE ZEITUNG", "--since", "2015-02"], false),
    ("panama-papers", &["--from", "Johannes Kristjansson", "--strict", "--since", "2016-04-03T20:00+02:00"], false),
    ("panama-papers", &["--from", "Kastljós viewer"], true),
    ("trump-jr-wikileaks", &["--from", " trump jr. ", "--since", "2016-09-20T14:05", "--until", "2017-07"], false),
    ("trump-jr-wikileaks", &["--from", "Kremlin", "--since", "../2016-06", "--until", "2016-11~"], false),
    ("trump-jr-wikileaks", &["--from", "wikileaks", "--since", "2016-10-03T01:00+05", "--until", "2017-07-11/.."], true),
    ("trump-jr-wikileaks", &["--from", "wikileaks", "--since", "1474329600"], false),
    ("trump-jr-wikileaks", &["--from", "wikileaks", "--since", "2016-09-20 10:00"], true),
    ("trump-jr-wikileaks", &["--from", "wikileaks", "--since", "2016-03-13T02:30"], true),
    ("trump-jr-wikileaks", &["--from", "wikileaks", "--until", "2016-02-30"], true),
    ("hunter-biden-laptop", &["--from", "HUNTER BIDEN", "--since", "2019-04?", "--until", "2020-10-14T20:00:30Z"], false),
    ("snowden-first-stories", &["--message", "prism", "--from", "VERAX"], false),
    ("snowden-first-stories", &["--message", "prism", "--from", "glenn"], true),
    ("ambiguous", &["--from", "DJT"], true),
    ("ambiguous", &["--from", "nobody"], true),
    ("ambiguous", &["--from", "ZOE UNAL", "--since", "2020-01-02T03:04:05"], false),
    ("ambiguous", &["--from", "z’s alias", "--since", "2020-01-01T10:00:00-0400", "--until", "2020%"], false),
];

/// A story of its own for names `reach` finds or refuses: an alias two
/// entities share, a name with accents, an alias with a curly apostrophe.
const AMBIGUOUS: &str = r#"{"format": "grapevine/1", "timezone": "Europe/Paris",
  "entities": [
    {"id": "a", "name": "Donald", "aliases": ["DJT"]},
    {"id": "b", "name": "Donald Jr.", "aliases": ["djt"]},
    {"id": "c", "name": "Zoë Ünal", "aliases": ["Z's alias"]}],
  "events": [
    {"id": "e", "participants": ["a", "b"], "time": "2020-01-01"},
    {"id": "f", "participants": ["b", "c"], "time": "2020-01-02T10:00"},
    {"id": "g", "participants": ["c", "a"], "time": "2020-01-03/2020-01-04"}]}"#;

fn grapevine(args: &[&str]) -> Vec<u8> {
    let out = Command::new(BIN).args(args).output().unwrap();
    assert!(
        out.status.success(),
        "grapevine {args:?} failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    out.stdout
}

fn export(input: &Path, tables: &Path) {
    let (i, t) = (input.to_str().unwrap(), tables.to_str().unwrap());
    grapevine(&["export", i, "--to", "parquet", "-o", t]);
}

/// The stories' cases: each message traced (holdings included); contacts
/// strict from the first message's origin and time (meetings, intervals);
/// contacts from that origin at a threshold, by a date (evidence, until).
fn story_cases(dir: &Path, cases: &mut Vec<Case>) {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("graphs");
    let mut stories: Vec<PathBuf> = std::fs::read_dir(&root)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| {
            let name = p.file_name().unwrap().to_string_lossy().to_string();
            name.ends_with(".json") && !name.ends_with(".questions.json")
        })
        .collect();
    stories.sort();
    let ambiguous = dir.join("ambiguous.json");
    std::fs::write(&ambiguous, AMBIGUOUS).unwrap();
    stories.push(ambiguous);
    for story in stories {
        let stem = story.file_stem().unwrap().to_string_lossy().to_string();
        let tables = dir.join(format!("{stem}.pq"));
        export(&story, &tables);
        let loaded = grapevine::load_path(&story).unwrap().story;
        let mut questions: Vec<(Vec<String>, bool)> = EXTRA
            .iter()
            .filter(|(name, _, _)| *name == stem)
            .map(|(_, options, refused)| {
                (options.iter().map(|o| o.to_string()).collect(), *refused)
            })
            .collect();
        for m in &loaded.messages {
            questions.push((vec!["--message".into(), m.id.clone()], false));
        }
        if let Some(m) = loaded.messages.first() {
            let options = ["--message", &m.id, "--mode", "contacts", "--strict"];
            questions.push((options.map(String::from).to_vec(), false));
        }
        let from = loaded
            .messages
            .iter()
            .find_map(|m| m.origin.clone())
            .unwrap_or_else(|| loaded.entities[0].id.clone());
        let options = [
            "--from",
            &from,
            "--threshold",
            "reported",
            "--until",
            "2017",
        ];
        if stem != "ambiguous" {
            questions.push((options.map(String::from).to_vec(), false));
        }
        for (options, refused) in questions {
            let out = dir.join(format!("{stem}.{}", cases.len()));
            cases.push(Case {
                input: story.clone(),
                tables: tables.clone(),
                options,
                out,
                refused,
            });
        }
    }
}

/// The generated corpora's cases: contacts from entity 0; the first corpus
/// also through the job's `prepare` (its lines go in `prepare`), asked by
/// the entity's name in capitals (the job folds names without `keys`).
fn corpus_cases(dir: &Path, cases: &mut Vec<Case>, prepare: &mut String) {
    use gen::{CorpusSpec, Family};
    let specs = [
        (10_000, Family::Uniform, false, false),
        (10_000, Family::Mail, false, false),
        (10_000, Family::Mail, true, true),
        (10_000, Family::Uniform, false, true),
        (100_000, Family::Uniform, false, false),
        (100_000, Family::Mail, false, true),
    ];
    for (k, &(events, family, shuffled, strict)) in specs.iter().enumerate() {
        let spec = CorpusSpec {
            family,
            shuffle_within_second: shuffled,
            ..CorpusSpec::new(events)
        };
        let input = dir.join(format!("corpus{k}.csv"));
        std::fs::write(&input, gen::csv(&spec)).unwrap();
        let tables = dir.join(format!("corpus{k}.pq"));
        export(&input, &tables);
        let mut options = vec!["--from".to_string(), gen::name(spec.ids, 0)];
        if strict {
            options.push("--strict".into());
        }
        let out = dir.join(format!("corpus{k}.out"));
        if k == 0 {
            let prepared = dir.join("corpus0.prepared");
            writeln!(
                prepare,
                "prepare {} {}",
                quoted(input.to_str().unwrap()),
                quoted(prepared.to_str().unwrap())
            )
            .unwrap();
            // By the name in capitals: the job folds names itself (no `keys`).
            let mut by_name = options.clone();
            by_name[1] = by_name[1].to_uppercase();
            cases.push(Case {
                input: input.clone(),
                tables: prepared,
                options: by_name,
                out: dir.join("corpus0.prepared.out"),
                refused: false,
            });
        }
        cases.push(Case {
            input,
            tables,
            options,
            out,
            refused: false,
        });
    }
}

fn quoted(s: &str) -> String {
    format!("'{}'", s.replace('\'', "'\\''"))
}

#[test]
fn spark_answers_are_reach_json() {
    let Some((python, home)) = spark_python() else {
        assert!(
            std::env::var("GRAPEVINE_REQUIRE_SPARK").as_deref() != Ok("1"),
            "GRAPEVINE_REQUIRE_SPARK=1 but no Python with pyspark (GRAPEVINE_SPARK_PYTHON or target/venv-spark)"
        );
        eprintln!("skipped: no Python with pyspark");
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let mut cases = Vec::new();
    story_cases(dir.path(), &mut cases);
    let mut batch = String::new();
    corpus_cases(dir.path(), &mut cases, &mut batch);
    for (i, c) in cases.iter().enumerate() {
        // The first as a cluster names its storage: URLs (here file://),
        // read and written through Spark's Hadoop file systems.
        let url = if i == 0 { "file://" } else { "" };
        let mut line = format!(
            "{} {}",
            quoted(&format!("{url}{}", c.tables.display())),
            quoted(&format!("{url}{}", c.out.display()))
        );
        for o in &c.options {
            write!(line, " {}", quoted(o)).unwrap();
        }
        batch.push_str(&line);
        batch.push('\n');
    }
    let batch_file = dir.path().join("batch");
    std::fs::write(&batch_file, &batch).unwrap();
    let master = std::env::var("GRAPEVINE_SPARK_MASTER")
        .unwrap_or_else(|_| "local-cluster[2,1,1024]".to_string());
    let job = Path::new(env!("CARGO_MANIFEST_DIR")).join("spark/grapevine_reach.py");
    let started = Instant::now();
    let run = Command::new(&python)
        .arg(&job)
        .arg("--batch")
        .arg(&batch_file)
        .args(["--master", &master])
        .env("SPARK_HOME", &home)
        .env("PYSPARK_PYTHON", &python)
        // Questions side by side on threads of the one session, small shuffles.
        .env(
            "GRAPEVINE_SPARK_THREADS",
            std::env::var("GRAPEVINE_SPARK_THREADS").unwrap_or_else(|_| "4".into()),
        )
        .env(
            "GRAPEVINE_SPARK_PARTITIONS",
            std::env::var("GRAPEVINE_SPARK_PARTITIONS").unwrap_or_else(|_| "2".into()),
        )
        .output()
        .unwrap();
    let log = String::from_utf8_lossy(&run.stderr);
    let steps: Vec<&str> = log.lines().filter(|l| l.contains("supersteps")).collect();
    eprintln!(
        "spark: {} cases in {:.0} s on {master}\n{}",
        cases.len(),
        started.elapsed().as_secs_f64(),
        steps.join("\n")
    );
    // A refused question makes the job exit with 2 (a crash: 1).
    let want = if cases.iter().any(|c| c.refused) {
        2
    } else {
        0
    };
    assert_eq!(
        run.status.code(),
        Some(want),
        "the Spark job failed:\n{log}"
    );
    check_answers(&cases, &log);
}

/// Each case's answer is `reach --json`'s bytes; a case `reach` refuses
/// (exit code 2) the job refused too (`error: OUT: ...`), and no other.
fn check_answers(cases: &[Case], log: &str) {
    let mut differ = Vec::new();
    for c in cases {
        let mut args: Vec<&str> = vec!["reach", c.input.to_str().unwrap()];
        args.extend(c.options.iter().map(String::as_str));
        args.push("--json");
        let what = format!("{} {}", c.input.display(), c.options.join(" "));
        let refused_here = log.contains(&format!("error: {}: ", c.out.display()));
        if c.refused {
            let out = Command::new(BIN).args(&args).output().unwrap();
            if out.status.code() != Some(2) || !refused_here {
                differ.push(format!(
                    "{what}: reach exits with {:?}, the job refused: {refused_here}",
                    out.status.code()
                ));
            }
            continue;
        }
        let expected = grapevine(&args);
        if refused_here {
            differ.push(format!("{what}: the job refused it"));
            continue;
        }
        let got = grapevine(&["reach", "--answer", c.out.to_str().unwrap(), "--json"]);
        if got != expected {
            differ.push(what);
        }
    }
    assert!(
        differ.is_empty(),
        "the Spark answer differs from reach --json for:\n{}",
        differ.join("\n")
    );
}

/// `reach --answer` on a folder that is not a job's answer: an error that
/// names the folder and what is missing, exit code 2 (no Spark needed).
#[test]
fn answer_of_a_wrong_folder_is_a_located_error() {
    let dir = tempfile::tempdir().unwrap();
    let story = Path::new(env!("CARGO_MANIFEST_DIR")).join("graphs/trump-jr-wikileaks.json");
    let tables = dir.path().join("pq");
    export(&story, &tables);
    let missing = dir.path().join("missing");
    for (folder, words) in [
        (&missing, "not a folder of a Spark job's answer"),
        (&tables, "no table `query` here"),
    ] {
        let out = Command::new(BIN)
            .args(["reach", "--answer", folder.to_str().unwrap(), "--json"])
            .output()
            .unwrap();
        let err = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{err}");
        assert!(
            err.contains(folder.to_str().unwrap()) && err.contains(words),
            "{err}"
        );
    }
    let out = Command::new(BIN)
        .args(["reach", "--answer", tables.to_str().unwrap()])
        .output()
        .unwrap();
    assert!(String::from_utf8_lossy(&out.stderr).contains("add --json"));
}

/// The exported tables read back as a catalogue give the same answer as
/// the story (ids, names, channels, carried messages, holdings).
#[test]
fn exported_tables_read_back_answer_alike() {
    let dir = tempfile::tempdir().unwrap();
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("graphs");
    let story = root.join("snowden-first-stories.json");
    let tables = dir.path().join("pq");
    export(&story, &tables);
    let loaded = grapevine::load_path(&story).unwrap().story;
    let catalog = grapevine::StoryCatalog::new(&loaded);
    let back = grapevine::internals::io::parquet::ParquetCatalog::read(&tables).unwrap();
    use grapevine::Catalog as _;
    for e in &loaded.entities {
        let u = back.entity_number(&e.id).unwrap();
        assert_eq!(back.entity_aliases(u), e.aliases.as_slice(), "{}", e.id);
        for alias in &e.aliases {
            assert_eq!(back.resolve_entity(&alias.to_uppercase()).unwrap(), u);
        }
    }
    for m in &loaded.messages {
        for mode in [grapevine::Mode::Message, grapevine::Mode::Contacts] {
            let q = grapevine::Query {
                origin: grapevine::Origin::Message(m.id.clone()),
                from: None,
                since: None,
                mode,
                threshold: grapevine::Certainty::Unknown,
                strict: mode == grapevine::Mode::Contacts,
                until: None,
                paths: true,
            };
            let (i1, r1) = q.compile(&catalog).unwrap();
            let i2 = grapevine::Index::build(&back, i1.spec());
            assert_eq!(
                grapevine::reach(&i1, &r1),
                grapevine::reach(&i2, &r1),
                "{}",
                m.id
            );
        }
    }
}

/// Python for the job's driver-side functions (no Spark needed): the
/// pyspark one when there is one, else `python3`.
fn plain_python() -> PathBuf {
    spark_python().map_or_else(|| PathBuf::from("python3"), |(p, _)| p)
}

/// Runs `code` with the job's module imported as `g`, `input` on its
/// standard input; its standard output's lines (None: no Python).
fn job_python(code: &str, input: &str) -> Option<Vec<String>> {
    use std::io::Write as _;
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("spark");
    let script = format!(
        "import sys, json\nsys.path.insert(0, {:?})\nimport grapevine_reach as g\n{code}",
        dir.to_str().unwrap()
    );
    let mut child = Command::new(plain_python())
        .args(["-c", &script])
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .ok()?;
    child
        .stdin
        .take()
        .unwrap()
        .write_all(input.as_bytes())
        .unwrap();
    let out = child.wait_with_output().unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    Some(
        String::from_utf8(out.stdout)
            .unwrap()
            .lines()
            .map(str::to_string)
            .collect(),
    )
}

/// The times of `job_reads_times_as_reach_does`: every form, and
/// what `reach` refuses.
#[rustfmt::skip]
const TIMES: &[&str] = &[
    "2016", "2016-09", "2016-09-20", "2016-10-12T14:05", "2016-10-12T14:05:30",
    "2016-10-12T14:05-04:00", "2016-10-12T18:05Z", "2016-10-12T14:05+0530",
    "2016-10-12T14:05+05", "2016-10-12T14:05:59-17:59", "2016-09/2016-10-12", "2016-09-20/..",
    "../2017-11-13", "2016-04~", "2016-04?", "2016-04%", "2016-04~?",
    "2016-09-20T14:05~/2016-09-21", "2016-12", "2016-02-29", "2015-02-29", "2016-13", "2016-00",
    "2016-09-31", "2016-03-13T02:30", "2016-03-13", "2016-11-06T01:30", "2016-11-06T01:30:00",
    "2011-12-30", "2011-12-29T23:59", "0001", "0001-01-01T00:30+01:00", "9998",
    "9998-12-31T23:59:59Z", "0000", "9999", "1474329600", "2016-09-20 10:00", "2016-9-20",
    "Sept 20, 2016", "20/09/2016", "2016-09T14:05", "2016-09-20T14", "2016-09-20T24:00",
    "2016-09-20T14:60", "2016-09-20T14:05:60", "2016-09-20T", "2016-09-20T14:05+18:00",
    "2016-09-20T14:05+1", "2016-09-20T14:05z", "..", "../..", "", " 2016", "2016 ", "2017/2016",
    "2016/2017/2018", "/2016", "2016/", "2016-", "-2016", "+2016", "２０１６",
    "2016-09-20T10:00 EST", "-00001", "00000", "999999999999999", "-62135596801", "1234",
];

/// Zones with and without daylight saving time, a skipped day (Apia) and
/// a half-hour shift (Lord Howe).
const ZONES: &[&str] = &[
    "UTC",
    "America/New_York",
    "Pacific/Apia",
    "Asia/Kolkata",
    "Europe/London",
    "America/Sao_Paulo",
    "Australia/Lord_Howe",
];

/// A time flag's interval as the command line reads it: Unix seconds (5
/// digits or more, `src/cli/times.rs`) as that second, else a time
/// expression in the story's zone.
fn cli_time(text: &str, tz: &jiff::tz::TimeZone) -> Result<grapevine::Interval, ()> {
    let digits = text.strip_prefix('-').unwrap_or(text);
    if digits.len() >= 5 && digits.bytes().all(|b| b.is_ascii_digit()) {
        let s: i64 = text.parse().map_err(|_| ())?;
        let range = -62_135_596_800..=253_370_764_799;
        return if range.contains(&s) {
            Ok(grapevine::Interval {
                lo: Some(s),
                hi: Some(s),
            })
        } else {
            Err(())
        };
    }
    grapevine::TimeExpr::parse(text, tz)
        .map(|t| t.interval())
        .map_err(|_| ())
}

/// Every form `reach` reads for `--since` and `--until` (and what it
/// refuses), in zones with and without daylight saving time: the job's
/// driver reads each as the same seconds, or refuses it too.
#[test]
fn job_reads_times_as_reach_does() {
    let mut input = String::new();
    let mut expected = Vec::new();
    for &zone in ZONES {
        let tz = jiff::tz::TimeZone::get(zone).unwrap();
        for &text in TIMES {
            input.push_str(&serde_json::to_string(&(text, zone)).unwrap());
            input.push('\n');
            let shown = |x: Option<i64>| x.map_or("-".to_string(), |v| v.to_string());
            expected.push(match cli_time(text, &tz) {
                Ok(t) => format!("{text:?} {zone}: {} {}", shown(t.lo), shown(t.hi)),
                Err(_) => format!("{text:?} {zone}: refused"),
            });
        }
    }
    let code = r#"
import zoneinfo
for line in sys.stdin:
    text, zone = json.loads(line)
    try:
        lo, hi = g.interval(text, zoneinfo.ZoneInfo(zone))
        shown = " ".join("-" if x is None else str(x) for x in (lo, hi))
    except g.Refused:
        shown = "refused"
    print(json.dumps(text, ensure_ascii=False) + f" {zone}: {shown}")
"#;
    let Some(got) = job_python(code, &input) else {
        eprintln!("skipped: no python3");
        return;
    };
    let differ: Vec<String> = expected
        .iter()
        .zip(&got)
        .filter(|(e, g)| e != g)
        .map(|(e, g)| format!("reach {e}, the job {g}"))
        .collect();
    assert_eq!(got.len(), expected.len());
    assert!(differ.is_empty(), "{}", differ.join("\n"));
}

/// The job folds names as `reach --from` does (lower case, accents,
/// curly quotes, spaces around), exactly in Python (`fold`, for the text
/// asked) and in Spark's functions (`spark_fold`, for tables without
/// `keys`) alike for these.
#[test]
fn job_folds_names_as_reach_does() {
    let names = [
        " Zoë ",
        "O’Brien",
        "ŁÓDŹ",
        "Çağlar Söyüncü",
        "JOSÉ",
        "Søren Kierkegaard",
        "Đorđe",
        "Ħamrun",
        "İstanbul",
        "ıi",
        "“Quoted”",
        "back`tick´",
        "Straße",
        "ΣΊΣΥΦΟΣ",
        "Ǆemal",
        "\u{a0}nbsp\u{3000}",
        "\u{1c}sep",
        "Ångström",
        "naïve café",
        "Ｆｕｌｌ",
        "한국",
        "e\u{301}",
        "ǅ",
        "ﬁ",
        "Ⅻ",
        "ᾼ",
    ];
    let input: String = names
        .iter()
        .map(|n| serde_json::to_string(n).unwrap() + "\n")
        .collect();
    let code = "for line in sys.stdin:\n    print(json.dumps(g.fold(json.loads(line))))\n";
    let Some(got) = job_python(code, &input) else {
        eprintln!("skipped: no python3");
        return;
    };
    for (name, got) in names.iter().zip(&got) {
        let want = grapevine::internals::catalog::fold(name);
        assert_eq!(
            serde_json::from_str::<String>(got).unwrap(),
            want,
            "{name:?}"
        );
    }
}
