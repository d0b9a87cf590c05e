//! The `Tracker` class JavaScript sees.

use js_sys::Object;
use wasm_bindgen::prelude::*;

use super::convert::get;
use super::regex::JsRegex;
#[cfg(feature = "full")]
use super::text;
use crate::plan::Plan;
use crate::policy::{Environment, Policy, PolicyValue};
use crate::report;
use crate::tracker::{CallKind, Decision, Tracker, Verdict};

/// Result code bit: the call follows the plan.
///
/// Every call method returns a code rather than a verdict object: building an object
/// field by field from wasm costs a crossing and a string per field, which dominated
/// the cost of a call. The shim builds the verdict of a clean call itself
/// (`verdictOf` in `js/core.js`) and asks `lastVerdict()` only when there are details.
pub const VERDICT_OK: u32 = 1;
/// Result code bit: the call was blocked.
pub const VERDICT_BLOCKED: u32 = 2;
/// Result code bit: the verdict has violations, omitted properties or hints; read them
/// with `lastVerdict()`. The plan version of the rule applied is in the bits from 8 on.
pub const VERDICT_DETAILS: u32 = 4;
/// Result code bit: what is sent differs from what the page passed (properties omitted,
/// or context properties added: see `lastAdded()`).
pub const VERDICT_CHANGED: u32 = 8;

/// `check` flag: `name` is given (else the call has no event name, page name or userId
/// that is a string).
pub const FLAG_HAS_NAME: u32 = 1;
/// `check` flag: `payload` is not JSON but why the payload could not be stringified.
pub const FLAG_PAYLOAD_ERROR: u32 = 2;
/// `check` flag: a dry run, neither recorded nor counted.
pub const FLAG_DRY_RUN: u32 = 4;

/// The plan embedded at build time, compiled, in its binary form (see `build.rs`).
const EMBEDDED_PLAN: &[u8] = include_bytes!(env!("TRACKPLAN_EMBEDDED_PLAN"));

/// Default number of calls `events()` keeps.
const DEFAULT_HISTORY_SIZE: usize = 200;

/// A tracker: validates each call against the plan, applies the policy and records it.
/// What the verdict lets through is sent by the shim (`js/core.js`), which holds the
/// call's own arguments.
#[wasm_bindgen(js_name = Tracker)]
pub struct WasmTracker {
    core: Tracker,
    last: Option<Verdict>,
}

#[wasm_bindgen(js_class = Tracker)]
impl WasmTracker {
    /// `new Tracker({ environment, plan?, policy?, historySize? })`.
    ///
    /// `plan` is a Segment export as JSON text or object (default: the embedded plan;
    /// only the full build reads other plans);
    /// `policy` overrides the environment's default policy field by field. Throws an
    /// `Error` that names the rule and JSON pointer when the plan cannot be used, or the
    /// field when the policy is wrong.
    #[wasm_bindgen(constructor)]
    pub fn new(options: JsValue) -> Result<WasmTracker, JsError> {
        let env_name = get(&options, "environment")
            .as_string()
            .unwrap_or_else(|| "development".to_string());
        let environment = Environment::from_name(&env_name).ok_or_else(|| {
            JsError::new(&format!(
                "environment {} is not one of production, staging, development, test",
                crate::json::quote(&env_name)
            ))
        })?;
        let mut policy = Policy::default_for(environment);
        let overrides = get(&options, "policy");
        if overrides.is_object() {
            for key in Object::keys(overrides.unchecked_ref::<Object>()).iter() {
                let field = key.as_string().unwrap_or_default();
                let value = get(&overrides, &field);
                let word = value.as_string();
                let value = match (&word, value.as_bool()) {
                    (Some(w), _) => PolicyValue::Word(w),
                    (None, Some(b)) => PolicyValue::Flag(b),
                    (None, None) => PolicyValue::Word("(not a string or boolean)"),
                };
                policy.set(&field, value).map_err(|e| JsError::new(&e))?;
            }
        }
        if let Some(warning) = policy.enforce(environment) {
            web_sys::console::warn_1(&JsValue::from_str(&format!("trackplan: {warning}")));
        }
        let mut regex = JsRegex::default();
        let plan = load_plan(get(&options, "plan"), &mut regex)?;
        let history_size = get(&options, "historySize")
            .as_f64()
            .filter(|n| *n >= 0.0)
            .map_or(DEFAULT_HISTORY_SIZE, |n| n.min(100_000.0) as usize);
        Ok(WasmTracker {
            core: Tracker::new(plan, Box::new(regex), policy, history_size),
            last: None,
        })
    }

    /// Whether the policy wants a violation thrown as a `TrackingPlanError` (the shim
    /// throws it, after the call has been recorded).
    #[wasm_bindgen(getter, js_name = throwsOnViolation)]
    pub fn throws_on_violation(&self) -> bool {
        self.core.policy().throw_on_violation
    }

