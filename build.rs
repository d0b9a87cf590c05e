//! Embeds the tracking plan into the library and refuses to build with one that cannot be
//! used. The plan is `plan/default.json`, or the file named by `TRACKPLAN_PLAN`.
//!
//! The plan is compiled here with the very modules the library uses, so a bad plan fails
//! the build naming the rule and the JSON pointer of the problem, never a page load. It is
//! linted against the tracking guide's conventions too: errors fail the build, warnings
//! are printed as cargo warnings. The compiled plan is written in its binary form to
//! `$OUT_DIR/plan.bin`, which the wasm embeds (`TRACKPLAN_EMBEDDED_PLAN`): the browser
//! reads it without compiling anything.
//!
//! For the default wasm (target wasm32 without the `full` feature), it also tells the
//! crate which keywords and formats the plan uses (`--cfg uses="…"`): the code of the
//! others is left out (see `kept!` in `src/lib.rs`).
//!
//! It also lists the JSON Schema Test Suite's files for the browser run of the suite
//! (`src/bindings/suite_tests.rs`, test builds only), since a wasm test cannot read files.

// The modules name `alloc`, as the `no_std` wasm build needs.
extern crate alloc;

/// Everything is kept here: this is the native compiler of the plan.
macro_rules! kept {
    ($name:tt) => {
        true
    };
}

#[allow(unused)]
#[path = "src/binary.rs"]
mod binary;
#[allow(unused)]
#[path = "src/conventions/mod.rs"]
mod conventions;
#[allow(unused)]
#[path = "src/json.rs"]
mod json;
#[allow(unused)]
#[path = "src/plan/mod.rs"]
mod plan;
#[allow(unused)]
#[path = "src/prelude.rs"]
mod prelude;
#[allow(unused)]
#[path = "src/regex.rs"]
mod regex;
#[allow(unused)]
#[path = "src/schema/mod.rs"]
mod schema;
#[allow(unused)]
#[path = "src/text.rs"]
mod text;
#[allow(unused)]
#[path = "src/utf8.rs"]
mod utf8;
#[allow(unused)]
#[path = "src/violation.rs"]
mod violation;

use std::path::{Path, PathBuf};

fn main() {
    bundle_test_suite();
    println!("cargo:rerun-if-env-changed=TRACKPLAN_PLAN");
    let path = match std::env::var_os("TRACKPLAN_PLAN") {
        Some(p) => PathBuf::from(p),
        None => {
            PathBuf::from(std::env::var_os("CARGO_MANIFEST_DIR").unwrap()).join("plan/default.json")
        }
    };
    println!("cargo:rerun-if-changed={}", path.display());
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| {
        fail(&path, &format!("cannot read the plan: {e}. Set TRACKPLAN_PLAN to a Segment tracking plan export (JSON)"))
    });
    let report = conventions::lint_document(&text, &mut regex::NativeRegex::default())
        .unwrap_or_else(|e| fail(&path, &e.to_string()));
    for warning in report
        .findings
        .iter()
        .filter(|f| f.severity == conventions::rules::Severity::Warning)
    {
        println!("cargo:warning=tracking plan {}: {warning}", path.display());
    }
    if report.errors() > 0 {
        let errors: Vec<String> = report
            .findings
            .iter()
            .filter(|f| f.severity == conventions::rules::Severity::Error)
            .map(|f| format!("{f}"))
            .collect();
        fail(
            &path,
            &format!(
                "it breaks the tracking guide's conventions (fix the plan, or silence a rule with a reason \
                 under trackplan.lint.ignore):\n  {}",
                errors.join("\n  ")
            ),
        );
    }
    embed(&path, &text);
}

/// Writes the compiled plan to `$OUT_DIR/plan.bin` for the crate to embed, and says
/// which keywords and formats the default wasm must keep.
fn embed(path: &Path, text: &str) {
    let mut regex = regex::NativeRegex::default();
    let plan =
        plan::Plan::from_json(text, &mut regex).unwrap_or_else(|e| fail(path, &e.to_string()));
    let default_wasm = std::env::var("CARGO_CFG_TARGET_ARCH").as_deref() == Ok("wasm32")
        && std::env::var_os("CARGO_FEATURE_FULL").is_none();
    // The default wasm is the production core: no developer documentation (the plan's
    // descriptions are in the full core, the generated types and the plan file).
    let (bytes, uses) = plan.to_binary(&regex, !default_wasm);
    // The wasm reads each rule when first used: check now that every one reads back.
    let read =
        plan::Plan::from_binary(Vec::leak(bytes.clone()), &mut regex::NativeRegex::default());
    if !read.is_some_and(|p| p.read_all_rules()) {
        fail(
            path,
            "the compiled plan does not read back from its binary form (a trackplan bug)",
        );
    }
    let out = PathBuf::from(std::env::var_os("OUT_DIR").unwrap()).join("plan.bin");
    std::fs::write(&out, bytes).unwrap_or_else(|e| panic!("{}: {e}", out.display()));
    println!("cargo:rustc-env=TRACKPLAN_EMBEDDED_PLAN={}", out.display());
    println!("cargo::rustc-check-cfg=cfg(uses, values(any()))");
    if default_wasm {
        for name in uses {
            println!("cargo::rustc-cfg=uses=\"{name}\"");
        }
    }
}

fn fail(path: &std::path::Path, message: &str) -> ! {
    eprintln!(
        "\nerror: the embedded tracking plan {} cannot be used:\n  {message}\n",
        path.display()
    );
    std::process::exit(1);
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
