// End to end, safety and delivery: no valid event lost (a 10,000-call burst in both of
// analytics-next's delivery modes), nothing thrown into the page when analytics.js or
// the wasm cannot load, and each policy as its events arrive at the collector.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { recordedPage, waitFor } from './support/browser.js';
import { useBrowserAndServer } from './support/server.js';

const stage = useBrowserAndServer({ resetBetweenTests: true });

const WRITE_KEYS = { production: 'wk_prod', staging: 'wk_staging', development: 'wk_dev', quarantine: 'wk_quarantine' };
const HOSTS = { production: ['app.example.com'], staging: ['staging.example.com'] };
const VALID = { episode_id: 'ep_1', call_id: 'call_1', user_type: 'patient', call_type: 'video' };

/**
 * Opens the test page on `host`, after `prepare(page)` (routes), recording unhandled
 * rejections in the page as well as page errors.
 */
async function openPage(host = '127.0.0.1', prepare = async () => {}, path = '/') {
  const session = await recordedPage(stage.browser);
  await session.page.addInitScript(() => {
    window.rejections = [];
    window.addEventListener('unhandledrejection', (e) => window.rejections.push(String(e.reason)));
  });
  await prepare(session.page);
  await session.page.goto(`http://${host}:${stage.server.port}${path}`);
  await session.page.waitForFunction(() => window.pageReady);
  return session;
}

/**
 * Creates `window.tracker` on the page with the test write keys and `extra` options and
 * waits until analytics.js has loaded (or failed to).
 */
function createTracker(page, extra = {}) {
  return page.evaluate(
    async ({ writeKeys, hosts, extra }) => {
      const options = { writeKeys, hosts, segment: { settings: { cdnURL: location.origin } }, ...extra };
      if (extra.reportViolations) {
        window.reports = [];
        options.onViolation = (report) => {
          window.reports.push({ type: report.call.type, action: report.action, kinds: report.violations.map((v) => v.kind) });
          throw new Error('onViolation failing must not matter');
        };
      }
      window.tracker = await window.trackplanModule.createTracker(options);
      await window.tracker.ready;
      return window.tracker.status;
    },
    { writeKeys: WRITE_KEYS, hosts: HOSTS, extra },
  );
}

/** Waits until the collector has `count` events matching `query`, then a little longer to see extras. */
async function collectedAtLeast(count, query = '', ms = 60_000) {
  await waitFor(async () => (await stage.collected(query)).length >= count, ms);
  await new Promise((r) => setTimeout(r, 500)); // anything extra would have arrived by now
  return stage.collected(query);
}

describe('no valid event is lost', () => {
  for (const [mode, options] of [
    ['standard', {}],
    ['batching', { integrations: { 'Segment.io': { deliveryStrategy: { strategy: 'batching', config: { size: 100, timeout: 500 } } } } }],
  ]) {
    test(`a burst of 10,000 track calls, half before analytics.js loads: 10,000 distinct messageIds (${mode})`, async () => {
      const { page, record, close } = await openPage();
      const result = await page.evaluate(
        async ({ writeKeys, options }) => {
          const tracker = await window.trackplanModule.createTracker({
            writeKeys,
            queueSize: 5000,
            segment: { settings: { cdnURL: location.origin }, options },
          });
          const before = tracker.status;
          const actions = {};
          const call = (i) => {
            const { action } = tracker.track('call started', { episode_id: `ep_${i}`, call_id: 'c', user_type: 'patient' });
            actions[action] = (actions[action] ?? 0) + 1;
          };
          for (let i = 0; i < 5000; i++) call(i);
          await tracker.ready;
          const after = tracker.status;
          for (let i = 5000; i < 10000; i++) call(i);
          return { before, after, actions, dropped: tracker.droppedBeforeReady };
        },
        { writeKeys: WRITE_KEYS, options },
      );
      assert.deepEqual(result, { before: 'loading', after: 'ready', actions: { queued: 5000, sent: 5000 }, dropped: 0 });
      // Counted in process: polling /collector/all with 10,000 events would slow the collector.
      await waitFor(() => stage.server.events().length >= 10_000, 480_000);
      await new Promise((r) => setTimeout(r, 1000)); // anything extra would have arrived by now
      const events = stage.server.events({ type: 'track' });
      const ids = new Set(events.map((e) => e.messageId));
      const episodes = new Set(events.map((e) => e.properties.episode_id));
      console.log(`burst (${mode}): 10000 sent, ${events.length} received, ${ids.size} distinct messageIds`);
      assert.equal(events.length, 10_000);
      assert.equal(ids.size, 10_000);
      assert.equal(episodes.size, 10_000);
      assert.deepEqual(record.errors, []);
      assert.deepEqual(await page.evaluate(() => window.rejections), []);
      await close();
    });
  }
});

