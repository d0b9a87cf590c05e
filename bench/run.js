/**
 * `npm run bench`: builds the release package and measures trackplan in headless
 * Chromium beside ajv (validation) and analytics-next (track, weight), in one run: on a
 * page bound to the demo plan (the package's demo binding) and, for start-up, on one
 * bound to a generated 500-event plan's binding, as `trackplan build` writes them. Weighs
 * what a production page downloads with the bindings of the demo plan, Typewriter's
 * fixture plans and the 500-event plan, the SDK's part and the plan's apart. Prints
 * tables and writes bench/results.json. Ratios are the figures that matter; absolute
 * times depend on the machine.
 */

import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createCollector } from '../js/node/collector/index.js';
import { ensureToolchain, root } from '../scripts/toolchain.js';

const quick = process.argv.includes('--quick');
const VALIDATE = { calls: quick ? 2_000 : 20_000, rounds: quick ? 5 : 21 };
const TRACK = { calls: quick ? 100 : 200, rounds: quick ? 5 : 41 };
const STARTUP_RUNS = quick ? 3 : 11;
const MEMORY_CALLS = 200_000;

function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

ensureToolchain({ browser: true });
// Only now: these need the npm dependencies that ensureToolchain installs.
const { buildDemoBinding, buildWasm, buildWasmModule, demoPlanPath } = await import('../scripts/build.js');
const { generatedCall, generatePlan } = await import('./plans.js');
const { benchPage } = await import('./pages.js');
const { bundleWeight, sdkWeight, TYPEWRITER_FIXTURES, TYPEWRITER_PLANS, typewriterPlan, wasmProfile, weigh, writeBinding } = await import(
  '../scripts/weight.js'
);
const { launch } = await import('../tests/e2e/support/browser.js');
buildWasm();
await buildDemoBinding();

const fixtures = existsSync(TYPEWRITER_FIXTURES);
if (!fixtures) console.log(`no Typewriter fixtures at ${TYPEWRITER_FIXTURES} (TRACKPLAN_SHARED): their plans are not weighed`);
/** The plans weighed: [label, file name, the JSON text built, the plan's JSON as exported]. */
const PLANS = [
  ['demo plan', 'default.json', readFileSync(demoPlanPath, 'utf8')],
  ...(fixtures ? TYPEWRITER_PLANS.map((name) => [`Typewriter ${name}`, name, typewriterPlan(name), readFileSync(join(TYPEWRITER_FIXTURES, name), 'utf8')]) : []),
  ['generated 500-event plan', 'generated-500.json', JSON.stringify(generatePlan(500))],
];
// Inside the checkout, where a binding's `trackplan/sdk` resolves to it.
const bindings = join(root, 'target/bench-bindings');
rmSync(bindings, { recursive: true, force: true });
const weighed = [];
for (const [label, source, text, exported = text] of PLANS) {
  const dir = join(bindings, source.replace(/\.json$/, ''));
  const { core } = await writeBinding(text, source, dir);
  const json = weigh(Buffer.from(JSON.stringify(JSON.parse(exported))));
  weighed.push({ label, dir, core, json, ...(await sdkWeight(dir)) });
}

