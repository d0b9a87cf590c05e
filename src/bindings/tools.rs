//! What the full core adds for the developer tools (the CLI in Node: `trackplan build`,
//! `lint`, `types`, `diff`, …): the plan compiler, and structured reports (lint findings,
//! a plan's rule documents, which production core a plan needs) handed over as
//! JavaScript objects by `serde-wasm-bindgen`. The cores' shared reports (verdicts,
//! history, plan summary) stay JSON text written by `crate::report`, the production
//! core's one way to hand them over.

use serde::Serialize;
use wasm_bindgen::prelude::*;

use super::regex::JsRegex;
use crate::conventions::{self, Finding};
use crate::plan::{rule_documents, Plan};
use crate::prelude::*;

/// A report as a JavaScript object: maps as plain objects, as JSON has them.
fn to_js<T: Serialize>(report: &T) -> Result<JsValue, JsError> {
    report
        .serialize(&serde_wasm_bindgen::Serializer::json_compatible())
        .map_err(|e| JsError::new(&e.to_string()))
}

/// `compilePlan(planJsonText, documented)`: the plan in the binary form every core reads
/// (see `plan::encoding`), with its developer documentation (descriptions, the schemas'
/// pointers) when `documented`: the development core's copy; the production cores' leave
/// it out.
/// Every rule is read back before the bytes are returned, so that a core given them
/// never meets one it cannot read. Throws an `Error` naming the rule and JSON pointer
/// when the plan cannot be used.
#[wasm_bindgen(js_name = compilePlan)]
pub fn compile_plan(plan: &str, documented: bool) -> Result<Vec<u8>, JsError> {
    let mut regex = JsRegex::default();
    let compiled = Plan::from_json(plan, &mut regex).map_err(|e| JsError::new(&e.to_string()))?;
    let (bytes, _) = compiled.to_binary(&regex, documented);
    let read = Plan::from_binary(bytes.clone(), &mut JsRegex::default())
        .map_err(|e| JsError::new(&e.message()))?;
    if !read.read_all_rules() {
        return Err(JsError::new(
            "the compiled plan does not read back (a trackplan bug): please report it",
        ));
    }
    Ok(bytes)
}

/// Which production core a compiled plan needs, and what of its keywords and formats
/// decided it.
#[derive(Serialize)]
struct Needs {
    /// The smallest production core that keeps everything the plan uses: `basic` (the
    /// plan uses no format), `lean` or `complete`.
    core: &'static str,
    /// The names of the keywords and formats the plan uses (formats as `format: "uri"`).
    uses: Vec<String>,
}

/// `planNeeds(bytes)`: `{ core: 'basic' | 'lean' | 'complete', uses: [...] }` for a plan
/// [`compile_plan`] wrote: the production core `trackplan build` ships with it. Throws
/// when the bytes are not such a plan.
#[wasm_bindgen(js_name = planNeeds)]
pub fn plan_needs(bytes: &[u8]) -> Result<JsValue, JsError> {
    let uses = Plan::uses_of(bytes).ok_or_else(|| JsError::new("not a compiled plan"))?;
    to_js(&Needs {
        core: uses.production_core(),
        uses: uses.names(),
    })
}

/// The lint of a plan as the CLI reports it.
#[derive(Serialize)]
struct Lint<'a> {
    /// The findings that stand, in plan order.
    findings: &'a [Finding],
    /// How many are errors.
    errors: usize,
    /// How many are warnings.
    warnings: usize,
    /// How many the plan silenced.
    silenced: usize,
}

/// `lintPlan(planJsonText)`: the plan's findings against the tracking guide, after its
/// silences: `{ findings: [{ rule, severity, event, property, message, fix }], errors,
/// warnings, silenced }`. Throws an `Error` naming the rule and JSON pointer when the
/// plan cannot be used at all.
#[wasm_bindgen(js_name = lintPlan)]
pub fn lint_plan(plan: &str) -> Result<JsValue, JsError> {
    let report = conventions::lint_document(plan, &mut JsRegex::default())
        .map_err(|e| JsError::new(&e.to_string()))?;
    to_js(&Lint {
        findings: &report.findings,
        errors: report.errors(),
        warnings: report.warnings(),
        silenced: report.silenced,
    })
}

/// `planRules(planJsonText)`: the rules of a Segment export (any supported shape), each as
/// `{ name, kind, version, description?, schema }`: `kind` is `track`, `identify`,
/// `group`, `page` or `common`, and `schema` the payload's JSON Schema (unwrapped from
/// Segment's `{ context, traits, properties }` form; `null` when the rule does not
/// constrain it). Throws when the document is not a plan, naming the problem.
#[wasm_bindgen(js_name = planRules)]
pub fn plan_rules(plan: &str) -> Result<JsValue, JsError> {
    let doc = crate::json::parse(plan)
        .map_err(|e| JsError::new(&alloc::format!("tracking plan: not valid JSON: {e}")))?;
    let rules = rule_documents(&doc).map_err(|e| JsError::new(&e.to_string()))?;
    to_js(&rules)
}
