//! Writing: standard output (text and JSON, escaped for a terminal),
//! standard error, and output files written whole or not at all.

use std::io::Write;
use std::path::Path;

use crate::Error;

use super::errors::CliError;

/// Standard output, locked once.
pub type Out = std::io::StdoutLock<'static>;

/// An error writing to standard output.
pub fn out_err(source: std::io::Error) -> CliError {
    CliError::Lib(Error::Io {
        path: "<stdout>".into(),
        source,
    })
}

/// Prints `value` as pretty JSON and a newline. Besides what JSON itself
/// escapes (`"`, `\`, U+0000 to U+001F), DEL, the C1 controls (U+0080 to
/// U+009F), bidirectional controls and the other invisible characters of
/// [`crate::diagnostic::is_invisible`] are written as `\uXXXX` escapes:
/// the same text for a JSON reader, nothing a terminal acts on.
pub fn print_json(out: &mut Out, value: &impl serde::Serialize) -> Result<(), CliError> {
    print_with(out, |w| write_json(w, value))
}

/// Standard output, buffered, to `write`, then a newline.
pub fn print_with(
    out: &mut Out,
    write: impl FnOnce(&mut std::io::BufWriter<&mut Out>) -> Result<(), CliError>,
) -> Result<(), CliError> {
    let mut w = std::io::BufWriter::with_capacity(1 << 20, &mut *out);
    write(&mut w)?;
    writeln!(w).map_err(out_err)?;
    w.flush().map_err(out_err)
}

/// Writes `value` as pretty JSON with the escapes of [`print_json`].
pub fn write_json(w: &mut impl Write, value: &impl serde::Serialize) -> Result<(), CliError> {
    let mut ser = serde_json::Serializer::with_formatter(
        w,
        Escaping(serde_json::ser::PrettyFormatter::new()),
    );
    value.serialize(&mut ser).map_err(|e| out_err(e.into()))
}

/// A JSON formatter that escapes what a terminal could act on or hide
/// (see [`print_json`]) and otherwise formats as the one it wraps.
#[derive(Clone)]
pub struct Escaping<F>(pub F);

/// Whether JSON output writes `c` as a `\u` escape (serde_json already
/// escapes U+0000 to U+001F).
fn json_escaped(c: char) -> bool {
    c.is_control() || crate::diagnostic::is_invisible(c)
}

impl<F: serde_json::ser::Formatter> serde_json::ser::Formatter for Escaping<F> {
    fn write_string_fragment<W: ?Sized + Write>(
        &mut self,
        writer: &mut W,
        fragment: &str,
    ) -> std::io::Result<()> {
        // Plain printable ASCII, by far the most text, is written as it is.
        if fragment.bytes().all(|b| (0x20..0x7f).contains(&b)) {
            return writer.write_all(fragment.as_bytes());
        }
        let mut start = 0;
        for (i, c) in fragment.char_indices() {
            if json_escaped(c) {
                writer.write_all(&fragment.as_bytes()[start..i])?;
                let mut units = [0u16; 2];
                for unit in c.encode_utf16(&mut units) {
                    write!(writer, "\\u{:04x}", unit)?;
                }
                start = i + c.len_utf8();
            }
        }
        writer.write_all(&fragment.as_bytes()[start..])
    }
    fn begin_array<W: ?Sized + Write>(&mut self, w: &mut W) -> std::io::Result<()> {
        self.0.begin_array(w)
    }
    fn end_array<W: ?Sized + Write>(&mut self, w: &mut W) -> std::io::Result<()> {
        self.0.end_array(w)
    }
    fn begin_array_value<W: ?Sized + Write>(
        &mut self,
        w: &mut W,
        first: bool,
    ) -> std::io::Result<()> {
        self.0.begin_array_value(w, first)
    }
    fn end_array_value<W: ?Sized + Write>(&mut self, w: &mut W) -> std::io::Result<()> {
        self.0.end_array_value(w)
    }
    fn begin_object<W: ?Sized + Write>(&mut self, w: &mut W) -> std::io::Result<()> {
        self.0.begin_object(w)
    }
    fn end_object<W: ?Sized + Write>(&mut self, w: &mut W) -> std::io::Result<()> {
        self.0.end_object(w)
    }
    fn begin_object_key<W: ?Sized + Write>(
        &mut self,
        w: &mut W,
        first: bool,
    ) -> std::io::Result<()> {
        self.0.begin_object_key(w, first)
    }
    fn begin_object_value<W: ?Sized + Write>(&mut self, w: &mut W) -> std::io::Result<()> {
        self.0.begin_object_value(w)
    }
    fn end_object_value<W: ?Sized + Write>(&mut self, w: &mut W) -> std::io::Result<()> {
        self.0.end_object_value(w)
    }
}

