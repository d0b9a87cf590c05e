// The published declarations come from the code (scripts/types.js): the JS type-checks
// against the interfaces it implements, the files on disk are what it generates now, and
// a change to the code that its types do not follow fails the check.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { declarations, staleDeclarations } from '../scripts/types.js';

const generated = declarations();

test("the package's JS type-checks (checkJs, strict) against its declared interfaces", () => {
  assert.deepEqual(generated.errors, []);
});

test('the declarations on disk are the ones the code generates', () => {
  assert.deepEqual(staleDeclarations(generated.files), [], 'stale: run node scripts/types.js (or node scripts/build.js)');
  assert.ok(generated.files.has('js/index.d.ts') && generated.files.has('js/testing/index.d.ts'));
  const sdk = generated.files.get('js/types/sdk/index.d.ts');
  assert.match(sdk, /export function createTracker\(options\?: import\("\.\/types\.js"\)\.TrackerOptions/);
  // The doc comments users see in their editor come along.
  assert.match(generated.files.get('js/types/sdk/types.d.ts'), /Augment with the properties your code sets with `setContext`/);
});

/** The errors of the check with `edit` applied to one source file's text. */
function errorsWith(file, edit) {
  const readFile = (path) => {
    const text = readFileSync(path, 'utf8');
    return path.endsWith(file) ? edit(text) : text;
  };
  return declarations({ readFile }).errors;
}

test('a tracker method renamed in the code, or removed from its type, fails the check', () => {
  const renamed = errorsWith('js/sdk/tracker.js', (text) => text.replace('setContext: (context)', 'setContexts: (context)'));
  assert.ok(renamed.some((e) => e.startsWith('js/sdk/tracker.js') && e.includes("'setContexts'")), renamed.join('\n'));
  const removed = errorsWith('js/sdk/types.ts', (text) => text.replace('  setContext(context: Context): void;\n', ''));
  assert.ok(removed.some((e) => e.startsWith('js/sdk/tracker.js') && e.includes("'setContext'")), removed.join('\n'));
});

test('a signature the JSDoc declares is checked against the code', () => {
  const errors = errorsWith('js/sdk/ids.js', (text) => text.replace('@returns {string}', '@returns {number}'));
  assert.ok(errors.some((e) => e.startsWith('js/sdk/ids.js')), errors.join('\n'));
});
