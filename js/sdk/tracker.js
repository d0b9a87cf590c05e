/**
 * A tracker, as the contract describes it: each call resolved as analytics.js resolves
 * it (`arguments.js`), read once (`core.js`), checked in the wasm core, and handed to
 * analytics.js as the snapshot that was checked (`delivery.js`); then logged, reported
 * to listeners, forwarded and quarantined as the policy says. Nothing the page passes
 * makes it throw into the page, turns validation off, or loses a valid call: only a trap
 * of the wasm core itself (a bug) stops the core, and then calls go on unvalidated,
 * marked so.
 *
 * @module trackplan/sdk/tracker
 */

import { canonicalArguments, resolveCall } from './arguments.js';
import { callRecord } from './calls.js';
import { changed, checkCall, contextInput, dryRun, forwardedViolations, plainVerdict, readCall, report, resolveDryRun } from './core.js';
import { loadConsoleTools, logCall, logHint, printHelp } from './console.js';
import { newId } from './ids.js';
import { wellFormed } from './encode.js';
import { REPORT_HISTORY, REPORT_PLAN, REPORT_TASK_END } from './protocol.js';

/** @typedef {import('./types.js').CallRecord} CallRecord */
/** @typedef {import('./types.js').Tracker} Tracker */
/** @typedef {import('./types.js').Verdict} Verdict */

/** Most `Violation Generated` calls one call is forwarded as (its first violations). */
export const FORWARDED_PER_CALL = 10;
/** Most `Violation Generated` calls a tracker forwards in all. */
export const FORWARDED_PER_TRACKER = 500;

/** Thrown by a tracker whose policy has `throwOnViolation` (the `test` default). */
export class TrackingPlanError extends Error {
  /**
   * @param {Verdict} verdict the call's verdict
   * @param {string} [callSite] where the call was made (`file:line:column`)
   */
  constructor(verdict, callSite) {
    const what = verdict.event ? `\`${verdict.event}\`` : verdict.type;
    const lines = verdict.violations.map((v) => `\n  - ${v.message}`).join('');
    super(`trackplan: ${what}${callSite ? ` (at ${callSite})` : ''} does not follow the tracking plan:${lines}`);
    this.name = 'TrackingPlanError';
    /**
     * The verdict of the call.
     * @readonly
     */
    this.verdict = verdict;
    /**
     * The violations, as in the verdict.
     * @readonly
     */
    this.violations = verdict.violations;
    /**
     * Where the call was made, outside production (see {@link CallRecord.callSite}).
     * @readonly
     */
    this.callSite = callSite;
  }
}

/**
 * A tracker: its state is in this closure, so its methods work unbound too.
 * @param {{ core: object | null, delivery: ReturnType<typeof import('./delivery.js').createDelivery>,
 *   environment: import('./types.js').Environment, writeKey: string | null, debug: boolean,
 *   handleViolation?: (method: string, args: unknown[], verdict: object) => void }} parts
 *   `core` the core's tracker, or null to pass calls through unvalidated; `debug` whether
 *   every call is logged (`tracker.debug()` changes it); `handleViolation` what the page
 *   asked a violation to do besides its verdict (see `violations.js`)
 * @returns {Tracker}
 */
export function newTracker({ core, delivery, environment, writeKey, debug, handleViolation }) {
  const state = { core, debug, environment, forwarded: 0, listeners: new Set(), context: new Map(), calls: 0, sites: new Map() };
  const production = environment === 'production';
  /** The call's site outside production; capturing it costs a stack trace per call. */
  const site = production ? () => undefined : callSite;
  const call = (method, args, at) => {
    const verdict = safely(() => handle(state, delivery, handleViolation, method, resolveCall(method, args), at), method);
    if (!verdict.ok && state.core?.settings.throwOnViolation) throw new TrackingPlanError(verdict, at);
    return verdict;
  };
  const events = () => (state.core ? withSites(report(state.core, REPORT_HISTORY), state.sites) : []);
  const plan = () => (state.core ? report(state.core, REPORT_PLAN) : null);
  /** @type {Tracker} */
  const tracker = {
    environment,
    writeKey,
    ready: delivery.ready,
    get status() {
      return state.core ? delivery.status : 'passthrough';
    },
    track: (...args) => call('track', args, site()),
    identify: (...args) => call('identify', args, site()),
    page: (...args) => call('page', args, site()),
    group: (...args) => call('group', args, site()),
    validate: (described) =>
      safely(() => (state.core ? dryRun(state.core, described, delivery.action) : passthroughDryRun(described, delivery)), 'track'),
    setContext: (context) => setContext(state, context),
    newId,
    events,
    plan,
    violations: () => events().filter((entry) => !entry.ok),
    async explain(event) {
      const tools = await loadConsoleTools();
      return tools ? tools.explain(plan(), event) : [];
    },
    onCall(listener) {
      state.listeners.add(listener);
      return () => state.listeners.delete(listener);
    },
    /**
     * Ends the session: analytics.js forgets the user (its `reset()`), and the next
     * identify is a first one again for the identify rules.
     */
    reset() {
      state.core?.reset();
      delivery.send('reset', []);
    },
    help: printHelp,
    get droppedBeforeReady() {
      return delivery.droppedFromQueue;
    },
    debug(on = true) {
      state.debug = Boolean(on);
      if (state.debug) loadConsoleTools();
    },
    // The inspector (`trackplan/inspector`), fetched only when a page opens it.
    inspect: (options) => import('../inspector/index.js').then((inspector) => inspector.openInspector(tracker, options)),
  };
  return tracker;
}

