//! Parquet tables for Apache Spark (feature `parquet`; `docs/scale.md` has
//! every column): `export --to parquet` writes a catalogue as the tables
//! `spark/grapevine_reach.py` reads; `reach --answer` reads the job's
//! numbers back (the CLI's `answer`, through `table`) with the tables'
//! names and ids ([`ParquetCatalog`]).
//!
//! Written with the `parquet` crate's low-level column writers (no Arrow):
//! every number is an `INT64`, every text a `BYTE_ARRAY` `STRING`; a
//! nullable column is `OPTIONAL`.

mod catalog;
pub(crate) mod table;

pub use catalog::ParquetCatalog;

use std::sync::Arc;

use parquet::basic::Compression;
use parquet::data_type::{ByteArray, ByteArrayType, Int64Type};
use parquet::file::properties::WriterProperties;
use parquet::file::writer::SerializedFileWriter;
use parquet::schema::parser::parse_message_type;

use crate::catalog::{certainty_bits, Catalog, ChannelId, EventId, NO_LOWER, NO_UPPER};
use crate::io::export::{ExportFile, ExportFormat, Exported, LossReport};
use crate::model::TimeExpr;
use crate::Error;

/// One column to write: its name and values.
pub(crate) enum Column {
    /// `INT64`, required.
    Int(&'static str, Vec<i64>),
    /// `INT64`, optional (`None`: null).
    OptInt(&'static str, Vec<Option<i64>>),
    /// `STRING`, required.
    Text(&'static str, Vec<String>),
    /// `STRING`, optional.
    OptText(&'static str, Vec<Option<String>>),
}

impl Column {
    fn schema_line(&self) -> String {
        match self {
            Column::Int(n, _) => format!("required int64 {n};"),
            Column::OptInt(n, _) => format!("optional int64 {n};"),
            Column::Text(n, _) => format!("required binary {n} (STRING);"),
            Column::OptText(n, _) => format!("optional binary {n} (STRING);"),
        }
    }
}

fn parquet_err(name: &str, e: parquet::errors::ParquetError) -> Error {
    Error::Io {
        path: name.to_string(),
        source: std::io::Error::other(e.to_string()),
    }
}

/// One Parquet file (one row group, Snappy) of `columns`, all as long.
pub(crate) fn table_bytes(name: &str, columns: Vec<Column>) -> Result<Vec<u8>, Error> {
    let schema: String = columns.iter().map(Column::schema_line).collect();
    let schema = parse_message_type(&format!("message {name} {{ {schema} }}"))
        .map_err(|e| parquet_err(name, e))?;
    let props = WriterProperties::builder()
        .set_compression(Compression::SNAPPY)
        .build();
    let mut out = Vec::new();
    let mut writer = SerializedFileWriter::new(&mut out, Arc::new(schema), Arc::new(props))
        .map_err(|e| parquet_err(name, e))?;
    let mut group = writer.next_row_group().map_err(|e| parquet_err(name, e))?;
    for column in columns {
        let Some(mut w) = group.next_column().map_err(|e| parquet_err(name, e))? else {
            break;
        };
        let written = match column {
            Column::Int(_, v) => w.typed::<Int64Type>().write_batch(&v, None, None),
            Column::OptInt(_, v) => {
                let defs: Vec<i16> = v.iter().map(|x| i16::from(x.is_some())).collect();
                let vals: Vec<i64> = v.into_iter().flatten().collect();
                w.typed::<Int64Type>().write_batch(&vals, Some(&defs), None)
            }
            Column::Text(_, v) => {
                let vals: Vec<ByteArray> = v
                    .into_iter()
                    .map(|x| ByteArray::from(x.into_bytes()))
                    .collect();
                w.typed::<ByteArrayType>().write_batch(&vals, None, None)
            }
            Column::OptText(_, v) => {
                let defs: Vec<i16> = v.iter().map(|x| i16::from(x.is_some())).collect();
                let vals: Vec<ByteArray> = v
                    .into_iter()
                    .flatten()
                    .map(|x| ByteArray::from(x.into_bytes()))
                    .collect();
                w.typed::<ByteArrayType>()
                    .write_batch(&vals, Some(&defs), None)
            }
        };
        written.map_err(|e| parquet_err(name, e))?;
        w.close().map_err(|e| parquet_err(name, e))?;
    }
    group.close().map_err(|e| parquet_err(name, e))?;
    writer.close().map_err(|e| parquet_err(name, e))?;
    Ok(out)
}

/// An open end as null.
fn bound(t: i64) -> Option<i64> {
    (t != NO_LOWER && t != NO_UPPER).then_some(t)
}

/// The catalogue as the tables of `docs/scale.md`: `graph`, `entities`,
/// `aliases`, `keys`, `events`, `channels`, `carries`, `holdings` and `messages`, each a
/// `NAME.parquet` file.
pub fn export(catalog: &dyn Catalog) -> Result<Exported, Error> {
    let tables = [
        ("graph", graph_table(catalog)),
        ("entities", entity_table(catalog)),
        ("aliases", alias_table(catalog)),
        ("keys", key_table(catalog)),
        ("events", event_table(catalog)),
        ("channels", channel_table(catalog)),
        ("carries", carries_table(catalog)),
        ("holdings", holding_table(catalog)),
        ("messages", message_table(catalog)),
    ];
    let mut files = Vec::with_capacity(tables.len());
    for (name, columns) in tables {
        files.push(ExportFile {
            name: format!("{name}.parquet"),
            bytes: table_bytes(name, columns)?,
        });
    }
    Ok(Exported {
        files,
        loss: LossReport::new(ExportFormat::Parquet),
    })
}

fn graph_table(catalog: &dyn Catalog) -> Vec<Column> {
    vec![
        Column::Int("entities", vec![catalog.entity_count() as i64]),
        Column::Int("hubs", vec![i64::from(catalog.channels().hubs)]),
        Column::Int("events", vec![catalog.event_count() as i64]),
        Column::OptText(
            "timezone",
            vec![catalog.timezone_name().map(str::to_string)],
        ),
    ]
}

fn entity_table(catalog: &dyn Catalog) -> Vec<Column> {
    let n = catalog.entity_count();
    let ids = || crate::catalog::EntityId::all(n);
    vec![
        Column::Int("entity", (0..n as i64).collect()),
        Column::Text(
            "id",
            ids().map(|u| catalog.entity_id(u).to_string()).collect(),
        ),
        Column::Text(
            "name",
            ids().map(|u| catalog.entity_name(u).to_string()).collect(),
        ),
    ]
}

/// Each entity's aliases, in the story's order.
fn alias_table(catalog: &dyn Catalog) -> Vec<Column> {
    let (mut entity, mut alias) = (Vec::new(), Vec::new());
    for u in crate::catalog::EntityId::all(catalog.entity_count()) {
        for a in catalog.entity_aliases(u) {
            entity.push(u.index() as i64);
            alias.push(a.clone());
        }
    }
    vec![Column::Int("entity", entity), Column::Text("alias", alias)]
}

/// What `--from` matches after the exact ids: each entity's id, name and
/// aliases folded ([`crate::catalog::fold`]: lower case, accents removed,
/// curly quotes straight, spaces trimmed), each key once an entity.
fn key_table(catalog: &dyn Catalog) -> Vec<Column> {
    use crate::catalog::fold;
    let (mut entity, mut key) = (Vec::new(), Vec::<String>::new());
    for u in crate::catalog::EntityId::all(catalog.entity_count()) {
        let first = key.len();
        let names = std::iter::once(catalog.entity_id(u))
            .chain(std::iter::once(catalog.entity_name(u)))
            .chain(catalog.entity_aliases(u).iter().map(String::as_str));
        for name in names {
            let k = fold(name);
            if !key[first..].contains(&k) {
                entity.push(u.index() as i64);
                key.push(k);
            }
        }
    }
    vec![Column::Int("entity", entity), Column::Text("key", key)]
}

/// Every event, and every holding of a message (numbered after them).
fn event_table(catalog: &dyn Catalog) -> Vec<Column> {
    let mut numbers: Vec<EventId> = (0..catalog.event_count()).map(EventId::at).collect();
    let mut holding = vec![0i64; numbers.len()];
    for m in 0..catalog.message_count() {
        for h in catalog.holding_channels(&catalog.message(m).id) {
            numbers.push(h.event);
            holding.push(1);
        }
    }
    vec![
        Column::Int("event", numbers.iter().map(|e| e.index() as i64).collect()),
        Column::Text(
            "id",
            numbers
                .iter()
                .map(|&e| catalog.event_id(e).into_owned())
                .collect(),
        ),
        Column::Int("holding", holding),
    ]
}

fn channel_table(catalog: &dyn Catalog) -> Vec<Column> {
    let ch = catalog.channels();
    let all = || ChannelId::all(ch.len());
    vec![
        Column::Int("channel", all().map(|c| c.index() as i64).collect()),
        Column::Int("from", all().map(|c| i64::from(ch.from(c).0)).collect()),
        Column::Int("to", all().map(|c| i64::from(ch.to(c).0)).collect()),
        Column::OptInt("lo", all().map(|c| bound(ch.lo(c))).collect()),
        Column::OptInt("hi", all().map(|c| bound(ch.hi(c))).collect()),
        Column::Int(
            "certainty",
            all().map(|c| i64::from(ch.certainty[c.index()])).collect(),
        ),
        Column::Int("event", all().map(|c| i64::from(ch.event(c).0)).collect()),
    ]
}

fn carries_table(catalog: &dyn Catalog) -> Vec<Column> {
    let (mut message, mut event) = (Vec::new(), Vec::new());
    for m in 0..catalog.message_count() {
        let id = catalog.message(m).id.clone();
        for e in catalog.carrying_events(&id) {
            message.push(id.clone());
            event.push(e.index() as i64);
        }
    }
    vec![
        Column::Text("message", message),
        Column::Int("event", event),
    ]
}

fn holding_table(catalog: &dyn Catalog) -> Vec<Column> {
    let mut rows = Vec::new();
    for m in 0..catalog.message_count() {
        let id = catalog.message(m).id.clone();
        for (k, h) in catalog.holding_channels(&id).into_iter().enumerate() {
            rows.push((id.clone(), k, h));
        }
    }
    let col = |f: &dyn Fn(&crate::catalog::HoldingChannel) -> i64| {
        rows.iter().map(|(_, _, h)| f(h)).collect::<Vec<i64>>()
    };
    vec![
        Column::Text("message", rows.iter().map(|r| r.0.clone()).collect()),
        Column::Int("holding", rows.iter().map(|r| r.1 as i64).collect()),
        Column::Int("from", col(&|h| i64::from(h.from.0))),
        Column::Int("to", col(&|h| i64::from(h.to.0))),
        Column::OptInt("lo", rows.iter().map(|(_, _, h)| bound(h.lo)).collect()),
        Column::OptInt("hi", rows.iter().map(|(_, _, h)| bound(h.hi)).collect()),
        Column::Int(
            "certainty",
            col(&|h| i64::from(certainty_bits(h.certainty))),
        ),
        Column::Int("event", col(&|h| h.event.index() as i64)),
    ]
}

/// Each message's origin (null: none, or not an entity), the start of its
/// time (`t0`; null: no lower bound) and its end (by when the origin surely
/// held it; null: not known).
fn message_table(catalog: &dyn Catalog) -> Vec<Column> {
    let (mut id, mut origin, mut start, mut held) = (vec![], vec![], vec![], vec![]);
    for m in 0..catalog.message_count() {
        let msg = catalog.message(m);
        let iv = msg
            .time
            .as_ref()
            .map(TimeExpr::interval)
            .unwrap_or_default();
        id.push(msg.id.clone());
        origin.push(
            msg.origin
                .as_deref()
                .and_then(|o| catalog.entity_number(o))
                .map(|u| u.index() as i64),
        );
        start.push(iv.lo);
        held.push(iv.hi);
    }
    vec![
        Column::Text("message", id),
        Column::OptInt("origin", origin),
        Column::OptInt("start", start),
        Column::OptInt("held", held),
    ]
}
