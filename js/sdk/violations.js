/**
 * What happens around a violation besides the verdict: the page's `onViolation`
 * callback and the quarantine source that receives blocked events. `createTracker`
 * imports this module, while its core starts, only for a tracker given either: a page
 * that uses neither never fetches it.
 *
 * The module imports nothing (the quarantine source's delivery is handed to it): a lazy
 * module that imported the shim's modules would make bundlers move them into a chunk of
 * their own, which every page would then fetch.
 *
 * @module trackplan/violations
 */

/** Violation kinds whose call cannot reach Segment intact, so it is not quarantined. */
const UNSENDABLE = ['invalid_input', 'size'];

/**
 * What a tracker does with each validated call besides returning its verdict: a blocked
 * call goes to the quarantine source (when there is one and Segment accepts its
 * payload), then a call with a violation is reported to `onViolation` (when given) as
 * `{ call: { type, args }, violations, action, verdict }`.
 * @param {((report: object) => void) | undefined} onViolation
 * @param {{ sendMarked: (method: string, args: unknown[], mark: object) => void } | null} quarantine
 *   the quarantine source's delivery (see `delivery.js`)
 * @returns {(method: string, args: unknown[], verdict: object) => void}
 */
export function violationHandler(onViolation, quarantine) {
  return (method, args, verdict) => {
    if (quarantine && quarantinable(verdict)) quarantine.sendMarked(method, args, quarantineMark(verdict));
    if (onViolation && !verdict.ok) {
      // A copy: the quarantine source holds `args` until analytics.js sends them.
      const copy = args.map((arg) => (arg !== null && typeof arg === 'object' ? structuredClone(arg) : arg));
      reportViolation(onViolation, { call: { type: method, args: copy }, violations: verdict.violations, action: verdict.action, verdict });
    }
  };
}

/**
 * Calls the page's `onViolation(report)`; an exception inside it is logged, never
 * propagated into the call that caused it.
 * @param {(report: object) => void} onViolation
 * @param {{ call: { type: string, args: unknown[] }, violations: object[], action: string, verdict: object }} report
 */
function reportViolation(onViolation, report) {
  try {
    onViolation(report);
  } catch (error) {
    console.error('trackplan: onViolation threw; the call was not affected.', error);
  }
}

/**
 * Whether a blocked call goes to the quarantine source: it was blocked, and its
 * payload is data Segment accepts (not `invalid_input`, not over the size limit).
 * @param {{ action: string, violations: Array<{ kind: string }> }} verdict
 */
function quarantinable(verdict) {
  return verdict.action === 'blocked' && !verdict.violations.some((v) => UNSENDABLE.includes(v.kind));
}

/**
 * The `context.trackplan` a quarantined call carries: why it was blocked.
 * @param {{ violations: Array<{ kind: string, path: string, message: string }> }} verdict
 */
function quarantineMark(verdict) {
  return {
    validated: true,
    blocked: true,
    violations: verdict.violations.map(({ kind, path, message }) => ({ kind, path, message })),
  };
}
