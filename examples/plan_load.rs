//! Time to load a tracking plan natively, both ways the wasm does: from the export's JSON
//! (parse, normalize and compile every rule, as the full build does for a plan given at
//! run time) and from the binary form `trackplan build` writes (as a production core
//! reads it); each then builds the tracker.
//!
//! ```sh
//! node bench/generate-plan.js 500 > target/plan500.json
//! cargo run --release --example plan_load -- target/plan500.json
//! ```
//!
//! Without an argument it loads plan/default.json. Prints the median of repeated loads,
//! and of the two halves of a load from JSON: parsing the text, and reading the parsed
//! document (normalizing and compiling every rule, then dropping the document). Under
//! callgrind, `--toggle-collect='*plan_load::read_document*'` counts the second alone.

use std::time::Instant;

use trackplan::json::{self, Value};
use trackplan::plan::Plan;
use trackplan::policy::{Environment, Policy};
use trackplan::regex::NativeRegex;
use trackplan::tracker::Tracker;

/// Loads to time, after one untimed load.
const RUNS: usize = 21;

fn main() {
    let path = std::env::args()
        .nth(1)
        .unwrap_or_else(|| concat!(env!("CARGO_MANIFEST_DIR"), "/plan/default.json").to_string());
    let text = std::fs::read_to_string(&path)
        .unwrap_or_else(|e| panic!("cannot read the plan {path}: {e}"));
    let tracker = |plan: Plan, regex: NativeRegex| {
        let rules = plan.rules().count();
        let policy = Policy::default_for(Environment::Production);
        (Tracker::new(plan, Box::new(regex), policy, 200), rules)
    };
    let from_json = || {
        let mut regex = NativeRegex::default();
        let plan = Plan::from_json(&text, &mut regex).unwrap_or_else(|e| panic!("{e}"));
        tracker(plan, regex)
    };
    let mut regex = NativeRegex::default();
    let (binary, _) = Plan::from_json(&text, &mut regex)
        .unwrap_or_else(|e| panic!("{e}"))
        .to_binary(&regex, true);
    // Static, as the wasm's embedded plan is: reading it copies nothing.
    let binary: &'static [u8] = Vec::leak(binary);
    let from_binary = || {
        let mut regex = NativeRegex::default();
        let plan = Plan::from_binary(binary, &mut regex).expect("the plan reads back");
        tracker(plan, regex)
    };
    let parse = || json::parse(&text).expect("the plan is JSON");
    let from_document = |document| read_document(document, &mut NativeRegex::default());
    let (_, rules) = from_json();
    println!(
        "{path}: {rules} rules, {} bytes of JSON, {} bytes embedded",
        text.len(),
        binary.len()
    );
    println!(
        "  from JSON (full build, plan at run time): {:.3} ms",
        median_ms(&|| (), &|()| from_json())
    );
    println!(
        "    parsing the JSON:                       {:.3} ms",
        median_ms(&|| (), &|()| parse())
    );
    println!(
        "    reading the parsed document:            {:.3} ms",
        median_ms(&parse, &from_document)
    );
    println!(
        "  embedded (default wasm):                  {:.3} ms",
        median_ms(&|| (), &|()| from_binary())
    );
}

/// Reads a parsed plan document and drops it, as [`Plan::from_json`] does after parsing.
#[inline(never)]
fn read_document(document: Value, regex: &mut NativeRegex) -> Plan {
    Plan::from_value(&document, regex).unwrap_or_else(|e| panic!("{e}"))
}

/// Median milliseconds of `load` over [`RUNS`] runs, after one untimed run; each run's
/// input comes from `setup`, untimed.
fn median_ms<S, T>(setup: &dyn Fn() -> S, load: &dyn Fn(S) -> T) -> f64 {
    std::hint::black_box(load(setup()));
    let mut samples: Vec<f64> = (0..RUNS)
        .map(|_| {
            let input = setup();
            let start = Instant::now();
            let loaded = std::hint::black_box(load(input));
            let elapsed = start.elapsed().as_secs_f64() * 1e3;
            drop(loaded);
            elapsed
        })
        .collect();
    samples.sort_by(f64::total_cmp);
    samples[RUNS / 2]
}
