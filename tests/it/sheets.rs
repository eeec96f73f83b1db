//! The claims workbook: every story comes back from `.xlsx`, `.ods` (via
//! LibreOffice) and a folder of CSV files exactly as `fmt` writes it;
//! problems are answered at their cell; hostile workbooks within limits.
//!
//! The LibreOffice test skips without `soffice` unless
//! `GRAPEVINE_REQUIRE_LIBREOFFICE=1` (set by `.ci/run`).

use std::path::{Path, PathBuf};
use std::process::Command;

use grapevine::internals::io::sheets::{
    self, columns, read_bytes, read_with, readme, to_csv_files, to_xlsx, Form, LIMITS,
};
use grapevine::{to_json, Error, Story};
use proptest::prelude::*;
use rust_xlsxwriter::{Format, Workbook};

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// Every story of `graphs/` and the interchange tests' hostile story.
fn stories() -> Vec<(String, Story)> {
    let mut paths: Vec<PathBuf> = std::fs::read_dir(root().join("graphs"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| {
            p.extension().is_some_and(|e| e == "json")
                && !p.to_string_lossy().ends_with(".questions.json")
        })
        .collect();
    paths.push(root().join("tests/interchange/hostile.json"));
    paths.sort();
    paths
        .into_iter()
        .map(|p| {
            let name = p.file_stem().unwrap().to_string_lossy().into_owned();
            (name, grapevine::load_path(&p).unwrap().story)
        })
        .collect()
}

/// The first line where two texts differ, with its neighbours.
fn difference(a: &str, b: &str) -> String {
    let (la, lb): (Vec<&str>, Vec<&str>) = (a.lines().collect(), b.lines().collect());
    let i = la.iter().zip(&lb).take_while(|(x, y)| x == y).count();
    let from = i.saturating_sub(3);
    format!(
        "got:\n{}\nwant:\n{}",
        la[from..(i + 2).min(la.len())].join("\n"),
        lb[from..(i + 2).min(lb.len())].join("\n")
    )
}

fn rendered(e: Error) -> String {
    match e {
        Error::Invalid(r) => r.render(),
        other => other.to_string(),
    }
}

fn from_xlsx(name: &str, bytes: Vec<u8>) -> Result<Story, String> {
    read_bytes(name, bytes, Form::Xlsx, &LIMITS)
        .map(|i| i.story)
        .map_err(rendered)
}

fn from_csv(story: &Story) -> Result<Story, String> {
    let dir = tempfile::tempdir().unwrap();
    for f in to_csv_files(story) {
        std::fs::write(dir.path().join(&f.name), &f.bytes).unwrap();
    }
    read_with(dir.path(), &LIMITS)
        .map(|i| i.story)
        .map_err(rendered)
}

#[test]
fn every_story_comes_back_from_xlsx_and_csv_byte_for_byte() {
    for (name, s) in stories() {
        let want = to_json(&s);
        let back = from_xlsx(&name, to_xlsx(&s).unwrap()).unwrap();
        assert_eq!(to_json(&back), want, "{name} through xlsx");
        let back = from_csv(&s).unwrap();
        assert_eq!(to_json(&back), want, "{name} through CSV");
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: super::hostile_story::cases(64), ..ProptestConfig::default() })]

    /// Random stories (hostile text, empty lists, one-receiver lists,
    /// unknown fields of every type, detailed and bare citations) come
    /// back from both forms with the same `fmt` output.
    #[test]
    fn random_stories_come_back(s in super::roundtrip::story()) {
        let want = to_json(&s);
        if let Ok(bytes) = to_xlsx(&s) {
            let back = from_xlsx("random.xlsx", bytes).map_err(TestCaseError::fail)?;
            let got = to_json(&back);
            prop_assert!(got == want, "xlsx: {}", difference(&got, &want));
        }
        let back = from_csv(&s).map_err(TestCaseError::fail)?;
        let got = to_json(&back);
        prop_assert!(got == want, "csv: {}", difference(&got, &want));
    }
}

fn soffice() -> bool {
    let found = Command::new("soffice")
        .arg("--version")
        .output()
        .is_ok_and(|o| o.status.success());
    if !found {
        assert!(
            std::env::var_os("GRAPEVINE_REQUIRE_LIBREOFFICE").is_none(),
            "GRAPEVINE_REQUIRE_LIBREOFFICE is set but LibreOffice is not installed (run .ci/run)"
        );
        eprintln!("note: LibreOffice is not installed; skipping (set GRAPEVINE_REQUIRE_LIBREOFFICE=1 to require it)");
    }
    found
}