describe('analytics.js unavailable', () => {
  test('CDN blocked: status unavailable, calls still validate, bounded buffer, nothing thrown', async () => {
    const { page, record, close } = await openPage('127.0.0.1', (p) => p.route('**/v1/projects/**', (r) => r.abort()));
    const result = await page.evaluate(async (writeKeys) => {
      const tracker = await window.trackplanModule.createTracker({ writeKeys, segment: { settings: { cdnURL: location.origin } } });
      const verdicts = [];
      for (let i = 0; i < 5000; i++) verdicts.push(tracker.track('call started', { episode_id: `ep_${i}`, call_id: 'c', user_type: 'patient' }));
      const dropped = tracker.droppedBeforeReady;
      await tracker.ready;
      const invalid = tracker.track('call started', { call_id: 'c' });
      const valid = tracker.track('call started', { episode_id: 'e', call_id: 'c', user_type: 'patient' });
      return { status: tracker.status, queued: verdicts.filter((v) => v.action === 'queued').length, dropped, invalid, valid };
    }, WRITE_KEYS);
    assert.equal(result.status, 'unavailable');
    assert.equal(result.queued, 5000);
    assert.equal(result.dropped, 4000, 'the buffer holds at most 1,000 calls');
    assert.deepEqual([result.invalid.ok, result.invalid.action, result.invalid.violations[0].kind], [false, 'blocked', 'required']);
    assert.deepEqual([result.valid.ok, result.valid.action], [true, 'dropped']);
    assert.equal(record.console.filter((m) => m.includes('the oldest are dropped')).length, 1, 'one warning for the drops');
    assert.deepEqual(record.errors, []);
    assert.deepEqual(await page.evaluate(() => window.rejections), []);
    await close();
  });

  test('API host blocked: analytics.js loads, calls validate, nothing thrown or rejected', async () => {
    // The API host is a closed port, not a Playwright route: analytics-next flushes its retry
    // queue with keepalive requests when the page closes, which outlive the page's routes and
    // would otherwise reach this file's collector during the next test.
    const { page, record, close } = await openPage('127.0.0.1');
    const result = await page.evaluate(async (writeKeys) => {
      const blocked = { integrations: { 'Segment.io': { apiHost: '127.0.0.1:1/v1', protocol: 'http' } } };
      const tracker = await window.trackplanModule.createTracker({ writeKeys, segment: { settings: { cdnURL: location.origin }, options: blocked } });
      await tracker.ready;
      const verdicts = [];
      for (let i = 0; i < 200; i++) verdicts.push(tracker.track('call started', { episode_id: `ep_${i}`, call_id: 'c', user_type: 'patient' }));
      verdicts.push(tracker.track('call started', { call_id: 'c' }));
      await new Promise((r) => setTimeout(r, 1500)); // analytics-next tries and retries meanwhile
      return { status: tracker.status, actions: verdicts.map((v) => v.action) };
    }, WRITE_KEYS);
    // analytics.js itself loaded: delivery failures are its retry queue's to handle.
    assert.equal(result.status, 'ready');
    assert.equal(result.actions.filter((a) => a === 'sent').length, 200);
    assert.equal(result.actions.at(-1), 'blocked');
    assert.deepEqual(await stage.collected(), []);
    assert.deepEqual(record.errors, []);
    assert.deepEqual(await page.evaluate(() => window.rejections), []);
    await close();
  });
});

