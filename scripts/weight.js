/**
 * What a page downloads of trackplan: the wasm and the package's own JS (bundled and
 * minified, analytics-next left out), raw and gzip -9. Shared by the weight test and
 * the benchmark.
 */

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import * as esbuild from 'esbuild';
import { root } from './toolchain.js';

/** Raw and gzip -9 sizes of a buffer. */
export function weigh(bytes) {
  return { raw: bytes.length, gzip: gzipSync(bytes, { level: 9 }).length };
}

/** A minified ESM bundle of `entry`, without the `external` packages, weighed. */
export async function bundleWeight(entry, external = []) {
  const result = await esbuild.build({
    entryPoints: [entry],
    bundle: true,
    minify: true,
    format: 'esm',
    platform: 'browser',
    target: 'es2022',
    write: false,
    external,
    logLevel: 'error',
  });
  return weigh(Buffer.from(result.outputFiles[0].contents));
}

/** The browser's download of trackplan: `{ wasm, js, total }`, each `{ raw, gzip }`. */
export async function sdkWeight() {
  const wasm = weigh(readFileSync(join(root, 'js/wasm/trackplan_bg.wasm')));
  const js = await bundleWeight(join(root, 'js/index.js'), ['@segment/analytics-next']);
  return { wasm, js, total: { raw: wasm.raw + js.raw, gzip: wasm.gzip + js.gzip } };
}
