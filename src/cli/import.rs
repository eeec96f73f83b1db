//! `import`: a CSV contact list (or any input), a FollowTheMoney JSONL file
//! or a GEXF file as a format 1 story file.

use std::io::Write;
use std::path::Path;

use crate::io::{read_import_bytes, ImportFormat};
use crate::Story;

use super::args::{FromArg, InputArgs};
use super::errors::CliError;
use super::input::read_input;
use super::output::{eprint_text, out_err, write_output, Out};

/// Runs `import`.
pub fn run(
    out: &mut Out,
    args: &InputArgs,
    output: Option<&Path>,
    from: Option<FromArg>,
    timezone: Option<&str>,
) -> Result<u8, CliError> {
    let file = args.file.as_path();
    if timezone.is_some() && from != Some(FromArg::Ftm) {
        return Err(CliError::Usage(
            "--timezone goes with --from ftm (a story, a CSV file and GEXF say their zone)".into(),
        ));
    }
    let story: Story = match from {
        None | Some(FromArg::Csv) => {
            let input = read_input(args)?;
            if from == Some(FromArg::Csv) && !input.is_corpus() {
                return Err(CliError::Usage(format!(
                    "{} is a story file, not a CSV contact list: leave --from out",
                    file.display()
                )));
            }
            input.to_story()?
        }
        Some(f) => {
            let name = if crate::io::is_stdin(file) {
                "<stdin>".to_string()
            } else {
                file.display().to_string()
            };
            let format = if f == FromArg::Ftm {
                ImportFormat::Ftm
            } else {
                ImportFormat::Gexf
            };
            let bytes = read_import_bytes(file, &name, format)?;
            let text = String::from_utf8(bytes).map_err(|e| {
                CliError::Usage(format!(
                    "{name} is not UTF-8 text (byte {} is not): save it as UTF-8",
                    e.utf8_error().valid_up_to()
                ))
            })?;
            let imported = match f {
                FromArg::Ftm => crate::io::ftm::read_ftm(&name, &text, timezone)?,
                _ => crate::io::gexf::read_gexf(&name, &text)?,
            };
            if imported.report.warning_count() > 0 {
                eprint_text(&imported.report.render());
            }
            imported.story
        }
    };
    let text = crate::to_json(&story);
    // The last guard: the story written must load (`check` passes it).
    if let Err(report) = crate::load_str(&format!("{} (as a story)", file.display()), &text) {
        return Err(crate::Error::Invalid(Box::new(report)).into());
    }
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
