// `trackplan types` and the package's declarations, through the real TypeScript compiler:
// a correct call compiles; a wrong property, a wrong enum value, a missing required
// property and an unplanned event each fail, on exactly the lines marked `// ✗`.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { before, describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { bindingFiles } from '../../js/node/binding.js';
import { declarations } from '../../js/node/types.js';
import { readPlanRules } from '../../js/node/commands/input.js';
import { planRules, startTools } from '../../js/node/tools.js';
import { demoPlanPath } from '../../scripts/build.js';

const root = fileURLToPath(new URL('../..', import.meta.url));
const work = join(root, 'target/types-test');
const tsc = join(root, 'node_modules/typescript/bin/tsc');
const shared = process.env.TRACKPLAN_SHARED ?? join(root, '../shared');
const fixtures = join(shared, 'fixtures/segment-plans');

/**
 * Compiles `files` (name → source) as one project with `tsc --noEmit`; returns the
 * diagnostics as `{ file, line, code }`.
 */
async function compile(project, files, moduleResolution = 'bundler') {
  const dir = join(work, project);
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(join(dir, name, '..'), { recursive: true });
    writeFileSync(join(dir, name), text);
  }
  // Installed as an app would have it, so `/// <reference types="trackplan/…" />` resolves.
  mkdirSync(join(dir, 'node_modules'));
  symlinkSync(root, join(dir, 'node_modules/trackplan'), 'dir');
  const tsconfig = {
    compilerOptions: {
      strict: true,
      noEmit: true,
      target: 'es2022',
      module: moduleResolution === 'node10' ? 'commonjs' : 'esnext',
      moduleResolution,
      lib: ['es2022', 'dom'],
      types: [],
      skipDefaultLibCheck: true,
      // node10 resolution finds the package by name from its own declarations only where
      // an install puts it, under node_modules: the symlink's path, not the repository's.
      preserveSymlinks: moduleResolution === 'node10',
    },
    files: Object.keys(files).filter((name) => name.endsWith('.ts')),
  };
  writeFileSync(join(dir, 'tsconfig.json'), JSON.stringify(tsconfig));
  const { stdout } = await promisify(execFile)(process.execPath, [tsc, '-p', dir, '--pretty', 'false']).catch((e) => e);
  return stdout
    .split('\n')
    .map((line) => line.match(/^(.+?)\((\d+),\d+\): error (TS\d+)/))
    .filter(Boolean)
    .map(([, file, line, code]) => ({ file, line: Number(line), code }));
}

/** The 1-based lines of `source` marked `// ✗`. */
function markedLines(source) {
  return source
    .split('\n')
    .map((line, i) => (line.includes('// ✗') ? i + 1 : 0))
    .filter(Boolean);
}

let planTypes;
before(async () => {
  planTypes = declarations(await readPlanRules(join(root, 'plan/default.json')), 'default.json');
});

const CALLS = `import { createTracker } from 'trackplan';
const tracker = await createTracker();
tracker.track('call started', { episode_id: 'ep_1', call_id: 'call_1', user_type: 'patient' });
tracker.track('call started', { episode_id: 'ep_1', call_id: 'call_1', user_type: 'patient', call_type: 'audio' });
tracker.track('call ended', { episode_id: 'ep_1', call_id: 'c', type: 'ended_by_patient', duration_seconds: 61 }, { context: {} });
tracker.identify('user_1', { user_type: 'practitioner', email: 'p@example.com' });
tracker.page('app', 'episode', { episode_id: 'ep_1' });
tracker.track('call started', { episode_id: 'ep_1', call_id: 'call_1', user_type: 'patient', channel: 'x' }); // ✗ wrong property
tracker.track('call started', { episode_id: 'ep_1', call_id: 'call_1', user_type: 'doctor' }); // ✗ wrong enum value
tracker.track('call started', { call_id: 'call_1', user_type: 'patient' }); // ✗ missing required property
tracker.track('call started'); // ✗ required properties, none given
tracker.track('Call Started', { episode_id: 'ep_1' }); // ✗ unplanned event
tracker.track('call ended', { episode_id: 'ep_1', call_id: 'c', type: 'ended_by_patient', duration_seconds: '61' }); // ✗ wrong type
tracker.identify('user_1', { user_type: 'superuser' }); // ✗ wrong trait value
tracker.identify('user_1'); // ✗ required traits, none given
tracker.identify({ user_type: 'patient' });
tracker.identify(null, { user_type: 'patient' }, { context: {} });
tracker.identify({ user_type: 'doctor' }); // ✗ wrong trait value, identify(traits)
tracker.page('app', 'episode', { episode_id: 1 }); // ✗ wrong page property type
tracker.page('app', 'episode', { screen: 'settings' }); // ✗ unplanned page property
tracker.page('episode', { episode_id: 1 }); // ✗ wrong page property type, page(name, properties)
tracker.page('episode', { episode_id: 'ep_1' });
tracker.page({ episode_id: 'ep_1' });
tracker.page();
tracker.group('org_1', { plan: 'enterprise', seats: 40 });
`;

