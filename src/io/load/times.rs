//! Time fields (`time`, `published`) and the story's time zone.

use super::fields::Obj;
use super::Decoder;
use super::Value;
use crate::diagnostic::quote;
use crate::model::{suggest_distance, TimeExpr};

impl Decoder {
    pub(super) fn time(&mut self, o: &mut Obj, name: &str) -> Option<TimeExpr> {
        let node = self.field(o, name)?;
        let Value::String(text) = &node.value else {
            let example = match &node.value {
                Value::Number(n) => format!("\"{n}\""),
                _ => "\"2016-09-20\"".to_string(),
            };
            self.error(
                format!(
                    "{} field \"{name}\" must be a time written as a string, found {}",
                    o.what,
                    node.value.type_name()
                ),
                node.span.clone(),
                "expected a string",
                format!("write the time in double quotes, e.g. \"{name}\": {example}; leave the field out when the date is unknown"),
            );
            return None;
        };
        let text = text.clone();
        match TimeExpr::parse(&text, &self.tz) {
            Ok(t) => Some(t),
            Err(e) => {
                // "`2016-X` is not a date" reads better as "\"2016-X\" is not a date"
                // than after the quoted text once more.
                let message = match e.message.strip_prefix(&format!("`{text}` ")) {
                    Some(rest) => format!("{} {rest}", quote(&text)),
                    None => format!("{}: {}", quote(&text), e.message),
                };
                self.error(
                    format!("{} field \"{name}\": {message}", o.what),
                    node.span.clone(),
                    "not a valid time",
                    e.help,
                );
                None
            }
        }
    }
}

/// The known time zone closest to `name` (case-insensitively), if it is close.
pub(super) fn suggest_timezone(name: &str) -> Option<String> {
    let lower = name.to_lowercase().replace(' ', "_");
    jiff::tz::db()
        .available()
        .map(|n| n.as_str().to_string())
        .map(|n| (suggest_distance(&lower, &n.to_lowercase()), n))
        .filter(|(d, n)| *d <= 1 + n.len() / 16)
        .min()
        .map(|(_, n)| n)
}
