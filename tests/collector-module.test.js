// trackplan/collector as a module: events(), good()/bad(), settingsFor(), waitFor() and
// expectReceived() on what arrived over HTTP, as analytics-next would post it.
import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, test } from 'node:test';
import { collectorSettings, createCollector } from '../js/node/collector/index.js';

const STARTED = { type: 'track', event: 'call started', properties: { episode_id: 'ep_1', call_id: 'call_1', user_type: 'patient' } };
const ENDED = { type: 'track', event: 'call ended', properties: { episode_id: 'ep_1', call_id: 'call_1', type: 'ended_by_patient', duration_seconds: 61 } };
const PAGE = { type: 'page', name: 'episode', properties: { path: '/' } };

/** Posts a batch, as analytics-next does with its batching delivery. */
async function post(collector, batch, writeKey = 'wk_test') {
  const response = await fetch(`${collector.url}/v1/b`, { method: 'POST', body: JSON.stringify({ batch, writeKey }) });
  assert.equal(response.status, 200);
}

/** The rejection of `promise`. */
async function rejection(promise) {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  assert.fail('expected a rejection');
}

describe('collector module', () => {
  let c;
  before(async () => {
    c = await createCollector({ port: 0, quiet: true });
  });
  after(() => c.close());
  beforeEach(() => c.reset());

  test('events() lists what arrived, oldest first, filtered by a predicate or by what they contain', async () => {
    await post(c, [STARTED, PAGE, ENDED]);
    assert.deepEqual(c.events().map((e) => e.event ?? e.name), ['call started', 'episode', 'call ended']);
    assert.equal(c.events()[0].writeKey, 'wk_test');
    assert.ok(!Number.isNaN(Date.parse(c.events()[0].receivedAt)));
    assert.deepEqual(c.events({ type: 'track' }).map((e) => e.event), ['call started', 'call ended']);
    assert.deepEqual(c.events({ properties: { type: 'ended_by_patient' } }).map((e) => e.event), ['call ended']);
    assert.deepEqual(c.events((e) => e.type === 'page').map((e) => e.name), ['episode']);
    assert.throws(() => c.events('track'), /a filter is a function or an object/);
    c.reset();
    assert.deepEqual(c.events(), []);
  });

  test('settingsFor(writeKey) is what the settings endpoint serves: analytics-next sends here', async () => {
    const settings = c.settingsFor('wk_app');
    assert.deepEqual(settings, collectorSettings(c.url, 'wk_app'));
    assert.deepEqual(settings, await (await fetch(`${c.url}/v1/projects/wk_app/settings`)).json());
    const segment = settings.integrations['Segment.io'];
    assert.deepEqual([segment.apiKey, segment.apiHost, segment.protocol], ['wk_app', `127.0.0.1:${c.port}/v1`, 'http']);
  });

  describe('waitFor', () => {
    test('resolves with the first matching event already received', async () => {
      await post(c, [STARTED, ENDED, { ...ENDED, messageId: 'second' }]);
      const event = await c.waitFor((e) => e.event === 'call ended');
      assert.equal(event, c.events()[1]);
    });

    test('resolves with a matching event that arrives later, after others', async () => {
      const waiting = c.waitFor({ type: 'track', event: 'call ended' }, { timeout: 30_000 });
      await post(c, [STARTED]);
      await post(c, [PAGE, ENDED]);
      assert.deepEqual((await waiting).properties, ENDED.properties);
    });

    test('goes on waiting across a reset', async () => {
      await post(c, [STARTED]);
      const waiting = c.waitFor({ event: 'call ended' }, { timeout: 30_000 });
      c.reset();
      await post(c, [ENDED]);
      assert.equal((await waiting).event, 'call ended');
    });

    test('rejects after the timeout with a TimeoutError naming what was received', async () => {
      await post(c, [STARTED, PAGE]);
      const error = await rejection(c.waitFor({ event: 'call ended' }, { timeout: 20 }));
      assert.equal(error.name, 'TimeoutError');
      assert.equal(
        error.message,
        'trackplan collector: no received event matched {"event":"call ended"} within 20 ms; 2 received: track "call started", page "episode"',
      );
      c.reset();
      assert.match((await rejection(c.waitFor(() => false, { timeout: 1 }))).message, /matched the predicate within 1 ms; nothing was received$/);
    });

    test('lists the first ten events received, and how many more', async () => {
      await post(c, Array.from({ length: 12 }, (_, i) => ({ ...PAGE, name: `p${i}` })));
      const { message } = await rejection(c.waitFor({ type: 'track' }, { timeout: 1 }));
      assert.match(message, /12 received: page "p0", .*page "p9", and 2 more$/);
    });

    test('rejects with the error of a predicate that throws', async () => {
      await post(c, [STARTED]);
      const boom = (e) => e.properties.missing.deeper;
      assert.ok((await rejection(c.waitFor(boom))) instanceof TypeError);
    });
  });

  describe('expectReceived', () => {
    test('resolves with the track event whose properties contain those given', async () => {
      await post(c, [PAGE, STARTED, { ...STARTED, properties: { ...STARTED.properties, episode_id: 'ep_2' } }]);
      assert.equal(await c.expectReceived('call started', { episode_id: 'ep_2' }), c.events()[2]);
      assert.equal(await c.expectReceived('call started'), c.events()[1]);
    });

    test('matches nested properties partially, and arrays element by element', async () => {
      const order = { type: 'track', event: 'order completed', properties: { order: { id: 'o_1', total: 12, currency: 'EUR' }, items: [{ sku: 'a', qty: 1 }] } };
      await post(c, [order]);
      const expected = { order: { id: 'o_1' }, items: [{ sku: 'a' }] };
      assert.equal((await c.expectReceived('order completed', expected)).event, 'order completed');
      const error = await rejection(c.expectReceived('order completed', { order: { id: 'o_2' }, items: [{ sku: 'a' }, { sku: 'b' }] }, { timeout: 1 }));
      assert.match(error.message, /- order\.id: "o_2"\n\+ order\.id: "o_1"\n- items: \[\{"sku":"a"\},\{"sku":"b"\}\]\n\+ items: \[\{"sku":"a","qty":1\}\]$/);
    });

    test('waits for the event to arrive', async () => {
      const expecting = c.expectReceived('call ended', { duration_seconds: 61 }, { timeout: 30_000 });
      await post(c, [STARTED]);
      await post(c, [ENDED]);
      assert.equal((await expecting).event, 'call ended');
    });

    test('fails with an AssertionError diffing the closest received event', async () => {
      await post(c, [
        PAGE,
        { ...STARTED, properties: { episode_id: 'ep_1', user_type: 'practitioner' } },
        { ...ENDED, properties: { episode_id: 'ep_9', user_type: 'practitioner' } },
      ]);
      const error = await rejection(c.expectReceived('call started', { episode_id: 'ep_1', user_type: 'patient', call_id: 'call_1' }, { timeout: 10 }));
      assert.ok(error instanceof assert.AssertionError);
      assert.equal(error.code, 'ERR_ASSERTION');
      assert.equal(
        error.message,
        'trackplan collector: expected a track event "call started" with {"episode_id":"ep_1","user_type":"patient","call_id":"call_1"} within 10 ms; ' +
          'the closest of 3 received event(s) was track "call started" (- expected, + received):\n' +
          '- user_type: "patient"\n+ user_type: "practitioner"\n- call_id: "call_1"\n+ call_id: (missing)',
      );
      assert.deepEqual(error.actual, { episode_id: 'ep_1', user_type: 'practitioner' });
    });

    test('names another event when none of that name arrived, and says when nothing did', async () => {
      await post(c, [ENDED]);
      const { message } = await rejection(c.expectReceived('call started', { episode_id: 'ep_1' }, { timeout: 1 }));
      assert.match(message, /closest of 1 received event\(s\) was track "call ended" \(- expected, \+ received\):\n {2}event: expected "call started", got "call ended"$/);
      c.reset();
      assert.match((await rejection(c.expectReceived('call started', {}, { timeout: 1 }))).message, /within 1 ms, but no events were received$/);
    });
  });

  test('good() and bad() split what arrived by the plan, bad events with their violations', async () => {
    await post(c, [STARTED, { ...STARTED, properties: { ...STARTED.properties, user_type: 'doctor' } }, ENDED]);
    assert.deepEqual((await c.good()).map((e) => e.event), ['call started', 'call ended']);
    assert.deepEqual((await c.good({ event: 'call ended' })).map((e) => e.event), ['call ended']);
    const bad = await c.bad();
    assert.deepEqual(bad.map((e) => [e.event, e.violations[0].kind, e.violations[0].path]), [['call started', 'enum', '/user_type']]);
    assert.deepEqual(await c.bad((e) => e.event === 'call ended'), []);
  });
});

test('close() is idempotent and rejects pending waits', async () => {
  const c = await createCollector({ port: 0, quiet: true });
  const waiting = c.waitFor({ event: 'never' }, { timeout: 60_000 });
  await Promise.all([c.close(), c.close()]);
  assert.match((await rejection(waiting)).message, /closed while waiting for an event/);
});
