/**
 * Workflow ids, as the tracking guide asks for them (`call_id`, `task_id`, `qnaire_tid`).
 *
 * @module trackplan/ids
 */

/** Random bytes per id: 128 bits, as many as a UUID v4 has (122 of them random). */
const ID_BYTES = 16;

/**
 * A new random, URL-safe id: `prefix_` followed by 22 base64url characters from
 * `crypto.getRandomValues` (128 bits, so ids do not collide). `newId('call')` →
 * `call_Vf3nV0pQ0l4yN8c2ZC0x1A`; without a prefix, just the random part. For workflow
 * ids: `call_id`, `task_id`, `qnaire_tid`.
 * @param {string} [prefix]
 * @returns {string}
 */
export function newId(prefix) {
  const bytes = globalThis.crypto.getRandomValues(new Uint8Array(ID_BYTES));
  const random = btoa(String.fromCharCode(...bytes))
    .replace(/\+/g, '-')
    .replace(/\//g, '_')
    .replace(/=+$/, '');
  return typeof prefix === 'string' && prefix !== '' ? `${prefix}_${random}` : random;
}
