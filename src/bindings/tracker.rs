//! The `Tracker` class JavaScript sees.
//!
//! Everything crosses as numbers, strings or bytes: the options as numbers, a plan
//! given at run time as UTF-8 bytes, each call as its name and its payload's JSON text,
//! and what the shim reads back as JSON text from one `report` method. The wasm reads no
//! JavaScript object itself, so it imports none of wasm-bindgen's value intrinsics.

use wasm_bindgen::prelude::*;

use super::regex::JsRegex;
use crate::binary::Reader;
use crate::json::Value;
use crate::plan::Plan;
use crate::policy::{Environment, Policy};
use crate::prelude::*;
use crate::report;
use crate::tracker::{CallKind, Decision, Tracker, Unusable, Verdict, MAX_PAYLOAD_BYTES};
use alloc::rc::Rc;

/// Result code bit: the call follows the plan.
///
/// Every call method returns a code rather than a verdict object: building an object
/// field by field from wasm costs a crossing and a string per field, which dominated
/// the cost of a call. The shim builds the verdict of a clean call itself
/// (`verdictOf` in `js/core.js`) and reads [`REPORT_VERDICT`] only when there are details.
pub const VERDICT_OK: u32 = 1;
/// Result code bit: the call was blocked.
pub const VERDICT_BLOCKED: u32 = 2;
/// Result code bit: the verdict has violations, omitted properties or hints; read them
/// with [`REPORT_VERDICT`]. The plan version of the rule applied is in the bits from 8 on.
pub const VERDICT_DETAILS: u32 = 4;
/// Result code bit: what is sent differs from what the page passed (properties omitted,
/// or context properties added: see [`REPORT_ADDED`]).
pub const VERDICT_CHANGED: u32 = 8;

/// `check` flag: `name` is given (else the call has no event name, page name or userId
/// that is a string).
pub const FLAG_HAS_NAME: u32 = 1;
/// `check` flag: `payload` is not JSON but why the payload could not be stringified.
pub const FLAG_PAYLOAD_ERROR: u32 = 2;
/// `check` flag: a dry run, neither recorded nor counted.
pub const FLAG_DRY_RUN: u32 = 4;

/// `report` of the last call's full verdict: `{ ok, action, type, event?, violations,
/// omitted, hints, version? }`; empty before the first call.
pub const REPORT_VERDICT: u32 = 0;
/// `report` of the context properties the last call gained (see `setContext`): an
/// object to add to what is sent.
pub const REPORT_ADDED: u32 = 1;
/// `report` of the recent calls with their verdicts, oldest first.
pub const REPORT_HISTORY: u32 = 2;
/// `report` of the plan: `{ id, name, events: [{ name, version, description,
/// properties }], identify, group, page, common }` (rules the plan lacks are `null`).
pub const REPORT_PLAN: u32 = 3;
/// `report` of what the shim needs to know once: `{ planId, throwOnViolation,
/// forwardViolations, warning? }` (see [`report::settings`]).
pub const REPORT_SETTINGS: u32 = 4;
/// `report` that ends the page's task (the shim asks from a timer in debug mode): the
/// `identify-without-track` hint when an identify was not followed by a track, else
/// empty.
pub const REPORT_TASK_END: u32 = 5;

/// The plan embedded at build time, compiled, in its binary form (see `build.rs`).
const EMBEDDED_PLAN: &[u8] = include_bytes!(env!("TRACKPLAN_EMBEDDED_PLAN"));

/// Default number of calls the history keeps.
const DEFAULT_HISTORY_SIZE: usize = 200;

/// Most calls the history keeps, whatever the options ask for.
const MAX_HISTORY_SIZE: f64 = 100_000.0;

/// A tracker: validates each call against the plan, applies the policy and records it.
/// What the verdict lets through is sent by the shim (`js/core.js`), which holds the
/// call's own arguments.
#[wasm_bindgen(js_name = Tracker)]
pub struct WasmTracker {
    core: Tracker,
    last: Option<Rc<Verdict>>,
    /// What the set-up changed that the page should hear about (see [`Policy::enforce`]).
    warning: Option<&'static str>,
}

#[wasm_bindgen(js_class = Tracker)]
impl WasmTracker {
    /// `new Tracker(plan, environment, overrides, historySize)`: `plan` a Segment export's
    /// JSON text as UTF-8 bytes, or `undefined` for the embedded plan (only the full build
    /// reads other plans); `environment` the code of [`Environment::from_code`],
    /// `overrides` those of the environment's default policy as [`Policy::override_by_code`]
    /// reads them, and `history_size` how many calls the history keeps (negative: the
    /// default, 200; at most 100,000).
    ///
    /// The shim (`createCore` in `js/core.js`) reads the options and says what is wrong
    /// with a bad environment or policy: the wasm carries neither their names nor those
    /// messages. Throws an `Error` that names the rule and JSON pointer when the plan
    /// cannot be used.
    #[wasm_bindgen(constructor)]
    pub fn new(
        plan: Option<Box<[u8]>>,
        environment: u32,
        overrides: u32,
        history_size: f64,
    ) -> Result<WasmTracker, JsError> {
        let environment = Environment::from_code(environment);
        let mut policy = Policy::default_for(environment);
        policy.override_by_code(overrides);
        let warning = policy.enforce(environment);
        let mut regex = JsRegex::default();
        let plan = load_plan(plan.as_deref(), &mut regex)?;
        let history_size = if history_size >= 0.0 {
            history_size.min(MAX_HISTORY_SIZE) as usize
        } else {
            DEFAULT_HISTORY_SIZE
        };
        Ok(WasmTracker {
            core: Tracker::new(plan, Box::new(regex), policy, history_size),
            last: None,
            warning,
        })
    }

