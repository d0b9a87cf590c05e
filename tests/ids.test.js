// newId: URL-safe, prefixed, 128 random bits from crypto.getRandomValues.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { newId } from '../js/sdk/ids.js';

test('newId is the prefix, an underscore and 22 URL-safe characters', () => {
  assert.match(newId('call'), /^call_[A-Za-z0-9_-]{22}$/);
  assert.match(newId('qnaire'), /^qnaire_[A-Za-z0-9_-]{22}$/);
  assert.match(newId(), /^[A-Za-z0-9_-]{22}$/);
  const id = newId('task');
  assert.equal(encodeURIComponent(id), id, 'no escaping needed in a URL');
});

test('newId does not repeat', () => {
  const ids = new Set(Array.from({ length: 100_000 }, () => newId('call')));
  assert.equal(ids.size, 100_000);
});
