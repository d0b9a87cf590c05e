/**
 * Builds the package and the demo: `js/sdk/protocol.js`, the release wasm of the three
 * cores (cargo, wasm-bindgen, wasm-opt -Oz) into js/wasm/, the demo plan's binding into
 * js/demo/ (as `trackplan build` writes a user's) with its types, then the demo bundle
 * into www/dist/.
 *
 * `node scripts/build.js` installs missing tools first; `--no-demo` builds only the package.
 */

import { execFileSync } from 'node:child_process';
import { closeSync, copyFileSync, existsSync, mkdirSync, openSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ensureToolchain, root, run } from './toolchain.js';

/**
 * Builds js/wasm/ from the Rust crate: the three cores the package ships, none with a
 * plan (`trackplan build` adds one to a copy of each, as a custom section):
 *
 * - `trackplan_full.js` and `trackplan_full_bg.wasm`, the full core (the `full` feature):
 *   plans given at run time, the lint and the plan compiler, developer advice; what a
 *   page runs outside production, and the CLI in Node;
 * - `trackplan_basic.wasm` (the `basic` feature), `trackplan_lean.wasm` (the `lean`
 *   feature) and `trackplan_complete.wasm`, the production cores, and their one glue,
 *   `trackplan.js`: all three import and export the same, which this checks.
 */
export function buildWasm() {
  buildProtocol();
  buildWasmModule('trackplan_full', ['--features', 'full']);
  const out = join(root, 'js/wasm');
  const glue = {};
  for (const [variant, args] of [['basic', ['--features', 'basic']], ['lean', ['--features', 'lean']], ['complete', []]]) {
    // Built under one name, so that the glue names the same module of imports.
    const dir = join(root, 'target/cores', variant);
    buildWasmModule('trackplan', args, { outDir: dir });
    glue[variant] = readFileSync(join(dir, 'trackplan.js'), 'utf8');
    copyFileSync(join(dir, 'trackplan_bg.wasm'), join(out, `trackplan_${variant}.wasm`));
  }
  if (glue.basic !== glue.lean || glue.lean !== glue.complete) {
    throw new Error('the production cores need different glue: they must import and export the same');
  }
  writeFileSync(join(out, 'trackplan.js'), glue.lean);
}

/**
 * Writes js/demo/, the package's binding of its demo plan (`plan/default.json`), with
 * the code `trackplan build` runs for a user's plan: the package's entry and
 * `trackplan/testing` re-export it.
 */
export async function buildDemoBinding() {
  const { bindingFiles } = await import('../js/node/binding.js');
  const text = readFileSync(demoPlanPath, 'utf8');
  const { files } = await bindingFiles(text, { source: 'plan/default.json', sdk: '../sdk/index.js', testing: '../testing/helpers.js', demo: true });
  const out = join(root, 'js/demo');
  mkdirSync(out, { recursive: true });
  for (const [name, content] of Object.entries(files)) {
    const path = join(out, name);
    if (!existsSync(path) || !readFileSync(path).equals(Buffer.from(content))) writeFileSync(path, content);
  }
}

/**
 * Writes `js/sdk/protocol.js`, what the shim and the cores agree on, from
 * `src/protocol.rs` (`cargo run --example protocol`), when it changed.
 */
export function buildProtocol() {
  const path = join(root, 'js/sdk/protocol.js');
  const text = execFileSync('cargo', ['run', '--quiet', '--example', 'protocol'], { cwd: root, encoding: 'utf8' });
  if (!existsSync(path) || readFileSync(path, 'utf8') !== text) writeFileSync(path, text);
}

/**
 * Builds one wasm module as `<name>.js` and `<name>_bg.wasm`, into js/wasm/ unless
 * `outDir` says otherwise. `names` keeps the functions' names (a `name` section, which
 * the package's wasm does not ship) for the benchmark's profile of where the bytes go;
 * build it in a `targetDir` of its own, so that the package's build stays incremental.
 * @param {string} name
 * @param {string[]} cargoArgs extra `cargo build` arguments
 * @param {{ outDir?: string, targetDir?: string, names?: boolean }} [options]
 */
