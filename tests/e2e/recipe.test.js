// The README recipe "Testing a host app with Playwright", run as written: start
// `trackplan collector` serving the app, load the app, act, assert with /collector/good.
// The host app here is the demo (www/), built into target/e2e-demo.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { launch, waitFor } from './support/browser.js';
import { startCollectorCli } from './support/cli.js';
import { buildDemoApp } from './support/demo.js';

let browser;
let collector;

before(async () => {
  const appDir = await buildDemoApp();
  [browser, collector] = await Promise.all([launch(), startCollectorCli(['--port', '0', '--static', appDir, '--quiet'])]);
});
after(async () => {
  await browser?.close();
  collector?.child.kill('SIGTERM');
  await collector?.stopped;
});

/** GET a collector endpoint as JSON. */
async function collected(path) {
  return (await fetch(`${collector.url}${path}`)).json();
}

test('recipe: a click in the host app reaches the collector as a good event', async () => {
  await fetch(`${collector.url}/collector/reset`, { method: 'POST' });
  const page = await browser.newPage();
  await page.goto(`${collector.url}/`);
  await page.getByRole('button', { name: 'call started', exact: true }).click();
  await page.getByRole('button', { name: 'call ended with type "Patient"' }).click();

  const good = await waitFor(async () => {
    const events = await collected('/collector/good?type=track&event=call%20started');
    return events.length > 0 && events;
  });
  assert.equal(good.length, 1);
  assert.equal(good[0].properties.user_type, 'patient');
  assert.equal(good[0].writeKey, 'wk_demo_development');
  // The invalid call was blocked in the page: nothing bad reached "Segment".
  assert.deepEqual(await collected('/collector/bad'), []);
  await page.close();
});
