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

/** Result code bits of the core's call methods (see `src/bindings/tracker.rs`). */
const VERDICT_OK = 1;
const VERDICT_BLOCKED = 2;
const VERDICT_DETAILS = 4;

/**
 * The contract's verdict for the result `code` of a core call method: built here for a
 * call without violations, omitted properties or hints (no crossing back into wasm),
 * read from the core's `lastVerdict()` otherwise.
 * @param {CoreTracker} core
 * @param {number} code what the call method returned
 * @param {'track' | 'identify' | 'page' | 'group'} type
 * @param {unknown} event the event name (track) or page name, if a string
 */
export function verdictOf(core, code, type, event) {
  if (code & VERDICT_DETAILS) return core.lastVerdict();
  const verdict = {
    ok: (code & VERDICT_OK) !== 0,
    action: code & VERDICT_BLOCKED ? 'blocked' : 'sent',
    type,
    violations: [],
    omitted: [],
    hints: [],
  };
  if (typeof event === 'string') verdict.event = event;
  if (code >>> 8) verdict.version = code >>> 8;
  return verdict;
}

/**
 * The verdict of a dry run of `call` (`{ type, event?, name?, properties?, traits? }`).
 * @param {CoreTracker} core
 * @param {object} call
 */
export function dryRun(core, call) {
  const code = core.validate(call);
  if (code & VERDICT_DETAILS) return core.lastVerdict();
  try {
    const type = call?.type ?? 'track';
    return verdictOf(core, code, type, type === 'page' ? call.name : call.event);
  } catch {
    // A getter that threw on this second read: the core kept the whole verdict.
    return core.lastVerdict();
  }
}
