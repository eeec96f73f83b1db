//! The command line's errors: the library's, said with the flags that
//! change them, and its own (options that do not go together, a file it
//! will not touch); what it prints for each, and the exit code.

use crate::error::{Chart, Limited, Missing, QueryError, RenderError, TimeRole, WindowOf};
use std::fmt;

use crate::Error;

/// An error of the command line.
#[derive(Debug)]
pub enum CliError {
    /// The library's error.
    Lib(Error),
    /// The command line cannot do what its arguments ask (options that do
    /// not go together, a file it will not rewrite): the words to print.
    Usage(String),
    /// The thread drawing the picture stopped unexpectedly.
    DrawingStopped,
}

impl From<Error> for CliError {
    fn from(e: Error) -> Self {
        CliError::Lib(e)
    }
}

impl From<QueryError> for CliError {
    fn from(e: QueryError) -> Self {
        CliError::Lib(Error::Query(e))
    }
}

impl CliError {
    /// The exit code: 1 when drawing failed, 2 for bad input (a file, a
    /// name, an option).
    pub fn exit_code(&self) -> u8 {
        match self {
            CliError::Lib(Error::Render(_)) | CliError::DrawingStopped => 1,
            _ => 2,
        }
    }

    /// The library's error, if it is one.
    pub fn lib(&self) -> Option<&Error> {
        match self {
            CliError::Lib(e) => Some(e),
            _ => None,
        }
    }
}

/// What the command line prints after "error: ": the library's message, or
/// the command line's words where they name its flags.
impl fmt::Display for CliError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            CliError::Lib(Error::Query(e)) => match query_words(e) {
                Some(words) => f.write_str(&words),
                None => e.fmt(f),
            },
            CliError::Lib(Error::Render(e)) => match render_words(e) {
                Some(words) => f.write_str(&words),
                None => e.fmt(f),
            },
            CliError::Lib(e) => e.fmt(f),
            CliError::Usage(words) => f.write_str(words),
            CliError::DrawingStopped => f.write_str("drawing stopped unexpectedly"),
        }
    }
}

/// The flag a time was given with.
fn time_flag(role: TimeRole) -> &'static str {
    match role {
        TimeRole::Since => "--since",
        TimeRole::Until => "--until",
        _ => "--between",
    }
}

/// The words of the query errors the flags change; `None` for the others
/// (their `Display` is what is printed).
fn query_words(e: &QueryError) -> Option<String> {
    Some(match e {
        QueryError::NotTheOrigin {
            from,
            message,
            origin,
        } => format!(
            "--from {from:?} is not the origin of message \"{message}\" ({origin}): leave out --from, or use --from alone for contacts from {from:?}"
        ),
        QueryError::MessageModeWithoutMessage => {
            "--mode message follows one message's documented chain: give --message MSG".to_string()
        }
        QueryError::BadTime {
            role,
            text,
            problem,
            help,
        } => format!("{} {text:?}: {problem}; {help}", time_flag(*role)),
        QueryError::OpenEnd { text } => format!(
            "--until {text:?} has no end: give a time with an end, such as 2016-11-08 (the whole day)"
        ),
        QueryError::BackwardsWindow {
            from,
            to,
            of: WindowOf::Timeline,
        } => format!(
            "--between {from:?} {to:?}: the first date is after the second; swap the two dates"
        ),
        QueryError::BackwardsWindow { from, to, .. } => {
            format!("--between {from} {to}: the window ends before it starts; swap the two dates")
        }
        QueryError::BadTimezone { zone, problem } => format!("--timezone {zone}: {problem}"),
        QueryError::NotReached { .. } => {
            format!("{e}; `grapevine why-not` says why")
        }
        QueryError::Limit { what, limit, found } => match what {
            Limited::ConnectLinks => format!(
                "the static graph would have {found} links (every pair of the parties of each contact), more than {limit}: raise --threshold"
            ),
            Limited::RankLinks => format!(
                "the static graph would have {found} links (every pair of the parties of each contact), more than {limit}: raise --threshold, or rank by reach or broker"
            ),
            Limited::CentralityWork => format!(
                "betweenness and closeness search the static graph from every entity: {found} steps (entities × (entities + links)), more than {limit} (about a minute): raise --threshold (fewer links), or rank --by degree, pagerank or reach, which take seconds"
            ),
            Limited::CriticalWork => format!(
                "critical needs more than {limit} steps (engine runs × channels; {found} at least): name the entities to examine with --to, or raise --threshold"
            ),
            Limited::MermaidEdges => format!(
                "Mermaid draws at most {limit} edges and this input has {found}: export a focus \
                 (--around ENTITY --depth 1, or --between FROM TO), or use --to gexf or --to cytoscape"
            ),
        },
        _ => return None,
    })
}

