// The shim's side of a call (js/sdk/core.js), in Node with the real wasm: what crosses into
// the core, and what is handed to analytics.js: the page's own arguments when nothing
// changed, a copy when properties were omitted or context added, nothing when blocked.
import assert from 'node:assert/strict';
import { before, test } from 'node:test';
import { createCore, dryRun, forwardedViolations, report } from '../js/sdk/core.js';
import { check, contextBytes } from './support/calls.js';
import { encode } from '../js/sdk/encode.js';
import { FULL_CORE, lintPlan, startTools } from '../js/node/tools.js';
import { cores } from '../js/demo/index.js';
import { SetupError, startCore, startFull } from '../js/sdk/cores.js';
import { REPORT_HISTORY, REPORT_PLAN, REPORT_VERDICT } from '../js/sdk/protocol.js';
import { coreWithPlan, developmentCore, productionCore } from './support/cores.js';
import { ORDER_PLAN } from './e2e/support/plans.js';


const VALID = { episode_id: 'ep_1', call_id: 'call_1', user_type: 'patient' };

test('a valid call hands analytics.js a snapshot of what was checked, never the page\'s own objects', async () => {
  const core = await createCore(await productionCore(), { environment: 'production' });
  const properties = { ...VALID };
  const options = { context: { ip: '0.0.0.0' }, timestamp: new Date(0) };
  const { verdict, sent } = check(core, 'track', ['call started', properties, options]);
  assert.deepEqual([verdict.ok, verdict.action, verdict.event, verdict.version], [true, 'sent', 'call started', 1]);
  assert.deepEqual(sent, ['call started', VALID, { context: { ip: '0.0.0.0' }, timestamp: '1970-01-01T00:00:00.000Z' }]);
  assert.notEqual(sent[1], properties);
  assert.notEqual(sent[2], options);
  // What the page does afterwards changes nothing that was handed over.
  properties.episode_id = 'changed';
  options.context.ip = 'changed';
  assert.deepEqual(sent[1], VALID);
  assert.equal(sent[2].context.ip, '0.0.0.0');
  assert.deepEqual(forwardedViolations(core, verdict), []);
});

test('omitted properties: a copy without them, options marked, the page untouched, violations forwarded', async () => {
  const core = await createCore(await productionCore(), { environment: 'production' });
  const properties = { ...VALID, channel_id: 'ch_1' };
  const options = { context: { protocols: { event_version: 1 }, locale: 'en' } };
  const { verdict, sent } = check(core, 'track', ['call started', properties, options]);
  assert.deepEqual([verdict.ok, verdict.action, verdict.omitted], [false, 'sent', ['channel_id']]);
  assert.deepEqual(sent, ['call started', VALID, { context: { protocols: { event_version: 1, omitted: ['channel_id'] }, locale: 'en' } }]);
  assert.equal(properties.channel_id, 'ch_1');
  assert.deepEqual(options.context.protocols, { event_version: 1 });
  assert.deepEqual(forwardedViolations(core, verdict), [
    {
      violationType: 'unplanned_property',
      violationField: '/channel_id',
      violationDescription: verdict.violations[0].message,
      eventName: 'call started',
      eventType: 'track',
      trackingPlanId: 'tp_trackplan_default',
    },
  ]);
});

