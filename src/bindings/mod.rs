//! The wasm-bindgen surface: convert JavaScript values in, call the core, convert results
//! out, and hand sendable calls to analytics.js. Nothing here decides anything.

mod convert;
#[cfg(feature = "tools")]
mod lint;
#[cfg(feature = "tools")]
mod plan_rules;
mod regex;
mod text;
mod tracker;

#[cfg(test)]
mod conventions_tests;
#[cfg(all(test, feature = "tools"))]
mod lint_tests;
#[cfg(test)]
mod suite_tests;
#[cfg(test)]
mod tests;
