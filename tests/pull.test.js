// `trackplan pull` against a local server that answers as Segment's Public API documents
// (pages of rules with cursors, 401, 403, 404, 429 with Retry-After, 5xx, redirects,
// answers that are not JSON), and a closed port. Each failure: its exit code, one line
// saying what to fix, the plan file as it was, nothing left beside it, and the token
// nowhere in the output or the files.
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';

import { planRules, startTools } from '../js/node/tools.js';
import { runTrackplanWith } from './e2e/support/cli.js';

const root = fileURLToPath(new URL('..', import.meta.url));
const fixtures = join(process.env.TRACKPLAN_SHARED ?? join(root, '../shared'), 'fixtures/segment-plans');
const TOKEN = 'sgp_T0k3nUsedOnlyInTheseTests_0123456789abcdef';
const PLAN_ID = 'tp_2CJh7O9XUIirKFn4pabvhz8Cn9K';
const EXISTING = '{ "rules": [], "note": "the plan before the pull" }\n';
const demo = JSON.parse(readFileSync(join(root, 'plan/default.json'), 'utf8'));

/** The plan's metadata as `GET /tracking-plans/{id}` has it. */
const METADATA = {
  id: PLAN_ID,
  slug: 'demo-plan',
  name: 'Demo plan',
  description: 'The demo plan, as Segment serves it',
  type: 'LIVE',
  resourceSchemaId: 'rs_2CJh7QUSFvjOlQEvvxzpTt8x48X',
  createdAt: '2026-01-05T10:00:00.000Z',
  updatedAt: '2026-02-01T09:30:00.000Z',
};

/** A rule of an export as the Public API serves it: the payload schema wrapped. */
function served({ key, type, version, jsonSchema: schema }) {
  const { $schema, description } = schema;
  const part = type === 'IDENTIFY' || type === 'GROUP' ? 'traits' : 'properties';
  return {
    ...(key === undefined ? {} : { key }),
    type,
    version,
    createdAt: '2026-01-05T10:00:00.000Z',
    updatedAt: '2026-01-05T10:00:00.000Z',
    deprecatedAt: '0001-01-01T00:00:00.000Z',
    jsonSchema: { $schema, description, type: 'object', properties: { context: {}, [part]: schema } },
  };
}

/** An opaque cursor, as base64 as Segment's (with `=`, which the query must encode). */
const cursorAt = (offset) => Buffer.from(`offset:${offset}`).toString('base64');

/**
 * A local Public API: `GET /tracking-plans/{id}` and `GET /tracking-plans/{id}/rules`
 * for `metadata.id`, `pageSize` rules a page at most (or fewer when asked), the next
 * page's cursor in `pagination.next`, absent (or `null` with `nullLast`) on the last;
 * 401 for any other token, 404 for any other path, errors as `{ errors: [{ type,
 * message }] }`. `intercept({ url, n })` may answer request `n` (from 0) instead.
 * Resolves with `url`, `requests` (path, query, authorization of each) and `close()`.
 */
async function fakePublicApi({ metadata = METADATA, rules = demo.rules.map(served), pageSize = 2, nullLast = false } = {}) {
  const api = { requests: [], intercept: () => undefined, rules };
  const server = createServer((req, res) => {
    const url = new URL(req.url, 'http://localhost');
    const n = api.requests.push({ path: url.pathname, query: Object.fromEntries(url.searchParams), authorization: req.headers.authorization }) - 1;
    const answer = api.intercept({ url, n, req }) ?? route(url, req);
    if (answer === 'drop') return req.socket.destroy();
    const text = typeof answer.body === 'string' ? answer.body : JSON.stringify(answer.body);
    res.writeHead(answer.status, { 'content-type': 'application/vnd.segment.v1+json', ...answer.headers });
    res.end(text);
  });
  const route = (url, req) => {
    if (req.headers.authorization !== `Bearer ${TOKEN}`) return failure(401, 'unauthorized', 'Unauthorized');
    const plan = `/tracking-plans/${metadata.id}`;
    if (url.pathname === plan) return { status: 200, body: { data: { trackingPlan: metadata } } };
    if (url.pathname !== `${plan}/rules`) return failure(404, 'not-found', 'Resource not found');
    const cursor = url.searchParams.get('pagination.cursor');
    const offset = cursor === null ? 0 : Number(/^offset:(\d+)$/.exec(Buffer.from(cursor, 'base64').toString())[1]);
    const end = offset + Math.min(pageSize, Number(url.searchParams.get('pagination.count')));
    const next = end < api.rules.length ? cursorAt(end) : nullLast ? null : undefined;
    const pagination = { current: cursorAt(offset), ...(next === undefined ? {} : { next }), totalEntries: api.rules.length };
    return { status: 200, body: { data: { rules: api.rules.slice(offset, end), pagination } } };
  };
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  api.url = `http://127.0.0.1:${server.address().port}`;
  api.close = () => new Promise((resolve) => server.close(resolve));
  return api;
}

