//! The bindings in headless Chromium: `check`'s verdict codes and flags, the reports the
//! shim reads back (verdict details, added context, history, plan, settings), and
//! set-up errors.

use js_sys::{Array, Reflect, JSON};
use wasm_bindgen::prelude::*;
use wasm_bindgen_test::*;

use crate::binary::Writer;
use crate::tracker::MAX_PAYLOAD_BYTES;

use super::tracker::WasmTracker;
use crate::protocol::{
    FLAG_DROPPED, FLAG_DRY_RUN, FLAG_HAS_NAME, FLAG_PAYLOAD_ERROR, FLAG_QUEUED, REPORT_ADDED,
    REPORT_HISTORY, REPORT_PLAN, REPORT_SETTINGS, REPORT_VERDICT, VERDICT_BLOCKED, VERDICT_CHANGED,
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

/// The shim's codes of the environments (their place in `protocol::ENVIRONMENTS`).
pub(super) const PRODUCTION: u32 = 0;
pub(super) const DEVELOPMENT: u32 = 2;
pub(super) const TEST: u32 = 3;

/// The shim's policy override `throwOnViolation: true` (see `Policy::override_by_code`).
const THROW_ON_VIOLATION: u32 = 1 << 6;

/// The package's demo plan, which most of these tests check calls against.
const DEMO_PLAN: &str = include_str!("../../plan/default.json");

/// A tracker of the demo plan, compiled as `trackplan build` compiles it, in
/// `environment` (a code as above), with the default policy and history.
pub(super) fn tracker(environment: u32) -> WasmTracker {
    new_tracker(None, environment, 0, -1.0).unwrap()
}

/// `new Tracker(plan, environment, overrides, historySize)`, with the plan's JSON text as
/// the shim encodes it (`None`: the demo plan in the binary form, as `compilePlan`
/// writes it); `Err` holds the message of the `Error` thrown.
pub(super) fn new_tracker(
    plan: Option<&str>,
    environment: u32,
    overrides: u32,
    history_size: f64,
) -> Result<WasmTracker, String> {
    let bytes = match plan {
        Some(text) => text.as_bytes().into(),
        None => super::tools::compile_plan(DEMO_PLAN, true)
            .map_err(|e| js_sys::Error::from(JsValue::from(e)).message())?
            .into(),
    };
    WasmTracker::new(bytes, environment, overrides, history_size)
        .map_err(|e| js_sys::Error::from(JsValue::from(e)).message().into())
}

/// A tracker of `plan` in development, with the default policy and history.
fn tracker_of(plan: &str) -> WasmTracker {
    new_tracker(Some(plan), DEVELOPMENT, 0, -1.0).unwrap()
}

/// One report, parsed.
pub(super) fn report(t: &mut WasmTracker, what: u32) -> JsValue {
    js(&t.report(what))
}

/// `check` of a call with a name (`None`: without one) and a JSON payload.
pub(super) fn check(t: &mut WasmTracker, kind: u32, name: Option<&str>, payload: &str) -> u32 {
    match name {
        Some(name) => t.check(kind, &named(name, &encoded(payload)), FLAG_HAS_NAME, 0),
        None => t.check(kind, &encoded(payload), 0, 0),
    }
}

/// The input `check` and `set_context` read for a call or context property named
/// `name`: the name as a string of the binary form, then `rest` (what `js/sdk/encode.js`
/// writes in the shim).
pub(super) fn named(name: &str, rest: &[u8]) -> Vec<u8> {
    let mut writer = Writer::default();
    writer.str(name);
    writer.bytes.extend_from_slice(rest);
    writer.bytes
}

/// A JSON value in the binary form `check` and `set_context` read (what `js/sdk/encode.js`
/// writes in the shim).
pub(super) fn encoded(json: &str) -> Vec<u8> {
    let mut writer = Writer::default();
    writer.value(&crate::json::parse(json).unwrap());
    writer.bytes
}

/// The last call's verdict, parsed.
pub(super) fn verdict(t: &mut WasmTracker) -> JsValue {
    report(t, REPORT_VERDICT)
}

/// The message of the last verdict's first violation.
fn first_violation_message(t: &mut WasmTracker) -> String {
    let first = Array::from(&field(&verdict(t), "violations")).get(0);
    field(&first, "message").as_string().unwrap()
}

/// The kinds of the last verdict's violations.
pub(super) fn violation_kinds(t: &mut WasmTracker) -> Vec<String> {
    Array::from(&field(&verdict(t), "violations"))
        .iter()
        .map(|v| field(&v, "kind").as_string().unwrap())
        .collect()
}

#[wasm_bindgen_test]
fn what_delivery_does_with_a_call_is_its_action_in_the_verdict_and_the_history() {
    let mut t = tracker(DEVELOPMENT);
    let valid = named(
        "call started",
        &encoded(r#"{"episode_id":"ep_1","call_id":"call_1","user_type":"patient"}"#),
    );
    let unplanned = named("Call Started", &encoded("{}"));
    t.check(TRACK, &valid, FLAG_HAS_NAME | FLAG_QUEUED, 0);
    t.check(TRACK, &valid, FLAG_HAS_NAME | FLAG_DROPPED, 0);
    t.check(TRACK, &unplanned, FLAG_HAS_NAME | FLAG_DROPPED, 0);
    assert_eq!(
        field(&verdict(&mut t), "action").as_string().as_deref(),
        Some("blocked"),
        "a call the policy blocks is blocked whatever delivery would do"
    );
    let actions: Vec<_> = Array::from(&report(&mut t, REPORT_HISTORY))
        .iter()
        .map(|entry| field(&entry, "action").as_string().unwrap())
        .collect();
    assert_eq!(actions, ["queued", "dropped", "blocked"]);
}

#[wasm_bindgen_test]
fn a_valid_call_is_one_code_with_nothing_to_read_back() {
    let mut t = tracker(DEVELOPMENT);
    let code = check(
        &mut t,
        TRACK,
        Some("call started"),
        r#"{"episode_id":"ep_1","call_id":"call_1","user_type":"patient"}"#,
    );
    assert_eq!(code & 0xff, VERDICT_OK, "ok, sent, no details, unchanged");
    assert_eq!(code >> 8, 1, "the rule's version");
    assert_eq!(t.report(REPORT_ADDED), "{}");
}

#[wasm_bindgen_test]
fn invalid_calls_are_blocked_with_violations_as_data() {
    let mut t = tracker(DEVELOPMENT);
    let code = check(
        &mut t,
        TRACK,
        Some("call ended"),
        r#"{"episode_id":"ep_1","call_id":"c","type":"Patient"}"#,
    );
    assert_eq!(code & 0xff, VERDICT_BLOCKED | VERDICT_DETAILS);
    let verdict = verdict(&mut t);
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
    let mut t = tracker(PRODUCTION);
    let settings = report(&mut t, REPORT_SETTINGS);
    assert_eq!(field(&settings, "forwardViolations"), JsValue::TRUE);
    assert_eq!(field(&settings, "planId"), "tp_trackplan_default");
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
    let verdict = verdict(&mut t);
    assert_eq!(field(&verdict, "action"), "sent");
    assert_eq!(
        Array::from(&field(&verdict, "omitted")).get(0),
        "channel_id"
    );
    assert_eq!(violation_kinds(&mut t), ["unplanned_property"]);
    let development = report(&mut tracker(DEVELOPMENT), REPORT_SETTINGS);
    assert_eq!(field(&development, "forwardViolations"), JsValue::FALSE);
}

#[wasm_bindgen_test]
fn identify_page_and_group_use_their_rules() {
    let mut t = tracker(DEVELOPMENT);
    let code = check(
        &mut t,
        IDENTIFY,
        Some("user_1"),
        r#"{"user_type":"Patient"}"#,
    );
    assert_eq!(code & VERDICT_OK, 0);
    assert_eq!(violation_kinds(&mut t), ["enum"]);
    assert!(
        field(&verdict(&mut t), "event").is_undefined(),
        "a userId is not an event name"
    );
    let code = check(&mut t, PAGE, Some("home"), "{}");
    assert_eq!(code & VERDICT_OK, VERDICT_OK);
    let code = check(&mut t, GROUP, Some("g_1"), r#"{"name":"Clinic"}"#);
    assert_eq!(code & VERDICT_OK, VERDICT_OK);
    let code = check(&mut t, GROUP, None, r#"{"name":"Clinic"}"#);
    assert_eq!(code & VERDICT_OK, 0, "a group call needs its groupId");
    assert_eq!(violation_kinds(&mut t), ["invalid_input"]);
    assert_eq!(
        t.check(7, &encoded("{}"), 0, 0),
        0,
        "an unknown method is nothing"
    );
    assert_eq!(
        Array::from(&report(&mut t, REPORT_HISTORY)).length(),
        4,
        "each call recorded"
    );
    assert_eq!(t.report(99), "", "an unknown report is empty");
}

#[wasm_bindgen_test]
fn what_could_not_be_stringified_or_named_is_invalid_input() {
    let mut t = tracker(PRODUCTION);
    let code = t.check(
        TRACK,
        &named("call started", b"Converting circular structure to JSON"),
        FLAG_HAS_NAME | FLAG_PAYLOAD_ERROR,
        0,
    );
    assert_eq!(code & VERDICT_BLOCKED, VERDICT_BLOCKED);
    assert_eq!(violation_kinds(&mut t), ["invalid_input"]);
    let message = first_violation_message(&mut t);
    assert!(message.contains("circular"), "{message}");
    check(&mut t, TRACK, None, "{}");
    assert_eq!(violation_kinds(&mut t), ["unplanned_event"]);
    let valid = encoded(r#"{"episode_id":"e","call_id":"c","user_type":"patient"}"#);
    // An object of two members that ends after its tag and count.
    t.check(TRACK, &named("call started", &[6, 2]), FLAG_HAS_NAME, 0);
    assert_eq!(violation_kinds(&mut t), ["invalid_input"]);
    // A name whose length runs past the input, and one that is not UTF-8.
    for input in [&[9, b'a'][..], &[1, 0xFF, 6, 0]] {
        let code = t.check(TRACK, input, FLAG_HAS_NAME, 0);
        assert_eq!(code & VERDICT_BLOCKED, VERDICT_BLOCKED);
        assert_eq!(violation_kinds(&mut t), ["invalid_input"], "{input:?}");
    }
    // A name given without FLAG_HAS_NAME is bytes before the payload.
    t.check(TRACK, &named("call started", &valid), 0, 0);
    assert_eq!(violation_kinds(&mut t), ["invalid_input"]);
    let mut trailing = valid.clone();
    trailing.push(0);
    t.check(TRACK, &named("call started", &trailing), FLAG_HAS_NAME, 0);
    assert_eq!(
        violation_kinds(&mut t),
        ["invalid_input"],
        "bytes after the value"
    );
    let code = t.check(TRACK, &named("call started", &valid), FLAG_HAS_NAME, 0);
    assert_eq!(code & VERDICT_OK, VERDICT_OK);
}

#[wasm_bindgen_test]
fn what_the_shim_sends_beside_the_payload_counts_toward_the_size_limit() {
    let mut t = tracker(PRODUCTION);
    let payload = r#"{"episode_id":"e","call_id":"c","user_type":"patient"}"#;
    let valid = named("call started", &encoded(payload));
    let beside = (MAX_PAYLOAD_BYTES - payload.len()) as u32;
    let code = t.check(TRACK, &valid, FLAG_HAS_NAME, beside);
    assert_eq!(code & VERDICT_OK, VERDICT_OK, "at the limit is within it");
    let code = t.check(TRACK, &valid, FLAG_HAS_NAME, beside + 1);
    assert_eq!(
        code & VERDICT_BLOCKED,
        VERDICT_BLOCKED,
        "a byte more is over"
    );
    assert_eq!(violation_kinds(&mut t), ["size"]);
    let code = t.check(TRACK, &valid, FLAG_HAS_NAME, 40 * 1024);
    assert_eq!(code & VERDICT_BLOCKED, VERDICT_BLOCKED);
    let message = first_violation_message(&mut t);
    assert!(message.contains("40 KB of JSON"), "{message}");
}

#[wasm_bindgen_test]
fn dry_runs_and_history_serve_the_console() {
    let mut t = tracker(DEVELOPMENT);
    check(
        &mut t,
        TRACK,
        Some("user signed up"),
        r#"{"user_type":"patient","signup_method":"email"}"#,
    );
    check(&mut t, TRACK, Some("nope"), "{}");
    let code = t.check(
        TRACK,
        &named("call started", &encoded("{}")),
        FLAG_HAS_NAME | FLAG_DRY_RUN,
        0,
    );
    assert_eq!(code & VERDICT_OK, 0);
    let events = Array::from(&report(&mut t, REPORT_HISTORY));
    assert_eq!(events.length(), 2, "dry runs are not recorded");
    assert_eq!(field(&events.get(0), "seq"), 1.0);
    assert_eq!(
        field(&field(&events.get(0), "payload"), "signup_method"),
        "email"
    );

    let plan = report(&mut t, REPORT_PLAN);
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
    let plan = r#"{"rules":[
        {"key":"e","type":"TRACK","version":1,"jsonSchema":{"required":["a"]}},
        {"key":"e","type":"TRACK","version":2,"jsonSchema":{"required":["b"]}}]}"#;
    let mut t = tracker_of(plan);
    assert_eq!(
        check(&mut t, TRACK, Some("e"), r#"{"b":1}"#) >> 8,
        2,
        "newest"
    );
    let code = t.check(
        TRACK,
        &named("e", &encoded(r#"{"b":1}"#)),
        FLAG_HAS_NAME | (1 << 8),
        0,
    );
    assert_eq!((code & VERDICT_OK, code >> 8), (0, 1), "version 1 needs a");
}

#[wasm_bindgen_test]
fn set_up_mistakes_are_errors_that_say_what_to_fix() {
    // The environment and policy are checked by the shim (`createCore`, tested in Node).
    let message = |plan: &str| {
        new_tracker(Some(plan), DEVELOPMENT, 0, -1.0)
            .map(|_| ())
            .unwrap_err()
    };
    let bad_plan =
        message(r#"{"rules":[{"key":"e","type":"TRACK","jsonSchema":{"pattern":"("}}]}"#);
    assert!(bad_plan.contains("rule \"e\""), "{bad_plan}");
    assert!(
        bad_plan.contains("/rules/0/jsonSchema/pattern"),
        "{bad_plan}"
    );
    // The page's RegExp says what is wrong with the pattern (V8's wording).
    assert!(
        bad_plan.contains("Invalid regular expression: /(/u: Unterminated group"),
        "{bad_plan}"
    );
    assert!(message("{").contains("not valid JSON"));
    assert!(
        message("").contains("not valid JSON"),
        "an empty plan is no plan"
    );
    let not_utf8 = WasmTracker::new([0x7b, 0xff, 0x7d].into(), DEVELOPMENT, 0, -1.0).map(|_| ());
    assert!(not_utf8.is_err(), "bytes that are not UTF-8");
}

#[wasm_bindgen_test]
fn options_fall_back_to_the_defaults_and_production_never_throws() {
    let mut t = new_tracker(None, DEVELOPMENT, 0, 1.0).unwrap();
    check(&mut t, PAGE, Some("one"), "{}");
    check(&mut t, PAGE, Some("two"), "{}");
    assert_eq!(Array::from(&report(&mut t, REPORT_HISTORY)).length(), 1);
    let development = report(&mut t, REPORT_SETTINGS);
    assert_eq!(field(&development, "throwOnViolation"), JsValue::FALSE);
    assert!(field(&development, "warning").is_undefined());

    let mut production = new_tracker(None, PRODUCTION, THROW_ON_VIOLATION, -1.0).unwrap();
    let settings = report(&mut production, REPORT_SETTINGS);
    assert_eq!(field(&settings, "throwOnViolation"), JsValue::FALSE);
    let warning = field(&settings, "warning").as_string().unwrap();
    assert!(warning.contains("production never throws"), "{warning}");

    let mut t = tracker(DEVELOPMENT);
    for page in ["one", "two", "three"] {
        check(&mut t, PAGE, Some(page), "{}");
    }
    assert_eq!(
        Array::from(&report(&mut t, REPORT_HISTORY)).length(),
        3,
        "a negative size is the default"
    );
}

#[wasm_bindgen_test]
fn policy_overrides_cross_as_their_code() {
    const UNPLANNED_EVENTS_ALLOW: u32 = 1;
    const FORWARD_VIOLATIONS: u32 = 1 << 8;
    assert_eq!(
        check(&mut tracker(DEVELOPMENT), TRACK, Some("nope"), "{}") & VERDICT_BLOCKED,
        VERDICT_BLOCKED
    );
    let mut t = new_tracker(
        None,
        DEVELOPMENT,
        UNPLANNED_EVENTS_ALLOW | FORWARD_VIOLATIONS | THROW_ON_VIOLATION,
        -1.0,
    )
    .unwrap();
    assert_eq!(
        check(&mut t, TRACK, Some("nope"), "{}") & VERDICT_BLOCKED,
        0
    );
    let settings = report(&mut t, REPORT_SETTINGS);
    assert_eq!(field(&settings, "throwOnViolation"), JsValue::TRUE);
    assert_eq!(field(&settings, "forwardViolations"), JsValue::TRUE);
}

#[wasm_bindgen_test]
fn the_test_environment_throws_and_patterns_use_the_pages_regexp() {
    let settings = report(&mut tracker(TEST), REPORT_SETTINGS);
    assert_eq!(field(&settings, "throwOnViolation"), JsValue::TRUE);
    let plan = r#"{"rules":[{"key":"e","type":"TRACK","jsonSchema":{
        "properties":{"id":{"type":"string","pattern":"^\\p{Lu}+$"}}}}]}"#;
    let mut t = tracker_of(plan);
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
fn plans_cross_as_utf8_bytes_with_any_characters() {
    let plan = r#"{"rules":[{"key":"été 🎉","type":"TRACK","jsonSchema":{
        "properties":{"mood":{"enum":["😀","ça"]}}}}]}"#;
    let mut t = new_tracker(Some(plan), PRODUCTION, 0, -1.0).unwrap();
    let valid = check(&mut t, TRACK, Some("été 🎉"), r#"{"mood":"😀"}"#);
    assert_eq!(valid & VERDICT_OK, VERDICT_OK);
    let invalid = check(&mut t, TRACK, Some("été 🎉"), r#"{"mood":"ca"}"#);
    assert_eq!(invalid & VERDICT_OK, 0);
    assert!(field(&report(&mut t, REPORT_SETTINGS), "planId").is_null());
}
