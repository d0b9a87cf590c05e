/**
 * The wasm core of the Node tools (the CLI's `lint` and the commands that read a plan's
 * rules): a second build of the crate with its `tools` feature, which adds `lintPlan`
 * and `planRules`. The browser's wasm leaves them out, so this module is Node only.
 *
 * @module trackplan/tools
 */

import { readFile } from 'node:fs/promises';
import initTools, { lintPlan, planRules } from './wasm/trackplan_tools.js';

export { lintPlan, planRules };

let toolsStart;

/**
 * Loads and instantiates the tools' wasm (`js/wasm/trackplan_tools_bg.wasm`) once.
 * @returns {Promise<void>}
 */
export function startTools() {
  toolsStart ??= readFile(new URL('./wasm/trackplan_tools_bg.wasm', import.meta.url)).then(
    async (bytes) => {
      await initTools({ module_or_path: bytes });
    },
  );
  return toolsStart;
}
