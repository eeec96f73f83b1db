//! One handler per command.

use std::io::Write;
use std::path::Path;

use grapevine::analysis::display_earliest;
use grapevine::analysis::path::hop;
use grapevine::analysis::summary::summarise;
use grapevine::{load_path, Error, Loaded, Mode, Origin, Query, Timing};

use super::args::{
    Cli, Command, EngineArg, FormatArg, ModeArg, QueryOptions, RenderArgs, SourceArgs,
};

type Out = std::io::StdoutLock<'static>;

fn out_err(source: std::io::Error) -> Error {
    Error::Io {
        path: "<stdout>".into(),
        source,
    }
}

/// Prints `value` as pretty JSON and a newline.
fn print_json(out: &mut Out, value: &impl serde::Serialize) -> Result<(), Error> {
    let mut w = std::io::BufWriter::new(&mut *out);
    serde_json::to_writer_pretty(&mut w, value).map_err(|e| out_err(e.into()))?;
    writeln!(w).map_err(out_err)?;
    w.flush().map_err(out_err)
}

/// Runs one command; returns the exit code.
pub fn run(cli: Cli) -> Result<u8, Error> {
    let mut out = std::io::stdout().lock();
    let _ = LOAD_FLAGS.set((cli.quiet, cli.skip_bad_rows));
    match cli.command {
        Command::Check { file, json } => check(&mut out, &file, json),
        Command::Fmt {
            file,
            check,
            stdout,
        } => fmt(&mut out, &file, check, stdout),
        Command::Reach {
            file,
            source,
            mode,
            options,
        } => reach(&mut out, &file, &source, mode, &options),
        Command::Path {
            file,
            from,
            to,
            since,
            options,
        } => path(&mut out, &file, &from, &to, since, &options),
        Command::Timeline {
            file,
            entity,
            between,
            threshold,
            json,
        } => timeline(&mut out, &file, entity, between, threshold.into(), json),
        Command::WhyNot {
            file,
            source,
            to,
            mode,
            options,
        } => why_not(&mut out, &file, &source, &to, mode, &options),
        Command::Render(args) => render(&mut out, &args),
        Command::Import { file, output } => import(&mut out, &file, output.as_deref()),
    }
}

fn load(file: &Path) -> Result<Loaded, Error> {
    if grapevine::io::is_csv(file) {
        let corpus = load_corpus(file)?;
        print_corpus_notes(file, &corpus);
        let story = corpus.to_story().map_err(|r| Error::Invalid(Box::new(r)))?;
        let mut report = corpus.report;
        report.diagnostics.clear(); // shown already
        return Ok(Loaded {
            story,
            report,
            event_spans: Vec::new(),
            entity_spans: Vec::new(),
        });
    }
    let loaded = load_path(file)?;
    Ok(loaded)
}

fn print_warnings(loaded: &Loaded) {
    if loaded.report.warning_count() > 0 {
        eprint!("{}", loaded.report.render());
    }
}

