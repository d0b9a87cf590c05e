/**
 * The shim's side of a call: reading its arguments and writing them in the binary form
 * (`encode.js`), asking a core's tracker for a verdict, and what to hand analytics.js.
 * Cores are started by `cores.js`; the numbers both sides agree on are in `protocol.js`,
 * generated from `src/protocol.rs`.
 *
 * @module trackplan/sdk/core
 */

import { SHAPES } from './calls.js';
import { canonicalArguments, isObject } from './arguments.js';
import { encode, encodeReason, NotData, utf8Length } from './encode.js';
import {
  CALL_KINDS,
  ENVIRONMENTS,
  FLAG_DRY_RUN,
  FLAG_DROPPED,
  FLAG_HAS_NAME,
  FLAG_PAYLOAD_ERROR,
  FLAG_QUEUED,
  POLICY_FIELDS,
  REPORT_ADDED,
  REPORT_SETTINGS,
  REPORT_VERDICT,
  VERDICT_BLOCKED,
  VERDICT_CHANGED,
  VERDICT_DETAILS,
  VERDICT_OK,
  VERSION_SHIFT,
} from './protocol.js';

/**
 * A tracker of a started core (`startCore` in `cores.js`: its class and its plan's
 * bytes), for `options`, with the `settings` the shim acts on: `{ planId,
 * throwOnViolation, forwardViolations }`. A warning about the set-up (a production
 * policy asked to throw) goes to the console.
 *
 * The options are read here, as plain data (through JSON), and cross as numbers: the
 * environment's place in `ENVIRONMENTS`, the policy's overrides as {@link policyCode}
 * encodes them, and the history size (-1: the default). The message of options that are
 * not plain data, or of a bad environment or policy, is written by `setup-mistakes.js`,
 * imported only then.
 * @param {import('./cores.js').StartedCore} started
 * @param {{ environment?: string, policy?: object, historySize?: number }} options
 * @returns {Promise<object>} the core's tracker
 * @throws {Error} (rejects) for a set-up mistake (a plan that cannot be used, a bad policy or
 *   environment), saying what to fix
 */
export async function createCore({ Tracker, plan }, { environment, policy, historySize }) {
  let options;
  try {
    options = JSON.parse(JSON.stringify({ environment, policy, historySize }));
  } catch (error) {
    throw new TypeError((await import('./setup-mistakes.js')).plainDataMistake(error));
  }
  const name = typeof options.environment === 'string' ? options.environment : 'development';
  const code = ENVIRONMENTS.indexOf(name);
  if (code < 0) throw new Error((await import('./setup-mistakes.js')).environmentMistake(name, ENVIRONMENTS));
  const overrides = policyCode(options.policy);
  if (Array.isArray(overrides)) throw new Error((await import('./setup-mistakes.js')).policyMistake(...overrides, POLICY_FIELDS));
  const size = options.historySize;
  /** @type {InstanceType<Tracker> & { settings?: any }} */
  const core = new Tracker(plan, code, overrides, typeof size === 'number' ? size : -1);
  core.settings = report(core, REPORT_SETTINGS);
  if (core.settings.warning) console.warn(`trackplan: ${core.settings.warning}`);
  return core;
}

/**
 * The overrides of a policy read from JSON (anything but an object overrides nothing) as
 * the core takes them: two bits per field of `POLICY_FIELDS`, from the lowest, 0 for a
 * field not given and `n` for its `n`th value. For an unknown field or a value it does
 * not take, that `[field, value]` instead.
 * @returns {number | [string, unknown]}
 */
function policyCode(policy) {
  let code = 0;
  if (typeof policy !== 'object' || policy === null || Array.isArray(policy)) return code;
  for (const [field, value] of Object.entries(policy)) {
    const at = Object.keys(POLICY_FIELDS).indexOf(field);
    const choice = at < 0 ? -1 : POLICY_FIELDS[field].indexOf(value);
    if (choice < 0) return [field, value];
    code |= (choice + 1) << (2 * at);
  }
  return code;
}

/**
 * One of the core's reports (`REPORT_*`), parsed; undefined when it has nothing to
 * report (no call yet, no hint at the end of a task).
 * @param {object} core a core's tracker
 * @param {number} what
 */
export function report(core, what) {
  const text = core.report(what);
  return text ? JSON.parse(text) : undefined;
}

