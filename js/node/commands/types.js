/**
 * `trackplan types PLAN.json > tracking.d.ts`: TypeScript declarations for a plan, as a
 * module augmentation of `trackplan`'s `PlannedEvents`, `PlannedTraits`,
 * `PlannedPageProperties` and `PlannedGroupTraits` (see `../types.js`).
 *
 * @module trackplan/commands/types
 */

import { basename } from 'node:path';
import { declarations } from '../types.js';
import { readPlanRules, reportingInputErrors } from './input.js';

const USAGE = `usage: trackplan types PLAN.json > tracking.d.ts

Writes TypeScript declarations for the plan's track events, identify traits, page
properties and group traits to stdout. With the file in your compilation,
tracker.track(name, properties), tracker.identify(userId, traits),
tracker.page(category, name, properties) and tracker.group(groupId, traits) are
checked against the plan (page and group only when it has their rules).

exit codes: 0 written, 2 usage or input problem`;

/**
 * Runs `trackplan types`.
 * @param {string[]} args
 * @returns {Promise<number>} the exit code
 */
export async function run(args) {
  if (args.includes('--help') || args.includes('-h')) {
    console.log(USAGE);
    return 0;
  }
  if (args.length !== 1) {
    console.error(`trackplan types: expected one plan file, got ${args.length}\n\n${USAGE}`);
    return 2;
  }
  return reportingInputErrors(async () => {
    const rules = await readPlanRules(args[0]);
    process.stdout.write(declarations(rules, basename(args[0])));
    return 0;
  });
}
