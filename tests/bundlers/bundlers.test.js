// A new app with its own plan, from a fresh checkout: the repository's tracked files are
// copied as a clone has them (no js/wasm/, no js/demo/), `npm pack` there builds the
// package (its `prepack`), and the tarball and analytics-next are installed into a
// temporary directory of apps. There, with no Rust on the PATH, `npx trackplan build
// my-plan.json --out src/generated` writes the app's binding, and four set-ups of the
// same app are built from it — Vite, webpack 5, esbuild and a plain `<script
// type="module">` — and two dev servers serve it — Vite's and webpack's. Each is loaded
// in headless Chromium against the collector: in production, on the production core with
// the app's plan (a valid event arrives, an invalid one is blocked, an event of the
// package's demo plan is unplanned); in development, on the full core with the same plan,
// with its advice.
//
// How each finds the .wasm files: Vite and webpack see `new URL('./trackplan.wasm',
// import.meta.url)` in the generated index.js and emit the files as assets (served as
// they are by the dev servers); esbuild does not, so the app copies both beside its
// bundle; the plain page serves the generated directory as is. analytics-next's own ESM
// build has bare imports a browser cannot resolve, so the plain page maps it, with an
// import map, to a prebuilt ESM bundle (as an app would map it to a CDN build).
import assert from 'node:assert/strict';
import { execFileSync, spawn } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, symlinkSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import * as esbuild from 'esbuild';
import { createCollector } from '../../js/node/collector/index.js';
import { launch, recordedPage, waitFor } from '../e2e/support/browser.js';
import { USER_PLAN } from '../e2e/support/plans.js';

const root = fileURLToPath(new URL('../..', import.meta.url));
const bin = (path) => join(root, 'node_modules', path);
const work = mkdtempSync(join(tmpdir(), 'trackplan-apps-'));
/** Where the fresh checkout is made: outside the apps, whose dev servers scan their root. */
const scratch = mkdtempSync(join(tmpdir(), 'trackplan-checkout-'));
const installed = join(work, 'node_modules/trackplan');
const generated = join(work, 'src/generated');

const BOOKED = { episode_id: 'ep_1', appointment_id: 'apt_1', user_type: 'patient', starts_at: '2026-12-07T09:30:00Z' };

/** A PATH without cargo, rustc or wasm-bindgen: what a new app's machine has. */
const PATH_WITHOUT_RUST = process.env.PATH.split(delimiter)
  .filter((dir) => !/cargo|rustup/.test(dir))
  .join(delimiter);

/**
 * The app's entry, shared by every set-up (`src/main.js`): a tracker in `environment`
 * (production on app.example.com, development on 127.0.0.1) with this app's write key,
 * one valid call, one invalid, one of an event the demo plan has and this one does not,
 * and a misspelled event whose message shows whether the core gives advice.
 */
const ENTRY = `import { createTracker } from './generated/index.js';

const app = document.documentElement.dataset.app;
createTracker({
  writeKeys: { production: 'wk_' + app, development: 'wk_' + app },
  hosts: { production: ['app.example.com'] },
  policy: { forwardViolations: false },
  segment: { settings: { cdnURL: document.documentElement.dataset.collector } },
}).then(
  (tracker) => {
    const verdicts = [
      tracker.track('appointment booked', ${JSON.stringify(BOOKED)}),
      tracker.track('appointment booked', ${JSON.stringify({ ...BOOKED, episode_id: 'x1' })}),
      tracker.track('call started', { episode_id: 'ep_1', call_id: 'c1', user_type: 'patient' }),
      tracker.track('appointment bookd', ${JSON.stringify(BOOKED)}),
    ];
    window.result = { status: tracker.status, environment: tracker.environment, verdicts };
  },
  (error) => { window.result = { error: String(error) }; },
);
`;

/** The page of an app, telling its entry its name and the collector's address. */
const page = (app, script) =>
  `<!doctype html><html data-app="${app}" data-collector="__COLLECTOR__"><meta charset="utf-8"><link rel="icon" href="data:,">${script}`;

