/**
 * `trackplanPlugin(options)`: the same validation and policy as `createTracker`, as an
 * analytics-next `before` plugin, for apps that already call `analytics.track` directly.
 *
 * ```js
 * const analytics = AnalyticsBrowser.load({ writeKey, plugins: [trackplanPlugin({ plan })] });
 * ```
 *
 * Each event is validated in the wasm core as it enters analytics.js's pipeline: the
 * plan's production core in production, or, when `plan` is given or in any other
 * environment, the full core (with its developer advice), fetched only then (`wasm` and
 * `fullWasm` say where their wasm files are, as for createTracker).
 * An event the policy blocks is cancelled (never retried, never sent); unplanned
 * properties the policy omits are removed from it; violations are reported to
 * `onViolation`, logged outside production and, when the policy says so, forwarded as
 * `Violation Generated`. The plugin never throws into the page: `throwOnViolation` does
 * not apply here, because a plugin runs after the call has returned.
 *
 * @module trackplan/sdk/plugin
 */

import { plannedPageProperties, splitPageProperties } from '../shared/page-events.js';
import { SHAPES } from './calls.js';
import { checkCall, createCore, forwardedViolations, report } from './core.js';
import { startCore } from './cores.js';
import { logCall } from './console.js';
import { resolveEnvironment, TARGET_NAMES } from './environment.js';
import { checkedTargets } from './targets.js';
import { REPORT_PLAN, VERSION } from './protocol.js';

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
 * Validation and policy for apps that call `analytics.track` directly: an analytics-next
 * `before` plugin that validates every `track`, `identify`, `page` and `group` event
 * against the tracking plan and applies the environment's policy.
 *
 * @param {import('./types.js').PluginOptions} [options]
 * @param {import('./types.js').Cores} [cores] the plan's binding (the `index.js` that
 *   `trackplan build` writes passes it)
 * @returns {import('./types.js').TrackplanPlugin}
 */
export function trackplanPlugin(options = {}, cores = undefined) {
  // From the options' environment and hosts, and the page's hostname.
  const { hosts, warnings } = checkedTargets(options, TARGET_NAMES);
  for (const warning of warnings) console.warn(`trackplan: ${warning}`);
  const environment = resolveEnvironment({ environment: options.environment, hosts, hostname: globalThis.location?.hostname });
  let check = unvalidated;
  let loaded = false;
  const handle = (ctx) => check(ctx);

  return {
    name: 'trackplan',
    type: 'before',
    version: VERSION,
    isLoaded: () => loaded,
    async load(_ctx, analytics) {
      try {
        const started = await startCore({ ...options, environment }, cores);
        check = await eventChecker(started, options, environment, analytics);
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

/** Marks the `Violation Generated` events the plugin itself sends, so it lets them pass. */
const FORWARDED = 'trackplanForwarded';

/**
 * The plugin's handler of `track`, `identify`, `page` and `group` events, with a core
 * tracker of `CoreTracker` made for `options` in `environment` (never throwing on a
 * violation). Violations are forwarded through `analytics`.
 * @param {import('./cores.js').StartedCore} started
 * @param {import('./types.js').PluginOptions} options
 * @param {string} environment the resolved environment
 * @param {{ track: Function } | undefined} analytics the instance the plugin was loaded into
 * @returns {Promise<(ctx: object) => object>}
 * @throws {Error} (rejects) for a set-up mistake, as `createCore` does
 */
async function eventChecker(started, options, environment, analytics) {
  let core = await createCore(started, { ...options, environment, policy: { ...options.policy, throwOnViolation: false } });
  const planned = plannedPageProperties(report(core, REPORT_PLAN));
  // analytics.reset() gives the events that follow a new anonymousId: the identify rules'
  // session ends there, in the order of the events (its 'reset' event comes before the
  // events queued ahead of it have reached the plugin).
  let anonymousId;

  /**
   * Runs the event through the core as the call it is; null (and the event passes
   * unvalidated) if the core trapped.
   */
  function callCore(event, payload) {
    try {
      return checkCall(core, asCall(event, payload));
    } catch (error) {
      if (!(error instanceof WebAssembly.RuntimeError)) throw error;
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
    if (anonymousId !== event.anonymousId) {
      if (anonymousId !== undefined) core.reset();
      anonymousId = event.anonymousId;
    }
    const field = SHAPES[event.type][1];
    const { payload, added } = event.type === 'page' ? splitPageProperties(event, planned) : { payload: { ...event[field] }, added: {} };
    const checked = callCore(event, payload);
    if (!checked) return unvalidated(ctx);
    const { verdict, sent } = checked;
    reportViolations(core, verdict, environment, options, analytics);
    if (!sent) cancel(ctx, verdict);
    event[field] = { .../** @type {object} */ (sent[sent.length - 2]), ...added };
    // The context that lists what was omitted (`context.protocols.omitted`), as Segment
    // Protocols marks it and createTracker's calls carry it.
    if (verdict.omitted.length) event.context = /** @type {{ context: object }} */ (sent[sent.length - 1]).context;
    return ctx;
  };
}

/**
 * Forwards a call's violations through `analytics` (as `Violation Generated`, which the
 * plugin lets pass), logs a failed verdict and hands it to `onViolation`.
 * @param {object} core
 * @param {import('./types.js').Verdict} verdict
 * @param {string} environment
 * @param {import('./types.js').PluginOptions} options
 * @param {{ track: Function } | undefined} analytics
 */
function reportViolations(core, verdict, environment, options, analytics) {
  for (const properties of forwardedViolations(core, verdict)) {
    analytics?.track('Violation Generated', properties, { context: { [FORWARDED]: true } });
  }
  if (verdict.ok) return;
  logCall(verdict, environment, false);
  try {
    options.onViolation?.(verdict);
  } catch (error) {
    console.warn('trackplan: onViolation threw', error);
  }
}

/**
 * Drops the event of a blocked or skipped call: throws the ContextCancelation of
 * analytics.js's own class that `ctx.cancel()` throws, not retried, with the reason.
 * @param {{ cancel: () => never }} ctx
 * @param {import('./types.js').Verdict} verdict
 * @returns {never}
 */
function cancel(ctx, verdict) {
  try {
    ctx.cancel();
  } catch (cancelation) {
    cancelation.retry = false;
    cancelation.type = 'trackplan';
    cancelation.reason =
      verdict.action === 'skipped'
        ? "skipped: identify repeats the session's userId and traits (policy identify: 'changed')"
        : `blocked by the tracking plan: ${verdict.violations.map((v) => v.message).join('; ')}`;
    throw cancelation;
  }
  throw new Error('trackplan: analytics.js did not cancel the event');
}

/**
 * An analytics-next event as the call trackplan checks: its method, its name (the event
 * name, page name, userId or groupId), the page's category, `payload` and its context
 * as options.
 * @param {{ type: 'track' | 'identify' | 'page' | 'group', event?: string, name?: string, category?: string, userId?: string, groupId?: string, context?: object }} event
 * @param {object} payload
 * @returns {import('./arguments.js').Resolved}
 */
function asCall(event, payload) {
  const name = { track: event.event, page: event.name, identify: event.userId, group: event.groupId }[event.type];
  return {
    method: event.type,
    name: typeof name === 'string' ? name : null,
    category: typeof event.category === 'string' ? event.category : null,
    payload,
    options: { context: event.context ?? {} },
  };
}
