//! `fmt`: rewrite a story file canonically, losing nothing.

use std::io::Write;
use std::path::Path;

use grapevine::Error;

use super::common::{out_err, Out};

/// Runs `fmt`.
pub fn run(out: &mut Out, file: &Path, check: bool, stdout: bool) -> Result<u8, Error> {
    if grapevine::io::is_csv(file) {
        return Err(Error::Query(format!(
            "fmt rewrites story files; to turn {} into one, run `grapevine import {} -o story.json`",
            file.display(),
            file.display()
        )));
    }
    let original = std::fs::read(file).map_err(|source| Error::Io {
        path: file.display().to_string(),
        source,
    })?;
    let loaded = grapevine::load_bytes(&file.display().to_string(), &original)
        .map_err(|r| Error::Invalid(Box::new(r)))?;
    let canonical = grapevine::to_json(&loaded.story);
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
    if check {
        eprintln!(
            "{}: not canonical; run `grapevine fmt {}` to rewrite it",
            file.display(),
            file.display()
        );
        return Ok(1);
    }
    // Write beside the file, then rename over it: a crash never leaves half a file.
    let tmp = file.with_extension("json.grapevine-tmp");
    let io = |source| Error::Io {
        path: file.display().to_string(),
        source,
    };
    std::fs::write(&tmp, canonical.as_bytes()).map_err(io)?;
    std::fs::rename(&tmp, file).map_err(io)?;
    eprintln!("{}: rewritten", file.display());
    Ok(0)
}
