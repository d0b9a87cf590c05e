/**
 * Calls carried over a navigation. When a page is hidden for good, what its delivery
 * still holds (calls queued before analytics.js was ready, and calls handed to it that it
 * has not settled) is written to `sessionStorage` under the write key; the next page of
 * the same origin and tab whose delivery has that write key takes it, once, and replays
 * it with its message ids, timestamps and page context. A page that comes back from the
 * back/forward cache takes its entry back if no page took it first, and otherwise lets go
 * of what that page replayed.
 *
 * @module trackplan/carryover
 */

import { newId } from './ids.js';

/** Where a write key's carried calls are kept in `sessionStorage`. */
export const CARRYOVER_PREFIX = 'trackplan:carryover:v1:';
/** Most characters of JSON a write key's carried calls may take in storage. */
export const CARRYOVER_CHARS = 1_000_000;
/** The methods a carried call may have; anything else in storage is ignored. */
const METHODS = new Set(['track', 'identify', 'page', 'group']);
/** analytics-next's own persisted queues of a write key, whose calls it replays itself. */
const ANALYTICS_QUEUES = ['event-queue', 'dest-Segment.io'];

/**
 * The browser's `sessionStorage` or `localStorage`, or null where there is none or it
 * cannot be used (a sandboxed frame, storage blocked).
 * @param {'sessionStorage' | 'localStorage'} name
 * @returns {Storage | null}
 */
export function browserStorage(name) {
  try {
    return globalThis[name] ?? null;
  } catch {
    return null;
  }
}

/** Whether calls of `method` are carried over a navigation (`reset` and the like are not). */
export function isCarriable(method) {
  return METHODS.has(method);
}

/** Where a call's options are among its arguments. */
export function optionsIndex(method) {
  return method === 'page' ? 3 : 2;
}

/**
 * A copy of a call's arguments whose options (copied, the others kept) are `extend`
 * applied to them: arguments missing before the options become undefined.
 * @param {string} method
 * @param {unknown[]} args
 * @param {(options: object) => object} extend given a readable copy of the options
 */
export function withOptions(method, args, extend) {
  const at = optionsIndex(method);
  const copy = [...args];
  copy[at] = extend(readableCopy(args[at]));
  return copy;
}

/** A shallow copy of `value`'s own properties; `{}` when it is not an object or cannot be read. */
export function readableCopy(value) {
  if (!value || typeof value !== 'object') return {};
  try {
    return { ...value };
  } catch {
    return {};
  }
}

/** A new message id, as analytics-next would make one (`ajs-next-` time and a random part). */
export function newMessageId() {
  return `ajs-next-${Date.now()}-${newId()}`;
}

/**
 * Writes a page's carried calls as one more entry of the write key's, keeping the newest
 * calls of all entries within `limit` calls and {@link CARRYOVER_CHARS} characters. Each
 * call keeps its message id and the time it was made (`at`), and loses a callback; the
 * entry's calls must all be {@link isCarriable}.
 * @param {Storage} storage
 * @param {string} writeKey
 * @param {{ id: string, page: object, calls: [string, unknown[], number][] }} entry
 * @param {number} limit
 * @returns {number} how many of the entry's calls were written, the newest (0 when storage refused)
 */
export function carryOver(storage, writeKey, entry, limit) {
  const key = CARRYOVER_PREFIX + writeKey;
  let room = CARRYOVER_CHARS;
  let count = limit;
  const fits = ([, size]) => (room -= size) >= 0 && count-- > 0;
  // The newest first: this page's calls, from its last, then older entries' likewise.
  const fresh = keepNewest(entry.calls.map(([method, args, at]) => storedCall(method, args, at)), fits);
  const entries = [{ id: entry.id, page: entry.page, calls: fresh }];
  for (const older of readEntries(storage, key).reverse()) {
    const rest = keepNewest(older.calls, fits);
    if (rest.length) entries.unshift({ ...older, calls: rest });
  }
  try {
    storage.setItem(key, JSON.stringify(entries));
    return fresh.length;
  } catch {
    return 0;
  }
}

/** The newest of `calls` that `fits` accepts (given each with its size), counted from the last. */
function keepNewest(calls, fits) {
  let first = calls.length;
  while (first > 0 && fits([calls[first - 1], JSON.stringify(calls[first - 1]).length])) first -= 1;
  return calls.slice(first);
}

/** A call as stored: its data arguments, and options with a message id and timestamp. */
function storedCall(method, args, at) {
  const data = withOptions(method, args.slice(0, optionsIndex(method) + 1), (options) => ({
    ...options,
    messageId: options.messageId ?? newMessageId(),
    timestamp: options.timestamp ?? new Date(at).toISOString(),
  }));
  return [method, data];
}

