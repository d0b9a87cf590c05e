// The benchmark's measurements: trackplan, ajv and analytics-next side by side in one
// page. A page is bundled for one plan binding (bench/pages.js writes its entry, which
// imports the binding and installs `benchFor(binding)` as `window.bench`); bench/run.js
// drives it through window.bench.
import Ajv from 'ajv';
import addFormats from 'ajv-formats';
import { AnalyticsBrowser } from '@segment/analytics-next';
import { initSync } from '../js/wasm/trackplan.js';
import { createCore } from '../js/sdk/core.js';
import { startCore } from '../js/sdk/cores.js';
import { encode } from '../js/sdk/encode.js';
import { CALL_KINDS, FLAG_DRY_RUN, FLAG_HAS_NAME } from '../js/sdk/protocol.js';
import { CALLS, generatePlan } from './plans.js';

/** The kind of a track call, as the core's `check` takes it. */
const TRACK = CALL_KINDS.indexOf('track');

/** Median of a list of numbers. */
function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

/** The `q` quantile (0–1) of a list of numbers, interpolated. */
function quantile(values, q) {
  const sorted = [...values].sort((a, b) => a - b);
  const at = (sorted.length - 1) * q;
  const low = Math.floor(at);
  return sorted[low] + (sorted[Math.ceil(at)] - sorted[low]) * (at - low);
}

/**
 * Shortest round timed: a page's clock may tick as coarsely as every 100 µs, which a few
 * fast calls would not reach (their time would read as 0).
 */
const MIN_ROUND_MS = 2;

/**
 * Median nanoseconds per call of `fn(i)` over `rounds` rounds of `calls` calls (`i` from
 * 0 to `calls - 1`); a round shorter than {@link MIN_ROUND_MS} makes its calls again
 * until it is not, and counts them all.
 */
function timePerCall(fn, calls, rounds) {
  const samples = [];
  for (let r = 0; r < rounds; r++) {
    let made = 0;
    let elapsed = 0;
    const start = performance.now();
    while (elapsed < MIN_ROUND_MS && calls > 0) {
      for (let i = 0; i < calls; i++) fn(i);
      made += calls;
      elapsed = performance.now() - start;
    }
    samples.push((elapsed * 1e6) / made);
  }
  return median(samples);
}

const noop = () => {};
const fakeAnalytics = { track: noop, identify: noop, page: noop, group: noop };

async function ajvValidators() {
  const plan = await (await fetch('plan.json')).json();
  const ajv = new Ajv({ strict: false, allErrors: true });
  addFormats(ajv);
  const validators = {};
  for (const rule of plan.rules) if (rule.type === 'TRACK') validators[rule.key] = ajv.compile(rule.jsonSchema);
  return validators;
}

/** validate(): trackplan's dry run against ajv's compiled validators, same calls. */
async function validation({ createTracker }, { calls, rounds }) {
  const tracker = await createTracker({ environment: 'production', analytics: fakeAnalytics, global: false });
  const validators = await ajvValidators();
  const n = CALLS.length;
  const trackplanNs = timePerCall(
    (i) => tracker.validate({ type: 'track', event: CALLS[i % n][0], properties: CALLS[i % n][1] }),
    calls,
    rounds,
  );
  const ajvNs = timePerCall((i) => validators[CALLS[i % n][0]](CALLS[i % n][1]), calls, rounds);
  const agree = CALLS.every(([event, props]) => tracker.validate({ type: 'track', event, properties: props }).ok === validators[event](props));
  // The same, on the valid and on the invalid calls alone: an invalid call's verdict is
  // read back from the core (a report), a valid one's is built by the shim.
  const split = {};
  for (const [label, valid] of [['valid', true], ['invalid', false]]) {
    const subset = CALLS.filter(([event, props]) => validators[event](props) === valid);
    const m = subset.length;
    split[label] = {
      trackplanNs: timePerCall((i) => tracker.validate({ type: 'track', event: subset[i % m][0], properties: subset[i % m][1] }), calls, rounds),
      ajvNs: timePerCall((i) => validators[subset[i % m][0]](subset[i % m][1]), calls, rounds),
    };
  }
  return { trackplanNs, ajvNs, agree, split };
}

