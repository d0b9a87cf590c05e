// The collector's plan check: /collector/good and /collector/bad, the wasm loaded only
// when asked for, a plan given as an option, and `trackplan collector` from the CLI.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';

import { createCollector } from '../js/node/collector/index.js';
import { runCollectorCli, startCollectorCli } from './e2e/support/cli.js';

/** Posts a batch as analytics-next does. */
async function post(collector, batch) {
  const response = await fetch(`${collector.url}/v1/b`, {
    method: 'POST',
    headers: { 'Content-Type': 'text/plain', Authorization: `Basic ${Buffer.from('wk_test:').toString('base64')}` },
    body: JSON.stringify({ batch }),
  });
  assert.equal(response.status, 200);
}

async function get(collector, path) {
  return (await fetch(`${collector.url}${path}`)).json();
}

const GOOD_TRACK = {
  type: 'track',
  event: 'call started',
  properties: { episode_id: 'ep_1', call_id: 'call_1', user_type: 'patient' },
  messageId: 'm1',
};
const BAD_TRACK = {
  type: 'track',
  event: 'call ended',
  properties: { episode_id: 'ep_1', call_id: 'call_1', type: 'Patient' },
  messageId: 'm2',
};
// What analytics-next posts for page('app', 'episode', { episode_id }).
const PAGE = {
  type: 'page',
  category: 'app',
  name: 'episode',
  properties: { episode_id: 'ep_1', name: 'episode', category: 'app', path: '/', url: 'http://127.0.0.1/', title: 'x', referrer: '', search: '' },
  messageId: 'm3',
};

describe('collector plan check with the embedded plan', () => {
  let collector;
  before(async () => {
    collector = await createCollector({ port: 0, quiet: true });
  });
  after(() => collector.close());

  test('events are split into good and bad, the bad with their violations', async () => {
    await post(collector, [GOOD_TRACK, BAD_TRACK, PAGE, { type: 'identify', userId: 'u1', traits: { user_type: 'doctor' }, messageId: 'm4' }]);
    assert.equal((await get(collector, '/collector/all')).length, 4);
    const good = await get(collector, '/collector/good');
    assert.deepEqual(good.map((e) => e.messageId), ['m1', 'm3']);
    const bad = await get(collector, '/collector/bad');
    assert.deepEqual(bad.map((e) => e.messageId), ['m2', 'm4']);
    assert.deepEqual(bad[0].violations.map((v) => [v.kind, v.path]), [['enum', '/type']]);
    assert.match(bad[0].violations[0].message, /one of ended_by_patient, ended_by_practitioner/);
    assert.equal(bad[0].writeKey, 'wk_test');
  });

  test('good and bad take the same filters as all', async () => {
    await post(collector, [{ ...GOOD_TRACK, messageId: 'm5', event: 'Call Started' }]);
    const bad = await get(collector, '/collector/bad?type=track&event=Call%20Started');
    assert.deepEqual(bad.map((e) => e.messageId), ['m5']);
    assert.equal(bad[0].violations[0].kind, 'unplanned_event');
    assert.deepEqual(await get(collector, '/collector/good?event=Call%20Started'), []);
  });
});

test('importing and recording do not load the wasm core; /collector/good does', async () => {
  // In a fresh process that counts the wasm instances made as the shim makes its core's
  // (the glue's initSync: \`new WebAssembly.Instance\`). Node's fetch instantiates a wasm
  // HTTP parser of its own, lazily, through WebAssembly.instantiate: not counted, and the
  // requests go through node:http.
  const script = `
    import http from 'node:http';
    let count = 0;
    WebAssembly.Instance = new Proxy(WebAssembly.Instance, {
      construct: (target, args) => { count += 1; return Reflect.construct(target, args); },
    });
    const { createCollector } = await import(${JSON.stringify(new URL('../js/node/collector/index.js', import.meta.url).href)});
    const c = await createCollector({ port: 0, quiet: true });
    const request = (method, path, body) => new Promise((resolve, reject) => {
      const req = http.request(c.url + path, { method }, (res) => res.resume().on('end', resolve));
      req.on('error', reject);
      req.end(body);
    });
    await request('POST', '/v1/t', JSON.stringify({ event: 'x', properties: {} }));
    await request('GET', '/collector/all');
    const before = count;
    await request('GET', '/collector/good');
    console.log(JSON.stringify([before, count]));
    await c.close();`;
  const child = spawn(process.execPath, ['--input-type=module', '-e', script], { stdio: ['ignore', 'pipe', 'inherit'] });
  let out = '';
  child.stdout.on('data', (chunk) => {
    out += chunk;
  });
  assert.equal(await new Promise((resolve) => child.on('exit', resolve)), 0);
  const [before, after] = JSON.parse(out);
  assert.equal(before, 0, 'no wasm before good/bad are asked for');
  assert.ok(after > 0, 'the core is loaded for /collector/good');
});

