/**
 * The collector's responses: JSON and plain-text status replies, never cached.
 *
 * @module trackplan/collector/respond
 */

import http from 'node:http';

/**
 * Replies with `value` as JSON.
 * @param {import('node:http').ServerResponse} res
 * @param {number} status
 * @param {unknown} value
 */
export function sendJson(res, status, value) {
  const body = JSON.stringify(value);
  res.writeHead(status, {
    'Content-Type': 'application/json; charset=utf-8',
    'Content-Length': Buffer.byteLength(body),
    'Cache-Control': 'no-store',
  });
  res.end(body);
}

/**
 * Replies with a status and a plain-text message (by default the status's name).
 * @param {import('node:http').ServerResponse} res
 * @param {number} status
 * @param {string} [message]
 */
export function sendStatus(res, status, message = http.STATUS_CODES[status] || '') {
  res.writeHead(status, {
    'Content-Type': 'text/plain; charset=utf-8',
    'Content-Length': Buffer.byteLength(message),
    'Cache-Control': 'no-store',
  });
  res.end(message);
}
