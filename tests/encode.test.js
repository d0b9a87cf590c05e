// The binary form payloads cross in (js/sdk/encode.js), in Node with the real wasm: what the
// core reads back (its history report writes each payload as JSON) is what
// JSON.stringify would have made of the page's value, for hand-picked cases of its
// semantics and for thousands of generated values.
import assert from 'node:assert/strict';
import { before, test } from 'node:test';
import { createCore, report } from '../js/sdk/core.js';
import { resolveCall } from '../js/sdk/arguments.js';
import { readCall } from '../js/sdk/core.js';
import { encode, NotData, utf8Length } from '../js/sdk/encode.js';
import { check } from './support/calls.js';
import { REPORT_HISTORY } from '../js/sdk/protocol.js';
import { productionCore } from './support/cores.js';
import { seededRandom } from './support/random.js';

let core;
before(async () => {
  core = await createCore(await productionCore(), { environment: 'development', historySize: 1 });
});

/** The payload as the core read it: a group call's traits, back from its history report. */
function readBack(payload) {
  check(core, 'group', ['group_1', payload]);
  return report(core, REPORT_HISTORY).at(-1).payload;
}

/** What JSON.stringify makes of a payload, parsed. */
const viaJson = (payload) => JSON.parse(JSON.stringify(payload));

test("the core reads what JSON.stringify would make of the page's value", () => {
  class Money {
    constructor(cents) {
      this.cents = cents;
    }
    toJSON(key) {
      return `${key}:${this.cents / 100}`;
    }
  }
  const cases = {
    primitives: { s: 'text', n: 1.5, i: -42, t: true, f: false, z: null, big: 2 ** 60, tiny: 5e-324, neg0: -0 },
    leftOut: { u: undefined, fn() {}, sym: Symbol('s'), kept: 1 },
    inArrays: [undefined, () => {}, Symbol('s'), NaN, Infinity, -Infinity, 1, , 3],
    wrappers: { n: new Number(3), s: new String('str'), b: new Boolean(false) },
    toJSON: { when: new Date(Date.UTC(2024, 0, 31, 9, 30)), price: new Money(1250), list: [new Money(5)] },
    strings: { escapes: '"\\/\b\f\n\r\t\u0001\u001f', unicode: 'é ü 中文 😀', long: 'x'.repeat(200), longer: 'y'.repeat(20_000) },
    keys: { '': 'empty key', 'é': 1, '😀': 2, 'a/b~c': 3, ['__proto__']: 4 },
    many: Object.fromEntries(Array.from({ length: 300 }, (_, i) => [`k${i}`, i])),
    nested: { a: { b: { c: [[{ d: [] }], {}] } } },
    inherited: Object.assign(Object.create({ inheritedKey: 1 }), { own: 2 }),
  };
  for (const [name, value] of Object.entries(cases)) {
    const payload = { [name]: value };
    assert.deepEqual(readBack(payload), viaJson(payload), name);
  }
  // A lone surrogate has no UTF-8 form: the core gets U+FFFD, as TextEncoder writes it.
  assert.deepEqual(readBack({ lone: 'a\ud800b' }), { lone: 'a\ufffdb' });
  // The top-level value's own toJSON, as JSON.stringify calls it (with key '').
  assert.deepEqual(readBack({ toJSON: (key) => ({ key }) }), { key: '' });
});

test('what is not data is an error saying why, as JSON.stringify would throw', () => {
  const cyclic = { a: [] };
  cyclic.a.push(cyclic);
  const shared = { x: 1 };
  const cases = [
    [cyclic, /circular/],
    [{ n: 1n }, /BigInt/],
    [{ get boom() { throw new Error('getter says no'); } }, /getter says no/],
    [{ toJSON() { throw new Error('toJSON says no'); } }, /toJSON says no/],
    [() => {}, /a function or symbol is not data/],
  ];
  for (const [value, message] of cases) {
    assert.throws(() => encode(value), (error) => error instanceof NotData && message.test(error.message));
    // A function after the event name is analytics.js's callback, not properties.
    if (typeof value === 'function') continue;
    const read = readCall(resolveCall('track', ['e', value]));
    assert.equal(read.unusable, true);
    assert.match(read.reason, message);
    assert.match(new TextDecoder().decode(read.input), message);
  }
  // Whatever the page throws, its reason is words, and reading it never throws.
  for (const thrown of [{ message: Object.create(null) }, { get message() { throw new Error('no'); } }, Symbol('s'), null]) {
    const hostile = { get episode_id() { throw thrown; } };
    assert.match(readCall(resolveCall('track', ['call started', hostile])).reason, /reading it threw/);
  }
  // The same object twice, not inside itself, is no cycle.
  assert.deepEqual(readBack({ a: shared, b: [shared, shared] }), { a: { x: 1 }, b: [{ x: 1 }, { x: 1 }] });
});

test('a getter or toJSON that makes a tracking call: both calls are read whole, in buffers of their own', () => {
  let inner;
  const payload = {
    get sneaky() {
      inner = check(core, 'track', ['inner call', { a: 1 }], true);
      return 'value';
    },
    after: 'x'.repeat(5000),
  };
  const { verdict, read } = check(core, 'track', ['outer call', payload], true);
  assert.deepEqual(read.payload, { sneaky: 'value', after: 'x'.repeat(5000) });
  assert.equal(verdict.event, 'outer call');
  assert.equal(inner.verdict.event, 'inner call');
  assert.deepEqual(inner.read.payload, { a: 1 });
});

