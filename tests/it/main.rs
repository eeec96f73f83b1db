//! The one integration-test binary: a module per area.

mod cli;
mod corpus;
mod csv_fuzz;
mod hostile_csv;
mod malformed;
mod reach_props;
mod render;
mod roundtrip;
mod story;
mod strategies;
