//! The lane chart.

use super::{Focus, Look};
use crate::model::Story;
use crate::Error;

/// The lane chart of `story` under `focus` as SVG.
pub fn lanes_svg(_story: &Story, _focus: &Focus, _look: &Look) -> Result<String, Error> {
    Err(Error::Render("not yet".into()))
}

/// The lane chart as PNG.
pub fn lanes_png(_story: &Story, _focus: &Focus, _look: &Look, _width: Option<u32>) -> Result<Vec<u8>, Error> {
    Err(Error::Render("not yet".into()))
}
