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
pub(crate) mod bound;
mod conditional;
mod constant;
mod contains;
mod dependencies;
mod enumeration;
mod format;
mod items;
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

/// The keyword table: every draft-07 keyword trackplan validates, declared once. From it
/// come the [`Keyword`] enum, its [`KeywordId`] (whose position in the table is the
/// keyword's tag in the binary form, `encoding.rs`), the names each compiles from (the
/// registry [`compile`] looks names up in), and which production core keeps its code
/// ([`KeywordId::kept`]): `lean` keywords are in every core; `complete` ones are left out
/// of the lean production core (the crate's `lean` feature), which refuses a plan that
/// uses them.
///
/// Adding a keyword: a row here (variant, names, core, how it compiles), a file of its
/// own with its `validate`, and an arm in [`Keyword::validate`] and in the binary form's
/// `write_keyword` and `read_keyword`, which the compiler asks for (their matches are
/// exhaustive). A new row goes last: the tags of the rows above are in plans already built.
macro_rules! keywords {
    ($(
        $(#[$doc:meta])*
        $variant:ident $(($($data:ty),+))?, [$($name:literal),+], $core:ident, $compile:expr;
    )+) => {
        /// One compiled keyword of a subschema.
        #[derive(Debug)]
        pub(crate) enum Keyword {
            $($(#[$doc])* $variant $(($($data),+))?,)+
        }

        /// Which keyword a `Keyword` is, without its data: its tag in the binary form is
        /// its position in the table.
        #[derive(Debug, Clone, Copy, PartialEq, Eq)]
        pub enum KeywordId {
            $($(#[$doc])* $variant,)+
        }

        impl KeywordId {
            /// Every keyword, in the table's order (their tags' order).
            pub const ALL: &'static [KeywordId] = &[$(KeywordId::$variant),+];

            /// The bits of every keyword's tag (a set of keywords as `Uses` of the schema
            /// encoding holds it).
            pub const EVERY_BIT: u32 = 0 $(| 1 << KeywordId::$variant as u32)+;

            /// The bits of the tags of the keywords the lean production core keeps.
            pub const LEAN_BITS: u32 =
                0 $(| if in_lean_core!($core) { 1 << KeywordId::$variant as u32 } else { 0 })+;

            /// The keyword's name in schemas (the first, for the bound keywords' one row:
            /// messages and violations name the bound itself, see `bound.rs`).
            pub fn name(self) -> &'static str {
                match self {
                    $(KeywordId::$variant => [$($name),+][0],)+
                }
            }

            /// Whether the lean production core keeps the keyword (a `lean` row).
            pub const fn in_lean_core(self) -> bool {
                match self {
                    $(KeywordId::$variant => in_lean_core!($core),)+
                }
            }

            /// Whether this build keeps the keyword's code: always natively and in the
            /// full core; in the lean production core only the `lean` rows.
            pub const fn kept(self) -> bool {
                self.in_lean_core() || !LEAN_CORE
            }

            /// The keyword whose tag is `tag`, if this build keeps it (a `match` on constant
            /// conditions, inlined, so that a build drops the code of what it never reads).
            #[inline(always)]
            pub(crate) fn from_tag(tag: usize) -> Option<KeywordId> {
                match tag {
                    $(t if t == KeywordId::$variant as usize && KeywordId::$variant.kept() => {
                        Some(KeywordId::$variant)
                    })+
                    _ => None,
                }
            }

            /// The keyword's tag in the binary form.
            pub(crate) fn tag(self) -> usize {
                self as usize
            }
        }

        impl Keyword {
            /// Which keyword this is.
            pub(crate) fn id(&self) -> KeywordId {
                match self {
                    $(Keyword::$variant { .. } => KeywordId::$variant,)+
                }
            }
        }

        /// How the keyword `name` compiles, if it validates anything. A `match` rather
        /// than a table searched in order: plans load thousands of subschemas, and most of
        /// their members (`description`, `type`) would be compared with every entry.
        fn compiler(name: &str) -> Option<CompileFn> {
            Some(match name {
                $($($name)|+ => $compile as CompileFn,)+
                _ => return None,
            })
        }
    };
}

/// Whether this build is the lean production core (the `lean` feature, in wasm, without
/// `full`), which leaves out the `complete` rows of the keyword and format tables.
pub const LEAN_CORE: bool = cfg!(all(
    target_arch = "wasm32",
    feature = "lean",
    not(feature = "full")
));

/// Whether this build is the basic production core (the `basic` feature, which implies
/// `lean`): the lean core without any format, for the plans that use none.
pub const BASIC_CORE: bool = LEAN_CORE && cfg!(feature = "basic");

/// Whether a row of the [`keywords!`] or the formats' table is in the lean core.
macro_rules! in_lean_core {
    (lean) => {
        true
    };
    (complete) => {
        false
    };
}
pub(crate) use in_lean_core;

keywords! {
    /// `$ref`: validate against another node (siblings are ignored in draft-07).
    Ref(NodeId), ["$ref"], lean,
        |c, _, at, _, _, v| reference::compile(c, v, at).map(|id| Some(Keyword::Ref(id)));
    /// `type`.
    Type(TypeSet), ["type"], lean,
        |_, _, _, p, _, v| types::compile(v, p).map(|t| Some(Keyword::Type(t)));
    /// `enum`.
    Enum(Vec<Value>), ["enum"], lean,
        |_, _, _, p, _, v| enumeration::compile(v, p).map(|e| Some(Keyword::Enum(e)));
    /// `const`.
    Const(Value), ["const"], lean, |_, _, _, _, _, v| Ok(Some(Keyword::Const(v.clone())));
    /// `multipleOf`, the divisor.
    MultipleOf(f64), ["multipleOf"], complete,
        |_, _, _, p, _, v| multiple_of::compile(v, p).map(|m| Some(Keyword::MultipleOf(m)));
    /// `maximum`, `minLength`, `maxItems`, … with the limit.
    Bound(&'static Bound, f64),
        ["maximum", "exclusiveMaximum", "minimum", "exclusiveMinimum", "maxLength", "minLength",
         "maxItems", "minItems", "maxProperties", "minProperties"], lean,
        |_, _, _, p, name, v| bound::compile(name, v, p);
    /// `pattern`, compiled, with its source for messages.
    Pattern(PatternId, String), ["pattern"], lean, |c, _, _, p, _, v| pattern::compile(c, v, p);
    /// `format`, when trackplan knows the format.
    Format(&'static Format), ["format"], lean,
        |_, _, _, _, _, v| Ok(format::compile(v).map(Keyword::Format));
    /// `items`: one schema for every item, or one per position.
    Items(Items), ["items"], lean,
        |c, _, _, p, _, v| items::compile(c, v, p).map(|i| Some(Keyword::Items(i)));
    /// `additionalItems`: the schema for the items after the first `usize`.
    AdditionalItems(usize, NodeId), ["additionalItems"], complete, additional_items::compile;
    /// `uniqueItems: true`.
    UniqueItems, ["uniqueItems"], complete, |_, _, _, p, _, v| match v.as_bool() {
        Some(unique) => Ok(unique.then_some(Keyword::UniqueItems)),
        None => Err(invalid(p, "uniqueItems must be true or false")),
    };
    /// `contains`.
    Contains(NodeId), ["contains"], complete,
        |c, _, _, p, _, v| c.subschema(v, p.to_string()).map(|id| Some(Keyword::Contains(id)));
    /// `required`.
    Required(Vec<String>), ["required"], lean,
        |_, _, _, p, _, v| required::compile(v, p).map(|r| Some(Keyword::Required(r)));
    /// `properties`: each named property's schema.
    Properties(Vec<(String, NodeId)>), ["properties"], lean,
        |c, _, _, p, _, v| properties::compile(c, v, p).map(|r| Some(Keyword::Properties(r)));
    /// `patternProperties`: the schema of the members whose name matches each pattern.
    PatternProperties(Vec<(PatternId, NodeId)>), ["patternProperties"], complete,
        |c, _, _, p, _, v| {
            pattern_properties::compile(c, v, p).map(|r| Some(Keyword::PatternProperties(r)))
        };
    /// `additionalProperties`.
    AdditionalProperties(AdditionalProperties), ["additionalProperties"], lean,
        |c, parent, _, p, _, v| {
            additional_properties::compile(c, parent, v, p)
                .map(|r| Some(Keyword::AdditionalProperties(r)))
        };
    /// `dependencies`: what each member, when present, brings along.
    Dependencies(Vec<(String, Dependency)>), ["dependencies"], complete,
        |c, _, _, p, _, v| dependencies::compile(c, v, p).map(|d| Some(Keyword::Dependencies(d)));
    /// `propertyNames`.
    PropertyNames(NodeId), ["propertyNames"], complete,
        |c, _, _, p, _, v| {
            c.subschema(v, p.to_string()).map(|id| Some(Keyword::PropertyNames(id)))
        };
    /// `if`, with `then` and `else`.
    If(Conditional), ["if"], complete,
        |c, parent, at, _, _, v| conditional::compile(c, parent, v, at).map(|r| Some(Keyword::If(r)));
    /// `allOf`.
    AllOf(Vec<NodeId>), ["allOf"], lean,
        |c, _, _, p, _, v| schema_list(c, v, p).map(|ids| Some(Keyword::AllOf(ids)));
    /// `anyOf`.
    AnyOf(Vec<NodeId>), ["anyOf"], complete,
        |c, _, _, p, _, v| schema_list(c, v, p).map(|ids| Some(Keyword::AnyOf(ids)));
    /// `oneOf`.
    OneOf(Vec<NodeId>), ["oneOf"], complete,
        |c, _, _, p, _, v| schema_list(c, v, p).map(|ids| Some(Keyword::OneOf(ids)));
    /// `not`.
    Not(NodeId), ["not"], complete,
        |c, _, _, p, _, v| c.subschema(v, p.to_string()).map(|id| Some(Keyword::Not(id)));
}

/// How one keyword compiles: from the compiler, the schema object holding it, the pointer
/// of that object and of the keyword, the keyword's name and its value; `None` when it
/// validates nothing. One small function each (rather than one large `match`) keeps the
/// stack frames of the recursion through nested schemas small.
type CompileFn =
    fn(&mut Compiler, &Map, &str, &str, &str, &Value) -> Result<Option<Keyword>, SchemaError>;

/// Compiles keyword `name` with value `value` of the object schema `parent`, found at
/// `at`; `None` for keywords that do not validate.
pub(crate) fn compile(
    c: &mut Compiler,
    parent: &Map,
    at: &str,
    name: &str,
    value: &Value,
) -> Result<Option<Keyword>, SchemaError> {
    match compiler(name) {
        Some(compile) => c.at_keyword(at, name, |c, path| {
            compile(c, parent, at, path, name, value)
        }),
        None => Ok(None),
    }
}

impl Keyword {
    /// Validates `instance`; `at` is the pointer of the subschema holding the keyword.
    /// A keyword about strings, numbers, arrays or objects passes any other value. A
    /// keyword this build leaves out (see [`KeywordId::kept`]) fails: the binary form's
    /// reader refuses it before it could get here, and a plan is never passed by a core
    /// that cannot check it.
    pub(crate) fn validate(&self, v: &mut Validation, instance: &Value, at: &str) -> bool {
        use KeywordId as K;
        use Value::{Array, Number, Object, String};
        // Each arm is guarded by whether this build keeps its keyword, a constant: a build
        // that leaves a keyword out drops its code, and its keywords fall to the last arm.
        match (self, instance) {
            (Keyword::Ref(target), _) if K::Ref.kept() => v.node(*target, instance),
            (Keyword::Type(types), _) if K::Type.kept() => types::validate(*types, v, instance, at),
            (Keyword::Enum(values), _) if K::Enum.kept() => {
                enumeration::validate(values, v, instance, at)
            }
            (Keyword::Const(expected), _) if K::Const.kept() => {
                constant::validate(expected, v, instance, at)
            }
            (Keyword::MultipleOf(divisor), Number(x)) if K::MultipleOf.kept() => {
                multiple_of::validate(*divisor, v, *x, at)
            }
            (Keyword::Bound(rule, limit), _) if K::Bound.kept() => {
                bound::validate(rule, *limit, v, instance, at)
            }
            (Keyword::Pattern(id, source), String(s)) if K::Pattern.kept() => {
                pattern::validate(*id, source, v, s, at)
            }
            (Keyword::Format(format), String(s)) if K::Format.kept() => {
                format::validate(format, v, s, at)
            }
            (Keyword::Items(rule), Array(items)) if K::Items.kept() => {
                items::validate(rule, v, items)
            }
            (Keyword::AdditionalItems(from, schema), Array(items)) if K::AdditionalItems.kept() => {
                additional_items::validate(*from, *schema, v, items, at)
            }
            (Keyword::UniqueItems, Array(items)) if K::UniqueItems.kept() => {
                unique_items::validate(v, items, at)
            }
            (Keyword::Contains(schema), Array(items)) if K::Contains.kept() => {
                contains::validate(*schema, v, items, at)
            }
            (Keyword::Required(names), Object(map)) if K::Required.kept() => {
                required::validate(names, v, map, at)
            }
            (Keyword::Properties(props), Object(map)) if K::Properties.kept() => {
                properties::validate(props, v, map)
            }
            (Keyword::PatternProperties(rules), Object(map)) if K::PatternProperties.kept() => {
                pattern_properties::validate(rules, v, map)
            }
            (Keyword::AdditionalProperties(rule), Object(map))
                if K::AdditionalProperties.kept() =>
            {
                additional_properties::validate(rule, v, map, at)
            }
            (Keyword::Dependencies(deps), Object(map)) if K::Dependencies.kept() => {
                dependencies::validate(deps, v, map, instance, at)
            }
            (Keyword::PropertyNames(schema), Object(map)) if K::PropertyNames.kept() => {
                property_names::validate(*schema, v, map, at)
            }
            (Keyword::If(rule), _) if K::If.kept() => conditional::validate(rule, v, instance),
            (Keyword::AllOf(schemas), _) if K::AllOf.kept() => {
                all_of::validate(schemas, v, instance)
            }
            (Keyword::AnyOf(schemas), _) if K::AnyOf.kept() => {
                any_of::validate(schemas, v, instance, at)
            }
            (Keyword::OneOf(schemas), _) if K::OneOf.kept() => {
                one_of::validate(schemas, v, instance, at)
            }
            (Keyword::Not(schema), _) if K::Not.kept() => not::validate(*schema, v, instance, at),
            // A keyword about another type of value than this one's, or one this build
            // leaves out. Every variant is named, not matched by a catch-all: a keyword
            // added to the table without an arm above fails to compile, rather than
            // passing every value.
            (
                keyword @ (Keyword::Ref(_)
                | Keyword::Type(_)
                | Keyword::Enum(_)
                | Keyword::Const(_)
                | Keyword::MultipleOf(_)
                | Keyword::Bound(..)
                | Keyword::Pattern(..)
                | Keyword::Format(_)
                | Keyword::Items(_)
                | Keyword::AdditionalItems(..)
                | Keyword::UniqueItems
                | Keyword::Contains(_)
                | Keyword::Required(_)
                | Keyword::Properties(_)
                | Keyword::PatternProperties(_)
                | Keyword::AdditionalProperties(_)
                | Keyword::Dependencies(_)
                | Keyword::PropertyNames(_)
                | Keyword::If(_)
                | Keyword::AllOf(_)
                | Keyword::AnyOf(_)
                | Keyword::OneOf(_)
                | Keyword::Not(_)),
                _,
            ) => kept(v, at, keyword.id()),
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

/// Whether this build keeps keyword `id` (see [`KeywordId::kept`]); if not, records
/// that this core cannot check it, a violation: a keyword left out never passes.
fn kept(v: &mut Validation, at: &str, id: KeywordId) -> bool {
    id.kept()
        || fail(v, at, id.name(), |_| {
            text!(
                "this core cannot check `",
                id.name(),
                "`: run `npx trackplan build` again"
            )
        })
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
