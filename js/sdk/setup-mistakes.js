/**
 * The messages of set-up mistakes: an `onViolation` that is not a function, given to
 * `createTracker` (`index.js`), and options that are not plain data, a bad environment or
 * a bad policy, given to `createCore` (`core.js`). Each imports this module only for one:
 * a tracker set up right never fetches it.
 *
 * The module imports nothing: what it words is handed to it. A lazy module that imported
 * the shim's modules would make bundlers move them into a chunk of their own, which
 * every page would then fetch.
 *
 * @module trackplan/setup-mistakes
 */

/** The message for an `onViolation` option that is not a function. */
export function onViolationMistake() {
  return 'trackplan: onViolation must be a function (report) => void';
}

/**
 * The message for a policy or history size that cannot be read as JSON.
 * @param {Error} error what `JSON.stringify` threw
 */
export function plainDataMistake(error) {
  return `trackplan: policy and historySize must be plain data: ${error.message}`;
}

/**
 * The message for an environment that is not one of `environments`.
 * @param {string} name the environment given, read from JSON
 * @param {string[]} environments
 */
export function environmentMistake(name, environments) {
  return `environment ${quote(name)} is not one of ${environments.join(', ')}`;
}

/**
 * The message for a policy override the core cannot take: an unknown field, or a value
 * its field does not take, saying what to use.
 * @param {string} field the field given, read from JSON
 * @param {unknown} value its value, read from JSON
 * @param {Record<string, unknown[]>} policy each field and the values it takes
 */
export function policyMistake(field, value, policy) {
  const values = Object.hasOwn(policy, field) ? policy[field] : undefined;
  const shown = typeof value === 'boolean' ? value : quote(typeof value === 'string' ? value : '(not a string or boolean)');
  const fix = values
    ? `use ${listed(values.map((v) => (typeof v === 'string' ? `'${v}'` : v)), 'or')}`
    : `the fields are ${listed(Object.keys(policy), 'and')}`;
  return `policy.${wellFormed(field)} cannot be ${shown}: ${fix}`;
}

/** `a, b and c` (with `last` = `and`). */
function listed(items, last) {
  return `${items.slice(0, -1).join(', ')} ${last} ${items.at(-1)}`;
}

/** `text` with each lone surrogate as U+FFFD, as text read from JSON by the core is. */
const wellFormed = (text) => text.replace(/\p{Cs}/gu, '\ufffd');

/**
 * `text` quoted as the core quotes it in messages (`json::quote` in `src/json.rs`):
 * JSON's string, with lone surrogates as U+FFFD and backspace and form feed as `\u0008`
 * and `\u000c`.
 */
function quote(text) {
  return JSON.stringify(wellFormed(text)).replace(/\\./g, (escape) => ({ '\\b': '\\u0008', '\\f': '\\u000c' })[escape] ?? escape);
}
