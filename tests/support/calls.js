// A call as the tracker makes it, for the tests that drive a core tracker themselves:
// resolved as analytics.js resolves its arguments, then checked (js/sdk/core.js).
import { resolveCall } from '../../js/sdk/arguments.js';
import { checkCall, contextInput } from '../../js/sdk/core.js';

/** `checkCall` of the call `method(...args)`. */
export const check = (core, method, args, dryRun = false, handover = 'sent') => checkCall(core, resolveCall(method, args), dryRun, handover);

/** The input of context property `name` set to `value`, as `setContext` gives the core. */
export const contextBytes = (name, value) => contextInput(name, value).bytes;
