// The benchmark page (bench/page.js) runs: each measurement `npm run bench` makes is
// made here once, with a few calls, in headless Chromium, and returns figures. Nothing
// is timed against a threshold (speed is the benchmark's to report); this only keeps
// `npm run bench` working as the package changes under it.
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { createCollector } from '../../js/node/collector/index.js';
import { bundlePage } from '../../scripts/build.js';
import { root } from '../../scripts/toolchain.js';
import { launch } from './support/browser.js';

let dir;
let collector;
let browser;

before(async () => {
  dir = mkdtempSync(join(tmpdir(), 'trackplan-bench-'));
  await bundlePage(join(root, 'bench/page.js'), dir);
  writeFileSync(join(dir, 'plan.json'), readFileSync(join(root, 'plan/default.json')));
  writeFileSync(join(dir, 'index.html'), '<!doctype html><meta charset="utf-8"><script type="module" src="page.js"></script>');
  collector = await createCollector({ port: 0, staticDir: dir, quiet: true });
  browser = await launch();
});

after(async () => {
  await browser?.close();
  await collector?.close();
  rmSync(dir, { recursive: true, force: true });
});

/** Runs one of the page's measurements in a fresh page. */
async function measure(name, args) {
  const page = await browser.newPage();
  try {
    await page.goto(`${collector.url}/`);
    await page.waitForFunction(() => window.benchReady);
    return await page.evaluate(([n, a]) => window.bench[n](a), [name, args]);
  } finally {
    await page.close();
  }
}

/** Asserts that every named field of `result` is a positive, finite number. */
function assertFigures(result, fields) {
  for (const field of fields) assert.ok(Number.isFinite(result[field]) && result[field] > 0, `${field}: ${result[field]}`);
}

test('every measurement of the benchmark page runs and gives figures', async () => {
  const validation = await measure('validation', { calls: 50, rounds: 1 });
  assert.equal(validation.agree, true, 'trackplan and ajv agree on every call');
  assertFigures(validation, ['trackplanNs', 'ajvNs']);
  assertFigures(await measure('crossing', { calls: 50, rounds: 1 }), ['stringifyNs', 'encodeNs', 'coreCheckNs']);
  const track = await measure('track', { calls: 5, rounds: 2, writeKey: 'wk_bench_test' });
  assertFigures(track, ['bareNs', 'trackplanNs', 'ratio', 'ownNs']);
  assert.equal(track.ratioQuartiles.length, 2);
  assertFigures(await measure('startup', {}), ['firstMs']);
  assertFigures(await measure('startup', { prefetch: true }), ['firstMs']);
  assertFigures(await measure('stages', {}), ['compileMs', 'trackerMs']);
  const memory = await measure('memory', { calls: 2000 });
  assert.equal(memory.after, memory.before, 'linear memory does not grow over 2,000 calls');
});