test("identify: 'changed' hands analytics.js the userId and the changed traits, and a repeat nothing", async () => {
  const core = await createCore(await productionCore(), { environment: 'production', policy: { identify: 'changed' } });
  core.setContext(contextBytes('user_type', 'patient'));
  const first = check(core, 'identify', ['user_1', { email: 'ada@example.com', name: 'Ada' }]);
  assert.deepEqual(first.sent, ['user_1', { email: 'ada@example.com', name: 'Ada', user_type: 'patient' }, {}]);
  const update = check(core, 'identify', ['user_1', { email: 'ada@example.org', name: 'Ada' }]);
  assert.deepEqual([update.verdict.action, update.verdict.unchanged], ['sent', ['name', 'user_type']]);
  assert.deepEqual(update.sent, ['user_1', { email: 'ada@example.org' }, {}], 'nor the unchanged context property');
  const repeat = check(core, 'identify', ['user_1', { email: 'ada@example.org' }]);
  assert.deepEqual([repeat.verdict.ok, repeat.verdict.action, repeat.sent], [true, 'skipped', null]);
  core.reset();
  const afterReset = check(core, 'identify', ['user_1', { email: 'ada@example.org' }]);
  assert.deepEqual(afterReset.sent, ['user_1', { email: 'ada@example.org', user_type: 'patient' }, {}]);
});

test('context properties are added to a copy, as own data even when named __proto__', async () => {
  const plan = { rules: [{ key: 'e', type: 'TRACK', jsonSchema: { properties: { ['__proto__']: { type: 'string' }, episode_id: { type: 'string' } } } }] };
  const core = await createCore(await coreWithPlan(plan), { environment: 'development' });
  core.setContext(contextBytes('episode_id', 'ep_9'));
  core.setContext(contextBytes('__proto__', 'p'));
  const properties = {};
  const { verdict, sent } = check(core, 'track', ['e', properties]);
  assert.equal(verdict.ok, true);
  assert.deepEqual(Object.keys(sent[1]).sort(), ['__proto__', 'episode_id']);
  assert.equal(Object.getPrototypeOf(sent[1]), Object.prototype);
  assert.deepEqual(properties, {});
});

test('blocked calls and dry runs hand nothing on; dry runs are not recorded', async () => {
  const core = await createCore(await productionCore(), { environment: 'development' });
  assert.equal(check(core, 'track', ['call started', { call_id: 'c' }]).sent, null);
  assert.equal(check(core, 'track', ['call started', VALID], true).sent, null);
  assert.equal(report(core, REPORT_HISTORY).length, 1);
});