/** Writes an app's sources beside the shared `src/`; returns its directory. */
function app(name, files) {
  const dir = join(work, name);
  for (const [file, text] of Object.entries(files)) {
    mkdirSync(join(dir, file, '..'), { recursive: true });
    writeFileSync(join(dir, file), text);
  }
  return dir;
}

/** Serves each page with the collector's address filled in. */
function withCollector(dir, file = 'index.html') {
  const path = join(dir, file);
  writeFileSync(path, readFileSync(path, 'utf8').replace('__COLLECTOR__', collector.url));
}

/** Builds each app for production; returns app → URL path of its page. */
const BUILDS = {
  async vite() {
    const dir = app('vite', {
      'index.html': page('vite', '<script type="module" src="../src/main.js"></script>'),
      'vite.config.js': `export default { root: ${JSON.stringify(join(work, 'vite'))}, base: './', logLevel: 'warn', build: { outDir: 'dist', emptyOutDir: true }, server: { fs: { allow: [${JSON.stringify(work)}] } } };\n`,
    });
    execFileSync(process.execPath, [bin('vite/bin/vite.js'), 'build', '--config', join(dir, 'vite.config.js')], { cwd: dir, stdio: 'inherit' });
    withCollector(join(dir, 'dist'));
    return '/vite/dist/';
  },
  async webpack() {
    const dir = app('webpack', { 'webpack.config.mjs': webpackConfig('production') });
    execFileSync(process.execPath, [bin('webpack-cli/bin/cli.js'), '--config', join(dir, 'webpack.config.mjs')], { cwd: dir, stdio: 'inherit' });
    writeFileSync(join(dir, 'dist/index.html'), page('webpack', '<script src="main.js"></script>'));
    withCollector(join(dir, 'dist'));
    return '/webpack/dist/';
  },
  async esbuild() {
    const dir = app('esbuild', {});
    await esbuild.build({
      entryPoints: [join(work, 'src/main.js')],
      bundle: true,
      splitting: true,
      format: 'esm',
      outdir: join(dir, 'dist'),
      logLevel: 'warning',
    });
    // The set-up esbuild needs: the plan's two cores beside the bundle.
    for (const wasm of ['trackplan.wasm', 'trackplan-dev.wasm']) copyFileSync(join(generated, wasm), join(dir, 'dist', wasm));
    writeFileSync(join(dir, 'dist/index.html'), page('esbuild', '<script type="module" src="main.js"></script>'));
    withCollector(join(dir, 'dist'));
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
    const imports = { 'trackplan/sdk': '/node_modules/trackplan/js/sdk/index.js', '@segment/analytics-next': '/vendor/analytics-next.js' };
    const dir = app('plain', {
      'index.html': page('plain', `<script type="importmap">${JSON.stringify({ imports })}</script><script type="module" src="../src/main.js"></script>`),
    });
    withCollector(dir);
    return '/plain/';
  },
};

/** webpack's configuration of the app, for a build or the dev server. */
function webpackConfig(mode) {
  const dir = join(work, 'webpack');
  return `export default {
  mode: '${mode}',
  context: ${JSON.stringify(work)},
  entry: './src/main.js',
  output: { path: ${JSON.stringify(join(dir, 'dist'))}, filename: 'main.js', clean: true },
  performance: { hints: false },
  stats: 'errors-warnings',
  devServer: { static: ${JSON.stringify(join(work, 'webpack-dev'))}, host: '127.0.0.1', port: 0, hot: false, liveReload: false, client: false },
};
`;
}

let browser;
let collector;
/** What `npx trackplan build my-plan.json --out src/generated` printed. */
let built;

