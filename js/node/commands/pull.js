/**
 * `trackplan pull [--out PLAN] [--config FILE]`: fetches the tracking plan named by
 * `segment.trackingPlanId` in `trackplan.config.json` from Segment's Public API (see
 * `../segment-api.js`) and writes it to PLAN (`plan` in the configuration) as a Public
 * API export, `{ id, name, …, rules: [...] }`, which `build`, `lint`, `types`, `check`
 * and `diff` read. The file is deterministic: keys sorted at every depth, rules sorted
 * by event name, type and version, two-space indentation, a final newline; the same
 * plan in Segment gives the same bytes, and a change to it the smallest diff.
 *
 * The token is `SEGMENT_API_TOKEN`, read from the environment only: it is never
 * printed, logged or written, and every message this command prints is scrubbed of it.
 * PLAN is written aside then renamed into place: on any failure it is left as it was.
 *
 * Exit codes: 0 written (or already up to date), 1 the Public API failed or PLAN cannot
 * be written, 2 usage or configuration problems (no token, no tracking plan id).
 *
 * @module trackplan/commands/pull
 */

import { mkdir, readFile, realpath, rename, rm, stat, writeFile } from 'node:fs/promises';
import { dirname, relative, resolve } from 'node:path';
import { CONFIG_FILE, readConfig } from '../config.js';
import { countRules, DEFAULT_API_HOST, fetchTrackingPlan, PullError } from '../segment-api.js';
import { helpOrUsageError, InputError } from './input.js';

const USAGE = `usage: trackplan pull [--out PLAN] [--config FILE]

Fetches a tracking plan from Segment's Public API, as Typewriter does, and writes it to
PLAN as a Public API export ({ id, name, rules: [...] }, keys and rules sorted), which
build, lint, types and diff read. PLAN is replaced whole, or left as it was on failure.

  --out PLAN      where to write the plan (default: "plan" in ${CONFIG_FILE})
  --config FILE   read the configuration from FILE instead of ./${CONFIG_FILE}

The configuration names the plan and where it goes:
  { "plan": "tracking-plan.json", "segment": { "trackingPlanId": "tp_…" } }
For a workspace in the EU region, add "apiHost": "https://eu1.api.segmentapis.com" to
"segment" (the default is https://api.segmentapis.com). The token is read from
SEGMENT_API_TOKEN only: a Public API token with Tracking Plan read access (Workspace
Owner, or Tracking Plan Read-only).

exit codes: 0 written or up to date, 1 the Public API failed or PLAN cannot be written,
2 usage or configuration problems`;

/**
 * Runs `trackplan pull`.
 * @param {string[]} args
 * @returns {Promise<number>} the exit code
 */
export async function run(args) {
  const options = parseArgs(args);
  const early = helpOrUsageError('pull', options, USAGE);
  if (early !== null) return early;
  const token = process.env.SEGMENT_API_TOKEN?.trim() ?? '';
  try {
    return await pull(options, token);
  } catch (error) {
    // An InputError or a PullError is one line that says what to fix; anything else is
    // a bug, shown whole. Either way, never the token.
    const known = error instanceof InputError || error instanceof PullError;
    console.error(`trackplan pull: ${scrub(known ? error.message : (error?.stack ?? String(error)), token)}`);
    return error instanceof InputError ? 2 : 1;
  }
}

/** Reads `[--out PLAN] [--config FILE] [--help]`. */
function parseArgs(args) {
  const options = {};
  const values = { '--out': 'out', '-o': 'out', '--config': 'config' };
  for (let i = 0; i < args.length; i += 1) {
    const [flag, inline] = args[i].startsWith('--') ? args[i].split(/=(.*)/s) : [args[i]];
    if (flag === '--help' || flag === '-h') return { help: true };
    if (!(flag in values)) return { error: flag.startsWith('-') ? `unknown option ${args[i]}` : `unexpected argument ${JSON.stringify(flag)}: name the plan file with --out` };
    const value = inline ?? args[(i += 1)];
    if (value === undefined || value === '') return { error: `${flag} needs a value` };
    options[values[flag]] = value;
  }
  return options;
}

/**
 * Reads the configuration and the token, fetches the plan and writes it.
 * @returns {Promise<number>} the exit code
 * @throws {InputError | PullError} (rejects)
 */
