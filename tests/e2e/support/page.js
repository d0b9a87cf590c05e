// The page the end-to-end tests load: the shim and the real analytics-next, bundled.
// Tests drive it through `window.createTracker` and `window.trackplanModule`.
import * as trackplan from '../../../js/index.js';

window.trackplanModule = trackplan;
window.pageReady = true;
