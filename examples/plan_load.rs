//! Time to load a tracking plan natively: parse, normalize and compile every rule, then
//! build the tracker, as `new Tracker({ plan })` does in the browser (less the crossing).
//!
//! ```sh
//! node bench/generate-plan.js 500 > target/plan500.json
//! cargo run --release --example plan_load -- target/plan500.json
//! ```
//!
//! Without an argument it loads plan/default.json. Prints the median of repeated loads.

use std::time::Instant;

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
    let load = || {
        let mut regex = NativeRegex::default();
        let plan = Plan::from_json(&text, &mut regex).unwrap_or_else(|e| panic!("{e}"));
        let rules = plan.rules().len();
        let policy = Policy::default_for(Environment::Production);
        (Tracker::new(plan, Box::new(regex), policy, 200), rules)
    };
    let (_, rules) = load();
    let mut samples: Vec<f64> = (0..RUNS)
        .map(|_| {
            let start = Instant::now();
            std::hint::black_box(load());
            start.elapsed().as_secs_f64() * 1e3
        })
        .collect();
    samples.sort_by(f64::total_cmp);
    println!(
        "{path}: {rules} rules, {} bytes, loaded in {:.3} ms (median of {RUNS})",
        text.len(),
        samples[RUNS / 2]
    );
}
