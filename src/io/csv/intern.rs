//! Interning entity ids: one string arena, an open-addressing table per
//! thread, batched lookups against the frozen shared table.

use std::ops::Range;

use crate::catalog::Names;
use crate::model::id_problem;

use super::times::Form;

/// The hash of an id: foldhash with a fixed seed (the same on every run).
#[inline]
pub(super) fn hash_bytes(s: &[u8]) -> u64 {
    use std::hash::BuildHasher;
    foldhash::fast::FixedState::with_seed(0x9E37_79B9_7F4A_7C15).hash_one(s)
}

/// A hash's first slot: from its high half, which the slot keeps as its
/// tag, so that growing the table needs no id hashed again.
#[inline(always)]
fn home(h: u64, mask: usize) -> usize {
    (h >> 32) as usize & mask
}

/// Strings to numbers: an arena of names and an open-addressing table whose
/// slots hold (hash high bits, number + 1).
#[derive(Debug, Default)]
pub(super) struct Interner {
    pub(super) names: Names,
    pub(super) slots: Vec<u64>,
}

/// Rows whose entity ids are looked up together.
pub(super) const BATCH_ROWS: usize = 64;
/// Keys per batch: sender and receiver of each row.
pub(super) const BATCH_KEYS: usize = 2 * BATCH_ROWS;
/// No entity.
pub(super) const NONE_ID: u32 = u32::MAX;

/// Numbers above this are a thread's new ids of the current block, before
/// they are merged into the corpus's.
pub(super) const LOCAL: u32 = 1 << 31;

impl Interner {
    /// The number of `s` (hash `h`), if interned.
    #[inline]
    pub(super) fn lookup(&self, s: &[u8], h: u64) -> Option<u32> {
        find(&self.names, &self.slots, s, h)
    }

    /// Looks up many keys at once: the loads of one step are independent
    /// across keys, so their cache misses overlap instead of following one
    /// another. `found[i]` is `NONE_ID` when `keys[i]` is not interned.
    pub(super) fn lookup_batch(&self, keys: &[&[u8]], hashes: &[u64], found: &mut [u32]) {
        let k = keys.len();
        if self.slots.is_empty() {
            found[..k].fill(NONE_ID);
            return;
        }
        let mask = self.slots.len() - 1;
        let mut first = [0u64; BATCH_KEYS];
        for i in 0..k {
            first[i] = self.slots[home(hashes[i], mask)];
        }
        for i in 0..k {
            let tag = hashes[i] & TAG;
            let mut p = home(hashes[i], mask);
            let mut slot = first[i];
            found[i] = NONE_ID;
            while slot != 0 {
                if slot & TAG == tag {
                    found[i] = (slot & 0xFFFF_FFFF) as u32 - 1;
                    break;
                }
                p = (p + 1) & mask;
                slot = self.slots[p];
            }
        }
        let (text, ends) = self.names.raw();
        let mut span = [(0u32, 0u32); BATCH_KEYS];
        for i in 0..k {
            let n = found[i];
            if n != NONE_ID {
                let n = n as usize;
                span[i] = (if n == 0 { 0 } else { ends[n - 1] }, ends[n]);
            }
        }
        for i in 0..k {
            if found[i] != NONE_ID {
                let (a, b) = span[i];
                if &text[a as usize..b as usize] != keys[i] {
                    // A tag collision: the full probe decides.
                    found[i] = self.lookup(keys[i], hashes[i]).unwrap_or(NONE_ID);
                }
            }
        }
    }

