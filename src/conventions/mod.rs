//! The tracking guide's conventions, built in: a lint of the plan (names, properties,
//! workflow ids, flattening) and the checks made on calls at run time (identify's userId,
//! the names of unplanned events let through).
//!
//! Every convention is data in [`rules::CONVENTIONS`], with an id; findings carry it, and
//! a plan silences a convention with a reason under `trackplan.lint.ignore` (see
//! [`silence`]).

pub mod identity;
pub mod names;
pub mod rules;
pub mod silence;

mod events;
mod properties;

use crate::prelude::*;
use core::fmt;

use crate::json::{self, Value};
use crate::plan::{Plan, PlanError};
use crate::regex::RegexEngine;
use crate::violation::Violation;
use rules::{convention, Severity};

/// One place where a plan or a call departs from the guide.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "full", derive(serde::Serialize))]
pub struct Finding {
    /// The convention's id (`event-name-object-action`, …).
    pub rule: &'static str,
    /// Error or warning.
    pub severity: Severity,
    /// The event (or `identify`, `group`, `page`, `common`); empty for the plan as a whole.
    pub event: String,
    /// JSON pointer of the property in the payload; empty for the event itself.
    pub property: String,
    /// What is wrong.
    pub message: String,
    /// What to do about it.
    pub fix: String,
}

impl Finding {
    /// A finding of convention `rule`, with that convention's severity.
    pub fn new(
        rule: &'static str,
        event: &str,
        property: &str,
        message: String,
        fix: String,
    ) -> Finding {
        Finding {
            rule,
            severity: convention(rule).map_or(Severity::Error, |c| c.severity),
            event: event.to_string(),
            property: property.to_string(),
            message,
            fix,
        }
    }
}

impl Finding {
    /// The finding as a call's hint or violation: the convention id is the kind, the
    /// property the path, and the message says what to do.
    pub fn into_violation(self) -> Violation {
        let mut message = self.message;
        message.push_str(": ");
        message.push_str(&self.fix);
        Violation {
            kind: self.rule,
            path: self.property,
            schema_path: String::new(),
            message,
        }
    }
}

impl fmt::Display for Finding {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} [{}]", self.severity, self.rule)?;
        if !self.event.is_empty() {
            write!(f, " {}", json::quote(&self.event))?;
        }
        if !self.property.is_empty() {
            write!(f, " at {}", self.property)?;
        }
        write!(f, ": {}; fix: {}", self.message, self.fix)
    }
}

/// What the lint of a plan document found, after the plan's silences.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Report {
    /// Findings that stand, in plan order.
    pub findings: Vec<Finding>,
    /// How many findings the plan silenced.
    pub silenced: usize,
}

impl Report {
    /// How many findings are errors.
    pub fn errors(&self) -> usize {
        self.findings
            .iter()
            .filter(|f| f.severity == Severity::Error)
            .count()
    }

    /// How many findings are warnings.
    pub fn warnings(&self) -> usize {
        self.findings.len() - self.errors()
    }
}

/// Every finding of the guide's conventions in a compiled plan, none silenced.
pub fn lint(plan: &Plan) -> Vec<Finding> {
    let mut findings = Vec::new();
    for rule in plan.rules() {
        events::check_rule(rule, &mut findings);
        properties::check_rule(rule, &mut findings);
    }
    events::check_flattening(plan, &mut findings);
    findings
}

/// Compiles the plan in `text` and lints it, applying the silences it declares. Fails
/// only when the plan cannot be used at all.
pub fn lint_document(text: &str, regex: &mut dyn RegexEngine) -> Result<Report, PlanError> {
    let doc = json::parse(text).map_err(|e| PlanError {
        rule: String::new(),
        pointer: String::new(),
        message: e.in_text(text),
    })?;
    let plan = Plan::from_value(&doc, regex)?;
    Ok(lint_with_silences(&plan, &doc))
}

/// Lints `plan`, whose document is `doc`, applying the document's silences.
pub fn lint_with_silences(plan: &Plan, doc: &Value) -> Report {
    let (silences, mut findings) = silence::read(doc);
    let mut silenced = 0;
    for finding in lint(plan) {
        if silences.iter().any(|s| s.covers(&finding)) {
            silenced += 1;
        } else {
            findings.push(finding);
        }
    }
    Report { findings, silenced }
}

/// The naming findings for an event name (case, spacing, object-action, tense), as the
/// tracker reports them for unplanned events it lets through.
pub fn check_event_name(name: &str) -> Vec<Finding> {
    let mut findings = Vec::new();
    events::check_name(name, &mut findings);
    findings
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests;
