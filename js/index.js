/**
 * The package's entry: the browser SDK (`sdk/index.js`).
 *
 * @module trackplan
 */

export * from './sdk/index.js';
