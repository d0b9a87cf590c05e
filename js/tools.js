/**
 * The wasm core of the Node tools (the CLI's `lint` and the commands that read a plan's
 * rules): the crate's `full` build, which adds `lintPlan` and `planRules` (JSON text
 * across the boundary, parsed here). The browser's default wasm leaves them out; this
 * module reads the wasm from disk, so it is Node only.
 *
 * @module trackplan/tools
 */

import { readFile } from 'node:fs/promises';
import initTools, { lintPlanJson, planRulesJson } from './wasm/trackplan_full.js';

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

let toolsStart;

/**
 * Loads and instantiates the full wasm (`js/wasm/trackplan_full_bg.wasm`) once.
 * @returns {Promise<void>}
 */
export function startTools() {
  toolsStart ??= readFile(new URL('./wasm/trackplan_full_bg.wasm', import.meta.url)).then(
    async (bytes) => {
      await initTools({ module_or_path: bytes });
    },
  );
  return toolsStart;
}
