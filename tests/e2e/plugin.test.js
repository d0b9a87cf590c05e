// The analytics-next plugin with a real AnalyticsBrowser in Chromium: apps that call
// analytics.track directly get the plan's validation and policy; only what the policy
// lets through reaches the collector.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { recordedPage, waitFor } from './support/browser.js';
import { useBrowserAndServer } from './support/server.js';

const stage = useBrowserAndServer({ resetBetweenTests: true });

const CALL = { episode_id: 'ep_1', call_id: 'call_1', user_type: 'patient' };

/** Loads AnalyticsBrowser with the plugin on a page, then runs `calls` (a function body). */
async function withPlugin(pluginOptions, calls) {
  const session = await recordedPage(stage.browser);
  await session.page.goto(`http://127.0.0.1:${stage.server.port}/`);
  await session.page.waitForFunction(() => window.pageReady);
  await session.page.evaluate(
    async ({ pluginOptions, calls }) => {
      window.violations = [];
      const plugin = window.trackplanModule.trackplanPlugin({
        ...pluginOptions,
        onViolation: (verdict) => window.violations.push(verdict),
      });
      const [analytics] = await window.AnalyticsBrowser.load({ writeKey: 'wk_plugin', cdnURL: location.origin, plugins: [plugin] });
      window.analytics = analytics;
      new Function('analytics', calls)(analytics);
    },
    { pluginOptions, calls },
  );
  return session;
}

test('the plugin is a before plugin that blocks invalid and unplanned events', async () => {
  const { page, record, close } = await withPlugin(
    {},
    `const CALL = ${JSON.stringify(CALL)};
     analytics.track('call started', CALL);
     analytics.track('call started', { ...CALL, user_type: 'doctor' });
     analytics.track('Call Started', CALL);
     analytics.identify('user_1', { user_type: 'patient' });
     analytics.identify('user_2', { user_type: 'superuser' });
     analytics.page('app', 'episode', { episode_id: 'ep_1' });
     analytics.track('call ended', { episode_id: 'ep_1', call_id: 'call_1', type: 'ended_by_patient' });`,
  );
  const shape = await page.evaluate(() => {
    const plugin = window.trackplanModule.trackplanPlugin();
    return { name: plugin.name, type: plugin.type, handlers: ['track', 'identify', 'page', 'group'].map((m) => typeof plugin[m]) };
  });
  assert.deepEqual(shape, { name: 'trackplan', type: 'before', handlers: ['function', 'function', 'function', 'function'] });
  const events = await waitFor(async () => {
    const got = await stage.collected();
    return got.filter((e) => e.type !== 'identify' || e.userId).length >= 4 && got;
  });
  await new Promise((r) => setTimeout(r, 500)); // anything blocked would have arrived by now
  const all = await stage.collected();
  assert.deepEqual(
    all.filter((e) => e.type === 'track').map((e) => e.event).sort(),
    ['call ended', 'call started'],
  );
  assert.deepEqual(all.filter((e) => e.type === 'identify').map((e) => e.userId), ['user_1']);
  assert.equal(all.filter((e) => e.type === 'page').length, 1);
  assert.ok(events.every((e) => e.writeKey === 'wk_plugin'));
  const violations = await page.evaluate(() => window.violations.map((v) => [v.event ?? v.type, v.violations[0].kind]));
  assert.deepEqual(violations, [['call started', 'enum'], ['Call Started', 'unplanned_event'], ['identify', 'enum']]);
  assert.deepEqual(record.errors, []);
  assert.ok(record.console.some((m) => /^warning: trackplan: .*Call Started/.test(m)), record.console.join('\n'));
  await close();
});

test('in production the plugin omits unplanned properties and forwards violations', async () => {
  const { page, record, close } = await withPlugin(
    { environment: 'production' },
    `const CALL = ${JSON.stringify(CALL)};
     analytics.track('call started', { ...CALL, channel_id: 'ch_1' });
     analytics.track('call ended', { episode_id: 'ep_1', call_id: 'call_1', type: 'Patient' });`,
  );
  const events = await waitFor(async () => {
    const got = await stage.collected('?type=track');
    return got.length >= 3 && got;
  });
  await new Promise((r) => setTimeout(r, 500));
  const all = await stage.collected('?type=track');
  const started = all.filter((e) => e.event === 'call started');
  assert.equal(started.length, 1);
  assert.deepEqual(started[0].properties, CALL);
  assert.deepEqual(started[0].context.protocols?.omitted, ['channel_id'], 'what was omitted is listed, as createTracker lists it');
  assert.equal(all.filter((e) => e.event === 'call ended').length, 0, 'invalid event blocked');
  const forwarded = all.filter((e) => e.event === 'Violation Generated');
  assert.deepEqual(
    forwarded.map((e) => [e.properties.violationType, e.properties.violationField, e.properties.eventName]).sort(),
    [['enum', '/type', 'call ended'], ['unplanned_property', '/channel_id', 'call started']],
  );
  assert.ok(forwarded.every((e) => !('trackplanForwarded' in (e.context ?? {}))));
  assert.equal(events.length, 3);
  assert.deepEqual(record.errors, []);
  assert.equal(await page.evaluate(() => window.violations.length), 2);
  await close();
});

test("under identify: 'changed' the plugin drops a repeat, sends what changed, and follows analytics.reset()", async () => {
  const { record, close } = await withPlugin(
    { policy: { identify: 'changed' } },
    `analytics.identify('user_1', { user_type: 'patient', email: 'ada@example.com' });
     analytics.identify('user_1', { user_type: 'patient', email: 'ada@example.com' });
     analytics.identify('user_1', { email: 'ada@example.org' });
     analytics.reset();
     analytics.identify('user_1', { user_type: 'patient' });
     analytics.track('user signed up', { signup_method: 'email', user_type: 'patient' });`,
  );
  await waitFor(async () => (await stage.collected('?type=track')).length >= 1);
  await new Promise((r) => setTimeout(r, 500)); // a skipped identify would have arrived by now
  const identifies = (await stage.collected()).filter((e) => e.type === 'identify');
  // analytics-next sends the traits it keeps for the user with each identify; the plugin
  // sees them, and leaves out those the session already sent.
  assert.deepEqual(
    identifies.map((e) => [e.userId, e.traits]),
    [
      ['user_1', { user_type: 'patient', email: 'ada@example.com' }],
      ['user_1', { email: 'ada@example.org' }],
      ['user_1', { user_type: 'patient' }],
    ],
  );
  assert.notEqual(identifies[1].anonymousId, identifies[2].anonymousId, 'reset() starts a new anonymous user');
  assert.deepEqual(record.errors, []);
  await close();
});
