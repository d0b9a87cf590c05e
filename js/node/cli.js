#!/usr/bin/env node
/**
 * The `trackplan` command: the same wasm core as the browser, in Node.
 *
 *   trackplan pull [--out PLAN]     fetch the plan from Segment's Public API (SEGMENT_API_TOKEN)
 *   trackplan build [PLAN] [--out DIR]   compile a plan into what your app imports
 *   trackplan lint PLAN.json        check a plan against the tracking guide
 *   trackplan types PLAN.json       TypeScript declarations for the plan's events
 *   trackplan check PLAN.json CALLS.json   validate recorded calls against the plan
 *   trackplan check --against NEW.json EVENTS.json   what a new plan would block
 *   trackplan diff OLD.json NEW.json        classify a plan change: breaking or compatible
 *   trackplan collector [--port N]  a local Segment-compatible collector
 *
 * Exit codes: 0 success, 1 findings (errors in a lint, violations in a check, breaking
 * changes in a diff, a pull the Public API failed), 2 usage or input problems.
 */

const COMMANDS = {
  pull: "fetch the tracking plan from Segment's Public API into the plan file",
  build: 'compile a plan into the modules and cores your app imports',
  lint: 'check a tracking plan against the tracking guide',
  types: 'write TypeScript declarations for a plan (to stdout)',
  check: 'validate recorded calls against a plan, or replay them on a new one',
  diff: 'classify the changes between two plans as breaking or compatible',
  collector: 'run a local Segment-compatible collector',
};

function usage() {
  const lines = Object.entries(COMMANDS).map(([name, what]) => `  ${name.padEnd(10)} ${what}`);
  return `usage: trackplan <command> [arguments]\n\ncommands:\n${lines.join('\n')}\n\nrun \`trackplan <command> --help\` for a command's options`;
}

const [name, ...args] = process.argv.slice(2);
if (!name || name === '--help' || name === '-h') {
  console.log(usage());
  process.exit(name ? 0 : 2);
}
if (!(name in COMMANDS)) {
  console.error(`trackplan: unknown command ${JSON.stringify(name)}\n\n${usage()}`);
  process.exit(2);
}
const command = await import(`./commands/${name}.js`).catch(() => null);
if (!command) {
  console.error(`trackplan: the ${name} command is not available in this build`);
  process.exit(2);
}
process.exitCode = await command.run(args);
