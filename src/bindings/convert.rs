//! Reading the options JavaScript passes. What goes back to JavaScript is JSON text
//! (see [`crate::report`]) or plain numbers and strings; long texts come in through
//! [`super::text`].

use js_sys::Reflect;
use wasm_bindgen::prelude::*;

/// Reads `key` from `source`; `undefined` when `source` is not an object, the key is
/// absent or a getter throws.
pub fn get(source: &JsValue, key: &str) -> JsValue {
    if !source.is_object() {
        return JsValue::UNDEFINED;
    }
    Reflect::get(source, &JsValue::from_str(key)).unwrap_or(JsValue::UNDEFINED)
}
