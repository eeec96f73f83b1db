//! Writing: standard output (text and JSON, escaped for a terminal),
//! standard error, and output files written whole or not at all.

use std::io::Write;
use std::path::{Path, PathBuf};

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

/// Writes `bytes` to `path`. A regular file (or a new one) is written
/// through a temporary file beside it, renamed over it at the end: a
/// failure (a full disk) leaves no partial file, and the temporary file is
/// removed. Through a symbolic link, the file it names is the one replaced
/// (the link stays a link). Anything that is not a regular file (a device
/// such as `/dev/null` or `/dev/full`, a FIFO, a terminal, `/dev/stdout`
/// and the other `/dev/fd/N` names) is never replaced: the bytes are
/// written to it as a stream, and a write error (a full device) is an
/// error. Refuses to overwrite the input, standard input included.
pub fn write_output(path: &Path, input: &Path, bytes: &[u8]) -> Result<(), CliError> {
    let io = |source| Error::Io {
        path: path.display().to_string(),
        source,
    };
    let same = if crate::io::is_stdin(input) {
        stdin_is(path)
    } else {
        same_file(path, input)
    };
    if same {
        return Err(CliError::Usage(format!(
            "the output {} is the input{}: choose another file name (nothing was written)",
            path.display(),
            if crate::io::is_stdin(input) {
                " (standard input reads it)"
            } else {
                ""
            }
        )));
    }
    let written = match target_of(path)? {
        Target::Descriptor(1) => {
            let mut out = std::io::stdout().lock();
            out.write_all(bytes).and_then(|()| out.flush())
        }
        Target::Descriptor(2) => {
            let mut err = std::io::stderr().lock();
            err.write_all(bytes).and_then(|()| err.flush())
        }
        Target::Descriptor(n) => stream(Path::new(&format!("/proc/self/fd/{n}")), bytes),
        Target::Stream => stream(path, bytes),
        Target::File(real) => return replace(path, &real, bytes),
    };
    written.map_err(io)?;
    Ok(())
}

/// Writes `bytes` to what `path` opens, at its end, without replacing it.
fn stream(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    let mut f = std::fs::OpenOptions::new().append(true).open(path)?;
    f.write_all(bytes)?;
    f.flush()
}

/// Where an output goes.
#[derive(Debug, PartialEq)]
enum Target {
    /// One of this process's file descriptors (`/dev/stdout` and
    /// `/dev/fd/1` are 1: standard output, `/dev/stderr` 2), written to
    /// as it is, whatever is on disk at that name.
    Descriptor(u32),
    /// Not a regular file: written to as it is, never replaced.
    Stream,
    /// A regular file, or a new one, at this path (links resolved).
    File(PathBuf),
}

/// The links followed at most from an output's name.
const MAX_LINKS: usize = 40;

/// Where `path` leads: the names of file descriptors (`/dev/stdout`,
/// `/dev/fd/N`, `/proc/self/fd/N`) and whatever is not a regular file are
/// streams, also at the end of symbolic links; a regular file is replaced
/// at its real path. A link to nothing and a folder are refused.
fn target_of(path: &Path) -> Result<Target, CliError> {
    let mut hop = path.to_path_buf();
    for _ in 0..MAX_LINKS {
        if let Some(n) = fd_name(&hop) {
            return Ok(Target::Descriptor(n));
        }
        match std::fs::read_link(&hop) {
            Ok(to) => {
                hop = match hop.parent() {
                    Some(dir) => dir.join(to),
                    None => to,
                }
            }
            Err(_) => break,
        }
    }
    match std::fs::metadata(path) {
        Ok(meta) if meta.is_file() => {
            let real = std::fs::canonicalize(path).map_err(|source| Error::Io {
                path: path.display().to_string(),
                source,
            })?;
            Ok(Target::File(real))
        }
        Ok(meta) if meta.is_dir() => Err(CliError::Usage(format!(
            "cannot write {}: it is a folder; give a file name (nothing was written)",
            path.display()
        ))),
        Ok(_) => Ok(Target::Stream),
        Err(_) if std::fs::symlink_metadata(path).is_ok() => Err(CliError::Usage(format!(
            "cannot write {}: it is a symbolic link to {}, which does not exist; \
             remove the link or create its target (nothing was written)",
            path.display(),
            std::fs::read_link(path)
                .map(|t| t.display().to_string())
                .unwrap_or_default()
        ))),
        Err(_) => Ok(Target::File(path.to_path_buf())),
    }
}

