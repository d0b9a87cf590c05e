//! A compiled [`Plan`] in the binary form of [`crate::binary`]: what `build.rs` embeds in
//! the wasm, so that the browser reads its plan without compiling it.
//!
//! The form: the plan's id and name, the sources of its patterns, then each rule's
//! kind, name, version and description followed by its body (summaries and schema) as a
//! blob. Reading compiles the patterns and reads every rule's heading, but leaves each
//! body where it is until the rule is first used: a page starts as fast with 500 events
//! as with 5.

use crate::prelude::*;
use alloc::borrow::Cow;
use alloc::collections::BTreeSet;
use alloc::rc::Rc;
use core::cell::OnceCell;
use core::ops::Range;

use super::{Plan, PropertySummary, Rule, RuleBody, RuleKind};
use crate::binary::{Reader, Writer};
use crate::regex::RegexEngine;
use crate::schema::encoding::{CompiledPatterns, PatternTable};
use crate::schema::Schema;

/// First bytes of a plan in the binary form, with the form's version.
const MAGIC: &[u8] = b"trackplan\x02";

/// A rule's body not read yet: where it is, and the plan's compiled patterns.
#[derive(Debug)]
pub(super) struct UnreadBody {
    /// The plan's bytes (borrowed from the wasm's data when embedded).
    bytes: Rc<Cow<'static, [u8]>>,
    /// Where the body is in them, after [`MAGIC`].
    range: Range<usize>,
    /// The plan's patterns, compiled when the plan was read.
    patterns: Rc<CompiledPatterns>,
}

impl UnreadBody {
    /// Reads the body; `None` when its bytes are not one.
    pub(super) fn read(&self) -> Option<RuleBody> {
        let mut r = Reader::new(self.bytes.strip_prefix(MAGIC)?.get(self.range.clone())?);
        let body = RuleBody {
            properties: r.list(read_summary)?,
            nested_properties: r.list(|r| r.str().map(str::to_string))?,
            payload: match r.uint()? {
                0 => None,
                1 => Some(Schema::read(&mut r, &self.patterns)?),
                _ => return None,
            },
        };
        r.is_empty().then_some(body)
    }
}

impl Plan {
    /// The plan in the binary form, and the names of the keywords and formats its
    /// schemas use (what a build reading it must keep: see `kept!`). `regex` is the
    /// engine the plan was compiled with.
    pub fn to_binary(&self, regex: &dyn RegexEngine) -> (Vec<u8>, BTreeSet<String>) {
        let mut uses = BTreeSet::new();
        let mut patterns = PatternTable::new(regex);
        let bodies: Vec<Vec<u8>> = self
            .rules
            .iter()
            .map(|rule| {
                let mut w = Writer::default();
                w.list(rule.properties(), write_summary);
                w.list(rule.nested_properties(), |w, p| w.str(p));
                match rule.payload() {
                    Some(schema) => {
                        w.uint(1);
                        schema.write(&mut w, &mut patterns, &mut uses);
                    }
                    None => w.uint(0),
                }
                w.bytes
            })
            .collect();
        if !patterns.sources.is_empty() {
            uses.insert("patterns".to_string());
        }
        let mut w = Writer::default();
        w.bytes.extend_from_slice(MAGIC);
        w.opt_str(self.id.as_deref());
        w.str(&self.name);
        w.list(&patterns.sources, |w, source| w.str(source));
        w.uint(self.rules.len());
        for (rule, body) in self.rules.iter().zip(&bodies) {
            w.uint(rule.kind as usize);
            w.str(&rule.name);
            w.uint(rule.version as usize);
            w.opt_str(rule.description.as_deref());
            w.blob(body);
        }
        (w.bytes, uses)
    }

    /// Reads a plan [`Plan::to_binary`] wrote, compiling its patterns with `regex`;
    /// `None` when the bytes are not such a plan. Rule bodies are read when first used
    /// (a rule whose body cannot be read, which `build.rs` rules out, checks nothing)
    /// from `bytes` itself: the embedded plan is never copied.
    pub fn from_binary(
        bytes: impl Into<Cow<'static, [u8]>>,
        regex: &mut dyn RegexEngine,
    ) -> Option<Plan> {
        let bytes = Rc::new(bytes.into());
        let mut r = Reader::new(bytes.strip_prefix(MAGIC)?);
        let id = r.opt_str()?.map(str::to_string);
        let name = r.str()?.to_string();
        let patterns: Rc<CompiledPatterns> = r
            .list(|r| {
                let source = r.str()?;
                // Without patterns in the plan, the regex engine is left out of the build.
                if !kept!("patterns") {
                    return None;
                }
                Some((regex.compile(source).ok()?, source.to_string()))
            })?
            .into();
        let rules = r.list(|r| {
            Some(Rule {
                kind: match r.uint()? {
                    0 => RuleKind::Track,
                    1 => RuleKind::Identify,
                    2 => RuleKind::Group,
                    3 => RuleKind::Page,
                    4 => RuleKind::Common,
                    _ => return None,
                },
                name: r.str()?.to_string(),
                version: u32::try_from(r.uint()?).ok()?,
                description: r.opt_str()?.map(str::to_string),
                body: OnceCell::new(),
                unread: Some(UnreadBody {
                    bytes: Rc::clone(&bytes),
                    range: r.blob()?,
                    patterns: Rc::clone(&patterns),
                }),
            })
        })?;
        r.is_empty().then(|| Plan::new(id, name, rules))
    }
}

