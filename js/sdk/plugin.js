/**
 * `trackplanPlugin(options)`: the same validation and policy as `createTracker`, as an
 * analytics-next `before` plugin, for apps that already call `analytics.track` directly.
 *
 * ```js
 * const analytics = AnalyticsBrowser.load({ writeKey, plugins: [trackplanPlugin({ plan })] });
 * ```
 *
 * Each event is validated in the wasm core as it enters analytics.js's pipeline: the
 * default core with the embedded plan in production, or, when `plan` is given or in any
 * other environment, the full core (with its developer advice), fetched only then
 * (`wasm` and `fullWasm` say where their wasm files are, as for createTracker).
 * An event the policy blocks is cancelled (never retried, never sent); unplanned
 * properties the policy omits are removed from it; violations are reported to
 * `onViolation`, logged outside production and, when the policy says so, forwarded as
 * `Violation Generated`. The plugin never throws into the page: `throwOnViolation` does
 * not apply here, because a plugin runs after the call has returned.
 *
 * What the plugin does to each event is in `plugin-events.js`, imported by `load()`
 * while the core starts: a page that never uses the plugin never fetches it.
 *
 * @module trackplan/plugin
 */

import { SHAPES } from './calls.js';
import { checkCall, createCore, forwardedViolations, report, startCore, REPORT_PLAN } from './core.js';
import { logCall } from './console.js';
import { resolveEnvironment } from './environment.js';

/**
 * Lets an event through marked as not validated (`context.trackplan.validated: false`):
 * what the plugin does while, or when, it has no core.
 * @param {{ event: { context?: object } }} ctx
 */
export function unvalidated(ctx) {
  ctx.event.context = { ...ctx.event.context, trackplan: { validated: false } };
  return ctx;
}

/**
 * An analytics-next `before` plugin that validates every `track`, `identify`, `page` and
 * `group` event against the tracking plan and applies the environment's policy.
 *
 * @param {import('../index.js').PluginOptions} [options]
 */
export function trackplanPlugin(options = {}) {
  // From the options' environment and hosts, and the page's hostname.
  const environment = resolveEnvironment({ ...options, hostname: globalThis.location?.hostname });
  let check = unvalidated;
  let loaded = false;
  const handle = (ctx) => check(ctx);

  return {
    name: 'trackplan',
    type: 'before',
    version: '0.1.0',
    isLoaded: () => loaded,
    async load(_ctx, analytics) {
      try {
        const [{ eventChecker }, CoreTracker] = await Promise.all([import('./plugin-events.js'), startCore({ ...options, environment })]);
        const shim = [SHAPES, checkCall, createCore, forwardedViolations, logCall, unvalidated, report, REPORT_PLAN];
        check = await eventChecker(shim, CoreTracker, options, environment, analytics);
      } catch (error) {
        console.warn('trackplan: the plugin could not start; events go through unvalidated.', error);
      }
      loaded = true;
    },
    track: handle,
    identify: handle,
    page: handle,
    group: handle,
  };
}
