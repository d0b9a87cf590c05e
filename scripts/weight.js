/**
 * What a page downloads of trackplan: the wasm and the package's own JS (bundled and
 * minified, analytics-next left out), raw and gzip -9, for an app bound to a plan by
 * `trackplan build`; what a plan given at run time or a page outside production loads
 * lazily on top, what the console tools (help, debug logging) load when a developer
 * first asks for them, and what the inspector loads when opened. Also the plans weighed
 * beside the demo plan (Typewriter's fixtures) and how their bindings are written.
 * Shared by the weight test and the benchmark.
 */

import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import * as esbuild from 'esbuild';
import { bindingFiles } from '../js/node/binding.js';
import { withSilences } from '../js/node/commands/build.js';
import { root } from './toolchain.js';

/** Segment's real plans, Typewriter's test fixtures (`../shared`, or `TRACKPLAN_SHARED`). */
export const TYPEWRITER_FIXTURES = join(process.env.TRACKPLAN_SHARED ?? join(root, '../shared'), 'fixtures/segment-plans');

/** The file names of Typewriter's fixture plans: the same plan as each API exports it. */
export const TYPEWRITER_PLANS = ['typewriter-e2e.public-api-v2.json', 'typewriter-e2e.config-api-v1.json'];

/**
 * The rules of this organisation's tracking guide that Typewriter's fixture plans break
 * (they test code generation on names of every shape), silenced as a team building them
 * would silence them in `trackplan.config.json`.
 */
const TYPEWRITER_SILENCES = ['event-name-lower-case', 'event-name-spacing', 'event-name-object-action', 'property-name-snake-case'].map(
  (rule) => ({ rule, reason: "Typewriter's fixtures name events and properties every way, to test code generation" }),
);

/**
 * A Typewriter fixture plan's text as `trackplan build` compiles it with a configuration
 * that silences the guide's rules it breaks (`withSilences`).
 * @param {string} name one of {@link TYPEWRITER_PLANS}
 * @returns {string}
 */
export function typewriterPlan(name) {
  const text = readFileSync(join(TYPEWRITER_FIXTURES, name), 'utf8');
  return withSilences(text, name, { lint: { ignore: TYPEWRITER_SILENCES } });
}

/**
 * Writes the binding of a plan into `dir`, as `trackplan build` does.
 * @param {string} text the plan's JSON text
 * @param {string} source the plan file's name, for the files' headers
 * @param {string} dir
 * @returns {Promise<{ core: string, uses: string[] }>} the production core it ships, and
 *   the keywords and formats that chose it
 */
