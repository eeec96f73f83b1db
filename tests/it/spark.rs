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
}

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
    for story in stories {
        let stem = story.file_stem().unwrap().to_string_lossy().to_string();
        let tables = dir.join(format!("{stem}.pq"));
        export(&story, &tables);
        let loaded = grapevine::load_path(&story).unwrap().story;
        let mut questions: Vec<Vec<String>> = Vec::new();
        for m in &loaded.messages {
            questions.push(vec!["--message".into(), m.id.clone()]);
        }
        if let Some(m) = loaded.messages.first() {
            questions.push(vec![
                "--message".into(),
                m.id.clone(),
                "--mode".into(),
                "contacts".into(),
                "--strict".into(),
            ]);
        }
        let from = loaded
            .messages
            .iter()
            .find_map(|m| m.origin.clone())
            .unwrap_or_else(|| loaded.entities[0].id.clone());
        questions.push(vec![
            "--from".into(),
            from,
            "--threshold".into(),
            "reported".into(),
            "--until".into(),
            "2017".into(),
        ]);
        for options in questions {
            let out = dir.join(format!("{stem}.{}", cases.len()));
            cases.push(Case {
                input: story.clone(),
                tables: tables.clone(),
                options,
                out,
            });
        }
    }
}

/// The generated corpora's cases: contacts from entity 0; the first corpus
/// also through the job's `prepare` (its lines go in `prepare`).
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
            cases.push(Case {
                input: input.clone(),
                tables: prepared,
                options: options.clone(),
                out: dir.join("corpus0.prepared.out"),
            });
        }
        cases.push(Case {
            input,
            tables,
            options,
            out,
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
    for c in &cases {
        let mut line = format!(
            "{} {}",
            quoted(c.tables.to_str().unwrap()),
            quoted(c.out.to_str().unwrap())
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
    assert!(run.status.success(), "the Spark job failed:\n{log}");
    let mut differ = Vec::new();
    for c in &cases {
        let mut args: Vec<&str> = vec!["reach", c.input.to_str().unwrap()];
        args.extend(c.options.iter().map(String::as_str));
        args.push("--json");
        let expected = grapevine(&args);
        let got = grapevine(&["reach", "--answer", c.out.to_str().unwrap(), "--json"]);
        if got != expected {
            differ.push(format!("{} {}", c.input.display(), c.options.join(" ")));
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