    /// Adds `s` (hash `h`), which is not in the table and was checked to be
    /// an id.
    pub(super) fn insert_new(&mut self, s: &str, h: u64) -> Result<u32, &'static str> {
        if self.slots.is_empty() {
            self.slots = empty_slots(1024);
        }
        if self.names.len() >= (LOCAL - 1) as usize {
            return Err("does not fit: more than 2 billion ids");
        }
        let n = self.names.push(s).ok_or("does not fit: ids pass 4 GiB")?;
        place(&mut self.slots, (h & TAG) | u64::from(n + 1));
        if self.names.len() * 2 > self.slots.len() {
            self.grow();
        }
        Ok(n)
    }

    /// The number of `s`, an id checked already, added when new.
    pub(super) fn lookup_or_insert_checked(&mut self, s: &str) -> Result<u32, &'static str> {
        let h = hash_bytes(s.as_bytes());
        match self.lookup(s.as_bytes(), h) {
            Some(n) => Ok(n),
            None => self.insert_new(s, h),
        }
    }

    pub(super) fn lookup_or_insert(&mut self, s: &[u8]) -> Result<u32, &'static str> {
        self.lookup_or_insert_hashed(s, hash_bytes(s))
    }

    pub(super) fn lookup_or_insert_hashed(
        &mut self,
        s: &[u8],
        h: u64,
    ) -> Result<u32, &'static str> {
        if let Some(n) = self.lookup(s, h) {
            return Ok(n);
        }
        let text = std::str::from_utf8(s).map_err(|_| "is not UTF-8 text")?;
        if let Some(problem) = id_problem(text) {
            return Err(problem);
        }
        self.insert_new(text, h)
    }

    /// Forgets every id, keeping the table's memory: a thread's table of new
    /// ids is emptied after each block, not made again.
    pub(super) fn clear(&mut self) {
        // A table far larger than these ids needed (the first block's new
        // ids are many, a later block's few) is made again at their size.
        let want = (2 * self.names.len()).next_power_of_two().max(1024);
        if self.slots.len() > 4 * want {
            self.slots = empty_slots(want);
        } else {
            self.slots.fill(0);
        }
        self.names.clear();
    }

    /// Doubles the table. A slot's tag is its hash's high half, which places
    /// it: no id is read or hashed again.
    pub(super) fn grow(&mut self) {
        let size = self.slots.len() * 2;
        let old = std::mem::replace(&mut self.slots, empty_slots(size));
        for slot in old.into_iter().filter(|&s| s != 0) {
            place(&mut self.slots, slot);
        }
    }
}

/// A table of `size` empty slots, every page written once. A page of a
/// zeroed allocation that is read before it is written (a lookup that finds
/// nothing) maps the shared zero page; the first write then takes a second
/// fault that also flushes the other threads' address caches. Written here,
/// each page takes one fault.
fn empty_slots(size: usize) -> Vec<u64> {
    let mut slots = Vec::with_capacity(size);
    slots.resize(size, std::hint::black_box(0));
    slots
}

/// A slot's tag: its hash's high half.
const TAG: u64 = 0xFFFF_FFFF_0000_0000;

/// Puts `slot` (tag | number + 1) in the first free slot from its home.
fn place(slots: &mut [u64], slot: u64) {
    let mask = slots.len() - 1;
    let mut i = home(slot, mask);
    while slots[i] != 0 {
        i = (i + 1) & mask;
    }
    slots[i] = slot;
}

/// The number of `s` (hash `h`) in the table `slots` of the ids `names`.
#[inline]
pub(super) fn find(names: &Names, slots: &[u64], s: &[u8], h: u64) -> Option<u32> {
    if slots.is_empty() {
        return None;
    }
    let mask = slots.len() - 1;
    let mut i = home(h, mask);
    loop {
        let slot = slots[i];
        if slot == 0 {
            return None;
        }
        if slot & TAG == h & TAG {
            let n = (slot & 0xFFFF_FFFF) as u32 - 1;
            if names.get(n as usize).as_bytes() == s {
                return Some(n);
            }
        }
        i = (i + 1) & mask;
    }
}

/// A table of `names` (all different) for [`find`], half full at most.
pub(super) fn table_of(names: &Names) -> Vec<u64> {
    let mut slots = empty_slots((2 * names.len()).next_power_of_two().max(2));
    for n in 0..names.len() {
        let h = hash_bytes(names.get(n).as_bytes());
        place(&mut slots, (h & TAG) | (n as u64 + 1));
    }
    slots
}

/// A thread's view while parsing a block: the corpus's ids, frozen, and the
/// ids first seen in this block.
pub(super) struct Ids<'g, 'l> {
    pub(super) global: &'g Interner,
    pub(super) local: &'l mut Interner,
}

/// An entity id of a batch's row, to be looked up.
#[derive(Debug, Clone)]
pub(super) struct Key {
    /// It lives in the batch's `arena` (an unquoted copy), else in the
    /// part's buffer.
    pub(super) owned: bool,
    /// Where its bytes are.
    pub(super) bytes: Range<usize>,
    /// Its span in its row.
    pub(super) span: Range<usize>,
}

/// A row of a batch.
#[derive(Debug, Clone)]
pub(super) struct BatchRow {
    /// Where it is in the buffer.
    pub(super) range: Range<usize>,
    pub(super) line: u32,
    /// How its time is written.
    pub(super) form: Form,
}

/// Rows parsed but for their entity ids, which are looked up together.
#[derive(Default)]
pub(super) struct Batch {
    /// Per key: sender, receiver, sender, ...
    pub(super) keys: Vec<Key>,
    pub(super) arena: Vec<u8>,
    pub(super) rows: Vec<BatchRow>,
    /// The index in the output of the batch's first row.
    pub(super) first: usize,
}
