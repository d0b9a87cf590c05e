// End to end, in Chromium with the real analytics-next and the collector: what reaches
// Segment is exactly what trackplan validated, and nothing a page does switches
// validation off. Each call's record (onCall) says what was handed over; the collector
// must have received exactly that, under the production key, and nothing else — whatever
// the page throws, mutates, makes a getter or a Proxy answer, or calls re-entrantly.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { recordedPage, waitFor } from './support/browser.js';
import { useBrowserAndServer } from './support/server.js';

const stage = useBrowserAndServer({ resetBetweenTests: true });

const WRITE_KEYS = { production: 'wk_prod', staging: 'wk_staging', development: 'wk_dev', quarantine: 'wk_quarantine' };
const HOSTS = { production: ['app.example.com', 'xn--bcher-kva.example.com'], staging: ['staging.example.com'] };
const VALID = { episode_id: 'ep_1', call_id: 'call_1', user_type: 'patient' };
/** What analytics-next adds to a page call's properties. */
const PAGE_ENRICHMENT = ['path', 'referrer', 'search', 'title', 'url', 'category', 'name'];

/**
 * Opens the test page on `host` after `prepare(page)` (routes). The page gets
 * `summary(verdict)`: `[ok, action, violation kinds, omitted]`.
 */
async function openPage(host = 'app.example.com', prepare = async () => {}, path = '/') {
  const session = await recordedPage(stage.browser);
  await session.page.addInitScript(() => {
    window.summary = (v) => [v.ok, v.action, v.violations.map((x) => x.kind), v.omitted];
  });
  await prepare(session.page);
  await session.page.goto(`http://${host}:${stage.server.port}${path}`);
  await session.page.waitForFunction(() => window.pageReady);
  return session;
}

/**
 * Creates `window.tracker` with the test keys and `extra` options; each call's record
 * goes to `window.records` as JSON (taken as the call returns). Waits for analytics.js
 * unless `wait` is false. With `meddling`, an `onViolation` that adds `ssn` to the
 * payload it is handed. Resolves with the tracker's status.
 */
function startTracker(page, { wait = true, meddling = false, ...extra } = {}) {
  return page.evaluate(
    async ({ writeKeys, hosts, extra, wait, meddling }) => {
      window.records = [];
      const options = { writeKeys, hosts, segment: { settings: { cdnURL: location.origin } }, ...extra };
      if (meddling) {
        options.onViolation = (report) => {
          report.call.args[1].ssn = 'from onViolation';
        };
      }
      window.tracker = await window.trackplanModule.createTracker(options);
      window.tracker.onCall((r) => {
        const { type, event, category, name, userId, groupId, ok, action, omitted, sent } = r;
        window.records.push(JSON.stringify({ type, event, category, name, userId, groupId, ok, action, omitted, sent }));
      });
      if (wait) await window.tracker.ready;
      return window.tracker.status;
    },
    { writeKeys: WRITE_KEYS, hosts: HOSTS, extra, wait, meddling },
  );
}

/**
 * Holds analytics-next's settings request until the returned `release()` is called (or
 * the page's `releaseAnalytics()`): the tracker's calls meanwhile are queued, whatever
 * the machine's speed.
 */
async function holdAnalytics(page) {
  let release;
  const released = new Promise((resolve) => {
    release = resolve;
  });
  await page.route('**/v1/projects/**', async (route) => {
    await released;
    await route.continue();
  });
  await page.exposeFunction('releaseAnalytics', () => release());
  return release;
}

/** The records of the calls made so far. */
async function records(page) {
  return (await page.evaluate(() => window.records)).map((r) => JSON.parse(r));
}

/** Waits until the collector holds at least `count` events, then a little longer for extras. */
async function collected(count, ms = 30_000) {
  await waitFor(() => stage.server.events().length >= count, ms);
  await new Promise((r) => setTimeout(r, 700)); // anything extra would have arrived by now
  return stage.server.events();
}

