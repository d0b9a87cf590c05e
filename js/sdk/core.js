/**
 * The wasm cores (each started once per page or Node process) and the shim's side of a
 * call: reading its arguments and writing them in the binary form (`encode.js`), asking
 * the core for a verdict, and what to hand analytics.js.
 *
 * Two cores share one `Tracker` class shape: the default core (`wasm/trackplan.js`) is
 * the production core: it carries only the plan embedded at build time and gives no
 * developer advice (no convention hints, no "did you mean" in the unplanned-event
 * message; the crate's `ADVICE`). The full core (`wasm/trackplan_full.js`, the crate's
 * `full` feature) also reads plans given at run time, lints plans and gives that advice:
 * it is the core of a page that passes a plan, or that runs in any environment but
 * production. Its glue is reached only through a dynamic `import()`, so that bundlers
 * put it in a chunk of its own: a production page with the embedded plan downloads
 * neither it nor its wasm.
 *
 * @module trackplan/core
 */

import { initSync as initDefaultCore, Tracker as DefaultTracker } from '../wasm/trackplan.js';
import { SHAPES } from './calls.js';
import { ENVIRONMENTS } from './environment.js';
import { readableCopy } from './delivery.js';
import { encode, encodeReason, jsonSize, topLevel } from './encode.js';
import {
  DRY_RUN,
  DROPPED,
  HAS_NAME,
  PAYLOAD_ERROR,
  QUEUED,
  REPORT_ADDED,
  REPORT_SETTINGS,
  REPORT_VERDICT,
  VERDICT_BLOCKED,
  VERDICT_CHANGED,
  VERDICT_DETAILS,
  VERDICT_OK,
} from './core-codes.js';

/** What the core's `report` reads. */
export { REPORT_VERDICT, REPORT_ADDED, REPORT_HISTORY, REPORT_PLAN, REPORT_SETTINGS, REPORT_TASK_END } from './core-codes.js';

let defaultStart;
let fullStart;

/**
 * @typedef {string | URL | Response | BufferSource | WebAssembly.Module} WasmSource
 *   where a core's wasm is, or its bytes or compiled module
 */

/**
 * Starts the core a tracker needs, once per page or process, and resolves with its
 * `Tracker` class (make trackers with {@link createCore}): the full core's with a plan,
 * or for an `environment` other than production (development, staging, test: where
 * people read the advice only the full core gives); the default (lean) core's for the
 * embedded plan (`plan` undefined or null) in production, or when no environment is
 * given (a caller that reads no advice).
 * @param {{ plan?: unknown, environment?: string, wasm?: WasmSource, fullWasm?: WasmSource }} options
 *   `environment` the resolved one (as `resolveEnvironment` gives it), `wasm` where the
 *   default core's wasm is, `fullWasm` where the full core's is (each default: the file
 *   beside this module)
 * @returns {Promise<typeof DefaultTracker>} either core's class (they have the same shape)
 */
export async function startCore({ plan, environment, wasm, fullWasm }) {
  const advice = environment !== undefined && environment !== 'production';
  if ((plan === undefined || plan === null) && !advice) return startDefaultCore(wasm);
  return (await startFullCore(fullWasm)).Tracker;
}

/**
 * Loads and instantiates the default core once (`source` counts only the first time)
 * and resolves with its `Tracker` class. In a browser the default is the
 * `trackplan_bg.wasm` beside this module (bundlers rewrite the URL); in Node the file
 * is read from disk.
 * @param {WasmSource} [source]
 * @returns {Promise<typeof DefaultTracker>}
 */
function startDefaultCore(source) {
  defaultStart ??= instantiate(initDefaultCore, source ?? new URL('../wasm/trackplan_bg.wasm', import.meta.url)).then(
    () => DefaultTracker,
  );
  return defaultStart;
}

/**
 * Imports and instantiates the full core once (`source` counts only the first time) and
 * resolves with its glue module: `Tracker`, `lintPlanJson`, `planRulesJson`. The glue is
 * imported here, dynamically, and nowhere else in the browser's module graph. Its wasm
 * defaults to the `trackplan_full_bg.wasm` beside this module, read from disk in Node.
 * @param {WasmSource} [source]
 * @returns {Promise<typeof import('../wasm/trackplan_full.js')>}
 */