/// Text for a terminal: every line through [`crate::diagnostic::visible`]
/// (the escaping of warnings), so that control characters, C1 controls,
/// bidirectional overrides and other invisible characters from a file are
/// shown as `\u{..}` escapes instead of acting on the terminal. Line breaks
/// are kept, and a no-break space (common in quoted articles) is shown as
/// the space it looks like; nothing else changes.
pub fn for_terminal(text: &str) -> String {
    let mut s = String::with_capacity(text.len());
    for (i, line) in text.split('\n').enumerate() {
        if i > 0 {
            s.push('\n');
        }
        s.push_str(&crate::diagnostic::visible(&line.replace('\u{a0}', " ")));
    }
    s
}

/// Prints text for people on standard output, through [`for_terminal`]:
/// the one way tables, headings and notes reach standard output.
pub fn print_text(out: &mut Out, text: &str) -> Result<(), CliError> {
    out.write_all(for_terminal(text).as_bytes())
        .map_err(out_err)
}

/// Prints text for people on standard error, through [`for_terminal`]:
/// the one way warnings, notes and errors reach standard error.
pub fn eprint_text(text: &str) {
    let mut err = std::io::stderr().lock();
    let _ = err.write_all(for_terminal(text).as_bytes());
}

/// Writes `bytes` to `path` through a temporary file beside it, renamed over
/// it at the end: a failure (a full disk) leaves no partial file, and the
/// temporary file is removed. Refuses to overwrite the input.
pub fn write_output(path: &Path, input: &Path, bytes: &[u8]) -> Result<(), CliError> {
    let io = |source| Error::Io {
        path: path.display().to_string(),
        source,
    };
    if !crate::io::is_stdin(input) && same_file(path, input) {
        return Err(CliError::Usage(format!(
            "the output {} is the input: choose another file name (nothing was written)",
            path.display()
        )));
    }
    let dir = match path.parent() {
        Some(d) if !d.as_os_str().is_empty() => d.to_path_buf(),
        _ => std::path::PathBuf::from("."),
    };
    if !dir.is_dir() {
        return Err(CliError::Usage(format!(
            "cannot write {}: the folder {} does not exist",
            path.display(),
            dir.display()
        )));
    }
    let mut tmp = tempfile::Builder::new()
        .prefix(".grapevine-")
        .tempfile_in(&dir)
        .map_err(io)?;
    tmp.write_all(bytes).map_err(io)?;
    tmp.as_file().sync_all().map_err(io)?;
    // The temporary file is private (0600): give the output the mode an
    // existing file had, else the usual one for a new file (0644, less the
    // umask's write bits are not read here: 0644 is what `>` would give).
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(path)
            .map(|m| m.permissions().mode() & 0o7777)
            .unwrap_or(0o644);
        tmp.as_file()
            .set_permissions(std::fs::Permissions::from_mode(mode))
            .map_err(io)?;
    }
    tmp.persist(path).map_err(|e| io(e.error))?;
    Ok(())
}

/// True when both paths name the same existing file (also through links).
pub fn same_file(a: &Path, b: &Path) -> bool {
    match (std::fs::canonicalize(a), std::fs::canonicalize(b)) {
        (Ok(x), Ok(y)) => x == y,
        _ => false,
    }
}
