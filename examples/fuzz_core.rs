//! A bounded, deterministic fuzz run of the core: `json::parse`, `Plan::from_json` and
//! `Tracker::process_json` on structured random JSON, mutated JSON and random bytes, and
//! the binary form payloads cross into the wasm in (`Reader::value`): structured values
//! read back as written, random bytes read without a panic.
//!
//! ```sh
//! FUZZ_CASES=1000000 FUZZ_SEED=1 cargo run --release --example fuzz_core
//! ```
//!
//! Runs on stable Rust (cargo-fuzz needs nightly). Every case is derived from the seed
//! and its index, so a failure prints both and replays exactly. A panic fails the run;
//! so does a broken invariant (valid JSON refused, a value whose binary form does not
//! read back, a verdict that sends a payload it could not read).

use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Instant;

use trackplan::binary::{Reader, Writer};
use trackplan::json::{self, MAX_DEPTH};
use trackplan::plan::Plan;
use trackplan::policy::{Environment, Policy};
use trackplan::regex::NativeRegex;
use trackplan::tracker::{CallKind, Decision, Tracker, MAX_PAYLOAD_BYTES};
use trackplan::violation::kind;

/// The case being run, for the panic message.
static CURRENT_CASE: AtomicU64 = AtomicU64::new(0);

/// The plan every payload case is checked against.
const DEFAULT_PLAN: &str = include_str!("../plan/default.json");

/// splitmix64: small, fast, good enough to spread cases.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }

    fn pick<'a>(&mut self, items: &[&'a str]) -> &'a str {
        items[self.below(items.len())]
    }
}

const WORDS: &[&str] = &[
    "call started",
    "call_id",
    "episode_id",
    "user_type",
    "patient",
    "type",
    "properties",
    "required",
    "enum",
    "const",
    "items",
    "$ref",
    "#/definitions/a",
    "definitions",
    "a",
    "__proto__",
    "constructor",
    "prototype",
    "",
    "ünïcödé",
    "😀",
    "a/b~c",
    "additionalProperties",
    "pattern",
    "^[a-z]+$",
    "(a+)+$",
    "minLength",
    "format",
    "date-time",
    "object",
    "string",
    "integer",
    "number",
    "array",
    "boolean",
    "null",
    "TRACK",
    "IDENTIFY",
    "rules",
    "jsonSchema",
];

/// Appends a random JSON string literal, with escapes, astral characters and lone
/// surrogates.
fn string(rng: &mut Rng, out: &mut String) {
    out.push('"');
    if rng.below(2) == 0 {
        out.push_str(&rng.pick(WORDS).replace('\\', "\\\\").replace('"', "\\\""));
    } else {
        for _ in 0..rng.below(12) {
            match rng.below(8) {
                0 => out.push_str(rng.pick(&["\\n", "\\\"", "\\\\", "\\/", "\\t", "\\u0000"])),
                1 => out.push_str(rng.pick(&["\\ud800", "\\udfff", "\\ud83d\\ude00", "\\u00e9"])),
                2 => out.push(
                    rng.pick(&["é", "€", "😀", "\u{7f}"])
                        .chars()
                        .next()
                        .unwrap_or('x'),
                ),
                _ => out.push((b'a' + rng.below(26) as u8) as char),
            }
        }
    }
    out.push('"');
}

/// Appends a random JSON number, including exponents and extreme magnitudes.
fn number(rng: &mut Rng, out: &mut String) {
    let text = match rng.below(6) {
        0 => "0".to_string(),
        1 => format!("-{}", rng.below(1000)),
        2 => format!("{}.{}", rng.below(100), rng.below(1000)),
        3 => format!(
            "{}e{}",
            rng.below(10),
            rng.pick(&["308", "-324", "+5", "999"])
        ),
        4 => "123456789012345678901234567890".to_string(),
        _ => rng.below(10).to_string(),
    };
    out.push_str(&text);
}

/// Appends a random JSON value nested at most `depth` more levels.
fn value(rng: &mut Rng, depth: usize, out: &mut String) {
    let choice = if depth == 0 {
        rng.below(4)
    } else {
        rng.below(7)
    };
    match choice {
        0 => string(rng, out),
        1 => number(rng, out),
        2 => out.push_str(rng.pick(&["true", "false", "null"])),
        3 => string(rng, out),
        4 => {
            out.push('[');
            for i in 0..rng.below(5) {
                if i > 0 {
                    out.push(',');
                }
                value(rng, depth - 1, out);
            }
            out.push(']');
        }
        _ => object(rng, depth, out),
    }
}

/// Appends a random JSON object nested at most `depth` more levels.
fn object(rng: &mut Rng, depth: usize, out: &mut String) {
    out.push('{');
    for i in 0..rng.below(6) {
        if i > 0 {
            out.push(',');
        }
        string(rng, out);
        out.push(':');
        value(rng, depth.saturating_sub(1), out);
    }
    out.push('}');
}

/// Flips, inserts or deletes a few bytes; the result may not even be UTF-8.
fn mutate(rng: &mut Rng, text: &str) -> String {
    let mut bytes = text.as_bytes().to_vec();
    for _ in 0..1 + rng.below(4) {
        let at = rng.below(bytes.len() + 1);
        let byte = rng.next() as u8;
        match rng.below(3) {
            0 if at < bytes.len() => bytes[at] = byte,
            1 if at < bytes.len() => {
                bytes.remove(at);
            }
            _ => bytes.insert(at, byte),
        }
    }
    String::from_utf8_lossy(&bytes).into_owned()
}

