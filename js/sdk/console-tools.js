/**
 * What the browser console shows only when a developer asks for it: `help()`,
 * `explain()` and the debug-mode log of each call. `console.js` imports this module on first use, so a page
 * that never debugs never fetches it.
 *
 * @module trackplan/console-tools
 */

const HELP = `trackplan — your tracking plan, checked in the browser

  trackplan.debug(true)         log every call: verdict, violations, where it was made, what analytics.js got
                                (in any page: ?trackplan_debug=1, or localStorage.trackplan_debug = '1')
  trackplan.inspect()           open the inspector: calls live, violations, call sites, the plan
                                (?trackplan_debug=1 opens it too; inspect({ collector: URL }) adds what arrived)
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

/** Prints what the console helper offers. */
export function printHelp() {
  console.log(HELP);
}

/**
 * Logs a call in debug mode: one collapsed, styled group (verdict, event, environment,
 * action and, outside production, where it was made — as the browser's stack gives it,
 * which DevTools shows as a link to the script — then a table of violations, hints, the
 * payload handed to analytics.js).
 * @param {object} call the call's record (see callRecord in calls.js)
 * @param {string} environment
 */
export function logGroup(call, environment) {
  const mark = call.ok ? '✓' : '✗';
  const color = call.ok ? 'color:#15803d' : 'color:#b91c1c;font-weight:bold';
  const site = call.callSite ? ` · at ${call.callSite}` : '';
  console.groupCollapsed(`%ctrackplan ${mark} ${call.event ?? call.type}%c  ${environment} · ${call.action}${site}`, color, 'color:gray');
  if (call.violations.length) {
    console.table(call.violations.map(({ kind, path, message }) => ({ path: path || '(whole object)', rule: kind, message })));
  }
  if (call.omitted?.length) console.log('omitted (not in the plan):', call.omitted.join(', '));
  if (call.unchanged?.length) console.log("left out, unchanged this session (identify: 'changed'):", call.unchanged.join(', '));
  for (const hint of call.hints) console.info(`hint [${hint.kind}]: ${hint.message}`);
  console.log('handed to analytics.js:', call.sent ?? `nothing (${call.action})`);
  console.log('call:', call);
  console.groupEnd();
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
