// The inspector imported by an app (`import { openInspector } from 'trackplan/inspector'`)
// under Vite's dev server, in headless Chromium: the app is TypeScript, which Vite serves
// transformed with an inline source map, so the line the browser's stack gives for a call
// is not the line in the file; the inspector shows the original `/src/main.ts:line:column`
// (as DevTools does), and `resolveCallSite` gives the same. The package is installed as a
// link to this checkout, as `npm link` would.
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { launch, recordedPage } from './support/browser.js';
import { screenshot, shownCalls } from './support/inspector.js';

const root = fileURLToPath(new URL('../..', import.meta.url));
const work = mkdtempSync(join(tmpdir(), 'trackplan-inspector-vite-'));

/** The app: types that the transform drops before the call, so that its lines move. */
const MAIN = `import { createTracker } from 'trackplan';
import { openInspector, resolveCallSite } from 'trackplan/inspector';

/** A stand-in for analytics.js: nothing is sent. */
interface AnalyticsLike {
  track(...args: unknown[]): void;
  identify(...args: unknown[]): void;
  page(...args: unknown[]): void;
  group(...args: unknown[]): void;
}

/** What ends a call. */
type Ended = {
  episode_id: string;
  call_id: string;
  type: string;
};

const analytics: AnalyticsLike = { track() {}, identify() {}, page() {}, group() {} };
const tracker = await createTracker({ analytics, environment: 'development' });
const inspector = openInspector(tracker, { focus: false });

function endCall(ended: Ended): void {
  tracker.track('call ended', ended); // the call site
}

endCall({ episode_id: 'ep_1', call_id: 'c1', type: 'Patient' });
const site: string = tracker.events().at(-1)?.callSite ?? '';
(window as any).result = { site, mapped: await resolveCallSite(site), open: !inspector.closed };
`;

let browser;
let server;

before(async () => {
  mkdirSync(join(work, 'src'));
  mkdirSync(join(work, 'node_modules'));
  symlinkSync(root, join(work, 'node_modules/trackplan'), 'dir');
  writeFileSync(join(work, 'index.html'), '<!doctype html><meta charset="utf-8"><link rel="icon" href="data:,"><script type="module" src="/src/main.ts"></script>');
  writeFileSync(join(work, 'src/main.ts'), MAIN);
  const { createServer } = await import(join(root, 'node_modules/vite/dist/node/index.js'));
  server = await createServer({
    root: work,
    configFile: false,
    logLevel: 'warn',
    server: { host: '127.0.0.1', port: 0, fs: { allow: [work, root] } },
  });
  [browser] = await Promise.all([launch(), server.listen()]);
});

after(async () => {
  await browser?.close();
  await server?.close();
  rmSync(work, { recursive: true, force: true });
});

test('imported under a Vite dev server, the inspector shows where a call was made in the TypeScript source', async (t) => {
  const { page, record, close } = await recordedPage(browser);
  await page.setViewportSize({ width: 1024, height: 700 });
  await page.goto(`http://127.0.0.1:${server.httpServer.address().port}/`);
  await page.waitForFunction(() => window.result, null, { timeout: 30_000 });
  const result = await page.evaluate(() => window.result);
  const source = readFileSync(join(work, 'src/main.ts'), 'utf8').split('\n');
  const line = source.findIndex((text) => text.includes('// the call site')) + 1;
  const column = source[line - 1].indexOf('track(') + 1;

  // The browser's stack gives the transformed module's position, on another line.
  const generated = /\/src\/main\.ts:(\d+):(\d+)$/.exec(result.site);
  assert.ok(generated, `a call site in main.ts: ${result.site}`);
  assert.notEqual(Number(generated[1]), line, 'the transform moved the call to another line');
  t.diagnostic(`call site: ${result.site} → /src/main.ts:${line}:${column}`);
  assert.equal(result.open, true);
  assert.deepEqual(result.mapped, { source: new URL('/src/main.ts', page.url()).href, line, column });

  // The inspector shows it once it has read the source map.
  await page.waitForFunction(() => document.querySelector('trackplan-inspector')?.shadowRoot.querySelector('.site-text[data-mapped]'));
  const [call] = await shownCalls(page);
  assert.equal(call.event, 'call ended');
  assert.equal(call.site, `/src/main.ts:${line}:${column}`);
  assert.equal(call.generated, `as the browser ran it: ${result.site}`);
  await screenshot(t, page, 'vite-call-site');
  assert.deepEqual(record.errors, []);
  await close();
});
