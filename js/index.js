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

export { resolveEnvironment };
export { trackplanPlugin } from './plugin.js';

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
 * @param {import('./index.js').TrackerOptions} [options]
 */
export async function createTracker(options = {}) {
  const hostname = globalThis.location?.hostname;
  const environment = resolveEnvironment({ environment: options.environment, hosts: options.hosts, hostname });
  const writeKey = options.writeKeys?.[environment] ?? null;
  const delivery = new Delivery({ writeKey, environment, analytics: options.analytics, segment: options.segment });
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
  delivery.start();
  const tracker = new Tracker(core, delivery, environment, writeKey, Boolean(options.debug));
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

  constructor(core, delivery, environment, writeKey, debug) {
    this.#core = core;
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
    if (!this.#core) return passthroughVerdict(call?.type ?? 'track', call?.event);
    return this.#core.validate(call);
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

  /** How many calls were dropped because more than 1,000 came before analytics.js was ready. */
  get droppedBeforeReady() {
    return this.#delivery.droppedFromQueue;
  }

  /** Turns logging of every call on or off (on when called without an argument). */
  debug(on = true) {
    this.#debug = Boolean(on);
  }

  #call(method, args) {
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
    if (!verdict.ok && this.#core.throwsOnViolation) throw new TrackingPlanError(verdict);
    return verdict;
  }
}

function passthroughVerdict(type, event) {
  const verdict = { ok: true, validated: false, action: 'sent', type, violations: [], omitted: [] };
  if (typeof event === 'string') verdict.event = event;
  return verdict;
}
