//! Whether a name certainly names no entity of a CSV file, found before the
//! file is loaded: one streamed scan for the name's bytes, stopped at the
//! first place it could be.

use std::io::Read;
use std::path::Path;

/// Bytes read at a time by [`certainly_absent`].
const CHUNK: usize = 1 << 20;

/// True only when no field of the CSV file at `path` can name `folded` (a
/// name as [`crate::catalog::fold`] makes it): the file is plain ASCII with
/// no NUL, and no stretch of it equals `folded` in any case. False as soon
/// as the name could be there, or when the scan cannot be sure (a byte past
/// ASCII, whose accents fold away; a NUL; a name with quotes, which CSV
/// doubles and folding makes from other marks), so the file is then loaded
/// and looked up as always. Reads at most the whole file once, in pieces of
/// 1 MiB, stopping at the first possible match.
pub fn certainly_absent(path: &Path, folded: &str) -> std::io::Result<bool> {
    let needle = folded.as_bytes();
    if needle.is_empty() || needle.iter().any(|&b| matches!(b, b'"' | b'\'' | b'`' | 0)) {
        return Ok(false);
    }
    let finder = memchr::memmem::Finder::new(needle);
    let keep = needle.len() - 1;
    let mut file = std::fs::File::open(path)?;
    // The last `keep` bytes of one piece start the next, so that a name
    // across two pieces is found.
    let mut buf = vec![0u8; keep + CHUNK];
    let mut have = 0usize;
    loop {
        let n = file.read(&mut buf[have..])?;
        if n == 0 {
            return Ok(true);
        }
        let new = &mut buf[have..have + n];
        if !new.is_ascii() || memchr::memchr(0, new).is_some() {
            return Ok(false);
        }
        new.make_ascii_lowercase();
        let end = have + n;
        if finder.find(&buf[..end]).is_some() {
            return Ok(false);
        }
        let tail = end.saturating_sub(keep);
        buf.copy_within(tail..end, 0);
        have = end - tail;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn absent(text: &[u8], name: &str) -> bool {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("c.csv");
        std::fs::write(&path, text).unwrap();
        certainly_absent(&path, name).unwrap()
    }

    #[test]
    fn a_name_anywhere_in_any_case_is_not_absent() {
        let csv = b"from,to,time\nAlice,BOB,1\n";
        assert!(!absent(csv, "alice"));
        assert!(!absent(csv, "bob"));
        assert!(absent(csv, "carol"));
        assert!(absent(b"", "carol"));
    }

    #[test]
    fn unsure_when_the_file_or_the_name_is_past_ascii() {
        assert!(!absent("from,to,time\nJosé,b,1\n".as_bytes(), "zed"));
        assert!(!absent(b"from,to,time\na\0,b,1\n", "zed"));
        assert!(absent(b"from,to,time\na,b,1\n", "jos\u{e9}"));
        assert!(!absent(b"from,to,time\na,b,1\n", "o'hara"));
    }

    #[test]
    fn a_name_across_two_pieces_is_found() {
        let mut csv = vec![b'x'; CHUNK - 3];
        csv.extend_from_slice(b"needle,b,1\n");
        assert!(!absent(&csv, "needle"));
        assert!(absent(&csv, "needles"));
    }
}
