/**
 * `trackplan/inspector`: the inspector as an overlay any page can open on a tracker:
 * every call as it is made (verdict, action, violations, omitted properties, where it
 * was made, mapped to the original source under a dev server), the plan, and — given a
 * collector — what arrived there. Built on the tracker's public API only (`events()`,
 * `onCall`, `plan()`, `explain()`, `environment`, `status`, `ready`) and the collector's
 * HTTP endpoints, so it can sit beside any app.
 *
 * Three ways to open it: `?trackplan_debug=1` in the page's URL (`createTracker` opens
 * it), `trackplan.inspect()` in the console (the tracker's `inspect(options)`), or
 * `openInspector(tracker, options)` from this module. The SDK imports it with `import()`:
 * a page that never opens it never fetches it.
 *
 * @module trackplan/inspector
 */

import { createSiteResolver } from './call-sites.js';
import { createCallsView, fromHistory } from './calls-view.js';
import { createCollectorView } from './collector-view.js';
import { h } from './dom.js';
import { mountPanel } from './panel.js';
import { createPlanView } from './plan-view.js';

/** @typedef {import('../sdk/types.js').Inspector} Inspector */
/** @typedef {import('../sdk/types.js').InspectorOptions} InspectorOptions */

/**
 * A position in a source file, 1-based.
 * @typedef {object} SourcePosition
 * @property {string} source The source's URL, as its source map names it.
 * @property {number} line
 * @property {number} column
 */

/** Each tracker's open inspector, with what applies later options to it. */
const opened = new WeakMap();

/** Call sites resolved to original positions, each script's source map read once. */
const resolveSite = createSiteResolver();

/**
 * Where a call was made in the source a developer wrote: the call site the SDK recorded
 * (`file:line:column` of the generated script, as the browser's stack gives it) mapped
 * through the script's source map, as DevTools shows it. Resolves with null when the
 * script has no source map or cannot be fetched; never rejects.
 * @param {string} callSite a `callSite`, as on call records, `events()` entries and
 *   `TrackingPlanError`
 * @returns {Promise<SourcePosition | null>}
 */
export function resolveCallSite(callSite) {
  return resolveSite(callSite);
}

/**
 * Opens the inspector on `tracker` (a tracker from `createTracker`), or, if it is open
 * already, applies `options` to it; then expands it and moves the focus into it. The calls
 * the tracker's history holds are listed first, then each call as it is made.
 * @param {import('../sdk/types.js').Tracker} tracker
 * @param {InspectorOptions} [options]
 *   `collector`: the origin of a trackplan collector whose received events to show (a
 *   Collector view is added); `pollMs`: how often to ask it (default 1000); `focus:
 *   false` leaves the focus where it is (and a collapsed inspector collapsed)
 * @returns {Inspector}
 * @throws {TypeError} without a tracker, or outside a browser
 */
export function openInspector(tracker, options = {}) {
  if (typeof tracker?.onCall !== 'function' || typeof tracker.plan !== 'function') {
    throw new TypeError('trackplan: openInspector(tracker) needs a tracker from createTracker');
  }
  if (typeof document === 'undefined') throw new TypeError('trackplan: the inspector opens in a browser page');
  let open = opened.get(tracker);
  if (!open) {
    open = createInspector(tracker);
    opened.set(tracker, open);
  }
  open.apply(options ?? {});
  return open.inspector;
}

/** A new inspector on `tracker`, mounted; `apply` takes its options. */
function createInspector(tracker) {
  /** Where the focus was when the inspector took it. */
  let previousFocus = null;
  let collector = null;
  let closed = false;
  const panel = mountPanel({
    onClose: () => inspector.close(),
    onCollapse: (collapsed) => (collapsed ? collector?.view.stop() : collector?.view.start()),
  });
  let callsTab;
  const calls = createCallsView({
    resolveSite,
    onCount(total, invalid) {
      callsTab?.setCount(total);
      panel.setSummary(`${total} call${total === 1 ? '' : 's'} · `, h('span', { class: invalid ? 'bad' : '' }, `${invalid} invalid`));
    },
  });
  callsTab = panel.addView({ id: 'calls', label: 'Calls', element: calls.element });
  panel.addView({ id: 'plan', label: 'Plan', element: createPlanView(tracker) });
  for (const entry of tracker.events()) calls.add(fromHistory(entry));
  const unsubscribe = tracker.onCall((call) => calls.add(call));
  const showMeta = () => panel.setMeta(`${tracker.environment} · ${tracker.status}`);
  showMeta();
  tracker.ready?.then(showMeta);

  const inspector = {
    host: panel.host,
    get closed() {
      return closed;
    },
    /** Closes the inspector; the focus goes back where it was if it was in the inspector. */
    close() {
      if (closed) return;
      closed = true;
      const hadFocus = panel.hasFocus();
      unsubscribe();
      collector?.view.stop();
      panel.remove();
      opened.delete(tracker);
      if (hadFocus && previousFocus?.isConnected) previousFocus.focus();
    },
  };

  /** Applies options: a collector not shown yet replaces the one shown (or is added). */
  function apply({ collector: url, pollMs, focus = true }) {
    const base = url === undefined ? null : String(url).replace(/\/+$/, '');
    if (base && base !== collector?.base) {
      collector?.view.stop();
      collector?.tab.remove();
      const view = createCollectorView(base, { pollMs });
      collector = { base, view, tab: panel.addView({ id: 'collector', label: 'Collector', element: view.element, focusable: true }) };
      view.start();
    }
    if (focus) {
      if (!panel.hasFocus()) previousFocus = deepActiveElement();
      panel.focus();
    }
  }
  return { inspector, apply };
}

/** The focused element, inside shadow roots too. */
function deepActiveElement() {
  let active = document.activeElement;
  while (active?.shadowRoot?.activeElement) active = active.shadowRoot.activeElement;
  return active;
}