test("a call's name is written before its payload, in the same bytes", () => {
  const utf8 = new TextEncoder();
  // The length has room for three bytes of UTF-8 per character, padded.
  assert.deepEqual([...encode({}, 'ab').bytes], [2, 0x61, 0x62, 6, 0]);
  assert.deepEqual([...encode(null, 'é').bytes], [2, 0xc3, 0xa9, 0]);
  assert.deepEqual([...encode(true, '').bytes], [0, 2]);
  const long = 'x'.repeat(50);
  assert.deepEqual([...encode(1.5, long).bytes.subarray(0, 2)], [50 | 0x80, 0], 'two bytes of length, padded');
  const cyclic = {};
  cyclic.self = cyclic;
  const read = readCall(resolveCall('track', ['été', cyclic]));
  assert.equal(read.unusable, true);
  assert.deepEqual([...read.input.subarray(0, 6)], [5, ...utf8.encode('été')]);
  assert.match(new TextDecoder().decode(read.input.subarray(6)), /circular/);
});

test('the core reads the name from the bytes: any length, any character, with the payload or its error', () => {
  const names = ['signed up', 'été 🎉', 'x'.repeat(50), 'y'.repeat(20_000), 'lone \ud800'];
  for (const name of names) {
    const { verdict } = check(core, 'track', [name, { a: 1 }], true);
    // A lone surrogate has no UTF-8 form: the core reads U+FFFD, as TextEncoder writes it.
    assert.equal(verdict.event, name.replace('\ud800', '\ufffd'));
    assert.deepEqual(verdict.violations.map((v) => v.kind), ['unplanned_event'], name.slice(0, 20));
  }
  const started = { episode_id: 'ep_1', call_id: 'call_1', user_type: 'patient' };
  assert.equal(check(core, 'track', ['call started', started], true).verdict.ok, true);
  const { verdict } = check(core, 'track', ['call started', { n: 1n }], true);
  assert.deepEqual([verdict.event, verdict.violations.map((v) => v.kind)], ['call started', ['invalid_input']]);
  assert.match(verdict.violations[0].message, /BigInt/);
});

test('the snapshot is the value as written: plain data, each member read once', () => {
  let reads = 0;
  const payload = {
    when: new Date(0),
    gone: undefined,
    n: -0,
    get counted() {
      reads += 1;
      return reads;
    },
    lone: 'a\ud800',
    ['k\udc00']: 1,
  };
  const { snapshot } = encode(payload);
  assert.deepEqual(snapshot, { when: '1970-01-01T00:00:00.000Z', n: 0, counted: 1, lone: 'a\ufffd', 'k\ufffd': 1 });
  assert.equal(reads, 1);
  assert.ok(Object.is(snapshot.n, 0));
  assert.equal(Object.getPrototypeOf(snapshot), Object.prototype);
  // `__proto__` stays a member, not the snapshot's prototype.
  const proto = encode(JSON.parse('{"__proto__":{"polluted":1}}')).snapshot;
  assert.deepEqual(Object.keys(proto), ['__proto__']);
  assert.equal(proto.polluted, undefined);
});

test('generated values cross as JSON.stringify would carry them', () => {
  const next = seededRandom(0x9e3779b9);
  const pick = (list) => list[Math.floor(next() * list.length)];
  const chars = ['a', 'Z', '0', ' ', '"', '\\', '\n', '\u0000', '\u007f', 'é', '中', '😀', '/', '~'];
  const string = () => Array.from({ length: Math.floor(next() * 12) }, () => pick(chars)).join('');
  const number = () =>
    pick([() => 0, () => Math.floor(next() * 1000) - 500, () => next() * 1e6, () => (next() - 0.5) * 1e-300, () => 2 ** 53 + 2, () => NaN, () => 0.1 + 0.2])();
  const value = (depth) => {
    const kind = Math.floor(next() * (depth > 4 ? 6 : 8));
    switch (kind) {
      case 0: return null;
      case 1: return next() < 0.5;
      case 2: return number();
      case 3: return string();
      case 4: return undefined;
      case 5: return new Date(Math.floor(next() * 2e12));
      case 6: return Array.from({ length: Math.floor(next() * 5) }, () => value(depth + 1));
      default: return Object.fromEntries(Array.from({ length: Math.floor(next() * 6) }, () => [string(), value(depth + 1)]));
    }
  };
  for (let i = 0; i < 3000; i++) {
    const payload = { v: value(0) };
    assert.deepEqual(readBack(payload), viaJson(payload), `case ${i}: ${JSON.stringify(payload)}`);
  }
});

test("utf8Length counts a string's UTF-8 bytes as TextEncoder writes them, lone surrogates as U+FFFD", () => {
  const utf8 = new TextEncoder();
  const units = [0x41, 0x7f, 0x80, 0x7ff, 0x800, 0xfffd, 0xd800, 0xdbff, 0xdc00, 0xdfff, 0xe9, 0x20ac];
  let seed = 7;
  const next = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31);
  for (let round = 0; round < 2000; round++) {
    const s = String.fromCharCode(...Array.from({ length: next() % 12 }, () => units[next() % units.length]));
    assert.equal(utf8Length(s), utf8.encode(s).length, JSON.stringify(s));
  }
  assert.equal(utf8Length('😀'), 4);
  assert.equal(utf8Length(undefined), 0);
});
