/**
 * Call sites mapped to the sources a developer wrote. The SDK records where each call
 * was made as the browser's stack gives it (`file:line:column` of the generated script);
 * under a dev server (Vite, webpack with a `*-source-map` devtool) that script declares a
 * source map (`//# sourceMappingURL=`, often an inline `data:` URL), which this reads
 * (Source Map v3: base64 VLQ `mappings`) to find the original `source:line:column`, as
 * DevTools shows it. Only the inspector loads this module, and only when it shows a call
 * site: the SDK never pays for it.
 *
 * @module trackplan/inspector/call-sites
 */

/** The value of each base64 digit, by character code; -1 for other characters. */
const BASE64 = new Int8Array(128).fill(-1);
[...'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/'].forEach((c, i) => {
  BASE64[c.charCodeAt(0)] = i;
});

/**
 * Splits a call site into its script and position: `http://host/app.js:12:5` →
 * `{ url: 'http://host/app.js', line: 12, column: 5 }`; null when it is not one.
 * @param {string} site
 */
export function parseCallSite(site) {
  const match = /^(.+):(\d+):(\d+)$/.exec(String(site));
  return match ? { url: match[1], line: Number(match[2]), column: Number(match[3]) } : null;
}

/**
 * Decodes a source map's `mappings`: per generated line, its segments
 * `[generatedColumn, sourceIndex, originalLine, originalColumn]` (0-based), in column
 * order; a segment that maps to no source is `[generatedColumn]`.
 * @param {string} mappings
 * @returns {number[][][]}
 * @throws {Error} on a character that is not base64
 */
export function decodeMappings(mappings) {
  const lines = [];
  // Every field but the generated column is relative to the previous segment, across lines.
  const state = [0, 0, 0, 0];
  for (const text of mappings.split(';')) {
    const segments = [];
    state[0] = 0;
    for (const segment of text.split(',')) {
      if (!segment) continue;
      const fields = decodeVlq(segment);
      for (let i = 0; i < Math.min(fields.length, 4); i++) state[i] += fields[i];
      segments.push(fields.length >= 4 ? state.slice() : [state[0]]);
    }
    lines.push(segments);
  }
  return lines;
}

/** The signed integers of one segment, base64 VLQ. */
function decodeVlq(segment) {
  const values = [];
  let value = 0;
  let scale = 1;
  for (let i = 0; i < segment.length; i++) {
    const digit = BASE64[segment.charCodeAt(i)] ?? -1;
    if (digit < 0) throw new Error(`source map: ${JSON.stringify(segment[i])} is not a base64 digit`);
    value += (digit & 31) * scale;
    if (digit & 32) {
      scale *= 32;
    } else {
      values.push(value % 2 ? -(value - 1) / 2 : value / 2);
      value = 0;
      scale = 1;
    }
  }
  return values;
}

/**
 * The original position of a generated one, by a source map: the source's URL (its
 * `sources` entry under `sourceRoot`, resolved against the map's URL), line and column,
 * 1-based as in stacks; null where the map says nothing of that position.
 * @param {{ sources: string[], sourceRoot?: string, mappings: string }} map
 * @param {string} mapUrl where the map is (its script's URL for an inline map)
 * @param {number} line 1-based
 * @param {number} column 1-based
 * @param {number[][][]} [decoded] the map's `decodeMappings`, when already decoded
 * @returns {{ source: string, line: number, column: number } | null}
 */
export function originalPosition(map, mapUrl, line, column, decoded = decodeMappings(map.mappings)) {
  let found = null;
  for (const segment of decoded[line - 1] ?? []) {
    if (segment[0] > column - 1) break;
    found = segment;
  }
  if (!found || found.length < 4) return null;
  const root = map.sourceRoot ? map.sourceRoot.replace(/\/?$/, '/') : '';
  const source = `${root}${map.sources[found[1]] ?? ''}`;
  let url;
  try {
    url = new URL(source, mapUrl).href;
  } catch {
    url = source;
  }
  return { source: url, line: found[2] + 1, column: found[3] + 1 };
}

/**
 * The text of a `data:` URL (base64 or percent-encoded), as UTF-8.
 * @param {string} url
 */
export function dataUrlText(url) {
  const comma = url.indexOf(',');
  const header = url.slice(5, comma);
  const body = url.slice(comma + 1);
  if (!/;base64$/i.test(header)) return decodeURIComponent(body);
  return new TextDecoder().decode(Uint8Array.from(atob(body), (c) => c.charCodeAt(0)));
}

/** Where a script's source map is: its `SourceMap` header, else its last `sourceMappingURL` comment. */
function sourceMapReference(response, text) {
  const header = response.headers.get('SourceMap') ?? response.headers.get('X-SourceMap');
  if (header) return header;
  const comments = [...text.matchAll(/\/\/[#@] ?sourceMappingURL=([^\s'"]+)[ \t]*$/gm)];
  return comments.at(-1)?.[1] ?? null;
}

/**
 * A resolver of call sites, caching each script's map (a page calls from few scripts):
 * `resolve(site)` resolves with the original `{ source, line, column }`, or null when
 * the script has no source map, cannot be fetched (a cross-origin script without CORS,
 * a `webpack://` eval module) or the map says nothing of the position. Never rejects.
 * @param {(url: string) => Promise<Response>} [fetcher] default: `fetch`
 */
export function createSiteResolver(fetcher = (url) => fetch(url)) {
  /** Script URL → its map, decoded (or null), as a promise. */
  const maps = new Map();

  async function load(scriptUrl) {
    const response = await fetcher(scriptUrl);
    if (!response.ok) return null;
    const reference = sourceMapReference(response, await response.text());
    if (!reference) return null;
    const mapUrl = new URL(reference, scriptUrl).href;
    const text = mapUrl.startsWith('data:') ? dataUrlText(mapUrl) : await (await fetcher(mapUrl)).text();
    const map = JSON.parse(text);
    // An inline map's sources are relative to its script.
    return { map, url: mapUrl.startsWith('data:') ? scriptUrl : mapUrl, decoded: decodeMappings(map.mappings ?? '') };
  }

  return async function resolve(site) {
    const at = parseCallSite(site);
    if (!at || !/^https?:/.test(at.url)) return null;
    if (!maps.has(at.url)) maps.set(at.url, load(at.url).catch(() => null));
    const loaded = await maps.get(at.url);
    return loaded && originalPosition(loaded.map, loaded.url, at.line, at.column, loaded.decoded);
  };
}

/**
 * A position as the inspector shows it: its URL less this page's origin and any query
 * (a dev server's `?t=…`), then `:line:column`.
 * @param {{ source: string, line: number, column: number }} position
 * @param {string} [origin] the page's origin
 */
export function formatPosition({ source, line, column }, origin = globalThis.location?.origin) {
  let shown = source;
  if (origin && source.startsWith(`${origin}/`)) shown = source.slice(origin.length).replace(/\?.*$/, '');
  return `${shown}:${line}:${column}`;
}
