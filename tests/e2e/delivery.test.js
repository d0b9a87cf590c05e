// End to end: the shim and the real analytics-next in headless Chromium, delivering to
// the local collector. Valid calls arrive with the write key of the page's environment;
// invalid ones do not.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { recordedPage, waitFor } from './support/browser.js';
import { useBrowserAndServer } from './support/server.js';

const stage = useBrowserAndServer({ resetBetweenTests: true });

const WRITE_KEYS = { production: 'wk_prod', staging: 'wk_staging', development: 'wk_dev' };
const HOSTS = { production: ['app.example.com', 'www.example.com'], staging: ['staging.example.com'] };

/** Opens the test page on `host` and creates a tracker there. */
async function openTracker(host, extra = '{}') {
  const session = await recordedPage(stage.browser);
  await session.page.goto(`http://${host}:${stage.server.port}/`);
  await session.page.waitForFunction(() => window.pageReady);
  await session.page.evaluate(
    async ({ writeKeys, hosts, extra }) => {
      window.tracker = await window.trackplanModule.createTracker({
        writeKeys,
        hosts,
        segment: { settings: { cdnURL: location.origin } },
        ...JSON.parse(extra),
      });
    },
    { writeKeys: WRITE_KEYS, hosts: HOSTS, extra },
  );
  return session;
}

const VALID = [
  ['user signed up', { user_type: 'patient', signup_method: 'email' }],
  ['call started', { episode_id: 'ep_1', call_id: 'call_1', user_type: 'practitioner', call_type: 'video' }],
  ['call ended', { episode_id: 'ep_1', call_id: 'call_1', type: 'ended_by_patient', duration_seconds: 61 }],
  ['questionnaire submitted', { episode_id: 'ep_1', qnaire_tid: 'qnaire_1', question_count: 3 }],
];
const INVALID = [
  ['call started', { call_id: 'call_2', user_type: 'patient' }], // episode_id missing
  ['call ended', { episode_id: 'ep_1', call_id: 'call_1', type: 'Patient' }], // not an allowed value
  ['Call Started', { episode_id: 'ep_1' }], // not in the plan
];

async function trackAll(page, calls) {
  return page.evaluate((calls) => calls.map(([event, props]) => window.tracker.track(event, props)), calls);
}

