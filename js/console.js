/**
 * The browser console: `window.trackplan` and what each call logs.
 *
 * @module trackplan/console
 */

const HELP = `trackplan — your tracking plan, checked in the browser

  trackplan.events()            recent calls with their verdicts (newest last)
  trackplan.validate({ type: 'track', event: 'call started', properties: {…} })
                                dry run: the verdict, nothing is sent
  trackplan.plan()              the planned events and their properties
  trackplan.debug(true)         log every call as it happens
  trackplan.setContext({ episode_id, user_type })   add these to later calls that plan them
  trackplan.newId('call')       a new workflow id: call_…
  trackplan.track(event, properties) / identify(userId, traits) / page(category, name, properties) / group(groupId, traits)
  trackplan.environment, trackplan.writeKey, trackplan.status`;

/**
 * Puts `tracker` on `window[name]` for DevTools, with `help()`.
 * @param {object} tracker
 * @param {string} name
 */
export function installConsole(tracker, name) {
  window[name] = tracker;
}

/** Prints what the console helper offers. */
export function printHelp() {
  console.log(HELP);
}

/**
 * Logs a verdict: a collapsed group per call in debug mode; otherwise a warning for a
 * violation outside production (production stays quiet unless debugging).
 * @param {object} verdict
 * @param {string} environment
 * @param {boolean} debug
 */
export function logVerdict(verdict, environment, debug) {
  const what = verdict.event ?? verdict.type;
  if (debug) {
    const mark = verdict.ok ? '✓' : '✗';
    const color = verdict.ok ? 'color:#15803d' : 'color:#b91c1c;font-weight:bold';
    console.groupCollapsed(`%ctrackplan ${mark} ${what}%c  ${environment} · ${verdict.action}`, color, 'color:gray');
    if (verdict.violations.length) {
      console.table(verdict.violations.map(({ kind, path, message }) => ({ path, rule: kind, message })));
    }
    for (const hint of verdict.hints) logHint(hint);
    console.log('verdict', verdict);
    console.groupEnd();
  } else if (environment !== 'production') {
    if (!verdict.ok) {
      const lines = verdict.violations.map((v) => `\n  - ${v.message}`).join('');
      console.warn(`trackplan: ${what} (${verdict.action}) does not follow the plan:${lines}`);
    }
    for (const hint of verdict.hints) logHint(hint);
  }
}

/**
 * Logs a hint: where a call departs from the tracking guide without breaking the plan.
 * @param {{ kind: string, message: string }} hint
 */
export function logHint(hint) {
  console.info(`trackplan hint [${hint.kind}]: ${hint.message}`);
}
