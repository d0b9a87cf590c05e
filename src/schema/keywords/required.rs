//! `required`: an object has every listed member.

use super::{invalid, keyword_path};
use crate::json::{push_pointer, Value};
use crate::schema::compile::SchemaError;
use crate::schema::Validation;
use crate::violation::display_path;

pub(super) fn compile(value: &Value, pointer: &str) -> Result<Vec<String>, SchemaError> {
    value
        .as_array()
        .and_then(|items| {
            items
                .iter()
                .map(|i| i.as_str().map(str::to_string))
                .collect()
        })
        .ok_or_else(|| invalid(pointer, "required must be an array of property names"))
}

pub(super) fn validate(names: &[String], v: &mut Validation, instance: &Value, at: &str) -> bool {
    let Value::Object(map) = instance else {
        return true;
    };
    let mut valid = true;
    for name in names {
        if map.get(name).is_none() {
            valid = false;
            if !v.collecting() {
                break;
            }
            let mut full = v.path.clone();
            push_pointer(&mut full, name);
            let message = format!("`{}` is required but missing", display_path(&full));
            v.fail("required", &keyword_path(at, "required"), message);
        }
    }
    valid
}
