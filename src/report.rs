//! What the shim shows people, as JSON text: verdicts, the history, added context and
//! the plan summary, in the contract's shapes. The bindings hand the text over and the
//! shim parses it with `JSON.parse`: one string crossing the wasm boundary instead of an
//! object built field by field from wasm, which cost a crossing per field.

use crate::conventions::Report;
use crate::json::{is_integer, quote, Value};
use crate::plan::{Plan, PropertySummary, Rule, RuleDocument, RuleKind};
use crate::policy::Policy;
use crate::prelude::*;
use crate::text::{boolean, number, push_integer};
use crate::tracker::{Decision, HistoryEntry, Verdict};
use crate::violation::Violation;

/// The contract's `Verdict`: `{ ok, action, type, event?, violations, omitted, hints,
/// version? }`, where each violation and hint is `{ kind, path, message, schemaPath? }`.
pub fn verdict(verdict: &Verdict) -> String {
    let mut out = String::with_capacity(256);
    let mut object = Object::open(&mut out);
    verdict_members(&mut object, verdict);
    object.close();
    out
}

/// A violation or hint: `{ kind, path, message, schemaPath? }`.
pub fn violation(violation: &Violation) -> String {
    let mut out = String::with_capacity(128);
    write_violation(&mut out, violation);
    out
}

/// The history, oldest first: each entry is its verdict plus `seq` (the call's number
/// since the tracker started) and `payload` (the properties or traits, context added).
pub fn history<'a>(entries: impl Iterator<Item = &'a HistoryEntry>) -> String {
    let mut out = String::with_capacity(1024);
    array(&mut out, entries, |out, entry| {
        let mut object = Object::open(out);
        verdict_members(&mut object, &entry.verdict);
        write_number(object.key("seq"), entry.seq as f64);
        write_value(object.key("payload"), &entry.payload);
        object.close();
    });
    out
}

/// The context properties a call gained, as an object of name to value.
pub fn added(verdict: Option<&Verdict>) -> String {
    let mut out = String::new();
    let added = verdict.iter().flat_map(|v| &v.added);
    write_members(&mut out, added.map(|(name, value)| (name.as_str(), value)));
    out
}

/// What the shim reads once from a tracker: `{ planId, throwOnViolation,
/// forwardViolations, warning? }`, the plan's id (`trackingPlanId` of forwarded
/// violations, or `null`), the two policy fields the shim acts on, and what the set-up
/// changed that the page should hear about (see [`Policy::enforce`]).
pub fn settings(policy: &Policy, plan_id: Option<&str>, warning: Option<&str>) -> String {
    let mut out = String::with_capacity(128);
    let mut object = Object::open(&mut out);
    match plan_id {
        Some(id) => object.key("planId").push_str(&quote(id)),
        None => object.key("planId").push_str("null"),
    }
    object
        .key("throwOnViolation")
        .push_str(boolean(policy.throw_on_violation));
    object
        .key("forwardViolations")
        .push_str(boolean(policy.forward_violations));
    if let Some(warning) = warning {
        object.key("warning").push_str(&quote(warning));
    }
    object.close();
    out
}

/// The plan as the console and inspector show it: `{ id, name, events, identify, group,
/// page, common }`, where `events` holds the newest version of each track rule and the
/// others are that rule or `null`. A rule is `{ name, version, description?,
/// properties }`, a property `{ name, type, required, allowed, description? }`.
pub fn plan(plan: &Plan) -> String {
    let mut out = String::with_capacity(4096);
    let mut object = Object::open(&mut out);
    match &plan.id {
        Some(id) => object.key("id").push_str(&quote(id)),
        None => object.key("id").push_str("null"),
    }
    object.key("name").push_str(&quote(&plan.name));
    let newest = plan.rules().filter(|r| {
        r.kind == RuleKind::Track
            && plan
                .event(&r.name, None)
                .is_some_and(|n| core::ptr::eq(n, *r))
    });
    array(object.key("events"), newest, write_rule);
    for (key, kind) in [
        ("identify", RuleKind::Identify),
        ("group", RuleKind::Group),
        ("page", RuleKind::Page),
        ("common", RuleKind::Common),
    ] {
        match plan.rule(kind) {
            Some(rule) => write_rule(object.key(key), rule),
            None => object.key(key).push_str("null"),
        }
    }
    object.close();
    out
}

