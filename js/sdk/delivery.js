/**
 * Delivery to analytics.js: load it, queue calls until it is ready, carry calls over a
 * navigation, never throw.
 *
 * The wasm core hands every call its policy lets through to a delivery, which forwards
 * it to analytics-next once loaded. Before that, calls wait in a bounded queue, in order,
 * and are replayed exactly once; if analytics.js cannot load (ad blocker, CDN down,
 * settings 404) or does not within `loadTimeout`, they are dropped and the tracker
 * reports `unavailable`.
 *
 * A page being left drops what analytics-next has not sent yet: its events wait in
 * promise chains and timers, which die with the page. So, with a write key and
 * `sessionStorage`, every call is handed over with a message id, and when the page is
 * hidden for good, the calls still queued and those analytics.js has not settled are
 * carried over to the next page of the same origin (see `carryover.js`), which replays
 * them once loaded, but for those analytics-next persisted and replays itself.
 *
 * @module trackplan/delivery
 */

import {
  analyticsMessageIds,
  browserStorage,
  carryOver,
  isCarriable,
  newMessageId,
  optionsIndex,
  pageContext,
  readableCopy,
  takeBack,
  takeCarried,
  withOptions,
} from './carryover.js';
import { newId } from './ids.js';

/** Default bound of the queue of calls made before analytics.js is ready. */
export const DEFAULT_QUEUE_SIZE = 1000;
/** Default time analytics.js (its settings request, then its code) has to load, in ms. */
export const DEFAULT_LOAD_TIMEOUT = 10_000;
/** Where analytics-next asks for its settings unless `segment.settings.cdnURL` says otherwise. */
const SEGMENT_CDN = 'https://cdn.segment.com';

/**
 * What a page's deliveries carry calls over a navigation with: its `sessionStorage`,
 * analytics-next's `localStorage` and the window; null outside a browser or where
 * `sessionStorage` cannot be used.
 * @returns {{ storage: Storage, analyticsStorage: Storage | null, target: EventTarget } | null}
 */
export function browserCarry() {
  const storage = browserStorage('sessionStorage');
  const target = globalThis.window;
  return storage && target ? { storage, analyticsStorage: browserStorage('localStorage'), target } : null;
}

/**
 * A delivery: forwards calls to analytics.js, queueing them until it is ready. Nothing
 * loads until `start()`: then the `analytics` instance given is used, or, with a write
 * key, `load(settings, options)` (by default analytics-next's `AnalyticsBrowser.load`)
 * resolves with one, within `loadTimeout` ms or the delivery is `unavailable`. With a
 * write key and `carry` (by default the browser's, see {@link browserCarry}), calls
 * are carried over navigations.
 * @param {{ writeKey: string | null, environment: string, analytics?: object,
 *           segment?: { settings?: object, options?: object }, queueSize?: number,
 *           loadTimeout?: number, load?: (settings: object, options?: object) => Promise<object>,
 *           carry?: ReturnType<typeof browserCarry> }} options
 */
export function createDelivery({
  writeKey,
  environment,
  analytics,
  segment,
  queueSize = DEFAULT_QUEUE_SIZE,
  loadTimeout = DEFAULT_LOAD_TIMEOUT,
  load = loadAnalytics,
  carry = browserCarry(),
}) {
  const carried = Boolean(writeKey && carry);
  const state = {
    status: /** @type {'loading' | 'ready' | 'unavailable'} */ ('loading'),
    queue: [],
    analytics,
    queueSize,
    droppedFromQueue: 0,
    // Calls handed to analytics.js and not settled by it, by message id (when carried).
    held: carried ? new Map() : null,
    carry: carried ? { ...carry, writeKey, theirs: new Set() } : null,
  };
  const ready = new Promise((resolve) => {
    state.settle = resolve;
  });
  return {
    /** `loading`, `ready` or `unavailable`. */
    get status() {
      return state.status;
    },
    /** How many calls the bounded queue dropped, oldest first. */
    get droppedFromQueue() {
      return state.droppedFromQueue;
    },
    /** Settles when analytics.js has loaded or failed to; never rejects. */
    ready,
    /** What a call the policy lets through becomes now: `sent`, `queued` or `dropped`. */
    get action() {
      if (state.status === 'ready') return writeKey || state.analytics ? 'sent' : 'dropped';
      return state.status === 'loading' ? 'queued' : 'dropped';
    },
    /** Starts loading analytics.js (or uses the instance given). */
    start: () => start(state, { writeKey, environment, segment, load, loadTimeout }),
    /** Forwards a call now, queues it, or drops it, depending on the status. */
    send: (method, args) => send(state, method, args),
    /**
     * Sends a call with `context.trackplan` set to `mark` in a copy of its options (the
     * page's objects are not changed; options that cannot be read are replaced).
     * @param {string} method
     * @param {unknown[]} args
     * @param {object} mark
     */
    sendMarked(method, args, mark) {
      send(state, method, withOptions(method, args, (options) => ({ ...options, context: { ...readableCopy(options.context), trackplan: mark } })));
    },
  };
}

/** Starts the delivery: watches navigations, then loads analytics.js or uses the one given. */
function start(state, { writeKey, environment, segment, load, loadTimeout }) {
  if (state.carry) watchNavigation(state);
  if (state.analytics) return become(state, 'ready');
  if (!writeKey) {
    console.info(
      `trackplan: no write key for the ${environment} environment; calls are validated but nothing is sent. ` +
        `Set writeKeys.${environment} to send.`,
    );
    return become(state, 'ready');
  }
  startLoading(state, { writeKey, segment, load, loadTimeout });
}

