/**
 * Classifies the changes between two versions of a tracking plan: **breaking** when a
 * call the old plan accepts may be rejected by the new one, **compatible** when every
 * call the old plan accepts is still accepted. Works on the normalized rules the wasm
 * core reads from any export shape (`[{ name, kind, version, description?, schema }]`).
 *
 * A schema is compared keyword by keyword, recursing into `properties`, `items` and
 * `additionalProperties`, and through local `$ref`s. A change the classifier cannot
 * prove compatible (a new `oneOf`, a changed `not`, an unknown keyword, a `$ref` it
 * cannot follow) is breaking: it fails closed.
 *
 * @module trackplan/plan-diff
 */

export const BREAKING = 'breaking';
export const COMPATIBLE = 'compatible';

/** Keywords that change no verdict. */
const ANNOTATIONS = new Set([
  'description', 'title', '$comment', 'examples', 'default', 'readOnly', 'writeOnly',
  'deprecated', 'label', 'labels', 'eventMetadata', '$schema',
]);
/** Bounds that a larger value tightens. */
const LOWER = ['minimum', 'exclusiveMinimum', 'minLength', 'minItems', 'minProperties'];
/** Bounds that a smaller value tightens. */
const UPPER = ['maximum', 'exclusiveMaximum', 'maxLength', 'maxItems', 'maxProperties'];
/** Keywords whose removal only widens, but whose addition or change cannot be told. */
const REMOVABLE = ['oneOf', 'not', 'if', 'then', 'else', 'dependencies', 'propertyNames', 'contains'];
const JSON_TYPES = ['array', 'boolean', 'integer', 'null', 'number', 'object', 'string'];
/** Keywords the handlers below read; any other keyword that changes cannot be told. */
const HANDLED = new Set([
  ...ANNOTATIONS, ...LOWER, ...UPPER, ...REMOVABLE, 'id', '$id', '$ref', 'definitions', '$defs',
  'type', 'enum', 'const', 'multipleOf', 'pattern', 'format', 'uniqueItems', 'properties',
  'required', 'additionalProperties', 'patternProperties', 'items', 'additionalItems', 'anyOf', 'allOf',
]);
const UNRESOLVED = Symbol('unresolved');
const ABSOLUTE_URI = /^[a-z][a-z0-9+.-]*:/i;
const KIND_ORDER = ['common', 'identify', 'group', 'page', 'track'];

/**
 * The changes from one plan's rules to another's, breaking first, each `{ class,
 * change, kind, event, version, path, message }`: `class` is `breaking` or
 * `compatible`, `change` a short code (`enum-narrowed`, `property-added`, …), `event`
 * the event name (the kind for identify, group, page and common rules), `version` the
 * version compared (`1`, or `1 → 2` when the newest changed), `path` where in the
 * payload (`/device/os`, `/tags[]` for their items, `/meta/*` for undeclared
 * properties, `` for the whole payload; null for an event or version added or removed).
 * @param {{ name: string, kind: string, version: number, description?: string, schema: unknown }[]} oldRules
 * @param {{ name: string, kind: string, version: number, description?: string, schema: unknown }[]} newRules
 * @returns {object[]}
 */
export function diffPlans(oldRules, newRules) {
  const before = byEvent(oldRules);
  const after = byEvent(newRules);
  const keys = [...new Set([...before.keys(), ...after.keys()])].sort(compareKeys);
  const changes = keys.flatMap((key) => diffEvent(before.get(key), after.get(key)));
  return [...changes.filter((c) => c.class === BREAKING), ...changes.filter((c) => c.class === COMPATIBLE)];
}

/**
 * The changes from one payload schema to another, each `{ class, change, path, message }`.
 * @param {unknown} oldSchema a JSON Schema (`null` or `undefined`: anything)
 * @param {unknown} newSchema
 * @returns {{ class: string, change: string, path: string, message: string }[]}
 */
export function diffSchemas(oldSchema, newSchema) {
  // Equal documents: nothing to compare (and nothing to resolve, even where `$id`s would defeat it).
  if (deepEqual(oldSchema, newSchema)) return [];
  const ctx = context(oldSchema, newSchema);
  compare(ctx, oldSchema ?? true, newSchema ?? true, '');
  return ctx.out;
}

