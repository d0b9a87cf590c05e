/**
 * The collector's event store: the events received, oldest first, each checked against
 * the plan when first asked for, and the waits for events still to come. No I/O: the
 * HTTP server records into it, the module's API and the assertions read it.
 *
 * @module trackplan/collector/store
 */

import { containDifferences } from '../../shared/expect.js';

/** @typedef {import('./types.js').ReceivedEvent} ReceivedEvent */
/** @typedef {import('./types.js').BadEvent} BadEvent */
/** @typedef {import('./types.js').EventFilter} EventFilter */

/**
 * The predicate a filter stands for: a function is one; an object matches the events
 * that contain it (`{ type: 'track', properties: { episode_id: 'ep_1' } }`, a deep
 * partial match); no filter matches every event.
 * @template {ReceivedEvent} E
 * @param {import('./types.js').EventFilter<E>} [filter]
 * @returns {(event: E) => boolean}
 */
export function matcher(filter) {
  if (filter === undefined) return () => true;
  if (typeof filter === 'function') return filter;
  if (filter === null || typeof filter !== 'object') {
    throw new TypeError(`trackplan collector: a filter is a function or an object, got ${JSON.stringify(filter)}`);
  }
  return (event) => containDifferences(event, filter).length === 0;
}

/**
 * Creates the store. With a `plan`, the wasm core starts now and `ready` rejects if the
 * plan cannot be used; without one, the embedded plan's core starts when `good()` or
 * `bad()` is first called.
 * @param {object | string} [plan] a Segment plan export, object or JSON text
 */
export function createEventStore(plan) {
  /** @type {ReceivedEvent[]} */
  const received = [];
  /** Pending waits: each told of every event recorded, or of the collector closing. */
  const watchers = new Set();
  const verdicts = createVerdicts(plan);

  return {
    /** Settles once the plan given is in use; rejects, saying why, when it cannot be. */
    ready: verdicts.ready,
    /**
     * Records an event as received: the event's JSON plus `writeKey` and `receivedAt`.
     * @param {object} event
     * @param {string | undefined} writeKey
     * @returns {ReceivedEvent}
     */
    record(event, writeKey) {
      const entry = { ...event, writeKey, receivedAt: new Date().toISOString() };
      received.push(entry);
      verdicts.checkSoon(entry);
      for (const watcher of watchers) watcher.record(entry);
      return entry;
    },
    /**
     * The received events that match `filter`, oldest first (a new array).
     * @param {EventFilter} [filter]
     */
    events: (filter) => received.filter(matcher(filter)),
    /**
     * The received events that follow the plan and match `filter`.
     * @param {EventFilter} [filter]
     */
    good: async (filter) => (await verdicts.split(received)).good.filter(matcher(filter)),
    /**
     * The received events that break the plan and match `filter`, each with its `violations`.
     * @param {import('./types.js').EventFilter<BadEvent>} [filter]
     */
    bad: async (filter) => (await verdicts.split(received)).bad.filter(matcher(filter)),
    /** Forgets the received events; pending waits go on waiting for new ones. */
    reset() {
      received.length = 0;
    },
    /**
     * Tells `watcher.record(entry)` of each event recorded from now on, and
     * `watcher.abort(error)` of the store closing; returns the function that stops it.
     * @param {{ record: (entry: ReceivedEvent) => void, abort: (error: Error) => void }} watcher
     */
    watch(watcher) {
      watchers.add(watcher);
      return () => watchers.delete(watcher);
    },
    /** Aborts every pending wait with `error`. */
    abort(error) {
      for (const watcher of [...watchers]) watcher.abort(error);
    },
  };
}

/**
 * The received events' verdicts against the plan, each computed once: started now with a
 * `plan`, else (the embedded plan) on the first `split`.
 * @param {object | string} [plan]
 */
function createVerdicts(plan) {
  /** @type {WeakMap<object, { ok: boolean, violations: object[] }>} */
  const verdicts = new WeakMap();
  let planCheck = plan === undefined ? null : startPlanCheck(plan);
  return {
    ready: planCheck ?? Promise.resolve(),
    /** Checks `entry` as soon as the plan's core is ready, when it has started. */
    checkSoon(entry) {
      planCheck?.then((check) => verdicts.set(entry, check(entry)), () => {});
    },
    /**
     * `entries` split by the plan check: `{ good, bad }`, bad with `violations`.
     * @param {ReceivedEvent[]} entries
     */
    async split(entries) {
      planCheck ??= startPlanCheck();
      const check = await planCheck;
      /** @type {ReceivedEvent[]} */
      const good = [];
      /** @type {BadEvent[]} */
      const bad = [];
      for (const entry of entries) {
        let verdict = verdicts.get(entry);
        if (!verdict) verdicts.set(entry, (verdict = check(entry)));
        const { ok, violations } = verdict;
        if (ok) good.push(entry);
        else bad.push({ ...entry, violations });
      }
      return { good, bad };
    },
  };
}

/** Loads the wasm core only now: importing the collector does not. */
async function startPlanCheck(plan) {
  const { createPlanCheck } = await import('../plan-check.js');
  return createPlanCheck(plan);
}
