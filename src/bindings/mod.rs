//! The wasm-bindgen surface: take numbers, strings and bytes in, call the core, hand
//! results out as numbers, bytes, JSON text or (the full core's tool reports) JavaScript
//! objects. Nothing here decides anything; the shim sends what the verdict lets through.

#[cfg(not(feature = "full"))]
pub(crate) mod number;
mod regex;
#[cfg(feature = "full")]
pub(crate) mod tools;
mod tracker;

#[cfg(test)]
mod conventions_tests;
#[cfg(test)]
mod memory_tests;
#[cfg(test)]
mod suite_tests;
#[cfg(test)]
mod tests;
#[cfg(all(test, feature = "full"))]
mod tools_tests;
