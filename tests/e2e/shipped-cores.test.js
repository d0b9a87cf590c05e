// Every production core a user can ship passes the JSON Schema Test Suite (draft-07) in
// headless Chromium, as shipped: `js/wasm/trackplan_basic.wasm`, `trackplan_lean.wasm`
// and `trackplan_complete.wasm` (after wasm-opt), through their glue `js/wasm/trackplan.js`
// and the SDK's loader (`startCore`, `createCore`), with a plan appended as
// `trackplan build` appends it. Each case's schema is the payload schema of a one-rule
// plan (examples/suite_plans.rs: the schema is the document root, remote documents come
// from the suite's `remotes/`), compiled as build compiles a plan: byte for byte what
// the full core's `compilePlan` makes of the one-rule export, for every case that needs
// no remote document. Each test's data is checked as the payload of a track call. The
// basic and lean cores refuse, when the tracker is made, every plan that uses a keyword
// or format they leave out (exactly those `planNeeds` ships a larger core for); the
// complete core refuses none. Required files, the optional format files and
// `optional/ecmascript-regex.json`, as the wasm-bindgen-test run of the full core does.
// Without the suite the tests are skipped with a notice, except under CI=true.
import assert from 'node:assert/strict';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { PRODUCTION_CORES, withCustomSection } from '../../js/node/binding.js';
import { compilePlan, planNeeds, startTools } from '../../js/node/tools.js';
import { createCollector } from '../../js/node/collector/index.js';
import { PLAN_SECTION } from '../../js/sdk/protocol.js';
import { bundlePage } from '../../scripts/build.js';
import { root } from '../../scripts/toolchain.js';
import { launch } from './support/browser.js';
import { SUITE_EVENT, suitePlans } from './support/suite.js';

/** The production cores the package ships, as `trackplan build` names them, smallest first. */
const CORES = Object.keys(PRODUCTION_CORES);

const suite = await suitePlans();
const notice = `json-schema-test-suite: not found at ${suite.root} (set JSON_SCHEMA_TEST_SUITE)`;
const skip = !suite.found && process.env.CI !== 'true';
if (skip) console.log(`# ${notice}: skipped`);

const stage = { browser: null, server: null, page: null };

before(async () => {
  if (skip) return;
  await startTools();
  const dir = join(root, 'target/e2e-shipped-cores');
  rmSync(dir, { recursive: true, force: true });
  await bundlePage(join(root, 'tests/e2e/support/shipped-cores-page.js'), dir);
  writeFileSync(join(dir, 'index.html'), '<!doctype html><meta charset="utf-8"><link rel="icon" href="data:,"><script type="module" src="shipped-cores-page.js"></script>');
  const [browser, server] = await Promise.all([launch(), createCollector({ port: 0, staticDir: dir, quiet: true })]);
  Object.assign(stage, { browser, server, page: await browser.newPage() });
});

after(async () => {
  await stage.browser?.close();
  await stage.server?.close();
});

/**
 * Which production core each compiled case needs, as `trackplan build` chooses it
 * (`planNeeds`, the full core's export): `basic`, `lean` or `complete`, by the case's
 * index.
 */
function neededCores() {
  return suite.groups.map((group) => (group.plan ? planNeeds(group.plan).core : undefined));
}

test('each case compiles to the plan trackplan build compiles from a one-rule export', { skip }, () => {
  assert.ok(suite.found, notice);
  let same = 0;
  const remote = suite.groups.filter((group) => group.remotes.length > 0);
  for (const group of suite.groups) {
    const where = `${group.file} / ${group.description}`;
    assert.ok(group.plan, `${where}: ${group.error}`);
    const text = JSON.stringify({ rules: [{ key: SUITE_EVENT, type: 'TRACK', jsonSchema: group.schema }] });
    if (group.remotes.length > 0) {
      // Build resolves a plan's `$ref`s within the plan: it has no remote documents.
      assert.throws(() => compilePlan(text, false), /designates no schema|cannot be resolved|\$ref/, where);
      continue;
    }
    assert.deepEqual(Buffer.from(compilePlan(text, false)), group.plan, `${where}: the compiled plans differ`);
    same += 1;
  }
  console.log(
    `json-schema-test-suite draft7: ${same} of ${suite.groups.length} cases compiled byte for byte as trackplan build compiles ` +
      `them; ${remote.length} $ref a remote document (given from the suite's remotes/; build has none)`,
  );
});

