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
    /// No progress bar while a large file loads (it is shown only on a terminal anyway).
    #[arg(long, short, global = true)]
    pub quiet: bool,
    /// CSV input: leave bad rows out (counted, the first few shown) instead of failing.
    #[arg(long, global = true)]
    pub skip_bad_rows: bool,
}

/// The commands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Validate a story file and summarise it.
    Check {
        /// The story file, or a CSV contact list (.csv).
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
        /// The story file, or a CSV contact list (.csv).
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
        /// The story file, or a CSV contact list (.csv).
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
    /// The story's contacts in time order, with their evidence.
    Timeline {
        /// The story file, or a CSV contact list (.csv).
        file: PathBuf,
        /// Only events involving this entity (id, name or alias).
        #[arg(long)]
        entity: Option<String>,
        /// Only events that could fall in this window: two time expressions.
        #[arg(long, num_args = 2, value_names = ["FROM", "TO"])]
        between: Option<Vec<String>>,
        /// Only events of this certainty or stronger.
        #[arg(long, value_enum, default_value = "unknown")]
        threshold: CertaintyArg,
        /// Print JSON instead of a table.
        #[arg(long)]
        json: bool,
    },
    /// Why an entity is not reached, naming the events.
    WhyNot {
        /// The story file, or a CSV contact list (.csv).
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
    /// Draw the story: DOT (default, to standard output), SVG or PNG, optionally focused.
    ///
    /// The format comes from OUT's extension (.dot, .svg, .png) or --format.
    /// SVG and PNG are drawn in-process; --engine system uses Graphviz `dot`.
    Render(RenderArgs),
    /// Convert a CSV contact list (from,to,time[,id,kind,certainty,carries]) to a story file.
    Import {
        /// The CSV file.
        file: PathBuf,
        /// Where to write the story (default: standard output).
        #[arg(short, long, value_name = "OUT")]
        output: Option<PathBuf>,
    },
}

/// `grapevine render`
#[derive(Debug, Args)]
pub struct RenderArgs {
    /// The story file, or a CSV contact list (.csv).
    pub file: PathBuf,
    /// Where to write the picture (default: DOT to standard output).
    #[arg(short, long, value_name = "OUT")]
    pub output: Option<PathBuf>,
    /// The format, when OUT's extension does not say it.
    #[arg(long, value_enum)]
    pub format: Option<FormatArg>,
    /// Who lays the graph out: in-process (no system package) or Graphviz `dot` from PATH.
    #[arg(long, value_enum, default_value = "in-process")]
    pub engine: EngineArg,
    /// Seconds `--engine system` may run before it is stopped.
    #[arg(long, default_value_t = 60, value_name = "SECONDS")]
    pub timeout: u64,
    /// Width of a PNG in pixels, 16 to 8000 (default: twice the drawing's own
    /// size, at most 8000; a very tall picture is scaled down to 40 megapixels).
    #[arg(long, value_name = "PIXELS", value_parser = clap::value_parser!(u32).range(16..=8000))]
    pub width: Option<u32>,
    /// Print the plain-language summary (for an image's alt text) instead of drawing.
    #[arg(long)]
    pub alt_text: bool,
    /// Highlight who could have seen message MSG, through which chains.
    #[arg(long, value_name = "MSG", conflicts_with_all = ["reach_from", "path"])]
    pub reach: Option<String>,
    /// Highlight whom ENTITY's contacts could have told.
    #[arg(long, value_name = "ENTITY", conflicts_with = "path")]
    pub reach_from: Option<String>,
    /// With --reach-from or --path: the source holds it from this time on.
    #[arg(long, value_name = "TIME")]
    pub since: Option<String>,
    /// Draw one chain: the earliest-arrival path from A to B.
    #[arg(long, num_args = 2, value_names = ["A", "B"])]
    pub path: Option<Vec<String>>,
    /// Keep only the neighbourhood of ENTITY (see --depth).
    #[arg(long, value_name = "ENTITY")]
    pub around: Option<String>,
    /// With --around: how many contacts or relations away.
    #[arg(long, default_value_t = 1, value_name = "N")]
    pub depth: usize,
    /// Keep only contacts whose dates overlap the window from FROM to TO.
    #[arg(long, num_args = 2, value_names = ["FROM", "TO"])]
    pub between: Option<Vec<String>>,
    /// Hide contacts weaker than this (and follow only these with --reach).
    #[arg(long, value_enum)]
    pub threshold: Option<CertaintyArg>,
}

/// `--format`
#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum FormatArg {
    /// Graphviz DOT text
    Dot,
    /// accessible SVG
    Svg,
    /// PNG picture
    Png,
}

/// `--engine`
#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum EngineArg {
    /// graphviz-pure, in this process
    InProcess,
    /// Graphviz `dot` from PATH
    System,
}

/// Where the information starts.
#[derive(Debug, Args)]
#[group(skip)]
#[command(group = clap::ArgGroup::new("source").required(true).multiple(true))]
pub struct SourceArgs {
    /// An entity (id, name or alias): contacts from it.
    #[arg(long, group = "source")]
    pub from: Option<String>,
    /// A message id: its origin and time (default mode: message).
    #[arg(long, group = "source")]
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
    /// Only by this time (a time expression; its last second): who could have
    /// it by then, and who surely had it by then.
    #[arg(long, value_name = "TIME")]
    pub until: Option<String>,
    /// With --json: leave each row's `path` out (`via` and `previous` still
    /// rebuild every chain), for answers on large corpora.
    #[arg(long)]
    pub no_paths: bool,
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
