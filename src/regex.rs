//! Regular expressions as ECMA-262 defines them, behind one trait.
//!
//! JSON Schema's `pattern` and `format: "regex"` follow ECMA-262. In the browser the
//! bindings hand the core the page's own `RegExp`; natively the core uses `regress`,
//! an ECMA-262 engine. Patterns are compiled once, when a plan loads, and referred to
//! by a [`PatternId`] afterwards.

use crate::prelude::*;

/// A compiled pattern, as handed out by [`RegexEngine::compile`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PatternId(pub usize);

/// An ECMA-262 regular-expression engine with a cache of compiled patterns.
pub trait RegexEngine {
    /// Compiles `pattern` (Unicode mode), or says why it is not a valid ECMA-262 pattern.
    /// Compiling the same pattern twice returns the same id.
    fn compile(&mut self, pattern: &str) -> Result<PatternId, String>;

    /// Whether the compiled pattern matches anywhere in `text` (unanchored, as `RegExp.test`).
    fn is_match(&self, id: PatternId, text: &str) -> bool;

    /// Whether `pattern` is a valid ECMA-262 pattern, without caching it (for
    /// `format: "regex"`, whose patterns are data).
    fn is_valid(&self, pattern: &str) -> bool;

    /// The source of a compiled pattern (to write a compiled schema down).
    fn source(&self, id: PatternId) -> Option<&str>;
}

/// The native engine: `regress`, with compiled patterns cached by their source.
#[cfg(not(target_arch = "wasm32"))]
#[derive(Default)]
pub struct NativeRegex {
    sources: Vec<String>,
    compiled: Vec<regress::Regex>,
}

#[cfg(not(target_arch = "wasm32"))]
impl RegexEngine for NativeRegex {
    fn compile(&mut self, pattern: &str) -> Result<PatternId, String> {
        if let Some(i) = self.sources.iter().position(|s| s == pattern) {
            return Ok(PatternId(i));
        }
        let regex = regress::Regex::with_flags(pattern, "u").map_err(|e| e.to_string())?;
        self.sources.push(pattern.to_string());
        self.compiled.push(regex);
        Ok(PatternId(self.compiled.len() - 1))
    }

    fn is_match(&self, id: PatternId, text: &str) -> bool {
        self.compiled
            .get(id.0)
            .is_some_and(|regex| regex.find(text).is_some())
    }

    fn is_valid(&self, pattern: &str) -> bool {
        regress::Regex::with_flags(pattern, "u").is_ok()
    }

    fn source(&self, id: PatternId) -> Option<&str> {
        self.sources.get(id.0).map(String::as_str)
    }
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::*;

    #[test]
    fn compiles_once_and_matches_unanchored() {
        let mut engine = NativeRegex::default();
        let id = engine.compile("^a+$").unwrap();
        assert_eq!(engine.compile("^a+$").unwrap(), id);
        assert!(engine.is_match(id, "aaa"));
        assert!(!engine.is_match(id, "aab"));
        let inner = engine.compile("b").unwrap();
        assert!(engine.is_match(inner, "abc"));
    }

    #[test]
    fn reports_invalid_patterns() {
        assert!(NativeRegex::default().compile("(").is_err());
    }
}