/** A Public API error answer. */
function failure(status, type, message, headers = {}) {
  return { status, headers, body: { errors: [{ type, message }] } };
}

/**
 * Runs `trackplan pull` in a new directory holding `trackplan.config.json` (the plan at
 * `tracking-plan.json`, `segment` as given) and, unless `existing` is null, a plan file
 * holding it (`token: null`: no SEGMENT_API_TOKEN). Checks that the token is nowhere in
 * the output or the directory.
 * @returns {Promise<{ code, stdout, stderr, dir, plan: string | null, names: string[] }>}
 */
async function pull(segment, { token = TOKEN, existing = EXISTING, args = [], config } = {}) {
  const dir = mkdtempSync(join(tmpdir(), 'trackplan-pull-'));
  writeFileSync(join(dir, 'trackplan.config.json'), JSON.stringify(config ?? { plan: 'tracking-plan.json', segment }));
  if (existing !== null) writeFileSync(join(dir, 'tracking-plan.json'), existing);
  const env = { ...process.env, SEGMENT_API_TOKEN: token };
  if (token === null) delete env.SEGMENT_API_TOKEN;
  const result = await runTrackplanWith({ cwd: dir, env }, 'pull', ...args);
  if (token?.trim()) {
    for (const [where, text] of [['stdout', result.stdout], ['stderr', result.stderr], ...filesIn(dir)]) {
      assert.ok(!text.includes(token.trim()), `the token is in ${where}`);
    }
  }
  const planFile = join(dir, 'tracking-plan.json');
  return { ...result, dir, plan: existsSync(planFile) ? readFileSync(planFile, 'utf8') : null, names: readdirSync(dir).sort() };
}

/** `[path, text]` of every file under `dir`. */
function filesIn(dir) {
  return readdirSync(dir, { recursive: true })
    .map((name) => join(dir, name))
    .filter((path) => statSync(path).isFile())
    .map((path) => [path, readFileSync(path, 'latin1')]);
}

/** A failed pull: `code`, one line on stderr matching `pattern`, the plan file as it was, nothing beside it. */
function assertFailed(result, code, pattern) {
  assert.equal(result.code, code, result.stderr);
  assert.equal(result.stdout, '');
  const lines = result.stderr.trimEnd().split('\n');
  assert.equal(lines.length, 1, `one line:\n${result.stderr}`);
  assert.match(lines[0], /^trackplan pull: /);
  assert.match(lines[0], pattern);
  assert.equal(result.plan, EXISTING, 'the plan file is untouched');
  assert.deepEqual(result.names, ['tracking-plan.json', 'trackplan.config.json'], 'nothing left beside the plan');
}

/** The normalized rules of a plan, in one order. */
function rulesOf(plan) {
  const order = (r) => `${r.kind} ${r.name} ${r.version}`;
  return planRules(plan).sort((a, b) => (order(a) < order(b) ? -1 : 1));
}

