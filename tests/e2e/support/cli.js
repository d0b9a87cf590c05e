/**
 * Runs `trackplan collector` as a user would (`npx trackplan collector ...`).
 */

import { spawn } from 'node:child_process';
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
