/**
 * `npm run bench`: builds the release package and measures trackplan in headless
 * Chromium beside ajv (validation) and analytics-next (track, weight), in one page and
 * one run. Prints a table and writes bench/results.json. Ratios are the figures that
 * matter; absolute times depend on the machine.
 */

import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createCollector } from '../js/node/collector/index.js';
import { ensureToolchain, root } from '../scripts/toolchain.js';

const quick = process.argv.includes('--quick');
const VALIDATE = { calls: quick ? 2_000 : 20_000, rounds: quick ? 5 : 21 };
const TRACK = { calls: quick ? 100 : 200, rounds: quick ? 5 : 41 };
const STARTUP_RUNS = quick ? 3 : 11;
const MEMORY_CALLS = 100_000;

function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

ensureToolchain({ browser: true });
// Only now: these need the npm dependencies that ensureToolchain installs.
const { buildWasm, buildWasmModule, bundlePage } = await import('../scripts/build.js');
const { generatePlan } = await import('./plans.js');
const { bundleWeight, sdkWeight, wasmProfile } = await import('../scripts/weight.js');
const { launch } = await import('../tests/e2e/support/browser.js');
buildWasm();

const pageDir = join(root, 'target/bench-page');
mkdirSync(pageDir, { recursive: true });
await bundlePage(join(root, 'bench/page.js'), pageDir);
writeFileSync(join(pageDir, 'plan.json'), readFileSync(join(root, 'plan/default.json')));
// The default wasm with the generated 500-event plan embedded, as a user with such a plan
// builds it (TRACKPLAN_PLAN); the page loads it through the `wasm` option.
const plan500 = join(root, 'target/bench-plan500.json');
writeFileSync(plan500, JSON.stringify(generatePlan(500)));
// Its own page (`/embedded500/`): a build's glue and wasm go together.
const embedded500 = join(root, 'target/bench-embedded/core');
buildWasmModule('trackplan', [], { plan: plan500, targetDir: join(root, 'target/bench-embedded'), outDir: embedded500 });
await bundlePage(join(root, 'bench/page.js'), join(pageDir, 'embedded500'), { defaultCore: embedded500 });
// The default core again, with its functions' names kept, for the profile of its bytes.
const named = join(root, 'target/bench-names/core');
buildWasmModule('trackplan', [], { names: true, targetDir: join(root, 'target/bench-names'), outDir: named });
for (const dir of [pageDir, join(pageDir, 'embedded500')]) {
  writeFileSync(
    join(dir, 'index.html'),
    '<!doctype html><meta charset="utf-8"><link rel="icon" href="data:,"><script type="module" src="page.js"></script>',
  );
}

const collector = await createCollector({ port: 0, staticDir: pageDir, quiet: true });
const browser = await launch();

/** A new page of the bench, at `path` (`/embedded500/`: the 500-event plan's build). */
async function freshPage(path = '/') {
  const page = await browser.newPage();
  await page.goto(`${collector.url}${path}`);
  await page.waitForFunction(() => window.benchReady);
  return page;
}

async function inFreshPage(name, args, path) {
  const page = await freshPage(path);
  try {
    return await page.evaluate(([n, a]) => window.bench[n](a), [name, args]);
  } finally {
    await page.close();
  }
}

const validation = await inFreshPage('validation', VALIDATE);
const crossing = await inFreshPage('crossing', VALIDATE);
const track = await inFreshPage('track', { ...TRACK, writeKey: 'wk_bench' });
const startup = {};
const EMBEDDED500 = '/embedded500/';
const STARTUPS = [
  ['default plan', {}],
  ['default plan, wasm already downloaded', { prefetch: true }],
  ['500-event plan embedded', {}, EMBEDDED500],
  ['500-event plan embedded, wasm already downloaded', { prefetch: true }, EMBEDDED500],
  ['500-event plan at run time (full wasm)', { planSize: 500 }],
];
for (const [label, args, path] of STARTUPS) {
  const runs = [];
  for (let i = 0; i < STARTUP_RUNS; i++) runs.push(await inFreshPage('startup', args, path));
  startup[label] = { firstMs: median(runs.map((r) => r.firstMs)), warmMs: median(runs.map((r) => r.warmMs)) };
}
const stages = {};
for (const [label, path] of [['default plan', '/'], ['500-event plan embedded', EMBEDDED500]]) {
  const runs = [];
  for (let i = 0; i < STARTUP_RUNS; i++) runs.push(await inFreshPage('stages', {}, path));
  stages[label] = Object.fromEntries(Object.keys(runs[0]).map((k) => [k, median(runs.map((r) => r[k]))]));
}
const memory = await inFreshPage('memory', { calls: MEMORY_CALLS });
await browser.close();
await collector.close();

