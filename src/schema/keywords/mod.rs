//! The draft-07 keywords, one file each. Every keyword has a `compile` (schema document →
//! [`Keyword`]) and a `validate` (instance → valid?, violations recorded on failure).
//! Keywords that only annotate (`title`, `description`, `default`, `examples`, `$comment`)
//! and unknown ones (Segment's `labels`, `eventMetadata`, …) compile to nothing.

mod additional_properties;
mod constant;
mod enumeration;
mod items;
mod properties;
mod required;
mod types;

use super::compile::{Compiler, SchemaError};
use super::{NodeId, Validation};
use crate::json::{Map, Value};
use crate::violation::display_path;

pub(crate) use additional_properties::AdditionalProperties;
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
    /// `properties`: each named property's schema.
    Properties(Vec<(String, NodeId)>),
    /// `required`.
    Required(Vec<String>),
    /// `additionalProperties`.
    AdditionalProperties(AdditionalProperties),
    /// `items`: one schema for every item, or one per position.
    Items(items::Items),
}

/// Compiles keyword `name` with value `value` of the object schema `parent`, found at
/// `pointer`; `None` for keywords that do not validate.
pub(crate) fn compile(
    c: &mut Compiler,
    parent: &Map,
    name: &str,
    value: &Value,
    pointer: String,
) -> Result<Option<Keyword>, SchemaError> {
    let keyword = match name {
        "type" => Keyword::Type(types::compile(value, &pointer)?),
        "enum" => Keyword::Enum(enumeration::compile(value, &pointer)?),
        "const" => Keyword::Const(value.clone()),
        "properties" => Keyword::Properties(properties::compile(c, value, &pointer)?),
        "required" => Keyword::Required(required::compile(value, &pointer)?),
        "additionalProperties" => Keyword::AdditionalProperties(additional_properties::compile(
            c, parent, value, &pointer,
        )?),
        "items" => Keyword::Items(items::compile(c, value, &pointer)?),
        _ => return Ok(None),
    };
    Ok(Some(keyword))
}

impl Keyword {
    /// Validates `instance`; `at` is the pointer of the subschema holding the keyword.
    pub(crate) fn validate(&self, v: &mut Validation, instance: &Value, at: &str) -> bool {
        match self {
            Keyword::Ref(target) => v.node(*target, instance),
            Keyword::Type(types) => types::validate(types, v, instance, at),
            Keyword::Enum(values) => enumeration::validate(values, v, instance, at),
            Keyword::Const(expected) => constant::validate(expected, v, instance, at),
            Keyword::Properties(props) => properties::validate(props, v, instance),
            Keyword::Required(names) => required::validate(names, v, instance, at),
            Keyword::AdditionalProperties(rule) => {
                additional_properties::validate(rule, v, instance, at)
            }
            Keyword::Items(rule) => items::validate(rule, v, instance),
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

/// How a violation names the value at the validation's current path: `` `a.b` `` or
/// `the value` at the root.
pub(crate) fn subject(v: &Validation) -> String {
    if v.path.is_empty() {
        "the value".to_string()
    } else {
        format!("`{}`", display_path(&v.path))
    }
}

/// A short rendering of a value for messages: strings quoted, long values cut.
pub(crate) fn show(value: &Value) -> String {
    let text = match value {
        Value::Null => "null".to_string(),
        Value::Bool(b) => b.to_string(),
        Value::Number(n) => n.to_string(),
        Value::String(s) => crate::json::quote(s),
        Value::Array(items) => format!("an array of {}", items.len()),
        Value::Object(_) => "an object".to_string(),
    };
    if text.chars().count() > 60 {
        let cut: String = text.chars().take(57).collect();
        format!("{cut}…")
    } else {
        text
    }
}

/// The schema path of keyword `name` inside the subschema at `at`.
pub(crate) fn keyword_path(at: &str, name: &str) -> String {
    let mut p = at.to_string();
    crate::json::push_pointer(&mut p, name);
    p
}
