/**
 * Headless Debian Chromium through playwright-core, with the flags this machine needs,
 * and a page recorder that collects console messages, page errors and requests.
 */

import { chromium } from 'playwright-core';

/** Launches Chromium; `*.example.com` and `*.example.dev` resolve to 127.0.0.1. */
export function launch() {
  return chromium.launch({
    executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
      '--host-resolver-rules=MAP *.example.com 127.0.0.1, MAP *.example.dev 127.0.0.1',
    ],
  });
}

/**
 * Opens a page that records what happens on it.
 * @param {import('playwright-core').Browser} browser
 */
export async function recordedPage(browser) {
  const context = await browser.newContext();
  const page = await context.newPage();
  const record = { console: [], errors: [], requests: [] };
  page.on('console', (m) => record.console.push(`${m.type()}: ${m.text()}`));
  page.on('pageerror', (e) => record.errors.push(String(e)));
  page.on('request', (r) => record.requests.push(r.url()));
  return { page, record, close: () => context.close() };
}

/** Polls `probe` until it returns a truthy value or `ms` pass; returns the last value. */
export async function waitFor(probe, ms = 10_000) {
  const end = Date.now() + ms;
  let value;
  while (Date.now() < end) {
    value = await probe();
    if (value) return value;
    await new Promise((r) => setTimeout(r, 50));
  }
  return value;
}
