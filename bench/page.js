// The benchmark page: trackplan, ajv and analytics-next side by side in one page.
// bench/run.js drives it through window.bench.
import Ajv from 'ajv';
import addFormats from 'ajv-formats';
import { AnalyticsBrowser } from '@segment/analytics-next';
import initWasm, { Tracker as CoreTracker } from '../js/wasm/trackplan.js';
import { createCore } from '../js/core.js';
import { createTracker } from '../js/index.js';
import { CALLS, generatePlan } from './plans.js';

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

/** Median nanoseconds per call of `fn(i)` over `rounds` rounds of `calls` calls. */
function timePerCall(fn, calls, rounds) {
  const samples = [];
  for (let r = 0; r < rounds; r++) {
    const start = performance.now();
    for (let i = 0; i < calls; i++) fn(i);
    samples.push(((performance.now() - start) * 1e6) / calls);
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

window.bench = {
  /** validate(): trackplan's dry run against ajv's compiled validators, same calls. */
  async validation({ calls, rounds }) {
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
    return { trackplanNs, ajvNs, agree };
  },

  /**
   * What each way of handing a call's properties to the wasm costs on the JS side alone,
   * per call of the same mix, beside the core's own `check` on text already made: the
   * floor under any validate() built on that crossing. Each candidate writes into a
   * buffer the size of the wasm's scratch space, as it would write into linear memory.
   * - `stringify`: `JSON.stringify` and UTF-8 into the buffer (today's crossing, without
   *   the call).
   * - `encode`: a walk of the object writing a compact tagged encoding (type byte, f64
   *   numbers, UTF-8 keys and strings, ASCII written by a loop), no JSON text. A lower
   *   bound: it leaves out what JSON.stringify does besides (toJSON, cycles, skipping
   *   undefined and functions), which a real encoder must do too.
   * - `declared`: only the properties the plan declares, read by name from a list made
   *   once per event (no keys written: the wasm would know them by position), plus a
   *   count of the object's own keys to notice unplanned ones.
   * - `coreCheck`: the core's `check` of the JSON text already made (string copied in,
   *   parsed, validated; a dry run), with no JS around it.
   */
  async crossing({ calls, rounds }) {
    await createTracker({ environment: 'production', analytics: fakeAnalytics, global: false });
    const core = await createCore(CoreTracker, { environment: 'production' });
    const plan = await (await fetch('plan.json')).json();
    const declared = Object.fromEntries(
      plan.rules.filter((r) => r.type === 'TRACK').map((r) => [r.key, Object.keys(r.jsonSchema.properties)]),
    );
    const n = CALLS.length;
    const buffer = new Uint8Array(1 << 16);
    const view = new DataView(buffer.buffer);
    const utf8 = new TextEncoder();
    const stringify = (i) => utf8.encodeInto(JSON.stringify(CALLS[i % n][1]), buffer).written;
    // UTF-8 of a string at `at`: a loop for ASCII (one `encodeInto` costs ~0.3 µs in
    // Chromium, more than a short string's loop), `encodeInto` for the rest.
    const writeText = (text, at) => {
      let end = at;
      for (let c = 0; c < text.length; c++) {
        const code = text.charCodeAt(c);
        if (code > 0x7f) return at + utf8.encodeInto(text, buffer.subarray(at)).written;
        buffer[end++] = code;
      }
      return end;
    };
    const encodeValue = (value, at) => {
      if (typeof value === 'string') {
        buffer[at] = 3;
        const end = writeText(value, at + 5);
        view.setUint32(at + 1, end - at - 5, true);
        return end;
      }
      if (typeof value === 'number') {
        buffer[at] = 2;
        view.setFloat64(at + 1, value, true);
        return at + 9;
      }
      if (value === null || typeof value === 'boolean') {
        buffer[at] = value === null ? 0 : value ? 5 : 1;
        return at + 1;
      }
      buffer[at] = 4;
      let end = at + 5;
      let count = 0;
      for (const key in value) {
        const keyEnd = writeText(key, end + 4);
        view.setUint32(end, keyEnd - end - 4, true);
        end = encodeValue(value[key], keyEnd);
        count++;
      }
      view.setUint32(at + 1, count, true);
      return end;
    };
    const encode = (i) => encodeValue(CALLS[i % n][1], 0);
    const declaredOnly = (i) => {
      const [event, properties] = CALLS[i % n];
      let end = 0;
      for (const key of declared[event]) {
        const value = properties[key];
        end = value === undefined ? ((buffer[end] = 7), end + 1) : encodeValue(value, end);
      }
      let own = 0;
      for (const key in properties) if (Object.hasOwn(properties, key)) own++;
      return end + own;
    };
    const texts = CALLS.map(([, properties]) => JSON.stringify(properties));
    // Kind 0 (track), flags HAS_NAME | DRY_RUN (see src/bindings/tracker.rs).
    const coreCheck = (i) => core.check(0, CALLS[i % n][0], texts[i % n], 1 | 4);
    return {
      stringifyNs: timePerCall(stringify, calls, rounds),
      encodeNs: timePerCall(encode, calls, rounds),
      declaredNs: timePerCall(declaredOnly, calls, rounds),
      coreCheckNs: timePerCall(coreCheck, calls, rounds),
    };
  },

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
  async track({ calls, rounds, writeKey }) {
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
  },

  /**
   * Start-up: createTracker (wasm fetch, compile, plan) in a fresh page, with the default
   * wasm (`wasm`: another build of it, with another plan embedded) or with a generated plan
   * of `planSize` events given at run time. With `prefetch`, the wasm's bytes are fetched
   * before the clock starts and handed to createTracker, as from the HTTP cache: what is
   * left is trackplan's own work (compile, instantiate, read the plan).
   */
  async startup({ planSize, wasm, prefetch }) {
    const options = { environment: 'production', analytics: fakeAnalytics, global: false, wasm };
    if (planSize) options.plan = generatePlan(planSize);
    if (prefetch) options.wasm = await (await fetch(wasm ?? 'wasm/trackplan_bg.wasm')).arrayBuffer();
    const start = performance.now();
    await createTracker(options);
    const firstMs = performance.now() - start;
    const again = performance.now();
    await createTracker(options);
    return { firstMs, warmMs: performance.now() - again };
  },

  /**
   * Where a start-up with the wasm already downloaded goes, stage by stage, in a fresh
   * page: compiling the module, instantiating it, the first core tracker (reading the
   * embedded plan's rule headings, and V8 compiling the functions it runs on their first
   * call), the first call (reading its rule, compiling the validator's functions), and
   * a second core tracker.
   */
  async stages({ wasm }) {
    const bytes = await (await fetch(wasm ?? 'wasm/trackplan_bg.wasm')).arrayBuffer();
    const call = JSON.stringify(CALLS[1][1]);
    const t0 = performance.now();
    const module = await WebAssembly.compile(bytes);
    const t1 = performance.now();
    await initWasm({ module_or_path: module });
    const t2 = performance.now();
    const core = await createCore(CoreTracker, { environment: 'production' });
    const t3 = performance.now();
    core.check(0, CALLS[1][0], call, 1);
    const t4 = performance.now();
    (await createCore(CoreTracker, { environment: 'production' })).free();
    const t5 = performance.now();
    return { compileMs: t1 - t0, instantiateMs: t2 - t1, trackerMs: t3 - t2, callMs: t4 - t3, againMs: t5 - t4 };
  },

  /** Linear memory of the wasm before and after `calls` track() calls. */
  async memory({ calls }) {
    const tracker = await createTracker({ environment: 'production', analytics: fakeAnalytics, global: false });
    const wasm = await initWasm();
    const n = CALLS.length;
    for (let i = 0; i < 1000; i++) tracker.track(CALLS[i % n][0], CALLS[i % n][1]);
    const before = wasm.memory.buffer.byteLength;
    for (let i = 0; i < calls; i++) tracker.track(CALLS[i % n][0], CALLS[i % n][1]);
    return { before, after: wasm.memory.buffer.byteLength, calls };
  },
};
window.benchReady = true;
