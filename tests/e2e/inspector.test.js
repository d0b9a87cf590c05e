// The demo with the package's inspector (`trackplan/inspector`, opened by
// `tracker.inspect({ collector })`), in headless Chromium: calls as they happen with their
// verdicts, violations (their `code` spans rendered, no literal backticks), omitted
// properties and call sites; filters; the plan browser; what the collector received,
// good and bad, in rows that expand; closing and reopening; and the page and each view
// at 360 px wide without sideways scrolling. Screenshots go to test-results/inspector/.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { launch, recordedPage, waitFor } from './support/browser.js';
import { startDemo } from './support/demo.js';
import { expandAndFit, screenshot, shownCalls } from './support/inspector.js';

let browser;
let demo;

before(async () => {
  [browser, demo] = await Promise.all([launch(), startDemo()]);
});
after(async () => {
  await browser?.close();
  await demo?.close();
});

/** Opens the demo at `width` × `height` once its tracker is ready and its inspector open. */
async function openDemo(width, height) {
  const session = await recordedPage(browser);
  await session.page.setViewportSize({ width, height });
  await session.page.goto(`${demo.url}/`);
  await session.page.waitForFunction(() => document.getElementById('status').textContent.includes('ready'));
  await session.page.waitForSelector('trackplan-inspector [role="tab"][data-view="collector"]');
  return session;
}

/** Posts an event straight to the collector, as a client other than the demo would. */
async function postToCollector(event) {
  const response = await fetch(`${demo.url}/v1/t`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ ...event, writeKey: 'wk_other_client', messageId: `m-${Date.now()}` }),
  });
  assert.equal(response.status, 200);
}

