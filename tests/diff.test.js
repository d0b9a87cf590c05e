// `trackplan diff`: the classification of plan changes (a table of cases on
// js/node/plan-diff.js), the command's formats and exit codes, and diffs of Segment's
// real plans (Typewriter's fixtures against copies changed here).
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';

import { diffPlans, diffSchemas } from '../js/node/plan-diff.js';
import { runTrackplan as trackplan, tempFiles } from './e2e/support/cli.js';

const B = 'breaking';
const C = 'compatible';
const root = fileURLToPath(new URL('..', import.meta.url));
const fixtures = join(process.env.TRACKPLAN_SHARED ?? join(root, '../shared'), 'fixtures/segment-plans');
const { dir, file } = tempFiles('trackplan-diff-');

/** A payload schema with `properties` and more keywords. */
const obj = (properties, extra = {}) => ({ type: 'object', properties, ...extra });
/** A payload schema with one property `a`. */
const one = (schema, extra = {}) => obj({ a: schema }, extra);

/** [what, old schema, new schema, expected [class, change, path] in order]. */
const SCHEMA_CASES = [
  ['nothing changed', one({ type: 'string' }), one({ type: 'string' }), []],
  ['property removed while additionalProperties is false', obj({ a: {}, b: {} }, { additionalProperties: false }), obj({ b: {} }, { additionalProperties: false }), [[B, 'property-removed', '/a']]],
  ['property removed, undeclared properties still accepted', one({ type: 'string' }), obj({}), [[C, 'property-removed', '/a']]],
  ['property removed where additionalProperties is a narrower schema', one({ type: ['string', 'null'] }, { additionalProperties: { type: 'string' } }), obj({}, { additionalProperties: { type: 'string' } }), [[B, 'type-narrowed', '/a']]],
  ['property made required', one({}), one({}, { required: ['a'] }), [[B, 'property-required', '/a']]],
  ['new required property', obj({}), one({ type: 'string' }, { required: ['a'] }), [[B, 'property-required', '/a']]],
  ['property made optional', one({}, { required: ['a'] }), one({}), [[C, 'property-optional', '/a']]],
  ['optional property added', obj({}), one({ type: 'string' }), [[C, 'property-added', '/a']]],
  ['property added where additionalProperties was false', obj({}, { additionalProperties: false }), one({}, { additionalProperties: false }), [[C, 'property-added', '/a']]],
  ['nullable made non-null', one({ type: ['string', 'null'] }), one({ type: 'string' }), [[B, 'type-narrowed', '/a']]],
  ['number narrowed to integer', one({ type: 'number' }), one({ type: 'integer' }), [[B, 'type-narrowed', '/a']]],
  ['integer widened to number', one({ type: 'integer' }), one({ type: 'number' }), [[C, 'type-widened', '/a']]],
  ['made nullable', one({ type: 'string' }), one({ type: ['string', 'null'] }), [[C, 'type-widened', '/a']]],
  ['type added where any was accepted', one({}), one({ type: 'string' }), [[B, 'type-narrowed', '/a']]],
  ['type changed: narrowed and widened', one({ type: 'string' }), one({ type: 'number' }), [[B, 'type-narrowed', '/a'], [C, 'type-widened', '/a']]],
  ['enum value removed', one({ enum: ['x', 'y'] }), one({ enum: ['x'] }), [[B, 'enum-narrowed', '/a']]],
  ['enum added where there was none', one({ type: 'string' }), one({ type: 'string', enum: ['x'] }), [[B, 'enum-added', '/a']]],
  ['enum widened', one({ enum: ['x'] }), one({ enum: ['x', 'y', null] }), [[C, 'enum-widened', '/a']]],
  ['enum removed', one({ type: 'string', enum: ['x'] }), one({ type: 'string' }), [[C, 'enum-removed', '/a']]],
  ['const added', one({ type: 'string' }), one({ type: 'string', const: 'x' }), [[B, 'const-added', '/a']]],
  ['const changed', one({ const: 'x' }), one({ const: 'y' }), [[B, 'const-changed', '/a']]],
  ['const removed', one({ const: 'x' }), one({}), [[C, 'const-removed', '/a']]],
  ['minimum raised, maximum lowered', one({ minimum: 0, maximum: 10 }), one({ minimum: 1, maximum: 9 }), [[B, 'bound-tightened', '/a'], [B, 'bound-tightened', '/a']]],
  ['exclusiveMinimum and maxLength added', one({}), one({ exclusiveMinimum: 0, maxLength: 3 }), [[B, 'bound-tightened', '/a'], [B, 'bound-tightened', '/a']]],
  ['minItems raised, maxProperties lowered', one({ minItems: 1, maxProperties: 5 }), one({ minItems: 2, maxProperties: 4 }), [[B, 'bound-tightened', '/a'], [B, 'bound-tightened', '/a']]],
  ['bounds relaxed or removed', one({ minimum: 1, maxLength: 3, minProperties: 2 }), one({ minimum: 0 }), [[C, 'bound-relaxed', '/a'], [C, 'bound-relaxed', '/a'], [C, 'bound-relaxed', '/a']]],
  ['multipleOf changed to a non-divisor', one({ multipleOf: 5 }), one({ multipleOf: 3 }), [[B, 'bound-tightened', '/a']]],
  ['multipleOf changed to a divisor', one({ multipleOf: 10 }), one({ multipleOf: 5 }), [[C, 'bound-relaxed', '/a']]],
  ['multipleOf added', one({ type: 'number' }), one({ type: 'number', multipleOf: 2 }), [[B, 'bound-tightened', '/a']]],
  ['pattern added', one({ type: 'string' }), one({ type: 'string', pattern: '^ep_' }), [[B, 'pattern-changed', '/a']]],
  ['pattern changed', one({ pattern: '^ep_' }), one({ pattern: '^ep_[0-9]+$' }), [[B, 'pattern-changed', '/a']]],
  ['pattern removed', one({ pattern: '^ep_' }), one({}), [[C, 'pattern-removed', '/a']]],
  ['format added', one({ type: 'string' }), one({ type: 'string', format: 'email' }), [[B, 'format-changed', '/a']]],
  ['additionalProperties turned false', obj({}), obj({}, { additionalProperties: false }), [[B, 'additional-properties-closed', '']]],
  ['additionalProperties no longer false', obj({}, { additionalProperties: false }), obj({}), [[C, 'additional-properties-opened', '']]],
  ['additionalProperties schema narrowed', obj({}, { additionalProperties: { type: ['string', 'number'] } }), obj({}, { additionalProperties: { type: 'string' } }), [[B, 'type-narrowed', '/*']]],
  ['items schema narrowed', one({ type: 'array', items: { type: ['string', 'null'] } }), one({ type: 'array', items: { type: 'string' } }), [[B, 'type-narrowed', '/a[]']]],
  [
    'nested: a property of the items made required, another widened',
    one({ type: 'array', items: obj({ b: { type: 'string' }, c: { type: 'integer' } }) }),
    one({ type: 'array', items: obj({ b: { type: 'string' }, c: { type: 'number' } }, { required: ['b'] }) }),
    [[C, 'type-widened', '/a[]/c'], [B, 'property-required', '/a[]/b']],
  ],
  ['nested three levels: enum narrowed', one(obj({ b: obj({ c: { enum: [1, 2] } }) })), one(obj({ b: obj({ c: { enum: [1] } }) })), [[B, 'enum-narrowed', '/a/b/c']]],
  ['uniqueItems turned on', one({ type: 'array' }), one({ type: 'array', uniqueItems: true }), [[B, 'unique-items-added', '/a']]],
  ['description, title and label changed: documentation only', one({ description: 'x', title: 't' }, { label: 'l' }), one({ description: 'y', title: 'u' }, { label: 'm' }), [[C, 'documentation', ''], [C, 'documentation', '/a']]],
  ["Segment's id annotation moved: documentation only", one({ id: '/properties/a', type: 'string' }), one({ id: '/properties/properties/properties/a', type: 'string' }), [[C, 'documentation', '/a']]],
  ['$ref target narrowed', one({ $ref: '#/definitions/s' }, { definitions: { s: { type: 'string' } } }), one({ $ref: '#/definitions/s' }, { definitions: { s: { type: 'string', maxLength: 3 } } }), [[B, 'bound-tightened', '/a']]],
  ['$ref replaced by the same schema inline', one({ $ref: '#/definitions/s' }, { definitions: { s: { type: 'string' } } }), one({ type: 'string' }), []],
  [
    'recursive $ref: compared once, where it first appears',
    { $ref: '#/definitions/node', definitions: { node: obj({ name: { type: 'string' }, children: { type: 'array', items: { $ref: '#/definitions/node' } } }) } },
    { $ref: '#/definitions/node', definitions: { node: obj({ name: { type: 'string', minLength: 1 }, children: { type: 'array', items: { $ref: '#/definitions/node' } } }) } },
    [[B, 'bound-tightened', '/name']],
  ],
  ['$ref to another document changed: cannot tell', one({ $ref: 'other.json#/a' }), one({ $ref: 'other.json#/b' }), [[B, 'cannot-tell', '/a']]],
  ['oneOf alternative added: cannot tell', one({ oneOf: [{ type: 'string' }] }), one({ oneOf: [{ type: 'string' }, { type: 'integer' }] }), [[B, 'cannot-tell', '/a']]],
  ['not added: cannot tell', one({ type: 'string' }), one({ type: 'string', not: { const: '' } }), [[B, 'cannot-tell', '/a']]],
  ['if changed: cannot tell', one({ if: { type: 'string' }, then: { minLength: 1 } }), one({ if: { type: 'number' }, then: { minLength: 1 } }), [[B, 'cannot-tell', '/a']]],
  ['unknown keyword changed: cannot tell', one({ 'x-rule': 1 }), one({ 'x-rule': 2 }), [[B, 'cannot-tell', '/a']]],
  ['oneOf removed', one({ oneOf: [{ type: 'string' }, { type: 'integer' }] }), one({}), [[C, 'constraint-removed', '/a']]],
  ['anyOf alternative added', one({ anyOf: [{ type: 'string' }] }), one({ anyOf: [{ type: 'string' }, { type: 'null' }] }), [[C, 'widened', '/a']]],
  ['anyOf alternative removed: cannot tell', one({ anyOf: [{ type: 'string' }, { type: 'null' }] }), one({ anyOf: [{ type: 'string' }] }), [[B, 'cannot-tell', '/a']]],
  ['a property that no value fits', one({ type: 'string' }), one(false), [[B, 'narrowed', '/a']]],
  ['a property name with / and ~ in its path', obj({ 'a/b~c': { type: 'string' } }), obj({ 'a/b~c': { type: 'integer' } }), [[B, 'type-narrowed', '/a~1b~0c'], [C, 'type-widened', '/a~1b~0c']]],
];

