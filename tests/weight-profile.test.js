// The benchmark's profile of where a wasm module's bytes go (`wasmProfile` in
// scripts/weight.js), on a module written here byte by byte and on the package's wasm.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { root } from '../scripts/toolchain.js';
import { wasmProfile } from '../scripts/weight.js';

/** A section: its id, its length (one LEB128 byte: every section here is short), its bytes. */
const section = (id, bytes) => [id, bytes.length, ...bytes];
/** A name as a wasm vector of UTF-8 bytes. */
const name = (text) => [text.length, ...Buffer.from(text)];

/**
 * A module importing one function and defining two (bodies of 2 and 4 bytes), with one
 * 3-byte data segment and a `name` section naming the import and the larger function.
 */
const MODULE = Uint8Array.from([
  ...[0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00],
  ...section(1, [1, 0x60, 0, 0]), // one type: () -> ()
  ...section(2, [1, ...name('m'), ...name('f'), 0x00, 0]), // import m.f, a function of type 0
  ...section(3, [2, 0, 0]), // two functions of type 0
  ...section(5, [1, 0x00, 1]), // a memory of one page
  ...section(10, [2, 2, 0, 0x0b, 4, 0, 0x01, 0x01, 0x0b]), // bodies: `end`; `nop nop end`
  ...section(11, [1, 0x00, 0x41, 0, 0x0b, 3, 7, 8, 9]), // 3 bytes at address 0
  ...section(0, [...name('name'), 1, 13, 2, 0, ...name('m.f'), 2, ...name('a::b::h0123456789abcdef')]),
]);

test('a wasm profile gives each section, each function body largest first with its name, and the data', () => {
  assert.doesNotThrow(() => new WebAssembly.Module(MODULE), 'the module written here is valid wasm');
  const profile = wasmProfile(MODULE);
  assert.deepEqual(
    profile.sections.map((s) => s.name),
    ['type', 'import', 'function', 'memory', 'code', 'data', 'custom "name"'],
  );
  assert.equal(8 + profile.sections.reduce((n, s) => n + s.raw, 0), MODULE.length, 'the sections cover the module');
  // Functions are numbered after the import; the hash of a Rust symbol is left out.
  assert.deepEqual(profile.functions, [
    { name: 'a::b', raw: 4 },
    { name: 'function 1', raw: 2 },
  ]);
  assert.equal(profile.data, 9);
});

test('the package wasm is profiled whole, and bytes that are not wasm are refused', () => {
  const bytes = readFileSync(join(root, 'js/wasm/trackplan_lean.wasm'));
  const profile = wasmProfile(bytes);
  assert.equal(8 + profile.sections.reduce((n, s) => n + s.raw, 0), bytes.length);
  const code = profile.sections.find((s) => s.name === 'code').raw;
  const bodies = profile.functions.reduce((n, f) => n + f.raw, 0);
  assert.ok(bodies < code && code - bodies < 4 * profile.functions.length, 'bodies and their sizes make up the code');
  assert.ok(profile.data > 0, 'messages and constants are in the data');
  assert.ok(!profile.sections.some((s) => s.name.startsWith('custom')), "the package's core has no custom section (a binding's copy adds the plan)");
  assert.throws(() => wasmProfile(Buffer.from('{"not":"wasm"}')), /not a wasm module/);
  assert.throws(() => wasmProfile(bytes.subarray(0, 40)), /not a wasm module/);
});