/**
 * Takes the write key's carried calls out of storage (they are removed: a call is taken
 * once), oldest first, each with its page's context as analytics-next's last argument
 * (its "buffered page context", so that it is attributed to the page it was made on),
 * but for the calls whose message id is in `theirs` (see {@link analyticsMessageIds}).
 * Entries that cannot be read are dropped.
 * @param {Storage} storage
 * @param {string} writeKey
 * @param {Set<string>} theirs
 * @returns {[string, unknown[]][]}
 */
export function takeCarried(storage, writeKey, theirs) {
  const key = CARRYOVER_PREFIX + writeKey;
  const entries = readEntries(storage, key);
  if (!entries.length) return [];
  try {
    storage.removeItem(key);
  } catch {
    return [];
  }
  // JSON wrote the arguments missing before the options as null: undefined again.
  const restored = (args) => args.map((arg) => arg ?? undefined);
  return entries.flatMap(({ page, calls }) =>
    calls
      .filter(([method, args]) => !theirs.has(args[optionsIndex(method)].messageId))
      .map(([method, args]) => /** @type {[string, unknown[]]} */ ([method, [...restored(args), page]])),
  );
}

/**
 * Removes this page's entry (`id`) from storage if it is still there: true then, false
 * when another page has taken it (and so replayed its calls).
 * @param {Storage} storage
 * @param {string} writeKey
 * @param {string} id
 */
export function takeBack(storage, writeKey, id) {
  const key = CARRYOVER_PREFIX + writeKey;
  const entries = readEntries(storage, key);
  const others = entries.filter((entry) => entry.id !== id);
  if (others.length === entries.length) return false;
  try {
    if (others.length) storage.setItem(key, JSON.stringify(others));
    else storage.removeItem(key);
  } catch {
    // Left as it is: the next page replays it, and this one lets go of it.
    return false;
  }
  return true;
}

/**
 * The entries stored under `key` whose every part is as written; none when there are
 * none, or the text is not theirs (it is then removed).
 * @returns {{ id: string, page: object, calls: [string, any[]][] }[]}
 */
function readEntries(storage, key) {
  let text;
  try {
    text = storage.getItem(key);
  } catch {
    return [];
  }
  if (text === null) return [];
  try {
    const entries = JSON.parse(text);
    if (Array.isArray(entries) && entries.every(isEntry)) return entries;
  } catch {
    // Not JSON: dropped below.
  }
  try {
    storage.removeItem(key);
  } catch {
    // Nothing more to do: it is ignored.
  }
  return [];
}

/** Whether `entry` is a carried entry as {@link carryOver} writes it. */
function isEntry(entry) {
  return (
    entry !== null &&
    typeof entry === 'object' &&
    typeof entry.id === 'string' &&
    entry.page !== null &&
    typeof entry.page === 'object' &&
    Array.isArray(entry.calls) &&
    entry.calls.every(
      (call) =>
        Array.isArray(call) &&
        METHODS.has(call[0]) &&
        Array.isArray(call[1]) &&
        typeof call[1][optionsIndex(call[0])]?.messageId === 'string',
    )
  );
}

/**
 * The message ids of the events analytics-next persisted for `writeKey` when a page was
 * hidden (in `localStorage`), which it replays itself once loaded with that write key:
 * to be read before it loads, as it removes them then.
 * @param {Storage | null} analyticsStorage
 * @param {string} writeKey
 * @returns {Set<string>}
 */
export function analyticsMessageIds(analyticsStorage, writeKey) {
  const ids = new Set();
  for (const queue of ANALYTICS_QUEUES) {
    try {
      const items = JSON.parse(analyticsStorage?.getItem(`persisted-queue:v1:${writeKey}:${queue}:items`) ?? '[]');
      for (const item of Array.isArray(items) ? items : []) ids.add(item?.event?.messageId);
    } catch {
      // Not analytics-next's: nothing of it is left to it.
    }
  }
  return ids;
}

/**
 * The page's context as analytics-next takes it as a call's last argument (its
 * "buffered page context"), so that a replayed call is attributed to the page it was
 * made on.
 * @returns {{ __t: 'bpc', c?: string, p: string, u: string, s: string, t: string, r: string }}
 */
export function pageContext() {
  const canonical = globalThis.document?.querySelector?.("link[rel='canonical']")?.getAttribute('href') ?? undefined;
  const { href = '', search = '', pathname = '' } = globalThis.location ?? {};
  const { title = '', referrer = '' } = globalThis.document ?? {};
  return { __t: 'bpc', c: canonical, p: pathname, u: href, s: search, t: title, r: referrer };
}
