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

/** Closes what {@link startBrowserAndServer} started (either may be missing). */
export async function stopBrowserAndServer(browser, server) {
  await browser?.close();
  await server?.close();
}
