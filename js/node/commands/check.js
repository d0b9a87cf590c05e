/**
 * `trackplan check PLAN.json CALLS.json`: validates recorded calls against a plan, in CI
 * for fixtures or on what a collector received.
 *
 * CALLS.json is an array of calls — `{ type, event, name, category, userId, groupId,
 * properties, traits, context }`, the shape of `tracker.validate()`, of analytics-next
 * events and of the local collector's `/collector/all` — or a Segment batch
 * (`{ batch: [...] }`). A call without `type` but with `event` is a track call.
 *
 * `trackplan check --against NEW.json EVENTS.json` replays recorded events through the
 * same checks against a new plan and reports how many it would block, by event and by
 * rule (violation kind and path).
 *
 * @module trackplan/commands/check
 */

import { createCore, dryRun, report } from '../../sdk/core.js';
import { REPORT_PLAN } from '../../sdk/protocol.js';
import { toolsCore } from '../tools.js';
import { isViolationReport, plannedPageProperties, splitPageProperties } from '../../shared/page-events.js';
import { helpOrUsageError, InputError, readJson, reportingInputErrors } from './input.js';

const USAGE = `usage: trackplan check [--json] PLAN.json CALLS.json
       trackplan check [--json] --against NEW.json EVENTS.json

Validates each call in CALLS.json against the plan and prints the violations.
CALLS.json: an array of { type, event, properties, traits, ... } (as tracker.validate
takes them, as analytics-next sends them, or as /collector/all returns them), or a
Segment batch { "batch": [...] }.

  --json             print one verdict per call as JSON instead of text
  --against NEW.json replay recorded events (a saved /collector/all) against a new
                     plan: how many it would block, by event and by rule

exit codes: 0 every call follows the plan (with --against: none would be blocked),
1 some call does not (would be blocked), 2 usage or input problem`;

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

/** How a call is named: its type, and its event or page name (`track "call started"`). */
function callName(call) {
  const what = call.type === 'track' ? JSON.stringify(call.event) : call.type === 'page' && call.name ? JSON.stringify(call.name) : '';
  return `${call.type ?? '(no type)'}${what ? ` ${what}` : ''}`;
}

/** How call `i` is named in the report. */
function label(call, i) {
  return `[${i}] ${callName(call)}`;
}

/**
 * Reads `[--json] [--against NEW.json] FILE...` (also `--against=NEW.json`) and `--help`:
 * `{ help }`, `{ error }` or `{ json, planPath, callsPath, against }`.
 */
function parseArgs(args) {
  const options = { json: false, against: false };
  const files = [];
  for (let i = 0; i < args.length; i += 1) {
    const arg = args[i];
    if (arg === '--help' || arg === '-h') return { help: true };
    if (arg === '--json') options.json = true;
    else if (arg === '--against' || arg.startsWith('--against=')) {
      const path = arg === '--against' ? args[(i += 1)] : arg.slice('--against='.length);
      if (!path || path.startsWith('-')) return { error: '--against needs the path of the new plan' };
      options.against = true;
      files.unshift(path);
    } else if (arg.startsWith('-')) return { error: `unknown option ${arg}` };
    else files.push(arg);
  }
  if (files.length !== 2) {
    const expected = options.against ? 'with --against NEW.json, expected one events file' : 'expected a plan and a calls file';
    return { error: `${expected}, got ${files.length - (options.against ? 1 : 0)} file(s)` };
  }
  return { ...options, planPath: files[0], callsPath: files[1] };
}

/**
 * Checks every call of `callsPath` against the plan of `planPath` (dry runs in the
 * development environment's policy): `[{ index, call, verdict }]`, or `{ index, call,
 * skipped: true }` for calls a plan does not cover.
 */
async function checkCalls(planPath, callsPath) {
  const plan = await readJson(planPath, 'the plan');
  const calls = callsOf(await readJson(callsPath, 'the calls file'), callsPath);
  let core;
  try {
    core = await createCore(await toolsCore(plan), { environment: 'development', historySize: 0 });
  } catch (error) {
    throw new InputError(`${planPath}: ${error.message}`);
  }
  const planned = plannedPageProperties(report(core, REPORT_PLAN));
  return calls.map((raw, index) => {
    const call = normalized(raw, planned);
    if (!CHECKED.has(call.type) || isViolationReport(call)) return { index, call, skipped: true };
    return { index, call, verdict: dryRun(core, call) };
  });
}

