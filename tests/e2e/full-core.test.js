// The full core is loaded lazily, in Chromium: a production page fetches its binding's
// production core only (`trackplan.wasm`), never the full core's glue chunk or wasm, and
// its verdicts carry no advice; a development page fetches the binding's development
// core (the full core with the plan, `trackplan-dev.wasm`) for its advice (hints, "did
// you mean"); a page that passes a plan at run time fetches the full core (and not the
// production core), and its calls are checked against that plan. The test page is
// bundled with code splitting, as an app's bundler does (scripts/build.js bundlePage).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { recordedPage } from './support/browser.js';
import { ORDER_PLAN } from './support/plans.js';
import { useBrowserAndServer } from './support/server.js';

const stage = useBrowserAndServer();

const STARTED = { episode_id: 'ep_1', call_id: 'call_1', user_type: 'patient' };

/**
 * Opens the test page, creates a tracker in `environment` (with `plan` when given) that
 * hands its calls to a stand-in for analytics.js, and makes three calls; returns the
 * `[kind, path]` of each verdict's violations, the `advice` of two more calls (the
 * unplanned-event message of a misspelled `call started`, and the hints of an identify
 * with an email as userId), the URLs the page requested, and its errors.
 */
async function trackerPage(plan, environment = 'development') {
  const { page, record, close } = await recordedPage(stage.browser);
  await page.goto(`http://127.0.0.1:${stage.server.port}/`);
  await page.waitForFunction(() => window.pageReady);
  const { violations, advice } = await page.evaluate(
    async ({ plan, environment, started }) => {
      const analytics = { track() {}, identify() {}, page() {}, group() {} };
      const tracker = await window.trackplanModule.createTracker({ environment, analytics, global: false, plan });
      const violations = [
        tracker.track('call started', started),
        tracker.track('order completed', { order_id: 'o_1' }),
        tracker.track('order completed', {}),
      ].map((verdict) => verdict.violations.map((v) => [v.kind, v.path]));
      const typo = tracker.validate({ type: 'track', event: 'call startd', properties: started });
      const email = tracker.validate({ type: 'identify', userId: 'ada@example.com', traits: { user_type: 'patient' } });
      return { violations, advice: { typo: typo.violations[0].message, emailHints: email.hints.map((h) => h.kind) } };
    },
    { plan, environment, started: STARTED },
  );
  const requested = record.requests.map((url) => new URL(url).pathname);
  await close();
  return { violations, advice, requested, errors: record.errors };
}

/** The full core's files a page requested: the glue's chunk and the development core. */
const fullCore = (requested) => requested.filter((path) => path.includes('trackplan_full') || path.includes('trackplan-dev'));

test('a production page never fetches the full core, and gets no advice', async () => {
  const production = await trackerPage(undefined, 'production');
  assert.ok(production.requested.includes('/trackplan.wasm'), production.requested.join('\n'));
  assert.deepEqual(fullCore(production.requested), [], 'neither the glue chunk nor the wasm');
  assert.deepEqual(production.violations, [[], [['unplanned_event', '']], [['unplanned_event', '']]]);
  assert.deepEqual(production.advice, {
    typo: '`call startd` is not in the tracking plan: add it to the plan, or check the name',
    emailHints: [],
  });
  assert.deepEqual(production.errors, []);
});

test('a development page fetches the full core with the plan, for its hints and suggestions', async () => {
  const development = await trackerPage(undefined, 'development');
  assert.equal(fullCore(development.requested).length, 2, fullCore(development.requested).join('\n'));
  assert.ok(development.requested.includes('/trackplan-dev.wasm'));
  assert.ok(!development.requested.includes('/trackplan.wasm'), 'the production core is not started');
  assert.deepEqual(development.violations, [[], [['unplanned_event', '']], [['unplanned_event', '']]], 'the bound plan');
  assert.deepEqual(development.advice, {
    typo: '`call startd` is not in the tracking plan: did you mean `call started`?',
    emailHints: ['user-id-email'],
  });
  assert.deepEqual(development.errors, []);
});

test('a page that passes a plan fetches the full core, even in production, and checks its calls against that plan', async () => {
  for (const environment of ['development', 'production']) {
    const runtime = await trackerPage(ORDER_PLAN, environment);
    const full = fullCore(runtime.requested);
    assert.equal(full.length, 2, full.join('\n'));
    assert.match(full.find((path) => path.endsWith('.js')) ?? '', /^\/trackplan_full-\w+\.js$/, 'the glue, as a chunk of its own');
    assert.ok(full.includes('/trackplan-dev.wasm'));
    assert.ok(!runtime.requested.includes('/trackplan.wasm'), 'the production core is not started');
    assert.deepEqual(runtime.violations, [[['unplanned_event', '']], [], [['required', '']]], environment);
    assert.deepEqual(runtime.errors, []);
  }
});

test('a full core that cannot load (its wasm answered with a 404): passthrough and one warning, nothing thrown', async () => {
  const { page, record, close } = await recordedPage(stage.browser);
  await page.route('**/trackplan-dev.wasm', (route) => route.fulfill({ status: 404, body: 'not found' }));
  await page.goto(`http://127.0.0.1:${stage.server.port}/`);
  await page.waitForFunction(() => window.pageReady);
  const result = await page.evaluate(async (plan) => {
    const analytics = { track() {}, identify() {}, page() {}, group() {} };
    const tracker = await window.trackplanModule.createTracker({ environment: 'development', analytics, global: false, plan });
    return { status: tracker.status, verdict: tracker.track('order completed', {}) };
  }, ORDER_PLAN);
  assert.equal(result.status, 'passthrough');
  assert.deepEqual([result.verdict.ok, result.verdict.validated], [true, false]);
  assert.equal(record.console.filter((m) => m.includes('WebAssembly could not start')).length, 1);
  assert.deepEqual(record.errors, []);
  await close();
});
