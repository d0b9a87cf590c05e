//! What the shim shows people, as JSON text: verdicts, the history, added context and
//! the plan summary, in the contract's shapes. The bindings hand the text over and the
//! shim parses it with `JSON.parse`: one string crossing the wasm boundary instead of an
//! object built field by field from wasm, which cost a crossing per field.

use crate::json::{is_integer, push_quoted, Value};
use crate::plan::{Plan, PropertySummary, Rule, RuleKind};
use crate::policy::Policy;
use crate::prelude::*;
use crate::text::{boolean, number, push_integer};
use crate::tracker::{Decision, Handover, HistoryEntry, Verdict, ADVICE};
use crate::violation::Violation;

mod constraints;

/// The contract's `Verdict`: `{ ok, action, type, event?, violations, omitted, hints,
/// version? }`, where each violation and hint is `{ kind, path, message, schemaPath? }`.
pub fn verdict(verdict: &Verdict) -> String {
    // Room for a verdict with a violation or two without growing.
    let mut out = String::with_capacity(512);
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
    let mut list = List::open(&mut out);
    for entry in entries {
        let mut object = Object::open(list.item());
        verdict_members(&mut object, &entry.verdict);
        write_number(object.key("seq"), entry.seq as f64);
        write_value(object.key("payload"), &entry.payload);
        object.close();
    }
    list.close();
    out
}

/// The context properties a call gained, as an object of name to value.
pub fn added(verdict: Option<&Verdict>) -> String {
    let mut out = String::new();
    let mut object = Object::open(&mut out);
    for (name, value) in verdict.map_or(&[][..], |v| &v.added) {
        write_value(object.quoted_key(name), value);
    }
    object.close();
    out
}

/// What the shim reads once from a tracker: `{ planId, throwOnViolation,
/// forwardViolations, warning? }`, the plan's id (`trackingPlanId` of forwarded
/// violations, or `null`), the two policy fields the shim acts on, and what the set-up
/// changed that the page should hear about (see [`Policy::enforce`]).
pub fn settings(policy: &Policy, plan_id: Option<&str>, warning: Option<&str>) -> String {
    let mut out = String::with_capacity(128);
    let mut object = Object::open(&mut out);
    object.string_or_null("planId", plan_id);
    object.raw("throwOnViolation", boolean(policy.throw_on_violation));
    object.raw("forwardViolations", boolean(policy.forward_violations));
    if let Some(warning) = warning {
        object.string("warning", warning);
    }
    object.close();
    out
}

/// The plan as the console and inspector show it: `{ id, name, events, identify, group,
/// page, common }`, where `events` holds the newest version of each track rule and the
/// others are that rule or `null`. A rule is `{ name, version, description?,
/// properties }`, a property `{ name, type, required, allowed, description? }` and,
/// where there is [`ADVICE`] (the full core), every constraint of its schema, as
/// `report/constraints.rs` writes them.
pub fn plan(plan: &Plan) -> String {
    let mut out = String::with_capacity(4096);
    let mut object = Object::open(&mut out);
    object.string_or_null("id", plan.id.as_deref());
    object.string("name", &plan.name);
    let mut events = List::open(object.key("events"));
    for rule in plan.rules() {
        let newest = rule.kind == RuleKind::Track
            && plan
                .event(&rule.name, None)
                .is_some_and(|n| core::ptr::eq(n, rule));
        if newest {
            write_rule(events.item(), rule);
        }
    }
    events.close();
    for (key, kind) in [
        ("identify", RuleKind::Identify),
        ("group", RuleKind::Group),
        ("page", RuleKind::Page),
        ("common", RuleKind::Common),
    ] {
        match plan.rule(kind) {
            Some(rule) => write_rule(object.key(key), rule),
            None => object.raw(key, "null"),
        }
    }
    object.close();
    out
}

/// Writes a JSON array item by item: one writer for every array, where a generic
/// function taking the items and a closure was compiled once per kind of item.
struct List<'a> {
    out: &'a mut String,
    empty: bool,
}

