// What the inspector writes for a call, without a browser: a violation's message split
// into its code spans (the core's "`type` must be …" shows `type` as code, never the
// backticks), each call's label, and a history entry read as a call record.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { callLabel, fromHistory } from '../js/inspector/calls-view.js';
import { codeSpans } from '../js/inspector/dom.js';

test('a message is split into text and code at its backticks; an unpaired backtick stays text', () => {
  assert.deepEqual(codeSpans('`type` must be one of ended_by_patient, ended_by_practitioner; got "Patient"'), [
    { code: true, text: 'type' },
    { code: false, text: ' must be one of ended_by_patient, ended_by_practitioner; got "Patient"' },
  ]);
  assert.deepEqual(codeSpans('`channel_id` is not a planned property of `call started`: it was removed'), [
    { code: true, text: 'channel_id' },
    { code: false, text: ' is not a planned property of ' },
    { code: true, text: 'call started' },
    { code: false, text: ': it was removed' },
  ]);
  assert.deepEqual(codeSpans('`name` must not be "a`b"'), [
    { code: true, text: 'name' },
    { code: false, text: ' must not be "a' },
    { code: false, text: '`b"' },
  ]);
  assert.deepEqual(codeSpans('no code here'), [{ code: false, text: 'no code here' }]);
});

test("each call's label, and history entries read as call records", () => {
  assert.equal(callLabel({ type: 'track', event: 'call started' }), 'call started');
  assert.equal(callLabel({ type: 'track' }), '(no event name)');
  assert.equal(callLabel({ type: 'page', category: 'app', name: 'episode' }), 'page app / episode');
  assert.equal(callLabel({ type: 'page' }), 'page');
  assert.equal(callLabel({ type: 'identify', userId: 'user_1' }), 'identify user_1');
  assert.equal(callLabel({ type: 'identify', userId: null }), 'identify');
  assert.equal(callLabel({ type: 'group', groupId: 'g1' }), 'group g1');
  const entry = { seq: 2, type: 'identify', ok: false, action: 'blocked', violations: [], omitted: [], hints: [], payload: { user_type: 'Patient' }, callSite: 'http://app.test/a.js:1:2' };
  assert.deepEqual(fromHistory(entry), { seq: 2, type: 'identify', ok: false, action: 'blocked', violations: [], omitted: [], hints: [], traits: { user_type: 'Patient' }, callSite: 'http://app.test/a.js:1:2' });
  assert.deepEqual(fromHistory({ type: 'track', event: 'x', payload: { a: 1 } }).properties, { a: 1 });
});
