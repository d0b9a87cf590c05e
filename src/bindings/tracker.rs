//! The `Tracker` class JavaScript sees.
//!
//! Only numbers and bytes cross into the wasm: the options as numbers, the plan as bytes
//! (compiled by `trackplan build`, or, in the full core, a Segment export's JSON text),
//! each call as its name and payload in one binary input; what the shim reads back comes
//! out as JSON text from one `report` method. The wasm reads no JavaScript object
//! itself, so it imports none of wasm-bindgen's value intrinsics.

use wasm_bindgen::prelude::*;

use super::regex::JsRegex;
use crate::binary::{json_bound, Reader};
use crate::json::Value;
use crate::plan::Plan;
use crate::policy::{Environment, Policy};
use crate::prelude::*;
use crate::protocol::{
    FLAG_DROPPED, FLAG_DRY_RUN, FLAG_HAS_NAME, FLAG_PAYLOAD_ERROR, FLAG_QUEUED, REPORT_ADDED,
    REPORT_HISTORY, REPORT_PLAN, REPORT_SETTINGS, REPORT_TASK_END, REPORT_VERDICT, VERDICT_BLOCKED,
    VERDICT_CHANGED, VERDICT_DETAILS, VERDICT_OK, VERSION_SHIFT,
};
use crate::report;
use crate::tracker::{
    CallKind, ContextError, Decision, Handover, Request, Tracker, Unusable, Verdict,
    DEFAULT_HISTORY_SIZE,
};
use alloc::rc::Rc;

