/**
 * `trackplan.config.json`: the defaults of `trackplan build` and `trackplan pull`, read
 * from the current directory (or `--config FILE`).
 *
 * ```json
 * {
 *   "plan": "tracking-plan.json",
 *   "out": "src/trackplan",
 *   "segment": { "trackingPlanId": "tp_…", "apiHost": "https://api.segmentapis.com" }
 * }
 * ```
 *
 * Paths are relative to the file. The Segment token is never here: `pull` reads it from
 * `SEGMENT_API_TOKEN`.
 *
 * @module trackplan/node/config
 */

import { readFile } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { InputError, parseJson } from './commands/input.js';

/** The file read when `--config` is not given. */
export const CONFIG_FILE = 'trackplan.config.json';

/**
 * The configuration: `{ plan?, out?, segment? }`, paths resolved against the file's
 * directory; `{}` when the default file does not exist.
 * @param {string} [path] `--config`'s value: then the file must exist
 * @returns {Promise<{ file?: string, plan?: string, out?: string, segment?: { trackingPlanId?: string, apiHost?: string } }>}
 * @throws {InputError} (rejects) when the file cannot be read or is not such an object
 */
export async function readConfig(path) {
  const file = resolve(path ?? CONFIG_FILE);
  let text;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    if (error.code === 'ENOENT' && path === undefined) return {};
    throw new InputError(`${path ?? CONFIG_FILE}: cannot read the configuration: ${error.code === 'ENOENT' ? 'no such file' : error.message}`);
  }
  const config = parseJson(text, path ?? CONFIG_FILE, 'the configuration');
  if (!config || typeof config !== 'object' || Array.isArray(config)) {
    throw new InputError(`${path ?? CONFIG_FILE}: the configuration must be an object such as { "plan": "tracking-plan.json", "out": "src/trackplan" }`);
  }
  for (const field of ['plan', 'out']) {
    if (config[field] !== undefined && typeof config[field] !== 'string') {
      throw new InputError(`${path ?? CONFIG_FILE}: "${field}" must be a path (a string)`);
    }
  }
  const at = (p) => (p === undefined ? undefined : resolve(dirname(file), p));
  return { ...config, file, plan: at(config.plan), out: at(config.out) };
}
