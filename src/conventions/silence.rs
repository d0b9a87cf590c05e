//! How a plan silences a convention: a `trackplan.lint.ignore` list beside the plan's
//! rules, each entry naming the rule, optionally the event and property, and the reason.
//!
//! ```json
//! { "trackplan": { "lint": { "ignore": [
//!     { "rule": "workflow-id", "event": "call quality rated",
//!       "reason": "rated after the call, joined on episode_id" } ] } } }
//! ```
//!
//! An entry without a reason, or naming an unknown rule, silences nothing and is itself
//! a `lint-ignore` finding.

use super::rules::{convention, LINT_IGNORE};
use super::Finding;
use crate::json::Value;
use crate::prelude::*;
use alloc::format;

/// Where silences live in a plan document.
const AT: &str = "/trackplan/lint/ignore";

/// One convention a plan silences, where, and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Silence {
    /// The convention's id.
    pub rule: String,
    /// Only for this event (all events when absent).
    pub event: Option<String>,
    /// Only for this property, a JSON pointer (all properties when absent).
    pub property: Option<String>,
    /// Why the plan departs from the guide here.
    pub reason: String,
}

impl Silence {
    /// Whether this silence covers `finding`.
    pub fn covers(&self, finding: &Finding) -> bool {
        self.rule == finding.rule
            && self.event.as_ref().is_none_or(|e| *e == finding.event)
            && self
                .property
                .as_ref()
                .is_none_or(|p| *p == finding.property)
    }
}

/// The silences declared in a plan document, and findings for those that are unusable.
pub fn read(doc: &Value) -> (Vec<Silence>, Vec<Finding>) {
    let mut silences = Vec::new();
    let mut findings = Vec::new();
    let entries = doc
        .get("trackplan")
        .and_then(|t| t.get("lint"))
        .and_then(|l| l.get("ignore"));
    let entries = match entries {
        None => return (silences, findings),
        Some(Value::Array(entries)) => entries,
        Some(_) => {
            findings.push(invalid(
                "",
                format!("`{AT}` is not a list"),
                "make it a list of { rule, event?, property?, reason }",
            ));
            return (silences, findings);
        }
    };
    for (i, entry) in entries.iter().enumerate() {
        match silence(entry) {
            Ok(s) => silences.push(s),
            Err((message, fix)) => {
                let event = entry.get("event").and_then(Value::as_str).unwrap_or("");
                findings.push(invalid(event, format!("{AT}/{i} {message}"), fix));
            }
        }
    }
    (silences, findings)
}

/// One entry of the list as a silence, or what is wrong with it and the fix.
fn silence(entry: &Value) -> Result<Silence, (String, &'static str)> {
    let text = |key: &str| {
        entry
            .get(key)
            .and_then(Value::as_str)
            .map(str::trim)
            .filter(|s| !s.is_empty())
    };
    let rule = text("rule").ok_or((
        "names no rule".to_string(),
        "add `rule`: the id of the convention to silence",
    ))?;
    if convention(rule).is_none() {
        return Err((
            format!("names `{rule}`, which is not a convention"),
            "use an id from the README's conventions table",
        ));
    }
    let reason = text("reason").ok_or((
        format!("silences `{rule}` without a reason"),
        "add `reason`: why this plan departs from the guide here",
    ))?;
    Ok(Silence {
        rule: rule.to_string(),
        event: text("event").map(str::to_string),
        property: text("property").map(str::to_string),
        reason: reason.to_string(),
    })
}

fn invalid(event: &str, message: String, fix: &str) -> Finding {
    Finding::new(LINT_IGNORE, event, "", message, fix.to_string())
}
