/**
 * Page events as analytics-next sends them, and what of them the plan checks: shared by
 * the browser's plugin (`sdk/plugin.js`) and the Node tools (`trackplan check`,
 * the collector's `/collector/good` and `/collector/bad`), so that all three split page
 * events alike. Imports nothing.
 *
 * @module trackplan/shared/page-events
 */

/** Properties analytics-next adds to every page call; they are not validated. */
const PAGE_DEFAULTS = ['path', 'referrer', 'search', 'title', 'url'];

/**
 * Splits a page event's properties into what the app passed (validated) and what
 * analytics-next added: the page defaults, and `name`/`category` copied from the call,
 * except those the plan's page rule declares (`planned`), validated as the app's. The
 * plugin, `trackplan check` and the collector's `/collector/good` and `/collector/bad`
 * all split page events so.
 * @param {{ name?: string, category?: string, properties?: object }} event
 * @param {Set<string>} planned the page rule's property names (see {@link plannedPageProperties})
 * @returns {{ payload: object, added: object }}
 */
export function splitPageProperties(event, planned) {
  const payload = { ...event.properties };
  const added = {};
  for (const name of [...PAGE_DEFAULTS, 'name', 'category']) {
    const copied = name === 'name' || name === 'category';
    if (!planned.has(name) && name in payload && (!copied || payload[name] === event[name])) {
      added[name] = payload[name];
      delete payload[name];
    }
  }
  return { payload, added };
}

/**
 * The names of the properties the page rule of a plan declares.
 * @param {{ page?: { properties: Array<{ name: string }> } | null } | undefined} plan the
 *   plan's summary (the core's `REPORT_PLAN`)
 * @returns {Set<string>}
 */
export function plannedPageProperties(plan) {
  return new Set((plan?.page?.properties ?? []).map((p) => p.name));
}

/**
 * Whether a received track event is a `Violation Generated` report (trackplan's, as the
 * `forwardViolations` policy sends them, or Segment Protocols' own): about the plan, not
 * an event of it, so `trackplan check` and the collector do not check it.
 * @param {{ type?: string, event?: unknown, properties?: object }} event
 */
export function isViolationReport(event) {
  return event.type === 'track' && event.event === 'Violation Generated' && typeof event.properties?.violationType === 'string';
}