before(async () => {
  const checkout = freshCheckout();
  const pack = JSON.parse(
    execFileSync('npm', ['pack', '--json', '--pack-destination', work], {
      cwd: checkout,
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'inherit'],
      // The checkout's build reuses this one's cargo artifacts (its own crate is rebuilt).
      env: { ...process.env, CARGO_TARGET_DIR: join(root, 'target') },
    }),
  );
  const tarball = join(work, pack[0].filename);
  const analyticsVersion = JSON.parse(readFileSync(bin('@segment/analytics-next/package.json'), 'utf8')).version;
  writeFileSync(join(work, 'package.json'), JSON.stringify({ name: 'sample-apps', private: true, type: 'module' }));
  execFileSync(
    'npm',
    ['install', '--prefer-offline', '--no-audit', '--no-fund', '--loglevel=error', tarball, `@segment/analytics-next@${analyticsVersion}`],
    { cwd: work, stdio: 'inherit' },
  );
  writeFileSync(join(work, 'my-plan.json'), JSON.stringify(USER_PLAN, null, 2));
  writeFileSync(join(work, 'src/main.js'), ENTRY, { flag: 'w' });
  built = trackplan('build', 'my-plan.json', '--out', 'src/generated');
  [browser, collector] = await Promise.all([launch(), createCollector({ port: 0, staticDir: work, quiet: true })]);
});

after(async () => {
  await browser?.close();
  await collector?.close();
  rmSync(work, { recursive: true, force: true });
  rmSync(scratch, { recursive: true, force: true });
});

/**
 * The repository as a fresh clone has it: its files (as they are in the working tree),
 * without what the build writes or git ignores; with this checkout's node_modules
 * linked, as `npm ci` would make them.
 */
function freshCheckout() {
  const checkout = join(scratch, 'trackplan');
  // What git tracks and what it would (a change not committed yet), as the working tree has it.
  const listed = execFileSync('git', ['ls-files', '-z', '--cached', '--others', '--exclude-standard'], { cwd: root, encoding: 'utf8' });
  const files = listed.split('\0').filter((file) => file && existsSync(join(root, file)));
  for (const file of files) {
    mkdirSync(join(checkout, file, '..'), { recursive: true });
    copyFileSync(join(root, file), join(checkout, file));
    // As a clone made before `npm ci` ran: the lock file older than what it installed.
    const { atime, mtime } = statSync(join(root, file));
    utimesSync(join(checkout, file), atime, mtime);
  }
  symlinkSync(join(root, 'node_modules'), join(checkout, 'node_modules'), 'dir');
  mkdirSync(join(work, 'src'), { recursive: true });
  return checkout;
}

/** Runs the installed package's CLI in the apps' directory as `npx trackplan`, without Rust. */
function trackplan(...args) {
  const env = { ...process.env, PATH: PATH_WITHOUT_RUST };
  return execFileSync('npx', ['--no-install', 'trackplan', ...args], { cwd: work, env, encoding: 'utf8' });
}

