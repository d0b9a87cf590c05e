//! Reading a plan document: the three Segment export shapes, each rule's schema unwrapped
//! and compiled. Not in the production cores, which read their plan already compiled
//! (see [`super::encoding`]).

use crate::prelude::*;
use alloc::borrow::Cow;
use alloc::format;

use super::{plan_error, Plan, PlanError, Rule, RuleBody, RuleDocument, RuleKind};
use crate::json::{self, Map, Value};
use crate::regex::RegexEngine;
use crate::schema;

/// A rule as read from the document, before its schema is compiled.
struct RawRule<'a> {
    name: String,
    kind: RuleKind,
    version: u32,
    description: Option<String>,
    schema: &'a Value,
    at: SchemaAt,
}

/// Where a rule's schema stands in the document. Written out as a JSON pointer only for
/// an error: a plan that loads never needs it.
#[derive(Clone, Copy)]
enum SchemaAt {
    /// Member `member` of item `index` of the array at `list` (`/rules/3/jsonSchema`).
    Item {
        list: &'static str,
        index: usize,
        member: &'static str,
    },
    /// A member of the root's `rules` object (`/rules/global`).
    Field(&'static str),
}

impl SchemaAt {
    /// The JSON pointer of the schema.
    fn pointer(self) -> String {
        match self {
            SchemaAt::Item {
                list,
                index,
                member,
            } => format!("{list}/{index}{member}"),
            SchemaAt::Field(field) => format!("/rules/{field}"),
        }
    }
}

impl Plan {
    /// Parses and compiles a plan from JSON text.
    pub fn from_json(text: &str, regex: &mut dyn RegexEngine) -> Result<Plan, PlanError> {
        let doc = json::parse(text).map_err(|e| plan_error("", "", e.in_text(text)))?;
        Plan::from_value(&doc, regex)
    }

    /// Compiles a plan from a parsed document of any supported shape.
    pub fn from_value(doc: &Value, regex: &mut dyn RegexEngine) -> Result<Plan, PlanError> {
        let root = plan_object(doc)?;
        let name = root
            .get("display_name")
            .or_else(|| root.get("name"))
            .and_then(Value::as_str)
            .unwrap_or("")
            .to_string();
        let id = root.get("id").and_then(Value::as_str).map(str::to_string);
        let rules = raw_rules(root)?
            .into_iter()
            .map(|r| compile_rule(r, regex))
            .collect::<Result<Vec<_>, _>>()?;
        Ok(Plan::new(id, name, rules))
    }