describe('WebAssembly unavailable', () => {
  test("a page with Content-Security-Policy script-src 'self': passthrough, one warning, events arrive unvalidated", async () => {
    const { page, record, close } = await openPage('127.0.0.1', (p) =>
      p.route('**/csp.html', async (route) => {
        const response = await route.fetch({ url: route.request().url().replace('csp.html', 'index.html') });
        await route.fulfill({ response, headers: { ...response.headers(), 'content-security-policy': "script-src 'self'" } });
      }),
    '/csp.html');
    const status = await createTracker(page);
    assert.equal(status, 'passthrough');
    const verdict = await page.evaluate(() => window.tracker.track('Not In The Plan', { anything: 1 }));
    assert.deepEqual([verdict.ok, verdict.validated], [true, false]);
    const events = await collectedAtLeast(1, '?type=track');
    assert.deepEqual(events.map((e) => e.event), ['Not In The Plan']);
    const [event] = events;
    assert.equal(event.context.trackplan.validated, false);
    assert.equal(record.console.filter((m) => m.includes('WebAssembly could not start')).length, 1);
    assert.deepEqual(record.errors, []);
    await close();
  });

  // Each environment's core: production's production core, development's full core.
  test('the wasm answered with 404 or an HTML page: passthrough; with the wrong MIME type only: still validated', async () => {
    for (const [host, wasm, reply, expected] of [
      ['app.example.com', 'trackplan.wasm'],
      ['127.0.0.1', 'trackplan-dev.wasm'],
    ].flatMap(([host, wasm]) => [
      [host, wasm, { status: 404, body: 'not found' }, 'passthrough'],
      [host, wasm, { status: 200, contentType: 'text/html', body: '<!doctype html><p>oops' }, 'passthrough'],
      [host, wasm, 'wrong-mime', 'ready'],
    ])) {
      const { page, record, close } = await openPage(host, (p) =>
        p.route(`**/${wasm}`, async (route) => {
          if (reply !== 'wrong-mime') return route.fulfill(reply);
          // Fetched from Node, which resolves only the server's own address.
          const response = await route.fetch({ url: route.request().url().replace(host, '127.0.0.1') });
          return route.fulfill({ response, headers: { ...response.headers(), 'content-type': 'application/octet-stream' } });
        }),
      );
      await createTracker(page);
      await page.evaluate(() => window.tracker.ready);
      const verdict = await page.evaluate(() => window.tracker.track('Not In The Plan', {}));
      const what = `${host}, ${wasm}: ${JSON.stringify(reply)}`;
      assert.equal(await page.evaluate(() => window.tracker.status), expected, what);
      assert.equal(verdict.ok, expected === 'passthrough', what);
      assert.deepEqual(record.errors, []);
      await close();
    }
  });
});

describe('where the wasm comes from (the `wasm` option)', () => {
  test('each kind of source starts the core: a URL as text, a URL, a Request, a Response, bytes, a compiled module', async () => {
    for (const kind of ['text', 'URL', 'Request', 'Response', 'ArrayBuffer', 'Uint8Array', 'Module']) {
      const { page, record, close } = await openPage('app.example.com');
      const result = await page.evaluate(async (kind) => {
        const url = new URL('/trackplan.wasm', location.href);
        const sources = {
          text: () => url.href,
          URL: () => url,
          Request: () => new Request(url),
          Response: () => fetch(url),
          ArrayBuffer: async () => (await fetch(url)).arrayBuffer(),
          Uint8Array: async () => new Uint8Array(await (await fetch(url)).arrayBuffer()),
          Module: () => WebAssembly.compileStreaming(fetch(url)),
        };
        const analytics = { track() {}, identify() {}, page() {}, group() {} };
        const wasm = await sources[kind]();
        const tracker = await window.trackplanModule.createTracker({ environment: 'production', analytics, global: false, wasm });
        const verdict = tracker.track('call started', { call_id: 'c1', user_type: 'patient' });
        return { status: tracker.status, kinds: verdict.violations.map((v) => v.kind) };
      }, kind);
      assert.notEqual(result.status, 'passthrough', kind);
      // Validated: the missing episode_id is found (a passthrough verdict has no violations).
      assert.deepEqual(result.kinds, ['required'], kind);
      assert.deepEqual(record.errors, [], kind);
      await close();
    }
  });

  test('a URL that answers 404: passthrough, and the warning names the URL and the status', async () => {
    const { page, record, close } = await openPage('app.example.com');
    const status = await page.evaluate(async () => {
      const analytics = { track() {}, identify() {}, page() {}, group() {} };
      const wasm = new URL('/wasm/nowhere.wasm', location.href).href;
      return (await window.trackplanModule.createTracker({ environment: 'production', analytics, global: false, wasm })).status;
    });
    assert.equal(status, 'passthrough');
    const warnings = record.console.filter((m) => m.includes('WebAssembly could not start'));
    assert.equal(warnings.length, 1);
    assert.match(warnings[0], /nowhere\.wasm answered 404/);
    assert.deepEqual(record.errors, []);
    await close();
  });
});