/** Rules grouped by kind and name: key → { kind, name, versions: Map(version → rule) }. */
function byEvent(rules) {
  const events = new Map();
  for (const rule of rules) {
    const key = `${rule.kind}\u0000${rule.name}`;
    if (!events.has(key)) events.set(key, { kind: rule.kind, name: rule.name, versions: new Map() });
    events.get(key).versions.set(rule.version, rule);
  }
  return events;
}

/** Orders identify, group, page and common rules before track events, then by name. */
function compareKeys(a, b) {
  const [kindA, nameA] = a.split('\u0000');
  const [kindB, nameB] = b.split('\u0000');
  return KIND_ORDER.indexOf(kindA) - KIND_ORDER.indexOf(kindB) || (nameA < nameB ? -1 : nameA > nameB ? 1 : 0);
}

/** The newest version in a `versions` map. */
function newest(versions) {
  return Math.max(...versions.keys());
}

/** The changes of one event (or identify, group, page, common rule) across both plans. */
function diffEvent(before, after) {
  const { kind, name } = before ?? after;
  const at = (version) => (change) => ({ ...change, kind, event: name, version });
  const track = kind === 'track';
  if (!after) {
    const version = String(newest(before.versions));
    return [at(version)(track
      ? entry(BREAKING, 'event-removed', null, 'event removed: its calls are now unplanned (blocked by default)')
      : entry(COMPATIBLE, 'rule-removed', null, `rule removed: ${kind} calls are no longer checked against it`))];
  }
  const newVersion = newest(after.versions);
  if (!before) {
    const added = entry(COMPATIBLE, track ? 'event-added' : 'rule-added', null, track ? 'event added' : 'rule added');
    const constraints = track ? [] : diffRule(undefined, after.versions.get(newVersion));
    return [added, ...constraints].map(at(String(newVersion)));
  }
  const oldVersion = newest(before.versions);
  const label = oldVersion === newVersion ? String(newVersion) : `${oldVersion} → ${newVersion}`;
  const changes = diffRule(before.versions.get(oldVersion), after.versions.get(newVersion)).map(at(label));
  return [...changes, ...diffVersions(before.versions, after.versions, track, oldVersion, newVersion).map((c) => at(c.version)(c))];
}

/**
 * Versions added and removed and, for track events (whose calls may pin a version with
 * `context.protocols.event_version`), the changes of each version kept other than the
 * newest pair. Identify, group, page and common calls always use the newest version.
 */
function diffVersions(before, after, track, oldNewest, newNewest) {
  const changes = [];
  for (const [version, rule] of before) {
    const v = String(version);
    if (!after.has(version)) {
      changes.push(track
        ? { ...entry(BREAKING, 'version-removed', null, `version ${v} removed: calls that pin context.protocols.event_version ${v} are now unplanned`), version: v }
        : { ...entry(COMPATIBLE, 'version-removed', null, `version ${v} removed (calls use the newest version)`), version: v });
    } else if (track && !(version === oldNewest && version === newNewest)) {
      changes.push(...diffRule(rule, after.get(version)).map((c) => ({ ...c, version: v })));
    }
  }
  for (const version of after.keys()) {
    if (!before.has(version)) changes.push({ ...entry(COMPATIBLE, 'version-added', null, `version ${version} added`), version: String(version) });
  }
  return changes;
}

/**
 * The changes of one rule's payload schema. A payload is always an object (a call's
 * properties or traits), so a root schema without `type` is read as `type: "object"`,
 * and a missing rule (an identify, group, page or common rule added) or one that does
 * not constrain the payload as `{ "type": "object" }`.
 */
function diffRule(oldRule, newRule) {
  const changes = diffSchemas(payloadSchema(oldRule), payloadSchema(newRule));
  const docs = changes.filter((c) => c.change === 'documentation');
  if (oldRule && (oldRule.description ?? '') !== (newRule.description ?? '') && !docs.some((c) => c.path === '')) {
    docs.unshift({ ...entry(COMPATIBLE, 'documentation', '', ''), keywords: ['description'] });
  }
  const rest = changes.filter((c) => c.change !== 'documentation');
  return docs.length ? [...rest, documentationOf(docs)] : rest;
}

