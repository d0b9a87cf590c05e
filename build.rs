//! Lists the JSON Schema Test Suite's files for the browser run of the suite
//! (`src/bindings/suite_tests.rs`, test builds only), since a wasm test cannot read files.
//! Nothing else: the cores carry no plan (`trackplan build` compiles a user's plan beside
//! the production core, with no Rust toolchain).

use std::path::{Path, PathBuf};

fn main() {
    bundle_test_suite();
}

/// Writes `$OUT_DIR/json_schema_suite.rs`: `FOUND`, and `(name, include_str!(file))`
/// lists of the suite's required draft-07 files, optional files and remotes. Only the
/// browser test of the suite includes it, so other builds embed none of the text.
fn bundle_test_suite() {
    println!("cargo:rerun-if-env-changed=JSON_SCHEMA_TEST_SUITE");
    let root = std::env::var_os("JSON_SCHEMA_TEST_SUITE").map_or_else(
        || {
            PathBuf::from(std::env::var_os("CARGO_MANIFEST_DIR").unwrap())
                .join("../shared/conformance/json-schema-test-suite")
        },
        PathBuf::from,
    );
    let draft7 = root.join("tests/draft7");
    println!("cargo:rerun-if-changed={}", draft7.display());
    let list = |name: &str, dir: &Path, recursive: bool| {
        let mut files = Vec::new();
        collect_json(dir, dir, recursive, &mut files);
        files.sort();
        let items: Vec<String> = files
            .iter()
            .map(|(rel, abs)| format!("    ({rel:?}, include_str!({abs:?})),\n"))
            .collect();
        format!(
            "pub const {name}: &[(&str, &str)] = &[\n{}];\n",
            items.concat()
        )
    };
    let code = format!(
        "/// Whether the suite was found when the crate was built.\npub const FOUND: bool = {};\n{}{}{}{}",
        draft7.is_dir(),
        list("REQUIRED", &draft7, false),
        list("FORMATS", &draft7.join("optional/format"), false),
        list("OPTIONAL", &draft7.join("optional"), false),
        list("REMOTES", &root.join("remotes"), true),
    );
    let out = PathBuf::from(std::env::var_os("OUT_DIR").unwrap()).join("json_schema_suite.rs");
    std::fs::write(&out, code).unwrap_or_else(|e| panic!("{}: {e}", out.display()));
}

/// The `.json` files below `dir` as (path relative to `base`, absolute path).
fn collect_json(base: &Path, dir: &Path, recursive: bool, out: &mut Vec<(String, String)>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for path in entries.flatten().map(|e| e.path()) {
        if path.is_dir() && recursive {
            collect_json(base, &path, recursive, out);
        } else if path.extension().is_some_and(|x| x == "json") {
            let rel = path
                .strip_prefix(base)
                .unwrap_or(&path)
                .to_string_lossy()
                .replace('\\', "/");
            out.push((
                rel,
                path.canonicalize().unwrap_or(path).display().to_string(),
            ));
        }
    }
}
