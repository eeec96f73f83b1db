//! [`ReachRows`] written as the JSON of [`super::ReachAnswer`], row by row,
//! each row's strings made as it is written.

use serde::{Serialize, Serializer};

use super::rows::Row;
use super::{ser_time, ReachRows};
use crate::catalog::{ChannelId, EntityId};
use crate::index::Index;

impl Serialize for ReachRows<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        Answer {
            rows: self,
            with_rows: true,
        }
        .serialize(s)
    }
}

impl<'i> ReachRows<'i> {
    /// The answer with `reached` written as an empty array: the text around
    /// the rows, for a writer that makes the rows' JSON on several threads
    /// ([`ReachRows::row_json`]) and puts it where the empty array is.
    pub fn without_rows(&self) -> impl Serialize + '_ {
        Answer {
            rows: self,
            with_rows: false,
        }
    }

    /// Row `i` of `reached`, serialising exactly as it does inside the
    /// whole answer (made as it is written).
    ///
    /// # Panics
    /// When `i` is not less than [`ReachRows::len`].
    pub fn row_json(&self, i: usize) -> impl Serialize + '_ {
        RowJson {
            rows: self,
            row: &self.rows[i],
        }
    }
}

/// The whole answer, or the answer without its rows.
struct Answer<'a, 'i> {
    rows: &'a ReachRows<'i>,
    with_rows: bool,
}

impl Serialize for Answer<'_, '_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeStruct;
        let (with_rows, this) = (self.with_rows, self.rows);
        let index = this.index;
        let until = this.query.until.is_some();
        let mut st = s.serialize_struct("ReachAnswer", if until { 9 } else { 8 })?;
        st.serialize_field("source", index.entity_id(this.query.source))?;
        st.serialize_field("message", &index.spec.message)?;
        st.serialize_field("mode", &index.spec.mode)?;
        st.serialize_field("start", &Time(this.query.start))?;
        if until {
            st.serialize_field("until", &Time(this.query.until))?;
        } else {
            st.skip_field("until")?;
        }
        st.serialize_field("threshold", &index.spec.threshold)?;
        st.serialize_field("strict", &this.query.strict)?;
        st.serialize_field("reached", &RowsJson(this, with_rows))?;
        st.serialize_field(
            "not_reached",
            &Ids {
                index,
                ids: &this.not_reached,
            },
        )?;
        st.end()
    }
}

/// A time as the JSON writes it: RFC 3339, or null without a bound.
struct Time(Option<i64>);

impl Serialize for Time {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        ser_time(&self.0, s)
    }
}

/// Entity ids, written one by one.
struct Ids<'a, 'i> {
    index: &'a Index<'i>,
    ids: &'a [EntityId],
}

impl Serialize for Ids<'_, '_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_seq(self.ids.iter().map(|&v| self.index.entity_id(v)))
    }
}

/// The rows, each written as [`Reached`] would be, made one at a time (or
/// none, for [`ReachRows::without_rows`]).
struct RowsJson<'a, 'i>(&'a ReachRows<'i>, bool);

impl Serialize for RowsJson<'_, '_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeSeq;
        let rows = self.0;
        let shown: &[Row] = if self.1 { &rows.rows } else { &[] };
        let mut seq = s.serialize_seq(Some(shown.len()))?;
        for r in shown {
            seq.serialize_element(&RowJson { rows, row: r })?;
        }
        seq.end()
    }
}

struct RowJson<'a, 'i> {
    rows: &'a ReachRows<'i>,
    row: &'a Row,
}

impl Serialize for RowJson<'_, '_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeStruct;
        let index = self.rows.index;
        let f = self.rows.fields_of(self.row);
        let mut st = s.serialize_struct("Reached", 10)?;
        f.each(|name, value| st.serialize_field(name, &Value { index, value }))?;
        if f.path.is_none() {
            st.skip_field("path")?;
        }
        st.end()
    }
}

/// One row of `reached` with the values its JSON holds, for a writer that
/// makes the text itself ([`ReachRows::row_fields`]). Events are channel
/// numbers, whose ids [`ReachRows::write_event_id`] writes; a time that is
/// `None` is written as null.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RowFields<'a> {
    /// Entity id.
    pub entity: &'a str,
    /// Display name.
    pub name: &'a str,
    /// Earliest possible time it holds the information (`None`: no lower
    /// bound).
    pub earliest: Option<i64>,
    /// Definite or only possible.
    pub timing: super::Timing,
    /// Earliest time by which it definitely holds it.
    pub definite_by: Option<i64>,
    /// Strongest threshold at which it is reached at all.
    pub evidence: crate::model::Certainty,
    /// The channel of the event the row rests on.
    pub rests_on: Option<ChannelId>,
    /// The channel of the path's last event (`None` for the source).
    pub via: Option<ChannelId>,
    /// The entity id that last event came from.
    pub previous: Option<&'a str>,
    /// The channels of the path's events (`None`: the query asked for no
    /// paths).
    pub path: Option<Vec<ChannelId>>,
}

