/**
 * Runs `trackplan` as a user would: `trackplan collector ...` (`node js/node/cli.js
 * collector ...`, or `npx trackplan collector ...` from an app), each in a process group
 * of its own, so that a test can always end it and everything it started, and the other
 * commands (`trackplan diff ...`) to their exit.
 */

import { execFile, spawn } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { fileURLToPath } from 'node:url';

const cli = fileURLToPath(new URL('../../../js/node/cli.js', import.meta.url));

/**
 * Starts a collector process, `command args`, as the leader of a new process group, and
 * resolves once it says it listens, with `child`, its `url`, `output()` (stdout and stderr
 * so far), `stopped` (resolves with the exit code once the process has exited and so has
 * every process that holds its output, such as the collector under `npx`), and
 * `killGroup()` (SIGKILL to the whole group; harmless once it is gone).
 * @param {string} command
 * @param {string[]} args
 * @param {{ cwd?: string, env?: object }} [options]
 */
export function startCollectorProcess(command, args, { cwd, env } = {}) {
  const child = spawn(command, args, { cwd, env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  const stopped = new Promise((resolve) => child.on('close', resolve));
  const running = {
    child,
    output: () => out,
    stopped,
    killGroup() {
      try {
        process.kill(-child.pid, 'SIGKILL');
      } catch {
        // already gone
      }
    },
  };
  return new Promise((resolve, reject) => {
    const read = (chunk) => {
      out += chunk;
      const url = /listening on (http:\/\/\S+)/.exec(out);
      if (url) resolve({ ...running, url: url[1] });
    };
    child.stdout.on('data', read);
    child.stderr.on('data', read);
    stopped.then((code) => reject(new Error(`trackplan collector exited with ${code}: ${out}`)));
  });
}

/**
 * Starts `trackplan collector ...args` (`node js/node/cli.js`); see {@link startCollectorProcess}.
 * @param {string[]} args
 */
export function startCollectorCli(args) {
  return startCollectorProcess(process.execPath, [cli, 'collector', ...args]);
}

/**
 * Resolves with the exit code once `running` has stopped; if it has not within `ms`,
 * kills its process group and rejects, with its output, so that a test never hangs on
 * a collector that outlived its stop.
 * @param {{ stopped: Promise<number | null>, killGroup: () => void, output: () => string }} running
 * @param {number} [ms]
 */
export async function stoppedWithin(running, ms = 15_000) {
  let timer;
  const late = new Promise((resolve) => {
    timer = setTimeout(resolve, ms, 'late');
  });
  const result = await Promise.race([running.stopped, late]);
  clearTimeout(timer);
  if (result !== 'late') return result;
  running.killGroup();
  throw new Error(`the collector was still running ${ms} ms after it was told to stop; output:\n${running.output()}`);
}

/** Runs `trackplan collector ...args` to its end; resolves with `{ code, stderr }`. */
export function runCollectorCli(args) {
  const child = spawn(process.execPath, [cli, 'collector', ...args], { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (chunk) => {
    stderr += chunk;
  });
  return new Promise((resolve) => child.on('exit', (code) => resolve({ code, stderr })));
}

/**
 * Runs `trackplan ...args` to its end; resolves `{ code, stdout, stderr }` whatever the
 * exit code.
 * @param {string[]} args
 */
export function runTrackplan(...args) {
  return runTrackplanIn(undefined, ...args);
}

/**
 * Runs `trackplan ...args` to its end in the directory `cwd` (this process's when
 * undefined); resolves `{ code, stdout, stderr }` whatever the exit code.
 * @param {string | undefined} cwd
 * @param {string[]} args
 */
export async function runTrackplanIn(cwd, ...args) {
  try {
    const { stdout, stderr } = await promisify(execFile)(process.execPath, [cli, ...args], { cwd });
    return { code: 0, stdout, stderr };
  } catch (error) {
    return { code: error.code, stdout: error.stdout, stderr: error.stderr };
  }
}

/**
 * A new temporary directory and `file(name, value)`, which writes `value` there (an
 * object as JSON, a string as it is) and returns its path.
 * @param {string} prefix
 */
export function tempFiles(prefix) {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  const file = (name, value) => {
    const path = join(dir, name);
    writeFileSync(path, typeof value === 'string' ? value : JSON.stringify(value));
    return path;
  };
  return { dir, file };
}