export async function writeBinding(text, source, dir) {
  const { files, core, uses } = await bindingFiles(text, { source });
  mkdirSync(dir, { recursive: true });
  for (const [name, content] of Object.entries(files)) writeFileSync(join(dir, name), content);
  return { core, uses };
}

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
 * Resolves `trackplan/…` to this checkout, by its `exports`, for a binding outside it
 * (which imports `trackplan/sdk`, as an app's node_modules would give it).
 */
const packageItself = {
  name: 'trackplan-itself',
  setup(build) {
    const { exports } = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
    build.onResolve({ filter: /^trackplan(\/|$)/ }, ({ path }) => {
      const entry = exports[`.${path.slice('trackplan'.length)}`];
      return entry?.default ? { path: join(root, entry.default) } : undefined;
    });
  },
};

/**
 * An app's JS as a page gets it from a bundler that splits code (esbuild, minified,
 * analytics-next left out): the app imports `createTracker` from the plan's binding
 * `binding` (a directory `trackplan build` wrote) and calls it. Weighed per chunk:
 * `eager`, the entry chunk and the chunks it imports statically; `fullCore`,
 * `consoleTools` and `inspector`, the chunks a dynamic `import()` of the full core's
 * glue, of the console tools or of the inspector fetches beyond those. Each is
 * `{ raw, gzip }`, summed over its chunks (a
 * browser fetches and decompresses each chunk on its own); `eager.modules` also gives
 * the minified bytes of each source module in the eager chunks.
 * @param {string} binding
 */
async function splitBundleWeight(binding) {
  const entry = 'app.js';
  const result = await esbuild.build({
    stdin: {
      contents: `import { createTracker } from ${JSON.stringify(join(binding, 'index.js'))};\n` +
        "createTracker({ writeKeys: { production: 'PROD' }, hosts: { production: ['app.example.com'] } });\n",
      sourcefile: entry,
      resolveDir: root,
    },
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
    plugins: [packageItself],
    logLevel: 'error',
  });
  const outputs = result.metafile.outputs;
  const start = Object.keys(outputs).find((path) => outputs[path].entryPoint === entry);
  const eager = reachable([start], outputs, ['import-statement']);
  const lazy = (input) => {
    const from = Object.keys(outputs).find((path) => Object.keys(outputs[path].inputs).includes(input) && !eager.includes(path));
    return from ? reachable([from], outputs, ['import-statement']).filter((path) => !eager.includes(path)) : [];
  };
  const weightOf = (paths) =>
    sum(paths.map((path) => weigh(Buffer.from(result.outputFiles.find((file) => file.path === join(root, path)).contents))));
  const modules = {};
  for (const path of eager) {
    for (const [input, { bytesInOutput }] of Object.entries(outputs[path].inputs)) {
      modules[input] = (modules[input] ?? 0) + bytesInOutput;
    }
  }
  return {
    eager: { ...weightOf(eager), modules },
    fullCore: weightOf(lazy('js/wasm/trackplan_full.js')),
    consoleTools: weightOf(lazy('js/sdk/console-tools.js')),
    inspector: weightOf(lazy('js/inspector/index.js')),
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
 * What trackplan costs a page of an app bound to a plan by `trackplan build` (the
 * directory `binding`; the package's demo binding by default), each `{ raw, gzip }`:
 * `{ wasm, js, total }`, the download of a production page (the plan's production core,
 * `trackplan.wasm`, with its compiled plan, and the JS the app loads eagerly); `plan`,
 * the plan's own part of that wasm (its custom section, raw, and what gzip of the wasm
 * grows by with it); `lazy: { wasm, js, total }`, what a page outside production, or
 * that passes a plan at run time, fetches lazily (the full core's glue chunk and its
 * wasm, `trackplan-dev.wasm`, in place of the production core); `consoleTools`, the
 * JS fetched when a page first logs in debug mode or prints `help()`; and `inspector`,
 * the JS fetched when a page opens the inspector.
 * @param {string} [binding]
 */
export async function sdkWeight(binding = join(root, 'js/demo')) {
  const split = await splitBundleWeight(binding);
  const bytes = readFileSync(join(binding, 'trackplan.wasm'));
  const wasm = weigh(bytes);
  const core = weigh(bytes.subarray(0, planSectionStart(bytes)));
  const fullWasm = weigh(readFileSync(join(binding, 'trackplan-dev.wasm')));
  return {
    wasm,
    js: split.eager,
    total: sum([wasm, split.eager]),
    plan: { raw: wasm.raw - core.raw, gzip: wasm.gzip - core.gzip },
    lazy: { wasm: fullWasm, js: split.fullCore, total: sum([fullWasm, split.fullCore]) },
    consoleTools: split.consoleTools,
    inspector: split.inspector,
  };
}

/** Where the plan's custom section (the last, as `trackplan build` appends it) starts. */
function planSectionStart(bytes) {
  const { sections } = wasmProfile(bytes);
  const last = sections.at(-1);
  if (last?.name !== 'custom "trackplan.plan"') throw new Error('the wasm holds no plan section at its end');
  return bytes.length - last.raw;
}

/** The standard sections of a wasm module, by id, as the profile names them. */
const SECTION_NAMES = ['custom', 'type', 'import', 'function', 'table', 'memory', 'global', 'export', 'start', 'element', 'code', 'data', 'data count'];

/**
 * Where a wasm module's bytes go, raw (before compression): `sections`, the bytes of each
 * section with its id and length (custom sections by their own name); `functions`, the
 * body of each function the module defines, largest first, named from its `name`
 * section when it has one (the benchmark builds a copy of the default core that keeps
 * it: the package's wasm is stripped) with Rust's symbol hash left out, else by index;
 * and `data`, the bytes of the data segments (the embedded plan, messages, constants).
 * @param {Uint8Array} bytes a wasm module
 * @returns {{ sections: { name: string, raw: number }[], functions: { name: string, raw: number }[], data: number }}
 * @throws {Error} when `bytes` are not a wasm module this reader can walk
 */
export function wasmProfile(bytes) {
  if (String.fromCharCode(...bytes.subarray(0, 4)) !== '\0asm') throw new Error('not a wasm module: no \\0asm header');
  let module;
  try {
    module = new WebAssembly.Module(bytes);
  } catch (error) {
    throw new Error(`not a wasm module: ${error.message}`);
  }
  const imported = WebAssembly.Module.imports(module).filter((i) => i.kind === 'function').length;
  const [nameSection] = WebAssembly.Module.customSections(module, 'name');
  const names = nameSection ? functionNames(new Uint8Array(nameSection)) : new Map();
  const reader = leb128(bytes, 8);
  const sections = [];
  let bodies = [];
  let data = 0;
  while (reader.at < bytes.length) {
    const begin = reader.at;
    const id = bytes[reader.at++];
    const end = reader.uint() + reader.at;
    let name = SECTION_NAMES[id] ?? `section ${id}`;
    if (id === 0) name = `custom "${reader.text(reader.uint())}"`;
    else if (id === 10) {
      bodies = Array.from({ length: reader.uint() }, () => {
        const size = reader.uint();
        reader.at += size;
        return size;
      });
    } else if (id === 11) data = end - reader.at;
    sections.push({ name, raw: end - begin });
    reader.at = end;
  }
  const functions = bodies
    .map((raw, i) => ({ name: names.get(imported + i)?.replace(/::h[0-9a-f]{16}$/, '') ?? `function ${imported + i}`, raw }))
    .sort((a, b) => b.raw - a.raw);
  return { sections, functions, data };
}

/**
 * A reader of `bytes` from `at`: unsigned LEB128 integers and UTF-8 strings.
 * @param {Uint8Array} bytes
 * @param {number} at
 */
function leb128(bytes, at) {
  return {
    at,
    uint() {
      let n = 0;
      for (let shift = 0; ; shift += 7) {
        if (this.at >= bytes.length || shift > 28) throw new Error('not a wasm module: a LEB128 integer runs past its end');
        const byte = bytes[this.at++];
        n += (byte & 0x7f) * 2 ** shift;
        if (byte < 0x80) return n;
      }
    },
    text(length) {
      return new TextDecoder().decode(bytes.subarray(this.at, (this.at += length)));
    },
  };
}

/**
 * The function names of a `name` section's contents, by function index (its other
 * subsections skipped).
 * @param {Uint8Array} section
 * @returns {Map<number, string>}
 */
function functionNames(section) {
  const names = new Map();
  const reader = leb128(section, 0);
  while (reader.at < section.length) {
    const kind = section[reader.at++];
    const next = reader.uint() + reader.at;
    if (kind === 1) {
      for (let count = reader.uint(); count > 0; count--) {
        const index = reader.uint();
        names.set(index, reader.text(reader.uint()));
      }
    }
    reader.at = next;
  }
  return names;
}