async function pull(options, token) {
  const config = await readConfig(options.config);
  const name = options.config ?? CONFIG_FILE;
  const trackingPlanId = config.segment?.trackingPlanId;
  if (!trackingPlanId) {
    const example = '{ "plan": "tracking-plan.json", "segment": { "trackingPlanId": "tp_…" } }';
    throw new InputError(
      config.file
        ? `${name}: name the tracking plan to pull: "segment": { "trackingPlanId": "tp_…" } (the last part of the plan's URL in Segment)`
        : `no ${CONFIG_FILE} here: create one such as ${example}, or give --config FILE`,
    );
  }
  const plan = options.out ? resolve(options.out) : config.plan;
  if (!plan) throw new InputError(`name where to write the plan: --out PLAN, or "plan" in ${name}`);
  if (!token) {
    throw new InputError(
      'SEGMENT_API_TOKEN is not set: create a Public API token with Tracking Plan read access in Segment ' +
        '(Settings → Workspace settings → Access Management → Tokens) and export SEGMENT_API_TOKEN (in CI, from a secret)',
    );
  }
  if (!/^[\x21-\x7e]+$/.test(token)) {
    throw new InputError('SEGMENT_API_TOKEN holds spaces, line breaks or other characters no token has: copy the token again');
  }
  const target = await writable(plan);
  const fetched = await fetchTrackingPlan({ apiHost: config.segment.apiHost ?? DEFAULT_API_HOST, trackingPlanId, token, config: name });
  return write(target, planText(fetched), scrub(`"${fetched.name ?? ''}" (${fetched.id}), ${countRules(fetched.rules)}`, token));
}

/**
 * The plan file's real path (through a symbolic link, which stays), checked before any
 * request: not a directory.
 * @param {string} path
 * @returns {Promise<string>}
 * @throws {InputError} (rejects)
 */
async function writable(path) {
  const real = await realpath(path).catch(() => path);
  const info = await stat(real).catch(() => null);
  if (info?.isDirectory()) throw new InputError(`${relative('.', path) || '.'} is a directory: name the plan file (--out PLAN, or "plan" in the configuration)`);
  return real;
}

/**
 * The plan as its file holds it: keys sorted at every depth (Typewriter sorts them
 * too), rules sorted by event name, type and version, two spaces, a final newline.
 * @param {{ rules: object[] }} plan
 * @returns {string}
 */
function planText(plan) {
  const order = (r) => [String(r.key ?? ''), String(r.type ?? ''), Number(r.version ?? 0)];
  const rules = [...plan.rules].sort((a, b) => {
    const [x, y] = [order(a), order(b)];
    return x[0] < y[0] ? -1 : x[0] > y[0] ? 1 : x[1] < y[1] ? -1 : x[1] > y[1] ? 1 : x[2] - y[2];
  });
  return `${JSON.stringify(sortedKeys({ ...plan, rules }), null, 2)}\n`;
}

/** `value` with the keys of every object in it sorted (by UTF-16 code units). */
function sortedKeys(value) {
  if (Array.isArray(value)) return value.map(sortedKeys);
  if (value === null || typeof value !== 'object') return value;
  const keys = Object.keys(value).sort();
  // fromEntries, not assignment: a "__proto__" member stays a member.
  return Object.fromEntries(keys.map((key) => [key, sortedKeys(value[key])]));
}

/**
 * Writes `text` to `path`, aside then renamed into place; nothing when the file already
 * holds it.
 * @returns {Promise<number>} the exit code
 */
async function write(path, text, what) {
  const shown = relative('.', path) || path;
  const before = await readFile(path, 'utf8').catch(() => null);
  if (before === text) {
    console.log(`trackplan pull: ${shown} is up to date: ${what}`);
    return 0;
  }
  const aside = `${path}.trackplan-${process.pid}`;
  try {
    await mkdir(dirname(path), { recursive: true });
    await writeFile(aside, text);
    await rename(aside, path);
  } catch (error) {
    await rm(aside, { force: true }).catch(() => {});
    console.error(`trackplan pull: cannot write ${shown}: ${error.code === 'EACCES' ? 'permission denied' : error.message}`);
    return 1;
  }
  console.log(`trackplan pull: wrote ${shown}: ${what}\n  next: npx trackplan build`);
  if (hadOwnMember(before)) {
    console.warn(
      `trackplan pull: ${shown} had a "trackplan" member (lint silences), which is not Segment's and is gone: ` +
        `keep silences in "lint": { "ignore": [...] } of ${CONFIG_FILE}, which pull never overwrites`,
    );
  }
  return 0;
}

/** Whether a plan file's old text had trackplan's own member, which a pull replaces. */
function hadOwnMember(text) {
  try {
    return JSON.parse(text)?.trackplan !== undefined;
  } catch {
    return false;
  }
}

/** `text` with every occurrence of the token replaced. */
function scrub(text, token) {
  return token ? text.split(token).join('[SEGMENT_API_TOKEN]') : text;
}
