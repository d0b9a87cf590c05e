//! The guide's conventions through the bindings, in headless Chromium: `setContext`
//! enrichment read back with [`REPORT_ADDED`], and identify's userId checks and hint.

use js_sys::Array;
use wasm_bindgen_test::*;

use super::tests::{
    check, encoded, field, named, report, tracker, verdict, violation_kinds, DEVELOPMENT, IDENTIFY,
    TRACK,
};
use crate::protocol::{
    FLAG_DRY_RUN, REPORT_ADDED, REPORT_HISTORY, REPORT_TASK_END, VERDICT_BLOCKED, VERDICT_CHANGED,
    VERDICT_OK,
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
