/**
 * `trackplan/inspector`: the inspector as an overlay on a page, for a tracker from
 * `createTracker`: its calls as they are made (verdict, violations, omitted properties,
 * call sites mapped to the original source), the plan, and what a trackplan collector
 * received. `tracker.inspect()` and `?trackplan_debug=1` open it too, importing this
 * module only then.
 */
import type { Inspector, InspectorOptions, Tracker } from '../index.js';

export type { Inspector, InspectorOptions };

/** A position in a source file, 1-based. */
export interface SourcePosition {
  /** The source's URL, as its source map names it. */
  source: string;
  line: number;
  column: number;
}

/**
 * Opens the inspector on `tracker`, or, when one is open on it, applies `options` to it;
 * then (unless `focus: false`) expands it and moves the focus into it. Throws a
 * TypeError without a tracker or outside a browser.
 */
export function openInspector(tracker: Tracker, options?: InspectorOptions): Inspector;

/**
 * Where a call was made in the source a developer wrote: a `callSite` (as on call
 * records, `events()` entries and `TrackingPlanError`) mapped through its script's source
 * map. Null when the script has none or cannot be fetched; never rejects.
 */
export function resolveCallSite(callSite: string): Promise<SourcePosition | null>;