/** A normalized rule, as the wasm core reads it from any export shape. */
const rule = (kind, name, schema, version = 1, description) => ({ name: name ?? kind, kind, version, schema, ...(description ? { description } : {}) });
const track = (name, schema = obj({}), version = 1) => rule('track', name, schema, version);

/** [what, old rules, new rules, expected [class, change, `kind name`, version, path] in order]. */
const PLAN_CASES = [
  ['event removed', [track('a'), track('b')], [track('b')], [[B, 'event-removed', 'track a', '1', null]]],
  ['event added', [track('b')], [track('a'), track('b')], [[C, 'event-added', 'track a', '1', null]]],
  [
    'identify rule added with a required trait',
    [],
    [rule('identify', null, obj({ email: { type: 'string' } }, { required: ['email'] }))],
    [[B, 'property-required', 'identify identify', '1', '/email'], [C, 'rule-added', 'identify identify', '1', null]],
  ],
  ['identify trait narrowed', [rule('identify', null, one({ type: 'string' }))], [rule('identify', null, one({ type: 'string', format: 'email' }))], [[B, 'format-changed', 'identify identify', '1', '/a']]],
  ['page rule: property made required', [rule('page', null, one({}))], [rule('page', null, one({}, { required: ['a'] }))], [[B, 'property-required', 'page page', '1', '/a']]],
  ['group rule removed: group calls no longer checked', [rule('group', null, one({}))], [], [[C, 'rule-removed', 'group group', '1', null]]],
  ['common rule: enum widened', [rule('common', null, one({ enum: ['x'] }))], [rule('common', null, one({ enum: ['x', 'y'] }))], [[C, 'enum-widened', 'common common', '1', '/a']]],
  [
    'new version: the newest versions compared, the version added reported',
    [track('a', one({}))],
    [track('a', one({})), track('a', one({}, { required: ['a'] }), 2)],
    [[B, 'property-required', 'track a', '1 → 2', '/a'], [C, 'version-added', 'track a', '2', null]],
  ],
  ['track version removed: calls pinning it break', [track('a', obj({}), 1), track('a', obj({}), 2)], [track('a', obj({}), 2)], [[B, 'version-removed', 'track a', '1', null]]],
  [
    'a version kept but changed: pinned calls break',
    [track('a', one({ enum: ['x', 'y'] }), 1), track('a', obj({}), 2)],
    [track('a', one({ enum: ['x'] }), 1), track('a', obj({}), 2)],
    [[B, 'enum-narrowed', 'track a', '1', '/a']],
  ],
  [
    'identify version removed: identify calls use the newest',
    [rule('identify', null, obj({}), 1), rule('identify', null, obj({}), 2)],
    [rule('identify', null, obj({}), 2)],
    [[C, 'version-removed', 'identify identify', '1', null]],
  ],
  ["the event's description changed", [rule('track', 'a', obj({}), 1, 'Old.')], [rule('track', 'a', obj({}), 1, 'New.')], [[C, 'documentation', 'track a', '1', '']]],
  ['a rule that did not constrain its payload now does', [track('a', null)], [track('a', one({ type: 'string' }, { required: ['a'] }))], [[B, 'property-required', 'track a', '1', '/a']]],
  ['a payload schema given its object type', [track('a', { properties: {} })], [track('a', obj({}))], []],
];

