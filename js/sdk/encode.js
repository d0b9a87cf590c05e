/**
 * The binary form in which a call crosses into the wasm core, and the snapshot of what
 * crossed: both made in one pass over the page's value, with `JSON.stringify`'s
 * semantics (`toJSON` is called, `Number`, `String` and `Boolean` objects are their
 * values, `undefined`, functions and symbols are left out of objects and are `null` in
 * arrays, as are non-finite numbers; a cycle or a BigInt is an error).
 *
 * The snapshot is what analytics.js is handed: plain objects, arrays and primitives
 * holding exactly the values the core validated (a lone surrogate is U+FFFD in both,
 * `-0` is `0`), so that nothing the page does afterwards — a mutation, a getter that
 * answers differently, a Proxy — changes what is sent. Each value is read once.
 *
 * The form: the call's name (the event name, page name or userId), when it has one, as a
 * string (`Reader::str` in `src/binary.rs`), then its payload as a JSON value
 * (`Reader::value`): a tag (`TAG_*`, from `src/protocol.rs`), then the value's parts — a
 * number's eight little-endian bytes; a string's length and UTF-8; an array's length and
 * items; an object's member count, then each key as a string without tag and its value.
 * Lengths and counts are unsigned LEB128; where one is known only after the part is
 * written, the room for the largest it could be is kept and the figure padded
 * (continuation bytes of zero bits), which LEB128 readers accept.
 *
 * Each call is written in a buffer of its own (the one kept between calls, unless a
 * getter of the payload is itself making a call): no state is shared by two calls.
 *
 * @module trackplan/sdk/encode
 */

import { MAX_DEPTH, TAG_ARRAY, TAG_FALSE, TAG_NULL, TAG_NUMBER, TAG_OBJECT, TAG_STRING, TAG_TRUE } from './protocol.js';

const utf8 = new TextEncoder();

/** A buffer kept between calls (taken by a call, given back when it ends); larger ones are let go. */
let spare = null;
const KEPT_SIZE = 1 << 16;

/**
 * Why a value is not JSON data, as an error whose message says so. Thrown by the writer,
 * never by page code.
 */
export class NotData extends Error {}

/**
 * Writes `name`, when given, then `value` in the binary form, and snapshots `value`.
 * @param {unknown} value
 * @param {string} [name] the call's name
 * @returns {{ bytes: Uint8Array, snapshot: unknown }} `bytes` the call's own copy;
 *   `snapshot` the value as it was written
 * @throws {NotData} when `value` is not JSON data (a function, a symbol, a cycle, a
 *   BigInt, nesting deeper than `MAX_DEPTH`), or when reading it threw (a getter,
 *   `toJSON`, a Proxy), saying why in words that never throw
 */
export function encode(value, name) {
  const writer = new Writer(spare ?? new Uint8Array(4096));
  spare = null;
  try {
    if (name !== undefined) writer.string(name);
    const snapshot = writer.value(value, '', 0);
    if (snapshot === undefined) throw new NotData('a function or symbol is not data');
    return { bytes: writer.bytes.slice(0, writer.at), snapshot };
  } catch (error) {
    throw error instanceof NotData ? error : new NotData(reasonOf(error));
  } finally {
    if (writer.bytes.length <= KEPT_SIZE) spare = writer.bytes;
  }
}

/**
 * What the page's code threw, in words, whatever it threw (an object whose `message`
 * getter throws, a Proxy, a symbol): never throws itself.
 * @param {unknown} error
 * @returns {string}
 */
export function reasonOf(error) {
  try {
    const message = /** @type {{ message?: unknown } | null | undefined} */ (error)?.message;
    if (typeof message === 'string') return `reading it threw: ${message}`;
  } catch {
    // A message that cannot be read says nothing more.
  }
  return 'reading it threw';
}

/**
 * The input of a call whose payload is not data: `name`, when given, as a string of the
 * binary form, then the UTF-8 of `reason` as it is (neither tag nor length), as the core
 * reads it with its `FLAG_PAYLOAD_ERROR` flag.
 * @param {string | undefined} name
 * @param {string} reason why the payload is not data
 * @returns {Uint8Array}
 */
export function encodeReason(name, reason) {
  const writer = new Writer(new Uint8Array(64));
  if (name !== undefined) writer.string(name);
  writer.raw(utf8.encode(reason));
  return writer.bytes.slice(0, writer.at);
}

/** How many bytes LEB128 takes for `n` (below 2^35). */
function widthOf(n) {
  return n < 0x80 ? 1 : n < 0x4000 ? 2 : n < 0x200000 ? 3 : n < 0x10000000 ? 4 : 5;
}

/**
 * `s` with each lone surrogate replaced by U+FFFD, as its UTF-8 encoding makes it.
 * @param {string} s
 * @returns {string}
 */
export function wellFormed(s) {
  if (typeof s.isWellFormed === 'function') return s.isWellFormed() ? s : s.toWellFormed();
  return s.replace(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g, '\uFFFD');
}

/**
 * The bytes of a string's UTF-8 (a lone surrogate as U+FFFD, 3 bytes), counted without
 * encoding it; 0 for what is not a string.
 * @param {unknown} s
 * @returns {number}
 */
export function utf8Length(s) {
  if (typeof s !== 'string') return 0;
  let n = s.length;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x80) continue;
    // 2 bytes below U+0800, else 3; a surrogate pair's 4 are its high half's 1 + 2 and its low half's 1.
    n += c < 0x800 ? 1 : 2;
    if (c >= 0xd800 && c <= 0xdbff && (s.charCodeAt(i + 1) & 0xfc00) === 0xdc00) i++;
  }
  return n;
}

