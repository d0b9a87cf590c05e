/**
 * A call as the console, the inspector and the test helpers see it: what was called,
 * with which arguments, its verdict, and what was handed to analytics.js.
 *
 * @module trackplan/calls
 */

/**
 * Each method's arguments: the names of those before the payload, and the payload's;
 * the options follow the payload. The methods are in the order of the core's numbers for
 * them (`CallKind::from_code` in `src/tracker.rs`), which `core.js` reads from here.
 */
export const SHAPES = {
  track: [['event'], 'properties'],
  identify: [['userId'], 'traits'],
  page: [['category', 'name'], 'properties'],
  group: [['groupId'], 'traits'],
};

/** Actions under which the payload went on to analytics.js (now or from the queue). */
const HANDED_OVER = ['sent', 'queued'];

/**
 * The record of one call: `{ type, event?, userId?, category?, name?, groupId?,
 * properties? | traits?, options?, ok, action, violations, omitted, sent }`, where
 * `sent` is the payload handed to analytics.js (less omitted properties), or `null`
 * when the call was blocked or dropped.
 * @param {'track' | 'identify' | 'page' | 'group'} method
 * @param {unknown[]} args the arguments of the call
 * @param {object} verdict its verdict
 */
export function callRecord(method, args, verdict) {
  const [leading, payloadName] = SHAPES[method];
  const record = { type: method };
  leading.forEach((key, i) => {
    if (args[i] !== undefined) record[key] = args[i];
  });
  const payload = args[leading.length];
  const options = args[leading.length + 1];
  const given = payload && typeof payload === 'object' ? payload : {};
  record[payloadName] = given;
  if (options !== undefined) record.options = options;
  Object.assign(record, verdict);
  record.type = method;
  record.sent = HANDED_OVER.includes(verdict.action) ? withoutOmitted(given, verdict.omitted ?? []) : null;
  return record;
}

function withoutOmitted(payload, omitted) {
  if (omitted.length === 0) return { ...payload };
  return Object.fromEntries(Object.entries(payload).filter(([key]) => !omitted.includes(key)));
}
