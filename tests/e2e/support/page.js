// The page the end-to-end tests load: the shim and the real analytics-next, bundled.
// Tests drive it through `window.trackplanModule` (the SDK), `window.trackplanTesting`
// (trackplan/testing) and `window.AnalyticsBrowser`.
import { AnalyticsBrowser } from '@segment/analytics-next';
import * as trackplan from '../../../js/index.js';
import * as testing from '../../../js/testing/index.js';

window.trackplanModule = trackplan;
window.trackplanTesting = testing;
window.AnalyticsBrowser = AnalyticsBrowser;
window.pageReady = true;
