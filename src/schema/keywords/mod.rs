//! The draft-07 keywords, one file each. Every keyword has a `compile` (schema document →
//! `Keyword`, here when it is a one-liner) and a `validate` (instance → valid?,
//! violations recorded on failure). Keywords that only annotate (`title`, `description`,
//! `default`, `examples`, `$comment`, `definitions`), `then`/`else` without `if`,
//! `additionalItems` without an array of `items`, and unknown ones (Segment's `labels`,
//! `eventMetadata`, …) compile to nothing.

mod additional_items;
mod additional_properties;
mod all_of;
mod any_of;
mod bound;
mod conditional;
mod constant;
mod contains;
mod dependencies;
mod enumeration;
mod exclusive_maximum;
mod exclusive_minimum;
mod format;
mod items;
mod max_items;
mod max_length;
mod max_properties;
mod maximum;
mod min_items;
mod min_length;
mod min_properties;
mod minimum;
mod multiple_of;
mod not;
mod one_of;
mod pattern;
mod pattern_properties;
mod properties;
mod property_names;
mod reference;
mod required;
mod types;
mod unique_items;

use super::compile::{Compiler, SchemaError};
use super::formats::Format;
use super::{NodeId, Validation};
use crate::json::{join_pointer, Map, Value};
use crate::prelude::*;
use crate::regex::PatternId;
use crate::text::Piece;
use crate::text::{boolean, number, text};
use crate::violation::{push_display_path, push_display_segment};

pub(crate) use additional_properties::AdditionalProperties;
pub(crate) use bound::Bound;
pub(crate) use conditional::Conditional;
pub(crate) use dependencies::Dependency;
pub(crate) use items::Items;
pub(crate) use types::TypeSet;

