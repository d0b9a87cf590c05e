// The cores of the package's demo binding (js/demo/, as `trackplan build` writes a user's),
// started in Node for the tests that make core trackers themselves.
import { cores } from '../../js/demo/index.js';
import { startCore } from '../../js/sdk/cores.js';

/** The demo plan's production core, started (`{ Tracker, plan }`, as `createCore` takes it). */
export const productionCore = () => startCore({ environment: 'production' }, cores);

/** The demo plan's development core (the full core), started. */
export const developmentCore = () => startCore({ environment: 'development' }, cores);

/** The full core with `plan` (a Segment export) given at run time, started. */
export const coreWithPlan = (plan) => startCore({ environment: 'development', plan }, cores);
