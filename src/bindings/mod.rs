//! The wasm-bindgen surface: convert JavaScript values in, call the core, hand results
//! out as numbers, strings or JSON text. Nothing here decides anything; the shim sends
//! what the verdict lets through.

mod convert;
#[cfg(feature = "full")]
mod lint;
#[cfg(feature = "full")]
mod plan_rules;
mod regex;
#[cfg(feature = "full")]
mod text;
mod tracker;

#[cfg(test)]
mod conventions_tests;
#[cfg(all(test, feature = "full"))]
mod lint_tests;
#[cfg(test)]
mod suite_tests;
#[cfg(test)]
mod tests;
