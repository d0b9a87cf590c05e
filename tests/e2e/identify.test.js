// The implementation guide's identify rules through the shim in Chromium: outside
// production a repeated identify gets a hint; under the policy `identify: 'changed'` a
// repeat is skipped and an update hands analytics.js only what changed, in every
// environment; `reset()` ends the session. With the real analytics-next, the collector
// shows what leaves the page.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { recordedPage, waitFor } from './support/browser.js';
import { useBrowserAndServer } from './support/server.js';

const stage = useBrowserAndServer({ resetBetweenTests: true });

/** Opens the test page and creates `window.tracker` with `options` (JSON). */
async function openTracker(options) {
  const session = await recordedPage(stage.browser);
  await session.page.goto(`http://127.0.0.1:${stage.server.port}/`);
  await session.page.waitForFunction(() => window.pageReady);
  await session.page.evaluate(async (options) => {
    window.received = [];
    if (options.lookAlike) {
      const record = (method) => (...args) => window.received.push([method, ...args]);
      options.analytics = { track: record('track'), identify: record('identify'), page: record('page'), group: record('group'), reset: record('reset') };
      delete options.lookAlike;
    } else {
      options.segment = { settings: { cdnURL: location.origin } };
    }
    window.tracker = await window.trackplanModule.createTracker(options);
    await window.tracker.ready;
  }, options);
  return session;
}

const ADA = { user_type: 'patient', email: 'ada@example.com' };
const ADA_MOVED = { user_type: 'patient', email: 'ada@example.org' };

test('outside production, a repeated identify and resent traits get hints, and are sent', async () => {
  const { page, record, close } = await openTracker({ environment: 'development', lookAlike: true, debug: true });
  const verdicts = await page.evaluate(
    ([ada, moved]) => [
      window.tracker.identify('user_1', ada),
      window.tracker.identify('user_1', ada),
      window.tracker.identify('user_1', moved),
      window.tracker.identify('user_2', moved),
    ],
    [ADA, ADA_MOVED],
  );
  assert.deepEqual(
    verdicts.map((v) => [v.ok, v.action, v.hints.map((h) => h.kind)]),
    [
      [true, 'sent', []],
      [true, 'sent', ['identify-repeated']],
      [true, 'sent', ['identify-unchanged-traits']],
      [true, 'sent', []],
    ],
  );
  assert.match(verdicts[2].hints[0].message, /`user_type`/);
  const received = await page.evaluate(() => window.received.filter(([m]) => m === 'identify').map(([, id, traits]) => [id, traits]));
  assert.deepEqual(received, [['user_1', ADA], ['user_1', ADA], ['user_1', ADA_MOVED], ['user_2', ADA_MOVED]], 'hints never change what is sent');
  await waitFor(() => record.console.some((line) => line.includes('[identify-repeated]')));
  assert.deepEqual(record.errors, []);
  await close();
});

test("identify: 'changed' in production skips a repeat, sends only what changed, and reset() starts over", async () => {
  const { page, record, close } = await openTracker({ environment: 'production', lookAlike: true, policy: { identify: 'changed' } });
  const result = await page.evaluate(
    ([ada, moved]) => {
      const t = window.tracker;
      const verdicts = [t.identify('user_1', ada), t.identify('user_1', { ...ada }), t.identify('user_1', moved)];
      t.reset();
      verdicts.push(t.identify('user_1', moved));
      const history = t.events().map((e) => [e.action, e.unchanged ?? []]);
      return { verdicts, history, received: window.received.map(([m, id, traits]) => (m === 'reset' ? [m] : [m, id, traits])) };
    },
    [ADA, ADA_MOVED],
  );
  assert.deepEqual(
    result.verdicts.map((v) => [v.ok, v.action, v.unchanged ?? [], v.hints.length]),
    [
      [true, 'sent', [], 0],
      [true, 'skipped', ['user_type', 'email'], 0],
      [true, 'sent', ['user_type'], 0],
      [true, 'sent', [], 0],
    ],
  );
  assert.deepEqual(result.history, [['sent', []], ['skipped', ['user_type', 'email']], ['sent', ['user_type']], ['sent', []]], 'the record lists what was left out');
  assert.deepEqual(result.received, [
    ['identify', 'user_1', ADA],
    ['identify', 'user_1', { email: 'ada@example.org' }],
    ['reset'],
    ['identify', 'user_1', ADA_MOVED],
  ]);
  assert.deepEqual(record.errors, []);
  await close();
});

test("identify: 'changed' with the real analytics-next: the repeat never reaches the collector", async () => {
  const { page, record, close } = await openTracker({ environment: 'development', writeKeys: { development: 'wk_identify' }, policy: { identify: 'changed' } });
  const actions = await page.evaluate(
    ([ada, moved]) => {
      const t = window.tracker;
      const actions = [t.identify('user_1', ada), t.identify('user_1', ada), t.identify('user_1', moved)].map((v) => v.action);
      t.track('user signed up', { signup_method: 'email', user_type: 'patient' });
      return actions;
    },
    [ADA, ADA_MOVED],
  );
  assert.deepEqual(actions, ['sent', 'skipped', 'sent']);
  await waitFor(async () => (await stage.collected()).some((e) => e.type === 'track'), 30_000);
  const identifies = (await stage.collected()).filter((e) => e.type === 'identify');
  // analytics-next keeps the user's traits and sends them all with each identify: the
  // update arrives whole, though only `email` was handed to it.
  assert.deepEqual(
    identifies.map((e) => [e.userId, e.traits]),
    [['user_1', ADA], ['user_1', ADA_MOVED]],
  );
  assert.deepEqual(record.errors, []);
  await close();
});
