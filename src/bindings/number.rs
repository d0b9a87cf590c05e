//! Numbers as the page's JavaScript writes them, for the default wasm's messages and
//! reports: `String(n)`, the shortest decimal that reads back as `n` (`312.5`, `1e+21`).
//! The page's engine already has that search, as it has `RegExp`; the default wasm does
//! without the core's own (`text::number` from the `ryu` crate's digits), which natively
//! and in the full core writes the same text. Where the default wasm needs the digits
//! themselves (`multipleOf`), `text::shortest` reads them from this text.
//!
//! The text is read a character at a time with `String.prototype.charCodeAt.call(n, i)`
//! (which writes `n` as `String(n)` does): no string is copied into the wasm, so the glue
//! needs no code to pass one (0.2 KB gzip of JS).

use wasm_bindgen::prelude::*;

use crate::prelude::*;

#[wasm_bindgen]
extern "C" {
    /// `String.prototype.charCodeAt.call(n, index)`: the UTF-16 unit at `index` of
    /// `String(n)`, NaN past its end.
    #[wasm_bindgen(js_namespace = ["String", "prototype", "charCodeAt"], js_name = call)]
    fn char_code_of(n: f64, index: u32) -> f64;
}

/// The longest text `String(n)` writes for a number: 25 characters, a negative one from
/// `1e-6` to `1e-5` with 17 digits (`-0.0000031990721975691352`), one more than
/// `-1.7976931348623157e+308`. A page that replaced `charCodeAt` cannot make [`text`]
/// read on past it.
const LONGEST: u32 = 25;

/// `n` as JavaScript's `String(n)` writes it (ASCII: digits, `.`, `-`, `+`, `e`, and the
/// letters of `NaN` and `Infinity`).
pub(crate) fn text(n: f64) -> String {
    let mut out = String::new();
    for index in 0..LONGEST {
        let unit = char_code_of(n, index);
        if unit.is_nan() || unit >= 128.0 {
            break;
        }
        out.push(char::from(unit as u8));
    }
    out
}
