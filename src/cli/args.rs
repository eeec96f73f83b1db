//! clap definitions: each command lists only the options that apply to it,
//! explains its output and ends with examples on the bundled story and the
//! exit codes.

use std::path::PathBuf;

use crate::analysis::rank::Measure;
use crate::io::export::ExportFormat;
use crate::render::{Fit, Format};
use crate::{Certainty, Mode};
use clap::{Args, Parser, Subcommand, ValueEnum};

/// What the exit codes mean, at the end of every `--help`.
const EXIT_CODES: &str = "\
Exit codes:
  0  an answer (or a clean check) was printed
  1  no answer: path's target is not reached (or critical's --to), fmt --check
     would change the file, diff's answer differs, merge kept a claim told
     differently as two, a drawing failed
  2  bad input: a file with errors, an unknown name or message, a bad option";

/// The text after a command's options: what its output means (may be
/// empty), examples, and the exit codes.
fn after(output: &str, examples: &str) -> String {
    let mut s = String::new();
    if !output.is_empty() {
        s.push_str(output);
        s.push_str("\n\n");
    }
    s.push_str("Examples (the bundled story):\n");
    s.push_str(examples);
    s.push_str("\n\n");
    s.push_str(EXIT_CODES);
    s
}

/// The words of `reach`'s and `path`'s answers, for their `--help`.
const ANSWER_WORDS: &str = "\
Dates are shown in the story's time zone, at the precision the story gives them. The
answer assumes that the listed contacts happened; EVIDENCE says how sure that is.
  COULD HAVE IT FROM  the earliest time the dates allow it to have the information
  SURELY HAD IT BY    the time by which it surely had it if the contacts it rests on
                      happened: a date, \"date unknown\" when a contact has no later date
                      bound, \"not sure (dates overlap)\" when the dates do not prove that
                      the contacts came in order
  EVIDENCE            the strongest level at which it is reached: confirmed, reported,
                      alleged or unknown (only through a contact nobody knows happened)
  CHAIN               one earliest chain from the source, fewest hops
  rests on:           under a row weaker than confirmed: the weakest contact that
                      evidence depends on
  the chain shown rests on:
                      when the chain shown passes through a contact weaker than the
                      row's evidence: that contact, and from when the entity could
                      have it on contacts of its evidence level alone
--json prints the same answer with times in RFC 3339 UTC (docs/format.md).";

/// Turn a reported story into a graph and ask who could have seen a message,
/// by when, through whom, and how sure we are.
#[derive(Debug, Parser)]
#[command(
    name = "grapevine",
    version,
    about,
    max_term_width = 100,
    after_help = after(
        "",
        "  grapevine check    graphs/trump-jr-wikileaks.json
  grapevine reach    graphs/trump-jr-wikileaks.json --message pac-tip
  grapevine path     graphs/trump-jr-wikileaks.json --message pac-tip --to trump
  grapevine why-not  graphs/trump-jr-wikileaks.json --message pac-tip --to manafort
  grapevine critical graphs/trump-jr-wikileaks.json --message pac-tip --to trump
  grapevine rank     graphs/trump-jr-wikileaks.json --by betweenness
  grapevine connect  graphs/trump-jr-wikileaks.json trump-jr assange
  grapevine timeline graphs/trump-jr-wikileaks.json --entity \"Hope Hicks\"
  grapevine render   graphs/trump-jr-wikileaks.json --reach pac-tip -o key.svg"
    )
)]
pub struct Cli {
    /// What to do.
    #[command(subcommand)]
    pub command: Command,
}

/// The input file and how to read it (every command but `fmt`).
#[derive(Debug, Args)]
pub struct InputArgs {
    /// The story file, a CSV contact list (.csv) or a claims workbook (.xlsx, .ods, a folder
    /// of CSV files); `-` reads standard input.
    pub file: PathBuf,
    /// No progress bar while a large file loads (it is shown only on a terminal anyway).
    #[arg(long, short)]
    pub quiet: bool,
    /// CSV input: leave bad rows out (counted, the first few shown) instead of failing.
    #[arg(long)]
    pub skip_bad_rows: bool,
}

