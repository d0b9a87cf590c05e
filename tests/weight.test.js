// Every byte shipped to a browser counts: the wasm and the package's own JS (what
// `npm run build` made), gzip -9, against a budget. The budget is for a production page
// with the embedded plan; what a plan given at run time or another environment loads
// lazily (the full core) is printed.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { sdkWeight } from '../scripts/weight.js';

/**
 * The budget, in bytes of gzip -9 (wasm + own JS, a production page with the embedded
 * plan): 28 KiB, the 27.8 KiB reached with a little room, tighter than issue 3's
 * 30 KiB so that what was won is kept. (It was 27.5 KiB until bounded memory, the talc
 * allocator, the history's byte budget and the context limit, took 0.9 KiB.) Issue 8 asks for 20 KiB, not met: see the
 * README's Performance section (and `npm run bench`'s profile) for where the bytes go.
 */
const BUDGET_BYTES = 28 * 1024;

test(`the SDK a page downloads stays within ${BUDGET_BYTES / 1024} KiB gzip -9`, async () => {
  const { wasm, js, total, lazy, consoleTools, inspector } = await sdkWeight();
  const kib = (n) => `${(n / 1024).toFixed(1)} KiB`;
  console.log(
    `# weight: wasm ${kib(wasm.gzip)} + JS ${kib(js.gzip)} = ${kib(total.gzip)} gzip -9 (raw ${kib(total.raw)}); ` +
      `lazy, with a plan at run time or outside production: full wasm ${kib(lazy.wasm.gzip)} + JS ${kib(lazy.js.gzip)} = ` +
      `${kib(lazy.total.gzip)} gzip -9 (raw ${kib(lazy.total.raw)}); ` +
      `on first debug log or help(): JS ${kib(consoleTools.gzip)} gzip -9; ` +
      `when the inspector opens: JS ${kib(inspector.gzip)} gzip -9 (raw ${kib(inspector.raw)})`,
  );
  assert.ok(
    total.gzip <= BUDGET_BYTES,
    `wasm + JS is ${kib(total.gzip)} gzip -9, over the ${kib(BUDGET_BYTES)} budget: find what grew (twiggy top on the wasm)`,
  );
});

test('the inspector is a chunk of its own: nothing of it is in the JS a page loads eagerly', async () => {
  const { js, inspector } = await sdkWeight();
  assert.deepEqual(Object.keys(js.modules).filter((module) => module.startsWith('js/inspector/')), []);
  assert.ok(inspector.raw > 10_000, `the inspector's chunk is ${inspector.raw} bytes: is it still split off?`);
});
