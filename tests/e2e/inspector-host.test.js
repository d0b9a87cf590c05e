// The inspector on a page that styles everything against it — `* { all: unset }`,
// `div { display: none !important }`, a 72 px root font, rules aimed at the end of the
// document — in headless Chromium: a page that never opens it never fetches it;
// `trackplan.inspect()` fetches and opens it, with the calls made before;
// `?trackplan_debug=1` opens it with the tracker, leaving the focus with the page; it is
// driven by the keyboard alone; and at 360 px nothing in it runs off the side.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { recordedPage, waitFor } from './support/browser.js';
import { expandAndFit, inspectorChunks, screenshot, shownCalls } from './support/inspector.js';
import { useBrowserAndServer } from './support/server.js';

const stage = useBrowserAndServer();

/** The host page: the test page's script under CSS that aims at everything. */
const HOSTILE_PAGE = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><link rel="icon" href="data:,">
<style>
  * { all: unset; }
  head, script, style { display: none !important; }
  html { font-size: 72px !important; }
  body { display: block; margin: 24px; font: italic 40px/4 serif !important; color: red !important; letter-spacing: 6px !important;
    text-transform: uppercase !important; direction: rtl; transform: translateZ(0); }
  div, section, header, ul, ol, li, p, span, button, pre, code, h2, select { display: none !important; }
  *, *::before, *::after { box-sizing: content-box !important; }
  [role], [hidden], [aria-expanded] { display: block !important; visibility: hidden !important; }
  html > :not(head):not(body), body ~ * { display: none !important; opacity: 0 !important; }
  :focus { outline: 20px solid lime !important; }
  input { display: block; border: 1px solid; }
</style></head>
<body><h1>A page that styles everything</h1><div>the app</div><input id="field" aria-label="the app's field" autofocus>
<script type="module" src="/page.js"></script></body></html>`;

const VALID = ['call started', { episode_id: 'ep_1', call_id: 'call_1', user_type: 'patient' }];
const INVALID = ['call ended', { episode_id: 'ep_1', call_id: 'call_1', type: 'Patient' }];

/**
 * Opens the hostile page (with `query`) at `width` × `height`, creates the tracker and
 * makes `calls` through it; returns the session and the inspector chunks fetched.
 */
async function openHostile({ query = '', width = 1280, height = 800, calls = [] } = {}) {
  const session = await recordedPage(stage.browser);
  const chunks = inspectorChunks(session.page);
  await session.page.route(/\/hostile\.html(\?|$)/, (route) => route.fulfill({ contentType: 'text/html', body: HOSTILE_PAGE }));
  await session.page.setViewportSize({ width, height });
  await session.page.goto(`http://127.0.0.1:${stage.server.port}/hostile.html${query}`);
  await session.page.waitForFunction(() => window.pageReady);
  await session.page.evaluate(async (calls) => {
    const tracker = await window.trackplanModule.createTracker({ writeKeys: { development: 'wk_dev' }, segment: { settings: { cdnURL: location.origin } } });
    for (const args of calls) tracker.track(...args);
  }, calls);
  return { ...session, chunks };
}

/** The focused element, inside the inspector's shadow root too: its tag, role, label and text. */
function focused(page) {
  return page.evaluate(() => {
    let el = document.activeElement;
    while (el?.shadowRoot?.activeElement) el = el.shadowRoot.activeElement;
    return {
      tag: el?.tagName.toLowerCase(),
      id: el?.id || null,
      role: el?.getAttribute('role'),
      label: el?.getAttribute('aria-label'),
      text: el?.textContent.trim().slice(0, 40),
    };
  });
}

/** Where the panel is and how its text is set, despite the page's CSS. */
function panelLayout(page) {
  return page.evaluate(() => {
    const host = document.querySelector('trackplan-inspector');
    const panel = host.shadowRoot.querySelector('.panel');
    const box = panel.getBoundingClientRect();
    const label = getComputedStyle(panel.querySelector('.row .label'));
    return {
      box: { left: box.left, top: box.top, right: box.right, bottom: box.bottom },
      viewport: { width: document.documentElement.clientWidth, height: innerHeight },
      onTop: document.elementFromPoint(box.left + box.width / 2, box.top + box.height / 2) === host,
      opacity: getComputedStyle(host).opacity,
      label: { fontSize: label.fontSize, letterSpacing: label.letterSpacing, textTransform: label.textTransform, fontStyle: label.fontStyle, color: label.color },
    };
  });
}