/** Prints each invalid call with its violations (and the calls not checked); returns the exit code. */
function printVerdicts(results, callsPath, json) {
  const invalid = results.filter((r) => r.verdict && !r.verdict.ok);
  if (json) {
    console.log(JSON.stringify(results.map(({ index, verdict, skipped }) => ({ index, skipped: Boolean(skipped), ...verdict })), null, 2));
    return invalid.length ? 1 : 0;
  }
  for (const { index, call, verdict, skipped } of results) {
    if (skipped) {
      const why = isViolationReport(call) ? 'a report of violations, not an event of the plan' : 'only track, identify, page and group are';
      console.log(`${callsPath}${label(call, index)}: not checked (${why})`);
    } else if (!verdict.ok) {
      const lines = verdict.violations.map((v) => `\n  - ${v.path || '(whole object)'} ${v.kind}: ${v.message}`);
      console.log(`${callsPath}${label(call, index)}:${lines.join('')}`);
    }
  }
  const checked = results.filter((r) => r.verdict).length;
  console.log(`${checked} call(s) checked: ${checked - invalid.length} follow the plan, ${invalid.length} do not.`);
  return invalid.length ? 1 : 0;
}

/** Counts by key, most frequent first: `[{ key, count, first }]`, `first` the first item counted. */
function tally(items, keyOf) {
  const groups = new Map();
  for (const item of items) {
    const key = keyOf(item);
    const group = groups.get(key) ?? { key, count: 0, first: item };
    group.count += 1;
    groups.set(key, group);
  }
  return [...groups.values()].sort((a, b) => b.count - a.count);
}

/**
 * What a violation is counted under: its kind and path, and for `required` (whose path
 * is the object) the property missing, which its message names.
 */
function ruleKey(violation) {
  return `${violation.kind}\u0000${violation.path}\u0000${violation.kind === 'required' ? violation.message : ''}`;
}

/** The JSON pointer of a top-level property. */
function pointer(name) {
  return `/${name.replace(/~/g, '~0').replace(/\//g, '~1')}`;
}

/**
 * What a new plan would do to recorded events: `{ checked, skipped, blocked, omitted,
 * byEvent, byRule, byOmitted }`. The violations counted by rule are those that block
 * (an unplanned property is omitted, not blocked); calls sent with properties omitted
 * are counted apart, by property.
 */
function replay(results) {
  const checked = results.filter((r) => r.verdict);
  const blocked = checked.filter((r) => r.verdict.action === 'blocked');
  const omitted = checked.filter((r) => r.verdict.action !== 'blocked' && r.verdict.omitted?.length);
  const event = (r) => callName(r.call);
  const blocking = blocked.flatMap((r) => r.verdict.violations.filter((v) => v.kind !== 'unplanned_property'));
  return {
    checked: checked.length,
    skipped: results.length - checked.length,
    blocked: blocked.map((r) => r.index),
    omitted: omitted.map((r) => r.index),
    byEvent: tally(blocked, event).map(({ key, count }) => ({ event: key, count })),
    byRule: tally(blocking, ruleKey).map(({ count, first }) => ({ kind: first.kind, path: first.path, count, example: first.message })),
    byOmitted: tally(omitted.flatMap((r) => r.verdict.omitted.map((name) => `${event(r)} ${pointer(name)}`)), (k) => k)
      .map(({ key, count }) => ({ property: key, count })),
  };
}

/** Prints what the new plan would block; returns the exit code (1 when it would block any). */
function printReplay(results, planPath, callsPath, json) {
  const summary = replay(results);
  if (json) {
    console.log(JSON.stringify({ plan: planPath, events: callsPath, ...summary }, null, 2));
    return summary.blocked.length ? 1 : 0;
  }
  const { checked, skipped, blocked, omitted, byEvent, byRule, byOmitted } = summary;
  const count = (n) => String(n).padStart(6);
  const lines = [
    `${callsPath} against ${planPath}: ${checked} event(s) checked, ${blocked.length} would now be blocked` +
      `, ${omitted.length} sent with properties omitted${skipped ? `, ${skipped} not checked` : ''}.`,
  ];
  if (byEvent.length) lines.push('', 'blocked, by event:', ...byEvent.map((g) => `${count(g.count)}  ${g.event}`));
  // A required violation's message is the same for every call; others may name the value.
  const example = (g) => `${g.count > 1 && g.kind !== 'required' ? 'e.g. ' : ''}${g.example}`;
  if (byRule.length) lines.push('', 'blocked, by rule:', ...byRule.map((g) => `${count(g.count)}  ${g.kind} ${g.path || '(whole object)'}: ${example(g)}`));
  if (byOmitted.length) lines.push('', 'properties omitted:', ...byOmitted.map((g) => `${count(g.count)}  ${g.property}`));
  console.log(lines.join('\n'));
  return blocked.length ? 1 : 0;
}

/**
 * Runs `trackplan check`.
 * @param {string[]} args
 * @returns {Promise<number>} the exit code
 */
export async function run(args) {
  const options = parseArgs(args);
  const early = helpOrUsageError('check', options, USAGE);
  if (early !== null) return early;
  const { json, planPath, callsPath, against } = options;
  return reportingInputErrors(async () => {
    const results = await checkCalls(planPath, callsPath);
    return against ? printReplay(results, planPath, callsPath, json) : printVerdicts(results, callsPath, json);
  });
}
