#!/usr/bin/env node
/**
 * A tiny, dependency-free, Segment-compatible local collector.
 *
 * It plays both halves of Segment for `@segment/analytics-next` running in a
 * browser:
 *
 * - the CDN: `GET /v1/projects/:writeKey/settings` returns settings that point
 *   the `Segment.io` destination (and the remote-metrics reporter) back at this
 *   server over plain http;
 * - the tracking API: `POST /v1/{t,i,p,g,a,s}`, `/v1/{track,identify,page,
 *   group,alias,screen}` (single events) and `/v1/{b,batch,import}` (batches)
 *   record every event in memory.
 *
 * Test helpers: `GET /collector/all[?field=value...]` lists recorded events
 * (oldest first, optional top-level equality filters such as
 * `?type=track&event=Order%20Completed&writeKey=wk_dev`), and
 * `POST /collector/reset` clears them.  `GET /collector/good` and `/collector/bad`
 * (same filters) split them by a check against the tracking plan (the embedded one,
 * or the `plan` option): bad events carry their `violations`.  The wasm core is
 * loaded only when a plan is given or one of those two is first asked for.
 *
 * Any other `GET`/`HEAD` is served from `staticDir` when one is configured.
 *
 * Node builtins only.  Run directly:
 *
 *     npx trackplan collector --port 8787 [--plan PLAN.json] [--static DIR] [--host 127.0.0.1] [--quiet]
 *
 * @module trackplan/collector
 */

import http from 'node:http';
import fs from 'node:fs';
import path from 'node:path';
import process from 'node:process';
import { fileURLToPath } from 'node:url';

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

const MIME_TYPES = {
  '.html': 'text/html; charset=utf-8',
  '.htm': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.cjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.wasm': 'application/wasm',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.gif': 'image/gif',
  '.webp': 'image/webp',
  '.ico': 'image/x-icon',
  '.txt': 'text/plain; charset=utf-8',
  '.md': 'text/markdown; charset=utf-8',
  '.ts': 'text/plain; charset=utf-8',
  '.yaml': 'text/yaml; charset=utf-8',
  '.yml': 'text/yaml; charset=utf-8',
  '.woff': 'font/woff',
  '.woff2': 'font/woff2',
};

/**
 * Build the CDN settings object that `AnalyticsBrowser.load({ writeKey, cdnURL })`
 * fetches from `${cdnURL}/v1/projects/${writeKey}/settings`.
 *
 * Only the `Segment.io` integration is listed: with more than one key in
 * `integrations` analytics-next would lazily load the "ajs-destination" chunk
 * and try to fetch legacy destination scripts from the CDN.  analytics-next
 * builds the event URL as `${protocol}://${apiHost}/${letter}` (or `/b` when
 * batching), so `apiHost` is `host:port/v1` without a scheme.  Remote metrics
 * are disabled (`sampleRate: 0`) and, should they ever be enabled, point at the
 * collector too (`${protocol}://${host}/m`, accepted and discarded).
 *
 * The returned object is also usable directly as the `cdnSettings` load option
 * (which skips the settings request altogether).
 *
 * @param {string} baseUrl  Origin the browser uses to reach the collector,
 *   e.g. `http://127.0.0.1:8787` (a trailing slash or path is tolerated; a
 *   path is kept, so `http://host/proxy` → `apiHost: 'host/proxy/v1'`).
 * @param {string} writeKey  Write key to embed as the `Segment.io` `apiKey`.
 * @returns {object} Settings JSON, as served by the Segment CDN.
 */
export function collectorSettings(baseUrl, writeKey) {
  const u = new URL(baseUrl);
  const protocol = u.protocol.replace(/:$/, '');
  const basePath = u.pathname.replace(/\/+$/, '');
  const apiHost = `${u.host}${basePath}/v1`;
  return {
    integrations: {
      'Segment.io': {
        apiKey: writeKey,
        apiHost,
        protocol,
        unbundledIntegrations: [],
        addBundledMetadata: true,
        maybeBundledConfigIds: {},
        versionSettings: { version: '4.4.7', componentTypes: ['browser'] },
      },
    },
    plan: {
      track: { __default: { enabled: true, integrations: {} } },
      identify: { __default: { enabled: true } },
      group: { __default: { enabled: true } },
    },
    edgeFunction: {},
    analyticsNextEnabled: true,
    middlewareSettings: {},
    enabledMiddleware: {},
    metrics: { sampleRate: 0, host: apiHost },
    legacyVideoPluginsEnabled: false,
    remotePlugins: [],
  };
}

