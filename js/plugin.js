/**
 * `trackplanPlugin(options)`: the same validation and policy as `createTracker`, as an
 * analytics-next `before` plugin, for apps that already call `analytics.track` directly.
 *
 * ```js
 * const analytics = AnalyticsBrowser.load({ writeKey, plugins: [trackplanPlugin({ plan })] });
 * ```
 *
 * Each event is validated in the wasm core as it enters analytics.js's pipeline: the
 * default core with the embedded plan, or, when `plan` is given, the full core, fetched
 * only then (`wasm` and `fullWasm` say where their wasm files are, as for createTracker).
 * An event the policy blocks is cancelled (never retried, never sent); unplanned
 * properties the policy omits are removed from it; violations are reported to
 * `onViolation`, logged outside production and, when the policy says so, forwarded as
 * `Violation Generated`. The plugin never throws into the page: `throwOnViolation` does
 * not apply here, because a plugin runs after the call has returned.
 *
 * @module trackplan/plugin
 */

import { SHAPES } from './calls.js';
import { checkCall, createCore, forwardedViolations, startCore } from './core.js';
import { resolveEnvironment } from './environment.js';
import { logCall } from './console.js';

/** Properties analytics-next adds to every page call; they are not validated. */
const PAGE_DEFAULTS = ['path', 'referrer', 'search', 'title', 'url'];

/**
 * Splits a page event's properties into what the app passed (validated) and what
 * analytics-next added: the page defaults, and `name`/`category` copied from the call.
 * @param {{ name?: string, category?: string, properties?: object }} event
 * @returns {{ payload: object, added: object }}
 */
export function splitPageProperties(event) {
  const payload = { ...event.properties };
  const added = {};
  for (const name of [...PAGE_DEFAULTS, 'name', 'category']) {
    const copied = name === 'name' || name === 'category';
    if (name in payload && (!copied || payload[name] === event[name])) {
      added[name] = payload[name];
      delete payload[name];
    }
  }
  return { payload, added };
}

/** Marks the `Violation Generated` events the plugin itself sends, so it lets them pass. */
const FORWARDED = 'trackplanForwarded';

/**
 * An analytics-next `before` plugin that validates every `track`, `identify`, `page` and
 * `group` event against the tracking plan and applies the environment's policy.
 *
 * @param {import('./index.js').PluginOptions} [options]
 */
export function trackplanPlugin(options = {}) {
  const environment = resolveEnvironment({
    environment: options.environment,
    hosts: options.hosts,
    hostname: globalThis.location?.hostname,
  });
  let core = null;
  let analytics = null;
  let loaded = false;

  /** Validates `ctx.event`; cancels it when blocked, drops omitted properties. */
  function check(ctx) {
    const event = ctx.event;
    if (event.context?.[FORWARDED]) {
      delete event.context[FORWARDED];
      return ctx;
    }
    if (!core) {
      event.context = { ...event.context, trackplan: { validated: false } };
      return ctx;
    }
    const [leading, field] = SHAPES[event.type];
    const { payload, added } = event.type === 'page' ? splitPageProperties(event) : { payload: { ...event[field] }, added: {} };
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
    return ctx;
  }

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

  return {
    name: 'trackplan',
    type: 'before',
    version: '0.1.0',
    isLoaded: () => loaded,
    async load(_ctx, instance) {
      analytics = instance;
      try {
        const CoreTracker = await startCore(options);
        core = createCore(CoreTracker, { ...options, environment, policy: { ...options.policy, throwOnViolation: false } });
      } catch (error) {
        console.warn('trackplan: the plugin could not start; events go through unvalidated.', error);
      }
      loaded = true;
    },
    track: check,
    identify: check,
    page: check,
    group: check,
  };
}
