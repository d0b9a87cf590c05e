// trackplan's argument resolution (js/sdk/arguments.js) against analytics-next's own
// (`core/arguments-resolver`, imported from the installed package): over a table of
// every overload and over argument lists fast-check generates, trackplan resolves the
// name, category, payload, options and callback analytics.js would; an argument it
// flags as ignored is one analytics.js would leave out, and one it does not flag is one
// analytics.js reads; and the canonical arguments it hands over resolve back to the same
// call. The intended differences are asserted too: analytics.js throws for a track call
// without an event name (trackplan blocks it with a violation), and quietly drops an
// argument it cannot place (trackplan blocks the call with invalid_input).
import assert from 'node:assert/strict';
import { before, describe, test } from 'node:test';
import fc from 'fast-check';
import {
  resolveArguments,
  resolvePageArguments,
  resolveUserArguments,
} from '@segment/analytics-next/dist/pkg/core/arguments-resolver/index.js';
import { canonicalArguments, resolveCall } from '../js/sdk/arguments.js';
import { createCore } from '../js/sdk/core.js';
import { check } from './support/calls.js';
import { productionCore } from './support/cores.js';

const METHODS = ['track', 'page', 'identify', 'group'];
/** What analytics.js reads of each method's arguments: the rest it never looks at. */
const READ = { track: 4, page: 5, identify: Infinity, group: Infinity };

/** analytics-next's resolution of `method(...args)`, or the message it throws. */
function theirs(method, args) {
  try {
    if (method === 'track') {
      const [name, payload, options, callback] = resolveArguments(...args);
      return { name, payload, options, callback };
    }
    if (method === 'page') {
      const [category, name, payload, options, callback] = resolvePageArguments(...args);
      return { category, name, payload, options, callback };
    }
    // No stored user or group: the id is null when the call gives none.
    const [name, payload, options, callback] = resolveUserArguments({ id: () => null })(...args);
    return { name, payload, options, callback };
  } catch (error) {
    return { threw: error.message };
  }
}

/** Which argument trackplan says analytics.js would leave out (its index), or -1. */
function ignoredIndex(call) {
  if (!call.ignored) return -1;
  const at = /argument (\d+)/.exec(call.ignored);
  return at ? Number(at[1]) - 1 : -2;
}

/** `a` and `b` are the same value: the same object, or both an empty default object. */
function same(a, b) {
  if (Object.is(a, b)) return true;
  const empty = (v) => v !== null && typeof v === 'object' && Object.getPrototypeOf(v) === Object.prototype && Reflect.ownKeys(v).length === 0;
  return empty(a) && empty(b);
}

/**
 * Asserts trackplan's resolution of `method(...args)` is analytics-next's, in every part,
 * and that its ignored argument (if any) is one analytics-next leaves out. Returns
 * trackplan's resolution.
 */
function assertResolvedAlike(method, args) {
  const what = `${method}(${args.map(show).join(', ')})`;
  const ours = resolveCall(method, args);
  const expected = theirs(method, args);
  if (expected.threw) {
    // analytics.js throws into the page only for a track call without an event name:
    // trackplan gives the call no name, which the core blocks with a violation.
    assert.equal(expected.threw, 'Event missing', what);
    assert.ok(!ours.name || ours.ignored, what);
    return ours;
  }
  assert.equal(ours.name, expected.name, `${what}: name`);
  if (method === 'page') assert.equal(ours.category, expected.category, `${what}: category`);
  assert.ok(same(ours.payload, expected.payload), `${what}: payload`);
  assert.ok(same(ours.options, expected.options), `${what}: options`);
  assert.equal(ours.callback, expected.callback, `${what}: callback`);
  const ignored = ignoredIndex(ours);
  assert.notEqual(ignored, -2, `${what}: ${ours.ignored}`);
  args.forEach((arg, i) => {
    if (arg === undefined || arg === null) return;
    const read = isRead(method, args, i, expected);
    if (i === ignored) assert.ok(!read, `${what}: argument ${i + 1} is read by analytics.js, yet flagged`);
    else if (ignored < 0) assert.ok(read, `${what}: argument ${i + 1} is left out by analytics.js, yet not flagged`);
  });
  return ours;
}

/** Whether analytics-next's resolution `expected` of `method(...args)` reads `args[i]`. */
function isRead(method, args, i, expected) {
  const arg = args[i];
  if (i >= READ[method]) return false;
  if (method === 'track' && i === 0) return true;
  if ([expected.payload, expected.options, expected.callback].includes(arg)) return true;
  if (typeof arg === 'string') return arg === expected.name || arg === expected.category;
  // A number is read as a userId or groupId, in the first place given.
  const first = args.findIndex((a) => a !== undefined && a !== null);
  return typeof arg === 'number' && !(method in { track: 1, page: 1 }) && String(arg) === expected.name && first === i;
}