/// The conventions lint of a plan, for the CLI: `{ findings: [{ rule, severity, event,
/// property, message, fix }], errors, warnings, silenced }`.
pub fn lint(report: &Report) -> String {
    let mut out = String::with_capacity(1024);
    let mut object = Object::open(&mut out);
    array(object.key("findings"), &report.findings, |out, f| {
        let mut finding = Object::open(out);
        finding.key("rule").push_str(&quote(f.rule));
        finding.key("severity").push_str(&quote(f.severity.name()));
        finding.key("event").push_str(&quote(&f.event));
        finding.key("property").push_str(&quote(&f.property));
        finding.key("message").push_str(&quote(&f.message));
        finding.key("fix").push_str(&quote(&f.fix));
        finding.close();
    });
    write_number(object.key("errors"), report.errors() as f64);
    write_number(object.key("warnings"), report.warnings() as f64);
    write_number(object.key("silenced"), report.silenced as f64);
    object.close();
    out
}

/// A plan's rules for tools that generate code from it: `[{ name, kind, version,
/// description?, schema }]`, where `schema` is the payload's JSON Schema (`null` when
/// the rule does not constrain it).
pub fn rule_documents(rules: &[RuleDocument]) -> String {
    let mut out = String::with_capacity(4096);
    array(&mut out, rules, |out, rule| {
        let mut object = Object::open(out);
        object.key("name").push_str(&quote(&rule.name));
        object.key("kind").push_str(&quote(rule.kind.name()));
        write_number(object.key("version"), f64::from(rule.version));
        if let Some(description) = &rule.description {
            object.key("description").push_str(&quote(description));
        }
        match &rule.payload {
            Some(schema) => write_value(object.key("schema"), schema),
            None => object.key("schema").push_str("null"),
        }
        object.close();
    });
    out
}

/// Writes `items` as a JSON array, each with `write`.
fn array<T>(
    out: &mut String,
    items: impl IntoIterator<Item = T>,
    mut write: impl FnMut(&mut String, T),
) {
    out.push('[');
    for (i, item) in items.into_iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        write(out, item);
    }
    out.push(']');
}

/// Writes a JSON object member by member.
struct Object<'a> {
    out: &'a mut String,
    empty: bool,
}

impl<'a> Object<'a> {
    fn open(out: &'a mut String) -> Self {
        out.push('{');
        Object { out, empty: true }
    }

    /// Starts the member `key` and returns the text to write its value to.
    fn key(&mut self, key: &str) -> &mut String {
        if !self.empty {
            self.out.push(',');
        }
        self.empty = false;
        self.out.push('"');
        self.out.push_str(key);
        self.out.push_str("\":");
        self.out
    }

    fn close(self) {
        self.out.push('}');
    }
}

fn verdict_members(object: &mut Object, verdict: &Verdict) {
    object.key("ok").push_str(boolean(verdict.ok()));
    object.key("action").push_str(match verdict.decision {
        Decision::Send => "\"sent\"",
        Decision::Block => "\"blocked\"",
    });
    object.key("type").push_str(&quote(verdict.kind.name()));
    if let Some(event) = &verdict.event {
        object.key("event").push_str(&quote(event));
    }
    write_violations(object.key("violations"), &verdict.violations);
    array(object.key("omitted"), &verdict.omitted, |out, name| {
        out.push_str(&quote(name));
    });
    write_violations(object.key("hints"), &verdict.hints);
    if let Some(version) = verdict.rule_version {
        write_number(object.key("version"), f64::from(version));
    }
}

fn write_violations(out: &mut String, violations: &[Violation]) {
    array(out, violations, write_violation);
}

