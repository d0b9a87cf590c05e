/**
 * Test helpers, not bound to a plan: a tracker for unit and browser tests that loads
 * nothing, sends nothing and captures every call, with one-line assertions. The
 * `testing.js` that `trackplan build` writes binds them to its plan (and
 * `trackplan/testing` to the package's demo plan):
 *
 *     import { createTestTracker } from './generated/testing.js';
 *     const t = await createTestTracker();
 *     t.track('call started', { episode_id: 'ep_1', call_id: 'call_1', user_type: 'patient' });
 *     t.expectTracked('call started', { episode_id: 'ep_1' });
 *
 * The environment is `test`, whose default policy throws a `TrackingPlanError` on any
 * violation, so a test that makes a call the plan forbids fails at that call. Pass
 * `policy: { throwOnViolation: false }` to record such calls instead and assert on
 * their verdicts. Works in Node (the wasm is read from disk) and in the browser.
 *
 * @module trackplan/sdk/testing
 */

import { createTracker } from '../sdk/index.js';
import { missMessage, trackDifferences } from '../shared/expect.js';

/** A stand-in for analytics.js: accepts every call and sends nothing. */
const NOTHING_SENT = { track() {}, identify() {}, page() {}, group() {}, reset() {} };

/**
 * A tracker for tests, of the plan `cores` binds it to: environment `test`, nothing
 * loaded or sent, every call captured. Its default policy throws a `TrackingPlanError`
 * at a call that breaks the plan.
 * @param {import('./types.js').TestTrackerOptions} [options]
 *   `plan` replaces the bound plan, `policy` overrides fields of the test policy,
 *   `fullWasm` where to load the full core's wasm from (as for createTracker). The test
 *   environment runs the full core, with its developer advice (hints, "did you mean").
 * @param {import('../sdk/types.js').Cores} [cores] the plan's binding (the `testing.js`
 *   that `trackplan build` writes passes it)
 * @returns {Promise<import('./types.js').TestTracker>}
 */
export async function createTestTracker({ plan, policy, fullWasm } = {}, cores = undefined) {
  /** @type {import('../sdk/types.js').TrackerOptions} */
  const options = { environment: 'test', plan, policy, fullWasm, analytics: NOTHING_SENT, global: false, debug: false };
  const tracker = await createTracker(options, cores);
  /** @type {import('./types.js').CapturedCall[]} */
  const captured = [];
  tracker.onCall((call) => captured.push(call));
  return Object.assign(tracker, helpers(captured, tracker.reset));
}

/**
 * The assertion helpers over the captured calls, oldest first; `endSession` is the
 * tracker's own `reset()`.
 */
function helpers(captured, endSession) {
  return {
    /** Every captured call, oldest first. */
    all: () => captured.slice(),
    /** The captured calls of one type (`track`, `identify`, `page`, `group`). */
    ofType: (type) => captured.filter((call) => call.type === type),
    /** The first captured call of a type, or undefined. */
    firstOfType: (type) => captured.find((call) => call.type === type),
    /** The captured track calls of an event. */
    find: (event) => captured.filter((call) => call.type === 'track' && call.event === event),
    /** Forgets the captured calls and ends the session, as the tracker's `reset()` does. */
    reset: () => {
      endSession();
      captured.length = 0;
    },
    /**
     * Returns the first track call of `event` handed to analytics.js whose properties
     * contain `properties` (a deep partial match: nested objects need only hold the
     * nested properties given). Throws an Error naming the closest captured call and
     * how it differs when there is none.
     * @param {string} event
     * @param {object} [properties]
     */
    expectTracked: (event, properties = {}) => {
      const match = captured.find((call) => call.type === 'track' && call.sent && differences(call, event, properties).length === 0);
      if (match) return match;
      throw new Error(notTrackedMessage(captured, event, properties));
    },
  };
}

/** How a captured call differs from the expected track call, one line (pair) each. */
function differences(call, event, properties) {
  const notes = call.sent ? [] : [`  not handed to analytics.js (${call.action})`];
  return trackDifferences(call, call.sent ?? call.properties, event, properties, notes);
}

/**
 * Why `expectTracked` failed: the closest captured call and how it differs.
 * @param {import('./types.js').CapturedCall[]} captured
 * @param {string} event
 * @param {object} properties
 */
function notTrackedMessage(captured, event, properties) {
  return missMessage({
    prefix: 'trackplan',
    event,
    properties,
    items: captured,
    noun: 'call',
    verb: 'captured',
    differencesOf: (call) => differences(call, event, properties),
    after: (call) => call.violations.map((v) => `\n  violation: ${v.message}`).join(''),
  });
}
