//! The JSON-Schema-Test-Suite runner, shared by the native test
//! (`tests/json_schema_suite.rs`) and the browser one (wasm-bindgen-test).
//!
//! Reading the suite's files is the caller's business (the file system natively, bundled
//! or fetched text in a browser): this module takes their text, parses it with
//! trackplan's own JSON parser, and runs each (schema, instance, expected validity) test
//! against any [`RegexEngine`]. Remote documents (`refRemote.json`) come from the suite's
//! `remotes/` directory, served as `http://localhost:1234/…` through the resolver of
//! [`schema::compile_with`]; nothing touches the network.

use trackplan::json::{parse, Value};
use trackplan::regex::RegexEngine;
use trackplan::schema;

/// The URI the suite's `remotes/` directory stands for.
pub const REMOTES_URI: &str = "http://localhost:1234/";

/// The draft-07 meta-schema, which the suite `$ref`s by its URI but does not ship.
const DRAFT7_METASCHEMA: (&str, &str) = (
    "http://json-schema.org/draft-07/schema",
    include_str!("draft-07-schema.json"),
);

/// The optional format files run beside the required `tests/draft7/*.json`.
pub const FORMAT_FILES: [&str; 12] = [
    "date-time",
    "date",
    "time",
    "email",
    "hostname",
    "ipv4",
    "ipv6",
    "uri",
    "uri-reference",
    "json-pointer",
    "relative-json-pointer",
    "regex",
];

/// Optional format tests trackplan is known to fail: file (as in [`FORMAT_FILES`]), test
/// description, and why. A listed test that passes is an error too, so this stays true.
pub const EXPECTED_FORMAT_FAILURES: &[(&str, &str, &str)] = &[];

/// Where the suite is: the directory in `JSON_SCHEMA_TEST_SUITE`, else
/// `../shared/conformance/json-schema-test-suite` beside the crate.
#[cfg(not(target_arch = "wasm32"))]
pub fn root() -> std::path::PathBuf {
    std::env::var_os("JSON_SCHEMA_TEST_SUITE").map_or_else(
        || {
            std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
                .join("../shared/conformance/json-schema-test-suite")
        },
        std::path::PathBuf::from,
    )
}

/// The `.json` files in `dir` (and, when `recursive`, below it), as (path relative to
/// `dir` with `/` separators, text), in path order.
#[cfg(not(target_arch = "wasm32"))]
pub fn json_files(dir: &std::path::Path, recursive: bool) -> Vec<(String, String)> {
    let mut out = Vec::new();
    let mut todo = vec![dir.to_path_buf()];
    while let Some(at) = todo.pop() {
        let entries = std::fs::read_dir(&at).unwrap_or_else(|e| panic!("{}: {e}", at.display()));
        for path in entries.map(|e| e.expect("directory entry").path()) {
            if path.is_dir() && recursive {
                todo.push(path);
            } else if path.extension().is_some_and(|x| x == "json") {
                let name = path.strip_prefix(dir).expect("below dir").to_string_lossy();
                out.push((name.replace('\\', "/"), read(&path)));
            }
        }
    }
    out.sort();
    out
}

