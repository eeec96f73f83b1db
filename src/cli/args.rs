//! clap definitions.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};

/// Turn a reported story into a graph and ask who could have seen a message,
/// by when, through whom, and how sure we are.
#[derive(Debug, Parser)]
#[command(name = "grapevine", version, about, max_term_width = 100)]
pub struct Cli {
    /// What to do.
    #[command(subcommand)]
    pub command: Command,
}

/// The commands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Validate a story file and summarise it.
    Check {
        /// The story file.
        file: PathBuf,
        /// Print the summary as one JSON object.
        #[arg(long)]
        json: bool,
    },
    /// Rewrite a story file canonically (field order, 2-space indent), losing nothing.
    Fmt {
        /// The story file.
        file: PathBuf,
        /// Do not write; exit 1 when the file is not canonical.
        #[arg(long)]
        check: bool,
        /// Print to standard output instead of rewriting the file.
        #[arg(long, conflicts_with = "check")]
        stdout: bool,
    },
    /// Who could have seen it: reachability from an entity or of a message.
    Reach {
        /// The story file.
        file: PathBuf,
        #[command(flatten)]
        source: SourceArgs,
        /// message: only events that carry the message; contacts: any contact.
        #[arg(long, value_enum)]
        mode: Option<ModeArg>,
        #[command(flatten)]
        options: QueryOptions,
    },
    /// The earliest-arrival chain from one entity to another, hop by hop.
    Path {
        /// The story file.
        file: PathBuf,
        /// Where the information starts (id, name or alias).
        #[arg(long)]
        from: String,
        /// Who it reaches (id, name or alias).
        #[arg(long)]
        to: String,
        /// Start time: the source holds it from then on.
        #[arg(long)]
        since: Option<String>,
        #[command(flatten)]
        options: QueryOptions,
    },
    /// Why an entity is not reached, naming the events.
    WhyNot {
        /// The story file.
        file: PathBuf,
        #[command(flatten)]
        source: SourceArgs,
        /// The entity that is not reached (id, name or alias).
        #[arg(long)]
        to: String,
        /// message or contacts.
        #[arg(long, value_enum)]
        mode: Option<ModeArg>,
        #[command(flatten)]
        options: QueryOptions,
    },
}

/// Where the information starts.
#[derive(Debug, Args)]
#[group(required = true, multiple = true)]
pub struct SourceArgs {
    /// An entity (id, name or alias): contacts from it.
    #[arg(long)]
    pub from: Option<String>,
    /// A message id: its origin and time (default mode: message).
    #[arg(long)]
    pub message: Option<String>,
    /// Start time (a time expression): the source holds it from then on.
    #[arg(long)]
    pub since: Option<String>,
}

/// Options every reachability query takes.
#[derive(Debug, Args)]
pub struct QueryOptions {
    /// Follow only events of this certainty or stronger.
    #[arg(long, value_enum, default_value = "unknown")]
    pub threshold: CertaintyArg,
    /// Each hop at least one second after its sender's receipt.
    #[arg(long)]
    pub strict: bool,
    /// Print JSON instead of a table.
    #[arg(long)]
    pub json: bool,
}

/// `--threshold`
#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum CertaintyArg {
    /// confirmed events only
    Confirmed,
    /// reported or stronger
    Reported,
    /// alleged or stronger
    Alleged,
    /// every event
    Unknown,
}

impl From<CertaintyArg> for grapevine::Certainty {
    fn from(c: CertaintyArg) -> Self {
        match c {
            CertaintyArg::Confirmed => grapevine::Certainty::Confirmed,
            CertaintyArg::Reported => grapevine::Certainty::Reported,
            CertaintyArg::Alleged => grapevine::Certainty::Alleged,
            CertaintyArg::Unknown => grapevine::Certainty::Unknown,
        }
    }
}

/// `--mode`
#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum ModeArg {
    /// only events that carry the message
    Message,
    /// any contact
    Contacts,
}
