/**
 * How a plan's lint report reads on a terminal: shared by `trackplan lint` and
 * `trackplan build`, which lints the plan it compiles.
 *
 * @module trackplan/node/lint-report
 */

/**
 * A plan's lint report for people: one block per finding, then a summary line.
 * @param {string} file the plan's path
 * @param {{ findings: object[], errors: number, warnings: number, silenced: number }} report
 * @returns {string}
 */
export function formatLint(file, { findings, errors, warnings, silenced }) {
  const blocks = findings.map((f) => {
    const where = [f.event && `\`${f.event}\``, f.property && `property ${f.property}`].filter(Boolean).join(' ');
    return `${file}: ${f.severity} [${f.rule}] ${where}\n  ${f.message}\n  fix: ${f.fix}`;
  });
  const count = (n, what) => `${n} ${what}${n === 1 ? '' : 's'}`;
  const summary = `${file}: ${count(errors, 'error')}, ${count(warnings, 'warning')}${silenced ? `, ${silenced} silenced` : ''}`;
  return [...blocks, summary].join('\n\n');
}