export function startFullCore(source) {
  fullStart ??= import(/* webpackChunkName: "trackplan_full" */ '../wasm/trackplan_full.js').then(async (glue) => {
    await instantiate(glue.initSync, source ?? new URL('../wasm/trackplan_full_bg.wasm', import.meta.url));
    return glue;
  });
  return fullStart;
}

/**
 * Compiles a core's wasm from `source` and instantiates it with its glue's `initSync`: a
 * `file:` URL is read from disk (Node); another URL, a string or a `Request` is fetched;
 * a response is compiled as it downloads when served as `application/wasm` (else from its
 * bytes); bytes are compiled off the main thread. Only the instantiation, a fraction of a
 * millisecond, is synchronous. The glue's own asynchronous loader, which does the same,
 * stays out of the bundle (0.2 KB gzip).
 * @param {(module: { module: WebAssembly.Module }) => unknown} initSync
 * @param {WasmSource} source
 * @throws {Error} (rejects) when the wasm cannot be fetched or is not a wasm module
 */
async function instantiate(initSync, source) {
  let input = source;
  if (input instanceof URL && input.protocol === 'file:') {
    // Node: fetch() cannot read files. The specifier is hidden from bundlers.
    const fs = 'node:fs/promises';
    const { readFile } = await import(/* @vite-ignore */ /* webpackIgnore: true */ fs);
    input = await readFile(input);
  } else if (typeof input === 'string' || input instanceof URL || (typeof Request === 'function' && input instanceof Request)) {
    input = await fetch(input);
  }
  if (typeof Response === 'function' && input instanceof Response) {
    if (!input.ok) throw new Error(`fetching ${input.url} answered ${input.status} ${input.statusText}`.trim());
    input =
      input.headers.get('Content-Type') === 'application/wasm'
        ? await WebAssembly.compileStreaming(input)
        : await input.arrayBuffer();
  }
  if (!(input instanceof WebAssembly.Module)) input = await WebAssembly.compile(input);
  initSync({ module: input });
}

/**
 * A core tracker of the class `startCore` resolved with, for `options` (`plan` as
 * `startCore` was given it), with the `settings` the shim acts on: `{ planId,
 * throwOnViolation, forwardViolations }`. A warning about the set-up (a production
 * policy asked to throw) goes to the console.
 *
 * The options other than the plan are read here, as plain data (through JSON), and cross
 * as numbers: the environment's index in `ENVIRONMENTS`, the policy's overrides as
 * {@link policyCode} encodes them, and the history size (-1: the default). The message
 * of options that are not plain data, or of a bad environment or policy, is written by
 * `setup-mistakes.js`, imported only then.
 * @param {typeof DefaultTracker} CoreTracker either core's class
 * @param {{ environment?: string, plan?: unknown, policy?: object, historySize?: number }} options
 * @returns {Promise<DefaultTracker & { settings: object }>} either core's tracker
 * @throws {Error} (rejects) for a set-up mistake (a plan that cannot be used, a bad policy or
 *   environment), saying what to fix
 */
export async function createCore(CoreTracker, { environment, plan, policy, historySize }) {
  let options;
  try {
    options = JSON.parse(JSON.stringify({ environment, policy, historySize }));
  } catch (error) {
    throw new TypeError((await import('./setup-mistakes.js')).plainDataMistake(error));
  }
  // A plan given at run time goes with the full core, itself loaded lazily.
  const bytes = plan === undefined || plan === null ? undefined : (await import('./plan-text.js')).planBytes(plan);
  const name = typeof options.environment === 'string' ? options.environment : 'development';
  const code = ENVIRONMENTS.indexOf(name);
  if (code < 0) throw new Error((await import('./setup-mistakes.js')).environmentMistake(name, ENVIRONMENTS));
  const overrides = policyCode(options.policy);
  if (Array.isArray(overrides)) throw new Error((await import('./setup-mistakes.js')).policyMistake(...overrides, POLICY));
  const size = options.historySize;
  const core = new CoreTracker(bytes, code, overrides, typeof size === 'number' ? size : -1);
  core.settings = report(core, REPORT_SETTINGS);
  if (core.settings.warning) console.warn(`trackplan: ${core.settings.warning}`);
  return core;
}

/**
 * The policy's fields and the values each takes, in the order the core reads them
 * (`Policy::override_by_code` in `src/policy.rs`).
 */
const POLICY = {
  unplannedEvents: ['allow', 'block'],
  unplannedProperties: ['allow', 'omit'],
  violations: ['allow', 'block', 'omit_properties'],
  throwOnViolation: [true, false],
  forwardViolations: [true, false],
};