fn write_violation(out: &mut String, violation: &Violation) {
    let mut object = Object::open(out);
    object.key("kind").push_str(&quote(violation.kind));
    object.key("path").push_str(&quote(&violation.path));
    object.key("message").push_str(&quote(&violation.message));
    if !violation.schema_path.is_empty() {
        object
            .key("schemaPath")
            .push_str(&quote(&violation.schema_path));
    }
    object.close();
}

fn write_rule(out: &mut String, rule: &Rule) {
    let mut object = Object::open(out);
    object.key("name").push_str(&quote(&rule.name));
    write_number(object.key("version"), f64::from(rule.version));
    if let Some(description) = &rule.description {
        object.key("description").push_str(&quote(description));
    }
    array(object.key("properties"), rule.properties(), write_property);
    object.close();
}

fn write_property(out: &mut String, property: &PropertySummary) {
    let mut object = Object::open(out);
    object.key("name").push_str(&quote(&property.name));
    array(object.key("type"), &property.types, |out, t| {
        out.push_str(&quote(t))
    });
    object.key("required").push_str(boolean(property.required));
    array(object.key("allowed"), &property.allowed, write_value);
    if let Some(description) = &property.description {
        object.key("description").push_str(&quote(description));
    }
    object.close();
}

/// Writes `value` as JSON text.
pub fn write_value(out: &mut String, value: &Value) {
    match value {
        Value::Null => out.push_str("null"),
        Value::Bool(b) => out.push_str(boolean(*b)),
        Value::Number(n) => write_number(out, *n),
        Value::String(s) => out.push_str(&quote(s)),
        Value::Array(items) => array(out, items, write_value),
        Value::Object(map) => write_members(out, map.iter()),
    }
}

/// Writes an object of `members` (names and JSON values) as JSON text.
fn write_members<'v>(out: &mut String, members: impl Iterator<Item = (&'v str, &'v Value)>) {
    out.push('{');
    for (i, (name, value)) in members.enumerate() {
        if i > 0 {
            out.push(',');
        }
        out.push_str(&quote(name));
        out.push(':');
        write_value(out, value);
    }
    out.push('}');
}

/// A finite number as JSON (the shortest decimal that reads back as it); JSON has no
/// NaN or infinities, which parsed JSON never holds: they are written as `null`.
fn write_number(out: &mut String, n: f64) {
    if is_integer(n) && (0.0..=MAX_EXACT_INTEGER).contains(&n) && n.is_sign_positive() {
        // Counts, versions, sequence numbers: plain digits, no shortest-decimal search.
        push_integer(out, n as u64);
    } else if n.is_finite() {
        out.push_str(&number(n));
    } else {
        out.push_str("null");
    }
}

