//! `render`: draw the story.

use std::collections::BTreeSet;
use std::io::Write;

use crate::render::{self, Engine, Focus, Format};
use crate::{Catalog, Error, Query};

use super::args::{EngineArg, RenderArgs};
use super::errors::CliError;
use super::input::read_input;
use super::output::{eprint_text, out_err, print_text, write_output, Out};

/// Runs `render`.
pub fn run(out: &mut Out, args: &RenderArgs) -> Result<u8, CliError> {
    let input = read_input(&args.input)?;
    let catalog = input.catalog();
    check_times(args)?;
    let (focus, query) = focus_of(catalog, args)?;
    // Only what the picture shows is made into a story: a focus on a large
    // corpus never builds the whole of it.
    let story = &catalog.excerpt(
        shown_entities(catalog, &focus).as_ref(),
        focus.events.as_ref(),
    );
    if args.alt_text {
        print_text(out, &format!("{}\n", render::alt_text(story, &focus)))?;
        return Ok(0);
    }
    let format = format_of(args)?;
    let picture = Picture {
        catalog,
        story,
        focus: &focus,
        query: query.as_ref(),
    };
    let bytes = draw(args, &picture, format)?;
    match &args.output {
        Some(path) => {
            write_output(path, &args.input.file, &bytes)?;
            eprint_text(&format!("wrote {}\n", path.display()));
            if args.embed_snippet {
                print_text(out, &snippet(args, path, catalog)?)?;
            }
        }
        None => out.write_all(&bytes).map_err(out_err)?,
    }
    Ok(0)
}

/// Refuses `--since` and `--until` without a question they belong to.
fn check_times(args: &RenderArgs) -> Result<(), CliError> {
    if args.since.is_some() && args.reach_from.is_none() && args.path.is_none() {
        return Err(CliError::Usage(
            "--since goes with --reach-from or --path".into(),
        ));
    }
    if args.until.is_some()
        && args.reach.is_none()
        && args.reach_from.is_none()
        && args.path.is_none()
    {
        return Err(CliError::Usage(
            "--until goes with --reach, --reach-from or --path".into(),
        ));
    }
    Ok(())
}

/// The focus the flags ask, and the question it answers, if any (the HTML
/// page's table).
fn focus_of(catalog: &dyn Catalog, args: &RenderArgs) -> Result<(Focus, Option<Query>), CliError> {
    let threshold = args.threshold.unwrap_or(crate::Certainty::Unknown);
    let mut query: Option<Query> = None;
    let mut focus = if let Some(msg) = &args.reach {
        let mut q = Query::message(msg);
        q.threshold = threshold;
        q.until = args.until.clone();
        let f = Focus::reach(catalog, &q)?;
        query = Some(q);
        f
    } else if let Some(from) = &args.reach_from {
        let mut q = Query::from_entity(from);
        q.since = args.since.clone();
        q.threshold = threshold;
        q.until = args.until.clone();
        let f = Focus::reach(catalog, &q)?;
        query = Some(q);
        f
    } else if let Some(names) = &args.connect {
        Focus::connect(catalog, names, threshold, args.relations)?
    } else if let Some([a, b]) = args.path.as_deref() {
        let mut q = Query::from_entity(a);
        q.since = args.since.clone();
        q.threshold = threshold;
        q.until = args.until.clone();
        let f = Focus::path(catalog, &q, b)?;
        query = Some(q);
        f
    } else {
        Focus::default()
    };
    if args.relations {
        focus = focus.relations();
    }
    if let Some(entity) = &args.around {
        focus = focus.around(catalog, entity, args.depth)?;
    }
    if let Some([a, b]) = args.between.as_deref() {
        focus = focus.between(catalog, a, b)?;
    }
    focus = focus.threshold(threshold);
    Ok((focus, query))
}

/// The entities of the story the picture is made from: those the focus
/// keeps (`None`: all), those it names without drawing (the not reached),
/// and the other parties of a drawn event (a forward to four people on a
/// one-person path): the excerpt keeps only events whose parties it has.
fn shown_entities(catalog: &dyn Catalog, focus: &Focus) -> Option<BTreeSet<String>> {
    focus.entities.as_ref().map(|set| {
        let mut set = set.clone();
        if let Some(h) = &focus.highlight {
            set.extend(h.not_reached.iter().cloned());
            set.extend(h.reached.keys().cloned());
        }
        for id in focus.events.iter().flatten() {
            if let Some(e) = catalog.event_number(id) {
                let parties = catalog
                    .event(e)
                    .parties
                    .entities()
                    .into_iter()
                    .map(str::to_string)
                    .collect::<Vec<_>>();
                set.extend(parties);
            }
        }
        set
    })
}

