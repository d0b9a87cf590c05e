//! Embeds the tracking plan into the library and refuses to build with one that cannot be
//! used. The plan is `plan/default.json`, or the file named by `TRACKPLAN_PLAN`.
//!
//! The plan is compiled here with the very modules the library uses, so a bad plan fails
//! the build naming the rule and the JSON pointer of the problem, never a page load.

#[allow(unused)]
#[path = "src/json.rs"]
mod json;
#[allow(unused)]
#[path = "src/plan.rs"]
mod plan;
#[allow(unused)]
#[path = "src/regex.rs"]
mod regex;
#[allow(unused)]
#[path = "src/schema/mod.rs"]
mod schema;
#[allow(unused)]
#[path = "src/violation.rs"]
mod violation;

use std::path::PathBuf;

fn main() {
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
    if let Err(e) = plan::Plan::from_json(&text, &mut regex::NativeRegex::default()) {
        fail(&path, &e.to_string());
    }
    let path = path.canonicalize().unwrap_or(path);
    println!("cargo:rustc-env=TRACKPLAN_EMBEDDED_PLAN={}", path.display());
}

fn fail(path: &std::path::Path, message: &str) -> ! {
    eprintln!(
        "\nerror: the embedded tracking plan {} cannot be used:\n  {message}\n",
        path.display()
    );
    std::process::exit(1);
}
