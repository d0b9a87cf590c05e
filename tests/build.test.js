// `trackplan build` end to end, as a user runs it: `node js/node/cli.js build …` in a
// temporary directory. What it writes is deterministic, `--check` finds every difference,
// `trackplan.config.json` gives defaults (`plan`, `out`, `lint.ignore`), and every
// failure (a plan the guide refuses, input that cannot be read or used, a DIR that
// cannot be written or holds other files, a usage mistake) exits with its code, says
// what to fix, and leaves nothing behind: no staging directory, the previous DIR as it was.
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { after, describe, test } from 'node:test';
import { run } from '../js/node/commands/build.js';
import { root } from '../scripts/toolchain.js';
import { runTrackplanWith } from './e2e/support/cli.js';

/** What `trackplan build` writes, by name. */
const BINDING = ['index.d.ts', 'index.js', 'testing.d.ts', 'testing.js', 'trackplan-dev.wasm', 'trackplan.wasm'];

/** The package's demo plan: written to the tracking guide. */
const DEMO = readFileSync(join(root, 'plan/default.json'), 'utf8');

/** A plan that breaks the guide twice: an event name with capitals, a camelCase property. */
const OFF_GUIDE = {
  rules: [{ key: 'OrderCompleted', type: 'TRACK', jsonSchema: { properties: { orderId: { type: 'string' } } } }],
};

/** The silences that let {@link OFF_GUIDE} through, as a configuration gives them. */
const SILENCES = [
  { rule: 'event-name-lower-case', reason: 'named before the guide' },
  { rule: 'property-name-snake-case', reason: 'named before the guide' },
];

const temporary = [];
after(() => {
  for (const dir of temporary) rmSync(dir, { recursive: true, force: true });
});

/**
 * A new temporary directory holding `files` (path → an object, written as JSON, or a
 * string); returns its path.
 * @param {Record<string, unknown>} [files]
 */
function workspace(files = {}) {
  const dir = mkdtempSync(join(tmpdir(), 'trackplan-build-'));
  temporary.push(dir);
  for (const [name, content] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, name)), { recursive: true });
    writeFileSync(join(dir, name), typeof content === 'string' ? content : JSON.stringify(content, null, 2));
  }
  return dir;
}

/** Runs `trackplan build ...args` in `cwd`: `{ code, stdout, stderr }`. */
const build = (cwd, ...args) => runTrackplanWith({ cwd }, 'build', ...args);

/** The files of `dir`, name → bytes; null when it does not exist. */
function snapshot(dir) {
  if (!existsSync(dir)) return null;
  return Object.fromEntries(readdirSync(dir).sort().map((name) => [name, readFileSync(join(dir, name))]));
}

/** The paths below `dir` of what a build stages or moves aside while it writes. */
function leftovers(dir) {
  return readdirSync(dir, { recursive: true }).filter((path) => /\.trackplan-/.test(path));
}

test('writes the binding, byte for byte the same from the same plan', async () => {
  const dir = workspace({ 'plan.json': DEMO });
  const first = await build(dir, 'plan.json', '--out', 'first');
  assert.equal(first.code, 0, first.stderr);
  assert.match(first.stdout, /wrote first\/ from plan\.json\n {2}production core: lean/);
  assert.equal((await build(dir, 'plan.json', '--out', 'nested/second')).code, 0, 'a DIR whose parent is missing');
  const written = snapshot(join(dir, 'first'));
  assert.deepEqual(Object.keys(written), BINDING);
  assert.deepEqual(snapshot(join(dir, 'nested/second')), written, 'two runs, two directories');
  assert.equal((await build(dir, 'plan.json', '--out', 'first')).code, 0);
  assert.deepEqual(snapshot(join(dir, 'first')), written, 'written again over itself');
  assert.deepEqual(leftovers(dir), []);
});