/**
 * Runs the shim's handling of a call; a JavaScript exception in it (a trackplan bug:
 * nothing the page passes reaches here) drops the call, says so, and never throws into
 * the page; a trap of the wasm core stops the core (see {@link handle}).
 */
function safely(work, method) {
  try {
    return work();
  } catch (error) {
    console.warn('trackplan: a call could not be handled and was dropped (a trackplan bug: please report it).', error);
    const message = 'trackplan could not handle this call (a bug): it was dropped';
    return plainVerdict(false, 'dropped', method, undefined, [{ kind: 'invalid_input', path: '', message }]);
  }
}

/**
 * Validates a resolved call and hands what the policy lets through to analytics.js; then
 * logs, reports, forwards and quarantines. Returns the verdict.
 */
function handle(state, delivery, handleViolation, method, call, at) {
  let result;
  if (state.core) {
    try {
      result = checkCall(state.core, call, false, delivery.action);
    } catch (error) {
      if (!(error instanceof WebAssembly.RuntimeError)) throw error;
      // The core trapped (a bug in it): stop using it rather than trap on every call.
      console.warn('trackplan: the validator failed; later calls go to analytics.js unvalidated.', error);
      state.core = null;
    }
  }
  if (!result) return passThrough(state, delivery, call, at);
  const { verdict, read, sent } = result;
  if (sent) delivery.send(method, sent);
  forward(state, delivery, verdict);
  rememberSite(state, at);
  if (state.debug || !verdict.ok || verdict.hints.length || state.listeners.size) {
    const args = copied(canonicalArguments(call, read.payload ?? {}, read.options));
    reportCall(state, { ...callRecord(method, args, verdict, copied(sent)), callSite: at });
  }
  if (method === 'identify' && state.debug) {
    // After this task, a hint if no track followed the identify (the core reports it once).
    setTimeout(() => {
      const hint = state.core && report(state.core, REPORT_TASK_END);
      if (hint) logHint(hint);
    }, 0);
  }
  handleViolation?.(method, canonicalArguments(call, read.payload ?? {}, read.options), verdict);
  return verdict;
}

/**
 * A call handed over unvalidated (the wasm could not start, or trapped), marked so, with
 * the context properties set (all of them: without the core, which rules declare each is
 * not known); `action` is what delivery does with it. A call that cannot be sent as
 * JSON is dropped.
 */
function passThrough(state, delivery, call, at) {
  const read = readCall(call);
  if (read.unusable) {
    return plainVerdict(false, 'dropped', call.method, undefined, [{ kind: 'invalid_input', path: '', message: read.reason }]);
  }
  const missing = Object.fromEntries([...state.context].filter(([name]) => !Object.hasOwn(read.payload ?? {}, name)));
  const payload = changed(read.payload ?? {}, [], missing);
  const sent = canonicalArguments(call, payload, read.options);
  delivery.sendMarked(call.method, sent, { validated: false });
  const named = call.method === 'track' || call.method === 'page' ? call.name : undefined;
  const verdict = { ...plainVerdict(true, delivery.action, call.method, named), validated: false };
  if (state.debug || state.listeners.size) {
    const shown = copied(sent);
    reportCall(state, { ...callRecord(call.method, shown, verdict, shown), callSite: at });
  }
  return verdict;
}

/**
 * Copies of a call's arguments (its callback as it is), for the page code a call is
 * shown to (listeners, the debug log): analytics.js holds the snapshots it was handed and
 * reads them after the call returns, so page code must never hold them.
 * @template {unknown[] | null} A
 * @param {A} args plain data, but for the callback
 * @returns {A}
 */