/** The events of the page's own calls (not `Violation Generated`) received under `writeKey`. */
function calls(events, writeKey = 'wk_prod') {
  return events.filter((e) => e.writeKey === writeKey && e.event !== 'Violation Generated');
}

/** A received event's payload: a page's properties less what analytics-next adds to them. */
function payloadOf(event) {
  if (event.type === 'identify' || event.type === 'group') return event.traits;
  if (event.type !== 'page') return event.properties;
  return Object.fromEntries(Object.entries(event.properties).filter(([key]) => !PAGE_ENRICHMENT.includes(key)));
}

/** The name of a received event or of a call's record: its event, page name, userId or groupId (null for none). */
function nameOf(event) {
  const name = { track: event.event, page: event.name, identify: event.userId, group: event.groupId }[event.type];
  return name === undefined || name === null ? null : String(name);
}

/**
 * Asserts the collector received, under the production key, exactly the calls the
 * records say were handed to analytics.js: each with the payload of its record (less
 * nothing, plus nothing) and its omitted properties listed, and nothing for the calls
 * blocked or dropped.
 */
function assertReceivedAsRecorded(recorded, events) {
  const handed = recorded.filter((r) => r.action === 'sent' || r.action === 'queued');
  const received = calls(events);
  assert.equal(received.length, handed.length, `received ${received.map(nameOf).join(', ')}`);
  for (const record of handed) {
    const name = nameOf(record);
    const at = received.findIndex(
      (e) => e.type === record.type && nameOf(e) === name && deepEqual(payloadOf(e), record.sent) && deepEqual(e.context.protocols?.omitted ?? [], record.omitted),
    );
    const got = JSON.stringify(received.map((e) => [payloadOf(e), e.context.protocols?.omitted]));
    assert.ok(at >= 0, `${record.type} ${name}: ${JSON.stringify(record.sent)}, omitted ${record.omitted}, was not received as sent; got ${got}`);
    const [event] = received.splice(at, 1);
    assert.equal(event.context.trackplan, undefined, `${record.type} ${name}: validated`);
  }
}

function deepEqual(a, b) {
  try {
    assert.deepStrictEqual(a, b);
    return true;
  } catch {
    return false;
  }
}

describe('one hostile call does not switch validation off (item 1)', () => {
  test('thrown non-Errors: each call blocked as invalid_input; later calls still validated, the core still ready', async () => {
    const { page, record, close } = await openPage();
    await startTracker(page);
    const result = await page.evaluate((VALID) => {
      const t = window.tracker;
      const throwing = (thrown) => ({ ...VALID, get episode_id() { throw thrown(); } });
      const hostile = [
        throwing(() => ({ message: Object.create(null) })),
        throwing(() => ({ message: { toString() { throw new Error('toString'); } } })),
        throwing(() => ({ get message() { throw new Error('message'); } })),
        throwing(() => null),
        throwing(() => Symbol('thrown')),
        throwing(() => new Proxy({}, { get() { throw new Error('trap'); } })),
        new Proxy({}, { ownKeys() { throw { message: Object.create(null) }; } }),
      ];
      const verdicts = hostile.map((payload) => t.track('call started', payload));
      verdicts.push(t.track('patient ssn recorded', { ssn: '123-45-6789' }));
      verdicts.push(t.identify('user_1', { user_type: 'patient', password: 'hunter2' }));
      verdicts.push(t.track('call started', VALID));
      return { status: t.status, verdicts: verdicts.map(window.summary) };
    }, VALID);
    assert.equal(result.status, 'ready');
    assert.deepEqual(result.verdicts, [
      ...Array(7).fill([false, 'blocked', ['invalid_input'], []]),
      [false, 'blocked', ['unplanned_event'], []],
      [false, 'sent', ['unplanned_property'], ['password']],
      [true, 'sent', [], []],
    ]);
    // The two calls sent, 9 violations forwarded, the unplanned event quarantined.
    const events = await collected(12);
    assertReceivedAsRecorded(await records(page), events);
    assert.equal(events.filter((e) => e.event === 'Violation Generated').length, 9);
    const quarantined = calls(events, 'wk_quarantine');
    assert.deepEqual(quarantined.map((e) => [e.event, e.context.trackplan.blocked]), [['patient ssn recorded', true]]);
    assert.equal(events.filter((e) => e.writeKey === 'wk_prod' && JSON.stringify(e).includes('123-45-6789')).length, 0);
    assert.equal(events.filter((e) => JSON.stringify(e).includes('hunter2')).length, 0);
    assert.deepEqual(record.errors, []);
    await close();
  });
});

