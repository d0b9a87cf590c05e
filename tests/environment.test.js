// Environment resolution and the write key it picks: a table of hostnames proving that
// the production key is never used off a production host.
import assert from 'node:assert/strict';
import { after, describe, test } from 'node:test';
import { createTracker, resolveEnvironment } from '../js/index.js';
import { plainTargets, TARGET_NAMES } from '../js/sdk/environment.js';
import { checkedTargets } from '../js/sdk/targets.js';
import { seededRandom } from './support/random.js';

const WRITE_KEYS = { production: 'wk_prod', staging: 'wk_staging', development: 'wk_dev', test: 'wk_test' };
const HOSTS = {
  production: ['example.com', 'www.example.com', /app[0-9]?\.example\.com/],
  staging: ['staging.example.com', '*.staging.example.com'],
  development: ['*.preview.example.dev'],
  test: ['ci.example.test'],
};

/** [hostname, environment the rules above must give]. */
const TABLE = [
  ['localhost', 'development'],
  ['127.0.0.1', 'development'],
  ['[::1]', 'development'],
  ['::1', 'development'],
  ['my-laptop.local', 'development'],
  ['', 'development'],
  ['example.com', 'production'],
  ['www.example.com', 'production'],
  ['app.example.com', 'production'],
  ['app2.example.com', 'production'],
  ['EXAMPLE.COM', 'production'],
  ['example.com.', 'production'],
  ['WWW.Example.Com.', 'production'],
  ['staging.example.com', 'staging'],
  ['eu.staging.example.com', 'staging'],
  ['pr-42.preview.example.dev', 'development'],
  ['preview.example.dev', 'development'], // the wildcard does not match its apex
  ['ci.example.test', 'test'],
  // Look-alikes and near misses: never production.
  ['example.com.evil.io', 'development'],
  ['www.example.com.evil.io', 'development'],
  ['evil-example.com', 'development'],
  ['evilexample.com', 'development'],
  ['example.co', 'development'],
  ['example.com-evil.io', 'development'],
  ['app.example.com.attacker.net', 'development'], // the RegExp must match the whole name
  ['xapp.example.com', 'development'],
  ['shop.example.com', 'development'], // a subdomain not listed
  ['staging.example.com.evil.io', 'development'],
  ['app.example.com.local', 'development'],
  ['example.com.local', 'development'],
];

describe('resolveEnvironment', () => {
  for (const [hostname, expected] of TABLE) {
    test(`${JSON.stringify(hostname)} → ${expected}`, () => {
      assert.equal(resolveEnvironment({ hosts: HOSTS, hostname }), expected);
    });
  }

  test('the explicit environment wins over every rule', () => {
    assert.equal(resolveEnvironment({ environment: 'test', hosts: HOSTS, hostname: 'example.com' }), 'test');
    assert.equal(resolveEnvironment({ environment: 'production', hostname: 'localhost' }), 'production');
  });

  test('without rules every host is development, the production apex included', () => {
    for (const hostname of ['example.com', 'www.example.com', 'localhost']) {
      assert.equal(resolveEnvironment({ hostname }), 'development');
    }
  });

  test('a host matching several environments never resolves to production', () => {
    const overlapping = { production: ['*.example.com'], staging: ['staging.example.com'], test: [/.*/] };
    assert.equal(resolveEnvironment({ hosts: overlapping, hostname: 'staging.example.com' }), 'test');
    assert.equal(resolveEnvironment({ hosts: { production: ['*.example.com'], staging: ['staging.example.com'] }, hostname: 'staging.example.com' }), 'staging');
  });

  test('a global or sticky RegExp gives the same answer every time', () => {
    const hosts = { production: [/example\.com/g] };
    const answers = [1, 2, 3].map(() => resolveEnvironment({ hosts, hostname: 'example.com' }));
    assert.deepEqual(answers, ['production', 'production', 'production']);
  });

  test('an unknown environment is a set-up error that lists the valid ones', () => {
    assert.throws(() => resolveEnvironment({ environment: 'prod' }), /"prod" is not one of production, staging, development, test/);
  });
});

