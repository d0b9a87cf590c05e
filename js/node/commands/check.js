/**
 * `trackplan check PLAN.json CALLS.json`: validates recorded calls against a plan, in CI
 * for fixtures or on what a collector received.
 *
 * CALLS.json is an array of calls — `{ type, event, name, category, userId, groupId,
 * properties, traits, context }`, the shape of `tracker.validate()`, of analytics-next
 * events and of the local collector's `/collector/all` — or a Segment batch
 * (`{ batch: [...] }`). A call without `type` but with `event` is a track call.
 *
 * @module trackplan/commands/check
 */

import { createCore, dryRun, report, startCore, REPORT_PLAN } from '../../sdk/core.js';
import { isViolationReport, plannedPageProperties, splitPageProperties } from '../../shared/page-events.js';
import { InputError, readJson, reportingInputErrors } from './input.js';

const USAGE = `usage: trackplan check [--json] PLAN.json CALLS.json

Validates each call in CALLS.json against the plan and prints the violations.
CALLS.json: an array of { type, event, properties, traits, ... } (as tracker.validate
takes them, as analytics-next sends them, or as /collector/all returns them), or a
Segment batch { "batch": [...] }.

  --json   print one verdict per call as JSON instead of text

exit codes: 0 every call follows the plan, 1 some call does not, 2 usage or input problem`;

const CHECKED = new Set(['track', 'identify', 'page', 'group']);

/**
 * The calls in a parsed CALLS.json.
 * @param {unknown} doc
 * @param {string} path for messages
 * @returns {object[]}
 */
function callsOf(doc, path) {
  const calls = Array.isArray(doc) ? doc : Array.isArray(doc?.batch) ? doc.batch : null;
  if (!calls) throw new InputError(`${path}: expected an array of calls or a Segment batch ({ "batch": [...] })`);
  calls.forEach((call, i) => {
    if (!call || typeof call !== 'object' || Array.isArray(call)) {
      throw new InputError(`${path}: call ${i} is not an object`);
    }
  });
  return calls;
}

/**
 * A call as the core's `validate` takes it; page calls lose the properties analytics-next
 * adds by itself that the plan does not declare (`planned`).
 */
function normalized(call, planned) {
  const type = call.type ?? (typeof call.event === 'string' ? 'track' : undefined);
  const pageProperties = type === 'page' && call.properties && typeof call.properties === 'object';
  const properties = pageProperties ? splitPageProperties(call, planned).payload : call.properties;
  return { ...call, type, properties, options: { context: call.context } };
}

/** How a call is named in the report. */
function label(call, i) {
  const what = call.type === 'track' ? JSON.stringify(call.event) : call.type === 'page' && call.name ? JSON.stringify(call.name) : '';
  return `[${i}] ${call.type ?? '(no type)'}${what ? ` ${what}` : ''}`;
}

/**
 * Runs `trackplan check`.
 * @param {string[]} args
 * @returns {Promise<number>} the exit code
 */
export async function run(args) {
  if (args.includes('--help') || args.includes('-h')) {
    console.log(USAGE);
    return 0;
  }
  const json = args.includes('--json');
  const files = args.filter((a) => a !== '--json');
  const unknown = files.find((a) => a.startsWith('-'));
  if (unknown || files.length !== 2) {
    const problem = unknown ? `unknown option ${unknown}` : `expected a plan and a calls file, got ${files.length} file(s)`;
    console.error(`trackplan check: ${problem}\n\n${USAGE}`);
    return 2;
  }
  const [planPath, callsPath] = files;
  return reportingInputErrors(async () => {
    const plan = await readJson(planPath, 'the plan');
    const calls = callsOf(await readJson(callsPath, 'the calls'), callsPath);
    const CoreTracker = await startCore({ plan });
    let core;
    try {
      core = await createCore(CoreTracker, { environment: 'development', plan, historySize: 0 });
    } catch (error) {
      throw new InputError(`${planPath}: ${error.message}`);
    }
    const planned = plannedPageProperties(report(core, REPORT_PLAN));
    const results = calls.map((raw, index) => {
      const call = normalized(raw, planned);
      if (!CHECKED.has(call.type) || isViolationReport(call)) return { index, call, skipped: true };
      return { index, call, verdict: dryRun(core, call) };
    });
    const invalid = results.filter((r) => r.verdict && !r.verdict.ok);
    if (json) {
      console.log(JSON.stringify(results.map(({ index, verdict, skipped }) => ({ index, skipped: Boolean(skipped), ...verdict })), null, 2));
    } else {
      for (const { index, call, verdict, skipped } of results) {
        if (skipped) {
          const why = isViolationReport(call) ? 'a report of violations, not an event of the plan' : 'only track, identify, page and group are';
          console.log(`${callsPath}${label(call, index)}: not checked (${why})`);
        }
        else if (!verdict.ok) {
          const lines = verdict.violations.map((v) => `\n  - ${v.path || '(whole object)'} ${v.kind}: ${v.message}`);
          console.log(`${callsPath}${label(call, index)}:${lines.join('')}`);
        }
      }
      const checked = results.filter((r) => r.verdict).length;
      console.log(`${checked} call(s) checked: ${checked - invalid.length} follow the plan, ${invalid.length} do not.`);
    }
    return invalid.length ? 1 : 0;
  });
}
