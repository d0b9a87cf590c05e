//! A compiled [`Plan`] in the binary form of [`crate::binary`]: what `trackplan build`
//! writes beside the production core, so that the browser reads its plan without
//! compiling it.
//!
//! The form: the form's version, the keywords and formats the plan's schemas use (so
//! that a core that leaves some out refuses the plan at once), whether it carries its
//! developer documentation, the plan's id and name, the sources of its patterns, the
//! number of rules, the rules in plan order (each its kind, name, version and
//! description, then its body as a blob: its properties' descriptions, if any, and its
//! schema), then the index: each rule's position in plan order, sorted by kind, name and
//! version. The properties' summaries are not written: they are read from the schema
//! ([`Rule::properties`]). Nor are nested properties: only the conventions lint reads
//! them, from plan documents.
//!
//! Reading compiles the patterns and walks the rules' headings once (a few hundred
//! instructions a rule), keeping where each rule starts and its key (kind, name,
//! version), so that a lookup compares keys rather than decoding every rule it probes; a
//! rule is read, body and all, when first used. Where each rule starts is found by that
//! walk rather than written: a table of it took four bytes a rule, which compress badly
//! (2.0 KB gzip -9 of a 500-event plan).

use crate::prelude::*;
use core::cell::OnceCell;
use core::ops::Range;

use super::{Key, Plan, Rule, RuleBody, RuleKind, Source};
use crate::binary::{Reader, Writer};
use crate::regex::{PatternId, RegexEngine};
use crate::schema::encoding::{CompiledPatterns, PatternTable, Uses};
use crate::schema::Schema;

/// First bytes of a plan in the binary form, with the form's version.
const MAGIC: &[u8] = b"trackplan\x08";

/// The rules of a plan in the binary form, read where they are: in the bytes the plan
/// was read from, which it keeps.
#[derive(Debug)]
pub(super) struct BinaryRules {
    /// The plan's bytes.
    bytes: Box<[u8]>,
    /// Each rule, in plan order: where it starts in `bytes`, and its key (its name as
    /// where it is in `bytes`), found once, when the plan is read, so that a lookup
    /// compares keys without reading the rules' bytes.
    rules: Vec<(usize, HeldKey)>,
    /// The position in plan order of each rule, sorted by key: the form's index.
    sorted: Vec<usize>,
    /// The plan's patterns, compiled when the plan was read.
    patterns: Vec<(PatternId, String)>,
    /// Whether the schemas carry their pointers (see [`Plan::to_binary`]).
    pointers: bool,
}

impl BinaryRules {
    /// The position in plan order and the key of the rule `k`th in key order.
    pub(super) fn sorted(&self, k: usize) -> Option<(usize, Key<'_>)> {
        let position = *self.sorted.get(k)?;
        Some((position, self.key(position)?))
    }

    /// The key of the rule at `position` in plan order.
    pub(super) fn key(&self, position: usize) -> Option<Key<'_>> {
        let (_, (kind, name, version)) = self.rules.get(position)?;
        Some((*kind, self.bytes.get(name.clone())?, *version))
    }

    /// Reads the rule at `position` in plan order; its body is `None` when its bytes
    /// cannot be read.
    pub(super) fn read(&self, position: usize) -> Option<Rule> {
        let (kind, (_, name, version), description, body) = self.header(position)?;
        Some(Rule {
            kind,
            name: crate::utf8::str_of(name)?.to_string(),
            version,
            description: description.map(str::to_string),
            body: read_body(body, &self.patterns, self.pointers),
        })
    }

    /// The heading of the rule at `position` in plan order. Checked for every rule when
    /// the plan is read, so that a rule the index names is always found.
    fn header(&self, position: usize) -> Option<Heading<'_>> {
        read_heading(&mut self.rule(position)?)
    }

    /// A reader at the start of the rule at `position` in plan order.
    fn rule(&self, position: usize) -> Option<Reader<'_>> {
        Some(Reader::new(self.bytes.get(self.rules.get(position)?.0..)?))
    }
}

/// A rule's heading: its kind, key, description and the bytes of its body.
type Heading<'a> = (RuleKind, Key<'a>, Option<&'a str>, &'a [u8]);

/// Reads a rule's heading; `None` when its kind is not one or its name not UTF-8.
fn read_heading<'a>(r: &mut Reader<'a>) -> Option<Heading<'a>> {
    let key = read_key(r)?;
    let kind = match key.0 {
        0 => RuleKind::Track,
        1 => RuleKind::Identify,
        2 => RuleKind::Group,
        3 => RuleKind::Page,
        4 => RuleKind::Common,
        _ => return None,
    };
    crate::utf8::str_of(key.1)?;
    Some((kind, key, r.opt_str()?, r.blob()?))
}

