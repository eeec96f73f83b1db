//! Tables for people: padded columns with notes below rows, the table of
//! who could have seen it, and the line naming who is not reached.

use crate::render::words::AnswerWords;
use crate::ReachAnswer;
/// A table for people: columns padded to their widest cell, the last one
/// left ragged; a row may have notes, each printed on a line below it,
/// indented by two spaces.
pub fn table_with_notes(header: &[&str], rows: &[(Vec<String>, Vec<String>)]) -> String {
    let mut widths: Vec<usize> = header.iter().map(|h| h.chars().count()).collect();
    for (r, _) in rows {
        for (w, cell) in widths.iter_mut().zip(r) {
            *w = (*w).max(cell.chars().count());
        }
    }
    let line = |cells: Vec<&str>| {
        let mut l = String::new();
        for (i, (c, w)) in cells.iter().zip(&widths).enumerate() {
            l.push_str(c);
            if i + 1 < cells.len() {
                l.push_str(&" ".repeat(w - c.chars().count() + 2));
            }
        }
        l.trim_end().to_string() + "\n"
    };
    let mut s = line(header.to_vec());
    for (r, note) in rows {
        s.push_str(&line(r.iter().map(String::as_str).collect()));
        for note in note {
            s.push_str(&format!("  {note}\n"));
        }
    }
    s
}

/// The list of who is not reached, for the end of a table: the first 20
/// names, and how many more.
pub fn not_reached_line(names: &[String]) -> String {
    const SHOWN: usize = 20;
    match names.len() {
        0 => "Everyone is reached.\n".to_string(),
        n => {
            let shown: Vec<&str> = names.iter().take(SHOWN).map(String::as_str).collect();
            let more = if n > SHOWN {
                format!(" and {} more (--json lists them all)", n - SHOWN)
            } else {
                String::new()
            };
            format!("Not reached ({n}): {}{more}\n", shown.join(", "))
        }
    }
}

/// Who could have seen it, in the answer's causal order (the source first,
/// everyone after the one they got it from): the table of `reach` and of
/// `critical --drop`.
pub fn reach_table(words: &AnswerWords, answer: &ReachAnswer) -> String {
    let rows: Vec<(Vec<String>, Vec<String>)> = answer
        .reached
        .iter()
        .map(|r| {
            (
                vec![
                    r.name.clone(),
                    words.earliest(r),
                    words.surely_by(r),
                    r.evidence.to_string(),
                    words.chain(r),
                ],
                words.notes(r),
            )
        })
        .collect();
    table_with_notes(
        &[
            "ENTITY",
            "COULD HAVE IT FROM",
            "SURELY HAD IT BY",
            "EVIDENCE",
            "CHAIN",
        ],
        &rows,
    )
}