/// One value of a row of `reached`, as [`RowFields::each`] gives it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RowValue<'a> {
    /// A string.
    Str(&'a str),
    /// A string, or null.
    MaybeStr(Option<&'a str>),
    /// A time, written RFC 3339, or null without a bound.
    Time(Option<i64>),
    /// The event of a channel, written as its id, or null.
    Event(Option<ChannelId>),
    /// The events of channels, written as an array of their ids.
    Events(&'a [ChannelId]),
}

impl RowFields<'_> {
    /// The row's JSON fields in the order they are written, each name with
    /// its value (`path` only when there is one): the one list that
    /// [`ReachRows::row_json`] and a writer making the text itself follow.
    pub fn each<E>(
        &self,
        mut field: impl FnMut(&'static str, RowValue<'_>) -> Result<(), E>,
    ) -> Result<(), E> {
        field("entity", RowValue::Str(self.entity))?;
        field("name", RowValue::Str(self.name))?;
        field("earliest", RowValue::Time(self.earliest))?;
        field("timing", RowValue::Str(self.timing.as_str()))?;
        field("definite_by", RowValue::Time(self.definite_by))?;
        field("evidence", RowValue::Str(self.evidence.as_str()))?;
        field("rests_on", RowValue::Event(self.rests_on))?;
        field("via", RowValue::Event(self.via))?;
        field("previous", RowValue::MaybeStr(self.previous))?;
        if let Some(channels) = &self.path {
            field("path", RowValue::Events(channels))?;
        }
        Ok(())
    }
}

/// A [`RowValue`] with the index that names its events.
struct Value<'a, 'i> {
    index: &'a Index<'i>,
    value: RowValue<'a>,
}

impl Serialize for Value<'_, '_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let index = self.index;
        match self.value {
            RowValue::Str(text) => s.serialize_str(text),
            RowValue::MaybeStr(text) => text.serialize(s),
            RowValue::Time(t) => ser_time(&t, s),
            RowValue::Event(c) => c.map(|c| index.event_id(c)).serialize(s),
            RowValue::Events(channels) => EventIds { index, channels }.serialize(s),
        }
    }
}

impl<'i> ReachRows<'i> {
    /// The values of row `i` of `reached`: what [`ReachRows::row_json`]
    /// writes, for a writer that makes the JSON text itself.
    ///
    /// # Panics
    /// When `i` is not less than [`ReachRows::len`].
    pub fn row_fields(&self, i: usize) -> RowFields<'i> {
        self.fields_of(&self.rows[i])
    }

    /// Appends the id of the event of channel `c` (from [`RowFields`]) to
    /// `out`.
    pub fn write_event_id(&self, c: ChannelId, out: &mut String) {
        self.index.write_event_id(c, out);
    }

    fn fields_of(&self, r: &Row) -> RowFields<'i> {
        let index = self.index;
        let chain = self.paths.channels(r.entity.into());
        // Without meetings' hubs the chain's channels are its hops: only the
        // last one's ends are read.
        let hops = if index.has_hubs() {
            index.hops_of(&chain)
        } else {
            Vec::new()
        };
        let last = match (index.has_hubs(), chain.last()) {
            (false, Some(&c)) => Some((index.from(c), c)),
            _ => hops.last().map(|hop| (hop.from, hop.channel)),
        };
        RowFields {
            entity: index.entity_id(r.entity),
            name: index.entity_name(r.entity),
            earliest: r.earliest(),
            timing: r.timing,
            definite_by: r.definite_by(),
            evidence: r.evidence,
            rests_on: r.rests_on(),
            via: last.map(|(_, c)| c),
            previous: last.map(|(f, _)| index.entity_id(f)),
            path: self.query.paths.then(|| {
                if index.has_hubs() {
                    hops.iter().map(|hop| hop.channel).collect()
                } else {
                    chain
                }
            }),
        }
    }
}

/// Event ids of channels, written one by one.
struct EventIds<'a, 'i> {
    index: &'a Index<'i>,
    channels: &'a [ChannelId],
}

impl Serialize for EventIds<'_, '_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeSeq;
        let mut seq = s.serialize_seq(Some(self.channels.len()))?;
        let mut id = String::new();
        for &c in self.channels {
            id.clear();
            self.index.write_event_id(c, &mut id);
            seq.serialize_element(id.as_str())?;
        }
        seq.end()
    }
}