/// A rule's key as the plan holds it: kind, where its name is in the plan's bytes, version.
type HeldKey = (u8, Range<usize>, u32);

/// Where `part`, a slice of `whole`, is in it.
fn span(whole: &[u8], part: &[u8]) -> Range<usize> {
    let start = part.as_ptr() as usize - whole.as_ptr() as usize;
    start..start + part.len()
}

/// Reads a rule's kind, name and version.
fn read_key<'a>(r: &mut Reader<'a>) -> Option<Key<'a>> {
    Some((
        u8::try_from(r.uint()?).ok()?,
        r.blob()?,
        u32::try_from(r.uint()?).ok()?,
    ))
}

/// Reads a rule's body, its patterns from `patterns`; `None` when the bytes are not one
/// (or hold a keyword this build leaves out).
fn read_body(bytes: &[u8], patterns: &CompiledPatterns, pointers: bool) -> Option<RuleBody> {
    let mut r = Reader::new(bytes);
    let descriptions = r.list(|r| Some(r.opt_str()?.map(str::to_string)))?;
    let payload = match r.uint()? {
        0 => None,
        1 => Some(Schema::read(&mut r, patterns, pointers)?),
        _ => return None,
    };
    // One description for each property declared, or none at all.
    let declared = payload
        .as_ref()
        .map_or(0, |p| p.declared_properties().len());
    if !descriptions.is_empty() && descriptions.len() != declared {
        return None;
    }
    let body = RuleBody {
        payload,
        descriptions,
        // Only the conventions lint reads them, from plan documents.
        nested_properties: Vec::new(),
    };
    r.is_empty().then_some(body)
}

/// Why a core cannot use the bytes it was given as a plan: a set-up mistake, which the
/// message says how to mend.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum BinaryPlanError {
    /// Not a plan in this version of the binary form.
    NotAPlan,
    /// The plan uses a keyword or format this core leaves out.
    Unsupported,
    /// A pattern the page's engine refuses.
    BadPattern(String),
}

impl BinaryPlanError {
    /// What is wrong and what to do, for the set-up error a page sees.
    pub fn message(&self) -> String {
        use crate::text::text;
        match self {
            BinaryPlanError::NotAPlan => text!(
                "the compiled plan cannot be read by this version of trackplan: ",
                "run `npx trackplan build` again"
            ),
            BinaryPlanError::Unsupported => text!(
                "the plan uses keywords or formats this core leaves out: ",
                "run `npx trackplan build`, which ships the core a plan needs"
            ),
            BinaryPlanError::BadPattern(source) => text!(
                "this browser's RegExp refuses the plan's pattern ",
                crate::json::quote(source)
            ),
        }
    }
}

impl Plan {
    /// The plan in the binary form, and the keywords and formats its schemas use (what a
    /// core reading it must keep). `regex` is the engine the plan was compiled with.
    /// Unless `documented`, the developer documentation is left out: the rules' and
    /// properties' descriptions (read back as none) and the schemas' pointers (a
    /// violation's `schemaPath`, then absent). The production cores carry none of it.
    pub fn to_binary(&self, regex: &dyn RegexEngine, documented: bool) -> (Vec<u8>, Uses) {
        fn shown(description: &Option<String>, documented: bool) -> Option<&str> {
            description.as_deref().filter(|_| documented)
        }
        let mut uses = Uses::default();
        let mut patterns = PatternTable::new(regex);
        let mut rules = Writer::default();
        for rule in self.rules() {
            rules.uint(rule.kind as usize);
            rules.str(&rule.name);
            rules.uint(rule.version as usize);
            rules.opt_str(shown(&rule.description, documented));
            let mut body = Writer::default();
            let described = rule.body.as_ref().map_or(&[][..], |b| &b.descriptions);
            body.list(if documented { described } else { &[] }, |w, d| {
                w.opt_str(d.as_deref());
            });
            match rule.payload() {
                Some(schema) => {
                    body.uint(1);
                    schema.write(&mut body, &mut patterns, &mut uses, documented);
                }
                None => body.uint(0),
            }
            rules.blob(&body.bytes);
        }
        let mut w = Writer::default();
        w.bytes.extend_from_slice(MAGIC);
        uses.write(&mut w);
        w.uint(usize::from(documented));
        w.opt_str(self.id.as_deref());
        w.str(&self.name);
        w.list(&patterns.sources, |w, source| w.str(source));
        w.uint(self.rules.len());
        w.blob(&rules.bytes);
        for k in 0..self.rules.len() {
            w.uint(self.sorted(k).map_or(usize::MAX, |(position, _)| position));
        }
        (w.bytes, uses)
    }