describe('what is sent is what was validated, whatever the page does after (item 2)', () => {
  test('the page mutates its objects after a sent call: the values as they were at the call arrive', async () => {
    const { page, close } = await openPage();
    await startTracker(page);
    const verdicts = await page.evaluate((VALID) => {
      const properties = { ...VALID };
      const options = { context: { locale: 'en-GB' } };
      const traits = { user_type: 'patient', email: 'a@example.com' };
      const verdicts = [window.tracker.track('call started', properties, options), window.tracker.identify('user_1', traits)];
      Object.assign(properties, { episode_id: 42, ssn: '123-45-6789' });
      delete properties.call_id;
      options.context.locale = 'changed';
      Object.assign(traits, { user_type: 'nobody', password: 'hunter2' });
      return verdicts.map(window.summary);
    }, VALID);
    assert.deepEqual(verdicts, [[true, 'sent', [], []], [true, 'sent', [], []]]);
    const events = await collected(2);
    assertReceivedAsRecorded(await records(page), events);
    const [track] = calls(events).filter((e) => e.type === 'track');
    assert.deepEqual(track.properties, VALID);
    assert.equal(track.context.locale, 'en-GB');
    assert.deepEqual(calls(events).find((e) => e.type === 'identify').traits, { user_type: 'patient', email: 'a@example.com' });
    await close();
  });

  test('the page mutates its objects after a call queued before analytics.js loaded: the values at the call arrive', async () => {
    const { page, close } = await openPage();
    const release = await holdAnalytics(page);
    await startTracker(page, { wait: false });
    const result = await page.evaluate((VALID) => {
      const properties = { ...VALID };
      const status = window.tracker.status;
      const verdict = window.tracker.track('call started', properties);
      Object.assign(properties, { episode_id: 42, ssn: '123-45-6789' });
      return { status, verdict: window.summary(verdict) };
    }, VALID);
    release();
    await page.evaluate(() => window.tracker.ready);
    assert.deepEqual(result, { status: 'loading', verdict: [true, 'queued', [], []] });
    const events = await collected(1);
    assertReceivedAsRecorded(await records(page), events);
    assert.deepEqual(calls(events)[0].properties, VALID);
    await close();
  });

  test('a getter valid on the first read and not later, and one that throws on the second read: the first read arrives', async () => {
    const { page, close } = await openPage();
    await startTracker(page);
    const verdicts = await page.evaluate((VALID) => {
      let reads = 0;
      const changing = { ...VALID, get user_type() { return reads++ === 0 ? 'patient' : 'ssn 123-45-6789'; } };
      let second = 0;
      const throwing = {
        ...VALID,
        get call_id() {
          if (second++ > 0) throw new Error('read twice');
          return 'call_2';
        },
      };
      return [window.tracker.track('call started', changing), window.tracker.track('call started', throwing)].map(window.summary);
    }, VALID);
    assert.deepEqual(verdicts, [[true, 'sent', [], []], [true, 'sent', [], []]]);
    const events = await collected(2);
    assertReceivedAsRecorded(await records(page), events);
    assert.deepEqual(calls(events).map((e) => e.properties).sort((a, b) => a.call_id.localeCompare(b.call_id)), [VALID, { ...VALID, call_id: 'call_2' }]);
    await close();
  });

  test('a Proxy that answers differently on each read: what it answered first arrives', async () => {
    const { page, close } = await openPage();
    await startTracker(page);
    const verdicts = await page.evaluate((VALID) => {
      let listed = 0;
      let got = 0;
      const keys = new Proxy({ ...VALID }, {
        ownKeys: (target) => (listed++ === 0 ? Reflect.ownKeys(target) : [...Reflect.ownKeys(target), 'ssn']),
        getOwnPropertyDescriptor: (target, key) =>
          key === 'ssn' ? { value: '123-45-6789', enumerable: true, configurable: true, writable: true } : Reflect.getOwnPropertyDescriptor(target, key),
        get: (target, key) => (key === 'ssn' ? '123-45-6789' : Reflect.get(target, key)),
      });
      const values = new Proxy({ ...VALID }, { get: (target, key) => (key === 'episode_id' && got++ > 0 ? 42 : Reflect.get(target, key)) });
      return [window.tracker.track('call started', keys), window.tracker.track('call ended', values)].map(window.summary);
    }, VALID);
    assert.deepEqual(verdicts[0], [true, 'sent', [], []]);
    const events = await collected(verdicts.filter((v) => v[1] === 'sent').length);
    assertReceivedAsRecorded(await records(page), events);
    assert.deepEqual(calls(events).find((e) => e.event === 'call started').properties, VALID);
    await close();
  });

  test("context properties are the values as set: mutating or a changing getter afterwards changes nothing sent", async () => {
    const { page, close } = await openPage();
    await startTracker(page);
    const verdicts = await page.evaluate(() => {
      let reads = 0;
      const context = { get episode_id() { return reads++ === 0 ? 'ep_ctx' : 'changed'; } };
      window.tracker.setContext(context);
      const verdict = window.tracker.track('call started', { call_id: 'call_1', user_type: 'patient' });
      return [window.summary(verdict), reads];
    });
    assert.deepEqual(verdicts, [[true, 'sent', [], []], 1]);
    const events = await collected(1);
    assertReceivedAsRecorded(await records(page), events);
    assert.deepEqual(calls(events)[0].properties, { call_id: 'call_1', user_type: 'patient', episode_id: 'ep_ctx' });
    await close();
  });

  test('page code handed the call (onCall, onViolation) cannot change what is sent or queued', async () => {
    const { page, close } = await openPage();
    await holdAnalytics(page);
    await startTracker(page, { wait: false, meddling: true });
    const result = await page.evaluate(async (VALID) => {
      window.tracker.onCall((record) => {
        record.properties.ssn = 'from onCall';
        if (record.sent) record.sent.password = 'from onCall';
        if (record.options?.context) record.options.context.ssn = 'from onCall';
      });
      const queued = window.tracker.track('call started', VALID);
      const omitted = window.tracker.track('call started', { ...VALID, channel: 'web' });
      await window.releaseAnalytics();
      await window.tracker.ready;
      const sent = window.tracker.track('call ended', { episode_id: 'ep_1', call_id: 'call_1', type: 'ended_by_patient' });
      return [queued, omitted, sent].map(window.summary);
    }, VALID);
    assert.deepEqual(result, [[true, 'queued', [], []], [false, 'queued', ['unplanned_property'], ['channel']], [true, 'sent', [], []]]);
    const events = await collected(4);
    assertReceivedAsRecorded(await records(page), events);
    assert.equal(events.filter((e) => /from on/.test(JSON.stringify(e))).length, 0, JSON.stringify(calls(events)));
    await close();
  });
});