/** Asserts the canonical arguments of a resolved call resolve, in analytics-next, to the same call. */
function assertCanonicalAlike(call) {
  const args = canonicalArguments(call, call.payload, call.options);
  const what = `${call.method}: canonical ${args.map(show).join(', ')}`;
  const back = theirs(call.method, args);
  assert.equal(back.threw, undefined, what);
  assert.equal(back.name, call.name, `${what}: name`);
  if (call.method === 'page') assert.equal(back.category, call.category, `${what}: category`);
  assert.ok(same(back.payload, call.payload), `${what}: payload`);
  assert.ok(same(back.options, call.options), `${what}: options`);
  assert.equal(back.callback, call.callback, `${what}: callback`);
}

function show(arg) {
  if (typeof arg === 'function') return 'fn';
  if (typeof arg === 'symbol') return arg.toString();
  if (typeof arg === 'string') return JSON.stringify(arg);
  if (Array.isArray(arg)) return '[…]';
  if (arg && typeof arg === 'object') return `{${Object.keys(arg).join(',')}}`;
  return String(arg);
}

const props = () => ({ episode_id: 'ep_1' });
const opts = () => ({ context: { ip: '0.0.0.0' } });
const cb = () => () => {};

/** Every overload analytics-next documents (its comments and docs), per method. */
const OVERLOADS = {
  track: [
    ['e'], ['e', props()], ['e', props(), opts()], ['e', props(), opts(), cb()], ['e', props(), cb()], ['e', cb()],
    ['e', null, opts()], ['e', undefined, opts()], ['e', props(), null], ['e', props(), undefined, cb()],
    [{ event: 'e', properties: props() }], [{ event: 'e', properties: props() }, opts()],
    [{ event: 'e', properties: props() }, opts(), cb()], [{ event: 'e' }, cb()], [{ event: 'e' }, cb(), opts()],
  ],
  page: [
    [], ['Home'], ['Docs', 'Home'], [props()], [props(), opts()], ['Home', props()], ['Home', props(), opts()],
    ['Docs', 'Home', props()], ['Docs', 'Home', props(), opts()], ['Docs', 'Home', props(), opts(), cb()],
    ['Docs', 'Home', cb()], [cb()], [null, 'Home', props()], [null, null, props(), opts()], [undefined, 'Home'],
    ['Home', null, props()], [null, null, null, opts()], ['Home', cb()], [props(), cb()],
    // analytics-next's isPlainObject reads the object tag in any case.
    ['Home', { [Symbol.toStringTag]: 'object', episode_id: 'ep_1' }],
  ],
  identify: [
    ['u1'], ['u1', props()], ['u1', props(), opts()], ['u1', props(), opts(), cb()], [42, props()], [NaN, props()], [props()],
    [props(), opts()], [null, props()], [undefined, props(), opts()], ['u1', cb()], ['u1', props(), cb()],
    [props(), cb()], ['u1', null, opts()], [cb()], [],
  ],
  group: [
    ['g1'], ['g1', props()], ['g1', props(), opts()], ['g1', props(), opts(), cb()], [7, props()], [props()],
    [null, props(), opts()], ['g1', cb()], ['g1', props(), cb()],
  ],
};

/** Calls analytics-next resolves with an argument left out (or refuses): trackplan flags each. */
const MISTAKES = {
  track: [
    ['e', 5], ['e', 'text'], ['e', [1, 2]], ['e', props(), opts(), cb(), props()], ['e', props(), opts(), props()],
    [{ event: 'e' }, props(), opts()], ['e', props(), opts(), null, cb()], [{ event: 'e' }, cb(), opts(), cb()],
  ],
  page: [
    [123], ['Home', 5], [true], ['a', 'b', 'c'], [props(), opts(), props()], ['Docs', 'Home', props(), opts(), props()],
    [[1]], ['Docs', 'Home', props(), opts(), null, cb()],
  ],
  identify: [['u1', 'text'], ['u1', props(), opts(), props()], [props(), 'text'], ['u1', [1]], [true]],
  group: [['g1', 5], [props(), opts(), opts()], [[1]]],
};

describe('every overload analytics-next accepts resolves as analytics-next resolves it', () => {
  for (const method of METHODS) {
    test(method, () => {
      for (const args of OVERLOADS[method]) {
        const call = assertResolvedAlike(method, args);
        assert.equal(call.ignored, undefined, `${method}(${args.map(show).join(', ')}): ${call.ignored}`);
        assertCanonicalAlike(call);
      }
    });
  }
});

describe('an argument analytics-next would leave out is flagged (intended: the call is blocked, not sent short)', () => {
  for (const method of METHODS) {
    test(method, () => {
      for (const args of MISTAKES[method]) {
        const call = assertResolvedAlike(method, args);
        assert.match(call.ignored ?? '', /is not one analytics\.js reads/, `${method}(${args.map(show).join(', ')})`);
      }
    });
  }
});