test('a page never fetches the inspector until trackplan.inspect() opens it, shown whole despite the page CSS', async (t) => {
  const { page, record, chunks, close } = await openHostile({ calls: [VALID, INVALID] });
  const before = [...record.requests];
  assert.equal(await page.$('trackplan-inspector'), null);
  await page.evaluate(() => window.trackplan.inspect());
  await waitFor(() => chunks.length > 0);
  assert.equal(chunks.length, 1, 'the inspector is one chunk');
  assert.ok(!before.includes(chunks[0]), `${chunks[0]} was fetched only when the inspector was opened`);

  const layout = await panelLayout(page);
  assert.deepEqual(layout.box, { left: layout.viewport.width - 460, top: 0, right: layout.viewport.width, bottom: layout.viewport.height });
  assert.equal(layout.onTop, true, 'on top of the page');
  assert.equal(layout.opacity, '1');
  assert.deepEqual(layout.label, { fontSize: '13px', letterSpacing: 'normal', textTransform: 'none', fontStyle: 'normal', color: 'rgb(15, 23, 42)' });
  // The calls made before it opened, from the tracker's history.
  assert.deepEqual((await shownCalls(page)).map((c) => [c.verdict, c.event]), [['invalid', 'call ended'], ['valid', 'call started']]);
  assert.equal((await focused(page)).role, 'dialog', 'the focus moved into the inspector');
  await screenshot(t, page, 'hostile-page');
  assert.deepEqual(record.errors, []);
  await close();
});

test('?trackplan_debug=1 opens it with the tracker, leaves the focus with the page, and lists calls as they are made', async (t) => {
  const { page, record, close } = await openHostile({ query: '?trackplan_debug=1' });
  await page.waitForSelector('trackplan-inspector .panel');
  assert.deepEqual(await focused(page), { tag: 'input', id: 'field', role: null, label: "the app's field", text: '' });
  await page.evaluate(([valid, invalid]) => {
    window.trackplan.track(...valid);
    window.trackplan.track(...invalid);
  }, [VALID, INVALID]);
  const [invalid, valid] = await shownCalls(page);
  assert.deepEqual([invalid.event, invalid.action, valid.event, valid.verdict], ['call ended', 'blocked', 'call started', 'valid']);
  assert.deepEqual(invalid.violations.map((v) => v.code), [['type']]);
  assert.ok(!invalid.violations[0].text.includes('`'), invalid.violations[0].text);
  // Where the call was made: the page's own frame (here, the test's evaluated function).
  assert.match(invalid.site, /:\d+:\d+$/);
  assert.equal(await page.textContent('trackplan-inspector .summary'), '2 calls · 1 invalid');
  // The debug log shows the call site too.
  await waitFor(() => record.console.some((line) => line.startsWith('startGroupCollapsed: ') && line.includes('call ended')));
  const logged = record.console.find((line) => line.startsWith('startGroupCollapsed: ') && line.includes('call ended'));
  assert.match(logged, /development · blocked · at \S+:\d+:\d+/);
  // A test tracker in the same page (debug: false) opens none of its own.
  await page.evaluate(() => window.trackplanTesting.createTestTracker());
  assert.equal(await page.$$eval('trackplan-inspector', (hosts) => hosts.length), 1);
  await screenshot(t, page, 'debug-flag');
  assert.deepEqual(record.errors, []);
  await close();
});

