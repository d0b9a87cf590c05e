// Calls carried over a navigation (js/sdk/carryover.js) with a fake storage, and through
// a delivery: what a page leaving writes, what the next page takes once, and what it
// leaves to analytics-next. End to end with the real analytics-next:
// tests/e2e/navigation.test.js.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  CARRYOVER_PREFIX,
  analyticsMessageIds,
  carryOver,
  isCarriable,
  takeBack,
  takeCarried,
} from '../js/sdk/carryover.js';
import { createDelivery } from '../js/sdk/delivery.js';

/** A `Storage` in memory; `refuse` makes `setItem` throw as a full or blocked one does. */
class FakeStorage {
  constructor(items = {}) {
    this.items = new Map(Object.entries(items));
    this.refuse = false;
  }
  getItem(key) {
    return this.items.has(key) ? this.items.get(key) : null;
  }
  setItem(key, value) {
    if (this.refuse) throw new Error('QuotaExceededError');
    this.items.set(key, String(value));
  }
  removeItem(key) {
    this.items.delete(key);
  }
}

const PAGE = { __t: 'bpc', p: '/a', u: 'https://app.example/a', s: '', t: 'A', r: '' };
const AT = Date.UTC(2026, 0, 2, 3, 4, 5);

/** An entry of track calls `call_<i>` for each i, made at AT. */
function entry(id, indices, options = () => ({})) {
  return { id, page: PAGE, calls: indices.map((i) => ['track', ['call started', { call_id: `call_${i}` }, options(i), () => {}], AT]) };
}

const callIds = (taken) => taken.map(([, args]) => args[1].call_id);

test('carried calls are taken once, oldest first, with their ids, times and page', () => {
  const storage = new FakeStorage();
  assert.equal(carryOver(storage, 'wk', entry('a', [0, 1], (i) => (i === 0 ? { messageId: 'm0' } : {})), 10), 2);
  assert.equal(carryOver(storage, 'wk', { ...entry('b', [2]), page: { ...PAGE, p: '/b' } }, 10), 1);
  const taken = takeCarried(storage, 'wk', new Set());
  assert.deepEqual(callIds(taken), ['call_0', 'call_1', 'call_2']);
  const [first, second, third] = taken;
  assert.deepEqual(first, ['track', ['call started', { call_id: 'call_0' }, { messageId: 'm0', timestamp: '2026-01-02T03:04:05.000Z' }, PAGE]]);
  assert.match(second[1][2].messageId, /^ajs-next-\d+-/, 'a call without a message id gets one, as analytics-next makes them');
  assert.equal(second[1].length, 4, 'the callback is not carried');
  assert.equal(third[1][3].p, '/b', 'each call keeps the page it was made on');
  assert.deepEqual(takeCarried(storage, 'wk', new Set()), [], 'taken once');
  assert.deepEqual(takeCarried(new FakeStorage(), 'other', new Set()), []);
});

test('page calls keep their options in fourth place', () => {
  const storage = new FakeStorage();
  carryOver(storage, 'wk', { id: 'a', page: PAGE, calls: [['page', ['Docs', 'Home'], AT]] }, 10);
  const [[method, args]] = takeCarried(storage, 'wk', new Set());
  assert.equal(method, 'page');
  assert.deepEqual(args.slice(0, 3), ['Docs', 'Home', undefined]);
  assert.equal(typeof args[3].messageId, 'string');
  assert.deepEqual(args[4], PAGE);
});

test('the newest calls of all entries are kept within the limit', () => {
  const storage = new FakeStorage();
  carryOver(storage, 'wk', entry('a', [0, 1, 2]), 4);
  assert.equal(carryOver(storage, 'wk', entry('b', [3, 4]), 4), 2);
  assert.deepEqual(callIds(takeCarried(storage, 'wk', new Set())), ['call_1', 'call_2', 'call_3', 'call_4']);
  assert.equal(carryOver(storage, 'wk', entry('c', [5, 6, 7]), 2), 2, 'of a page with more calls than the limit, its newest');
  assert.deepEqual(callIds(takeCarried(storage, 'wk', new Set())), ['call_6', 'call_7']);
});

test('calls analytics-next persisted itself are left to it', () => {
  const analyticsStorage = new FakeStorage({
    'persisted-queue:v1:wk:dest-Segment.io:items': JSON.stringify([{ id: 'c1', event: { messageId: 'm1' } }]),
    'persisted-queue:v1:wk:event-queue:items': JSON.stringify([{ id: 'c2', event: { messageId: 'm2' } }]),
    'persisted-queue:v1:other:event-queue:items': JSON.stringify([{ id: 'c3', event: { messageId: 'm0' } }]),
  });
  const theirs = analyticsMessageIds(analyticsStorage, 'wk');
  assert.deepEqual([...theirs].sort(), ['m1', 'm2']);
  const storage = new FakeStorage();
  carryOver(storage, 'wk', entry('a', [0, 1, 2], (i) => ({ messageId: `m${i}` })), 10);
  assert.deepEqual(callIds(takeCarried(storage, 'wk', theirs)), ['call_0']);
  assert.deepEqual(analyticsMessageIds(new FakeStorage({ 'persisted-queue:v1:wk:event-queue:items': '{not json' }), 'wk'), new Set());
  assert.deepEqual(analyticsMessageIds(null, 'wk'), new Set());
});