/// The commands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Validate a story file or a CSV contact list and summarise it.
    #[command(after_help = after(
        "Every error is reported at once, located by line and column; with errors nothing else
is printed and the exit code is 2. Warnings go to standard error. With --skip-bad-rows,
a CSV file's bad rows are reported as warnings and left out of the summary.",
        "  grapevine check graphs/trump-jr-wikileaks.json
  grapevine check graphs/trump-jr-wikileaks.json --json"
    ))]
    Check {
        #[command(flatten)]
        input: InputArgs,
        /// Print the summary (or the errors) as one JSON object.
        #[arg(long)]
        json: bool,
    },
    /// Rewrite a story file canonically (field order, 2-space indent), losing nothing.
    #[command(after_help = after(
        "",
        "  grapevine fmt graphs/trump-jr-wikileaks.json --check
  grapevine fmt graphs/trump-jr-wikileaks.json --stdout"
    ))]
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
    /// Who could have seen it, from when, surely by when, and on what evidence.
    #[command(after_help = after(
        ANSWER_WORDS,
        "  grapevine reach graphs/trump-jr-wikileaks.json --message pac-tip
  grapevine reach graphs/trump-jr-wikileaks.json --message pac-tip \\
      --mode contacts --until 2016-11-08
  grapevine reach graphs/trump-jr-wikileaks.json --from wikileaks \\
      --since 2016-09-20 --threshold confirmed
  grapevine reach graphs/trump-jr-wikileaks.json --to \"The Atlantic\" --until 2017-07-11
  grapevine reach graphs/trump-jr-wikileaks.json \\
      --had trump-jr 2016-09-20 --had the-atlantic 2017-07-11
--to and --had ask the question backwards: who could have told them (docs/analyses.md).
COULD HAVE TOLD BY is the latest time the entity could first have had the information
and still got it to every target by its time; CHAIN, one such chain to each target."
    ), override_usage = "grapevine reach [OPTIONS] <--from <FROM>|--message <MESSAGE>> <FILE>
       grapevine reach [OPTIONS] <--to <ENTITY>|--had <ENTITY> <TIME>...> <FILE>")]
    Reach {
        #[command(flatten)]
        input: InputArgs,
        #[command(flatten)]
        source: SourceArgs,
        #[command(flatten)]
        targets: super::backward::TargetArgs,
        /// message: only events that carry the message; contacts: any contact.
        #[arg(long, value_enum)]
        mode: Option<Mode>,
        #[command(flatten)]
        options: QueryOptions,
        /// With --json: leave each row's `path` out (`via` and `previous` still
        /// rebuild every chain), for answers on large corpora.
        #[arg(long)]
        no_paths: bool,
        /// FILE is the output folder of spark/grapevine_reach.py: print its answer
        /// (the question is the one the job answered; docs/scale.md).
        #[cfg(feature = "parquet")]
        #[arg(long, group = "source", conflicts_with_all = ["from", "message", "since", "to", "had"])]
        answer: bool,
    },
    /// The chain to one entity, hop by hop: reach's answer for it, with each hop's date and quote.
    #[command(after_help = after(
        ANSWER_WORDS,
        "  grapevine path graphs/trump-jr-wikileaks.json --message pac-tip --to \"Donald Trump\"
  grapevine path graphs/trump-jr-wikileaks.json --from wikileaks --to \"hope hicks\"
  grapevine path graphs/trump-jr-wikileaks.json --from wikileaks \\
      --since 2016-09-20 --to trump-jr --threshold confirmed"
    ))]
    Path {
        #[command(flatten)]
        input: InputArgs,
        #[command(flatten)]
        source: SourceArgs,
        /// Who it reaches (id, name or alias).
        #[arg(long)]
        to: String,
        /// message: only events that carry the message; contacts: any contact.
        #[arg(long, value_enum)]
        mode: Option<Mode>,
        #[command(flatten)]
        options: QueryOptions,
    },
    /// The story's contacts in time order, with their evidence.
    #[command(after_help = after(
        "Each line: the date in the story's time zone at its own precision, the kind, the
