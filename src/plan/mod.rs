//! Tracking plans: every Segment export shape, normalized into one [`Plan`].
//!
//! Three shapes are read:
//! - Public API v2: `{ id, name, rules: [{ key, type, version, jsonSchema }] }`, with
//!   `type` one of TRACK, IDENTIFY, GROUP, PAGE, SCREEN, COMMON;
//! - Config API v1: `{ name, display_name, rules: { events: [{ name, version, rules }],
//!   global, identify_traits, group_traits } }`;
//! - the older local format: `{ name, events: [{ name, description, rules }] }`.
//!
//! A rule's schema comes either unwrapped (the properties schema at the top, as Typewriter
//! stores it) or wrapped (`properties: { context, traits, properties }`, as Segment's API
//! returns it); both are detected. Every schema is compiled when the plan loads, so a plan
//! that cannot be used fails here, naming the rule and the JSON pointer of the problem.
//!
//! Reading documents (`load.rs`) is for the native tools and the full wasm. The production
//! cores read only the plan in their `trackplan.plan` section, which `trackplan build`
//! compiled with the full wasm and wrote in a binary form (`encoding.rs`).

use crate::prelude::*;
use core::cell::OnceCell;
use core::fmt;

use crate::json::{self, Value};
use crate::schema::keywords::{Keyword, TypeSet};
use crate::schema::Schema;

mod encoding;
mod load;

pub use load::rule_documents;

/// The kind of call a rule governs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[cfg_attr(
    feature = "full",
    derive(serde::Serialize),
    serde(rename_all = "lowercase")
)]
pub enum RuleKind {
    /// `track(event, properties)`: one rule per event name (and version).
    Track,
    /// `identify(userId, traits)`.
    Identify,
    /// `group(groupId, traits)`.
    Group,
    /// `page(category, name, properties)`.
    Page,
    /// Applies to every call (Segment's COMMON rule, Config API's `global`).
    Common,
}

/// One rule of the plan: a compiled schema for the payload of one kind of call.
#[derive(Debug)]
pub struct Rule {
    /// Event name for track rules; the kind's name (`identify`, …) otherwise.
    pub name: String,
    /// What the rule governs.
    pub kind: RuleKind,
    /// The rule's version (1 when the plan does not say).
    pub version: u32,
    /// The plan's description of the event.
    pub description: Option<String>,
    /// The rule's schema and summaries: `None` when the binary form's bytes of it cannot
    /// be read (see [`Rule::is_readable`]).
    body: Option<RuleBody>,
}

/// What a rule checks and declares.
#[derive(Debug, Default)]
struct RuleBody {
    /// Schema of the call's properties (track, page) or traits (identify, group).
    payload: Option<Schema>,
    /// The descriptions of the properties the payload schema declares, in their order
    /// (see [`Schema::declared_properties`]); empty when none has one.
    descriptions: Vec<Option<String>>,
    /// JSON pointers of the properties declared inside object properties, at any depth
    /// (`/quality/rating`), for the conventions lint, which reads plan documents: empty
    /// for a plan read from the binary form.
    nested_properties: Vec<String>,
}

impl Rule {
    /// Schema of the call's properties (track, page) or traits (identify, group).
    pub fn payload(&self) -> Option<&Schema> {
        self.body.as_ref()?.payload.as_ref()
    }

    /// The properties the payload schema declares, for people and tools: read from the
    /// compiled schema (see [`PropertySummary`]), with their descriptions.
    pub fn properties(&self) -> Vec<PropertySummary<'_>> {
        let Some(RuleBody {
            payload: Some(schema),
            descriptions,
            ..
        }) = &self.body
        else {
            return Vec::new();
        };
        let mut required: &[String] = &[];
        for keyword in schema.keywords_of(schema.root) {
            if let Keyword::Required(names) = keyword {
                required = names;
            }
        }
        let mut summaries = Vec::new();
        for (at, (name, id)) in schema.declared_properties().iter().enumerate() {
            let mut summary = PropertySummary {
                name,
                types: TypeSet::default(),
                required: required.contains(name),
                allowed: &[],
                description: descriptions.get(at).and_then(Option::as_deref),
            };
            for keyword in schema.keywords_of(*id) {
                match keyword {
                    Keyword::Type(types) => summary.types = *types,
                    Keyword::Enum(values) => summary.allowed = values,
                    _ => {}
                }
            }
            summaries.push(summary);
        }
        summaries
    }

    /// Whether the payload schema declares the top-level property `name`.
    pub fn declares(&self, name: &str) -> bool {
        self.payload()
            .is_some_and(|schema| schema.declared_properties().iter().any(|(n, _)| n == name))
    }

    /// JSON pointers of the properties declared inside object properties, at any depth
    /// (`/quality/rating`), for the conventions lint; none for a plan read from the
    /// binary form, which leaves them out.
    pub fn nested_properties(&self) -> &[String] {
        self.body
            .as_ref()
            .map_or(&[], |body| &body.nested_properties)
    }

    /// Whether the rule's body can be read: always for a plan compiled from a document;
    /// for one in the binary form, unless its bytes are damaged (`trackplan build` reads
    /// every rule back before it writes a plan). A rule that cannot be read fails every
    /// call it applies to (see `Tracker`), never passes it unchecked.
    pub fn is_readable(&self) -> bool {
        self.body.is_some()
    }
}

