//! The one-pass estimate of `rank --by reach` and `--by told`: when a
//! corpus is too large to count exactly, [`crate::analysis::spread`]'s sketches
//! stand in for the exact sweeps.

use super::{temporal_answer, Measure, RankAnswer, RankOptions};
use crate::analysis::spread::{estimate, Direction};
use crate::catalog::Catalog;
use crate::index::{Index, IndexSpec, Mode};

/// Entities × contacts past which `rank --by reach` and `--by told`
/// estimate instead of counting exactly (10^11: the exact sweeps then take
/// more than about ten seconds; 10^6 generated rows, 87,510 entities, stay
/// exact).
pub const ESTIMATE_WORK: f64 = 1e11;

/// Whether reach and told on `catalog` are past [`ESTIMATE_WORK`].
pub fn past_estimate_work(catalog: &dyn Catalog) -> bool {
    catalog.entity_count() as f64 * catalog.channels().len() as f64 > ESTIMATE_WORK
}

/// [`super::rank_reach`] or [`super::rank_told`] (`measure`), estimated in one pass with
/// sketches of 2^`precision` registers ([`crate::analysis::spread`]);
/// `progress(done, total)` as the pass goes. `None` when some contact is
/// not one exact second (then only the exact counts are made), or for
/// another measure.
pub fn rank_estimated(
    catalog: &dyn Catalog,
    measure: Measure,
    options: &RankOptions,
    precision: u8,
    progress: &dyn Fn(usize, usize),
) -> Option<RankAnswer> {
    let direction = match measure {
        Measure::Reach => Direction::Reach,
        Measure::Told => Direction::Told,
        _ => return None,
    };
    let spec = IndexSpec {
        message: None,
        mode: Mode::Contacts,
        threshold: options.threshold,
    };
    let index = Index::build(catalog, &spec);
    let est = estimate(&index, options, direction, precision, progress)?;
    let mut answer = temporal_answer(catalog, measure, options, None, None, est.counts);
    answer.estimate = Some(est.info);
    Some(answer)
}