/// A tracker: validates each call against the plan, applies the policy and records it.
/// What the verdict lets through is sent by the shim (`js/sdk/core.js`), which holds the
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
    /// `new Tracker(plan, environment, overrides, historySize)`: `plan` the plan's bytes:
    /// compiled by `trackplan build` (the binary form, which every core reads; the shim
    /// takes it from the wasm's `trackplan.plan` custom section), or, in the full core
    /// only, a Segment export's JSON text as UTF-8; `environment` the code of
    /// [`Environment::from_code`], `overrides` those of the environment's default policy
    /// as [`Policy::override_by_code`] reads them, and `history_size` how many calls the
    /// history keeps (negative: the default, 200; at most 100,000).
    ///
    /// The shim (`createCore` in `js/sdk/core.js`) reads the options and says what is
    /// wrong with a bad environment or policy: the wasm carries neither their names nor
    /// those messages. Throws an `Error` that says what to fix when the plan cannot be
    /// used (see `Constructed`).
    #[wasm_bindgen(constructor)]
    pub fn new(
        plan: Box<[u8]>,
        environment: u32,
        overrides: u32,
        history_size: f64,
    ) -> Constructed {
        let environment = Environment::from_code(environment);
        let mut policy = Policy::default_for(environment);
        policy.override_by_code(overrides);
        let warning = policy.enforce(environment);
        let mut regex = JsRegex::default();
        let plan = load_plan(plan, &mut regex);
        // How a refusal is thrown differs between the builds: see `Constructed`.
        #[cfg(feature = "full")]
        let plan = plan.map_err(|message| JsError::new(&message))?;
        #[cfg(not(feature = "full"))]
        let plan = plan.unwrap_or_else(|message| wasm_bindgen::throw_str(&message));
        // A saturating cast: the core holds the history to MAX_HISTORY_SIZE.
        let history_size = if history_size >= 0.0 {
            history_size as usize
        } else {
            DEFAULT_HISTORY_SIZE
        };
        let tracker = WasmTracker {
            core: Tracker::new(plan, Box::new(regex), policy, history_size),
            last: None,
            warning,
        };
        #[cfg(feature = "full")]
        return Ok(tracker);
        #[cfg(not(feature = "full"))]
        tracker
    }

    /// Checks one call and records it (unless [`FLAG_DRY_RUN`]), as [`Tracker::call`]
    /// does: `kind` is [`CallKind::from_code`]; `input` holds, when [`FLAG_HAS_NAME`] is
    /// set, the call's name (event name, page name, userId or groupId) as a string of the
    /// binary form (`Reader::str` in `crate::binary`), then the properties or traits as a
    /// JSON value in that form (`Reader::value`), or, with [`FLAG_PAYLOAD_ERROR`], the
    /// UTF-8 text of the violation the shim found instead (an argument analytics.js would
    /// leave out, a payload that is not data). `beside` is the JSON bytes of what is sent
    /// beside the payload (options, names). The rule version asked for is in the bits of
    /// `flags` from [`crate::protocol::VERSION_SHIFT`] on (0: the newest);
    /// [`FLAG_QUEUED`] or [`FLAG_DROPPED`] say what the page's delivery does with the
    /// call if the policy lets it through. Input that cannot be read is an
    /// `invalid_input` violation.
    ///
    /// The shim reads the call's arguments itself: only bytes and numbers cross the
    /// boundary, the bytes in one copy. Returns the verdict's code (see [`VERDICT_OK`]).
    pub fn check(&mut self, kind: u32, input: &[u8], flags: u32, beside: u32) -> u32 {
        let Some(kind) = CallKind::from_code(kind) else {
            return 0;
        };
        let mut reader = Reader::new(input);
        let name = if flags & FLAG_HAS_NAME != 0 {
            reader.str().map(Some)
        } else {
            Some(None)
        };
        let (name, payload, payload_bound) = match name {
            Some(name) => {
                let rest = reader.rest();
                let payload = if flags & FLAG_PAYLOAD_ERROR != 0 {
                    let reason = crate::utf8::str_of(rest).unwrap_or("the call cannot be read");
                    Err(Unusable::NotData(reason.to_string()))
                } else {
                    read_value(Reader::new(rest)).ok_or_else(unreadable)
                };
                (name, payload, Some(json_bound(rest.len())))
            }
            None => (None, Err(unreadable()), None),
        };
        let handover = if flags & FLAG_DROPPED != 0 {
            Handover::Dropped
        } else if flags & FLAG_QUEUED != 0 {
            Handover::Queued
        } else {
            Handover::Sent
        };
        let verdict = self.core.call(Request {
            kind,
            name,
            event_version: Some(flags >> VERSION_SHIFT).filter(|v| *v > 0),
            payload,
            payload_bound,
            beside: beside as usize,
            handover,
            dry_run: flags & FLAG_DRY_RUN != 0,
        });
        self.finish(verdict)
    }

    /// Sets a context property: `input` holds its name as a string of the binary form
    /// `check` reads, then its value as a JSON value in that form; `null` removes it.
    /// It is added to later calls whose plan rule declares it and that do not set it.
    /// Returns 0, or (and changes nothing) why the value was not set, for the shim to tell
    /// the page: 1 when `input` cannot be read, else the bytes of the value's JSON text,
    /// over [`crate::tracker::MAX_CONTEXT_BYTES`]. A number rather than a message, whose
    /// crossing as a string would cost the default wasm 0.15 KB gzip.
    #[wasm_bindgen(js_name = setContext)]
    pub fn set_context(&mut self, input: &[u8]) -> u32 {
        let mut reader = Reader::new(input);
        let set = match (reader.str(), read_value(reader)) {
            (Some(name), Some(Value::Null)) => self.core.set_context(name, None),
            (Some(name), Some(value)) => self.core.set_context(name, Some(value)),
            _ => return 1,
        };
        match set {
            Ok(()) => 0,
            Err(ContextError::TooLarge(bytes)) => bytes as u32,
        }
    }

    /// Ends the session (see [`crate::session`]): the page's `reset()`, as analytics.js
    /// forgets the user.
    pub fn reset(&mut self) {
        self.core.reset();
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

/// What `new Tracker` returns to JavaScript in the full build: the tracker, or the
/// `JsError` the glue throws.
#[cfg(feature = "full")]
type Constructed = Result<WasmTracker, JsError>;

/// What `new Tracker` returns to JavaScript in a production core: the tracker. A
/// refusal throws its `Error` from inside the wasm (`throw_str`) rather than as a
/// `JsError`, which would bring wasm-bindgen's table of JavaScript values into the wasm
/// for this one value (about 370 B of the gzipped wasm); the message, and so what the
/// page sees, is the same. The throw skips the rest of the call, leaving the message's
/// memory and the constructor's stack frames as they were, which is why the full core,
/// whose plans come from the page, returns a `JsError` instead. Here a refusal ends the
/// set-up and is not met in use: `trackplan build` checked the plan with this core.
#[cfg(not(feature = "full"))]
type Constructed = WasmTracker;

/// The plan a tracker checks calls against, from its bytes: the binary form, or, in the
/// full core, a Segment export's JSON text.
fn load_plan(bytes: Box<[u8]>, regex: &mut JsRegex) -> Result<Plan, String> {
    #[cfg(feature = "full")]
    if !Plan::is_binary(&bytes) {
        let text = core::str::from_utf8(&bytes)
            .map_err(|_| "the plan cannot be read as JSON: it is not UTF-8")?;
        return Plan::from_json(text, regex).map_err(|e| e.to_string());
    }
    Plan::from_binary(bytes, regex).map_err(|e| e.message())
}

/// The JSON value that is all `reader` has left; `None` when it holds anything else.
fn read_value(mut reader: Reader) -> Option<Value> {
    reader.value().filter(|_| reader.is_empty())
}

/// What a call is when its input cannot be read as the shim writes it.
fn unreadable() -> Unusable {
    Unusable::NotData("the call's bytes cannot be read (a trackplan bug)".to_string())
}

impl WasmTracker {
    /// Keeps `verdict` for [`REPORT_VERDICT`] and returns its code.
    fn finish(&mut self, verdict: Rc<Verdict>) -> u32 {
        let mut code = verdict.rule_version.unwrap_or(0).min(0x00FF_FFFF) << VERSION_SHIFT;
        if verdict.ok() {
            code |= VERDICT_OK;
        }
        if verdict.decision != Decision::Send {
            code |= VERDICT_BLOCKED;
        }
        let nothing_left_out = verdict.omitted.is_empty() && verdict.unchanged.is_empty();
        if !(nothing_left_out && verdict.added.is_empty()) {
            code |= VERDICT_CHANGED;
        }
        let plain = verdict.decision != Decision::Skip && nothing_left_out;
        if !(verdict.violations.is_empty() && plain && verdict.hints.is_empty()) {
            code |= VERDICT_DETAILS;
        }
        self.last = Some(verdict);
        code
    }
}
