//! Tests of time expressions.
use super::{
    format_at_precision, rfc3339, Precision, TimeExpr, TimeZone, Timestamp, MAX_SECOND, MIN_SECOND,
    RANGE_HELP,
};

fn ny() -> TimeZone {
    TimeZone::get("America/New_York").unwrap()
}

/// The printer writes what the strftime pattern wrote, over the whole
/// range of years and at the ends of a day.
#[test]
fn rfc3339_is_the_strftime_pattern() {
    let (lo, hi) = (MIN_SECOND, MAX_SECOND);
    let mut t = lo;
    let step = (hi - lo) / 5003;
    while t <= hi {
        for d in [0, 1, 59, 86_399] {
            let v = (t + d).min(hi);
            let ts = Timestamp::from_second(v).unwrap();
            assert_eq!(rfc3339(v), ts.strftime("%Y-%m-%dT%H:%M:%SZ").to_string());
        }
        t += step;
    }
}

#[test]
fn day_in_new_york() {
    let t = TimeExpr::parse("2016-09-20", &ny()).unwrap();
    assert_eq!(rfc3339(t.interval().lo.unwrap()), "2016-09-20T04:00:00Z");
    assert_eq!(rfc3339(t.interval().hi.unwrap()), "2016-09-21T03:59:59Z");
    assert_eq!(t.start.unwrap().precision, Precision::Day);
}

#[test]
fn every_form() {
    let utc = TimeZone::UTC;
    let cases = [
        ("2016", "2016-01-01T00:00:00Z", "2016-12-31T23:59:59Z"),
        ("2016-02", "2016-02-01T00:00:00Z", "2016-02-29T23:59:59Z"),
        (
            "2016-10-12T14:05",
            "2016-10-12T14:05:00Z",
            "2016-10-12T14:05:59Z",
        ),
        (
            "2016-10-12T14:05:30",
            "2016-10-12T14:05:30Z",
            "2016-10-12T14:05:30Z",
        ),
        (
            "2016-10-12T14:05-04:00",
            "2016-10-12T18:05:00Z",
            "2016-10-12T18:05:59Z",
        ),
        (
            "2016-10-12T18:05Z",
            "2016-10-12T18:05:00Z",
            "2016-10-12T18:05:59Z",
        ),
        (
            "2016-09/2016-10-02",
            "2016-09-01T00:00:00Z",
            "2016-10-02T23:59:59Z",
        ),
        ("2016-04~", "2016-04-01T00:00:00Z", "2016-04-30T23:59:59Z"),
    ];
    for (text, lo, hi) in cases {
        let i = TimeExpr::parse(text, &utc).unwrap().interval();
        assert_eq!(
            (rfc3339(i.lo.unwrap()), rfc3339(i.hi.unwrap())),
            (lo.to_string(), hi.to_string()),
            "{text}"
        );
    }
    let open = TimeExpr::parse("../2017-11-13", &utc).unwrap();
    assert_eq!(open.interval().lo, None);
    assert!(TimeExpr::parse("2016-04?", &utc).unwrap().uncertain());
}

#[test]
fn errors_say_why() {
    let utc = TimeZone::UTC;
    assert_eq!(
        TimeExpr::parse("2016-02-30", &utc).unwrap_err().message,
        "February has 29 days in 2016"
    );
    assert_eq!(
        TimeExpr::parse("2017-02-29", &utc).unwrap_err().message,
        "February has 28 days in 2017"
    );
    assert_eq!(
        TimeExpr::parse("2016-13", &utc).unwrap_err().message,
        "there is no month 13"
    );
    assert_eq!(
        TimeExpr::parse("2016-10/2016-09", &utc)
            .unwrap_err()
            .message,
        "the interval ends (`2016-09`) before it starts (`2016-10`)"
    );
    for bad in [
        "",
        "2016-1",
        "16-09-20",
        "2016-09-20T25:00",
        "2016-09-20T14",
        "a/b/c",
        "..",
        "../..",
        "2016-09-20 ",
    ] {
        assert!(TimeExpr::parse(bad, &utc).is_err(), "{bad:?}");
    }
}

