//! Row times while reading, kept as compactly as the rows allow.

/// Row times while reading: 32-bit deltas from a base while every row is one
/// exact second near it; full intervals otherwise.
#[derive(Debug, Clone)]
pub(super) enum TimeCol {
    Delta { base: Option<i64>, d: Vec<i32> },
    Wide { lo: Vec<i64>, hi: Vec<i64> },
}

impl Default for TimeCol {
    fn default() -> Self {
        TimeCol::Delta {
            base: None,
            d: Vec::new(),
        }
    }
}

impl TimeCol {
    pub(super) fn len(&self) -> usize {
        match self {
            TimeCol::Delta { d, .. } => d.len(),
            TimeCol::Wide { lo, .. } => lo.len(),
        }
    }

    pub(super) fn clear(&mut self) {
        *self = TimeCol::default();
    }

    pub(super) fn widen(&mut self) {
        if let TimeCol::Delta { base, d } = self {
            let b = base.unwrap_or(0);
            let lo: Vec<i64> = d.iter().map(|&x| b + i64::from(x)).collect();
            *self = TimeCol::Wide { hi: lo.clone(), lo };
        }
    }

    #[inline]
    pub(super) fn push(&mut self, lo: i64, hi: i64) {
        if let TimeCol::Delta { base, d } = self {
            if lo == hi {
                let b = *base.get_or_insert(lo);
                if let Ok(x) = i32::try_from(lo - b) {
                    d.push(x);
                    return;
                }
            }
        }
        self.widen();
        if let TimeCol::Wide { lo: l, hi: h } = self {
            l.push(lo);
            h.push(hi);
        }
    }

    pub(super) fn append(&mut self, other: &TimeCol) {
        if other.len() == 0 {
            return;
        }
        if let (
            TimeCol::Delta { base, d },
            TimeCol::Delta {
                base: Some(ob),
                d: od,
            },
        ) = (&mut *self, other)
        {
            let b = *base.get_or_insert(*ob);
            let shift = ob - b;
            if od
                .iter()
                .all(|&x| i32::try_from(i64::from(x) + shift).is_ok())
            {
                d.extend(od.iter().map(|&x| (i64::from(x) + shift) as i32));
                return;
            }
        }
        self.widen();
        let TimeCol::Wide { lo, hi } = self else {
            return;
        };
        match other {
            TimeCol::Delta { base, d } => {
                let b = base.unwrap_or(0);
                for &x in d {
                    lo.push(b + i64::from(x));
                    hi.push(b + i64::from(x));
                }
            }
            TimeCol::Wide { lo: ol, hi: oh } => {
                lo.extend_from_slice(ol);
                hi.extend_from_slice(oh);
            }
        }
    }
}