describe('policies as their events arrive at the collector', () => {
  test('production: violations forwarded as Violation Generated, omitted properties listed, blocked events quarantined', async () => {
    const { page, record, close } = await openPage('app.example.com');
    await createTracker(page, { reportViolations: true });
    const verdicts = await page.evaluate((props) => [
      window.tracker.track('call started', props),
      window.tracker.track('call started', { ...props, channel_id: 'ch_1' }),
      window.tracker.track('call started', { call_id: 'c2', user_type: 'patient' }),
      window.tracker.track('Call Started', props),
    ].map((v) => [v.ok, v.action, v.violations.map((x) => x.kind)]), VALID);
    assert.deepEqual(verdicts, [
      [true, 'sent', []],
      [false, 'sent', ['unplanned_property']],
      [false, 'blocked', ['required']],
      [false, 'blocked', ['unplanned_event']],
    ]);
    const events = await collectedAtLeast(7, '?type=track');
    const production = events.filter((e) => e.writeKey === 'wk_prod');
    const sent = production.filter((e) => e.event === 'call started');
    assert.equal(sent.length, 2);
    const omitted = sent.find((e) => e.context.protocols?.omitted);
    assert.deepEqual(omitted.context.protocols.omitted, ['channel_id']);
    assert.equal('channel_id' in omitted.properties, false);
    const forwarded = production.filter((e) => e.event === 'Violation Generated').map((e) => e.properties);
    assert.deepEqual(forwarded.map((p) => [p.violationType, p.violationField, p.eventName]).sort(), [
      ['required', '', 'call started'],
      ['unplanned_event', '', 'Call Started'],
      ['unplanned_property', '/channel_id', 'call started'],
    ]);
    assert.ok(forwarded.every((p) => p.trackingPlanId === 'tp_trackplan_default' && p.violationDescription));
    const quarantined = events.filter((e) => e.writeKey === 'wk_quarantine');
    assert.deepEqual(quarantined.map((e) => e.event).sort(), ['Call Started', 'call started']);
    const whole = quarantined.find((e) => e.event === 'call started');
    assert.deepEqual(whole.properties, { call_id: 'c2', user_type: 'patient' });
    assert.deepEqual(whole.context.trackplan.violations.map((v) => v.kind), ['required']);
    assert.deepEqual(await page.evaluate(() => window.reports), [
      { type: 'track', action: 'sent', kinds: ['unplanned_property'] },
      { type: 'track', action: 'blocked', kinds: ['required'] },
      { type: 'track', action: 'blocked', kinds: ['unplanned_event'] },
    ]);
    assert.equal(record.console.filter((m) => m.includes('onViolation threw')).length, 3);
    assert.deepEqual(record.errors, []);
    await close();
  });

  test('every field overridden: allow, allow, omit_properties, no forwarding', async () => {
    const { page, close } = await openPage('app.example.com');
    await createTracker(page, {
      policy: { unplannedEvents: 'allow', unplannedProperties: 'allow', violations: 'omit_properties', forwardViolations: false, throwOnViolation: true },
    });
    const verdicts = await page.evaluate((props) => [
      window.tracker.track('something unplanned', { a: 1 }),
      window.tracker.track('call started', { ...props, channel_id: 'ch_1' }),
      window.tracker.track('call started', { ...props, call_type: 'fax' }),
    ].map((v) => [v.ok, v.action, v.omitted]), VALID);
    assert.deepEqual(verdicts, [
      [false, 'sent', []],
      [false, 'sent', []],
      [false, 'sent', ['call_type']],
    ]);
    const events = await collectedAtLeast(3, '?type=track');
    assert.deepEqual(events.map((e) => e.event).sort(), ['call started', 'call started', 'something unplanned']);
    assert.equal(events.find((e) => e.properties.channel_id).properties.channel_id, 'ch_1');
    const omitted = events.find((e) => e.context.protocols?.omitted);
    assert.deepEqual(omitted.context.protocols.omitted, ['call_type']);
    assert.equal('call_type' in omitted.properties, false);
    await close();
  });

  test('environment defaults: staging and development block and warn without forwarding; test throws', async () => {
    for (const host of ['staging.example.com', '127.0.0.1']) {
      const { page, record, close } = await openPage(host);
      await createTracker(page);
      const verdict = await page.evaluate(() => window.tracker.track('call started', { call_id: 'c' }));
      assert.deepEqual([verdict.ok, verdict.action], [false, 'blocked']);
      await new Promise((r) => setTimeout(r, 800));
      assert.deepEqual(await stage.collected(), [], `${host}: nothing blocked, nothing forwarded, nothing quarantined`);
      assert.ok(record.console.some((m) => m.startsWith('warning: trackplan: call started (blocked)')), host);
      await close();
    }
    const { page, close } = await openPage();
    const thrown = await page.evaluate(async () => {
      const tracker = await window.trackplanModule.createTracker({ environment: 'test' });
      try {
        tracker.track('call started', { call_id: 'c', user_type: 'patient' });
        return null;
      } catch (error) {
        return [error.name, error.violations.map((v) => v.kind)];
      }
    });
    assert.deepEqual(thrown, ['TrackingPlanError', ['required']]);
    await close();
  });
});
