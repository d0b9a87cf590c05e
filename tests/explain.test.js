// explain()'s table (js/sdk/console-tools.js) from the plan summary of real cores: every
// constraint of a property in its `constraints` column, items and nested properties as
// rows of their own; the full core shows them for a plan given at run time and for the
// binding's compiled plan alike, the production core's summary has none.
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { createCore, report } from '../js/sdk/core.js';
import { explain } from '../js/sdk/console-tools.js';
import { REPORT_PLAN } from '../js/sdk/protocol.js';
import { coreWithPlan, developmentCore, productionCore } from './support/cores.js';

const root = fileURLToPath(new URL('..', import.meta.url));
const fixtures = join(process.env.TRACKPLAN_SHARED ?? join(root, '../shared'), 'fixtures/segment-plans');

const PLAN = {
  rules: [
    {
      key: 'order placed',
      type: 'TRACK',
      version: 1,
      jsonSchema: {
        type: 'object',
        required: ['order_id', 'lines'],
        properties: {
          order_id: { type: 'string', pattern: '^[a-z]+$', minLength: 1, maxLength: 40, description: 'The order.' },
          placed_at: { type: 'string', format: 'date-time' },
          total: { type: 'number', exclusiveMinimum: 0, maximum: 10000, multipleOf: 0.01 },
          lines: {
            type: 'array',
            minItems: 1,
            uniqueItems: true,
            items: {
              type: 'object',
              additionalProperties: false,
              required: ['sku'],
              properties: { sku: { type: 'string', pattern: '^S' }, quantity: { type: 'integer', minimum: 1 } },
            },
          },
          coupon: { anyOf: [{ type: 'string', maxLength: 8 }, { type: 'null' }] },
          channel: { enum: ['web', 'app'], not: { const: 'app' } },
        },
      },
    },
  ],
};

/** explain()'s rows for `event`, with console.table and console.log silenced. */
function rowsOf(summary, event) {
  const { table, log } = console;
  console.table = () => {};
  console.log = () => {};
  try {
    return explain(summary, event);
  } finally {
    Object.assign(console, { table, log });
  }
}

/** The plan summary of a core started with `started()` in `environment`. */
async function summaryOf(started, environment = 'development') {
  return report(await createCore(await started, { environment }), REPORT_PLAN);
}

/** The rows as `property: constraints` lines, for a compact comparison. */
const constraintsOf = (rows) => rows.map((row) => `${row.property}: ${row.constraints}`);

test('a plan given at run time: every constraint in its column, items and nested properties as rows', async () => {
  const rows = rowsOf(await summaryOf(coreWithPlan(PLAN)), 'order placed');
  assert.deepEqual(rows[0], {
    property: 'order_id',
    type: 'string',
    required: true,
    allowed: '',
    constraints: 'pattern ^[a-z]+$ · 1 ≤ length ≤ 40',
    description: 'The order.',
  });
  assert.deepEqual(constraintsOf(rows), [
    'order_id: pattern ^[a-z]+$ · 1 ≤ length ≤ 40',
    'placed_at: format date-time',
    'total: 0 < value ≤ 10000 · multiple of 0.01',
    'lines: items ≥ 1 · unique items',
    'lines[]: no other properties',
    'lines[].sku: pattern ^S',
    'lines[].quantity: value ≥ 1',
    'coupon: any of (string · length ≤ 8) | (null)',
    'channel: also checks not',
  ]);
  const nested = rows.filter((row) => row.property.startsWith('lines['));
  assert.deepEqual(
    nested.map(({ property, type, required }) => [property, type, required]),
    [
      ['lines[]', 'object', false],
      ['lines[].sku', 'string', true],
      ['lines[].quantity', 'integer', false],
    ],
  );
  assert.equal(rows.find((row) => row.property === 'channel').allowed, '"web", "app"');
});

test("the binding's compiled plan shows them in the full core; the production core's summary has none", async () => {
  const development = rowsOf(await summaryOf(developmentCore()), 'call ended');
  assert.deepEqual(constraintsOf(development), [
    'episode_id: length ≥ 1',
    'call_id: length ≥ 1',
    'type: ',
    'duration_seconds: value ≥ 0',
  ]);
  const production = rowsOf(await summaryOf(productionCore(), 'production'), 'call ended');
  assert.deepEqual(
    production.map((row) => row.property),
    development.map((row) => row.property),
  );
  assert.ok(production.every((row) => row.constraints === ''));
});

const present = existsSync(fixtures);
test('the Typewriter fixture plan: regexes, arrays within arrays and nested objects', { skip: !present && process.env.CI !== 'true' && `no fixtures at ${fixtures}` }, async () => {
  const plan = readFileSync(join(fixtures, 'typewriter-e2e.public-api-v2.json'), 'utf8');
  const summary = await summaryOf(coreWithPlan(plan));
  const arrays = rowsOf(summary, 'Nested Arrays');
  assert.deepEqual(
    arrays.map(({ property, type, required }) => [property, type, required]),
    [
      ['universeCharacters', 'array', true],
      ['universeCharacters[]', 'array', false],
      ['universeCharacters[][]', 'object', false],
      ['universeCharacters[][].name', 'string', true],
    ],
  );
  const required = rowsOf(summary, 'Every Required Type');
  const regex = required.find((row) => row.property === 'required string with regex');
  assert.match(regex.constraints, /^pattern \S+/);
  assert.ok(required.some((row) => row.property.startsWith('required object with properties.')));
});
