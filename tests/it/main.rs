//! The one integration-test binary: a module per area.

mod corpus;
mod cli;
mod reach_props;
mod story;
