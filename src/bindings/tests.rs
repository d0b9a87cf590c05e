//! The bindings in headless Chromium: delegation to a fake analytics object, policy
//! effects on what is delegated, the history and plan the console shows, and errors.

use js_sys::{Array, Function, Object, Reflect, JSON};
use wasm_bindgen::prelude::*;
use wasm_bindgen_test::*;

use super::tracker::WasmTracker;

wasm_bindgen_test_configure!(run_in_browser);

pub(super) fn js(text: &str) -> JsValue {
    JSON::parse(text).expect("test JSON")
}

/// An analytics look-alike that records every call as `[method, ...args]` in `calls`.
pub(super) fn fake_analytics() -> JsValue {
    Function::new_no_args(
        "const calls = [];
         const record = (m) => (...args) => { calls.push([m, ...args]); };
         return { calls, track: record('track'), identify: record('identify'),
                  page: record('page'), group: record('group') };",
    )
    .call0(&JsValue::UNDEFINED)
    .unwrap()
}

pub(super) fn calls(analytics: &JsValue) -> Array {
    Reflect::get(analytics, &"calls".into()).unwrap().into()
}

pub(super) fn field(value: &JsValue, key: &str) -> JsValue {
    Reflect::get(value, &key.into()).unwrap()
}

pub(super) fn tracker(environment: &str, analytics: &JsValue) -> WasmTracker {
    let options = js(&format!(r#"{{"environment":"{environment}"}}"#));
    Reflect::set(&options, &"analytics".into(), analytics).unwrap();
    WasmTracker::new(options).map_err(JsValue::from).unwrap()
}

#[wasm_bindgen_test]
fn valid_calls_are_delegated_unchanged() {
    let analytics = fake_analytics();
    let mut t = tracker("development", &analytics);
    let props = js(r#"{"episode_id":"ep_1","call_id":"call_1","user_type":"patient"}"#);
    t.track("call started".into(), props.clone(), JsValue::UNDEFINED);
    let verdict = t.last_verdict();
    assert_eq!(field(&verdict, "ok"), JsValue::TRUE);
    assert_eq!(field(&verdict, "action"), "sent");
    let recorded = calls(&analytics);
    assert_eq!(recorded.length(), 1);
    let call: Array = recorded.get(0).into();
    assert_eq!(call.get(0), "track");
    assert_eq!(call.get(1), "call started");
    assert!(
        Object::is(&call.get(2), &props),
        "the page's own object is handed on"
    );
}

#[wasm_bindgen_test]
fn invalid_calls_are_blocked_with_violations_as_data() {
    let analytics = fake_analytics();
    let mut t = tracker("development", &analytics);
    t.track(
        "call ended".into(),
        js(r#"{"episode_id":"ep_1","call_id":"c","type":"Patient"}"#),
        JsValue::UNDEFINED,
    );
    let verdict = t.last_verdict();
    assert_eq!(field(&verdict, "ok"), JsValue::FALSE);
    assert_eq!(field(&verdict, "action"), "blocked");
    let violation = Array::from(&field(&verdict, "violations")).get(0);
    assert_eq!(field(&violation, "kind"), "enum");
    assert_eq!(field(&violation, "path"), "/type");
    assert_eq!(field(&violation, "schemaPath"), "/properties/type/enum");
    assert_eq!(calls(&analytics).length(), 0);
}

#[wasm_bindgen_test]
fn production_omits_unplanned_properties_and_forwards_violations() {
    let analytics = fake_analytics();
    let mut t = tracker("production", &analytics);
    let props = js(r#"{"episode_id":"ep_1","call_id":"c","user_type":"patient","channel_id":"x"}"#);
    t.track("call started".into(), props.clone(), JsValue::UNDEFINED);
    let verdict = t.last_verdict();
    assert_eq!(field(&verdict, "action"), "sent");
    let recorded = calls(&analytics);
    assert_eq!(recorded.length(), 2);
    let sent = Array::from(&recorded.get(0)).get(2);
    assert!(
        field(&sent, "channel_id").is_undefined(),
        "omitted from what is sent"
    );
    assert_eq!(
        field(&props, "channel_id"),
        "x",
        "the page's object is untouched"
    );
    let forwarded = Array::from(&recorded.get(1));
    assert_eq!(forwarded.get(1), "Violation Generated");
    let forwarded_props = forwarded.get(2);
    assert_eq!(
        field(&forwarded_props, "violationType"),
        "unplanned_property"
    );
    assert_eq!(field(&forwarded_props, "violationField"), "/channel_id");
    assert_eq!(
        field(&forwarded_props, "trackingPlanId"),
        "tp_trackplan_default"
    );
}

#[wasm_bindgen_test]
fn identify_page_and_group_are_delegated_with_their_arguments() {
    let analytics = fake_analytics();
    let mut t = tracker("development", &analytics);
    t.identify(
        "user_1".into(),
        js(r#"{"user_type":"patient"}"#),
        JsValue::UNDEFINED,
    );
    t.page("app".into(), "home".into(), js("{}"), JsValue::UNDEFINED);
    t.group(
        "org_1".into(),
        js(r#"{"name":"Clinic"}"#),
        JsValue::UNDEFINED,
    );
    let recorded = calls(&analytics);
    let methods: Vec<_> = recorded
        .iter()
        .map(|c| Array::from(&c).get(0).as_string().unwrap())
        .collect();
    assert_eq!(methods, ["identify", "page", "group"]);
    let page = Array::from(&recorded.get(1));
    assert_eq!((page.get(1), page.get(2)), ("app".into(), "home".into()));
}

#[wasm_bindgen_test]
fn hostile_input_gets_an_invalid_input_verdict() {
    let analytics = fake_analytics();
    let mut t = tracker("production", &analytics);
    let cyclic = Function::new_no_args("const o = {}; o.self = o; return o;")
        .call0(&JsValue::UNDEFINED)
        .unwrap();
    t.track("call started".into(), cyclic, JsValue::UNDEFINED);
    let verdict = t.last_verdict();
    let violation = Array::from(&field(&verdict, "violations")).get(0);
    assert_eq!(field(&violation, "kind"), "invalid_input");
    assert_eq!(field(&verdict, "action"), "blocked");
    t.track(
        JsValue::from_f64(42.0),
        JsValue::UNDEFINED,
        JsValue::UNDEFINED,
    );
    let verdict = t.last_verdict();
    assert_eq!(field(&verdict, "ok"), JsValue::FALSE);
}

#[wasm_bindgen_test]
fn history_and_plan_serve_the_console() {
    let analytics = fake_analytics();
    let mut t = tracker("development", &analytics);
    t.track(
        "user signed up".into(),
        js(r#"{"user_type":"patient","signup_method":"email"}"#),
        JsValue::UNDEFINED,
    );
    t.track("nope".into(), JsValue::UNDEFINED, JsValue::UNDEFINED);
    t.validate(js(
        r#"{"type":"track","event":"call started","properties":{}}"#,
    ));
    let dry = t.last_verdict();
    assert_eq!(field(&dry, "ok"), JsValue::FALSE);
    let events = t.events();
    assert_eq!(events.length(), 2, "dry runs are not recorded");
    assert_eq!(field(&events.get(0), "seq"), 1.0);
    assert_eq!(
        field(&field(&events.get(0), "payload"), "signup_method"),
        "email"
    );
    t.clear_events();
    assert_eq!(t.events().length(), 0);

    let plan = t.plan();
    assert_eq!(field(&plan, "name"), "trackplan default plan");
    let names: Vec<_> = Array::from(&field(&plan, "events"))
        .iter()
        .map(|e| field(&e, "name").as_string().unwrap())
        .collect();
    assert!(names.contains(&"call ended".to_string()), "{names:?}");
    let identify = field(&plan, "identify");
    let user_type = Array::from(&field(&identify, "properties")).get(0);
    assert_eq!(field(&user_type, "required"), JsValue::TRUE);
    assert_eq!(Array::from(&field(&user_type, "allowed")).length(), 4);
}

#[wasm_bindgen_test]
fn set_up_mistakes_are_errors_that_say_what_to_fix() {
    let message = |options: &str| {
        let error = WasmTracker::new(js(options))
            .map(|_| ())
            .map_err(JsValue::from)
            .unwrap_err();
        js_sys::Error::from(error).message().as_string().unwrap()
    };
    assert!(message(r#"{"environment":"prod"}"#).contains("not one of production"));
    assert!(message(r#"{"policy":{"violations":"drop"}}"#).contains("'omit_properties'"));
    let bad_plan =
        message(r#"{"plan":{"rules":[{"key":"e","type":"TRACK","jsonSchema":{"pattern":"("}}]}}"#);
    assert!(bad_plan.contains("rule \"e\""), "{bad_plan}");
    assert!(
        bad_plan.contains("/rules/0/jsonSchema/pattern"),
        "{bad_plan}"
    );
}

#[wasm_bindgen_test]
fn the_test_environment_throws_and_patterns_use_the_pages_regexp() {
    let analytics = fake_analytics();
    let t = tracker("test", &analytics);
    assert!(t.throws_on_violation());
    let options = js(
        r#"{"plan":{"rules":[{"key":"e","type":"TRACK","jsonSchema":{
        "properties":{"id":{"type":"string","pattern":"^\\p{Lu}+$"}}}}]}}"#,
    );
    let mut t = WasmTracker::new(options).map_err(JsValue::from).unwrap();
    t.validate(js(r#"{"event":"e","properties":{"id":"ÉTÉ"}}"#));
    let ok = t.last_verdict();
    assert_eq!(field(&ok, "ok"), JsValue::TRUE);
    t.validate(js(r#"{"event":"e","properties":{"id":"été"}}"#));
    let bad = t.last_verdict();
    assert_eq!(field(&bad, "ok"), JsValue::FALSE);
}

#[wasm_bindgen_test]
fn plans_cross_as_text_or_object_with_any_characters() {
    let plan = r#"{"rules":[{"key":"été 🎉","type":"TRACK","jsonSchema":{
        "properties":{"mood":{"enum":["😀","ça"]}}}}]}"#;
    for given in [JsValue::from_str(plan), js(plan)] {
        let options = js(r#"{"environment":"production"}"#);
        Reflect::set(&options, &"plan".into(), &given).unwrap();
        let mut t = WasmTracker::new(options).map_err(JsValue::from).unwrap();
        t.validate(js(r#"{"event":"été 🎉","properties":{"mood":"😀"}}"#));
        assert_eq!(field(&t.last_verdict(), "ok"), JsValue::TRUE);
        t.validate(js(r#"{"event":"été 🎉","properties":{"mood":"ca"}}"#));
        assert_eq!(field(&t.last_verdict(), "ok"), JsValue::FALSE);
    }
    let options = js("{}");
    Reflect::set(&options, &"plan".into(), &Function::new_no_args("")).unwrap();
    let error = WasmTracker::new(options)
        .map(|_| ())
        .map_err(JsValue::from)
        .unwrap_err();
    let message = js_sys::Error::from(error).message().as_string().unwrap();
    assert!(message.contains("not data"), "{message}");
}