test('--check exits 0 when DIR is up to date, 1 naming each file edited, removed or added, and writes nothing', async () => {
  const dir = workspace({ 'plan.json': DEMO });
  assert.equal((await build(dir, 'plan.json', '--out', 'gen')).code, 0);
  const check = () => build(dir, 'plan.json', '--out', 'gen', '--check');
  const fresh = await check();
  assert.equal(fresh.code, 0, fresh.stderr);
  assert.match(fresh.stdout, /gen is up to date/);

  writeFileSync(join(dir, 'gen/index.js'), `${readFileSync(join(dir, 'gen/index.js'), 'utf8')}// edited\n`);
  rmSync(join(dir, 'gen/testing.d.ts'));
  writeFileSync(join(dir, 'gen/notes.txt'), 'mine');
  const before = snapshot(join(dir, 'gen'));
  const stale = await check();
  assert.equal(stale.code, 1);
  assert.match(stale.stderr, /gen is stale \(index\.js differs; testing\.d\.ts is missing; notes\.txt is not build's\): run `npx trackplan build`/);
  assert.deepEqual(snapshot(join(dir, 'gen')), before, '--check writes nothing');

  const missing = await build(dir, 'plan.json', '--out', 'never-built', '--check');
  assert.equal(missing.code, 1);
  assert.match(missing.stderr, /index\.js is missing/);
  assert.equal(existsSync(join(dir, 'never-built')), false);
});

describe('trackplan.config.json', () => {
  test('gives the plan and DIR, relative to the file, which the command line overrides', async () => {
    const dir = workspace({ 'plans/plan.json': DEMO, 'trackplan.config.json': { plan: 'plans/plan.json', out: 'src/trackplan' } });
    const built = await build(dir);
    assert.equal(built.code, 0, built.stderr);
    assert.deepEqual(Object.keys(snapshot(join(dir, 'src/trackplan'))), BINDING);
    assert.equal((await build(dir, '--check')).code, 0, '--check takes the same defaults');

    const elsewhere = workspace();
    const configured = await build(elsewhere, '--config', join(dir, 'trackplan.config.json'), '--check');
    assert.equal(configured.code, 0, `paths are the file's, not the working directory's: ${configured.stderr}`);
    assert.equal((await build(dir, '--out', 'other')).code, 0);
    assert.deepEqual(snapshot(join(dir, 'other')), snapshot(join(dir, 'src/trackplan')), '--out overrides "out"');
  });

  test('"lint": { "ignore" } silences rules of the guide for the plans it builds', async () => {
    const silenced = workspace({ 'plan.json': OFF_GUIDE, 'trackplan.config.json': { plan: 'plan.json', out: 'gen', lint: { ignore: SILENCES } } });
    const built = await build(silenced);
    assert.equal(built.code, 0, built.stderr);
    assert.deepEqual(Object.keys(snapshot(join(silenced, 'gen'))), BINDING);

    const bare = workspace({ 'plan.json': OFF_GUIDE, 'trackplan.config.json': { plan: 'plan.json', out: 'gen' } });
    assert.equal((await build(bare)).code, 1, 'the same plan without the silences');

    const wrong = workspace({ 'plan.json': OFF_GUIDE, 'trackplan.config.json': { plan: 'plan.json', out: 'gen', lint: { ignore: 'all' } } });
    const refused = await build(wrong);
    assert.equal(refused.code, 2);
    assert.match(refused.stderr, /"lint": \{ "ignore" \} must be a list of silences/);
  });
});

test('a plan that breaks the tracking guide exits 1 with the findings and writes nothing', async () => {
  const dir = workspace({ 'plan.json': DEMO, 'off-guide.json': OFF_GUIDE });
  assert.equal((await build(dir, 'plan.json', '--out', 'gen')).code, 0);
  const before = snapshot(join(dir, 'gen'));
  for (const out of ['gen', 'fresh']) {
    const refused = await build(dir, 'off-guide.json', '--out', out);
    assert.equal(refused.code, 1);
    assert.match(refused.stderr, /off-guide\.json breaks the tracking guide/);
    assert.match(refused.stderr, /error \[event-name-lower-case\] `OrderCompleted`/);
    assert.match(refused.stderr, /error \[property-name-snake-case\] `OrderCompleted` property \/orderId/);
    assert.match(refused.stderr, /2 errors, 0 warnings/);
  }
  assert.deepEqual(snapshot(join(dir, 'gen')), before, 'the previous DIR is as it was');
  assert.equal(existsSync(join(dir, 'fresh')), false);
  assert.deepEqual(leftovers(dir), []);
});

/**
 * Failures: [what, files of the workspace besides a built `gen/` and a file `a-file`,
 * arguments, exit code, what stderr says]. After each, `gen/` is as it was and nothing
 * is staged.
 */
const FAILURES = [
  ['a plan file that does not exist', {}, ['missing.json', '--out', 'gen'], 2, /trackplan: missing\.json: cannot read the plan: no such file/],
  [
    'a plan that is not JSON: where, as line:column',
    { 'broken.json': '{\n  "rules": [\n    oops\n  ]\n}\n' },
    ['broken.json', '--out', 'gen'],
    2,
    /trackplan: broken\.json:3:5: the plan is not valid JSON/,
  ],
  [
    'a plan that ends early',
    { 'short.json': '{\n  "rules": [\n' },
    ['short.json', '--out', 'gen'],
    2,
    /short\.json:3:1: the plan is not valid JSON: the text ends early/,
  ],
  ['a document of no export shape', { 'shape.json': { events: 'none', foo: 1 } }, ['shape.json', '--out', 'gen'], 1, /shape\.json: tracking plan: no rules found/],
  [
    'a schema that is not valid: the rule and JSON pointer',
    { 'schema.json': { rules: [{ key: 'order completed', type: 'TRACK', jsonSchema: { properties: { n: { type: 'numbr' } } } }] } },
    ['schema.json', '--out', 'gen'],
    1,
    /schema\.json: tracking plan, rule "order completed": unknown type "numbr".*\(at \/rules\/0\/jsonSchema\/properties\/n\/type\)/,
  ],
  ['a DIR under a file', {}, ['plan.json', '--out', 'a-file/gen'], 1, /cannot write a-file\/gen: a-file is a file, not a directory/],
  ['a DIR that is a file', {}, ['plan.json', '--out', 'a-file'], 2, /a-file is a file, not a directory: give --out a directory/],
  [
    'a DIR holding other files',
    { 'mine/notes.txt': 'mine', 'mine/index.js': '' },
    ['plan.json', '--out', 'mine'],
    1,
    /mine holds files trackplan build does not write \(notes\.txt\): give --out a directory of its own/,
  ],
  [
    'a DIR holding a file named as an object property (constructor)',
    { 'mine/constructor': 'mine' },
    ['plan.json', '--out', 'mine'],
    1,
    /mine holds files trackplan build does not write \(constructor\)/,
  ],
  ['no DIR, and no configuration', {}, ['plan.json'], 2, /^trackplan: name where to write \(--out DIR, or "out" in trackplan\.config\.json\)$/m],
  ['--out without a value', {}, ['plan.json', '--out'], 2, /--out needs a value\n\nusage: trackplan build/],
  ['an unknown option', {}, ['plan.json', '--force'], 2, /unknown option --force\n\nusage: trackplan build/],
  ['two plans', {}, ['plan.json', 'other.json', '--out', 'gen'], 2, /one plan at a time \(got "plan\.json" and "other\.json"\)/],
  ['a value given to --check', {}, ['plan.json', '--out', 'gen', '--check=no'], 2, /--check takes no value\n\nusage: trackplan build/],
];

describe('every failure says what to fix and leaves nothing behind', () => {
  for (const [what, files, args, code, message] of FAILURES) {
    test(what, async () => {
      const dir = workspace({ 'plan.json': DEMO, 'a-file': 'not a directory', ...files });
      assert.equal((await build(dir, 'plan.json', '--out', 'gen')).code, 0);
      const before = { gen: snapshot(join(dir, 'gen')), mine: snapshot(join(dir, 'mine')) };
      const failed = await build(dir, ...args);
      assert.equal(failed.code, code, failed.stderr);
      assert.match(failed.stderr, message);
      assert.doesNotMatch(failed.stderr, /trackplan: trackplan/, 'one prefix');
      assert.deepEqual({ gen: snapshot(join(dir, 'gen')), mine: snapshot(join(dir, 'mine')) }, before, 'DIRs as they were');
      assert.deepEqual(leftovers(dir), []);
    });
  }
});

test('a write that fails part way leaves the previous DIR as it was and nothing staged', async () => {
  // In this process, whose id names the directory build moves DIR aside to: one in the
  // way makes the swap fail after the new files were staged. DIR held a build, or nothing.
  for (const previous of ['built', 'empty']) {
    const dir = workspace({ 'plan.json': DEMO });
    const out = join(dir, 'gen');
    mkdirSync(out);
    if (previous === 'built') {
      assert.equal(await run([join(dir, 'plan.json'), '--out', out]), 0);
      writeFileSync(join(out, 'index.js'), '// the previous build\n');
    }
    const before = snapshot(out);
    const aside = `${out}.trackplan-old-${process.pid}`;
    mkdirSync(aside);
    writeFileSync(join(aside, 'in-the-way'), '');
    assert.equal(await run([join(dir, 'plan.json'), '--out', out]), 1);
    assert.deepEqual(snapshot(out), before, previous);
    assert.deepEqual(snapshot(aside), { 'in-the-way': Buffer.from('') }, `${previous}: what was in the way is left alone`);
    rmSync(aside, { recursive: true });
    assert.deepEqual(leftovers(dir), []);
  }
});
