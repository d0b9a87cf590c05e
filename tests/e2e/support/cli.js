/**
 * Runs `trackplan` as a user would (`npx trackplan collector ...`, `npx trackplan diff ...`).
 */

import { execFile, spawn } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { fileURLToPath } from 'node:url';

const cli = fileURLToPath(new URL('../../../js/node/cli.js', import.meta.url));

/**
 * Starts `trackplan collector ...args` and resolves once it listens, with the child
 * process, its URL and `stopped`, which resolves with the exit code.
 * @param {string[]} args
 */
export function startCollectorCli(args) {
  const child = spawn(process.execPath, [cli, 'collector', ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  const stopped = new Promise((resolve) => child.on('exit', resolve));
  return new Promise((resolve, reject) => {
    let out = '';
    child.stdout.on('data', (chunk) => {
      out += chunk;
      const url = /listening on (http:\/\/\S+)/.exec(out);
      if (url) resolve({ child, url: url[1], stopped });
    });
    child.stderr.on('data', (chunk) => {
      out += chunk;
    });
    stopped.then((code) => reject(new Error(`trackplan collector exited with ${code}: ${out}`)));
  });
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
export async function runTrackplan(...args) {
  try {
    const { stdout, stderr } = await promisify(execFile)(process.execPath, [cli, ...args]);
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