impl Rule {
    /// What the plan's index sorts rules by.
    fn key(&self) -> Key<'_> {
        (self.kind as u8, self.name.as_bytes(), self.version)
    }
}

/// A property as the plan describes it, for `plan()`, `explain()` and the lint: a view of
/// the rule's compiled schema (following `$ref`, as validation does), so that a plan in
/// the binary form carries nothing twice.
#[derive(Debug, Clone, PartialEq)]
pub struct PropertySummary<'a> {
    /// The property's name.
    pub name: &'a str,
    /// Allowed JSON types (none: any).
    types: TypeSet,
    /// Whether the plan requires it.
    pub required: bool,
    /// Allowed values, if the plan lists them.
    pub allowed: &'a [Value],
    /// The plan's description.
    pub description: Option<&'a str>,
}

impl PropertySummary<'_> {
    /// Allowed JSON types (none: any), in the order `null`, `boolean`, `object`, `array`,
    /// `number`, `string`, `integer`, whatever the document's.
    pub fn types(&self) -> impl Iterator<Item = &'static str> {
        self.types.names()
    }
}

/// A tracking plan, normalized and compiled.
#[derive(Debug)]
pub struct Plan {
    /// The plan's id, when the export carries one (Public API v2).
    pub id: Option<String>,
    /// The plan's name.
    pub name: String,
    /// The rules, in plan order: all of them for a plan compiled from a document; each
    /// read when first used for a plan in the binary form (`None` when its bytes are not
    /// a rule), so that a page with a large embedded plan starts without reading them.
    /// Boxed, so that the cells of a large plan take a few bytes each until read.
    rules: Vec<OnceCell<Option<Box<Rule>>>>,
    /// Where the rules are found.
    source: Source,
}

/// How a plan finds its rules: by binary search over its rules sorted by kind, name and
/// version (plan order among equals), not by reading every rule.
#[derive(Debug)]
enum Source {
    /// Compiled from a document: the positions in [`Plan::rules`], sorted.
    Compiled(Vec<usize>),
    /// Read from the binary form, whose sorted index is searched with its keys decoded.
    Binary(encoding::BinaryRules),
}

/// What rules are sorted by: kind, name (its UTF-8 bytes, whose order is `str`'s, so that
/// a lookup compares the binary form's names where they are, without checking them as
/// UTF-8), version.
type Key<'a> = (u8, &'a [u8], u32);

/// Why a plan cannot be used: which rule, where in its schema, and what.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PlanError {
    /// The rule (event name, or `identify`, …) at fault; empty for the plan as a whole.
    pub rule: String,
    /// JSON pointer of the problem inside the plan document.
    pub pointer: String,
    /// What is wrong and how to fix it.
    pub message: String,
}

/// `tracking plan[, rule "…"]: message[ (at /pointer)]`: no pointer for the document as
/// a whole (text that is not JSON, a document that is not a plan).
impl fmt::Display for PlanError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("tracking plan")?;
        if !self.rule.is_empty() {
            write!(f, ", rule {}", json::quote(&self.rule))?;
        }
        write!(f, ": {}", self.message)?;
        if !self.pointer.is_empty() {
            write!(f, " (at {})", self.pointer)?;
        }
        Ok(())
    }
}

impl core::error::Error for PlanError {}

fn plan_error(rule: &str, pointer: &str, message: impl Into<String>) -> PlanError {
    PlanError {
        rule: rule.to_string(),
        pointer: pointer.to_string(),
        message: message.into(),
    }
}

impl Plan {
    /// A plan of `rules`, indexed for lookups.
    fn new(id: Option<String>, name: String, rules: Vec<Rule>) -> Plan {
        // Insertion keeps plan order among equals, and the wasm free of a sort routine.
        let mut index: Vec<usize> = Vec::with_capacity(rules.len());
        for (i, rule) in rules.iter().enumerate() {
            let key = Some(rule.key());
            let slot = index.partition_point(|j| rules.get(*j).map(Rule::key) <= key);
            index.insert(slot, i);
        }
        Plan {
            id,
            name,
            rules: rules
                .into_iter()
                .map(|r| OnceCell::from(Some(Box::new(r))))
                .collect(),
            source: Source::Compiled(index),
        }
    }

    /// The track rule for `event`: version `version` when given, else the newest.
    pub fn event(&self, event: &str, version: Option<u32>) -> Option<&Rule> {
        self.find(RuleKind::Track, Some(event), version)
    }

    /// The newest rule of a non-track kind (identify, group, page, common).
    pub fn rule(&self, kind: RuleKind) -> Option<&Rule> {
        self.find(kind, None, None)
    }

