// The event inspector beside the demo app, in headless Chromium: calls as they happen,
// violation details, filters, the plan browser and what the collector received. Saves a
// screenshot of each to test-results/inspector.png and
// test-results/inspector-collector.png.
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { launch, recordedPage } from './support/browser.js';
import { artifactsDir, startDemo } from './support/demo.js';

let browser;
let demo;

before(async () => {
  [browser, demo] = await Promise.all([launch(), startDemo()]);
});
after(async () => {
  await browser?.close();
  await demo?.close();
});

/** The calls the inspector lists, newest first, as the user reads them. */
function shownCalls(page) {
  return page.$$eval('#inspector li.call', (items) =>
    items.map((item) => ({
      verdict: item.dataset.verdict,
      event: item.querySelector('.event').textContent,
      action: item.querySelector('.badge').textContent,
      omitted: item.querySelector('.badge.omitted')?.textContent ?? null,
      violations: [...item.querySelectorAll('tbody tr')].map((row) => [...row.cells].map((c) => c.textContent)),
    })),
  );
}

test('the inspector shows valid and invalid calls, filters them, browses the plan and the collector', async () => {
  const { page, record, close } = await recordedPage(browser);
  await page.setViewportSize({ width: 1280, height: 900 });
  await page.goto(`${demo.url}/`);
  await page.waitForSelector('#inspector .tabs');
  await page.waitForFunction(() => document.getElementById('status').textContent.includes('ready'));

  await page.click('[data-demo="call-start"]');
  await page.click('[data-demo="bad-enum"]');
  await page.click('[data-demo="bad-channel"]');
  await page.click('[data-demo="qnaire"]');

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
  assert.deepEqual(channel.violations.map(([path, rule]) => [path, rule]), [['/channel_id', 'unplanned_property']]);
  assert.deepEqual(enumCall.violations.map(([path, rule]) => [path, rule]), [['/type', 'enum']]);
  assert.match(enumCall.violations[0][2], /one of ended_by_patient, ended_by_practitioner; got "Patient"/);
  assert.equal(await page.textContent('#inspector .count'), '4 of 4 calls');

  // Filters: by verdict, then by event.
  await page.selectOption('#inspector select[name=verdict]', 'invalid');
  assert.deepEqual((await shownCalls(page)).map((c) => c.event), ['call started', 'call ended']);
  await page.fill('#inspector input[name=event]', 'ended');
  assert.deepEqual((await shownCalls(page)).map((c) => c.event), ['call ended']);
  assert.equal(await page.textContent('#inspector .count'), '1 of 4 calls');

  // The plan browser.
  await page.click('#inspector .tabs button[value=plan]');
  await page.click('#inspector .plan-events button[value="call ended"]');
  const typeRow = await page.$$eval('#inspector .pane:not([hidden]) tbody tr', (rows) =>
    rows.map((row) => [...row.cells].map((c) => c.textContent)).find(([name]) => name === 'type'),
  );
  assert.deepEqual(typeRow.slice(0, 4), ['type', 'enum', 'yes', '"ended_by_patient", "ended_by_practitioner"']);

  // What the collector received: the valid calls and the one with channel_id omitted.
  await page.click('#inspector .tabs button[value=collector]');
  await page.waitForFunction(() =>
    /^3 good, 0 bad/.test(document.querySelector('#inspector .pane:not([hidden]) p')?.textContent ?? ''),
  );
  const received = await page.$$eval('#inspector ol.received li code', (items) => items.map((i) => i.textContent));
  assert.deepEqual(
    received.map((text) => text.replace(/ → .*/, '')).sort(),
    ['track call started', 'track call started', 'track questionnaire submitted'],
  );
  const stored = await (await fetch(`${demo.url}/collector/all?event=call%20started`)).json();
  assert.ok(stored.every((e) => !('channel_id' in e.properties)), 'the unplanned property never left the page');
  mkdirSync(artifactsDir, { recursive: true });
  await page.screenshot({ path: join(artifactsDir, 'inspector-collector.png'), fullPage: true });

  // Back to the calls, unfiltered, for the screenshot.
  await page.click('#inspector .tabs button[value=calls]');
  await page.fill('#inspector input[name=event]', '');
  await page.selectOption('#inspector select[name=verdict]', 'all');
  await page.screenshot({ path: join(artifactsDir, 'inspector.png'), fullPage: true });
  assert.deepEqual(record.errors, []);
  await close();
});
