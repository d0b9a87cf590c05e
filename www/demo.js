// The demo app: a few buttons that make tracking calls through trackplan, the verdicts,
// and what the local collector received through the real analytics-next.
import { createTracker } from '../js/index.js';

const tracker = await createTracker({
  writeKeys: {
    development: 'wk_demo_development',
    staging: 'wk_demo_staging',
    production: 'wk_demo_production',
  },
  // The collector that serves this page also plays Segment's CDN and API.
  segment: { settings: { cdnURL: location.origin } },
});

const episode = `ep_${Date.now().toString(36)}`;
const call = `call_${Math.random().toString(36).slice(2, 10)}`;
const actions = {
  signup: () => tracker.track('user signed up', { user_type: 'patient', signup_method: 'email' }),
  identify: () => tracker.identify('user_8f3a', { user_type: 'patient', email: 'pat@example.com' }),
  'call-start': () =>
    tracker.track('call started', { episode_id: episode, call_id: call, user_type: 'patient', call_type: 'video' }),
  'call-end': () =>
    tracker.track('call ended', { episode_id: episode, call_id: call, type: 'ended_by_practitioner', duration_seconds: 312 }),
  qnaire: () => tracker.track('questionnaire submitted', { episode_id: episode, qnaire_tid: 'qnaire_1', question_count: 12 }),
  page: () => tracker.page('app', 'episode', { episode_id: episode }),
  'bad-missing': () => tracker.track('call started', { call_id: call, user_type: 'patient' }),
  'bad-enum': () => tracker.track('call ended', { episode_id: episode, call_id: call, type: 'Patient' }),
  'bad-unplanned': () => tracker.track('Call Started', { episode_id: episode }),
  'bad-channel': () =>
    tracker.track('call started', { episode_id: episode, call_id: call, user_type: 'patient', channel_id: 'c1' }),
};

const verdicts = document.getElementById('verdicts');
const received = document.getElementById('received');

function show(verdict) {
  const item = document.createElement('li');
  item.className = verdict.ok ? 'ok' : 'fail';
  item.textContent = `${verdict.ok ? '✓' : '✗'} ${verdict.event ?? verdict.type} — ${verdict.action}`;
  if (verdict.violations.length) {
    const details = document.createElement('pre');
    details.textContent = verdict.violations.map((v) => `${v.kind} ${v.path || '(root)'}: ${v.message}`).join('\n');
    item.append(details);
  }
  verdicts.prepend(item);
}

async function refreshReceived() {
  const events = await (await fetch('/collector/all')).json();
  received.replaceChildren(
    ...events.reverse().map((e) => {
      const item = document.createElement('li');
      item.innerHTML = '<code></code>';
      item.firstChild.textContent = `${e.type} ${e.event ?? e.name ?? e.userId ?? ''} → ${e.writeKey}`;
      return item;
    }),
  );
}

document.addEventListener('click', (event) => {
  const name = event.target?.dataset?.demo;
  if (!name) return;
  show(actions[name]());
});

document.getElementById('status').textContent =
  `environment ${tracker.environment} · write key ${tracker.writeKey ?? '(none)'} · ${tracker.status}`;
tracker.ready.then(() => {
  document.getElementById('status').textContent =
    `environment ${tracker.environment} · write key ${tracker.writeKey ?? '(none)'} · ${tracker.status}`;
});
setInterval(refreshReceived, 1000);
