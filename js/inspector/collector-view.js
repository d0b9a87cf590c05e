/**
 * The inspector's Collector view: what a trackplan collector (`trackplan collector`, or
 * `createCollector` from `trackplan/collector`) received, newest first, each marked good
 * or bad by the collector's check against the plan, bad ones with their violations;
 * expanded, the event as it arrived. Polls `/collector/all`, then `/collector/bad` (in
 * that order, so that every event listed has been checked by the time its verdict is
 * read), while the view is running. New events are added above the others; the rows
 * already shown stay, expanded or focused, unless the collector was reset.
 *
 * @module trackplan/inspector/collector-view
 */

import { expandable, h, jsonBlock, messageList } from './dom.js';

/** An event's identity across polls: when it arrived and what analytics.js called it. */
function keyOf(event) {
  return `${event.receivedAt} ${event.messageId ?? ''} ${event.type} ${event.event ?? event.name ?? ''}`;
}

/** What a received event is, in a few words. */
function receivedLabel(event) {
  return [event.type, event.event ?? event.name ?? event.userId ?? event.groupId].filter(Boolean).join(' ');
}

/** One received event's row; `violations` is undefined for a good one. */
function receivedItem(event, violations) {
  const bad = violations !== undefined;
  const time = Number.isNaN(Date.parse(event.receivedAt)) ? null : new Date(event.receivedAt).toLocaleTimeString();
  const item = expandable({
    class: bad ? 'received bad' : 'received good',
    summary: [
      h('span', { class: 'mark', 'aria-hidden': 'true' }, bad ? '✗' : '✓'),
      h('span', { class: 'sr' }, bad ? 'bad: ' : 'good: '),
      h('span', { class: 'label' }, receivedLabel(event)),
      h('span', { class: 'badge' }, `→ ${event.writeKey ?? '(no write key)'}`),
      time ? h('span', { class: 'note' }, time) : null,
    ],
    always: [bad ? messageList(violations, 'violations') : null],
    details: () => [jsonBlock('as received', event)],
  });
  item.dataset.verdict = bad ? 'bad' : 'good';
  item.dataset.event = receivedLabel(event);
  return item;
}

/**
 * The Collector view of the collector at `base` (its origin, such as
 * `http://127.0.0.1:8787`).
 * @param {string} base
 * @param {{ pollMs?: number }} [options] how often to ask (default every second)
 * @returns {{ element: HTMLElement, start: () => void, stop: () => void }} `start`
 *   polls (now, then every `pollMs`) until `stop`
 */
export function createCollectorView(base, { pollMs = 1000 } = {}) {
  const summary = h('p', { class: 'count' }, 'Asking the collector…');
  const list = h('ol', { class: 'list received', 'aria-label': 'Events the collector received, newest first' });
  /** The keys of the events shown, oldest first. */
  let shown = [];
  /** Bumped by each start and stop: a poll of an earlier run ends there. */
  let run = 0;
  let timer;

  const read = async (path) => {
    const response = await fetch(`${base}${path}`, { cache: 'no-store' });
    if (!response.ok) throw new Error(`${path} answered ${response.status}`);
    return response.json();
  };

  /** Shows what the collector holds now, unless a later run began while it was asked. */
  async function refresh(mine) {
    const all = await read('/collector/all');
    const bad = new Map((await read('/collector/bad')).map((event) => [keyOf(event), event.violations ?? []]));
    if (mine !== run) return;
    const keys = all.map(keyOf);
    if (keys.length < shown.length || shown.some((key, i) => keys[i] !== key)) {
      // The collector was reset: start over.
      shown = [];
      list.replaceChildren();
    }
    for (let i = shown.length; i < all.length; i++) list.prepend(receivedItem(all[i], bad.get(keys[i])));
    shown = keys;
    const badCount = keys.filter((key) => bad.has(key)).length;
    summary.textContent = `${all.length - badCount} good, ${badCount} bad (checked against the plan on arrival)`;
  }

  async function poll(mine) {
    try {
      await refresh(mine);
    } catch (error) {
      if (mine === run) summary.textContent = `The collector at ${base} cannot be reached: ${error.message}`;
    }
    if (mine === run) timer = setTimeout(poll, pollMs, mine);
  }

  return {
    element: h('div', {}, h('p', { class: 'note' }, 'Collector ', h('code', {}, base)), summary, list),
    start() {
      clearTimeout(timer);
      poll(++run);
    },
    stop() {
      run++;
      clearTimeout(timer);
    },
  };
}
