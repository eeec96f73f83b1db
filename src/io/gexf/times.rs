//! An edge's certainty and time: its attributes, else its spell.

use super::*;

pub(super) fn certainty(report: &mut Report, e: &EdgeRead) -> Option<Certainty> {
    let c = e.atts.get("certainty")?;
    match c.parse::<Certainty>() {
        Ok(c) => Some(c),
        Err(m) => {
            report.diagnostics.push(
                Diagnostic::error(m, Some(e.span.clone()), "this edge")
                    .with_help("write confirmed, reported, alleged or unknown"),
            );
            None
        }
    }
}

/// An edge's time: its `time` attribute, else its spell at its precision.
pub(super) fn edge_time(report: &mut Report, e: &EdgeRead, tz: &TimeZone) -> Option<TimeExpr> {
    if let Some(t) = e.atts.get("time") {
        return match TimeExpr::parse(t, tz) {
            Ok(t) => Some(t),
            Err(err) => {
                report.diagnostics.push(
                    Diagnostic::error(
                        format!(
                            "the time {} is not a time expression: {}",
                            quote(t),
                            err.message
                        ),
                        Some(e.span.clone()),
                        "this edge",
                    )
                    .with_help(err.help),
                );
                None
            }
        };
    }
    let precision = e
        .atts
        .get("precision")
        .and_then(|p| precision_of_word(p))
        .unwrap_or(Precision::Second);
    let mut bound = |v: &Option<String>| -> Result<Option<String>, ()> {
        let Some(v) = v else { return Ok(None) };
        let secs = match v.parse::<Timestamp>() {
            Ok(ts) => ts.as_second(),
            Err(_) => match TimeExpr::parse(v, tz).map(|t| t.interval().lo) {
                Ok(Some(lo)) => lo,
                why => {
                    let why = match why {
                        Err(err) => format!(": {}", err.message),
                        Ok(_) => " (an open interval)".to_string(),
                    };
                    report.diagnostics.push(
                        Diagnostic::error(
                            format!("the spell bound {} is not a date{why}", quote(v)),
                            Some(e.span.clone()),
                            "this edge",
                        )
                        .with_help("write dates as 2016-09-20 or 2016-09-20T04:00:00Z"),
                    );
                    return Err(());
                }
            },
        };
        let point = TimePoint {
            lo: secs,
            hi: secs,
            precision,
            approximate: false,
            uncertain: false,
        };
        let p = prefix(&point, tz);
        Ok(Some(if p.contains('T') { format!("{p}Z") } else { p }))
    };
    let (a, b) = (bound(&e.start).ok()?, bound(&e.end).ok()?);
    let text = match (a, b) {
        (None, None) => return None,
        (Some(a), Some(b)) if a == b => a,
        (a, b) => format!(
            "{}/{}",
            a.unwrap_or_else(|| "..".into()),
            b.unwrap_or_else(|| "..".into())
        ),
    };
    match TimeExpr::parse(&text, tz) {
        Ok(t) => Some(t),
        Err(err) => {
            report.diagnostics.push(
                Diagnostic::error(
                    format!(
                        "the spell {} does not make a time: {}",
                        quote(&text),
                        err.message
                    ),
                    Some(e.span.clone()),
                    "this edge",
                )
                .with_help(err.help),
            );
            None
        }
    }
}