describe('tsc --noEmit against generated declarations', () => {
  test('with the plan: correct calls compile, each mistake fails on its line', async () => {
    const diagnostics = await compile('planned', { 'plan.d.ts': planTypes, 'calls.ts': CALLS });
    assert.deepEqual(
      diagnostics.map((d) => d.line),
      markedLines(CALLS),
      JSON.stringify(diagnostics),
    );
    assert.ok(diagnostics.every((d) => d.file.endsWith('calls.ts')));
  });

  test('a binding `trackplan build` wrote types its calls with no further step, under each resolution', async () => {
    const { files } = await bindingFiles(readFileSync(demoPlanPath, 'utf8'), { source: 'default.json' });
    const calls = CALLS.replace("from 'trackplan';", "from './gen/index.js';").replace(
      'const tracker = await createTracker();',
      "const tracker = await createTracker();\nimport { createTestTracker } from './gen/testing.js';\n(await createTestTracker()).expectTracked('call started');",
    );
    const project = { 'calls.ts': calls };
    for (const name of ['index.js', 'index.d.ts', 'testing.js', 'testing.d.ts']) project[`gen/${name}`] = files[name];
    const diagnostics = await compile('binding', project);
    assert.deepEqual(
      diagnostics.map((d) => d.line),
      markedLines(calls),
      JSON.stringify(diagnostics),
    );
  });

  test('@ts-expect-error on each mistake: the project compiles clean', async () => {
    const expecting = CALLS.replace(/^(.*)\/\/ ✗.*$/gm, '// @ts-expect-error\n$1');
    assert.deepEqual(await compile('expect-error', { 'plan.d.ts': planTypes, 'calls.ts': expecting }), []);
  });

  test('without a plan, any event name and object is accepted', async () => {
    const free = CALLS.replace(/ \/\/ ✗.*$/gm, '').split('\n').filter((l) => !l.includes("'superuser'")).join('\n');
    assert.deepEqual(await compile('unplanned', { 'calls.ts': free }), []);
  });

  test('AllowUnplannedEvents admits other names; planned events stay checked', async () => {
    const allow = `declare module 'trackplan' { interface AllowUnplannedEvents { allow: true } }\nexport {};\n`;
    const calls = `import { createTracker } from 'trackplan';
const tracker = await createTracker();
tracker.track('Experiment Viewed', { variant: 'b' });
tracker.track('call started', { episode_id: 'ep_1', call_id: 'call_1', user_type: 'doctor' }); // ✗ wrong enum value
`;
    const diagnostics = await compile('allow', { 'plan.d.ts': planTypes, 'allow.d.ts': allow, 'calls.ts': calls });
    assert.deepEqual(diagnostics.map((d) => d.line), markedLines(calls));
  });

  test('page and group rules type their calls, in each form page takes; without them, any object', async () => {
    await startTools();
    const plan = {
      rules: [
        {
          type: 'PAGE',
          jsonSchema: {
            type: 'object',
            properties: { screen: { enum: ['home', 'settings'] }, episode_id: { type: 'string' } },
            required: ['screen'],
          },
        },
        {
          type: 'GROUP',
          jsonSchema: {
            description: 'The organization of the user.',
            type: 'object',
            properties: {
              plan: { enum: ['free', 'enterprise'] },
              seats: { type: 'integer' },
              address: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] },
            },
            required: ['plan'],
          },
        },
      ],
    };
    const types = declarations(planRules(plan), 'page-group.json');
    assert.match(types, /interface PlannedPageProperties \{/);
    assert.match(types, /\/\*\* The organization of the user\. \*\/\n  interface PlannedGroupTraits \{/);
    const calls = `import { createTracker } from 'trackplan';
const tracker = await createTracker();
tracker.page('app', 'home', { screen: 'home' });
tracker.page(undefined, undefined, { screen: 'settings', episode_id: 'ep_1' });
tracker.page('home', { screen: 'home' });
tracker.page({ screen: 'settings' }, { context: {} });
tracker.group('org_1', { plan: 'enterprise', seats: 40, address: { city: 'Lyon' } });
tracker.page(); // ✗ required properties, none given
tracker.page('app', 'home'); // ✗ required properties, none given
tracker.group('org_1'); // ✗ required traits, none given
tracker.page('app', 'home', { screen: 'profile' }); // ✗ wrong enum value
tracker.page('home', { screen: 'profile' }); // ✗ wrong enum value, page(name, properties)
tracker.page({ episode_id: 'ep_1' }); // ✗ missing required property, page(properties)
tracker.page('app', 'home', { episode_id: 'ep_1' }); // ✗ missing required property
tracker.page('app', 'home', { screen: 'home', episode_id: 7 }); // ✗ wrong type
tracker.group('org_1', { plan: 'enterprise', seats: '40' }); // ✗ wrong type
tracker.group('org_1', { plan: 'gold' }); // ✗ wrong enum value
tracker.group('org_1', { plan: 'free', address: {} }); // ✗ missing nested required property
tracker.group('org_1', { plan: 'free', industry: 'health' }); // ✗ unplanned trait
`;
    const diagnostics = await compile('page-group', { 'plan.d.ts': types, 'calls.ts': calls });
    assert.deepEqual(diagnostics.map((d) => d.line), markedLines(calls), JSON.stringify(diagnostics));
    const expecting = calls.replace(/^(.*)\/\/ ✗.*$/gm, '// @ts-expect-error\n$1');
    assert.deepEqual(await compile('page-group-expect-error', { 'plan.d.ts': types, 'calls.ts': expecting }), []);
    // Without the declarations, every call above compiles.
    const free = calls.replace(/ \/\/ ✗.*$/gm, '');
    assert.deepEqual(await compile('page-group-free', { 'calls.ts': free }), []);
  });

  test('the shipped embedded-plan augmentation is opt-in, up to date and checks calls', async () => {
    const shipped = readFileSync(join(root, 'js/embedded-plan.d.ts'), 'utf8');
    const fresh = declarations(await readPlanRules(demoPlanPath), demoPlanPath.split('/').pop());
    assert.equal(shipped, fresh, 'js/embedded-plan.d.ts is stale: run node scripts/build.js');
    const calls = `/// <reference types="trackplan/embedded-plan" />
import { createTracker } from 'trackplan';
const tracker = await createTracker();
tracker.track('user signed up', { user_type: 'patient', signup_method: 'email' });
tracker.track('user signed up', { user_type: 'patient', signup_method: 'fax' }); // ✗ wrong enum value
`;
    const diagnostics = await compile('embedded', { 'calls.ts': calls });
    assert.deepEqual(diagnostics.map((d) => d.line), markedLines(calls));
  });
});