/**
 * Where a validate() call's time goes, per call of the same mix:
 * - `stringify`: `JSON.stringify` and a UTF-8 copy, the crossing before the binary
 *   form (for comparison);
 * - `encode`: `encode()` of `js/sdk/encode.js`, the binary form the event name and payload
 *   cross in;
 * - `coreCheck`: the core's `check` of bytes already encoded (copied into the wasm,
 *   read into a name and a value, validated; a dry run), with no JS around it.
 */
async function crossing({ cores }, { calls, rounds }) {
  const core = await createCore(await startCore({ environment: 'production' }, cores), { environment: 'production' });
  const n = CALLS.length;
  const buffer = new Uint8Array(1 << 16);
  const utf8 = new TextEncoder();
  const stringify = (i) => utf8.encodeInto(JSON.stringify(CALLS[i % n][1]), buffer).written;
  const encodeCall = (i) => encode(CALLS[i % n][1], CALLS[i % n][0]);
  const encodedCalls = CALLS.map(([event, properties]) => encode(properties, event).bytes);
  const coreCheck = (i) => core.check(TRACK, encodedCalls[i % n], FLAG_HAS_NAME | FLAG_DRY_RUN, 0);
  return {
    stringifyNs: timePerCall(stringify, calls, rounds),
    encodeNs: timePerCall(encodeCall, calls, rounds),
    coreCheckNs: timePerCall(coreCheck, calls, rounds),
  };
}

/**
 * track(): the synchronous part of trackplan's track() against a bare analytics.track()
 * of the same events on the same AnalyticsBrowser, and trackplan's own part of it.
 *
 * The direct ratio is the median of per-round ratios (rounds alternate which goes
 * first, so that drift, GC and analytics.js's growing queue hit both alike); its
 * quartiles show how much analytics.track() itself moves, which is far more than 1 %.
 * trackplan hands analytics.js the page's own arguments, so what it adds is its own
 * work: timed over many calls with analytics.js replaced by a stub that returns a
 * promise as analytics.track() does, that work gives the added-cost ratio
 * `1 + own / bare`, whose precision does not depend on analytics.js's noise.
 */
async function track({ createTracker }, { calls, rounds, writeKey }) {
  const [analytics] = await AnalyticsBrowser.load(
    { writeKey, cdnURL: location.origin },
    { integrations: { 'Segment.io': { deliveryStrategy: { strategy: 'batching', config: { size: 100, timeout: 1000 } } } } },
  );
  const tracker = await createTracker({ environment: 'production', analytics, global: false });
  const settled = Promise.resolve();
  const stub = { track: () => settled, identify: () => settled, page: () => settled, group: () => settled };
  const alone = await createTracker({ environment: 'production', analytics: stub, global: false });
  const valid = CALLS.slice(0, 8);
  const n = valid.length;
  const samples = { bare: [], trackplan: [], ratio: [] };
  const bare = () => timePerCall((i) => analytics.track(valid[i % n][0], valid[i % n][1]), calls, 1);
  const checked = () => timePerCall((i) => tracker.track(valid[i % n][0], valid[i % n][1]), calls, 1);
  for (let r = 0; r < rounds; r++) {
    let b;
    let t;
    if (r % 2) {
      t = checked();
      b = bare();
    } else {
      b = bare();
      t = checked();
    }
    samples.bare.push(b);
    samples.trackplan.push(t);
    samples.ratio.push(t / b);
  }
  const ownNs = timePerCall((i) => alone.track(valid[i % n][0], valid[i % n][1]), calls * 20, rounds);
  return {
    bareNs: median(samples.bare),
    trackplanNs: median(samples.trackplan),
    ratio: median(samples.ratio),
    ratioQuartiles: [quantile(samples.ratio, 0.25), quantile(samples.ratio, 0.75)],
    ownNs,
  };
}

/**
 * Start-up: createTracker (wasm fetch, compile, plan) in a fresh page, with the
 * binding's production core (its `trackplan.wasm`, with the binding's plan), or with a
 * generated plan of `planSize` events given at run time (the full core, the binding's
 * `trackplan-dev.wasm`). With `prefetch`, the wasm's bytes are fetched before the clock
 * starts and handed to createTracker, as from the HTTP cache: what is left is
 * trackplan's own work (compile, instantiate, read the plan).
 */
