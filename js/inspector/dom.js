/**
 * The inspector's DOM helpers: elements from plain data, messages with their `code`
 * spans, and the expandable rows every view uses (a button with `aria-expanded` that
 * shows and hides its details: Enter and Space work as on any button).
 *
 * @module trackplan/inspector/dom
 */

/**
 * Builds an element: `h('li', { class: 'call', 'aria-label': '…', onclick }, 'text', child)`.
 * `class` sets the class; `on…` functions listen to the event; `false`, `null` and
 * `undefined` values are left out; other values are set as attributes. Children that
 * are null, undefined or false are skipped; strings become text (never HTML).
 * @template {keyof HTMLElementTagNameMap} K
 * @param {K} tag
 * @param {Record<string, unknown>} [attributes]
 * @param {...(Node | string | null | undefined | false)} children
 * @returns {HTMLElementTagNameMap[K]}
 */
export function h(tag, attributes = {}, ...children) {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) {
    if (value === false || value === null || value === undefined) continue;
    if (name.startsWith('on') && typeof value === 'function') node.addEventListener(name.slice(2), /** @type {EventListener} */ (value));
    else node.setAttribute(name, value === true ? '' : String(value));
  }
  node.append(...children.filter((child) => child !== null && child !== undefined && child !== false));
  return node;
}

/**
 * A message's parts: text between backticks is code (the core writes "`type` must be one
 * of …"), the rest text; a backtick left unpaired stays in the text.
 * @param {string} message
 * @returns {Array<{ code: boolean, text: string }>}
 */
export function codeSpans(message) {
  const parts = String(message).split('`');
  const spans = [];
  parts.forEach((text, i) => {
    const paired = i % 2 === 1 && i < parts.length - 1;
    if (paired) spans.push({ code: true, text });
    else if (i % 2 === 1) spans.push({ code: false, text: `\`${text}` });
    else if (text) spans.push({ code: false, text });
  });
  return spans;
}

/**
 * A message as nodes: its {@link codeSpans}, code as `<code>`, the rest as text.
 * @param {string} message
 * @returns {Array<Node | string>}
 */
export function richText(message) {
  return codeSpans(message).map(({ code, text }) => (code ? h('code', {}, text) : text));
}

/**
 * Violations (or hints) as a list: each message with its code spans, then its rule and
 * path; null when there are none.
 * @param {Array<{ kind: string, path?: string, message: string }> | undefined} items
 * @param {string} className
 */
export function messageList(items, className) {
  if (!items?.length) return null;
  return h(
    'ul',
    { class: className },
    ...items.map((v) => h('li', {}, ...richText(v.message), h('span', { class: 'where' }, [v.kind, v.path].filter(Boolean).join(' · ')))),
  );
}

/** A counter for ids unique within the inspector's shadow root. */
let ids = 0;

/**
 * An expandable row: `<li>` holding a full-width button (`summary` inside it) that
 * toggles `details` (built on first expansion by `details()`), and `always`, shown
 * between the two whether expanded or not.
 * @param {{ class?: string, summary: Array<Node | string | null>, details: () => Array<Node | string | null>,
 *   always?: Array<Node | string | null> }} parts
 * @returns {HTMLLIElement}
 */
export function expandable({ class: className, summary, details, always = [] }) {
  const id = `tp-row-${++ids}`;
  const region = h('div', { class: 'details', id, hidden: true });
  const button = h('button', { type: 'button', class: 'row', 'aria-expanded': 'false', 'aria-controls': id }, ...summary);
  button.addEventListener('click', () => {
    const open = button.getAttribute('aria-expanded') !== 'true';
    if (open && !region.hasChildNodes()) region.append(.../** @type {Array<Node | string>} */ (details().filter(Boolean)));
    button.setAttribute('aria-expanded', String(open));
    region.hidden = !open;
  });
  return h('li', { class: className }, button, .../** @type {Array<Node | string>} */ (always.filter(Boolean)), region);
}

/**
 * A labelled block of JSON, wrapped to the width it has.
 * @param {string} title
 * @param {unknown} value
 */
export function jsonBlock(title, value) {
  return h('div', { class: 'block' }, h('p', { class: 'caption' }, title), h('pre', {}, JSON.stringify(value, null, 2) ?? 'undefined'));
}
