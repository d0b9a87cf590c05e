/**
 * The benchmark's pages, for `npm run bench` and its test: bench/page.js's measurements
 * in a page bound to one plan binding, bundled as an app's bundler does.
 */

import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { bundlePage, demoPlanPath } from '../scripts/build.js';
import { root } from '../scripts/toolchain.js';

/**
 * Writes into `dir` a page whose `window.bench` makes bench/page.js's measurements with
 * the binding `binding` (a directory `trackplan build` wrote; the package's demo binding
 * by default): its entry imports the binding as an app does, and the binding's two cores
 * sit beside the bundle. `plan.json`, the demo plan, is what ajv compiles. A binding
 * outside js/ must be inside this checkout, where `trackplan/sdk` resolves to it.
 * @param {string} dir
 * @param {string} [binding]
 */
export async function benchPage(dir, binding = join(root, 'js/demo')) {
  const entry = join(dir, 'src/page.js');
  mkdirSync(join(dir, 'src'), { recursive: true });
  writeFileSync(
    entry,
    `import * as binding from ${JSON.stringify(join(binding, 'index.js'))};\n` +
      `import { benchFor } from ${JSON.stringify(join(root, 'bench/page.js'))};\n\n` +
      'window.bench = benchFor(binding);\nwindow.benchReady = true;\n',
  );
  await bundlePage(entry, dir, { binding });
  writeFileSync(join(dir, 'plan.json'), readFileSync(demoPlanPath));
  writeFileSync(
    join(dir, 'index.html'),
    '<!doctype html><meta charset="utf-8"><link rel="icon" href="data:,"><script type="module" src="page.js"></script>',
  );
}
