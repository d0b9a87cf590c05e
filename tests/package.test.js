// The package as npm sees it: the manifest follows the contract, and the tarball holds
// what an app needs (the built cores and the demo binding included, although git ignores
// js/wasm/ and js/demo/) and no more.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const manifest = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'));

test('package.json: ESM, types first in every export, no side effects, no install scripts', () => {
  assert.equal(manifest.type, 'module');
  assert.equal(manifest.sideEffects, false);
  assert.deepEqual(Object.keys(manifest.exports), ['.', './sdk', './testing', './sdk/testing', './embedded-plan', './collector', './inspector', './package.json']);
  for (const [subpath, target] of Object.entries(manifest.exports)) {
    if (typeof target === 'object') assert.equal(Object.keys(target)[0], 'types', `${subpath}: types must come first`);
  }
  assert.deepEqual(Object.keys(manifest.exports['./embedded-plan']), ['types'], 'embedded-plan is types only');
  // Nothing runs on a consumer's install; packing (npm pack, npm publish, a git install)
  // builds what git does not hold: the cores and the demo plan's binding.
  const lifecycle = ['preinstall', 'install', 'postinstall', 'prepare', 'prepack', 'postpack'];
  assert.deepEqual(Object.keys(manifest.scripts ?? {}).filter((s) => lifecycle.includes(s)), ['prepack']);
  assert.equal(manifest.scripts.prepack, 'node scripts/build.js --no-demo');
  assert.ok(manifest.peerDependencies['@segment/analytics-next']);
  assert.equal(manifest.dependencies, undefined, 'the package has no runtime dependencies');
  assert.ok(Array.isArray(manifest.files));
  assert.equal(manifest.bin.trackplan, './js/node/cli.js');
});

test('npm pack includes the built wasm, the types and the CLI, and nothing else', () => {
  const [pack] = JSON.parse(execFileSync('npm', ['pack', '--dry-run', '--json', '--ignore-scripts'], { cwd: root, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }));
  const files = pack.files.map((f) => f.path).sort();
  for (const needed of [
    'js/index.js', 'js/index.d.ts', 'js/sdk/index.js', 'js/sdk/plugin.js', 'js/sdk/core.js', 'js/sdk/cores.js', 'js/sdk/protocol.js',
    'js/sdk/setup-mistakes.js', 'js/sdk/console.js', 'js/sdk/console-tools.js', 'js/sdk/environment.js', 'js/sdk/targets.js', 'js/sdk/delivery.js',
    'js/node/cli.js', 'js/node/binding.js', 'js/node/commands/build.js', 'js/node/commands/types.js', 'js/node/commands/check.js',
    'js/node/commands/pull.js', 'js/node/segment-api.js',
    'js/embedded-plan.d.ts', 'js/node/tools.js', 'js/testing/index.js', 'js/testing/helpers.js', 'js/testing/index.d.ts',
    'js/demo/index.js', 'js/demo/index.d.ts', 'js/demo/testing.js', 'js/demo/trackplan.wasm', 'js/demo/trackplan-dev.wasm',
    'js/wasm/trackplan.js', 'js/wasm/trackplan_basic.wasm', 'js/wasm/trackplan_lean.wasm', 'js/wasm/trackplan_complete.wasm',
    'js/wasm/trackplan_full.js', 'js/wasm/trackplan_full_bg.wasm', 'plan/default.json', 'package.json', 'README.md',
    'js/node/collector/index.js', 'js/node/collector/index.d.ts', 'js/node/collector/store.js', 'js/shared/expect.js',
    'js/inspector/index.js', 'js/inspector/index.d.ts', 'js/inspector/call-sites.js', 'js/inspector/panel.js',
    'docs/cli.md', 'docs/collector.md', 'docs/ci.md',
  ]) {
    assert.ok(files.includes(needed), `${needed} is missing from the tarball`);
  }
  const unexpected = files.filter((f) => !/^(js\/|docs\/[a-z]+\.md$|plan\/default\.json$|package\.json$|README\.md$|CHANGELOG\.md$)/.test(f));
  assert.deepEqual(unexpected, []);
  assert.ok(!files.some((f) => /\.rs$|^tests\/|^src\/|^www\//.test(f)));
});