/// Converts every file to `to` into `out` with one LibreOffice run.
fn convert(files: &[PathBuf], to: &str, out: &Path, home: &Path) {
    let o = Command::new("soffice")
        .env("HOME", home)
        .arg(format!(
            "-env:UserInstallation=file://{}",
            home.join("profile").display()
        ))
        .args(["--headless", "--convert-to", to, "--outdir"])
        .arg(out)
        .args(files)
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
}

#[test]
fn libreoffice_reads_the_workbook_and_writes_one_grapevine_reads_identically() {
    if !soffice() {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let (xlsx, ods, again, home) = (
        dir.path().join("xlsx"),
        dir.path().join("ods"),
        dir.path().join("again"),
        dir.path().join("home"),
    );
    for d in [&xlsx, &ods, &again, &home] {
        std::fs::create_dir(d).unwrap();
    }
    let all = stories();
    let files: Vec<PathBuf> = all
        .iter()
        .map(|(name, s)| {
            let f = xlsx.join(format!("{name}.xlsx"));
            std::fs::write(&f, to_xlsx(s).unwrap()).unwrap();
            f
        })
        .collect();
    convert(&files, "ods", &ods, &home);
    convert(&files, "xlsx", &again, &home);
    for (name, s) in &all {
        let want = to_json(s);
        for f in [
            ods.join(format!("{name}.ods")),
            again.join(format!("{name}.xlsx")),
        ] {
            let back = sheets::read_workbook(&f).unwrap_or_else(|e| panic!("{}", rendered(e)));
            assert_eq!(to_json(&back.story), want, "{}", f.display());
        }
    }
}

// ---- Problems at their cell.

/// A workbook of the bundled conventions with one events sheet, made by
/// `events` (row 0 is the header).
fn workbook(events: impl FnOnce(&mut rust_xlsxwriter::Worksheet)) -> Vec<u8> {
    let mut wb = Workbook::new();
    let ws = wb.add_worksheet();
    ws.set_name("entities").unwrap();
    for (c, h) in ["id", "name", "also known as"].iter().enumerate() {
        ws.write_string(0, c as u16, *h).unwrap();
    }
    for (r, (id, name)) in [
        ("kushner", "Jared Kushner"),
        ("trump-jr", "Donald Trump Jr."),
    ]
    .iter()
    .enumerate()
    {
        ws.write_string(r as u32 + 1, 0, *id).unwrap();
        ws.write_string(r as u32 + 1, 1, *name).unwrap();
    }
    let ws = wb.add_worksheet();
    ws.set_name("events").unwrap();
    for (c, h) in ["id", "when", "kind", "from", "to"].iter().enumerate() {
        ws.write_string(0, c as u16, *h).unwrap();
    }
    events(ws);
    wb.save_to_buffer().unwrap()
}

fn errors_of(bytes: Vec<u8>) -> String {
    match read_bytes("claims.xlsx", bytes, Form::Xlsx, &LIMITS) {
        Ok(i) => panic!("read without error: {}", to_json(&i.story)),
        Err(e) => rendered(e),
    }
}

#[test]
fn names_resolve_and_problems_name_the_cell_with_proposals() {
    let ok = workbook(|ws| {
        for (c, v) in [
            "e1",
            "2016-09-20",
            "forward",
            " donald trump jr. ",
            "jared kushner",
        ]
        .iter()
        .enumerate()
        {
            ws.write_string(1, c as u16, *v).unwrap();
        }
    });
    let story = from_xlsx("claims.xlsx", ok).unwrap();
    assert!(to_json(&story).contains("\"from\": \"trump-jr\""));
    assert!(to_json(&story).contains("\"to\": \"kushner\""));
    let bad = workbook(|ws| {
        let rows = [
            ["e1", "Sept 20", "forward", "trump-jr", "kusher"],
            ["e1", "2016-09", "call", "trump-jr", "kushner"],
        ];
        for (r, row) in rows.iter().enumerate() {
            for (c, v) in row.iter().enumerate() {
                ws.write_string(r as u32 + 1, c as u16, *v).unwrap();
            }
        }
        ws.write_formula(13, 3, "=A2").unwrap();
        ws.write_number_with_format(14, 1, 42_633.0, &Format::new().set_num_format("yyyy-mm-dd"))
            .unwrap();
        ws.merge_range(20, 4, 22, 4, "kushner", &Format::new())
            .unwrap();
    });
    let text = errors_of(bad);
    for want in [
        "claims.xlsx, sheet \"events\", cell B2 (when): \"Sept 20\" is not a time",
        "claims.xlsx, sheet \"events\", cell E2 (to): no entity \"kusher\"",
        "did you mean kushner?",
        "claims.xlsx, sheet \"events\", cell A3 (id): the id \"e1\" is used twice",
        "first defined at cell A2",
        "claims.xlsx, sheet \"events\", cell D14: a formula (=A2)",
        "claims.xlsx, sheet \"events\", cell B15: the spreadsheet turned this into a date",
        "type 2016-09-20 (that day), or 2016-09",
        "claims.xlsx, sheet \"events\", cell E21: merged cells (to E23)",
    ] {
        assert!(text.contains(want), "{want:?} not in:\n{text}");
    }
}

#[test]
fn gephi_style_source_and_target_are_refused_with_the_reason() {
    let mut wb = Workbook::new();
    let ws = wb.add_worksheet();
    ws.set_name("events").unwrap();
    for (c, h) in ["id", "source", "target"].iter().enumerate() {
        ws.write_string(0, c as u16, *h).unwrap();
    }
    let text = errors_of(wb.save_to_buffer().unwrap());
    assert!(text.contains("an edge's ends are from and to"), "{text}");
}

#[test]
fn own_columns_are_kept_as_x_fields_and_sheet_names_are_tolerant() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("Claims - Entities.csv"),
        "\u{feff}Id;Name;Notes\nann;Ann;met twice\n",
    )
    .unwrap();
    std::fs::write(dir.path().join("notes (ignore).csv"), "whatever\n").unwrap();
    let story = read_with(dir.path(), &LIMITS).unwrap().story;
    let text = to_json(&story);
    assert!(text.contains("\"x-notes\": \"met twice\""), "{text}");
    // And back: the own column is written and read again.
    let again = from_csv(&story).unwrap();
    assert_eq!(to_json(&again), text);
}