/// The largest integer below which every integer is a double (2^53).
const MAX_EXACT_INTEGER: f64 = 9_007_199_254_740_992.0;

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::*;
    use crate::json::parse;
    use crate::plan::Plan;
    use crate::policy::{Environment, Policy};
    use crate::regex::NativeRegex;
    use crate::tracker::{CallKind, Tracker};

    const PLAN: &str = r#"{"id":"tp_1","name":"p","rules":[
        {"key":"e","type":"TRACK","version":1,"jsonSchema":{"properties":{"a":{"type":"string"}}}},
        {"key":"e","type":"TRACK","version":2,"jsonSchema":{"description":"E",
          "properties":{"n":{"type":["integer","null"],"enum":[1,2.5,null],"description":"N"}},"required":["n"]}},
        {"key":"IDENTIFY","type":"IDENTIFY","jsonSchema":{"properties":{"user_type":{"enum":["patient"]}}}}]}"#;

    fn tracker() -> Tracker {
        let mut regex = NativeRegex::default();
        let plan = Plan::from_json(PLAN, &mut regex).unwrap();
        let policy = Policy::default_for(Environment::Development);
        Tracker::new(plan, Box::new(regex), policy, 10)
    }

    #[test]
    fn values_round_trip_through_their_json_text() {
        for text in [
            r#"{"a":[1,-2.5,1e21,0.000001,-0,true,false,null],"b":"x\"\\\n\u0001é😀","__proto__":{}}"#,
            "[]",
            "{}",
            r#""\u2028""#,
            "123456789012345680000",
            "[0,7,10,4294967296,9007199254740992,9007199254740993,-3]",
        ] {
            let value = parse(text).unwrap();
            let mut out = String::new();
            write_value(&mut out, &value);
            assert!(parse(&out).unwrap().json_eq(&value), "{text} → {out}");
        }
    }

    #[test]
    fn a_verdict_is_the_contracts_shape() {
        let mut t = tracker();
        let v = t.process_json(
            CallKind::Track,
            Some("e".into()),
            None,
            Ok(r#"{"n":"x"}"#),
            false,
        );
        let json = parse(&verdict(&v)).unwrap();
        assert_eq!(json.get("ok"), Some(&Value::Bool(false)));
        assert_eq!(json.get("action").and_then(Value::as_str), Some("blocked"));
        assert_eq!(json.get("type").and_then(Value::as_str), Some("track"));
        assert_eq!(json.get("event").and_then(Value::as_str), Some("e"));
        assert_eq!(json.get("version").and_then(Value::as_f64), Some(2.0));
        let first = &json.get("violations").and_then(Value::as_array).unwrap()[0];
        assert_eq!(first.get("path").and_then(Value::as_str), Some("/n"));
        assert!(first.get("schemaPath").is_some() && first.get("message").is_some());
        assert_eq!(json.get("omitted").and_then(Value::as_array), Some(&[][..]));

        let history = parse(&history(t.history())).unwrap();
        let entry = &history.as_array().unwrap()[0];
        assert_eq!(entry.get("seq").and_then(Value::as_f64), Some(1.0));
        assert_eq!(
            entry
                .get("payload")
                .and_then(|p| p.get("n"))
                .and_then(Value::as_str),
            Some("x")
        );
    }

    #[test]
    fn added_context_is_an_object_of_names_to_values() {
        let mut t = tracker();
        t.set_context("n", Some(Value::Number(2.5)));
        let v = t.process_json(CallKind::Track, Some("e".into()), None, Ok("{}"), true);
        let json = parse(&added(Some(&v))).unwrap();
        assert_eq!(json.get("n").and_then(Value::as_f64), Some(2.5));
        assert_eq!(added(None), "{}");
    }

    #[test]
    fn the_plan_summary_holds_the_newest_events_and_the_other_rules() {
        let t = tracker();
        let json = parse(&plan(t.plan())).unwrap();
        assert_eq!(json.get("id").and_then(Value::as_str), Some("tp_1"));
        let events = json.get("events").and_then(Value::as_array).unwrap();
        assert_eq!(events.len(), 1, "one entry per event name");
        assert_eq!(events[0].get("version").and_then(Value::as_f64), Some(2.0));
        assert_eq!(
            events[0].get("description").and_then(Value::as_str),
            Some("E")
        );
        let n = &events[0]
            .get("properties")
            .and_then(Value::as_array)
            .unwrap()[0];
        assert_eq!(n.get("required"), Some(&Value::Bool(true)));
        assert_eq!(
            n.get("allowed").and_then(Value::as_array).map(<[_]>::len),
            Some(3)
        );
        assert!(json
            .get("identify")
            .and_then(|r| r.get("properties"))
            .is_some());
        assert_eq!(json.get("group"), Some(&Value::Null));
    }

    #[test]
    fn settings_name_the_plan_the_two_flags_and_any_warning() {
        let production = Policy::default_for(Environment::Production);
        assert_eq!(
            settings(&production, Some("tp_1"), None),
            r#"{"planId":"tp_1","throwOnViolation":false,"forwardViolations":true}"#
        );
        let test = Policy::default_for(Environment::Test);
        assert_eq!(
            settings(&test, None, Some("say \"so\"")),
            r#"{"planId":null,"throwOnViolation":true,"forwardViolations":false,"warning":"say \"so\""}"#
        );
    }
}