describe('classification of schema changes', () => {
  for (const [what, before, after, expected] of SCHEMA_CASES) {
    test(what, () => {
      assert.deepEqual(diffSchemas(before, after).map((c) => [c.class, c.change, c.path]), expected);
    });
  }
});

describe('classification of plan changes', () => {
  for (const [what, before, after, expected] of PLAN_CASES) {
    test(what, () => {
      const changes = diffPlans(before, after);
      assert.deepEqual(changes.map((c) => [c.class, c.change, `${c.kind} ${c.event}`, c.version, c.path]), expected);
      for (const c of changes) assert.ok(c.message, `${c.change} has a message`);
    });
  }
});

test('messages say what changed', () => {
  const [narrowed, widened] = diffSchemas(one({ type: 'number', enum: [1, 2] }), one({ type: 'integer', enum: [1, 3] })).filter((c) => c.change.startsWith('enum'));
  assert.equal(narrowed.message, 'enum value 2 removed');
  assert.equal(widened.message, 'enum value 3 added');
  assert.equal(diffSchemas(one({ type: 'number' }), one({ type: 'integer' }))[0].message, 'type number → integer: non-integer numbers no longer accepted');
  assert.equal(diffSchemas(one({ oneOf: [] }), one({ oneOf: [{}] }))[0].message, 'cannot tell: `oneOf` changed; treated as breaking');
  const [docs] = diffPlans([rule('track', 'a', one({ description: 'x' }), 1, 'Old.')], [rule('track', 'a', one({ description: 'y' }), 1, 'New.')]);
  assert.equal(docs.message, 'documentation only: description changed (the payload and 1 property)');
});