const weight = {
  ...(await sdkWeight()),
  analyticsNext: await bundleWeight(join(root, 'node_modules/@segment/analytics-next/dist/pkg/index.js')),
};
weight.profile = weightProfile(weight.js.modules);

const results = {
  date: new Date().toISOString(),
  chromium: browser.version?.() ?? 'chromium',
  validation: { ...validation, ratio: validation.trackplanNs / validation.ajvNs },
  crossing,
  track: { ...track, addedRatio: 1 + track.ownNs / track.bareNs },
  startup,
  stages,
  weight,
  memory: { ...memory, grewBytes: memory.after - memory.before },
};
writeFileSync(join(root, 'bench/results.json'), `${JSON.stringify(results, null, 2)}\n`);

const kib = (n) => `${(n / 1024).toFixed(1)} KiB`;
const rows = [
  ['validate() per call', `${validation.trackplanNs.toFixed(0)} ns`, `ajv ${validation.ajvNs.toFixed(0)} ns`, `${results.validation.ratio.toFixed(2)}×`],
  ...Object.entries(validation.split).map(([label, s]) => [
    `validate() per call, ${label} calls only`,
    `${s.trackplanNs.toFixed(0)} ns`,
    `ajv ${s.ajvNs.toFixed(0)} ns`,
    `${(s.trackplanNs / s.ajvNs).toFixed(2)}×`,
  ]),
  ...[
    ['stringify', 'JSON.stringify + UTF-8 copy (before)'],
    ['encode', 'encode() into the binary form'],
    ['coreCheck', "core's check of ready bytes"],
  ].map(([key, label]) => [
    `validate() part: ${label}`,
    `${crossing[`${key}Ns`].toFixed(0)} ns`,
    `ajv ${validation.ajvNs.toFixed(0)} ns`,
    `${(crossing[`${key}Ns`] / validation.ajvNs).toFixed(2)}×`,
  ]),
  [
    'track() per call (sync part)',
    `${(track.trackplanNs / 1000).toFixed(1)} µs`,
    `analytics.track ${(track.bareNs / 1000).toFixed(1)} µs`,
    `${track.ratio.toFixed(3)}× (quartiles ${track.ratioQuartiles.map((q) => q.toFixed(2)).join('–')})`,
  ],
  [
    "track(): trackplan's own work (analytics.js stubbed)",
    `${(track.ownNs / 1000).toFixed(2)} µs`,
    'added to analytics.track',
    `${results.track.addedRatio.toFixed(4)}×`,
  ],
  ...Object.entries(startup).map(([label, s]) => [`start-up, ${label}`, `${s.firstMs.toFixed(1)} ms`, `again in page ${s.warmMs.toFixed(1)} ms`, '']),
  ...Object.entries(stages).map(([label, s]) => [
    `start-up stages, ${label}, wasm downloaded`,
    `compile ${s.compileMs.toFixed(1)}, instantiate ${s.instantiateMs.toFixed(1)} ms`,
    `tracker ${s.trackerMs.toFixed(1)}, first call ${s.callMs.toFixed(1)}, again ${s.againMs.toFixed(1)} ms`,
    '',
  ]),
  ['weight: wasm', `${kib(weight.wasm.raw)} raw`, `${kib(weight.wasm.gzip)} gzip -9`, ''],
  ['weight: own JS (minified)', `${kib(weight.js.raw)} raw`, `${kib(weight.js.gzip)} gzip -9`, ''],
  ['weight: trackplan total', `${kib(weight.total.raw)} raw`, `${kib(weight.total.gzip)} gzip -9`, ''],
  ['weight: analytics-next, for scale', `${kib(weight.analyticsNext.raw)} raw`, `${kib(weight.analyticsNext.gzip)} gzip -9`, ''],
  ['wasm memory over 100,000 calls', `${kib(memory.before)} → ${kib(memory.after)}`, `grew ${memory.after - memory.before} bytes`, ''],
];
console.log(`\ntrackplan benchmark (${quick ? 'quick' : 'full'}; medians; results in bench/results.json)\n`);
printTable(rows);
const { profile } = weight;
console.log(
  `\nwhere the production download's bytes go (raw, before gzip): the default wasm's code ${profile.wasm.code} B ` +
    `(${profile.wasm.namedCode} B in the copy with names) and data ${profile.wasm.data} B; the eager JS, minified, by module\n`,
);
printTable([
  ...profile.wasm.modules.map(({ name, raw }) => [`wasm code: ${name}`, `${raw} B`]),
  ...profile.wasm.functions.map(({ name, raw }) => [`wasm function: ${name}`, `${raw} B`]),
  ...Object.entries(profile.js).map(([name, raw]) => [`JS: ${name}`, `${raw} B`]),
]);
if (!validation.agree) {
  console.error('\ntrackplan and ajv disagree on a call: the comparison is not like for like');
  process.exitCode = 1;
}