/** The documentation changes of one rule as one change: where, if in one place, and which keywords. */
function documentationOf(docs) {
  const keywords = [...new Set(docs.flatMap((c) => c.keywords))];
  const properties = docs.filter((c) => c.path !== '').length;
  const places = docs.length === 1 ? '' : ` (${docs.some((c) => c.path === '') ? 'the payload and ' : ''}${properties} propert${properties === 1 ? 'y' : 'ies'})`;
  return entry(COMPATIBLE, 'documentation', docs.length === 1 ? docs[0].path : '', `documentation only: ${keywords.join(', ')} changed${places}`);
}

/** A rule's payload schema, an object's at its root. */
function payloadSchema(rule) {
  const schema = rule?.schema ?? true;
  if (schema === true) return { type: 'object' };
  return schema && typeof schema === 'object' && !Array.isArray(schema) && schema.type === undefined && schema.$ref === undefined
    ? { ...schema, type: 'object' }
    : schema;
}

/** One classified change. */
function entry(kind, change, path, message) {
  return { class: kind, change, path, message };
}

/** The state of one schema comparison: both documents (for `$ref`), the pairs of references under way, the changes found. */
function context(oldRoot, newRoot) {
  return { old: resolver(oldRoot), new: resolver(newRoot), seen: new Set(), out: [] };
}

/**
 * `ref → schema` for local references of `root` (`#`, `#/definitions/x`), `{ external }`
 * for an absolute URI the document does not declare, UNRESOLVED when the document
 * declares identifiers below its root (then references depend on base URIs this
 * classifier does not follow).
 */
function resolver(root) {
  const ids = declaresIds(root, true);
  return (ref) => {
    if (ids) return UNRESOLVED;
    if (ref.startsWith('#')) return pointer(root, ref.slice(1));
    return ABSOLUTE_URI.test(ref) ? { external: ref } : UNRESOLVED;
  };
}

/**
 * Whether a legacy `id` declares an identifier as the core reads it (an absolute URI or
 * a `#name`), rather than being Segment's location annotation (`/properties/x`).
 */
