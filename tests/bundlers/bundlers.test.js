// The packed tarball in the four common set-ups: Vite, webpack 5, esbuild and a plain
// `<script type="module">`. Each sample app is built from the installed package, loaded
// in headless Chromium against the collector, and its valid event must arrive (with the
// wasm running: the invalid one is blocked); a second tracker, given a plan at run time,
// loads the full core lazily and checks against that plan.
//
// The tarball and analytics-next are installed once, into a temporary directory whose
// subdirectories are the four apps (Node resolution finds the shared node_modules); the
// bundlers are this repository's devDependencies.
//
// How each finds the .wasm files: Vite and webpack see `new URL('./wasm/trackplan_bg.wasm',
// import.meta.url)` and `new URL('./wasm/trackplan_full_bg.wasm', import.meta.url)` and
// emit both files as assets (and the full core's glue, imported dynamically, as a chunk
// of its own); esbuild does not, so the app copies both to `wasm/` beside its bundle
// (built with `splitting: true`, which makes the glue a chunk); the plain page serves the
// package as is, so the files are already beside the module. analytics-next's own ESM
// build has bare imports a browser cannot resolve, so the plain page maps it, with an
// import map, to a prebuilt ESM bundle (as an app would map it to a CDN build).
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import * as esbuild from 'esbuild';
import { createCollector } from '../../js/node/collector/index.js';
import { launch, recordedPage, waitFor } from '../e2e/support/browser.js';
import { ORDER_PLAN } from '../e2e/support/plans.js';

const root = fileURLToPath(new URL('../..', import.meta.url));
const bin = (path) => join(root, 'node_modules', path);
const work = mkdtempSync(join(tmpdir(), 'trackplan-bundlers-'));
const installed = join(work, 'node_modules/trackplan');

const VALID = { episode_id: 'ep_1', call_id: 'call_1', user_type: 'patient' };

/**
 * The app's entry: a production tracker (the default core) with this app's write key,
 * one valid and one invalid call (violations not forwarded, so that the collector gets
 * the valid call alone); then a development tracker with a plan given at run time (the
 * full core, loaded lazily) that checks one call that follows that plan and one that
 * does not.
 */
function entry(app) {
  return `import { createTracker } from 'trackplan';

createTracker({
  environment: 'production',
  writeKeys: { production: 'wk_${app}' },
  policy: { forwardViolations: false },
  segment: { settings: { cdnURL: location.origin } },
}).then(
  async (tracker) => {
    const verdicts = [
      tracker.track('call started', ${JSON.stringify(VALID)}),
      tracker.track('call started', ${JSON.stringify({ ...VALID, user_type: 'doctor' })}),
    ];
    const analytics = { track() {}, identify() {}, page() {}, group() {} };
    const planned = await createTracker({ environment: 'development', analytics, global: false, plan: ${JSON.stringify(ORDER_PLAN)} });
    const runtimePlan = {
      status: planned.status,
      verdicts: [planned.track('order completed', { order_id: 'o_1' }), planned.track('order completed', {})],
    };
    window.result = { status: tracker.status, environment: tracker.environment, verdicts, runtimePlan };
  },
  (error) => { window.result = { error: String(error) }; },
);
`;
}

const page = (script) => `<!doctype html><meta charset="utf-8"><link rel="icon" href="data:,">${script}`;

/** Writes an app's sources; returns its directory. */
function app(name, files) {
  const dir = join(work, name);
  for (const [file, text] of Object.entries({ 'src/main.js': entry(name), ...files })) {
    mkdirSync(join(dir, file, '..'), { recursive: true });
    writeFileSync(join(dir, file), text);
  }
  return dir;
}

