// The delivery queue on its own, with a fake analytics-next: order, bound, failure, timeout.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createDelivery } from '../js/sdk/delivery.js';

function fakeAnalytics() {
  const calls = [];
  const record = (method) => (...args) => {
    calls.push([method, ...args]);
    return Promise.resolve();
  };
  return { calls, track: record('track'), identify: record('identify'), page: record('page'), group: record('group') };
}

function quietly(fn) {
  const { warn, info } = console;
  const messages = [];
  console.warn = console.info = (...args) => messages.push(args.join(' '));
  try {
    return [fn(), messages];
  } finally {
    Object.assign(console, { warn, info });
  }
}

test('calls before ready are replayed once, in order', async () => {
  const analytics = fakeAnalytics();
  let resolveLoad;
  const load = () => new Promise((resolve) => (resolveLoad = resolve));
  const delivery = createDelivery({ writeKey: 'wk', environment: 'development', load });
  delivery.start();
  assert.equal(delivery.action, 'queued');
  for (let i = 0; i < 5; i++) delivery.send('track', ['e', { i }]);
  delivery.send('identify', ['u1', {}]);
  resolveLoad(analytics);
  await delivery.ready;
  assert.equal(delivery.status, 'ready');
  assert.deepEqual(
    analytics.calls.map(([m, a, b]) => (m === 'track' ? b.i : a)),
    [0, 1, 2, 3, 4, 'u1'],
  );
  delivery.send('track', ['after', {}]);
  assert.equal(analytics.calls.length, 7);
  assert.equal(delivery.action, 'sent');
});

test('the queue is bounded: the oldest calls go, with one warning', async () => {
  const analytics = fakeAnalytics();
  let resolveLoad;
  const load = () => new Promise((resolve) => (resolveLoad = resolve));
  const delivery = createDelivery({ writeKey: 'wk', environment: 'development', queueSize: 3, load });
  delivery.start();
  const [, warnings] = quietly(() => {
    for (let i = 0; i < 10; i++) delivery.send('track', ['e', { i }]);
  });
  assert.equal(warnings.length, 1);
  assert.match(warnings[0], /more than 3 calls/);
  assert.equal(delivery.droppedFromQueue, 7);
  resolveLoad(analytics);
  await delivery.ready;
  assert.deepEqual(analytics.calls.map(([, , p]) => p.i), [7, 8, 9]);
});

test('when analytics.js cannot load, calls are dropped and ready still resolves', async () => {
  const load = () => Promise.reject(new Error('blocked by the client'));
  const delivery = createDelivery({ writeKey: 'wk', environment: 'production', load });
  const [, warnings] = quietly(() => {
    delivery.start();
    delivery.send('track', ['e', {}]);
  });
  await quietlyAwait(delivery.ready);
  assert.equal(delivery.status, 'unavailable');
  assert.equal(delivery.action, 'dropped');
  assert.equal(warnings.length, 0);
});

test('analytics.js is loaded with the segment settings and options and the write key', async () => {
  const analytics = fakeAnalytics();
  const loads = [];
  const load = (settings, options) => {
    loads.push([settings, options]);
    return Promise.resolve(analytics);
  };
  const segment = { settings: { cdnURL: 'https://cdn.example', writeKey: 'ignored' }, options: { initialPageview: false } };
  const delivery = createDelivery({ writeKey: 'wk', environment: 'staging', segment, load });
  delivery.start();
  await delivery.ready;
  assert.deepEqual(loads, [[{ cdnURL: 'https://cdn.example', writeKey: 'wk' }, { initialPageview: false }]]);
  delivery.send('track', ['e', {}]);
  assert.equal(analytics.calls.length, 1);
});

async function quietlyAwait(promise) {
  const { warn } = console;
  console.warn = () => {};
  try {
    await promise;
  } finally {
    console.warn = warn;
  }
}

test('without a write key nothing is loaded or sent, and the console says so once', async () => {
  const [delivery, messages] = quietly(() => {
    const load = () => assert.fail('must not load analytics.js');
    const d = createDelivery({ writeKey: null, environment: 'test', load });
    d.start();
    return d;
  });
  await delivery.ready;
  assert.equal(messages.length, 1);
  assert.match(messages[0], /no write key for the test environment/);
  assert.equal(delivery.action, 'dropped');
});

test('a throwing or rejecting analytics never reaches the caller', async () => {
  const delivery = createDelivery({
    writeKey: 'wk',
    environment: 'production',
    analytics: {
      track: () => {
        throw new Error('sync');
      },
      identify: () => Promise.reject(new Error('async')),
    },
  });
  delivery.start();
  const [, warnings] = quietly(() => {
    delivery.send('track', ['e', {}]);
    delivery.send('identify', ['u', {}]);
  });
  assert.equal(warnings.length, 1);
  await new Promise((r) => setTimeout(r, 10)); // an unhandled rejection would fail the run
});

test('calls sent without validation are marked so', async () => {
  const analytics = fakeAnalytics();
  const delivery = createDelivery({ writeKey: 'wk', environment: 'production', analytics });
  delivery.start();
  delivery.sendMarked('track', ['e', { a: 1 }], { validated: false });
  delivery.sendMarked('page', ['cat', 'name', {}, { context: { x: 1 } }], { validated: false });
  assert.deepEqual(analytics.calls[0][3], { context: { trackplan: { validated: false } } });
  assert.deepEqual(analytics.calls[1][4], { context: { x: 1, trackplan: { validated: false } } });
  delivery.sendMarked('track', ['e'], { validated: false });
  assert.deepEqual(analytics.calls[2], ['track', 'e', undefined, { context: { trackplan: { validated: false } } }]);
});

test('marked calls never read the page options twice and survive unreadable ones', async () => {
  const analytics = fakeAnalytics();
  const delivery = createDelivery({ writeKey: null, environment: 'production', analytics });
  delivery.start();
  const unreadable = new Proxy({}, { ownKeys() { throw new Error('trap'); } });
  const options = { context: { page: { path: '/x' } } };
  delivery.sendMarked('track', ['e', { a: 1 }, unreadable], { validated: false });
  delivery.sendMarked('track', ['e', { a: 2 }, options], { blocked: true });
  assert.deepEqual(analytics.calls[0][3], { context: { trackplan: { validated: false } } });
  assert.deepEqual(analytics.calls[1][3], { context: { page: { path: '/x' }, trackplan: { blocked: true } } });
  assert.deepEqual(options, { context: { page: { path: '/x' } } }, 'the page options are unchanged');
});

test('a settings request that never answers times out into unavailable', async () => {
  const warnings = [];
  const { warn } = console;
  console.warn = (...args) => warnings.push(args.join(' '));
  try {
    let late;
    const load = () => new Promise((resolve) => (late = resolve));
    const segment = { settings: { cdnURL: 'https://cdn.example' } };
    const delivery = createDelivery({ writeKey: 'wk', environment: 'production', segment, load, loadTimeout: 5 });
    delivery.start();
    delivery.send('track', ['e', {}]);
    await delivery.ready;
    assert.equal(delivery.status, 'unavailable');
    assert.equal(delivery.action, 'dropped');
    assert.equal(warnings.length, 1);
    assert.match(warnings[0], /did not load within 0\.005 s \(https:\/\/cdn\.example\/v1\/projects\/wk\/settings did not answer\).*loadTimeout/);
    const analytics = fakeAnalytics();
    late(analytics);
    await new Promise((r) => setImmediate(r));
    assert.equal(delivery.status, 'unavailable', 'analytics.js loaded late is not used');
    assert.deepEqual(analytics.calls, []);
  } finally {
    console.warn = warn;
  }
});