async function startup({ createTracker, cores }, { planSize, prefetch }) {
  const options = { environment: 'production', analytics: fakeAnalytics, global: false };
  if (planSize) options.plan = generatePlan(planSize);
  if (prefetch) options.wasm = await (await fetch(cores.production())).arrayBuffer();
  const start = performance.now();
  const tracker = await createTracker(options);
  const firstMs = performance.now() - start;
  // A core that failed to start leaves a tracker passing calls through: no figure then.
  if (tracker.status === 'passthrough') throw new Error('the wasm core did not start');
  const again = performance.now();
  await createTracker(options);
  return { firstMs, warmMs: performance.now() - again };
}

/**
 * Where a start-up with the wasm already downloaded goes, stage by stage, in a fresh
 * page: compiling the binding's production core, instantiating it and reading its
 * plan's section (`startCore`), the first core tracker (reading the plan's rule
 * headings, and V8 compiling the functions it runs on their first call), the first
 * call, `call` (`[event, properties]`, reading its rule, compiling the validator's
 * functions), and a second core tracker.
 */
async function stages({ cores }, { call = CALLS[1] } = {}) {
  const bytes = await (await fetch(cores.production())).arrayBuffer();
  const input = encode(call[1], call[0]).bytes;
  const t0 = performance.now();
  const module = await WebAssembly.compile(bytes);
  const t1 = performance.now();
  const started = await startCore({ environment: 'production', wasm: module });
  const t2 = performance.now();
  const core = await createCore(started, { environment: 'production' });
  const t3 = performance.now();
  core.check(TRACK, input, FLAG_HAS_NAME, 0);
  const t4 = performance.now();
  (await createCore(started, { environment: 'production' })).free();
  const t5 = performance.now();
  return { compileMs: t1 - t0, instantiateMs: t2 - t1, trackerMs: t3 - t2, callMs: t4 - t3, againMs: t5 - t4 };
}

/**
 * Calls of every size class a page may make, in turn: the demo plan's calls (small), a
 * 25 KB payload of ~3,000 small unplanned keys, an oversized one (a 40 KB string, blocked
 * as too large) and a 200 KB string.
 */
function mixedCalls() {
  const manyKeys = Object.fromEntries(Array.from({ length: 3000 }, (_, i) => [`k${i}`, i % 97]));
  return [
    ...CALLS,
    ['call started', { ...CALLS[1][1], ...manyKeys }],
    ...CALLS,
    ['call started', { ...CALLS[1][1], notes: 'x'.repeat(40_000) }],
    ...CALLS,
    ['call ended', { ...CALLS[2][1], transcript: 'y'.repeat(200_000) }],
  ];
}

/**
 * Linear memory of the production core over `calls` track() calls of mixed sizes
 * (`mixedCalls`): `before`, after a warm-up of `warmup` calls; `after`, at the end;
 * `peak`, the largest seen at each tenth of the run.
 */
async function memory({ createTracker }, { calls, warmup = calls / 10 }) {
  const tracker = await createTracker({ environment: 'production', analytics: fakeAnalytics, global: false });
  // The production glue, started by the tracker: it gives the instance it holds.
  const linear = initSync().memory;
  const mix = mixedCalls();
  const call = (i) => tracker.track(mix[i % mix.length][0], mix[i % mix.length][1]);
  for (let i = 0; i < warmup; i++) call(i);
  const before = linear.buffer.byteLength;
  let peak = before;
  const tenth = Math.max(1, Math.floor(calls / 10));
  for (let i = 0; i < calls; i++) {
    call(i);
    if (i % tenth === 0) peak = Math.max(peak, linear.buffer.byteLength);
  }
  return { before, after: linear.buffer.byteLength, peak, calls, warmup, mix: mix.length };
}

/** The page's measurements, each `(binding, args)`, by name. */
const MEASUREMENTS = { validation, crossing, track, startup, stages, memory };

/**
 * The measurements of a page bound to a plan, as `window.bench` offers them (each takes
 * its arguments and resolves with its figures): `binding` is the module `trackplan
 * build` wrote (`createTracker`, `cores`). Validation, crossing, track and memory make
 * calls of the demo plan (`CALLS`): they are measured on a page bound to it.
 * @param {{ createTracker: Function, cores: import('../js/sdk/cores.js').Cores }} binding
 */
export function benchFor(binding) {
  return Object.fromEntries(Object.entries(MEASUREMENTS).map(([name, measure]) => [name, (args) => measure(binding, args)]));
}
