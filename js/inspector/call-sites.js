/**
 * Call sites mapped to the sources a developer wrote. The SDK records where each call
 * was made as the browser's stack gives it (`file:line:column` of the generated script);
 * under a dev server (Vite, webpack with a `*-source-map` devtool) that script declares a
 * source map (`//# sourceMappingURL=`, often an inline `data:` URL), which this reads
 * (Source Map v3: base64 VLQ `mappings`) to find the original `source:line:column`, as
 * DevTools shows it. Under webpack's `eval-*-source-map` devtools each module runs in an
 * `eval` named `webpack-internal:///<module id>`, which cannot be fetched: its code, map
 * included, is read from the page's script that holds it. Only the inspector loads this
 * module, and only when it shows a call site: the SDK never pays for it.
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
 * 1-based as in stacks; null where the map says nothing of that position. A map need not
 * mark every token (webpack's marks statements): given the generated line's text, a
 * position inside a segment whose text is the same in the source (`sourcesContent`) is
 * moved as far into the original line as it is into the generated one.
 * @param {{ sources: string[], sourceRoot?: string, mappings: string, sourcesContent?: (string | null)[] }} map
 * @param {string} mapUrl where the map is (its script's URL for an inline map)
 * @param {number} line 1-based
 * @param {number} column 1-based
 * @param {number[][][]} [decoded] the map's `decodeMappings`, when already decoded
 * @param {string} [generatedLine] the text of the generated line `line`
 * @returns {{ source: string, line: number, column: number } | null}
 */
export function originalPosition(map, mapUrl, line, column, decoded = decodeMappings(map.mappings), generatedLine = undefined) {
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
  return { source: url, line: found[2] + 1, column: found[3] + 1 + sameTextOffset(map, found, column - 1, generatedLine) };
}

/**
 * How far past a segment's start the generated column `at` (0-based) is, when the text
 * from that start to it is the same in the generated line and in the original source;
 * else 0.
 * @param {{ sourcesContent?: Array<string | null> }} map
 * @param {number[]} segment its generated column, source, line and column
 * @param {number} at
 * @param {string} [generatedLine]
 */