impl<'a> List<'a> {
    fn open(out: &'a mut String) -> Self {
        out.push('[');
        List { out, empty: true }
    }

    /// Starts the next item and returns the text to write it to.
    fn item(&mut self) -> &mut String {
        if !self.empty {
            self.out.push(',');
        }
        self.empty = false;
        self.out
    }

    fn close(self) {
        self.out.push(']');
    }
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

    /// Starts the member `key`, a name that needs no escaping, and returns the text to
    /// write its value to.
    fn key(&mut self, key: &str) -> &mut String {
        let out = self.next();
        out.push('"');
        out.push_str(key);
        out.push_str("\":");
        out
    }

    /// Starts the member named `name`, escaped as JSON needs, and returns the text to
    /// write its value to.
    fn quoted_key(&mut self, name: &str) -> &mut String {
        let out = self.next();
        push_quoted(out, name);
        out.push(':');
        out
    }

    /// The text to write the next member to, after a comma unless it is the first.
    fn next(&mut self) -> &mut String {
        if !self.empty {
            self.out.push(',');
        }
        self.empty = false;
        self.out
    }

    /// Writes the member `key` with `value`, JSON text as it is.
    fn raw(&mut self, key: &str, value: &str) {
        self.key(key).push_str(value);
    }

    /// Writes the member `key` with the string `value`.
    fn string(&mut self, key: &str, value: &str) {
        push_quoted(self.key(key), value);
    }

    /// Writes the member `key` with the string `value`, or `null`.
    fn string_or_null(&mut self, key: &str, value: Option<&str>) {
        match value {
            Some(value) => self.string(key, value),
            None => self.raw(key, "null"),
        }
    }

    fn close(self) {
        self.out.push('}');
    }
}

fn verdict_members(object: &mut Object, verdict: &Verdict) {
    object.raw("ok", boolean(verdict.ok()));
    object.raw(
        "action",
        match (verdict.decision, verdict.handover) {
            (Decision::Block, _) => "\"blocked\"",
            (Decision::Skip, _) => "\"skipped\"",
            (Decision::Send, Handover::Sent) => "\"sent\"",
            (Decision::Send, Handover::Queued) => "\"queued\"",
            (Decision::Send, Handover::Dropped) => "\"dropped\"",
        },
    );
    object.string("type", verdict.kind.name());
    if let Some(event) = &verdict.event {
        object.string("event", event);
    }
    write_violations(object.key("violations"), &verdict.violations);
    write_names(object.key("omitted"), &verdict.omitted);
    if !verdict.unchanged.is_empty() {
        write_names(object.key("unchanged"), &verdict.unchanged);
    }
    write_violations(object.key("hints"), &verdict.hints);
    if let Some(version) = verdict.rule_version {
        write_number(object.key("version"), f64::from(version));
    }
}

fn write_names(out: &mut String, names: &[String]) {
    let mut list = List::open(out);
    for name in names {
        push_quoted(list.item(), name);
    }
    list.close();
}

fn write_violations(out: &mut String, violations: &[Violation]) {
    let mut list = List::open(out);
    for violation in violations {
        write_violation(list.item(), violation);
    }
    list.close();
}

fn write_violation(out: &mut String, violation: &Violation) {
    let mut object = Object::open(out);
    object.string("kind", violation.kind);
    object.string("path", &violation.path);
    object.string("message", &violation.message);
    if !violation.schema_path.is_empty() {
        object.string("schemaPath", &violation.schema_path);
    }
    object.close();
}

fn write_rule(out: &mut String, rule: &Rule) {
    let mut object = Object::open(out);
    object.string("name", &rule.name);
    write_number(object.key("version"), f64::from(rule.version));
    if let Some(description) = &rule.description {
        object.string("description", description);
    }
    let mut properties = List::open(object.key("properties"));
    for property in rule.properties() {
        write_property(properties.item(), &property, rule);
    }
    properties.close();
    object.close();
}

