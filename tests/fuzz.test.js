// Property-based fuzzing of the JS boundary (shim + wasm bindings) with fast-check:
// whatever the page passes, every method returns a verdict, nothing throws, the wasm
// never traps (a trap would switch the tracker to passthrough) and Object.prototype is
// untouched; and what analytics.js is handed is plain data, exactly what was validated
// and recorded, which nothing the page does afterwards changes. FUZZ_JS_RUNS sets the
// number of generated calls (default 10,000; the second property runs a fifth of them),
// FUZZ_SEED the seed (default 19: runs are repeatable).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { types } from 'node:util';
import fc from 'fast-check';
import { createTracker } from '../js/index.js';

const RUNS = Number(process.env.FUZZ_JS_RUNS ?? 10_000);
/** The runs' seed: fixed, so that a run is repeatable (FUZZ_SEED sets another). */
const SEED = Number(process.env.FUZZ_SEED ?? 19);

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
 * One UTF-16 code unit, lone surrogates often (fast-check's 'binary' unit makes only
 * well-formed strings).
 */
const codeUnit = fc
  .oneof(fc.integer({ min: 0x20, max: 0x7e }), fc.integer({ min: 0xd800, max: 0xdfff }), fc.integer({ min: 0, max: 0xffff }))
  .map((code) => String.fromCharCode(code));

/**
 * Hostile values, as a page might pass by mistake or on purpose. Each is made inside
 * the property (`make()`), so that fast-check itself never touches a throwing Proxy.
 */
