//! `pattern`: a string matches an ECMA-262 regular expression (anywhere, unanchored),
//! compiled once, when the schema is.

use super::{fail, invalid, show_str, subject, Keyword};
use crate::json::Value;
use crate::prelude::*;
use crate::regex::PatternId;
use crate::schema::compile::{Compiler, SchemaError};
use crate::schema::Validation;
use crate::text::text;
use alloc::format;

/// Compiles `pattern`, written at `pointer`, or says why it is not a valid one.
pub(super) fn regex(
    c: &mut Compiler,
    pattern: &str,
    pointer: &str,
) -> Result<PatternId, SchemaError> {
    c.regex.compile(pattern).map_err(|e| {
        invalid(
            pointer,
            format!(
                "{} is not a valid ECMA-262 regular expression: {e}",
                crate::json::quote(pattern)
            ),
        )
    })
}

pub(super) fn compile(
    c: &mut Compiler,
    value: &Value,
    pointer: &str,
) -> Result<Option<Keyword>, SchemaError> {
    let source = value
        .as_str()
        .ok_or_else(|| invalid(pointer, "pattern must be a string"))?;
    Ok(Some(Keyword::Pattern(
        regex(c, source, pointer)?,
        source.to_string(),
    )))
}

pub(super) fn validate(id: PatternId, source: &str, v: &mut Validation, s: &str, at: &str) -> bool {
    v.regex.is_match(id, s)
        || fail(v, at, "pattern", |v| {
            text!(
                subject(v),
                " must match the pattern ",
                source,
                ", got ",
                show_str(s)
            )
        })
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use crate::schema::tests::messages;

    #[test]
    fn names_the_pattern() {
        assert_eq!(
            messages(
                r#"{"properties": {"sku": {"pattern": "^[A-Z]{3}$"}}}"#,
                r#"{"sku": "ab1"}"#
            ),
            [r#"`sku` must match the pattern ^[A-Z]{3}$, got "ab1""#]
        );
    }

    #[test]
    fn an_invalid_pattern_is_a_schema_error_at_its_pointer() {
        let doc = crate::json::parse(r#"{"properties": {"a": {"pattern": "("}}}"#).unwrap();
        let err =
            crate::schema::compile(&doc, &mut crate::regex::NativeRegex::default()).unwrap_err();
        assert_eq!(err.pointer, "/properties/a/pattern");
    }
}
