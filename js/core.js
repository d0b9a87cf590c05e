/**
 * The wasm core, started once per page or Node process.
 *
 * @module trackplan/core
 */

import initWasm, { Tracker as CoreTracker } from './wasm/trackplan.js';

export { CoreTracker };

let wasmStart;

/**
 * Loads and instantiates the wasm core once. In a browser the default is the
 * `trackplan_bg.wasm` beside this module (bundlers rewrite the URL); in Node the file
 * is read from disk.
 * @param {string | URL | Response | BufferSource | WebAssembly.Module} [source]
 * @returns {Promise<void>}
 */
export function startWasm(source) {
  wasmStart ??= (async () => {
    let input = source ?? new URL('./wasm/trackplan_bg.wasm', import.meta.url);
    if (input instanceof URL && input.protocol === 'file:') {
      // Node: fetch() cannot read files. The specifier is hidden from bundlers.
      const fs = 'node:fs/promises';
      const { readFile } = await import(/* @vite-ignore */ /* webpackIgnore: true */ fs);
      input = await readFile(input);
    }
    await initWasm({ module_or_path: input });
  })();
  return wasmStart;
}