describe('a new app with its own plan, from the packed package', () => {
  test('npx trackplan build writes the binding with no Rust on the PATH; --check finds it up to date', () => {
    assert.throws(() => execFileSync('cargo', ['--version'], { env: { PATH: PATH_WITHOUT_RUST }, stdio: 'ignore' }), 'no cargo');
    assert.match(built, /production core: lean/);
    assert.deepEqual(readdirSync(generated).sort(), ['index.d.ts', 'index.js', 'testing.d.ts', 'testing.js', 'trackplan-dev.wasm', 'trackplan.wasm']);
    assert.match(trackplan('build', 'my-plan.json', '--out', 'src/generated', '--check'), /up to date/);
  });

  for (const [name, build] of Object.entries(BUILDS)) {
    test(`${name}: builds, validates against the app's plan on the production core, delivers to the collector`, async () => {
      const path = await build();
      if (name !== 'plain') {
        const emitted = readdirSync(join(work, name, 'dist'), { recursive: true }).map(String);
        assert.equal(emitted.filter((f) => f.endsWith('.wasm')).length, 2, `${name} emitted other than the plan's two cores: ${emitted.join(', ')}`);
      }
      const result = await run(`http://app.example.com:${collector.port}${path}`, name, 'production');
      assert.deepEqual(result.wasm, ['trackplan.wasm'], 'the production core, and no other');
    });
  }

  test('vite dev: the generated module and the package work with no configuration', async () => {
    const { createServer } = await import(bin('vite/dist/node/index.js'));
    const dir = app('vite-dev', { 'index.html': page('vite-dev', '<script type="module" src="/src/main.js"></script>') });
    withCollector(dir);
    const server = await createServer({ root: work, configFile: false, logLevel: 'warn', server: { host: '127.0.0.1', port: 0 } });
    await server.listen();
    try {
      const result = await run(`http://127.0.0.1:${server.config.server.port === 0 ? server.httpServer.address().port : server.httpServer.address().port}/vite-dev/`, 'vite-dev', 'development');
      assert.deepEqual(result.wasm, ['trackplan-dev.wasm'], 'the development core, served as a file, not as HTML');
    } finally {
      await server.close();
    }
  });

  test('webpack dev server: the generated module and the package work with no configuration', async () => {
    const dir = app('webpack', { 'webpack.config.mjs': webpackConfig('development') });
    app('webpack-dev', { 'index.html': page('webpack-dev', '<script src="/main.js"></script>') });
    withCollector(join(work, 'webpack-dev'));
    const server = spawn(process.execPath, [bin('webpack-cli/bin/cli.js'), 'serve', '--config', join(dir, 'webpack.config.mjs')], {
      cwd: dir,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    server.stdout.on('data', (d) => (output += d));
    server.stderr.on('data', (d) => (output += d));
    try {
      const port = await waitFor(() => /http:\/\/127\.0\.0\.1:(\d+)/.exec(output)?.[1], 60_000);
      assert.ok(port, `webpack serve did not start:\n${output}`);
      await waitFor(async () => (await fetch(`http://127.0.0.1:${port}/main.js`).catch(() => null))?.ok, 60_000);
      const result = await run(`http://127.0.0.1:${port}/`, 'webpack-dev', 'development');
      assert.deepEqual(result.wasm, ['trackplan-dev.wasm']);
    } finally {
      server.kill();
    }
  });
});

/**
 * Loads an app's page and checks what its tracker did: in `environment`, against the
 * app's plan (the valid call sent and delivered, the invalid one blocked, the demo plan's
 * event unplanned), with advice in development only. Returns the .wasm files it fetched,
 * by the name of the generated file with the same bytes.
 */
async function run(url, name, environment) {
  const { page: tab, record, close } = await recordedPage(browser);
  // Each .wasm the page fetched, told apart by its bytes (bundlers rename the files).
  const cores = { [readFileSync(join(generated, 'trackplan.wasm')).toString('base64')]: 'trackplan.wasm' };
  cores[readFileSync(join(generated, 'trackplan-dev.wasm')).toString('base64')] = 'trackplan-dev.wasm';
  const fetched = [];
  tab.on('response', (response) => {
    if (new URL(response.url()).pathname.endsWith('.wasm')) {
      fetched.push(response.body().then((body) => cores[body.toString('base64')] ?? response.url(), () => response.url()));
    }
  });
  try {
    await tab.goto(url);
    const result = await waitFor(() => tab.evaluate(() => window.result), 30_000);
    const log = `${record.console.join('\n')}\n${record.errors.join('\n')}`;
    assert.ok(result, `${name}: the app never created its tracker\n${log}`);
    assert.equal(result.error, undefined, log);
    assert.equal(result.environment, environment);
    assert.notEqual(result.status, 'passthrough', `the wasm core started\n${log}`);
    const kinds = result.verdicts.map((v) => v.violations.map((x) => x.kind));
    assert.deepEqual(kinds, [[], ['pattern'], ['unplanned_event'], ['unplanned_event']], log);
    const advice = result.verdicts[3].violations[0].message;
    if (environment === 'production') assert.match(advice, /add it to the plan, or check the name/);
    else assert.match(advice, /did you mean `appointment booked`\?/);
    const events = await waitFor(async () => {
      const mine = (await collector.events()).filter((e) => e.type === 'track' && e.writeKey === `wk_${name}`);
      return mine.length > 0 && mine;
    }, 20_000);
    assert.ok(events, `${name}: no event reached the collector`);
    assert.deepEqual(events.map((e) => [e.event, e.properties]), [['appointment booked', BOOKED]]);
    assert.deepEqual(record.errors, []);
    return { wasm: [...new Set(await Promise.all(fetched))] };
  } finally {
    await close();
  }
}