describe('lone surrogates (item 3) and re-entrant calls (item 4)', () => {
  test('an unplanned key holding a lone surrogate is omitted as reported; values are sent as validated (U+FFFD)', async () => {
    const { page, close } = await openPage();
    await startTracker(page);
    const verdicts = await page.evaluate((VALID) =>
      JSON.stringify([
        window.tracker.track('call started', { ...VALID, 'ssn\ud800': '123-45-6789' }),
        window.tracker.track('call started', { ...VALID, call_id: 'call\udc00' }),
        window.tracker.identify('user_1', { user_type: 'patient', ['pass\udbff']: 'hunter2', ['pass\udfff']: 'hunter3' }),
      ].map(window.summary)),
    VALID);
    assert.deepEqual(JSON.parse(verdicts), [
      [false, 'sent', ['unplanned_property'], ['ssn\uFFFD']],
      [true, 'sent', [], []],
      // Both keys are 'pass\uFFFD' as validated and as sent: one member, the last, as JSON.parse makes it.
      [false, 'sent', ['unplanned_property'], ['pass\uFFFD']],
    ]);
    const events = await collected(3);
    assertReceivedAsRecorded(await records(page), events);
    const received = calls(events);
    assert.equal(received.filter((e) => /123-45|hunter/.test(JSON.stringify(e))).length, 0);
    assert.ok(received.some((e) => e.properties?.call_id === 'call\uFFFD'));
    await close();
  });

  test('a call made from a getter of the options or the payload leaves the outer call as validated', async () => {
    const { page, close } = await openPage();
    await startTracker(page);
    const verdicts = await page.evaluate((VALID) => {
      const t = window.tracker;
      const inner = [];
      const ended = { episode_id: 'ep_1', call_id: 'call_1', type: 'ended_by_patient' };
      const options = { get context() { inner.push(t.track('call ended', ended)); return { locale: 'en' }; } };
      const outer = [t.track('call started', { ...VALID, ssn: '123-45-6789' }, options)];
      const payload = { ...VALID, get call_id() { inner.push(t.track('call ended', { ...ended, call_id: 'call_2' })); return 'call_3'; }, password: 'hunter2' };
      outer.push(t.track('call started', payload));
      return [...outer, ...inner].map(window.summary);
    }, VALID);
    assert.deepEqual(verdicts, [
      [false, 'sent', ['unplanned_property'], ['ssn']],
      [false, 'sent', ['unplanned_property'], ['password']],
      [true, 'sent', [], []],
      [true, 'sent', [], []],
    ]);
    const events = await collected(6);
    assertReceivedAsRecorded(await records(page), events);
    assert.equal(events.filter((e) => e.writeKey === 'wk_prod' && /123-45|hunter/.test(JSON.stringify(e.properties))).length, 0);
    await close();
  });
});

