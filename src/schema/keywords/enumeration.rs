//! `enum`: the value equals one of a list (JSON equality).

use super::{fail, invalid, show, subject};
use crate::json::Value;
use crate::prelude::*;
use crate::schema::compile::SchemaError;
use crate::schema::Validation;
use crate::text::text;

pub(super) fn compile(value: &Value, pointer: &str) -> Result<Vec<Value>, SchemaError> {
    value
        .as_array()
        .map(<[Value]>::to_vec)
        .ok_or_else(|| invalid(pointer, "enum must be an array of allowed values"))
}

pub(super) fn validate(allowed: &[Value], v: &mut Validation, instance: &Value, at: &str) -> bool {
    allowed.iter().any(|a| a.json_eq(instance))
        || fail(v, at, "enum", |v| {
            let list: Vec<String> = allowed
                .iter()
                .map(|a| a.as_str().map_or_else(|| show(a), str::to_string))
                .collect();
            let mut message = text!(
                subject(v),
                " must be one of ",
                crate::text::join(&list, ", "),
                "; got ",
                show(instance)
            );
            if let Some(hint) = case_hint(allowed, instance) {
                message.push_str(" — ");
                message.push_str(&hint);
            }
            message
        })
}

/// When the value matches an allowed string but for letter case, say so.
fn case_hint(allowed: &[Value], instance: &Value) -> Option<String> {
    let got = instance.as_str()?;
    let close = allowed
        .iter()
        .filter_map(Value::as_str)
        .find(|a| a.eq_ignore_ascii_case(got))?;
    let all_lower = allowed
        .iter()
        .filter_map(Value::as_str)
        .all(|a| !a.bytes().any(|b| b.is_ascii_uppercase()));
    Some(if all_lower {
        text!("values are lower case: use ", crate::json::quote(close))
    } else {
        text!("did you mean ", crate::json::quote(close), "?")
    })
}