fn check(out: &mut Out, file: &Path, json: bool) -> Result<u8, Error> {
    let checked = if grapevine::io::is_csv(file) {
        load_corpus(file).map(|c| {
            if c.skipped > 0 {
                eprintln!("{}: skipped {} bad rows", file.display(), c.skipped);
            }
            (c.summary(&file.display().to_string()), c.report)
        })
    } else {
        load(file).map(|mut l| (summarise(&mut l), l.report))
    };
    let (summary, report) = match checked {
        Ok(l) => l,
        Err(Error::Invalid(report)) if json => {
            let value = serde_json::json!({
                "file": report.file, "ok": false, "errors": report.to_json(),
            });
            print_json(out, &value)?;
            return Ok(2);
        }
        Err(e) => return Err(e),
    };
    if json {
        let mut value = serde_json::to_value(&summary).unwrap_or_default();
        if let Some(obj) = value.as_object_mut() {
            obj.insert("ok".into(), true.into());
        }
        print_json(out, &value)?;
        return Ok(0);
    }
    if report.warning_count() > 0 {
        eprint!("{}", report.render());
    }
    let counts = |m: &std::collections::BTreeMap<String, usize>| {
        m.iter()
            .map(|(k, v)| format!("{v} {k}"))
            .collect::<Vec<_>>()
            .join(", ")
    };
    let mut s = String::new();
    s.push_str(&format!("{}: ok, no errors\n", summary.file));
    if let Some(t) = &summary.title {
        s.push_str(&format!("  {t}\n"));
    }
    s.push_str(&format!(
        "  entities   {:>4}  {}\n",
        summary.entity_count,
        counts(&summary.entities)
    ));
    s.push_str(&format!(
        "  events     {:>4}  {}\n",
        summary.event_count,
        counts(&summary.events_by_kind)
    ));
    s.push_str(&format!(
        "             {:>4}  {}\n",
        "",
        counts(&summary.events_by_certainty)
    ));
    s.push_str(&format!("  messages   {:>4}\n", summary.messages));
    s.push_str(&format!("  relations  {:>4}\n", summary.relations));
    s.push_str(&format!("  sources    {:>4}\n", summary.sources));
    match (&summary.first, &summary.last) {
        (Some(a), Some(b)) => s.push_str(&format!("  dates            {a} to {b}")),
        _ => s.push_str("  dates            none"),
    }
    if summary.undated_events > 0 {
        s.push_str(&format!(" ({} undated events)", summary.undated_events));
    }
    s.push('\n');
    s.push_str(&format!("  warnings   {:>4}\n", summary.warnings.len()));
    out.write_all(s.as_bytes()).map_err(out_err)?;
    Ok(0)
}

fn fmt(out: &mut Out, file: &Path, check: bool, stdout: bool) -> Result<u8, Error> {
    if grapevine::io::is_csv(file) {
        return Err(Error::Query(format!(
            "fmt rewrites story files; to turn {} into one, run `grapevine import {} -o story.json`",
            file.display(),
            file.display()
        )));
    }
    let original = std::fs::read(file).map_err(|source| Error::Io {
        path: file.display().to_string(),
        source,
    })?;
    let loaded = grapevine::load_bytes(&file.display().to_string(), &original)
        .map_err(|r| Error::Invalid(Box::new(r)))?;
    let canonical = grapevine::to_json(&loaded.story);
    if stdout {
        out.write_all(canonical.as_bytes()).map_err(out_err)?;
        return Ok(0);
    }
    if canonical.as_bytes() == original.as_slice() {
        if !check {
            eprintln!("{}: already canonical", file.display());
        }
        return Ok(0);
    }
    if check {
        eprintln!(
            "{}: not canonical; run `grapevine fmt {}` to rewrite it",
            file.display(),
            file.display()
        );
        return Ok(1);
    }
    // Write beside the file, then rename over it: a crash never leaves half a file.
    let tmp = file.with_extension("json.grapevine-tmp");
    let io = |source| Error::Io {
        path: file.display().to_string(),
        source,
    };
    std::fs::write(&tmp, canonical.as_bytes()).map_err(io)?;
    std::fs::rename(&tmp, file).map_err(io)?;
    eprintln!("{}: rewritten", file.display());
    Ok(0)
}

fn build_query(source: &SourceArgs, mode: Option<ModeArg>, options: &QueryOptions) -> Query {
    let origin = match (&source.message, &source.from) {
        (Some(m), _) => Origin::Message(m.clone()),
        (None, Some(f)) => Origin::Entity(f.clone()),
        (None, None) => Origin::Entity(String::new()),
    };
    let mode = match (mode, &source.message) {
        (Some(ModeArg::Message), _) => Mode::Message,
        (Some(ModeArg::Contacts), _) => Mode::Contacts,
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
        threshold: options.threshold.into(),
        strict: options.strict,
        until: None,
        paths: true,
    }
}