/// The text of the suite's file at `path`.
#[cfg(not(target_arch = "wasm32"))]
pub fn read(path: &std::path::Path) -> String {
    std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// The optional format files of [`FORMAT_FILES`] in `draft7` (the suite's
/// `tests/draft7`), as (name in [`FORMAT_FILES`], text).
#[cfg(not(target_arch = "wasm32"))]
pub fn format_files(draft7: &std::path::Path) -> Vec<(String, String)> {
    FORMAT_FILES
        .iter()
        .map(|name| {
            let path = draft7.join(format!("optional/format/{name}.json"));
            (name.to_string(), read(&path))
        })
        .collect()
}

/// The documents of the suite's `remotes/` below `root`, with the draft-07 meta-schema.
#[cfg(not(target_arch = "wasm32"))]
pub fn remotes(root: &std::path::Path) -> Remotes {
    Remotes::new(json_files(&root.join("remotes"), true)).unwrap_or_else(|e| panic!("remotes: {e}"))
}

/// Documents a `$ref` may name, by absolute URI (without fragment).
pub struct Remotes(Vec<(String, Value)>);

impl Remotes {
    /// The documents of the suite's `remotes/` directory, given as (path relative to it
    /// with `/` separators, text), plus the draft-07 meta-schema.
    pub fn new(files: impl IntoIterator<Item = (String, String)>) -> Result<Remotes, String> {
        let metaschema = (
            DRAFT7_METASCHEMA.0.to_string(),
            DRAFT7_METASCHEMA.1.to_string(),
        );
        let documents = files
            .into_iter()
            .map(|(path, text)| (format!("{REMOTES_URI}{path}"), text))
            .chain([metaschema])
            .map(|(uri, text)| {
                Ok((
                    uri.clone(),
                    parse(&text).map_err(|e| format!("{uri}: {e}"))?,
                ))
            })
            .collect::<Result<_, String>>()?;
        Ok(Remotes(documents))
    }

    /// The document at `uri`, if there is one.
    pub fn get(&self, uri: &str) -> Option<Value> {
        self.0
            .iter()
            .find(|(u, _)| u == uri)
            .map(|(_, doc)| doc.clone())
    }
}

/// What a set of files came to.
#[derive(Default)]
pub struct Report {
    /// Tests whose outcome matched the suite's.
    pub passed: usize,
    /// Tests run.
    pub total: usize,
    /// `file / case / test: what happened`, for each test that failed and is not an
    /// expected failure, and each expected failure that passed.
    pub problems: Vec<String>,
}

/// Runs every test of the suite files `files` (name, text): each case's schema compiled
/// once with `regex` and `remotes`, each instance checked with both `validate` and
/// `is_valid`. `expected_failures` lists (file, test description) pairs known to fail.
pub fn run(
    files: &[(String, String)],
    regex: &mut dyn RegexEngine,
    remotes: &Remotes,
    expected_failures: &[(&str, &str, &str)],
) -> Report {
    let mut report = Report::default();
    for (file, text) in files {
        let cases = match parse(text) {
            Ok(Value::Array(cases)) => cases,
            other => {
                report
                    .problems
                    .push(format!("{file}: not a suite file: {:?}", other.err()));
                continue;
            }
        };
        for case in &cases {
            let describe = |v: &Value| {
                v.get("description")
                    .and_then(Value::as_str)
                    .unwrap_or("?")
                    .to_string()
            };
            let tests = case
                .get("tests")
                .and_then(Value::as_array)
                .unwrap_or_default();
            let compiled = case
                .get("schema")
                .ok_or_else(|| "no schema".to_string())
                .and_then(|s| {
                    schema::compile_with(s, regex, &|uri| remotes.get(uri))
                        .map_err(|e| e.to_string())
                });
            for test in tests {
                let expected = test.get("valid").and_then(Value::as_bool);
                let outcome = match (&compiled, test.get("data")) {
                    (Err(e), _) => Err(format!("schema not compiled: {e}")),
                    (Ok(_), None) => Err("no data".to_string()),
                    (Ok(schema), Some(data)) => check(schema, data, &*regex, expected),
                };
                let name = describe(test);
                let known = expected_failures
                    .iter()
                    .any(|(f, t, _)| f == file && *t == name);
                report.total += 1;
                match (outcome, known) {
                    (Ok(()), false) => report.passed += 1,
                    (Ok(()), true) => report.problems.push(format!(
                        "{file} / {} / {name}: listed as an expected failure but passes: remove it from the list",
                        describe(case)
                    )),
                    (Err(_), true) => {}
                    (Err(why), false) => report.problems.push(format!("{file} / {} / {name}: {why}", describe(case))),
                }
            }
        }
    }
    report
}

/// Whether `schema` judges `data` as the suite `expected`, the same way through
/// `validate` and `is_valid`, with a message for every violation.
fn check(
    schema: &schema::Schema,
    data: &Value,
    regex: &dyn RegexEngine,
    expected: Option<bool>,
) -> Result<(), String> {
    let violations = schema.validate(data, regex);
    let valid = schema.is_valid(data, regex);
    if valid != violations.is_empty() {
        return Err(format!(
            "is_valid says {valid} but validate reports {violations:?}"
        ));
    }
    if let Some(v) = violations
        .iter()
        .find(|v| v.message.is_empty() || v.kind.is_empty())
    {
        return Err(format!("violation without kind or message: {v:?}"));
    }
    match expected {
        Some(expected) if expected == valid => Ok(()),
        Some(expected) => Err(format!(
            "expected valid: {expected}, got violations {violations:?}"
        )),
        None => Err("no expected validity".to_string()),
    }
}
