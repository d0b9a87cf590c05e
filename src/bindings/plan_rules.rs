//! `planRules(plan)`: a plan's rules, normalized, for tools such as `trackplan types`.

use js_sys::{Array, Object};
use wasm_bindgen::prelude::*;

use super::convert::{set, stringify, to_js};
use crate::json;
use crate::plan::rule_documents;

/// The rules of a Segment export (JSON text or object, any supported shape), each as
/// `{ name, kind, version, description?, schema }`: `kind` is `track`, `identify`,
/// `group`, `page` or `common`, and `schema` the payload's JSON Schema as a plain object
/// (unwrapped from Segment's `{ context, traits, properties }` form; `null` when the rule
/// does not constrain it). Throws when the document is not a plan, naming the problem.
#[wasm_bindgen(js_name = planRules)]
pub fn plan_rules(plan: JsValue) -> Result<Array, JsError> {
    let text = match plan.as_string() {
        Some(text) => text,
        None => stringify(&plan)
            .map_err(|e| JsError::new(&format!("the plan cannot be read as JSON: {e}")))?,
    };
    let doc = json::parse(&text)
        .map_err(|e| JsError::new(&format!("tracking plan: not valid JSON: {e}")))?;
    let rules = rule_documents(&doc).map_err(|e| JsError::new(&e.to_string()))?;
    Ok(rules
        .iter()
        .map(|rule| {
            let object = Object::new();
            set(&object, "name", rule.name.as_str());
            set(&object, "kind", rule.kind.name());
            set(&object, "version", rule.version);
            if let Some(d) = &rule.description {
                set(&object, "description", d.as_str());
            }
            set(
                &object,
                "schema",
                rule.payload.as_ref().map_or(JsValue::NULL, to_js),
            );
            object
        })
        .collect())
}