fn reach(
    out: &mut Out,
    file: &Path,
    source: &SourceArgs,
    mode: Option<ModeArg>,
    options: &QueryOptions,
) -> Result<u8, Error> {
    if grapevine::io::is_csv(file) {
        return reach_corpus(out, file, source, mode, options);
    }
    let loaded = load(file)?;
    print_warnings(&loaded);
    let story = &loaded.story;
    let query = build_query(source, mode, options);
    let (index, rq) = query.compile(story)?;
    let answer = grapevine::reach(&index, &rq);
    if options.json {
        print_json(out, &answer)?;
        return Ok(0);
    }
    let tz = story.tz();
    let s = reach_report(
        &answer,
        &index,
        source.since.as_deref(),
        "",
        &|r| display_earliest(story, &index, &query, &answer, r),
        &|d| {
            let day = grapevine::model::Precision::Day;
            grapevine::model::time::format_at_precision(d, day, &tz)
        },
        &|id| story.name_of(id).to_string(),
    );
    out.write_all(s.as_bytes()).map_err(out_err)?;
    Ok(0)
}

/// The reach answer as a table for people: a heading, one row per reached
/// entity (the source first), then who was not reached (the first 20).
fn reach_report(
    answer: &grapevine::ReachAnswer,
    index: &grapevine::Index,
    since: Option<&str>,
    heading_note: &str,
    earliest: &dyn Fn(&grapevine::Reached) -> String,
    definite: &dyn Fn(i64) -> String,
    name_of: &dyn Fn(&str) -> String,
) -> String {
    let what = match &answer.message {
        Some(m) => format!("message \"{m}\" from {}", name_of(&answer.source)),
        None => format!("anything {} knew", name_of(&answer.source)),
    };
    let mode = match answer.mode {
        Mode::Message => "message (documented chain)",
        Mode::Contacts => "contacts (anyone who could have been told)",
    };
    let strict = if answer.strict { ", strict" } else { "" };
    let since = since.map(|t| format!(", since {t}")).unwrap_or_default();
    let mut s = format!(
        "Who could have seen {what}\n  mode {mode}, threshold {}{strict}{since}{heading_note}\n\n",
        answer.threshold
    );
    // The source first, then the answer's order (earliest, then id).
    let source_row = answer.reached.iter().filter(|r| r.entity == answer.source);
    let rows: Vec<[String; 5]> = source_row
        .chain(answer.reached.iter().filter(|r| r.entity != answer.source))
        .map(|r| {
            let timing = match (r.timing, r.definite_by) {
                (Timing::Definite, Some(d)) => format!("definite by {}", definite(d)),
                (Timing::Definite, None) => "definite".into(),
                (Timing::Possible, _) => "possible".into(),
            };
            [
                r.name.clone(),
                earliest(r),
                timing,
                r.evidence.to_string(),
                r.chain(index).join(" → "),
            ]
        })
        .collect();
    s.push_str(&table(
        &["ENTITY", "EARLIEST", "TIMING", "EVIDENCE", "CHAIN"],
        &rows,
    ));
    const SHOWN: usize = 20;
    match answer.not_reached.len() {
        0 => s.push_str("\nEveryone is reached.\n"),
        n => {
            let names: Vec<String> = answer
                .not_reached
                .iter()
                .take(SHOWN)
                .map(|id| name_of(id))
                .collect();
            let more = if n > SHOWN {
                format!(" and {} more (--json lists them all)", n - SHOWN)
            } else {
                String::new()
            };
            s.push_str(&format!(
                "\nNot reached ({n}): {}{more}\n",
                names.join(", ")
            ));
        }
    }
    s
}

fn table(header: &[&str; 5], rows: &[[String; 5]]) -> String {
    let mut widths: Vec<usize> = header.iter().map(|h| h.chars().count()).collect();
    for r in rows {
        for (w, cell) in widths.iter_mut().zip(r) {
            *w = (*w).max(cell.chars().count());
        }
    }
    let line = |cells: Vec<&str>| {
        let mut l = String::new();
        for (i, (c, w)) in cells.iter().zip(&widths).enumerate() {
            if i + 1 == cells.len() {
                l.push_str(c);
            } else {
                l.push_str(c);
                l.push_str(&" ".repeat(w - c.chars().count() + 2));
            }
        }
        l.trim_end().to_string() + "\n"
    };
    let mut s = line(header.to_vec());
    for r in rows {
        s.push_str(&line(r.iter().map(String::as_str).collect()));
    }
    s
}

