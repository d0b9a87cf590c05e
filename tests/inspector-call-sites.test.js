// The inspector's call sites (js/inspector/call-sites.js): Source Map v3 `mappings`
// decoded (base64 VLQ, relative fields, unmapped segments), generated positions mapped
// back to the source esbuild compiled (as Vite's dev server does), and the resolver:
// inline `data:` maps, external maps by comment or `SourceMap` header, webpack's
// `webpack://` sources, webpack's `eval-source-map` modules read from the bundle, positions
// inside a statement webpack maps only at its start, each script read once, and null (never a rejection) wherever no
// original position can be had.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import * as esbuild from 'esbuild';
import { createSiteResolver, dataUrlText, decodeMappings, formatPosition, originalPosition, parseCallSite, webpackEvalCode } from '../js/inspector/call-sites.js';

/** A fetcher over `files` (URL → { body, headers? }) that counts what it was asked for. */
function fakeFetch(files) {
  const asked = [];
  const fetcher = async (url) => {
    asked.push(url);
    const file = files[url];
    return new Response(file?.body ?? 'not found', { status: file ? 200 : 404, headers: file?.headers });
  };
  return { fetcher, asked };
}

/**
 * The 1-based line and column of the `track` of the `nth` (from 0) `tracker.track(` in
 * `text`: where a stack puts the call.
 */
function callAt(text, nth) {
  let index = -1;
  for (let i = 0; i <= nth; i++) index = text.indexOf('tracker.track(', index + 1);
  assert.ok(index >= 0, `no call ${nth} in ${text}`);
  const before = text.slice(0, index + 'tracker.'.length).split('\n');
  return { line: before.length, column: before.at(-1).length + 1 };
}

const TYPESCRIPT = `interface Ended {
  episode_id: string;
  type: string;
}

type Maybe<T> = T | null;

export function end(tracker: { track(...args: unknown[]): void }, ended: Maybe<Ended>): void {
  if (!ended) return;
  tracker.track('call ended', ended);
}

export const started = (tracker: { track(...args: unknown[]): void }): void => tracker.track('call started', {});
`;

test('decodeMappings reads VLQ fields, relative across segments and lines, and unmapped segments', () => {
  // gB is 16; D is -1; K (5) alone maps a column to no source.
  assert.deepEqual(decodeMappings('AAAA,EAAC,K;;gBACD'), [
    [
      [0, 0, 0, 0],
      [2, 0, 0, 1],
      [7],
    ],
    [],
    [[16, 0, 1, 0]],
  ]);
  assert.throws(() => decodeMappings('AA!A'), /"!" is not a base64 digit/);
});

test('originalPosition maps what esbuild generated from TypeScript back to the source', async () => {
  const { code, map } = await esbuild.transform(TYPESCRIPT, { loader: 'ts', sourcemap: 'external', sourcefile: 'app.ts' });
  const parsed = JSON.parse(map);
  for (const nth of [0, 1]) {
    const generated = callAt(code, nth);
    const original = callAt(TYPESCRIPT, nth);
    assert.notEqual(generated.line, original.line, 'the types are gone: the lines moved');
    assert.deepEqual(originalPosition(parsed, 'http://app.test/src/app.ts', generated.line, generated.column), {
      source: 'http://app.test/src/app.ts',
      ...original,
    });
  }
  assert.equal(originalPosition(parsed, 'http://app.test/src/app.ts', 99, 1), null, 'a line the map does not cover');
  const unmapped = { sources: ['a.js'], mappings: 'AAAA,K' };
  assert.equal(originalPosition(unmapped, 'http://app.test/a.js', 1, 8), null, 'a column mapped to no source');
});

