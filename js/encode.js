/**
 * The binary form in which a call's payload crosses into the wasm core: a JSON value as
 * `Reader::value` in `src/binary.rs` reads it, written in one pass over the page's object
 * with `JSON.stringify`'s semantics: `toJSON` is called, `Number`, `String` and `Boolean`
 * objects are their values, `undefined`, functions and symbols are left out of objects
 * and are `null` in arrays, as are non-finite numbers; a cycle or a BigInt is an error.
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
 * without a JSON parser: no number text to convert, no escapes to undo.
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

const TAG_NULL = 0;
const TAG_FALSE = 1;
const TAG_TRUE = 2;
const TAG_NUMBER = 3;
const TAG_STRING = 4;
const TAG_ARRAY = 5;
const TAG_OBJECT = 6;

const utf8 = new TextEncoder();
let bytes = new Uint8Array(4096);
let view = new DataView(bytes.buffer);
/** Where the next byte goes. */
let at = 0;
/** The arrays and objects being written, outermost first: a cycle's way back. */
const ancestors = [];
/** Whether a value is being written (a getter or `toJSON` can call the tracker). */
let busy = false;

/**
 * The top-level members of the object last written by {@link encode}, as it read them
 * (before `toJSON`, without those left out): the shim copies what it sends from these,
 * so that the page's getters do not run twice.
 */
export const topLevel = { keys: [], values: [] };

/**
 * Writes `value` in the binary form and returns the bytes, a view valid until the next
 * call.
 * @param {unknown} value
 * @returns {Uint8Array}
 * @throws {TypeError | RangeError} when `value` is not JSON data (a function, a symbol,
 *   a cycle, a BigInt, nesting deeper than {@link MAX_DEPTH}), or what a getter or
 *   `toJSON` threw
 */
export function encode(value) {
  if (busy) throw new TypeError('a getter or toJSON of the payload made a tracking call');
  busy = true;
  at = 0;
  ancestors.length = 0;
  topLevel.keys.length = 0;
  topLevel.values.length = 0;
  try {
    if (!write(value, '', 0)) throw new TypeError('a function or symbol is not data');
    return bytes.subarray(0, at);
  } finally {
    busy = false;
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
 * @param {Uint8Array} encoded what it returned
 */
export function jsonSize(value, encoded) {
  if (encoded.length <= MEASURED_ABOVE) return 0;
  return utf8.encode(JSON.stringify(value)).length;
}

/** Makes room for `n` more bytes. */
function room(n) {
  if (at + n <= bytes.length) return;
  let size = bytes.length * 2;
  while (size < at + n) size *= 2;
  const grown = new Uint8Array(size);
  grown.set(bytes.subarray(0, at));
  bytes = grown;
  view = new DataView(grown.buffer);
}

/** How many bytes LEB128 takes for `n` (below 2^35). */
function widthOf(n) {
  return n < 0x80 ? 1 : n < 0x4000 ? 2 : n < 0x200000 ? 3 : n < 0x10000000 ? 4 : 5;
}

/** Writes `n` as LEB128 in exactly `width` bytes from `p`, padded. */
function uintAt(p, n, width) {
  for (let i = 1; i < width; i++) {
    bytes[p++] = (n % 0x80) | 0x80;
    n = Math.floor(n / 0x80);
  }
  bytes[p] = n;
}

/**
 * Writes a value, or nothing when JSON leaves it out (`undefined`, a function, a
 * symbol); returns whether it wrote it. `key` (a member's name or an item's index) is
 * what `toJSON` is given, as a string.
 */
function write(value, key, depth) {
  if (depth > MAX_DEPTH) throw new RangeError(`nesting deeper than ${MAX_DEPTH} levels`);
  if ((typeof value === 'object' && value !== null) || typeof value === 'bigint') {
    if (typeof value.toJSON === 'function') value = value.toJSON(String(key));
  }
  switch (typeof value) {
    case 'string':
      room(1);
      bytes[at++] = TAG_STRING;
      writeString(value);
      return true;
    case 'number':
      writeNumber(value);
      return true;
    case 'boolean':
      room(1);
      bytes[at++] = value ? TAG_TRUE : TAG_FALSE;
      return true;
    case 'bigint':
      throw new TypeError('a BigInt is not JSON data');
    case 'object':
      if (value === null) {
        room(1);
        bytes[at++] = TAG_NULL;
      } else if (value instanceof Number) {
        writeNumber(Number(value));
      } else if (value instanceof String) {
        return write(String(value), key, depth);
      } else if (value instanceof Boolean) {
        return write(value.valueOf(), key, depth);
      } else if (Array.isArray(value)) {
        writeArray(value, depth);
      } else {
        writeObject(value, depth);
      }
      return true;
    default:
      return false;
  }
}

/** Writes a number; one that is not finite is `null`, as in JSON, and -0 is 0. */
function writeNumber(n) {
  room(9);
  if (!Number.isFinite(n)) {
    bytes[at++] = TAG_NULL;
    return;
  }
  bytes[at++] = TAG_NUMBER;
  view.setFloat64(at, n === 0 ? 0 : n, true);
  at += 8;
}

/** Writes a string's length and UTF-8 (a lone surrogate becomes U+FFFD). */
function writeString(s) {
  const length = s.length;
  const width = widthOf(length * 3);
  room(width + length * 3);
  const start = at + width;
  let p = start;
  let i = 0;
  // ASCII byte by byte: one `encodeInto` costs more than most strings' whole loop.
  for (; i < length; i++) {
    const c = s.charCodeAt(i);
    if (c >= 0x80) break;
    bytes[p++] = c;
  }
  if (i < length) p += utf8.encodeInto(i === 0 ? s : s.slice(i), bytes.subarray(p)).written;
  uintAt(at, p - start, width);
  at = p;
}

/** Enters an array or object: refuses a cycle. */
function enter(value) {
  if (ancestors.includes(value)) throw new TypeError('it contains itself (a circular structure)');
  ancestors.push(value);
}

function writeArray(array, depth) {
  enter(array);
  const length = array.length;
  room(1 + 5);
  bytes[at++] = TAG_ARRAY;
  const width = widthOf(length);
  uintAt(at, length, width);
  at += width;
  for (let i = 0; i < length; i++) {
    if (!write(array[i], i, depth + 1)) {
      room(1);
      bytes[at++] = TAG_NULL;
    }
  }
  ancestors.pop();
}

function writeObject(object, depth) {
  enter(object);
  const keys = Object.keys(object);
  room(1 + 5);
  bytes[at++] = TAG_OBJECT;
  const countAt = at;
  const width = widthOf(keys.length);
  at += width;
  let count = 0;
  for (let i = 0; i < keys.length; i++) {
    const key = keys[i];
    const member = object[key];
    const start = at;
    writeString(key);
    if (write(member, key, depth + 1)) {
      count++;
      if (depth === 0) {
        topLevel.keys.push(key);
        topLevel.values.push(member);
      }
    } else {
      at = start;
    }
  }
  uintAt(countAt, count, width);
  ancestors.pop();
}
