//! `const`: the value equals exactly one value (JSON equality).

use super::{fail, show, subject};
use crate::json::Value;
use crate::schema::Validation;
use crate::text::text;

pub(super) fn validate(expected: &Value, v: &mut Validation, instance: &Value, at: &str) -> bool {
    expected.json_eq(instance)
        || fail(v, at, "const", |v| {
            text!(
                subject(v),
                " must be ",
                show(expected),
                ", got ",
                show(instance)
            )
        })
}