/// The file descriptor a name stands for, read from the name alone:
/// `/dev/stdin`, `/dev/stdout`, `/dev/stderr`, `/dev/fd/N` and
/// `/proc/self/fd/N` (or `/proc/PID/fd/N`). Whatever is at that name on
/// disk (even a regular file left there by another program), writing to it
/// means writing to the descriptor.
fn fd_name(path: &Path) -> Option<u32> {
    let s = path.to_str()?;
    match s {
        "/dev/stdin" => return Some(0),
        "/dev/stdout" => return Some(1),
        "/dev/stderr" => return Some(2),
        _ => {}
    }
    let rest = s.strip_prefix("/dev/fd/").or_else(|| {
        let rest = s.strip_prefix("/proc/")?;
        let (_, fd) = rest.split_once("/fd/")?;
        Some(fd)
    })?;
    rest.parse().ok()
}

/// Replaces the regular file `real` (or creates it): a temporary file
/// beside it, with its mode, synced, then renamed over it.
fn replace(path: &Path, real: &Path, bytes: &[u8]) -> Result<(), CliError> {
    let io = |source| Error::Io {
        path: path.display().to_string(),
        source,
    };
    let dir = match real.parent() {
        Some(d) if !d.as_os_str().is_empty() => d.to_path_buf(),
        _ => PathBuf::from("."),
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
        let mode = std::fs::metadata(real)
            .map(|m| m.permissions().mode() & 0o7777)
            .unwrap_or(0o644);
        tmp.as_file()
            .set_permissions(std::fs::Permissions::from_mode(mode))
            .map_err(io)?;
    }
    tmp.persist(real).map_err(|e| io(e.error))?;
    Ok(())
}

/// True when both paths name the same existing file (also through links,
/// and through hard links: the same device and inode).
pub fn same_file(a: &Path, b: &Path) -> bool {
    if let (Ok(x), Ok(y)) = (std::fs::canonicalize(a), std::fs::canonicalize(b)) {
        if x == y {
            return true;
        }
    }
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt;
        if let (Ok(x), Ok(y)) = (std::fs::metadata(a), std::fs::metadata(b)) {
            return x.is_file() && (x.dev(), x.ino()) == (y.dev(), y.ino());
        }
    }
    false
}

/// True when standard input reads the regular file at `path` (the same
/// device and inode): `import - -o c.csv < c.csv`.
fn stdin_is(path: &Path) -> bool {
    #[cfg(unix)]
    {
        use std::os::fd::AsFd;
        use std::os::unix::fs::MetadataExt;
        let Ok(fd) = std::io::stdin().as_fd().try_clone_to_owned() else {
            return false;
        };
        let (Ok(x), Ok(y)) = (std::fs::File::from(fd).metadata(), std::fs::metadata(path)) else {
            return false;
        };
        x.is_file() && (x.dev(), x.ino()) == (y.dev(), y.ino())
    }
    #[cfg(not(unix))]
    {
        let _ = path;
        false
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn descriptor_names_are_read_from_the_name() {
        assert_eq!(fd_name(Path::new("/dev/stdout")), Some(1));
        assert_eq!(fd_name(Path::new("/dev/fd/1")), Some(1));
        assert_eq!(fd_name(Path::new("/proc/self/fd/2")), Some(2));
        assert_eq!(fd_name(Path::new("/proc/123/fd/7")), Some(7));
        assert_eq!(fd_name(Path::new("/dev/null")), None);
        assert_eq!(fd_name(Path::new("/dev/shm/x.json")), None);
        assert_eq!(fd_name(Path::new("out.json")), None);
    }

    #[test]
    fn devices_and_links_to_descriptors_are_streams() {
        assert_eq!(target_of(Path::new("/dev/null")).ok(), Some(Target::Stream));
        assert_eq!(
            target_of(Path::new("/dev/stdout")).ok(),
            Some(Target::Descriptor(1))
        );
        let dir = tempfile::tempdir().unwrap();
        let link = dir.path().join("out");
        std::os::unix::fs::symlink("/dev/stdout", &link).unwrap();
        assert_eq!(target_of(&link).ok(), Some(Target::Descriptor(1)));
        let file = dir.path().join("file.json");
        std::fs::write(&file, "x").unwrap();
        let link2 = dir.path().join("to-file");
        std::os::unix::fs::symlink(&file, &link2).unwrap();
        assert_eq!(
            target_of(&link2).ok(),
            Some(Target::File(std::fs::canonicalize(&file).unwrap()))
        );
    }
}
