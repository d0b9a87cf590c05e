//! The guide's conventions through the bindings, in headless Chromium: `setContext`
//! enrichment read back with [`REPORT_ADDED`], and identify's userId checks, hints and
//! the `identify: 'changed'` policy.

use js_sys::Array;
use wasm_bindgen::JsValue;
use wasm_bindgen_test::*;

use super::tests::{
    check, encoded, field, named, new_tracker, report, tracker, verdict, violation_kinds,
    DEVELOPMENT, IDENTIFY, PRODUCTION, TRACK,
};
use super::tracker::WasmTracker;
use crate::protocol::{
    FLAG_DRY_RUN, REPORT_ADDED, REPORT_HISTORY, REPORT_TASK_END, VERDICT_BLOCKED, VERDICT_CHANGED,
    VERDICT_DETAILS, VERDICT_OK,
};

#[wasm_bindgen_test]
fn context_reaches_only_the_events_that_declare_it_and_explicit_properties_win() {
    let mut t = tracker(DEVELOPMENT);
    assert_eq!(
        t.set_context(&named("episode_id", &encoded(r#""ep_1""#))),
        0
    );
    assert_eq!(
        t.set_context(&named("user_type", &encoded(r#""patient""#))),
        0
    );
    assert_eq!(
        t.set_context(&named("broken", &[6, 1])),
        1,
        "not a whole value"
    );
    assert_eq!(t.set_context(&[5, b'a']), 1, "a name past the input");
    let too_large = format!(r#""{}""#, "c".repeat(16 << 20));
    assert_eq!(
        t.set_context(&named("episode_id", &encoded(&too_large))),
        (16 << 20) + 2,
        "refused with its bytes of JSON, and the value set before kept"
    );
    let code = check(
        &mut t,
        TRACK,
        Some("call started"),
        r#"{"call_id":"call_1","user_type":"practitioner"}"#,
    );
    assert_eq!(
        code & 0xff,
        VERDICT_OK | VERDICT_CHANGED,
        "episode_id came from the context"
    );
    let added = report(&mut t, REPORT_ADDED);
    assert_eq!(field(&added, "episode_id"), "ep_1");
    assert!(
        field(&added, "user_type").is_undefined(),
        "explicit properties win"
    );

    check(
        &mut t,
        TRACK,
        Some("user signed up"),
        r#"{"signup_method":"email"}"#,
    );
    let added = report(&mut t, REPORT_ADDED);
    assert_eq!(field(&added, "user_type"), "patient");
    assert!(
        field(&added, "episode_id").is_undefined(),
        "user signed up does not declare episode_id"
    );

    assert_eq!(
        t.set_context(&named("episode_id", &encoded("null"))),
        0,
        "null removes it"
    );
    let code = check(
        &mut t,
        TRACK,
        Some("call started"),
        r#"{"call_id":"call_1"}"#,
    );
    assert_eq!(
        code & VERDICT_BLOCKED,
        VERDICT_BLOCKED,
        "episode_id is no longer added"
    );
}

#[wasm_bindgen_test]
fn identify_needs_a_user_id_and_an_email_is_only_a_hint() {
    let mut t = tracker(DEVELOPMENT);
    let traits = r#"{"user_type":"patient"}"#;
    let code = check(&mut t, IDENTIFY, None, traits);
    assert_eq!(code & (VERDICT_OK | VERDICT_BLOCKED), VERDICT_BLOCKED);
    assert_eq!(violation_kinds(&mut t), ["user-id-missing"]);

    let code = check(&mut t, IDENTIFY, Some("ada@example.com"), traits);
    assert_eq!(code & VERDICT_OK, VERDICT_OK);
    let hint = Array::from(&field(&verdict(&mut t), "hints")).get(0);
    assert_eq!(field(&hint, "kind"), "user-id-email");

    let hint = report(&mut t, REPORT_TASK_END);
    assert_eq!(field(&hint, "kind"), "identify-without-track");
    let last = Array::from(&report(&mut t, REPORT_HISTORY)).get(1);
    assert_eq!(
        Array::from(&field(&last, "hints")).length(),
        2,
        "the hint joins the identify's entry"
    );

    check(&mut t, IDENTIFY, Some("user_1"), traits);
    check(
        &mut t,
        TRACK,
        Some("user signed up"),
        r#"{"user_type":"patient","signup_method":"email"}"#,
    );
    assert_eq!(t.report(REPORT_TASK_END), "", "followed by a track");
    t.check(IDENTIFY, &encoded(traits), FLAG_DRY_RUN, 0);
    assert_eq!(violation_kinds(&mut t), ["user-id-missing"]);
}

/// The shim's policy override `identify: 'changed'` (see `Policy::override_by_code`).
const IDENTIFY_CHANGED: u32 = 2 << 10;

/// The strings of the array `key` of the last verdict, or of its hints' kinds.
fn strings(t: &mut WasmTracker, key: &str) -> Vec<String> {
    let items = Array::from(&field(&verdict(t), key));
    let item = |v: JsValue| match key {
        "hints" => field(&v, "kind"),
        _ => v,
    };
    items.iter().map(|v| item(v).as_string().unwrap()).collect()
}

#[wasm_bindgen_test]
fn a_repeated_identify_is_a_hint_by_default_and_reset_ends_the_session() {
    let traits = r#"{"user_type":"patient","email":"a@example.com"}"#;
    let mut t = tracker(DEVELOPMENT);
    assert_eq!(
        check(&mut t, IDENTIFY, Some("u1"), traits) & 0xff,
        VERDICT_OK
    );
    let code = check(&mut t, IDENTIFY, Some("u1"), traits);
    assert_eq!(
        code & 0xff,
        VERDICT_OK | VERDICT_DETAILS,
        "sent, with a hint"
    );
    assert_eq!(strings(&mut t, "hints"), ["identify-repeated"]);
    check(
        &mut t,
        IDENTIFY,
        Some("u1"),
        r#"{"user_type":"patient","email":"b@example.com"}"#,
    );
    assert_eq!(strings(&mut t, "hints"), ["identify-unchanged-traits"]);
    t.reset();
    assert_eq!(
        check(&mut t, IDENTIFY, Some("u1"), traits) & 0xff,
        VERDICT_OK,
        "a first identify again"
    );
}

#[wasm_bindgen_test]
fn under_identify_changed_a_repeat_is_skipped_and_an_update_sends_what_changed() {
    let mut t = new_tracker(None, PRODUCTION, IDENTIFY_CHANGED, -1.0).unwrap();
    let traits = r#"{"user_type":"patient","email":"a@example.com"}"#;
    assert_eq!(
        check(&mut t, IDENTIFY, Some("u1"), traits) & 0xff,
        VERDICT_OK
    );
    let code = check(&mut t, IDENTIFY, Some("u1"), traits);
    let kept = VERDICT_OK | VERDICT_BLOCKED | VERDICT_DETAILS;
    assert_eq!(
        code & kept,
        kept,
        "kept from analytics.js, and why is in the verdict"
    );
    assert_eq!(field(&verdict(&mut t), "action"), "skipped");
    assert_eq!(strings(&mut t, "unchanged"), ["user_type", "email"]);
    assert!(strings(&mut t, "hints").is_empty(), "the record says it");

    let update = r#"{"user_type":"patient","email":"b@example.com"}"#;
    let code = check(&mut t, IDENTIFY, Some("u1"), update);
    assert_eq!(
        code & 0xff,
        VERDICT_OK | VERDICT_CHANGED | VERDICT_DETAILS,
        "sent without what did not change"
    );
    assert_eq!(field(&verdict(&mut t), "action"), "sent");
    assert_eq!(strings(&mut t, "unchanged"), ["user_type"]);
}