    /// Whether `bytes` start as the binary form does (of any version): a plan `trackplan
    /// build` compiled, rather than a Segment export's JSON text.
    pub fn is_binary(bytes: &[u8]) -> bool {
        bytes.starts_with(&MAGIC[..MAGIC.len() - 1])
    }

    /// The keywords and formats the plan in `bytes` uses (as its heading says); `None`
    /// when the bytes are not a plan in this version of the binary form.
    pub fn uses_of(bytes: &[u8]) -> Option<Uses> {
        Uses::read(&mut Reader::new(bytes.strip_prefix(MAGIC)?))
    }

    /// Reads a plan [`Plan::to_binary`] wrote, compiling its patterns with `regex` and
    /// decoding the keys of its index. Refused when the bytes are not such a plan (or a
    /// key cannot be read), when the plan uses a keyword or format this build leaves out,
    /// or when `regex` refuses one of its patterns. Its rules are read from `bytes`, which
    /// the plan keeps, when first used; every rule's heading is checked now, and a rule
    /// whose body cannot be read fails every call it applies to.
    pub fn from_binary(
        bytes: impl Into<Box<[u8]>>,
        regex: &mut dyn RegexEngine,
    ) -> Result<Plan, BinaryPlanError> {
        let bytes: Box<[u8]> = bytes.into();
        let mut r = Reader::new(bytes.strip_prefix(MAGIC).ok_or(BinaryPlanError::NotAPlan)?);
        if !Uses::read(&mut r)
            .ok_or(BinaryPlanError::NotAPlan)?
            .all_kept()
        {
            return Err(BinaryPlanError::Unsupported);
        }
        let mut header = || -> Option<_> {
            let pointers = match r.uint()? {
                0 => false,
                1 => true,
                _ => return None,
            };
            let id = r.opt_str()?.map(str::to_string);
            let name = r.str()?.to_string();
            let sources = r.list(|r| r.str().map(str::to_string))?;
            let count = r.uint()?;
            let rules = walk(&bytes, r.blob()?, count)?;
            let mut sorted = Vec::with_capacity(rules.len());
            for _ in 0..rules.len() {
                let position = r.uint()?;
                rules.get(position)?;
                sorted.push(position);
            }
            r.is_empty()
                .then_some((pointers, id, name, sources, rules, sorted))
        };
        let (pointers, id, name, sources, rules, sorted) =
            header().ok_or(BinaryPlanError::NotAPlan)?;
        let mut patterns = Vec::with_capacity(sources.len());
        for source in sources {
            let id = regex
                .compile(&source)
                .map_err(|_| BinaryPlanError::BadPattern(source.clone()))?;
            patterns.push((id, source));
        }
        let count = rules.len();
        let rules = BinaryRules {
            bytes,
            rules,
            sorted,
            patterns,
            pointers,
        };
        let mut cells = Vec::with_capacity(count);
        cells.resize_with(count, OnceCell::new);
        Ok(Plan {
            id,
            name,
            rules: cells,
            source: Source::Binary(rules),
        })
    }

    /// Reads every rule now, rather than when first used; whether each, and its body,
    /// could be read. `trackplan build` checks the plan it writes with it.
    pub fn read_all_rules(&self) -> bool {
        (0..self.rules.len()).all(|position| self.rule_at(position).is_some_and(Rule::is_readable))
    }
}

