// The browser console (`window.trackplan`) and trackplan/testing in headless Chromium:
// debug logging switched on by the URL or localStorage, help, events, violations,
// explain, validate; the test tracker in a page. Help and the debug log come from the
// console tools, which a page fetches only when it first needs them.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { recordedPage, waitFor } from './support/browser.js';
import { useBrowserAndServer } from './support/server.js';

const stage = useBrowserAndServer();

/** Opens the test page (with `query`), optionally sets localStorage, creates a tracker. */
async function openConsole(query = '', storage = {}) {
  const session = await recordedPage(stage.browser);
  await session.page.goto(`http://127.0.0.1:${stage.server.port}/${query}`);
  await session.page.waitForFunction(() => window.pageReady);
  await session.page.evaluate(async (storage) => {
    for (const [key, value] of Object.entries(storage)) localStorage.setItem(key, value);
    await window.trackplanModule.createTracker({ writeKeys: { development: 'wk_dev' }, segment: { settings: { cdnURL: location.origin } } });
  }, storage);
  return session;
}

const VALID = ['call started', { episode_id: 'ep_1', call_id: 'call_1', user_type: 'patient' }];
const INVALID = ['call ended', { episode_id: 'ep_1', call_id: 'call_1', type: 'Patient' }];

/** The console messages from the collapsed groups trackplan logged. */
function groups(record) {
  return record.console.filter((line) => line.startsWith('startGroupCollapsed: '));
}

test('?trackplan_debug=1 logs every call as a collapsed group with violations and the payload sent', async () => {
  const { page, record, close } = await openConsole('?trackplan_debug=1');
  await page.evaluate(([valid, invalid]) => {
    window.trackplan.track(...valid);
    window.trackplan.track(...invalid);
  }, [VALID, INVALID]);
  const logged = groups(record);
  assert.equal(logged.length, 2);
  assert.match(logged[0], /trackplan ✓ call started.*development · (sent|queued)/);
  assert.match(logged[1], /trackplan ✗ call ended.*development · blocked/);
  // Where each call was made: the page's frame (here, the test's evaluated function).
  for (const line of logged) assert.match(line, / · at \S+:\d+:\d+/);
  assert.ok(record.console.some((line) => line.startsWith('table: ')), 'violations as a console.table');
  assert.ok(record.console.some((line) => /^log: handed to analytics\.js: /.test(line)));
  assert.ok(record.console.some((line) => line === 'log: handed to analytics.js: nothing (blocked)'));
  await close();
});

test("localStorage.trackplan_debug = '1' switches debug logging on; without a flag there is none", async () => {
  const flagged = await openConsole('', { trackplan_debug: '1' });
  await flagged.page.evaluate((valid) => window.trackplan.track(...valid), VALID);
  assert.equal(groups(flagged.record).length, 1);
  await flagged.page.evaluate(() => localStorage.removeItem('trackplan_debug'));
  await flagged.close();

  const plain = await openConsole();
  await plain.page.evaluate((valid) => window.trackplan.track(...valid), VALID);
  assert.equal(groups(plain.record).length, 0);
  assert.ok(!plain.record.requests.some((url) => url.includes('console-tools')), 'no console tools without debugging');
  // Switched on and used in the same task: the call is logged once the tools arrive.
  await plain.page.evaluate((valid) => {
    window.trackplan.debug(true);
    window.trackplan.track(...valid);
  }, VALID);
  await waitFor(() => groups(plain.record).length === 1);
  await plain.page.evaluate((valid) => window.trackplan.track(...valid), VALID);
  assert.equal(groups(plain.record).length, 2, 'then every call is logged as it is made');
  await plain.close();
});

test('help, events, violations, explain and validate from the console', async () => {
  const { page, record, close } = await openConsole();
  const result = await page.evaluate(async ([valid, invalid]) => {
    const t = window.trackplan;
    await t.help();
    t.track(...valid);
    t.track(...invalid);
    t.identify('user_1', { user_type: 'Patient' });
    const dryRun = t.validate({ type: 'track', event: 'call started', properties: { call_id: 'c' } });
    return {
      events: t.events().map((e) => [e.type, e.event ?? null, e.ok]),
      violations: t.violations().map((e) => e.violations.map((v) => v.message)),
      dryRun: { ok: dryRun.ok, kinds: dryRun.violations.map((v) => v.kind) },
      explained: await t.explain('call started'),
      unknown: await t.explain('Call Started'),
      identifyRules: (await t.explain('identify')).map((row) => row.property),
    };
  }, [VALID, INVALID]);
  assert.ok(record.console.some((line) => line.includes("trackplan.explain('call started')")), 'help lists explain');
  assert.deepEqual(result.events, [
    ['track', 'call started', true],
    ['track', 'call ended', false],
    ['identify', null, false],
  ]);
  assert.equal(result.violations.length, 2);
  assert.match(result.violations[1][0], /`user_type` must be one of patient, practitioner, hr_admin, admin; got "Patient".*lower case/);
  assert.deepEqual(result.dryRun, { ok: false, kinds: ['required', 'required'] });
  const episode = result.explained.find((row) => row.property === 'user_type');
  assert.deepEqual(
    { ...episode, description: typeof episode.description },
    { property: 'user_type', type: 'enum', required: true, allowed: '"patient", "practitioner"', constraints: '', description: 'string' },
  );
  assert.equal(result.explained.find((row) => row.property === 'episode_id').constraints, 'length ≥ 1');
  assert.deepEqual(result.unknown, []);
  assert.ok(record.console.some((line) => /^warning: trackplan: "Call Started" is not in the plan. Planned events: .*call started/.test(line)));
  assert.ok(result.identifyRules.includes('email'));
  await close();
});

test('trackplan/testing works in the browser: nothing loaded or sent, calls captured', async () => {
  const { page, record, close } = await recordedPage(stage.browser);
  await page.goto(`http://127.0.0.1:${stage.server.port}/`);
  await page.waitForFunction(() => window.pageReady);
  const result = await page.evaluate(async (valid) => {
    const t = await window.trackplanTesting.createTestTracker();
    t.track(...valid);
    let thrown = null;
    try {
      t.track('call started', { call_id: 'c' });
    } catch (error) {
      thrown = error.name;
    }
    let miss = null;
    try {
      t.expectTracked('call started', { episode_id: 'ep_2' });
    } catch (error) {
      miss = error.message;
    }
    return {
      environment: t.environment,
      found: t.expectTracked('call started', { episode_id: 'ep_1' }).event,
      captured: t.all().map((c) => [c.event, c.action]),
      thrown,
      miss,
      global: 'trackplan' in window,
    };
  }, VALID);
  assert.equal(result.environment, 'test');
  assert.equal(result.found, 'call started');
  assert.deepEqual(result.captured, [['call started', 'sent'], ['call started', 'blocked']]);
  assert.equal(result.thrown, 'TrackingPlanError');
  assert.match(result.miss, /- episode_id: "ep_2"\n\+ episode_id: "ep_1"/);
  assert.equal(result.global, false, 'a test tracker does not take window.trackplan');
  assert.ok(!record.requests.some((url) => url.includes('/v1/')), 'nothing loaded or sent');
  await close();
});
