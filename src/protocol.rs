//! What the JS shim and the wasm cores agree on, declared once: the numbers `check` and
//! `report` take and give, the orders in which environments, methods and policy values
//! cross as numbers, the tags of the binary form payloads cross in, the limits both sides
//! apply, and where a core's wasm keeps its plan. `js/sdk/protocol.js` is generated from
//! this module ([`javascript`], by `cargo run --example protocol`, which the build runs);
//! a test fails when the committed file is stale.

use crate::policy::{Environment, Identify, OnViolation, UnplannedEvents, UnplannedProperties};
use crate::tracker::CallKind;

/// The package's version: a binding `trackplan build` wrote must come from the same one.
pub const VERSION: &str = env!("CARGO_PKG_VERSION");

/// The custom section of a core's wasm that holds the plan `trackplan build` compiled.
pub const PLAN_SECTION: &str = "trackplan.plan";

/// Result code bit of `check`: the call follows the plan.
///
/// `check` returns a code rather than a verdict object: building an object field by
/// field from wasm costs a crossing and a string per field. The shim builds the verdict
/// of a clean call itself and reads [`REPORT_VERDICT`] only when there are details.
pub const VERDICT_OK: u32 = 1;
/// Result code bit: the call is not handed to analytics.js: blocked, or skipped (see
/// `Decision::Skip`).
pub const VERDICT_BLOCKED: u32 = 2;
/// Result code bit: the verdict has violations, omitted or unchanged properties, or hints; read them
/// with [`REPORT_VERDICT`]. The plan version of the rule applied is in the bits from
/// [`VERSION_SHIFT`] on.
pub const VERDICT_DETAILS: u32 = 4;
/// Result code bit: what is sent differs from what the page passed (properties omitted or
/// left out as unchanged, or context properties added: see [`REPORT_ADDED`]).
pub const VERDICT_CHANGED: u32 = 8;
/// Where the rule version starts, in `check`'s result code and in its flags.
pub const VERSION_SHIFT: u32 = 8;

/// `check` flag: the input starts with the call's name (else the call has no event
/// name, page name or userId that is a string).
pub const FLAG_HAS_NAME: u32 = 1;
/// `check` flag: after the name, the input is not a JSON value but the UTF-8 text of why
/// the payload could not be written as one.
pub const FLAG_PAYLOAD_ERROR: u32 = 2;
/// `check` flag: a dry run, neither recorded nor counted.
pub const FLAG_DRY_RUN: u32 = 4;
/// `check` flag: if the policy lets the call through, the page's delivery holds it until
/// analytics.js has loaded.
pub const FLAG_QUEUED: u32 = 8;
/// `check` flag: if the policy lets the call through, the page's delivery drops it (no
/// write key, or analytics.js could not load).
pub const FLAG_DROPPED: u32 = 16;

/// `report` of the last call's full verdict: `{ ok, action, type, event?, violations,
/// omitted, unchanged?, hints, version? }`; empty before the first call.
pub const REPORT_VERDICT: u32 = 0;
/// `report` of the context properties the last call gained (see `setContext`): an
/// object to add to what is sent.
pub const REPORT_ADDED: u32 = 1;
/// `report` of the recent calls with their verdicts, oldest first.
pub const REPORT_HISTORY: u32 = 2;
/// `report` of the plan: `{ id, name, events: [{ name, version, description,
/// properties }], identify, group, page, common }` (rules the plan lacks are `null`).
pub const REPORT_PLAN: u32 = 3;
/// `report` of what the shim needs to know once: `{ planId, throwOnViolation,
/// forwardViolations, warning? }`.
pub const REPORT_SETTINGS: u32 = 4;
/// `report` that ends the page's task (the shim asks from a timer in debug mode): the
/// `identify-without-track` hint when an identify was not followed by a track, else
/// empty.
pub const REPORT_TASK_END: u32 = 5;

/// The tags of a JSON value in the binary form (`crate::binary`, `js/sdk/encode.js`).
pub mod tag {
    /// `null`.
    pub const NULL: usize = 0;
    /// `false`.
    pub const FALSE: usize = 1;
    /// `true`.
    pub const TRUE: usize = 2;
    /// A number: its eight little-endian bytes.
    pub const NUMBER: usize = 3;
    /// A string: its length, then its UTF-8.
    pub const STRING: usize = 4;
    /// An array: its length, then each item.
    pub const ARRAY: usize = 5;
    /// An object: its member count, then each key (a string without tag) and its value.
    pub const OBJECT: usize = 6;
}

/// The environments, in the order of their numbers across the boundary.
pub const ENVIRONMENTS: [Environment; 4] = [
    Environment::Production,
    Environment::Staging,
    Environment::Development,
    Environment::Test,
];

/// The analytics.js methods, in the order of their numbers across the boundary.
pub const CALL_KINDS: [CallKind; 4] = [
    CallKind::Track,
    CallKind::Identify,
    CallKind::Page,
    CallKind::Group,
];

/// The policy's fields in the order of their two bits in an override code (the lowest
/// first), each with its values in the order of their numbers there (0 leaves a field
/// as it is; `n` sets its `n`th value). See `Policy::override_by_code`.
pub const POLICY_FIELDS: [(&str, &[&str]); 6] = [
    ("unplannedEvents", &UnplannedEvents::NAMES),
    ("unplannedProperties", &UnplannedProperties::NAMES),
    ("violations", &OnViolation::NAMES),
    ("throwOnViolation", &["true", "false"]),
    ("forwardViolations", &["true", "false"]),
    ("identify", &Identify::NAMES),
];

