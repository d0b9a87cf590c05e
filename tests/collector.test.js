// Tests for js/node/collector/index.js — run with `node --test tests/`.
import { test, describe, before, after, beforeEach } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import { createCollector, collectorSettings } from '../js/node/collector/index.js';

/** Raw HTTP request that does NOT normalise the path (unlike fetch/URL). */
function raw(port, { method = 'GET', path: p = '/', headers = {}, body } = {}) {
  return new Promise((resolve, reject) => {
    const req = http.request({ host: '127.0.0.1', port, method, path: p, headers }, (res) => {
      const chunks = [];
      res.on('data', (c) => chunks.push(c));
      res.on('end', () =>
        resolve({ status: res.statusCode, headers: res.headers, body: Buffer.concat(chunks) })
      );
    });
    req.on('error', reject);
    if (body !== undefined) req.write(body);
    req.end();
  });
}

const basic = (key) => 'Basic ' + Buffer.from(`${key}:`).toString('base64');

describe('collector', () => {
  let tmp;
  let c;

  before(async () => {
    // tmp/secret.json sits next to the static root and must never be served.
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'collector-test-'));
    fs.writeFileSync(path.join(tmp, 'package.json'), '{"secret":true}');
    const root = path.join(tmp, 'www');
    fs.mkdirSync(path.join(root, 'sub'), { recursive: true });
    fs.writeFileSync(path.join(root, 'index.html'), '<!doctype html><title>root</title>');
    fs.writeFileSync(path.join(root, 'sub', 'index.html'), '<p>sub</p>');
    fs.writeFileSync(path.join(root, 'app.js'), 'export const x = 1;');
    // Minimal valid wasm module: magic + version.
    fs.writeFileSync(
      path.join(root, 'mod.wasm'),
      Buffer.from([0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00])
    );
    c = await createCollector({ port: 0, staticDir: root, quiet: true });
  });

  after(async () => {
    await c.close();
    fs.rmSync(tmp, { recursive: true, force: true });
  });

  beforeEach(() => c.reset());

  test('port 0 reports the real port and url', () => {
    assert.ok(c.port > 0);
    assert.equal(c.url, `http://127.0.0.1:${c.port}`);
    assert.deepEqual(c.events(), []);
  });

  test('settings endpoint points analytics-next back at the collector', async () => {
    const res = await fetch(`${c.url}/v1/projects/wk_dev/settings`);
    assert.equal(res.status, 200);
    assert.match(res.headers.get('content-type'), /application\/json/);
    assert.equal(res.headers.get('cache-control'), 'no-store');
    const s = await res.json();
    const seg = s.integrations['Segment.io'];
    assert.deepEqual(Object.keys(s.integrations), ['Segment.io']);
    assert.equal(seg.apiKey, 'wk_dev');
    assert.equal(seg.apiHost, `127.0.0.1:${c.port}/v1`);
    assert.equal(seg.protocol, 'http');
    assert.deepEqual(seg.unbundledIntegrations, []);
    assert.equal(seg.addBundledMetadata, true);
    assert.deepEqual(seg.maybeBundledConfigIds, {});
    assert.deepEqual(seg.versionSettings, { version: '4.4.7', componentTypes: ['browser'] });
    assert.deepEqual(s.plan.track.__default, { enabled: true, integrations: {} });
    assert.equal(s.plan.identify.__default.enabled, true);
    assert.equal(s.plan.group.__default.enabled, true);
    assert.equal(s.analyticsNextEnabled, true);
    assert.deepEqual(s.middlewareSettings, {});
    assert.deepEqual(s.enabledMiddleware, {});
    assert.equal(s.metrics.sampleRate, 0);
    assert.equal(s.legacyVideoPluginsEnabled, false);
    assert.deepEqual(s.remotePlugins, []);
    assert.deepEqual(s.edgeFunction, {});
    assert.deepEqual(s, collectorSettings(c.url, 'wk_dev'));
  });

  test('collectorSettings keeps a path prefix and https', () => {
    const s = collectorSettings('https://example.test/proxy/', 'k');
    assert.equal(s.integrations['Segment.io'].apiHost, 'example.test/proxy/v1');
    assert.equal(s.integrations['Segment.io'].protocol, 'https');
  });

  test('settings writeKey is URL-decoded', async () => {
    const s = await (await fetch(`${c.url}/v1/projects/a%20b/settings`)).json();
    assert.equal(s.integrations['Segment.io'].apiKey, 'a b');
  });

  test('single event posts (letter and long paths) are recorded with writeKey', async () => {
    const t = { type: 'track', event: 'Signed Up', properties: { plan: 'pro' }, writeKey: 'wk_a' };
    const res = await fetch(`${c.url}/v1/t`, {
      method: 'POST',
      headers: { 'content-type': 'text/plain' },
      body: JSON.stringify(t),
    });
    assert.equal(res.status, 200);
    assert.deepEqual(await res.json(), { success: true });

    // No type and no writeKey in the body: type from the path, key from Basic auth.
    const res2 = await fetch(`${c.url}/v1/identify`, {
      method: 'POST',
      headers: { authorization: basic('wk_auth') },
      body: JSON.stringify({ userId: 'u1', traits: { email: 'a@b.c' } }),
    });
    assert.equal(res2.status, 200);

    for (const p of ['p', 'g', 'page', 'group']) {
      const r = await fetch(`${c.url}/v1/${p}`, {
        method: 'POST',
        body: JSON.stringify({ writeKey: 'wk_a', name: p }),
      });
      assert.equal(r.status, 200, p);
    }

    assert.equal(c.events().length, 6);
    const [e0, e1] = c.events();
    assert.equal(e0.type, 'track');
    assert.equal(e0.event, 'Signed Up');
    assert.equal(e0.writeKey, 'wk_a');
    assert.deepEqual(e0.properties, { plan: 'pro' });
    assert.ok(!Number.isNaN(Date.parse(e0.receivedAt)));
    assert.equal(e1.type, 'identify');
    assert.equal(e1.writeKey, 'wk_auth');
    assert.deepEqual(
      c.events().slice(2).map((e) => e.type),
      ['page', 'group', 'page', 'group']
    );
  });

  test('body writeKey wins over the Authorization header for single events', async () => {
    await fetch(`${c.url}/v1/t`, {
      method: 'POST',
      headers: { authorization: basic('from_header') },
      body: JSON.stringify({ type: 'track', event: 'X', writeKey: 'from_body' }),
    });
    assert.equal(c.events()[0].writeKey, 'from_body');
  });

  test('batch posts are flattened; each event gets the batch writeKey', async () => {
    for (const p of ['/v1/b', '/v1/batch']) {
      const res = await fetch(c.url + p, {
        method: 'POST',
        headers: { 'content-type': 'text/plain', authorization: basic('wk_batch') },
        body: JSON.stringify({
          writeKey: 'wk_batch',
          sentAt: new Date().toISOString(),
          batch: [
            { type: 'track', event: 'A' },
            { type: 'identify', userId: 'u' },
            { type: 'page', name: 'Home' },
          ],
        }),
      });
      assert.equal(res.status, 200);
      assert.deepEqual(await res.json(), { success: true });
    }
    assert.equal(c.events().length, 6);
    assert.deepEqual(
      c.events().map((e) => e.type),
      ['track', 'identify', 'page', 'track', 'identify', 'page']
    );
    assert.ok(c.events().every((e) => e.writeKey === 'wk_batch'));

    // Batch without a body writeKey: falls back to the Basic auth header.
    c.reset();
    await fetch(`${c.url}/v1/batch`, {
      method: 'POST',
      headers: { authorization: basic('hdr') },
      body: JSON.stringify({ batch: [{ type: 'track', event: 'B' }] }),
    });
    assert.equal(c.events()[0].writeKey, 'hdr');
  });

  test('bad batch shape is a 400', async () => {
    const res = await fetch(`${c.url}/v1/b`, { method: 'POST', body: '{"batch":{}}' });
    assert.equal(res.status, 400);
    assert.equal(c.events().length, 0);
  });

  test('/collector/all lists oldest first and supports filters; reset clears', async () => {
    const post = (e) =>
      fetch(`${c.url}/v1/t`, { method: 'POST', body: JSON.stringify(e) }).then((r) => r.status);
    assert.equal(await post({ type: 'track', event: 'One', writeKey: 'k1' }), 200);
    assert.equal(await post({ type: 'track', event: 'Two', writeKey: 'k2' }), 200);
    assert.equal(await post({ type: 'identify', userId: 'u', writeKey: 'k1' }), 200);

    const all = await (await fetch(`${c.url}/collector/all`)).json();
    assert.deepEqual(
      all.map((e) => e.event ?? e.type),
      ['One', 'Two', 'identify']
    );

    const tracks = await (await fetch(`${c.url}/collector/all?type=track`)).json();
    assert.equal(tracks.length, 2);
    const k1 = await (await fetch(`${c.url}/collector/all?writeKey=k1`)).json();
    assert.equal(k1.length, 2);
    const two = await (
      await fetch(`${c.url}/collector/all?type=track&event=Two&writeKey=k2`)
    ).json();
    assert.deepEqual(
      two.map((e) => e.event),
      ['Two']
    );
    const none = await (await fetch(`${c.url}/collector/all?event=Nope`)).json();
    assert.deepEqual(none, []);

    const res = await fetch(`${c.url}/collector/reset`, { method: 'POST' });
    assert.equal(res.status, 204);
    assert.equal(c.events().length, 0);
    assert.deepEqual(await (await fetch(`${c.url}/collector/all`)).json(), []);
  });

  test('malformed JSON is a 400 and the server keeps working', async () => {
    for (const body of ['{not json', '', '[1,2]', '42', 'null']) {
      const res = await fetch(`${c.url}/v1/t`, { method: 'POST', body });
      assert.equal(res.status, 400, JSON.stringify(body));
    }
    const bad = await raw(c.port, { method: 'POST', path: '/v1/b', body: '\xff\xfe{' });
    assert.equal(bad.status, 400);
    const ok = await fetch(`${c.url}/v1/t`, {
      method: 'POST',
      body: JSON.stringify({ type: 'track', event: 'Still Alive', writeKey: 'k' }),
    });
    assert.equal(ok.status, 200);
    assert.equal(c.events().length, 1);
    assert.equal(c.events()[0].event, 'Still Alive');
  });

  test('bodies over 512 KB get 413', async () => {
    const big = JSON.stringify({
      type: 'track',
      event: 'Big',
      properties: { blob: 'x'.repeat(513 * 1024) },
    });
    const res = await fetch(`${c.url}/v1/t`, { method: 'POST', body: big });
    assert.equal(res.status, 413);
    // Chunked (no Content-Length) oversize body is also refused.
    const chunked = await raw(c.port, {
      method: 'POST',
      path: '/v1/t',
      headers: { 'transfer-encoding': 'chunked' },
      body: big,
    });
    assert.equal(chunked.status, 413);
    assert.equal(c.events().length, 0);
    const ok = await fetch(`${c.url}/v1/t`, {
      method: 'POST',
      body: JSON.stringify({ type: 'track', event: 'Small', writeKey: 'k' }),
    });
    assert.equal(ok.status, 200);
  });

  test('metrics endpoint is accepted and not recorded', async () => {
    const res = await fetch(`${c.url}/v1/m`, { method: 'POST', body: '{"series":[]}' });
    assert.equal(res.status, 200);
    assert.equal(c.events().length, 0);
  });

  test('CORS preflight and headers on responses', async () => {
    const pre = await raw(c.port, {
      method: 'OPTIONS',
      path: '/v1/t',
      headers: {
        origin: 'http://localhost:3000',
        'access-control-request-method': 'POST',
        'access-control-request-headers': 'content-type,authorization',
      },
    });
    assert.equal(pre.status, 204);
    assert.equal(pre.headers['access-control-allow-origin'], 'http://localhost:3000');
    assert.match(pre.headers['access-control-allow-methods'], /POST/);
    assert.match(pre.headers['access-control-allow-headers'], /content-type/i);
    assert.match(pre.headers['access-control-allow-headers'], /authorization/i);

    const noOrigin = await raw(c.port, { method: 'OPTIONS', path: '/v1/projects/k/settings' });
    assert.equal(noOrigin.status, 204);
    assert.equal(noOrigin.headers['access-control-allow-origin'], '*');
    assert.match(noOrigin.headers['access-control-allow-headers'], /content-type/i);

    const get = await fetch(`${c.url}/v1/projects/k/settings`, {
      headers: { origin: 'http://other.test:9000' },
    });
    assert.equal(get.headers.get('access-control-allow-origin'), 'http://other.test:9000');
    const post = await fetch(`${c.url}/v1/t`, {
      method: 'POST',
      headers: { origin: 'http://other.test:9000' },
      body: '{"type":"track","event":"E"}',
    });
    assert.equal(post.headers.get('access-control-allow-origin'), 'http://other.test:9000');
  });

  test('static files: MIME types, index.html, no-store', async () => {
    const wasm = await fetch(`${c.url}/mod.wasm`);
    assert.equal(wasm.status, 200);
    assert.equal(wasm.headers.get('content-type'), 'application/wasm');
    assert.equal(wasm.headers.get('cache-control'), 'no-store');
    const bytes = new Uint8Array(await wasm.arrayBuffer());
    assert.ok(WebAssembly.validate(bytes));

    const js = await fetch(`${c.url}/app.js`);
    assert.match(js.headers.get('content-type'), /^text\/javascript/);

    const index = await fetch(`${c.url}/`);
    assert.equal(index.status, 200);
    assert.match(index.headers.get('content-type'), /^text\/html/);
    assert.match(await index.text(), /<title>root<\/title>/);

    const sub = await raw(c.port, { path: '/sub' });
    assert.equal(sub.status, 301);
    assert.equal(sub.headers.location, '/sub/');
    const subIndex = await fetch(`${c.url}/sub/`);
    assert.equal(await subIndex.text(), '<p>sub</p>');

    assert.equal((await fetch(`${c.url}/missing.js`)).status, 404);
  });

  test('path traversal attempts get 404', async () => {
    for (const p of [
      '/../package.json',
      '/%2e%2e/package.json',
      '/..%2fpackage.json',
      '/sub/../../package.json',
      '/..\\package.json',
      '/%00index.html',
    ]) {
      const res = await raw(c.port, { path: p });
      assert.equal(res.status, 404, p);
      assert.ok(!res.body.toString().includes('secret'), p);
    }
  });

  test('unknown routes get 404', async () => {
    assert.equal((await fetch(`${c.url}/v1/zzz`, { method: 'POST', body: '{}' })).status, 404);
    assert.equal((await fetch(`${c.url}/collector/all`, { method: 'POST' })).status, 404);
  });
});

test('without staticDir, other GETs are 404', async () => {
  const c = await createCollector({ port: 0, quiet: true });
  try {
    assert.equal((await fetch(`${c.url}/index.html`)).status, 404);
    assert.equal((await fetch(`${c.url}/v1/projects/x/settings`)).status, 200);
  } finally {
    await c.close();
  }
});

test('close() resolves even with keep-alive connections open', async () => {
  const c = await createCollector({ port: 0, quiet: true });
  const agent = new http.Agent({ keepAlive: true });
  await new Promise((resolve) =>
    http.get({ host: '127.0.0.1', port: c.port, path: '/collector/all', agent }, (res) => {
      res.resume();
      res.on('end', resolve);
    })
  );
  await c.close();
  agent.destroy();
});

test('listening on a busy port rejects', async () => {
  const a = await createCollector({ port: 0, quiet: true });
  try {
    await assert.rejects(createCollector({ port: a.port, quiet: true }), /EADDRINUSE/);
  } finally {
    await a.close();
  }
});