/** Builds each app; returns app → URL path of its page. */
const BUILDS = {
  async vite() {
    const dir = app('vite', {
      'index.html': page('<script type="module" src="./src/main.js"></script>'),
      'vite.config.js': "export default { base: './', logLevel: 'warn', build: { outDir: 'dist', emptyOutDir: true } };\n",
    });
    execFileSync(process.execPath, [bin('vite/bin/vite.js'), 'build', dir], { cwd: dir, stdio: 'inherit' });
    return '/vite/dist/';
  },
  async webpack() {
    const dir = join(work, 'webpack');
    app('webpack', {
      'webpack.config.mjs': `export default {
  mode: 'production',
  context: ${JSON.stringify(dir)},
  entry: './src/main.js',
  output: { path: ${JSON.stringify(join(dir, 'dist'))}, filename: 'main.js', clean: true },
  performance: { hints: false },
  stats: 'errors-warnings',
};
`,
    });
    execFileSync(process.execPath, [bin('webpack-cli/bin/cli.js'), '--config', join(dir, 'webpack.config.mjs')], { cwd: dir, stdio: 'inherit' });
    writeFileSync(join(dir, 'dist/index.html'), page('<script src="main.js"></script>'));
    return '/webpack/dist/';
  },
  async esbuild() {
    const dir = app('esbuild', {});
    await esbuild.build({
      entryPoints: [join(dir, 'src/main.js')],
      bundle: true,
      splitting: true,
      format: 'esm',
      outdir: join(dir, 'dist'),
      logLevel: 'warning',
    });
    // The set-up esbuild needs: both cores' wasm beside the bundle.
    mkdirSync(join(dir, 'dist/wasm'));
    for (const wasm of ['trackplan_bg.wasm', 'trackplan_full_bg.wasm']) {
      copyFileSync(join(installed, 'js/wasm', wasm), join(dir, 'dist/wasm', wasm));
    }
    writeFileSync(join(dir, 'dist/index.html'), page('<script type="module" src="main.js"></script>'));
    return '/esbuild/dist/';
  },
  async plain() {
    await esbuild.build({
      entryPoints: [join(work, 'node_modules/@segment/analytics-next')],
      bundle: true,
      format: 'esm',
      outfile: join(work, 'vendor/analytics-next.js'),
      logLevel: 'warning',
    });
    const imports = { trackplan: '/node_modules/trackplan/js/index.js', '@segment/analytics-next': '/vendor/analytics-next.js' };
    app('plain', {
      'index.html': page(`<script type="importmap">${JSON.stringify({ imports })}</script><script type="module" src="src/main.js"></script>`),
    });
    return '/plain/';
  },
};

let browser;
let collector;
const pages = {};

before(async () => {
  const pack = JSON.parse(
    execFileSync('npm', ['pack', '--json', '--ignore-scripts', '--pack-destination', work], { cwd: root, encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] }),
  );
  const tarball = join(work, pack[0].filename);
  const analyticsVersion = JSON.parse(readFileSync(bin('@segment/analytics-next/package.json'), 'utf8')).version;
  writeFileSync(join(work, 'package.json'), JSON.stringify({ name: 'sample-apps', private: true, type: 'module' }));
  execFileSync(
    'npm',
    ['install', '--prefer-offline', '--no-audit', '--no-fund', '--ignore-scripts', '--loglevel=error', tarball, `@segment/analytics-next@${analyticsVersion}`],
    { cwd: work, stdio: 'inherit' },
  );
  [browser, collector] = await Promise.all([launch(), createCollector({ port: 0, staticDir: work, quiet: true })]);
});

after(async () => {
  await browser?.close();
  await collector?.close();
  rmSync(work, { recursive: true, force: true });
});

describe('the packed package in each set-up', () => {
  for (const [name, build] of Object.entries(BUILDS)) {
    test(`${name}: builds, validates in the browser and delivers to the collector`, async () => {
      pages[name] = await build();
      if (name !== 'plain') {
        const dist = join(work, name, 'dist');
        const emitted = readdirSync(dist, { recursive: true }).map(String);
        const wasm = emitted.filter((f) => f.endsWith('.wasm'));
        assert.equal(wasm.length, 2, `${name} emitted other than both cores' .wasm: ${emitted.join(', ')}`);
      }
      const { page: tab, record, close } = await recordedPage(browser);
      await tab.goto(`${collector.url}${pages[name]}`);
      const result = await waitFor(() => tab.evaluate(() => window.result), 20_000);
      assert.ok(result, `${name}: the app never created its tracker\n${record.console.join('\n')}\n${record.errors.join('\n')}`);
      assert.equal(result.error, undefined);
      assert.notEqual(result.status, 'passthrough', 'the wasm core started');
      assert.deepEqual(result.verdicts.map((v) => v.ok), [true, false]);
      assert.notEqual(result.runtimePlan.status, 'passthrough', 'the full core started');
      assert.deepEqual(result.runtimePlan.verdicts.map((v) => v.violations.map((x) => x.kind)), [[], ['required']]);
      const events = await waitFor(async () => {
        const all = await (await fetch(`${collector.url}/collector/all?type=track`)).json();
        const mine = all.filter((e) => e.writeKey === `wk_${name}`);
        return mine.length > 0 && mine;
      }, 20_000);
      assert.ok(events, `${name}: no event reached the collector`);
      assert.deepEqual(events.map((e) => [e.event, e.properties]), [['call started', VALID]]);
      const wasmFetched = new Set(record.requests.filter((url) => url.endsWith('.wasm')));
      assert.equal(wasmFetched.size, 2, `both cores' wasm were fetched: ${[...wasmFetched].join(', ')}`);
      assert.deepEqual(record.errors, []);
      await close();
    });
  }
});