/// The format asked (`--format`, else OUT's extension, else DOT), refused
/// where it does not go with `--embed-snippet` or `--lanes`.
fn format_of(args: &RenderArgs) -> Result<Format, CliError> {
    let format = match (args.format, &args.output) {
        (Some(format), _) => format,
        (None, None) => Format::Dot,
        (None, Some(path)) => Format::from_path(path).ok_or_else(|| {
            CliError::Usage(format!(
                "cannot tell the format of {} from its extension: name it .dot, .svg, .png or .html, or give --format",
                path.display()
            ))
        })?,
    };
    if args.embed_snippet && (format != Format::Html || args.output.is_none()) {
        return Err(CliError::Usage(
            "--embed-snippet goes with an HTML page written to a file: give -o story.html".into(),
        ));
    }
    if args.lanes && format == Format::Html {
        return Err(CliError::Usage(
            "the HTML page holds the contact picture, not the lane chart: leave out --lanes, or write .svg".into(),
        ));
    }
    if args.animate && matches!(format, Format::Dot | Format::Html) {
        return Err(CliError::Usage(
            "the animation is drawn as SVG or as an animated PNG: give -o spread.svg or -o spread.png".into(),
        ));
    }
    if args.animate && args.reach.is_none() && args.reach_from.is_none() && args.path.is_none() {
        return Err(CliError::Usage(
            "--animate replays the spread of a reach: give --reach MSG (or --reach-from ENTITY, --path A B)".into(),
        ));
    }
    if args.lanes && format == Format::Dot {
        return Err(CliError::Usage(
            "the lane chart is drawn as SVG or PNG: give -o lanes.svg or --format svg".into(),
        ));
    }
    Ok(format)
}

/// What a picture is drawn from.
struct Picture<'a> {
    catalog: &'a dyn Catalog,
    story: &'a crate::Story,
    focus: &'a Focus,
    query: Option<&'a Query>,
}

/// The picture's bytes in `format`, drawn by the engine asked.
fn draw(args: &RenderArgs, picture: &Picture, format: Format) -> Result<Vec<u8>, CliError> {
    let Picture {
        catalog,
        story,
        focus,
        query,
    } = *picture;
    let look = render::Look {
        fit: args.fit,
        max_width: args.width,
        unreached: !args.no_unreached,
        ..render::Look::default()
    };
    let engine = match args.engine {
        EngineArg::InProcess => Engine::InProcess,
        EngineArg::System => Engine::System {
            timeout: std::time::Duration::from_secs(args.timeout.max(1)),
        },
    };
    if let (true, Some(query)) = (args.animate, query) {
        let replay = render::Replay {
            catalog,
            query,
            story,
            focus,
            engine,
            look,
            lanes: args.lanes,
        };
        return with_progress(args.input.quiet, "drawing", || match format {
            Format::Png => render::animated_png(&replay, args.width),
            _ => render::animated_svg(&replay).map(String::into_bytes),
        });
    }
    let bytes = match format {
        Format::Dot => render::dot::dot(story, focus, &look).into_bytes(),
        Format::Svg if args.lanes => render::lanes_svg(story, focus, &look)?.into_bytes(),
        Format::Png if args.lanes => render::lanes_png(story, focus, &look, args.width)?,
        Format::Svg => with_progress(args.input.quiet, "laying out", || {
            render::draw_svg(story, focus, engine, &look).map(String::into_bytes)
        })?,
        Format::Html => with_progress(args.input.quiet, "laying out", || {
            let page = render::html::Page {
                catalog,
                query,
                story,
                focus,
                engine,
                look,
            };
            render::html::html(&page).map(String::into_bytes)
        })?,
        Format::Png => with_progress(args.input.quiet, "drawing", || {
            let look = render::Look {
                max_width: None,
                ..look
            };
            render::draw_png(story, focus, engine, &look, args.width)
        })?,
    };
    Ok(bytes)
}

/// The `<iframe>` and its sizing script for an article page.
fn snippet(
    args: &RenderArgs,
    path: &std::path::Path,
    catalog: &dyn crate::Catalog,
) -> Result<String, CliError> {
    use crate::render::html;
    let src = match &args.embed_src {
        Some(src) => src.clone(),
        None => path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_else(|| path.display().to_string()),
    };
    if !html::snippet_src_ok(&src) {
        return Err(CliError::Usage(format!(
            "--embed-src {:?}: give a relative path or an http(s) URL, with no spaces or quotes",
            src.chars().filter(|c| !c.is_control()).collect::<String>()
        )));
    }
    let title = catalog
        .title()
        .map(crate::render::clean)
        .filter(|t| !t.is_empty())
        .unwrap_or_else(|| "Untitled story".to_string());
    Ok(html::embed_snippet(&src, &title))
}

/// Runs `work`, showing a spinner on stderr once it has taken a second (not
/// when stderr is not a terminal, nor with `--quiet`).
fn with_progress<T: Send>(
    quiet: bool,
    what: &str,
    work: impl FnOnce() -> Result<T, Error> + Send,
) -> Result<T, CliError> {
    use std::io::IsTerminal;
    if quiet || !std::io::stderr().is_terminal() {
        return Ok(work()?);
    }
    std::thread::scope(|scope| {
        let job = scope.spawn(work);
        let start = std::time::Instant::now();
        let mut spinner: Option<indicatif::ProgressBar> = None;
        while !job.is_finished() {
            std::thread::sleep(std::time::Duration::from_millis(50));
            if spinner.is_none() && start.elapsed() >= std::time::Duration::from_secs(1) {
                let bar = indicatif::ProgressBar::new_spinner();
                bar.set_message(format!("{what} the picture"));
                bar.enable_steady_tick(std::time::Duration::from_millis(120));
                spinner = Some(bar);
            }
        }
        if let Some(bar) = spinner {
            bar.finish_and_clear();
        }
        match job.join() {
            Ok(drawn) => Ok(drawn?),
            Err(_) => Err(CliError::DrawingStopped),
        }
    })
}