fn path(
    out: &mut Out,
    file: &Path,
    from: &str,
    to: &str,
    since: Option<String>,
    options: &QueryOptions,
) -> Result<u8, Error> {
    if grapevine::io::is_csv(file) {
        return path_corpus(out, file, from, to, since, options);
    }
    let loaded = load(file)?;
    print_warnings(&loaded);
    let story = &loaded.story;
    let source = SourceArgs {
        from: Some(from.to_string()),
        message: None,
        since,
    };
    let query = build_query(&source, None, options);
    let target = story.resolve_entity(to).map_err(Error::Query)?;
    let (index, rq) = query.compile(story)?;
    let answer = grapevine::path(story, &index, &rq, target as u32);
    if options.json {
        print_json(out, &answer)?;
        return Ok(0);
    }
    let (a, b) = (story.name_of(&answer.from), story.name_of(&answer.to));
    if !answer.reached {
        writeln!(
            out,
            "{b} is not reached from {a}; `grapevine why-not` says why."
        )
        .map_err(out_err)?;
        return Ok(1);
    }
    let reach_answer = grapevine::reach(&index, &rq);
    let entry = reach_answer.get(&answer.to);
    let mut s = format!(
        "{a} → {b}: {} hop{}",
        answer.hops.len(),
        if answer.hops.len() == 1 { "" } else { "s" }
    );
    if let Some(r) = entry {
        s.push_str(&format!(
            ", earliest {}, {} timing, {} evidence\n\n",
            display_earliest(story, &index, &query, &reach_answer, r),
            match r.timing {
                Timing::Definite => "definite",
                Timing::Possible => "possible",
            },
            r.evidence
        ));
        for (i, &c) in r.path_channels.iter().enumerate() {
            let h = hop(story, &index, c);
            s.push_str(&format!(
                "{}. {}  {} → {}  ({}, {})\n",
                i + 1,
                h.time.as_deref().unwrap_or("undated"),
                h.from_name,
                h.to_name,
                h.kind,
                h.certainty
            ));
            if let Some(q) = &h.quote {
                s.push_str(&format!("   “{q}”\n"));
            }
            if let Some(src) = &h.source {
                s.push_str(&format!(
                    "   — {}\n",
                    h.source_title.as_deref().unwrap_or(src)
                ));
            }
        }
    }
    out.write_all(s.as_bytes()).map_err(out_err)?;
    Ok(0)
}

fn why_not(
    out: &mut Out,
    file: &Path,
    source: &SourceArgs,
    to: &str,
    mode: Option<ModeArg>,
    options: &QueryOptions,
) -> Result<u8, Error> {
    let loaded = load(file)?;
    print_warnings(&loaded);
    let query = build_query(source, mode, options);
    let answer = grapevine::why_not(&loaded.story, &query, to)?;
    if options.json {
        print_json(out, &answer)?;
        return Ok(0);
    }
    let mut s = String::new();
    if !answer.reached {
        s.push_str(&format!("{} is not reached.\n", answer.name));
    }
    for r in &answer.reasons {
        s.push_str(&format!("- {}\n", r.text));
    }
    out.write_all(s.as_bytes()).map_err(out_err)?;
    Ok(0)
}

