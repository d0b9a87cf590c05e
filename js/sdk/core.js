/**
 * The shim's side of a call: reading its arguments and writing them in the binary form
 * (`encode.js`), asking a core's tracker for a verdict, and what to hand analytics.js.
 * Cores are started by `cores.js`; the numbers both sides agree on are in `protocol.js`,
 * generated from `src/protocol.rs`.
 *
 * @module trackplan/sdk/core
 */

import { SHAPES } from './calls.js';
import { readableCopy } from './delivery.js';
import { encode, encodeReason, jsonSize, topLevel } from './encode.js';
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
 * @param {object} core a core's tracker
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
    (hasName ? FLAG_HAS_NAME : 0) |
    (error ? FLAG_PAYLOAD_ERROR : 0) |
    (dryRun ? FLAG_DRY_RUN : 0) |
    (handover === 'queued' ? FLAG_QUEUED : handover === 'dropped' ? FLAG_DROPPED : 0) |
    (eventVersion(options) << VERSION_SHIFT);
  const code = core.check(CALL_KINDS.indexOf(method), input, flags, size);
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
 * The verdict of a dry run of `call` (`{ type, event?, name?, userId?, properties?,
 * traits?, options? }`): nothing is sent or recorded.
 * @param {object} core a core's tracker
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
