/**
 * trackplan's browser SDK, not bound to a plan: what the `index.js` that `trackplan
 * build` writes (and the package's own entry, for its demo plan) imports and binds to
 * its plan's cores. Import from there, not from here: `trackplan/sdk` is for generated
 * code.
 *
 * The shim does what JavaScript must: pick the environment and its write key, load
 * analytics-next, start the wasm core, queue calls until analytics.js is ready, and put
 * the tracker on `window` for the console. Validation and policy happen in the core.
 *
 * @module trackplan/sdk
 */

import { checkCall, createCore, dryRun, encoded, forwardedViolations, plainVerdict, report } from './core.js';
import { SetupError, startCore } from './cores.js';
import { REPORT_HISTORY, REPORT_PLAN, REPORT_TASK_END } from './protocol.js';
import { createDelivery } from './delivery.js';
import { resolveEnvironment } from './environment.js';
import { callRecord } from './calls.js';
import { debugRequested, loadConsoleTools, logCall, logHint, printHelp } from './console.js';
import { newId } from './ids.js';

export { resolveEnvironment, newId };
export { trackplanPlugin } from './plugin.js';

/** Thrown by a tracker whose policy has `throwOnViolation` (the `test` default). */
export class TrackingPlanError extends Error {
  /** @param {object} verdict the call's verdict */
  constructor(verdict) {
    const what = verdict.event ? `\`${verdict.event}\`` : verdict.type;
    const lines = verdict.violations.map((v) => `\n  - ${v.message}`).join('');
    super(`trackplan: ${what} does not follow the tracking plan:${lines}`);
    this.name = 'TrackingPlanError';
    /** The verdict of the call. */
    this.verdict = verdict;
    /** The violations, as in the verdict. */
    this.violations = verdict.violations;
  }
}

/**
 * Creates a tracker of the plan `cores` binds it to: resolves the environment, picks its
 * write key, starts the wasm core and loads analytics-next (unless `options.analytics`
 * is given). In production the core is the plan's production core, which gives no
 * developer advice (no hints, no "did you mean"); with `options.plan`, or in any other
 * environment, it is the full core, whose JS and wasm are fetched only then
 * (`options.fullWasm` says where its wasm is, as `options.wasm` does for the
 * production core's, in place of the binding's).
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
 * @param {import('../index.js').TrackerOptions} [options]
 * @param {import('./cores.js').Cores} [cores] the plan's binding
 */
export async function createTracker(options = {}, cores = undefined) {
  if (!options || typeof options !== 'object') options = {};
  if (options.onViolation !== undefined && typeof options.onViolation !== 'function') {
    throw new TypeError((await import('./setup-mistakes.js')).onViolationMistake());
  }
  // From the options' environment and hosts, and the page's hostname.
  const environment = resolveEnvironment({ ...options, hostname: globalThis.location?.hostname });
  const writeKey = options.writeKeys?.[environment] ?? null;
  const queueSize = Number.isInteger(options.queueSize) && options.queueSize >= 1 ? options.queueSize : undefined;
  // In production, blocked events go whole to the quarantine source when one is given:
  // real users' data is never lost. Elsewhere the console shows what was blocked.
  const quarantineKey = options.writeKeys?.quarantine;
  const quarantine =
    typeof quarantineKey === 'string' && environment === 'production' && (writeKey || options.analytics)
      ? createDelivery({ writeKey: quarantineKey, environment: 'quarantine', segment: options.segment, queueSize })
      : null;
  // Started first: the wasm downloads and compiles off the main thread while the rest is
  // set up here; with it, for a tracker given `onViolation` or a quarantine source, what
  // a violation does besides its verdict (`violations.js`, which other pages never
  // fetch). The full core's chunk or wasm, or `violations.js`, failing to load is no
  // set-up mistake: passthrough, so that no call is blocked unreported.
  const coreStart = Promise.all([
    startCore({ ...options, environment }, cores),
    (options.onViolation || quarantine) && import('./violations.js'),
  ]).catch((error) => {
    if (error instanceof SetupError) return [error];
    console.warn('trackplan: WebAssembly could not start; calls go to analytics.js unvalidated.', error);
    return [];
  });
  const delivery = createDelivery({ writeKey, environment, analytics: options.analytics, segment: options.segment, queueSize });
  const debug = Boolean(options.debug ?? debugRequested());
  // Debug mode logs through the console tools: here from the first call.
  const consoleTools = debug ? loadConsoleTools() : null;
  const [started, violations] = await coreStart;
  // A set-up mistake (no plan, a bad policy or plan) throws here, before analytics.js
  // starts loading.
  if (started instanceof SetupError) throw started;
  const core = started ? await createCore(started, { ...options, environment }) : null;
  delivery.start();
  quarantine?.start();
  await consoleTools;
  const handleViolation = violations?.violationHandler(options.onViolation, quarantine);
  const tracker = newTracker(core, delivery, environment, writeKey, debug, handleViolation);
  if (options.global !== false && typeof window !== 'undefined') {
    // On \`window\` for DevTools: \`trackplan.help()\`.
    window[options.global ?? 'trackplan'] = tracker;
  }
  return tracker;
}