test('what is not a carried entry is dropped; a refusing storage carries nothing', () => {
  const key = `${CARRYOVER_PREFIX}wk`;
  for (const text of ['{not json', '[{"id":"a","page":{},"calls":[["reset",[]]]}]', '{"id":"a"}']) {
    const storage = new FakeStorage({ [key]: text });
    assert.deepEqual(takeCarried(storage, 'wk', new Set()), [], text);
    assert.equal(storage.getItem(key), null, `${text} is removed`);
  }
  const storage = new FakeStorage();
  storage.refuse = true;
  assert.equal(carryOver(storage, 'wk', entry('a', [0]), 10), 0);
  assert.ok(isCarriable('group') && !isCarriable('reset'));
});

test('a page back from the cache takes its entry back unless another page took it', () => {
  const storage = new FakeStorage();
  carryOver(storage, 'wk', entry('a', [0]), 10);
  carryOver(storage, 'wk', entry('b', [1]), 10);
  assert.equal(takeBack(storage, 'wk', 'b'), true);
  assert.equal(takeBack(storage, 'wk', 'b'), false);
  assert.deepEqual(callIds(takeCarried(storage, 'wk', new Set())), ['call_0']);
  assert.equal(takeBack(storage, 'wk', 'a'), false, 'taken by another page');
});

/** A fake analytics-next whose calls settle when `settle(i)` is called, in any order. */
function heldAnalytics() {
  const calls = [];
  const settles = [];
  const record = (method) => (...args) => {
    calls.push([method, ...args]);
    return new Promise((resolve) => settles.push(resolve));
  };
  return { calls, settle: (i) => settles[i](), track: record('track'), identify: record('identify'), reset: () => calls.push(['reset']) };
}

/** A page: its sessionStorage, analytics-next's localStorage and a window to fire page events at. */
function fakePage(storage = new FakeStorage(), analyticsStorage = new FakeStorage()) {
  const target = new EventTarget();
  const fire = (type, persisted) => target.dispatchEvent(Object.assign(new Event(type), { persisted }));
  return { carry: { storage, analyticsStorage, target }, fire };
}

const messageIdOf = ([method, ...args]) => args[method === 'page' ? 3 : 2]?.messageId;

test('a page left carries its queued and unsettled calls; the next one replays them once', async () => {
  const a = fakePage();
  const analytics = heldAnalytics();
  const first = createDelivery({ writeKey: 'wk', environment: 'production', analytics, carry: a.carry });
  first.start();
  for (let i = 0; i < 3; i++) first.send('track', ['e', { i }]);
  first.send('reset', []);
  analytics.settle(1);
  await Promise.resolve();
  a.fire('pagehide', false);
  const sent = analytics.calls.filter(([method]) => method === 'track');
  assert.ok(sent.every(messageIdOf), 'every call is handed over with a message id');

  // The next page: analytics-next persisted call 2 itself (it was in flight).
  const theirs = [{ event: { messageId: messageIdOf(sent[2]) } }];
  const b = fakePage(a.carry.storage, new FakeStorage({ 'persisted-queue:v1:wk:dest-Segment.io:items': JSON.stringify(theirs) }));
  const next = heldAnalytics();
  let loaded;
  const load = () => new Promise((resolve) => (loaded = resolve));
  const second = createDelivery({ writeKey: 'wk', environment: 'production', load, carry: b.carry });
  second.start();
  second.send('identify', ['u1', {}]);
  loaded(next);
  await second.ready;
  assert.deepEqual(
    next.calls.map(([method, first]) => (method === 'track' ? first : method)),
    ['e', 'identify'],
    'call 0 replayed before the page own calls; call 1 settled, call 2 left to analytics-next, reset not carried',
  );
  assert.equal(messageIdOf(next.calls[0]), messageIdOf(sent[0]));
  assert.equal(next.calls[0][4].__t, 'bpc', "with page A's context, as analytics-next takes it");
  const third = createDelivery({ writeKey: 'wk', environment: 'production', analytics: heldAnalytics(), carry: fakePage(a.carry.storage).carry });
  third.start();
  await third.ready;
  assert.equal(a.carry.storage.items.size, 0, 'nothing is left to replay again');
});

test('a page kept in the back/forward cache carries its queue only, and takes it back', async () => {
  const a = fakePage();
  const delivery = createDelivery({ writeKey: 'wk', environment: 'production', load: () => new Promise(() => {}), loadTimeout: Infinity, carry: a.carry });
  delivery.start();
  delivery.send('track', ['e', { i: 0 }]);
  a.fire('pagehide', true);
  a.fire('pageshow', true);
  assert.equal(a.carry.storage.items.size, 0, 'taken back');
  a.fire('pagehide', true);
  // Another page took and replayed it: this page lets go of the call.
  assert.equal(takeCarried(a.carry.storage, 'wk', new Set()).length, 1);
  a.fire('pageshow', true);
  a.fire('pagehide', false);
  assert.equal(a.carry.storage.items.size, 0, 'the queue no longer holds it');
});
