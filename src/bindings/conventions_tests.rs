//! The guide's conventions through the bindings, in headless Chromium: `setContext`
//! enrichment of what reaches analytics.js, and identify's userId checks and hint.

use js_sys::Array;
use wasm_bindgen::prelude::*;
use wasm_bindgen_test::*;

use super::tests::{calls, fake_analytics, field, js, tracker};

/// The properties of the `index`th call delegated to analytics.
fn delegated(analytics: &JsValue, index: u32) -> JsValue {
    Array::from(&calls(analytics).get(index)).get(2)
}

#[wasm_bindgen_test]
fn context_reaches_only_the_events_that_declare_it_and_explicit_properties_win() {
    let analytics = fake_analytics();
    let mut t = tracker("development", &analytics);
    t.set_context(js(r#"{"episode_id":"ep_1","user_type":"patient"}"#));
    let props = js(r#"{"call_id":"call_1","user_type":"practitioner"}"#);
    t.track("call started".into(), props.clone(), JsValue::UNDEFINED);
    let verdict = t.last_verdict();
    assert_eq!(
        field(&verdict, "ok"),
        JsValue::TRUE,
        "episode_id came from the context"
    );
    let sent = delegated(&analytics, 0);
    assert_eq!(field(&sent, "episode_id"), "ep_1");
    assert_eq!(
        field(&sent, "user_type"),
        "practitioner",
        "explicit properties win"
    );
    assert!(
        field(&props, "episode_id").is_undefined(),
        "the page's object is untouched"
    );

    t.track(
        "user signed up".into(),
        js(r#"{"signup_method":"email"}"#),
        JsValue::UNDEFINED,
    );
    let sent = delegated(&analytics, 1);
    assert_eq!(field(&sent, "user_type"), "patient");
    assert!(
        field(&sent, "episode_id").is_undefined(),
        "user signed up does not declare episode_id"
    );

    t.set_context(js(r#"{"episode_id":null}"#));
    t.track(
        "call started".into(),
        js(r#"{"call_id":"call_1"}"#),
        JsValue::UNDEFINED,
    );
    let verdict = t.last_verdict();
    assert_eq!(
        field(&verdict, "action"),
        "blocked",
        "episode_id is no longer added"
    );
    assert_eq!(calls(&analytics).length(), 2);
}

#[wasm_bindgen_test]
fn identify_needs_a_user_id_and_an_email_is_only_a_hint() {
    let analytics = fake_analytics();
    let mut t = tracker("development", &analytics);
    let traits = || js(r#"{"user_type":"patient"}"#);
    t.identify(JsValue::UNDEFINED, traits(), JsValue::UNDEFINED);
    let verdict = t.last_verdict();
    assert_eq!(field(&verdict, "ok"), JsValue::FALSE);
    assert_eq!(field(&verdict, "action"), "blocked");
    let violation = Array::from(&field(&verdict, "violations")).get(0);
    assert_eq!(field(&violation, "kind"), "user-id-missing");

    t.identify("ada@example.com".into(), traits(), JsValue::UNDEFINED);
    let verdict = t.last_verdict();
    assert_eq!(field(&verdict, "ok"), JsValue::TRUE);
    assert_eq!(field(&verdict, "action"), "sent");
    let hint = Array::from(&field(&verdict, "hints")).get(0);
    assert_eq!(field(&hint, "kind"), "user-id-email");
    assert_eq!(calls(&analytics).length(), 1);

    let hint = t.end_task();
    assert_eq!(field(&hint, "kind"), "identify-without-track");
    let last = t.events().get(1);
    assert_eq!(
        Array::from(&field(&last, "hints")).length(),
        2,
        "the hint joins the identify's entry"
    );

    t.identify("user_1".into(), traits(), JsValue::UNDEFINED);
    t.track(
        "user signed up".into(),
        js(r#"{"user_type":"patient","signup_method":"email"}"#),
        JsValue::UNDEFINED,
    );
    assert!(t.end_task().is_undefined(), "followed by a track");
    t.validate(js(
        r#"{"type":"identify","traits":{"user_type":"patient"}}"#,
    ));
    let dry = t.last_verdict();
    assert_eq!(
        field(&Array::from(&field(&dry, "violations")).get(0), "kind"),
        "user-id-missing"
    );
}
