//! The wasm-bindgen surface: take numbers, strings and bytes in, call the core, hand
//! results out as numbers, bytes or JSON text. Nothing here decides anything; the shim
//! sends what the verdict lets through.

#[cfg(feature = "full")]
pub(crate) mod compile;
#[cfg(feature = "full")]
mod lint;
#[cfg(not(feature = "full"))]
pub(crate) mod number;
#[cfg(feature = "full")]
mod plan_rules;
mod regex;
mod tracker;

#[cfg(test)]
mod conventions_tests;
#[cfg(all(test, feature = "full"))]
mod lint_tests;
#[cfg(test)]
mod memory_tests;
#[cfg(test)]
mod suite_tests;
#[cfg(test)]
mod tests;
