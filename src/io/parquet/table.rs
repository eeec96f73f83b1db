//! Reading a table: `NAME.parquet` (as `export --to parquet` writes it) or a
//! folder `NAME/` of part files (as Spark writes it), into named columns.

use std::collections::HashMap;
use std::fs::File;
use std::path::{Path, PathBuf};

use parquet::file::serialized_reader::SerializedFileReader;
use parquet::record::Field;

use crate::Error;

/// A table read whole: its columns by name, each a value per row.
#[derive(Debug, Clone, Default)]
pub(crate) struct Table {
    /// Where it was read (for errors).
    pub(crate) path: PathBuf,
    rows: usize,
    ints: HashMap<String, Vec<Option<i64>>>,
    texts: HashMap<String, Vec<Option<String>>>,
}

/// An error about `path`: `what` is wrong with it.
pub(crate) fn bad(path: &Path, what: impl Into<String>) -> Error {
    Error::Io {
        path: path.display().to_string(),
        source: std::io::Error::other(what.into()),
    }
}

impl Table {
    /// Reads table `name` of folder `dir`: `dir/name.parquet`, or every
    /// `.parquet` file in `dir/name/` (in name order).
    pub(crate) fn read(dir: &Path, name: &str) -> Result<Table, Error> {
        let file = dir.join(format!("{name}.parquet"));
        let folder = dir.join(name);
        let parts: Vec<PathBuf> = if file.is_file() {
            vec![file]
        } else if folder.is_dir() {
            let mut parts: Vec<PathBuf> = std::fs::read_dir(&folder)
                .map_err(|source| Error::Io {
                    path: folder.display().to_string(),
                    source,
                })?
                .filter_map(|e| e.ok().map(|e| e.path()))
                .filter(|p| p.extension().is_some_and(|x| x == "parquet"))
                .collect();
            parts.sort();
            parts
        } else {
            return Err(bad(
                dir,
                format!("no table `{name}` here (neither {name}.parquet nor a folder {name}/)"),
            ));
        };
        let mut table = Table {
            path: if parts.len() == 1 {
                parts[0].clone()
            } else {
                folder
            },
            ..Table::default()
        };
        for part in &parts {
            table.read_part(part)?;
        }
        Ok(table)
    }

    fn read_part(&mut self, part: &Path) -> Result<(), Error> {
        let file = File::open(part).map_err(|source| Error::Io {
            path: part.display().to_string(),
            source,
        })?;
        let reader = SerializedFileReader::new(file).map_err(|e| bad(part, e.to_string()))?;
        for row in reader.into_iter() {
            let row = row.map_err(|e| bad(part, e.to_string()))?;
            for (name, field) in row.get_column_iter() {
                self.push(part, name, field)?;
            }
            self.rows += 1;
        }
        Ok(())
    }

    fn push(&mut self, part: &Path, name: &str, field: &Field) -> Result<(), Error> {
        let rows = self.rows;
        let int = |v: Option<i64>, ints: &mut HashMap<String, Vec<Option<i64>>>| {
            let col = ints.entry(name.to_string()).or_default();
            col.resize(rows, None);
            col.push(v);
        };
        match field {
            Field::Null => {
                int(None, &mut self.ints);
                let col = self.texts.entry(name.to_string()).or_default();
                col.resize(rows, None);
                col.push(None);
            }
            Field::Bool(b) => int(Some(i64::from(*b)), &mut self.ints),
            Field::Byte(v) => int(Some(i64::from(*v)), &mut self.ints),
            Field::Short(v) => int(Some(i64::from(*v)), &mut self.ints),
            Field::Int(v) => int(Some(i64::from(*v)), &mut self.ints),
            Field::Long(v) => int(Some(*v), &mut self.ints),
            Field::UByte(v) => int(Some(i64::from(*v)), &mut self.ints),
            Field::UShort(v) => int(Some(i64::from(*v)), &mut self.ints),
            Field::UInt(v) => int(Some(i64::from(*v)), &mut self.ints),
            Field::Str(s) => {
                let col = self.texts.entry(name.to_string()).or_default();
                col.resize(rows, None);
                col.push(Some(s.clone()));
            }
            other => {
                return Err(bad(
                    part,
                    format!("column `{name}` holds {other}, not a whole number or a text"),
                ))
            }
        }
        Ok(())
    }

    /// Number of rows.
    pub(crate) fn len(&self) -> usize {
        self.rows
    }

    /// Integer column `name` (nulls as `None`).
    pub(crate) fn ints(&self, name: &str) -> Result<Vec<Option<i64>>, Error> {
        match self.ints.get(name) {
            Some(col) => {
                let mut col = col.clone();
                col.resize(self.rows, None);
                Ok(col)
            }
            None if self.rows == 0 => Ok(Vec::new()),
            None => Err(bad(&self.path, format!("no whole-number column `{name}`"))),
        }
    }

    /// Integer column `name`, which must have no null.
    pub(crate) fn required(&self, name: &str) -> Result<Vec<i64>, Error> {
        let col = self.ints(name)?;
        col.iter()
            .enumerate()
            .map(|(i, v)| {
                v.ok_or_else(|| {
                    bad(
                        &self.path,
                        format!("column `{name}` is null in row {}", i + 1),
                    )
                })
            })
            .collect()
    }

    /// Text column `name` (nulls as `None`).
    pub(crate) fn texts(&self, name: &str) -> Result<Vec<Option<String>>, Error> {
        match self.texts.get(name) {
            Some(col) => {
                let mut col = col.clone();
                col.resize(self.rows, None);
                Ok(col)
            }
            None if self.rows == 0 => Ok(Vec::new()),
            None => Err(bad(&self.path, format!("no text column `{name}`"))),
        }
    }
}