test('the keyboard alone: tab order, arrows between tabs, Enter and Space expand, Escape clears then closes', async () => {
  const { page, close } = await openHostile({ calls: [VALID, INVALID] });
  await page.focus('#field');
  await page.evaluate(() => window.trackplan.inspect());
  assert.equal((await focused(page)).role, 'dialog');

  const order = [];
  for (let i = 0; i < 7; i++) {
    await page.keyboard.press('Tab');
    const at = await focused(page);
    order.push(at.label ?? at.role ?? at.tag);
  }
  assert.deepEqual(order, [
    'Collapse the inspector',
    'Close the inspector',
    'tab',
    'Filter calls by event',
    'Filter calls by verdict',
    'Clear the list of calls',
    'button',
  ]);
  const row = 'trackplan-inspector li.call:first-child .row';
  assert.equal((await focused(page)).text, '✗invalid: call endedblocked');
  await page.keyboard.press('Enter');
  assert.equal(await page.getAttribute(row, 'aria-expanded'), 'true');
  assert.ok(await page.isVisible('trackplan-inspector li.call:first-child .details'));
  await page.keyboard.press('Space');
  assert.equal(await page.getAttribute(row, 'aria-expanded'), 'false');
  assert.ok(!(await page.isVisible('trackplan-inspector li.call:first-child .details')));

  // The tabs: arrows, Home and End move and show.
  const selectedView = () => page.$eval('trackplan-inspector [role="tab"][aria-selected="true"]', (tab) => tab.dataset.view);
  await page.focus('trackplan-inspector [role="tab"][data-view="calls"]');
  await page.keyboard.press('ArrowRight');
  assert.equal(await selectedView(), 'plan');
  assert.equal((await focused(page)).text, 'Plan');
  assert.ok(await page.isVisible('trackplan-inspector #tp-view-plan'));
  assert.ok(!(await page.isVisible('trackplan-inspector #tp-view-calls')));
  await page.keyboard.press('ArrowRight');
  assert.equal(await selectedView(), 'calls', 'wraps around');
  await page.keyboard.press('End');
  assert.equal(await selectedView(), 'plan');
  await page.keyboard.press('Home');
  assert.equal(await selectedView(), 'calls');

  // Collapse and expand from the keyboard.
  await page.focus('trackplan-inspector .collapse');
  await page.keyboard.press('Enter');
  assert.equal(await page.getAttribute('trackplan-inspector .collapse', 'aria-expanded'), 'false');
  assert.ok(!(await page.isVisible('trackplan-inspector .body')));
  await page.keyboard.press('Space');
  assert.equal(await page.getAttribute('trackplan-inspector .collapse', 'aria-expanded'), 'true');

  // Escape in a filter with text clears it; then Escape closes, and the focus goes back.
  await page.focus('trackplan-inspector input[name=event]');
  await page.keyboard.type('ended');
  assert.equal((await shownCalls(page)).length, 1);
  await page.keyboard.press('Escape');
  assert.equal(await page.inputValue('trackplan-inspector input[name=event]'), '');
  assert.ok(await page.$('trackplan-inspector'), 'still open');
  await page.keyboard.press('Escape');
  assert.equal(await page.$('trackplan-inspector'), null, 'closed');
  assert.equal((await focused(page)).id, 'field', 'the focus is back where it was');
  await close();
});

test('at 360 px wide on the hostile page, no view of the inspector runs off the side', async (t) => {
  const { page, record, close } = await openHostile({ query: '?trackplan_debug=1', width: 360, height: 740, calls: [VALID, INVALID] });
  await page.waitForSelector('trackplan-inspector .panel');
  await page.evaluate(() =>
    window.trackplan.track('questionnaire submitted', { episode_id: 'ep_a_rather_long_identifier_without_any_space_in_it_at_all_0123456789', qnaire_tid: 'q', question_count: 'twelve' }),
  );
  const layout = await panelLayout(page);
  assert.deepEqual(layout.box, { left: 0, top: 0, right: 360, bottom: 740 });
  await expandAndFit(t, page, { row: 'li.call:first-child', name: 'hostile-360-calls' });
  await expandAndFit(t, page, { view: 'plan', row: 'li.rule[data-rule="call started"]', name: 'hostile-360-plan' });
  assert.deepEqual(record.errors, []);
  await close();
});
