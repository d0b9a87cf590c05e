/**
 * What the analytics-next plugin (`plugin.js`) does to each event once its core has
 * started: validate it, apply the policy (cancel, omit, forward violations) and report
 * violations. `plugin.js` imports this module in the plugin's `load()`, so a page that
 * never uses the plugin never fetches it.
 *
 * The module imports none of the shim's modules: `plugin.js` hands it the shim's
 * functions it uses. A lazy module that imported the shim's modules would make bundlers
 * move them out of the entry into a chunk shared by both, which every page would then
 * fetch as a file of its own (0.6 KB gzip more than one file, as `tests/weight.test.js`
 * counts it). It imports the page-event split, which only it uses in the browser.
 *
 * @module trackplan/plugin-events
 */

import { plannedPageProperties, splitPageProperties } from '../shared/page-events.js';

/** Marks the `Violation Generated` events the plugin itself sends, so it lets them pass. */
const FORWARDED = 'trackplanForwarded';

/**
 * The shim's functions the plugin's handler uses, from the modules named, in this order
 * (a list, not an object: the entry chunk would carry each name as a key).
 * @typedef {[
 *   SHAPES: typeof import('./calls.js').SHAPES,
 *   checkCall: typeof import('./core.js').checkCall,
 *   createCore: typeof import('./core.js').createCore,
 *   forwardedViolations: typeof import('./core.js').forwardedViolations,
 *   logCall: typeof import('./console.js').logCall,
 *   unvalidated: typeof import('./plugin.js').unvalidated,
 *   report: typeof import('./core.js').report,
 *   REPORT_PLAN: number,
 * ]} PluginShim
 */

/**
 * The plugin's handler of `track`, `identify`, `page` and `group` events, with a core
 * tracker of `CoreTracker` made for `options` in `environment` (never throwing on a
 * violation). Violations are forwarded through `analytics`.
 * @param {PluginShim} shim
 * @param {typeof import('../wasm/trackplan.js').Tracker} CoreTracker either core's class
 * @param {import('../index.js').PluginOptions} options
 * @param {string} environment the resolved environment
 * @param {{ track: Function } | undefined} analytics the instance the plugin was loaded into
 * @returns {Promise<(ctx: object) => object>}
 * @throws {Error} (rejects) for a set-up mistake, as `createCore` does
 */
export async function eventChecker(shim, CoreTracker, options, environment, analytics) {
  const [SHAPES, checkCall, createCore, forwardedViolations, logCall, unvalidated, report, REPORT_PLAN] = shim;
  let core = await createCore(CoreTracker, { ...options, environment, policy: { ...options.policy, throwOnViolation: false } });
  const planned = plannedPageProperties(report(core, REPORT_PLAN));

  /**
   * Runs the event through the core as a call with `args`; null (and the event passes)
   * if the core trapped.
   */
  function callCore(event, args) {
    try {
      return checkCall(core, event.type, args);
    } catch (error) {
      console.warn('trackplan: the validator failed; later events go through unvalidated.', error);
      core = null;
      return null;
    }
  }

  /**
   * Validates `ctx.event`; cancels it when blocked, drops omitted properties and lists
   * them in its context.
   */
  return function check(ctx) {
    const event = ctx.event;
    if (event.context?.[FORWARDED]) {
      delete event.context[FORWARDED];
      return ctx;
    }
    if (!core) return unvalidated(ctx);
    const [leading, field] = SHAPES[event.type];
    const { payload, added } = event.type === 'page' ? splitPageProperties(event, planned) : { payload: { ...event[field] }, added: {} };
    const checked = callCore(event, [...leading.map((name) => event[name]), payload, { context: event.context }]);
    if (!checked) return ctx;
    const { verdict, sent } = checked;
    for (const properties of forwardedViolations(core, verdict)) {
      analytics?.track('Violation Generated', properties, { context: { [FORWARDED]: true } });
    }
    if (!verdict.ok) {
      logCall(verdict, environment, false);
      try {
        options.onViolation?.(verdict);
      } catch (error) {
        console.warn('trackplan: onViolation threw', error);
      }
    }
    if (!sent) {
      // A ContextCancelation of analytics.js's own class, not retried: the event is dropped.
      try {
        ctx.cancel();
      } catch (cancelation) {
        cancelation.retry = false;
        cancelation.type = 'trackplan';
        cancelation.reason = `blocked by the tracking plan: ${verdict.violations.map((v) => v.message).join('; ')}`;
        throw cancelation;
      }
    }
    event[field] = { ...sent[sent.length - 2], ...added };
    // The context that lists what was omitted (`context.protocols.omitted`), as Segment
    // Protocols marks it and createTracker's calls carry it.
    if (verdict.omitted.length) event.context = sent[sent.length - 1].context;
    return ctx;
  };
}