fn render(out: &mut Out, args: &RenderArgs) -> Result<u8, Error> {
    use grapevine::render::{self, Engine, Focus, Format};
    let loaded = load(&args.file)?;
    print_warnings(&loaded);
    let story = &loaded.story;
    let threshold: grapevine::Certainty = args
        .threshold
        .map(Into::into)
        .unwrap_or(grapevine::Certainty::Unknown);
    if args.since.is_some() && args.reach_from.is_none() && args.path.is_none() {
        return Err(Error::Query(
            "--since goes with --reach-from or --path".into(),
        ));
    }
    let mut focus = if let Some(msg) = &args.reach {
        let mut q = Query::message(msg);
        q.threshold = threshold;
        Focus::reach(story, &q)?
    } else if let Some(from) = &args.reach_from {
        let mut q = Query::from_entity(from);
        q.since = args.since.clone();
        q.threshold = threshold;
        Focus::reach(story, &q)?
    } else if let Some([a, b]) = args.path.as_deref() {
        let mut q = Query::from_entity(a);
        q.since = args.since.clone();
        q.threshold = threshold;
        Focus::path(story, &q, b)?
    } else {
        Focus::default()
    };
    if let Some(entity) = &args.around {
        focus = focus.around(story, entity, args.depth)?;
    }
    if let Some([a, b]) = args.between.as_deref() {
        focus = focus.between(story, a, b)?;
    }
    focus = focus.threshold(threshold);
    if args.alt_text {
        writeln!(out, "{}", render::alt_text(story, &focus)).map_err(out_err)?;
        return Ok(0);
    }
    let format = match (args.format, &args.output) {
        (Some(FormatArg::Dot), _) => Format::Dot,
        (Some(FormatArg::Svg), _) => Format::Svg,
        (Some(FormatArg::Png), _) => Format::Png,
        (None, None) => Format::Dot,
        (None, Some(path)) => Format::from_path(path).ok_or_else(|| {
            Error::Query(format!(
                "cannot tell the format of {} from its extension: name it .dot, .svg or .png, or give --format",
                path.display()
            ))
        })?,
    };
    let engine = match args.engine {
        EngineArg::InProcess => Engine::InProcess,
        EngineArg::System => Engine::System {
            timeout: std::time::Duration::from_secs(args.timeout.max(1)),
        },
    };
    let bytes = match format {
        Format::Dot => render::to_dot(story, &focus).into_bytes(),
        Format::Svg => render::to_svg(story, &focus, engine)?.into_bytes(),
        Format::Png => render::to_png(story, &focus, engine, args.width)?,
    };
    match &args.output {
        Some(path) => {
            std::fs::write(path, &bytes).map_err(|source| Error::Io {
                path: path.display().to_string(),
                source,
            })?;
            eprintln!("wrote {}", path.display());
        }
        None => out.write_all(&bytes).map_err(out_err)?,
    }
    Ok(0)
}

fn timeline(
    out: &mut Out,
    file: &Path,
    entity: Option<String>,
    between: Option<Vec<String>>,
    threshold: grapevine::Certainty,
    json: bool,
) -> Result<u8, Error> {
    let loaded = load(file)?;
    print_warnings(&loaded);
    let between = between.and_then(|v| match v.as_slice() {
        [a, b] => Some((a.clone(), b.clone())),
        _ => None,
    });
    let query = grapevine::analysis::timeline::TimelineQuery {
        entity,
        between,
        threshold,
    };
    let entries = grapevine::analysis::timeline::timeline(&loaded.story, &query)?;
    if json {
        print_json(out, &entries)?;
        return Ok(0);
    }
    let mut s = String::new();
    for e in &entries {
        let who = if e.mutual {
            e.who.join(" — ")
        } else {
            format!("{} → {}", e.who[0], e.who[1..].join(", "))
        };
        s.push_str(&format!(
            "{:<22}  {:<11}  {:<9}  {}\n",
            e.time.as_deref().unwrap_or("undated"),
            e.kind,
            e.certainty.as_str(),
            who
        ));
        if let Some(summary) = &e.summary {
            s.push_str(&format!("{:<22}  {summary}\n", ""));
        }
    }
    if entries.is_empty() {
        s.push_str("No events match.\n");
    }
    out.write_all(s.as_bytes()).map_err(out_err)?;
    Ok(0)
}

/// `--quiet` and `--skip-bad-rows`, set once by [`run`].
static LOAD_FLAGS: std::sync::OnceLock<(bool, bool)> = std::sync::OnceLock::new();

