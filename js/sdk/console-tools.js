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
                                a table of an event's properties: type, required, allowed values,
                                constraints (pattern, format, bounds; items and nested properties as rows)
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
 * allowed, constraints, description }` — printed with `console.table`. `event` is a track
 * event name or `identify`, `page`, `group`. Items and nested properties follow their
 * property as rows of their own (`tags[]`, `pair[0]`, `address.city`); `constraints` is
 * every other rule of the schema, compact (`pattern ^[a-z]+$ · 1 ≤ length ≤ 40`), from
 * the full core (the production core's summary has none). An unknown name warns with
 * the planned names and returns no rows.
 * @param {object | null} plan the tracker's `plan()`
 * @param {string} event
 * @returns {Array<{ property: string, type: string, required: boolean, allowed: string, constraints: string, description: string }>}
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
  const rows = [];
  for (const property of rule.properties) addRows(rows, property.name, property, property.required);
  if (rule.description) console.log(`${rule.name}: ${rule.description}`);
  console.table(rows);
  return rows;
}

/** Appends the row of `schema` (a property's summary, or an outline of its items or members) named `name`, then those of its items and nested properties. */
function addRows(rows, name, schema, required) {
  rows.push({
    property: name,
    type: typeOf(schema),
    required,
    allowed: allowedValues(schema),
    constraints: constraints(schema),
    description: schema.description ?? '',
  });
  const items = schema.items;
  if (Array.isArray(items)) items.forEach((item, i) => addRows(rows, `${name}[${i}]`, item, false));
  else if (items) addRows(rows, `${name}[]`, items, false);
  for (const nested of schema.properties ?? []) addRows(rows, `${name}.${nested.name}`, nested, nested.required);
}

/** The allowed column: the values of `enum` and `const` as JSON, comma-separated. */
function allowedValues(schema) {
  return schema.allowed.map((v) => JSON.stringify(v)).join(', ');
}

/** The type column: the JSON types, `enum` when only values are listed, else `any`. */
function typeOf(schema) {
  return schema.type.join(' | ') || (schema.allowed.length ? 'enum' : 'any');
}

/**
 * The bounds, as `what` between the lower and upper ones: `0 < value ≤ 10`, `length ≥ 1`.
 * @type {[string, string, string | null, string, string | null][]}
 */
const RANGES = [
  ['value', 'minimum', 'exclusiveMinimum', 'maximum', 'exclusiveMaximum'],
  ['length', 'minLength', null, 'maxLength', null],
  ['items', 'minItems', null, 'maxItems', null],
  ['properties', 'minProperties', null, 'maxProperties', null],
];

/** The combinators, each with how its branches are joined. */
const BRANCHES = [
  ['allOf', 'all of', ' & '],
  ['anyOf', 'any of', ' | '],
  ['oneOf', 'one of', ' | '],
];

/**
 * The constraints column: pattern, format, bounds, multipleOf, unique items, a closed
 * object, the branches of allOf/anyOf/oneOf and the keywords only named, joined by ` · `.
 */
function constraints(schema) {
  const parts = [];
  if (schema.pattern !== undefined) parts.push(`pattern ${schema.pattern}`);
  if (schema.format !== undefined) parts.push(`format ${schema.format}`);
  for (const [what, min, exclusiveMin, max, exclusiveMax] of RANGES) {
    // A null keyword (lengths and counts have no exclusive bound) reads nothing.
    const range = bounds(what, schema[min], schema[/** @type {string} */ (exclusiveMin)], schema[max], schema[/** @type {string} */ (exclusiveMax)]);
    if (range) parts.push(range);
  }
  if (schema.multipleOf !== undefined) parts.push(`multiple of ${schema.multipleOf}`);
  if (schema.uniqueItems) parts.push('unique items');
  if (schema.additionalProperties === false) parts.push('no other properties');
  for (const [keyword, words, joiner] of BRANCHES) {
    if (schema[keyword]) parts.push(`${words} ${schema[keyword].map(branch).join(joiner)}`);
  }
  if (schema.others?.length) parts.push(`also checks ${schema.others.join(', ')}`);
  return parts.join(' · ');
}

/** One branch of a combinator, in parentheses: its type, values and constraints. */
function branch(schema) {
  const values = allowedValues(schema);
  const type = schema.type.length || !values ? typeOf(schema) : '';
  return `(${[type, values, constraints(schema)].filter(Boolean).join(' · ')})`;
}

/** `low ≤ what ≤ high` from the bounds given (`<` for the exclusive ones), `what ≥ low` with one; `''` with none. */
function bounds(what, min, exclusiveMin, max, exclusiveMax) {
  const low = exclusiveMin !== undefined ? [exclusiveMin, '<', '>'] : min !== undefined ? [min, '≤', '≥'] : null;
  const high = exclusiveMax !== undefined ? [exclusiveMax, '<'] : max !== undefined ? [max, '≤'] : null;
  if (low && high) return `${low[0]} ${low[1]} ${what} ${high[1]} ${high[0]}`;
  if (low) return `${what} ${low[2]} ${low[0]}`;
  return high ? `${what} ${high[1]} ${high[0]}` : '';
}

function findRule(plan, event) {
  if (!plan) return null;
  if (['identify', 'page', 'group'].includes(event) && plan[event]) return plan[event];
  return plan.events.find((e) => e.name === event) ?? null;
}
