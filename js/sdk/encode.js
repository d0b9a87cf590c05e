/**
 * The binary form in which a call crosses into the wasm core: its name (the event name,
 * page name or userId), when it has one, as a string (`Reader::str` in `src/binary.rs`),
 * then its payload as a JSON value (`Reader::value`), written in one pass over the
 * page's object with `JSON.stringify`'s semantics: `toJSON` is called, `Number`,
 * `String` and `Boolean` objects are their values, `undefined`, functions and symbols
 * are left out of objects and are `null` in arrays, as are non-finite numbers; a cycle
 * or a BigInt is an error.
 *
 * The form: a tag, then the value's parts. Tags: 0 null, 1 false, 2 true, 3 a number (its
 * eight little-endian bytes), 4 a string (its length, then its UTF-8), 5 an array (its
 * length, then each item), 6 an object (its member count, then each key as a string
 * without tag, then its value). Lengths and counts are unsigned LEB128. Where one is
 * known only after the part is written, the room for the largest it could be is kept
 * before the part and the figure is padded to fill it (continuation bytes of zero
 * bits), which LEB128 readers accept.
 *
 * Writing this costs about what `JSON.stringify` alone does, and the core reads it
 * without a JSON parser: no number text to convert, no escapes to undo. The name goes in
 * the same bytes, so that no string crosses on its own (each would cost the glue an
 * allocation in the wasm and a copy).
 *
 * @module trackplan/encode
 */

/** The deepest nesting the core reads (`MAX_DEPTH` in `src/json.rs`). */
export const MAX_DEPTH = 256;

/**
 * Encoded size above which a payload's JSON text may be over Segment's limit, so that
 * {@link jsonSize} measures it: JSON takes at most six bytes for each byte of this form
 * (a control character in a string is one byte here and `\u0001` in JSON; `false` in a
 * list is one byte here and six with its comma), and the core blocks payloads over
 * 30 KiB of JSON (`MAX_PAYLOAD_BYTES` in `src/tracker.rs`).
 */
const MEASURED_ABOVE = (30 * 1024) / 6;

/** Buffer size kept between calls; a larger one, grown for a large payload, is let go. */
const KEPT_SIZE = 1 << 16;

/** The tags of the binary form, as `Reader::value_at` in `src/binary.rs` reads them. */
const TAG_NULL = 0;
const TAG_FALSE = 1;
const TAG_TRUE = 2;
const TAG_NUMBER = 3;
const TAG_STRING = 4;
const TAG_ARRAY = 5;
const TAG_OBJECT = 6;

/** Thrown when the buffer is too small: it grows and the value is written again. */
const FULL = new Error('the buffer is full');
/** Thrown past {@link MAX_DEPTH}: a cycle or a deep value, told apart by a second pass. */
const DEEP = new RangeError(`nesting deeper than ${MAX_DEPTH} levels`);

const utf8 = new TextEncoder();
let bytes = new Uint8Array(4096);
let view = new DataView(bytes.buffer);
/**
 * The arrays and objects being written, outermost first, in the second pass of a value
 * nested too deep ({@link tracking}): whether it holds itself.
 */
const ancestors = [];
let tracking = false;
/** Whether a value is being written (a getter or `toJSON` can call the tracker). */
let busy = false;

/**
 * The top-level members of the object last written by {@link encode}, as it read them
 * (before `toJSON`, without those left out): the shim copies what it sends from these,
 * so that the page's getters do not run twice. `count` of `keys` and `values` are
 * current; the lists are reused from call to call.
 */
export const topLevel = { count: 0, keys: [], values: [] };

/**
 * Writes `name`, when given, as a string of the binary form (its length and UTF-8,
 * without tag, as an object's key is written), then `value`, and returns the bytes, a
 * view valid until the next call.
 * @param {unknown} value
 * @param {string} [name] the call's name, or a context property's
 * @returns {Uint8Array}
 * @throws {TypeError | RangeError} when `value` is not JSON data (a function, a symbol,
 *   a cycle, a BigInt, nesting deeper than {@link MAX_DEPTH}), or what a getter or
 *   `toJSON` threw
 */
export function encode(value, name) {
  if (busy) throw new TypeError('a getter or toJSON of the payload made a tracking call');
  busy = true;
  try {
    for (;;) {
      try {
        topLevel.count = 0;
        const start = name === undefined ? 0 : writeString(name, 0);
        const end = write(value, '', 0, start);
        if (end < 0) throw new TypeError('a function or symbol is not data');
        return bytes.subarray(0, end);
      } catch (error) {
        if (error === FULL) {
          bytes = new Uint8Array(bytes.length * 4);
          view = new DataView(bytes.buffer);
        } else if (error === DEEP && !tracking) {
          // Written again, keeping the way back: a cycle says so, a deep value is DEEP.
          tracking = true;
        } else {
          throw error;
        }
      }
    }
  } finally {
    busy = false;
    tracking = false;
    ancestors.length = 0;
    if (bytes.length > KEPT_SIZE) {
      // The caller's view keeps the large buffer alive only as long as it needs it.
      bytes = new Uint8Array(KEPT_SIZE);
      view = new DataView(bytes.buffer);
    }
  }
}

/**
 * The length in bytes of `value`'s JSON text when its binary form `encoded` is large
 * enough for that to matter (see {@link MEASURED_ABOVE}); 0 when it is surely within
 * Segment's limit.
 * @param {unknown} value what {@link encode} wrote
 * @param {Uint8Array} encoded what it returned (with a name, if it wrote one: the name's
 *   bytes make the measure start a little early, never late)
 */
