//! The tools' exports through the bindings, in headless Chromium (the `full` build):
//! reports as JavaScript objects.

use js_sys::{Array, Object};
use wasm_bindgen::prelude::*;
use wasm_bindgen_test::*;

use super::tests::field;
use super::tools::{compile_plan, lint_plan, plan_needs, plan_rules};

#[wasm_bindgen_test]
fn lint_plan_returns_findings_as_an_object() {
    let plan = r#"{"rules":[{"key":"Call Started","type":"TRACK","jsonSchema":{"properties":{"call_id":{}}}}]}"#;
    let report = lint_plan(plan).map_err(JsValue::from).unwrap();
    assert_eq!(field(&report, "errors"), 1.0);
    let finding = Array::from(&field(&report, "findings")).get(0);
    assert_eq!(field(&finding, "rule"), "event-name-lower-case");
    assert_eq!(field(&finding, "severity"), "error");
    assert_eq!(field(&finding, "event"), "Call Started");
    assert_eq!(field(&finding, "fix"), "rename it `call started`");
    assert_eq!(Object::keys(finding.unchecked_ref::<Object>()).length(), 6);
    let error = lint_plan("{")
        .map(|_| ())
        .map_err(JsValue::from)
        .unwrap_err();
    let message = js_sys::Error::from(error).message().as_string().unwrap();
    assert!(message.contains("not valid JSON"), "{message}");
}

#[wasm_bindgen_test]
fn plan_rules_are_objects_with_their_schema_as_json_has_it() {
    let plan = r#"{"rules":[{"key":"a b","type":"TRACK","version":2,"jsonSchema":{"properties":{"n":{"enum":[1,null,"x"]}}}},{"type":"IDENTIFY","jsonSchema":{}}]}"#;
    let rules = Array::from(&plan_rules(plan).map_err(JsValue::from).unwrap());
    assert_eq!(rules.length(), 2);
    let first = rules.get(0);
    assert_eq!(field(&first, "kind"), "track");
    assert_eq!(field(&first, "version"), 2.0);
    assert!(field(&first, "description").is_undefined());
    let schema = js_sys::JSON::stringify(&field(&first, "schema")).unwrap();
    assert_eq!(schema, r#"{"properties":{"n":{"enum":[1,null,"x"]}}}"#);
    assert_eq!(field(&rules.get(1), "kind"), "identify");
}

#[wasm_bindgen_test]
fn a_plan_needs_the_smallest_core_that_keeps_what_it_uses() {
    let needs = |schema: &str| {
        let plan = format!(r#"{{"rules":[{{"key":"a b","type":"TRACK","jsonSchema":{schema}}}]}}"#);
        let bytes = compile_plan(&plan, false).map_err(JsValue::from).unwrap();
        plan_needs(&bytes).map_err(JsValue::from).unwrap()
    };
    let lean = needs(r#"{"properties":{"at":{"format":"date-time"}},"required":["at"]}"#);
    assert_eq!(field(&lean, "core"), "lean");
    let uses: Vec<_> = Array::from(&field(&lean, "uses"))
        .iter()
        .filter_map(|u| u.as_string())
        .collect();
    assert_eq!(
        uses,
        ["format", "required", "properties", "format: \"date-time\""]
    );
    let complete = needs(r#"{"properties":{"site":{"format":"uri"}},"oneOf":[{},{}]}"#);
    assert_eq!(field(&complete, "core"), "complete");
    let basic = needs(r#"{"properties":{"n":{"type":"integer","maximum":9}},"required":["n"]}"#);
    assert_eq!(field(&basic, "core"), "basic");
}