#[test]
fn dates_as_a_spreadsheet_displays_them_get_the_text_to_type() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("entities.csv"), "id,name\nann,Ann\n").unwrap();
    std::fs::write(
        dir.path().join("markers.csv"),
        "id,label,when\nm1,One,9/20/2016\nm2,Two,10/12/2016\n",
    )
    .unwrap();
    let text = rendered(read_with(dir.path(), &LIMITS).unwrap_err());
    assert!(text.contains("sheet \"markers\", cell C2 (when)"), "{text}");
    assert!(
        text.contains("write 2016-09-20: dates are written year-month-day"),
        "{text}"
    );
    assert!(
        text.contains("write 2016-10-12 or 2016-12-10, whichever was meant"),
        "{text}"
    );
}

#[test]
fn csv_that_is_not_utf8_is_refused_at_the_sheet() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("entities.csv"), b"id,name\nzoe,Zo\xEB\n").unwrap();
    let text = rendered(read_with(dir.path(), &LIMITS).unwrap_err());
    assert!(
        text.contains("sheet \"entities\": not UTF-8 text"),
        "{text}"
    );
    assert!(text.contains("save it as CSV UTF-8"), "{text}");
}

// ---- Hostile workbooks.

#[test]
fn a_stray_cell_at_the_last_cell_is_answered_without_a_dense_sheet() {
    let bytes = workbook(|ws| {
        ws.write_string(1_048_575, 16_383, "x").unwrap();
    });
    let text = errors_of(bytes);
    assert!(
        text.contains("cell XFD1048576: a value in a column with no header"),
        "{text}"
    );
}

#[test]
fn a_cell_over_the_limit_is_refused_at_its_cell() {
    let bytes = workbook(|ws| {
        ws.write_string(1, 0, "e1").unwrap();
        ws.write_string(1, 5, "a long text").unwrap();
    });
    let limits = sheets::Limits {
        cell_chars: 5,
        ..LIMITS
    };
    let text = rendered(read_bytes("claims.xlsx", bytes, Form::Xlsx, &limits).unwrap_err());
    assert!(
        text.contains("cell F2: the cell holds 11 characters, more than 5"),
        "{text}"
    );
}