export function buildWasmModule(name, cargoArgs, { outDir, targetDir, names = false } = {}) {
  const target = targetDir ?? join(root, 'target');
  const env = {
    ...process.env,
    CARGO_TARGET_DIR: target,
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
    // still shrinks the module. Together 0.5 KB gzip off the default wasm. `-ocimfs 30`
    // inlines a function called from one place only when it is small (by default every
    // such function is): the module grows by 2 % raw but shrinks by 0.2 KB gzip, which
    // finds more of the code it repeats when it is not copied into its callers.
    '-Oz', '--low-memory-unused', '--converge', '--one-caller-inline-max-function-size', '30', '--enable-bulk-memory', '--enable-nontrapping-float-to-int', '--enable-sign-ext',
    '--enable-mutable-globals', '--enable-reference-types', '--enable-multivalue',
    // No browser reads the producers or target features sections (−47 B gzip).
    ...(names ? ['-g'] : ['--strip-debug']), '--strip-producers', '--strip-target-features', wasm, '-o', wasm,
  ]);
}

/** The package's demo plan, which its entry is bound to. */
export const demoPlanPath = join(root, 'plan/default.json');

/**
 * Writes js/embedded-plan.d.ts, the type augmentation of the demo plan that the package
 * ships as the opt-in `trackplan/embedded-plan` subpath.
 */
export function buildEmbeddedPlanTypes() {
  const out = openSync(join(root, 'js/embedded-plan.d.ts'), 'w');
  try {
    run(process.execPath, [join(root, 'js/node/cli.js'), 'types', demoPlanPath], { stdio: ['ignore', out, 'inherit'] });
  } finally {
    closeSync(out);
  }
}

/**
 * Builds everything the package ships that is not source: `js/sdk/protocol.js`, the
 * cores in js/wasm/, the demo plan's binding in js/demo/ and its types, and the
 * package's declarations from its code (`scripts/types.js`).
 */
export async function buildPackage() {
  buildWasm();
  await buildDemoBinding();
  buildEmbeddedPlanTypes();
  // Loaded here, not at the top: TypeScript is installed by ensureToolchain on a fresh clone.
  (await import('./types.js')).writeDeclarations();
}

/**
 * Bundles an entry with the shim and analytics-next for the browser, as an app's bundler
 * would (code splitting on: the full core's glue becomes a chunk of its own that a page
 * fetches only outside production), and puts a plan binding's two cores beside it,
 * where its `new URL(…, import.meta.url)` finds them (esbuild leaves those URLs as
 * they are).
 * @param {string} entry
 * @param {string} outdir
 * @param {{ binding?: string }} [options] `binding`: the directory `trackplan build`
 *   wrote for the plan the entry imports (default: the package's demo binding)
 */
export async function bundlePage(entry, outdir, { binding = join(root, 'js/demo') } = {}) {
  // Loaded here, not at the top: `node scripts/build.js` installs it first on a fresh clone.
  const esbuild = await import('esbuild');
  await esbuild.build({
    entryPoints: [entry],
    bundle: true,
    splitting: true,
    format: 'esm',
    platform: 'browser',
    target: 'es2022',
    outdir,
    logLevel: 'warning',
  });
  for (const wasm of ['trackplan.wasm', 'trackplan-dev.wasm']) copyFileSync(join(binding, wasm), join(outdir, wasm));
}

/** Builds the demo in www/dist/. */
export function buildDemo() {
  return bundlePage(join(root, 'www/demo.js'), join(root, 'www/dist'));
}

if (import.meta.url === `file://${process.argv[1]}`) {
  ensureToolchain();
  await buildPackage();
  if (!process.argv.includes('--no-demo')) await buildDemo();
}
