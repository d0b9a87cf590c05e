// trackplan/testing in Node: the wasm core loads from disk, nothing is sent, calls are
// captured, and expectTracked explains a miss.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { TrackingPlanError } from '../js/index.js';
import { createTestTracker } from '../js/testing/index.js';
import { ORDER_PLAN } from './e2e/support/plans.js';

const STARTED = { episode_id: 'ep_1', call_id: 'call_1', user_type: 'patient' };

describe('createTestTracker in Node', () => {
  test('runs in the test environment and captures calls with their verdicts', async () => {
    const t = await createTestTracker();
    assert.equal(t.environment, 'test');
    assert.equal(t.writeKey, null);
    t.identify('user_1', { user_type: 'patient' });
    t.track('call started', STARTED);
    t.page('app', 'episode', { episode_id: 'ep_1' });
    assert.deepEqual(t.all().map((c) => c.type), ['identify', 'track', 'page']);
    assert.equal(t.ofType('track').length, 1);
    assert.equal(t.firstOfType('identify').userId, 'user_1');
    assert.deepEqual(t.firstOfType('identify').sent, { user_type: 'patient' });
    assert.equal(t.firstOfType('page').name, 'episode');
    assert.deepEqual(t.find('call started')[0].sent, STARTED);
    assert.equal(t.find('call ended').length, 0);
    assert.equal(t.expectTracked('call started', { episode_id: 'ep_1' }).event, 'call started');
    t.reset();
    assert.deepEqual(t.all(), []);
  });

  test("records what identify: 'changed' left out, and reset() ends the session too", async () => {
    const t = await createTestTracker({ policy: { identify: 'changed' } });
    t.identify('user_1', { user_type: 'patient', name: 'Ada' });
    t.identify('user_1', { user_type: 'patient', name: 'Ada Lovelace' });
    t.identify('user_1', { user_type: 'patient' });
    assert.deepEqual(
      t.ofType('identify').map((c) => [c.action, c.unchanged ?? [], c.sent]),
      [
        ['sent', [], { user_type: 'patient', name: 'Ada' }],
        ['sent', ['user_type'], { name: 'Ada Lovelace' }],
        ['skipped', ['user_type'], null],
      ],
    );
    t.reset();
    t.identify('user_1', { user_type: 'patient' });
    assert.deepEqual(t.all().map((c) => [c.action, c.sent]), [['sent', { user_type: 'patient' }]], 'a first identify again');
  });

  test('a captured call shows what analytics.js got: context properties added, unplanned ones omitted', async () => {
    const t = await createTestTracker({ policy: { unplannedProperties: 'omit', throwOnViolation: false } });
    t.setContext({ episode_id: 'ep_1', user_type: 'patient' });
    t.track('call started', { call_id: 'call_1', channel_id: 'ch_1' });
    const [call] = t.all();
    assert.deepEqual(call.properties, { call_id: 'call_1', channel_id: 'ch_1' }, 'the arguments as the page passed them');
    assert.deepEqual(call.sent, { call_id: 'call_1', episode_id: 'ep_1', user_type: 'patient' });
    assert.equal(t.expectTracked('call started', { episode_id: 'ep_1', call_id: 'call_1' }), call);
  });

  test('setContext refuses a value too large to add to calls, says why, and keeps the one before', async (ctx) => {
    const warnings = ctx.mock.method(console, 'warn', () => {});
    const t = await createTestTracker();
    t.setContext({ episode_id: 'ep_1', user_type: 'patient' });
    t.setContext({ episode_id: 'c'.repeat(16 * 2 ** 20) });
    assert.equal(warnings.mock.callCount(), 1);
    assert.match(
      warnings.mock.calls[0].arguments[0],
      /^trackplan: setContext ignored `episode_id`: its value is 16385 KB of JSON, over the 30 KB a context property may hold: set an id or a short value$/,
    );
    t.track('call started', { call_id: 'call_1' });
    assert.deepEqual(t.all()[0].sent, STARTED);
  });

  test('a call that breaks the plan throws a TrackingPlanError, and is captured', async () => {
    const t = await createTestTracker();
    assert.throws(
      () => t.track('call ended', { episode_id: 'ep_1', call_id: 'call_1', type: 'Patient' }),
      (error) => error instanceof TrackingPlanError && /one of ended_by_patient, ended_by_practitioner/.test(error.message),
    );
    const [call] = t.all();
    assert.equal(call.ok, false);
    assert.equal(call.action, 'blocked');
    assert.equal(call.sent, null);
    assert.deepEqual(call.violations.map((v) => [v.kind, v.path]), [['enum', '/type']]);
  });

  test("a TrackingPlanError's message lists the violations, a line each", () => {
    const violations = [{ message: 'first' }, { message: 'second' }];
    const error = new TrackingPlanError({ event: 'call ended', type: 'track', violations });
    assert.equal(error.message, 'trackplan: `call ended` does not follow the tracking plan:\n  - first\n  - second');
    assert.equal(new TrackingPlanError({ type: 'identify', violations }).message.split('\n')[0], 'trackplan: identify does not follow the tracking plan:');
  });

  test('expectTracked fails with a diff of the closest captured call', async () => {
    const t = await createTestTracker({ policy: { throwOnViolation: false } });
    t.track('user signed up', { user_type: 'patient', signup_method: 'email' });
    t.track('call started', { ...STARTED, user_type: 'practitioner' });
    assert.throws(
      () => t.expectTracked('call started', { episode_id: 'ep_1', user_type: 'patient' }),
      (error) => {
        assert.match(error.message, /expected a track call "call started"/);
        assert.match(error.message, /closest of 2 captured call\(s\) was track "call started"/);
        assert.match(error.message, /- user_type: "patient"\n\+ user_type: "practitioner"/);
        assert.doesNotMatch(error.message.split('captured):')[1], /episode_id/, 'matching keys are not in the diff');
        return true;
      },
    );
    // A blocked call never satisfies expectTracked, and the diff says why.
    t.track('call started', { call_id: 'call_2', user_type: 'patient' });
    assert.throws(() => t.expectTracked('call started', { call_id: 'call_2' }), /not handed to analytics\.js \(blocked\)/);
  });

  test("expectTracked matches nested properties partially, as the collector's expectReceived does", async () => {
    const t = await createTestTracker({ plan: ORDER_PLAN, policy: { throwOnViolation: false, unplannedProperties: 'allow' } });
    t.track('order completed', { order_id: 'o_1', shipping: { city: 'Paris', zip: '75001' } });
    assert.equal(t.expectTracked('order completed', { shipping: { city: 'Paris' } }).event, 'order completed');
    assert.throws(
      () => t.expectTracked('order completed', { shipping: { city: 'Lyon' } }),
      /\(- expected, \+ captured\):\n- shipping\.city: "Lyon"\n\+ shipping\.city: "Paris"/,
    );
  });

  test('policy overrides and a plan given at run time', async () => {
    const t = await createTestTracker({ plan: ORDER_PLAN, policy: { throwOnViolation: false, unplannedProperties: 'omit' } });
    t.track('order completed', { order_id: 'o_1', coupon: 'X' });
    const call = t.expectTracked('order completed', { order_id: 'o_1' });
    assert.deepEqual(call.omitted, ['coupon']);
    assert.deepEqual(call.sent, { order_id: 'o_1' });
    assert.deepEqual(t.plan().events.map((e) => e.name), ['order completed']);
    assert.throws(() => t.expectTracked('order completed', { coupon: 'X' }), /- coupon: "X"\n\+ coupon: \(missing\)/);
  });
});
