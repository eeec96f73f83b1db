//! `timeline`: the contacts in time order.

use grapevine::Error;

use super::args::InputArgs;
use super::common::{print_json, print_text, read_input, Out};

/// Runs `timeline`.
pub fn run(
    out: &mut Out,
    args: &InputArgs,
    entity: Option<String>,
    between: Option<Vec<String>>,
    threshold: grapevine::Certainty,
    json: bool,
) -> Result<u8, Error> {
    let input = read_input(args)?;
    let between = between.and_then(|v| match v.as_slice() {
        [a, b] => Some((a.clone(), b.clone())),
        _ => None,
    });
    let query = grapevine::analysis::timeline::TimelineQuery {
        entity,
        between,
        threshold,
    };
    let entries = grapevine::analysis::timeline::timeline(input.catalog(), &query)?;
    if json {
        print_json(out, &entries)?;
        return Ok(0);
    }
    let mut s = String::new();
    for e in &entries {
        let who = if e.mutual {
            e.who.join(" — ")
        } else {
            format!("{} → {}", e.who[0], e.who[1..].join(", "))
        };
        s.push_str(&format!(
            "{:<22}  {:<11}  {:<9}  {}\n",
            e.time.as_deref().unwrap_or("undated"),
            e.kind,
            e.certainty.as_str(),
            who
        ));
        if let Some(summary) = &e.summary {
            s.push_str(&format!("{:<22}  {summary}\n", ""));
        }
    }
    if entries.is_empty() {
        s.push_str("No events match.\n");
    }
    print_text(out, &s)?;
    Ok(0)
}
