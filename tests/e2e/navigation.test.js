// Calls made right before a navigation, in headless Chromium with the real analytics-next
// and the collector: page A makes its calls and sets `location.href` to page B in the same
// task; B (same origin) loads with the same write key. Counted at the collector by
// messageId: at least 99% arrive, none twice, and nothing is left to replay again. Two
// variants: 500 calls with analytics.js loaded on A, and 300 made before it loaded (A's
// settings request held until the navigation). analytics-next alone is measured beside
// trackplan in the same run, and the figures printed; in the first variant also
// analytics-next alone batching with `keepalive`, its flush on `pagehide`.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { recordedPage } from './support/browser.js';
import { useBrowserAndServer } from './support/server.js';

const stage = useBrowserAndServer();

/** The share of them that must arrive. */
const TARGET = 0.99;
/**
 * After page B has loaded, the collector is watched until every call is in, or none has
 * come for QUIET_MS, or SETTLE_MS have passed: analytics-next sends one request a call,
 * six at a time, which on a loaded machine takes seconds for 500.
 */
const SETTLE_MS = 30_000;
const QUIET_MS = 4_000;

/**
 * Opens page A in a fresh browser context; with `holdSettings`, A's request for its
 * settings gets no answer until A has navigated (then it is dropped with A).
 */
async function openA(holdSettings) {
  const session = await recordedPage(stage.browser);
  const held = [];
  if (holdSettings) {
    await session.page.route('**/v1/projects/*/settings', (route) => (session.page.url().includes('?b') ? route.continue() : held.push(route)));
  }
  await session.page.goto(`http://127.0.0.1:${stage.server.port}/?a`);
  await session.page.waitForFunction(() => window.pageReady);
  return { ...session, held };
}

/**
 * Runs `script` on page A (it makes the calls and navigates, in one task),
 * then waits for page B and runs `onB` there; resolves with what the collector holds for
 * `writeKey` once all calls are in or arrivals have stopped (see SETTLE_MS).
 */
async function navigate({ page, held, close }, { writeKey, loaded, calls, keepalive = false, carryOver = true }, script, onB) {
  const arrived = page.waitForURL(/\?b$/);
  // The navigation may commit before the evaluation returns: its context is then gone.
  await page.evaluate(script, { writeKey, calls, loaded, keepalive, carryOver }).catch((error) => {
    if (!/context was destroyed|navigation/i.test(String(error))) throw error;
  });
  await arrived;
  await Promise.all(held.map((route) => route.abort().catch(() => {})));
  await page.waitForFunction(() => window.pageReady);
  const stored = await page.evaluate(persistedOnB, writeKey);
  await page.evaluate(onB, writeKey);
  const end = Date.now() + SETTLE_MS;
  let events = [];
  let quietSince = Date.now();
  while (Date.now() < end && Date.now() - quietSince < QUIET_MS) {
    const now = (await stage.collected(`?writeKey=${writeKey}&type=track`)).filter((e) => e.event === 'call started');
    if (now.length !== events.length) quietSince = Date.now();
    events = now;
    if (events.length >= calls) break;
    await new Promise((r) => setTimeout(r, 200));
  }
  await new Promise((r) => setTimeout(r, 500)); // a duplicate would have arrived by now
  events = (await stage.collected(`?writeKey=${writeKey}&type=track`)).filter((e) => e.event === 'call started');
  const left = await page.evaluate((key) => sessionStorage.getItem(`trackplan:carryover:v1:${key}`), writeKey);
  await close();
  return { ...count(events), ...stored, left };
}

/**
 * What page B finds persisted for the write key before it loads anything: calls
 * trackplan carried, and events analytics-next persisted (its two queues).
 */
function persistedOnB(writeKey) {
  const length = (storage, key) => JSON.parse(storage.getItem(key) ?? '[]').length;
  const entries = JSON.parse(sessionStorage.getItem(`trackplan:carryover:v1:${writeKey}`) ?? '[]');
  return {
    carried: entries.reduce((n, entry) => n + entry.calls.length, 0),
    persistedByAnalytics: ['event-queue', 'dest-Segment.io'].reduce((n, queue) => n + length(localStorage, `persisted-queue:v1:${writeKey}:${queue}:items`), 0),
  };
}

/**
 * Distinct messageIds and calls among the events, how many were duplicates, and how
 * many are attributed to page A, where they were made.
 */
function count(events) {
  const ids = new Set(events.map((e) => e.messageId));
  const calls = new Set(events.map((e) => e.properties.call_id));
  const fromA = events.filter((e) => e.context?.page?.search === '?a').length;
  return { received: events.length, distinct: ids.size, calls: calls.size, duplicates: events.length - ids.size, fromA };
}