#[test]
fn a_zip_bomb_is_refused_before_it_is_inflated() {
    use std::io::Write;
    let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let opts = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated);
    zip.start_file("xl/worksheets/sheet1.xml", opts).unwrap();
    let zeros = vec![b' '; 1 << 20];
    for _ in 0..20 {
        zip.write_all(&zeros).unwrap();
    }
    let bytes = zip.finish().unwrap().into_inner();
    let text = rendered(read_bytes("bomb.xlsx", bytes, Form::Xlsx, &LIMITS).unwrap_err());
    assert!(text.contains("refused as a zip bomb"), "{text}");
}

// ---- The template and the docs.

#[test]
fn new_writes_templates_that_import_and_check_without_errors() {
    let dir = tempfile::tempdir().unwrap();
    let bin = env!("CARGO_BIN_EXE_grapevine");
    for name in ["claims.xlsx", "claims", "story.json"] {
        let f = dir.path().join(name);
        let o = Command::new(bin).arg("new").arg(&f).output().unwrap();
        assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
        let o = Command::new(bin).arg("check").arg(&f).output().unwrap();
        assert!(
            o.status.success(),
            "{name}: {}",
            String::from_utf8_lossy(&o.stderr)
        );
        let again = Command::new(bin).arg("new").arg(&f).output().unwrap();
        assert!(!again.status.success(), "new overwrote {name}");
    }
    let o = Command::new(bin)
        .args(["reach"])
        .arg(dir.path().join("claims.xlsx"))
        .args(["--message", "pac-tip"])
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    assert!(String::from_utf8_lossy(&o.stdout).contains("Jared Kushner"));
}

#[test]
fn the_docs_describe_every_sheet_and_column_of_the_table() {
    let doc = std::fs::read_to_string(root().join("docs/sheets.md")).unwrap();
    let table = readme::docs_table();
    assert!(
        doc.contains(&table),
        "docs/sheets.md's table of sheets differs from the column table; put this between its markers:\n{table}"
    );
    // Every sheet's name is one the reader knows.
    for def in columns::SECTIONS {
        assert_eq!(
            columns::sheet_named(def.name).map(|d| d.name),
            Some(def.name)
        );
    }
}

#[test]
fn a_hidden_sheet_is_read_with_a_warning() {
    let mut wb = Workbook::new();
    let events = wb.add_worksheet();
    events.set_name("events").unwrap();
    events.write_string(0, 0, "id").unwrap();
    let ws = wb.add_worksheet();
    ws.set_name("Entities").unwrap();
    ws.write_string(0, 0, "ID").unwrap();
    ws.write_string(0, 1, "Name").unwrap();
    ws.write_string(1, 0, "ann").unwrap();
    ws.write_string(1, 1, "Ann").unwrap();
    ws.set_hidden(true);
    let read = read_bytes(
        "claims.xlsx",
        wb.save_to_buffer().unwrap(),
        Form::Xlsx,
        &LIMITS,
    )
    .unwrap();
    assert_eq!(read.story.entities.len(), 1);
    let text = read.report.render();
    assert!(
        text.contains("sheet \"Entities\": the sheet is hidden; it was read"),
        "{text}"
    );
}

/// calamine reports no merged cells in an `.ods`: they are read from the
/// file itself and refused at their first cell, as in an `.xlsx`. The
/// `.ods` is LibreOffice's own, converted from a workbook with a merge.
#[test]
fn merged_cells_in_an_ods_are_refused_at_their_cell() {
    if !soffice() {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let home = dir.path().join("home");
    std::fs::create_dir(&home).unwrap();
    let xlsx = dir.path().join("claims.xlsx");
    let bytes = workbook(|ws| {
        for (c, v) in ["e1", "2016-09-20", "forward", "trump-jr", "kushner"]
            .iter()
            .enumerate()
        {
            ws.write_string(1, c as u16, *v).unwrap();
        }
        ws.merge_range(20, 4, 22, 4, "kushner", &Format::new())
            .unwrap();
    });
    std::fs::write(&xlsx, bytes).unwrap();
    convert(&[xlsx], "ods", dir.path(), &home);
    let ods = std::fs::read(dir.path().join("claims.ods")).unwrap();
    let text = match read_bytes("claims.ods", ods, Form::Ods, &LIMITS) {
        Ok(i) => panic!("read without error: {}", to_json(&i.story)),
        Err(e) => rendered(e),
    };
    assert!(
        text.contains("claims.ods, sheet \"events\", cell E21: merged cells (to E23)"),
        "{text}"
    );
}
