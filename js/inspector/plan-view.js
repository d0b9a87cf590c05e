/**
 * The inspector's Plan view: the tracker's `plan()`, one expandable row per planned
 * event (and the identify, page and group rules), each with its properties, their types,
 * whether they are required, their allowed values and descriptions, and a button that
 * prints the same table with `tracker.explain()` in the console. Filters by name.
 *
 * @module trackplan/inspector/plan-view
 */

import { expandable, h } from './dom.js';

/** The plan's rules: its track events, then the identify, page and group rules it has. */
function planRules(plan) {
  const others = ['identify', 'page', 'group'].filter((kind) => plan[kind]).map((kind) => ({ ...plan[kind], name: kind }));
  return [...plan.events, ...others];
}

/** A property's type as the console's `explain()` writes it. */
function typeText(property) {
  return property.type.join(' | ') || (property.allowed.length ? 'enum' : 'any');
}

/** One planned property. */
function propertyItem(property) {
  return h(
    'li',
    {},
    h('code', {}, property.name),
    h('span', { class: 'type' }, typeText(property)),
    property.required ? h('span', { class: 'badge req' }, 'required') : null,
    property.allowed.length
      ? h('p', { class: 'allowed' }, 'allowed: ', ...property.allowed.flatMap((v, i) => [i ? ', ' : '', h('code', {}, JSON.stringify(v))]))
      : null,
    property.description ? h('p', { class: 'desc' }, property.description) : null,
  );
}

/** One rule's row: its name and version; expanded, its description and properties. */
function ruleItem(rule, tracker) {
  const count = rule.properties.length;
  const item = expandable({
    class: 'rule plain',
    summary: [
      h('span', { class: 'label' }, rule.name),
      rule.version === undefined ? null : h('span', { class: 'badge' }, `v${rule.version}`),
      h('span', { class: 'badge' }, `${count} propert${count === 1 ? 'y' : 'ies'}`),
    ],
    details: () => [
      rule.description ? h('p', { class: 'desc' }, rule.description) : null,
      count ? h('ul', { class: 'properties' }, ...rule.properties.map(propertyItem)) : h('p', { class: 'note' }, 'No properties are planned.'),
      h('button', { type: 'button', class: 'button explain', onclick: () => tracker.explain(rule.name) }, 'Print with explain() in the console'),
    ],
  });
  item.dataset.rule = rule.name;
  return item;
}

/**
 * The Plan view of `tracker`'s plan (a note when there is none: the validator is not
 * running).
 * @param {{ plan: () => object | null, explain: (event: string) => unknown }} tracker
 * @returns {HTMLElement}
 */
export function createPlanView(tracker) {
  const plan = tracker.plan();
  if (!plan) return h('p', { class: 'empty' }, 'No plan: the validator is not running, calls pass through unvalidated.');
  const rules = planRules(plan);
  const items = rules.map((rule) => ruleItem(rule, tracker));
  const search = h('input', { type: 'search', name: 'rule', placeholder: 'Filter events', 'aria-label': 'Filter planned events', autocomplete: 'off' });
  search.addEventListener('input', () => {
    const text = search.value.trim().toLowerCase();
    rules.forEach((rule, i) => {
      items[i].hidden = Boolean(text) && !rule.name.toLowerCase().includes(text);
    });
  });
  return h(
    'div',
    {},
    h('p', { class: 'plan-name' }, h('strong', {}, plan.name), plan.id ? ' ' : null, plan.id ? h('code', {}, plan.id) : null),
    h('div', { class: 'filters' }, search),
    h('ul', { class: 'list rules', 'aria-label': 'Planned events' }, ...items),
  );
}
