/**
 * `npm test`: installs what is missing, builds the release package, then runs every test
 * layer — native `cargo test` of the core (and the JSON Schema Test Suite), the bindings
 * in headless Chromium (wasm-bindgen-test), a bounded fuzz run of the core
 * (`FUZZ_CASES`, default 1,000,000), and the Node tests (collector, end to end
 * with the real analytics-next). Every layer runs even if an earlier one fails; the exit
 * code says whether all passed.
 */

import { spawnSync } from 'node:child_process';
import { ensureToolchain, root } from './toolchain.js';

ensureToolchain({ browser: true });
// Only now: build.js needs the npm dependencies that ensureToolchain installs.
const { buildPackage } = await import('./build.js');
await buildPackage();

const layers = [
  ['core (native)', 'cargo', ['test', '--all-targets']],
  [
    'bindings (headless Chromium)',
    'cargo',
    ['test', '--target', 'wasm32-unknown-unknown', '--lib', '--features', 'full', '--', '--nocapture'],
    { CHROMEDRIVER: process.env.CHROMEDRIVER ?? '/usr/bin/chromedriver' },
  ],
  [
    'core fuzz (deterministic, bounded)',
    'cargo',
    ['run', '--quiet', '--release', '--example', 'fuzz_core'],
    { FUZZ_CASES: process.env.FUZZ_CASES ?? '1000000' },
  ],
  ['shim and end to end (Node + Chromium)', 'node', ['--test', 'tests/']],
];

const results = [];
for (const [name, command, args, env] of layers) {
  console.log(`\n━━ ${name}: ${command} ${args.join(' ')}`);
  const started = Date.now();
  const { status } = spawnSync(command, args, { cwd: root, stdio: 'inherit', env: { ...process.env, ...env } });
  results.push({ name, ok: status === 0, seconds: (Date.now() - started) / 1000 });
}

console.log('\n━━ summary');
for (const { name, ok, seconds } of results) console.log(`${ok ? 'pass' : 'FAIL'}  ${name} (${seconds.toFixed(1)} s)`);
const failed = results.filter((r) => !r.ok).length;
console.log(`layers: ${results.length - failed} passed, ${failed} failed`);
process.exit(failed ? 1 : 0);
