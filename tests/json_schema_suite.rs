//! Runs the official JSON-Schema-Test-Suite against trackplan's validator, natively.
//!
//! The suite is read from `../shared/conformance/json-schema-test-suite/` (relative to
//! the crate), or from the directory in `JSON_SCHEMA_TEST_SUITE`. Without it the run
//! prints a notice and passes, except when `CI=true`, where a missing suite fails.
//!
//! Every file of `tests/draft7/*.json` must pass; the optional format files of
//! [`suite::FORMAT_FILES`] must pass but for [`suite::EXPECTED_FORMAT_FAILURES`]. Prints
//! one summary line for each, and panics listing every failing file / case / test.
//! (A plain `main`, `harness = false`, so the two lines always show.)

#[cfg(not(target_arch = "wasm32"))]
mod suite;

#[cfg(not(target_arch = "wasm32"))]
fn main() {
    use trackplan::regex::NativeRegex;

    let root = suite::root();
    let draft7 = root.join("tests/draft7");
    if !draft7.is_dir() {
        let notice = format!(
            "json-schema-test-suite: not found at {} (set JSON_SCHEMA_TEST_SUITE)",
            root.display()
        );
        assert!(std::env::var("CI").as_deref() != Ok("true"), "{notice}");
        println!("{notice}: skipped");
        return;
    }

    let remotes = suite::remotes(&root);
    let mut regex = NativeRegex::default();
    let required = suite::run(
        &suite::json_files(&draft7, false),
        &mut regex,
        &remotes,
        &[],
    );
    println!(
        "json-schema-test-suite draft7: {}/{} passed",
        required.passed, required.total
    );
    let formats = suite::format_files(&draft7);
    let optional = suite::run(
        &formats,
        &mut regex,
        &remotes,
        suite::EXPECTED_FORMAT_FAILURES,
    );
    println!(
        "json-schema-test-suite draft7 formats: {}/{} passed",
        optional.passed, optional.total
    );

    let problems = [required.problems, optional.problems].concat();
    assert!(
        problems.is_empty(),
        "{} JSON Schema Test Suite problems:\n{}",
        problems.len(),
        problems.join("\n")
    );
}

/// In the browser the suite runs through the wasm bindings instead.
#[cfg(target_arch = "wasm32")]
fn main() {}