/// `js/sdk/protocol.js`: this module's declarations as JavaScript constants.
#[cfg(not(target_arch = "wasm32"))]
pub fn javascript() -> String {
    use std::fmt::Write;
    let list = |items: &mut dyn Iterator<Item = String>| items.collect::<Vec<_>>().join(", ");
    let quoted = |s: &str| format!("'{s}'");
    let mut out = String::from(
        "// Generated from src/protocol.rs by `cargo run --example protocol`: do not edit.\n\
         // What the shim and the wasm cores agree on; see src/protocol.rs for what each means.\n\
         // A module without imports, so that bundlers put the numbers where they are used.\n\n",
    );
    let mut constant = |name: &str, value: String| {
        let _ = writeln!(out, "export const {name} = {value};");
    };
    constant("VERSION", quoted(VERSION));
    constant("PLAN_SECTION", quoted(PLAN_SECTION));
    for (name, value) in [
        ("VERDICT_OK", VERDICT_OK),
        ("VERDICT_BLOCKED", VERDICT_BLOCKED),
        ("VERDICT_DETAILS", VERDICT_DETAILS),
        ("VERDICT_CHANGED", VERDICT_CHANGED),
        ("VERSION_SHIFT", VERSION_SHIFT),
        ("FLAG_HAS_NAME", FLAG_HAS_NAME),
        ("FLAG_PAYLOAD_ERROR", FLAG_PAYLOAD_ERROR),
        ("FLAG_DRY_RUN", FLAG_DRY_RUN),
        ("FLAG_QUEUED", FLAG_QUEUED),
        ("FLAG_DROPPED", FLAG_DROPPED),
        ("REPORT_VERDICT", REPORT_VERDICT),
        ("REPORT_ADDED", REPORT_ADDED),
        ("REPORT_HISTORY", REPORT_HISTORY),
        ("REPORT_PLAN", REPORT_PLAN),
        ("REPORT_SETTINGS", REPORT_SETTINGS),
        ("REPORT_TASK_END", REPORT_TASK_END),
    ] {
        constant(name, value.to_string());
    }
    for (name, value) in [
        ("TAG_NULL", tag::NULL),
        ("TAG_FALSE", tag::FALSE),
        ("TAG_TRUE", tag::TRUE),
        ("TAG_NUMBER", tag::NUMBER),
        ("TAG_STRING", tag::STRING),
        ("TAG_ARRAY", tag::ARRAY),
        ("TAG_OBJECT", tag::OBJECT),
    ] {
        constant(name, value.to_string());
    }
    constant("MAX_DEPTH", crate::json::MAX_DEPTH.to_string());
    constant(
        "MAX_PAYLOAD_BYTES",
        crate::tracker::MAX_PAYLOAD_BYTES.to_string(),
    );
    constant(
        "ENVIRONMENTS",
        format!(
            "[{}]",
            list(&mut ENVIRONMENTS.iter().map(|e| quoted(e.name())))
        ),
    );
    constant(
        "CALL_KINDS",
        format!(
            "[{}]",
            list(&mut CALL_KINDS.iter().map(|k| quoted(k.name())))
        ),
    );
    let fields = POLICY_FIELDS.iter().map(|(field, values)| {
        let values = values.iter().map(|v| match *v {
            "true" | "false" => v.to_string(),
            v => quoted(v),
        });
        format!("  {field}: [{}],", list(&mut { values }))
    });
    constant(
        "POLICY_FIELDS",
        format!("{{\n{}\n}}", fields.collect::<Vec<_>>().join("\n")),
    );
    out
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::*;

    /// The committed `js/sdk/protocol.js` is what this module generates: run `cargo run
    /// --example protocol > js/sdk/protocol.js` (the build does) after changing it.
    #[test]
    fn the_javascript_protocol_is_current() {
        let path = concat!(env!("CARGO_MANIFEST_DIR"), "/js/sdk/protocol.js");
        let committed = std::fs::read_to_string(path).unwrap_or_default();
        assert!(
            committed == javascript(),
            "js/sdk/protocol.js is stale: run `cargo run --example protocol > js/sdk/protocol.js`"
        );
    }

    #[test]
    fn each_number_is_its_place_in_the_order() {
        for (code, environment) in ENVIRONMENTS.iter().enumerate() {
            assert_eq!(Environment::from_code(code as u32), *environment);
        }
        for (code, kind) in CALL_KINDS.iter().enumerate() {
            assert_eq!(CallKind::from_code(code as u32), Some(*kind));
        }
        assert_eq!(CallKind::from_code(4), None);
        let flags = [
            FLAG_HAS_NAME,
            FLAG_PAYLOAD_ERROR,
            FLAG_DRY_RUN,
            FLAG_QUEUED,
            FLAG_DROPPED,
        ];
        assert!(flags
            .iter()
            .all(|f| f.count_ones() == 1 && *f < 1 << VERSION_SHIFT));
        assert_eq!(flags.iter().fold(0, |all, f| all | f).count_ones(), 5);
    }
}
