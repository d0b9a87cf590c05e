/**
 * The wasm core of the Node tools (the CLI's `lint` and the commands that read a plan's
 * rules): the crate's full core, which adds `lintPlan` and `planRules` (JSON text across
 * the boundary, parsed here). The browser's default wasm leaves them out. The full core
 * is started by `startFullCore` in core.js, so a process that also checks calls against
 * a plan given at run time starts it once.
 *
 * @module trackplan/tools
 */

import { startFullCore } from '../sdk/core.js';
import { lintPlanJson, planRulesJson } from '../wasm/trackplan_full.js';

/**
 * The conventions lint of a plan: `{ findings: [{ rule, severity, event, property,
 * message, fix }], errors, warnings, silenced }`.
 * @param {string} text the plan's JSON text
 * @throws {Error} when the plan cannot be used, naming the rule and JSON pointer
 */
export function lintPlan(text) {
  return JSON.parse(lintPlanJson(text));
}

/**
 * A plan's rules, normalized: `[{ name, kind, version, description?, schema }]`.
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
  return JSON.parse(planRulesJson(text));
}

/**
 * Starts the full core (once per process, shared with the trackers and checks that use
 * it; its wasm is read from disk).
 * @returns {Promise<void>}
 */
export async function startTools() {
  await startFullCore();
}
