//! `compilePlan(planJsonText, descriptions)`: a Segment export compiled into the binary
//! form every core reads, for `trackplan build`.

use wasm_bindgen::prelude::*;

use super::regex::JsRegex;
use crate::plan::Plan;
use crate::prelude::*;

/// The plan in the binary form (see `plan::encoding`), with the rules' and properties'
/// descriptions when `descriptions` (the development core's copy; the production core's
/// leaves them out). Every rule is read back before the bytes are returned, so that a
/// core given them never meets one it cannot read. Throws an `Error` naming the rule and
/// JSON pointer when the plan cannot be used.
#[wasm_bindgen(js_name = compilePlan)]
pub fn compile_plan(plan: &str, descriptions: bool) -> Result<Vec<u8>, JsError> {
    let mut regex = JsRegex::default();
    let compiled = Plan::from_json(plan, &mut regex).map_err(|e| JsError::new(&e.to_string()))?;
    let (bytes, _) = compiled.to_binary(&regex, descriptions);
    let read = Plan::from_binary(bytes.clone(), &mut JsRegex::default())
        .map_err(|e| JsError::new(&e.message()))?;
    if !read.read_all_rules() {
        return Err(JsError::new(
            "the compiled plan does not read back (a trackplan bug): please report it",
        ));
    }
    Ok(bytes)
}

/// `planNeeds(bytes)`: the JSON text `{ "core": "lean" | "complete", "uses": [...] }` for
/// a plan [`compile_plan`] wrote: which production core `trackplan build` ships with it
/// (the lean one when it keeps every keyword and format the plan uses), and their names.
/// Throws when the bytes are not such a plan.
#[wasm_bindgen(js_name = planNeeds)]
pub fn plan_needs(bytes: &[u8]) -> Result<String, JsError> {
    let uses = Plan::uses_of(bytes).ok_or_else(|| JsError::new("not a compiled plan"))?;
    let core = if uses.all_in_lean_core() {
        "lean"
    } else {
        "complete"
    };
    let names: Vec<String> = uses.names().iter().map(|n| crate::json::quote(n)).collect();
    Ok(crate::text::text!(
        "{\"core\":\"",
        core,
        "\",\"uses\":[",
        crate::text::join(&names, ","),
        "]}"
    ))
}
