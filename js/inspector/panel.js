/**
 * The inspector's frame: a `<trackplan-inspector>` element at the end of the page whose
 * open shadow root holds a non-modal dialog, docked on the right (the whole viewport on
 * narrow screens): a header bar (title, environment and status, a live summary, collapse
 * and close) and a tab list of views.
 *
 * Isolated from the page: its styles live in the shadow root, which the page's CSS does
 * not reach; the host's own few properties are set inline with `!important` through the
 * CSSOM (which beats any page rule, and which a Content-Security-Policy without
 * `unsafe-inline` allows), starting with `all: initial` so that nothing the page sets
 * inherits in. Keyboard: Tab moves through the controls, the arrow keys, Home and End
 * through the tabs, Enter and Space expand rows, Escape closes (an Escape in a filter
 * that holds text clears it first).
 *
 * @module trackplan/inspector/panel
 */

import { h } from './dom.js';
import { STYLES } from './styles.js';

/** The host's inline style: what no page rule can override. */
const HOST_STYLE = {
  all: 'initial',
  display: 'block',
  position: 'fixed',
  top: '0',
  left: '0',
  width: '0',
  height: '0',
  overflow: 'visible',
  'z-index': '2147483647',
  direction: 'ltr',
  'unicode-bidi': 'isolate',
};

/** Puts the style sheet in the shadow root: constructed where the browser can, else a `<style>`. */
function adoptStyles(shadow) {
  try {
    const sheet = new CSSStyleSheet();
    sheet.replaceSync(STYLES);
    shadow.adoptedStyleSheets = [sheet];
  } catch {
    shadow.append(h('style', {}, STYLES));
  }
}

/**
 * The tab list and its views: `addView` adds a view and its tab (the first added is
 * shown). The arrow keys, Home and End move between the tabs and show each; only the
 * selected tab is in the Tab order.
 * @param {ShadowRoot} shadow
 * @param {HTMLElement} body where the tab list and the views go
 */
function createTabs(shadow, body) {
  const tablist = h('div', { role: 'tablist', 'aria-label': 'Inspector views' });
  body.append(tablist);
  const select = (id) => {
    for (const tab of /** @type {HTMLCollectionOf<HTMLElement>} */ (tablist.children)) {
      const selected = tab.dataset.view === id;
      tab.setAttribute('aria-selected', String(selected));
      tab.tabIndex = selected ? 0 : -1;
      /** @type {HTMLElement} */ (shadow.getElementById(/** @type {string} */ (tab.getAttribute('aria-controls')))).hidden = !selected;
    }
  };
  tablist.addEventListener('keydown', (event) => {
    const tabs = /** @type {HTMLElement[]} */ ([...tablist.children]);
    const at = tabs.indexOf(/** @type {HTMLElement} */ (event.target));
    const to = { ArrowRight: at + 1, ArrowLeft: at - 1, Home: 0, End: tabs.length - 1 }[event.key];
    if (at < 0 || to === undefined) return;
    event.preventDefault();
    const tab = tabs[(to + tabs.length) % tabs.length];
    select(tab.dataset.view);
    tab.focus();
  });
  return {
    /**
     * Adds a view and its tab; returns `setCount(n)`, which shows a number beside the
     * tab's label, and `remove()`.
     * @param {{ id: string, label: string, element: HTMLElement, focusable?: boolean }} view
     *   `focusable`: whether the view's panel takes focus itself (when it starts with no control)
     */
    addView({ id, label, element, focusable = false }) {
      const count = h('span', { class: 'n', hidden: true });
      const tab = h('button', { type: 'button', role: 'tab', id: `tp-tab-${id}`, 'aria-controls': `tp-view-${id}`, 'data-view': id, onclick: () => select(id) }, label, count);
      const view = h('div', { role: 'tabpanel', id: `tp-view-${id}`, 'aria-labelledby': `tp-tab-${id}`, tabindex: focusable ? '0' : null }, element);
      tablist.append(tab);
      body.append(view);
      select(/** @type {HTMLElement | null} */ (tablist.querySelector('[aria-selected="true"]'))?.dataset.view ?? id);
      return {
        setCount(n) {
          count.textContent = String(n);
          count.hidden = false;
        },
        remove() {
          const wasSelected = tab.getAttribute('aria-selected') === 'true';
          tab.remove();
          view.remove();
          if (wasSelected && tablist.firstElementChild) select(/** @type {HTMLElement} */ (tablist.firstElementChild).dataset.view);
        },
      };
    },
  };
}

