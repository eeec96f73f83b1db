//! `import`: a CSV contact list (or any input) as a format 1 story file.

use std::io::Write;
use std::path::Path;

use grapevine::Error;

use super::common::{eprint_text, out_err, read_input, Global, Out};

use super::common::write_output;

/// Runs `import`.
pub fn run(out: &mut Out, file: &Path, output: Option<&Path>, global: Global) -> Result<u8, Error> {
    let input = read_input(file, global)?;
    let story = input.to_story()?;
    let text = grapevine::to_json(&story);
    match output {
        None => out.write_all(text.as_bytes()).map_err(out_err)?,
        Some(path) => {
            write_output(path, file, text.as_bytes())?;
            eprint_text(&format!(
                "{}: {} entities, {} events, {} messages written to {}\n",
                file.display(),
                story.entities.len(),
                story.events.len(),
                story.messages.len(),
                path.display()
            ));
        }
    }
    Ok(0)
}