test("the README's tracker options and methods compile; wrong uses fail on their lines", async () => {
  const source = `import { createTracker, newId, type CallRecord, type PropertyRow } from 'trackplan';
import { createTestTracker, type CapturedCall } from 'trackplan/testing';
const tracker = await createTracker({
  writeKeys: { production: 'PROD_KEY', quarantine: 'QUARANTINE_KEY' },
  queueSize: 5000,
  onViolation: ({ call, violations, action, verdict }) => console.warn(call.type, call.args, action, violations, verdict.ok),
});
tracker.setContext({ episode_id: 'ep_123', user_type: 'patient' });
tracker.setContext({ episode_id: null });
const ids: string[] = [tracker.newId('call'), tracker.newId(), newId('task')];
const broken = tracker.violations().map((entry) => entry.violations);
const rows: PropertyRow[] = await tracker.explain('call started');
const stop: () => void = tracker.onCall((call: CallRecord) => console.log(call.type, call.sent, call.omitted));
const verdict = tracker.track('call started', { episode_id: 'ep_1', call_id: 'c' });
const advice: string[] = verdict.hints.map((hint) => hint.message);
const omitted: string[] = verdict.omitted;
const version: number | undefined = verdict.version;
stop();
const dropped: number = tracker.droppedBeforeReady;
const test = await createTestTracker();
const captured: CapturedCall[] = test.all();
console.log(ids, broken, rows, dropped, captured, advice, omitted, version);
createTracker({ writeKeys: { prod: 'KEY' } }); // ✗ not an environment
tracker.setContext('episode_id'); // ✗ not an object
tracker.onCall((call) => call.nothing); // ✗ no such field
`;
  const diagnostics = await compile('tracker-api', { 'uses.ts': source });
  assert.deepEqual(diagnostics.map((d) => d.line), markedLines(source), JSON.stringify(diagnostics));
});

