/**
 * `trackplan.config.json`: the defaults of `trackplan build` and `trackplan pull`, read
 * from the current directory (or `--config FILE`).
 *
 * ```json
 * {
 *   "plan": "tracking-plan.json",
 *   "out": "src/trackplan",
 *   "segment": { "trackingPlanId": "tp_…", "apiHost": "https://api.segmentapis.com" },
 *   "lint": { "ignore": [{ "rule": "…", "event": "…", "reason": "…" }] }
 * }
 * ```
 *
 * - `plan`: the tracking plan file: what `build` reads and `pull` writes.
 * - `out`: the directory `build` writes.
 * - `segment.trackingPlanId`: the plan `pull` fetches, its id in Segment (`tp_…`, the
 *   last part of the plan's URL in the Segment app: `…/protocols/tracking-plans/tp_…`).
 * - `segment.apiHost`: Segment's Public API, `https://api.segmentapis.com` when absent;
 *   `https://eu1.api.segmentapis.com` for a workspace in the EU region. `https://`, or
 *   `http://` to a loopback address only (the token must not travel in clear); a bare
 *   host name means `https://` to it.
 * - `lint.ignore`: silences of the tracking guide's rules for every plan `build` reads.
 *
 * Paths are relative to the file. The Segment token is never here: `pull` reads it from
 * `SEGMENT_API_TOKEN`. The workspace is the token's: a Public API token belongs to one.
 *
 * @module trackplan/node/config
 */

import { readFile } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { InputError, parseJson } from './commands/input.js';
import { DEFAULT_API_HOST, EU_API_HOST } from './segment-api.js';

/** The file read when `--config` is not given. */
export const CONFIG_FILE = 'trackplan.config.json';

/**
 * The configuration: `{ plan?, out?, segment? }`, paths resolved against the file's
 * directory; `{}` when the default file does not exist.
 * @param {string} [path] `--config`'s value: then the file must exist
 * @returns {Promise<{ file?: string, plan?: string, out?: string, segment?: { trackingPlanId?: string, apiHost?: string } }>}
 *   `segment.apiHost` as an origin and path with no trailing slash
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
  const segment = segmentOf(config.segment, path ?? CONFIG_FILE);
  return { ...config, file, plan: at(config.plan), out: at(config.out), segment };
}

/** The fields `"segment"` takes. */
const SEGMENT_FIELDS = ['trackingPlanId', 'apiHost'];

/**
 * The `"segment"` object, checked: known fields only (a misspelt one is a mistake, not
 * an extension), a plausible tracking plan id, an API host the token may be sent to.
 * @param {unknown} segment
 * @param {string} name the configuration's path, for messages
 * @returns {{ trackingPlanId?: string, apiHost?: string } | undefined}
 * @throws {InputError}
 */
function segmentOf(segment, name) {
  if (segment === undefined) return undefined;
  if (!segment || typeof segment !== 'object' || Array.isArray(segment)) {
    throw new InputError(`${name}: "segment" must be an object such as { "trackingPlanId": "tp_…" }`);
  }
  const unknown = Object.keys(segment).find((field) => !SEGMENT_FIELDS.includes(field));
  if (unknown !== undefined) {
    throw new InputError(`${name}: "segment" has no field ${JSON.stringify(unknown)}: it takes ${SEGMENT_FIELDS.join(' and ')}`);
  }
  const { trackingPlanId, apiHost } = segment;
  if (trackingPlanId !== undefined && (typeof trackingPlanId !== 'string' || !/^[A-Za-z0-9_-]+$/.test(trackingPlanId))) {
    throw new InputError(
      `${name}: "segment": { "trackingPlanId" } must be a tracking plan's id such as "tp_…" ` +
        '(the last part of the plan\'s URL in Segment: …/protocols/tracking-plans/tp_…)',
    );
  }
  return { trackingPlanId, apiHost: apiHost === undefined ? undefined : apiOrigin(apiHost, name) };
}

/**
 * `"apiHost"` as the base URL requests go to: `https://`, or `http://` to a loopback
 * address (the token must not travel in clear); no credentials, query or fragment.
 * @param {unknown} value
 * @param {string} name the configuration's path, for messages
 * @returns {string} origin and path, without a trailing slash
 * @throws {InputError}
 */
function apiOrigin(value, name) {
  const fix = `such as "${DEFAULT_API_HOST}" (or "${EU_API_HOST}" for an EU workspace)`;
  let url;
  try {
    url = new URL(typeof value === 'string' && !value.includes('://') ? `https://${value}` : value);
  } catch {
    throw new InputError(`${name}: "segment": { "apiHost" } must be a URL ${fix}`);
  }
  const loopback = ['localhost', '[::1]'].includes(url.hostname) || /^127\.\d+\.\d+\.\d+$/.test(url.hostname);
  if (url.protocol !== 'https:' && !(url.protocol === 'http:' && loopback)) {
    throw new InputError(`${name}: "segment": { "apiHost" } must be an https:// URL ${fix}: the token must not travel in clear`);
  }
  if (url.username || url.password || url.search || url.hash) {
    throw new InputError(`${name}: "segment": { "apiHost" } must be a host with no credentials, query or fragment, ${fix}`);
  }
  return `${url.origin}${url.pathname.replace(/\/+$/, '')}`;
}