certainty, who took part (sender → receivers, or participants joined by —), and the
summary below. Undated contacts come last.",
        "  grapevine timeline graphs/trump-jr-wikileaks.json --entity \"Hope Hicks\"
  grapevine timeline graphs/trump-jr-wikileaks.json \\
      --between 2016-10-10 2016-10-14 --threshold confirmed"
    ))]
    Timeline {
        #[command(flatten)]
        input: InputArgs,
        /// Only events involving this entity (id, name or alias).
        #[arg(long)]
        entity: Option<String>,
        /// Only events that could fall in this window: two time expressions, earlier first.
        #[arg(long, num_args = 2, value_names = ["FROM", "TO"], value_parser = super::times::time_arg)]
        between: Option<Vec<String>>,
        /// Only events of this certainty or stronger.
        #[arg(long, value_enum, default_value = "unknown")]
        threshold: Certainty,
        /// Print JSON instead of a table.
        #[arg(long)]
        json: bool,
    },
    /// Why an entity is not reached, naming the events.
    #[command(after_help = after(
        "One line per reason: no contacts at all; no contact carries the message; a contact
came before the sender could have had it; reached only below the threshold, or all its
contacts are below it; reached only without --strict; reached only after --until; its
contacts are never reached themselves; no contact goes to it. --json gives each reason's kind, events, entities and times.",
        "  grapevine why-not graphs/trump-jr-wikileaks.json --message pac-tip --to manafort
  grapevine why-not graphs/trump-jr-wikileaks.json --from wikileaks \\
      --since 2016-09-20 --threshold confirmed --to kushner"
    ))]
    WhyNot {
        #[command(flatten)]
        input: InputArgs,
        #[command(flatten)]
        source: SourceArgs,
        /// The entity that is not reached (id, name or alias).
        #[arg(long)]
        to: String,
        /// message or contacts.
        #[arg(long, value_enum)]
        mode: Option<Mode>,
        #[command(flatten)]
        options: QueryOptions,
    },
    /// What a correction changes: the claims that differ between two versions of a story, and what that does to the answer.
    #[command(after_help = after(
        "Lists the claims (events, holdings, messages, entities, relations, markers) added,
removed or changed, field by field. With --message or --from it also answers the same
question on both versions and lists who is newly reached or no longer reached, whose
earliest or definite time, evidence, weakest claim or chain moved, and which claims became
or stopped being critical (a claim whose removal alone cuts someone off). Exit code 0
when the answer is the same (with no question: when no claim differs), 1 when it
differs: a newsroom's CI can run it on its story files.",
        "  grapevine diff old.json new.json
  grapevine diff old.json graphs/trump-jr-wikileaks.json --message pac-tip"
    ))]
    Diff(DiffArgs),
    /// Two stories about the same people made one: entities judged or matched, shared claims kept once with every citation, conflicts kept as two claims.
    #[command(after_help = after(
        "Entities of the second file join those of the first when a judgements file says
\"same\" or when id and name (folded) are equal; a \"different\" judgement keeps them
apart. Other likely pairs (same link, same name or alias, initials, same id) are PROPOSED
with a score and reasons, and joined only with --accept-proposals; --propose FILE writes
them, with the given judgements, as a judgements file to edit (\"unsure\" -> \"same\" or
\"different\"). A claim both files make is kept once with every citation; the same contact
told differently (another date, another certainty) is kept as two claims and listed as a
CONFLICT. Ids of the second file that the first uses for something else get a suffix (-b),
listed. The output is the first file plus what the second adds: diff FIRST OUT shows it.
Exit code 0 when merged without conflicts, 1 when a conflict was kept as two claims.",
        "  grapevine merge graphs/trump-jr-wikileaks.json examples/merge/second-outlet.json -o merged.json
  grapevine merge graphs/trump-jr-wikileaks.json examples/merge/second-outlet.json -o merged.json \\
      --judgements examples/merge/judgements.json"
    ))]
    Merge(MergeArgs),
    /// What the finding hangs on: the contacts whose removal cuts each reached entity off.
    #[command(after_help = after(
        "For each reached entity (or --to): CUT is the size of the smallest set of contacts
