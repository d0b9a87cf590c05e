// The event inspector: every call as it happens, its violations, the plan, and what the
// collector received. It uses only trackplan's public API (onCall, events, plan) and the
// collector's HTTP endpoints, so it can sit beside any app.

/** Builds an element: `el('td', { className: 'x' }, 'text', child)`. */
function el(tag, props = {}, ...children) {
  const node = Object.assign(document.createElement(tag), props);
  node.append(...children.filter((c) => c !== null && c !== undefined));
  return node;
}

function table(headings, rows) {
  return el(
    'table',
    {},
    el('thead', {}, el('tr', {}, ...headings.map((h) => el('th', {}, h)))),
    el('tbody', {}, ...rows.map((row) => el('tr', {}, ...row.map((cell) => el('td', {}, String(cell)))))),
  );
}

function label(call) {
  if (call.type === 'track') return call.event ?? '(no event name)';
  if (call.type === 'page') return `page ${[call.category, call.name].filter(Boolean).join(' / ')}`;
  return `${call.type} ${call.userId ?? call.groupId ?? ''}`.trim();
}

/** One call: verdict, event, action, omitted properties, violations, what was sent. */
function callItem(call) {
  const verdict = call.ok ? 'valid' : 'invalid';
  const item = el(
    'li',
    { className: `call ${verdict}` },
    el(
      'div',
      { className: 'head' },
      el('span', { className: 'mark' }, call.ok ? '✓' : '✗'),
      el('span', { className: 'event' }, label(call)),
      el('span', { className: `badge ${call.action}` }, call.action),
      call.omitted.length ? el('span', { className: 'badge omitted' }, `omitted: ${call.omitted.join(', ')}`) : null,
    ),
  );
  item.dataset.event = label(call);
  item.dataset.verdict = verdict;
  if (call.violations.length) {
    item.append(
      table(
        ['path', 'rule', 'message'],
        call.violations.map((v) => [v.path || '(whole object)', v.kind, v.message]),
      ),
    );
  }
  item.append(
    el(
      'details',
      {},
      el('summary', {}, call.sent ? 'handed to analytics.js' : 'given (not sent)'),
      el('pre', {}, JSON.stringify(call.sent ?? call.properties ?? call.traits ?? {}, null, 2)),
    ),
  );
  return item;
}

/**
 * Mounts the inspector in `root`.
 * @param {object} tracker a trackplan tracker
 * @param {HTMLElement} root
 * @param {{ collector?: string, pollMs?: number }} [options] where the collector is
 *   (default: this origin) and how often to poll it
 */
export function mountInspector(tracker, root, { collector = location.origin, pollMs = 1000 } = {}) {
  const calls = [];
  const list = el('ol', { className: 'calls' });
  const eventFilter = el('input', { type: 'search', placeholder: 'filter by event', name: 'event' });
  const verdictFilter = el(
    'select',
    { name: 'verdict' },
    ...['all', 'valid', 'invalid'].map((v) => el('option', { value: v }, v === 'all' ? 'all verdicts' : v)),
  );
  const count = el('span', { className: 'count' });
  const panes = {
    calls: el('div', { className: 'pane' }, el('div', { className: 'filters' }, eventFilter, verdictFilter, count), list),
    plan: el('div', { className: 'pane', hidden: true }),
    collector: el('div', { className: 'pane', hidden: true }),
  };
  const tabs = el(
    'div',
    { className: 'tabs', role: 'tablist' },
    ...Object.keys(panes).map((name) => el('button', { role: 'tab', type: 'button', value: name }, name)),
  );
  root.replaceChildren(el('h2', {}, 'Event inspector'), tabs, ...Object.values(panes));

  function select(name) {
    for (const button of tabs.children) button.setAttribute('aria-selected', String(button.value === name));
    for (const [pane, node] of Object.entries(panes)) node.hidden = pane !== name;
  }
  tabs.addEventListener('click', (e) => e.target.value && select(e.target.value));
  select('calls');

  function render() {
    const text = eventFilter.value.trim().toLowerCase();
    const verdict = verdictFilter.value;
    const shown = calls.filter(
      (call) =>
        (verdict === 'all' || (verdict === 'valid') === call.ok) &&
        (!text || label(call).toLowerCase().includes(text)),
    );
    list.replaceChildren(...shown.map(callItem).reverse());
    if (shown.length === 0) list.append(el('li', { className: 'empty' }, 'no calls yet — click the buttons'));
    count.textContent = `${shown.length} of ${calls.length} calls`;
  }
  eventFilter.addEventListener('input', render);
  verdictFilter.addEventListener('change', render);
  tracker.onCall((call) => {
    calls.push(call);
    render();
  });
  render();

  renderPlan(tracker.plan(), panes.plan);
  pollCollector(collector, panes.collector, pollMs);
}

/** The plan browser: one button per planned event, a table of the chosen one's properties. */
function renderPlan(plan, pane) {
  if (!plan) {
    pane.append(el('p', { className: 'empty' }, 'no plan: the validator is not running'));
    return;
  }
  const rules = [...plan.events, ...['identify', 'page', 'group'].filter((k) => plan[k]).map((k) => ({ ...plan[k], name: k }))];
  const detail = el('div');
  const names = el('div', { className: 'plan-events' }, ...rules.map((r) => el('button', { type: 'button', value: r.name }, r.name)));
  function show(name) {
    const rule = rules.find((r) => r.name === name);
    for (const b of names.children) b.setAttribute('aria-pressed', String(b.value === name));
    detail.replaceChildren(
      el('p', {}, el('strong', {}, rule.name), rule.description ? ` — ${rule.description}` : ''),
      table(
        ['property', 'type', 'required', 'allowed values', 'description'],
        rule.properties.map((p) => [
          p.name,
          p.type.join(' | ') || (p.allowed.length ? 'enum' : 'any'),
          p.required ? 'yes' : '',
          p.allowed.map((v) => JSON.stringify(v)).join(', '),
          p.description ?? '',
        ]),
      ),
    );
  }
  names.addEventListener('click', (e) => e.target.value && show(e.target.value));
  pane.append(el('p', {}, `${plan.name} (${plan.id ?? 'no id'})`), names, detail);
  if (rules.length) show(rules[0].name);
}

/** What the collector received, each marked good or bad by its plan check. */
function pollCollector(base, pane, pollMs) {
  const list = el('ol', { className: 'received' });
  const summary = el('p');
  pane.append(summary, list);
  async function refresh() {
    try {
      const [good, bad] = await Promise.all(
        ['good', 'bad'].map(async (kind) => (await fetch(`${base}/collector/${kind}`)).json()),
      );
      const all = [...good.map((e) => ({ ...e, bad: false })), ...bad.map((e) => ({ ...e, bad: true }))].sort((a, b) =>
        b.receivedAt.localeCompare(a.receivedAt),
      );
      summary.textContent = `${good.length} good, ${bad.length} bad (checked against the plan on arrival)`;
      list.replaceChildren(
        ...all.map((e) =>
          el(
            'li',
            { className: e.bad ? 'bad' : 'good' },
            el('code', {}, `${e.type} ${e.event ?? e.name ?? e.userId ?? ''} → ${e.writeKey}`),
            e.bad ? el('pre', {}, e.violations.map((v) => v.message).join('\n')) : null,
          ),
        ),
      );
    } catch (error) {
      summary.textContent = `collector not reachable at ${base}: ${error.message}`;
    }
  }
  refresh();
  setInterval(refresh, pollMs);
}