/** A Public API v2 plan. */
const v2 = (...rules) => ({ rules });
const TRACK = (key, jsonSchema, version = 1) => ({ key, type: 'TRACK', version, jsonSchema });
const OLD = v2(
  TRACK('call started', obj({ user_type: { enum: ['patient', 'practitioner'] }, note: { type: 'string' } })),
  TRACK('call ended', obj({})),
  { type: 'IDENTIFY', version: 1, jsonSchema: obj({ email: { type: 'string' } }) },
);

describe('trackplan diff', () => {
  test('compatible changes only: exit 0, text by default', async () => {
    const newer = v2(OLD.rules[0], OLD.rules[1], { type: 'IDENTIFY', version: 1, jsonSchema: obj({ email: { type: 'string' }, name: { type: 'string' } }) }, TRACK('call rated', obj({})));
    const [before, after] = [file('old.json', OLD), file('compatible.json', newer)];
    const { code, stdout } = await trackplan('diff', before, after);
    assert.equal(code, 0);
    assert.equal(stdout, `${before} → ${after}: 0 breaking changes, 2 compatible

compatible:
  identify v1 /name: optional property added
  track "call rated" v1: event added
`);
  });

  const BREAKING_PLAN = v2(TRACK('call started', obj({ user_type: { enum: ['patient'] }, 'a|b': {} }, { required: ['user_type'] })), OLD.rules[2]);

  test('breaking changes: exit 1, listed first; --allow-breaking reports them and exits 0', async () => {
    const [before, after] = [file('old.json', OLD), file('breaking.json', BREAKING_PLAN)];
    const expected = `${before} → ${after}: 3 breaking changes, 2 compatible

breaking:
  track "call ended" v1: event removed: its calls are now unplanned (blocked by default)
  track "call started" v1 /user_type: enum value "practitioner" removed
  track "call started" v1 /user_type: property made required

compatible:
  track "call started" v1 /note: property removed: no longer planned (trackplan omits it from calls that still send it)
  track "call started" v1 /a|b: optional property added
`;
    assert.deepEqual(await trackplan('diff', before, after), { code: 1, stdout: expected, stderr: '' });
    assert.deepEqual(await trackplan('diff', '--allow-breaking', before, after), { code: 0, stdout: expected, stderr: '' });
  });

  test('--format json', async () => {
    const [before, after] = [file('old.json', OLD), file('breaking.json', BREAKING_PLAN)];
    const { code, stdout } = await trackplan('diff', before, after, '--format', 'json');
    assert.equal(code, 1);
    const report = JSON.parse(stdout);
    assert.deepEqual([report.old, report.new, report.breaking, report.compatible], [before, after, 3, 2]);
    assert.deepEqual(report.changes[1], {
      class: 'breaking', change: 'enum-narrowed', kind: 'track', event: 'call started', version: '1', path: '/user_type', message: 'enum value "practitioner" removed',
    });
  });

  test('--format markdown: a summary line, then a table, breaking first, fit for a pull-request comment', async () => {
    const [before, after] = [file('old.json', OLD), file('breaking.json', BREAKING_PLAN)];
    const { code, stdout } = await trackplan('diff', `--format=markdown`, before, after);
    assert.equal(code, 1);
    assert.equal(stdout, `❌ **trackplan diff**: 3 breaking changes, 2 compatible (\`${before}\` → \`${after}\`)

| class | event | version | where | change |
| --- | --- | --- | --- | --- |
| **breaking** | \`call ended\` | 1 | — | event removed: its calls are now unplanned (blocked by default) |
| **breaking** | \`call started\` | 1 | \`/user_type\` | enum value "practitioner" removed |
| **breaking** | \`call started\` | 1 | \`/user_type\` | property made required |
| compatible | \`call started\` | 1 | \`/note\` | property removed: no longer planned (trackplan omits it from calls that still send it) |
| compatible | \`call started\` | 1 | \`/a\\|b\` | optional property added |
`);
    const same = await trackplan('diff', '--format', 'markdown', before, before);
    assert.deepEqual([same.code, same.stdout], [0, `✅ **trackplan diff**: no changes (\`${before}\` → \`${before}\`)\n`]);
  });

  test('usage and unreadable plans: exit 2, naming the file and what to fix', async () => {
    const good = file('old.json', OLD);
    const cases = [
      [[good], /expected the old plan and the new plan, got 1 file/],
      [[good, good, '--format', 'html'], /--format must be text, json or markdown, not "html"/],
      [[good, good, '--strict'], /unknown option --strict/],
      [[good, join(dir, 'absent.json')], /absent\.json: cannot read the plan: no such file/],
      [[file('broken.json', '{"rules": ['), good], /broken\.json:1:12: the plan is not valid JSON: the text ends early/],
      [[good, file('shapeless.json', { name: 'x' })], /shapeless\.json: tracking plan: no rules found: expected `rules`/],
      [[good, file('badrule.json', { rules: [{ type: 'NOPE', jsonSchema: {} }] })], /badrule\.json: .*unknown rule type "NOPE": use TRACK, IDENTIFY/],
    ];
    for (const [args, message] of cases) {
      const { code, stdout, stderr } = await trackplan('diff', ...args);
      assert.equal(code, 2, args.join(' '));
      assert.equal(stdout, '');
      assert.match(stderr, message);
    }
    const help = await trackplan('diff', '--help');
    assert.equal(help.code, 0);
    assert.match(help.stdout, /^usage: trackplan diff OLD\.json NEW\.json/);
  });

  test('the shapes a plan is exported in compare alike', async () => {
    const config = {
      rules: {
        events: [
          { name: 'call started', version: 1, rules: obj({ properties: OLD.rules[0].jsonSchema, context: {} }) },
          { name: 'call ended', version: 1, rules: obj({ properties: obj({}), context: {} }) },
        ],
        identify_traits: obj({ traits: OLD.rules[2].jsonSchema }),
      },
    };
    const local = { events: [{ name: 'call started', rules: OLD.rules[0].jsonSchema }, { name: 'call ended', rules: obj({}) }] };
    const v2Plan = file('old.json', OLD);
    assert.deepEqual(await trackplan('diff', v2Plan, file('config.json', config)), { code: 0, stdout: `${v2Plan} → ${join(dir, 'config.json')}: no changes\n`, stderr: '' });
    const localPlan = file('local.json', local);
    const { code, stdout } = await trackplan('diff', v2Plan, localPlan);
    assert.equal(code, 0, 'the local format has no identify rule: identify calls are no longer checked');
    assert.match(stdout, /0 breaking changes, 1 compatible\n\ncompatible:\n {2}identify v1: rule removed/);
  });

  test("the Public API's response body { data: { rules } } reads as the export it holds", async () => {
    const body = file('body.json', { data: { rules: OLD.rules, pagination: { current: 'MA==', totalEntries: 3 } } });
    const before = file('old.json', OLD);
    const { code, stdout } = await trackplan('diff', before, body);
    assert.deepEqual([code, stdout], [0, `${before} → ${body}: no changes\n`]);
  });
});