/**
 * A call read once, as the core and analytics.js see it: the input the core checks, and
 * the snapshots of the payload and options handed to analytics.js (plain data holding
 * exactly what was read), or why the call cannot be sent as given.
 * @typedef {{ input: Uint8Array, hasName: boolean, unusable: boolean, reason?: string,
 *   payload: object | undefined, options: object, beside: number }} ReadCall
 */

/**
 * Reads a resolved call (see `arguments.js`) once, and never throws: an argument
 * analytics.js would leave out, options or a payload that are not JSON data (a cycle, a
 * BigInt, a getter that throws, whatever it throws) become the violation the core
 * reports, with a message that says what to do. Options are read first, as a snapshot
 * (JSON data, well-formed as the payload's), then the payload, in the binary form with
 * its snapshot: after this no page code runs for the call.
 * @param {import('./arguments.js').Resolved} call
 * @returns {ReadCall}
 */
export function readCall(call) {
  const name = call.name ?? undefined;
  const unusable = (reason) => ({
    input: encodeReason(name, reason),
    hasName: name !== undefined,
    unusable: true,
    reason,
    payload: undefined,
    options: {},
    beside: 0,
  });
  if (call.ignored) return unusable(call.ignored);
  let options;
  let beside = utf8Length(name) + utf8Length(call.category);
  try {
    // Snapshot as the payload is (a lone surrogate U+FFFD): analytics.js sends the context.
    options = encode(call.options).snapshot;
    if (!isObject(options)) throw new NotData('they are not an object');
    beside += utf8Length(JSON.stringify(options));
  } catch (error) {
    return unusable(`the call's options cannot be sent as JSON (${error.message}): pass plain data`);
  }
  // analytics.js sends options.userId as the event's userId: an identify's would replace the one checked.
  if (call.method === 'identify' && Object.hasOwn(options, 'userId') && options.userId !== call.name) {
    return unusable("identify's options.userId would replace its userId in what analytics.js sends: give the userId only as identify's first argument");
  }
  try {
    const { bytes, snapshot } = encode(call.payload, name);
    return { input: bytes, hasName: name !== undefined, unusable: false, payload: snapshot, options, beside };
  } catch (error) {
    const what = call.method === 'identify' || call.method === 'group' ? 'traits' : 'properties';
    return unusable(`the ${what} cannot be sent as JSON (${error.message}): pass plain data`);
  }
}

/**
 * Checks one call in the core and records it (unless `dryRun`). Returns its verdict,
 * the call as read (`read`: snapshots of what was checked), and `sent`, the arguments to
 * hand analytics.js, or null when the policy blocks or skips the call (or on a dry run).
 * `sent` holds the snapshots, never the page's own objects: the payload less any omitted
 * properties (and, under `identify: 'changed'`, the traits left out as unchanged), with
 * the context properties the core added, and options whose
 * `context.protocols.omitted` lists what was omitted, as Segment Protocols marks what
 * it removed.
 *
 * Only bytes (the name and the payload in one buffer) and numbers cross into the wasm.
 * @param {object} core a core's tracker
 * @param {import('./arguments.js').Resolved} call
 * @param {boolean} [dryRun]
 * @param {'sent' | 'queued' | 'dropped'} [handover] what delivery does with a call the
 *   policy lets through (its `action` then, in the verdict and the core's history)
 * @returns {{ verdict: object, read: ReadCall, sent: unknown[] | null }}
 */
export function checkCall(core, call, dryRun = false, handover = 'sent') {
  const read = readCall(call);
  const flags =
    (read.hasName ? FLAG_HAS_NAME : 0) |
    (read.unusable ? FLAG_PAYLOAD_ERROR : 0) |
    (dryRun ? FLAG_DRY_RUN : 0) |
    (handover === 'queued' ? FLAG_QUEUED : handover === 'dropped' ? FLAG_DROPPED : 0) |
    (eventVersion(read.options) << VERSION_SHIFT);
  const code = core.check(CALL_KINDS.indexOf(call.method), read.input, flags, read.beside);
  const named = call.method === 'track' || call.method === 'page' ? call.name : undefined;
  const verdict = verdictOf(core, code, call.method, named, handover);
  if (dryRun || code & VERDICT_BLOCKED) return { verdict, read, sent: null };
  const left = verdict.unchanged ? [...verdict.omitted, ...verdict.unchanged] : verdict.omitted;
  const payload = code & VERDICT_CHANGED ? changed(read.payload, left, report(core, REPORT_ADDED)) : read.payload;
  const options = verdict.omitted.length ? withOmitted(read.options, verdict.omitted) : read.options;
  return { verdict, read, sent: canonicalArguments(call, payload, options) };
}

