/**
 * What a page downloads of trackplan: the wasm and the package's own JS (bundled and
 * minified, analytics-next left out), raw and gzip -9; with the embedded plan, what a
 * plan given at run time loads lazily on top, and what the console tools (help, debug
 * logging) load when a developer first asks for them. Shared by the weight test and the
 * benchmark.
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

/** Sums `{ raw, gzip }` weights. */
function sum(weights) {
  return weights.reduce((a, b) => ({ raw: a.raw + b.raw, gzip: a.gzip + b.gzip }), { raw: 0, gzip: 0 });
}

/**
 * The package's own JS as a page gets it from a bundler that splits code (esbuild,
 * minified, analytics-next left out), weighed per chunk: `eager`, the entry chunk and
 * the chunks it imports statically; `fullCore` and `consoleTools`, the chunks a dynamic
 * `import()` of the full core's glue or of the console tools fetches beyond those. Each
 * is `{ raw, gzip }`, summed over its chunks (a browser fetches and decompresses each
 * chunk on its own).
 */
async function splitBundleWeight() {
  const result = await esbuild.build({
    entryPoints: [join(root, 'js/index.js')],
    bundle: true,
    splitting: true,
    minify: true,
    format: 'esm',
    platform: 'browser',
    target: 'es2022',
    outdir: join(root, 'target/weight'),
    absWorkingDir: root,
    write: false,
    metafile: true,
    external: ['@segment/analytics-next'],
    logLevel: 'error',
  });
  const outputs = result.metafile.outputs;
  const entry = Object.keys(outputs).find((path) => outputs[path].entryPoint === 'js/index.js');
  const eager = reachable([entry], outputs, ['import-statement']);
  const lazy = (input) => {
    const start = Object.keys(outputs).find((path) => outputs[path].entryPoint === input);
    return reachable([start], outputs, ['import-statement']).filter((path) => !eager.includes(path));
  };
  const weightOf = (paths) =>
    sum(paths.map((path) => weigh(Buffer.from(result.outputFiles.find((file) => file.path === join(root, path)).contents))));
  return {
    eager: weightOf(eager),
    fullCore: weightOf(lazy('js/wasm/trackplan_full.js')),
    consoleTools: weightOf(lazy('js/console-tools.js')),
  };
}

/** The output chunks reached from `starts` through imports of the given kinds (externals left out). */
function reachable(starts, outputs, kinds) {
  const seen = new Set(starts);
  for (const path of seen) {
    for (const { path: imported, kind, external } of outputs[path].imports) {
      if (!external && kinds.includes(kind)) seen.add(imported);
    }
  }
  return [...seen];
}

/**
 * What trackplan costs a page, each `{ raw, gzip }`: `{ wasm, js, total }`, the download
 * of a production page that uses the embedded plan (the default core's wasm and the JS
 * it loads eagerly); `lazy: { wasm, js, total }`, what a page that passes a plan at run
 * time, or runs outside production, fetches lazily (the full core's glue chunk and wasm,
 * in place of the default core's wasm); and `consoleTools`, the JS fetched when a page first logs in debug mode or
 * prints `help()`.
 */
export async function sdkWeight() {
  const split = await splitBundleWeight();
  const wasm = weigh(readFileSync(join(root, 'js/wasm/trackplan_bg.wasm')));
  const fullWasm = weigh(readFileSync(join(root, 'js/wasm/trackplan_full_bg.wasm')));
  return {
    wasm,
    js: split.eager,
    total: sum([wasm, split.eager]),
    lazy: { wasm: fullWasm, js: split.fullCore, total: sum([fullWasm, split.fullCore]) },
    consoleTools: split.consoleTools,
  };
}
