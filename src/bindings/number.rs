//! Numbers as the page's JavaScript writes them, for the default wasm's messages and
//! reports: `String(n)`, the shortest decimal that reads back as `n` (`312.5`, `1e+21`).
//! The page's engine already has that search, as it has `RegExp`; the default wasm does
//! without the core's own (`text::number` and `shortest`, 1.2 KB gzip), which natively
//! and in the full core writes the same digits.

use wasm_bindgen::prelude::*;

use crate::prelude::*;

#[wasm_bindgen]
extern "C" {
    /// JavaScript's `String(n)`.
    #[wasm_bindgen(js_name = String)]
    fn js_string(n: f64) -> String;
}

/// `n` as JavaScript's `String(n)` writes it.
pub(crate) fn text(n: f64) -> String {
    js_string(n)
}