/** Writes one call into a buffer of its own, growing it as needed (never writing twice). */
class Writer {
  /** @param {Uint8Array} bytes */
  constructor(bytes) {
    this.bytes = bytes;
    this.view = new DataView(bytes.buffer);
    this.at = 0;
    /** The arrays and objects being written, outermost first. */
    this.ancestors = [];
  }

  /** Makes room for `n` more bytes. */
  room(n) {
    if (this.at + n <= this.bytes.length) return;
    const bigger = new Uint8Array(Math.max(this.bytes.length * 2, this.at + n));
    bigger.set(this.bytes.subarray(0, this.at));
    this.bytes = bigger;
    this.view = new DataView(bigger.buffer);
  }

  /** Writes `n` as LEB128 in exactly `width` bytes at `at`, padded. */
  uintAt(at, n, width) {
    for (let i = 1; i < width; i++) {
      this.bytes[at++] = (n % 0x80) | 0x80;
      n = Math.floor(n / 0x80);
    }
    this.bytes[at] = n;
  }

  /** Writes bytes as they are. */
  raw(bytes) {
    this.room(bytes.length);
    this.bytes.set(bytes, this.at);
    this.at += bytes.length;
  }

  /**
   * Writes a string's length and UTF-8 (a lone surrogate becomes U+FFFD); returns the
   * string as written.
   */
  string(s) {
    const length = s.length;
    const width = widthOf(length * 3);
    this.room(width + length * 3);
    const start = this.at + width;
    let end = start;
    let i = 0;
    // ASCII byte by byte: one `encodeInto` costs more than most strings' whole loop.
    for (; i < length; i++) {
      const c = s.charCodeAt(i);
      if (c >= 0x80) break;
      this.bytes[end++] = c;
    }
    if (i < length) {
      s = wellFormed(s);
      end += utf8.encodeInto(i === 0 ? s : s.slice(i), this.bytes.subarray(end)).written;
    }
    this.uintAt(this.at, end - start, width);
    this.at = end;
    return s;
  }

  /**
   * Writes a value and returns its snapshot, or returns undefined (writing nothing) when
   * JSON leaves it out (`undefined`, a function, a symbol). `key` (a member's name or an
   * item's index) is what `toJSON` is given, as a string.
   */
  value(value, key, depth) {
    this.room(9);
    switch (typeof value) {
      case 'string':
        this.bytes[this.at++] = TAG_STRING;
        return this.string(value);
      case 'number':
        if (!Number.isFinite(value)) {
          this.bytes[this.at++] = TAG_NULL;
          return null;
        }
        this.bytes[this.at] = TAG_NUMBER;
        this.view.setFloat64(this.at + 1, value === 0 ? 0 : value, true);
        this.at += 9;
        return value === 0 ? 0 : value;
      case 'boolean':
        this.bytes[this.at++] = value ? TAG_TRUE : TAG_FALSE;
        return value;
      case 'bigint':
        // BigInt.prototype.toJSON is not standard; JSON.stringify calls it when a page adds it.
        if (typeof (/** @type {any} */ (value).toJSON) === 'function') return this.value(/** @type {any} */ (value).toJSON(String(key)), key, depth);
        throw new NotData('a BigInt is not JSON data');
      case 'object':
        return value === null ? this.null() : this.object(value, key, depth);
      default:
        return undefined;
    }
  }

  null() {
    this.bytes[this.at++] = TAG_NULL;
    return null;
  }

  /** Writes an object or array (or what its `toJSON` gives, or a wrapper's primitive). */
  object(value, key, depth) {
    if (typeof value.toJSON === 'function') return this.value(value.toJSON(String(key)), key, depth);
    if (Array.isArray(value)) return this.nested(value, depth, () => this.array(value, depth));
    if (Object.getPrototypeOf(value) !== Object.prototype) {
      if (value instanceof Number) return this.value(Number(value), key, depth);
      if (value instanceof String) return this.value(String(value), key, depth);
      if (value instanceof Boolean) return this.value(value.valueOf(), key, depth);
    }
    return this.nested(value, depth, () => this.members(value, depth));
  }

  /** Runs `write` inside `value`: refuses nesting past `MAX_DEPTH`, saying whether it is a cycle. */
  nested(value, depth, write) {
    if (depth >= MAX_DEPTH) {
      const cycle = this.ancestors.includes(value);
      throw new NotData(cycle ? 'it contains itself (a circular structure)' : `nesting deeper than ${MAX_DEPTH} levels`);
    }
    this.ancestors.push(value);
    const snapshot = write();
    this.ancestors.pop();
    return snapshot;
  }

  array(array, depth) {
    const length = array.length;
    const width = widthOf(length);
    this.room(1 + width);
    this.bytes[this.at] = TAG_ARRAY;
    this.uintAt(this.at + 1, length, width);
    this.at += 1 + width;
    const snapshot = new Array(length);
    for (let i = 0; i < length; i++) {
      const item = this.value(array[i], i, depth + 1);
      snapshot[i] = item === undefined ? this.null() : item;
    }
    return snapshot;
  }

  members(object, depth) {
    const keys = Object.keys(object);
    const width = widthOf(keys.length);
    this.room(1 + width);
    this.bytes[this.at] = TAG_OBJECT;
    const countAt = this.at + 1;
    this.at += 1 + width;
    const snapshot = {};
    let count = 0;
    for (const key of keys) {
      const start = this.at;
      const written = this.string(key);
      const member = this.value(object[key], key, depth + 1);
      if (member === undefined) {
        this.at = start;
        continue;
      }
      if (written === '__proto__') Object.defineProperty(snapshot, written, { value: member, enumerable: true, writable: true, configurable: true });
      else snapshot[written] = member;
      count++;
    }
    this.uintAt(countAt, count, width);
    return snapshot;
  }
}