/** Prints a variant's figures, trackplan beside analytics-next alone (`[who, counts]` pairs). */
function report(variant, calls, figures) {
  const line = ([who, c]) =>
    `${who}: ${c.calls}/${calls} calls arrived (${((100 * c.calls) / calls).toFixed(1)}%), ${c.duplicates} duplicate messageIds ` +
    `(page B found ${c.carried} carried by trackplan, ${c.persistedByAnalytics} persisted by analytics-next)`;
  console.log(`navigation: ${variant}:\n  ${figures.map(line).join('\n  ')}`);
}

/** On A: a trackplan tracker (ready first when `loaded`), the calls, the navigation. */
async function trackplanA({ writeKey, calls, loaded, carryOver }) {
  const tracker = await window.trackplanModule.createTracker({
    writeKeys: { development: writeKey },
    carryOver,
    segment: { settings: { cdnURL: location.origin }, options: { initialPageview: false } },
  });
  if (loaded) await tracker.ready;
  if (tracker.status !== (loaded ? 'ready' : 'loading')) throw new Error(`tracker ${tracker.status} on page A`);
  for (let i = 0; i < calls; i++) tracker.track('call started', { episode_id: 'ep_1', call_id: `call_${i}`, user_type: 'patient' });
  location.href = '/?b';
}

/** On B: a tracker with the same write key. */
async function trackplanB(writeKey) {
  window.tracker = await window.trackplanModule.createTracker({
    writeKeys: { development: writeKey },
    segment: { settings: { cdnURL: location.origin }, options: { initialPageview: false } },
  });
  await window.tracker.ready;
}

/**
 * On A: analytics-next alone (loaded first when `loaded`; with `keepalive`, batching and
 * flushing its batch with `keepalive` on `pagehide`), the same calls, the navigation.
 */
async function aloneA({ writeKey, calls, loaded, keepalive }) {
  const deliveryStrategy = { strategy: 'batching', config: { size: 10, timeout: 5000, keepalive: true } };
  const integrations = keepalive ? { 'Segment.io': { deliveryStrategy } } : undefined;
  const loading = window.AnalyticsBrowser.load({ writeKey, cdnURL: location.origin }, { initialPageview: false, integrations });
  const analytics = loaded ? (await loading)[0] : loading;
  for (let i = 0; i < calls; i++) analytics.track('call started', { episode_id: 'ep_1', call_id: `call_${i}`, user_type: 'patient' });
  location.href = '/?b';
}

/** On B: analytics-next alone with the same write key (it replays what it persisted). */
async function aloneB(writeKey) {
  await window.AnalyticsBrowser.load({ writeKey, cdnURL: location.origin }, { initialPageview: false });
}

describe('calls made right before a navigation', () => {
  for (const [variant, loaded, calls] of [
    ['500 calls, analytics.js loaded', true, 500],
    ['300 calls queued before analytics.js loaded', false, 300],
  ]) {
    test(`${variant}: at least 99% arrive, none twice; analytics-next alone measured beside`, async () => {
      const tag = loaded ? 'loaded' : 'preload';
      const run = { loaded, calls };
      const trackplan = await navigate(await openA(!loaded), { ...run, writeKey: `wk_nav_${tag}` }, trackplanA, trackplanB);
      const figures = [
        ['trackplan', trackplan],
        ['analytics-next alone', await navigate(await openA(!loaded), { ...run, writeKey: `wk_alone_${tag}` }, aloneA, aloneB)],
      ];
      if (loaded) {
        const keepalive = await navigate(await openA(false), { ...run, writeKey: 'wk_alone_keepalive', keepalive: true }, aloneA, aloneB);
        figures.push(['analytics-next alone, batching with keepalive', keepalive]);
      }
      report(variant, calls, figures);
      assert.equal(trackplan.duplicates, 0, 'no messageId arrives twice');
      assert.equal(trackplan.calls, trackplan.distinct, 'each call arrives under one messageId');
      assert.ok(trackplan.calls >= TARGET * calls, `${trackplan.calls} of ${calls} arrived`);
      assert.equal(trackplan.left, null, 'nothing is left for a later page to replay again');
      assert.equal(trackplan.fromA, trackplan.received, 'each call keeps the page it was made on');
    });
  }
});

test('carryOver: false writes nothing to sessionStorage: the calls are lost with the page', async () => {
  const run = { loaded: false, calls: 50, carryOver: false };
  const result = await navigate(await openA(true), { ...run, writeKey: 'wk_nav_off' }, trackplanA, trackplanB);
  assert.equal(result.carried, 0, 'page B finds nothing carried');
  assert.equal(result.calls, 0, 'none of the queued calls arrives');
  assert.equal(result.left, null);
});
