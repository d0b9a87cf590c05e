/**
 * Starting the wasm cores, once per page or Node process, and reading their plan.
 *
 * A core is a wasm module and its wasm-bindgen glue. The production cores (basic, lean
 * and complete, `wasm/trackplan.js` their one glue) validate against a plan that
 * `trackplan build` compiled and put in the module's `trackplan.plan` custom section;
 * they give no developer advice (no convention hints, no "did you mean"). The full
 * core (`wasm/trackplan_full.js`, the crate's `full` feature) also reads plans given at
 * run time, lints plans and gives that advice: it is the core of a page outside
 * production or that passes a plan. Its glue is reached only through a dynamic
 * `import()`, so that bundlers put it in a chunk of its own that a production page never
 * downloads.
 *
 * Where the wasm files are comes from the plan's binding (`cores`: the `index.js` that
 * `trackplan build` writes, or the package's own for its demo plan), unless the options
 * say otherwise (`wasm`, `fullWasm`).
 *
 * @module trackplan/sdk/cores
 */

import { initSync as initProductionGlue, Tracker as ProductionTracker } from '../wasm/trackplan.js';
import { PLAN_SECTION, VERSION } from './protocol.js';

/**
 * A set-up mistake met while starting a core (no plan, a binding of another version, a
 * wasm without a plan): `createTracker` rejects with it, where a wasm that cannot be
 * fetched or compiled (a network error, a CSP) leaves the tracker passing calls through.
 */
export class SetupError extends Error {}

/** @typedef {import('./types.js').WasmSource} WasmSource */
/** @typedef {import('./types.js').Cores} Cores */

/**
 * A started core: its `Tracker` class (either core's: they have the same shape) and the
 * plan its trackers take, as bytes (compiled, or the JSON text of a plan given at run
 * time).
 * @typedef {{ Tracker: typeof ProductionTracker, plan: Uint8Array }} StartedCore
 */

/** The production glue's module, once started: a page runs one production core. */
let production;
/** The full core's glue, started with the first full core's module (every copy has the same code). */
let full;

/**
 * Starts the core a tracker needs and reads its plan: with a plan given at run time, the
 * full core (any copy: the package's, or a binding's development core); in production,
 * the binding's production core; elsewhere (development, staging, test: where people read
 * the advice only the full core gives), the binding's development core.
 * @param {{ plan?: unknown, environment: string, wasm?: WasmSource, fullWasm?: WasmSource }} options
 *   `environment` the resolved one; `wasm` and `fullWasm` where the production and the
 *   full core's wasm are, in place of the binding's
 * @param {Cores} [cores] the plan's binding
 * @returns {Promise<StartedCore>}
 * @throws {Error} (rejects) for a set-up mistake (no plan at all, a binding written by
 *   another version of trackplan, a wasm without a plan), saying what to fix; or when a
 *   wasm cannot be fetched or compiled
 */
export async function startCore({ plan, environment, wasm, fullWasm }, cores) {
  if (cores && cores.version !== VERSION) {
    throw new SetupError(
      `trackplan: the generated plan was written by trackplan ${cores.version}, and ${VERSION} is installed: ` +
        'run `npx trackplan build` again',
    );
  }
  if (plan !== undefined && plan !== null) {
    const source = fullWasm ?? cores?.development();
    if (!source) throw new SetupError(noCore('fullWasm'));
    const [glue, { planBytes }] = await Promise.all([startFull(source), import('./plan-text.js')]);
    try {
      return { Tracker: glue.Tracker, plan: planBytes(plan) };
    } catch (error) {
      throw new SetupError(`trackplan: ${error.message}`);
    }
  }
  if (environment === 'production') {
    const source = wasm ?? cores?.production();
    if (!source) throw new SetupError(noCore('wasm'));
    const module = await compile(source);
    startProduction(module);
    return { Tracker: ProductionTracker, plan: planOf(module) };
  }
  const source = fullWasm ?? cores?.development();
  if (!source) throw new SetupError(noCore('fullWasm'));
  const [module, glue] = await Promise.all([compile(source), startFull(source)]);
  return { Tracker: glue.Tracker, plan: planOf(module) };
}

