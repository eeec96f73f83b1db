//! Tests of the hints for times written another way.

use super::super::TimeExpr;
use jiff::tz::TimeZone;

/// (message, help) of the error for `text`, in UTC.
fn error(text: &str) -> (String, String) {
    let e = TimeExpr::parse(text, &TimeZone::UTC).expect_err(text);
    (e.message, e.help)
}

/// Each example of the issue gets the right form, and the form parses
/// to the same interval as the intended reading.
#[test]
fn the_issue_examples_get_the_format_1_form() {
    let cases = [
        ("Sept 20, 2016", "`Sept 20, 2016` is a date in words; format 1 writes it 2016-09-20", "write \"2016-09-20\""),
        ("20 September 2016", "`20 September 2016` is a date in words; format 1 writes it 2016-09-20", "write \"2016-09-20\""),
        (
            "20/09/2016",
            "`20/09/2016` is a day/month/year date written with `/`; format 1 writes it 2016-09-20",
            "write \"2016-09-20\" (20 September 2016; 20 cannot be a month, so it is the day)",
        ),
        (
            "2016-09-20T10:00 EST",
            "`2016-09-20T10:00 EST` ends with the zone abbreviation EST; format 1 writes it 2016-09-20T10:00-05:00",
            "write \"2016-09-20T10:00-05:00\"; EST is UTC-05:00; or leave the zone out to read the time in the story's \"timezone\"",
        ),
    ];
    for (text, message, help) in cases {
        assert_eq!(
            error(text),
            (message.to_string(), help.to_string()),
            "{text}"
        );
    }
    let est = TimeExpr::parse("2016-09-20T10:00-05:00", &TimeZone::UTC).unwrap();
    assert_eq!(
        super::super::rfc3339(est.interval().lo.unwrap()),
        "2016-09-20T15:00:00Z"
    );
}

#[test]
fn day_and_month_in_either_order() {
    // The second number cannot be a month: month/day.
    assert_eq!(
        error("09/20/2016").1,
        "write \"2016-09-20\" (September 20, 2016; 20 cannot be a month, so it is the day)"
    );
    // Both can: both readings, day/month first.
    let (message, help) = error("05/09/2016");
    assert_eq!(
        message,
        "`05/09/2016` is a day, month and year written with `/`; format 1 writes it 2016-09-05 or 2016-05-09, depending on which is the day"
    );
    assert_eq!(
        help,
        "write \"2016-09-05\" if it is day/month (5 September 2016), or \"2016-05-09\" if it is month/day (May 9, 2016)"
    );
    // The same number twice is one date.
    assert_eq!(error("07.07.2016").1, "write \"2016-07-07\" (7 July 2016)");
    // Dots and dashes too; the year first with other separators.
    assert!(error("20.09.2016")
        .0
        .ends_with("format 1 writes it 2016-09-20"));
    assert!(error("20-09-2016")
        .0
        .ends_with("format 1 writes it 2016-09-20"));
    assert!(error("2016/09/20")
        .0
        .ends_with("format 1 writes it 2016-09-20"));
    assert!(error("2016.9.20")
        .0
        .ends_with("format 1 writes it 2016-09-20"));
    assert!(error("2016-9-2")
        .0
        .ends_with("format 1 writes it 2016-09-02"));
    assert!(error("09.2016").0.ends_with("format 1 writes it 2016-09"));
    // Neither number a month: no hint, the ordinary error.
    assert_eq!(error("20/21/2016").0, "a time has at most one `/`");
}

#[test]
fn words_clocks_spaces_and_zones() {
    for (text, iso) in [
        ("September 20, 2016", "2016-09-20"),
        ("sep 20 2016", "2016-09-20"),
        ("Tuesday, 20th of September 2016", "2016-09-20"),
        ("September 2016", "2016-09"),
        ("about May 2016", "2016-05~"),
        ("Sept 20, 2016 10:00", "2016-09-20T10:00"),
        ("20 Sept 2016 9:05 PDT", "2016-09-20T09:05-07:00"),
        ("2016-09-20 10:00", "2016-09-20T10:00"),
        ("2016-09-20 10:00:30 UTC", "2016-09-20T10:00:30Z"),
        ("2016-09-20T10:00GMT", "2016-09-20T10:00Z"),
        ("2016-09-20t10:00", "2016-09-20T10:00"),
        ("20/09/2016 14:30 CEST", "2016-09-20T14:30+02:00"),
        ("Sept 20, 2016/Sept 22, 2016", "2016-09-20/2016-09-22"),
        ("2016-09-20/Sept 22, 2016", "2016-09-20/2016-09-22"),
        ("Sept 2016/..", "2016-09/.."),
    ] {
        let (message, _) = error(text);
        assert!(
            message.ends_with(&format!("format 1 writes it {iso}")),
            "{text}: {message}"
        );
        assert!(TimeExpr::parse(iso, &TimeZone::UTC).is_ok(), "{iso}");
    }
    let (message, help) = error("late September 2016");
    assert_eq!(
        message,
        "`late September 2016` is a date in words; format 1 writes it 2016-09-21/2016-09-30"
    );
    assert_eq!(help, "write \"2016-09-21/2016-09-30\"");
    let (_, help) = error("2016-09-20 IST");
    assert!(
        help.contains("a date without a time of day is read in the story's \"timezone\""),
        "{help}"
    );
    assert!(error("2016-09-20T10:00 IST")
        .1
        .contains("Irish Standard Time"));
}