/// Reads a CSV corpus with a progress bar on stderr when the load takes more
/// than a second (never when stderr is not a terminal, or with `--quiet`),
/// and says how many bad rows were skipped.
fn load_corpus(file: &Path) -> Result<grapevine::io::csv::Corpus, Error> {
    use std::io::IsTerminal;
    let (quiet, skip_bad_rows) = LOAD_FLAGS.get().copied().unwrap_or_default();
    let show = !quiet && std::io::stderr().is_terminal();
    let start = std::time::Instant::now();
    let bar: std::sync::OnceLock<indicatif::ProgressBar> = std::sync::OnceLock::new();
    let progress = |done: u64, total: Option<u64>| {
        if !show || start.elapsed() < std::time::Duration::from_secs(1) {
            return;
        }
        let bar = bar.get_or_init(|| {
            let bar = indicatif::ProgressBar::with_draw_target(
                total,
                indicatif::ProgressDrawTarget::hidden(),
            );
            let style = indicatif::ProgressStyle::with_template(
                "{msg} {wide_bar} {bytes}/{total_bytes} ({eta})",
            )
            .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar());
            bar.set_style(style);
            bar.set_message(format!("reading {}", file.display()));
            bar.set_position(done);
            bar.set_draw_target(indicatif::ProgressDrawTarget::stderr());
            bar
        });
        bar.set_position(done);
    };
    let options = grapevine::io::csv::CsvOptions {
        skip_bad_rows,
        threads: 0,
        progress: Some(&progress),
    };
    let corpus = grapevine::io::csv::Corpus::load(file, &options);
    if let Some(bar) = bar.get() {
        bar.finish_and_clear();
    }
    corpus
}

/// Prints a corpus's warnings and how many bad rows were skipped.
fn print_corpus_notes(file: &Path, corpus: &grapevine::io::csv::Corpus) {
    if corpus.report.warning_count() > 0 {
        eprint!("{}", corpus.report.render());
    }
    if corpus.skipped > 0 {
        eprintln!(
            "{}: skipped {} bad row{}{}",
            file.display(),
            corpus.skipped,
            if corpus.skipped == 1 { "" } else { "s" },
            if corpus.skipped > corpus.report.warning_count() {
                " (the first ones are shown above)"
            } else {
                ""
            }
        );
    }
}

/// `reach` on a CSV corpus: compiled and answered without building a story.
fn reach_corpus(
    out: &mut Out,
    file: &Path,
    source: &SourceArgs,
    mode: Option<ModeArg>,
    options: &QueryOptions,
) -> Result<u8, Error> {
    let corpus = load_corpus(file)?;
    print_corpus_notes(file, &corpus);
    let query = build_query(source, mode, options);
    let (spec, rq) = corpus.compile(&query)?;
    let index = corpus.into_index(&spec);
    let answer = grapevine::reach(&index, &rq);
    if options.json {
        print_json(out, &answer)?;
        return Ok(0);
    }
    let utc = jiff::tz::TimeZone::UTC;
    let at = |t: i64, p: grapevine::model::Precision| {
        grapevine::model::time::format_at_precision(t, p, &utc)
    };
    let second = |t: i64| at(t, grapevine::model::Precision::Second);
    let s = reach_report(
        &answer,
        &index,
        source.since.as_deref(),
        "; times in UTC",
        &|r| r.earliest.map_or("any time".into(), second),
        &second,
        &|id| id.to_string(),
    );
    out.write_all(s.as_bytes()).map_err(out_err)?;
    Ok(0)
}

/// `import`: a CSV contact list to a format 1 story file.
fn import(out: &mut Out, file: &Path, output: Option<&Path>) -> Result<u8, Error> {
    if !grapevine::io::is_csv(file) {
        return Err(Error::Query(format!(
            "import reads CSV contact lists (.csv); {} is not one",
            file.display()
        )));
    }
    let corpus = load_corpus(file)?;
    print_corpus_notes(file, &corpus);
    let story = corpus.to_story().map_err(|r| Error::Invalid(Box::new(r)))?;
    let text = grapevine::to_json(&story);
    match output {
        None => out.write_all(text.as_bytes()).map_err(out_err)?,
        Some(path) => {
            std::fs::write(path, text.as_bytes()).map_err(|source| Error::Io {
                path: path.display().to_string(),
                source,
            })?;
            eprintln!(
                "{}: {} entities, {} events, {} messages written to {}",
                file.display(),
                story.entities.len(),
                story.events.len(),
                story.messages.len(),
                path.display()
            );
        }
    }
    Ok(0)
}

