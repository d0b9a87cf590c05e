//! The `Tracker` class JavaScript sees.

use js_sys::{Array, Function, Object, Reflect};
use wasm_bindgen::prelude::*;

use super::convert::{self, get, set, stringify};
use super::regex::JsRegex;
use crate::plan::{Plan, RuleKind};
use crate::policy::{Environment, Policy, PolicyValue};
use crate::tracker::{CallKind, Decision, Tracker, Verdict};

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
        let plan_option = get(&options, "plan");
        let plan_text = if plan_option.is_undefined() || plan_option.is_null() {
            EMBEDDED_PLAN.to_string()
        } else if let Some(text) = plan_option.as_string() {
            text
        } else {
            stringify(&plan_option)
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

    /// Replaces the analytics delegate (`undefined` sends nothing).
    #[wasm_bindgen(js_name = setDelegate)]
    pub fn set_delegate(&mut self, analytics: JsValue) {
        self.delegate = analytics;
    }

    /// Validates `track(event, properties, options)`, applies the policy and sends it.
    pub fn track(&mut self, event: JsValue, properties: JsValue, options: JsValue) -> Object {
        let verdict = self.run(
            CallKind::Track,
            event.as_string(),
            &properties,
            &options,
            false,
        );
        self.deliver(&verdict, "track", &[event], properties, options);
        convert::verdict(&verdict)
    }

    /// Validates `identify(userId, traits, options)` against the plan's IDENTIFY rule and
    /// the guide's userId conventions.
    pub fn identify(&mut self, user_id: JsValue, traits: JsValue, options: JsValue) -> Object {
        let verdict = self.run_identify(&user_id, &traits, &options, false);
        self.deliver(&verdict, "identify", &[user_id], traits, options);
        convert::verdict(&verdict)
    }

    /// Validates `page(category, name, properties, options)` against the PAGE rule.
    pub fn page(
        &mut self,
        category: JsValue,
        name: JsValue,
        properties: JsValue,
        options: JsValue,
    ) -> Object {
        let verdict = self.run(
            CallKind::Page,
            name.as_string(),
            &properties,
            &options,
            false,
        );
        self.deliver(&verdict, "page", &[category, name], properties, options);
        convert::verdict(&verdict)
    }

    /// Validates `group(groupId, traits, options)` against the GROUP rule.
    pub fn group(&mut self, group_id: JsValue, traits: JsValue, options: JsValue) -> Object {
        let verdict = self.run(CallKind::Group, None, &traits, &options, false);
        self.deliver(&verdict, "group", &[group_id], traits, options);
        convert::verdict(&verdict)
    }

    /// Dry run of `{ type, event?, name?, properties?, traits? }`: the verdict, nothing
    /// sent or recorded.
    pub fn validate(&mut self, call: JsValue) -> Object {
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
            return convert::verdict(&verdict);
        };
        let (event, payload) = match kind {
            CallKind::Track => (get(&call, "event").as_string(), get(&call, "properties")),
            CallKind::Page => (get(&call, "name").as_string(), get(&call, "properties")),
            CallKind::Identify => {
                let verdict = self.run_identify(
                    &get(&call, "userId"),
                    &get(&call, "traits"),
                    &get(&call, "options"),
                    true,
                );
                return convert::verdict(&verdict);
            }
            CallKind::Group => (None, get(&call, "traits")),
        };
        let verdict = self.run(kind, event, &payload, &get(&call, "options"), true);
        convert::verdict(&verdict)
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
            let value = get(&context, &name);
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
    fn run(
        &mut self,
        kind: CallKind,
        event: Option<String>,
        payload: &JsValue,
        options: &JsValue,
        dry_run: bool,
    ) -> Verdict {
        let text = stringify(payload);
        self.core.process_json(
            kind,
            event,
            event_version(options),
            text.as_deref().map_err(Clone::clone),
            dry_run,
        )
    }

    fn run_identify(
        &mut self,
        user_id: &JsValue,
        traits: &JsValue,
        options: &JsValue,
        dry_run: bool,
    ) -> Verdict {
        let text = stringify(traits);
        self.core.process_identify_json(
            user_id.as_string().as_deref(),
            event_version(options),
            text.as_deref().map_err(Clone::clone),
            dry_run,
        )
    }

    /// Hands a call the policy lets through to the delegate (`method(...leading,
    /// payload, options)`), less omitted properties, and forwards violations when the
    /// policy says so. A delegate that throws is reported on the console, never rethrown.
    fn deliver(
        &self,
        verdict: &Verdict,
        method: &str,
        leading: &[JsValue],
        payload: JsValue,
        options: JsValue,
    ) {
        if verdict.decision == Decision::Send {
            let payload = if verdict.omitted.is_empty() && verdict.added.is_empty() {
                payload
            } else {
                let copy = Object::assign(&Object::new(), payload.unchecked_ref());
                for (name, value) in &verdict.added {
                    set(&copy, name, convert::to_js(value));
                }
                for name in &verdict.omitted {
                    let _ = Reflect::delete_property(&copy, &JsValue::from_str(name));
                }
                copy.into()
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

    fn call_delegate(&self, method: &str, args: &Array) {
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