whose removal cuts it off (no chain of the other contacts reaches it), then that set:
among equally small sets, the one of the weakest evidence, then the one nearest the
entity. \"each of these alone cuts it off\" lists its single points of failure; each
contact named is listed below with its date, certainty, quote and source.
--drop EVENT... answers the other way round: who is still reached if these contacts
are false (and who no longer is). --json prints the same answers (docs/analyses.md).",
        "  grapevine critical graphs/trump-jr-wikileaks.json --message pac-tip
  grapevine critical graphs/trump-jr-wikileaks.json --message pac-tip --to trump
  grapevine critical graphs/trump-jr-wikileaks.json --message pac-tip \\
      --drop forward-pac-tip-staff"
    ))]
    Critical(CriticalArgs),
    /// Who matters in the network: every entity ranked by one measure.
    #[command(after_help = after(
        "Static measures (the simple graph of entities: two are linked when they share a contact
at or above --threshold, or with --relations a relation; networkx's values):
  degree       the fraction of the others each is linked to
  betweenness  the fraction of shortest paths between two others through it (normalised)
  closeness    how near it is to those it is connected to (Wasserman-Faust)
  pagerank     PageRank, damping 0.85
Temporal measures (time-respecting chains, as reach):
  reach        how many others it could have told, from its first contact (or --since)
  told         how many others could have told it, each from its first contact (or --since)
reach and told are exact; past entities x contacts = 10^11 (about 10^6 rows) they are
estimated in one pass (--exact counts, --estimate estimates), within a stated bound.
  broker       on how many of the earliest chains it is an intermediate: from --from or
               --message, else summed over every entity as the source
Ties share a rank. The table shows the first --top rows; --json prints every entity.",
        "  grapevine rank graphs/trump-jr-wikileaks.json --by betweenness
  grapevine rank graphs/trump-jr-wikileaks.json --by reach --since 2016-09-20
  grapevine rank graphs/trump-jr-wikileaks.json --by broker --message pac-tip"
    ))]
    Rank(RankArgs),
    /// How some people are linked: the shortest static paths and the earliest chains between them.
    #[command(after_help = after(
        "For every pair: how many steps apart they are in the static graph (two entities are
one step apart when they share a contact, or with --relations a relation) and how many
shortest paths there are, then the earliest time-respecting chain each way, as reach and
path find it. Then the connecting network: every link on a shortest path of some pair,
with its contacts. `grapevine render FILE --connect A B ...` draws it.",
        "  grapevine connect graphs/trump-jr-wikileaks.json trump-jr assange
  grapevine connect graphs/trump-jr-wikileaks.json wikileaks trump hicks --threshold reported"
    ))]
    Connect(ConnectArgs),
    /// Draw the story: DOT (default, to standard output), SVG, PNG or HTML, optionally focused.
    ///
    /// The format comes from OUT's extension (.dot, .svg, .png, .html) or --format.
    /// SVG and PNG are drawn in-process; --engine system uses Graphviz `dot`.
    /// HTML is one file for an article (docs/embed.md): the finding, the picture,
    /// the table, a time slider; --embed-snippet prints the iframe that embeds it.
    /// --animate replays a reach over time: animated SVG, or animated PNG (APNG).
    #[command(after_help = after(
        "",
        "  grapevine render graphs/trump-jr-wikileaks.json -o story.svg
  grapevine render graphs/trump-jr-wikileaks.json --reach pac-tip --fit phone -o key.svg
  grapevine render graphs/trump-jr-wikileaks.json --reach pac-tip -o key.png
  grapevine render graphs/trump-jr-wikileaks.json --lanes --reach pac-tip -o lanes.svg
  grapevine render graphs/trump-jr-wikileaks.json --reach pac-tip --animate -o spread.svg
  grapevine render graphs/trump-jr-wikileaks.json --reach pac-tip --animate -o spread.png
  grapevine render graphs/trump-jr-wikileaks.json --reach pac-tip --alt-text
  grapevine render graphs/trump-jr-wikileaks.json --message pac-tip -o story.html --embed-snippet
  grapevine render graphs/trump-jr-wikileaks.json --connect trump-jr assange -o link.svg"
    ))]
    Render(RenderArgs),
    /// Convert a claims workbook (.xlsx, .ods, a folder of CSV files), a CSV contact list
    /// (from,to,time[,id,kind,certainty,carries]), a FollowTheMoney JSONL file or a GEXF file
    /// to a story file.
    #[command(after_help = after(
        "Without --from the input is read as every command reads it (a story or a CSV contact