/**
 * Write key from an `Authorization: Basic base64(writeKey:)` header.
 *
 * @param {string | undefined} header
 * @returns {string | undefined}
 */
function writeKeyFromAuth(header) {
  if (typeof header !== 'string') return undefined;
  const m = /^\s*Basic\s+([A-Za-z0-9+/=_-]+)\s*$/i.exec(header);
  if (!m) return undefined;
  let decoded;
  try {
    decoded = Buffer.from(m[1], 'base64').toString('utf8');
  } catch {
    return undefined;
  }
  const user = decoded.split(':')[0];
  return user || undefined;
}

function isPlainObject(v) {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

/**
 * Start a collector and resolve once it is listening.
 *
 * @param {object} [options]
 * @param {number} [options.port=8787]  Port to listen on; `0` picks a free port
 *   (the real one is reported as `port` / in `url`).
 * @param {string} [options.host='127.0.0.1']  Interface to bind.
 * @param {string} [options.staticDir]  Directory to serve other `GET`s from.
 * @param {boolean} [options.quiet=false]  Suppress the one-line-per-event log.
 * @param {object | string} [options.plan]  The plan events are checked against on
 *   arrival (a Segment export, object or JSON text); without it the embedded plan,
 *   loaded when `/collector/good` or `/collector/bad` is first requested.
 * @returns {Promise<{
 *   server: import('node:http').Server,
 *   url: string,
 *   port: number,
 *   received: object[],
 *   close: () => Promise<void>,
 *   reset: () => void,
 *   checked: () => Promise<{ good: object[], bad: object[] }>,
 * }>}  `checked()` is what `/collector/good` and `/collector/bad` serve.  `received` is a live array (oldest first) of recorded events, each
 *   the event JSON as sent plus `writeKey` and `receivedAt` (ISO string);
 *   `reset()` empties it in place; `close()` stops the server and drops
 *   keep-alive connections.
 */
export async function createCollector({
  port = 8787,
  host = '127.0.0.1',
  staticDir,
  quiet = false,
  plan,
} = {}) {
  /** @type {object[]} */
  const received = [];
  const verdicts = new WeakMap();
  let planCheck = plan === undefined ? null : startPlanCheck(plan);
  if (planCheck) await planCheck;
  let selfUrl = `http://127.0.0.1:${port}`;
  const root = staticDir ? path.resolve(staticDir) : undefined;
  const log = quiet ? () => {} : (...a) => console.log('[collector]', ...a);

  const server = http.createServer((req, res) => {
    handle(req, res).catch((err) => {
      log('internal error:', err && err.stack ? err.stack : err);
      if (!res.headersSent) {
        sendJson(res, 500, { success: false, error: 'internal error' });
      } else {
        res.destroy();
      }
    });
  });
  // A client error (malformed HTTP) must never take the process down.
  server.on('clientError', (_err, socket) => {
    if (socket.writable) socket.end('HTTP/1.1 400 Bad Request\r\nConnection: close\r\n\r\n');
    else socket.destroy();
  });

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

  function sendJson(res, status, value) {
    const body = JSON.stringify(value);
    res.writeHead(status, {
      'Content-Type': 'application/json; charset=utf-8',
      'Content-Length': Buffer.byteLength(body),
      'Cache-Control': 'no-store',
    });
    res.end(body);
  }

  function sendStatus(res, status, message = http.STATUS_CODES[status] || '') {
    res.writeHead(status, {
      'Content-Type': 'text/plain; charset=utf-8',
      'Content-Length': Buffer.byteLength(message),
      'Cache-Control': 'no-store',
    });
    res.end(message);
  }

  /** Read the body up to MAX_BODY_BYTES; resolves `null` if too large. */
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

  function record(event, writeKey) {
    const entry = { ...event, writeKey, receivedAt: new Date().toISOString() };
    received.push(entry);
    planCheck?.then((check) => verdicts.set(entry, check(entry)), () => {});
    log(
      `${entry.type ?? '?'}${entry.event ? ` "${entry.event}"` : ''}${
        entry.name ? ` "${entry.name}"` : ''
      } writeKey=${writeKey ?? '-'}`
    );
    return entry;
  }

  async function handleIngest(req, res, endpoint) {
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
    if (buf === null) {
      sendJson(res, 413, { success: false, error: 'payload too large' });
      return;
    }
    let body;
    try {
      body = JSON.parse(buf.toString('utf8'));
    } catch {
      sendJson(res, 400, { success: false, error: 'malformed JSON' });
      return;
    }
    if (!isPlainObject(body)) {
      sendJson(res, 400, { success: false, error: 'body must be a JSON object' });
      return;
    }
    const authKey = writeKeyFromAuth(req.headers.authorization);

    if (BATCH_ENDPOINTS.has(endpoint)) {
      if (!Array.isArray(body.batch) || !body.batch.every(isPlainObject)) {
        sendJson(res, 400, { success: false, error: 'batch must be an array of objects' });
        return;
      }
      const batchKey =
        (typeof body.writeKey === 'string' && body.writeKey) || authKey || undefined;
      for (const item of body.batch) {
        record(item, batchKey ?? item.writeKey);
      }
    } else {
      const event = body.type ? body : { ...body, type: SINGLE_ENDPOINTS[endpoint] };
      record(event, (typeof body.writeKey === 'string' && body.writeKey) || authKey);
    }
    sendJson(res, 200, { success: true });
  }

  function filtered(searchParams, events = received) {
    const filters = [...searchParams.entries()];
    if (filters.length === 0) return events.slice();
    return events.filter((e) => filters.every(([k, v]) => String(e[k]) === v));
  }

  /** The received events split by the plan check: `{ good, bad }`, bad with `violations`. */
  async function checked() {
    planCheck ??= startPlanCheck();
    const check = await planCheck;
    const good = [];
    const bad = [];
    for (const entry of received) {
      if (!verdicts.has(entry)) verdicts.set(entry, check(entry));
      const { ok, violations } = verdicts.get(entry);
      if (ok) good.push(entry);
      else bad.push({ ...entry, violations });
    }
    return { good, bad };
  }

  async function serveStatic(req, res, pathname) {
    let rel;
    try {
      rel = decodeURIComponent(pathname);
    } catch {
      return sendStatus(res, 404);
    }
    if (rel.includes('\0')) return sendStatus(res, 404);
    // Reject any `..` segment outright instead of letting it normalise away.
    if (rel.split(/[\\/]+/).includes('..')) return sendStatus(res, 404);
    let file = path.resolve(root, '.' + path.posix.normalize('/' + rel));
    if (file !== root && !file.startsWith(root + path.sep)) return sendStatus(res, 404);

    let stat;
    try {
      stat = await fs.promises.stat(file);
      if (stat.isDirectory()) {
        if (!pathname.endsWith('/')) {
          res.writeHead(301, { Location: pathname + '/', 'Cache-Control': 'no-store' });
          return res.end();
        }
        file = path.join(file, 'index.html');
        stat = await fs.promises.stat(file);
      }
    } catch {
      return sendStatus(res, 404);
    }
    if (!stat.isFile()) return sendStatus(res, 404);
    // Do not follow symlinks out of the root.
    try {
      const real = await fs.promises.realpath(file);
      const realRoot = await fs.promises.realpath(root);
      if (real !== realRoot && !real.startsWith(realRoot + path.sep)) return sendStatus(res, 404);
    } catch {
      return sendStatus(res, 404);
    }

    const type = MIME_TYPES[path.extname(file).toLowerCase()] || 'application/octet-stream';
    res.writeHead(200, {
      'Content-Type': type,
      'Content-Length': stat.size,
      'Cache-Control': 'no-store',
      'X-Content-Type-Options': 'nosniff',
    });
    if (req.method === 'HEAD') return res.end();
    await new Promise((resolve) => {
      const stream = fs.createReadStream(file);
      stream.on('error', () => {
        res.destroy();
        resolve();
      });
      stream.on('end', resolve);
      stream.pipe(res);
    });
  }

  async function handle(req, res) {
    setCors(req, res);
    const url = new URL(req.url || '/', 'http://collector.invalid');
    const pathname = url.pathname;
    const method = req.method || 'GET';

    if (method === 'OPTIONS') {
      res.setHeader('Access-Control-Allow-Methods', 'GET, HEAD, POST, OPTIONS');
      res.setHeader(
        'Access-Control-Allow-Headers',
        req.headers['access-control-request-headers'] ||
          'Content-Type, Authorization, X-Retry-Count'
      );
      if (req.headers['access-control-request-private-network']) {
        res.setHeader('Access-Control-Allow-Private-Network', 'true');
      }
      res.setHeader('Access-Control-Max-Age', '600');
      res.writeHead(204);
      return res.end();
    }

    const settings = /^\/v1\/projects\/([^/]+)\/settings\/?$/.exec(pathname);
    if (settings && (method === 'GET' || method === 'HEAD')) {
      let writeKey;
      try {
        writeKey = decodeURIComponent(settings[1]);
      } catch {
        return sendStatus(res, 404);
      }
      // Point the browser back at the origin it used to reach us.
      const base = req.headers.host ? `http://${req.headers.host}` : selfUrl;
      return sendJson(res, 200, collectorSettings(base, writeKey));
    }

    const ingest = /^\/v1\/([a-z]+)\/?$/.exec(pathname);
    if (ingest && method === 'POST') {
      const endpoint = ingest[1];
      if (endpoint in SINGLE_ENDPOINTS || BATCH_ENDPOINTS.has(endpoint)) {
        return handleIngest(req, res, endpoint);
      }
      if (endpoint === 'm') {
        // analytics-next remote metrics: accept and discard.
        req.resume();
        return sendJson(res, 200, { success: true });
      }
    }

    if (pathname === '/collector/all' && (method === 'GET' || method === 'HEAD')) {
      return sendJson(res, 200, filtered(url.searchParams));
    }
    const split = /^\/collector\/(good|bad)\/?$/.exec(pathname);
    if (split && (method === 'GET' || method === 'HEAD')) {
      const groups = await checked();
      return sendJson(res, 200, filtered(url.searchParams, groups[split[1]]));
    }
    if (pathname === '/collector/reset' && method === 'POST') {
      req.resume();
      reset();
      res.writeHead(204, { 'Cache-Control': 'no-store' });
      return res.end();
    }

    if (root && (method === 'GET' || method === 'HEAD')) {
      return serveStatic(req, res, pathname);
    }
    req.resume();
    return sendStatus(res, 404);
  }

  function reset() {
    received.length = 0;
  }

  await new Promise((resolve, reject) => {
    const onError = (err) => reject(err);
    server.once('error', onError);
    server.listen(port, host, () => {
      server.off('error', onError);
      resolve();
    });
  });

  const address = server.address();
  const realPort = typeof address === 'object' && address ? address.port : port;
  const urlHost =
    host === '0.0.0.0' || host === '::' ? '127.0.0.1' : host.includes(':') ? `[${host}]` : host;

  selfUrl = `http://${urlHost}:${realPort}`;

  return {
    server,
    url: selfUrl,
    port: realPort,
    received,
    reset,
    checked,
    close() {
      return new Promise((resolve, reject) => {
        server.close((err) => (err ? reject(err) : resolve()));
        server.closeAllConnections?.();
      });
    },
  };
}

/** Loads the wasm core only now: importing the collector does not. */
async function startPlanCheck(plan) {
  const { createPlanCheck } = await import('./plan-check.js');
  return createPlanCheck(plan);
}

function isMain() {
  if (!process.argv[1]) return false;
  try {
    return fs.realpathSync(process.argv[1]) === fs.realpathSync(fileURLToPath(import.meta.url));
  } catch {
    return false;
  }
}

if (isMain()) {
  const { run } = await import('./commands/collector.js');
  process.exitCode = await run(process.argv.slice(2));
}
