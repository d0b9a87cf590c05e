/**
 * A tiny, dependency-free, Segment-compatible local collector, as a module for tests:
 * it plays Segment's CDN and tracking API for `@segment/analytics-next` in a browser,
 * records what arrives, checks it against the tracking plan, and asserts on it.
 *
 *     import { createCollector } from 'trackplan/collector';
 *     const collector = await createCollector({ port: 0 });
 *     // load the app with analytics-next pointed at collector.url, act, then:
 *     await collector.expectReceived('call started', { episode_id: 'ep_1' });
 *     await collector.close();
 *
 * The HTTP endpoints are those of `trackplan collector` (see `./http.js`). Node builtins
 * only; the wasm core is loaded when a plan is given or `good()`/`bad()` is first called.
 *
 * @module trackplan/collector
 */

import http from 'node:http';
import path from 'node:path';
import { expectReceived, waitFor } from './assertions.js';
import { createHandler } from './http.js';
import { collectorSettings } from './settings.js';
import { createEventStore } from './store.js';

export { collectorSettings };

/**
 * Starts a collector; resolves once it listens.
 *
 * @param {import('./types.js').CollectorOptions} [options] `port` to listen on (default 8787; `0` picks a
 *   free port, the real one is reported as `port` / in `url`), `host` the interface to
 *   bind (default `127.0.0.1`), `staticDir` a directory to serve other `GET`s from (the
 *   app), `quiet` no log line per event, `plan` the plan events are checked against (a
 *   Segment export, object or JSON text), loaded now: a plan that cannot be used rejects.
 *   Without it the embedded plan, loaded when `good()`/`bad()` is first called.
 * @returns {Promise<import('./types.js').Collector>}
 */
export async function createCollector({ port = 8787, host = '127.0.0.1', staticDir, quiet = false, plan } = {}) {
  const store = createEventStore(plan);
  await store.ready;
  const log = quiet ? () => {} : (...a) => console.log('[collector]', ...a);
  let url = `http://127.0.0.1:${port}`;
  const root = staticDir ? path.resolve(staticDir) : undefined;
  const server = http.createServer(createHandler({ store, root, log, origin: () => url }));
  // A client error (malformed HTTP) must never take the process down.
  server.on('clientError', (_err, socket) => {
    if (socket.writable) socket.end('HTTP/1.1 400 Bad Request\r\nConnection: close\r\n\r\n');
    else socket.destroy();
  });
  await listen(server, port, host);

  const address = server.address();
  const realPort = typeof address === 'object' && address ? address.port : port;
  const urlHost = host === '0.0.0.0' || host === '::' ? '127.0.0.1' : host.includes(':') ? `[${host}]` : host;
  url = `http://${urlHost}:${realPort}`;
  /** @type {Promise<void> | undefined} */
  let closed;

  return {
    url,
    port: realPort,
    settingsFor: (writeKey) => collectorSettings(url, writeKey),
    events: store.events,
    good: store.good,
    bad: store.bad,
    reset: store.reset,
    waitFor: (filter, options) => waitFor(store, filter, options),
    expectReceived: (event, properties, options) => expectReceived(store, event, properties, options),
    close() {
      closed ??= new Promise((resolve, reject) => {
        store.abort(new Error('trackplan collector: closed while waiting for an event'));
        server.close((err) => (err ? reject(err) : resolve()));
        server.closeAllConnections();
      });
      return closed;
    },
  };
}

/** Resolves once `server` listens on `port` and `host`; rejects with the listen error. */
function listen(server, port, host) {
  return /** @type {Promise<void>} */ (
    new Promise((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, host, () => {
        server.off('error', reject);
        resolve();
      });
    })
  );
}