for (const core of CORES) {
  test(`the ${core} production core, as shipped, passes the JSON Schema Test Suite draft-07 in headless Chromium`, { skip }, async () => {
    assert.ok(suite.found, notice);
    const { tallies, problems, refused } = await runSuite(core);
    for (const [set, { passed, refused: count, failed }] of Object.entries(tallies)) {
      const name = set === 'required' ? 'draft7' : `draft7 ${set}`;
      console.log(`json-schema-test-suite ${name} (${core} core, as shipped): ${passed} passed, ${count} refused (need a larger core), ${failed} failed`);
    }
    assert.deepEqual(problems, [], `${problems.length} tests failed on the ${core} core`);
    const needs = neededCores();
    const expected = suite.groups.flatMap((_, index) => (CORES.indexOf(needs[index]) > CORES.indexOf(core) ? [index] : []));
    assert.deepEqual(refused.map(label), expected.map(label), `the ${core} core refuses exactly the plans planNeeds gives a larger core`);
  });
}

/**
 * Runs every case on the production core `core` as shipped, each plan appended to it as
 * `trackplan build` appends it: `tallies` (tests passed, refused and failed, by set),
 * `problems` (one line per test failed) and `refused` (the indexes of the cases whose
 * core tracker the core refused because the plan uses what it leaves out).
 * @param {string} core
 */
async function runSuite(core) {
  const shipped = readFileSync(PRODUCTION_CORES[core]);
  const wasms = suite.groups.map((group) => group.plan && withCustomSection(shipped, PLAN_SECTION, group.plan));
  await stage.page.route('**/suite/*.wasm', (route) => {
    const index = Number(/(\d+)\.wasm$/.exec(route.request().url())[1]);
    return route.fulfill({ status: 200, contentType: 'application/wasm', body: Buffer.from(wasms[index]) });
  });
  const tallies = {};
  const problems = [];
  const refused = [];
  for (const [index, group] of suite.groups.entries()) {
    const tally = (tallies[group.set] ??= { passed: 0, refused: 0, failed: 0 });
    const outcome = await checkGroup(group, `/suite/${index}.wasm`);
    if (outcome.refused !== undefined && /leaves out/.test(outcome.refused)) {
      refused.push(index);
      tally.refused += group.tests.length;
      continue;
    }
    const found = groupProblems(group, outcome);
    tally.failed += found.length;
    tally.passed += group.tests.length - found.length;
    problems.push(...found);
  }
  await stage.page.unroute('**/suite/*.wasm');
  return { tallies, problems, refused };
}

/** A case's file and description, for messages. */
function label(index) {
  const { file, description } = suite.groups[index];
  return `${file} / ${description}`;
}

/**
 * Loads the page again (a page runs one production core) and checks `group`'s tests on
 * the production core at `url`.
 * @returns {Promise<{ violations?: object[][], refused?: string, failed?: string }>}
 */
async function checkGroup(group, url) {
  if (!group.plan) return { failed: `not compiled: ${group.error}` };
  // The page's module has run by DOMContentLoaded (a module script is deferred).
  await stage.page.goto(`${stage.server.url}/`, { waitUntil: 'domcontentloaded' });
  const instances = group.tests.map((t) => JSON.stringify(t.data));
  return stage.page.evaluate(([u, event, data]) => window.checkGroup(u, event, data), [url, SUITE_EVENT, instances]);
}

/** What went wrong with `group`'s tests given the page's `outcome`, one line per test. */
function groupProblems(group, outcome) {
  const where = `${group.file} / ${group.description}`;
  if (!outcome.violations) {
    const why = outcome.failed ?? `the core tracker was refused: ${outcome.refused}`;
    return group.tests.map((t) => `${where} / ${t.description}: ${why}`);
  }
  return group.tests.flatMap((t, i) => {
    const violations = outcome.violations[i];
    if ((violations.length === 0) === t.valid) return [];
    return [`${where} / ${t.description}: expected valid: ${t.valid}, got violations ${JSON.stringify(violations)}`];
  });
}
