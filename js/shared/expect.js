/**
 * What the assertions on a track call share: `createTestTracker`'s `expectTracked`
 * (`trackplan/testing`, on captured calls, in Node or the browser) and the collector's
 * `expectReceived` (`trackplan/collector`, on received events, in Node) match a call
 * alike and explain a miss alike, with a diff against the closest candidate. Imports
 * nothing.
 *
 * The match is a deep partial one: every property given must be there, a nested object
 * matches when it holds the nested properties given (recursively), an array when it has
 * the same length and each element matches, anything else when it is equal.
 *
 * @module trackplan/shared/expect
 */

/** @type {(v: unknown) => v is Record<string, unknown>} */
const isObject = (v) => v !== null && typeof v === 'object' && !Array.isArray(v);

/**
 * How `actual` fails to contain `expected`, as `- path: expected` / `+ path: actual`
 * line pairs (a missing key reads `(missing)`); empty when it contains it.
 * @param {unknown} actual
 * @param {unknown} expected
 * @param {string} [path] where `actual` sits, prefixed to each line's key
 * @returns {string[]}
 */
export function containDifferences(actual, expected, path = '') {
  const pair = (got) => [`- ${path}: ${JSON.stringify(expected)}\n+ ${path}: ${got}`];
  if (isObject(expected) && isObject(actual)) {
    return Object.entries(expected).flatMap(([key, value]) => {
      const at = path ? `${path}.${key}` : key;
      if (!(key in actual)) return [`- ${at}: ${JSON.stringify(value)}\n+ ${at}: (missing)`];
      return containDifferences(actual[key], value, at);
    });
  }
  if (Array.isArray(expected) && Array.isArray(actual) && expected.length === actual.length) {
    return expected.flatMap((value, i) => containDifferences(actual[i], value, `${path}[${i}]`));
  }
  if (isObject(expected) || Array.isArray(expected)) return pair(JSON.stringify(actual));
  return Object.is(actual, expected) ? [] : pair(JSON.stringify(actual));
}

/**
 * The lines saying how a call or event `{ type, event }` differs from a track call of
 * `event` whose properties contain `properties`: its type, its name, the given `notes`,
 * then {@link containDifferences} of `actualProperties`.
 * @param {{ type?: string, event?: string }} item
 * @param {object} actualProperties the item's properties
 * @param {string} event
 * @param {object} properties
 * @param {string[]} [notes] other reasons the item does not count, one line each
 * @returns {string[]} empty when the item matches
 */
export function trackDifferences(item, actualProperties, event, properties, notes = []) {
  const lines = [];
  if (item.type !== 'track') lines.push(`  type: expected track, got ${item.type}`);
  if (item.event !== event) lines.push(`  event: expected ${JSON.stringify(event)}, got ${JSON.stringify(item.event)}`);
  return [...lines, ...notes, ...containDifferences(actualProperties ?? {}, properties)];
}

/**
 * The item closest to a track call of `event`: one of that event first, then the one
 * with the fewest differences, then the most recent.
 * @template {Labelled} T
 * @param {T[]} items oldest first; not empty
 * @param {string} event
 * @param {(item: T) => string[]} differencesOf
 * @returns {{ item: T, differences: string[] }}
 */
export function closest(items, event, differencesOf) {
  const ranked = items
    .map((item, index) => ({
      item,
      index,
      other: item.type === 'track' && item.event === event ? 0 : 1,
      differences: differencesOf(item),
    }))
    .sort((a, b) => a.other - b.other || a.differences.length - b.differences.length || b.index - a.index);
  return ranked[0];
}

/**
 * A call or event, as far as a message names it.
 * @typedef {{ type?: string, event?: string, name?: string, userId?: string | null, groupId?: string }} Labelled
 */

/**
 * A call or event in a message: its type and what names it, e.g. `track "call started"`.
 * @param {Labelled} item
 */
export function label(item) {
  return `${item.type} ${JSON.stringify(item.event ?? item.name ?? item.userId ?? item.groupId ?? null)}`;
}

/**
 * The message of a missed track assertion: what was expected, and how the closest of
 * `items` differs from it (or that there was none).
 * @template {Labelled} T
 * @param {{ prefix: string, event: string, properties: object, items: T[], noun: string,
 *   verb: string, differencesOf: (item: T) => string[], within?: string, after?: (item: T) => string }} miss
 *   `noun`/`verb` name the items (`call`/`captured`, `event`/`received`); `within` is
 *   added to the expectation; `after` adds lines about the closest item.
 * @returns {string}
 */
export function missMessage({ prefix, event, properties, items, noun, verb, differencesOf, within = '', after = () => '' }) {
  const expected = `expected a track ${noun} ${JSON.stringify(event)} with ${JSON.stringify(properties)}${within}`;
  if (items.length === 0) return `${prefix}: ${expected}, but no ${noun}s were ${verb}`;
  const { item, differences } = closest(items, event, differencesOf);
  return (
    `${prefix}: ${expected}; the closest of ${items.length} ${verb} ${noun}(s) was ${label(item)} ` +
    `(- expected, + ${verb}):\n${differences.join('\n')}${after(item)}`
  );
}
