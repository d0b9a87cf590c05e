/**
 * The browser console: `window.trackplan`, `help()`, `explain()`, and what each call logs.
 *
 * Debug logging is on when `createTracker({ debug: true })`, `trackplan.debug(true)`,
 * `?trackplan_debug=1` in the page URL or `localStorage.trackplan_debug = '1'` says so:
 * the last two switch it on in a deployed page without a redeploy.
 *
 * @module trackplan/console
 */

const HELP = `trackplan — your tracking plan, checked in the browser

  trackplan.debug(true)         log every call: verdict, violations, what analytics.js got
                                (in any page: ?trackplan_debug=1, or localStorage.trackplan_debug = '1')
  trackplan.events()            recent calls with their verdicts (newest last)
  trackplan.violations()        only the calls that broke the plan
  trackplan.plan()              the planned events and their properties
  trackplan.explain('call started')
                                a table of an event's properties: type, required, allowed values
  trackplan.validate({ type: 'track', event: 'call started', properties: {…} })
                                dry run: the verdict, nothing is sent
  trackplan.setContext({ episode_id, user_type })   add these to later calls that plan them
  trackplan.newId('call')       a new workflow id: call_…
  trackplan.track(event, properties) / identify(userId, traits) / page(category, name, properties) / group(groupId, traits)
  trackplan.environment, trackplan.writeKey, trackplan.status`;

/** The URL parameter and localStorage key that switch debug logging on. */
export const DEBUG_FLAG = 'trackplan_debug';

/**
 * Puts `tracker` on `window[name]` for DevTools.
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
 * Whether the page asks for debug logging: `?trackplan_debug=1` in its URL, or
 * `localStorage.trackplan_debug` set to `'1'` (`?trackplan_debug=0` wins over storage).
 * False outside a browser; never throws (storage can be blocked).
 */
export function debugRequested() {
  if (typeof window === 'undefined') return false;
  try {
    const query = new URLSearchParams(window.location?.search ?? '').get(DEBUG_FLAG);
    if (query !== null) return query === '1' || query === 'true';
    return window.localStorage?.getItem(DEBUG_FLAG) === '1';
  } catch {
    return false;
  }
}

/**
 * Logs a call: one collapsed, styled group per call in debug mode (verdict, event,
 * environment, action, a table of violations, the payload handed to analytics.js);
 * otherwise a warning for a violation outside production (production stays quiet
 * unless debugging).
 * @param {object} call the call's record (see callRecord in calls.js)
 * @param {string} environment
 * @param {boolean} debug
 */
export function logCall(call, environment, debug) {
  const what = call.event ?? call.type;
  if (debug) {
    const mark = call.ok ? '✓' : '✗';
    const color = call.ok ? 'color:#15803d' : 'color:#b91c1c;font-weight:bold';
    console.groupCollapsed(`%ctrackplan ${mark} ${what}%c  ${environment} · ${call.action}`, color, 'color:gray');
    if (call.violations.length) console.table(violationRows(call.violations));
    if (call.omitted?.length) console.log('omitted (not in the plan):', call.omitted.join(', '));
    for (const hint of call.hints) logHint(hint);
    console.log('handed to analytics.js:', call.sent ?? `nothing (${call.action})`);
    console.log('call:', call);
    console.groupEnd();
  } else if (environment !== 'production') {
    if (!call.ok) {
      const lines = call.violations.map((v) => `\n  - ${v.message}`).join('');
      console.warn(`trackplan: ${what} (${call.action}) does not follow the plan:${lines}`);
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

/** Violations as table rows: path, rule, message. */
function violationRows(violations) {
  return violations.map(({ kind, path, message }) => ({ path: path || '(whole object)', rule: kind, message }));
}

/**
 * The rows describing a planned event's properties — `{ property, type, required,
 * allowed, description }` — printed with `console.table`. `event` is a track event name
 * or `identify`, `page`, `group`. An unknown name warns with the planned names and
 * returns no rows.
 * @param {object | null} plan the tracker's `plan()`
 * @param {string} event
 * @returns {Array<{ property: string, type: string, required: boolean, allowed: string, description: string }>}
 */
export function explain(plan, event) {
  const rule = findRule(plan, event);
  if (!rule) {
    const names = (plan?.events ?? []).map((e) => e.name);
    console.warn(
      `trackplan: ${JSON.stringify(event)} is not in the plan. Planned events: ${names.join(', ')}` +
        ' (and identify, page, group for their rules).',
    );
    return [];
  }
  const rows = rule.properties.map((p) => ({
    property: p.name,
    type: p.type.join(' | ') || (p.allowed.length ? 'enum' : 'any'),
    required: p.required,
    allowed: p.allowed.map((v) => JSON.stringify(v)).join(', '),
    description: p.description ?? '',
  }));
  if (rule.description) console.log(`${rule.name}: ${rule.description}`);
  console.table(rows);
  return rows;
}

function findRule(plan, event) {
  if (!plan) return null;
  if (['identify', 'page', 'group'].includes(event) && plan[event]) return plan[event];
  return plan.events.find((e) => e.name === event) ?? null;
}
