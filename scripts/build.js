/**
 * Builds the package and the demo: the release wasm of both cores (cargo, wasm-bindgen,
 * wasm-opt -Oz) into js/wasm/ with the embedded plan's types (js/embedded-plan.d.ts),
 * then the demo bundle into www/dist/.
 *
 * `node scripts/build.js` installs missing tools first; `--no-demo` builds only the package.
 */

import { copyFileSync, mkdirSync, openSync, closeSync } from 'node:fs';
import { join } from 'node:path';
import { ensureToolchain, root, run } from './toolchain.js';

/**
 * Builds js/wasm/ from the Rust crate: `trackplan`, the default core (the embedded plan
 * only), and `trackplan_full`, the full core (the `full` feature: plans given at run
 * time, `lintPlan`, `planRules`) for pages that pass a plan and for the Node CLI.
 */
export function buildWasm() {
  buildWasmModule('trackplan', []);
  buildWasmModule('trackplan_full', ['--features', 'full']);
  buildEmbeddedPlanTypes();
}

/**
 * Builds one wasm module as `<name>.js` and `<name>_bg.wasm`, into js/wasm/ unless
 * `outDir` says otherwise. `plan` embeds another plan than the default (as
 * `TRACKPLAN_PLAN` does), built in its own `targetDir` so that the package's build stays
 * incremental. `names` keeps the functions' names (a `name` section, which the package's
 * wasm does not ship) for the benchmark's profile of where the bytes go; build it in a
 * `targetDir` of its own too.
 * @param {string} name
 * @param {string[]} cargoArgs extra `cargo build` arguments
 * @param {{ outDir?: string, plan?: string, targetDir?: string, names?: boolean }} [options]
 */
export function buildWasmModule(name, cargoArgs, { outDir, plan, targetDir, names = false } = {}) {
  const target = targetDir ?? join(root, 'target');
  const env = {
    ...process.env,
    CARGO_TARGET_DIR: target,
    ...(plan ? { TRACKPLAN_PLAN: plan } : {}),
    ...(names ? { CARGO_PROFILE_RELEASE_STRIP: 'false' } : {}),
  };
  run('cargo', ['build', '--release', '--target', 'wasm32-unknown-unknown', ...cargoArgs], { env });
  const out = outDir ?? join(root, 'js/wasm');
  run('wasm-bindgen', [
    // The shim always says where the wasm is, and every browser it runs in has
    // TextEncoder.encodeInto: the glue needs neither a default path nor a fallback.
    '--target', 'web', '--omit-default-module-path', '--encode-into', 'always',
    '--out-dir', out, '--out-name', name, '--no-typescript',
    join(target, 'wasm32-unknown-unknown/release/trackplan.wasm'),
  ]);
  const wasm = join(out, `${name}_bg.wasm`);
  run(join(root, 'node_modules/.bin/wasm-opt'), [
    // `--low-memory-unused` folds small added constants into load and store offsets: true
    // of Rust's layout, whose stack grows down from 1 MiB to its data, and whose bounded
    // recursion never takes the stack near address 0. `--converge` repeats -Oz while it
    // still shrinks the module. Together 0.5 KB gzip off the default wasm.
    '-Oz', '--low-memory-unused', '--converge', '--enable-bulk-memory', '--enable-nontrapping-float-to-int', '--enable-sign-ext',
    '--enable-mutable-globals', '--enable-reference-types', '--enable-multivalue',
    // No browser reads the producers or target features sections (−47 B gzip).
    ...(names ? ['-g'] : ['--strip-debug']), '--strip-producers', '--strip-target-features', wasm, '-o', wasm,
  ]);
}

/** The plan the wasm embeds: `TRACKPLAN_PLAN`, or plan/default.json (as build.rs reads it). */
export const embeddedPlanPath = process.env.TRACKPLAN_PLAN ?? join(root, 'plan/default.json');

/**
 * Writes js/embedded-plan.d.ts, the type augmentation of the embedded plan that the
 * package ships as the opt-in `trackplan/embedded-plan` subpath.
 */
export function buildEmbeddedPlanTypes() {
  const out = openSync(join(root, 'js/embedded-plan.d.ts'), 'w');
  try {
    run(process.execPath, [join(root, 'js/node/cli.js'), 'types', embeddedPlanPath], { stdio: ['ignore', out, 'inherit'] });
  } finally {
    closeSync(out);
  }
}

/**
 * Bundles an entry with the shim and analytics-next for the browser, and puts both cores'
 * wasm beside the bundle (where the shim's default URLs look for them). Code splitting
 * is on, as an app's bundler would do it: the full core's glue becomes a chunk of its
 * own that a page fetches only when it passes a plan at run time.
 * @param {string} entry
 * @param {string} outdir
 * @param {{ defaultCore?: string }} [options] `defaultCore`: a folder holding a default
 *   core built with another plan (`trackplan.js` and `trackplan_bg.wasm`, as
 *   {@link buildWasmModule} writes them), used in place of the package's
 */
export async function bundlePage(entry, outdir, { defaultCore } = {}) {
  // Loaded here, not at the top: `node scripts/build.js` installs it first on a fresh clone.
  const esbuild = await import('esbuild');
  // A default core built elsewhere replaces the package's: its glue and its wasm go
  // together (the glue imports what that build's wasm needs, which depends on its plan).
  const glue = defaultCore && {
    name: 'default-core',
    setup(build) {
      build.onResolve({ filter: /\/wasm\/trackplan\.js$/ }, () => ({ path: join(defaultCore, 'trackplan.js') }));
    },
  };
  await esbuild.build({
    entryPoints: [entry],
    bundle: true,
    splitting: true,
    format: 'esm',
    platform: 'browser',
    target: 'es2022',
    outdir,
    logLevel: 'warning',
    plugins: glue ? [glue] : [],
  });
  mkdirSync(join(outdir, 'wasm'), { recursive: true });
  for (const wasm of ['trackplan_bg.wasm', 'trackplan_full_bg.wasm']) {
    const from = wasm === 'trackplan_bg.wasm' && defaultCore ? defaultCore : join(root, 'js/wasm');
    copyFileSync(join(from, wasm), join(outdir, 'wasm', wasm));
  }
}

/** Builds the demo in www/dist/. */
export function buildDemo() {
  return bundlePage(join(root, 'www/demo.js'), join(root, 'www/dist'));
}

if (import.meta.url === `file://${process.argv[1]}`) {
  ensureToolchain();
  buildWasm();
  if (!process.argv.includes('--no-demo')) await buildDemo();
}
