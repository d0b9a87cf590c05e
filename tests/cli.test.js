// The `trackplan` command in Node: `types`, `check` and `check --against`, their output,
// exit codes and errors, and where the commands say a JSON input breaks.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { createCollector } from '../js/node/collector/index.js';
import { InputError, parseJson } from '../js/node/commands/input.js';
import { runTrackplan as trackplan, tempFiles } from './e2e/support/cli.js';

const defaultPlan = fileURLToPath(new URL('../plan/default.json', import.meta.url));
const { dir, file } = tempFiles('trackplan-cli-');

/** One event's payload schema, exercising every kind of type the generator knows. */
const PAYLOAD = {
  type: 'object',
  properties: {
    episode_id: { type: 'string', description: 'The episode.' },
    user_type: { enum: ['patient', 'practitioner'] },
    score: { type: ['number', 'null'] },
    tags: { type: 'array', items: { type: 'string' } },
    device: {
      type: 'object',
      description: 'Where it happened.\nOn which device.',
      properties: { os: { type: 'string' }, beta: { type: 'boolean' } },
      required: ['os'],
    },
    kind: { const: 'video' },
  },
  required: ['episode_id', 'user_type'],
};
const TRAITS = { type: 'object', properties: { email: { type: 'string' } }, required: ['email'] };
const wrap = (part, schema) => ({ type: 'object', properties: { context: {}, [part]: schema } });

/** The same plan in each shape Segment exports. */
const SHAPES = {
  'public api v2, unwrapped': {
    rules: [
      { key: 'thing done', type: 'TRACK', version: 1, jsonSchema: { ...PAYLOAD, description: 'A thing was done.' } },
      { type: 'IDENTIFY', version: 1, jsonSchema: TRAITS },
    ],
  },
  'public api v2, wrapped': {
    rules: [
      { key: 'thing done', type: 'TRACK', version: 1, description: 'A thing was done.', jsonSchema: wrap('properties', PAYLOAD) },
      { type: 'IDENTIFY', version: 1, jsonSchema: wrap('traits', TRAITS) },
    ],
  },
  'config api v1': {
    display_name: 'x',
    rules: {
      events: [{ name: 'thing done', version: 1, description: 'A thing was done.', rules: wrap('properties', PAYLOAD) }],
      identify_traits: wrap('traits', TRAITS),
    },
  },
  'local events[]': {
    events: [{ name: 'thing done', description: 'A thing was done.', rules: PAYLOAD }],
  },
};

