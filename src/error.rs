//! The library's error type: a kind the caller can match on, with the facts
//! as fields, and a message that says what the user can do. The library never
//! prefixes "error:", never names a command-line flag and never renders a
//! report: the command line does (`src/cli`).

use std::fmt;

use crate::diagnostic::Report;

/// What kind of thing went wrong, for callers that act on it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum ErrorKind {
    /// A file could not be read or written.
    Io,
    /// An input file has errors (each located in [`Error::Invalid`]'s report).
    InvalidInput,
    /// A question the input cannot answer as asked: an unknown or ambiguous
    /// name, a bad time, an option that does not apply.
    Query,
    /// Drawing failed: a renderer is missing, broke or ran out of time.
    Render,
}

/// Everything that can go wrong, each with what the user can do about it.
#[derive(Debug)]
#[non_exhaustive]
pub enum Error {
    /// A file could not be read or written.
    Io {
        /// The file.
        path: String,
        /// Why.
        source: std::io::Error,
    },
    /// An input file has errors; the report holds them all, located. Its
    /// `Display` only counts them: render the report
    /// ([`Report::render`]) to show them.
    Invalid(Box<Report>),
    /// A query names something the input does not have, or asks something
    /// impossible (an unknown entity, a message without an origin).
    Query(QueryError),
    /// Drawing failed (a renderer is missing or broke).
    Render(RenderError),
}

/// Which time of a query a bad time expression was given for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum TimeRole {
    /// The time the source holds the information from.
    Since,
    /// The time answers stop at.
    Until,
    /// One end of a window of dates.
    Between,
}

impl TimeRole {
    fn words(self) -> &'static str {
        match self {
            TimeRole::Since => "the start time",
            TimeRole::Until => "the end time",
            TimeRole::Between => "the window's date",
        }
    }
}

/// What asked for a window of dates: the wording of a backwards window
/// differs between the two.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum WindowOf {
    /// A picture's or an export's focus.
    Focus,
    /// A timeline.
    Timeline,
}

/// A question the input cannot answer as asked.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum QueryError {
    /// No entity has this id, name or alias.
    UnknownEntity {
        /// The name asked for.
        name: String,
        /// The nearest entities (`id (name)`), nearest first; empty when the
        /// input has none.
        nearest: Vec<String>,
    },
    /// Several entities have this name or alias.
    AmbiguousEntity {
        /// The name asked for.
        name: String,
        /// Each of them (`id (name)`).
        candidates: Vec<String>,
    },
    /// The same entity was named twice.
    RepeatedEntity {
        /// The name given the second time.
        name: String,
        /// The entity's name.
        entity: String,
    },
    /// No message has this id.
    UnknownMessage {
        /// The id asked for.
        id: String,
        /// The first messages' ids.
        listed: Vec<String>,
        /// How many messages there are.
        total: usize,
        /// Why there are none, said when `total` is 0.
        empty_note: &'static str,
    },
    /// The message has no origin to trace from.
    NoOrigin {
        /// The message's id.
        message: String,
    },
    /// A message's origin is not an entity.
    UnknownOrigin {
        /// The origin as the file gives it.
        origin: String,
    },
    /// The source entity is not the traced message's origin.
    NotTheOrigin {
        /// The entity given as the source.
        from: String,
        /// The message.
        message: String,
        /// Its origin.
        origin: String,
    },
    /// Message mode was asked for without a message to follow.
    MessageModeWithoutMessage,
    /// A time expression could not be read.
    BadTime {
        /// What it was given for.
        role: TimeRole,
        /// The text.
        text: String,
        /// What is wrong.
        problem: String,
        /// What to write instead.
        help: String,
    },
    /// An end time that is open at its end.
    OpenEnd {
        /// The text.
        text: String,
    },
    /// A window of dates that ends before it starts.
    BackwardsWindow {
        /// Its first date.
        from: String,
        /// Its second date.
        to: String,
        /// What asked for it.
        of: WindowOf,
    },
    /// A time zone that could not be read.
    BadTimezone {
        /// The zone as given.
        zone: String,
        /// What is wrong.
        problem: String,
    },
    /// The target was not reached: there is nothing to draw.
    NotReached {
        /// The target's name.
        entity: String,
        /// The source's name.
        source: String,
    },
    /// Linking entities needs two of them or more.
    TooFewEntities,
    /// A temporal measure was asked of the static ranking.
    TemporalMeasure {
        /// The measure's name.
        measure: &'static str,
    },
    /// The answer would be larger than the library builds.
    Limit {
        /// What would be too large.
        what: Limited,
        /// The most there may be.
        limit: u64,
        /// How many there would be.
        found: u64,
    },
    /// A story file larger than a story file may be.
    StoryTooLarge {
        /// The file (control characters made visible).
        file: String,
        /// The most it may hold, in bytes.
        limit: u64,
    },
    /// A CSV file's entity ids do not fit the corpus.
    EntityIds {
        /// The file.
        file: String,
        /// What is wrong.
        problem: &'static str,
    },
}

