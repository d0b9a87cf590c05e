// The README's "Testing against the local collector", run as written: a small host app
// (createTracker with its own write key, nothing pointing at a collector) is served by
// `createCollector({ staticDir })`; Playwright answers the app's request for Segment's
// CDN settings with `collector.settingsFor(writeKey)`, so the real analytics-next sends
// to the collector; the test asserts with `expectReceived`.
import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, beforeEach, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { createCollector } from '../../js/node/collector/index.js';
import { bundlePage } from '../../scripts/build.js';
import { launch } from './support/browser.js';

const repo = fileURLToPath(new URL('../../', import.meta.url));
const appDir = join(repo, 'target/e2e-host-app');

/** The host app: a button that starts a call, and one whose call breaks the plan. */
const APP = `import { createTracker } from ${JSON.stringify(join(repo, 'js/index.js'))};

const tracker = await createTracker({ writeKeys: { development: 'wk_host_dev', production: 'wk_host_prod' } });
const call = { episode_id: 'ep_1', call_id: 'call_1', user_type: 'patient' };
document.querySelector('#start').onclick = () => tracker.track('call started', call);
document.querySelector('#broken').onclick = () => tracker.track('call started', { ...call, user_type: 'doctor' });
window.appReady = true;
`;

/** Bundles the host app, page and wasm included, into {@link appDir}/dist; returns that directory. */
async function buildHostApp() {
  const dist = join(appDir, 'dist');
  mkdirSync(join(appDir, 'src'), { recursive: true });
  writeFileSync(join(appDir, 'src/app.js'), APP);
  await bundlePage(join(appDir, 'src/app.js'), dist);
  writeFileSync(
    join(dist, 'index.html'),
    '<!doctype html><meta charset="utf-8"><link rel="icon" href="data:,"><button id="start">Start call</button>' +
      '<button id="broken">Broken call</button><script type="module" src="app.js"></script>',
  );
  return dist;
}

let browser;
let collector;

before(async () => {
  const dist = await buildHostApp();
  [browser, collector] = await Promise.all([launch(), createCollector({ port: 0, staticDir: dist, quiet: true })]);
});
after(async () => {
  await browser?.close();
  await collector?.close();
});
beforeEach(() => collector.reset());

/** A page whose requests for Segment's CDN settings get the collector's. */
async function appPage() {
  const page = await browser.newPage();
  await page.route('https://cdn.segment.com/v1/projects/*/settings', (route) => {
    const writeKey = new URL(route.request().url()).pathname.split('/')[3];
    return route.fulfill({ json: collector.settingsFor(writeKey) });
  });
  await page.goto(`${collector.url}/`);
  await page.waitForFunction(() => window.appReady);
  const status = await page.evaluate(async () => {
    await window.trackplan.ready;
    return window.trackplan.status;
  });
  assert.equal(status, 'ready', 'analytics.js loaded and the wasm core runs: calls are validated');
  return page;
}

test('a click in the host app reaches the collector as the planned event', async () => {
  const page = await appPage();
  await page.getByRole('button', { name: 'Start call' }).click();
  const event = await collector.expectReceived('call started', { episode_id: 'ep_1' });
  assert.equal(event.writeKey, 'wk_host_dev');
  assert.equal(event.properties.user_type, 'patient');
  assert.deepEqual(await collector.bad(), []);
  await page.close();
});

test('a call the plan forbids is blocked in the page: expectReceived says what arrived instead', async () => {
  const page = await appPage();
  await page.getByRole('button', { name: 'Broken call' }).click();
  await page.getByRole('button', { name: 'Start call' }).click();
  await collector.expectReceived('call started', { user_type: 'patient' });
  await assert.rejects(collector.expectReceived('call started', { user_type: 'doctor' }, { timeout: 500 }), (error) => {
    assert.ok(error instanceof assert.AssertionError);
    assert.match(error.message, /closest of 1 received event\(s\) was track "call started" \(- expected, \+ received\):\n- user_type: "doctor"\n\+ user_type: "patient"$/);
    return true;
  });
  await page.close();
});
