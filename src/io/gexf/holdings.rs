//! A node's `holdings` and `messages` attributes, read back into the
//! story's holdings and the messages the entity is the origin of.

use super::*;

impl Reading {
    /// The holdings of node `entity` as its `holdings` attribute lists them
    /// (`None` when it is no JSON list of objects with an id and a message).
    pub(super) fn holdings(
        &mut self,
        entity: &str,
        text: &str,
        span: &Range<usize>,
    ) -> Option<Vec<Holding>> {
        let list: Vec<serde_json::Map<String, serde_json::Value>> =
            serde_json::from_str(text).ok()?;
        let mut out = Vec::new();
        for o in list {
            let s = |k: &str| o.get(k).and_then(|v| v.as_str()).map(str::to_string);
            let (id, message) = (s("id")?, s("message")?);
            let mut extra = Vec::new();
            for (k, v) in &o {
                if !HOLDING_READ.contains(&k.as_str()) {
                    let v = v.as_str().map_or_else(|| v.to_string(), str::to_string);
                    extra.push(self.keep(k, &v, span));
                }
            }
            if !self.messages.contains(&message) {
                self.messages.push(message.clone());
            }
            self.origins
                .entry(id.clone())
                .or_insert_with(|| span.clone());
            out.push(Holding {
                time: self.holding_time(s("time"), span),
                certainty: self.holding_certainty(s("certainty"), span),
                id,
                entity: entity.to_string(),
                message,
                summary: s("summary"),
                quote: s("quote"),
                sources: Vec::new(),
                empty: Default::default(),
                extra,
            });
        }
        Some(out)
    }

    /// The messages node `entity` is the origin of, as its `messages`
    /// attribute lists them (`None` when it is no JSON list of objects
    /// with an id).
    pub(super) fn originated(
        &mut self,
        entity: &str,
        text: &str,
        span: &Range<usize>,
    ) -> Option<Vec<Message>> {
        let list: Vec<serde_json::Map<String, serde_json::Value>> =
            serde_json::from_str(text).ok()?;
        let mut out = Vec::new();
        for o in list {
            let s = |k: &str| o.get(k).and_then(|v| v.as_str()).map(str::to_string);
            out.push(Message {
                id: s("id")?,
                title: s("title"),
                text: s("text"),
                origin: Some(entity.to_string()),
                time: self.holding_time(s("time"), span),
                ..Message::default()
            });
        }
        Some(out)
    }

    /// A holding's time (an error when it is no time expression).
    fn holding_time(&mut self, t: Option<String>, span: &Range<usize>) -> Option<TimeExpr> {
        let t = t?;
        match TimeExpr::parse(&t, &self.tz) {
            Ok(t) => Some(t),
            Err(err) => {
                self.report.diagnostics.push(
                    Diagnostic::error(
                        format!(
                            "the time {} of a holding is not a time expression: {}",
                            quote(&t),
                            err.message
                        ),
                        Some(span.clone()),
                        "this node",
                    )
                    .with_help(err.help),
                );
                None
            }
        }
    }

    /// A holding's certainty (an error when it is no certainty).
    fn holding_certainty(&mut self, c: Option<String>, span: &Range<usize>) -> Option<Certainty> {
        match c?.parse::<Certainty>() {
            Ok(c) => Some(c),
            Err(m) => {
                self.report.diagnostics.push(
                    Diagnostic::error(m, Some(span.clone()), "this node")
                        .with_help("write confirmed, reported, alleged or unknown"),
                );
                None
            }
        }
    }
}