#[test]
fn the_range_is_years_0001_to_9998_in_utc() {
    let ts = |t: &str| t.parse::<Timestamp>().unwrap().as_second();
    assert_eq!(MIN_SECOND, ts("0001-01-01T00:00:00Z"));
    assert_eq!(MAX_SECOND, ts("9998-12-31T23:59:59Z"));
    let utc = TimeZone::UTC;
    // Every form at both ends of the range.
    for (text, lo, hi) in [
        ("0001", Some(MIN_SECOND), None),
        ("0001-01", Some(MIN_SECOND), None),
        ("0001-01-01", Some(MIN_SECOND), None),
        ("0001-01-01T00:00", Some(MIN_SECOND), None),
        ("0001-01-01T00:00:00Z", Some(MIN_SECOND), None),
        ("9998", None, Some(MAX_SECOND)),
        ("9998-12", None, Some(MAX_SECOND)),
        ("9998-12-31", None, Some(MAX_SECOND)),
        ("9998-12-31T23:59", None, Some(MAX_SECOND)),
        ("9998-12-31T23:59:59", None, Some(MAX_SECOND)),
        ("../9998-12-31", None, Some(MAX_SECOND)),
        ("0001/..", Some(MIN_SECOND), None),
    ] {
        let i = TimeExpr::parse(text, &utc).unwrap().interval();
        if lo.is_some() {
            assert_eq!(i.lo, lo, "{text}");
        }
        if hi.is_some() {
            assert_eq!(i.hi, hi, "{text}");
        }
    }
    // One rule for every form: year 0000 and 9999 are out, whatever the
    // precision (0000-01-01 used to be accepted).
    for text in [
        "0000",
        "0000-01",
        "0000-01-01",
        "0000-01-01T00:00",
        "0000-01-01T00:00:00Z",
        "9999",
        "9999-01",
        "9999-12-31",
        "9999-12-31T23:59",
        "2016/9999",
        "../0000-06",
    ] {
        let e = TimeExpr::parse(text, &utc).unwrap_err();
        assert!(
            e.message.contains("is out of range"),
            "{text}: {}",
            e.message
        );
        assert_eq!(e.help, RANGE_HELP, "{text}");
    }
    // An offset or a zone that moves a time out of the range.
    let e = TimeExpr::parse("0001-01-01T00:30+01:00", &utc).unwrap_err();
    assert_eq!(
        e.message,
        "the time starts at 0000-12-31T23:30:00Z, before 0001-01-01T00:00:00Z"
    );
    assert!(e
        .help
        .contains("0001-01-01T00:00:00Z to 9998-12-31T23:59:59Z"));
    let e = TimeExpr::parse("9998-12-31T23:00-01:00", &utc).unwrap_err();
    assert_eq!(
        e.message,
        "the time ends at 9999-01-01T00:00:59Z, after 9998-12-31T23:59:59Z"
    );
    let tokyo = TimeZone::get("Asia/Tokyo").unwrap();
    assert!(TimeExpr::parse("0001", &tokyo).is_err());
    assert!(TimeExpr::parse("9998", &tokyo).is_ok());
    assert!(TimeExpr::parse("9998", &ny()).is_err());
    assert!(TimeExpr::parse("0001", &ny()).is_ok());
}

#[test]
fn a_day_the_zone_skipped_is_an_error_never_an_inverted_interval() {
    let apia = TimeZone::get("Pacific/Apia").unwrap();
    let e = TimeExpr::parse("2011-12-30", &apia).unwrap_err();
    assert!(e.message.contains("2011-12-30"), "{e:?}");
    assert!(e.message.contains("Pacific/Apia"), "{e:?}");
    assert!(e.message.contains("UTC-10:00 to UTC+14:00"), "{e:?}");
    // The proposal in the help parses.
    assert!(TimeExpr::parse("2011-12-30T12:00-10:00", &apia).is_ok());
    for ok in [
        "2011-12-29",
        "2011-12-31",
        "2011-12",
        "2011",
        "2011-12-29/2011-12-31",
    ] {
        let i = TimeExpr::parse(ok, &apia).unwrap().interval();
        assert!(i.lo.unwrap() <= i.hi.unwrap(), "{ok}: {i:?}");
    }
    // The days around it are one second apart.
    let before = TimeExpr::parse("2011-12-29", &apia).unwrap().interval();
    let after = TimeExpr::parse("2011-12-31", &apia).unwrap().interval();
    assert_eq!(before.hi.unwrap() + 1, after.lo.unwrap());
}

#[test]
fn a_local_time_in_a_gap_is_an_error_with_both_offsets() {
    let e = TimeExpr::parse("2016-03-13T02:30", &ny()).unwrap_err();
    assert!(
        e.message
            .contains("2016-03-13T02:30 did not exist in `America/New_York`"),
        "{e:?}"
    );
    assert!(e.help.contains("2016-03-13T02:30-05:00"), "{e:?}");
    assert!(TimeExpr::parse("2016-03-13T02:30-05:00", &ny()).is_ok());
    // The day itself, the hour after and a time in the autumn's fold
    // (the earlier of the two, as documented) are read.
    assert!(TimeExpr::parse("2016-03-13", &ny()).is_ok());
    assert!(TimeExpr::parse("2016-03-13T03:30", &ny()).is_ok());
    let fold = TimeExpr::parse("2016-11-06T01:30", &ny()).unwrap();
    assert_eq!(rfc3339(fold.interval().lo.unwrap()), "2016-11-06T05:30:00Z");
}

#[test]
fn zones_that_depend_on_the_machine_are_refused() {
    for bad in [
        "localtime",
        "LocalTime",
        "posixrules",
        "posix/Europe/London",
        "right/UTC",
        "",
        ":America/New_York",
        "EST5EDT,M3.2.0,M11.1.0",
    ] {
        let e = super::parse_timezone(bad).unwrap_err();
        assert!(!e.help.is_empty(), "{bad}");
    }
    let e = super::parse_timezone("right/Europe/London").unwrap_err();
    assert!(e.help.contains("\"Europe/London\""), "{e:?}");
    for good in [
        "UTC",
        "America/New_York",
        "EST5EDT",
        "Etc/GMT+5",
        "Pacific/Apia",
    ] {
        assert!(super::parse_timezone(good).is_ok(), "{good}");
    }
}

#[test]
fn precision_display() {
    let t = TimeExpr::parse("2016-09-20", &ny()).unwrap();
    assert_eq!(
        format_at_precision(t.interval().lo.unwrap(), Precision::Day, &ny()),
        "2016-09-20"
    );
}
