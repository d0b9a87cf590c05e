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

import { createCore } from './core.js';
import { SetupError, startCore } from './cores.js';
import { createDelivery } from './delivery.js';
import { plainTargets, resolveEnvironment, TARGET_NAMES } from './environment.js';
import { debugRequested, loadConsoleTools } from './console.js';
import { newTracker } from './tracker.js';

export { resolveEnvironment };
export { newId } from './ids.js';
export { trackplanPlugin } from './plugin.js';
export { TrackingPlanError } from './tracker.js';

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
 * analytics.js is ready (default 1,000); `loadTimeout` is how long analytics.js has to
 * load, in ms, before the tracker is `unavailable` (default 10,000). Calls not yet sent
 * when the page is left are carried to the next page of the same origin (see
 * `delivery.js`), unless `carryOver` is false. `policy.throwOnViolation` is ignored in
 * production, which never throws.
 *
 * @param {import('./types.js').TrackerOptions} [options]
 * @param {import('./types.js').Cores} [cores] the plan's binding (the `index.js` that
 *   `trackplan build` writes passes it)
 * @returns {Promise<import('./types.js').Tracker>}
 */
export async function createTracker(options = {}, cores = undefined) {
  if (!options || typeof options !== 'object') options = {};
  if (options.onViolation !== undefined && typeof options.onViolation !== 'function') {
    throw new TypeError((await import('./setup-mistakes.js')).onViolationMistake());
  }
  // From the options' environment and hosts, and the page's hostname.
  const { hosts, warnings } = plainTargets(options) ?? (await import('./targets.js')).checkedTargets(options, TARGET_NAMES);
  for (const warning of warnings) console.warn(`trackplan: ${warning}`);
  const environment = resolveEnvironment({ environment: options.environment, hosts, hostname: globalThis.location?.hostname });
  const writeKey = options.writeKeys?.[environment] ?? null;
  const queueSize = Number.isInteger(options.queueSize) && /** @type {number} */ (options.queueSize) >= 1 ? options.queueSize : undefined;
  const loadTimeout = typeof options.loadTimeout === 'number' && options.loadTimeout > 0 ? options.loadTimeout : undefined;
  // In production, blocked events go whole to the quarantine source when one is given:
  // real users' data is never lost. Elsewhere the console shows what was blocked.
  const quarantineKey = options.writeKeys?.quarantine;
  const quarantine =
    typeof quarantineKey === 'string' && environment === 'production' && (writeKey || options.analytics)
      ? createDelivery({ writeKey: quarantineKey, environment: 'quarantine', segment: options.segment, queueSize, loadTimeout })
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
  // `carry: null` keeps calls out of sessionStorage; undefined takes the browser's.
  const carry = options.carryOver === false ? null : undefined;
  const delivery = createDelivery({ writeKey, environment, analytics: options.analytics, segment: options.segment, queueSize, loadTimeout, carry });
  // `?trackplan_debug=1` (or its localStorage key) also opens the inspector, leaving the
  // focus with the page, unless the page turned debugging off itself (a test tracker does).
  const requested = debugRequested();
  const debug = Boolean(options.debug ?? requested);
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
  const handleViolation = /** @type {typeof import('./violations.js') | undefined} */ (violations)?.violationHandler(options.onViolation, quarantine);
  const tracker = newTracker({ core, delivery, environment, writeKey, debug, handleViolation });
  if (options.global !== false && typeof window !== 'undefined') {
    // On \`window\` for DevTools: \`trackplan.help()\`.
    window[options.global ?? 'trackplan'] = tracker;
  }
  if (requested && debug) tracker.inspect({ focus: false }).catch(console.warn);
  return tracker;
}
