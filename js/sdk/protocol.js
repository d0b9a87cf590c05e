// Generated from src/protocol.rs by `cargo run --example protocol`: do not edit.
// What the shim and the wasm cores agree on; see src/protocol.rs for what each means.
// A module without imports, so that bundlers put the numbers where they are used.

export const VERSION = '0.1.0';
export const PLAN_SECTION = 'trackplan.plan';
export const VERDICT_OK = 1;
export const VERDICT_BLOCKED = 2;
export const VERDICT_DETAILS = 4;
export const VERDICT_CHANGED = 8;
export const VERSION_SHIFT = 8;
export const FLAG_HAS_NAME = 1;
export const FLAG_PAYLOAD_ERROR = 2;
export const FLAG_DRY_RUN = 4;
export const FLAG_QUEUED = 8;
export const FLAG_DROPPED = 16;
export const REPORT_VERDICT = 0;
export const REPORT_ADDED = 1;
export const REPORT_HISTORY = 2;
export const REPORT_PLAN = 3;
export const REPORT_SETTINGS = 4;
export const REPORT_TASK_END = 5;
export const TAG_NULL = 0;
export const TAG_FALSE = 1;
export const TAG_TRUE = 2;
export const TAG_NUMBER = 3;
export const TAG_STRING = 4;
export const TAG_ARRAY = 5;
export const TAG_OBJECT = 6;
export const MAX_DEPTH = 256;
export const MAX_PAYLOAD_BYTES = 30720;
export const ENVIRONMENTS = ['production', 'staging', 'development', 'test'];
export const CALL_KINDS = ['track', 'identify', 'page', 'group'];
export const POLICY_FIELDS = {
  unplannedEvents: ['allow', 'block'],
  unplannedProperties: ['allow', 'omit'],
  violations: ['allow', 'block', 'omit_properties'],
  throwOnViolation: [true, false],
  forwardViolations: [true, false],
  identify: ['always', 'changed'],
};