/**
 * The overrides of a policy read from JSON (anything but an object overrides nothing) as
 * the core takes them: two bits per field of {@link POLICY}, from the lowest, 0 for a
 * field not given and `n` for its `n`th value. For an unknown field or a value it does
 * not take, that `[field, value]` instead.
 * @returns {number | [string, unknown]}
 */
function policyCode(policy) {
  let code = 0;
  if (typeof policy !== 'object' || policy === null || Array.isArray(policy)) return code;
  for (const [field, value] of Object.entries(policy)) {
    const at = Object.keys(POLICY).indexOf(field);
    const choice = at < 0 ? -1 : POLICY[field].indexOf(value);
    if (choice < 0) return [field, value];
    code |= (choice + 1) << (2 * at);
  }
  return code;
}

/**
 * One of the core's reports (`REPORT_*`), parsed; undefined when it has nothing to
 * report (no call yet, no hint at the end of a task).
 * @param {DefaultTracker} core either core's tracker
 * @param {number} what
 */
export function report(core, what) {
  const text = core.report(what);
  return text ? JSON.parse(text) : undefined;
}

/** The methods, at the core's number for each (`CallKind::from_code`): `SHAPES`' order. */
const KINDS = Object.keys(SHAPES);

/**
 * Checks one call in the core and records it (unless `dryRun`). Returns its verdict and
 * `sent`, the arguments to hand analytics.js, or null when the policy blocks the call
 * (or on a dry run). `sent` is `args` itself for a call sent as the page made it;
 * with properties omitted or context properties added it holds a copy of the payload
 * (of its top-level members as they were read for validation, so the page's getters are
 * not run again) and, when properties were omitted, options whose
 * `context.protocols.omitted` lists them, as Segment Protocols marks what it removed.
 * The page's objects are never changed.
 *
 * The call's arguments are read and written here, so that only bytes (the name and the
 * payload in one buffer) and numbers cross into the wasm.
 * @param {DefaultTracker} core either core's tracker
 * @param {'track' | 'identify' | 'page' | 'group'} method
 * @param {unknown[]} args the call's arguments, as the page passed them
 * @param {boolean} [dryRun]
 * @param {'sent' | 'queued' | 'dropped'} [handover] what delivery does with a call the
 *   policy lets through (its `action` then, in the verdict and the core's history)
 * @returns {{ verdict: object, sent: unknown[] | null }}
 */
export function checkCall(core, method, args, dryRun = false, handover = 'sent') {
  const payloadAt = SHAPES[method][0].length;
  // The argument before the payload: the event name, userId or page name (a groupId is
  // not checked).
  const name = method === 'group' ? undefined : args[payloadAt - 1];
  const options = args[payloadAt + 1];
  const hasName = typeof name === 'string';
  const [input, size, error] = encoded(args[payloadAt] ?? {}, hasName ? name : undefined);
  const flags =
    (hasName ? HAS_NAME : 0) |
    (error ? PAYLOAD_ERROR : 0) |
    (dryRun ? DRY_RUN : 0) |
    (handover === 'queued' ? QUEUED : handover === 'dropped' ? DROPPED : 0) |
    (eventVersion(options) << 8);
  const code = core.check(KINDS.indexOf(method), input, flags, size);
  const verdict = verdictOf(core, code, method, method === 'identify' ? undefined : name, handover);
  if (dryRun || code & VERDICT_BLOCKED) return { verdict, sent: null };
  if (!(code & VERDICT_CHANGED)) return { verdict, sent: args };
  // The members as `encode` read them (the core ran no page code since), then those the
  // core added, as entries: `Object.fromEntries` defines them, so a key `__proto__` stays data.
  const members = [];
  const { count, keys, values } = topLevel;
  for (let i = 0; i < count; i++) {
    if (!verdict.omitted.includes(keys[i])) members.push([keys[i], values[i]]);
  }
  members.push(...Object.entries(report(core, REPORT_ADDED)));
  const sent = args.slice(0, payloadAt);
  sent.push(Object.fromEntries(members), verdict.omitted.length ? withOmitted(options, verdict.omitted) : options);
  return { verdict, sent };
}

/**
 * The properties of the `Violation Generated` track calls a verdict's violations become
 * when the policy forwards them (Segment Protocols' shape); none otherwise.
 * @param {DefaultTracker} core either core's tracker
 * @param {object} verdict
 * @returns {object[]}
 */