/** Prints `rows` as columns padded to their widest cell. */
function printTable(rows) {
  const widths = rows[0].map((_, c) => Math.max(...rows.map((r) => r[c].length)));
  for (const row of rows) console.log(row.map((cell, c) => cell.padEnd(widths[c])).join('   '));
}

/**
 * Where the production download's bytes go, raw: the default wasm's code and data
 * sections as shipped, its code by module and its largest functions (from the copy built
 * with names: `namedCode` says how close that copy's code is), and the eager JS's
 * minified bytes by source module (`jsModules`, from `sdkWeight`), largest first.
 */
function weightProfile(jsModules) {
  const shipped = wasmProfile(readFileSync(join(root, 'js/wasm/trackplan_bg.wasm')));
  const copy = wasmProfile(readFileSync(join(named, 'trackplan_bg.wasm')));
  const codeOf = (profile) => profile.sections.find((s) => s.name === 'code').raw;
  const modules = {};
  for (const { name, raw } of copy.functions) modules[moduleOf(name)] = (modules[moduleOf(name)] ?? 0) + raw;
  const largestFirst = (entries) => entries.sort((a, b) => b[1] - a[1]);
  return {
    wasm: {
      code: codeOf(shipped),
      namedCode: codeOf(copy),
      data: shipped.data,
      modules: largestFirst(Object.entries(modules)).map(([name, raw]) => ({ name, raw })),
      functions: copy.functions.slice(0, 12),
    },
    js: Object.fromEntries(largestFirst(Object.entries(jsModules))),
  };
}

/**
 * The module a wasm function belongs to, from its name: `trackplan::schema` for
 * `trackplan::schema::Validation::node`, `<trackplan::json::Value as …>::clone` or
 * `<&T as trackplan::text::Piece>::push_to` (core's code for a trackplan type, such as
 * its drop glue, counts with that type's module); the crate for other Rust code (`core`,
 * `alloc`, `wasm_bindgen`); and `exports` for the functions the bindings export
 * (`tracker_check`, with what they inline) and wasm-bindgen's own.
 */
function moduleOf(name) {
  const own = /trackplan::(\w+)/.exec(name);
  if (own) return `trackplan::${own[1]}`;
  const crate = /^<?(?:[^<>]* as )?(\w+)(?:\[\w+\])?::/.exec(name);
  return crate ? crate[1] : 'exports';
}
