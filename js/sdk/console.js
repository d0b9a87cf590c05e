/**
 * The browser console: `help()` and what each call logs (`createTracker` puts the
 * tracker on `window.trackplan`). What only a developer asks for, `help()`, `explain()` and the debug-mode log, is in
 * `console-tools.js`, imported on first use.
 *
 * Debug logging is on when `createTracker({ debug: true })`, `trackplan.debug(true)`,
 * `?trackplan_debug=1` in the page URL or `localStorage.trackplan_debug = '1'` says so:
 * the last two switch it on in a deployed page without a redeploy.
 *
 * @module trackplan/console
 */

/** The URL parameter and localStorage key that switch debug logging on. */
export const DEBUG_FLAG = 'trackplan_debug';

/** `console-tools.js` once imported. */
let tools;
/** Its import, started on first use. */
let toolsImport;
/** The calls logged in debug mode while it is being imported, in order. */
const waiting = [];

/**
 * Imports `console-tools.js` (once) and logs the debug-mode calls that waited for it;
 * resolves with the module. If it cannot be fetched, says so, drops what waited and
 * tries again next time.
 * @returns {Promise<typeof import('./console-tools.js') | undefined>}
 */
export function loadConsoleTools() {
  toolsImport ??= import('./console-tools.js').then(
    (module) => {
      tools = module;
      for (const [call, environment] of waiting.splice(0)) module.logGroup(call, environment);
      return module;
    },
    (error) => {
      console.warn('trackplan: the console tools could not be loaded', error);
      waiting.length = 0;
      toolsImport = undefined;
    },
  );
  return toolsImport;
}

/** Prints what the console helper offers; resolves once printed. */
export async function printHelp() {
  (await loadConsoleTools())?.printHelp();
}

/**
 * Whether the page asks for debug logging: `?trackplan_debug=1` in its URL, or
 * `localStorage.trackplan_debug` set to `'1'` (`?trackplan_debug=0` wins over storage).
 * False outside a browser; never throws (storage can be blocked).
 */
export function debugRequested() {
  try {
    // Outside a browser `window` is not defined: the catch answers false, as it does when
    // storage is blocked.
    const search = window.location?.search ?? '';
    // Parsed only when the flag can be there: URLSearchParams costs a fresh page ~0.3 ms.
    const query = search.includes(DEBUG_FLAG) ? new URLSearchParams(search).get(DEBUG_FLAG) : null;
    if (query !== null) return query === '1' || query === 'true';
    return window.localStorage?.getItem(DEBUG_FLAG) === '1';
  } catch {
    return false;
  }
}

/**
 * Logs a call: in debug mode one collapsed group per call (`logGroup` in
 * console-tools.js; calls made while it is being imported are logged when it arrives);
 * otherwise a warning for a violation outside production (production stays quiet
 * unless debugging).
 * @param {object} call the call's record (see callRecord in calls.js)
 * @param {string} environment
 * @param {boolean} debug
 */
export function logCall(call, environment, debug) {
  if (debug) {
    if (tools) return tools.logGroup(call, environment);
    waiting.push([call, environment]);
    loadConsoleTools();
  } else if (environment !== 'production') {
    if (!call.ok) {
      const lines = call.violations.map((v) => `\n  - ${v.message}`).join('');
      console.warn(`trackplan: ${call.event ?? call.type} (${call.action}) does not follow the plan:${lines}`);
    }
    for (const hint of call.hints) logHint(hint);
  }
}

/**
 * Logs a hint: where a call departs from the tracking guide without breaking the plan.
 * @param {{ kind: string, message: string }} hint
 */
export function logHint(hint) {
  console.info(`trackplan hint [${hint.kind}]: ${hint.message}`);
}