describe("every overload analytics-next accepts is checked as it sends it (item 5)", () => {
  test('page, identify, track and group in each form: verdicts and what arrives agree', async () => {
    const { page, close } = await openPage();
    await startTracker(page);
    const result = await page.evaluate(async (VALID) => {
      const t = window.tracker;
      let called = 0;
      const done = () => {
        called += 1;
      };
      const verdicts = [
        t.page('Home', { section: 'bogus' }),
        t.page({ section: 'bogus' }),
        t.page('Docs', 'Home', { section: 'bogus', episode_id: 'ep_1' }, { context: { locale: 'fr' } }),
        t.page({ episode_id: 'ep_2' }, { context: { locale: 'fr' } }),
        t.page('Docs', 'Help', done),
        t.page(123),
        t.identify(123, { user_type: 'patient', password: 'hunter2' }, done),
        t.track({ event: 'call started', properties: { ...VALID, ssn: '1' } }, { context: { locale: 'fr' } }),
        t.track('call started', VALID, done),
        t.track('call started', 5),
        t.group({ name: 'Acme' }),
        t.group('g1', { name: 'Acme' }),
      ];
      await new Promise((r) => setTimeout(r, 1500));
      return { verdicts: verdicts.map(window.summary), called };
    }, VALID);
    assert.deepEqual(result.verdicts, [
      [false, 'sent', ['unplanned_property'], ['section']],
      [false, 'sent', ['unplanned_property'], ['section']],
      [false, 'sent', ['unplanned_property'], ['section']],
      [true, 'sent', [], []],
      [true, 'sent', [], []],
      [false, 'blocked', ['invalid_input'], []],
      [false, 'sent', ['unplanned_property'], ['password']],
      [false, 'sent', ['unplanned_property'], ['ssn']],
      [true, 'sent', [], []],
      [false, 'blocked', ['invalid_input'], []],
      [false, 'blocked', ['invalid_input'], []],
      [true, 'sent', [], []], // the plan has no group rule
    ]);
    assert.equal(result.called, 3, 'each callback given is called once, by analytics.js');
    const sent = result.verdicts.filter((v) => v[1] === 'sent').length;
    const events = await collected(sent);
    assertReceivedAsRecorded(await records(page), events);
    const pages = calls(events).filter((e) => e.type === 'page');
    assert.deepEqual(pages.map((e) => [e.properties.category ?? null, e.name ?? null, 'section' in e.properties]).sort(), [
      ['Docs', 'Help', false], ['Docs', 'Home', false], [null, 'Home', false], [null, null, false], [null, null, false],
    ].sort());
    assert.equal(calls(events).find((e) => e.type === 'identify').userId, '123');
    await close();
  });
});

