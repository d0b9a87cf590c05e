/**
 * `trackplan diff OLD.json NEW.json [--format text|json|markdown] [--allow-breaking]`:
 * which changes between two versions of a plan break clients still sending the old
 * shape. Both plans may have any export shape the wasm core reads; the classification
 * is `plan-diff.js`'s.
 *
 * Exit codes: 0 nothing breaks (or `--allow-breaking`), 1 some change breaks, 2 usage or
 * input problem.
 *
 * @module trackplan/commands/diff
 */

import { BREAKING, COMPATIBLE, diffPlans } from '../plan-diff.js';
import { helpOrUsageError, readPlanRules, reportingInputErrors } from './input.js';

const USAGE = `usage: trackplan diff OLD.json NEW.json [--format text|json|markdown] [--allow-breaking]

Compares two versions of a tracking plan and classifies each change: breaking when a
call the old plan accepts may be rejected by the new one (an event or a version
removed, a property made required, a type or an enum narrowed, a bound tightened, a
pattern or format added, additionalProperties turned false, a change it cannot tell),
compatible otherwise (an event or an optional property added, an enum widened, a
bound relaxed, documentation only). Plans may have any Segment export shape.

  --format text|json|markdown   markdown fits a pull-request comment
  --allow-breaking              report breaking changes but exit 0

exit codes: 0 nothing breaks, 1 some change breaks, 2 usage or input problem`;

const FORMATS = ['text', 'json', 'markdown'];

/**
 * Runs `trackplan diff`.
 * @param {string[]} args the arguments after `diff`
 * @returns {Promise<number>} the exit code
 */
export async function run(args) {
  const options = parseArgs(args);
  const early = helpOrUsageError('diff', options, USAGE);
  if (early !== null) return early;
  const { files, format, allowBreaking } = options;
  return reportingInputErrors(async () => {
    const [before, after] = [await readPlanRules(files[0]), await readPlanRules(files[1])];
    const changes = diffPlans(before, after);
    const print = { text: formatText, json: formatJson, markdown: formatMarkdown }[format];
    console.log(print(files, changes));
    return changes.some((c) => c.class === BREAKING) && !allowBreaking ? 1 : 0;
  });
}

/** Reads `OLD.json NEW.json`, `--format` (or `--format=`), `--allow-breaking` and `--help`. */
function parseArgs(args) {
  const options = { format: 'text', allowBreaking: false, files: [] };
  for (let i = 0; i < args.length; i += 1) {
    const arg = args[i];
    if (arg === '--help' || arg === '-h') return { help: true };
    if (arg === '--allow-breaking') options.allowBreaking = true;
    else if (arg === '--format' || arg.startsWith('--format=')) {
      options.format = arg === '--format' ? args[(i += 1)] : arg.slice('--format='.length);
      if (!FORMATS.includes(options.format)) {
        return { error: `--format must be text, json or markdown, not ${JSON.stringify(options.format ?? '')}` };
      }
    } else if (arg.startsWith('-')) return { error: `unknown option ${arg}` };
    else options.files.push(arg);
  }
  if (options.files.length !== 2) return { error: `expected the old plan and the new plan, got ${options.files.length} file(s)` };
  return options;
}

/** `2 breaking changes, 3 compatible` (or `no changes`). */
function summary(changes) {
  const breaking = changes.filter((c) => c.class === BREAKING).length;
  const compatible = changes.length - breaking;
  if (!changes.length) return 'no changes';
  return `${breaking} breaking change${breaking === 1 ? '' : 's'}, ${compatible} compatible`;
}

/** How a change's rule is named: `track "call started"`, or `identify`. */
function ruleName(change) {
  return change.kind === 'track' ? `track ${JSON.stringify(change.event)}` : change.kind;
}

/**
 * Where a change is, as printed: `path` (through `show`, after `prefix`); `none` for
 * an event or version added or removed; the whole payload for ``.
 */
function where(path, none, prefix, show = (p) => p) {
  if (path === null) return none;
  return `${prefix}${path === '' ? '(whole payload)' : show(path)}`;
}

/** The report as text: the summary, then breaking and compatible changes, one a line. */
function formatText([oldPath, newPath], changes) {
  const lines = [`${oldPath} → ${newPath}: ${summary(changes)}`];
  for (const kind of [BREAKING, COMPATIBLE]) {
    const some = changes.filter((c) => c.class === kind);
    if (!some.length) continue;
    lines.push('', `${kind}:`);
    for (const c of some) lines.push(`  ${ruleName(c)} v${c.version}${where(c.path, '', ' ')}: ${c.message}`);
  }
  return lines.join('\n');
}

/** The report as JSON: `{ old, new, breaking, compatible, changes }`. */
function formatJson([oldPath, newPath], changes) {
  const breaking = changes.filter((c) => c.class === BREAKING).length;
  return JSON.stringify({ old: oldPath, new: newPath, breaking, compatible: changes.length - breaking, changes }, null, 2);
}

/** `text` as a Markdown code span, fenced with more backticks than it holds. */
function code(text) {
  const fence = '`'.repeat(Math.max(0, ...(text.match(/`+/g) ?? []).map((run) => run.length)) + 1);
  const pad = fence.length > 1 || text.startsWith('`') || text.endsWith('`') ? ' ' : '';
  return `${fence}${pad}${text}${pad}${fence}`;
}

/** `text` safe in a Markdown table cell: Markdown escaped outside its `code` spans, pipes and newlines everywhere. */
function cell(text) {
  const escaped = text
    .split(/(`[^`\n]*`)/)
    .map((part, i) => (i % 2 ? part : part.replace(/[\\`*_[\]<>~#&!]/g, (c) => `\\${c}`)))
    .join('');
  return inCell(escaped);
}

/** Markdown made fit for a table cell: pipes escaped (in code spans too), one line. */
function inCell(markdown) {
  return markdown.replace(/\|/g, '\\|').replace(/\r?\n/g, ' ');
}

/**
 * The report as Markdown for a pull-request comment: a summary line, then a table of
 * the changes, breaking first.
 */
function formatMarkdown([oldPath, newPath], changes) {
  const breaking = changes.some((c) => c.class === BREAKING);
  const head = `${breaking ? '❌' : '✅'} **trackplan diff**: ${summary(changes)} (${code(oldPath)} → ${code(newPath)})`;
  if (!changes.length) return head;
  const rows = changes.map((c) => {
    const rule = c.kind === 'track' ? code(c.event) : `_${c.kind}_`;
    return `| ${c.class === BREAKING ? '**breaking**' : 'compatible'} | ${inCell(rule)} | ${c.version} | ${inCell(where(c.path, '—', '', code))} | ${cell(c.message)} |`;
  });
  return [head, '', '| class | event | version | where | change |', '| --- | --- | --- | --- | --- |', ...rows].join('\n');
}