/// The words of the drawing errors the flags change; `None` for the others.
fn render_words(e: &RenderError) -> Option<String> {
    Some(match e {
        RenderError::Crowded {
            chart: Chart::Picture,
            entities,
            contacts,
            max_entities,
            max_contacts,
        } => format!(
            "this picture would draw {entities} people and organisations and {contacts} contacts (at most {max_entities} and {max_contacts} make a legible picture): \
             narrow it with --reach MSG, --reach-from ENTITY, --path A B, --around ENTITY --depth 1, \
             --between DATE DATE or --threshold confirmed, or write DOT (-o picture.dot) to lay it out elsewhere"
        ),
        RenderError::Crowded {
            entities,
            contacts,
            max_entities,
            max_contacts,
            ..
        } => format!(
            "this lane chart would draw {entities} lanes and {contacts} contacts (at most {max_entities} and {max_contacts} make a legible chart): narrow it with --reach MSG, --around ENTITY, --between DATE DATE or --threshold confirmed"
        ),
        RenderError::Illegible {
            width,
            entities,
            contacts,
        } => format!(
            "this picture of {entities} people and organisations and {contacts} contacts cannot be drawn legibly {width} px wide (its lines would run too close together to follow): \
             narrow it with --reach MSG, --reach-from ENTITY, --path A B, --around ENTITY --depth 1, \
             --between DATE DATE or --threshold confirmed; draw it wider (--fit column or --fit wide), \
             draw the lane chart (--lanes), or write DOT (-o picture.dot) to lay it out elsewhere"
        ),
        RenderError::NotBuilt(Missing::InProcessPng) => {
            "this build cannot draw PNG in-process (it was built without the cargo feature `png`): use --engine system, or write .svg".to_string()
        }
        RenderError::NotBuilt(Missing::InProcessLayout) => {
            "this build has no in-process renderer (it was built without the cargo feature `svg`): use --engine system, or write .dot".to_string()
        }
        RenderError::RendererMissing => {
            "Graphviz `dot` not found on PATH: install graphviz, or leave out --engine system".to_string()
        }
        RenderError::OutputTooLarge { limit } => format!(
            "Graphviz `dot` wrote more than {} MiB and was stopped (the most grapevine reads from it); try a focus (--around, --between, --reach), or check the `dot` on PATH",
            limit >> 20
        ),
        RenderError::Timeout { seconds } => format!(
            "Graphviz `dot` took longer than {seconds} s and was stopped; try a focus (--around, --between, --reach) or a longer --timeout"
        ),
        RenderError::InProcessFailed { reason: Some(reason) } => format!(
            "the in-process renderer (graphviz-pure) could not lay the graph out: {reason}; try --engine system, or write .dot"
        ),
        RenderError::InProcessFailed { reason: None } => {
            "the in-process renderer (graphviz-pure) failed; try --engine system, or write .dot".to_string()
        }
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::CliError;
    use crate::error::{QueryError, RenderError, TimeRole};
    use crate::Error;

    #[test]
    fn flags_are_named_here() {
        let e = CliError::from(QueryError::BadTime {
            role: TimeRole::Until,
            text: "x".into(),
            problem: "p".into(),
            help: "h".into(),
        });
        assert_eq!(e.to_string(), "--until \"x\": p; h");
        assert_eq!(e.exit_code(), 2);
        let r = CliError::Lib(Error::Render(RenderError::Timeout { seconds: 3 }));
        assert!(r.to_string().ends_with("or a longer --timeout"));
        assert_eq!(r.exit_code(), 1);
        assert_eq!(CliError::DrawingStopped.exit_code(), 1);
        assert_eq!(CliError::Usage("no".into()).to_string(), "no");
    }
}
