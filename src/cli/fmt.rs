//! `fmt`: rewrite a story file canonically, losing nothing.
//!
//! The rewrite never writes through a name an attacker could have prepared,
//! and never leaves half a file:
//!
//! - the file must be a regular file (a FIFO, a device, `/dev/stdin` is
//!   refused before anything is read), writable and with one name (a
//!   read-only or hard-linked file that needs rewriting is refused), each
//!   refusal saying what to do instead;
//! - a symbolic link is followed: the file it names is rewritten, and the link
//!   stays a link;
//! - the new text goes to a temporary file created exclusively (a random name
//!   that must not exist, so a link planted there is never followed) in the
//!   folder of the real file, with the file's mode and owner, synced, then
//!   renamed over the real file in one step;
//! - on any failure the temporary file is removed and the file is unchanged.
//!
//! A hard-linked file is refused rather than replaced: the rename would give
//! this name the new text and leave the other names with the old one (for
//! backups made with hard links, that is a silent split), and writing through
//! the shared file would give up the all-or-nothing rename.

use std::io::Write;
use std::path::{Path, PathBuf};

use crate::Error;

use super::errors::CliError;
use super::output::{out_err, Out};

/// Runs `fmt`.
pub fn run(out: &mut Out, file: &Path, check: bool, stdout: bool) -> Result<u8, CliError> {
    if crate::io::is_csv(file) {
        return Err(CliError::Usage(format!(
            "fmt rewrites story files; to turn {} into one, run `grapevine import {} -o story.json`",
            file.display(),
            file.display()
        )));
    }
    // Before reading: reading a FIFO would consume it.
    let rewrite = !check && !stdout;
    if rewrite {
        regular(file)?;
    }
    let original = std::fs::read(file).map_err(|source| Error::Io {
        path: file.display().to_string(),
        source,
    })?;
    let loaded = crate::load_bytes(&file.display().to_string(), &original)
        .map_err(|r| Error::Invalid(Box::new(r)))?;
    let canonical = crate::to_json(&loaded.story);
    if stdout {
        out.write_all(canonical.as_bytes()).map_err(out_err)?;
        return Ok(0);
    }
    if canonical.as_bytes() == original.as_slice() {
        if !check {
            eprintln!("{}: already canonical", file.display());
        }
        return Ok(0);
    }
    if !rewrite {
        eprintln!(
            "{}: not canonical; run `grapevine fmt {}` to rewrite it",
            file.display(),
            file.display()
        );
        return Ok(1);
    }
    Target::of(file)?.replace(canonical.as_bytes(), |_| Ok(()))?;
    eprintln!("{}: rewritten", file.display());
    Ok(0)
}

/// A file `fmt` may rewrite: a regular, writable file with one name, by its
/// real path (symbolic links resolved).
struct Target {
    /// The name the user gave, for messages.
    given: PathBuf,
    /// The file itself, all links resolved.
    real: PathBuf,
    /// Its metadata (mode, owner).
    meta: std::fs::Metadata,
}

impl Target {
    /// Checks `file` before anything is read; refuses what `fmt` must not
    /// replace, saying what to do instead.
    fn of(file: &Path) -> Result<Target, CliError> {
        let io = |source| Error::Io {
            path: file.display().to_string(),
            source,
        };
        let refuse = |why: String| {
            Err(CliError::Usage(format!(
                "fmt does not rewrite {}: {why}; `grapevine fmt --stdout {}` prints the canonical text instead (nothing was changed)",
                file.display(),
                file.display()
            )))
        };
        let meta = regular(file)?;
        if meta.permissions().readonly() {
            return refuse(
                "it is read-only; make it writable (chmod u+w) if it should be formatted".into(),
            );
        }
        #[cfg(unix)]
        {
            use std::os::unix::fs::MetadataExt;
            if meta.nlink() > 1 {
                return refuse(format!(
                    "it has {} hard links, and replacing it would leave the other names with the old text; format a copy, or remove the other links first",
                    meta.nlink()
                ));
            }
        }
        let real = std::fs::canonicalize(file).map_err(io)?;
        Ok(Target {
            given: file.to_path_buf(),
            real,
            meta,
        })
    }