describe("what analytics.js moves from the options onto the event is what was checked", () => {
  test("an identify whose options.userId would replace its userId is blocked; the same userId is sent", async () => {
    const { page, close } = await openPage();
    await startTracker(page);
    const verdicts = await page.evaluate(() => {
      const traits = { user_type: 'patient' };
      return [
        window.tracker.identify('user_1', traits, { userId: '' }),
        window.tracker.identify('user_1', traits, { userId: 'jane@example.com' }),
        window.tracker.identify('user_2', traits, { userId: 'user_2' }),
      ].map(window.summary);
    });
    assert.deepEqual(verdicts, [
      [false, 'blocked', ['invalid_input'], []],
      [false, 'blocked', ['invalid_input'], []],
      [true, 'sent', [], []],
    ]);
    const events = await collected(3);
    assertReceivedAsRecorded(await records(page), events);
    assert.deepEqual(calls(events).map((e) => e.userId), ['user_2']);
    await close();
  });
});

describe('passthrough sends the context properties (item 6)', () => {
  test('the wasm answers 404, or a CSP forbids it: calls pass through unvalidated, with setContext properties', async () => {
    // [host, path, routes]: the CSP page is served from 127.0.0.1 (a page fulfilled by a
    // route is public to Chromium, which then refuses its loopback scripts), in production.
    const pages = {
      404: ['app.example.com', '/', (p) => p.route('**/trackplan.wasm', (route) => route.fulfill({ status: 404, body: 'not found' }))],
      csp: [
        '127.0.0.1',
        '/csp.html',
        (p) =>
          p.route('**/csp.html', async (route) => {
            const response = await route.fetch({ url: route.request().url().replace('csp.html', 'index.html') });
            return route.fulfill({ response, headers: { ...response.headers(), 'content-security-policy': "script-src 'self'" } });
          }),
      ],
    };
    for (const [why, [host, path, prepare]] of Object.entries(pages)) {
      stage.server.reset();
      const { page, record, close } = await openPage(host, prepare, path);
      assert.equal(await startTracker(page, { environment: 'production' }), 'passthrough', why);
      const verdicts = await page.evaluate(() => {
        window.tracker.setContext({ episode_id: 'ep_ctx', plan_tier: 'gold', cleared: 'x' });
        window.tracker.setContext({ cleared: null });
        return [
          window.tracker.track('anything', { a: 1 }),
          window.tracker.track('own', { episode_id: 'own' }),
          window.tracker.identify('user_1', { user_type: 'patient' }),
        ].map((v) => [v.ok, v.validated]);
      });
      assert.deepEqual(verdicts, [[true, false], [true, false], [true, false]], why);
      const events = calls(await collected(3));
      assert.deepEqual(events.map((e) => [e.type, payloadOf(e), e.context.trackplan]).sort(), [
        ['identify', { user_type: 'patient', episode_id: 'ep_ctx', plan_tier: 'gold' }, { validated: false }],
        ['track', { a: 1, episode_id: 'ep_ctx', plan_tier: 'gold' }, { validated: false }],
        ['track', { episode_id: 'own', plan_tier: 'gold' }, { validated: false }],
      ], why);
      assert.deepEqual(record.errors, [], why);
      await close();
    }
  });
});

