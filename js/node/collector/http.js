/**
 * The collector's HTTP side: what it answers, as Segment's CDN and tracking API would,
 * and its own endpoints.
 *
 * - `GET /v1/projects/:writeKey/settings`: CDN settings pointing analytics-next (and its
 *   remote-metrics reporter) back at the collector over plain http;
 * - `POST /v1/{t,i,p,g,a,s}`, `/v1/{track,identify,page,group,alias,screen}` (single
 *   events) and `/v1/{b,batch,import}` (batches): recorded in the store;
 * - `GET /collector/all[?field=value...]`: the events received, oldest first (optional
 *   top-level equality filters such as `?type=track&event=Order%20Completed`);
 *   `/collector/good` and `/collector/bad` (same filters) split them by the plan check,
 *   bad events with their `violations`; `POST /collector/reset` forgets them;
 * - any other `GET`/`HEAD`: a file of `staticDir`, when one is configured.
 *
 * @module trackplan/collector/http
 */

import { sendJson, sendStatus } from './respond.js';
import { collectorSettings } from './settings.js';
import { serveStatic } from './static.js';

/** Largest request body accepted, in bytes (Segment's own limit is ~500 KB). */
const MAX_BODY_BYTES = 512 * 1024;

/** Path letter / long name → Segment event type, for single-event endpoints. */
const SINGLE_ENDPOINTS = {
  t: 'track',
  i: 'identify',
  p: 'page',
  g: 'group',
  a: 'alias',
  s: 'screen',
  track: 'track',
  identify: 'identify',
  page: 'page',
  group: 'group',
  alias: 'alias',
  screen: 'screen',
};

/** Batch endpoints: body is `{ batch: [...], sentAt?, writeKey? }`. */
const BATCH_ENDPOINTS = new Set(['b', 'batch', 'import']);

/**
 * The collector's request handler.
 * @param {{ store: ReturnType<import('./store.js').createEventStore>, root?: string,
 *   log: (...args: unknown[]) => void, origin: () => string }} collector
 *   `root` the absolute static directory; `origin()` the collector's own URL, for a
 *   request without a `Host` header
 * @returns {(req: import('node:http').IncomingMessage, res: import('node:http').ServerResponse) => void}
 */
export function createHandler(collector) {
  return (req, res) => {
    handle(collector, req, res).catch((err) => {
      collector.log('internal error:', err && err.stack ? err.stack : err);
      if (!res.headersSent) sendJson(res, 500, { success: false, error: 'internal error' });
      else res.destroy();
    });
  };
}

/**
 * Routes a request.
 * @param {Parameters<typeof createHandler>[0]} collector
 * @param {import('node:http').IncomingMessage} req
 * @param {import('node:http').ServerResponse} res
 */
async function handle({ store, root, log, origin }, req, res) {
  setCors(req, res);
  const url = new URL(req.url || '/', 'http://collector.invalid');
  const { pathname } = url;
  const method = req.method || 'GET';
  const reading = method === 'GET' || method === 'HEAD';

  if (method === 'OPTIONS') return preflight(req, res);
  const settings = /^\/v1\/projects\/([^/]+)\/settings\/?$/.exec(pathname);
  if (settings && reading) {
    let writeKey;
    try {
      writeKey = decodeURIComponent(settings[1]);
    } catch {
      return sendStatus(res, 404);
    }
    // Point the browser back at the origin it used to reach us.
    const base = req.headers.host ? `http://${req.headers.host}` : origin();
    return sendJson(res, 200, collectorSettings(base, writeKey));
  }
  const endpoint = method === 'POST' && /^\/v1\/([a-z]+)\/?$/.exec(pathname)?.[1];
  // `false` or undefined (not a POST, no letter) is no endpoint's name: cast for the lookups.
  if (Object.hasOwn(SINGLE_ENDPOINTS, /** @type {string} */ (endpoint)) || BATCH_ENDPOINTS.has(/** @type {string} */ (endpoint))) {
    return ingest(req, res, endpoint, store, log);
  }
  if (endpoint === 'm') {
    // analytics-next remote metrics: accept and discard.
    req.resume();
    return sendJson(res, 200, { success: true });
  }
  const listing = /^\/collector\/(all|good|bad)\/?$/.exec(pathname)?.[1];
  if (listing && reading) {
    const filter = queryFilter(url.searchParams);
    return sendJson(res, 200, listing === 'all' ? store.events(filter) : await store[listing](filter));
  }
  if (pathname === '/collector/reset' && method === 'POST') {
    req.resume();
    store.reset();
    res.writeHead(204, { 'Cache-Control': 'no-store' });
    return res.end();
  }
  if (root && reading) return serveStatic(req, res, root, pathname);
  req.resume();
  return sendStatus(res, 404);
}

