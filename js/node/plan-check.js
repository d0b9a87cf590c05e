/**
 * Checks events as Segment receives them (the JSON analytics.js posts) against a plan,
 * with the same wasm core as the browser. Node or browser; used by the collector's
 * `/collector/good` and `/collector/bad`.
 *
 * @module trackplan/plan-check
 */

import { createCore, dryRun, report } from '../sdk/core.js';
import { REPORT_PLAN } from '../sdk/protocol.js';
import { isViolationReport, plannedPageProperties, splitPageProperties } from '../shared/page-events.js';
import { toolsCore } from './tools.js';

/**
 * Starts the full wasm core and returns `check(event) → { ok, violations }` for received
 * events. `identify`, `track`, `page` and `group` are
 * checked; other types (`alias`, `screen`) are not in a plan and pass, as do
 * `Violation Generated` reports. A page event's properties analytics.js adds by itself
 * are set aside unless the plan declares them, as the plugin and `trackplan check` do.
 * @param {object | string} [plan] a Segment plan export (object or JSON text); the
 *   package's demo plan when absent
 * @returns {Promise<(event: object) => { ok: boolean, violations: object[] }>}
 * @throws {Error} when the plan cannot be used, saying what to fix
 */
export async function createPlanCheck(plan) {
  const core = await createCore(await toolsCore(plan), { environment: 'development', historySize: 0 });
  const planned = plannedPageProperties(report(core, REPORT_PLAN));
  return (event) => {
    const call = asCall(event, planned);
    if (!call) return { ok: true, violations: [] };
    const { ok, violations } = dryRun(core, call);
    return { ok, violations };
  };
}

/**
 * The `validate()` call for a received event, or null for types a plan does not cover;
 * `planned` names the page rule's properties.
 */
function asCall(event, planned) {
  if (isViolationReport(event)) return null;
  switch (event.type) {
    case 'track':
      return { type: 'track', event: event.event, properties: event.properties ?? {} };
    case 'identify':
      return { type: 'identify', userId: event.userId, traits: event.traits ?? {} };
    case 'group':
      return { type: 'group', traits: event.traits ?? {} };
    case 'page':
      return { type: 'page', name: event.name, properties: splitPageProperties(event, planned).payload };
    default:
      return null;
  }
}