describe('the 30 KB limit counts everything sent (item 7)', () => {
  test('context added, userId, page names, options: over 30 KB blocked as size; nothing of them arrives', async () => {
    const { page, record, close } = await openPage();
    await startTracker(page);
    const verdicts = await page.evaluate((VALID) => {
      const t = window.tracker;
      const kb = (n, c = 'x') => c.repeat(n * 1024);
      t.setContext({ episode_id: kb(20, 'e') });
      const verdicts = [
        t.track('call started', { call_id: kb(12, 'c'), user_type: 'patient' }),
        t.track('call started', { call_id: kb(5, 'c'), user_type: 'patient' }),
      ];
      t.setContext({ episode_id: null });
      verdicts.push(
        t.identify(kb(31, 'u'), { user_type: 'patient' }),
        t.page(kb(16, 'C'), kb(16, 'N'), {}),
        t.track('call started', VALID, { context: { note: kb(31) } }),
        t.track('call started', { ...VALID, call_id: kb(20, 'c') }),
      );
      t.setContext({ episode_id: kb(31, 'e') });
      verdicts.push(t.track('call started', { call_id: 'call_1', user_type: 'patient' }));
      return verdicts.map(window.summary);
    }, VALID);
    assert.deepEqual(verdicts, [
      [false, 'blocked', ['size'], []],
      [true, 'sent', [], []],
      [false, 'blocked', ['size'], []],
      [false, 'blocked', ['size'], []],
      [false, 'blocked', ['size'], []],
      [true, 'sent', [], []],
      [false, 'blocked', ['required'], []],
    ]);
    assert.equal(record.console.filter((m) => /setContext ignored `episode_id`.*over the 30 KB/.test(m)).length, 1);
    // 2 sent, 5 violations forwarded, the required one quarantined (sizes cannot be).
    const events = await collected(8);
    assertReceivedAsRecorded(await records(page), events);
    assert.ok(events.every((e) => JSON.stringify(e).length < 40 * 1024), 'no event over the limit arrived');
    assert.deepEqual(calls(events, 'wk_quarantine').map((e) => e.properties), [{ call_id: 'call_1', user_type: 'patient' }]);
    await close();
  });
});

describe('forwarded violations are bounded (item 9)', () => {
  test('2,000 unplanned properties: the call and 10 Violation Generated', async () => {
    const { page, close } = await openPage();
    await startTracker(page);
    const verdict = await page.evaluate((VALID) => {
      const properties = { ...VALID };
      for (let i = 0; i < 2000; i++) properties[`u${i}`] = i;
      const v = window.tracker.track('call started', properties);
      return [v.ok, v.action, v.violations.length, v.omitted.length];
    }, VALID);
    assert.deepEqual(verdict, [false, 'sent', 2000, 2000]);
    const events = await collected(11);
    assertReceivedAsRecorded(await records(page), events);
    const forwarded = events.filter((e) => e.event === 'Violation Generated');
    assert.deepEqual(forwarded.map((e) => e.properties.violationField).sort(), Array.from({ length: 10 }, (_, i) => `/u${i}`).sort());
    assert.equal(events.length, 11);
    await close();
  });

  test('a page of such calls: at most 500 Violation Generated in all, said once', async () => {
    const { page, record, close } = await openPage();
    await startTracker(page);
    await page.evaluate((VALID) => {
      for (let call = 0; call < 60; call++) {
        const properties = { ...VALID };
        for (let i = 0; i < 20; i++) properties[`u${i}`] = i;
        window.tracker.track('call started', properties);
      }
    }, VALID);
    const events = await collected(560, 60_000);
    assert.equal(events.filter((e) => e.event === 'Violation Generated').length, 500);
    assert.equal(calls(events).length, 60);
    assert.equal(events.length, 560);
    assert.equal(record.console.filter((m) => m.includes('500 violations forwarded')).length, 1);
    await close();
  });
});

