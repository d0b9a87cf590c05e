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
/** @type {Record<'track' | 'identify' | 'page' | 'group', [string[], string]>} */
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
 * `sent` is a copy of the payload handed to analytics.js (less omitted properties, with
 * the context properties the core added), or `null` when the call was blocked or dropped.
 * @param {'track' | 'identify' | 'page' | 'group'} method
 * @param {unknown[]} args the arguments of the call
 * @param {object} verdict its verdict
 * @param {unknown[] | null} sent the arguments handed to analytics.js (`checkCall`'s `sent`)
 */
export function callRecord(method, args, verdict, sent) {
  const [leading, payloadName] = SHAPES[method];
  const record = { type: method };
  leading.forEach((key, i) => {
    if (args[i] !== undefined) record[key] = args[i];
  });
  const options = args[leading.length + 1];
  record[payloadName] = objectOr(args[leading.length]);
  if (options !== undefined) record.options = options;
  Object.assign(record, verdict);
  record.type = method;
  record.sent = sent && HANDED_OVER.includes(verdict.action) ? { ...objectOr(sent[leading.length]) } : null;
  return record;
}

/** `payload` when it is an object, else an empty one (what is sent for no payload). */
function objectOr(payload) {
  return payload && typeof payload === 'object' ? payload : {};
}
