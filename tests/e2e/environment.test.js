// An environment without a write key, end to end in Chromium: calls are validated, nothing
// is loaded or sent, and the console says so exactly once.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { recordedPage } from './support/browser.js';
import { useBrowserAndServer } from './support/server.js';

const stage = useBrowserAndServer();

test('a preview deploy without a development key validates, sends nothing and says so once', async () => {
  stage.server.reset();
  const { page, record, close } = await recordedPage(stage.browser);
  await page.goto(`http://pr-7.preview.example.com:${stage.server.port}/`);
  await page.waitForFunction(() => window.pageReady);
  const result = await page.evaluate(async () => {
    const tracker = await window.trackplanModule.createTracker({
      writeKeys: { production: 'wk_prod', staging: 'wk_staging' },
      hosts: { production: ['app.example.com'], staging: ['staging.example.com'] },
      segment: { settings: { cdnURL: location.origin } },
    });
    await tracker.ready;
    const valid = { episode_id: 'ep_1', call_id: 'call_1', user_type: 'patient' };
    const verdicts = [
      tracker.track('call started', valid),
      tracker.track('call started', { ...valid, user_type: 'doctor' }),
      tracker.identify('user_1', { user_type: 'patient' }),
      tracker.track('call started', valid),
    ];
    return { environment: tracker.environment, writeKey: tracker.writeKey, status: tracker.status, verdicts };
  });
  assert.equal(result.environment, 'development');
  assert.equal(result.writeKey, null);
  assert.equal(result.status, 'ready');
  assert.deepEqual(
    result.verdicts.map((v) => [v.ok, v.action]),
    [[true, 'dropped'], [false, 'blocked'], [true, 'dropped'], [true, 'dropped']],
  );
  assert.equal(result.verdicts[1].violations[0].kind, 'enum');
  const noKey = record.console.filter((m) => m.includes('no write key'));
  assert.deepEqual(noKey, [
    'info: trackplan: no write key for the development environment; calls are validated but nothing is sent. Set writeKeys.development to send.',
  ]);
  // Nothing was loaded or sent: no settings request, no event, no analytics.js chunk.
  assert.deepEqual(record.requests.filter((url) => /\/v1\/|\/analytics\.js\//.test(url)), []);
  assert.deepEqual(await (await fetch(`${stage.server.url}/collector/all`)).json(), []);
  assert.deepEqual(record.errors, []);
  await close();
});

test('a bad environment or policy rejects with what to use; the module that words it is fetched only then', async () => {
  stage.server.reset();
  const { page, record, close } = await recordedPage(stage.browser);
  await page.goto(`http://localhost:${stage.server.port}/`);
  await page.waitForFunction(() => window.pageReady);
  const wording = () => record.requests.filter((url) => url.includes('setup-mistakes'));
  const good = await page.evaluate(async () => {
    const tracker = await window.trackplanModule.createTracker({ policy: { violations: 'allow' }, global: false });
    return tracker.track('call started', { episode_id: 'ep_1', call_id: 'call_1', user_type: 'doctor' }).action;
  });
  assert.equal(good, 'dropped', 'the override reached the core: allowed, and dropped for want of a key');
  assert.deepEqual(wording(), []);
  const message = await page.evaluate(() =>
    window.trackplanModule.createTracker({ policy: { violations: 'drop' }, global: false }).then(
      () => 'no set-up error',
      (error) => `${error.constructor.name}: ${error.message}`,
    ),
  );
  assert.equal(message, `Error: policy.violations cannot be "drop": use 'allow', 'block' or 'omit_properties'`);
  assert.equal(wording().length, 1);
  assert.deepEqual(record.errors, []);
  await close();
});
