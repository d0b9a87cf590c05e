/**
 * A call's arguments resolved as analytics-next resolves them (its
 * `core/arguments-resolver`), so that trackplan checks exactly the payload analytics.js
 * would send, whichever overload the page used: `page('Home', { section })`,
 * `page({ section })`, `identify({ email })`, `track({ event, properties })`, numbers as
 * ids, a trailing callback. What is resolved is then handed to analytics.js in one
 * canonical form, which it resolves back to the same.
 *
 * Only the types of the arguments are looked at here (`typeof` and the object tag, as
 * analytics-next does); their contents are read once, later, when the call is encoded.
 *
 * @module trackplan/sdk/arguments
 */

import { reasonOf, wellFormed } from './encode.js';

/**
 * A call, resolved: `method`, `name` (the event name of a track call, the page name, the
 * userId or the groupId: a string, or null when the call has none), `category` (page)
 * (both strings well-formed, a lone surrogate U+FFFD, as the core reads and checks them),
 * `payload` and `options` (the page's own values, not read yet), `callback`, and
 * `ignored`, when an argument analytics.js would leave out was given: why, for the
 * call's `invalid_input` violation.
 * @typedef {{ method: 'track' | 'identify' | 'page' | 'group', name: string | null,
 *   category?: string | null, payload: unknown, options: unknown, callback?: Function,
 *   ignored?: string }} Resolved
 */

/**
 * Whether analytics-next takes `value` for an object argument (its `isPlainObject`: the object tag, in any case).
 * @param {unknown} value
 * @returns {value is Record<string, any>}
 */
export function isObject(value) {
  return Object.prototype.toString.call(value).slice(8, -1).toLowerCase() === 'object';
}

/** How many arguments analytics-next reads of each method's (its callback is among them). */
const READ = { track: 4, page: 5, identify: Infinity, group: Infinity };

/**
 * Resolves a call's arguments as analytics-next does for `method`.
 * @param {'track' | 'identify' | 'page' | 'group'} method
 * @param {unknown[]} args as the page passed them
 * @returns {Resolved}
 */
export function resolveCall(method, args) {
  const callback = args.slice(0, READ[method]).find((arg) => typeof arg === 'function');
  /** @type {{ name: string | null, category?: string | null, payload: unknown, options: unknown, used?: number[] }} */
  let resolved;
  try {
    resolved = method === 'track' ? resolveTrack(args) : method === 'page' ? resolvePage(args) : resolveUser(args);
  } catch (error) {
    // A Proxy or getter that throws when its type is asked (as analytics.js asks it).
    const ignored = `the call's arguments cannot be read (${reasonOf(error)}): pass plain data`;
    return { method, name: null, payload: {}, options: {}, ignored };
  }
  const used = new Set([.../** @type {number[]} */ (resolved.used), callback ? args.indexOf(callback) : -1]);
  const left = args.findIndex((arg, i) => !used.has(i) && arg !== undefined && arg !== null);
  delete resolved.used;
  // The names as they cross into the core, and so as they are handed over: well-formed.
  for (const part of ['name', 'category']) if (typeof resolved[part] === 'string') resolved[part] = wellFormed(resolved[part]);
  /** @type {Resolved} */
  const call = { method, ...resolved, callback };
  if (left >= 0) call.ignored = ignoredArgument(method, left, args[left]);
  return call;
}

/** Why an argument analytics.js would leave out is a mistake, and what to do. */
function ignoredArgument(method, index, value) {
  const expected = {
    track: 'track(event, properties, options)',
    page: 'page(category, name, properties, options)',
    identify: 'identify(userId, traits, options)',
    group: 'group(groupId, traits, options)',
  }[method];
  return `${method}'s argument ${index + 1}, ${shown(value)}, is not one analytics.js reads (it would leave it out): call ${expected}`;
}

