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
    const at = position ? Number(position[1]) : text.length;
    const before = text.slice(0, at).split('\n');
    const where = `${path}:${before.length}:${before.at(-1).length + 1}`;
    const why = error.message.replace(/ in JSON at position \d+.*$/, '').replace(/^Unexpected end of JSON input$/, 'the text ends early');
    throw new InputError(`${where}: ${what} is not valid JSON: ${why}`);
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
