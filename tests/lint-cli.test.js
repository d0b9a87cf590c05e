// `trackplan lint` as a user runs it: `node js/node/cli.js lint PLAN.json` on plan files,
// checking exit codes and both output formats. Needs the built wasm (`npm run build`).
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'trackplan-lint-'));
after(() => rmSync(dir, { recursive: true, force: true }));

/** Writes `content` (text, or an object as JSON) to a temp file and returns its path. */
function planFile(name, content) {
  const file = join(dir, name);
  writeFileSync(file, typeof content === 'string' ? content : JSON.stringify(content));
  return file;
}

/** A Public API plan with one TRACK rule per `[event, properties]`. */
function plan(events, extra = {}) {
  return {
    name: 'test',
    rules: events.map(([key, properties]) => ({ key, type: 'TRACK', jsonSchema: { type: 'object', properties } })),
    ...extra,
  };
}

function lint(...args) {
  const { status, stdout, stderr } = spawnSync(process.execPath, ['js/node/cli.js', 'lint', ...args], {
    cwd: root,
    encoding: 'utf8',
  });
  return { status, stdout, stderr };
}

const CALL = { episode_id: { type: 'string' }, call_id: { type: 'string' } };

describe('trackplan lint', () => {
  test('the default plan is clean: exit 0', () => {
    const { status, stdout } = lint('plan/default.json');
    assert.equal(status, 0);
    assert.match(stdout, /plan\/default\.json: 0 errors, 0 warnings/);
  });

  test('errors exit 1 and name the event, the property and the fix', () => {
    const file = planFile('errors.json', plan([['Call Started', { ...CALL, channel_id: { type: 'string' } }]]));
    const { status, stdout } = lint(file);
    assert.equal(status, 1);
    assert.match(stdout, /error \[event-name-lower-case\] `Call Started`\n.*capitals.*\n {2}fix: rename it `call started`/);
    assert.match(stdout, /error \[property-channel-id\] `Call Started` property \/channel_id\n.*\n {2}fix: rename it `episode_id`/);
    assert.match(stdout, /: 2 errors, 0 warnings$/m);
  });

  test('warnings only exit 0', () => {
    const file = planFile('warnings.json', plan([['call ended by patient', CALL], ['call ended by practitioner', CALL]]));
    const { status, stdout } = lint(file);
    assert.equal(status, 0);
    assert.match(stdout, /warning \[event-flatten-actor\]/);
    assert.match(stdout, /one event `call ended` with a `type` property/);
    assert.match(stdout, /0 errors, 1 warning$/m);
  });

  test('--format json gives the findings as data', () => {
    const silenced = {
      trackplan: { lint: { ignore: [{ rule: 'workflow-id', event: 'call rated', reason: 'joined on episode_id' }] } },
    };
    const file = planFile('json.json', plan([['call rated', { userId: {} }]], silenced));
    for (const args of [['--format', 'json'], ['--format=json']]) {
      const { status, stdout } = lint(file, ...args);
      assert.equal(status, 1);
      const report = JSON.parse(stdout);
      assert.equal(report.file, file);
      assert.deepEqual([report.errors, report.warnings, report.silenced], [1, 0, 1]);
      assert.deepEqual(report.findings, [
        {
          rule: 'property-user-id',
          severity: 'error',
          event: 'call rated',
          property: '/userId',
          message: '`userId` is the user id, which belongs to the call, not its properties',
          fix: 'remove it: pass the user id to identify (analytics.js sends it with every later call); say who acted with `user_type`',
        },
      ]);
    }
  });

  test('a plan that cannot be read or used exits 2 naming the file and the problem', () => {
    const missing = join(dir, 'missing.json');
    let result = lint(missing);
    assert.equal(result.status, 2);
    // Worded as every command words it: the path, what it should be, why.
    assert.equal(result.stderr, `trackplan: ${missing}: cannot read the plan: no such file\n`);

    result = lint(planFile('broken.json', '{"rules": [\n  {"key": "a",}]}'));
    assert.equal(result.status, 2);
    assert.match(result.stderr, /^trackplan: \S*broken\.json:2:15: the plan is not valid JSON: Expected double-quoted property name\n$/);

    result = lint(planFile('unusable.json', { rules: [{ key: 'a b', type: 'TRACK', jsonSchema: { type: 'numbr' } }] }));
    assert.equal(result.status, 2);
    assert.match(result.stderr, /^trackplan: \S*unusable\.json: tracking plan, rule "a b": .*unknown type.* \(at \/rules\/0\/jsonSchema\/type\)\n$/);

    assert.equal(lint().status, 2, 'no plan named');
    assert.equal(lint('plan/default.json', '--format', 'xml').status, 2);
  });
});