/// One compiled keyword of a subschema.
#[derive(Debug)]
pub(crate) enum Keyword {
    /// `$ref`: validate against another node (siblings are ignored in draft-07).
    Ref(NodeId),
    /// `type`.
    Type(TypeSet),
    /// `enum`.
    Enum(Vec<Value>),
    /// `const`.
    Const(Value),
    /// `multipleOf`, the divisor.
    MultipleOf(f64),
    /// `maximum`, `minLength`, `maxItems`, … with the limit.
    Bound(&'static Bound, f64),
    /// `pattern`, compiled, with its source for messages.
    Pattern(PatternId, String),
    /// `format`, when trackplan knows the format.
    Format(&'static Format),
    /// `items`: one schema for every item, or one per position.
    Items(Items),
    /// `additionalItems`: the schema for the items after the first `usize`.
    AdditionalItems(usize, NodeId),
    /// `uniqueItems: true`.
    UniqueItems,
    /// `contains`.
    Contains(NodeId),
    /// `required`.
    Required(Vec<String>),
    /// `properties`: each named property's schema.
    Properties(Vec<(String, NodeId)>),
    /// `patternProperties`: the schema of the members whose name matches each pattern.
    PatternProperties(Vec<(PatternId, NodeId)>),
    /// `additionalProperties`.
    AdditionalProperties(AdditionalProperties),
    /// `dependencies`: what each member, when present, brings along.
    Dependencies(Vec<(String, Dependency)>),
    /// `propertyNames`.
    PropertyNames(NodeId),
    /// `if`, with `then` and `else`.
    If(Conditional),
    /// `allOf`.
    AllOf(Vec<NodeId>),
    /// `anyOf`.
    AnyOf(Vec<NodeId>),
    /// `oneOf`.
    OneOf(Vec<NodeId>),
    /// `not`.
    Not(NodeId),
}

/// How one keyword compiles: from the compiler, the schema object holding it, the pointer
/// of that object and of the keyword, and the keyword's value; `None` when it validates
/// nothing. One small function each (rather than one large `match`) keeps the stack frames
/// of the recursion through nested schemas small.
type CompileFn =
    fn(&mut Compiler, &Map, &str, &str, &Value) -> Result<Option<Keyword>, SchemaError>;

/// How the keyword `name` compiles, if it validates anything. A `match` rather than a
/// table searched in order: plans load thousands of subschemas, and most of their members
/// (`description`, `type`) would be compared with every entry.
fn compiler(name: &str) -> Option<CompileFn> {
    Some(match name {
        "$ref" => |c, _, at, _, v| reference::compile(c, v, at).map(|id| Some(Keyword::Ref(id))),
        "type" => |_, _, _, p, v| types::compile(v, p).map(|t| Some(Keyword::Type(t))),
        "enum" => |_, _, _, p, v| enumeration::compile(v, p).map(|e| Some(Keyword::Enum(e))),
        "const" => |_, _, _, _, v| Ok(Some(Keyword::Const(v.clone()))),
        "multipleOf" => {
            |_, _, _, p, v| multiple_of::compile(v, p).map(|m| Some(Keyword::MultipleOf(m)))
        }
        "pattern" => |c, _, _, p, v| pattern::compile(c, v, p),
        "format" => |_, _, _, _, v| Ok(format::compile(v).map(Keyword::Format)),
        "items" => |c, _, _, p, v| items::compile(c, v, p).map(|i| Some(Keyword::Items(i))),
        "additionalItems" => additional_items::compile,
        "uniqueItems" => |_, _, _, p, v| match v.as_bool() {
            Some(unique) => Ok(unique.then_some(Keyword::UniqueItems)),
            None => Err(invalid(p, "uniqueItems must be true or false")),
        },
        "contains" => |c, _, _, p, v| {
            c.subschema(v, p.to_string())
                .map(|id| Some(Keyword::Contains(id)))
        },
        "required" => |_, _, _, p, v| required::compile(v, p).map(|r| Some(Keyword::Required(r))),
        "properties" => {
            |c, _, _, p, v| properties::compile(c, v, p).map(|r| Some(Keyword::Properties(r)))
        }
        "patternProperties" => |c, _, _, p, v| {
            pattern_properties::compile(c, v, p).map(|r| Some(Keyword::PatternProperties(r)))
        },
        "additionalProperties" => |c, parent, _, p, v| {
            additional_properties::compile(c, parent, v, p)
                .map(|r| Some(Keyword::AdditionalProperties(r)))
        },
        "dependencies" => {
            |c, _, _, p, v| dependencies::compile(c, v, p).map(|d| Some(Keyword::Dependencies(d)))
        }
        "propertyNames" => |c, _, _, p, v| {
            c.subschema(v, p.to_string())
                .map(|id| Some(Keyword::PropertyNames(id)))
        },
        "if" => |c, parent, at, _, v| {
            conditional::compile(c, parent, v, at).map(|r| Some(Keyword::If(r)))
        },
        "allOf" => |c, _, _, p, v| schema_list(c, v, p).map(|ids| Some(Keyword::AllOf(ids))),
        "anyOf" => |c, _, _, p, v| schema_list(c, v, p).map(|ids| Some(Keyword::AnyOf(ids))),
        "oneOf" => |c, _, _, p, v| schema_list(c, v, p).map(|ids| Some(Keyword::OneOf(ids))),
        "not" => |c, _, _, p, v| {
            c.subschema(v, p.to_string())
                .map(|id| Some(Keyword::Not(id)))
        },
        _ => return None,
    })
}

/// The bound keyword `name`, if it is one (they all compile alike). In the default wasm
/// only those its embedded plan uses are kept (see `kept!`), with their words.
pub(crate) fn bound_rule(name: &str) -> Option<&'static Bound> {
    Some(match name {
        "maximum" if kept!("maximum") => &maximum::RULE,
        "exclusiveMaximum" if kept!("exclusiveMaximum") => &exclusive_maximum::RULE,
        "minimum" if kept!("minimum") => &minimum::RULE,
        "exclusiveMinimum" if kept!("exclusiveMinimum") => &exclusive_minimum::RULE,
        "maxLength" if kept!("maxLength") => &max_length::RULE,
        "minLength" if kept!("minLength") => &min_length::RULE,
        "maxItems" if kept!("maxItems") => &max_items::RULE,
        "minItems" if kept!("minItems") => &min_items::RULE,
        "maxProperties" if kept!("maxProperties") => &max_properties::RULE,
        "minProperties" if kept!("minProperties") => &min_properties::RULE,
        _ => return None,
    })
}

/// Compiles keyword `name` with value `value` of the object schema `parent`, found at
/// `at`; `None` for keywords that do not validate.
pub(crate) fn compile(
    c: &mut Compiler,
    parent: &Map,
    at: &str,
    name: &str,
    value: &Value,
) -> Result<Option<Keyword>, SchemaError> {
    if let Some(rule) = bound_rule(name) {
        return c.at_keyword(at, name, |_, path| bound::compile(rule, value, path));
    }
    match compiler(name) {
        Some(compile) => c.at_keyword(at, name, |c, path| compile(c, parent, at, path, value)),
        None => Ok(None),
    }
}

impl Keyword {
    /// Validates `instance`; `at` is the pointer of the subschema holding the keyword.
    /// A keyword about strings, numbers, arrays or objects passes any other value.
    pub(crate) fn validate(&self, v: &mut Validation, instance: &Value, at: &str) -> bool {
        use Value::{Array, Number, Object, String};
        match (self, instance) {
            (Keyword::Ref(target), _) if kept!("$ref") => v.node(*target, instance),
            (Keyword::Type(types), _) if kept!("type") => types::validate(*types, v, instance, at),
            (Keyword::Enum(values), _) if kept!("enum") => {
                enumeration::validate(values, v, instance, at)
            }
            (Keyword::Const(expected), _) if kept!("const") => {
                constant::validate(expected, v, instance, at)
            }
            (Keyword::MultipleOf(divisor), Number(x)) if kept!("multipleOf") => {
                multiple_of::validate(*divisor, v, *x, at)
            }
            (Keyword::Bound(rule, limit), _) if kept!("bound") => {
                bound::validate(rule, *limit, v, instance, at)
            }
            (Keyword::Pattern(id, source), String(s)) if kept!("pattern") => {
                pattern::validate(*id, source, v, s, at)
            }
            (Keyword::Format(format), String(s)) if kept!("format") => {
                format::validate(format, v, s, at)
            }
            (Keyword::Items(rule), Array(items)) if kept!("items") => {
                items::validate(rule, v, items)
            }
            (Keyword::AdditionalItems(from, schema), Array(items)) if kept!("additionalItems") => {
                additional_items::validate(*from, *schema, v, items, at)
            }
            (Keyword::UniqueItems, Array(items)) if kept!("uniqueItems") => {
                unique_items::validate(v, items, at)
            }
            (Keyword::Contains(schema), Array(items)) if kept!("contains") => {
                contains::validate(*schema, v, items, at)
            }
            (Keyword::Required(names), Object(map)) if kept!("required") => {
                required::validate(names, v, map, at)
            }
            (Keyword::Properties(props), Object(map)) if kept!("properties") => {
                properties::validate(props, v, map)
            }
            (Keyword::PatternProperties(rules), Object(map)) if kept!("patternProperties") => {
                pattern_properties::validate(rules, v, map)
            }
            (Keyword::AdditionalProperties(rule), Object(map)) if kept!("additionalProperties") => {
                additional_properties::validate(rule, v, map, at)
            }
            (Keyword::Dependencies(deps), Object(map)) if kept!("dependencies") => {
                dependencies::validate(deps, v, map, instance, at)
            }
            (Keyword::PropertyNames(schema), Object(map)) if kept!("propertyNames") => {
                property_names::validate(*schema, v, map, at)
            }
            (Keyword::If(rule), _) if kept!("if") => conditional::validate(rule, v, instance),
            (Keyword::AllOf(schemas), _) if kept!("allOf") => {
                all_of::validate(schemas, v, instance)
            }
            (Keyword::AnyOf(schemas), _) if kept!("anyOf") => {
                any_of::validate(schemas, v, instance, at)
            }
            (Keyword::OneOf(schemas), _) if kept!("oneOf") => {
                one_of::validate(schemas, v, instance, at)
            }
            (Keyword::Not(schema), _) if kept!("not") => not::validate(*schema, v, instance, at),
            // The keyword does not apply to this type of value, or this build leaves it
            // out: the default wasm keeps only the keywords its embedded plan uses, and
            // reads no other plan.
            _ => true,
        }
    }

