//! `enum`: the value equals one of a list (JSON equality).

use super::{fail, invalid, show, subject};
use crate::json::Value;
use crate::prelude::*;
use crate::schema::compile::SchemaError;
use crate::schema::Validation;
use crate::text::{text, Piece};

pub(super) fn compile(value: &Value, pointer: &str) -> Result<Vec<Value>, SchemaError> {
    value
        .as_array()
        .map(<[Value]>::to_vec)
        .ok_or_else(|| invalid(pointer, "enum must be an array of allowed values"))
}

pub(super) fn validate(allowed: &[Value], v: &mut Validation, instance: &Value, at: &str) -> bool {
    allowed.iter().any(|a| a.json_eq(instance))
        || fail(v, at, "enum", |v| {
            let mut message = text!(subject(v), " must be one of ");
            for (i, a) in allowed.iter().enumerate() {
                if i > 0 {
                    message.push_str(", ");
                }
                match a {
                    Value::String(s) => message.push_str(s),
                    a => show(a).push_to(&mut message),
                }
            }
            message.push_str("; got ");
            show(instance).push_to(&mut message);
            case_hint(allowed, instance, &mut message);
            message
        })
}

/// When the value matches an allowed string but for letter case, says so after `message`.
fn case_hint(allowed: &[Value], instance: &Value, message: &mut String) {
    let Value::String(got) = instance else {
        return;
    };
    let (mut close, mut all_lower) = (None, true);
    for a in allowed {
        if let Value::String(a) = a {
            if close.is_none() && a.eq_ignore_ascii_case(got) {
                close = Some(a);
            }
            all_lower &= !a.bytes().any(|b| b.is_ascii_uppercase());
        }
    }
    let Some(close) = close else {
        return;
    };
    message.push_str(if all_lower {
        " — values are lower case: use "
    } else {
        " — did you mean "
    });
    message.push_str(&crate::json::quote(close));
    if !all_lower {
        message.push('?');
    }
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use crate::schema::tests::messages;

    #[test]
    fn lists_the_allowed_values_and_hints_at_letter_case() {
        let mixed = r#"{"enum": ["Red", "green", 1, null, [1, 2], {"a": 1}]}"#;
        for (schema, instance, expected) in [
            (
                r#"{"properties": {"user_type": {"enum": ["patient", "practitioner"]}}}"#,
                r#"{"user_type": "Patient"}"#,
                r#"`user_type` must be one of patient, practitioner; got "Patient" — values are lower case: use "patient""#,
            ),
            (
                mixed,
                r#""red""#,
                r#"the value must be one of Red, green, 1, null, an array of 2, an object; got "red" — did you mean "Red"?"#,
            ),
            (
                mixed,
                "[1]",
                "the value must be one of Red, green, 1, null, an array of 2, an object; got an array of 1",
            ),
            (
                r#"{"enum": ["a"]}"#,
                "true",
                "the value must be one of a; got true",
            ),
        ] {
            assert_eq!(messages(schema, instance), [expected], "{schema} {instance}");
        }
    }
}
