/**
 * `npm start`: installs what is missing, builds, and serves the demo in www/ with the
 * local Segment-compatible collector, so events flow through the real analytics-next
 * without a Segment account.
 */

import { join } from 'node:path';
import { createCollector } from '../js/node/collector/index.js';
import { ensureToolchain, root } from './toolchain.js';

ensureToolchain();
// Only now: build.js needs the npm dependencies that ensureToolchain installs.
const { buildDemo, buildPackage } = await import('./build.js');
await buildPackage();
await buildDemo();
const port = Number(process.env.PORT ?? 8787);
const collector = await createCollector({ port, staticDir: join(root, 'www') });
console.log(`\ntrackplan demo: ${collector.url}/\ncollected events: ${collector.url}/collector/all\n(Ctrl-C to stop)`);