    /// A plan of one track rule, `event` (version 1), whose payload schema is the schema
    /// document `schema` itself, its root (`"$ref": "#"`, `$id` and `definitions` mean
    /// what they mean in a document of their own), compiled as a plan's rule is: what a
    /// Public API export with that rule's `jsonSchema` unwrapped loads to, but never
    /// read as Segment's wrapped form. A `$ref` to another document asks `resolver` for
    /// it, as in [`schema::compile_with`] (a plan document's `$ref`s resolve within
    /// it). For tools that check schemas on their own with a core's plan reader, such as
    /// the JSON Schema Test Suite run on the production cores (`examples/suite_plans.rs`).
    pub fn with_payload(
        event: &str,
        schema: &Value,
        regex: &mut dyn RegexEngine,
        resolver: &dyn Fn(&str) -> Option<Value>,
    ) -> Result<Plan, PlanError> {
        let body = payload_body(schema, regex, resolver)
            .map_err(|e| plan_error(event, &e.pointer, e.message))?;
        let rule = Rule {
            name: event.to_string(),
            kind: RuleKind::Track,
            version: 1,
            description: description_of(schema),
            body: Some(body),
        };
        Ok(Plan::new(None, String::new(), vec![rule]))
    }
}

/// The rules of a plan document of any supported shape, normalized but not compiled:
/// each rule's payload schema as JSON (what `trackplan types` generates declarations from).
pub fn rule_documents(doc: &Value) -> Result<Vec<RuleDocument>, PlanError> {
    Ok(raw_rules(plan_object(doc)?)?
        .into_iter()
        .map(|raw| RuleDocument {
            payload: payload_schema(&raw).map(|(doc, _)| doc.into_owned()),
            name: raw.name,
            kind: raw.kind,
            version: raw.version,
            description: raw.description,
        })
        .collect())
}

/// The members of a plan document, which must be an object.
fn plan_object(doc: &Value) -> Result<&Map, PlanError> {
    doc.as_object().ok_or_else(|| {
        plan_error(
            "",
            "",
            "a tracking plan must be a JSON object (a Segment export)",
        )
    })
}

/// The rules of a plan document, whichever of the three shapes it has; a Public API
/// response body as it comes (`{ data: { rules, pagination } }`, what a `curl` of the
/// tracking plan's rules saves) is read as the export it holds.
fn raw_rules(root: &Map) -> Result<Vec<RawRule<'_>>, PlanError> {
    let response = root
        .get("rules")
        .is_none()
        .then(|| root.get("data"))
        .flatten();
    if let Some(Value::Array(rules)) = response.and_then(|data| data.get("rules")) {
        return public_api_rules(rules, "/data/rules");
    }
    match (root.get("rules"), root.get("events")) {
        (Some(Value::Array(rules)), _) => public_api_rules(rules, "/rules"),
        (Some(Value::Object(rules)), _) => config_api_rules(rules),
        (None, Some(Value::Array(events))) => events_rules(events, "/events"),
        _ => Err(plan_error(
            "",
            "",
            "no rules found: expected `rules` (an array for a Public API export, an object \
             for a Config API export), `data.rules` (a Public API response) or `events` (the \
             local format)",
        )),
    }
}

/// The rules of a Public API export, found at `list` (`/rules`, or `/data/rules` in a
/// response body).
fn public_api_rules<'a>(
    rules: &'a [Value],
    list: &'static str,
) -> Result<Vec<RawRule<'a>>, PlanError> {
    let mut out = Vec::new();
    for (i, rule) in rules.iter().enumerate() {
        let pointer = || format!("{list}/{i}");
        let kind_name = rule.get("type").and_then(Value::as_str).unwrap_or("TRACK");
        let key = rule.get("key").and_then(Value::as_str);
        let kind = match kind_name {
            "TRACK" => RuleKind::Track,
            "IDENTIFY" => RuleKind::Identify,
            "GROUP" => RuleKind::Group,
            "PAGE" | "SCREEN" => RuleKind::Page,
            "COMMON" => RuleKind::Common,
            other => {
                return Err(plan_error(
                    key.unwrap_or(""),
                    &format!("{}/type", pointer()),
                    format!(
                        "unknown rule type {}: use TRACK, IDENTIFY, GROUP, PAGE, SCREEN or COMMON",
                        json::quote(other)
                    ),
                ))
            }
        };
        let name = match (kind, key) {
            (RuleKind::Track, Some(key)) => key.to_string(),
            (RuleKind::Track, None) => {
                return Err(plan_error(
                    "",
                    &pointer(),
                    "a TRACK rule needs a `key` (the event name)",
                ))
            }
            _ => kind.name().to_string(),
        };
        let schema = rule
            .get("jsonSchema")
            .ok_or_else(|| plan_error(&name, &pointer(), "the rule has no `jsonSchema`"))?;
        out.push(RawRule {
            name,
            kind,
            version: version_of(rule),
            description: description_of(rule).or_else(|| description_of(schema)),
            schema,
            at: SchemaAt::Item {
                list,
                index: i,
                member: "/jsonSchema",
            },
        });
    }
    Ok(out)
}

fn config_api_rules(rules: &Map) -> Result<Vec<RawRule<'_>>, PlanError> {
    let mut out = match rules.get("events") {
        Some(Value::Array(events)) => events_rules(events, "/rules/events")?,
        _ => Vec::new(),
    };
    for (field, kind) in [
        ("global", RuleKind::Common),
        ("identify_traits", RuleKind::Identify),
        ("group_traits", RuleKind::Group),
    ] {
        // An empty rule set is exported as `[]` or `{}`: nothing to check.
        if let Some(schema @ Value::Object(map)) = rules.get(field) {
            if !map.is_empty() {
                out.push(RawRule {
                    name: kind.name().to_string(),
                    kind,
                    version: 1,
                    description: None,
                    schema,
                    at: SchemaAt::Field(field),
                });
            }
        }
    }
    Ok(out)
}