/** The set-up mistake of a tracker with no plan: neither a binding nor a `plan`. */
function noCore(option) {
  return (
    'trackplan: no plan. Import createTracker from the directory `npx trackplan build` wrote, ' +
    `pass \`plan\`, or say where the core is (\`${option}\`)`
  );
}

/**
 * Instantiates the production glue with `module`, once: a second, different production
 * module in one page is a set-up mistake (the glue holds one instance).
 * @param {WebAssembly.Module} module
 */
function startProduction(module) {
  if (production && production !== module) {
    throw new SetupError('trackplan: this page already runs another plan: a page runs one plan (one `trackplan build` directory)');
  }
  if (!production) {
    initProductionGlue({ module });
    production = module;
  }
}

/**
 * Imports the full core's glue and instantiates it once, with the module at `source`
 * (the first one asked for: every copy of the full core has the same code); resolves
 * with the glue: `Tracker`, `lintPlanJson`, `planRulesJson`, `compilePlan`.
 * @param {WasmSource} source
 * @returns {Promise<typeof import('../wasm/trackplan_full.js')>}
 */
export function startFull(source) {
  full ??= import(/* webpackChunkName: "trackplan_full" */ '../wasm/trackplan_full.js').then(async (glue) => {
    glue.initSync({ module: await compile(source) });
    return glue;
  });
  return full;
}

/** Compiled modules, by source: a source given twice is fetched and compiled once. */
const compiled = new Map();

/**
 * Compiles a core's wasm from `source`: a `file:` URL is read from disk (Node); another
 * URL, a string or a `Request` is fetched; a response is compiled as it downloads when
 * served as `application/wasm` (else from its bytes); bytes are compiled off the main
 * thread.
 * @param {WasmSource} source
 * @returns {Promise<WebAssembly.Module>}
 * @throws {Error} (rejects) when the wasm cannot be fetched or is not a wasm module
 */
export function compile(source) {
  const key = typeof source === 'string' || source instanceof URL ? String(source) : source;
  if (!compiled.has(key)) compiled.set(key, compileNow(source));
  return compiled.get(key);
}

async function compileNow(source) {
  let input = source;
  if (input instanceof URL && input.protocol === 'file:') {
    // Node: fetch() cannot read files. The specifier is hidden from bundlers.
    const fs = 'node:fs/promises';
    const { readFile } = await import(/* @vite-ignore */ /* webpackIgnore: true */ fs);
    input = await readFile(input);
  } else if (typeof input === 'string' || input instanceof URL || (typeof Request === 'function' && input instanceof Request)) {
    input = await fetch(input);
  }
  if (typeof Response === 'function' && input instanceof Response) {
    if (!input.ok) throw new Error(`fetching ${input.url} answered ${input.status} ${input.statusText}`.trim());
    const type = input.headers.get('Content-Type');
    if (type !== 'application/wasm' && /html/.test(type ?? '')) {
      throw new Error(`fetching ${input.url} answered an HTML page, not the wasm: is the file served where the URL says?`);
    }
    input = type === 'application/wasm' ? await WebAssembly.compileStreaming(input) : await input.arrayBuffer();
  }
  return input instanceof WebAssembly.Module ? input : WebAssembly.compile(input);
}

/**
 * The plan `trackplan build` put in a core's wasm.
 * @param {WebAssembly.Module} module
 * @returns {Uint8Array}
 * @throws {Error} for a wasm without one (a core the package ships, not a binding's copy)
 */
function planOf(module) {
  const [section] = WebAssembly.Module.customSections(module, PLAN_SECTION);
  if (!section) {
    throw new SetupError('trackplan: this wasm holds no plan: use the .wasm files `npx trackplan build` wrote');
  }
  return new Uint8Array(section);
}