const made = (make) => fc.constant({ make });
const hostile = fc.oneof(
  { weight: 40, arbitrary: fc.anything({ withBigInt: true, withDate: true, withMap: true, withSet: true, withTypedArray: true, withSparseArray: true, withNullPrototype: true, withBoxedValues: true, withObjectString: true }).map((v) => ({ make: () => v })) },
  { weight: 2, arbitrary: fc.string({ unit: codeUnit }).map((v) => ({ make: () => v })) }, // lone surrogates included
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
      { numRuns: RUNS, seed: SEED },
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

// What is sent is what was validated: getters, Proxies, thrown non-Errors, re-entrant
// calls and lone surrogates, then the page's objects mutated after each call.

const PLANNED = ['episode_id', 'call_id', 'user_type', 'call_type', 'type', 'duration_seconds', 'email', 'name', 'path', 'title'];

/** Values a getter, trap or toJSON throws: hardly ever an Error. */
const THROWN = [
  () => ({ message: Object.create(null) }),
  () => ({ message: { toString() { throw new Error('toString'); } } }),
  () => ({ get message() { throw { message: Object.create(null) }; } }),
  () => null,
  () => undefined,
  () => Symbol('thrown'),
  () => 42,
  () => new Proxy({}, { get() { throw new Error('trap'); } }),
  () => Object.create(null),
  () => new Error('an Error, for once'),
];
const thrown = fc.nat(THROWN.length - 1).map((i) => THROWN[i]);

/** A key: planned, or any string (lone surrogates included), or one only a lone surrogate tells from another. */
const key = fc.oneof(fc.constantFrom(...PLANNED), fc.string({ unit: codeUnit, maxLength: 6 }), fc.constantFrom('ssn\ud800', 'ssn\udc00', 'ssn\uFFFD', '__proto__'));
/** JSON data, its strings (keys too) with lone surrogates. */
const data = fc.jsonValue({ maxDepth: 2, stringUnit: codeUnit });
/** What an accessor answers read after read (the last from then on), and the read on which it throws, if any. */
const reads = fc.record({
  answers: fc.array(data, { minLength: 1, maxLength: 3 }),
  throwAt: fc.option(fc.integer({ min: 1, max: 3 }), { nil: undefined }),
  thrown,
});

/** A getter of `reads` (its answers copied, so that fast-check's replays see them whole). */
function reader({ answers, throwAt, thrown }) {
  const own = structuredClone(answers);
  let n = 0;
  return () => {
    n += 1;
    if (n === throwAt) throw thrown();
    return own[Math.min(n, own.length) - 1];
  };
}

/**
 * A payload or options object as a page may pass it, made by `make(ctx)`: `ctx.tracker`
 * is the tracker (for calls made from a getter), `ctx.mutable` collects the objects the
 * page may mutate once the call returned.
 */
const payload = fc.oneof(
  // Plain data.
  fc.dictionary(key, data, { maxKeys: 6 }).map((members) => ({
    make: (ctx) => ctx.keep(structuredClone(members)),
  })),
  // Accessors: stable, changing, throwing on the n-th read.
  fc.tuple(fc.dictionary(key, data, { maxKeys: 4 }), fc.array(fc.tuple(key, reads), { minLength: 1, maxLength: 3 })).map(([members, getters]) => ({
    make: (ctx) => {
      const object = ctx.keep(structuredClone(members));
      for (const [name, read] of getters) Object.defineProperty(object, name, { get: reader(read), enumerable: true, configurable: true });
      return object;
    },
  })),
  // Proxies answering differently read after read, listing more keys later, or throwing from a trap.
  fc.tuple(fc.dictionary(key, data, { maxKeys: 4 }), fc.constantFrom('values', 'keys', 'get', 'ownKeys', 'getOwnPropertyDescriptor', 'getPrototypeOf'), reads).map(([members, mode, read]) => ({
    make: (ctx) => {
      const target = ctx.keep(structuredClone(members));
      const answer = reader(read);
      let listed = 0;
      const handler = {
        values: { get: (t, k) => (typeof k === 'string' && k in t ? answer() : Reflect.get(t, k)) },
        keys: {
          ownKeys: (t) => (listed++ === 0 ? Reflect.ownKeys(t) : [...new Set([...Reflect.ownKeys(t), 'ssn'])]),
          getOwnPropertyDescriptor: (t, k) => Reflect.getOwnPropertyDescriptor(t, k) ?? (k === 'ssn' ? { value: '123-45-6789', enumerable: true, configurable: true, writable: true } : undefined),
          get: (t, k) => (k === 'ssn' && !(k in t) ? '123-45-6789' : Reflect.get(t, k)),
        },
      }[mode] ?? { [mode]: (...a) => (answer(), Reflect[mode](...a)) };
      return new Proxy(target, handler);
    },
  })),
  // A getter that makes a tracking call, then answers.
  fc.tuple(fc.dictionary(key, data, { maxKeys: 4 }), key, fc.constantFrom('track', 'identify', 'page', 'group'), fc.dictionary(key, data, { maxKeys: 3 }), data).map(
    ([members, name, method, inner, value]) => ({
      make: (ctx) => {
        const object = ctx.keep(structuredClone(members));
        const innerPayload = ctx.keep(structuredClone(inner));
        Object.defineProperty(object, name, {
          enumerable: true,
          get: () => {
            ctx.tracker[method](method === 'page' ? 'Home' : method === 'track' ? 'call started' : 'user_1', innerPayload);
            return value;
          },
        });
        return object;
      },
    }),
  ),
  fc.constant({ make: () => undefined }),
);

/** Options: none, plain data, or any payload as above wrapped as the context. */
const options = fc.oneof(
  fc.constant({ make: () => undefined }),
  payload.map((context) => ({ make: (ctx) => ctx.keep({ context: context.make(ctx) }) })),
  payload,
);

/** A name: planned or not, with lone surrogates, or missing. */
const callName = fc.oneof(fc.constantFrom('call started', 'call ended', 'Home', 'user_1', 'g1', undefined), fc.string({ unit: codeUnit, maxLength: 8 }));

/** A call of one of the four methods (page with its category), or setContext. */
const sendingCall = fc.oneof(
  fc.tuple(fc.constantFrom('track', 'identify', 'group'), callName, payload, options).map(([method, name, p, o]) => ({ method, args: (ctx) => [name, p.make(ctx), o.make(ctx)] })),
  fc.tuple(fc.option(callName, { nil: null }), callName, payload, options).map(([category, name, p, o]) => ({ method: 'page', args: (ctx) => [category, name, p.make(ctx), o.make(ctx)] })),
  fc.tuple(fc.constantFrom('page', 'identify'), payload).map(([method, p]) => ({ method, args: (ctx) => [p.make(ctx)] })),
  payload.map((p) => ({ method: 'setContext', args: (ctx) => [p.make(ctx)] })),
);

/** Where a method's payload and options are in the arguments handed to analytics.js. */
const PAYLOAD_AT = { track: 1, identify: 1, group: 1, page: 2 };
const NAMES = { track: ['event'], identify: ['userId'], group: ['groupId'], page: ['category', 'name'] };

/** Asserts `value` is plain data: plain objects and arrays of own data properties, no Proxy, well-formed strings, finite numbers. */
function assertPlainData(value, path = '') {
  if (typeof value === 'string') return assert.ok(value.isWellFormed(), `${path}: a lone surrogate`);
  if (typeof value === 'number') return assert.ok(Number.isFinite(value) && !Object.is(value, -0), `${path}: ${value}`);
  if (value === null || typeof value === 'boolean') return;
  assert.equal(typeof value, 'object', `${path}: a ${typeof value}`);
  assert.ok(!types.isProxy(value), `${path}: a Proxy`);
  assert.ok([Object.prototype, Array.prototype].includes(Object.getPrototypeOf(value)), `${path}: not a plain object or array`);
  for (const name of Reflect.ownKeys(value)) {
    if (Array.isArray(value) && name === 'length') continue;
    const descriptor = Object.getOwnPropertyDescriptor(value, name);
    assert.ok('value' in descriptor && descriptor.enumerable, `${path}/${String(name)}: an accessor or hidden`);
    assertPlainData(descriptor.value, `${path}/${String(name)}`);
  }
}

/** Mutates what the page still holds of a call: every member changed, one added, arrays emptied. */
function mutate(object) {
  try {
    if (Array.isArray(object)) object.length = 0;
    else {
      for (const name of Object.keys(object)) object[name] = 'mutated';
      object.ssn = '123-45-6789';
    }
  } catch {
    // A frozen or hostile object: the page could not change it either.
  }
}

/** `payload` without the members `omitted`, as a plain object. */
function without(payload, omitted) {
  return Object.fromEntries(Object.entries(payload ?? {}).filter(([name]) => !omitted.includes(name)));
}

/**
 * A production tracker whose analytics.js stand-in keeps what it is handed (and its JSON
 * then), with copies of its onCall records, and `seq`, the history's number of its last
 * call checked. A second listener meddles with each record, as page code may.
 */
async function recordingTracker(policy) {
  const stage = { received: [], records: [], seq: 0 };
  const analytics = Object.fromEntries(
    ['track', 'identify', 'page', 'group'].map((method) => [method, (...args) => stage.received.push({ method, args, text: JSON.stringify(args) })]),
  );
  stage.tracker = await createTracker({ environment: 'production', analytics, global: false, historySize: 16, policy });
  stage.tracker.onCall((record) => stage.records.push(structuredClone(record)));
  stage.tracker.onCall((record) => [record.properties ?? record.traits, record.sent, record.options?.context].forEach(mutate));
  return stage;
}

/**
 * Asserts what `stage`'s tracker handed analytics.js since `from` is what its records say
 * and what its core validated (the history's payload less what was omitted), as plain
 * data. Returns what was handed over.
 */
function assertHandedAsValidated(stage, from) {
  const history = new Map(stage.tracker.events().map((entry) => [entry.seq, entry]));
  const calls = stage.received.slice(from.received).filter((r) => r.args[0] !== 'Violation Generated');
  let at = 0;
  for (const record of stage.records.slice(from.records)) {
    stage.seq += 1;
    const entry = history.get(stage.seq);
    assert.ok(entry, `call ${stage.seq} is in the history`);
    assert.deepEqual([record.ok, record.action, record.omitted], [entry.ok, entry.action, entry.omitted]);
    if (!record.sent) continue;
    const got = calls[at++];
    assert.equal(got.method, record.type);
    const [handed, options] = got.args.slice(PAYLOAD_AT[got.method]);
    assertPlainData(handed, 'payload');
    assert.deepEqual(handed, record.sent, 'handed over as recorded');
    assert.deepEqual(handed, without(entry.payload, entry.omitted), 'handed over as validated');
    assertPlainData(options, 'options');
    assert.deepEqual(options, record.options, 'options as recorded');
    NAMES[got.method].forEach((name, i) => assert.equal(got.args[i], record[name] ?? null, name));
  }
  assert.equal(at, calls.length, 'nothing handed over unrecorded');
  return calls;
}

test(`${Math.ceil(RUNS / 5)} calls with getters, Proxies, thrown non-Errors and re-entrant calls: what is sent is what was validated`, async () => {
  // The production policy, and one that lets every readable call through (more to compare).
  const stages = [await recordingTracker(undefined), await recordingTracker({ unplannedEvents: 'allow', violations: 'allow' })];
  const { warn } = console;
  const warnings = [];
  console.warn = (...args) => warnings.push(args.map(String).join(' '));
  let handed = 0;
  try {
    fc.assert(
      fc.property(sendingCall, fc.nat(1), ({ method, args }, which) => {
        const stage = stages[which];
        const mutable = [];
        const made = args({ tracker: stage.tracker, keep: (object) => (mutable.push(object), object) });
        const from = { records: stage.records.length, received: stage.received.length };
        const verdict = stage.tracker[method](...made); // a throw fails the property
        assert.equal(stage.tracker.status, 'ready', 'the core never stops');
        if (method !== 'setContext') assert.equal(typeof verdict.ok, 'boolean');
        const calls = assertHandedAsValidated(stage, from);
        handed += calls.length;
        mutable.forEach(mutate);
        for (const got of calls) assert.equal(JSON.stringify(got.args), got.text, 'nothing the page does later changes it');
      }),
      { numRuns: Math.ceil(RUNS / 5), seed: SEED, includeErrorInReport: true },
    );
  } finally {
    console.warn = warn;
  }
  assert.deepEqual(warnings.filter((w) => /trackplan bug|validator failed/.test(w)), []);
  const all = stages[0].seq + stages[1].seq;
  console.log(`fuzz (sent is validated): ${Math.ceil(RUNS / 5)} generated calls, ${all} in all (re-entrant ones included), ${handed} handed to analytics.js`);
});
