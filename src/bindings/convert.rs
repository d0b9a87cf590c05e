//! Reading the options JavaScript passes. What goes back to JavaScript is JSON text
//! (see [`crate::report`]) or plain numbers and strings.

use js_sys::{Reflect, JSON};
use wasm_bindgen::prelude::*;

/// Reads `key` from `source`; `undefined` when `source` is not an object, the key is
/// absent or a getter throws.
pub fn get(source: &JsValue, key: &str) -> JsValue {
    if !source.is_object() {
        return JsValue::UNDEFINED;
    }
    Reflect::get(source, &JsValue::from_str(key)).unwrap_or(JsValue::UNDEFINED)
}

/// `JSON.stringify(value)` as the core wants it: the text, or why there is none.
/// `undefined` and `null` are an empty object (a call without properties).
pub fn stringify(value: &JsValue) -> Result<String, String> {
    if value.is_undefined() || value.is_null() {
        return Ok("{}".to_string());
    }
    match JSON::stringify(value) {
        Ok(text) => text
            .as_string()
            .ok_or_else(|| "a function or symbol is not data".to_string()),
        Err(e) => Err(js_sys::Error::from(e)
            .message()
            .as_string()
            .unwrap_or_else(|| "JSON.stringify threw".to_string())),
    }
}
