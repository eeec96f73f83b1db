//! A Spark job's output folder (`spark/grapevine_reach.py PQ OUT ...`): the
//! question it answered (`query`), its passes (`levels`, `definite`), read
//! into what [`crate::analysis::reach`] makes an answer of.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use crate::analysis::reach::{Given, GivenError, LevelPass};
use crate::catalog::{certainty_of_bits, ChannelId, EntityId};
use crate::index::{Index, IndexSpec, Mode};
use crate::io::parquet::table::{bad, Table};
use crate::io::parquet::ParquetCatalog;
use crate::{Error, ReachQuery, SourceHeld};

/// The question of an output folder, and the tables it was asked of.
#[derive(Debug)]
pub(crate) struct Asked {
    /// The folder of the input's tables (`PQ`).
    pub(crate) tables: PathBuf,
    pub(crate) spec: IndexSpec,
    pub(crate) query: ReachQuery,
}

fn one(t: &Table, col: &str) -> Result<Option<i64>, Error> {
    Ok(t.ints(col)?.first().copied().flatten())
}

/// Reads `out/query`: the question the job answered.
pub(crate) fn read_asked(out: &Path, paths: bool) -> Result<Asked, Error> {
    if !out.is_dir() {
        return Err(bad(out, "not a folder of a Spark job's answer"));
    }
    let t = Table::read(out, "query")?;
    if t.len() != 1 {
        return Err(bad(&t.path, "the query table must have one row"));
    }
    let text = |col: &str| -> Result<Option<String>, Error> {
        Ok(t.texts(col)?.first().cloned().flatten())
    };
    let tables = text("tables")?.ok_or_else(|| bad(&t.path, "`tables` is null"))?;
    let tables = out.join(tables);
    let mode: Mode = text("mode")?
        .unwrap_or_default()
        .parse()
        .map_err(|e: String| bad(&t.path, e))?;
    let threshold = one(&t, "threshold")?
        .filter(|b| (0..4).contains(b))
        .map(|b| certainty_of_bits(b as u8))
        .ok_or_else(|| bad(&t.path, "`threshold` is not 0 to 3"))?;
    let source = one(&t, "source")?
        .and_then(|s| u32::try_from(s).ok())
        .ok_or_else(|| bad(&t.path, "`source` is not an entity number"))?;
    let held = match (one(&t, "held_always")?.unwrap_or(0), one(&t, "held")?) {
        (1, _) => SourceHeld::Always,
        (_, Some(h)) => SourceHeld::By(h),
        (_, None) => SourceHeld::Unknown,
    };
    Ok(Asked {
        tables,
        spec: IndexSpec {
            message: text("message")?,
            mode,
            threshold,
        },
        query: ReachQuery {
            source: EntityId(source),
            start: one(&t, "start")?,
            source_held: held,
            strict: one(&t, "strict")?.unwrap_or(0) != 0,
            until: one(&t, "until")?,
            paths,
        },
    })
}

/// Reads the catalogue of an asked question's tables.
pub(crate) fn read_catalog(asked: &Asked) -> Result<ParquetCatalog, Error> {
    let catalog = ParquetCatalog::read(&asked.tables)?;
    if asked.query.source.index() >= crate::Catalog::entity_count(&catalog) {
        return Err(bad(
            &asked.tables,
            format!(
                "the answer's source {} is not an entity of these tables",
                asked.query.source.0
            ),
        ));
    }
    Ok(catalog)
}

/// Reads the passes of `out` (`levels` and `definite`) for `index`.
pub(crate) fn read_given(out: &Path, index: &Index) -> Result<Given, Error> {
    let nodes = index.node_count();
    let mut channel: HashMap<(u32, u32, u32), ChannelId> = HashMap::new();
    for c in index.channels() {
        channel.insert((index.from(c).0, index.to(c).0, index.event(c).0), c);
    }
    let t = Table::read(out, "levels")?;
    let (level, node, time, hops) = (
        t.required("level")?,
        t.required("node")?,
        t.required("time")?,
        t.ints("hops")?,
    );
    let (via_from, via_event) = (t.ints("via_from")?, t.ints("via_event")?);
    let mut passes: [Option<LevelPass>; 4] = [None, None, None, None];
    for row in 0..t.len() {
        let at = |what: &str| bad(&t.path, format!("row {}: {what}", row + 1));
        let l = usize::try_from(level[row])
            .ok()
            .filter(|&l| l < 4)
            .ok_or_else(|| at("`level` is not 0 to 3"))?;
        let v = usize::try_from(node[row])
            .ok()
            .filter(|&v| v < nodes)
            .ok_or_else(|| at("`node` is not a node of the tables"))?;
        let pass = passes[l].get_or_insert_with(|| LevelPass::new(nodes));
        pass.time[v] = time[row];
        let Some(h) = hops[row] else {
            // A level given as times alone.
            pass.chains = false;
            continue;
        };
        pass.hops[v] = u32::try_from(h).map_err(|_| at("`hops` is out of range"))?;
        pass.via[v] = match (via_from[row], via_event[row]) {
            (Some(f), Some(e)) => {
                let key = (
                    u32::try_from(f).unwrap_or(u32::MAX),
                    v as u32,
                    u32::try_from(e).unwrap_or(u32::MAX),
                );
                Some(*channel.get(&key).ok_or_else(|| {
                    at(&format!(
                        "no channel of event {e} from node {f} to node {v} in this question"
                    ))
                })?)
            }
            _ => None,
        };
    }
    let levels = passes
        .into_iter()
        .enumerate()
        .filter_map(|(l, p)| p.map(|p| (certainty_of_bits(l as u8), p)))
        .collect();
    let definite = read_definite(out, nodes)?;
    Given::new(index, levels, definite).map_err(|e| match e {
        GivenError::MissingLevel(l) => bad(&t.path, format!("no pass at level {l:?}")),
        GivenError::BrokenChain(l, v) => bad(
            &t.path,
            format!("at level {l:?}, node {v}'s chain does not lead back to the source"),
        ),
    })
}

fn read_definite(out: &Path, nodes: usize) -> Result<Vec<Option<i64>>, Error> {
    let t = Table::read(out, "definite")?;
    let (node, def) = (t.required("node")?, t.required("definite")?);
    let mut out = vec![None; nodes];
    for row in 0..t.len() {
        let v = usize::try_from(node[row])
            .ok()
            .filter(|&v| v < nodes)
            .ok_or_else(|| bad(&t.path, format!("row {}: `node` is not a node", row + 1)))?;
        out[v] = Some(def[row]);
    }
    Ok(out)
}
