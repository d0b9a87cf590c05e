// The guide's conventions through the shim in Chromium: setContext enrichment of what
// reaches analytics.js, newId, and identify's userId checks and debug hint.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { recordedPage, waitFor } from './support/browser.js';
import { useBrowserAndServer } from './support/server.js';

const stage = useBrowserAndServer();

/** Opens the test page with a debug tracker delegating to an analytics look-alike. */
async function openDebugTracker() {
  const session = await recordedPage(stage.browser);
  await session.page.goto(`http://127.0.0.1:${stage.server.port}/`);
  await session.page.waitForFunction(() => window.pageReady);
  await session.page.evaluate(async () => {
    window.received = [];
    const record = (method) => (...args) => window.received.push([method, ...args]);
    const analytics = { track: record('track'), identify: record('identify'), page: record('page'), group: record('group') };
    window.tracker = await window.trackplanModule.createTracker({ environment: 'development', analytics, debug: true });
  });
  return session;
}

test('setContext adds episode_id and user_type only where the plan declares them', async () => {
  const { page, record, close } = await openDebugTracker();
  const result = await page.evaluate(() => {
    const t = window.tracker;
    t.setContext({ episode_id: 'ep_1', user_type: 'patient' });
    const callId = t.newId('call');
    const verdicts = [
      t.track('call started', { call_id: callId, user_type: 'practitioner' }),
      t.track('user signed up', { signup_method: 'email' }),
    ];
    t.setContext({ episode_id: null });
    verdicts.push(t.track('call ended', { call_id: callId, type: 'ended_by_patient' }));
    return { callId, verdicts, received: window.received.map(([, event, props]) => [event, props]) };
  });
  assert.match(result.callId, /^call_[A-Za-z0-9_-]{22}$/);
  assert.deepEqual(result.verdicts.map((v) => [v.ok, v.action]), [[true, 'sent'], [true, 'sent'], [false, 'blocked']]);
  assert.deepEqual(result.received, [
    ['call started', { call_id: result.callId, user_type: 'practitioner', episode_id: 'ep_1' }],
    ['user signed up', { signup_method: 'email', user_type: 'patient' }],
  ]);
  assert.deepEqual(record.errors, []);
  await close();
});

test('identify: a missing userId is a violation, an email a hint, and a lone identify gets a hint', async () => {
  const { page, record, close } = await openDebugTracker();
  const verdicts = await page.evaluate(() => [
    window.tracker.identify(null, { user_type: 'patient' }),
    window.tracker.identify('ada@example.com', { user_type: 'patient' }),
  ]);
  assert.deepEqual(verdicts.map((v) => [v.ok, v.action]), [[false, 'blocked'], [true, 'sent']]);
  assert.equal(verdicts[0].violations[0].kind, 'user-id-missing');
  assert.deepEqual(verdicts[1].hints.map((h) => h.kind), ['user-id-email']);
  const hint = await waitFor(() => record.console.find((line) => line.includes('[identify-without-track]')));
  assert.match(hint, /^info: trackplan hint/);
  const last = await page.evaluate(() => window.tracker.events().at(-1).hints.map((h) => h.kind));
  assert.deepEqual(last, ['user-id-email', 'identify-without-track']);

  await page.evaluate(() => {
    window.tracker.identify('user_8f3a', { user_type: 'patient' });
    window.tracker.track('user signed up', { user_type: 'patient', signup_method: 'email' });
  });
  await page.evaluate(() => new Promise((r) => setTimeout(r, 50)));
  const hints = record.console.filter((line) => line.includes('[identify-without-track]'));
  assert.equal(hints.length, 1, 'an identify followed by a track in the same task gets no hint');
  assert.deepEqual(record.errors, []);
  await close();
});
