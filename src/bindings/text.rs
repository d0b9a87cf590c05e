//! Long texts from JavaScript (a plan of hundreds of kilobytes) into the core.
//!
//! wasm-bindgen's own string crossing copies a string into wasm memory character by
//! character in a JavaScript loop. That is cheap for an event name, but for a plan the
//! loop runs hundreds of thousands of times before the engine optimizes it: tens of
//! milliseconds of a cold start. Here the page's `TextEncoder` encodes the whole text
//! natively and it is copied into wasm memory in one piece.

use js_sys::{Uint8Array, JSON};
use wasm_bindgen::prelude::*;

#[wasm_bindgen]
extern "C" {
    type TextEncoder;

    #[wasm_bindgen(constructor)]
    fn new() -> TextEncoder;

    #[wasm_bindgen(method)]
    fn encode(this: &TextEncoder, text: &JsValue) -> Uint8Array;
}

/// `value` as JSON text: a string as it is, anything else as `JSON.stringify` writes
/// it; `Err` says why there is no text (a function or symbol, or `stringify` threw).
pub fn json_text(value: &JsValue) -> Result<String, String> {
    let text = if value.is_string() {
        value.clone()
    } else {
        JSON::stringify(value)
            .map_err(|e| {
                js_sys::Error::from(e)
                    .message()
                    .as_string()
                    .unwrap_or_else(|| "JSON.stringify threw".to_string())
            })?
            .into()
    };
    if !text.is_string() {
        return Err("a function or symbol is not data".to_string());
    }
    // `TextEncoder` writes UTF-8 only (a lone surrogate becomes U+FFFD).
    String::from_utf8(TextEncoder::new().encode(&text).to_vec())
        .map_err(|_| "the text is not UTF-8".to_string())
}
