// The page the end-to-end tests load: the shim and the real analytics-next, bundled.
// Tests drive it through `window.trackplanModule` and `window.AnalyticsBrowser`.
import { AnalyticsBrowser } from '@segment/analytics-next';
import * as trackplan from '../../../js/index.js';

window.trackplanModule = trackplan;
window.AnalyticsBrowser = AnalyticsBrowser;
window.pageReady = true;