describe("diffs of Segment's real plans", () => {
  const present = existsSync(fixtures);
  const skip = !present && process.env.CI !== 'true';
  if (skip) console.log(`# skipped: no fixtures at ${fixtures} (set TRACKPLAN_SHARED to the shared directory)`);
  const read = (name) => JSON.parse(readFileSync(join(fixtures, name), 'utf8'));

  /** The Public API fixture and a next version: `Empty Event` removed, an enum narrowed, an optional property added. */
  function publicApiVersions() {
    const plan = read('typewriter-e2e.public-api-v2.json');
    const next = structuredClone(plan);
    next.rules = next.rules.filter((r) => r.key !== 'Empty Event');
    const enums = next.rules.find((r) => r.key === 'Enum Types').jsonSchema.properties;
    enums['string enum'].enum = ['Evil Morty'];
    enums['portal gun'] = { type: 'string', description: 'Optional.' };
    return [plan, next];
  }

  test('the Public API export against a changed copy', { skip }, async () => {
    const [plan, next] = publicApiVersions();
    const [before, after] = [file('fixture.json', plan), file('next.json', next)];
    const { code, stdout } = await trackplan('diff', before, after, '--format', 'json');
    assert.equal(code, 1);
    const changes = JSON.parse(stdout).changes.map((c) => [c.class, c.change, c.event, c.path, c.message]);
    assert.deepEqual(changes, [
      [B, 'event-removed', 'Empty Event', null, 'event removed: its calls are now unplanned (blocked by default)'],
      [B, 'enum-narrowed', 'Enum Types', '/string enum', 'enum value "Lawyer Morty" removed'],
      [C, 'property-added', 'Enum Types', '/portal gun', 'optional property added'],
    ]);
    const same = await trackplan('diff', before, file('copy.json', plan));
    assert.deepEqual([same.code, same.stdout], [0, `${before} → ${join(dir, 'copy.json')}: no changes\n`]);
  });

  test('the Config API export against the same changes', { skip }, async () => {
    const plan = read('typewriter-e2e.config-api-v1.json');
    const next = structuredClone(plan);
    next.rules.events = next.rules.events.filter((e) => e.name !== 'Empty Event');
    const enums = next.rules.events.find((e) => e.name === 'Enum Types').rules.properties.properties.properties;
    enums['string enum'].enum = ['Evil Morty'];
    enums['portal gun'] = { type: 'string' };
    const { code, stdout } = await trackplan('diff', file('config-fixture.json', plan), file('config-next.json', next), '--format', 'json');
    assert.equal(code, 1);
    assert.deepEqual(JSON.parse(stdout).changes.map((c) => [c.change, c.event, c.path]), [
      ['event-removed', 'Empty Event', null],
      ['enum-narrowed', 'Enum Types', '/string enum'],
      ['property-added', 'Enum Types', '/portal gun'],
    ]);
  });

  test('the Config API export against the Public API export of the same plan: two events renamed', { skip }, async () => {
    const [config, publicApi] = ['typewriter-e2e.config-api-v1.json', 'typewriter-e2e.public-api-v2.json'].map((n) => join(fixtures, n));
    const { code, stdout } = await trackplan('diff', config, publicApi, '--format', 'json');
    assert.equal(code, 1);
    const { changes, breaking } = JSON.parse(stdout);
    assert.equal(breaking, 2);
    assert.deepEqual(changes.filter((c) => c.class === B).map((c) => [c.change, c.event]), [
      ['event-removed', 'Property Object Name Collision #1'],
      ['event-removed', 'Property Object Name Collision #2'],
    ]);
    // The rest: events added (the renamed ones and one more) and documentation only.
    assert.deepEqual([...new Set(changes.filter((c) => c.class === C).map((c) => c.change))].sort(), ['documentation', 'event-added']);
  });
});
