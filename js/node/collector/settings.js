/**
 * The CDN settings that point analytics-next at a collector: what the collector serves
 * at `GET /v1/projects/:writeKey/settings`, and what `settingsFor(writeKey)` returns.
 *
 * @module trackplan/collector/settings
 */

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
 * @returns {import('./types.js').CollectorSettings} Settings JSON, as served by the
 *   Segment CDN: the CDN settings pointing analytics-next at the collector at `baseUrl`.
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