/** Lets any page post to the collector and read from it, credentials included. */
function setCors(req, res) {
  const origin = req.headers.origin;
  if (origin) {
    res.setHeader('Access-Control-Allow-Origin', origin);
    res.setHeader('Access-Control-Allow-Credentials', 'true');
  } else {
    res.setHeader('Access-Control-Allow-Origin', '*');
  }
  res.setHeader('Vary', 'Origin');
}

/** Answers a CORS preflight, private network access included. */
function preflight(req, res) {
  res.setHeader('Access-Control-Allow-Methods', 'GET, HEAD, POST, OPTIONS');
  res.setHeader(
    'Access-Control-Allow-Headers',
    req.headers['access-control-request-headers'] || 'Content-Type, Authorization, X-Retry-Count',
  );
  if (req.headers['access-control-request-private-network']) {
    res.setHeader('Access-Control-Allow-Private-Network', 'true');
  }
  res.setHeader('Access-Control-Max-Age', '600');
  res.writeHead(204);
  res.end();
}

/** The query's `field=value` pairs as a predicate: each top-level field equals its value as text. */
function queryFilter(searchParams) {
  const pairs = [...searchParams.entries()];
  return (event) => pairs.every(([key, value]) => String(event[key]) === value);
}

/** Records the event or batch a request posts. */
async function ingest(req, res, endpoint, store, log) {
  // Oversized bodies are normally drained and then refused, so the client
  // reliably sees the 413 instead of a reset; absurd declared sizes are
  // refused up front and the connection closed.
  const declared = Number(req.headers['content-length']);
  if (Number.isFinite(declared) && declared > 16 * MAX_BODY_BYTES) {
    res.setHeader('Connection', 'close');
    sendJson(res, 413, { success: false, error: 'payload too large' });
    req.resume();
    return;
  }
  const buf = await readBody(req);
  if (buf === null) return sendJson(res, 413, { success: false, error: 'payload too large' });
  let body;
  try {
    body = JSON.parse(buf.toString('utf8'));
  } catch {
    return sendJson(res, 400, { success: false, error: 'malformed JSON' });
  }
  if (!isPlainObject(body)) return sendJson(res, 400, { success: false, error: 'body must be a JSON object' });
  const authKey = writeKeyFromAuth(req.headers.authorization);
  const bodyKey = (typeof body.writeKey === 'string' && body.writeKey) || authKey;
  const record = (event, writeKey) => {
    const entry = store.record(event, writeKey);
    log(`${entry.type ?? '?'}${entry.event ? ` "${entry.event}"` : ''}${entry.name ? ` "${entry.name}"` : ''} writeKey=${writeKey ?? '-'}`);
  };
  if (BATCH_ENDPOINTS.has(endpoint)) {
    if (!Array.isArray(body.batch) || !body.batch.every(isPlainObject)) {
      return sendJson(res, 400, { success: false, error: 'batch must be an array of objects' });
    }
    for (const item of body.batch) record(item, bodyKey || item.writeKey);
  } else {
    record(body.type ? body : { ...body, type: SINGLE_ENDPOINTS[endpoint] }, bodyKey);
  }
  sendJson(res, 200, { success: true });
}

/** Reads the body up to MAX_BODY_BYTES; resolves `null` if it is larger. */
function readBody(req) {
  return new Promise((resolve, reject) => {
    const chunks = [];
    let size = 0;
    let tooLarge = false;
    req.on('data', (chunk) => {
      if (tooLarge) return;
      size += chunk.length;
      if (size > MAX_BODY_BYTES) {
        tooLarge = true;
        chunks.length = 0;
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => resolve(tooLarge ? null : Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

/**
 * Write key from an `Authorization: Basic base64(writeKey:)` header.
 * @param {string | undefined} header
 * @returns {string | undefined}
 */
function writeKeyFromAuth(header) {
  if (typeof header !== 'string') return undefined;
  const m = /^\s*Basic\s+([A-Za-z0-9+/=_-]+)\s*$/i.exec(header);
  if (!m) return undefined;
  const user = Buffer.from(m[1], 'base64').toString('utf8').split(':')[0];
  return user || undefined;
}

function isPlainObject(v) {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}