/// What a [`QueryError::Limit`] counts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Limited {
    /// The static graph's links, built to link entities.
    ConnectLinks,
    /// The static graph's links, built to rank entities.
    RankLinks,
    /// A Mermaid flowchart's edges.
    MermaidEdges,
    /// Betweenness or closeness: entities × (entities + links) of the
    /// static graph.
    CentralityWork,
    /// `critical`: engine runs × channels of the search for cuts.
    CriticalWork,
}

/// Which feature a build lacks for a drawing.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Missing {
    /// PNG for a lane chart (cargo feature `png`).
    LanePng,
    /// PNG drawn in-process (cargo feature `png`).
    InProcessPng,
    /// The in-process layout (cargo feature `svg`).
    InProcessLayout,
    /// An animated PNG (cargo feature `png`).
    AnimatedPng,
}

/// Who wrote an SVG that could not be read.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum SvgFrom {
    /// The finished drawing (annotated for the HTML page).
    Drawing,
    /// The layout engine.
    Layout,
}

/// Which kind of chart would be too crowded.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Chart {
    /// The contact picture: entities and contacts.
    Picture,
    /// The lane chart: lanes and contacts.
    Lanes,
}

/// Drawing failed.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum RenderError {
    /// The chart would hold more than make a legible one.
    Crowded {
        /// The chart.
        chart: Chart,
        /// Its entities (or lanes).
        entities: usize,
        /// Its contacts.
        contacts: usize,
        /// The most entities (or lanes) that stay legible.
        max_entities: usize,
        /// The most contacts that stay legible.
        max_contacts: usize,
    },
    /// No layout draws this picture legibly at its width: its contacts
    /// cross or run side by side too closely to follow one line.
    Illegible {
        /// The width it was drawn for, in pixels.
        width: u32,
        /// Its entities.
        entities: usize,
        /// Its contacts.
        contacts: usize,
    },
    /// This build lacks what the drawing needs.
    NotBuilt(Missing),
    /// Graphviz `dot` is not on `PATH`.
    RendererMissing,
    /// Graphviz `dot` could not be started.
    RendererNotStarted {
        /// Why.
        reason: String,
    },
    /// Waiting for Graphviz `dot` failed.
    RendererLost {
        /// Why.
        reason: String,
    },
    /// Graphviz `dot` failed.
    RendererFailed {
        /// Its exit status.
        status: String,
        /// What it wrote on standard error (trimmed).
        stderr: String,
    },
    /// Graphviz `dot` wrote more than it may and was stopped.
    OutputTooLarge {
        /// The most bytes it may write.
        limit: u64,
    },
    /// Graphviz `dot` ran longer than it may and was stopped.
    Timeout {
        /// How long it could run.
        seconds: u64,
    },
    /// Graphviz `dot` wrote SVG that is not UTF-8.
    NotUtf8,
    /// The in-process layout failed; `reason` is `None` when it panicked.
    InProcessFailed {
        /// Why, when it said.
        reason: Option<String>,
    },
    /// An SVG is not well-formed XML.
    MalformedSvg {
        /// Who wrote it.
        from: SvgFrom,
        /// The parser's words.
        reason: String,
    },
    /// The layout's SVG root has no end to its start tag (`start_tag`) or
    /// no end tag.
    UnclosedRoot {
        /// Whether the start tag is the one left open.
        start_tag: bool,
    },
    /// Two edits of an SVG overlap (a bug).
    OverlappingEdits,
    /// The SVG could not be read to rasterise it.
    RasterInput {
        /// Why.
        reason: String,
    },
    /// A PNG this large cannot be made.
    PictureTooLarge {
        /// Width in pixels.
        width: u32,
        /// Height in pixels.
        height: u32,
    },
    /// The PNG could not be encoded.
    PngEncoding {
        /// Why.
        reason: String,
    },
    /// The bundled font could not be read.
    FontMissing,
    /// An animation would take more steps than it may.
    TooManySteps {
        /// Its steps (distinct times).
        steps: usize,
        /// The most it may take.
        max: usize,
    },
}

