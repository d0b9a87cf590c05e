//! Prints `js/sdk/protocol.js`, the shim's copy of what it and the wasm cores agree on,
//! generated from `src/protocol.rs`: `cargo run --example protocol > js/sdk/protocol.js`
//! (the build runs it; a test fails when the committed file is stale).

fn main() {
    print!("{}", trackplan::protocol::javascript());
}
