//! Building the corpus from the rows read: sorting by time, numbering
//! entities by activity, settling the time storage.

use std::collections::HashMap;
use std::sync::OnceLock;

use crate::catalog::{Channels, Names, TimeColumns};
use crate::diagnostic::Report;
use crate::Error;

use super::fields::Header;
use super::intern::LOCAL;
use super::part::{PartOut, TimeCol};
use super::times::Forms;
use super::{Corpus, CorpusMessage};

use crate::par::both;

/// The corpus while it is being read: rows in file order.
#[derive(Debug, Default)]
pub(super) struct Building {
    pub(super) from: Vec<u32>,
    pub(super) to: Vec<u32>,
    pub(super) time: TimeCol,
    pub(super) flags: Vec<u8>,
    pub(super) line: Vec<u32>,
    pub(super) kinds: Vec<u32>,
    pub(super) kind_names: Vec<String>,
    pub(super) kind_map: HashMap<String, u32>,
    pub(super) ids: Vec<(u32, String)>,
    pub(super) carries: Vec<(u32, String)>,
    pub(super) texts: HashMap<u32, String>,
    pub(super) certainty_written: bool,
    /// How the rows write their times.
    pub(super) forms: Forms,
}

impl Building {
    /// Appends a part's rows, whose ids from [`LOCAL`] on are the part's own
    /// new ids: the corpus's numbers for them are in `map`.
    pub(super) fn append(&mut self, out: &PartOut, base_line: u32, map: &[u32]) {
        let Building {
            from,
            to,
            time,
            flags,
            line,
            ..
        } = self;
        // Entity columns on one thread, the others on another: each writes
        // (and first touches) its own memory.
        let two = out.from.len() >= 1 << 15;
        both(
            two,
            || {
                if map.is_empty() {
                    from.extend_from_slice(&out.from);
                    to.extend_from_slice(&out.to);
                } else {
                    let global = |&x: &u32| {
                        if x >= LOCAL {
                            map[(x - LOCAL) as usize]
                        } else {
                            x
                        }
                    };
                    from.extend(out.from.iter().map(global));
                    to.extend(out.to.iter().map(global));
                }
            },
            || {
                time.append(&out.time);
                flags.extend_from_slice(&out.flags);
                line.extend(out.line.iter().map(|l| l + base_line));
            },
        );
        if !out.kinds.is_empty() {
            let map: Vec<u32> = out
                .kind_names
                .iter()
                .map(|k| match self.kind_map.get(k) {
                    Some(&n) => n,
                    None => {
                        let n = self.kind_names.len() as u32;
                        self.kind_names.push(k.clone());
                        self.kind_map.insert(k.clone(), n);
                        n
                    }
                })
                .collect();
            self.kinds.extend(out.kinds.iter().map(|&k| {
                if k == u32::MAX {
                    k
                } else {
                    map[k as usize]
                }
            }));
        }
        self.ids
            .extend(out.ids.iter().map(|(l, s)| (l + base_line, s.clone())));
        self.carries
            .extend(out.carries.iter().map(|(l, s)| (l + base_line, s.clone())));
        self.texts
            .extend(out.texts.iter().map(|(l, s)| (l + base_line, s.clone())));
        self.certainty_written |= out.certainty_written;
        self.forms.append(&out.forms, base_line);
    }

    /// Sorts the rows by (time, line) and settles the time storage.
    pub(super) fn finish(self, ids: Names, header: Header) -> Result<Corpus, Error> {
        let Building {
            from,
            to,
            time,
            flags,
            line,
            mut kinds,
            kind_names,
            ids: event_ids,
            carries,
            texts,
            certainty_written,
            ..
        } = self;
        let n = from.len();
        let has_kinds = header.kind.is_some();
        let kind_names = in_first_use(&mut kinds, kind_names);
        let mut rows = RowCols {
            from,
            to,
            flags,
            line,
            kinds,
        };
        let mut times = sort_by_time(time, &mut rows);
        debug_assert_eq!(rows.line.len(), n);
        let ids = by_activity(ids, &mut rows.from, &mut rows.to);
        let (carries, messages) = messages(carries, &rows, &times);
        let event_ids = if header.id.is_some() {
            let mut v = event_ids;
            v.sort_by_key(|(l, _)| *l);
            let lines: Vec<u32> = v.iter().map(|(l, _)| *l).collect();
            let names: Names = v.iter().map(|(_, s)| s.as_str()).collect();
            Some((lines, names))
        } else {
            None
        };
        // Growth left spare capacity: give it back (a large shrink is a
        // remap, not a copy).
        rows.shrink_to_fit();
        match &mut times {
            TimeColumns::Exact { offset, .. } => offset.shrink_to_fit(),
            TimeColumns::Intervals { lo, hi } => {
                lo.shrink_to_fit();
                hi.shrink_to_fit();
            }
        }
        let RowCols {
            from,
            to,
            flags,
            line,
            kinds,
        } = rows;
        Ok(Corpus {
            report: Report::new("", ""),
            skipped: 0,
            ids,
            channels: Channels {
                from,
                to,
                event: None,
                times,
                certainty: flags,
                by_event: Default::default(),
                hubs: 0,
            },
            line,
            kinds: has_kinds.then_some(kinds),
            kind_names,
            event_ids,
            carries,
            messages,
            texts,
            certainty_written,
            id_slots: OnceLock::new(),
            by_line: OnceLock::new(),
        })
    }
}