    /// Checks one call and records it (unless [`FLAG_DRY_RUN`]): `kind` is
    /// [`CallKind::code`], `name` the event name (track), page name (page) or userId
    /// (identify) when [`FLAG_HAS_NAME`] is set, and `payload` the properties' or traits'
    /// JSON text, or why `JSON.stringify` could not make it when [`FLAG_PAYLOAD_ERROR`]
    /// is set. The rule version asked for is in the bits from 8 on (0: the newest).
    ///
    /// The shim stringifies and reads the call's arguments itself: plain strings cross
    /// the boundary in one go, where reading the page's objects from here took a
    /// crossing per field. Returns the verdict's code (see [`VERDICT_OK`]).
    pub fn check(&mut self, kind: u32, name: &str, payload: &str, flags: u32) -> u32 {
        let Some(kind) = CallKind::from_code(kind) else {
            return 0;
        };
        let name = (flags & FLAG_HAS_NAME != 0).then_some(name);
        let payload = if flags & FLAG_PAYLOAD_ERROR == 0 {
            Ok(payload)
        } else {
            Err(payload.to_string())
        };
        let version = Some(flags >> 8).filter(|v| *v > 0);
        let dry_run = flags & FLAG_DRY_RUN != 0;
        let verdict = match kind {
            CallKind::Identify => self
                .core
                .process_identify_json(name, version, payload, dry_run),
            CallKind::Group => self
                .core
                .process_json(kind, None, version, payload, dry_run),
            _ => self
                .core
                .process_json(kind, name.map(str::to_string), version, payload, dry_run),
        };
        self.finish(verdict)
    }

    /// The context properties the last call gained (see `setContext`), as the JSON text
    /// of an object to add to what is sent.
    #[wasm_bindgen(js_name = lastAddedJson)]
    pub fn last_added_json(&self) -> String {
        report::added(self.last.as_ref())
    }

    /// The plan's id (`trackingPlanId` of forwarded violations), or `null`.
    #[wasm_bindgen(getter, js_name = planId)]
    pub fn plan_id(&self) -> Option<String> {
        self.core.plan().id.clone()
    }

    /// Whether the policy forwards each violation as a `Violation Generated` track call.
    #[wasm_bindgen(getter, js_name = forwardsViolations)]
    pub fn forwards_violations(&self) -> bool {
        self.core.policy().forward_violations
    }

    /// Sets the context property `name` to the value whose JSON text is `json` (the
    /// shim stringifies it), or removes it when `json` is `undefined`: it is added to
    /// later calls whose plan rule declares it and that do not set it. Returns `false`
    /// (and changes nothing) when `json` is not valid JSON.
    #[wasm_bindgen(js_name = setContext)]
    pub fn set_context(&mut self, name: &str, json: Option<String>) -> bool {
        match json.as_deref().map(crate::json::parse) {
            None => self.core.set_context(name, None),
            Some(Ok(value)) => self.core.set_context(name, Some(value)),
            Some(Err(_)) => return false,
        }
        true
    }

    /// Ends the page's task (the shim calls it from a timer in debug mode): the JSON text
    /// of the `identify-without-track` hint when an identify was not followed by a
    /// track, else `undefined`.
    #[wasm_bindgen(js_name = endTask)]
    pub fn end_task(&mut self) -> Option<String> {
        self.core.end_task().map(|hint| report::violation(&hint))
    }

    /// The JSON text of the last call's full verdict (`{ ok, action, type, event?,
    /// violations, omitted, hints, version? }`), or `undefined` before the first.
    #[wasm_bindgen(js_name = lastVerdictJson)]
    pub fn last_verdict_json(&self) -> Option<String> {
        self.last.as_ref().map(report::verdict)
    }

    /// The JSON text of the recent calls with their verdicts, oldest first.
    #[wasm_bindgen(js_name = eventsJson)]
    pub fn events_json(&self) -> String {
        report::history(self.core.history())
    }

    /// The JSON text of the plan: `{ id, name, events: [{ name, version, description,
    /// properties }], identify, group, page, common }` (rules the plan lacks are `null`).
    #[wasm_bindgen(js_name = planJson)]
    pub fn plan_json(&self) -> String {
        report::plan(self.core.plan())
    }
}

/// The plan a tracker checks calls against: the embedded one when `option` is absent;
/// otherwise, in the full build, the Segment export it holds (JSON text or object).
fn load_plan(option: JsValue, regex: &mut JsRegex) -> Result<Plan, JsError> {
    if option.is_undefined() || option.is_null() {
        return Plan::from_binary(EMBEDDED_PLAN, regex).ok_or_else(|| {
            JsError::new("the embedded plan cannot be read by this build: rebuild the package")
        });
    }
    #[cfg(feature = "full")]
    {
        let text = text::json_text(&option)
            .map_err(|e| JsError::new(&format!("the plan cannot be read as JSON: {e}")))?;
        Plan::from_json(&text, regex).map_err(|e| JsError::new(&e.to_string()))
    }
    #[cfg(not(feature = "full"))]
    Err(JsError::new(
        "this wasm carries only its embedded plan: a plan given at run time needs the full \
         core (js/wasm/trackplan_full_bg.wasm), which the package loads when `plan` is set",
    ))
}

impl WasmTracker {
    /// Keeps `verdict` for `lastVerdict()` and returns its code.
    fn finish(&mut self, verdict: Verdict) -> u32 {
        let mut code = verdict.rule_version.unwrap_or(0).min(0x00FF_FFFF) << 8;
        if verdict.ok() {
            code |= VERDICT_OK;
        }
        if verdict.decision == Decision::Block {
            code |= VERDICT_BLOCKED;
        }
        if !(verdict.omitted.is_empty() && verdict.added.is_empty()) {
            code |= VERDICT_CHANGED;
        }
        if !(verdict.violations.is_empty()
            && verdict.omitted.is_empty()
            && verdict.hints.is_empty())
        {
            code |= VERDICT_DETAILS;
        }
        self.last = Some(verdict);
        code
    }
}