test('what JSON cannot carry is invalid input; the page sees no exception', async () => {
  const core = await createCore(await productionCore(), { environment: 'production' });
  const cyclic = { ...VALID };
  cyclic.self = cyclic;
  const throwing = { get boom() { throw new Error('getter says no'); } };
  for (const [payload, fragment] of [[cyclic, 'circular'], [throwing, 'getter says no'], [{ n: 10n }, 'BigInt']]) {
    const { verdict, sent } = check(core, 'track', ['call started', payload]);
    assert.deepEqual([verdict.action, verdict.violations[0].kind, sent], ['blocked', 'invalid_input', null]);
    assert.match(verdict.violations[0].message, new RegExp(fragment));
  }
  // Options are sent too: options that cannot be sent as JSON are invalid input as well.
  const hostileOptions = { get context() { throw new Error('no'); } };
  const options = check(core, 'track', ['call started', VALID, hostileOptions]).verdict;
  assert.deepEqual([options.action, options.violations[0].kind], ['blocked', 'invalid_input']);
  assert.match(options.violations[0].message, /^the call's options cannot be sent as JSON \(reading it threw: no\)/);
});

test('options are handed over as a snapshot of JSON data, lone surrogates U+FFFD as in the payload', async () => {
  const core = await createCore(await productionCore(), { environment: 'production' });
  const options = { context: { ['note\ud800']: 'a\udc00b', list: [new Date(0), -0, NaN] } };
  const { verdict, sent } = check(core, 'track', ['call started', VALID, options]);
  assert.deepEqual([verdict.ok, verdict.action], [true, 'sent']);
  assert.deepEqual(sent[2], { context: { ['note\uFFFD']: 'a\uFFFDb', list: ['1970-01-01T00:00:00.000Z', 0, null] } });
  for (const bad of [[1], 'text', new Date(0)]) {
    const refused = check(core, 'track', ['call started', VALID, bad]).verdict;
    assert.match(refused.violations[0]?.message ?? '', /options cannot be sent as JSON \(they are not an object\)/, JSON.stringify(bad));
  }
});

test("an identify's options.userId, which analytics.js would send in place of its userId, is invalid input", async () => {
  const core = await createCore(await productionCore(), { environment: 'production' });
  const traits = { user_type: 'patient' };
  for (const userId of ['', 'jane@example.com', null, 42]) {
    const { verdict, sent } = check(core, 'identify', ['user_1', traits, { userId }]);
    assert.deepEqual([verdict.action, verdict.violations[0]?.kind, sent], ['blocked', 'invalid_input', null], String(userId));
    assert.match(verdict.violations[0].message, /options\.userId would replace its userId/);
  }
  assert.equal(check(core, 'identify', ['user_1', traits, { userId: 'user_1' }]).verdict.ok, true, 'the same userId changes nothing');
  assert.equal(check(core, 'track', ['call started', VALID, { userId: 'u2' }]).verdict.ok, true, 'a track call checks no userId');
});

test('identify names the userId, not an event; page its name; options pick the version', async () => {
  const core = await createCore(await productionCore(), { environment: 'development' });
  const identify = check(core, 'identify', ['user_1', { user_type: 'patient' }]).verdict;
  assert.deepEqual([identify.ok, identify.type, 'event' in identify], [true, 'identify', false]);
  const missing = check(core, 'identify', [undefined, { user_type: 'patient' }]).verdict;
  assert.equal(missing.violations[0].kind, 'user-id-missing');
  const page = check(core, 'page', ['app', 'home', {}]).verdict;
  assert.equal(page.event, 'home');
  const asked = check(core, 'track', ['call started', VALID, { context: { protocols: { event_version: 9 } } }]).verdict;
  assert.equal(asked.violations[0].kind, 'unplanned_event', 'no version 9 of the event');
});

test('dryRun reads validate() calls, and an unknown type is an invalid_input verdict', async () => {
  const core = await createCore(await productionCore(), { environment: 'development' });
  assert.equal(dryRun(core, { type: 'track', event: 'call started', properties: VALID }).ok, true);
  assert.equal(dryRun(core, { type: 'identify', userId: 'u', traits: { user_type: 'nurse' } }).violations[0].kind, 'enum');
  const unknown = dryRun(core, { type: 'alias' });
  assert.deepEqual([unknown.ok, unknown.violations[0].kind], [false, 'invalid_input']);
  assert.match(unknown.violations[0].message, /"alias" is not track/);
  assert.equal(report(core, REPORT_HISTORY).length, 0);
});

test('production starts the binding\'s production core; a plan given at run time or another environment, the full core', async () => {
  const production = await productionCore();
  const development = await developmentCore();
  assert.notEqual(production.Tracker, development.Tracker);
  assert.equal((await startCore({ environment: 'production', plan: null }, cores)).Tracker, production.Tracker, 'null is no plan');
  for (const environment of ['development', 'staging', 'test']) {
    assert.equal((await startCore({ environment }, cores)).Tracker, development.Tracker, `${environment}: where advice is read`);
  }
  const withPlan = await coreWithPlan(ORDER_PLAN);
  assert.equal(withPlan.Tracker, development.Tracker);
  assert.equal((await startCore({ plan: ORDER_PLAN, environment: 'production' }, cores)).Tracker, development.Tracker);
  const core = await createCore(withPlan, { environment: 'development' });
  assert.equal(dryRun(core, { type: 'track', event: 'order completed', properties: { order_id: 'o_1' } }).ok, true);
  const missing = dryRun(core, { type: 'track', event: 'order completed', properties: {} });
  assert.deepEqual(missing.violations.map((v) => [v.kind, v.path]), [['required', '']]);
  const unplanned = dryRun(core, { type: 'track', event: 'call started', properties: VALID });
  assert.deepEqual(unplanned.violations.map((v) => v.kind), ['unplanned_event'], 'the run-time plan, not the bound one');
});

test('without a binding or a plan, or with a binding of another version, starting a core is a set-up error', async () => {
  for (const environment of ['production', 'development']) {
    await assert.rejects(() => startCore({ environment }), (error) => error instanceof SetupError && /no plan.*npx trackplan build/.test(error.message));
  }
  await assert.rejects(
    () => startCore({ environment: 'production' }, { ...cores, version: '0.0.1' }),
    (error) => error instanceof SetupError && /written by trackplan 0\.0\.1.*run `npx trackplan build` again/.test(error.message),
  );
  // A core without a plan in it: the package's own, not a binding's copy.
  await assert.rejects(
    () => startCore({ environment: 'development' }, { ...cores, development: () => FULL_CORE }),
    (error) => error instanceof SetupError && /holds no plan/.test(error.message),
  );
});

test('the production core reads only compiled plans: a plan\'s JSON text given to it says what to do', async () => {
  const production = await productionCore();
  const text = new TextEncoder().encode(JSON.stringify(ORDER_PLAN));
  await assert.rejects(() => createCore({ ...production, plan: text }, { environment: 'production' }), /run `npx trackplan build` again/);
  // Its plan is the binding's, read from the binary form without the descriptions
  // (developer documentation, which the development core's copy keeps).
  const summary = report(await createCore(production, { environment: 'production' }), REPORT_PLAN);
  assert.ok(summary.events.some((e) => e.name === 'call started'));
  assert.ok(summary.events.every((e) => Array.isArray(e.properties)));
  assert.ok(!JSON.stringify(summary).includes('"description"'));
  const full = report(await createCore(await developmentCore(), { environment: 'development' }), REPORT_PLAN);
  assert.match(full.events.find((e) => e.name === 'call started').description, /call began/);
});

test('the full core is started once per process; the CLI tools use that start', async () => {
  assert.equal(startFull(FULL_CORE), startFull(FULL_CORE), 'one start, whoever asks');
  const core = await createCore(await coreWithPlan(ORDER_PLAN), { environment: 'development' });
  check(core, 'track', ['order completed', { order_id: 'o_1' }]);
  // The tools' glue is the module the plan started: lintPlan works before startTools.
  assert.equal(lintPlan(JSON.stringify(ORDER_PLAN)).errors, 0);
  await startTools();
  assert.equal(report(core, REPORT_HISTORY).length, 1, 'the tracker made before startTools kept its state');
});

test('a plan crosses as the UTF-8 of its JSON text, given as text or object; what is not data is a set-up error', async () => {
  const plan = { rules: [{ key: 'été 🎉', type: 'TRACK', jsonSchema: { properties: { mood: { enum: ['😀', 'ça'] } } } }] };
  for (const given of [plan, JSON.stringify(plan)]) {
    const core = await createCore(await coreWithPlan(given), { environment: 'development' });
    assert.equal(check(core, 'track', ['été 🎉', { mood: '😀' }]).verdict.ok, true);
    assert.equal(check(core, 'track', ['été 🎉', { mood: 'ca' }]).verdict.ok, false);
  }
  const cyclic = { rules: [] };
  cyclic.self = cyclic;
  for (const [given, message] of [[() => {}, /the plan cannot be read as JSON: a function or symbol is not data/], [cyclic, /the plan cannot be read as JSON: .*circular/]]) {
    await assert.rejects(() => coreWithPlan(given), (error) => error instanceof SetupError && message.test(error.message));
  }
  await assert.rejects(async () => createCore(await coreWithPlan('{"rules": ['), {}), /not valid JSON/);
  await assert.rejects(async () => createCore(await productionCore(), { policy: { violations: 1n } }), /policy and historySize must be plain data/);
});

test('the environment and policy are read as plain data; a bad one is a set-up error that says what to use', async () => {
  const thrown = async (options) => {
    try {
      await createCore(await productionCore(), options);
    } catch (error) {
      assert.equal(error.constructor, Error);
      return error.message;
    }
    return assert.fail('no set-up error');
  };
  assert.equal(await thrown({ environment: 'prod' }), 'environment "prod" is not one of production, staging, development, test');
  assert.equal(await thrown({ policy: { violations: 'drop' } }), `policy.violations cannot be "drop": use 'allow', 'block' or 'omit_properties'`);
  assert.equal(await thrown({ policy: { unplannedEvents: true } }), `policy.unplannedEvents cannot be true: use 'allow' or 'block'`);
  assert.equal(await thrown({ policy: { unplannedProperties: 'block' } }), `policy.unplannedProperties cannot be "block": use 'allow' or 'omit'`);
  assert.equal(await thrown({ policy: { throwOnViolation: 1 } }), 'policy.throwOnViolation cannot be "(not a string or boolean)": use true or false');
  assert.equal(await thrown({ policy: { forwardViolations: 'true' } }), 'policy.forwardViolations cannot be "true": use true or false');
  assert.equal(
    await thrown({ policy: { unplannedEvents: 'allow', strict: false } }),
    'policy.strict cannot be false: the fields are unplannedEvents, unplannedProperties, violations, throwOnViolation, forwardViolations and identify',
  );
  // Quoted as the core quotes what it reads from JSON: a lone surrogate is U+FFFD,
  // backspace and form feed are \u escapes.
  assert.equal(await thrown({ environment: 'a"\\\b\f\n\u0001\ud800😀' }), 'environment "a\\"\\\\\\u0008\\u000c\\n\\u0001\ufffd😀" is not one of production, staging, development, test');
  assert.match(await thrown({ policy: { ['x\udc00']: 'allow' } }), /^policy\.x\ufffd cannot be "allow": the fields are/);
  // Through JSON: undefined is not given, a String object is its string, a policy that
  // is not an object overrides nothing, an environment that is not a string is development.
  const settings = async (options) => (await createCore(await productionCore(), options)).settings;
  const development = { planId: 'tp_trackplan_default', throwOnViolation: false, forwardViolations: false };
  assert.deepEqual(await settings({ environment: 5, policy: { violations: undefined } }), development);
  for (const policy of [null, 'allow', ['allow'], new Map([['violations', 'drop']])]) assert.deepEqual(await settings({ policy }), development);
  assert.deepEqual(await settings({ policy: { throwOnViolation: true, forwardViolations: new Boolean(true) } }), {
    ...development,
    throwOnViolation: true,
    forwardViolations: true,
  });
  assert.deepEqual(await settings({ environment: new String('test'), policy: { throwOnViolation: false } }), development);
});

test('each policy override reaches the core', async () => {
  const core = async (policy) => createCore(await productionCore(), { environment: 'development', policy });
  const unplanned = ['no such event', {}];
  assert.equal(check(await core({}), 'track', unplanned).verdict.action, 'blocked');
  assert.equal(check(await core({ unplannedEvents: 'allow' }), 'track', unplanned).verdict.action, 'sent');
  const extra = ['call started', { ...VALID, channel: 'x' }];
  assert.deepEqual(check(await core({}), 'track', extra).verdict.omitted, ['channel']);
  assert.deepEqual(check(await core({ unplannedProperties: 'allow' }), 'track', extra).verdict.omitted, []);
  const invalid = ['call started', { ...VALID, call_id: 5 }];
  assert.equal(check(await core({}), 'track', invalid).verdict.action, 'blocked');
  assert.equal(check(await core({ violations: 'allow' }), 'track', invalid).verdict.action, 'sent');
  assert.deepEqual(check(await core({ violations: 'omit_properties' }), 'track', invalid).verdict.omitted, ['call_id']);
  assert.equal(check(await core({ violations: 'allow', unplannedEvents: 'block' }), 'track', unplanned).verdict.action, 'blocked');
  const identify = ['user_1', { user_type: 'patient' }];
  const twice = async (policy) => {
    const c = await core(policy);
    check(c, 'identify', identify);
    return check(c, 'identify', identify).verdict.action;
  };
  assert.deepEqual([await twice({}), await twice({ identify: 'always' }), await twice({ identify: 'changed' })], ['sent', 'sent', 'skipped']);
});

test('the history keeps historySize calls, 200 when it is not a number', async () => {
  const kept = async (historySize) => {
    const core = await createCore(await productionCore(), { environment: 'development', historySize });
    for (let i = 0; i < 3; i++) check(core, 'page', [`p${i}`, {}]);
    return report(core, REPORT_HISTORY).length;
  };
  assert.deepEqual(await Promise.all([0, 1, 2.9, -1, '1', null, new Number(1)].map(kept)), [0, 1, 2, 3, 3, 3, 1]);
});

test('nesting deeper than the core reads is invalid input, found before anything crosses', async () => {
  const core = await createCore(await productionCore(), { environment: 'development' });
  let deep = 1;
  for (let i = 0; i < 300; i++) deep = [deep];
  assert.equal(
    check(core, 'track', ['call started', { a: deep }]).verdict.violations[0].message,
    'the properties cannot be sent as JSON (nesting deeper than 256 levels): pass plain data',
  );
  let edge = 1;
  for (let i = 0; i < 255; i++) edge = [edge];
  const { verdict } = check(core, 'track', ['call started', { ...VALID, a: edge }]);
  assert.deepEqual(
    verdict.violations.map((v) => v.kind),
    ['unplanned_property'],
    '256 levels (the payload, a, then 255 arrays holding 1) are read and checked',
  );
});

test('the core measures what is sent, with what it adds and what crosses beside the payload, against the limit', async () => {
  const core = await createCore(await productionCore(), { environment: 'production' });
  // Control characters take six bytes of JSON for each of the binary form's one.
  const escaped = { ...VALID, note: '\u0001'.repeat(5200) };
  const { verdict } = check(core, 'track', ['call started', escaped]);
  assert.deepEqual([verdict.action, verdict.violations.map((v) => v.kind)], ['blocked', ['size']]);
  assert.match(verdict.violations[0].message, /^the call is 30 KB of JSON with its context and options; Segment drops events over 32 KB/);
  const within = { ...VALID, note: 'é'.repeat(10_000) };
  assert.deepEqual(check(core, 'track', ['call started', within]).verdict.violations.map((v) => v.kind), ['unplanned_property']);
  // Options count: a small payload with 31 KB of options is over.
  const options = { context: { note: 'x'.repeat(31 * 1024) } };
  assert.deepEqual(check(core, 'track', ['call started', VALID, options]).verdict.violations.map((v) => v.kind), ['size']);
  // So does what setContext adds: two context values within their own limit, over together.
  const development = await createCore(await productionCore(), { environment: 'development' });
  assert.equal(development.setContext(contextBytes('episode_id', 'e'.repeat(16 * 1024))), 0);
  assert.equal(development.setContext(contextBytes('call_id', 'c'.repeat(16 * 1024))), 0);
  const gained = check(development, 'track', ['call started', { user_type: 'patient' }]).verdict;
  assert.deepEqual(gained.violations.map((v) => v.kind), ['size']);
});

test('settings are read once: plan id, the two flags the shim acts on, and a production policy asked to throw warns', async (t) => {
  const warn = t.mock.method(console, 'warn', () => {});
  const test = await createCore(await productionCore(), { environment: 'test' });
  assert.deepEqual(test.settings, { planId: 'tp_trackplan_default', throwOnViolation: true, forwardViolations: false });
  assert.equal(warn.mock.callCount(), 0);
  const production = await createCore(await productionCore(), { environment: 'production', policy: { throwOnViolation: true } });
  assert.deepEqual([production.settings.throwOnViolation, production.settings.forwardViolations], [false, true]);
  assert.equal(warn.mock.callCount(), 1);
  assert.match(warn.mock.calls[0].arguments[0], /^trackplan: policy\.throwOnViolation is ignored in production/);
});

test('context names and values cross in the binary form; null removes one', async () => {
  const core = await createCore(await productionCore(), { environment: 'development' });
  const started = ['call started', { call_id: 'call_1', user_type: 'patient' }];
  assert.equal(core.setContext(contextBytes('episode_id', 'ep_1')), 0);
  assert.equal(check(core, 'track', started).sent[1].episode_id, 'ep_1');
  const name = contextBytes('episode_id', null).slice(0, -1);
  assert.equal(core.setContext(Uint8Array.of(...name, 6, 1)), 1, 'not a whole value: nothing changes');
  assert.equal(core.setContext(Uint8Array.of(5, 0x65)), 1, 'a name past the end: nothing changes');
  const tooLarge = contextBytes('episode_id', 'c'.repeat(16 * 2 ** 20));
  assert.equal(core.setContext(tooLarge), 16 * 2 ** 20 + 2, 'too large, its bytes of JSON: nothing changes');
  assert.equal(check(core, 'track', started).sent[1].episode_id, 'ep_1');
  assert.equal(core.setContext(contextBytes('episode_id', null)), 0);
  assert.equal(check(core, 'track', started).verdict.violations[0].kind, 'required');
});

test('an empty plan text is no plan: a set-up error, not the bound plan', async () => {
  await assert.rejects(async () => createCore(await coreWithPlan(''), {}), /not valid JSON/);
});

test('the production core writes numbers as the page does, and a replaced charCodeAt cannot make it loop', async () => {
  const core = await createCore(await productionCore(), { environment: 'production' });
  const ended = { episode_id: 'e', call_id: 'c', type: 'ended_by_patient' };
  const message = (duration) => check(core, 'track', ['call ended', { ...ended, duration_seconds: duration }], true).verdict.violations[0].message;
  assert.equal(message(-1e-7), '`duration_seconds` must be ≥ 0, got -1e-7');
  assert.equal(message(-1.5e300), '`duration_seconds` must be ≥ 0, got -1.5e+300');
  const { bytes: input } = encode({ ...ended, duration_seconds: -0.5 }, 'call ended');
  const charCodeAt = String.prototype.charCodeAt;
  String.prototype.charCodeAt = () => 48;
  let code;
  try {
    code = core.check(0, input, 1 | 4, 0);
  } finally {
    String.prototype.charCodeAt = charCodeAt;
  }
  assert.equal(code & 1, 0);
  // Every number in the message (the bound too) reads 25 of what charCodeAt returned.
  const zeros = '0'.repeat(25);
  assert.equal(report(core, REPORT_VERDICT).violations[0].message, `\`duration_seconds\` must be ≥ ${zeros}, got ${zeros}`);
});

test('the longest numbers the page writes (25 characters) are reported, and handed over as context, whole', async () => {
  // -0.00000 then 17 digits: String(n) is 25 characters, one more than -1.7976931348623157e+308.
  const n = -0.0000031990721975691352;
  assert.equal(String(n).length, 25);
  const core = await createCore(await productionCore(), { environment: 'production', policy: { violations: 'allow' } });
  const ended = { episode_id: 'e', call_id: 'c', type: 'ended_by_patient' };
  const { verdict } = check(core, 'track', ['call ended', { ...ended, duration_seconds: n }]);
  assert.equal(verdict.violations[0].message, `\`duration_seconds\` must be ≥ 0, got ${n}`);
  assert.equal(report(core, REPORT_HISTORY).at(-1).payload.duration_seconds, n);
  core.setContext(contextBytes('duration_seconds', n));
  const { sent } = check(core, 'track', ['call ended', ended]);
  assert.equal(sent[1].duration_seconds, n, 'the context value sent is the one validated');
});