export function forwardedViolations(core, verdict) {
  const { forwardViolations, planId: trackingPlanId } = core.settings;
  if (verdict.ok || !forwardViolations) return [];
  return verdict.violations.map((v) => ({
    violationType: v.kind,
    violationField: v.path,
    violationDescription: v.message,
    eventName: verdict.event ?? verdict.type,
    eventType: verdict.type,
    trackingPlanId,
  }));
}

/**
 * The contract's verdict for the result `code` of the core's `check`: built here for a
 * call without violations, omitted properties or hints (no crossing back into wasm),
 * read from the core's verdict report otherwise.
 * @param {DefaultTracker} core either core's tracker
 * @param {number} code what `check` returned
 * @param {'track' | 'identify' | 'page' | 'group'} type
 * @param {unknown} event the event name (track) or page name, if a string
 * @param {string} handover the action of a call the policy lets through
 */
export function verdictOf(core, code, type, event, handover) {
  if (code & VERDICT_DETAILS) return report(core, REPORT_VERDICT);
  const verdict = plainVerdict((code & VERDICT_OK) !== 0, code & VERDICT_BLOCKED ? 'blocked' : handover, type, event);
  if (code >>> 8) verdict.version = code >>> 8;
  return verdict;
}

/**
 * A verdict without omitted properties or hints: the shape of every verdict the shim
 * makes itself.
 * @param {boolean} ok
 * @param {string} action
 * @param {string} type
 * @param {unknown} [event] the event or page name, kept if a string
 * @param {object[]} [violations]
 */
export function plainVerdict(ok, action, type, event, violations = []) {
  const verdict = { ok, action, type, violations, omitted: [], hints: [] };
  if (typeof event === 'string') verdict.event = event;
  return verdict;
}

/**
 * The verdict of a dry run of `call` (`{ type, event?, name?, userId?, properties?,
 * traits?, options? }`): nothing is sent or recorded.
 * @param {DefaultTracker} core either core's tracker
 * @param {object} call
 * @param {'sent' | 'queued' | 'dropped'} [handover] what delivery would do with the call
 *   if the policy let it through
 */
export function dryRun(core, call, handover = 'sent') {
  const type = field(call, 'type') ?? 'track';
  if (typeof type !== 'string' || !Object.hasOwn(SHAPES, type)) {
    const message = `type ${typeof type === 'string' ? JSON.stringify(type) : String(type)} is not track, identify, page or group`;
    return plainVerdict(false, 'blocked', 'track', undefined, [{ kind: 'invalid_input', path: '', message }]);
  }
  const [leading, payload] = SHAPES[type];
  const args = [...leading, payload, 'options'].map((key) => field(call, key));
  return checkCall(core, type, args, true, handover).verdict;
}

/** `value[key]` when `value` is an object; undefined when not, or when a getter throws. */
function field(value, key) {
  if (value === null || (typeof value !== 'object' && typeof value !== 'function')) return undefined;
  try {
    return value[key];
  } catch {
    return undefined;
  }
}

/**
 * `[bytes, JSON size, false]` of a value as the core reads it, after `name` when given
 * (see `encode.js`), or `[bytes, 0, true]` when the value cannot be sent as JSON (a
 * cycle, a BigInt, a throwing getter or `toJSON`, a function): then the bytes hold the
 * name and why, as the core reads them with its `PAYLOAD_ERROR` flag.
 * @param {unknown} value
 * @param {string} [name] the call's name, or a context property's
 * @returns {[Uint8Array, number, boolean]}
 */
export function encoded(value, name) {
  try {
    const bytes = encode(value, name);
    return [bytes, jsonSize(value, bytes), false];
  } catch (error) {
    return [encodeReason(name, String(field(error, 'message') ?? 'it could not be read')), 0, true];
  }
}

/** The rule version a call asks for (`options.context.protocols.event_version`), else 0. */
function eventVersion(options) {
  const version = field(field(field(options, 'context'), 'protocols'), 'event_version');
  return Number.isInteger(version) && version >= 1 && version <= 0xffffff ? version : 0;
}

/** A copy of `options` whose `context.protocols.omitted` lists `omitted`. */
function withOmitted(options, omitted) {
  const copy = readableCopy(options);
  const context = readableCopy(copy.context);
  context.protocols = { ...readableCopy(context.protocols), omitted: [...omitted] };
  copy.context = context;
  return copy;
}
