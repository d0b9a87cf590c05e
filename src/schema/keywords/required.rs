//! `required`: an object has every listed member.

use super::{all, fail, invalid, member};
use crate::json::{Map, Value};
use crate::prelude::*;
use crate::schema::compile::SchemaError;
use crate::schema::Validation;
use crate::text::text;

/// An array of property names (also the array form of `dependencies`).
pub(super) fn compile(value: &Value, pointer: &str) -> Result<Vec<String>, SchemaError> {
    value
        .as_array()
        .and_then(|items| {
            items
                .iter()
                .map(|i| i.as_str().map(str::to_string))
                .collect()
        })
        .ok_or_else(|| invalid(pointer, "expected an array of property names"))
}

pub(super) fn validate(names: &[String], v: &mut Validation, map: &Map, at: &str) -> bool {
    each_missing(v, map, names, at, "required", |v, name| {
        text!(member(v, name), " is required but missing")
    })
}

/// Fails keyword `kind` once for each of `names` that `map` lacks, `why` saying so.
pub(super) fn each_missing(
    v: &mut Validation,
    map: &Map,
    names: &[String],
    at: &str,
    kind: &'static str,
    why: impl Fn(&Validation, &str) -> String,
) -> bool {
    let missing = names.iter().filter(|name| map.get(name).is_none());
    all(v, missing, |v, name| fail(v, at, kind, |v| why(v, name)))
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use crate::json::parse;
    use crate::regex::NativeRegex;
    use crate::schema::tests::messages;
    use crate::violation::display_path;

    #[test]
    fn members_are_named_as_display_path_names_their_pointers() {
        let names = ["x", "0", "a/b", "m~n", "", "é"];
        let list = names.map(crate::json::quote).join(", ");
        for (schema, instance, parent) in [
            (format!(r#"{{"required": [{list}]}}"#), "{}", ""),
            (
                format!(r#"{{"properties": {{"o/p": {{"items": {{"required": [{list}]}}}}}}}}"#),
                r#"{"o/p": [{}]}"#,
                "/o~1p/0",
            ),
        ] {
            let expected: Vec<String> = names
                .iter()
                .map(|name| {
                    let mut pointer = parent.to_string();
                    crate::json::push_pointer(&mut pointer, name);
                    format!("`{}` is required but missing", display_path(&pointer))
                })
                .collect();
            assert_eq!(messages(&schema, instance), expected, "{schema}");
        }
    }

    #[test]
    fn names_each_missing_member_at_the_object() {
        let mut regex = NativeRegex::default();
        let doc = parse(r#"{"properties": {"a": {"required": ["x", "y", "z"]}}}"#).unwrap();
        let schema = crate::schema::compile(&doc, &mut regex).unwrap();
        let got = schema.validate(&parse(r#"{"a": {"y": 1}}"#).unwrap(), &regex);
        let got: Vec<_> = got
            .iter()
            .map(|v| {
                (
                    v.kind,
                    v.path.as_str(),
                    v.schema_path.as_str(),
                    v.message.as_str(),
                )
            })
            .collect();
        let at = "/properties/a/required";
        assert_eq!(
            got,
            [
                ("required", "/a", at, "`a.x` is required but missing"),
                ("required", "/a", at, "`a.z` is required but missing"),
            ]
        );
    }
}
