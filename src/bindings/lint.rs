//! `lintPlan`: the conventions lint for the CLI (and anyone with a plan in hand).

use js_sys::{Array, Object};
use wasm_bindgen::prelude::*;

use super::convert::set;
use super::regex::JsRegex;
use crate::conventions::{self, Finding};

/// `lintPlan(planJsonText)`: the plan's findings against the tracking guide, after its
/// silences: `{ findings: [{ rule, severity, event, property, message, fix }], errors,
/// warnings, silenced }`. Throws an `Error` naming the rule and JSON pointer when the
/// plan cannot be used at all.
#[wasm_bindgen(js_name = lintPlan)]
pub fn lint_plan(plan: &str) -> Result<Object, JsError> {
    let report = conventions::lint_document(plan, &mut JsRegex::default())
        .map_err(|e| JsError::new(&e.to_string()))?;
    let result = Object::new();
    set(
        &result,
        "findings",
        report.findings.iter().map(finding).collect::<Array>(),
    );
    set(&result, "errors", report.errors() as u32);
    set(&result, "warnings", report.warnings() as u32);
    set(&result, "silenced", report.silenced as u32);
    Ok(result)
}

fn finding(f: &Finding) -> Object {
    let object = Object::new();
    set(&object, "rule", f.rule);
    set(&object, "severity", f.severity.name());
    set(&object, "event", f.event.as_str());
    set(&object, "property", f.property.as_str());
    set(&object, "message", f.message.as_str());
    set(&object, "fix", f.fix.as_str());
    object
}
