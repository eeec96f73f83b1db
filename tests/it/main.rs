//! The one integration-test binary: a module per area.

mod analyses;
mod animate;
mod answers;
mod backward;
mod browser;
mod browser_stories;
mod cli;
mod corpus;
mod corroboration;
mod csv_fuzz;
mod diff;
mod edges;
mod embed;
mod equality;
mod export_parts;
mod grades;
mod hostile_csv;
mod hostile_import;
mod hostile_out;
mod hostile_story;
mod interchange;
mod limits;
mod malformed;
mod merge;
mod reach_props;
mod render;
mod roundtrip;
mod sheets;
#[cfg(feature = "parquet")]
mod spark;
mod stories;
mod story;
mod strategies;
mod terminal;