/// The columns of the rows that move together when they are sorted.
struct RowCols {
    from: Vec<u32>,
    to: Vec<u32>,
    flags: Vec<u8>,
    line: Vec<u32>,
    /// Empty when the file has no `kind` column.
    kinds: Vec<u32>,
}

impl RowCols {
    /// `col[i] = old[row_of(keys[i])]` for every column.
    fn permute<K>(&mut self, keys: &[K], row_of: impl Fn(&K) -> usize + Copy) {
        permute(&mut self.from, keys, row_of);
        permute(&mut self.to, keys, row_of);
        permute(&mut self.flags, keys, row_of);
        permute(&mut self.line, keys, row_of);
        if !self.kinds.is_empty() {
            permute(&mut self.kinds, keys, row_of);
        }
    }

    fn shrink_to_fit(&mut self) {
        self.from.shrink_to_fit();
        self.to.shrink_to_fit();
        self.flags.shrink_to_fit();
        self.line.shrink_to_fit();
        self.kinds.shrink_to_fit();
    }
}

/// Renumbers the kinds in order of first use by a kept row (a row dropped
/// for a bad entity id may have named one): the same whatever the parts.
/// Returns the kinds' names in that order.
fn in_first_use(kinds: &mut [u32], mut kind_names: Vec<String>) -> Vec<String> {
    let mut new_of = vec![u32::MAX; kind_names.len()];
    let mut used: Vec<String> = Vec::new();
    for k in kinds.iter_mut().filter(|k| **k != u32::MAX) {
        let slot = &mut new_of[*k as usize];
        if *slot == u32::MAX {
            *slot = used.len() as u32;
            used.push(std::mem::take(&mut kind_names[*k as usize]));
        }
        *k = *slot;
    }
    used
}

/// Times as one base and 32-bit offsets, in file order.
type Exact = Option<(i64, Vec<u32>)>;
/// Times as intervals, in file order.
type Intervals = Option<(Vec<i64>, Vec<i64>)>;

/// How the times are stored, which depends only on the kept rows' times
/// (not on how they were read, nor on rows dropped after their time was
/// stored): one base and 32-bit offsets when every time is one exact second
/// and they span less than 2^32 - 2 seconds; intervals otherwise.
fn storage(time: TimeCol) -> (Exact, Intervals) {
    match time {
        TimeCol::Delta { base, d } => {
            let base = base.unwrap_or(0);
            let min = d.iter().copied().min().unwrap_or(0);
            let max = d.iter().copied().max().unwrap_or(0);
            if i64::from(max) - i64::from(min) > i64::from(u32::MAX - 2) {
                let lo: Vec<i64> = d.iter().map(|&x| base + i64::from(x)).collect();
                (None, Some((lo.clone(), lo)))
            } else {
                let offset = d
                    .into_iter()
                    .map(|x| (i64::from(x) - i64::from(min)) as u32)
                    .collect();
                (Some((base + i64::from(min), offset)), None)
            }
        }
        TimeCol::Wide { lo, hi } => {
            let min = lo.iter().copied().min().unwrap_or(0);
            let max = lo.iter().copied().max().unwrap_or(0);
            let fits = max
                .checked_sub(min)
                .is_some_and(|s| s <= i64::from(u32::MAX - 2));
            if fits && lo == hi {
                (
                    Some((min, lo.iter().map(|&t| (t - min) as u32).collect())),
                    None,
                )
            } else {
                (None, Some((lo, hi)))
            }
        }
    }
}

/// Sorts the rows by (time, line) (not when they are in order already) and
/// gives their times' columns.
fn sort_by_time(time: TimeCol, rows: &mut RowCols) -> TimeColumns {
    match storage(time) {
        (Some((base, offset)), _) => {
            if offset.windows(2).all(|w| w[0] <= w[1]) {
                TimeColumns::Exact { base, offset }
            } else {
                let mut keys: Vec<u64> = offset
                    .iter()
                    .enumerate()
                    .map(|(r, &x)| (u64::from(x) << 32) | r as u64)
                    .collect();
                drop(offset);
                par_sort(&mut keys);
                rows.permute(&keys, |k: &u64| (k & 0xFFFF_FFFF) as usize);
                let offset: Vec<u32> = keys.iter().map(|k| (k >> 32) as u32).collect();
                TimeColumns::Exact { base, offset }
            }
        }
        (None, Some((lo, hi))) => {
            let perm = sort_perm(&lo, &hi);
            rows.permute(&perm, |r: &u32| *r as usize);
            let lo2: Vec<i64> = perm.iter().map(|&r| lo[r as usize]).collect();
            let hi2: Vec<i64> = perm.iter().map(|&r| hi[r as usize]).collect();
            TimeColumns::Intervals { lo: lo2, hi: hi2 }
        }
        (None, None) => TimeColumns::Exact {
            base: 0,
            offset: Vec::new(),
        },
    }
}

