/**
 * Builds the end-to-end page once and serves it with the collector.
 */

import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createCollector } from '../../../js/collector.js';
import { bundlePage } from '../../../scripts/build.js';
import { launch } from './browser.js';

const here = fileURLToPath(new URL('.', import.meta.url));
/** Where the built test page lives. */
export const pageDir = join(here, '../../../target/e2e-page');

/** Bundles the test page (shim + analytics-next) and starts a collector serving it. */
export async function startServer() {
  mkdirSync(pageDir, { recursive: true });
  await bundlePage(join(here, 'page.js'), pageDir);
  writeFileSync(
    join(pageDir, 'index.html'),
    '<!doctype html><meta charset="utf-8"><link rel="icon" href="data:,"><script type="module" src="page.js"></script>',
  );
  return createCollector({ port: 0, staticDir: pageDir, quiet: true });
}

/** Launches Chromium and starts the test page's server, together. */
export async function startBrowserAndServer() {
  const [browser, server] = await Promise.all([launch(), startServer()]);
  return { browser, server };
}

/**
 * Empties the collector for the next test once the previous test's traffic has settled:
 * analytics-next may still be delivering (retries, the keepalive flush of a page being
 * closed), and an event of one test arriving during the next must not count there.
 * Waits until nothing has arrived for `quietMs` (at most `maxMs`), then resets.
 * @param {{ received: unknown[], reset: () => void }} server
 */
export async function resetWhenQuiet(server, quietMs = 400, maxMs = 10_000) {
  const started = Date.now();
  let seen = server.received.length;
  let stableSince = Date.now();
  while (Date.now() - stableSince < quietMs && Date.now() - started < maxMs) {
    await new Promise((r) => setTimeout(r, 50));
    if (server.received.length !== seen) {
      seen = server.received.length;
      stableSince = Date.now();
    }
  }
  server.reset();
}

/** Closes what {@link startBrowserAndServer} started (either may be missing). */
export async function stopBrowserAndServer(browser, server) {
  await browser?.close();
  await server?.close();
}