/**
 * The collapse button: it hides `body` (leaving the header bar) and shows it again,
 * telling `onCollapse`; `expand()` shows it from elsewhere.
 * @param {HTMLElement} panel
 * @param {HTMLElement} body
 * @param {(collapsed: boolean) => void} onCollapse
 */
function createCollapse(panel, body, onCollapse) {
  const button = h('button', { type: 'button', class: 'icon collapse', 'aria-controls': body.id });
  const show = (collapsed) => {
    panel.classList.toggle('collapsed', collapsed);
    body.hidden = collapsed;
    button.setAttribute('aria-expanded', String(!collapsed));
    button.setAttribute('aria-label', collapsed ? 'Expand the inspector' : 'Collapse the inspector');
    button.title = collapsed ? 'Expand' : 'Collapse';
    button.textContent = collapsed ? '▴' : '▾';
  };
  const toggle = (collapsed) => {
    show(collapsed);
    onCollapse(collapsed);
  };
  show(false);
  button.addEventListener('click', () => toggle(!body.hidden));
  return {
    button,
    expand() {
      if (body.hidden) toggle(false);
    },
  };
}

/**
 * Mounts the frame at the end of the page.
 * @param {{ onClose: () => void, onCollapse: (collapsed: boolean) => void }} hooks
 *   `onClose` when the close button or Escape asks to close; `onCollapse` after the
 *   body is collapsed or expanded
 */
export function mountPanel({ onClose, onCollapse }) {
  const host = document.createElement('trackplan-inspector');
  for (const [name, value] of Object.entries(HOST_STYLE)) host.style.setProperty(name, value, 'important');
  const shadow = host.attachShadow({ mode: 'open' });
  adoptStyles(shadow);

  const meta = h('span', { class: 'meta' });
  const summary = h('span', { class: 'summary', role: 'status' });
  const close = h('button', { type: 'button', class: 'icon close', 'aria-label': 'Close the inspector', title: 'Close (Escape)', onclick: onClose }, '✕');
  const body = h('div', { class: 'body', id: 'tp-body' });
  const panel = h('section', { class: 'panel', role: 'dialog', 'aria-modal': 'false', 'aria-labelledby': 'tp-title', tabindex: '-1' });
  const collapse = createCollapse(panel, body, onCollapse);
  const tabs = createTabs(shadow, body);
  panel.append(h('header', { class: 'bar' }, h('div', { class: 'title' }, h('h2', { id: 'tp-title' }, 'trackplan'), meta), summary, collapse.button, close), body);
  panel.addEventListener('keydown', (event) => {
    if (event.key !== 'Escape') return;
    const target = /** @type {HTMLInputElement | undefined} */ (event.composedPath()[0]);
    if (target?.type === 'search' && target.value) return;
    event.preventDefault();
    onClose();
  });
  shadow.append(h('div', { class: 'root' }, panel));
  document.documentElement.append(host);

  return {
    host,
    /** Shows the environment and status. */
    setMeta: (text) => {
      meta.textContent = text;
    },
    /** Replaces the live summary (read out by screen readers as it changes). */
    setSummary: (...nodes) => summary.replaceChildren(...nodes),
    addView: tabs.addView,
    /** Expands the panel if collapsed and moves the focus into it. */
    focus() {
      collapse.expand();
      panel.focus();
    },
    /** Whether the focus is in the inspector. */
    hasFocus: () => document.activeElement === host,
    remove: () => host.remove(),
  };
}
