//! Embeds the tracking plan into the library and refuses to build with one that cannot be
//! used. The plan is `plan/default.json`, or the file named by `TRACKPLAN_PLAN`.
//!
//! The plan is compiled here with the very modules the library uses, so a bad plan fails
//! the build naming the rule and the JSON pointer of the problem, never a page load. It is
//! linted against the tracking guide's conventions too: errors fail the build, warnings
//! are printed as cargo warnings.

#[allow(unused)]
#[path = "src/conventions/mod.rs"]
mod conventions;
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
#[path = "src/shortest.rs"]
mod shortest;
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