test('the demo inspector: calls live, violations as code, call sites, filters, the plan, the collector', async (t) => {
  await fetch(`${demo.url}/collector/reset`, { method: 'POST' });
  const { page, record, close } = await openDemo(1280, 900);
  assert.equal(await page.evaluate(() => document.activeElement.dataset.demo ?? document.activeElement.tagName), 'BODY', 'the focus stays with the app');

  for (const name of ['call-start', 'bad-enum', 'bad-channel', 'qnaire']) await page.click(`[data-demo="${name}"]`);
  const calls = await shownCalls(page);
  assert.deepEqual(
    calls.map((c) => [c.verdict, c.event, c.action]),
    [
      ['valid', 'questionnaire submitted', 'sent'],
      ['invalid', 'call started', 'sent'],
      ['invalid', 'call ended', 'blocked'],
      ['valid', 'call started', 'sent'],
    ],
  );
  const [, channel, enumCall, valid] = calls;
  assert.deepEqual(valid.violations, []);
  assert.equal(channel.omitted, 'omitted: channel_id');
  assert.deepEqual(channel.violations[0].code, ['channel_id', 'call started']);
  assert.deepEqual(enumCall.violations[0].code, ['type']);
  assert.match(enumCall.violations[0].text, /^type must be one of ended_by_patient, ended_by_practitioner; got "Patient"enum · \/type$/);
  for (const call of calls) {
    assert.ok(call.violations.every((v) => !v.text.includes('`')), `no literal backticks: ${JSON.stringify(call.violations)}`);
    // The demo's bundle has no source map: the position the browser ran, in demo.js.
    assert.match(call.site, /^\/dist\/demo\.js:\d+:\d+$/);
  }
  assert.equal(await page.textContent('trackplan-inspector .summary'), '4 calls · 2 invalid');

  // A row expands to what was given and what analytics.js got.
  await page.click('trackplan-inspector li.call:nth-child(2) .row');
  const blocks = await page.$$eval('trackplan-inspector li.call:nth-child(2) .details .block', (items) =>
    items.map((block) => [block.querySelector('.caption').textContent, JSON.parse(block.querySelector('pre').textContent)]),
  );
  const given = blocks.find(([caption]) => caption === 'given (properties)')[1];
  const sent = blocks.find(([caption]) => caption === 'handed to analytics.js')[1];
  assert.equal(given.channel_id, 'c1');
  assert.deepEqual(Object.keys(sent).sort(), ['call_id', 'episode_id', 'user_type'], 'sent without the omitted property');

  // Filters: by verdict, then by event.
  await page.selectOption('trackplan-inspector select[name=verdict]', 'invalid');
  assert.deepEqual((await shownCalls(page)).map((c) => c.event), ['call started', 'call ended']);
  await page.fill('trackplan-inspector input[name=event]', 'ended');
  assert.deepEqual((await shownCalls(page)).map((c) => c.event), ['call ended']);
  assert.equal(await page.textContent('trackplan-inspector .count'), '1 of 4 calls');
  await page.fill('trackplan-inspector input[name=event]', '');
  await page.selectOption('trackplan-inspector select[name=verdict]', 'all');
  await screenshot(t, page, 'demo-calls');

  // The plan browser, and explain() from it.
  await page.click('trackplan-inspector [role=tab][data-view=plan]');
  await page.click('trackplan-inspector li.rule[data-rule="call ended"] .row');
  const typeRow = await page.$$eval('trackplan-inspector li.rule[data-rule="call ended"] .properties > li', (items) =>
    items.map((li) => li.textContent).find((text) => text.startsWith('type')),
  );
  assert.match(typeRow, /^typeenumrequiredallowed: "ended_by_patient", "ended_by_practitioner"/);
  await page.click('trackplan-inspector li.rule[data-rule="call ended"] .explain');
  await waitFor(() => record.console.some((line) => line.startsWith('table: ')));
  await screenshot(t, page, 'demo-plan');

  // What the collector received: the valid calls, and one a client posted that breaks the plan.
  await postToCollector({ type: 'track', event: 'call ended', properties: { episode_id: 'ep_9', call_id: 'c9', type: 'Patient' } });
  await page.click('trackplan-inspector [role=tab][data-view=collector]');
  await page.waitForFunction(() =>
    /^3 good, 1 bad/.test(document.querySelector('trackplan-inspector').shadowRoot.querySelector('#tp-view-collector .count').textContent),
  );
  const received = await page.$$eval('trackplan-inspector li.received', (items) => items.map((li) => [li.dataset.verdict, li.dataset.event]));
  assert.deepEqual(received[0], ['bad', 'track call ended']);
  assert.deepEqual(received.slice(1).map(([verdict, event]) => [verdict, event]).sort(), [
    ['good', 'track call started'],
    ['good', 'track call started'],
    ['good', 'track questionnaire submitted'],
  ]);
  const badCodes = await page.$$eval('trackplan-inspector li.received.bad .violations code', (codes) => codes.map((c) => c.textContent));
  assert.deepEqual(badCodes, ['type']);
  const row = 'trackplan-inspector li.received.bad .row';
  assert.equal(await page.getAttribute(row, 'aria-expanded'), 'false');
  await page.click(row);
  assert.equal(await page.getAttribute(row, 'aria-expanded'), 'true');
  assert.match(await page.textContent('trackplan-inspector li.received.bad .details'), /"writeKey": "wk_other_client"/);
  const stored = await (await fetch(`${demo.url}/collector/all?event=call%20started`)).json();
  assert.ok(stored.every((e) => !('channel_id' in e.properties)), 'the unplanned property never left the page');
  // Polling goes on without undoing the expanded row.
  await page.click('[data-demo="signup"]');
  await page.waitForFunction(() => /^4 good/.test(document.querySelector('trackplan-inspector').shadowRoot.querySelector('#tp-view-collector .count').textContent));
  assert.equal(await page.getAttribute(row, 'aria-expanded'), 'true');
  await screenshot(t, page, 'demo-collector');

  // Closed, then opened again from the demo's header.
  await page.click('trackplan-inspector .close');
  assert.equal(await page.$('trackplan-inspector'), null);
  await page.click('[data-demo="inspect"]');
  await page.waitForSelector('trackplan-inspector [role="tab"][data-view="collector"]');
  assert.equal(await page.evaluate(() => document.activeElement.shadowRoot?.activeElement?.getAttribute('role')), 'dialog');
  assert.deepEqual(record.errors, []);
  await close();
});

test('at 360 px the demo and each view of its inspector fit the width; collapsed, the app is usable', async (t) => {
  const { page, record, close } = await openDemo(360, 740);
  assert.ok(await page.evaluate(() => document.documentElement.scrollWidth <= innerWidth), 'the demo page does not scroll sideways');
  // Collapsed to its bar, the inspector leaves the app's buttons usable.
  await page.click('trackplan-inspector .collapse');
  assert.equal(await page.getAttribute('trackplan-inspector .collapse', 'aria-expanded'), 'false');
  for (const name of ['bad-channel', 'bad-enum', 'identify']) await page.click(`[data-demo="${name}"]`);
  await page.click('trackplan-inspector .collapse');
  assert.equal((await shownCalls(page)).length, 3);

  await expandAndFit(t, page, { row: 'li.call:nth-child(3)', name: 'demo-360-calls' });
  await expandAndFit(t, page, { view: 'plan', row: 'li.rule[data-rule="questionnaire submitted"]', name: 'demo-360-plan' });
  await page.click('trackplan-inspector [role=tab][data-view=collector]');
  await page.waitForSelector('trackplan-inspector li.received');
  await expandAndFit(t, page, { row: 'li.received:first-child', name: 'demo-360-collector' });
  assert.deepEqual(record.errors, []);
  await close();
});
