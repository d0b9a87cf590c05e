/**
 * What the CLI commands share: reading JSON files with errors that name the file, the
 * plan's rules from the wasm core, and a usage error type.
 *
 * @module trackplan/commands/input
 */

import { readFile } from 'node:fs/promises';
import { planRules, startTools } from '../tools.js';

/** A problem with the command line or its input files: exit code 2, message on stderr. */
export class InputError extends Error {}

/**
 * Reads and parses a JSON file.
 * @param {string | undefined} path
 * @param {string} what what the file should be, for messages (`the plan`, `the calls`)
 */
export async function readJson(path, what) {
  return parseJson(await readText(path, what), path, what);
}

/**
 * Reads a text file, with an {@link InputError} that names the file and what it should
 * be when it cannot.
 * @param {string | undefined} path
 * @param {string} what what the file should be, for messages (`the plan`, `the calls`)
 * @returns {Promise<string>}
 */
export async function readText(path, what) {
  if (!path) throw new InputError(`missing ${what}: give the path of a JSON file`);
  try {
    return await readFile(path, 'utf8');
  } catch (error) {
    const why = error.code === 'ENOENT' ? 'no such file' : error.code === 'EISDIR' ? 'a directory, not a file' : error.message;
    throw new InputError(`${path}: cannot read ${what}: ${why}`);
  }
}

/**
 * Parses JSON text, with an {@link InputError} that names the file and where in it
 * (line:column, as editors count) when it is not JSON.
 * @param {string} text
 * @param {string} path
 * @param {string} what
 */
export function parseJson(text, path, what) {
  try {
    return JSON.parse(text);
  } catch (error) {
    const position = /at position (\d+)/.exec(error.message);
    const at = position ? Number(position[1]) : jsonErrorOffset(text);
    const before = text.slice(0, at).split('\n');
    const where = `${path}:${before.length}:${before.at(-1).length + 1}`;
    const why = error.message
      .replace(/ in JSON at position \d+.*$/, '')
      .replace(/, (\.\.\.)?".*"(\.\.\.)? is not valid JSON$/s, '')
      .replace(/^Unexpected end of JSON input$/, 'the text ends early');
    throw new InputError(`${where}: ${what} is not valid JSON: ${why}`);
  }
}

/** A JSON number, from where `lastIndex` says. */
const JSON_NUMBER = /-?(0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?/y;

/**
 * Where JSON text stops being JSON: the offset of the first character that cannot go on
 * a JSON document, or the text's length when it ends early. For the errors of
 * `JSON.parse` that do not say where ("Unexpected token 'x', … is not valid JSON").
 * @param {string} text text that `JSON.parse` refuses
 * @returns {number}
 */
function jsonErrorOffset(text) {
  let at = 0;
  const fail = () => {
    throw at;
  };
  const space = () => {
    while (at < text.length && ' \t\n\r'.includes(text[at])) at += 1;
  };
  const expect = (char) => {
    if (text[at] !== char) fail();
    at += 1;
  };
  const string = () => {
    expect('"');
    for (; text[at] !== '"'; at += 1) {
      if (at >= text.length || text[at] < ' ') fail();
      if (text[at] !== '\\') continue;
      at += 1;
      const hex = text[at] === 'u' ? text.slice(at + 1, at + 5) : null;
      if (hex === null ? !'"\\/bfnrt'.includes(text[at] ?? '?') : !/^[0-9a-fA-F]{4}$/.test(hex)) fail();
      if (hex !== null) at += 4;
    }
    at += 1;
  };
  const members = (close, member) => {
    at += 1;
    space();
    if (text[at] === close) return void (at += 1);
    for (;;) {
      member();
      space();
      if (text[at] === close) return void (at += 1);
      expect(',');
      space();
    }
  };
  const value = () => {
    space();
    const char = text[at];
    if (char === '{') return members('}', () => (string(), space(), expect(':'), value()));
    if (char === '[') return members(']', value);
    if (char === '"') return string();
    const word = ['true', 'false', 'null'].find((w) => w[0] === char);
    if (word) return [...word].forEach(expect);
    JSON_NUMBER.lastIndex = at;
    if (!JSON_NUMBER.test(text)) fail();
    at = JSON_NUMBER.lastIndex;
  };
  try {
    value();
    space();
    return at;
  } catch (offset) {
    // Nesting deeper than the stack: somewhere, say the end.
    return typeof offset === 'number' ? offset : text.length;
  }
}

/**
 * The rules of a plan, normalized by the wasm core: `{ name, kind, version, description?,
 * schema }` each, the schema unwrapped from Segment's form.
 * @param {string} path
 */
export async function readPlanRules(path) {
  const plan = await readJson(path, 'the plan');
  await startTools();
  try {
    return planRules(plan);
  } catch (error) {
    throw new InputError(`${path}: ${error.message}`);
  }
}

/**
 * Runs a command body: prints an {@link InputError} and returns 2; other errors propagate.
 * @param {() => Promise<number>} body
 * @returns {Promise<number>}
 */
export async function reportingInputErrors(body) {
  try {
    return await body();
  } catch (error) {
    if (!(error instanceof InputError)) throw error;
    console.error(`trackplan: ${error.message}`);
    return 2;
  }
}

/**
 * What a command's parsed options say before it runs: with `help`, prints the usage and
 * returns 0; with `error`, prints it with the usage on stderr and returns 2; otherwise
 * returns null (run the command).
 * @param {string} command the command's name, for the message
 * @param {{ help?: boolean, error?: string }} options
 * @param {string} usage the command's usage text
 * @returns {0 | 2 | null}
 */
export function helpOrUsageError(command, options, usage) {
  if (options.help) {
    console.log(usage);
    return 0;
  }
  if (options.error) {
    console.error(`trackplan ${command}: ${options.error}\n\n${usage}`);
    return 2;
  }
  return null;
}