describe('collector plan check with a plan option', () => {
  const plan = {
    rules: [
      {
        key: 'order completed',
        type: 'TRACK',
        version: 1,
        jsonSchema: { type: 'object', properties: { order_id: { type: 'string' } }, required: ['order_id'] },
      },
    ],
  };

  test('events are checked against the given plan', async () => {
    const collector = await createCollector({ port: 0, quiet: true, plan: JSON.stringify(plan) });
    await post(collector, [
      { type: 'track', event: 'order completed', properties: { order_id: 'o1' }, messageId: 'a' },
      { type: 'track', event: 'order completed', properties: {}, messageId: 'b' },
      GOOD_TRACK,
    ]);
    const [good, bad] = await Promise.all([collector.good(), collector.bad()]);
    assert.deepEqual(good.map((e) => e.messageId), ['a']);
    assert.deepEqual(bad.map((e) => [e.messageId, e.violations[0].kind]), [['b', 'required'], ['m1', 'unplanned_event']]);
    await collector.close();
  });

  test("a page's automatic properties are checked only where the plan declares them; violation reports are not checked", async () => {
    const pagePlan = (properties, required = []) => ({
      rules: [{ key: 'PAGE', type: 'PAGE', version: 1, jsonSchema: { type: 'object', properties, required } }],
    });
    // The page rule declares only `section`: what analytics-next adds is set aside.
    let collector = await createCollector({ port: 0, quiet: true, plan: pagePlan({ section: { type: 'string' } }) });
    const report = {
      type: 'track',
      event: 'Violation Generated',
      properties: { violationType: 'required', violationField: '/x', violationDescription: 'x', eventName: 'y', eventType: 'track' },
      messageId: 'v',
    };
    await post(collector, [{ ...PAGE, properties: { ...PAGE.properties, episode_id: undefined, section: 'home' } }, report]);
    assert.deepEqual([(await collector.good()).map((e) => e.messageId), await collector.bad()], [['m3', 'v'], []]);
    await collector.close();
    // A page rule that declares `url` (a number here, to see it checked) and requires `title`.
    collector = await createCollector({ port: 0, quiet: true, plan: pagePlan({ url: { type: 'integer' }, title: { type: 'string' } }, ['title']) });
    await post(collector, [PAGE]);
    const [bad] = await collector.bad();
    assert.deepEqual(bad.violations.map((v) => [v.kind, v.path]), [['type', '/url'], ['unplanned_property', '/episode_id']]);
    await collector.close();
  });

  test('a plan that cannot be used is a set-up error', async () => {
    await assert.rejects(createCollector({ port: 0, quiet: true, plan: '{"rules": 3' }));
  });
});

describe('trackplan collector (CLI)', () => {
  let dir;
  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'trackplan-cli-'));
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  test('serves the collector and a static directory, checks against --plan, stops on SIGTERM', async () => {
    writeFileSync(join(dir, 'index.html'), '<title>app</title>');
    const planFile = join(dir, 'plan.json');
    writeFileSync(planFile, JSON.stringify({ rules: [{ key: 'saved', type: 'TRACK', version: 1, jsonSchema: { type: 'object' } }] }));
    const { child, url, stopped } = await startCollectorCli(['--port', '0', '--plan', planFile, '--static', dir, '--quiet']);
    assert.match(await (await fetch(`${url}/`)).text(), /<title>app/);
    await post({ url }, [{ type: 'track', event: 'saved', properties: {} }, { type: 'track', event: 'other', properties: {} }]);
    assert.deepEqual((await get({ url }, '/collector/good')).map((e) => e.event), ['saved']);
    assert.deepEqual((await get({ url }, '/collector/bad')).map((e) => e.event), ['other']);
    child.kill('SIGTERM');
    assert.equal(await stopped, 0);
  });

  test('usage problems exit with 2 and say what to fix', async () => {
    const { code, stderr: err } = await runCollectorCli(['--port', 'eighty']);
    assert.equal(code, 2);
    assert.match(err, /--port must be a port number, got "eighty"/);
  });
});