fn events_rules<'a>(events: &'a [Value], at: &'static str) -> Result<Vec<RawRule<'a>>, PlanError> {
    events
        .iter()
        .enumerate()
        .map(|(i, event)| {
            let pointer = || format!("{at}/{i}");
            let name = event
                .get("name")
                .and_then(Value::as_str)
                .ok_or_else(|| plan_error("", &pointer(), "an event needs a `name`"))?;
            let schema = event
                .get("rules")
                .ok_or_else(|| plan_error(name, &pointer(), "the event has no `rules` schema"))?;
            Ok(RawRule {
                name: name.to_string(),
                kind: RuleKind::Track,
                version: version_of(event),
                description: description_of(event),
                schema,
                at: SchemaAt::Item {
                    list: at,
                    index: i,
                    member: "/rules",
                },
            })
        })
        .collect()
}

fn version_of(rule: &Value) -> u32 {
    rule.get("version")
        .and_then(Value::as_f64)
        .filter(|v| *v >= 1.0 && json::is_integer(*v) && *v <= f64::from(u32::MAX))
        .map_or(1, |v| v as u32)
}

fn description_of(value: &Value) -> Option<String> {
    value
        .get("description")
        .and_then(Value::as_str)
        .filter(|d| !d.trim().is_empty())
        .map(|d| d.trim().to_string())
}

/// Whether `schema` is Segment's wrapped form: its `properties` hold only `context`,
/// `traits` and `properties`, the parts of a call.
fn is_wrapped(schema: &Value) -> bool {
    schema
        .get("properties")
        .and_then(Value::as_object)
        .is_some_and(|props| {
            !props.is_empty()
                && props
                    .iter()
                    .all(|(k, _)| matches!(k, "context" | "traits" | "properties"))
                && (props.get("properties").is_some() || props.get("traits").is_some())
        })
}

/// The payload part of a rule's schema, as a stand-alone document, and its pointer
/// relative to the rule's schema.
///
/// For a wrapped schema that is `properties.properties` (track, page) or
/// `properties.traits` (identify, group); the root's `definitions` are carried along so
/// that `#/definitions/…` references keep resolving.
fn payload_schema<'a>(raw: &RawRule<'a>) -> Option<(Cow<'a, Value>, &'static str)> {
    if !is_wrapped(raw.schema) {
        return Some((Cow::Borrowed(raw.schema), ""));
    }
    let parts = raw.schema.get("properties")?;
    let (field, pointer) = match raw.kind {
        RuleKind::Identify | RuleKind::Group => ("traits", "/properties/traits"),
        _ => ("properties", "/properties/properties"),
    };
    let part = parts.get(field).or_else(|| match raw.kind {
        // COMMON rules may constrain either part; take whichever is present.
        RuleKind::Common => parts.get("traits"),
        _ => None,
    })?;
    match (part, raw.schema.get("definitions")) {
        (Value::Object(map), Some(defs)) if map.get("definitions").is_none() => {
            let mut doc = map.clone();
            doc.insert("definitions".to_string(), defs.clone());
            Some((Cow::Owned(Value::Object(doc)), pointer))
        }
        _ => Some((Cow::Borrowed(part), pointer)),
    }
}

fn compile_rule(raw: RawRule, regex: &mut dyn RegexEngine) -> Result<Rule, PlanError> {
    let body = match payload_schema(&raw) {
        Some((doc, pointer)) => payload_body(&doc, regex, &|_| None).map_err(|e| {
            let at = raw.at.pointer() + pointer + &e.pointer;
            plan_error(&raw.name, &at, e.message)
        })?,
        None => RuleBody::default(),
    };
    Ok(Rule {
        name: raw.name,
        kind: raw.kind,
        version: raw.version,
        description: raw.description,
        body: Some(body),
    })
}