describe('set-up mistakes are mended with a warning, or refused (item 10)', () => {
  test('hosts given as a string, a URL, host:port or a Unicode name: production, with its key, and a warning', async () => {
    const cases = [
      ['app.example.com', { production: 'app.example.com' }, /hosts\.production is one rule, not a list/],
      ['app.example.com', { production: ['https://app.example.com'] }, /read as the hostname 'app\.example\.com'/],
      ['app.example.com', { production: ['app.example.com:443'] }, /read as the hostname 'app\.example\.com'/],
      ['xn--bcher-kva.example.com', { production: ['bücher.example.com'] }, /read as the hostname 'xn--bcher-kva\.example\.com'/],
    ];
    for (const [host, hosts, warning] of cases) {
      stage.server.reset();
      const { page, record, close } = await openPage(host);
      const environment = await page.evaluate(async ({ hosts, writeKeys }) => {
        const options = { hosts, writeKeys, segment: { settings: { cdnURL: location.origin } } };
        const tracker = await window.trackplanModule.createTracker(options);
        await tracker.ready;
        tracker.track('call started', { episode_id: 'ep_1', call_id: 'call_1', user_type: 'patient' });
        return [tracker.environment, tracker.writeKey];
      }, { hosts, writeKeys: WRITE_KEYS });
      const what = JSON.stringify(hosts);
      assert.deepEqual(environment, ['production', 'wk_prod'], what);
      assert.equal(record.console.filter((m) => m.startsWith('warning: trackplan:') && warning.test(m)).length, 1, `${what}: ${record.console}`);
      const events = await collected(1);
      assert.deepEqual(events.map((e) => [e.event, e.writeKey]), [['call started', 'wk_prod']], what);
      await close();
    }
  });

  test('writeKeys as a string, an unknown environment, a rule with a path: createTracker rejects, saying what to write', async () => {
    const { page, close } = await openPage();
    const errors = await page.evaluate(async () => {
      const attempts = [
        { writeKeys: 'wk_prod' },
        { writeKeys: { prod: 'wk_prod' } },
        { hosts: { prod: ['app.example.com'] } },
        { hosts: { production: ['app.example.com/app'] } },
        { hosts: { production: [42] } },
        { hosts: 'app.example.com' },
      ];
      const errors = [];
      for (const options of attempts) {
        try {
          await window.trackplanModule.createTracker({ ...options, segment: { settings: { cdnURL: location.origin } } });
          errors.push(null);
        } catch (error) {
          errors.push(`${error.name}: ${error.message}`);
        }
      }
      return errors;
    });
    assert.deepEqual(errors.map((e) => e?.split(':')[0]), Array(6).fill('TypeError'));
    assert.match(errors[0], /writeKeys must be an object of one key per environment/);
    assert.match(errors[1], /writeKeys\.prod names no environment/);
    assert.match(errors[2], /hosts\.prod names no environment/);
    assert.match(errors[3], /a URL with a path: give its hostname, 'app\.example\.com'/);
    assert.match(errors[4], /hosts\.production holds 42/);
    assert.match(errors[5], /hosts must be an object of rules per environment/);
    await new Promise((r) => setTimeout(r, 500));
    assert.deepEqual(stage.server.events(), [], 'no tracker was made, nothing was sent');
    await close();
  });
});
