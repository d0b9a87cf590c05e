/**
 * `trackplan lint PLAN.json [--format text|json]`: checks a tracking plan against the
 * tracking guide's conventions with the same wasm core as the browser.
 *
 * Exit codes: 0 clean or warnings only, 1 errors, 2 the plan cannot be read or used.
 *
 * @module trackplan/commands/lint
 */

import { formatLint } from '../lint-report.js';
import { lintPlan, startTools } from '../tools.js';
import { helpOrUsageError, InputError, parseJson, readText, reportingInputErrors } from './input.js';

const USAGE = `usage: trackplan lint PLAN.json [--format text|json]

Checks a Segment tracking plan export against the tracking guide: event and property
names, episode_id, user_type, workflow ids, events to flatten. Exit code 1 on errors,
0 with warnings only, 2 when the plan cannot be read or used. A plan silences a rule with
"trackplan": { "lint": { "ignore": [{ "rule", "event"?, "property"?, "reason" }] } }.`;

/**
 * Runs the command.
 * @param {string[]} args the arguments after `lint`
 * @returns {Promise<number>} the exit code
 */
export async function run(args) {
  const options = parseArgs(args);
  const early = helpOrUsageError('lint', options, USAGE);
  if (early !== null) return early;
  const { file, format } = options;
  // The file's problems are worded as every command words them (see input.js).
  return reportingInputErrors(async () => {
    const text = await readText(file, 'the plan');
    parseJson(text, file, 'the plan');
    await startTools();
    let report;
    try {
      report = lintPlan(text);
    } catch (error) {
      throw new InputError(`${file}: ${error.message}`);
    }
    console.log(format === 'json' ? JSON.stringify({ file, ...report }, null, 2) : formatLint(file, report));
    return report.errors > 0 ? 1 : 0;
  });
}

/** Reads `PLAN.json`, `--format text|json` (or `--format=json`) and `--help`. */
function parseArgs(args) {
  const options = { format: 'text' };
  const files = [];
  for (let i = 0; i < args.length; i += 1) {
    const arg = args[i];
    if (arg === '--help' || arg === '-h') return { help: true };
    if (arg === '--format' || arg.startsWith('--format=')) {
      options.format = arg === '--format' ? args[(i += 1)] : arg.slice('--format='.length);
      if (options.format !== 'text' && options.format !== 'json') {
        return { error: `--format must be text or json, not ${JSON.stringify(options.format ?? '')}` };
      }
    } else if (arg.startsWith('-')) {
      return { error: `unknown option ${arg}` };
    } else {
      files.push(arg);
    }
  }
  if (files.length !== 1) return { error: files.length ? 'lint one plan at a time' : 'name the plan to lint' };
  return { ...options, file: files[0] };
}