/// A rule's body from its payload schema, the document `doc`: the schema compiled (a
/// `$ref` to another document asking `resolver`), and the descriptions of `doc`'s
/// top-level properties. A payload that is a `$ref` declares its properties elsewhere
/// and its siblings are ignored: it has no descriptions.
fn payload_body(
    doc: &Value,
    regex: &mut dyn RegexEngine,
    resolver: &dyn Fn(&str) -> Option<Value>,
) -> Result<RuleBody, schema::SchemaError> {
    let payload = schema::compile_with(doc, regex, resolver)?;
    let documented = doc.get("properties").filter(|_| doc.get("$ref").is_none());
    let mut descriptions: Vec<_> = payload
        .declared_properties()
        .iter()
        .map(|(name, _)| {
            documented
                .and_then(|d| d.get(name))
                .and_then(description_of)
        })
        .collect();
    if descriptions.iter().all(Option::is_none) {
        descriptions.clear();
    }
    Ok(RuleBody {
        payload: Some(payload),
        descriptions,
        nested_properties: nested_properties(doc),
    })
}

/// Deepest nesting of object properties the conventions lint looks into.
const MAX_NESTING: usize = 16;

/// The pointers of the properties declared inside the top-level properties of a payload
/// schema, at any depth.
fn nested_properties(schema: &Value) -> Vec<String> {
    let mut nested = Vec::new();
    collect_nested(schema, &mut String::new(), 0, &mut nested);
    nested
}

/// Pushes the pointers of the properties declared inside `schema` (a schema at `at`,
/// `depth` levels of properties down) and, recursively, inside those; top-level
/// properties (depth 0) are only descended into. `at` is extended and restored on the
/// way, so that only the pointers kept are allocated.
fn collect_nested(schema: &Value, at: &mut String, depth: usize, out: &mut Vec<String>) {
    let Some(props) = schema.get("properties").and_then(Value::as_object) else {
        return;
    };
    if depth > MAX_NESTING {
        return;
    }
    for (name, prop) in props.iter() {
        let len = at.len();
        json::push_pointer(at, name);
        if depth > 0 {
            out.push(at.clone());
        }
        collect_nested(prop, at, depth + 1, out);
        at.truncate(len);
    }
}