test('the resolver reads an inline data: map (base64, UTF-8) once per script', async () => {
  const { code } = await esbuild.transform(TYPESCRIPT, { loader: 'ts', sourcemap: 'inline', sourcefile: 'café.ts' });
  assert.match(code, /sourceMappingURL=data:application\/json;base64,/);
  const url = 'http://127.0.0.1:5173/src/café.ts';
  const { fetcher, asked } = fakeFetch({ [url]: { body: code } });
  const resolve = createSiteResolver(fetcher);
  const generated = callAt(code, 0);
  const original = callAt(TYPESCRIPT, 0);
  const first = await resolve(`${url}?t=1712:${generated.line}:${generated.column}`);
  assert.equal(first, null, 'another URL (the query) is another script, which was not found');
  const mapped = await resolve(`${url}:${generated.line}:${generated.column}`);
  assert.deepEqual(mapped, { source: 'http://127.0.0.1:5173/src/caf%C3%A9.ts', ...original });
  await resolve(`${url}:${generated.line}:${generated.column}`);
  assert.deepEqual(asked, [`${url}?t=1712`, url], 'each script fetched once');
});

test("the resolver follows an external map by comment or by SourceMap header, with webpack's sources", async () => {
  const map = JSON.stringify({ version: 3, sources: ['webpack://my-app/./src/index.js'], names: [], mappings: ';;AAAA,IAAI' });
  const other = JSON.stringify({ version: 3, sourceRoot: '/app/', sources: ['lib.js'], names: [], mappings: 'AACA' });
  const { fetcher, asked } = fakeFetch({
    'http://localhost:8080/main.js': { body: 'x\ny\nz = 1; f();\n//# sourceMappingURL=main.js.map\n' },
    'http://localhost:8080/main.js.map': { body: map },
    'http://localhost:8080/lib.js': { body: 'g();', headers: { SourceMap: '/maps/lib.js.map' } },
    'http://localhost:8080/maps/lib.js.map': { body: other },
  });
  const resolve = createSiteResolver(fetcher);
  assert.deepEqual(await resolve('http://localhost:8080/main.js:3:6'), { source: 'webpack://my-app/src/index.js', line: 1, column: 5 });
  assert.deepEqual(await resolve('http://localhost:8080/lib.js:1:1'), { source: 'http://localhost:8080/app/lib.js', line: 2, column: 1 });
  assert.deepEqual(asked, ['http://localhost:8080/main.js', 'http://localhost:8080/main.js.map', 'http://localhost:8080/lib.js', 'http://localhost:8080/maps/lib.js.map']);
});

test('a position inside a segment moves into the original line as far as the texts agree', () => {
  // webpack maps a statement at its start only: here each line at column 0.
  const original = 'const a = 1;\nfunction f() {\n  tracker.track(a);\n}\n';
  const map = { sources: ['webpack://app/./src/a.js'], mappings: 'AAAA;AACA;AACA;AACA', sourcesContent: [original] };
  const generated = '  tracker.track(a);';
  assert.deepEqual(originalPosition(map, 'http://app.test/main.js', 3, 11, undefined, generated), { source: 'webpack://app/src/a.js', line: 3, column: 11 });
  assert.equal(originalPosition(map, 'http://app.test/main.js', 3, 11, undefined, '  _tracker.track(a);').column, 1, 'texts that differ: the segment');
  assert.equal(originalPosition(map, 'http://app.test/main.js', 3, 11).column, 1, 'without the generated line: the segment');
  const { sourcesContent, ...bare } = map;
  assert.equal(originalPosition(bare, 'http://app.test/main.js', 3, 11, undefined, generated).column, 1, 'without the source: the segment');
});

/** A bundle as webpack's `eval-source-map` writes it: each module's code, inline map and name in an `eval`'d string. */
function evalSourceMapBundle(modules) {
  const factories = Object.entries(modules).map(([id, { code, map }]) => {
    const footer = `//# sourceURL=[module]\n//# sourceMappingURL=data:application/json;charset=utf-8;base64,${Buffer.from(map).toString('base64')}\n//# sourceURL=webpack-internal:///${id}\n`;
    return `${JSON.stringify(id)}: ((module) => { eval(${JSON.stringify(`{${code}\n${footer}\n}`)}); })`;
  });
  return `(() => { var __webpack_modules__ = ({\n${factories.join(',\n')}\n}); })();\n`;
}