/**
 * A copy of the snapshot `payload` without the properties `omitted` and with the
 * context properties `added`, defined as data (a key `__proto__` stays a member).
 * @param {object} payload
 * @param {string[]} omitted
 * @param {object} added
 */
export function changed(payload, omitted, added) {
  payload = { ...payload };
  for (const name of omitted) delete payload[name];
  for (const [name, value] of Object.entries(added ?? {})) {
    Object.defineProperty(payload, name, { value, enumerable: true, writable: true, configurable: true });
  }
  return payload;
}

/**
 * The properties of the `Violation Generated` track calls a verdict's violations become
 * when the policy forwards them (Segment Protocols' shape); none otherwise.
 * @param {object} core a core's tracker
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
 * @param {object} core a core's tracker
 * @param {number} code what `check` returned
 * @param {'track' | 'identify' | 'page' | 'group'} type
 * @param {unknown} event the event name (track) or page name, if a string
 * @param {string} handover the action of a call the policy lets through
 */
export function verdictOf(core, code, type, event, handover) {
  if (code & VERDICT_DETAILS) return report(core, REPORT_VERDICT);
  const verdict = plainVerdict((code & VERDICT_OK) !== 0, code & VERDICT_BLOCKED ? 'blocked' : handover, type, event);
  if (code >>> VERSION_SHIFT) verdict.version = code >>> VERSION_SHIFT;
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
 * The verdict of a dry run of `call` (`{ type, event?, name?, category?, userId?,
 * groupId?, properties?, traits?, options? }`): nothing is sent or recorded.
 * @param {object} core a core's tracker
 * @param {object} call
 * @param {'sent' | 'queued' | 'dropped'} [handover] what delivery would do with the call
 *   if the policy let it through
 */
export function dryRun(core, call, handover = 'sent') {
  const resolved = resolveDryRun(call);
  if (typeof resolved === 'string') {
    return plainVerdict(false, 'blocked', 'track', undefined, [{ kind: 'invalid_input', path: '', message: resolved }]);
  }
  return checkCall(core, resolved, true, handover).verdict;
}

/**
 * A dry run's call, as `validate({ type, … })` describes it, resolved; or why it cannot be
 * (its type is not one of the four).
 * @param {object} call
 * @returns {import('./arguments.js').Resolved | string}
 */
export function resolveDryRun(call) {
  const type = field(call, 'type') ?? 'track';
  if (typeof type !== 'string' || !CALL_KINDS.includes(type)) {
    return `type ${typeof type === 'string' ? JSON.stringify(type) : `(a ${typeof type})`} is not track, identify, page or group`;
  }
  const [names, payload] = SHAPES[type];
  const name = field(call, names.at(-1));
  const category = type === 'page' ? field(call, 'category') : undefined;
  return {
    method: /** @type {import('./arguments.js').Resolved['method']} */ (type),
    name: typeof name === 'string' ? name : null,
    category: typeof category === 'string' ? category : null,
    payload: field(call, payload) ?? {},
    options: field(call, 'options') ?? {},
  };
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
 * The input of a context property, as the core's `setContext` reads it: its name, then
 * its value in the binary form; and the value's snapshot. Undefined when the value is
 * not JSON data.
 * @param {string} name
 * @param {unknown} value
 * @returns {{ bytes: Uint8Array, snapshot: unknown } | undefined}
 */
export function contextInput(name, value) {
  try {
    return encode(value, name);
  } catch {
    return undefined;
  }
}

/** The rule version a call asks for (`options.context.protocols.event_version`, read from the options' snapshot), else 0. */
function eventVersion(options) {
  const version = options.context?.protocols?.event_version;
  return Number.isInteger(version) && version >= 1 && version <= 0xffffff ? version : 0;
}

/** The snapshot `options` (the call's own), its `context.protocols.omitted` listing `omitted`. */
function withOmitted(options, omitted) {
  const context = isObject(options.context) ? options.context : (options.context = {});
  const protocols = isObject(context.protocols) ? context.protocols : (context.protocols = {});
  protocols.omitted = [...omitted];
  return options;
}