function declaresId(id) {
  return typeof id === 'string' && (/^#[A-Za-z]/.test(id) || ABSOLUTE_URI.test(id));
}

/** Whether a schema declares an identifier (`$id`, or an `id` that is one) below its root. */
function declaresIds(value, isRoot = false) {
  if (Array.isArray(value)) return value.some((v) => declaresIds(v));
  if (!value || typeof value !== 'object') return false;
  if (!isRoot && ('$id' in value || declaresId(value.id))) return true;
  return Object.entries(value).some(([key, v]) => key !== 'enum' && key !== 'const' && declaresIds(v));
}

/** The value at a URI fragment's JSON pointer in `root`, or UNRESOLVED. */
function pointer(root, fragment) {
  let value = root;
  let decoded;
  try {
    decoded = decodeURIComponent(fragment);
  } catch {
    return UNRESOLVED;
  }
  if (decoded === '') return root;
  if (!decoded.startsWith('/')) return UNRESOLVED;
  for (const token of decoded.slice(1).split('/')) {
    const key = token.replace(/~1/g, '/').replace(/~0/g, '~');
    if (!value || typeof value !== 'object' || !Object.hasOwn(value, key)) return UNRESOLVED;
    value = value[key];
  }
  return value;
}

/** Whether two JSON values are equal. */
export function deepEqual(a, b) {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  const keysA = Object.keys(a);
  if (keysA.length !== Object.keys(b).length) return false;
  return keysA.every((k) => Object.hasOwn(b, k) && deepEqual(a[k], b[k]));
}

/**
 * Whether two subschemas surely mean the same: equal, and every `$ref` they reach
 * designates equal schemas in both documents.
 */
function sameMeaning(ctx, a, b) {
  if (!deepEqual(a, b)) return false;
  const pending = refsIn(a);
  const done = new Set();
  while (pending.length) {
    const ref = pending.pop();
    if (done.has(ref)) continue;
    done.add(ref);
    const [x, y] = [ctx.old(ref), ctx.new(ref)];
    if (x === UNRESOLVED || y === UNRESOLVED || !deepEqual(x, y)) return false;
    pending.push(...refsIn(x));
  }
  return true;
}

/** The `$ref` strings anywhere in a value. */
function refsIn(value, out = []) {
  if (Array.isArray(value)) value.forEach((v) => refsIn(v, out));
  else if (value && typeof value === 'object') {
    if (typeof value.$ref === 'string') out.push(value.$ref);
    for (const [key, v] of Object.entries(value)) if (key !== 'enum' && key !== 'const') refsIn(v, out);
  }
  return out;
}

/**
 * Follows `schema`'s `$ref`s (draft-07: siblings ignored) to the schema it means:
 * `{ schema, refs }`, or `{ error }` when a reference cannot be followed.
 */
function deref(resolve, schema) {
  const refs = [];
  let current = schema;
  while (current && typeof current === 'object' && typeof current.$ref === 'string') {
    if (refs.includes(current.$ref) || refs.length > 32) return { error: `$ref ${JSON.stringify(current.$ref)} leads to itself` };
    refs.push(current.$ref);
    const target = resolve(current.$ref);
    if (target === UNRESOLVED) return { error: `$ref ${JSON.stringify(current.$ref)} cannot be followed` };
    if (target && typeof target === 'object' && 'external' in target) return { schema: target, refs, external: true };
    current = target;
  }
  return { schema: current, refs };
}

/** Compares two subschemas at `path`, pushing what changed onto `ctx.out`. */
function compare(ctx, a, b, path) {
  if (sameMeaning(ctx, a, b)) return;
  const x = deref(ctx.old, a);
  const y = deref(ctx.new, b);
  if (x.error || y.error) return cannotTell(ctx, path, x.error ?? y.error);
  if (x.refs.length || y.refs.length) {
    const pair = `${x.refs.join(' ')}\u0000${y.refs.join(' ')}`;
    if (ctx.seen.has(pair)) return; // already being compared further up: assume equal
    ctx.seen.add(pair);
  }
  if (x.external || y.external) {
    if (!(x.external && y.external && x.schema.external === y.schema.external)) cannotTell(ctx, path, '$ref changed');
    return;
  }
  compareResolved(ctx, x.schema ?? true, y.schema ?? true, path);
}

/** Compares two subschemas without `$ref` at their top. */
function compareResolved(ctx, a, b, path) {
  if (a === false) return void ctx.out.push(entry(COMPATIBLE, 'widened', path, 'was never accepted, now accepted'));
  if (b === false) return void ctx.out.push(entry(BREAKING, 'narrowed', path, 'no value is accepted any more'));
  const [s, t] = [a === true ? {} : a, b === true ? {} : b];
  const isSchema = (x) => x !== null && typeof x === 'object' && !Array.isArray(x);
  if (!isSchema(s) || !isSchema(t)) return cannotTell(ctx, path, 'the schema is not an object or a boolean');
  for (const handler of HANDLERS) handler(ctx, s, t, path);
  for (const key of new Set([...Object.keys(s), ...Object.keys(t)])) {
    if (!HANDLED.has(key) && !sameMeaning(ctx, s[key], t[key])) cannotTell(ctx, path, `\`${key}\` changed`);
  }
}

/** Records a change the classifier cannot prove compatible: breaking. */
function cannotTell(ctx, path, what) {
  ctx.out.push(entry(BREAKING, 'cannot-tell', path, `cannot tell: ${what}; treated as breaking`));
}

/** A list of values for messages: `"a", "b"`. */
function values(list) {
  return list.map((v) => JSON.stringify(v)).join(', ');
}

/** Description, title, labels and other annotations; Segment's `id` locations too. */
function documentation(ctx, a, b, path) {
  const changed = [...new Set([...Object.keys(a), ...Object.keys(b)])].filter((k) => ANNOTATIONS.has(k) && !deepEqual(a[k], b[k]));
  if (!deepEqual(a.id, b.id)) {
    const annotation = (id) => id === undefined || (typeof id === 'string' && !declaresId(id));
    if (annotation(a.id) && annotation(b.id)) changed.push('id');
    else cannotTell(ctx, path, '`id` changed');
  }
  if (!deepEqual(a.$id, b.$id)) cannotTell(ctx, path, '`$id` changed');
  if (changed.length) {
    ctx.out.push({ ...entry(COMPATIBLE, 'documentation', path, `documentation only: ${changed.join(', ')} changed`), keywords: changed });
  }
}

/** The JSON types a schema's `type` allows, or null for any. */
function typesOf(schema) {
  if (schema.type === undefined) return null;
  return Array.isArray(schema.type) ? schema.type : [schema.type];
}

/** Whether a `type` list (null: any) accepts values of JSON type `t`. */
function accepts(types, t) {
  return types === null || types.includes(t) || (t === 'integer' && types.includes('number'));
}

/** `type`: types no longer accepted narrow it, types newly accepted widen it. */
function types(ctx, a, b, path) {
  const [before, after] = [typesOf(a), typesOf(b)];
  if (deepEqual(before, after)) return;
  if ([before, after].some((list) => list !== null && !list.every((t) => JSON_TYPES.includes(t)))) {
    return cannotTell(ctx, path, '`type` names an unknown type');
  }
  const show = (list) => (list === null ? 'any' : list.join(' | '));
  const narrowed = (before ?? JSON_TYPES).filter((t) => !accepts(after, t));
  const widened = (after ?? JSON_TYPES).filter((t) => !accepts(before, t));
  const message = `type ${show(before)} → ${show(after)}`;
  const lost = narrowed.map((t) => (t === 'number' && accepts(after, 'integer') ? 'non-integer numbers' : t));
  if (narrowed.length) ctx.out.push(entry(BREAKING, 'type-narrowed', path, `${message}: ${lost.join(', ')} no longer accepted`));
  if (widened.length) ctx.out.push(entry(COMPATIBLE, 'type-widened', path, `${message}: ${widened.join(', ')} now accepted`));
}

/** `enum`: values removed (or an enum added) narrow it, values added (or the enum removed) widen it. */
function enumeration(ctx, a, b, path) {
  if (deepEqual(a.enum, b.enum)) return;
  if (a.enum === undefined) return void ctx.out.push(entry(BREAKING, 'enum-added', path, `enum added: only ${values(b.enum ?? [])} accepted`));
  if (b.enum === undefined) return void ctx.out.push(entry(COMPATIBLE, 'enum-removed', path, 'enum removed: any value of the type accepted'));
  if (!Array.isArray(a.enum) || !Array.isArray(b.enum)) return cannotTell(ctx, path, '`enum` is not a list');
  const removed = a.enum.filter((v) => !b.enum.some((w) => deepEqual(v, w)));
  const added = b.enum.filter((v) => !a.enum.some((w) => deepEqual(v, w)));
  if (removed.length) ctx.out.push(entry(BREAKING, 'enum-narrowed', path, `enum value${removed.length > 1 ? 's' : ''} ${values(removed)} removed`));
  if (added.length) ctx.out.push(entry(COMPATIBLE, 'enum-widened', path, `enum value${added.length > 1 ? 's' : ''} ${values(added)} added`));
}

/** `const`: added or changed narrows it, removed widens it. */
function constant(ctx, a, b, path) {
  const [had, has] = [Object.hasOwn(a, 'const'), Object.hasOwn(b, 'const')];
  if (had && has && deepEqual(a.const, b.const)) return;
  if (has) {
    const message = had ? `const ${JSON.stringify(a.const)} → ${JSON.stringify(b.const)}` : `const added: only ${JSON.stringify(b.const)} accepted`;
    ctx.out.push(entry(BREAKING, had ? 'const-changed' : 'const-added', path, message));
  } else if (had) {
    ctx.out.push(entry(COMPATIBLE, 'const-removed', path, 'const removed'));
  }
}

/** Minimum and maximum bounds of numbers, lengths, item and property counts. */
function bounds(ctx, a, b, path) {
  for (const [keywords, tighter] of [[LOWER, (x, y) => y > x], [UPPER, (x, y) => y < x]]) {
    for (const k of keywords) {
      const [x, y] = [a[k], b[k]];
      if (x === y) continue;
      if ((x !== undefined && typeof x !== 'number') || (y !== undefined && typeof y !== 'number')) {
        cannotTell(ctx, path, `\`${k}\` is not a number`);
      } else if (y !== undefined && (x === undefined || tighter(x, y))) {
        ctx.out.push(entry(BREAKING, 'bound-tightened', path, `${k} ${x ?? 'none'} → ${y}`));
      } else {
        ctx.out.push(entry(COMPATIBLE, 'bound-relaxed', path, `${k} ${x} → ${y ?? 'none'}`));
      }
    }
  }
}

/** `multipleOf`: relaxed only to a divisor of the old value (every old multiple still fits). */
function multipleOf(ctx, a, b, path) {
  const [x, y] = [a.multipleOf, b.multipleOf];
  if (x === y) return;
  if ((x !== undefined && typeof x !== 'number') || (y !== undefined && typeof y !== 'number')) {
    return cannotTell(ctx, path, '`multipleOf` is not a number');
  }
  const relaxed = y === undefined || (x !== undefined && Number.isInteger(x / y));
  ctx.out.push(entry(relaxed ? COMPATIBLE : BREAKING, relaxed ? 'bound-relaxed' : 'bound-tightened', path, `multipleOf ${x ?? 'none'} → ${y ?? 'none'}`));
}

/** `pattern` and `format`: added or changed is breaking, removed compatible. */
function stringRules(ctx, a, b, path) {
  for (const k of ['pattern', 'format']) {
    const [x, y] = [a[k], b[k]];
    if (deepEqual(x, y)) continue;
    if (y === undefined) ctx.out.push(entry(COMPATIBLE, `${k}-removed`, path, `${k} ${JSON.stringify(x)} removed`));
    else ctx.out.push(entry(BREAKING, `${k}-changed`, path, x === undefined ? `${k} ${JSON.stringify(y)} added` : `${k} ${JSON.stringify(x)} → ${JSON.stringify(y)}`));
  }
}

/** `uniqueItems` turned on is breaking, off compatible. */
function uniqueItems(ctx, a, b, path) {
  const [x, y] = [a.uniqueItems === true, b.uniqueItems === true];
  if (x === y) return;
  ctx.out.push(y ? entry(BREAKING, 'unique-items-added', path, 'items must now be unique') : entry(COMPATIBLE, 'unique-items-removed', path, 'items no longer need be unique'));
}

/** The path of property `name` under `path`. */
function child(path, name) {
  return `${path}/${name.replace(/~/g, '~0').replace(/\//g, '~1')}`;
}

/** `additionalProperties` as a schema: absent is `true`. */
function extra(schema) {
  return schema.additionalProperties === undefined ? true : schema.additionalProperties;
}

/** `properties`, `required`, `additionalProperties` and `patternProperties`. */
function objects(ctx, a, b, path) {
  const [pa, pb] = [a.properties ?? {}, b.properties ?? {}];
  const [ra, rb] = [a.required ?? [], b.required ?? []];
  if ([pa, pb].some((p) => typeof p !== 'object' || p === null || Array.isArray(p)) || ![ra, rb].every(Array.isArray)) {
    return cannotTell(ctx, path, '`properties` or `required` is malformed');
  }
  const patterns = a.patternProperties !== undefined || b.patternProperties !== undefined;
  if (patterns && !sameMeaning(ctx, a.patternProperties, b.patternProperties)) cannotTell(ctx, path, '`patternProperties` changed');
  for (const name of new Set([...Object.keys(pa), ...Object.keys(pb)])) {
    const at = child(path, name);
    if (Object.hasOwn(pa, name) && Object.hasOwn(pb, name)) compare(ctx, pa[name], pb[name], at);
    else if (patterns) cannotTell(ctx, at, `property ${Object.hasOwn(pa, name) ? 'removed' : 'added'} where patternProperties apply`);
    else if (Object.hasOwn(pa, name)) propertyRemoved(ctx, pa[name], extra(b), at);
    else if (!rb.includes(name) || ra.includes(name)) propertyAdded(ctx, extra(a), pb[name], at);
  }
  for (const name of rb.filter((n) => !ra.includes(n))) {
    const message = Object.hasOwn(pa, name) ? 'property made required' : 'new required property';
    ctx.out.push(entry(BREAKING, 'property-required', child(path, name), message));
  }
  for (const name of ra.filter((n) => !rb.includes(n))) {
    ctx.out.push(entry(COMPATIBLE, 'property-optional', child(path, name), 'property made optional'));
  }
  additional(ctx, a, b, path);
}

/** A property the new schema no longer declares: now governed by its `additionalProperties`. */
function propertyRemoved(ctx, before, rest, path) {
  if (rest === false) {
    return void ctx.out.push(entry(BREAKING, 'property-removed', path, 'property removed while additionalProperties is false: calls that send it are rejected'));
  }
  const found = ctx.out.length;
  if (rest !== true) compare(ctx, before, rest, path);
  if (!ctx.out.slice(found).some((c) => c.class === BREAKING)) {
    ctx.out.push(entry(COMPATIBLE, 'property-removed', path, 'property removed: no longer planned (trackplan omits it from calls that still send it)'));
  }
}

/** A property the old schema did not declare: was governed by its `additionalProperties`. */
function propertyAdded(ctx, rest, after, path) {
  if (rest !== true && rest !== false) return compare(ctx, rest, after, path);
  ctx.out.push(entry(COMPATIBLE, 'property-added', path, 'optional property added'));
}

/** `additionalProperties`: turned false is breaking, a schema is compared at `/*`. */
function additional(ctx, a, b, path) {
  const [x, y] = [extra(a), extra(b)];
  if (sameMeaning(ctx, x, y)) return;
  if (y === false) return void ctx.out.push(entry(BREAKING, 'additional-properties-closed', path, 'additionalProperties turned false: properties the plan does not declare are rejected'));
  if (x === false) return void ctx.out.push(entry(COMPATIBLE, 'additional-properties-opened', path, 'additionalProperties no longer false: undeclared properties accepted'));
  compare(ctx, x, y, `${path}/*`);
}

/** `items` (one schema, or a list of the same length) and `additionalItems`. */
function arrays(ctx, a, b, path) {
  const [x, y] = [a.items ?? true, b.items ?? true];
  if (Array.isArray(x) !== Array.isArray(y) || (Array.isArray(x) && x.length !== y.length)) {
    cannotTell(ctx, path, '`items` changed between a schema and a list');
  } else if (Array.isArray(x)) {
    x.forEach((item, i) => compare(ctx, item, y[i], `${path}[${i}]`));
  } else {
    compare(ctx, x, y, `${path}[]`);
  }
  if (!sameMeaning(ctx, a.additionalItems, b.additionalItems)) cannotTell(ctx, path, '`additionalItems` changed');
}

/**
 * `anyOf` with alternatives only added, and `allOf` with members only removed, widen;
 * `oneOf`, `not`, `if`/`then`/`else`, `dependencies`, `propertyNames` and `contains`
 * widen when removed. Any other change to them cannot be told.
 */
function combinators(ctx, a, b, path) {
  const within = (small, large) => Array.isArray(small) && Array.isArray(large) && small.every((s) => large.some((l) => sameMeaning(ctx, s, l)));
  const checks = [
    ['anyOf', b.anyOf === undefined || within(a.anyOf, b.anyOf)],
    ['allOf', b.allOf === undefined || within(b.allOf, a.allOf)],
    ...REMOVABLE.map((k) => [k, b[k] === undefined]),
  ];
  for (const [k, widens] of checks) {
    if (sameMeaning(ctx, a[k], b[k])) continue;
    if (widens && b[k] === undefined) ctx.out.push(entry(COMPATIBLE, 'constraint-removed', path, `\`${k}\` removed`));
    else if (widens) ctx.out.push(entry(COMPATIBLE, 'widened', path, `\`${k}\` widened: ${k === 'anyOf' ? 'alternatives added' : 'members removed'}`));
    else cannotTell(ctx, path, `\`${k}\` ${a[k] === undefined ? 'added' : 'changed'}`);
  }
}

const HANDLERS = [documentation, types, enumeration, constant, bounds, multipleOf, stringRules, uniqueItems, objects, arrays, combinators];