list). With --from ftm or --from gexf, what the file holds that a story has no field for
is kept as x-ftm-... or x-gexf-... fields and listed on standard error, with every entity
of a schema that is not read; errors are located by line and column.",
        "  grapevine import claims.xlsx -o story.json
  grapevine import mail.csv -o story.json
  grapevine import entities.ftm.json --from ftm --timezone America/New_York -o story.json
  grapevine import story.gexf --from gexf -o story.json"
    ))]
    Import {
        #[command(flatten)]
        input: InputArgs,
        /// Where to write the story (default: standard output).
        #[arg(short, long, value_name = "OUT")]
        output: Option<PathBuf>,
        /// The input's format (default: a story or a CSV contact list, as every command reads).
        #[arg(long, value_enum, value_name = "FORMAT")]
        from: Option<FromArg>,
        /// --from ftm: the zone of calendar dates (FtM keeps no zone; times of day are UTC).
        #[arg(long, value_name = "ZONE")]
        timezone: Option<String>,
    },
    /// Write the story (or a CSV corpus) for another tool: FollowTheMoney, GEXF, GraphML,
    /// Cytoscape.js, Mermaid, Cypher, Neo4j CSV, or the claims workbook (xlsx, a folder of CSV
    /// files). Says what the format cannot keep.
    #[command(after_help = after(
        "What the format loses is printed on standard error (--json: as a JSON list, on standard
output when -o is given). --strict-export makes any loss an error: nothing is written and
the exit code is 2. --to neo4j-csv writes five files into the folder OUT, --to sheets one
CSV file a sheet of the claims workbook (--to xlsx), which `import` reads back unchanged. docs/interchange.md
has each format's mapping and the command that loads it in the receiving tool.",
        "  grapevine export graphs/trump-jr-wikileaks.json --to gexf -o story.gexf
  grapevine export graphs/trump-jr-wikileaks.json --to ftm -o story.ftm.json
  grapevine export graphs/trump-jr-wikileaks.json --to cypher -o story.cypher
  grapevine export graphs/trump-jr-wikileaks.json --to neo4j-csv -o neo4j-import
  grapevine export graphs/trump-jr-wikileaks.json --to xlsx -o claims.xlsx
  grapevine export graphs/trump-jr-wikileaks.json --to mermaid --around kushner"
    ))]
    Export(ExportArgs),
    /// Start a story from a template: a claims workbook (.xlsx), a folder of CSV files (a
    /// name without extension) or a story file (.json), with one example row of each kind.
    #[command(after_help = after(
        "The template has a readme sheet that explains every column, and one example of each
kind of row, taken from the bundled story (graphs/trump-jr-wikileaks.json): replace them
with your own. An existing file is never overwritten.",
        "  grapevine new claims.xlsx
  grapevine new claims
  grapevine new story.json"
    ))]
    New {
        /// The file to write: .xlsx, .json, or a folder for CSV files.
        file: PathBuf,
    },
}

/// `grapevine critical`
#[derive(Debug, Args)]
pub struct CriticalArgs {
    #[command(flatten)]
    pub input: InputArgs,
    #[command(flatten)]
    pub source: SourceArgs,
    /// Only this entity (id, name or alias).
    #[arg(long, conflicts_with = "drop")]
    pub to: Option<String>,
    /// message: only events that carry the message; contacts: any contact.
    #[arg(long, value_enum)]
    pub mode: Option<Mode>,
    #[command(flatten)]
    pub options: QueryOptions,
    /// Take these events (ids) as false: who is still reached without them?
    #[arg(long, num_args = 1.., value_name = "EVENT")]
    pub drop: Vec<String>,
}