export function jsonSize(value, encoded) {
  if (encoded.length <= MEASURED_ABOVE) return 0;
  return utf8.encode(JSON.stringify(value)).length;
}

/**
 * Writes `name`, when given, as a string of the binary form, then the UTF-8 of `reason`
 * as it is (neither tag nor length): the input of a call whose payload is not JSON data.
 * New bytes, not the shared buffer: this runs when {@link encode} threw, which may be
 * inside another {@link encode} (a getter of its payload made a tracking call).
 * @param {string | undefined} name
 * @param {string} reason why the payload is not data
 * @returns {Uint8Array}
 */
export function encodeReason(name, reason) {
  const text = utf8.encode(reason);
  if (name === undefined) return text;
  const key = utf8.encode(name);
  const width = widthOf(key.length);
  const input = new Uint8Array(width + key.length + text.length);
  uintAt(input, 0, key.length, width);
  input.set(key, width);
  input.set(text, width + key.length);
  return input;
}

/** How many bytes LEB128 takes for `n` (below 2^35). */
function widthOf(n) {
  return n < 0x80 ? 1 : n < 0x4000 ? 2 : n < 0x200000 ? 3 : n < 0x10000000 ? 4 : 5;
}

/** Writes `n` as LEB128 in exactly `width` bytes of `target` from `at`, padded. */
function uintAt(target, at, n, width) {
  for (let i = 1; i < width; i++) {
    target[at++] = (n % 0x80) | 0x80;
    n = Math.floor(n / 0x80);
  }
  target[at] = n;
}

/**
 * Writes a value from `at` and returns where it ends, or -1 when JSON leaves it out
 * (`undefined`, a function, a symbol). `key` (a member's name or an item's index) is
 * what `toJSON` is given, as a string.
 */
function write(value, key, depth, at) {
  // Room for a tag and a number; strings and lists check for their own.
  if (at + 16 > bytes.length) throw FULL;
  if (typeof value === 'string') {
    bytes[at] = TAG_STRING;
    return writeString(value, at + 1);
  }
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) {
      bytes[at] = TAG_NULL;
      return at + 1;
    }
    bytes[at] = TAG_NUMBER;
    view.setFloat64(at + 1, value === 0 ? 0 : value, true);
    return at + 9;
  }
  if (typeof value === 'boolean') {
    bytes[at] = value ? TAG_TRUE : TAG_FALSE;
    return at + 1;
  }
  if (value === null) {
    bytes[at] = TAG_NULL;
    return at + 1;
  }
  if (typeof value === 'object') {
    if (depth >= MAX_DEPTH) throw DEEP;
    if (typeof value.toJSON === 'function') return write(value.toJSON(String(key)), key, depth, at);
    if (Array.isArray(value)) return writeArray(value, depth, at);
    if (Object.getPrototypeOf(value) !== Object.prototype) {
      if (value instanceof Number) return write(Number(value), key, depth, at);
      if (value instanceof String) return write(String(value), key, depth, at);
      if (value instanceof Boolean) return write(value.valueOf(), key, depth, at);
    }
    return writeObject(value, depth, at);
  }
  if (typeof value === 'bigint') {
    if (typeof value.toJSON === 'function') return write(value.toJSON(String(key)), key, depth, at);
    throw new TypeError('a BigInt is not JSON data');
  }
  return -1;
}

/** Writes a string's length and UTF-8 (a lone surrogate becomes U+FFFD) from `at`. */
function writeString(s, at) {
  const length = s.length;
  const width = widthOf(length * 3);
  if (at + width + length * 3 > bytes.length) throw FULL;
  const start = at + width;
  let end = start;
  let i = 0;
  // ASCII byte by byte: one `encodeInto` costs more than most strings' whole loop.
  for (; i < length; i++) {
    const c = s.charCodeAt(i);
    if (c >= 0x80) break;
    bytes[end++] = c;
  }
  if (i < length) end += utf8.encodeInto(i === 0 ? s : s.slice(i), bytes.subarray(end)).written;
  uintAt(bytes, at, end - start, width);
  return end;
}

/** In the second pass of a deep value, enters an array or object: refuses a cycle. */
function enter(value) {
  if (ancestors.includes(value)) throw new TypeError('it contains itself (a circular structure)');
  ancestors.push(value);
}

function writeArray(array, depth, at) {
  if (tracking) enter(array);
  const length = array.length;
  const width = widthOf(length);
  bytes[at] = TAG_ARRAY;
  uintAt(bytes, at + 1, length, width);
  at += 1 + width;
  for (let i = 0; i < length; i++) {
    const end = write(array[i], i, depth + 1, at);
    if (end >= 0) {
      at = end;
    } else {
      bytes[at++] = TAG_NULL;
    }
  }
  if (tracking) ancestors.pop();
  return at;
}

function writeObject(object, depth, at) {
  if (tracking) enter(object);
  const keys = Object.keys(object);
  const countAt = at + 1;
  const width = widthOf(keys.length);
  bytes[at] = TAG_OBJECT;
  at = countAt + width;
  let count = 0;
  for (let i = 0; i < keys.length; i++) {
    const key = keys[i];
    const member = object[key];
    const end = write(member, key, depth + 1, writeString(key, at));
    if (end < 0) continue;
    at = end;
    if (depth === 0) {
      topLevel.keys[count] = key;
      topLevel.values[count] = member;
      topLevel.count = count + 1;
    }
    count++;
  }
  uintAt(bytes, countAt, count, width);
  if (tracking) ancestors.pop();
  return at;
}