/// `path` on a CSV corpus: answered from the index, without building a story
/// (hops show the event id, the time as written, kind and certainty).
fn path_corpus(
    out: &mut Out,
    file: &Path,
    from: &str,
    to: &str,
    since: Option<String>,
    options: &QueryOptions,
) -> Result<u8, Error> {
    use grapevine::analysis::path::{Hop, PathAnswer};
    let corpus = load_corpus(file)?;
    print_corpus_notes(file, &corpus);
    let source = SourceArgs {
        from: Some(from.to_string()),
        message: None,
        since,
    };
    let query = build_query(&source, None, options);
    let target = corpus.resolve_entity(to).map_err(Error::Query)?;
    let details = corpus.details();
    let (spec, rq) = corpus.compile(&query)?;
    let index = corpus.into_index(&spec);
    let answer = grapevine::reach(&index, &rq);
    let entry = answer.get(index.entity_id(target));
    let time = |t: Option<i64>| {
        t.filter(|t| *t != i64::MIN && *t != i64::MAX)
            .map(grapevine::model::time::rfc3339)
    };
    let hops: Vec<Hop> = entry
        .map(|r| {
            r.path_channels
                .iter()
                .map(|&c| {
                    let (line, ci) = (index.event[c as usize], c as usize);
                    let (f, t) = (index.from[ci], index.to[ci]);
                    Hop {
                        event: index.event_id(c).into_owned(),
                        time: match details.time_text(line) {
                            Some("") => None,
                            Some(text) => Some(text.to_string()),
                            None => Some(grapevine::model::time::rfc3339(index.lo(ci))),
                        },
                        from: index.entity_id(f).to_string(),
                        from_name: index.entity_name(f).to_string(),
                        to: index.entity_id(t).to_string(),
                        to_name: index.entity_name(t).to_string(),
                        kind: details.kind(line).unwrap_or("other").to_string(),
                        certainty: index.certainty(ci),
                        quote: None,
                        source: None,
                        source_title: None,
                    }
                })
                .collect()
        })
        .unwrap_or_default();
    let path = PathAnswer {
        from: answer.source.clone(),
        to: index.entity_id(target).to_string(),
        reached: entry.is_some(),
        earliest: entry.and_then(|r| time(r.earliest)),
        timing: entry.map(|r| r.timing),
        definite_by: entry.and_then(|r| time(r.definite_by)),
        evidence: entry.map(|r| r.evidence),
        hops,
    };
    if options.json {
        print_json(out, &path)?;
        return Ok(0);
    }
    let (a, b) = (&path.from, &path.to);
    let Some(r) = entry else {
        writeln!(
            out,
            "{b} is not reached from {a}; `grapevine why-not` says why."
        )
        .map_err(out_err)?;
        return Ok(1);
    };
    let mut s = format!(
        "{a} → {b}: {} hop{}, earliest {}, {} timing, {} evidence\n\n",
        path.hops.len(),
        if path.hops.len() == 1 { "" } else { "s" },
        path.earliest.as_deref().unwrap_or("any time"),
        match r.timing {
            Timing::Definite => "definite",
            Timing::Possible => "possible",
        },
        r.evidence
    );
    for (i, h) in path.hops.iter().enumerate() {
        s.push_str(&format!(
            "{}. {}  {} → {}  ({}, {}, {})\n",
            i + 1,
            h.time.as_deref().unwrap_or("undated"),
            h.from_name,
            h.to_name,
            h.kind,
            h.certainty,
            h.event
        ));
    }
    out.write_all(s.as_bytes()).map_err(out_err)?;
    Ok(0)
}
