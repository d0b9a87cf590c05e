//! `const`: the value equals exactly one value (JSON equality).

use super::{keyword_path, show, subject};
use crate::json::Value;
use crate::schema::Validation;

pub(super) fn validate(expected: &Value, v: &mut Validation, instance: &Value, at: &str) -> bool {
    if expected.json_eq(instance) {
        return true;
    }
    if v.collecting() {
        let message = format!(
            "{} must be {}, got {}",
            subject(v),
            show(expected),
            show(instance)
        );
        v.fail("const", &keyword_path(at, "const"), message);
    }
    false
}