/** An argument as a message shows it: a string quoted, a number, else what it is. */
function shown(value) {
  if (typeof value === 'string') return JSON.stringify(value);
  if (typeof value === 'number') return String(value);
  if (Array.isArray(value)) return 'an array';
  return typeof value === 'object' ? 'an object' : `a ${typeof value}`;
}

/**
 * `track(event, properties?, options?)` or `track({ event, properties }, options?)`, whose
 * options come third when the callback is second.
 * @param {any[]} args
 */
function resolveTrack([event, properties, options]) {
  if (isObject(event)) {
    const at = typeof properties === 'function' ? 2 : 1;
    const given = at === 1 ? properties : options;
    const optionsGiven = typeof given !== 'function';
    return {
      name: typeof event.event === 'string' ? event.event : null,
      payload: event.properties ?? {},
      options: optionsGiven ? (given ?? {}) : {},
      used: optionsGiven ? [0, at] : [0],
    };
  }
  const optionsGiven = typeof options !== 'function';
  return {
    name: typeof event === 'string' ? event : null,
    payload: isObject(properties) ? properties : {},
    options: optionsGiven ? (options ?? {}) : {},
    used: [0, ...(isObject(properties) ? [1] : []), ...(optionsGiven ? [2] : [])],
  };
}

/**
 * `page` takes up to two strings (a name, or a category and a name) and up to two objects
 * (the properties, then the options), in any of their legacy positions.
 */
function resolvePage(args) {
  const given = args.slice(0, 5);
  const positions = (test) => given.flatMap((arg, i) => (test(arg) ? [i] : []));
  const strings = positions((arg) => typeof arg === 'string');
  /** @type {Record<string, number>} the arguments' positions, by what they are */
  let at = {};
  if (strings.length === 1) at = { name: typeof given[1] === 'string' ? 1 : strings[0] };
  else if (strings.length === 2) {
    if (typeof given[0] === 'string') at.category = 0;
    if (typeof given[1] === 'string') at.name = 1;
  }
  // One object is the properties (or the options, in the fourth place); two are both; more, neither.
  const objects = positions(isObject);
  if (objects.length === 1) {
    if (isObject(given[2])) at.payload = 2;
    else if (isObject(given[3])) at.options = 3;
    else at.payload = objects[0];
  } else if (objects.length === 2) {
    [at.payload, at.options] = objects;
  }
  return {
    category: given[at.category] ?? null,
    name: given[at.name] ?? null,
    payload: given[at.payload] ?? {},
    options: given[at.options] ?? {},
    used: Object.values(at),
  };
}

/**
 * `identify(userId?, traits?, options?)` and `group(groupId?, traits?, options?)`: an id
 * that is a string or a number (made a string), then objects for the traits and options.
 */
function resolveUser(args) {
  const values = {};
  const used = [];
  const order = ['options', 'traits', 'id'];
  for (const [i, arg] of args.entries()) {
    let slot = order.pop();
    if (slot === 'id') {
      if (typeof arg === 'string' || typeof arg === 'number') {
        values.id = String(arg);
        used.push(i);
        continue;
      }
      if (arg === null || arg === undefined) continue;
      slot = order.pop();
    }
    if ((slot === 'traits' || slot === 'options') && (arg === null || arg === undefined || isObject(arg))) {
      values[slot] = arg;
      used.push(i);
    }
    if (typeof arg === 'function') break;
  }
  return { name: values.id ?? null, payload: values.traits ?? {}, options: values.options ?? {}, used };
}

/**
 * The arguments to hand analytics.js for a resolved call whose payload and options are
 * now `payload` and `options` (the snapshots that were validated): one form per method,
 * which analytics-next resolves back to the same call.
 * @param {Resolved} call
 * @param {object} payload
 * @param {object} options
 * @returns {unknown[]}
 */
export function canonicalArguments(call, payload, options) {
  const head = call.method === 'page' ? [call.category ?? null, call.name] : [call.name];
  return call.callback ? [...head, payload, options, call.callback] : [...head, payload, options];
}