describe('delivery through analytics-next to the collector', () => {
  test('on a local host only the valid events arrive, with the development key', async () => {
    const { page, record, close } = await openTracker('127.0.0.1');
    assert.equal(await page.evaluate(() => window.tracker.environment), 'development');
    const verdicts = await trackAll(page, [...VALID, ...INVALID]);
    assert.deepEqual(verdicts.map((v) => v.ok), [true, true, true, true, false, false, false]);
    assert.deepEqual(verdicts.slice(4).map((v) => v.action), ['blocked', 'blocked', 'blocked']);
    assert.deepEqual(
      verdicts[4].violations.map((v) => [v.kind, v.path]),
      [['required', '']],
    );
    assert.match(verdicts[5].violations[0].message, /one of ended_by_patient, ended_by_practitioner/);
    assert.match(verdicts[6].violations[0].message, /did you mean `call started`/);

    const tracks = await waitFor(async () => {
      const events = await stage.collected('?type=track');
      return events.length >= VALID.length && events;
    });
    await new Promise((r) => setTimeout(r, 500)); // anything extra would have arrived by now
    const all = await stage.collected('?type=track');
    assert.deepEqual(all.map((e) => e.event).sort(), VALID.map(([e]) => e).sort());
    assert.ok(tracks.every((e) => e.writeKey === 'wk_dev'));
    assert.deepEqual(
      all.find((e) => e.event === 'call ended').properties,
      VALID[2][1],
    );
    assert.deepEqual(record.errors, []);
    await close();
  });

  test('on the production host the production key is used and violations are forwarded', async () => {
    const { page, record, close } = await openTracker('app.example.com');
    assert.equal(await page.evaluate(() => window.tracker.environment), 'production');
    assert.equal(await page.evaluate(() => window.tracker.writeKey), 'wk_prod');
    const verdicts = await trackAll(page, [
      VALID[1],
      INVALID[1],
      ['call started', { ...VALID[1][1], channel_id: 'ch_1' }], // unplanned property: omitted
    ]);
    assert.deepEqual(verdicts.map((v) => v.ok), [true, false, false]);
    assert.deepEqual(verdicts[2].omitted, ['channel_id']);
    const events = await waitFor(async () => {
      const got = await stage.collected('?type=track');
      return got.length >= 4 && got;
    });
    assert.ok(events.every((e) => e.writeKey === 'wk_prod'));
    const sent = events.filter((e) => e.event === 'call started');
    assert.equal(sent.length, 2);
    assert.ok(sent.every((e) => !('channel_id' in e.properties)), 'unplanned property omitted');
    const forwarded = events.filter((e) => e.event === 'Violation Generated');
    assert.deepEqual(
      forwarded.map((e) => [e.properties.violationType, e.properties.violationField, e.properties.eventName]).sort(),
      [
        ['enum', '/type', 'call ended'],
        ['unplanned_property', '/channel_id', 'call started'],
      ],
    );
    assert.equal(forwarded[0].properties.trackingPlanId, 'tp_trackplan_default');
    assert.deepEqual(record.errors, []);
    await close();
  });

  test('the staging host uses the staging key', async () => {
    const { page, close } = await openTracker('staging.example.com');
    assert.equal(await page.evaluate(() => window.tracker.environment), 'staging');
    await trackAll(page, [VALID[0]]);
    const events = await waitFor(async () => (await stage.collected('?type=track')).length && stage.collected('?type=track'));
    assert.deepEqual(events.map((e) => e.writeKey), ['wk_staging']);
    await close();
  });

  test('calls made before analytics.js is ready are queued, then all delivered once', async () => {
    const { page, close } = await recordedPage(stage.browser);
    await page.goto(`http://127.0.0.1:${stage.server.port}/`);
    await page.waitForFunction(() => window.pageReady);
    const { status, actions } = await page.evaluate(async (writeKeys) => {
      window.tracker = await window.trackplanModule.createTracker({
        writeKeys,
        segment: { settings: { cdnURL: location.origin } },
      });
      // Same task as the creation: analytics.js cannot have loaded yet.
      const status = window.tracker.status;
      const actions = [];
      for (let i = 0; i < 20; i++) {
        actions.push(window.tracker.track('call started', { episode_id: `ep_${i}`, call_id: 'c', user_type: 'patient' }).action);
      }
      return { status, actions };
    }, WRITE_KEYS);
    assert.equal(status, 'loading');
    assert.ok(actions.every((a) => a === 'queued'), actions.join());
    const events = await waitFor(async () => {
      const got = await stage.collected('?type=track');
      return got.length === 20 && got;
    });
    assert.equal(events.length, 20);
    assert.equal(new Set(events.map((e) => e.messageId)).size, 20);
    // Requests may arrive in any order; the order of hand-over is tested in delivery.test.js.
    assert.deepEqual(
      events.map((e) => e.properties.episode_id).sort(),
      Array.from({ length: 20 }, (_, i) => `ep_${i}`).sort(),
    );
    assert.equal(await page.evaluate(() => window.tracker.status), 'ready');
    await close();
  });

  test('a settings request that never answers times out into unavailable (loadTimeout)', async () => {
    const { page, record, close } = await recordedPage(stage.browser);
    const held = [];
    await page.route('**/v1/projects/*/settings', (route) => held.push(route));
    await page.goto(`http://127.0.0.1:${stage.server.port}/`);
    await page.waitForFunction(() => window.pageReady);
    const { before, after, action } = await page.evaluate(async (writeKeys) => {
      const tracker = await window.trackplanModule.createTracker({
        writeKeys,
        segment: { settings: { cdnURL: location.origin } },
        loadTimeout: 300,
      });
      const before = tracker.status;
      tracker.track('call started', { episode_id: 'ep_1', call_id: 'c', user_type: 'patient' });
      await tracker.ready;
      const { action } = tracker.track('call started', { episode_id: 'ep_2', call_id: 'c', user_type: 'patient' });
      return { before, after: tracker.status, action };
    }, WRITE_KEYS);
    assert.equal(held.length, 1, 'the settings request was made, and held');
    assert.deepEqual([before, after, action], ['loading', 'unavailable', 'dropped']);
    assert.ok(record.console.some((line) => /did not load within 0\.3 s .*\/v1\/projects\/wk_dev\/settings did not answer/.test(line)), record.console.join('\n'));
    await Promise.all(held.map((route) => route.abort().catch(() => {})));
    await close();
  });

  test('identify and page reach the collector; window.trackplan is the tracker', async () => {
    const { page, close } = await openTracker('127.0.0.1');
    const verdicts = await page.evaluate(() => [
      window.tracker.identify('user_1', { user_type: 'patient', email: 'pat@example.com' }),
      window.tracker.identify('user_2', { user_type: 'doctor' }),
      window.tracker.page('app', 'episode', { episode_id: 'ep_1' }),
    ]);
    assert.deepEqual(verdicts.map((v) => v.ok), [true, false, true]);
    const events = await waitFor(async () => {
      const got = await stage.collected();
      return got.filter((e) => e.type !== 'track').length >= 2 && got;
    });
    const identifies = events.filter((e) => e.type === 'identify');
    assert.deepEqual(identifies.map((e) => e.userId), ['user_1']);
    assert.equal(identifies[0].traits.user_type, 'patient');
    assert.equal(events.filter((e) => e.type === 'page').length, 1);
    const consoleView = await page.evaluate(() => ({
      same: window.trackplan === window.tracker,
      history: window.trackplan.events().map((e) => [e.type, e.ok]),
    }));
    assert.equal(consoleView.same, true);
    assert.deepEqual(consoleView.history, [['identify', true], ['identify', false], ['page', true]]);
    await close();
  });
});
