/**
 * TypeScript declarations for a plan: JSON Schema → TypeScript. `required` → required
 * properties, `enum`/`const` → literal unions, `type` arrays with `null` → nullable
 * types, `items` → arrays, nested `properties` → object types, `$ref` to
 * `#/definitions/…` → inlined, `anyOf`/`oneOf` → unions, `allOf` → intersections,
 * `description` → JSDoc. The plan is normalized by the wasm core (every export shape,
 * wrapped or unwrapped schemas). The track rules fill `PlannedEvents`; the identify,
 * page and group rules `PlannedTraits`, `PlannedPageProperties` and `PlannedGroupTraits`.
 * Used by `trackplan types` and `trackplan build`.
 *
 * @module trackplan/node/types
 */

const IDENTIFIER = /^[A-Za-z_$][A-Za-z0-9_$]*$/;

/** A TypeScript property key: bare when it is an identifier, quoted otherwise. */
function key(name) {
  return IDENTIFIER.test(name) ? name : JSON.stringify(name);
}

/** A JSDoc comment (or nothing) at `indent`. */
function doc(description, indent) {
  if (typeof description !== 'string' || !description.trim()) return '';
  const lines = description.trim().replace(/\*\//g, '*\\/').split(/\r?\n/);
  if (lines.length === 1) return `${indent}/** ${lines[0]} */\n`;
  return `${indent}/**\n${lines.map((l) => `${indent} * ${l}`.trimEnd()).join('\n')}\n${indent} */\n`;
}

/** Converts one JSON Schema document (a payload schema) to TypeScript type text. */
class Converter {
  /** @param {object} root the document, for `#/…` references */
  constructor(root) {
    this.root = root;
    this.resolving = new Set();
  }

  /** The type of `schema`, its nested lines indented after `indent`. */
  type(schema, indent) {
    if (schema === true || schema === undefined || schema === null) return 'unknown';
    if (schema === false) return 'never';
    if (typeof schema.$ref === 'string') return this.ref(schema.$ref, indent);
    if ('const' in schema) return JSON.stringify(schema.const);
    if (Array.isArray(schema.enum)) return schema.enum.map((v) => JSON.stringify(v)).join(' | ') || 'never';
    for (const [keyword, joiner] of [['anyOf', ' | '], ['oneOf', ' | '], ['allOf', ' & ']]) {
      if (Array.isArray(schema[keyword])) {
        return schema[keyword].map((s) => `(${this.type(s, indent)})`).join(joiner);
      }
    }
    const types = Array.isArray(schema.type) ? schema.type : schema.type ? [schema.type] : [];
    if (types.length === 0) {
      return schema.properties || schema.items ? this.structured(schema, indent, schema.properties ? 'object' : 'array') : 'unknown';
    }
    return [...new Set(types.map((t) => this.structured(schema, indent, t)))].join(' | ');
  }

  /** The type for one JSON type name. */
  structured(schema, indent, type) {
    switch (type) {
      case 'string':
        return 'string';
      case 'number':
      case 'integer':
        return 'number';
      case 'boolean':
        return 'boolean';
      case 'null':
        return 'null';
      case 'array':
        return Array.isArray(schema.items)
          ? `[${schema.items.map((s) => this.type(s, indent)).join(', ')}]`
          : `Array<${this.type(schema.items, indent)}>`;
      case 'object':
        return this.object(schema, indent);
      default:
        return 'unknown';
    }
  }

  /** An object type from `properties` and `required`; open when it declares none. */
  object(schema, indent) {
    const properties = schema.properties && typeof schema.properties === 'object' ? schema.properties : {};
    const names = Object.keys(properties);
    if (names.length === 0) return 'Record<string, unknown>';
    const required = new Set(Array.isArray(schema.required) ? schema.required : []);
    const inner = `${indent}  `;
    const lines = names.map((name) => {
      const property = properties[name];
      const optional = required.has(name) ? '' : '?';
      return `${doc(property?.description, inner)}${inner}${key(name)}${optional}: ${this.type(property, inner)};`;
    });
    return `{\n${lines.join('\n')}\n${indent}}`;
  }

  /** A `#/…` reference, inlined; a reference cycle becomes `unknown`. */
  ref(pointer, indent) {
    if (!pointer.startsWith('#') || this.resolving.has(pointer)) return 'unknown';
    const target = pointer
      .slice(1)
      .split('/')
      .slice(1)
      .map((s) => decodeURIComponent(s).replace(/~1/g, '/').replace(/~0/g, '~'))
      .reduce((node, segment) => (node && typeof node === 'object' ? node[segment] : undefined), this.root);
    if (target === undefined) return 'unknown';
    this.resolving.add(pointer);
    const type = this.type(target, indent);
    this.resolving.delete(pointer);
    return type;
  }
}

/** The newest version of each rule of `kind`, in plan order. */
function newest(rules, kind) {
  const byName = new Map();
  for (const rule of rules) {
    if (rule.kind !== kind) continue;
    const seen = byName.get(rule.name);
    if (!seen || rule.version > seen.version) byName.set(rule.name, rule);
  }
  return [...byName.values()];
}

/** The interface each non-track rule's payload fills, by the rule's kind. */
const PAYLOAD_INTERFACES = [
  ['identify', 'PlannedTraits'],
  ['page', 'PlannedPageProperties'],
  ['group', 'PlannedGroupTraits'],
];

/**
 * The interface declaration for the newest rule of `kind` (its payload's properties), or
 * `''` when the plan has no such rule or it declares no properties: the interface then
 * stays empty, and the call takes any object.
 */
function payloadInterface(rules, kind, name) {
  const [rule] = newest(rules, kind);
  const type = rule?.schema ? new Converter(rule.schema).object(rule.schema, '  ') : null;
  return type && type.startsWith('{') ? `\n${doc(rule.description, '  ')}  interface ${name} ${type}\n` : '';
}

/**
 * Declarations for a plan's rules (as `planRules` returns them): an augmentation of
 * `module`'s `PlannedEvents` (track), `PlannedTraits` (identify),
 * `PlannedPageProperties` (page) and `PlannedGroupTraits` (group).
 * @param {Array<{ name: string, kind: string, version: number, description?: string, schema: object | null }>} rules
 * @param {string} source what the declarations were generated from, for the header
 * @param {{ module?: string, by?: string }} [options] the module augmented (`trackplan`),
 *   and what generated them, for the header (`trackplan types`)
 * @returns {string}
 */
export function declarations(rules, source, { module = 'trackplan', by = 'trackplan types' } = {}) {
  const events = newest(rules, 'track').map((rule) => {
    const type = rule.schema ? new Converter(rule.schema).object(rule.schema, '    ') : 'Record<string, unknown>';
    return `${doc(rule.description, '    ')}    ${JSON.stringify(rule.name)}: ${type};`;
  });
  const payloads = PAYLOAD_INTERFACES.map(([kind, name]) => payloadInterface(rules, kind, name)).join('');
  return `// Generated by \`${by}\` from ${source}. Do not edit: regenerate when the plan changes.
export {};

declare module '${module}' {
  interface PlannedEvents {
${events.join('\n')}
  }
${payloads}}
`;
}