/// `grapevine diff`
#[derive(Debug, Args)]
pub struct DiffArgs {
    /// The story before the correction.
    pub old: PathBuf,
    /// The story after it.
    pub new: PathBuf,
    /// Also compare the answers: contacts from this entity (id, name or alias).
    #[arg(long, conflicts_with = "message")]
    pub from: Option<String>,
    /// Also compare the answers: this message from its origin.
    #[arg(long)]
    pub message: Option<String>,
    /// Start time (a time expression): the source holds it from then on.
    #[arg(long, value_parser = super::times::time_arg)]
    pub since: Option<String>,
    /// message: only events that carry the message; contacts: any contact.
    #[arg(long, value_enum)]
    pub mode: Option<Mode>,
    #[command(flatten)]
    pub options: QueryOptions,
}

/// `grapevine merge`
#[derive(Debug, Args)]
pub struct MergeArgs {
    /// The first story: the merged story keeps its ids and its words.
    pub a: PathBuf,
    /// The second story: what it adds is added.
    pub b: PathBuf,
    /// Where to write the merged story.
    #[arg(short, long, value_name = "OUT")]
    pub output: PathBuf,
    /// Decisions: {"format": "grapevine-judgements/1", "judgements": [{"a", "b", "judgement": "same"|"different"|"unsure", "by", "why", "at"}]}.
    #[arg(long, value_name = "FILE")]
    pub judgements: Option<PathBuf>,
    /// Write the judgements and the proposals (as "unsure") to this file, to edit.
    #[arg(long, value_name = "FILE")]
    pub propose: Option<PathBuf>,
    /// Join the proposed pairs too (best score first, each entity once).
    #[arg(long)]
    pub accept_proposals: bool,
    /// Print the report as JSON.
    #[arg(long)]
    pub json: bool,
}

/// `grapevine rank`
#[derive(Debug, Args)]
pub struct RankArgs {
    #[command(flatten)]
    pub input: InputArgs,
    /// The measure.
    #[arg(long, value_enum)]
    pub by: Measure,
    /// broker: the chains from this entity (id, name or alias).
    #[arg(long, conflicts_with = "message")]
    pub from: Option<String>,
    /// broker: the chains of this message from its origin.
    #[arg(long)]
    pub message: Option<String>,
    /// broker with --message: message (documented chain) or contacts.
    #[arg(long, value_enum, requires = "message")]
    pub mode: Option<Mode>,
    /// Temporal measures: every source holds it from this time on.
    #[arg(long, value_parser = super::times::time_arg, value_name = "TIME")]
    pub since: Option<String>,
    /// Temporal measures: only what arrives by this time (its last second).
    #[arg(long, value_parser = super::times::until_arg, value_name = "TIME")]
    pub until: Option<String>,
    /// Temporal measures: each hop at least a second after its sender had it.
    #[arg(long)]
    pub strict: bool,
    /// reach and told: count exactly, however large the input (past
    /// entities × contacts = 10^11 they are estimated by default).
    #[arg(long, conflicts_with = "estimate")]
    pub exact: bool,
    /// reach and told: estimate (one pass with a HyperLogLog sketch per
    /// entity; exact counts up to 4095), however small the input.
    #[arg(long)]
    pub estimate: bool,
    /// Follow (or link) only contacts of this certainty or stronger.
    #[arg(long, value_enum, default_value = "unknown")]
    pub threshold: Certainty,
    /// Static measures: standing relations link their ends too.
    #[arg(long)]
    pub relations: bool,
    /// Betweenness and closeness: count paths through audiences (entities of
    /// kind group) too; by default an audience is an endpoint, never a broker.
    #[arg(long)]
    pub through_groups: bool,
    /// Rows of the table (0: all).
    #[arg(long, default_value_t = 20, value_name = "N")]
    pub top: usize,
    /// Print JSON (every entity) instead of a table.
    #[arg(long)]
    pub json: bool,
}