impl Error {
    /// The kind of error.
    pub fn kind(&self) -> ErrorKind {
        match self {
            Error::Io { .. } => ErrorKind::Io,
            Error::Invalid(_) => ErrorKind::InvalidInput,
            Error::Query(_) => ErrorKind::Query,
            Error::Render(_) => ErrorKind::Render,
        }
    }

    /// The located report of an [`Error::Invalid`].
    pub fn report(&self) -> Option<&Report> {
        match self {
            Error::Invalid(r) => Some(r),
            _ => None,
        }
    }
}

impl From<QueryError> for Error {
    fn from(e: QueryError) -> Self {
        Error::Query(e)
    }
}

impl From<RenderError> for Error {
    fn from(e: RenderError) -> Self {
        Error::Render(e)
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Error::Io { path, source } => write!(f, "cannot read or write {path}: {source}"),
            Error::Invalid(report) => {
                let n = report.error_count();
                let plural = if n == 1 { "" } else { "s" };
                write!(f, "{} has {n} error{plural}; nothing was done", report.file)
            }
            Error::Query(e) => e.fmt(f),
            Error::Render(e) => e.fmt(f),
        }
    }
}

impl fmt::Display for QueryError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            QueryError::UnknownEntity { name, nearest } if nearest.is_empty() => {
                write!(f, "no entity is called \"{name}\": there are no entities")
            }
            QueryError::UnknownEntity { name, nearest } => write!(
                f,
                "no entity is called \"{name}\"; the nearest are: {}",
                nearest.join(", ")
            ),
            QueryError::AmbiguousEntity { name, candidates } => write!(
                f,
                "\"{name}\" could be any of: {}; give the id",
                candidates.join(", ")
            ),
            QueryError::RepeatedEntity { name, entity } => {
                write!(f, "{name:?} is {entity} again: name each entity once")
            }
            QueryError::UnknownMessage {
                id,
                listed,
                total,
                empty_note,
            } => {
                if *total == 0 {
                    write!(f, "no message is called \"{id}\": {empty_note}")
                } else {
                    let more = if *total > listed.len() { ", ..." } else { "" };
                    write!(
                        f,
                        "no message is called \"{id}\"; the messages are: {}{more}",
                        listed.join(", ")
                    )
                }
            }
            QueryError::NoOrigin { message } => write!(
                f,
                "message \"{message}\" has no \"origin\", so it cannot be traced: add \"origin\": ENTITY to it in the file"
            ),
            QueryError::UnknownOrigin { origin } => write!(f, "unknown origin \"{origin}\""),
            QueryError::NotTheOrigin {
                from,
                message,
                origin,
            } => write!(
                f,
                "{from:?} is not the origin of message \"{message}\" ({origin}): trace the message from its origin, or trace contacts from {from:?} alone"
            ),
            QueryError::MessageModeWithoutMessage => f.write_str(
                "message mode follows one message's documented chain: name the message",
            ),
            QueryError::BadTime {
                role,
                text,
                problem,
                help,
            } => write!(f, "{} {text:?}: {problem}; {help}", role.words()),
            QueryError::OpenEnd { text } => write!(
                f,
                "the end time {text:?} has no end: give a time with an end, such as 2016-11-08 (the whole day)"
            ),
            QueryError::BackwardsWindow { from, to, of } => match of {
                WindowOf::Focus => write!(
                    f,
                    "the window {from} {to} ends before it starts; swap the two dates"
                ),
                WindowOf::Timeline => write!(
                    f,
                    "the window {from:?} {to:?}: the first date is after the second; swap the two dates"
                ),
            },
            QueryError::BadTimezone { zone, problem } => {
                write!(f, "the time zone {zone}: {problem}")
            }
            QueryError::NotReached { entity, source } => {
                write!(f, "{entity} is not reached from {source}: nothing to draw")
            }
            QueryError::TooFewEntities => f.write_str("connect needs two entities or more"),
            QueryError::TemporalMeasure { measure } => {
                write!(f, "{measure} is a temporal measure")
            }
            QueryError::Limit { what, limit, found } => limit_words(f, *what, *limit, *found),
            QueryError::StoryTooLarge { file, limit } => write!(
                f,
                "{file} is larger than {limit} bytes, the most a story file may hold: if it is a contact list, name it .csv (CSV is read as it streams)"
            ),
            QueryError::EntityIds { file, problem } => write!(f, "{file}: entity id {problem}"),
        }
    }
}