    /// The rule of `kind` named `name` (rules other than track ones are named after
    /// their kind) in `version`, else the newest; the last in plan order among equals.
    /// Only that rule is read.
    fn find(&self, kind: RuleKind, name: Option<&str>, version: Option<u32>) -> Option<&Rule> {
        let name = name.unwrap_or(kind.name());
        // The last rule up to this key: the one asked for, if the plan has it.
        let wanted = (kind as u8, name.as_bytes(), version.unwrap_or(u32::MAX));
        let end = partition_point(self.rules.len(), |k| {
            self.sorted(k).is_some_and(|(_, key)| key <= wanted)
        });
        let (position, (found_kind, found_name, found_version)) =
            self.sorted(end.checked_sub(1)?)?;
        let same = (found_kind, found_name) == (kind as u8, name.as_bytes())
            && version.is_none_or(|v| v == found_version);
        same.then(|| self.rule_at(position))?
    }

    /// The position in plan order and the key of the rule `k`th in key order.
    fn sorted(&self, k: usize) -> Option<(usize, Key<'_>)> {
        match &self.source {
            Source::Compiled(index) => {
                let position = *index.get(k)?;
                Some((position, self.rule_at(position)?.key()))
            }
            Source::Binary(binary) => binary.sorted(k),
        }
    }

    /// The key of the rule at `position` in plan order, without reading the rule.
    fn key(&self, position: usize) -> Option<Key<'_>> {
        match &self.source {
            Source::Compiled(_) => Some(self.rule_at(position)?.key()),
            Source::Binary(binary) => binary.key(position),
        }
    }

    /// The rule at `position` in plan order, read now if it was not yet.
    fn rule_at(&self, position: usize) -> Option<&Rule> {
        get_or_set(self.rules.get(position)?, || match &self.source {
            Source::Binary(binary) => binary.read(position).map(Box::new),
            // Every rule of a compiled plan is there from the start.
            Source::Compiled(_) => None,
        })?
        .as_deref()
    }

    /// The name of every track rule, in plan order (once per version), without reading
    /// the rules: what an unplanned event is compared with.
    pub fn event_names(&self) -> impl Iterator<Item = &str> {
        (0..self.rules.len())
            .filter_map(|position| self.key(position))
            .filter(|(kind, _, _)| *kind == RuleKind::Track as u8)
            .filter_map(|(_, name, _)| crate::utf8::str_of(name))
    }

    /// Every rule, in plan order (all versions).
    pub fn rules(&self) -> impl Iterator<Item = &Rule> {
        (0..self.rules.len()).filter_map(|position| self.rule_at(position))
    }
}

/// The value of `cell`, set to `init()` first if it has none: `OnceCell::get_or_init`
/// without its panic on a reentrant `init` (which reading a plan never is), whose message
/// and location the default wasm would carry. Always `Some` (were the cell filled during
/// `init`, that value would stay); an `Option` so that no path can panic.
fn get_or_set<T>(cell: &OnceCell<T>, init: impl FnOnce() -> T) -> Option<&T> {
    if cell.get().is_none() {
        // Fails only if `init` filled the cell itself, whose value then stays.
        let _ = cell.set(init());
    }
    cell.get()
}

/// The first of `0..len` for which `before` is false, `before` being true and then false
/// along `0..len`: [`slice::partition_point`] over positions.
fn partition_point(len: usize, before: impl Fn(usize) -> bool) -> usize {
    let (mut low, mut high) = (0, len);
    while low < high {
        let middle = low + (high - low) / 2;
        if before(middle) {
            low = middle + 1;
        } else {
            high = middle;
        }
    }
    low
}

/// A rule's payload schema as a JSON document, for tools that generate code from a plan.
#[derive(Debug)]
#[cfg_attr(feature = "full", derive(serde::Serialize))]
pub struct RuleDocument {
    /// Event name for track rules; the kind's name (`identify`, …) otherwise.
    pub name: String,
    /// What the rule governs.
    pub kind: RuleKind,
    /// The rule's version (1 when the plan does not say).
    pub version: u32,
    /// The plan's description of the event.
    #[cfg_attr(feature = "full", serde(skip_serializing_if = "Option::is_none"))]
    pub description: Option<String>,
    /// The schema of the properties (track, page) or traits (identify, group), unwrapped
    /// from Segment's `{ context, traits, properties }` form; `None` when a wrapped rule
    /// does not constrain that part.
    #[cfg_attr(feature = "full", serde(rename = "schema"))]
    pub payload: Option<Value>,
}

impl RuleKind {
    /// The kind's lower-case name: `track`, `identify`, `group`, `page` or `common`.
    pub fn name(self) -> &'static str {
        match self {
            RuleKind::Track => "track",
            RuleKind::Identify => "identify",
            RuleKind::Group => "group",
            RuleKind::Page => "page",
            RuleKind::Common => "common",
        }
    }
}
