// Which wasm core each entry point runs on, in Node: the binding's production core (no
// developer advice) in production without a plan, the full core with a plan given at run
// time, which the calls are then checked against, or in any other environment, where its
// hints and suggestions are read; the Node tools always run the full core. Each test spies on both cores'
// `Tracker.prototype.check`, so it shows the core that served the calls, not only that
// validation works.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createTracker, trackplanPlugin } from '../js/index.js';
import { createPlanCheck } from '../js/node/plan-check.js';
import { createTestTracker } from '../js/testing/index.js';
import { Tracker as DefaultCoreTracker } from '../js/wasm/trackplan.js';
import { Tracker as FullCoreTracker } from '../js/wasm/trackplan_full.js';
import { ORDER_PLAN } from './e2e/support/plans.js';

const STARTED = { episode_id: 'ep_1', call_id: 'call_1', user_type: 'patient' };
const NOTHING_SENT = { track() {}, identify() {}, page() {}, group() {} };

/** Counts the calls each core checks during a test: `counts()` → `{ default, full }`. */
function spyOnCores(t) {
  const defaultChecks = t.mock.method(DefaultCoreTracker.prototype, 'check');
  const fullChecks = t.mock.method(FullCoreTracker.prototype, 'check');
  return () => ({ default: defaultChecks.mock.callCount(), full: fullChecks.mock.callCount() });
}

/** `[kind, path]` of each violation of a verdict. */
const kinds = (verdict) => verdict.violations.map((v) => [v.kind, v.path]);

test('createTestTracker: the full core (the test environment reads advice), with the embedded plan or one given, checking against it', async (t) => {
  const counts = spyOnCores(t);
  const embedded = await createTestTracker();
  assert.equal(embedded.track('call started', STARTED).ok, true);
  assert.deepEqual(counts(), { default: 0, full: 1 });
  const typo = embedded.validate({ type: 'track', event: 'call startd', properties: STARTED });
  assert.match(typo.violations[0].message, /did you mean `call started`\?/, 'the embedded plan, with advice');

  const runtime = await createTestTracker({ plan: ORDER_PLAN, policy: { throwOnViolation: false } });
  const valid = runtime.track('order completed', { order_id: 'o_1' });
  const missing = runtime.track('order completed', {});
  const embeddedEvent = runtime.track('call started', STARTED);
  assert.deepEqual(counts(), { default: 0, full: 5 });
  assert.equal(valid.ok, true);
  assert.deepEqual(kinds(missing), [['required', '']]);
  assert.deepEqual(kinds(embeddedEvent), [['unplanned_event', '']], 'the run-time plan replaces the embedded one');
  assert.deepEqual(runtime.plan().events.map((e) => e.name), ['order completed']);
});

test('createTracker: a plan given as JSON text runs on the full core too, even in production', async (t) => {
  const counts = spyOnCores(t);
  const options = { environment: 'production', analytics: NOTHING_SENT, global: false };
  const embedded = await createTracker(options);
  const runtime = await createTracker({ ...options, plan: JSON.stringify(ORDER_PLAN) });
  assert.equal(embedded.validate({ type: 'track', event: 'call started', properties: STARTED }).ok, true);
  assert.deepEqual(counts(), { default: 1, full: 0 });
  assert.equal(runtime.validate({ type: 'track', event: 'order completed', properties: { order_id: 'o_1' } }).ok, true);
  const wrongType = runtime.validate({ type: 'track', event: 'order completed', properties: { order_id: 7 } });
  assert.deepEqual(kinds(wrongType), [['type', '/order_id']]);
  assert.deepEqual(counts(), { default: 1, full: 2 });
});

/**
 * What a tracker with the embedded plan in `environment` says of the calls where advice
 * can be given: a misspelled event, an unplanned one let through with a name against
 * the guide, identify without a userId and with an email as userId.
 */
async function adviceOf(environment) {
  const tracker = await createTracker({
    environment,
    analytics: NOTHING_SENT,
    global: false,
    policy: { unplannedEvents: 'allow', throwOnViolation: false },
  });
  const traits = { user_type: 'patient' };
  return {
    typo: tracker.track('call startd', STARTED),
    misnamed: tracker.track('Started Call', {}),
    noUserId: tracker.identify(null, traits),
    email: tracker.identify('ada@example.com', traits),
  };
}