test("the resolver reads a webpack eval-source-map module's code and map from the page's script holding it", async () => {
  const { code, map } = await esbuild.transform(TYPESCRIPT, { loader: 'ts', sourcemap: 'external', sourcefile: 'webpack://app/./src/app.ts' });
  const other = { code: 'const s = "a \\"quoted\\" string";', map: JSON.stringify({ version: 3, sources: ['x.js'], mappings: 'AAAA' }) };
  const bundle = evalSourceMapBundle({ './src/other.js': other, './src/app.ts': { code, map } });
  assert.match(webpackEvalCode(bundle, './src/other.js'), /^\{const s = "a \\"quoted\\" string";\n/);
  assert.equal(webpackEvalCode(bundle, './src/missing.js'), null);
  const { fetcher, asked } = fakeFetch({ 'http://localhost:8080/main.js': { body: bundle } });
  const scripts = ['http://localhost:8080/runtime.js', 'http://localhost:8080/main.js'];
  const resolve = createSiteResolver(fetcher, () => scripts);
  // The eval'd code begins with webpack's `{`: the first line's columns are one further on.
  const generated = callAt(`{${code}`, 0);
  assert.deepEqual(await resolve(`webpack-internal:///./src/app.ts:${generated.line}:${generated.column}`), {
    source: 'webpack://app/src/app.ts',
    ...callAt(TYPESCRIPT, 0),
  });
  assert.equal(await resolve('webpack-internal:///./src/missing.js:1:1'), null);
  assert.deepEqual(asked, scripts, 'each script fetched once');
});

test('the resolver answers null, never rejects, where there is no original position', async () => {
  const { fetcher, asked } = fakeFetch({
    'http://app.test/plain.js': { body: 'f();' },
    'http://app.test/broken.js': { body: 'f();\n//# sourceMappingURL=data:application/json;base64,bm90IGpzb24=' },
  });
  const resolve = createSiteResolver(fetcher);
  assert.equal(await resolve('http://app.test/plain.js:1:1'), null, 'no source map');
  assert.equal(await resolve('http://app.test/broken.js:1:1'), null, 'a map that is not JSON');
  assert.equal(await resolve('http://app.test/missing.js:1:1'), null, 'a script that cannot be fetched');
  assert.equal(await resolve('<anonymous>:2:22'), null);
  assert.equal(await resolve('webpack-internal:///./src/index.js:4:3'), null);
  assert.equal(await resolve('not a call site'), null);
  assert.deepEqual(asked, ['http://app.test/plain.js', 'http://app.test/broken.js', 'http://app.test/missing.js'], 'only http(s) scripts are fetched');
  const rejecting = createSiteResolver(() => Promise.reject(new TypeError('Failed to fetch')));
  assert.equal(await rejecting('http://elsewhere.test/app.js:1:1'), null, 'a cross-origin script without CORS');
});

test('call sites are parsed and shown relative to the page, without a dev server query', () => {
  assert.deepEqual(parseCallSite('http://localhost:5173/src/main.ts?t=17:12:5'), { url: 'http://localhost:5173/src/main.ts?t=17', line: 12, column: 5 });
  assert.equal(parseCallSite('main.ts'), null);
  const origin = 'http://localhost:5173';
  assert.equal(formatPosition({ source: 'http://localhost:5173/src/main.ts?t=17', line: 12, column: 5 }, origin), '/src/main.ts:12:5');
  assert.equal(formatPosition({ source: 'http://cdn.test/app.js', line: 1, column: 2 }, origin), 'http://cdn.test/app.js:1:2');
  assert.equal(formatPosition({ source: 'webpack://my-app/src/index.js?5f2a', line: 3, column: 1 }, origin), 'src/index.js:3:1', "webpack's source, in its project");
});

test('dataUrlText reads base64 and percent-encoded data: URLs as UTF-8', () => {
  assert.equal(dataUrlText(`data:application/json;charset=utf-8;base64,${Buffer.from('{"s":"café"}').toString('base64')}`), '{"s":"café"}');
  assert.equal(dataUrlText('data:application/json,%7B%22s%22%3A1%7D'), '{"s":1}');
});