// Natively only: the browser's engine is exercised by the binding tests.
#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::*;
    use crate::regex::NativeRegex;

    fn load(text: &str) -> Result<Plan, PlanError> {
        Plan::from_json(text, &mut NativeRegex::default())
    }

    const UNWRAPPED: &str = r#"{"id":"tp_1","name":"Demo","rules":[
        {"key":"call started","type":"TRACK","version":1,"jsonSchema":{
            "type":"object","description":"A call began",
            "properties":{"call_id":{"type":"string","description":"Workflow id"},
                          "call_type":{"enum":["video","audio"]}},
            "required":["call_id"]}},
        {"key":"call started","type":"TRACK","version":2,"jsonSchema":{
            "type":"object","properties":{"call_id":{"type":"string"},"episode_id":{"type":"string"}},
            "required":["call_id","episode_id"]}},
        {"type":"IDENTIFY","version":1,"jsonSchema":{"type":"object",
            "properties":{"user_type":{"enum":["patient","practitioner"]}}}}]}"#;

    #[test]
    fn summaries_are_read_from_the_compiled_schema() {
        // As validation reads the schema: a top-level `$ref` replaces its siblings, a
        // property's `$ref` gives its type; types in the type set's order.
        let plan = load(
            r##"{"rules":[{"key":"e","type":"TRACK","jsonSchema":{
                "$ref":"#/definitions/payload",
                "properties":{"ignored":{"type":"string"},"id":{"description":"ignored too"}},
                "definitions":{"id":{"type":"string","enum":["a","b"]},"payload":{
                    "required":["id"],
                    "properties":{"id":{"$ref":"#/definitions/id"},"n":{"type":["string","null"]}}}}}},
              {"key":"f","type":"TRACK","jsonSchema":{"properties":{"x":{"description":" The x "},"y":true}}}]}"##,
        )
        .unwrap();
        let e = plan.event("e", None).unwrap().properties();
        let shown: Vec<_> = e
            .iter()
            .map(|p| {
                (
                    p.name,
                    p.types().collect::<Vec<_>>(),
                    p.required,
                    p.allowed.len(),
                )
            })
            .collect();
        assert_eq!(
            shown,
            [
                ("id", vec!["string"], true, 2),
                ("n", vec!["null", "string"], false, 0)
            ]
        );
        // A `$ref`'s siblings are ignored, their descriptions too.
        assert!(e.iter().all(|p| p.description.is_none()));
        let f = plan.event("f", None).unwrap().properties();
        let described: Vec<_> = f.iter().map(|p| (p.name, p.description)).collect();
        assert_eq!(described, [("x", Some("The x")), ("y", None)]);
        assert_eq!(f[1].types().count(), 0);
    }

    #[test]
    fn reads_public_api_shape_with_versions() {
        let plan = load(UNWRAPPED).unwrap();
        assert_eq!(plan.id.as_deref(), Some("tp_1"));
        assert_eq!(plan.name, "Demo");
        assert_eq!(plan.event("call started", None).unwrap().version, 2);
        let v1 = plan.event("call started", Some(1)).unwrap();
        assert_eq!(v1.description.as_deref(), Some("A call began"));
        assert_eq!(v1.properties()[0].name, "call_id");
        assert!(v1.properties()[0].required);
        assert_eq!(v1.properties()[1].allowed.len(), 2);
        assert!(plan.event("call started", Some(3)).is_none());
        assert!(plan.event("call ended", None).is_none());
        assert!(plan.rule(RuleKind::Identify).unwrap().payload().is_some());
    }

    #[test]
    fn lookups_find_the_newest_version_and_the_last_of_duplicates() {
        let rule = |key: &str, version: u32, description: &str| {
            format!(
                r#"{{"key":"{key}","type":"TRACK","version":{version},"description":"{description}","jsonSchema":{{}}}}"#
            )
        };
        let mut rules: Vec<String> = (0..40)
            .map(|i| rule(&format!("e{}", i % 13), 1 + i % 3, &format!("r{i}")))
            .collect();
        rules.push(rule("e1", 2, "duplicate"));
        rules.push(r#"{"type":"IDENTIFY","version":2,"jsonSchema":{}}"#.to_string());
        rules.push(r#"{"type":"IDENTIFY","jsonSchema":{}}"#.to_string());
        let plan = load(&format!(r#"{{"rules":[{}]}}"#, rules.join(","))).unwrap();
        for name in (0..14).map(|i| format!("e{i}")) {
            for version in [None, Some(1), Some(2), Some(3), Some(4)] {
                // What reading every rule in plan order finds.
                let scanned = plan
                    .rules()
                    .filter(|r| r.kind == RuleKind::Track && r.name == name)
                    .filter(|r| version.is_none_or(|v| r.version == v))
                    .max_by_key(|r| r.version);
                let found = plan.event(&name, version);
                assert_eq!(
                    found.map(|r| r as *const Rule),
                    scanned.map(|r| r as *const Rule),
                    "{name} {version:?}"
                );
            }
        }
        assert_eq!(
            plan.event("e1", Some(2)).unwrap().description.as_deref(),
            Some("duplicate")
        );
        assert_eq!(plan.rule(RuleKind::Identify).unwrap().version, 2);
        assert!(plan.rule(RuleKind::Group).is_none());
    }

    #[test]
    fn detects_the_wrapped_form() {
        let plan = load(
            r##"{"rules":[{"key":"a b","type":"TRACK","jsonSchema":{"type":"object","properties":{
                "context":{},"properties":{"type":"object","properties":{"x":{"$ref":"#/definitions/n"}},
                "required":["x"]}},"definitions":{"n":{"type":"number"}}}}]}"##,
        )
        .unwrap();
        let rule = plan.event("a b", None).unwrap();
        assert_eq!(rule.properties()[0].name, "x");
        let schema = rule.payload().unwrap();
        let regex = NativeRegex::default();
        assert!(schema.is_valid(&json::parse(r#"{"x":1}"#).unwrap(), &regex));
        assert!(!schema.is_valid(&json::parse(r#"{"x":"1"}"#).unwrap(), &regex));
    }

    #[test]
    fn reads_config_api_and_local_shapes() {
        let config = load(
            r#"{"name":"workspaces/x/tracking-plans/rs_1","display_name":"Config","rules":{
                "events":[{"name":"user signed up","version":1,"rules":{"properties":{
                    "properties":{"properties":{"plan":{"type":"string"}}}}}}],
                "global":{"properties":{"context":{},"properties":{"properties":{"app":{"type":"string"}}}}},
                "identify_traits":[],"group_traits":{}}}"#,
        )
        .unwrap();
        assert_eq!(config.name, "Config");
        assert_eq!(
            config.event("user signed up", None).unwrap().properties()[0].name,
            "plan"
        );
        assert_eq!(
            config.rule(RuleKind::Common).unwrap().properties()[0].name,
            "app"
        );
        assert!(config.rule(RuleKind::Identify).is_none());

        let local =
            load(r#"{"name":"Local","events":[{"name":"e","rules":{"type":"object"}}]}"#).unwrap();
        assert_eq!(local.rules().count(), 1);
    }

    #[test]
    fn rule_documents_unwrap_every_shape() {
        let wrapped = json::parse(
            r##"{"rules":[{"key":"a b","type":"TRACK","version":3,"description":"A","jsonSchema":{"properties":{
                "context":{},"properties":{"properties":{"x":{"$ref":"#/definitions/n"}}}},
                "definitions":{"n":{"type":"number"}}}},
                {"type":"IDENTIFY","jsonSchema":{"properties":{"traits":{"required":["t"]}}}}]}"##,
        )
        .unwrap();
        let docs = rule_documents(&wrapped).unwrap();
        assert_eq!(
            docs.iter()
                .map(|d| (d.name.as_str(), d.kind.name(), d.version))
                .collect::<Vec<_>>(),
            [("a b", "track", 3), ("identify", "identify", 1)]
        );
        assert_eq!(docs[0].description.as_deref(), Some("A"));
        let track = docs[0].payload.as_ref().unwrap();
        assert!(track.get("properties").and_then(|p| p.get("x")).is_some());
        assert!(track.get("definitions").and_then(|d| d.get("n")).is_some());
        assert!(docs[1].payload.as_ref().unwrap().get("required").is_some());

        let local = json::parse(r#"{"events":[{"name":"e","rules":{"type":"object"}}]}"#).unwrap();
        assert_eq!(
            rule_documents(&local).unwrap()[0]
                .payload
                .as_ref()
                .unwrap()
                .type_name(),
            "object"
        );
        assert!(rule_documents(&json::parse("[]").unwrap()).is_err());
    }

    #[test]
    fn reads_a_public_api_response_body_as_the_export_it_holds() {
        let export = load(UNWRAPPED).unwrap();
        let rules = &UNWRAPPED[UNWRAPPED.find("[").unwrap()..UNWRAPPED.rfind(']').unwrap() + 1];
        let body = format!(
            r#"{{"data":{{"rules":{rules},"pagination":{{"current":"MA==","totalEntries":3}}}}}}"#
        );
        let response = load(&body).unwrap();
        let keys = |plan: &Plan| {
            plan.rules()
                .map(|r| (r.name.clone(), r.version, format!("{:?}", r.properties())))
                .collect::<Vec<_>>()
        };
        assert_eq!(keys(&response), keys(&export));
        let bad = body.replacen(r#""type":"string""#, r#""type":"strng""#, 1);
        assert!(load(&bad).unwrap_err().pointer.starts_with("/data/rules/"));
        // A plan's own `data` property is no response body.
        assert!(load(r#"{"rules":[],"data":{"rules":7}}"#).is_ok());
    }

    #[test]
    fn errors_name_the_rule_and_pointer() {
        let err = load(r#"{"rules":[{"key":"bad","type":"TRACK","jsonSchema":{"properties":{"n":{"type":"numbr"}}}}]}"#)
            .unwrap_err();
        assert_eq!(err.rule, "bad");
        assert_eq!(err.pointer, "/rules/0/jsonSchema/properties/n/type");
        assert!(err.to_string().contains("unknown type"), "{err}");
        assert!(
            err.to_string().starts_with("tracking plan, rule \"bad\": "),
            "{err}"
        );
        assert!(
            err.to_string()
                .ends_with(" (at /rules/0/jsonSchema/properties/n/type)"),
            "{err}"
        );

        assert!(load("[1]").unwrap_err().message.contains("JSON object"));
        assert_eq!(
            load("{\n  \"rules\": [,]}").unwrap_err().to_string(),
            "tracking plan: not valid JSON at line 2, column 13: expected a JSON value"
        );
        assert!(load(r#"{"name":"x"}"#)
            .unwrap_err()
            .message
            .contains("no rules"));
        let err = load(r#"{"rules":[{"type":"TRACK","jsonSchema":{}}]}"#).unwrap_err();
        assert!(err.message.contains("key"));
        let err = load(r#"{"rules":[{"key":"k","type":"ALIAS","jsonSchema":{}}]}"#).unwrap_err();
        assert_eq!(err.pointer, "/rules/0/type");
    }

    #[test]
    fn schema_errors_point_into_every_shape() {
        let bad = r#"{"properties":{"n":{"type":"numbr"}}}"#;
        let wrapped = |part: &str| format!(r#"{{"properties":{{"{part}":{bad}}}}}"#);
        for (plan, rule, pointer) in [
            (
                format!(
                    r#"{{"rules":[{{"key":"a","jsonSchema":{{}}}},{{"key":"b","jsonSchema":{bad}}}]}}"#
                ),
                "b",
                "/rules/1/jsonSchema/properties/n/type",
            ),
            (
                format!(
                    r#"{{"rules":[{{"key":"a","jsonSchema":{}}}]}}"#,
                    wrapped("properties")
                ),
                "a",
                "/rules/0/jsonSchema/properties/properties/properties/n/type",
            ),
            (
                format!(
                    r#"{{"rules":[{{"type":"GROUP","jsonSchema":{}}}]}}"#,
                    wrapped("traits")
                ),
                "group",
                "/rules/0/jsonSchema/properties/traits/properties/n/type",
            ),
            (
                format!(
                    r#"{{"events":[{{"name":"a","rules":{{}}}},{{"name":"b","rules":{bad}}}]}}"#
                ),
                "b",
                "/events/1/rules/properties/n/type",
            ),
            (
                format!(r#"{{"rules":{{"events":[{{"name":"a","rules":{bad}}}]}}}}"#),
                "a",
                "/rules/events/0/rules/properties/n/type",
            ),
            (
                format!(r#"{{"rules":{{"identify_traits":{}}}}}"#, wrapped("traits")),
                "identify",
                "/rules/identify_traits/properties/traits/properties/n/type",
            ),
        ] {
            let err = load(&plan).unwrap_err();
            assert_eq!(
                (err.rule.as_str(), err.pointer.as_str()),
                (rule, pointer),
                "{plan}"
            );
        }
    }

    /// `Plan::with_payload` of `schema` (JSON text) as the track rule `e`, its `$ref`s
    /// to other documents resolved from `remotes` (URI, JSON text).
    fn with_payload(schema: &str, remotes: &[(&str, &str)]) -> Result<Plan, PlanError> {
        let resolver = |uri: &str| {
            let (_, text) = remotes.iter().find(|(u, _)| *u == uri)?;
            json::parse(text).ok()
        };
        let schema = json::parse(schema).unwrap();
        Plan::with_payload("e", &schema, &mut NativeRegex::default(), &resolver)
    }

    /// Whether the payload schema of `plan`'s rule `e` accepts `instance` (JSON text).
    fn accepts(plan: &Plan, instance: &str) -> bool {
        let schema = plan.event("e", None).unwrap().payload().unwrap();
        schema.is_valid(&json::parse(instance).unwrap(), &NativeRegex::default())
    }

    #[test]
    fn a_payload_schema_is_its_own_document_root() {
        let plan = with_payload(
            r##"{"$id":"http://example.com/root.json","definitions":{"n":{"type":"integer"}},
                "properties":{"a":{"$ref":"#/definitions/n"},"self":{"$ref":"#"},
                "b":{"$ref":"root.json#/definitions/n"}}}"##,
            &[],
        )
        .unwrap();
        assert_eq!(plan.rules().count(), 1);
        let rule = plan.event("e", None).unwrap();
        assert_eq!((rule.kind, rule.version), (RuleKind::Track, 1));
        assert_eq!(rule.properties().len(), 3);
        assert!(accepts(
            &plan,
            r#"{"a":1,"b":2,"self":{"a":2,"self":{"b":3}}}"#
        ));
        assert!(!accepts(&plan, r#"{"self":{"self":{"a":"x"}}}"#));
        assert!(!accepts(&plan, r#"{"b":1.5}"#));
        // Never read as Segment's wrapped form: `properties.properties` is a property.
        let plan = with_payload(r#"{"properties":{"properties":{"type":"string"}}}"#, &[]).unwrap();
        assert!(accepts(&plan, r#"{"properties":"x"}"#));
        assert!(!accepts(&plan, r#"{"properties":1}"#));
        assert!(with_payload("true", &[]).is_ok_and(|plan| accepts(&plan, "[1]")));
    }

    #[test]
    fn a_payload_schema_takes_other_documents_from_the_resolver() {
        let remotes = [
            (
                "http://localhost:1234/integer.json",
                r#"{"type":"integer"}"#,
            ),
            (
                "http://localhost:1234/subSchemas.json",
                r##"{"definitions":{"integer":{"type":"integer"},"refToInteger":{"$ref":"#/definitions/integer"}}}"##,
            ),
        ];
        let plan = with_payload(
            r#"{"properties":{"i":{"$ref":"http://localhost:1234/integer.json"},
                "r":{"$ref":"http://localhost:1234/subSchemas.json#/definitions/refToInteger"}}}"#,
            &remotes,
        )
        .unwrap();
        assert!(accepts(&plan, r#"{"i":1,"r":2}"#));
        assert!(!accepts(&plan, r#"{"i":"1"}"#));
        assert!(!accepts(&plan, r#"{"r":"2"}"#));
        let err =
            with_payload(r#"{"$ref":"http://localhost:1234/missing.json"}"#, &remotes).unwrap_err();
        assert_eq!(err.rule, "e");
    }

    #[test]
    fn a_payload_schema_error_names_the_rule_and_pointer() {
        let err = with_payload(r#"{"properties":{"n":{"type":"numbr"}}}"#, &[]).unwrap_err();
        assert_eq!(
            (err.rule.as_str(), err.pointer.as_str()),
            ("e", "/properties/n/type")
        );
    }

    #[test]
    fn a_payload_schema_compiles_as_a_one_rule_export_does() {
        let schema = r#"{"description":"One","type":"object","required":["a"],
            "properties":{"a":{"type":"string","pattern":"^x","description":"A"},
            "o":{"properties":{"p":{"format":"email"}}}}}"#;
        let export = load(&format!(
            r#"{{"rules":[{{"key":"e","type":"TRACK","jsonSchema":{schema}}}]}}"#
        ))
        .unwrap();
        let plan = with_payload(schema, &[]).unwrap();
        let regex = NativeRegex::default();
        for documented in [false, true] {
            assert_eq!(
                plan.to_binary(&regex, documented),
                export.to_binary(&regex, documented),
                "documented: {documented}"
            );
        }
    }

    #[test]
    fn event_names_may_hold_any_character() {
        let plan = load(
            r#"{"rules":[{"key":"42_--terrible==\\\"event'++name~!3","type":"TRACK","jsonSchema":{"labels":{},"properties":{}}}]}"#,
        )
        .unwrap();
        assert!(plan
            .event("42_--terrible==\\\"event'++name~!3", None)
            .is_some());
    }
}
