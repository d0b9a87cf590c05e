//! The official JSON Schema Test Suite in headless Chromium, through the same core and
//! the page's own `RegExp` (the native run is `tests/json_schema_suite.rs`). The suite's
//! files are bundled at build time by `build.rs`.

use wasm_bindgen_test::*;

use super::regex::JsRegex;

#[allow(dead_code)]
mod bundled {
    include!(concat!(env!("OUT_DIR"), "/json_schema_suite.rs"));
}

#[path = "../../tests/suite/mod.rs"]
mod suite;

/// Optional ECMA-262 regex tests the browser run does not pass: file, test, why.
const EXPECTED_REGEX_FAILURES: &[(&str, &str, &str)] = &[];

fn owned(files: &[(&str, &str)], keep: impl Fn(&str) -> bool) -> Vec<(String, String)> {
    files
        .iter()
        .filter(|(name, _)| keep(name))
        .map(|(name, text)| (name.to_string(), text.to_string()))
        .collect()
}

#[wasm_bindgen_test]
fn json_schema_test_suite_passes_in_the_browser() {
    if !bundled::FOUND {
        let notice = "json-schema-test-suite: not found when built (set JSON_SCHEMA_TEST_SUITE)";
        assert!(option_env!("CI") != Some("true"), "{notice}");
        console_log!("{notice}: skipped");
        return;
    }
    let remotes = suite::Remotes::new(owned(bundled::REMOTES, |_| true)).expect("remotes");
    let mut regex = JsRegex::default();
    let required = suite::run(
        &owned(bundled::REQUIRED, |_| true),
        &mut regex,
        &remotes,
        &[],
    );
    console_log!(
        "json-schema-test-suite draft7: {}/{} passed",
        required.passed,
        required.total
    );
    let formats: Vec<(String, String)> = owned(bundled::FORMATS, |name| {
        suite::FORMAT_FILES
            .iter()
            .any(|f| name == format!("{f}.json"))
    })
    .into_iter()
    .map(|(name, text)| (name.trim_end_matches(".json").to_string(), text))
    .collect();
    let optional = suite::run(
        &formats,
        &mut regex,
        &remotes,
        suite::EXPECTED_FORMAT_FAILURES,
    );
    console_log!(
        "json-schema-test-suite draft7 formats: {}/{} passed",
        optional.passed,
        optional.total
    );
    let regexes = owned(bundled::OPTIONAL, |name| name == "ecmascript-regex.json");
    let ecmascript = suite::run(&regexes, &mut regex, &remotes, EXPECTED_REGEX_FAILURES);
    console_log!(
        "json-schema-test-suite draft7 ecmascript-regex: {}/{} passed",
        ecmascript.passed,
        ecmascript.total
    );
    let problems = [required.problems, optional.problems, ecmascript.problems].concat();
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}
