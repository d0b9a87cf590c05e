/**
 * trackplan: every Segment analytics.js call checked against your tracking plan, in
 * WebAssembly, before it leaves the page.
 *
 * The shim does what JavaScript must: pick the environment and its write key, load
 * analytics-next, start the wasm core, queue calls until analytics.js is ready, and put
 * the tracker on `window` for the console. Validation and policy happen in the core.
 *
 * @module trackplan
 */

import { CoreTracker, startWasm } from './core.js';
import { Delivery } from './delivery.js';
import { resolveEnvironment } from './environment.js';
import { installConsole, logVerdict, printHelp } from './console.js';
import { quarantinable, quarantineMark, reportViolation } from './violations.js';

export { resolveEnvironment };

/** Thrown by a tracker whose policy has `throwOnViolation` (the `test` default). */
export class TrackingPlanError extends Error {
  /** @param {object} verdict the call's verdict */
  constructor(verdict) {
    const what = verdict.event ? `\`${verdict.event}\`` : verdict.type;
    const lines = verdict.violations.map((v) => `  - ${v.message}`).join('\n');
    super(`trackplan: ${what} does not follow the tracking plan:\n${lines}`);
    this.name = 'TrackingPlanError';
    /** The verdict of the call. */
    this.verdict = verdict;
    /** The violations, as in the verdict. */
    this.violations = verdict.violations;
  }
}

/**
 * Creates a tracker: resolves the environment, picks its write key, starts the wasm
 * core and loads analytics-next (unless `options.analytics` is given).
 *
 * Rejects only for set-up mistakes (a plan that cannot be used, a bad policy or
 * environment), with a message that says what to fix. If WebAssembly cannot start, the
 * tracker passes calls through unvalidated (`status: 'passthrough'`); if analytics.js
 * cannot load, calls are still validated (`status: 'unavailable'`).
 *
 * Beyond the contract's options: `onViolation(report)` receives `{ call: { type, args },
 * violations, action, verdict }` for each call with a violation (what it throws is
 * logged, never propagated); `writeKeys.quarantine` is a Segment source that receives
 * blocked production events whole; `queueSize` bounds the queue of calls made before
 * analytics.js is ready (default 1,000). `policy.throwOnViolation` is ignored in
 * production, which never throws.
 *
 * @param {import('./index.js').TrackerOptions} [options]
 */
export async function createTracker(options = {}) {
  if (!options || typeof options !== 'object') options = {};
  if (options.onViolation !== undefined && typeof options.onViolation !== 'function') {
    throw new TypeError('trackplan: onViolation must be a function (report) => void');
  }
  const hostname = globalThis.location?.hostname;
  const environment = resolveEnvironment({ environment: options.environment, hosts: options.hosts, hostname });
  const writeKey = options.writeKeys?.[environment] ?? null;
  const queueSize = Number.isInteger(options.queueSize) && options.queueSize >= 1 ? options.queueSize : undefined;
  const delivery = new Delivery({ writeKey, environment, analytics: options.analytics, segment: options.segment, queueSize });
  const wasmStarted = await startWasm(options.wasm).then(
    () => true,
    (error) => {
      console.warn('trackplan: WebAssembly could not start; calls go to analytics.js unvalidated.', error);
      return false;
    },
  );
  let core = null;
  if (wasmStarted) {
    core = new CoreTracker({
      environment,
      plan: options.plan,
      policy: options.policy,
      historySize: options.historySize,
      analytics: delivery,
    });
  }
  // In production, blocked events go whole to the quarantine source when one is given:
  // real users' data is never lost. Elsewhere the console shows what was blocked.
  const quarantineKey = options.writeKeys?.quarantine;
  const quarantine =
    typeof quarantineKey === 'string' && environment === 'production' && (writeKey || options.analytics)
      ? new Delivery({ writeKey: quarantineKey, environment: 'quarantine', segment: options.segment, queueSize })
      : null;
  delivery.start();
  quarantine?.start();
  const handlers = { onViolation: options.onViolation, quarantine };
  const tracker = new Tracker(core, delivery, environment, writeKey, Boolean(options.debug), handlers);
  if (options.global !== false && typeof window !== 'undefined') {
    installConsole(tracker, options.global ?? 'trackplan');
  }
  return tracker;
}

/** A tracker, as the contract describes it. Create one with {@link createTracker}. */
class Tracker {
  #core;
  #delivery;
  #debug;
  #handlers;

