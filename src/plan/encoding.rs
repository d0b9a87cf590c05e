//! A compiled [`Plan`] in the binary form of [`crate::binary`]: what `build.rs` embeds in
//! the wasm, so that the browser reads its plan without compiling it.
//!
//! The form: the plan's id and name, the sources of its patterns, the number of rules,
//! two tables of fixed-width entries — the index (each rule's position in plan order,
//! sorted by kind, name and version) and where each rule starts — then the rules, each
//! its kind, name, version and description followed by its body (summaries and schema)
//! as a blob. Reading compiles the patterns and decodes the key (kind, name, version) of
//! each rule the index points to, once (a few hundred instructions a rule), so that a
//! lookup compares keys rather than decoding every rule it probes; the names stay where
//! they are, a rule is read when first used, its body when first checked against.

use crate::prelude::*;
use alloc::collections::BTreeSet;
use alloc::rc::Rc;
use core::cell::OnceCell;

use super::{Key, Plan, PropertySummary, Rule, RuleBody, RuleKind, Source};
use crate::binary::{fixed_at, Reader, Writer};
use crate::regex::RegexEngine;
use crate::schema::encoding::{CompiledPatterns, PatternTable};
use crate::schema::Schema;

/// First bytes of a plan in the binary form, with the form's version.
const MAGIC: &[u8] = b"trackplan\x03";

/// The rules of a plan in the binary form, read where they are (in the wasm's data,
/// for the embedded plan).
#[derive(Debug)]
pub(super) struct BinaryRules {
    /// Each rule's position in plan order and its key, sorted by key: the form's index
    /// with the keys it points to decoded once, when the plan is read, so that a lookup
    /// compares them without reading the rules' bytes.
    sorted: Vec<(usize, Key<'static>)>,
    /// Where each rule starts in `rules`, in plan order.
    starts: &'static [u8],
    /// The rules.
    rules: &'static [u8],
    /// The plan's patterns, compiled when the plan was read.
    patterns: Rc<CompiledPatterns>,
}

impl BinaryRules {
    /// The position in plan order and the key of the rule `k`th in key order.
    pub(super) fn sorted(&self, k: usize) -> Option<(usize, Key<'static>)> {
        self.sorted.get(k).copied()
    }

    /// The key of the rule at `position` in plan order.
    pub(super) fn key(&self, position: usize) -> Option<Key<'static>> {
        read_key(&mut self.rule(position)?)
    }

    /// Reads the rule at `position` in plan order, leaving its body where it is.
    pub(super) fn read(&self, position: usize) -> Option<Rule> {
        let mut r = self.rule(position)?;
        let (kind, name, version) = read_key(&mut r)?;
        Some(Rule {
            kind: match kind {
                0 => RuleKind::Track,
                1 => RuleKind::Identify,
                2 => RuleKind::Group,
                3 => RuleKind::Page,
                4 => RuleKind::Common,
                _ => return None,
            },
            name: crate::utf8::str_of(name)?.to_string(),
            version,
            description: r.opt_str()?.map(str::to_string),
            body: OnceCell::new(),
            unread: Some(UnreadBody {
                bytes: r.blob()?,
                patterns: Rc::clone(&self.patterns),
            }),
        })
    }

    /// A reader at the start of the rule at `position` in plan order.
    fn rule(&self, position: usize) -> Option<Reader<'static>> {
        Some(Reader::new(
            self.rules.get(fixed_at(self.starts, position)?..)?,
        ))
    }
}

/// Reads a rule's kind, name and version.
fn read_key<'a>(r: &mut Reader<'a>) -> Option<Key<'a>> {
    Some((
        u8::try_from(r.uint()?).ok()?,
        r.blob()?,
        u32::try_from(r.uint()?).ok()?,
    ))
}

/// A rule's body not read yet, and the plan's compiled patterns.
#[derive(Debug)]
pub(super) struct UnreadBody {
    /// The body's bytes.
    bytes: &'static [u8],
    /// The plan's patterns, compiled when the plan was read.
    patterns: Rc<CompiledPatterns>,
}