/**
 * A tracker, as the contract describes it (create one with {@link createTracker}): its
 * state is in this closure, so its methods work unbound too.
 * @param {object | null} core the core's tracker, or null to pass calls through unvalidated
 *   (dropped, too, if it fails)
 * @param {ReturnType<typeof createDelivery>} delivery
 * @param {string} environment
 * @param {string | null} writeKey
 * @param {boolean} debug whether every call is logged (`tracker.debug()` changes it)
 * @param {((method: string, args: unknown[], verdict: object) => void) | undefined} handleViolation
 *   what the page asked a violation to do besides its verdict (see `violationHandler` in
 *   `violations.js`), given every validated call
 */
function newTracker(core, delivery, environment, writeKey, debug, handleViolation) {
  const listeners = new Set();

  /** Validates and sends a call; throws only where the policy says `throwOnViolation`. */
  const call = (method, args) => {
    let verdict;
    try {
      verdict = checked(method, args);
    } catch (error) {
      // Nothing the page passes may make the shim throw into it.
      return unhandledVerdict(method, error);
    }
    // Only where the policy asks for it, which production never does.
    if (!verdict.ok && core?.settings.throwOnViolation) throw new TrackingPlanError(verdict);
    return verdict;
  };

  /** The verdict of a call, once it is handed to analytics.js, logged and reported. */
  const checked = (method, args) => {
    let result;
    try {
      if (core) result = checkCall(core, method, args, false, delivery.action);
    } catch (error) {
      // The core trapped: stop using it rather than throw on every later call.
      console.warn('trackplan: the validator failed; later calls go to analytics.js unvalidated.', error);
      core = null;
    }
    if (!result) {
      // Sent unvalidated, and marked so.
      delivery.sendMarked(method, args, { validated: false });
      const verdict = passthroughVerdict(method, method === 'track' ? args[0] : undefined, delivery.action);
      if (debug || listeners.size) reportCall(callRecord(method, args, verdict, args));
      return verdict;
    }
    const { verdict, sent } = result;
    if (sent) delivery.send(method, sent);
    for (const properties of forwardedViolations(core, verdict)) delivery.send('track', ['Violation Generated', properties]);
    if (debug || !verdict.ok || verdict.hints.length || listeners.size) {
      reportCall(callRecord(method, args, verdict, sent));
    }
    if (method === 'identify' && debug) {
      // After this task, a hint if no track followed the identify. The core reports it
      // once (the first check after several identifies in a task), so no check is deduplicated.
      setTimeout(() => {
        const hint = core && report(core, REPORT_TASK_END);
        if (hint) logHint(hint);
      }, 0);
    }
    handleViolation?.(method, args, verdict);
    return verdict;
  };

  /** Logs a call and tells the listeners about it. */
  const reportCall = (record) => {
    logCall(record, environment, debug);
    for (const listener of listeners) {
      try {
        listener(record);
      } catch (error) {
        console.warn('trackplan: an onCall listener threw', error);
      }
    }
  };

  /** Recent calls with their verdicts, newest last. */
  const events = () => (core ? report(core, REPORT_HISTORY) : []);

  /** The plan: planned events and their properties. */
  const plan = () => (core ? report(core, REPORT_PLAN) : null);

  return {
    /** The resolved environment. */
    environment,
    /** The write key in use, or null when this environment has none. */
    writeKey,
    /** Settles when analytics.js has loaded or failed to; never rejects. */
    ready: delivery.ready,

    /** `loading`, `ready`, `unavailable` (analytics.js blocked) or `passthrough` (no wasm). */
    get status() {
      return core ? delivery.status : 'passthrough';
    },

    /** Validates and sends `track(event, properties, options)`. */
    track: (event, properties, options) => call('track', [event, properties, options]),

    /** Validates and sends `identify(userId, traits, options)`. */
    identify: (userId, traits, options) => call('identify', [userId, traits, options]),

    /** Validates and sends `page(category, name, properties, options)`. */
    page: (category, name, properties, options) => call('page', [category, name, properties, options]),

    /** Validates and sends `group(groupId, traits, options)`. */
    group: (groupId, traits, options) => call('group', [groupId, traits, options]),

    /** What would happen to `call` (`{ type, event, properties, traits }`); nothing is sent. */
    validate(call) {
      try {
        if (!core) return passthroughVerdict(String(call?.type ?? 'track'), call?.event, delivery.action);
        return dryRun(core, call, delivery.action);
      } catch (error) {
        return unhandledVerdict('track', error);
      }
    },

    /**
     * Sets properties added to every later call whose plan rule declares them (and that
     * does not pass them itself), e.g. `{ episode_id, user_type }`; `null` removes one.
     * @param {Record<string, unknown>} context
     */
    setContext(context) {
      if (!core || !context || typeof context !== 'object') return;
      try {
        for (const name of Object.keys(context)) {
          // undefined removes the property, as null does.
          const [input, , notData] = encoded(context[name] ?? null, name);
          // Refused: 1, not JSON data; else the bytes of its JSON text, over the core's 30 KB.
          const refused = notData ? 1 : core.setContext(input);
          if (refused) {
            const why = refused === 1 ? 'is not JSON data' : `is ${Math.ceil(refused / 1024)} KB of JSON, over the 30 KB a context property may hold: set an id or a short value`;
            console.warn(`trackplan: setContext ignored \`${name}\`: its value ${why}`);
          }
        }
      } catch (error) {
        console.warn('trackplan: setContext could not read its argument', error);
      }
    },

    /**
     * A new workflow id: `newId('call')` → `call_…` (URL-safe, 128 random bits), for
     * `call_id`, `task_id`, `qnaire_tid`.
     * @param {string} [prefix]
     */
    newId,

    /** Recent calls with their verdicts, newest last. */
    events,

    /** The plan: planned events and their properties. */
    plan,

    /** The recent calls that broke the plan, newest last. */
    violations: () => events().filter((entry) => !entry.ok),

    /**
     * Prints a table of a planned event's properties (type, required, allowed values,
     * description) and resolves with its rows; `identify`, `page` and `group` name those
     * rules. Asynchronous, as `help()` is: the console tools that print it are loaded on
     * first use, so that a page that never debugs does not download them.
     * @param {string} event
     * @returns {Promise<object[]>}
     */
    async explain(event) {
      const tools = await loadConsoleTools();
      return tools ? tools.explain(plan(), event) : [];
    },

    /**
     * Calls `listener(call)` after every validated call with its record (the arguments,
     * the verdict and `sent`, the payload handed to analytics.js or null). Listeners that
     * throw are reported on the console, never rethrown. Returns a function that removes
     * the listener.
     * @param {(call: object) => void} listener
     * @returns {() => void}
     */
    onCall(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },

    /** Prints what the tracker offers in the console; resolves once printed. */
    help: printHelp,

    /** How many calls were dropped because more than `queueSize` (1,000) came before analytics.js was ready. */
    get droppedBeforeReady() {
      return delivery.droppedFromQueue;
    },

    /**
     * Turns logging of every call on or off (on when called without an argument). The
     * console tools that log are fetched now if they were not yet; calls made before
     * they arrive are logged when they do.
     */
    debug(on = true) {
      debug = Boolean(on);
      if (debug) loadConsoleTools();
    },
  };
}

/** The verdict of a call the shim itself could not handle: reported, never thrown. */
function unhandledVerdict(type, error) {
  console.warn('trackplan: a call could not be handled and was dropped.', error);
  const message = 'trackplan could not handle this call: pass plain data';
  return plainVerdict(false, 'dropped', type, undefined, [{ kind: 'invalid_input', path: '', message }]);
}

/**
 * The verdict of a call handed over unvalidated (the wasm could not start or failed);
 * `action` is what delivery does with it (`sent`, `queued` or `dropped`).
 */
function passthroughVerdict(type, event, action) {
  return { ...plainVerdict(true, action, type, event), validated: false };
}