/// The phrases reporters copy from documents (indictments, reports)
/// get the interval they mean, and it parses.
#[test]
fn phrases_from_documents_get_their_span() {
    for (text, iso) in [
        ("on or about March 21, 2016", "2016-03-21~"),
        ("summer 2016", "2016-06/2016-08"),
        ("Summer of 2016", "2016-06/2016-08"),
        ("spring 2017", "2017-03/2017-05"),
        ("fall 2016", "2016-09/2016-11"),
        ("autumn 2016", "2016-09/2016-11"),
        ("winter 2016", "2016-12/2017-02"),
        ("early October 2016", "2016-10-01/2016-10-10"),
        ("mid-October 2016", "2016-10-11/2016-10-20"),
        ("late February 2016", "2016-02-21/2016-02-29"),
        ("end of June 2016", "2016-06-21/2016-06-30"),
        ("early 2016", "2016-01/2016-04"),
        ("mid-2017", "2017-05/2017-08"),
        ("late 2016", "2016-09/2016-12"),
        ("the end of 2016", "2016-09/2016-12"),
        ("the week of March 21, 2016", "2016-03-21/2016-03-27"),
        (
            "the week of Thursday, March 24, 2016",
            "2016-03-21/2016-03-27",
        ),
        ("Q3 2016", "2016-07/2016-09"),
        ("the first half of 2016", "2016-01/2016-06"),
        ("second half of 2016", "2016-07/2016-12"),
        ("around summer 2016", "2016-06~/2016-08~"),
    ] {
        let (message, help) = error(text);
        assert!(
            message.ends_with(&format!("format 1 writes it {iso}")),
            "{text}: {message}"
        );
        assert!(
            help.starts_with(&format!("write \"{iso}\"")),
            "{text}: {help}"
        );
        assert!(TimeExpr::parse(iso, &TimeZone::UTC).is_ok(), "{iso}");
    }
    assert!(error("winter 2016")
        .1
        .contains("for January and February 2016 write 2016-01/2016-02"));
    for text in ["the week of 2016", "first 2016", "Q5 2016", "summer"] {
        assert!(!error(text).0.contains("format 1 writes it"), "{text}");
    }
}

/// A reading that does not exist says why, in the format 1 terms.
#[test]
fn a_reading_that_is_not_a_date_says_why() {
    assert_eq!(
        error("Sept 31, 2016"),
        (
            "`Sept 31, 2016` is a date in words; read as 2016-09-31: September has 30 days".into(),
            "days of this month run from 01 to 30".into()
        )
    );
    assert!(error("31/02/2016")
        .0
        .contains("read as 2016-02-31: February has 29 days in 2016"));
    assert!(error("1 January 0000")
        .0
        .contains("the year 0000 is out of range"));
}

/// Text that is none of these keeps its own error.
#[test]
fn no_hint_for_other_text() {
    for (text, message) in [
        ("2016-02-30", "February has 29 days in 2016"),
        ("2016/2017/2018", "a time has at most one `/`"),
        ("16-09-20", "the year `16` is not 4 digits"),
        (
            "Sept 20",
            "`Sept 20` is not a date written as YYYY, YYYY-MM or YYYY-MM-DD",
        ),
        (
            "next Tuesday",
            "`next Tuesday` is not a date written as YYYY, YYYY-MM or YYYY-MM-DD",
        ),
        ("2016-09-20T10:00 XYZ", "the minute `00 XY` is not 2 digits"),
    ] {
        assert_eq!(error(text).0, message, "{text}");
    }
}
