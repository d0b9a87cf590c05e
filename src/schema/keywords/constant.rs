//! `const`: the value equals exactly one value (JSON equality).

use super::{fail, show, subject};
use crate::json::Value;
use crate::schema::Validation;
use alloc::format;

pub(super) fn validate(expected: &Value, v: &mut Validation, instance: &Value, at: &str) -> bool {
    expected.json_eq(instance)
        || fail(v, at, "const", |v| {
            format!(
                "{} must be {}, got {}",
                subject(v),
                show(expected),
                show(instance)
            )
        })
}
