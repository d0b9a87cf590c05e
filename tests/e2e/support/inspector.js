/**
 * Reading the inspector (`trackplan/inspector`) in a page as a user sees it: the calls it
 * lists, whether anything in it runs off the side of the viewport, which of the page's
 * requests fetched its chunk; and screenshots, written to test-results/inspector/ with
 * their paths printed in the test output. Playwright's CSS selectors pierce its open
 * shadow root.
 */

import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { artifactsDir } from './demo.js';

const repo = fileURLToPath(new URL('../../../', import.meta.url));
/** Where the inspector's screenshots go (gitignored). */
export const screenshotsDir = join(artifactsDir, 'inspector');

/**
 * Saves a screenshot of `page` as test-results/inspector/`name`.png and prints its path
 * as a diagnostic of the test `t`.
 * @param {import('node:test').TestContext} t
 * @param {import('playwright-core').Page} page
 * @param {string} name
 */
export async function screenshot(t, page, name) {
  mkdirSync(screenshotsDir, { recursive: true });
  const path = join(screenshotsDir, `${name}.png`);
  await page.screenshot({ path });
  t.diagnostic(`screenshot: ${relative(repo, path)}`);
  return path;
}

/**
 * The calls the inspector lists, newest first: verdict, event, action, omitted, call site
 * (as shown, whether mapped, and the generated one in its title), and each violation's
 * text, the texts of its code spans and whether a literal backtick is left.
 * @param {import('playwright-core').Page} page
 */
export function shownCalls(page) {
  return page.$$eval('trackplan-inspector li.call', (items) =>
    items.map((item) => {
      const site = item.querySelector('.site-text');
      return {
        verdict: item.dataset.verdict,
        event: item.querySelector('.label').textContent,
        action: item.querySelector('.badge.action').textContent,
        omitted: item.querySelector('.badge.omitted')?.textContent ?? null,
        site: site?.textContent ?? null,
        mapped: site?.dataset.mapped === 'true',
        generated: site?.title ?? '',
        violations: [...item.querySelectorAll('.violations:not(.hints) > li')].map((li) => ({
          text: li.textContent,
          code: [...li.querySelectorAll('code')].map((code) => code.textContent),
        })),
      };
    }),
  );
}

/**
 * What in the inspector runs past the viewport's left or right edge, or scrolls sideways,
 * as short descriptions (empty when nothing does). Elements not rendered are skipped.
 * @param {import('playwright-core').Page} page
 */
function sidewaysOverflow(page) {
  return page.evaluate(() => {
    const root = document.querySelector('trackplan-inspector')?.shadowRoot;
    if (!root) return ['no inspector'];
    const width = document.documentElement.clientWidth;
    const describe = (el) => `${el.tagName.toLowerCase()}.${[...el.classList].join('.')} ${JSON.stringify(el.textContent.slice(0, 40))}`;
    const found = [];
    for (const el of root.querySelectorAll('*')) {
      if (!el.getClientRects().length || el.classList.contains('sr')) continue;
      const box = el.getBoundingClientRect();
      if (box.left < -0.5 || box.right > width + 0.5) found.push(`${describe(el)} spans ${box.left}–${box.right} of ${width}`);
      const scrolls = getComputedStyle(el).overflowX !== 'visible' && el.scrollWidth > el.clientWidth + 1;
      if (scrolls) found.push(`${describe(el)} scrolls sideways (${el.scrollWidth} > ${el.clientWidth})`);
    }
    return found;
  });
}

/**
 * At a narrow width: shows the inspector's view `view` (when given), expands its row
 * `row` (a selector of the `li`), asserts that nothing in the inspector runs off the
 * side, and saves the screenshot `name`.
 * @param {import('node:test').TestContext} t
 * @param {import('playwright-core').Page} page
 * @param {{ view?: string, row: string, name: string }} step
 */
export async function expandAndFit(t, page, { view, row, name }) {
  if (view) await page.click(`trackplan-inspector [role="tab"][data-view="${view}"]`);
  await page.click(`trackplan-inspector ${row} .row`);
  assert.deepEqual(await sidewaysOverflow(page), [], `${name}: nothing runs off the side`);
  await screenshot(t, page, name);
}

/**
 * Records which of a page's JS responses are the inspector's chunk (told by its content:
 * the bundlers give the chunk a hashed name); returns the list it fills with their URLs.
 * @param {import('playwright-core').Page} page
 */
export function inspectorChunks(page) {
  const chunks = [];
  page.on('response', async (response) => {
    if (!/\.m?js(\?|$)/.test(new URL(response.url()).pathname)) return;
    const body = await response.text().catch(() => '');
    if (body.includes('trackplan-inspector')) chunks.push(response.url());
  });
  return chunks;
}