test('properties declared as ContextProperties may be left out of calls, and setContext is checked', async () => {
  const context = `declare module 'trackplan' {
  interface ContextProperties { episode_id: string; user_type: 'patient' | 'practitioner' }
}
export {};
`;
  const calls = `import { createTracker } from 'trackplan';
const tracker = await createTracker();
tracker.setContext({ episode_id: 'ep_1', user_type: 'patient' });
tracker.setContext({ episode_id: null });
tracker.track('call started', { call_id: 'call_1' });
tracker.track('call started', { call_id: 'call_1', episode_id: 'ep_2', user_type: 'practitioner' });
tracker.identify('user_1', {});
tracker.track('call started', { episode_id: 'ep_1', user_type: 'patient' }); // ✗ call_id is not from the context
tracker.track('call started', { call_id: 'call_1', user_type: 'doctor' }); // ✗ still checked when given
tracker.setContext({ episode_id: 1 }); // ✗ not a string
tracker.setContext({ channel_id: 'ch_1' }); // ✗ not a context property
`;
  const diagnostics = await compile('context', { 'plan.d.ts': planTypes, 'context.d.ts': context, 'calls.ts': calls });
  assert.deepEqual(diagnostics.map((d) => d.line), markedLines(calls), JSON.stringify(diagnostics));
});

test('the subpaths resolve under node10 resolution too (typesVersions), as under bundler', async () => {
  const source = `/// <reference types="trackplan/embedded-plan" />
import { createTestTracker } from 'trackplan/testing';
export async function run() {
  const t = await createTestTracker();
  t.track('user signed up', { user_type: 'patient', signup_method: 'email' });
  t.track('user signed up', { user_type: 'patient', signup_method: 'fax' }); // ✗ wrong enum value
}
`;
  for (const resolution of ['node10', 'bundler']) {
    const diagnostics = await compile(`resolution-${resolution}`, { 'uses.ts': source }, resolution);
    assert.deepEqual(diagnostics.map((d) => d.line), markedLines(source), `${resolution}: ${JSON.stringify(diagnostics)}`);
  }
});

test('trackplan/collector is typed, under node10 resolution as under bundler', async () => {
  const source = `import { createCollector, type BadEvent, type ReceivedEvent } from 'trackplan/collector';
export async function run() {
  const collector = await createCollector({ port: 0, staticDir: 'dist', quiet: true, plan: '{}' });
  const apiHost: string = collector.settingsFor('wk_test').integrations['Segment.io'].apiHost;
  const all: ReceivedEvent[] = collector.events({ type: 'track' });
  const good: ReceivedEvent[] = await collector.good((e) => e.writeKey === 'wk_test');
  const bad: BadEvent[] = await collector.bad((e) => e.violations.length > 1);
  const first: ReceivedEvent = await collector.waitFor((e) => e.event === 'call ended', { timeout: 100 });
  const started: ReceivedEvent = await collector.expectReceived('call started', { episode_id: 'ep_1' });
  collector.reset();
  await collector.close();
  console.log(collector.url, collector.port, apiHost, all, good, bad, first, started);
  console.log((await collector.bad())[0].violations[0].nothing); // ✗ no such field
  collector.good().length; // ✗ a promise
  await collector.expectReceived(); // ✗ the event is needed
  await createCollector({ port: '8787' }); // ✗ not a number
}
`;
  for (const resolution of ['node10', 'bundler']) {
    const diagnostics = await compile(`collector-${resolution}`, { 'uses.ts': source }, resolution);
    assert.deepEqual(diagnostics.map((d) => d.line), markedLines(source), `${resolution}: ${JSON.stringify(diagnostics)}`);
  }
});

test('trackplan/inspector and tracker.inspect() are typed, under node10 resolution as under bundler', async () => {
  const source = `import { createTracker } from 'trackplan';
import { openInspector, resolveCallSite, type Inspector, type SourcePosition } from 'trackplan/inspector';
export async function run() {
  const tracker = await createTracker();
  const inspector: Inspector = openInspector(tracker, { collector: 'http://127.0.0.1:8787', pollMs: 500, focus: false });
  const again: Inspector = await tracker.inspect({ collector: new URL('http://127.0.0.1:8787') });
  const host: HTMLElement = inspector.host;
  inspector.close();
  const site: string | undefined = tracker.events()[0]?.callSite;
  tracker.onCall((call) => console.log(call.callSite?.length));
  const position: SourcePosition | null = await resolveCallSite(site ?? '');
  console.log(host, again.closed, position?.source, position?.line);
  openInspector(); // ✗ the tracker is needed
  openInspector(tracker, { collector: 8787 }); // ✗ not a URL
  inspector.closed = true; // ✗ read-only
  (await resolveCallSite('a.js:1:2')).line; // ✗ possibly null
}
`;
  for (const resolution of ['node10', 'bundler']) {
    const diagnostics = await compile(`inspector-${resolution}`, { 'uses.ts': source }, resolution);
    assert.deepEqual(diagnostics.map((d) => d.line), markedLines(source), `${resolution}: ${JSON.stringify(diagnostics)}`);
  }
});

