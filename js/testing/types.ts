/**
 * The types of `trackplan/testing`; types only, no runtime code. `createTestTracker` is
 * declared by the JSDoc of `helpers.js`, checked against these (see `scripts/types.js`).
 * The Tracker, Verdict and Policy types are those of the SDK (`trackplan`).
 *
 * @module trackplan/testing/types
 */
import type { CallRecord, Policy, Tracker } from '../sdk/types.js';

/** One captured call: its arguments, its verdict, and what was handed to analytics.js. */
export type CapturedCall = CallRecord;

/** A tracker in the `test` environment that loads nothing, sends nothing and captures every call. */
export interface TestTracker extends Tracker {
  /** Every captured call, oldest first. */
  all(): CapturedCall[];
  /** The captured calls of one type. */
  ofType(type: CapturedCall['type']): CapturedCall[];
  /** The first captured call of a type. */
  firstOfType(type: CapturedCall['type']): CapturedCall | undefined;
  /** The captured track calls of an event. */
  find(event: string): CapturedCall[];
  /** Forgets the captured calls and ends the identify session, as {@link Tracker.reset} does. */
  reset(): void;
  /**
   * The first track call of `event` handed to analytics.js whose properties contain
   * `properties`; throws with a diff against the closest captured call when none does.
   */
  expectTracked(event: string, properties?: Record<string, unknown>): CapturedCall;
}

/** Options of {@link createTestTracker}. */
export interface TestTrackerOptions {
  /**
   * A plan to use instead of the embedded one (any Segment export, object or JSON text);
   * read by the full core.
   */
  plan?: object | string;
  /** Fields overriding the test policy (which throws a TrackingPlanError on violation). */
  policy?: Partial<Policy>;
  /**
   * Where to load the default core's wasm from (as for createTracker): unused here, as
   * the test environment runs the full core; kept for compatibility.
   */
  wasm?: string | URL | BufferSource | WebAssembly.Module;
  /** Where to load the full core's wasm from (as for createTracker): the test environment's core. */
  fullWasm?: string | URL | BufferSource | WebAssembly.Module;
}

