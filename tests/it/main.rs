//! The one integration-test binary: a module per area.

mod reach_props;
mod story;