describe('trackplan types', () => {
  test('types every kind of property, with descriptions as JSDoc', async () => {
    const { code, stdout } = await trackplan('types', file('v2.json', SHAPES['public api v2, unwrapped']));
    assert.equal(code, 0);
    assert.match(stdout, /declare module 'trackplan' \{\n {2}interface PlannedEvents \{/);
    assert.match(stdout, /\/\*\* A thing was done\. \*\/\n {4}"thing done": \{/);
    assert.match(stdout, /\/\*\* The episode\. \*\/\n {6}episode_id: string;/);
    assert.match(stdout, /\n {6}user_type: "patient" \| "practitioner";/);
    assert.match(stdout, /\n {6}score\?: number \| null;/);
    assert.match(stdout, /\n {6}tags\?: Array<string>;/);
    assert.match(stdout, /\/\*\*\n {7}\* Where it happened\.\n {7}\* On which device\.\n {7}\*\/\n {6}device\?: \{\n {8}os: string;\n {8}beta\?: boolean;\n {6}\};/);
    assert.match(stdout, /\n {6}kind\?: "video";/);
    assert.match(stdout, /interface PlannedTraits \{\n {4}email: string;\n {2}\}/);
  });

  test('all three export shapes, wrapped or not, give the same declarations', async () => {
    const outputs = [];
    for (const [name, plan] of Object.entries(SHAPES)) {
      const { code, stdout } = await trackplan('types', file(`${name.replace(/\W/g, '_')}.json`, plan));
      assert.equal(code, 0, name);
      outputs.push([name, stdout.split('\n').slice(1).join('\n')]);
    }
    const [[, first], ...rest] = outputs;
    for (const [name, body] of rest.filter(([n]) => n !== 'local events[]')) assert.equal(body, first, name);
    // The local format has no identify traits; its events are the same.
    const events = (text) => text.slice(0, text.indexOf('\n  }\n') + 5);
    assert.equal(events(outputs.at(-1)[1]), events(first));
  });

  test('names the file and the problem; exit 2', async () => {
    const missing = await trackplan('types', join(dir, 'nope.json'));
    assert.equal(missing.code, 2);
    assert.match(missing.stderr, /nope\.json: cannot read the plan: no such file/);
    const broken = await trackplan('types', file('broken.json', '{"rules": ['));
    assert.equal(broken.code, 2);
    assert.match(broken.stderr, /broken\.json:1:12: the plan is not valid JSON: the text ends early/);
    const shapeless = await trackplan('types', file('shapeless.json', { name: 'x' }));
    assert.equal(shapeless.code, 2);
    assert.match(shapeless.stderr, /shapeless\.json: tracking plan: no rules found/);
    const usage = await trackplan('types');
    assert.equal(usage.code, 2);
    assert.match(usage.stderr, /usage: trackplan types PLAN\.json > tracking\.d\.ts/);
  });
});

const VALID = { type: 'track', event: 'call started', properties: { episode_id: 'ep_1', call_id: 'c', user_type: 'patient' } };

describe('trackplan check', () => {
  test('lists each invalid call with its violations; exit 1', async () => {
    const calls = file('calls.json', [
      VALID,
      { event: 'call started', properties: { call_id: 'c', user_type: 'doctor' } },
      { type: 'identify', userId: 'u', traits: { user_type: 'patient' } },
      { type: 'page', name: 'episode', properties: { episode_id: 'ep_1', url: 'http://x/', path: '/' } },
      { type: 'alias', userId: 'u', previousId: 'a' },
      { type: 'track', event: 'Call Started', properties: {} },
    ]);
    const { code, stdout } = await trackplan('check', defaultPlan, calls);
    assert.equal(code, 1);
    assert.match(stdout, /calls\.json\[1\] track "call started":\n {2}- \/user_type enum: .*patient, practitioner.*\n {2}- \(whole object\) required: `episode_id` is required/);
    assert.match(stdout, /calls\.json\[4\] alias: not checked/);
    assert.match(stdout, /calls\.json\[5\] track "Call Started":\n {2}- \(whole object\) unplanned_event: .*did you mean `call started`/);
    assert.doesNotMatch(stdout, /calls\.json\[[023]\]/);
    assert.match(stdout, /5 call\(s\) checked: 3 follow the plan, 2 do not\./);
  });

  test('exit 0 when every call follows the plan; a Segment batch is read too', async () => {
    const { code, stdout } = await trackplan('check', defaultPlan, file('batch.json', { batch: [VALID, VALID] }));
    assert.equal(code, 0);
    assert.match(stdout, /2 call\(s\) checked: 2 follow the plan, 0 do not\./);
  });

  test("a Violation Generated report is not checked; a page's automatic properties only where the plan declares them", async () => {
    const report = { type: 'track', event: 'Violation Generated', properties: { violationType: 'required', violationField: '' } };
    const page = { type: 'page', name: 'home', properties: { name: 'home', url: 'http://x/', title: 't' } };
    const plan = file('page-plan.json', {
      rules: [{ key: 'PAGE', type: 'PAGE', version: 1, jsonSchema: { type: 'object', properties: { url: { type: 'integer' } } } }],
    });
    const { code, stdout } = await trackplan('check', plan, file('reports.json', [report, page]));
    assert.equal(code, 1);
    assert.match(stdout, /reports\.json\[0\] track "Violation Generated": not checked \(a report of violations, not an event of the plan\)/);
    // `url` is declared, so checked; `title` and the name analytics-next copied are set aside.
    assert.match(stdout, /reports\.json\[1\] page "home":\n {2}- \/url type: [^\n]*\n1 call\(s\) checked: 0 follow the plan, 1 do not\./);
  });

  test('--json prints one verdict per call', async () => {
    const calls = file('json.json', [VALID, { ...VALID, properties: {} }]);
    const { code, stdout } = await trackplan('check', '--json', defaultPlan, calls);
    assert.equal(code, 1);
    const verdicts = JSON.parse(stdout);
    assert.deepEqual(verdicts.map((v) => [v.index, v.ok]), [[0, true], [1, false]]);
    assert.deepEqual(verdicts[1].violations.map((v) => v.kind), ['required', 'required', 'required']);
  });

  test('input problems name the file; exit 2', async () => {
    const cases = [
      [[defaultPlan, join(dir, 'absent.json')], /absent\.json: cannot read the calls file: no such file/],
      [[defaultPlan, file('object.json', { event: 'x' })], /object\.json: expected an array of calls or a Segment batch/],
      [[defaultPlan, file('strings.json', ['call started'])], /strings\.json: call 0 is not an object/],
      [[file('badplan.json', { rules: [{ type: 'NOPE', jsonSchema: {} }] }), file('ok.json', [VALID])], /badplan\.json: tracking plan.*unknown rule type "NOPE"/],
      [[defaultPlan], /expected a plan and a calls file, got 1 file/],
      [['--strict', defaultPlan, defaultPlan], /unknown option --strict/],
    ];
    for (const [args, message] of cases) {
      const { code, stderr } = await trackplan('check', ...args);
      assert.equal(code, 2, args.join(' '));
      assert.match(stderr, message);
    }
  });
});

describe('trackplan check --against', () => {
  const schema = (properties, required = []) => ({ type: 'object', properties, required });
  const OLD = {
    rules: [
      { key: 'call started', type: 'TRACK', version: 1, jsonSchema: schema({ episode_id: { type: 'string' }, user_type: { enum: ['patient', 'practitioner', 'doctor'] }, note: {} }) },
      { type: 'IDENTIFY', version: 1, jsonSchema: schema({ email: { type: 'string' } }) },
    ],
  };
  // `doctor` dropped from the enum, `episode_id` and the `email` trait made required, `note` no longer planned.
  const NEW = {
    rules: [
      { key: 'call started', type: 'TRACK', version: 1, jsonSchema: schema({ episode_id: { type: 'string' }, user_type: { enum: ['patient', 'practitioner'] } }, ['episode_id']) },
      { type: 'IDENTIFY', version: 1, jsonSchema: schema({ email: { type: 'string' } }, ['email']) },
    ],
  };

  /** Events as analytics-next posts them, through the collector, saved from /collector/all. */
  async function recordedEvents() {
    const collector = await createCollector({ port: 0, quiet: true });
    try {
      const batch = [
        { type: 'track', event: 'call started', properties: { episode_id: 'e1', user_type: 'doctor' } },
        { type: 'track', event: 'call started', properties: { user_type: 'doctor' } },
        { type: 'track', event: 'call started', properties: { episode_id: 'e2', user_type: 'patient', note: 'x' } },
        { type: 'identify', userId: 'u1', traits: {} },
        { type: 'identify', userId: 'u2', traits: { email: 'a@b.c' } },
        { type: 'alias', userId: 'u2', previousId: 'a' },
      ].map((event, i) => ({ ...event, messageId: `m${i}`, context: { library: { name: 'analytics.js' } } }));
      const response = await fetch(`${collector.url}/v1/b`, {
        method: 'POST',
        headers: { 'Content-Type': 'text/plain', Authorization: `Basic ${Buffer.from('wk_test:').toString('base64')}` },
        body: JSON.stringify({ batch }),
      });
      assert.equal(response.status, 200);
      return file('recorded.json', await (await fetch(`${collector.url}/collector/all`)).text());
    } finally {
      await collector.close();
    }
  }

  test('counts the recorded events the new plan would block, by event and by rule; exit 1', async () => {
    const events = await recordedEvents();
    const newPlan = file('new-plan.json', NEW);
    const { code, stdout } = await trackplan('check', '--against', newPlan, events);
    assert.equal(code, 1);
    assert.equal(
      stdout,
      `${events} against ${newPlan}: 5 event(s) checked, 3 would now be blocked, 1 sent with properties omitted, 1 not checked.

blocked, by event:
     2  track "call started"
     1  identify

blocked, by rule:
     2  enum /user_type: e.g. \`user_type\` must be one of patient, practitioner; got "doctor"
     1  required (whole object): \`episode_id\` is required but missing
     1  required (whole object): \`email\` is required but missing

properties omitted:
     1  track "call started" /note
`
    );
  });

  test('--json gives the same counts with the indexes of the blocked events; exit 0 when none would be', async () => {
    const events = await recordedEvents();
    const { code, stdout } = await trackplan('check', '--json', `--against=${file('new.json', NEW)}`, events);
    assert.equal(code, 1);
    const report = JSON.parse(stdout);
    assert.deepEqual([report.checked, report.skipped, report.blocked, report.omitted], [5, 1, [0, 1, 3], [2]]);
    assert.deepEqual(report.byEvent, [{ event: 'track "call started"', count: 2 }, { event: 'identify', count: 1 }]);
    assert.deepEqual(report.byRule.map((r) => [r.kind, r.path, r.count]), [['enum', '/user_type', 2], ['required', '', 1], ['required', '', 1]]);
    const same = await trackplan('check', '--against', file('old.json', OLD), events);
    assert.equal(same.code, 0);
    assert.match(same.stdout, /5 event\(s\) checked, 0 would now be blocked, 0 sent with properties omitted, 1 not checked\.\n$/);
  });

  test('usage problems; exit 2', async () => {
    const cases = [
      [['--against'], /--against needs the path of the new plan/],
      [['--against', defaultPlan], /with --against NEW\.json, expected one events file, got 0 file/],
      [[defaultPlan, '--against', defaultPlan, defaultPlan], /expected one events file, got 2 file/],
    ];
    for (const [args, message] of cases) {
      const { code, stderr } = await trackplan('check', ...args);
      assert.equal(code, 2, args.join(' '));
      assert.match(stderr, message);
    }
  });
});

describe('every command words a plan file it cannot use one way', () => {
  const missing = join(dir, 'nowhere.json');
  const broken = file('broken-plan.json', '{\n  "rules": [\n    { "key": "x", }\n  ]\n}\n');
  const unusable = file('unusable-plan.json', { rules: [{ key: 'bad', type: 'TRACK', jsonSchema: { type: 'numbr' } }] });
  const calls = file('no-calls.json', []);
  /** Each command, run on `plan`: resolves `{ code, stderr }`. */
  const commands = {
    lint: (plan) => trackplan('lint', plan),
    types: (plan) => trackplan('types', plan),
    build: (plan) => trackplan('build', plan, '--out', join(dir, 'built')),
    check: (plan) => trackplan('check', plan, calls),
    diff: (plan) => trackplan('diff', plan, defaultPlan),
    collector: (plan) => trackplan('collector', '--port', '0', '--plan', plan),
  };
  for (const [name, run] of Object.entries(commands)) {
    test(`${name}: the path, what it should be and why; JSON errors at line:column; exit 2`, async () => {
      const cases = [
        [missing, `trackplan: ${missing}: cannot read the plan: no such file\n`],
        [broken, `trackplan: ${broken}:3:19: the plan is not valid JSON: Expected double-quoted property name\n`],
      ];
      for (const [plan, expected] of cases) {
        const { code, stderr } = await run(plan);
        assert.deepEqual([code, stderr], [2, expected], name);
      }
      // types and diff read a plan's rules without compiling their schemas.
      if (name === 'types' || name === 'diff') return;
      const { code, stderr } = await run(unusable);
      assert.equal(code, name === 'build' ? 1 : 2, name);
      assert.match(stderr, new RegExp(`^trackplan: ${unusable.replace(/[.\\/]/g, '\\$&')}: tracking plan, rule "bad": .* \\(at /rules/0/jsonSchema/type\\)\n$`), name);
    });
  }

  test('a calls file that is not JSON is worded so too', async () => {
    const bad = file('broken-calls.json', '[\n  {"type": "track",]\n');
    const { code, stderr } = await trackplan('check', defaultPlan, bad);
    assert.deepEqual([code, stderr], [2, `trackplan: ${bad}:2:20: the calls file is not valid JSON: Expected double-quoted property name\n`]);
  });
});

test('the dispatcher: usage without a command, exit 2 for an unknown one', async () => {
  const bare = await trackplan();
  assert.equal(bare.code, 2);
  assert.match(bare.stdout, /usage: trackplan <command>/);
  const unknown = await trackplan('lnt');
  assert.equal(unknown.code, 2);
  assert.match(unknown.stderr, /unknown command "lnt"/);
  const help = await trackplan('check', '--help');
  assert.equal(help.code, 0);
  assert.match(help.stdout, /exit codes: 0 every call follows the plan \(with --against: none would be blocked\),\n1 some call does not \(would be blocked\), 2 usage or input problem/);
});

test('JSON input that does not parse is located line:column, whatever the mistake', () => {
  // `JSON.parse` says where for most mistakes, not for an unexpected token.
  for (const [text, where, why] of [
    ['{\n  "rules": [\n    oops\n  ]\n}\n', '3:5', "Unexpected token 'o'"],
    ['{"a": undefined}', '1:7', "Unexpected token 'u'"],
    ['{\n  "a": tru }', '2:11', "Unexpected token ' '"],
    ['["a\\x"]', '1:5', 'Bad escaped character'],
    ['{"a": 1,\n}', '2:1', 'Expected double-quoted property name'],
    ['{"a": [1, 2', '1:12', "Expected ',' or ']' after array element"],
    ['{\n  "a":', '2:7', 'the text ends early'],
  ]) {
    assert.throws(
      () => parseJson(text, 'plan.json', 'the plan'),
      (error) => error instanceof InputError && error.message === `plan.json:${where}: the plan is not valid JSON: ${why}`,
      text,
    );
  }
});