/// `grapevine connect`
#[derive(Debug, Args)]
pub struct ConnectArgs {
    #[command(flatten)]
    pub input: InputArgs,
    /// The entities (ids, names or aliases), two or more.
    #[arg(required = true, num_args = 2.., value_name = "ENTITY")]
    pub entities: Vec<String>,
    /// Only contacts (and relations) of this certainty or stronger.
    #[arg(long, value_enum, default_value = "unknown")]
    pub threshold: Certainty,
    /// Standing relations link their ends too (not the chains: nothing travels along them).
    #[arg(long)]
    pub relations: bool,
    /// Static paths may pass through audiences (entities of kind group); by
    /// default an audience is an endpoint, never a link between others.
    #[arg(long)]
    pub through_groups: bool,
    /// The chains: each entity holds it from this time on (default: since before any contact).
    #[arg(long, value_parser = super::times::time_arg, value_name = "TIME")]
    pub since: Option<String>,
    /// The chains: arriving by this time (its last second).
    #[arg(long, value_parser = super::times::until_arg, value_name = "TIME")]
    pub until: Option<String>,
    /// The chains: each hop at least a second after its sender had it.
    #[arg(long)]
    pub strict: bool,
    /// Print JSON instead of a table.
    #[arg(long)]
    pub json: bool,
}

/// `grapevine export`
#[derive(Debug, Args)]
pub struct ExportArgs {
    /// The input file and how to read it.
    #[command(flatten)]
    pub input: InputArgs,
    /// The format to write.
    #[arg(long, value_enum, value_name = "FORMAT")]
    pub to: ExportFormat,
    /// Where to write (default: standard output; a folder for neo4j-csv, made if missing).
    #[arg(short, long, value_name = "OUT")]
    pub output: Option<PathBuf>,
    /// Print the loss report as a JSON list.
    #[arg(long)]
    pub json: bool,
    /// Fail, writing nothing, when the format loses anything.
    #[arg(long)]
    pub strict_export: bool,
    /// Export only the neighbourhood of ENTITY (see --depth).
    #[arg(long, value_name = "ENTITY")]
    pub around: Option<String>,
    /// With --around: how many contacts or relations away.
    #[arg(long, default_value_t = 1, value_name = "N")]
    pub depth: usize,
    /// Export only contacts whose dates overlap the window from FROM to TO.
    #[arg(long, value_parser = super::times::time_arg, num_args = 2, value_names = ["FROM", "TO"])]
    pub between: Option<Vec<String>>,
}

/// `--from`
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum FromArg {
    /// a CSV contact list (the default reading of a .csv file)
    Csv,
    /// FollowTheMoney entities, one JSON object a line
    Ftm,
    /// GEXF (Gephi)
    Gexf,
}