impl Plan {
    /// Reads every rule's body now, rather than when first used; whether each could be
    /// read. `build.rs` checks the plan it embeds with it.
    pub fn read_all_rules(&self) -> bool {
        self.rules.iter().all(|rule| match &rule.unread {
            Some(unread) if rule.body.get().is_none() => match unread.read() {
                Some(body) => rule.body.set(body).is_ok(),
                None => false,
            },
            _ => true,
        })
    }
}

fn write_summary(w: &mut Writer, property: &PropertySummary) {
    w.str(&property.name);
    w.list(&property.types, |w, t| w.str(t));
    w.uint(usize::from(property.required));
    w.list(&property.allowed, Writer::value);
    w.opt_str(property.description.as_deref());
}

fn read_summary(r: &mut Reader) -> Option<PropertySummary> {
    Some(PropertySummary {
        name: r.str()?.to_string(),
        types: r.list(|r| r.str().map(str::to_string))?,
        required: r.uint()? == 1,
        allowed: r.list(Reader::value)?,
        description: r.opt_str()?.map(str::to_string),
    })
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::*;
    use crate::json::parse;
    use crate::regex::NativeRegex;
    use crate::report;

    /// A plan using every keyword, each rule kind, versions, and ids.
    const PLAN: &str = r##"{"id":"tp_9","name":"Every keyword","rules":[
        {"key":"call started","type":"TRACK","version":2,"description":"A call began","jsonSchema":{
            "type":"object","required":["call_id"],"additionalProperties":false,
            "properties":{
                "call_id":{"type":"string","minLength":1,"pattern":"^c_"},
                "call_type":{"enum":["video","audio",null,1.5]},
                "at":{"format":"date-time"},
                "n":{"type":"integer","multipleOf":0.5,"maximum":10,"exclusiveMinimum":0},
                "tags":{"type":"array","items":{"type":"string"},"uniqueItems":true,"contains":{"const":"x"},"maxItems":3},
                "pair":{"items":[{"type":"number"},{"type":"string"}],"additionalItems":false},
                "meta":{"type":"object","patternProperties":{"^x-":{"type":"string"}},
                    "propertyNames":{"maxLength":8},"dependencies":{"a":["b"],"c":{"required":["d"]}},
                    "properties":{"deep":{"properties":{"deeper":{}}}}},
                "choice":{"anyOf":[{"type":"string"},{"type":"number"}],"oneOf":[{"minimum":1},{"maximum":0}]},
                "both":{"allOf":[{"$ref":"#/definitions/positive"}],"not":{"const":3}},
                "when":{"if":{"type":"string"},"then":{"maxLength":2},"else":{"type":"number"}}
            },
            "definitions":{"positive":{"type":"number","minimum":0}}}},
        {"key":"call started","type":"TRACK","version":1,"jsonSchema":{}},
        {"type":"IDENTIFY","jsonSchema":{"properties":{"email":{"format":"email"}}}},
        {"type":"COMMON","jsonSchema":{"properties":{"app":{"type":"string"}}}},
        {"type":"PAGE","jsonSchema":true}]}"##;

    fn round_trip(text: &str) -> (Plan, Plan, BTreeSet<String>) {
        let mut regex = NativeRegex::default();
        let plan = Plan::from_json(text, &mut regex).unwrap();
        let (bytes, uses) = plan.to_binary(&regex);
        let read = Plan::from_binary(bytes, &mut NativeRegex::default()).unwrap();
        (plan, read, uses)
    }

    #[test]
    fn a_plan_reads_back_as_it_was_written() {
        let (plan, read, uses) = round_trip(PLAN);
        // The summary people see, rule by rule, is the same.
        assert_eq!(report::plan(&read), report::plan(&plan));
        assert_eq!(read.id.as_deref(), Some("tp_9"));
        assert_eq!(read.rules().len(), plan.rules().len());
        for (a, b) in plan.rules().iter().zip(read.rules()) {
            assert_eq!((a.kind, &a.name, a.version), (b.kind, &b.name, b.version));
            assert_eq!(a.description, b.description);
            assert_eq!(a.properties(), b.properties());
            assert_eq!(a.nested_properties(), b.nested_properties());
            assert_eq!(format!("{:?}", a.payload()), format!("{:?}", b.payload()));
        }
        assert_eq!(read.event("call started", Some(1)).unwrap().version, 1);
        for keyword in [
            "$ref",
            "bound",
            "pattern",
            "format:date-time",
            "format:email",
            "if",
            "not",
        ] {
            assert!(uses.contains(keyword), "{keyword} in {uses:?}");
        }
        assert!(!uses.contains("format:ipv6"));
    }

    #[test]
    fn a_plan_read_back_validates_as_the_compiled_one() {
        let mut compiled_regex = NativeRegex::default();
        let compiled = Plan::from_json(PLAN, &mut compiled_regex).unwrap();
        let (bytes, _) = compiled.to_binary(&compiled_regex);
        // The reading engine numbers its patterns its own way.
        let mut read_regex = NativeRegex::default();
        read_regex.compile("unrelated").unwrap();
        let read = Plan::from_binary(bytes, &mut read_regex).unwrap();
        for payload in [
            r#"{"call_id":"c_1","call_type":1.5,"n":2.5,"tags":["x","y"],"pair":[1,"a"],"when":"ab"}"#,
            r#"{"call_id":"d","call_type":"fax","n":2.25,"tags":["x","x","y","z"],"pair":[1,"a",3],
                "meta":{"x-a":1,"toolongname":1,"a":1,"c":1},"choice":true,"both":3,"when":"abc","extra":1}"#,
            r#"{"n":0,"both":-1,"when":[],"meta":{"x-b":"ok"},"at":"2024-01-31T09:30:00Z"}"#,
        ] {
            let value = parse(payload).unwrap();
            let violations = |plan: &Plan, regex: &NativeRegex| {
                let schema = plan.event("call started", None).unwrap().payload().unwrap();
                let found = schema.validate(&value, regex);
                found.iter().map(|v| format!("{v:?}")).collect::<Vec<_>>()
            };
            let expected = violations(&compiled, &compiled_regex);
            assert!(
                !expected.is_empty() || payload.starts_with(r#"{"call_id":"c_1""#),
                "{payload}"
            );
            assert_eq!(violations(&read, &read_regex), expected, "{payload}");
        }
    }

    /// A one-rule plan whose payload is `{"$ref": <node target>}`, in a one-node arena.
    fn plan_with_ref_to(target: usize) -> Vec<u8> {
        let mut body = Writer::default();
        body.uint(0); // no property summaries,
        body.uint(0); // no nested properties,
        body.uint(1); // a payload: root 0,
        body.uint(0);
        body.uint(1); // one node of keywords at "",
        body.uint(2);
        body.str("");
        body.uint(1); // one keyword: `$ref`.
        body.uint(0);
        body.uint(target);
        let mut w = Writer::default();
        w.bytes.extend_from_slice(MAGIC);
        w.opt_str(None);
        w.str("x");
        w.uint(0); // no patterns,
        w.uint(1); // one rule: track,
        w.uint(0);
        w.str("e");
        w.uint(1); // version 1,
        w.opt_str(None);
        w.blob(&body.bytes);
        w.bytes
    }

    #[test]
    fn bytes_that_are_not_a_plan_read_as_none() {
        let mut regex = NativeRegex::default();
        let plan = Plan::from_json(PLAN, &mut regex).unwrap();
        let (bytes, _) = plan.to_binary(&regex);
        assert!(Plan::from_binary(&b"{}"[..], &mut NativeRegex::default()).is_none());
        for end in MAGIC.len()..bytes.len() {
            let cut = Plan::from_binary(bytes[..end].to_vec(), &mut NativeRegex::default());
            assert!(cut.is_none(), "cut at {end}");
        }
        let mut longer = bytes.clone();
        longer.push(0);
        assert!(Plan::from_binary(longer, &mut NativeRegex::default()).is_none());
    }

    #[test]
    fn a_rule_whose_body_cannot_be_read_checks_nothing() {
        let read = |target| {
            let plan = Plan::from_binary(plan_with_ref_to(target), &mut NativeRegex::default());
            plan.unwrap().event("e", None).unwrap().payload().is_some()
        };
        assert!(read(0));
        // A node id outside the arena: the body is refused, not indexed out of bounds.
        assert!(!read(5));
        let plan = Plan::from_binary(plan_with_ref_to(5), &mut NativeRegex::default()).unwrap();
        assert!(!plan.read_all_rules());
        let plan = Plan::from_binary(plan_with_ref_to(0), &mut NativeRegex::default()).unwrap();
        assert!(plan.read_all_rules());
    }

    #[test]
    fn rules_are_read_when_first_used() {
        let mut regex = NativeRegex::default();
        let plan = Plan::from_json(PLAN, &mut regex).unwrap();
        let read =
            Plan::from_binary(plan.to_binary(&regex).0, &mut NativeRegex::default()).unwrap();
        assert!(read.rules().iter().all(|r| r.body.get().is_none()));
        let rule = read.event("call started", None).unwrap();
        assert!(rule.payload().is_some());
        assert!(rule.body.get().is_some());
        assert!(read
            .event("call started", Some(1))
            .unwrap()
            .body
            .get()
            .is_none());
    }
}
