// The demo app: a few buttons that make tracking calls through trackplan, and the
// package's inspector (`trackplan/inspector`, loaded by `tracker.inspect()`) docked
// beside them: every call and its verdict, where it was made, the plan, and what the
// local collector received through the real analytics-next.
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

/** Opens the inspector (or brings it back), with what this page's collector received. */
const inspect = (focus = true) => tracker.inspect({ collector: location.origin, focus });

document.addEventListener('click', (event) => {
  const name = event.target?.dataset?.demo;
  if (name === 'inspect') inspect();
  else if (name) actions[name]();
});

const showStatus = () => {
  document.getElementById('status').textContent =
    `environment ${tracker.environment} · write key ${tracker.writeKey ?? '(none)'} · ${tracker.status}`;
};
showStatus();
tracker.ready.then(showStatus);
// Docked beside the app from the start; the focus stays with the app.
await inspect(false);
