//! [`ReachRows`] written as the JSON of [`super::ReachAnswer`], row by row,
//! each row's strings made as it is written.

use serde::{Serialize, Serializer};

use super::{ser_time, ReachRows, Row};
use crate::index::Index;

impl Serialize for ReachRows<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeStruct;
        let index = self.index;
        let until = self.query.until.is_some();
        let mut st = s.serialize_struct("ReachAnswer", if until { 9 } else { 8 })?;
        st.serialize_field("source", index.entity_id(self.query.source))?;
        st.serialize_field("message", &index.spec.message)?;
        st.serialize_field("mode", &index.spec.mode)?;
        st.serialize_field("start", &Time(self.query.start))?;
        if until {
            st.serialize_field("until", &Time(self.query.until))?;
        } else {
            st.skip_field("until")?;
        }
        st.serialize_field("threshold", &index.spec.threshold)?;
        st.serialize_field("strict", &self.query.strict)?;
        st.serialize_field("reached", &RowsJson(self))?;
        st.serialize_field(
            "not_reached",
            &Ids {
                index,
                ids: &self.not_reached,
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
    ids: &'a [u32],
}

impl Serialize for Ids<'_, '_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_seq(self.ids.iter().map(|&v| self.index.entity_id(v)))
    }
}

/// The rows, each written as [`Reached`] would be, made one at a time.
struct RowsJson<'a, 'i>(&'a ReachRows<'i>);

impl Serialize for RowsJson<'_, '_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeSeq;
        let rows = self.0;
        let mut seq = s.serialize_seq(Some(rows.rows.len()))?;
        for r in &rows.rows {
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
        let (index, r) = (self.rows.index, self.row);
        let v = r.entity as usize;
        let chain = self.rows.paths.channels(v);
        // Without meetings' hubs the chain's channels are its hops: only the
        // last one's ends are read.
        let hops: Vec<(u32, u32, u32)> = if index.has_hubs() {
            index.hops_of(&chain)
        } else {
            Vec::new()
        };
        let last = match (index.has_hubs(), chain.last()) {
            (false, Some(&c)) => Some((index.from(c as usize), index.to(c as usize), c)),
            _ => hops.last().copied(),
        };
        let event = |c: Option<u32>| c.map(|c| index.event_id(c));
        let with_path = self.rows.query.paths;
        let mut st = s.serialize_struct("Reached", if with_path { 11 } else { 10 })?;
        st.serialize_field("entity", index.entity_id(r.entity))?;
        st.serialize_field("name", index.entity_name(r.entity))?;
        st.serialize_field("earliest", &Time(r.earliest))?;
        st.serialize_field("timing", &r.timing)?;
        st.serialize_field("definite_by", &Time(r.definite_by))?;
        st.serialize_field("evidence", &r.evidence)?;
        st.serialize_field("rests_on", &event(r.rests_on))?;
        st.serialize_field("via", &event(last.map(|h| h.2)))?;
        st.serialize_field("previous", &last.map(|(f, _, _)| index.entity_id(f)))?;
        if with_path {
            let channels: Vec<u32> = if index.has_hubs() {
                hops.iter().map(|h| h.2).collect()
            } else {
                chain
            };
            st.serialize_field(
                "path",
                &EventIds {
                    index,
                    channels: &channels,
                },
            )?;
        } else {
            st.skip_field("path")?;
        }
        st.end()
    }
}

/// Event ids of channels, written one by one.
struct EventIds<'a, 'i> {
    index: &'a Index<'i>,
    channels: &'a [u32],
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
