//! The panic handler of trackplan's `no_std` wasm: a panic traps, as it did with std and
//! `panic = "abort"`, and the call into wasm throws a `RuntimeError`. trackplan answers
//! bad input with violations, so a panic is a bug; its message and location are not read,
//! which would ship `core::fmt` and text nobody sees (std printed them nowhere in the
//! browser).
//!
//! A crate of its own so that Cargo can leave the handler out where std is linked. The
//! wasm tests need std (the test harness, and wasm-bindgen-test, which turns on `std` in
//! wasm-bindgen and js-sys for every crate of the same cargo run, trackplan's library
//! included), and std brings its own handler: two would not build. trackplan's wasm
//! dev-dependencies turn on this crate's `std` feature, in exactly those runs.

#![no_std]

/// Traps (`unreachable`).
#[cfg(all(target_arch = "wasm32", not(feature = "std")))]
#[panic_handler]
fn panic(_: &core::panic::PanicInfo) -> ! {
    core::arch::wasm32::unreachable()
}
