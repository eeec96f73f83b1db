//! # grapevine
//!
//! Turn a reported story into an entity-relationship graph and ask who could
//! have seen a message, by when, through whom, and how sure we are.
//!
//! ## Overview
//!
//! A story file (format 1, JSON) lists **entities** (people, organisations,
//! groups), **messages** (pieces of information whose spread is traced) and
//! dated **events** (contacts: a direct message, an email forward, a meeting),
//! each with a certainty and its sources. Data flows one way:
//!
//! file → [`load_path`] or [`read`] → [`Story`] (validated) → [`Index`] (compiled, time-sorted
//! channels) → [`analysis`] → an answer that serialises to JSON.
//!
//! Dates may be known only to the day, the month, or as an open interval;
//! [`reach`] answers honestly with `possible` and `definite` timing and the
//! strongest evidence level at which each entity is reached.
//!
//! ## Example
//!
//! Who could have seen WikiLeaks' 20 September 2016 message, following only
//! the documented chain of forwards:
//!
//! ```
//! use grapevine::{load_path, reach_story, Query};
//!
//! let loaded = load_path("graphs/trump-jr-wikileaks.json".as_ref()).unwrap();
//! let answer = reach_story(&loaded.story, &Query::message("pac-tip")).unwrap();
//! let kushner = answer.get("kushner").unwrap();
//! let path = kushner.path.as_ref().unwrap();
//! assert_eq!(path, &["dm-pac-tip", "forward-pac-tip-staff"]);
//! assert_eq!(kushner.previous.as_deref(), Some("trump-jr"));
//! assert_eq!(kushner.evidence, grapevine::Certainty::Reported);
//! println!("{}", serde_json::to_string_pretty(&answer).unwrap());
//! ```
//!
//! ## Crate features
//!
//! - `svg` (default): lay diagrams out in-process with graphviz-pure, a
//!   pure-Rust port of Graphviz (EPL-2.0), so [`render::to_svg`] needs no
//!   system package. About 140 CPU-seconds of a clean release build.
//! - `png` (default, implies `svg`): rasterise diagrams to PNG in-process
//!   with resvg ([`render::to_png`]). About 135 CPU-seconds more.
//!
//! With `--no-default-features` everything else stays: DOT output
//! ([`render::to_dot`]), alt text, and SVG or PNG through Graphviz `dot` from
//! `PATH` ([`render::Engine::System`]).
#![deny(missing_docs)]
#![forbid(unsafe_code)]

pub mod analysis;
mod catalog;
#[cfg(feature = "cli")]
pub mod cli;
mod diagnostic;
mod error;
mod escape;
mod graph;
mod index;
mod io;
mod model;
mod par;
pub mod render;

// Reading and writing a story, a CSV corpus, other tools' files.
pub use io::csv::{Corpus, CsvOptions};
pub use io::export::{export, ExportFormat, Exported};
pub use io::judgements::{judgements_to_json, read_judgements};
pub use io::{load_bytes, load_path, load_str, read, to_json, Input, Loaded};

// The story and its parts.
pub use model::{
    Certainty, Citation, Credibility, Entity, EntityKind, Event, Grading, Holding, Interval,
    Marker, Message, Parties, Precision, Relation, Reliability, Source, Story, TimeExpr,
};
// The order of events (`after`): the loader applies it; a story built in
// code applies it with this before any question.
pub use model::order::{order_events, OrderProblem};

// Any input as a catalogue, compiled into an index of channels; the typed
// numbers at the seams.
pub use catalog::{
    Catalog, ChannelId, EntityId, EventId, HoldingChannel, Hop, HubId, Node, NodeId, StoryCatalog,
};
pub use index::{Index, IndexSpec, Mode};

// The questions and their answers (the other analyses are in [`analysis`]).
pub use analysis::backward::{
    backward, backward_rows, Backward, BackwardAnswer, BackwardQuery, BackwardRows, Told,
};
pub use analysis::path::{path, PathAnswer};
pub use analysis::reach::{
    reach, reach_rows, Asked, ReachAnswer, ReachQuery, ReachRows, Reached, RowFields, RowValue,
    SourceHeld, Timing,
};
pub use analysis::why_not::{why_not, WhyNot};
pub use analysis::{reach_story, Origin, Query};

// Pictures (the rest is in [`render`]).
pub use render::{alt_text, to_dot, to_png, to_svg, Engine, Focus};

// What went wrong.
pub use diagnostic::{Diagnostic, Report, Severity};
pub use error::{Error, ErrorKind, QueryError, RenderError};

/// The engine's inner pieces, for grapevine's own tests and benchmarks: not
/// part of the API, and may change in any release.
#[doc(hidden)]
#[allow(missing_docs)]
pub mod internals {
    pub mod catalog {
        pub use crate::catalog::*;
    }
    pub mod diagnostic {
        pub use crate::diagnostic::*;
    }
    pub mod error {
        pub use crate::error::*;
    }
    pub mod escape {
        pub use crate::escape::*;
    }
    pub mod graph {
        pub use crate::graph::*;
    }
    pub mod index {
        pub use crate::index::*;
    }
    pub mod io {
        pub use crate::io::*;
    }
    pub mod model {
        pub use crate::model::*;
    }
    pub mod render {
        pub mod html {
            pub use crate::render::html::*;
            pub mod csp {
                pub use crate::render::html::csp::*;
            }
        }
        pub mod style {
            pub use crate::render::style::*;
        }
    }
}