const pageDir = join(root, 'target/bench-page');
const PLAN500 = '/plan500/';
rmSync(pageDir, { recursive: true, force: true });
await benchPage(pageDir);
await benchPage(join(pageDir, PLAN500), weighed.at(-1).dir);
// The demo plan's production core again, with its functions' names kept, for the profile
// of its bytes.
const demoCore = weighed[0].core;
const named = join(root, 'target/bench-names/core');
buildWasmModule('trackplan', demoCore === 'complete' ? [] : ['--features', demoCore], {
  names: true,
  targetDir: join(root, 'target/bench-names'),
  outDir: named,
});

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
const STARTUPS = [
  ['demo plan', {}],
  ['demo plan, wasm already downloaded', { prefetch: true }],
  ['500-event plan, its binding', {}, PLAN500],
  ['500-event plan, its binding, wasm already downloaded', { prefetch: true }, PLAN500],
  ['500-event plan at run time (full wasm)', { planSize: 500 }],
];
for (const [label, args, path] of STARTUPS) {
  const runs = [];
  for (let i = 0; i < STARTUP_RUNS; i++) runs.push(await inFreshPage('startup', args, path));
  startup[label] = { firstMs: median(runs.map((r) => r.firstMs)), warmMs: median(runs.map((r) => r.warmMs)) };
}
const stages = {};
for (const [label, path, args] of [
  ['demo plan', '/', {}],
  ['500-event plan, its binding', PLAN500, { call: generatedCall(250) }],
]) {
  const runs = [];
  for (let i = 0; i < STARTUP_RUNS; i++) runs.push(await inFreshPage('stages', args, path));
  stages[label] = Object.fromEntries(Object.keys(runs[0]).map((k) => [k, median(runs.map((r) => r[k]))]));
}
const memory = await inFreshPage('memory', { calls: MEMORY_CALLS });
await browser.close();
await collector.close();

const weight = {
  plans: Object.fromEntries(weighed.map(({ label, dir, ...figures }) => [label, figures])),
  analyticsNext: await bundleWeight(join(root, 'node_modules/@segment/analytics-next/dist/pkg/index.js')),
  profile: weightProfile(weighed[0].js.modules),
};

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
  ['wasm memory over 200,000 calls of mixed sizes, after warm-up', `${kib(memory.before)} → ${kib(memory.after)} (peak ${kib(memory.peak)})`, `grew ${memory.after - memory.before} bytes`, ''],
];
console.log(`\ntrackplan benchmark (${quick ? 'quick' : 'full'}; medians; results in bench/results.json)\n`);
printTable(rows);
console.log("\nwhat a production page downloads with each plan's binding, gzip -9 (the SDK's part: its JS and the production core)\n");
printTable(weightRows(weighed, weight.analyticsNext));
const { profile } = weight;
console.log(
  `\nwhere the demo plan's production download's bytes go (raw, before gzip): the ${demoCore} core's code ${profile.wasm.code} B ` +
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
 * The weight table: for each plan, its production core, the SDK's part (the eager JS and
 * the core without the plan), the plan's part (what gzip of the wasm grows by with the
 * compiled plan, beside the gzip of the plan's JSON as exported, minified), the
 * production total, and what a page outside production or with a plan at run time
 * fetches lazily (the full core's glue and wasm); then analytics-next, for scale.
 */
function weightRows(plans, analyticsNext) {
  const kib = (n) => `${(n / 1024).toFixed(1)} KiB`;
  return [
    ['plan', 'core', 'SDK: JS + core', 'plan: compiled (its JSON)', 'production total', 'lazy: full core'],
    ...plans.map(({ label, core, js, wasm, plan, json, total, lazy }) => [
      label,
      core,
      `${kib(js.gzip)} + ${kib(wasm.gzip - plan.gzip)} = ${kib(js.gzip + wasm.gzip - plan.gzip)}`,
      `${kib(plan.gzip)} (${kib(json.gzip)})`,
      kib(total.gzip),
      kib(lazy.total.gzip),
    ]),
    ['analytics-next, for scale', '', kib(analyticsNext.gzip), '', '', ''],
  ];
}

/**
 * Where the demo plan's production download's bytes go, raw: its production core's code
 * and data sections as shipped, its code by module and its largest functions (from the
 * copy built with names: `namedCode` says how close that copy's code is), and the eager
 * JS's minified bytes by source module (`jsModules`, from `sdkWeight`), largest first.
 */
function weightProfile(jsModules) {
  const shipped = wasmProfile(readFileSync(join(root, `js/wasm/trackplan_${demoCore}.wasm`)));
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