/**
 * Loads analytics.js: `ready` when it resolves, `unavailable` when it rejects or has not
 * resolved within `loadTimeout` ms (a settings request that never answers); what it
 * resolves with after that is not used. What analytics-next persisted is read first, as
 * it takes it when it loads.
 */
function startLoading(state, { writeKey, segment, load, loadTimeout }) {
  if (state.carry) state.carry.theirs = analyticsMessageIds(state.carry.analyticsStorage, writeKey);
  // setTimeout fires at once for a delay of 2^31 ms or more: such a timeout is none.
  const timer =
    loadTimeout < 2 ** 31
      ? setTimeout(() => {
          if (state.status !== 'loading') return;
          const url = `${segment?.settings?.cdnURL ?? SEGMENT_CDN}/v1/projects/${writeKey}/settings`;
          console.warn(
            `trackplan: analytics.js did not load within ${loadTimeout / 1000} s (${url} did not answer); ` +
              'calls are validated but not sent. Set loadTimeout to wait longer.',
          );
          become(state, 'unavailable');
        }, loadTimeout)
      : undefined;
  const settled = (status, loaded) => {
    clearTimeout(timer);
    if (state.status !== 'loading') return;
    state.analytics = loaded;
    become(state, status);
  };
  load({ ...segment?.settings, writeKey }, segment?.options).then(
    (loaded) => settled('ready', loaded),
    (error) => {
      if (state.status === 'loading') console.warn('trackplan: analytics.js could not load; calls are validated but not sent.', error);
      settled('unavailable');
    },
  );
}

/**
 * Sets the status and settles `ready`; once ready, replays the calls an earlier page
 * carried over, then the queue, in order.
 */
function become(state, status) {
  state.status = status;
  const queued = state.queue;
  state.queue = [];
  if (status === 'ready') {
    const { carry } = state;
    const carried = carry ? takeCarried(carry.storage, carry.writeKey, carry.theirs) : [];
    for (const [method, args] of [...carried, ...queued]) forward(state, method, args);
  }
  state.settle();
}

/** Forwards a call now, queues it, or drops it, depending on the status. */
function send(state, method, args) {
  if (state.status === 'ready') return forward(state, method, args);
  if (state.status === 'loading') enqueue(state, method, args);
}

/** Queues a call with the time it was made; when the queue is full, the oldest goes. */
function enqueue(state, method, args) {
  if (state.queue.length >= state.queueSize) {
    state.queue.shift();
    if (++state.droppedFromQueue === 1) {
      console.warn(
        `trackplan: more than ${state.queueSize} calls before analytics.js was ready; the oldest are dropped ` +
          '(see tracker.droppedBeforeReady).',
      );
    }
  }
  state.queue.push([method, args, Date.now()]);
}

/**
 * Hands a call to analytics.js, with a message id when calls are carried: what it
 * throws is logged, what it rejects with ignored.
 */
function forward(state, method, args) {
  if (!state.analytics) return;
  const call = state.held && isCarriable(method) ? withOptions(method, args, (options) => ({ ...options, messageId: options.messageId ?? newMessageId() })) : args;
  try {
    const result = state.analytics[method](...call);
    if (result && typeof result.then === 'function') hold(state, method, call, result);
  } catch (error) {
    console.warn(`trackplan: analytics.${method} threw`, error);
  }
}

/**
 * Keeps a call analytics.js returned a promise for until it settles (at most as many
 * calls as the queue holds, the newest), so that it can be carried over a navigation.
 */
function hold(state, method, call, result) {
  if (!state.held || !isCarriable(method)) return result.then(undefined, () => {});
  const id = call[optionsIndex(method)].messageId;
  state.held.set(id, [method, call, Date.now()]);
  if (state.held.size > state.queueSize) state.held.delete(state.held.keys().next().value);
  const release = () => state.held.delete(id);
  result.then(release, release);
}

/**
 * Carries calls over navigations: when the page is hidden, the queued calls and, if it
 * is not kept in the back/forward cache, those analytics.js holds (a page kept there
 * sends them itself if it comes back, and loses them otherwise); when it comes back
 * from that cache, takes its entry back, or drops from its queue what another page
 * took and replayed.
 */
function watchNavigation(state) {
  const { storage, writeKey, target } = state.carry;
  let written = null;
  target.addEventListener('pagehide', (event) => {
    written = null;
    const queued = state.status === 'loading' ? state.queue : [];
    const calls = (event.persisted ? queued : [...queued, ...state.held.values()]).filter(([method]) => isCarriable(method));
    if (!calls.length) return;
    const entry = { id: newId(), page: pageContext(), calls };
    const count = carryOver(storage, writeKey, entry, state.queueSize);
    if (count) written = { id: entry.id, calls: new Set(calls.slice(calls.length - count)) };
  });
  target.addEventListener('pageshow', (event) => {
    if (!event.persisted || !written) return;
    const { id, calls } = written;
    written = null;
    if (!takeBack(storage, writeKey, id)) state.queue = state.queue.filter((call) => !calls.has(call));
  });
}

/** Imports analytics-next and loads it: resolves with the analytics instance. */
async function loadAnalytics(settings, options) {
  const { AnalyticsBrowser } = await import('@segment/analytics-next');
  const [analytics] = await AnalyticsBrowser.load(settings, options);
  return analytics;
}
