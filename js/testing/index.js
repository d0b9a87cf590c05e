/**
 * `trackplan/testing`: the test helpers bound to the package's demo plan. A plan of your
 * own has its own, in the `testing.js` that `npx trackplan build` writes.
 *
 * @module trackplan/testing
 */

export { createTestTracker } from '../demo/testing.js';
