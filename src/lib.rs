//! trackplan: validate Segment analytics calls against a tracking plan.
//!
//! The crate is a pure Rust core — [`plan`], [`schema`], [`policy`], [`history`] and
//! [`tracker`] never see a JavaScript value and are tested natively — plus thin
//! `wasm-bindgen` bindings (`bindings`, wasm32 only) that convert and delegate; the JS
//! shim hands analytics.js what the verdict lets through. [`report`] writes what the
//! shim shows people as JSON text.
//!
//! In wasm the crate is `no_std` (with `alloc`): std's panic machinery and I/O would ship
//! in the wasm for nothing, as a panic there only traps (the handler is the
//! `trackplan-panic-trap` crate's). Natively and in the tests it has std; the modules take
//! what std's prelude would give them from `prelude`, so the same code builds both ways.

#![cfg_attr(all(target_arch = "wasm32", not(test)), no_std)]

extern crate alloc;

pub mod binary;
pub mod conventions;
pub mod history;
pub mod json;
pub mod plan;
pub mod policy;
mod prelude;
pub mod protocol;
pub mod regex;
pub mod report;
pub mod schema;
pub mod session;
mod text;
pub mod tracker;
mod utf8;
pub mod violation;

#[cfg(target_arch = "wasm32")]
mod bindings;

// The `no_std` wasm's panic handler: a panic traps (see panic-trap/).
#[cfg(target_arch = "wasm32")]
use trackplan_panic_trap as _;

/// The wasm's memory allocator: the `talc` crate's for single-threaded wasm (its
/// construction refuses a build with threads), which takes pages from `memory.grow` as it
/// needs them and merges the blocks freed beside each other, so that memory reaches a
/// plateau under any mix of block sizes (see `bindings::memory_tests`). It replaces Rust's
/// default dlmalloc, which took about 8 KB of the wasm.
#[cfg(target_arch = "wasm32")]
#[global_allocator]
static ALLOCATOR: talc::wasm::WasmDynamicTalc = talc::wasm::new_wasm_dynamic_allocator();

/// Lets the shared suite runner (`tests/suite`) name the crate as its integration test
/// does, when the browser test includes it.
#[cfg(all(test, target_arch = "wasm32"))]
extern crate self as trackplan;