function sameTextOffset(map, [start, sourceIndex, line, column], at, generatedLine) {
  const original = map.sourcesContent?.[sourceIndex]?.split('\n')[line];
  const offset = at - start;
  if (!offset || generatedLine === undefined || original === undefined) return 0;
  return generatedLine.slice(start, at) === original.slice(column, column + offset) ? offset : 0;
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
function sourceMapReference(headers, text) {
  const header = headers?.get('SourceMap') ?? headers?.get('X-SourceMap');
  if (header) return header;
  const comments = [...text.matchAll(/\/\/[#@] ?sourceMappingURL=([^\s'"]+)[ \t]*$/gm)];
  return comments.at(-1)?.[1] ?? null;
}

/** The URLs of the page's scripts: those in the document and those it loaded (webpack's chunks remove their elements). */
function pageScripts() {
  const loaded =
    globalThis.performance?.getEntriesByType?.('resource').filter((entry) => /** @type {PerformanceResourceTiming} */ (entry).initiatorType === 'script') ?? [];
  const inDocument = [...(globalThis.document?.scripts ?? [])].map((script) => script.src);
  return [...new Set([...inDocument, ...loaded.map((entry) => entry.name)])].filter((url) => /^https?:/.test(url));
}

/**
 * The code of the webpack module `id` as its `eval` ran it (`devtool: 'eval-source-map'`
 * and the other `eval-*-source-map`s), from the bundle `text` that holds it: the JSON
 * string literal webpack evaluates, which ends with the module's `sourceURL` comment.
 * Null when `text` does not hold it.
 * @param {string} text
 * @param {string} id the module's id, as in `webpack-internal:///./src/main.js`
 */
export function webpackEvalCode(text, id) {
  const footer = text.indexOf(`\\n//# sourceURL=webpack-internal:///${JSON.stringify(id).slice(1, -1)}\\n`);
  if (footer < 0) return null;
  const start = unescapedQuote(text, footer, -1);
  const end = unescapedQuote(text, footer, 1);
  if (start < 0 || end < 0) return null;
  try {
    return JSON.parse(text.slice(start, end + 1));
  } catch {
    return null;
  }
}

/**
 * The index of the nearest `"` before (`step` -1) or after (1) `from` in `text` that no
 * backslash escapes (inside a string literal every quote is escaped); -1 when none.
 */
function unescapedQuote(text, from, step) {
  let at = from;
  for (;;) {
    at = step < 0 ? text.lastIndexOf('"', at - 1) : text.indexOf('"', at + 1);
    if (at < 0) return -1;
    let backslashes = 0;
    while (text[at - 1 - backslashes] === '\\') backslashes += 1;
    if (backslashes % 2 === 0) return at;
  }
}

/**
 * A resolver of call sites, caching each script's map (a page calls from few scripts):
 * `resolve(site)` resolves with the original `{ source, line, column }`, or null when
 * the script has no source map, cannot be fetched (a cross-origin script without CORS,
 * a `webpack://` module of webpack's default `devtool: 'eval'`) or the map says nothing
 * of the position. A `webpack-internal:///` module (an `eval-*-source-map` devtool) is
 * looked for in the page's scripts. Never rejects.
 * @param {(url: string) => Promise<Response>} [fetcher] default: `fetch`
 * @param {() => string[]} [scripts] the URLs of the page's scripts, where webpack's
 *   `eval` modules are looked for; default: the document's and those the page loaded
 */
export function createSiteResolver(fetcher = (url) => fetch(url), scripts = pageScripts) {
  /** Script URL → its map, decoded (or null), as a promise. */
  const maps = new Map();
  /** Script URL → `{ text, headers }` (or null), as a promise. */
  const texts = new Map();

  const read = (url) => {
    if (!texts.has(url)) {
      const reading = fetcher(url).then(async (response) => (response.ok ? { text: await response.text(), headers: response.headers } : null));
      texts.set(url, reading.catch(() => null));
    }
    return texts.get(url);
  };

  /** The code a `webpack-internal:///` module's `eval` ran, from the first page script holding it. */
  async function evalModule(url) {
    const id = url.slice('webpack-internal:///'.length);
    for (const script of scripts()) {
      const text = (await read(script))?.text;
      const code = text && webpackEvalCode(text, id);
      if (code) return { text: code };
    }
    return null;
  }

  async function load(scriptUrl) {
    const script = scriptUrl.startsWith('webpack-internal:///') ? await evalModule(scriptUrl) : await read(scriptUrl);
    const reference = script && sourceMapReference(script.headers, script.text);
    if (!reference) return null;
    const mapUrl = new URL(reference, scriptUrl).href;
    const text = mapUrl.startsWith('data:') ? dataUrlText(mapUrl) : await (await fetcher(mapUrl)).text();
    const map = JSON.parse(text);
    // An inline map's sources are relative to its script.
    const url = mapUrl.startsWith('data:') ? scriptUrl : mapUrl;
    return { map, url, decoded: decodeMappings(map.mappings ?? ''), lines: script.text.split('\n') };
  }

  return async function resolve(site) {
    const at = parseCallSite(site);
    if (!at || !/^(https?:|webpack-internal:\/\/\/)/.test(at.url)) return null;
    if (!maps.has(at.url)) maps.set(at.url, load(at.url).catch(() => null));
    const loaded = await maps.get(at.url);
    return loaded && originalPosition(loaded.map, loaded.url, at.line, at.column, loaded.decoded, loaded.lines[at.line - 1]);
  };
}

/**
 * A position as the inspector shows it: its URL less this page's origin and any query
 * (a dev server's `?t=…`), or a webpack source's path in its project (`webpack://app/src/x.js?hash`
 * → `src/x.js`), then `:line:column`.
 * @param {{ source: string, line: number, column: number }} position
 * @param {string} [origin] the page's origin
 */
export function formatPosition({ source, line, column }, origin = globalThis.location?.origin) {
  let shown = source;
  if (origin && source.startsWith(`${origin}/`)) shown = source.slice(origin.length).replace(/\?.*$/, '');
  else if (/^webpack:\/\/[^/]*\/./.test(source)) shown = source.replace(/^webpack:\/\/[^/]*\//, '').replace(/\?.*$/, '');
  return `${shown}:${line}:${column}`;
}
