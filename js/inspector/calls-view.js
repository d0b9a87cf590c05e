/**
 * The inspector's Calls view: each call as it is made, newest first, with its verdict,
 * action, omitted properties, call site (mapped to the original source when the script
 * has a source map), violations and hints; expanded, what was given and what was handed
 * to analytics.js. Filters by event and verdict. Rows are added, never rebuilt, so an
 * expanded row or the focus stays where it is while calls arrive.
 *
 * @module trackplan/inspector/calls-view
 */

import { formatPosition, parseCallSite } from './call-sites.js';
import { expandable, h, jsonBlock, messageList } from './dom.js';

/** Most calls the view keeps (the oldest go first). */
const CALLS_KEPT = 500;

/** The payload's name of each call type. */
const PAYLOAD = { track: 'properties', page: 'properties', identify: 'traits', group: 'traits' };

/**
 * A call as the user reads it: the event of a track call, `page category / name`, or
 * the type with its id.
 * @param {object} call an `onCall` record or an `events()` entry
 */
export function callLabel(call) {
  if (call.type === 'track') return call.event ?? '(no event name)';
  if (call.type === 'page') return ['page', [call.category, call.name].filter(Boolean).join(' / ')].filter(Boolean).join(' ');
  return [call.type, call.userId ?? call.groupId].filter((part) => part !== undefined && part !== null).join(' ');
}

/**
 * An `events()` entry in the shape of an `onCall` record: its `payload` under the name
 * the call type gives it. (What was handed to analytics.js is not in the history.)
 * @param {object} entry
 */
export function fromHistory(entry) {
  const { payload, ...rest } = entry;
  return { ...rest, [PAYLOAD[entry.type] ?? 'properties']: payload ?? {} };
}

/**
 * The call site line: the position the browser gave, replaced by the original one once
 * `resolveSite` finds it (the generated one stays in its title).
 */
function siteLine(site, resolveSite) {
  const at = parseCallSite(site);
  // A module of webpack's `devtool: 'eval'` (`webpack://app/./src/x.js?`) is shown whole, as
  // DevTools names it: its lines are those of webpack's rewriting, not of the file.
  const shown = at && !at.url.startsWith('webpack:') ? formatPosition({ source: at.url, line: at.line, column: at.column }) : site;
  const code = h('code', { class: 'site-text' }, shown);
  resolveSite(site).then((position) => {
    if (!position) return;
    code.textContent = formatPosition(position);
    code.title = `as the browser ran it: ${site}`;
    code.dataset.mapped = 'true';
  });
  return h('p', { class: 'site' }, 'at ', code);
}

/** What analytics.js got: the payload, or why nothing (a history entry does not say). */
function sentBlock(call) {
  if (call.sent === undefined) return null;
  if (call.sent === null) return h('p', { class: 'note' }, `nothing handed to analytics.js (${call.action})`);
  return jsonBlock('handed to analytics.js', call.sent);
}

/** What an expanded call shows: the payload given, what analytics.js got, options, version. */
function callDetails(call) {
  const payloadName = PAYLOAD[call.type] ?? 'properties';
  return [
    jsonBlock(`given (${payloadName})`, call[payloadName] ?? {}),
    sentBlock(call),
    call.options && Object.keys(call.options).length ? jsonBlock('options', call.options) : null,
    call.version === undefined ? null : h('p', { class: 'note' }, `checked against version ${call.version} of its rule`),
  ];
}

/**
 * One call's row.
 * @param {object} call an `onCall` record (or a history entry through {@link fromHistory})
 * @param {(site: string) => Promise<object | null>} resolveSite
 */
function callItem(call, resolveSite) {
  const label = callLabel(call);
  const verdict = call.ok ? 'valid' : 'invalid';
  const item = expandable({
    class: call.ok ? 'call good' : 'call bad',
    summary: [
      h('span', { class: 'mark', 'aria-hidden': 'true' }, call.ok ? '✓' : '✗'),
      h('span', { class: 'sr' }, `${verdict}: `),
      h('span', { class: 'label' }, label),
      h('span', { class: `badge action ${call.action}` }, call.action),
      call.omitted?.length ? h('span', { class: 'badge omitted' }, `omitted: ${call.omitted.join(', ')}`) : null,
      call.validated === false ? h('span', { class: 'badge' }, 'not validated') : null,
    ],
    always: [
      call.callSite ? siteLine(call.callSite, resolveSite) : null,
      messageList(call.violations, 'violations'),
      messageList(call.hints, 'violations hints'),
    ],
    details: () => callDetails(call),
  });
  item.dataset.verdict = verdict;
  item.dataset.event = label;
  return item;
}

/**
 * The Calls view.
 * @param {{ resolveSite: (site: string) => Promise<object | null>, onCount: (total: number, invalid: number) => void }} hooks
 *   `onCount` is told the number of calls and of invalid ones after each change
 * @returns {{ element: HTMLElement, add: (call: object) => void }}
 */
export function createCallsView({ resolveSite, onCount }) {
  /** `{ call, item }` oldest first; `item` is built when first shown. */
  const calls = [];
  const search = h('input', { type: 'search', name: 'event', placeholder: 'Filter by event', 'aria-label': 'Filter calls by event', autocomplete: 'off' });
  const verdict = h(
    'select',
    { name: 'verdict', 'aria-label': 'Filter calls by verdict' },
    h('option', { value: 'all' }, 'all verdicts'),
    h('option', { value: 'valid' }, 'valid'),
    h('option', { value: 'invalid' }, 'invalid'),
  );
  const clear = h('button', { type: 'button', class: 'button', 'aria-label': 'Clear the list of calls' }, 'Clear');
  const count = h('p', { class: 'count' });
  const list = h('ol', { class: 'list calls', 'aria-label': 'Calls, newest first' });
  const empty = h('p', { class: 'empty' }, 'No calls yet: they appear here as the page makes them.');

  const matches = ({ call }) => {
    const text = search.value.trim().toLowerCase();
    return (verdict.value === 'all' || (verdict.value === 'valid') === call.ok) && (!text || callLabel(call).toLowerCase().includes(text));
  };
  const itemOf = (entry) => (entry.item ??= callItem(entry.call, resolveSite));
  const update = () => {
    const shown = list.childElementCount;
    count.textContent = `${shown} of ${calls.length} call${calls.length === 1 ? '' : 's'}`;
    empty.hidden = shown > 0;
    onCount(calls.length, calls.filter(({ call }) => !call.ok).length);
  };
  const render = () => {
    list.replaceChildren(...calls.filter(matches).map(itemOf).reverse());
    update();
  };
  search.addEventListener('input', render);
  verdict.addEventListener('change', render);
  clear.addEventListener('click', () => {
    calls.length = 0;
    render();
  });
  render();

  return {
    element: h('div', {}, h('div', { class: 'filters' }, search, verdict, clear), count, list, empty),
    add(call) {
      const entry = { call };
      calls.push(entry);
      if (calls.length > CALLS_KEPT) calls.shift().item?.remove();
      if (matches(entry)) list.prepend(itemOf(entry));
      update();
    },
  };
}
