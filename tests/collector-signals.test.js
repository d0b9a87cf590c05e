// `trackplan collector` stops on SIGTERM and SIGINT and exits 0, whether started directly
// (`node js/node/cli.js collector`) or through npx from an app that installed the packed
// package; and that app can import `trackplan/collector`. Every collector runs in a
// process group of its own, killed if it outlives its stop, so no test here can hang.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import http from 'node:http';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { startCollectorCli, startCollectorProcess, stoppedWithin } from './e2e/support/cli.js';

const root = fileURLToPath(new URL('..', import.meta.url));
/** Every collector started here, killed (its whole group) at the end whatever happened. */
const started = [];
after(() => started.forEach((running) => running.killGroup()));

/** Starts a collector and registers it for the final clean-up. */
async function start(starting) {
  const running = await starting;
  started.push(running);
  return running;
}

/** Whether something accepts connections at `url`. */
function accepts(url) {
  return new Promise((resolve) => {
    const req = http.get(`${url}/collector/all`, (res) => res.resume().on('end', () => resolve(true)));
    req.on('error', () => resolve(false));
  });
}

/**
 * Begins a POST and never finishes it: a request in progress, which `server.close()`
 * alone would wait on. Resolves once the server has its headers (its `100 Continue`).
 */
function halfSentRequest(url) {
  return new Promise((resolve) => {
    const headers = { 'Content-Type': 'application/json', 'Content-Length': 1000, Expect: '100-continue' };
    const req = http.request(`${url}/v1/t`, { method: 'POST', headers });
    req.on('error', () => {});
    req.on('continue', () => {
      req.write('{"type":"track",');
      resolve(req);
    });
    req.flushHeaders();
  });
}

describe('trackplan collector, started directly', () => {
  for (const signal of ['SIGTERM', 'SIGINT']) {
    test(`${signal} stops it, with a request still open, and it exits 0`, async () => {
      const running = await start(startCollectorCli(['--port', '0']));
      await halfSentRequest(running.url);
      running.child.kill(signal);
      assert.equal(await stoppedWithin(running), 0);
      assert.match(running.output(), new RegExp(`collector stopped \\(${signal}\\)`));
      assert.equal(await accepts(running.url), false);
    });
  }
});

describe('npx trackplan collector, from an app with the packed package installed', () => {
  let app;
  before(() => {
    app = mkdtempSync(join(tmpdir(), 'trackplan-npx-'));
    const [pack] = JSON.parse(
      execFileSync('npm', ['pack', '--json', '--ignore-scripts', '--pack-destination', app], { cwd: root, encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] }),
    );
    writeFileSync(join(app, 'package.json'), JSON.stringify({ name: 'host-app', private: true, type: 'module' }));
    // The peer dependency (analytics-next) is the browser's business: not needed here.
    execFileSync(
      'npm',
      ['install', '--prefer-offline', '--no-audit', '--no-fund', '--ignore-scripts', '--omit=peer', '--loglevel=error', join(app, pack.filename)],
      { cwd: app, stdio: 'inherit' },
    );
  });
  after(() => app && rmSync(app, { recursive: true, force: true }));

  const npx = (args) => start(startCollectorProcess('npx', args, { cwd: app }));
  const COMMAND = ['trackplan', 'collector', '--port', '0'];

  test('the app imports trackplan/collector and asserts on what it received', () => {
    const script = `
      import { createCollector } from 'trackplan/collector';
      const c = await createCollector({ port: 0, quiet: true });
      await fetch(c.url + '/v1/t', { method: 'POST', body: JSON.stringify({ event: 'call started', properties: { episode_id: 'ep_1' } }) });
      const event = await c.expectReceived('call started', { episode_id: 'ep_1' });
      await c.close();
      console.log(event.type);`;
    const out = execFileSync(process.execPath, ['--input-type=module', '-e', script], { cwd: app, encoding: 'utf8' });
    assert.equal(out.trim(), 'track');
  });

  test('SIGTERM to the npx process alone stops the collector under it', async () => {
    const running = await npx(COMMAND);
    // npm passes the signal to the shell it runs the command in, which dies of it without
    // passing it on: the collector notices it lost its parent and stops as for a signal.
    running.child.kill('SIGTERM');
    await stoppedWithin(running);
    assert.match(running.output(), /collector stopped \(launcher gone\)/);
    assert.equal(await accepts(running.url), false);
  });

  for (const signal of ['SIGTERM', 'SIGINT']) {
    test(`${signal} to the process group (as Ctrl-C, or Playwright's webServer) stops it`, async () => {
      const running = await npx(COMMAND);
      process.kill(-running.child.pid, signal);
      await stoppedWithin(running);
      assert.match(running.output(), new RegExp(`collector stopped \\(${signal}\\)`));
      assert.equal(await accepts(running.url), false);
    });

    test(`${signal} to \`npx -c 'exec trackplan collector'\` stops it, and npx exits 0`, async () => {
      const running = await npx(['-c', `exec ${COMMAND.join(' ')}`]);
      running.child.kill(signal);
      assert.equal(await stoppedWithin(running), 0);
      assert.match(running.output(), new RegExp(`collector stopped \\(${signal}\\)`));
    });
  }
});
