// The inspector imported by an app (`import { openInspector } from 'trackplan/inspector'`)
// under webpack's dev server, in headless Chromium, for three `devtool`s of webpack 5 in
// development mode:
//
// - `eval-source-map`: each module runs in an `eval` named `webpack-internal:///./src/main.js`
//   whose code webpack rewrote (imports hoisted, top-level await wrapped), with an inline
//   source map; the stack gives the rewritten line, DevTools and the inspector the original.
// - `source-map`: one bundle, `main.js`, with `main.js.map` beside it; the same.
// - webpack's default (`eval`): each module runs in an `eval` named
//   `webpack://trackplan-app/./src/main.js?` with no source map at all. DevTools shows the
//   position in that rewritten code (read here through the DevTools protocol), and so
//   does trackplan: `resolveCallSite` gives null and the inspector shows the site as is.
//
// The package is installed as a link to this checkout, as `npm link` would; webpack and its
// dev server are the repository's own (tests/bundlers/bundlers.test.js builds the same way).
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { launch, recordedPage } from './support/browser.js';
import { screenshot, shownCalls } from './support/inspector.js';

const root = fileURLToPath(new URL('../..', import.meta.url));
const require = createRequire(join(root, 'package.json'));
const work = mkdtempSync(join(tmpdir(), 'trackplan-inspector-webpack-'));

/** The app: the call is deep enough in the module that webpack's rewriting moves its line. */
const MAIN = `import { createTracker } from 'trackplan';
import { openInspector, resolveCallSite } from 'trackplan/inspector';

/** A stand-in for analytics.js: nothing is sent. */
const analytics = { track() {}, identify() {}, page() {}, group() {} };
const tracker = await createTracker({ analytics, environment: 'development' });
const inspector = openInspector(tracker, { focus: false });

function endCall(ended) {
  tracker.track('call ended', ended); // the call site
}

endCall({ episode_id: 'ep_1', call_id: 'c1', type: 'Patient' });
const site = tracker.events().at(-1)?.callSite ?? '';
window.result = { site, mapped: await resolveCallSite(site), open: !inspector.closed };
`;

/** The call's line and column in src/main.js, 1-based. */
const source = MAIN.split('\n');
const LINE = source.findIndex((text) => text.includes('// the call site')) + 1;
const COLUMN = source[LINE - 1].indexOf('track(') + 1;

let browser;

before(async () => {
  mkdirSync(join(work, 'src'));
  mkdirSync(join(work, 'public'));
  mkdirSync(join(work, 'node_modules'));
  symlinkSync(root, join(work, 'node_modules/trackplan'), 'dir');
  writeFileSync(join(work, 'public/index.html'), '<!doctype html><meta charset="utf-8"><link rel="icon" href="data:,"><script src="/main.js"></script>');
  writeFileSync(join(work, 'src/main.js'), MAIN);
  browser = await launch();
});

after(async () => {
  await browser?.close();
  rmSync(work, { recursive: true, force: true });
});

/**
 * Serves the app with webpack's dev server in development mode with `devtool` (webpack's
 * default when undefined); resolves with its origin and what stops it.
 */
async function serve(devtool) {
  const webpack = require('webpack');
  const WebpackDevServer = require('webpack-dev-server');
  const compiler = webpack({
    mode: 'development',
    ...(devtool === undefined ? {} : { devtool }),
    context: work,
    entry: './src/main.js',
    output: { path: join(work, 'dist'), filename: 'main.js', uniqueName: 'trackplan-app' },
    performance: { hints: false },
    infrastructureLogging: { level: 'warn' },
    stats: 'errors-warnings',
  });
  const server = new WebpackDevServer(
    { static: join(work, 'public'), host: '127.0.0.1', port: 0, hot: false, liveReload: false, client: false, webSocketServer: false },
    compiler,
  );
  await server.start();
  return { origin: `http://127.0.0.1:${server.server.address().port}`, stop: () => server.stop() };
}

/**
 * Loads the app and waits for its result; with the DevTools protocol's Debugger on, so
 * that the source of each script the page ran (the `eval`s' included) can be read by URL.
 */
