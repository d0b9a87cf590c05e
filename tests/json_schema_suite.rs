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

mod suite;

#[cfg(not(target_arch = "wasm32"))]
fn main() {
    use std::path::{Path, PathBuf};
    use trackplan::regex::NativeRegex;

    /// The `.json` files below `dir`, as (path relative to `dir`, text), in path order.
    fn json_files(dir: &Path, recursive: bool) -> Vec<(String, String)> {
        let mut out = Vec::new();
        let mut todo = vec![dir.to_path_buf()];
        while let Some(at) = todo.pop() {
            let entries =
                std::fs::read_dir(&at).unwrap_or_else(|e| panic!("{}: {e}", at.display()));
            for path in entries.map(|e| e.expect("directory entry").path()) {
                if path.is_dir() && recursive {
                    todo.push(path);
                } else if path.extension().is_some_and(|x| x == "json") {
                    let text = std::fs::read_to_string(&path)
                        .unwrap_or_else(|e| panic!("{}: {e}", path.display()));
                    let name = path.strip_prefix(dir).expect("below dir").to_string_lossy();
                    out.push((name.replace('\\', "/"), text));
                }
            }
        }
        out.sort();
        out
    }

    let root = std::env::var_os("JSON_SCHEMA_TEST_SUITE").map_or_else(
        || {
            Path::new(env!("CARGO_MANIFEST_DIR"))
                .join("../shared/conformance/json-schema-test-suite")
        },
        PathBuf::from,
    );
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

    let remotes = suite::Remotes::new(json_files(&root.join("remotes"), true))
        .unwrap_or_else(|e| panic!("remotes: {e}"));
    let mut regex = NativeRegex::default();
    let required = suite::run(&json_files(&draft7, false), &mut regex, &remotes, &[]);
    println!(
        "json-schema-test-suite draft7: {}/{} passed",
        required.passed, required.total
    );
    let formats: Vec<(String, String)> = suite::FORMAT_FILES
        .iter()
        .map(|name| {
            let path = draft7.join(format!("optional/format/{name}.json"));
            let text = std::fs::read_to_string(&path)
                .unwrap_or_else(|e| panic!("{}: {e}", path.display()));
            (name.to_string(), text)
        })
        .collect();
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
