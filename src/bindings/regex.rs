//! The page's own `RegExp` as the core's ECMA-262 engine.

use wasm_bindgen::prelude::*;

use crate::prelude::*;
use crate::regex::{PatternId, RegexEngine};

// Declared here rather than taken from js-sys, which every core would then link: with
// js-sys 0.3.107's `RegExp` (and the same two imports) the lean core grows from 24,619 to
// 26,349 B gzip -9, and its constructor does not catch the `SyntaxError`. The full core
// reads that error with js-sys (`refusal`).
#[wasm_bindgen]
extern "C" {
    /// A compiled ECMA-262 regular expression.
    type RegExp;

    /// `RegExp(pattern, flags)` (the same as with `new`), catching the `SyntaxError` of
    /// a bad pattern.
    #[wasm_bindgen(catch, js_name = RegExp)]
    fn new_regexp(pattern: &str, flags: &str) -> Result<RegExp, JsValue>;

    /// `RegExp.prototype.test`.
    #[wasm_bindgen(method)]
    fn test(this: &RegExp, text: &str) -> bool;
}

/// Compiled `RegExp`s, cached by source.
#[derive(Default)]
pub struct JsRegex {
    sources: Vec<String>,
    compiled: Vec<RegExp>,
}

impl RegexEngine for JsRegex {
    fn compile(&mut self, pattern: &str) -> Result<PatternId, String> {
        if let Some(i) = self.sources.iter().position(|s| s == pattern) {
            return Ok(PatternId(i));
        }
        let regex = new_regexp(pattern, "u").map_err(refusal)?;
        self.sources.push(pattern.to_string());
        self.compiled.push(regex);
        Ok(PatternId(self.compiled.len() - 1))
    }

    fn is_valid(&self, pattern: &str) -> bool {
        new_regexp(pattern, "u").is_ok()
    }

    fn is_match(&self, id: PatternId, text: &str) -> bool {
        self.compiled.get(id.0).is_some_and(|r| r.test(text))
    }

    fn source(&self, id: PatternId) -> Option<&str> {
        self.sources.get(id.0).map(String::as_str)
    }
}

/// Why the page's `RegExp` refused a pattern: the message of its `SyntaxError`, for the
/// set-up error of a plan given at run time (the full build).
#[cfg(feature = "full")]
fn refusal(error: JsValue) -> String {
    match error.dyn_into::<js_sys::Error>() {
        Ok(error) => error.message().into(),
        Err(_) => "invalid regular expression".to_string(),
    }
}

/// Why the page's `RegExp` refused a pattern. A production core's patterns are those of
/// a plan `trackplan build` compiled, so it names no detail (and imports no way to read
/// one).
#[cfg(not(feature = "full"))]
fn refusal(_: JsValue) -> String {
    "invalid regular expression".to_string()
}