    /// Appends the subschemas this keyword applies to the value itself (not to its
    /// members or items): following only those, a schema must never reach itself.
    pub(crate) fn same_value(&self, out: &mut Vec<NodeId>) {
        match self {
            Keyword::Ref(id) | Keyword::Not(id) => out.push(*id),
            Keyword::AllOf(ids) | Keyword::AnyOf(ids) | Keyword::OneOf(ids) => out.extend(ids),
            Keyword::If(rule) => out.extend(rule.nodes()),
            Keyword::Dependencies(deps) => out.extend(deps.iter().filter_map(|(_, d)| match d {
                Dependency::Schema(id) => Some(*id),
                Dependency::Names(_) => None,
            })),
            _ => {}
        }
    }
}

/// A schema error at `pointer`.
pub(crate) fn invalid(pointer: &str, message: impl Into<String>) -> SchemaError {
    SchemaError {
        pointer: pointer.to_string(),
        message: message.into(),
    }
}

/// `allOf`, `anyOf`, `oneOf`: a non-empty array of schemas.
fn schema_list(c: &mut Compiler, value: &Value, pointer: &str) -> Result<Vec<NodeId>, SchemaError> {
    let schemas = value
        .as_array()
        .filter(|list| !list.is_empty())
        .ok_or_else(|| invalid(pointer, "expected a non-empty array of schemas"))?;
    schemas
        .iter()
        .enumerate()
        .map(|(i, s)| c.child(s, pointer, &i.to_string()))
        .collect()
}

/// How a violation names the value at the validation's current path: `` `a.b` `` or
/// `the value` at the root; a piece of [`text!`].
pub(crate) fn subject<'a>(v: &'a Validation) -> Subject<'a> {
    Subject(&v.path)
}

