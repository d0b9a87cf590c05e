/**
 * A plan given at run time as the full core takes it: the UTF-8 bytes of its JSON text.
 * `createCore` imports this module only for such a plan, which the full core (itself
 * loaded lazily) reads, so that a page with the embedded plan does not download it.
 *
 * @module trackplan/plan-text
 */

/**
 * The UTF-8 bytes of a plan's JSON text: the text itself when it is a string, else its
 * `JSON.stringify` (bytes are copied into the wasm in one piece, where a long string
 * would be copied character by character).
 * @param {unknown} plan an export's object or JSON text
 * @returns {Uint8Array}
 * @throws {Error} when the plan cannot be read as JSON (a cycle, a BigInt, a function)
 */
export function planBytes(plan) {
  if (typeof plan === 'string') return new TextEncoder().encode(plan);
  let text;
  try {
    text = JSON.stringify(plan);
  } catch (error) {
    throw new Error(`the plan cannot be read as JSON: ${error?.message ?? error}`);
  }
  if (text === undefined) throw new Error('the plan cannot be read as JSON: a function or symbol is not data');
  return new TextEncoder().encode(text);
}