test('production with the embedded plan: the default core, whose verdicts carry no advice but every violation', async (t) => {
  const counts = spyOnCores(t);
  const { typo, misnamed, noUserId, email } = await adviceOf('production');
  assert.deepEqual(counts(), { default: 4, full: 0 }, 'the full core is never asked');
  assert.deepEqual(kinds(typo), [['unplanned_event', '']]);
  assert.equal(typo.violations[0].message, '`call startd` is not in the tracking plan: add it to the plan, or check the name');
  assert.deepEqual([misnamed.action, kinds(misnamed), misnamed.hints], ['sent', [['unplanned_event', '']], []]);
  assert.deepEqual([noUserId.ok, kinds(noUserId), noUserId.hints], [false, [['user-id-missing', '']], []]);
  assert.deepEqual([email.ok, email.hints], [true, []]);
});

test('development with the embedded plan: the full core, with its hints and "did you mean"', async (t) => {
  const counts = spyOnCores(t);
  const { typo, misnamed, noUserId, email } = await adviceOf('development');
  assert.deepEqual(counts(), { default: 0, full: 4 });
  assert.deepEqual(kinds(typo), [['unplanned_event', '']]);
  assert.equal(typo.violations[0].message, '`call startd` is not in the tracking plan: did you mean `call started`?');
  assert.equal(misnamed.action, 'sent');
  assert.deepEqual(misnamed.hints.map((h) => h.kind), ['event-name-lower-case', 'event-name-object-action']);
  assert.deepEqual([noUserId.ok, kinds(noUserId)], [false, [['user-id-missing', '']]]);
  assert.deepEqual([email.ok, email.hints.map((h) => h.kind)], [true, ['user-id-email']]);
});

test('the analytics-next plugin: the full core with a plan, which it blocks against', async (t) => {
  const counts = spyOnCores(t);
  const violations = [];
  const plugin = trackplanPlugin({ environment: 'development', plan: ORDER_PLAN, onViolation: (verdict) => violations.push(verdict) });
  await plugin.load({}, NOTHING_SENT);
  const context = (properties) => ({
    event: { type: 'track', event: 'order completed', properties },
    cancel() {
      throw Object.assign(new Error('cancelled'), { cancelled: true });
    },
  });
  const valid = context({ order_id: 'o_1' });
  assert.equal(plugin.track(valid), valid);
  assert.throws(() => plugin.track(context({})), (error) => error.cancelled && error.retry === false);
  assert.deepEqual(counts(), { default: 0, full: 2 });
  assert.deepEqual(violations.map(kinds), [[['required', '']]]);
});

test("the collector's plan check: the full core (a Node tool's), with the demo plan or the one given", async (t) => {
  const counts = spyOnCores(t);
  const checkDemo = await createPlanCheck();
  const checkRuntime = await createPlanCheck(ORDER_PLAN);
  assert.equal(checkDemo({ type: 'track', event: 'call started', properties: STARTED }).ok, true);
  assert.deepEqual(counts(), { default: 0, full: 1 });
  assert.equal(checkRuntime({ type: 'track', event: 'order completed', properties: { order_id: 'o_1' } }).ok, true);
  assert.deepEqual(checkRuntime({ type: 'track', event: 'order completed', properties: {} }).violations.map((v) => v.kind), ['required']);
  assert.deepEqual(counts(), { default: 0, full: 3 });
});

test('a core that traps is dropped: that call and every later one go to analytics.js unvalidated, marked so', async (t) => {
  const sent = [];
  const analytics = { track: (...args) => sent.push(args), identify() {}, page() {}, group() {} };
  const tracker = await createTracker({ analytics, environment: 'production', global: false });
  const check = t.mock.method(DefaultCoreTracker.prototype, 'check', () => {
    throw new WebAssembly.RuntimeError('unreachable');
  });
  const warn = t.mock.method(console, 'warn', () => {});
  const verdicts = [tracker.track('call started', STARTED), tracker.track('call ended', STARTED)];
  assert.equal(check.mock.callCount(), 1, 'the core is asked once, then no more');
  const passedThrough = (event) => ({ ok: true, action: 'sent', type: 'track', violations: [], omitted: [], hints: [], event, validated: false });
  assert.deepEqual(verdicts, [passedThrough('call started'), passedThrough('call ended')]);
  assert.equal(tracker.status, 'passthrough');
  assert.deepEqual(sent.map(([event, , options]) => [event, options.context.trackplan]), [
    ['call started', { validated: false }],
    ['call ended', { validated: false }],
  ]);
  assert.deepEqual(warn.mock.calls.map((c) => c.arguments[0]), ['trackplan: the validator failed; later calls go to analytics.js unvalidated.']);
});