fn write_property(out: &mut String, property: &PropertySummary, rule: &Rule) {
    let mut object = Object::open(out);
    object.string("name", property.name);
    let mut types = List::open(object.key("type"));
    for t in property.types() {
        push_quoted(types.item(), t);
    }
    types.close();
    object.raw("required", boolean(property.required));
    let mut allowed = List::open(object.key("allowed"));
    for value in property.allowed {
        write_value(allowed.item(), value);
    }
    allowed.close();
    if let Some(description) = &property.description {
        object.string("description", description);
    }
    if ADVICE {
        constraints::write_property(&mut object, rule, property.name);
    }
    object.close();
}

/// Writes `value` as JSON text.
pub fn write_value(out: &mut String, value: &Value) {
    match value {
        Value::Null => out.push_str("null"),
        Value::Bool(b) => out.push_str(boolean(*b)),
        Value::Number(n) => write_number(out, *n),
        Value::String(s) => push_quoted(out, s),
        Value::Array(items) => {
            let mut list = List::open(out);
            for item in items {
                write_value(list.item(), item);
            }
            list.close();
        }
        Value::Object(map) => {
            let mut object = Object::open(out);
            for (name, value) in map.iter() {
                write_value(object.quoted_key(name), value);
            }
            object.close();
        }
    }
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
    use crate::tracker::{CallKind, Handover, Request, Tracker, Unusable};

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
        let v = t.process_json(CallKind::Track, Some("e"), None, Ok(r#"{"n":"x"}"#), false);
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
    fn the_action_of_a_call_let_through_is_its_handover_in_the_verdict_and_the_history() {
        let mut t = tracker();
        let action = |text: &str| {
            parse(text)
                .unwrap()
                .get("action")
                .and_then(Value::as_str)
                .map(str::to_string)
        };
        let mut actions = Vec::new();
        for (payload, handover) in [
            (r#"{"a":"x"}"#, Handover::Sent),
            (r#"{"a":"x"}"#, Handover::Queued),
            (r#"{"a":"x"}"#, Handover::Dropped),
            (r#"{"a":1}"#, Handover::Dropped),
        ] {
            let v = t.call(Request {
                kind: CallKind::Track,
                name: Some("e"),
                event_version: Some(1),
                payload: parse(payload).map_err(|e| Unusable::NotData(e.to_string())),
                payload_bound: None,
                beside: 0,
                handover,
                dry_run: false,
            });
            actions.push(action(&verdict(&v)));
        }
        let in_history: Vec<_> = parse(&history(t.history()))
            .unwrap()
            .as_array()
            .unwrap()
            .iter()
            .map(|entry| {
                entry
                    .get("action")
                    .and_then(Value::as_str)
                    .map(str::to_string)
            })
            .collect();
        let expected = ["sent", "queued", "dropped", "blocked"].map(|a| Some(a.to_string()));
        assert_eq!(actions, expected, "a blocked call stays blocked");
        assert_eq!(in_history, expected);
    }

    #[test]
    fn added_context_is_an_object_of_names_to_values() {
        let mut t = tracker();
        t.set_context("n", Some(Value::Number(2.5))).unwrap();
        let v = t.process_json(CallKind::Track, Some("e"), None, Ok("{}"), true);
        let json = parse(&added(Some(&v))).unwrap();
        assert_eq!(json.get("n").and_then(Value::as_f64), Some(2.5));
        assert_eq!(added(None), "{}");
    }

    #[test]
    fn the_history_shows_a_payload_as_sent_with_its_context() {
        let mut t = tracker();
        t.set_context("n", Some(Value::Number(2.5))).unwrap();
        t.process_json(CallKind::Track, Some("e"), None, Ok(r#"{"a":"x"}"#), false);
        let json = parse(&history(t.history())).unwrap();
        let payload = json.as_array().unwrap()[0].get("payload").unwrap();
        let members: Vec<_> = payload.as_object().unwrap().iter().collect();
        assert_eq!(
            members,
            [
                ("a", &Value::String("x".into())),
                ("n", &Value::Number(2.5))
            ]
        );
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