function copied(args) {
  return /** @type {A} */ (args && args.map((arg) => (arg !== null && typeof arg === 'object' ? structuredClone(arg) : arg)));
}

/** The verdict of a dry run without a core: it would pass through, unvalidated. */
function passthroughDryRun(described, delivery) {
  const call = resolveDryRun(described);
  const type = typeof call === 'string' ? 'track' : call.method;
  // A string (why the call cannot be resolved) has no name: undefined.
  const named = type === 'track' || type === 'page' ? /** @type {import('./arguments.js').Resolved} */ (call).name : undefined;
  return { ...plainVerdict(true, delivery.action, type, named), validated: false };
}

/**
 * Sends a verdict's violations as `Violation Generated` calls when the policy forwards
 * them: its first {@link FORWARDED_PER_CALL}, and no more than
 * {@link FORWARDED_PER_TRACKER} in the tracker's life (said once on the console).
 */
function forward(state, delivery, verdict) {
  for (const properties of forwardedViolations(state.core, verdict).slice(0, FORWARDED_PER_CALL)) {
    if (state.forwarded++ === FORWARDED_PER_TRACKER) {
      console.warn(`trackplan: ${FORWARDED_PER_TRACKER} violations forwarded; later ones are not (see tracker.violations()).`);
    }
    if (state.forwarded > FORWARDED_PER_TRACKER) return;
    delivery.send('track', ['Violation Generated', properties, {}]);
  }
}

/** Logs a call and tells the listeners about it; a listener that throws is reported, not rethrown. */
function reportCall(state, record) {
  logCall(record, state.environment, state.debug);
  for (const listener of state.listeners) {
    try {
      listener(record);
    } catch (error) {
      console.warn('trackplan: an onCall listener threw', error);
    }
  }
}

/**
 * Sets context properties (see the README): each value read once, as a call's payload
 * is; `null` or `undefined` removes one; a value that is not data, or over the 30 KB a
 * context property may hold, is refused with a warning that says what to do.
 */
function setContext(state, context) {
  if (!context || typeof context !== 'object') return;
  let names;
  try {
    names = Object.keys(context);
  } catch {
    console.warn('trackplan: setContext could not read its argument: pass an object such as { episode_id }');
    return;
  }
  for (const name of names) {
    let value;
    try {
      value = context[name] ?? null;
    } catch {
      value = Symbol.for('unreadable');
    }
    // Refused below when undefined.
    const input = /** @type {NonNullable<ReturnType<typeof contextInput>>} */ (contextInput(name, value));
    // Refused: 1, not JSON data; else the bytes of its JSON text, over the core's limit.
    const refused = !input ? 1 : state.core ? state.core.setContext(input.bytes) : 0;
    if (refused) {
      const why = refused === 1 ? 'is not JSON data' : `is ${Math.ceil(refused / 1024)} KB of JSON, over the 30 KB a context property may hold: set an id or a short value`;
      console.warn(`trackplan: setContext ignored \`${name}\`: its value ${why}`);
    } else if (input.snapshot === null) state.context.delete(wellFormed(name));
    else state.context.set(wellFormed(name), input.snapshot);
  }
}

/**
 * Where the application called the tracker: the `file:line:column` of the frame below
 * the tracker's method, from the stack the browser gives (as DevTools shows it, with
 * the dev server's source maps where the browser applies them to stacks).
 * @returns {string | undefined}
 */
function callSite() {
  // 0: the message, 1: this function, 2: the tracker's method, 3: the application.
  const frame = new Error().stack?.split('\n')[3] ?? '';
  return /([^\s(@]+:\d+:\d+)\)?\s*$/.exec(frame)?.[1];
}

/** Most call sites kept for `events()` (the history's default is 200 calls). */
const SITES_KEPT = 1000;

/**
 * Counts a recorded call, keeping its site (when taken) by the sequence number the core
 * gives it in its history, for the {@link SITES_KEPT} latest.
 */
function rememberSite(state, at) {
  state.calls += 1;
  if (at === undefined) return;
  state.sites.set(state.calls, at);
  if (state.sites.size > SITES_KEPT) state.sites.delete(state.sites.keys().next().value);
}

/** The history's entries with the site of each call, where one was taken. */
function withSites(entries, sites) {
  return entries.map((entry) => (sites.has(entry.seq) ? { ...entry, callSite: sites.get(entry.seq) } : entry));
}
