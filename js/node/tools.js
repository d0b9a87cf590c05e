/**
 * The wasm core of the Node tools: the crate's full core, read from disk, which adds
 * `lintPlan`, `planRules`, `compilePlan` and `planNeeds` to what the browser's cores do
 * (reports as objects, plans as bytes; see src/bindings/tools.rs). The production cores
 * leave them out. It is the same full
 * core a page outside production runs (`startFull` in `sdk/cores.js`), started once per
 * process, whoever asks first.
 *
 * @module trackplan/node/tools
 */

import { readFile } from 'node:fs/promises';
import { startFull } from '../sdk/cores.js';
import { planBytes } from '../sdk/plan-text.js';
import * as fullCore from '../wasm/trackplan_full.js';

/** The package's full core. */
export const FULL_CORE = new URL('../wasm/trackplan_full_bg.wasm', import.meta.url);

/** The package's demo plan: what the tools check against when given no plan. */
export const DEMO_PLAN = new URL('../../plan/default.json', import.meta.url);

/**
 * Starts the full core, once per process (the package's copy, read from disk).
 * @returns {Promise<void>}
 */
export async function startTools() {
  await startFull(FULL_CORE);
}

/**
 * The full core, started, with `plan` for its trackers, as `createCore` (`sdk/core.js`)
 * takes them.
 * @param {object | string} [plan] a Segment export, as object or JSON text; the demo
 *   plan when absent
 * @returns {Promise<import('../sdk/cores.js').StartedCore>}
 * @throws {Error} (rejects) when the plan cannot be read as JSON
 */
export async function toolsCore(plan) {
  const glue = await startFull(FULL_CORE);
  return { Tracker: glue.Tracker, plan: planBytes(plan ?? (await readFile(DEMO_PLAN, 'utf8'))) };
}

/**
 * The conventions lint of a plan: `{ findings: [{ rule, severity, event, property,
 * message, fix }], errors, warnings, silenced }`. The full core must be started.
 * @param {string} text the plan's JSON text
 * @throws {Error} when the plan cannot be used, naming the rule and JSON pointer
 */
export function lintPlan(text) {
  return fullCore.lintPlan(text);
}

/**
 * A plan's rules, normalized: `[{ name, kind, version, description?, schema }]`. The
 * full core must be started.
 * @param {string | object} plan a Segment export, as JSON text or object
 * @throws {Error} when the document is not a plan, naming the problem
 */
export function planRules(plan) {
  let text = plan;
  if (typeof plan !== 'string') {
    try {
      text = JSON.stringify(plan);
    } catch (error) {
      throw new Error(`the plan cannot be read as JSON: ${error.message}`);
    }
  }
  return fullCore.planRules(text);
}

/**
 * A plan compiled into the binary form every core reads (see `src/plan/encoding.rs`),
 * with its descriptions or without (the production core's copy). The full core must be
 * started.
 * @param {string} text the plan's JSON text
 * @param {boolean} documented with the developer documentation (descriptions, the
 *   schemas' pointers), for the development core; without, for the production cores
 * @returns {Uint8Array}
 * @throws {Error} when the plan cannot be used, naming the rule and JSON pointer
 */
export function compilePlan(text, documented) {
  return fullCore.compilePlan(text, documented);
}

/**
 * Which production core a compiled plan needs, the smallest that keeps what it uses:
 * `{ core: 'basic' | 'lean' | 'complete', uses }`, `uses` the names of the keywords and
 * formats it uses. The full core must be started.
 * @param {Uint8Array} bytes what {@link compilePlan} returned
 * @returns {{ core: 'basic' | 'lean' | 'complete', uses: string[] }}
 */
export function planNeeds(bytes) {
  return fullCore.planNeeds(bytes);
}