/// The value at a JSON pointer, as a message names it (see [`subject`]).
pub(crate) struct Subject<'a>(&'a str);

impl Piece for Subject<'_> {
    fn push_to(&self, out: &mut String) {
        if self.0.is_empty() {
            out.push_str("the value");
        } else {
            out.push('`');
            push_display_path(out, self.0);
            out.push('`');
        }
    }
}

/// How a violation names the member `name` of the current value: `` `a.b.name` ``; a
/// piece of [`text!`].
pub(crate) fn member<'a>(v: &'a Validation, name: &'a str) -> Member<'a> {
    Member(&v.path, name)
}

/// Member `.1` of the value at JSON pointer `.0`, as a message names it (see [`member`]).
pub(crate) struct Member<'a>(&'a str, &'a str);

impl Piece for Member<'_> {
    fn push_to(&self, out: &mut String) {
        out.push('`');
        let start = push_display_path(out, self.0);
        push_display_segment(out, start, self.1);
        out.push('`');
    }
}

/// A short rendering of a value for messages: strings quoted (and cut when long); a
/// piece of [`text!`].
pub(crate) fn show(value: &Value) -> Shown<'_> {
    Shown(value)
}

/// A value as messages show it (see [`show`]).
pub(crate) struct Shown<'a>(&'a Value);

impl Piece for Shown<'_> {
    fn push_to(&self, out: &mut String) {
        match self.0 {
            Value::Null => out.push_str("null"),
            Value::Bool(b) => out.push_str(boolean(*b)),
            Value::Number(n) => out.push_str(&number(*n)),
            Value::String(s) => show_str(s).push_to(out),
            Value::Array(items) => {
                out.push_str("an array of ");
                crate::text::push_integer(out, items.len() as u64);
            }
            Value::Object(_) => out.push_str("an object"),
        }
    }
}

/// A string for messages: quoted, cut after 60 characters; a piece of [`text!`].
pub(crate) fn show_str(s: &str) -> ShownStr<'_> {
    ShownStr(s)
}

/// A string as messages show it (see [`show_str`]).
pub(crate) struct ShownStr<'a>(&'a str);

impl Piece for ShownStr<'_> {
    fn push_to(&self, out: &mut String) {
        let quoted = crate::json::quote(self.0);
        // More than 60 characters: the 61st starts somewhere.
        if crate::text::char_start(&quoted, 60).is_some() {
            let cut = crate::text::char_start(&quoted, 57).unwrap_or(quoted.len());
            out.push_str(quoted.get(..cut).unwrap_or_default());
            out.push('…');
        } else {
            out.push_str(&quoted);
        }
    }
}

/// The schema path of keyword `name` inside the subschema at `at`.
pub(crate) fn keyword_path(at: &str, name: &str) -> String {
    join_pointer(at, name)
}

/// Records a violation of keyword `name` of the subschema at `at`, the message built only
/// when violations are collected. Always `false`, to end a `validate` with
/// `ok || fail(…)`.
pub(crate) fn fail(
    v: &mut Validation,
    at: &str,
    name: &'static str,
    message: impl Fn(&Validation) -> String,
) -> bool {
    v.reject(name, Some(at), message)
}

/// Applies `check` to each element, stopping at the first failure unless violations are
/// collected; whether every check passed.
pub(crate) fn all<T>(
    v: &mut Validation,
    elements: impl IntoIterator<Item = T>,
    mut check: impl FnMut(&mut Validation, T) -> bool,
) -> bool {
    let mut valid = true;
    for element in elements {
        if !check(v, element) {
            valid = false;
            if !v.collecting() {
                break;
            }
        }
    }
    valid
}

/// `"; closest: …"` with the first violation of the branch `instance` comes closest to
/// matching, or `""`. Closest: not of the wrong type altogether, then the fewest violations.
pub(crate) fn closest(v: &Validation, branches: &[NodeId], instance: &Value) -> String {
    branches
        .iter()
        .map(|id| v.aside(*id, instance, v.path.clone()))
        .min_by_key(|found| {
            let wrong_type = found.iter().any(|x| x.kind == "type" && x.path == v.path);
            (wrong_type, found.len())
        })
        .and_then(|found| found.into_iter().next())
        .map_or_else(String::new, |first| text!("; closest: ", first.message))
}
