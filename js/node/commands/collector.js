/**
 * `trackplan collector`: a local Segment-compatible collector for demos and headless
 * tests, checking what it receives against a plan.
 *
 *     npx trackplan collector --port 8787 [--plan PLAN.json] [--static DIR] [--host H] [--quiet]
 *
 * @module trackplan/commands/collector
 */

import { readFile } from 'node:fs/promises';
import process from 'node:process';
import { createCollector } from '../collector/index.js';

const USAGE = `usage: trackplan collector [--port 8787] [--plan PLAN.json] [--static DIR] [--host 127.0.0.1] [--quiet]

  --port N       port to listen on (0 picks a free one)
  --plan FILE    the plan /collector/good and /collector/bad check against (default: the embedded plan)
  --static DIR   serve the files of DIR for other GET requests (your app)
  --host H       interface to bind
  --quiet        no line per received event

endpoints: POST /v1/{t,i,p,g,b,batch} (analytics.js), GET /v1/projects/:writeKey/settings,
GET /collector/all, /collector/good, /collector/bad (?type=track&event=...), POST /collector/reset`;

/** Flags that take a value, by name → option. */
const VALUE_FLAGS = { '--port': 'port', '-p': 'port', '--host': 'host', '--static': 'staticDir', '--plan': 'plan' };

/**
 * Parses `--flag value` / `--flag=value` arguments.
 * @param {string[]} argv
 * @returns {{ port?: string, host?: string, staticDir?: string, plan?: string, quiet?: boolean, help?: boolean }}
 */
function parseArgs(argv) {
  const options = {};
  for (let i = 0; i < argv.length; i++) {
    const [flag, inline] = argv[i].startsWith('--') ? argv[i].split(/=(.*)/s) : [argv[i]];
    if (flag in VALUE_FLAGS) {
      const value = inline ?? argv[++i];
      if (value === undefined) throw new Error(`${flag} needs a value`);
      options[VALUE_FLAGS[flag]] = value;
    } else if (flag === '--quiet' || flag === '-q') options.quiet = true;
    else if (flag === '--help' || flag === '-h') options.help = true;
    else throw new Error(`unknown argument ${JSON.stringify(argv[i])}`);
  }
  return options;
}

/**
 * Runs the collector until SIGINT or SIGTERM.
 * @param {string[]} args the command's arguments
 * @returns {Promise<number>} the exit code: 0 after a clean stop, 2 for usage or plan problems
 */
export async function run(args) {
  let options;
  try {
    options = parseArgs(args);
  } catch (error) {
    console.error(`trackplan collector: ${error.message}\n\n${USAGE}`);
    return 2;
  }
  if (options.help) {
    console.log(USAGE);
    return 0;
  }
  const port = Number(options.port ?? 8787);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    console.error(`trackplan collector: --port must be a port number, got ${JSON.stringify(options.port)}`);
    return 2;
  }
  let collector;
  try {
    const plan = options.plan === undefined ? undefined : await readFile(options.plan, 'utf8');
    collector = await createCollector({ ...options, port, plan });
  } catch (error) {
    console.error(`trackplan collector: ${error.message}`);
    return 2;
  }
  console.log(`collector listening on ${collector.url} (events: ${collector.url}/collector/all, /good, /bad)`);
  await new Promise((resolve) => {
    process.once('SIGINT', resolve);
    process.once('SIGTERM', resolve);
  });
  await collector.close();
  return 0;
}