/// The words of a [`QueryError::Limit`].
fn limit_words(f: &mut fmt::Formatter<'_>, what: Limited, limit: u64, found: u64) -> fmt::Result {
    match what {
        Limited::ConnectLinks | Limited::RankLinks => write!(
            f,
            "the static graph would have {found} links (every pair of the parties of each contact), more than {limit}: follow stronger contacts only"
        ),
        Limited::CentralityWork => write!(
            f,
            "betweenness and closeness search the static graph from every entity: {found} steps (entities × (entities + links)), more than {limit}: follow stronger contacts only, or rank by degree, pagerank or reach"
        ),
        Limited::CriticalWork => write!(
            f,
            "finding the cuts needs more than {limit} steps (engine runs × channels; {found} at least): examine fewer entities, or follow stronger contacts only"
        ),
        Limited::MermaidEdges => write!(
            f,
            "Mermaid draws at most {limit} edges and this input has {found}: export a focus, or another format"
        ),
        }
}

/// The words of a picture too crowded to draw legibly.
fn crowded(e: &RenderError, f: &mut fmt::Formatter<'_>) -> fmt::Result {
    match e {
            RenderError::Crowded {
                chart: Chart::Picture,
                entities,
                contacts,
                max_entities,
                max_contacts,
            } => write!(
                f,
                "this picture would draw {entities} people and organisations and {contacts} contacts (at most {max_entities} and {max_contacts} make a legible picture): narrow it to a focus, or write DOT to lay it out elsewhere"
            ),
            RenderError::Crowded {
                chart: Chart::Lanes,
                entities,
                contacts,
                max_entities,
                max_contacts,
            } => write!(
                f,
                "this lane chart would draw {entities} lanes and {contacts} contacts (at most {max_entities} and {max_contacts} make a legible chart): narrow it to a focus"
            ),
            RenderError::Illegible {
                width,
                entities,
                contacts,
            } => write!(
                f,
                "this picture of {entities} people and organisations and {contacts} contacts cannot be drawn legibly {width} px wide (its lines would run too close together to follow): narrow it to a focus, draw it wider, or write DOT to lay it out elsewhere"
            ),
        _ => Ok(()),
    }
}

