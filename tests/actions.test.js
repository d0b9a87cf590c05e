// A verdict's `action` says what delivery does with the call, wherever a verdict is read:
// what a call returns, what `validate()` predicts, what listeners are told, and the
// tracker's history; also for calls passed through unvalidated. In Node, with the real
// wasm cores (the full core in staging; the default core, made to fail, in production).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createTracker } from '../js/index.js';

const STARTED = { episode_id: 'ep_1', call_id: 'call_1', user_type: 'patient' };

test('staging without a write key: calls, validate(), listeners and the history all say dropped', async (t) => {
  t.mock.method(console, 'info', () => {});
  const tracker = await createTracker({ environment: 'staging', global: false });
  const heard = [];
  tracker.onCall((call) => heard.push([call.action, call.sent]));
  assert.equal(tracker.track('call started', STARTED).action, 'dropped');
  assert.equal(tracker.validate({ type: 'track', event: 'call started', properties: STARTED }).action, 'dropped');
  assert.equal(tracker.track('call started', { call_id: 'c' }).action, 'blocked', 'what the policy blocks stays blocked');
  assert.deepEqual(heard, [['dropped', null], ['blocked', null]]);
  assert.deepEqual(tracker.events().map((e) => e.action), ['dropped', 'blocked']);
  assert.deepEqual(tracker.violations().map((e) => e.action), ['blocked']);
});

test('a call made while analytics.js loads is queued, in its verdict and in the history', async (t) => {
  t.mock.method(console, 'warn', () => {});
  // analytics-next, given a write key, loads its settings from a port nothing listens on.
  const tracker = await createTracker({
    environment: 'staging',
    writeKeys: { staging: 'wk_staging' },
    segment: { settings: { cdnURL: 'http://127.0.0.1:9' } },
    global: false,
  });
  assert.equal(tracker.status, 'loading');
  assert.equal(tracker.track('call started', STARTED).action, 'queued');
  assert.deepEqual(tracker.events().map((e) => e.action), ['queued']);
  await tracker.ready;
});

test('production with a wasm that cannot load: passthrough calls say what delivery did and reach listeners', async (t) => {
  const warnings = t.mock.method(console, 'warn', () => {});
  t.mock.method(console, 'info', () => {});
  const tracker = await createTracker({
    environment: 'production',
    wasm: new URL('./no-such-core.wasm', import.meta.url),
    global: false,
  });
  assert.equal(tracker.status, 'passthrough');
  assert.match(String(warnings.mock.calls[0].arguments[0]), /WebAssembly could not start/);
  const heard = [];
  tracker.onCall((call) => heard.push(call));
  const verdict = tracker.track('call started', STARTED);
  assert.deepEqual([verdict.ok, verdict.action, verdict.validated], [true, 'dropped', false], 'no write key in production here');
  assert.equal(tracker.validate({ type: 'track', event: 'call started' }).action, 'dropped');
  assert.deepEqual(heard.map((call) => [call.type, call.event, call.action, call.validated]), [['track', 'call started', 'dropped', false]]);
});

test('passthrough hands over names, context names and values well-formed, as a validated call is', async (t) => {
  t.mock.method(console, 'warn', () => {});
  const handed = [];
  const analytics = Object.fromEntries(['track', 'identify', 'page', 'group'].map((m) => [m, (...args) => handed.push(args)]));
  const tracker = await createTracker({ environment: 'production', analytics, global: false, wasm: new Uint8Array([0, 1, 2]) });
  assert.equal(tracker.status, 'passthrough');
  tracker.setContext({ ['episode\ud800']: 'ep\udc00' });
  tracker.track('call started\ud800', { a: 'b\ud800' });
  assert.deepEqual(handed, [['call started\uFFFD', { a: 'b\uFFFD', ['episode\uFFFD']: 'ep\uFFFD' }, { context: { trackplan: { validated: false } } }]]);
});
