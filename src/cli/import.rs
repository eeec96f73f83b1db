//! `import`: a CSV contact list (or any input) as a format 1 story file.

use std::io::Write;
use std::path::Path;

use grapevine::Error;

use super::args::InputArgs;
use super::common::{eprint_text, out_err, read_input, Out};

use super::common::write_output;

/// Runs `import`.
pub fn run(out: &mut Out, args: &InputArgs, output: Option<&Path>) -> Result<u8, Error> {
    let file = args.file.as_path();
    let input = read_input(args)?;
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
