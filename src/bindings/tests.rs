//! The bindings in headless Chromium: `check`'s verdict codes and flags, the verdict
//! details and added context the shim reads back, the history and plan the console
//! shows, and set-up errors.

use js_sys::{Array, Function, Reflect, JSON};
use wasm_bindgen::prelude::*;
use wasm_bindgen_test::*;

use super::tracker::{
    WasmTracker, FLAG_DRY_RUN, FLAG_HAS_NAME, FLAG_PAYLOAD_ERROR, VERDICT_BLOCKED, VERDICT_CHANGED,
    VERDICT_DETAILS, VERDICT_OK,
};

wasm_bindgen_test_configure!(run_in_browser);

/// `check`'s method numbers.
pub(super) const TRACK: u32 = 0;
pub(super) const IDENTIFY: u32 = 1;
pub(super) const PAGE: u32 = 2;
pub(super) const GROUP: u32 = 3;

pub(super) fn js(text: &str) -> JsValue {
    JSON::parse(text).expect("test JSON")
}

pub(super) fn field(value: &JsValue, key: &str) -> JsValue {
    Reflect::get(value, &key.into()).unwrap()
}

pub(super) fn tracker(environment: &str) -> WasmTracker {
    WasmTracker::new(js(&format!(r#"{{"environment":"{environment}"}}"#)))
        .map_err(JsValue::from)
        .unwrap()
}

/// `check` of a call with a name (`None`: without one) and a JSON payload.
pub(super) fn check(t: &mut WasmTracker, kind: u32, name: Option<&str>, payload: &str) -> u32 {
    let flags = if name.is_some() { FLAG_HAS_NAME } else { 0 };
    t.check(kind, name.unwrap_or(""), payload, flags)
}

/// The last call's verdict, parsed.
pub(super) fn verdict(t: &WasmTracker) -> JsValue {
    js(&t.last_verdict_json().expect("a call was made"))
}

/// The kinds of the last verdict's violations.
pub(super) fn violation_kinds(t: &WasmTracker) -> Vec<String> {
    Array::from(&field(&verdict(t), "violations"))
        .iter()
        .map(|v| field(&v, "kind").as_string().unwrap())
        .collect()
}

#[wasm_bindgen_test]
fn a_valid_call_is_one_code_with_nothing_to_read_back() {
    let mut t = tracker("development");
    let code = check(
        &mut t,
        TRACK,
        Some("call started"),
        r#"{"episode_id":"ep_1","call_id":"call_1","user_type":"patient"}"#,
    );
    assert_eq!(code & 0xff, VERDICT_OK, "ok, sent, no details, unchanged");
    assert_eq!(code >> 8, 1, "the rule's version");
    assert_eq!(t.last_added_json(), "{}");
}

#[wasm_bindgen_test]
fn invalid_calls_are_blocked_with_violations_as_data() {
    let mut t = tracker("development");
    let code = check(
        &mut t,
        TRACK,
        Some("call ended"),
        r#"{"episode_id":"ep_1","call_id":"c","type":"Patient"}"#,
    );
    assert_eq!(code & 0xff, VERDICT_BLOCKED | VERDICT_DETAILS);
    let verdict = verdict(&t);
    assert_eq!(field(&verdict, "ok"), JsValue::FALSE);
    assert_eq!(field(&verdict, "action"), "blocked");
    assert_eq!(field(&verdict, "event"), "call ended");
    let violation = Array::from(&field(&verdict, "violations")).get(0);
    assert_eq!(field(&violation, "kind"), "enum");
    assert_eq!(field(&violation, "path"), "/type");
    assert_eq!(field(&violation, "schemaPath"), "/properties/type/enum");
}

#[wasm_bindgen_test]
fn production_omits_unplanned_properties_and_forwards_violations() {
    let mut t = tracker("production");
    assert!(t.forwards_violations());
    assert_eq!(t.plan_id().as_deref(), Some("tp_trackplan_default"));
    let code = check(
        &mut t,
        TRACK,
        Some("call started"),
        r#"{"episode_id":"ep_1","call_id":"c","user_type":"patient","channel_id":"x"}"#,
    );
    assert_eq!(
        code & 0xff,
        VERDICT_DETAILS | VERDICT_CHANGED,
        "sent, changed"
    );
    let verdict = verdict(&t);
    assert_eq!(field(&verdict, "action"), "sent");
    assert_eq!(
        Array::from(&field(&verdict, "omitted")).get(0),
        "channel_id"
    );
    assert_eq!(violation_kinds(&t), ["unplanned_property"]);
    assert!(!tracker("development").forwards_violations());
}

#[wasm_bindgen_test]
fn identify_page_and_group_use_their_rules() {
    let mut t = tracker("development");
    let code = check(
        &mut t,
        IDENTIFY,
        Some("user_1"),
        r#"{"user_type":"Patient"}"#,
    );
    assert_eq!(code & VERDICT_OK, 0);
    assert_eq!(violation_kinds(&t), ["enum"]);
    assert!(
        field(&verdict(&t), "event").is_undefined(),
        "a userId is not an event name"
    );
    let code = check(&mut t, PAGE, Some("home"), "{}");
    assert_eq!(code & VERDICT_OK, VERDICT_OK);
    let code = check(&mut t, GROUP, None, r#"{"name":"Clinic"}"#);
    assert_eq!(code & VERDICT_OK, VERDICT_OK);
    assert_eq!(t.check(7, "", "{}", 0), 0, "an unknown method is nothing");
    assert_eq!(Array::from(&js(&t.events_json())).length(), 3);
}

#[wasm_bindgen_test]
fn what_could_not_be_stringified_or_named_is_invalid_input() {
    let mut t = tracker("production");
    let code = t.check(
        TRACK,
        "call started",
        "Converting circular structure to JSON",
        FLAG_HAS_NAME | FLAG_PAYLOAD_ERROR,
    );
    assert_eq!(code & VERDICT_BLOCKED, VERDICT_BLOCKED);
    assert_eq!(violation_kinds(&t), ["invalid_input"]);
    let message = field(
        &Array::from(&field(&verdict(&t), "violations")).get(0),
        "message",
    );
    assert!(
        message.as_string().unwrap().contains("circular"),
        "{message:?}"
    );
    check(&mut t, TRACK, None, "{}");
    assert_eq!(violation_kinds(&t), ["unplanned_event"]);
    check(&mut t, TRACK, Some("call started"), "{\"a\":");
    assert_eq!(violation_kinds(&t), ["invalid_input"]);
}

#[wasm_bindgen_test]
fn dry_runs_and_history_serve_the_console() {
    let mut t = tracker("development");
    check(
        &mut t,
        TRACK,
        Some("user signed up"),
        r#"{"user_type":"patient","signup_method":"email"}"#,
    );
    check(&mut t, TRACK, Some("nope"), "{}");
    let code = t.check(TRACK, "call started", "{}", FLAG_HAS_NAME | FLAG_DRY_RUN);
    assert_eq!(code & VERDICT_OK, 0);
    let events = Array::from(&js(&t.events_json()));
    assert_eq!(events.length(), 2, "dry runs are not recorded");
    assert_eq!(field(&events.get(0), "seq"), 1.0);
    assert_eq!(
        field(&field(&events.get(0), "payload"), "signup_method"),
        "email"
    );

    let plan = js(&t.plan_json());
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
fn the_version_asked_for_is_in_the_flags() {
    let options = js(r#"{"plan":{"rules":[
        {"key":"e","type":"TRACK","version":1,"jsonSchema":{"required":["a"]}},
        {"key":"e","type":"TRACK","version":2,"jsonSchema":{"required":["b"]}}]}}"#);
    let mut t = WasmTracker::new(options).map_err(JsValue::from).unwrap();
    assert_eq!(
        check(&mut t, TRACK, Some("e"), r#"{"b":1}"#) >> 8,
        2,
        "newest"
    );
    let code = t.check(TRACK, "e", r#"{"b":1}"#, FLAG_HAS_NAME | (1 << 8));
    assert_eq!((code & VERDICT_OK, code >> 8), (0, 1), "version 1 needs a");
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
    let t = tracker("test");
    assert!(t.throws_on_violation());
    let options = js(
        r#"{"plan":{"rules":[{"key":"e","type":"TRACK","jsonSchema":{
        "properties":{"id":{"type":"string","pattern":"^\\p{Lu}+$"}}}}]}}"#,
    );
    let mut t = WasmTracker::new(options).map_err(JsValue::from).unwrap();
    assert_eq!(
        check(&mut t, TRACK, Some("e"), r#"{"id":"ÉTÉ"}"#) & VERDICT_OK,
        VERDICT_OK
    );
    assert_eq!(
        check(&mut t, TRACK, Some("e"), r#"{"id":"été"}"#) & VERDICT_OK,
        0
    );
}

#[wasm_bindgen_test]
fn plans_cross_as_text_or_object_with_any_characters() {
    let plan = r#"{"rules":[{"key":"été 🎉","type":"TRACK","jsonSchema":{
        "properties":{"mood":{"enum":["😀","ça"]}}}}]}"#;
    for given in [JsValue::from_str(plan), js(plan)] {
        let options = js(r#"{"environment":"production"}"#);
        Reflect::set(&options, &"plan".into(), &given).unwrap();
        let mut t = WasmTracker::new(options).map_err(JsValue::from).unwrap();
        let valid = check(&mut t, TRACK, Some("été 🎉"), r#"{"mood":"😀"}"#);
        assert_eq!(valid & VERDICT_OK, VERDICT_OK);
        let invalid = check(&mut t, TRACK, Some("été 🎉"), r#"{"mood":"ca"}"#);
        assert_eq!(invalid & VERDICT_OK, 0);
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