describe('the write key createTracker picks', () => {
  const realLocation = Object.getOwnPropertyDescriptor(globalThis, 'location');
  after(() => {
    if (realLocation) Object.defineProperty(globalThis, 'location', realLocation);
    else delete globalThis.location;
  });

  const analytics = { track() {}, identify() {}, page() {}, group() {} };
  for (const [hostname, expected] of TABLE) {
    test(`on ${JSON.stringify(hostname)} the key is ${WRITE_KEYS[expected]}`, async () => {
      Object.defineProperty(globalThis, 'location', { value: { hostname }, configurable: true });
      const tracker = await createTracker({ writeKeys: WRITE_KEYS, hosts: HOSTS, analytics, global: false });
      assert.equal(tracker.environment, expected);
      assert.equal(tracker.writeKey, WRITE_KEYS[expected]);
      if (expected !== 'production') assert.notEqual(tracker.writeKey, WRITE_KEYS.production);
    });
  }
});

describe('host rules that need no mending are read without the full check', () => {
  // `plainTargets` must answer exactly as `checkedTargets` (the URL parser's reading)
  // whenever it answers at all: checked on a table, then on strings built at random from
  // the pieces that reach the URL parser's every turn.
  const read = (rule) => {
    const options = { writeKeys: { production: 'wk', quarantine: 'wk_q' }, hosts: { production: [rule], test: ['ci.example.test'] } };
    let full;
    try {
      full = checkedTargets(options, TARGET_NAMES);
    } catch (error) {
      full = error;
    }
    return { fast: plainTargets(options), full };
  };

  test('plain hostnames and RegExps are taken as they are; anything to mend or refuse is not', () => {
    for (const rule of ['app.example.com', '*.example.com', 'localhost', 'a1.b-2.example', '1password.com', /app\.example\.com/]) {
      const { fast, full } = read(rule);
      assert.deepEqual(fast, full, String(rule));
      assert.deepEqual(fast.warnings, []);
    }
    for (const rule of ['App.example.com', 'example.com.', '127.0.0.1', '127.1', 'x.0x1f', 'xn--bcher-kva.example', 'bücher.example', 'a_b.example', 'app.example.com:443', 'https://app.example.com', '-a.example', 'a-.example', '', ' a.example', '[::1]', 42]) {
      assert.equal(read(rule).fast, undefined, JSON.stringify(rule));
    }
    assert.equal(plainTargets({ hosts: { prod: ['app.example.com'] } }), undefined);
    assert.equal(plainTargets({ hosts: { production: 'app.example.com' } }), undefined);
    assert.equal(plainTargets({ writeKeys: { prod: 'wk' } }), undefined);
    assert.equal(plainTargets({ writeKeys: 'wk' }), undefined);
    assert.deepEqual(plainTargets({}), { hosts: undefined, warnings: [] });
  });

  test('on 20,000 random rules, plainTargets answers as checkedTargets or leaves it to it', () => {
    const pieces = ['a', 'b', 'z', 'ex', '0', '1', '9', '-', '.', '..', '*.', 'xn--', '0x', 'f', 'A', 'Z', '_', ':', '/', ' ', '[', ']', 'ü', '%41', 'com', 'local'];
    const next = seededRandom(0x2545f491);
    let taken = 0;
    for (let i = 0; i < 20_000; i++) {
      let rule = '';
      for (let n = 1 + Math.floor(next() * 8); n > 0; n--) rule += pieces[Math.floor(next() * pieces.length)];
      const { fast, full } = read(rule);
      if (fast === undefined) continue;
      taken += 1;
      assert.deepEqual(fast, full, JSON.stringify(rule));
    }
    assert.ok(taken > 1_000, `the fast path answered ${taken} times`);
  });
});