async function load(page, origin) {
  const cdp = await page.context().newCDPSession(page);
  const scripts = new Map();
  cdp.on('Debugger.scriptParsed', ({ scriptId, url }) => url && scripts.set(url, scriptId));
  await cdp.send('Debugger.enable');
  await page.goto(`${origin}/`);
  await page.waitForFunction(() => window.result, null, { timeout: 30_000 });
  const scriptSource = async (url) => (await cdp.send('Debugger.getScriptSource', { scriptId: scripts.get(url) })).scriptSource;
  return { result: await page.evaluate(() => window.result), scriptSource };
}

/** Where the source map's `src/main.js` is, for `resolveCallSite`, less webpack's `?hash`. */
const MAIN_SOURCE = 'webpack://trackplan-app/src/main.js';

const MAPPED = [
  { devtool: 'eval-source-map', generated: /^webpack-internal:\/\/\/\.\/src\/main\.js:(\d+):(\d+)$/ },
  { devtool: 'source-map', generated: /^http:\/\/127\.0\.0\.1:\d+\/main\.js:(\d+):(\d+)$/ },
];

for (const { devtool, generated } of MAPPED) {
  test(`under webpack's dev server with devtool '${devtool}', the inspector shows where a call was made in src/main.js`, async (t) => {
    const { origin, stop } = await serve(devtool);
    const { page, record, close } = await recordedPage(browser);
    try {
      await page.setViewportSize({ width: 1024, height: 700 });
      const { result } = await load(page, origin);

      // The browser's stack gives the position in the code webpack generated, on another line.
      const at = generated.exec(result.site);
      assert.ok(at, `a call site in webpack's code: ${result.site}`);
      assert.notEqual(Number(at[1]), LINE, 'webpack moved the call to another line');
      t.diagnostic(`call site: ${result.site} → src/main.js:${LINE}:${COLUMN}`);
      assert.equal(result.open, true);
      const { source: mappedSource, ...position } = result.mapped ?? {};
      assert.equal(mappedSource?.replace(/\?.*$/, ''), MAIN_SOURCE);
      assert.deepEqual(position, { line: LINE, column: COLUMN });

      // The inspector shows it once it has read the source map.
      await page.waitForFunction(() => document.querySelector('trackplan-inspector')?.shadowRoot.querySelector('.site-text[data-mapped]'));
      const [call] = await shownCalls(page);
      assert.equal(call.event, 'call ended');
      assert.equal(call.site, `src/main.js:${LINE}:${COLUMN}`);
      assert.equal(call.generated, `as the browser ran it: ${result.site}`);
      await screenshot(t, page, `webpack-${devtool}-call-site`);
      assert.deepEqual(record.errors, []);
    } finally {
      await close();
      await stop();
    }
  });
}

test("under webpack's dev server with its default devtool ('eval', no source map), the inspector shows the call site as DevTools does", async (t) => {
  const { origin, stop } = await serve(undefined);
  const { page, record, close } = await recordedPage(browser);
  try {
    await page.setViewportSize({ width: 1024, height: 700 });
    const { result, scriptSource } = await load(page, origin);

    // The module ran in an `eval` named after it; DevTools shows that code, webpack's
    // rewriting of src/main.js, and the call's position in it.
    const url = 'webpack://trackplan-app/./src/main.js?';
    const ran = (await scriptSource(url)).split('\n');
    const line = ran.findIndex((text) => text.includes('// the call site')) + 1;
    const column = ran[line - 1].indexOf('track(') + 1;
    assert.notEqual(line, LINE, 'webpack moved the call to another line');
    assert.doesNotMatch(ran.join('\n'), /sourceMappingURL/, 'no source map');
    assert.equal(result.site, `${url}:${line}:${column}`);
    t.diagnostic(`call site: ${result.site} (src/main.js:${LINE}:${COLUMN} before webpack rewrote it)`);
    assert.equal(result.mapped, null);

    // The inspector shows the same: it asked the resolver the app awaited, which found no map.
    await page.waitForFunction(() => document.querySelector('trackplan-inspector')?.shadowRoot.querySelector('.site-text'));
    const [call] = await shownCalls(page);
    assert.equal(call.event, 'call ended');
    assert.equal(call.site, result.site);
    assert.equal(call.mapped, false);
    assert.equal(call.generated, '');
    await screenshot(t, page, 'webpack-eval-call-site');
    assert.deepEqual(record.errors, []);
  } finally {
    await close();
    await stop();
  }
});
