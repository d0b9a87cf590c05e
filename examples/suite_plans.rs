//! The JSON Schema Test Suite's draft-07 schemas as compiled plans, for the run of the
//! suite on the production cores as shipped (`tests/e2e/shipped-cores.test.js`).
//!
//! ```sh
//! cargo run --quiet --example suite_plans > target/suite-plans.json
//! ```
//!
//! Each case ("group") of the suite's required files (`tests/draft7/*.json`), of its
//! optional format files (`tests/suite`'s `FORMAT_FILES`) and of
//! `optional/ecmascript-regex.json` becomes a plan of one track rule whose payload schema
//! is the case's schema, its document root ([`Plan::with_payload`]: `"$ref": "#"`, `$id`
//! and `definitions` keep their meaning), compiled into the binary form as `trackplan
//! build` writes a production core's plan (no descriptions). A `$ref` to
//! `http://localhost:1234/…` is resolved from the suite's `remotes/`, and one to the
//! draft-07 meta-schema from its copy in `tests/suite`; nothing touches the network.
//!
//! Prints JSON: `{ root, found, groups: [{ set, file, group, remotes, plan | error }] }`,
//! `root` the suite's directory (see `tests/suite`'s `root`), `found` whether it holds
//! the draft-07 tests, and for each case its set (`required`, `formats` or
//! `ecmascript-regex`), its file (relative to `root`), its place in that file, the URIs
//! of the remote documents its schema needed, and the plan's bytes in hex, or why the
//! schema could not be compiled. The tests' data stay in the suite's files, which the
//! reader takes them from.

#[path = "../tests/suite/mod.rs"]
#[allow(dead_code, reason = "the runner's part is the suite tests'")]
mod suite;

use std::cell::RefCell;

use serde_json::json;
use trackplan::json::{parse, Value};
use trackplan::plan::Plan;
use trackplan::regex::NativeRegex;

/// The name of each plan's one track rule.
const EVENT: &str = "suite test";

fn main() {
    let root = suite::root();
    let draft7 = root.join("tests/draft7");
    if !draft7.is_dir() {
        let out = json!({ "root": root, "found": false, "groups": [] });
        println!("{out}");
        return;
    }
    let remotes = suite::remotes(&root);
    let formats = suite::format_files(&draft7)
        .into_iter()
        .map(|(name, text)| (format!("optional/format/{name}.json"), text))
        .collect();
    let regex = "optional/ecmascript-regex.json".to_string();
    let sets: [(&str, Vec<(String, String)>); 3] = [
        ("required", suite::json_files(&draft7, false)),
        ("formats", formats),
        (
            "ecmascript-regex",
            vec![(regex.clone(), suite::read(&draft7.join(regex)))],
        ),
    ];
    let mut groups = Vec::new();
    for (set, files) in &sets {
        for (name, text) in files {
            let file = format!("tests/draft7/{name}");
            let cases = match parse(text) {
                Ok(Value::Array(cases)) => cases,
                _ => panic!("{file}: not a suite file"),
            };
            for (group, case) in cases.iter().enumerate() {
                let (compiled, fetched) = compiled_plan(case.get("schema"), &remotes);
                let mut entry =
                    json!({ "set": set, "file": file, "group": group, "remotes": fetched });
                match compiled {
                    Ok(plan) => entry["plan"] = json!(plan),
                    Err(error) => entry["error"] = json!(error),
                }
                groups.push(entry);
            }
        }
    }
    println!(
        "{}",
        json!({ "root": root, "found": true, "groups": groups })
    );
}

/// The plan of one track rule whose payload schema is `schema`, in the binary form of a
/// production core's plan, as hex, or why it cannot be compiled; and the URIs of the
/// remote documents the compiler asked for.
fn compiled_plan(
    schema: Option<&Value>,
    remotes: &suite::Remotes,
) -> (Result<String, String>, Vec<String>) {
    let fetched = RefCell::new(Vec::new());
    let resolver = |uri: &str| {
        fetched.borrow_mut().push(uri.to_string());
        remotes.get(uri)
    };
    let compiled = schema
        .ok_or("the case has no schema".to_string())
        .and_then(|schema| {
            let mut regex = NativeRegex::default();
            let plan = Plan::with_payload(EVENT, schema, &mut regex, &resolver)
                .map_err(|e| e.to_string())?;
            let (bytes, _) = plan.to_binary(&regex, false);
            Ok(bytes.iter().map(|b| format!("{b:02x}")).collect())
        });
    (compiled, fetched.into_inner())
}
