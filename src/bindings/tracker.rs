//! The `Tracker` class JavaScript sees.

use js_sys::{Array, Function, Object, Reflect};
use wasm_bindgen::prelude::*;

use super::convert::{self, get, get_data, set, set_data, stringify};
use super::regex::JsRegex;
use super::text;
use crate::plan::{Plan, RuleKind};
use crate::policy::{Environment, Policy, PolicyValue};
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

/// The plan embedded at build time (see `build.rs`).
const EMBEDDED_PLAN: &str = include_str!(env!("TRACKPLAN_EMBEDDED_PLAN"));

/// Default number of calls `events()` keeps.
const DEFAULT_HISTORY_SIZE: usize = 200;

/// A tracker: validates each call against the plan, applies the policy, records it and
/// hands what may be sent to the analytics delegate (anything with `track`, `identify`,
/// `page` and `group` methods).
#[wasm_bindgen(js_name = Tracker)]
pub struct WasmTracker {
    core: Tracker,
    environment: Environment,
    delegate: JsValue,
    last: Option<Verdict>,
}

#[wasm_bindgen(js_class = Tracker)]
impl WasmTracker {
    /// `new Tracker({ environment, plan?, policy?, historySize?, analytics? })`.
    ///
    /// `plan` is a Segment export as JSON text or object (default: the embedded plan);
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
                let value = get_data(&overrides, &field);
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
        let plan_option = get(&options, "plan");
        let plan_text = if plan_option.is_undefined() || plan_option.is_null() {
            EMBEDDED_PLAN.to_string()
        } else {
            text::json_text(&plan_option)
                .map_err(|e| JsError::new(&format!("the plan cannot be read as JSON: {e}")))?
        };
        let mut regex = JsRegex::default();
        let plan =
            Plan::from_json(&plan_text, &mut regex).map_err(|e| JsError::new(&e.to_string()))?;
        let history_size = get(&options, "historySize")
            .as_f64()
            .filter(|n| *n >= 0.0)
            .map_or(DEFAULT_HISTORY_SIZE, |n| n.min(100_000.0) as usize);
        Ok(WasmTracker {
            core: Tracker::new(plan, Box::new(regex), policy, history_size),
            environment,
            delegate: get(&options, "analytics"),
            last: None,
        })
    }

    /// The environment the tracker runs in.
    #[wasm_bindgen(getter)]
    pub fn environment(&self) -> String {
        self.environment.name().to_string()
    }

    /// Whether the policy wants a violation thrown as a `TrackingPlanError` (the shim
    /// throws it, after the call has been recorded).
    #[wasm_bindgen(getter, js_name = throwsOnViolation)]
    pub fn throws_on_violation(&self) -> bool {
        self.core.policy().throw_on_violation
    }

    /// Validates `track(event, properties, options)`, applies the policy and sends it.
    /// Returns the verdict's code (see [`VERDICT_OK`]); `lastVerdict()` has the details.
    pub fn track(&mut self, event: JsValue, properties: JsValue, options: JsValue) -> u32 {
        let (verdict, text) = self.run(
            CallKind::Track,
            event.as_string(),
            &properties,
            &options,
            false,
        );
        self.deliver(&verdict, &text, "track", &[event], properties, options);
        self.finish(verdict)
    }

    /// Validates `identify(userId, traits, options)` against the plan's IDENTIFY rule and
    /// the guide's userId conventions.
    pub fn identify(&mut self, user_id: JsValue, traits: JsValue, options: JsValue) -> u32 {
        let (verdict, text) = self.run_identify(&user_id, &traits, &options, false);
        self.deliver(&verdict, &text, "identify", &[user_id], traits, options);
        self.finish(verdict)
    }

    /// Validates `page(category, name, properties, options)` against the PAGE rule.
    pub fn page(
        &mut self,
        category: JsValue,
        name: JsValue,
        properties: JsValue,
        options: JsValue,
    ) -> u32 {
        let (verdict, text) = self.run(
            CallKind::Page,
            name.as_string(),
            &properties,
            &options,
            false,
        );
        self.deliver(
            &verdict,
            &text,
            "page",
            &[category, name],
            properties,
            options,
        );
        self.finish(verdict)
    }

    /// Validates `group(groupId, traits, options)` against the GROUP rule.
    pub fn group(&mut self, group_id: JsValue, traits: JsValue, options: JsValue) -> u32 {
        let (verdict, text) = self.run(CallKind::Group, None, &traits, &options, false);
        self.deliver(&verdict, &text, "group", &[group_id], traits, options);
        self.finish(verdict)
    }

    /// Dry run of `{ type, event?, name?, properties?, traits? }`: the verdict, nothing
    /// sent or recorded.
    pub fn validate(&mut self, call: JsValue) -> u32 {
        let kind_name = get(&call, "type")
            .as_string()
            .unwrap_or_else(|| "track".to_string());
        let Some(kind) = CallKind::from_name(&kind_name) else {
            let verdict = self.core.process_json(
                CallKind::Track,
                None,
                None,
                Err(format!(
                    "type {} is not track, identify, page or group",
                    crate::json::quote(&kind_name)
                )),
                true,
            );
            return self.finish(verdict);
        };
        let (event, payload) = match kind {
            CallKind::Track => (get(&call, "event").as_string(), get(&call, "properties")),
            CallKind::Page => (get(&call, "name").as_string(), get(&call, "properties")),
            CallKind::Identify => {
                let (verdict, _) = self.run_identify(
                    &get(&call, "userId"),
                    &get(&call, "traits"),
                    &get(&call, "options"),
                    true,
                );
                return self.finish(verdict);
            }
            CallKind::Group => (None, get(&call, "traits")),
        };
        let (verdict, _) = self.run(kind, event, &payload, &get(&call, "options"), true);
        self.finish(verdict)
    }

    /// `setContext({ episode_id, user_type })`: each property is added to later calls
    /// whose plan rule declares it and that do not set it; `null` removes one. Values that
    /// are not JSON data are ignored with a console warning.
    #[wasm_bindgen(js_name = setContext)]
    pub fn set_context(&mut self, context: JsValue) {
        if !context.is_object() {
            return;
        }
        for key in Object::keys(context.unchecked_ref::<Object>()).iter() {
            let name = key.as_string().unwrap_or_default();
            let value = get_data(&context, &name);
            if value.is_null() || value.is_undefined() {
                self.core.set_context(&name, None);
                continue;
            }
            match stringify(&value).map(|text| crate::json::parse(&text)) {
                Ok(Ok(value)) => self.core.set_context(&name, Some(value)),
                _ => web_sys::console::warn_1(&JsValue::from_str(&format!(
                    "trackplan: setContext ignored `{name}`: its value is not JSON data"
                ))),
            }
        }
    }

    /// Ends the page's task (the shim calls it from a timer in debug mode): the
    /// `identify-without-track` hint when an identify was not followed by a track, else
    /// `undefined`.
    #[wasm_bindgen(js_name = endTask)]
    pub fn end_task(&mut self) -> JsValue {
        self.core
            .end_task()
            .map_or(JsValue::UNDEFINED, |hint| convert::violation(&hint).into())
    }

    /// The full verdict of the last call (`{ ok, action, type, event?, violations,
    /// omitted, hints, version? }`), or `null` before the first.
    #[wasm_bindgen(js_name = lastVerdict)]
    pub fn last_verdict(&self) -> JsValue {
        self.last
            .as_ref()
            .map_or(JsValue::NULL, |v| convert::verdict(v).into())
    }

    /// Recent calls with their verdicts, oldest first.
    pub fn events(&self) -> Array {
        self.core.history().map(convert::history_entry).collect()
    }

    /// Forgets the recorded calls.
    #[wasm_bindgen(js_name = clearEvents)]
    pub fn clear_events(&mut self) {
        self.core.clear_history();
    }

    /// The plan: `{ id, name, events: [{ name, version, description, properties }],
    /// identify, group, page, common }` (rules the plan lacks are `null`).
    pub fn plan(&self) -> Object {
        let plan = self.core.plan();
        let summary = Object::new();
        set(
            &summary,
            "id",
            plan.id.as_deref().map_or(JsValue::NULL, JsValue::from_str),
        );
        set(&summary, "name", plan.name.as_str());
        let events: Array = plan
            .rules()
            .iter()
            .filter(|r| {
                r.kind == RuleKind::Track
                    && plan
                        .event(&r.name, None)
                        .is_some_and(|n| std::ptr::eq(n, *r))
            })
            .map(convert::rule)
            .collect();
        set(&summary, "events", events);
        for (key, kind) in [
            ("identify", RuleKind::Identify),
            ("group", RuleKind::Group),
            ("page", RuleKind::Page),
            ("common", RuleKind::Common),
        ] {
            let rule = plan
                .rule(kind)
                .map_or(JsValue::NULL, |r| convert::rule(r).into());
            set(&summary, key, rule);
        }
        summary
    }
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
        if !(verdict.violations.is_empty()
            && verdict.omitted.is_empty()
            && verdict.hints.is_empty())
        {
            code |= VERDICT_DETAILS;
        }
        self.last = Some(verdict);
        code
    }

    fn run(
        &mut self,
        kind: CallKind,
        event: Option<String>,
        payload: &JsValue,
        options: &JsValue,
        dry_run: bool,
    ) -> (Verdict, Result<String, String>) {
        let text = stringify(payload);
        let verdict = self.core.process_json(
            kind,
            event,
            event_version(options),
            text.as_deref().map_err(Clone::clone),
            dry_run,
        );
        (verdict, text)
    }

    fn run_identify(
        &mut self,
        user_id: &JsValue,
        traits: &JsValue,
        options: &JsValue,
        dry_run: bool,
    ) -> (Verdict, Result<String, String>) {
        let text = stringify(traits);
        let verdict = self.core.process_identify_json(
            user_id.as_string().as_deref(),
            event_version(options),
            text.as_deref().map_err(Clone::clone),
            dry_run,
        );
        (verdict, text)
    }

    /// Hands a call the policy lets through to the delegate (`method(...leading,
    /// payload, options)`) and forwards violations when the policy says so. With
    /// properties omitted, what is sent is the validated JSON `text` less those
    /// properties (the page's getters are not run again), and `options` gains
    /// `context.protocols.omitted`. A delegate that throws is reported on the console,
    /// never rethrown.
    fn deliver(
        &self,
        verdict: &Verdict,
        text: &Result<String, String>,
        method: &'static str,
        leading: &[JsValue],
        payload: JsValue,
        options: JsValue,
    ) {
        if verdict.decision == Decision::Send {
            let (payload, options) = if verdict.omitted.is_empty() && verdict.added.is_empty() {
                (payload, options)
            } else {
                // The validated JSON, not the page's object: its getters are not run again.
                let copy = match text {
                    Ok(text) => js_sys::JSON::parse(text).unwrap_or_else(|_| Object::new().into()),
                    Err(_) => Object::new().into(),
                };
                let object = copy.unchecked_ref::<Object>();
                for (name, value) in &verdict.added {
                    set_data(object, name, convert::to_js(value));
                }
                for name in &verdict.omitted {
                    let _ = Reflect::delete_property(object, &JsValue::from_str(name));
                }
                let options = if verdict.omitted.is_empty() {
                    options
                } else {
                    with_omitted(&options, &verdict.omitted)
                };
                (copy, options)
            };
            let args: Array = leading.iter().cloned().collect();
            args.push(&payload);
            args.push(&options);
            self.call_delegate(method, &args);
        }
        if self.core.policy().forward_violations && !verdict.ok() {
            self.forward(verdict);
        }
    }

    /// One `Violation Generated` track call per violation, in Segment Protocols' shape.
    fn forward(&self, verdict: &Verdict) {
        let plan_id = self
            .core
            .plan()
            .id
            .as_deref()
            .map_or(JsValue::NULL, JsValue::from_str);
        for v in &verdict.violations {
            let props = Object::new();
            set(&props, "violationType", v.kind);
            set(&props, "violationField", v.path.as_str());
            set(&props, "violationDescription", v.message.as_str());
            set(
                &props,
                "eventName",
                verdict.event.as_deref().unwrap_or(verdict.kind.name()),
            );
            set(&props, "eventType", verdict.kind.name());
            set(&props, "trackingPlanId", plan_id.clone());
            let args = Array::of2(&JsValue::from_str("Violation Generated"), &props);
            self.call_delegate("track", &args);
        }
    }

    fn call_delegate(&self, method: &'static str, args: &Array) {
        let function = get(&self.delegate, method);
        if let Some(function) = function.dyn_ref::<Function>() {
            if let Err(e) = function.apply(&self.delegate, args) {
                web_sys::console::warn_2(
                    &JsValue::from_str(&format!("trackplan: analytics.{method} threw")),
                    &e,
                );
            }
        }
    }
}

/// The rule version a call asks for: `options.context.protocols.event_version`.
fn event_version(options: &JsValue) -> Option<u32> {
    get(&get(&get(options, "context"), "protocols"), "event_version")
        .as_f64()
        .filter(|v| *v >= 1.0 && v.fract() == 0.0)
        .map(|v| v as u32)
}

/// A copy of the call's `options` whose `context.protocols.omitted` lists `omitted`, as
/// Segment Protocols marks what it removed. The page's objects are not changed.
fn with_omitted(options: &JsValue, omitted: &[String]) -> JsValue {
    let options_copy = convert::copy_object(options);
    let context = convert::copy_object(&get(options, "context"));
    let protocols = convert::copy_object(&get(&context, "protocols"));
    let names: Array = omitted.iter().map(|o| JsValue::from_str(o)).collect();
    set(&protocols, "omitted", names);
    set(&context, "protocols", protocols);
    set(&options_copy, "context", context);
    options_copy.into()
}