impl UnreadBody {
    /// Reads the body; `None` when its bytes are not one.
    pub(super) fn read(&self) -> Option<RuleBody> {
        let mut r = Reader::new(self.bytes);
        let body = RuleBody {
            properties: r.list(read_summary)?,
            nested_properties: r.strings()?,
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
    /// engine the plan was compiled with. Without `descriptions`, the rules' and
    /// properties' descriptions are left out (read back as none): the production core
    /// carries no developer documentation.
    pub fn to_binary(
        &self,
        regex: &dyn RegexEngine,
        descriptions: bool,
    ) -> (Vec<u8>, BTreeSet<String>) {
        fn shown(description: &Option<String>, descriptions: bool) -> Option<&str> {
            description.as_deref().filter(|_| descriptions)
        }
        let mut uses = BTreeSet::new();
        let mut patterns = PatternTable::new(regex);
        let mut rules = Writer::default();
        let mut starts = Vec::with_capacity(self.rules.len());
        for rule in self.rules() {
            starts.push(rules.bytes.len());
            rules.uint(rule.kind as usize);
            rules.str(&rule.name);
            rules.uint(rule.version as usize);
            rules.opt_str(shown(&rule.description, descriptions));
            let mut body = Writer::default();
            body.list(rule.properties(), |w, property| {
                write_summary(w, property, shown(&property.description, descriptions));
            });
            body.list(rule.nested_properties(), |w, p| w.str(p));
            match rule.payload() {
                Some(schema) => {
                    body.uint(1);
                    schema.write(&mut body, &mut patterns, &mut uses);
                }
                None => body.uint(0),
            }
            rules.blob(&body.bytes);
        }
        if !patterns.sources.is_empty() {
            uses.insert("patterns".to_string());
        }
        let mut w = Writer::default();
        w.bytes.extend_from_slice(MAGIC);
        w.opt_str(self.id.as_deref());
        w.str(&self.name);
        w.list(&patterns.sources, |w, source| w.str(source));
        w.uint(starts.len());
        for k in 0..starts.len() {
            w.fixed(self.sorted(k).map_or(usize::MAX, |(position, _)| position));
        }
        for start in starts {
            w.fixed(start);
        }
        w.blob(&rules.bytes);
        (w.bytes, uses)
    }

    /// Reads a plan [`Plan::to_binary`] wrote, compiling its patterns with `regex` and
    /// decoding the keys of its index; `None` when the bytes are not such a plan (or a
    /// key cannot be read). Its rules are read from `bytes` when first used (a rule that
    /// cannot be read, which `build.rs` rules out, is missing from the plan; one whose
    /// body cannot be read checks nothing): the embedded plan is read in place, never
    /// copied.
    pub fn from_binary(bytes: &'static [u8], regex: &mut dyn RegexEngine) -> Option<Plan> {
        let mut r = Reader::new(bytes.strip_prefix(MAGIC)?);
        let id = r.opt_str()?.map(str::to_string);
        let name = r.str()?.to_string();
        let patterns: Rc<CompiledPatterns> = if kept!("patterns") {
            r.list(|r| {
                let source = r.str()?;
                Some((regex.compile(source).ok()?, source.to_string()))
            })?
            .into()
        } else {
            // Without patterns in the plan, the regex engine is left out of the build.
            (r.uint()? == 0).then(|| Rc::from([]))?
        };
        let count = r.uint()?;
        let table = count.checked_mul(4)?;
        let index = r.take(table)?;
        let mut rules = BinaryRules {
            sorted: Vec::with_capacity(count),
            starts: r.take(table)?,
            rules: r.blob()?,
            patterns,
        };
        for k in 0..count {
            let position = fixed_at(index, k)?;
            let key = rules.key(position)?;
            rules.sorted.push((position, key));
        }
        let mut cells = Vec::with_capacity(count);
        cells.resize_with(count, OnceCell::new);
        r.is_empty().then_some(Plan {
            id,
            name,
            rules: cells,
            source: Source::Binary(rules),
        })
    }

    /// Reads every rule and its body now, rather than when first used; whether each
    /// could be read. `build.rs` checks the plan it embeds with it.
    pub fn read_all_rules(&self) -> bool {
        (0..self.rules.len()).all(|position| match self.rule_at(position) {
            Some(rule) => match &rule.unread {
                Some(unread) if rule.body.get().is_none() => match unread.read() {
                    Some(body) => rule.body.set(body).is_ok(),
                    None => false,
                },
                _ => true,
            },
            None => false,
        })
    }
}

fn write_summary(w: &mut Writer, property: &PropertySummary, description: Option<&str>) {
    w.str(&property.name);
    w.list(&property.types, |w, t| w.str(t));
    w.uint(usize::from(property.required));
    w.list(&property.allowed, Writer::value);
    w.opt_str(description);
}

fn read_summary(r: &mut Reader) -> Option<PropertySummary> {
    Some(PropertySummary {
        name: r.str()?.to_string(),
        types: r.strings()?,
        required: r.uint()? == 1,
        allowed: r.values()?,
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
        let (bytes, uses) = plan.to_binary(&regex, true);
        let read = Plan::from_binary(Vec::leak(bytes), &mut NativeRegex::default()).unwrap();
        (plan, read, uses)
    }

    #[test]
    fn without_descriptions_a_plan_reads_back_the_same_but_undescribed() {
        let mut regex = NativeRegex::default();
        let plan = Plan::from_json(PLAN, &mut regex).unwrap();
        let (described, _) = plan.to_binary(&regex, true);
        let (bare, _) = plan.to_binary(&regex, false);
        assert!(bare.len() < described.len());
        let read = Plan::from_binary(Vec::leak(bare), &mut NativeRegex::default()).unwrap();
        assert!(
            plan.rules().any(|r| r.description.is_some()),
            "the plan has some"
        );
        for (a, b) in plan.rules().zip(read.rules()) {
            assert_eq!((a.kind, &a.name, a.version), (b.kind, &b.name, b.version));
            assert_eq!(b.description, None);
            let names = |r: &Rule| {
                r.properties()
                    .iter()
                    .map(|p| p.name.clone())
                    .collect::<Vec<_>>()
            };
            assert_eq!(names(a), names(b));
            assert!(b.properties().iter().all(|p| p.description.is_none()));
        }
        assert!(!report::plan(&read).contains("\"description\""));
    }

    #[test]
    fn a_plan_reads_back_as_it_was_written() {
        let (plan, read, uses) = round_trip(PLAN);
        // The summary people see, rule by rule, is the same.
        assert_eq!(report::plan(&read), report::plan(&plan));
        assert_eq!(read.id.as_deref(), Some("tp_9"));
        assert_eq!(read.rules().count(), plan.rules().count());
        for (a, b) in plan.rules().zip(read.rules()) {
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
            "maximum",
            "minLength",
            "pattern",
            "format:date-time",
            "format:email",
            "if",
            "not",
        ] {
            assert!(uses.contains(keyword), "{keyword} in {uses:?}");
        }
        assert!(!uses.contains("format:ipv6"));
        assert!(!uses.contains("minProperties"));
    }

    #[test]
    fn a_plan_read_back_validates_as_the_compiled_one() {
        let mut compiled_regex = NativeRegex::default();
        let compiled = Plan::from_json(PLAN, &mut compiled_regex).unwrap();
        let (bytes, _) = compiled.to_binary(&compiled_regex, true);
        // The reading engine numbers its patterns its own way.
        let mut read_regex = NativeRegex::default();
        read_regex.compile("unrelated").unwrap();
        let read = Plan::from_binary(Vec::leak(bytes), &mut read_regex).unwrap();
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
        plan_indexing(0, target)
    }

    /// [`plan_with_ref_to`] `target`, whose index gives `position` as the rule's.
    fn plan_indexing(position: usize, target: usize) -> Vec<u8> {
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
        let mut rule = Writer::default();
        rule.uint(0); // track,
        rule.str("e");
        rule.uint(1); // version 1,
        rule.opt_str(None);
        rule.blob(&body.bytes);
        let mut w = Writer::default();
        w.bytes.extend_from_slice(MAGIC);
        w.opt_str(None);
        w.str("x");
        w.uint(0); // no patterns,
        w.uint(1); // one rule: first in key order,
        w.fixed(position);
        w.fixed(0); // at the start of the rules.
        w.blob(&rule.bytes);
        w.bytes
    }

    #[test]
    fn bytes_that_are_not_a_plan_read_as_none() {
        let mut regex = NativeRegex::default();
        let plan = Plan::from_json(PLAN, &mut regex).unwrap();
        let (mut bytes, _) = plan.to_binary(&regex, true);
        let len = bytes.len();
        bytes.push(0);
        let bytes: &'static [u8] = Vec::leak(bytes);
        let read = |end: usize| Plan::from_binary(&bytes[..end], &mut NativeRegex::default());
        assert!(Plan::from_binary(b"{}", &mut NativeRegex::default()).is_none());
        for end in MAGIC.len()..len {
            assert!(read(end).is_none(), "cut at {end}");
        }
        assert!(read(len).is_some());
        assert!(read(len + 1).is_none(), "one byte more");
    }

    #[test]
    fn an_index_pointing_past_the_rules_is_not_a_plan() {
        let read = |position| {
            Plan::from_binary(
                Vec::leak(plan_indexing(position, 0)),
                &mut NativeRegex::default(),
            )
        };
        assert!(read(0).unwrap().event("e", Some(1)).is_some());
        assert!(read(1).is_none());
    }

    #[test]
    fn a_name_is_looked_up_within_its_kind() {
        // Track events named after the other kinds, around the rules of those kinds.
        let (plan, read, _) = round_trip(
            r#"{"name":"kinds","rules":[
            {"key":"page","type":"TRACK","version":2,"description":"track page 2","jsonSchema":{}},
            {"type":"IDENTIFY","description":"identify","jsonSchema":{}},
            {"key":"identify","type":"TRACK","description":"track identify","jsonSchema":{}},
            {"type":"PAGE","version":3,"description":"page 3","jsonSchema":{}},
            {"key":"page","type":"TRACK","description":"track page 1","jsonSchema":{}},
            {"type":"PAGE","version":2,"description":"page 2","jsonSchema":{}}]}"#,
        );
        fn described(rule: Option<&Rule>) -> Option<&str> {
            rule.and_then(|r| r.description.as_deref())
        }
        for plan in [&plan, &read] {
            assert_eq!(described(plan.event("page", None)), Some("track page 2"));
            assert_eq!(described(plan.event("page", Some(1))), Some("track page 1"));
            assert_eq!(described(plan.event("page", Some(3))), None);
            assert_eq!(
                described(plan.event("identify", None)),
                Some("track identify")
            );
            assert_eq!(described(plan.rule(RuleKind::Page)), Some("page 3"));
            assert_eq!(described(plan.rule(RuleKind::Identify)), Some("identify"));
            assert_eq!(described(plan.rule(RuleKind::Group)), None);
            assert_eq!(described(plan.rule(RuleKind::Common)), None);
        }
    }

    #[test]
    fn a_rule_whose_body_cannot_be_read_checks_nothing() {
        let read = |target| {
            let plan = Plan::from_binary(
                Vec::leak(plan_with_ref_to(target)),
                &mut NativeRegex::default(),
            );
            plan.unwrap().event("e", None).unwrap().payload().is_some()
        };
        assert!(read(0));
        // A node id outside the arena: the body is refused, not indexed out of bounds.
        assert!(!read(5));
        let plan =
            Plan::from_binary(Vec::leak(plan_with_ref_to(5)), &mut NativeRegex::default()).unwrap();
        assert!(!plan.read_all_rules());
        let plan =
            Plan::from_binary(Vec::leak(plan_with_ref_to(0)), &mut NativeRegex::default()).unwrap();
        assert!(plan.read_all_rules());
    }

    #[test]
    fn rules_are_read_when_first_used() {
        let mut regex = NativeRegex::default();
        let plan = Plan::from_json(PLAN, &mut regex).unwrap();
        let read = Plan::from_binary(
            Vec::leak(plan.to_binary(&regex, true).0),
            &mut NativeRegex::default(),
        )
        .unwrap();
        assert!(read.rules.iter().all(|rule| rule.get().is_none()));
        // An unplanned event's suggestion compares the names where they are.
        let names: Vec<&str> = read.event_names().collect();
        assert_eq!(names, ["call started", "call started"]);
        assert!(read.rules.iter().all(|rule| rule.get().is_none()));
        let rule = read.event("call started", None).unwrap();
        // Only the rule found is read, and its body when it is first checked against.
        assert_eq!(read.rules.iter().filter(|r| r.get().is_some()).count(), 1);
        assert!(rule.body.get().is_none());
        assert!(rule.payload().is_some());
        assert!(rule.body.get().is_some());
        assert!(read
            .event("call started", Some(1))
            .unwrap()
            .body
            .get()
            .is_none());
    }

    #[test]
    fn lookups_in_a_large_plan_find_what_the_compiled_plan_finds() {
        // 75 events in versions 1 to 4, out of key order, a duplicate, and every kind.
        let track = |name: usize, version: usize, description: &str| {
            format!(
                r#"{{"key":"object{name} done","type":"TRACK","version":{version},"description":"{description}","jsonSchema":{{"properties":{{"{description}":{{}}}}}}}}"#
            )
        };
        let mut rules: Vec<String> = (0..300)
            .map(|i| track((i * 37) % 75, 1 + i / 75, &format!("r{i}")))
            .collect();
        rules.insert(100, track(5, 4, "early duplicate"));
        rules.push(track(5, 2, "duplicate"));
        for (i, kind) in ["IDENTIFY", "GROUP", "PAGE", "COMMON", "IDENTIFY"]
            .iter()
            .enumerate()
        {
            rules.push(format!(
                r#"{{"type":"{kind}","version":{},"description":"{kind} {i}","jsonSchema":{{}}}}"#,
                3 - i % 3
            ));
        }
        let text = format!(r#"{{"name":"large","rules":[{}]}}"#, rules.join(","));
        let (plan, read, _) = round_trip(&text);
        let described = |rule: Option<&Rule>| rule.and_then(|r| r.description.clone());
        for name in (0..76).map(|i| format!("object{i} done")) {
            for version in [None, Some(1), Some(2), Some(3), Some(4), Some(5)] {
                let found = described(read.event(&name, version));
                assert_eq!(
                    found,
                    described(plan.event(&name, version)),
                    "{name} {version:?}"
                );
                assert_eq!(
                    found.is_some(),
                    name != "object75 done" && version != Some(5)
                );
            }
        }
        let newest = read.event("object5 done", None).unwrap();
        assert_eq!(newest.version, 4);
        assert_eq!(newest.properties()[0].name, "r290");
        assert_eq!(
            described(read.event("object5 done", Some(2))).unwrap(),
            "duplicate"
        );
        assert!(read.event("object1", None).is_none());
        assert!(read.event("identify", None).is_none());
        for kind in [
            RuleKind::Identify,
            RuleKind::Group,
            RuleKind::Page,
            RuleKind::Common,
        ] {
            assert_eq!(described(read.rule(kind)), described(plan.rule(kind)));
            assert_eq!(read.rule(kind).unwrap().kind, kind);
        }
        assert_eq!(
            described(read.rule(RuleKind::Identify)).unwrap(),
            "IDENTIFY 0"
        );
        // Every rule, in plan order.
        let every = |plan: &Plan| {
            plan.rules()
                .map(|r| r.description.clone())
                .collect::<Vec<_>>()
        };
        assert_eq!(every(&read), every(&plan));
        let names = |plan: &Plan| plan.event_names().map(str::to_string).collect::<Vec<_>>();
        assert_eq!(names(&read).len(), 302);
        assert_eq!(names(&read), names(&plan));
        assert_eq!(report::plan(&read), report::plan(&plan));
    }
}