/// A plan document with random rules, to feed `Plan::from_json`.
fn random_plan(rng: &mut Rng) -> String {
    let mut out = String::from(r#"{"id":"tp_fuzz","rules":["#);
    for i in 0..rng.below(4) {
        if i > 0 {
            out.push(',');
        }
        out.push_str(r#"{"key":"#);
        string(rng, &mut out);
        out.push_str(r#","type":""#);
        out.push_str(rng.pick(&["TRACK", "IDENTIFY", "GROUP", "PAGE", "COMMON", "OTHER"]));
        out.push_str(r#"","version":1,"jsonSchema":"#);
        object(rng, 4, &mut out);
        out.push('}');
    }
    out.push_str("]}");
    out
}

/// Checks one payload against `tracker` and the invariants every verdict keeps.
fn check_payload(tracker: &mut Tracker, rng: &mut Rng, text: &str) {
    let kinds = [
        CallKind::Track,
        CallKind::Identify,
        CallKind::Page,
        CallKind::Group,
    ];
    let call_kind = kinds[rng.below(kinds.len())];
    let event = match rng.below(3) {
        0 => None,
        _ => Some(rng.pick(WORDS).to_string()),
    };
    let verdict = tracker.process_json(
        call_kind,
        event.as_deref(),
        None,
        Ok(text),
        rng.below(2) == 0,
    );
    let unreadable = verdict
        .violations
        .iter()
        .any(|v| v.kind == kind::INVALID_INPUT || v.kind == kind::SIZE);
    assert!(
        !(unreadable && verdict.decision == Decision::Send),
        "an unreadable payload was sent: {text:?}"
    );
    if text.len() > MAX_PAYLOAD_BYTES {
        assert_eq!(
            verdict.decision,
            Decision::Block,
            "an oversized payload was sent"
        );
    }
    assert!(verdict.violations.iter().all(|v| !v.message.is_empty()));
}

fn main() {
    let cases: u64 = std::env::var("FUZZ_CASES")
        .ok()
        .and_then(|c| c.parse().ok())
        .unwrap_or(1_000_000);
    let seed: u64 = std::env::var("FUZZ_SEED")
        .ok()
        .and_then(|c| c.parse().ok())
        .unwrap_or(1);
    let default_hook = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        let case = CURRENT_CASE.load(Ordering::Relaxed);
        eprintln!(
            "fuzz_core: case {case} failed; replay with FUZZ_SEED={seed} (case index {case})"
        );
        default_hook(info);
    }));

    let mut regex = NativeRegex::default();
    let plan = Plan::from_json(DEFAULT_PLAN, &mut regex).expect("the default plan loads");
    let policy = Policy::default_for(Environment::Production);
    let mut tracker = Tracker::new(plan, Box::new(regex), policy, 64);
    let mut counts = [0u64; 5];
    let started = Instant::now();
    for case in 0..cases {
        CURRENT_CASE.store(case, Ordering::Relaxed);
        let mut rng = Rng(seed ^ case.wrapping_mul(0xA24B_AED4_963E_E407));
        let target = rng.below(counts.len());
        counts[target] += 1;
        match target {
            0 => {
                // Structured valid JSON within the depth limit parses.
                let mut text = String::new();
                value(&mut rng, 6, &mut text);
                let parsed = json::parse(&text)
                    .unwrap_or_else(|e| panic!("valid JSON refused ({e}): {text:?}"));
                // The binary form the shim writes payloads in reads back the same value.
                let mut writer = Writer::default();
                writer.value(&parsed);
                let read = Reader::new(&writer.bytes).value();
                assert!(
                    read.is_some_and(|v| v.json_eq(&parsed)),
                    "the binary form of {text:?} does not read back"
                );
            }
            1 => {
                // Random bytes, and nesting past the limit: an error, never a panic.
                let bytes: Vec<u8> = (0..rng.below(64)).map(|_| rng.next() as u8).collect();
                let _ = json::parse(&String::from_utf8_lossy(&bytes));
                // The same bytes as a payload's binary form (what the wasm reads).
                let _ = Reader::new(&bytes).value();
                if rng.below(16) == 0 {
                    let deep = MAX_DEPTH + 1 + rng.below(10_000);
                    let nested = "[".repeat(deep) + &"]".repeat(deep);
                    assert!(
                        json::parse(&nested).is_err(),
                        "nesting past the limit accepted"
                    );
                }
            }
            2 => {
                let mut text = String::new();
                object(&mut rng, 5, &mut text);
                let _ = json::parse(&mutate(&mut rng, &text));
            }
            3 => {
                let mut text = String::new();
                object(&mut rng, 5, &mut text);
                let text = if rng.below(4) == 0 {
                    mutate(&mut rng, &text)
                } else {
                    text
                };
                check_payload(&mut tracker, &mut rng, &text);
            }
            _ => {
                let text = random_plan(&mut rng);
                let text = if rng.below(3) == 0 {
                    mutate(&mut rng, &text)
                } else {
                    text
                };
                let mut regex = NativeRegex::default();
                if let Ok(plan) = Plan::from_json(&text, &mut regex) {
                    let mut fuzzed = Tracker::new(plan, Box::new(regex), policy, 4);
                    let mut payload = String::new();
                    object(&mut rng, 4, &mut payload);
                    check_payload(&mut fuzzed, &mut rng, &payload);
                }
            }
        }
    }
    let seconds = started.elapsed().as_secs_f64();
    println!(
        "fuzz_core: {cases} cases (seed {seed}) in {seconds:.1} s, {:.0} cases/s, no panic; \
         json {} + bytes/deep {} + mutated {} + process_json {} + plans {}",
        cases as f64 / seconds.max(1e-9),
        counts[0],
        counts[1],
        counts[2],
        counts[3],
        counts[4]
    );
}