    /// Checks one call and records it (unless [`FLAG_DRY_RUN`]): `kind` is
    /// [`CallKind::from_code`], `name` the event name (track), page name (page) or userId
    /// (identify) when [`FLAG_HAS_NAME`] is set, and `payload` the properties or traits
    /// in the binary form of a JSON value (`Reader::value` in `crate::binary`; the shim's
    /// `js/encode.js` writes it), or the UTF-8 text of why they are not JSON data when
    /// [`FLAG_PAYLOAD_ERROR`] is set. `json_size` is the length in bytes of the payload's
    /// JSON text when the shim measured it (it does for large payloads only), else 0.
    /// The rule version asked for is in the bits of `flags` from 8 on (0: the newest).
    ///
    /// The shim reads the call's arguments itself and writes the payload in one pass:
    /// bytes cross the boundary in one copy, where reading the page's objects from here
    /// took a crossing per field, and JSON text took `JSON.stringify` and a parser.
    /// Returns the verdict's code (see [`VERDICT_OK`]).
    pub fn check(
        &mut self,
        kind: u32,
        name: &str,
        payload: &[u8],
        flags: u32,
        json_size: u32,
    ) -> u32 {
        let Some(kind) = CallKind::from_code(kind) else {
            return 0;
        };
        let name = (flags & FLAG_HAS_NAME != 0).then_some(name);
        let payload = read_payload(payload, flags & FLAG_PAYLOAD_ERROR != 0, json_size);
        let version = Some(flags >> 8).filter(|v| *v > 0);
        let dry_run = flags & FLAG_DRY_RUN != 0;
        let verdict = match kind {
            CallKind::Identify => self.core.process_identify(name, version, payload, dry_run),
            _ => {
                // A group call's name is its groupId, not an event or page name.
                let event = name.filter(|_| kind != CallKind::Group).map(str::to_string);
                self.core.process(kind, event, version, payload, dry_run)
            }
        };
        self.finish(verdict)
    }

    /// Sets the context property `name` to the value `value` holds in the binary form
    /// `check` reads, or removes it when that is `null`: it is added to later calls
    /// whose plan rule declares it and that do not set it. Returns `false` (and changes
    /// nothing) when `value` cannot be read.
    #[wasm_bindgen(js_name = setContext)]
    pub fn set_context(&mut self, name: &str, value: &[u8]) -> bool {
        match read_value(value) {
            Some(Value::Null) => self.core.set_context(name, None),
            Some(value) => self.core.set_context(name, Some(value)),
            None => return false,
        }
        true
    }

    /// The JSON text of one report: `what` is [`REPORT_VERDICT`], [`REPORT_ADDED`],
    /// [`REPORT_HISTORY`], [`REPORT_PLAN`], [`REPORT_SETTINGS`] or [`REPORT_TASK_END`];
    /// empty when there is nothing to report (or `what` is none of them).
    pub fn report(&mut self, what: u32) -> String {
        match what {
            REPORT_VERDICT => self
                .last
                .as_deref()
                .map(report::verdict)
                .unwrap_or_default(),
            REPORT_ADDED => report::added(self.last.as_deref()),
            REPORT_HISTORY => report::history(self.core.history()),
            REPORT_PLAN => report::plan(self.core.plan()),
            REPORT_SETTINGS => report::settings(
                self.core.policy(),
                self.core.plan().id.as_deref(),
                self.warning,
            ),
            REPORT_TASK_END => self
                .core
                .end_task()
                .map(|hint| report::violation(&hint))
                .unwrap_or_default(),
            _ => String::new(),
        }
    }
}

/// The plan a tracker checks calls against: the embedded one without a `document`;
/// otherwise, in the full build, the Segment export whose JSON text it holds.
fn load_plan(document: Option<&[u8]>, regex: &mut JsRegex) -> Result<Plan, JsError> {
    match document {
        None => Plan::from_binary(EMBEDDED_PLAN, regex).ok_or_else(|| {
            JsError::new("the embedded plan cannot be read by this build: rebuild the package")
        }),
        #[cfg(feature = "full")]
        Some(document) => {
            let text = core::str::from_utf8(document)
                .map_err(|_| JsError::new("the plan cannot be read as JSON: it is not UTF-8"))?;
            Plan::from_json(text, regex).map_err(|e| JsError::new(&e.to_string()))
        }
        #[cfg(not(feature = "full"))]
        Some(_) => Err(JsError::new(
            "this wasm carries only its embedded plan: a plan given at run time needs the full \
             core (js/wasm/trackplan_full_bg.wasm), which the package loads when `plan` is set",
        )),
    }
}

/// A value in the binary form, all of `bytes`; `None` when they hold anything else.
fn read_value(bytes: &[u8]) -> Option<Value> {
    let mut reader = Reader::new(bytes);
    reader.value().filter(|_| reader.is_empty())
}

/// The payload `check` was given, as the core takes it.
fn read_payload(bytes: &[u8], is_error: bool, json_size: u32) -> Result<Value, Unusable> {
    if is_error {
        let reason = crate::utf8::str_of(bytes).unwrap_or("no reason given");
        return Err(Unusable::NotData(reason.to_string()));
    }
    let json_size = json_size as usize;
    if json_size > MAX_PAYLOAD_BYTES {
        return Err(Unusable::TooLarge(json_size));
    }
    read_value(bytes)
        .ok_or_else(|| Unusable::NotData("the shim's encoding of it cannot be read".to_string()))
}

impl WasmTracker {
    /// Keeps `verdict` for [`REPORT_VERDICT`] and returns its code.
    fn finish(&mut self, verdict: Rc<Verdict>) -> u32 {
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
