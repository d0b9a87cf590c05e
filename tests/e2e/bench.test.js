// The benchmark page (bench/page.js) runs: each measurement `npm run bench` makes is
// made here once, with a few calls, in headless Chromium, and returns figures, on a page
// bound to the demo plan and, for start-up, on one bound to a generated plan's binding
// (as the benchmark's 500-event one). Nothing is timed against a threshold (speed is the
// benchmark's to report); this only keeps `npm run bench` working as the package
// changes under it.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { generatedCall, generatePlan } from '../../bench/plans.js';
import { benchPage } from '../../bench/pages.js';
import { createCollector } from '../../js/node/collector/index.js';
import { root } from '../../scripts/toolchain.js';
import { writeBinding } from '../../scripts/weight.js';
import { launch } from './support/browser.js';

/** A generated plan's binding, as `npm run bench` binds a page to its 500-event one. */
const BOUND = { events: 20, binding: join(root, 'target/bench-test-binding'), path: '/bound/' };

let dir;
let collector;
let browser;

before(async () => {
  dir = mkdtempSync(join(tmpdir(), 'trackplan-bench-'));
  await writeBinding(JSON.stringify(generatePlan(BOUND.events)), `generated-${BOUND.events}.json`, BOUND.binding);
  await Promise.all([benchPage(dir), benchPage(join(dir, BOUND.path), BOUND.binding)]);
  collector = await createCollector({ port: 0, staticDir: dir, quiet: true });
  browser = await launch();
});

after(async () => {
  await browser?.close();
  await collector?.close();
  rmSync(dir, { recursive: true, force: true });
  rmSync(BOUND.binding, { recursive: true, force: true });
});

/** Runs one of the page's measurements in a fresh page (at `path`: the demo plan's by default). */
async function measure(name, args, path = '/') {
  const page = await browser.newPage();
  try {
    await page.goto(`${collector.url}${path}`);
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
  assertFigures(await measure('startup', { planSize: 20 }), ['firstMs']);
  assertFigures(await measure('stages', {}), ['compileMs', 'trackerMs']);
  const memory = await measure('memory', { calls: 4000, warmup: 1000 });
  // Mixed sizes fragment the heap: a 200 KB call may once find no free block large
  // enough and grow it by a step (7 pages, 448 KiB, measured), never by the run's length.
  assert.ok(memory.after - memory.before <= 1 << 20, `linear memory grew ${memory.after - memory.before} bytes over 4,000 calls after warm-up`);
});

test("a page bound to a generated plan's binding starts its own production core", async () => {
  assertFigures(await measure('startup', { prefetch: true }, BOUND.path), ['firstMs']);
  assertFigures(await measure('stages', { call: generatedCall(7) }, BOUND.path), ['compileMs', 'trackerMs', 'callMs']);
});
