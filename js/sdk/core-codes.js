/**
 * The numbers the shim and the wasm core agree on (`src/bindings/tracker.rs`): what the
 * core's `report` reads, the bits of the result code of its `check` and the flags `check`
 * takes.
 *
 * They are in a module that imports nothing so that bundlers (esbuild, at least) put the
 * numbers themselves where they are used: constants of a module with imports stay
 * variables.
 *
 * @module trackplan/core-codes
 */

/** What the core's `report` reads (`REPORT_*`). */
export const REPORT_VERDICT = 0;
export const REPORT_ADDED = 1;
export const REPORT_HISTORY = 2;
export const REPORT_PLAN = 3;
export const REPORT_SETTINGS = 4;
export const REPORT_TASK_END = 5;

/** Result code bits of the core's `check`. */
export const VERDICT_OK = 1;
export const VERDICT_BLOCKED = 2;
export const VERDICT_DETAILS = 4;
export const VERDICT_CHANGED = 8;

/** `check` flags. */
export const HAS_NAME = 1;
export const PAYLOAD_ERROR = 2;
export const DRY_RUN = 4;
export const QUEUED = 8;
export const DROPPED = 16;
