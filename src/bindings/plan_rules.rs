//! `planRulesJson(planJsonText)`: a plan's rules, normalized, for tools such as
//! `trackplan types`.

use alloc::format;
use wasm_bindgen::prelude::*;

use crate::json;
use crate::plan::rule_documents;
use crate::prelude::*;
use crate::report;

/// The JSON text of the rules of a Segment export (any supported shape), each as
/// `{ name, kind, version, description?, schema }`: `kind` is `track`, `identify`,
/// `group`, `page` or `common`, and `schema` the payload's JSON Schema (unwrapped from
/// Segment's `{ context, traits, properties }` form; `null` when the rule does not
/// constrain it). Throws when the document is not a plan, naming the problem.
#[wasm_bindgen(js_name = planRulesJson)]
pub fn plan_rules_json(plan: &str) -> Result<String, JsError> {
    let doc = json::parse(plan)
        .map_err(|e| JsError::new(&format!("tracking plan: not valid JSON: {e}")))?;
    let rules = rule_documents(&doc).map_err(|e| JsError::new(&e.to_string()))?;
    Ok(report::rule_documents(&rules))
}