  constructor(core, delivery, environment, writeKey, debug, handlers) {
    this.#core = core;
    this.#handlers = handlers;
    this.#delivery = delivery;
    this.#debug = debug;
    /** The resolved environment. */
    this.environment = environment;
    /** The write key in use, or null when this environment has none. */
    this.writeKey = writeKey;
    /** Settles when analytics.js has loaded or failed to; never rejects. */
    this.ready = delivery.ready;
  }

  /** `loading`, `ready`, `unavailable` (analytics.js blocked) or `passthrough` (no wasm). */
  get status() {
    return this.#core ? this.#delivery.status : 'passthrough';
  }

  /** Validates and sends `track(event, properties, options)`. */
  track(event, properties, options) {
    return this.#call('track', [event, properties, options]);
  }

  /** Validates and sends `identify(userId, traits, options)`. */
  identify(userId, traits, options) {
    return this.#call('identify', [userId, traits, options]);
  }

  /** Validates and sends `page(category, name, properties, options)`. */
  page(category, name, properties, options) {
    return this.#call('page', [category, name, properties, options]);
  }

  /** Validates and sends `group(groupId, traits, options)`. */
  group(groupId, traits, options) {
    return this.#call('group', [groupId, traits, options]);
  }

  /** What would happen to `call` (`{ type, event, properties, traits }`); nothing is sent. */
  validate(call) {
    try {
      if (!this.#core) return passthroughVerdict(String(call?.type ?? 'track'), call?.event);
      return this.#core.validate(call);
    } catch (error) {
      return unhandledVerdict('track', error);
    }
  }

  /** Recent calls with their verdicts, newest last. */
  events() {
    return this.#core ? this.#core.events() : [];
  }

  /** The plan: planned events and their properties. */
  plan() {
    return this.#core ? this.#core.plan() : null;
  }

  /** Prints what the tracker offers in the console. */
  help() {
    printHelp();
  }

  /** How many calls were dropped because more than `queueSize` (1,000) came before analytics.js was ready. */
  get droppedBeforeReady() {
    return this.#delivery.droppedFromQueue;
  }

  /** Turns logging of every call on or off (on when called without an argument). */
  debug(on = true) {
    this.#debug = Boolean(on);
  }

  #call(method, args) {
    let verdict;
    try {
      verdict = this.#checked(method, args);
    } catch (error) {
      // Nothing the page passes may make the shim throw into it.
      return unhandledVerdict(method, error);
    }
    // Only where the policy asks for it, which production never does.
    if (!verdict.ok && this.#core?.throwsOnViolation) throw new TrackingPlanError(verdict);
    return verdict;
  }

  #checked(method, args) {
    if (!this.#core) {
      this.#delivery.passthrough(method, args);
      return passthroughVerdict(method, method === 'track' ? args[0] : undefined);
    }
    let verdict;
    try {
      verdict = this.#core[method](...args);
    } catch (error) {
      // The core trapped: stop using it rather than throw on every later call.
      console.warn('trackplan: the validator failed; later calls go to analytics.js unvalidated.', error);
      this.#core = null;
      this.#delivery.passthrough(method, args);
      return passthroughVerdict(method, method === 'track' ? args[0] : undefined);
    }
    if (verdict.action === 'sent') verdict.action = this.#delivery.action;
    if (this.#debug || !verdict.ok) logVerdict(verdict, this.environment, this.#debug);
    const { onViolation, quarantine } = this.#handlers;
    if (quarantine && quarantinable(verdict)) quarantine.sendMarked(method, args, quarantineMark(verdict));
    if (onViolation && !verdict.ok) {
      reportViolation(onViolation, { call: { type: method, args }, violations: verdict.violations, action: verdict.action, verdict });
    }
    return verdict;
  }
}

/** The verdict of a call the shim itself could not handle: reported, never thrown. */
function unhandledVerdict(type, error) {
  console.warn('trackplan: a call could not be handled and was dropped.', error);
  const message = 'trackplan could not handle this call: pass plain data';
  return { ok: false, action: 'dropped', type, violations: [{ kind: 'invalid_input', path: '', message }], omitted: [] };
}

function passthroughVerdict(type, event) {
  const verdict = { ok: true, validated: false, action: 'sent', type, violations: [], omitted: [] };
  if (typeof event === 'string') verdict.event = event;
  return verdict;
}