impl fmt::Display for RenderError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            e @ (RenderError::Crowded { .. } | RenderError::Illegible { .. }) => crowded(e, f),
            RenderError::NotBuilt(Missing::LanePng) => f.write_str(
                "this build cannot draw PNG (it was built without the cargo feature `png`): write .svg",
            ),
            RenderError::NotBuilt(Missing::InProcessPng) => f.write_str(
                "this build cannot draw PNG in-process (it was built without the cargo feature `png`): use Graphviz `dot`, or write .svg",
            ),
            RenderError::NotBuilt(Missing::InProcessLayout) => f.write_str(
                "this build has no in-process renderer (it was built without the cargo feature `svg`): use Graphviz `dot`, or write .dot",
            ),
            RenderError::NotBuilt(Missing::AnimatedPng) => f.write_str(
                "this build cannot draw an animated PNG (it was built without the cargo feature `png`): write .svg",
            ),
            RenderError::RendererMissing => f.write_str(
                "Graphviz `dot` not found on PATH: install graphviz, or use the in-process renderer",
            ),
            RenderError::RendererNotStarted { reason } => {
                write!(f, "cannot run Graphviz `dot`: {reason}")
            }
            RenderError::RendererLost { reason } => write!(f, "waiting for Graphviz `dot`: {reason}"),
            RenderError::RendererFailed { status, stderr } => {
                write!(f, "Graphviz `dot` failed ({status}): {stderr}")
            }
            RenderError::OutputTooLarge { limit } => write!(
                f,
                "Graphviz `dot` wrote more than {} MiB and was stopped; draw a focus",
                limit >> 20
            ),
            RenderError::Timeout { seconds } => write!(
                f,
                "Graphviz `dot` took longer than {seconds} s and was stopped; draw a focus, or allow it longer"
            ),
            RenderError::NotUtf8 => f.write_str("Graphviz `dot` wrote SVG that is not UTF-8"),
            RenderError::InProcessFailed { reason: Some(reason) } => write!(
                f,
                "the in-process renderer (graphviz-pure) could not lay the graph out: {reason}; try Graphviz `dot`, or write .dot"
            ),
            RenderError::InProcessFailed { reason: None } => f.write_str(
                "the in-process renderer (graphviz-pure) failed; try Graphviz `dot`, or write .dot",
            ),
            RenderError::MalformedSvg {
                from: SvgFrom::Drawing,
                reason,
            } => write!(f, "the drawn SVG is not well-formed XML: {reason}"),
            RenderError::MalformedSvg {
                from: SvgFrom::Layout,
                reason,
            } => write!(
                f,
                "the layout engine wrote SVG that is not well-formed XML: {reason}"
            ),
            RenderError::UnclosedRoot { start_tag: true } => f.write_str(
                "the layout engine wrote an SVG root without an end to its start tag",
            ),
            RenderError::UnclosedRoot { start_tag: false } => {
                f.write_str("the layout engine wrote an SVG root without its end tag")
            }
            RenderError::OverlappingEdits => f.write_str("internal error: overlapping SVG edits"),
            RenderError::RasterInput { reason } => {
                write!(f, "cannot read the SVG to rasterise it: {reason}")
            }
            RenderError::PictureTooLarge { width, height } => {
                write!(f, "cannot make a {width}×{height} picture: too large")
            }
            RenderError::PngEncoding { reason } => write!(f, "cannot encode the PNG: {reason}"),
            RenderError::FontMissing => {
                f.write_str("the bundled font could not be read; write .svg instead")
            }
            RenderError::TooManySteps { steps, max } => write!(
                f,
                "this animation would take {steps} steps, one per distinct time (at most {max}): narrow it with --until, --between or --threshold"
            ),
        }
    }
}

impl std::error::Error for Error {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            Error::Io { source, .. } => Some(source),
            Error::Query(e) => Some(e),
            Error::Render(e) => Some(e),
            Error::Invalid(_) => None,
        }
    }
}

impl std::error::Error for QueryError {}

impl std::error::Error for RenderError {}

#[cfg(test)]
mod tests {
    use super::{Error, ErrorKind, Limited, Missing, QueryError, RenderError, TimeRole};
    use crate::diagnostic::Report;

    #[test]
    fn no_prefix_and_kinds() {
        let e = Error::Query(QueryError::UnknownEntity {
            name: "x".into(),
            nearest: vec!["a".into(), "b (B)".into()],
        });
        assert_eq!(
            e.to_string(),
            "no entity is called \"x\"; the nearest are: a, b (B)"
        );
        assert_eq!(e.kind(), ErrorKind::Query);
        let r = Error::Render(RenderError::Timeout { seconds: 3 });
        assert_eq!(r.kind(), ErrorKind::Render);
        let i = Error::Invalid(Box::new(Report::new("s.json", "{}")));
        assert_eq!(i.to_string(), "s.json has 0 errors; nothing was done");
        assert!(i.report().is_some());
    }

    #[test]
    fn no_flag_is_named() {
        let errors: Vec<Error> = vec![
            QueryError::BadTime {
                role: TimeRole::Until,
                text: "x".into(),
                problem: "p".into(),
                help: "h".into(),
            }
            .into(),
            QueryError::MessageModeWithoutMessage.into(),
            QueryError::Limit {
                what: Limited::RankLinks,
                limit: 1,
                found: 2,
            }
            .into(),
            RenderError::Timeout { seconds: 1 }.into(),
            RenderError::RendererMissing.into(),
            RenderError::NotBuilt(Missing::InProcessLayout).into(),
        ];
        for e in errors {
            assert!(!e.to_string().contains("--"), "{e}");
        }
    }
}
