/**
 * Builds the demo (www/) once into target/e2e-demo and serves it with the collector,
 * as `npm start` does.
 */

import { copyFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createCollector } from '../../../js/node/collector/index.js';
import { bundlePage } from '../../../scripts/build.js';

const repo = fileURLToPath(new URL('../../../', import.meta.url));
/** Where the built demo lives. */
export const demoDir = join(repo, 'target/e2e-demo');

/** Bundles the demo into {@link demoDir}: a host app for the tests. */
export async function buildDemoApp() {
  mkdirSync(demoDir, { recursive: true });
  await bundlePage(join(repo, 'www/demo.js'), join(demoDir, 'dist'));
  copyFileSync(join(repo, 'www/index.html'), join(demoDir, 'index.html'));
  return demoDir;
}

/** Bundles the demo and starts a collector serving it; resolves with the collector. */
export async function startDemo() {
  await buildDemoApp();
  return createCollector({ port: 0, staticDir: demoDir, quiet: true });
}

/** The directory test artifacts (screenshots) go to; gitignored. */
export const artifactsDir = join(repo, 'test-results');
