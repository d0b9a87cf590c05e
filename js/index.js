/**
 * The package's entry: the browser SDK bound to the package's demo plan
 * (`plan/default.json`), for the demo, the tests and trying trackplan out. Validate
 * against your own plan by importing from the directory `npx trackplan build` writes.
 *
 * @module trackplan
 */

export * from './demo/index.js';