/// The carried messages: (line, message number) sorted, and the messages,
/// numbered in order of first mention, each with the origin and time of its
/// earliest carrying row.
fn messages(
    carries: Vec<(u32, String)>,
    rows: &RowCols,
    times: &TimeColumns,
) -> (Vec<(u32, u32)>, Vec<CorpusMessage>) {
    let mut message_ids: Vec<String> = Vec::new();
    let mut message_num: HashMap<String, u32> = HashMap::new();
    let mut carries_num: Vec<(u32, u32)> = Vec::with_capacity(carries.len());
    for (l, m) in carries {
        let k = match message_num.get(&m) {
            Some(&k) => k,
            None => {
                let k = message_ids.len() as u32;
                message_num.insert(m.clone(), k);
                message_ids.push(m);
                k
            }
        };
        carries_num.push((l, k));
    }
    carries_num.sort_unstable();
    carries_num.dedup();
    let mut messages: Vec<Option<CorpusMessage>> = vec![None; message_ids.len()];
    if !carries_num.is_empty() {
        let mut by_line: HashMap<u32, Vec<u32>> = HashMap::new();
        for &(l, k) in &carries_num {
            by_line.entry(l).or_default().push(k);
        }
        for r in 0..rows.line.len() {
            let Some(ms) = by_line.get(&rows.line[r]) else {
                continue;
            };
            for &k in ms {
                let slot = &mut messages[k as usize];
                if slot.is_none() {
                    *slot = Some(CorpusMessage {
                        id: message_ids[k as usize].clone(),
                        origin: rows.from[r],
                        by: match times {
                            TimeColumns::Exact { base, offset } => base + i64::from(offset[r]),
                            TimeColumns::Intervals { hi, .. } => hi[r],
                        },
                        line: rows.line[r],
                    });
                }
            }
        }
    }
    (carries_num, messages.into_iter().flatten().collect())
}

pub(super) fn by_activity(ids: Names, from: &mut [u32], to: &mut [u32]) -> Names {
    let n = ids.len();
    // Senders and receivers on a thread each when it pays.
    let two = from.len() >= 1 << 16 && crate::par::two_cores();
    let counted = |col: &[u32]| {
        let mut count = vec![0u32; n];
        for &e in col {
            count[e as usize] = count[e as usize].saturating_add(1);
        }
        count
    };
    let (mut count, received) = both(two, || counted(from), || counted(to));
    for (x, y) in count.iter_mut().zip(&received) {
        *x = x.saturating_add(*y);
    }
    drop(received);
    let mut order: Vec<u32> = (0..n as u32).collect();
    order.sort_by_key(|&e| (std::cmp::Reverse(count[e as usize]), e));
    drop(count);
    let mut new_of = vec![0u32; n];
    for (new, &old) in order.iter().enumerate() {
        new_of[old as usize] = new as u32;
    }
    let renumber = |col: &mut [u32]| {
        for e in col {
            *e = new_of[*e as usize];
        }
    };
    both(two, || renumber(from), || renumber(to));
    let mut names: Names = order.iter().map(|&old| ids.get(old as usize)).collect();
    names.shrink_to_fit();
    names
}

/// Row order by (lo, hi, row).
pub(super) fn sort_perm(lo: &[i64], hi: &[i64]) -> Vec<u32> {
    let mut perm: Vec<u32> = (0..lo.len() as u32).collect();
    perm.sort_unstable_by_key(|&r| (lo[r as usize], hi[r as usize], r));
    perm
}

/// `col[i] = old[row_of(keys[i])]`, one temporary column at a time.
pub(super) fn permute<T: Copy, K>(col: &mut Vec<T>, keys: &[K], row_of: impl Fn(&K) -> usize) {
    let new: Vec<T> = keys.iter().map(|k| col[row_of(k)]).collect();
    *col = new;
}

/// Sorts unique keys on two threads when it pays: partition around the
/// median in place, then sort the halves side by side.
pub(super) fn par_sort(keys: &mut [u64]) {
    let threads = std::thread::available_parallelism().map_or(1, |n| n.get());
    if keys.len() < 1 << 16 || threads < 2 {
        keys.sort_unstable();
        return;
    }
    let mid = keys.len() / 2;
    keys.select_nth_unstable(mid);
    let (a, b) = keys.split_at_mut(mid);
    both(true, || a.sort_unstable(), || b.sort_unstable());
}
