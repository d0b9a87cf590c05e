//! `lintPlanJson`: the conventions lint for the CLI (and anyone with a plan in hand).

use wasm_bindgen::prelude::*;

use super::regex::JsRegex;
use crate::conventions;
use crate::prelude::*;
use crate::report;

/// `lintPlanJson(planJsonText)`: the JSON text of the plan's findings against the
/// tracking guide, after its silences (see [`report::lint`]). Throws an `Error` naming
/// the rule and JSON pointer when the plan cannot be used at all.
#[wasm_bindgen(js_name = lintPlanJson)]
pub fn lint_plan_json(plan: &str) -> Result<String, JsError> {
    conventions::lint_document(plan, &mut JsRegex::default())
        .map(|findings| report::lint(&findings))
        .map_err(|e| JsError::new(&e.to_string()))
}
