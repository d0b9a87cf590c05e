/**
 * `trackplan collector`: a local Segment-compatible collector for demos and headless
 * tests, checking what it receives against a plan. The CLI of `trackplan/collector`
 * (`../collector/index.js`), which does not import it.
 *
 *     npx trackplan collector --port 8787 [--plan PLAN.json] [--static DIR] [--host H] [--quiet]
 *
 * @module trackplan/commands/collector
 */

import process from 'node:process';
import { createCollector } from '../collector/index.js';
import { InputError, parseJson, readText } from './input.js';

const USAGE = `usage: trackplan collector [--port 8787] [--plan PLAN.json] [--static DIR] [--host 127.0.0.1] [--quiet]

  --port N       port to listen on (0 picks a free one)
  --plan FILE    the plan /collector/good and /collector/bad check against (default: the embedded plan)
  --static DIR   serve the files of DIR for other GET requests (your app)
  --host H       interface to bind
  --quiet        no line per received event

endpoints: POST /v1/{t,i,p,g,b,batch} (analytics.js), GET /v1/projects/:writeKey/settings,
GET /collector/all, /collector/good, /collector/bad (?type=track&event=...), POST /collector/reset

stops on SIGINT or SIGTERM (through npx: send it to the process group); in tests,
import { createCollector } from 'trackplan/collector' instead`;

/** The signals that stop the collector. */
const SIGNALS = ['SIGINT', 'SIGTERM'];

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
 * Runs the collector until SIGINT or SIGTERM (or, started by npm, until npm's shell is
 * gone: see {@link stopRequest}), then closes it, open connections included.
 * @param {string[]} args the command's arguments
 * @returns {Promise<number>} the exit code: 0 after a stop, 2 for usage or plan problems
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
  // Listening from the start: a signal that comes while a plan's wasm loads stops the
  // collector as soon as it listens, rather than killing the process with the signal.
  const stop = stopRequest();
  try {
    const plan = options.plan === undefined ? undefined : await readPlan(options.plan);
    const collector = await createCollector({ ...options, port, plan }).catch((error) => {
      // The core's plan errors start so: name the file, as every command does.
      throw /^tracking plan/.test(error.message) ? new InputError(`${options.plan}: ${error.message}`) : error;
    });
    console.log(`collector listening on ${collector.url} (events: ${collector.url}/collector/all, /good, /bad)`);
    const reason = await stop.requested;
    await collector.close();
    console.log(`collector stopped (${reason})`);
    return 0;
  } catch (error) {
    console.error(error instanceof InputError ? `trackplan: ${error.message}` : `trackplan collector: ${error.message}`);
    return 2;
  } finally {
    stop.dispose();
  }
}

/**
 * The text of the plan file at `path`, read and checked as JSON as every command reads
 * its files (see `input.js`): its errors name the file, and the line and column.
 * @param {string} path
 */
async function readPlan(path) {
  const text = await readText(path, 'the plan');
  parseJson(text, path, 'the plan');
  return text;
}

/**
 * Resolves `requested` with the reason to stop: `SIGINT`, `SIGTERM`, or `launcher gone`.
 *
 * Why the last: `npx trackplan collector` (like `npm exec` and `npm run`) runs the command
 * through `sh -c`, and dash does not `exec` it, so the collector is npm's grandchild. npm
 * passes SIGINT and SIGTERM to its child, the shell. SIGTERM kills the shell without
 * reaching the collector, which, orphaned, kept running (and kept its port and the
 * caller's pipes open); so, started by npm (`npm_lifecycle_event` is set), the collector
 * also stops when its parent process changes. SIGINT the shell catches, waiting for the
 * collector: nothing stops. Signalling the whole process group (a terminal's Ctrl-C,
 * `process.kill(-pid)` on a `detached` child) reaches the collector directly.
 */
function stopRequest() {
  let resolve;
  const requested = new Promise((r) => {
    resolve = r;
  });
  // Further signals, while the collector closes (npm may pass one on twice), change nothing.
  const onSignal = (signal) => resolve(signal);
  for (const signal of SIGNALS) process.on(signal, onSignal);
  // The log is best effort: a reader gone (its pipe closed) must not crash the collector.
  process.stdout.on('error', () => {});
  const watch = process.env.npm_lifecycle_event === undefined ? undefined : watchParent(() => onSignal('launcher gone'));
  return {
    requested,
    dispose() {
      for (const signal of SIGNALS) process.off(signal, onSignal);
      watch?.stop();
    },
  };
}

/**
 * Calls `onGone` once when this process's parent changes (it died: the process was
 * reparented), checking every 200 ms without keeping the process alive.
 * @param {() => void} onGone
 */
function watchParent(onGone) {
  const parent = process.ppid;
  const timer = setInterval(() => {
    if (process.ppid === parent) return;
    clearInterval(timer);
    onGone();
  }, 200);
  timer.unref();
  return { stop: () => clearInterval(timer) };
}
