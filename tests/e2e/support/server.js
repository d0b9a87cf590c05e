/**
 * Builds the end-to-end page once and serves it with the collector.
 */

import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, beforeEach } from 'node:test';
import { fileURLToPath } from 'node:url';
import { createCollector } from '../../../js/node/collector/index.js';
import { bundlePage } from '../../../scripts/build.js';
import { launch } from './browser.js';

const here = fileURLToPath(new URL('.', import.meta.url));
/** Where the built test page lives. */
const pageDir = join(here, '../../../target/e2e-page');

/** Bundles the test page (shim + analytics-next) and starts a collector serving it. */
async function startServer() {
  mkdirSync(pageDir, { recursive: true });
  await bundlePage(join(here, 'page.js'), pageDir);
  writeFileSync(
    join(pageDir, 'index.html'),
    '<!doctype html><meta charset="utf-8"><link rel="icon" href="data:,"><script type="module" src="page.js"></script>',
  );
  return createCollector({ port: 0, staticDir: pageDir, quiet: true });
}

/**
 * Registers a test file's hooks: Chromium and the test page's server start before its
 * first test and stop after its last; with `resetBetweenTests`, the collector is emptied
 * before each test once the previous test's traffic has settled (see `resetWhenQuiet`).
 * Returns the stage: `browser` and `server` once started, and `collected(query)`, the
 * events the collector holds (`/collector/all` with its filters).
 * @param {{ resetBetweenTests?: boolean }} [options]
 */
export function useBrowserAndServer({ resetBetweenTests = false } = {}) {
  const stage = {
    browser: null,
    server: null,
    async collected(query = '') {
      return (await fetch(`${stage.server.url}/collector/all${query}`)).json();
    },
  };
  before(async () => {
    const [browser, server] = await Promise.all([launch(), startServer()]);
    Object.assign(stage, { browser, server });
  });
  after(async () => {
    await stage.browser?.close();
    await stage.server?.close();
  });
  if (resetBetweenTests) beforeEach(() => resetWhenQuiet(stage.server));
  return stage;
}

/**
 * Empties the collector for the next test once the previous test's traffic has settled:
 * analytics-next may still be delivering (retries, the keepalive flush of a page being
 * closed), and an event of one test arriving during the next must not count there.
 * Waits until nothing has arrived for `quietMs` (at most `maxMs`), then resets.
 * @param {{ events: () => unknown[], reset: () => void }} server
 */
async function resetWhenQuiet(server, quietMs = 400, maxMs = 10_000) {
  const started = Date.now();
  let seen = server.events().length;
  let stableSince = Date.now();
  while (Date.now() - stableSince < quietMs && Date.now() - started < maxMs) {
    await new Promise((r) => setTimeout(r, 50));
    if (server.events().length !== seen) {
      seen = server.events().length;
      stableSince = Date.now();
    }
  }
  server.reset();
}
