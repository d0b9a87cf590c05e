// Property-based fuzzing of the JS boundary (shim + wasm bindings) with fast-check:
// whatever the page passes, every method returns a verdict, nothing throws, the wasm
// never traps (a trap would switch the tracker to passthrough) and Object.prototype is
// untouched. FUZZ_JS_RUNS sets the number of generated calls (default 10,000).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { createTracker } from '../js/index.js';

const RUNS = Number(process.env.FUZZ_JS_RUNS ?? 10_000);

function cyclic() {
  const a = { episode_id: 'ep_1' };
  a.self = a;
  return a;
}

function throwingProxy() {
  const fail = () => {
    throw new Error('trap');
  };
  return new Proxy({}, { get: fail, ownKeys: fail, getOwnPropertyDescriptor: fail, has: fail, getPrototypeOf: fail });
}

function throwingGetter() {
  return Object.defineProperty({ call_id: 'c' }, 'episode_id', {
    enumerable: true,
    get() {
      throw new Error('getter');
    },
  });
}

function nested(depth) {
  let value = { leaf: true };
  for (let i = 0; i < depth; i++) value = { next: value };
  return value;
}

const HUGE = 'x'.repeat(2 * 1024 * 1024);

/**
 * Hostile values, as a page might pass by mistake or on purpose. Each is made inside
 * the property (`make()`), so that fast-check itself never touches a throwing Proxy.
 */
const made = (make) => fc.constant({ make });
const hostile = fc.oneof(
  { weight: 40, arbitrary: fc.anything({ withBigInt: true, withDate: true, withMap: true, withSet: true, withTypedArray: true, withSparseArray: true, withNullPrototype: true, withBoxedValues: true, withObjectString: true }).map((v) => ({ make: () => v })) },
  { weight: 2, arbitrary: fc.string({ unit: 'binary' }).map((v) => ({ make: () => v })) }, // lone surrogates included
  { weight: 2, arbitrary: fc.dictionary(fc.constantFrom('__proto__', 'constructor', 'prototype', 'episode_id', 'call_id', 'toString'), fc.anything()).map((v) => ({ make: () => v })) },
  { weight: 1, arbitrary: made(() => JSON.parse('{"__proto__":{"polluted":true},"constructor":{"prototype":{"polluted":true}}}')) },
  { weight: 1, arbitrary: made(cyclic) },
  { weight: 1, arbitrary: made(throwingProxy) },
  { weight: 1, arbitrary: made(throwingGetter) },
  { weight: 1, arbitrary: fc.constantFrom(NaN, Infinity, -0, new Date(NaN), Symbol('s'), () => 1, 10n ** 30n, undefined, null).map((v) => ({ make: () => v })) },
  { weight: 1, arbitrary: made(() => ({ toJSON() { throw new Error('toJSON'); } })) },
  { weight: 1, arbitrary: made(() => ({ episode_id: Symbol('s'), call_id: () => 1 })) },
  { weight: 1, arbitrary: fc.integer({ min: 1, max: 10_000 }).map((d) => ({ make: () => nested(d) })) },
  { weight: 1, arbitrary: made(() => ({ call_id: HUGE, episode_id: 'e' })) },
);

/** A call: method and arguments, valid planned events mixed with hostile ones. */
const calls = fc.oneof(
  fc.tuple(fc.constant('track'), fc.oneof(fc.constantFrom('call started', 'call ended', 'user signed up').map((v) => ({ make: () => v })), hostile), hostile, hostile),
  fc.tuple(fc.constant('identify'), hostile, hostile, hostile),
  fc.tuple(fc.constant('page'), hostile, hostile, hostile, hostile),
  fc.tuple(fc.constant('group'), hostile, hostile, hostile),
  fc.tuple(fc.constant('validate'), hostile),
);

function isVerdict(v) {
  return v && typeof v === 'object' && typeof v.ok === 'boolean' && typeof v.action === 'string' && Array.isArray(v.violations);
}

test(`${RUNS} hostile calls: a verdict each, no throw, no trap, Object.prototype untouched`, async () => {
  const received = [];
  const analytics = Object.fromEntries(['track', 'identify', 'page', 'group'].map((m) => [m, (...args) => received.push([m, args])]));
  const tracker = await createTracker({
    environment: 'production',
    analytics,
    global: false,
    policy: { throwOnViolation: true }, // ignored in production: it never throws
    onViolation: () => {
      throw new Error('a failing onViolation must not escape');
    },
  });
  const prototypeKeys = Reflect.ownKeys(Object.prototype);
  const { warn, error } = console;
  console.warn = console.error = () => {};
  let verdicts = 0;
  try {
    fc.assert(
      fc.property(calls, ([method, ...args]) => {
        const verdict = tracker[method](...args.map((arg) => arg.make()));
        verdicts += 1;
        return isVerdict(verdict) && tracker.status !== 'passthrough';
      }),
      { numRuns: RUNS, seed: Number(process.env.FUZZ_SEED ?? Date.now() % 2 ** 31) },
    );
  } finally {
    Object.assign(console, { warn, error });
  }
  assert.equal(verdicts, RUNS);
  assert.deepEqual(Reflect.ownKeys(Object.prototype), prototypeKeys);
  assert.equal({}.polluted, undefined);
  assert.equal(tracker.status, 'ready', 'the wasm never trapped');
  console.log(`fuzz (JS boundary): ${RUNS} generated calls, ${received.length} handed to analytics.js, 0 throws`);
});

test('cyclic, BigInt and unreadable payloads are invalid_input; oversized ones a size violation', async () => {
  const noop = () => {};
  const analytics = { track: noop, identify: noop, page: noop, group: noop };
  const tracker = await createTracker({ environment: 'production', analytics, global: false });
  for (const payload of [cyclic(), { n: 1n }, throwingProxy(), throwingGetter()]) {
    const verdict = tracker.track('call started', payload);
    assert.equal(verdict.action, 'blocked');
    assert.equal(verdict.violations[0].kind, 'invalid_input', JSON.stringify(verdict));
  }
  const big = tracker.track('call started', { call_id: HUGE, episode_id: 'e' });
  assert.deepEqual([big.action, big.violations[0].kind], ['blocked', 'size']);
  const deep = tracker.track('call started', nested(10_000));
  assert.equal(deep.action, 'blocked');
  const nameless = tracker.track(42, { episode_id: 'e' });
  assert.match(nameless.violations[0].message, /event name as a string/);
});
