/**
 * The JSON Schema Test Suite's draft-07 cases as one-rule plans compiled for the
 * production cores, from `examples/suite_plans.rs` (which compiles each case's schema as
 * its plan's payload schema, remote documents resolved from the suite's `remotes/`), with
 * each case's schema and tests read from the suite's files.
 */

import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { root } from '../../../scripts/toolchain.js';

/** The name of each plan's one track rule (`EVENT` in `examples/suite_plans.rs`). */
export const SUITE_EVENT = 'suite test';

/**
 * A case of the suite, compiled: `set` (`required`, `formats` or `ecmascript-regex`),
 * `file` (relative to the suite's root) and `group` (its place in the file),
 * `description`, `schema`, `tests` (`[{ description, data, valid }]`), `remotes` (the
 * URIs of the remote documents the schema `$ref`s), and `plan`, the compiled plan's
 * bytes, or `error`, why the schema could not be compiled.
 * @typedef {{ set: string, file: string, group: number, description: string, schema: unknown,
 *   tests: { description: string, data: unknown, valid: boolean }[], remotes: string[], plan?: Uint8Array,
 *   error?: string }} SuiteGroup
 */

/**
 * The suite's cases compiled as plans (`cargo run --example suite_plans`): `{ root,
 * found, groups }`, `found` false (and no groups) when the suite is not at `root`.
 * @returns {Promise<{ root: string, found: boolean, groups: SuiteGroup[] }>}
 */
export async function suitePlans() {
  const { stdout } = await promisify(execFile)('cargo', ['run', '--quiet', '--example', 'suite_plans'], {
    cwd: root,
    maxBuffer: 64 * 1024 * 1024,
  });
  const out = JSON.parse(stdout);
  const files = new Map();
  const cases = (file) => {
    if (!files.has(file)) files.set(file, JSON.parse(readFileSync(join(out.root, file), 'utf8')));
    return files.get(file);
  };
  const groups = out.groups.map(({ set, file, group, remotes, plan, error }) => {
    const { description, schema, tests } = cases(file)[group];
    const bytes = plan === undefined ? undefined : Buffer.from(plan, 'hex');
    return { set, file, group, description, schema, tests, remotes, error, plan: bytes };
  });
  return { root: out.root, found: out.found, groups };
}
