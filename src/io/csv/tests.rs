use jiff::tz::TimeZone;

use crate::catalog::Catalog;
use crate::model::TimeExpr;
use crate::Error;

use super::bench;
use super::times::fast_iso;
use super::{Corpus, CsvOptions};

fn parse(text: &str) -> Result<Corpus, Error> {
    Corpus::parse("t.csv", text.as_bytes(), &CsvOptions::default())
}

#[test]
fn fast_iso_agrees_with_time_expressions() {
    for s in [
        "2001-05-14T16:39:00Z",
        "2001-05-14T16:39:00",
        "2016-02-29T23:59:59+05:30",
        "1969-12-31T23:59:59-04:00",
        "2000-01-01T00:00:00Z",
        "1900-03-01T00:00:00Z",
    ] {
        let slow = TimeExpr::parse(s, &TimeZone::UTC).unwrap().interval().lo;
        assert_eq!(fast_iso(s.as_bytes()), slow, "{s}");
    }
    for s in [
        "2001-02-29T00:00:00Z",
        "2001-13-01T00:00:00Z",
        "2001-05-14 16:39:00",
    ] {
        assert_eq!(fast_iso(s.as_bytes()), None, "{s}");
    }
}

#[test]
fn header_names_and_rows() {
    let c = parse("src,dst,t\na@x.org,b@x.org,100000\nb@x.org,c@x.org,50000\n").unwrap();
    assert_eq!(c.row_count(), 2);
    assert_eq!(c.entity_count(), 3);
    assert!(c.is_exact());
    // Sorted by time: line 3 first.
    assert_eq!(c.line, vec![3, 2]);
    assert_eq!(c.channels.lo(crate::catalog::ChannelId(0)), 50000);
}

#[test]
fn quoted_fields() {
    let c = parse(
        "from,to,time,kind\n\"Doe, Jane\",b,10001,\"an \"\"odd\"\"\nkind\"\nb,c,10002,email\n",
    )
    .unwrap();
    assert!(c.resolve_entity("Doe, Jane").is_ok());
    assert_eq!(c.entity_ids().get(c.channels.from[0] as usize), "Doe, Jane");
    assert_eq!(c.kind_names[0], "an \"odd\"\nkind");
    assert_eq!(c.line, vec![2, 4]);
}

#[test]
fn bad_rows_are_located() {
    let err = parse("from,to,time\na,b,10001\na,b,soon\na,b\n").unwrap_err();
    let Error::Invalid(report) = err else {
        panic!("not invalid")
    };
    let json = report.to_json();
    assert_eq!(json.len(), 2);
    assert_eq!((json[0].line, json[0].column), (Some(3), Some(5)));
    assert!(
        json[0]
            .message
            .contains("column `time`: `soon` is not a date"),
        "{}",
        json[0].message
    );
    assert_eq!(json[1].line, Some(4));
    let rendered = report.render();
    assert!(rendered.contains("t.csv:3:5"), "{rendered}");
}

#[test]
fn skipping_bad_rows() {
    let c = Corpus::parse(
        "t.csv",
        b"from,to,time\na,b,10001\na,b,soon\n,b,10003\n",
        &CsvOptions {
            skip_bad_rows: true,
            ..CsvOptions::default()
        },
    )
    .unwrap();
    assert_eq!(c.row_count(), 1);
    assert_eq!(c.skipped, 2);
    assert_eq!(c.report.warning_count(), 2);
}

#[test]
fn missing_columns() {
    let Error::Invalid(r) = parse("from,when\na,1\n").unwrap_err() else {
        panic!()
    };
    assert!(r.diagnostics[0].message.contains("no to and no time"));
}

#[test]
fn messages_get_an_origin() {
    let c = parse("from,to,time,carries\nb,c,100020,tip\na,b,100010,tip;x\n").unwrap();
    let m = &c.messages()[0];
    assert_eq!(m.id, "tip");
    assert_eq!(c.entity_ids().get(m.origin as usize), "a");
    assert_eq!(m.by, 100010);
    let story = c.to_story().unwrap();
    assert_eq!(story.messages.len(), 2);
    assert_eq!(story.events[0].id, "line-2");
    assert_eq!(story.events[0].carries, vec!["tip"]);
}

#[test]
fn parallel_parse_equals_serial() {
    let mut text = String::from("from,to,time\n");
    for i in 0..200_000u64 {
        text.push_str(&format!(
            "u{}@x.org,u{}@x.org,{}\n",
            i % 977,
            (i * 7) % 1013,
            1000 + (i * 31) % 5000
        ));
    }
    let one = Corpus::parse(
        "t.csv",
        text.as_bytes(),
        &CsvOptions {
            threads: 1,
            ..CsvOptions::default()
        },
    )
    .unwrap();
    let two = Corpus::parse(
        "t.csv",
        text.as_bytes(),
        &CsvOptions {
            threads: 2,
            ..CsvOptions::default()
        },
    )
    .unwrap();
    assert_eq!(one.row_count(), 200_000);
    assert_eq!(one.line, two.line);
    let names = |c: &Corpus, v: &[u32]| {
        v.iter()
            .map(|&e| c.ids.get(e as usize).to_string())
            .collect::<Vec<_>>()
    };
    assert_eq!(
        names(&one, &one.channels.from),
        names(&two, &two.channels.from)
    );
    assert_eq!(names(&one, &one.channels.to), names(&two, &two.channels.to));
    assert_eq!(one.channels.times, two.channels.times);
}

/// The benchmarks' splitter reads files without quotes as a part is read
/// (one pass over commas and line breaks) and gives the `csv` crate's rows,
/// fields and value bytes, with `\n`, `\r\n`, a lone `\r`, rows of another
/// width and no line break at the end.
#[test]
fn bench_split_all_agrees_with_the_csv_crate() {
    let texts = [
        "from,to,time\na,b,1\nc,d,2\n",
        "from,to,time\r\na,b,1\r\nc,d,2\r\n",
        "from,to,time\na,b,1\rc,d,2\ne,f\ng,h,3,4\ni,j,5",
        "from,to,time\n\na,b,1\n,,\nxx,yy,zz\n",
    ];
    for text in texts {
        let mut reader = csv::ReaderBuilder::new()
            .has_headers(false)
            .flexible(true)
            .from_reader(text.as_bytes());
        let (mut rows, mut fields, mut bytes) = (0, 0, 0);
        for record in reader.byte_records() {
            let record = record.unwrap();
            rows += 1;
            fields += record.len();
            bytes += record.iter().map(<[u8]>::len).sum::<usize>();
        }
        // The csv crate skips blank lines; the splitter counts them as rows
        // of one empty field.
        let blank = text.split(['\n', '\r']).filter(|l| l.is_empty()).count()
            - usize::from(text.ends_with('\n'))
            - text.matches("\r\n").count();
        assert_eq!(
            bench::split_all(text.as_bytes()),
            (rows + blank, fields + blank, bytes),
            "{text:?}"
        );
    }
}
