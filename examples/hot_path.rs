//! The core's share of one call, natively: the payload read from the binary form the shim
//! writes (`js/sdk/encode.js`) and `Tracker::call` on the benchmark's calls to the demo
//! plan (8 valid, 2 invalid; see `bench/plans.js`), as dry runs and as recorded calls,
//! and the verdict report the shim reads back for an invalid one. Prints nanoseconds per
//! call.
//!
//! ```sh
//! cargo run --release --example hot_path
//! HOT_PATH_CALLS=20000 HOT_PATH_REPORTS=0 valgrind --tool=callgrind target/release/examples/hot_path
//! HOT_PATH_CALLS=0 HOT_PATH_REPORTS=20000 valgrind --tool=callgrind target/release/examples/hot_path
//! ```
//!
//! `HOT_PATH_CALLS` and `HOT_PATH_REPORTS` (each 1,000,000 by default) count the calls
//! of each kind and the reports.
//!
//! The browser figures come from `npm run bench`; this one isolates the core from the
//! JS↔wasm crossing, and under callgrind counts instructions, which do not depend on
//! what else the machine is doing.

use std::time::Instant;

use trackplan::binary::{Reader, Writer};
use trackplan::json;
use trackplan::plan::Plan;
use trackplan::policy::{Environment, Policy};
use trackplan::regex::NativeRegex;
use trackplan::report;
use trackplan::tracker::{CallKind, Tracker};

/// The benchmark's calls, their payloads as JSON text (written in the binary form first).
const CALLS: &[(&str, &str)] = &[
    (
        "user signed up",
        r#"{"user_type":"patient","signup_method":"email"}"#,
    ),
    (
        "call started",
        r#"{"episode_id":"ep_8c1f2a","call_id":"call_Q2x9fL0b","user_type":"patient","call_type":"video"}"#,
    ),
    (
        "call ended",
        r#"{"episode_id":"ep_8c1f2a","call_id":"call_Q2x9fL0b","type":"ended_by_practitioner","duration_seconds":312.5}"#,
    ),
    (
        "questionnaire submitted",
        r#"{"episode_id":"ep_8c1f2a","qnaire_tid":"qnaire_71ab","questionnaire_name":"PHQ-9","question_count":9,"user_type":"patient"}"#,
    ),
    (
        "call started",
        r#"{"episode_id":"ep_77d0","call_id":"call_a81","user_type":"practitioner"}"#,
    ),
    (
        "call ended",
        r#"{"episode_id":"ep_77d0","call_id":"call_a81","type":"ended_by_patient"}"#,
    ),
    (
        "user signed up",
        r#"{"user_type":"practitioner","signup_method":"invite","invite_id":"inv_93"}"#,
    ),
    (
        "questionnaire submitted",
        r#"{"episode_id":"ep_77d0","qnaire_tid":"qnaire_2"}"#,
    ),
    (
        "call ended",
        r#"{"episode_id":"ep_77d0","call_id":"call_a81","type":"Patient"}"#,
    ),
    (
        "call started",
        r#"{"call_id":"call_a82","user_type":"patient"}"#,
    ),
];

/// The count in the environment variable `name`, else 1,000,000.
fn count(name: &str) -> usize {
    std::env::var(name)
        .ok()
        .and_then(|n| n.parse().ok())
        .unwrap_or(1_000_000)
}

fn main() {
    let calls = count("HOT_PATH_CALLS");
    // As the default wasm has it: compiled, written in the binary form, read back.
    let mut compiler_regex = NativeRegex::default();
    let (binary, _) = Plan::from_json(include_str!("../plan/default.json"), &mut compiler_regex)
        .expect("the default plan loads")
        .to_binary(&compiler_regex, true);
    let mut regex = NativeRegex::default();
    let plan =
        Plan::from_binary(Vec::leak(binary), &mut regex).expect("the default plan reads back");
    let policy = Policy::default_for(Environment::Production);
    let mut tracker = Tracker::new(plan, Box::new(regex), policy, 200);
    let encoded: Vec<(&str, Vec<u8>)> = CALLS
        .iter()
        .map(|(event, payload)| {
            let mut writer = Writer::default();
            writer.value(&json::parse(payload).expect("the calls are JSON"));
            (*event, writer.bytes)
        })
        .collect();
    for (label, dry_run) in [("dry run (validate)", true), ("recorded (track)", false)] {
        let start = Instant::now();
        let mut ok = 0;
        for i in 0..calls {
            let (event, bytes) = &encoded[i % encoded.len()];
            let payload = Reader::new(bytes)
                .value()
                .ok_or_else(|| trackplan::tracker::Unusable::NotData("unreadable".to_string()));
            let verdict = tracker.call(request(event, bytes, payload, dry_run));
            ok += usize::from(verdict.ok());
        }
        let ns = start.elapsed().as_nanos() as f64 / calls as f64;
        println!("{label}: {ns:.0} ns per call ({ok} of {calls} valid)");
    }
    // What the shim reads back for a call with violations: its verdict as JSON text.
    let invalid: Vec<_> = encoded
        .iter()
        .map(|(event, bytes)| {
            let payload = Reader::new(bytes)
                .value()
                .ok_or_else(|| trackplan::tracker::Unusable::NotData("unreadable".to_string()));
            tracker.call(request(event, bytes, payload, true))
        })
        .filter(|verdict| !verdict.ok())
        .collect();
    let reports = count("HOT_PATH_REPORTS");
    let start = Instant::now();
    let mut bytes = 0;
    for i in 0..reports {
        bytes += report::verdict(&invalid[i % invalid.len()]).len();
    }
    let ns = start.elapsed().as_nanos() as f64 / reports as f64;
    println!(
        "verdict report of an invalid call: {ns:.0} ns per report ({} bytes of JSON)",
        bytes / reports.max(1)
    );
}

/// A track call of `event` as the bindings hand it to the core, its payload read from
/// `bytes` (the binary form the shim writes).
fn request<'a>(
    event: &'a str,
    bytes: &[u8],
    payload: Result<trackplan::json::Value, trackplan::tracker::Unusable>,
    dry_run: bool,
) -> trackplan::tracker::Request<'a> {
    trackplan::tracker::Request {
        kind: CallKind::Track,
        name: Some(event),
        event_version: None,
        payload,
        payload_bound: Some(trackplan::binary::json_bound(bytes.len())),
        beside: 0,
        handover: trackplan::tracker::Handover::Sent,
        dry_run,
    }
}
