/**
 * Assertions on what a collector received: wait for an event that matches, or expect a
 * track event with given properties, with a diff against the closest received event when
 * it does not come. Both look at the events already received, then at those arriving,
 * until a timeout.
 *
 * @module trackplan/collector/assertions
 */

import { AssertionError } from 'node:assert';
import { closest, label, missMessage, trackDifferences } from '../../shared/expect.js';
import { matcher } from './store.js';

/** How long `waitFor` and `expectReceived` wait by default, in milliseconds. */
export const DEFAULT_TIMEOUT = 5000;

/** Received events a timeout message names before it says how many more there were. */
const LISTED = 10;

/**
 * Resolves with the first event that matches `filter`, already received or arriving
 * within `timeout` ms; otherwise rejects with a `TimeoutError` saying what was received.
 * Also rejects when the collector closes first, or when the filter throws.
 * @param {ReturnType<import('./store.js').createEventStore>} store
 * @param {import('./types.js').EventFilter} filter a predicate, or an object the
 *   event must contain (see `matcher`)
 * @param {import('./types.js').WaitOptions} [options]
 * @returns {Promise<import('./types.js').ReceivedEvent>}
 */
export function waitFor(store, filter, { timeout = DEFAULT_TIMEOUT } = {}) {
  let matches;
  let found;
  try {
    matches = matcher(filter);
    found = store.events().find(matches);
  } catch (error) {
    return Promise.reject(error);
  }
  if (found) return Promise.resolve(found);
  return new Promise((resolve, reject) => {
    const finish = (settle, value) => {
      clearTimeout(timer);
      stop();
      settle(value);
    };
    const stop = store.watch({
      record(entry) {
        try {
          if (matches(entry)) finish(resolve, entry);
        } catch (error) {
          finish(reject, error);
        }
      },
      abort: (error) => finish(reject, error),
    });
    const timer = setTimeout(() => finish(reject, timeoutError(store.events(), filter, timeout)), timeout);
  });
}

/**
 * Resolves with the first received track event named `event` whose properties contain
 * `properties` (a deep partial match), waiting up to `timeout` ms for it; otherwise
 * rejects with an `AssertionError` whose message diffs the closest received event
 * against what was expected.
 * @param {ReturnType<import('./store.js').createEventStore>} store
 * @param {string} event
 * @param {Record<string, unknown>} [properties]
 * @param {import('./types.js').WaitOptions} [options]
 * @returns {Promise<import('./types.js').ReceivedEvent>}
 */
export async function expectReceived(store, event, properties = {}, { timeout = DEFAULT_TIMEOUT } = {}) {
  const differencesOf = (entry) => trackDifferences(entry, entry.properties, event, properties);
  try {
    return await waitFor(store, (entry) => differencesOf(entry).length === 0, { timeout });
  } catch (error) {
    if (error.name !== 'TimeoutError') throw error;
    const items = store.events();
    const message = missMessage({
      prefix: 'trackplan collector',
      event,
      properties,
      items,
      noun: 'event',
      verb: 'received',
      differencesOf,
      within: ` within ${timeout} ms`,
    });
    const nearest = items.length > 0 ? closest(items, event, differencesOf).item : undefined;
    throw new AssertionError({ message, actual: nearest?.properties, expected: properties, operator: 'expectReceived' });
  }
}

/** The error of a wait that timed out, naming the events received. */
function timeoutError(events, filter, timeout) {
  const what = typeof filter === 'function' ? 'the predicate' : JSON.stringify(filter);
  const names = events.slice(0, LISTED).map(label);
  if (events.length > LISTED) names.push(`and ${events.length - LISTED} more`);
  const received = events.length === 0 ? 'nothing was received' : `${events.length} received: ${names.join(', ')}`;
  const error = new Error(`trackplan collector: no received event matched ${what} within ${timeout} ms; ${received}`);
  error.name = 'TimeoutError';
  return error;
}
