//! `lintPlanJson` through the bindings, in headless Chromium (the `full` build).

use js_sys::{Array, Object};
use wasm_bindgen::prelude::*;
use wasm_bindgen_test::*;

use super::lint::lint_plan_json;
use super::tests::{field, js};

#[wasm_bindgen_test]
fn lint_plan_returns_findings_as_json() {
    let plan = r#"{"rules":[{"key":"Call Started","type":"TRACK","jsonSchema":{"properties":{"call_id":{}}}}]}"#;
    let report = js(&lint_plan_json(plan).map_err(JsValue::from).unwrap());
    assert_eq!(field(&report, "errors"), 1.0);
    let finding = Array::from(&field(&report, "findings")).get(0);
    assert_eq!(field(&finding, "rule"), "event-name-lower-case");
    assert_eq!(field(&finding, "severity"), "error");
    assert_eq!(field(&finding, "event"), "Call Started");
    assert_eq!(field(&finding, "fix"), "rename it `call started`");
    assert_eq!(Object::keys(finding.unchecked_ref::<Object>()).length(), 6);
    let error = lint_plan_json("{")
        .map(|_| ())
        .map_err(JsValue::from)
        .unwrap_err();
    let message = js_sys::Error::from(error).message().as_string().unwrap();
    assert!(message.contains("not valid JSON"), "{message}");
}
