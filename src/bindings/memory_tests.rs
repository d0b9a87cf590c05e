//! The wasm's memory in headless Chromium, through the bindings as the shim drives them:
//! over a mixed workload it grows to a plateau, then no more. Linear memory never shrinks,
//! so memory the allocator cannot reuse for the next blocks asked of it shows up as growth.

use core::arch::wasm32::memory_size;

use wasm_bindgen_test::*;

use crate::binary::Writer;
use crate::json::{Map, Value};

use super::tests::{encoded, named, new_tracker, tracker, DEVELOPMENT, TRACK};
use super::tracker::WasmTracker;
use crate::protocol::{
    FLAG_HAS_NAME, REPORT_ADDED, REPORT_HISTORY, REPORT_VERDICT, VERDICT_CHANGED, VERDICT_DETAILS,
};

/// The input of a `call started` track call with `payload`, as the shim writes it.
fn call(payload: &Value) -> Vec<u8> {
    let mut writer = Writer::default();
    writer.value(payload);
    named("call started", &writer.bytes)
}

/// 25 KB of JSON in keys none of which is planned, each a string of `length` bytes (some
/// 1,400 keys of 6 bytes, 60 of 400).
fn many_keys(length: usize, phase: usize) -> Value {
    let mut map = Map::new();
    for key in 0..25_000 / (length + 12) {
        map.insert(format!("k{key}_{phase}"), Value::String("v".repeat(length)));
    }
    Value::Object(map)
}

/// A string property of `bytes` bytes.
fn large_string(bytes: usize) -> Value {
    let mut map = Map::new();
    map.insert("episode_id".into(), Value::String("e".repeat(bytes)));
    Value::Object(map)
}

/// Checks one call and reads back its details as the shim does.
fn check(t: &mut WasmTracker, input: &[u8]) {
    let code = t.check(TRACK, input, FLAG_HAS_NAME, 0);
    if code & VERDICT_DETAILS != 0 {
        t.report(REPORT_VERDICT);
    }
    if code & VERDICT_CHANGED != 0 {
        t.report(REPORT_ADDED);
    }
}

/// The string lengths of the many-key payloads, one per phase in turn: blocks of a new
/// size each phase, which an allocator that never merges the small blocks freed in the
/// phases before (trackplan's own, until talc) takes new memory for.
const LENGTHS: [usize; 6] = [6, 20, 50, 100, 200, 400];

#[wasm_bindgen_test]
fn memory_grows_to_a_plateau_then_stays_flat_over_a_mixed_workload() {
    let mut t = new_tracker(None, DEVELOPMENT, 0, 20.0).unwrap();
    let small = named(
        "call started",
        &encoded(r#"{"episode_id": "ep_1", "call_id": "call_1", "user_type": "patient"}"#),
    );
    // Each phase replaces the whole history (20 calls): ten many-key payloads, ten small
    // ones and a 256 KB string, then the history read back. Memory grows over the first
    // turn of the lengths and the first phase of the next (the blocks of every size a
    // phase needs are laid out among those of the phase before); it must not grow over
    // the next two turns. trackplan's own allocator grew again in phase 12.
    let mut plateau = 0;
    for phase in 0..3 * LENGTHS.len() + 1 {
        let payload = call(&many_keys(LENGTHS[phase % LENGTHS.len()], phase));
        for _ in 0..10 {
            check(&mut t, &payload);
            check(&mut t, &small);
        }
        check(&mut t, &call(&large_string(256 * 1024)));
        t.report(REPORT_HISTORY);
        let pages = memory_size(0);
        if phase <= LENGTHS.len() {
            plateau = pages;
        }
        assert_eq!(
            pages, plateau,
            "linear memory grew from {plateau} to {pages} pages in phase {phase}"
        );
    }
}

#[wasm_bindgen_test]
fn the_history_holds_a_bounded_number_of_bytes_and_shares_the_context() {
    // 16 MiB of context then 126 calls took memory to 4 GB: each call copied the value
    // into its payload and its verdict, which the history kept. Such a value is refused
    // now (see `conventions_tests`); one of 25 KB is shared, and the history holds at most
    // `HISTORY_BUDGET` (1 MiB) of what the calls weigh.
    let mut t = tracker(DEVELOPMENT);
    let context = format!(r#""{}""#, "e".repeat(25 * 1024));
    assert_eq!(t.set_context(&named("episode_id", &encoded(&context))), 0);
    let payload = format!(r#"{{"call_id": "{}"}}"#, "c".repeat(25 * 1024));
    let input = named("call started", &encoded(&payload));
    let check_calls = |t: &mut WasmTracker, count: usize| {
        for _ in 0..count {
            check(t, &input);
        }
        memory_size(0)
    };
    let start = check_calls(&mut t, 20);
    let end = check_calls(&mut t, 280);
    // 64 KiB pages: the history's 1 MiB is 16 of them.
    assert!(
        end - start <= 32,
        "300 calls of 25 KB and 25 KB of context took {} pages more after the 20th",
        end - start
    );
}
