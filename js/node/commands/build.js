/**
 * `trackplan build [PLAN] [--out DIR] [--check]`: lints and compiles a tracking plan and
 * writes its binding (see `../binding.js`) into DIR, with only the npm package installed:
 * no Rust, no network. Defaults come from `trackplan.config.json` (`plan`, `out`).
 *
 * Exit codes: 0 written (or up to date under `--check`), 1 the plan breaks the tracking
 * guide or cannot be used, DIR cannot be written, or DIR is stale under `--check`; 2
 * usage or input problems.
 *
 * @module trackplan/commands/build
 */

import { mkdir, readdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import { basename, dirname, join, relative } from 'node:path';
import { gzipSync } from 'node:zlib';
import { bindingFiles, PlanRefused } from '../binding.js';
import { CONFIG_FILE, readConfig } from '../config.js';
import { formatLint } from '../lint-report.js';
import { InputError, parseJson, readText, reportingInputErrors } from './input.js';

const USAGE = `usage: trackplan build [PLAN] [--out DIR] [--check] [--config FILE]

Lints and compiles a Segment tracking plan export (PLAN) and writes into DIR what your
app imports to validate against it: index.js (createTracker, trackplanPlugin, …),
testing.js (createTestTracker), their .d.ts typed from the plan, and the plan's cores
(trackplan.wasm for production, trackplan-dev.wasm for every other environment).
PLAN and DIR default to "plan" and "out" in ${CONFIG_FILE}.

  --out DIR       where to write (replaced whole; it holds only what build writes)
  --check         write nothing; exit 1 if DIR is not what build would write (for CI)
  --config FILE   read defaults from FILE instead of ./${CONFIG_FILE}

exit codes: 0 written or up to date, 1 the plan is refused, DIR cannot be written or
is stale, 2 usage or input problems`;

/**
 * Runs `trackplan build`.
 * @param {string[]} args
 * @returns {Promise<number>} the exit code
 */
export async function run(args) {
  let options;
  try {
    options = parseArgs(args);
  } catch (error) {
    console.error(`trackplan build: ${error.message}\n\n${USAGE}`);
    return 2;
  }
  if (options.help) {
    console.log(USAGE);
    return 0;
  }
  return reportingInputErrors(async () => {
    const config = await readConfig(options.config);
    const plan = options.plan ?? config.plan;
    const out = options.out ?? config.out;
    if (!plan || !out) {
      const missing = !plan ? 'the plan (PLAN, or "plan" in' : 'where to write (--out DIR, or "out" in';
      throw new InputError(`name ${missing} ${CONFIG_FILE})`);
    }
    const text = withSilences(await readText(plan, 'the plan'), plan, config);
    let built;
    try {
      built = await bindingFiles(text, { source: basename(plan) });
    } catch (error) {
      if (!(error instanceof PlanRefused)) throw error;
      // A plan that cannot be used is worded as every command words it (see input.js).
      if (error.reason) console.error(`trackplan: ${plan}: ${error.reason}`);
      else console.error(`trackplan build: ${error.message}:\n\n${formatLint(plan, error.lint)}`);
      return 1;
    }
    if (built.lint.warnings > 0) console.warn(formatLint(plan, { ...built.lint, findings: built.lint.findings }));
    return options.check ? check(out, built.files) : write(out, built, plan);
  });
}

/**
 * The plan's text, checked as JSON (an error says where, line:column), with the lint
 * silences of the configuration (`"lint": { "ignore": [{ rule, event?, property?, reason
 * }] }`) added to its own (`trackplan.lint.ignore`): a team silences a rule of the guide
 * for every plan it builds, with a reason, without editing the exports it pulls. (The
 * weight test and the benchmark build the Typewriter fixture plans with it.)
 * @param {string} text
 * @param {string} path the plan's path, for messages
 * @param {{ file?: string, lint?: { ignore?: unknown } }} config
 * @returns {string}
 * @throws {InputError} when `text` is not JSON, or the silences are not a list
 */
export function withSilences(text, path, config) {
  const doc = parseJson(text, path, 'the plan');
  const ignore = config.lint?.ignore;
  if (ignore === undefined) return text;
  if (!Array.isArray(ignore)) throw new InputError(`${config.file}: "lint": { "ignore" } must be a list of silences`);
  if (!doc || typeof doc !== 'object' || Array.isArray(doc)) return text;
  const own = doc.trackplan?.lint?.ignore;
  const lint = { ...doc.trackplan?.lint, ignore: [...(Array.isArray(own) ? own : []), ...ignore] };
  return JSON.stringify({ ...doc, trackplan: { ...doc.trackplan, lint } });
}

/** Reads `[PLAN] [--out DIR] [--check] [--config FILE] [--help]`. */
function parseArgs(args) {
  const options = {};
  const values = { '--out': 'out', '-o': 'out', '--config': 'config' };
  const switches = { '--check': 'check', '--help': 'help', '-h': 'help' };
  for (let i = 0; i < args.length; i += 1) {
    const [flag, inline] = args[i].startsWith('--') ? args[i].split(/=(.*)/s) : [args[i]];
    if (Object.hasOwn(values, flag)) {
      const value = inline ?? args[(i += 1)];
      if (value === undefined || value === '') throw new Error(`${flag} needs a value`);
      options[values[flag]] = value;
    } else if (Object.hasOwn(switches, flag)) {
      if (inline !== undefined) throw new Error(`${flag} takes no value`);
      options[switches[flag]] = true;
    } else if (flag.startsWith('-')) throw new Error(`unknown option ${args[i]}`);
    else if (options.plan === undefined) options.plan = flag;
    else throw new Error(`one plan at a time (got ${JSON.stringify(options.plan)} and ${JSON.stringify(flag)})`);
  }
  return options;
}

/**
 * Writes `built.files` into `out`, whole or not at all: into a directory beside it, which
 * then takes its place. Refuses an `out` holding files `trackplan build` does not write.
 * @returns {Promise<number>} the exit code
 */
async function write(out, { files, core, uses }, plan) {
  const existing = await listing(out);
  const foreign = existing?.filter((name) => !Object.hasOwn(files, name));
  if (foreign?.length) {
    console.error(
      `trackplan build: ${out} holds files trackplan build does not write (${foreign.join(', ')}): ` +
        'give --out a directory of its own',
    );
    return 1;
  }
  try {
    await replace(out, files, existing !== null);
  } catch (error) {
    console.error(`trackplan build: cannot write ${out}: ${await whyUnwritable(error, out)}`);
    return 1;
  }
  const size = (name) => `${kib(files[name].length)} KiB, ${kib(gzipSync(files[name], { level: 9 }).length)} KiB gzip`;
  console.log(
    `trackplan build: wrote ${relative('.', out) || '.'}/ from ${relative('.', plan)}\n` +
      `  production core: ${core} (the plan uses ${uses.join(', ') || 'no keyword'}), trackplan.wasm ${size('trackplan.wasm')}\n` +
      `  import { createTracker } from './${relative('.', out)}/index.js'`,
  );
  return 0;
}

/**
 * Makes `out` hold `files` and nothing else, whole or not at all: writes them into a
 * directory beside it, which then takes its place; the previous `out` (when `exists`) is
 * moved aside first and removed last. On failure, removes what it staged and puts the
 * previous `out` back.
 * @param {string} out
 * @param {Record<string, Uint8Array | string>} files
 * @param {boolean} exists whether `out` exists
 * @throws {Error} (rejects) what failed
 */
async function replace(out, files, exists) {
  const staging = `${out}.trackplan-${process.pid}`;
  const old = `${out}.trackplan-old-${process.pid}`;
  let moved = false;
  try {
    await mkdir(staging, { recursive: true });
    await Promise.all(Object.entries(files).map(([name, content]) => writeFile(join(staging, name), content)));
    if (exists) {
      await rename(out, old);
      moved = true;
    }
    await rename(staging, out);
  } catch (error) {
    await rm(staging, { recursive: true, force: true });
    if (moved) await rename(old, out).catch(() => {});
    throw error;
  }
  if (moved) await rm(old, { recursive: true, force: true });
}

/** Why `out` could not be written, from the error writing it raised. */
async function whyUnwritable(error, out) {
  if (error.code === 'EACCES' || error.code === 'EPERM') return 'permission denied';
  if (error.code === 'ENOTDIR') {
    for (let at = dirname(out); at !== dirname(at); at = dirname(at)) {
      if ((await stat(at).catch(() => null))?.isFile()) return `${at} is a file, not a directory`;
    }
  }
  return error.message;
}

/**
 * Compares `out` with what `files` would make it.
 * @returns {Promise<number>} 0 when up to date, 1 (saying what differs) when stale
 */
async function check(out, files) {
  const existing = (await listing(out)) ?? [];
  const stale = [];
  for (const [name, content] of Object.entries(files)) {
    const now = existing.includes(name) ? await readFile(join(out, name)) : null;
    if (!now) stale.push(`${name} is missing`);
    else if (!now.equals(Buffer.from(content))) stale.push(`${name} differs`);
  }
  for (const name of existing) if (!Object.hasOwn(files, name)) stale.push(`${name} is not build's`);
  if (stale.length === 0) {
    console.log(`trackplan build --check: ${out} is up to date`);
    return 0;
  }
  console.error(`trackplan build --check: ${out} is stale (${stale.join('; ')}): run \`npx trackplan build\``);
  return 1;
}

/**
 * The names of the files in `dir`; null when it does not exist (nor can, under a file).
 * @throws {InputError} (rejects) when `dir` is a file
 */
async function listing(dir) {
  try {
    return await readdir(dir);
  } catch (error) {
    if (error.code === 'ENOENT') return null;
    if (error.code !== 'ENOTDIR') throw error;
    if ((await stat(dir).catch(() => null))?.isFile()) throw new InputError(`${dir} is a file, not a directory: give --out a directory`);
    return null;
  }
}

/** Bytes as KiB, one decimal. */
function kib(bytes) {
  return (bytes / 1024).toFixed(1);
}
