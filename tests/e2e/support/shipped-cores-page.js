// The page of the shipped production cores' suite run (tests/e2e/shipped-cores.test.js):
// the SDK's own loader and calls, nothing else. `window.checkGroup(url, event, instances)`
// starts the production core at `url` (a shipped core with a plan appended, as
// `trackplan build` writes `trackplan.wasm`) through the binding's `cores`, as the
// generated index.js does, makes a production core tracker of it, and checks each
// instance (JSON text) as the payload of a track call to `event`. A page runs one production core:
// the test loads the page again for each plan.
import { createCore, readCall, verdictOf } from '../../../js/sdk/core.js';
import { startCore } from '../../../js/sdk/cores.js';
import { CALL_KINDS, FLAG_DRY_RUN, FLAG_HAS_NAME, FLAG_PAYLOAD_ERROR, VERSION } from '../../../js/sdk/protocol.js';

/** The kind of violation that is no schema's: a property the plan does not declare. */
const UNPLANNED_PROPERTY = 'unplanned_property';

/**
 * The schema violations of a dry-run track call to `event` with `data` as its payload,
 * as `checkCall` (js/sdk/core.js) makes it but for one thing: a payload of null is
 * checked as null, where `track()` takes it for no properties (`{}`). Unplanned
 * properties are left out: a tracking plan's check beside its schema, which reports
 * every property the schema does not declare.
 */
function schemaViolations(core, event, data) {
  const read = readCall({ method: 'track', name: event, payload: data, options: {} });
  const flags = FLAG_HAS_NAME | FLAG_DRY_RUN | (read.unusable ? FLAG_PAYLOAD_ERROR : 0);
  const code = core.check(CALL_KINDS.indexOf('track'), read.input, flags, read.beside);
  const verdict = verdictOf(core, code, 'track', event, 'sent');
  return verdict.violations.filter((v) => v.kind !== UNPLANNED_PROPERTY).map(({ kind, path, message }) => ({ kind, path, message }));
}

/**
 * Starts the production core at `url` and checks the instances, the JSON texts
 * `instances` (parsed here, as a page gets data from JSON: a member `__proto__` stays a
 * member), against its plan's rule `event`: `{ violations }` (one list per instance), or
 * `{ refused }` when the core tracker could not be made (the message), or `{ failed }`
 * when the core could not start.
 */
window.checkGroup = async (url, event, instances) => {
  const cores = {
    version: VERSION,
    production: () => new URL(url, location.href),
    development: () => {
      throw new Error('a production page never starts the development core');
    },
  };
  let started;
  try {
    started = await startCore({ environment: 'production' }, cores);
  } catch (error) {
    return { failed: String(error?.message ?? error) };
  }
  let core;
  try {
    core = await createCore(started, { environment: 'production' });
  } catch (error) {
    return { refused: String(error?.message ?? error) };
  }
  return { violations: instances.map((text) => schemaViolations(core, event, JSON.parse(text))) };
};