    /// Replaces the file's content with `bytes`: a temporary file created
    /// exclusively beside the real file, given the file's mode and owner,
    /// synced, then renamed over it. `before_rename` runs just before the
    /// rename (tests inject a failure there). On any error the temporary
    /// file is removed and the file is left as it was.
    fn replace(
        &self,
        bytes: &[u8],
        before_rename: impl FnOnce(&Path) -> std::io::Result<()>,
    ) -> Result<(), CliError> {
        let io = |source| Error::Io {
            path: self.given.display().to_string(),
            source,
        };
        let dir = match self.real.parent() {
            Some(d) if !d.as_os_str().is_empty() => d.to_path_buf(),
            _ => PathBuf::from("."),
        };
        let name = self
            .real
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        // Random and created with O_EXCL: an existing file or link at that
        // name makes the creation fail (and another name is tried), never
        // followed. Dropped (removed) on every early return below.
        let mut tmp = tempfile::Builder::new()
            .prefix(&format!(".{name}."))
            .suffix(".grapevine-tmp")
            .tempfile_in(&dir)
            .map_err(io)?;
        tmp.write_all(bytes).map_err(io)?;
        tmp.as_file()
            .set_permissions(self.meta.permissions())
            .map_err(io)?;
        #[cfg(unix)]
        {
            use std::os::unix::fs::MetadataExt;
            let made = tmp.as_file().metadata().map_err(io)?;
            if (made.uid(), made.gid()) != (self.meta.uid(), self.meta.gid()) {
                std::os::unix::fs::fchown(
                    tmp.as_file(),
                    Some(self.meta.uid()),
                    Some(self.meta.gid()),
                )
                .map_err(|e| {
                    CliError::Usage(format!(
                        "fmt cannot rewrite {} keeping its owner ({e}); nothing was changed",
                        self.given.display()
                    ))
                })?;
            }
        }
        tmp.as_file().sync_all().map_err(io)?;
        before_rename(tmp.path()).map_err(io)?;
        tmp.persist(&self.real).map_err(|e| io(e.error))?;
        // The rename itself survives a crash once the folder is synced;
        // a folder that cannot be synced (some file systems) changes nothing.
        if let Ok(d) = std::fs::File::open(&dir) {
            let _ = d.sync_all();
        }
        Ok(())
    }
}

/// The metadata of `file` (symbolic links followed: the file they name is
/// the one rewritten), or the refusal of anything but a regular file.
fn regular(file: &Path) -> Result<std::fs::Metadata, CliError> {
    let meta = std::fs::metadata(file).map_err(|source| Error::Io {
        path: file.display().to_string(),
        source,
    })?;
    if meta.is_file() {
        return Ok(meta);
    }
    Err(CliError::Usage(format!(
        "fmt does not rewrite {}: it is {}, not a regular file; `grapevine fmt --stdout {}` prints the canonical text instead (nothing was changed)",
        file.display(),
        kind_of(&meta),
        file.display()
    )))
}

/// What a file that is not a regular file is, in words.
fn kind_of(meta: &std::fs::Metadata) -> &'static str {
    let t = meta.file_type();
    if t.is_dir() {
        return "a folder";
    }
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt;
        if t.is_fifo() {
            return "a pipe (FIFO), whose text can be read only once";
        }
        if t.is_char_device() || t.is_block_device() {
            return "a device";
        }
        if t.is_socket() {
            return "a socket";
        }
    }
    "not a regular file"
}

#[cfg(test)]
mod tests {
    use std::path::{Path, PathBuf};

    use super::Target;

    fn dir(name: &str) -> PathBuf {
        let d = std::env::temp_dir().join(format!("grapevine-fmt-{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&d);
        std::fs::create_dir_all(&d).unwrap();
        d
    }

    fn names(d: &Path) -> Vec<String> {
        let mut v: Vec<String> = std::fs::read_dir(d)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        v.sort();
        v
    }

    /// A failure just before the rename leaves the file as it was and no
    /// temporary file behind.
    #[test]
    fn a_failure_leaves_the_file_and_no_temporary_file() {
        let d = dir("fail");
        let file = d.join("story.json");
        std::fs::write(&file, "old").unwrap();
        let target = Target::of(&file).unwrap();
        let mut seen = None;
        let e = target
            .replace(b"new", |tmp| {
                seen = Some(tmp.to_path_buf());
                assert_eq!(std::fs::read(tmp).unwrap(), b"new");
                Err(std::io::Error::other("disk full"))
            })
            .unwrap_err();
        assert!(e.to_string().contains("disk full"), "{e}");
        let tmp = seen.unwrap();
        assert!(!tmp.exists(), "{} left behind", tmp.display());
        assert_eq!(std::fs::read_to_string(&file).unwrap(), "old");
        assert_eq!(names(&d), ["story.json"]);
        // The temporary file was beside the file, under a name of its own.
        assert_eq!(tmp.parent(), Some(d.as_path()));
        let tmp_name = tmp.file_name().unwrap().to_string_lossy().into_owned();
        assert!(
            tmp_name.starts_with(".story.json.") && tmp_name.ends_with(".grapevine-tmp"),
            "{tmp_name}"
        );
        std::fs::remove_dir_all(&d).unwrap();
    }

    #[test]
    fn the_replacement_keeps_the_mode() {
        let d = dir("mode");
        let file = d.join("story.json");
        std::fs::write(&file, "old").unwrap();
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            std::fs::set_permissions(&file, std::fs::Permissions::from_mode(0o640)).unwrap();
        }
        Target::of(&file)
            .unwrap()
            .replace(b"new", |_| Ok(()))
            .unwrap();
        assert_eq!(std::fs::read_to_string(&file).unwrap(), "new");
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::metadata(&file).unwrap().permissions().mode();
            assert_eq!(mode & 0o7777, 0o640);
        }
        assert_eq!(names(&d), ["story.json"]);
        std::fs::remove_dir_all(&d).unwrap();
    }
}