test('trackplanPlugin() is accepted as an analytics-next plugin', async () => {
  const source = `import { AnalyticsBrowser } from '@segment/analytics-next';
import { trackplanPlugin } from 'trackplan';
export const analytics = AnalyticsBrowser.load({ writeKey: 'wk', plugins: [trackplanPlugin({ environment: 'production' })] });
`;
  assert.deepEqual(await compile('plugin', { 'analytics.ts': source }), []);
});

describe('declarations for the real Segment exports', () => {
  const plans = ['typewriter-e2e.public-api-v2.json', 'typewriter-e2e.config-api-v1.json'];
  const present = existsSync(fixtures);
  if (!present && process.env.CI !== 'true') {
    console.log(`# skipped: no fixtures at ${fixtures} (set TRACKPLAN_SHARED to the shared directory)`);
  }
  for (const plan of plans) {
    test(`${plan} compiles`, { skip: !present && process.env.CI !== 'true' }, async () => {
      const types = declarations(await readPlanRules(join(fixtures, plan)), plan);
      assert.match(types, /"Every Required Type": \{/);
      const calls = `import { createTracker } from 'trackplan';
const tracker = await createTracker();
tracker.track('Enum Types', { 'string enum': 'Evil Morty' });
tracker.track('Enum Types', { 'string enum': 'Rick' }); // ✗ wrong enum value
tracker.track('Empty Event', { anything: 1 });
tracker.page('app', 'home', { anything: 1 });
tracker.group('org_1', { anything: 1 });
`;
      const diagnostics = await compile(plan.replace(/\W/g, '-'), { 'plan.d.ts': types, 'calls.ts': calls });
      assert.deepEqual(diagnostics.map((d) => `${d.file.split('/').pop()}:${d.line}`), [`calls.ts:${markedLines(calls)[0]}`]);
    });
  }

  test('their schemas as page and group rules type page and group', { skip: !present && process.env.CI !== 'true' }, async () => {
    // The Public API export with two of its track rules made the page and the group rule,
    // in memory: hostile property names, enums, nested required objects.
    const plan = JSON.parse(readFileSync(join(fixtures, 'typewriter-e2e.public-api-v2.json'), 'utf8'));
    const as = { 'Enum Types': 'PAGE', 'Nested Objects': 'GROUP' };
    plan.rules = plan.rules.map((rule) => (as[rule.key] ? { ...rule, key: undefined, type: as[rule.key] } : rule));
    await startTools();
    const types = declarations(planRules(plan), 'typewriter-e2e.public-api-v2.json, retyped');
    assert.match(types, /interface PlannedPageProperties \{[^}]*"string enum"\?: "Evil Morty" \| "Lawyer Morty";/);
    assert.match(types, /interface PlannedGroupTraits \{\n[^]*garage: \{/);
    const calls = `import { createTracker } from 'trackplan';
const tracker = await createTracker();
tracker.page('app', 'home', { 'string enum': 'Lawyer Morty', 'string const': 'Rick Sanchez' });
tracker.group('org_1', { garage: { tunnel: { 'subterranean lab': { "summer's contingency plan": 'run', "jerry's memories": [] } } } });
tracker.page('app', 'home', { 'string enum': 'Rick' }); // ✗ wrong enum value
tracker.group('org_1', { garage: { tunnel: {} } }); // ✗ missing nested required property
tracker.group('org_1', { garage: { tunnel: { 'subterranean lab': { "summer's contingency plan": 1 } } } }); // ✗ wrong type
tracker.group('org_1', {}); // ✗ missing required trait
`;
    const diagnostics = await compile('typewriter-page-group', { 'plan.d.ts': types, 'calls.ts': calls });
    assert.deepEqual(diagnostics.map((d) => d.line), markedLines(calls), JSON.stringify(diagnostics));
    const expecting = calls.replace(/^(.*)\/\/ ✗.*$/gm, '// @ts-expect-error\n$1');
    assert.deepEqual(await compile('typewriter-page-group-expect-error', { 'plan.d.ts': types, 'calls.ts': expecting }), []);
  });
});