/// `grapevine render`
#[derive(Debug, Args)]
pub struct RenderArgs {
    /// The input file and how to read it.
    #[command(flatten)]
    pub input: InputArgs,
    /// Where to write the picture (default: DOT to standard output).
    #[arg(short, long, value_name = "OUT")]
    pub output: Option<PathBuf>,
    /// The format, when OUT's extension does not say it.
    #[arg(long, value_enum)]
    pub format: Option<Format>,
    /// Who lays the graph out: in-process (no system package) or Graphviz `dot` from PATH.
    #[arg(long, value_enum, default_value = "in-process")]
    pub engine: EngineArg,
    /// Seconds `--engine system` may run before it is stopped.
    #[arg(long, default_value_t = 60, value_name = "SECONDS")]
    pub timeout: u64,
    /// Where the picture goes: phone (375 px, time runs downwards), column
    /// (700 px) or wide (1200 px); sets the layout and the labels so that text
    /// stays legible at that width.
    #[arg(long, value_enum, default_value = "column")]
    pub fit: Fit,
    /// PNG: its width in pixels (default: the fit's width at twice the pixel
    /// density, 1400 for a column); SVG: the widest it is shown, in CSS pixels
    /// (default: as wide as its container). 16 to 8000.
    #[arg(long, value_name = "PIXELS", value_parser = clap::value_parser!(u32).range(16..=8000))]
    pub width: Option<u32>,
    /// Draw a lane chart: one lane per person on a true time axis, each
    /// contact an arrow between lanes at its date (SVG or PNG).
    #[arg(long)]
    pub lanes: bool,
    /// Replay the spread over time (with --reach, --reach-from or --path):
    /// an animated SVG (CSS only, the end where motion is reduced) or, to a
    /// .png, an animated PNG for social media, 1080 px wide unless --width.
    #[arg(long)]
    pub animate: bool,
    /// Draw the standing relations (family, member of, founder of) too; with
    /// --connect they also link the entities.
    #[arg(long)]
    pub relations: bool,
    /// Leave out the caption line naming who a reach did not reach.
    #[arg(long)]
    pub no_unreached: bool,
    /// Print the plain-language summary (for an image's alt text) instead of drawing.
    #[arg(long)]
    pub alt_text: bool,
    /// Highlight who could have seen message MSG, through which chains.
    #[arg(long, visible_alias = "message", value_name = "MSG", conflicts_with_all = ["reach_from", "path"])]
    pub reach: Option<String>,
    /// Highlight whom ENTITY's contacts could have told.
    #[arg(long, value_name = "ENTITY", conflicts_with = "path")]
    pub reach_from: Option<String>,
    /// With --reach-from or --path: the source holds it from this time on.
    #[arg(long, value_parser = super::times::time_arg, value_name = "TIME")]
    pub since: Option<String>,
    /// With --reach, --reach-from or --path: only who could have it by this
    /// time (its last second; "surely" only by then too).
    #[arg(long, value_parser = super::times::until_arg, value_name = "TIME")]
    pub until: Option<String>,
    /// Draw one chain: the earliest-arrival path from A to B.
    #[arg(long, num_args = 2, value_names = ["A", "B"])]
    pub path: Option<Vec<String>>,
    /// Draw how these entities are linked: the shortest paths between them and the earliest chains.
    #[arg(long, num_args = 2.., value_name = "ENTITY", conflicts_with_all = ["reach", "reach_from", "path", "since"])]
    pub connect: Option<Vec<String>>,
    /// Keep only the neighbourhood of ENTITY (see --depth).
    #[arg(long, value_name = "ENTITY")]
    pub around: Option<String>,
    /// With --around: how many contacts or relations away.
    #[arg(long, default_value_t = 1, value_name = "N")]
    pub depth: usize,
    /// Keep only contacts whose dates overlap the window from FROM to TO.
    #[arg(long, value_parser = super::times::time_arg, num_args = 2, value_names = ["FROM", "TO"])]
    pub between: Option<Vec<String>>,
    /// HTML: also print the <iframe> and the script that sizes it, for an
    /// article page (the iframe's src is OUT's file name, or --embed-src).
    #[arg(long)]
    pub embed_snippet: bool,
    /// With --embed-snippet: the address the article loads the page from (a
    /// relative path or an http(s) URL).
    #[arg(long, value_name = "URL", requires = "embed_snippet")]
    pub embed_src: Option<String>,
    /// Hide contacts weaker than this (and follow only these with --reach).
    #[arg(long, value_enum)]
    pub threshold: Option<Certainty>,
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
    #[arg(long, value_parser = super::times::time_arg)]
    pub since: Option<String>,
}

/// Options every reachability query takes.
#[derive(Debug, Args)]
pub struct QueryOptions {
    /// Follow only events of this certainty or stronger.
    #[arg(long, value_enum, default_value = "unknown")]
    pub threshold: Certainty,
    /// Each hop at least one second after its sender's receipt.
    #[arg(long)]
    pub strict: bool,
    /// Only by this time (a time expression; its last second): who could have
    /// it by then, and who surely had it by then.
    #[arg(long, value_parser = super::times::until_arg, value_name = "TIME")]
    pub until: Option<String>,
    /// Follow only contacts (and holdings) cited by at least N independent
    /// publishers (a story file's sources; docs/analyses.md).
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u32).range(1..))]
    pub corroborated: Option<u32>,
    /// Take each claim at the weaker of its certainty and what its best
    /// Admiralty-graded citation supports (docs/format.md, "Grades").
    #[arg(long)]
    pub graded: bool,
    /// Print JSON instead of a table.
    #[arg(long)]
    pub json: bool,
}