test("an ignored argument's message says what it is and what to call", () => {
  const message = (method, args) => resolveCall(method, args).ignored;
  assert.equal(
    message('track', ['e', {}, {}, { x: 1 }]),
    "track's argument 4, an object, is not one analytics.js reads (it would leave it out): call track(event, properties, options)",
  );
  assert.match(message('identify', ['u1', [1, 2]]), /^identify's argument 2, an array, /);
  assert.match(message('page', [true]), /^page's argument 1, a boolean, .*: call page\(category, name, properties, options\)$/);
  assert.match(message('page', [NaN]), /^page's argument 1, NaN, /);
  assert.match(message('group', ['g1', 'text']), /^group's argument 2, "text", .*: call group\(groupId, traits, options\)$/);
});

describe('in the core: what trackplan resolves is what it validates and hands over', () => {
  let core;
  before(async () => {
    core = await createCore(await productionCore(), { environment: 'production' });
  });

  test("page('Home', { section }) and page({ section }): the property is checked (unplanned, omitted)", () => {
    for (const args of [['Home', { section: 'bogus' }], [{ section: 'bogus' }], ['Docs', 'Home', { section: 'bogus' }, {}], [{ section: 'bogus' }, {}]]) {
      const { verdict, sent } = check(core, 'page', args);
      assert.deepEqual([verdict.ok, verdict.action, verdict.omitted], [false, 'sent', ['section']], show(args[0]));
      const back = resolvePageArguments(...sent);
      assert.deepEqual(back[2], {});
      assert.deepEqual(back[3], { context: { protocols: { omitted: ['section'] } } });
    }
  });

  test('page(123), group() without id, track without a name: blocked, as analytics.js would send them wrong or throw', () => {
    const blocked = [['page', [123]], ['group', [{ name: 'x' }]], ['track', [{ properties: {} }]], ['track', ['']], ['track', [5]]];
    for (const [method, args] of blocked) {
      const { verdict, sent } = check(core, method, args);
      assert.deepEqual([verdict.ok, verdict.action, sent], [false, 'blocked', null], `${method}(${args.map(show)})`);
    }
  });

  test('names are handed over as the core checked them: a lone surrogate U+FFFD', () => {
    const page = check(core, 'page', ['Docs\udc00', 'Home\ud800', {}]);
    assert.deepEqual([page.verdict.event, ...page.sent.slice(0, 2)], ['Home\uFFFD', 'Docs\uFFFD', 'Home\uFFFD']);
    assert.equal(check(core, 'identify', ['user\udbff', { user_type: 'patient' }]).sent[0], 'user\uFFFD');
  });

  test("identify(123, traits): the userId '123', as analytics.js makes it", () => {
    const { verdict, sent } = check(core, 'identify', [123, { user_type: 'patient' }]);
    assert.deepEqual([verdict.ok, verdict.action], [true, 'sent']);
    assert.deepEqual(resolveUserArguments({ id: () => null })(...sent).slice(0, 3), ['123', { user_type: 'patient' }, {}]);
  });
});

/**
 * An argument of a generated call: one of each kind analytics-next tells apart, each value
 * fresh (made for its position `i`: two strings are never equal, past the first).
 */
const argument = fc.oneof(
  fc.constantFrom('a', 'Home', 'call started', '').map((s) => (i) => (i ? `${s}#${i}` : s)),
  fc.constantFrom(0, 1, 42, -1).map((n) => (i) => n + i * 1000),
  fc.constant(() => ({ episode_id: 'ep_1' })),
  fc.constant(() => ({ event: 'call started', properties: { episode_id: 'ep_1' } })),
  fc.constant(() => null),
  fc.constant(() => undefined),
  fc.constant(() => () => {}),
  fc.constant(() => [1, 2]),
  fc.constant(() => Object.create(null)),
  fc.constant(() => new Date(0)),
  fc.constant((i) => Symbol(`s${i}`)),
);

test('generated argument lists (every kind, in any position, up to 5): resolved as analytics-next, canonical form resolves back', async () => {
  const core = await createCore(await productionCore(), { environment: 'production' });
  let flagged = 0;
  let clean = 0;
  fc.assert(
    fc.property(fc.constantFrom(...METHODS), fc.array(argument, { maxLength: 5 }), (method, makers) => {
      const args = makers.map((make, i) => make(i));
      const call = assertResolvedAlike(method, args);
      if (call.ignored || theirs(method, args).threw) {
        // What analytics.js would send short, or refuse, is blocked.
        flagged += 1;
        assert.equal(check(core, method, args).verdict.action, 'blocked');
      } else {
        clean += 1;
        assertCanonicalAlike(call);
      }
    }),
    { numRuns: 20_000, seed: 19, includeErrorInReport: true },
  );
  console.log(`argument resolution: ${flagged + clean} generated calls, ${clean} resolved alike, ${flagged} flagged`);
});