describe('trackplan pull', () => {
  let api;
  before(async () => {
    await startTools();
    api = await fakePublicApi();
  });
  after(() => api.close());
  const segment = () => ({ trackingPlanId: PLAN_ID, apiHost: api.url });
  const reset = (intercept = () => undefined) => {
    api.requests.length = 0;
    api.intercept = intercept;
    api.rules = demo.rules.map(served);
  };

  test('follows every page and writes the plan as an export that build reads', async () => {
    reset();
    const result = await pull(segment());
    assert.equal(result.code, 0, result.stderr);
    assert.equal(result.stderr, '');
    assert.match(result.stdout, /^trackplan pull: wrote tracking-plan\.json: "Demo plan" \(tp_2CJh7O9XUIirKFn4pabvhz8Cn9K\), 6 rules \(4 track, 1 identify, 1 page\)\n/);
    const paths = api.requests.map((r) => r.path);
    assert.deepEqual(paths, [`/tracking-plans/${PLAN_ID}`, ...Array(3).fill(`/tracking-plans/${PLAN_ID}/rules`)]);
    assert.deepEqual(
      api.requests.slice(1).map((r) => r.query),
      [{ 'pagination.count': '200' }, ...[2, 4].map((n) => ({ 'pagination.count': '200', 'pagination.cursor': cursorAt(n) }))],
    );
    assert.ok(api.requests.every((r) => r.authorization === `Bearer ${TOKEN}`));
    assert.deepEqual(result.names, ['tracking-plan.json', 'trackplan.config.json']);

    const written = JSON.parse(result.plan);
    assert.deepEqual(Object.keys(written), [...Object.keys(METADATA), 'rules'].sort());
    assert.equal(written.id, PLAN_ID);
    assert.equal(written.name, 'Demo plan');
    assert.deepEqual(
      written.rules.map((r) => [r.type, r.key]),
      [['IDENTIFY', undefined], ['PAGE', undefined], ['TRACK', 'call ended'], ['TRACK', 'call started'], ['TRACK', 'questionnaire submitted'], ['TRACK', 'user signed up']],
    );
    assert.equal(result.plan, `${JSON.stringify(written, null, 2)}\n`);
    assert.deepEqual(rulesOf(result.plan), rulesOf(demo), 'the same rules as the export Segment serves');

    const out = join(result.dir, 'src/trackplan');
    const built = await runTrackplanWith({ cwd: result.dir }, 'build', '--out', out);
    assert.equal(built.code, 0, built.stderr);
    assert.ok(existsSync(join(out, 'trackplan.wasm')));
  });

  test('writes the same bytes whatever order Segment sends the rules in, and says when nothing changed', async () => {
    reset();
    const first = await pull(segment());
    reset();
    api.rules = demo.rules.map(served).reverse();
    const second = await pull(segment(), { existing: first.plan });
    assert.equal(second.code, 0, second.stderr);
    assert.equal(second.plan, first.plan);
    assert.match(second.stdout, /^trackplan pull: tracking-plan\.json is up to date: "Demo plan"/);
  });

  test("replaces the plan file whole, and says so when it held trackplan's own silences", async () => {
    reset();
    const silenced = JSON.stringify({ rules: [], trackplan: { lint: { ignore: [{ rule: 'event-name', reason: 'legacy' }] } } });
    const result = await pull(segment(), { existing: silenced });
    assert.equal(result.code, 0, result.stderr);
    assert.equal(JSON.parse(result.plan).trackplan, undefined);
    assert.equal(
      result.stderr,
      'trackplan pull: tracking-plan.json had a "trackplan" member (lint silences), which is not Segment\'s and is gone: ' +
        'keep silences in "lint": { "ignore": [...] } of trackplan.config.json, which pull never overwrites\n',
    );
  });

  test('reads a last page whose next cursor is null, and writes a plan file that did not exist', async () => {
    const nulls = await fakePublicApi({ nullLast: true, pageSize: 4 });
    try {
      const result = await pull({ trackingPlanId: PLAN_ID, apiHost: nulls.url }, { existing: null });
      assert.equal(result.code, 0, result.stderr);
      assert.equal(nulls.requests.length, 3);
      assert.deepEqual(rulesOf(result.plan), rulesOf(demo));
    } finally {
      await nulls.close();
    }
  });

  test('401: the token was refused', async () => {
    reset();
    const result = await pull(segment(), { token: 'sgp_not_the_right_token_0123456789' });
    assertFailed(result, 1, /^trackplan pull: SEGMENT_API_TOKEN was refused by 127\.0\.0\.1:\d+ \(401\) \(Segment: "Unauthorized"\): create a Public API token with Tracking Plan read access \(Workspace Owner, or Tracking Plan Read-only\) in the workspace of tp_2CJh7O9XUIirKFn4pabvhz8Cn9K/);
    assert.equal(api.requests.length, 1, 'not tried again');
  });

  test('403: the token may not read the plan', async () => {
    reset(() => failure(403, 'forbidden', 'Forbidden'));
    const result = await pull(segment());
    assertFailed(result, 1, /^trackplan pull: SEGMENT_API_TOKEN may not read tracking plan tp_2CJh7O9XUIirKFn4pabvhz8Cn9K \(403\) \(Segment: "Forbidden"\): give the token Tracking Plan read access/);
  });

  test('404: names the tracking plan id, the config, the workspace and the EU host', async () => {
    reset();
    const result = await pull({ trackingPlanId: 'tp_nope', apiHost: api.url });
    assertFailed(result, 1, /^trackplan pull: 127\.0\.0\.1:\d+ has no tracking plan tp_nope \(404\) \(Segment: "Resource not found"\): check segment\.trackingPlanId in trackplan\.config\.json, that SEGMENT_API_TOKEN is from the plan's workspace, and the workspace's region \(EU workspaces: "apiHost": "https:\/\/eu1\.api\.segmentapis\.com" in "segment"\)$/);
  });

  test('429: waits as Retry-After says (seconds, then an HTTP date), then goes on', async () => {
    const date = () => new Date(Date.now() + 1000).toUTCString();
    reset(({ n }) => (n === 0 ? failure(429, 'rate-limit', 'Too many requests', { 'retry-after': '1' }) : n === 3 ? failure(429, 'rate-limit', 'Too many requests', { 'retry-after': date() }) : undefined));
    const result = await pull(segment());
    assert.equal(result.code, 0, result.stderr);
    assert.equal(api.requests.length, 6);
    assert.deepEqual(api.requests[0], api.requests[1]);
    assert.deepEqual(api.requests[3], api.requests[4]);
    assert.deepEqual(rulesOf(result.plan), rulesOf(demo));
  });

  test('429 every time: gives up after a bounded number of retries', async () => {
    reset(() => failure(429, 'rate-limit', 'Too many requests', { 'retry-after': '0' }));
    const result = await pull(segment());
    assertFailed(result, 1, /^trackplan pull: 127\.0\.0\.1:\d+ kept answering 429 Too Many Requests after 5 retries: the workspace's Public API rate limit is used up; run pull again in a minute$/);
    assert.equal(api.requests.length, 6);
  });

  test('429 asking for a longer wait than pull allows: stops at once', async () => {
    reset(() => failure(429, 'rate-limit', 'Too many requests', { 'retry-after': '3600' }));
    const result = await pull(segment());
    assertFailed(result, 1, /^trackplan pull: 127\.0\.0\.1:\d+ asks to wait 3600 s before the next request \(429\), longer than pull waits \(60 s\): run it again later$/);
    assert.equal(api.requests.length, 1);
  });

  test('500 on a page: tried again after a backoff, then goes on', async () => {
    reset(({ n }) => (n === 2 ? failure(500, 'internal', 'Internal error') : undefined));
    const result = await pull(segment());
    assert.equal(result.code, 0, result.stderr);
    assert.equal(api.requests.length, 5);
    assert.deepEqual(api.requests[2], api.requests[3]);
    assert.deepEqual(rulesOf(result.plan), rulesOf(demo));
  });

  test('5xx every time: gives up after a few retries', async () => {
    reset(() => ({ ...failure(503, 'unavailable', 'Service Unavailable', { 'retry-after': '0' }) }));
    const result = await pull(segment());
    assertFailed(result, 1, /^trackplan pull: 127\.0\.0\.1:\d+ answered GET \/tracking-plans\/tp_2CJh7O9XUIirKFn4pabvhz8Cn9K with 503 Service Unavailable 4 times: Segment's Public API is failing; run pull again later/);
    assert.equal(api.requests.length, 4);
  });

  test('a connection dropped mid-way: tried again', async () => {
    reset(({ n }) => (n === 1 ? 'drop' : undefined));
    const result = await pull(segment());
    assert.equal(result.code, 0, result.stderr);
    assert.equal(api.requests.length, 5);
  });

  test('connection refused: names the host and the setting', async () => {
    const closed = await fakePublicApi();
    await closed.close();
    const result = await pull({ trackingPlanId: PLAN_ID, apiHost: closed.url });
    assertFailed(result, 1, /^trackplan pull: cannot connect to 127\.0\.0\.1:\d+: connection refused; check segment\.apiHost in trackplan\.config\.json and your network$/);
  });

  test('an answer that is not JSON', async () => {
    reset(() => ({ status: 200, headers: { 'content-type': 'text/html' }, body: '<html><body>Sign in</body></html>' }));
    const result = await pull(segment());
    assertFailed(result, 1, /^trackplan pull: 127\.0\.0\.1:\d+ answered GET \/tracking-plans\/tp_2CJh7O9XUIirKFn4pabvhz8Cn9K with something that is not JSON \(text\/html, 33 characters\): check that segment\.apiHost in trackplan\.config\.json is Segment's Public API/);
  });

  test('JSON that is not the Public API: a plan, then a page of rules', async () => {
    reset(({ n }) => (n === 0 ? { status: 200, body: { ok: true } } : undefined));
    assertFailed(await pull(segment()), 1, /^trackplan pull: 127\.0\.0\.1:\d+ answered GET \/tracking-plans\/tp_\w+ with JSON that is not a tracking plan \(data\.trackingPlan\): check that segment\.apiHost/);
    reset(({ n }) => (n === 2 ? { status: 200, body: { data: { rules: 'none' } } } : undefined));
    assertFailed(await pull(segment()), 1, /^trackplan pull: 127\.0\.0\.1:\d+ answered GET \/tracking-plans\/tp_\w+\/rules with JSON that is not a page of rules \(data\.rules\)/);
  });

  test('pages that repeat a rule: the plan changed while read', async () => {
    reset(({ url, n }) => (n === 2 ? { status: 200, body: { data: { rules: api.rules.slice(0, 2), pagination: { current: url.searchParams.get('pagination.cursor'), next: cursorAt(4) } } } } : undefined));
    const result = await pull(segment());
    assertFailed(result, 1, /^trackplan pull: reading tracking plan tp_\w+ from 127\.0\.0\.1:\d+, the rule TRACK "user signed up" v1 came twice: the plan may have changed meanwhile; run pull again$/);
  });

  test('redirects: followed within the API, refused to another host, which never sees the token', async () => {
    const other = await fakePublicApi();
    try {
      reset(({ url, n }) => (n === 0 ? { status: 307, headers: { location: `/moved${url.pathname}` }, body: '' } : undefined));
      const moved = (fallback) => (request) => (request.url.pathname.startsWith('/moved/') ? { status: 200, body: { data: { trackingPlan: METADATA } } } : fallback(request));
      api.intercept = moved(api.intercept);
      const followed = await pull(segment());
      assert.equal(followed.code, 0, followed.stderr);
      assert.equal(api.requests[1].path, `/moved/tracking-plans/${PLAN_ID}`);
      assert.equal(api.requests[1].authorization, `Bearer ${TOKEN}`);

      reset(({ url }) => ({ status: 302, headers: { location: `${other.url.replace('127.0.0.1', 'localhost')}${url.pathname}` }, body: '' }));
      const refused = await pull(segment());
      assertFailed(refused, 1, /^trackplan pull: 127\.0\.0\.1:\d+ redirected GET \/tracking-plans\/tp_\w+ to http:\/\/localhost:\d+, where pull does not send the token: set segment\.apiHost in trackplan\.config\.json/);
      assert.equal(other.requests.length, 0);
    } finally {
      await other.close();
    }
  });

  test("Segment's own words are shown, without the token when it echoes it", async () => {
    reset(() => failure(400, 'bad-request', `Malformed header: Bearer ${TOKEN}`));
    const result = await pull(segment());
    assertFailed(result, 1, /^trackplan pull: 127\.0\.0\.1:\d+ refused GET \/tracking-plans\/tp_\w+ with 400 \(Segment: "Malformed header: Bearer \[SEGMENT_API_TOKEN\]"\): check segment\.trackingPlanId and segment\.apiHost in trackplan\.config\.json$/);
  });

  test('cannot write the plan: exit 1, nothing left behind', async () => {
    reset();
    const dir = mkdtempSync(join(tmpdir(), 'trackplan-pull-'));
    writeFileSync(join(dir, 'not-a-dir'), 'a file');
    const result = await pull(segment(), { args: ['--out', join(dir, 'not-a-dir/tracking-plan.json')] });
    assert.equal(result.code, 1);
    assert.match(result.stderr, /^trackplan pull: cannot write .*not-a-dir\/tracking-plan\.json: /);
    assert.deepEqual(readdirSync(dir), ['not-a-dir']);
    assert.equal(result.plan, EXISTING);
  });

  test('--out writes elsewhere, relative to the working directory', async () => {
    reset();
    const result = await pull(segment(), { args: ['--out', 'plans/segment.json'] });
    assert.equal(result.code, 0, result.stderr);
    assert.equal(result.plan, EXISTING);
    assert.deepEqual(rulesOf(readFileSync(join(result.dir, 'plans/segment.json'), 'utf8')), rulesOf(demo));
  });
});

describe('trackplan pull: configuration and usage', () => {
  const id = { trackingPlanId: PLAN_ID, apiHost: 'http://127.0.0.1:9' };
  const cases = [
    ['no token', id, { token: null }, /^trackplan pull: SEGMENT_API_TOKEN is not set: create a Public API token with Tracking Plan read access in Segment \(Settings → Workspace settings → Access Management → Tokens\) and export SEGMENT_API_TOKEN/],
    ['a token of blanks', id, { token: '  ' }, /SEGMENT_API_TOKEN is not set/],
    ['a token with a line break inside', id, { token: `${TOKEN}\nX-Other: ${TOKEN}` }, /^trackplan pull: SEGMENT_API_TOKEN holds spaces, line breaks or other characters no token has: copy the token again$/],
    ['no trackingPlanId', {}, {}, /^trackplan pull: trackplan\.config\.json: name the tracking plan to pull: "segment": \{ "trackingPlanId": "tp_…" \}/],
    ['a trackingPlanId that is no id', { trackingPlanId: 'tp_x/../../workspaces' }, {}, /^trackplan pull: trackplan\.config\.json: "segment": \{ "trackingPlanId" \} must be a tracking plan's id such as "tp_…"/],
    ['a misspelt field', { trackingPlanID: PLAN_ID }, {}, /^trackplan pull: trackplan\.config\.json: "segment" has no field "trackingPlanID": it takes trackingPlanId and apiHost$/],
    ['segment not an object', 'tp_x', {}, /"segment" must be an object such as \{ "trackingPlanId": "tp_…" \}$/],
    ['an http apiHost off this machine', { trackingPlanId: PLAN_ID, apiHost: 'http://api.segmentapis.com' }, {}, /"segment": \{ "apiHost" \} must be an https:\/\/ URL such as "https:\/\/api\.segmentapis\.com" \(or "https:\/\/eu1\.api\.segmentapis\.com" for an EU workspace\): the token must not travel in clear$/],
    ['an apiHost with a query', { trackingPlanId: PLAN_ID, apiHost: 'https://api.segmentapis.com/?x=1' }, {}, /"segment": \{ "apiHost" \} must be a host with no credentials, query or fragment/],
    ['an apiHost that is no URL', { trackingPlanId: PLAN_ID, apiHost: 'https://' }, {}, /"segment": \{ "apiHost" \} must be a URL such as/],
    ['no plan file named', id, { config: { segment: id } }, /^trackplan pull: name where to write the plan: --out PLAN, or "plan" in trackplan\.config\.json$/],
    ['a plan that is a directory', id, { args: ['--out', '.'] }, /^trackplan pull: \. is a directory: name the plan file/],
  ];
  for (const [what, segment, options, pattern] of cases) {
    test(`${what}: exit 2, one line`, async () => {
      const result = await pull(segment, options);
      assertFailed(result, 2, pattern);
    });
  }

  test('no configuration file: says what to create', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'trackplan-pull-'));
    const result = await runTrackplanWith({ cwd: dir, env: { ...process.env, SEGMENT_API_TOKEN: TOKEN } }, 'pull');
    assert.equal(result.code, 2);
    assert.equal(result.stderr, 'trackplan pull: no trackplan.config.json here: create one such as { "plan": "tracking-plan.json", "segment": { "trackingPlanId": "tp_…" } }, or give --config FILE\n');
  });

  test('usage: --help, an unknown option, a stray argument', async () => {
    const help = await runTrackplanWith({}, 'pull', '--help');
    assert.equal(help.code, 0);
    assert.match(help.stdout, /^usage: trackplan pull \[--out PLAN\] \[--config FILE\]\n/);
    assert.match(help.stdout, /https:\/\/eu1\.api\.segmentapis\.com/);
    const unknown = await runTrackplanWith({}, 'pull', '--token', 'x');
    assert.equal(unknown.code, 2);
    assert.match(unknown.stderr, /^trackplan pull: unknown option --token\n\nusage: trackplan pull/);
    const stray = await runTrackplanWith({}, 'pull', 'plan.json');
    assert.equal(stray.code, 2);
    assert.match(stray.stderr, /^trackplan pull: unexpected argument "plan\.json": name the plan file with --out\n/);
  });

  test('--config: a configuration elsewhere, its paths relative to it', async () => {
    const api = await fakePublicApi();
    try {
      const dir = mkdtempSync(join(tmpdir(), 'trackplan-pull-'));
      mkdirSync(join(dir, 'config'));
      writeFileSync(join(dir, 'config/pull.json'), JSON.stringify({ plan: '../plan.json', segment: { trackingPlanId: PLAN_ID, apiHost: `${api.url}/` } }));
      const result = await runTrackplanWith({ cwd: tmpdir(), env: { ...process.env, SEGMENT_API_TOKEN: TOKEN } }, 'pull', '--config', join(dir, 'config/pull.json'));
      assert.equal(result.code, 0, result.stderr);
      assert.deepEqual(rulesOf(readFileSync(join(dir, 'plan.json'), 'utf8')), rulesOf(demo));
    } finally {
      await api.close();
    }
  });
});

describe("trackplan pull: Segment's real plan (Typewriter's fixture)", () => {
  const path = join(fixtures, 'typewriter-e2e.public-api-v2.json');
  const present = existsSync(path);
  const skip = !present && process.env.CI !== 'true';
  if (skip) console.log(`# skipped: no fixtures at ${fixtures} (set TRACKPLAN_SHARED to the shared directory)`);

  test('served 10 rules a page, pulled into the same rules', { skip }, async () => {
    const fixture = JSON.parse(readFileSync(path, 'utf8'));
    const { rules, ...metadata } = fixture;
    const api = await fakePublicApi({ metadata, rules, pageSize: 10 });
    try {
      await startTools();
      const result = await pull({ trackingPlanId: fixture.id, apiHost: api.url });
      assert.equal(result.code, 0, result.stderr);
      assert.equal(api.requests.length, 4);
      assert.match(result.stdout, /"Typewriter E2E" \(tp_2CJh7O9XUIirKFn4pabvhz8Cn9K\), 25 rules \(25 track\)/);
      assert.deepEqual(rulesOf(result.plan), rulesOf(fixture));
      assert.deepEqual(JSON.parse(result.plan), { ...fixture, rules: JSON.parse(result.plan).rules });
    } finally {
      await api.close();
    }
  });
});