/// Walks the `count` rules in `rules`, a part of `bytes`, checking each heading: where
/// each starts in `bytes`, and its key. `None` unless they fill `rules` exactly.
fn walk(bytes: &[u8], rules: &[u8], count: usize) -> Option<Vec<(usize, HeldKey)>> {
    let mut r = Reader::new(rules);
    let mut walked = Vec::with_capacity(count.min(rules.len()));
    for _ in 0..count {
        let start = span(bytes, r.rest()).start;
        let (_, (kind, name, version), ..) = read_heading(&mut r)?;
        walked.push((start, (kind, span(bytes, name), version)));
    }
    r.is_empty().then_some(walked)
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::*;
    use crate::json::parse;
    use crate::regex::NativeRegex;
    use crate::report;
    use crate::schema::keywords::KeywordId;

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

    fn round_trip(text: &str) -> (Plan, Plan, Uses) {
        let mut regex = NativeRegex::default();
        let plan = Plan::from_json(text, &mut regex).unwrap();
        let (bytes, uses) = plan.to_binary(&regex, true);
        let read = Plan::from_binary(bytes, &mut NativeRegex::default()).unwrap();
        (plan, read, uses)
    }

    #[test]
    fn without_descriptions_a_plan_reads_back_the_same_but_undescribed() {
        let mut regex = NativeRegex::default();
        let plan = Plan::from_json(PLAN, &mut regex).unwrap();
        let (described, _) = plan.to_binary(&regex, true);
        let (bare, _) = plan.to_binary(&regex, false);
        assert!(bare.len() < described.len());
        let read = Plan::from_binary(bare, &mut NativeRegex::default()).unwrap();
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
                    .map(|p| p.name.to_string())
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
            assert!(b.nested_properties().is_empty());
            assert_eq!(format!("{:?}", a.payload()), format!("{:?}", b.payload()));
        }
        assert_eq!(read.event("call started", Some(1)).unwrap().version, 1);
        let uses = uses.names();
        for keyword in [
            "$ref",
            "maximum",
            "pattern",
            "format: \"date-time\"",
            "format: \"email\"",
            "if",
            "not",
        ] {
            assert!(uses.iter().any(|u| u == keyword), "{keyword} in {uses:?}");
        }
        assert!(!uses.iter().any(|u| u == "format: \"ipv6\""));
    }

    #[test]
    fn a_plan_read_back_validates_as_the_compiled_one() {
        let mut compiled_regex = NativeRegex::default();
        let compiled = Plan::from_json(PLAN, &mut compiled_regex).unwrap();
        let (bytes, _) = compiled.to_binary(&compiled_regex, true);
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
        plan_indexing(0, target)
    }

    /// [`plan_with_ref_to`] `target`, whose index gives `position` as the rule's.
    fn plan_indexing(position: usize, target: usize) -> Vec<u8> {
        plan_bytes(position, target, 1 << KeywordId::Ref.tag())
    }

    /// [`plan_indexing`] `position` and `target`, saying it uses the keywords of the bits
    /// of `keywords` (and no format).
    fn plan_bytes(position: usize, target: usize, keywords: usize) -> Vec<u8> {
        plan_of(&rule_bytes(0, target), position, keywords)
    }

    /// A rule of kind `kind` named `e` whose payload is `{"$ref": <node target>}`, in a
    /// one-node arena.
    fn rule_bytes(kind: usize, target: usize) -> Vec<u8> {
        let mut body = Writer::default();
        body.uint(0); // no descriptions,
        body.uint(1); // a payload: root 0,
        body.uint(0);
        body.uint(1); // one node of keywords at "" (nothing shared, then ""),
        body.uint(2);
        body.uint(0);
        body.str("");
        body.uint(1); // one keyword: `$ref`.
        body.uint(0);
        body.uint(target);
        rule_with_body(kind, &body.bytes)
    }

    /// A rule of kind `kind` named `e` whose body is `body`.
    fn rule_with_body(kind: usize, body: &[u8]) -> Vec<u8> {
        let mut rule = Writer::default();
        rule.uint(kind);
        rule.str("e");
        rule.uint(1); // version 1,
        rule.opt_str(None);
        rule.blob(body);
        rule.bytes
    }

    /// A plan of one rule, whose bytes are `rules`, and whose index gives `position` as
    /// the rule's, saying it uses the keywords of the bits of `keywords` (and no format).
    fn plan_of(rules: &[u8], position: usize, keywords: usize) -> Vec<u8> {
        let mut w = Writer::default();
        w.bytes.extend_from_slice(MAGIC);
        w.uint(keywords);
        w.uint(0);
        w.uint(1); // documented,
        w.opt_str(None);
        w.str("x");
        w.uint(0); // no patterns,
        w.uint(1); // one rule,
        w.blob(rules);
        w.uint(position); // first in key order.
        w.bytes
    }

    #[test]
    fn bytes_that_are_not_a_plan_are_refused() {
        let mut regex = NativeRegex::default();
        let plan = Plan::from_json(PLAN, &mut regex).unwrap();
        let (mut bytes, _) = plan.to_binary(&regex, true);
        let len = bytes.len();
        bytes.push(0);
        let read = |end: usize| Plan::from_binary(&bytes[..end], &mut NativeRegex::default());
        let not_a_plan = Some(BinaryPlanError::NotAPlan);
        assert_eq!(
            Plan::from_binary(&b"{}"[..], &mut NativeRegex::default()).err(),
            not_a_plan
        );
        for end in MAGIC.len()..len {
            assert_eq!(read(end).err(), not_a_plan, "cut at {end}");
        }
        assert!(read(len).is_ok());
        assert_eq!(read(len + 1).err(), not_a_plan, "one byte more");
        // An older form's bytes are recognised, and refused.
        let mut older = bytes[..len].to_vec();
        older[MAGIC.len() - 1] -= 1;
        assert!(Plan::is_binary(&older));
        assert_eq!(
            Plan::from_binary(older, &mut NativeRegex::default()).err(),
            Some(BinaryPlanError::NotAPlan)
        );
    }

    #[test]
    fn an_index_pointing_past_the_rules_is_not_a_plan() {
        let read =
            |position| Plan::from_binary(plan_indexing(position, 0), &mut NativeRegex::default());
        assert!(read(0).unwrap().event("e", Some(1)).is_some());
        assert_eq!(read(1).err(), Some(BinaryPlanError::NotAPlan));
    }

    #[test]
    fn rules_that_do_not_fill_their_part_exactly_are_not_a_plan() {
        let read = |rules: &[u8]| {
            Plan::from_binary(
                plan_of(rules, 0, 1 << KeywordId::Ref.tag()),
                &mut NativeRegex::default(),
            )
            .err()
        };
        let rule = rule_bytes(0, 0);
        assert_eq!(read(&rule), None);
        // A byte past the one rule the index counts…
        assert_eq!(
            read(&[&rule[..], &[0]].concat()),
            Some(BinaryPlanError::NotAPlan)
        );
        // …a rule cut short, or a heading whose kind is not one.
        assert_eq!(
            read(&rule[..rule.len() - 1]),
            Some(BinaryPlanError::NotAPlan)
        );
        assert_eq!(read(&rule_bytes(5, 0)), Some(BinaryPlanError::NotAPlan));
    }

    #[test]
    fn a_plan_using_what_a_core_leaves_out_is_refused() {
        // Natively every keyword is kept: a bit past the table stands for a keyword of a
        // newer core's, which this one leaves out.
        let uses = 1 << KeywordId::Ref.tag() | 1 << 30;
        let refused = Plan::from_binary(plan_bytes(0, 0, uses), &mut NativeRegex::default());
        assert_eq!(refused.err(), Some(BinaryPlanError::Unsupported));
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
    fn a_rule_whose_body_cannot_be_read_is_known_unreadable() {
        let read = |target| {
            let plan = Plan::from_binary(plan_with_ref_to(target), &mut NativeRegex::default());
            plan.unwrap().event("e", None).unwrap().is_readable()
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
    fn descriptions_that_are_not_one_a_property_leave_a_rule_unreadable() {
        let read = |described: &[Option<&str>]| {
            let mut body = Writer::default();
            body.list(described, |w, d| w.opt_str(*d));
            body.uint(1); // a payload: root 0, one node at "" whose one keyword,
            body.uint(0);
            body.uint(1);
            body.uint(2);
            body.uint(0);
            body.str("");
            body.uint(1);
            body.uint(KeywordId::Properties.tag()); // `properties`, declares `a`.
            body.uint(1);
            body.str("a");
            body.uint(0);
            let uses = 1 << KeywordId::Properties.tag();
            let plan = plan_of(&rule_with_body(0, &body.bytes), 0, uses);
            let plan = Plan::from_binary(plan, &mut NativeRegex::default()).unwrap();
            let rule = plan.event("e", None).unwrap();
            rule.is_readable()
                .then(|| rule.properties()[0].description.map(str::to_string))
        };
        assert_eq!(read(&[]), Some(None));
        assert_eq!(read(&[Some("A")]), Some(Some("A".to_string())));
        assert_eq!(read(&[Some("A"), None]), None);
    }

    #[test]
    fn rules_are_read_when_first_used() {
        let mut regex = NativeRegex::default();
        let plan = Plan::from_json(PLAN, &mut regex).unwrap();
        let read =
            Plan::from_binary(plan.to_binary(&regex, true).0, &mut NativeRegex::default()).unwrap();
        assert!(read.rules.iter().all(|rule| rule.get().is_none()));
        // An unplanned event's suggestion compares the names where they are.
        let names: Vec<&str> = read.event_names().collect();
        assert_eq!(names, ["call started", "call started"]);
        assert!(read.rules.iter().all(|rule| rule.get().is_none()));
        let rule = read.event("call started", None).unwrap();
        // Only the rule found is read, with its body.
        assert_eq!(read.rules.iter().filter(|r| r.get().is_some()).count(), 1);
        assert!(rule.payload().is_some());
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
