/**
 * What happens around a violation besides the verdict: the page's `onViolation`
 * callback and the quarantine source that receives blocked events.
 *
 * @module trackplan/violations
 */

/** Violation kinds whose call cannot reach Segment intact, so it is not quarantined. */
const UNSENDABLE = ['invalid_input', 'size'];

/**
 * Calls the page's `onViolation(report)`; an exception inside it is logged, never
 * propagated into the call that caused it.
 * @param {(report: object) => void} onViolation
 * @param {{ call: { type: string, args: unknown[] }, violations: object[], action: string, verdict: object }} report
 */
export function reportViolation(onViolation, report) {
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
export function quarantinable(verdict) {
  return verdict.action === 'blocked' && !verdict.violations.some((v) => UNSENDABLE.includes(v.kind));
}

/**
 * The `context.trackplan` a quarantined call carries: why it was blocked.
 * @param {{ violations: Array<{ kind: string, path: string, message: string }> }} verdict
 */
export function quarantineMark(verdict) {
  return {
    validated: true,
    blocked: true,
    violations: verdict.violations.map(({ kind, path, message }) => ({ kind, path, message })),
  };
}
