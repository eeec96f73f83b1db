//! The spread as an animation: the key picture (or the lane chart)
//! replayed over time, as an animated SVG and as an animated PNG.
//!
//! [`animated_svg`] draws the picture as [`draw_svg`](super::draw_svg) (or
//! [`lanes_svg`](super::lanes_svg)) does and makes it play: a step for each
//! distinct time at which a drawn entity could first have seen it, had it
//! if the contacts reported happened, or surely had it, or at which a drawn
//! contact began (equal time for each, so that a dense stretch gets its own
//! frames), then a hold on the end, then again. Each entity takes the
//! states of the embed's time slider (`docs/embed.md`): not yet (faded),
//! could have seen it, had it if the contacts reported happened, surely had
//! it (a glow in each state's colour); each contact is faded until it
//! begins. A band under the caption gives the step's date in large type, a
//! strip with the story's markers passing by, and how many are in each
//! state.
//!
//! The SVG plays by CSS keyframes alone: no script, no SMIL, no `style`
//! attribute, nothing fetched, one `<style>` whose names are all made here
//! (no story text reaches it). The animations run only under
//! `prefers-reduced-motion: no-preference`: otherwise, and in viewers that
//! do not play CSS, the picture is the still of the end, the finding; its
//! `<title>` and `<desc>` say it in words ([`alt_text`](super::alt_text)).
//!
//! [`animated_png`] draws the same steps with resvg and writes them as an
//! APNG for social media, 1080 pixels wide by default, the end as its
//! default image (what a viewer that does not play it shows).
//!
//! # Example
//! ```
//! # #[cfg(feature = "svg")] {
//! use grapevine::render::{animated_svg, Engine, Focus, Look, Replay};
//! use grapevine::{load_path, Query, StoryCatalog};
//! let story = load_path("graphs/trump-jr-wikileaks.json".as_ref()).unwrap().story;
//! let catalog = StoryCatalog::new(&story);
//! let query = Query::message("pac-tip");
//! let focus = Focus::reach(&catalog, &query).unwrap();
//! let replay = Replay {
//!     catalog: &catalog,
//!     query: &query,
//!     story: &story,
//!     focus: &focus,
//!     engine: Engine::InProcess,
//!     look: Look::default(),
//!     lanes: false,
//! };
//! let svg = animated_svg(&replay).unwrap();
//! assert!(svg.contains("@keyframes") && !svg.contains("<script"));
//! # }
//! ```

#[cfg(feature = "png")]
mod apng;
mod band;
mod css;
mod scene;
mod timeline;

use super::{Engine, Focus, Look};
use crate::analysis::Query;
use crate::catalog::Catalog;
use crate::model::Story;
use crate::Error;

/// The width of [`animated_png`] unless another is asked, in pixels.
pub const ANIMATION_WIDTH: u32 = 1080;

/// The most steps an animation takes; a question with more distinct times
/// is refused (narrow it with `--until`, `--between` or a threshold).
pub const MAX_ANIMATION_STEPS: usize = 240;

/// What an animation replays.
pub struct Replay<'a> {
    /// The whole story, for the question's answer.
    pub catalog: &'a dyn Catalog,
    /// The reach question whose spread is replayed.
    pub query: &'a Query,
    /// What is drawn (the excerpt the focus keeps).
    pub story: &'a Story,
    /// The focus of the picture (usually [`Focus::reach`] of `query`).
    pub focus: &'a Focus,
    /// Who lays the picture out.
    pub engine: Engine,
    /// How it is drawn.
    pub look: Look,
    /// Replay the lane chart instead of the contact picture.
    pub lanes: bool,
}

/// The picture to replay, as drawn.
fn drawn(replay: &Replay) -> Result<String, Error> {
    if replay.lanes {
        super::lanes_svg(replay.story, replay.focus, &replay.look)
    } else {
        super::draw_svg(replay.story, replay.focus, replay.engine, &replay.look)
    }
}

/// The animated SVG of `replay`.
///
/// Errors: those of drawing the picture and of the question, and
/// [`RenderError::TooManySteps`](crate::RenderError::TooManySteps).
pub fn animated_svg(replay: &Replay) -> Result<String, Error> {
    let base = drawn(replay)?;
    Ok(scene::scene(replay, &base)?.svg(scene::Mode::Animated))
}

/// The animation of `replay` as an animated PNG, `width` pixels wide
/// (default [`ANIMATION_WIDTH`]): the end as the default image, then one
/// frame per step, the last held, looping forever.
///
/// Errors: those of [`animated_svg`] and of drawing a PNG; without the
/// cargo feature `png`, [`Missing::AnimatedPng`](crate::internals::error::Missing::AnimatedPng).
pub fn animated_png(replay: &Replay, width: Option<u32>) -> Result<Vec<u8>, Error> {
    #[cfg(feature = "png")]
    {
        let base = drawn(replay)?;
        let scene = scene::scene(replay, &base)?;
        apng::apng(
            &scene,
            width.unwrap_or(ANIMATION_WIDTH).min(super::MAX_PNG_WIDTH),
        )
    }
    #[cfg(not(feature = "png"))]
    {
        let _ = (replay, width);
        Err(Error::Render(crate::error::RenderError::NotBuilt(
            crate::error::Missing::AnimatedPng,
        )))
    }
}
