//! Many short strings in one allocation.

/// Many short strings in one allocation: string `i` is
/// `text[ends[i - 1]..ends[i]]`.
///
/// A million e-mail addresses cost their bytes plus 4 bytes each, instead of
/// a `String` each (24 bytes plus an allocation).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Names {
    text: String,
    ends: Vec<u32>,
}

impl Names {
    /// An empty list.
    pub fn new() -> Names {
        Names::default()
    }

    /// Appends `s`; returns its number, or `None` when the total length would
    /// pass 4 GiB.
    pub fn push(&mut self, s: &str) -> Option<u32> {
        let end = u32::try_from(self.text.len() + s.len()).ok()?;
        let n = u32::try_from(self.ends.len()).ok()?;
        self.text.push_str(s);
        self.ends.push(end);
        Some(n)
    }

    /// String number `i` (empty when out of range).
    #[inline]
    pub fn get(&self, i: usize) -> &str {
        let Some(&end) = self.ends.get(i) else {
            return "";
        };
        let start = if i == 0 { 0 } else { self.ends[i - 1] };
        &self.text[start as usize..end as usize]
    }

    /// Number of strings.
    pub fn len(&self) -> usize {
        self.ends.len()
    }

    /// True when there are none.
    pub fn is_empty(&self) -> bool {
        self.ends.is_empty()
    }

    /// The strings in order.
    pub fn iter(&self) -> impl Iterator<Item = &str> + '_ {
        (0..self.len()).map(move |i| self.get(i))
    }

    /// Bytes held (text and offsets).
    pub fn heap_bytes(&self) -> usize {
        self.text.capacity() + self.ends.capacity() * 4
    }

    /// Gives back spare capacity.
    pub fn shrink_to_fit(&mut self) {
        self.text.shrink_to_fit();
        self.ends.shrink_to_fit();
    }

    /// Forgets every string, keeping the memory for the next ones.
    pub(crate) fn clear(&mut self) {
        self.text.clear();
        self.ends.clear();
    }

    /// The text and end offsets, for batched lookups.
    pub(crate) fn raw(&self) -> (&[u8], &[u32]) {
        (self.text.as_bytes(), &self.ends)
    }
}

impl<S: AsRef<str>> FromIterator<S> for Names {
    fn from_iter<I: IntoIterator<Item = S>>(iter: I) -> Names {
        let mut names = Names::new();
        for s in iter {
            // Stories are far below 4 GiB of ids.
            let _ = names.push(s.as_ref());
        }
        names
    }
}
